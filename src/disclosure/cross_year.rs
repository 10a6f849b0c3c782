//! Statistics compared across report years of one unit (its series follows
//! `former_names`, since the model files a renamed unit's old reports with it):
//! 表二's 现行有效件数(N) against 现行有效件数(N−1) + 本年制发件数(N) − 本年废止件数(N).
//! Bodies also revise and clear up documents, so a difference is a hint for
//! `check`, not an error. Every finding names both reports and the lines of
//! their cells.

use std::collections::HashMap;

use super::schema::{Count, Documents, ProactiveTable};
use super::source::{Origin, locate};
use super::{ReportStats, stats_of};
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::{Report, Site};

/// The file line where a cell of a report's statistics is written (`path` as
/// the keys of `disclosure_stats:`, e.g. `["申请", "结转下年度继续办理"]`), and
/// the file's text; the line of the data's start when the cell is not written.
pub fn cell_line(r: &Report, origin: Origin, path: &[&str]) -> (usize, Option<String>) {
    let text = crate::content::source::read_text(&r.file).ok();
    let line = text
        .as_deref()
        .and_then(|t| locate(t, origin.line(), path))
        .unwrap_or(origin.line());
    (line, text)
}

/// `file:line` of a cell, for messages that point at last year's report.
pub fn cell_place(r: &Report, origin: Origin, path: &[&str]) -> String {
    format!("{}:{}", r.file.display(), cell_line(r, origin, path).0)
}

/// Hints where 现行有效件数 does not follow from last year's and this year's counts.
pub fn in_force_hints(site: &Site, stats: &[ReportStats]) -> Vec<Diagnostic> {
    let table = |i: usize| {
        let p = stats_of(stats.get(i)?)?;
        match p.stats.proactive.as_ref()? {
            ProactiveTable::Y2021(t) => Some((t, p.origin)),
            ProactiveTable::Y2019(_) => None,
        }
    };
    // (unit, year) → the newest report with a 2021-format 表二 (reports are newest first).
    let mut by_year: HashMap<(usize, i32), usize> = HashMap::new();
    for (i, r) in site.reports.iter().enumerate() {
        if table(i).is_some() {
            by_year.entry((r.unit, r.meta.year)).or_insert(i);
        }
    }
    let mut out = Vec::new();
    for (i, r) in site.reports.iter().enumerate() {
        let (Some((now, origin)), Some(&prev)) =
            (table(i), by_year.get(&(r.unit, r.meta.year - 1)))
        else {
            continue;
        };
        let Some((before, prev_origin)) = table(prev) else {
            continue;
        };
        let rows = [
            ("规章", &now.rules, &before.rules),
            (
                "行政规范性文件",
                &now.normative_documents,
                &before.normative_documents,
            ),
        ];
        for (row, now, before) in rows {
            let Some(expected) = expected_in_force(now, before) else {
                continue;
            };
            let found = now.in_force.value() as i64;
            if found == expected {
                continue;
            }
            let path = ["主动公开", row, "现行有效件数"];
            let (line, text) = cell_line(r, origin, &path);
            let previous = &site.reports[prev];
            let previous_line = cell_line(previous, prev_origin, &path).0;
            let mut d = Diagnostic::warning(tr(
                "disclosure.in-force-hint",
                &[
                    ("row", &row),
                    ("found", &found),
                    ("expected", &expected),
                    ("previous", &before.in_force),
                    ("issued", &now.issued),
                    ("repealed", &now.repealed),
                    ("previous_file", &previous.file.display()),
                    ("previous_line", &previous_line),
                ],
            ))
            .in_file(&r.file)
            .at_line(line)
            .with_help(tr(
                "disclosure.in-force-hint-help",
                &[("line", &line), ("previous_line", &previous_line)],
            ));
            if let Some(text) = &text {
                d = d.with_source(text);
            }
            out.push(d);
        }
    }
    out
}

/// 现行有效(N−1) + 本年制发(N) − 本年废止(N), when every one of the four cells
/// was printed as a whole number (a blank cell says nothing).
fn expected_in_force(now: &Documents, before: &Documents) -> Option<i64> {
    let printed = |c: Count| {
        (!c.is_blank())
            .then(|| c.whole())
            .flatten()
            .and_then(|n| i64::try_from(n).ok())
    };
    printed(now.in_force)?;
    Some(printed(before.in_force)? + printed(now.issued)? - printed(now.repealed)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(issued: Count, repealed: Count, in_force: Count) -> Documents {
        Documents {
            issued,
            repealed,
            in_force,
        }
    }

    #[test]
    fn expected_count_needs_every_cell_printed() {
        let n = Count::of;
        let before = docs(n(1.0), n(0.0), n(10.0));
        assert_eq!(
            expected_in_force(&docs(n(2.0), n(1.0), n(11.0)), &before),
            Some(11)
        );
        // More repealed than were in force: still a number to compare with.
        assert_eq!(
            expected_in_force(&docs(n(0.0), n(12.0), n(0.0)), &before),
            Some(-2)
        );
        // A blank cell says nothing: no expectation.
        assert_eq!(
            expected_in_force(&docs(Count::BLANK, n(1.0), n(11.0)), &before),
            None
        );
        assert_eq!(
            expected_in_force(&docs(n(2.0), n(1.0), Count::BLANK), &before),
            None
        );
        let blank_before = docs(n(1.0), n(0.0), Count::BLANK);
        assert_eq!(
            expected_in_force(&docs(n(2.0), n(1.0), n(11.0)), &blank_before),
            None
        );
    }
}
