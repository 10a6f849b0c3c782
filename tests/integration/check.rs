//! `annals check`: finds what an editor must fix, with file and line, and writes nothing.

use crate::common::*;

const UNITS: &str =
    "[units]\n\"甲区司法局\" = { slug = \"sfj\" }\n\"甲区政府办\" = { slug = \"zfb\" }\n";

fn error_lines(out: &std::process::Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn fixture_with_five_problems_reports_exactly_those() {
    let site = SiteDir::new();
    site.write("config.toml", &format!("{BASIC_CONFIG}{UNITS}"));
    let fazhi = "---
title: 甲区司法局2023年法治政府建设年度报告
date: 2024-03-01
source: 甲区司法局
category: 法治政府建设年度报告
attachments:
  - {title: 附表, file: missing.pdf}
  - {title: 统计表, file: table.csv}
---

## 一、2023年度推进法治政府建设的主要举措和成效

全年审查规范性文件46件，详见[统计表](table.csv)和[政府办报告](../zfb/#一总体情况)。

![](chart.png)

![2023年案件数量统计图](chart.png)

## 二、2023年度推进法治政府建设存在的不足和原因

依据[实施办法](/2023/banfa/)开展工作，见[下文](#四2024年度推进法治政府建设的主要安排)。

## 四、2024年度推进法治政府建设的主要安排

具体安排见[第五部分](#五其他事项)。
";
    site.write("content/2023/sfj.md", fazhi)
        .write("content/2023/sfj/table.csv", "项目,数量\n审查,46\n")
        .write_bytes("content/2023/sfj/chart.png", b"\x89PNG\r\n\x1a\n")
        .report(
            "2023/zfb.md",
            "甲区政府办2023年工作报告",
            "2024-01-20",
            "甲区政府办",
            "",
            "## 一、总体情况\n\n见[司法局报告](/2023/sfj/)。",
        );
    let out = site.check(&[]);
    assert!(!out.status.success(), "check must fail:\n{}", stderr(&out));
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 5, "{}", stderr(&out));
    let file = site.path().join("content/2023/sfj.md");
    let file = file.display().to_string();
    let expect = [
        (line_of(fazhi, "missing.pdf") - 1, "missing.pdf"),
        (line_of(fazhi, "![](chart.png)"), "alt text"),
        (line_of(fazhi, "/2023/banfa/"), "/2023/banfa/"),
        (line_of(fazhi, "#五其他事项"), "#五其他事项"),
        (line_of(fazhi, "## 一、"), "第一责任人"),
    ];
    for (line, what) in expect {
        let found = errors
            .iter()
            .find(|e| e.contains(what))
            .unwrap_or_else(|| panic!("no error about {what}:\n{}", stderr(&out)));
        assert!(
            found.starts_with(&format!("error: {file}:{line}")),
            "{what} should be reported at {file}:{line}: {found}"
        );
    }
    assert!(
        !stderr(&out).contains("warning:"),
        "no warnings expected:\n{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("5 error(s), 0 warning(s)"));
    assert!(!site.public().exists(), "check must not write the site");
}

#[test]
fn demo_site_checks_clean() {
    let out = annals(&["check", "--root", demo_root().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(error_lines(&out).is_empty());
}

#[test]
fn pasted_outline_is_pointed_out_and_auto_outline_silences_it() {
    let site = SiteDir::new();
    let pasted = std::fs::read_dir(shared_samples().join("pasted"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("a pasted sample");
    let text = std::fs::read_to_string(pasted.path()).unwrap();
    site.write("content/2022/pasted.md", &text);
    let out = site.check(&[]);
    let err = stderr(&out);
    let first = text
        .lines()
        .position(|l| l.starts_with("一、"))
        .expect("outline in sample")
        + 1;
    let warning = err
        .lines()
        .find(|l| l.contains("look like an outline"))
        .unwrap_or_else(|| panic!("no outline warning:\n{err}"));
    assert!(
        warning.contains(&format!("pasted.md:{first}:")),
        "{warning}"
    );
    assert!(err.contains("outline = \"auto\""), "{err}");

    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}[markdown]\noutline = \"auto\"\n"),
    );
    let out = site.check(&[]);
    assert!(
        !stderr(&out).contains("look like an outline"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn heading_skips_duplicates_late_reports_and_derived_slugs_are_warnings() {
    let site = SiteDir::new();
    let body = "## 一、总体情况\n\n#### 细节\n\n## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n## 五、存在的主要问题及改进情况\n\n## 六、其他需要报告的事项\n";
    site.report(
        "2023/a.md",
        "2023年政府信息公开工作年度报告",
        "2024-02-20",
        "乙县民政局",
        "category: 政府信息公开工作年度报告\n",
        body,
    )
    .report(
        "2023/b.md",
        "2023年政府信息公开工作年度报告",
        "2024-01-10",
        "乙县民政局",
        "category: 政府信息公开工作年度报告\n",
        body,
    );
    let out = site.check(&[]);
    assert!(out.status.success(), "warnings only:\n{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("jumps from level 2 to level 4"), "{err}");
    assert!(err.contains("days late"), "{err}");
    assert!(err.contains("another 2023 report titled"), "{err}");
    assert!(
        err.contains("\"乙县民政局\" = { slug = \"yixianminzhengju\" }"),
        "{err}"
    );
}

#[test]
fn rules_in_config_switch_off_and_add() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年法治政府建设年度报告",
        "2024-03-01",
        "丙局",
        "category: 法治政府建设年度报告\n",
        "## 一、主要举措和成效\n\n正文",
    )
    .report(
        "2023/b.md",
        "2023年述职报告",
        "2024-03-01",
        "丙局",
        "category: 述职报告\n",
        "## 一、履职情况\n\n正文",
    );
    let out = site.check(&[]);
    assert_eq!(error_lines(&out).len(), 3, "{}", stderr(&out));
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[rules.\"法治政府建设年度报告\"]\nenabled = false\n[rules.\"述职报告\"]\ncategory = \"述职报告\"\ndeadline = \"02-01\"\nparts = [{{ name = \"廉洁自律情况\", pattern = \"廉洁\" }}]\n"
        ),
    );
    let out = site.check(&[]);
    let errors = error_lines(&out);
    assert_eq!(errors.len(), 1, "{}", stderr(&out));
    assert!(errors[0].contains("廉洁自律情况"), "{errors:?}");
    assert!(stderr(&out).contains("days late"));

    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}[rules.\"述职报告\"]\ncategory = \"述职报告\"\nparts = [{{ name = \"x\", pattern = \"(\" }}]\n"),
    );
    let out = site.check(&[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("not a valid regular expression"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn links_to_generated_pages_attachments_and_footnotes_resolve() {
    let site = SiteDir::new();
    site.write("config.toml", &format!("{BASIC_CONFIG}{UNITS}"));
    site.write("content/2023/files/guide.pdf", "%PDF-1.4\n")
        .write("static/images/logo.png", "png")
        .report(
            "2023/a.md",
            "甲区司法局2023年工作报告",
            "2024-01-20",
            "甲区司法局",
            "tags: [法治]\ncategory: 工作报告\nrelated:\n  - {title: 指南, url: /2023/files/guide.pdf}\n",
            "## 一、总体情况\n\n见[归档](/archive/)、[本年](/archive/2023/)、[单位](/sources/sfj/)、\
             [标签](/tags/)、[订阅](/atom.xml)、[打印](print/)、[首页](/)、[章节](../)、\
             [本节](#一总体情况)、[完整地址](https://test.example.gov.cn/2023/a/#一总体情况)、\
             [标志](/images/logo.png)、[样式](/static/gov.css)、[指南](../files/guide.pdf)、[邮件](mailto:a@b.cn)。[^1]\n\n\
             [^1]: 注释。\n",
        );
    let out = site.check(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning:"), "{}", stderr(&out));
}
