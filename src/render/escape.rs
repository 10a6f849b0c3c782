//! HTML escaping of template output: `& < > " '` only.
//!
//! minijinja's own HTML escaping also writes `/` as `&#x2f;` (an old OWASP
//! advice for JavaScript contexts), which spells every address of a page as
//! `https:&#x2f;&#x2f;…`. Valid HTML, but the crawlers that score government
//! sites for broken links often read pages with patterns, not parsers. Inside
//! HTML text and quoted attributes the five characters below are all that can
//! end a value or start markup, so they are all that is escaped.

use minijinja::{AutoEscape, Error, Output, State, Value};

/// The environment's formatter: HTML-escapes strings the way HTML needs, and
/// leaves every other case (safe strings, numbers, JSON, no escaping) to
/// minijinja's default.
pub fn html_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    let plain = matches!(state.auto_escape(), AutoEscape::Html)
        && !value.is_safe()
        && !value.is_undefined()
        && !value.is_number();
    if !plain {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(value.to_string()),
    };
    out.write_str(&escape_html(&text)).map_err(Error::from)
}

/// The `escape` (`e`) filter with the same rules; safe strings pass unchanged.
pub fn escape_filter(value: Value) -> Value {
    if value.is_safe() {
        value
    } else {
        Value::from_safe_string(escape_html(&value.to_string()).into_owned())
    }
}

/// `text` with `& < > " '` written as character references.
pub fn escape_html(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> minijinja::Environment<'static> {
        let mut env = minijinja::Environment::new();
        env.set_formatter(html_formatter);
        env.add_template(
            "t.html",
            "<a href=\"{{ u }}\">{{ u }}</a>{{ n }}{{ s }}{{ missing }}",
        )
        .unwrap();
        env
    }

    #[test]
    fn slashes_stay_and_markup_is_escaped() {
        let html = env()
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! {
                u => "https://x.gov.cn/a?b=1&c=\"2\"'<i>",
                n => 3,
                s => Value::from_safe_string("<b>/</b>".into()),
            })
            .unwrap();
        assert_eq!(
            html,
            "<a href=\"https://x.gov.cn/a?b=1&amp;c=&quot;2&quot;&#x27;&lt;i&gt;\">https://x.gov.cn/a?b=1&amp;c=&quot;2&quot;&#x27;&lt;i&gt;</a>3<b>/</b>"
        );
    }

    #[test]
    fn the_escape_filter_agrees_and_leaves_safe_strings_alone() {
        let mut env = minijinja::Environment::new();
        env.set_formatter(html_formatter);
        env.add_filter("e", escape_filter);
        env.add_template("t.html", "{{ a | e }}|{{ b | e }}")
            .unwrap();
        let out = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! {
                a => "/a&b",
                b => Value::from_safe_string("<i>/</i>".into()),
            })
            .unwrap();
        assert_eq!(out, "/a&amp;b|<i>/</i>");
    }

    #[test]
    fn other_values_escape_too() {
        let mut env = minijinja::Environment::new();
        env.set_formatter(html_formatter);
        env.add_template("t.html", "{{ l }}").unwrap();
        let html = env
            .get_template("t.html")
            .unwrap()
            .render(minijinja::context! { l => vec!["<x>/"] })
            .unwrap();
        assert!(!html.contains('<') || html.starts_with('['), "{html}");
        assert!(html.contains("&lt;x&gt;/"), "{html}");
    }
}
