//! Write stage. Pages are written through a [`Sink`]; what happens to the
//! bytes is the sink's type, not a mode switch:
//!
//! - [`Staged`] (`build`): a staging folder beside the output folder, swapped in
//!   only when the whole build succeeded, under a lock that keeps two builds of
//!   one site from interleaving;
//! - [`DryRun`] (`check`): nothing is written; every path and the ids of HTML
//!   pages are recorded;
//! - [`InPlace`] (`serve`): written into its own folder file by file (each
//!   through a temporary file and a rename), skipping files whose bytes did not
//!   change.
//!
//! All three refuse a path that leaves the output folder and two writers of one
//! path, in [`Claims`].

mod dry_run;
mod in_place;
mod staged;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

pub use dry_run::{DryRun, Written};
pub use in_place::{FileHashes, InPlace};
pub use staged::Staged;

/// Where the write stage puts what the page writers make.
pub trait Sink: Sync {
    /// Writes a generated file at output path `rel`.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// Copies the site's file `from` to output path `rel` (static files, attachments).
    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic>;
    /// Every output path of this pass (for an in-place output also the files
    /// kept from earlier passes), for the link checks.
    fn paths(&self) -> HashSet<String>;
}

/// The paths one pass writes: each checked to stay inside the output folder
/// and claimed once, so two writers of one path are an error, not a race.
pub struct Claims {
    /// The folder output paths are written below.
    base: PathBuf,
    /// Output path → the file it was copied from (`None` for generated files).
    claims: Mutex<HashMap<String, Option<PathBuf>>>,
    files: AtomicUsize,
    progress: Option<indicatif::ProgressBar>,
}

impl Claims {
    pub fn new(base: PathBuf) -> Claims {
        Claims {
            base,
            claims: Mutex::default(),
            files: AtomicUsize::new(0),
            progress: None,
        }
    }

    /// Ticks `bar` for every file written.
    pub fn set_progress(&mut self, bar: indicatif::ProgressBar) {
        self.progress = Some(bar);
    }

    /// Claims `rel` for a file copied from `from` (or generated) and returns
    /// where it goes; counts it.
    pub fn take(&self, rel: &str, from: Option<&Path>) -> Result<PathBuf, Diagnostic> {
        let target = self.target(rel)?;
        self.claim(rel, from)?;
        if let Some(bar) = &self.progress {
            bar.inc(1);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(target)
    }

    /// Claims `rel` unless it is claimed already (`None` then).
    pub fn take_if_free(&self, rel: &str) -> Result<Option<PathBuf>, Diagnostic> {
        let target = self.target(rel)?;
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        if claims.contains_key(rel) {
            return Ok(None);
        }
        claims.insert(rel.to_string(), None);
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(Some(target))
    }

    pub fn count(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn paths(&self) -> HashSet<String> {
        self.claims
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    /// The path of `rel` below the base, refusing anything that would leave it.
    fn target(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let path = Path::new(rel);
        let safe = !rel.is_empty()
            && !rel.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(Diagnostic::error(tr("output.outside", &[("path", &rel)]))
                .with_help(tr("output.outside-help", &[])));
        }
        Ok(self.base.join(path))
    }

    /// Notes that `rel` is written, from `from` or generated; a second claim is
    /// an error naming both (e.g. `static/index.html` and the home page), since
    /// whichever wrote last would otherwise win at random.
    fn claim(&self, rel: &str, from: Option<&Path>) -> Result<(), Diagnostic> {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        let Some(other) = claims.get(rel) else {
            claims.insert(rel.to_string(), from.map(Path::to_path_buf));
            return Ok(());
        };
        let name = |f: Option<&Path>| match f {
            Some(p) => tr("output.claim-file", &[("file", &p.display())]),
            None => tr("output.claim-page", &[]),
        };
        let mut files: Vec<&Path> = [from, other.as_deref()].into_iter().flatten().collect();
        files.sort();
        let mut d = Diagnostic::error(tr(
            "output.claim-clash",
            &[
                ("first", &name(files.first().copied())),
                (
                    "second",
                    &if files.len() == 2 {
                        name(files.get(1).copied())
                    } else {
                        name(None)
                    },
                ),
                ("address", &rel.strip_suffix("index.html").unwrap_or(rel)),
            ],
        ))
        .with_help(tr("output.claim-clash-help", &[]));
        if let Some(file) = files.first() {
            d = d.in_file(file);
        }
        Err(d)
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    let help = io_help(&e);
    Diagnostic::error(tr(
        "output.cannot",
        &[("what", &tr(what, &[])), ("error", &e)],
    ))
    .in_file(path)
    .with_help(help)
}

/// What to do about a failed write, by its cause: each needs a different fix.
pub fn io_help(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let key = match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "output.disk-full-help",
        ErrorKind::PermissionDenied => "output.permission-help",
        ErrorKind::ReadOnlyFilesystem => "output.read-only-help",
        ErrorKind::InvalidInput | ErrorKind::InvalidFilename => "output.bad-name-help",
        _ => "output.write-help",
    };
    tr(key, &[])
}

/// Written into every output folder, so a later build knows it may replace it.
pub const MARKER: &str = ".annals-output";

/// The output folder is replaced whole on every build, so it must never be the
/// site folder, hold it, or lie inside the folders the site is made from.
pub fn check_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let (root, output) = (resolve(root), resolve(output));
    let inside_sources = crate::layout::SiteLayout::new(&root).holds_inputs_at(&output);
    if root.starts_with(&output) || inside_sources {
        return Err(Diagnostic::error(tr(
            "output.replaces-site",
            &[("folder", &output.display())],
        ))
        .with_help(tr("output.replaces-site-help", &[])));
    }
    Ok(())
}

/// An absolute path with symbolic links resolved as far as the path exists.
fn resolve(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
