//! What import writes must build: the report text goes through the build's
//! own front-matter checks and size limit before it is written, aliases and
//! `--old-url-prefix` follow the rules of site paths, and an input larger
//! than a report may be is refused before it is read whole.

use std::io::Read;
use std::path::Path;

use crate::content::source::{MAX_FILE_ENV, max_file_bytes};
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

use super::Draft;

/// Addresses annals writes itself at the root of every site.
const RESERVED: &[&str] = &[
    "/index.html",
    "/404.html",
    "/atom.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/reports.json",
    "/reports.csv",
];

fn too_large(path: &Path, size: String, limit: u64) -> Diagnostic {
    Diagnostic::error(tr(
        "source.too-large",
        &[("size", &size), ("limit", &(limit / (1024 * 1024)))],
    ))
    .in_file(path)
    .with_help(tr("source.too-large-help", &[("env", &MAX_FILE_ENV)]))
}

/// A text or HTML input, read only up to the size a report may have.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let limit = max_file_bytes();
    let cannot = |e: std::io::Error| {
        Diagnostic::error(tr("import.cannot-read", &[("error", &e)])).in_file(path)
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err(Diagnostic::error(tr("content.not-regular", &[])).in_file(path));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, tr("source.larger", &[]), limit));
    }
    Ok(bytes)
}

/// Refuses a report the build would refuse, with the build's own message.
pub fn passes_build(text: &str, input: &Path) -> Result<(), Diagnostic> {
    let limit = max_file_bytes();
    if text.len() as u64 > limit {
        let size = format!("{:.1} MB", text.len() as f64 / 1048576.0);
        return Err(too_large(input, size, limit));
    }
    crate::content::meta::parse_report(text)
        .map(|_| ())
        .map_err(|d| {
            // The build's message, about the document: the line it quotes is
            // in the report import would have written, not in the input.
            let mut refused =
                Diagnostic::error(tr("import.would-not-build", &[("message", &d.message)]))
                    .in_file(input);
            refused.help = d.help;
            refused
        })
}

/// Why an alias (an old address that redirects here) cannot be used, if it
/// cannot: it must be a site path without `..`, backslashes, hidden or
/// reserved names, control or bidi characters (also percent-encoded).
pub fn alias_problem(alias: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(alias).decode_utf8_lossy();
    let odd = |s: &str| s.chars().any(crate::content::meta::is_hidden_char);
    let key = if !alias.starts_with('/') || alias.starts_with("//") {
        "import.alias-not-path"
    } else if odd(alias) || odd(&decoded) || decoded.contains(['\\', '\u{fffd}']) {
        "import.alias-characters"
    } else if decoded
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
    {
        "import.alias-dots"
    } else if RESERVED.contains(&decoded.as_ref()) || reserved_by_build(alias) {
        "import.alias-reserved"
    } else {
        return None;
    };
    Some(tr(key, &[]))
}

/// The build's own rule for redirect pages: no query, no empty or dot part
/// in the file it becomes, and not under a folder annals writes itself.
fn reserved_by_build(alias: &str) -> bool {
    let output = crate::routes::alias_output_path(alias);
    let top = output.split('/').next().unwrap_or("");
    alias.contains(['?', '#'])
        || output
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty())
        || crate::routes::RESERVED_PATHS.contains(&top)
}

/// Drops an alias the build would refuse, saying so (the report itself is fine).
pub fn keep_valid_aliases(draft: &mut Draft) {
    let mut notes = Vec::new();
    draft.aliases.retain(|alias| match alias_problem(alias) {
        None => true,
        Some(reason) => {
            notes.push(tr(
                "import.note-alias-dropped",
                &[
                    ("alias", &super::terminal::clean(alias)),
                    ("reason", &reason),
                ],
            ));
            false
        }
    });
    draft.notes.extend(notes);
}

/// `--old-url-prefix`: an http(s) address or a site path whose path is a
/// valid alias start.
pub fn check_old_url_prefix(prefix: &str) -> Result<(), Diagnostic> {
    let path = match prefix.split_once("://") {
        Some((scheme, rest)) if scheme == "http" || scheme == "https" => {
            rest.find('/').map_or("/", |i| &rest[i..])
        }
        Some(_) => "",
        None => prefix,
    };
    let problem = if path.is_empty() || prefix.chars().any(char::is_whitespace) {
        Some(tr("import.alias-not-path", &[]))
    } else {
        alias_problem(path)
    };
    match problem {
        None => Ok(()),
        Some(reason) => Err(Diagnostic::error(tr(
            "import.old-url-prefix",
            &[
                ("prefix", &super::terminal::clean(prefix)),
                ("reason", &reason),
            ],
        ))
        .with_help(tr("import.old-url-prefix-help", &[]))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_plain_site_paths() {
        assert_eq!(alias_problem("/zwgk/2023/0310/12345.html"), None);
        assert!(alias_problem("/a/../b").is_some());
        assert!(alias_problem("/.annals-output").is_some());
        assert!(alias_problem("/a\r\nSet-Cookie: x=1").is_some());
        assert!(alias_problem("/a%0d%0aSet-Cookie").is_some());
        assert!(alias_problem("/x\u{202e}lmth.exe").is_some());
        assert!(alias_problem("/index.html").is_some());
        assert!(alias_problem("/search/index.html").is_some());
        assert!(alias_problem("/a//b.html").is_some());
        assert!(alias_problem("zwgk/1.html").is_some());
    }

    #[test]
    fn the_old_url_prefix_is_checked_like_an_alias() {
        assert!(check_old_url_prefix("https://www.example.gov.cn/zwgk/").is_ok());
        assert!(check_old_url_prefix("/zwgk/").is_ok());
        assert!(check_old_url_prefix("https://x.gov.cn/\u{1b}[2J/").is_err());
        assert!(check_old_url_prefix("https://x.gov.cn/.annals-output").is_err());
        assert!(check_old_url_prefix("javascript:alert(1)").is_err());
    }
}
