//! Inputs that are merely huge or deep: they must build, without a stack
//! overflow and with memory in proportion to the input. The build's own peak
//! memory is read from its exit (`wait4`), so tests running beside it in the
//! same test binary do not count.

use crate::common::*;

const CRASH_MARKERS: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack overflow",
    "internal error",
];

/// Runs `command` to its end and returns its output with its own peak resident
/// memory in bytes (`wait4` reports the reaped child's usage alone).
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // the child is reaped by wait4, which std cannot see
fn output_and_peak_rss(command: &mut std::process::Command) -> (std::process::Output, u64) {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run annals");
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).expect("read child output");
            bytes
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().unwrap()));
    let stderr = read_all(Box::new(child.stderr.take().unwrap()));
    let mut status = 0;
    // SAFETY: wait4 only writes into the status and rusage we pass, for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let output = std::process::Output {
        status: std::process::ExitStatus::from_raw(status),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    // Linux reports kilobytes.
    (output, usage.ru_maxrss as u64 * 1024)
}

#[test]
fn fifty_megabyte_report_builds_with_bounded_memory() {
    let site = SiteDir::new();
    let block = "## 一、总体情况\n\n全区共接报生产安全事故9起，**死亡9人**，1人重伤，事故期数同比均下降。[链接](https://www.gov.cn/) `代码`\n\n| 项目 | 数量 |\n|---|---|\n| 申请 | 12 |\n\n";
    let target = 50 * 1024 * 1024;
    let blocks = target / block.len() + 1;
    let mut text = String::with_capacity(target + 200);
    text.push_str("---\ntitle: 超大报告\ndate: 2024-03-10\nsource: 甲局\n---\n\n");
    for _ in 0..blocks {
        text.push_str(block);
    }
    assert!(text.len() >= target);
    site.write("content/big.md", &text);
    drop(text);

    // Past the default 20 MB limit on content files, raised for this test.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_annals"));
    command
        .args(["build", "--root", site.path().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("ANNALS_MAX_FILE_MB", "64");
    #[cfg(unix)]
    let (out, peak) = output_and_peak_rss(&mut command);
    #[cfg(not(unix))]
    let out = command.output().expect("run annals");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for marker in CRASH_MARKERS {
        assert!(!err.contains(marker), "{err}");
    }
    let html = site.read("big/index.html");
    // Every heading and table made it, in order, and nothing was cut off.
    assert_eq!(html.matches("<h2 id=\"一总体情况").count(), blocks);
    assert_eq!(html.matches("<table>").count(), blocks);
    assert!(html.trim_end().ends_with("</html>"));
    #[cfg(unix)]
    {
        // About 19 bytes per input byte today (the Markdown syntax tree dominates);
        // the bound catches anything worse than linear.
        assert!(
            peak < 40 * target as u64,
            "peak memory {} MB for a {} MB file",
            peak >> 20,
            target >> 20
        );
    }
}

#[test]
fn ten_thousand_nested_levels_do_not_overflow_the_stack() {
    const DEPTH: usize = 10_000;
    let mut body = String::new();
    body.push_str(&"> ".repeat(DEPTH));
    body.push_str("引用\n\n");
    // Alternating markers, so the line is not a thematic break.
    body.push_str(&"- * ".repeat(DEPTH / 2));
    body.push_str("列表\n\n");
    for i in 0..DEPTH {
        body.push_str(&" ".repeat(i.min(3)));
        body.push_str("1. ");
    }
    body.push_str("编号\n\n");
    body.push_str(&"*".repeat(DEPTH));
    body.push_str("强调");
    body.push_str(&"*".repeat(DEPTH));
    body.push_str("\n\n");
    body.push_str(&"[".repeat(DEPTH));
    body.push_str("链接");
    body.push_str(&"](/a)".repeat(DEPTH));
    body.push_str("\n\n");
    body.push_str(&"<div>".repeat(DEPTH));
    body.push_str("块级");
    body.push_str(&"</div>".repeat(DEPTH));
    body.push('\n');

    for unsafe_html in [false, true] {
        let site = SiteDir::new();
        site.write(
            "config.toml",
            &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_html = {unsafe_html}\n"),
        );
        site.report("deep.md", "深层嵌套", "2024-03-10", "甲局", "", &body);
        let out = site.build(&[]);
        let err = stderr(&out);
        assert!(out.status.success(), "unsafe_html={unsafe_html}: {err}");
        for marker in CRASH_MARKERS {
            assert!(!err.contains(marker), "{err}");
        }
        let html = site.read("deep/index.html");
        // Raw HTML is sanitized only up to a nesting depth (issue 13); deeper
        // tags are shown as text.
        let levels = if unsafe_html {
            annals::html_nesting::MAX_DEPTH
        } else {
            DEPTH
        };
        assert_eq!(html.matches("<blockquote>").count(), levels);
        assert!(html.contains("列表") && html.contains("编号") && html.contains("块级"));
        // The page still parses and its title is intact.
        let doc = scraper::Html::parse_document(&html);
        assert_eq!(texts(&doc, "h1"), vec!["深层嵌套"]);
    }
}
