//! `annals build`: the build cache's plan, one [`SitePass`], the staged write
//! (whole, or only the pages an edit touched), the swap and the new record.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{BuildOptions, BuildSummary, Clock, Feedback, Mode, PROGRESS_FROM_REPORTS, SitePass};
use crate::build_cache::{BuildDone, CacheRun, CountsRecord, Partial};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::SourcePaths;
use crate::model::Site;
use crate::output::{Sink, Staged};
use crate::page_deps::DepRecorder;
use crate::pages::{self, BuildContext};
use crate::pdf::PdfIndex;
use crate::report_store::ReportStore;

/// A full build into a staging folder, swapped in only on success.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    build_with(options, Feedback::default())
}

/// `build`, with a progress bar when asked for and stage times in the summary.
pub fn build_with(options: &BuildOptions, feedback: Feedback) -> Result<BuildSummary, Diagnostics> {
    let start = Instant::now();
    // Before anything else, so a missing browser changes nothing.
    let chrome = match options.pdf {
        true => Some(crate::pdf::chrome::find(options.chrome.as_deref())?),
        false => None,
    };
    let cache = CacheRun::start(options);
    if let Some(summary) = unchanged(&cache, options, start) {
        return Ok(summary);
    }
    let mut clock = Clock::starting(Instant::now());
    clock.lap("build cache");
    let (pass, store) = make_pass(options, &cache)?;
    clock.stages.extend(pass.stages.iter().copied());
    clock.lap = Instant::now();
    crate::output::check_location(&options.root, &options.output_dir())?;
    let bar = progress_bar(feedback.progress, pass.site.reports.len());
    let shape = crate::build_cache::site_shape(&pass.site, &pass.renderer);
    let stored = store.store.as_ref();
    let site = &pass.site;
    let old_report = stored.map(|s| move |i: usize| previous_edit(s, site, i));
    let writer = Writer {
        options,
        chrome: chrome.as_deref(),
        pass: &pass,
        bar: &bar,
        watch: cache.enabled(),
        old_report: old_report
            .as_ref()
            .map(|f| f as &dyn Fn(usize) -> Option<crate::search::Edit>),
    };
    // New renderings are stored while pages are written: file by file, the
    // store's writes wait on the disk, pages on the processors.
    let (written, partial) = std::thread::scope(|scope| {
        let saving = scope.spawn(|| {
            store
                .store
                .as_ref()
                .map(|s| s.save_new(&pass.site, &pass.rendered))
        });
        let result = writer.write(cache.partial(&pass.site, &shape));
        // A store not written only costs the next build the time to render again.
        let _ = saving.join();
        result
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    clock.lap("pages");
    let done = Done {
        pass,
        cache,
        store,
        shape,
        written,
        partial,
    };
    commit(options, done, clock, start)
}

/// The store of earlier renderings as this build uses it.
struct Store {
    /// `None` when the build cache is off (`--no-cache`, `--pdf`) or the
    /// store's folder is a link.
    store: Option<ReportStore>,
    /// Why the store was not used.
    warning: Option<Diagnostic>,
}

/// The pass over the site, taking unchanged reports' Markdown from the store.
fn make_pass(options: &BuildOptions, cache: &CacheRun) -> Result<(SitePass, Store), Diagnostics> {
    let (store, warning) = match cache.inputs() {
        Some(now) => ReportStore::open(&options.root, now, cache.recorded_inputs()),
        None => (None, None),
    };
    let pass = match &store {
        Some(store) => {
            let markdown = OnceLock::new();
            let reuse = |site: &Site, paths: &SourcePaths, i: usize| {
                let opts = markdown.get_or_init(|| super::markdown_options(site));
                store.reuse(site, paths, opts, i)
            };
            SitePass::make_reusing(options, Mode::Publish, &reuse)?
        }
        None => SitePass::make(options, Mode::Publish)?,
    };
    Ok((pass, Store { store, warning }))
}

/// Report `i` as the last build indexed it (its front matter and Markdown,
/// from the store), for the search index's patch.
fn previous_edit(store: &ReportStore, site: &Site, i: usize) -> Option<crate::search::Edit> {
    let (meta, rendered) = store.previous(&site.reports.get(i)?.file)?;
    Some(crate::search::Edit {
        index: i,
        meta,
        rendered,
    })
}

/// The last build's summary when nothing changed since: nothing is written.
fn unchanged(cache: &CacheRun, options: &BuildOptions, start: Instant) -> Option<BuildSummary> {
    let (counts, warnings) = cache.unchanged()?;
    Some(BuildSummary {
        reports: counts.reports,
        pages: counts.pages,
        files: counts.files,
        elapsed: start.elapsed(),
        output: std::path::absolute(options.output_dir()).unwrap_or_else(|_| options.output_dir()),
        warnings: Diagnostics {
            items: warnings.to_vec(),
        },
        stages: Vec::new(),
        pdfs: None,
        search: Default::default(),
        cached: true,
        kept: counts.files,
        markdown_rendered: 0,
    })
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
    bar.set_message(format!("rendering {reports} reports"));
    Some(bar)
}

/// A build whose pages are written, before the swap.
struct Done {
    pass: SitePass,
    cache: CacheRun,
    store: Store,
    shape: String,
    written: Written,
    /// Only the pages an edit touched were rendered.
    partial: bool,
}

/// Link checks, the swap and the new record, after the write stage.
fn commit(
    options: &BuildOptions,
    done: Done,
    mut clock: Clock,
    start: Instant,
) -> Result<BuildSummary, Diagnostics> {
    let Done {
        pass,
        cache,
        store,
        shape,
        written,
        partial,
    } = done;
    let mut warnings = pass.all_warnings();
    warnings.extend(super::link_warnings(
        &pass.site,
        &pass.rendered,
        written.out.paths(),
    ));
    let files = written.out.file_count();
    let output = written.out.final_dir().to_path_buf();
    let hashes = written.out.take_hashes();
    written.out.commit()?;
    clock.lap("swap in");
    if let Some(store) = &store.store {
        // Only now: until this build succeeded, the last one's entries may be needed.
        store.sweep();
    }
    let counts = CountsRecord {
        reports: pass.site.reports.len(),
        pages: written.pages,
        files,
    };
    let cache_warning = cache.warning.clone();
    let not_saved = cache.finish(
        options,
        BuildDone {
            site: &pass.site,
            shape,
            found: written.found,
            partial,
            warnings: &warnings.items,
            counts,
            output: &output,
            hashes: &hashes,
        },
    );
    warnings.extend(cache_warning);
    warnings.extend(store.warning);
    warnings.extend(not_saved);
    Ok(BuildSummary {
        reports: pass.site.reports.len(),
        pages: written.pages,
        files,
        elapsed: start.elapsed(),
        output,
        warnings,
        stages: clock.stages,
        pdfs: written.pdfs,
        search: written.search,
        cached: false,
        kept: written.kept,
        markdown_rendered: pass.markdown_rendered,
    })
}

/// One pass of the write stage, not yet swapped in.
struct Written {
    out: Staged,
    pages: usize,
    search: crate::search::SearchStats,
    /// Which reports each rendered page shows (when the cache watches).
    found: Vec<(String, Vec<usize>)>,
    /// Files kept from the previous output.
    kept: usize,
    pdfs: Option<crate::pdf::PdfStats>,
}

/// What the write stage renders from and how.
struct Writer<'a> {
    options: &'a BuildOptions,
    chrome: Option<&'a Path>,
    pass: &'a SitePass,
    bar: &'a Option<indicatif::ProgressBar>,
    /// Learns which pages show which report, when the cache keeps a record.
    watch: bool,
    /// Report `i` as the previous build indexed it (front matter and Markdown),
    /// when known: a partial pass then patches the search index.
    old_report: Option<&'a dyn Fn(usize) -> Option<crate::search::Edit>>,
}

impl Writer<'_> {
    /// Renders only the pages `partial` names when the cache allows it and the
    /// output then holds exactly the files recorded; else every page. Says
    /// whether the partial pass was taken.
    fn write(&self, partial: Option<Partial>) -> Result<(Written, bool), Diagnostics> {
        if let Some(partial) = partial {
            let (attempt, as_recorded) = self.pass_of(Some(&partial))?;
            // Files other than those recorded: whenever unsure, render everything.
            if as_recorded {
                return Ok((attempt, true));
            }
        }
        Ok((self.pass_of(None)?.0, false))
    }

    /// Renders every page, or with `partial` only the pages it names, keeping
    /// every other file of the previous output. Also says whether the output
    /// holds exactly the files the cache recorded (always true of a full pass).
    fn pass_of(&self, partial: Option<&Partial>) -> Result<(Written, bool), Diagnostics> {
        let mut out = Staged::begin(&self.options.output_dir())?;
        if let Some(bar) = self.bar {
            out.set_progress(bar.clone());
        }
        if self.watch {
            // The cache keeps a record of what was written.
            out.set_hashing();
        }
        if partial.is_some() {
            // Only report files changed: static files and attachments did not.
            out.set_copies_unchanged();
        }
        let recorder = self.watch.then(DepRecorder::new);
        let skipped = Mutex::new(HashSet::new());
        let p = self.pass;
        let mut ctx = BuildContext {
            only: partial.map(|p| &p.only),
            skipped: partial.map(|_| &skipped),
            deps: recorder.as_ref().map(|r| r as &dyn pages::DepObserver),
            ..BuildContext::full(&p.site, &p.rendered, &p.renderer, &out, &p.qr, &p.stats)
        };
        // PDFs first: the report pages list them with their size and page count.
        let (pdfs, pdf_stats) = match self.chrome {
            Some(chrome) => {
                let (index, stats) = crate::pdf::produce(&ctx, chrome)?;
                (index, Some(stats))
            }
            None => (PdfIndex::default(), None),
        };
        ctx.pdfs = &pdfs;
        if let Some(bar) = self.bar {
            bar.set_message("writing");
        }
        let renders = p.renderer.render_count();
        // The search index first, alone: its working set (the whole text of
        // every body, segmented) then never adds to that of the pages.
        let search = self.search(&ctx, partial, out.final_dir())?;
        let pages = pages::write_all(&ctx)?;
        // A partial pass counts the pages it really rendered (writers count what they cover).
        let pages = match partial {
            Some(_) => p.renderer.render_count() - renders,
            None => pages,
        };
        let skipped = skipped.into_inner().unwrap_or_else(|e| e.into_inner());
        let kept = keep_all(&out, &skipped)?;
        let as_recorded = partial.is_none_or(|partial| holds_recorded(&out, partial));
        let written = Written {
            out,
            pages,
            search,
            found: recorder.map(DepRecorder::into_found).unwrap_or_default(),
            kept,
            pdfs: pdf_stats,
        };
        Ok((written, as_recorded))
    }
}

impl Writer<'_> {
    /// The search index, patched for the edited reports when a partial pass
    /// knows what the previous build indexed of each; else built whole.
    fn search(
        &self,
        ctx: &BuildContext,
        partial: Option<&Partial>,
        previous: &Path,
    ) -> Result<crate::search::SearchStats, crate::diagnostics::Diagnostic> {
        let edits = partial
            .zip(self.old_report)
            .and_then(|(p, old)| p.edited.iter().map(|&i| old(i)).collect::<Option<Vec<_>>>());
        match edits {
            Some(edits) => {
                let previous = crate::search::FolderIndex::new(previous);
                crate::search::write_patched(ctx, &previous, &edits)
            }
            None => crate::search::write(ctx),
        }
    }
}

/// Keeps every file of the previous output a partial pass did not render.
fn keep_all(out: &Staged, skipped: &HashSet<String>) -> Result<usize, Diagnostics> {
    let mut kept = 0;
    for rel in skipped {
        if out.keep(rel)? {
            kept += 1;
        }
    }
    Ok(kept)
}

/// Whether a partial pass left exactly the files the cache recorded.
fn holds_recorded(out: &Staged, partial: &Partial) -> bool {
    let mut written = out.paths();
    written.insert(crate::output::MARKER.to_string());
    written.len() == partial.expected.len() && partial.expected.keys().all(|k| written.contains(k))
}
