//! Print pages, yearly volumes, share pages, QR codes and `build --pdf`.

use crate::common::*;

use scraper::Html;
use std::path::Path;

const SAMPLE: &str = "2022/kaifu-yjj-fazhi-2022";
const SAMPLE_TITLE: &str = "2022年法治政府建设年度报告";
const BASE: &str = "https://www.kaifu.example.gov.cn";

fn build_sample(out: &Path) {
    let out = annals(&[
        "build",
        "--root",
        shared_samples().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        BASE,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn page(out: &Path, rel: &str) -> Html {
    let text =
        std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
    Html::parse_document(&text)
}

fn meta(doc: &Html, key: &str) -> Option<String> {
    let by_property = attrs(doc, &format!("meta[property='{key}']"), "content");
    let by_name = attrs(doc, &format!("meta[name='{key}']"), "content");
    by_property.into_iter().chain(by_name).next()
}

/// Inline scripts would break the strict CSP; JSON-LD data is not a script.
fn assert_no_inline_script(doc: &Html) {
    for s in doc.select(&sel("script")) {
        let v = s.value();
        assert!(
            v.attr("src").is_some() || v.attr("type") == Some("application/ld+json"),
            "inline script: {}",
            s.html()
        );
    }
}

#[test]
fn sample_report_page_has_a_labelled_qr_code_and_open_graph() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let doc = page(out.path(), &format!("{SAMPLE}/index.html"));
    let permalink = format!("{BASE}/{SAMPLE}/");
    let labels = attrs(&doc, "figure.qr svg[role='img']", "aria-label");
    assert_eq!(labels.len(), 1, "one QR code under 扫一扫在手机打开");
    assert!(labels[0].ends_with(&permalink), "{}", labels[0]);
    assert!(labels[0].starts_with("本页二维码"), "{}", labels[0]);
    assert_eq!(
        texts(&doc, "figure.qr figcaption"),
        vec!["扫一扫在手机打开"]
    );
    let svg = doc.select(&sel("figure.qr svg")).next().unwrap();
    assert_eq!(svg.value().attr("shape-rendering"), Some("crispEdges"));
    assert_eq!(
        attrs(&doc, ".toolbar a[data-print]", "href"),
        vec![format!("/{SAMPLE}/print/")]
    );
    assert_eq!(meta(&doc, "og:url"), Some(permalink.clone()));
    assert_eq!(meta(&doc, "og:title").as_deref(), Some(SAMPLE_TITLE));
    assert!(meta(&doc, "og:description").is_some_and(|d| !d.is_empty()));
    assert_eq!(meta(&doc, "og:site_name").as_deref(), Some("samples"));
    assert_eq!(
        meta(&doc, "article:published_time").as_deref(),
        Some("2023-03-10")
    );
    assert_eq!(meta(&doc, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(meta(&doc, "twitter:title").as_deref(), Some(SAMPLE_TITLE));
}

#[test]
fn sample_print_page_is_a_standalone_official_document() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let report = page(out.path(), &format!("{SAMPLE}/index.html"));
    let doc = page(out.path(), &format!("{SAMPLE}/print/index.html"));
    // Its own stylesheet and script, none of the site chrome.
    assert_eq!(
        attrs(&doc, "link[rel='stylesheet']", "href"),
        vec!["/static/print.css"]
    );
    assert_eq!(attrs(&doc, "script", "src"), vec!["/static/print.js"]);
    assert_no_inline_script(&doc);
    assert!(texts(&doc, ".site-header, .main-nav, .site-footer").is_empty());
    assert!(out.path().join("static/print.css").is_file());
    // The bar: a print button (shown by the script) and the way back.
    assert_eq!(
        attrs(&doc, ".print-bar button[data-print-now]", "type"),
        vec!["button"]
    );
    assert_eq!(
        attrs(&doc, ".print-bar a", "href"),
        vec![format!("/{SAMPLE}/")]
    );
    // First-page block: issuing unit, date, canonical URL and its QR code.
    let permalink = format!("{BASE}/{SAMPLE}/");
    let facts = texts(&doc, ".doc-facts dd");
    assert!(facts.contains(&"开福区应急管理局".to_string()), "{facts:?}");
    assert!(facts.contains(&"2023年3月10日".to_string()), "{facts:?}");
    assert!(facts.contains(&permalink), "{facts:?}");
    let qr = attrs(&doc, ".doc-facts svg[role='img']", "aria-label");
    assert!(qr.len() == 1 && qr[0].ends_with(&permalink), "{qr:?}");
    assert_eq!(
        attrs(&doc, "link[rel='canonical']", "href"),
        vec![permalink]
    );
    // Title once, as the only h1; the body exactly as on the report page.
    assert_eq!(texts(&doc, "h1"), vec![SAMPLE_TITLE]);
    assert_eq!(texts(&doc, "h1.doc-title").len(), 1);
    assert_eq!(
        texts(&doc, ".doc-body h2"),
        texts(&report, ".report-body h2")
    );
    assert_eq!(texts(&doc, ".doc-body p"), texts(&report, ".report-body p"));
    assert_eq!(
        texts(&doc, ".doc-sign time"),
        vec!["2023年3月10日".to_string()]
    );
}

#[test]
fn print_css_follows_gb_t_9704() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let css = std::fs::read_to_string(out.path().join("static/print.css")).unwrap();
    for needle in [
        "size: A4",
        "margin: 37mm 26mm 35mm 28mm",
        "counter(page)",
        "@bottom-right",
        "@page :left",
        "font-size: 22pt",
        "font-size: 16pt",
        "line-height: var(--line)",
        "--line: 28.95pt",
        "Noto Serif CJK SC",
        "break-before: page",
        ".print-bar { display: none",
    ] {
        assert!(css.contains(needle), "print.css lacks `{needle}`");
    }
}

#[test]
fn sample_share_page_has_card_qr_and_configured_targets() {
    let out = tempfile::tempdir().unwrap();
    build_sample(out.path());
    let doc = page(out.path(), &format!("{SAMPLE}/share/index.html"));
    let permalink = format!("{BASE}/{SAMPLE}/");
    assert_no_inline_script(&doc);
    assert!(attrs(&doc, "script", "src").contains(&"/static/share.js".to_string()));
    assert_eq!(texts(&doc, ".share-card h1"), vec![SAMPLE_TITLE]);
    assert!(texts(&doc, ".share-meta")[0].contains("开福区应急管理局"));
    assert!(texts(&doc, ".share-meta")[0].contains("2023-03-10"));
    assert_eq!(texts(&doc, ".share-summary").len(), 1);
    let qr = attrs(&doc, ".share-qr svg[role='img']", "aria-label");
    assert!(qr.len() == 1 && qr[0].ends_with(&permalink), "{qr:?}");
    // WeChat is the QR code with an instruction.
    assert!(texts(&doc, ".share-qr figcaption")[0].contains("扫一扫"));
    let enc_url = "https%3A%2F%2Fwww.kaifu.example.gov.cn%2F2022%2Fkaifu-yjj-fazhi-2022%2F";
    let enc_title = "2022%E5%B9%B4%E6%B3%95%E6%B2%BB%E6%94%BF%E5%BA%9C%E5%BB%BA%E8%AE%BE%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A";
    let hrefs = attrs(&doc, ".share-targets a", "href");
    assert!(
        hrefs.contains(&format!(
            "https://service.weibo.com/share/share.php?url={enc_url}&title={enc_title}"
        )),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.starts_with(&format!(
            "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url={enc_url}&title={enc_title}"
        ))),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(
            |h| h.starts_with(&format!("mailto:?subject={enc_title}&body=")) && h.contains(enc_url)
        ),
        "{hrefs:?}"
    );
    assert_eq!(
        attrs(&doc, ".share-targets button[data-copy]", "data-copy"),
        vec![permalink.clone()]
    );
    assert_eq!(
        attrs(&doc, ".share-targets button[data-native-share]", "data-url"),
        vec![permalink.clone()]
    );
    // Controls that need JavaScript start hidden; the status line is announced.
    assert_eq!(attrs(&doc, "li[hidden] button", "type").len(), 2);
    assert_eq!(
        attrs(&doc, "[data-share-status]", "aria-live"),
        vec!["polite"]
    );
    assert_eq!(meta(&doc, "og:url"), Some(permalink.clone()));
    assert_eq!(meta(&doc, "og:title").as_deref(), Some(SAMPLE_TITLE));
    assert_eq!(
        attrs(&doc, "link[rel='canonical']", "href"),
        vec![permalink]
    );
}

#[test]
fn share_targets_and_image_come_from_config() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!(
            "{BASIC_CONFIG}[share]\ntargets = [\"weibo\", \"email\"]\nimage = \"/images/og.png\"\n"
        ),
    )
    .report(
        "2023/a.md",
        "2023年报告",
        "2024-01-05",
        "甲局",
        "",
        "正文。",
    );
    site.build_ok();
    let doc = site.html("2023/a/share/index.html");
    let hrefs = attrs(&doc, ".share-targets a", "href");
    assert_eq!(hrefs.len(), 2, "{hrefs:?}");
    assert!(hrefs[0].starts_with("https://service.weibo.com/"));
    assert!(hrefs[1].starts_with("mailto:"));
    assert!(attrs(&doc, "button[data-copy], button[data-native-share]", "type").is_empty());
    // Without the wechat target the QR code keeps its general caption.
    assert_eq!(
        texts(&doc, ".share-qr figcaption"),
        vec!["扫一扫在手机打开"]
    );
    let image = "https://test.example.gov.cn/images/og.png";
    assert_eq!(meta(&doc, "og:image").as_deref(), Some(image));
    let report = site.html("2023/a/index.html");
    assert_eq!(meta(&report, "og:image").as_deref(), Some(image));
    assert_eq!(
        meta(&report, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    // No summary: the description is the start of the text.
    assert_eq!(meta(&report, "og:description").as_deref(), Some("正文。"));
}

/// (title, date) of every report page of a built site, grouped by report year.
fn reports_by_year(out: &Path) -> std::collections::BTreeMap<i32, Vec<(String, String)>> {
    let mut years: std::collections::BTreeMap<i32, Vec<(String, String)>> = Default::default();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_name() != "index.html" {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let Some(title) = texts(&doc, "article.report h1").into_iter().next() else {
            continue;
        };
        let date = attrs(&doc, ".meta-line time", "datetime")[0].clone();
        // The demo's report year is the first NNNN年 of the title.
        let year: i32 = title
            .split('年')
            .next()
            .map(|s| {
                s.chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
            })
            .and_then(|s| s.parse().ok())
            .expect("report year in title");
        years.entry(year).or_default().push((title, date));
    }
    for list in years.values_mut() {
        // Newest first, then by title: the order of the site's lists.
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    years
}

#[test]
fn demo_yearly_volumes_hold_every_report_of_their_year_in_order() {
    let out = tempfile::tempdir().unwrap();
    let built = annals(&[
        "build",
        "--root",
        demo_root().to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let years = reports_by_year(out.path());
    assert!(years.len() >= 3, "{years:?}");
    assert!(
        years.values().any(|l| l.len() >= 3),
        "a year with several reports"
    );
    for (year, reports) in &years {
        let doc = page(out.path(), &format!("archive/{year}/print/index.html"));
        let titles: Vec<String> = reports.iter().map(|(t, _)| t.clone()).collect();
        assert_eq!(texts(&doc, "h1"), vec![format!("{year}年度报告汇编")]);
        assert_eq!(
            texts(&doc, ".contents li > a"),
            titles,
            "contents of {year}"
        );
        assert_eq!(
            texts(&doc, "article.document h2.doc-title"),
            titles,
            "parts of {year}"
        );
        // Contents entries lead to their parts.
        let targets: Vec<String> = attrs(&doc, ".contents li > a", "href")
            .into_iter()
            .map(|h| h.trim_start_matches('#').to_string())
            .collect();
        assert_eq!(attrs(&doc, "article.document", "id"), targets);
        // Ids stay unique across the whole volume, and in-page links still land.
        let ids = attrs(&doc, "[id]", "id");
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids in {year}: {ids:?}");
        for href in attrs(&doc, "a[href^='#']", "href") {
            assert!(
                unique.contains(&href[1..].to_string()),
                "{href} has no target"
            );
        }
        // Body headings sit one level below each part's title.
        assert!(texts(&doc, ".doc-body h2").is_empty());
    }
}

#[test]
fn pdf_without_chromium_fails_at_once_and_changes_nothing() {
    let site = SiteDir::new();
    site.report("2023/a.md", "2023年报告", "2024-01-05", "甲局", "", "正文");
    site.build_ok();
    let before = snapshot(site.path());
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["build", "--root", site.path().to_str().unwrap(), "--pdf"])
        .env("PATH", empty.path())
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Chromium"), "{}", stderr(&out));
    assert!(stderr(&out).contains("--chrome"), "{}", stderr(&out));
    let missing = site.build(&["--pdf", "--chrome", "/nonexistent/chromium"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("/nonexistent/chromium"));
    assert_eq!(snapshot(site.path()), before);
}

/// A stand-in for Chromium: fetches the page it is asked to print from the
/// build's server (saving it), then writes a two-page PDF and logs the call.
const FAKE_CHROME: &str = r#"#!/usr/bin/env bash
set -eu
log="$(dirname "$0")/calls"
for arg in "$@"; do
  case "$arg" in
    --print-to-pdf=*) pdf="${arg#--print-to-pdf=}" ;;
    http://*) url="$arg" ;;
  esac
done
hostport="${url#http://}"; hostport="${hostport%%/*}"
path="/${url#http://*/}"
exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
printf 'GET %s HTTP/1.0\r\n\r\n' "$path" >&3
mkdir -p "$log"
cat <&3 > "$log/$$.html"
printf '%%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>> endobj\n2 0 obj <</Type /Page>> endobj\n3 0 obj <</Type /Page>> endobj\n%%%%EOF\n' > "$pdf"
"#;

#[test]
fn pdf_build_lists_pdfs_and_reprints_only_changed_pages() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年甲报告",
        "2024-01-05",
        "甲局",
        "",
        "正文甲",
    )
    .report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "",
        "正文乙",
    );
    let tools = tempfile::tempdir().unwrap();
    let chrome = write_script(tools.path(), "fake-chrome", FAKE_CHROME);
    let calls = || {
        std::fs::read_dir(tools.path().join("calls"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let build = || {
        let out = site.build(&["--pdf", "--chrome", chrome.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let first = build();
    assert!(first.contains("3 printed, 0 unchanged"), "{first}");
    assert_eq!(calls(), 3, "two reports and one volume");
    // Chromium got the real print pages from the build's server.
    let any_call = std::fs::read_dir(tools.path().join("calls"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let fetched = std::fs::read_to_string(any_call).unwrap();
    // The fake browser speaks HTTP/1.0, and is answered in kind.
    assert!(fetched.starts_with("HTTP/1.0 200"), "{fetched}");
    assert!(fetched.contains("class=\"doc-title\""), "{fetched}");
    for pdf in [
        "2023/a/print/a.pdf",
        "2023/b/print/b.pdf",
        "archive/2023/print/2023.pdf",
    ] {
        let path = site.public().join(pdf);
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"), "{pdf}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o044, 0o044, "{pdf} is not world-readable: {mode:o}");
        }
    }
    let doc = site.html("2023/a/index.html");
    let items = texts(&doc, ".attachments li");
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("2023年甲报告（PDF版）"), "{items:?}");
    assert!(
        items[0].contains("PDF，") && items[0].contains(" B，共2页"),
        "{items:?}"
    );
    assert_eq!(
        attrs(&doc, ".attachments a", "href"),
        vec!["/2023/a/print/a.pdf"]
    );
    let print = site.html("2023/a/print/index.html");
    assert_eq!(
        attrs(&print, ".print-bar a[type='application/pdf']", "href"),
        vec!["/2023/a/print/a.pdf"]
    );
    // Nothing changed: nothing is printed again, and the PDFs are still there.
    let second = build();
    assert!(second.contains("0 printed, 3 unchanged"), "{second}");
    assert_eq!(calls(), 3);
    assert!(site.public().join("2023/a/print/a.pdf").is_file());
    // One report changed: its page and its year's volume are printed again.
    site.report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "",
        "正文乙，有修改",
    );
    let third = build();
    assert!(third.contains("2 printed, 1 unchanged"), "{third}");
    assert_eq!(calls(), 5);
    let manifest = std::fs::read_to_string(site.path().join(".annals-cache/pdf.json")).unwrap();
    assert!(manifest.contains("/2023/a/print/a.pdf"), "{manifest}");
    // A plain build drops the PDFs from the pages again.
    site.build_ok();
    assert!(texts(&site.html("2023/a/index.html"), ".attachments li").is_empty());
}

#[test]
fn an_alias_on_a_print_page_address_is_an_error() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年甲报告",
        "2024-01-05",
        "甲局",
        "",
        "正文",
    )
    .report(
        "2023/b.md",
        "2023年乙报告",
        "2024-01-06",
        "乙局",
        "aliases: [/2023/a/print/]\n",
        "正文",
    );
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("the print page of `2023年甲报告`"), "{err}");
    assert!(err.contains("/2023/a/print/"), "{err}");
}
