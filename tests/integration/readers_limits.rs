//! Hostile documents (issue 22 §1–4): huge merged cells, zip bombs, deeply
//! nested pages and long vertical merges are bounded. Each runs the real
//! binary under an address-space cap and a timeout; a limit reached is an
//! error naming the file and the limit, never an abort.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use crate::readers_tables::{para, word_file};

/// Address space the importer may use in these tests.
const MEMORY: u64 = 1536 * 1024 * 1024;

/// `annals import --lang en` of one file under the memory cap, killed after `limit`.
fn import_capped(site: &SiteDir, file: &str, extra: &[&str], limit: Duration) -> Output {
    let mut cmd = annals_command();
    cmd.args([
        "import",
        "--lang",
        "en",
        "--root",
        site.path().to_str().unwrap(),
    ])
    .args(extra)
    .arg(site.path().join(file))
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: MEMORY,
                rlim_max: MEMORY,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("import still ran after {limit:?}: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Refused with a message naming the file and the limit (exit 1, not a crash).
fn assert_refused(out: &Output, file: &str, limit_words: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(file), "names the file: {err}");
    assert!(err.contains(limit_words), "names the limit: {err}");
    assert!(!err.contains("internal error"), "{err}");
}

#[test]
fn a_word_cell_spanning_fifty_million_columns_is_refused() {
    let site = SiteDir::new();
    let body = r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="50000000"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    site.write_bytes("in/span.docx", &word_file(body, &[]));
    let out = import_capped(
        &site,
        "in/span.docx",
        &["--dry-run"],
        Duration::from_secs(20),
    );
    assert_refused(&out, "span.docx", "--limit table-cells");
    // A real document needing more may raise the limit; rows × columns still counts.
    let out = import_capped(
        &site,
        "in/span.docx",
        &["--dry-run", "--limit", "table-cells=1000"],
        Duration::from_secs(20),
    );
    assert_refused(&out, "span.docx", "1000");
}

#[test]
fn html_spans_are_bounded_by_rows_times_columns() {
    // Each row is 1000 columns wide and every cell runs down 65534 rows.
    let mut page = String::from("<html><body><div id=\"zoom\"><table>");
    for _ in 0..3000 {
        page.push_str(r#"<tr><td colspan="1000" rowspan="65534">x</td></tr>"#);
    }
    page.push_str("</table></div></body></html>");
    let site = SiteDir::new();
    site.write("in/spans.html", &page);
    let out = import_capped(
        &site,
        "in/spans.html",
        &["--dry-run"],
        Duration::from_secs(30),
    );
    assert_refused(&out, "spans.html", "200000");
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    // 1 GB of XML packed into about 1 MB.
    let site = SiteDir::new();
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>"#)
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    let bytes = bytes.into_inner();
    assert!(bytes.len() < 4 << 20, "{}", bytes.len());
    site.write_bytes("in/bomb.docx", &bytes);
    let out = import_capped(
        &site,
        "in/bomb.docx",
        &["--dry-run"],
        Duration::from_secs(60),
    );
    assert_refused(&out, "bomb.docx", "word/document.xml");
    assert!(stderr(&out).contains("--limit"), "{}", stderr(&out));
}

#[test]
fn a_huge_image_is_left_out_with_a_note_and_never_written() {
    let site = SiteDir::new();
    let body = format!(
        r#"{}<w:p><w:r><w:drawing><a:blip xmlns:a="a" xmlns:r="r" r:embed="rId9"/></w:drawing></w:r></w:p>"#,
        para("正文。")
    );
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="image" Target="media/image1.png"/></Relationships>"#;
    let big = vec![0u8; 30 << 20];
    site.write_bytes(
        "in/picture.docx",
        &word_file(
            &body,
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/media/image1.png", &big),
            ],
        ),
    );
    let out = import_capped(&site, "in/picture.docx", &[], Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr(&out));
    let told = stdout(&out);
    assert!(
        told.contains("image1.png") && told.contains("20 MB"),
        "{told}"
    );
    let written: Vec<_> = walkdir::WalkDir::new(site.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "image1.png")
        .collect();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn deeply_nested_pages_are_refused_without_overflowing_the_stack() {
    let mut page = String::from("<html><body><div id=\"zoom\"><p>正文</p>");
    page.push_str(&"<span>".repeat(30_000));
    page.push('x');
    page.push_str(&"</span>".repeat(30_000));
    page.push_str("</div></body></html>");
    let site = SiteDir::new();
    site.write("in/deep.html", &page);
    let out = import_capped(
        &site,
        "in/deep.html",
        &["--dry-run"],
        Duration::from_secs(30),
    );
    assert_refused(&out, "deep.html", "256");
    // Within the limit, the walk is iterative and linear.
    let mut page = String::from("<html><body><div id=\"zoom\">");
    page.push_str(&"<span>".repeat(200));
    page.push_str("深处的文字");
    page.push_str(&"</span>".repeat(200));
    page.push_str("</div></body></html>");
    site.write("in/fine.html", &page);
    let out = import_capped(
        &site,
        "in/fine.html",
        &["--dry-run"],
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn long_vertical_merges_take_linear_time() {
    // 150,000 rows merged into the cell of the first one.
    let mut body = String::from("<w:tbl>");
    body.push_str(r#"<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc></w:tr>"#);
    for _ in 0..150_000 {
        body.push_str("<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>");
    }
    body.push_str("</w:tbl>");
    let site = SiteDir::new();
    site.write_bytes("in/merge.docx", &word_file(&body, &[]));
    let start = Instant::now();
    let out = import_capped(
        &site,
        "in/merge.docx",
        &["--dry-run"],
        Duration::from_secs(30),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn an_embedded_file_that_is_not_a_picture_is_never_written() {
    let site = SiteDir::new();
    let body = format!(
        r#"{}<w:p><w:r><w:drawing><a:blip xmlns:a="a" xmlns:r="r" r:embed="rId1"/></w:drawing></w:r></w:p><w:p><w:r><w:drawing><a:blip xmlns:a="a" xmlns:r="r" r:embed="rId2"/></w:drawing></w:r></w:p>"#,
        para("正文。")
    );
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="image" Target="media/evil.html"/><Relationship Id="rId2" Type="image" Target="media/chart.html"/></Relationships>"#;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    site.write_bytes(
        "in/page.docx",
        &word_file(
            &body,
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/media/evil.html", b"<script>alert(1)</script>"),
                ("word/media/chart.html", png),
            ],
        ),
    );
    let out = import_capped(&site, "in/page.docx", &[], Duration::from_secs(30));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("evil.html"), "{}", stdout(&out));
    let names: Vec<String> = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".html")), "{names:?}");
    assert!(names.contains(&"chart.png".to_string()), "{names:?}");
}
