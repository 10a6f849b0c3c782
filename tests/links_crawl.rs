//! Every link, image and `#anchor` of every page and feed leads somewhere: the
//! demo site and a site whose reports use relative images and files (attachment
//! folder, next to the Markdown file, a subfolder, a slug override, a base URL
//! with a path prefix). Relative addresses in bodies must work on the report,
//! print, share and volume pages alike, and in feeds.

mod common;
use common::*;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use percent_encoding::percent_decode_str;
use scraper::Html;

/// One crawled page: its ids, and the addresses it refers to.
struct Page {
    ids: HashSet<String>,
    refs: Vec<String>,
}

fn page_url(rel: &str) -> String {
    let url = format!("/{rel}");
    url.strip_suffix("index.html")
        .map(str::to_string)
        .unwrap_or(url)
}

/// Output path of a site path: `/a/` → `a/index.html`.
fn output_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

fn html_page(text: &str) -> Page {
    let doc = Html::parse_document(text);
    let ids = doc
        .select(&sel("[id], a[name]"))
        .filter_map(|e| e.value().attr("id").or(e.value().attr("name")))
        .map(str::to_string)
        .collect();
    let mut refs = attrs(&doc, "a[href]", "href");
    refs.extend(attrs(&doc, "img[src]", "src"));
    refs.extend(attrs(&doc, "link[href]", "href"));
    refs.extend(attrs(&doc, "script[src]", "src"));
    Page { ids, refs }
}

/// The `href`/`src` of the HTML inside each feed entry's `<content>`.
fn feed_refs(xml: &str) -> Vec<String> {
    let content = regex::Regex::new(r"(?s)<content[^>]*>(.*?)</content>").unwrap();
    content
        .captures_iter(xml)
        .flat_map(|c| {
            let html = quick_xml::escape::unescape(&c[1]).expect("feed text");
            html_page(&html).refs
        })
        .collect()
}

/// Crawls the output `public` of a site published at `base_url`; returns every
/// broken reference as `page -> address (reason)`.
fn broken_references(public: &Path, base_url: &str) -> Vec<String> {
    let origin_end = base_url
        .find("://")
        .map(|i| {
            i + 3
                + base_url[i + 3..]
                    .find('/')
                    .unwrap_or(base_url.len() - i - 3)
        })
        .unwrap_or(base_url.len());
    let (origin, prefix) = base_url.split_at(origin_end);
    let mut pages: HashMap<String, Page> = HashMap::new();
    let mut feeds: Vec<(String, Vec<String>)> = Vec::new();
    let mut files: HashSet<String> = HashSet::new();
    for entry in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel.clone());
        if rel.ends_with(".html") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            pages.insert(rel, html_page(&text));
        } else if rel.ends_with("atom.xml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            feeds.push((rel, feed_refs(&text)));
        }
    }
    assert!(!feeds.is_empty() && pages.len() > 5, "nothing crawled");
    let mut broken = Vec::new();
    let mut check = |from: &str, from_url: &str, href: &str, feed: bool| {
        let href = href.trim();
        let local = if let Some(rest) = href.strip_prefix(origin) {
            rest.to_string()
        } else if href.contains("://") || href.starts_with("//") || href.contains(':') {
            return; // another site, mailto:, tel:
        } else if feed {
            broken.push(format!("{from}: {href} (not absolute in a feed)"));
            return;
        } else if href.starts_with('/') {
            href.to_string()
        } else if let Some(fragment) = href.strip_prefix('#') {
            format!("{from_url}#{fragment}")
        } else {
            let dir = &from_url[..from_url.rfind('/').unwrap() + 1];
            format!("{dir}{href}")
        };
        let (path, fragment) = match local.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (local.clone(), None),
        };
        let path = path.split('?').next().unwrap_or("");
        let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
        // Theme links are site paths; body links carry the base URL's path prefix.
        let path = match path.strip_prefix(prefix) {
            Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest.to_string(),
            _ => path,
        };
        let mut segments: Vec<&str> = Vec::new();
        for s in path.split('/') {
            match s {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                s => segments.push(s),
            }
        }
        let mut path = format!("/{}", segments.join("/"));
        if local.split(['#', '?']).next().unwrap_or("").ends_with('/') && path != "/" {
            path.push('/');
        }
        let mut target = output_of(&path);
        if !files.contains(&target) && files.contains(&output_of(&format!("{path}/"))) {
            target = output_of(&format!("{path}/"));
        }
        if !files.contains(&target) {
            broken.push(format!("{from}: {href} (no file {target})"));
            return;
        }
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let fragment = percent_decode_str(&fragment)
                .decode_utf8_lossy()
                .into_owned();
            if let Some(page) = pages.get(&target)
                && !page.ids.contains(&fragment)
            {
                broken.push(format!("{from}: {href} (no #{fragment} on {target})"));
            }
        }
    };
    for (rel, page) in &pages {
        for href in &page.refs {
            check(rel, &page_url(rel), href, false);
        }
    }
    for (rel, refs) in &feeds {
        for href in refs {
            check(rel, &page_url(rel), href, true);
        }
    }
    broken.sort();
    broken.dedup();
    broken
}

/// A PNG of a few bytes (only its address matters here).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reports that refer to files in every way an editor does.
fn relative_site(base_url: &str) -> SiteDir {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace("https://test.example.gov.cn", base_url),
    );
    // Attachment folder: content/2023/foo/ holds the files of content/2023/foo.md.
    site.report(
        "2023/foo.md",
        "2023年度报告",
        "2024-01-10",
        "测试局",
        "",
        "## 一、总体情况\n\n![统计图](pic.png)\n\n详见[统计表](table.csv)和[附件目录里的图](./foo/pic.png)。\n\n\
         回到[本节](#一总体情况)，见[2021年报告](../2021/report.md#二其他情况)、[2021年报告首页](../2021/report.md)。\n\n\
         注释[^1]。\n\n[^1]: 说明。\n",
    );
    site.write_bytes("content/2023/foo/pic.png", PNG);
    site.write("content/2023/foo/table.csv", "a,b\n1,2\n");
    // Next to the file, in a subfolder, with a slug override.
    site.report(
        "2021/report.md",
        "2021年度报告",
        "2022-01-10",
        "测试局",
        "slug: r2021\n",
        "## 一、概况\n\n![趋势图](chart.png)\n\n![子目录的图](img/sub.png)\n\n\
         ## 二、其他情况\n\n[数据](data/numbers.csv)，[2023年](../2023/foo.md)，[栏目](../2023/)。\n",
    );
    site.write_bytes("content/2021/chart.png", PNG);
    site.write_bytes("content/2021/img/sub.png", PNG);
    site.write("content/2021/data/numbers.csv", "x\n");
    site
}

fn assert_no_broken(site: &SiteDir, base_url: &str) {
    let out = site.build_ok();
    let warnings = stderr(&out);
    assert!(
        !warnings.contains("leads nowhere"),
        "unexpected warnings:\n{warnings}"
    );
    let broken = broken_references(&site.public(), base_url);
    assert!(broken.is_empty(), "broken:\n{}", broken.join("\n"));
}

#[test]
fn relative_files_work_on_every_page_and_feed() {
    let base = "https://test.example.gov.cn";
    let site = relative_site(base);
    assert_no_broken(&site, base);
    // The print page and the volume ask for the files where they are published.
    let print = site.html("2021/r2021/print/index.html");
    let images = attrs(&print, "img", "src");
    assert!(
        images.contains(&"/2021/chart.png".to_string()),
        "{images:?}"
    );
    let volume = site.read("archive/2023/print/index.html");
    assert!(volume.contains("src=\"/2023/foo/pic.png\""), "{volume}");
}

#[test]
fn relative_files_work_under_a_base_url_path_prefix() {
    let base = "https://test.example.gov.cn/zwgk";
    let site = relative_site(base);
    assert_no_broken(&site, base);
    let report = site.read("2023/foo/index.html");
    assert!(
        report.contains("src=\"/zwgk/2023/foo/pic.png\""),
        "{report}"
    );
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("https://test.example.gov.cn/zwgk/2023/foo/table.csv"),
        "{feed}"
    );
}

#[test]
fn demo_site_has_no_broken_references() {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("public");
    let out = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let config = std::fs::read_to_string(demo_root().join("config.toml")).unwrap();
    let base = config
        .lines()
        .find_map(|l| l.strip_prefix("base_url = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("demo base_url");
    let broken = broken_references(&public, base);
    assert!(broken.is_empty(), "broken:\n{}", broken.join("\n"));
}

#[test]
fn a_body_link_to_nothing_warns_in_build_and_errs_in_check() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "报告",
        "2024-01-10",
        "测试局",
        "",
        "正文。\n\n![缺少的图](missing.png)\n",
    );
    let out = site.build_ok();
    let text = stderr(&out);
    assert!(text.contains("warning"), "{text}");
    assert!(text.contains("a.md:9:1"), "{text}");
    assert!(text.contains("image missing.png leads nowhere"), "{text}");
    let check = annals(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(!check.status.success());
    let text = stdout(&check) + &stderr(&check);
    assert!(text.contains("image missing.png leads nowhere"), "{text}");
}
