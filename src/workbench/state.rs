//! The workbench of one `serve`: the site, this start's token, and the lock
//! that makes a save's compare-then-write one step. A leaf of the workbench's
//! modules: the pages use it, it uses none of them.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hyper::Method;

use crate::http_server::Request;
use crate::pipeline::BuildOptions;

/// Where the workbench lives on the local server.
pub const PREFIX: &str = "/_annals/";
/// The largest upload (a Word file, an attachment); bigger ones get 413 before
/// anything is read into memory beyond this.
pub const MAX_UPLOAD: u64 = 20 * 1024 * 1024;

/// 32 random bytes from the operating system, as hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// One workbench per `serve`.
pub struct Workbench {
    pub(super) root: PathBuf,
    pub(super) address: String,
    pub(super) token: String,
    pub(super) drafts: bool,
    pub(super) writing: Mutex<()>,
}

impl Workbench {
    /// `root` is the site folder (absolute), `address` what a browser here opens
    /// (`http://127.0.0.1:1111`).
    pub fn new(root: &Path, address: &str, drafts: bool) -> std::io::Result<Workbench> {
        Ok(Workbench {
            root: root.to_path_buf(),
            address: address.to_string(),
            token: new_token()?,
            drafts,
            writing: Mutex::new(()),
        })
    }

    /// The address to open first: it carries the token, which then becomes a cookie.
    pub fn entry_url(&self) -> String {
        format!("{}{PREFIX}?token={}", self.address, self.token)
    }

    /// Whether a request path belongs to the workbench.
    pub fn owns(path: &str) -> bool {
        path == PREFIX.trim_end_matches('/') || path.starts_with(PREFIX)
    }

    /// How large a request body may be: uploads to the workbench, else the
    /// server's usual small cap.
    pub fn body_limit(request: &Request) -> u64 {
        if request.method() == Method::POST && Workbench::owns(request.uri().path()) {
            MAX_UPLOAD
        } else {
            crate::http_server::MAX_BODY
        }
    }

    /// The cookie's name: cookies are shared by every port of a host, so each
    /// `serve` has its own.
    pub(super) fn cookie(&self) -> String {
        let port = self.address.rsplit(':').next().unwrap_or("0");
        format!("annals_workbench_{port}")
    }

    /// Options to load and check the site as the preview shows it, drafts included.
    pub(super) fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            base_url: Some(self.address.clone()),
            drafts: true,
            ..BuildOptions::default()
        }
    }
}
