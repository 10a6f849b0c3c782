//! A 政府信息公开工作年度报告 whose statistics tables are plain Markdown tables,
//! not data: they are published as written and no sum in them is checked. The
//! editor is told, table by table (「表三未能识别为数据，数字未核对」), so wrong
//! statistics are never published silently.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, parse_document};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::disclosure::{ReportStats, TableNo, stats_of};
use crate::i18n::tr;
use crate::markdown::{MarkdownOptions, comrak_options};
use crate::model::{Report, Site};

/// The category of the reports that carry the three statistics tables.
pub const DISCLOSURE_CATEGORY: &str = "政府信息公开工作年度报告";

/// One warning per statistics table that is a plain table in a disclosure
/// report whose data does not hold that table. `stats` is in report order.
pub fn warnings(site: &Site, stats: &[ReportStats]) -> Vec<Diagnostic> {
    site.reports
        .par_iter()
        .enumerate()
        .filter(|(_, r)| is_disclosure_report(r) && r.body.contains('|'))
        .flat_map_iter(|(i, r)| {
            let data = stats.get(i).and_then(stats_of);
            tables_of(&r.body)
                .into_iter()
                .filter(move |(table, _)| !data.is_some_and(|p| table.present_in(&p.stats)))
                .map(move |(table, line)| warning(r, table, line))
        })
        .collect()
}

/// A report of the disclosure category, or, without a category, one whose
/// title names it (an import that could not set the category).
fn is_disclosure_report(r: &Report) -> bool {
    match &r.meta.category {
        Some(c) => c == DISCLOSURE_CATEGORY,
        None => r.meta.title.contains("政府信息公开") && r.meta.title.contains("年度报告"),
    }
}

fn warning(r: &Report, table: TableNo, line: usize) -> Diagnostic {
    Diagnostic::warning(tr("disclosure.plain-table", &[("table", &table.numeral())]))
        .in_file(&r.file)
        .at_line(r.body_line + line - 1)
        .with_help(tr(
            "disclosure.plain-table-help",
            &[("table", &table.numeral())],
        ))
}

/// What [`plain_statistics_tables`] found in each body seen, by the body's
/// hash. `serve` runs this check over every body after each save and its
/// panel's `check` once more: parsing every body again each time cost more
/// than the edit (half a second at 10,000 reports). A pure function's memo.
static FOUND: LazyLock<Mutex<HashMap<blake3::Hash, Found>>> = LazyLock::new(Mutex::default);
/// The tables of one body and the line each starts on.
type Found = Vec<(TableNo, usize)>;
/// Bodies remembered at most, then forgotten all at once (a long `serve`).
const FOUND_MAX: usize = 100_000;

/// [`plain_statistics_tables`] of `body`, parsed once per distinct body.
fn tables_of(body: &str) -> Found {
    let key = blake3::hash(body.as_bytes());
    let lock = || FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = lock().get(&key) {
        return found.clone();
    }
    let found = plain_statistics_tables(body);
    let mut memo = lock();
    if memo.len() >= FOUND_MAX {
        memo.clear();
    }
    memo.insert(key, found.clone());
    found
}

/// The statistics tables among the Markdown tables of a body, with the
/// 1-based body line each starts on; each table number once.
pub fn plain_statistics_tables(body: &str) -> Vec<(TableNo, usize)> {
    let arena = Arena::new();
    let options = comrak_options(&MarkdownOptions::default());
    let root = parse_document(&arena, body, &options);
    let mut found: Vec<(TableNo, usize)> = Vec::new();
    for node in root.descendants() {
        if !matches!(node.data().value, NodeValue::Table(_)) {
            continue;
        }
        let text = text_of(node);
        if let Some(table) = which_table(&text)
            && !found.iter().any(|(t, _)| *t == table)
        {
            found.push((table, node.data().sourcepos.start.line.max(1)));
        }
    }
    found
}

/// Which official table the text of a table's cells belongs to, by the row
/// and column labels only that table has.
fn which_table(text: &str) -> Option<TableNo> {
    let has = |words: &[&str]| words.iter().all(|w| text.contains(w));
    if has(&["自然人"]) || has(&["本年新收"]) || has(&["予以公开", "不予公开"]) {
        Some(TableNo::Requests)
    } else if has(&["行政复议", "行政诉讼"]) && (has(&["维持"]) || has(&["纠正"])) {
        Some(TableNo::Appeals)
    } else if has(&["规章"]) && (has(&["规范性文件"]) || has(&["行政许可"])) {
        Some(TableNo::Proactive)
    } else {
        None
    }
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let NodeValue::Text(t) = &d.data().value {
            s.push_str(t);
            s.push(' ');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_tables_are_told_by_their_labels() {
        let body = "正文。\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n| 行政规范性文件 | 3 |\n\n\
                    | | 自然人 | 总计 |\n|---|---|---|\n| 一、本年新收政府信息公开申请数量 | 5 | 5 |\n\n\
                    | 项目 | 数量 |\n|---|---|\n| 会议 | 3 |\n";
        assert_eq!(
            plain_statistics_tables(body),
            [(TableNo::Proactive, 3), (TableNo::Requests, 8)]
        );
        assert!(plain_statistics_tables("| a | b |\n|---|---|\n| 1 | 2 |\n").is_empty());
        // Remembered, and the same the second time.
        assert_eq!(tables_of(body), plain_statistics_tables(body));
        assert_eq!(tables_of(body), plain_statistics_tables(body));
    }
}
