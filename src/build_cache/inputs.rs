//! The input index: every file a build reads, with its stat (size, modification
//! and change time, inode) and content hash. As git's index does, a file whose
//! stat is the one recorded keeps its recorded hash without being read, unless
//! it changed so close to the last scan that a later edit could share its time
//! ("racy"); those are hashed again.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::stat::{Stat, hash_file};

use crate::layout::{CONFIG_FILE, INPUT_DIRS};

/// A file modified less than this before the last scan is hashed again: file
/// systems with coarse timestamps give an edit made just after the scan the
/// same time as the version scanned.
const RACY_NS: i128 = 2_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub stat: Stat,
    /// BLAKE3 of the bytes, hex.
    pub hash: String,
}

impl InputFile {
    /// A folder: only that it exists matters (its files are entries of their own).
    fn folder() -> InputFile {
        InputFile {
            stat: Stat::default(),
            hash: "folder".to_string(),
        }
    }
}

/// Path relative to the site folder (with `/`; folders end in `/`) → the
/// file's stamp and hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputIndex {
    pub files: BTreeMap<String, InputFile>,
    /// When the scan began, in ns since the epoch.
    pub scanned_at_ns: i128,
}

pub fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// Scans the inputs of the site at `root`, taking unchanged hashes from
/// `previous`. `None` when a folder cannot be read whole: a partial index could
/// miss a change, so such a build does not use the cache.
pub fn scan(root: &Path, previous: Option<&InputIndex>) -> Option<InputIndex> {
    let scanned_at_ns = now_ns();
    let mut paths = Vec::new();
    // Folders count too: an empty one is a section of the site.
    let mut folders = BTreeMap::new();
    let config = root.join(CONFIG_FILE);
    if config.exists() {
        paths.push((CONFIG_FILE.to_string(), config));
    }
    for dir in INPUT_DIRS {
        let dir = root.join(dir);
        if !dir.exists() {
            continue;
        }
        // Links are followed: the build reads what they point to.
        for entry in walkdir::WalkDir::new(&dir).follow_links(true) {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(root).ok()?;
            if entry.file_type().is_dir() {
                let rel = rel.to_string_lossy().replace('\\', "/");
                folders.insert(format!("{rel}/"), InputFile::folder());
                continue;
            }
            paths.push((
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().to_path_buf(),
            ));
        }
    }
    let files: Option<BTreeMap<String, InputFile>> = paths
        .into_par_iter()
        .map(|(rel, path)| {
            let meta = std::fs::metadata(&path).ok()?;
            // A pipe or device would block the read; the build refuses those
            // itself, so such a site is simply not indexed.
            if !meta.is_file() {
                return None;
            }
            let stat = Stat::of(&meta);
            let known = previous.and_then(|p| {
                let old = p.files.get(&rel)?;
                let settled = stat.changed_ns() < p.scanned_at_ns - RACY_NS;
                (settled && old.stat == stat).then(|| old.clone())
            });
            let file = match known {
                Some(file) => file,
                None => InputFile {
                    stat,
                    hash: hash_file(&path)?,
                },
            };
            Some((rel, file))
        })
        .collect();
    let mut files = files?;
    files.extend(folders);
    Some(InputIndex {
        files,
        scanned_at_ns,
    })
}

/// The files whose content differs between two indexes: changed, added or removed.
pub fn changed<'a>(old: &'a InputIndex, new: &'a InputIndex) -> Vec<&'a str> {
    let mut changed: Vec<&str> = new
        .files
        .iter()
        .filter(|(rel, f)| old.files.get(*rel).is_none_or(|o| o.hash != f.hash))
        .map(|(rel, _)| rel.as_str())
        .collect();
    changed.extend(
        old.files
            .keys()
            .filter(|rel| !new.files.contains_key(*rel))
            .map(String::as_str),
    );
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2023")).unwrap();
        std::fs::write(dir.path().join("config.toml"), "title = \"x\"\n").unwrap();
        std::fs::write(dir.path().join("content/2023/a.md"), "aaaa").unwrap();
        dir
    }

    #[test]
    fn an_edit_of_the_same_size_and_time_is_seen_while_racy() {
        let dir = site();
        let first = scan(dir.path(), None).unwrap();
        let file = dir.path().join("content/2023/a.md");
        let time = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "bbbb").unwrap();
        // Same size, and the old time put back: only the bytes tell.
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(time)
            .unwrap();
        let second = scan(dir.path(), Some(&first)).unwrap();
        assert_eq!(changed(&first, &second), vec!["content/2023/a.md"]);
    }

    #[test]
    fn an_edit_that_keeps_size_and_time_is_seen_by_its_change_time() {
        let dir = site();
        let mut first = scan(dir.path(), None).unwrap();
        // As if scanned long after the files were written: nothing is racy.
        first.scanned_at_ns += 10 * RACY_NS;
        let file = dir.path().join("content/2023/a.md");
        let time = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // `cp -p` or `touch -r`: new bytes, the old size and modification time.
        std::fs::write(&file, "bbbb").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(time)
            .unwrap();
        let second = scan(dir.path(), Some(&first)).unwrap();
        assert_eq!(changed(&first, &second), vec!["content/2023/a.md"]);
    }

    #[test]
    fn settled_files_keep_their_hash_unread() {
        let dir = site();
        let mut first = scan(dir.path(), None).unwrap();
        // As if scanned long after the files were written.
        first.scanned_at_ns += 10 * RACY_NS;
        let known = first.files["content/2023/a.md"].clone();
        first
            .files
            .get_mut("content/2023/a.md")
            .unwrap()
            .hash
            .replace_range(.., "remembered");
        let second = scan(dir.path(), Some(&first)).unwrap();
        assert_eq!(second.files["content/2023/a.md"].hash, "remembered");
        assert_eq!(second.files["content/2023/a.md"].stat, known.stat);
    }

    #[test]
    fn a_new_empty_folder_is_a_change() {
        let dir = site();
        let first = scan(dir.path(), None).unwrap();
        std::fs::create_dir_all(dir.path().join("content/2024")).unwrap();
        let second = scan(dir.path(), Some(&first)).unwrap();
        assert_eq!(changed(&first, &second), vec!["content/2024/"]);
    }

    #[test]
    fn added_and_removed_files_are_changes() {
        let dir = site();
        let first = scan(dir.path(), None).unwrap();
        std::fs::remove_file(dir.path().join("content/2023/a.md")).unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/b.css"), "b").unwrap();
        let second = scan(dir.path(), Some(&first)).unwrap();
        let mut found = changed(&first, &second);
        found.sort();
        assert_eq!(found, vec!["content/2023/a.md", "static/", "static/b.css"]);
        assert!(changed(&second, &second).is_empty());
    }
}
