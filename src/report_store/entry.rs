//! One stored rendering as bytes: a magic line, the BLAKE3 of the payload,
//! then the payload (postcard: the key, the digest and the `Rendered`).
//! Bytes that do not verify or decode are no entry: the report is rendered
//! again; nothing read here is trusted on its own.

use serde::{Deserialize, Serialize};

use super::key::Hash;
use crate::content::ReportMeta;
use crate::markdown::Rendered;

const MAGIC: &[u8] = b"annals-report-store 1\n";

#[derive(Serialize)]
struct EntryRef<'a> {
    key: &'a Hash,
    digest: &'a Hash,
    rendered: &'a Rendered,
    /// The front matter as JSON (its free-form values need a self-describing
    /// format): what the search index was made from, for its patch.
    meta: String,
}

#[derive(Deserialize)]
struct Entry {
    key: Hash,
    digest: Hash,
    rendered: Rendered,
    meta: String,
}

/// The stored form of a report's `rendered` body and `meta` under `key`.
pub fn seal(key: &Hash, digest: &Hash, rendered: &Rendered, meta: &ReportMeta) -> Option<Vec<u8>> {
    let payload = postcard::to_allocvec(&EntryRef {
        key,
        digest,
        rendered,
        meta: serde_json::to_string(meta).ok()?,
    })
    .ok()?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + 32 + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
    bytes.extend(payload);
    Some(bytes)
}

/// The rendering in `bytes`, when they are an intact entry filed under `key`
/// and made from what `digest` says.
pub fn unseal(bytes: &[u8], key: &Hash, digest: &Hash) -> Option<Rendered> {
    let entry = decode(bytes, key)?;
    (&entry.digest == digest).then_some(entry.rendered)
}

/// The front matter and rendering of an entry whose body is no longer at
/// hand (the last build's).
pub fn unseal_any(bytes: &[u8], key: &Hash) -> Option<(ReportMeta, Rendered)> {
    let entry = decode(bytes, key)?;
    Some((serde_json::from_str(&entry.meta).ok()?, entry.rendered))
}

fn decode(bytes: &[u8], key: &Hash) -> Option<Entry> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (hash, payload) = rest.split_at_checked(32)?;
    if hash != blake3::hash(payload).as_bytes() {
        return None;
    }
    let entry: Entry = postcard::from_bytes(payload).ok()?;
    (&entry.key == key).then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> ReportMeta {
        serde_json::from_value(serde_json::json!({
            "title": "报告", "date": "2024-01-15", "date_time": null, "source": "测试局",
            "year": 2023, "summary": null, "category": null, "tags": ["标签"],
            "index_no": null, "doc_no": null, "updated": null, "slug": null, "draft": false,
            "weight": 0, "attachments": [], "related": [], "aliases": [],
            "extra": {"x": 1.5}, "disclosure_stats": null, "key_lines": [["title", 2]]
        }))
        .unwrap()
    }

    fn sample() -> Rendered {
        Rendered {
            html: "<p>正文</p>".to_string(),
            text: "正文".to_string(),
            signed: true,
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_reads_back_only_under_its_key_and_digest() {
        let bytes = seal(&[1; 32], &[2; 32], &sample(), &meta()).unwrap();
        let back = unseal(&bytes, &[1; 32], &[2; 32]).unwrap();
        assert_eq!((back.html, back.signed), (sample().html, true));
        assert!(unseal(&bytes, &[3; 32], &[2; 32]).is_none());
        assert!(unseal(&bytes, &[1; 32], &[3; 32]).is_none());
        let (old_meta, old) = unseal_any(&bytes, &[1; 32]).unwrap();
        assert_eq!((old_meta, old.text), (meta(), sample().text));
        assert!(unseal_any(&bytes, &[3; 32]).is_none());
    }

    #[test]
    fn damaged_or_truncated_bytes_are_no_entry() {
        let bytes = seal(&[1; 32], &[2; 32], &sample(), &meta()).unwrap();
        for cut in 0..bytes.len() {
            assert!(unseal(&bytes[..cut], &[1; 32], &[2; 32]).is_none());
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(unseal(&flipped, &[1; 32], &[2; 32]).is_none());
    }

    #[test]
    fn a_payload_with_a_matching_hash_that_does_not_decode_is_no_entry() {
        let payload = b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff garbage";
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(blake3::hash(payload).as_bytes());
        bytes.extend_from_slice(payload);
        assert!(unseal(&bytes, &[1; 32], &[2; 32]).is_none());
    }
}
