//! Issuing units: `/sources/` lists every unit, `/sources/<slug>/` one unit's
//! reports by report year, with the details from `[units]` in config.toml.

use std::collections::BTreeMap;

use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::BuildContext;
use super::listing::{label, pinyin_ranks, sort_by_rank};
use crate::diagnostics::Diagnostic;
use crate::model::Unit;
use crate::render::to_value;
use crate::render::views::{Link, ReportCard};

pub use crate::routes::SOURCES_URL;

#[derive(Debug, Serialize)]
struct UnitEntry<'a> {
    name: &'a str,
    short_name: &'a str,
    url: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct YearGroup<'a> {
    year: i32,
    reports: Vec<ReportCard<'a>>,
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let locale = &ctx.renderer.locale;
    let mut units: Vec<UnitEntry> = site
        .units
        .iter()
        .map(|u| UnitEntry {
            name: &u.name,
            short_name: &u.details.short_name,
            url: site.config.href(&u.url),
            count: u.reports.len(),
        })
        .collect();
    let ranks = pinyin_ranks(site.units.iter().map(|u| u.name.as_str()));
    sort_by_rank(&mut units, &ranks);
    ctx.page(
        "sources.html",
        SOURCES_URL,
        context! {
            kind => "sources",
            title => label(locale, "sources", &[]),
            description => label(locale, "sources_intro", &[]),
            canonical => site.config.permalink(SOURCES_URL),
            canonical_path => SOURCES_URL,
            current_nav => SOURCES_URL,
            units => to_value(&units),
        },
    )?;
    let pages = site
        .units
        .par_iter()
        .map(|u| write_unit(ctx, u).map(|_| 1))
        .sum::<Result<usize, Diagnostic>>()?;
    Ok(pages + 1)
}

fn write_unit(ctx: &BuildContext, unit: &Unit) -> Result<(), Diagnostic> {
    let site = ctx.site;
    let locale = &ctx.renderer.locale;
    // Newest report year first; within a year the model's newest-first order.
    let mut by_year: BTreeMap<std::cmp::Reverse<i32>, Vec<ReportCard>> = BTreeMap::new();
    for &i in &unit.reports {
        let r = &site.reports[i];
        by_year
            .entry(std::cmp::Reverse(r.meta.year))
            .or_default()
            .push(ReportCard::new(site, r));
    }
    let years: Vec<YearGroup> = by_year
        .into_iter()
        .map(|(y, reports)| YearGroup { year: y.0, reports })
        .collect();
    let breadcrumbs = [Link {
        title: label(locale, "sources", &[]),
        url: site.config.href(SOURCES_URL),
    }];
    // The unit's statistics trend is made from the same reports.
    ctx.page_showing(
        "source.html",
        &unit.url,
        &unit.reports,
        context! {
            kind => "source",
            title => &unit.name,
            description => label(locale, "source_intro", &[("name", &unit.name), ("count", &unit.reports.len().to_string())]),
            canonical => site.config.permalink(&unit.url),
            canonical_path => &unit.url,
            current_nav => SOURCES_URL,
            breadcrumbs => to_value(&breadcrumbs),
            unit => context! {
                name => &unit.name,
                short_name => &unit.details.short_name,
                address => &unit.details.address,
                website => &unit.details.website,
                // Only web addresses become links; anything else is shown as text.
                website_is_link => is_web_address(&unit.details.website),
                feed_url => site.config.href(&unit.feed_url),
                count => unit.reports.len(),
            },
            years => to_value(&years),
            trend => to_value(crate::disclosure::trend::unit_trend_of(site, unit_index(site, unit), ctx.stats)),
        },
    )
}

/// Position of `unit` in `Site::units`.
fn unit_index(site: &crate::model::Site, unit: &Unit) -> usize {
    site.units
        .iter()
        .position(|u| std::ptr::eq(u, unit))
        .unwrap_or(0)
}

fn is_web_address(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}
