//! The workbench's own stylesheet and script, built into the binary (no
//! third-party assets).

use hyper::StatusCode;

use crate::http_server::{self, Response};

pub fn get(name: &str) -> Option<Response> {
    let (kind, bytes): (&str, &'static [u8]) = match name {
        "assets/workbench.css" => (
            "text/css; charset=utf-8",
            include_bytes!("assets/workbench.css"),
        ),
        "assets/workbench.js" => (
            "text/javascript; charset=utf-8",
            include_bytes!("assets/workbench.js"),
        ),
        _ => return None,
    };
    let mut response = http_server::bytes(StatusCode::OK, kind, bytes);
    http_server::set(&mut response, hyper::header::CACHE_CONTROL, "no-store");
    Some(response)
}
