//! Links and images whose address holds a space, as editors write them for
//! files Word and Windows name with spaces: `![图](图片 1.png)`. CommonMark
//! only reads such an address inside `<…>`, so without help the page would
//! show the raw Markdown; the address is wrapped before parsing, outside code.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// `[text](address with spaces)` or `![alt](…)` on one line; the address has
/// no `<>()` of its own.
static SPACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\]\()([^()<>\n]*\S\s+\S[^()<>\n]*)(\))").expect("constant pattern")
});

/// An address followed by a title (`a.png "图一"`, `a.png '图一'`) is already
/// CommonMark and stays as written.
static TITLED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*\S+\s+("[^"]*"|'[^']*')\s*$"#).expect("constant pattern"));

/// The body with every spaced address of a link or image wrapped in `<…>`;
/// fenced code and inline code spans are left alone. Borrowed when nothing
/// changes (the common case costs one search per line with `](`).
pub fn wrap(body: &str) -> Cow<'_, str> {
    if !body.contains("](") {
        return Cow::Borrowed(body);
    }
    let mut out = String::new();
    let mut changed = false;
    let mut fence: Option<String> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed[..3].to_string());
            out.push_str(line);
            continue;
        }
        match wrap_line(line) {
            Some(new) => {
                changed = true;
                out.push_str(&new);
            }
            None => out.push_str(line),
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(body)
    }
}

/// One line with its spaced addresses wrapped, or `None` when none is there.
fn wrap_line(line: &str) -> Option<String> {
    if !line.contains("](") {
        return None;
    }
    let code = code_spans(line);
    let mut changed = false;
    let new = SPACED.replace_all(line, |c: &regex::Captures| {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        let address = &c[2];
        if code
            .iter()
            .any(|r| r.start < whole.end && whole.start < r.end)
            || TITLED.is_match(address)
        {
            return c[0].to_string();
        }
        changed = true;
        format!("{}<{}>{}", &c[1], address.trim(), &c[3])
    });
    changed.then(|| new.into_owned())
}

/// Byte ranges of inline code spans (`` `…` ``) on a line.
pub fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if c == '`' {
            match open.take() {
                Some(start) => spans.push(start..i + 1),
                None => open = Some(i),
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_addresses_are_wrapped() {
        assert_eq!(wrap("![图](图片 1.png)"), "![图](<图片 1.png>)");
        assert_eq!(
            wrap("见[附件 一](附件 1.pdf)和[说明](a.pdf)"),
            "见[附件 一](<附件 1.pdf>)和[说明](a.pdf)"
        );
    }

    #[test]
    fn titles_code_and_plain_addresses_stay() {
        for body in [
            "![图](a.png \"图一\")",
            "![图](a.png)",
            "`[a](b c)` 是写法",
            "```\n[a](b c)\n```\n",
            "正文（括号 里）。",
        ] {
            assert!(matches!(wrap(body), Cow::Borrowed(_)), "{body}");
        }
    }
}
