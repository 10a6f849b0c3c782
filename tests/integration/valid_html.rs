//! What the W3C Nu checker and Lighthouse flagged (issue 18), checked on the
//! generated HTML: no invalid `type` on links, no obsolete `align`, no XHTML
//! slashes on void elements, no heading-less footnote section, a description
//! and an icon on every page.

use crate::common::*;

fn feature_site() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2024/gongneng.md",
        "测试区2024年法治政府建设年度报告",
        "2025-02-10",
        "测试区司法局",
        "tags: [测试]\ncategory: 法治政府建设年度报告\nattachments:\n  - {title: 统计表, file: biao.csv}\n  - {title: 扫描件, file: saomiao.pdf}\n",
        "正文第一段[^1]。\n\n| 项目 | 数量 | 同比 |\n|:--|:-:|--:|\n| 复议 | 12 | +2 |\n\n第一行\\\n第二行\n\n---\n\n- [x] 已完成\n- [ ] 推进中\n\n![大楼](lou.png \"政府大楼\")\n\n[^1]: 数据截至年底。\n",
    );
    site.write("content/2024/gongneng/biao.csv", "a,b\r\n1,2\r\n");
    site.write("content/2024/gongneng/saomiao.pdf", "%PDF-1.4\n%%EOF\n");
    site.write_bytes("content/2024/gongneng/lou.png", b"\x89PNG\r\n\x1a\n");
    site.build_ok();
    site
}

/// Every HTML file of the output, as paths relative to it.
fn pages(site: &SiteDir) -> Vec<String> {
    let root = site.public();
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn attachment_links_carry_no_file_extension_as_type() {
    let site = feature_site();
    let doc = site.html("2024/gongneng/index.html");
    let links = attrs(&doc, ".attachments a", "href");
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        attrs(&doc, ".attachments a[type]", "type").is_empty(),
        "attachment links have a type attribute"
    );
    // The type is still shown in words.
    assert!(
        texts(&doc, ".attachments .file-info")
            .join(" ")
            .contains("CSV")
    );
}

#[test]
fn markdown_renders_valid_html5_without_obsolete_markup() {
    let site = feature_site();
    let html = site.read("2024/gongneng/index.html");
    for bad in [
        " align=\"",
        "<br />",
        "<hr />",
        "\" />",
        "<section class=\"footnotes\"",
    ] {
        assert!(!html.contains(bad), "report page contains {bad:?}");
    }
    let doc = site.html("2024/gongneng/index.html");
    assert_eq!(
        attrs(&doc, ".report-body td", "class"),
        vec!["align-left", "align-center", "align-right"]
    );
    assert_eq!(texts(&doc, ".report-body div.footnotes li").len(), 1);
    assert_eq!(attrs(&doc, ".report-body img", "alt"), vec!["大楼"]);
    assert_eq!(attrs(&doc, ".report-body img", "title"), vec!["政府大楼"]);
    assert_eq!(attrs(&doc, ".report-body input[checked]", "type").len(), 1);
    assert_eq!(attrs(&doc, ".report-body input[disabled]", "type").len(), 2);
    assert_eq!(texts(&doc, ".report-body br").len(), 1);
    assert_eq!(texts(&doc, ".report-body hr").len(), 1);
    // The print page shares the body.
    let print = site.read("2024/gongneng/print/index.html");
    assert!(!print.contains(" align=\"") && print.contains("class=\"align-center\""));
}

#[test]
fn every_page_has_a_description_and_an_icon() {
    let site = feature_site();
    let all = pages(&site);
    assert!(all.len() > 10, "{all:?}");
    for page in &all {
        let doc = site.html(page);
        let descriptions = attrs(&doc, "meta[name=description]", "content");
        if !attrs(&doc, "meta[http-equiv=refresh]", "content").is_empty() {
            continue;
        }
        assert_eq!(descriptions.len(), 1, "{page}: {descriptions:?}");
        assert!(
            descriptions[0].chars().count() >= 10,
            "{page}: description too short: {descriptions:?}"
        );
        assert_eq!(
            attrs(&doc, "link[rel=icon]", "href"),
            vec!["/static/favicon.svg"],
            "{page}"
        );
    }
    assert!(site.public().join("static/favicon.svg").is_file());
    // Without a site description the home page gets a generated sentence naming
    // the site, and a tag page one naming the tag.
    let home = attrs(
        &site.html("index.html"),
        "meta[name=description]",
        "content",
    );
    assert!(home[0].contains("测试站点"), "{home:?}");
    let search = attrs(
        &site.html("search/index.html"),
        "meta[name=description]",
        "content",
    );
    assert!(search[0].contains("测试站点"), "{search:?}");
}

#[test]
fn the_site_description_is_used_when_given() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace(
            "[owner]",
            "description = \"本站公开各部门年度报告。\"\n[owner]",
        ),
    );
    site.report("2024/a.md", "报告甲", "2025-01-01", "单位甲", "", "正文。");
    site.build_ok();
    let home = attrs(
        &site.html("index.html"),
        "meta[name=description]",
        "content",
    );
    assert_eq!(home, vec!["本站公开各部门年度报告。"]);
    let tags = attrs(
        &site.html("search/index.html"),
        "meta[name=description]",
        "content",
    );
    assert!(tags[0].ends_with("本站公开各部门年度报告。"), "{tags:?}");
}

#[test]
fn a_site_icon_in_static_replaces_the_theme_icon() {
    let site = SiteDir::new();
    site.report("2024/a.md", "报告甲", "2025-01-01", "单位甲", "", "正文。");
    site.write(
        "static/static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.build_ok();
    assert_eq!(
        site.read("static/favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}
