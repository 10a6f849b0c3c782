//! Write stage: pages go to a staging folder beside the output folder, which is
//! swapped in only when the whole build succeeded. A lock keeps two builds of
//! one site from interleaving.

use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;

pub struct Output {
    final_dir: PathBuf,
    staging: PathBuf,
    committed: bool,
    files: AtomicUsize,
    _lock: File,
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    dir.with_file_name(format!(".{name}.annals-{suffix}"))
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what}: {e}"))
        .in_file(path)
        .with_help("check that the output folder's parent exists and is writable")
}

impl Output {
    /// Takes the build lock and prepares an empty staging folder.
    pub fn begin(final_dir: &Path) -> Result<Output, Diagnostic> {
        let final_dir = absolute(final_dir);
        if let Some(parent) = final_dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
        let lock_path = sibling(&final_dir, "lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error(&lock_path, "create the build lock", e))?;
        if lock.try_lock().is_err() {
            return Err(Diagnostic::error("another build of this site is running")
                .in_file(&lock_path)
                .with_help("wait for it to finish, then build again"));
        }
        // Leftovers of builds that were killed; nobody else holds the lock.
        for suffix in ["staging", "old"] {
            let stale = sibling(&final_dir, suffix);
            if stale.exists() {
                std::fs::remove_dir_all(&stale)
                    .map_err(|e| io_error(&stale, "remove an old staging folder", e))?;
            }
        }
        let staging = sibling(&final_dir, "staging");
        std::fs::create_dir_all(&staging).map_err(|e| io_error(&staging, "create folder", e))?;
        Ok(Output {
            final_dir,
            staging,
            committed: false,
            files: AtomicUsize::new(0),
            _lock: lock,
        })
    }

    pub fn final_dir(&self) -> &Path {
        &self.final_dir
    }

    pub fn file_count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// The staging path of `rel`, refusing anything that would leave the output folder.
    fn target(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let path = Path::new(rel);
        let safe = !rel.is_empty()
            && !rel.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Diagnostic::error(format!(
                "refusing to write `{rel}`: it is outside the output folder"
            ))
            .with_help("check slugs, aliases and file names for .. or absolute paths"));
        }
        Ok(self.staging.join(path))
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
        if !self.reuse_previous(rel, &target, bytes) {
            std::fs::write(&target, bytes).map_err(|e| io_error(&target, "write", e))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// A file whose bytes equal the previous build's is hard-linked from the
    /// current output instead of written, so it keeps its modification time and
    /// rsync, CDNs and backups see only the files that really changed.
    fn reuse_previous(&self, rel: &str, target: &Path, bytes: &[u8]) -> bool {
        let previous = self.final_dir.join(rel);
        // `symlink_metadata`: a link or folder left in the old output is never reused.
        let same_size = std::fs::symlink_metadata(&previous)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_size
            && std::fs::read(&previous).is_ok_and(|old| old == bytes)
            && std::fs::hard_link(&previous, target).is_ok()
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let target = self.target(rel)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create folder", e))?;
        }
        // A hard link is instant and safe: the staging tree only ever replaces files.
        if std::fs::hard_link(from, &target).is_err() {
            std::fs::copy(from, &target).map_err(|e| io_error(from, "copy", e))?;
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Swaps the staging folder in place of the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let old = sibling(&self.final_dir, "old");
        let had_old = self.final_dir.exists();
        if had_old {
            std::fs::rename(&self.final_dir, &old)
                .map_err(|e| io_error(&self.final_dir, "replace the output folder", e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.final_dir) {
            if had_old {
                let _ = std::fs::rename(&old, &self.final_dir);
            }
            return Err(io_error(&self.final_dir, "move the new site in place", e));
        }
        self.committed = true;
        if had_old {
            let _ = remove_tree(&old);
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Deletes a folder tree on all cores: removing the previous site's thousands of
/// page folders one by one is a visible part of a rebuild.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.par_iter().for_each(|entry| {
        let path = entry.path();
        let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&path)
        } else {
            std::fs::remove_file(&path)
        };
    });
    std::fs::remove_dir_all(dir)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::begin(&dir.path().join("public")).unwrap();
        assert!(out.write("../evil.html", b"x").is_err());
        assert!(out.write("/etc/evil", b"x").is_err());
        assert!(out.write("a/./b", b"x").is_ok());
    }

    #[test]
    fn second_build_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Output::begin(&dir.path().join("public")).unwrap();
        assert!(Output::begin(&dir.path().join("public")).is_err());
    }
}
