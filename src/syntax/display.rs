//! Canonical query text for every AST type: parsing what `Display` prints
//! gives back the same tree (spans aside).

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::keywords::{self, Category};
use super::lex::{is_word_char, is_word_start};
use super::parse_node::is_stop_word;

/// `items` separated by `", "`.
fn comma_list<T: Display>(f: &mut Formatter<'_>, items: &[T]) -> fmt::Result {
    for (idx, item) in items.iter().enumerate() {
        if idx > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// `text` as a double-quoted string with escapes.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `name` can be written as a bare node name.
pub fn is_bare_node_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_word_start) && chars.all(is_word_char) && !is_stop_word(name)
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Query(query) => query.fmt(f),
            Statement::Meta(meta) => meta.fmt(f),
        }
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        for modifier in &self.modifiers {
            write!(f, " {modifier}")?;
        }
        for stage in &self.stages {
            write!(f, " | {stage}")?;
        }
        Ok(())
    }
}

impl<T: Display> Display for Arg<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Lit(value) => value.fmt(f),
            Arg::Param(param) => param.fmt(f),
        }
    }
}

impl Display for Param {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "${}", self.name)
    }
}

impl Display for NodeRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some((kind, _)) = &self.kind {
            write!(f, "{kind}:")?;
        }
        if self.quoted || !is_bare_node_name(&self.name) {
            f.write_str(&quote(&self.name))
        } else {
            f.write_str(&self.name)
        }
    }
}

impl Display for Count {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Display for Number {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Display for StrLit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote(&self.value))
    }
}

impl Display for DateLit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

fn plural(kind: &str) -> &str {
    keywords::lookup(Category::NodeKind, kind)
        .and_then(|entry| entry.plural)
        .unwrap_or(kind)
}

fn opt<T: Display>(f: &mut Formatter<'_>, prefix: &str, value: &Option<T>) -> fmt::Result {
    match value {
        Some(value) => write!(f, " {prefix} {value}"),
        None => Ok(()),
    }
}

impl Display for Source {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Source::Show { node, .. } => write!(f, "show {node}"),
            Source::Find { text, .. } => write!(f, "find {text}"),
            Source::Graph { .. } => write!(f, "graph"),
            Source::List { kind, filter, .. } => {
                write!(f, "list {}", plural(&kind.value))?;
                opt(f, "where", filter)
            }
            Source::Depends { node, depth, .. } => {
                write!(f, "depends {node}")?;
                opt(f, "depth", depth)
            }
            Source::Dependents { node, depth, .. } => {
                write!(f, "dependents {node}")?;
                opt(f, "depth", depth)
            }
            Source::Exposure {
                target,
                industry,
                supplier,
                materials,
                by_material,
                tiers,
                ..
            } => {
                write!(f, "exposure {target}")?;
                if let Some(industry) = industry {
                    write!(f, " {industry}")?;
                }
                write!(f, " to {supplier}")?;
                for (index, material) in materials.iter().enumerate() {
                    let lead = if index == 0 { " for " } else { ", " };
                    write!(f, "{lead}{material}")?;
                }
                if *by_material {
                    f.write_str(" by material")?;
                }
                opt(f, "tiers", tiers)
            }
            Source::Path {
                from,
                to,
                all,
                max,
                causal,
                ..
            } => {
                write!(f, "path {from} to {to}")?;
                if *all {
                    f.write_str(" all")?;
                }
                opt(f, "max", max)?;
                if *causal {
                    f.write_str(" via events")?;
                }
                Ok(())
            }
            Source::Neighbors {
                node, depth, via, ..
            } => {
                write!(f, "neighbors {node}")?;
                opt(f, "depth", depth)?;
                if !via.is_empty() {
                    f.write_str(" via ")?;
                    comma_list(f, &via.iter().map(|word| &word.value).collect::<Vec<_>>())?;
                }
                Ok(())
            }
            Source::Concentration {
                node, stage, year, ..
            } => {
                write!(f, "concentration {node}")?;
                opt(f, "stage", &stage.as_ref().map(|word| &word.value))?;
                opt(f, "year", year)
            }
            Source::Timeline { node, from, to, .. } => {
                write!(f, "timeline {node}")?;
                opt(f, "from", from)?;
                opt(f, "to", to)
            }
            Source::Match {
                pattern,
                filter,
                returns,
                ..
            } => {
                write!(f, "match {pattern}")?;
                opt(f, "where", filter)?;
                f.write_str(" return ")?;
                comma_list(f, returns)
            }
        }
    }
}

impl Display for Modifier {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Modifier::AsOf { date, .. } => write!(f, "as of {date}"),
            Modifier::Assuming { scenario, .. } => write!(f, "assuming {scenario}"),
        }
    }
}

impl Display for Scenario {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Scenario::Ban {
                country,
                item,
                destination,
                ..
            } => {
                write!(f, "{country} bans {item}")?;
                opt(f, "to", destination)
            }
            Scenario::Cut {
                country,
                item,
                fraction,
                destination,
                ..
            } => {
                write!(f, "{country} cuts {item} by {fraction}")?;
                opt(f, "to", destination)
            }
            Scenario::Lifted { policy, .. } => write!(f, "{policy} lifted"),
            Scenario::InForce { policy, .. } => write!(f, "{policy} in force"),
        }
    }
}

impl Display for Stage {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Where { cond, .. } => write!(f, "where {cond}"),
            Stage::Sort { keys, .. } => {
                f.write_str("sort ")?;
                comma_list(f, keys)
            }
            Stage::Take { count, .. } => write!(f, "take {count}"),
            Stage::Select { items, .. } => {
                f.write_str("select ")?;
                comma_list(f, items)
            }
            Stage::Count { .. } => f.write_str("count"),
            Stage::Chart { .. } => f.write_str("chart"),
            Stage::Group {
                keys, aggregates, ..
            } => {
                f.write_str("group by ")?;
                comma_list(f, keys)?;
                if !aggregates.is_empty() {
                    f.write_str(" aggregate ")?;
                    comma_list(f, aggregates)?;
                }
                Ok(())
            }
            Stage::Explain { .. } => f.write_str("explain"),
            Stage::Export {
                file,
                format,
                force,
                ..
            } => {
                write!(f, "export {file}")?;
                opt(f, "as", &format.as_ref().map(|format| format.value))?;
                if *force {
                    f.write_str(" force")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for SortKey {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        if self.descending {
            f.write_str(" desc")?;
        }
        Ok(())
    }
}

impl Display for Projection {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        opt(f, "as", &self.alias.as_ref().map(|alias| &alias.value))
    }
}

impl Display for ExportFormat {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExportFormat::Json => "json",
            ExportFormat::Cytoscape => "cytoscape",
            ExportFormat::NodeLink => "nodelink",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Dot => "dot",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Kuzu => "kuzu",
            ExportFormat::Csv => "csv",
            ExportFormat::Neo4jCsv => "neo4j-csv",
            ExportFormat::PandasCsv => "pandas-csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Html => "html",
        })
    }
}

impl Display for OutputFormat {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Csv => "csv",
            OutputFormat::Markdown => "markdown",
        })
    }
}

/// Binding strength: a child binding looser than its context gets brackets.
fn precedence(expr: &Expr) -> u8 {
    match expr {
        Expr::Logical {
            op: LogicalOp::Or, ..
        } => 1,
        Expr::Logical {
            op: LogicalOp::And, ..
        } => 2,
        Expr::Unary {
            op: UnaryOp::Not, ..
        } => 3,
        Expr::Binary {
            op: BinaryOp::Add | BinaryOp::Sub,
            ..
        } => 5,
        Expr::Binary {
            op: BinaryOp::Mul | BinaryOp::Div,
            ..
        } => 6,
        Expr::Binary { .. } | Expr::In { .. } => 4,
        Expr::Unary {
            op: UnaryOp::Neg, ..
        } => 7,
        _ => 8,
    }
}

/// The operand precedences a binary operator needs on its left and right.
fn operand_precedence(op: BinaryOp) -> (u8, u8) {
    match op {
        BinaryOp::Add | BinaryOp::Sub => (5, 6),
        BinaryOp::Mul | BinaryOp::Div => (6, 7),
        _ => (5, 5),
    }
}

struct Operand<'a>(&'a Expr, u8);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if precedence(self.0) < self.1 {
            write!(f, "({})", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl Display for BinaryOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        })
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(number) => number.fmt(f),
            Expr::Str(lit) => lit.fmt(f),
            Expr::Date(date) => date.fmt(f),
            Expr::Bool { value, .. } => write!(f, "{value}"),
            Expr::Null { .. } => f.write_str("null"),
            Expr::Ident(word) => f.write_str(&word.value),
            Expr::Node(node) => node.fmt(f),
            Expr::Param(param) => param.fmt(f),
            Expr::Call { name, args, .. } => {
                write!(f, "{}(", name.value)?;
                comma_list(f, args)?;
                f.write_char(')')
            }
            Expr::Unary {
                op: UnaryOp::Not,
                operand,
                ..
            } => write!(f, "not {}", Operand(operand, 3)),
            Expr::Unary {
                op: UnaryOp::Neg,
                operand,
                ..
            } => match operand.as_ref() {
                // `- -x`, not `-(-x)`: the parentheses would cost a nesting
                // level each, and a long chain would no longer reparse.
                Expr::Unary {
                    op: UnaryOp::Neg, ..
                } => write!(f, "- {operand}"),
                _ => write!(f, "-{}", Operand(operand, 8)),
            },
            Expr::Logical { op, operands, .. } => {
                let (word, level) = match op {
                    LogicalOp::Or => (" or ", 2),
                    LogicalOp::And => (" and ", 3),
                };
                for (idx, operand) in operands.iter().enumerate() {
                    if idx > 0 {
                        f.write_str(word)?;
                    }
                    write!(f, "{}", Operand(operand, level))?;
                }
                Ok(())
            }
            Expr::Binary { op, lhs, rhs, .. } => {
                let (left, right) = operand_precedence(*op);
                write!(f, "{} {op} {}", Operand(lhs, left), Operand(rhs, right))
            }
            Expr::In {
                operand,
                list,
                negated,
                ..
            } => {
                let not = if *negated { "not " } else { "" };
                write!(f, "{} {not}in (", Operand(operand, 5))?;
                comma_list(f, list)?;
                f.write_char(')')
            }
        }
    }
}

impl Display for Pattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)?;
        for step in &self.steps {
            write!(f, "{}{}", step.edge, step.node)?;
        }
        Ok(())
    }
}

impl Display for NodePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        if let Some(var) = &self.var {
            f.write_str(&var.value)?;
        }
        if let Some(kind) = &self.kind {
            write!(f, ":{}", kind.value)?;
        }
        if !self.props.is_empty() {
            let space = if self.var.is_some() || self.kind.is_some() {
                " "
            } else {
                ""
            };
            write!(f, "{space}{{")?;
            comma_list(f, &self.props)?;
            f.write_char('}')?;
        }
        f.write_char(')')
    }
}

impl Display for PropConstraint {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key.value, self.value)
    }
}

impl Display for EdgePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(if self.direction == Direction::In {
            "<-"
        } else {
            "-"
        })?;
        let empty = self.var.is_none() && self.kinds.is_empty() && self.hops.is_none();
        if !empty {
            f.write_char('[')?;
            if let Some(var) = &self.var {
                f.write_str(&var.value)?;
            }
            for (idx, kind) in self.kinds.iter().enumerate() {
                f.write_str(if idx == 0 { ":" } else { "|" })?;
                f.write_str(&kind.value)?;
            }
            if let Some(hops) = &self.hops {
                hops.fmt(f)?;
            }
            f.write_char(']')?;
        }
        f.write_str(if self.direction == Direction::Out {
            "->"
        } else {
            "-"
        })
    }
}

impl Display for Hops {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('*')?;
        if let Some(min) = self.min {
            write!(f, "{min}")?;
        }
        if self.range {
            f.write_str("..")?;
        }
        if let Some(max) = self.max {
            write!(f, "{max}")?;
        }
        Ok(())
    }
}

impl Display for Meta {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.command {
            MetaCommand::Help { topic: None } => f.write_str(".help"),
            MetaCommand::Help { topic: Some(topic) } => {
                write!(f, ".help {}", path_text(&topic.value))
            }
            MetaCommand::Schema => f.write_str(".schema"),
            MetaCommand::Kinds => f.write_str(".kinds"),
            MetaCommand::Load { path } => write!(f, ".load {}", path_text(&path.value)),
            MetaCommand::Format { format } => write!(f, ".format {}", format.value),
            MetaCommand::MaxRows { count } => write!(f, ".maxrows {}", count.value),
            MetaCommand::Tree { on } => write!(f, ".tree {}", if on.value { "on" } else { "off" }),
            MetaCommand::Explain { on } => {
                write!(f, ".explain {}", if on.value { "on" } else { "off" })
            }
            MetaCommand::Timing { on } => {
                write!(f, ".timing {}", if on.value { "on" } else { "off" })
            }
            MetaCommand::Unsourced { on } => {
                write!(f, ".unsourced {}", if on.value { "on" } else { "off" })
            }
            MetaCommand::Param { name, value } => write!(f, ".param {} {value}", name.value),
            MetaCommand::Sources { id } => write!(f, ".sources {}", path_text(&id.value)),
            MetaCommand::Quit => f.write_str(".quit"),
        }
    }
}

/// A meta-command argument: bare when it has no blanks or quotes.
fn path_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(|c: char| c.is_whitespace() || matches!(c, '"' | ';' | '#'));
    if plain { text.to_string() } else { quote(text) }
}
