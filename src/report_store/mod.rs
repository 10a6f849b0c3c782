//! Each report's rendered Markdown, kept between builds in
//! `.annals-cache/reports/` so that `annals build` after an edit renders only
//! the edited reports' bodies (`serve` keeps them in memory instead).
//!
//! An entry is filed under a key made of everything its HTML depends on
//! ([`key`]); it carries a hash of its payload and is used only when that
//! verifies, it decodes and it was made from the body loaded now. Anything
//! else is ignored and the report rendered again. After a successful build
//! the entries it did not use are removed; until then the last build's
//! entries stay readable, so [`ReportStore::previous`] can give the old text
//! of an edited report.

mod entry;
mod files;
pub mod key;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::build_cache::inputs::InputIndex;
use crate::content::ReportMeta;
use crate::diagnostics::Diagnostic;
use crate::links::SourcePaths;
use crate::markdown::{MarkdownOptions, Rendered};
use crate::model::Site;
use key::Hash;

/// The store as one build uses it.
pub struct ReportStore {
    root: PathBuf,
    dir: PathBuf,
    /// The hash of each report file's bytes as scanned for this build, by its
    /// path relative to the site folder.
    now: HashMap<String, String>,
    /// The same, as the last build's record has them.
    before: HashMap<String, String>,
    /// Set by the first look-up: the pass's link targets and options.
    context: OnceLock<Hash>,
    /// What each report of this pass is filed under, by its position.
    slots: Mutex<HashMap<usize, Slot>>,
}

struct Slot {
    key: Hash,
    digest: Hash,
    /// Taken from the store (so not written again).
    found: bool,
}

impl ReportStore {
    /// The store of the site at `root`, for a build whose inputs are `now`
    /// (and whose last build recorded `before`). `None` with a warning when its
    /// folder is a symbolic link.
    pub fn open(
        root: &Path,
        now: &InputIndex,
        before: Option<&InputIndex>,
    ) -> (Option<ReportStore>, Option<Diagnostic>) {
        let dir = crate::layout::SiteLayout::new(root).reports();
        if crate::site_files::is_link(&dir) {
            let warning =
                Diagnostic::warning(crate::i18n::tr("build.store-link", &[])).in_file(&dir);
            return (None, Some(warning));
        }
        let store = ReportStore {
            root: root.to_path_buf(),
            dir,
            now: markdown_hashes(now),
            before: before.map(markdown_hashes).unwrap_or_default(),
            context: OnceLock::new(),
            slots: Mutex::new(HashMap::new()),
        };
        (Some(store), None)
    }

    /// Report `i`'s rendering from the store, when an intact entry was made
    /// from the same file, options and link targets. Either way, notes what
    /// the report is filed under, for [`ReportStore::save_new`].
    pub fn reuse(
        &self,
        site: &Site,
        paths: &SourcePaths,
        options: &MarkdownOptions,
        i: usize,
    ) -> Option<Rendered> {
        let context = self.context.get_or_init(|| key::context(options, paths));
        let report = site.reports.get(i)?;
        let rel = self.relative(&report.file)?;
        let key = key::entry(context, &rel, self.now.get(&rel)?);
        let digest = key::digest(report);
        let found = files::read(&self.dir, &key).and_then(|b| entry::unseal(&b, &key, &digest));
        let slot = Slot {
            key,
            digest,
            found: found.is_some(),
        };
        self.lock_slots().insert(i, slot);
        found
    }

    /// Stores the renderings of the reports [`ReportStore::reuse`] did not
    /// find; returns how many were written. A store that cannot be written
    /// only costs the next build the time to render them again.
    pub fn save_new(&self, site: &Site, rendered: &[Rendered]) -> usize {
        let slots = self.lock_slots();
        let new: Vec<(&usize, &Slot)> = slots.iter().filter(|(_, s)| !s.found).collect();
        if new.is_empty() {
            return 0;
        }
        let Ok(dir) = files::prepare(&self.root) else {
            return 0;
        };
        // One at a time: the build writes its pages meanwhile.
        new.into_iter()
            .filter(|(i, slot)| {
                let (Some(r), Some(report)) = (rendered.get(**i), site.reports.get(**i)) else {
                    return false;
                };
                entry::seal(&slot.key, &slot.digest, r, &report.meta)
                    .is_some_and(|bytes| files::write(&dir, &slot.key, &bytes).is_ok())
            })
            .count()
    }

    /// The front matter and rendering of `file` (a report's path) the last
    /// build stored, when still there: what the search index holds of a
    /// report edited since. Found only while the link targets and options are
    /// those of this pass.
    pub fn previous(&self, file: &Path) -> Option<(ReportMeta, Rendered)> {
        let context = self.context.get()?;
        let rel = self.relative(file)?;
        let key = key::entry(context, &rel, self.before.get(&rel)?);
        entry::unseal_any(&files::read(&self.dir, &key)?, &key)
    }

    /// After a successful build: removes every entry this build did not use.
    pub fn sweep(&self) -> usize {
        let keep: HashSet<String> = self
            .lock_slots()
            .values()
            .map(|s| key::file_name(&s.key))
            .collect();
        files::sweep(&self.dir, &keep)
    }

    fn relative(&self, file: &Path) -> Option<String> {
        let rel = file.strip_prefix(&self.root).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    fn lock_slots(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The hashes of the Markdown files of an input index.
fn markdown_hashes(index: &InputIndex) -> HashMap<String, String> {
    index
        .files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".md"))
        .map(|(rel, f)| (rel.clone(), f.hash.clone()))
        .collect()
}
