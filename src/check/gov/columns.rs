//! 栏目 with nothing in them and a site that stopped publishing: the two
//! findings of the 检查指标 about content (空白栏目, 更新不及时).

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::Site;

/// Every section (a folder of `content/`), year, unit, category and tag page
/// that lists no report, counting the reports of sub-folders.
pub fn empty(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, s) in site.sections.iter().enumerate().skip(1) {
        if count_in(site, i) == 0 {
            let mut d = Diagnostic::error(tr(
                "gov.empty-column",
                &[("title", &s.title), ("url", &site.config.href(&s.url))],
            ))
            .with_help(tr("gov.empty-column-help", &[]));
            if let Some(file) = &s.file {
                d = d.in_file(file);
            }
            out.push(d);
        }
    }
    let lists = site
        .years
        .iter()
        .map(|y| (y.year.to_string(), &y.url, y.reports.len()))
        .chain(
            site.units
                .iter()
                .map(|u| (u.name.clone(), &u.url, u.reports.len())),
        )
        .chain(
            site.categories
                .iter()
                .chain(&site.tags)
                .map(|t| (t.name.clone(), &t.url, t.reports.len())),
        );
    for (title, url, count) in lists {
        if count == 0 {
            out.push(
                Diagnostic::error(tr(
                    "gov.empty-column",
                    &[("title", &title), ("url", &site.config.href(url))],
                ))
                .with_help(tr("gov.empty-column-help", &[])),
            );
        }
    }
    out
}

fn count_in(site: &Site, section: usize) -> usize {
    let s = &site.sections[section];
    s.reports.len() + s.children.iter().map(|&c| count_in(site, c)).sum::<usize>()
}

/// A warning when the newest report was published more than `max_days` before `today`.
pub fn stale(site: &Site, today: NaiveDate, config_file: &std::path::Path) -> Option<Diagnostic> {
    let max = site.config.gov.max_age_days;
    let newest = site.reports.iter().max_by_key(|r| r.meta.date)?;
    let days = (today - newest.meta.date).num_days();
    (days > i64::from(max)).then(|| {
        Diagnostic::warning(tr(
            "gov.stale",
            &[
                ("date", &newest.meta.date),
                ("days", &days),
                ("max", &max),
                ("file", &newest.file.display()),
            ],
        ))
        .in_file(config_file)
        .with_help(tr("gov.stale-help", &[]))
    })
}
