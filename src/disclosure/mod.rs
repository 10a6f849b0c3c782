//! Structured statistics of 政府信息公开工作年度报告: the three tables of the
//! uniform format (国办公开办函〔2021〕30号) read from data, rendered in the
//! official layout where the body places them, and checked.
//!
//! - data: front matter `disclosure_stats:` or a ```` ```disclosure-stats ```` YAML block;
//! - placement: a fenced block ```` ```disclosure-table 三 ```` (二, 三 or 四) in the body;
//! - [`check_site`]: problems as diagnostics (findings are warnings in `build`);
//! - [`stats_json`]: the numbers for the open catalogue;
//! - [`unit_trend`]: a unit's headline figures year by year.

pub mod check;
pub mod cross_year;
pub mod labels;
pub mod recognise;
pub mod renames;
pub mod render;
pub mod schema;
pub mod source;
pub mod tables;
pub mod trend;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use comrak::adapters::CodefenceRendererAdapter;
use comrak::nodes::Sourcepos;
use rayon::prelude::*;

pub use check::Finding;
pub use schema::DisclosureStats;
pub use source::{Origin, Parsed, STATS_FENCE, TABLE_FENCE};
pub use tables::TableNo;
pub use trend::{TrendRow, unit_trend};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::model::{Report, Site};

/// The statistics of one report, if it has any; errors name file, line and key.
pub fn parse_report(r: &Report) -> ReportStats {
    source::parse(r).map(|p| p.map(Box::new))
}

/// A report's statistics as read once by the build: `Ok(None)` without any.
/// Boxed: the tables take kilobytes inline, and most reports have none, so a
/// build of 10,000 reports kept some 30 MB of empty slots before.
pub type ReportStats = Result<Option<Box<Parsed>>, Diagnostic>;

/// The statistics of every report, in report order; parsed once per build and
/// kept, since later stages no longer have the bodies.
pub fn parse_all(site: &Site) -> Vec<ReportStats> {
    site.reports.par_iter().map(parse_report).collect()
}

/// The statistics in `s`, when they were read without error.
pub fn stats_of(s: &ReportStats) -> Option<&Parsed> {
    s.as_ref().ok().and_then(Option::as_deref)
}

/// The numbers of a report for the open catalogue, with every 总计 filled in;
/// keys as in the front matter. `None` when the report has no (valid) statistics.
pub fn stats_json(r: &Report) -> Option<serde_json::Value> {
    let parsed = source::parse(r).ok()??;
    totals_json(&parsed.stats)
}

/// [`stats_json`] of statistics already read.
pub fn totals_json(stats: &DisclosureStats) -> Option<serde_json::Value> {
    serde_json::to_value(with_totals(stats.clone())).ok()
}

/// The statistics with every total that was left out computed.
pub fn with_totals(mut s: DisclosureStats) -> DisclosureStats {
    if let Some(r) = &mut s.requests {
        let total_row = r.outcomes.total_row();
        r.outcomes.total = Some(total_row);
        let o = &mut r.outcomes;
        let mut rows: Vec<&mut schema::Applicants> = vec![
            &mut r.new,
            &mut r.carried_over,
            &mut r.carried_forward,
            &mut o.disclosed,
            &mut o.partly_disclosed,
        ];
        let w = &mut o.withheld;
        rows.extend([
            &mut w.state_secrets,
            &mut w.prohibited_by_law,
            &mut w.security_and_stability,
            &mut w.third_party_rights,
            &mut w.internal_affairs,
            &mut w.process_information,
            &mut w.enforcement_files,
            &mut w.inquiry_matters,
        ]);
        let u = &mut o.unavailable;
        rows.extend([
            &mut u.not_held,
            &mut u.would_need_creating,
            &mut u.still_unclear,
        ]);
        let n = &mut o.not_processed;
        rows.extend([
            &mut n.petitions_and_complaints,
            &mut n.repeated,
            &mut n.publications,
            &mut n.excessive,
            &mut n.reconfirmation,
        ]);
        match &mut o.other_handling {
            schema::OtherHandling::Rows(h) => {
                rows.extend([&mut h.no_correction, &mut h.fee_not_paid, &mut h.other]);
            }
            schema::OtherHandling::Single(a) => rows.push(a),
        }
        if let Some(t) = o.total.as_mut() {
            rows.push(t);
        }
        for a in rows {
            a.total = Some(a.total());
        }
    }
    if let Some(a) = &mut s.appeals {
        for v in [
            &mut a.reconsideration,
            &mut a.litigation.direct,
            &mut a.litigation.after_reconsideration,
        ] {
            v.total = Some(v.total());
        }
    }
    s
}

// ---------------------------------------------------------------- rendering

/// Renders the fenced blocks of one report: the data block disappears, each
/// table marker becomes its table.
pub struct Fences {
    stats: Option<DisclosureStats>,
    prefix: String,
    /// A table placed twice is drawn once (its ids must stay unique); the check warns.
    drawn: [AtomicBool; 3],
}

impl Fences {
    pub fn for_report(r: &Report) -> Fences {
        Fences::new(r, source::parse(r).ok().flatten().map(|p| p.stats))
    }

    /// The fences of `r` with its statistics already read.
    pub fn new(r: &Report, stats: Option<DisclosureStats>) -> Fences {
        Fences {
            stats,
            prefix: render::id_prefix(&r.url),
            drawn: Default::default(),
        }
    }
}

impl CodefenceRendererAdapter for Fences {
    fn write(
        &self,
        output: &mut dyn fmt::Write,
        lang: &str,
        meta: &str,
        _code: &str,
        _sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        if lang != TABLE_FENCE {
            return Ok(());
        }
        if let (Some(stats), Some(table)) = (&self.stats, TableNo::from_marker(meta))
            && !self.drawn[table.digit() as usize - 2].swap(true, Ordering::Relaxed)
        {
            let mut html = String::new();
            render::table_html(&mut html, table, stats, &self.prefix);
            output.write_str(&html)?;
        }
        Ok(())
    }
}

/// A report's body as HTML with its statistics tables in place.
pub fn render_body(r: &Report, opts: &MarkdownOptions) -> Rendered {
    let fences = Fences::for_report(r);
    markdown::render_with_fences(
        &r.body,
        opts,
        &[(STATS_FENCE, &fences), (TABLE_FENCE, &fences)],
    )
}

// ---------------------------------------------------------------- checking

/// Everything wrong with the statistics of a site: unreadable data and bad
/// table markers are errors; wrong cells, missing or doubled tables are warnings
/// (`annals check` may treat those as errors). Each names file, line, table,
/// cell and the expected value.
pub fn check_site(site: &Site) -> Vec<Diagnostic> {
    check_parsed(site, &parse_all(site))
}

/// [`check_site`] with the statistics already read ([`parse_all`]).
pub fn check_parsed(site: &Site, all: &[ReportStats]) -> Vec<Diagnostic> {
    let parsed: Vec<Option<Result<&Parsed, &Diagnostic>>> = all
        .iter()
        .map(|p| match p {
            Ok(Some(p)) => Some(Ok(&**p)),
            Ok(None) => None,
            Err(d) => Some(Err(d)),
        })
        .collect();
    let stats = |i: usize| match &parsed[i] {
        Some(Ok(p)) => Some(&p.stats),
        _ => None,
    };
    // (unit, year) → reports with 表三, to compare 上年结转 with last year.
    let mut by_year: HashMap<(usize, i32), Vec<usize>> = HashMap::new();
    for (i, r) in site.reports.iter().enumerate() {
        if stats(i).is_some_and(|s| s.requests.is_some()) {
            by_year.entry((r.unit, r.meta.year)).or_default().push(i);
        }
    }
    let per_report: Vec<Vec<Diagnostic>> = (0..site.reports.len())
        .into_par_iter()
        .map(|i| {
            let r = &site.reports[i];
            let mut out = Vec::new();
            let origin = match &parsed[i] {
                Some(Ok(p)) => Some(p.origin),
                _ => None,
            };
            let markers = marker_problems(r, stats(i), origin, &mut out);
            let p = match &parsed[i] {
                Some(Ok(p)) => p,
                Some(Err(d)) => {
                    // Markers without data follow from the error; report only the error.
                    out.push((*d).clone());
                    return out;
                }
                None => {
                    out.extend(markers);
                    return out;
                }
            };
            out.extend(markers);
            let mut findings = check::check_stats(&p.stats);
            // Reports are newest first, so a re-issued report of last year wins.
            if let Some(requests) = &p.stats.requests
                && let Some(previous) = by_year
                    .get(&(r.unit, r.meta.year - 1))
                    .and_then(|v| v.first())
                && let Some(prev_requests) = stats(*previous).and_then(|s| s.requests.as_ref())
            {
                let file = site.reports[*previous].file.display().to_string();
                let mut carry = check::check_carry_over(requests, prev_requests, &file);
                // Name last year's cell by file and line (read only when it differs).
                if !carry.is_empty()
                    && let Some(Ok(prev)) = &parsed[*previous]
                {
                    let place = cross_year::cell_place(
                        &site.reports[*previous],
                        prev.origin,
                        &["申请", "结转下年度继续办理"],
                    );
                    carry = check::check_carry_over(requests, prev_requests, &place);
                }
                findings.extend(carry);
            }
            out.extend(finding_diagnostics(r, p.origin, &findings));
            out
        })
        .collect();
    per_report.into_iter().flatten().collect()
}

/// Warnings for `check` about units that seem renamed (see [`renames`]).
pub fn rename_hints(site: &Site) -> Vec<Diagnostic> {
    let has_requests: Vec<bool> = site
        .reports
        .par_iter()
        .map(|r| matches!(source::parse(r), Ok(Some(p)) if p.stats.requests.is_some()))
        .collect();
    renames::hints(site, |i| has_requests[i])
}

/// Table markers that name no table are errors (returned in `out`); markers
/// without data, doubled markers and tables never placed are warnings (returned).
fn marker_problems(
    r: &Report,
    stats: Option<&DisclosureStats>,
    origin: Option<Origin>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut placed: Vec<TableNo> = Vec::new();
    for fence in source::fences(&r.body)
        .iter()
        .filter(|f| f.lang == TABLE_FENCE)
    {
        let line = r.body_line + fence.body_index;
        let Some(table) = TableNo::from_marker(&fence.meta) else {
            out.push(
                Diagnostic::error(tr(
                    "disclosure.marker-unknown",
                    &[("fence", &TABLE_FENCE), ("marker", &fence.meta)],
                ))
                .in_file(&r.file)
                .at_line(line)
                .with_help(tr("disclosure.marker-unknown-help", &[])),
            );
            continue;
        };
        if placed.contains(&table) {
            warnings.push(
                Diagnostic::warning(tr("disclosure.table-twice", &[("table", &table.numeral())]))
                    .in_file(&r.file)
                    .at_line(line)
                    .with_help(tr("disclosure.table-twice-help", &[])),
            );
        }
        placed.push(table);
        if !stats.is_some_and(|s| table.present_in(s)) {
            warnings.push(
                Diagnostic::warning(tr(
                    "disclosure.table-no-data",
                    &[("table", &table.numeral()), ("title", &table.title())],
                ))
                .in_file(&r.file)
                .at_line(line)
                .with_help(tr(
                    "disclosure.table-no-data-help",
                    &[("key", &table.key())],
                )),
            );
        }
    }
    if let Some(s) = stats {
        for table in TableNo::ALL {
            if table.present_in(s) && !placed.contains(&table) {
                warnings.push(
                    Diagnostic::warning(tr(
                        "disclosure.table-not-shown",
                        &[("table", &table.numeral()), ("title", &table.title())],
                    ))
                    .in_file(&r.file)
                    .at_line(origin.map_or(1, Origin::line))
                    .with_help(tr(
                        "disclosure.table-not-shown-help",
                        &[("table", &table.numeral())],
                    )),
                );
            }
        }
    }
    warnings
}

/// Findings as warnings, each at the line where the cell is written.
fn finding_diagnostics(r: &Report, origin: Origin, findings: &[Finding]) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return Vec::new();
    }
    // Read again only on this rare path: the model keeps the body, not the front matter.
    let text = crate::content::source::read_text(&r.file).ok();
    findings
        .iter()
        .map(|f| {
            let line = text
                .as_deref()
                .and_then(|t| source::locate(t, origin.line(), &f.key_path()))
                .unwrap_or(origin.line());
            let mut d = Diagnostic::warning(tr(
                "disclosure.cell-wrong",
                &[
                    ("table", &f.table.numeral()),
                    ("title", &f.table.title()),
                    ("cell", &f.cell),
                    ("found", &f.found),
                    ("expected", &f.expected),
                ],
            ))
            .in_file(&r.file)
            .at_line(line)
            .with_help(tr(
                "disclosure.cell-wrong-help",
                &[("rule", &f.rule), ("key", &f.key)],
            ));
            if let Some(t) = &text {
                d = d.with_source(t);
            }
            d
        })
        .collect()
}
