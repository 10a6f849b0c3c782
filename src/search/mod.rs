//! Full-text search with no server: at build time an index of every report,
//! split into small files the search page fetches on demand.
//!
//! Chinese has no spaces, so the index holds overlapping character pairs of every
//! Han run (which the page's script can cut from any query exactly as we do)
//! plus jieba's dictionary words, which mark a pair that is a real word and give
//! longer words (`=安全生产`) a term of their own for exact-word ranking.
//!
//! Layout under `/search/index/`: `meta.json` (format, shard bits, total
//! postings, units, years, each report's unit and year), `<hex>.json` shards of
//! terms, and `docs/<n>.json` chunks of titles, addresses, dates and opening text.
//!
//! An edit of a few reports that keeps the site's shape patches the previous
//! index ([`patch`]) instead of tokenizing every report again.

pub mod docs;
pub mod encode;
pub mod index;
pub mod patch;
pub mod previous;
pub use crate::segment;
pub mod tokenize;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::pages::BuildContext;

pub use patch::{Edit, write_patched};
pub use previous::{FolderIndex, IndexFiles};

/// Where the index lives in the output.
pub use crate::routes::SEARCH_INDEX_DIR as INDEX_DIR;
/// Terms in the query the size figure assumes (安全生产: three pairs and the word).
pub const TYPICAL_QUERY_TERMS: usize = 4;
/// Results the page shows at first.
pub const FIRST_PAGE: usize = 10;

/// What the index cost, for `annals build --verbose` and the benchmarks.
#[derive(Debug, Clone, Default)]
pub struct SearchStats {
    pub reports: usize,
    pub terms: usize,
    pub shards: usize,
    pub bits: u32,
    /// Every file under `/search/index/`.
    pub index_bytes: u64,
    pub largest_shard: u64,
    /// At most what a first four-term query downloads: `meta.json`, the four
    /// largest shards and the ten largest document chunks.
    pub first_query_bytes: u64,
    pub elapsed: Duration,
    /// Part of `elapsed` spent loading the jieba dictionary.
    pub dictionary_load: Duration,
    /// Set when the index was patched for edited reports instead of built:
    /// how many files the patch rewrote (the size figures above are then 0).
    pub patched: Option<usize>,
}

impl std::fmt::Display for SearchStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(files) = self.patched {
            let text = tr(
                "search.patched",
                &[
                    ("reports", &self.reports),
                    ("shards", &self.shards),
                    ("files", &files),
                    ("ms", &self.elapsed.as_millis()),
                ],
            );
            return f.write_str(&text);
        }
        let text = tr(
            "search.stats",
            &[
                ("reports", &self.reports),
                ("terms", &self.terms),
                ("shards", &self.shards),
                ("bytes", &self.index_bytes),
                ("largest", &self.largest_shard),
                ("first", &self.first_query_bytes),
                ("ms", &self.elapsed.as_millis()),
                ("dictionary_ms", &self.dictionary_load.as_millis()),
            ],
        );
        f.write_str(&text)
    }
}

/// Builds the index from the rendered Markdown and writes it.
pub fn write(ctx: &BuildContext) -> Result<SearchStats, Diagnostic> {
    let start = Instant::now();
    let site = ctx.site;
    let dictionary_load = if site.reports.is_empty() {
        Duration::ZERO
    } else {
        segment::jieba().1
    };
    let index::Index {
        shards,
        terms: term_count,
        bits,
        postings,
    } = index::build(site, ctx.rendered);
    let meta = serde_json::to_string(&docs::meta(site, bits, postings))
        .map_err(|e| Diagnostic::error(tr("search.cannot-write", &[("error", &e)])))?;

    let chunks = docs::chunks(site, ctx.rendered);

    shards.par_iter().try_for_each(|(name, json)| {
        ctx.out
            .write(&format!("{INDEX_DIR}/{name}.json"), json.as_bytes())
    })?;
    chunks.par_iter().enumerate().try_for_each(|(n, json)| {
        ctx.out
            .write(&format!("{INDEX_DIR}/docs/{n}.json"), json.as_bytes())
    })?;
    ctx.out
        .write(&format!("{INDEX_DIR}/meta.json"), meta.as_bytes())?;

    let mut shard_sizes: Vec<u64> = shards.iter().map(|s| s.1.len() as u64).collect();
    let mut chunk_sizes: Vec<u64> = chunks.iter().map(|c| c.len() as u64).collect();
    for sizes in [&mut shard_sizes, &mut chunk_sizes] {
        sizes.sort_unstable_by(|a, b| b.cmp(a));
    }
    let largest = |sizes: &[u64], n: usize| sizes.iter().take(n).sum::<u64>();
    let first_query_bytes = meta.len() as u64
        + largest(&shard_sizes, TYPICAL_QUERY_TERMS)
        + largest(&chunk_sizes, FIRST_PAGE);
    Ok(SearchStats {
        reports: site.reports.len(),
        terms: term_count,
        shards: shards.len(),
        bits,
        index_bytes: meta.len() as u64
            + [&shard_sizes, &chunk_sizes]
                .iter()
                .map(|s| s.iter().sum::<u64>())
                .sum::<u64>(),
        largest_shard: shard_sizes.first().copied().unwrap_or(0),
        first_query_bytes,
        elapsed: start.elapsed(),
        dictionary_load,
        patched: None,
    })
}
