//! Filesystem and data safety (issue 13, part A): nothing from outside the site
//! folder is published, nothing is written or deleted through a link, drafts and
//! stray files stay private, and killed or blocked builds leave nothing behind.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::*;

/// A site with one published report.
fn site_with_report() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年甲报告",
        "2024-01-05",
        "甲局",
        "",
        "正文甲",
    );
    site
}

/// Files outside the site folder, with contents that must never be published.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    std::fs::create_dir_all(dir.path().join("folder")).unwrap();
    std::fs::write(dir.path().join("folder/notes.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    dir
}

fn assert_refused(out: &std::process::Output, words: &[&str]) {
    let err = stderr(out);
    assert!(!out.status.success(), "the build succeeded:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "`{w}` missing from:\n{err}");
    }
}

#[test]
fn links_in_static_to_files_outside_the_site_are_refused() {
    let away = outside();
    let cases: Vec<(&str, PathBuf)> = vec![
        ("static/pw.txt", away.path().join("secret.txt")),
        ("static/home", away.path().join("folder")),
        ("static/env.txt", PathBuf::from("/proc/self/environ")),
    ];
    for (link, target) in cases {
        let site = site_with_report();
        std::fs::create_dir_all(site.path().join("static")).unwrap();
        symlink(&target, site.path().join(link)).unwrap();
        let out = site.build(&[]);
        assert_refused(&out, &[link, "outside the site folder"]);
        assert!(
            files_containing(site.path(), "TOP-SECRET-OUTSIDE").is_empty(),
            "{link} was published"
        );
        assert!(!site.public().exists(), "{link}: something was published");
        // A link that stays inside the site folder is fine.
        std::fs::remove_file(site.path().join(link)).unwrap();
        site.write("shared/logo.txt", "inside");
        symlink(site.path().join("shared/logo.txt"), site.path().join(link)).unwrap();
        site.build_ok();
        // The site's static/ lands at the output root.
        assert_eq!(site.read(link.trim_start_matches("static/")), "inside");
    }
}

#[test]
fn links_in_templates_to_files_outside_the_site_are_refused() {
    let away = outside();
    let site = site_with_report();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    symlink(
        away.path().join("secret.txt"),
        site.path().join("templates/extra.html"),
    )
    .unwrap();
    let out = site.build(&[]);
    assert_refused(
        &out,
        &[
            "templates/extra.html",
            "secret.txt",
            "outside the site folder",
        ],
    );
}

#[test]
fn a_theme_is_a_name_under_themes_never_a_path() {
    let away = outside();
    // A theme folder elsewhere on the machine, whose static file would be published.
    let theme = away.path().join("evil-theme");
    std::fs::create_dir_all(theme.join("static")).unwrap();
    std::fs::write(theme.join("static/leak.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    let site = site_with_report();
    // Both temp dirs are in the same folder: `themes/../../<away>/evil-theme`.
    let relative = format!(
        "../../{}/evil-theme",
        away.path().file_name().unwrap().to_string_lossy()
    );
    for name in [theme.to_str().unwrap().to_string(), relative] {
        site.write(
            "config.toml",
            &format!("theme = {}\n{BASIC_CONFIG}", toml_string(&name)),
        );
        let out = site.build(&[]);
        assert_refused(&out, &["config.toml", "is not a theme name", "themes/"]);
        assert!(files_containing(site.path(), "TOP-SECRET-OUTSIDE").is_empty());
    }
    // A theme folder that is a link to somewhere else is refused as well.
    std::fs::create_dir_all(site.path().join("themes")).unwrap();
    symlink(&theme, site.path().join("themes/linked")).unwrap();
    site.write(
        "config.toml",
        &format!("theme = \"linked\"\n{BASIC_CONFIG}"),
    );
    let out = site.build(&[]);
    assert_refused(&out, &["themes/linked", "outside the site folder"]);
    assert!(files_containing(site.path(), "TOP-SECRET-OUTSIDE").is_empty());
}

fn toml_string(s: &str) -> String {
    toml::Value::from(s).to_string()
}

#[test]
fn a_symlinked_output_folder_is_built_through_and_its_target_kept() {
    let deploy = tempfile::tempdir().unwrap();
    let target = deploy.path().join("www");
    let site = site_with_report();
    // The target was made by an earlier annals build.
    let first = site.build(&["--output", target.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    symlink(&target, site.public()).unwrap();
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "",
        "正文乙",
    );
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(site.public()).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(site.public()).unwrap(), target);
    // The new site is in the target, complete.
    for page in ["index.html", "2023/a/index.html", "2023/b/index.html"] {
        assert!(target.join(page).is_file(), "{page} missing in the target");
    }
    let leftovers: Vec<String> = std::fs::read_dir(deploy.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_drafts_attachments_are_not_published() {
    let site = SiteDir::new();
    site.report(
        "2023/pub.md",
        "2023年公开报告",
        "2024-01-05",
        "甲局",
        "attachments:\n  - {title: 共用表, file: shared.pdf}\n",
        "正文",
    )
    .write("content/2023/shared.pdf", "%PDF shared")
    .write("content/2023/internal.pdf", "%PDF internal")
    .write("content/2023/secret/plan.pdf", "%PDF plan")
    .write("content/2023/secret/chart.png", "png");
    // The draft names the shared file too: it is still published for the report.
    site.write(
        "content/2023/secret.md",
        "---\ntitle: 2023年草稿\ndate: 2024-01-06\nsource: 乙局\ndraft: true\nattachments:\n  - {title: 内部表, file: internal.pdf}\n  - {title: 附件, file: plan.pdf}\n  - {title: 共用, file: shared.pdf}\n---\n\n草稿正文 ![图](chart.png)\n",
    );
    site.build_ok();
    assert!(site.public().join("2023/shared.pdf").is_file());
    for private in [
        "2023/internal.pdf",
        "2023/secret/plan.pdf",
        "2023/secret/chart.png",
        "2023/secret/index.html",
    ] {
        assert!(
            !site.public().join(private).exists(),
            "{private} of a draft was published"
        );
    }
    assert!(files_containing(&site.public(), "%PDF internal").is_empty());
    assert!(files_containing(&site.public(), "%PDF plan").is_empty());
    // With --drafts they are.
    let out = site.build(&["--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.public().join("2023/secret/plan.pdf").is_file());
    assert!(site.public().join("2023/secret/chart.png").is_file());
    assert!(site.public().join("2023/internal.pdf").is_file());
}

#[test]
fn stray_files_in_content_are_not_published_and_check_lists_them() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年甲报告",
        "2024-01-05",
        "甲局",
        "attachments:\n  - {title: 统计表, file: table.pdf}\n",
        "正文 ![图表](chart.png) 见[说明](/2023/a/note.txt)。",
    )
    .write("content/2023/a/table.pdf", "%PDF table")
    .write("content/2023/a/chart.png", "png")
    .write("content/2023/a/note.txt", "note")
    .write("content/2023/internal-notes.docx", "STRAY-DOCX")
    .write("content/2023/Thumbs.db", "STRAY-THUMBS")
    .write("content/2023/a/~$report.docx", "STRAY-OWNER-FILE");
    site.build_ok();
    for linked in ["2023/a/table.pdf", "2023/a/chart.png", "2023/a/note.txt"] {
        assert!(site.public().join(linked).is_file(), "{linked} missing");
    }
    for stray in ["STRAY-DOCX", "STRAY-THUMBS", "STRAY-OWNER-FILE"] {
        assert!(
            files_containing(&site.public(), stray).is_empty(),
            "{stray} was published"
        );
    }
    let out = site.check(&[]);
    let err = format!("{}{}", stderr(&out), stdout(&out));
    for name in ["internal-notes.docx", "Thumbs.db", "~$report.docx"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("not published")),
            "{name} not listed:\n{err}"
        );
    }
    assert!(
        !err.lines()
            .any(|l| l.contains("table.pdf") && l.contains("not published")),
        "{err}"
    );
}

#[test]
fn a_static_file_that_takes_a_generated_address_is_an_error_naming_both() {
    for (file, address) in [
        ("static/index.html", "/"),
        ("static/atom.xml", "/atom.xml"),
        ("static/reports.json", "/reports.json"),
        ("static/2023/a/index.html", "/2023/a/"),
        ("static/old/page.html", "/old/page.html"),
    ] {
        let site = SiteDir::new();
        site.report(
            "2023/a.md",
            "2023年甲报告",
            "2024-01-05",
            "甲局",
            "aliases: [/old/page.html]\n",
            "正文",
        )
        .write(file, "STATIC-COPY");
        let out = site.build(&[]);
        assert_refused(&out, &[file, "a page annals makes", address]);
        assert!(!site.public().exists());
    }
    // The same file in content/ next to a static one.
    let site = site_with_report();
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "",
        "见[表](/2023/t.pdf)",
    )
    .write("content/2023/t.pdf", "a")
    .write("static/2023/t.pdf", "b");
    let out = site.build(&[]);
    assert_refused(
        &out,
        &["content/2023/t.pdf", "static/2023/t.pdf", "/2023/t.pdf"],
    );
}

#[test]
fn a_symlinked_cache_folder_is_refused_by_pdf_builds_and_serve() {
    let away = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(away.path().join("pdf/2023/a/print")).unwrap();
    std::fs::write(away.path().join("keep.txt"), "mine").unwrap();
    let tools = tempfile::tempdir().unwrap();
    let chrome = fake_chrome(tools.path());
    let site = site_with_report();
    symlink(away.path(), site.path().join(".annals-cache")).unwrap();
    let before = snapshot(away.path());
    let out = site.build(&["--pdf", "--chrome", chrome.to_str().unwrap()]);
    assert_refused(&out, &[".annals-cache", "symbolic link"]);
    assert_eq!(snapshot(away.path()), before, "written through the link");
    assert!(!away.path().join("pdf.json").exists());
    let root = site.path().to_str().unwrap();
    let out = run_with_limit(
        &["serve", "--root", root, "--port", "0"],
        &[],
        Duration::from_secs(30),
    );
    assert_refused(&out, &[".annals-cache", "symbolic link"]);
    assert_eq!(
        snapshot(away.path()),
        before,
        "serve wrote through the link"
    );
    assert!(!away.path().join("serve").exists());
}

#[test]
fn a_pdf_build_cleans_what_a_killed_one_left() {
    let tools = tempfile::tempdir().unwrap();
    let chrome = fake_chrome(tools.path());
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with_report();
    // What `kill -9` during `build --pdf` leaves: temp PDFs in the cache, browser
    // profiles of a process that is gone in the temp folder.
    let stale_pdfs = [
        site.path()
            .join(".annals-cache/pdf/2023/a/print/.tmpAbC123.pdf"),
        site.path()
            .join(".annals-cache/pdf/2023/a/print/.annals-tmp-XyZ.pdf"),
    ];
    for p in &stale_pdfs {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "%PDF half").unwrap();
    }
    let mut gone = Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    let stale_profile = tmp.path().join(format!("annals-chrome-{dead_pid}-k9"));
    std::fs::create_dir_all(stale_profile.join("profile/Default")).unwrap();
    // A profile of a build that still runs (this test) is left alone.
    let live_profile = tmp
        .path()
        .join(format!("annals-chrome-{}-live", std::process::id()));
    std::fs::create_dir_all(&live_profile).unwrap();
    let root = site.path().to_str().unwrap();
    let out = run_with_limit(
        &[
            "build",
            "--root",
            root,
            "--pdf",
            "--chrome",
            chrome.to_str().unwrap(),
        ],
        &[("TMPDIR", tmp.path())],
        Duration::from_secs(120),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for p in &stale_pdfs {
        assert!(!p.exists(), "{} left behind", p.display());
    }
    assert!(!stale_profile.exists(), "stale browser profile left behind");
    assert!(
        live_profile.exists(),
        "a running build's profile was deleted"
    );
    assert!(site.public().join("2023/a/print/a.pdf").is_file());
    // The build's own profiles are gone too.
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("annals-chrome-") && !n.ends_with("-live"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_config_that_is_a_fifo_is_an_error_not_a_hang() {
    let site = site_with_report();
    let config = site.path().join("config.toml");
    std::fs::remove_file(&config).unwrap();
    let c_path = std::ffi::CString::new(config.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let root = site.path().to_str().unwrap();
    let out = run_with_limit(&["build", "--root", root], &[], Duration::from_secs(30));
    assert_refused(&out, &["config.toml", "not a regular file"]);
    assert!(!site.public().exists());
    let staging: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("annals-staging"))
        .collect();
    assert!(staging.is_empty());
}

/// Makes `path` undeletable (immutable, or as a normal user a read-only folder)
/// and undoes it when dropped, so the temp dir can be removed.
struct Undeletable {
    path: PathBuf,
    immutable: bool,
}

impl Undeletable {
    fn new(file: &Path) -> Option<Undeletable> {
        let chattr = Command::new("chattr").arg("+i").arg(file).output();
        if chattr.is_ok_and(|o| o.status.success()) {
            return Some(Undeletable {
                path: file.to_path_buf(),
                immutable: true,
            });
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } == 0 {
            return None;
        }
        use std::os::unix::fs::PermissionsExt;
        let dir = file.parent().unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        Some(Undeletable {
            path: dir.to_path_buf(),
            immutable: false,
        })
    }
}

impl Drop for Undeletable {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn an_undeletable_file_in_the_old_output_is_an_error_and_leaves_nothing_behind() {
    let site = site_with_report();
    site.build_ok();
    let page = site.public().join("2023/a/index.html");
    let Some(_lock) = Undeletable::new(&page) else {
        eprintln!("skipped: root without chattr support here cannot make a file undeletable");
        return;
    };
    let before = snapshot(&site.public());
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "",
        "正文乙",
    );
    let out = site.build(&[]);
    assert_refused(&out, &["2023/a", "cannot be replaced"]);
    assert_eq!(
        snapshot(&site.public()),
        before,
        "the previous site changed"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn lock_and_cache_files_that_are_links_are_not_written_through() {
    let away = tempfile::tempdir().unwrap();
    let tools = tempfile::tempdir().unwrap();
    let chrome = fake_chrome(tools.path());
    let site = site_with_report();
    std::fs::create_dir_all(site.path().join(".annals-cache")).unwrap();
    let links = [
        (".public.annals-lock", "from-build-lock"),
        (".annals-cache/pdf.lock", "from-pdf-lock"),
        (".annals-cache/.gitignore", "from-gitignore"),
    ];
    for (link, target) in links {
        symlink(away.path().join(target), site.path().join(link)).unwrap();
    }
    let out = site.build(&["--pdf", "--chrome", chrome.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let created: Vec<_> = std::fs::read_dir(away.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(created.is_empty(), "created through links: {created:?}");
}
