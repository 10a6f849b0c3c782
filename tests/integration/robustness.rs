//! The catalogue of bad inputs: every one gives a clear message naming the file
//! (and the line where there is one), never a panic, and leaves the previously
//! built `public/` exactly as it was.

use crate::common::*;

use std::process::Output;

/// Text that only a crash would print.
const CRASH_MARKERS: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "stack overflow",
    "internal error",
];

/// A site with one good report, built once, and a snapshot of its output.
fn built_site() -> (SiteDir, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let site = SiteDir::new();
    site.report(
        "2023/good.md",
        "2023年法治政府建设年度报告",
        "2024-03-10",
        "甲局",
        "",
        "## 一、总体情况\n\n正文。",
    );
    site.build_ok();
    let before = snapshot(&site.public());
    assert!(!before.is_empty());
    (site, before)
}

fn assert_no_crash(out: &Output) {
    let err = stderr(out);
    for marker in CRASH_MARKERS {
        assert!(!err.contains(marker), "crash text `{marker}` in:\n{err}");
    }
}

/// Builds, expects exit code 1, every `needle` in stderr and an untouched `public/`.
fn fails_with(
    site: &SiteDir,
    before: &[(std::path::PathBuf, Vec<u8>)],
    needles: &[&str],
) -> String {
    fails_with_args(site, before, &[], needles)
}

fn fails_with_args(
    site: &SiteDir,
    before: &[(std::path::PathBuf, Vec<u8>)],
    args: &[&str],
    needles: &[&str],
) -> String {
    let out = site.build(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "expected exit code 1:\n{err}");
    assert_no_crash(&out);
    for needle in needles {
        assert!(err.contains(needle), "`{needle}` missing from:\n{err}");
    }
    assert!(
        err.contains("the previous site is unchanged"),
        "no summary line:\n{err}"
    );
    assert_eq!(
        snapshot(&site.public()),
        before,
        "public/ changed after a failed build"
    );
    err
}

fn bad_report(site: &SiteDir, text: &str) {
    site.write("content/2023/bad.md", text);
}

#[test]
fn yaml_syntax_error() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: [甲局\n---\n正文\n",
    );
    fails_with(&site, &before, &["bad.md:", "error"]);
    // The line is the front matter's, not a position inside the YAML block.
    let err = stderr(&site.build(&[]));
    let line: usize = err
        .split("bad.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line number in:\n{err}"));
    assert!((4..=5).contains(&line), "line {line} in:\n{err}");
}

#[test]
fn front_matter_not_closed() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\n\n正文\n",
    );
    fails_with(
        &site,
        &before,
        &["bad.md:1", "not closed", "add a line with only ---"],
    );
}

#[test]
fn missing_title() {
    let (site, before) = built_site();
    bad_report(&site, "---\ndate: 2024-03-10\nsource: 甲局\n---\n正文\n");
    let err = fails_with(&site, &before, &["bad.md:1", "missing title"]);
    assert!(!err.contains("missing title (标题), date"), "{err}");
}

#[test]
fn missing_date() {
    let (site, before) = built_site();
    bad_report(&site, "---\ntitle: 报告\nsource: 甲局\n---\n正文\n");
    fails_with(&site, &before, &["bad.md:1", "missing date (发布时间)"]);
}

#[test]
fn missing_source() {
    let (site, before) = built_site();
    bad_report(&site, "---\ntitle: 报告\ndate: 2024-03-10\n---\n正文\n");
    fails_with(&site, &before, &["bad.md:1", "missing source (来源)"]);
}

#[test]
fn date_that_does_not_exist() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2023-02-30\nsource: 甲局\n---\n正文\n",
    );
    fails_with(
        &site,
        &before,
        &[
            "bad.md:3",
            "`2023-02-30` is not a valid date",
            "does not exist",
        ],
    );
}

#[test]
fn date_with_slashes_gets_a_hint() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\nsource: 甲局\ndate: 2023/3/10\n---\n正文\n",
    );
    fails_with(&site, &before, &["bad.md:4", "write it as 2023-03-10"]);
}

#[test]
fn unknown_key() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\nsumary: 摘要\n---\n正文\n",
    );
    fails_with(
        &site,
        &before,
        &["bad.md:5", "unknown key `sumary`", "did you mean `summary`"],
    );
}

#[test]
fn wrong_type() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\ntags: 5\n---\n正文\n",
    );
    fails_with(&site, &before, &["bad.md:5", "help:"]);
}

#[test]
fn duplicate_keys() {
    let (site, before) = built_site();
    bad_report(
        &site,
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\ntitle: 又一个\n---\n正文\n",
    );
    fails_with(
        &site,
        &before,
        &["bad.md:5", "`title` appears more than once"],
    );
}

#[test]
fn empty_file() {
    let (site, before) = built_site();
    bad_report(&site, "");
    fails_with(&site, &before, &["bad.md", "the file is empty"]);
    bad_report(&site, "  \n\n");
    fails_with(&site, &before, &["bad.md", "the file is empty"]);
}

#[test]
fn file_with_only_front_matter_builds_with_a_warning() {
    let (site, _) = built_site();
    bad_report(
        &site,
        "---\ntitle: 只有标题的报告\ndate: 2024-03-10\nsource: 甲局\n---\n",
    );
    let out = site.build_ok();
    let err = stderr(&out);
    assert!(
        err.contains("warning:") && err.contains("bad.md") && err.contains("no text"),
        "{err}"
    );
    assert_no_crash(&out);
    assert_eq!(
        texts(&site.html("2023/bad/index.html"), "h1"),
        vec!["只有标题的报告"]
    );
}

#[test]
fn utf8_bom_is_accepted() {
    let (site, _) = built_site();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(
        "---\ntitle: 带BOM的报告\ndate: 2024-03-10\nsource: 甲局\n---\n\n正文。\n".as_bytes(),
    );
    site.write_bytes("content/2023/bom.md", &bytes);
    let out = site.build_ok();
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let doc = site.html("2023/bom/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["带BOM的报告"]);
    assert!(!site.read("2023/bom/index.html").contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_are_accepted() {
    let (site, _) = built_site();
    let text = "---\ntitle: Windows报告\ndate: 2024-03-10\nsource: 甲局\ntags: [一, 二]\n---\n\n## 一、总体情况\n\n第一段。\n"
        .replace('\n', "\r\n");
    site.write("content/2023/crlf.md", &text);
    let out = site.build_ok();
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let doc = site.html("2023/crlf/index.html");
    assert_eq!(texts(&doc, "h1"), vec!["Windows报告"]);
    assert_eq!(texts(&doc, ".report-body h2"), vec!["一、总体情况"]);
    assert!(!site.read("2023/crlf/index.html").contains('\r'));
}

fn legacy_encoding_round_trip(encoding: &'static encoding_rs::Encoding, extra_text: &str) {
    let (site, before) = built_site();
    let text = format!(
        "---\ntitle: 2023年政府信息公开工作年度报告\ndate: 2024-01-20\nsource: 甲局\n---\n\n本报告由本机关编制，{extra_text}全区共接报生产安全事故9起。\n"
    );
    let (bytes, _, unmappable) = encoding.encode(&text);
    assert!(!unmappable);
    site.write_bytes("content/2023/legacy.md", &bytes);
    let err = fails_with(
        &site,
        &before,
        &["legacy.md:2", "GBK/GB18030", "--convert-encoding"],
    );
    assert!(err.contains("not UTF-8"), "{err}");

    let out = site.build(&["--convert-encoding"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_crash(&out);
    assert!(stderr(&out).contains("legacy.md"), "{}", stderr(&out));
    let file = site.path().join("content/2023/legacy.md");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(
        std::fs::read(site.path().join("content/2023/legacy.md.bak")).unwrap(),
        bytes.as_ref()
    );
    assert_eq!(
        texts(&site.html("2023/legacy/index.html"), "h1"),
        vec!["2023年政府信息公开工作年度报告"]
    );
    // The backup is not published.
    assert!(!site.public().join("2023/legacy.md.bak").exists());
}

#[test]
fn gbk_file_is_named_and_converted_on_request() {
    legacy_encoding_round_trip(encoding_rs::GBK, "");
}

#[test]
fn gb18030_file_is_named_and_converted_on_request() {
    // 𠀀 and ᠠ exist only in GB18030 (four-byte sequences), not in GBK.
    legacy_encoding_round_trip(encoding_rs::GB18030, "（𠀀ᠠ）");
}

#[test]
fn invalid_utf8_in_the_middle_names_the_line() {
    let (site, before) = built_site();
    let mut bytes =
        "---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\n---\n\n第一段正文，全区共接报生产安全事故9起。\n\n第二段"
            .as_bytes()
            .to_vec();
    bytes.extend([0xFF, 0xFE, 0x00, 0xC3]);
    bytes.extend("。\n".as_bytes());
    site.write_bytes("content/2023/binary.md", &bytes);
    fails_with(&site, &before, &["binary.md:9", "not valid UTF-8"]);
}

#[test]
fn report_and_section_with_the_same_url() {
    let (site, before) = built_site();
    site.write("content/notices/_index.md", "---\ntitle: 通知公告\n---\n");
    site.report("notices/n1.md", "通知", "2024-03-10", "甲局", "", "x");
    site.report(
        "clash.md",
        "冲突报告",
        "2024-03-10",
        "甲局",
        "slug: notices\n",
        "x",
    );
    fails_with(
        &site,
        &before,
        &[
            "clash.md",
            "notices/_index.md",
            "both want the address /notices/",
        ],
    );
}

#[test]
fn two_reports_with_the_same_slug() {
    let (site, before) = built_site();
    site.report("2023/a.md", "甲", "2024-03-10", "甲局", "slug: same\n", "x")
        .report("2023/b.md", "乙", "2024-03-11", "乙局", "slug: same\n", "x");
    fails_with(
        &site,
        &before,
        &[
            "2023/a.md",
            "2023/b.md",
            "both want the address /2023/same/",
        ],
    );
}

#[test]
fn attachment_outside_the_site_folder_is_refused() {
    let (site, before) = built_site();
    site.report(
        "2023/leak.md",
        "报告",
        "2024-03-10",
        "甲局",
        "attachments:\n  - {title: 附件, file: ../../etc/passwd}\n",
        "x",
    );
    fails_with(
        &site,
        &before,
        &["leak.md:5", "`../../etc/passwd` points outside"],
    );
    for name in [
        "/etc/passwd",
        "..\\\\..\\\\secret.txt",
        "C:/Windows/win.ini",
    ] {
        site.report(
            "2023/leak.md",
            "报告",
            "2024-03-10",
            "甲局",
            &format!("attachments:\n  - {{title: 附件, file: \"{name}\"}}\n"),
            "x",
        );
        fails_with(&site, &before, &["leak.md:5", "points outside"]);
    }
}

#[cfg(unix)]
#[test]
fn attachment_linked_to_a_file_outside_is_refused() {
    let (site, before) = built_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::fs::create_dir_all(site.path().join("content/2023/leak")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("content/2023/leak/secret.txt"),
    )
    .unwrap();
    site.report(
        "2023/leak.md",
        "报告",
        "2024-03-10",
        "甲局",
        "attachments:\n  - {title: 附件, file: secret.txt}\n",
        "x",
    );
    fails_with(&site, &before, &["secret.txt", "outside the site folder"]);
}

#[cfg(unix)]
#[test]
fn any_link_out_of_the_site_folder_is_refused_not_published() {
    let (site, before) = built_site();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("private.pdf"), "private").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("private.pdf"),
        site.path().join("content/2023/private.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/linked-dir")).unwrap();
    let err = fails_with(
        &site,
        &before,
        &[
            "content/2023/private.pdf",
            "content/linked-dir",
            "points outside the site folder",
        ],
    );
    assert_eq!(err.matches("points outside").count(), 2, "{err}");
    // A link that stays inside the site folder is fine.
    std::fs::remove_file(site.path().join("content/2023/private.pdf")).unwrap();
    std::fs::remove_file(site.path().join("content/linked-dir")).unwrap();
    site.write("shared-files/form.pdf", "form");
    std::os::unix::fs::symlink(
        site.path().join("shared-files/form.pdf"),
        site.path().join("content/2023/form.pdf"),
    )
    .unwrap();
    // Published because a report links to it (unlinked files stay private).
    site.report(
        "2023/forms.md",
        "表格",
        "2024-03-10",
        "甲局",
        "",
        "[表](/2023/form.pdf)",
    );
    site.build_ok();
    assert_eq!(site.read("2023/form.pdf"), "form");
}

#[test]
fn missing_attachment() {
    let (site, before) = built_site();
    site.report(
        "2023/r.md",
        "报告",
        "2024-03-10",
        "甲局",
        "summary: 摘要\nattachments:\n  - {title: 附件1, file: table.pdf}\n",
        "x",
    );
    fails_with(
        &site,
        &before,
        &["r.md:6", "attachment `table.pdf` was not found", "2023/r"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let (site, before) = built_site();
    std::fs::create_dir_all(site.path().join("content/2023/sub")).unwrap();
    std::os::unix::fs::symlink("..", site.path().join("content/2023/sub/loop")).unwrap();
    fails_with(&site, &before, &["content/2023/sub/loop", "loops back"]);
}

#[test]
fn template_syntax_error_in_a_site_override() {
    let (site, before) = built_site();
    site.write(
        "templates/report.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ report.title }</h1>\n{% endblock %}\n",
    );
    let err = fails_with(&site, &before, &["templates/report.html:3", "syntax error"]);
    assert!(err.contains("{{ report.title }</h1>"), "{err}");
}

#[test]
fn template_error_while_rendering_keeps_public() {
    let (site, before) = built_site();
    // Valid syntax, fails only when a page is rendered (after writing has started).
    site.write(
        "templates/report.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ report.title | no_such_filter }}\n{% endblock %}\n",
    );
    fails_with(
        &site,
        &before,
        &["templates/report.html:3", "no_such_filter"],
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// Root reads any file whatever its mode, so as root (CI) unreadability is
/// produced in the ways that stop root too.
fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let (site, before) = built_site();
    site.report("2023/locked.md", "报告", "2024-03-10", "甲局", "", "x");
    let path = site.path().join("content/2023/locked.md");
    if running_as_root() {
        // chmod 000 does not stop root; a link to nothing cannot be read by anyone.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(site.path().join("no-such-file.md"), &path).unwrap();
        fails_with(&site, &before, &["locked.md", "does not exist"]);
    } else {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        fails_with(&site, &before, &["locked.md", "ermission denied"]);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn fifo_where_a_file_is_expected() {
    let (site, before) = built_site();
    let fifo = site.path().join("content/2023/pipe.md");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    // Reading a FIFO would block for ever: the build must refuse it instead.
    let start = std::time::Instant::now();
    fails_with(&site, &before, &["pipe.md", "not a regular file"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn missing_config_with_content_builds_with_defaults_and_a_warning() {
    let (site, _) = built_site();
    std::fs::remove_file(site.path().join("config.toml")).unwrap();
    let out = site.build_ok();
    assert_no_crash(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning:") && err.contains("config.toml") && err.contains("defaults"),
        "{err}"
    );
    assert_eq!(
        texts(&site.html("2023/good/index.html"), "h1"),
        vec!["2023年法治政府建设年度报告"]
    );
}

#[test]
fn folder_without_config_or_content_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("public")).unwrap();
    std::fs::write(dir.path().join("public/index.html"), "old site").unwrap();
    let before = snapshot(&dir.path().join("public"));
    let out = annals(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_no_crash(&out);
    let err = stderr(&out);
    assert!(
        err.contains("config.toml")
            && err.contains("not a site folder")
            && err.contains("annals init"),
        "{err}"
    );
    assert_eq!(snapshot(&dir.path().join("public")), before);
}

#[test]
fn config_with_a_typo_is_an_error_with_did_you_mean() {
    let (site, before) = built_site();
    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_htm = true\n"),
    );
    let line = BASIC_CONFIG.lines().count() + 3;
    fails_with(
        &site,
        &before,
        &[
            &format!("config.toml:{line}"),
            "unknown setting `unsafe_htm`",
            "did you mean `unsafe_html`",
        ],
    );
    site.write("config.toml", &BASIC_CONFIG.replace("title =", "titel ="));
    fails_with(&site, &before, &["config.toml:1", "did you mean `title`"]);
}

#[test]
fn config_that_is_not_toml() {
    let (site, before) = built_site();
    site.write("config.toml", "title = \"站点\nbase_url = 3\n");
    fails_with(&site, &before, &["config.toml:1"]);
}

#[test]
fn hostile_slugs_are_refused_with_the_line() {
    let (site, before) = built_site();
    for slug in ["../../escape", "..", "a/b", ".hidden", "x\\\\y", "/abs"] {
        site.report(
            "2023/evil.md",
            "报告",
            "2024-03-10",
            "甲局",
            &format!("slug: \"{slug}\"\n"),
            "x",
        );
        fails_with(
            &site,
            &before,
            &["evil.md:5", "cannot be used in a web address"],
        );
    }
}

#[test]
fn hostile_aliases_are_refused_with_the_line() {
    let (site, before) = built_site();
    for alias in [
        "../../../tmp/evil.html",
        "/a/../../evil.html",
        "relative.html",
        "/a\\\\..\\\\b",
    ] {
        site.report(
            "2023/evil.md",
            "报告",
            "2024-03-10",
            "甲局",
            &format!("aliases: [\"{alias}\"]\n"),
            "x",
        );
        fails_with(&site, &before, &["evil.md:5", "is not a site path"]);
    }
}

#[test]
fn hostile_links_in_front_matter_are_refused() {
    let (site, before) = built_site();
    for url in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ] {
        site.report(
            "2023/evil.md",
            "报告",
            "2024-03-10",
            "甲局",
            &format!("related:\n  - {{title: 链接, url: \"{url}\"}}\n"),
            "x",
        );
        fails_with(&site, &before, &["evil.md:5", "is not allowed"]);
        site.report(
            "2023/evil.md",
            "报告",
            "2024-03-10",
            "甲局",
            &format!("attachments:\n  - {{title: 链接, url: \"{url}\"}}\n"),
            "x",
        );
        fails_with(&site, &before, &["evil.md:5", "is not allowed"]);
    }
}

#[test]
fn percent_encoded_parent_alias_is_refused() {
    // Web servers decode %2e%2e before looking up files, so it would climb out.
    let site = SiteDir::new();
    site.report("2023/a.md", "甲", "2024-03-10", "甲局", "", "x");
    site.build_ok();
    let before = snapshot(&site.public());
    site.report(
        "2023/c.md",
        "别名",
        "2024-03-10",
        "甲局",
        "aliases: [\"/%2e%2e/%2e%2e/x.html\"]\n",
        "x",
    );
    let out = site.build(&[]);
    assert_no_crash(&out);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("c.md:5") && err.contains("%2e%2e"), "{err}");
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn output_never_leaves_the_output_folder() {
    // Whatever the names, everything written lands inside public/.
    let site = SiteDir::new();
    site.report("2023/a b.md", "空格", "2024-03-10", "甲局", "", "x")
        .report("2023/%2e%2e.md", "编码", "2024-03-10", "甲局", "", "x")
        .report(
            "2023/c.md",
            "别名",
            "2024-03-10",
            "甲局",
            "aliases: [\"//etc/cron.d/evil\"]\n",
            "x",
        );
    site.write("content/2023/..hidden.pdf", "x");
    let parent_before: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let out = site.build(&[]);
    assert_no_crash(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut parent_after: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // annals' own working folder (the build cache) is expected there too.
        .filter(|n| n != "public" && !n.ends_with("annals-lock") && n != ".annals-cache")
        .collect();
    parent_after.sort();
    let mut expected = parent_before;
    expected.sort();
    assert_eq!(parent_after, expected);
    // A space in a file name becomes `-` in the address.
    assert!(site.public().join("2023/a-b/index.html").is_file());
    // `%` cannot stand in an address as it is: the file name is slugged.
    assert!(site.public().join("2023/2e-2e/index.html").is_file());
    assert!(!std::path::Path::new("/etc/cron.d/evil").exists());
}

#[test]
fn config_saved_as_gbk_is_named_and_converted_on_request() {
    let (site, before) = built_site();
    let text = BASIC_CONFIG.replace("测试站点", "青川市人民政府信息公开");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    site.write_bytes("config.toml", &bytes);
    fails_with(
        &site,
        &before,
        &["config.toml:1", "GBK/GB18030", "--convert-encoding"],
    );
    let out = site.build(&["--convert-encoding"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(site.path().join("config.toml")).unwrap(),
        text
    );
    assert!(site.path().join("config.toml.bak").is_file());
    assert!(site.read("index.html").contains("青川市人民政府信息公开"));
}

#[test]
fn output_folder_that_would_replace_the_site_is_refused() {
    let (site, before) = built_site();
    let content_before = snapshot(&site.path().join("content"));
    for output in [".", "content", "content/2023", ".."] {
        let target = site.path().join(output);
        let out = site.build(&["--output", target.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "--output {output}: {err}");
        assert_no_crash(&out);
        assert!(err.contains("would replace the site's own files"), "{err}");
    }
    assert_eq!(snapshot(&site.path().join("content")), content_before);
    assert_eq!(snapshot(&site.public()), before);
    // A folder with someone else's files is not replaced either.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("notes.txt"), "keep me").unwrap();
    let out = site.build(&["--output", elsewhere.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("was not made by annals"),
        "{}",
        stderr(&out)
    );
    assert!(elsewhere.path().join("notes.txt").is_file());
}

#[test]
fn folder_where_a_report_file_is_expected_is_warned_about() {
    let (site, _) = built_site();
    std::fs::create_dir_all(site.path().join("content/2023/folder.md")).unwrap();
    let out = site.build_ok();
    assert_no_crash(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning:")
            && err.contains("content/2023/folder.md")
            && err.contains("folder named like a report"),
        "{err}"
    );
}

#[test]
fn iframe_host_that_is_not_a_host_name() {
    let (site, before) = built_site();
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}\n[markdown]\niframe_hosts = [\"https://player.example.gov.cn/\"]\n"
        ),
    );
    fails_with(&site, &before, &["config.toml", "is not a host name"]);
}

#[test]
fn yaml_alias_bomb_is_stopped() {
    let (site, before) = built_site();
    let mut yaml = String::from(
        "extra:\n  a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    bad_report(
        &site,
        &format!("---\ntitle: 报告\ndate: 2024-03-10\nsource: 甲局\n{yaml}---\n正文\n"),
    );
    let start = std::time::Instant::now();
    fails_with(
        &site,
        &before,
        &["bad.md:", "expands to too much data", "aliases"],
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn theme_filters_survive_any_text_from_a_site_template() {
    let site = SiteDir::new();
    site.report(
        "2023/r.md",
        "甲-乙-报告",
        "2024-03-10",
        "甲局-乙-丙",
        "summary: \"1-2-三四五\"\n",
        "x",
    );
    site.write(
        "templates/report.html",
        "{% extends \"base.html\" %}\n{% block main %}<p id=\"f\">{{ report.title | cn_date }}|{{ report.source | cn_date }}|{{ report.title | digits }}|{{ report.title | human_size }}</p>{% endblock %}\n",
    );
    let out = site.build(&[]);
    assert_no_crash(&out);
    // A filter may reject a value it cannot use, but only with a message naming the template.
    if out.status.success() {
        assert_eq!(texts(&site.html("2023/r/index.html"), "#f").len(), 1);
    } else {
        assert!(
            stderr(&out).contains("templates/report.html"),
            "{}",
            stderr(&out)
        );
    }
}
