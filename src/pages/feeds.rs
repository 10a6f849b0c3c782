//! Atom feeds: `/atom.xml` with the newest reports of the site, and
//! `/sources/<slug>/atom.xml` per issuing unit. Written with `atom_syndication`,
//! which escapes every value.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use rayon::prelude::*;

use super::BuildContext;
use super::listing::last_changed;
use super::sitemap::encoded_permalink;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;
use crate::model::{Report, Site};

pub use crate::routes::FEED_URL;
/// How many reports a feed carries, newest first.
pub const FEED_LENGTH: usize = 30;

/// Dates without a time are read as midnight China Standard Time (UTC+8),
/// where the bodies that publish these reports are.
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let newest: Vec<usize> = (0..site.reports.len().min(FEED_LENGTH)).collect();
    if ctx.wants_rel(FEED_URL.trim_start_matches('/')) {
        let feed = build_feed(
            ctx,
            site.config.title.clone(),
            site.config.permalink("/"),
            FEED_URL,
            &newest,
        );
        write_feed(ctx, FEED_URL, &feed, &newest)?;
    }
    let units = site
        .units
        .par_iter()
        .map(|u| {
            if !ctx.wants_rel(u.feed_url.trim_start_matches('/')) {
                return Ok(1);
            }
            let newest = &u.reports[..u.reports.len().min(FEED_LENGTH)];
            let title = format!("{} - {}", u.name, site.config.title);
            let feed = build_feed(
                ctx,
                title,
                site.config.permalink(&u.url),
                &u.feed_url,
                newest,
            );
            write_feed(ctx, &u.feed_url, &feed, newest).map(|_| 1)
        })
        .sum::<Result<usize, Diagnostic>>()?;
    Ok(units + 1)
}

/// Writes `feed` of the reports `shows` at site path `url`.
fn write_feed(
    ctx: &BuildContext,
    url: &str,
    feed: &Feed,
    shows: &[usize],
) -> Result<(), Diagnostic> {
    let bytes = feed.write_to(Vec::new()).map_err(|e| {
        Diagnostic::error(tr(
            "pages.cannot-write-feed",
            &[("url", &url), ("error", &e)],
        ))
        .with_help(tr("pages.bug-help", &[]))
    })?;
    ctx.write_file(url.trim_start_matches('/'), &bytes, shows)
}

/// A feed of `reports` (newest first) whose HTML page is `alternate`.
fn build_feed(
    ctx: &BuildContext,
    title: String,
    alternate: String,
    url: &str,
    reports: &[usize],
) -> Feed {
    let site = ctx.site;
    let entries: Vec<Entry> = reports.iter().map(|&i| entry(ctx, i)).collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| at_midnight(NaiveDate::default()));
    let owner = if site.config.owner.name.is_empty() {
        &site.config.title
    } else {
        &site.config.owner.name
    };
    Feed {
        title: Text::plain(xml_text(&title)),
        id: alternate.clone(),
        updated,
        authors: vec![Person {
            name: xml_text(owner),
            uri: Some(site.config.permalink("/")),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "annals".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        links: vec![
            Link {
                href: encoded_permalink(&site.config.base_url, url),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: alternate,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        subtitle: (!site.config.description.is_empty())
            .then(|| Text::plain(xml_text(&site.config.description))),
        lang: Some(site.config.language.clone()),
        entries,
        ..Feed::default()
    }
}

fn entry(ctx: &BuildContext, index: usize) -> Entry {
    let site = ctx.site;
    let r = &site.reports[index];
    let unit = &site.units[r.unit];
    let published = published(r);
    let updated = at_midnight(last_changed(r)).max(published);
    let mut categories: Vec<Category> = r
        .category
        .map(|c| term(site, &site.categories[c].name, &site.categories[c].url))
        .into_iter()
        .collect();
    categories.extend(
        r.tags
            .iter()
            .map(|&t| term(site, &site.tags[t].name, &site.tags[t].url)),
    );
    Entry {
        title: Text::plain(xml_text(&r.meta.title)),
        id: r.permalink.clone(),
        updated,
        published: Some(published),
        authors: vec![Person {
            name: xml_text(&r.meta.source),
            uri: Some(site.config.permalink(&unit.url)),
            ..Person::default()
        }],
        categories,
        links: vec![Link {
            href: encoded_permalink(&site.config.base_url, &r.url),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        }],
        summary: r.meta.summary.as_deref().map(|s| Text::plain(xml_text(s))),
        content: Some(Content {
            base: Some(r.permalink.clone()),
            // Readers show entries away from the site: every address absolute.
            value: Some(xml_text(&crate::links::absolute_for_feed(
                &ctx.rendered[index].html,
                &site.config.base_url,
                &r.permalink,
            ))),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

fn term(site: &Site, name: &str, url: &str) -> Category {
    Category {
        term: xml_text(name),
        scheme: Some(site.config.permalink(url)),
        label: Some(xml_text(name)),
    }
}

/// The publish time: the RFC 3339 timestamp when one was given, else midnight.
fn published(r: &Report) -> FixedDateTime {
    r.meta
        .date_time
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| at_midnight(r.meta.date))
}

fn at_midnight(date: NaiveDate) -> FixedDateTime {
    let offset = FixedOffset::east_opt(CHINA_OFFSET_SECONDS).expect("UTC+8 is a valid offset");
    date.and_time(NaiveTime::MIN)
        .and_local_timezone(offset)
        .single()
        .expect("a fixed offset has exactly one local time")
}

/// Drops characters XML 1.0 cannot carry at all (control characters other than
/// tab and newlines); escaping cannot make them valid, so a pasted form feed
/// would otherwise break the whole feed.
pub fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(xml_text("a\u{c}b\tc\u{1}"), "ab\tc");
        assert_eq!(xml_text("中文 <&>"), "中文 <&>");
    }

    #[test]
    fn plain_dates_are_china_midnight() {
        let d = NaiveDate::from_ymd_opt(2023, 3, 10).unwrap();
        assert_eq!(at_midnight(d).to_rfc3339(), "2023-03-10T00:00:00+08:00");
    }
}
