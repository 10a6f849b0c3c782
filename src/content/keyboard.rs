//! Front matter typed with a Chinese keyboard: a full-width colon after a key,
//! a full-width space or a tab as indentation, an unquoted value containing
//! `: `, an attachment written as a plain file name. YAML parsers report these
//! as `expected mapping start` or `simple key expected ':'`; this finds them
//! first and says exactly where and what to type instead.

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// The first such mistake in the YAML lines (`first_line` is the file line of
/// the first YAML line), as an error with the caret under the character.
pub fn find(yaml: &str, first_line: usize, full_text: &str) -> Option<Diagnostic> {
    let mut in_attachments = false;
    for (i, line) in yaml.lines().enumerate() {
        let line_no = first_line + i;
        let at = |col: usize| col + 1;
        let error = |message: String, col: usize, help: String| {
            Diagnostic::error(message)
                .at(line_no, at(col))
                .with_help(help)
                .with_source(full_text)
        };
        if line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with('\t') {
            return Some(error(tr("fm.tab", &[]), 0, tr("fm.tab-help", &[])));
        }
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\u{3000}')
            .collect();
        if let Some(col) = indent.chars().position(|c| c == '\u{3000}') {
            return Some(error(
                tr("fm.fullwidth-space", &[]),
                col,
                tr("fm.fullwidth-space-help", &[]),
            ));
        }
        let body = &line[indent.len()..];
        let key: String = if body.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            body.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        } else {
            String::new()
        };
        let after_key = &body[key.len()..];
        let key_col = indent.chars().count();
        let top_level = indent.is_empty();
        if top_level {
            in_attachments = key == "attachments";
        }
        if !key.is_empty() {
            let gap: String = after_key.chars().take_while(|c| *c == ' ').collect();
            let rest = &after_key[gap.len()..];
            if rest.starts_with('：') {
                let col = key_col + key.chars().count() + gap.chars().count();
                return Some(error(
                    tr("fm.fullwidth-colon", &[("key", &key)]),
                    col,
                    tr("fm.fullwidth-colon-help", &[("key", &key)]),
                ));
            }
            if let Some(value) = rest.strip_prefix(':') {
                if let Some(c) = value.chars().next()
                    && c == '\u{3000}'
                {
                    let col = key_col + key.chars().count() + gap.chars().count() + 1;
                    return Some(error(
                        tr("fm.fullwidth-space", &[]),
                        col,
                        tr("fm.fullwidth-space-after-help", &[("key", &key)]),
                    ));
                }
                let value_trim = value.trim_start();
                let value_col = key_col
                    + key.chars().count()
                    + gap.chars().count()
                    + 1
                    + (value.chars().count() - value_trim.chars().count());
                if key == "attachments" && top_level && value_trim.starts_with('[') {
                    let inner = value_trim
                        .trim_start_matches('[')
                        .trim_end()
                        .trim_end_matches(']');
                    if !inner.trim().is_empty() && !inner.contains('{') {
                        return Some(error(
                            tr("fm.attachment-string", &[]),
                            value_col,
                            tr(
                                "fm.attachment-string-help",
                                &[("file", &attachment_name(inner))],
                            ),
                        ));
                    }
                }
                let plain_value =
                    !value_trim.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
                if plain_value && let Some(pos) = colon_space(value_trim) {
                    let col = value_col + value_trim[..pos].chars().count();
                    return Some(error(
                        tr("fm.colon-in-value", &[("key", &key)]),
                        col,
                        tr(
                            "fm.colon-in-value-help",
                            &[("key", &key), ("value", &value_trim.trim_end())],
                        ),
                    ));
                }
            }
        } else if in_attachments
            && let Some(item) = body.strip_prefix("- ")
            && !item.trim().is_empty()
            && !item.contains('{')
            && !item.contains(':')
        {
            return Some(error(
                tr("fm.attachment-string", &[]),
                key_col + 2,
                tr(
                    "fm.attachment-string-help",
                    &[("file", &attachment_name(item))],
                ),
            ));
        }
    }
    None
}

/// Byte position of a `: ` (or `:` at the end) in a plain value.
fn colon_space(value: &str) -> Option<usize> {
    let value = value.split(" #").next().unwrap_or(value).trim_end();
    value
        .char_indices()
        .find(|(i, c)| *c == ':' && (value[i + 1..].starts_with(' ') || i + 1 == value.len()))
        .map(|(i, _)| i)
}

fn attachment_name(item: &str) -> String {
    item.trim()
        .trim_start_matches('-')
        .trim()
        .trim_matches(['"', '\''])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set};

    fn column(yaml: &str) -> (usize, usize, String) {
        set(Lang::En);
        let d = find(yaml, 2, &format!("---\n{yaml}---\n"))
            .unwrap_or_else(|| panic!("no mistake found in {yaml:?}"));
        (d.line.unwrap(), d.column.unwrap(), d.message)
    }

    #[test]
    fn each_mistake_is_found_at_its_character() {
        assert_eq!(column("title：报告\n").0, 2);
        assert_eq!(column("title：报告\n").1, 6);
        assert_eq!(column("date: 2024-01-01\ntags:\n\u{3000}- a\n").1, 1);
        assert_eq!(column("tags:\n\t- a\n").1, 1);
        assert_eq!(column("title: 2023年报告: 补充说明\n").1, 15);
        assert_eq!(column("attachments: [- 表.xlsx]\n").1, 14);
        assert_eq!(column("attachments:\n  - 表.xlsx\n").1, 5);
    }

    #[test]
    fn correct_front_matter_has_no_mistake() {
        let ok = "title: \"2023年报告: 补充\"\nattachments:\n  - {title: 统计表, file: 表.xlsx}\nrelated: [{title: 链接, url: \"https://a.gov.cn/\"}]\nsummary: 一句话\n";
        assert!(find(ok, 2, ok).is_none());
    }
}
