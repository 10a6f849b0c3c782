//! The importer's [`StatisticsRecogniser`](super::StatisticsRecogniser) backed by
//! `disclosure::recognise`: the official statistics tables of a 政府信息公开工作
//! 年度报告 become `disclosure_stats` data and `disclosure-table` markers. A
//! table that looks like statistics but is not read as data stays a table,
//! and a note says which and why.

use super::RecognisedStatistics;
use super::blocks::TableGrid;
use crate::disclosure::recognise::{self, Unread};
use crate::i18n::tr;

pub fn recognise_tables(tables: &[&TableGrid]) -> Option<RecognisedStatistics> {
    let mut stats = serde_json::Value::Null;
    let mut placed: Vec<(usize, String)> = Vec::new();
    let mut notes = Vec::new();
    for (index, grid) in tables.iter().enumerate() {
        let texts = grid.texts();
        let why = match recognise::read(&texts, &grid.origins()) {
            Ok(found) if recognise::overlaps(&stats, &found) => {
                let number = found.table.numeral();
                let first = placed
                    .iter()
                    .find(|(_, n)| n == number)
                    .map_or(0, |(i, _)| *i);
                tr(
                    "import.stats-why-second",
                    &[("table", &number), ("first", &(first + 1))],
                )
            }
            Ok(found) => {
                let number = found.table.numeral().to_string();
                recognise::merge(&mut stats, found);
                placed.push((index, number));
                continue;
            }
            Err(Unread::Why(why)) => why,
            Err(Unread::NotStatistics) if recognise::looks_like_statistics(&texts) => {
                tr("import.stats-why-layout", &[])
            }
            Err(Unread::NotStatistics) => continue,
        };
        notes.push(tr(
            "import.note-stats-unread",
            &[
                ("number", &(index + 1)),
                ("first", &first_text(grid)),
                ("why", &why),
            ],
        ));
    }
    if placed.is_empty() && notes.is_empty() {
        return None;
    }
    // JSON is YAML: the data keeps its exact keys and blank cells (null).
    let yaml = serde_json::to_string_pretty(&stats).ok()?;
    Some(RecognisedStatistics {
        yaml,
        tables: placed,
        notes,
    })
}

/// The first words of a table, to name it.
fn first_text(grid: &TableGrid) -> String {
    let text = grid
        .cells
        .iter()
        .map(|c| c.text.trim())
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    let mut out: String = text.chars().take(20).collect();
    if text.chars().count() > 20 {
        out.push('…');
    }
    out
}
