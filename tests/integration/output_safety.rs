//! Nothing published is ever lost: a build killed half-way leaves the previous
//! `public/` as it was, and two builds of one site never write at the same time.
#![cfg(unix)]

use crate::common::*;

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A site big enough that writing it takes a noticeable moment.
fn big_site(reports: usize) -> SiteDir {
    let site = SiteDir::new();
    let body = format!(
        "## 一、总体情况\n\n{}\n",
        "全区共接报生产安全事故9起。".repeat(100)
    );
    for i in 0..reports {
        site.report(
            &format!("{}/r{i}.md", 2000 + i % 20),
            &format!("{}年报告{i}", 2000 + i % 20),
            "2024-03-10",
            &format!("单位{}", i % 40),
            &format!("tags: [标签{}]\n", i % 30),
            &body,
        );
    }
    site
}

fn spawn_build(site: &SiteDir) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
    // A shell without job control starts background jobs with SIGINT ignored,
    // and children inherit that: give the build the defaults a terminal gives.
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    command
        .args(["build", "--root", site.path().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start annals")
}

/// The build's staging folder beside `public/`, once it has started writing pages.
fn staging_has_files(site: &Path) -> bool {
    std::fs::read_dir(site)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .any(|e| {
            std::fs::read_dir(e.path())
                .map(|mut d| d.next().is_some())
                .unwrap_or(false)
        })
}

/// Waits until the child is writing pages; fails if it finished before that.
fn wait_until_writing(child: &mut Child, site: &Path) {
    let start = Instant::now();
    while !staging_has_files(site) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the build ended ({status}) before it could be interrupted; make the site bigger"
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn leftovers(site: &Path) -> Vec<String> {
    std::fs::read_dir(site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.ends_with(".annals-old"))
        .collect()
}

#[test]
fn interrupted_build_leaves_the_previous_site_and_the_next_build_succeeds() {
    let site = big_site(1500);
    site.build_ok();
    let before = snapshot(&site.public());
    // The next build would change every page, so a partial swap could not hide.
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace("测试站点", "改名后的站点"),
    );
    for signal in [libc::SIGKILL, libc::SIGINT, libc::SIGTERM] {
        let mut child = spawn_build(&site);
        wait_until_writing(&mut child, site.path());
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
        let status = child.wait().unwrap();
        assert_eq!(
            status.signal(),
            Some(signal),
            "the build was not stopped by signal {signal}: {status}"
        );
        assert!(
            snapshot(&site.public()) == before,
            "public/ changed after the build was stopped by signal {signal}"
        );
    }
    let out = site.build_ok();
    assert!(!stderr(&out).contains("error"), "{}", stderr(&out));
    assert!(site.read("index.html").contains("改名后的站点"));
    assert!(
        leftovers(site.path()).is_empty(),
        "{:?}",
        leftovers(site.path())
    );
}

#[test]
fn a_second_build_of_the_same_site_is_refused_while_one_runs() {
    let site = big_site(1500);
    site.build_ok();
    let before = snapshot(&site.public());
    site.write(
        "config.toml",
        &BASIC_CONFIG.replace("测试站点", "第二版站点"),
    );
    let mut first = spawn_build(&site);
    wait_until_writing(&mut first, site.path());
    let second = site.build(&[]);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another build of this site is running"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let status = first.wait().unwrap();
    assert!(status.success(), "the first build failed: {status}");
    assert!(site.read("index.html").contains("第二版站点"));
    assert_eq!(
        snapshot(&site.public()).len(),
        before.len(),
        "the finished site has a different set of files"
    );
    site.build_ok();
}

#[test]
fn builds_into_another_output_folder_do_not_block_each_other() {
    let site = big_site(300);
    let other = tempfile::tempdir().unwrap();
    let mut first = spawn_build(&site);
    let second = site.build(&["--output", other.path().join("out").to_str().unwrap()]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(first.wait().unwrap().success());
    assert_eq!(
        snapshot(&site.public()),
        snapshot(&other.path().join("out"))
    );
}
