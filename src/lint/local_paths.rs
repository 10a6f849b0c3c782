//! Images and links that point at a file on the editor's own computer
//! (`C:\Users\…\图.png`, `file:///C:/…`, `\\server\share\…`), as Word and
//! Markdown editors write them when a picture is dragged in. No reader can
//! open them and the page would show an empty image, so each is an error in
//! `build` and `check` naming the place and what to write instead.

use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::{Report, Site};

/// Addresses of Markdown links and images (`](…)`, `]: …` definitions),
/// autolinks (`<file:…>`) and raw HTML `src`/`href`.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(!?)\[[^\]\n]*\]\(\s*<?([^)>\n]+)|^\s*\[[^\]]+\]:\s*<?(\S+)|<(file:[^>\s]+)>|(?:src|href)\s*=\s*["']([^"']+)"#,
    )
    .expect("constant pattern")
});

/// Every address of every report that names a file on a computer.
pub fn errors(site: &Site) -> Vec<Diagnostic> {
    site.reports.par_iter().flat_map_iter(in_report).collect()
}

fn in_report(report: &Report) -> Vec<Diagnostic> {
    let body = &report.body;
    if !may_name_a_computer_path(body) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut fenced = false;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let code = crate::markdown::spaced_links::code_spans(line);
        for c in ADDRESS.captures_iter(line) {
            let Some(m) = [2, 3, 4, 5].iter().find_map(|&g| c.get(g)) else {
                continue;
            };
            if code.iter().any(|r| r.contains(&m.start())) {
                continue;
            }
            let address = m.as_str().trim();
            if !is_on_a_computer(address) {
                continue;
            }
            let image = c.get(1).is_some_and(|b| b.as_str() == "!")
                || line[..m.start()].to_ascii_lowercase().ends_with("src=\"");
            let column = line[..m.start()].chars().count() + 1;
            out.push(diagnostic(report, address, image, i, column));
        }
    }
    out
}

fn diagnostic(
    report: &Report,
    address: &str,
    image: bool,
    line: usize,
    column: usize,
) -> Diagnostic {
    let what = tr(
        if image {
            "links.what-image"
        } else {
            "links.what-link"
        },
        &[],
    );
    let name = file_name(address);
    let folder = report
        .file
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    Diagnostic::error(tr(
        "links.local-path",
        &[("what", &what), ("url", &address)],
    ))
    .in_file(&report.file)
    .at(report.body_line + line, column)
    .with_help(tr(
        "links.local-path-help",
        &[("name", &name), ("folder", &folder)],
    ))
}

/// Whether `body` holds anything [`is_on_a_computer`] could match: a lone
/// letter before `:\` or `:/` (not `https://`), `\\` or `file:`. Most bodies
/// hold none, and are then not read line by line.
fn may_name_a_computer_path(body: &str) -> bool {
    let bytes = body.as_bytes();
    let drive = memchr::memchr_iter(b':', bytes).any(|at| {
        let slash = bytes.get(at + 1).is_some_and(|b| matches!(b, b'\\' | b'/'));
        let letter = at >= 1 && bytes[at - 1].is_ascii_alphabetic();
        let alone = at < 2 || !bytes[at - 2].is_ascii_alphanumeric();
        let file = at >= 4 && bytes[at - 4..at].eq_ignore_ascii_case(b"file");
        (slash && letter && alone) || file
    });
    drive || memchr::memmem::find(bytes, b"\\\\").is_some()
}

/// A drive path (`C:\…`, `d:/…`), a network share (`\\server\…`) or a `file:` address.
pub fn is_on_a_computer(address: &str) -> bool {
    let a = address.trim();
    let bytes = a.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    drive || a.starts_with("\\\\") || a.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("file:"))
}

/// The last part of a path written with either kind of slash, percent-escapes decoded.
fn file_name(address: &str) -> String {
    let last = address
        .rsplit(['/', '\\'])
        .find(|p| !p.is_empty())
        .unwrap_or(address);
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computer_paths_are_told_from_site_paths() {
        for a in [
            r"C:\Users\张三\Desktop\图.png",
            "d:/图片/a.png",
            "file:///C:/Users/a.png",
            "FILE://server/x.png",
            r"\\server\share\a.png",
        ] {
            assert!(is_on_a_computer(a), "{a}");
        }
        for a in [
            "图.png",
            "/2023/a.png",
            "https://www.gov.cn/a.png",
            "mailto:a@b.cn",
        ] {
            assert!(!is_on_a_computer(a), "{a}");
        }
        assert_eq!(file_name(r"C:\Users\张三\图%201.png"), "图 1.png");
    }

    #[test]
    fn bodies_without_a_computer_path_are_passed_over() {
        for body in [
            "见[通知](https://www.gov.cn/a.html)。",
            "时间 10:30，比例 3:1。",
            "<http://example.cn/>",
        ] {
            assert!(!may_name_a_computer_path(body), "{body}");
        }
        for body in [
            r"![图](C:\Users\a.png)",
            "![图](d:/图片/a.png)",
            "<FILE:///x.png>",
            r"[a](\\server\share\a.png)",
            "C:/a.png",
        ] {
            assert!(may_name_a_computer_path(body), "{body}");
        }
    }
}
