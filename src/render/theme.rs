//! Themes: the embedded default `gov`, another theme from `<site>/themes/<name>/`,
//! and the site's own `templates/` and `static/` over them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use crate::site_files::SiteBounds;

static GOV: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/gov");

pub const DEFAULT_THEME: &str = "gov";

/// Where a theme or site file comes from.
#[derive(Debug, Clone)]
pub enum FileSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl FileSource {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            FileSource::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            FileSource::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }

    pub fn describe(&self, name: &str) -> PathBuf {
        match self {
            FileSource::Embedded(_) => PathBuf::from(format!("<theme gov>/{name}")),
            FileSource::Disk(p) => p.clone(),
        }
    }
}

/// All files a build takes from themes and the site folder, later layers winning.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    /// Template name (e.g. `report.html`) → source.
    pub templates: BTreeMap<String, FileSource>,
    /// Output path (e.g. `static/gov.css`) → source.
    pub statics: BTreeMap<String, FileSource>,
    /// Locale name (e.g. `zh-CN`) → source.
    pub locales: BTreeMap<String, FileSource>,
}

impl ThemeFiles {
    /// Every problem is reported, not only the first: three links out of the
    /// site in `static/` are three errors in one run.
    pub fn load(root: &Path, theme: &str) -> Result<ThemeFiles, Diagnostics> {
        let mut files = ThemeFiles::default();
        files.add_embedded(&GOV);
        let bounds = Bounds {
            site: SiteBounds::new(root),
            problems: std::cell::RefCell::new(Diagnostics::default()),
        };
        if theme != DEFAULT_THEME {
            check_theme_name(root, theme)?;
            let dir = root.join(crate::layout::THEMES_DIR).join(theme);
            if !dir.is_dir() {
                return Err(
                    Diagnostic::error(tr("theme.not-found", &[("theme", &theme)]))
                        .in_file(root.join(crate::layout::CONFIG_FILE))
                        .with_help(tr("theme.not-found-help", &[("dir", &dir.display())]))
                        .into(),
                );
            }
            files.add_disk(&dir, &bounds)?;
        }
        files.add_layer(
            &root.join(crate::layout::TEMPLATES_DIR),
            Layer::Templates,
            &bounds,
        )?;
        files.add_layer(
            &root.join(crate::layout::STATIC_DIR),
            Layer::Static,
            &bounds,
        )?;
        let problems = bounds.problems.into_inner();
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(files)
    }

    /// Every file of the embedded default theme, path and bytes (the build cache
    /// fingerprints them: a new binary with another theme invalidates every page).
    pub fn embedded() -> Vec<(String, &'static [u8])> {
        fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
            for file in dir.files() {
                out.push((file.path().to_string_lossy().into_owned(), file.contents()));
            }
            for sub in dir.dirs() {
                walk(sub, out);
            }
        }
        let mut out = Vec::new();
        walk(&GOV, &mut out);
        out.sort();
        out
    }

    fn add_embedded(&mut self, dir: &'static Dir<'static>) {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            let source = FileSource::Embedded(file.contents());
            if let Some(name) = path.strip_prefix("templates/") {
                self.templates.insert(name.to_string(), source);
            } else if let Some(name) = path.strip_prefix("static/") {
                self.statics.insert(format!("static/{name}"), source);
            } else if let Some(name) = path.strip_prefix("locales/")
                && let Some(lang) = name.strip_suffix(".toml")
            {
                self.locales.insert(lang.to_string(), source);
            }
        }
        for sub in dir.dirs() {
            self.add_embedded(sub);
        }
    }

    fn add_disk(&mut self, theme_dir: &Path, bounds: &Bounds) -> Result<(), Diagnostic> {
        self.add_layer(
            &theme_dir.join(crate::layout::TEMPLATES_DIR),
            Layer::Templates,
            bounds,
        )?;
        self.add_layer(
            &theme_dir.join(crate::layout::STATIC_DIR),
            Layer::ThemeStatic,
            bounds,
        )?;
        self.add_layer(&theme_dir.join("locales"), Layer::Locales, bounds)
    }

    fn add_layer(&mut self, dir: &Path, layer: Layer, bounds: &Bounds) -> Result<(), Diagnostic> {
        if !dir.is_dir() {
            return Ok(());
        }
        // The folder itself (or a theme folder above it) may be a link.
        bounds.site.check(dir)?;
        let mut walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = entry.map_err(|e| {
                Diagnostic::error(tr("files.cannot-read-any", &[("error", &e)]))
                    .in_file(e.path().unwrap_or(dir))
            })?;
            // Files under a followed folder link lie under its checked target.
            if entry.depth() > 0
                && entry.path_is_symlink()
                && let Err(d) = bounds.site.check(entry.path())
            {
                bounds.problems.borrow_mut().push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            if rel.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            let source = FileSource::Disk(entry.path().to_path_buf());
            match layer {
                Layer::Templates => {
                    self.templates.insert(rel, source);
                }
                // The site's static/ lands at the output root, like Zola's.
                Layer::Static => {
                    self.statics.insert(rel, source);
                }
                Layer::ThemeStatic => {
                    self.statics.insert(format!("static/{rel}"), source);
                }
                Layer::Locales => {
                    if let Some(lang) = rel.strip_suffix(".toml") {
                        self.locales.insert(lang.to_string(), source);
                    }
                }
            }
        }
        Ok(())
    }
}

/// A theme is a folder name under `themes/`, never a path: `/abs` or `../x`
/// would load templates and files from anywhere on the machine.
fn check_theme_name(root: &Path, theme: &str) -> Result<(), Diagnostic> {
    let plain = !theme.is_empty()
        && !theme.starts_with('.')
        && !theme.contains(['/', '\\', ':'])
        && Path::new(theme).components().count() == 1;
    if plain {
        return Ok(());
    }
    let config = root.join(crate::layout::CONFIG_FILE);
    let mut d = Diagnostic::error(tr("theme.bad-name", &[("theme", &theme)]))
        .in_file(&config)
        .with_help(tr("theme.bad-name-help", &[]));

    if let Ok(text) = std::fs::read_to_string(&config)
        && let Some(line) = text.lines().position(|l| {
            l.trim_start()
                .strip_prefix("theme")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    {
        d = d.at_line(line + 1).with_source(&text);
    }
    Err(d)
}

/// The site folder's bounds, and the links found leading out of it so far.
struct Bounds {
    site: SiteBounds,
    problems: std::cell::RefCell<Diagnostics>,
}

enum Layer {
    Templates,
    Static,
    ThemeStatic,
    Locales,
}
