//! Every link, image and `#anchor` of every page and feed leads somewhere: the
//! demo site and a site whose reports use relative images and files (attachment
//! folder, next to the Markdown file, a subfolder, a slug override, a base URL
//! with a path prefix). Relative addresses in bodies must work on the report,
//! print, share and volume pages alike, and in feeds.

use crate::common::*;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use percent_encoding::percent_decode_str;
use scraper::Html;

/// One crawled page: its ids, and the addresses it refers to.
struct Page {
    ids: HashSet<String>,
    refs: Vec<String>,
}

/// The address a server rooted at the crawl root answers for file `rel`:
/// `zwgk/a/index.html` → `/zwgk/a/`.
fn page_url(rel: &str) -> String {
    let url = format!("/{rel}");
    url.strip_suffix("index.html")
        .map(str::to_string)
        .unwrap_or(url)
}

/// The file a server serves for `path`: `/a/` → `a/index.html`.
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
    refs.extend(attrs(&doc, "area[href]", "href"));
    refs.extend(attrs(&doc, "link[href]", "href"));
    for tag in ["img", "script", "source", "iframe", "video", "audio"] {
        refs.extend(attrs(&doc, &format!("{tag}[src]"), "src"));
    }
    for srcset in attrs(&doc, "[srcset]", "srcset") {
        refs.extend(
            srcset
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .map(str::to_string),
        );
    }
    refs.extend(attrs(&doc, "form[action]", "action"));
    // Redirect pages: `<meta http-equiv="refresh" content="0; url=…">`.
    refs.extend(
        attrs(&doc, "meta[http-equiv=refresh]", "content")
            .iter()
            .filter_map(|c| c.split_once("url=").map(|(_, u)| u.to_string())),
    );
    // The search page's script fetches its index below this folder.
    refs.extend(
        attrs(&doc, "[data-index]", "data-index")
            .into_iter()
            .map(|base| format!("{base}meta.json")),
    );
    refs.extend(css_urls(&attrs(&doc, "[style]", "style").join("\n")));
    Page { ids, refs }
}

/// The addresses in CSS `url(…)`.
fn css_urls(css: &str) -> Vec<String> {
    let url = regex::Regex::new(r#"url\(\s*['"]?([^'")\s]+)['"]?\s*\)"#).unwrap();
    url.captures_iter(css)
        .map(|c| c[1].to_string())
        .filter(|u| !u.starts_with("data:"))
        .collect()
}

/// Every address of a feed: its own links and the HTML inside each entry's `<content>`.
fn feed_refs(xml: &str) -> Vec<String> {
    let link = regex::Regex::new(r#"<link[^>]*href="([^"]*)""#).unwrap();
    let mut refs: Vec<String> = link
        .captures_iter(xml)
        .map(|c| quick_xml::escape::unescape(&c[1]).unwrap().into_owned())
        .collect();
    let content = regex::Regex::new(r"(?s)<content[^>]*>(.*?)</content>").unwrap();
    refs.extend(content.captures_iter(xml).flat_map(|c| {
        let html = quick_xml::escape::unescape(&c[1]).expect("feed text");
        html_page(&html).refs
    }));
    refs
}

/// The `<loc>` of every sitemap entry.
fn sitemap_refs(xml: &str) -> Vec<String> {
    let loc = regex::Regex::new(r"<loc>([^<]*)</loc>").unwrap();
    loc.captures_iter(xml)
        .map(|c| quick_xml::escape::unescape(&c[1]).unwrap().into_owned())
        .collect()
}

/// The report addresses of a search index chunk (`[title, url, date, digest]` rows).
fn search_rows(json: &str) -> Vec<String> {
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(json).expect("index chunk");
    rows.iter()
        .map(|row| row[1].as_str().expect("row url").to_string())
        .collect()
}

/// Crawls `root` as a web server rooted there answers, for a site published at
/// `base_url` (so its output sits in `root/<path prefix>/`); returns every
/// broken reference as `file -> address (reason)`. Addresses are resolved as a
/// browser does, from the address of the file they are in: nothing is mapped,
/// so a link that forgets the path prefix leads to no file.
fn broken_references(root: &Path, base_url: &str) -> Vec<String> {
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
    let prefix = prefix.trim_end_matches('/');
    let mut pages: HashMap<String, Page> = HashMap::new();
    // Files that are not HTML but hold addresses: (file, addresses, absolute only).
    let mut others: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut files: HashSet<String> = HashSet::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.insert(rel.clone());
        let text = || std::fs::read_to_string(entry.path()).unwrap();
        if rel.ends_with(".html") {
            pages.insert(rel, html_page(&text()));
        } else if rel.ends_with("atom.xml") {
            others.push((rel.clone(), feed_refs(&text()), true));
        } else if rel.ends_with("sitemap.xml") {
            others.push((rel.clone(), sitemap_refs(&text()), true));
        } else if rel.ends_with(".css") {
            others.push((rel.clone(), css_urls(&text()), false));
        } else if rel.contains("search/index/docs/") && rel.ends_with(".json") {
            // The search page links to these rows: resolve them from there.
            others.push((rel.clone(), search_rows(&text()), false));
        }
    }
    assert!(
        pages.len() > 5 && others.iter().any(|(f, ..)| f.ends_with("atom.xml")),
        "nothing crawled"
    );
    assert!(
        others.iter().any(|(f, ..)| f.ends_with("sitemap.xml"))
            && others
                .iter()
                .any(|(f, ..)| f.contains("search/index/docs/")),
        "no sitemap or search index crawled"
    );
    let search_page = format!("{prefix}/search/");
    let mut broken = Vec::new();
    let mut check = |from: &str, from_url: &str, href: &str, absolute: bool| {
        let href = href.trim();
        let local = if let Some(rest) = href.strip_prefix(origin) {
            rest.to_string()
        } else if href.contains("://") || href.starts_with("//") || href.contains(':') {
            return; // another site, mailto:, tel:
        } else if absolute {
            broken.push(format!("{from}: {href} (not absolute)"));
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
        if !path.starts_with(&format!("{prefix}/")) {
            broken.push(format!(
                "{from}: {href} (outside the path prefix {prefix}/)"
            ));
            return;
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
    for (rel, refs, absolute) in &others {
        let from_url = if rel.contains("search/index/docs/") {
            search_page.clone()
        } else {
            page_url(rel)
        };
        for href in refs {
            check(rel, &from_url, href, *absolute);
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
        &(BASIC_CONFIG.replace("https://test.example.gov.cn", base_url)
            // One report a page: the pagination links are crawled too.
            + "[archive]\nper_page = 1\n"),
    );
    // Attachment folder: content/2023/foo/ holds the files of content/2023/foo.md.
    site.report(
        "2023/foo.md",
        "2023年度报告",
        "2024-01-10",
        "测试局",
        "",
        "## 一、总体情况\n\n![统计图](pic.png)\n\n详见[统计表](table.csv)和[附件目录里的图](./foo/pic.png)。\n\n\
         回到[本节](#一总体情况)，从根写的[2021年报告](/2021/r2021/#二其他情况)，见[2021年报告](../2021/report.md#二其他情况)、[2021年报告首页](../2021/report.md)。\n\n\
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
    // A second report of 2023, so the year's archive has two pages.
    site.report(
        "2023/bar.md",
        "2023年度另一报告",
        "2024-01-09",
        "测试局",
        "",
        "正文。\n",
    );
    // Front matter addresses written from the root, without and with the path prefix.
    let prefix = base_url
        .splitn(4, '/')
        .nth(3)
        .map_or(String::new(), |p| format!("/{p}"));
    site.report(
        "2022/links.md",
        "2022年度报告",
        "2023-01-10",
        "测试局",
        &format!(
            "related:\n  - {{title: 2023年报告, url: /2023/foo/}}\n\
             attachments:\n  - {{title: 统计表, url: {prefix}/2023/foo/table.csv}}\n"
        ),
        "正文。\n",
    );
    site.write_bytes("content/2021/chart.png", PNG);
    site.write_bytes("content/2021/img/sub.png", PNG);
    site.write("content/2021/data/numbers.csv", "x\n");
    site
}

/// Builds `site` into `<tmp>/root/<path prefix of base_url>/` and crawls it as a
/// server rooted at `<tmp>/root` would; returns the output folder.
fn assert_no_broken(site: &SiteDir, base_url: &str, root: &Path) -> std::path::PathBuf {
    let prefix = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map_or("", |(_, path)| path.trim_matches('/'));
    let public = root.join(prefix);
    let out = site.build(&["--output", public.to_str().unwrap()]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    let warnings = stderr(&out);
    assert!(
        !warnings.contains("leads nowhere"),
        "unexpected warnings:\n{warnings}"
    );
    let broken = broken_references(root, base_url);
    assert!(broken.is_empty(), "broken:\n{}", broken.join("\n"));
    public
}

#[test]
fn relative_files_work_on_every_page_and_feed() {
    let base = "https://test.example.gov.cn";
    let site = relative_site(base);
    let root = tempfile::tempdir().unwrap();
    let public = assert_no_broken(&site, base, root.path());
    // The print page and the volume ask for the files where they are published.
    let print = std::fs::read_to_string(public.join("2021/r2021/print/index.html")).unwrap();
    let images = attrs(&Html::parse_document(&print), "img", "src");
    assert!(
        images.contains(&"/2021/chart.png".to_string()),
        "{images:?}"
    );
    let volume = std::fs::read_to_string(public.join("archive/2023/print/index.html")).unwrap();
    assert!(volume.contains("src=\"/2023/foo/pic.png\""), "{volume}");
}

#[test]
fn every_address_works_under_a_base_url_path_prefix() {
    let base = "https://test.example.gov.cn/zwgk/ndbg";
    let site = relative_site(base);
    let root = tempfile::tempdir().unwrap();
    let public = assert_no_broken(&site, base, root.path());
    assert!(public.ends_with("zwgk/ndbg"));
    let report = std::fs::read_to_string(public.join("2023/foo/index.html")).unwrap();
    assert!(
        report.contains("src=\"/zwgk/ndbg/2023/foo/pic.png\""),
        "{report}"
    );
    let doc = Html::parse_document(&report);
    assert_eq!(
        attrs(&doc, "link[rel=stylesheet]", "href"),
        ["/zwgk/ndbg/static/gov.css"]
    );
    assert_eq!(attrs(&doc, ".main-nav a", "href")[0], "/zwgk/ndbg/");
    let year = Html::parse_document(
        &std::fs::read_to_string(public.join("archive/2023/index.html")).unwrap(),
    );
    assert_eq!(
        attrs(&year, "nav.pagination a[rel=next]", "href"),
        ["/zwgk/ndbg/archive/2023/page/2/"]
    );
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(
        feed.contains("https://test.example.gov.cn/zwgk/ndbg/2023/foo/table.csv"),
        "{feed}"
    );
    // The search page's script fetches its shards below the prefix.
    let search =
        Html::parse_document(&std::fs::read_to_string(public.join("search/index.html")).unwrap());
    assert_eq!(
        attrs(&search, "[data-index]", "data-index"),
        ["/zwgk/ndbg/search/index/"]
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
fn the_demo_site_works_under_a_base_url_path_prefix() {
    let base = "https://www.example.gov.cn/zwgk/ndbg";
    let root = tempfile::tempdir().unwrap();
    let public = root.path().join("zwgk/ndbg");
    let out = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
        "--base-url",
        base,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let broken = broken_references(root.path(), base);
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
    let check = site.check(&[]);
    assert!(!check.status.success());
    let text = stdout(&check) + &stderr(&check);
    assert!(text.contains("image missing.png leads nowhere"), "{text}");
}
