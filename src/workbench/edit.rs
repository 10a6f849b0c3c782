//! Edit: a report's front matter as a form, its statistics as the official
//! tables, its body as text with a live preview; saving writes the same
//! Markdown an editor would, after a backup, unless another tab saved first.

use hyper::StatusCode;
use minijinja::{Value, context};
use serde::Serialize;

use super::files::{self, Saved};
use super::forms::{Form, body};
use super::frontmatter::{self, Fields};
use super::security::query_param;
use super::state::Workbench;
use super::{stats, views};
use crate::config::Config;
use crate::content::frontmatter::split;
use crate::content::meta::{parse_date, parse_report};
use crate::http_server::{self, Request, Response};
use crate::i18n::tr;

/// A problem with one field, for the error summary and the field itself.
#[derive(Serialize, Clone)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Everything the edit form shows.
#[derive(Serialize, Default)]
struct EditView {
    file: String,
    version: String,
    fields: Fields,
    tags: String,
    body: String,
    stats_editable: bool,
    /// Statistics the form cannot show (in the body, or written another way).
    stats_elsewhere: bool,
    /// The file does not parse: the whole of it is edited as text.
    raw: bool,
    errors: Vec<FieldError>,
    notice: String,
    page_url: String,
}

/// Units from `[units]` in config.toml, for the 来源 list.
pub fn unit_names(wb: &Workbench) -> Vec<String> {
    Config::load(&wb.root)
        .map(|(c, _)| c.units.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn categories() -> Vec<String> {
    vec![
        "法治政府建设年度报告".into(),
        "政府信息公开工作年度报告".into(),
    ]
}

fn render(
    wb: &Workbench,
    view: EditView,
    tables: Vec<stats::TableView>,
    status: StatusCode,
) -> Response {
    let title = tr("wb.edit-title", &[("file", &view.file)]);
    let tables = if view.stats_editable {
        tables
    } else {
        Vec::new()
    };
    views::page_with_status(
        status,
        "edit.html",
        &title,
        "-",
        context! {
            units => unit_names(wb),
            categories => categories(),
            tables => Value::from(minijinja::value::Serde(&tables)),
            view => Value::from(minijinja::value::Serde(&view)),
        },
    )
}

/// `GET /_annals/edit?file=2023/report.md`
pub fn page(wb: &Workbench, request: &Request) -> Response {
    let rel = query_param(request, "file").unwrap_or_default();
    let path = match files::under_content(&wb.root, &rel, ".md") {
        Ok(p) => p,
        Err(message) => return views::refusal(StatusCode::BAD_REQUEST, &message),
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return views::refusal(
            StatusCode::NOT_FOUND,
            &tr("wb.no-such-report", &[("file", &rel)]),
        );
    };
    let mut view = EditView {
        file: rel.clone(),
        version: files::version(Some(text.as_bytes())),
        ..EditView::default()
    };
    if query_param(request, "saved").is_some() {
        view.notice = tr("wb.saved", &[("file", &rel)]);
    }
    let mut tables = Vec::new();
    match parse_report(&text) {
        Ok((meta, body, _)) => {
            view.fields = Fields {
                title: meta.title.clone(),
                date: meta.date.format("%Y-%m-%d").to_string(),
                source: meta.source.clone(),
                category: meta.category.clone().unwrap_or_default(),
                tags: meta.tags.clone(),
                draft: meta.draft,
                attachments: meta
                    .attachments
                    .iter()
                    .map(|a| {
                        (
                            a.title.clone(),
                            a.file.clone().or(a.url.clone()).unwrap_or_default(),
                        )
                    })
                    .collect(),
            };
            view.tags = meta.tags.join("、");
            view.body = body.to_string();
            // The tables belong to 政府信息公开工作年度报告 (or a report that has them).
            let disclosure = meta.disclosure_stats.is_some()
                || format!("{}{}", meta.title, view.fields.category).contains("政府信息公开");
            let editable = stats::editable(meta.disclosure_stats.as_ref(), body);
            view.stats_editable = disclosure && editable;
            view.stats_elsewhere = disclosure && !editable;
            tables = stats::views(&meta.disclosure_stats.clone().unwrap_or_default(), None);
        }
        Err(d) => {
            // The form cannot show what does not parse: the whole file as text.
            view.body = text;
            view.raw = true;
            view.errors.push(FieldError {
                field: "body".into(),
                message: d.to_string(),
            });
        }
    }
    render(wb, view, tables, StatusCode::OK)
}

/// The form's fields, with what is wrong with them.
fn read_fields(form: &Form) -> (Fields, Vec<FieldError>) {
    let titles = form.all("att_title");
    let targets = form.all("att_file");
    let removed = form.all("att_remove");
    let attachments = titles
        .iter()
        .zip(&targets)
        .enumerate()
        .filter(|(i, _)| !removed.contains(&i.to_string().as_str()))
        .map(|(_, (t, f))| (t.trim().to_string(), f.trim().to_string()))
        .filter(|(t, f)| !t.is_empty() || !f.is_empty())
        .collect();
    let fields = Fields {
        title: form.get("title").to_string(),
        date: form.get("date").to_string(),
        source: form.get("source").to_string(),
        category: form.get("category").to_string(),
        tags: form
            .get("tags")
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        draft: form.get("draft") == "true",
        attachments,
    };
    let mut errors = Vec::new();
    let mut need = |ok: bool, field: &str, key: &str| {
        if !ok {
            errors.push(FieldError {
                field: field.into(),
                message: tr(key, &[]),
            });
        }
    };
    need(!fields.title.is_empty(), "title", "wb.need-title");
    need(parse_date(&fields.date).is_ok(), "date", "wb.need-date");
    need(!fields.source.is_empty(), "source", "wb.need-source");
    for (title, target) in &fields.attachments {
        need(
            !title.is_empty() && !target.is_empty(),
            "attachments",
            "wb.need-attachment",
        );
    }
    (fields, errors)
}

/// `POST /_annals/edit`
pub fn save(wb: &Workbench, request: &Request) -> Response {
    let form = Form::of(request);
    let rel = form.get("file").to_string();
    let path = match files::under_content(&wb.root, &rel, ".md") {
        Ok(p) => p,
        Err(message) => return views::refusal(StatusCode::BAD_REQUEST, &message),
    };
    let raw = form.get("raw") == "1";
    let (fields, mut errors) = read_fields(&form);
    if raw {
        // Only the text is sent; it must parse before it is saved.
        errors.clear();
    }
    let body_text = form.raw("body").replace("\r\n", "\n");
    let editable = form.get("stats_editable") == "1";
    let stats_yaml = if editable {
        match stats::to_yaml(&form) {
            Ok(y) => Some(y),
            Err((field, message)) => {
                errors.push(FieldError { field, message });
                None
            }
        }
    } else {
        None
    };
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new_text = match split(&old) {
        Ok(parts) if !raw => frontmatter::apply(parts.yaml, &fields, stats_yaml, &body_text),
        // The file did not parse: what was sent is the whole file.
        _ => body_text.clone(),
    };
    if errors.is_empty()
        && let Err(d) = parse_report(&new_text)
    {
        errors.push(FieldError {
            field: "body".into(),
            message: d.to_string(),
        });
    }
    let mut view = EditView {
        file: rel.clone(),
        version: form.get("version").to_string(),
        tags: form.get("tags").to_string(),
        body: body_text,
        stats_editable: editable,
        raw,
        fields,
        errors,
        ..EditView::default()
    };
    let tables = stats::views(&serde_json::Value::Null, Some(&form));
    if !view.errors.is_empty() {
        return render(wb, view, tables, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let _writing = wb.writing.lock().unwrap_or_else(|e| e.into_inner());
    match files::save(&wb.root, &path, &view.version, &new_text) {
        Ok(Saved::Done) => views::redirect(&format!(
            "{}edit{}",
            super::state::PREFIX,
            views::query(&[("file", &rel), ("saved", "1")])
        )),
        Ok(Saved::Conflict) => {
            view.errors.push(FieldError {
                field: "body".into(),
                message: tr("wb.conflict", &[]),
            });
            render(wb, view, tables, StatusCode::CONFLICT)
        }
        Err(message) => views::refusal(StatusCode::FORBIDDEN, &message),
    }
}

/// `POST /_annals/preview`: the body as the site renders it (the statistics
/// tables show on the page itself).
pub fn preview(wb: &Workbench, request: &Request) -> Response {
    let form = Form::of(request);
    let opts = Config::load(&wb.root)
        .map(|(c, _)| crate::markdown::MarkdownOptions {
            unsafe_html: c.markdown.unsafe_html,
            auto_outline: matches!(c.markdown.outline, crate::config::OutlineMode::Auto),
            iframe_hosts: c.markdown.iframe_hosts.clone(),
        })
        .unwrap_or_default();
    let rendered = crate::markdown::render(form.raw("body"), &opts);
    views::secured(http_server::bytes(
        StatusCode::OK,
        "text/html; charset=utf-8",
        rendered.html,
    ))
}

/// Attachment types an editor may upload: documents and images, never pages
/// or scripts that would run on the site.
const ATTACHMENT_TYPES: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "txt", "csv",
    "jpg", "jpeg", "png", "gif", "webp",
];

/// `POST /_annals/attach?file=2023/report.md&name=表.pdf`: the raw file goes into
/// the report's attachment folder under a new name; nothing is overwritten.
pub fn attach(wb: &Workbench, request: &Request) -> Response {
    let rel = query_param(request, "file").unwrap_or_default();
    let name = query_param(request, "name").and_then(|n| files::safe_name(&n));
    let refuse =
        |m: String| views::json(StatusCode::BAD_REQUEST, serde_json::json!({ "error": m }));
    let Some(name) = name else {
        return refuse(tr("wb.bad-name", &[]));
    };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !ATTACHMENT_TYPES.contains(&ext.as_str()) {
        return refuse(tr(
            "wb.bad-attachment-type",
            &[("types", &ATTACHMENT_TYPES.join(", "))],
        ));
    }
    let Some(stem) = rel.strip_suffix(".md") else {
        return refuse(tr("wb.bad-path", &[("path", &rel)]));
    };
    let target = match files::under_content(&wb.root, &format!("{stem}/{name}"), "") {
        Ok(p) => p,
        Err(m) => return refuse(m),
    };
    let _writing = wb.writing.lock().unwrap_or_else(|e| e.into_inner());
    match files::create_new(&target, body(request)) {
        Ok(()) => views::json(
            StatusCode::OK,
            serde_json::json!({ "file": name, "title": name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s) }),
        ),
        Err(m) => views::json(StatusCode::CONFLICT, serde_json::json!({ "error": m })),
    }
}

/// `GET /_annals/source?file=…`: the file as text.
pub fn source(wb: &Workbench, request: &Request) -> Response {
    let rel = query_param(request, "file").unwrap_or_default();
    match files::under_content(&wb.root, &rel, ".md").map(std::fs::read) {
        Ok(Ok(bytes)) => views::secured(http_server::bytes(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            bytes,
        )),
        _ => views::refusal(
            StatusCode::NOT_FOUND,
            &tr("wb.no-such-report", &[("file", &rel)]),
        ),
    }
}
