//! The year archive: `/archive/` lists every report year, `/archive/<year>/`
//! that year's reports grouped by category then unit. The year is the report
//! year (a 2022 report published in 2023 is under 2022).

use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::BuildContext;
use super::listing::{Pagination, label, page_ranges, page_url, paged_title, pinyin_ranks};
use crate::diagnostics::Diagnostic;
use crate::model::{Site, Year};
use crate::render::to_value;
use crate::render::views::{Link, ReportCard};

pub use crate::routes::ARCHIVE_URL;

#[derive(Debug, Serialize)]
struct YearEntry {
    year: i32,
    url: String,
    count: usize,
    current: bool,
}

/// Reports of one category on one page, by unit.
#[derive(Debug, Serialize)]
struct CategoryGroup<'a> {
    /// `None` for reports without a category.
    name: Option<&'a str>,
    url: Option<String>,
    units: Vec<UnitGroup<'a>>,
}

#[derive(Debug, Serialize)]
struct UnitGroup<'a> {
    name: &'a str,
    url: String,
    reports: Vec<ReportCard<'a>>,
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let years: Vec<YearEntry> = site
        .years
        .iter()
        .map(|y| YearEntry {
            year: y.year,
            url: site.config.href(&y.url),
            count: y.reports.len(),
            current: y.current,
        })
        .collect();
    ctx.page(
        "archive.html",
        ARCHIVE_URL,
        context! {
            kind => "archive",
            title => label(&ctx.renderer.locale, "archive", &[]),
            description => label(&ctx.renderer.locale, "archive_intro", &[]),
            canonical => site.config.permalink(ARCHIVE_URL),
            canonical_path => ARCHIVE_URL,
            current_nav => ARCHIVE_URL,
            years => to_value(&years),
            total => site.reports.len(),
        },
    )?;
    let order = ArchiveOrder::new(site);
    let pages = site
        .years
        .par_iter()
        .map(|y| write_year(ctx, y, &order.of_year(site, y), &years))
        .sum::<Result<usize, Diagnostic>>()?;
    Ok(pages + 1)
}

/// The order of reports on year pages: by category (uncategorized last), then
/// unit, both by pinyin, then newest first as the model keeps them.
pub struct ArchiveOrder {
    category_rank: Vec<usize>,
    unit_rank: Vec<usize>,
}

impl ArchiveOrder {
    pub fn new(site: &Site) -> ArchiveOrder {
        ArchiveOrder {
            category_rank: pinyin_ranks(site.categories.iter().map(|c| c.name.as_str())),
            unit_rank: pinyin_ranks(site.units.iter().map(|u| u.name.as_str())),
        }
    }

    pub fn of_year(&self, site: &Site, year: &Year) -> Vec<usize> {
        let mut order = year.reports.clone();
        // A stable sort keeps newest first within a unit.
        order.sort_by_key(|&i| {
            let r = &site.reports[i];
            (
                r.category.map_or(usize::MAX, |c| self.category_rank[c]),
                self.unit_rank[r.unit],
            )
        });
        order
    }
}

fn write_year(
    ctx: &BuildContext,
    year: &Year,
    order: &[usize],
    years: &[YearEntry],
) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let locale = &ctx.renderer.locale;
    let ranges = page_ranges(order.len(), site.config.archive.per_page);
    let total = ranges.len();
    let title = label(
        locale,
        "archive_year_title",
        &[("year", &year.year.to_string())],
    );
    let breadcrumbs = [Link {
        title: label(locale, "archive", &[]),
        url: site.config.href(ARCHIVE_URL),
    }];
    for (n, range) in ranges.into_iter().enumerate() {
        let number = n + 1;
        let url = page_url(&year.url, number);
        let shown = &order[range];
        ctx.page_showing(
            "archive_year.html",
            &url,
            shown,
            context! {
                kind => "archive-year",
                title => paged_title(locale, &title, number),
                description => label(locale, "archive_year_intro", &[("year", &year.year.to_string()), ("count", &year.reports.len().to_string())]),
                canonical => site.config.permalink(&url),
                canonical_path => &url,
                current_nav => ARCHIVE_URL,
                breadcrumbs => to_value(&breadcrumbs),
                year => year.year,
                print_url => site.config.href(&year.print_url),
                current => year.current,
                count => year.reports.len(),
                groups => to_value(group(site, shown)),
                years => to_value(years),
                pagination => to_value(Pagination::new(&site.config.href(&year.url), number, total)),
            },
        )?;
    }
    if total > 1 {
        super::aliases::write_first_page_redirect(ctx, &year.url, &title)?;
    }
    Ok(total)
}

/// Consecutive reports of one category and unit become one group.
fn group<'a>(site: &'a Site, reports: &[usize]) -> Vec<CategoryGroup<'a>> {
    let mut groups: Vec<CategoryGroup<'a>> = Vec::new();
    let mut last: Option<(Option<usize>, usize)> = None;
    for &i in reports {
        let r = &site.reports[i];
        let key = (r.category, r.unit);
        if last.map(|(c, _)| c) != Some(r.category) || groups.is_empty() {
            let category = r.category.map(|c| &site.categories[c]);
            groups.push(CategoryGroup {
                name: category.map(|c| c.name.as_str()),
                url: category.map(|c| site.config.href(&c.url)),
                units: Vec::new(),
            });
        }
        let units = &mut groups.last_mut().expect("a group was just pushed").units;
        if last != Some(key) || units.is_empty() {
            let unit = &site.units[r.unit];
            units.push(UnitGroup {
                name: &unit.name,
                url: site.config.href(&unit.url),
                reports: Vec::new(),
            });
        }
        units
            .last_mut()
            .expect("a unit was just pushed")
            .reports
            .push(ReportCard::new(site, r));
        last = Some(key);
    }
    groups
}
