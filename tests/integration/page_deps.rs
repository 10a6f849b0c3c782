//! Which pages show which report, as the page writers say: a title edit reaches
//! every page made from the report (lists, feeds, the catalogue, its
//! neighbours' prev/next links and older reports' "newer version" notice) in
//! both an incremental `build` and `serve`'s engine, while only those pages are
//! rendered again.

use crate::common::*;

use annals::incremental::Session;
use annals::pipeline::BuildOptions;
use scraper::Html;

const OLD: &str = "甲局旧题目丁";
const NEW: &str = "甲局新题目丁";

/// One series of 甲局 over three years (a → b → d), and reports of 乙局.
fn series_site() -> SiteDir {
    let site = SiteDir::new();
    let extra = "category: 工作报告\ntags: [公开]\n";
    for (rel, title, date, unit) in [
        ("2021/a.md", "甲局报告甲", "2021-03-10", "甲局"),
        ("2022/b.md", "甲局报告乙", "2022-03-10", "甲局"),
        ("2022/c.md", "乙局报告丙", "2022-03-12", "乙局"),
        ("2023/d.md", OLD, "2023-03-10", "甲局"),
    ] {
        site.report(rel, title, date, unit, extra, "## 一、总体情况\n\n正文。");
    }
    // Pages that have nothing to do with d, which an edit of d leaves alone.
    for n in 1..=8 {
        let (rel, title) = (format!("2020/e{n}.md"), format!("乙局旧报告{n}"));
        site.report(
            &rel,
            &title,
            &format!("2020-05-{n:02}"),
            "乙局",
            "",
            "正文。",
        );
    }
    site
}

fn retitle(site: &SiteDir) -> std::path::PathBuf {
    let file = site.path().join("content/2023/d.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace(OLD, NEW)).unwrap();
    file
}

/// Output paths (relative, with `/`) of the files under `out` holding `needle`.
fn holding(out: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found: Vec<String> = files_containing(out, needle)
        .iter()
        .map(|p| {
            p.strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    found.sort();
    found
}

fn page(out: &std::path::Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap())
}

/// Every page made from report d shows its new title, none its old one.
fn assert_retitled(out: &std::path::Path) {
    let stale = holding(out, OLD);
    assert!(stale.is_empty(), "the old title is still in {stale:?}");
    let fresh = holding(out, NEW);
    for rel in [
        "index.html",
        "2023/d/index.html",
        "2023/d/print/index.html",
        "2023/d/share/index.html",
        "2023/index.html",
        "archive/2023/index.html",
        "archive/2023/print/index.html",
        "atom.xml",
        "reports.json",
        "reports.csv",
    ] {
        assert!(fresh.contains(&rel.to_string()), "{rel} not in {fresh:?}");
    }
    let under = |prefix: &str, end: &str| {
        fresh
            .iter()
            .any(|f| f.starts_with(prefix) && f.ends_with(end))
    };
    assert!(under("sources/", "/index.html"), "unit page: {fresh:?}");
    assert!(under("sources/", "/atom.xml"), "unit feed: {fresh:?}");
    assert!(under("tags/", "/index.html"), "tag page: {fresh:?}");
    assert!(
        under("categories/", "/index.html"),
        "category page: {fresh:?}"
    );
    // b's next report is d; a (archived) names d as the newest of its series.
    assert_eq!(texts(&page(out, "2022/b/index.html"), "a[rel=next]"), [NEW]);
    let notice = texts(&page(out, "2021/a/index.html"), ".notice-archived a");
    assert_eq!(notice, [NEW]);
    let home = texts(&page(out, "index.html"), "a");
    assert!(home.iter().any(|t| t.contains(NEW)), "{home:?}");
    // 乙局's unit page never listed d, and is not made from it.
    assert!(
        !fresh.contains(&"2022/c/index.html".to_string()),
        "{fresh:?}"
    );
}

fn clean_build(site: &SiteDir) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let built = annals(&[
        "build",
        "--no-cache",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    snapshot(&out)
}

#[test]
fn a_title_edit_reaches_every_page_made_from_the_report_in_an_incremental_build() {
    let site = series_site();
    let root = site.path().to_str().unwrap();
    let first = annals(&["build", "--root", root]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(holding(&site.public(), OLD).len() > 10);
    retitle(&site);
    let again = annals(&["build", "--root", root]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("pages again"),
        "only the pages showing the report were to be rendered:\n{}",
        stdout(&again)
    );
    assert_retitled(&site.public());
    assert!(snapshot(&site.public()) == clean_build(&site));
}

#[test]
fn a_title_edit_reaches_every_page_made_from_the_report_in_serve() {
    let site = series_site();
    let out = site.path().join("serve-out");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let mut session = Session::new(options, &out);
    let full = session.rebuild_all().expect("full build");
    let file = retitle(&site);
    let edit = session.rebuild(&[file]).expect("rebuild");
    assert!(!edit.full, "a title edit keeps the site's shape");
    assert!(
        edit.pages_rendered < full.pages_rendered / 2,
        "{} of {} pages rendered again",
        edit.pages_rendered,
        full.pages_rendered
    );
    assert_retitled(&out);
}
