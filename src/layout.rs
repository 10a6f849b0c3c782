//! The site folder's layout: the one place that spells the names of its files
//! and folders. A leaf module (it uses nothing of the crate), so every stage,
//! the build cache, `serve`'s watcher and the message catalogue's language
//! look-up can all use it without importing each other.

use std::path::{Path, PathBuf};

/// Site settings.
pub const CONFIG_FILE: &str = "config.toml";
/// Reports, sections and their attachments.
pub const CONTENT_DIR: &str = "content";
/// A section's title, description and weight, in its folder under `content/`.
pub const SECTION_FILE: &str = "_index.md";
/// Copied to the output root as it is.
pub const STATIC_DIR: &str = "static";
/// Templates that override the theme's.
pub const TEMPLATES_DIR: &str = "templates";
/// Other themes, one folder each.
pub const THEMES_DIR: &str = "themes";
/// The output folder when none is given.
pub const OUTPUT_DIR: &str = "public";
/// annals' working files, never published, ignored by git.
pub const CACHE_DIR: &str = ".annals-cache";
/// Under the cache: the build records of `annals build`.
pub const CACHE_BUILD_DIR: &str = "build";
/// Under the cache: each report's rendered Markdown, kept between builds.
pub const CACHE_REPORTS_DIR: &str = "reports";
/// Under the cache: the folder `annals serve` builds into.
pub const CACHE_SERVE_DIR: &str = "serve";
/// Under the cache: the lock that keeps one `serve` per site.
pub const CACHE_SERVE_LOCK: &str = "serve.lock";
/// Under the cache: printed PDFs and their manifest.
pub const CACHE_PDF_DIR: &str = "pdf";
/// Under the cache: answers of `check --external`.
pub const CACHE_LINKS_FILE: &str = "links.json";

/// The folders a build reads besides `config.toml`; `serve` watches them and
/// the build cache indexes them.
pub const INPUT_DIRS: &[&str] = &[CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR];

/// The paths of one site folder.
#[derive(Debug, Clone)]
pub struct SiteLayout {
    root: PathBuf,
}

impl SiteLayout {
    pub fn new(root: &Path) -> SiteLayout {
        SiteLayout {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn content(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(STATIC_DIR)
    }

    pub fn templates(&self) -> PathBuf {
        self.root.join(TEMPLATES_DIR)
    }

    pub fn themes(&self) -> PathBuf {
        self.root.join(THEMES_DIR)
    }

    pub fn output(&self) -> PathBuf {
        self.root.join(OUTPUT_DIR)
    }

    pub fn cache(&self) -> PathBuf {
        self.root.join(CACHE_DIR)
    }

    pub fn build_records(&self) -> PathBuf {
        self.cache().join(CACHE_BUILD_DIR)
    }

    pub fn reports(&self) -> PathBuf {
        self.cache().join(CACHE_REPORTS_DIR)
    }

    pub fn serve_output(&self) -> PathBuf {
        self.cache().join(CACHE_SERVE_DIR)
    }

    pub fn serve_lock(&self) -> PathBuf {
        self.cache().join(CACHE_SERVE_LOCK)
    }

    /// Whether `rel` (relative to the site folder) is something a build reads:
    /// `config.toml` or a path under one of the input folders.
    pub fn is_input(rel: &Path) -> bool {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        first == CONFIG_FILE || INPUT_DIRS.contains(&first.as_str())
    }

    /// Whether an output folder at `output` lies inside the folders the site
    /// is made from (it would be replaced whole on every build).
    pub fn holds_inputs_at(&self, output: &Path) -> bool {
        INPUT_DIRS
            .iter()
            .any(|dir| output.starts_with(self.root.join(dir)))
    }
}
