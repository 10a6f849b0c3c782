//! Names and titles from documents, made safe to print: a file name or title
//! can hold terminal escape sequences (clear the screen, set the window title)
//! or bidi overrides that make it read differently than it is.

/// `text` with control and bidi characters shown as escapes (`\u{1b}`).
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::content::meta::is_hidden_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`clean`], keeping line breaks.
fn clean_lines(text: &str) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

/// A path, cleaned for printing.
pub fn path(p: &std::path::Path) -> String {
    clean(&p.display().to_string())
}

/// A problem whose file name or quoted text came from a document: bidi
/// overrides are escaped too (the message printer escapes control characters).
pub fn clean_diagnostic(d: &mut crate::diagnostics::Diagnostic) {
    if let Some(file) = &d.file {
        d.file = Some(std::path::PathBuf::from(path(file)));
    }
    d.message = clean_lines(&d.message);
    d.help = d.help.as_deref().map(clean_lines);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_cannot_reach_the_terminal() {
        assert_eq!(super::clean("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(super::clean("报告\u{202e}fdp.exe"), "报告\\u{202e}fdp.exe");
        assert_eq!(super::clean("2023年报告"), "2023年报告");
    }
}
