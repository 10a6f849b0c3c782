//! Rebuilds for `serve`: the site stays in memory between saves, and an edited
//! report re-renders only the pages that show it.
//!
//! Which pages show a report is learned while pages are rendered: each page
//! writer says which reports' data it put in the page. An edit that leaves the
//! site's shape alone (the same reports in the same lists, the same site-wide
//! navigation) re-renders just those pages; anything else re-renders everything,
//! and in both cases only files whose bytes changed are written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::ReportSource;
use crate::content::{self, LoadedContent, ReportMeta};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links::SourcePaths;
use crate::markdown::Rendered;
use crate::model::{Report, Site};
use crate::output::{FileHashes, InPlace, Sink};
use crate::page_deps::{DepRecorder, PagesOf, site_shape};
use crate::pages::BuildContext;
use crate::pipeline::{self, BuildOptions, Mode, SitePass};
use crate::search::{self, Edit, FolderIndex, IndexFiles};

/// What one rebuild did.
#[derive(Debug)]
pub struct RebuildSummary {
    /// Whether every page was rendered (else only the pages an edit touched).
    pub full: bool,
    pub reports: usize,
    /// Pages rendered from templates in this pass.
    pub pages_rendered: usize,
    /// Files whose bytes changed (written or deleted).
    pub files_written: usize,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
    /// What the search index cost (built whole, or patched for the edits).
    pub search: search::SearchStats,
}

struct State {
    config: Config,
    /// The content as loaded, without the bodies of the reports in
    /// `bodies_in_model` (see [`State::loaded_whole`]).
    loaded: LoadedContent,
    /// Reports whose body only the pass's model holds: `serve` keeps each body once.
    bodies_in_model: HashSet<PathBuf>,
    /// The last pass: model, statistics, Markdown, templates, QR codes.
    pass: SitePass,
    /// Problems found loading config and content, kept per file: a rebuild
    /// of one report replaces only that report's.
    load_warnings: Vec<Diagnostic>,
    /// Problems found making the model (after the load's in `pass.warnings`).
    model_warnings: Vec<Diagnostic>,
    /// The site's shape and site-wide template data; when it changes, pages
    /// may show other reports than learned, so every page is rendered.
    shape: String,
    /// Which pages show which report.
    pages_of: PagesOf,
    /// Whether the search index in the output folder is the one of `pass`, so
    /// that the next edit may patch it (a failed pass leaves it unknown).
    index_current: bool,
}

impl State {
    /// What a full pass over the site now would warn about before writing:
    /// the load's, the model's and the site checks' findings, in that order.
    fn warnings(&self, findings: Vec<Diagnostic>) -> Diagnostics {
        let mut all = Diagnostics::default();
        all.extend(self.load_warnings.iter().cloned());
        all.extend(self.model_warnings.iter().cloned());
        all.extend(findings);
        all
    }

    /// The loaded content with every body, for making the model again.
    fn loaded_whole(&self) -> LoadedContent {
        let bodies: HashMap<&Path, &str> = self
            .pass
            .site
            .reports
            .iter()
            .map(|r| (r.file.as_path(), r.body.as_str()))
            .collect();
        let mut whole = self.loaded.clone();
        for source in &mut whole.reports {
            if self.bodies_in_model.contains(&source.file)
                && let Some(body) = bodies.get(source.file.as_path())
            {
                source.body = body.to_string();
            }
        }
        whole
    }

    /// Empties the loaded bodies the model holds too.
    fn drop_model_bodies(&mut self) {
        let in_model: HashSet<&Path> = self
            .pass
            .site
            .reports
            .iter()
            .map(|r| r.file.as_path())
            .collect();
        for source in &mut self.loaded.reports {
            if in_model.contains(source.file.as_path()) {
                source.body = String::new();
                self.bodies_in_model.insert(source.file.clone());
            }
        }
    }

    /// Takes the reports just read again in place of the ones loaded, with
    /// their load warnings in place of the old.
    fn take_fresh(&mut self, fresh: Vec<(usize, ReportSource)>) {
        for (f, source) in fresh {
            let file = source.file.clone();
            self.load_warnings
                .retain(|d| d.file.as_ref() != Some(&file));
            self.load_warnings.extend(content::no_text_warning(&source));
            self.bodies_in_model.remove(&file);
            self.loaded.reports[f] = source;
        }
    }
}

/// A site kept in memory, rebuilt into its own output folder.
pub struct Session {
    options: BuildOptions,
    out_dir: PathBuf,
    hashes: FileHashes,
    state: Option<State>,
}

impl Session {
    pub fn new(options: BuildOptions, out_dir: &Path) -> Session {
        Session {
            options,
            out_dir: out_dir.to_path_buf(),
            hashes: FileHashes::default(),
            state: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.options.root
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Reloads everything and renders every page.
    pub fn rebuild_all(&mut self) -> Result<RebuildSummary, Diagnostics> {
        let start = Instant::now();
        let (config, mut diagnostics) = pipeline::load_config(&self.options)?;
        let loaded = content::load(&self.options.root, &mut diagnostics);
        self.render_full(config, loaded, diagnostics.items, start)
    }

    /// Rebuilds after the files `changed` were saved (or created, or deleted).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<RebuildSummary, Diagnostics> {
        let start = Instant::now();
        let Some(edited) = self.edited_reports(changed) else {
            return self.rebuild_all();
        };
        let Some(state) = self.state.as_mut() else {
            return self.rebuild_all();
        };
        let mut fresh = Vec::with_capacity(edited.len());
        for &f in &edited {
            let file = &state.loaded.reports[f].file;
            fresh.push((f, content::load_report(&self.options.root, file)?));
        }
        let same_front_matter = fresh.iter().all(|(f, s)| {
            let old = &state.loaded.reports[*f];
            old.meta == s.meta && old.body_line == s.body_line
        });
        let files: Vec<PathBuf> = fresh.iter().map(|(_, s)| s.file.clone()).collect();
        let old_meta = front_matter_of(&state.pass.site, &files);
        state.take_fresh(fresh);
        if same_front_matter {
            // Only text changed: the model stays as it is, with the new bodies.
            for &f in &edited {
                let source = &mut state.loaded.reports[f];
                let site = &mut state.pass.site;
                if let Some(i) = site.reports.iter().position(|r| r.file == source.file) {
                    site.reports[i].body = std::mem::take(&mut source.body);
                    state.bodies_in_model.insert(source.file.clone());
                }
            }
            return self.render_pages_of(&files, old_meta, start);
        }
        let mut diagnostics = Diagnostics::default();
        let loaded = state.loaded_whole();
        let site = Self::model(&self.options, &state.config, loaded, &mut diagnostics)?;
        if site_shape(&site, &state.pass.renderer) != state.shape {
            let (config, loaded) = (state.config.clone(), state.loaded_whole());
            let warnings = state.load_warnings.clone();
            return self.render_full(config, loaded, warnings, start);
        }
        // Same reports in the same lists: report `i` of the new site is report `i` of the old.
        state.pass.site = site;
        state.model_warnings = diagnostics.items;
        state.drop_model_bodies();
        self.render_pages_of(&files, old_meta, start)
    }

    /// Positions in the loaded content of the reports among `changed`; `None` when
    /// anything else changed (a new, deleted or non-report file), which needs a full pass.
    fn edited_reports(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let state = self.state.as_ref()?;
        let content_dir = crate::layout::SiteLayout::new(&self.options.root).content();
        changed
            .iter()
            .map(|path| {
                let i = state.loaded.reports.iter().position(|r| &r.file == path)?;
                (path.is_file() && path.starts_with(&content_dir)).then_some(i)
            })
            .collect()
    }

    /// Renders only the pages that show the report `files` edited; `old_meta`
    /// is their front matter before the edit, for patching the search index.
    fn render_pages_of(
        &mut self,
        files: &[PathBuf],
        old_meta: HashMap<PathBuf, ReportMeta>,
        start: Instant,
    ) -> Result<RebuildSummary, Diagnostics> {
        let Session {
            state,
            hashes,
            out_dir,
            ..
        } = self;
        let Some(state) = state.as_mut() else {
            return Err(Diagnostic::error("nothing was built yet").into());
        };
        let patchable = std::mem::replace(&mut state.index_current, false);
        let (edited, old_rendered) = refresh_edited(&mut state.pass, files);
        let edits = patchable
            .then(|| search_edits(&state.pass.site, old_rendered, old_meta))
            .flatten();
        // The same checks as a full pass: statistics are compared across years.
        let findings = pipeline::site_checks(&state.pass.site, &state.pass.stats, Mode::Preview);
        let mut diagnostics = state.warnings(findings);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let only = state.pages_of.to_render(&state.pass.site, &edited);
        let before = state.pass.renderer.render_count();
        let recorder = DepRecorder::new();
        let out = InPlace::new(out_dir, std::mem::take(hashes))?;
        let previous = FolderIndex::new(out_dir);
        let search = edits.as_deref().map(|e| (&previous as &dyn IndexFiles, e));
        let result = write_pass(&state.pass, &out, Some(&only), &recorder, search);
        state.index_current = result.is_ok();
        if let Ok((links, _)) = &result {
            diagnostics.extend(links.iter().cloned());
        }
        let (files_written, new_hashes) = out.finish(false);
        *hashes = new_hashes;
        let pages_rendered = state.pass.renderer.render_count() - before;
        state.pages_of.learn(recorder.into_found());
        let (_, search) = result?;
        Ok(RebuildSummary {
            full: false,
            reports: state.pass.site.reports.len(),
            pages_rendered,
            files_written,
            elapsed: start.elapsed(),
            warnings: diagnostics,
            search,
        })
    }

    /// The site model of `loaded`; content errors stop the pass.
    fn model(
        options: &BuildOptions,
        config: &Config,
        loaded: LoadedContent,
        diagnostics: &mut Diagnostics,
    ) -> Result<Site, Diagnostics> {
        let site = pipeline::model(options, config.clone(), loaded, diagnostics);
        if diagnostics.has_errors() {
            return Err(std::mem::take(diagnostics));
        }
        Ok(site)
    }

    fn render_full(
        &mut self,
        config: Config,
        loaded: LoadedContent,
        load_warnings: Vec<Diagnostic>,
        start: Instant,
    ) -> Result<RebuildSummary, Diagnostics> {
        let warnings = Diagnostics {
            items: load_warnings.clone(),
        };
        let modelled = crate::model::ModelOptions {
            drafts: self.options.drafts,
        };
        let (kept, bodies_in_model) = without_model_bodies(&loaded, &modelled);
        let pass = {
            let reuse = reusable_markdown(self.state.as_ref());
            SitePass::from_loaded(
                &self.options,
                Mode::Preview,
                config.clone(),
                loaded,
                warnings,
                &reuse,
            )?
        };
        let recorder = DepRecorder::new();
        let out = InPlace::new(&self.out_dir, std::mem::take(&mut self.hashes))?;
        if let Some(state) = self.state.as_mut() {
            state.index_current = false;
        }
        let result = write_pass(&pass, &out, None, &recorder, None);
        // A failed pass must not prune: the folder keeps the last good site.
        let (files_written, hashes) = out.finish(result.is_ok());
        self.hashes = hashes;
        let mut diagnostics = pass.all_warnings();
        let (links, search) = result?;
        diagnostics.extend(links);
        let mut pages_of = PagesOf::new(pass.site.reports.len());
        pages_of.learn(recorder.into_found());
        let summary = RebuildSummary {
            full: true,
            reports: pass.site.reports.len(),
            pages_rendered: pass.renderer.render_count(),
            files_written,
            elapsed: start.elapsed(),
            warnings: diagnostics,
            search,
        };
        self.state = Some(State {
            shape: site_shape(&pass.site, &pass.renderer),
            model_warnings: pass.warnings.items[load_warnings.len()..].to_vec(),
            load_warnings,
            config,
            loaded: kept,
            bodies_in_model,
            pass,
            pages_of,
            index_current: true,
        });
        Ok(summary)
    }
}

/// A copy of `loaded` without the bodies of the reports the model will hold
/// (every one but the drafts left out), and those reports' files.
fn without_model_bodies(
    loaded: &LoadedContent,
    model: &crate::model::ModelOptions,
) -> (LoadedContent, HashSet<PathBuf>) {
    let mut in_model = HashSet::new();
    let reports = loaded
        .reports
        .iter()
        .map(|r| {
            let modelled = model.includes(&r.meta);
            if modelled {
                in_model.insert(r.file.clone());
            }
            ReportSource {
                file: r.file.clone(),
                dir: r.dir.clone(),
                stem: r.stem.clone(),
                meta: r.meta.clone(),
                body: if modelled {
                    String::new()
                } else {
                    r.body.clone()
                },
                body_line: r.body_line,
            }
        })
        .collect();
    let kept = LoadedContent {
        sections: loaded.sections.clone(),
        reports,
        assets: loaded.assets.clone(),
    };
    (kept, in_model)
}

/// Markdown of reports whose text, statistics and address did not change is
/// taken from the last pass, while links lead where they did.
fn reusable_markdown(
    state: Option<&State>,
) -> impl Fn(&Site, &SourcePaths, usize) -> Option<Rendered> + Sync + '_ {
    let previous: HashMap<&Path, (&Report, &Rendered)> = match state {
        Some(s) => s
            .pass
            .site
            .reports
            .iter()
            .zip(&s.pass.rendered)
            .map(|(r, m)| (r.file.as_path(), (r, m)))
            .collect(),
        None => HashMap::new(),
    };
    let same_links = std::sync::OnceLock::new();
    move |site: &Site, paths: &SourcePaths, i: usize| {
        let state = state?;
        let usable = *same_links.get_or_init(|| {
            pipeline::markdown_options(&state.pass.site) == pipeline::markdown_options(site)
                && &state.pass.paths == paths
        });
        let r = &site.reports[i];
        match previous.get(r.file.as_path()) {
            Some((old, m))
                if usable
                    && old.body == r.body
                    && old.url == r.url
                    && old.meta.disclosure_stats == r.meta.disclosure_stats =>
            {
                Some((*m).clone())
            }
            _ => None,
        }
    }
}

/// Reads again the statistics and Markdown of the reports in `files`; returns
/// their positions in the site and their Markdown as it was.
fn refresh_edited(pass: &mut SitePass, files: &[PathBuf]) -> (Vec<usize>, Vec<(usize, Rendered)>) {
    let options = pipeline::markdown_options(&pass.site);
    let edited: Vec<usize> = files
        .iter()
        .filter_map(|file| pass.site.reports.iter().position(|r| &r.file == file))
        .collect();
    for &i in &edited {
        pass.stats[i] = crate::disclosure::parse_report(&pass.site.reports[i]);
    }
    let mut old = Vec::with_capacity(edited.len());
    for &i in &edited {
        let new = pipeline::render_report(
            &pass.site.reports[i],
            pass.stats.get(i),
            &pass.paths,
            &options,
        );
        old.push((i, std::mem::replace(&mut pass.rendered[i], new)));
    }
    (edited, old)
}

/// The front matter of the reports in `files` as the site has it now.
fn front_matter_of(site: &Site, files: &[PathBuf]) -> HashMap<PathBuf, ReportMeta> {
    site.reports
        .iter()
        .filter(|r| files.contains(&r.file))
        .map(|r| (r.file.clone(), r.meta.clone()))
        .collect()
}

/// The edits the search index is patched for: each edited report's old
/// Markdown and front matter; `None` when one is not known.
fn search_edits(
    site: &Site,
    old_rendered: Vec<(usize, Rendered)>,
    mut old_meta: HashMap<PathBuf, ReportMeta>,
) -> Option<Vec<Edit>> {
    old_rendered
        .into_iter()
        .map(|(index, rendered)| {
            let meta = old_meta.remove(&site.reports[index].file)?;
            Some(Edit {
                index,
                meta,
                rendered,
            })
        })
        .collect()
}

/// Writes the pages of `pass` (with `only`, just those) and the search index
/// (patched for the edits `search` names, else built whole) into `out`;
/// returns the link warnings of what was written and what the index cost.
fn write_pass(
    pass: &SitePass,
    out: &InPlace,
    only: Option<&HashSet<String>>,
    recorder: &DepRecorder,
    search: Option<(&dyn IndexFiles, &[Edit])>,
) -> Result<(Vec<Diagnostic>, search::SearchStats), Diagnostics> {
    let ctx = BuildContext {
        only,
        deps: Some(recorder),
        ..BuildContext::full(
            &pass.site,
            &pass.rendered,
            &pass.renderer,
            out,
            &pass.qr,
            &pass.stats,
        )
    };
    // Only index files whose bytes changed are written.
    let stats = match search {
        None => pipeline::write_site(&ctx)?.1,
        Some((previous, edits)) => {
            let (pages, index) = rayon::join(
                || crate::pages::write_all(&ctx),
                || search::write_patched(&ctx, previous, edits),
            );
            pages?;
            index?
        }
    };
    let links = pipeline::link_warnings(&pass.site, &pass.rendered, out.paths());
    Ok((links, stats))
}
