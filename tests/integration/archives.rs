//! Archives and discovery: year archives, unit pages, taxonomies, feeds, the
//! sitemap, redirects from old addresses, the open catalogue and JSON-LD.
//! One site with reports over five years and four units, built once per test.

use crate::common::*;

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::percent_decode_str;
use scraper::Html;

const BASE: &str = "https://test.example.gov.cn";
const FAZHI: &str = "法治政府建设年度报告";
const XXGK: &str = "政府信息公开工作年度报告";

/// One report of the test site, with what the site must make of it.
struct Spec {
    file: &'static str,
    title: &'static str,
    date: &'static str,
    source: &'static str,
    /// Written as `year:` when the title does not carry the year.
    year_key: Option<i32>,
    /// The report year the archive must file it under.
    year: i32,
    category: Option<&'static str>,
    tags: &'static [&'static str],
    aliases: &'static [&'static str],
    summary: Option<&'static str>,
    index_no: Option<&'static str>,
    doc_no: Option<&'static str>,
    updated: Option<&'static str>,
    /// (title, file name, size in bytes) of files beside the report.
    attachments: &'static [(&'static str, &'static str, usize)],
}

const NONE: Spec = Spec {
    file: "",
    title: "",
    date: "",
    source: "",
    year_key: None,
    year: 0,
    category: None,
    tags: &[],
    aliases: &[],
    summary: None,
    index_no: None,
    doc_no: None,
    updated: None,
    attachments: &[],
};

const JIA: &str = "甲市司法局";
const YI: &str = "乙市政府办公室";
const BING: &str = "丙市应急管理局";
const DING: &str = "丁市生态环境局";

fn specs() -> Vec<Spec> {
    vec![
        Spec {
            file: "fazhi/jia-2019.md",
            title: "甲市司法局2019年法治政府建设年度报告",
            date: "2020-03-01",
            source: JIA,
            year: 2019,
            category: Some(FAZHI),
            tags: &["法治政府建设", "行政复议"],
            aliases: &["/zwgk/2020/0301/100.html", "/old/jia-2019/"],
            ..NONE
        },
        Spec {
            file: "fazhi/jia-2020.md",
            title: "甲市司法局2020年法治政府建设年度报告",
            date: "2021-03-02",
            source: JIA,
            year: 2020,
            category: Some(FAZHI),
            tags: &["法治政府建设"],
            aliases: &["/zwgk/%E6%B3%95%E6%B2%BB/2020.html"],
            ..NONE
        },
        Spec {
            file: "fazhi/jia-2021.md",
            title: "甲市司法局2021年法治政府建设年度报告",
            date: "2022-03-03",
            source: JIA,
            year: 2021,
            category: Some(FAZHI),
            ..NONE
        },
        // Published in 2023, about 2022: it belongs to 2022.
        Spec {
            file: "fazhi/jia-2022.md",
            title: "甲市司法局2022年法治政府建设年度报告",
            date: "2023-03-10",
            source: JIA,
            year: 2022,
            category: Some(FAZHI),
            tags: &["法治政府建设"],
            ..NONE
        },
        Spec {
            file: "fazhi/jia-2023.md",
            title: "甲市司法局2023年法治政府建设年度报告",
            date: "2024-03-05",
            source: JIA,
            year: 2023,
            category: Some(FAZHI),
            ..NONE
        },
        Spec {
            file: "xxgk/yi-2021.md",
            title: "乙市政府办公室政府信息公开工作年度报告（2021）",
            date: "2022-01-20",
            source: YI,
            year_key: Some(2021),
            year: 2021,
            category: Some(XXGK),
            tags: &["政务公开"],
            ..NONE
        },
        Spec {
            file: "xxgk/yi-2022.md",
            title: "乙市政府办公室2022年政府信息公开工作年度报告",
            date: "2023-01-25",
            source: YI,
            year: 2022,
            category: Some(XXGK),
            tags: &["政务公开"],
            ..NONE
        },
        Spec {
            file: "xxgk/yi-2023.md",
            title: "乙市政府办公室2023年政府信息公开工作年度报告",
            date: "2024-01-30",
            source: YI,
            year: 2023,
            category: Some(XXGK),
            ..NONE
        },
        Spec {
            file: "fazhi/bing-2022.md",
            title: "丙市应急管理局2022年法治政府建设年度报告",
            date: "2023-03-20",
            source: BING,
            year: 2022,
            category: Some(FAZHI),
            tags: &["应急管理", "法治政府建设"],
            ..NONE
        },
        Spec {
            file: "gongzuo/bing-2023.md",
            title: "丙市应急管理局2023年工作总结",
            date: "2023-12-30",
            source: BING,
            year: 2023,
            ..NONE
        },
        Spec {
            file: "xxgk/ding-2019.md",
            title: "丁市生态环境局2019年政府信息公开工作年度报告",
            date: "2020-01-15",
            source: DING,
            year: 2019,
            category: Some(XXGK),
            summary: Some("2019年度政府信息公开工作情况。"),
            index_no: Some("000014349/2020-00110"),
            doc_no: Some("丁环〔2020〕5号"),
            updated: Some("2020-02-01"),
            attachments: &[
                ("附件1 统计表", "table.pdf", 2048),
                ("附件2 说明", "note.docx", 512),
            ],
            ..NONE
        },
        Spec {
            file: "gongzuo/ding-2023.md",
            title: "丁市生态环境局2023年“放管服”改革报告 A&B </script><试行>",
            date: "2024-02-02",
            source: DING,
            year: 2023,
            category: Some("改革报告"),
            tags: &["放管服"],
            ..NONE
        },
        // A file name in Chinese: its address must be percent-encoded in the sitemap.
        Spec {
            file: "gongzuo/丁局环境质量报告.md",
            title: "丁市生态环境局环境质量报告",
            date: "2024-06-05",
            source: DING,
            year_key: Some(2023),
            year: 2023,
            ..NONE
        },
    ]
}

impl Spec {
    fn url(&self) -> String {
        format!("/{}/", self.file.trim_end_matches(".md"))
    }
    fn permalink(&self) -> String {
        format!("{BASE}{}", self.url())
    }
}

/// JSON strings are YAML strings, so any title can be written safely.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

const PER_PAGE: usize = 3;

fn build_site() -> SiteDir {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}\n[units]\n\"{JIA}\" = {{ slug = \"jia\", short_name = \"市司法局\", address = \"甲市人民路1号\", website = \"https://sfj.jia.example.gov.cn\" }}\n\n[archive]\nper_page = {PER_PAGE}\n"
        ),
    );
    for s in specs() {
        let mut front = format!(
            "title: {}\ndate: {}\nsource: {}\n",
            q(s.title),
            s.date,
            q(s.source)
        );
        if let Some(y) = s.year_key {
            front += &format!("year: {y}\n");
        }
        if let Some(c) = s.category {
            front += &format!("category: {}\n", q(c));
        }
        if !s.tags.is_empty() {
            let tags: Vec<String> = s.tags.iter().map(|t| q(t)).collect();
            front += &format!("tags: [{}]\n", tags.join(", "));
        }
        if !s.aliases.is_empty() {
            let aliases: Vec<String> = s.aliases.iter().map(|a| q(a)).collect();
            front += &format!("aliases: [{}]\n", aliases.join(", "));
        }
        for (key, value) in [
            ("summary", s.summary),
            ("index_no", s.index_no),
            ("doc_no", s.doc_no),
        ] {
            if let Some(v) = value {
                front += &format!("{key}: {}\n", q(v));
            }
        }
        if let Some(u) = s.updated {
            front += &format!("updated: {u}\n");
        }
        if !s.attachments.is_empty() {
            front += "attachments:\n";
            let folder = s.file.trim_end_matches(".md");
            for (title, file, size) in s.attachments {
                front += &format!("  - {{title: {}, file: {file}}}\n", q(title));
                site.write_bytes(&format!("content/{folder}/{file}"), &vec![b'x'; *size]);
            }
        }
        site.write(
            &format!("content/{}", s.file),
            &format!("---\n{front}---\n\n## 一、总体情况\n\n{}正文。\n", s.title),
        );
    }
    site.build_ok();
    site
}

/// Every report link on a paginated list, following `rel=next` to the end;
/// checks that each page holds at most PER_PAGE reports and marks itself current.
fn paginated_links(site: &SiteDir, first: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut url = Some(first.to_string());
    let mut number = 1;
    while let Some(u) = url {
        let doc = site.html(&output_of(&u));
        let here = attrs(&doc, ".report-list a.report-link", "href");
        assert!(here.len() <= PER_PAGE, "{u} has {} reports", here.len());
        links.extend(here);
        let next = attrs(&doc, "nav.pagination a[rel=next]", "href");
        if !next.is_empty() || number > 1 {
            assert_eq!(
                texts(&doc, "nav.pagination a[aria-current=page]"),
                vec![number.to_string()],
                "{u}"
            );
            assert!(!attrs(&doc, "nav.pagination", "aria-label")[0].is_empty());
        }
        url = next.into_iter().next();
        number += 1;
    }
    links
}

/// The file a site path is written to.
fn output_of(url: &str) -> String {
    let path = percent_decode_str(url).decode_utf8_lossy().into_owned();
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if path.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

fn sorted(v: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = v.into_iter().collect();
    v.sort();
    v
}

#[test]
fn each_archive_year_lists_exactly_its_reports_by_report_year() {
    let site = build_site();
    let specs = specs();
    let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for s in &specs {
        by_year.entry(s.year).or_default().push(s.url());
    }
    assert!(by_year.len() >= 5);

    let index = site.html("archive/index.html");
    let expected_years: Vec<String> = by_year
        .keys()
        .rev()
        .map(|y| format!("/archive/{y}/"))
        .collect();
    assert_eq!(attrs(&index, ".year-list a", "href"), expected_years);
    let counts: Vec<String> = by_year
        .values()
        .rev()
        .map(|v| format!("{}篇", v.len()))
        .collect();
    assert_eq!(texts(&index, ".year-list .count"), counts);
    assert_eq!(
        attrs(&index, ".main-nav a[aria-current=page]", "href"),
        vec!["/archive/"]
    );

    for (year, urls) in &by_year {
        let links = paginated_links(&site, &format!("/archive/{year}/"));
        assert_eq!(sorted(links), sorted(urls.clone()), "year {year}");
    }
    // 2023 has more than PER_PAGE reports: a second page exists and links back.
    assert!(by_year[&2023].len() > PER_PAGE);
    let page2 = site.html("archive/2023/page/2/index.html");
    assert_eq!(
        attrs(&page2, "nav.pagination a[rel=prev]", "href"),
        vec!["/archive/2023/"]
    );
    assert_eq!(
        attrs(&page2, "link[rel=canonical]", "href"),
        vec![format!("{BASE}/archive/2023/page/2/")]
    );
    // page/1/ of a paginated list sends readers to the list itself.
    let first = site.html("archive/2023/page/1/index.html");
    assert_eq!(
        attrs(&first, "meta[http-equiv=refresh]", "content"),
        vec!["0; url=/archive/2023/"]
    );
    assert!(
        !site
            .public()
            .join("archive/2022/page/1/index.html")
            .exists()
    );
    // The 2022 report published in 2023 is under 2022 only.
    let y2022 = site.html("archive/2022/index.html");
    assert!(attrs(&y2022, "a.report-link", "href").contains(&"/fazhi/jia-2022/".to_string()));
    assert!(!paginated_links(&site, "/archive/2023/").contains(&"/fazhi/jia-2022/".to_string()));
    // Grouped by category, then unit, in pinyin order: 法治 (fa…) before
    // 政府 (zheng…), 丙 (bing) before 甲 (jia).
    assert_eq!(texts(&y2022, "main section > h2"), vec![FAZHI, XXGK]);
    assert_eq!(
        texts(&y2022, "main section:nth-of-type(1) h3"),
        vec![BING, JIA]
    );
    assert_eq!(texts(&y2022, "main section:nth-of-type(2) h3"), vec![YI]);
    // Reports without a category come last.
    let last_2023 = site.html("archive/2023/page/2/index.html");
    assert_eq!(
        texts(&last_2023, "main section > h2")
            .last()
            .map(String::as_str),
        Some("其他")
    );
    // Old years say so; current ones do not.
    assert!(!texts(&site.html("archive/2019/index.html"), ".notice-archived").is_empty());
    assert!(texts(&y2022, ".notice-archived").is_empty());
}

#[test]
fn each_unit_page_lists_exactly_its_reports() {
    let site = build_site();
    let specs = specs();
    let index = site.html("sources/index.html");
    let names = texts(&index, ".unit-list li > a");
    let hrefs = attrs(&index, ".unit-list li > a", "href");
    let units: BTreeSet<&str> = specs.iter().map(|s| s.source).collect();
    assert_eq!(
        names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        units
    );
    assert_eq!(units.len(), 4);
    let unit_url: BTreeMap<String, String> = names.into_iter().zip(hrefs).collect();
    assert_eq!(unit_url[JIA], "/sources/jia/");
    for url in unit_url.values() {
        let slug = url.trim_start_matches("/sources/").trim_end_matches('/');
        assert!(
            slug.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{url}"
        );
    }
    for unit in &units {
        let url = &unit_url[*unit];
        let doc = site.html(&output_of(url));
        assert_eq!(texts(&doc, "h1"), vec![unit.to_string()]);
        let expected: Vec<String> = specs
            .iter()
            .filter(|s| s.source == *unit)
            .map(Spec::url)
            .collect();
        let listed = attrs(&doc, ".report-list a.report-link", "href");
        assert_eq!(sorted(listed), sorted(expected.clone()), "{unit}");
        // By report year, newest first.
        let years: Vec<i32> = texts(&doc, "main section h2")
            .iter()
            .map(|h| h.trim_end_matches('年').parse().unwrap())
            .collect();
        let mut want: Vec<i32> = specs
            .iter()
            .filter(|s| s.source == *unit)
            .map(|s| s.year)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .rev()
            .collect();
        want.dedup();
        assert_eq!(years, want, "{unit}");
        // The report page's 来源 links here.
        let report = site.html(&output_of(&expected[0]));
        assert!(attrs(&report, ".meta-line a", "href").contains(url));
        assert_eq!(
            attrs(
                &doc,
                "link[rel=alternate][type='application/atom+xml']",
                "href"
            )
            .last()
            .unwrap(),
            &format!("{url}atom.xml")
        );
    }
    let jia = site.html("sources/jia/index.html");
    let facts = texts(&jia, ".unit-facts dd");
    assert!(facts.contains(&"市司法局".to_string()), "{facts:?}");
    assert!(facts.contains(&"甲市人民路1号".to_string()), "{facts:?}");
    assert_eq!(
        attrs(&jia, ".unit-facts a", "href"),
        vec!["https://sfj.jia.example.gov.cn"]
    );
}

#[test]
fn tag_and_category_pages_list_their_reports() {
    let site = build_site();
    let specs = specs();
    for (index, pick) in [
        (
            "tags/index.html",
            &(|s: &Spec| s.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>())
                as &dyn Fn(&Spec) -> Vec<String>,
        ),
        ("categories/index.html", &|s: &Spec| {
            s.category.iter().map(|c| c.to_string()).collect()
        }),
    ] {
        let doc = site.html(index);
        let names = texts(&doc, ".term-list li > a");
        let hrefs = attrs(&doc, ".term-list li > a", "href");
        let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in &specs {
            for term in pick(s) {
                expected.entry(term).or_default().push(s.url());
            }
        }
        assert_eq!(
            names.iter().cloned().collect::<BTreeSet<_>>(),
            expected.keys().cloned().collect()
        );
        for (name, href) in names.iter().zip(&hrefs) {
            let links = paginated_links(&site, href);
            assert_eq!(sorted(links), sorted(expected[name].clone()), "{name}");
        }
    }
}

#[test]
fn series_links_and_archived_notice_are_right() {
    let site = build_site();
    let page = |url: &str| site.html(&output_of(url));
    let y2020 = page("/fazhi/jia-2020/");
    assert_eq!(
        attrs(&y2020, ".series a[rel=prev]", "href"),
        vec!["/fazhi/jia-2019/"]
    );
    assert_eq!(
        attrs(&y2020, ".series a[rel=next]", "href"),
        vec!["/fazhi/jia-2021/"]
    );
    // Old years carry the notice, pointing to the unit's newest report of the series.
    let notice = texts(&y2020, ".notice-archived");
    assert_eq!(notice.len(), 1);
    assert_eq!(
        attrs(&y2020, ".notice-archived a", "href"),
        vec!["/fazhi/jia-2023/"]
    );
    assert_eq!(
        attrs(&y2020, ".notice-archived time", "datetime"),
        vec!["2024-03-05"]
    );
    // The two newest report years are current.
    assert!(texts(&page("/fazhi/jia-2022/"), ".notice-archived").is_empty());
    let newest = page("/fazhi/jia-2023/");
    assert!(texts(&newest, ".notice-archived").is_empty());
    assert!(attrs(&newest, ".series a[rel=next]", "href").is_empty());
    // Another unit's series is separate.
    let yi = page("/xxgk/yi-2021/");
    assert_eq!(
        attrs(&yi, ".notice-archived a", "href"),
        vec!["/xxgk/yi-2023/"]
    );
    assert!(attrs(&yi, ".series a[rel=prev]", "href").is_empty());
}

#[test]
fn sitemap_parses_and_lists_every_page_that_exists() {
    let site = build_site();
    let specs = specs();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut lastmod: BTreeMap<String, String> = BTreeMap::new();
    for url in doc.root_element().children().filter(|n| n.is_element()) {
        let child = |name: &str| {
            url.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let loc = child("loc").expect("every url has a loc");
        assert!(loc.is_ascii(), "{loc} is not percent-encoded");
        let path = loc.strip_prefix(BASE).expect("absolute URL").to_string();
        assert!(
            site.public().join(output_of(&path)).is_file(),
            "{loc} is in the sitemap but was not written"
        );
        let date = child("lastmod").unwrap_or_default();
        lastmod.insert(
            percent_decode_str(&path).decode_utf8_lossy().into_owned(),
            date,
        );
    }
    for s in &specs {
        let date = lastmod
            .get(&s.url())
            .unwrap_or_else(|| panic!("{} missing from sitemap", s.url()));
        assert_eq!(date, s.updated.unwrap_or(s.date), "{}", s.file);
    }
    for page in [
        "/",
        "/archive/",
        "/archive/2019/",
        "/archive/2023/page/2/",
        "/sources/",
        "/sources/jia/",
        "/tags/",
        "/categories/",
    ] {
        assert!(lastmod.contains_key(page), "{page} missing from sitemap");
    }
    // A list page is as new as its newest report.
    let newest_2019 = specs
        .iter()
        .filter(|s| s.year == 2019)
        .map(|s| s.updated.unwrap_or(s.date))
        .max()
        .unwrap();
    assert_eq!(lastmod["/archive/2019/"], newest_2019);
    // Redirects are not pages to index.
    assert!(!lastmod.keys().any(|k| k.starts_with("/zwgk/")));
    assert_eq!(
        site.read("robots.txt")
            .lines()
            .find(|l| l.starts_with("Sitemap:"))
            .unwrap(),
        format!("Sitemap: {BASE}/sitemap.xml")
    );
}

#[test]
fn atom_feeds_are_valid_and_carry_the_right_entries() {
    let site = build_site();
    let specs = specs();
    let bytes = std::fs::read(site.public().join("atom.xml")).unwrap();
    let feed = feed_rs::parser::parse(&bytes[..]).expect("valid Atom");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    // Dates without a time are midnight in China.
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    // Newest first by publish date.
    let mut by_date: Vec<&Spec> = specs.iter().collect();
    by_date.sort_by(|a, b| b.date.cmp(a.date));
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        ids,
        by_date.iter().map(|s| s.permalink()).collect::<Vec<_>>()
    );
    for (entry, s) in feed.entries.iter().zip(&by_date) {
        assert_eq!(entry.title.as_ref().unwrap().content, s.title);
        assert_eq!(entry.authors[0].name.as_deref(), Some(s.source));
        assert_eq!(
            entry
                .published
                .unwrap()
                .with_timezone(&china)
                .format("%Y-%m-%d")
                .to_string(),
            s.date
        );
        assert_eq!(
            entry
                .updated
                .unwrap()
                .with_timezone(&china)
                .format("%Y-%m-%d")
                .to_string(),
            s.updated.unwrap_or(s.date)
        );
        // Links are percent-encoded where the path is not ASCII.
        assert!(entry.links[0].href.is_ascii());
        assert_eq!(
            percent_decode_str(&entry.links[0].href).decode_utf8_lossy(),
            s.permalink()
        );
        let content = entry.content.as_ref().unwrap().body.as_ref().unwrap();
        assert!(content.contains("<h2"), "{content}");
        if let Some(c) = s.category {
            assert!(entry.categories.iter().any(|x| x.term == c));
        }
        if let Some(summary) = s.summary {
            assert_eq!(entry.summary.as_ref().unwrap().content, summary);
        }
    }
    // One feed per unit with exactly that unit's reports.
    for unit in [JIA, YI, BING, DING] {
        let index = site.html("sources/index.html");
        let pos = texts(&index, ".unit-list li > a")
            .iter()
            .position(|n| n == unit)
            .unwrap();
        let url = &attrs(&index, ".unit-list li > a", "href")[pos];
        let bytes =
            std::fs::read(site.public().join(output_of(&format!("{url}atom.xml")))).unwrap();
        let feed = feed_rs::parser::parse(&bytes[..]).expect("valid unit Atom");
        let ids = sorted(feed.entries.iter().map(|e| e.id.clone()));
        let want = sorted(
            specs
                .iter()
                .filter(|s| s.source == unit)
                .map(Spec::permalink),
        );
        assert_eq!(ids, want, "{unit}");
    }
}

#[test]
fn site_feed_holds_the_newest_thirty() {
    let site = SiteDir::new();
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let date = |n: u64| {
        (first + chrono::Days::new(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    for n in 0..35 {
        site.report(
            &format!("r/r{n:02}.md"),
            &format!("报告{n:02}"),
            &date(n),
            "某局",
            "",
            "正文",
        );
    }
    site.build_ok();
    let bytes = std::fs::read(site.public().join("atom.xml")).unwrap();
    let feed = feed_rs::parser::parse(&bytes[..]).unwrap();
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    let want: Vec<String> = (5..35)
        .rev()
        .map(|n| format!("{BASE}/r/r{n:02}/"))
        .collect();
    assert_eq!(ids, want);
}

#[test]
fn each_alias_redirects_to_its_report() {
    let site = build_site();
    for s in specs() {
        for alias in s.aliases {
            let file = output_of(alias);
            let doc = site.html(&file);
            assert_eq!(
                attrs(&doc, "meta[http-equiv=refresh]", "content"),
                vec![format!("0; url={}", s.url())],
                "{alias}"
            );
            assert_eq!(
                attrs(&doc, "link[rel=canonical]", "href"),
                vec![s.permalink()]
            );
            assert_eq!(attrs(&doc, "meta[name=robots]", "content"), vec!["noindex"]);
            assert_eq!(attrs(&doc, "main a", "href"), vec![s.url()]);
            assert_eq!(texts(&doc, "main a"), vec![s.title]);
            assert_eq!(texts(&doc, "h1").len(), 1);
        }
    }
}

#[test]
fn catalogue_round_trips_every_report() {
    let site = build_site();
    let specs = specs();
    let json: serde_json::Value = serde_json::from_str(&site.read("reports.json")).unwrap();
    assert_eq!(json["version"], 1);
    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), specs.len());
    let null = serde_json::Value::Null;
    let opt = |v: Option<&str>| v.map_or(null.clone(), serde_json::Value::from);
    for s in &specs {
        let r = reports
            .iter()
            .find(|r| r["url"] == s.permalink())
            .unwrap_or_else(|| panic!("{} missing", s.file));
        assert_eq!(r["title"], s.title);
        assert_eq!(r["date"], s.date);
        assert_eq!(r["year"], s.year);
        assert_eq!(r["source"], s.source);
        assert_eq!(r["category"], opt(s.category));
        assert_eq!(r["tags"], serde_json::json!(s.tags));
        assert_eq!(r["summary"], opt(s.summary));
        assert_eq!(r["index_no"], opt(s.index_no));
        assert_eq!(r["doc_no"], opt(s.doc_no));
        assert_eq!(r["updated"], opt(s.updated));
        assert_eq!(r["print_url"], format!("{}print/", s.permalink()));
        assert_eq!(r["share_url"], format!("{}share/", s.permalink()));
        assert_eq!(r["aliases"], serde_json::json!(s.aliases));
        let slug = r["source_slug"].as_str().unwrap();
        assert!(
            site.public()
                .join(format!("sources/{slug}/index.html"))
                .is_file()
        );
        let attachments = r["attachments"].as_array().unwrap();
        assert_eq!(attachments.len(), s.attachments.len());
        for (a, (title, file, size)) in attachments.iter().zip(s.attachments) {
            assert_eq!(a["title"], *title);
            assert_eq!(a["size"], *size);
            assert_eq!(a["url"], format!("{}{file}", s.permalink()));
        }
    }
    let jia = reports.iter().find(|r| r["source"] == JIA).unwrap();
    assert_eq!(jia["source_slug"], "jia");

    let csv_bytes = std::fs::read(site.public().join("reports.csv")).unwrap();
    assert!(
        csv_bytes.starts_with(b"\xEF\xBB\xBF"),
        "CSV needs a BOM for Excel"
    );
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), specs.len());
    for s in &specs {
        let row = rows
            .iter()
            .find(|r| r[col("url")] == s.permalink())
            .unwrap();
        assert_eq!(&row[col("title")], s.title);
        assert_eq!(&row[col("year")], s.year.to_string());
        assert_eq!(&row[col("tags")], s.tags.join(";"));
        assert_eq!(row[col("attachments")].lines().count(), s.attachments.len());
    }
}

#[test]
fn report_pages_carry_schema_org_json_ld() {
    let site = build_site();
    for s in specs() {
        let html = site.read(&output_of(&s.url()));
        let doc = Html::parse_document(&html);
        let scripts = texts(&doc, "script[type='application/ld+json']");
        assert_eq!(scripts.len(), 1, "{}", s.file);
        // The title contains </script>: it must not end the element early.
        assert_eq!(
            html.matches("</script>").count(),
            1 + html.matches("<script src").count()
        );
        let data: serde_json::Value = serde_json::from_str(&scripts[0]).unwrap();
        assert_eq!(data["@context"], "https://schema.org");
        assert_eq!(data["@type"], "Report");
        assert_eq!(data["name"], s.title);
        assert_eq!(data["url"], s.permalink());
        assert_eq!(data["datePublished"], s.date);
        assert_eq!(data["dateModified"], s.updated.unwrap_or(s.date));
        assert_eq!(data["inLanguage"], "zh-CN");
        assert_eq!(data["publisher"]["@type"], "GovernmentOrganization");
        assert_eq!(data["publisher"]["name"], s.source);
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            vec![s.permalink()]
        );
    }
}

#[test]
fn new_pages_have_landmarks_one_h1_ordered_headings_and_labelled_navs() {
    let site = build_site();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(site.public()).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let new_kind = [
            "archive/",
            "sources/",
            "tags/",
            "categories/",
            "zwgk/",
            "old/",
        ]
        .iter()
        .any(|p| rel.starts_with(p));
        if !new_kind || !rel.ends_with(".html") {
            continue;
        }
        let doc = site.html(&rel);
        assert!(!attrs(&doc, "html", "lang")[0].is_empty(), "{rel}");
        assert!(!texts(&doc, "title")[0].is_empty(), "{rel}");
        assert_eq!(texts(&doc, "main").len(), 1, "{rel}: one main");
        assert_eq!(texts(&doc, "h1").len(), 1, "{rel}: one h1");
        let mut last = 0;
        for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(level <= last + 1, "{rel}: heading level skips to h{level}");
            last = level;
        }
        for nav in doc.select(&sel("nav")) {
            let v = nav.value();
            assert!(
                v.attr("aria-label").is_some() || v.attr("aria-labelledby").is_some(),
                "{rel}: a nav without a label"
            );
        }
        // Report links are list items.
        for a in doc.select(&sel("a.report-link")) {
            assert_eq!(
                a.parent().unwrap().value().as_element().unwrap().name(),
                "li"
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} pages checked");
}

#[test]
fn clashing_addresses_fail_naming_both_files() {
    // Two reports with one URL.
    let site = SiteDir::new();
    site.report(
        "a/x.md",
        "报告甲",
        "2023-01-01",
        "某局",
        "slug: same\n",
        "正文",
    )
    .report(
        "a/y.md",
        "报告乙",
        "2023-01-02",
        "某局",
        "slug: same\n",
        "正文",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("x.md") && err.contains("y.md"), "{err}");
    assert!(!site.public().exists());

    // An alias equal to a real page.
    let site = SiteDir::new();
    site.report("a/real.md", "真报告", "2023-01-01", "某局", "", "正文")
        .report(
            "a/other.md",
            "另一报告",
            "2023-01-02",
            "某局",
            "aliases: [/a/real/]\n",
            "正文",
        );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("real.md") && err.contains("other.md"), "{err}");

    // Two aliases claiming one old address.
    let site = SiteDir::new();
    site.report(
        "a/one.md",
        "一",
        "2023-01-01",
        "某局",
        "aliases: [/old/1.html]\n",
        "正文",
    )
    .report(
        "a/two.md",
        "二",
        "2023-01-02",
        "某局",
        "aliases: [/old/1.html]\n",
        "正文",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("one.md") && err.contains("two.md"), "{err}");

    // An alias over a page annals makes itself, or one with a query string.
    for alias in ["/archive/", "/sitemap.xml", "/list.jsp?id=3"] {
        let site = SiteDir::new();
        site.report(
            "a/r.md",
            "报告",
            "2023-01-01",
            "某局",
            &format!("aliases: [\"{alias}\"]\n"),
            "正文",
        );
        let out = site.build(&[]);
        assert!(!out.status.success(), "{alias}");
        let err = stderr(&out);
        assert!(err.contains("r.md") && err.contains(alias), "{err}");
    }

    // A section folder under a reserved name, even without reports.
    let site = SiteDir::new();
    site.write("content/sources/_index.md", "---\ntitle: 来源\n---\n")
        .report("a/r.md", "报告", "2023-01-01", "某局", "", "正文");
    let out = site.build(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("_index.md"), "{}", stderr(&out));
}
