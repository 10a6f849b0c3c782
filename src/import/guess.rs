//! What a document does not state in a metadata line, read from its shape:
//! the title from the centred lines at the top, the report year and category
//! from the title, the issuing unit (来源) from the 落款, 「本报告由……编制」 or
//! the title. Every guess says where it came from, so import can tell the editor.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::blocks::{Align, Block};
use super::meta;

/// What `source:` holds when the document names no unit: `check` reports it
/// as an error until the editor fills it in (see `lint::placeholders`).
pub const SOURCE_PLACEHOLDER: &str = crate::lint::placeholders::SOURCE;

/// Where a guessed 来源 came from (the key of its note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFrom {
    Signature,
    Compiled,
    Title,
}

impl SourceFrom {
    pub fn note_key(self) -> &'static str {
        match self {
            SourceFrom::Signature => "import.guess-source-signature",
            SourceFrom::Compiled => "import.guess-source-compiled",
            SourceFrom::Title => "import.guess-source-title",
        }
    }
}

pub fn plain(md: &str) -> String {
    md.replace("**", "").replace('\\', "")
}

/// A title typed over consecutive centred paragraphs at the top
/// (「淮安市洪泽区人民政府」 + 「2024年政府信息公开工作年度报告」): the joined
/// text and how many blocks it took, counted from `first`.
pub fn centred_title(blocks: &[Block], first: usize) -> Option<(String, usize)> {
    let mut title = String::new();
    let mut taken = 0;
    for b in &blocks[first..] {
        let Block::Paragraph(md, Align::Center) = b else {
            break;
        };
        let text = plain(md).trim().to_string();
        let sentence = text.ends_with(['。', '；', '：', ':']);
        if taken == 4 || sentence || meta::is_meta_line(&text) || meta::is_date_line(&text) {
            break;
        }
        if title.chars().count() + text.chars().count() > 120 {
            break;
        }
        // `2024 年` in a title copied out of a PDF is 2024年.
        title.push_str(&super::text::tighten(&text));
        taken += 1;
    }
    (taken > 0).then_some((title, taken))
}

/// The report's category from the words of its title.
pub fn category_of(title: &str) -> Option<&'static str> {
    let report = title.contains("报告");
    if report && title.contains("信息公开") {
        Some("政府信息公开工作年度报告")
    } else if report && (title.contains("法治政府建设") || title.contains("法治建设")) {
        Some("法治政府建设年度报告")
    } else {
        None
    }
}

/// The closing signature (落款): the unit and date in the last paragraphs.
pub fn signature(blocks: &[Block]) -> Option<(Option<String>, Option<NaiveDate>)> {
    let paragraphs: Vec<String> = blocks
        .iter()
        .rev()
        .filter_map(|b| match b {
            Block::Paragraph(md, _) => Some(plain(md).trim().to_string()),
            _ => None,
        })
        .take(6)
        .collect();
    let date_at = paragraphs.iter().position(|p| meta::is_date_line(p))?;
    let date = meta::parse_date(&paragraphs[date_at]);
    let unit = paragraphs.get(date_at + 1).filter(|p| is_unit_line(p));
    Some((unit.cloned(), date))
}

fn is_unit_line(text: &str) -> bool {
    let n = text.chars().count();
    (2..=30).contains(&n) && !text.contains(['。', '，', '；', '：', ':'])
}

static COMPILED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"本报告由([^，。；、,（(“《]{2,40}?)(?:负责|根据|依据|按照|对照)?(?:编制|编写|起草|制作|《)")
        .expect("compiled-by pattern")
});

/// 「本报告由某某局编制」 → 某某局.
pub fn compiled_by(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Paragraph(md, _) => {
            let text = plain(md);
            let unit = COMPILED_BY
                .captures(&text)?
                .get(1)?
                .as_str()
                .trim()
                .to_string();
            is_unit_line(&unit).then_some(unit)
        }
        _ => None,
    })
}

/// The unit the title names before its year, without a trailing 关于
/// (「某某局关于2023年……的报告」 → 某某局).
pub fn title_unit(title: &str) -> Option<String> {
    let before = meta::source_from_title(title)
        .map(|u| u.trim_end_matches("关于").trim().to_string())
        .filter(|u| u.chars().count() >= 2);
    before.or_else(|| unit_after_year(title))
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{4}\s*年度?").expect("year pattern"));

/// 「2019年上海市人民政府办公厅政府信息公开工作年度报告」 → 上海市人民政府办公厅:
/// the words between the year and the report's subject, when they end like
/// the name of a unit.
fn unit_after_year(title: &str) -> Option<String> {
    let year = YEAR.find(title)?;
    let rest = &title[year.end()..];
    let subject = [
        "政府信息公开",
        "信息公开",
        "法治政府",
        "法治建设",
        "依法行政",
    ]
    .iter()
    .filter_map(|s| rest.find(s))
    .min()?;
    let unit = rest[..subject].trim();
    (is_unit_name(unit) && unit.chars().count() >= 3).then(|| unit.to_string())
}

/// Whether a name ends like a body's (…局, …政府, …办公室), not a place's (…区, …市).
fn is_unit_name(name: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "厅", "局", "委", "办", "室", "政府", "会", "中心", "院", "署", "部", "处",
    ];
    ENDINGS.iter().any(|s| name.ends_with(s))
}

/// The 来源 the document itself suggests, most reliable first: the unit that
/// signs it, the unit that says it compiled it, the unit its title names.
/// The office of a body the title names (「本报告由淮安市人民政府办公室……编制」
/// in 「淮安市人民政府2024年……报告」) only compiles the report; the body
/// publishes it. A place in the title (「平潭综合实验区2024年……」) publishes
/// nothing: there the office that compiled it is the source.
/// The office of the unit the title names (「本报告由淮安市人民政府办公室……编制」
/// in 「淮安市人民政府2024年……报告」) compiles the report; the unit publishes it.
pub fn source(blocks: &[Block], title: Option<&str>) -> Option<(String, SourceFrom)> {
    let titled = title.and_then(title_unit);
    let compiled = compiled_by(blocks).filter(|c| {
        titled
            .as_deref()
            .is_none_or(|t| !is_unit_name(t) || !c.starts_with(t) || c == t)
    });
    signature(blocks)
        .and_then(|s| s.0)
        .map(|u| (u, SourceFrom::Signature))
        .or_else(|| compiled.map(|u| (u, SourceFrom::Compiled)))
        .or_else(|| titled.map(|u| (u, SourceFrom::Title)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, align: Align) -> Block {
        Block::Paragraph(text.into(), align)
    }

    #[test]
    fn two_centred_lines_are_one_title() {
        let blocks = [
            p("淮安市洪泽区人民政府", Align::Center),
            p("2024年政府信息公开工作年度报告", Align::Center),
            p("本报告根据……编制。", Align::Start),
        ];
        assert_eq!(
            centred_title(&blocks, 0),
            Some((
                "淮安市洪泽区人民政府2024年政府信息公开工作年度报告".into(),
                2
            ))
        );
    }

    #[test]
    fn the_unit_comes_from_the_document_before_the_title() {
        let blocks = [
            p("本报告由平潭综合实验区社会事业局编制。", Align::Start),
            p("平潭综合实验区管委会办公室", Align::End),
            p("2025年3月10日", Align::End),
        ];
        assert_eq!(
            source(&blocks, Some("平潭综合实验区2024年报告")),
            Some(("平潭综合实验区管委会办公室".into(), SourceFrom::Signature))
        );
        assert_eq!(
            source(&blocks[..1], None),
            Some(("平潭综合实验区社会事业局".into(), SourceFrom::Compiled))
        );
        let cited = [p(
            "本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》编制。",
            Align::Start,
        )];
        assert_eq!(compiled_by(&cited).as_deref(), Some("淮安市人民政府办公室"));
        assert_eq!(
            title_unit("平潭综合实验区社会事业局关于2013年信息公开工作的报告").as_deref(),
            Some("平潭综合实验区社会事业局")
        );
    }

    #[test]
    fn a_unit_after_the_year() {
        assert_eq!(
            title_unit("2019年上海市人民政府办公厅政府信息公开工作年度报告").as_deref(),
            Some("上海市人民政府办公厅")
        );
        assert_eq!(title_unit("2023年度法治政府建设年度报告"), None);
    }

    #[test]
    fn categories_from_title_words() {
        assert_eq!(
            category_of("某局2022年法治建设情况报告"),
            Some("法治政府建设年度报告")
        );
        assert_eq!(
            category_of("2024年政府信息公开工作年度报告"),
            Some("政府信息公开工作年度报告")
        );
        assert_eq!(category_of("关于印发某某办法的通知"), None);
    }
}
