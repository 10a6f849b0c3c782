//! `.annals-cache/` in a site folder: annals' working files (link check
//! answers, PDFs, the serve folder), kept out of git. A leaf module, so every
//! stage that keeps files there can use it.

use std::path::Path;

/// Working files of annals inside a site folder; it ignores itself in git.
pub const CACHE_DIR: &str = ".annals-cache";

/// Makes `dir` (creating it) and a `.gitignore` in it that ignores everything.
/// A cache folder that is a symbolic link (one committed to a cloned repository,
/// say) is refused: annals writes and deletes in it, which must never happen
/// somewhere else.
pub fn ensure_cache_dir(dir: &Path) -> std::io::Result<()> {
    if crate::site_files::is_link(dir) {
        let target = std::fs::read_link(dir).unwrap_or_default();
        return Err(std::io::Error::other(format!(
            "`{}` is a symbolic link (to `{}`); annals writes and deletes files in it, so it must be a real folder. Delete the link and run annals again",
            dir.display(),
            target.display()
        )));
    }
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    // `exists` follows links: a dangling one would be written through.
    if !ignore.exists() && !crate::site_files::is_link(&ignore) {
        std::fs::write(ignore, "# Working files of annals; safe to delete.\n*\n")?;
    }
    Ok(())
}
