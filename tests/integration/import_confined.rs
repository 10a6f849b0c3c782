//! `annals import` against hostile or careless input (issue 22, items 5–12):
//! it writes only below content/, through no symbolic link; it loses and
//! merges nothing silently; a saved page brings only images and documents
//! (by content) from its own folder; what it prints cannot drive the
//! terminal; and what it writes builds, or it refuses with the build's message.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::common::*;

fn import_in(site: &SiteDir, args: &[&str]) -> std::process::Output {
    annals(&[&["import", "--root", site.path().to_str().unwrap()], args].concat())
}

/// A PNG header followed by `tag`: a different image for each tag.
fn png(tag: &str) -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), tag.as_bytes()].concat()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<html><head><meta name=\"ArticleTitle\" content=\"{title}\">\
         <meta name=\"PubDate\" content=\"2024-03-01\">\
         <meta name=\"ContentSource\" content=\"测试区司法局\"></head>\
         <body><div class=\"article_content\"><p>正文第一段。</p>{body}</div></body></html>"
    )
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn section_is_a_folder_under_content() {
    let site = SiteDir::new();
    site.write("in/a.txt", "某局2023年法治政府建设年度报告\n正文。\n");
    let input = site.path().join("in/a.txt");
    let outside = tempfile::tempdir().unwrap();
    let abs = outside.path().join("x");
    for section in ["../../x", "../x", abs.to_str().unwrap(), ".annals-cache"] {
        let out = import_in(&site, &["--section", section, input.to_str().unwrap()]);
        assert!(!out.status.success(), "--section {section} was accepted");
        assert!(stderr(&out).contains("--section"), "{}", stderr(&out));
    }
    assert!(files_under(outside.path()).is_empty());
    assert!(!site.path().join("x").exists());
    let out = import_in(&site, &["--section", "xxgk/old", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.path().join("content/xxgk/old/a.md").is_file());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_under_content_is_never_written_through() {
    let site = SiteDir::new();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/2023")).unwrap();
    std::fs::create_dir_all(site.path().join("content/xxgk")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/xxgk/old")).unwrap();
    site.write(
        "in/news.html",
        &page("某局2023年信息公开工作年度报告", "<img src=\"chart.png\">"),
    );
    site.write_bytes("in/chart.png", &png("chart"));
    let input = site.path().join("in/news.html");
    for extra in [&[][..], &["--section", "xxgk/old"][..]] {
        let out = import_in(&site, &[extra, &[input.to_str().unwrap()]].concat());
        assert!(!out.status.success(), "{}", stdout(&out));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    }
    assert!(files_under(outside.path()).is_empty());
}

#[test]
fn two_images_with_one_name_stay_two_images() {
    let site = SiteDir::new();
    site.write(
        "old/news.html",
        &page(
            "某局2023年信息公开工作年度报告",
            "<p><img src=\"/uploads/202301/1.jpg\"></p><p><img src=\"/uploads/202302/1.jpg\"></p>",
        ),
    );
    site.write_bytes("old/uploads/202301/1.jpg", &png("January"));
    site.write_bytes("old/uploads/202302/1.jpg", &png("February"));
    let out = import_in(
        &site,
        &[site.path().join("old/news.html").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = site.path().join("content/2023/news");
    let names = files_under(&folder);
    assert_eq!(names.len(), 2, "{names:?}");
    let bytes: Vec<Vec<u8>> = names
        .iter()
        .map(|n| std::fs::read(folder.join(n)).unwrap())
        .collect();
    assert!(bytes.contains(&png("January")) && bytes.contains(&png("February")));
    let report = std::fs::read_to_string(site.path().join("content/2023/news.md")).unwrap();
    for n in &names {
        assert!(report.contains(&format!("/2023/news/{n}")), "{report}");
    }
    site.build_ok();
}

#[test]
fn a_re_import_never_reuses_a_left_over_attachment_folder() {
    let site = SiteDir::new();
    let body = "<p><img src=\"chart.png\"></p>";
    site.write(
        "old/news.html",
        &page("某局2023年信息公开工作年度报告", body),
    );
    site.write_bytes("old/chart.png", &png("old chart"));
    let input = site.path().join("old/news.html");
    assert!(
        import_in(&site, &[input.to_str().unwrap()])
            .status
            .success()
    );
    std::fs::remove_file(site.path().join("content/2023/news.md")).unwrap();
    site.write_bytes("old/chart.png", &png("new chart"));
    let out = import_in(&site, &[input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = std::fs::read_to_string(site.path().join("content/2023/news-2.md")).unwrap();
    assert!(report.contains("/2023/news-2/chart.png"), "{report}");
    assert_eq!(
        std::fs::read(site.path().join("content/2023/news-2/chart.png")).unwrap(),
        png("new chart")
    );
    assert!(stdout(&out).contains("news-2.md"), "{}", stdout(&out));
}

#[test]
fn every_file_of_a_folder_is_imported_or_listed_with_its_reason() {
    let site = SiteDir::new();
    site.write("old/page.html", &page("某局2023年信息公开工作年度报告", ""));
    site.write("old/page.txt", "提取的文本");
    site.write(
        "old/2022年法治政府建设年度报告.txt",
        "某局2022年法治政府建设年度报告\n正文。\n",
    );
    site.write("old/links.tsv", "type\thref\n");
    site.write("old/.DS_Store", "x");
    let out = import_in(&site, &[site.path().join("old").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        site.path().join("content/2022").read_dir().unwrap().count() == 1,
        "the .txt report beside a page was dropped:\n{text}"
    );
    for name in ["/page.txt: ", "/links.tsv: ", "/.DS_Store: "] {
        assert!(text.contains(name), "{name} not listed: {text}");
    }
    assert!(text.contains("2 report(s) created, 3 skipped"), "{text}");
}

#[test]
fn a_bare_file_name_imports_like_a_path() {
    let site = SiteDir::new();
    site.write(
        "old/news.html",
        &page("某局2023年信息公开工作年度报告", "<img src=\"chart.png\">"),
    );
    site.write_bytes("old/chart.png", &png("chart"));
    let out = annals_command()
        .current_dir(site.path().join("old"))
        .args([
            "import",
            "--root",
            site.path().to_str().unwrap(),
            "news.html",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.path().join("content/2023/news/chart.png").is_file(),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_saved_page_brings_only_images_and_documents_by_content() {
    let site = SiteDir::new();
    let home = site.path().join("home");
    site.write(
        "home/news.html",
        &page(
            "某局2023年信息公开工作年度报告",
            "<img src=\"/.ssh/id_rsa\"><img src=\"news_files/fake.png\">\
             <img src=\"news_files/real.png\"><a href=\"news_files/notes.pdf\">附件</a>",
        ),
    );
    site.write("home/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----");
    site.write("home/news_files/fake.png", "not an image at all");
    site.write_bytes("home/news_files/real.png", &png("real"));
    site.write("home/news_files/notes.pdf", "plain text called pdf");
    let out = import_in(&site, &[home.join("news.html").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        files_under(&site.path().join("content/2023/news")),
        ["real.png"]
    );
    assert!(files_containing(&site.path().join("content"), "PRIVATE KEY").is_empty());
    let text = stdout(&out);
    assert!(
        text.contains("fake.png") && text.contains("notes.pdf"),
        "{text}"
    );
}

#[test]
fn names_from_documents_cannot_drive_the_terminal() {
    let site = SiteDir::new();
    site.write(
        "old/news.html",
        &page(
            "某局2023年报告\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}fdp.exe",
            "<img src=\"gone\u{1b}[31m.png\">",
        ),
    );
    let out = import_in(
        &site,
        &[site.path().join("old/news.html").to_str().unwrap()],
    );
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    assert!(!all.contains('\u{202e}'), "{all:?}");
    // Nor the site: the title is written without them.
    let report = std::fs::read_to_string(site.path().join("content/2023/news.md")).unwrap();
    assert!(
        report.contains("title: \"某局2023年报告]0;pwned[2Jfdp.exe\""),
        "{report}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let site = SiteDir::new();
    for i in 0..300 {
        site.write(
            &format!("old/r{i}.txt"),
            &format!("某局2023年报告{i}\n正文。\n"),
        );
    }
    let mut child = annals_command()
        .args([
            "import",
            "--dry-run",
            "--root",
            site.path().to_str().unwrap(),
        ])
        .arg(site.path().join("old"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("internal error") && !err.contains("panic"),
        "{err}"
    );
}

#[test]
fn what_import_writes_builds_or_is_refused_with_the_builds_message() {
    let site = SiteDir::new();
    // An old address with `..`: the alias is left out, the report stays.
    site.write(
        "old/a.html",
        &page("某局2023年信息公开工作年度报告", "").replace(
            "<head>",
            "<head><link rel=\"canonical\" href=\"https://old.gov.cn/a/../../b.html\">",
        ),
    );
    // 「9999年」 in the title: the year comes from the date instead.
    site.write(
        "old/b.txt",
        "某局9999年工作报告\n发布时间：2024-03-01\n正文。\n",
    );
    // A page called _index.html, with an image saved as index.html.
    site.write(
        "old/_index.html",
        &page(
            "某局2022年信息公开工作年度报告",
            "<img src=\"pics/index.html\">",
        ),
    );
    site.write_bytes("old/pics/index.html", &png("chart"));
    for file in ["a.html", "b.txt", "_index.html"] {
        let out = import_in(
            &site,
            &[site.path().join("old").join(file).to_str().unwrap()],
        );
        assert!(out.status.success(), "{file}: {}", stderr(&out));
    }
    assert!(!site.path().join("content/2022/_index.md").exists());
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let b = std::fs::read_to_string(site.path().join("content/2024/b.md")).unwrap();
    assert!(b.contains("year: 2024"), "{b}");

    // A 1900 date: refused with the build's message, nothing written.
    site.write("old/c.txt", "某局报告\n发布时间：1900-01-01\n正文。\n");
    let out = import_in(&site, &[site.path().join("old/c.txt").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("1949"), "{}", stderr(&out));
    assert!(files_containing(&site.path().join("content"), "1900-01-01").is_empty());
}

#[test]
fn a_text_larger_than_a_report_may_be_is_refused() {
    let site = SiteDir::new();
    let line = "正文内容。".repeat(100) + "\n";
    site.write("old/big.txt", &line.repeat(1500));
    let out = annals_command()
        .env("ANNALS_MAX_FILE_MB", "1")
        .args(["import", "--root", site.path().to_str().unwrap()])
        .arg(site.path().join("old/big.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("ANNALS_MAX_FILE_MB"),
        "{}",
        stderr(&out)
    );
    assert!(
        !site
            .path()
            .join("content")
            .read_dir()
            .unwrap()
            .any(|_| true)
    );
}

#[test]
fn old_url_prefix_and_aliases_are_checked_like_site_paths() {
    let site = SiteDir::new();
    site.write("old/a.txt", "某局2023年报告\n正文。\n");
    let input = site.path().join("old");
    for prefix in [
        "https://old.gov.cn/\u{1b}[2J/",
        "https://old.gov.cn/.annals-output",
        "https://old.gov.cn/x\u{202e}y/",
        "javascript:alert(1)",
    ] {
        let out = import_in(
            &site,
            &["--old-url-prefix", prefix, input.to_str().unwrap()],
        );
        assert!(!out.status.success(), "{prefix:?} was accepted");
        assert!(
            stderr(&out).contains("--old-url-prefix"),
            "{}",
            stderr(&out)
        );
    }
    site.write(
        "old/b.html",
        &page("某局2023年信息公开工作年度报告", "").replace(
            "<head>",
            "<head><meta name=\"Url\" content=\"https://old.gov.cn/a%0d%0aSet-Cookie:x/1.html\">",
        ),
    );
    let out = import_in(&site, &[site.path().join("old/b.html").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = std::fs::read_to_string(site.path().join("content/2023/b.md")).unwrap();
    assert!(!report.contains("aliases"), "{report}");
    // A page the prefix names: its path is percent-encoded as a server has it.
    site.write(
        "old2/2023年 报告.html",
        &page("某局2023年信息公开工作年度报告", ""),
    );
    let old2 = site.path().join("old2");
    let out = import_in(
        &site,
        &[
            "--old-url-prefix",
            "https://old.gov.cn/zwgk/",
            old2.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let found = files_containing(&site.path().join("content/2023"), "/zwgk/");
    assert_eq!(found.len(), 1, "{found:?}");
    let report = std::fs::read_to_string(&found[0]).unwrap();
    assert!(
        report.contains("aliases: [\"/zwgk/2023%E5%B9%B4%20%E6%8A%A5%E5%91%8A.html\"]"),
        "{report}"
    );
    site.build_ok();
    assert!(site.public().join("zwgk/2023年 报告.html").is_file());
}

#[test]
fn utf8_with_a_cut_off_last_character_stays_utf8() {
    let site = SiteDir::new();
    let mut bytes = "某局2023年法治政府建设年度报告\n一、总体情况\n全年工作取得新进展。\n最后一行"
        .as_bytes()
        .to_vec();
    bytes.truncate(bytes.len() - 1);
    site.write_bytes("old/r.txt", &bytes);
    let out = import_in(&site, &[site.path().join("old/r.txt").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = std::fs::read_to_string(site.path().join("content/2023/r.md")).unwrap();
    assert!(
        report.contains("某局2023年法治政府建设年度报告"),
        "{report}"
    );
    assert!(stdout(&out).contains("line(s) 4"), "{}", stdout(&out));
}

#[test]
fn forty_thousand_source_lines_take_linear_time() {
    let site = SiteDir::new();
    let lines = "<p>来源：某局</p>".repeat(40_000);
    site.write(
        "old/big.html",
        &page("某局2023年信息公开工作年度报告", &lines),
    );
    let out = run_with_limit(
        &[
            "import",
            "--dry-run",
            "--root",
            site.path().to_str().unwrap(),
            site.path().join("old/big.html").to_str().unwrap(),
        ],
        &[],
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A .docx written by hand: two pictures whose parts share the name
/// `image1.png` in two folders (as merged documents have), and a drawing
/// that is no image a browser shows (EMF).
fn docx_with_two_image1_png() -> Vec<u8> {
    use std::io::Write;
    let drawing = |id: &str| {
        format!(
            "<w:p><w:r><w:drawing><a:graphic><a:graphicData><pic:pic><pic:blipFill>\
             <a:blip r:embed=\"{id}\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>\
             </w:drawing></w:r></w:p>"
        )
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>\
         <w:p><w:r><w:t>某局2023年信息公开工作年度报告</w:t></w:r></w:p>\
         <w:p><w:r><w:t>正文。</w:t></w:r></w:p>{}{}{}</w:body></w:document>",
        drawing("rId1"),
        drawing("rId2"),
        drawing("rId3")
    );
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media2/image1.png\"/>\
        <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image3.emf\"/>\
        </Relationships>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let parts: [(&str, Vec<u8>); 5] = [
        ("word/document.xml", document.into_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
        ("word/media/image1.png", png("first")),
        ("word/media2/image1.png", png("second")),
        (
            "word/media/image3.emf",
            b"\x01\x00\x00\x00EMF drawing".to_vec(),
        ),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn images_of_one_name_in_two_word_folders_stay_two_and_a_drawing_left_out_is_told() {
    let site = SiteDir::new();
    site.write_bytes("in/merged.docx", &docx_with_two_image1_png());
    let out = import_in(
        &site,
        &[site.path().join("in/merged.docx").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = site.path().join("content/2023/merged");
    assert_eq!(files_under(&folder), ["image1-2.png", "image1.png"]);
    assert_eq!(
        std::fs::read(folder.join("image1.png")).unwrap(),
        png("first")
    );
    assert_eq!(
        std::fs::read(folder.join("image1-2.png")).unwrap(),
        png("second")
    );
    assert!(stdout(&out).contains("image3.emf"), "{}", stdout(&out));
    site.build_ok();
}

#[test]
fn importing_the_site_folder_itself_leaves_its_own_pages_alone() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "某局2023年报告",
        "2024-03-01",
        "某局",
        "",
        "正文。",
    );
    site.build_ok();
    site.write("incoming/b.txt", "某局2022年法治政府建设年度报告\n正文。\n");
    let out = annals_command()
        .current_dir(site.path())
        .args(["import", "--dry-run", "."])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("1 report(s) would be created"), "{text}");
    assert!(text.contains("content: this is the site's own"), "{text}");
    assert!(text.contains("public: this is the site's own"), "{text}");
}
