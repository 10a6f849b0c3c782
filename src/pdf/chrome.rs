//! Finding a headless Chromium and printing one page with it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// Names tried on PATH, in order.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// One page should print in seconds; a hung browser must not hang the build.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The browser to print with: `explicit` when given, else the first on PATH.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(
                Diagnostic::error(tr("pdf.chrome-not-file", &[("path", &path.display())]))
                    .with_help(tr("pdf.chrome-not-file-help", &[])),
            )
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return Ok(candidate);
            }
        }
    }
    Err(Diagnostic::error(tr("pdf.no-chrome", &[])).with_help(tr("pdf.no-chrome-help", &[])))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Browser profiles are temp folders named with this and the build's process id,
/// so a later build can tell the profiles of a killed build from a running one's.
const PROFILE_PREFIX: &str = "annals-chrome-";

/// Deletes the browser profiles that builds killed while printing left in the
/// temp folder (a process that no longer exists cannot delete its own).
pub fn remove_stale_profiles() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(PROFILE_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !process_exists(pid) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_exists(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Without /proc there is no cheap, safe test; such profiles are left alone.
#[cfg(not(target_os = "linux"))]
fn process_exists(_: u32) -> bool {
    true
}

/// Prints `url` to the PDF file `to` with a fresh browser profile.
pub fn print(chrome: &Path, url: &str, to: &Path) -> Result<(), Diagnostic> {
    let fail = |what: String| {
        Diagnostic::error(tr("pdf.print-failed", &[("url", &url), ("reason", &what)]))
            .in_file(chrome)
            .with_help(tr("pdf.print-failed-help", &[]))
    };
    let profile = tempfile::Builder::new()
        .prefix(&format!("{PROFILE_PREFIX}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| fail(tr("pdf.no-temp-folder", &[("error", &e)])))?;
    // A file, not a pipe: a chatty browser must not block on a full pipe while we wait.
    let log_path = profile.path().join("stderr.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| fail(tr("pdf.no-log-file", &[("error", &e)])))?;
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", to.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| fail(tr("pdf.cannot-start", &[("error", &e)])))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(tr("pdf.timeout", &[("seconds", &TIMEOUT.as_secs())])));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(fail(e.to_string())),
        }
    };
    let stderr = std::fs::read_to_string(&log_path).unwrap_or_default();
    let looks_like_pdf = std::fs::read(to).is_ok_and(|b| b.starts_with(b"%PDF"));
    if !status.success() || !looks_like_pdf {
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(fail(match last {
            Some(said) => tr(
                "pdf.exit-status-said",
                &[("status", &status), ("said", &said)],
            ),
            None => tr("pdf.exit-status", &[("status", &status)]),
        }));
    }
    Ok(())
}
