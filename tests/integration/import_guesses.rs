//! What `annals import` reads from a document's shape, and says it guessed
//! (issue 23, items 3, 6, 10, 11): the title typed over two centred lines,
//! the report year and category from the title, 来源 from the 落款,
//! 「本报告由……编制」, the title or the CMS's field (never the site's own
//! name), document links of old pages as attachments, text copied out of a
//! PDF, CMS dates with a time, and a PDF given to import.

use crate::common::*;

fn import_in(site: &SiteDir, args: &[&str]) -> std::process::Output {
    annals(&[&["import", "--root", site.path().to_str().unwrap()], args].concat())
}

/// The value of `key:` in a report's front matter, without YAML quotes.
fn front(text: &str, key: &str) -> Option<String> {
    let yaml = text.split("\n---").next()?;
    yaml.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(|v| v.trim().trim_matches('"').to_string())
}

fn title_year(title: &str) -> String {
    let at = title.find('年').unwrap();
    title[at - 4..at].to_string()
}

fn the_report(site: &SiteDir) -> (std::path::PathBuf, String) {
    let found: Vec<_> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let text = std::fs::read_to_string(&found[0]).unwrap();
    (found[0].clone(), text)
}

#[test]
fn the_shared_word_reports_import_with_their_title_year_category_and_source() {
    let word = shared_samples().join("word");
    for name in ["huaian-szf-xxgk-2024", "pingtan-xxgk-2024"] {
        let site = SiteDir::new();
        let docx = word.join(format!("{name}.docx"));
        let out = import_in(&site, &[docx.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let (_, got) = the_report(&site);
        let want =
            std::fs::read_to_string(shared_samples().join(format!("real/content/2024/{name}.md")))
                .unwrap();
        for key in ["title", "category", "source"] {
            assert_eq!(front(&got, key), front(&want, key), "{name}: {key}\n{got}");
        }
        let want_title = front(&want, "title").unwrap();
        assert_eq!(front(&got, "year"), Some(title_year(&want_title)), "{name}");
        let text = stdout(&out);
        assert!(
            text.contains("guessed: title") && text.contains("closing signature"),
            "{name}: {text}"
        );
    }
}

fn centred(text: &str) -> docx_rs::Paragraph {
    use docx_rs::*;
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().bold().add_text(text))
}

fn plain(text: &str) -> docx_rs::Paragraph {
    docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(text))
}

fn right(text: &str) -> docx_rs::Paragraph {
    use docx_rs::*;
    Paragraph::new()
        .align(AlignmentType::Right)
        .add_run(Run::new().add_text(text))
}

fn docx(paragraphs: Vec<docx_rs::Paragraph>) -> Vec<u8> {
    let mut doc = docx_rs::Docx::new();
    for p in paragraphs {
        doc = doc.add_paragraph(p);
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).expect("pack docx");
    bytes.into_inner()
}

#[test]
fn a_title_on_two_centred_lines_is_one_title_and_gives_year_and_category() {
    let site = SiteDir::new();
    site.write_bytes(
        "in/hz.docx",
        &docx(vec![
            centred("淮安市洪泽区人民政府"),
            centred("2024年政府信息公开工作年度报告"),
            plain("本报告根据《中华人民共和国政府信息公开条例》编制。"),
            plain("一、总体情况"),
            plain("2024年，全区政府信息公开工作稳步推进。"),
            right("淮安市洪泽区人民政府"),
            right("2025年3月10日"),
        ]),
    );
    let out = import_in(&site, &[site.path().join("in/hz.docx").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (path, text) = the_report(&site);
    assert!(path.ends_with("content/2024/hz.md"), "{path:?}");
    assert_eq!(
        front(&text, "title").as_deref(),
        Some("淮安市洪泽区人民政府2024年政府信息公开工作年度报告")
    );
    assert_eq!(front(&text, "year").as_deref(), Some("2024"));
    assert_eq!(front(&text, "date").as_deref(), Some("2025-03-10"));
    assert_eq!(
        front(&text, "category").as_deref(),
        Some("政府信息公开工作年度报告")
    );
    assert_eq!(
        front(&text, "source").as_deref(),
        Some("淮安市洪泽区人民政府")
    );
    let said = stdout(&out);
    for guess in [
        "guessed: title",
        "guessed: report year 2024 from the title",
        "guessed: category",
        "from the closing signature",
    ] {
        assert!(said.contains(guess), "{guess}: {said}");
    }
    site.build_ok();
}

#[test]
fn without_a_named_unit_the_source_is_a_placeholder_check_refuses() {
    let site = SiteDir::new();
    site.write(
        "in/r.txt",
        "2023年法治政府建设年度报告\n一、总体情况\n正文。\n",
    );
    let out = import_in(&site, &[site.path().join("in/r.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, text) = the_report(&site);
    // Never the site's own name (the owner in config.toml).
    assert!(!text.contains("测试区人民政府办公室"), "{text}");
    assert!(
        stdout(&out).contains("names no issuing unit"),
        "{}",
        stdout(&out)
    );
    let check = site.check(&[]);
    assert!(!check.status.success());
    assert!(stderr(&check).contains("placeholder"), "{}", stderr(&check));
    // Filled in, the report checks.
    let file = site.path().join("content/2023/r.md");
    let source = front(&text, "source").unwrap();
    std::fs::write(&file, text.replace(&source, "某某区司法局")).unwrap();
    let check = site.check(&[]);
    assert!(
        !stderr(&check).contains("placeholder"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn the_source_comes_from_the_document_in_order_of_trust() {
    let site = SiteDir::new();
    // The title's unit, without 关于.
    site.write(
        "in/a.txt",
        "平潭综合实验区社会事业局关于2013年信息公开工作的报告\n正文。\n",
    );
    // 「本报告由……编制」 wins over the title.
    site.write(
        "in/b.txt",
        "平潭综合实验区2014年政府信息公开工作年度报告\n本报告由平潭综合实验区管委会办公室编制。\n",
    );
    // The CMS's 来源 field wins over a guess from the title.
    site.write(
        "in/c.html",
        "<html><head><title>平潭综合实验区2013年政府信息公开工作年度报告</title></head><body>\
         <div class=\"info\"><span>来源：平潭县人民政府</span><span>发布时间：2014-01-22</span></div>\
         <div class=\"article_content\"><p>正文。</p></div></body></html>",
    );
    let out = import_in(&site, &[site.path().join("in").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |rel: &str| std::fs::read_to_string(site.path().join(rel)).unwrap();
    assert_eq!(
        front(&read("content/2013/a.md"), "source").as_deref(),
        Some("平潭综合实验区社会事业局")
    );
    assert_eq!(
        front(&read("content/2014/b.md"), "source").as_deref(),
        Some("平潭综合实验区管委会办公室")
    );
    assert_eq!(
        front(&read("content/2013/c.md"), "source").as_deref(),
        Some("平潭县人民政府")
    );
    let said = stdout(&out);
    assert!(
        said.contains("from the title") && said.contains("本报告由"),
        "{said}"
    );
}

#[test]
fn document_links_of_an_old_page_become_attachments() {
    let site = SiteDir::new();
    site.write(
        "old/news.html",
        "<html><head><meta name=\"ArticleTitle\" content=\"某局2022年法治政府建设年度报告\">\
         <link rel=\"canonical\" href=\"https://www.old.gov.cn/zwgk/2023/news.html\">\
         <meta name=\"PubDate\" content=\"2023-03-30 16:56\"><meta name=\"ContentSource\" content=\"某局\"></head><body>\
         <div class=\"article_content\"><p>正文，详见<a href=\"news_files/2022年法治建设情况报告.pdf\">附件1</a>。</p></div>\
         <div class=\"fjxz\"><h4>文件下载</h4><ul>\
         <li><a href=\"/uploads/2023/tongji.xlsx\">附件2 统计表</a></li>\
         <li><a href=\"https://www.other.gov.cn/files/guide.docx\">附件3 办事指南</a></li>\
         <li><a href=\"/module/download/downfile.jsp?classid=0&amp;id=77\">附件4 收费标准.xls</a></li></ul></div>\
         </body></html>",
    );
    site.write_bytes(
        "old/news_files/2022年法治建设情况报告.pdf",
        b"%PDF-1.4\n%test\n",
    );
    let out = import_in(
        &site,
        &[site.path().join("old/news.html").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, text) = the_report(&site);
    assert!(
        text.contains("{title: \"附件1\", file: \"2022年法治建设情况报告.pdf\"}"),
        "{text}"
    );
    assert!(
        text.contains("url: \"https://www.old.gov.cn/uploads/2023/tongji.xlsx\""),
        "{text}"
    );
    assert!(
        text.contains("url: \"https://www.other.gov.cn/files/guide.docx\""),
        "{text}"
    );
    assert!(
        text.contains("{title: \"附件4 收费标准.xls\", url: \"https://www.old.gov.cn/module/download/downfile.jsp?classid=0&id=77\"}"),
        "{text}"
    );
    assert_eq!(
        front(&text, "date").as_deref(),
        Some("2023-03-30T16:56:00+08:00")
    );
    let said = stdout(&out);
    assert!(
        said.contains("saved as") && said.contains("original address"),
        "{said}"
    );
    site.build_ok();
    let pdfs = files_containing(&site.public(), "%PDF-1.4");
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
}

#[test]
fn every_shared_cms_page_keeps_its_document_links() {
    let cms = shared_samples().join("cms");
    let site = SiteDir::new();
    let out = import_in(&site, &[cms.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for entry in std::fs::read_dir(&cms).unwrap().flatten() {
        let page = entry.path().join("page.html");
        if !page.is_file() {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let documents = attrs(&html, "a[href]", "href")
            .into_iter()
            .filter(|h| {
                let path = h.split(['?', '#']).next().unwrap().to_ascii_lowercase();
                [
                    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".rar",
                ]
                .iter()
                .any(|e| path.ends_with(e))
            })
            .count();
        let id = entry.file_name().to_string_lossy().into_owned();
        let report = walkdir::WalkDir::new(site.path().join("content"))
            .into_iter()
            .flatten()
            .find(|e| e.file_name().to_string_lossy() == format!("{id}.md"))
            .unwrap_or_else(|| panic!("{id} was not imported"));
        let text = std::fs::read_to_string(report.path()).unwrap();
        let entries = text.matches("  - {title:").count();
        assert_eq!(entries, documents, "{id}: {text}");
    }
}

#[test]
fn text_copied_out_of_a_pdf_comes_back_as_paragraphs() {
    let site = SiteDir::new();
    let text = "某某区2023年法治政府建设年度报告\n\
        一、总体情况\n\
        二〇二三年，全区坚持以习近平法治思想为指导，深入推进法治\n\
        政府建设，各项工作取得新进展，依法行政水平进一步提高，人民\n\
        群众满意度持续提升。\n\
        - 1 -\n\
        某某区2023年法治政府建设年度报告\n\
        二、主要数据\n\
        1.行政复议 12 8 4\n\
        2.行政诉讼 3 2 1\n\
        全年共办理行政复议案件一百二十件，比上年增长百分之十，纠错\n\
        率保持稳定。\n\
        - 2 -\n\
        某某区2023年法治政府建设年度报告\n\
        三、下一步工作\n\
        继续加强法治政府建设，完善依法决策机制，提高行政执法质量。\n\
        某某区2023年法治政府建设年度报告\n";
    site.write("in/pdf.txt", text);
    let out = import_in(&site, &[site.path().join("in/pdf.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site.build_ok();
    let (path, _) = the_report(&site);
    let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
    let doc = site.html(&format!("2023/{slug}/index.html"));
    let headings = texts(&doc, ".report-body h2, .report-body h3");
    assert_eq!(
        headings,
        ["一、总体情况", "二、主要数据", "三、下一步工作"],
        "table rows must not become headings"
    );
    let paragraphs = texts(&doc, ".report-body p");
    assert!(
        paragraphs
            .iter()
            .any(|p| p.contains("深入推进法治政府建设") && p.ends_with("持续提升。")),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs.iter().any(|p| p.contains("纠错率保持稳定。")),
        "{paragraphs:?}"
    );
    let body = paragraphs.join("\n");
    assert!(!body.contains("- 1 -") && !body.contains("- 2 -"), "{body}");
    assert!(!body.contains("年度报告"), "running header left in: {body}");
}

#[test]
fn a_pdf_gets_a_message_that_says_what_to_do() {
    let site = SiteDir::new();
    site.write_bytes("in/report.pdf", b"%PDF-1.4\n");
    let out = import_in(
        &site,
        &[site.path().join("in/report.pdf").to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("attach") && err.contains(".docx"), "{err}");
}

#[test]
fn import_speaks_chinese_in_a_chinese_site() {
    let site = SiteDir::new();
    site.write_bytes(
        "in/hz.docx",
        &docx(vec![
            centred("淮安市洪泽区人民政府"),
            centred("2024年政府信息公开工作年度报告"),
            plain("正文。"),
        ]),
    );
    site.write("in/notes.md", "不是报告");
    let out = annals_without_locale()
        .args(["import", "--root", site.path().to_str().unwrap()])
        .arg(site.path().join("in"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("推断"), "{said}");
    let without_paths: String = said
        .split_whitespace()
        .filter(|w| !w.contains('/') && !w.contains('`'))
        .collect::<Vec<_>>()
        .join(" ");
    let english = [
        "guessed", "created", "skipped", "from the", "source", "report",
    ];
    for word in english {
        assert!(!without_paths.contains(word), "{word}: {said}");
    }
}

#[test]
fn the_real_report_copied_out_of_a_pdf_imports_with_its_title_and_paragraphs() {
    let raw = std::fs::read_to_string(shared_samples().join("real/raw/huaian-szf-xxgk-2024.txt"))
        .unwrap();
    // The first line says where the text was found; the rest is the PDF's text.
    let pdf_text = raw.split_once('\n').unwrap().1;
    let site = SiteDir::new();
    site.write("in/huaian.txt", pdf_text);
    let out = import_in(
        &site,
        &[site.path().join("in/huaian.txt").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, got) = the_report(&site);
    let want =
        std::fs::read_to_string(shared_samples().join("real/content/2024/huaian-szf-xxgk-2024.md"))
            .unwrap();
    for key in ["title", "category", "source"] {
        assert_eq!(front(&got, key), front(&want, key), "{key}\n{got}");
    }
    assert_eq!(front(&got, "year").as_deref(), Some("2024"));
    let body = got.split("\n---\n").nth(1).unwrap();
    assert!(!body.contains("-1-") && !body.contains("-6-"), "{body}");
    assert!(
        body.contains("2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习"),
        "wrapped lines were not joined:\n{body}"
    );
    assert!(body.contains("## 六、其他需要报告的事项"), "{body}");
    site.build_ok();
}

#[test]
fn every_real_raw_text_imports_with_the_title_year_category_and_source_of_its_report() {
    let raw_dir = shared_samples().join("real/raw");
    let site = SiteDir::new();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&raw_dir).unwrap().flatten() {
        let raw = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        site.write(&format!("in/{name}"), raw.split_once('\n').unwrap().1);
        names.push(name.trim_end_matches(".txt").to_string());
    }
    assert_eq!(names.len(), 5);
    let out = import_in(&site, &[site.path().join("in").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in names {
        let want_file = walkdir::WalkDir::new(shared_samples().join("real/content"))
            .into_iter()
            .flatten()
            .find(|e| e.file_name().to_string_lossy() == format!("{name}.md"))
            .unwrap();
        let want = std::fs::read_to_string(want_file.path()).unwrap();
        let year = title_year(&front(&want, "title").unwrap());
        let got =
            std::fs::read_to_string(site.path().join(format!("content/{year}/{name}.md"))).unwrap();
        for key in ["title", "category"] {
            assert_eq!(front(&got, key), front(&want, key), "{name}: {key}");
        }
        assert_eq!(front(&got, "year"), Some(year), "{name}");
        // The 2022 page names no office anywhere: its 来源 is a guess from
        // the title, printed as one.
        if name == "pingtan-xxgk-2022" {
            assert!(stdout(&out).contains("平潭综合实验区 from the title; check `source:`"));
        } else {
            assert_eq!(front(&got, "source"), front(&want, "source"), "{name}");
        }
    }
}
