//! The one rule for every file a build reads from the site folder (content/,
//! static/, templates/, themes/, the cache): a symbolic link may point anywhere
//! inside the site folder, never outside it, so nothing else on the machine
//! (`/etc/passwd`, `/proc/self/environ`, a home folder) is ever published.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// The site folder with its links resolved, to compare real paths against.
#[derive(Debug, Clone)]
pub struct SiteBounds {
    root: PathBuf,
}

impl SiteBounds {
    pub fn new(root: &Path) -> SiteBounds {
        let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        SiteBounds {
            root: absolute.canonicalize().unwrap_or(absolute),
        }
    }

    /// `Ok` when `path` (a file, folder or link) really lies inside the site
    /// folder; else an error naming the link and where it points.
    pub fn check(&self, path: &Path) -> Result<(), Diagnostic> {
        let target = path.canonicalize().map_err(|e| {
            Diagnostic::error(tr("files.symlink-broken", &[("error", &e)]))
                .in_file(path)
                .with_help(tr("files.symlink-broken-help", &[]))
        })?;
        if target.starts_with(&self.root) {
            Ok(())
        } else {
            Err(outside(path, &target))
        }
    }
}

/// The error for a link that leads out of the site folder.
pub fn outside(link: &Path, target: &Path) -> Diagnostic {
    Diagnostic::error(tr(
        "files.symlink-outside",
        &[("target", &target.display())],
    ))
    .in_file(link)
    .with_help(tr("files.symlink-outside-help", &[]))
}

/// Whether `path` itself (not what it points to) is a symbolic link.
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Opens (creating it) a lock file that only annals writes; a symbolic link in
/// its place is removed first, so opening it never creates a file elsewhere.
pub fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    if is_link(path) {
        std::fs::remove_file(path)?;
    }
    std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// The first symbolic link among `base/…/path`'s components below `base`, if any:
/// a cache under the site must not lead writes or deletes elsewhere.
pub fn first_link_below(base: &Path, path: &Path) -> Option<PathBuf> {
    let rest = path.strip_prefix(base).ok()?;
    let mut current = base.to_path_buf();
    for part in rest.components() {
        current.push(part);
        if is_link(&current) {
            return Some(current);
        }
    }
    None
}

/// Files the site's `static/` (or a theme) lays over the output that take the
/// address of a page, feed or alias annals makes: every one is an error naming
/// the file, found before anything is written so all come in one run.
/// `robots.txt` may replace the generated one.
pub fn clashes_with_pages<'a>(
    statics: impl IntoIterator<Item = (&'a str, Option<&'a Path>)>,
    pages: &std::collections::HashSet<String>,
) -> Vec<Diagnostic> {
    statics
        .into_iter()
        .filter(|(rel, _)| *rel != "robots.txt" && pages.contains(*rel))
        .map(|(rel, file)| {
            let shown = file.map_or_else(|| rel.to_string(), |f| f.display().to_string());
            let mut d = Diagnostic::error(tr(
                "output.claim-clash",
                &[
                    ("first", &tr("output.claim-file", &[("file", &shown)])),
                    ("second", &tr("output.claim-page", &[])),
                    ("address", &rel.strip_suffix("index.html").unwrap_or(rel)),
                ],
            ))
            .with_help(tr("output.claim-clash-help", &[]));
            if let Some(file) = file {
                d = d.in_file(file);
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_inside_pass_links_outside_fail() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("static")).unwrap();
        std::fs::write(site.join("real.txt"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(site.join("real.txt"), site.join("static/in.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("static/out.txt"))
            .unwrap();
        let bounds = SiteBounds::new(&site);
        assert!(bounds.check(&site.join("static/in.txt")).is_ok());
        let err = bounds.check(&site.join("static/out.txt")).unwrap_err();
        assert!(err.message.contains("secret.txt"), "{}", err.message);
        assert_eq!(
            first_link_below(&site, &site.join("static/out.txt/x")),
            Some(site.join("static/out.txt"))
        );
        assert_eq!(first_link_below(&site, &site.join("static/x")), None);
    }
}
