//! `serve`'s output: written straight into its own folder, which nobody else
//! reads while it is rewritten. A file is rewritten only when its bytes
//! changed, each through a temporary file and a rename, so a browser never
//! reads half a page.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Claims, Sink, absolute, io_error};
use crate::diagnostics::Diagnostic;

/// Hashes of the files in a serve folder, kept from one rebuild to the next.
#[derive(Debug, Default)]
pub struct FileHashes {
    hashes: HashMap<String, u64>,
}

#[derive(Debug, Default)]
struct State {
    hashes: FileHashes,
    seen: HashSet<String>,
    changed: usize,
}

pub struct InPlace {
    dir: PathBuf,
    claims: Claims,
    state: Mutex<State>,
}

impl InPlace {
    /// Writes into `dir`, skipping files whose bytes match `hashes`.
    pub fn new(dir: &Path, hashes: FileHashes) -> Result<InPlace, Diagnostic> {
        let dir = absolute(dir);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "output.do-create-folder", e))?;
        Ok(InPlace {
            claims: Claims::new(dir.clone()),
            dir,
            state: Mutex::new(State {
                hashes,
                ..Default::default()
            }),
        })
    }

    /// How many files really changed, and the hashes for the next rebuild.
    /// With `prune`, files not written in this pass are deleted.
    pub fn finish(self, prune: bool) -> (usize, FileHashes) {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if prune {
            for (rel, path) in stale_files(&self.dir, &state.seen) {
                let _ = std::fs::remove_file(path);
                state.hashes.hashes.remove(&rel);
                state.changed += 1;
            }
        }
        (state.changed, state.hashes)
    }

    /// Writes through a temporary file and a rename, unless the bytes (`hash`)
    /// are those the file already has.
    fn put(
        &self,
        rel: &str,
        target: &Path,
        hash: u64,
        fill: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        {
            let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
            s.seen.insert(rel.to_string());
            if s.hashes.hashes.get(rel) == Some(&hash) && target.exists() {
                return Ok(());
            }
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "output.do-create-folder", e))?;
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = target.with_file_name(format!(".{name}.annals-tmp"));
        fill(&tmp).map_err(|e| io_error(&tmp, "output.do-write", e))?;
        std::fs::rename(&tmp, target).map_err(|e| io_error(target, "output.do-write", e))?;
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.hashes.hashes.insert(rel.to_string(), hash);
        s.changed += 1;
        Ok(())
    }
}

impl Sink for InPlace {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.claims.take(rel, None)?;
        self.put(rel, &target, hash_of(bytes), |tmp| {
            std::fs::write(tmp, bytes)
        })
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let target = self.claims.take(rel, Some(from))?;
        // Size and modification time stand in for the bytes of copied files.
        let meta = std::fs::metadata(from).map_err(|e| io_error(from, "output.do-read", e))?;
        let stamp = format!(
            "{}:{}:{:?}",
            from.display(),
            meta.len(),
            meta.modified().ok()
        );
        self.put(rel, &target, hash_of(stamp.as_bytes()), |tmp| {
            std::fs::copy(from, tmp).map(|_| ())
        })
    }

    fn paths(&self) -> HashSet<String> {
        let mut paths = self.claims.paths();
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        paths.extend(state.hashes.hashes.keys().cloned());
        paths
    }
}

/// Files below `dir` not written in this pass (`seen`), as output path and path.
fn stale_files(dir: &Path, seen: &HashSet<String>) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            (!seen.contains(&rel)).then(|| (rel, entry.path().to_path_buf()))
        })
        .collect()
}

fn hash_of(bytes: &[u8]) -> u64 {
    // Not for security: only to notice that a file's bytes changed.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}
