//! What the build publishes and refuses at the level of the site: aliases that
//! would be odd file names, control characters in bodies and titles, every
//! problem of `static/` in one run, dates and key names as editors write
//! them, file names with spaces, `annals new --root`.

use crate::common::*;

const DATE: &str = "2023-03-01";

fn report_with_alias(alias_yaml: &str) -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2022年法治政府建设年度报告",
        DATE,
        "甲局",
        &format!("aliases: [{alias_yaml}]\n"),
        "正文。",
    );
    site
}

#[test]
fn aliases_with_control_or_direction_characters_are_refused() {
    for alias in [
        r#""/old/\r\nSet-Cookie: x=1""#,
        r#""/old\tpage.html""#,
        r#""/old/\e[2J.html""#,
        r#""/old/\a.html""#,
        r#""/old/\u202Elmth.exe""#,
        r#""/old/%0d%0aSet-Cookie:x.html""#,
        r#""/old/%E2%80%AEfdp.html""#,
    ] {
        let site = report_with_alias(alias);
        let out = site.build(&[]);
        assert!(!out.status.success(), "{alias} was accepted");
        let err = stderr(&out);
        assert!(
            err.contains("a.md:5") && err.contains("control or direction character"),
            "{alias}: {err}"
        );
        assert!(err.contains("type the old address again"), "{err}");
        assert!(!site.public().exists());
    }
    let site = report_with_alias(r#""/old/\r\nSet-Cookie: x=1""#);
    let zh = stderr(&site.build(&["--lang", "zh-CN"]));
    assert!(zh.contains("控制字符"), "{zh}");
}

#[test]
fn aliases_may_not_take_the_output_marker_or_other_annals_files() {
    for alias in [
        "/.annals-output",
        "/x/.page.html.annals-tmp",
        "/.annals-cache/a/",
    ] {
        let site = report_with_alias(alias);
        let out = site.build(&[]);
        assert!(!out.status.success(), "{alias} was accepted");
        let err = stderr(&out);
        assert!(err.contains("annals uses for its own"), "{alias}: {err}");
    }
    // An ordinary old address still works.
    let site = report_with_alias("/zwgk/2023/0310/12345.html");
    site.build_ok();
    assert!(site.public().join("zwgk/2023/0310/12345.html").is_file());
}

#[cfg(unix)]
#[test]
fn three_links_out_of_the_site_in_static_are_three_errors() {
    let site = SiteDir::new();
    site.report("2023/a.md", "报告", DATE, "甲局", "", "正文。");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    for n in 1..=3 {
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.path().join(format!("static/out{n}.txt")),
        )
        .unwrap();
    }
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for n in 1..=3 {
        assert!(err.contains(&format!("static/out{n}.txt")), "{err}");
    }
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn three_files_taking_page_addresses_are_three_errors() {
    let site = SiteDir::new();
    site.report("2023/a.md", "报告", DATE, "甲局", "", "正文。");
    for name in ["atom.xml", "sitemap.xml", "reports.json"] {
        site.write(&format!("static/{name}"), "x");
    }
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for name in ["atom.xml", "sitemap.xml", "reports.json"] {
        assert!(err.contains(&format!("static/{name}")), "{err}");
    }
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn three_reports_at_one_address_are_one_error_each_not_three() {
    let site = SiteDir::new();
    for n in ["a", "b", "c"] {
        site.report(
            &format!("2023/{n}.md"),
            &format!("报告{n}"),
            DATE,
            "甲局",
            "slug: same\n",
            "正文。",
        );
    }
    let err = stderr(&site.build(&[]));
    // b and c each clash with a, once: their print and share pages follow.
    assert!(err.contains("2 error(s)"), "{err}");
    assert!(err.contains("b.md") && err.contains("c.md"), "{err}");
}

#[test]
fn control_characters_never_reach_pages_titles_or_the_catalogue() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "\"2022年\\e]0;pwned\\a法治\\u0007政府\\t建设年度报告\"",
        DATE,
        "\"甲\\u001b局\"",
        "",
        "第一段\u{1b}[2J清屏，\u{7}响铃\u{0}。\n\n第二段\u{8}\u{7f}\u{85}。",
    );
    site.build_ok();
    for page in ["2023/a/index.html", "2023/a/print/index.html", "index.html"] {
        let html = site.read(page);
        let bad: Vec<char> = html
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        assert!(bad.is_empty(), "{page} holds {bad:?}");
    }
    let doc = site.html("2023/a/index.html");
    let title = texts(&doc, "title").join("");
    assert!(
        title.contains("2022年]0;pwned法治政府 建设年度报告"),
        "{title}"
    );
    let body = site.read("2023/a/index.html");
    assert!(body.contains("第一段[2J清屏，响铃。"), "{body}");
    let csv = site.read("reports.csv");
    assert!(!csv.contains(['\u{1b}', '\u{7}']), "{csv}");
    assert!(csv.contains("甲局"), "{csv}");
}

#[test]
fn dates_with_a_time_as_cmss_print_them_are_accepted() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "报告",
        "2025-03-05 10:30",
        "甲局",
        "",
        "正文。",
    );
    site.report(
        "2023/b.md",
        "报告二",
        "\"2025-03-06 08:05:09\"",
        "甲局",
        "",
        "正文。",
    );
    site.build_ok();
    let doc = site.html("2023/a/index.html");
    let times = attrs(&doc, "time[datetime]", "datetime");
    assert!(
        times.iter().any(|t| t == "2025-03-05T10:30:00+08:00"),
        "{times:?}"
    );
    assert!(site.read("2023/b/index.html").contains("2025-03-06"));
}

#[test]
fn chinese_key_names_are_the_keys() {
    let site = SiteDir::new();
    site.write(
        "content/2023/a.md",
        "---\n标题: 2022年政府信息公开工作年度报告\n日期: 2023-01-20\n来源: 甲局\n分类: 政府信息公开工作年度报告\n摘要: 一句话\n---\n\n正文。\n",
    );
    site.build_ok();
    let doc = site.html("2023/a/index.html");
    assert!(
        texts(&doc, "h1")
            .join("")
            .contains("2022年政府信息公开工作年度报告")
    );
    assert!(site.read("2023/a/index.html").contains("甲局"));
    // A Chinese name that is not a key is answered with the names that are.
    site.write(
        "content/2023/a.md",
        "---\n标题: 报告\n日期: 2023-02-03\n来源: 甲局\n作者: 张三\n---\n\n正文。\n",
    );
    let err = stderr(&site.build(&["--lang", "zh-CN"]));
    assert!(
        err.contains("a.md:5") && err.contains("`作者`") && err.contains("标题 (title)"),
        "{err}"
    );
    assert!(!err.contains("请删除该键"), "{err}");
    // A wrong value under a Chinese key is shown at its line.
    site.write(
        "content/2023/a.md",
        "---\n标题: 报告\n日期: 2023-02-30\n来源: 甲局\n---\n\n正文。\n",
    );
    let err = stderr(&site.build(&[]));
    assert!(err.contains("a.md:3"), "{err}");
}

#[test]
fn a_file_name_with_spaces_gives_an_address_without_one() {
    let site = SiteDir::new();
    site.report("2023/年度 报告 2022.md", "报告", DATE, "甲局", "", "正文。");
    site.build_ok();
    assert!(
        site.public()
            .join("2023/年度-报告-2022/index.html")
            .is_file()
    );
    let feed = site.read("sitemap.xml");
    assert!(
        !feed.contains("%20") && !feed.contains("年度 报告"),
        "{feed}"
    );
}

#[test]
fn new_takes_the_site_folder_with_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(annals(&["init", root.to_str().unwrap()]).status.success());
    for path in ["2024/a.md", "content/2024/b.md"] {
        let out = annals(&[
            "new",
            "--root",
            root.to_str().unwrap(),
            path,
            "--title",
            "2024年法治政府建设年度报告",
            "--source",
            "某局",
            "--date",
            "2025-03-01",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(root.join("content/2024/a.md").is_file());
    assert!(root.join("content/2024/b.md").is_file());
    let out = annals(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}
