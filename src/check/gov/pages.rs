//! What a monitoring crawler reads from the generated pages: the 网站标识码 in
//! the footer and in `SiteIDCode`, a `PubDate` on every report page, and the
//! accessibility and 适老化 basics (a `lang`, alt text on images, a skip link,
//! the font-size control on report pages).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::{Site, output_path};

static PUB_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$").expect("valid regex"));

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

static META_CODE: LazyLock<Selector> = LazyLock::new(|| selector(r#"meta[name="SiteIDCode"]"#));
static META_DATE: LazyLock<Selector> = LazyLock::new(|| selector(r#"meta[name="PubDate"]"#));
static FOOTER: LazyLock<Selector> = LazyLock::new(|| selector("footer"));
static IMG_NO_ALT: LazyLock<Selector> = LazyLock::new(|| selector("img:not([alt])"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main[id]"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static FONT_CONTROL: LazyLock<Selector> = LazyLock::new(|| selector("[data-font]"));

/// A problem found on pages of the site-wide kind (each kind is reported once,
/// naming the first page and how many have it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum PageProblem {
    NoLang,
    ImageNoAlt,
    NoSkipLink,
    FooterCodeMissing,
    MetaCodeMismatch,
}

/// What one page shows, as far as the rules need (kept instead of its HTML,
/// so checking a large site does not hold every page in memory).
#[derive(Debug, Default)]
pub struct PageFacts {
    problems: Vec<PageProblem>,
    meta_code: Option<String>,
    pub_date: Option<String>,
    font_control: bool,
}

/// Reads one page; `site_code` is `[owner] site_code`, trimmed.
pub fn facts(html: &str, site_code: &str) -> PageFacts {
    let doc = Html::parse_document(html);
    let mut f = PageFacts::default();
    let root = doc.root_element();
    if root
        .value()
        .attr("lang")
        .is_none_or(|l| l.trim().is_empty())
    {
        f.problems.push(PageProblem::NoLang);
    }
    if doc.select(&IMG_NO_ALT).next().is_some() {
        f.problems.push(PageProblem::ImageNoAlt);
    }
    // A navigation before the main content is what a skip link skips.
    let nav_first = html
        .find("<nav")
        .is_some_and(|n| html.find("<main").is_none_or(|m| n < m));
    if nav_first && let Some(main) = doc.select(&MAIN).next() {
        let target = format!("#{}", main.value().id().unwrap_or_default());
        if !doc
            .select(&LINKS)
            .any(|a| a.value().attr("href") == Some(&target))
        {
            f.problems.push(PageProblem::NoSkipLink);
        }
    }
    f.meta_code = doc
        .select(&META_CODE)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string);
    if !site_code.is_empty() {
        if let Some(footer) = doc.select(&FOOTER).next_back()
            && !footer.text().collect::<String>().contains(site_code)
        {
            f.problems.push(PageProblem::FooterCodeMissing);
        }
        if f.meta_code.as_deref().map(str::trim) != Some(site_code) {
            f.problems.push(PageProblem::MetaCodeMismatch);
        }
    }
    f.pub_date = doc
        .select(&META_DATE)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string);
    f.font_control = doc.select(&FONT_CONTROL).next().is_some();
    f
}

/// Findings of every page; `pages` are output paths with what they show.
pub fn check(site: &Site, pages: &[(String, PageFacts)]) -> Vec<Diagnostic> {
    let code = site.config.owner.site_code.trim();
    let all: HashMap<&str, &PageFacts> = pages
        .iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, f)| (rel.as_str(), f))
        .collect();
    let mut grouped: BTreeMap<PageProblem, Vec<&str>> = BTreeMap::new();
    for (rel, f) in &all {
        for p in &f.problems {
            grouped.entry(*p).or_default().push(rel);
        }
    }
    let mut out: Vec<Diagnostic> = grouped
        .into_iter()
        .map(|(problem, mut rels)| {
            rels.sort_unstable();
            let first = all.get(rels[0]).and_then(|f| f.meta_code.clone());
            page_problem(problem, rels[0], rels.len(), code, first.as_deref())
        })
        .collect();
    let mut no_font_control = Vec::new();
    for r in &site.reports {
        let Some(f) = all.get(output_path(&r.url).as_str()) else {
            continue;
        };
        let page = output_path(&r.url);
        if !f
            .pub_date
            .as_deref()
            .is_some_and(|d| PUB_DATE.is_match(d.trim()))
        {
            let mut d = Diagnostic::error(tr("gov.no-pub-date", &[("page", &page)]))
                .in_file(&r.file)
                .with_help(tr("gov.no-pub-date-help", &[]));
            if let Some(line) = r.meta.line_of("date") {
                d = d.at_line(line);
            }
            out.push(d);
        }
        if !f.font_control {
            no_font_control.push(page);
        }
    }
    if let Some(first) = no_font_control.first() {
        out.push(
            Diagnostic::error(tr(
                "gov.no-font-control",
                &[("page", first), ("count", &no_font_control.len())],
            ))
            .with_help(tr("gov.no-font-control-help", &[])),
        );
    }
    out
}

fn page_problem(
    problem: PageProblem,
    page: &str,
    count: usize,
    code: &str,
    meta: Option<&str>,
) -> Diagnostic {
    let args: &[(&str, &dyn std::fmt::Display)] = &[("page", &page), ("count", &count)];
    let (message, help) = match problem {
        PageProblem::NoLang => (tr("gov.no-lang", args), tr("gov.no-lang-help", &[])),
        PageProblem::ImageNoAlt => (tr("gov.img-no-alt", args), tr("gov.img-no-alt-help", &[])),
        PageProblem::NoSkipLink => (
            tr("gov.no-skip-link", args),
            tr("gov.no-skip-link-help", &[]),
        ),
        PageProblem::FooterCodeMissing => (
            tr(
                "gov.footer-code-missing",
                &[("page", &page), ("count", &count), ("code", &code)],
            ),
            tr("gov.site-code-shown-help", &[]),
        ),
        PageProblem::MetaCodeMismatch => (
            tr(
                "gov.meta-code-mismatch",
                &[
                    ("page", &page),
                    ("count", &count),
                    ("code", &code),
                    ("meta", &meta.unwrap_or("")),
                ],
            ),
            tr("gov.site-code-shown-help", &[]),
        ),
    };
    Diagnostic::error(message).with_help(help)
}
