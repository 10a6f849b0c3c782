//! `annals check`: everything `build` validates, without writing anything, and
//! what an editor should fix before publishing: links and `#anchors` that lead
//! nowhere, images without alt text, skipped heading levels, duplicate titles,
//! missing required parts of annual reports, late publishing, and outlines
//! pasted as plain paragraphs. External links are checked only when asked.

pub mod external;
pub mod rules;
pub mod scan;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::config::{Config, OutlineMode};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::markdown::{Rendered, outline_candidates};
use crate::model::{ModelOptions, RESERVED_PATHS, Report, Site, alias_output_path, output_path};
use crate::output::{Output, Written};
use crate::pages::{self, BuildContext};
use crate::pipeline::{self, BuildOptions};
use rules::RuleSet;
use scan::LinkKind;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Also request every external link (HEAD, then GET), with a cache.
    pub external: bool,
}

#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub diagnostics: Diagnostics,
    pub reports: usize,
    /// Links and images looked at.
    pub links: usize,
    /// External addresses requested or taken from the cache.
    pub external: usize,
}

/// Runs every check. `Err` only when the site cannot be read at all (no config).
pub fn run(options: &CheckOptions) -> Result<CheckOutcome, Diagnostics> {
    let root = &options.build.root;
    let mut diagnostics = Diagnostics::default();
    let (mut config, warning) = Config::load(root)?;
    diagnostics.extend(warning);
    if let Some(url) = &options.build.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    // Valid: Config::load checked the rule sets.
    let rule_sets = rules::resolve(&config.rules).unwrap_or_default();
    // Unlike `build`, keep going after content errors to find everything else too.
    let loaded = content::load(root, &mut diagnostics);
    let site = Site::build(
        config,
        root,
        loaded,
        &ModelOptions {
            drafts: options.build.drafts,
        },
        &mut diagnostics,
    );
    // Disclosure statistics that do not add up are errors here, warnings in `build`.
    diagnostics.extend(
        crate::disclosure::check_site(&site)
            .into_iter()
            .map(|mut d| {
                d.severity = crate::diagnostics::Severity::Error;
                d
            }),
    );
    diagnostics.extend(crate::disclosure::rename_hints(&site));
    diagnostics.extend(crate::content::paragraphs::giant_paragraph_warnings(&site));
    diagnostics.extend(crate::content::placeholders::warnings(&site, root));
    let rendered = pipeline::render_markdown(&site);
    diagnostics.extend(pages::assets::unpublished(&site, &rendered));
    let written = match pipeline::renderer_for(&site) {
        Ok(renderer) => {
            let out = Output::discard();
            let written = pipeline::qr_codes(&site, &renderer).and_then(|qr| {
                pages::write_all(&BuildContext::full(&site, &rendered, &renderer, &out, &qr))
            });
            if let Err(errors) = written {
                diagnostics.extend(errors.items);
            }
            out.into_written()
        }
        Err(errors) => {
            diagnostics.extend(errors.items);
            Written::default()
        }
    };
    let targets = Targets::new(&site, written);
    let results: Vec<ReportFindings> = site
        .reports
        .par_iter()
        .zip(&rendered)
        .map(|(report, rendered)| check_report(&site, report, rendered, &targets, &rule_sets))
        .collect();
    let mut outcome = CheckOutcome {
        reports: site.reports.len(),
        ..Default::default()
    };
    let mut externals: Vec<ExternalLink> = Vec::new();
    for r in results {
        outcome.links += r.links;
        diagnostics.extend(r.diagnostics);
        externals.extend(r.external);
    }
    diagnostics.extend(duplicate_titles(&site));
    diagnostics.extend(derived_unit_slugs(&site, root));
    if options.external {
        let cache_dir = root.join(external::CACHE_DIR);
        let urls: Vec<String> = externals
            .iter()
            .map(|e| e.url.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        outcome.external = urls.len();
        let results = external::check_all(&urls, &cache_dir);
        for link in &externals {
            if let Some(Err(problem)) = results.get(&link.url) {
                let d = if problem.broken {
                    Diagnostic::error(format!(
                        "external link {} is broken: {}",
                        link.url, problem.reason
                    ))
                } else {
                    Diagnostic::warning(format!(
                        "external link {} could not be checked: {}",
                        link.url, problem.reason
                    ))
                };
                diagnostics.push(
                    d.in_file(&link.file)
                        .at(link.line, link.column)
                        .with_help("fix or remove the link; addresses of old government pages often move to a new site"),
                );
            }
        }
    }
    attach_source_lines(&mut diagnostics);
    outcome.diagnostics = diagnostics;
    Ok(outcome)
}

/// Shows the offending line under each message that has a line but no text yet.
fn attach_source_lines(diagnostics: &mut Diagnostics) {
    let mut texts: HashMap<std::path::PathBuf, Option<String>> = HashMap::new();
    for d in &mut diagnostics.items {
        let (Some(file), Some(_), None) = (&d.file, d.line, &d.source_line) else {
            continue;
        };
        let text = texts
            .entry(file.clone())
            .or_insert_with(|| std::fs::read_to_string(file).ok());
        if let Some(text) = text {
            let with = d.clone().with_source(text);
            *d = with;
        }
    }
}

/// An external address and where it was found.
#[derive(Debug, Clone)]
struct ExternalLink {
    url: String,
    file: std::path::PathBuf,
    line: usize,
    column: usize,
}

#[derive(Debug, Default)]
struct ReportFindings {
    diagnostics: Vec<Diagnostic>,
    external: Vec<ExternalLink>,
    links: usize,
}

/// Every path the site will have, with the ids of the pages that were rendered.
struct Targets {
    files: HashMap<String, HashSet<String>>,
    /// Paths the model gives pages that are rendered by other page kinds.
    claimed: HashSet<String>,
}

impl Targets {
    fn new(site: &Site, written: Written) -> Targets {
        let mut claimed: HashSet<String> = HashSet::new();
        for top in RESERVED_PATHS {
            claimed.insert(output_path(&format!("/{top}/")));
            claimed.insert((*top).to_string());
        }
        for r in &site.reports {
            claimed.insert(output_path(&r.print_url));
            claimed.insert(output_path(&r.share_url));
        }
        for y in &site.years {
            claimed.insert(output_path(&y.url));
            claimed.insert(output_path(&y.print_url));
        }
        for u in &site.units {
            claimed.insert(output_path(&u.url));
            claimed.insert(output_path(&u.feed_url));
        }
        for t in site.categories.iter().chain(&site.tags) {
            claimed.insert(output_path(&t.url));
        }
        for a in &site.aliases {
            claimed.insert(alias_output_path(&a.path));
        }
        for a in &site.assets {
            claimed.insert(a.output.clone());
        }
        for s in &site.sections {
            claimed.insert(output_path(&s.url));
        }
        Targets {
            files: written.files,
            claimed,
        }
    }

    /// `None` when nothing is at `path`; else the page's ids when they are known.
    fn lookup(&self, path: &str) -> Option<Option<&HashSet<String>>> {
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
        closest(&wanted, self.files.keys().map(String::as_str)).map(|rel| {
            let url = format!("/{rel}");
            url.strip_suffix("index.html")
                .map(str::to_string)
                .unwrap_or(url)
        })
    }
}

/// Where a link in a report leads.
#[derive(Debug, PartialEq)]
enum LinkTarget {
    External(String),
    /// A site path (percent-decoded) and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// `..` climbs above the site root.
    Escapes,
    /// mailto:, tel: and other schemes that cannot be checked.
    Other,
}

fn classify(url: &str, page_url: &str, base_url: &str) -> LinkTarget {
    let url = url.trim();
    let local = url
        .strip_prefix(base_url)
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
    let scheme_end = url.find(':');
    let first_delimiter = url.find(['/', '?', '#']).unwrap_or(url.len());
    if let Some(colon) = scheme_end
        && colon < first_delimiter
    {
        let scheme = url[..colon].to_ascii_lowercase();
        return if scheme == "http" || scheme == "https" {
            LinkTarget::External(url.to_string())
        } else {
            LinkTarget::Other
        };
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((p, f)) => (
            p,
            Some(percent_decode_str(f).decode_utf8_lossy().into_owned()),
        ),
        None => (url, None),
    };
    let raw_path = rest.split('?').next().unwrap_or("");
    if raw_path.is_empty() {
        return LinkTarget::Internal {
            path: page_url.to_string(),
            fragment,
        };
    }
    let joined = if raw_path.starts_with('/') {
        raw_path.to_string()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{raw_path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = joined.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return LinkTarget::Escapes;
                }
            }
            s => segments.push(s),
        }
        let _ = i;
    }
    let trailing = joined.ends_with('/')
        || matches!(parts.last(), Some(&".") | Some(&".."))
        || segments.is_empty();
    let mut path = format!("/{}", segments.join("/"));
    if trailing && !path.ends_with('/') {
        path.push('/');
    }
    LinkTarget::Internal {
        path: percent_decode_str(&path).decode_utf8_lossy().into_owned(),
        fragment,
    }
}

fn check_report(
    site: &Site,
    report: &Report,
    rendered: &Rendered,
    targets: &Targets,
    rule_sets: &[RuleSet],
) -> ReportFindings {
    let mut found = ReportFindings::default();
    let options = pipeline::markdown_options(site);
    let scan = scan::scan(&report.body, report.body_line, &options);
    let file = &report.file;
    found.links = scan.links.len();
    for link in &scan.links {
        let at = |d: Diagnostic| d.in_file(file).at(link.line, link.column);
        if link.kind == LinkKind::Image && link.text.is_empty() {
            found.diagnostics.push(at(Diagnostic::error(format!(
                "image {} has no alt text",
                link.url
            ))
            .with_help("describe what the image shows between the brackets: ![2023年行政执法案件数量统计图](…); screen readers read it aloud")));
        }
        let what = if link.kind == LinkKind::Image {
            "image"
        } else {
            "link"
        };
        if let Some(d) = check_link(site, report, targets, &link.url, what) {
            found.diagnostics.push(at(d));
        }
        if let LinkTarget::External(url) = classify(&link.url, &report.url, &site.config.base_url) {
            found.external.push(ExternalLink {
                url,
                file: file.clone(),
                line: link.line,
                column: link.column,
            });
        }
    }
    // Links in front matter are shown on the page too.
    let front_links = report
        .meta
        .related
        .iter()
        .map(|l| ("related", &l.url))
        .chain(
            report
                .meta
                .attachments
                .iter()
                .filter_map(|a| a.url.as_ref().map(|u| ("attachments", u))),
        );
    for (key, url) in front_links {
        found.links += 1;
        let line = report.meta.line_of(key).unwrap_or(1);
        if let Some(d) = check_link(site, report, targets, url, "link") {
            found.diagnostics.push(d.in_file(file).at_line(line));
        }
        if let LinkTarget::External(url) = classify(url, &report.url, &site.config.base_url) {
            found.external.push(ExternalLink {
                url,
                file: file.clone(),
                line,
                column: 1,
            });
        }
    }
    found.diagnostics.extend(heading_skips(report, &scan));
    if scan.headings.is_empty()
        && site.config.markdown.outline == OutlineMode::Off
        && let Some(first) = outline_candidates(&report.body).first()
    {
        let count = outline_candidates(&report.body).len();
        found.diagnostics.push(
            Diagnostic::warning(format!(
                "the report has no headings, but {count} paragraphs look like an outline (`{}` …)",
                first.1
            ))
            .in_file(file)
            .at(report.body_line + first.0, 1)
            .with_help("set outline = \"auto\" under [markdown] in config.toml to make them headings with a contents list, or mark them with ## and ###"),
        );
    }
    found.diagnostics.extend(rules::apply(
        rule_sets,
        report,
        &site.units[report.unit],
        rendered,
    ));
    found
}

/// A problem with one link of `report`, if any (without position).
fn check_link(
    site: &Site,
    report: &Report,
    targets: &Targets,
    url: &str,
    what: &str,
) -> Option<Diagnostic> {
    match classify(url, &report.url, &site.config.base_url) {
        LinkTarget::External(_) | LinkTarget::Other => None,
        LinkTarget::Escapes => Some(
            Diagnostic::error(format!("{what} {url} points above the site's root")).with_help(
                "remove the extra ../ or write the address from the root, e.g. /2023/report/",
            ),
        ),
        LinkTarget::Internal { path, fragment } => match targets.lookup(&path) {
            None => {
                let help = match targets.closest_path(&path) {
                    Some(near) => format!(
                        "did you mean {near}? Links are resolved from the report's address {}",
                        report.url
                    ),
                    None => format!(
                        "check the address; links without a leading / are resolved from the report's address {}",
                        report.url
                    ),
                };
                Some(
                    Diagnostic::error(format!(
                        "{what} {url} leads nowhere: the site has nothing at {path}"
                    ))
                    .with_help(help),
                )
            }
            Some(Some(ids)) => {
                let fragment = fragment.filter(|f| !f.is_empty())?;
                if ids.contains(&fragment) {
                    return None;
                }
                let help = match closest(&fragment, ids.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean #{near}?"),
                    None => "anchors of headings are their text without punctuation, e.g. ## 一、总体情况 → #一总体情况".to_string(),
                };
                Some(
                    Diagnostic::error(format!(
                        "{what} {url}: the anchor #{fragment} does not exist on {path}"
                    ))
                    .with_help(help),
                )
            }
            Some(None) => None,
        },
    }
}

/// Heading levels that skip one (## then ####): screen reader users navigate by them.
fn heading_skips(report: &Report, scan: &scan::Scan) -> Vec<Diagnostic> {
    // As rendered: `#` headings are shifted one level down under the page title.
    let shift = u8::from(scan.headings.iter().any(|h| h.level == 1));
    let mut previous = 1;
    let mut out = Vec::new();
    for h in &scan.headings {
        let level = (h.level + shift).min(6);
        if level > previous + 1 {
            out.push(
                Diagnostic::warning(format!(
                    "heading `{}` jumps from level {} to level {}",
                    h.text, previous, level
                ))
                .in_file(&report.file)
                .at(h.line, h.column)
                .with_help(format!(
                    "use {} for it, so the outline has no gaps",
                    "#".repeat(usize::from(previous + 1 - shift))
                )),
            );
        }
        previous = level;
    }
    out
}

/// Reports of one unit and year with the same title confuse readers and search.
fn duplicate_titles(site: &Site) -> Vec<Diagnostic> {
    let mut first: HashMap<(usize, i32, &str), &Report> = HashMap::new();
    let mut out = Vec::new();
    // Oldest first, so the later publication is the one flagged.
    for r in site.reports.iter().rev() {
        match first.get(&(r.unit, r.meta.year, r.meta.title.as_str())) {
            Some(other) => {
                let mut d = Diagnostic::warning(format!(
                    "{} has another {} report titled `{}`: {}",
                    r.meta.source,
                    r.meta.year,
                    r.meta.title,
                    other.file.display()
                ))
                .in_file(&r.file)
                .with_help(
                    "give each report a distinct title, e.g. name the category or add 修订版",
                );
                if let Some(line) = r.meta.line_of("title") {
                    d = d.at_line(line);
                }
                out.push(d);
            }
            None => {
                first.insert((r.unit, r.meta.year, r.meta.title.as_str()), r);
            }
        }
    }
    out
}

/// Units whose address was derived from pinyin change address when renamed.
fn derived_unit_slugs(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let config = root.join(crate::config::CONFIG_FILE);
    site.units
        .iter()
        .filter(|u| u.slug_derived)
        .map(|u| {
            Diagnostic::warning(format!(
                "unit `{}` has no entry under [units]; its address {} is derived from pinyin",
                u.name, u.url
            ))
            .in_file(&config)
            .with_help(format!(
                "to keep the address stable, add under [units]: \"{}\" = {{ slug = \"{}\" }}",
                u.name, u.slug
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> LinkTarget {
        LinkTarget::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let page = "/2023/report/";
        let base = "https://www.example.gov.cn";
        assert_eq!(
            classify("#一总体情况", page, base),
            internal(page, Some("一总体情况"))
        );
        assert_eq!(
            classify("../other/", page, base),
            internal("/2023/other/", None)
        );
        assert_eq!(
            classify("table.pdf", page, base),
            internal("/2023/report/table.pdf", None)
        );
        assert_eq!(
            classify("/a/b/#x", page, base),
            internal("/a/b/", Some("x"))
        );
        assert_eq!(
            classify("%E4%B8%80/", page, base),
            internal("/2023/report/一/", None)
        );
        assert_eq!(classify("../../../x", page, base), LinkTarget::Escapes);
        assert_eq!(
            classify("https://www.example.gov.cn/a/", page, base),
            internal("/a/", None)
        );
        assert_eq!(
            classify("https://www.gov.cn/", page, base),
            LinkTarget::External("https://www.gov.cn/".into())
        );
        assert_eq!(
            classify("//www.gov.cn/", page, base),
            LinkTarget::External("https://www.gov.cn/".into())
        );
        assert_eq!(classify("mailto:a@b.cn", page, base), LinkTarget::Other);
        assert_eq!(classify("..", page, base), internal("/2023/", None));
    }
}
