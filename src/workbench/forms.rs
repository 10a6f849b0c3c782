//! Form posts (`application/x-www-form-urlencoded`) and raw uploads as the
//! handlers read them.

use crate::http_server::{Request, RequestBody};

/// The body the server read for this request (empty when there was none).
pub fn body(request: &Request) -> &[u8] {
    request
        .extensions()
        .get::<RequestBody>()
        .map(|b| b.0.as_ref())
        .unwrap_or_default()
}

/// The fields of a posted form, in order.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn of(request: &Request) -> Form {
        Form(
            form_urlencoded::parse(body(request))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    /// The first value of `name` as sent (a body keeps its spaces).
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}
