//! The search index and page: files, shards, the document table, flags, and
//! what a first query downloads on a site of 2,000 reports.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::common::*;
use annals::search::encode::decode_all;
use annals::search::index::{BODY, HEADING, META, SOURCE, TITLE, WORD};
use annals::search::tokenize::{query_terms, shard_name, shard_of, term_hash};

fn json(site: &SiteDir, rel: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn meta(site: &SiteDir) -> serde_json::Value {
    json(site, "search/index/meta.json")
}

/// Postings of `term` as (report number, flags), read from the shard its hash names.
fn postings(site: &SiteDir, term: &str) -> Vec<(u32, u32)> {
    let bits = meta(site)["bits"].as_u64().unwrap() as u32;
    let shard = shard_name(shard_of(term_hash(term), bits), bits);
    let shard = json(site, &format!("search/index/{shard}.json"));
    let Some(text) = shard.get(term) else {
        return Vec::new();
    };
    let numbers = decode_all(text.as_str().unwrap()).expect("valid varints");
    assert_eq!(numbers.len() % 2, 0, "postings come in pairs");
    let mut doc = 0;
    numbers
        .chunks(2)
        .map(|c| {
            doc += c[0];
            (doc, c[1])
        })
        .collect()
}

/// Report number of the report at `url`, from the document chunks.
fn doc_number(site: &SiteDir, url: &str) -> u32 {
    let m = meta(site);
    let (count, chunk) = (m["count"].as_u64().unwrap(), m["chunk"].as_u64().unwrap());
    for n in 0..count.div_ceil(chunk) {
        let rows = json(site, &format!("search/index/docs/{n}.json"));
        for (k, row) in rows.as_array().unwrap().iter().enumerate() {
            if row[1] == url {
                return (n * chunk + k as u64) as u32;
            }
        }
    }
    panic!("{url} is not in the document table");
}

fn three_reports() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "青川市应急管理局2023年安全生产工作报告",
        "2024-02-01",
        "青川市应急管理局",
        "summary: 全市安全生产形势总体平稳。\ntags: [应急管理]\n",
        "## 一、总体情况\n\n全市安全生产形势平稳。\n\n## 二、防汛工作\n\n开展“鹭鸶洲”示范社区避险演练。",
    );
    site.report(
        "2022/b.md",
        "青川市司法局2022年法治政府建设年度报告",
        "2023-03-01",
        "青川市司法局",
        "summary: 推进行政处罚裁量基准制度。\n",
        "推进行政处罚裁量基准制度，加强生态环境保护，GDP 与 Ｗｅｂ 服务。",
    );
    site.report(
        "2021/c.md",
        "青川市司法局2021年法治政府建设年度报告",
        "2022-03-01",
        "青川市司法局",
        "",
        "开展普法宣传。",
    );
    site.build_ok();
    site
}

#[test]
fn index_files_exist_and_the_doc_table_has_every_report() {
    let site = three_reports();
    let m = meta(&site);
    assert_eq!(m["version"], 1);
    assert_eq!(m["count"], 3);
    let bits = m["bits"].as_u64().unwrap() as u32;
    assert_eq!(bits, 8, "a small site has the minimum of 256 shards");
    let shards: BTreeSet<String> = std::fs::read_dir(site.public().join("search/index"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "meta.json")
        .collect();
    assert_eq!(shards.len(), 256);
    assert!(shards.contains("00.json") && shards.contains("ff.json"));

    let units: Vec<&str> = m["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u[0].as_str().unwrap())
        .collect();
    assert_eq!(units, ["青川市司法局", "青川市应急管理局"]);
    let years: Vec<i64> = m["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert_eq!(years, [2023, 2022, 2021]);
    // Per report, newest first: its unit and year, as indices.
    assert_eq!(decode_all(m["unit"].as_str().unwrap()).unwrap(), [1, 0, 0]);
    assert_eq!(decode_all(m["year"].as_str().unwrap()).unwrap(), [0, 1, 2]);

    let rows = json(&site, "search/index/docs/0.json");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let urls: Vec<&str> = rows.iter().map(|r| r[1].as_str().unwrap()).collect();
    assert_eq!(urls, ["/2023/a/", "/2022/b/", "/2021/c/"]);
    assert_eq!(rows[0][0], "青川市应急管理局2023年安全生产工作报告");
    assert_eq!(rows[0][2], "2024-02-01");
    assert!(
        rows[0][3]
            .as_str()
            .unwrap()
            .starts_with("全市安全生产形势总体平稳。")
    );
}

#[test]
fn terms_are_in_the_shard_their_hash_names_with_their_fields() {
    let site = three_reports();
    let a = doc_number(&site, "/2023/a/");
    let b = doc_number(&site, "/2022/b/");
    let flags = |term: &str, doc: u32| {
        postings(&site, term)
            .into_iter()
            .find(|p| p.0 == doc)
            .map(|p| p.1 as u8)
            .unwrap_or_else(|| panic!("`{term}` has no posting for report {doc}"))
    };
    // A pair of characters found only in the body.
    assert_eq!(postings(&site, "鹭鸶").len(), 1);
    assert_ne!(flags("鹭鸶", a) & BODY, 0);
    assert_eq!(flags("鹭鸶", a) & (TITLE | SOURCE), 0);
    // Title, unit, heading and summary hits carry their fields.
    assert_ne!(flags("生产", a) & TITLE, 0);
    assert_ne!(flags("应急", a) & SOURCE, 0);
    assert_ne!(flags("防汛", a) & HEADING, 0);
    assert_ne!(flags("形势", a) & META, 0);
    // 安全 is a dictionary word here; 全生 only a pair across two words.
    assert_ne!(flags("安全", a) & WORD, 0);
    assert_eq!(flags("全生", a) & WORD, 0);
    // Longer dictionary words of titles, headings and summaries have their own
    // term; bodies are not segmented (their pairs find them).
    assert_eq!(postings(&site, "=行政处罚")[0].0, b);
    assert!(postings(&site, "=环境保护").is_empty());
    assert_ne!(flags("保护", b) & BODY, 0);
    // Single characters of titles and units, for one-character queries.
    assert_ne!(flags("局", a) & SOURCE, 0);
    // ASCII words are lower case; full-width letters are folded.
    assert_ne!(flags("gdp", b) & BODY, 0);
    assert_ne!(flags("web", b) & BODY, 0);
    // Every required term of the query a reader types is where the script will
    // look (`=安全生产` is an optional exact-word boost; it is no dictionary word).
    for term in query_terms("安全生产")
        .iter()
        .filter(|t| !t.starts_with('='))
    {
        assert!(
            postings(&site, term).iter().any(|p| p.0 == a),
            "`{term}` does not lead to the report"
        );
    }
}

#[test]
fn the_search_page_has_a_labelled_form_filters_and_a_no_script_route() {
    let site = three_reports();
    let doc = site.html("search/index.html");
    assert_eq!(attrs(&doc, "label[for=search-q]", "for").len(), 1);
    assert_eq!(attrs(&doc, "input#search-q", "name"), ["q"]);
    assert_eq!(
        texts(&doc, "#search-year option"),
        ["全部年度", "2023年", "2022年", "2021年"]
    );
    assert_eq!(
        texts(&doc, "#search-unit option"),
        ["全部单位", "青川市司法局", "青川市应急管理局"]
    );
    assert_eq!(attrs(&doc, "label[for=search-year]", "for").len(), 1);
    assert_eq!(attrs(&doc, "label[for=search-unit]", "for").len(), 1);
    assert_eq!(attrs(&doc, "label[for=search-sort]", "for").len(), 1);
    assert_eq!(attrs(&doc, "#search-status", "aria-live"), ["polite"]);
    let noscript = site.read("search/index.html");
    let noscript = &noscript[noscript.find("<noscript>").expect("a noscript notice")..];
    // Parsed on its own: a parser with scripting on reads <noscript> as text.
    let noscript =
        scraper::Html::parse_fragment(&noscript[10..noscript.find("</noscript>").unwrap()]);
    assert_eq!(attrs(&noscript, "a", "href"), ["/archive/", "/sources/"]);
    // Scripts only from /static/, none inline (a strict CSP holds).
    let scripts = attrs(&doc, "script", "src");
    assert!(scripts.contains(&"/static/search.js".to_string()));
    assert_eq!(doc.select(&sel("script")).count(), scripts.len());
    assert!(site.public().join("static/search.js").is_file());
    // The header form of every page leads here.
    let home = site.html("index.html");
    assert_eq!(attrs(&home, "form.header-search", "action"), ["/search/"]);
}

#[test]
fn an_english_site_gets_english_search_strings() {
    let site = three_reports();
    let config = BASIC_CONFIG.replace(
        "base_url = \"https://test.example.gov.cn\"",
        "base_url = \"https://test.example.gov.cn\"\nlanguage = \"en\"",
    );
    site.write("config.toml", &config);
    site.build_ok();
    let doc = site.html("search/index.html");
    assert_eq!(texts(&doc, "label[for=search-q]"), ["Words to search for"]);
    assert_eq!(
        attrs(&doc, "#search-form", "data-msg-count"),
        ["{n} reports found."]
    );
}

#[test]
fn a_site_without_reports_still_gets_a_search_page_and_an_empty_index() {
    let site = SiteDir::new();
    site.build_ok();
    assert_eq!(meta(&site)["count"], 0);
    assert!(site.public().join("search/index.html").is_file());
}

/// A varied but repeatable report body of a few hundred characters.
fn body(seed: usize) -> String {
    const PHRASES: &[&str] = &[
        "全面推进依法行政",
        "安全生产形势总体平稳",
        "行政处罚裁量基准",
        "政府信息公开工作",
        "深化放管服改革",
        "优化营商环境",
        "生态环境保护督察",
        "开展普法宣传教育",
        "规范行政执法行为",
        "推进法治政府建设",
        "加强应急管理体系建设",
        "防汛抗旱工作",
        "公共法律服务",
        "行政复议和行政应诉",
        "重大行政决策程序",
        "主动公开政府信息",
        "依申请公开办理",
        "数字政府建设",
        "基层治理能力",
        "安全隐患排查整治",
    ];
    let mut out = String::from("## 一、总体情况\n\n");
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    for i in 0..24 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(PHRASES[x % PHRASES.len()]);
        out.push_str(if i % 6 == 5 { "。\n\n" } else { "，" });
        if i == 12 {
            out.push_str(&format!("完成{}件，", x % 997));
        }
    }
    out
}

fn dir_size(dir: &Path) -> HashMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.metadata().unwrap().len())
        })
        .collect()
}

#[test]
fn a_first_query_on_2000_reports_downloads_little() {
    const UNITS: &[&str] = &[
        "青川市司法局",
        "青川市生态环境局",
        "青川市应急管理局",
        "青川市人民政府办公室",
        "青川市教育局",
        "青川市财政局",
        "青川市交通运输局",
        "青川市卫生健康委员会",
    ];
    let site = SiteDir::new();
    for i in 0..2000 {
        let unit = UNITS[i % UNITS.len()];
        let year = 2017 + (i % 7);
        let month = 1 + i % 12;
        let day = 1 + i % 28;
        site.report(
            &format!("{year}/r{i}.md"),
            &format!("{unit}{year}年度工作报告（第{i}号）"),
            &format!("{}-{month:02}-{day:02}", year + 1),
            unit,
            "",
            &body(i),
        );
    }
    let out = site.build(&["--verbose"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    let line = summary
        .lines()
        .find(|l| l.starts_with("search index:"))
        .unwrap_or_else(|| panic!("no search line in --verbose output:\n{summary}"));
    let reported: u64 = line
        .split("downloads at most ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no download figure in: {line}"));

    let index = site.public().join("search/index");
    let sizes = dir_size(&index);
    let m = meta(&site);
    let bits = m["bits"].as_u64().unwrap() as u32;
    let largest = |prefix: &str, n: usize| {
        let mut v: Vec<u64> = sizes
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, &s)| s)
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.iter().take(n).sum::<u64>()
    };
    // A page of ten results, each from a different chunk at worst.
    let page = largest("docs/", 10);
    for query in ["安全生产", "青川市生态环境局", "行政处罚裁量基准", "2020"] {
        let shards: BTreeSet<String> = query_terms(query)
            .iter()
            .map(|t| shard_name(shard_of(term_hash(t), bits), bits))
            .collect();
        let shard_bytes: u64 = shards.iter().map(|s| sizes[&format!("{s}.json")]).sum();
        let total = sizes["meta.json"] + shard_bytes + page;
        assert!(
            total < 200_000,
            "`{query}` downloads {total} bytes ({} shards: {shard_bytes} bytes, page {page})",
            shards.len()
        );
    }
    assert!(reported < 200_000, "{line}");
    assert!(reported >= sizes["meta.json"] + page, "{line}");
    // The whole document table is there.
    assert_eq!(m["count"], 2000);
    assert_eq!(decode_all(m["unit"].as_str().unwrap()).unwrap().len(), 2000);
    assert_eq!(
        sizes.keys().filter(|k| k.starts_with("docs/")).count(),
        2000usize.div_ceil(m["chunk"].as_u64().unwrap() as usize)
    );
}
