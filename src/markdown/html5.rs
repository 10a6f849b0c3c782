//! comrak's HTML, made valid HTML5 without warnings from the W3C Nu checker:
//! void elements without the XHTML trailing slash (`<br>`, `<hr>`, `<img>`,
//! `<input>`), table alignment as classes instead of the obsolete `align`
//! attribute (inline styles would break the strict CSP), and footnotes in a
//! `<div>` (a `<section>` without a heading is flagged). Everything else is
//! comrak's own rendering.

use std::fmt::Write;

use comrak::create_formatter;
use comrak::html::{ChildRendering, dangerous_url};
use comrak::nodes::{NodeValue, TableAlignment};

create_formatter!(Html5, {
    NodeValue::LineBreak => |context, entering| {
        if entering {
            context.write_str("<br>")?;
            context.lf()?;
        }
    },
    NodeValue::ThematicBreak => |context, entering| {
        if entering {
            context.cr()?;
            context.write_str("<hr>")?;
            context.lf()?;
        }
    },
    NodeValue::Image(ref link) => |context, entering| {
        if entering {
            context.write_str("<img src=\"")?;
            if context.options.render.r#unsafe || !dangerous_url(&link.url) {
                context.escape_href(&link.url)?;
            }
            context.write_str("\" alt=\"")?;
            // The image's text becomes the alt text, as in comrak.
            return Ok(ChildRendering::Plain);
        }
        if !link.title.is_empty() {
            context.write_str("\" title=\"")?;
            context.escape(&link.title)?;
        }
        context.write_str("\">")?;
    },
    NodeValue::TaskItem(ref item) => |context, node, entering| {
        let in_list = node
            .parent()
            .is_some_and(|p| matches!(p.data().value, NodeValue::List(_)));
        if entering {
            context.cr()?;
            if in_list {
                context.write_str("<li>")?;
            }
            context.write_str("<input type=\"checkbox\"")?;
            if item.symbol.is_some() {
                context.write_str(" checked")?;
            }
            context.write_str(" disabled> ")?;
        } else if in_list {
            context.write_str("</li>")?;
            context.lf()?;
        }
    },
    NodeValue::TableCell => |context, node, entering| {
        let header = node
            .parent()
            .is_some_and(|row| matches!(row.data().value, NodeValue::TableRow(true)));
        let tag = if header { "th" } else { "td" };
        if entering {
            context.cr()?;
            write!(context, "<{tag}")?;
            if let Some(class) = alignment_class(node) {
                write!(context, " class=\"{class}\"")?;
            }
            context.write_str(">")?;
        } else {
            write!(context, "</{tag}>")?;
        }
    },
});

/// The class for a cell's column alignment (`gov.css` and `print.css` style them).
fn alignment_class<'a>(cell: &'a comrak::nodes::AstNode<'a>) -> Option<&'static str> {
    let column = cell.preceding_siblings().skip(1).count();
    let table = cell.parent()?.parent()?;
    let NodeValue::Table(ref t) = table.data().value else {
        return None;
    };
    match t.alignments.get(column)? {
        TableAlignment::Left => Some("align-left"),
        TableAlignment::Right => Some("align-right"),
        TableAlignment::Center => Some("align-center"),
        TableAlignment::None => None,
    }
}

const FOOTNOTES_OPEN: &str = "<section class=\"footnotes\" data-footnotes>";
const FOOTNOTES_CLOSE: &str = "</section>\n";

/// comrak writes the footnotes last, as a `<section>` it closes itself; they
/// have no heading of their own, so they become a `<div>`.
pub fn footnotes_in_div(html: &mut String) {
    if !html.ends_with(FOOTNOTES_CLOSE) {
        return;
    }
    let Some(start) = html.rfind(FOOTNOTES_OPEN) else {
        return;
    };
    html.truncate(html.len() - FOOTNOTES_CLOSE.len());
    html.push_str("</div>\n");
    html.replace_range(
        start..start + FOOTNOTES_OPEN.len(),
        "<div class=\"footnotes\" data-footnotes>",
    );
}
