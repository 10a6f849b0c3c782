//! Text that `annals init` and `annals new` write as a placeholder, still
//! there when `check` runs: the site is not ready to publish.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

/// The body placeholder of `annals new` (see `scaffold::report_text`).
pub const BODY: &str = "在此填写正文";
/// The `source:` `annals import` writes when a document names no issuing
/// unit: an error in `check` until the editor fills in the real one.
pub const SOURCE: &str = "待填写：发布单位";
/// Placeholders of `annals init`'s config.toml, by key.
const CONFIG: &[(&str, &str)] = &[("site_code", "0000000000"), ("phone", "0000-00000000")];

pub fn warnings(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let config_file = root.join(crate::layout::CONFIG_FILE);
    let text = std::fs::read_to_string(&config_file).unwrap_or_default();
    let owner = &site.config.owner;
    for (key, placeholder) in CONFIG {
        let value = match *key {
            "site_code" => &owner.site_code,
            _ => &owner.phone,
        };
        if value == placeholder {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with(key) && l.contains(placeholder))
                .map_or(1, |i| i + 1);
            out.push(
                Diagnostic::warning(tr(
                    "check.placeholder-config",
                    &[("key", key), ("value", placeholder)],
                ))
                .in_file(&config_file)
                .at_line(line)
                .with_source(&text)
                .with_help(tr("check.placeholder-config-help", &[("key", key)])),
            );
        }
    }
    for r in &site.reports {
        if r.meta.source == SOURCE {
            let text = std::fs::read_to_string(&r.file).unwrap_or_default();
            out.push(
                Diagnostic::error(tr("check.placeholder-source", &[("text", &SOURCE)]))
                    .in_file(&r.file)
                    .at_line(r.meta.line_of("source").unwrap_or(1))
                    .with_source(&text)
                    .with_help(tr("check.placeholder-source-help", &[])),
            );
        }
        if let Some(i) = r.body.lines().position(|l| l.contains(BODY)) {
            out.push(
                Diagnostic::warning(tr("check.placeholder-body", &[("text", &BODY)]))
                    .in_file(&r.file)
                    .at_line(r.body_line + i)
                    .with_help(tr("check.placeholder-body-help", &[])),
            );
        }
    }
    out
}
