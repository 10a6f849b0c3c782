//! The messages of `build` reach a Chinese-reading editor in Chinese: config,
//! front matter, dates, attachments, links, themes, the output folder, encodings
//! and the command line, on real broken sites built with `--lang zh-CN` (or a
//! zh-CN site and no locale at all), each message and its help asserted with the
//! file and line it points at. (`tests/messages_zh.rs`: check, statistics, serve.)

use crate::common::*;

/// Builds `site` in Chinese; the build must fail. Returns stderr.
fn failed_build_zh(site: &SiteDir, extra: &[&str]) -> String {
    let out = site.build(&[&["--lang", "zh-CN"], extra].concat());
    let err = stderr(&out);
    assert!(!out.status.success(), "the build did not fail:\n{err}");
    err
}

/// Asserts that every one of `needles` is in `haystack`.
fn assert_all(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            haystack.contains(needle),
            "`{needle}` missing from:\n{haystack}"
        );
    }
}

#[test]
fn a_config_mistake_is_told_in_chinese_with_its_line() {
    let site = SiteDir::new();
    site.write("config.toml", &format!("theem = \"gov\"\n{BASIC_CONFIG}"));
    site.report("2023/r.md", "报告", "2024-01-01", "某局", "", "正文。");
    let err = failed_build_zh(&site, &[]);
    assert_all(
        &err,
        &[
            "错误: ",
            "config.toml:1:1: 未知的设置项 `theem`",
            "  提示: 是不是想写 `theme`？",
            "1 个错误，0 个警告；未发布任何内容，原网站保持不变",
        ],
    );
    assert!(!err.contains("unknown setting"), "{err}");
}

#[test]
fn front_matter_and_date_mistakes_are_told_in_chinese() {
    let site = SiteDir::new();
    site.write(
        "content/2023/a.md",
        "---\ntitle: 2023年法治政府建设年度报告\nsource: 某局\n---\n\n正文。\n",
    );
    site.report("2023/b.md", "报告", "2023-02-30", "某局", "", "正文。");
    let err = failed_build_zh(&site, &[]);
    assert_all(
        &err,
        &[
            "content/2023/a.md:1: 前置信息中缺少 `date`（发布时间）",
            "提示: 每篇报告都要写明标题、发布时间和来源",
            "content/2023/b.md:3:1: “2023-02-30” 不是有效的日期",
            "提示: 没有 2023年2月30日 这一天，请检查月份和日期",
        ],
    );
}

#[test]
fn a_missing_attachment_is_told_in_chinese_at_its_line() {
    let site = SiteDir::new();
    site.report(
        "2023/r.md",
        "报告",
        "2024-01-01",
        "某局",
        "attachments:\n  - {title: 附件1, file: 表.xlsx}\n",
        "正文。",
    );
    let err = failed_build_zh(&site, &[]);
    assert_all(
        &err,
        &[
            "content/2023/r.md:5: 找不到附件 `表.xlsx`",
            "提示: 请把 `表.xlsx` 放在报告旁边，或放在文件夹 `2023/r` 中",
        ],
    );
}

#[test]
fn a_broken_link_is_a_chinese_warning_at_its_place() {
    let site = SiteDir::new();
    site.report(
        "2023/r.md",
        "报告",
        "2024-01-01",
        "某局",
        "",
        "见[旧文件](/nowhere/)。",
    );
    let out = site.build(&["--lang", "zh-CN"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_all(
        &err,
        &[
            "警告: ",
            "content/2023/r.md:7:",
            "链接 /nowhere/ 无法打开：本站 /nowhere/ 处没有内容",
            "相对地址先从 Markdown 文件所在的文件夹查找，再从报告网址 /2023/r/ 查找",
        ],
    );
    assert_all(&stdout(&out), &["已生成 1 篇报告"]);
}

#[test]
fn theme_output_and_encoding_problems_are_told_in_chinese() {
    let site = SiteDir::new();
    site.report("2023/r.md", "报告", "2024-01-01", "某局", "", "正文。");
    site.write("config.toml", &format!("theme = \"nope\"\n{BASIC_CONFIG}"));
    let err = failed_build_zh(&site, &[]);
    assert_all(
        &err,
        &["config.toml: 找不到主题 `nope`", "或设置 theme = \"gov\""],
    );

    site.write("config.toml", BASIC_CONFIG);
    site.write("elsewhere/keep.txt", "不是 annals 生成的");
    let elsewhere = site.path().join("elsewhere");
    let err = failed_build_zh(&site, &["--output", elsewhere.to_str().unwrap()]);
    assert_all(
        &err,
        &[
            "输出文件夹已存在，且不是 annals 生成的",
            "提示: 请用 `--output` 另选一个文件夹",
        ],
    );

    // "中文" in GBK, as an old editor saves it.
    let mut gbk = b"---\ntitle: r\ndate: 2024-01-01\nsource: s\n---\n\n".to_vec();
    gbk.extend_from_slice(&[0xD6, 0xD0, 0xCE, 0xC4, b'\n']);
    site.write_bytes("content/2023/gbk.md", &gbk);
    let err = failed_build_zh(&site, &[]);
    assert_all(
        &err,
        &[
            "content/2023/gbk.md:7:1: 文件不是 UTF-8 编码",
            "提示: 可运行 `annals build --convert-encoding` 转为 UTF-8",
        ],
    );
    let out = site.build(&["--lang", "zh-CN", "--convert-encoding"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_all(&stderr(&out), &["已把 ", " 转为 UTF-8"]);
}

#[test]
fn command_line_mistakes_are_told_in_chinese() {
    let site = SiteDir::new();
    let root = site.path().to_str().unwrap();
    let out = annals(&["init", root, "--lang", "zh-CN"]);
    assert!(!out.status.success());
    assert_all(
        &stderr(&out),
        &["config.toml: 这里已经有一个站点", "提示: 请换一个空文件夹"],
    );
    // Checked while the arguments are read, before the site is known.
    let out = annals(&[
        "build",
        "--lang",
        "zh-CN",
        "--root",
        root,
        "--base-url",
        "ftp://x",
    ]);
    assert!(!out.status.success());
    assert_all(&stderr(&out), &["`ftp://x` 应以 http:// 或 https:// 开头"]);
}

#[test]
fn a_chinese_site_speaks_chinese_without_flag_or_locale() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("language = \"zh-CN\"\n{BASIC_CONFIG}"),
    );
    site.write(
        "content/2023/r.md",
        "---\ntitle: 报告\ndate: 2024-01-01\n---\n\n正文。\n",
    );
    let out = annals_without_locale()
        .args(["build", "--root", site.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_all(
        &stderr(&out),
        &[
            "错误: ",
            "content/2023/r.md:1: 前置信息中缺少 `source`（来源）",
            "  提示: 每篇报告都要写明标题、发布时间和来源",
        ],
    );
}
