//! Load stage: walk `content/`, read every file once, split and parse front
//! matter, and check each report's metadata. Produces plain data for the model.

pub mod frontmatter;
pub mod keyboard;
pub mod meta;
pub mod source;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
pub use meta::{AttachmentSpec, LinkSpec, ReportMeta, SectionMeta};

pub use crate::layout::CONTENT_DIR;
pub use crate::layout::SECTION_FILE;

/// A section folder with its `_index.md` metadata, if any.
#[derive(Debug, Clone)]
pub struct SectionSource {
    /// Folder relative to `content/`, `/`-separated, `""` for the root.
    pub dir: String,
    pub file: Option<PathBuf>,
    pub meta: SectionMeta,
}

/// A report file, read and checked.
#[derive(Debug, Clone)]
pub struct ReportSource {
    /// Path as given to the user in messages (relative to the working directory).
    pub file: PathBuf,
    /// Folder relative to `content/`, `/`-separated.
    pub dir: String,
    /// File name without `.md`.
    pub stem: String,
    pub meta: ReportMeta,
    pub body: String,
    /// 1-based line where the body starts in the file.
    pub body_line: usize,
}

/// A non-Markdown file under `content/`, copied to the output.
#[derive(Debug, Clone)]
pub struct AssetSource {
    pub file: PathBuf,
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
    pub size: u64,
}

#[derive(Debug, Default, Clone)]
pub struct LoadedContent {
    pub sections: Vec<SectionSource>,
    pub reports: Vec<ReportSource>,
    pub assets: Vec<AssetSource>,
}

enum Loaded {
    Section(SectionSource),
    Report(Box<ReportSource>),
    Asset(AssetSource),
    Skipped,
}

/// Reads every file of `<root>/content`. All problems are collected, not just the first.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> LoadedContent {
    let content = root.join(CONTENT_DIR);
    let mut out = LoadedContent::default();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(tr("content.no-folder", &[]))
                .in_file(&content)
                .with_help(tr("content.no-folder-help", &[])),
        );
        return out;
    }
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    // Links are followed, but only to places inside the site folder: a link to
    // /etc must never end up published.
    let allowed: Vec<PathBuf> = [root, content.as_path()]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(walk_error(&e, &content));
                continue;
            }
        };
        if entry.depth() > 0
            && entry.path_is_symlink()
            && let Err(d) = check_link_target(entry.path(), &allowed)
        {
            diagnostics.push(d);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let rel = relative(entry.path(), &content);
        let kind = entry.file_type();
        if kind.is_dir() {
            if rel.ends_with(".md") {
                diagnostics.push(
                    Diagnostic::warning(tr("content.folder-named-md", &[]))
                        .in_file(entry.path())
                        .with_help(tr("content.folder-named-md-help", &[])),
                );
            }
            dirs.push(rel);
        } else if kind.is_file() {
            files.push((entry.path().to_path_buf(), rel));
        } else {
            // A FIFO or device would block or stream forever when read.
            diagnostics.push(
                Diagnostic::error(tr("content.not-regular", &[]))
                    .in_file(entry.path())
                    .with_help(tr("content.not-regular-help", &[])),
            );
        }
    }

    let loaded: Vec<Result<Loaded, Diagnostic>> = files
        .par_iter()
        .map(|(path, rel)| load_file(path, rel))
        .collect();

    let mut section_files = Vec::new();
    for item in loaded {
        match item {
            Ok(Loaded::Section(s)) => section_files.push(s),
            Ok(Loaded::Report(r)) => out.reports.push(*r),
            Ok(Loaded::Asset(a)) => out.assets.push(a),
            Ok(Loaded::Skipped) => {}
            Err(d) => diagnostics.push(d),
        }
    }
    // Every folder is a section, with or without `_index.md`.
    for dir in dirs {
        let found = section_files.iter().position(|s| s.dir == dir);
        out.sections.push(match found {
            Some(i) => section_files.swap_remove(i),
            None => SectionSource {
                meta: SectionMeta::untitled(&dir),
                dir,
                file: None,
            },
        });
    }
    diagnostics.extend(out.reports.iter().filter_map(no_text_warning));
    out
}

/// A report with front matter and nothing below it: a warning, not an error,
/// since a report is often saved before its text is pasted in.
pub fn no_text_warning(report: &ReportSource) -> Option<Diagnostic> {
    report.body.trim().is_empty().then(|| {
        Diagnostic::warning(tr("content.no-text", &[]))
            .in_file(&report.file)
            .with_help(tr("content.no-text-help", &[]))
    })
}

/// Reads one report file again, for `serve`'s rebuild of a single edited file.
pub fn load_report(root: &Path, path: &Path) -> Result<ReportSource, Diagnostic> {
    let rel = relative(path, &root.join(CONTENT_DIR));
    match load_file(path, &rel)? {
        Loaded::Report(r) => Ok(*r),
        _ => Err(Diagnostic::error(tr("content.not-a-report", &[])).in_file(path)),
    }
}

fn load_file(path: &Path, rel: &str) -> Result<Loaded, Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    if name == SECTION_FILE {
        let text = source::read_text(path)?;
        let meta = meta::parse_section(&text, &dir).map_err(|d| d.in_file(path))?;
        return Ok(Loaded::Section(SectionSource {
            dir,
            file: Some(path.to_path_buf()),
            meta,
        }));
    }
    if let Some(stem) = name.strip_suffix(".md") {
        let mut text = source::read_text(path)?;
        let (meta, body, body_line) = meta::parse_report(&text).map_err(|d| d.in_file(path))?;
        // Keep the file's buffer as the body instead of copying it (reports can be large).
        let body_start = text.len() - body.len();
        text.drain(..body_start);
        // ESC, BEL, NUL … are invisible in an editor and invalid in HTML; a
        // terminal escape pasted into a body must never reach a page.
        if text.contains(meta::is_stray_control) {
            text.retain(|c| !meta::is_stray_control(c));
        }
        return Ok(Loaded::Report(Box::new(ReportSource {
            file: path.to_path_buf(),
            dir,
            stem: stem.to_string(),
            meta,
            body: text,
            body_line,
        })));
    }
    let size = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(tr("files.cannot-read", &[("error", &e)])).in_file(path))?
        .len();
    Ok(if name.ends_with(".bak") {
        Loaded::Skipped
    } else {
        Loaded::Asset(AssetSource {
            file: path.to_path_buf(),
            rel: rel.to_string(),
            size,
        })
    })
}

/// Hidden files and editor leftovers are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with("#")
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A symbolic link under `content/` must point inside the site folder.
fn check_link_target(link: &Path, allowed: &[PathBuf]) -> Result<(), Diagnostic> {
    let target = link.canonicalize().map_err(|e| {
        Diagnostic::error(tr("files.symlink-broken", &[("error", &e)]))
            .in_file(link)
            .with_help(tr("files.symlink-broken-help", &[]))
    })?;
    if allowed.iter().any(|base| target.starts_with(base)) {
        Ok(())
    } else {
        Err(Diagnostic::error(tr(
            "files.symlink-outside",
            &[("target", &target.display())],
        ))
        .in_file(link)
        .with_help(tr("files.symlink-outside-help", &[])))
    }
}

fn walk_error(e: &walkdir::Error, content: &Path) -> Diagnostic {
    let path = e.path().unwrap_or(content);
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(tr("files.symlink-loop", &[("folder", &ancestor.display())]))
            .in_file(path)
            .with_help(tr("files.symlink-loop-help", &[]));
    }
    let (message, help) = match e.io_error().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => (
            tr("files.symlink-dangling", &[]),
            tr("files.symlink-broken-help", &[]),
        ),
        Some(std::io::ErrorKind::PermissionDenied) => (
            tr("files.permission-denied", &[]),
            tr("files.permission-denied-help", &[]),
        ),
        _ => (
            tr("files.cannot-read-any", &[("error", &e)]),
            tr("files.cannot-read-help", &[]),
        ),
    };
    Diagnostic::error(message).in_file(path).with_help(help)
}
