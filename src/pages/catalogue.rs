//! The open catalogue: `/reports.json` and `/reports.csv` list every report
//! with its metadata, for journalists, inspectors and other sites. The format
//! is stable and versioned (see the README); add fields, never rename them.

use serde::Serialize;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

pub const JSON_URL: &str = "/reports.json";
pub const CSV_URL: &str = "/reports.csv";
/// Raised only when a field changes meaning or goes away.
pub const CATALOGUE_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Catalogue<'a> {
    pub version: u32,
    pub generator: &'static str,
    pub site: CatalogueSite<'a>,
    /// Newest first, by publish date.
    pub reports: Vec<CatalogueEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct CatalogueSite<'a> {
    pub title: &'a str,
    pub url: String,
    pub language: &'a str,
}

#[derive(Debug, Serialize)]
pub struct CatalogueEntry<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub print_url: String,
    pub share_url: String,
    pub year: i32,
    /// Publish date, `YYYY-MM-DD`.
    pub date: String,
    /// The full publish timestamp when the front matter gave one (RFC 3339).
    pub date_time: Option<&'a str>,
    pub updated: Option<String>,
    pub source: &'a str,
    pub source_slug: &'a str,
    pub source_url: String,
    pub category: Option<&'a str>,
    pub tags: &'a [String],
    pub index_no: Option<&'a str>,
    pub doc_no: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub attachments: Vec<CatalogueAttachment<'a>>,
    /// Links the report names under 相关链接.
    pub related: &'a [crate::content::LinkSpec],
    /// Old addresses (site paths) that redirect to this report.
    pub aliases: &'a [String],
    /// The three statistics tables of a 政府信息公开工作年度报告, totals filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure_stats: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct CatalogueAttachment<'a> {
    pub title: &'a str,
    /// Absolute URL; files on this site get the site's address.
    pub url: String,
    /// Upper-case file type, e.g. `PDF`; empty when unknown.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Size in bytes; `null` for links to other sites.
    pub size: Option<u64>,
    pub external: bool,
}

/// The catalogue of `site`; `stats` are the statistics of each report, in report order.
pub fn catalogue<'a>(site: &'a Site, stats: &[crate::disclosure::ReportStats]) -> Catalogue<'a> {
    let absolute = |url: &str| {
        if url.starts_with('/') {
            site.config.permalink(url)
        } else {
            url.to_string()
        }
    };
    let reports = site
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let unit = &site.units[r.unit];
            CatalogueEntry {
                title: &r.meta.title,
                url: &r.permalink,
                print_url: site.config.permalink(&r.print_url),
                share_url: site.config.permalink(&r.share_url),
                year: r.meta.year,
                date: r.meta.date.format("%Y-%m-%d").to_string(),
                date_time: r.meta.date_time.as_deref(),
                updated: r.meta.updated.map(|d| d.format("%Y-%m-%d").to_string()),
                source: &r.meta.source,
                source_slug: &unit.slug,
                source_url: site.config.permalink(&unit.url),
                category: r.meta.category.as_deref(),
                tags: &r.meta.tags,
                index_no: r.meta.index_no.as_deref(),
                doc_no: r.meta.doc_no.as_deref(),
                summary: r.meta.summary.as_deref(),
                attachments: r
                    .attachments
                    .iter()
                    .map(|a| CatalogueAttachment {
                        title: &a.title,
                        url: absolute(&a.url),
                        kind: &a.kind,
                        size: a.size,
                        external: a.external,
                    })
                    .collect(),
                related: &r.meta.related,
                aliases: &r.meta.aliases,
                disclosure_stats: stats
                    .get(i)
                    .and_then(crate::disclosure::stats_of)
                    .and_then(|p| crate::disclosure::totals_json(&p.stats)),
            }
        })
        .collect();
    Catalogue {
        version: CATALOGUE_VERSION,
        generator: concat!("annals ", env!("CARGO_PKG_VERSION")),
        site: CatalogueSite {
            title: &site.config.title,
            url: site.config.permalink("/"),
            language: &site.config.language,
        },
        reports,
    }
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let (json_rel, csv_rel) = (
        JSON_URL.trim_start_matches('/'),
        CSV_URL.trim_start_matches('/'),
    );
    // Both ask first, so a pass that wants neither still notes both as kept.
    let wanted = (ctx.wants_rel(json_rel), ctx.wants_rel(csv_rel));
    if wanted == (false, false) {
        return Ok(0);
    }
    let catalogue = catalogue(ctx.site, ctx.stats);
    let all: Vec<usize> = (0..ctx.site.reports.len()).collect();
    if wanted.0 {
        let json = serde_json::to_vec(&catalogue).map_err(|e| failed(JSON_URL, &e))?;
        ctx.write_file(json_rel, &json, &all)?;
    }
    if wanted.1 {
        ctx.write_file(csv_rel, &csv_bytes(&catalogue)?, &all)?;
    }
    Ok(0)
}

/// The CSV columns, in order. Lists go in one cell: tags joined by `;`,
/// attachments one per line as `title | url | size`.
pub const CSV_COLUMNS: &[&str] = &[
    "title",
    "url",
    "print_url",
    "share_url",
    "year",
    "date",
    "updated",
    "source",
    "source_slug",
    "category",
    "tags",
    "index_no",
    "doc_no",
    "summary",
    "attachments",
];

/// Characters that make a spreadsheet read a cell as a formula when they come
/// first (possibly after spaces); OWASP's list for CSV injection.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// A cell that Excel or WPS would run as a formula gets a leading `'`, which
/// they show as text (OWASP's advice against CSV injection).
fn neutralise_formula(cell: String) -> String {
    let starts_formula = cell.starts_with(['\t', '\r'])
        || cell
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .starts_with(FORMULA_STARTS);
    if starts_formula {
        format!("'{cell}")
    } else {
        cell
    }
}

/// UTF-8 with a byte-order mark, which Excel needs to read Chinese text; rows
/// end in CRLF as RFC 4180 and Excel expect.
fn csv_bytes(catalogue: &Catalogue) -> Result<Vec<u8>, Diagnostic> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let failed_csv = |e: csv::Error| failed(CSV_URL, &e);
    writer.write_record(CSV_COLUMNS).map_err(failed_csv)?;
    for r in &catalogue.reports {
        let attachments: Vec<String> = r
            .attachments
            .iter()
            .map(|a| {
                format!(
                    "{} | {} | {}",
                    a.title,
                    a.url,
                    a.size.map(|s| s.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let opt = |s: Option<&str>| s.unwrap_or_default().to_string();
        let row = [
            r.title.to_string(),
            r.url.to_string(),
            r.print_url.clone(),
            r.share_url.clone(),
            r.year.to_string(),
            r.date.clone(),
            r.updated.clone().unwrap_or_default(),
            r.source.to_string(),
            r.source_slug.to_string(),
            opt(r.category),
            r.tags.join(";"),
            opt(r.index_no),
            opt(r.doc_no),
            opt(r.summary),
            attachments.join("\n"),
        ]
        .map(neutralise_formula);
        writer.write_record(row).map_err(failed_csv)?;
    }
    writer
        .into_inner()
        .map_err(|e| failed(CSV_URL, &e.into_error()))
}

fn failed(url: &str, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(tr("pages.cannot-write", &[("url", &url), ("error", &e)]))
        .with_help(tr("pages.bug-help", &[]))
}
