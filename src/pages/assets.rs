//! Which files under `content/` are published: only those a published report
//! links to (its attachments, links and images in its text, its `related`
//! links) and the site's `[share] image`. Stray files (`internal-notes.docx`,
//! `Thumbs.db`, `~$report.docx`) and the files of drafts stay private; `check`
//! lists them.

use std::collections::HashSet;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::markdown::Rendered;
use crate::model::{Asset, Site};

/// Output paths (relative, e.g. `2023/foo/table.pdf`) that published pages link to.
pub fn linked_paths(site: &Site, rendered: &[Rendered]) -> HashSet<String> {
    let base_url = site.config.base_url.as_str();
    let mut paths: HashSet<String> = site
        .reports
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, report)| {
            let mut found = Vec::new();
            let mut add = |url: &str| found.extend(site_path(url, &report.url, base_url));
            for a in report.attachments.iter().filter(|a| !a.external) {
                add(&a.url);
            }
            for r in &report.meta.related {
                add(&r.url);
            }
            if let Some(r) = rendered.get(i) {
                for url in html_links(&r.html) {
                    add(&url);
                }
            }
            found
        })
        .collect();
    paths.extend(site_path(&site.config.share.image, "/", base_url));
    paths
}

/// The content files that are published.
pub fn published<'a>(site: &'a Site, rendered: &[Rendered]) -> Vec<&'a Asset> {
    let linked = linked_paths(site, rendered);
    site.assets
        .iter()
        .filter(|a| linked.contains(&a.output))
        .collect()
}

/// A warning for every content file no published page links to, for `check`.
pub fn unpublished(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let linked = linked_paths(site, rendered);
    site.assets
        .iter()
        .filter(|a| !linked.contains(&a.output))
        .map(|a| {
            Diagnostic::warning(tr("assets.unpublished", &[]))
                .in_file(&a.file)
                .with_help(tr("assets.unpublished-help", &[]))
        })
        .collect()
}

/// `href` and `src` values of an HTML fragment, entities decoded.
fn html_links(html: &str) -> impl Iterator<Item = String> + '_ {
    static LINK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = LINK.get_or_init(|| {
        regex::Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).expect("valid pattern")
    });
    re.captures_iter(html).filter_map(|c| c.get(1)).map(|m| {
        let raw = m.as_str();
        quick_xml::escape::unescape(raw)
            .map(|s| s.into_owned())
            .unwrap_or_else(|_| raw.replace("&amp;", "&"))
    })
}

/// Where a link from the page at site path `page` leads, as output paths (the file
/// itself and, for a folder, its `index.html`); nothing for other sites and schemes.
fn site_path(url: &str, page: &str, base_url: &str) -> Vec<String> {
    let url = url.trim();
    let url = match url.strip_prefix(base_url) {
        Some(rest) if !base_url.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() { "/" } else { rest }
        }
        _ => url,
    };
    let path = url.split(['#', '?']).next().unwrap_or("");
    // Bodies are written with the base URL's path prefix (`/zwgk/2023/a.png`).
    let prefix = crate::routes::path_prefix(base_url);
    let path = match path.strip_prefix(prefix) {
        Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest,
        _ => path,
    };
    let first_delimiter = path.find('/').unwrap_or(path.len());
    if path.is_empty() || path.starts_with("//") || path[..first_delimiter].contains(':') {
        return Vec::new();
    }
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}{path}", &page[..page.rfind('/').map_or(0, |i| i + 1)])
    };
    let decoded = percent_decode_str(&joined).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            // Above the site root: nothing of the site.
            ".." if parts.pop().is_none() => return Vec::new(),
            ".." => {}
            p => parts.push(p),
        }
    }
    let file = parts.join("/");
    let index = if file.is_empty() {
        "index.html".to_string()
    } else {
        format!("{file}/index.html")
    };
    vec![file, index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_like_a_browser() {
        let page = "/2023/foo/";
        let base = "https://x.gov.cn";
        assert_eq!(site_path("table.pdf", page, base)[0], "2023/foo/table.pdf");
        assert_eq!(site_path("../a%20b.png#x", page, base)[0], "2023/a b.png");
        assert_eq!(
            site_path("/img/%E5%9B%BE.png?v=1", page, base)[0],
            "img/图.png"
        );
        assert_eq!(
            site_path("https://x.gov.cn/2023/c.pdf", page, base)[0],
            "2023/c.pdf"
        );
        assert!(site_path("https://other.cn/c.pdf", page, base).is_empty());
        assert!(site_path("mailto:a@b.cn", page, base).is_empty());
        assert!(site_path("//cdn.example/c.pdf", page, base).is_empty());
        assert!(site_path("../../../etc/passwd", page, base).is_empty());
        let links: Vec<String> =
            html_links(r#"<a href="a.pdf?x=1&amp;y=2">a</a><img alt="" src="b.png">"#).collect();
        assert_eq!(links, ["a.pdf?x=1&y=2", "b.png"]);
    }
}
