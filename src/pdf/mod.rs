//! `annals build --pdf`: every print page and yearly volume printed to PDF by a
//! headless Chromium, so the report pages can list the PDF with its size and
//! page count.
//!
//! Order of work: the print pages are rendered first (they do not depend on the
//! PDFs), served from memory on 127.0.0.1 and printed into a cache folder under
//! the site root; a page whose bytes (and print.css) did not change since the
//! last run keeps its PDF. The PDFs are then linked into the staging folder and
//! their sizes are known before any report page is rendered.

pub mod cache;
pub mod chrome;
pub mod server;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use crate::model::output_path;
use crate::pages::BuildContext;
use crate::pages::print::PrintDoc;
use cache::{CACHE_DIR, Manifest};
use server::{Body, Server};

pub use crate::pages::pdfs::{PdfFile, PdfIndex, PdfView};

/// How many of a build's PDFs were printed anew (the rest came from the cache).
#[derive(Debug, Default, Clone, Copy)]
pub struct PdfStats {
    pub printed: usize,
    pub reused: usize,
}

/// Browsers printing at once: each is a whole Chromium, so a few are plenty.
fn parallel_jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// Prints every print page (unless cached), links the PDFs into the staging
/// folder and returns what the report pages need to list them.
pub fn produce(ctx: &BuildContext, chrome: &Path) -> Result<(PdfIndex, PdfStats), Diagnostics> {
    let docs = crate::pages::print::render_all(ctx)?;
    let cache_root = ctx.site.root.join(CACHE_DIR);
    let _lock = cache::open(&cache_root)?;
    let mut manifest = Manifest::load(&cache_root);
    let css = ctx
        .renderer
        .statics
        .iter()
        .find(|(rel, _)| rel == "static/print.css")
        .and_then(|(_, f)| f.read().ok())
        .map(|c| c.into_owned())
        .unwrap_or_default();
    let keys: Vec<String> = docs.iter().map(|d| cache::key(&d.html, &css)).collect();
    let todo: Vec<usize> = (0..docs.len())
        .filter(|&i| !manifest.is_fresh(&cache_root, &docs[i].pdf_url, &keys[i]))
        .collect();
    if !todo.is_empty() {
        print_all(ctx, chrome, &docs, &todo, &cache_root)?;
    }
    let mut index = PdfIndex::default();
    let mut diagnostics = Diagnostics::default();
    for (doc, key) in docs.iter().zip(&keys) {
        let cached = cache::pdf_path(&cache_root, &doc.pdf_url);
        if let Err(d) = cache::check_no_links(&cache_root, &cached) {
            diagnostics.push(d);
            continue;
        }
        let bytes = match std::fs::read(&cached) {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(tr("pdf.cannot-read", &[("url", &doc.url), ("error", &e)]))
                        .in_file(&cached)
                        .with_help(tr("pdf.cannot-read-help", &[])),
                );
                continue;
            }
        };
        if let Err(d) = ctx.out.copy(&output_path(&doc.pdf_url), &cached) {
            diagnostics.push(d);
            continue;
        }
        let file = PdfFile {
            url: doc.pdf_url.clone(),
            bytes: bytes.len() as u64,
            pages: count_pages(&bytes),
        };
        manifest.record(&doc.pdf_url, key, file.bytes);
        index.insert(doc.of, file);
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let keep: Vec<&str> = docs.iter().map(|d| d.pdf_url.as_str()).collect();
    manifest.retain(&cache_root, &keep);
    manifest.save(&cache_root).map_err(Diagnostics::from)?;
    let stats = PdfStats {
        printed: todo.len(),
        reused: docs.len() - todo.len(),
    };
    Ok((index, stats))
}

/// Prints the documents `todo` of `docs` into the cache, a few browsers at a time.
fn print_all(
    ctx: &BuildContext,
    chrome: &Path,
    docs: &[PrintDoc],
    todo: &[usize],
    cache_root: &Path,
) -> Result<(), Diagnostics> {
    let server = Server::start(served_files(ctx, docs)).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(tr("pdf.cannot-serve", &[("error", &e)]))
                .with_help(tr("pdf.cannot-serve-help", &[])),
        )
    })?;
    let next = AtomicUsize::new(0);
    let errors: std::sync::Mutex<Vec<Diagnostic>> = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..parallel_jobs().min(todo.len()) {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&i) = todo.get(n) else { break };
                    if let Err(d) = print_one(chrome, &server, &docs[i], cache_root) {
                        errors.lock().unwrap_or_else(|p| p.into_inner()).push(d);
                    }
                }
            });
        }
    });
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if errors.is_empty() {
        Ok(())
    } else {
        let mut diagnostics = Diagnostics::default();
        for d in errors {
            diagnostics.push(d);
        }
        Err(diagnostics)
    }
}

/// Prints to a temp file beside the cached PDF, then renames it over: a PDF
/// already hard-linked into a published site is never changed in place.
fn print_one(
    chrome: &Path,
    server: &Server,
    doc: &PrintDoc,
    cache_root: &Path,
) -> Result<(), Diagnostic> {
    let target = cache::pdf_path(cache_root, &doc.pdf_url);
    cache::check_no_links(cache_root, &target)?;
    let folder = target.parent().unwrap_or(cache_root);
    std::fs::create_dir_all(folder).map_err(|e| {
        Diagnostic::error(tr("pdf.cannot-create-cache", &[("error", &e)]))
            .in_file(folder)
            .with_help(tr("pdf.cannot-create-cache-help", &[]))
    })?;
    let temp = tempfile::Builder::new()
        .prefix(cache::TEMP_PREFIX)
        .suffix(".pdf")
        .tempfile_in(folder)
        .map_err(|e| {
            Diagnostic::error(tr("pdf.cannot-create-temp", &[("error", &e)])).in_file(folder)
        })?;
    chrome::print(chrome, &server.url(&doc.url), temp.path())?;
    // Temp files are private (0600); a published PDF must be readable by the web server.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644)).map_err(
            |e| {
                Diagnostic::error(tr("pdf.cannot-make-readable", &[("error", &e)]))
                    .in_file(temp.path())
            },
        )?;
    }
    temp.persist(&target).map_err(|e| {
        Diagnostic::error(tr("pdf.cannot-store", &[("error", &e)])).in_file(&target)
    })?;
    Ok(())
}

/// Everything a print page may ask for: the pages, theme files, content assets.
fn served_files(ctx: &BuildContext, docs: &[PrintDoc]) -> HashMap<String, Body> {
    let mut files: HashMap<String, Body> = HashMap::new();
    for (rel, source) in &ctx.renderer.statics {
        files.insert(rel.clone(), Body::Theme(source.clone()));
    }
    for a in &ctx.site.assets {
        files.insert(a.output.clone(), Body::File(a.file.clone()));
    }
    for d in docs {
        files.insert(
            output_path(&d.url),
            Body::Memory(Arc::from(d.html.as_bytes())),
        );
    }
    files
}

/// Pages of a PDF, counted from its page objects (`/Type /Page`, not `/Pages`).
/// `None` when the file keeps them where a byte scan cannot see (object streams).
pub fn count_pages(pdf: &[u8]) -> Option<usize> {
    let mut count = 0;
    let mut i = 0;
    while i + 5 <= pdf.len() {
        if &pdf[i..i + 5] == b"/Type" {
            let mut j = i + 5;
            while j < pdf.len() && matches!(pdf[j], b' ' | b'\r' | b'\n' | b'\t') {
                j += 1;
            }
            if pdf[j..].starts_with(b"/Page") {
                let after = pdf.get(j + 5).copied().unwrap_or(b' ');
                if !after.is_ascii_alphanumeric() {
                    count += 1;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    (count > 0).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_page_objects_not_the_page_tree() {
        let pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>> endobj\n\
                    2 0 obj <</Type /Page /Parent 1 0 R>> endobj\n\
                    3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n%%EOF";
        assert_eq!(count_pages(pdf), Some(2));
        assert_eq!(count_pages(b"%PDF-1.7 nothing"), None);
    }
}
