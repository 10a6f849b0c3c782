//! What every reader produces: a document as a list of blocks, written out as
//! Markdown the build understands.

pub use super::grid::{Cell, TableGrid};

/// How a paragraph sits on the page. Word files say it (centred title lines,
/// a right-aligned 落款); other inputs rarely do and give `Start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Start,
    Center,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 to 6 (the page title is the only level 1).
    Heading(u8, String),
    /// Inline Markdown (bold kept as `**…**`), and how it is aligned.
    Paragraph(String, Align),
    Table(TableGrid),
    /// A file in the report's attachment folder, with its alt text.
    Image {
        file: String,
        alt: String,
    },
    /// A Markdown block written as is (e.g. a fenced block).
    Raw(String),
}

/// Text safe inside a paragraph: characters Markdown would read as syntax at the
/// start of a line or anywhere are escaped.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line starting with `#`, `-`, `+`, `=` or `1.` would become a heading or list.
    let first = out.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        out.insert(0, '\\');
    } else if let Some(dot) = out.find(['.', ')'])
        && dot > 0
        && out[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(dot, '\\');
    }
    out
}

/// Longest text a merged cell repeats in every position it covers; a longer
/// one is written once, where the cell starts, so a hostile table cannot make
/// the report positions × text long.
const REPEATED_TEXT: usize = 200;

fn table_markdown(grid: &TableGrid) -> String {
    let cell = |r: usize, c: usize| {
        let text = grid.text_at(r, c);
        if text.len() > REPEATED_TEXT && !grid.is_origin(r, c) {
            return " ".to_string();
        }
        let t = escape_inline(text.trim()).replace('\n', " ");
        if t.is_empty() { " ".to_string() } else { t }
    };
    let line = |r: usize| {
        let cells: Vec<String> = (0..grid.width()).map(|c| cell(r, c)).collect();
        format!("| {} |", cells.join(" | "))
    };
    if grid.height() == 0 || grid.width() == 0 {
        return String::new();
    }
    let mut out = vec![
        line(0),
        format!("|{}|", vec!["---"; grid.width()].join("|")),
    ];
    out.extend((1..grid.height()).map(line));
    out.join("\n")
}

/// The body of a report.
pub fn to_markdown(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(level, text) => Some(format!(
                "{} {}",
                "#".repeat((*level).clamp(2, 6) as usize),
                escape_inline(text.trim())
            )),
            Block::Paragraph(md, _) => (!md.trim().is_empty()).then(|| md.trim().to_string()),
            Block::Table(grid) => {
                (grid.height() > 0 && grid.width() > 0).then(|| table_markdown(grid))
            }
            Block::Image { file, alt } => Some(format!(
                "![{}](<{}>)",
                escape_inline(alt),
                file.replace('>', "%3E")
            )),
            Block::Raw(text) => (!text.trim().is_empty()).then(|| text.trim_end().to_string()),
        })
        .collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_cells_repeat_short_text_and_write_long_text_once() {
        let mut b = super::super::grid::GridBuilder::new(100);
        b.start_row().unwrap();
        b.html_cell("合并".into(), 2, 1).unwrap();
        b.html_cell("长".repeat(100), 2, 1).unwrap();
        b.end_row();
        let md = table_markdown(&b.finish());
        let long = "长".repeat(100);
        assert_eq!(
            md,
            format!("| 合并 | 合并 | {long} |   |\n|---|---|---|---|")
        );
    }

    #[test]
    fn syntax_is_escaped() {
        assert_eq!(escape_inline("1.加强领导"), "1\\.加强领导");
        assert_eq!(escape_inline("# 号"), "\\# 号");
        assert_eq!(escape_inline("a*b"), "a\\*b");
    }
}
