//! Tests of the query-language front end: conformance examples, round trips
//! through `Display`, error messages, limits and a no-panic property.

use critmin::syntax::{
    Arg, Expr, MetaCommand, Source, Span, Statement, SyntaxError, SyntaxErrorKind, WalkSpans, help,
    line_col, parse_script, parse_statement,
};

/// The conformance examples of DESIGN.md, verbatim.
const CONFORMANCE: &[&str] = &[
    "show germanium",
    "show Ge",
    "show country:CN",
    "list minerals where share(China) >= 0.8 | sort share(China) desc",
    "list policies where effective >= 2023-01-01 | sort effective",
    "depends defense depth 3",
    "dependents germanium",
    "dependents antimony | where kind = industry | take 5",
    "exposure US to China",
    "exposure US semiconductors to China",
    "exposure defense to policy \"MOFCOM 2024 No.46\"",
    "exposure US to China as of 2023-01-01",
    "exposure US to China as of 2025-07-01",
    "exposure US to China assuming China bans antimony to US",
    "path policy \"MOFCOM 2024 No.46\" to defense",
    "neighbors \"rare earth magnets\" depth 2",
    "concentration gallium stage refining",
    "timeline germanium from 2023 to 2025-12",
    "match (m:mineral)-[:used_in]->(i:industry) where share(m, China) > 0.5 return m.name, i.name",
    "list industries | count",
    "neighbors germanium depth 2 | export \"ge.json\" force",
];

/// More queries covering every construct.
const MORE: &[&str] = &[
    "SHOW germanium",
    "show \"Türkiye\"",
    "show Türkiye",
    "show In",
    "show As as of 2024",
    "show policy:\"MOFCOM 2024 No.46\"",
    "show $node",
    "list nodes",
    "list mineral where not kind = policy and name != \"x\" or hhi() > 2500",
    "list minerals where kind in (mineral, product) | select name, hhi() as concentration",
    "list minerals where kind not in (mineral)",
    "list minerals where (share(China) + share(Russia)) * 100 >= 80% | take 3",
    "list minerals where -share(US) < -0.5 and year(effective) = 2025",
    "list policies where effective >= 2023-01-01 and lifted = null | sort effective desc, name asc",
    "list minerals where share(m, China, refining) > 0.5 or estimate = true or estimate = false",
    "list minerals where a - (b - c) > a - b - c",
    "list minerals where a / (b * c) > 2 * 3 / 4",
    "list minerals where not not (a = 1 or b = 2)",
    "list minerals where contains(name, \"rare \\\"earth\\\"\")",
    "list minerals where import_reliance(US, germanium) >= $threshold",
    "list minerals where share(country:CN) > 0.5",
    "depends defense",
    "depends defense depth $d",
    "dependents antimony depth 2 | where kind = industry | sort dependence desc | take 5",
    "exposure country:US industry:semiconductors to China",
    "exposure $target to $supplier",
    "exposure US to China assuming China cuts gallium by 50% to US",
    "exposure US to China assuming China cuts gallium by 0.25",
    "exposure US to China assuming \"MOFCOM 2024 No.46\" lifted as of 2025-07-01",
    "exposure US to China as of 2025-07-01 assuming policy \"MOFCOM 2024 No.46\" in force",
    "exposure US to China as of $date",
    "path germanium to defense all max 4",
    "path germanium to defense max 4 all",
    "neighbors germanium via used_in, produces depth 2",
    "neighbors germanium depth 1 via restricts",
    "concentration gallium",
    "concentration gallium year 2023 stage mining",
    "timeline germanium",
    "timeline germanium to 2025",
    "timeline germanium from 2024-02-29",
    "match (m:mineral)-[:used_in*1..3]->(i:industry) return m.name as mineral, i.name",
    "match (m)<-[r:produces]-(c:country {name: \"China\", estimate: false}) return c.name, r.share",
    "match ()-[:used_in|depends_on*]->(i) return i",
    "match (a)-->(b)<--(c)--(d) return a, b, c, d",
    "match (a)-[*..2]-(b) return a",
    "match (a)-[*2..]->(b) return a",
    "match (a)-[*3]->(b) return a",
    "match (p:policy)-[:restricts]->(m) return p.name as of 2024",
    "neighbors germanium depth 2 | export \"ge.graphml\" as graphml",
    "neighbors germanium | export $file as cypher force",
    "list minerals | select name as n, 1 + 2 as three",
    ".help",
    ".help exposure",
    ".schema",
    ".kinds",
    ".load graph/extra.json",
    ".load \"my graphs/extra.json\"",
    ".format json",
    ".FORMAT markdown",
    ".timing on",
    ".timing off",
    ".param target \"rare earth magnets\"",
    ".param $depth 3",
    ".sources usgs-mcs-2025",
    ".quit",
    "concentration gallium stage refining year 2023",
    "match (c:country {name: \"China\"})-[:produces]->(m) return m.name",
    "list minerals | where kind = industry and not name in (\"x\", \"y\")",
    "list minerals where (a or b) or c and (d and e)",
    "list minerals where a = (b = c)",
    "list minerals where -(-5) < --5",
    "list minerals where 3d-printing = rare-earths",
    "show C.O.2",
    ".param target US",
    ".param cc country:CN",
    ".help \"in force\"",
];

fn parse_one(text: &str) -> Statement {
    match parse_statement(text) {
        Ok(statement) => statement,
        Err(err) => panic!(
            "{text:?} failed: {err} (expected {:?}, hint {:?})",
            err.expected, err.hint
        ),
    }
}

/// Parses, prints, reparses and compares ignoring spans; checks spans point into the text.
fn check_round_trip(text: &str) {
    let statement = parse_one(text);
    let printed = statement.to_string();
    let reparsed = parse_one(&printed);
    assert_eq!(
        statement.without_spans(),
        reparsed.without_spans(),
        "{text:?} printed as {printed:?}"
    );
    assert_eq!(
        printed,
        reparsed.to_string(),
        "display is not a fixed point for {text:?}"
    );
    let mut spans = Vec::new();
    statement.clone().walk_spans(&mut |span| spans.push(*span));
    for span in spans {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "bad span {span:?} in {text:?}"
        );
    }
}

#[test]
fn conformance_examples_parse_and_round_trip() {
    for text in CONFORMANCE {
        check_round_trip(text);
    }
}

#[test]
fn more_queries_round_trip() {
    for text in MORE {
        check_round_trip(text);
    }
}

fn error_of(text: &str) -> SyntaxError {
    match parse_script(text) {
        Ok(statements) => panic!("{text:?} parsed: {statements:?}"),
        Err(err) => err,
    }
}

/// Checks kind, message fragment and optional hint fragment; messages stay clean.
fn check_error(
    text: &str,
    kind: SyntaxErrorKind,
    message_part: &str,
    hint_part: Option<&str>,
) -> SyntaxError {
    let err = error_of(text);
    assert_eq!(err.kind, kind, "{text:?}: {err:?}");
    assert!(
        err.message.contains(message_part),
        "{text:?}: message {:?}",
        err.message
    );
    assert!(
        !err.message.ends_with('.'),
        "{text:?}: message ends with a full stop"
    );
    assert_eq!(
        err.message,
        err.message.to_lowercase(),
        "{text:?}: message not lowercase"
    );
    for internal in ["Tag", "Alt", "ErrorKind", "Char"] {
        assert!(
            !err.message.contains(internal),
            "{text:?}: nom internals in {:?}",
            err.message
        );
    }
    if let Some(hint_part) = hint_part {
        let hint = err.hint.clone().unwrap_or_default();
        assert!(hint.contains(hint_part), "{text:?}: hint {hint:?}");
    }
    assert!(
        err.span.start <= err.span.end && err.span.end <= text.len(),
        "{text:?}: span {:?}",
        err.span
    );
    err
}

use SyntaxErrorKind as K;

#[test]
fn error_unclosed_quote() {
    let err = check_error("show \"germanium", K::UnclosedQuote, "unclosed quote", None);
    assert_eq!(err.span, Span::new(5, 15));
}

#[test]
fn error_unknown_keyword_suggests() {
    let err = check_error(
        "shwo germanium",
        K::UnknownKeyword,
        "unknown command `shwo`",
        Some("`show`"),
    );
    assert_eq!(err.span, Span::new(0, 4));
    assert!(err.expected.contains(&"`show`".to_string()));
}

#[test]
fn error_missing_node_after_show() {
    let err = check_error(
        "show",
        K::Unexpected,
        "expected a node name, found end of input",
        None,
    );
    assert_eq!(err.span, Span::new(4, 4));
}

#[test]
fn error_take_negative() {
    check_error(
        "list minerals | take -1",
        K::InvalidCount,
        "found `-1`",
        None,
    );
}

#[test]
fn error_take_fraction() {
    check_error(
        "list minerals | take 1.5",
        K::InvalidCount,
        "found `1.5`",
        None,
    );
}

#[test]
fn error_depth_zero() {
    check_error(
        "depends defense depth 0",
        K::InvalidCount,
        "at least 1",
        None,
    );
}

#[test]
fn error_invalid_date() {
    let err = check_error(
        "exposure US to China as of 2025-13-40",
        K::InvalidDate,
        "`2025-13-40` is not a valid date",
        None,
    );
    assert_eq!(err.span, Span::new(27, 37));
    check_error(
        "timeline germanium from 2023-02-29",
        K::InvalidDate,
        "not a valid date",
        None,
    );
    check_error(
        "list policies where effective >= 2023-00-01",
        K::InvalidDate,
        "not a valid date",
        None,
    );
    check_error(
        "timeline germanium from soon",
        K::Unexpected,
        "expected a date",
        None,
    );
}

#[test]
fn error_unknown_function() {
    check_error(
        "list minerals where shar(China) > 0.5",
        K::UnknownFunction,
        "unknown function `shar`",
        Some("`share`"),
    );
}

#[test]
fn error_wrong_arity() {
    check_error(
        "list minerals where share() > 0.5",
        K::WrongArity,
        "`share` takes 1 to 3 arguments, found 0",
        None,
    );
    check_error(
        "list minerals where lower(a, b) = 1",
        K::WrongArity,
        "takes 1 argument, found 2",
        None,
    );
}

#[test]
fn error_unknown_stage() {
    let err = check_error(
        "list minerals | sorta name",
        K::UnknownStage,
        "unknown stage `sorta`",
        Some("`sort`"),
    );
    assert!(err.expected.contains(&"`take`".to_string()));
    check_error("list minerals |", K::Unexpected, "found end of input", None);
}

#[test]
fn error_unknown_export_format() {
    check_error(
        "neighbors germanium | export \"g.xml\" as xml",
        K::UnknownExportFormat,
        "unknown export format `xml`",
        None,
    );
    check_error(
        "neighbors germanium | export \"g.x\" as grapml",
        K::UnknownExportFormat,
        "grapml",
        Some("`graphml`"),
    );
}

#[test]
fn error_trailing_garbage() {
    let err = check_error(
        "show germanium extra",
        K::TrailingInput,
        "found `extra`",
        None,
    );
    assert!(
        err.expected.contains(&"`|`".to_string()),
        "{:?}",
        err.expected
    );
    assert_eq!(err.span, Span::new(15, 20));
    check_error(
        "depends defense depth 3 banana",
        K::TrailingInput,
        "`depth`",
        None,
    );
}

#[test]
fn error_unbalanced_parentheses() {
    check_error(
        "list minerals where (share(China) > 0.5",
        K::UnbalancedBracket,
        "expected `)`",
        None,
    );
    check_error(
        "list minerals where share(China) > 0.5)",
        K::UnbalancedBracket,
        "unmatched `)`",
        None,
    );
    check_error(
        "match (m:mineral return m",
        K::UnbalancedBracket,
        "expected `)`",
        None,
    );
}

#[test]
fn error_deep_nesting_is_clean() {
    let deep = format!("list minerals where {}1", "(".repeat(10_000));
    check_error(&deep, K::TooDeep, "nested too deeply", None);
    let nots = format!("list minerals where {}true", "not ".repeat(10_000));
    check_error(&nots, K::TooDeep, "nested too deeply", None);
    let minus = format!("list minerals where {}1 > 0", "-".repeat(10_000));
    check_error(&minus, K::TooDeep, "nested too deeply", None);
    let calls = format!(
        "list minerals where {}1{}",
        "abs(".repeat(10_000),
        ")".repeat(10_000)
    );
    check_error(&calls, K::TooDeep, "nested too deeply", None);
    let in_lists = format!("list minerals where {}1", "a in (".repeat(10_000));
    check_error(&in_lists, K::TooDeep, "nested too deeply", None);
}

#[test]
fn nesting_within_limit_parses() {
    let depth = 60;
    let text = format!(
        "list minerals where {}1{} = 1",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    check_round_trip(&text);
}

#[test]
fn one_megabyte_queries() {
    let clauses = vec!["hhi() > 1"; 100_000].join(" or ");
    let text = format!("list minerals where {clauses}");
    assert!(text.len() > 1_000_000);
    let statement = parse_one(&text);
    assert_eq!(statement.to_string(), text);
    let name = "x".repeat(1_000_000);
    let quoted = format!("show \"{name}\"");
    assert!(matches!(parse_one(&quoted), Statement::Query(_)));
    let err = error_of(&format!("show germanium {name}"));
    assert!(
        err.message.len() < 200,
        "message too long: {}",
        err.message.len()
    );
    let many = "show germanium\n".repeat(70_000);
    assert_eq!(
        parse_script(&many).map(|statements| statements.len()),
        Ok(70_000)
    );
}

#[test]
fn empty_and_comment_only_input() {
    assert_eq!(parse_script(""), Ok(Vec::new()));
    assert_eq!(parse_script("   \n\t\n"), Ok(Vec::new()));
    assert_eq!(parse_script("# only a comment"), Ok(Vec::new()));
    assert_eq!(parse_script("# one\n\n  # two\n;;"), Ok(Vec::new()));
    assert_eq!(parse_statement("").map_err(|err| err.kind), Err(K::Empty));
    assert_eq!(
        parse_statement("show Ge; show Ga").map_err(|err| err.kind),
        Err(K::MultipleStatements)
    );
}

#[test]
fn non_ascii_names() {
    let Statement::Query(query) = parse_one("show \"Türkiye\" # the country") else {
        panic!("not a query");
    };
    let Source::Show {
        node: Arg::Lit(node),
        ..
    } = query.source
    else {
        panic!("not show");
    };
    assert_eq!(node.name, "Türkiye");
    assert!(node.quoted);
    assert_eq!(node.span, Span::new(5, 15));
    let err = error_of("show Türkiye extra");
    assert_eq!(line_col("show Türkiye extra", err.span.start), (1, 14));
}

#[test]
fn statement_separation() {
    let script = "show Ge; show Ga\n\
                  # comment line\n\
                  list minerals |\n  where hhi() > 2500 # trailing comment\n\
                  | sort hhi() desc\n\
                  list minerals where kind in (mineral,\n product)\n\
                  show \"two\nlines\"\n\
                  .help stages";
    let statements = match parse_script(script) {
        Ok(statements) => statements,
        Err(err) => panic!("{err:?}"),
    };
    let printed: Vec<String> = statements.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        [
            "show Ge",
            "show Ga",
            "list minerals | where hhi() > 2500 | sort hhi() desc",
            "list minerals where kind in (mineral, product)",
            "show \"two\\nlines\"",
            ".help stages",
        ]
    );
    let third = statements[2].span();
    assert_eq!(line_col(script, third.start), (3, 1));
    assert_eq!(&script[third.range()].lines().count(), &3);
}

#[test]
fn error_positions_are_script_offsets() {
    let script = "show Ge\nshow Ga\nshwo Sb";
    let err = error_of(script);
    assert_eq!(line_col(script, err.span.start), (3, 1));
}

#[test]
fn node_words_and_keywords() {
    let Statement::Query(query) = parse_one("exposure US semiconductors to China") else {
        panic!("not a query");
    };
    let Source::Exposure {
        target,
        industry,
        supplier,
        ..
    } = query.source
    else {
        panic!("not exposure");
    };
    assert_eq!(target.lit().map(|node| node.name.as_str()), Some("US"));
    assert_eq!(
        industry
            .as_ref()
            .and_then(Arg::lit)
            .map(|node| node.name.as_str()),
        Some("semiconductors")
    );
    assert_eq!(supplier.lit().map(|node| node.name.as_str()), Some("China"));
    let Statement::Query(query) = parse_one("exposure defense to policy \"MOFCOM 2024 No.46\"")
    else {
        panic!("not a query");
    };
    let Source::Exposure {
        supplier: Arg::Lit(policy),
        ..
    } = query.source
    else {
        panic!("not exposure");
    };
    assert_eq!(
        policy.kind.as_ref().map(|(kind, _)| kind.as_str()),
        Some("policy")
    );
    assert_eq!(policy.name, "MOFCOM 2024 No.46");
    check_error(
        "show to",
        K::Unexpected,
        "expected a node name, found `to`",
        None,
    );
    check_error(
        "show contry:CN",
        K::UnknownNodeKind,
        "unknown node kind `contry`",
        Some("`country`"),
    );
}

#[test]
fn percentages_and_numbers() {
    let Statement::Query(query) = parse_one("list minerals where share(China) >= 80%") else {
        panic!("not a query");
    };
    let Some(Source::List {
        filter: Some(Expr::Binary { rhs, .. }),
        ..
    }) = Some(query.source)
    else {
        panic!("not a comparison");
    };
    let Expr::Number(number) = *rhs else {
        panic!("not a number")
    };
    assert!((number.value - 0.8).abs() < 1e-12);
    assert_eq!(number.text, "80%");
    check_error(
        "list minerals where a > 1.2.3",
        K::InvalidNumber,
        "not a number",
        None,
    );
    check_error(
        "exposure US to China assuming China cuts gallium by 150%",
        K::InvalidFraction,
        "fraction",
        None,
    );
}

#[test]
fn documented_decisions() {
    check_error(
        "list minerals where 5-3 > 1",
        K::InvalidNumber,
        "subtract with spaces",
        None,
    );
    check_error(
        "list minerals where a = b = c",
        K::TrailingInput,
        "found `=`",
        None,
    );
    let Statement::Query(query) =
        parse_one("list minerals where effective >= 2025 and since < 2025-06")
    else {
        panic!("not a query");
    };
    let Source::List {
        filter: Some(Expr::Logical { operands, .. }),
        ..
    } = query.source
    else {
        panic!("not a logical chain");
    };
    assert!(matches!(&operands[0], Expr::Binary { rhs, .. } if matches!(**rhs, Expr::Number(_))));
    assert!(matches!(&operands[1], Expr::Binary { rhs, .. } if matches!(**rhs, Expr::Date(_))));
    let long_chain = vec!["a = 1"; 500].join(" or ");
    let Statement::Query(query) = parse_one(&format!("list minerals where {long_chain}")) else {
        panic!("not a query");
    };
    let Source::List {
        filter: Some(Expr::Logical { operands, .. }),
        ..
    } = query.source
    else {
        panic!("not a logical chain");
    };
    assert_eq!(operands.len(), 500);
    let sums = vec!["1"; 200].join(" + ");
    check_error(
        &format!("list minerals where {sums} > 0"),
        K::TooDeep,
        "nested too deeply",
        None,
    );
}

#[test]
fn more_errors() {
    check_error(
        ".foo",
        K::UnknownMetaCommand,
        "unknown meta command `.foo`",
        None,
    );
    check_error(
        ".fromat json",
        K::UnknownMetaCommand,
        "`.fromat`",
        Some("`.format`"),
    );
    check_error(
        ".format xml",
        K::UnknownOutputFormat,
        "unknown output format `xml`",
        None,
    );
    check_error(
        "list mineralz",
        K::UnknownNodeKind,
        "unknown node kind `mineralz`",
        Some("`mineral"),
    );
    check_error(
        "neighbors germanium via used_on",
        K::UnknownEdgeKind,
        "`used_on`",
        Some("`used_in`"),
    );
    check_error(
        "show germanium as of 2024 as of 2025",
        K::DuplicateClause,
        "only once",
        None,
    );
    check_error(
        "neighbors germanium depth 1 depth 2",
        K::DuplicateClause,
        "only once",
        None,
    );
    check_error(
        "show germanium as off 2024",
        K::Unexpected,
        "expected `of`",
        None,
    );
    check_error("exposure US", K::Unexpected, "expected `to`", None);
    check_error(
        "exposure US to China assuming China sells antimony",
        K::Unexpected,
        "`bans`",
        None,
    );
    check_error(
        "match (a)-[:used_in*3..1]->(b) return a",
        K::InvalidCount,
        "empty",
        None,
    );
    check_error(
        "match (a)<-[:used_in]->(b) return a",
        K::Unexpected,
        "one way",
        None,
    );
    check_error(
        "list minerals where",
        K::Unexpected,
        "expected an expression, found end of input",
        None,
    );
    check_error(
        "list minerals where name = $",
        K::Unexpected,
        "parameter name",
        None,
    );
}

#[test]
fn help_comes_from_the_keyword_table() {
    let overview = help(None).unwrap_or_default();
    for word in [
        "show", "exposure", "| export", ".param", "share", "used_in", "minerals",
    ] {
        let word = word.trim_start_matches("| ");
        assert!(overview.contains(word), "overview lacks {word}");
    }
    let exposure = help(Some("exposure")).unwrap_or_default();
    assert!(
        exposure.contains("example: exposure US semiconductors to China"),
        "{exposure}"
    );
    assert!(
        help(Some("functions"))
            .unwrap_or_default()
            .contains("import_reliance(US, germanium)")
    );
    assert!(help(Some(".format")).is_ok());
    let err = help(Some("exposur")).err();
    assert_eq!(err.as_ref().map(|err| err.kind), Some(K::UnknownHelpTopic));
    assert_eq!(
        err.and_then(|err| err.hint),
        Some("did you mean `exposure`?".to_string())
    );
    let words: Vec<String> = critmin::syntax::completion_words().collect();
    for word in ["show", ".help", "minerals", "used_in", "graphml", "share"] {
        assert!(
            words.iter().any(|candidate| candidate == word),
            "completion lacks {word}"
        );
    }
}

#[test]
fn meta_commands() {
    let Statement::Meta(meta) = parse_one(".param target \"rare earth magnets\"") else {
        panic!("not meta");
    };
    let MetaCommand::Param { name, value } = meta.command else {
        panic!("not param")
    };
    assert_eq!(name.value, "target");
    assert!(matches!(value, Expr::Str(_)));
    check_error(
        ".quit now",
        K::TrailingInput,
        "expected end of statement",
        None,
    );
    check_error(".timing maybe", K::Unexpected, "`on`", None);
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\ncdé f", 0), (1, 1));
    assert_eq!(line_col("ab\ncdé f", 3), (2, 1));
    assert_eq!(line_col("ab\ncdé f", 7), (2, 4));
    assert_eq!(line_col("ab\ncdé f", 6), (2, 3));
    assert_eq!(line_col("ab", 99), (1, 3));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
            let _ = parse_script(&text);
        }

        #[test]
        fn query_shaped_text_never_panics(
            words in proptest::collection::vec(
                prop::sample::select(vec![
                    "show", "list", "match", "exposure", "to", "as", "of", "assuming", "bans", "cuts", "by",
                    "|", "where", "sort", "take", "select", "count", "export", "(", ")", "[", "]", "{", "}",
                    "-", "->", "<-", ":", ",", "\"", "#", ";", "\n", "$x", "1", "-1", "2024-13-01", "2025",
                    "80%", "and", "or", "not", "in", "share", "germanium", "country:CN", "=", ">=", "*", "..",
                    ".help", ".format", "depth", "via", "used_in", "minerals", "Türkiye", "é", "\\",
                ]),
                0..24,
            )
        ) {
            let text = words.join(" ");
            if let Ok(statements) = parse_script(&text) {
                for statement in statements {
                    let printed = statement.to_string();
                    let reparsed = parse_statement(&printed);
                    prop_assert!(reparsed.is_ok(), "{text:?} printed as {printed:?}: {reparsed:?}");
                    if let Ok(reparsed) = reparsed {
                        prop_assert_eq!(statement.without_spans(), reparsed.without_spans());
                    }
                }
            }
        }
    }
}
