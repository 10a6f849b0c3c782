//! What depends on what, shared by `serve` (in memory) and `build` (in the
//! build cache on disk): which pages show which report, and the site's shape
//! and site-wide template data, while which those stay trusted.
//!
//! Which pages show a report is said by the page writers themselves: each one
//! names the reports whose data it put in the page's template data (a report
//! page its own and its neighbours', a list page the reports it lists), and a
//! [`DepRecorder`] notes it as the page is written. No page's HTML is read.

use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;

use crate::model::{Site, output_path};
use crate::render::Renderer;
use crate::render::views::SiteView;

/// Notes, for every rendered page, which reports it shows.
#[derive(Default)]
pub struct DepRecorder {
    found: Mutex<Vec<(String, Vec<usize>)>>,
}

impl crate::pages::DepObserver for DepRecorder {
    fn shows(&self, rel: &str, reports: &[usize]) {
        self.record(rel, reports);
    }
}

impl DepRecorder {
    pub fn new() -> DepRecorder {
        DepRecorder::default()
    }

    /// Records that the page at output path `rel` shows `reports`.
    pub fn record(&self, rel: &str, reports: &[usize]) {
        if reports.is_empty() {
            // Nothing to learn: no edit of a report ever needs this page.
            return;
        }
        let mut reports = reports.to_vec();
        reports.sort_unstable();
        reports.dedup();
        self.found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), reports));
    }

    /// Every page recorded that shows a report: its output path and the reports.
    pub fn into_found(self) -> Vec<(String, Vec<usize>)> {
        self.found.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// The site-wide template data as JSON; when it changes every page changes.
pub fn site_view_json(site: &Site, renderer: &Renderer) -> String {
    serde_json::to_string(&SiteView::new(site, &renderer.locale)).unwrap_or_default()
}

/// A fingerprint of the site's shape: which reports, at which addresses, in
/// which lists. Equal fingerprints mean report `i` of one site stands where
/// report `i` of the other does, so pages learned to show it still do. `serve`
/// compares two sites in memory by it, `build` a site with the last build's.
pub fn shape_fingerprint(site: &Site) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    let mut put = |part: String| {
        // Length first, so two parts can never run into each other.
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    };
    put(format!(
        "{:?}",
        (
            site.reports.len(),
            site.sections.len(),
            site.years.len(),
            site.units.len(),
            site.categories.len(),
            site.tags.len(),
            site.assets.len(),
            site.aliases.len(),
        )
    ));
    for x in &site.reports {
        put(format!(
            "{:?}",
            (
                &x.file,
                &x.url,
                x.section,
                x.year_index,
                x.unit,
                x.category,
                &x.tags,
                x.prev,
                x.next,
                &x.meta.aliases,
                x.attachments.len(),
            )
        ));
    }
    for s in &site.sections {
        put(format!("{:?}", s.reports));
    }
    for u in &site.units {
        put(format!("{:?}", (&u.name, &u.reports)));
    }
    for y in &site.years {
        put(format!("{:?}", y.reports));
    }
    for t in site.categories.iter().chain(&site.tags) {
        put(format!("{:?}", (&t.name, &t.reports)));
    }
    hasher.finalize()
}

/// The one memory of which pages show which report, kept by `serve` in memory
/// and by the build cache on disk: report index → output paths of the pages
/// that show it. Trusted while the site keeps its [`site_shape`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PagesOf {
    pages: Vec<BTreeSet<String>>,
}

impl PagesOf {
    /// Nothing known yet about a site of `reports` reports.
    pub fn new(reports: usize) -> PagesOf {
        PagesOf {
            pages: vec![BTreeSet::new(); reports],
        }
    }

    /// How many reports it knows about.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Adds what a [`DepRecorder`] saw: each rendered page and the reports it shows.
    pub fn learn(&mut self, found: Vec<(String, Vec<usize>)>) {
        for (rel, reports) in found {
            for r in reports {
                if let Some(pages) = self.pages.get_mut(r) {
                    pages.insert(rel.clone());
                }
            }
        }
    }

    /// The pages to render again when the reports `edited` (indices in `site`)
    /// changed but the site kept its shape: each one's own page and every page
    /// known to show it.
    pub fn to_render(&self, site: &Site, edited: &[usize]) -> HashSet<String> {
        let mut only = HashSet::new();
        for &i in edited {
            only.insert(output_path(&site.reports[i].url));
            only.extend(self.pages.get(i).into_iter().flatten().cloned());
        }
        only
    }
}

/// The site's shape and site-wide template data in one hash: while it stays
/// the same, a report edit changes only the pages that show that report.
/// `serve` compares two passes by it, `build` a pass with the last record.
pub fn site_shape(site: &Site, renderer: &Renderer) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(shape_fingerprint(site).as_bytes());
    hasher.update(site_view_json(site, renderer).as_bytes());
    hasher.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::DepObserver;

    #[test]
    fn the_recorder_keeps_what_writers_say_and_pages_of_learns_it() {
        let recorder = DepRecorder::new();
        let observer: &dyn DepObserver = &recorder;
        observer.shows("index.html", &[2, 0, 2]);
        observer.shows("404.html", &[]);
        observer.shows("2023/b/index.html", &[1, 0]);
        observer.shows("atom.xml", &[7]);
        let found = recorder.into_found();
        assert_eq!(
            found,
            vec![
                ("index.html".to_string(), vec![0, 2]),
                ("2023/b/index.html".to_string(), vec![0, 1]),
                ("atom.xml".to_string(), vec![7]),
            ],
            "sorted, without repeats, and pages that show no report left out"
        );
        let mut pages_of = PagesOf::new(3);
        pages_of.learn(found);
        let names = |i: usize| pages_of.pages[i].iter().cloned().collect::<Vec<_>>();
        assert_eq!(names(0), ["2023/b/index.html", "index.html"]);
        assert_eq!(names(1), ["2023/b/index.html"]);
        assert_eq!(names(2), ["index.html"]);
        // Report 7 is not one of the site's: nothing to note, nothing panics.
        assert_eq!(pages_of.len(), 3);
    }
}
