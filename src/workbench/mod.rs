//! The editor's workbench: pages under `/_annals/` of `annals serve` where an
//! editor lists, imports, edits, checks and publishes reports without a
//! terminal. It runs only on a loopback address, behind a random per-start
//! token (as Jupyter does), and writes only under `content/` (and attachment
//! folders there), keeping a backup of every file it changes.

mod assets;
mod edit;
mod files;
mod findings;
mod forms;
mod frontmatter;
mod import;
mod publish;
mod reports;
mod security;
mod state;
mod stats;
mod views;

use hyper::{Method, StatusCode};

pub use state::{MAX_UPLOAD, PREFIX, Workbench};

use crate::http_server::{Request, Response};
use crate::i18n::tr;

impl Workbench {
    /// Answers a request for a path under [`PREFIX`]; the Host was checked already.
    pub fn handle(&self, request: &Request) -> Response {
        let path = request.uri().path();
        if path == PREFIX.trim_end_matches('/') {
            return views::redirect(PREFIX);
        }
        let page = &path[PREFIX.len()..];
        if let Some(asset) = assets::get(page) {
            return asset;
        }
        if let Some(answer) = security::enter_with_token(request, &self.token, self.cookie()) {
            return answer;
        }
        if !security::has_cookie(request, &self.cookie(), &self.token) {
            return views::refusal(StatusCode::FORBIDDEN, &tr("wb.no-token", &[]));
        }
        let changes = *request.method() != Method::GET && *request.method() != Method::HEAD;
        if changes && !security::same_origin(request) {
            return views::refusal(StatusCode::FORBIDDEN, &tr("wb.foreign-origin", &[]));
        }
        let answer = self.route(request, page);
        views::secured(answer)
    }

    fn route(&self, request: &Request, page: &str) -> Response {
        let get = matches!(*request.method(), Method::GET | Method::HEAD);
        match (get, page) {
            (true, "") => reports::page(self),
            (true, "edit") => edit::page(self, request),
            (false, "edit") => edit::save(self, request),
            (false, "preview") => edit::preview(self, request),
            (false, "attach") => edit::attach(self, request),
            (true, "source") => edit::source(self, request),
            (true, "check") => findings::page(self),
            (true, "publish") => publish::page(self),
            (false, "publish") => publish::run(self, request),
            (true, "publish/download") => publish::download(self, request),
            (true, "import") => import::page(self),
            (false, "import/upload") => import::upload(self, request),
            (true, "import/review") => import::review(self, request),
            (false, "import/create") => import::create(self, request),
            _ => views::refusal(StatusCode::NOT_FOUND, &tr("wb.not-found", &[])),
        }
    }
}
