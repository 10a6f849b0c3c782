//! A unit's headline figures year by year, for a small table on its page.

use serde::Serialize;

use super::schema::DisclosureStats;
use crate::model::Site;

/// One report year of a unit: the figures readers compare across years.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrendRow {
    pub year: i32,
    pub title: String,
    pub url: String,
    /// 本年新收政府信息公开申请数量 · 总计
    pub new_requests: Option<u64>,
    /// 上年结转 · 总计
    pub carried_over: Option<u64>,
    /// 予以公开 · 总计
    pub disclosed: Option<u64>,
    /// 部分公开 · 总计
    pub partly_disclosed: Option<u64>,
    /// 结转下年度继续办理 · 总计
    pub carried_forward: Option<u64>,
    /// 行政复议 · 总计
    pub reconsiderations: Option<u64>,
    /// 行政诉讼 (未经复议直接起诉 + 复议后起诉) · 总计
    pub lawsuits: Option<u64>,
}

impl TrendRow {
    fn new(year: i32, title: &str, url: &str, s: &DisclosureStats) -> TrendRow {
        let r = s.requests.as_ref();
        let a = s.appeals.as_ref();
        TrendRow {
            year,
            title: title.to_string(),
            url: url.to_string(),
            new_requests: r.and_then(|r| r.new.total().whole()),
            carried_over: r.and_then(|r| r.carried_over.total().whole()),
            disclosed: r.and_then(|r| r.outcomes.disclosed.total().whole()),
            partly_disclosed: r.and_then(|r| r.outcomes.partly_disclosed.total().whole()),
            carried_forward: r.and_then(|r| r.carried_forward.total().whole()),
            reconsiderations: a.and_then(|a| a.reconsideration.total().whole()),
            lawsuits: a.and_then(|a| {
                let direct = a.litigation.direct.total().whole()?;
                let after = a.litigation.after_reconsideration.total().whole()?;
                Some(direct + after)
            }),
        }
    }
}

/// The unit's reports that carry statistics, oldest year first. Reports whose
/// statistics do not parse are left out (the build reports them).
pub fn unit_trend(site: &Site, unit: usize) -> Vec<TrendRow> {
    unit_trend_of(site, unit, &super::parse_all(site))
}

/// [`unit_trend`] with the statistics of every report already read.
pub fn unit_trend_of(site: &Site, unit: usize, stats: &[super::ReportStats]) -> Vec<TrendRow> {
    let Some(u) = site.units.get(unit) else {
        return Vec::new();
    };
    let mut rows: Vec<TrendRow> = u
        .reports
        .iter()
        .filter_map(|&i| {
            let r = &site.reports[i];
            let parsed = super::stats_of(stats.get(i)?)?;
            Some(TrendRow::new(
                r.meta.year,
                &r.meta.title,
                &site.config.href(&r.url),
                &parsed.stats,
            ))
        })
        .collect();
    rows.sort_by_key(|row| row.year);
    rows
}
