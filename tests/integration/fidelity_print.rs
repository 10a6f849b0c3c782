//! The 落款 printed once and right-aligned, GB/T 9704 dates, print titles that
//! break between words, computed totals with one note, and statistics tables
//! that are not data told in build and check.

use crate::common::*;

use scraper::Html;

const SIGNED_BODY: &str =
    "## 一、总体情况\n\n全年工作有序开展。\n\n淮安市洪泽区人民政府办公室\n2025年01月20日";

fn signed_site() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2024/xxgk.md",
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        "2025-01-20",
        "淮安市洪泽区人民政府办公室",
        "",
        SIGNED_BODY,
    );
    site
}

fn signatures(doc: &Html) -> Vec<String> {
    doc.select(&sel(".doc-sign"))
        .map(|e| e.text().collect::<Vec<_>>().join("|"))
        .collect()
}

#[test]
fn the_signature_at_the_end_is_printed_once_right_aligned() {
    let site = signed_site();
    site.build_ok();
    let web = site.html("2024/xxgk/index.html");
    assert_eq!(
        signatures(&web),
        ["淮安市洪泽区人民政府办公室|2025年1月20日"],
        "the web page shows the 落款 once"
    );
    // It is not a body paragraph any more (those are indented, not right-aligned).
    let paragraphs = texts(&web, ".report-body p:not(.doc-sign)");
    assert!(
        !paragraphs.iter().any(|p| p.contains("2025年")),
        "{paragraphs:?}"
    );
    assert_eq!(attrs(&web, ".doc-sign time", "datetime"), ["2025-01-20"]);
    let print = site.html("2024/xxgk/print/index.html");
    assert_eq!(
        signatures(&print),
        ["淮安市洪泽区人民政府办公室|2025年1月20日"],
        "the print page adds no second signature"
    );
    let volume = site.html("archive/2024/print/index.html");
    assert_eq!(signatures(&volume).len(), 1);
    // The stylesheets right-align it on both pages.
    let css = site.read("static/gov.css");
    assert!(
        css.contains(".report-body .doc-sign { text-align: right;"),
        "gov.css"
    );
}

#[test]
fn a_report_without_a_signature_gets_one_with_a_gbt_9704_date() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2022年法治政府建设年度报告",
        "2023-03-05",
        "甲局",
        "",
        "## 一、情况\n\n全年共受理申请12件。\n\n2023年3月5日",
    );
    site.build_ok();
    let print = site.html("2023/a/print/index.html");
    assert_eq!(signatures(&print), ["甲局|2023年3月5日"]);
    let facts = texts(&print, ".doc-facts dd");
    assert!(facts.contains(&"2023年3月5日".to_string()), "{facts:?}");
    assert!(!site.read("2023/a/print/index.html").contains("年03月"));
    // A date at the end of the text with no unit above it stays text.
    let web = site.html("2023/a/index.html");
    assert!(signatures(&web).is_empty());
}

#[test]
fn print_titles_break_between_words_only() {
    let site = signed_site();
    site.build_ok();
    let print = site.read("2024/xxgk/print/index.html");
    let doc = Html::parse_document(&print);
    let title = doc
        .select(&sel(".doc-title"))
        .next()
        .expect("print title")
        .inner_html();
    assert!(title.contains("<wbr>"), "{title}");
    let words: Vec<&str> = title.split("<wbr>").collect();
    assert_eq!(
        words.concat(),
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    );
    for word in &words {
        assert!(!["政", "府", "年", "报", "告"].contains(word), "{words:?}");
    }
    assert!(
        site.read("static/print.css")
            .contains("word-break: keep-all")
    );
}

const COMPUTED_TOTALS: &str = "## 三、收到和处理政府信息公开申请情况

```disclosure-stats
申请:
  本年新收: {自然人: 3, 商业企业: 1}
  办理结果:
    予以公开: {自然人: 2}
  结转下年度继续办理: {自然人: 1}
```

```disclosure-table 三
```";

#[test]
fn a_computed_total_shows_its_number_and_one_note_under_the_table() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "甲局",
        "",
        COMPUTED_TOTALS,
    );
    site.build_ok();
    for page in ["xxgk/a/index.html", "xxgk/a/print/index.html"] {
        let doc = site.html(page);
        let cells = texts(&doc, ".disclosure-requests td.disclosure-computed");
        assert!(!cells.is_empty(), "{page}");
        for cell in &cells {
            assert!(
                cell.ends_with('*') && cell.trim_end_matches('*').parse::<u64>().is_ok(),
                "{page}: a computed cell reads {cell:?}"
            );
        }
        let notes: Vec<_> = doc.select(&sel(".disclosure-computed-note")).collect();
        assert_eq!(notes.len(), 1, "{page}");
        let id = notes[0].value().attr("id").expect("the note has an id");
        let described = attrs(
            &doc,
            ".disclosure-requests td.disclosure-computed",
            "aria-describedby",
        );
        assert!(described.iter().all(|d| d == id), "{described:?} {id}");
        assert!(!site.read(page).contains("（原报告未列此数"), "{page}");
    }
}

const PLAIN_TABLE_REPORT: &str = "## 三、收到和处理政府信息公开申请情况

| 本列数据的勾稽关系 | 自然人 | 商业企业 | 总计 |
|---|---|---|---|
| 一、本年新收政府信息公开申请数量 | 3 | 1 | 4 |
| （一）予以公开 | 2 | 0 | 2 |

## 四、政府信息公开行政复议、行政诉讼情况

| 行政复议结果维持 | 结果纠正 | 行政诉讼 |
|---|---|---|
| 0 | 0 | 0 |

| 项目 | 数量 |
|---|---|
| 培训 | 3 |";

#[test]
fn statistics_tables_that_are_not_data_are_warned_about_in_build_and_check() {
    let site = SiteDir::new();
    site.report(
        "xxgk/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "甲局",
        "category: 政府信息公开工作年度报告\n",
        PLAIN_TABLE_REPORT,
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains("a.md:10: table 三 (表三) was not recognised as data"),
        "{err}"
    );
    assert!(err.contains("a.md:17: table 四"), "{err}");
    assert!(
        err.contains("2 warning(s)") || err.matches("not recognised").count() == 2,
        "{err}"
    );
    let zh = stderr(&site.check(&["--lang", "zh-CN"]));
    assert!(zh.contains("表三未能识别为数据，数字未核对"), "{zh}");
    assert!(zh.contains("警告"), "{zh}");
    // The table is still published as written.
    let doc = site.html("xxgk/a/index.html");
    assert!(texts(&doc, ".report-body td").contains(&"4".to_string()));
    // With the numbers as data, nothing is said.
    site.report(
        "xxgk/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20",
        "甲局",
        "category: 政府信息公开工作年度报告\n",
        COMPUTED_TOTALS,
    );
    let out = site.build_ok();
    assert!(!stderr(&out).contains("not recognised"), "{}", stderr(&out));
}
