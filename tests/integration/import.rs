//! `annals import`: a Word document made here, every page saved from the old
//! CMS in ../shared/samples/cms, and the pasted seed become reports that build
//! with the right title, date, source, headings, tables and images, with no
//! metadata line left in the body and no broken link or image.

use std::path::Path;

use crate::common::*;
use scraper::Html;

fn import(site: &SiteDir, args: &[&str]) -> std::process::Output {
    annals(&[&["import", "--root", site.path().to_str().unwrap()], args].concat())
}

/// The reports under content/, relative paths sorted.
fn reports(site: &SiteDir) -> Vec<String> {
    let content = site.path().join("content");
    let mut out: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(&content)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// Every link, image, stylesheet and script of every generated page that
/// points into the site, and does not resolve to a file in public/.
fn broken_links(public: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(public).into_iter().flatten() {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = entry.path().strip_prefix(public).unwrap();
        let page_dir = format!(
            "/{}",
            page.parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for (selector, attr) in [
            ("a[href]", "href"),
            ("img[src]", "src"),
            ("link[href]", "href"),
            ("script[src]", "src"),
        ] {
            for target in attrs(&doc, selector, attr) {
                if target.starts_with('#')
                    || target.contains("://")
                    || target.starts_with("mailto:")
                    || target.starts_with("tel:")
                    || target.starts_with("javascript:")
                {
                    continue;
                }
                let path = target.split(['#', '?']).next().unwrap();
                if path.is_empty() {
                    continue;
                }
                let joined = if path.starts_with('/') {
                    path.to_string()
                } else {
                    format!("{}/{}", page_dir.trim_end_matches('/'), path)
                };
                let mut parts: Vec<&str> = Vec::new();
                for part in joined.split('/') {
                    match part {
                        "" | "." => {}
                        ".." => {
                            parts.pop();
                        }
                        p => parts.push(p),
                    }
                }
                let decoded = percent_encoding::percent_decode_str(&parts.join("/"))
                    .decode_utf8_lossy()
                    .into_owned();
                let file = public.join(&decoded);
                if !(file.is_file() || file.join("index.html").is_file()) {
                    broken.push(format!("{}: {target}", page.display()));
                }
            }
        }
    }
    broken
}

fn body_text(doc: &Html) -> String {
    texts(doc, ".report-body").join("\n")
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn word_document() -> Vec<u8> {
    use docx_rs::*;
    let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let cell = |text: &str| TableCell::new().add_paragraph(p(text));
    let doc = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
        .add_paragraph(p("城东区司法局2023年度法治政府建设年度报告"))
        .add_paragraph(p("发布时间：2024年3月10日"))
        .add_paragraph(p("来源：城东区司法局"))
        .add_paragraph(p("索引号：11430105/2024-00012"))
        .add_paragraph(p("文号：东司发〔2024〕3号"))
        .add_paragraph(p("2023年，我局坚持依法行政，现将有关情况报告如下。"))
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text("一、总体情况")),
        )
        .add_paragraph(p("（一）主要举措"))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().bold().add_text("1.加强组织领导。"))
                .add_run(Run::new().add_text("全年召开专题会议4次，研究部署重点工作。")),
        )
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("项目"), cell("件数")]),
            TableRow::new(vec![cell("行政复议"), cell("5")]),
            TableRow::new(vec![cell("行政诉讼"), cell("2")]),
        ]))
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_image(Pic::new_with_dimensions(
                PNG.to_vec(),
                1,
                1,
            ))),
        )
        .add_paragraph(p("二、存在的不足"))
        .add_paragraph(p("执法人员专业能力有待提升。"))
        .add_paragraph(p("城东区司法局"))
        .add_paragraph(p("2024年3月8日"));
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).expect("pack docx");
    bytes.into_inner()
}

#[test]
fn a_word_document_becomes_a_report_that_builds() {
    let site = SiteDir::new();
    site.write_bytes("incoming/fazhi-2023.docx", &word_document());
    let out = import(&site, &[site.path().join("incoming").to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(reports(&site), vec!["2023/fazhi-2023.md"]);
    assert!(
        stdout(&out).contains("content/2023/fazhi-2023.md"),
        "{}",
        stdout(&out)
    );
    let md = std::fs::read_to_string(site.path().join("content/2023/fazhi-2023.md")).unwrap();
    site.build_ok();
    let page = site.html("2023/fazhi-2023/index.html");
    assert_eq!(
        texts(&page, "h1"),
        vec!["城东区司法局2023年度法治政府建设年度报告"]
    );
    let meta = texts(&page, ".meta-line").join(" ");
    assert!(
        meta.contains("2024-03-10") && meta.contains("城东区司法局"),
        "{meta}"
    );
    let table = texts(&page, ".disclosure-meta").join(" ");
    assert!(
        table.contains("11430105/2024-00012") && table.contains("东司发〔2024〕3号"),
        "{table}"
    );
    assert_eq!(
        texts(&page, ".report-body h2"),
        vec!["一、总体情况", "二、存在的不足"]
    );
    assert_eq!(texts(&page, ".report-body h3"), vec!["（一）主要举措"]);
    assert_eq!(
        texts(&page, ".report-body strong"),
        vec!["1.加强组织领导。"],
        "{md}"
    );
    assert_eq!(texts(&page, ".report-body th"), vec!["项目", "件数"]);
    assert_eq!(texts(&page, ".report-body td")[..2], ["行政复议", "5"]);
    assert_eq!(attrs(&page, ".report-body img", "src").len(), 1);
    let body = body_text(&page);
    for line in ["发布时间", "索引号", "文号：", "来源："] {
        assert!(
            !body.contains(line),
            "metadata `{line}` left in the body:\n{body}"
        );
    }
    // The signature at the end is the 落款, drawn once and right-aligned.
    let paragraphs = texts(&page, ".report-body p:not(.doc-sign)");
    assert_eq!(
        paragraphs.last().map(String::as_str),
        Some("执法人员专业能力有待提升。")
    );
    assert_eq!(texts(&page, ".doc-sign"), ["城东区司法局2024年3月8日"]);
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

/// `标题: …` and `发布时间: …` of the page.txt header saved beside each page.
fn header_value(page_txt: &str, label: &str) -> String {
    page_txt
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[test]
fn every_saved_cms_page_imports_and_builds() {
    let cms = shared_samples().join("cms");
    let site = SiteDir::new();
    let out = import(&site, &[cms.to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let pages: Vec<_> = std::fs::read_dir(&cms)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("page.html").is_file())
        .collect();
    assert!(pages.len() >= 5);
    assert_eq!(reports(&site).len(), pages.len(), "{}", stdout(&out));
    let build = site.build_ok();
    assert!(!stderr(&build).contains("error"), "{}", stderr(&build));
    for page in pages {
        let id = page.file_name().to_string_lossy().into_owned();
        let header = std::fs::read_to_string(page.path().join("page.txt")).unwrap();
        let title = header_value(&header, "标题");
        let date = header_value(&header, "发布时间");
        let year = title[..title.find("年").unwrap()]
            .chars()
            .rev()
            .take(4)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>();
        let doc = site.html(&format!("{year}/{id}/index.html"));
        assert_eq!(texts(&doc, "h1"), vec![title.clone()], "{id}");
        let meta = texts(&doc, ".meta-line").join(" ");
        assert!(meta.contains(&date[..10]), "{id}: {meta}");
        let publisher = header_value(&header, "发布机构");
        if !publisher.is_empty() {
            assert!(meta.contains(&publisher), "{id}: {meta}");
        }
        let body = body_text(&doc);
        // The article, not the site around it.
        assert!(body.chars().count() > 500, "{id}: body too short");
        for chrome in [
            "当前位置",
            "走进平潭",
            "分享到",
            "扫一扫在手机上查看",
            "微信",
        ] {
            assert!(
                !body.contains(chrome),
                "{id}: `{chrome}` from the old site's page"
            );
        }
        assert!(
            !body.contains("时间：20"),
            "{id}: metadata left in the body"
        );
        // The old address redirects to the report.
        let url = header_value(&header, "原文链接");
        let old_path = &url[url.find(".gov.cn").unwrap() + ".gov.cn".len()..];
        let alias = site.html(old_path.trim_start_matches('/'));
        assert_eq!(
            attrs(&alias, "main a", "href"),
            vec![format!("/{year}/{id}/")],
            "{id}: alias {old_path}"
        );
    }
    // 2011's free-form statistics table stays a plain table.
    let report = site.html("2011/80678/index.html");
    assert!(
        texts(&report, ".report-body td")
            .iter()
            .any(|t| t == "主动公开信息数")
    );
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn the_pasted_seed_in_gbk_imports_with_headings_and_without_metadata_lines() {
    let seed =
        std::fs::read_to_string(shared_samples().join("pasted/kaifu-yjj-fazhi-2022.md")).unwrap();
    let body = seed.splitn(3, "---\n").nth(2).unwrap();
    let title = seed
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap();
    let pasted = format!("{title}\n发布时间：2023年3月10日\n来源：开福区应急管理局\n\n{body}");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&pasted);
    assert!(!unmappable);
    let site = SiteDir::new();
    site.write_bytes("incoming/kaifu-fazhi.txt", &gbk);
    let out = import(
        &site,
        &[
            "--section",
            "fazhi",
            site.path()
                .join("incoming/kaifu-fazhi.txt")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(reports(&site), vec!["fazhi/kaifu-fazhi.md"]);
    site.build_ok();
    let doc = site.html("fazhi/kaifu-fazhi/index.html");
    assert_eq!(texts(&doc, "h1"), vec![title.to_string()]);
    let meta = texts(&doc, ".meta-line").join(" ");
    assert!(
        meta.contains("2023-03-10") && meta.contains("开福区应急管理局"),
        "{meta}"
    );
    let h2 = texts(&doc, ".report-body h2");
    assert_eq!(h2.len(), 4, "{h2:?}");
    assert!(h2[0].starts_with("一、2022年度推进法治政府建设"), "{h2:?}");
    let body = body_text(&doc);
    assert!(
        !body.contains("发布时间") && !body.contains("来源："),
        "{body}"
    );
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn a_second_import_skips_and_dry_run_writes_nothing() {
    let site = SiteDir::new();
    site.write(
        "incoming/a.txt",
        "2023年度工作报告\n发布时间：2024-01-05\n来源：某某局\n正文。\n",
    );
    let input = site.path().join("incoming/a.txt");
    let dry = import(&site, &["--dry-run", input.to_str().unwrap()]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(reports(&site).is_empty());
    assert!(import(&site, &[input.to_str().unwrap()]).status.success());
    let written = std::fs::read(site.path().join("content/2023/a.md")).unwrap();
    site.write("content/2023/a.md", "edited by hand");
    let again = import(&site, &["--lang", "en", input.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("exists already"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/2023/a.md")).unwrap(),
        "edited by hand"
    );
    assert!(!written.is_empty());
}

#[test]
fn old_word_files_and_folders_without_content_get_clear_messages() {
    let site = SiteDir::new();
    site.write("incoming/old.doc", "binary");
    let out = import(
        &site,
        &[
            "--lang",
            "zh-CN",
            site.path().join("incoming/old.doc").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("另存为 .docx"), "{}", stderr(&out));
    let out = import(
        &site,
        &[
            "--lang",
            "en",
            site.path().join("incoming/old.doc").to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&out).contains("save it as .docx"),
        "{}",
        stderr(&out)
    );
    let empty = tempfile::tempdir().unwrap();
    let out = annals(&[
        "import",
        "--lang",
        "en",
        "--root",
        empty.path().to_str().unwrap(),
        "x.docx",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no content/ folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_appeals_statistics_table_of_a_word_report_becomes_data() {
    use docx_rs::*;
    let cell = |text: &str| {
        TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
    };
    let labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    let mut header = vec![
        cell("行政复议").grid_span(5),
        cell("行政诉讼").grid_span(10),
    ];
    header.truncate(2);
    let second = vec![
        cell("").grid_span(5),
        cell("未经复议直接起诉").grid_span(5),
        cell("复议后起诉").grid_span(5),
    ];
    let third: Vec<TableCell> = (0..3).flat_map(|_| labels.map(cell)).collect();
    let numbers: Vec<TableCell> = [
        "3", "1", "0", "1", "5", "1", "0", "0", "0", "1", "1", "0", "0", "0", "1",
    ]
    .map(cell)
    .into_iter()
    .collect();
    let doc = Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("城东区2023年政府信息公开工作年度报告")),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("发布时间：2024-01-20")))
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("四、政府信息公开行政复议、行政诉讼情况")),
        )
        .add_table(Table::new(vec![
            TableRow::new(header),
            TableRow::new(second),
            TableRow::new(third),
            TableRow::new(numbers),
        ]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).unwrap();
    let site = SiteDir::new();
    site.write_bytes("incoming/xxgk.docx", &bytes.into_inner());
    let out = import(
        &site,
        &[site.path().join("incoming/xxgk.docx").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let md = std::fs::read_to_string(site.path().join("content/2023/xxgk.md")).unwrap();
    assert!(
        md.contains("disclosure_stats:") && md.contains("```disclosure-table 四"),
        "{md}"
    );
    site.build_ok();
    let page = site.html("2023/xxgk/index.html");
    assert_eq!(
        attrs(&page, ".report-body .disclosure-table", "class").len(),
        1,
        "{md}"
    );
    assert!(texts(&page, ".report-body .disclosure-table td").contains(&"5".to_string()));
}
