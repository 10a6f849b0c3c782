//! The PDF cache under the site root: the PDFs of the last `--pdf` build and a
//! manifest of the print-page hash each was made from, so unchanged pages are
//! not printed again. Deleting the folder is always safe.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

pub use crate::layout::CACHE_DIR;
const MANIFEST: &str = "pdf.json";
const PDF_DIR: &str = crate::layout::CACHE_PDF_DIR;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// PDF site path → what it was printed from.
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// SHA-256 of the print page and its stylesheet.
    key: String,
    bytes: u64,
}

/// The cache key of a print page: its HTML and the print stylesheet it links.
pub fn key(html: &str, css: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(html.as_bytes());
    h.update([0]);
    h.update(css);
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// Temp files of PDFs being printed start with this; a killed build leaves them.
pub const TEMP_PREFIX: &str = ".annals-tmp-";

/// Prepares the cache for a `--pdf` build: refuses links that would lead its
/// writes and deletes out of the site, waits for any other build printing into
/// it (the returned lock), then deletes what interrupted builds left behind:
/// temp PDFs here and browser profiles in the system's temp folder.
pub fn open(cache_root: &Path) -> Result<std::fs::File, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(tr("pdf.cache-unusable", &[("error", &e)]))
            .in_file(cache_root)
            .with_help(tr("pdf.cache-help", &[]))
    };
    crate::cache_dir::ensure_cache_dir(cache_root).map_err(|e| fail(e.to_string()))?;
    let pdf_dir = cache_root.join(PDF_DIR);
    if crate::site_files::is_link(&pdf_dir) {
        return Err(fail(tr(
            "pdf.cache-folder-link",
            &[("path", &pdf_dir.display())],
        )));
    }
    let lock = crate::site_files::open_lock_file(&cache_root.join("pdf.lock"))
        .map_err(|e| fail(e.to_string()))?;
    lock.lock().map_err(|e| fail(e.to_string()))?;
    // Nobody else prints now: every temp file left here is an orphan.
    for entry in walkdir::WalkDir::new(&pdf_dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        let orphan =
            name.starts_with(TEMP_PREFIX) || (name.starts_with(".tmp") && name.ends_with(".pdf"));
        if orphan && !entry.file_type().is_dir() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    super::chrome::remove_stale_profiles();
    Ok(lock)
}

/// A cached PDF is only read or written through real folders of the cache: a
/// link among them would publish, or overwrite, a file elsewhere.
pub fn check_no_links(cache_root: &Path, path: &Path) -> Result<(), Diagnostic> {
    match crate::site_files::first_link_below(cache_root, path) {
        None => Ok(()),
        Some(link) => {
            let target = std::fs::read_link(&link).unwrap_or_default();
            Err(
                Diagnostic::error(tr("pdf.cache-holds-link", &[("target", &target.display())]))
                    .in_file(&link)
                    .with_help(tr("pdf.cache-help", &[])),
            )
        }
    }
}

/// Where the cached copy of the PDF at site path `url` lives.
pub fn pdf_path(cache_root: &Path, url: &str) -> PathBuf {
    cache_root.join(PDF_DIR).join(url.trim_start_matches('/'))
}

impl Manifest {
    /// The manifest of the last run; a missing or damaged one means "print everything".
    pub fn load(cache_root: &Path) -> Manifest {
        crate::cache_dir::read_cache_file(
            &cache_root.join(MANIFEST),
            crate::cache_dir::SMALL_FILE_MAX_BYTES,
        )
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
    }

    /// Whether the cached PDF of `url` was made from a page with this `key`.
    pub fn is_fresh(&self, cache_root: &Path, url: &str, key: &str) -> bool {
        self.entries.get(url).is_some_and(|e| {
            e.key == key
                // Not through a link: a linked "PDF" is printed again, replacing the link.
                && std::fs::symlink_metadata(pdf_path(cache_root, url))
                    .is_ok_and(|m| m.is_file() && m.len() == e.bytes)
        })
    }

    pub fn record(&mut self, url: &str, key: &str, bytes: u64) {
        self.entries.insert(
            url.to_string(),
            Entry {
                key: key.to_string(),
                bytes,
            },
        );
    }

    /// Forgets, and deletes the PDFs of, pages that no longer exist.
    pub fn retain(&mut self, cache_root: &Path, keep: &[&str]) {
        let keep: std::collections::HashSet<&str> = keep.iter().copied().collect();
        self.entries.retain(|url, _| {
            let stays = keep.contains(url.as_str());
            // The manifest is a file anyone could have put there: delete only
            // plain paths inside the cache, never through `..` or a link.
            let path = pdf_path(cache_root, url);
            let plain = Path::new(url.trim_start_matches('/'))
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !stays && plain && check_no_links(cache_root, &path).is_ok() {
                let _ = std::fs::remove_file(path);
            }
            stays
        });
    }

    /// Writes the manifest atomically (temp file, then rename).
    pub fn save(&self, cache_root: &Path) -> Result<(), Diagnostic> {
        let error = |e: String| {
            Diagnostic::error(tr("pdf.manifest-unwritable", &[("error", &e)]))
                .in_file(cache_root.join(MANIFEST))
                .with_help(tr("pdf.manifest-unwritable-help", &[]))
        };
        std::fs::create_dir_all(cache_root).map_err(|e| error(e.to_string()))?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| error(e.to_string()))?;
        let mut temp =
            tempfile::NamedTempFile::new_in(cache_root).map_err(|e| error(e.to_string()))?;
        std::io::Write::write_all(&mut temp, &json).map_err(|e| error(e.to_string()))?;
        temp.persist(cache_root.join(MANIFEST))
            .map_err(|e| error(e.to_string()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_only_with_same_key_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut m = Manifest::default();
        let k = key("<p>a</p>", b"css");
        assert_ne!(k, key("<p>a</p>", b"css2"));
        m.record("/a/print/a.pdf", &k, 4);
        assert!(!m.is_fresh(root, "/a/print/a.pdf", &k), "no file yet");
        let p = pdf_path(root, "/a/print/a.pdf");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, b"%PDF").unwrap();
        assert!(m.is_fresh(root, "/a/print/a.pdf", &k));
        m.save(root).unwrap();
        let again = Manifest::load(root);
        assert!(again.is_fresh(root, "/a/print/a.pdf", &k));
        assert!(!again.is_fresh(root, "/a/print/a.pdf", "other"));
        let mut again = again;
        again.retain(root, &[]);
        assert!(!p.exists());
    }
}
