//! The document readers (issue 23): merged cells laid out as Word and browsers
//! lay them out, so the official statistics tables of both formats become
//! data cell by cell, from the shared Word files and CMS pages and from Word
//! and HTML tables made here; a statistics-like table not read as data is
//! named; tracked changes are refused, accepted or rejected; comments are
//! told and never published.

use std::io::Write;
use std::path::Path;

use crate::common::*;
use serde_json::Value;

// ---------------------------------------------------------------- helpers

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A .docx holding `body` (the children of `w:body`) and any `extra` parts.
pub fn word_file(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    for (name, data) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    bytes.into_inner()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

pub fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", escape(text))
}

/// A Word cell: its text, `gridSpan`, and `vMerge` ("restart", "continue" or "").
fn tc(text: &str, span: usize, vmerge: &str) -> String {
    let span = if span > 1 {
        format!(r#"<w:gridSpan w:val="{span}"/>"#)
    } else {
        String::new()
    };
    let merge = match vmerge {
        "restart" => r#"<w:vMerge w:val="restart"/>"#,
        "continue" => "<w:vMerge/>",
        _ => "",
    };
    let p = if text.is_empty() {
        "<w:p/>".to_string()
    } else {
        para(text)
    };
    format!("<w:tc><w:tcPr>{span}{merge}</w:tcPr>{p}</w:tc>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn tbl(rows: &[String]) -> String {
    format!("<w:tbl>{}</w:tbl>", rows.concat())
}

fn numbers(values: &[u32]) -> Vec<String> {
    values.iter().map(|v| tc(&v.to_string(), 1, "")).collect()
}

fn import(site: &SiteDir, file: &str, extra: &[&str]) -> std::process::Output {
    let path = site.path().join(file);
    annals(
        &[
            &[
                "import",
                "--lang",
                "en",
                "--root",
                site.path().to_str().unwrap(),
            ],
            extra,
            &[path.to_str().unwrap()],
        ]
        .concat(),
    )
}

/// The only report under content/, as text.
fn the_report(site: &SiteDir) -> String {
    let reports: Vec<_> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    std::fs::read_to_string(reports[0].path()).unwrap()
}

/// The front matter of a report as JSON.
fn front_matter(report: &str) -> Value {
    let front = report
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
        .expect("front matter")
        .0;
    serde_saphyr::from_str(front).expect("front matter parses")
}

/// Every cell of `disclosure_stats` as (path, value), blanks left out.
fn cells(stats: &Value) -> Vec<(String, f64)> {
    fn walk(v: &Value, path: String, out: &mut Vec<(String, f64)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    walk(v, format!("{path}/{k}"), out);
                }
            }
            Value::Number(n) => out.push((path, n.as_f64().unwrap())),
            Value::String(s) => panic!("{path} is text: {s}"),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(stats, String::new(), &mut out);
    out.retain(|(p, _)| p != "/格式");
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Imports `input` and compares every statistics cell with the shared report `expected`.
fn assert_same_statistics(input: &Path, expected: &str) {
    let site = SiteDir::new();
    let name = input.file_name().unwrap().to_str().unwrap();
    site.write_bytes(&format!("in/{name}"), &std::fs::read(input).unwrap());
    let out = import(&site, &format!("in/{name}"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = front_matter(&the_report(&site));
    let want_text =
        std::fs::read_to_string(shared_samples().join("real/content").join(expected)).unwrap();
    let want = front_matter(&want_text);
    let got = cells(&got["disclosure_stats"]);
    let want = cells(&want["disclosure_stats"]);
    assert!(want.len() > 100, "{expected} has {} cells", want.len());
    for (path, value) in &want {
        let found = got.iter().find(|(p, _)| p == path).map(|(_, v)| *v);
        assert_eq!(found, Some(*value), "{name}: cell {path}");
    }
    assert_eq!(got.len(), want.len(), "{name}: cells beyond the report's");
}

// ---------------------------------------------------------------- the shared files

#[test]
fn shared_word_files_give_every_statistics_cell() {
    let word = shared_samples().join("word");
    for name in ["pingtan-xxgk-2024", "huaian-szf-xxgk-2024"] {
        assert_same_statistics(
            &word.join(format!("{name}.docx")),
            &format!("2024/{name}.md"),
        );
    }
}

#[test]
fn shared_cms_pages_give_every_statistics_cell() {
    let cms = shared_samples().join("cms");
    assert_same_statistics(&cms.join("80629/page.html"), "2022/pingtan-xxgk-2022.md");
    assert_same_statistics(&cms.join("97791/page.html"), "2024/pingtan-xxgk-2024.md");
}

/// Every number in a page's tables is in its report, as a table cell or as data.
#[test]
fn every_shared_cms_page_keeps_its_tables_numbers() {
    let cms = shared_samples().join("cms");
    let number = regex::Regex::new(r"^\d+(\.\d+)?$").unwrap();
    let any_number = regex::Regex::new(r"\d+(\.\d+)?").unwrap();
    for entry in std::fs::read_dir(&cms).unwrap().flatten() {
        let page = entry.path().join("page.html");
        if !page.is_file() {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let wanted: Vec<String> = html
            .select(&sel("table td, table th"))
            .map(|c| c.text().collect::<String>().trim().to_string())
            .filter(|t| number.is_match(t))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let site = SiteDir::new();
        let out = annals(&[
            "import",
            "--root",
            site.path().to_str().unwrap(),
            page.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let report = the_report(&site);
        let mut have: Vec<String> = any_number
            .find_iter(&report)
            .map(|m| m.as_str().to_string())
            .collect();
        for n in wanted {
            let at = have
                .iter()
                .position(|h| *h == n)
                .unwrap_or_else(|| panic!("{}: {n} lost", page.display()));
            have.swap_remove(at);
        }
    }
}

// ---------------------------------------------------------------- official layouts made here

/// 表二 of the 2021 format as offices type it: section rows merged across four columns.
fn table_two_2021() -> String {
    let section = |t: &str| tr(&[tc(t, 4, "")]);
    let head = |c: &str| tr(&[tc("信息内容", 1, ""), tc(c, 3, "")]);
    let item = |k: &str, v: &str| tr(&[tc(k, 1, ""), tc(v, 3, "")]);
    tbl(&[
        section("第二十条第（一）项"),
        tr(&[
            tc("信息内容", 1, ""),
            tc("本年制发件数", 1, ""),
            tc("本年废止件数", 1, ""),
            tc("现行有效件数", 1, ""),
        ]),
        tr(&[
            tc("规章", 1, ""),
            tc("1", 1, ""),
            tc("2", 1, ""),
            tc("3", 1, ""),
        ]),
        tr(&[
            tc("行政规范性文件", 1, ""),
            tc("4", 1, ""),
            tc("5", 1, ""),
            tc("6", 1, ""),
        ]),
        section("第二十条第（五）项"),
        head("本年处理决定数量"),
        item("行政许可", "7"),
        section("第二十条第（六）项"),
        head("本年处理决定数量"),
        item("行政处罚", "8"),
        item("行政强制", "9"),
        section("第二十条第（八）项"),
        head("本年收费金额（单位：万元）"),
        item("行政事业性收费", "10.5"),
    ])
}

const APPLICANTS: [&str; 6] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];

/// 表三 of the 2021 format: corner 3×3, 三、 down 22 rows, （三） down 8.
/// Row `i` of the outcome rows holds i+1 natural persons, so every cell differs.
fn table_three_2021() -> String {
    let corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    let mut rows = vec![
        tr(&[tc(corner, 3, "restart"), tc("申请人情况", 7, "")]),
        tr(&[
            tc("", 3, "continue"),
            tc("自然人", 1, "restart"),
            tc("法人或其他组织", 5, ""),
            tc("总计", 1, "restart"),
        ]),
        tr(&[
            vec![tc("", 3, "continue"), tc("", 1, "continue")],
            APPLICANTS[1..].iter().map(|a| tc(a, 1, "")).collect(),
            vec![tc("", 1, "continue")],
        ]
        .concat()),
        tr(&[
            vec![tc("一、本年新收政府信息公开申请数量", 3, "")],
            numbers(&[100, 1, 0, 0, 0, 0, 101]),
        ]
        .concat()),
        tr(&[
            vec![tc("二、上年结转政府信息公开申请数量", 3, "")],
            numbers(&[2, 0, 0, 0, 0, 0, 2]),
        ]
        .concat()),
    ];
    let mut i = 0u32;
    for (group, subs) in OFFICIAL_OUTCOME_GROUPS {
        let lines: Vec<Option<&str>> = if subs.is_empty() {
            vec![None]
        } else {
            subs.iter().map(|s| Some(*s)).collect()
        };
        for (n, sub) in lines.iter().enumerate() {
            let first = if i == 0 {
                tc("三、本年度办理结果", 1, "restart")
            } else {
                tc("", 1, "continue")
            };
            let label = match (sub, n) {
                (None, _) => vec![tc(group, 2, "")],
                (Some(s), 0) => vec![tc(group, 1, "restart"), tc(s, 1, "")],
                (Some(s), _) => vec![tc("", 1, "continue"), tc(s, 1, "")],
            };
            let v = i + 1;
            rows.push(tr(
                &[vec![first], label, numbers(&[v, 0, 0, 0, 0, 0, v])].concat()
            ));
            i += 1;
        }
    }
    rows.push(tr(&[
        vec![tc("", 1, "continue"), tc("（七）总计", 2, "")],
        numbers(&[98, 1, 0, 0, 0, 0, 99]),
    ]
    .concat()));
    rows.push(tr(&[
        vec![tc("四、结转下年度继续办理", 3, "")],
        numbers(&[4, 0, 0, 0, 0, 0, 4]),
    ]
    .concat()));
    tbl(&rows)
}

/// 表四: headers two rows deep.
fn table_four() -> String {
    let verdicts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    tbl(&[
        tr(&[tc("行政复议", 5, ""), tc("行政诉讼", 10, "")]),
        tr(&[
            verdicts.iter().map(|v| tc(v, 1, "restart")).collect(),
            vec![tc("未经复议直接起诉", 5, ""), tc("复议后起诉", 5, "")],
        ]
        .concat()),
        tr(&[
            (0..5).map(|_| tc("", 1, "continue")).collect(),
            verdicts
                .iter()
                .chain(&verdicts)
                .map(|v| tc(v, 1, ""))
                .collect::<Vec<_>>(),
        ]
        .concat()),
        tr(&numbers(&(1..=15).collect::<Vec<_>>())),
    ])
}

fn import_word(body: &str, extra: &[&str]) -> (SiteDir, std::process::Output) {
    let site = SiteDir::new();
    site.write_bytes("in/report.docx", &word_file(body, &[]));
    let out = import(&site, "in/report.docx", extra);
    (site, out)
}

#[test]
fn official_merged_layouts_from_word_become_data_cell_by_cell() {
    let body = [
        para("2024年政府信息公开工作年度报告"),
        para("二、主动公开政府信息情况"),
        table_two_2021(),
        para("三、收到和处理政府信息公开申请情况"),
        table_three_2021(),
        para("四、政府信息公开行政复议、行政诉讼情况"),
        table_four(),
    ]
    .concat();
    let (site, out) = import_word(&body, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    for n in ["二", "三", "四"] {
        assert!(
            report.contains(&format!("```disclosure-table {n}")),
            "{report}"
        );
    }
    let s = &front_matter(&report)["disclosure_stats"];
    let p = &s["主动公开"];
    assert_eq!(p["规章"]["本年废止件数"], 2);
    assert_eq!(p["行政规范性文件"]["现行有效件数"], 6);
    assert_eq!(p["行政许可"]["本年处理决定数量"], 7);
    assert_eq!(p["行政强制"]["本年处理决定数量"], 9);
    assert_eq!(p["行政事业性收费"]["本年收费金额"], 10.5);
    let r = &s["申请"];
    assert_eq!(r["本年新收"]["自然人"], 100);
    assert_eq!(r["本年新收"]["商业企业"], 1);
    assert_eq!(r["上年结转"]["总计"], 2);
    let o = &r["办理结果"];
    assert_eq!(o["予以公开"]["自然人"], 1);
    assert_eq!(o["部分公开"]["总计"], 2);
    let withheld = [
        "属于国家秘密",
        "其他法律行政法规禁止公开",
        "危及三安全一稳定",
        "保护第三方合法权益",
        "属于三类内部事务信息",
        "属于四类过程性信息",
        "属于行政执法案卷",
        "属于行政查询事项",
    ];
    for (i, k) in withheld.iter().enumerate() {
        assert_eq!(o["不予公开"][k]["自然人"], i as u64 + 3, "{k}");
        assert_eq!(o["不予公开"][k]["商业企业"], 0, "{k}");
    }
    assert_eq!(o["无法提供"]["补正后申请内容仍不明确"]["总计"], 13);
    assert_eq!(
        o["不予处理"]["要求行政机关确认或重新出具已获取信息"]["自然人"],
        18
    );
    assert_eq!(o["其他处理"]["逾期不补正"]["自然人"], 19);
    assert_eq!(o["其他处理"]["其他"]["总计"], 21);
    assert_eq!(o["总计"]["商业企业"], 1);
    assert_eq!(o["总计"]["总计"], 99);
    assert_eq!(r["结转下年度继续办理"]["自然人"], 4);
    let a = &s["复议诉讼"];
    assert_eq!(a["行政复议"]["结果维持"], 1);
    assert_eq!(a["行政复议"]["总计"], 5);
    assert_eq!(a["行政诉讼"]["未经复议直接起诉"]["结果纠正"], 7);
    assert_eq!(a["行政诉讼"]["复议后起诉"]["总计"], 15);
}

/// 表二 of the 2019 format (国办公开办函〔2019〕60号) in HTML as a CMS
/// exports it: section rows as one cell with colspan, cells left out.
#[test]
fn official_2019_layout_from_html_with_spans_becomes_data() {
    let page = r#"<html><body><div id="zoom">
<p>2019年政府信息公开工作年度报告</p>
<table><tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>13</td><td>12</td><td>524</td></tr>
<tr><td>规范性文件</td><td>60</td><td>59</td><td>368</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td>40</td><td>-18</td><td>7</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td>6</td><td colspan="2">251000元</td></tr>
</tbody></table>
<table>
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>821</td><td>35</td><td></td><td></td><td>2</td><td>1</td><td>859</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>18</td><td></td><td></td><td></td><td></td><td></td><td>18</td></tr>
<tr><td rowspan="6">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>258</td><td>12</td><td></td><td></td><td>1</td><td>1</td><td>272</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>14</td><td></td><td></td><td></td><td></td><td></td><td>14</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>3</td><td></td><td></td><td></td><td></td><td></td><td>3</td></tr>
<tr><td>（四）无法提供</td><td>1.本机关不掌握相关政府信息</td><td>252</td><td>12</td><td></td><td></td><td>1</td><td></td><td>265</td></tr>
<tr><td colspan="2">（六）其他处理</td><td>5</td><td></td><td></td><td></td><td></td><td></td><td>5</td></tr>
<tr><td colspan="2">（七）总计</td><td>767</td><td>35</td><td></td><td></td><td>2</td><td>1</td><td>805</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>72</td><td></td><td></td><td></td><td></td><td></td><td>72</td></tr>
</table>
</div></body></html>"#;
    let site = SiteDir::new();
    site.write("in/page.html", page);
    let out = import(&site, "in/page.html", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = &front_matter(&the_report(&site))["disclosure_stats"];
    assert_eq!(s["格式"], 2019);
    let p = &s["主动公开"];
    assert_eq!(p["规章"]["本年新公开数量"], 12);
    assert_eq!(p["规范性文件"]["对外公开总数量"], 368);
    assert_eq!(p["行政许可"]["本年增/减"], -18);
    assert_eq!(p["政府集中采购"]["采购总金额"], "251000元");
    let o = &s["申请"]["办理结果"];
    assert_eq!(s["申请"]["本年新收"]["法律服务机构"], 2);
    assert_eq!(s["申请"]["本年新收"]["科研机构"], Value::Null);
    assert_eq!(o["予以公开"]["总计"], 272);
    assert_eq!(o["不予公开"]["其他法律行政法规禁止公开"]["自然人"], 3);
    assert_eq!(o["无法提供"]["本机关不掌握相关政府信息"]["商业企业"], 12);
    assert_eq!(o["其他处理"]["自然人"], 5);
    assert_eq!(o["总计"]["总计"], 805);
    assert_eq!(s["申请"]["结转下年度继续办理"]["总计"], 72);
}

#[test]
fn a_statistics_table_not_read_as_data_is_named_with_the_reason() {
    // 表三 with a row the official table does not have.
    let body = [
        para("2024年政府信息公开工作年度报告"),
        table_three_2021().replace("（五）不予处理", "（五）暂缓处理"),
    ]
    .concat();
    let (site, out) = import_word(&body, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    assert!(!report.contains("disclosure-table"), "{report}");
    assert!(
        report.contains("信访举报投诉类申请 | 14 |"),
        "kept as a table: {report}"
    );
    let text = stdout(&out);
    assert!(
        text.contains("table 1") && text.contains("not read as data") && text.contains("暂缓处理"),
        "{text}"
    );
}

// ---------------------------------------------------------------- tracked changes and comments

fn reviewed_document() -> (String, Vec<u8>) {
    let body = r#"<w:p><w:r><w:t>2024年政府信息公开工作年度报告</w:t></w:r></w:p>
<w:p><w:commentRangeStart w:id="7"/><w:r><w:t>全年受理申请</w:t></w:r><w:ins w:id="1" w:author="审核人"><w:r><w:t>2482</w:t></w:r></w:ins><w:del w:id="2" w:author="审核人"><w:r><w:delText>2428</w:delText></w:r></w:del><w:r><w:t>件。</w:t></w:r><w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p>
<w:p><w:r><w:t>办理情况良好。</w:t></w:r><w:ins w:id="3" w:author="审核人"><w:r><w:t>（此句待核实）</w:t></w:r></w:ins></w:p>"#;
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}"><w:comment w:id="7" w:author="张科长" w:date="2025-03-01T00:00:00Z"><w:p><w:r><w:t>请核对受理件数</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    (body.to_string(), comments.into_bytes())
}

fn import_reviewed(extra: &[&str]) -> (SiteDir, std::process::Output) {
    let (body, comments) = reviewed_document();
    let site = SiteDir::new();
    site.write_bytes(
        "in/report.docx",
        &word_file(&body, &[("word/comments.xml", &comments)]),
    );
    let out = import(&site, "in/report.docx", extra);
    (site, out)
}

#[test]
fn tracked_changes_are_refused_by_default_naming_how_many_and_where() {
    let (site, out) = import_reviewed(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("3 tracked changes"), "{err}");
    assert!(err.contains("全年受理申请2482件。"), "{err}");
    assert!(err.contains("--accept-changes"), "{err}");
    assert!(err.contains("审阅"), "{err}");
    assert!(!site.path().join("content/2024").exists());
}

#[test]
fn tracked_changes_accepted_or_rejected_and_comments_told_never_published() {
    let (site, out) = import_reviewed(&["--accept-changes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    assert!(report.contains("全年受理申请2482件。"), "{report}");
    assert!(report.contains("（此句待核实）"), "{report}");
    assert!(!report.contains("2428"), "{report}");
    assert!(!report.contains("请核对"), "comment published: {report}");
    let told = stdout(&out);
    assert!(
        told.contains("张科长") && told.contains("请核对受理件数") && told.contains("全年受理申请"),
        "{told}"
    );

    let (site, out) = import_reviewed(&["--reject-changes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    assert!(report.contains("全年受理申请2428件。"), "{report}");
    assert!(!report.contains("2482"), "{report}");
    assert!(!report.contains("待核实"), "{report}");
}

/// The 2019 format in Word: 表二 with 上一年项目数量 and 采购 columns, 表三 with
/// （六）其他处理 as one row merged across two columns.
#[test]
fn official_2019_layout_from_word_becomes_data() {
    let section = |t: &str| tr(&[tc(t, 4, "")]);
    let head = |cols: &[(&str, usize)]| {
        tr(&[
            vec![tc("信息内容", 1, "")],
            cols.iter().map(|(c, s)| tc(c, *s, "")).collect(),
        ]
        .concat())
    };
    let two = tbl(&[
        section("第二十条第（五）项"),
        head(&[("上一年项目数量", 1), ("本年增/减", 1), ("处理决定数量", 1)]),
        tr(&[
            tc("行政许可", 1, ""),
            tc("40", 1, ""),
            tc("-18", 1, ""),
            tc("", 1, ""),
        ]),
        section("第二十条第（九）项"),
        head(&[("采购项目数量", 1), ("采购总金额", 2)]),
        tr(&[
            tc("政府集中采购", 1, ""),
            tc("2", 1, ""),
            tc("1200.50元", 2, ""),
        ]),
    ]);
    let row = |label: Vec<String>, v: u32| tr(&[label, numbers(&[v, 0, 0, 0, 0, 0, v])].concat());
    let three = tbl(&[
        tr(&[tc("", 3, ""), tc("申请人情况", 7, "")]),
        row(vec![tc("一、本年新收政府信息公开申请数量", 3, "")], 9),
        row(
            vec![
                tc("三、本年度办理结果", 1, "restart"),
                tc("（一）予以公开", 2, ""),
            ],
            3,
        ),
        row(
            vec![
                tc("", 1, "continue"),
                tc("（三）不予公开", 1, "restart"),
                tc("1.属于国家秘密", 1, ""),
            ],
            1,
        ),
        row(
            vec![
                tc("", 1, "continue"),
                tc("", 1, "continue"),
                tc("2.其他法律行政法规禁止公开", 1, ""),
            ],
            2,
        ),
        row(vec![tc("", 1, "continue"), tc("（六）其他处理", 2, "")], 3),
        row(vec![tc("", 1, "continue"), tc("（七）总计", 2, "")], 9),
    ]);
    let (site, out) = import_word(
        &[para("2019年政府信息公开工作年度报告"), two, three].concat(),
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let s = &front_matter(&the_report(&site))["disclosure_stats"];
    assert_eq!(s["格式"], 2019);
    assert_eq!(s["主动公开"]["行政许可"]["本年增/减"], -18);
    assert_eq!(s["主动公开"]["行政许可"]["处理决定数量"], Value::Null);
    assert_eq!(s["主动公开"]["政府集中采购"]["采购总金额"], "1200.50元");
    let o = &s["申请"]["办理结果"];
    assert_eq!(o["不予公开"]["属于国家秘密"]["自然人"], 1);
    assert_eq!(o["不予公开"]["其他法律行政法规禁止公开"]["总计"], 2);
    assert_eq!(o["其他处理"]["自然人"], 3);
    assert_eq!(o["总计"]["总计"], 9);
}

/// Old CMS templates place the article in a table: its paragraphs, its chart
/// and the data table inside it come through, a caption names the table.
#[test]
fn a_layout_table_is_read_through_and_a_data_table_keeps_its_caption() {
    let page = r#"<html><body><div id="zoom"><table><tr><td>
<p>第一段。</p><p>第二段。</p><p><img src="chart.png" alt="图表"></p>
<table><caption>表1 办理情况</caption><tr><th>项目</th><th>件数</th></tr><tr><td>受理</td><td>12</td></tr></table>
</td></tr></table></div></body></html>"#;
    let site = SiteDir::new();
    site.write("in/page.html", page);
    site.write_bytes("in/chart.png", b"\x89PNG\r\n\x1a\n");
    let out = import(&site, "in/page.html", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    assert!(report.contains("\n第一段。\n\n第二段。\n"), "{report}");
    assert!(report.contains("![图表]("), "{report}");
    assert!(
        report.contains("表1 办理情况\n\n| 项目 | 件数 |"),
        "{report}"
    );
    assert!(report.contains("| 受理 | 12 |"), "{report}");
}

/// A second copy of 表三 (last year's, for comparison) never overwrites the first.
#[test]
fn a_second_copy_of_a_table_stays_a_table_and_is_told() {
    let last_year = table_three_2021().replace(">100<", ">77<");
    let body = [
        para("2024年政府信息公开工作年度报告"),
        table_three_2021(),
        last_year,
    ]
    .concat();
    let (site, out) = import_word(&body, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = the_report(&site);
    let s = &front_matter(&report)["disclosure_stats"];
    assert_eq!(s["申请"]["本年新收"]["自然人"], 100);
    assert!(report.contains("| 77 |"), "kept as a table: {report}");
    let told = stdout(&out);
    assert!(
        told.contains("table 2") && told.contains("table 1"),
        "{told}"
    );
}
