//! The importer's [`StatisticsRecogniser`](super::StatisticsRecogniser) backed by
//! `disclosure::recognise`: the official statistics tables of a 政府信息公开工作
//! 年度报告 become `disclosure_stats` data and `disclosure-table` markers.

use super::RecognisedStatistics;
use super::blocks::TableGrid;
use crate::disclosure::recognise;

pub fn recognise_tables(tables: &[&TableGrid]) -> Option<RecognisedStatistics> {
    let mut stats = serde_json::Value::Null;
    let mut placed: Vec<(usize, String)> = Vec::new();
    for (index, grid) in tables.iter().enumerate() {
        let Some(found) = recognise::recognise(&grid.expanded()) else {
            continue;
        };
        let number = found.table.numeral().to_string();
        recognise::merge(&mut stats, found);
        placed.push((index, number));
    }
    if placed.is_empty() {
        return None;
    }
    // JSON is YAML: the data keeps its exact keys and blank cells (null).
    let yaml = serde_json::to_string_pretty(&stats).ok()?;
    Some(RecognisedStatistics {
        yaml,
        tables: placed,
    })
}
