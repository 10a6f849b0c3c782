//! The document table the results are drawn from, in two parts so a query
//! downloads little: `meta.json` (per report only its unit and year, for the
//! filters, as varints) and `docs/<n>.json` chunks with title, address, date
//! and the opening text for the snippet, fetched only for the results shown.

use serde::Serialize;

use super::encode::push_varint;
use super::tokenize::FORMAT_VERSION;
use crate::content::ReportMeta;
use crate::markdown::Rendered;
use crate::model::Site;

/// Reports per chunk file: small enough that a page of ten results from ten
/// different chunks stays near 100 KB, large enough to keep the file count low.
pub const CHUNK: usize = 16;
/// Characters of text kept per report for snippets (summary first, then the body).
pub const DIGEST_CHARS: usize = 200;

#[derive(Serialize)]
pub struct Meta<'a> {
    pub version: u32,
    /// Hash bits naming a shard: shard = hash >> (32 - bits).
    pub bits: u32,
    pub chunk: usize,
    pub count: usize,
    /// Postings in all shards, so that a patch can tell whether the bits change.
    pub postings: usize,
    /// (name, slug) of every unit; `unit` holds indices into this list.
    pub units: Vec<(&'a str, &'a str)>,
    /// Report years, newest first; `year` holds indices into this list.
    pub years: Vec<i32>,
    pub unit: String,
    pub year: String,
}

pub fn meta(site: &Site, bits: u32, postings: usize) -> Meta<'_> {
    let mut unit = String::with_capacity(site.reports.len() * 2);
    let mut year = String::with_capacity(site.reports.len());
    for r in &site.reports {
        push_varint(&mut unit, r.unit as u32);
        push_varint(&mut year, r.year_index as u32);
    }
    Meta {
        version: FORMAT_VERSION,
        bits,
        chunk: CHUNK,
        count: site.reports.len(),
        postings,
        units: site
            .units
            .iter()
            .map(|u| (u.name.as_str(), u.slug.as_str()))
            .collect(),
        years: site.years.iter().map(|y| y.year).collect(),
        unit,
        year,
    }
}

/// One report in a chunk: `[title, url, date, digest]` (the unit comes from `meta`).
type Row<'a> = (&'a str, String, String, String);

/// The chunk files, as JSON texts, in order: chunk `n` holds reports `n*CHUNK..`.
pub fn chunks(site: &Site, rendered: &[Rendered]) -> Vec<String> {
    (0..chunk_count(site.reports.len()))
        .map(|n| chunk(site, rendered, n))
        .collect()
}

/// How many chunk files `count` reports take.
pub fn chunk_count(count: usize) -> usize {
    count.div_ceil(CHUNK)
}

/// Chunk file `n` as JSON text (`[]` past the last report).
pub fn chunk(site: &Site, rendered: &[Rendered], n: usize) -> String {
    chunk_of(site, n, |i| (&site.reports[i].meta, &rendered[i]))
}

/// Chunk file `n` with each report's front matter and Markdown taken from
/// `report` (a patch compares the chunk of the old reports with the file).
pub fn chunk_of<'a>(
    site: &Site,
    n: usize,
    report: impl Fn(usize) -> (&'a ReportMeta, &'a Rendered),
) -> String {
    let first = (n * CHUNK).min(site.reports.len());
    let last = (first + CHUNK).min(site.reports.len());
    let rows: Vec<Row> = (first..last)
        .map(|i| {
            let (meta, rendered) = report(i);
            (
                meta.title.as_str(),
                site.config.href(&site.reports[i].url),
                meta.date.format("%Y-%m-%d").to_string(),
                digest(meta.summary.as_deref(), &rendered.text),
            )
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// The summary, then the start of the body, with runs of white space collapsed.
fn digest(summary: Option<&str>, body: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    let parts = summary.into_iter().chain(std::iter::once(body));
    for c in parts.flat_map(|p| p.chars().chain(std::iter::once(' '))) {
        if count >= DIGEST_CHARS {
            break;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_collapses_space_and_stops_at_the_limit() {
        assert_eq!(
            digest(Some("摘要"), "一、总体情况\n\n全区  工作"),
            "摘要 一、总体情况 全区 工作"
        );
        let long = "字".repeat(500);
        assert_eq!(digest(None, &long).chars().count(), DIGEST_CHARS);
    }
}
