//! The default theme satisfies the Content-Security-Policy documented in the
//! README and shipped in docs/_headers: no inline scripts or styles, and every
//! resource a page loads comes from the site itself.

use crate::common::*;

use std::path::Path;

const POLICY_PREFIX: &str = "Content-Security-Policy: ";

/// The policy as shipped in docs/_headers.
fn shipped_policy() -> String {
    let headers = std::fs::read_to_string(demo_root().join("docs/_headers")).unwrap();
    headers
        .lines()
        .find_map(|l| l.trim().strip_prefix(POLICY_PREFIX))
        .expect("docs/_headers has a Content-Security-Policy line")
        .to_string()
}

/// Problems a browser enforcing the shipped policy would report for this page.
fn csp_violations(path: &Path, html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut problems = Vec::new();
    let same_origin = |url: &str| url.starts_with('/') && !url.starts_with("//");
    for el in doc.select(&sel("*")) {
        let v = el.value();
        if v.attr("style").is_some() {
            problems.push(format!("inline style attribute: {}", el.html()));
        }
        if v.attrs().any(|(name, _)| name.starts_with("on")) {
            problems.push(format!("inline event handler: {}", el.html()));
        }
        match v.name() {
            "style" => problems.push("a <style> element".into()),
            "script" => match v.attr("src") {
                Some(src) if same_origin(src) => {}
                Some(src) => problems.push(format!("script from elsewhere: {src}")),
                None if v.attr("type") == Some("application/ld+json") => {}
                None => problems.push(format!("inline script: {}", el.html())),
            },
            "link" => {
                let rel = v.attr("rel").unwrap_or("");
                let loads = ["stylesheet", "icon", "preload", "modulepreload", "manifest"]
                    .iter()
                    .any(|r| rel.split_whitespace().any(|x| x == *r));
                if loads && !v.attr("href").is_some_and(same_origin) {
                    problems.push(format!("resource from elsewhere: {}", el.html()));
                }
            }
            "img" | "source" | "audio" | "video" | "track" | "input" => {
                if let Some(src) = v.attr("src")
                    && !same_origin(src)
                {
                    problems.push(format!("media from elsewhere: {}", el.html()));
                }
            }
            "iframe" | "frame" | "object" | "embed" => {
                problems.push(format!("embedded content: {}", el.html()));
            }
            "form" if !v.attr("action").is_some_and(same_origin) => {
                problems.push(format!("form posting elsewhere: {}", el.html()));
            }
            _ => {}
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect()
}

fn all_violations(public: &Path) -> Vec<String> {
    let mut pages = 0;
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).unwrap();
            problems.extend(csp_violations(entry.path(), &html));
        }
    }
    assert!(pages > 3, "only {pages} pages under {}", public.display());
    problems
}

#[test]
fn demo_site_satisfies_the_policy() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let problems = all_violations(out_dir.path());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_page_kind_satisfies_the_policy() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_html = true\n"),
    );
    site.write_bytes("content/2023/full/table.pdf", b"%PDF-1.4 x");
    site.write("content/2023/_index.md", "---\ntitle: 2023年\n---\n");
    site.report(
        "2023/full.md",
        "2023年法治政府建设年度报告",
        "2024-03-10",
        "甲局",
        "summary: 摘要\ncategory: 年报\ntags: [法治]\nattachments:\n  - {title: 附件, file: table.pdf}\n  - {title: 原文, url: \"https://www.gov.cn/\"}\nrelated:\n  - {title: 相关, url: \"https://www.gov.cn/\"}\n",
        "## 一、总体情况\n\n```rust\nfn main() {}\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 注释\n\n<div style=\"color:red\" onclick=\"x()\">原始HTML</div>\n",
    )
    .report("2023/other.md", "2022年法治政府建设年度报告", "2023-03-10", "甲局", "category: 年报\n", "正文");
    site.build_ok();
    let problems = all_violations(&site.public());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_reports_what_the_policy_forbids() {
    for html in [
        "<script>alert(1)</script>",
        "<script src=\"https://cdn.example.com/x.js\"></script>",
        "<p style=\"color:red\">x</p>",
        "<style>p{}</style>",
        "<link rel=\"stylesheet\" href=\"//cdn.example.com/x.css\">",
        "<img src=\"https://tracker.example.com/p.gif\">",
        "<button onclick=\"x()\">x</button>",
    ] {
        assert!(
            !csp_violations(Path::new("t.html"), html).is_empty(),
            "not caught: {html}"
        );
    }
}

#[test]
fn readme_documents_the_shipped_policy() {
    let policy = shipped_policy();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
    let readme = std::fs::read_to_string(demo_root().join("README.md")).unwrap();
    assert!(
        readme.contains(&policy),
        "README.md does not show the policy of docs/_headers:\n{policy}"
    );
}
