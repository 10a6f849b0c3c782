//! A report body pasted as one giant paragraph (Word text with single line
//! breaks and no blank lines) renders as one block of text: warn the editor.

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

/// A paragraph this long (in characters), spanning several lines, is pasted text.
const GIANT: usize = 1500;

pub fn giant_paragraph_warnings(site: &Site) -> Vec<Diagnostic> {
    site.reports
        .iter()
        .filter_map(|r| {
            let (start, lines, chars) = largest_paragraph(&r.body)?;
            (chars >= GIANT && lines >= 3).then(|| {
                Diagnostic::warning(tr(
                    "content.giant-paragraph",
                    &[("lines", &lines), ("chars", &chars)],
                ))
                .in_file(&r.file)
                .at_line(r.body_line + start)
                .with_help(tr("content.giant-paragraph-help", &[]))
            })
        })
        .collect()
}

/// (first line, line count, characters) of the longest run of non-blank lines
/// outside fenced blocks.
fn largest_paragraph(body: &str) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    let mut current: Option<(usize, usize, usize)> = None;
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced || t.is_empty() || t.starts_with('|') || t.starts_with('#') {
            current = None;
            continue;
        }
        let c = current.get_or_insert((i, 0, 0));
        c.1 += 1;
        c.2 += t.chars().count();
        if best.is_none_or(|b| c.2 > b.2) {
            best = Some(*c);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_run_of_lines_is_found() {
        let body = "短段。\n\n第一行\n第二行\n第三行\n\n```\n代码\n```\n";
        assert_eq!(largest_paragraph(body), Some((2, 3, 9)));
    }
}
