//! The messages of `check`, the 政府信息公开 statistics, `serve` and PDF printing
//! in Chinese: real broken sites, run with `--lang zh-CN` (or a zh-CN site and
//! no language in the environment), must say what is wrong, where and what to
//! do in Chinese, with the file and line.

use std::time::{Duration, Instant};

use crate::common::*;

fn demo_2023() -> String {
    std::fs::read_to_string(demo_root().join("content/xxgk/zfb-xxgk-2023.md")).unwrap()
}

fn check_zh(site: &SiteDir) -> String {
    let out = annals(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--lang",
        "zh-CN",
    ]);
    stderr(&out)
}

/// The message that starts at the line naming `place`, with its quoted line and help.
fn message_at<'a>(output: &'a str, place: &str) -> &'a str {
    let start = output
        .find(place)
        .unwrap_or_else(|| panic!("nothing at {place} in:\n{output}"));
    let rest = &output[start..];
    let end = rest[1..]
        .find("\n错误: ")
        .into_iter()
        .chain(rest[1..].find("\n警告: "))
        .min()
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn a_wrong_total_of_table_three_is_told_in_chinese_with_the_row_and_the_rule() {
    let text = demo_2023().replacen("总计: 158}", "总计: 159}", 1);
    let line = line_of(&text, "总计: 159}");
    let site = demo_disclosure_site(|_| text.clone());
    let out = check_zh(&site);
    let message = message_at(&out, &format!("content/xxgk/zfb-xxgk-2023.md:{line}:"));
    for expected in [
        "表三「收到和处理政府信息公开申请情况」中「一、本年新收政府信息公开申请数量 · 总计」一格填的是 159，应为 158",
        "提示: “总计”等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六项之和（键 `申请.本年新收.总计`）",
    ] {
        assert!(message.contains(expected), "{expected} not in:\n{message}");
    }
}

#[test]
fn a_table_marker_and_a_bad_cell_are_told_in_chinese() {
    let text = demo_2023()
        .replace("```disclosure-table 四", "```disclosure-table 五")
        .replacen("自然人: 130,", "自然人: 很多,", 1);
    let marker = line_of(&text, "```disclosure-table 五");
    let cell = line_of(&text, "自然人: 很多,");
    let site = demo_disclosure_site(|_| text.clone());
    let out = check_zh(&site);
    let message = message_at(&out, &format!("zfb-xxgk-2023.md:{marker}:"));
    assert!(
        message.contains("```disclosure-table 五 没有指明是哪一张表")
            && message.contains("提示: 请写 ```disclosure-table 二、三 或 四"),
        "{message}"
    );
    let message = message_at(&out, &format!("zfb-xxgk-2023.md:{cell}:"));
    assert!(
        message
            .contains("disclosure_stats.申请.本年新收.自然人：应为整数，这里填的是文字 \"很多\""),
        "{message}"
    );
    assert!(message.contains("提示: 每一格都填数字"), "{message}");
}

#[test]
fn the_rules_of_a_report_are_told_in_chinese() {
    let site = SiteDir::new();
    site.report(
        "2023/fz.md",
        "2023年法治政府建设年度报告",
        "2024-05-01",
        "测试区司法局",
        "category: 法治政府建设年度报告\n",
        "## 一、主要举措和成效\n\n正文。\n\n#### 二、存在的不足和原因\n\n![](chart.png)\n",
    );
    let out = check_zh(&site);
    let file = "content/2023/fz.md";
    // The front matter is lines 1–6; the body starts on line 8.
    let late = message_at(&out, &format!("{file}:3:"));
    assert!(
        late.contains(
            "发布时间 2024-05-01 已逾期 30 天：2023 年度法治政府建设年度报告应于 2024-04-01 前发布"
        ) && late.contains(
            "提示: 请核对发布时间（`date:`）和报告年度（`year:`）；逾期的报告仍会照常发布"
        ),
        "{late}"
    );
    // Each missing part is told at the line the text begins.
    assert!(
        out.contains(&format!("{file}:8: 法治政府建设年度报告必须包含「下一年度推进法治政府建设的主要安排」部分，但没有与之对应的章节标题")),
        "{out}"
    );
    assert!(
        out.contains("提示: 请为这一部分加上章节标题（例如 `## 下一年度推进法治政府建设的主要安排`）；如果报告用的是别的章节标题，请把它加到 config.toml 中 [rules.\"法治政府建设年度报告\"] 下的 `synonyms`"),
        "{out}"
    );
    let skip = message_at(&out, &format!("{file}:12:1:"));
    assert!(
        skip.contains("标题 `二、存在的不足和原因` 从第 2 级直接跳到了第 4 级")
            && skip.contains("提示: 请把它改为 ### 开头"),
        "{skip}"
    );
    let image = message_at(&out, &format!("{file}:14:1:"));
    assert!(
        image.contains("图片 chart.png 没有替代文字")
            && image.contains("提示: 请在方括号中写明图片的内容"),
        "{image}"
    );
}

#[test]
fn a_zh_cn_site_speaks_chinese_without_a_flag_or_a_locale() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("language = \"zh-CN\"\n{BASIC_CONFIG}"),
    );
    site.report(
        "2023/a.md",
        "报告",
        "2024-01-01",
        "测试区司法局",
        "",
        "## 一、总体情况\n\n#### 细节\n",
    );
    let out = annals_without_locale()
        .args(["check", "--root", site.path().to_str().unwrap()])
        .output()
        .unwrap();
    let out = stderr(&out);
    let skip = message_at(&out, "content/2023/a.md:9:1:");
    assert!(
        skip.contains("标题 `细节` 从第 2 级直接跳到了第 4 级")
            && skip.contains("请把它改为 ### 开头"),
        "{out}"
    );
}

#[test]
fn pdf_printing_says_in_chinese_what_is_missing() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "报告",
        "2024-01-01",
        "测试区司法局",
        "",
        "正文。",
    );
    let out = site.build(&["--lang", "zh-CN", "--pdf", "--chrome", "/no/such/chromium"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("--chrome 指定的 `/no/such/chromium` 不是文件")
            && err.contains("提示: 请给出 Chromium 或 Chrome 程序文件的路径"),
        "{err}"
    );
}

/// Polls `path` of a running serve until `pred` holds on status and body, for up to 20 s.
fn wait_for(serve: &Serve, path: &str, pred: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (status, _, body) = serve.get(path, "");
        let body = String::from_utf8_lossy(&body).into_owned();
        if pred(status, &body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "gave up waiting; last answer:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_shows_its_overlay_and_warnings_panel_in_chinese() {
    let text = demo_2023().replacen("总计: 158}", "总计: 159}", 1);
    let line = line_of(&text, "总计: 159}");
    let site = demo_disclosure_site(|_| text.clone());
    // Not a .gov.cn site, so the panel holds build's warnings only (no `check --gov` findings).
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace("test.example.gov.cn", "test.example.org"),
    );
    let serve = Serve::start(&site, &["--lang", "zh-CN"]);
    assert!(
        serve.first_line.starts_with("正在预览 ") && serve.first_line.contains("按 Ctrl+C 停止"),
        "{}",
        serve.first_line
    );
    let page = wait_for(&serve, "/xxgk/zfb-xxgk-2023/", |s, b| {
        s == 200 && b.contains("annals-warnings")
    });
    let doc = scraper::Html::parse_document(&page);
    let panel = doc.select(&sel("details.annals-warnings")).next().unwrap();
    assert_eq!(panel.value().attr("lang"), Some("zh-CN"));
    assert_eq!(
        texts(&doc, ".annals-warnings summary"),
        ["构建和检查发现的问题 1 条"]
    );
    let shown = texts(&doc, ".annals-warnings pre").concat();
    assert!(
        shown.contains(&format!("content/xxgk/zfb-xxgk-2023.md:{line}: 表三「收到和处理政府信息公开申请情况」中「一、本年新收政府信息公开申请数量 · 总计」一格填的是 159，应为 158")),
        "{shown}"
    );

    site.write(
        "content/xxgk/zfb-xxgk-2023.md",
        &text.replace("```disclosure-table 四", "```disclosure-table 五"),
    );
    let overlay = wait_for(&serve, "/xxgk/zfb-xxgk-2023/", |s, _| s == 500);
    let doc = scraper::Html::parse_document(&overlay);
    assert_eq!(attrs(&doc, "html", "lang"), ["zh-CN"]);
    assert_eq!(
        texts(&doc, "h1"),
        ["构建出错：请修改后保存，页面会自动刷新"]
    );
    assert!(
        texts(&doc, "pre")
            .concat()
            .contains("```disclosure-table 五 没有指明是哪一张表"),
        "{overlay}"
    );
    let (status, _, body) = serve.get("/%2e%2e/config.toml", "");
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 403, "{body}");
    assert!(body.ends_with("不允许访问这个地址\n"), "{body}");
}
