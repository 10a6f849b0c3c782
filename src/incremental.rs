//! Rebuilds for `serve`: the site stays in memory between saves, and an edited
//! report re-renders only the pages that show it.
//!
//! Which pages show a report is learned from the pages themselves: every page
//! that lists, links or embeds a report contains its address, so while pages are
//! rendered their HTML is scanned for report addresses. An edit that leaves the
//! site's shape alone (the same reports in the same lists, the same site-wide
//! navigation) re-renders just those pages; anything else re-renders everything,
//! and in both cases only files whose bytes changed are written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, LoadedContent};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::disclosure::ReportStats;
use crate::links::SourcePaths;
use crate::markdown::Rendered;
use crate::model::{Report, Site, output_path};
use crate::output::{FileHashes, InPlace, Sink};
use crate::page_deps::{DepRecorder, ReportAddresses, shape_fingerprint, site_view_json};
use crate::pages::BuildContext;
use crate::pipeline::{self, BuildOptions, Mode};
use crate::render::Renderer;

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
}

struct State {
    config: Config,
    loaded: LoadedContent,
    site: Site,
    /// Disclosure statistics of each report, read once per change.
    stats: Vec<ReportStats>,
    /// Where relative links of bodies lead; the Markdown of a report is reused
    /// only while these stay the same.
    paths: SourcePaths,
    rendered: Vec<Rendered>,
    renderer: Renderer,
    /// QR codes of the reports' addresses; they change only with the site's shape.
    qr: crate::qr::ReportCodes,
    /// The site-wide template data; when it changes every page changes.
    site_view: String,
    /// Report index → output paths of the pages that show it.
    pages_of: Vec<HashSet<String>>,
    /// Unchanged while the site keeps its shape.
    addresses: Arc<ReportAddresses>,
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
        self.render_full(config, loaded, diagnostics, start)
    }

    /// Rebuilds after the files `changed` were saved (or created, or deleted).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<RebuildSummary, Diagnostics> {
        let start = Instant::now();
        let Some(edited) = self.edited_reports(changed) else {
            return self.rebuild_all();
        };
        let mut diagnostics = Diagnostics::default();
        let mut fresh = Vec::with_capacity(edited.len());
        for &f in &edited {
            let Some(state) = &self.state else {
                return self.rebuild_all();
            };
            let file = state.loaded.reports[f].file.clone();
            let source = content::load_report(&self.options.root, &file)?;
            diagnostics.extend(content::no_text_warning(&source));
            fresh.push((f, source));
        }
        let Some(state) = self.state.as_mut() else {
            return self.rebuild_all();
        };
        let same_front_matter = fresh.iter().all(|(f, s)| {
            let old = &state.loaded.reports[*f];
            old.meta == s.meta && old.body_line == s.body_line
        });
        if same_front_matter {
            // Only text changed: the model stays as it is, with the new bodies.
            let mut in_site = Vec::with_capacity(fresh.len());
            for (f, source) in fresh {
                if let Some(i) = state
                    .site
                    .reports
                    .iter()
                    .position(|r| r.file == source.file)
                {
                    state.site.reports[i].body = source.body.clone();
                    in_site.push(i);
                }
                state.loaded.reports[f] = source;
            }
            return self.render_pages_of(&in_site, diagnostics, start);
        }
        let mut loaded = state.loaded.clone();
        for (f, source) in fresh {
            loaded.reports[f] = source;
        }
        let config = state.config.clone();
        let site = Self::model(&self.options, &config, &loaded, &mut diagnostics)?;
        let site_view = site_view_json(&site, &state.renderer);
        if site_view != state.site_view || !same_shape(&state.site, &site) {
            return self.render_full(config, loaded, diagnostics, start);
        }
        // Same reports in the same lists: report `i` of the new site is report `i` of the old.
        let in_site: Vec<usize> = edited
            .iter()
            .filter_map(|&f| {
                let file = &loaded.reports[f].file;
                site.reports.iter().position(|r| &r.file == file)
            })
            .collect();
        state.site = site;
        state.loaded = loaded;
        self.render_pages_of(&in_site, diagnostics, start)
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

    /// Renders only the pages that show the reports `edited` (indices in the site).
    fn render_pages_of(
        &mut self,
        edited: &[usize],
        diagnostics: Diagnostics,
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
        let mut diagnostics = diagnostics;
        let options = pipeline::markdown_options(&state.site);
        for &i in edited {
            state.stats[i] = crate::disclosure::parse_report(&state.site.reports[i]);
        }
        // The same checks as a full pass: statistics are compared across years.
        diagnostics.extend(crate::disclosure::check_parsed(&state.site, &state.stats));
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut only: HashSet<String> = HashSet::new();
        for &i in edited {
            state.rendered[i] = pipeline::render_report(
                &state.site.reports[i],
                state.stats.get(i),
                &state.paths,
                &options,
            );
            only.insert(output_path(&state.site.reports[i].url));
            only.extend(state.pages_of[i].iter().cloned());
        }
        let before = state.renderer.render_count();
        let recorder = DepRecorder::new(Arc::clone(&state.addresses));
        let out = InPlace::new(out_dir, std::mem::take(hashes))?;
        let result = {
            let ctx = BuildContext {
                only: Some(&only),
                deps: Some(&recorder),
                ..BuildContext::full(
                    &state.site,
                    &state.rendered,
                    &state.renderer,
                    &out,
                    &state.qr,
                    &state.stats,
                )
            };
            // The search index is rebuilt from the rendered Markdown in memory;
            // only shards whose bytes changed are written.
            pipeline::write_site(&ctx).map(|(pages, _)| pages)
        };
        if result.is_ok() {
            diagnostics.extend(pipeline::link_warnings(
                &state.site,
                &state.rendered,
                out.paths(),
            ));
        }
        let (files_written, new_hashes) = out.finish(false);
        *hashes = new_hashes;
        let pages_rendered = state.renderer.render_count() - before;
        for (rel, reports) in recorder.into_found() {
            for r in reports {
                state.pages_of[r].insert(rel.clone());
            }
        }
        result?;
        Ok(RebuildSummary {
            full: false,
            reports: state.site.reports.len(),
            pages_rendered,
            files_written,
            elapsed: start.elapsed(),
            warnings: diagnostics,
        })
    }

    /// The site model of `loaded`; content errors stop the pass.
    fn model(
        options: &BuildOptions,
        config: &Config,
        loaded: &LoadedContent,
        diagnostics: &mut Diagnostics,
    ) -> Result<Site, Diagnostics> {
        let site = pipeline::model(options, config.clone(), loaded.clone(), diagnostics);
        if diagnostics.has_errors() {
            return Err(std::mem::take(diagnostics));
        }
        Ok(site)
    }

    fn render_full(
        &mut self,
        config: Config,
        loaded: LoadedContent,
        mut diagnostics: Diagnostics,
        start: Instant,
    ) -> Result<RebuildSummary, Diagnostics> {
        let site = Self::model(&self.options, &config, &loaded, &mut diagnostics)?;
        let (stats, found) = pipeline::check_model(&site, Mode::Preview);
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let renderer = pipeline::renderer_for(&site)?;
        let paths = SourcePaths::new(&site);
        let rendered = self.reuse_markdown(&site, &stats, &paths);
        let qr = pipeline::qr_codes(&site, &renderer)?;
        let addresses = Arc::new(ReportAddresses::new(&site));
        let recorder = DepRecorder::new(Arc::clone(&addresses));
        let out = InPlace::new(&self.out_dir, std::mem::take(&mut self.hashes))?;
        let result = {
            let ctx = BuildContext {
                deps: Some(&recorder),
                ..BuildContext::full(&site, &rendered, &renderer, &out, &qr, &stats)
            };
            pipeline::write_site(&ctx).map(|(pages, _)| pages)
        };
        if result.is_ok() {
            diagnostics.extend(pipeline::link_warnings(&site, &rendered, out.paths()));
        }
        // A failed pass must not prune: the folder keeps the last good site.
        let (files_written, hashes) = out.finish(result.is_ok());
        self.hashes = hashes;
        result?;
        let mut pages_of = vec![HashSet::new(); site.reports.len()];
        for (rel, reports) in recorder.into_found() {
            for r in reports {
                pages_of[r].insert(rel.clone());
            }
        }
        let summary = RebuildSummary {
            full: true,
            reports: site.reports.len(),
            pages_rendered: renderer.render_count(),
            files_written,
            elapsed: start.elapsed(),
            warnings: diagnostics,
        };
        self.state = Some(State {
            site_view: site_view_json(&site, &renderer),
            config,
            loaded,
            site,
            stats,
            paths,
            rendered,
            renderer,
            qr,
            pages_of,
            addresses,
        });
        Ok(summary)
    }

    /// Markdown of reports whose text, statistics and address did not change is
    /// taken from the last pass, while links lead where they did.
    fn reuse_markdown(
        &self,
        site: &Site,
        stats: &[ReportStats],
        paths: &SourcePaths,
    ) -> Vec<Rendered> {
        let options = pipeline::markdown_options(site);
        let previous: HashMap<&Path, (&Report, &Rendered)> = match &self.state {
            Some(s) if pipeline::markdown_options(&s.site) == options && &s.paths == paths => s
                .site
                .reports
                .iter()
                .zip(&s.rendered)
                .map(|(r, m)| (r.file.as_path(), (r, m)))
                .collect(),
            _ => HashMap::new(),
        };
        site.reports
            .par_iter()
            .enumerate()
            .map(|(i, r)| match previous.get(r.file.as_path()) {
                Some((old, m))
                    if old.body == r.body
                        && old.url == r.url
                        && old.meta.disclosure_stats == r.meta.disclosure_stats =>
                {
                    (*m).clone()
                }
                _ => pipeline::render_report(r, stats.get(i), paths, &options),
            })
            .collect()
    }
}

/// Whether two sites have the same reports at the same addresses in the same lists.
fn same_shape(a: &Site, b: &Site) -> bool {
    shape_fingerprint(a) == shape_fingerprint(b)
}
