//! What real published reports print (issue 15): both table formats, a single
//! （六）其他处理 row, blank cells, labels as printed, fees as written, every
//! arithmetic check with the line of its cell, renamed units, deadlines by kind
//! of body and report rules that know real headings. The shared real reports
//! are read from `../shared` at test time and built in temp sites; everything
//! else is made here.

use crate::common::*;

use annals::disclosure::recognise::{merge, recognise};
use scraper::Html;

// ---------------------------------------------------------------- helpers

fn lines_starting(out: &std::process::Output, prefix: &str) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(String::from)
        .collect()
}

/// Findings of `check` other than the `[units]` reminders.
fn findings(out: &std::process::Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
        .filter(|l| !l.contains("has no entry under [units]"))
        .map(String::from)
        .collect()
}

/// The cells of every row of a table, as text (header cells included).
fn rows(doc: &Html, selector: &str) -> Vec<Vec<String>> {
    let table = doc
        .select(&sel(selector))
        .next()
        .unwrap_or_else(|| panic!("no {selector}"));
    table
        .select(&sel("tr"))
        .map(|tr| {
            tr.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

/// A computed 总计 as drawn: its number and the mark; the note is under the table.
fn computed(n: &str) -> String {
    format!("{n}*")
}

/// A report of 表三 only: `rows` are the YAML lines under `申请:` (4 spaces in).
fn requests_report(rows: &str) -> String {
    format!("disclosure_stats:\n  申请:\n{rows}")
}

const TABLE_THREE: &str = "## 三、收到和处理政府信息公开申请情况\n\n```disclosure-table 三\n```";

// ---------------------------------------------------------------- the shared reports

/// The grids of the Markdown tables of a body, and the body without them.
fn take_tables(body: &str) -> (Vec<Vec<Vec<String>>>, String) {
    let mut grids: Vec<Vec<Vec<String>>> = Vec::new();
    let mut rest = String::new();
    let mut in_table = false;
    for line in body.lines() {
        let t = line.trim();
        if t.starts_with('|') {
            if !in_table {
                grids.push(Vec::new());
                in_table = true;
            }
            let cells: Vec<String> = t
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            if !cells.iter().all(|c| c.chars().all(|ch| "-: ".contains(ch))) {
                grids.last_mut().unwrap().push(cells);
            }
        } else {
            in_table = false;
            rest.push_str(line);
            rest.push('\n');
        }
    }
    (grids, rest)
}

/// The shared real reports in a temp site; the 2019 report's plain tables are
/// recognised and written as data, with a marker where they stood.
fn real_site() -> SiteDir {
    let real = shared_samples().join("real");
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &std::fs::read_to_string(real.join("config.toml")).unwrap(),
    );
    for entry in walkdir::WalkDir::new(real.join("content")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&real).unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = if text.contains("| 第二十条") {
            tables_as_data(&text)
        } else {
            text
        };
        site.write(rel.to_str().unwrap(), &text);
    }
    site
}

fn tables_as_data(text: &str) -> String {
    let (front, body) = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .expect("front matter");
    let (grids, body) = take_tables(body);
    let mut stats = serde_json::Value::Null;
    for grid in &grids {
        merge(
            &mut stats,
            recognise(grid).unwrap_or_else(|| panic!("not recognised: {grid:?}")),
        );
    }
    let mut extra = String::new();
    for (key, value) in stats.as_object().unwrap() {
        // JSON is YAML in flow style.
        extra.push_str(&format!("  {key}: {value}\n"));
    }
    let front = front.replacen(
        "disclosure_stats:\n",
        &format!("disclosure_stats:\n{extra}"),
        1,
    );
    let body = body.replacen(
        "## 二、主动公开政府信息情况\n",
        "## 二、主动公开政府信息情况\n\n```disclosure-table 二\n```\n",
        1,
    );
    format!("---\n{front}\n---\n{body}")
}

#[test]
fn shared_real_reports_build_with_their_tables_and_check_finds_only_what_is_wrong() {
    let site = real_site();
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:")
            .into_iter()
            .filter(|l| !l.contains("[units]"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );

    // The 2019 report: 表二 in the 2019 layout, 表三 with one （六）其他处理 row.
    let doc = site.html("2019/shanghai-bgt-xxgk-2019/index.html");
    let captions = texts(&doc, ".disclosure-proactive caption");
    assert_eq!(captions.len(), 5, "{captions:?}");
    assert_eq!(captions[4], "第二十条第（九）项");
    let procurement = rows(&doc, ".disclosure-proactive table:nth-of-type(5)");
    assert_eq!(procurement[0], ["信息内容", "采购项目数量", "采购总金额"]);
    assert_eq!(procurement[1], ["政府集中采购", "6", "251000元"]);
    let documents = rows(&doc, ".disclosure-proactive table:nth-of-type(1)");
    assert_eq!(
        documents[0],
        [
            "信息内容",
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量"
        ]
    );
    assert_eq!(documents[2], ["规范性文件", "60", "60", "368"]);
    let requests = rows(&doc, ".disclosure-requests table");
    let other: Vec<&Vec<String>> = requests
        .iter()
        .filter(|r| r.iter().any(|c| c.contains("其他处理")))
        .collect();
    assert_eq!(other.len(), 1, "one （六）其他处理 row: {other:?}");
    assert!(
        !requests.iter().flatten().any(|c| c.contains("逾期不补正")),
        "no sub-rows in the 2019 format"
    );

    // The fee as written.
    let doc = site.html("2024/huaian-szf-xxgk-2024/index.html");
    let fees = rows(&doc, ".disclosure-proactive table:nth-of-type(4)");
    assert_eq!(fees[1], ["行政事业性收费", "96171.6"]);

    // check: the printed numbers add up; the 法治 report lacks exactly two parts.
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 2, "{}", stderr(&out));
    assert!(
        f.iter()
            .all(|l| l.contains("pingtan-jfj-fazhi-2022.md") && l.starts_with("error:")),
        "{f:?}"
    );
    assert!(
        f[0].contains("不足和原因") || f[1].contains("不足和原因"),
        "{f:?}"
    );
    assert!(
        f[0].contains("第一责任人") || f[1].contains("第一责任人"),
        "{f:?}"
    );
}

// ---------------------------------------------------------------- 1. both formats

const TABLES_2019: &str = "disclosure_stats:
  主动公开:
    规章: {本年新制作数量: 2, 本年新公开数量: 2, 对外公开总数量: 40}
    规范性文件: {本年新制作数量: 9, 本年新公开数量: 9, 对外公开总数量: 120}
    行政许可: {上一年项目数量: 56, 本年增/减: -18, 处理决定数量: 1200}
    其他对外管理服务事项: {上一年项目数量: 3, 本年增/减: 0, 处理决定数量: 12}
    行政处罚: {上一年项目数量: 200, 本年增/减: 5, 处理决定数量: 30}
    行政强制: {上一年项目数量: 10, 本年增/减: ~, 处理决定数量: 1}
    行政事业性收费: {上一年项目数量: 4, 本年增/减: -1}
    政府集中采购: {采购项目数量: 17, 采购总金额: 73802895.90元}
";

#[test]
fn a_2020_report_uses_the_2019_layout_and_a_key_overrides_it() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2020年政府信息公开工作年度报告",
        "2021-01-20",
        "甲区司法局",
        TABLES_2019,
        "## 二、主动公开政府信息情况\n\n```disclosure-table 二\n```",
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    let doc = site.html("xxgk/a/index.html");
    assert_eq!(
        texts(&doc, ".disclosure-proactive caption"),
        [
            "第二十条第（一）项",
            "第二十条第（五）项",
            "第二十条第（六）项",
            "第二十条第（八）项",
            "第二十条第（九）项"
        ]
    );
    let licensing = rows(&doc, ".disclosure-proactive table:nth-of-type(2)");
    assert_eq!(
        licensing[0],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    );
    assert_eq!(licensing[1], ["行政许可", "56", "-18", "1200"]);
    let penalties = rows(&doc, ".disclosure-proactive table:nth-of-type(3)");
    assert_eq!(
        penalties[2],
        ["行政强制", "10", "", "1"],
        "blank stays blank"
    );
    let procurement = rows(&doc, ".disclosure-proactive table:nth-of-type(5)");
    assert_eq!(procurement[1], ["政府集中采购", "17", "73802895.90元"]);

    // The same data in a 2021 report is not the 2021 layout: a clear error.
    site.report(
        "xxgk/a.md",
        "2021年政府信息公开工作年度报告",
        "2022-01-20",
        "甲区司法局",
        TABLES_2019,
        "## 二、主动公开政府信息情况\n\n```disclosure-table 二\n```",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("unknown key"), "{err}");
    assert!(
        err.contains("the data follows the 2019 table format") && err.contains("`格式: 2019`"),
        "{err}"
    );

    // `格式: 2019` says which format a report follows.
    site.report(
        "xxgk/a.md",
        "2021年政府信息公开工作年度报告",
        "2022-01-20",
        "甲区司法局",
        &TABLES_2019.replace("disclosure_stats:\n", "disclosure_stats:\n  格式: 2019\n"),
        "## 二、主动公开政府信息情况\n\n```disclosure-table 二\n```",
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        texts(
            &site.html("xxgk/a/index.html"),
            ".disclosure-proactive caption"
        )
        .len(),
        5
    );
}

#[test]
fn a_change_that_is_not_whole_is_a_finding() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2019年报告",
        "2020-01-20",
        "甲区司法局",
        "disclosure_stats:\n  主动公开:\n    行政许可: {本年增/减: -1.5}\n    政府集中采购: {采购总金额: 很多元}\n",
        "```disclosure-table 二\n```",
    );
    let out = site.build_ok();
    let w = lines_starting(&out, "warning:");
    assert_eq!(w.len(), 2, "{}", stderr(&out));
    assert!(
        w[0].contains("a.md:7") && w[0].contains("行政许可 · 本年增/减"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("a.md:8") && w[1].contains("政府集中采购 · 采购总金额"),
        "{}",
        w[1]
    );
}

// ---------------------------------------------------------------- 2. one 其他处理 row

#[test]
fn a_single_other_handling_row_is_accepted_in_the_2021_format() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2022年政府信息公开工作年度报告",
        "2023-01-20",
        "甲区司法局",
        &requests_report(
            "    本年新收: {自然人: 3, 其他: 1, 总计: 4}\n    办理结果:\n      予以公开: {自然人: 2, 总计: 2}\n      其他处理: {自然人: 1, 其他: 1, 总计: 2}\n      总计: {自然人: 3, 其他: 1, 总计: 4}\n",
        ),
        TABLE_THREE,
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    let table = rows(
        &site.html("xxgk/a/index.html"),
        ".disclosure-requests table",
    );
    let other: Vec<&Vec<String>> = table
        .iter()
        .filter(|r| r.iter().any(|c| c.contains("其他处理")))
        .collect();
    assert_eq!(other.len(), 1);
    assert_eq!(
        other[0][other[0].len() - 7..],
        ["1", "0", "0", "0", "0", "1", "2"]
    );
}

// ---------------------------------------------------------------- 3. blank is not zero

#[test]
fn blank_cells_stay_blank_and_computed_totals_are_marked() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2022年政府信息公开工作年度报告",
        "2023-01-20",
        "甲区司法局",
        &requests_report(
            "    本年新收: {自然人: 3, 商业企业: ~, 总计: 3}\n    上年结转: {自然人: ~, 总计: ~}\n    办理结果:\n      予以公开: {自然人: 3}\n      总计: {自然人: 3, 总计: 3}\n",
        ),
        TABLE_THREE,
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    let doc = site.html("xxgk/a/index.html");
    let table = rows(&doc, ".disclosure-requests table");
    let row = |label: &str| {
        let r = table
            .iter()
            .find(|r| r.iter().any(|c| c.contains(label)))
            .unwrap_or_else(|| panic!("no row {label}"));
        r[r.len() - 7..].to_vec()
    };
    // Written blank: drawn blank, 总计 too; left out: 0.
    assert_eq!(row("本年新收"), ["3", "", "0", "0", "0", "0", "3"]);
    assert_eq!(row("上年结转"), ["", "0", "0", "0", "0", "0", ""]);
    // A 总计 left out is computed and marked as such.
    assert_eq!(
        row("予以公开"),
        ["3", "0", "0", "0", "0", "0", &computed("3")]
    );
    assert_eq!(texts(&doc, ".disclosure-computed-note").len(), 1);
}

// ---------------------------------------------------------------- 4. labels as printed

#[test]
fn labels_copied_with_their_numbering_are_accepted() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2022年政府信息公开工作年度报告",
        "2023-01-20",
        "甲区司法局",
        &requests_report(
            "    一、本年新收政府信息公开申请数量: {自然人: 4, 总计: 4}\n    三、本年度办理结果:\n      （一）予以公开: {自然人: 1, 总计: 1}\n      （三）不予公开:\n        1.属于国家秘密: {自然人: 1, 总计: 1}\n      （六）其他处理:\n        1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请: {自然人: 1, 总计: 1}\n        3.其他: {自然人: 1, 总计: 1}\n      （七）总计: {自然人: 4, 总计: 4}\n    四、结转下年度继续办理: {自然人: 0, 总计: 0}\n",
        ),
        TABLE_THREE,
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    let table = rows(
        &site.html("xxgk/a/index.html"),
        ".disclosure-requests table",
    );
    let secrets = table
        .iter()
        .find(|r| r.iter().any(|c| c == "1.属于国家秘密"))
        .unwrap();
    assert_eq!(
        secrets[secrets.len() - 7..],
        ["1", "0", "0", "0", "0", "0", "1"]
    );

    // A misspelt printed label gets the right suggestion.
    let text = std::fs::read_to_string(site.path().join("content/xxgk/a.md")).unwrap();
    site.write(
        "content/xxgk/a.md",
        &text.replace("（七）总计:", "（七）总记:"),
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(err.contains("unknown key `总记`"), "{err}");
    assert!(err.contains("did you mean `总计`"), "{err}");
}

// ---------------------------------------------------------------- 5. fees as printed

#[test]
fn fees_with_any_number_of_decimals_are_drawn_as_written() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2022年政府信息公开工作年度报告",
        "2023-01-20",
        "甲区司法局",
        "disclosure_stats:\n  主动公开:\n    行政事业性收费: {本年收费金额: 24252.311082}\n",
        "```disclosure-table 二\n```",
    );
    let out = site.build_ok();
    assert_eq!(
        lines_starting(&out, "warning:"),
        Vec::<String>::new(),
        "{}",
        stderr(&out)
    );
    let fees = rows(
        &site.html("xxgk/a/index.html"),
        ".disclosure-proactive table:nth-of-type(4)",
    );
    assert_eq!(fees[1], ["行政事业性收费", "24252.311082"]);
}

// ---------------------------------------------------------------- 6, 7. every check, right lines

#[test]
fn every_column_of_the_outcome_total_is_checked_and_all_findings_shown_at_their_lines() {
    let site = SiteDir::new();
    // The rows add up to 27 in 总计 (and 27 自然人), the report printed 21 as 总计;
    // 本年新收 has a wrong 总计 too, and 上年结转 a fraction: three findings.
    site.report(
        "xxgk/a.md",
        "2022年政府信息公开工作年度报告",
        "2023-01-20",
        "甲区司法局",
        &requests_report(
            "    一、本年新收政府信息公开申请数量: {自然人: 27, 总计: 28}\n    二、上年结转政府信息公开申请数量: {自然人: 0.5}\n    三、本年度办理结果:\n      （一）予以公开: {自然人: 20, 总计: 20}\n      （二）部分公开（区分处理的，只计这一情形，不计其他情形）: {自然人: 7, 总计: 7}\n      （七）总计: {自然人: 27, 总计: 21}\n",
        ),
        TABLE_THREE,
    );
    let out = site.build_ok();
    let w = lines_starting(&out, "warning:");
    assert_eq!(w.len(), 3, "{}", stderr(&out));
    assert!(
        w[0].contains("a.md:7") && w[0].contains("本年新收政府信息公开申请数量 · 总计"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("a.md:8") && w[1].contains("上年结转政府信息公开申请数量 · 自然人"),
        "{}",
        w[1]
    );
    assert!(
        w[2].contains("a.md:12")
            && w[2].contains("（七）总计 · 总计")
            && w[2].contains("is 21, expected 27"),
        "{}",
        w[2]
    );
}

// ---------------------------------------------------------------- 8. renamed units

fn carried(year: i32, source: &str, over: u32, forward: u32) -> (String, String) {
    (
        format!("xxgk/{year}.md"),
        format!(
            "---\ntitle: {year}年政府信息公开工作年度报告\ndate: {}-01-20\nsource: {source}\n{}---\n\n{TABLE_THREE}\n",
            year + 1,
            requests_report(&format!(
                "    本年新收: {{自然人: 5}}\n    上年结转: {{自然人: {over}}}\n    办理结果:\n      予以公开: {{自然人: {}}}\n    结转下年度继续办理: {{自然人: {forward}}}\n",
                5 + over - forward
            ))
        ),
    )
}

#[test]
fn former_names_keep_a_unit_together_across_a_rename() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[units]\n\"平潭综合实验区管委会办公室\" = {{ slug = \"pingtan\", former_names = [\"平潭县人民政府\"] }}\n"
        ),
    );
    let (p, t) = carried(2022, "平潭县人民政府", 0, 3);
    site.write(&format!("content/{p}"), &t);
    // 上年结转 2 where last year carried 3 forward, under the former name.
    let (p, t) = carried(2023, "平潭综合实验区管委会办公室", 2, 0);
    site.write(&format!("content/{p}"), &t);
    let out = site.build_ok();
    let w = lines_starting(&out, "warning:");
    assert_eq!(w.len(), 1, "{}", stderr(&out));
    assert!(
        w[0].contains("2023.md")
            && w[0].contains("上年结转政府信息公开申请数量 · 自然人")
            && w[0].contains("is 2, expected 3"),
        "{}",
        w[0]
    );
    // One unit page with both reports, one feed.
    let doc = site.html("sources/pingtan/index.html");
    let links = attrs(&doc, "main a[href]", "href");
    assert!(
        links.iter().any(|h| h.ends_with("/xxgk/2022/")),
        "{links:?}"
    );
    assert!(
        links.iter().any(|h| h.ends_with("/xxgk/2023/")),
        "{links:?}"
    );
    let feed = site.read("sources/pingtan/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 2);
    assert_eq!(
        std::fs::read_dir(site.public().join("sources"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_dir())
            .count(),
        1,
        "no page for the former name"
    );
}

#[test]
fn check_points_at_a_similarly_named_unit_when_last_year_is_missing() {
    let site = SiteDir::new();
    let (p, t) = carried(2022, "洪泽区人民政府", 0, 3);
    site.write(&format!("content/{p}"), &t);
    let (p, t) = carried(2023, "淮安市洪泽区人民政府", 3, 0);
    site.write(&format!("content/{p}"), &t);
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{}", stderr(&out));
    assert!(
        f[0].starts_with("warning:")
            && f[0].contains("2023.md:4")
            && f[0].contains("淮安市洪泽区人民政府 has no report for 2022")
            && f[0].contains("洪泽区人民政府 has one"),
        "{}",
        f[0]
    );
    assert!(
        stderr(&out).contains("former_names = [\"洪泽区人民政府\"]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_former_name_claimed_twice_is_a_config_error() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[units]\n\"甲\" = {{ slug = \"a\", former_names = [\"丙\"] }}\n\"乙\" = {{ slug = \"b\", former_names = [\"丙\"] }}\n"
        ),
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("former name `丙`"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------- 9. deadlines by kind

fn xxgk(site: &SiteDir, name: &str, source: &str, date: &str) {
    site.write(
        &format!("content/xxgk/{name}.md"),
        &format!(
            "---\ntitle: 2023年政府信息公开工作年度报告\ndate: {date}\nsource: {source}\ncategory: 政府信息公开工作年度报告\n---\n\n## 一、总体情况\n\n## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n## 五、存在的主要问题及改进情况\n\n## 六、其他需要报告的事项\n"
        ),
    );
}

#[test]
fn governments_have_until_march_and_departments_until_january() {
    let site = SiteDir::new();
    xxgk(&site, "gov", "乙市人民政府", "2024-03-20");
    xxgk(&site, "zone", "丙区管委会办公室", "2024-03-31");
    xxgk(&site, "dept", "乙市司法局", "2024-02-15");
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{}", stderr(&out));
    assert!(
        f[0].contains("dept.md:3")
            && f[0].contains("15 days late")
            && f[0].contains("department's 政府信息公开工作年度报告")
            && f[0].contains("due by 2024-01-31")
            && f[0].contains("taken to be a department from its name"),
        "{}",
        f[0]
    );

    // `kind` under [units] overrides the name.
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[units]\n\"乙市人民政府\" = {{ slug = \"yi\", kind = \"department\" }}\n\"乙市司法局\" = {{ slug = \"sfj\", kind = \"government\" }}\n"
        ),
    );
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{}", stderr(&out));
    assert!(
        f[0].contains("gov.md:3")
            && f[0].contains("due by 2024-01-31")
            && f[0].contains("乙市人民政府 is a department under [units]"),
        "{}",
        f[0]
    );
}

// ---------------------------------------------------------------- 10. report rules

fn fazhi(site: &SiteDir, body: &str) {
    site.write(
        "content/fz/a.md",
        &format!(
            "---\ntitle: 2023年法治政府建设年度报告\ndate: 2024-03-01\nsource: 丁县应急管理局\ncategory: 法治政府建设年度报告\n---\n\n{body}\n"
        ),
    );
}

/// Headings that name the four required parts, one per part.
const PARTS: [(&str, &str); 4] = [
    ("举措和成效", "## 一、主要举措"),
    ("第一责任人", "### （一）第一责任人职责"),
    ("不足和原因", "## 二、存在的不足"),
    ("主要安排", "## 三、下一步工作计划"),
];

/// A body with the four parts, the one named `part` given by `heading`.
fn body_with(part: &str, heading: &str) -> String {
    PARTS
        .iter()
        .map(|(p, h)| if *p == part { heading } else { *h })
        .collect::<Vec<_>>()
        .join("\n\n正文。\n\n")
}

#[test]
fn real_headings_name_the_required_parts() {
    let site = SiteDir::new();
    fazhi(
        &site,
        "## 一、工作开展情况\n\n正文。\n\n### （一）党政主要负责人履行推进法治建设第一责任人职责情况\n\n正文。\n\n## 二、存在的问题和不足\n\n正文。\n\n## 三、下一步工作计划\n\n正文。",
    );
    let out = site.check(&[]);
    assert_eq!(findings(&out), Vec::<String>::new(), "{}", stderr(&out));

    for (part, heading) in [
        ("不足和原因", "## 二、短板弱项"),
        ("不足和原因", "## 二、存在问题"),
        ("主要安排", "## 三、工作打算"),
        ("主要安排", "## 三、下一步工作安排"),
        ("举措和成效", "## 一、主要做法和成效"),
        ("举措和成效", "## 一、加强党的领导，坚定法治建设方向"),
        ("第一责任人", "### 1.主要负责人履职情况"),
    ] {
        fazhi(&site, &body_with(part, heading));
        let out = site.check(&[]);
        assert_eq!(
            findings(&out),
            Vec::<String>::new(),
            "{heading} for {part}: {}",
            stderr(&out)
        );
        // Without it the part is missing.
        fazhi(&site, &body_with(part, "## 其他"));
        let out = site.check(&[]);
        let f = findings(&out);
        assert!(
            f.iter()
                .any(|l| l.contains(part) && l.contains("no heading matches")),
            "{part}: {}",
            stderr(&out)
        );
    }

    // 下一步，… at the start of a paragraph is the 主要安排 of many real reports.
    fazhi(
        &site,
        &body_with("主要安排", "下一步，我局将继续推进法治建设。"),
    );
    let out = site.check(&[]);
    assert_eq!(findings(&out), Vec::<String>::new(), "{}", stderr(&out));
}

#[test]
fn a_site_extends_the_synonyms_of_a_part() {
    let site = SiteDir::new();
    fazhi(
        &site,
        "## 一、工作开展情况\n\n## 二、第一责任人职责\n\n## 三、差距与挑战\n\n## 四、下一步工作计划",
    );
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{}", stderr(&out));
    assert!(f[0].contains("不足和原因"), "{}", f[0]);
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[rules.\"法治政府建设年度报告\".synonyms]\n\"推进法治政府建设存在的不足和原因\" = [\"差距与挑战\"]\n"
        ),
    );
    let out = site.check(&[]);
    assert_eq!(findings(&out), Vec::<String>::new(), "{}", stderr(&out));
}

#[test]
fn a_report_without_headings_gets_one_message_suggesting_the_outline() {
    let site = SiteDir::new();
    let long = "今年以来，本局认真贯彻落实各项部署要求，".repeat(20);
    fazhi(&site, &format!("{long}\n\n又一段正文。"));
    let out = site.check(&[]);
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{}", stderr(&out));
    assert!(
        f[0].starts_with("error:") && f[0].contains("has no headings"),
        "{}",
        f[0]
    );
    assert!(
        stderr(&out).contains("outline = \"auto\""),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out)
            .lines()
            .filter(|l| l.contains("今年以来"))
            .count()
            <= 1,
        "the opening text is not repeated: {}",
        stderr(&out)
    );
}
