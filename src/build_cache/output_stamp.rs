//! What the output folder held right after a build: its marker's identity and
//! every file with its stat and the hash of the bytes annals wrote. The next
//! build trusts the folder only when it still holds exactly those bytes: a
//! file whose stat changed is read and hashed, so a page defaced in place (even
//! with its size and modification time kept) is noticed and repaired.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::stat::{Stat, hash_file};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub stat: Stat,
    /// BLAKE3 of the bytes, hex.
    pub hash: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputStamp {
    /// The marker file is written anew by every build: its stat tells builds apart.
    pub marker: Stat,
    pub files: BTreeMap<String, OutputFile>,
}

/// Every regular file below `dir` (output paths with `/`) and its stat; `None`
/// when the folder cannot be listed whole or holds anything but files and folders.
fn list(dir: &Path) -> Option<Vec<(String, Stat)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return None;
        }
        let rel = entry.path().strip_prefix(dir).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        files.push((rel, Stat::of(&entry.metadata().ok()?)));
    }
    Some(files)
}

impl OutputStamp {
    /// The output folder as a build just left it. `written` holds the hash of
    /// every file the build wrote from memory; a file it did not write (kept
    /// from the previous output: the same inode, size and time) takes the
    /// previous stamp's hash; any other file is read and hashed.
    pub fn take(
        dir: &Path,
        written: &HashMap<String, String>,
        previous: Option<&OutputStamp>,
    ) -> Option<OutputStamp> {
        let marker = Stat::of(&std::fs::symlink_metadata(dir.join(crate::output::MARKER)).ok()?);
        let files: Option<BTreeMap<String, OutputFile>> = list(dir)?
            .into_par_iter()
            .map(|(rel, stat)| {
                let kept = previous
                    .and_then(|p| p.files.get(&rel))
                    .filter(|old| same_file(&old.stat, &stat))
                    .map(|old| old.hash.clone());
                let hash = match written.get(&rel) {
                    Some(hash) => hash.clone(),
                    None => kept.or_else(|| hash_file(&dir.join(&rel)))?,
                };
                Some((rel, OutputFile { stat, hash }))
            })
            .collect();
        Some(OutputStamp {
            marker,
            files: files?,
        })
    }

    /// Whether `dir` holds exactly the files recorded, with the bytes recorded.
    pub fn holds(&self, dir: &Path) -> bool {
        let marker = std::fs::symlink_metadata(dir.join(crate::output::MARKER));
        if !marker.is_ok_and(|m| Stat::of(&m) == self.marker) {
            return false;
        }
        let Some(files) = list(dir) else {
            return false;
        };
        files.len() == self.files.len()
            && files.into_par_iter().all(|(rel, stat)| {
                self.files.get(&rel).is_some_and(|old| {
                    old.stat == stat || hash_file(&dir.join(&rel)).is_some_and(|h| h == old.hash)
                })
            })
    }
}

/// A hard link kept from the previous output: the very same file (linking
/// changes its change time, nothing else).
fn same_file(old: &Stat, new: &Stat) -> bool {
    old.ino == new.ino && old.size == new.size && old.mtime_ns == new.mtime_ns
}
