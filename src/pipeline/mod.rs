//! The build, stage by stage: config → load → model → render → write.
//! `build`, `check` and `serve` all make their pass through [`SitePass`];
//! this module also runs `annals build`: the build cache's plan, the staged
//! write (whole, or only the pages an edit touched), the swap and the record.

mod publish;
mod stages;

pub use publish::{build, build_with};
pub use stages::*;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::build_options::BuildOptions;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::Targets;
use crate::markdown::Rendered;
use crate::model::Site;
use crate::pages::{self, BuildContext};

#[derive(Debug)]
pub struct BuildSummary {
    pub reports: usize,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    /// Time taken by each stage, for `--verbose`.
    pub stages: Vec<(&'static str, Duration)>,
    /// PDFs printed anew and taken from the cache (`--pdf`).
    pub pdfs: Option<crate::pdf::PdfStats>,
    pub search: crate::search::SearchStats,
    /// Nothing changed since the last build: nothing was written.
    pub cached: bool,
    /// Files kept from the previous output without rendering them again.
    pub kept: usize,
    /// Reports whose Markdown was rendered (the others' came from the store
    /// of earlier renderings, `.annals-cache/reports`).
    pub markdown_rendered: usize,
}

/// Time taken by each stage, for `--verbose`.
struct Clock {
    stages: Vec<(&'static str, Duration)>,
    lap: std::time::Instant,
}

impl Clock {
    /// A clock whose first lap began at `at`.
    fn starting(at: std::time::Instant) -> Clock {
        Clock {
            stages: Vec::new(),
            lap: at,
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((name, now - self.lap));
        self.lap = now;
    }
}

/// What a build shows while it runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feedback {
    /// A progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// Sites smaller than this build too fast for a progress bar to help.
const PROGRESS_FROM_REPORTS: usize = 300;

/// Every page and the search index; the index is built beside the pages, from the
/// same rendered Markdown. Returns the number of pages rendered.
pub fn write_site(ctx: &BuildContext) -> Result<(usize, crate::search::SearchStats), Diagnostics> {
    let (pages, search) = rayon::join(|| pages::write_all(ctx), || crate::search::write(ctx));
    Ok((pages?, search?))
}

/// Stage 7, after writing: links and images of bodies that lead to nothing in
/// `written` (output paths) or the model. Warnings; `check` reports them as errors.
pub fn link_warnings(
    site: &Site,
    rendered: &[Rendered],
    written: std::collections::HashSet<String>,
) -> Vec<Diagnostic> {
    let files = written
        .into_iter()
        .map(|p| (p, std::collections::HashSet::new()))
        .collect();
    crate::links::broken_in_bodies(site, rendered, &Targets::new(site, files))
}

/// Rewrites legacy-encoded Markdown files under `content/` as UTF-8 (keeping `.bak` copies).
pub fn convert_encodings(root: &Path) -> std::io::Result<Vec<(PathBuf, &'static str)>> {
    let mut converted = Vec::new();
    let layout = crate::layout::SiteLayout::new(root);
    for entry in walkdir::WalkDir::new(layout.content()).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file()
            && entry.path().extension().is_some_and(|e| e == "md")
            && let Some(name) = content::source::convert_to_utf8(entry.path())?
        {
            converted.push((entry.path().to_path_buf(), name));
        }
    }
    let config = layout.config();
    if config.is_file()
        && let Some(name) = content::source::convert_to_utf8(&config)?
    {
        converted.push((config, name));
    }
    Ok(converted)
}
