//! Rules for reports of a category: the parts they must contain (matched by
//! heading text) and the date they must be published by. The two annual reports
//! required by law have built-in rule sets; `config.toml` changes them, switches
//! them off or adds its own under `[rules."name"]`. Rules are data, not code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex::Regex;

use crate::config::{RulePart, RuleSetConfig};
use crate::diagnostics::Diagnostic;
use crate::markdown::{Rendered, outline_candidates};
use crate::model::Report;

/// Built-in rule sets: (name, TOML text).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "法治政府建设年度报告",
        include_str!("rules/法治政府建设年度报告.toml"),
    ),
    (
        "政府信息公开工作年度报告",
        include_str!("rules/政府信息公开工作年度报告.toml"),
    ),
];

/// A rule set ready to apply.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub name: String,
    pub category: String,
    /// Month and day in the year after the report year.
    pub deadline: Option<(u32, u32)>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub pattern: Regex,
    pub required: bool,
}

fn built_in() -> Vec<(String, RuleSetConfig)> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            // The files are part of the binary and covered by tests.
            let set: RuleSetConfig = toml::from_str(text).unwrap_or_default();
            (name.to_string(), set)
        })
        .collect()
}

/// The built-in rule sets merged with those of `config.toml`.
pub fn resolve(config: &BTreeMap<String, RuleSetConfig>) -> Result<Vec<RuleSet>, Diagnostic> {
    let mut merged: BTreeMap<String, RuleSetConfig> = built_in().into_iter().collect();
    for (name, own) in config {
        let set = merged.entry(name.clone()).or_default();
        if own.enabled.is_some() {
            set.enabled = own.enabled;
        }
        if own.category.is_some() {
            set.category = own.category.clone();
        }
        if own.deadline.is_some() {
            set.deadline = own.deadline.clone();
        }
        if own.parts.is_some() {
            set.parts = own.parts.clone();
        }
    }
    merged
        .into_iter()
        .filter(|(_, set)| set.enabled != Some(false))
        .map(|(name, set)| compile(name, set))
        .collect()
}

fn compile(name: String, set: RuleSetConfig) -> Result<RuleSet, Diagnostic> {
    let category = set.category.ok_or_else(|| {
        Diagnostic::error(format!("rule set `{name}` has no `category`"))
            .with_help(format!("write the category of the reports it applies to under [rules.\"{name}\"], e.g. category = \"{name}\""))
    })?;
    let deadline = match &set.deadline {
        None => None,
        Some(text) => Some(parse_month_day(text).ok_or_else(|| {
            Diagnostic::error(format!(
                "deadline `{text}` of rule set `{name}` is not a month-day"
            ))
            .with_help(
                "write it as MM-DD, e.g. deadline = \"04-01\" for 1 April of the following year",
            )
        })?),
    };
    let parts = set
        .parts
        .unwrap_or_default()
        .into_iter()
        .map(|RulePart { name: part, pattern, required }| {
            let regex = Regex::new(&pattern).map_err(|e| {
                Diagnostic::error(format!(
                    "pattern of part `{part}` in rule set `{name}` is not a valid regular expression: {e}"
                ))
                .with_help("write a regular expression matched against heading text, e.g. pattern = \"不足.{0,8}原因\"")
            })?;
            Ok(Part {
                name: part,
                pattern: regex,
                required,
            })
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    Ok(RuleSet {
        name,
        category,
        deadline,
        parts,
    })
}

fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
}

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
pub fn apply(sets: &[RuleSet], report: &Report, rendered: &Rendered) -> Vec<Diagnostic> {
    let Some(category) = &report.meta.category else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let headings = heading_texts(report, rendered);
    // A missing part is reported where the text begins.
    let first_text = report
        .body
        .lines()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(0);
    for set in sets.iter().filter(|s| &s.category == category) {
        for part in set.parts.iter().filter(|p| p.required) {
            if !headings.iter().any(|h| part.pattern.is_match(h)) {
                out.push(
                    Diagnostic::error(format!(
                        "a {} must contain the part 「{}」; no heading matches it",
                        set.name, part.name
                    ))
                    .in_file(&report.file)
                    .at_line(report.body_line + first_text)
                    .with_help(format!(
                        "add a heading for it (e.g. `## {}`), or change the rule under [rules.\"{}\"] in config.toml",
                        part.name, set.name
                    )),
                );
            }
        }
        if let Some((month, day)) = set.deadline
            && let Some(deadline) = NaiveDate::from_ymd_opt(report.meta.year + 1, month, day)
            && report.meta.date > deadline
        {
            let late = (report.meta.date - deadline).num_days();
            let mut d = Diagnostic::warning(format!(
                "published {} ({late} days late): a {} for {} is due by {}",
                report.meta.date, set.name, report.meta.year, deadline
            ))
            .in_file(&report.file)
            .with_help("check the date (发布时间) and the report year (`year:`); a late report is still published");
            if let Some(line) = report.meta.line_of("date") {
                d = d.at_line(line);
            }
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_sets_parse_and_compile() {
        for (name, text) in BUILT_IN {
            let set: RuleSetConfig = toml::from_str(text).expect(name);
            let compiled = compile(name.to_string(), set).expect(name);
            assert!(compiled.parts.iter().filter(|p| p.required).count() >= 4);
            assert!(compiled.deadline.is_some());
        }
    }

    #[test]
    fn config_switches_off_changes_and_adds() {
        let config: BTreeMap<String, RuleSetConfig> = toml::from_str(
            r#"
            ["法治政府建设年度报告"]
            enabled = false
            ["政府信息公开工作年度报告"]
            deadline = "03-31"
            ["述职报告"]
            category = "述职报告"
            parts = [{ name = "履职情况", pattern = "履职" }]
            "#,
        )
        .unwrap();
        let sets = resolve(&config).unwrap();
        let names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["政府信息公开工作年度报告", "述职报告"]);
        assert_eq!(sets[0].deadline, Some((3, 31)));
        assert_eq!(sets[0].parts.len(), 6);
    }

    #[test]
    fn bad_rules_are_errors() {
        let bad: BTreeMap<String, RuleSetConfig> =
            toml::from_str("[x]\nparts = [{ name = \"a\", pattern = \"(\" }]\ncategory = \"x\"\n")
                .unwrap();
        assert!(resolve(&bad).is_err());
        let no_category: BTreeMap<String, RuleSetConfig> =
            toml::from_str("[x]\ndeadline = \"02-30\"\n").unwrap();
        assert!(resolve(&no_category).is_err());
    }
}
