//! The three tables as HTML in the official layout. Merged header cells keep
//! their rowspan/colspan; every header has `scope`, and in the multi-level
//! tables every data cell lists its headers (`headers` + ids) so screen readers
//! announce e.g. 申请人情况 › 法人或其他组织 › 商业企业 for one number.

use std::fmt::Write;

use super::schema::*;
use super::tables::*;

/// Writes one table. `prefix` makes ids unique on pages that show several reports.
pub fn table_html(out: &mut String, table: TableNo, stats: &DisclosureStats, prefix: &str) {
    match table {
        TableNo::Proactive => {
            if let Some(p) = &stats.proactive {
                proactive(out, p, prefix);
            }
        }
        TableNo::Requests => {
            if let Some(r) = &stats.requests {
                requests(out, r, prefix);
            }
        }
        TableNo::Appeals => {
            if let Some(a) = &stats.appeals {
                appeals(out, a, prefix);
            }
        }
    }
}

/// A short id prefix from a report's URL, so that pages showing several reports
/// keep ids unique; short because every data cell lists several ids.
pub fn id_prefix(url: &str) -> String {
    // FNV-1a: stable across builds and platforms, unlike the std hasher.
    let hash = url.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("d{hash:08x}")
}

/// Wrapper that scrolls sideways on narrow screens and can be reached by keyboard to do so.
fn open_region(out: &mut String, class: &str, caption_id: &str) {
    let _ = writeln!(
        out,
        "<div class=\"disclosure-table {class}\" role=\"region\" aria-labelledby=\"{caption_id}\" tabindex=\"0\">"
    );
}

// ---------------------------------------------------------------- 表二

/// Four simple tables stacked like the four blocks of the official form: each
/// has one header row and one header column, so `scope` is all it needs.
fn proactive(out: &mut String, p: &ProactiveTable, prefix: &str) {
    let title = TableNo::Proactive.title();
    let _ = write!(
        out,
        "<div class=\"disclosure-table disclosure-proactive\" role=\"group\" aria-labelledby=\"{prefix}-2\">\n\
         <p class=\"disclosure-caption\" id=\"{prefix}-2\">{title}</p>\n"
    );
    for block in proactive_blocks(p) {
        let _ = write!(
            out,
            "<table>\n<caption>{}</caption>\n<colgroup><col class=\"disclosure-label-col\"><col span=\"{}\"></colgroup>\n<thead>\n<tr><th scope=\"col\">信息内容</th>",
            block.item,
            block.columns.len()
        );
        for column in block.columns {
            let _ = write!(out, "<th scope=\"col\">{column}</th>");
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for row in &block.rows {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", row.label);
            for cell in &row.cells {
                let _ = write!(out, "<td>{cell}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n");
}

// ---------------------------------------------------------------- 表三

/// The `headers` ids of 表三's seven data columns, outermost header first.
fn request_column_headers(p: &str) -> Vec<String> {
    (0..7)
        .map(|i| match i {
            0 | 6 => format!("{p}-3a {p}-3c{i}"),
            _ => format!("{p}-3a {p}-3l {p}-3c{i}"),
        })
        .collect()
}

/// Data cells of one row; `columns` and `rows` are space-separated header ids.
/// A computed cell shows its number with a mark and is described by the one
/// note under the table (`note`, its id), never by a sentence in the cell,
/// which a print page, a PDF or a copied table would show in every cell.
/// Returns whether a computed cell was drawn.
fn data_cells(
    out: &mut String,
    values: &[Cell],
    columns: &[String],
    rows: &str,
    note: &str,
) -> bool {
    let mut computed = false;
    for (cell, cols) in values.iter().zip(columns) {
        out.push_str("<td headers=\"");
        out.push_str(cols);
        if !rows.is_empty() {
            out.push(' ');
            out.push_str(rows);
        }
        if cell.computed {
            computed = true;
            let _ = write!(
                out,
                "\" class=\"disclosure-computed\" aria-describedby=\"{note}\">{}<sup aria-hidden=\"true\">*</sup></td>",
                cell.count
            );
        } else {
            let _ = write!(out, "\">{}</td>", cell.count);
        }
    }
    computed
}

/// Said of every 总计 the report left out and annals added up.
pub const COMPUTED_NOTE: &str = "原报告未列此数，由各项相加得出";

fn computed_note(out: &mut String, id: &str) {
    let _ = writeln!(
        out,
        "<p class=\"disclosure-computed-note\" id=\"{id}\">* {COMPUTED_NOTE}。</p>"
    );
}

fn requests(out: &mut String, r: &Requests, p: &str) {
    let caption_id = format!("{p}-3");
    open_region(out, "disclosure-requests", &caption_id);
    let _ = write!(
        out,
        "<table>\n<caption id=\"{caption_id}\">{}</caption>\n<thead>\n\
         <tr><td rowspan=\"3\" colspan=\"3\" class=\"disclosure-note\">{REQUESTS_NOTE}</td>\
         <th colspan=\"7\" scope=\"col\" id=\"{p}-3a\">申请人情况</th></tr>\n\
         <tr><th rowspan=\"2\" scope=\"col\" id=\"{p}-3c0\">{}</th>\
         <th colspan=\"5\" scope=\"col\" id=\"{p}-3l\">法人或其他组织</th>\
         <th rowspan=\"2\" scope=\"col\" id=\"{p}-3c6\">总计</th></tr>\n<tr>",
        TableNo::Requests.title(),
        APPLICANT_COLUMNS[0],
    );
    for (i, column) in APPLICANT_COLUMNS.iter().enumerate().skip(1) {
        let _ = write!(out, "<th scope=\"col\" id=\"{p}-3c{i}\">{column}</th>");
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    let columns = request_column_headers(p);
    let note = format!("{p}-3n");

    let simple_row = |out: &mut String, id: &str, label: &str, a: &Applicants| {
        let id = format!("{p}-3{id}");
        let _ = write!(
            out,
            "<tr><th colspan=\"3\" scope=\"row\" id=\"{id}\">{label}</th>"
        );
        let computed = data_cells(out, &a.columns(), &columns, &id, &note);
        out.push_str("</tr>\n");
        computed
    };
    let mut computed = simple_row(out, "r1", NEW_LABEL, &r.new);
    computed |= simple_row(out, "r2", CARRIED_OVER_LABEL, &r.carried_over);

    computed |= outcome_rows(out, &r.outcomes, p, &columns, &note);
    computed |= simple_row(out, "r4", CARRIED_FORWARD_LABEL, &r.carried_forward);
    out.push_str("</tbody>\n</table>\n");
    if computed {
        computed_note(out, &note);
    }
    out.push_str("</div>\n");
}

/// The rows of 三、本年度办理结果 with its （七）总计; whether a cell was computed.
fn outcome_rows(out: &mut String, o: &Outcomes, p: &str, columns: &[String], note: &str) -> bool {
    let mut computed = false;
    let outcomes_id = format!("{p}-3r3");
    let span = outcome_row_count(o);
    let mut first = true;
    for (g, group) in outcome_groups(o).iter().enumerate() {
        let group_id = format!("{p}-3r3-{g}");
        for (i, row) in group.rows.iter().enumerate() {
            out.push_str("<tr>");
            if first {
                let _ = write!(
                    out,
                    "<th rowspan=\"{span}\" scope=\"row\" id=\"{outcomes_id}\">{OUTCOMES_LABEL}</th>"
                );
                first = false;
            }
            let mut row_headers = format!("{outcomes_id} {group_id}");
            match row.label {
                None => {
                    let _ = write!(
                        out,
                        "<th colspan=\"2\" scope=\"row\" id=\"{group_id}\">{}</th>",
                        group.label
                    );
                }
                Some(label) => {
                    if i == 0 {
                        let _ = write!(
                            out,
                            "<th rowspan=\"{}\" scope=\"row\" id=\"{group_id}\">{}</th>",
                            group.rows.len(),
                            group.label
                        );
                    }
                    let sub_id = format!("{group_id}-{i}");
                    let _ = write!(out, "<th scope=\"row\" id=\"{sub_id}\">{label}</th>");
                    row_headers.push(' ');
                    row_headers.push_str(&sub_id);
                }
            }
            computed |= data_cells(out, &row.counts.columns(), columns, &row_headers, note);
            out.push_str("</tr>\n");
        }
    }
    let total_id = format!("{p}-3r3-t");
    let _ = write!(
        out,
        "<tr><th colspan=\"2\" scope=\"row\" id=\"{total_id}\">{OUTCOME_TOTAL_LABEL}</th>"
    );
    // A （七）总计 left out is computed in every cell.
    let total_cells: Vec<Cell> = match &o.total {
        Some(t) => t.columns().to_vec(),
        None => o
            .total_row()
            .columns()
            .iter()
            .map(|c| Cell {
                count: c.count,
                computed: true,
            })
            .collect(),
    };
    computed |= data_cells(
        out,
        &total_cells,
        columns,
        &format!("{outcomes_id} {total_id}"),
        note,
    );
    out.push_str("</tr>\n");
    computed
}

// ---------------------------------------------------------------- 表四

fn appeals(out: &mut String, a: &Appeals, p: &str) {
    let caption_id = format!("{p}-4");
    open_region(out, "disclosure-appeals", &caption_id);
    let (rec, lit, direct, after) = (
        format!("{p}-4r"),
        format!("{p}-4l"),
        format!("{p}-4d"),
        format!("{p}-4a"),
    );
    let _ = write!(
        out,
        "<table>\n<caption id=\"{caption_id}\">{}</caption>\n<thead>\n\
         <tr><th colspan=\"5\" scope=\"col\" id=\"{rec}\">{RECONSIDERATION_LABEL}</th>\
         <th colspan=\"10\" scope=\"col\" id=\"{lit}\">{LITIGATION_LABEL}</th></tr>\n<tr>",
        TableNo::Appeals.title(),
    );
    let mut columns: Vec<String> = Vec::with_capacity(15);
    for (i, column) in VERDICT_COLUMNS.iter().enumerate() {
        let id = format!("{rec}{i}");
        let _ = write!(
            out,
            "<th rowspan=\"2\" scope=\"col\" id=\"{id}\">{column}</th>"
        );
        columns.push(format!("{rec} {id}"));
    }
    let _ = write!(
        out,
        "<th colspan=\"5\" scope=\"col\" id=\"{direct}\">{DIRECT_LABEL}</th>\
         <th colspan=\"5\" scope=\"col\" id=\"{after}\">{AFTER_LABEL}</th></tr>\n<tr>"
    );
    for group in [&direct, &after] {
        for (i, column) in VERDICT_COLUMNS.iter().enumerate() {
            let id = format!("{group}{i}");
            let _ = write!(out, "<th scope=\"col\" id=\"{id}\">{column}</th>");
            columns.push(format!("{lit} {group} {id}"));
        }
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n<tr>");
    let values: Vec<Cell> = verdict_groups(a)
        .iter()
        .flat_map(|(_, _, v)| v.columns())
        .collect();
    let note = format!("{p}-4n");
    let computed = data_cells(out, &values, &columns, "", &note);
    out.push_str("</tr>\n</tbody>\n</table>\n");
    if computed {
        computed_note(out, &note);
    }
    out.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_valid_ids() {
        let p = id_prefix("/xxgk/zfb-2023/");
        assert_eq!(p.len(), 9);
        assert!(p.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(p, id_prefix("/xxgk/zfb-2022/"));
    }

    #[test]
    fn requests_table_spans_match_rows() {
        let mut out = String::new();
        let stats = DisclosureStats {
            requests: Some(Requests::default()),
            ..Default::default()
        };
        table_html(&mut out, TableNo::Requests, &stats, "t");
        // 3 header rows; 新收, 结转, 21 outcome rows, （七）总计, 结转下年度.
        assert_eq!(out.matches("<tr>").count(), 3 + 25);
        assert!(out.contains("rowspan=\"22\""), "{out}");
        assert_eq!(out.matches("<td headers=").count(), 25 * 7);
    }
}
