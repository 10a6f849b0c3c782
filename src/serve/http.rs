//! The dev server's answers: files of the serve folder (with the live-reload
//! script added to HTML pages), the reload event stream, and the error page.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response};

use super::Shared;

pub const LIVE_JS: &str = "/__annals/live.js";
const EVENTS: &str = "/__annals/events";
const OVERLAY_CSS: &str = "/__annals/overlay.css";
/// Longer request targets are refused; no page of a site needs them.
const MAX_URL: usize = 4096;
/// Requests with a body are refused beyond this size (the server only reads).
const MAX_BODY: usize = 64 * 1024;
const PING_EVERY: Duration = Duration::from_secs(15);

/// Where a request path leads inside the serve folder.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
    /// Outside the folder, or not a path at all.
    Refused,
}

/// Maps a request target to a file of `dir`, refusing anything that would leave it.
pub fn resolve(dir: &Path, target: &str) -> Resolved {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Resolved::Refused;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::Refused;
    };
    if decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return Resolved::Refused;
    }
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Resolved::Refused;
    }
    let mut path = dir.join(rel);
    if decoded.ends_with('/') {
        path.push("index.html");
    } else if path.is_dir() {
        return Resolved::Redirect(format!("{raw}/"));
    }
    // Links inside the folder must not lead out of it either.
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(base)) if real.starts_with(&base) && real.is_file() => Resolved::File(real),
        (Ok(_), Ok(_)) => Resolved::Refused,
        _ => Resolved::NotFound,
    }
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are fixed ASCII or file types from a fixed table.
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Annals"[..], &b"1"[..]).expect("ascii header"))
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script to an HTML page.
pub fn inject(html: &str) -> String {
    let tag = format!("<script src=\"{LIVE_JS}\" defer></script>");
    match html.find("</head>") {
        Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]),
        None => format!("{html}{tag}"),
    }
}

/// The page shown instead of the site while the last rebuild failed.
pub fn overlay(errors: &str) -> String {
    let escaped = errors
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>构建出错 · annals</title>\n<link rel=\"stylesheet\" href=\"{OVERLAY_CSS}\">\n<script src=\"{LIVE_JS}\" defer></script>\n</head>\n<body>\n<main>\n<h1>构建出错：请修改后保存，页面会自动刷新</h1>\n<p>The site could not be rebuilt. Fix the file and save it; this page reloads by itself.</p>\n<pre>{escaped}</pre>\n</main>\n</body>\n</html>\n"
    )
}

fn respond(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    // The browser may have gone away; nothing to do then.
    let _ = request.respond(response);
}

pub fn handle(request: Request, shared: &Shared, dir: &Path) {
    let url = request.url().to_string();
    if url.len() > MAX_URL {
        return respond(
            request,
            414,
            "text/plain; charset=utf-8",
            b"URI too long\n".to_vec(),
        );
    }
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return respond(
            request,
            413,
            "text/plain; charset=utf-8",
            b"request too large\n".to_vec(),
        );
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
        );
    }
    let path = url.split('?').next().unwrap_or("");
    match path {
        LIVE_JS => {
            return respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                include_bytes!("live.js").to_vec(),
            );
        }
        OVERLAY_CSS => {
            return respond(
                request,
                200,
                "text/css; charset=utf-8",
                include_bytes!("overlay.css").to_vec(),
            );
        }
        EVENTS => return events(request, shared),
        _ => {}
    }
    let resolved = resolve(dir, &url);
    let wants_page = match &resolved {
        Resolved::File(p) => p.extension().is_some_and(|e| e == "html"),
        Resolved::NotFound => true,
        _ => false,
    };
    if wants_page && let Some(errors) = shared.error() {
        return respond(
            request,
            500,
            "text/html; charset=utf-8",
            overlay(&errors).into_bytes(),
        );
    }
    match resolved {
        Resolved::File(file) => match std::fs::read(&file) {
            Ok(bytes) => send_file(request, 200, &file, bytes),
            Err(_) => not_found(request, dir),
        },
        Resolved::Redirect(to) => {
            let response = Response::from_data(Vec::new())
                .with_status_code(301)
                .with_header(header("Location", &to));
            let _ = request.respond(response);
        }
        Resolved::NotFound => not_found(request, dir),
        Resolved::Refused => respond(
            request,
            403,
            "text/plain; charset=utf-8",
            b"forbidden\n".to_vec(),
        ),
    }
}

fn send_file(request: Request, status: u16, file: &Path, bytes: Vec<u8>) {
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        inject(&String::from_utf8_lossy(&bytes)).into_bytes()
    } else {
        bytes
    };
    respond(request, status, kind, body);
}

/// The site's own 404 page, with status 404.
fn not_found(request: Request, dir: &Path) {
    let page = dir.join("404.html");
    match std::fs::read(&page) {
        Ok(bytes) => send_file(request, 404, &page, bytes),
        Err(_) => respond(
            request,
            404,
            "text/plain; charset=utf-8",
            b"not found\n".to_vec(),
        ),
    }
}

/// Server-Sent Events: `reload` after every rebuild, a comment now and then so
/// a closed tab is noticed.
fn events(request: Request, shared: &Shared) {
    let mut seen = shared.generation();
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let now = shared.wait_for_change(seen, PING_EVERY);
        let message = if now != seen {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        } else {
            ": ping\n\n".to_string()
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
        if shared.stopping() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("a")).unwrap();
        std::fs::write(site.join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        assert!(matches!(resolve(&site, "/a/"), Resolved::File(_)));
        assert_eq!(resolve(&site, "/a"), Resolved::Redirect("/a/".into()));
        assert_eq!(resolve(&site, "/nothing/"), Resolved::NotFound);
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/a/%2E%2E/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "//etc/passwd",
            "/a\\..\\..\\secret.txt",
            "../secret.txt",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(resolve(&site, bad), Resolved::Refused, "{bad}");
        }
    }

    #[test]
    fn overlay_escapes_the_error() {
        let page = overlay("error: <script>alert(1)</script>");
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;"));
    }

    #[test]
    fn script_goes_into_the_head() {
        assert_eq!(
            inject("<html><head></head></html>"),
            format!("<html><head><script src=\"{LIVE_JS}\" defer></script></head></html>")
        );
    }
}
