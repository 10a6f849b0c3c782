//! Where an imported report goes, and the rules that keep every write inside
//! the site's `content/` folder: `--section` is a relative path of plain folder
//! names, no symbolic link is followed on the way (a site repository can
//! commit one), and an existing report or attachment folder is never reused.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// Checks `--section`: folder names under `content/`, never `..`, absolute,
/// hidden or holding control or bidi characters.
pub fn check_section(section: &Path) -> Result<(), Diagnostic> {
    let bad = |reason: String| {
        Diagnostic::error(tr(
            "import.section-invalid",
            &[
                (
                    "section",
                    &super::terminal::clean(&section.to_string_lossy()),
                ),
                ("reason", &reason),
            ],
        ))
        .with_help(tr("import.section-invalid-help", &[]))
    };
    if section.as_os_str().is_empty() {
        return Err(bad(tr("import.section-empty", &[])));
    }
    let top = section
        .components()
        .find(|c| matches!(c, Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    if top.is_some_and(|t| crate::routes::RESERVED_PATHS.contains(&t.as_str())) {
        return Err(bad(tr("import.section-reserved", &[])));
    }
    for c in section.components() {
        match c {
            Component::Normal(name) => {
                let name = name.to_string_lossy();
                let odd = name
                    .chars()
                    .any(|c| crate::content::meta::is_hidden_char(c) || c == '\\');
                if name.starts_with('.') || odd {
                    return Err(bad(tr("import.section-name", &[])));
                }
            }
            Component::CurDir => {}
            _ => return Err(bad(tr("import.section-outside", &[]))),
        }
    }
    Ok(())
}

/// The first symbolic link on the way from the site folder to `path`
/// (`content/` itself included); writes never go through one.
pub fn refuse_links(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    match crate::site_files::first_link_below(root, path) {
        None => Ok(()),
        Some(link) => {
            let target = std::fs::read_link(&link)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            Err(Diagnostic::error(tr(
                "import.link-on-the-way",
                &[("target", &super::terminal::clean(&target))],
            ))
            .in_file(&link)
            .with_help(tr("import.link-on-the-way-help", &[])))
        }
    }
}

/// What to do with a document whose report would be `wanted`.
pub enum Place {
    /// Write the report here (its attachment folder is this path without `.md`).
    At(PathBuf),
    /// The report exists already: the document was imported before.
    Exists(PathBuf),
}

/// The report's path: `wanted`, or `name-2.md`, `name-3.md`, … when an
/// attachment folder of that name is left over (from a deleted report) or
/// another document of this run took the name. A report that exists is never
/// touched.
pub fn place(wanted: &Path, planned: &[PathBuf]) -> Place {
    if wanted.exists() {
        return Place::Exists(wanted.to_path_buf());
    }
    let stem = wanted
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut candidate = wanted.to_path_buf();
    let mut n = 2;
    while taken(&candidate, planned) {
        candidate = wanted.with_file_name(format!("{stem}-{n}.md"));
        n += 1;
    }
    Place::At(candidate)
}

fn taken(report: &Path, planned: &[PathBuf]) -> bool {
    let folder = report.with_extension("");
    planned.iter().any(|p| p == report)
        || std::fs::symlink_metadata(report).is_ok()
        || std::fs::symlink_metadata(&folder).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_folder_names_under_content() {
        assert!(check_section(Path::new("xxgk")).is_ok());
        assert!(check_section(Path::new("xxgk/2023")).is_ok());
        assert!(check_section(Path::new("../../x")).is_err());
        assert!(check_section(Path::new("/abs")).is_err());
        assert!(check_section(Path::new("a/../../b")).is_err());
        assert!(check_section(Path::new(".annals-cache")).is_err());
        assert!(check_section(Path::new("static")).is_err());
        assert!(check_section(Path::new("a\u{1b}[2J")).is_err());
    }

    #[test]
    fn a_left_over_folder_is_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("r")).unwrap();
        let Place::At(p) = place(&dir.path().join("r.md"), &[]) else {
            panic!("a free name was expected");
        };
        assert_eq!(p, dir.path().join("r-2.md"));
    }
}
