//! What an editor with a Chinese keyboard meets: front matter mistakes told
//! exactly (message in Chinese and English, caret under the character), and
//! Word-pasted line breaks that do not turn into spaces between Chinese characters.

use crate::common::*;

/// Builds a site whose only report has this front matter, in `lang`.
fn build_with_front_matter(front: &str, lang: &str) -> String {
    let site = SiteDir::new();
    site.write("content/2023/r.md", &format!("---\n{front}---\n\n正文。\n"));
    let out = site.build(&["--lang", lang]);
    assert!(!out.status.success(), "the mistake was not caught: {front}");
    stderr(&out)
}

/// The terminal column (CJK characters are two wide) of the caret under the
/// quoted line, and the line's own column of the character above it.
fn caret_column(stderr: &str) -> usize {
    let lines: Vec<&str> = stderr.lines().collect();
    let caret = lines
        .iter()
        .position(|l| l.trim_end().ends_with('^') && l.contains(" | "))
        .unwrap_or_else(|| panic!("no caret line in:\n{stderr}"));
    let quoted = lines[caret - 1];
    let bar = quoted.find(" | ").unwrap() + 3;
    let pad = lines[caret][bar..]
        .chars()
        .take_while(|c| *c == ' ')
        .count();
    // Walk the quoted line by display width to the character under the caret.
    let mut width = 0;
    for (i, c) in quoted[bar..].chars().enumerate() {
        if width == pad {
            return i + 1;
        }
        width += if c.is_ascii() { 1 } else { 2 };
    }
    panic!("the caret is past the end of the line:\n{stderr}");
}

#[test]
fn each_keyboard_mistake_has_an_exact_message_in_both_languages() {
    let cases = [
        (
            "title：2023年报告\ndate: 2024-01-01\nsource: 某局\n",
            "content/2023/r.md:2:6",
            "full-width colon `：` after `title`",
            "`title` 后面用了全角冒号 `：`",
        ),
        (
            "title: 2023年报告\ndate: 2024-01-01\nsource: 某局\ntags:\n\u{3000}- 法治\n",
            "content/2023/r.md:6:1",
            "a full-width space (全角空格) in front matter",
            "前置信息中有全角空格",
        ),
        (
            "title: 2023年报告\ndate: 2024-01-01\nsource: 某局\ntags:\n\t- 法治\n",
            "content/2023/r.md:6:1",
            "a tab is used for indentation",
            "制表符（Tab）缩进",
        ),
        (
            "title: 2023年报告: 补充说明\ndate: 2024-01-01\nsource: 某局\n",
            "content/2023/r.md:2:15",
            "the value of `title` contains `: `",
            "`title` 的值中含有 `: `",
        ),
        (
            "title: 2023年报告\ndate: 2024-01-01\nsource: 某局\nattachments: [- 表.xlsx]\n",
            "content/2023/r.md:5:14",
            "an attachment needs a title and a file",
            "附件需要写明标题和文件",
        ),
    ];
    for (front, place, english, chinese) in cases {
        let en = build_with_front_matter(front, "en");
        assert!(en.contains(place), "{place} not in:\n{en}");
        assert!(en.contains(english), "{english} not in:\n{en}");
        assert!(
            !en.contains("expected mapping") && !en.contains("simple key"),
            "{en}"
        );
        let column: usize = place.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(caret_column(&en), column, "{en}");
        let zh = build_with_front_matter(front, "zh-CN");
        assert!(zh.contains(chinese), "{chinese} not in:\n{zh}");
        assert!(zh.contains(place), "{place} not in:\n{zh}");
    }
}

#[test]
fn the_attachment_help_says_how_to_write_it() {
    let en = build_with_front_matter(
        "title: 报告\ndate: 2024-01-01\nsource: 某局\nattachments:\n  - 表.xlsx\n",
        "en",
    );
    assert!(en.contains("content/2023/r.md:6:5"), "{en}");
    assert!(en.contains("- {title: 附件标题, file: 表.xlsx}"), "{en}");
}

#[test]
fn lang_comes_from_the_flag_then_the_terminal_then_the_site() {
    let site = SiteDir::new();
    site.write("content/2023/r.md", "---\ntitle：报告\n---\n");
    let run = |lang: &str, args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_annals"));
        command
            .args(["build", "--root", site.path().to_str().unwrap()])
            .args(args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang);
        stderr(&command.output().unwrap())
    };
    assert!(run("en_US.UTF-8", &[]).contains("full-width colon"));
    assert!(run("zh_CN.UTF-8", &[]).contains("全角冒号"));
    assert!(run("en_US.UTF-8", &["--lang", "zh-CN"]).contains("全角冒号"));
    // A locale that names no language leaves it to the site (zh-CN by default).
    assert!(run("C.UTF-8", &[]).contains("全角冒号"));
    site.write("config.toml", &format!("language = \"en\"\n{BASIC_CONFIG}"));
    assert!(run("C.UTF-8", &[]).contains("full-width colon"));
}

#[test]
fn a_line_break_between_chinese_characters_is_not_a_space() {
    let site = SiteDir::new();
    site.report(
        "2023/r.md",
        "报告",
        "2024-01-01",
        "某局",
        "",
        "这是第一行\n第二行，\n第三行 with\nEnglish words",
    );
    site.build_ok();
    let page = site.html("2023/r/index.html");
    let text = texts(&page, ".report-body p").join("");
    assert!(text.contains("这是第一行第二行，第三行"), "{text}");
    assert!(text.contains("with\nEnglish"), "{text}");
}

#[test]
fn a_body_pasted_as_one_giant_paragraph_gets_a_warning() {
    let site = SiteDir::new();
    let line = "本年度，我局认真贯彻落实各项工作部署，扎实推进依法行政，取得了明显成效。".repeat(4);
    let body = vec![line.as_str(); 20].join("\n");
    site.report("2023/giant.md", "报告", "2024-01-01", "某局", "", &body);
    site.report(
        "2023/fine.md",
        "报告二",
        "2024-01-02",
        "某局",
        "",
        &vec![line.as_str(); 20].join("\n\n"),
    );
    let out = site.build(&["--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/2023/giant.md:7"), "{err}");
    assert!(err.contains("one giant paragraph"), "{err}");
    assert!(err.contains("outline = \"auto\""), "{err}");
    assert!(!err.contains("fine.md"), "{err}");
    let zh = stderr(&site.build(&["--lang", "zh-CN"]));
    assert!(zh.contains("超长段落"), "{zh}");
}

#[test]
fn new_outside_a_site_says_where_to_run_it() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("2024/report.md");
    let out = annals(&[
        "new",
        outside.to_str().unwrap(),
        "--title",
        "报告",
        "--source",
        "某局",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("is not under a content/ folder"), "{err}");
    assert!(!err.contains("nothing was published"), "{err}");
    assert!(!outside.exists());
    let no_site = dir.path().join("content/2024/report.md");
    let out = annals(&[
        "new",
        no_site.to_str().unwrap(),
        "--title",
        "报告",
        "--source",
        "某局",
        "--lang",
        "zh-CN",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("这里没有站点") && err.contains("annals init"),
        "{err}"
    );
    assert!(!err.contains("未发布任何内容"), "{err}");
}

#[test]
fn init_uses_year_folders_and_the_summary_reads_right_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(annals(&["init", root.to_str().unwrap()]).status.success());
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive()) - 1;
    assert!(
        root.join(format!("content/{year}/first-report.md"))
            .is_file()
    );
    let en = annals(&["build", "--root", root.to_str().unwrap()]);
    assert!(
        stdout(&en).starts_with("built 1 report, "),
        "{}",
        stdout(&en)
    );
    let zh = annals(&["build", "--lang", "zh-CN", "--root", root.to_str().unwrap()]);
    assert!(
        stdout(&zh).starts_with("已生成 1 篇报告、"),
        "{}",
        stdout(&zh)
    );
}

#[test]
fn check_warns_about_what_init_and_new_left_as_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(annals(&["init", root.to_str().unwrap()]).status.success());
    let out = annals(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(
        err.contains("`site_code` is still the placeholder \"0000000000\""),
        "{err}"
    );
    assert!(err.contains("`phone` is still the placeholder"), "{err}");
    assert!(err.contains("placeholder text 「在此填写正文」"), "{err}");
    let zh = stderr(&annals(&[
        "check",
        "--lang",
        "zh-CN",
        "--root",
        root.to_str().unwrap(),
    ]));
    assert!(zh.contains("仍是 annals init 写入的占位值"), "{zh}");
}
