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
    #[serde(alias = "标题")]
    #[serde(alias = "题目")]
    title: Option<String>,
    #[serde(alias = "日期")]
    #[serde(alias = "发布日期")]
    #[serde(alias = "发布时间")]
    date: Option<Scalar>,
    #[serde(alias = "来源")]
    #[serde(alias = "发布机构")]
    #[serde(alias = "发布单位")]
    source: Option<String>,
    #[serde(alias = "年度")]
    #[serde(alias = "报告年度")]
    year: Option<Scalar>,
    #[serde(alias = "摘要")]
    summary: Option<String>,
    #[serde(alias = "分类")]
    #[serde(alias = "类别")]
    category: Option<String>,
    #[serde(default)]
    #[serde(alias = "标签")]
    #[serde(alias = "关键词")]
    tags: Vec<String>,
    #[serde(alias = "索引号")]
    index_no: Option<Scalar>,
    #[serde(alias = "文号")]
    #[serde(alias = "发文字号")]
    doc_no: Option<String>,
    #[serde(alias = "更新日期")]
    #[serde(alias = "更新时间")]
    updated: Option<Scalar>,
    #[serde(alias = "网址名")]
    slug: Option<String>,
    #[serde(default)]
    #[serde(alias = "草稿")]
    draft: bool,
    #[serde(alias = "权重")]
    weight: Option<i64>,
    #[serde(default)]
    #[serde(alias = "附件")]
    #[serde(alias = "相关文档")]
    attachments: Vec<AttachmentSpec>,
    #[serde(default)]
    #[serde(alias = "相关链接")]
    related: Vec<LinkSpec>,
    #[serde(default)]
    #[serde(alias = "旧网址")]
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

/// Chinese names editors write for the keys (as a CMS labels its fields),
/// accepted as the key itself: (Chinese name, key). The struct above carries
/// the same names as serde aliases.
pub const CHINESE_KEYS: &[(&str, &str)] = &[
    ("标题", "title"),
    ("题目", "title"),
    ("日期", "date"),
    ("发布日期", "date"),
    ("发布时间", "date"),
    ("来源", "source"),
    ("发布机构", "source"),
    ("发布单位", "source"),
    ("年度", "year"),
    ("报告年度", "year"),
    ("摘要", "summary"),
    ("分类", "category"),
    ("类别", "category"),
    ("标签", "tags"),
    ("关键词", "tags"),
    ("索引号", "index_no"),
    ("文号", "doc_no"),
    ("发文字号", "doc_no"),
    ("更新日期", "updated"),
    ("更新时间", "updated"),
    ("网址名", "slug"),
    ("草稿", "draft"),
    ("权重", "weight"),
    ("附件", "attachments"),
    ("相关文档", "attachments"),
    ("相关链接", "related"),
    ("旧网址", "aliases"),
];

/// The key a front matter name stands for: `标题` → `title`.
pub fn canonical_key(name: &str) -> &str {
    CHINESE_KEYS
        .iter()
        .find(|(chinese, _)| *chinese == name)
        .map_or(name, |(_, key)| key)
}

/// Checked report metadata. Serde: `report_store` keeps it with the report's
/// rendering, for the search index's patch after an edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    let mut meta: SectionMeta = frontmatter::parse(&split, text, &[])?;
    if meta.title.trim().is_empty() {
        meta.title = SectionMeta::untitled(dir).title;
    }
    Ok(meta)
}

/// Parses a report file's text into checked metadata, body and body start line.
pub fn parse_report(text: &str) -> Result<(ReportMeta, &str, usize), Diagnostic> {
    let split = frontmatter::split(text)?;
    let raw: RawReportFront = frontmatter::parse(&split, text, CHINESE_KEYS)?;
    let meta = check(raw, &split, text)?;
    Ok((meta, split.body, split.body_line))
}

fn check(raw: RawReportFront, split: &Split<'_>, text: &str) -> Result<ReportMeta, Diagnostic> {
    let at = |key: &str, d: Diagnostic| -> Diagnostic {
        let line = frontmatter::key_line(split, key).or_else(|| {
            CHINESE_KEYS
                .iter()
                .filter(|(_, k)| *k == key)
                .find_map(|(chinese, _)| frontmatter::key_line(split, chinese))
        });
        match line {
            Some(line) => d.at(line, 1).with_source(text),
            None => d.at_line(split.yaml_line.saturating_sub(1)),
        }
    };
    let title = raw.title.filter(|t| !t.trim().is_empty());
    let source = raw.source.filter(|s| !s.trim().is_empty());
    require_keys(title.is_some(), raw.date.is_some(), source.is_some())?;
    let (title, source) = (title.unwrap_or_default(), source.unwrap_or_default());
    let date_text = raw.date.map(|d| d.as_text()).unwrap_or_default();
    let (date, date_time) = parse_date(&date_text).map_err(|d| at("date", d))?;
    let updated = match raw.updated {
        Some(u) => Some(parse_date(&u.as_text()).map_err(|d| at("updated", d))?.0),
        None => None,
    };
    let year = report_year(raw.year.as_ref(), &title, date).map_err(|d| at("year", d))?;
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
        check_alias(alias).map_err(|d| at("aliases", d))?;
    }
    let key_lines = key_lines(split);
    Ok(ReportMeta {
        title: one_line(&title),
        date,
        date_time,
        source: one_line(&source),
        year,
        summary: text_of(raw.summary),
        category: text_of(raw.category),
        tags: raw.tags.iter().map(|t| one_line(t)).collect(),
        index_no: text_of(raw.index_no.map(|s| s.as_text())),
        doc_no: text_of(raw.doc_no),
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

/// The line of each top-level key, by the key it stands for (`标题` → `title`).
fn key_lines(split: &Split<'_>) -> Vec<(String, usize)> {
    split
        .yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| {
            let key = canonical_key(l.split(':').next()?.trim());
            Some((key.to_string(), split.yaml_line + i))
        })
        .collect()
}

/// A text of the front matter other than title and unit: it keeps its tabs and
/// line breaks (a summary may have several lines) but loses the controls no
/// text has; empty is none.
fn text_of(text: Option<String>) -> Option<String> {
    text.map(|s| {
        s.chars()
            .filter(|&c| !is_stray_control(c))
            .collect::<String>()
    })
    .filter(|s| !s.trim().is_empty())
}

/// The three keys every report needs, all missing ones named in one message.
fn require_keys(title: bool, date: bool, source: bool) -> Result<(), Diagnostic> {
    let missing: Vec<String> = [
        (title, "meta.field-title"),
        (date, "meta.field-date"),
        (source, "meta.field-source"),
    ]
    .iter()
    .filter(|(present, _)| !present)
    .map(|(_, key)| tr(key, &[]))
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::error(tr(
        "meta.missing",
        &[("keys", &missing.join(&tr("list.separator", &[])))],
    ))
    .at_line(1)
    .with_help(tr("meta.missing-help", &[])))
}

/// The report year: as written (`2022` or `2022年`), else the first NNNN年 of
/// the title, else the year of the publish date.
fn report_year(written: Option<&Scalar>, title: &str, date: NaiveDate) -> Result<i32, Diagnostic> {
    let Some(y) = written else {
        return Ok(year_from_title(title)
            .filter(|y| YEARS.contains(y))
            .unwrap_or_else(|| chrono::Datelike::year(&date)));
    };
    let text_year = y.as_text();
    match text_year.trim().trim_end_matches('年').parse::<i32>() {
        Ok(y) if YEARS.contains(&y) => Ok(y),
        _ => Err(Diagnostic::error(tr("meta.year", &[("year", &text_year)]))
            .with_help(tr("meta.year-help", &[]))),
    }
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
        })
        .or_else(|_| local_date_time(text).ok_or(()));
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

/// A date and time as CMSs print them (`2025-03-05 10:30`, with seconds, or
/// with a `T`), without a zone: read as China Standard Time (UTC+8), the time
/// of every body whose reports annals publishes.
fn local_date_time(text: &str) -> Option<(NaiveDate, Option<String>)> {
    let time = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())?;
    let china = chrono::FixedOffset::east_opt(8 * 3600)?;
    let zoned = time.and_local_timezone(china).single()?;
    Some((time.date(), Some(zoned.to_rfc3339())))
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

/// An alias becomes a file and folder name in the output: a site path without
/// `..`, backslashes, control characters (`\r\nSet-Cookie: …`, ESC, BEL) or
/// direction marks (U+202E shows `lmth.exe` as `exe.html`), written or %-escaped.
pub fn check_alias(alias: &str) -> Result<(), Diagnostic> {
    let decoded = percent_encoding::percent_decode_str(alias).decode_utf8_lossy();
    if let Some(c) = alias
        .chars()
        .chain(decoded.chars())
        .find(|&c| is_hidden_char(c))
    {
        return Err(Diagnostic::error(tr(
            "meta.alias-control",
            &[("alias", &alias), ("code", &format!("U+{:04X}", c as u32))],
        ))
        .with_help(tr("meta.alias-control-help", &[])));
    }
    if !alias.starts_with('/') || decoded.contains("..") || decoded.contains('\\') {
        return Err(Diagnostic::error(tr("meta.alias", &[("alias", &alias)]))
            .with_help(tr("meta.alias-help", &[])));
    }
    Ok(())
}

/// Control characters (C0 with TAB, LF and CR, DEL, C1) and the invisible marks
/// that reorder or hide text (bidi embeddings, overrides and isolates, LRM/RLM/ALM,
/// zero-width characters): never meant in a name or an address.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
            | '\u{061C}' | '\u{FEFF}')
}

/// A control character that has no place in a text (all but TAB, LF and CR).
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A one-line text of the front matter (title, source, …) as pages, `<title>`
/// and `reports.csv` show it: line breaks and tabs become spaces, other control
/// characters go.
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_stray_control(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
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
