//! The JSON loader: any bytes give a graph or located problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match critmin::load::load_texts(&[("fuzz.json", &text)]) {
        Ok(loaded) => {
            let _ = critmin::export::native::to_json(&loaded.graph, None);
        }
        Err(failure) => {
            let _ = failure.to_string();
        }
    }
});
