//! Publish: builds the site into its configured output folder (as `annals
//! build` does) and, when asked, packs that folder into a .zip to upload.

use std::io::Write;
use std::path::Path;

use hyper::StatusCode;
use minijinja::context;

use super::forms::Form;
use super::security::query_param;
use super::state::Workbench;
use super::{files, views};
use crate::http_server::{self, Request, Response};
use crate::i18n::tr;
use crate::pipeline::{BuildOptions, build};

fn options(wb: &Workbench) -> BuildOptions {
    BuildOptions {
        root: wb.root.clone(),
        use_cache: true,
        ..BuildOptions::default()
    }
}

/// `GET /_annals/publish`
pub fn page(wb: &Workbench) -> Response {
    let output = options(wb).output_dir().display().to_string();
    views::page(
        "publish.html",
        &tr("wb.nav-publish", &[]),
        "publish",
        context! { output, done => false },
    )
}

/// `POST /_annals/publish`
pub fn run(wb: &Workbench, request: &Request) -> Response {
    let form = Form::of(request);
    let options = options(wb);
    let output = options.output_dir().display().to_string();
    let title = tr("wb.nav-publish", &[]);
    let summary = match build(&options) {
        Ok(summary) => summary,
        Err(errors) => {
            let errors: Vec<String> = errors.sorted().into_iter().map(|d| d.to_string()).collect();
            return views::page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "publish.html",
                &title,
                "publish",
                context! { output, done => false, errors },
            );
        }
    };
    let warnings: Vec<String> = summary
        .warnings
        .sorted()
        .into_iter()
        .map(|d| d.to_string())
        .collect();
    let line = tr(
        "wb.published",
        &[
            ("reports", &summary.reports),
            ("pages", &summary.pages),
            ("files", &summary.files),
            ("output", &summary.output.display()),
            ("ms", &summary.elapsed.as_millis()),
        ],
    );
    let zip = if form.get("zip") == "true" {
        match pack(wb, &summary.output) {
            Ok(name) => Some(format!(
                "{}publish/download{}",
                super::state::PREFIX,
                views::query(&[("name", &name)])
            )),
            Err(message) => return views::refusal(StatusCode::INTERNAL_SERVER_ERROR, &message),
        }
    } else {
        None
    };
    views::page(
        "publish.html",
        &title,
        "publish",
        context! { output, done => true, line, warnings, zip },
    )
}

/// Packs `output` into `.annals-cache/workbench/exports/site-<time>.zip`.
fn pack(wb: &Workbench, output: &Path) -> Result<String, String> {
    let dir = files::work_dir(&wb.root, "exports", "")?;
    let name = format!("site-{}.zip", chrono::Local::now().format("%Y%m%d-%H%M%S"));
    let fail = |e: &dyn std::fmt::Display| tr("wb.cannot-write", &[("path", &name), ("error", e)]);
    let file = std::fs::File::create(dir.join(&name)).map_err(|e| fail(&e))?;
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.map_err(|e| fail(&e))?;
        // Links are not followed: the output is annals' own files.
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        zip.start_file(rel, opts).map_err(|e| fail(&e))?;
        let bytes = std::fs::read(entry.path()).map_err(|e| fail(&e))?;
        zip.write_all(&bytes).map_err(|e| fail(&e))?;
    }
    zip.finish().map_err(|e| fail(&e))?;
    Ok(name)
}

/// `GET /_annals/publish/download?name=site-….zip`
pub fn download(wb: &Workbench, request: &Request) -> Response {
    let name = query_param(request, "name").unwrap_or_default();
    let valid = name.starts_with("site-")
        && name.ends_with(".zip")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let path = wb
        .root
        .join(crate::cache_dir::CACHE_DIR)
        .join("workbench/exports")
        .join(&name);
    if !valid || crate::site_files::is_link(&path) {
        return views::refusal(StatusCode::NOT_FOUND, &tr("wb.not-found", &[]));
    }
    match http_server::file(request, StatusCode::OK, &path, "application/zip") {
        Ok(mut response) => {
            http_server::set(
                &mut response,
                hyper::header::CONTENT_DISPOSITION,
                &format!("attachment; filename=\"{name}\""),
            );
            views::secured(response)
        }
        Err(_) => views::refusal(StatusCode::NOT_FOUND, &tr("wb.not-found", &[])),
    }
}
