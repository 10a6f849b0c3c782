//! Who may use the workbench: a browser that opened the address with this
//! start's token (then kept as an HttpOnly, SameSite=Strict cookie), sending
//! changes only from the workbench's own pages (Origin equals Host).

use hyper::StatusCode;
use hyper::header;

use crate::http_server::{self, Request, Response};
use crate::i18n::tr;

/// Compares without stopping at the first difference, so timing tells nothing.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A query parameter, decoded.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    let query = request.uri().query()?;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `GET /_annals/?token=…`: the right token sets the cookie and leads to the same
/// page without the token in the address bar (and history); a wrong one is refused.
pub fn enter_with_token(request: &Request, token: &str, cookie: String) -> Option<Response> {
    let given = query_param(request, "token")?;
    if !same(&given, token) {
        return Some(super::views::refusal(
            StatusCode::FORBIDDEN,
            &tr("wb.no-token", &[]),
        ));
    }
    let mut response = super::views::redirect(request.uri().path());
    http_server::set(
        &mut response,
        header::SET_COOKIE,
        &format!(
            "{cookie}={token}; Path={}; HttpOnly; SameSite=Strict",
            super::state::PREFIX
        ),
    );
    Some(response)
}

/// Whether the request carries this start's cookie.
pub fn has_cookie(request: &Request, name: &str, token: &str) -> bool {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(k, v)| k == name && same(v, token))
}

/// A state-changing request must come from a workbench page: its Origin is
/// this server as the browser addressed it. Browsers send Origin with every
/// POST; a request without one is refused too.
pub fn same_origin(request: &Request) -> bool {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase)
    };
    match (header(header::ORIGIN), header(header::HOST)) {
        (Some(origin), Some(host)) => origin == format!("http://{host}"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::new_token;
    use super::*;

    #[test]
    fn tokens_are_long_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..63]));
    }

    #[test]
    fn origin_must_be_this_server() {
        let request = |origin: &str| {
            hyper::Request::builder()
                .method("POST")
                .uri("/_annals/edit")
                .header("host", "127.0.0.1:1111")
                .header("origin", origin)
                .body(())
                .unwrap()
        };
        assert!(same_origin(&request("http://127.0.0.1:1111")));
        assert!(!same_origin(&request("http://evil.example")));
        assert!(!same_origin(&request("null")));
        assert!(!same_origin(&request("http://127.0.0.1:2222")));
    }
}
