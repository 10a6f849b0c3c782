//! Front matter of reports and sections: what editors may write, and the
//! checks that turn it into trusted metadata.

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};

use super::frontmatter::{self, Scalar, Split};
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// Report front matter exactly as written; every key is optional here so that
/// all missing keys are reported together.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReportFront {
    title: Option<String>,
    date: Option<Scalar>,
    source: Option<String>,
    year: Option<Scalar>,
    summary: Option<String>,
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    index_no: Option<Scalar>,
    doc_no: Option<String>,
    updated: Option<Scalar>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    weight: Option<i64>,
    #[serde(default)]
    attachments: Vec<AttachmentSpec>,
    #[serde(default)]
    related: Vec<LinkSpec>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    extra: serde_json::Value,
    disclosure_stats: Option<serde_json::Value>,
}

/// An attachment (相关文档): a file beside the report or an external URL.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSpec {
    pub title: String,
    pub file: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub title: String,
    pub url: String,
}

/// Checked report metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    pub title: String,
    /// Publish date (发布时间).
    pub date: NaiveDate,
    /// Full RFC 3339 timestamp when one was given.
    pub date_time: Option<String>,
    /// Issuing unit (来源).
    pub source: String,
    /// Report year: the year reported on, not the publish year.
    pub year: i32,
    pub summary: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
    pub updated: Option<NaiveDate>,
    pub slug: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub attachments: Vec<AttachmentSpec>,
    pub related: Vec<LinkSpec>,
    pub aliases: Vec<String>,
    pub extra: serde_json::Value,
    pub disclosure_stats: Option<serde_json::Value>,
    /// Line of each key in the file, for later messages (attachments, aliases).
    pub key_lines: Vec<(String, usize)>,
}

impl ReportMeta {
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| *l)
    }
}

/// Section front matter from `_index.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Order among sibling sections in the navigation; lower first.
    #[serde(default)]
    pub weight: i64,
    /// Hide from the main navigation.
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub extra: serde_json::Value,
}

impl SectionMeta {
    pub fn untitled(dir: &str) -> SectionMeta {
        SectionMeta {
            title: dir.rsplit('/').next().unwrap_or(dir).to_string(),
            ..SectionMeta::default()
        }
    }
}

pub fn parse_section(text: &str, dir: &str) -> Result<SectionMeta, Diagnostic> {
    let split = frontmatter::split(text)?;
    let mut meta: SectionMeta = frontmatter::parse(&split, text)?;
    if meta.title.trim().is_empty() {
        meta.title = SectionMeta::untitled(dir).title;
    }
    Ok(meta)
}

/// Parses a report file's text into checked metadata, body and body start line.
pub fn parse_report(text: &str) -> Result<(ReportMeta, &str, usize), Diagnostic> {
    let split = frontmatter::split(text)?;
    let raw: RawReportFront = frontmatter::parse(&split, text)?;
    let meta = check(raw, &split, text)?;
    Ok((meta, split.body, split.body_line))
}

fn check(raw: RawReportFront, split: &Split<'_>, text: &str) -> Result<ReportMeta, Diagnostic> {
    let at = |key: &str, d: Diagnostic| -> Diagnostic {
        match frontmatter::key_line(split, key) {
            Some(line) => d.at(line, 1).with_source(text),
            None => d.at_line(split.yaml_line.saturating_sub(1)),
        }
    };
    let mut missing = Vec::new();
    let title = raw.title.filter(|t| !t.trim().is_empty());
    let source = raw.source.filter(|s| !s.trim().is_empty());
    if title.is_none() {
        missing.push(tr("meta.field-title", &[]));
    }
    if raw.date.is_none() {
        missing.push(tr("meta.field-date", &[]));
    }
    if source.is_none() {
        missing.push(tr("meta.field-source", &[]));
    }
    if !missing.is_empty() {
        return Err(Diagnostic::error(tr(
            "meta.missing",
            &[("keys", &missing.join(&tr("list.separator", &[])))],
        ))
        .at_line(1)
        .with_help(tr("meta.missing-help", &[])));
    }
    let (title, source) = (title.unwrap_or_default(), source.unwrap_or_default());
    let date_text = raw.date.map(|d| d.as_text()).unwrap_or_default();
    let (date, date_time) = parse_date(&date_text).map_err(|d| at("date", d))?;
    let updated = match raw.updated {
        Some(u) => Some(parse_date(&u.as_text()).map_err(|d| at("updated", d))?.0),
        None => None,
    };
    let year = match raw.year {
        Some(y) => {
            let text_year = y.as_text();
            match text_year.trim().trim_end_matches('年').parse::<i32>() {
                Ok(y) if YEARS.contains(&y) => y,
                _ => {
                    return Err(at(
                        "year",
                        Diagnostic::error(tr("meta.year", &[("year", &text_year)]))
                            .with_help(tr("meta.year-help", &[])),
                    ));
                }
            }
        }
        None => year_from_title(&title)
            .filter(|y| YEARS.contains(y))
            .unwrap_or_else(|| chrono::Datelike::year(&date)),
    };
    if let Some(slug) = &raw.slug
        && !is_valid_slug(slug)
    {
        return Err(at(
            "slug",
            Diagnostic::error(tr("meta.slug", &[("slug", slug)]))
                .with_help(tr("meta.slug-help", &[])),
        ));
    }
    for a in &raw.attachments {
        if a.file.is_some() == a.url.is_some() {
            return Err(at(
                "attachments",
                Diagnostic::error(tr("meta.attachment-file-or-url", &[("title", &a.title)]))
                    .with_help(tr("meta.attachment-file-or-url-help", &[])),
            ));
        }
        if let Some(url) = &a.url {
            check_url(url).map_err(|d| at("attachments", d))?;
        }
    }
    for r in &raw.related {
        check_url(&r.url).map_err(|d| at("related", d))?;
    }
    for alias in &raw.aliases {
        // `%00` decodes to a NUL, which no file name can hold.
        let nul = alias.contains('\0') || alias.to_ascii_lowercase().contains("%00");
        if !alias.starts_with('/') || alias.contains("..") || alias.contains('\\') || nul {
            return Err(at(
                "aliases",
                Diagnostic::error(tr("meta.alias", &[("alias", alias)]))
                    .with_help(tr("meta.alias-help", &[])),
            ));
        }
    }
    let key_lines = split
        .yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| Some((l.split(':').next()?.trim().to_string(), split.yaml_line + i)))
        .collect();
    Ok(ReportMeta {
        title: title.trim().to_string(),
        date,
        date_time,
        source: source.trim().to_string(),
        year,
        summary: raw.summary.filter(|s| !s.trim().is_empty()),
        category: raw.category.filter(|s| !s.trim().is_empty()),
        tags: raw.tags,
        index_no: raw.index_no.map(|s| s.as_text()),
        doc_no: raw.doc_no,
        updated,
        slug: raw.slug,
        draft: raw.draft,
        weight: raw.weight.unwrap_or(0),
        attachments: raw.attachments,
        related: raw.related,
        aliases: raw.aliases,
        extra: raw.extra,
        disclosure_stats: raw.disclosure_stats,
        key_lines,
    })
}

/// Years a report, its publish date or its update may have: from the founding of
/// the People's Republic on; beyond them a date is a typo (and `0000` or negative
/// years make invalid feed timestamps and addresses like `/archive/-1/`).
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2200;

/// `YYYY-MM-DD` or RFC 3339; returns the day and, for timestamps, the normalised timestamp.
pub fn parse_date(text: &str) -> Result<(NaiveDate, Option<String>), Diagnostic> {
    let text = text.trim();
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| (d, None))
        .or_else(|_| {
            DateTime::parse_from_rfc3339(text).map(|dt| (dt.date_naive(), Some(dt.to_rfc3339())))
        });
    if let Ok((date, time)) = parsed {
        let year = chrono::Datelike::year(&date);
        if !YEARS.contains(&year) {
            return Err(Diagnostic::error(tr(
                "meta.date-year-range",
                &[
                    ("date", &text),
                    ("year", &year),
                    ("first", YEARS.start()),
                    ("last", YEARS.end()),
                ],
            ))
            .with_help(tr("meta.date-year-range-help", &[])));
        }
        return Ok((date, time));
    }
    let digits: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let help = match digits.as_slice() {
        [y, m, d] if y.len() == 4 => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => match NaiveDate::from_ymd_opt(y, m, d) {
                Some(date) => tr("meta.date-write-as", &[("date", &date.format("%Y-%m-%d"))]),
                None => tr("meta.date-no-such-day", &[("y", &y), ("m", &m), ("d", &d)]),
            },
            _ => tr("meta.date-help", &[]),
        },
        _ => tr("meta.date-help", &[]),
    };
    Err(Diagnostic::error(tr("meta.date", &[("date", &text)])).with_help(help))
}

/// The first `NNNN年` in a title, e.g. 2022 in 2022年法治政府建设年度报告.
pub fn year_from_title(title: &str) -> Option<i32> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
    })
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug != "."
        && slug != ".."
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !slug.starts_with('.')
}

/// Links in front matter may only be http(s), mailto or site-relative.
pub fn check_url(url: &str) -> Result<(), Diagnostic> {
    let lower = url.trim().to_ascii_lowercase();
    let relative = match (lower.find(':'), lower.find('/')) {
        (None, _) => true,
        (Some(colon), Some(slash)) => slash < colon,
        (Some(_), None) => false,
    };
    let scheme_ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || relative;
    if scheme_ok && !url.trim().is_empty() {
        Ok(())
    } else {
        Err(Diagnostic::error(tr("meta.link", &[("url", &url)]))
            .with_help(tr("meta.link-help", &[])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_comes_from_title_first() {
        assert_eq!(
            year_from_title("开福区2022年法治政府建设年度报告"),
            Some(2022)
        );
        assert_eq!(year_from_title("年度报告"), None);
    }

    #[test]
    fn slash_date_gets_hint() {
        let e = parse_date("2023/3/10").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("write it as 2023-03-10"));
        let e = parse_date("2023-02-30").unwrap_err();
        assert!(e.help.unwrap().contains("does not exist"));
    }

    #[test]
    fn scripts_are_not_links() {
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("/files/a.pdf").is_ok());
        assert!(check_url("https://www.gov.cn").is_ok());
    }
}
