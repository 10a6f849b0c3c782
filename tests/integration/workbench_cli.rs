//! What an editor reads before the workbench: `--help`, clap's errors and the
//! `config.toml` that `init` writes, in the message language.

use crate::common::*;

fn zh() -> std::process::Command {
    let mut c = annals_command();
    c.env("LANG", "zh_CN.UTF-8");
    c
}

#[test]
fn help_is_in_chinese() {
    let out = zh().arg("--help").output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success());
    for want in [
        "用法：",
        "命令",
        "选项",
        "生成网站，输出到 public/",
        "显示帮助",
    ] {
        assert!(text.contains(want), "{want} missing in:\n{text}");
    }
    assert!(!text.contains("Build the site"), "{text}");
    let serve = stdout(&zh().args(["serve", "--help"]).output().unwrap());
    assert!(serve.contains("不启动编辑工作台"), "{serve}");
    assert!(
        serve.contains("网站文件夹（含 config.toml 和 content/）"),
        "{serve}"
    );
    let english = stdout(&annals_command().arg("--help").output().unwrap());
    assert!(english.contains("Build the site into public/"), "{english}");
}

#[test]
fn command_line_errors_are_in_chinese_with_a_suggestion() {
    let out = zh().arg("buidl").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("没有 buidl 这个命令"), "{err}");
    assert!(err.contains("是不是想写 build"), "{err}");
    let out = zh().args(["new", "x.md"]).output().unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("缺少必需的参数") && err.contains("--title"),
        "{err}"
    );
    assert!(
        err.contains("annals new"),
        "the usage of the command: {err}"
    );
    let out = zh()
        .args(["build", "--base-url", "javascript:x"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("的值 javascript:x 无效"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_writes_a_config_commented_in_the_language_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert!(
        zh().arg("init")
            .arg(&site)
            .output()
            .unwrap()
            .status
            .success()
    );
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    assert!(config.contains("# 网站名称（必填）"), "{config}");
    assert!(
        config.contains("# 政府网站标识码") || config.contains("# 主办单位信息"),
        "{config}"
    );
    let out = zh()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let english = dir.path().join("en");
    assert!(
        annals_command()
            .arg("init")
            .arg(&english)
            .output()
            .unwrap()
            .status
            .success()
    );
    let config = std::fs::read_to_string(english.join("config.toml")).unwrap();
    assert!(config.contains("# Name of the site (required)"), "{config}");
}

/// The manual's images (written by the browser tests) and its contents links
/// all lead somewhere.
#[test]
fn the_manual_links_only_to_what_exists() {
    let docs = demo_root().join("docs");
    let manual = std::fs::read_to_string(docs.join("manual.md")).unwrap();
    let images: Vec<&str> = manual
        .split("](images/")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(images.len() >= 6, "{images:?}");
    for image in images {
        assert!(
            docs.join("images").join(image).is_file(),
            "docs/images/{image} is missing"
        );
    }
    // Heading anchors as Markdown renderers make them: the text without punctuation.
    let anchors: Vec<String> = manual
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| {
            h.chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
                .collect::<String>()
                .to_lowercase()
                .replace(' ', "-")
        })
        .collect();
    for link in manual
        .split("](#")
        .skip(1)
        .filter_map(|r| r.split(')').next())
    {
        assert!(
            anchors.iter().any(|a| a == link),
            "#{link} is not a heading: {anchors:?}"
        );
    }
}
