//! The build, stage by stage: config → load → model → render → write.
//! `build`, `check` and `serve` all go through here.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use crate::build_options::BuildOptions;
use crate::config::Config;
use crate::content::{self, LoadedContent};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::disclosure::ReportStats;
use crate::links::{SourcePaths, Targets};
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::{ModelOptions, Report, Site};
use crate::output::{Sink, Staged};
use crate::page_deps::{DepRecorder, ReportAddresses};
use crate::pages::{self, BuildContext};
use crate::pdf::PdfIndex;
use crate::render::Renderer;
use crate::render::views::SiteView;

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
}

/// What a build shows while it runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feedback {
    /// A progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// Sites smaller than this build too fast for a progress bar to help.
const PROGRESS_FROM_REPORTS: usize = 300;

/// What a run of the stages is for: they are the same, what differs is what is
/// written and how strict the checks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `build`: everything written into a staging folder and swapped in.
    Publish,
    /// `check`: nothing written; findings `build` warns about are errors.
    DryRun,
    /// `serve`: written in place, stage outputs kept for the next edit.
    Preview,
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

/// Stage 4: the disclosure statistics of every report, read once, and the
/// checks that need the whole model. A dry run turns every finding into an error.
pub fn check_model(site: &Site, mode: Mode) -> (Vec<ReportStats>, Vec<Diagnostic>) {
    let stats = crate::disclosure::parse_all(site);
    let mut found = crate::disclosure::check_parsed(site, &stats);
    if mode == Mode::DryRun {
        for d in &mut found {
            d.severity = Severity::Error;
        }
    }
    found.extend(crate::lint::paragraphs::giant_paragraph_warnings(site));
    found.extend(crate::lint::local_paths::errors(site));
    // A warning in `check` too: the table is published, only its sums are unchecked.
    found.extend(crate::lint::plain_tables::warnings(site, &stats));
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

/// Like [`render_markdown`], freeing each body as soon as it is rendered: what
/// later pages need of it (HTML, text, links, statistics) is kept elsewhere, and
/// the Markdown of every report is never held beside all of its HTML.
fn render_markdown_freeing_bodies(site: &mut Site, stats: &[ReportStats]) -> Vec<Rendered> {
    let bodies: Vec<String> = site
        .reports
        .iter_mut()
        .map(|r| std::mem::take(&mut r.body))
        .collect();
    let site = &*site;
    let opts = markdown_options(site);
    let paths = SourcePaths::new(site);
    bodies
        .into_par_iter()
        .enumerate()
        .map(|(i, body)| render_body(&site.reports[i], &body, stats.get(i), &paths, &opts))
        .collect()
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

/// The output paths of pages annals makes (content files left out: a clash
/// between two files is named with both at write time).
fn pages_not_files(site: &Site) -> HashSet<String> {
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

/// Every page and the search index; the index is built beside the pages, from the
/// same rendered Markdown. Returns the number of pages rendered.
pub fn write_site(ctx: &BuildContext) -> Result<(usize, crate::search::SearchStats), Diagnostics> {
    let (pages, search) = rayon::join(|| pages::write_all(ctx), || crate::search::write(ctx));
    Ok((pages?, search?))
}

/// A full build into a staging folder, swapped in only on success.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    build_with(options, Feedback::default())
}

fn progress_bar(show: bool, reports: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !show || reports < PROGRESS_FROM_REPORTS || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} files") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// `build`, with a progress bar when asked for and stage times in the summary.
pub fn build_with(options: &BuildOptions, feedback: Feedback) -> Result<BuildSummary, Diagnostics> {
    let start = Instant::now();
    // Before anything else, so a missing browser changes nothing.
    let chrome = if options.pdf {
        Some(crate::pdf::chrome::find(options.chrome.as_deref())?)
    } else {
        None
    };
    let mut stages = Vec::new();
    let mut lap = Instant::now();
    let mut stage = |name: &'static str| {
        stages.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let cache = crate::build_cache::CacheRun::start(options);
    let cache_warning = cache.warning.clone();
    if let Some((counts, warnings)) = cache.unchanged() {
        return Ok(BuildSummary {
            reports: counts.reports,
            pages: counts.pages,
            files: counts.files,
            elapsed: start.elapsed(),
            output: std::path::absolute(options.output_dir())
                .unwrap_or_else(|_| options.output_dir()),
            warnings: Diagnostics {
                items: warnings.to_vec(),
            },
            stages,
            pdfs: None,
            search: Default::default(),
            cached: true,
            kept: counts.files,
        });
    }
    stage("build cache");
    let (mut site, mut warnings) = load_site(options)?;
    let (stats, found) = check_model(&site, Mode::Publish);
    warnings.extend(found);
    if warnings.has_errors() {
        return Err(warnings);
    }
    stage("load and model");
    let bar = progress_bar(feedback.progress, site.reports.len());
    if let Some(bar) = &bar {
        bar.set_message(format!("rendering {} reports", site.reports.len()));
    }
    let renderer = renderer_for(&site)?;
    let shape = crate::build_cache::site_shape(&site, &renderer);
    let rendered = render_markdown_freeing_bodies(&mut site, &stats);
    let qr = qr_codes(&site, &renderer)?;
    stage("templates, Markdown and QR codes");
    crate::output::check_location(&options.root, &options.output_dir())?;
    let parts = Parts {
        site: &site,
        rendered: &rendered,
        renderer: &renderer,
        qr: &qr,
        stats: &stats,
    };
    let watch = cache
        .enabled()
        .then(|| Arc::new(ReportAddresses::new(&site)));
    let mut partial = false;
    let mut pass = None;
    if let Some(only) = cache.partial(&site, &shape) {
        let (attempt, as_recorded) = write_pass(
            options,
            chrome.as_deref(),
            &parts,
            &bar,
            watch.as_ref(),
            Some(&only),
        )?;
        // Files other than those recorded: whenever unsure, render everything.
        if as_recorded {
            pass = Some(attempt);
            partial = true;
        }
    }
    let pass = match pass {
        Some(pass) => pass,
        None => {
            write_pass(
                options,
                chrome.as_deref(),
                &parts,
                &bar,
                watch.as_ref(),
                None,
            )?
            .0
        }
    };
    if chrome.is_some() {
        stage("PDFs");
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let Pass {
        out,
        pages,
        search,
        found,
        kept,
        pdfs: pdf_stats,
    } = pass;
    warnings.extend(link_warnings(&site, &rendered, out.paths()));
    stage("pages");
    let files = out.file_count();
    let output = out.final_dir().to_path_buf();
    let hashes = out.take_hashes();
    out.commit()?;
    stage("swap in");
    let counts = crate::build_cache::CountsRecord {
        reports: site.reports.len(),
        pages,
        files,
    };
    let not_saved = cache.finish(
        options,
        &site,
        shape,
        found,
        partial,
        &warnings.items,
        counts,
        &output,
        &hashes,
    );
    warnings.extend(cache_warning);
    warnings.extend(not_saved);
    Ok(BuildSummary {
        reports: site.reports.len(),
        pages,
        files,
        elapsed: start.elapsed(),
        output,
        warnings,
        stages,
        pdfs: pdf_stats,
        search,
        cached: false,
        kept,
    })
}

/// What the write stage renders from, made once per build.
struct Parts<'a> {
    site: &'a Site,
    rendered: &'a [Rendered],
    renderer: &'a Renderer,
    qr: &'a crate::qr::ReportCodes,
    stats: &'a [ReportStats],
}

/// One pass of the write stage, not yet swapped in.
struct Pass {
    out: Staged,
    pages: usize,
    search: crate::search::SearchStats,
    /// Which reports each rendered page shows (when the cache watches).
    found: Vec<(String, Vec<usize>)>,
    /// Files kept from the previous output.
    kept: usize,
    pdfs: Option<crate::pdf::PdfStats>,
}

/// Renders every page, or with `partial` only the pages it names, keeping every
/// other file of the previous output. Also says whether the output holds exactly
/// the files the cache recorded (always true of a full pass).
fn write_pass(
    options: &BuildOptions,
    chrome: Option<&Path>,
    parts: &Parts,
    bar: &Option<indicatif::ProgressBar>,
    watch: Option<&Arc<ReportAddresses>>,
    partial: Option<&crate::build_cache::Partial>,
) -> Result<(Pass, bool), Diagnostics> {
    let mut out = Staged::begin(&options.output_dir())?;
    if let Some(bar) = bar {
        out.set_progress(bar.clone());
    }
    if partial.is_some() {
        // Only report files changed: static files and attachments did not.
        out.set_copies_unchanged();
    }
    let recorder = watch.map(|w| DepRecorder::new(Arc::clone(w)));
    let skipped = Mutex::new(HashSet::new());
    let mut ctx = BuildContext {
        only: partial.map(|p| &p.only),
        skipped: partial.map(|_| &skipped),
        deps: recorder
            .as_ref()
            .map(|r| r as &dyn crate::pages::PageObserver),
        ..BuildContext::full(
            parts.site,
            parts.rendered,
            parts.renderer,
            &out,
            parts.qr,
            parts.stats,
        )
    };
    // PDFs first: the report pages list them with their size and page count.
    let (pdfs, pdf_stats) = if let Some(chrome) = chrome {
        let (index, stats) = crate::pdf::produce(&ctx, chrome)?;
        (index, Some(stats))
    } else {
        (PdfIndex::default(), None)
    };
    ctx.pdfs = &pdfs;
    if let Some(bar) = bar {
        bar.set_message("writing");
    }
    let renders = parts.renderer.render_count();
    // The search index first, alone: its working set (the whole text of
    // every body, segmented) then never adds to that of the pages.
    let search = crate::search::write(&ctx)?;
    let pages = pages::write_all(&ctx)?;
    // A partial pass counts the pages it really rendered (writers count what they cover).
    let pages = match partial {
        Some(_) => parts.renderer.render_count() - renders,
        None => pages,
    };
    let skipped = std::mem::take(&mut *skipped.lock().unwrap_or_else(|e| e.into_inner()));
    let mut kept = 0;
    for rel in &skipped {
        if out.keep(rel)? {
            kept += 1;
        }
    }
    let as_recorded = partial.is_none_or(|partial| {
        let mut written = out.paths();
        written.insert(crate::output::MARKER.to_string());
        written.len() == partial.expected.len()
            && partial.expected.keys().all(|k| written.contains(k))
    });
    let pass = Pass {
        out,
        pages,
        search,
        found: recorder.map(DepRecorder::into_found).unwrap_or_default(),
        kept,
        pdfs: pdf_stats,
    };
    Ok((pass, as_recorded))
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
