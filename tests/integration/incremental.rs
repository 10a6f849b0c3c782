//! Rebuilds of `serve`: an edited report re-renders only the pages that show it,
//! and the folder ends up exactly as a full build would leave it.

use crate::common::*;

use annals::incremental::Session;
use annals::pipeline::BuildOptions;

const UNITS: [&str; 4] = ["甲局", "乙局", "丙局", "丁局"];

/// A site of `n` reports over four units and five years.
fn big_site(n: usize) -> SiteDir {
    let site = SiteDir::new();
    for i in 0..n {
        let year = 2019 + (i % 5) as i32;
        let day = 1 + (i % 28);
        let month = 1 + (i / 28) % 12;
        site.report(
            &format!("{year}/r{i:04}.md"),
            &format!("{year}年第{i}号报告"),
            &format!("{}-{month:02}-{day:02}", year + 1),
            UNITS[i % 4],
            &format!("category: 工作报告\ntags: [标签{}]\n", i % 7),
            &format!("## 一、总体情况\n\n第{i}号报告的正文。\n\n## 二、下一步\n\n继续努力。"),
        );
    }
    site
}

fn session(site: &SiteDir) -> (Session, std::path::PathBuf) {
    let out = site.path().join("serve-out");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    (Session::new(options, &out), out)
}

fn reports() -> usize {
    std::env::var("ANNALS_INCREMENTAL_REPORTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150)
}

#[test]
fn editing_one_report_rerenders_few_pages_and_matches_a_full_build() {
    let n = reports();
    let site = big_site(n);
    let (mut session, out) = session(&site);
    let full = session.rebuild_all().expect("full build");
    assert!(full.full);
    assert!(full.pages_rendered > n, "{full:?}");

    let file = site.path().join("content/2021/r0002.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("第2号报告的正文。", "第2号报告改过的正文。"),
    )
    .unwrap();
    let edit = session
        .rebuild(std::slice::from_ref(&file))
        .expect("rebuild");
    eprintln!(
        "{n} reports: full {} pages in {:?}; one edit {} pages, {} files in {:?}",
        full.pages_rendered, full.elapsed, edit.pages_rendered, edit.files_written, edit.elapsed
    );
    assert!(!edit.full, "a body edit must not re-render everything");
    assert!(edit.pages_rendered < 20, "{edit:?}");
    assert!(edit.files_written >= 1);
    let page = std::fs::read_to_string(out.join("2021/r0002/index.html")).unwrap();
    assert!(page.contains("第2号报告改过的正文。"));

    // A title edit shows on every list that shows the report.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("2021年第2号报告", "2021年第2号报告（修订）"),
    )
    .unwrap();
    let edit = session
        .rebuild(std::slice::from_ref(&file))
        .expect("rebuild");
    assert!(!edit.full);
    assert!(edit.pages_rendered < 20, "{edit:?}");

    // The folder is byte for byte what a full build of the same files gives.
    let incremental = snapshot(&out);
    let (mut fresh, fresh_out) = {
        let other = site.path().join("fresh-out");
        let options = BuildOptions {
            root: site.path().to_path_buf(),
            ..Default::default()
        };
        (Session::new(options, &other), other)
    };
    fresh.rebuild_all().expect("fresh build");
    assert!(
        incremental == snapshot(&fresh_out),
        "incremental output differs from a full build"
    );
}

#[test]
fn structural_changes_rebuild_everything_and_remove_stale_pages() {
    let site = big_site(12);
    let (mut session, out) = session(&site);
    session.rebuild_all().expect("full build");
    // A new date moves the report in every list: everything is re-rendered.
    let file = site.path().join("content/2019/r0000.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("date: 2020-01-01", "date: 2025-12-31")).unwrap();
    let edit = session
        .rebuild(std::slice::from_ref(&file))
        .expect("rebuild");
    assert!(edit.full);
    // A deleted report's page goes away.
    std::fs::remove_file(&file).unwrap();
    let edit = session
        .rebuild(std::slice::from_ref(&file))
        .expect("rebuild");
    assert!(edit.full);
    assert!(!out.join("2019/r0000/index.html").exists());
    assert!(out.join("2019/r0005/index.html").exists());
    // A broken edit is an error and the last good pages stay.
    let other = site.path().join("content/2019/r0005.md");
    std::fs::write(&other, "---\ntitle: x\n---\n").unwrap();
    assert!(session.rebuild(std::slice::from_ref(&other)).is_err());
    assert!(out.join("2019/r0005/index.html").exists());
}

/// A rebuild of one edited report warns about what a full pass warns about:
/// the config's warnings and the whole-site checks (a giant paragraph in
/// another report) are not dropped because only text changed (issue 24).
#[test]
fn a_text_edit_keeps_the_warnings_of_the_whole_site() {
    let site = big_site(3);
    // No config.toml: default settings, with a warning.
    std::fs::remove_file(site.path().join("config.toml")).unwrap();
    let giant = "很长的一段话。"
        .repeat(100)
        .repeat(4)
        .replace("。很", "。\n很");
    site.report("2019/giant.md", "长段落", "2020-01-02", "甲局", "", &giant);
    let (mut session, _) = session(&site);
    let first = session.rebuild_all().expect("first pass");
    let places = |w: &annals::diagnostics::Diagnostics| {
        let mut v: Vec<String> = w
            .items
            .iter()
            .map(|d| format!("{:?} {:?} {:?}", d.severity, d.file, d.line))
            .collect();
        v.sort();
        v
    };
    assert!(
        first
            .warnings
            .items
            .iter()
            .any(|d| d.file.as_ref().is_some_and(|f| f.ends_with("giant.md"))),
        "{:?}",
        first.warnings
    );
    assert!(first.warnings.items.len() >= 2, "{:?}", first.warnings);
    let file = site.path().join("content/2019/r0000.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("的正文。", "的正文，改过。")).unwrap();
    let second = session.rebuild(&[file]).expect("text edit");
    assert!(!second.full, "a text edit renders only its pages");
    assert_eq!(places(&second.warnings), places(&first.warnings));
}
