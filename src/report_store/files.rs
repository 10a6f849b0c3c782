//! The store's folder, `.annals-cache/reports/`: one file per entry, named by
//! its key. Read like every cache file (no links, no pipes, a size cap),
//! written through a temporary file and a rename, and swept after a build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::key::{Hash, file_name};

/// An entry larger than this is no entry of ours (the largest report file the
/// loader accepts renders to far less).
const ENTRY_MAX_BYTES: u64 = crate::cache_dir::SMALL_FILE_MAX_BYTES;

/// The bytes of the entry filed under `key`, if there is a readable one.
pub fn read(dir: &Path, key: &Hash) -> Option<Vec<u8>> {
    crate::cache_dir::read_cache_file(&dir.join(file_name(key)), ENTRY_MAX_BYTES).ok()
}

/// Files `bytes` under `key`; a killed build leaves at most a temporary file,
/// which the next sweep removes.
pub fn write(dir: &Path, key: &Hash, bytes: &[u8]) -> std::io::Result<()> {
    crate::cache_dir::write_cache_file(&dir.join(file_name(key)), bytes)
}

/// Makes the store's folder (and the cache folder around it); a folder that
/// is a symbolic link is refused: annals writes and deletes in it.
pub fn prepare(root: &Path) -> std::io::Result<PathBuf> {
    let layout = crate::layout::SiteLayout::new(root);
    let dir = layout.reports();
    crate::cache_dir::ensure_cache_subdir(&layout.cache(), &dir)?;
    Ok(dir)
}

/// Removes every file of the store's folder not named in `keep` (entries of
/// reports edited or gone, temporary files of killed builds). Folders and
/// whatever else is there are left alone; a link is removed, never followed.
pub fn sweep(dir: &Path, keep: &HashSet<String>) -> usize {
    if crate::site_files::is_link(dir) {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let name = entry.file_name();
        if is_dir || keep.contains(name.to_string_lossy().as_ref()) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}
