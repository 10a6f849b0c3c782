//! The stages of a pass over the site, and [`SitePass`], the one owner of
//! what a pass produces. `build`, `check` and `serve` all make their pass
//! through [`SitePass::make`] (or, for `serve`, [`SitePass::from_loaded`] with
//! the Markdown it can reuse), so the three run every stage and every check.

use rayon::prelude::*;

use super::BuildOptions;
use crate::config::Config;
use crate::content::{self, LoadedContent};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::disclosure::ReportStats;
use crate::links::SourcePaths;
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::{ModelOptions, Report, Site};
use crate::render::Renderer;
use crate::render::views::SiteView;

/// What a pass is for: the stages are the same, what differs is how strict
/// the checks are and what is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `build`: errors stop the pass; each body is freed once rendered.
    Publish,
    /// `check`: findings `build` warns about are errors, and content errors
    /// do not stop the pass, so everything else is found too.
    DryRun,
    /// `serve`: errors stop the pass; bodies are kept for the next edit.
    Preview,
}

/// Gives report `i`'s Markdown as an earlier pass rendered it, when that is
/// still right for the site and the link targets (`SourcePaths`) given.
pub type Reuse<'a> = dyn Fn(&Site, &SourcePaths, usize) -> Option<Rendered> + Sync + 'a;

/// Everything pages are rendered from, made once per pass.
pub struct SitePass {
    pub site: Site,
    /// Disclosure statistics of each report, in report order, read once.
    pub stats: Vec<ReportStats>,
    /// Each report's body as HTML, shared by every page that shows it.
    pub rendered: Vec<Rendered>,
    /// How many of them were rendered in this pass (not reused).
    pub markdown_rendered: usize,
    pub renderer: Renderer,
    /// The QR code of each report's address.
    pub qr: crate::qr::ReportCodes,
    /// Where relative links of bodies lead (a body's Markdown is reused only
    /// while these stay the same).
    pub paths: SourcePaths,
    /// Problems found loading the config and content and making the model.
    pub warnings: Diagnostics,
    /// Findings of the checks of the whole model ([`site_checks`]).
    pub findings: Vec<Diagnostic>,
    /// Time taken by each stage, for `--verbose`.
    pub stages: Vec<(&'static str, std::time::Duration)>,
}

impl SitePass {
    /// Every problem the pass found, in the order found.
    pub fn all_warnings(&self) -> Diagnostics {
        let mut all = self.warnings.clone();
        all.extend(self.findings.iter().cloned());
        all
    }
}

impl SitePass {
    /// Every stage up to rendering the pages: config, content, model, the
    /// checks of the whole model, templates, Markdown and QR codes.
    pub fn make(options: &BuildOptions, mode: Mode) -> Result<SitePass, Diagnostics> {
        SitePass::make_reusing(options, mode, &|_, _, _| None)
    }

    /// [`SitePass::make`], taking each report's Markdown from `reuse` when it
    /// gives one (`build` passes its store of earlier renderings).
    pub fn make_reusing(
        options: &BuildOptions,
        mode: Mode,
        reuse: &Reuse<'_>,
    ) -> Result<SitePass, Diagnostics> {
        let started = std::time::Instant::now();
        let (config, warnings) = load_config(options)?;
        let mut warnings = warnings;
        let loaded = content::load(&options.root, &mut warnings);
        let loading = started.elapsed();
        let mut pass = SitePass::from_loaded(options, mode, config, loaded, warnings, reuse)?;
        pass.stages[0].1 += loading;
        Ok(pass)
    }

    /// [`SitePass::make`] from config and content already loaded; `reuse`
    /// gives report `i`'s Markdown when an earlier pass rendered the same.
    pub fn from_loaded(
        options: &BuildOptions,
        mode: Mode,
        config: Config,
        loaded: LoadedContent,
        mut warnings: Diagnostics,
        reuse: &Reuse<'_>,
    ) -> Result<SitePass, Diagnostics> {
        let started = std::time::Instant::now();
        let mut site = model(options, config, loaded, &mut warnings);
        let stop = |w: &Diagnostics| mode != Mode::DryRun && w.has_errors();
        if stop(&warnings) {
            return Err(warnings);
        }
        let stats = crate::disclosure::parse_all(&site);
        let findings = site_checks(&site, &stats, mode);
        if mode != Mode::DryRun && findings.iter().any(Diagnostic::is_error) {
            return Err(with(warnings, Diagnostics { items: findings }));
        }
        let mut clock = super::Clock::starting(started);
        clock.lap("load and model");
        let renderer = match renderer_for(&site) {
            Ok(renderer) => renderer,
            Err(errors) => {
                return Err(with(
                    with(warnings, Diagnostics { items: findings }),
                    errors,
                ));
            }
        };
        clock.lap("templates");
        let paths = SourcePaths::new(&site);
        let (rendered, markdown_rendered) = render_all(&mut site, &stats, &paths, mode, reuse);
        clock.lap("Markdown");
        let qr = match qr_codes(&site, &renderer) {
            Ok(qr) => qr,
            Err(errors) => {
                return Err(with(
                    with(warnings, Diagnostics { items: findings }),
                    errors,
                ));
            }
        };
        clock.lap("QR codes");
        Ok(SitePass {
            site,
            stats,
            rendered,
            markdown_rendered,
            renderer,
            qr,
            paths,
            warnings,
            findings,
            stages: clock.stages,
        })
    }
}

fn with(mut warnings: Diagnostics, errors: Diagnostics) -> Diagnostics {
    warnings.extend(errors.items);
    warnings
}

/// Stage 1: the config, with the command line's overrides.
pub fn load_config(options: &BuildOptions) -> Result<(Config, Diagnostics), Diagnostics> {
    let (mut config, warning) = Config::load(&options.root)?;
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(warning);
    if let Some(url) = &options.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    Ok((config, diagnostics))
}

/// Stage 3: the site model of the loaded content (stage 2 is `content::load`).
pub fn model(
    options: &BuildOptions,
    config: Config,
    loaded: LoadedContent,
    diagnostics: &mut Diagnostics,
) -> Site {
    Site::build(
        config,
        &options.root,
        loaded,
        &ModelOptions {
            drafts: options.drafts,
        },
        diagnostics,
    )
}

/// Config, content and model, with every problem found on the way.
pub fn load_site(options: &BuildOptions) -> Result<(Site, Diagnostics), Diagnostics> {
    let (config, mut diagnostics) = load_config(options)?;
    let loaded = content::load(&options.root, &mut diagnostics);
    let site = model(options, config, loaded, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok((site, diagnostics))
}

/// Stage 4: the checks that need the whole model, the one list for every
/// pass (a full one and `serve`'s rebuild of one report alike). A dry run
/// turns every finding into an error.
pub fn site_checks(site: &Site, stats: &[ReportStats], mode: Mode) -> Vec<Diagnostic> {
    let mut found = crate::disclosure::check_parsed(site, stats);
    if mode == Mode::DryRun {
        for d in &mut found {
            d.severity = Severity::Error;
        }
    }
    found.extend(crate::lint::paragraphs::giant_paragraph_warnings(site));
    found.extend(crate::lint::local_paths::errors(site));
    // A warning in `check` too: the table is published, only its sums are unchecked.
    found.extend(crate::lint::plain_tables::warnings(site, stats));
    found
}

/// The disclosure statistics of every report, read once, and [`site_checks`].
pub fn check_model(site: &Site, mode: Mode) -> (Vec<ReportStats>, Vec<Diagnostic>) {
    let stats = crate::disclosure::parse_all(site);
    let found = site_checks(site, &stats, mode);
    (stats, found)
}

/// Checks of the content that need the whole model but no output: errors stop
/// the build, warnings are reported with it.
pub fn check_content(site: &Site, diagnostics: &mut Diagnostics) -> Result<(), Diagnostics> {
    diagnostics.extend(check_model(site, Mode::Publish).1);
    if diagnostics.has_errors() {
        return Err(std::mem::take(diagnostics));
    }
    Ok(())
}

pub fn markdown_options(site: &Site) -> MarkdownOptions {
    MarkdownOptions {
        unsafe_html: site.config.markdown.unsafe_html,
        auto_outline: site.config.markdown.outline == crate::config::OutlineMode::Auto,
        iframe_hosts: site.config.markdown.iframe_hosts.clone(),
    }
}

/// Stage 5, for one report: its body as HTML, statistics tables in place and
/// relative links made site paths, so it works on every page that shows it.
pub fn render_report(
    report: &Report,
    stats: Option<&ReportStats>,
    paths: &SourcePaths,
    opts: &MarkdownOptions,
) -> Rendered {
    render_body(report, &report.body, stats, paths, opts)
}

/// [`render_report`] of a body already taken out of its report.
fn render_body(
    report: &Report,
    body: &str,
    stats: Option<&ReportStats>,
    paths: &SourcePaths,
    opts: &MarkdownOptions,
) -> Rendered {
    let fences = crate::disclosure::Fences::new(
        report,
        stats
            .and_then(crate::disclosure::stats_of)
            .map(|p| p.stats.clone()),
    );
    let links = paths.of(report);
    crate::markdown::render_linked(
        body,
        opts,
        &[
            (crate::disclosure::STATS_FENCE, &fences),
            (crate::disclosure::TABLE_FENCE, &fences),
        ],
        Some(&links),
    )
}

/// Markdown of every report, rendered once and shared by all pages that show it.
pub fn render_markdown(site: &Site) -> Vec<Rendered> {
    render_markdown_with(site, &crate::disclosure::parse_all(site))
}

/// [`render_markdown`] with the statistics already read.
pub fn render_markdown_with(site: &Site, stats: &[ReportStats]) -> Vec<Rendered> {
    let opts = markdown_options(site);
    let paths = SourcePaths::new(site);
    site.reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| render_report(r, stats.get(i), &paths, &opts))
        .collect()
}

/// Every report's Markdown, or what `reuse` gives for it, and how many were
/// rendered. `reuse` sees every body, then a published pass frees each body
/// as soon as it is rendered: what later pages need of it (HTML, text, links,
/// statistics) is kept elsewhere, and the Markdown of every report is never
/// held beside all of its HTML. `check` and `serve` keep them.
fn render_all(
    site: &mut Site,
    stats: &[ReportStats],
    paths: &SourcePaths,
    mode: Mode,
    reuse: &Reuse<'_>,
) -> (Vec<Rendered>, usize) {
    let reused: Vec<Option<Rendered>> = (0..site.reports.len())
        .into_par_iter()
        .map(|i| reuse(site, paths, i))
        .collect();
    let bodies: Vec<Option<String>> = site
        .reports
        .iter_mut()
        .zip(&reused)
        .map(|(r, reused)| {
            let body = (mode == Mode::Publish).then(|| std::mem::take(&mut r.body))?;
            // A reused report's body is freed at once.
            reused.is_none().then_some(body)
        })
        .collect();
    let anew = reused.iter().filter(|r| r.is_none()).count();
    let site = &*site;
    let opts = markdown_options(site);
    let rendered = bodies
        .into_par_iter()
        .zip(reused)
        .enumerate()
        .map(|(i, (body, reused))| {
            let report = &site.reports[i];
            reused.unwrap_or_else(|| {
                let body = body.as_deref().unwrap_or(&report.body);
                render_body(report, body, stats.get(i), paths, &opts)
            })
        })
        .collect();
    (rendered, anew)
}

/// The output paths of pages annals makes (content files left out: a clash
/// between two files is named with both at write time).
fn pages_not_files(site: &Site) -> std::collections::HashSet<String> {
    let mut paths = site.output_paths();
    for asset in &site.assets {
        paths.remove(&asset.output);
    }
    paths
}

pub fn renderer_for(site: &Site) -> Result<Renderer, Diagnostics> {
    let mut renderer = Renderer::new(&site.root, &site.config.theme, &site.config.language)?;
    let clashes = crate::site_files::clashes_with_pages(
        renderer.statics.iter().map(|(rel, source)| {
            let file = match source {
                crate::render::theme::FileSource::Disk(p) => Some(p.as_path()),
                crate::render::theme::FileSource::Embedded(_) => None,
            };
            (rel.as_str(), file)
        }),
        &pages_not_files(site),
    );
    if !clashes.is_empty() {
        return Err(Diagnostics { items: clashes });
    }
    let view = SiteView::new(site, &renderer.locale);
    renderer.set_site(crate::render::to_value(&view));
    Ok(renderer)
}

/// The QR code of every report's canonical URL, labelled in the site's language.
pub fn qr_codes(site: &Site, renderer: &Renderer) -> Result<crate::qr::ReportCodes, Diagnostics> {
    let label = renderer
        .locale
        .get_attr("qr_label")
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    crate::qr::for_reports(site, &label)
}
