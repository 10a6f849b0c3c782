//! `build`'s output: pages go to a staging folder beside the output folder,
//! which is swapped in only when the whole build succeeded. A lock keeps two
//! builds of one site from interleaving.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Claims, MARKER, Sink, absolute, io_error};
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

pub struct Staged {
    final_dir: PathBuf,
    staging: PathBuf,
    committed: bool,
    _lock: File,
    claims: Claims,
    /// Set when no copied file changed since the previous build (the build cache
    /// knows): copies are then hard-linked from the previous output.
    copies_unchanged: bool,
    /// BLAKE3 (hex) of every file written from memory, for the build cache's
    /// record of what the output must hold; `None` when no record is kept
    /// (`--no-cache`, `--pdf`), so those builds do not pay for hashing.
    hashes: Option<Mutex<HashMap<String, String>>>,
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| crate::layout::OUTPUT_DIR.into());
    dir.with_file_name(format!(".{name}.annals-{suffix}"))
}

/// An output folder that is a symbolic link (`public -> /var/www/site`) is built
/// through: the new site is swapped in beside the link's target and the link stays
/// as it is. Replacing the link instead would delete the target's files through it.
fn through_link(dir: PathBuf) -> Result<PathBuf, Diagnostic> {
    if !crate::site_files::is_link(&dir) {
        return Ok(dir);
    }
    match dir.canonicalize() {
        Ok(real) if real.is_dir() => Ok(real),
        Ok(real) => Err(Diagnostic::error(tr(
            "output.link-not-folder",
            &[("target", &real.display())],
        ))
        .in_file(&dir)
        .with_help(tr("output.link-not-folder-help", &[]))),
        Err(e) => Err(
            Diagnostic::error(tr("output.link-broken", &[("error", &e)]))
                .in_file(&dir)
                .with_help(tr("output.link-broken-help", &[])),
        ),
    }
}

/// The first file or folder of a previous output that cannot be deleted (immutable
/// or append-only, or in a folder we may not write), and why. Checked before the
/// swap, so such a site is refused with the previous output untouched instead of
/// being left half-deleted in a staging folder.
fn undeletable(dir: &Path) -> Option<(PathBuf, &'static str)> {
    use rayon::prelude::*;
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    if let Some(why) = locked_entry(dir, true) {
        return Some((dir.to_path_buf(), why));
    }
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .collect();
    entries.par_iter().find_map_any(|entry| {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            undeletable(&path)
        } else {
            locked_entry(&path, false).map(|why| (path, why))
        }
    })
}

#[cfg(target_os = "linux")]
fn locked_entry(path: &Path, is_dir: bool) -> Option<&'static str> {
    use rustix::fs::{Access, AtFlags, CWD, StatxAttributes, StatxFlags, access, statx};
    if let Ok(st) = statx(CWD, path, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::empty()) {
        let flags = st.stx_attributes & st.stx_attributes_mask;
        if flags.contains(StatxAttributes::IMMUTABLE) {
            return Some("output.immutable");
        }
        if flags.contains(StatxAttributes::APPEND) {
            return Some("output.append-only");
        }
    }
    (is_dir && access(path, Access::WRITE_OK | Access::EXEC_OK).is_err())
        .then_some("output.no-delete-permission")
}

#[cfg(target_os = "macos")]
fn locked_entry(path: &Path, is_dir: bool) -> Option<&'static str> {
    use rustix::fs::{Access, access};
    (is_dir && access(path, Access::WRITE_OK | Access::EXEC_OK).is_err())
        .then_some("output.no-delete-permission")
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn locked_entry(_: &Path, _: bool) -> Option<&'static str> {
    None
}

/// Whether an existing folder may be replaced: empty, or made by an earlier build.
fn is_replaceable(dir: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return !dir.exists();
    };
    entries.next().is_none()
        || dir.join(MARKER).is_file()
        // Built before the marker existed.
        || (dir.join("index.html").is_file() && dir.join("404.html").is_file())
}

impl Staged {
    /// Takes the build lock and prepares an empty staging folder.
    pub fn begin(final_dir: &Path) -> Result<Staged, Diagnostic> {
        let final_dir = through_link(absolute(final_dir))?;
        if final_dir.exists() && !is_replaceable(&final_dir) {
            return Err(Diagnostic::error(tr("output.not-ours", &[]))
                .in_file(&final_dir)
                .with_help(tr("output.not-ours-help", &[])));
        }
        if let Some(parent) = final_dir.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "output.do-create-folder", e))?;
        }
        let lock_path = sibling(&final_dir, "lock");
        let lock = crate::site_files::open_lock_file(&lock_path)
            .map_err(|e| io_error(&lock_path, "output.do-create-lock", e))?;
        if lock.try_lock().is_err() {
            return Err(Diagnostic::error(tr("output.locked", &[]))
                .in_file(&lock_path)
                .with_help(tr("output.locked-help", &[])));
        }
        // Leftovers of builds that were killed; nobody else holds the lock.
        for suffix in ["staging", "old"] {
            let stale = sibling(&final_dir, suffix);
            if let Ok(meta) = std::fs::symlink_metadata(&stale) {
                let removed = if meta.is_dir() {
                    std::fs::remove_dir_all(&stale)
                } else {
                    std::fs::remove_file(&stale)
                };
                removed.map_err(|e| io_error(&stale, "output.do-remove-staging", e))?;
            }
        }
        let staging = sibling(&final_dir, "staging");
        std::fs::create_dir_all(&staging)
            .map_err(|e| io_error(&staging, "output.do-create-folder", e))?;
        std::fs::write(
            staging.join(MARKER),
            "Made by annals. This folder is replaced whole on every build.\n",
        )
        .map_err(|e| io_error(&staging, "output.do-write-into", e))?;
        Ok(Staged {
            final_dir,
            claims: Claims::new(staging.clone()),
            staging,
            committed: false,
            _lock: lock,
            copies_unchanged: false,
            hashes: None,
        })
    }

    /// Keeps the hash of every file written from memory (see `take_hashes`).
    pub fn set_hashing(&mut self) {
        self.hashes = Some(Mutex::default());
    }

    /// Promises that every file `copy` is given is unchanged since the previous
    /// build, so a copy may be a hard link to the previous output's file.
    pub fn set_copies_unchanged(&mut self) {
        self.copies_unchanged = true;
    }

    /// Ticks `bar` for every file written.
    pub fn set_progress(&mut self, bar: indicatif::ProgressBar) {
        self.claims.set_progress(bar);
    }

    /// The hash of every file this staged build wrote from memory.
    pub fn take_hashes(&self) -> HashMap<String, String> {
        let Some(hashes) = &self.hashes else {
            return HashMap::new();
        };
        std::mem::take(&mut *hashes.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn final_dir(&self) -> &Path {
        &self.final_dir
    }

    pub fn file_count(&self) -> usize {
        self.claims.count()
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

    /// Keeps `rel` as the previous output has it (hard-linked into the staging
    /// folder): for pages an incremental build knows to be unchanged. A path
    /// already written in this build is left as written (`false`). Staged
    /// outputs only.
    pub fn keep(&self, rel: &str) -> Result<bool, Diagnostic> {
        let Some(target) = self.claims.take_if_free(rel)? else {
            return Ok(false);
        };
        let previous = self.final_dir.join(rel);
        if !std::fs::symlink_metadata(&previous).is_ok_and(|m| m.is_file()) {
            return Err(Diagnostic::error(tr("build.kept-missing", &[]))
                .in_file(&previous)
                .with_help(tr("build.kept-missing-help", &[])));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "output.do-create-folder", e))?;
        }
        std::fs::hard_link(&previous, &target)
            .or_else(|_| std::fs::copy(&previous, &target).map(|_| ()))
            .map_err(|e| io_error(&target, "output.do-write", e))?;
        Ok(true)
    }

    /// Swaps the staging folder in place of the output folder. Where the system
    /// can exchange two folders in one step, visitors never see a missing or
    /// half-written site; elsewhere the old folder is renamed away first.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        if let Some((path, why)) = undeletable(&self.final_dir) {
            return Err(
                Diagnostic::error(tr("output.undeletable", &[("why", &tr(why, &[]))]))
                    .in_file(path)
                    .with_help(tr("output.undeletable-help", &[])),
            );
        }
        if self.final_dir.exists() {
            match exchange(&self.staging, &self.final_dir) {
                // The staging path now holds the previous site.
                Ok(true) => {
                    self.committed = true;
                    return remove_tree(&self.staging).map_err(|e| left_behind(&self.staging, e));
                }
                Ok(false) => {}
                Err(e) => return Err(io_error(&self.final_dir, "output.do-replace", e)),
            }
        }
        let old = sibling(&self.final_dir, "old");
        let had_old = self.final_dir.exists();
        if had_old {
            std::fs::rename(&self.final_dir, &old)
                .map_err(|e| io_error(&self.final_dir, "output.do-replace", e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.final_dir) {
            if had_old {
                let _ = std::fs::rename(&old, &self.final_dir);
            }
            return Err(io_error(&self.final_dir, "output.do-move-in", e));
        }
        self.committed = true;
        if had_old {
            remove_tree(&old).map_err(|e| left_behind(&old, e))?;
        }
        Ok(())
    }
}

/// The new site is in place, but the previous one could not be deleted.
fn left_behind(folder: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(tr("output.left-behind", &[("error", &e)]))
        .in_file(folder)
        .with_help(tr("output.left-behind-help", &[]))
}

/// Atomically exchanges two paths (Linux `renameat2(RENAME_EXCHANGE)`, macOS
/// `renameatx_np(RENAME_SWAP)`). `Ok(false)`: not supported here (old kernel,
/// file system without it), so the caller falls back to two renames.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::NOTSUP => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

impl Sink for Staged {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.claims.take(rel, None)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "output.do-create-folder", e))?;
        }
        if !self.reuse_previous(rel, &target, bytes) {
            std::fs::write(&target, bytes).map_err(|e| io_error(&target, "output.do-write", e))?;
        }
        if let Some(hashes) = &self.hashes {
            let hash = blake3::hash(bytes).to_hex().to_string();
            hashes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string(), hash);
        }
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let target = self.claims.take(rel, Some(from))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "output.do-create-folder", e))?;
        }
        // A real copy, not a hard link: a tool that edits a published file in
        // place must never change the editor's original under content/.
        // (std::fs::copy uses copy_file_range, which clones on file systems that can.)
        // The previous output's copy is linked only when nothing copied changed.
        let previous = self.final_dir.join(rel);
        let linked = self.copies_unchanged
            && std::fs::symlink_metadata(&previous)
                .ok()
                .zip(std::fs::metadata(from).ok())
                .is_some_and(|(old, new)| old.is_file() && old.len() == new.len())
            && std::fs::hard_link(&previous, &target).is_ok();
        if !linked {
            std::fs::copy(from, &target).map_err(|e| io_error(from, "output.do-copy", e))?;
        }
        Ok(())
    }

    fn paths(&self) -> HashSet<String> {
        self.claims.paths()
    }
}

impl Drop for Staged {
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

#[cfg(test)]
mod tests {
    use super::super::check_location;
    use super::*;

    #[test]
    fn refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = Staged::begin(&dir.path().join("public")).unwrap();
        assert!(out.write("../evil.html", b"x").is_err());
        assert!(out.write("/etc/evil", b"x").is_err());
        assert!(out.write("a/./b", b"x").is_ok());
    }

    #[test]
    fn commit_replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        std::fs::create_dir_all(public.join("gone")).unwrap();
        std::fs::write(public.join("gone/index.html"), "old").unwrap();
        std::fs::write(public.join(MARKER), "").unwrap();
        let out = Staged::begin(&public).unwrap();
        out.write("index.html", b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(public.join("index.html")).unwrap(), b"new");
        assert!(!public.join("gone").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging") || n.contains("old"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        std::fs::write(b.join("f"), "b").unwrap();
        if exchange(&a, &b).unwrap() {
            assert_eq!(std::fs::read(a.join("f")).unwrap(), b"b");
            assert_eq!(std::fs::read(b.join("f")).unwrap(), b"a");
        } else {
            // Not supported here: nothing may have moved.
            assert_eq!(std::fs::read(a.join("f")).unwrap(), b"a");
        }
    }

    #[test]
    fn output_may_not_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/2023")).unwrap();
        for bad in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/2023/new"),
            root.join("static/x"),
            root.join("content/../content"),
        ] {
            assert!(check_location(&root, &bad).is_err(), "{}", bad.display());
        }
        assert!(check_location(&root, &root.join("public")).is_ok());
        assert!(check_location(&root, &dir.path().join("elsewhere/out")).is_ok());
    }

    #[test]
    fn foreign_folders_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("documents");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("thesis.docx"), "x").unwrap();
        assert!(Staged::begin(&docs).is_err());
        assert!(docs.join("thesis.docx").is_file());
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let out = Staged::begin(&empty).unwrap();
        out.write("index.html", b"x").unwrap();
        out.commit().unwrap();
        assert!(empty.join(MARKER).is_file());
        // Its own output is replaced on the next build.
        assert!(Staged::begin(&empty).is_ok());
    }

    #[test]
    fn second_build_is_locked_out() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Staged::begin(&dir.path().join("public")).unwrap();
        assert!(Staged::begin(&dir.path().join("public")).is_err());
    }
}
