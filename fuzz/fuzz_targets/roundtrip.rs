//! parse → print → parse: the printed text parses to the same statement
//! (spans aside) and printing is a fixed point.
#![no_main]

use critmin::syntax::WalkSpans;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(statement) = critmin::syntax::parse_statement(text) else {
        return;
    };
    let printed = statement.to_string();
    let reparsed = match critmin::syntax::parse_statement(&printed) {
        Ok(reparsed) => reparsed,
        Err(err) => panic!("{text:?} printed as {printed:?}, which does not parse: {err}"),
    };
    assert_eq!(
        statement.without_spans(),
        reparsed.without_spans(),
        "{text:?} printed as {printed:?}"
    );
    assert_eq!(printed, reparsed.to_string(), "display is not a fixed point");
});
