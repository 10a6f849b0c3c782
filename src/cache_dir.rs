//! `.annals-cache/` in a site folder: annals' working files (link check
//! answers, PDFs, the serve folder), kept out of git. A leaf module, so every
//! stage that keeps files there can use it.

use std::path::Path;

/// Working files of annals inside a site folder; it ignores itself in git.
pub use crate::layout::CACHE_DIR;

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

/// A folder of the cache (`.annals-cache/build`, say), made if missing; never
/// one that is a symbolic link, for the same reason as [`ensure_cache_dir`].
pub fn ensure_cache_subdir(cache: &Path, dir: &Path) -> std::io::Result<()> {
    ensure_cache_dir(cache)?;
    if crate::site_files::is_link(dir) {
        return Err(std::io::Error::other(format!(
            "`{}` is a symbolic link",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
}

/// The cap of the cache's small index files (link check answers, the PDF
/// manifest): far above what a site of 100,000 reports needs.
pub const SMALL_FILE_MAX_BYTES: u64 = 256 << 20;

/// Reads a file annals keeps in its cache the way the site folder's files are
/// read: never through a symbolic link, never a pipe, socket or device (they
/// would block or never end), and never more than `cap` bytes. Anything else is
/// an error, which callers take as "no usable cache".
pub fn read_cache_file(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_no_follow(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "`{}` is not a regular file",
            path.display()
        )));
    }
    if meta.len() > cap {
        return Err(std::io::Error::other(format!(
            "`{}` is larger than {cap} bytes",
            path.display()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take`: a file that grows while it is read still stops at the cap.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(std::io::Error::other(format!(
            "`{}` is larger than {cap} bytes",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Writes a cache file through a temporary file and a rename: whatever stood
/// at `path` (a link, a pipe that would block the write) is replaced, never
/// written through, and a killed run leaves the old file whole.
pub fn write_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Opens for reading without following a final symbolic link and without
/// waiting for a writer (a FIFO opens at once and is then refused as no file).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    std::fs::File::options()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    // Checked before opening: opening a pipe for reading would wait for a writer.
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(std::io::Error::other(format!(
            "`{}` is not a regular file",
            path.display()
        )));
    }
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn links_pipes_and_big_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.json");
        std::fs::write(&plain, b"{}").unwrap();
        assert_eq!(read_cache_file(&plain, 10).unwrap(), b"{}");
        assert!(read_cache_file(&plain, 1).is_err(), "over the cap");
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(read_cache_file(&zero, 1 << 20).is_err(), "a link");
        let linked = dir.path().join("linked.json");
        std::os::unix::fs::symlink(&plain, &linked).unwrap();
        assert!(read_cache_file(&linked, 10).is_err(), "a link inside");
        let fifo = dir.path().join("fifo.json");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o600)).unwrap();
        assert!(read_cache_file(&fifo, 10).is_err(), "a FIFO");
    }
}
