//! What `check` looks at in a report's Markdown: links, images and headings,
//! each with its line and column in the file.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, parse_document};

use crate::markdown::{MarkdownOptions, comrak_options};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
}

#[derive(Debug, Clone)]
pub struct FoundLink {
    pub kind: LinkKind,
    pub url: String,
    /// For images: the alt text.
    pub text: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct FoundHeading {
    pub level: u8,
    pub text: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub links: Vec<FoundLink>,
    pub headings: Vec<FoundHeading>,
}

/// Scans a report body; `body_line` is the file line the body starts on.
pub fn scan(body: &str, body_line: usize, opts: &MarkdownOptions) -> Scan {
    let options = comrak_options(opts);
    let arena = Arena::new();
    // Addresses with spaces are read as the pages read them.
    let wrapped = crate::markdown::spaced_links::wrap(body);
    let body: &str = &wrapped;
    let root = parse_document(&arena, body, &options);
    let lines: Vec<&str> = body.lines().collect();
    // Source positions count bytes from 1 within the body; editors count characters in the file.
    let place = |node: &AstNode| {
        let mut start = node.data().sourcepos.start;
        if start.line == 0
            && let Some(parent) = node.parent()
        {
            start = parent.data().sourcepos.start;
        }
        let line_text = lines
            .get(start.line.saturating_sub(1))
            .copied()
            .unwrap_or("");
        let byte = start.column.saturating_sub(1).min(line_text.len());
        let column = line_text[..line_text.floor_char_boundary(byte)]
            .chars()
            .count()
            + 1;
        (body_line + start.line.saturating_sub(1), column)
    };
    let mut out = Scan::default();
    for node in root.descendants() {
        let value = &node.data().value;
        match value {
            NodeValue::Link(link) | NodeValue::Image(link) => {
                let (line, column) = place(node);
                let kind = if matches!(value, NodeValue::Image(_)) {
                    LinkKind::Image
                } else {
                    LinkKind::Link
                };
                out.links.push(FoundLink {
                    kind,
                    url: link.url.clone(),
                    text: text_of(node),
                    line,
                    column,
                });
            }
            NodeValue::Heading(h) => {
                let (line, column) = place(node);
                out.headings.push(FoundHeading {
                    level: h.level,
                    text: text_of(node),
                    line,
                    column,
                });
            }
            _ => {}
        }
    }
    out
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants().skip(1) {
        match &d.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            _ => {}
        }
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_and_headings_have_file_positions() {
        let body = "## 一、总体情况\n\n见[附表](/a/b/)和说明。\n\n![](x.png)\n";
        let s = scan(body, 10, &Default::default());
        assert_eq!(s.headings.len(), 1);
        assert_eq!((s.headings[0].line, s.headings[0].level), (10, 2));
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[0].url, "/a/b/");
        assert_eq!((s.links[0].line, s.links[0].column), (12, 2));
        assert_eq!(s.links[1].kind, LinkKind::Image);
        assert_eq!(s.links[1].text, "");
        assert_eq!(s.links[1].line, 14);
    }
}
