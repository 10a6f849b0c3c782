//! The arithmetic of the tables: every count a whole number ≥ 0, amounts ≥ 0,
//! totals equal to the sum of their parts, 新收 + 上年结转 = 办理结果总计 +
//! 结转下年度 in every column, and 上年结转 equal to last year's 结转下年度.
//! Every finding of a report is returned, not only the first; a blank cell
//! counts as 0 and a blank 总计 is not compared.

use serde::Serialize;

use crate::i18n::tr;

use super::schema::*;
use super::tables::*;

/// One wrong cell: which table and cell, what it says and what it should say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub table: TableNo,
    /// The cell as the printed table names it: row headers, then column header.
    pub cell: String,
    /// The YAML key path of the cell, e.g. `申请.本年新收.总计`.
    pub key: String,
    pub found: String,
    pub expected: String,
    /// The rule that was broken, for the editor.
    pub rule: String,
}

impl Finding {
    /// The key path split into its keys, to find the line it is written on.
    pub fn key_path(&self) -> Vec<&str> {
        self.key.split('.').collect()
    }
}

struct Collector {
    findings: Vec<Finding>,
}

impl Collector {
    fn push(
        &mut self,
        table: TableNo,
        cell: String,
        key: Vec<&str>,
        found: impl ToString,
        expected: impl ToString,
        rule: impl Into<String>,
    ) {
        let key = std::iter::once(table.key())
            .chain(key)
            .collect::<Vec<_>>()
            .join(".");
        self.findings.push(Finding {
            table,
            cell,
            key,
            found: found.to_string(),
            expected: expected.to_string(),
            rule: rule.into(),
        });
    }

    /// A count must be a whole number ≥ 0; returns whether it is.
    /// `place` names the cell; called only when there is a finding.
    fn whole<'k>(
        &mut self,
        table: TableNo,
        c: Count,
        place: impl FnOnce() -> (String, Vec<&'k str>),
    ) -> bool {
        if c.whole().is_some() {
            return true;
        }
        let (cell, key) = place();
        self.push(
            table,
            cell,
            key,
            c,
            tr("disclosure.expect-whole", &[]),
            tr("disclosure.rule-whole", &[]),
        );
        false
    }
}

/// Findings within one report's statistics.
pub fn check_stats(stats: &DisclosureStats) -> Vec<Finding> {
    let mut c = Collector {
        findings: Vec::new(),
    };
    if let Some(p) = &stats.proactive {
        check_proactive(&mut c, p);
    }
    if let Some(r) = &stats.requests {
        check_requests(&mut c, r);
    }
    if let Some(a) = &stats.appeals {
        check_appeals(&mut c, a);
    }
    c.findings
}

fn check_proactive(c: &mut Collector, p: &ProactiveTable) {
    for block in proactive_blocks(p) {
        for row in &block.rows {
            for ((cell, key), column) in row.cells.iter().zip(row.cell_keys).zip(block.columns) {
                let name = || format!("{} · {}", row.label, column);
                match cell {
                    ProactiveCell::Count(n) => {
                        c.whole(TableNo::Proactive, *n, || (name(), vec![row.label, key]));
                    }
                    ProactiveCell::Change(n) if !n.whole_signed() => c.push(
                        TableNo::Proactive,
                        name(),
                        vec![row.label, key],
                        n,
                        tr("disclosure.expect-signed", &[]),
                        tr("disclosure.rule-change", &[]),
                    ),
                    ProactiveCell::Money(m) if !m.is_valid() => c.push(
                        TableNo::Proactive,
                        name(),
                        vec![row.label, key],
                        m,
                        tr("disclosure.expect-money", &[]),
                        tr("disclosure.rule-money", &[]),
                    ),
                    ProactiveCell::Amount(a) if !a.is_valid() => c.push(
                        TableNo::Proactive,
                        name(),
                        vec![row.label, key],
                        a,
                        tr("disclosure.expect-amount", &[]),
                        tr("disclosure.rule-amount", &[]),
                    ),
                    _ => {}
                }
            }
        }
    }
}

/// Checks one 表三 row: each cell whole, and a written 总计 equal to the sum of
/// the six parts. Returns whether every cell is a whole number.
fn check_applicant_row(c: &mut Collector, label: &str, key: &[&str], a: &Applicants) -> bool {
    let mut ok = true;
    for (value, column) in a.parts().into_iter().zip(APPLICANT_COLUMNS.iter().copied()) {
        ok &= c.whole(TableNo::Requests, value, || {
            (format!("{label} · {column}"), [key, &[column]].concat())
        });
    }
    let Some(total) = a.total.filter(|t| !t.is_blank()) else {
        return ok;
    };
    let place = || (format!("{label} · 总计"), [key, &["总计"]].concat());
    if !c.whole(TableNo::Requests, total, place) {
        return false;
    }
    if ok && !total.same(a.sum_of_parts()) {
        let (cell, path) = place();
        c.push(
            TableNo::Requests,
            cell,
            path,
            total,
            a.sum_of_parts(),
            tr("disclosure.rule-applicant-total", &[]),
        );
    }
    ok
}

fn check_requests(c: &mut Collector, r: &Requests) {
    let mut valid = check_applicant_row(c, NEW_LABEL, &["本年新收"], &r.new);
    valid &= check_applicant_row(c, CARRIED_OVER_LABEL, &["上年结转"], &r.carried_over);
    // The rows （一）–（六） are summed into （七）总计 whatever the other rows hold.
    let mut outcomes_valid = true;
    for g in outcome_groups(&r.outcomes) {
        for row in &g.rows {
            let label = match row.label {
                Some(sub) => format!("{OUTCOMES_LABEL} {} {sub}", g.label),
                None => format!("{OUTCOMES_LABEL} {}", g.label),
            };
            let path = [&["办理结果"][..], &row.path(&g)].concat();
            outcomes_valid &= check_applicant_row(c, &label, &path, row.counts);
        }
    }
    let total_label = format!("{OUTCOMES_LABEL} {OUTCOME_TOTAL_LABEL}");
    valid &= check_applicant_row(
        c,
        CARRIED_FORWARD_LABEL,
        &["结转下年度继续办理"],
        &r.carried_forward,
    );
    // Columns whose （七）总计 is already reported are not reported again below.
    let mut total_wrong = [false; 7];
    let columns = |a: &Applicants| {
        let p = a.parts();
        [p[0], p[1], p[2], p[3], p[4], p[5], a.total()]
    };
    if let Some(total) = &r.outcomes.total {
        outcomes_valid &= check_applicant_row(c, &total_label, &["办理结果", "总计"], total);
        let parts = r.outcomes.sum_of_rows().parts();
        let sums = [
            parts[0],
            parts[1],
            parts[2],
            parts[3],
            parts[4],
            parts[5],
            r.outcomes.sum_of_row_totals(),
        ];
        let given = [
            total.parts().map(Some).as_slice(),
            &[total.total.filter(|t| !t.is_blank())],
        ]
        .concat();
        for (i, column) in super::schema::REQUEST_COLUMNS.iter().enumerate() {
            let Some(given) = given[i] else { continue };
            // A 总计 that disagrees with its own row was reported just above.
            if i == 6 && !given.same(total.sum_of_parts()) {
                continue;
            }
            if outcomes_valid && !given.is_blank() && !given.same(sums[i]) {
                total_wrong[i] = true;
                c.push(
                    TableNo::Requests,
                    format!("{total_label} · {column}"),
                    vec!["办理结果", "总计", column],
                    given,
                    sums[i],
                    tr("disclosure.rule-outcome-total", &[]),
                );
            }
        }
    }
    if !(valid && outcomes_valid) {
        return;
    }
    // 第一项加第二项之和，等于第三项加第四项之和, column by column (总计 follows
    // from these and from the row sums checked above).
    let total_row = r.outcomes.total_row();
    let (total_row, new, over, forward) = (
        columns(&total_row),
        columns(&r.new),
        columns(&r.carried_over),
        columns(&r.carried_forward),
    );
    for (i, column) in APPLICANT_COLUMNS.iter().enumerate() {
        let expected = Count::of(new[i].value() + over[i].value() - forward[i].value());
        if !total_wrong[i] && !total_row[i].same(expected) {
            c.push(
                TableNo::Requests,
                format!("{total_label} · {column}"),
                vec!["办理结果", "总计", column],
                total_row[i],
                expected,
                tr(
                    "disclosure.rule-balance",
                    &[
                        ("new", &new[i]),
                        ("over", &over[i]),
                        ("forward", &forward[i]),
                    ],
                ),
            );
        }
    }
}

fn check_appeals(c: &mut Collector, a: &Appeals) {
    for (path, label, v) in verdict_groups(a) {
        let mut ok = true;
        for (value, column) in v.parts().into_iter().zip(VERDICT_COLUMNS) {
            ok &= c.whole(TableNo::Appeals, value, || {
                (
                    format!("{label} · {column}"),
                    [&path[..], &[column]].concat(),
                )
            });
        }
        let Some(total) = v.total.filter(|t| !t.is_blank()) else {
            continue;
        };
        let place = || (format!("{label} · 总计"), [&path[..], &["总计"]].concat());
        if c.whole(TableNo::Appeals, total, place) && ok && !total.same(v.sum_of_parts()) {
            let (cell, key) = place();
            c.push(
                TableNo::Appeals,
                cell,
                key,
                total,
                v.sum_of_parts(),
                tr("disclosure.rule-verdict-total", &[]),
            );
        }
    }
}

/// This year's 上年结转 against the previous report year's 结转下年度继续办理.
pub fn check_carry_over(this: &Requests, previous: &Requests, previous_name: &str) -> Vec<Finding> {
    let mut c = Collector {
        findings: Vec::new(),
    };
    let (now, before) = (this.carried_over.parts(), previous.carried_forward.parts());
    for (i, column) in APPLICANT_COLUMNS.iter().enumerate() {
        if now[i].whole().is_some() && before[i].whole().is_some() && !now[i].same(before[i]) {
            c.push(
                TableNo::Requests,
                format!("{CARRIED_OVER_LABEL} · {column}"),
                vec!["上年结转", column],
                now[i],
                before[i],
                tr(
                    "disclosure.rule-carry-over",
                    &[("previous", &previous_name)],
                ),
            );
        }
    }
    c.findings
}
