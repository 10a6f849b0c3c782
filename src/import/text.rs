//! Pasted text (.txt): one paragraph per line, as Word puts it on the
//! clipboard. Text copied out of a PDF is hard-wrapped instead: its lines
//! are joined back into paragraphs, and page numbers and running headers
//! (a line repeated on every page) are dropped.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Draft;
use super::blocks::{Align, Block, escape_inline};

pub fn read(text: &str) -> Draft {
    let raw: Vec<&str> = text.lines().filter(|l| !trim(l).is_empty()).collect();
    let head = centred_head(&raw);
    let lines: Vec<&str> = raw.iter().map(|l| trim(l)).collect();
    let body = without_page_furniture(&lines, head);
    // Text out of a PDF has spaces around digits the document never had (`2024 年`).
    let from_pdf = wrap_width(&body).is_some();
    let tidy = |l: &str| {
        let l = if from_pdf { tighten(l) } else { l.to_string() };
        escape_inline(&l)
    };
    let centred = lines[..head]
        .iter()
        .map(|l| Block::Paragraph(tidy(l), Align::Center));
    let blocks = centred
        .chain(
            join_wrapped(&body)
                .into_iter()
                .map(|l| Block::Paragraph(tidy(&l), Align::Start)),
        )
        .collect();
    Draft {
        blocks,
        ..Draft::default()
    }
}

fn trim(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Columns of indentation (a full-width space takes two).
fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| match c {
            '\t' => 4,
            '\u{3000}' => 2,
            _ => 1,
        })
        .sum()
}

/// How many lines at the top are centred (a PDF's title lines come out
/// indented deeper than a paragraph's first line): at most four short ones.
fn centred_head(raw: &[&str]) -> usize {
    raw.iter()
        .take(4)
        .take_while(|l| indent(l) >= 4 && width(trim(l)) <= 60)
        .count()
}

/// Removes the space a PDF extractor puts between a digit and a Chinese
/// character (`2024 年` → `2024年`, `第 711 号` → `第711号`).
pub fn tighten(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' && i > 0 && i + 1 < chars.len() {
            let (before, after) = (chars[i - 1], chars[i + 1]);
            let digit = |c: char| c.is_ascii_digit() || c == '%';
            let cjk = |c: char| crate::markdown::is_cjk(c);
            if (digit(before) && cjk(after)) || (cjk(before) && digit(after)) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

/// A row of a table as a PDF prints it: cells apart by runs of spaces.
fn is_table_line(line: &str) -> bool {
    line.split("  ")
        .filter(|cell| !cell.trim().is_empty())
        .count()
        >= 3
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    )
    .expect("page number pattern")
});

/// Lines a PDF prints on every page: page numbers, and a short line (the
/// title or the unit) repeated three times or more as a running header. The
/// first line of the text stays: it is usually the title itself.
fn without_page_furniture<'a>(lines: &[&'a str], start: usize) -> Vec<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        *counts.entry(l).or_default() += 1;
    }
    // A bare number is a page number only when the bare numbers count pages
    // (1, 2, 3…); otherwise they are cells of a table and stay.
    let bare: Vec<u32> = lines.iter().filter_map(|l| l.parse().ok()).collect();
    let bare_are_pages = bare.windows(2).all(|w| w[1] == w[0] + 1);
    lines
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(i, l)| {
            // Words, not cells: a 0 repeated down a table is data.
            let words = l
                .chars()
                .filter(|c| !c.is_ascii_digit() && !c.is_whitespace());
            let running = counts[**l] >= 3 && l.chars().count() <= 40 && words.count() >= 4;
            let is_bare = l.parse::<u32>().is_ok();
            let page = PAGE_NUMBER.is_match(l) && (!is_bare || bare_are_pages);
            !page && (*i == 0 || !running)
        })
        .map(|(_, l)| *l)
        .collect()
}

/// Display width: a CJK or full-width character takes two columns.
fn width(line: &str) -> usize {
    line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The width PDF lines were wrapped at: the widest width shared (within a
/// few columns) by at least a quarter of the long lines and three lines in
/// all; `None` for text that was not hard-wrapped.
fn wrap_width(lines: &[&str]) -> Option<usize> {
    let widths: Vec<usize> = lines
        .iter()
        .map(|l| width(l))
        .filter(|w| *w >= 20)
        .collect();
    let near = |w: usize| {
        widths
            .iter()
            .filter(|o| o.abs_diff(w) <= w / 12 + 2)
            .count()
    };
    let best = widths.iter().copied().max_by_key(|w| (near(*w), *w))?;
    (near(best) >= 3 && near(best) * 4 >= widths.len()).then_some(best)
}

/// A line reaching the wrap width and not ending a sentence runs on into the
/// next one, unless the next starts an outline item (一、 （一） 1.).
fn join_wrapped(lines: &[&str]) -> Vec<String> {
    let Some(wrap) = wrap_width(lines) else {
        return lines.iter().map(|l| l.to_string()).collect();
    };
    let full = |l: &str| width(l) + wrap / 12 + 2 >= wrap;
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let starts_item = crate::markdown::outline_level(line).is_some();
        let table = is_table_line(line);
        match out.last_mut() {
            Some(last) if open && !starts_item && !table => {
                let ascii_seam = last.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && line.starts_with(|c: char| c.is_ascii_alphanumeric());
                if ascii_seam {
                    last.push(' ');
                }
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
        let ends_sentence = line.ends_with(['。', '；', '：', '！', '？', ':', ';', '!', '?']);
        open = full(line) && !ends_sentence && !table;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        read(text)
            .blocks
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(t, _) => t,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn wrapped_lines_are_joined_and_page_furniture_dropped() {
        let text = "某某区2023年法治政府建设年度报告\n\
            一、总体情况\n\
            二〇二三年，全区坚持以习近平法治思想为指导，深入推进法治\n\
            政府建设，各项工作取得新进展，依法行政水平进一步提高，人民\n\
            群众满意度持续提升。\n\
            - 1 -\n\
            某某区2023年法治政府建设年度报告\n\
            二、主要举措\n\
            全年共办理行政复议案件一百二十件，比上年增长百分之十，纠错\n\
            率保持稳定。\n\
            第 2 页\n\
            某某区2023年法治政府建设年度报告\n\
            三、下一步工作\n\
            继续加强法治政府建设，完善依法决策机制，提高行政执法质量。\n\
            某某区2023年法治政府建设年度报告\n";
        let p = paragraphs(text);
        assert_eq!(p[0], "某某区2023年法治政府建设年度报告");
        assert_eq!(p[1], "一、总体情况");
        assert!(
            p[2].starts_with("二〇二三年") && p[2].ends_with("持续提升。"),
            "{p:?}"
        );
        assert_eq!(p[3], "二、主要举措");
        assert!(p[4].ends_with("纠错率保持稳定。"), "{p:?}");
        assert_eq!(p.len(), 7, "{p:?}");
    }

    #[test]
    fn a_pdf_title_over_two_indented_lines_comes_back_centred_and_tight() {
        let text = "            淮安市人民政府\n     2024 年政府信息公开工作年度报告\n\n   本报告所列统计期限自 2024 年 1 月 1 日起。\n";
        let blocks = read(text).blocks;
        assert_eq!(
            blocks[0],
            Block::Paragraph("淮安市人民政府".into(), Align::Center)
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph("2024 年政府信息公开工作年度报告".into(), Align::Center)
        );
        assert_eq!(
            tighten("2024 年，第 711 号 PDF 文件"),
            "2024年，第711号 PDF 文件"
        );
        assert!(is_table_line("行政许可          447228    12    3"));
    }

    #[test]
    fn pasted_lines_stay_paragraphs() {
        let p = paragraphs("第一段。\n第二段很短\n第三段。\n");
        assert_eq!(p.len(), 3);
    }
}
