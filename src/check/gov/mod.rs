//! `annals check --gov`: the machine-checkable items a government website is
//! inspected on under the 政府网站发展指引 (国办发〔2017〕47号) and the 政府网站与
//! 政务新媒体检查指标 (国办秘函〔2019〕19号). Each message cites its clause; README
//! lists the rules with the indicator each serves. Broken links, anchors and
//! attachments are `check`'s own findings and are not repeated here.

pub mod columns;
pub mod contrast;
pub mod identifiers;
pub mod pages;

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;
use crate::pages::PageObserver;
use crate::render::theme::FileSource;
use pages::PageFacts;

/// Reads every page `check` renders as it is written, keeping what the rules
/// need of it (output path and [`PageFacts`]).
pub struct PageCollector {
    site_code: String,
    pages: Mutex<Vec<(String, PageFacts)>>,
}

impl PageObserver for PageCollector {
    fn record(&self, rel: &str, html: &str) {
        if !rel.ends_with(".html") {
            return;
        }
        let facts = pages::facts(html, &self.site_code);
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), facts));
    }
}

impl PageCollector {
    pub fn new(config: &Config) -> PageCollector {
        PageCollector {
            site_code: config.owner.site_code.trim().to_string(),
            pages: Mutex::default(),
        }
    }

    /// The pages recorded so far, leaving none.
    pub fn take(&self) -> Vec<(String, PageFacts)> {
        std::mem::take(&mut *self.pages.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Every `--gov` finding of a site whose pages were rendered into `pages`;
/// `statics` are the theme's and site's static files (stylesheets, images).
pub fn check(
    site: &Site,
    pages: &[(String, PageFacts)],
    statics: &[(String, FileSource)],
    root: &Path,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = site_findings(site, &site.config, statics, root, today);
    out.extend(pages::check(site, pages));
    out
}

/// [`check`] as of today (the local date).
pub fn check_now(
    site: &Site,
    pages: &[(String, PageFacts)],
    statics: &[(String, FileSource)],
    root: &Path,
) -> Vec<Diagnostic> {
    check(
        site,
        pages,
        statics,
        root,
        chrono::Local::now().date_naive(),
    )
}

/// Whether a site published at `base_url` is a government site, whose preview
/// (`serve`) shows the `--gov` findings too.
pub fn applies(base_url: &str) -> bool {
    identifiers::is_gov_host(crate::render::gov_meta::site_domain(base_url))
}

/// The rules read from the configuration, the model and the stylesheets (not
/// from pages). `published` is the configuration as written (`serve` renders
/// the site for its own address).
pub fn site_findings(
    site: &Site,
    published: &Config,
    statics: &[(String, FileSource)],
    root: &Path,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let config_file = root.join(crate::config::CONFIG_FILE);
    let mut out = identifiers::check(published, &config_file);
    out.extend(badge_file(published, statics, &config_file));
    out.extend(columns::empty(site));
    out.extend(columns::stale(site, today, &config_file));
    out.extend(stylesheet_contrast(statics));
    out
}

/// The 党政机关网站标识 image must be a file the site publishes.
fn badge_file(
    config: &Config,
    statics: &[(String, FileSource)],
    config_file: &Path,
) -> Option<Diagnostic> {
    let badge = config.owner.gov_badge.trim();
    let rel = badge.strip_prefix('/')?;
    if statics.iter().any(|(path, _)| path == rel) {
        return None;
    }
    Some(
        Diagnostic::error(tr("gov.badge-not-found", &[("path", &badge)]))
            .in_file(config_file)
            .with_help(tr("gov.badge-not-found-help", &[("path", &rel)])),
    )
}

/// Contrast of the colours of every stylesheet that defines them.
fn stylesheet_contrast(statics: &[(String, FileSource)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, source) in statics.iter().filter(|(p, _)| p.ends_with(".css")) {
        let Ok(bytes) = source.read() else { continue };
        for p in contrast::problems(&String::from_utf8_lossy(&bytes)) {
            let mode = if p.high_contrast_mode {
                tr("gov.mode-high-contrast", &[])
            } else {
                tr("gov.mode-normal", &[])
            };
            out.push(
                Diagnostic::error(tr(
                    "gov.low-contrast",
                    &[
                        ("file", &path),
                        ("fg", &p.foreground),
                        ("bg", &p.background),
                        ("ratio", &p.ratio),
                        ("min", &p.minimum),
                        ("mode", &mode),
                    ],
                ))
                .with_help(tr("gov.low-contrast-help", &[])),
            );
        }
    }
    out
}
