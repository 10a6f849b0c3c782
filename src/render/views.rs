//! Plain data handed to templates. Built from the model; no logic in templates
//! beyond layout.

use serde::Serialize;

use crate::config::Owner;
use crate::markdown::TocEntry;
use crate::model::{Report, Site};
use crate::render::human_size;

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
    pub language: &'a str,
    pub description: &'a str,
    pub owner: &'a Owner,
    /// Main navigation: home, top sections, archive, units, search.
    pub nav: Vec<Link>,
    pub years: Vec<YearLink>,
    pub extra: &'a toml::Table,
    pub share_targets: &'a [String],
    pub share_image: &'a str,
    pub generator: &'static str,
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
        let mut nav = vec![Link {
            title: label("home"),
            url: "/".into(),
        }];
        let root = &site.sections[0];
        nav.extend(
            root.children
                .iter()
                .map(|&c| &site.sections[c])
                .filter(|s| !s.hidden)
                .map(|s| Link {
                    title: s.title.clone(),
                    url: s.url.clone(),
                }),
        );
        nav.push(Link {
            title: label("archive"),
            url: "/archive/".into(),
        });
        nav.push(Link {
            title: label("sources"),
            url: "/sources/".into(),
        });
        nav.push(Link {
            title: label("search"),
            url: "/search/".into(),
        });
        SiteView {
            title: &site.config.title,
            base_url: &site.config.base_url,
            language: &site.config.language,
            description: &site.config.description,
            owner: &site.config.owner,
            nav,
            years: site
                .years
                .iter()
                .map(|y| YearLink {
                    year: y.year,
                    url: y.url.clone(),
                    count: y.reports.len(),
                })
                .collect(),
            extra: &site.config.extra,
            share_targets: &site.config.share.targets,
            share_image: &site.config.share.image,
            generator: concat!("annals ", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// A report in a list: archive, section, unit, feed, home.
#[derive(Debug, Serialize)]
pub struct ReportCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub permalink: &'a str,
    pub date: String,
    pub datetime: String,
    pub updated: Option<String>,
    pub year: i32,
    pub source: &'a str,
    pub source_url: &'a str,
    pub category: Option<&'a str>,
    pub summary: Option<&'a str>,
}

impl<'a> ReportCard<'a> {
    pub fn new(site: &'a Site, r: &'a Report) -> ReportCard<'a> {
        ReportCard {
            title: &r.meta.title,
            url: &r.url,
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
            source_url: &site.units[r.unit].url,
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
    pub url: &'a str,
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
    pub print_url: &'a str,
    pub share_url: &'a str,
    pub category_url: Option<&'a str>,
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
}

impl<'a> ReportView<'a> {
    pub fn new(site: &'a Site, index: usize, toc: &'a [TocEntry]) -> ReportView<'a> {
        let r = &site.reports[index];
        let link = |i: usize| Link {
            title: site.reports[i].meta.title.clone(),
            url: site.reports[i].url.clone(),
        };
        let mut breadcrumbs = Vec::new();
        let mut section = Some(r.section);
        while let Some(s) = section {
            let sec = &site.sections[s];
            if sec.parent.is_some() {
                breadcrumbs.push(Link {
                    title: sec.title.clone(),
                    url: sec.url.clone(),
                });
            }
            section = sec.parent;
        }
        breadcrumbs.reverse();
        let sec = &site.sections[r.section];
        let year = &site.years[r.year_index];
        let archived = (!year.current).then(|| {
            // The newest report of the same series: follow `next` to the end.
            let mut newest = r.next;
            while let Some(n) = newest.and_then(|n| site.reports[n].next) {
                newest = Some(n);
            }
            ArchivedNotice {
                newer: newest.map(link),
                newer_date: newest
                    .map(|n| site.reports[n].meta.date.format("%Y-%m-%d").to_string()),
            }
        });
        ReportView {
            card: ReportCard::new(site, r),
            print_url: &r.print_url,
            share_url: &r.share_url,
            category_url: r.category.map(|c| site.categories[c].url.as_str()),
            tags: r
                .tags
                .iter()
                .map(|&t| Link {
                    title: site.tags[t].name.clone(),
                    url: site.tags[t].url.clone(),
                })
                .collect(),
            index_no: r.meta.index_no.as_deref(),
            doc_no: r.meta.doc_no.as_deref(),
            attachments: r
                .attachments
                .iter()
                .map(|a| AttachmentView {
                    title: &a.title,
                    url: &a.url,
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
                    url: l.url.clone(),
                })
                .collect(),
            toc,
            section: Link {
                title: sec.title.clone(),
                url: sec.url.clone(),
            },
            breadcrumbs,
            prev: r.prev.map(link),
            next: r.next.map(link),
            archived,
            extra: &r.meta.extra,
        }
    }
}
