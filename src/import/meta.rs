//! Metadata lines of Chinese government documents (发布时间：… 来源：… 索引号：…
//! 文号：…): found, taken into front matter and removed from the body; and the
//! guesses made when a document does not say.

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveTime};
use regex::Regex;

/// What a document says about itself; `None` where it does not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// The minute of publication, when the page prints one (`2025-03-05 10:30`).
    pub time: Option<NaiveTime>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub index_no: Option<String>,
    pub doc_no: Option<String>,
}

impl DocMeta {
    /// Fills what is still unknown from `other`.
    pub fn fill_from(&mut self, other: DocMeta) {
        self.title = self.title.take().or(other.title);
        if self.date.is_none() {
            self.date = other.date;
            self.time = other.time;
        }
        self.category = self.category.take().or(other.category);
        self.source = self.source.take().or(other.source);
        self.index_no = self.index_no.take().or(other.index_no);
        self.doc_no = self.doc_no.take().or(other.doc_no);
    }
}

const LABELS: &str = "标题|发布时间|发布日期|成文日期|时间|日期|来源|信息来源|发布机构|发文机关|发布单位|索引号|文号|发文字号";

static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({LABELS})\s*[：:]\s*")).expect("label pattern"));
static LINE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*(?:{LABELS})\s*[：:]")).expect("line pattern"));
static ARABIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})").expect("date pattern")
});
static TIME_AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?\s*[T ]?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?")
        .expect("time pattern")
});
static CHINESE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
        .expect("chinese date pattern")
});

/// Whether a paragraph is a metadata line (starts with a label, and is short).
pub fn is_meta_line(text: &str) -> bool {
    text.chars().count() <= 160 && LINE_START.is_match(text)
}

/// The metadata in one line; one line may hold several labels
/// (`来源：某局 时间：2012-04-11 00:00`).
pub fn parse_line(text: &str) -> DocMeta {
    let mut meta = DocMeta::default();
    let matches: Vec<_> = LABEL.captures_iter(text).collect();
    for (i, caps) in matches.iter().enumerate() {
        let (Some(label), Some(whole)) = (caps.get(1), caps.get(0)) else {
            continue;
        };
        let end = matches
            .get(i + 1)
            .and_then(|next| next.get(0))
            .map_or(text.len(), |m| m.start());
        let value = text[whole.end()..end].trim().to_string();
        if value.is_empty() {
            continue;
        }
        match label.as_str() {
            "标题" => meta.title = Some(value),
            "发布时间" | "发布日期" | "成文日期" | "时间" | "日期" => {
                if meta.date.is_none() {
                    meta.date = parse_date(&value);
                    meta.time = meta.date.and(parse_time(&value));
                }
            }
            "来源" | "信息来源" | "发布机构" | "发文机关" | "发布单位" => {
                meta.source = Some(value)
            }
            "索引号" => meta.index_no = Some(value),
            _ => meta.doc_no = Some(value),
        }
    }
    meta
}

/// `2023-03-10`, `2023年3月10日`, `2023/3/10 09:00`, `二○二三年三月十日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    if let Some(c) = ARABIC_DATE.captures(text) {
        let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?);
    }
    let c = CHINESE_DATE.captures(text)?;
    let year: String = c
        .get(1)?
        .as_str()
        .chars()
        .map(|d| char::from_digit(chinese_digit(d), 10).unwrap_or('0'))
        .collect();
    NaiveDate::from_ymd_opt(
        year.parse().ok()?,
        chinese_number(c.get(2)?.as_str())?,
        chinese_number(c.get(3)?.as_str())?,
    )
}

/// The time that follows a date, as CMSs print it (`2025-03-05 10:30`,
/// `2025年03月05日 10:30:15`).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let c = TIME_AFTER_DATE.captures(text)?;
    let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    NaiveTime::from_hms_opt(n(1)?, n(2)?, n(3)?)
}

fn chinese_digit(c: char) -> u32 {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map_or(0, |p| p as u32)
}

/// 一 … 三十一.
fn chinese_number(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + chinese_digit(*d)),
        [t, '十'] => Some(chinese_digit(*t) * 10),
        [t, '十', d] => Some(chinese_digit(*t) * 10 + chinese_digit(*d)),
        [d] => Some(chinese_digit(*d)).filter(|n| *n > 0),
        _ => None,
    }
}

/// Whether a paragraph is only a date (the date line of a closing signature).
pub fn is_date_line(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 16 && parse_date(t).is_some()
}

/// The issuing unit as the title names it: `某某局2023年…报告` → `某某局`.
pub fn source_from_title(title: &str) -> Option<String> {
    let year = Regex::new(r"\d{4}年").ok()?.find(title)?;
    let unit = title[..year.start()].trim();
    (unit.chars().count() >= 2).then(|| unit.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_labels_on_one_line() {
        let m = parse_line("来源：某某区司法局 时间：2012-04-11 00:00");
        assert_eq!(m.source.as_deref(), Some("某某区司法局"));
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2012, 4, 11));
    }

    #[test]
    fn cms_dates_keep_their_minute() {
        let m = parse_line("发布时间：2025-03-05 10:30");
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2025, 3, 5));
        assert_eq!(m.time, NaiveTime::from_hms_opt(10, 30, 0));
        assert_eq!(parse_time("2023年3月10日"), None);
    }

    #[test]
    fn dates_in_chinese() {
        assert_eq!(
            parse_date("二○一二年二月二十日"),
            NaiveDate::from_ymd_opt(2012, 2, 20)
        );
        assert_eq!(
            parse_date("2023年3月10日"),
            NaiveDate::from_ymd_opt(2023, 3, 10)
        );
        assert_eq!(
            parse_date("二〇二三年十二月三十一日"),
            NaiveDate::from_ymd_opt(2023, 12, 31)
        );
    }

    #[test]
    fn meta_lines_start_with_a_label() {
        assert!(is_meta_line("索引号：000014349/2023-00110"));
        assert!(is_meta_line("文号: 开应急〔2023〕5号"));
        assert!(!is_meta_line("2023年，我局来源于……"));
        assert_eq!(
            source_from_title("平潭综合实验区地方税务局2013年信息公开年度报告").as_deref(),
            Some("平潭综合实验区地方税务局")
        );
    }
}
