//! Splitting a Markdown file into YAML front matter and body, and parsing the
//! front matter with precise positions.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, strip_position, suggest_for_unknown_field};
use crate::i18n::tr;

/// A file cut at its `---` fences.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(tr("fm.empty", &[])).with_help(tr("fm.empty-help", &[])));
    }
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err(Diagnostic::error(tr("fm.no-start", &[]))
            .at(1, 1)
            .with_source(text)
            .with_help(tr("fm.no-start-help", &[])));
    };
    let mut offset = 0;
    for (index, line) in after_open.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                yaml,
                body,
                yaml_line: 2,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(tr("fm.not-closed", &[]))
        .at(1, 1)
        .with_source(text)
        .with_help(tr("fm.not-closed-help", &[])))
}

/// Parses YAML front matter into `T`, mapping errors to file positions.
/// Known keys are offered as "did you mean" for unknown keys; `chinese_keys`
/// (Chinese name, key) are listed for an unknown key written in Chinese.
pub fn parse<T: DeserializeOwned>(
    split: &Split<'_>,
    full_text: &str,
    chinese_keys: &[(&str, &str)],
) -> Result<T, Diagnostic> {
    if let Some(mistake) = super::keyboard::find(split.yaml, split.yaml_line, full_text) {
        return Err(mistake);
    }
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    serde_saphyr::from_str::<T>(yaml).map_err(|e| {
        let message = e.without_snippet().to_string();
        let message = strip_position(message.lines().next().unwrap_or("")).to_string();
        let mut d = Diagnostic::error(tr("fm.syntax", &[("detail", &message)]));
        if let Some(loc) = e.location() {
            d = d.at(
                split.yaml_line + loc.line() as usize - 1,
                loc.column() as usize,
            );
        }
        if let Some((field, best)) = suggest_for_unknown_field(&message) {
            d.message = tr("fm.unknown-key", &[("key", &field)]);
            if d.line.is_none()
                && let Some(line) = key_line(split, &field)
            {
                d = d.at(line, 1);
            }
            // A Chinese name that is not one of the accepted ones: say which are
            // (any two-character name is as close to 标题 as 作者 is).
            let chinese = !field.is_ascii() && !chinese_keys.is_empty();
            d = d.with_help(match best {
                _ if chinese => {
                    let names: Vec<String> = chinese_keys
                        .iter()
                        .map(|(chinese, key)| format!("{chinese} ({key})"))
                        .collect();
                    tr(
                        "fm.unknown-chinese-key-help",
                        &[("names", &names.join(", "))],
                    )
                }
                Some(b) => tr("fm.unknown-key-did-you-mean", &[("key", &b)]),
                None => tr("fm.unknown-key-help", &[]),
            });
        } else if message.contains("budget breached") {
            // serde-saphyr stops documents that expand without bound (YAML "alias bombs").
            d.message = tr("fm.alias-bomb", &[]);
            d = d.with_help(tr("fm.alias-bomb-help", &[]));
        } else if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
            let key = key.split(',').next().unwrap_or(key);
            d.message = tr("fm.duplicate-key", &[("key", &key)]);
            d = d.with_help(tr("fm.duplicate-key-help", &[]));
        } else if message.contains("sequence") {
            d = d.with_help(tr("fm.list-help", &[]));
        } else if message.contains("invalid type") || message.contains("expected") {
            d = d.with_help(tr("fm.value-help", &[]));
        }
        d.with_source(full_text)
    })
}

/// The file line where a top-level key is written.
pub fn key_line(split: &Split<'_>, key: &str) -> Option<usize> {
    split.yaml.lines().enumerate().find_map(|(i, line)| {
        let k = line.split(':').next()?.trim();
        (k == key && !line.starts_with([' ', '\t'])).then_some(split.yaml_line + i)
    })
}

/// A value that may be written as a YAML string or number (`year: 2022`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Int(i64),
    Text(String),
}

impl Scalar {
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Int(i) => i.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_is_an_error() {
        let e = split("---\ntitle: a\nbody\n").unwrap_err();
        assert!(e.message.contains("not closed"));
    }
}
