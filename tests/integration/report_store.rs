//! The store of reports' rendered Markdown (`.annals-cache/reports`): a build
//! after an edit renders only the edited report's body, leaves the folder a
//! clean build leaves, and never trusts an entry that does not verify.

use crate::common::*;

use std::path::Path;

use annals::build_cache::CacheRun;
use annals::links::SourcePaths;
use annals::pipeline::{self, BuildOptions, BuildSummary};
use annals::report_store::ReportStore;

const REPORTS: usize = 4;

/// Four reports; the second links to the first by its file, so its HTML
/// depends on where the first is published.
fn site() -> SiteDir {
    let site = SiteDir::new();
    for i in 0..REPORTS {
        let body = match i {
            1 => "一、概述\n\n见[第一篇](r0.md)。".to_string(),
            _ => format!("一、概述\n\n第{i}篇报告的正文。"),
        };
        site.report(
            &format!("2023/r{i}.md"),
            &format!("报告{i}"),
            "2024-01-15",
            "测试局",
            "",
            &body,
        );
    }
    site
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        use_cache: true,
        ..BuildOptions::default()
    }
}

fn build(site: &SiteDir) -> BuildSummary {
    pipeline::build(&options(site.path())).expect("build")
}

/// What a clean build of the site as it is now writes.
fn clean(site: &SiteDir) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(out.path().join("public")),
        use_cache: false,
        ..options(site.path())
    };
    pipeline::build(&options).expect("clean build");
    snapshot(&out.path().join("public"))
}

fn store_dir(site: &SiteDir) -> std::path::PathBuf {
    site.path().join(".annals-cache/reports")
}

fn entries(site: &SiteDir) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(store_dir(site))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn edit(site: &SiteDir, i: usize, words: &str) {
    let rel = format!("content/2023/r{i}.md");
    let text = std::fs::read_to_string(site.path().join(&rel)).unwrap();
    site.write(&rel, &format!("{text}\n{words}\n"));
}

#[test]
fn an_edit_renders_only_the_edited_reports_markdown() {
    let site = site();
    assert_eq!(build(&site).markdown_rendered, REPORTS);
    assert_eq!(entries(&site).len(), REPORTS);
    edit(&site, 2, "补充的一段。");
    let second = build(&site);
    assert_eq!(second.markdown_rendered, 1);
    assert!(site.read("2023/r2/index.html").contains("补充的一段。"));
    // The search index is patched with the old text the store kept.
    assert!(second.search.patched.is_some(), "{}", second.search);
    assert_eq!(snapshot(&site.public()), clean(&site));
    // A 文号 added: the patch takes the old front matter from the store too.
    let rel = "content/2023/r2.md";
    let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
    site.write(
        rel,
        &text.replace(
            "source: 测试局\n",
            "source: 测试局\ndoc_no: 测府〔2024〕7号\n",
        ),
    );
    let third = build(&site);
    assert_eq!(third.markdown_rendered, 1);
    assert!(
        third.kept > 0 && third.search.patched.is_some(),
        "{third:?}"
    );
    assert_eq!(snapshot(&site.public()), clean(&site));
    // The edited report's old entry is gone once the build succeeded.
    assert_eq!(entries(&site).len(), REPORTS);
}

#[test]
fn a_changed_link_target_renders_every_body_again() {
    let site = site();
    build(&site);
    // r0 moves: r1's link to it now leads elsewhere.
    let text = std::fs::read_to_string(site.path().join("content/2023/r0.md")).unwrap();
    site.write(
        "content/2023/r0.md",
        &text.replace("source: 测试局\n", "source: 测试局\nslug: moved\n"),
    );
    assert_eq!(build(&site).markdown_rendered, REPORTS);
    assert!(site.read("2023/r1/index.html").contains("/2023/moved/"));
    assert_eq!(snapshot(&site.public()), clean(&site));
}

#[test]
fn damaged_truncated_and_foreign_entries_are_rendered_again() {
    let site = site();
    build(&site);
    let files = entries(&site);
    let bytes = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &bytes[..bytes.len() / 2]).unwrap();
    let mut flipped = std::fs::read(&files[1]).unwrap();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x20;
    std::fs::write(&files[1], flipped).unwrap();
    // A whole, verified entry, but filed under another report's key.
    std::fs::copy(&files[3], &files[2]).unwrap();
    // A change that is no report's: the build is whole, the store still used.
    site.write("static/note.txt", "x");
    let summary = build(&site);
    assert_eq!(summary.markdown_rendered, 3);
    assert_eq!(snapshot(&site.public()), clean(&site));
    // Rendered again, they are stored again.
    edit(&site, 3, "再一段。");
    assert_eq!(build(&site).markdown_rendered, 1);
}

#[cfg(unix)]
#[test]
fn entries_that_are_links_or_pipes_are_not_read() {
    let site = site();
    build(&site);
    let files = entries(&site);
    std::fs::remove_file(&files[0]).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &files[0]).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let copy = outside.path().join("entry");
    std::fs::copy(&files[1], &copy).unwrap();
    std::fs::remove_file(&files[1]).unwrap();
    std::os::unix::fs::symlink(&copy, &files[1]).unwrap();
    site.write("static/note.txt", "x");
    assert_eq!(build(&site).markdown_rendered, 2);
    assert_eq!(snapshot(&site.public()), clean(&site));
    assert!(copy.exists(), "a link's target is never removed");
}

#[cfg(unix)]
#[test]
fn a_store_folder_that_is_a_link_is_not_used() {
    let site = site();
    build(&site);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(store_dir(&site)).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), store_dir(&site)).unwrap();
    edit(&site, 3, "另一段。");
    let summary = build(&site);
    assert_eq!(summary.markdown_rendered, REPORTS);
    let warned = summary.warnings.items.iter().any(|d| {
        d.file
            .as_ref()
            .is_some_and(|f| f.ends_with(".annals-cache/reports"))
    });
    assert!(warned, "{:?}", summary.warnings);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    assert_eq!(snapshot(&site.public()), clean(&site));
}

#[test]
fn no_cache_writes_no_store() {
    let site = site();
    let out = site.build(&["--no-cache"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!store_dir(&site).exists());
}

#[test]
fn the_last_builds_text_of_an_edited_report_stays_readable() {
    let site = site();
    build(&site);
    edit(&site, 2, "补充的一段。");
    let options = options(site.path());
    let cache = CacheRun::start(&options);
    let (store, warning) = ReportStore::open(
        site.path(),
        cache.inputs().unwrap(),
        cache.recorded_inputs(),
    );
    assert!(warning.is_none());
    let store = store.unwrap();
    let (site_model, _) = pipeline::load_site(&options).unwrap();
    let paths = SourcePaths::new(&site_model);
    let markdown = pipeline::markdown_options(&site_model);
    let found: Vec<bool> = (0..REPORTS)
        .map(|i| store.reuse(&site_model, &paths, &markdown, i).is_some())
        .collect();
    assert_eq!(found, [true, true, false, true]);
    let edited = &site_model.reports[2].file;
    assert_eq!(cache.edited_reports(), std::slice::from_ref(edited));
    let (meta, old) = store.previous(edited).expect("the last build's entry");
    assert_eq!(meta, site_model.reports[2].meta);
    assert!(old.text.contains("第2篇报告的正文"));
    assert!(!old.text.contains("补充的一段"));
    // An unedited report has no other text than its own.
    let (_, same) = store.previous(&site_model.reports[0].file).unwrap();
    assert!(same.text.contains("第0篇报告的正文"));
}
