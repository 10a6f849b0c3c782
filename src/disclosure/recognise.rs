//! Recognising the official statistics tables in a plain grid of cells, as
//! found in a Markdown table, a pasted text or a Word document: rows of cell
//! strings in, the data for `disclosure_stats:` out (keys of the schema, blank
//! cells as null so they stay blank).

use serde_json::{Map, Value};

use super::labels::{canonical, fold};
use super::schema::Format;
use super::tables::TableNo;
use crate::i18n::tr;

/// (Part of) one official table found in a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognised {
    pub table: TableNo,
    /// The format the columns belong to (表二 differs; 表三 and 表四 do not).
    pub format: Option<Format>,
    /// The data under the table's key (`主动公开`, `申请`, `复议诉讼`).
    pub data: Value,
}

/// Why a grid was not read as data.
#[derive(Debug, Clone, PartialEq)]
pub enum Unread {
    /// Nothing in it is a statistics table.
    NotStatistics,
    /// It is (part of) a statistics table, but not one read right: the sentence says why.
    Why(String),
}

/// A cell of a row: its text and the positions `start..end` it covers.
#[derive(Debug, Clone, Copy)]
struct Span<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// One row as a reader sees it: the text at every position, and the cells.
struct Row<'a> {
    pos: Vec<&'a str>,
    spans: Vec<Span<'a>>,
}

impl<'a> Row<'a> {
    fn new<S: AsRef<str>>(texts: &'a [S], origins: &[usize]) -> Row<'a> {
        let pos: Vec<&str> = texts.iter().map(|c| c.as_ref().trim()).collect();
        let mut spans: Vec<Span> = Vec::new();
        for (i, text) in pos.iter().enumerate() {
            match spans.last_mut() {
                Some(last) if origins.get(i) == origins.get(last.start) => last.end = i + 1,
                _ => spans.push(Span {
                    text,
                    start: i,
                    end: i + 1,
                }),
            }
        }
        Row { pos, spans }
    }

    /// The first non-blank text at positions `start..end`.
    fn value(&self, start: usize, end: usize) -> &'a str {
        self.pos
            .get(start..end.min(self.pos.len()))
            .and_then(|p| p.iter().find(|t| !t.is_empty()))
            .copied()
            .unwrap_or("")
    }
}

/// What a grid holds, if it is a block of 表二, or 表三, or 表四. Every
/// position is its own cell (a Markdown table, a pasted text).
pub fn recognise(rows: &[Vec<String>]) -> Option<Recognised> {
    let mut next = 0..;
    let origins: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| row.iter().map(|_| next.next().unwrap_or(0)).collect())
        .collect();
    read(rows, &origins).ok()
}

/// What a laid-out grid holds: `texts` has the text of the covering cell at
/// every position, `origins` which cell covers it (equal numbers: one merged
/// cell), as Word and browsers lay tables out.
pub fn read<S: AsRef<str>>(texts: &[Vec<S>], origins: &[Vec<usize>]) -> Result<Recognised, Unread> {
    let rows: Vec<Row> = texts
        .iter()
        .zip(origins)
        .map(|(t, o)| Row::new(t, o))
        .filter(|r| r.pos.iter().any(|c| !c.is_empty()))
        .collect();
    let mut why: Option<String> = None;
    for attempt in [proactive, appeals, requests] {
        match attempt(&rows) {
            Ok(found) => return Ok(found),
            Err(Unread::Why(w)) => why = why.or(Some(w)),
            Err(Unread::NotStatistics) => {}
        }
    }
    Err(why.map_or(Unread::NotStatistics, Unread::Why))
}

/// Words that only the statistics tables print (old and new formats).
const STATISTICS_WORDS: &[&str] = &[
    "主动公开",
    "依申请",
    "申请数",
    "政府信息公开申请",
    "行政复议",
    "行政诉讼",
    "予以公开",
    "不予公开",
    "第二十条",
    "信息内容",
    "自然人",
    "处理决定",
    "答复数",
];

/// A table that names several things only statistics tables name, and holds numbers.
pub fn looks_like_statistics<S: AsRef<str>>(texts: &[Vec<S>]) -> bool {
    let cells = || texts.iter().flatten();
    let words = STATISTICS_WORDS
        .iter()
        .filter(|w| cells().any(|c| c.as_ref().contains(*w)))
        .count();
    let numbers = cells()
        .filter(|c| matches!(cell(c.as_ref()), Value::Number(_)))
        .count();
    words >= 2 && numbers >= 3
}

fn why(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> Unread {
    Unread::Why(tr(key, args))
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
    deep_merge(slot, found.data);
}

/// `from` laid over `into`, object by object: a table split in two (a page
/// break) keeps the rows of both parts, also within one group (办理结果).
fn deep_merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (k, v) in from {
                match into.get_mut(&k) {
                    Some(existing) => deep_merge(existing, v),
                    None => {
                        into.insert(k, v);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

/// Whether `found` holds a cell `stats` has already (a second copy of a
/// table, not the rest of one), so merging it would overwrite data.
pub fn overlaps(stats: &Value, found: &Recognised) -> bool {
    fn any_leaf_in(have: &Value, new: &Value) -> bool {
        match (have, new) {
            (Value::Object(have), Value::Object(new)) => new
                .iter()
                .any(|(k, v)| have.get(k).is_some_and(|h| any_leaf_in(h, v))),
            _ => true,
        }
    }
    stats
        .get(found.table.key())
        .is_some_and(|have| any_leaf_in(have, &found.data))
}

/// A cell as data: blank → null, a number → number, anything else as text.
fn cell(text: &str) -> Value {
    // Full-width digits and signs, as Chinese input methods type them.
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，'))
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect();
    if t.is_empty() || t == "—" || t == "-" || t == "/" || t == "／" {
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

/// 表二 as printed: section rows (第二十条第（一）项, merged across the
/// table), each followed by a header row (信息内容 and the column names) and
/// the rows of its items; or header rows naming the section in their first cell.
fn proactive(rows: &[Row]) -> Result<Recognised, Unread> {
    let mut columns: Option<Vec<(&'static str, usize, usize)>> = None;
    let mut data = Map::new();
    let mut earlier = false;
    for row in rows {
        let first = row.spans[0].text;
        let rest: Vec<&Span> = row.spans[1..]
            .iter()
            .filter(|s| !s.text.is_empty())
            .collect();
        let folded = fold(first);
        if folded.starts_with("第二十条") || folded == "信息内容" {
            if rest.is_empty() {
                continue;
            }
            let mut named = Vec::new();
            for s in &rest {
                match canonical(s.text) {
                    Some(c) => named.push((c, s.start, s.end)),
                    None if columns.is_some() || !data.is_empty() => {
                        return Err(why("import.stats-why-column", &[("cell", &s.text)]));
                    }
                    None => return Err(Unread::NotStatistics),
                }
            }
            earlier |= named.iter().any(|(c, _, _)| EARLIER_COLUMNS.contains(c));
            columns = Some(named);
            continue;
        }
        let key = canonical(first).filter(|k| PROACTIVE_ROWS.contains(k));
        let (Some(key), Some(columns)) = (key, &columns) else {
            if columns.is_some() {
                return Err(why("import.stats-why-row", &[("row", &first)]));
            }
            return Err(Unread::NotStatistics);
        };
        let mut cells = Map::new();
        for (column, start, end) in columns {
            cells.insert((*column).into(), cell(row.value(*start, *end)));
        }
        data.insert(key.into(), Value::Object(cells));
    }
    if data.is_empty() {
        return Err(Unread::NotStatistics);
    }
    Ok(Recognised {
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
fn appeals(rows: &[Row]) -> Result<Recognised, Unread> {
    let head = || rows.iter().take(3).flat_map(|r| r.pos.iter());
    let names_both = head().any(|c| *c == "行政复议") && head().any(|c| *c == "行政诉讼");
    if !names_both {
        return Err(Unread::NotStatistics);
    }
    let numbers = rows
        .iter()
        .skip(1)
        .find(|r| r.pos.len() >= 15 && r.pos.iter().rev().take(15).all(|c| is_number_or_blank(c)))
        .ok_or_else(|| why("import.stats-why-appeals", &[]))?;
    let values: Vec<Value> = numbers.pos[numbers.pos.len() - 15..]
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
    Ok(Recognised {
        table: TableNo::Appeals,
        format: None,
        data: Value::Object(data),
    })
}

/// Outcome groups of 表三 that have numbered sub-rows.
const GROUPS_WITH_ROWS: &[&str] = &["不予公开", "无法提供", "不予处理", "其他处理"];

/// The labels of a 表三 row: its cells before the seven numbers, as schema
/// keys, a merged cell once.
fn request_labels<'a>(row: &Row<'a>, numbers_from: usize) -> (Vec<&'static str>, Option<&'a str>) {
    let mut labels: Vec<&'static str> = Vec::new();
    let mut unknown = None;
    for s in row.spans.iter().filter(|s| s.start < numbers_from) {
        if s.text.is_empty() {
            continue;
        }
        match canonical(s.text) {
            Some("办理结果") => {}
            Some(k) if labels.last() != Some(&k) => labels.push(k),
            Some(_) => {}
            None => unknown = Some(s.text),
        }
    }
    (labels, unknown)
}

/// 表三: rows whose last seven cells are numbers (or blank), labelled by the
/// cells before them; a merged group label (（三）不予公开) covers its rows.
fn requests(rows: &[Row]) -> Result<Recognised, Unread> {
    let columns = super::schema::REQUEST_COLUMNS;
    let mut data = Map::new();
    let mut outcomes = Map::new();
    let mut group: Option<&'static str> = None;
    let mut found = 0;
    let mut problem: Option<Unread> = None;
    for row in rows {
        let len = row.pos.len();
        if len < 8 {
            continue;
        }
        let numbers = &row.pos[len - 7..];
        let (labels, unknown) = request_labels(row, len - 7);
        let all_numbers = numbers.iter().all(|c| is_number_or_blank(c));
        // A row of numbers under a label the table does not have: never
        // filed under the group of the row before it.
        if all_numbers
            && numbers.iter().any(|c| !c.is_empty())
            && let Some(u) = unknown
        {
            problem = problem.or(Some(why("import.stats-why-row", &[("row", &u)])));
            continue;
        }
        let Some(&last) = labels.last() else {
            continue;
        };
        if !all_numbers {
            if let Some(bad) = numbers.iter().find(|c| !is_number_or_blank(c))
                && REQUEST_ROWS.contains(&last)
            {
                let args: [(&str, &dyn std::fmt::Display); 2] = [("cell", bad), ("row", &last)];
                problem = problem.or(Some(why("import.stats-why-number", &args)));
            }
            continue;
        }
        let mut counts = Map::new();
        for (k, v) in columns.iter().zip(numbers) {
            counts.insert((*k).into(), cell(v));
        }
        found += 1;
        if let Err(p) = place_request_row(
            &labels,
            Value::Object(counts),
            &mut group,
            &mut data,
            &mut outcomes,
        ) {
            problem = problem.or(Some(p));
        }
    }
    if found < 3 {
        return Err(problem.unwrap_or(Unread::NotStatistics));
    }
    if let Some(p) = problem {
        return Err(p);
    }
    data.insert("办理结果".into(), Value::Object(outcomes));
    Ok(Recognised {
        table: TableNo::Requests,
        format: None,
        data: Value::Object(data),
    })
}

/// Files one row of 表三 under its key; `group` is the outcome group of the
/// rows before it (（三）不予公开 and the like), for rows that do not repeat it.
fn place_request_row(
    labels: &[&'static str],
    counts: Value,
    group: &mut Option<&'static str>,
    data: &mut Map<String, Value>,
    outcomes: &mut Map<String, Value>,
) -> Result<(), Unread> {
    let Some(&last) = labels.last() else {
        return Ok(());
    };
    match last {
        "本年新收" | "上年结转" | "结转下年度继续办理" => {
            *group = None;
            data.insert(last.into(), counts);
        }
        "予以公开" | "部分公开" | "总计" => {
            *group = None;
            outcomes.insert(last.into(), counts);
        }
        // （六）其他处理 printed as one row.
        "其他处理" if labels.len() == 1 => {
            *group = None;
            outcomes.insert(last.into(), counts);
        }
        _ => {
            if let Some(g) = labels.iter().find(|l| GROUPS_WITH_ROWS.contains(l)) {
                *group = Some(g);
            }
            let Some(g) = *group else {
                return Err(why("import.stats-why-row", &[("row", &last)]));
            };
            let entry = outcomes
                .entry(g)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(map) = entry.as_object_mut() {
                map.insert(last.into(), counts);
            }
        }
    }
    Ok(())
}

/// Row keys of 表三 (a row with one of them must hold seven numbers).
const REQUEST_ROWS: &[&str] = &[
    "本年新收",
    "上年结转",
    "结转下年度继续办理",
    "予以公开",
    "部分公开",
    "属于国家秘密",
    "其他法律行政法规禁止公开",
    "危及三安全一稳定",
    "保护第三方合法权益",
    "属于三类内部事务信息",
    "属于四类过程性信息",
    "属于行政执法案卷",
    "属于行政查询事项",
    "本机关不掌握相关政府信息",
    "没有现成信息需要另行制作",
    "补正后申请内容仍不明确",
    "信访举报投诉类申请",
    "重复申请",
    "要求提供公开出版物",
    "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息",
    "逾期不补正",
    "逾期未缴费",
];

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
    fn full_width_numbers_are_numbers() {
        assert_eq!(cell("１２"), Value::from(12));
        assert_eq!(cell("－３"), Value::from(-3));
        assert_eq!(cell("１，２０８．５"), Value::from(1208.5));
        assert_eq!(cell("／"), Value::Null);
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

    #[test]
    fn a_table_split_in_two_keeps_both_parts_and_a_copy_is_told() {
        let first = recognise(&grid(
            "一、本年新收政府信息公开申请数量 | 5 | 1 |  |  |  |  | 6\n\
             三、本年度办理结果 | （一）予以公开 | 3 |  |  |  |  |  | 3\n\
             （三）不予公开 | 1.属于国家秘密 | 1 |  |  |  |  |  | 1",
        ))
        .unwrap();
        let second = recognise(&grid(
            "（三）不予公开 | 2.其他法律行政法规禁止公开 | 2 |  |  |  |  |  | 2\n\
             （七）总计 | 5 | 1 |  |  |  |  | 6\n\
             四、结转下年度继续办理 | 0 |  |  |  |  |  | 0",
        ))
        .unwrap();
        let mut stats = Value::Null;
        merge(&mut stats, first.clone());
        assert!(!overlaps(&stats, &second));
        merge(&mut stats, second);
        let o = &stats["申请"]["办理结果"];
        assert_eq!(o["不予公开"]["属于国家秘密"]["自然人"], Value::from(1));
        assert_eq!(
            o["不予公开"]["其他法律行政法规禁止公开"]["自然人"],
            Value::from(2)
        );
        assert_eq!(o["予以公开"]["总计"], Value::from(3));
        assert!(overlaps(&stats, &first));
    }

    #[test]
    fn a_number_row_under_an_unknown_label_is_not_filed_under_the_group_above() {
        let rows = grid(
            "一、本年新收政府信息公开申请数量 | 5 | 1 |  |  |  |  | 6\n\
             （三）不予公开 | 1.属于国家秘密 | 1 |  |  |  |  |  | 1\n\
             暂缓处理 | 9 |  |  |  |  |  | 9\n\
             （七）总计 | 5 | 1 |  |  |  |  | 6",
        );
        assert_eq!(recognise(&rows), None);
        let origins: Vec<Vec<usize>> = rows
            .iter()
            .enumerate()
            .map(|(r, row)| (0..row.len()).map(|c| r * 100 + c).collect())
            .collect();
        assert!(matches!(read(&rows, &origins), Err(Unread::Why(w)) if w.contains("暂缓处理")));
    }
}
