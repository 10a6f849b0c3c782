//! Every URL and output path of a site, decided here: pages, print, share and
//! PDF addresses, list pages, feeds, reserved names, and how a site path maps to
//! a file in the output. A leaf module: plain functions of strings, so the
//! model, the pages and `check` all ask the same place and a new page kind is
//! one edit.

/// The year archive.
pub const ARCHIVE_URL: &str = "/archive/";
/// The list of issuing units.
pub const SOURCES_URL: &str = "/sources/";
/// The search page; its index lives below it.
pub const SEARCH_URL: &str = "/search/";
/// The search index's folder in the output.
pub const SEARCH_INDEX_DIR: &str = "search/index";
/// The site's feed.
pub const FEED_URL: &str = "/atom.xml";

/// Top-level paths the generator writes itself; content may not take them.
pub const RESERVED_PATHS: &[&str] = &[
    "archive",
    "sources",
    "tags",
    "categories",
    "search",
    "static",
    "404.html",
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    "reports.json",
    "reports.csv",
];

/// The output file of a pretty URL: `/a/b/` → `a/b/index.html`, `/x.html` → `x.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if url.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Output file of an alias: `/old/page.html` stays, `/old/dir/` gets an index.html.
/// Percent-escapes are decoded, since web servers decode them before looking up files.
pub fn alias_output_path(alias: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(alias).decode_utf8_lossy();
    let p = decoded.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') || !p.rsplit('/').next().unwrap_or("").contains('.') {
        format!("{}/index.html", p.trim_end_matches('/'))
            .trim_start_matches('/')
            .to_string()
    } else {
        p.to_string()
    }
}

/// The site path of a file's output path: `a/b/index.html` → `/a/b/`.
pub fn url_of_output(rel: &str) -> String {
    let url = format!("/{rel}");
    url.strip_suffix("index.html")
        .map(str::to_string)
        .unwrap_or(url)
}

/// A section folder (relative to `content/`, `""` for the root).
pub fn section_url(dir: &str) -> String {
    if dir.is_empty() {
        "/".into()
    } else {
        format!("/{dir}/")
    }
}

/// A report in section folder `dir` with `slug`.
pub fn report_url(dir: &str, slug: &str) -> String {
    format!("{}{slug}/", section_url(dir))
}

/// The print page of a report (or of a year's volume) at `url`.
pub fn print_url(url: &str) -> String {
    format!("{url}print/")
}

/// The share page of a report at `url`.
pub fn share_url(url: &str) -> String {
    format!("{url}share/")
}

/// The PDF printed from the print page at `print_url`, named `name.pdf`.
pub fn pdf_url(print_url: &str, name: &str) -> String {
    format!("{print_url}{name}.pdf")
}

/// A report year in the archive.
pub fn year_url(year: i32) -> String {
    format!("{ARCHIVE_URL}{year}/")
}

/// An issuing unit's page.
pub fn unit_url(slug: &str) -> String {
    format!("{SOURCES_URL}{slug}/")
}

/// An issuing unit's feed.
pub fn unit_feed_url(unit_url: &str) -> String {
    format!("{unit_url}atom.xml")
}

/// A tag or category page; `kind` is `tags` or `categories`.
pub fn term_url(kind: &str, slug: &str) -> String {
    format!("/{kind}/{slug}/")
}

/// The path part of `base_url` (`https://a.gov.cn/zwgk` → `/zwgk`), `""` at a host's root.
pub fn path_prefix(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].trim_end_matches('/'),
        None => "",
    }
}

/// The address a page links to for site path `path`: the path with the base
/// URL's path prefix (`/2023/a/` → `/zwgk/2023/a/`), so links work when the site
/// is published below a folder of its host. Anything that is not a site path
/// (`https://…`, `#top`, `mailto:`) is kept.
pub fn href(prefix: &str, path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") {
        format!("{prefix}{path}")
    } else {
        path.to_string()
    }
}

/// An address an editor wrote from the host's root, as pages link to it: with
/// the path prefix once, whether the editor wrote it (`/zwgk/2023/a/`) or not
/// (`/2023/a/`), as `links` resolves both.
pub fn rooted_href(prefix: &str, written: &str) -> String {
    let within = written
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
    if prefix.is_empty() || within {
        written.to_string()
    } else {
        href(prefix, written)
    }
}

/// `scheme://host` of `base_url`, for absolute URLs of site paths that already
/// carry the path prefix.
pub fn origin(base_url: &str) -> &str {
    let prefix = path_prefix(base_url);
    let end = base_url.trim_end_matches('/').len() - prefix.len();
    &base_url[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_output_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/2022/foo/"), "2022/foo/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
        assert_eq!(url_of_output("2022/foo/index.html"), "/2022/foo/");
        assert_eq!(url_of_output("a.png"), "/a.png");
        assert_eq!(
            alias_output_path("/zwgk/2023/0310/12345.html"),
            "zwgk/2023/0310/12345.html"
        );
        assert_eq!(alias_output_path("/old/report"), "old/report/index.html");
        assert_eq!(
            alias_output_path("/old/%E6%8A%A5%E5%91%8A.html"),
            "old/报告.html"
        );
    }

    #[test]
    fn page_addresses() {
        let url = report_url("2022", "foo");
        assert_eq!(url, "/2022/foo/");
        assert_eq!(report_url("", "foo"), "/foo/");
        assert_eq!(print_url(&url), "/2022/foo/print/");
        assert_eq!(share_url(&url), "/2022/foo/share/");
        assert_eq!(pdf_url(&print_url(&url), "foo"), "/2022/foo/print/foo.pdf");
        assert_eq!(year_url(2022), "/archive/2022/");
        assert_eq!(unit_feed_url(&unit_url("sfj")), "/sources/sfj/atom.xml");
        assert_eq!(term_url("tags", "a"), "/tags/a/");
    }

    #[test]
    fn base_url_parts() {
        assert_eq!(path_prefix("https://a.gov.cn"), "");
        assert_eq!(path_prefix("https://a.gov.cn/zwgk"), "/zwgk");
        assert_eq!(path_prefix("https://a.gov.cn/a/b/"), "/a/b");
        assert_eq!(origin("https://a.gov.cn/zwgk"), "https://a.gov.cn");
        assert_eq!(origin("https://a.gov.cn"), "https://a.gov.cn");
        assert_eq!(href("/zwgk", "/2023/a/"), "/zwgk/2023/a/");
        assert_eq!(href("/zwgk", "/"), "/zwgk/");
        assert_eq!(href("", "/a/"), "/a/");
        assert_eq!(href("/zwgk", "https://b.cn/x"), "https://b.cn/x");
        assert_eq!(href("/zwgk", "//b.cn/x"), "//b.cn/x");
        assert_eq!(href("/zwgk", "#top"), "#top");
        assert_eq!(rooted_href("/zwgk", "/2023/a/"), "/zwgk/2023/a/");
        assert_eq!(rooted_href("/zwgk", "/zwgk/2023/a/"), "/zwgk/2023/a/");
        assert_eq!(rooted_href("/zwgk", "/zwgk#top"), "/zwgk#top");
        assert_eq!(rooted_href("/zwgk", "/zwgkx/"), "/zwgk/zwgkx/");
        assert_eq!(rooted_href("", "/2023/a/"), "/2023/a/");
        assert_eq!(rooted_href("/zwgk", "https://b.cn/"), "https://b.cn/");
    }
}
