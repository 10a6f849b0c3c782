//! Problems found in a site, reported the way an editor can act on them:
//! which file, which line and column, what is wrong and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::tr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, with the place it was found and an optional hint. Serialisable
/// so the build cache can repeat the warnings of a build it skips.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The text of the offending line, shown under the message: a window around
    /// the column, with control characters escaped (see [`Diagnostic::with_source`]).
    pub source_line: Option<String>,
    /// Terminal cells before the caret under `source_line`.
    pub source_caret: Option<usize>,
}

/// Characters of the offending line shown before and after the column: a
/// minified or 1 GB line must not flood the terminal.
const SNIPPET_BEFORE: usize = 60;
const SNIPPET_AFTER: usize = 100;
/// Longer messages and hints are cut (they may quote a value from a file).
const MAX_MESSAGE: usize = 2000;

/// How a character is shown in a message: control characters (terminal escape
/// sequences, NUL) as escapes, so a file cannot drive the terminal.
fn shown(c: char) -> String {
    if c.is_control() {
        c.escape_default().collect()
    } else {
        c.to_string()
    }
}

/// Terminal cells a shown string takes; wide (CJK) characters take two.
fn cells(text: &str) -> usize {
    text.chars()
        .map(|c| if c.is_ascii() || c == '…' { 1 } else { 2 })
        .sum()
}

/// `text` with control characters other than line breaks escaped, cut to `MAX_MESSAGE`.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_MESSAGE)
        .map(|c| if c == '\n' { c.to_string() } else { shown(c) })
        .collect();
    if text.chars().nth(MAX_MESSAGE).is_some() {
        out.push('…');
    }
    out
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            source_line: None,
            source_caret: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Line and column are 1-based, as editors show them.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line.max(1));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the offending line, taken from the full text of the file: the part
    /// around the column, control characters escaped.
    pub fn with_source(mut self, text: &str) -> Self {
        let Some(line) = self.line.and_then(|n| text.lines().nth(n - 1)) else {
            return self;
        };
        let col = self.column.unwrap_or(1).saturating_sub(1);
        let first = col.saturating_sub(SNIPPET_BEFORE);
        let mut window = String::new();
        let mut caret = None;
        if first > 0 {
            window.push('…');
        }
        let mut chars = line.chars().enumerate().skip(first);
        for (i, c) in chars.by_ref().take(col - first + SNIPPET_AFTER) {
            if i == col {
                caret = Some(cells(&window));
            }
            window.push_str(&shown(c));
        }
        if caret.is_none() && self.column.is_some() {
            caret = Some(cells(&window));
        }
        if chars.next().is_some() {
            window.push('…');
        }
        self.source_line = Some(window);
        self.source_caret = caret;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as far as known, for the first line of the message.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut out = file.display().to_string();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        Some(out)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => tr("diag.error", &[]),
            Severity::Warning => tr("diag.warning", &[]),
        };
        let message = printable(&self.message);
        match self.location() {
            Some(loc) => write!(f, "{label}: {}: {message}", printable(&loc))?,
            None => write!(f, "{label}: {message}")?,
        }
        if let (Some(line_no), Some(text)) = (self.line, &self.source_line) {
            let gutter = line_no.to_string();
            write!(f, "\n {gutter} | {text}")?;
            if let Some(pad) = self.source_caret {
                write!(f, "\n {} | {}^", " ".repeat(gutter.len()), " ".repeat(pad))?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  {}: {}", tr("diag.help", &[]), printable(help))?;
        }
        Ok(())
    }
}

/// All problems of one run; a build stops only after every file was looked at.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Sorted by file then line so problems of one file stay together.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        v
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into the field and
/// the closest expected name. Works with and without backticks around the names.
pub fn suggest_for_unknown_field(message: &str) -> Option<(String, Option<String>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let field = rest.split('`').next()?.to_string();
    let expected: Vec<String> = rest
        .split("expected")
        .nth(1)
        .map(|tail| {
            let tail = strip_position(tail).trim_start_matches(" one of");
            tail.split([',', ' '])
                .map(|w| w.trim().trim_matches('`'))
                .filter(|w| !w.is_empty() && *w != "or")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let best = closest(&field, expected.iter().map(String::as_str));
    Some((field, best.map(str::to_string)))
}

/// Removes a trailing " at line N, column M" that parsers add to messages.
pub fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_field() {
        let (field, best) =
            suggest_for_unknown_field("unknown field `titel`, expected one of `title`, `date`")
                .unwrap();
        assert_eq!(field, "titel");
        assert_eq!(best.as_deref(), Some("title"));
    }

    #[test]
    fn suggests_without_backticks() {
        let (_, best) = suggest_for_unknown_field(
            "unknown field `titel`, expected one of title, date, source at line 4, column 1",
        )
        .unwrap();
        assert_eq!(best.as_deref(), Some("title"));
    }

    #[test]
    fn no_suggestion_for_distant_field() {
        let (_, best) =
            suggest_for_unknown_field("unknown field `zzzzzz`, expected `title` or `date`")
                .unwrap();
        assert_eq!(best, None);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\n发布c", 8), (2, 2));
    }
}
