//! The 落款 (signature) at the end of a report: the issuing unit on one to
//! three short lines, then the date, as the last paragraph(s) of the body —
//! exactly how the document ends in Word:
//!
//! ```markdown
//! 淮安市洪泽区人民政府办公室
//! 2025年1月20日
//! ```
//!
//! (one paragraph with a line per part, or one paragraph per line). It is
//! taken out of the flow of paragraphs and drawn once, right-aligned, as
//! `<p class="doc-sign">`; the print page then adds no signature of its own.
//! A date in Arabic digits is written as GB/T 9704 writes it (2023年3月30日,
//! no leading zeros).

use std::fmt::Write;
use std::sync::LazyLock;

use comrak::nodes::{AstNode, NodeValue};
use regex::Regex;

/// A recognised signature: the unit's lines and the date as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub units: Vec<String>,
    pub date: String,
    /// `YYYY-MM-DD` for `<time datetime>`, when the date is in digits.
    pub iso: Option<String>,
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let n = "[0-9０-９]";
    let cn = "[〇零○Ｏ一二三四五六七八九十]";
    Regex::new(&format!(
        r"^({n}{{4}}|{cn}{{4}})\s*年\s*({n}{{1,2}}|{cn}{{1,3}})\s*月\s*({n}{{1,2}}|{cn}{{1,3}})\s*日$"
    ))
    .expect("constant pattern")
});

/// Takes the signature off the end of a parsed document, if it ends with one.
pub fn take<'a>(root: &'a AstNode<'a>) -> Option<Signature> {
    let last = root.last_child()?;
    let lines = paragraph_lines(last)?;
    let (date_line, before) = lines.split_last()?;
    let date = date_of(date_line)?;
    let mut units: Vec<String> = before.to_vec();
    let mut taken = vec![last];
    if units.is_empty() {
        // One paragraph per line: up to three unit paragraphs above the date.
        let mut node = last.previous_sibling();
        while let Some(n) = node {
            match paragraph_lines(n).as_deref() {
                Some([line]) if units.len() < 3 && is_unit_line(line) => {
                    units.insert(0, line.clone());
                    taken.push(n);
                }
                _ => break,
            }
            node = n.previous_sibling();
        }
    }
    if units.is_empty() || units.len() > 3 || !units.iter().all(|u| is_unit_line(u)) {
        return None;
    }
    for node in taken {
        node.detach();
    }
    Some(Signature {
        units,
        iso: iso_date(&date),
        date,
    })
}

/// The signature as HTML, right-aligned by the `doc-sign` class.
pub fn html(s: &Signature) -> String {
    let mut out = String::from("<p class=\"doc-sign\">");
    for unit in &s.units {
        out.push_str("<span>");
        let _ = comrak::html::escape(&mut out, unit);
        out.push_str("</span><br>");
    }
    match &s.iso {
        Some(iso) => {
            let _ = write!(out, "<time datetime=\"{iso}\">");
            let _ = comrak::html::escape(&mut out, &s.date);
            out.push_str("</time>");
        }
        None => {
            let _ = comrak::html::escape(&mut out, &s.date);
        }
    }
    out.push_str("</p>\n");
    out
}

/// The text lines of a paragraph (split at its line breaks), if it is one.
fn paragraph_lines<'a>(node: &'a AstNode<'a>) -> Option<Vec<String>> {
    if !matches!(node.data().value, NodeValue::Paragraph) {
        return None;
    }
    let mut lines = vec![String::new()];
    for d in node.descendants().skip(1) {
        match &d.data().value {
            NodeValue::Text(t) => lines.last_mut()?.push_str(t),
            NodeValue::Code(c) => lines.last_mut()?.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => lines.push(String::new()),
            NodeValue::Image(_) | NodeValue::HtmlInline(_) => return None,
            _ => {}
        }
    }
    let lines: Vec<String> = lines
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then_some(lines)
}

/// A short line naming a body: Chinese, no sentence punctuation, no outline number.
fn is_unit_line(line: &str) -> bool {
    let chars = line.chars().count();
    (2..=40).contains(&chars)
        && line.chars().any(crate::markdown::is_cjk)
        && !line.contains(['。', '，', '；', '：', '！', '？', ',', ';', ':', '、'])
        && crate::markdown::outline_level(line).is_none()
        && date_of(line).is_none()
}

/// The date of a line that is only a date, as GB/T 9704 writes it.
fn date_of(line: &str) -> Option<String> {
    let c = DATE.captures(line.trim())?;
    let arabic = |s: &str| -> String {
        let ascii: String = s
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        match ascii.parse::<u32>() {
            Ok(n) => n.to_string(),
            Err(_) => ascii,
        }
    };
    Some(format!(
        "{}年{}月{}日",
        arabic(&c[1]),
        arabic(&c[2]),
        arabic(&c[3])
    ))
}

/// `2025-01-20` for a date written in digits.
fn iso_date(date: &str) -> Option<String> {
    let digits: Vec<u32> = date
        .split(['年', '月', '日'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    let [y, m, d] = digits[..] else {
        return None;
    };
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comrak::{Arena, Options, parse_document};

    fn signature_of(body: &str) -> Option<Signature> {
        let arena = Arena::new();
        let root = parse_document(&arena, body, &Options::default());
        take(root)
    }

    #[test]
    fn a_unit_and_a_date_at_the_end_are_the_signature() {
        let s = signature_of("正文。\n\n淮安市洪泽区人民政府办公室\n2025年01月20日\n").unwrap();
        assert_eq!(s.units, ["淮安市洪泽区人民政府办公室"]);
        assert_eq!(s.date, "2025年1月20日");
        assert_eq!(s.iso.as_deref(), Some("2025-01-20"));
        let s =
            signature_of("正文。\n\n某市司法局\n\n某市人民政府\n\n二〇二四年三月五日\n").unwrap();
        assert_eq!(s.units, ["某市司法局", "某市人民政府"]);
        assert_eq!(s.date, "二〇二四年三月五日");
        assert_eq!(s.iso, None);
    }

    #[test]
    fn text_that_only_ends_with_a_date_is_no_signature() {
        assert_eq!(
            signature_of("全年共受理申请12件。\n\n2025年1月20日\n"),
            None
        );
        assert_eq!(
            signature_of("正文。\n\n一、总体情况\n2025年1月20日\n"),
            None
        );
        assert_eq!(signature_of("某局\n于2025年1月20日发布"), None);
        assert_eq!(signature_of("正文。"), None);
    }
}
