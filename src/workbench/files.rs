//! The only way the workbench touches the site's files: paths checked to lie
//! under `content/` with no symbolic link on the way (the rule `build` applies),
//! a backup before every change, writes that replace a file in one step, and
//! a version (content hash) so an older tab's save is refused.

use std::path::{Component, Path, PathBuf};

use crate::cache_dir::{CACHE_DIR, ensure_cache_dir};
use crate::i18n::tr;
use crate::site_files::{SiteBounds, first_link_below, is_link};

/// Why a path or a write was refused, in the editor's language.
pub type Refusal = String;

/// `content/<rel>` when `rel` is a plain relative path (no `..`, no hidden or
/// reserved names, no control characters) ending in `ext` (empty: any), with
/// no symbolic link between `content/` and it.
pub fn under_content(root: &Path, rel: &str, ext: &str) -> Result<PathBuf, Refusal> {
    let refuse = || tr("wb.bad-path", &[("path", &rel)]);
    let clean = !rel.is_empty()
        && rel.len() <= 400
        && !rel.contains(['\\', ':'])
        && !rel.chars().any(char::is_control)
        && (ext.is_empty() || rel.ends_with(ext));
    if !clean {
        return Err(refuse());
    }
    let relative = Path::new(rel);
    for component in relative.components() {
        let Component::Normal(name) = component else {
            return Err(refuse());
        };
        let name = name.to_string_lossy();
        if name.starts_with(['.', '~']) || name.len() > 200 {
            return Err(refuse());
        }
    }
    let content = crate::layout::SiteLayout::new(root).content();
    if is_link(&content) || SiteBounds::new(root).check(&content).is_err() {
        return Err(refuse());
    }
    let path = content.join(relative);
    if let Some(link) = first_link_below(&content, &path) {
        return Err(tr("wb.link-refused", &[("path", &link.display())]));
    }
    Ok(path)
}

/// The path of `file` relative to `content/`, with `/` separators.
pub fn content_rel(root: &Path, file: &Path) -> String {
    let content = crate::layout::SiteLayout::new(root).content();
    let rel = file.strip_prefix(&content).unwrap_or(file);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a tab saw of a file: its content hash (or `new` for none).
pub fn version(bytes: Option<&[u8]>) -> String {
    match bytes {
        Some(b) => blake3::hash(b).to_hex().to_string(),
        None => "new".into(),
    }
}

/// The outcome of a save.
pub enum Saved {
    Done,
    /// The file changed since the tab read it (another tab, another editor).
    Conflict,
}

/// Replaces `path` with `text` when it still is what the tab saw (`seen`), after
/// copying the old file to `.annals-cache/workbench/backups/`.
pub fn save(root: &Path, path: &Path, seen: &str, text: &str) -> Result<Saved, Refusal> {
    let current = std::fs::read(path).ok();
    if version(current.as_deref()) != seen {
        return Ok(Saved::Conflict);
    }
    if let Some(old) = &current {
        backup(root, path, old)?;
    }
    replace(path, text.as_bytes())?;
    Ok(Saved::Done)
}

/// Creates a file that does not exist yet; an existing one is never touched.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    use std::io::Write;
    let fail = |e: std::io::Error| {
        tr(
            "wb.cannot-write",
            &[("path", &path.display()), ("error", &e)],
        )
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                tr("wb.exists", &[("path", &path.display())])
            } else {
                fail(e)
            }
        })?;
    file.write_all(bytes).map_err(fail)
}

/// Writes beside the file, then renames over it: a reader (the rebuild) sees
/// the old or the new file, never half of one.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let fail = |e: std::io::Error| {
        tr(
            "wb.cannot-write",
            &[("path", &path.display()), ("error", &e)],
        )
    };
    let dir = path
        .parent()
        .ok_or_else(|| fail(std::io::Error::other("no folder")))?;
    std::fs::create_dir_all(dir).map_err(fail)?;
    // A hidden name: the watcher ignores it, so only the rename is a change.
    let temp = tempfile::Builder::new()
        .prefix(".annals-save-")
        .tempfile_in(dir)
        .map_err(fail)?;
    std::fs::write(temp.path(), bytes).map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Copies `old` to `.annals-cache/workbench/backups/<time>/<path under content>`.
fn backup(root: &Path, path: &Path, old: &[u8]) -> Result<PathBuf, Refusal> {
    let cache = root.join(CACHE_DIR);
    let fail = |e: std::io::Error| tr("wb.cannot-backup", &[("error", &e)]);
    ensure_cache_dir(&cache).map_err(fail)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%.6f").to_string();
    let rel = content_rel(root, path);
    let target = cache
        .join("workbench")
        .join("backups")
        .join(stamp)
        .join(rel);
    if first_link_below(&cache, &target).is_some() {
        return Err(fail(std::io::Error::other(".annals-cache/workbench")));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(&target, old).map_err(fail)?;
    Ok(target)
}

/// A fresh private folder under `.annals-cache/workbench/<kind>/`.
pub fn work_dir(root: &Path, kind: &str, id: &str) -> Result<PathBuf, Refusal> {
    let cache = root.join(CACHE_DIR);
    let fail = |e: std::io::Error| tr("wb.cannot-write", &[("path", &kind), ("error", &e)]);
    ensure_cache_dir(&cache).map_err(fail)?;
    let dir = cache.join("workbench").join(kind).join(id);
    if first_link_below(&cache, &dir).is_some() {
        return Err(fail(std::io::Error::other("symbolic link")));
    }
    std::fs::create_dir_all(&dir).map_err(fail)?;
    Ok(dir)
}

/// A file name from a browser made safe: its last path part, without control
/// characters or a leading dot; `None` when nothing is left.
pub fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    let cleaned = cleaned
        .trim()
        .trim_start_matches(['.', '~', '_'])
        .to_string();
    (!cleaned.is_empty() && cleaned.len() <= 150).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2023")).unwrap();
        assert!(under_content(dir.path(), "2023/a.md", ".md").is_ok());
        for bad in [
            "../config.toml",
            "2023/../../x.md",
            "/etc/passwd.md",
            ".hidden.md",
            "2023/a.txt",
            "",
            "a\u{1b}.md",
            "c:\\x.md",
        ] {
            assert!(under_content(dir.path(), bad, ".md").is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_on_the_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/out")).unwrap();
        assert!(under_content(dir.path(), "out/a.md", ".md").is_err());
    }

    #[test]
    fn names_lose_folders_and_dots() {
        assert_eq!(safe_name("../../.bashrc").as_deref(), Some("bashrc"));
        assert_eq!(safe_name("C:\\x\\报告.docx").as_deref(), Some("报告.docx"));
        assert_eq!(safe_name("..."), None);
    }
}
