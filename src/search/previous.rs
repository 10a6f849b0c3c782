//! The index a patch starts from: the files the previous pass left in the output.

use std::path::{Path, PathBuf};

/// Index files larger than this are not ours (a shard aims at 16 KB).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file of the previous index by its output path (`search/index/meta.json`).
pub trait IndexFiles: Sync {
    /// The file's bytes; `None` when it is missing or not a plain file.
    fn read(&self, rel: &str) -> Option<Vec<u8>>;
    /// Whether the file is there, as a plain file (cheaper than reading it).
    fn has(&self, rel: &str) -> bool;
}

/// The previous index as a folder holds it: `serve`'s own output folder, or the
/// output a `build` is about to replace.
pub struct FolderIndex {
    dir: PathBuf,
}

impl FolderIndex {
    pub fn new(dir: &Path) -> FolderIndex {
        FolderIndex {
            dir: dir.to_path_buf(),
        }
    }
}

impl FolderIndex {
    /// The path of `rel` when it is a plain file of a sensible size.
    fn file(&self, rel: &str) -> Option<PathBuf> {
        // Only the patch's own fixed names come here; never leave the folder.
        if rel.split('/').any(|part| part.is_empty() || part == "..") {
            return None;
        }
        let path = self.dir.join(rel);
        // A link or anything but a plain file is not the index we wrote.
        let meta = std::fs::symlink_metadata(&path).ok()?;
        (meta.is_file() && meta.len() <= MAX_FILE_BYTES).then_some(path)
    }
}

impl IndexFiles for FolderIndex {
    fn read(&self, rel: &str) -> Option<Vec<u8>> {
        // Never through a link nor from a pipe, and never past the cap.
        crate::cache_dir::read_cache_file(&self.file(rel)?, MAX_FILE_BYTES).ok()
    }

    fn has(&self, rel: &str) -> bool {
        self.file(rel).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_files_only_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("search/index")).unwrap();
        std::fs::write(dir.path().join("search/index/meta.json"), "{}").unwrap();
        let index = FolderIndex::new(dir.path());
        assert_eq!(index.read("search/index/meta.json").unwrap(), b"{}");
        assert!(index.read("search/index/00.json").is_none());
        assert!(index.read("../x").is_none());
        assert!(index.read("search/index").is_none());
        assert!(index.has("search/index/meta.json"));
        assert!(!index.has("search/index/00.json"));
    }
}
