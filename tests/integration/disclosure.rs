//! Statistics of 政府信息公开工作年度报告: the three official tables rendered from
//! data (every cell compared with the data, headers associated correctly) and
//! the arithmetic checks, each producing exactly one finding.

use crate::common::*;

use std::collections::HashMap;

use annals::disclosure::schema::{
    APPLICANT_COLUMNS, Applicants, Cell, Count, DisclosureStats, VERDICT_COLUMNS,
};
use annals::disclosure::tables::{outcome_groups, proactive_blocks, verdict_groups};
use annals::pipeline::{BuildOptions, load_site};
use scraper::{ElementRef, Html};

/// The row headers of 表三 as the uniform format (国办公开办函〔2021〕30号) prints them.
fn official_request_rows() -> Vec<Vec<&'static str>> {
    let mut rows = vec![
        vec!["一、本年新收政府信息公开申请数量"],
        vec!["二、上年结转政府信息公开申请数量"],
        vec!["三、本年度办理结果", "（一）予以公开"],
        vec![
            "三、本年度办理结果",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ],
    ];
    // (一) and (二) have no numbered rows and are pushed above.
    for (group, subs) in &OFFICIAL_OUTCOME_GROUPS[2..] {
        for sub in *subs {
            rows.push(vec!["三、本年度办理结果", group, sub]);
        }
    }
    rows.push(vec!["三、本年度办理结果", "（七）总计"]);
    rows.push(vec!["四、结转下年度继续办理"]);
    rows
}

/// The demo site's statistics by report file stem, read through the library.
fn demo_stats() -> HashMap<String, DisclosureStats> {
    let options = BuildOptions {
        root: demo_root(),
        ..Default::default()
    };
    let (site, _) = load_site(&options).unwrap_or_else(|d| panic!("{:?}", d.items));
    site.reports
        .iter()
        .filter_map(|r| {
            let parsed = annals::disclosure::parse_report(r).expect("demo parses")?;
            let stem = r.file.file_stem()?.to_string_lossy().into_owned();
            Some((stem, parsed.stats))
        })
        .collect()
}

fn build_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let result = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(
        !stderr(&result).contains("warning"),
        "the demo data must be consistent: {}",
        stderr(&result)
    );
    out
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The table as a grid of slots, each pointing at the cell covering it (rowspan/colspan applied).
fn grid(table: ElementRef<'_>) -> Vec<Vec<ElementRef<'_>>> {
    let mut slots: Vec<Vec<Option<ElementRef>>> = Vec::new();
    for (r, tr) in table.select(&sel("tr")).enumerate() {
        if slots.len() <= r {
            slots.resize(r + 1, Vec::new());
        }
        let mut c = 0;
        for cell in tr.select(&sel(":scope > th, :scope > td")) {
            while slots[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            let span = |a: &str| {
                cell.value()
                    .attr(a)
                    .map_or(1, |v| v.parse::<usize>().unwrap())
            };
            let (rows, cols) = (span("rowspan"), span("colspan"));
            for rr in r..r + rows {
                if slots.len() <= rr {
                    slots.resize(rr + 1, Vec::new());
                }
                for cc in c..c + cols {
                    if slots[rr].len() <= cc {
                        slots[rr].resize(cc + 1, None);
                    }
                    assert!(slots[rr][cc].is_none(), "cells overlap at {rr},{cc}");
                    slots[rr][cc] = Some(cell);
                }
            }
            c += cols;
        }
    }
    let width = slots[0].len();
    slots
        .into_iter()
        .map(|row| {
            assert_eq!(row.len(), width, "every row fills the grid");
            row.into_iter()
                .map(|c| c.expect("no hole in the grid"))
                .collect()
        })
        .collect()
}

/// Headers of a data cell found by the table structure: `scope=col` cells above
/// it in its column, then `scope=row` cells left of it in its row.
fn structural_headers(grid: &[Vec<ElementRef>], r: usize, c: usize) -> Vec<String> {
    let mut out: Vec<ElementRef> = Vec::new();
    let is = |e: &ElementRef, scope: &str| {
        e.value().name() == "th" && e.value().attr("scope") == Some(scope)
    };
    for row in &grid[..r] {
        let e = row[c];
        if is(&e, "col") && !out.contains(&e) {
            out.push(e);
        }
    }
    for e in &grid[r][..c] {
        if is(e, "row") && !out.contains(e) {
            out.push(*e);
        }
    }
    out.into_iter().map(text).collect()
}

/// Headers of a data cell named by its `headers` attribute.
fn named_headers(doc: &Html, cell: ElementRef) -> Vec<String> {
    cell.value()
        .attr("headers")
        .unwrap_or_default()
        .split_whitespace()
        .map(|id| {
            let found: Vec<ElementRef> = doc.select(&sel(&format!("th[id='{id}']"))).collect();
            assert_eq!(found.len(), 1, "id {id} must name exactly one header");
            text(found[0])
        })
        .collect()
}

/// The text of each cell as drawn: a computed 总计 carries its mark (the note
/// is under the table, once).
fn numbers(values: impl IntoIterator<Item = Cell>) -> Vec<String> {
    values
        .into_iter()
        .map(|c| match c.computed {
            true => format!("{}*", c.count),
            false => c.count.to_string(),
        })
        .collect()
}

fn check_requests_table(doc: &Html, stats: &DisclosureStats, name: &str) {
    let r = stats.requests.as_ref().expect("表三 data");
    let tables: Vec<ElementRef> = doc
        .select(&sel(".report-body .disclosure-requests table"))
        .collect();
    assert_eq!(tables.len(), 1, "{name}: one 表三");
    let table = tables[0];
    assert_eq!(
        texts(doc, ".disclosure-requests caption"),
        vec!["收到和处理政府信息公开申请情况"]
    );
    // Expected rows from the data: labels from the official form, numbers from the data.
    let mut data: Vec<[Cell; 7]> = vec![r.new.columns(), r.carried_over.columns()];
    for g in outcome_groups(&r.outcomes) {
        data.extend(g.rows.iter().map(|row| row.counts.columns()));
    }
    data.push(r.outcomes.total_row().columns());
    data.push(r.carried_forward.columns());
    let labels = official_request_rows();
    assert_eq!(data.len(), labels.len());

    let g = grid(table);
    assert_eq!(g[0].len(), 10, "3 header columns + 7 data columns");
    assert_eq!(g.len(), 3 + labels.len());
    for (i, (values, row_labels)) in data.iter().zip(&labels).enumerate() {
        let r = 3 + i;
        let cells: Vec<ElementRef> = g[r][3..].to_vec();
        assert!(cells.iter().all(|c| c.value().name() == "td"));
        let shown: Vec<String> = cells.iter().map(|c| text(*c)).collect();
        assert_eq!(shown, numbers(*values), "{name}: row {row_labels:?}");
        for (j, cell) in cells.iter().enumerate() {
            let mut expected: Vec<String> = match j {
                0 => vec!["申请人情况", "自然人"],
                6 => vec!["申请人情况", "总计"],
                _ => vec!["申请人情况", "法人或其他组织", APPLICANT_COLUMNS[j]],
            }
            .into_iter()
            .map(String::from)
            .collect();
            expected.extend(row_labels.iter().map(|s| s.to_string()));
            assert_eq!(
                structural_headers(&g, r, 3 + j),
                expected,
                "{name}: scope at {r},{j}"
            );
            assert_eq!(
                named_headers(doc, *cell),
                expected,
                "{name}: headers at {r},{j}"
            );
        }
    }
    assert!(text(g[0][0]).contains("第一项加第二项之和，等于第三项加第四项之和"));
}

fn check_appeals_table(doc: &Html, stats: &DisclosureStats, name: &str) {
    let a = stats.appeals.as_ref().expect("表四 data");
    let tables: Vec<ElementRef> = doc
        .select(&sel(".report-body .disclosure-appeals table"))
        .collect();
    assert_eq!(tables.len(), 1, "{name}: one 表四");
    let g = grid(tables[0]);
    assert_eq!((g.len(), g[0].len()), (4, 15));
    let values: Vec<Cell> = verdict_groups(a)
        .iter()
        .flat_map(|(_, _, v)| v.columns())
        .collect();
    let shown: Vec<String> = g[3].iter().map(|c| text(*c)).collect();
    assert_eq!(shown, numbers(values), "{name}");
    for (j, cell) in g[3].iter().enumerate() {
        let mut expected: Vec<&str> = match j / 5 {
            0 => vec!["行政复议"],
            1 => vec!["行政诉讼", "未经复议直接起诉"],
            _ => vec!["行政诉讼", "复议后起诉"],
        };
        expected.push(VERDICT_COLUMNS[j % 5]);
        assert_eq!(
            structural_headers(&g, 3, j),
            expected,
            "{name}: scope at {j}"
        );
        assert_eq!(
            named_headers(doc, *cell),
            expected,
            "{name}: headers at {j}"
        );
    }
}

fn check_proactive_table(doc: &Html, stats: &DisclosureStats, name: &str) {
    let p = stats.proactive.as_ref().expect("表二 data");
    let tables: Vec<ElementRef> = doc
        .select(&sel(".report-body .disclosure-proactive table"))
        .collect();
    let blocks = proactive_blocks(p);
    assert_eq!(
        tables.len(),
        blocks.len(),
        "{name}: the four blocks of 表二"
    );
    let items = [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ];
    for ((table, block), item) in tables.iter().zip(&blocks).zip(items) {
        let caption: Vec<String> = table.select(&sel("caption")).map(text).collect();
        assert_eq!(caption, vec![item]);
        let g = grid(*table);
        let header: Vec<String> = g[0].iter().map(|c| text(*c)).collect();
        assert_eq!(header[0], "信息内容");
        assert_eq!(&header[1..], block.columns);
        assert_eq!(g.len(), 1 + block.rows.len());
        for (i, row) in block.rows.iter().enumerate() {
            let shown: Vec<String> = g[i + 1][1..].iter().map(|c| text(*c)).collect();
            let expected: Vec<String> = row.cells.iter().map(|c| c.to_string()).collect();
            assert_eq!(shown, expected, "{name}: {}", row.label);
            for j in 1..g[0].len() {
                assert_eq!(
                    structural_headers(&g, i + 1, j),
                    vec![block.columns[j - 1].to_string(), row.label.to_string()]
                );
            }
        }
    }
    // The rows of the official form, in order.
    let rows: Vec<String> = doc
        .select(&sel(".disclosure-proactive tbody th"))
        .map(text)
        .collect();
    assert_eq!(
        rows,
        [
            "规章",
            "行政规范性文件",
            "行政许可",
            "行政处罚",
            "行政强制",
            "行政事业性收费"
        ]
    );
}

#[test]
fn demo_unit_renders_all_three_tables_and_every_cell_matches_the_data() {
    let out = build_demo();
    let stats = demo_stats();
    for name in DEMO_DISCLOSURE_REPORTS {
        let s = stats
            .get(name)
            .unwrap_or_else(|| panic!("{name} has statistics"));
        let html =
            std::fs::read_to_string(out.path().join(format!("xxgk/{name}/index.html"))).unwrap();
        let doc = Html::parse_document(&html);
        check_proactive_table(&doc, s, name);
        check_requests_table(&doc, s, name);
        check_appeals_table(&doc, s, name);
        // Each table sits in its own section, after the heading 二、/三、/四、.
        let body = &html[html.find("report-body").unwrap()..];
        let at = |needle: &str| {
            body.find(needle)
                .unwrap_or_else(|| panic!("{name}: {needle}"))
        };
        assert!(at("二、主动公开政府信息情况") < at("disclosure-proactive"));
        assert!(at("disclosure-proactive") < at("三、收到和处理政府信息公开申请情况"));
        assert!(at("三、收到和处理政府信息公开申请情况") < at("disclosure-requests"));
        assert!(at("disclosure-requests") < at("四、政府信息公开行政复议、行政诉讼情况"));
        assert!(at("四、政府信息公开行政复议、行政诉讼情况") < at("disclosure-appeals"));
        assert!(at("disclosure-appeals") < at("五、存在的主要问题及改进情况"));
        // The data itself is not shown as code.
        assert!(!html.contains("language-disclosure"), "{name}");
        // Ids are unique on the page.
        let ids = attrs(&doc, "[id]", "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{name}: duplicate ids");
    }
}

#[test]
fn demo_prose_agrees_with_the_data() {
    let stats = demo_stats();
    let r = stats["zfb-xxgk-2023"].requests.clone().unwrap();
    let o = &r.outcomes;
    let group_total = |rows: &[&Applicants]| rows.iter().map(|a| a.total().value()).sum::<f64>();
    assert_eq!(r.new.total(), Count::of(158.0));
    assert_eq!(r.carried_over.total(), Count::of(6.0));
    assert_eq!(o.disclosed.total(), Count::of(71.0));
    assert_eq!(o.partly_disclosed.total(), Count::of(24.0));
    let groups = outcome_groups(o);
    let sums: Vec<f64> = groups[2..]
        .iter()
        .map(|g| group_total(&g.rows.iter().map(|row| row.counts).collect::<Vec<_>>()))
        .collect();
    assert_eq!(sums, vec![9.0, 38.0, 11.0, 2.0]);
    assert_eq!(r.carried_forward.total(), Count::of(9.0));
    let r2022 = stats["zfb-xxgk-2022"].requests.clone().unwrap();
    assert_eq!(r2022.carried_forward.total(), Count::of(6.0));
    assert_eq!(r2022.new.total(), Count::of(131.0));
    assert_eq!(
        stats["zfb-xxgk-2021"]
            .requests
            .as_ref()
            .unwrap()
            .new
            .total(),
        Count::of(117.0)
    );
}

// ---------------------------------------------------------------- checks

/// Adds `delta` to the cell `column` of the YAML line that starts with `row:` (after
/// the first line starting with `after:`), returning the text and the 1-based line.
fn bump(text: &str, after: &str, row: &str, column: &str, delta: i64) -> (String, usize) {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(after))
        .expect(after);
    let index = start
        + lines[start..]
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{row}:")))
            .expect(row);
    let line = &lines[index];
    let key = format!("{column}: ");
    let open = line.find('{').expect("a flow map");
    let cells = &line[open..];
    let at = cells
        .find(&format!(" {key}"))
        .or_else(|| cells.find(&format!("{{{key}")));
    let at = open + at.expect(column) + 1 + key.len();
    let end = at + line[at..].find([',', '}']).unwrap();
    let value: i64 = line[at..end].trim().parse().unwrap();
    lines[index] = format!("{}{}{}", &line[..at], value + delta, &line[end..]);
    (lines.join("\n") + "\n", index + 1)
}

fn warnings(out: &std::process::Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(String::from)
        .collect()
}

#[test]
fn consistent_demo_data_gives_no_finding() {
    let site = demo_disclosure_site(str::to_string);
    let out = site.build_ok();
    assert_eq!(warnings(&out), Vec::<String>::new(), "{}", stderr(&out));
}

#[test]
fn wrong_total_is_one_finding_with_cell_and_expected_value() {
    let stats = demo_stats();
    let expected = stats["zfb-xxgk-2023"]
        .requests
        .as_ref()
        .unwrap()
        .new
        .sum_of_parts();
    let line = std::cell::Cell::new(0);
    let site = demo_disclosure_site(|t| {
        let (text, l) = bump(t, "申请:", "本年新收", "总计", 1);
        line.set(l);
        text
    });
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(
        w[0].contains(&format!("zfb-xxgk-2023.md:{}", line.get())),
        "{}",
        w[0]
    );
    assert!(w[0].contains("table 三"), "{}", w[0]);
    assert!(
        w[0].contains("一、本年新收政府信息公开申请数量 · 总计"),
        "{}",
        w[0]
    );
    assert!(
        w[0].contains(&format!(
            "is {}, expected {expected}",
            expected.value() as i64 + 1
        )),
        "{}",
        w[0]
    );
    assert!(
        stderr(&out).contains("key `申请.本年新收.总计`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn wrong_outcome_balance_is_one_finding_at_the_outcome_total() {
    let stats = demo_stats();
    let r = stats["zfb-xxgk-2023"].requests.clone().unwrap();
    // 本年新收 + 上年结转 − 结转下年度 for 自然人, from the data.
    let expected = r.new.natural_persons.value() + r.carried_over.natural_persons.value()
        - r.carried_forward.natural_persons.value();
    let line = std::cell::Cell::new(0);
    // One more 予以公开 by a 自然人, carried into every total: the rows still add up,
    // but the requests no longer balance.
    let site = demo_disclosure_site(|t| {
        let (t, _) = bump(t, "办理结果:", "予以公开", "自然人", 1);
        let (t, _) = bump(&t, "办理结果:", "予以公开", "总计", 1);
        let (t, _) = bump(&t, "其他处理:", "总计", "总计", 1);
        let (t, l) = bump(&t, "其他处理:", "总计", "自然人", 1);
        line.set(l);
        t
    });
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(
        w[0].contains(&format!("zfb-xxgk-2023.md:{}", line.get())),
        "{}",
        w[0]
    );
    assert!(
        w[0].contains("三、本年度办理结果 （七）总计 · 自然人"),
        "{}",
        w[0]
    );
    assert!(
        w[0].contains(&format!("is {}, expected {expected}", expected as i64 + 1)),
        "{}",
        w[0]
    );
}

#[test]
fn carry_over_mismatch_is_one_finding_naming_last_years_value() {
    let stats = demo_stats();
    let previous = stats["zfb-xxgk-2022"]
        .requests
        .as_ref()
        .unwrap()
        .carried_forward
        .natural_persons;
    let line = std::cell::Cell::new(0);
    // One more carried over, and one more carried forward so this year still balances.
    let site = demo_disclosure_site(|t| {
        let (t, l) = bump(t, "申请:", "上年结转", "自然人", 1);
        line.set(l);
        let (t, _) = bump(&t, "申请:", "上年结转", "总计", 1);
        let (t, _) = bump(&t, "申请:", "结转下年度继续办理", "自然人", 1);
        let (t, _) = bump(&t, "申请:", "结转下年度继续办理", "总计", 1);
        t
    });
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(
        w[0].contains(&format!("zfb-xxgk-2023.md:{}", line.get())),
        "{}",
        w[0]
    );
    assert!(
        w[0].contains("二、上年结转政府信息公开申请数量 · 自然人"),
        "{}",
        w[0]
    );
    assert!(
        w[0].contains(&format!(
            "is {}, expected {previous}",
            previous.value() as i64 + 1
        )),
        "{}",
        w[0]
    );
    assert!(
        stderr(&out).contains("zfb-xxgk-2022.md"),
        "names last year's report"
    );
}

// ---------------------------------------------------------------- the data block

const BLOCK_REPORT: &str = "## 三、收到和处理政府信息公开申请情况

```disclosure-stats
申请:
  本年新收: {自然人: 3, 商业企业: 1}
  办理结果:
    予以公开: {自然人: 2}
    无法提供:
      本机关不掌握相关政府信息: {商业企业: 1}
  结转下年度继续办理: {自然人: 1}
```

```disclosure-table 三
```";

#[test]
fn statistics_in_a_fenced_block_render_with_computed_totals() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "甲局",
        "",
        BLOCK_REPORT,
    );
    let out = site.build_ok();
    assert_eq!(warnings(&out), Vec::<String>::new(), "{}", stderr(&out));
    let doc = site.html("xxgk/a/index.html");
    let table = doc
        .select(&sel(".disclosure-requests table"))
        .next()
        .expect("表三");
    let g = grid(table);
    let row = |r: usize| g[r][3..].iter().map(|c| text(*c)).collect::<Vec<_>>();
    let computed = |n: &str| format!("{n}*");
    assert_eq!(row(3), ["3", "1", "0", "0", "0", "0", &computed("4")]);
    // （七）总计 is computed from the rows when it is left out, and marked so.
    let total: Vec<String> = ["2", "1", "0", "0", "0", "0", "3"].map(computed).into();
    assert_eq!(row(3 + 23), total);
    assert_eq!(
        texts(&doc, ".disclosure-computed-note").len(),
        1,
        "the note explains the mark once"
    );
    let html = site.read("xxgk/a/index.html");
    assert!(!html.contains("本年新收: {"), "the data block is not shown");
}

#[test]
fn unknown_key_in_block_is_an_error_at_its_line_with_suggestion() {
    let site = SiteDir::new();
    let body = BLOCK_REPORT.replace("{自然人: 3, 商业企业: 1}", "{自然人: 3, 商业企: 1}");
    site.report("xxgk/a.md", "2023年报告", "2024-01-20", "甲局", "", &body);
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    // Front matter is 5 lines, then a blank line; the key is on line 11.
    assert!(err.contains("a.md:11:"), "{err}");
    assert!(err.contains("unknown key `商业企`"), "{err}");
    assert!(err.contains("did you mean `商业企业`"), "{err}");
    assert!(!site.public().exists(), "nothing is published");
}

#[test]
fn bad_value_in_front_matter_names_the_key_path_and_line() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "disclosure_stats:\n  复议诉讼:\n    行政复议:\n      结果维持: 很多\n",
        "```disclosure-table 四\n```",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("a.md:8"), "{err}");
    assert!(
        err.contains("disclosure_stats.复议诉讼.行政复议.结果维持"),
        "{err}"
    );
}

#[test]
fn negative_counts_and_fractions_of_fen_are_findings() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "disclosure_stats:\n  主动公开:\n    行政许可: {本年处理决定数量: -2}\n    行政事业性收费: {本年收费金额: -1.5}\n",
        "```disclosure-table 二\n```",
    );
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 2, "{}", stderr(&out));
    assert!(
        w[0].contains("a.md:7")
            && w[0].contains("行政许可 · 本年处理决定数量")
            && w[0].contains("expected a whole number ≥ 0"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("a.md:8") && w[1].contains("is -1.5, expected an amount ≥ 0"),
        "{}",
        w[1]
    );
}

#[test]
fn markers_must_name_a_table_and_have_data() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "",
        "```disclosure-table 五\n```",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("names no table"), "{}", stderr(&out));

    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "",
        "```disclosure-table 三\n```",
    );
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(w[0].contains("no data"), "{}", w[0]);
}

// ---------------------------------------------------------------- catalogue and trend

#[test]
fn catalogue_numbers_and_unit_trend_come_from_the_data() {
    let options = BuildOptions {
        root: demo_root(),
        ..Default::default()
    };
    let (site, _) = load_site(&options).unwrap_or_else(|d| panic!("{:?}", d.items));
    let stats = demo_stats();
    let i = site
        .reports
        .iter()
        .position(|r| r.file.ends_with("zfb-xxgk-2023.md"))
        .unwrap();
    let json = annals::disclosure::stats_json(&site.reports[i]).expect("numbers");
    let r = stats["zfb-xxgk-2023"].requests.as_ref().unwrap();
    assert_eq!(
        json["申请"]["本年新收"]["总计"],
        r.new.total().value() as u64
    );
    // Left-out totals are filled in for the catalogue.
    assert_eq!(
        json["申请"]["办理结果"]["不予公开"]["属于国家秘密"]["总计"],
        0
    );
    assert_eq!(json["主动公开"]["行政事业性收费"]["本年收费金额"], 8.35);

    let trend = annals::disclosure::unit_trend(&site, site.reports[i].unit);
    let years: Vec<i32> = trend.iter().map(|t| t.year).collect();
    assert_eq!(years, vec![2021, 2022, 2023]);
    for (row, name) in trend.iter().zip(DEMO_DISCLOSURE_REPORTS) {
        let s = &stats[name];
        let req = s.requests.as_ref().unwrap();
        let app = s.appeals.as_ref().unwrap();
        assert_eq!(row.new_requests, req.new.total().whole());
        assert_eq!(row.disclosed, req.outcomes.disclosed.total().whole());
        assert_eq!(row.reconsiderations, app.reconsideration.total().whole());
        assert_eq!(
            row.lawsuits,
            Some(
                app.litigation.direct.total().whole().unwrap()
                    + app
                        .litigation
                        .after_reconsideration
                        .total()
                        .whole()
                        .unwrap()
            )
        );
    }
    // The check step over the whole demo finds nothing.
    assert!(annals::disclosure::check_site(&site).is_empty());
}

#[test]
fn readme_example_is_complete_and_consistent() {
    let readme = std::fs::read_to_string(demo_root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Disclosure statistics")
        .expect("README section")..];
    let start = section.find("```yaml\ndisclosure_stats:").expect("example") + "```yaml\n".len();
    let yaml = &section[start..start + section[start..].find("```").unwrap()];
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "甲局",
        yaml,
        "```disclosure-table 二\n```\n\n```disclosure-table 三\n```\n\n```disclosure-table 四\n```",
    );
    let out = site.build_ok();
    assert_eq!(warnings(&out), Vec::<String>::new(), "{}", stderr(&out));
    let doc = site.html("xxgk/a/index.html");
    assert_eq!(doc.select(&sel(".disclosure-proactive table")).count(), 4);
    assert_eq!(
        doc.select(&sel(".disclosure-requests td[headers]")).count(),
        25 * 7
    );
    assert_eq!(doc.select(&sel(".disclosure-appeals td")).count(), 15);
    // Every key of the schema appears in the example: each of the 21 outcome rows is written.
    let rows = yaml.lines().filter(|l| l.starts_with("        ")).count();
    assert_eq!(rows, 19, "all numbered sub-rows of （三） to （六）");
}

#[test]
fn tables_survive_sanitizing_when_raw_html_is_allowed() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_html = true\n"),
    );
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "",
        BLOCK_REPORT,
    );
    site.build_ok();
    let doc = site.html("xxgk/a/index.html");
    let region = doc
        .select(&sel(".disclosure-requests"))
        .next()
        .expect("table wrapper");
    assert_eq!(region.value().attr("role"), Some("region"));
    assert_eq!(region.value().attr("tabindex"), Some("0"));
    let caption_id = region.value().attr("aria-labelledby").unwrap();
    assert_eq!(
        attrs(&doc, ".disclosure-requests caption", "id"),
        vec![caption_id]
    );
    let table = doc
        .select(&sel(".disclosure-requests table"))
        .next()
        .unwrap();
    let g = grid(table);
    for (r, row) in g.iter().enumerate().skip(3) {
        for (c, cell) in row.iter().enumerate().skip(3) {
            assert_eq!(structural_headers(&g, r, c), named_headers(&doc, *cell));
        }
    }
}

#[test]
fn data_given_but_never_placed_is_a_warning_at_the_data() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "disclosure_stats:\n  复议诉讼:\n    行政复议: {结果维持: 1}\n",
        "正文",
    );
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(
        w[0].contains("a.md:5") && w[0].contains("table 四"),
        "{}",
        w[0]
    );
    assert!(
        stderr(&out).contains("```disclosure-table 四"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn statistics_given_twice_or_a_table_placed_twice_are_reported() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年报告",
        "2024-01-20",
        "甲局",
        "disclosure_stats:\n  复议诉讼: {}\n",
        BLOCK_REPORT,
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    // The block opens on line 11: 6 front matter lines, a blank line, the heading, a blank line.
    assert!(
        err.contains("a.md:11") && err.contains("given twice"),
        "{err}"
    );

    let site = SiteDir::new();
    let body = format!("{BLOCK_REPORT}\n\n```disclosure-table 3\n```");
    site.report("xxgk/a.md", "2023年报告", "2024-01-20", "甲局", "", &body);
    let out = site.build_ok();
    let w = warnings(&out);
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(w[0].contains("placed twice"), "{}", w[0]);
    let doc = site.html("xxgk/a/index.html");
    assert_eq!(
        doc.select(&sel(".disclosure-requests")).count(),
        1,
        "drawn once"
    );
}

/// The open catalogue carries the numbers, and the unit page's year-by-year table
/// shows the same headline figures.
#[test]
fn catalogue_and_unit_trend_carry_the_numbers() {
    let out = build_demo();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("reports.json")).unwrap())
            .unwrap();
    let with_stats: Vec<&serde_json::Value> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("disclosure_stats").is_some())
        .collect();
    assert_eq!(with_stats.len(), 3, "the three demo disclosure reports");
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(out.path().join("sources/zfb/index.html")).unwrap(),
    );
    let rows: Vec<Vec<String>> = page
        .select(&sel("table.trend tbody tr"))
        .map(|tr| {
            tr.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 3);
    for r in with_stats {
        let year = format!("{}年", r["year"]);
        let row = rows
            .iter()
            .find(|row| row[0] == year)
            .unwrap_or_else(|| panic!("no row for {year}"));
        let s = &r["disclosure_stats"]["申请"];
        assert_eq!(
            row[1],
            s["本年新收"]["总计"].to_string(),
            "{year} new requests"
        );
        assert_eq!(
            row[4],
            s["结转下年度继续办理"]["总计"].to_string(),
            "{year} carried forward"
        );
        assert_eq!(
            row[5],
            r["disclosure_stats"]["复议诉讼"]["行政复议"]["总计"].to_string(),
            "{year} reconsiderations"
        );
    }
}

#[test]
fn readme_example_of_the_2019_format_draws_its_own_layout() {
    let readme = std::fs::read_to_string(demo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("**Two formats.**").expect("README paragraph")..];
    let start = section.find("```yaml\ndisclosure_stats:").expect("example") + "```yaml\n".len();
    let yaml = &section[start..start + section[start..].find("```").unwrap()];
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2020年政府信息公开工作年度报告",
        "2021-01-20",
        "甲局",
        yaml,
        "```disclosure-table 二\n```\n\n```disclosure-table 三\n```",
    );
    let out = site.build_ok();
    assert_eq!(warnings(&out), Vec::<String>::new(), "{}", stderr(&out));
    let doc = site.html("xxgk/a/index.html");
    assert_eq!(doc.select(&sel(".disclosure-proactive table")).count(), 5);
    let json: serde_json::Value = serde_json::from_str(&site.read("reports.json")).unwrap();
    let stats = &json["reports"][0]["disclosure_stats"];
    assert_eq!(stats["格式"], 2019, "{stats}");
    assert_eq!(stats["主动公开"]["行政许可"]["本年增/减"], -18, "{stats}");
    assert_eq!(
        stats["主动公开"]["政府集中采购"]["采购总金额"], "73802895.90元",
        "{stats}"
    );
}

#[test]
fn printed_labels_in_a_block_point_findings_at_their_line() {
    let site = SiteDir::new();
    let body = "```disclosure-stats\n申请:\n  一、本年新收政府信息公开申请数量: {自然人: 2, 总计: 2}\n  三、本年度办理结果:\n    （一）予以公开: {自然人: 1, 总计: 1}\n    （七）总计: {自然人: 1, 总计: 1}\n  四、结转下年度继续办理: {自然人: 0, 总计: 3}\n```\n\n```disclosure-table 三\n```";
    site.report("xxgk/a.md", "2023年报告", "2024-01-20", "甲局", "", body);
    let out = site.build_ok();
    let w = warnings(&out);
    // 结转下年度's 总计 is wrong, and 2 + 0 − 0 ≠ 1 in the 自然人 column.
    assert_eq!(w.len(), 2, "{}", stderr(&out));
    assert!(
        w[0].contains("a.md:12") && w[0].contains("（七）总计 · 自然人"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("a.md:13") && w[1].contains("四、结转下年度继续办理 · 总计"),
        "{}",
        w[1]
    );
}
