//! `/sitemap.xml` with every public page and when it last changed, split into
//! a sitemap index with `/sitemap-1.xml`, … past 50,000 addresses (the limit
//! of the sitemaps protocol), and `/robots.txt` pointing to it.

use std::fmt::Write;

use chrono::NaiveDate;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use quick_xml::escape::escape;

use super::BuildContext;
use super::archive::{ARCHIVE_URL, ArchiveOrder};
use super::listing::{newest_change, page_ranges, page_url};
use super::sources::SOURCES_URL;
use super::taxonomies::{CATEGORIES, TAGS};
use crate::diagnostics::Diagnostic;
use crate::model::{Site, Term};

pub const SITEMAP_URL: &str = "/sitemap.xml";
/// The sitemaps protocol allows at most this many URLs per file.
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;

/// Characters that may not stand as they are in a URL path; non-ASCII is
/// always encoded (as UTF-8), so `/2022/报告/` becomes `/2022/%E6%8A%A5%E5%91%8A/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// One public page: its site path and when it last changed, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    pub path: String,
    pub lastmod: Option<NaiveDate>,
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    // Every report's date is in it.
    let all: Vec<usize> = (0..site.reports.len()).collect();
    let files = sitemap_files(
        &site.config.base_url,
        &public_pages(site),
        MAX_URLS_PER_SITEMAP,
    );
    for (path, xml) in &files {
        if ctx.wants_rel(path) {
            ctx.write_file(path, xml.as_bytes(), &all)?;
        }
    }
    // A site's own static/robots.txt wins over the generated one.
    let own_robots = ctx
        .renderer
        .statics
        .iter()
        .any(|(rel, _)| rel == "robots.txt");
    if !own_robots && ctx.wants_rel("robots.txt") {
        let robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.config.permalink(SITEMAP_URL)
        );
        ctx.write_file("robots.txt", robots.as_bytes(), &[])?;
    }
    Ok(0)
}

/// The absolute, percent-encoded URL of a site path.
pub fn encoded_permalink(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", utf8_percent_encode(path, PATH))
}

/// Every page a visitor or search engine should find: home, sections,
/// reports, archive years, units, tags and categories with all their pages.
/// Redirects, print and share views and the 404 page are left out.
pub fn public_pages(site: &Site) -> Vec<PageEntry> {
    let all: Vec<usize> = (0..site.reports.len()).collect();
    let newest = newest_change(site, &all);
    let mut pages = vec![PageEntry {
        path: "/".into(),
        lastmod: newest,
    }];
    let entry = |path: &str, lastmod| PageEntry {
        path: path.to_string(),
        lastmod,
    };
    for s in site.sections.iter().filter(|s| s.parent.is_some()) {
        pages.push(entry(&s.url, newest_change(site, &s.reports)));
    }
    pages.extend(site.reports.iter().map(|r| PageEntry {
        path: r.url.clone(),
        lastmod: Some(super::listing::last_changed(r)),
    }));
    pages.push(entry(ARCHIVE_URL, newest));
    let archive_order = ArchiveOrder::new(site);
    for y in &site.years {
        let order = archive_order.of_year(site, y);
        paged(site, &mut pages, &y.url, &order);
    }
    pages.push(entry(SOURCES_URL, newest));
    for u in &site.units {
        pages.push(entry(&u.url, newest_change(site, &u.reports)));
    }
    for (tax, terms) in [(TAGS, &site.tags), (CATEGORIES, &site.categories)] {
        let newest_term = terms
            .iter()
            .filter_map(|t| newest_change(site, &t.reports))
            .max();
        pages.push(entry(tax.url, newest_term));
        for Term { url, reports, .. } in terms {
            paged(site, &mut pages, url, reports);
        }
    }
    pages
}

/// Each page of a paginated list, dated by the newest report on that page.
fn paged(site: &Site, pages: &mut Vec<PageEntry>, base: &str, reports: &[usize]) {
    for (n, range) in page_ranges(reports.len(), site.config.archive.per_page)
        .into_iter()
        .enumerate()
    {
        pages.push(PageEntry {
            path: page_url(base, n + 1),
            lastmod: newest_change(site, &reports[range]),
        });
    }
}

/// The sitemap files as (output path, XML): one `sitemap.xml` when the pages
/// fit in `limit`, else an index in `sitemap.xml` and `sitemap-N.xml` files.
pub fn sitemap_files(base_url: &str, pages: &[PageEntry], limit: usize) -> Vec<(String, String)> {
    let limit = limit.max(1);
    if pages.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(base_url, pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in pages.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n",
            escape(encoded_permalink(base_url, &format!("/{name}")))
        );
        if let Some(lastmod) = chunk.iter().filter_map(|p| p.lastmod).max() {
            let _ = writeln!(
                index,
                "    <lastmod>{}</lastmod>",
                lastmod.format("%Y-%m-%d")
            );
        }
        index.push_str("  </sitemap>\n");
        files.push((name, urlset(base_url, chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

fn urlset(base_url: &str, pages: &[PageEntry]) -> String {
    let mut xml = String::with_capacity(pages.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            escape(encoded_permalink(base_url, &p.path))
        );
        if let Some(lastmod) = p.lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", lastmod.format("%Y-%m-%d"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, day: u32) -> PageEntry {
        PageEntry {
            path: path.into(),
            lastmod: NaiveDate::from_ymd_opt(2023, 3, day),
        }
    }

    #[test]
    fn non_ascii_paths_are_percent_encoded() {
        assert_eq!(
            encoded_permalink("https://a.gov.cn", "/2022/报告 1/"),
            "https://a.gov.cn/2022/%E6%8A%A5%E5%91%8A%201/"
        );
    }

    #[test]
    fn splits_into_an_index_past_the_limit() {
        let pages = [page("/a/", 1), page("/b/", 3), page("/c/", 2)];
        let one = sitemap_files("https://a.gov.cn", &pages, 3);
        assert_eq!(one.len(), 1);
        assert!(one[0].1.contains("<urlset"));
        let split = sitemap_files("https://a.gov.cn", &pages, 2);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        let index = &split[2].1;
        assert!(index.contains("<loc>https://a.gov.cn/sitemap-1.xml</loc>"));
        assert!(index.contains("<lastmod>2023-03-03</lastmod>"));
        assert!(index.contains("<lastmod>2023-03-02</lastmod>"));
        assert!(split[1].1.contains("<loc>https://a.gov.cn/c/</loc>"));
    }
}
