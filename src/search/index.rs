//! The inverted index: every term of every report, with the fields it occurs in,
//! split by term hash into shards that the browser loads one by one.
//!
//! A shard is a JSON object `{term: postings}`; postings are varints in pairs
//! (gap to the previous report number, packed flags), reports numbered as in
//! `Site::reports` (newest first, so a smaller number is a newer report).

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::encode::push_varint;
use super::segment;
use super::tokenize::{self, Run, WORD_PREFIX};
use crate::content::ReportMeta;
use crate::markdown::Rendered;
use crate::model::Site;

/// Packed flags of a posting. The low bits are the common case (a body hit with
/// few occurrences), so most postings fit one character.
pub const TF_MASK: u8 = 0b11;
pub const BODY: u8 = 4;
/// The term is a jieba word somewhere in the report, not only a pair of characters.
pub const WORD: u8 = 8;
/// Summary, category, tags, year, document numbers.
pub const META: u8 = 16;
pub const HEADING: u8 = 32;
pub const TITLE: u8 = 64;
/// The issuing unit (来源).
pub const SOURCE: u8 = 128;

/// Shard size the index aims for; the shard count follows from the corpus.
const TARGET_SHARD_BYTES: usize = 16 * 1024;
const MIN_BITS: u32 = 8;
const MAX_BITS: u32 = 16;
/// Shards are merged in `2^GROUP_BITS` independent groups, in parallel.
const GROUP_BITS: u32 = 6;
const _: () = assert!(GROUP_BITS <= MIN_BITS);

/// One report's searchable text, normalised, with where each field lies in it.
pub struct DocText {
    text: String,
    fields: Vec<(u8, Range<usize>)>,
}

impl DocText {
    pub fn new(site: &Site, index: usize, rendered: &Rendered) -> DocText {
        DocText::of(&site.reports[index].meta, rendered)
    }

    /// The text of a report with front matter `m`: the one place that says
    /// what is searchable, for the full build and the patch alike.
    pub fn of(m: &ReportMeta, rendered: &Rendered) -> DocText {
        let mut doc = DocText {
            text: String::new(),
            fields: Vec::new(),
        };
        doc.add(TITLE, &m.title);
        doc.add(SOURCE, &m.source);
        for h in &rendered.toc {
            doc.add(HEADING, &h.title);
        }
        for meta in [&m.summary, &m.category, &m.doc_no, &m.index_no]
            .into_iter()
            .flatten()
        {
            doc.add(META, meta);
        }
        for tag in &m.tags {
            doc.add(META, tag);
        }
        doc.add(META, &m.year.to_string());
        doc.add(BODY, &rendered.text);
        doc
    }

    fn add(&mut self, field: u8, text: &str) {
        let start = self.text.len();
        self.text.extend(text.chars().map(tokenize::normalize_char));
        self.fields.push((field, start..self.text.len()));
        self.text.push('\n');
    }
}

/// A term's key: a bigram, a single character or an ASCII word (`false`), or
/// a jieba word of three or more characters (`true`, written `=word`).
type Key<'a> = (bool, &'a str);

/// Every term of one report with its packed flags, in merge groups.
pub struct DocTerms<'a> {
    entries: Vec<(u32, Key<'a>, u8)>,
    /// Where each merge group starts in `entries` (one more than the groups).
    groups: Vec<usize>,
}

/// Fields a term occurs in, and how often.
#[derive(Default)]
struct Entry {
    flags: u8,
    count: u32,
}

impl Entry {
    fn add(&mut self, field: u8) {
        self.flags |= field;
        self.count += 1;
    }
}

impl<'a> DocTerms<'a> {
    pub fn new(doc: &'a DocText) -> DocTerms<'a> {
        let mut terms: HashMap<Key<'a>, Entry> = HashMap::default();
        for (field, range) in &doc.fields {
            let field = *field;
            let part = &doc.text[range.clone()];
            for run in tokenize::runs(part) {
                match run {
                    Run::Han(h) => {
                        for t in tokenize::han_terms(h) {
                            terms.entry((false, t)).or_default().add(field);
                        }
                        // One-character queries find titles and units.
                        if field & (TITLE | SOURCE) != 0 && h.chars().nth(1).is_some() {
                            for c in tokenize::han_chars(h) {
                                terms.entry((false, c)).or_default().add(field);
                            }
                        }
                    }
                    Run::Word(w) => terms.entry((false, w)).or_default().add(field),
                }
            }
            // Words where they decide the ranking: titles, units, headings,
            // summaries, tags. Segmenting every body would triple the index
            // build time; bodies are found by their pairs of characters.
            if field == BODY {
                continue;
            }
            for w in segment::words(part) {
                if w.chars().nth(2).is_some() {
                    terms.entry((true, w)).or_default().add(field);
                } else if let Some(e) = terms.get_mut(&(false, w)) {
                    e.flags |= WORD;
                }
            }
        }
        let mut entries: Vec<(u32, Key<'a>, u8)> = terms
            .into_iter()
            .map(|(key, e)| {
                let tf_class = match e.count {
                    0..=1 => 0,
                    2..=3 => 1,
                    4..=7 => 2,
                    _ => 3,
                };
                (key_hash(key), key, e.flags | tf_class)
            })
            .collect();
        entries.sort_unstable_by_key(|e| tokenize::shard_of(e.0, GROUP_BITS));
        // Sorted by group, so each group is a run: count them, then add up.
        let mut groups = vec![0usize; (1 << GROUP_BITS) + 1];
        for e in &entries {
            groups[tokenize::shard_of(e.0, GROUP_BITS) as usize + 1] += 1;
        }
        for g in 1..groups.len() {
            groups[g] += groups[g - 1];
        }
        DocTerms { entries, groups }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every posting of the report: (term hash, term as the shard spells it, packed flags).
    pub fn postings(&self) -> impl Iterator<Item = (u32, String, u8)> + '_ {
        self.entries
            .iter()
            .map(|&(hash, key, packed)| (hash, key_string(key), packed))
    }

    /// The entries whose hash starts with `group` in its top `GROUP_BITS` bits.
    fn group(&self, group: u32) -> &[(u32, Key<'a>, u8)] {
        let g = group as usize;
        &self.entries[self.groups[g]..self.groups[g + 1]]
    }
}

fn key_hash((word, term): Key) -> u32 {
    if word {
        let mut buf = [0u8; 4];
        let prefix = WORD_PREFIX.encode_utf8(&mut buf);
        tokenize::term_hash(&format!("{prefix}{term}"))
    } else {
        tokenize::term_hash(term)
    }
}

fn key_string((word, term): Key) -> String {
    if word {
        format!("{WORD_PREFIX}{term}")
    } else {
        term.to_string()
    }
}

/// How many hash bits name a shard, so that shards stay near the target size.
pub fn shard_bits(postings: usize) -> u32 {
    // About three bytes per posting once encoded.
    let estimate = postings.saturating_mul(3) / TARGET_SHARD_BYTES;
    let bits = usize::BITS - estimate.leading_zeros();
    bits.clamp(MIN_BITS, MAX_BITS)
}

/// Reports tokenized at a time: enough to keep both cores busy, few enough
/// that their terms (tens of bytes per posting before encoding) stay small.
const BATCH: usize = 512;

/// One term's postings while the index is being merged.
struct Postings {
    hash: u32,
    encoded: String,
    last: u32,
}

/// The finished index: shard files and figures for the build summary.
pub struct Index {
    /// (file name without `.json`, JSON text), every shard, empty ones too.
    pub shards: Vec<(String, String)>,
    pub terms: usize,
    pub bits: u32,
    /// Postings in all (one per report and term); `meta.json` records it so a
    /// patch knows whether the shard bits would change.
    pub postings: usize,
}

/// Tokenizes every report, a batch at a time, and merges the postings into
/// `2^GROUP_BITS` groups in parallel; then splits the groups into shards.
pub fn build(site: &Site, rendered: &[Rendered]) -> Index {
    let mut groups: Vec<HashMap<String, Postings>> =
        (0..1 << GROUP_BITS).map(|_| HashMap::default()).collect();
    let mut postings = 0;
    let count = site.reports.len();
    for start in (0..count).step_by(BATCH) {
        let end = (start + BATCH).min(count);
        let texts: Vec<DocText> = (start..end)
            .into_par_iter()
            .map(|i| DocText::new(site, i, &rendered[i]))
            .collect();
        let docs: Vec<DocTerms> = texts.par_iter().map(DocTerms::new).collect();
        postings += docs.iter().map(DocTerms::len).sum::<usize>();
        groups.par_iter_mut().enumerate().for_each(|(g, map)| {
            for (k, doc) in docs.iter().enumerate() {
                let d = (start + k) as u32;
                for &(hash, key, packed) in doc.group(g as u32) {
                    let p = match key {
                        (false, term) => map.get_mut(term),
                        (true, _) => map.get_mut(&key_string(key)),
                    };
                    let p = match p {
                        Some(p) => p,
                        None => map.entry(key_string(key)).or_insert(Postings {
                            hash,
                            encoded: String::new(),
                            last: 0,
                        }),
                    };
                    push_varint(&mut p.encoded, d - p.last);
                    push_varint(&mut p.encoded, u32::from(packed));
                    p.last = d;
                }
            }
        });
    }
    let bits = shard_bits(postings);
    let terms = groups.iter().map(HashMap::len).sum();
    let shards = groups
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(g, map)| {
            // A group is a run of whole shards, since GROUP_BITS <= bits.
            let first = (g as u32) << (bits - GROUP_BITS);
            let mut by_shard: BTreeMap<u32, BTreeMap<String, String>> = (first
                ..first + (1 << (bits - GROUP_BITS)))
                .map(|s| (s, BTreeMap::new()))
                .collect();
            for (key, p) in map {
                by_shard
                    .entry(tokenize::shard_of(p.hash, bits))
                    .or_default()
                    .insert(key, p.encoded);
            }
            by_shard.into_iter().map(move |(s, map)| {
                let json = serde_json::to_string(&map).unwrap_or_else(|_| "{}".into());
                (tokenize::shard_name(s, bits), json)
            })
        })
        .collect();
    Index {
        shards,
        terms,
        bits,
        postings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_bits_grow_with_the_corpus() {
        assert_eq!(shard_bits(0), MIN_BITS);
        assert_eq!(shard_bits(10_000), MIN_BITS);
        assert!(shard_bits(20_000_000) > 10);
        assert_eq!(shard_bits(usize::MAX / 4), MAX_BITS);
    }
}
