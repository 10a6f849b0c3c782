//! The gov theme's structure, checked on the produced HTML: landmarks, navigation,
//! footer facts, locale strings and the parts of a government article page.

use crate::common::*;

fn site_with_report() -> SiteDir {
    let site = SiteDir::new();
    site.write(
        "content/fazhi/_index.md",
        "---\ntitle: 法治政府建设\nweight: 1\n---\n",
    );
    site.report(
        "fazhi/r.md",
        "2023年法治政府建设年度报告",
        "2024-03-10",
        "示例区司法局",
        "category: 法治政府建设年度报告\ndoc_no: 示司〔2024〕3号\n",
        "## 一、主要举措\n\n正文。\n\n## 二、不足\n\n正文。\n\n## 三、负责人履职\n\n正文。\n\n## 四、安排\n\n正文。",
    );
    site
}

#[test]
fn report_page_has_government_article_anatomy() {
    let site = site_with_report();
    site.build_ok();
    let doc = site.html("fazhi/r/index.html");
    assert_eq!(attrs(&doc, "html", "lang"), vec!["zh-CN"]);
    // Skip link first, landmarks, one h1.
    assert_eq!(
        attrs(&doc, "body > a", "href").first().map(String::as_str),
        Some("#main")
    );
    for landmark in ["header", "nav[aria-label]", "main#main", "footer"] {
        assert!(
            doc.select(&sel(landmark)).next().is_some(),
            "missing {landmark}"
        );
    }
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    // Breadcrumb: 首页 > section > title, the last one marked current.
    assert_eq!(
        texts(&doc, ".breadcrumb li"),
        vec!["首页", "法治政府建设", "2023年法治政府建设年度报告"]
    );
    assert_eq!(
        texts(&doc, ".breadcrumb [aria-current=page]"),
        vec!["2023年法治政府建设年度报告"]
    );
    // Main navigation: home, sections, archive, units, search.
    let nav = texts(&doc, ".main-nav a");
    assert_eq!(
        nav,
        vec!["首页", "法治政府建设", "年度归档", "来源单位", "搜索"]
    );
    // Meta line and metadata table with row headers.
    assert_eq!(
        attrs(&doc, ".meta-line time", "datetime"),
        vec!["2024-03-10"]
    );
    assert_eq!(
        texts(&doc, ".disclosure-meta th[scope=row]"),
        vec!["发布机构", "文号", "发布日期", "主题分类"]
    );
    assert!(texts(&doc, ".disclosure-meta td").contains(&"2024年3月10日".to_string()));
    // Reading controls: three sizes with aria-pressed, hidden until the script runs.
    assert_eq!(attrs(&doc, "[data-reading-controls]", "hidden").len(), 1);
    assert_eq!(
        attrs(&doc, "button[data-font]", "aria-pressed"),
        vec!["false", "true", "false"]
    );
    // Contents list for 3+ headings, pointing at the heading ids.
    let toc = attrs(&doc, ".toc a", "href");
    let ids: Vec<String> = attrs(&doc, ".report-body h2", "id")
        .iter()
        .map(|i| format!("#{i}"))
        .collect();
    assert_eq!(toc, ids);
    // Toolbar: 打印, 分享, 关闭 as links that work without JavaScript.
    assert_eq!(texts(&doc, ".toolbar a"), vec!["打印", "分享", "关闭"]);
    assert_eq!(
        attrs(&doc, ".toolbar a", "href"),
        vec!["/fazhi/r/print/", "/fazhi/r/share/", "/fazhi/"]
    );
    // Only external scripts from the site itself.
    for src in attrs(&doc, "script[src]", "src") {
        assert!(src.starts_with("/static/"), "{src}");
    }
    assert!(
        doc.select(&sel("script:not([src]):not([type='application/ld+json'])"))
            .next()
            .is_none()
    );
    assert!(
        doc.select(&sel("[style]")).next().is_none(),
        "inline styles break a strict CSP"
    );
}

#[test]
fn footer_carries_owner_facts_and_record_links() {
    let site = site_with_report();
    site.build_ok();
    let doc = site.html("index.html");
    let dt = texts(&doc, ".footer-facts dt");
    assert!(
        dt.contains(&"主办单位".to_string()) && dt.contains(&"网站标识码".to_string()),
        "{dt:?}"
    );
    let links = attrs(&doc, ".footer-facts a", "href");
    assert!(
        links.contains(&"https://beian.miit.gov.cn/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(
            &"https://beian.mps.gov.cn/#/query/webSearch?code=43010502000001".to_string()
        ),
        "{links:?}"
    );
}

#[test]
fn toc_is_left_out_for_short_reports() {
    let site = SiteDir::new();
    site.report(
        "r.md",
        "短报告",
        "2024-03-10",
        "甲局",
        "",
        "## 一、只有一节\n\n正文。",
    );
    site.build_ok();
    let doc = site.html("r/index.html");
    assert!(doc.select(&sel(".toc")).next().is_none());
    assert!(
        doc.select(&sel(".disclosure-meta")).next().is_none(),
        "no metadata table without index_no/doc_no/category"
    );
}

#[test]
fn english_locale_by_config() {
    let site = site_with_report();
    site.write("config.toml", &format!("language = \"en\"\n{BASIC_CONFIG}"));
    site.build_ok();
    let doc = site.html("fazhi/r/index.html");
    assert_eq!(attrs(&doc, "html", "lang"), vec!["en"]);
    assert_eq!(texts(&doc, ".toolbar a"), vec!["Print", "Share", "Close"]);
    assert_eq!(texts(&doc, ".skip-link"), vec!["Skip to main content"]);
}

#[test]
fn site_templates_override_the_theme() {
    let site = site_with_report();
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>找不到了</h1>{% endblock %}",
    );
    site.build_ok();
    assert_eq!(texts(&site.html("404.html"), "h1"), vec!["找不到了"]);
}

#[test]
fn template_error_in_override_names_file_and_line() {
    let site = site_with_report();
    site.build_ok();
    let before = snapshot(&site.public());
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ oops( }}\n{% endblock %}",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("templates/404.html:3"), "{err}");
    assert_eq!(snapshot(&site.public()), before);
}

/// Ten year folders, one report each, none with an `_index.md`.
fn site_with_ten_year_folders() -> SiteDir {
    let site = SiteDir::new();
    for year in 2015..=2024 {
        site.report(
            &format!("{year}/fazhi.md"),
            &format!("{year}年法治政府建设年度报告"),
            &format!("{}-03-10", year + 1),
            "示例区司法局",
            &format!("year: {year}\n"),
            "正文。",
        );
    }
    site
}

#[test]
fn year_folders_do_not_grow_the_main_navigation() {
    let site = site_with_ten_year_folders();
    site.build_ok();
    let doc = site.html("index.html");
    assert_eq!(
        texts(&doc, ".main-nav a"),
        vec!["首页", "年度归档", "来源单位", "搜索"]
    );
    // The years are reached through the archive instead.
    let archive = site.html("archive/index.html");
    let years = attrs(&archive, "main a[href^='/archive/20']", "href");
    assert_eq!(years.len(), 10, "{years:?}");
    for url in years {
        assert!(
            site.public()
                .join(format!("{}index.html", &url[1..]))
                .is_file()
        );
    }
}

#[test]
fn sections_whose_index_asks_are_in_the_main_navigation_by_weight() {
    let site = site_with_ten_year_folders();
    site.write(
        "content/fazhi/_index.md",
        "---\ntitle: 法治政府建设\nweight: 2\n---\n",
    );
    site.write(
        "content/xxgk/_index.md",
        "---\ntitle: 政府信息公开\nweight: 1\n---\n",
    );
    // A year folder with a title of its own stays out when it says so.
    site.write(
        "content/2020/_index.md",
        "---\ntitle: 2020年\nhidden: true\n---\n",
    );
    site.report(
        "fazhi/a.md",
        "报告甲",
        "2024-03-10",
        "示例区司法局",
        "",
        "正文。",
    );
    site.report(
        "xxgk/b.md",
        "报告乙",
        "2024-03-11",
        "示例区司法局",
        "",
        "正文。",
    );
    site.build_ok();
    let doc = site.html("fazhi/a/index.html");
    assert_eq!(
        texts(&doc, ".main-nav a"),
        vec![
            "首页",
            "政府信息公开",
            "法治政府建设",
            "年度归档",
            "来源单位",
            "搜索"
        ]
    );
    assert_eq!(
        attrs(&doc, ".main-nav a", "href"),
        vec![
            "/",
            "/xxgk/",
            "/fazhi/",
            "/archive/",
            "/sources/",
            "/search/"
        ]
    );
    // The section's own page marks its item as the current one.
    let section = site.html("xxgk/index.html");
    assert_eq!(
        texts(&section, ".main-nav a[aria-current=page]"),
        vec!["政府信息公开"]
    );
}
