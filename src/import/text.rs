//! Pasted text (.txt): one paragraph per line, as Word puts it on the clipboard.

use super::Draft;
use super::blocks::{Align, Block, escape_inline};

pub fn read(text: &str) -> Draft {
    let blocks = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .filter(|l| !l.is_empty())
        .map(|l| Block::Paragraph(escape_inline(l), Align::Start))
        .collect();
    Draft {
        blocks,
        ..Draft::default()
    }
}
