//! Links and images in report bodies: where they lead, and whether the site has
//! anything there.
//!
//! A relative address is resolved against the folder of the Markdown file, as
//! Markdown editors and GitHub do (`chart.png` next to `content/2021/report.md`,
//! `report/pic.png` in its attachment folder, `../2022/other.md`); when nothing
//! is there, against the report's address, as a browser on the report page
//! would (`pic.png` in the attachment folder, `../other/`). It is written as a
//! site path, so the same body HTML works on the report, print, share and
//! volume pages and, made absolute, in feeds.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::diagnostics::{Diagnostic, closest};
use crate::i18n::tr;
use crate::markdown::{LinkRewriter, Rendered};
use crate::model::{Report, Site};
use crate::routes::{self, output_path, url_of_output};

/// Where a link leads.
#[derive(Debug, PartialEq)]
pub enum LinkTarget {
    External(String),
    /// A site path (percent-decoded, without the base URL's path prefix) and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// `..` climbs above the site root.
    Escapes,
    /// mailto:, tel: and other schemes that cannot be checked.
    Other,
}

/// The site path of every source file that has one: reports (`2023/foo.md`),
/// sections (`2023`, `2023/_index.md`) and files (`2023/foo/pic.png`), by their
/// path relative to `content/`.
#[derive(Debug, PartialEq)]
pub struct SourcePaths {
    by_source: HashMap<String, String>,
    content_dir: std::path::PathBuf,
    base_url: String,
    prefix: String,
}

impl SourcePaths {
    pub fn new(site: &Site) -> SourcePaths {
        let content_dir = site.root.join(crate::content::CONTENT_DIR);
        let mut by_source = HashMap::new();
        for s in &site.sections {
            by_source.insert(s.dir.clone(), s.url.clone());
            let index = join(&s.dir, crate::content::SECTION_FILE);
            by_source.insert(index, s.url.clone());
        }
        for a in &site.assets {
            if let Ok(rel) = a.file.strip_prefix(&content_dir) {
                by_source.insert(slashed(rel), url_of_output(&a.output));
            }
        }
        for r in &site.reports {
            if let Ok(rel) = r.file.strip_prefix(&content_dir) {
                by_source.insert(slashed(rel), r.url.clone());
            }
        }
        SourcePaths {
            by_source,
            content_dir,
            base_url: site.config.base_url.clone(),
            prefix: routes::path_prefix(&site.config.base_url).to_string(),
        }
    }

    /// A hash of every link target, the same in every run (the map's own
    /// order is not): what a stored rendering of a body depends on.
    pub fn digest(&self) -> [u8; 32] {
        let mut sources: Vec<(&String, &String)> = self.by_source.iter().collect();
        sources.sort_unstable();
        let mut hasher = blake3::Hasher::new();
        let content_dir = self.content_dir.to_string_lossy();
        let fixed = [content_dir.as_ref(), &self.base_url, &self.prefix];
        let pairs = sources
            .into_iter()
            .flat_map(|(a, b)| [a.as_str(), b.as_str()]);
        for text in fixed.into_iter().chain(pairs) {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        *hasher.finalize().as_bytes()
    }

    /// The links of one report's body.
    pub fn of<'a>(&'a self, report: &'a Report) -> ReportLinks<'a> {
        let dir = report
            .file
            .strip_prefix(&self.content_dir)
            .ok()
            .and_then(Path::parent)
            .map(slashed)
            .unwrap_or_default();
        ReportLinks {
            paths: self,
            dir,
            page_url: &report.url,
        }
    }
}

/// Resolves the links of one report.
pub struct ReportLinks<'a> {
    paths: &'a SourcePaths,
    /// Folder of the Markdown file, relative to `content/`.
    dir: String,
    page_url: &'a str,
}

/// Characters kept escaped when a decoded path is written out again.
const PATH_ESCAPES: &AsciiSet = &CONTROLS.add(b'%').add(b'#').add(b'?').add(b' ').add(b'"');

impl ReportLinks<'_> {
    /// Where `url` leads.
    pub fn resolve(&self, url: &str) -> LinkTarget {
        let url = url.trim();
        let base = self.paths.base_url.as_str();
        let local = url
            .strip_prefix(base)
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', '#', '?']));
        let url = match local {
            Some("") => "/",
            Some(rest) => rest,
            None => url,
        };
        if url.is_empty() {
            return LinkTarget::Other;
        }
        if url.starts_with("//") {
            return LinkTarget::External(format!("https:{url}"));
        }
        if let Some(scheme) = scheme(url) {
            return if scheme == "http" || scheme == "https" {
                LinkTarget::External(url.to_string())
            } else {
                LinkTarget::Other
            };
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(decode(f))),
            None => (url, None),
        };
        let raw_path = rest.split('?').next().unwrap_or("");
        if raw_path.is_empty() {
            return LinkTarget::Internal {
                path: self.page_url.to_string(),
                fragment,
            };
        }
        let path = if let Some(rooted) = raw_path.strip_prefix('/') {
            // Written from the root: with or without the base URL's path prefix.
            let prefix = self.paths.prefix.as_str();
            let within = (!prefix.is_empty())
                .then(|| raw_path.strip_prefix(prefix))
                .flatten()
                .filter(|r| r.is_empty() || r.starts_with('/'));
            match within {
                Some(r) => normalize("", r),
                None => normalize("", rooted),
            }
        } else {
            match self.in_source_folder(raw_path) {
                Some(path) => Some(path),
                None => normalize(parent_of(self.page_url), raw_path),
            }
        };
        match path {
            Some(path) => LinkTarget::Internal {
                path: decode(&path),
                fragment,
            },
            None => LinkTarget::Escapes,
        }
    }

    /// The site path of a relative `path` resolved from the Markdown file's folder,
    /// when a source file or folder is there.
    fn in_source_folder(&self, path: &str) -> Option<String> {
        let joined = normalize(&format!("/{}", self.dir), path)?;
        let rel = decode(joined.trim_start_matches('/'));
        let rel = rel.trim_end_matches('/');
        self.paths.by_source.get(rel).cloned()
    }
}

impl LinkRewriter for ReportLinks<'_> {
    /// Relative addresses become site paths with the base URL's path prefix,
    /// and addresses from the root get the prefix when they lack it;
    /// everything else is kept.
    fn rewrite(&self, url: &str) -> Option<String> {
        let trimmed = url.trim();
        if trimmed.starts_with('/') && !trimmed.starts_with("//") {
            let href = routes::rooted_href(&self.paths.prefix, trimmed);
            return (href != trimmed).then_some(href);
        }
        if trimmed.is_empty() || trimmed.starts_with(['/', '#', '?']) || scheme(trimmed).is_some() {
            return None;
        }
        let LinkTarget::Internal { path, .. } = self.resolve(trimmed) else {
            return None;
        };
        let suffix = trimmed.find(['?', '#']).map_or("", |i| &trimmed[i..]);
        let encoded = utf8_percent_encode(&path, PATH_ESCAPES);
        Some(format!("{}{encoded}{suffix}", self.paths.prefix))
    }
}

/// A site path of a file as an address: the characters an address cannot hold
/// as they are (space, `#`, `?`, `%`, `"`, controls) are %-escaped, other
/// characters kept (`/2023/a/统计 表.pdf` → `/2023/a/统计%20表.pdf`).
pub fn file_href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii() && (c.is_ascii_control() || matches!(c, ' ' | '#' | '?' | '%' | '"')) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The scheme of an absolute URL (`mailto`), lower-cased.
fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let first_delimiter = url.find(['/', '?', '#']).unwrap_or(url.len());
    (colon < first_delimiter).then(|| url[..colon].to_ascii_lowercase())
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// `/a/b/` for `/a/b/page`.
fn parent_of(url: &str) -> &str {
    &url[..url.rfind('/').map_or(0, |i| i + 1)]
}

/// `path` joined to the site folder `dir` with `.` and `..` applied; `None`
/// when it climbs above the root. Keeps a trailing `/`.
fn normalize(dir: &str, path: &str) -> Option<String> {
    let joined = format!("{}/{path}", dir.trim_end_matches('/'));
    let parts: Vec<&str> = joined.split('/').collect();
    let mut segments: Vec<&str> = Vec::new();
    for seg in &parts {
        match *seg {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    let trailing = joined.ends_with('/')
        || matches!(parts.last(), Some(&".") | Some(&".."))
        || segments.is_empty();
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Body HTML for a feed, where readers show it away from the site: site paths
/// become absolute URLs on the site's origin (they already carry the base URL's
/// path prefix) and in-page `#anchors` point into the report's page. The
/// Markdown stage escapes `"` in text, so the pattern only matches real markup.
pub fn absolute_for_feed(html: &str, base_url: &str, permalink: &str) -> String {
    static SITE_PATH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(\s(?:href|src)=")(#|/(?:[^/]|$))"#).expect("constant pattern")
    });
    let origin = routes::origin(base_url);
    SITE_PATH
        .replace_all(html, |c: &regex::Captures| {
            let start = &c[2];
            if start == "#" {
                format!("{}{permalink}#", &c[1])
            } else {
                format!("{}{origin}{start}", &c[1])
            }
        })
        .into_owned()
}

/// Every path the site will have, with the ids of pages when they are known.
pub struct Targets {
    files: HashMap<String, HashSet<String>>,
    /// Paths the model gives pages and files, whether or not they were seen written.
    claimed: HashSet<String>,
}

impl Targets {
    /// `written`: output path → ids of the page (empty when not known).
    pub fn new(site: &Site, written: HashMap<String, HashSet<String>>) -> Targets {
        Targets {
            files: written,
            claimed: site.output_paths(),
        }
    }

    /// `None` when nothing is at `path`; else the page's ids when they are known.
    pub fn lookup(&self, path: &str) -> Option<Option<&HashSet<String>>> {
        let mut candidates = vec![output_path(path)];
        if !path.ends_with('/') {
            candidates.push(output_path(&format!("{path}/")));
        }
        for c in &candidates {
            if let Some(ids) = self.files.get(c) {
                return Some(Some(ids));
            }
        }
        candidates
            .iter()
            .any(|c| self.claimed.contains(c))
            .then_some(None)
    }

    fn closest_path(&self, path: &str) -> Option<String> {
        let wanted = output_path(path);
        closest(&wanted, self.files.keys().map(String::as_str)).map(url_of_output)
    }
}

/// A problem with one link of `report`, if any (without position). `#anchors`
/// are checked only on pages whose ids are known.
pub fn check_link(
    links: &ReportLinks,
    report: &Report,
    targets: &Targets,
    url: &str,
    what: &str,
) -> Option<Diagnostic> {
    // Callers name the kind in English ("image"/"link"); the message names it in the editor's language.
    let what = if what == "image" {
        tr("links.what-image", &[])
    } else {
        tr("links.what-link", &[])
    };
    match links.resolve(url) {
        LinkTarget::External(_) | LinkTarget::Other => None,
        LinkTarget::Escapes => Some(
            Diagnostic::error(tr("links.above-root", &[("what", &what), ("url", &url)]))
                .with_help(tr("links.above-root-help", &[])),
        ),
        LinkTarget::Internal { path, fragment } => match targets.lookup(&path) {
            None => {
                let help = match targets.closest_path(&path) {
                    Some(near) => tr(
                        "links.nowhere-did-you-mean",
                        &[("near", &near), ("page", &report.url)],
                    ),
                    None => tr("links.nowhere-help", &[("page", &report.url)]),
                };
                Some(
                    Diagnostic::error(tr(
                        "links.nowhere",
                        &[("what", &what), ("url", &url), ("path", &path)],
                    ))
                    .with_help(help),
                )
            }
            Some(Some(ids)) => {
                let fragment = fragment.filter(|f| !f.is_empty())?;
                if ids.is_empty() || ids.contains(&fragment) {
                    return None;
                }
                let help = match closest(&fragment, ids.iter().map(String::as_str)) {
                    Some(near) => tr("links.anchor-did-you-mean", &[("near", &near)]),
                    None => tr("links.anchor-help", &[]),
                };
                Some(
                    Diagnostic::error(tr(
                        "links.anchor",
                        &[
                            ("what", &what),
                            ("url", &url),
                            ("fragment", &fragment),
                            ("path", &path),
                        ],
                    ))
                    .with_help(help),
                )
            }
            Some(None) => None,
        },
    }
}

/// Links and images of every report body that lead nowhere, as warnings at
/// their place in the file (what `build` and `serve` say; `check` errs).
pub fn broken_in_bodies(site: &Site, rendered: &[Rendered], targets: &Targets) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let paths = SourcePaths::new(site);
    site.reports
        .par_iter()
        .zip(rendered)
        .flat_map_iter(|(report, rendered)| {
            let links = paths.of(report);
            rendered
                .links
                .iter()
                .filter_map(|l| {
                    let what = if l.image { "image" } else { "link" };
                    let mut d = check_link(&links, report, targets, &l.url, what)?;
                    d.severity = crate::diagnostics::Severity::Warning;
                    Some(
                        d.in_file(&report.file)
                            .at(report.body_line + l.line - 1, l.column),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(sources: &[(&str, &str)], base_url: &str) -> SourcePaths {
        SourcePaths {
            by_source: sources
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            content_dir: "content".into(),
            base_url: base_url.into(),
            prefix: routes::path_prefix(base_url).into(),
        }
    }

    fn links<'a>(paths: &'a SourcePaths, dir: &str, page: &'a str) -> ReportLinks<'a> {
        ReportLinks {
            paths,
            dir: dir.into(),
            page_url: page,
        }
    }

    fn internal(path: &str, fragment: Option<&str>) -> LinkTarget {
        LinkTarget::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn links_resolve_like_a_browser_when_no_source_file_is_there() {
        let p = paths(&[], "https://www.example.gov.cn");
        let page = "/2023/report/";
        let l = links(&p, "2023", page);
        assert_eq!(l.resolve("#一总体情况"), internal(page, Some("一总体情况")));
        assert_eq!(l.resolve("../other/"), internal("/2023/other/", None));
        assert_eq!(
            l.resolve("table.pdf"),
            internal("/2023/report/table.pdf", None)
        );
        assert_eq!(l.resolve("/a/b/#x"), internal("/a/b/", Some("x")));
        assert_eq!(l.resolve("%E4%B8%80/"), internal("/2023/report/一/", None));
        assert_eq!(l.resolve("../../../x"), LinkTarget::Escapes);
        assert_eq!(
            l.resolve("https://www.example.gov.cn/a/"),
            internal("/a/", None)
        );
        assert_eq!(
            l.resolve("https://www.gov.cn/"),
            LinkTarget::External("https://www.gov.cn/".into())
        );
        assert_eq!(
            l.resolve("//www.gov.cn/"),
            LinkTarget::External("https://www.gov.cn/".into())
        );
        assert_eq!(l.resolve("mailto:a@b.cn"), LinkTarget::Other);
        assert_eq!(l.resolve(".."), internal("/2023/", None));
    }

    #[test]
    fn source_files_win_and_rewrites_carry_the_prefix() {
        let p = paths(
            &[
                ("2021/chart.png", "/2021/chart.png"),
                ("2021/r/pic.png", "/2021/slug21/pic.png"),
                ("2022/other.md", "/2022/other/"),
                ("2022", "/2022/"),
            ],
            "https://a.gov.cn/zwgk",
        );
        let l = links(&p, "2021", "/2021/slug21/");
        assert_eq!(
            l.rewrite("chart.png").as_deref(),
            Some("/zwgk/2021/chart.png")
        );
        assert_eq!(
            l.rewrite("./r/pic.png?v=1#top").as_deref(),
            Some("/zwgk/2021/slug21/pic.png?v=1#top")
        );
        // Not a source file: the attachment folder, as on the report page.
        assert_eq!(
            l.rewrite("pic.png").as_deref(),
            Some("/zwgk/2021/slug21/pic.png")
        );
        assert_eq!(
            l.rewrite("../2022/other.md#x").as_deref(),
            Some("/zwgk/2022/other/#x")
        );
        assert_eq!(l.rewrite("../2022/").as_deref(), Some("/zwgk/2022/"));
        assert_eq!(
            l.rewrite("图 表.png").as_deref(),
            Some("/zwgk/2021/slug21/%E5%9B%BE%20%E8%A1%A8.png")
        );
        // From the root: the prefix is added once, never twice.
        assert_eq!(l.rewrite("/a/").as_deref(), Some("/zwgk/a/"));
        assert_eq!(l.rewrite("/zwgk/2022/"), None);
        for kept in [
            "//cdn.example.cn/a.png",
            "#x",
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "../../../x",
        ] {
            assert_eq!(l.rewrite(kept), None, "{kept}");
        }
        assert_eq!(l.resolve("/zwgk/2022/"), internal("/2022/", None));
    }

    #[test]
    fn feeds_get_absolute_addresses() {
        let html = r##"<p><a href="/zwgk/2021/a.pdf">a</a> <img src="/zwgk/x.png" alt="x" /> <a href="#fn-1">1</a> <a href="https://b.cn/">b</a> <a href="//c.cn/">c</a></p>"##;
        let out = absolute_for_feed(
            html,
            "https://a.gov.cn/zwgk",
            "https://a.gov.cn/zwgk/2021/r/",
        );
        assert!(
            out.contains(r#"href="https://a.gov.cn/zwgk/2021/a.pdf""#),
            "{out}"
        );
        assert!(
            out.contains(r#"src="https://a.gov.cn/zwgk/x.png""#),
            "{out}"
        );
        assert!(
            out.contains(r##"href="https://a.gov.cn/zwgk/2021/r/#fn-1""##),
            "{out}"
        );
        assert!(
            out.contains(r#"href="https://b.cn/""#) && out.contains(r#"href="//c.cn/""#),
            "{out}"
        );
    }
}
