//! `annals check`: everything `build` validates, without writing anything, and
//! what an editor should fix before publishing: links and `#anchors` that lead
//! nowhere, images without alt text, skipped heading levels, duplicate titles,
//! missing required parts of annual reports, late publishing, and outlines
//! pasted as plain paragraphs. External links are checked only when asked.

pub mod external;
pub mod gov;
pub mod rules;
pub mod scan;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::OutlineMode;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use crate::links::{LinkTarget, SourcePaths, Targets, check_link};
use crate::markdown::{Rendered, outline_candidates};
use crate::model::{Report, Site};
use crate::output::DryRun;
use crate::pages::{self, BuildContext};
use crate::pipeline::{self, BuildOptions, Mode, SitePass};
use rules::RuleSet;
use scan::LinkKind;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Also request every external link (HEAD, then GET), with a cache.
    pub external: bool,
    /// Also the rules of a government website's inspection (`check --gov`).
    pub gov: bool,
}

#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub diagnostics: Diagnostics,
    pub reports: usize,
    /// Links and images looked at.
    pub links: usize,
    /// External addresses requested or taken from the cache.
    pub external: usize,
    /// Distinct external addresses the reports link to (listed by `--gov`, not requested).
    pub external_links: Vec<String>,
    /// Each report's source file and its address, so a finding can link to its page.
    pub report_urls: Vec<(PathBuf, String)>,
}

/// Runs every check. `Err` only when the site cannot be read at all (no config).
pub fn run(options: &CheckOptions) -> Result<CheckOutcome, Diagnostics> {
    let root = &options.build.root;
    // The same pass as `build`, in a dry run: nothing is written, and content
    // errors do not stop it, so everything else is found too. Only a config
    // that cannot be read ends the check here.
    let (config, mut warnings) = pipeline::load_config(&options.build)?;
    let loaded = crate::content::load(root, &mut warnings);
    let none = |_: &Site, _: &SourcePaths, _: usize| None;
    let pass = SitePass::from_loaded(
        &options.build,
        Mode::DryRun,
        config,
        loaded,
        warnings,
        &none,
    );
    let pass = match pass {
        Ok(pass) => pass,
        // Templates or QR codes could not be made: no page to check links against.
        Err(found) => return Ok(finish(found, CheckOutcome::default())),
    };
    let SitePass {
        site,
        stats,
        rendered,
        renderer,
        qr,
        paths,
        warnings,
        findings,
        ..
    } = pass;
    let mut diagnostics = warnings;
    diagnostics.extend(findings);
    diagnostics.extend(crate::disclosure::rename_hints(&site));
    diagnostics.extend(crate::disclosure::cross_year::in_force_hints(&site, &stats));
    diagnostics.extend(crate::lint::placeholders::warnings(&site, root));
    diagnostics.extend(pages::assets::unpublished(&site, &rendered));
    let out = DryRun::new();
    let collector = gov::PageCollector::new(&site.config);
    let mut ctx = BuildContext::full(&site, &rendered, &renderer, &out, &qr, &stats);
    ctx.html = options
        .gov
        .then_some(&collector as &dyn pages::PageObserver);
    if let Err(errors) = pages::write_all(&ctx) {
        diagnostics.extend(errors.items);
    }
    if options.gov {
        let pages = collector.take();
        diagnostics.extend(gov::check_now(&site, &pages, &renderer.statics, root));
    }
    let targets = Targets::new(&site, out.into_written().files);
    let rule_sets = &site.config.rule_sets;
    let results: Vec<ReportFindings> = site
        .reports
        .par_iter()
        .zip(&rendered)
        .map(|(report, rendered)| {
            check_report(&site, report, rendered, &targets, rule_sets, &paths)
        })
        .collect();
    let mut outcome = CheckOutcome {
        reports: site.reports.len(),
        report_urls: report_urls(&site),
        ..Default::default()
    };
    let mut externals: Vec<ExternalLink> = Vec::new();
    for r in results {
        outcome.links += r.links;
        diagnostics.extend(r.diagnostics);
        externals.extend(r.external);
    }
    outcome.external_links = distinct_urls(&externals);
    diagnostics.extend(duplicate_titles(&site));
    diagnostics.extend(derived_unit_slugs(&site, root));
    if options.external {
        outcome.external = check_external(&externals, root, &mut diagnostics);
    }
    Ok(finish(diagnostics, outcome))
}

/// Each report's source file and address, for findings that link to their page.
fn report_urls(site: &crate::model::Site) -> Vec<(PathBuf, String)> {
    site.reports
        .iter()
        .map(|r| (r.file.clone(), r.url.clone()))
        .collect()
}

/// Each external address once, in order.
fn distinct_urls(externals: &[ExternalLink]) -> Vec<String> {
    let urls: std::collections::BTreeSet<&str> = externals.iter().map(|e| e.url.as_str()).collect();
    urls.into_iter().map(str::to_string).collect()
}

/// The outcome with its findings, each showing its source line.
fn finish(mut diagnostics: Diagnostics, mut outcome: CheckOutcome) -> CheckOutcome {
    attach_source_lines(&mut diagnostics);
    outcome.diagnostics = diagnostics;
    outcome
}

/// Requests every external address once; returns how many were looked at.
fn check_external(externals: &[ExternalLink], root: &Path, diagnostics: &mut Diagnostics) -> usize {
    let cache_dir = crate::layout::SiteLayout::new(root).cache();
    let urls: Vec<String> = externals
        .iter()
        .map(|e| e.url.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let results = external::check_all(&urls, &cache_dir);
    for link in externals {
        if let Some(Err(problem)) = results.get(&link.url) {
            let args: &[(&str, &dyn std::fmt::Display)] =
                &[("url", &link.url), ("reason", &problem.reason)];
            let d = if problem.broken {
                Diagnostic::error(tr("check.external-broken", args))
            } else {
                Diagnostic::warning(tr("check.external-unchecked", args))
            };
            diagnostics.push(
                d.in_file(&link.file)
                    .at(link.line, link.column)
                    .with_help(tr("check.external-help", &[])),
            );
        }
    }
    urls.len()
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

fn check_report(
    site: &Site,
    report: &Report,
    rendered: &Rendered,
    targets: &Targets,
    rule_sets: &[RuleSet],
    paths: &SourcePaths,
) -> ReportFindings {
    let mut found = ReportFindings::default();
    let links = paths.of(report);
    let options = pipeline::markdown_options(site);
    let scan = scan::scan(&report.body, report.body_line, &options);
    let file = &report.file;
    found.links = scan.links.len();
    for link in &scan.links {
        let at = |d: Diagnostic| d.in_file(file).at(link.line, link.column);
        if link.kind == LinkKind::Image && link.text.is_empty() {
            found.diagnostics.push(at(Diagnostic::error(tr(
                "check.image-no-alt",
                &[("url", &link.url)],
            ))
            .with_help(tr("check.image-no-alt-help", &[]))));
        }
        let what = if link.kind == LinkKind::Image {
            "image"
        } else {
            "link"
        };
        if let Some(d) = check_link(&links, report, targets, &link.url, what) {
            found.diagnostics.push(at(d));
        }
        if let LinkTarget::External(url) = links.resolve(&link.url) {
            found.external.push(ExternalLink {
                url,
                file: file.clone(),
                line: link.line,
                column: link.column,
            });
        }
    }
    front_matter_links(report, &links, targets, &mut found);
    found.diagnostics.extend(heading_skips(report, &scan));
    found
        .diagnostics
        .extend(unmarked_outline(site, report, &scan));
    found.diagnostics.extend(rules::apply(
        rule_sets,
        report,
        &site.units[report.unit],
        rendered,
    ));
    found
}

/// Links in front matter (`related`, `attachments`): shown on the page too.
fn front_matter_links(
    report: &Report,
    links: &crate::links::ReportLinks,
    targets: &Targets,
    found: &mut ReportFindings,
) {
    let file = &report.file;
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
        if let Some(d) = check_link(links, report, targets, url, "link") {
            found.diagnostics.push(d.in_file(file).at_line(line));
        }
        if let LinkTarget::External(url) = links.resolve(url) {
            found.external.push(ExternalLink {
                url,
                file: file.clone(),
                line,
                column: 1,
            });
        }
    }
}

/// Paragraphs that look like an outline (一、 （一）) in a report with no headings.
fn unmarked_outline(site: &Site, report: &Report, scan: &scan::Scan) -> Option<Diagnostic> {
    if !scan.headings.is_empty() || site.config.markdown.outline != OutlineMode::Off {
        return None;
    }
    let candidates = outline_candidates(&report.body);
    let first = candidates.first()?;
    Some(
        Diagnostic::warning(tr(
            "check.outline-unmarked",
            &[("count", &candidates.len()), ("first", &first.1)],
        ))
        .in_file(&report.file)
        .at(report.body_line + first.0, 1)
        .with_help(tr("check.outline-unmarked-help", &[])),
    )
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
                Diagnostic::warning(tr(
                    "check.heading-skip",
                    &[("text", &h.text), ("from", &previous), ("to", &level)],
                ))
                .in_file(&report.file)
                .at(h.line, h.column)
                .with_help(tr(
                    "check.heading-skip-help",
                    &[("marks", &"#".repeat(usize::from(previous + 1 - shift)))],
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
                let mut d = Diagnostic::warning(tr(
                    "check.duplicate-title",
                    &[
                        ("source", &r.meta.source),
                        ("year", &r.meta.year),
                        ("title", &r.meta.title),
                        ("other", &other.file.display()),
                    ],
                ))
                .in_file(&r.file)
                .with_help(tr("check.duplicate-title-help", &[]));
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
    let config = crate::layout::SiteLayout::new(root).config();
    site.units
        .iter()
        .filter(|u| u.slug_derived)
        .map(|u| {
            Diagnostic::warning(tr(
                "check.derived-slug",
                &[("unit", &u.name), ("url", &u.url)],
            ))
            .in_file(&config)
            .with_help(tr(
                "check.derived-slug-help",
                &[("unit", &u.name), ("slug", &u.slug)],
            ))
        })
        .collect()
}
