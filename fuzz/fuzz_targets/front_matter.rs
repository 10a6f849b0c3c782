//! Any bytes as a report file: decoding (BOM, CRLF, legacy encodings) and the
//! front matter parser must return a value or a diagnostic, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

use annals::content::{meta, source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = source::decode(data) else {
        return;
    };
    if let Ok((report, body, body_line)) = meta::parse_report(&text) {
        assert!(body_line >= 1);
        assert!(text.ends_with(body));
        assert!(!report.title.trim().is_empty());
        assert!(!report.source.trim().is_empty());
    }
    let _ = meta::parse_section(&text, "fuzz");
});
