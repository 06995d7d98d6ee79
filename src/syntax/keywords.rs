//! The one keyword table: every reserved word, source, clause, modifier,
//! stage, meta command, node kind, edge kind, format and function of the
//! language, each with a one-line summary and an example.
//!
//! The parser, the "expected …" lists in errors, `.help` and REPL completion
//! are all generated from [`KEYWORDS`], so they cannot drift apart.

/// What part of the language a [`Keyword`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Starts a query: `show`, `list`, ...
    Source,
    /// An optional clause after a source's node: `depth`, `via`, `to`, ...
    Clause,
    /// A query modifier: `as of`, `assuming`.
    Modifier,
    /// A what-if scenario verb: `bans`, `cuts`, `lifted`, `in force`.
    Scenario,
    /// A pipeline stage after `|`.
    Stage,
    /// A word operator or literal in expressions: `and`, `true`, ...
    Operator,
    /// A sort direction: `asc`, `desc`.
    Order,
    /// A meta command (written with a leading `.`).
    Meta,
    /// A node kind; `plural` holds the plural form.
    NodeKind,
    /// An edge kind.
    EdgeKind,
    /// A result format for `.format`.
    OutputFormat,
    /// A file format for `| export`.
    ExportFormat,
    /// A function callable in expressions.
    Function,
}

/// One entry of the keyword table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    /// The canonical lowercase spelling; phrases such as `as of` contain a space.
    pub word: &'static str,
    pub category: Category,
    /// The plural form of a node kind (`minerals`).
    pub plural: Option<&'static str>,
    /// The smallest and largest argument count of a function.
    pub arity: Option<(usize, usize)>,
    pub summary: &'static str,
    pub example: &'static str,
}

const fn kw(
    word: &'static str,
    category: Category,
    summary: &'static str,
    example: &'static str,
) -> Keyword {
    Keyword {
        word,
        category,
        plural: None,
        arity: None,
        summary,
        example,
    }
}

const fn kind(
    word: &'static str,
    plural: &'static str,
    summary: &'static str,
    example: &'static str,
) -> Keyword {
    Keyword {
        word,
        category: Category::NodeKind,
        plural: Some(plural),
        arity: None,
        summary,
        example,
    }
}

const fn func(
    word: &'static str,
    min_args: usize,
    max_args: usize,
    summary: &'static str,
    example: &'static str,
) -> Keyword {
    Keyword {
        word,
        category: Category::Function,
        plural: None,
        arity: Some((min_args, max_args)),
        summary,
        example,
    }
}

use Category::*;

/// Every keyword of the language.
pub const KEYWORDS: &[Keyword] = &[
    kw(
        "show",
        Source,
        "the node card: kind, props, aliases, validity, sources, neighbours",
        "show germanium",
    ),
    kw(
        "find",
        Source,
        "nodes of every kind whose name or alias has TEXT as words or inside",
        "find magnets",
    ),
    kw(
        "list",
        Source,
        "nodes of a kind with their key fields",
        "list minerals where share(China) >= 0.8",
    ),
    kw(
        "depends",
        Source,
        "upstream: everything a node needs, down to raw minerals and producers",
        "depends defense depth 3",
    ),
    kw(
        "dependents",
        Source,
        "downstream: every product and industry that needs a node",
        "dependents germanium",
    ),
    kw(
        "exposure",
        Source,
        "how exposed a country, industry or country+industry is to a supplier",
        "exposure US semiconductors to China",
    ),
    kw(
        "path",
        Source,
        "shortest (or all) paths between two nodes",
        "path policy \"MOFCOM 2024 No.46\" to defense",
    ),
    kw(
        "neighbors",
        Source,
        "the k-hop neighbourhood of a node as a subgraph",
        "neighbors \"rare earth magnets\" depth 2",
    ),
    kw(
        "concentration",
        Source,
        "producers with shares, top share and HHI (0..10 000)",
        "concentration gallium stage refining",
    ),
    kw(
        "timeline",
        Source,
        "policies and events touching a node, in date order",
        "timeline germanium from 2023 to 2025-12",
    ),
    kw(
        "match",
        Source,
        "ad-hoc graph pattern with a RETURN list",
        "match (m:mineral)-[:used_in]->(i:industry) return m.name, i.name",
    ),
    kw(
        "graph",
        Source,
        "every node; `| export` writes the whole graph (the edges among the nodes come along)",
        "graph | export \"all.kuzu\"",
    ),
    kw(
        "depth",
        Clause,
        "how many hops to follow (at least 1)",
        "neighbors germanium depth 2",
    ),
    kw(
        "via",
        Clause,
        "only follow these edge kinds",
        "neighbors germanium via used_in, produces",
    ),
    kw(
        "to",
        Clause,
        "the second node of `exposure`, `path` or a scenario; the end date of `timeline`",
        "path germanium to defense",
    ),
    kw(
        "for",
        Clause,
        "`exposure`: only through these materials (a group covers its elements)",
        "exposure US to China for gallium, germanium",
    ),
    kw(
        "tiers",
        Clause,
        "`exposure`: follow imports through intermediate countries to their suppliers, at most N tiers (1 = direct only)",
        "exposure US to \"DR Congo\" tiers 2",
    ),
    kw(
        "all",
        Clause,
        "every path, not only the shortest",
        "path germanium to defense all max 4",
    ),
    kw(
        "max",
        Clause,
        "the longest path to consider, in hops",
        "path germanium to defense all max 4",
    ),
    kw(
        "stage",
        Clause,
        "the supply-chain stage (mining, refining, ...)",
        "concentration gallium stage refining",
    ),
    kw(
        "year",
        Clause,
        "the data year to use",
        "concentration gallium year 2023",
    ),
    kw(
        "from",
        Clause,
        "the start date of a `timeline`",
        "timeline germanium from 2023",
    ),
    kw(
        "where",
        Clause,
        "keep rows for which a condition holds",
        "list policies where effective >= 2023-01-01",
    ),
    kw(
        "return",
        Clause,
        "what a `match` returns",
        "match (m:mineral) return m.name",
    ),
    kw(
        "by",
        Clause,
        "the size of a supply cut",
        "assuming China cuts gallium by 50%",
    ),
    kw(
        "as of",
        Modifier,
        "evaluate on the graph as it stood on a date",
        "exposure US to China as of 2023-01-01",
    ),
    kw(
        "assuming",
        Modifier,
        "evaluate on a what-if copy of the graph",
        "exposure US to China assuming China bans antimony to US",
    ),
    kw(
        "bans",
        Scenario,
        "a country stops exports of a node (to one country)",
        "assuming China bans antimony to US",
    ),
    kw(
        "cuts",
        Scenario,
        "a country cuts exports of a node by a fraction",
        "assuming China cuts gallium by 50% to US",
    ),
    kw(
        "lifted",
        Scenario,
        "a policy no longer applies",
        "assuming \"MOFCOM 2024 No.46\" lifted",
    ),
    kw(
        "in force",
        Scenario,
        "a policy applies regardless of its dates",
        "assuming \"MOFCOM 2024 No.46\" in force",
    ),
    kw(
        "where",
        Stage,
        "keep rows for which a condition holds",
        "dependents antimony | where kind = industry",
    ),
    kw(
        "sort",
        Stage,
        "order rows by expressions",
        "list minerals | sort share(China) desc, name",
    ),
    kw(
        "take",
        Stage,
        "keep the first N rows",
        "dependents antimony | take 5",
    ),
    kw(
        "select",
        Stage,
        "choose and rename columns",
        "list minerals | select name, hhi() as hhi",
    ),
    kw(
        "count",
        Stage,
        "the number of rows",
        "list industries | count",
    ),
    kw(
        "chart",
        Stage,
        "sketch each series of the rows as a text chart, policy dates marked",
        "timeline germanium from 2023 | chart",
    ),
    kw(
        "group",
        Stage,
        "one row per distinct key, with aggregates: group by KEY, ... [aggregate count() as n, sum(x), ...]",
        "match (m:mineral)-[:used_in]->(i:industry) return m.name as mineral, i.id as industry | group by mineral aggregate count() as industries",
    ),
    kw(
        "explain",
        Stage,
        "the full derivation of each row under the table",
        "exposure US to China | take 2 | explain",
    ),
    kw(
        "export",
        Stage,
        "write the result's subgraph to a file",
        "neighbors germanium depth 2 | export \"ge.json\" force",
    ),
    kw(
        "as",
        Clause,
        "names a column, or an export format",
        "| select name as mineral",
    ),
    kw(
        "force",
        Clause,
        "replace an existing export file",
        "| export \"ge.json\" force",
    ),
    kw(
        "asc",
        Order,
        "sort ascending (the default)",
        "| sort name asc",
    ),
    kw("desc", Order, "sort descending", "| sort share(China) desc"),
    kw(
        "and",
        Operator,
        "both conditions hold",
        "where kind = mineral and hhi() > 2500",
    ),
    kw(
        "or",
        Operator,
        "either condition holds",
        "where kind = mineral or kind = product",
    ),
    kw(
        "not",
        Operator,
        "the condition does not hold",
        "where not kind = policy",
    ),
    kw(
        "in",
        Operator,
        "the value is one of a list",
        "where kind in (mineral, product)",
    ),
    kw(
        "true",
        Operator,
        "the boolean true",
        "where estimate = true",
    ),
    kw(
        "false",
        Operator,
        "the boolean false",
        "where estimate = false",
    ),
    kw("null", Operator, "a missing value", "where lifted = null"),
    kw(
        "help",
        Meta,
        "this help, or help on one topic",
        ".help exposure",
    ),
    kw(
        "schema",
        Meta,
        "node kinds, edge kinds and their properties",
        ".schema",
    ),
    kw("kinds", Meta, "node kinds with counts", ".kinds"),
    kw(
        "load",
        Meta,
        "load another graph file or folder",
        ".load graph/extra.json",
    ),
    kw("format", Meta, "set the result format", ".format json"),
    kw(
        "timing",
        Meta,
        "show how long each query takes",
        ".timing on",
    ),
    kw(
        "unsourced",
        Meta,
        "count facts marked unsourced in shares, HHI, reliance and exposure",
        ".unsourced on",
    ),
    kw(
        "tree",
        Meta,
        "draw depends and dependents as a tree",
        ".tree on",
    ),
    kw(
        "maxrows",
        Meta,
        "show at most N rows of a table in the shell (0: all)",
        ".maxrows 100",
    ),
    kw(
        "explain",
        Meta,
        "full derivations under every table (off: one line per row)",
        ".explain on",
    ),
    kw(
        "param",
        Meta,
        "set a parameter used as $NAME",
        ".param target \"rare earth magnets\"",
    ),
    kw(
        "sources",
        Meta,
        "show a source of the sources table",
        ".sources usgs-mcs-2025",
    ),
    kw("quit", Meta, "leave the REPL", ".quit"),
    kind(
        "mineral",
        "minerals",
        "a raw mineral or element",
        "show mineral:germanium",
    ),
    kind(
        "product",
        "products",
        "a processed material or component",
        "list products",
    ),
    kind(
        "industry",
        "industries",
        "an industry that uses minerals and products",
        "dependents antimony | where kind = industry",
    ),
    kind(
        "country",
        "countries",
        "a producing or consuming country",
        "show country:CN",
    ),
    kind(
        "policy",
        "policies",
        "an export control, ban, quota or tariff",
        "show policy:\"MOFCOM 2024 No.46\"",
    ),
    kind(
        "event",
        "events",
        "a dated event: price move, trade data, disruption",
        "list events",
    ),
    kind(
        "node",
        "nodes",
        "any kind (only in `list nodes`)",
        "list nodes where name = \"Germanium\"",
    ),
    kw(
        "produces",
        EdgeKind,
        "country → mineral/product: share of world production",
        "neighbors China via produces",
    ),
    kw(
        "reserves",
        EdgeKind,
        "country → mineral: share of world reserves",
        "neighbors China via reserves",
    ),
    kw(
        "import_reliance",
        EdgeKind,
        "country → mineral/product: net import reliance",
        "neighbors US via import_reliance",
    ),
    kw(
        "imports_from",
        EdgeKind,
        "country → country: share of imports of an item",
        "neighbors US via imports_from",
    ),
    kw(
        "used_in",
        EdgeKind,
        "mineral/product → product/industry, with dependence",
        "match (m)-[:used_in]->(i) return m.name",
    ),
    kw(
        "depends_on",
        EdgeKind,
        "industry → industry, with dependence",
        "neighbors defense via depends_on",
    ),
    kw(
        "issued_by",
        EdgeKind,
        "policy → country",
        "neighbors China via issued_by",
    ),
    kw(
        "restricts",
        EdgeKind,
        "policy → mineral/product, with measure and severity",
        "neighbors gallium via restricts",
    ),
    kw(
        "targets",
        EdgeKind,
        "policy → country it applies to",
        "neighbors US via targets",
    ),
    kw(
        "affects",
        EdgeKind,
        "event → any node, with a metric",
        "neighbors germanium via affects",
    ),
    kw(
        "caused_by",
        EdgeKind,
        "event → policy/event",
        "neighbors germanium depth 2 via affects, caused_by",
    ),
    kw(
        "responds_to",
        EdgeKind,
        "policy → policy/event",
        "neighbors germanium depth 2 via restricts, responds_to",
    ),
    kw(
        "member_of",
        EdgeKind,
        "country → country group",
        "neighbors Germany via member_of",
    ),
    kw(
        "feeds",
        EdgeKind,
        "mineral/product → mineral/product (made from, or recovered from its processing)",
        "neighbors zinc via feeds",
    ),
    kw(
        "table",
        OutputFormat,
        "aligned columns for people",
        ".format table",
    ),
    kw("json", OutputFormat, "one JSON document", ".format json"),
    kw(
        "jsonl",
        OutputFormat,
        "one JSON object per row",
        ".format jsonl",
    ),
    kw(
        "csv",
        OutputFormat,
        "comma-separated values with a header",
        ".format csv",
    ),
    kw(
        "markdown",
        OutputFormat,
        "a Markdown table",
        ".format markdown",
    ),
    kw(
        "json",
        ExportFormat,
        "critmin's native graph JSON (loads back with --graph)",
        "| export \"g.json\" as json",
    ),
    kw(
        "cytoscape",
        ExportFormat,
        "Cytoscape.js JSON",
        "| export \"g.cyjs\" as cytoscape",
    ),
    kw(
        "nodelink",
        ExportFormat,
        "networkx / D3 node-link JSON",
        "| export \"g.json\" as nodelink",
    ),
    kw(
        "graphml",
        ExportFormat,
        "GraphML for Gephi, yEd, networkx",
        "| export \"g.graphml\" as graphml",
    ),
    kw(
        "dot",
        ExportFormat,
        "Graphviz DOT",
        "| export \"g.dot\" as dot",
    ),
    kw(
        "cypher",
        ExportFormat,
        "Cypher statements for Neo4j or Memgraph",
        "| export \"g.cypher\" as cypher",
    ),
    kw(
        "kuzu",
        ExportFormat,
        "Cypher in the Kuzu/LadybugDB dialect",
        "| export \"g.kuzu\" as kuzu",
    ),
    kw(
        "csv",
        ExportFormat,
        "sources, nodes and edges as critmin's bulk CSV (loads back with --graph)",
        "| export \"g.csv\" as csv",
    ),
    kw(
        "neo4j-csv",
        ExportFormat,
        "CSV with neo4j-admin import headers (:ID, :START_ID, :TYPE, share:double)",
        "| export \"g.csv\" as neo4j-csv",
    ),
    kw(
        "pandas-csv",
        ExportFormat,
        "CSV with plain headers and ISO dates, for pandas and spreadsheets",
        "| export \"g.csv\" as pandas-csv",
    ),
    kw(
        "svg",
        ExportFormat,
        "a picture: the series as a chart, else the supply chain",
        "| export \"ge.svg\" as svg",
    ),
    kw(
        "html",
        ExportFormat,
        "a self-contained report: picture, chart, table, sources",
        "| export \"ge.html\" as html",
    ),
    func(
        "share",
        1,
        3,
        "world production share of COUNTRY in NODE, latest year of STAGE (default: mining, else the first stage with figures): share(NODE, COUNTRY[, STAGE])",
        "share(gallium, China, refining)",
    ),
    func(
        "import_reliance",
        1,
        2,
        "net import reliance of COUNTRY on NODE: import_reliance(COUNTRY, NODE)",
        "import_reliance(US, germanium)",
    ),
    func(
        "hhi",
        0,
        2,
        "Herfindahl–Hirschman index of NODE's producers at STAGE (default: mining, else the first stage with figures): hhi(NODE[, STAGE])",
        "hhi(gallium, refining)",
    ),
    func(
        "top_producer",
        0,
        2,
        "the largest producer of NODE at STAGE (default: mining, else the first stage with figures): top_producer(NODE[, STAGE])",
        "top_producer(gallium)",
    ),
    func(
        "top_share",
        0,
        2,
        "the share of NODE's largest producer at STAGE (default as for top_producer): top_share(NODE[, STAGE])",
        "top_share(gallium)",
    ),
    func(
        "dependence",
        1,
        2,
        "combined dependence of USER on NODE: dependence(USER, NODE)",
        "dependence(defense, antimony)",
    ),
    func(
        "exposure",
        1,
        2,
        "exposure score of TARGET to SUPPLIER: exposure(TARGET, SUPPLIER)",
        "exposure(US, China)",
    ),
    func(
        "contains",
        2,
        2,
        "whether a text contains another, ignoring case",
        "contains(name, \"rare\")",
    ),
    func(
        "status",
        0,
        1,
        "a policy's state on the evaluation day: announced, in force, partly suspended, suspended, lifted, expired",
        "status(\"MOFCOM 2024 No.46\")",
    ),
    func("lower", 1, 1, "a text in lower case", "lower(name)"),
    func(
        "count",
        0,
        1,
        "aggregate: rows in the group, or non-null values of X: count(), count(X)",
        "count()",
    ),
    func(
        "sum",
        1,
        1,
        "aggregate: the sum of the group's numbers",
        "sum(hhi())",
    ),
    func(
        "avg",
        1,
        1,
        "aggregate: the mean of the group's numbers",
        "avg(top_share())",
    ),
    func(
        "min",
        1,
        1,
        "aggregate: the group's smallest value",
        "min(hhi())",
    ),
    func(
        "max",
        1,
        1,
        "aggregate: the group's largest value",
        "max(top_share())",
    ),
    func(
        "collect",
        1,
        1,
        "aggregate: the group's non-null values as a list",
        "collect(name)",
    ),
    func("year", 1, 1, "the year of a date", "year(effective)"),
    func(
        "abs",
        1,
        1,
        "the absolute value of a number",
        "abs(share(China) - share(US))",
    ),
];

/// Human names of the categories, used by `.help` and "expected" lists.
pub const CATEGORY_TOPICS: &[(Category, &str, &str)] = &[
    (Source, "sources", "what a query starts with"),
    (Clause, "clauses", "optional clauses after a source's node"),
    (Modifier, "modifiers", "change the graph a query runs on"),
    (Scenario, "scenarios", "what-if verbs after `assuming`"),
    (Stage, "stages", "pipeline stages after `|`"),
    (
        Operator,
        "operators",
        "word operators and literals in expressions",
    ),
    (Order, "orders", "sort directions"),
    (Meta, "meta", "meta commands (REPL and files)"),
    (NodeKind, "kinds", "node kinds (singular or plural)"),
    (EdgeKind, "edges", "edge kinds"),
    (OutputFormat, "formats", "result formats for `.format`"),
    (
        ExportFormat,
        "exports",
        "file formats for `| export ... as`",
    ),
    (Function, "functions", "functions in expressions"),
];

/// The entries of one category, in table order.
pub fn keywords_in(category: Category) -> impl Iterator<Item = &'static Keyword> {
    KEYWORDS
        .iter()
        .filter(move |entry| entry.category == category)
}

/// The entry of `category` spelled `word` (case-insensitive; plural node kinds too).
pub fn lookup(category: Category, word: &str) -> Option<&'static Keyword> {
    keywords_in(category).find(|entry| {
        entry.word.eq_ignore_ascii_case(word)
            || entry
                .plural
                .is_some_and(|plural| plural.eq_ignore_ascii_case(word))
    })
}

/// Every word a REPL may complete: keywords, plurals and `.meta` commands.
pub fn completion_words() -> impl Iterator<Item = String> {
    KEYWORDS.iter().flat_map(|entry| {
        let main = if entry.category == Meta {
            format!(".{}", entry.word)
        } else {
            entry.word.to_string()
        };
        std::iter::once(main).chain(entry.plural.map(str::to_string))
    })
}

/// The words of a category as an "expected" list: `` `show` ``, `` `list` ``, ...
pub fn expected_words(category: Category) -> Vec<String> {
    let prefix = if category == Meta { "." } else { "" };
    keywords_in(category)
        .map(|entry| format!("`{prefix}{}`", entry.word))
        .collect()
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
/// Bounded: a word over 64 characters gets none, and a candidate whose
/// length differs by more than the allowed distance is not compared.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let chars = word.chars().count();
    if chars > 64 {
        return None;
    }
    let lower = word.to_lowercase();
    let max_distance = (chars / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|candidate| candidate.chars().count().abs_diff(chars) <= max_distance)
        .map(|candidate| (strsim::damerau_levenshtein(&lower, candidate), candidate))
        .filter(|(distance, _)| *distance <= max_distance)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// A "did you mean" hint among the words (and plurals) of a category.
pub fn suggest_in(category: Category, word: &str) -> Option<String> {
    let prefix = if category == Meta { "." } else { "" };
    let candidates = keywords_in(category)
        .flat_map(|entry| std::iter::once(entry.word).chain(entry.plural))
        .filter(|candidate| !candidate.contains(' '));
    suggest(word, candidates).map(|found| format!("did you mean `{prefix}{found}`?"))
}

/// The phrases a bare node name cannot start with, because they may follow a
/// node: clause, modifier and scenario words (`to`, `as of`, `in force`, ...),
/// but not `as` or `force` alone (`As` is arsenic).
pub fn stop_phrases() -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .filter(|entry| matches!(entry.category, Clause | Modifier | Scenario))
        .filter(|entry| !matches!(entry.word, "as" | "force"))
        .map(|entry| entry.word)
}
