//! Nothing hostile gets through: an XSS corpus in Markdown bodies, in every
//! front matter string, in config strings and in file names must produce no
//! executable script in any output page, with raw HTML escaped (the default)
//! and with raw HTML allowed and sanitized.

use crate::common::*;

use scraper::Html;
use std::path::Path;

/// Payloads that have broken real sanitizers and templates.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">点击</a>",
    "<a href=\" &#14;javascript:alert(1)\">点击</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">点击</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img \"\"\"><script>alert(1)</script>\">",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "--><script>alert(1)</script><!--",
    "</textarea></title><script>alert(1)</script>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
];

/// Markdown-only ways of making a link or image.
const MARKDOWN_PAYLOADS: &[&str] = &[
    "[点击](javascript:alert(1))",
    "[点击](JaVaScRiPt:alert(1))",
    "[点击](javascript&#58;alert(1))",
    "[点击](  javascript:alert(1)  )",
    "![图](javascript:alert(1))",
    "[点击](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![图](data:image/png;base64,iVBORw0KGgo=)",
    // `[点击](file:///etc/passwd)` is refused by the build (an address on the
    // editor's computer): see fidelity_check.
    "[点击](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[引用][evil]\n\n[evil]: javascript:alert(1)",
    "[点击](\"onmouseover=alert(1) x=\")",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "| <script>alert(1)</script> | <img src=x onerror=alert(1)> |\n|---|---|\n| a | b |",
    "脚注[^x]\n\n[^x]: <script>alert(1)</script>",
];

fn body() -> String {
    // Raw HTML that opens a raw-text element (<style> inside <math>) swallows the
    // text after it, as in any browser, so those payloads come last.
    let (swallowing, others): (Vec<&str>, Vec<&str>) = PAYLOADS
        .iter()
        .chain(MARKDOWN_PAYLOADS)
        .partition(|p| p.contains("<style>"));
    let mut body = String::from("## 一、总体情况\n\n正文开始。\n\n");
    let mut add = |p: &str| {
        body.push_str(p);
        body.push_str("\n\n");
        // Once more after text, as inline HTML; multi-line Markdown (fences,
        // tables) only makes sense at the start of a line.
        if !p.contains('\n') {
            body.push_str("行内：");
            body.push_str(p);
            body.push_str("\n\n");
        }
    };
    others.into_iter().for_each(&mut add);
    // Harmless raw HTML that a site enabling raw HTML must keep.
    add("<table><tr><td colspan=\"2\">保留的表格</td></tr></table>\n\n正文结束。");
    swallowing.into_iter().for_each(&mut add);
    body
}

/// A YAML double-quoted string holding `text`.
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A site where every string a person can write carries a payload.
fn hostile_site(unsafe_html: bool, payload: &str) -> SiteDir {
    let site = SiteDir::new();
    let q = |s: &str| toml::Value::from(format!("{s}{payload}")).to_string();
    site.write(
        "config.toml",
        &format!(
            "title = {}\nbase_url = \"https://test.example.gov.cn\"\ndescription = {}\n[owner]\nname = {}\norganizer = {}\naddress = {}\nphone = {}\nemail = {}\nsite_code = {}\nicp = {}\npolice_record = {}\n[markdown]\nunsafe_html = {unsafe_html}\n[extra]\nnote = {}\n",
            q("站点"),
            q("描述"),
            q("主办"),
            q("承办"),
            q("地址"),
            q("电话"),
            q("邮箱"),
            q("标识码"),
            q("备案"),
            q("公安备案"),
            q("附注"),
        ),
    );
    let y = |s: &str| yaml(&format!("{s}{payload}"));
    site.write(
        "content/2023/_index.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\n---\n",
            y("栏目"),
            y("栏目说明")
        ),
    );
    site.write_bytes("content/2023/evil/附件.pdf", b"%PDF-1.4 x");
    site.write_bytes("content/2023/evil-2/附件.pdf", b"%PDF-1.4 x");
    let front = format!(
        "summary: {}\ncategory: {}\ntags: [{}, {}]\nindex_no: {}\ndoc_no: {}\nattachments:\n  - {{title: {}, file: 附件.pdf}}\n  - {{title: {}, url: \"https://www.gov.cn/a?b=1&c=<x>\"}}\nrelated:\n  - {{title: {}, url: \"/2023/\"}}\nextra: {{note: {}}}\n",
        y("摘要"),
        y("类别"),
        y("标签"),
        y("tag"),
        y("索引号"),
        y("文号"),
        y("附件"),
        y("链接附件"),
        y("相关"),
        y("附注"),
    );
    site.report(
        "2023/evil.md",
        &y("2023年报告"),
        "2024-03-10",
        &y("来源单位"),
        &front,
        &body(),
    );
    // Two reports so previous/next links and lists show the payloads too.
    site.report(
        "2023/evil-2.md",
        &y("2022年报告"),
        "2023-03-10",
        &y("来源单位"),
        &front,
        "正文。",
    );
    // File and folder names are text too.
    let name = payload.replace('/', "／");
    site.write(
        &format!("content/{name}/_index.md"),
        "---\ntitle: 名称栏目\n---\n",
    );
    site.report(
        &format!("{name}/{name}.md"),
        "名称报告",
        "2024-01-01",
        "甲局",
        "",
        "正文。",
    );
    site
}

/// Every way an attribute can run script or load a script URL.
fn check_page(path: &Path, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let doc = Html::parse_document(html);
    for el in doc.select(&sel("*")) {
        let v = el.value();
        let name = v.name();
        match name {
            "script" => {
                let is_theme_file = v.attr("src").is_some_and(|s| s.starts_with("/static/"))
                    && el.text().collect::<String>().trim().is_empty();
                let is_json_ld = v.attr("type") == Some("application/ld+json")
                    && v.attr("src").is_none()
                    && serde_json::from_str::<serde_json::Value>(&el.text().collect::<String>())
                        .is_ok();
                if !is_theme_file && !is_json_ld {
                    problems.push(format!("script: {}", el.html()));
                }
            }
            "iframe" | "object" | "embed" | "base" | "frame" | "frameset" | "applet" | "style" => {
                problems.push(format!("<{name}> element: {}", el.html()));
            }
            "meta" if v.attr("http-equiv").is_some() => {
                problems.push(format!("meta http-equiv: {}", el.html()));
            }
            _ => {}
        }
        for (attr, value) in v.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("handler {attr}: {}", el.html()));
            }
            if attr == "style" {
                problems.push(format!("inline style (breaks the CSP): {}", el.html()));
            }
            if [
                "href",
                "src",
                "action",
                "formaction",
                "data",
                "xlink:href",
                "poster",
                "srcset",
                "background",
            ]
            .contains(&attr.as_str())
            {
                // Browsers ignore whitespace and control characters inside schemes.
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "data:", "vbscript:"]
                    .iter()
                    .any(|s| squeezed.starts_with(s))
                {
                    problems.push(format!("{attr}={value:?} in {}", el.html()));
                }
            }
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", path.display()))
        .collect()
}

fn html_pages(public: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

fn assert_site_is_safe(unsafe_html: bool) {
    for payload in PAYLOADS {
        let site = hostile_site(unsafe_html, payload);
        let out = site.build(&[]);
        assert!(
            out.status.success(),
            "payload {payload:?} (unsafe_html={unsafe_html}): {}",
            stderr(&out)
        );
        let pages = html_pages(&site.public());
        assert!(pages.len() >= 5, "{pages:?}");
        let problems: Vec<String> = pages
            .iter()
            .flat_map(|p| check_page(p, &std::fs::read_to_string(p).unwrap()))
            .collect();
        assert!(
            problems.is_empty(),
            "payload {payload:?} (unsafe_html={unsafe_html}):\n{}",
            problems.join("\n")
        );
        // The payloads were shown as text, not dropped: the page was really tested.
        let report = site.html("2023/evil/index.html");
        assert_eq!(texts(&report, "h1"), vec![format!("2023年报告{payload}")]);
        assert!(
            texts(&report, ".meta-line a").contains(&format!("来源单位{payload}")),
            "{:?}",
            texts(&report, ".meta-line a")
        );
        // Whatever the body held, the page around it is intact.
        assert_eq!(report.select(&sel("footer")).count(), 1);
        let html = site.read("2023/evil/index.html");
        assert!(html.contains("正文结束"), "body cut short");
        if unsafe_html {
            assert_eq!(
                attrs(&report, ".report-body td", "colspan"),
                vec!["2"],
                "sanitizing dropped harmless HTML"
            );
        } else {
            assert!(
                texts(&report, ".report-body")
                    .concat()
                    .contains("<script>alert(1)</script>"),
                "raw HTML should be shown as text"
            );
        }
    }
}

#[test]
fn hostile_content_produces_no_script_with_raw_html_escaped() {
    assert_site_is_safe(false);
}

#[test]
fn hostile_content_produces_no_script_with_raw_html_sanitized() {
    assert_site_is_safe(true);
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    // Guard against a checker that can never fail.
    let bad = [
        "<script>alert(1)</script>",
        "<script src=\"https://evil.example/x.js\"></script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\" java\tscript:alert(1)\">x</a>",
        "<img src=\"data:image/svg+xml,x\">",
        "<iframe></iframe>",
        "<p style=\"color:red\">x</p>",
        "<script type=\"application/ld+json\">{\"a\": </script>",
    ];
    for html in bad {
        assert!(
            !check_page(Path::new("t.html"), html).is_empty(),
            "not caught: {html}"
        );
    }
    let good = "<script src=\"/static/gov.js\" defer></script><script type=\"application/ld+json\">{\"a\":1}</script><a href=\"/x/\">x</a>";
    assert!(check_page(Path::new("t.html"), good).is_empty());
}

#[test]
fn iframes_come_only_from_configured_hosts_and_are_sandboxed() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_html = true\niframe_hosts = [\"player.example.gov.cn\"]\n"),
    );
    site.report(
        "2023/video.md",
        "视频报告",
        "2024-03-10",
        "甲局",
        "",
        "<iframe src=\"https://player.example.gov.cn/v/1\" title=\"发布会\" onload=\"alert(1)\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<iframe src=\"javascript:alert(1)\"></iframe>\n\n<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>\n\n<iframe src=\"https://player.example.gov.cn.evil.example/\"></iframe>\n",
    );
    site.build_ok();
    let doc = site.html("2023/video/index.html");
    assert_eq!(
        attrs(&doc, ".report-body iframe", "src"),
        vec!["https://player.example.gov.cn/v/1"]
    );
    assert_eq!(doc.select(&sel(".report-body iframe[sandbox]")).count(), 5);
    assert_eq!(
        doc.select(&sel("iframe[srcdoc], iframe[onload]")).count(),
        0
    );
}
