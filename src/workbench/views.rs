//! Pages of the workbench: templates built into the binary, every string from
//! the message catalogue, escaped by the template engine, sent with headers
//! that keep them out of frames, caches and other sites.

use std::sync::LazyLock;

use hyper::StatusCode;
use hyper::header;
use minijinja::{Environment, Value, context};

use crate::http_server::{self, Response};
use crate::i18n::{Lang, current, tr};

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("templates/layout.html")),
    ("message.html", include_str!("templates/message.html")),
    ("errors.html", include_str!("templates/errors.html")),
    ("fields.html", include_str!("templates/fields.html")),
    ("reports.html", include_str!("templates/reports.html")),
    ("edit.html", include_str!("templates/edit.html")),
    ("stats.html", include_str!("templates/stats.html")),
    ("check.html", include_str!("templates/check.html")),
    ("publish.html", include_str!("templates/publish.html")),
    ("import.html", include_str!("templates/import.html")),
    ("review.html", include_str!("templates/review.html")),
];

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .expect("workbench templates are checked by the unit tests");
    }
    env.add_function("t", |key: &str| tr(key, &[]));
    env
});

/// The navigation: (page, catalogue key).
const NAV: &[(&str, &str)] = &[
    ("", "wb.nav-reports"),
    ("import", "wb.nav-import"),
    ("check", "wb.nav-check"),
    ("publish", "wb.nav-publish"),
];

/// A full page: `template` with `ctx`, under `title`, `current` marked in the navigation.
pub fn page(template: &str, title: &str, current_page: &str, ctx: Value) -> Response {
    page_with_status(StatusCode::OK, template, title, current_page, ctx)
}

pub fn page_with_status(
    status: StatusCode,
    template: &str,
    title: &str,
    current_page: &str,
    ctx: Value,
) -> Response {
    let nav: Vec<Value> = NAV
        .iter()
        .map(|(href, key)| {
            context! {
                href => format!("{}{href}", super::state::PREFIX),
                label => tr(key, &[]),
                current => *href == current_page,
            }
        })
        .collect();
    let lang = match current() {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    };
    let full = context! { lang, title, nav, ..ctx };
    let html = ENV
        .get_template(template)
        .and_then(|t| t.render(full))
        .unwrap_or_else(|e| {
            format!(
                "<!DOCTYPE html><title>error</title><pre>{}</pre>",
                escape(&e.to_string())
            )
        });
    secured(http_server::bytes(status, "text/html; charset=utf-8", html))
}

/// A page that only says why a request was refused (or not found).
pub fn refusal(status: StatusCode, message: &str) -> Response {
    page_with_status(
        status,
        "message.html",
        &tr("wb.refused-title", &[]),
        "-",
        context! { message, kind => "error" },
    )
}

pub fn redirect(to: &str) -> Response {
    let mut response = http_server::bytes(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", "");
    http_server::set(&mut response, header::LOCATION, to);
    secured(response)
}

/// A small JSON answer for the page's script.
pub fn json(status: StatusCode, value: serde_json::Value) -> Response {
    secured(http_server::bytes(
        status,
        "application/json",
        value.to_string(),
    ))
}

/// Headers every workbench answer carries: only its own scripts and styles, no
/// framing (clickjacking), no caching of drafts, no referrer to other sites
/// (`same-origin`: with `no-referrer` browsers send `Origin: null` on posts).
pub fn secured(mut response: Response) -> Response {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in headers {
        http_server::set(&mut response, name, value);
    }
    response
}

pub fn escape(text: &str) -> String {
    crate::render::escape::escape_html(text).into_owned()
}

/// `?name=value` for links, encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    format!("?{}", s.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(ENV.get_template(name).is_ok(), "{name}");
        }
    }
}
