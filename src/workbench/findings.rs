//! Check: the findings of `annals check`, grouped by report, each with its fix
//! and a link to the form field it concerns.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{Value, context};
use serde::Serialize;

use super::state::Workbench;
use super::{files, views};
use crate::check::{CheckOptions, run};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::http_server::Response;
use crate::i18n::tr;

#[derive(Serialize, Clone)]
pub struct Finding {
    pub error: bool,
    pub message: String,
    pub help: String,
    pub place: String,
    /// Link to the field in the edit form, when the file is a report.
    pub link: String,
}

/// Findings per file (relative to the site folder), and those of no file.
pub type Grouped = BTreeMap<String, Vec<Finding>>;

/// Runs the same checks as `annals check` (drafts included).
pub fn collect(wb: &Workbench) -> Grouped {
    let options = CheckOptions {
        build: wb.build_options(),
        ..CheckOptions::default()
    };
    let diagnostics: Diagnostics = match run(&options) {
        Ok(outcome) => outcome.diagnostics,
        Err(errors) => errors,
    };
    let mut grouped = Grouped::new();
    for d in diagnostics.sorted() {
        let (key, finding) = finding(wb, d);
        grouped.entry(key).or_default().push(finding);
    }
    grouped
}

fn finding(wb: &Workbench, d: &Diagnostic) -> (String, Finding) {
    let file = d.file.as_ref().map(|f| {
        if f.is_absolute() {
            f.clone()
        } else {
            wb.root.join(f)
        }
    });
    let key = file
        .as_ref()
        .map(|f| {
            f.strip_prefix(&wb.root)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .unwrap_or_default();
    let place = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{key}:{l}:{c}"),
        (Some(l), None) => format!("{key}:{l}"),
        _ => key.clone(),
    };
    let link = file
        .as_deref()
        .filter(|f| key.starts_with("content/") && f.extension().is_some_and(|e| e == "md"))
        .map(|f| edit_link(&wb.root, f, d.line))
        .unwrap_or_default();
    let finding = Finding {
        error: d.is_error(),
        message: d.message.clone(),
        help: d.help.clone().unwrap_or_default(),
        place,
        link,
    };
    (key, finding)
}

/// The edit form, at the field that holds `line` of the file.
fn edit_link(root: &Path, file: &Path, line: Option<usize>) -> String {
    let rel = files::content_rel(root, file);
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let anchor = line.map_or("field-title".to_string(), |l| field_at(&text, l));
    format!(
        "{}edit{}#{anchor}",
        super::state::PREFIX,
        views::query(&[("file", &rel)])
    )
}

/// The form field of a line: the front matter key it belongs to, else the body.
fn field_at(text: &str, line: usize) -> String {
    let mut key = String::new();
    for (i, l) in text.lines().enumerate().skip(1) {
        if l.trim_end() == "---" {
            break;
        }
        if !l.starts_with([' ', '\t', '#', '-'])
            && let Some((k, _)) = l.split_once(':')
        {
            key = k.trim().to_string();
        }
        if i + 1 == line {
            return match key.as_str() {
                "disclosure_stats" => "stats".into(),
                "title" | "date" | "source" | "category" | "tags" | "draft" | "attachments" => {
                    format!("field-{key}")
                }
                _ => "field-body".into(),
            };
        }
    }
    "field-body".into()
}

/// `GET /_annals/check`
pub fn page(wb: &Workbench) -> Response {
    let grouped = collect(wb);
    let errors: usize = grouped.values().flatten().filter(|f| f.error).count();
    let warnings: usize = grouped.values().flatten().filter(|f| !f.error).count();
    let summary = tr(
        "wb.check-summary",
        &[("errors", &errors), ("warnings", &warnings)],
    );
    let groups: Vec<(String, Vec<Finding>)> = grouped.into_iter().collect();
    views::page(
        "check.html",
        &tr("wb.nav-check", &[]),
        "check",
        context! { groups => Value::from(minijinja::value::Serde(&groups)), summary },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lead_to_their_field() {
        let text =
            "---\ntitle: a\nsource: b\ndisclosure_stats:\n  申请:\n    本年新收: {}\n---\nbody\n";
        assert_eq!(field_at(text, 2), "field-title");
        assert_eq!(field_at(text, 3), "field-source");
        assert_eq!(field_at(text, 6), "stats");
        assert_eq!(field_at(text, 8), "field-body");
    }
}
