//! `build`, `check` and `serve` run the same stages: the same site gives the
//! same files through `build` and through the `serve` machinery, and the same
//! errors; statistics written as a block reach every page that uses them.

use crate::common::*;

use std::path::Path;

use annals::incremental::Session;
use annals::pipeline::{self, BuildOptions};

fn options(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        // As `serve` does: its own address, the same for both here.
        base_url: Some("http://127.0.0.1:1111".into()),
        ..BuildOptions::default()
    }
}

/// Builds `root` with `build` and with a serve session; asserts the two folders
/// hold the same files with the same bytes.
fn assert_same_output(root: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built");
    let served = dir.path().join("served");
    pipeline::build(&options(root, &built)).unwrap_or_else(|d| panic!("build: {:?}", d.items));
    let mut session = Session::new(options(root, &served), &served);
    session
        .rebuild_all()
        .unwrap_or_else(|d| panic!("serve: {:?}", d.items));
    let files = |dir: &Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        snapshot(dir)
            .into_iter()
            .filter(|(p, _)| p != Path::new(annals::output::MARKER))
            .collect()
    };
    let (a, b) = (files(&built), files(&served));
    let names = |v: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
        v.iter().map(|(p, _)| p.clone()).collect()
    };
    assert_eq!(names(&a), names(&b), "different files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between build and serve", path.display());
    }
    assert!(a.len() > 20, "too few files: {}", a.len());
}

/// A 政府信息公开 report whose statistics are a block in the body.
const BLOCK_REPORT: &str = "## 三、收到和处理政府信息公开申请情况\n\n本年新收申请3件。\n\n\
```disclosure-table 三\n```\n\n\
```disclosure-stats\n申请:\n  本年新收: {自然人: 3}\n  上年结转: {自然人: 1}\n  办理结果:\n    予以公开: {自然人: 2}\n  结转下年度继续办理: {自然人: 2}\n```\n";

fn block_site() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "xxgk/b-2023.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "测试局",
        "category: 政府信息公开工作年度报告\n",
        BLOCK_REPORT,
    );
    site.report(
        "xxgk/other.md",
        "其他报告",
        "2024-01-02",
        "测试局",
        "",
        "正文。\n",
    );
    site
}

#[test]
fn demo_site_is_the_same_through_build_and_serve() {
    assert_same_output(&demo_root());
}

#[test]
fn block_statistics_are_the_same_through_build_and_serve() {
    let site = block_site();
    assert_same_output(site.path());
}

#[test]
fn block_statistics_reach_the_catalogue_and_the_unit_trend() {
    let site = block_site();
    site.build_ok();
    let json: serde_json::Value = serde_json::from_str(&site.read("reports.json")).unwrap();
    let report = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "2023年政府信息公开工作年度报告")
        .expect("the report");
    let requests = &report["disclosure_stats"]["申请"];
    assert_eq!(requests["本年新收"]["总计"], 3.0, "{report}");
    assert_eq!(requests["结转下年度继续办理"]["总计"], 2.0, "{report}");
    let unit_page = std::fs::read_dir(site.public().join("sources"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.path().is_dir())
        .expect("a unit page")
        .path()
        .join("index.html");
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(unit_page).unwrap());
    let rows = texts(&doc, "table.trend tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("2023") && rows[0].contains('3'),
        "{rows:?}"
    );
}

#[test]
fn a_bad_table_marker_stops_build_and_serve_alike() {
    // Messages in English, as the binary prints them under `crate::common::annals`.
    annals::i18n::set(annals::i18n::Lang::En);
    let site = SiteDir::new();
    site.report(
        "xxgk/bad.md",
        "报告",
        "2024-01-20",
        "测试局",
        "",
        "正文。\n\n```disclosure-table 五\n```\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let built = pipeline::build(&options(site.path(), &dir.path().join("built")))
        .expect_err("build must fail");
    let served = dir.path().join("served");
    let from_serve = Session::new(options(site.path(), &served), &served)
        .rebuild_all()
        .expect_err("serve must fail");
    let messages = |d: &annals::diagnostics::Diagnostics| -> Vec<String> {
        d.items
            .iter()
            .filter(|d| d.severity == annals::diagnostics::Severity::Error)
            .map(|d| format!("{:?}:{:?}: {}", d.file, d.line, d.message))
            .collect()
    };
    assert_eq!(messages(&built), messages(&from_serve));
    assert!(
        messages(&built)[0].contains("names no table"),
        "{:?}",
        messages(&built)
    );
}
