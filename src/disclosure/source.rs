//! Where a report's statistics are written: the front matter key
//! `disclosure_stats:` or a ```` ```disclosure-stats ```` block in the body, and
//! the ```` ```disclosure-table 三 ```` markers that place the tables.

use std::path::Path;

use serde::Deserialize;

use super::labels;
use super::schema::{DisclosureStats, Format, Proactive, Proactive2019, ProactiveTable, RawStats};
use crate::diagnostics::{Diagnostic, strip_position, suggest_for_unknown_field};
use crate::i18n::tr;
use crate::model::Report;

/// Info string of the fenced block holding the statistics as YAML.
pub const STATS_FENCE: &str = "disclosure-stats";
/// Info string of the fenced block placing one table: ```` ```disclosure-table 三 ````.
pub const TABLE_FENCE: &str = "disclosure-table";
pub const FRONT_MATTER_KEY: &str = "disclosure_stats";

/// A fenced block of one of our two kinds found in a body.
#[derive(Debug, Clone)]
pub struct Fence {
    pub lang: &'static str,
    /// The rest of the info string, e.g. `三`.
    pub meta: String,
    pub content: String,
    /// 0-based line of the opening fence within the body.
    pub body_index: usize,
}

/// The fenced blocks of our kinds, found the way CommonMark sees top-level fences.
pub fn fences(body: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    // Most reports have none; skip the line walk for them.
    if !body.contains("disclosure-") {
        return out;
    }
    let mut lines = body.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some((marker, info)) = opening_fence(line) else {
            continue;
        };
        let mut content = String::new();
        for (_, inner) in lines.by_ref() {
            if is_closing_fence(inner, &marker) {
                break;
            }
            content.push_str(inner);
            content.push('\n');
        }
        let (lang, meta) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
        let lang = match lang {
            STATS_FENCE => STATS_FENCE,
            TABLE_FENCE => TABLE_FENCE,
            _ => continue,
        };
        out.push(Fence {
            lang,
            meta: meta.trim().to_string(),
            content,
            body_index: index,
        });
    }
    out
}

/// ```` ``` ```` or `~~~` (3 or more) indented at most 3 spaces, with its info string.
fn opening_fence(line: &str) -> Option<(String, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(ch).len();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((rest[..len].to_string(), info))
}

fn is_closing_fence(line: &str, marker: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    let ch = marker.chars().next().unwrap_or('`');
    line.len() - trimmed.len() <= 3
        && trimmed.starts_with(marker)
        && trimmed.trim_end().chars().all(|c| c == ch)
}

/// Where the statistics of a report were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// File line of the `disclosure_stats:` key.
    FrontMatter(usize),
    /// File line of the opening ```` ```disclosure-stats ```` fence.
    Block(usize),
}

impl Origin {
    pub fn line(self) -> usize {
        match self {
            Origin::FrontMatter(l) | Origin::Block(l) => l,
        }
    }
}

/// A report's statistics, read and typed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub stats: DisclosureStats,
    pub origin: Origin,
}

/// The statistics of a report, if it has any. Errors name the file, the line and
/// the key path of the bad value.
pub fn parse(r: &Report) -> Result<Option<Parsed>, Diagnostic> {
    let blocks: Vec<Fence> = fences(&r.body)
        .into_iter()
        .filter(|f| f.lang == STATS_FENCE)
        .collect();
    let front = r.meta.disclosure_stats.as_ref();
    let front_line = r.meta.line_of(FRONT_MATTER_KEY).unwrap_or(1);
    if let (Some(_), Some(block)) = (front, blocks.first()) {
        return Err(Diagnostic::error(tr("disclosure.stats-twice", &[]))
            .in_file(&r.file)
            .at_line(r.body_line + block.body_index)
            .with_help(tr("disclosure.stats-twice-help", &[("line", &front_line)])));
    }
    if let Some(second) = blocks.get(1) {
        return Err(Diagnostic::error(tr("disclosure.stats-blocks", &[]))
            .in_file(&r.file)
            .at_line(r.body_line + second.body_index)
            .with_help(tr("disclosure.stats-blocks-help", &[])));
    }
    if let Some(value) = front {
        return typed(value.clone(), r, front_line).map(|stats| {
            Some(Parsed {
                stats,
                origin: Origin::FrontMatter(front_line),
            })
        });
    }
    let Some(block) = blocks.first() else {
        return Ok(None);
    };
    let fence_line = r.body_line + block.body_index;
    let value = block_value(&block.content, &r.file, fence_line)?;
    typed(value, r, fence_line).map(|stats| {
        Some(Parsed {
            stats,
            origin: Origin::Block(fence_line),
        })
    })
}

/// The data with printed labels read as keys, typed in the table format of the
/// report: `格式:` when written, else the one of its report year.
fn typed(
    mut value: serde_json::Value,
    r: &Report,
    key_line: usize,
) -> Result<DisclosureStats, Diagnostic> {
    labels::normalise_keys(&mut value);
    let written = value
        .get("格式")
        .or_else(|| value.get("format"))
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|t| t.trim().parse().ok()))
        })
        .and_then(Format::from_number);
    let format = written.unwrap_or_else(|| Format::for_year(r.meta.year));
    let result = match format {
        Format::Y2021 => serde_path_to_error::deserialize::<_, RawStats<Proactive>>(&value)
            .map(|raw| raw.into_stats(format, ProactiveTable::Y2021)),
        Format::Y2019 => serde_path_to_error::deserialize::<_, RawStats<Proactive2019>>(&value)
            .map(|raw| raw.into_stats(format, ProactiveTable::Y2019)),
    };
    result.map_err(|e| {
        let path: Vec<String> = e
            .path()
            .iter()
            .map(|s| s.to_string())
            .filter(|s| s != "?")
            .collect();
        let inner = e.into_inner().to_string();
        let line = crate::content::source::read_text(&r.file)
            .ok()
            .and_then(|text| {
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                locate(&text, key_line, &keys)
            })
            .unwrap_or(key_line);
        let place = match r.meta.disclosure_stats {
            Some(_) => std::iter::once(FRONT_MATTER_KEY.to_string())
                .chain(path)
                .collect::<Vec<_>>()
                .join("."),
            None if path.is_empty() => tr("disclosure.place-block", &[]),
            None => tr("disclosure.place-block-key", &[("key", &path.join("."))]),
        };
        let mut d = describe(&inner, &place).in_file(&r.file).at_line(line);
        // Data written in the other format: say so, and how to choose it.
        let other = match format {
            Format::Y2019 => Format::Y2021,
            Format::Y2021 => Format::Y2019,
        };
        if written.is_none() && inner.contains("unknown field") && fits(&value, other) {
            d.help = Some(tr(
                "disclosure.other-format-help",
                &[
                    ("other", &other.year()),
                    ("year", &r.meta.year),
                    ("format", &format.year()),
                ],
            ));
        }
        d
    })
}

/// Whether the data reads in `format`.
fn fits(value: &serde_json::Value, format: Format) -> bool {
    match format {
        Format::Y2021 => RawStats::<Proactive>::deserialize(value).is_ok(),
        Format::Y2019 => RawStats::<Proactive2019>::deserialize(value).is_ok(),
    }
}

/// The YAML of a ```disclosure-stats block as a value.
fn block_value(
    content: &str,
    file: &Path,
    fence_line: usize,
) -> Result<serde_json::Value, Diagnostic> {
    if content.trim().is_empty() {
        return Err(Diagnostic::error(tr("disclosure.stats-empty", &[]))
            .in_file(file)
            .at_line(fence_line)
            .with_help(tr("disclosure.stats-empty-help", &[])));
    }
    serde_saphyr::from_str::<serde_json::Value>(content).map_err(|e| {
        let message = e.without_snippet().to_string();
        let message = strip_position(message.lines().next().unwrap_or("")).to_string();
        let mut d = describe(&message, &tr("disclosure.place-block", &[])).in_file(file);
        d = match e.location() {
            Some(loc) => d.at(fence_line + loc.line() as usize, loc.column() as usize),
            None => d.at_line(fence_line),
        };
        d
    })
}

/// A parse message turned into an editor's message with a hint.
fn describe(message: &str, place: &str) -> Diagnostic {
    if let Some((field, best)) = suggest_for_unknown_field(message) {
        let help = match best {
            Some(b) => tr("disclosure.unknown-key-help-best", &[("best", &b)]),
            None => tr("disclosure.unknown-key-help", &[]),
        };
        return Diagnostic::error(tr(
            "disclosure.unknown-key",
            &[("field", &field), ("place", &place)],
        ))
        .with_help(help);
    }
    Diagnostic::error(tr(
        "disclosure.bad-value",
        &[("place", &place), ("reason", &reason(message))],
    ))
    .with_help(tr("disclosure.bad-value-help", &[]))
}

/// serde's "invalid type: string \"x\", expected a whole number" in the message
/// language (the expected part is already ours, see `NumberVisitor`); other
/// parser messages stay as the parser wrote them.
fn reason(message: &str) -> String {
    let Some((before, rest)) = message.split_once("invalid type: ") else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let found = match found.split_once(' ') {
        Some(("string", value)) => tr("disclosure.found-text", &[("value", &value)]),
        Some(("boolean", value)) => tr("disclosure.found-boolean", &[("value", &value)]),
        _ if found == "map" => tr("disclosure.found-map", &[]),
        _ if found == "sequence" => tr("disclosure.found-list", &[]),
        _ => found.to_string(),
    };
    let typed = tr(
        "disclosure.invalid-type",
        &[("found", &found), ("expected", &expected)],
    );
    format!("{before}{typed}")
}

/// The file line (1-based) of a nested key below the line `from`: each key of
/// `path` is a child of the one before, written in block or flow style.
pub fn locate(text: &str, from: usize, path: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut line = from.checked_sub(1)?;
    let mut col = lines.get(line)?.len();
    // The fence of a block has no indentation of its own to compare with.
    let mut parent_indent = lines
        .get(line)
        .filter(|l| l.contains(':'))
        .map(|l| indent_of(l));
    let mut found = None;
    for key in path {
        if let Some((_, end)) = find_key(&lines[line][col..], key) {
            col += end;
            found = Some(line + 1);
            continue;
        }
        let mut child_indent = None;
        let mut hit = None;
        for (l, text) in lines.iter().enumerate().skip(line + 1) {
            let trimmed = text.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = indent_of(text);
            if parent_indent.is_some_and(|p| indent <= p) || trimmed.starts_with("---") {
                break;
            }
            if *child_indent.get_or_insert(indent) != indent {
                continue;
            }
            if let Some((0, end)) = find_key(trimmed, key) {
                hit = Some((l, indent + end));
                break;
            }
        }
        // Not found (e.g. written under an alias): stay with the last key found.
        let Some((l, end)) = hit else { break };
        line = l;
        col = end;
        parent_indent = Some(indent_of(lines[l]));
        found = Some(l + 1);
    }
    found
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Byte offset of the mapping key in `text` that stands for `key` (`key:`,
/// `{key: `, `"key":`), also when written as printed (`（七）总计:`), and the
/// offset just after its colon.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '{' | ',' => start = i + 1,
            ':' => {
                let rest = &text[i + 1..];
                if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
                    continue;
                }
                let raw = &text[start..i];
                let label = raw.trim().trim_matches(['"', '\'']);
                if !label.is_empty()
                    && (label == key || labels::canonical(label).is_some_and(|k| k == key))
                {
                    return Some((start + (raw.len() - raw.trim_start().len()), i + 1));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_our_fences_only() {
        let body = "text\n\n```disclosure-table 三\n```\n\n```rust\nfn a() {}\n```\n\n~~~~disclosure-stats\n申请: {}\n~~~~\n";
        let f = fences(body);
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].lang, f[0].meta.as_str(), f[0].body_index),
            (TABLE_FENCE, "三", 2)
        );
        assert_eq!(f[1].lang, STATS_FENCE);
        assert_eq!(f[1].content, "申请: {}\n");
    }

    #[test]
    fn locates_nested_keys_in_block_and_flow_style() {
        let text = "---\ndisclosure_stats:\n  申请:\n    办理结果:\n      予以公开: {自然人: 1, 总计: 1}\n      总计:\n        自然人: 2\n    上年结转: {自然人: 2}\n---\n";
        assert_eq!(
            locate(text, 2, &["申请", "办理结果", "予以公开", "总计"]),
            Some(5)
        );
        assert_eq!(
            locate(text, 2, &["申请", "办理结果", "总计", "自然人"]),
            Some(7)
        );
        assert_eq!(locate(text, 2, &["申请", "上年结转", "自然人"]), Some(8));
        assert_eq!(locate(text, 2, &["申请", "结转下年度继续办理"]), Some(3));
        let block = "```disclosure-stats\n申请:\n  本年新收: {其他: 1}\n```\n";
        assert_eq!(locate(block, 1, &["申请", "本年新收", "其他"]), Some(3));
        // Printed labels with their numbering point at their own line too.
        let printed = "---\ndisclosure_stats:\n  申请:\n    三、本年度办理结果:\n      （一）予以公开: {自然人: 1}\n      （七）总计: {自然人: 2, 总计: 2}\n    四、结转下年度继续办理: {自然人: 0}\n---\n";
        assert_eq!(
            locate(printed, 2, &["申请", "办理结果", "总计", "总计"]),
            Some(6)
        );
        assert_eq!(
            locate(printed, 2, &["申请", "结转下年度继续办理", "自然人"]),
            Some(7)
        );
    }
}
