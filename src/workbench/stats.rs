//! The three official statistics tables (国办公开办函〔2021〕30号) as a form:
//! one input per cell, named by its keys, read from and written to
//! `disclosure_stats:` in the keys README "Disclosure statistics" shows.

use serde::Serialize;
use serde_json::Value;

use super::forms::Form;
use crate::disclosure::schema::{REQUEST_COLUMNS, VERDICT_COLUMNS};
use crate::i18n::tr;

// The columns are the schema's, so the form and the data keys cannot drift.
const APPLICANTS: &[&str] = &REQUEST_COLUMNS;
const REVIEW: &[&str] = &VERDICT_COLUMNS;
const ISSUED: &[&str] = &["本年制发件数", "本年废止件数", "现行有效件数"];
const DECISIONS: &[&str] = &["本年处理决定数量"];
const FEES: &[&str] = &["本年收费金额"];

struct Table {
    number: &'static str,
    caption: &'static str,
    key: &'static str,
    rows: &'static [(&'static str, &'static [&'static str])],
}

/// Rows as key paths joined by `/`, with their columns.
const TABLES: &[Table] = &[
    Table {
        number: "二",
        caption: "wb.stats-caption-2",
        key: "主动公开",
        rows: &[
            ("规章", ISSUED),
            ("行政规范性文件", ISSUED),
            ("行政许可", DECISIONS),
            ("行政处罚", DECISIONS),
            ("行政强制", DECISIONS),
            ("行政事业性收费", FEES),
        ],
    },
    Table {
        number: "三",
        caption: "wb.stats-caption-3",
        key: "申请",
        rows: &[
            ("本年新收", APPLICANTS),
            ("上年结转", APPLICANTS),
            ("办理结果/予以公开", APPLICANTS),
            ("办理结果/部分公开", APPLICANTS),
            ("办理结果/不予公开/属于国家秘密", APPLICANTS),
            ("办理结果/不予公开/其他法律行政法规禁止公开", APPLICANTS),
            ("办理结果/不予公开/危及三安全一稳定", APPLICANTS),
            ("办理结果/不予公开/保护第三方合法权益", APPLICANTS),
            ("办理结果/不予公开/属于三类内部事务信息", APPLICANTS),
            ("办理结果/不予公开/属于四类过程性信息", APPLICANTS),
            ("办理结果/不予公开/属于行政执法案卷", APPLICANTS),
            ("办理结果/不予公开/属于行政查询事项", APPLICANTS),
            ("办理结果/无法提供/本机关不掌握相关政府信息", APPLICANTS),
            ("办理结果/无法提供/没有现成信息需要另行制作", APPLICANTS),
            ("办理结果/无法提供/补正后申请内容仍不明确", APPLICANTS),
            ("办理结果/不予处理/信访举报投诉类申请", APPLICANTS),
            ("办理结果/不予处理/重复申请", APPLICANTS),
            ("办理结果/不予处理/要求提供公开出版物", APPLICANTS),
            ("办理结果/不予处理/无正当理由大量反复申请", APPLICANTS),
            (
                "办理结果/不予处理/要求行政机关确认或重新出具已获取信息",
                APPLICANTS,
            ),
            ("办理结果/其他处理/逾期不补正", APPLICANTS),
            ("办理结果/其他处理/逾期未缴费", APPLICANTS),
            ("办理结果/其他处理/其他", APPLICANTS),
            ("办理结果/总计", APPLICANTS),
            ("结转下年度继续办理", APPLICANTS),
        ],
    },
    Table {
        number: "四",
        caption: "wb.stats-caption-4",
        key: "复议诉讼",
        rows: &[
            ("行政复议", REVIEW),
            ("行政诉讼/未经复议直接起诉", REVIEW),
            ("行政诉讼/复议后起诉", REVIEW),
        ],
    },
];

/// What the edit page shows of one table.
#[derive(Serialize)]
pub struct TableView {
    number: &'static str,
    caption: String,
    columns: Vec<&'static str>,
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct RowView {
    /// Group rows that start here (（三）不予公开 before its first sub-row), with depth.
    groups: Vec<(String, usize)>,
    label: String,
    /// The whole path, for the cells' accessible names.
    full: String,
    /// Nesting depth, for the indentation of the row header.
    depth: usize,
    /// Which rows' sums it must equal: `outcomes` for （七）总计.
    role: &'static str,
    cells: Vec<Option<CellView>>,
}

#[derive(Serialize)]
struct CellView {
    name: String,
    value: String,
    column: &'static str,
}

fn field_name(table: &str, path: &str, column: &str) -> String {
    format!("stats.{table}/{path}/{column}")
}

fn lookup<'a>(stats: &'a Value, table: &str, path: &str, column: &str) -> Option<&'a Value> {
    let mut v = stats.get(table)?;
    for key in path.split('/') {
        v = v.get(key)?;
    }
    v.get(column)
}

fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::Null) => "~".into(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// The tables with the values of `stats` (or of a re-shown form).
pub fn views(stats: &Value, form: Option<&Form>) -> Vec<TableView> {
    TABLES
        .iter()
        .map(|t| {
            let mut columns: Vec<&'static str> = Vec::new();
            for (_, cols) in t.rows {
                for c in *cols {
                    if !columns.contains(c) {
                        columns.push(c);
                    }
                }
            }
            let mut previous: Vec<&str> = Vec::new();
            let rows = t
                .rows
                .iter()
                .map(|(path, cols)| RowView {
                    groups: new_groups(&mut previous, path),
                    label: path.rsplit('/').next().unwrap_or(path).to_string(),
                    full: path.replace('/', " "),
                    depth: path.matches('/').count(),
                    role: if *path == "办理结果/总计" {
                        "outcomes"
                    } else {
                        ""
                    },
                    cells: columns
                        .iter()
                        .map(|c| {
                            cols.contains(c).then(|| {
                                let name = field_name(t.key, path, c);
                                let value = match form {
                                    Some(f) => f.get(&name).to_string(),
                                    None => shown(lookup(stats, t.key, path, c)),
                                };
                                CellView {
                                    name,
                                    value,
                                    column: c,
                                }
                            })
                        })
                        .collect(),
                })
                .collect();
            TableView {
                number: t.number,
                caption: tr(t.caption, &[]),
                columns,
                rows,
            }
        })
        .collect()
}

/// The groups of `path` that the previous row was not in.
fn new_groups<'a>(previous: &mut Vec<&'a str>, path: &'a str) -> Vec<(String, usize)> {
    let parts: Vec<&str> = path.split('/').collect();
    let groups = &parts[..parts.len() - 1];
    let same = previous
        .iter()
        .zip(groups)
        .take_while(|(a, b)| a == b)
        .count();
    let new = groups[same..]
        .iter()
        .enumerate()
        .map(|(i, g)| (g.to_string(), same + i))
        .collect();
    *previous = groups.to_vec();
    new
}

/// Whether the form can show every number of `stats`: data in another format
/// or with keys written another way is left to the source file.
pub fn editable(stats: Option<&Value>, body: &str) -> bool {
    if body.contains("```disclosure-stats") {
        return false;
    }
    let Some(stats) = stats else { return true };
    if stats.get("格式").is_some() {
        return false;
    }
    let mut known = 0;
    for t in TABLES {
        for (path, cols) in t.rows {
            known += cols
                .iter()
                .filter(|c| lookup(stats, t.key, path, c).is_some())
                .count();
        }
    }
    known == leaves(stats)
}

fn leaves(v: &Value) -> usize {
    match v {
        Value::Object(map) => map
            .values()
            .map(|x| if x.is_object() { leaves(x) } else { 1 })
            .sum(),
        _ => 1,
    }
}

/// The form's cells as the `disclosure_stats:` entry (`None`: no number given),
/// or the first cell that is not a number.
pub fn to_yaml(form: &Form) -> Result<Option<String>, (String, String)> {
    let mut out = String::new();
    for t in TABLES {
        let mut table = String::new();
        let mut open: Vec<&str> = Vec::new();
        for (path, cols) in t.rows {
            let mut cells = Vec::new();
            for c in *cols {
                let name = field_name(t.key, path, c);
                let value = form.get(&name);
                if value.is_empty() {
                    continue;
                }
                check_number(value, c == &"本年收费金额").map_err(|m| (name.clone(), m))?;
                cells.push(format!("{c}: {value}"));
            }
            if cells.is_empty() {
                continue;
            }
            let parts: Vec<&str> = path.split('/').collect();
            let (groups, leaf) = parts.split_at(parts.len() - 1);
            let common = open.iter().zip(groups).take_while(|(a, b)| a == b).count();
            open.truncate(common);
            for g in &groups[common..] {
                table.push_str(&format!("{}{g}:\n", "  ".repeat(2 + open.len())));
                open.push(g);
            }
            table.push_str(&format!(
                "{}{}: {{{}}}\n",
                "  ".repeat(2 + open.len()),
                leaf[0],
                cells.join(", ")
            ));
        }
        if !table.is_empty() {
            out.push_str(&format!("  {}:\n{table}", t.key));
        }
    }
    Ok((!out.is_empty()).then(|| format!("disclosure_stats:\n{out}")))
}

fn check_number(value: &str, amount: bool) -> Result<(), String> {
    let ok = value == "~"
        || if amount {
            value
                .parse::<f64>()
                .is_ok_and(|n| n >= 0.0 && n.is_finite())
                && !value.contains(['e', 'E'])
        } else {
            value.parse::<u64>().is_ok()
        };
    if ok {
        Ok(())
    } else if amount {
        Err(tr("wb.stats-not-amount", &[("value", &value)]))
    } else {
        Err(tr("wb.stats-not-count", &[("value", &value)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Form {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        let body = s.finish();
        let request = hyper::Request::builder()
            .extension(crate::http_server::RequestBody(body.into()))
            .body(())
            .unwrap();
        Form::of(&request)
    }

    #[test]
    fn cells_become_nested_yaml_that_reads_back() {
        let f = form(&[
            ("stats.申请/本年新收/自然人", "3"),
            ("stats.申请/本年新收/总计", "3"),
            ("stats.申请/办理结果/不予公开/属于国家秘密/自然人", "1"),
            ("stats.申请/办理结果/不予公开/重复申请/自然人", ""),
            (
                "stats.申请/办理结果/无法提供/补正后申请内容仍不明确/其他",
                "2",
            ),
            ("stats.主动公开/行政事业性收费/本年收费金额", "8.50"),
        ]);
        let yaml = to_yaml(&f).unwrap().unwrap();
        assert_eq!(
            yaml,
            "disclosure_stats:\n  主动公开:\n    行政事业性收费: {本年收费金额: 8.50}\n  申请:\n    本年新收: {自然人: 3, 总计: 3}\n    办理结果:\n      不予公开:\n        属于国家秘密: {自然人: 1}\n      无法提供:\n        补正后申请内容仍不明确: {其他: 2}\n"
        );
        let value: Value = serde_saphyr::from_str(&yaml).unwrap();
        let stats = &value["disclosure_stats"];
        assert!(editable(Some(stats), ""));
        let views = views(stats, None);
        let cell = |t: usize, r: usize, c: usize| {
            views[t].rows[r].cells[c].as_ref().map(|c| c.value.clone())
        };
        assert_eq!(cell(1, 0, 6).as_deref(), Some("3"));
        assert_eq!(cell(1, 4, 0).as_deref(), Some("1"));
    }

    #[test]
    fn words_are_refused() {
        let f = form(&[("stats.申请/本年新收/自然人", "三")]);
        assert!(to_yaml(&f).is_err());
        assert!(to_yaml(&form(&[])).unwrap().is_none());
    }

    #[test]
    fn other_spellings_are_left_to_the_file() {
        let v: Value = serde_json::json!({"申请": {"本年新收政府信息公开申请数量": {"自然人": 1}}});
        assert!(!editable(Some(&v), ""));
        assert!(!editable(None, "```disclosure-stats\n```"));
    }
}
