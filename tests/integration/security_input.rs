//! Hostile and careless input (issue 13, part B): spreadsheet formulas in the
//! catalogue, backups, the dev server against abusive clients, input sizes,
//! error snippets, addresses, nesting, dates and encodings.

use crate::common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

// ---- reports.csv -------------------------------------------------------------

fn catalogue_rows(site: &SiteDir) -> Vec<Vec<String>> {
    let bytes = std::fs::read(site.public().join("reports.csv")).expect("reports.csv");
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn catalogue_cells_that_would_be_formulas_are_neutralised() {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "\"=HYPERLINK(\\\"https://evil.example\\\",\\\"点击\\\")\"",
        "2024-03-01",
        "\"@SUM(1+1)\"",
        "summary: \"  -2+3\"\ncategory: \"+cmd\"\ndoc_no: \"\\t=1\"\n",
        "正文。",
    );
    site.build_ok();
    let rows = catalogue_rows(&site);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    // title, source, category, doc_no, summary
    for (i, want) in [
        (0, "'=HYPERLINK(\"https://evil.example\",\"点击\")"),
        (7, "'@SUM(1+1)"),
        (9, "'+cmd"),
        (12, "'\t=1"),
        (13, "'  -2+3"),
    ] {
        assert_eq!(row[i], want, "column {i} of {row:?}");
    }
    // Ordinary cells are left as they are.
    assert!(row[1].starts_with("https://"), "{row:?}");
}

#[test]
fn catalogue_rows_end_with_crlf() {
    let site = SiteDir::new();
    site.report("2023/a.md", "甲报告", "2024-03-01", "甲局", "", "正文。");
    site.report("2023/b.md", "乙报告", "2024-03-02", "乙局", "", "正文。");
    site.build_ok();
    let text = std::fs::read_to_string(site.public().join("reports.csv")).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert_eq!(lines.len(), 3, "{text:?}");
    for line in lines {
        assert!(line.ends_with("\r\n"), "{line:?}");
    }
}

// ---- --convert-encoding ------------------------------------------------------

#[test]
fn convert_encoding_never_overwrites_an_existing_backup() {
    let site = SiteDir::new();
    let (gbk, _, _) = encoding_rs::GBK
        .encode("---\ntitle: 2023年法治政府建设年度报告\ndate: 2024-03-01\nsource: 甲局\n---\n\n全区安全生产形势持续稳定。\n");
    site.write_bytes("content/2023/a.md", &gbk);
    site.write("content/2023/a.md.bak", "我自己的备份，不能丢。");
    let out = site.build(&["--convert-encoding"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mine = std::fs::read_to_string(site.path().join("content/2023/a.md.bak")).unwrap();
    assert_eq!(mine, "我自己的备份，不能丢。");
    let backup = std::fs::read(site.path().join("content/2023/a.md.bak.1")).unwrap();
    assert_eq!(backup, gbk.to_vec());
    assert!(
        site.read("2023/a/index.html")
            .contains("全区安全生产形势持续稳定")
    );
}

// ---- annals serve ------------------------------------------------------------

fn serve_site() -> SiteDir {
    let site = SiteDir::new();
    site.report("2023/a.md", "甲报告", "2024-03-01", "甲局", "", "正文。");
    site
}

#[test]
fn serve_survives_a_huge_content_length() {
    let site = serve_site();
    let server = Serve::start(&site, &[]);
    let answer =
        server.raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\nabc");
    let (status, _, _) = split_answer(&answer);
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&answer));
    server.alive();
}

#[test]
fn serve_refuses_a_huge_request_head_without_reading_it_all() {
    let site = serve_site();
    let server = Serve::start(&site, &[]);
    let mut request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 8 * 1024 * 1024));
    request.extend(b"\r\n\r\n");
    let answer = server.raw(&request);
    let (status, head, _) = split_answer(&answer);
    assert!(
        status == 431 || answer.is_empty(),
        "an 8 MB header was accepted: {head}"
    );
    server.alive();
}

#[test]
fn serve_answers_range_requests() {
    let site = serve_site();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    site.write_bytes("static/files/data.bin", &data);
    let server = Serve::start(&site, &[]);
    let (status, head, body) = server.get("/files/data.bin", "Range: bytes=1000-1999\r\n");
    assert_eq!(status, 206, "{head}");
    assert!(head.contains("bytes 1000-1999/300000"), "{head}");
    assert_eq!(body, &data[1000..2000]);
    let (status, _, body) = server.get("/files/data.bin", "Range: bytes=-10\r\n");
    assert_eq!(status, 206);
    assert_eq!(body, &data[data.len() - 10..]);
    let (status, head, _) = server.get("/files/data.bin", "Range: bytes=400000-\r\n");
    assert_eq!(status, 416, "{head}");
    let (status, head, body) = server.get("/files/data.bin", "");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("accept-ranges: bytes"),
        "{head}"
    );
    assert_eq!(body, data);
    let answer = server
        .raw(b"HEAD /files/data.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let (status, head, body) = split_answer(&answer);
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase().contains("content-length: 300000"),
        "{head}"
    );
    assert!(body.is_empty());
}

#[test]
fn serve_streams_large_files_instead_of_holding_them() {
    let site = serve_site();
    const SIZE: usize = 160 * 1024 * 1024;
    let file = site.path().join("static/big.zip");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let mut f = std::fs::File::create(&file).unwrap();
    let chunk = vec![7u8; 1024 * 1024];
    for _ in 0..SIZE / chunk.len() {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    let server = Serve::start(&site, &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET /big.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut total = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) => panic!("download broke off after {total} bytes: {e}"),
        }
    }
    assert!(total > SIZE, "got {total} bytes");
    let peak = server.peak_memory();
    assert!(
        peak < (SIZE / 2) as u64,
        "the server held {} MB for a {} MB download",
        peak >> 20,
        SIZE >> 20
    );
}

#[test]
fn serve_on_all_interfaces_names_the_address_and_warns() {
    let site = serve_site();
    let server = Serve::start(&site, &["--bind", "0.0.0.0"]);
    assert!(
        server
            .first_line
            .contains(&format!("0.0.0.0:{}", server.port)),
        "{}",
        server.first_line
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match server.stderr.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let warned = line.contains("warning") && line.contains("network");
                seen.push(line);
                if warned {
                    return;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    panic!("no network warning on stderr: {seen:#?}");
}

// ---- sizes, snippets, addresses, nesting, dates, encodings -------------------

#[test]
fn reports_over_the_size_limit_are_refused_with_a_message() {
    let site = SiteDir::new();
    let mut text = String::from("---\ntitle: 超大报告\ndate: 2024-03-01\nsource: 甲局\n---\n\n");
    let line = "全区共接报生产安全事故9起，死亡9人，同比均下降。\n\n";
    while text.len() < 21 * 1024 * 1024 {
        text.push_str(line);
    }
    site.write("content/big.md", &text);
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("big.md") && err.contains("20 MB"), "{err}");
    assert!(err.contains("ANNALS_MAX_FILE_MB"), "{err}");
    // The documented setting lets it through.
    let out = annals_command()
        .args(["build", "--root", site.path().to_str().unwrap()])
        .env("ANNALS_MAX_FILE_MB", "30")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn error_snippets_are_cut_around_the_column_and_escape_control_characters() {
    let site = SiteDir::new();
    let long = "甲".repeat(200_000);
    site.write(
        "content/a.md",
        &format!(
            "---\ntitle: 报告\ndate: 2024-03-01\nsource: 甲局\nsummary: {long}\nfoo: \"\u{1b}[31mred\u{1b}]0;pwned\u{7}\"\n---\n\n正文。\n"
        ),
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("a.md:6"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}"), "{err}");
    assert!(err.len() < 4000, "{} bytes of error output", err.len());
}

#[test]
fn a_long_line_is_shown_as_a_window_around_the_column() {
    let site = SiteDir::new();
    let filler = "x".repeat(500_000);
    site.write(
        "content/a.md",
        &format!("---\ntitle: 报告\ndate: 2024-03-01\nsource: 甲局\ntags: [{filler}, [1]\n---\n\n正文。\n"),
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("a.md:5"), "{err}");
    assert!(err.len() < 4000, "{} bytes of error output", err.len());
}

#[test]
fn base_url_on_the_command_line_is_validated() {
    let site = SiteDir::new();
    site.report("a.md", "报告", "2024-03-01", "甲局", "", "正文。");
    for bad in [
        "javascript:alert(1)//",
        "https://a.gov.cn\" onmouseover=\"x",
        "https://",
    ] {
        let out = site.build(&["--base-url", bad]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{bad} was accepted");
        assert!(
            err.contains("base-url") || err.contains("base_url"),
            "{err}"
        );
        assert!(!site.public().join("a/index.html").exists(), "{bad}");
    }
    let out = site.build(&["--base-url", "https://www.example.gov.cn/"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn deeply_nested_raw_html_is_bounded() {
    let site = SiteDir::new();
    site.write(
        "config.toml",
        &format!("{BASIC_CONFIG}\n[markdown]\nunsafe_html = true\n"),
    );
    const DEPTH: usize = 200_000;
    let body = format!(
        "<div>\n\n{}深处{}\n\n</div>",
        "<div>".repeat(DEPTH),
        "</div>".repeat(DEPTH)
    );
    site.report("a.md", "报告", "2024-03-01", "甲局", "", &body);
    let start = Instant::now();
    let out = site.build(&[]);
    let took = start.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let html = site.read("a/index.html");
    assert!(html.contains("深处"));
    // The tags past the limit are shown as text.
    assert!(html.contains("&lt;div&gt;"), "no escaped tags");
}

#[test]
fn dates_outside_the_supported_years_are_refused() {
    for date in [
        "0000-01-01",
        "1900-05-04",
        "2999-01-01",
        "0001-01-01T00:00:00Z",
    ] {
        let site = SiteDir::new();
        site.report("a.md", "报告", date, "甲局", "", "正文。");
        let out = site.build(&[]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{date} was accepted");
        assert!(
            err.contains("a.md") && err.contains("1949"),
            "{date}: {err}"
        );
    }
    let site = SiteDir::new();
    site.report(
        "a.md",
        "报告",
        "2024-03-01",
        "甲局",
        "updated: 0000-01-01\n",
        "正文。",
    );
    assert!(!site.build(&[]).status.success());
}

#[test]
fn utf16_files_are_named_as_utf16() {
    let text = "---\ntitle: 报告\ndate: 2024-03-01\nsource: 甲局\n---\n\n正文。\n";
    for (bom, le) in [(true, true), (false, true), (true, false)] {
        let mut bytes: Vec<u8> = Vec::new();
        if bom {
            bytes.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            bytes.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        let site = SiteDir::new();
        site.write_bytes("content/a.md", &bytes);
        let out = site.build(&[]);
        let err = stderr(&out);
        assert!(!out.status.success());
        assert!(err.contains("UTF-16") && !err.contains("GBK"), "{err}");
        // And --convert-encoding converts it.
        let out = site.build(&["--convert-encoding"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(site.read("a/index.html").contains("正文。"));
    }
}

#[test]
fn control_characters_stay_out_of_the_page_description() {
    let site = SiteDir::new();
    site.report(
        "a.md",
        "报告",
        "2024-03-01",
        "甲局",
        "",
        "全区\u{0}安全\u{1b}[2J生产\u{7}形势稳定。",
    );
    site.report(
        "b.md",
        "报告二",
        "2024-03-02",
        "甲局",
        "summary: \"摘要\\0\\e[31m文字\"\n",
        "正文。",
    );
    site.build_ok();
    for page in ["a/index.html", "b/index.html"] {
        let doc = site.html(page);
        let description = attrs(&doc, "meta[name=description]", "content");
        assert!(!description.is_empty(), "{page}");
        for d in description {
            assert!(!d.chars().any(char::is_control), "{page}: {d:?}");
        }
    }
}

#[test]
fn an_alias_with_a_nul_is_refused_as_an_alias() {
    let site = SiteDir::new();
    site.report(
        "a.md",
        "报告",
        "2024-03-01",
        "甲局",
        "aliases: [\"/old%00page.html\"]\n",
        "正文。",
    );
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("a.md:5") && err.contains("alias"), "{err}");
}

#[test]
fn write_failures_get_help_for_their_own_cause() {
    use std::io::{Error, ErrorKind};
    let full = annals::output::io_help(&Error::from(ErrorKind::StorageFull));
    let denied = annals::output::io_help(&Error::from(ErrorKind::PermissionDenied));
    let nul = annals::output::io_help(&Error::new(
        ErrorKind::InvalidInput,
        "file name contained an unexpected NUL byte",
    ));
    assert!(full.contains("disk is full"), "{full}");
    assert!(denied.contains("permissions"), "{denied}");
    assert!(nul.contains("NUL"), "{nul}");
    assert!(full != denied && denied != nul && full != nul);
}
