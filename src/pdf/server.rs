//! What the browser that prints is served: print pages from memory, theme files
//! and content assets from where they already are, on 127.0.0.1 through the
//! shared local server. Serving (rather than file:// URLs) lets the pages keep
//! their absolute /static/ links.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use hyper::{Method, StatusCode};

use crate::http_server::{self, Request, Response};
use crate::render::theme::FileSource;

/// Where the bytes of one site path come from.
pub enum Body {
    Memory(Arc<[u8]>),
    Theme(FileSource),
    File(PathBuf),
}

pub struct Server {
    inner: http_server::Server,
}

impl Server {
    /// Serves `files` (site path without the leading `/` → body) until dropped.
    pub fn start(files: HashMap<String, Body>) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let files = Arc::new(files);
        let handler: http_server::Handler = Arc::new(move |request| answer(request, &files));
        Ok(Server {
            inner: http_server::Server::start(listener, handler)?,
        })
    }

    /// The http:// URL of a site path such as `/2022/foo/print/`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.inner.addr(), path)
    }
}

fn answer(request: &Request, files: &HashMap<String, Body>) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return http_server::text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let path = percent_encoding::percent_decode_str(request.uri().path())
        .decode_utf8_lossy()
        .trim_start_matches('/')
        .to_string();
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let kind = http_server::content_type(&key);
    let found = match files.get(&key) {
        Some(Body::Memory(b)) => Some(http_server::bytes(StatusCode::OK, kind, b.to_vec())),
        Some(Body::Theme(FileSource::Embedded(b))) => {
            Some(http_server::bytes(StatusCode::OK, kind, *b))
        }
        Some(Body::Theme(FileSource::Disk(p)) | Body::File(p)) => {
            http_server::file(request, StatusCode::OK, p, kind).ok()
        }
        None => None,
    };
    found.unwrap_or_else(|| http_server::text(StatusCode::NOT_FOUND, "not found\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn get(server: &Server, path: &str) -> String {
        let url = server.url(path);
        let addr = url.trim_start_matches("http://").split('/').next().unwrap();
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_pages_and_404s() {
        let mut files = HashMap::new();
        files.insert(
            "a/print/index.html".to_string(),
            Body::Memory(Arc::from(&b"<p>hi</p>"[..])),
        );
        files.insert(
            "static/附件.css".to_string(),
            Body::Memory(Arc::from(&b"p{}"[..])),
        );
        let server = Server::start(files).unwrap();
        let page = get(&server, "/a/print/");
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("text/html") && page.ends_with("<p>hi</p>"));
        let css = get(&server, "/static/%E9%99%84%E4%BB%B6.css?v=1");
        assert!(css.contains("text/css") && css.ends_with("p{}"), "{css}");
        assert!(get(&server, "/nope").starts_with("HTTP/1.1 404"));
    }
}
