//! The index patched for a few edited reports instead of built again: only the
//! postings of terms whose flags changed for an edited report are rewritten,
//! and only files whose bytes change are written; every other file is kept.
//!
//! The result must be byte for byte the index a full build of the new site
//! writes. Whenever the previous index cannot be trusted to be the one built
//! from the old reports (missing, damaged, another format or report count) or
//! the shard bits would change, the whole index is built instead.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

use rayon::prelude::*;
use serde::Deserialize;

use super::docs::{self, CHUNK};
use super::encode::{decode_all, push_varint};
use super::index::{DocTerms, DocText, shard_bits};
use super::tokenize::{FORMAT_VERSION, shard_name, shard_of};
use super::{INDEX_DIR, IndexFiles, SearchStats};
use crate::content::ReportMeta;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::pages::BuildContext;

/// A report edited since the previous index was built, at the same position in
/// the site; its new text is `ctx.rendered[index]`.
pub struct Edit {
    pub index: usize,
    /// The front matter and Markdown the previous index was built from.
    pub meta: ReportMeta,
    pub rendered: Rendered,
}

/// The fields of the previous `meta.json` that say whether it can be patched.
#[derive(Deserialize)]
struct PreviousMeta {
    version: u32,
    bits: u32,
    chunk: usize,
    count: usize,
    /// Missing in indexes written before patches existed: they are rebuilt.
    postings: Option<usize>,
}

/// Report number → its new packed flags for one term (`None`: it lost the term).
type Changes = BTreeMap<u32, Option<u8>>;

/// Shard → term → changes.
type ByShard = BTreeMap<u32, BTreeMap<String, Changes>>;

/// A term whose posting for a report changes: (hash, term, new flags or `None`).
type TermChange = (u32, String, Option<u8>);

/// What an edit changes in the index: its changed terms, and how many
/// postings the report had and has.
struct DocDiff {
    report: u32,
    terms: Vec<TermChange>,
    old_len: usize,
    new_len: usize,
}

/// The files a patch rewrites, as (output path, bytes), and the new figures.
struct Patched {
    files: Vec<(String, String)>,
    bits: u32,
}

/// Patches the previous index for `edits`, or builds it whole when the pass
/// renders every page or the previous index cannot be patched. Files the patch
/// leaves alone are noted as skipped, so a partial `build` keeps them.
pub fn write_patched(
    ctx: &BuildContext,
    previous: &dyn IndexFiles,
    edits: &[Edit],
) -> Result<SearchStats, Diagnostic> {
    let start = Instant::now();
    let patched = ctx.only.and_then(|_| patch(ctx, previous, edits));
    let Some(Patched { files, bits }) = patched else {
        return super::write(ctx);
    };
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| ctx.out.write(rel, bytes.as_bytes()))?;
    if let Some(skipped) = ctx.skipped {
        let written: HashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        let kept =
            index_files(bits, ctx.site.reports.len()).filter(|rel| !written.contains(rel.as_str()));
        skipped
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(kept);
    }
    Ok(SearchStats {
        reports: ctx.site.reports.len(),
        shards: 1 << bits,
        bits,
        elapsed: start.elapsed(),
        patched: Some(files.len()),
        ..SearchStats::default()
    })
}

fn meta_path() -> String {
    format!("{INDEX_DIR}/meta.json")
}

fn shard_path(shard: u32, bits: u32) -> String {
    format!("{INDEX_DIR}/{}.json", shard_name(shard, bits))
}

fn chunk_path(n: usize) -> String {
    format!("{INDEX_DIR}/docs/{n}.json")
}

/// Every file of an index with `2^bits` shards over `count` reports: the names a
/// full build writes.
fn index_files(bits: u32, count: usize) -> impl Iterator<Item = String> {
    (0..1u32 << bits)
        .map(move |s| shard_path(s, bits))
        .chain((0..docs::chunk_count(count)).map(chunk_path))
        .chain(std::iter::once(meta_path()))
}

/// The files that change, or `None` when the index must be built whole.
fn patch(ctx: &BuildContext, previous: &dyn IndexFiles, edits: &[Edit]) -> Option<Patched> {
    let site = ctx.site;
    let count = site.reports.len();
    let meta: PreviousMeta = serde_json::from_slice(&previous.read(&meta_path())?).ok()?;
    let old_postings = meta.postings?;
    let same_layout = meta.version == FORMAT_VERSION
        && meta.chunk == CHUNK
        && meta.count == count
        && ctx.rendered.len() == count
        && meta.bits == shard_bits(old_postings);
    // A full build writes every file; one missing is not the index it wrote.
    if !same_layout || !index_files(meta.bits, count).all(|rel| previous.has(&rel)) {
        return None;
    }
    let (by_shard, postings) = changes(ctx, edits, meta.bits, old_postings)?;
    // New bits name other shards for every term: only a full build says which.
    if shard_bits(postings) != meta.bits {
        return None;
    }
    let mut files = patch_chunks(ctx, previous, edits)?;
    files.extend(patch_shards(previous, &by_shard, meta.bits, count)?);
    let json = serde_json::to_string(&docs::meta(site, meta.bits, postings)).ok()?;
    push_if_changed(&mut files, previous, meta_path(), json);
    Some(Patched {
        files,
        bits: meta.bits,
    })
}

/// The document chunks of the edited reports that change; `None` when a
/// chunk file is not what the old reports make (the previous index was built
/// from other text than the edits say).
fn patch_chunks(
    ctx: &BuildContext,
    previous: &dyn IndexFiles,
    edits: &[Edit],
) -> Option<Vec<(String, String)>> {
    let old: HashMap<usize, &Edit> = edits.iter().map(|e| (e.index, e)).collect();
    let chunks: BTreeSet<usize> = edits.iter().map(|e| e.index / CHUNK).collect();
    let mut files = Vec::new();
    for n in chunks {
        let rel = chunk_path(n);
        let bytes = previous.read(&rel)?;
        let was = docs::chunk_of(ctx.site, n, |i| match old.get(&i) {
            Some(e) => (&e.meta, &e.rendered),
            None => (&ctx.site.reports[i].meta, &ctx.rendered[i]),
        });
        if was.as_bytes() != bytes.as_slice() {
            return None;
        }
        let json = docs::chunk(ctx.site, ctx.rendered, n);
        if json.as_bytes() != bytes.as_slice() {
            files.push((rel, json));
        }
    }
    Some(files)
}

fn push_if_changed(
    files: &mut Vec<(String, String)>,
    previous: &dyn IndexFiles,
    rel: String,
    json: String,
) {
    if previous.read(&rel).as_deref() != Some(json.as_bytes()) {
        files.push((rel, json));
    }
}

/// The postings that change, by shard and term, and the new total of postings.
/// `None` for an edit that names no report or a report twice.
fn changes(
    ctx: &BuildContext,
    edits: &[Edit],
    bits: u32,
    old_postings: usize,
) -> Option<(ByShard, usize)> {
    let count = ctx.site.reports.len();
    let mut seen = HashSet::new();
    if !edits
        .iter()
        .all(|e| e.index < count && seen.insert(e.index))
    {
        return None;
    }
    let diffs: Vec<DocDiff> = edits
        .par_iter()
        .map(|e| {
            let old = DocText::of(&e.meta, &e.rendered);
            let new = DocText::new(ctx.site, e.index, &ctx.rendered[e.index]);
            let (old, new) = (DocTerms::new(&old), DocTerms::new(&new));
            DocDiff {
                report: e.index as u32,
                terms: term_diff(&old, &new),
                old_len: old.len(),
                new_len: new.len(),
            }
        })
        .collect();
    let mut by_shard = ByShard::new();
    let mut postings = old_postings;
    for diff in diffs {
        // The old total counted the old terms: fewer would mean another index.
        postings = postings.checked_sub(diff.old_len)? + diff.new_len;
        for (hash, term, flags) in diff.terms {
            by_shard
                .entry(shard_of(hash, bits))
                .or_default()
                .entry(term)
                .or_default()
                .insert(diff.report, flags);
        }
    }
    Some((by_shard, postings))
}

/// The terms whose posting for one report differs between its old and new
/// terms: (hash, term, new flags or `None` when the term is gone).
fn term_diff(old: &DocTerms, new: &DocTerms) -> Vec<TermChange> {
    let new_flags: HashMap<String, (u32, u8)> = new
        .postings()
        .map(|(hash, term, flags)| (term, (hash, flags)))
        .collect();
    let mut diff = Vec::new();
    let mut old_terms = HashSet::new();
    for (hash, term, flags) in old.postings() {
        match new_flags.get(&term) {
            Some(&(_, f)) if f == flags => {}
            Some(&(_, f)) => diff.push((hash, term.clone(), Some(f))),
            None => diff.push((hash, term.clone(), None)),
        }
        old_terms.insert(term);
    }
    for (term, (hash, flags)) in new_flags {
        if !old_terms.contains(&term) {
            diff.push((hash, term, Some(flags)));
        }
    }
    diff
}

/// The shards that change, rewritten; `None` when one cannot be read or decoded.
fn patch_shards(
    previous: &dyn IndexFiles,
    by_shard: &ByShard,
    bits: u32,
    count: usize,
) -> Option<Vec<(String, String)>> {
    let patched: Option<Vec<Option<(String, String)>>> = by_shard
        .par_iter()
        .map(|(&shard, terms)| {
            let rel = shard_path(shard, bits);
            // A full build writes every shard, empty ones too: a missing one is damage.
            let bytes = previous.read(&rel)?;
            let mut map: BTreeMap<String, String> = serde_json::from_slice(&bytes).ok()?;
            for (term, changes) in terms {
                let encoded = apply(map.get(term).map(String::as_str), changes, count)?;
                if encoded.is_empty() {
                    map.remove(term);
                } else {
                    map.insert(term.clone(), encoded);
                }
            }
            let json = serde_json::to_string(&map).ok()?;
            Some((json.as_bytes() != bytes.as_slice()).then_some((rel, json)))
        })
        .collect();
    Some(patched?.into_iter().flatten().collect())
}

/// One term's postings with `changes` applied, encoded as a full build encodes
/// them (gaps to the previous report, so every gap after an edit moves);
/// `None` when the old postings do not decode to reports in order.
fn apply(encoded: Option<&str>, changes: &Changes, count: usize) -> Option<String> {
    let numbers = decode_all(encoded.unwrap_or(""))?;
    if numbers.len() % 2 != 0 {
        return None;
    }
    let mut postings: Vec<(u32, u8)> = Vec::with_capacity(numbers.len() / 2 + changes.len());
    let mut doc: Option<u32> = None;
    for pair in numbers.chunks_exact(2) {
        let next = match doc {
            None => pair[0],
            Some(d) if pair[0] > 0 => d.checked_add(pair[0])?,
            Some(_) => return None,
        };
        if next as usize >= count {
            return None;
        }
        doc = Some(next);
        if !changes.contains_key(&next) {
            postings.push((next, u8::try_from(pair[1]).ok()?));
        }
    }
    postings.extend(changes.iter().filter_map(|(&d, f)| f.map(|f| (d, f))));
    postings.sort_unstable_by_key(|p| p.0);
    let mut out = String::with_capacity(postings.len() * 2);
    let mut last = 0;
    for (d, flags) in postings {
        push_varint(&mut out, d - last);
        push_varint(&mut out, u32::from(flags));
        last = d;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(postings: &[(u32, u8)]) -> String {
        apply(
            None,
            &postings.iter().map(|&(d, f)| (d, Some(f))).collect(),
            100,
        )
        .unwrap()
    }

    #[test]
    fn apply_moves_the_gap_after_the_edited_report() {
        let before = encode(&[(1, 4), (5, 4), (9, 5)]);
        let changes: Changes = [(5, None), (7, Some(6))].into_iter().collect();
        assert_eq!(
            apply(Some(&before), &changes, 100).unwrap(),
            encode(&[(1, 4), (7, 6), (9, 5)])
        );
        let gone: Changes = [(1, None), (5, None), (9, None)].into_iter().collect();
        assert_eq!(apply(Some(&before), &gone, 100).unwrap(), "");
    }

    #[test]
    fn apply_refuses_postings_out_of_order_or_range() {
        let none = Changes::new();
        let mut repeated = String::new();
        for v in [3, 4, 0, 4] {
            push_varint(&mut repeated, v);
        }
        assert!(apply(Some(&repeated), &none, 100).is_none());
        assert!(apply(Some(&encode(&[(50, 4)])), &none, 10).is_none());
        assert!(apply(Some("4"), &none, 100).is_none());
    }
}
