//! Units that were renamed: when a report has no previous-year report of its
//! unit to compare 上年结转 with, but a unit with a similar name has one, the
//! editor probably needs `former_names` under `[units]`.

use std::collections::HashMap;

use crate::config::UnitKind;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

/// Warnings for `check`: reports whose 上年结转 cannot be compared because last
/// year's report seems to be filed under a former name of their unit.
/// `has_requests(i)`: whether report `i` has table 三.
pub fn hints(site: &Site, has_requests: impl Fn(usize) -> bool) -> Vec<Diagnostic> {
    // (unit, year) → its newest report with table 三 (reports are newest first).
    let mut with_table: HashMap<(usize, i32), usize> = HashMap::new();
    for i in (0..site.reports.len()).filter(|&i| has_requests(i)) {
        let r = &site.reports[i];
        with_table.entry((r.unit, r.meta.year)).or_insert(i);
    }
    let mut out = Vec::new();
    for (i, r) in site.reports.iter().enumerate() {
        let year = r.meta.year;
        if !has_requests(i) || with_table.contains_key(&(r.unit, year - 1)) {
            continue;
        }
        let unit = &site.units[r.unit];
        // The similar units' reports of last year, by unit.
        let candidates: Vec<(&str, usize)> = site
            .units
            .iter()
            .enumerate()
            .filter(|(u, other)| {
                *u != r.unit
                    && !with_table.contains_key(&(*u, year))
                    && similar(&unit.name, unit.kind, &other.name, other.kind)
            })
            .filter_map(|(u, other)| Some((other.name.as_str(), *with_table.get(&(u, year - 1))?)))
            .collect();
        let Some((first, _)) = candidates.first() else {
            continue;
        };
        let separator = tr("disclosure.units-separator", &[]);
        let others = candidates
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(&separator);
        // Both reports are named, each with the line of its 来源.
        let reports = candidates
            .iter()
            .map(|&(_, p)| place(&site.reports[p]))
            .collect::<Vec<_>>()
            .join(&separator);
        let mut d = Diagnostic::warning(tr(
            "disclosure.renamed-unit",
            &[
                ("unit", &unit.name),
                ("year", &(year - 1)),
                ("others", &others),
                ("reports", &reports),
            ],
        ))
        .in_file(&r.file)
        .with_help(tr(
            "disclosure.renamed-unit-help",
            &[("first", first), ("unit", &unit.name)],
        ));
        if let Some(line) = r.meta.line_of("source") {
            d = d.at_line(line);
        }
        out.push(d);
    }
    out
}

/// `file:line` of a report's `source:` (its file alone when the line is unknown).
fn place(r: &crate::model::Report) -> String {
    match r.meta.line_of("source") {
        Some(line) => format!("{}:{line}", r.file.display()),
        None => r.file.display().to_string(),
    }
}

/// One name within the other (洪泽区人民政府, 淮安市洪泽区人民政府), two governments
/// of one place (平潭县人民政府, 平潭综合实验区管委会办公室), or a long common start.
pub fn similar(a: &str, a_kind: UnitKind, b: &str, b_kind: UnitKind) -> bool {
    if a.contains(b) || b.contains(a) {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let governments = a_kind == UnitKind::Government && b_kind == UnitKind::Government;
    (governments && common >= 2) || common >= 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitKind::*;

    #[test]
    fn renamed_units_look_similar() {
        assert!(similar(
            "洪泽区人民政府",
            Government,
            "淮安市洪泽区人民政府",
            Government
        ));
        assert!(similar(
            "平潭县人民政府",
            Government,
            "平潭综合实验区管委会办公室",
            Government
        ));
        assert!(similar(
            "淮安市卫生局",
            Department,
            "淮安市卫生健康委员会",
            Department
        ));
        assert!(!similar(
            "淮安市司法局",
            Department,
            "淮安市财政局",
            Department
        ));
        assert!(!similar(
            "上海市人民政府办公厅",
            Government,
            "淮安市人民政府",
            Government
        ));
    }
}
