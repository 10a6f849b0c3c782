//! Rules for reports of a category: the parts they must contain (matched by
//! heading text: a pattern, synonyms as real reports word them, key words, or
//! the words a paragraph begins with) and the date they must be published by,
//! which may differ for governments and departments. The two annual reports
//! required by law have built-in rule sets; `config.toml` changes them, switches
//! them off or adds its own under `[rules."name"]`. Rules are data, not code.

use chrono::NaiveDate;

use crate::config::UnitKind;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::markdown::{Rendered, outline_candidates};
use crate::model::{Report, Unit};
pub use crate::rule_sets::{Part, RuleSet, fold, resolve};

/// The text of every heading of a report, or of its outline paragraphs when it has none.
pub fn heading_texts(report: &Report, rendered: &Rendered) -> Vec<String> {
    if rendered.toc.is_empty() {
        outline_candidates(&report.body)
            .into_iter()
            .map(|(_, text)| text)
            .collect()
    } else {
        rendered.toc.iter().map(|h| h.title.clone()).collect()
    }
}

/// Problems of one report with the rule sets that apply to its category.
/// `unit` gives the kind of body, for the deadline.
pub fn apply(
    sets: &[RuleSet],
    report: &Report,
    unit: &Unit,
    rendered: &Rendered,
) -> Vec<Diagnostic> {
    let Some(category) = &report.meta.category else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let headings = heading_texts(report, rendered);
    let has_headings = !rendered.toc.is_empty();
    // A missing part is reported where the text begins.
    let first_text = report
        .body
        .lines()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(0);
    let year = report.meta.year;
    for set in sets
        .iter()
        .filter(|s| &s.category == category && s.applies_to(year))
    {
        out.extend(missing_parts(
            set,
            report,
            &headings,
            has_headings,
            first_text,
        ));
        if let Some(d) = late(set, report, unit) {
            out.push(d);
        }
    }
    out
}

/// The required parts of `set` a report lacks: one message per part, or one
/// for all when the report has no headings (pasted text). A report under rules
/// later ones replaced is history: what it misses is told as a warning.
fn missing_parts(
    set: &RuleSet,
    report: &Report,
    headings: &[String],
    has_headings: bool,
    first_text: usize,
) -> Vec<Diagnostic> {
    let missing: Vec<&Part> = set
        .parts
        .iter()
        .filter(|p| p.required)
        .filter(|p| {
            !headings.iter().any(|h| p.matches_heading(h))
                && !report.body.lines().any(|l| p.matches_paragraph(l))
        })
        .collect();
    let finding = |message: String, help: String| {
        let (d, help) = if set.is_historic() {
            let until = set.until_year.unwrap_or(report.meta.year);
            let help = tr(
                "rules.historic-help",
                &[("set", &set.name), ("until", &until)],
            );
            (Diagnostic::warning(message), help)
        } else {
            (Diagnostic::error(message), help)
        };
        d.in_file(&report.file)
            .at_line(report.body_line + first_text)
            .with_help(help)
    };
    if !has_headings && !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|p| p.name.as_str()).collect();
        let parts = names.join(&tr("rules.parts-separator", &[]));
        return vec![finding(
            tr(
                "rules.no-headings",
                &[("set", &set.name), ("parts", &parts)],
            ),
            tr("rules.no-headings-help", &[]),
        )];
    }
    missing
        .iter()
        .map(|part| {
            finding(
                tr(
                    "rules.missing-part",
                    &[("set", &set.name), ("part", &part.name)],
                ),
                tr(
                    "rules.missing-part-help",
                    &[("part", &part.name), ("set", &set.name)],
                ),
            )
        })
        .collect()
}

/// A warning when the report was published after its deadline, which depends
/// on the kind of body (government or department).
fn late(set: &RuleSet, report: &Report, unit: &Unit) -> Option<Diagnostic> {
    let government = unit.kind == UnitKind::Government;
    let (month, day) = match set.government_deadline {
        Some(g) if government => g,
        _ => set.deadline?,
    };
    let deadline = NaiveDate::from_ymd_opt(report.meta.year + 1, month, day)?;
    if report.meta.date <= deadline {
        return None;
    }
    let late = (report.meta.date - deadline).num_days();
    let by_kind = set.government_deadline.is_some();
    let kind = match (by_kind, government) {
        (false, _) => String::new(),
        (true, true) => tr("rules.late-kind-government", &[]),
        (true, false) => tr("rules.late-kind-department", &[]),
    };
    // `kind` under [units] takes these values; they stay as written in config.toml.
    let (is, other) = if government {
        (tr("rules.unit-government", &[]), "department")
    } else {
        (tr("rules.unit-department", &[]), "government")
    };
    let why = match (by_kind, unit.details.kind.is_some()) {
        (false, _) => String::new(),
        (true, true) => tr(
            "rules.late-why-configured",
            &[("unit", &unit.name), ("kind", &is)],
        ),
        (true, false) => tr(
            "rules.late-why-guessed",
            &[("unit", &unit.name), ("kind", &is), ("other", &other)],
        ),
    };
    let mut d = Diagnostic::warning(tr(
        "rules.late",
        &[
            ("date", &report.meta.date),
            ("days", &late),
            ("kind", &kind),
            ("set", &set.name),
            ("year", &report.meta.year),
            ("deadline", &deadline),
            ("why", &why),
        ],
    ))
    .in_file(&report.file)
    .with_help(tr("rules.late-help", &[]));
    if let Some(line) = report.meta.line_of("date") {
        d = d.at_line(line);
    }
    Some(d)
}
