//! Plain data handed to templates. Built from the model; no logic in templates
//! beyond layout.

use serde::Serialize;

use crate::config::Owner;
use crate::markdown::TocEntry;
use crate::model::{Report, Section, Site};
use crate::render::human_size;
use crate::routes;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Site-wide data, available to every template as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    /// The host of `base_url`, for the `SiteDomain` page tag.
    pub domain: &'a str,
    pub language: &'a str,
    pub description: &'a str,
    pub owner: &'a Owner,
    /// The 党政机关网站标识 image's address (with the base URL's path).
    pub gov_badge: String,
    /// `tel:` link of `[owner] phone` when it is one plain number, else empty.
    pub phone_href: String,
    /// Main navigation: home, the sections that ask for it, archive, units, search.
    pub nav: Vec<NavItem>,
    /// The addresses of the pages every template may link to.
    pub urls: SiteUrls,
    pub years: Vec<YearLink>,
    pub extra: &'a toml::Table,
    pub share_targets: &'a [String],
    pub share_image: &'a str,
    pub generator: &'static str,
}

/// A main navigation item: `url` to link to, `path` (the site path) to compare
/// with a page's `current_nav`.
#[derive(Debug, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub path: String,
}

/// Fixed pages of every site, as addresses with the base URL's path prefix.
#[derive(Debug, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub archive: String,
    pub sources: String,
    pub search: String,
    pub feed: String,
    /// The theme's static files' folder, ending in `/`.
    pub assets: String,
    pub reports_json: String,
    pub reports_csv: String,
}

impl SiteUrls {
    fn new(config: &crate::config::Config) -> SiteUrls {
        SiteUrls {
            home: config.href("/"),
            archive: config.href(routes::ARCHIVE_URL),
            sources: config.href(routes::SOURCES_URL),
            search: config.href(routes::SEARCH_URL),
            feed: config.href(routes::FEED_URL),
            assets: config.href("/static/"),
            reports_json: config.href("/reports.json"),
            reports_csv: config.href("/reports.csv"),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
    pub count: usize,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site, t: &minijinja::Value) -> SiteView<'a> {
        let label = |key: &str| {
            t.get_attr(key)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| key.to_string())
        };
        let config = &site.config;
        let item = |title: String, path: &str| NavItem {
            title,
            url: config.href(path),
            path: path.to_string(),
        };
        let mut nav = vec![item(label("home"), "/")];
        nav.extend(
            nav_sections(site)
                .into_iter()
                .map(|s| item(s.title.clone(), &s.url)),
        );
        nav.push(item(label("archive"), routes::ARCHIVE_URL));
        nav.push(item(label("sources"), routes::SOURCES_URL));
        nav.push(item(label("search"), routes::SEARCH_URL));
        SiteView {
            title: &config.title,
            base_url: &config.base_url,
            domain: crate::render::gov_meta::site_domain(&config.base_url),
            language: &config.language,
            description: &config.description,
            owner: &config.owner,
            phone_href: crate::render::gov_meta::phone_href(&config.owner.phone),
            gov_badge: if config.owner.gov_badge.is_empty() {
                String::new()
            } else {
                config.href(&config.owner.gov_badge)
            },
            nav,
            urls: SiteUrls::new(config),
            years: site
                .years
                .iter()
                .map(|y| YearLink {
                    year: y.year,
                    url: config.href(&y.url),
                    count: y.reports.len(),
                })
                .collect(),
            extra: &config.extra,
            share_targets: &config.share.targets,
            share_image: &config.share.image,
            generator: concat!("annals ", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The sections in the main navigation: top-level folders with an `_index.md`
/// that does not say `hidden: true`, by weight then title. Bare folders (year
/// folders such as `content/2023/`) stay out: a site with ten years would
/// otherwise get ten items; years are reached through the archive.
pub fn nav_sections(site: &Site) -> Vec<&Section> {
    site.sections[0]
        .children
        .iter()
        .map(|&c| &site.sections[c])
        .filter(|s| s.file.is_some() && !s.hidden)
        .collect()
}

/// A report in a list: archive, section, unit, feed, home.
#[derive(Debug, Serialize)]
pub struct ReportCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: &'a str,
    pub date: String,
    pub datetime: String,
    pub updated: Option<String>,
    pub year: i32,
    pub source: &'a str,
    pub source_url: String,
    pub category: Option<&'a str>,
    pub summary: Option<&'a str>,
}

impl<'a> ReportCard<'a> {
    pub fn new(site: &'a Site, r: &'a Report) -> ReportCard<'a> {
        ReportCard {
            title: &r.meta.title,
            url: site.config.href(&r.url),
            permalink: &r.permalink,
            date: r.meta.date.format("%Y-%m-%d").to_string(),
            datetime: r
                .meta
                .date_time
                .clone()
                .unwrap_or_else(|| r.meta.date.format("%Y-%m-%d").to_string()),
            updated: r.meta.updated.map(|d| d.format("%Y-%m-%d").to_string()),
            year: r.meta.year,
            source: &r.meta.source,
            source_url: site.config.href(&site.units[r.unit].url),
            category: r.meta.category.as_deref(),
            summary: r.meta.summary.as_deref(),
        }
    }
}

pub fn cards<'a>(site: &'a Site, indices: &[usize]) -> Vec<ReportCard<'a>> {
    indices
        .iter()
        .map(|&i| ReportCard::new(site, &site.reports[i]))
        .collect()
}

#[derive(Debug, Serialize)]
pub struct AttachmentView<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'a str,
    pub size: Option<String>,
    pub external: bool,
    /// Page count, for PDFs whose pages were counted.
    pub pages: Option<usize>,
    /// The PDF of the report's own print page (`build --pdf`).
    pub printable: bool,
}

#[derive(Debug, Serialize)]
pub struct ArchivedNotice {
    /// The newest report of the same unit and category, when there is one.
    pub newer: Option<Link>,
    pub newer_date: Option<String>,
}

/// Everything a report page, print page or share page shows about a report.
#[derive(Debug, Serialize)]
pub struct ReportView<'a> {
    #[serde(flatten)]
    pub card: ReportCard<'a>,
    pub print_url: String,
    pub share_url: String,
    pub category_url: Option<String>,
    pub tags: Vec<Link>,
    pub index_no: Option<&'a str>,
    pub doc_no: Option<&'a str>,
    pub attachments: Vec<AttachmentView<'a>>,
    pub related: Vec<Link>,
    pub toc: &'a [TocEntry],
    pub section: Link,
    pub breadcrumbs: Vec<Link>,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub archived: Option<ArchivedNotice>,
    pub extra: &'a serde_json::Value,
    /// The reports whose data the view holds: this one, its neighbours and the
    /// newest of its series. Not shown; pages made from the view declare them.
    #[serde(skip)]
    pub shows: Vec<usize>,
}

impl<'a> ReportView<'a> {
    /// The view of report `index` without its neighbours (prev, next, the
    /// archived notice's newer report), for print and share pages and volumes,
    /// which do not show them: an edit of a neighbour then leaves those alone.
    pub fn alone(site: &'a Site, index: usize, toc: &'a [TocEntry]) -> ReportView<'a> {
        let mut view = ReportView::new(site, index, toc);
        view.prev = None;
        view.next = None;
        view.archived = None;
        view.shows = vec![index];
        view
    }

    pub fn new(site: &'a Site, index: usize, toc: &'a [TocEntry]) -> ReportView<'a> {
        let r = &site.reports[index];
        let href = |path: &str| site.config.href(path);
        let link = |i: usize| Link {
            title: site.reports[i].meta.title.clone(),
            url: href(&site.reports[i].url),
        };
        let mut breadcrumbs = Vec::new();
        let mut section = Some(r.section);
        while let Some(s) = section {
            let sec = &site.sections[s];
            if sec.parent.is_some() {
                breadcrumbs.push(Link {
                    title: sec.title.clone(),
                    url: href(&sec.url),
                });
            }
            section = sec.parent;
        }
        breadcrumbs.reverse();
        let sec = &site.sections[r.section];
        let year = &site.years[r.year_index];
        let mut shows: Vec<usize> = [Some(index), r.prev, r.next]
            .into_iter()
            .flatten()
            .collect();
        let archived = (!year.current).then(|| {
            // The newest report of the same series: follow `next` to the end.
            let mut newest = r.next;
            while let Some(n) = newest.and_then(|n| site.reports[n].next) {
                newest = Some(n);
            }
            shows.extend(newest);
            ArchivedNotice {
                newer: newest.map(link),
                newer_date: newest
                    .map(|n| site.reports[n].meta.date.format("%Y-%m-%d").to_string()),
            }
        });
        ReportView {
            card: ReportCard::new(site, r),
            print_url: href(&r.print_url),
            share_url: href(&r.share_url),
            category_url: r.category.map(|c| href(&site.categories[c].url)),
            tags: r
                .tags
                .iter()
                .map(|&t| Link {
                    title: site.tags[t].name.clone(),
                    url: href(&site.tags[t].url),
                })
                .collect(),
            index_no: r.meta.index_no.as_deref(),
            doc_no: r.meta.doc_no.as_deref(),
            attachments: r
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    title: &a.title,
                    // `url:` attachments are written by editors, from the root or not.
                    url: if a.external {
                        routes::rooted_href(routes::path_prefix(&site.config.base_url), &a.url)
                    } else {
                        href(&crate::links::file_href(&a.url))
                    },
                    kind: &a.kind,
                    size: a.size.map(human_size),
                    external: a.external,
                    pages: None,
                    printable: false,
                })
                .collect(),
            related: r
                .meta
                .related
                .iter()
                .map(|l| Link {
                    title: l.title.clone(),
                    url: routes::rooted_href(routes::path_prefix(&site.config.base_url), &l.url),
                })
                .collect(),
            toc,
            section: Link {
                title: sec.title.clone(),
                url: href(&sec.url),
            },
            breadcrumbs,
            prev: r.prev.map(link),
            next: r.next.map(link),
            archived,
            extra: &r.meta.extra,
            shows,
        }
    }
}
