//! Render stage: one template environment per build, pages rendered from plain
//! serializable views.

pub mod escape;
pub mod gov_meta;
pub mod theme;
pub mod views;

use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use theme::{FileSource, ThemeFiles};

pub struct Renderer {
    env: Environment<'static>,
    /// Every user-visible string of the theme, in the site's language.
    pub locale: Value,
    pub statics: Vec<(String, FileSource)>,
    /// Pages rendered so far, so rebuilds can say honestly how much they did.
    renders: std::sync::atomic::AtomicUsize,
    /// Where each template came from, so render errors name the real file.
    template_files: std::collections::HashMap<String, std::path::PathBuf>,
}

impl Renderer {
    pub fn new(root: &Path, theme: &str, language: &str) -> Result<Renderer, Diagnostics> {
        let files = ThemeFiles::load(root, theme)?;
        let mut diagnostics = Diagnostics::default();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
                AutoEscape::Html
            } else if name.ends_with(".json") {
                AutoEscape::Json
            } else {
                AutoEscape::None
            }
        });
        // `& < > " '` only: addresses keep their `/` (see `escape`).
        env.set_formatter(escape::html_formatter);
        env.add_filter("escape", escape::escape_filter);
        env.add_filter("e", escape::escape_filter);
        env.add_filter("cn_date", cn_date);
        env.add_filter("human_size", human_size);
        // A title with `<wbr>` between its words, for print titles that break
        // only between words (with `word-break: keep-all`).
        env.add_filter("word_breaks", |s: String| {
            Value::from_safe_string(crate::word_breaks::html(&s))
        });
        env.add_filter("digits", |s: String| {
            s.chars().filter(char::is_ascii_digit).collect::<String>()
        });
        for (name, source) in &files.templates {
            let text = match source.read() {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error(tr("render.cannot-read-template", &[("error", &e)]))
                            .in_file(source.describe(name)),
                    );
                    continue;
                }
            };
            if let Err(e) = env.add_template_owned(name.clone(), text.clone()) {
                diagnostics.push(template_error(&e, source.describe(name), Some(&text)));
            }
        }
        let locale = match load_locale(&files, language) {
            Ok(v) => v,
            Err(d) => {
                diagnostics.push(d);
                Value::UNDEFINED
            }
        };
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let template_files = files
            .templates
            .iter()
            .map(|(name, source)| (name.clone(), source.describe(name)))
            .collect();
        Ok(Renderer {
            env,
            locale,
            statics: files.statics.into_iter().collect(),
            renders: Default::default(),
            template_files,
        })
    }

    /// Makes the site-wide view available to every template as `site`.
    pub fn set_site(&mut self, site: Value) {
        self.env.add_global("site", site);
        self.env.add_global("t", self.locale.clone());
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.env.get_template(name).is_ok()
    }

    /// How many times `render` ran.
    pub fn render_count(&self) -> usize {
        self.renders.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Diagnostic> {
        self.renders
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let template = self.env.get_template(name).map_err(|e| {
            Diagnostic::error(tr(
                "render.template-missing",
                &[("name", &name), ("error", &e)],
            ))
        })?;
        template.render(ctx).map_err(|e| {
            let failed = e.name().unwrap_or(name);
            let file = self
                .template_files
                .get(failed)
                .cloned()
                .unwrap_or_else(|| std::path::PathBuf::from(failed));
            template_error(&e, file, None)
        })
    }
}

fn template_error(
    e: &minijinja::Error,
    file: std::path::PathBuf,
    text: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::error(tr(
        "render.template-error",
        &[
            ("kind", &e.kind()),
            (
                "detail",
                &e.detail().map(|d| format!(": {d}")).unwrap_or_default(),
            ),
        ],
    ))
    .in_file(file)
    .with_help(tr("render.template-error-help", &[]));
    if let Some(line) = e.line() {
        d = d.at_line(line);
        if let Some(text) = text {
            d = d.with_source(text);
        }
    }
    d
}

fn load_locale(files: &ThemeFiles, language: &str) -> Result<Value, Diagnostic> {
    let base = files
        .locales
        .get(language)
        .or_else(|| {
            files
                .locales
                .get(language.split('-').next().unwrap_or(language))
        })
        .ok_or_else(|| {
            Diagnostic::error(tr("render.no-locale", &[("language", &language)])).with_help(tr(
                "render.no-locale-help",
                &[(
                    "languages",
                    &files.locales.keys().cloned().collect::<Vec<_>>().join(", "),
                )],
            ))
        })?;
    let text = base
        .read()
        .map_err(|e| Diagnostic::error(tr("render.cannot-read-locale", &[("error", &e)])))?;
    let text = String::from_utf8_lossy(&text);
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        Diagnostic::error(tr("render.locale-toml", &[("detail", &e.message())]))
            .in_file(base.describe(language))
    })?;
    Ok(to_value(&table))
}

/// `2023-03-30` → `2023年3月30日`: as GB/T 9704 writes dates, without leading zeros.
fn cn_date(value: String) -> String {
    let parts: Vec<&str> = value.split('-').collect();
    // The day of an RFC 3339 timestamp is followed by `T…`; any text may reach
    // a filter from a site template, so cut by characters, never by bytes.
    let number = |s: &str| {
        s.parse::<u32>()
            .map_or_else(|_| s.to_string(), |n| n.to_string())
    };
    match parts.as_slice() {
        [y, m, d] => {
            let day: String = d.chars().take(2).collect();
            format!("{y}年{}月{}日", number(m), number(&day))
        }
        _ => value,
    }
}

/// Bytes as a short human size, e.g. `1.2 MB`.
pub fn human_size(bytes: u64) -> String {
    humansize::format_size(
        bytes,
        humansize::DECIMAL.decimal_places(1).decimal_zeroes(0),
    )
}

/// Any serializable view as a template value.
pub fn to_value<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}
