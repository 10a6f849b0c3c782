//! Helpers shared by the list pages (archive years, units, tags, categories),
//! the feeds and the sitemap: pagination, page titles from the theme's strings,
//! and the date a page last changed.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::slug::pinyin_slug;
use crate::model::{Report, Site};

/// Site path of page `number` (1-based) of a paginated list at `base`:
/// `/archive/2022/`, `/archive/2022/page/2/`, …
pub fn page_url(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The item ranges of each page; `per_page = 0` means one page with everything.
/// An empty list still has one (empty) page, so every list URL exists.
pub fn page_ranges(len: usize, per_page: usize) -> Vec<Range<usize>> {
    if per_page == 0 || len <= per_page {
        return std::iter::once(0..len).collect();
    }
    (0..len)
        .step_by(per_page)
        .map(|start| start..(start + per_page).min(len))
        .collect()
}

/// The pagination block of one page, as templates show it.
#[derive(Debug, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Page links around the current page; `number: None` marks a gap (…).
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// `None` when there is only one page: no navigation is needed then.
    pub fn new(base: &str, current: usize, total: usize) -> Option<Pagination> {
        if total <= 1 {
            return None;
        }
        // First, last and two either side of the current page; the rest collapse
        // into a gap so a 200-page year does not print 200 links.
        let shown = |n: usize| n == 1 || n == total || n.abs_diff(current) <= 2;
        let mut pages = Vec::new();
        for n in 1..=total {
            if shown(n) {
                pages.push(PageLink {
                    number: Some(n),
                    url: page_url(base, n),
                    current: n == current,
                });
            } else if pages.last().is_some_and(|p| p.number.is_some()) {
                pages.push(PageLink {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            }
        }
        Some(Pagination {
            current,
            total,
            prev: (current > 1).then(|| page_url(base, current - 1)),
            next: (current < total).then(|| page_url(base, current + 1)),
            pages,
        })
    }
}

/// A theme string with `{name}` placeholders filled in, e.g.
/// `archive_year_title = "{year}年度报告"`. A missing key falls back to the key.
pub fn label(locale: &minijinja::Value, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = locale
        .get_attr(key)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| key.to_string());
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The title of page `number` of a list: page 1 keeps the list's title.
pub fn paged_title(locale: &minijinja::Value, title: &str, number: usize) -> String {
    if number <= 1 {
        title.to_string()
    } else {
        label(
            locale,
            "paged_title",
            &[("title", title), ("page", &number.to_string())],
        )
    }
}

/// Positions of `names` in reading order: by pinyin, as a Chinese index is
/// ordered, rather than by code point (which puts 政 before 法).
pub fn pinyin_ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let keys: Vec<(String, &str)> = names.map(|n| (pinyin_slug(n), n)).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut ranks = vec![0; keys.len()];
    for (rank, i) in order.into_iter().enumerate() {
        ranks[i] = rank;
    }
    ranks
}

/// Reorders `items` (parallel to the ranked names) by rank.
pub fn sort_by_rank<T>(items: &mut Vec<T>, ranks: &[usize]) {
    let mut ranked: Vec<(usize, T)> = ranks.iter().copied().zip(items.drain(..)).collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    items.extend(ranked.into_iter().map(|(_, item)| item));
}

/// When a report last changed: `updated`, or the publish date.
pub fn last_changed(r: &Report) -> NaiveDate {
    r.meta.updated.map_or(r.meta.date, |u| u.max(r.meta.date))
}

/// When a list of reports last changed: its newest report's date.
pub fn newest_change(site: &Site, reports: &[usize]) -> Option<NaiveDate> {
    reports
        .iter()
        .map(|&i| last_changed(&site.reports[i]))
        .max()
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_item_once() {
        assert_eq!(page_ranges(0, 50), vec![0..0]);
        assert_eq!(page_ranges(50, 50), vec![0..50]);
        assert_eq!(page_ranges(101, 50), vec![0..50, 50..100, 100..101]);
        assert_eq!(page_ranges(7, 0), vec![0..7]);
    }

    #[test]
    fn ranks_follow_pinyin() {
        assert_eq!(
            pinyin_ranks(["政府", "法治", "安全"].into_iter()),
            vec![2, 1, 0]
        );
    }

    #[test]
    fn pagination_marks_current_and_collapses_gaps() {
        assert!(Pagination::new("/a/", 1, 1).is_none());
        let p = Pagination::new("/a/", 5, 20).unwrap();
        let numbers: Vec<Option<usize>> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(20)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("/a/page/4/"));
        assert_eq!(p.next.as_deref(), Some("/a/page/6/"));
        assert!(p.pages.iter().filter(|l| l.current).count() == 1);
        let first = Pagination::new("/a/", 1, 2).unwrap();
        assert_eq!(first.prev, None);
        assert_eq!(first.pages[0].url, "/a/");
    }
}
