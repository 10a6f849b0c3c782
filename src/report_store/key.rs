//! What a stored rendering is filed under: everything its HTML depends on.
//! A body's HTML is a function of the report file's bytes, its place in the
//! site, the Markdown options, the link targets of the whole site (relative
//! links resolve against other reports' paths) and annals itself.

use crate::links::SourcePaths;
use crate::markdown::MarkdownOptions;
use crate::model::Report;

pub type Hash = [u8; 32];

/// Bumped whenever what an entry holds or means changes.
pub const FORMAT: u32 = 1;

/// The part of every key this pass shares: annals, the Markdown options and
/// the link targets. When any of these differs, no entry of an earlier pass
/// is found.
pub fn context(options: &MarkdownOptions, paths: &SourcePaths) -> Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, &FORMAT.to_le_bytes());
    field(
        &mut hasher,
        crate::build_cache::annals_fingerprint().as_bytes(),
    );
    field(&mut hasher, format!("{options:?}").as_bytes());
    field(&mut hasher, &paths.digest());
    *hasher.finalize().as_bytes()
}

/// The key of one report file: the pass's context, the file's path relative to
/// the site folder and the hash of its bytes (as the build record has it).
pub fn entry(context: &Hash, rel: &str, file_hash: &str) -> Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, context);
    field(&mut hasher, rel.as_bytes());
    field(&mut hasher, file_hash.as_bytes());
    *hasher.finalize().as_bytes()
}

/// What the rendering was made from, as loaded: the file could change between
/// the scan that hashed it and the load that read it, so an entry is used only
/// when this matches too (the test `serve` makes before reusing a body).
pub fn digest(report: &Report) -> Hash {
    let mut hasher = blake3::Hasher::new();
    field(&mut hasher, report.url.as_bytes());
    let stats = report
        .meta
        .disclosure_stats
        .as_ref()
        .map(|v| v.to_string())
        .unwrap_or_default();
    field(&mut hasher, stats.as_bytes());
    field(&mut hasher, report.body.as_bytes());
    *hasher.finalize().as_bytes()
}

/// One length-prefixed field, so no two lists of fields hash alike.
fn field(hasher: &mut blake3::Hasher, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The entry's file name: its key in hex.
pub fn file_name(key: &Hash) -> String {
    blake3::Hash::from_bytes(*key).to_hex().to_string()
}
