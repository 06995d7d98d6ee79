//! The abstract syntax tree: plain data, every node with its [`Span`].

use super::span::{Span, Spanned};

/// A word of the source with its span (a variable, alias, stage name, ...).
pub type Word = Spanned<String>;

/// One statement of a script.
#[derive(Debug, Clone, PartialEq)]
// A script holds few of these; plain values match more simply than boxes.
#[allow(clippy::large_enum_variant)]
pub enum Statement {
    Query(Query),
    Meta(Meta),
}

/// `SOURCE [MODIFIER ...] [| STAGE ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub source: Source,
    /// In source order; `as of` at most once, `assuming` any number of
    /// times (the scenarios apply together).
    pub modifiers: Vec<Modifier>,
    pub stages: Vec<Stage>,
    pub span: Span,
}

/// A value written literally, or a `$name` parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<T> {
    Lit(T),
    Param(Param),
}

/// `$name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Without the `$`.
    pub name: String,
    pub span: Span,
}

/// A node named by id, name or alias: `germanium`, `"rare earth magnets"`,
/// `country:CN`, `policy "MOFCOM 2024 No.46"`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRef {
    /// The singular node kind (`country`), if qualified.
    pub kind: Option<(String, Span)>,
    pub name: String,
    pub quoted: bool,
    pub span: Span,
}

/// A node or a parameter standing for one.
pub type NodeArg = Arg<NodeRef>;

/// A whole number such as the `3` of `depth 3`.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub value: u64,
    pub span: Span,
}

/// A number; `80%` has value 0.8 and keeps its text for display.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    pub text: String,
    pub span: Span,
}

/// A quoted string, unescaped.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// A date: `2024-12-03`, `2025-06` or `2025`; always a valid calendar date.
#[derive(Debug, Clone, PartialEq)]
pub struct DateLit {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub span: Span,
}

/// What a query starts with.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `show NODE`
    Show { node: NodeArg, span: Span },
    /// `find TEXT`: nodes of every kind whose name or alias matches TEXT
    Find { text: NodeArg, span: Span },
    /// `graph`: every node (`graph | export "all.kuzu"` writes the whole graph).
    Graph { span: Span },
    /// `list KIND [where COND]`; `kind` is singular, `node` for `list nodes`.
    List {
        kind: Word,
        filter: Option<Expr>,
        span: Span,
    },
    /// `depends NODE [depth N]`
    Depends {
        node: NodeArg,
        depth: Option<Arg<Count>>,
        span: Span,
    },
    /// `dependents NODE [depth N]`
    Dependents {
        node: NodeArg,
        depth: Option<Arg<Count>>,
        span: Span,
    },
    /// `exposure TARGET [INDUSTRY] to SUPPLIER [for MATERIAL, ...] [by material]`
    Exposure {
        target: NodeArg,
        industry: Option<NodeArg>,
        /// A country, a policy, or a material (every supplier of it).
        supplier: NodeArg,
        /// `for gallium, germanium`: only through these materials.
        materials: Vec<NodeArg>,
        /// `by material`: one row per material instead of one per industry.
        by_material: bool,
        /// `tiers N`: follow imports through intermediate countries.
        tiers: Option<Arg<Count>>,
        span: Span,
    },
    /// `path NODE to NODE [all] [max N] [via events]`
    Path {
        from: NodeArg,
        to: NodeArg,
        all: bool,
        max: Option<Arg<Count>>,
        /// `via events`: a causal path, through events and policies, dated.
        causal: bool,
        span: Span,
    },
    /// `neighbors NODE [depth N] [via EDGE, ...]`
    Neighbors {
        node: NodeArg,
        depth: Option<Arg<Count>>,
        via: Vec<Word>,
        span: Span,
    },
    /// `concentration NODE [stage STAGE] [year N]`
    Concentration {
        node: NodeArg,
        stage: Option<Word>,
        year: Option<Arg<Count>>,
        span: Span,
    },
    /// `timeline NODE [from DATE] [to DATE]`
    Timeline {
        node: NodeArg,
        from: Option<Arg<DateLit>>,
        to: Option<Arg<DateLit>>,
        span: Span,
    },
    /// `match PATTERN [where COND] return ITEM, ...`
    Match {
        pattern: Pattern,
        filter: Option<Expr>,
        returns: Vec<Projection>,
        span: Span,
    },
}

/// `as of DATE` or `assuming SCENARIO`.
#[derive(Debug, Clone, PartialEq)]
// A script holds few of these; plain values match more simply than boxes.
#[allow(clippy::large_enum_variant)]
pub enum Modifier {
    AsOf { date: Arg<DateLit>, span: Span },
    Assuming { scenario: Scenario, span: Span },
}

/// A what-if scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    /// `COUNTRY bans NODE [to COUNTRY]`
    Ban {
        country: NodeArg,
        item: NodeArg,
        destination: Option<NodeArg>,
        span: Span,
    },
    /// `COUNTRY cuts NODE by PCT [to COUNTRY]`; the fraction is in 0..=1.
    Cut {
        country: NodeArg,
        item: NodeArg,
        fraction: Arg<Number>,
        destination: Option<NodeArg>,
        span: Span,
    },
    /// `POLICY lifted`
    Lifted { policy: NodeArg, span: Span },
    /// `POLICY in force`
    InForce { policy: NodeArg, span: Span },
}

/// A pipeline stage after `|`.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Where {
        cond: Expr,
        span: Span,
    },
    Sort {
        keys: Vec<SortKey>,
        span: Span,
    },
    Take {
        count: Arg<Count>,
        span: Span,
    },
    Select {
        items: Vec<Projection>,
        span: Span,
    },
    Count {
        span: Span,
    },
    /// `| chart`: the rows unchanged, each series sketched as a text chart.
    Chart {
        span: Span,
    },
    /// `group by KEY, ... [aggregate AGG, ...]`: one row per distinct key.
    Group {
        keys: Vec<Projection>,
        aggregates: Vec<Projection>,
        span: Span,
    },
    /// `| explain`: the full derivation of each row in the table.
    Explain {
        span: Span,
    },
    Export {
        file: Arg<StrLit>,
        format: Option<Spanned<ExportFormat>>,
        force: bool,
        span: Span,
    },
}

/// `EXPR [asc|desc]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub expr: Expr,
    pub descending: bool,
    pub span: Span,
}

/// `EXPR [as NAME]` in `select` and `return`.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub expr: Expr,
    pub alias: Option<Word>,
    pub span: Span,
}

/// File formats of `| export ... as FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Json,
    Cytoscape,
    NodeLink,
    GraphMl,
    Dot,
    Cypher,
    Kuzu,
    Csv,
    Neo4jCsv,
    PandasCsv,
    Svg,
    Html,
}

/// Result formats of `.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(Number),
    Str(StrLit),
    Date(DateLit),
    Bool {
        value: bool,
        span: Span,
    },
    Null {
        span: Span,
    },
    /// A bare word: a field (`name`, `i.name`), a variable, a kind or edge
    /// kind (`industry`), a stage, or a node name; the evaluator decides.
    Ident(Word),
    /// A kind-qualified node: `country:CN`.
    Node(NodeRef),
    Param(Param),
    /// `name(arg, ...)`; the name is lowercase and in the function table.
    Call {
        name: Word,
        args: Vec<Expr>,
        span: Span,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
        span: Span,
    },
    /// `a and b and c` or `a or b or c`: one node per chain, operands in order.
    Logical {
        op: LogicalOp,
        operands: Vec<Expr>,
        span: Span,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        span: Span,
    },
    /// `operand [not] in (item, ...)`
    In {
        operand: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicalOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

/// `(a)-[:e]->(b)<-[:f]-(c)`: a chain of node patterns joined by edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub start: NodePattern,
    pub steps: Vec<PatternStep>,
    pub span: Span,
}

/// One edge of a pattern and the node it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternStep {
    pub edge: EdgePattern,
    pub node: NodePattern,
    pub span: Span,
}

/// `(var:kind {prop: value, ...})`, every part optional.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    pub var: Option<Word>,
    /// Singular node kind.
    pub kind: Option<Word>,
    pub props: Vec<PropConstraint>,
    pub span: Span,
}

/// `prop: value` inside a node pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct PropConstraint {
    pub key: Word,
    pub value: Expr,
    pub span: Span,
}

/// `-[var:kind|kind*min..max]->`, `<-[...]-`, `-[...]-`, `-->`, `<--`, `--`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePattern {
    pub direction: Direction,
    pub var: Option<Word>,
    /// Alternative edge kinds; empty means any.
    pub kinds: Vec<Word>,
    pub hops: Option<Hops>,
    pub span: Span,
}

/// Which way a pattern edge points, read left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `-->`
    Out,
    /// `<--`
    In,
    /// `--`
    Either,
}

/// `*`, `*N`, `*MIN..MAX`, `*..MAX`, `*MIN..`: a variable-length edge.
///
/// `*` alone is 1 or more hops; `*N` is exactly N; a missing MIN is 1 and a
/// missing MAX is unbounded (the evaluator caps it).
#[derive(Debug, Clone, PartialEq)]
pub struct Hops {
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// Whether `..` was written (so `*2` and `*2..` differ).
    pub range: bool,
    pub span: Span,
}

/// A meta command: `.help`, `.format json`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub command: MetaCommand,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MetaCommand {
    Help {
        topic: Option<Word>,
    },
    Schema,
    Kinds,
    Load {
        path: Word,
    },
    Format {
        format: Spanned<OutputFormat>,
    },
    Timing {
        on: Spanned<bool>,
    },
    /// `.unsourced on`: count facts marked unsourced in the metrics.
    Unsourced {
        on: Spanned<bool>,
    },
    Explain {
        on: Spanned<bool>,
    },
    /// `.tree on`: `depends`/`dependents` drawn as a tree
    Tree {
        on: Spanned<bool>,
    },
    /// `.maxrows N`: the shell shows at most N rows of a table (0: all)
    MaxRows {
        count: Word,
    },
    Param {
        name: Word,
        value: Expr,
    },
    Sources {
        id: Word,
    },
    Quit,
}
