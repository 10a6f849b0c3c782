//! The local HTTP server of `annals serve` and of `build --pdf`'s print pages:
//! hyper on a small tokio runtime of its own. Request handlers are plain blocking
//! functions; files are streamed a piece at a time with `Range` support, request
//! heads and bodies are capped, and nothing a client sends can stop the process.

mod body;
mod range;

use std::convert::Infallible;
use std::io::{self, Seek, SeekFrom};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

use crate::i18n::tr;

pub use body::{Body, channel};
pub use range::{ByteRange, parse as parse_range};

/// A request as handlers see it: method, target and headers. The body is read
/// only when the server's [`BodyLimit`] allows one, and is then the request's
/// [`RequestBody`] extension.
pub type Request = hyper::Request<()>;
/// How many body bytes a request may send (given its head); beyond it, 413.
pub type BodyLimit = Arc<dyn Fn(&Request) -> u64 + Send + Sync>;

/// The body of a request the [`BodyLimit`] allowed one for.
#[derive(Debug, Clone, Default)]
pub struct RequestBody(pub hyper::body::Bytes);
pub type Response = hyper::Response<Body>;
/// Answers one request; runs on a blocking thread, so it may read files and wait.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// Request line plus headers beyond this are refused (431) before being read further.
pub const MAX_HEAD: usize = 16 * 1024;
/// Longer request targets are refused; no page of a site needs them.
pub const MAX_TARGET: usize = 4096;
/// Requests with a body beyond this are refused (the servers only read).
pub const MAX_BODY: u64 = 64 * 1024;
/// Connections open at once; more are closed right away.
pub const MAX_CONNECTIONS: usize = 128;
/// A client must send its request head within this time.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// A running server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `listener` with `handler` on a thread of its own.
    pub fn start(listener: TcpListener, handler: Handler) -> io::Result<Server> {
        Server::start_with_bodies(listener, handler, Arc::new(|_: &Request| MAX_BODY))
    }

    /// Like [`Server::start`], reading request bodies up to what `limit` allows.
    pub fn start_with_bodies(
        listener: TcpListener,
        handler: Handler,
        limit: BodyLimit,
    ) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(MAX_CONNECTIONS + 16)
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("annals-http".into())
            .spawn(move || {
                runtime.block_on(async {
                    tokio::spawn(accept(listener, handler, limit));
                    // Until the server is dropped (never once detached).
                    let _ = stopped.await;
                });
                // Connections still open are cut; nothing waits for them.
                runtime.shutdown_background();
            })?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Keeps serving until the process ends.
    pub fn detach(mut self) {
        // Without a sender the stop signal never comes; the thread is left to run.
        if let Some(stop) = self.stop.take() {
            std::mem::forget(stop);
        }
        self.thread.take();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept(listener: TcpListener, handler: Handler, limit: BodyLimit) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: wait a little, go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if active.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
            drop(stream);
            continue;
        }
        active.fetch_add(1, Ordering::Relaxed);
        let (handler, active) = (Arc::clone(&handler), Arc::clone(&active));
        let limit = Arc::clone(&limit);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let handler = Arc::clone(&handler);
                let limit = Arc::clone(&limit);
                async move { Ok::<_, Infallible>(answer(request, handler, limit).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            active.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

/// Checks the request's size, then runs the handler on a blocking thread.
async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    handler: Handler,
    limit: BodyLimit,
) -> Response {
    let (parts, incoming) = request.into_parts();
    let mut request = hyper::Request::from_parts(parts, ());
    if request.uri().to_string().len() > MAX_TARGET {
        return closing(text(StatusCode::URI_TOO_LONG, "URI too long\n"));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u64>().unwrap_or(u64::MAX));
    let chunked = request.headers().contains_key(header::TRANSFER_ENCODING);
    let allowed = limit(&request);
    let too_large = || {
        closing(text(
            StatusCode::PAYLOAD_TOO_LARGE,
            line(tr("http.too-large", &[])),
        ))
    };
    if declared.is_some_and(|n| n > allowed) || (chunked && allowed <= MAX_BODY) {
        return too_large();
    }
    if allowed > MAX_BODY && (chunked || declared.is_some_and(|n| n > 0)) {
        // Read at most `allowed` bytes, however the client frames them.
        let limited = http_body_util::Limited::new(incoming, allowed as usize);
        match http_body_util::BodyExt::collect(limited).await {
            Ok(collected) => {
                request
                    .extensions_mut()
                    .insert(RequestBody(collected.to_bytes()));
            }
            Err(_) => return too_large(),
        }
    }
    match tokio::task::spawn_blocking(move || handler(&request)).await {
        Ok(response) => response,
        // A handler that panicked: the client gets an error, the server goes on.
        Err(_) => closing(text(
            StatusCode::INTERNAL_SERVER_ERROR,
            line(tr("http.internal-error", &[])),
        )),
    }
}

/// Tells the client this connection ends with the response (its body is unread).
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A response with `data` as its body.
pub fn bytes(
    status: StatusCode,
    content_type: &str,
    data: impl Into<hyper::body::Bytes>,
) -> Response {
    let mut response = hyper::Response::new(body::bytes(data));
    *response.status_mut() = status;
    set(&mut response, header::CONTENT_TYPE, content_type);
    response
}

/// A short plain-text answer.
pub fn text(status: StatusCode, message: impl Into<hyper::body::Bytes>) -> Response {
    bytes(status, "text/plain; charset=utf-8", message)
}

/// A message as a line of plain text.
fn line(message: String) -> String {
    message + "\n"
}

/// A redirect to `location`.
pub fn redirect(location: &str) -> Response {
    let mut response = bytes(
        StatusCode::MOVED_PERMANENTLY,
        "text/plain; charset=utf-8",
        "",
    );
    set(&mut response, header::LOCATION, location);
    response
}

/// Sets a header whose value comes from our own code; a value that is not a valid
/// header (it never is) leaves the header out rather than failing the response.
pub fn set(response: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// The file at `path`, streamed; with status 200 a `Range` request gets part of it.
pub fn file(
    request: &Request,
    status: StatusCode,
    path: &Path,
    content_type: &str,
) -> io::Result<Response> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let range = if status == StatusCode::OK {
        let header = request
            .headers()
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok());
        range::parse(header, len)
    } else {
        ByteRange::Whole
    };
    let (status, start, count) = match range {
        ByteRange::Whole => (status, 0, len),
        ByteRange::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        ByteRange::Unsatisfiable => {
            let mut response = text(
                StatusCode::RANGE_NOT_SATISFIABLE,
                line(tr("http.range-not-satisfiable", &[])),
            );
            set(
                &mut response,
                header::CONTENT_RANGE,
                &format!("bytes */{len}"),
            );
            return Ok(response);
        }
    };
    file.seek(SeekFrom::Start(start))?;
    let body = if request.method() == Method::HEAD {
        body::empty()
    } else {
        body::file(file, count)
    };
    let mut response = hyper::Response::new(body);
    *response.status_mut() = status;
    set(&mut response, header::CONTENT_TYPE, content_type);
    set(&mut response, header::CONTENT_LENGTH, &count.to_string());
    set(&mut response, header::ACCEPT_RANGES, "bytes");
    if status == StatusCode::PARTIAL_CONTENT {
        set(
            &mut response,
            header::CONTENT_RANGE,
            &format!("bytes {start}-{}/{len}", start + count - 1),
        );
    }
    Ok(response)
}

/// The media type of a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
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
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}
