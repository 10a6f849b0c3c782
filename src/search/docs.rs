//! The document table the results are drawn from, in parts so a query
//! downloads little: `meta.json` (per report only its unit and year, for the
//! filters, as varints), `docs/<n>.json` chunks with title, address, date and
//! the opening text, fetched only for the results shown, and `text/<n>-<k>.json`,
//! piece `k` of the body of every report in chunk `n`, fetched when a result's
//! match lies deeper in the body than its opening text (each posting names the
//! piece of the term's first occurrence).

use rayon::prelude::*;
use serde::Serialize;

use super::encode::push_varint;
use super::tokenize::FORMAT_VERSION;
use crate::markdown::Rendered;
use crate::model::Site;

/// Reports per chunk file: small enough that a page of ten results from ten
/// different chunks, with a text piece each, stays near 100 KB.
pub const CHUNK: usize = 8;
/// Characters of text kept per report for snippets (summary first, then the body).
pub const DIGEST_CHARS: usize = 200;
/// Characters of body text per piece, and how far a piece runs into the next
/// one so a match at the edge is still whole.
pub const PIECE_CHARS: usize = 256;
pub const PIECE_OVERLAP: usize = 32;

#[derive(Serialize)]
pub struct Meta<'a> {
    pub version: u32,
    /// Hash bits naming a shard: shard = hash >> (32 - bits).
    pub bits: u32,
    pub chunk: usize,
    pub count: usize,
    /// (name, slug) of every unit; `unit` holds indices into this list.
    pub units: Vec<(&'a str, &'a str)>,
    /// Report years, newest first; `year` holds indices into this list.
    pub years: Vec<i32>,
    pub unit: String,
    pub year: String,
}

pub fn meta(site: &Site, bits: u32) -> Meta<'_> {
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
type Row<'a> = (&'a str, &'a str, String, String);

/// The chunk files, as JSON texts, in order: chunk `n` holds reports `n*CHUNK..`.
pub fn chunks(site: &Site, rendered: &[Rendered]) -> Vec<String> {
    site.reports
        .chunks(CHUNK)
        .enumerate()
        .map(|(n, reports)| {
            let rows: Vec<Row> = reports
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let i = n * CHUNK + k;
                    (
                        r.meta.title.as_str(),
                        r.url.as_str(),
                        r.meta.date.format("%Y-%m-%d").to_string(),
                        digest(r.meta.summary.as_deref(), &rendered[i].text),
                    )
                })
                .collect();
            serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
        })
        .collect()
}

/// The body pieces, as (file name without `.json`, JSON array with one string
/// per report of the chunk, empty where a report is shorter).
pub fn pieces(rendered: &[Rendered]) -> Vec<(String, String)> {
    rendered
        .par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(n, docs)| {
            let bodies: Vec<Vec<char>> = docs.iter().map(|r| r.text.chars().collect()).collect();
            let longest = bodies.iter().map(Vec::len).max().unwrap_or(0);
            (0..longest.div_ceil(PIECE_CHARS)).map(move |k| {
                let texts: Vec<String> = bodies
                    .iter()
                    .map(|b| {
                        let start = (k * PIECE_CHARS).min(b.len());
                        let end = ((k + 1) * PIECE_CHARS + PIECE_OVERLAP).min(b.len());
                        b[start..end].iter().collect()
                    })
                    .collect();
                let json = serde_json::to_string(&texts).unwrap_or_else(|_| "[]".into());
                (format!("{n}-{k}"), json)
            })
        })
        .collect()
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
