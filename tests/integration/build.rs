//! The core generator: a site folder in, a static site out.

use crate::common::*;

#[test]
fn sample_report_builds_with_title_date_source_and_outline() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = annals(&[
        "build",
        "--root",
        shared_samples().to_str().unwrap(),
        "--output",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = out_dir.path().join("2022/kaifu-yjj-fazhi-2022/index.html");
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(page).unwrap());
    assert_eq!(texts(&doc, "h1"), vec!["2022年法治政府建设年度报告"]);
    assert_eq!(
        attrs(&doc, ".meta-line time", "datetime"),
        vec!["2023-03-10"]
    );
    assert!(texts(&doc, ".meta-line a").contains(&"开福区应急管理局".to_string()));
    let h2 = texts(&doc, ".report-body h2");
    assert_eq!(h2.len(), 4, "{h2:?}");
    for (h, n) in h2.iter().zip(["一、", "二、", "三、", "四、"]) {
        assert!(h.starts_with(n), "{h}");
    }
    let bold = texts(&doc, ".report-body p > strong");
    assert!(
        bold.contains(&"1.安全生产形势取得新成绩。".to_string()),
        "{bold:?}"
    );
    // The contents list links to the headings' ids.
    let ids = attrs(&doc, ".report-body h2", "id");
    let toc: Vec<String> = attrs(&doc, ".toc a", "href").into_iter().take(1).collect();
    assert_eq!(toc, vec![format!("#{}", ids[0])]);
}

#[test]
fn reports_land_on_pretty_urls_and_lists_are_newest_first() {
    let site = SiteDir::new();
    site.write("content/2022/_index.md", "---\ntitle: 2022年报告\n---\n")
        .report(
            "2022/old.md",
            "2021年旧报告",
            "2022-03-01",
            "甲局",
            "",
            "正文",
        )
        .report(
            "2022/new.md",
            "2022年新报告",
            "2023-03-10",
            "乙局",
            "slug: fresh\n",
            "## 一、总体情况\n\n正文",
        )
        .report(
            "2022/draft.md",
            "草稿",
            "2023-05-01",
            "乙局",
            "draft: true\n",
            "正文",
        );
    let out = site.build_ok();
    assert!(stdout(&out).contains("built 2 reports"), "{}", stdout(&out));
    assert!(site.public().join("2022/fresh/index.html").is_file());
    assert!(site.public().join("2022/old/index.html").is_file());
    assert!(!site.public().join("2022/draft/index.html").exists());
    assert!(site.public().join("404.html").is_file());
    assert!(site.public().join("static/gov.css").is_file());
    let section = site.html("2022/index.html");
    assert_eq!(
        texts(&section, ".report-list a.report-link"),
        vec!["2022年新报告", "2021年旧报告"]
    );
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, "#latest-title + .report-list a.report-link")[0],
        "2022年新报告"
    );
    // Drafts come back on request.
    site.build(&["--drafts"]);
    assert!(site.public().join("2022/draft/index.html").is_file());
}

#[test]
fn year_comes_from_title_then_date() {
    let site = SiteDir::new();
    site.report(
        "a.md",
        "开福区2021年法治政府建设年度报告",
        "2022-03-10",
        "甲局",
        "category: 法治\nindex_no: 000014349/2022-00110\n",
        "x",
    );
    site.build_ok();
    let doc = site.html("a/index.html");
    let meta = texts(&doc, ".disclosure-meta th");
    assert!(meta.contains(&"索引号".to_string()), "{meta:?}");
    assert!(texts(&doc, ".disclosure-meta td").contains(&"000014349/2022-00110".to_string()));
}

#[test]
fn bad_front_matter_names_file_and_line_and_keeps_public() {
    let site = SiteDir::new();
    site.report("good.md", "好报告", "2023-03-10", "甲局", "", "正文");
    site.build_ok();
    let before = snapshot(&site.public());
    site.write(
        "content/bad.md",
        "---\ntitle: 坏报告\ndate: 2023-03-10\nsource: 甲局\ntitel: 重复\n---\n正文\n",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("bad.md:5"), "{err}");
    assert!(err.contains("did you mean `title`"), "{err}");
    assert_eq!(
        snapshot(&site.public()),
        before,
        "public/ changed after a failed build"
    );
}

#[test]
fn all_content_errors_are_reported_in_one_run() {
    let site = SiteDir::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023/3/10\nsource: 甲\n---\n",
    );
    site.write("content/b.md", "---\ntitle: B\n---\n");
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("a.md:3") && err.contains("write it as 2023-03-10"),
        "{err}"
    );
    assert!(
        err.contains("b.md") && err.contains("missing date (发布时间), source (来源)"),
        "{err}"
    );
}

#[test]
fn attachments_are_copied_with_type_and_size() {
    let site = SiteDir::new();
    site.write_bytes("content/2023/rep/table.pdf", &vec![b'x'; 1_234_567]);
    site.report(
        "2023/rep.md",
        "报告",
        "2023-03-10",
        "甲局",
        "attachments:\n  - {title: 统计表, file: table.pdf}\n",
        "正文",
    );
    site.build_ok();
    assert!(site.public().join("2023/rep/table.pdf").is_file());
    let doc = site.html("2023/rep/index.html");
    assert_eq!(
        attrs(&doc, ".attachments a", "href"),
        vec!["/2023/rep/table.pdf"]
    );
    assert_eq!(
        texts(&doc, ".attachments .file-info"),
        vec!["（PDF，1.2 MB）"]
    );
}

#[test]
fn missing_attachment_is_an_error_with_line() {
    let site = SiteDir::new();
    site.report(
        "r.md",
        "报告",
        "2023-03-10",
        "甲局",
        "attachments:\n  - {title: 附件, file: nope.pdf}\n",
        "x",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("r.md:5") && err.contains("nope.pdf"), "{err}");
}

#[test]
fn two_reports_with_one_url_fail_naming_both() {
    let site = SiteDir::new();
    site.report("a/x.md", "一", "2023-03-10", "甲局", "", "x")
        .report("a/y.md", "二", "2023-03-11", "甲局", "slug: x\n", "x");
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("x.md") && err.contains("y.md"), "{err}");
}

#[test]
fn init_and_new_make_files_that_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(annals(&["init", root.to_str().unwrap()]).status.success());
    let report = root.join("content/reports/2024-fazhi.md");
    let out = annals(&[
        "new",
        report.to_str().unwrap(),
        "--title",
        "2024年法治政府建设年度报告",
        "--source",
        "某局",
        "--date",
        "2025-03-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = annals(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(root.join("public/reports/2024-fazhi/index.html").is_file());
}

#[test]
fn demo_site_builds() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "demo site has warnings: {}",
        stderr(&out)
    );
}

#[test]
fn verbose_prints_stage_times_and_quiet_prints_nothing() {
    let site = SiteDir::new();
    site.report("2023/a.md", "报告", "2024-01-20", "甲局", "", "正文");
    let out = site.build(&["--verbose"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("load and model: "),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("pages: "));
    let out = site.build(&["--quiet"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).is_empty() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
}
