//! Caps how deep raw HTML nests before the sanitizer parses it. An HTML tree
//! builder checks the open elements on every tag, so 200,000 nested `<div>`s cost
//! it minutes; past [`MAX_DEPTH`] levels tags are escaped and shown as text, the
//! way raw HTML looks when a site does not allow it.

/// Deeper than any real document; the sanitizer's work stays linear below it.
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold content, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// `html` with every tag that would open or close an element deeper than
/// `max_depth` escaped. Counting errs towards too deep (e.g. `<p>` closed
/// implicitly is still counted as open), which only escapes more.
pub fn cap_depth(html: &str, max_depth: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    // Tags beyond the limit, escaped; their end tags are escaped too.
    let mut beyond: Vec<&str> = Vec::new();
    let mut escapes: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!DOCTYPE`, `<?…`, or a `<` that is text.
            i = start + 1;
            continue;
        }
        let name = &html[name_start..name_start + name_len];
        let end = tag_end(bytes, name_start + name_len);
        if closing {
            if let Some(at) = beyond.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                beyond.truncate(at);
                escapes.push(start);
            } else if let Some(at) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                open.truncate(at);
            }
        } else if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            if open.len() >= max_depth {
                beyond.push(name);
                escapes.push(start);
            } else {
                open.push(name);
            }
        }
        i = end;
    }
    if escapes.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + escapes.len() * 3);
    let mut last = 0;
    for at in escapes {
        out.push_str(&html[last..at]);
        out.push_str("&lt;");
        last = at + 1;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// The index after the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut i: usize) -> usize {
    let mut quote = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (None, b'>') => return i + 1,
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), b) if b == q => quote = None,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_html_is_untouched() {
        let html = "<div class='a>b'><p>x<br><img src=a></p><!-- <div> --></div>";
        assert_eq!(cap_depth(html, 2), html);
    }

    #[test]
    fn tags_past_the_limit_become_text() {
        let html = "<div><div><div>x</div></div></div>";
        assert_eq!(
            cap_depth(html, 2),
            "<div><div>&lt;div>x&lt;/div></div></div>"
        );
        // End tags that close nothing do not lower the count.
        let html = "<div></span><div></span><div>";
        assert_eq!(cap_depth(html, 2), "<div></span><div></span>&lt;div>");
    }
}
