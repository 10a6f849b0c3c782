//! What a build is asked to do: the site folder, the output folder and the
//! options of the command line that change what is written.

use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also print every print page and yearly volume to PDF (`--pdf`).
    pub pdf: bool,
    /// The Chromium to print with; else the first on PATH.
    pub chrome: Option<PathBuf>,
    /// Read the last build's record in `.annals-cache/build/` and redo only what
    /// changed (`annals build` without `--no-cache`; never with `--pdf`).
    pub use_cache: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| crate::layout::SiteLayout::new(&self.root).output())
    }
}
