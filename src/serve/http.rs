//! The dev server's answers: files of the serve folder (with the live-reload
//! script added to HTML pages), the reload event stream, and the error page.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hyper::header;
use hyper::{Method, StatusCode};
use percent_encoding::percent_decode_str;

use super::{PanelEntry, Shared};
use crate::http_server::{self, Request, Response};
use crate::i18n::tr;
use crate::workbench::Workbench;

pub const LIVE_JS: &str = "/__annals/live.js";
const EVENTS: &str = "/__annals/events";
const OVERLAY_CSS: &str = "/__annals/overlay.css";
const WARNINGS_CSS: &str = "/__annals/warnings.css";
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

/// Adds the live-reload script to an HTML page.
pub fn inject(html: &str) -> String {
    let tag = format!("<script src=\"{LIVE_JS}\" defer></script>");
    insert_before(html, "</head>", &tag)
}

/// Adds the live-reload script and, when the last rebuild warned or check
/// found something, a panel listing each (the same text `build` and `check`
/// print, with a link to the report it concerns) at the end of the page.
pub fn inject_with_warnings(html: &str, warnings: Option<&[PanelEntry]>) -> String {
    let page = inject(html);
    let Some(warnings) = warnings.filter(|w| !w.is_empty()) else {
        return page;
    };
    let styled = insert_before(
        &page,
        "</head>",
        &format!("<link rel=\"stylesheet\" href=\"{WARNINGS_CSS}\">"),
    );
    let mut items = String::new();
    for entry in warnings {
        items.push_str("<li><pre>");
        items.push_str(&escape(entry.text.trim_end()));
        items.push_str("</pre>");
        if let Some(href) = &entry.href {
            items.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                escape(href),
                escape(&tr("serve.panel-open-report", &[]))
            ));
        }
        items.push_str("</li>");
    }
    let panel = format!(
        "<details class=\"annals-warnings\" lang=\"{}\"><summary>{}</summary><ol>{items}</ol></details>",
        tr("serve.page-lang", &[]),
        escape(&tr("serve.warnings-panel", &[("count", &warnings.len())])),
    );
    insert_before(&styled, "</body>", &panel)
}

fn insert_before(html: &str, marker: &str, what: &str) -> String {
    match html.rfind(marker) {
        Some(i) => format!("{}{what}{}", &html[..i], &html[i..]),
        None => format!("{html}{what}"),
    }
}

fn escape(text: &str) -> String {
    crate::render::escape::escape_html(text).into_owned()
}

/// The page shown instead of the site while the last rebuild failed. It is in
/// the message language, like the errors it shows (and the terminal's lines).
pub fn overlay(errors: &str) -> String {
    let escaped = escape(errors);
    let lang = tr("serve.page-lang", &[]);
    let title = escape(&tr("serve.overlay-title", &[]));
    let heading = escape(&tr("serve.overlay-heading", &[]));
    let text = escape(&tr("serve.overlay-text", &[]));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"{OVERLAY_CSS}\">\n<script src=\"{LIVE_JS}\" defer></script>\n</head>\n<body>\n<main>\n<h1>{heading}</h1>\n<p>{text}</p>\n<pre>{escaped}</pre>\n</main>\n</body>\n</html>\n"
    )
}

/// HTML pages larger than this are sent as they are, without the reload script,
/// rather than read into memory.
const MAX_INJECTED_PAGE: u64 = 16 * 1024 * 1024;

/// A short text answer with a line end, in the message language.
fn plain(status: StatusCode, message: String) -> Response {
    no_store(http_server::text(status, format!("{message}\n")))
}

fn no_store(mut response: Response) -> Response {
    http_server::set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

/// What the request handler needs besides the request.
pub struct Site {
    pub shared: Arc<Shared>,
    pub dir: PathBuf,
    /// The port listened on and the `--bind` address, for the Host check.
    pub port: u16,
    pub bind: String,
    pub workbench: Option<Workbench>,
}

/// Whether `Host` names this server as a browser on this machine (or, with a
/// `--bind` address, on the network) addresses it. A page of another site that
/// rebinds its own name to 127.0.0.1 sends its own name and is refused.
pub fn host_allowed(host: Option<&str>, port: u16, bind: &str) -> bool {
    let Some(host) = host.map(str::to_ascii_lowercase) else {
        return false;
    };
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) if !p.contains(']') => (name.to_string(), Some(p.to_string())),
        _ => (host.clone(), None),
    };
    if given_port.is_some_and(|p| p != port.to_string()) {
        return false;
    }
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    let bind = bind
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let every_interface = bind
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified());
    matches!(bare, "127.0.0.1" | "localhost" | "::1")
        || bare == bind
        || (every_interface && bare.parse::<std::net::IpAddr>().is_ok())
}

pub fn handle(request: &Request, site: &Site) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    if !host_allowed(host, site.port, &site.bind) {
        return plain(StatusCode::MISDIRECTED_REQUEST, tr("serve.wrong-host", &[]));
    }
    if Workbench::owns(request.uri().path()) {
        return match &site.workbench {
            Some(workbench) => workbench.handle(request),
            None => plain(StatusCode::NOT_FOUND, tr("serve.not-found", &[])),
        };
    }
    preview(request, &site.shared, &site.dir)
}

/// The site as built into the serve folder.
fn preview(request: &Request, shared: &Arc<Shared>, dir: &Path) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return plain(StatusCode::METHOD_NOT_ALLOWED, tr("serve.only-get", &[]));
    }
    let url = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let path = url.split('?').next().unwrap_or("");
    match path {
        LIVE_JS => {
            return no_store(http_server::bytes(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                &include_bytes!("live.js")[..],
            ));
        }
        OVERLAY_CSS => {
            return no_store(http_server::bytes(
                StatusCode::OK,
                "text/css; charset=utf-8",
                &include_bytes!("overlay.css")[..],
            ));
        }
        WARNINGS_CSS => {
            return no_store(http_server::bytes(
                StatusCode::OK,
                "text/css; charset=utf-8",
                &include_bytes!("warnings.css")[..],
            ));
        }
        EVENTS => return events(shared),
        _ => {}
    }
    let resolved = resolve(dir, url);
    let wants_page = match &resolved {
        Resolved::File(p) => p.extension().is_some_and(|e| e == "html"),
        Resolved::NotFound => true,
        _ => false,
    };
    if wants_page && let Some(errors) = shared.error() {
        return no_store(http_server::bytes(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            overlay(&errors),
        ));
    }
    let warnings = shared.warnings();
    let warnings = warnings.as_deref();
    match resolved {
        Resolved::File(file) => send_file(request, StatusCode::OK, &file, warnings)
            .unwrap_or_else(|| not_found(request, dir, warnings)),
        Resolved::Redirect(to) => no_store(http_server::redirect(&to)),
        Resolved::NotFound => not_found(request, dir, warnings),
        Resolved::Refused => plain(StatusCode::FORBIDDEN, tr("serve.forbidden", &[])),
    }
}

/// A file of the serve folder: pages with the reload script added, anything else
/// streamed (with `Range`). `None` when it cannot be read.
fn send_file(
    request: &Request,
    status: StatusCode,
    file: &Path,
    warnings: Option<&[PanelEntry]>,
) -> Option<Response> {
    let kind = http_server::content_type(&file.to_string_lossy());
    let size = std::fs::metadata(file).ok()?.len();
    if kind.starts_with("text/html") && size <= MAX_INJECTED_PAGE {
        let bytes = std::fs::read(file).ok()?;
        let page = inject_with_warnings(&String::from_utf8_lossy(&bytes), warnings);
        return Some(no_store(http_server::bytes(status, kind, page)));
    }
    http_server::file(request, status, file, kind)
        .ok()
        .map(no_store)
}

/// The site's own 404 page, with status 404.
fn not_found(request: &Request, dir: &Path, warnings: Option<&[PanelEntry]>) -> Response {
    send_file(
        request,
        StatusCode::NOT_FOUND,
        &dir.join("404.html"),
        warnings,
    )
    .unwrap_or_else(|| plain(StatusCode::NOT_FOUND, tr("serve.not-found", &[])))
}

/// Server-Sent Events: `reload` after every rebuild, a comment now and then so
/// a closed tab is noticed.
fn events(shared: &Arc<Shared>) -> Response {
    let (mut tx, body) = http_server::channel();
    let mut response = hyper::Response::new(body);
    http_server::set(&mut response, header::CONTENT_TYPE, "text/event-stream");
    let response = no_store(response);
    let runtime = tokio::runtime::Handle::current();
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let mut seen = shared.generation();
        let mut send = |message: String| runtime.block_on(tx.send_data(message.into())).is_ok();
        if !send(": connected\n\n".to_string()) {
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
            // The tab was closed: the body was dropped and sending fails.
            if !send(message) || shared.stopping() {
                return;
            }
        }
    });
    response
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
    fn only_this_machines_names_for_this_server() {
        let ok = |h: &str| host_allowed(Some(h), 1111, "127.0.0.1");
        assert!(ok("127.0.0.1:1111"));
        assert!(ok("localhost:1111"));
        assert!(ok("[::1]:1111"));
        assert!(ok("LOCALHOST:1111"));
        assert!(!ok("evil.example:1111"));
        assert!(!ok("127.0.0.1.evil.example:1111"));
        assert!(!ok("127.0.0.1:2222"));
        assert!(!ok("192.168.1.5:1111"));
        assert!(!host_allowed(None, 1111, "127.0.0.1"));
        assert!(host_allowed(Some("192.168.1.5:1111"), 1111, "192.168.1.5"));
        assert!(host_allowed(Some("10.0.0.2:1111"), 1111, "0.0.0.0"));
        assert!(!host_allowed(Some("evil.example:1111"), 1111, "0.0.0.0"));
    }

    #[test]
    fn overlay_escapes_the_error() {
        let page = overlay("error: <script>alert(1)</script>");
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;"));
    }

    #[test]
    fn warnings_panel_is_escaped_and_only_there_with_warnings() {
        let html = "<html><head></head><body><p>x</p></body></html>";
        assert_eq!(inject_with_warnings(html, None), inject(html));
        let entries = [
            PanelEntry {
                text: "warning: <i>a</i>\n".into(),
                href: Some("/2023/a/".into()),
            },
            PanelEntry {
                text: "warning: b".into(),
                href: None,
            },
        ];
        let page = inject_with_warnings(html, Some(&entries));
        let summary = tr("serve.warnings-panel", &[("count", &2)]);
        assert!(
            page.contains(&format!("<summary>{summary}</summary>")),
            "{page}"
        );
        assert!(page.contains("&lt;i&gt;a&lt;/i&gt;"));
        let link = tr("serve.panel-open-report", &[]);
        assert_eq!(page.matches("<a href=").count(), 1, "{page}");
        assert!(
            page.contains(&format!("<a href=\"/2023/a/\">{link}</a>")),
            "{page}"
        );
        assert!(page.find("annals-warnings") > page.find("<p>x</p>"));
        assert!(page.contains(WARNINGS_CSS));
    }

    #[test]
    fn script_goes_into_the_head() {
        assert_eq!(
            inject("<html><head></head></html>"),
            format!("<html><head><script src=\"{LIVE_JS}\" defer></script></head></html>")
        );
    }
}
