//! Every kind of output file, one module each. They read the model and the
//! rendered Markdown and write through `Output`; none scans all reports per page.

pub mod aliases;
pub mod archive;
pub mod assets;
pub mod catalogue;
pub mod feeds;
pub mod listing;
pub mod lists;
pub mod pdfs;
pub mod print;
pub mod report;
pub mod search;
pub mod share;
pub mod sitemap;
pub mod sources;
pub mod structured_data;
pub mod taxonomies;

use minijinja::Value;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::disclosure::ReportStats;
use crate::markdown::Rendered;
use crate::model::{Site, output_path};
use crate::output::Sink;
use crate::render::Renderer;
use pdfs::PdfIndex;

/// Told which reports each page is made from, as the page writers say when they
/// write it (`serve` and the build cache learn from it which pages to render
/// again after an edit); the page writers know nothing of what it is for.
pub trait DepObserver: Sync {
    /// The page at output path `rel` shows `reports` (indices in `Site::reports`).
    fn shows(&self, rel: &str, reports: &[usize]);
}

/// Told about every HTML page as it is written, with its HTML (`check --gov`
/// reads each page).
pub trait PageObserver: Sync {
    fn record(&self, rel: &str, html: &str);
}

/// What every page writer needs.
pub struct BuildContext<'a> {
    pub site: &'a Site,
    pub rendered: &'a [Rendered],
    pub renderer: &'a Renderer,
    pub out: &'a dyn Sink,
    /// Set by `serve`'s incremental rebuilds: only these output paths are rendered,
    /// every other page keeps the file it has.
    pub only: Option<&'a std::collections::HashSet<String>>,
    /// Told which reports every page written shows (`serve`, the build cache).
    pub deps: Option<&'a dyn DepObserver>,
    /// Told about every page written, with its HTML (`check --gov`).
    pub html: Option<&'a dyn PageObserver>,
    /// With `only`: every output path left out is noted here, so that `build`
    /// can keep that file from the previous output.
    pub skipped: Option<&'a std::sync::Mutex<std::collections::HashSet<String>>>,
    /// QR code of each report's canonical URL, drawn as SVG where a page shows one.
    pub qr: &'a crate::qr::ReportCodes,
    /// PDFs of print pages (`build --pdf`); empty otherwise.
    pub pdfs: &'a PdfIndex,
    /// Disclosure statistics of each report, in report order, read once.
    pub stats: &'a [ReportStats],
}

impl BuildContext<'_> {
    /// A context for a full build.
    pub fn full<'a>(
        site: &'a Site,
        rendered: &'a [Rendered],
        renderer: &'a Renderer,
        out: &'a dyn Sink,
        qr: &'a crate::qr::ReportCodes,
        stats: &'a [ReportStats],
    ) -> BuildContext<'a> {
        BuildContext {
            site,
            rendered,
            renderer,
            out,
            only: None,
            deps: None,
            html: None,
            skipped: None,
            qr,
            pdfs: PdfIndex::empty(),
            stats,
        }
    }

    /// The statistics of report `i`, when it has (valid) ones.
    pub fn stats_of(&self, i: usize) -> Option<&crate::disclosure::DisclosureStats> {
        crate::disclosure::stats_of(self.stats.get(i)?).map(|p| &p.stats)
    }

    /// Whether the page at site path `url` is to be rendered in this pass. Writers
    /// may call it to skip building views of pages that are not wanted.
    pub fn wants(&self, url: &str) -> bool {
        self.wants_rel(&output_path(url))
    }

    /// Renders `template` for the page at site path `url`, a page that shows
    /// no report's data, and writes it.
    pub fn page(&self, template: &str, url: &str, ctx: Value) -> Result<(), Diagnostic> {
        self.page_showing(template, url, &[], ctx)
    }

    /// Renders `template` for the page at site path `url` and writes it;
    /// `shows` are the reports whose data `ctx` holds.
    pub fn page_showing(
        &self,
        template: &str,
        url: &str,
        shows: &[usize],
        ctx: Value,
    ) -> Result<(), Diagnostic> {
        if !self.wants(url) {
            return Ok(());
        }
        let html = self.renderer.render(template, ctx)?;
        self.write_rendered(url, &html, shows)
    }

    /// Writes a page rendered by the caller from the data of the reports `shows`.
    pub fn write_rendered(&self, url: &str, html: &str, shows: &[usize]) -> Result<(), Diagnostic> {
        self.write_rel(&output_path(url), html, shows)
    }

    /// Like `wants`, for a page given by its output path (`old/page.html`).
    pub fn wants_rel(&self, rel: &str) -> bool {
        let wanted = self.only.is_none_or(|only| only.contains(rel));
        if !wanted && let Some(skipped) = self.skipped {
            skipped
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string());
        }
        wanted
    }

    /// Like `write_rendered`, for a page given by its output path.
    pub fn write_rel(&self, rel: &str, html: &str, shows: &[usize]) -> Result<(), Diagnostic> {
        if let Some(observer) = self.html {
            observer.record(rel, html);
        }
        self.write_file(rel, html.as_bytes(), shows)
    }

    /// Writes a file that is not an HTML page (a feed, the catalogue) made from
    /// the data of the reports `shows`.
    pub fn write_file(&self, rel: &str, bytes: &[u8], shows: &[usize]) -> Result<(), Diagnostic> {
        if let Some(deps) = self.deps {
            deps.shows(rel, shows);
        }
        self.out.write(rel, bytes)
    }
}

/// Writes the whole site; returns how many pages were rendered.
pub fn write_all(ctx: &BuildContext) -> Result<usize, Diagnostics> {
    type Writer = fn(&BuildContext) -> Result<usize, Diagnostic>;
    let writers: &[Writer] = &[
        report::write,
        lists::write,
        lists::write_assets,
        archive::write,
        sources::write,
        taxonomies::write,
        feeds::write,
        sitemap::write,
        aliases::write,
        catalogue::write,
        print::write,
        share::write,
        search::write,
    ];
    let results: Vec<Result<usize, Diagnostic>> = writers.par_iter().map(|w| w(ctx)).collect();
    let mut diagnostics = Diagnostics::default();
    let mut pages = 0;
    for r in results {
        match r {
            Ok(n) => pages += n,
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(pages)
    }
}
