//! The query parser: any text gives statements or a syntax error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for statement in critmin::syntax::parse_script_each(text) {
        if let Err(err) = statement {
            let _ = err.to_string();
        }
    }
});
