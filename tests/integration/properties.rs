//! Property tests: whatever an editor types, a build either succeeds or returns
//! errors, never panics, and the HTML it writes parses without errors.

use std::path::Path;

use proptest::prelude::*;

use annals::content::meta::parse_report;
use annals::markdown::{MarkdownOptions, render};
use annals::pipeline::{BuildOptions, build};

/// Text made mostly of the characters Markdown, YAML and HTML give meaning to.
fn markup() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("---\n".to_string()),
        Just("# ".to_string()),
        Just("## 一、".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("```".to_string()),
        Just("    ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[x](".to_string()),
        Just("](javascript:alert(1))".to_string()),
        Just("![".to_string()),
        Just("[^1]".to_string()),
        Just("<script>".to_string()),
        Just("</div>".to_string()),
        Just("<div>".to_string()),
        Just("<!--".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("&amp;".to_string()),
        Just("\\".to_string()),
        Just("title: ".to_string()),
        Just("date: 2023-03-10\n".to_string()),
        Just("source: 甲局\n".to_string()),
        Just("tags: [".to_string()),
        Just(": ".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        "[a-z0-9年报告。，（）]{1,8}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// A report file: sometimes with valid front matter, sometimes anything at all.
fn report_text() -> impl Strategy<Value = String> {
    prop_oneof![
        markup().prop_map(|body| format!(
            "---\ntitle: 报告\ndate: 2023-03-10\nsource: 甲局\n---\n{body}"
        )),
        (markup(), markup()).prop_map(|(yaml, body)| format!("---\n{yaml}\n---\n{body}")),
        markup(),
        any::<String>(),
    ]
}

fn write_site(dir: &Path, report: &[u8], unsafe_html: bool) {
    std::fs::create_dir_all(dir.join("content/2023")).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "title = \"测试\"\nbase_url = \"https://t.example.gov.cn\"\n[markdown]\nunsafe_html = {unsafe_html}\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("content/2023/r.md"), report).unwrap();
}

/// Parse errors of an HTML document or fragment, ignoring the missing doctype of fragments.
fn html_errors(html: &str, fragment: bool) -> Vec<String> {
    let parsed = if fragment {
        scraper::Html::parse_fragment(html)
    } else {
        scraper::Html::parse_document(html)
    };
    parsed.errors.iter().map(|e| e.to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_parser_never_panics(text in report_text()) {
        let _ = parse_report(&text);
    }

    #[test]
    fn rendered_markdown_is_well_formed(body in markup(), unsafe_html in any::<bool>()) {
        let opts = MarkdownOptions { unsafe_html, auto_outline: true, ..MarkdownOptions::default() };
        let rendered = render(&body, &opts);
        let errors = html_errors(&rendered.html, true);
        prop_assert!(errors.is_empty(), "{errors:?} in\n{}", rendered.html);
        if !unsafe_html {
            prop_assert!(!rendered.html.contains("<script"));
        }
    }
}

proptest! {
    // Whole builds touch the disk; fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_report_file_builds_or_fails_cleanly(
        text in report_text(),
        raw_bytes in prop::collection::vec(any::<u8>(), 0..64),
        use_bytes in any::<bool>(),
        unsafe_html in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let report = if use_bytes { raw_bytes } else { text.into_bytes() };
        write_site(dir.path(), &report, unsafe_html);
        let options = BuildOptions { root: dir.path().to_path_buf(), ..BuildOptions::default() };
        match build(&options) {
            Ok(_) => {
                // The report may have chosen another slug; every page must parse cleanly.
                for entry in walkdir::WalkDir::new(dir.path().join("public")) {
                    let entry = entry.unwrap();
                    if entry.path().extension().is_some_and(|e| e == "html") {
                        let html = std::fs::read_to_string(entry.path()).unwrap();
                        let errors = html_errors(&html, false);
                        prop_assert!(errors.is_empty(), "{errors:?} in {}", entry.path().display());
                    }
                }
            }
            Err(diagnostics) => {
                prop_assert!(diagnostics.has_errors());
                for d in diagnostics.items.iter().filter(|d| d.is_error()) {
                    prop_assert!(d.file.is_some(), "error without a file: {d}");
                    prop_assert!(!d.message.is_empty());
                }
                prop_assert!(!dir.path().join("public").exists(), "a failed build published");
            }
        }
    }
}

#[test]
fn the_well_formedness_check_catches_broken_html() {
    for broken in [
        "<div><p>x",
        "<p>x</span></p>",
        "<table><td>x</td></table><div>",
        "<a href=\"x>y</a>",
    ] {
        assert!(
            !html_errors(broken, true).is_empty(),
            "not caught: {broken}"
        );
    }
    assert!(html_errors("<div><p>x</p><ul><li>a</li></ul></div>", true).is_empty());
}
