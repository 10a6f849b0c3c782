//! A tiny HTTP server on 127.0.0.1 for the browser that prints: print pages from
//! memory, theme files and content assets from where they already are. Serving
//! (rather than file:// URLs) lets the pages keep their absolute /static/ links.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use crate::render::theme::FileSource;

/// Where the bytes of one site path come from.
pub enum Body {
    Memory(Arc<[u8]>),
    Theme(FileSource),
    File(PathBuf),
}

pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `files` (site path without the leading `/` → body) until dropped.
    pub fn start(files: HashMap<String, Body>) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let files = Arc::new(files);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let files = files.clone();
                    // Several browsers print at once; one slow reader must not stall the rest.
                    std::thread::spawn(move || {
                        let _ = respond(stream, &files);
                    });
                }
            }
        });
        Ok(Server {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// The http:// URL of a site path such as `/2022/foo/print/`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn respond(stream: TcpStream, files: &HashMap<String, Body>) -> std::io::Result<()> {
    // A client that connects and says nothing must not keep a thread forever.
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .trim_start_matches('/')
        .to_string();
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let body: Option<Vec<u8>> = match files.get(&key) {
        Some(Body::Memory(b)) => Some(b.to_vec()),
        Some(Body::Theme(f)) => f.read().ok().map(|c| c.into_owned()),
        Some(Body::File(p)) => std::fs::read(p).ok(),
        None => None,
    };
    let mut stream = stream;
    match (method, body) {
        ("GET" | "HEAD", Some(bytes)) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content_type(&key),
                bytes.len()
            )?;
            if method == "GET" {
                stream.write_all(&bytes)?;
            }
        }
        _ => {
            stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
        }
    }
    stream.flush()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn get(server: &Server, path: &str) -> String {
        let url = server.url(path);
        let addr = url.trim_start_matches("http://").split('/').next().unwrap();
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
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
