//! Share pages: a mobile-first card per report with its QR code and share
//! targets. Every share link is built here, at build time; nothing on the page
//! talks to a third party until the reader follows a link.

use minijinja::{Value, context};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::model::{Report, Site};
use crate::render::views::ReportView;

/// RFC 3986 unreserved characters stay; everything else in a query value is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// One share target as the template shows it.
#[derive(Debug, Serialize)]
pub struct ShareTarget {
    /// `copy`, `wechat`, `weibo`, `qzone`, `email` or `native`.
    pub id: &'static str,
    /// The link to follow, for targets that are links.
    pub href: Option<String>,
}

/// The share targets configured for the site, with links for this report.
pub fn targets(site: &Site, r: &Report, description: &str) -> Vec<ShareTarget> {
    let url = enc(&r.permalink);
    let title = enc(&r.meta.title);
    site.config
        .share
        .targets
        .iter()
        .filter_map(|t| {
            let (id, href) = match t.as_str() {
                "copy" => ("copy", None),
                "wechat" => ("wechat", None),
                "native" => ("native", None),
                "weibo" => (
                    "weibo",
                    Some(format!(
                        "https://service.weibo.com/share/share.php?url={url}&title={title}"
                    )),
                ),
                "qzone" => (
                    "qzone",
                    Some(format!(
                        "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url={url}&title={title}&summary={}",
                        enc(description)
                    )),
                ),
                "email" => (
                    "email",
                    Some(format!(
                        "mailto:?subject={title}&body={}",
                        enc(&format!("{}\n\n{}", description, r.permalink))
                    )),
                ),
                _ => return None,
            };
            Some(ShareTarget { id, href })
        })
        .collect()
}

/// The description of a report for search engines and share cards: its summary,
/// else the start of its text.
pub fn description(r: &Report, text: &str) -> String {
    match r.meta.summary.as_deref() {
        Some(s) if !s.trim().is_empty() => without_controls(s.trim()),
        _ => excerpt(text, 120),
    }
}

/// `text` without control characters (NUL, terminal escapes, …), which have no
/// place in a page's metadata and which crawlers and share cards choke on.
fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// At most `max` characters of `text` on one line, ending with … when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = without_controls(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max).collect();
    cut.push('…');
    cut
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    site.reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            if !ctx.wants(&r.share_url) {
                return Ok(0);
            }
            let rendered = &ctx.rendered[i];
            let view = ReportView::alone(site, i, &rendered.toc);
            let description = description(r, &rendered.text);
            let targets = targets(site, r, &description);
            let page = context! {
                kind => "share",
                title => &r.meta.title,
                description => &description,
                canonical => &r.permalink,
                canonical_path => &r.share_url,
                breadcrumbs => crate::render::to_value(
                    view.breadcrumbs.iter().cloned().chain([crate::render::views::Link {
                        title: r.meta.title.clone(),
                        url: view.card.url.clone(),
                    }]).collect::<Vec<_>>()
                ),
                report => crate::render::to_value(&view),
                qr_svg => Value::from_safe_string(ctx.qr.svg(i)),
                targets => crate::render::to_value(&targets),
            };
            ctx.page_showing("share.html", &r.share_url, &view.shows, page)
                .map_err(|d| d.in_file(&r.file))?;
            Ok(1)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_fully_encoded() {
        assert_eq!(
            enc("https://a.gov.cn/2022/x/?a=1&b"),
            "https%3A%2F%2Fa.gov.cn%2F2022%2Fx%2F%3Fa%3D1%26b"
        );
        assert_eq!(enc("报告 A"), "%E6%8A%A5%E5%91%8A%20A");
    }

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("一二三\n四", 10), "一二三 四");
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
