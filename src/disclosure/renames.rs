//! Units that were renamed: when a report has no previous-year report of its
//! unit to compare 上年结转 with, but a unit with a similar name has one, the
//! editor probably needs `former_names` under `[units]`.

use std::collections::HashSet;

use crate::config::UnitKind;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

/// Warnings for `check`: reports whose 上年结转 cannot be compared because last
/// year's report seems to be filed under a former name of their unit.
/// `has_requests(i)`: whether report `i` has table 三.
pub fn hints(site: &Site, has_requests: impl Fn(usize) -> bool) -> Vec<Diagnostic> {
    let with_table: HashSet<(usize, i32)> = (0..site.reports.len())
        .filter(|&i| has_requests(i))
        .map(|i| (site.reports[i].unit, site.reports[i].meta.year))
        .collect();
    let mut out = Vec::new();
    for (i, r) in site.reports.iter().enumerate() {
        let year = r.meta.year;
        if !has_requests(i) || with_table.contains(&(r.unit, year - 1)) {
            continue;
        }
        let unit = &site.units[r.unit];
        let candidates: Vec<&str> = site
            .units
            .iter()
            .enumerate()
            .filter(|(u, other)| {
                *u != r.unit
                    && with_table.contains(&(*u, year - 1))
                    && !with_table.contains(&(*u, year))
                    && similar(&unit.name, unit.kind, &other.name, other.kind)
            })
            .map(|(_, other)| other.name.as_str())
            .collect();
        let Some(first) = candidates.first() else {
            continue;
        };
        let others = candidates.join(&tr("disclosure.units-separator", &[]));
        let mut d = Diagnostic::warning(tr(
            "disclosure.renamed-unit",
            &[
                ("unit", &unit.name),
                ("year", &(year - 1)),
                ("others", &others),
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
