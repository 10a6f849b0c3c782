//! Rule sets for reports of a category, as data: the built-in ones merged with
//! `[rules]` of `config.toml` and compiled once when the config is read. A leaf
//! module, so the config can keep them; `check::rules` applies them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// A rule set as written in `config.toml` or in a built-in rules file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetConfig {
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The `category:` of the reports the rules apply to.
    #[serde(default)]
    pub category: Option<String>,
    /// Publish by this month-day (`MM-DD`) of the year after the report year.
    #[serde(default)]
    pub deadline: Option<String>,
    /// The deadline of governments (a unit of `kind = "government"`), when
    /// different from `deadline`.
    #[serde(default)]
    pub government_deadline: Option<String>,
    /// Parts the report must contain, matched by heading text.
    #[serde(default)]
    pub parts: Option<Vec<RulePart>>,
    /// More headings that count as a part, by part name: added to the part's own.
    #[serde(default)]
    pub synonyms: Option<BTreeMap<String, Vec<String>>>,
    /// The first report year the rules apply to (the year they were mandated).
    #[serde(default)]
    pub from_year: Option<i32>,
    /// The last report year they apply to, for rules that later ones replaced:
    /// reports of those years are history, and a part they miss is a warning.
    #[serde(default)]
    pub until_year: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulePart {
    pub name: String,
    /// A regular expression matched against each heading's text.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Headings that name the part, as real reports word them (matched
    /// without numbering and punctuation, anywhere in the heading).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Words of which any one in a heading shows the part.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words that show the part when a paragraph begins with them (下一步，…).
    #[serde(default)]
    pub lead_words: Vec<String>,
    #[serde(default = "default_true")]
    pub required: bool,
}

fn default_true() -> bool {
    true
}

/// Built-in rule sets: (name, TOML text).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "法治政府建设年度报告",
        include_str!("check/rules/法治政府建设年度报告.toml"),
    ),
    (
        "政府信息公开工作年度报告",
        include_str!("check/rules/政府信息公开工作年度报告.toml"),
    ),
    (
        "政府信息公开工作年度报告（2008年条例）",
        include_str!("check/rules/政府信息公开工作年度报告（2008年条例）.toml"),
    ),
];

/// A rule set ready to apply.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub name: String,
    pub category: String,
    /// Month and day in the year after the report year.
    pub deadline: Option<(u32, u32)>,
    /// The same for governments, when it differs.
    pub government_deadline: Option<(u32, u32)>,
    pub parts: Vec<Part>,
    /// First and last report year the rules apply to, when limited.
    pub from_year: Option<i32>,
    pub until_year: Option<i32>,
}

impl RuleSet {
    /// Whether the rules were in force for reports of `year`.
    pub fn applies_to(&self, year: i32) -> bool {
        self.from_year.is_none_or(|from| year >= from)
            && self.until_year.is_none_or(|until| year <= until)
    }

    /// Rules later ones replaced: the reports they apply to are history, and
    /// what those miss cannot be fixed now (a warning, not an error).
    pub fn is_historic(&self) -> bool {
        self.until_year.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub pattern: Option<Regex>,
    /// Folded (see [`fold`]) so that numbering and punctuation do not matter.
    pub synonyms: Vec<String>,
    pub keywords: Vec<String>,
    pub lead_words: Vec<String>,
    pub required: bool,
}

impl Part {
    /// Whether a heading's text names this part.
    pub fn matches_heading(&self, heading: &str) -> bool {
        let folded = fold(heading);
        self.pattern.as_ref().is_some_and(|p| p.is_match(heading))
            || self.synonyms.iter().any(|s| folded.contains(s.as_str()))
            || self.keywords.iter().any(|k| heading.contains(k.as_str()))
    }

    /// Whether a paragraph begins with one of the part's lead words (下一步，…).
    pub fn matches_paragraph(&self, paragraph: &str) -> bool {
        let t = paragraph.trim_start().trim_start_matches(['*', '_', ' ']);
        self.lead_words.iter().any(|w| t.starts_with(w.as_str()))
    }
}

/// Heading text without its numbering (一、 （一） 1. 1、), punctuation and spaces.
pub fn fold(text: &str) -> String {
    const NUMERALS: &str = "一二三四五六七八九十";
    let t = text.trim();
    let t = t
        .strip_prefix(['（', '('])
        .and_then(|inner| {
            let after =
                inner.trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit());
            (after.len() < inner.len()).then(|| after.strip_prefix(['）', ')']))?
        })
        .or_else(|| {
            let after = t.trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit());
            (after.len() < t.len()).then(|| after.strip_prefix(['、', '.', '．']))?
        })
        .unwrap_or(t);
    t.chars()
        .filter(|c| !c.is_whitespace() && !"、，,。.．：:；;“”\"（）()！!".contains(*c))
        .collect()
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
        if own.government_deadline.is_some() {
            set.government_deadline = own.government_deadline.clone();
        }
        if own.parts.is_some() {
            set.parts = own.parts.clone();
        }
        if own.from_year.is_some() {
            set.from_year = own.from_year;
        }
        if own.until_year.is_some() {
            set.until_year = own.until_year;
        }
        // A site's synonyms extend the built-in ones.
        if let Some(more) = &own.synonyms {
            let all = set.synonyms.get_or_insert_with(BTreeMap::new);
            for (part, words) in more {
                all.entry(part.clone())
                    .or_default()
                    .extend(words.iter().cloned());
            }
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
        Diagnostic::error(tr("rules.no-category", &[("set", &name)]))
            .with_help(tr("rules.no-category-help", &[("set", &name)]))
    })?;
    let month_day = |key: &str, value: &Option<String>| match value {
        None => Ok(None),
        Some(text) => parse_month_day(text).map(Some).ok_or_else(|| {
            Diagnostic::error(tr(
                "rules.month-day",
                &[("key", &key), ("value", text), ("set", &name)],
            ))
            .with_help(tr("rules.month-day-help", &[("key", &key)]))
        }),
    };
    let deadline = month_day("deadline", &set.deadline)?;
    let government_deadline = month_day("government_deadline", &set.government_deadline)?;
    let mut extra = set.synonyms.unwrap_or_default();
    let parts = set
        .parts
        .unwrap_or_default()
        .into_iter()
        .map(|part| compile_part(&name, part, &mut extra))
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    if let Some(unknown) = extra.keys().next() {
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        return Err(Diagnostic::error(tr(
            "rules.synonyms-no-part",
            &[("set", &name), ("part", unknown)],
        ))
        .with_help(tr(
            "rules.synonyms-no-part-help",
            &[("parts", &names.join("; "))],
        )));
    }
    Ok(RuleSet {
        name,
        category,
        deadline,
        government_deadline,
        parts,
        from_year: set.from_year,
        until_year: set.until_year,
    })
}

/// One part, with the site's extra synonyms for it (taken out of `extra`).
fn compile_part(
    set: &str,
    part: RulePart,
    extra: &mut BTreeMap<String, Vec<String>>,
) -> Result<Part, Diagnostic> {
    let pattern = part
        .pattern
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|e| {
            Diagnostic::error(tr(
                "rules.bad-pattern",
                &[("part", &part.name), ("set", &set), ("error", &e)],
            ))
            .with_help(tr("rules.bad-pattern-help", &[]))
        })?;
    let mut synonyms = part.synonyms;
    // Extra synonyms name the part in full or by a part of its name (e.g. 不足).
    let keys: Vec<String> = extra
        .keys()
        .filter(|k| *k == &part.name || part.name.contains(k.as_str()))
        .cloned()
        .collect();
    for k in keys {
        synonyms.extend(extra.remove(&k).unwrap_or_default());
    }
    if pattern.is_none()
        && synonyms.is_empty()
        && part.keywords.is_empty()
        && part.lead_words.is_empty()
    {
        return Err(Diagnostic::error(tr(
            "rules.part-empty",
            &[("part", &part.name), ("set", &set)],
        ))
        .with_help(tr("rules.part-empty-help", &[])));
    }
    Ok(Part {
        name: part.name,
        pattern,
        synonyms: synonyms
            .iter()
            .map(|s| fold(s))
            .filter(|s| !s.is_empty())
            .collect(),
        keywords: part.keywords,
        lead_words: part.lead_words,
        required: part.required,
    })
}

fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 02-29 is accepted.
    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
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
        assert_eq!(
            names,
            [
                "政府信息公开工作年度报告",
                "政府信息公开工作年度报告（2008年条例）",
                "述职报告"
            ]
        );
        assert_eq!(sets[0].deadline, Some((3, 31)));
        assert_eq!(sets[0].parts.len(), 6);
    }

    #[test]
    fn disclosure_rules_know_the_year() {
        let sets = resolve(&BTreeMap::new()).unwrap();
        let applying = |year: i32| {
            sets.iter()
                .filter(|s| s.category == "政府信息公开工作年度报告" && s.applies_to(year))
                .map(|s| (s.name.as_str(), s.is_historic()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            applying(2014),
            [("政府信息公开工作年度报告（2008年条例）", true)]
        );
        assert_eq!(applying(2019), [("政府信息公开工作年度报告", false)]);
        assert!(applying(2005).is_empty());
        let fazhi = sets
            .iter()
            .find(|s| s.name == "法治政府建设年度报告")
            .unwrap();
        assert!(!fazhi.applies_to(2017) && fazhi.applies_to(2019));
    }

    #[test]
    fn headings_match_by_synonyms_without_numbering() {
        assert_eq!(fold("（二）存在的问题和不足。"), "存在的问题和不足");
        assert_eq!(fold("一、工作开展情况"), "工作开展情况");
        assert_eq!(fold("3.下一步工作计划："), "下一步工作计划");
        let sets = resolve(&BTreeMap::new()).unwrap();
        let fazhi = sets
            .iter()
            .find(|s| s.name == "法治政府建设年度报告")
            .unwrap();
        let found = |heading: &str| {
            fazhi
                .parts
                .iter()
                .filter(|p| p.matches_heading(heading))
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("二、短板弱项"), ["推进法治政府建设存在的不足和原因"]);
        assert_eq!(
            found("三、工作打算"),
            ["下一年度推进法治政府建设的主要安排"]
        );
        assert!(found("二、其他").is_empty());
        let next = fazhi
            .parts
            .iter()
            .find(|p| p.name.contains("主要安排"))
            .unwrap();
        assert!(next.matches_paragraph("下一步，我局将……"));
        assert!(!next.matches_paragraph("今年以来，我局……"));
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
