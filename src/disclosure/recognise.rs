//! Recognising the official statistics tables in a plain grid of cells, as
//! found in a Markdown table, a pasted text or a Word document: rows of cell
//! strings in, the data for `disclosure_stats:` out (keys of the schema, blank
//! cells as null so they stay blank).

use serde_json::{Map, Value};

use super::labels::canonical;
use super::schema::Format;
use super::tables::TableNo;

/// (Part of) one official table found in a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    pub table: TableNo,
    /// The format the columns belong to (表二 differs; 表三 and 表四 do not).
    pub format: Option<Format>,
    /// The data under the table's key (`主动公开`, `申请`, `复议诉讼`).
    pub data: Value,
}

/// What a grid holds, if it is a block of 表二, or 表三, or 表四.
pub fn recognise(rows: &[Vec<String>]) -> Option<Recognised> {
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.trim()).collect())
        .filter(|r: &Vec<&str>| r.iter().any(|c| !c.is_empty()))
        .collect();
    proactive(&rows)
        .or_else(|| appeals(&rows))
        .or_else(|| requests(&rows))
}

/// Adds what was recognised to `stats` (the value of `disclosure_stats:`).
pub fn merge(stats: &mut Value, found: Recognised) {
    if !stats.is_object() {
        *stats = Value::Object(Map::new());
    }
    let Some(map) = stats.as_object_mut() else {
        return;
    };
    if found.format == Some(Format::Y2019) {
        map.insert("格式".into(), Value::from(2019));
    }
    let slot = map
        .entry(found.table.key())
        .or_insert_with(|| Value::Object(Map::new()));
    match (slot.as_object_mut(), found.data) {
        (Some(into), Value::Object(from)) => into.extend(from),
        (_, data) => *slot = data,
    }
}

/// A cell as data: blank → null, a number → number, anything else as text.
fn cell(text: &str) -> Value {
    let t = text.trim().replace([',', '，'], "");
    if t.is_empty() || t == "—" || t == "-" || t == "/" {
        return Value::Null;
    }
    if let Ok(n) = t.parse::<i64>() {
        return Value::from(n);
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Value::from(f),
        _ => Value::from(text.trim()),
    }
}

fn is_number_or_blank(text: &str) -> bool {
    !matches!(cell(text), Value::String(_))
}

const PROACTIVE_ROWS: &[&str] = &[
    "规章",
    "行政规范性文件",
    "规范性文件",
    "行政许可",
    "其他对外管理服务事项",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "政府集中采购",
];

const EARLIER_COLUMNS: &[&str] = &["本年新制作数量", "上一年项目数量", "采购项目数量"];

/// A block of 表二: one header row of column names, then a row per item.
fn proactive(rows: &[Vec<&str>]) -> Option<Recognised> {
    let (header, body) = rows.split_first()?;
    let columns: Vec<&'static str> = header
        .iter()
        .skip(1)
        .map(|c| canonical(c))
        .collect::<Option<_>>()?;
    if columns.is_empty() || body.is_empty() {
        return None;
    }
    let mut data = Map::new();
    for row in body {
        let key = canonical(row.first()?).filter(|k| PROACTIVE_ROWS.contains(k))?;
        let mut cells = Map::new();
        for (column, value) in columns.iter().zip(row.iter().skip(1)) {
            cells.insert((*column).into(), cell(value));
        }
        data.insert(key.into(), Value::Object(cells));
    }
    let earlier = columns.iter().any(|c| EARLIER_COLUMNS.contains(c));
    Some(Recognised {
        table: TableNo::Proactive,
        format: Some(if earlier {
            Format::Y2019
        } else {
            Format::Y2021
        }),
        data: Value::Object(data),
    })
}

/// 表四: header rows naming 行政复议 and 行政诉讼, one row of 15 numbers.
fn appeals(rows: &[Vec<&str>]) -> Option<Recognised> {
    let names_both = rows.iter().take(3).flatten().any(|c| *c == "行政复议")
        && rows.iter().take(3).flatten().any(|c| *c == "行政诉讼");
    if !names_both {
        return None;
    }
    let numbers = rows
        .iter()
        .find(|r| r.len() >= 15 && r.iter().rev().take(15).all(|c| is_number_or_blank(c)))?;
    let values: Vec<Value> = numbers[numbers.len() - 15..]
        .iter()
        .map(|c| cell(c))
        .collect();
    let verdicts = |v: &[Value]| {
        let mut m = Map::new();
        for (k, value) in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            .iter()
            .zip(v)
        {
            m.insert((*k).into(), value.clone());
        }
        Value::Object(m)
    };
    let mut litigation = Map::new();
    litigation.insert("未经复议直接起诉".into(), verdicts(&values[5..10]));
    litigation.insert("复议后起诉".into(), verdicts(&values[10..15]));
    let mut data = Map::new();
    data.insert("行政复议".into(), verdicts(&values[0..5]));
    data.insert("行政诉讼".into(), Value::Object(litigation));
    Some(Recognised {
        table: TableNo::Appeals,
        format: None,
        data: Value::Object(data),
    })
}

/// Outcome groups of 表三 that have numbered sub-rows.
const GROUPS_WITH_ROWS: &[&str] = &["不予公开", "无法提供", "不予处理", "其他处理"];

/// 表三: rows whose last seven cells are numbers (or blank), labelled by the
/// cells before them; merged row headers appear on the first row of a group.
fn requests(rows: &[Vec<&str>]) -> Option<Recognised> {
    let columns = super::schema::REQUEST_COLUMNS;
    let mut data = Map::new();
    let mut outcomes = Map::new();
    let mut group: Option<&'static str> = None;
    let mut found = 0;
    for row in rows {
        if row.len() < 8 || !row[row.len() - 7..].iter().all(|c| is_number_or_blank(c)) {
            continue;
        }
        let labels: Vec<&'static str> = row[..row.len() - 7]
            .iter()
            .filter(|c| !c.is_empty())
            .filter_map(|c| canonical(c))
            .filter(|k| *k != "办理结果")
            .collect();
        let Some(&last) = labels.last() else { continue };
        let mut counts = Map::new();
        for (k, v) in columns.iter().zip(&row[row.len() - 7..]) {
            counts.insert((*k).into(), cell(v));
        }
        let counts = Value::Object(counts);
        found += 1;
        match last {
            "本年新收" | "上年结转" | "结转下年度继续办理" => {
                group = None;
                data.insert(last.into(), counts);
            }
            "予以公开" | "部分公开" | "总计" => {
                group = None;
                outcomes.insert(last.into(), counts);
            }
            // （六）其他处理 printed as one row.
            "其他处理" if labels.len() == 1 => {
                group = None;
                outcomes.insert(last.into(), counts);
            }
            _ => {
                if let Some(g) = labels.iter().find(|l| GROUPS_WITH_ROWS.contains(l)) {
                    group = Some(g);
                }
                let g = group?;
                let entry = outcomes
                    .entry(g)
                    .or_insert_with(|| Value::Object(Map::new()));
                entry.as_object_mut()?.insert(last.into(), counts);
            }
        }
    }
    if found < 3 {
        return None;
    }
    data.insert("办理结果".into(), Value::Object(outcomes));
    Some(Recognised {
        table: TableNo::Requests,
        format: None,
        data: Value::Object(data),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
            .collect()
    }

    #[test]
    fn earlier_proactive_block() {
        let r = recognise(&grid(
            "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量\n行政许可 | 40 | -18 | \n其他对外管理服务事项 | 3 | 0 | 7",
        ))
        .unwrap();
        assert_eq!(r.table, TableNo::Proactive);
        assert_eq!(r.format, Some(Format::Y2019));
        assert_eq!(r.data["行政许可"]["本年增/减"], Value::from(-18));
        assert_eq!(r.data["行政许可"]["处理决定数量"], Value::Null);
    }

    #[test]
    fn procurement_amount_stays_text() {
        let r = recognise(&grid(
            "第二十条第（九）项 | 采购项目数量 | 采购总金额\n政府集中采购 | 2 | 1200.50元",
        ))
        .unwrap();
        assert_eq!(
            r.data["政府集中采购"]["采购总金额"],
            Value::from("1200.50元")
        );
    }

    #[test]
    fn requests_with_merged_row_headers() {
        let r = recognise(&grid(
            "一、本年新收政府信息公开申请数量 | 5 | 1 |  |  |  |  | 6\n\
             二、上年结转政府信息公开申请数量 |  |  |  |  |  |  | \n\
             三、本年度办理结果 | （一）予以公开 | 3 |  |  |  |  |  | 3\n\
             （三）不予公开 | 1.属于国家秘密 | 1 |  |  |  |  |  | 1\n\
             2.其他法律行政法规禁止公开 |  | 1 |  |  |  |  | 1\n\
             （六）其他处理 | 1 |  |  |  |  |  | 1\n\
             （七）总计 | 5 | 1 |  |  |  |  | 6\n\
             四、结转下年度继续办理 |  |  |  |  |  |  | ",
        ))
        .unwrap();
        assert_eq!(r.table, TableNo::Requests);
        let o = &r.data["办理结果"];
        assert_eq!(o["予以公开"]["自然人"], Value::from(3));
        assert_eq!(o["不予公开"]["属于国家秘密"]["总计"], Value::from(1));
        assert_eq!(
            o["不予公开"]["其他法律行政法规禁止公开"]["商业企业"],
            Value::from(1)
        );
        assert_eq!(o["其他处理"]["自然人"], Value::from(1));
        assert_eq!(o["总计"]["总计"], Value::from(6));
        assert_eq!(r.data["上年结转"]["自然人"], Value::Null);
    }
}
