//! Import: a .docx, saved .html or .txt is imported into a private staging
//! site under `.annals-cache/workbench/imports/`, shown with every guess
//! marked, corrected in a form, and only then created under `content/`
//! (never over an existing report or attachment folder).

use std::path::{Path, PathBuf};

use hyper::StatusCode;
use minijinja::{Value, context};
use serde::Serialize;

use super::edit::{FieldError, categories, unit_names};
use super::forms::{Form, body};
use super::frontmatter::{self, Fields};
use super::security::query_param;
use super::state::Workbench;
use super::state::new_token;
use super::{files, views};
use crate::content::frontmatter::split;
use crate::content::meta::{parse_date, parse_report};
use crate::http_server::{Request, Response};
use crate::i18n::tr;
use crate::import::{ImportOptions, run, statistics::recognise_tables};

const KINDS: &[&str] = &["docx", "html", "htm", "txt"];

/// `GET /_annals/import`
pub fn page(_wb: &Workbench) -> Response {
    views::page(
        "import.html",
        &tr("wb.nav-import", &[]),
        "import",
        context! { max_mb => super::state::MAX_UPLOAD / 1024 / 1024 },
    )
}

fn staging(wb: &Workbench, id: &str) -> Option<PathBuf> {
    let ok = id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit());
    let dir = wb
        .root
        .join(crate::cache_dir::CACHE_DIR)
        .join("workbench/imports")
        .join(id);
    (ok && dir.is_dir() && !crate::site_files::is_link(&dir)).then_some(dir)
}

/// `POST /_annals/import/upload?name=报告.docx`: stages and imports the file;
/// answers with the address of the review form.
pub fn upload(wb: &Workbench, request: &Request) -> Response {
    let refuse =
        |m: String| views::json(StatusCode::BAD_REQUEST, serde_json::json!({ "error": m }));
    let Some(name) = query_param(request, "name").and_then(|n| files::safe_name(&n)) else {
        return refuse(tr("wb.bad-name", &[]));
    };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !KINDS.contains(&ext.as_str()) {
        return refuse(tr("wb.import-kinds", &[]));
    }
    let id = match new_token() {
        Ok(t) => t[..32].to_string(),
        Err(e) => return refuse(e.to_string()),
    };
    let staged = match stage(wb, &id, &name, body(request)) {
        Ok(dir) => dir,
        Err(m) => return refuse(m),
    };
    let options = ImportOptions {
        root: staged.join("site"),
        inputs: vec![staged.join("upload").join(&name)],
        statistics: Some(recognise_tables),
        ..ImportOptions::default()
    };
    match run(&options) {
        Ok(outcome) if !outcome.created.is_empty() => {
            let created = &outcome.created[0];
            let _ = std::fs::write(staged.join("notes.txt"), created.notes.join("\n"));
            let _ = std::fs::write(staged.join("guessed.txt"), created.guessed.join("\n"));
            let review = format!(
                "{}import/review{}",
                super::state::PREFIX,
                views::query(&[("id", &id)])
            );
            views::json(StatusCode::OK, serde_json::json!({ "review": review }))
        }
        Ok(outcome) => {
            let text: Vec<String> = outcome
                .problems
                .sorted()
                .into_iter()
                .map(|d| d.to_string())
                .collect();
            refuse(text.join("\n"))
        }
        Err(d) => refuse(d.to_string()),
    }
}

/// Staged imports older than this were never confirmed; they are removed.
const STAGED_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes staged imports nobody confirmed within [`STAGED_FOR`].
fn forget_old_imports(wb: &Workbench) {
    let imports = wb
        .root
        .join(crate::cache_dir::CACHE_DIR)
        .join("workbench/imports");
    if crate::site_files::is_link(&imports) {
        return;
    }
    for entry in std::fs::read_dir(&imports).into_iter().flatten().flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STAGED_FOR);
        if old && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The staging folder: the upload, and a site with the real config.toml.
fn stage(wb: &Workbench, id: &str, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    forget_old_imports(wb);
    let dir = files::work_dir(&wb.root, "imports", id)?;
    let fail = |e: std::io::Error| {
        tr(
            "wb.cannot-write",
            &[("path", &dir.display()), ("error", &e)],
        )
    };
    std::fs::create_dir_all(dir.join("upload")).map_err(fail)?;
    std::fs::create_dir_all(dir.join("site/content")).map_err(fail)?;
    std::fs::write(dir.join("upload").join(name), bytes).map_err(fail)?;
    let config = wb.root.join(crate::config::CONFIG_FILE);
    if config.is_file() && !crate::site_files::is_link(&config) {
        std::fs::copy(&config, dir.join("site").join(crate::config::CONFIG_FILE)).map_err(fail)?;
    }
    Ok(dir)
}

/// The one report the import made in a staging site.
fn staged_report(dir: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(dir.join("site/content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
}

#[derive(Serialize, Default)]
struct Note {
    text: String,
    guess: bool,
}

/// Whether a note of the importer tells a guess: every guess message starts
/// with the same word (「推断：」, "guessed:"), read from the catalogue.
fn is_guess_note(note: &str) -> bool {
    let marker = "\u{1}";
    let text = tr("import.guess-category", &[("category", &marker)]);
    let prefix = text.split(marker).next().unwrap_or("");
    let word = prefix.split([':', '：']).next().unwrap_or("");
    !word.is_empty() && note.starts_with(word)
}

/// The front-matter keys the importer guessed, as it listed them.
fn guessed_fields(dir: &Path) -> Vec<&'static str> {
    let listed = std::fs::read_to_string(dir.join("guessed.txt")).unwrap_or_default();
    ["title", "date", "source", "category", "year"]
        .into_iter()
        .filter(|key| listed.lines().any(|l| l.trim() == *key))
        .collect()
}

#[derive(Serialize, Default)]
struct Review {
    id: String,
    fields: Fields,
    section: String,
    name: String,
    guesses: Vec<&'static str>,
    notes: Vec<Note>,
    tables: usize,
    attachments: Vec<String>,
    preview: String,
    errors: Vec<FieldError>,
}

/// `GET /_annals/import/review?id=…`
pub fn review(wb: &Workbench, request: &Request) -> Response {
    let id = query_param(request, "id").unwrap_or_default();
    match load_review(wb, &id) {
        Some(view) => show(wb, view, StatusCode::OK),
        None => views::refusal(StatusCode::NOT_FOUND, &tr("wb.import-gone", &[])),
    }
}

fn load_review(wb: &Workbench, id: &str) -> Option<Review> {
    let dir = staging(wb, id)?;
    let report = staged_report(&dir)?;
    let text = std::fs::read_to_string(&report).ok()?;
    let (meta, body, _) = parse_report(&text).ok()?;
    let rel = files::content_rel(&dir.join("site"), &report);
    let (section, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
    let notes_text = std::fs::read_to_string(dir.join("notes.txt")).unwrap_or_default();
    let notes: Vec<Note> = notes_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Note {
            text: l.to_string(),
            guess: is_guess_note(l),
        })
        .collect();
    let guesses = guessed_fields(&dir);
    let folder = report.with_extension("");
    let attachments = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    Some(Review {
        id: id.to_string(),
        fields: Fields {
            title: meta.title.clone(),
            date: meta.date.format("%Y-%m-%d").to_string(),
            source: meta.source.clone(),
            category: meta.category.clone().unwrap_or_default(),
            ..Fields::default()
        },
        section: section.to_string(),
        name: name.trim_end_matches(".md").to_string(),
        guesses,
        notes,
        tables: body.matches("```disclosure-table").count(),
        attachments,
        preview: crate::markdown::render(body, &Default::default()).html,
        errors: Vec::new(),
    })
}

fn show(wb: &Workbench, view: Review, status: StatusCode) -> Response {
    views::page_with_status(
        status,
        "review.html",
        &tr("wb.review-title", &[]),
        "import",
        context! { units => unit_names(wb), categories => categories(), view => Value::from(minijinja::value::Serde(&view)) },
    )
}

/// `POST /_annals/import/create`
pub fn create(wb: &Workbench, request: &Request) -> Response {
    let form = Form::of(request);
    let Some(mut view) = load_review(wb, form.get("id")) else {
        return views::refusal(StatusCode::NOT_FOUND, &tr("wb.import-gone", &[]));
    };
    let old_rel = joined(&view.section, &view.name);
    view.fields = Fields {
        title: form.get("title").into(),
        date: form.get("date").into(),
        source: form.get("source").into(),
        category: form.get("category").into(),
        ..Fields::default()
    };
    view.section = form.get("section").trim_matches('/').into();
    view.name = form.get("name").trim_end_matches(".md").into();
    let errors = &mut view.errors;
    let mut need = |ok: bool, field: &str, key: &str| {
        if !ok {
            errors.push(FieldError {
                field: field.into(),
                message: tr(key, &[]),
            });
        }
    };
    need(!view.fields.title.is_empty(), "title", "wb.need-title");
    need(
        parse_date(&view.fields.date).is_ok(),
        "date",
        "wb.need-date",
    );
    need(!view.fields.source.is_empty(), "source", "wb.need-source");
    let name_ok = files::safe_name(&view.name).is_some_and(|n| n == view.name && !n.contains('.'));
    need(name_ok, "name", "wb.need-name");
    if !view.errors.is_empty() {
        return show(wb, view, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let new_rel = joined(&view.section, &view.name);
    let _writing = wb.writing.lock().unwrap_or_else(|e| e.into_inner());
    match write_report(wb, form.get("id"), &view.fields, &old_rel, &new_rel) {
        Ok(()) => views::redirect(&format!(
            "{}edit{}",
            super::state::PREFIX,
            views::query(&[("file", &format!("{new_rel}.md")), ("saved", "1")])
        )),
        Err((field, message)) => {
            view.errors.push(FieldError { field, message });
            show(wb, view, StatusCode::CONFLICT)
        }
    }
}

/// `section/name`, or `name` in the top folder.
fn joined(section: &str, name: &str) -> String {
    if section.is_empty() {
        name.to_string()
    } else {
        format!("{section}/{name}")
    }
}

/// Creates `content/<new_rel>.md` and its attachment folder from the staged
/// report; an existing file or folder is an error, nothing is overwritten.
fn write_report(
    wb: &Workbench,
    id: &str,
    fields: &Fields,
    old_rel: &str,
    new_rel: &str,
) -> Result<(), (String, String)> {
    let at_name = |m: String| ("name".to_string(), m);
    let dir = staging(wb, id).ok_or_else(|| at_name(tr("wb.import-gone", &[])))?;
    let staged = dir.join("site/content").join(format!("{old_rel}.md"));
    let text = std::fs::read_to_string(&staged).map_err(|e| at_name(e.to_string()))?;
    let parts = split(&text).map_err(|d| at_name(d.to_string()))?;
    let body = parts
        .body
        .replace(&format!("/{old_rel}/"), &format!("/{new_rel}/"));
    let mut fields = fields.clone();
    if let Ok((meta, _, _)) = parse_report(&text) {
        fields.tags = meta.tags;
        fields.attachments = meta
            .attachments
            .iter()
            .map(|a| {
                (
                    a.title.clone(),
                    a.file.clone().or(a.url.clone()).unwrap_or_default(),
                )
            })
            .collect();
    }
    let new_text = frontmatter::apply(parts.yaml, &fields, None, &body);
    parse_report(&new_text).map_err(|d| ("title".to_string(), d.to_string()))?;
    let target =
        files::under_content(&wb.root, &format!("{new_rel}.md"), ".md").map_err(at_name)?;
    let folder = target.with_extension("");
    let staged_folder = staged.with_extension("");
    let has_files = staged_folder.is_dir();
    if target.exists() || (has_files && folder.exists()) {
        return Err(at_name(tr(
            "wb.exists",
            &[("path", &format!("content/{new_rel}"))],
        )));
    }
    files::create_new(&target, new_text.as_bytes()).map_err(at_name)?;
    if has_files {
        for entry in std::fs::read_dir(&staged_folder)
            .into_iter()
            .flatten()
            .flatten()
        {
            let bytes = std::fs::read(entry.path()).map_err(|e| at_name(e.to_string()))?;
            files::create_new(&folder.join(entry.file_name()), &bytes).map_err(at_name)?;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
