//! Two builds of the same input write the same bytes: no hash-map order, clock or
//! thread scheduling leaks into the output, so rsync and CDNs only see real changes.

use std::path::Path;
use std::process::Command;

use crate::common::{annals, snapshot, stderr};

fn build_into(root: &Path, out: &Path) {
    let result = annals(&[
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "build failed:\n{}",
        stderr(&result)
    );
}

/// Builds `root` twice into fresh folders and once more over the first output.
fn assert_deterministic(root: &Path, min_files: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    build_into(root, &first);
    let a = snapshot(&first);
    build_into(root, &second);
    let b = snapshot(&second);
    assert!(a.len() >= min_files, "only {} files written", a.len());
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between two builds", path.display());
    }
    // A rebuild over an existing output ends with the same bytes too.
    build_into(root, &first);
    assert!(
        snapshot(&first) == a,
        "a rebuild over the old output changed it"
    );
}

fn generate(out: &Path, reports: usize) {
    let result = Command::new(env!("CARGO_BIN_EXE_annals-bench-gen"))
        .args([
            "--reports",
            &reports.to_string(),
            "--sites",
            "annals,hugo,zola",
        ])
        .arg("--out")
        .arg(out)
        .output()
        .expect("run annals-bench-gen");
    assert!(result.status.success(), "{}", stderr(&result));
}

#[test]
fn demo_site_builds_identically_twice() {
    assert_deterministic(&crate::common::demo_root(), 10);
}

#[test]
fn generated_corpus_builds_identically_twice() {
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path(), 200);
    assert_deterministic(&tmp.path().join("annals"), 200);
}

#[test]
fn corpus_generator_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a, 60);
    generate(&b, 60);
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 3 * 60, "expected three sites of 60 reports");
    assert!(sa == sb, "the same seed gave different corpora");
    // Realistic size: reports of about 14 KB.
    let reports: Vec<_> = sa
        .iter()
        .filter(|(p, _)| p.starts_with("annals/content") && !p.ends_with("_index.md"))
        .collect();
    let average = reports.iter().map(|(_, b)| b.len()).sum::<usize>() / reports.len();
    assert!(
        (11_000..18_000).contains(&average),
        "average report is {average} bytes"
    );
}

#[cfg(unix)]
#[test]
fn unchanged_pages_keep_their_files_across_builds() {
    use std::os::unix::fs::MetadataExt;
    let site = crate::common::SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年甲报告",
        "2024-01-10",
        "测试区司法局",
        "",
        "## 一、总体情况\n\n正文甲。",
    );
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-11",
        "测试区应急管理局",
        "",
        "## 一、总体情况\n\n正文乙。",
    );
    site.build_ok();
    let inode = |rel: &str| std::fs::metadata(site.public().join(rel)).unwrap().ino();
    let (a, b) = (inode("2023/a/index.html"), inode("2023/b/index.html"));
    // Only b's text changes; a's page must be the very same file, b's a new one.
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-11",
        "测试区应急管理局",
        "",
        "## 一、总体情况\n\n正文乙，已更正。",
    );
    site.build_ok();
    assert_eq!(
        inode("2023/a/index.html"),
        a,
        "unchanged page was rewritten"
    );
    assert_ne!(
        inode("2023/b/index.html"),
        b,
        "changed page was not rewritten"
    );
    assert!(site.read("2023/b/index.html").contains("已更正"));
}
