//! The values of the page tags of the 政府网站网页设计规范 (`SiteName`,
//! `SiteDomain`, `ArticleTitle`, `PubDate` …) that templates cannot compute:
//! the host of `base_url`, the publication time as `YYYY-MM-DD HH:MM`, the
//! keywords of a report and its first image. The tags themselves are written by
//! the theme's `page-tags.html`, so a site can override them.

use serde::Serialize;

use crate::model::Report;

/// `www.example.gov.cn` of `https://www.example.gov.cn:8443/zwgk/`.
pub fn site_domain(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

/// `tel:0731-00000000` for a phone written as one number (digits, spaces,
/// `+ - ( )`); empty for anything else (`0731-1234567（工作日）`, two numbers),
/// which the footer shows as text.
pub fn phone_href(phone: &str) -> String {
    let phone = phone.trim();
    let plain = phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if plain {
        format!("tel:{}", phone.replace([' ', '(', ')'], ""))
    } else {
        String::new()
    }
}

/// What a report page's `Article*` tags say beyond the report view.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArticleTags {
    /// `PubDate`: `YYYY-MM-DD HH:MM`, in the time zone the front matter wrote
    /// (a date alone is midnight).
    pub pub_date: String,
    /// `Keywords`: the tags, then the category, comma-separated.
    pub keywords: String,
    /// `Image`: the first image of the body as an absolute address.
    pub image: Option<String>,
}

impl ArticleTags {
    pub fn new(r: &Report, body_html: &str, base_url: &str) -> ArticleTags {
        let mut keywords: Vec<&str> = r.meta.tags.iter().map(String::as_str).collect();
        if let Some(c) = r.meta.category.as_deref()
            && !keywords.contains(&c)
        {
            keywords.push(c);
        }
        ArticleTags {
            pub_date: pub_date(r),
            keywords: keywords.join(","),
            image: first_image(body_html).map(|src| absolute(&src, base_url)),
        }
    }
}

fn pub_date(r: &Report) -> String {
    r.meta
        .date_time
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| r.meta.date.format("%Y-%m-%d 00:00").to_string())
}

/// The `src` of the first `<img>` of rendered body HTML, entities decoded.
/// Only that one tag is parsed: a DOM of the whole body would cost a report's
/// page many times the body's size in memory and time.
fn first_image(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        let tag = &rest[at..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let fragment = scraper::Html::parse_fragment(&tag[..end]);
        let selector = scraper::Selector::parse("img[src]").ok()?;
        if let Some(src) = fragment
            .select(&selector)
            .find_map(|img| img.value().attr("src").filter(|s| !s.is_empty()))
        {
            return Some(src.to_string());
        }
        rest = &tag[end..];
    }
    None
}

/// A body address (a site path with the base path already, or absolute) as an
/// absolute address.
fn absolute(src: &str, base_url: &str) -> String {
    if src.starts_with('/') && !src.starts_with("//") {
        format!("{}{src}", crate::routes::origin(base_url))
    } else {
        src.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_of_base_url() {
        assert_eq!(site_domain("https://www.a.gov.cn"), "www.a.gov.cn");
        assert_eq!(
            site_domain("https://www.a.gov.cn:8443/zwgk/"),
            "www.a.gov.cn"
        );
        assert_eq!(site_domain("http://127.0.0.1:1111"), "127.0.0.1");
    }

    #[test]
    fn phone_links_only_for_one_plain_number() {
        assert_eq!(phone_href("0731-00000000"), "tel:0731-00000000");
        assert_eq!(phone_href("+86 (731) 8888 8888"), "tel:+8673188888888");
        assert_eq!(phone_href("0731-1234567（工作日）"), "");
        assert_eq!(phone_href("0731-1234567、1234568"), "");
        assert_eq!(phone_href(""), "");
    }

    #[test]
    fn first_image_is_absolute() {
        let html =
            r#"<p>x</p><p><img src="/zwgk/2023/a/chart.png" alt="图"></p><img src="b.png" alt="">"#;
        let src = first_image(html).unwrap();
        assert_eq!(
            absolute(&src, "https://www.a.gov.cn/zwgk"),
            "https://www.a.gov.cn/zwgk/2023/a/chart.png"
        );
        assert_eq!(first_image("<p>no image</p>"), None);
        assert_eq!(
            first_image(r#"<img alt="x"><p>a</p><img src="c.png" alt="">"#).as_deref(),
            Some("c.png")
        );
    }
}
