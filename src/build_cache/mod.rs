//! Builds that remember: `.annals-cache/build/` keeps what the last successful
//! `annals build` was made from (a hash of every input, the options, the annals
//! version and its embedded theme), what it wrote (the output's file list), the
//! shape of its site and which pages show which report (as the page writers
//! said while writing them, see `page_deps`). The next build then
//!
//! - writes nothing when no input changed and the output is the one recorded;
//! - re-renders only the edited reports' pages and the pages that show them
//!   when only report files changed and the site kept its shape (the same
//!   decision `serve` takes in memory), keeping every other page;
//! - renders everything otherwise.
//!
//! The record is trusted only when it parses and was written by this very
//! annals for the same options; anything else is a warning and a full build.

pub mod inputs;
pub mod output_stamp;
pub mod stat;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::build_options::BuildOptions;
use crate::diagnostics::Diagnostic;
use inputs::InputIndex;
pub use output_stamp::OutputStamp;

/// Bumped whenever the record's meaning changes (3: which pages show a report
/// comes from the page writers, feeds and the catalogue included).
const FORMAT: u32 = 3;
/// A record is a few hundred bytes per output file; one larger than this is no
/// record of ours (a link to `/dev/zero`, say) and is not read.
const RECORD_MAX_BYTES: u64 = 1 << 30;
/// The record's first line: this, then the BLAKE3 of the JSON that follows.
/// A record edited by hand (a dependency list emptied, say) no longer matches
/// its hash and is not trusted.
const RECORD_HEADER: &str = "annals-build-record ";

/// What one successful build was made from and what it wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub format: u32,
    /// annals' version and a hash of its embedded theme.
    pub annals: String,
    /// The build options that change the output.
    pub options: String,
    pub inputs: InputIndex,
    pub output: OutputStamp,
    /// The site's shape and site-wide template data (see `incremental`).
    pub shape: String,
    /// Report files in site order, then which pages show each.
    pub reports: Vec<PathBuf>,
    pub pages_of: crate::page_deps::PagesOf,
    /// The warnings of that build, repeated when it is not redone.
    pub warnings: Vec<Diagnostic>,
    pub summary: CountsRecord,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsRecord {
    pub reports: usize,
    pub pages: usize,
    pub files: usize,
}

/// annals' version and its embedded theme: another binary's pages are not ours.
pub fn annals_fingerprint() -> String {
    let mut hasher = blake3::Hasher::new();
    for (path, bytes) in crate::render::theme::ThemeFiles::embedded() {
        hasher.update(&(path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    format!(
        "{} {} theme {}",
        env!("CARGO_PKG_VERSION"),
        FORMAT,
        hasher.finalize().to_hex()
    )
}

/// The options that change what a build writes or says.
pub fn options_fingerprint(options: &BuildOptions) -> String {
    let output = std::path::absolute(options.output_dir()).unwrap_or_else(|_| options.output_dir());
    format!(
        "{:?}",
        (
            &options.base_url,
            options.drafts,
            options.pdf,
            output,
            // The largest file the loader accepts, and the language of messages.
            std::env::var(crate::content::source::MAX_FILE_ENV).ok(),
            crate::i18n::current(),
        )
    )
}

/// Where the record of the site's builds into its output folder is kept: one
/// record per output folder, so building one site into two places (a preview
/// and the published copy, say) keeps both.
pub fn record_path(options: &BuildOptions) -> PathBuf {
    let output = std::path::absolute(options.output_dir()).unwrap_or_else(|_| options.output_dir());
    let key = blake3::hash(output.to_string_lossy().as_bytes()).to_hex();
    build_dir(&options.root).join(format!("{}.json", &key[..16]))
}

fn build_dir(root: &Path) -> PathBuf {
    crate::layout::SiteLayout::new(root).build_records()
}

/// A cache folder that is a symbolic link is never read nor written through.
fn linked_away(root: &Path) -> bool {
    let layout = crate::layout::SiteLayout::new(root);
    crate::site_files::is_link(&layout.cache())
        || crate::site_files::is_link(&layout.build_records())
}

/// The last build's record, if there is one this build may trust; a record
/// that is damaged or from elsewhere is a warning.
pub fn load(options: &BuildOptions) -> (Option<Record>, Option<Diagnostic>) {
    let path = record_path(options);
    let ignored = |key: &str| Diagnostic::warning(crate::i18n::tr(key, &[])).in_file(&path);
    let bytes = match crate::cache_dir::read_cache_file(&path, RECORD_MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, None),
        Err(_) => return (None, Some(ignored("build.cache-damaged"))),
    };
    let Some(record) = unseal(&bytes) else {
        return (None, Some(ignored("build.cache-damaged")));
    };
    if record.format != FORMAT || record.annals != annals_fingerprint() {
        return (None, Some(ignored("build.cache-foreign")));
    }
    if record.options != options_fingerprint(options) {
        return (None, Some(ignored("build.cache-options")));
    }
    (Some(record), None)
}

/// Writes the record through a temporary file and a rename, so a build killed
/// half-way leaves the previous record whole.
pub fn save(options: &BuildOptions, record: &Record) -> std::io::Result<()> {
    let root = &options.root;
    let dir = build_dir(root);
    crate::cache_dir::ensure_cache_subdir(&crate::layout::SiteLayout::new(root).cache(), &dir)?;
    let sealed = seal(record)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    std::io::Write::write_all(&mut tmp, &sealed)?;
    tmp.persist(record_path(options)).map_err(|e| e.error)?;
    forget_oldest(&dir);
    Ok(())
}

/// The record as stored: its header line with the hash of the JSON, then the JSON.
fn seal(record: &Record) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec(record).map_err(std::io::Error::other)?;
    let mut sealed = format!("{RECORD_HEADER}{}\n", blake3::hash(&json).to_hex()).into_bytes();
    sealed.extend(json);
    Ok(sealed)
}

/// The record in `bytes`, when its hash matches and it parses.
fn unseal(bytes: &[u8]) -> Option<Record> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (head, json) = (&bytes[..newline], &bytes[newline + 1..]);
    let hash = std::str::from_utf8(head)
        .ok()?
        .strip_prefix(RECORD_HEADER)?;
    if hash != blake3::hash(json).to_hex().as_str() {
        return None;
    }
    serde_json::from_slice(json).ok()
}

/// Records kept per site: one for each output folder built recently (published
/// copy, previews). Each build into a new folder (`--output` into a temporary
/// one, say) leaves a record, so without a bound they would pile up.
const RECORDS_KEPT: usize = 8;

/// Deletes all but the `RECORDS_KEPT` most recently written records.
fn forget_oldest(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut records: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    records.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (_, path) in records.into_iter().skip(RECORDS_KEPT) {
        let _ = std::fs::remove_file(path);
    }
}

/// Forgets the record (a build that does not keep one must not leave an old one
/// that describes another output).
pub fn forget(options: &BuildOptions) {
    if !linked_away(&options.root) {
        let _ = std::fs::remove_file(record_path(options));
    }
}

/// What the last build's record says this build has to do.
#[derive(Debug)]
pub enum Plan {
    /// No record to trust: render everything.
    Full,
    /// No input changed and the output is as recorded: write nothing.
    Unchanged(Box<Record>),
    /// Only these report files (relative to the site) changed: if the site keeps
    /// its shape, only the pages that show them are rendered.
    Reports(Box<Record>, Vec<PathBuf>),
}

/// Decides, from the record and the scanned inputs, what this build must do.
pub fn plan(
    options: &BuildOptions,
    record: Option<Record>,
    inputs: &InputIndex,
    output_dir: &Path,
) -> Plan {
    let Some(record) = record else {
        return Plan::Full;
    };
    if !record.output.holds(output_dir) {
        return Plan::Full;
    }
    let changed = inputs::changed(&record.inputs, inputs);
    if changed.is_empty() {
        return Plan::Unchanged(Box::new(record));
    }
    let content = format!("{}/", crate::layout::CONTENT_DIR);
    let reports: Option<Vec<PathBuf>> = changed
        .iter()
        .map(|rel| {
            let path = options.root.join(rel);
            let is_report = rel.starts_with(&content)
                && rel.ends_with(".md")
                && !rel.ends_with("/_index.md")
                && record.reports.contains(&path);
            is_report.then_some(path)
        })
        .collect();
    match reports {
        Some(reports) => Plan::Reports(Box::new(record), reports),
        None => Plan::Full,
    }
}

pub use crate::page_deps::site_shape;

/// What a committed build tells the cache to record.
pub struct BuildDone<'a> {
    pub site: &'a crate::model::Site,
    pub shape: String,
    /// Which reports each rendered page shows.
    pub found: Vec<(String, Vec<usize>)>,
    /// Only the pages an edit touched were rendered.
    pub partial: bool,
    pub warnings: &'a [Diagnostic],
    pub counts: CountsRecord,
    /// The output folder, swapped in.
    pub output: &'a Path,
    /// The hash of every file the build wrote from memory.
    pub hashes: &'a std::collections::HashMap<String, String>,
}

/// The cache's part in one `annals build`.
pub struct CacheRun {
    /// The inputs as scanned at the start; `None` when the cache is not used
    /// (`--no-cache`, `--pdf`) or the inputs could not be read whole.
    inputs: Option<InputIndex>,
    plan: Plan,
    /// Why the last build's record was not trusted.
    pub warning: Option<Diagnostic>,
}

/// The pages an incremental pass renders, and what the output must hold after it.
pub struct Partial<'a> {
    pub only: std::collections::HashSet<String>,
    /// Positions of the edited reports in the site.
    pub edited: Vec<usize>,
    pub expected: &'a BTreeMap<String, output_stamp::OutputFile>,
}

impl CacheRun {
    pub fn start(options: &BuildOptions) -> CacheRun {
        let off = |warning| CacheRun {
            inputs: None,
            plan: Plan::Full,
            warning,
        };
        if options.pdf {
            // PDF builds are always whole; the record would describe another output.
            forget(options);
            return off(None);
        }
        if !options.use_cache {
            return off(None);
        }
        if linked_away(&options.root) {
            let warning = Diagnostic::warning(crate::i18n::tr("build.cache-link", &[]))
                .in_file(crate::layout::SiteLayout::new(&options.root).cache());
            return off(Some(warning));
        }
        let (record, warning) = load(options);
        let Some(inputs) = inputs::scan(&options.root, record.as_ref().map(|r| &r.inputs)) else {
            forget(options);
            return off(warning);
        };
        let plan = plan(options, record, &inputs, &options.output_dir());
        CacheRun {
            inputs: Some(inputs),
            plan,
            warning,
        }
    }

    /// Whether pages should be watched for the reports they show.
    pub fn enabled(&self) -> bool {
        self.inputs.is_some()
    }

    /// The inputs as scanned for this build, when the cache is used.
    pub fn inputs(&self) -> Option<&InputIndex> {
        self.inputs.as_ref()
    }

    /// The report files edited since the last build, when only reports
    /// changed (the reports whose old text a partial pass may need).
    pub fn edited_reports(&self) -> &[PathBuf] {
        match &self.plan {
            Plan::Reports(_, edited) => edited,
            _ => &[],
        }
    }

    /// The inputs of the last build, when its record is trusted.
    pub fn recorded_inputs(&self) -> Option<&InputIndex> {
        match &self.plan {
            Plan::Full => None,
            Plan::Unchanged(record) | Plan::Reports(record, _) => Some(&record.inputs),
        }
    }

    /// The last build's summary, when nothing changed since.
    pub fn unchanged(&self) -> Option<(&CountsRecord, &[Diagnostic])> {
        match &self.plan {
            Plan::Unchanged(record) => Some((&record.summary, &record.warnings)),
            _ => None,
        }
    }

    /// The pages to render when only reports changed and the site kept its
    /// shape: each edited report's own page and every page recorded to show it.
    pub fn partial(&self, site: &crate::model::Site, shape: &str) -> Option<Partial<'_>> {
        let Plan::Reports(record, edited) = &self.plan else {
            return None;
        };
        let same_reports = record.reports.len() == site.reports.len()
            && record
                .reports
                .iter()
                .zip(&site.reports)
                .all(|(a, b)| a == &b.file);
        if record.shape != shape || !same_reports || record.pages_of.len() != site.reports.len() {
            return None;
        }
        let edited: Vec<usize> = (0..site.reports.len())
            .filter(|&i| edited.contains(&site.reports[i].file))
            .collect();
        Some(Partial {
            only: record.pages_of.to_render(site, &edited),
            expected: &record.output.files,
            edited,
        })
    }

    /// Records the build just committed. `done.found` is what pages were
    /// seen to show which report; a partial pass adds to the last record's.
    pub fn finish(self, options: &BuildOptions, done: BuildDone) -> Option<Diagnostic> {
        let BuildDone {
            site,
            shape,
            found,
            partial,
            warnings,
            counts: summary,
            output,
            hashes: written,
        } = done;
        let inputs = self.inputs?;
        let mut pages_of = match (&self.plan, partial) {
            (Plan::Reports(record, _), true) => record.pages_of.clone(),
            _ => crate::page_deps::PagesOf::new(site.reports.len()),
        };
        pages_of.learn(found);
        let previous = match (&self.plan, partial) {
            (Plan::Reports(record, _), true) => Some(&record.output),
            _ => None,
        };
        let Some(stamp) = OutputStamp::take(output, written, previous) else {
            forget(options);
            return None;
        };
        let record = Record {
            format: FORMAT,
            annals: annals_fingerprint(),
            options: options_fingerprint(options),
            inputs,
            output: stamp,
            shape,
            reports: site.reports.iter().map(|r| r.file.clone()).collect(),
            pages_of,
            warnings: warnings.to_vec(),
            summary,
        };
        save(options, &record).err().map(|e| {
            forget(options);
            Diagnostic::warning(crate::i18n::tr("build.cache-not-saved", &[("error", &e)]))
                .in_file(record_path(options))
        })
    }
}
