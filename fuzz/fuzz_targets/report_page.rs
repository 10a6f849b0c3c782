//! The whole report pipeline in memory: front matter, the site model, Markdown
//! (escaped and sanitized) and the report page template. Must never panic, and a
//! page rendered with raw HTML escaped must hold no markup from the input.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

use annals::config::Config;
use annals::content::{LoadedContent, ReportSource, meta};
use annals::diagnostics::Diagnostics;
use annals::markdown;
use annals::model::{ModelOptions, Site};
use annals::pages::report::page_context;
use annals::pipeline;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok((report_meta, body, body_line)) = meta::parse_report(text) else {
        return;
    };
    // A folder that does not exist: no site templates, only the built-in theme.
    let root = Path::new("/nonexistent-annals-fuzz-site");
    let mut config = Config::defaults(root);
    config.markdown.unsafe_html = flags & 1 == 1;
    if flags & 4 == 4 {
        config.markdown.iframe_hosts = vec!["player.example.gov.cn".into()];
    }
    config.markdown.outline = if flags & 2 == 2 {
        annals::config::OutlineMode::Auto
    } else {
        annals::config::OutlineMode::Off
    };
    let loaded = LoadedContent {
        sections: Vec::new(),
        reports: vec![ReportSource {
            file: PathBuf::from("content/2023/fuzz.md"),
            dir: "2023".into(),
            stem: "fuzz".into(),
            meta: report_meta,
            body: body.to_string(),
            body_line,
        }],
        assets: Vec::new(),
    };
    let mut diagnostics = Diagnostics::default();
    let site = Site::build(
        config,
        root,
        loaded,
        &ModelOptions { drafts: true },
        &mut diagnostics,
    );
    if diagnostics.has_errors() {
        return;
    }
    let rendered = pipeline::render_markdown(&site);
    let renderer = pipeline::renderer_for(&site).expect("the built-in theme loads");
    let html = renderer
        .render("report.html", page_context(&site, 0, &rendered[0], "", None))
        .expect("the built-in report template renders any report");
    assert!(html.contains("</html>"));
    let opts = markdown::MarkdownOptions::default();
    let escaped = markdown::render(body, &opts);
    assert!(
        !escaped.html.contains("<script"),
        "raw HTML got through: {}",
        escaped.html
    );
});
