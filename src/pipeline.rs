//! The build, stage by stage: config → load → model → render → write.
//! `build`, `check` and `serve` all go through here.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content;
use crate::diagnostics::Diagnostics;
use crate::markdown::{self, MarkdownOptions, Rendered};
use crate::model::{ModelOptions, Site};
use crate::output::Output;
use crate::pages::{self, BuildContext};
use crate::render::Renderer;
use crate::render::views::SiteView;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug)]
pub struct BuildSummary {
    pub reports: usize,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
    pub warnings: Diagnostics,
}

/// Config, content and model, with every problem found on the way.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let (mut config, warning) = Config::load(&options.root)?;
    diagnostics.extend(warning);
    if let Some(url) = &options.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    let loaded = content::load(&options.root, &mut diagnostics);
    let site = Site::build(
        config,
        &options.root,
        loaded,
        &ModelOptions {
            drafts: options.drafts,
        },
        &mut diagnostics,
    );
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((site, diagnostics))
}

pub fn markdown_options(site: &Site) -> MarkdownOptions {
    MarkdownOptions {
        unsafe_html: site.config.markdown.unsafe_html,
        auto_outline: site.config.markdown.outline == crate::config::OutlineMode::Auto,
    }
}

/// Markdown of every report, rendered once and shared by all pages that show it.
pub fn render_markdown(site: &Site) -> Vec<Rendered> {
    let opts = markdown_options(site);
    site.reports
        .par_iter()
        .map(|r| markdown::render(&r.body, &opts))
        .collect()
}

/// Like [`render_markdown`], freeing each body as soon as it is rendered: a full
/// build never reads bodies again, and peak memory drops by the size of the content.
fn render_markdown_freeing_bodies(site: &mut Site) -> Vec<Rendered> {
    let opts = markdown_options(site);
    site.reports
        .par_iter_mut()
        .map(|r| {
            let rendered = markdown::render(&r.body, &opts);
            r.body = String::new();
            rendered
        })
        .collect()
}

pub fn renderer_for(site: &Site) -> Result<Renderer, Diagnostics> {
    let mut renderer = Renderer::new(&site.root, &site.config.theme, &site.config.language)?;
    let view = SiteView::new(site, &renderer.locale);
    renderer.set_site(crate::render::to_value(&view));
    Ok(renderer)
}

/// A full build into a staging folder, swapped in only on success.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let start = Instant::now();
    let (mut site, warnings) = load_site(options)?;
    let renderer = renderer_for(&site)?;
    let rendered = render_markdown_freeing_bodies(&mut site);
    let out = Output::begin(&options.output_dir())?;
    let ctx = BuildContext {
        site: &site,
        rendered: &rendered,
        renderer: &renderer,
        out: &out,
    };
    let pages = pages::write_all(&ctx)?;
    let files = out.file_count();
    let output = out.final_dir().to_path_buf();
    out.commit()?;
    Ok(BuildSummary {
        reports: site.reports.len(),
        pages,
        files,
        elapsed: start.elapsed(),
        output,
        warnings,
    })
}

/// Rewrites legacy-encoded Markdown files under `content/` as UTF-8 (keeping `.bak` copies).
pub fn convert_encodings(root: &Path) -> std::io::Result<Vec<(PathBuf, &'static str)>> {
    let mut converted = Vec::new();
    for entry in walkdir::WalkDir::new(root.join(content::CONTENT_DIR)).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file()
            && entry.path().extension().is_some_and(|e| e == "md")
            && let Some(name) = content::source::convert_to_utf8(entry.path())?
        {
            converted.push((entry.path().to_path_buf(), name));
        }
    }
    Ok(converted)
}
