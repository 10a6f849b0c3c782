//! Paths editors write (computer paths, file names with spaces) and report
//! rules that know the year of the report, in `build` and `check`.

use crate::common::*;

const DATE: &str = "2023-03-01";

#[test]
fn an_image_on_the_editors_computer_is_an_error_in_build_and_check() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "报告",
        DATE,
        "甲局",
        "",
        "第一段。\n\n![图](C:\\Users\\张三\\Desktop\\图.png)\n\n见[原文](file:///C:/Users/a/%E5%8E%9F%E6%96%87.docx)。\n\n![网盘](\\\\server\\share\\b.png)\n\n[点击](file:///etc/passwd)",
    );
    for out in [site.build(&[]), site.check(&[])] {
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains(
                "a.md:9:6: the image `C:\\Users\\张三\\Desktop\\图.png` is a file on this computer"
            ),
            "{err}"
        );
        assert!(
            err.contains("copy `图.png` into the report's folder"),
            "{err}"
        );
        assert!(
            err.contains("a.md:11:") && err.contains("原文.docx"),
            "{err}"
        );
        assert!(
            err.contains("a.md:13:") && err.contains("\\\\server"),
            "{err}"
        );
        assert!(
            err.contains("a.md:15:6: the link `file:///etc/passwd`"),
            "{err}"
        );
    }
    assert!(!site.public().exists());
    let zh = stderr(&site.check(&["--lang", "zh-CN"]));
    assert!(zh.contains("指向本机上的文件"), "{zh}");
    // In code, such a path is only text.
    site.report(
        "2023/a.md",
        "报告",
        DATE,
        "甲局",
        "",
        "```\n![图](C:\\Users\\a.png)\n```\n\n`![图](C:\\x.png)` 是错误写法。",
    );
    site.build_ok();
}

#[test]
fn file_names_with_spaces_work_in_images_links_and_attachments() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "报告",
        DATE,
        "甲局",
        "attachments:\n  - {title: 统计表, file: 统计 表.pdf}\n",
        "![图](图片 1.png)\n\n见[附件](附件 一.pdf)和[说明](a.pdf \"说明文件\")。",
    );
    site.write_bytes("content/2023/图片 1.png", b"\x89PNG\r\n\x1a\n");
    site.write("content/2023/附件 一.pdf", "%PDF-1.4");
    site.write("content/2023/a.pdf", "%PDF-1.4");
    site.write("content/2023/a/统计 表.pdf", "%PDF-1.4");
    let out = site.build_ok();
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let page = site.read("2023/a/index.html");
    assert!(!page.contains("](图片"), "raw Markdown printed:\n{page}");
    let doc = site.html("2023/a/index.html");
    let images = attrs(&doc, "main img", "src");
    assert!(
        images
            .iter()
            .any(|s| s == "/2023/%E5%9B%BE%E7%89%87%201.png"),
        "{images:?}"
    );
    let hrefs = attrs(&doc, "main a", "href");
    assert!(
        hrefs
            .iter()
            .any(|h| h == "/2023/%E9%99%84%E4%BB%B6%20%E4%B8%80.pdf"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.ends_with("/2023/a/统计%20表.pdf")),
        "{hrefs:?}"
    );
    assert!(site.public().join("2023/图片 1.png").is_file());
    assert!(site.public().join("2023/附件 一.pdf").is_file());
    let out = site.check(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A 政府信息公开 report of `year` with these section headings.
fn disclosure_site(year: i32, headings: &[&str]) -> SiteDir {
    let site = SiteDir::new();
    let body: String = headings
        .iter()
        .map(|h| format!("## {h}\n\n本部分内容。\n\n"))
        .collect();
    site.report(
        &format!("{year}/xxgk.md"),
        &format!("测试区人民政府{year}年政府信息公开工作年度报告"),
        &format!("{}-03-20", year + 1),
        "测试区人民政府",
        "category: 政府信息公开工作年度报告\n",
        &body,
    );
    site
}

const PARTS_2008: [&str; 6] = [
    "一、主动公开政府信息情况",
    "二、依申请公开政府信息和不予公开政府信息情况",
    "三、政府信息公开的收费及减免情况",
    "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "五、政府信息公开工作存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

#[test]
fn reports_before_2019_are_checked_against_the_2008_regulation() {
    let site = disclosure_site(2012, &PARTS_2008);
    let out = site.check(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("must contain"), "{}", stderr(&out));
    // The same headings in a 2020 report miss parts of the 2019 format.
    let out = disclosure_site(2020, &PARTS_2008).check(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("「总体情况」"), "{}", stderr(&out));
}

#[test]
fn a_historic_report_that_misses_a_part_gets_a_warning() {
    let site = disclosure_site(2014, &PARTS_2008[..4]);
    let out = site.check(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning") && err.contains("「政府信息公开工作存在的主要问题及改进情况」"),
        "{err}"
    );
    assert!(err.contains("up to 2018"), "{err}");
    assert!(!err.contains("error:"), "{err}");
    let zh = stderr(&site.check(&["--lang", "zh-CN"]));
    assert!(zh.contains("章节标题") && zh.contains("仅供参考"), "{zh}");
}

#[test]
fn rule_of_law_rules_apply_from_the_year_they_were_mandated() {
    let site = SiteDir::new();
    site.report(
        "2017/fazhi.md",
        "2017年法治政府建设年度报告",
        "2018-03-20",
        "甲局",
        "category: 法治政府建设年度报告\n",
        "## 一、工作情况\n\n内容。",
    );
    let out = site.check(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("must contain"), "{}", stderr(&out));
    site.report(
        "2017/fazhi.md",
        "2019年法治政府建设年度报告",
        "2020-03-20",
        "甲局",
        "category: 法治政府建设年度报告\n",
        "## 一、工作情况\n\n内容。",
    );
    let out = site.check(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("must contain"), "{}", stderr(&out));
}

#[test]
fn messages_about_section_headings_say_so_in_chinese() {
    let site = SiteDir::new();
    site.report(
        "2023/fazhi.md",
        "2023年法治政府建设年度报告",
        "2024-03-20",
        "甲局",
        "category: 法治政府建设年度报告\n",
        "全年工作情况如下。\n\n工作很多。",
    );
    let zh = stderr(&site.check(&["--lang", "zh-CN"]));
    assert!(zh.contains("报告没有章节标题"), "{zh}");
    assert!(!zh.contains("报告没有标题"), "{zh}");
}
