//! `annals check --gov`, the page tags of the 网页设计规范 and the footer the
//! 政府网站发展指引 asks for: every rule has a failing fixture and the good site
//! passes them all; the demo site passes with no finding.

use crate::common::*;

/// A site that passes every `--gov` rule: identifiers, badge, a fresh report.
fn good_site() -> SiteDir {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace(
            "[owner]\n",
            "[owner]\ngov_badge = \"/images/dzjg.svg\"\ngov_badge_url = \"https://bszs.conac.cn/sitename?method=show&id=1\"\n",
        ),
    );
    site.write(
        "static/images/dzjg.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"56\" height=\"68\"></svg>",
    );
    let fresh = (chrono::Local::now().date_naive() - chrono::Days::new(10)).to_string();
    site.report(
        "2024/fazhi.md",
        "2024年法治政府建设年度报告",
        &fresh,
        "测试区司法局",
        "tags: [法治政府建设]\ncategory: 工作报告\n",
        "## 一、主要举措\n\n正文。\n",
    );
    site.write(
        "config.toml",
        &format!(
            "{}\n[units]\n\"测试区司法局\" = {{ slug = \"sfj\" }}\n",
            site_config(&site)
        ),
    );
    site
}

fn site_config(site: &SiteDir) -> String {
    std::fs::read_to_string(site.path().join("config.toml")).unwrap()
}

fn edit_config(site: &SiteDir, from: &str, to: &str) {
    let text = site_config(site);
    assert!(text.contains(from), "{from} not in config");
    site.write("config.toml", &text.replace(from, to));
}

/// The messages of `check --gov`: each `error:`/`warning:` line.
fn findings(site: &SiteDir) -> Vec<String> {
    let out = site.check(&["--gov"]);
    stderr(&out)
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
        .map(str::to_string)
        .collect()
}

/// One finding containing `needle`, and no other.
fn only_finding(site: &SiteDir, needle: &str) -> String {
    let found = findings(site);
    assert_eq!(
        found.len(),
        1,
        "expected one finding ({needle}):\n{found:#?}"
    );
    assert!(found[0].contains(needle), "{needle}:\n{found:#?}");
    found[0].clone()
}

/// A copy of a theme template with `from` replaced, as a site override.
fn override_template(site: &SiteDir, name: &str, from: &str, to: &str) {
    let text =
        std::fs::read_to_string(demo_root().join("themes/gov/templates").join(name)).unwrap();
    assert!(text.contains(from), "{from} not in {name}");
    site.write(&format!("templates/{name}"), &text.replace(from, to));
}

#[test]
fn good_site_and_demo_pass_every_rule() {
    let site = good_site();
    assert_eq!(findings(&site), Vec::<String>::new());
    let demo = annals(&["check", "--gov", "--root", demo_root().to_str().unwrap()]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let text = stderr(&demo);
    assert!(
        !text.contains("error:") && !text.contains("warning:"),
        "{text}"
    );
    assert!(
        stdout(&demo).contains("no errors, 0 warning(s)"),
        "{}",
        stdout(&demo)
    );
    // External links are listed, not requested.
    assert!(text.contains("https://www.gov.cn/zhengce/"), "{text}");
}

#[test]
fn bad_code_missing_icp_empty_unit_and_stale_report_are_exactly_four_findings() {
    let site = good_site();
    edit_config(&site, "site_code = \"1234567890\"", "site_code = \"12345\"");
    edit_config(&site, "icp = \"湘ICP备12345678号\"\n", "");
    site.write("content/sfj/_index.md", "---\ntitle: 市司法局\n---\n");
    site.report(
        "2020/old.md",
        "2019年工作报告",
        "2020-01-10",
        "测试区司法局",
        "",
        "正文。",
    );
    std::fs::remove_dir_all(site.path().join("content/2024")).unwrap();
    let found = findings(&site);
    assert_eq!(found.len(), 4, "{found:#?}");
    let has = |s: &str| found.iter().any(|f| f.contains(s));
    assert!(has("identifier `12345` is malformed"), "{found:#?}");
    assert!(has("no ICP record number"), "{found:#?}");
    assert!(
        has("the column `市司法局` (/sfj/) lists no report"),
        "{found:#?}"
    );
    assert!(
        has("the newest report was published on 2020-01-10"),
        "{found:#?}"
    );
    let out = site.check(&["--gov"]);
    assert!(!out.status.success(), "errors must fail check");
}

#[test]
fn identifier_rules_fail_and_cite_their_clause() {
    let cases = [
        (
            "site_code = \"1234567890\"\n",
            "",
            "no government website identifier",
        ),
        (
            "site_code = \"1234567890\"",
            "site_code = \"bm1234567\"",
            "identifier `bm1234567` is malformed",
        ),
        (
            "icp = \"湘ICP备12345678号\"",
            "icp = \"ICP12345678\"",
            "ICP record number `ICP12345678` is malformed",
        ),
        (
            "police_record = \"湘公网安备43010502000001号\"\n",
            "",
            "no public security record number",
        ),
        (
            "police_record = \"湘公网安备43010502000001号\"",
            "police_record = \"湘公网安备123号\"",
            "`湘公网安备123号` is malformed",
        ),
        (
            "gov_badge = \"/images/dzjg.svg\"\n",
            "",
            "no government website badge",
        ),
        (
            "gov_badge = \"/images/dzjg.svg\"",
            "gov_badge = \"/images/none.png\"",
            "badge image /images/none.png does not exist",
        ),
        (
            "base_url = \"https://test.example.gov.cn\"",
            "base_url = \"https://reports.example.com\"",
            "reports.example.com, is not a .gov.cn domain",
        ),
    ];
    for (from, to, needle) in cases {
        let site = good_site();
        edit_config(&site, from, to);
        let finding = only_finding(&site, needle);
        assert!(finding.contains("config.toml"), "{finding}");
        let out = stderr(&site.check(&["--gov"]));
        assert!(out.contains("国办发〔2017〕47号"), "{out}");
    }
    // A department's code is bm and 8 digits.
    let site = good_site();
    edit_config(
        &site,
        "site_code = \"1234567890\"",
        "site_code = \"bm43000001\"",
    );
    assert_eq!(findings(&site), Vec::<String>::new());
}

#[test]
fn rules_read_from_the_pages_fail_on_a_template_that_drops_them() {
    let cases: [(&str, &str, &str, &str); 7] = [
        (
            "base.html",
            "<html lang=\"{{ site.language }}\">",
            "<html>",
            "has no lang attribute",
        ),
        (
            "base.html",
            "<a class=\"skip-link\" href=\"#main\">{{ t.skip }}</a>",
            "",
            "no link to skip to the main content",
        ),
        (
            "footer.html",
            "<p class=\"generator\">",
            "<img src=\"/x.png\"><p class=\"generator\">",
            "image without alt text",
        ),
        (
            "footer.html",
            "<dd data-site-code>{{ o.site_code }}</dd>",
            "<dd></dd>",
            "does not show the website identifier 1234567890",
        ),
        (
            "page-tags.html",
            "content=\"{{ site.owner.site_code }}\"",
            "content=\"0000000000\"",
            "`SiteIDCode` tag of page",
        ),
        (
            "page-tags.html",
            "<meta name=\"PubDate\" content=\"{{ article.pub_date }}\">",
            "",
            "no well-formed publication time tag `PubDate`",
        ),
        (
            "report.html",
            "data-font=",
            "data-size=",
            "has no font size control",
        ),
    ];
    for (template, from, to, needle) in cases {
        let site = good_site();
        override_template(&site, template, from, to);
        only_finding(&site, needle);
    }
}

#[test]
fn theme_colours_below_the_contrast_they_need_are_a_finding() {
    let site = good_site();
    let css = std::fs::read_to_string(demo_root().join("themes/gov/static/gov.css")).unwrap();
    site.write(
        "static/static/gov.css",
        &css.replacen("--link: #0b4a8c;", "--link: #7aa7d9;", 1),
    );
    let found = findings(&site);
    assert!(
        found
            .iter()
            .all(|f| f.contains("colour contrast too low: --link (#7aa7d9)")),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f
            .contains("on --paper (#ffffff) is 2.51:1; the normal colours need at least 4.5:1")),
        "{found:#?}"
    );
    // High-contrast mode needs 7:1.
    let site = good_site();
    site.write(
        "static/static/gov.css",
        &css.replacen("--link: #ffff00;", "--link: #777777;", 1),
    );
    let found = findings(&site);
    assert!(
        !found.is_empty()
            && found
                .iter()
                .all(|f| f.contains("high-contrast mode needs at least 7:1")),
        "{found:#?}"
    );
}

#[test]
fn empty_columns_count_reports_of_sub_folders() {
    let site = good_site();
    site.write("content/2024/_index.md", "---\ntitle: 2024年\n---\n");
    site.write("content/sub/_index.md", "---\ntitle: 上级栏目\n---\n");
    site.write("content/sub/inner/_index.md", "---\ntitle: 下级栏目\n---\n");
    site.report(
        "sub/inner/r.md",
        "报告",
        "2024-01-02",
        "测试区司法局",
        "",
        "正文。",
    );
    // Both folders hold a report (the outer through the inner one); the fresh report keeps the site current.
    assert_eq!(findings(&site), Vec::<String>::new());
}

#[test]
fn page_tags_of_the_design_norms_on_every_page_kind() {
    let site = good_site();
    site.report(
        "2023/xxgk.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-20T15:35:00+08:00",
        "测试区司法局",
        "summary: 一句话摘要\ncategory: 政府信息公开工作年度报告\ntags: [政务公开]\n",
        "![统计图](chart.png)\n\n正文。\n",
    );
    site.write_bytes("content/2023/chart.png", b"\x89PNG\r\n\x1a\n");
    site.build_ok();
    let meta = |rel: &str, name: &str| {
        let doc = site.html(rel);
        attrs(&doc, &format!("meta[name=\"{name}\"]"), "content")
    };
    for rel in [
        "index.html",
        "2023/xxgk/index.html",
        "2023/xxgk/print/index.html",
        "archive/index.html",
        "sources/sfj/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert_eq!(meta(rel, "SiteName"), ["测试站点"], "{rel}");
        assert_eq!(meta(rel, "SiteDomain"), ["test.example.gov.cn"], "{rel}");
        assert_eq!(meta(rel, "SiteIDCode"), ["1234567890"], "{rel}");
    }
    let report = "2023/xxgk/index.html";
    assert_eq!(
        meta(report, "ArticleTitle"),
        ["2023年政府信息公开工作年度报告"]
    );
    assert_eq!(meta(report, "PubDate"), ["2024-01-20 15:35"]);
    assert_eq!(meta(report, "ContentSource"), ["测试区司法局"]);
    assert_eq!(meta(report, "Author"), ["测试区司法局"]);
    assert_eq!(
        meta(report, "Keywords"),
        ["政务公开,政府信息公开工作年度报告"]
    );
    assert_eq!(meta(report, "description"), ["一句话摘要"]);
    assert_eq!(
        meta(report, "Image"),
        ["https://test.example.gov.cn/2023/chart.png"]
    );
    assert_eq!(
        meta(report, "Url"),
        ["https://test.example.gov.cn/2023/xxgk/"]
    );
    assert!(meta(report, "ColumnName").is_empty());
    // A date without a time is midnight; a report without image has no Image tag.
    assert_eq!(meta("2024/fazhi/index.html", "PubDate").len(), 1);
    assert!(meta("2024/fazhi/index.html", "PubDate")[0].ends_with(" 00:00"));
    assert!(meta("2024/fazhi/index.html", "Image").is_empty());
    let columns = [
        ("archive/2023/index.html", "2023年度报告", "年度归档"),
        ("sources/sfj/index.html", "测试区司法局", "来源单位"),
        ("tags/zhengwugongkai/index.html", "政务公开", "标签"),
        ("categories/index.html", "主题分类", "主题分类"),
        ("search/index.html", "站内搜索", "搜索"),
    ];
    for (rel, name, kind) in columns {
        assert_eq!(meta(rel, "ColumnName"), [name], "{rel}");
        assert_eq!(meta(rel, "ColumnType"), [kind], "{rel}");
        assert_eq!(meta(rel, "ColumnDescription").len(), 1, "{rel}");
        assert!(meta(rel, "ColumnKeywords")[0].contains(name), "{rel}");
        assert!(meta(rel, "ArticleTitle").is_empty(), "{rel}");
    }
    assert!(meta("index.html", "ColumnName").is_empty());
    // Templates override the tags through their own page-tags.html.
    site.write(
        "templates/page-tags.html",
        "<meta name=\"SiteName\" content=\"自定义\">",
    );
    site.build_ok();
    assert_eq!(meta(report, "SiteName"), ["自定义"]);
    assert!(meta(report, "ArticleTitle").is_empty());
}

#[test]
fn footer_links_the_records_and_shows_the_local_badge() {
    let site = good_site();
    site.build_ok();
    for rel in ["index.html", "2024/fazhi/index.html", "archive/index.html"] {
        let doc = site.html(rel);
        assert_eq!(
            attrs(&doc, "footer a[data-icp]", "href"),
            ["https://beian.miit.gov.cn/"]
        );
        assert_eq!(
            attrs(&doc, "footer a[data-police-record]", "href"),
            ["https://beian.mps.gov.cn/#/query/webSearch?code=43010502000001"]
        );
        assert_eq!(texts(&doc, "footer [data-site-code]"), ["1234567890"]);
        assert_eq!(
            attrs(&doc, "footer .gov-badge img", "src"),
            ["/images/dzjg.svg"]
        );
        assert_eq!(
            attrs(&doc, "footer a.gov-badge", "href"),
            ["https://bszs.conac.cn/sitename?method=show&id=1"]
        );
        assert!(
            texts(&doc, "footer")
                .join("")
                .contains("测试区人民政府办公室")
        );
    }
    assert!(site.public().join("images/dzjg.svg").is_file());
    // The badge is never an address on another host.
    edit_config(
        &site,
        "gov_badge = \"/images/dzjg.svg\"",
        "gov_badge = \"https://bszs.conac.cn/dzjg.png\"",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("must be an image of this site"),
        "{}",
        stderr(&out)
    );
    edit_config(
        &site,
        "gov_badge = \"https://bszs.conac.cn/dzjg.png\"",
        "gov_badge = \"/images/dzjg.svg\"",
    );
    edit_config(
        &site,
        "gov_badge_url = \"https://bszs.conac.cn/sitename?method=show&id=1\"",
        "gov_badge_url = \"javascript:alert(1)\"",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("must be an http(s) address"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_escaped_slash_in_any_generated_file() {
    let demo = tempfile::tempdir().unwrap();
    let out = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        demo.path().join("public").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = good_site();
    site.report(
        "2023/a.md",
        "带引号的\"标题\"与<尖括号>&符号",
        "2024-01-02",
        "测试区司法局",
        "related:\n  - {title: 政策原文, url: \"https://www.gov.cn/a/b/c.htm?x=1&y=2\"}\n",
        "[链接](/2024/fazhi/) 与 <https://www.gov.cn/zhengce/>\n",
    );
    site.build_ok();
    let real = tempfile::tempdir().unwrap();
    let out = annals(&[
        "build",
        "--root",
        shared_samples().join("real").to_str().unwrap(),
        "--output",
        real.path().join("public").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for dir in [
        demo.path().join("public"),
        site.public(),
        real.path().join("public"),
    ] {
        let found = files_containing(&dir, "&#x2f;");
        assert!(found.is_empty(), "&#x2f; in {found:?}");
        assert!(files_containing(&dir, "https:&#").is_empty());
    }
    let page = site.read("2023/a/index.html");
    assert!(
        page.contains("href=\"https://www.gov.cn/a/b/c.htm?x=1&amp;y=2\""),
        "links stay plain"
    );
    assert!(page.contains("带引号的&quot;标题&quot;与&lt;尖括号&gt;&amp;符号"));
}

#[test]
fn broken_links_and_anchors_are_findings_of_check_gov_too() {
    let site = good_site();
    site.report(
        "2024/links.md",
        "链接报告",
        &(chrono::Local::now().date_naive() - chrono::Days::new(5)).to_string(),
        "测试区司法局",
        "",
        "[不存在](/nowhere/) 与 [锚点](/2024/fazhi/#no-such-part)\n",
    );
    let found = findings(&site);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].contains("leads nowhere") || found[1].contains("leads nowhere"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("#no-such-part does not exist")),
        "{found:#?}"
    );
}

#[test]
fn the_age_of_the_newest_report_is_configurable() {
    let site = good_site();
    std::fs::remove_dir_all(site.path().join("content/2024")).unwrap();
    site.report(
        "2020/old.md",
        "2019年工作报告",
        "2020-01-10",
        "测试区司法局",
        "",
        "正文。",
    );
    let finding = only_finding(&site, "the newest report was published on 2020-01-10");
    assert!(finding.starts_with("warning:"), "{finding}");
    assert!(
        site.check(&["--gov"]).status.success(),
        "a warning does not fail check"
    );
    site.write(
        "config.toml",
        &format!("{}\n[gov]\nmax_age_days = 100000\n", site_config(&site)),
    );
    assert_eq!(findings(&site), Vec::<String>::new());
}

#[test]
fn the_footer_links_a_plain_phone_number_and_shows_any_other_as_text() {
    let site = good_site();
    edit_config(&site, "[owner]\n", "[owner]\nphone = \"0731-88888888\"\n");
    site.build_ok();
    let doc = site.html("index.html");
    assert_eq!(
        attrs(&doc, "footer a.footer-contact", "href"),
        ["tel:0731-88888888"]
    );
    edit_config(
        &site,
        "phone = \"0731-88888888\"",
        "phone = \"0731-88888888（工作日）\"",
    );
    site.build_ok();
    let doc = site.html("index.html");
    assert!(attrs(&doc, "footer a.footer-contact", "href").is_empty());
    assert!(
        texts(&doc, "footer")
            .join("")
            .contains("0731-88888888（工作日）")
    );
}
