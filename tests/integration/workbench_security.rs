//! The workbench refuses what is not its own editor's: a request without this
//! start's token, from a foreign Origin or Host, for a path outside `content/`,
//! an oversized upload, and the older of two saves; and nothing changes then.

use crate::common::*;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

/// `annals serve` with the workbench, and the token it printed.
struct Bench {
    serve: Serve,
    token: String,
}

impl Bench {
    fn start(site: &SiteDir) -> Bench {
        let serve = Serve::start(site, &[]);
        let token: String = serve
            .more_lines
            .split("token=")
            .nth(1)
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        assert_eq!(token.len(), 64, "no token printed");
        Bench { serve, token }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.serve.port)
    }

    fn cookie(&self) -> String {
        format!(
            "Cookie: annals_workbench_{}={}\r\n",
            self.serve.port, self.token
        )
    }

    /// Sends a request with `host`, extra header lines and a body.
    fn send(
        &self,
        method: &str,
        target: &str,
        host: &str,
        headers: &str,
        body: &[u8],
    ) -> (u16, String) {
        let mut request = format!(
            "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        let (status, _, answer) = split_answer(&self.serve.raw(&request));
        (status, String::from_utf8_lossy(&answer).into_owned())
    }

    /// A POST as the workbench's own page sends it.
    fn post(&self, target: &str, body: &[u8]) -> (u16, String) {
        let origin = format!("Origin: http://{}\r\n", self.host());
        let headers = format!(
            "{}{origin}Content-Type: application/x-www-form-urlencoded\r\n",
            self.cookie()
        );
        self.send("POST", target, &self.host(), &headers, body)
    }

    fn get(&self, target: &str) -> (u16, String) {
        self.send("GET", target, &self.host(), &self.cookie(), b"")
    }
}

fn site() -> SiteDir {
    let site = SiteDir::new();
    site.report(
        "2023/a.md",
        "2023年法治政府建设年度报告",
        "2024-01-20",
        "测试区司法局",
        "",
        "正文。",
    );
    site
}

/// The site's own files (not annals' working files), for "nothing changed".
fn files_of(site: &SiteDir) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot(site.path())
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".annals-cache"))
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn version_of(page: &str) -> String {
    page.split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a version in the form")
        .to_string()
}

fn edit_form(version: &str, title: &str) -> Vec<u8> {
    form(&[
        ("file", "2023/a.md"),
        ("version", version),
        ("title", title),
        ("date", "2024-01-20"),
        ("source", "测试区司法局"),
        ("body", "新的正文。\n"),
    ])
}

#[test]
fn serve_answers_only_its_own_host_names() {
    let site = site();
    let bench = Bench::start(&site);
    let port = bench.serve.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _) = bench.send("GET", "/", &host, "", b"");
        assert_eq!(status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        for target in ["/", "/2023/", "/_annals/"] {
            let (status, _) = bench.send("GET", target, &host, &bench.cookie(), b"");
            assert_eq!(status, 421, "{host} {target}");
        }
    }
}

#[test]
fn the_token_is_needed_and_becomes_a_strict_cookie() {
    let site = site();
    let bench = Bench::start(&site);
    let before = files_of(&site);
    let host = bench.host();
    assert_eq!(bench.send("GET", "/_annals/", &host, "", b"").0, 403);
    assert_eq!(
        bench.send("GET", "/_annals/?token=0000", &host, "", b"").0,
        403
    );
    let wrong = format!(
        "Cookie: annals_workbench_{}={}\r\n",
        bench.serve.port,
        "0".repeat(64)
    );
    assert_eq!(bench.send("GET", "/_annals/", &host, &wrong, b"").0, 403);
    let origin = format!("Origin: http://{host}\r\n");
    let (status, _) = bench.send(
        "POST",
        "/_annals/edit",
        &host,
        &origin,
        &edit_form("x", "改"),
    );
    assert_eq!(status, 403);
    assert_eq!(files_of(&site), before);
    let answer = bench.serve.raw(
        format!(
            "GET /_annals/?token={} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
            bench.token
        )
        .as_bytes(),
    );
    let (status, head, _) = split_answer(&answer);
    assert_eq!(status, 303);
    let cookie = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(bench.get("/_annals/").0, 200);
}

#[test]
fn changes_from_another_origin_are_refused() {
    let site = site();
    let bench = Bench::start(&site);
    let (_, page) = bench.get("/_annals/edit?file=2023%2Fa.md");
    let version = version_of(&page);
    let before = files_of(&site);
    let host = bench.host();
    for origin in ["Origin: http://evil.example\r\n", "Origin: null\r\n", ""] {
        let headers = format!("{}{origin}", bench.cookie());
        let (status, _) = bench.send(
            "POST",
            "/_annals/edit",
            &host,
            &headers,
            &edit_form(&version, "改"),
        );
        assert_eq!(status, 403, "{origin:?}");
    }
    assert_eq!(files_of(&site), before);
}

#[test]
fn paths_outside_content_are_refused() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/out")).unwrap();
    let bench = Bench::start(&site);
    let before = files_of(&site);
    for file in [
        "../config.toml",
        "../x.md",
        "../../x.md",
        "/tmp/x.md",
        "out/x.md",
        ".x.md",
    ] {
        let body = form(&[
            ("file", file),
            ("version", "new"),
            ("title", "t"),
            ("date", "2024-01-01"),
            ("source", "s"),
            ("body", "x"),
        ]);
        let (status, _) = bench.post("/_annals/edit", &body);
        assert!(status == 400 || status == 403, "{file}: {status}");
        let (status, _) = bench.post(
            &format!("/_annals/attach?file={}&name=a.pdf", encode(file)),
            b"%PDF-1.4",
        );
        assert!(status == 400 || status == 403, "{file}: {status}");
    }
    let (status, _) = bench.post(
        "/_annals/attach?file=2023%2Fa.md&name=..%2F..%2F..%2Fconfig.toml",
        b"x",
    );
    assert_eq!(status, 400);
    assert_eq!(files_of(&site), before);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn oversized_uploads_are_refused_before_anything_is_written() {
    let site = site();
    let bench = Bench::start(&site);
    let before = files_of(&site);
    let big = vec![b'x'; 21 * 1024 * 1024];
    for target in [
        "/_annals/attach?file=2023%2Fa.md&name=big.pdf",
        "/_annals/import/upload?name=big.docx",
    ] {
        let (status, _) = bench.post(target, &big);
        assert_eq!(status, 413, "{target}");
    }
    assert_eq!(files_of(&site), before);
    let imports = site.path().join(".annals-cache/workbench/imports");
    assert!(!imports.exists() || std::fs::read_dir(&imports).unwrap().count() == 0);
    bench.serve.alive();
    // A small one is accepted, into the report's folder.
    let (status, body) = bench.post(
        "/_annals/attach?file=2023%2Fa.md&name=%E8%A1%A8.pdf",
        b"%PDF-1.4",
    );
    assert_eq!(status, 200, "{body}");
    assert!(site.path().join("content/2023/a/表.pdf").is_file());
}

#[test]
fn the_older_of_two_saves_is_refused_and_nothing_is_lost() {
    let site = site();
    let bench = Bench::start(&site);
    let (_, first_tab) = bench.get("/_annals/edit?file=2023%2Fa.md");
    let (_, second_tab) = bench.get("/_annals/edit?file=2023%2Fa.md");
    let original = std::fs::read_to_string(site.path().join("content/2023/a.md")).unwrap();
    let (status, _) = bench.post(
        "/_annals/edit",
        &edit_form(&version_of(&first_tab), "第一个标签页"),
    );
    assert_eq!(status, 303);
    let saved = std::fs::read_to_string(site.path().join("content/2023/a.md")).unwrap();
    assert!(saved.contains("title: 第一个标签页\n"), "{saved}");
    assert!(saved.ends_with("---\n新的正文。\n"), "{saved}");
    let (status, page) = bench.post(
        "/_annals/edit",
        &edit_form(&version_of(&second_tab), "第二个标签页"),
    );
    assert_eq!(status, 409);
    // The refused edit is shown again, so the editor can copy it.
    assert!(page.contains("第二个标签页"));
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/2023/a.md")).unwrap(),
        saved
    );
    let backups = snapshot(&site.path().join(".annals-cache/workbench/backups"));
    assert_eq!(backups.len(), 1);
    assert!(backups[0].0.ends_with("2023/a.md"));
    assert_eq!(String::from_utf8_lossy(&backups[0].1), original);
}

#[test]
fn no_workbench_on_a_network_address() {
    let site = site();
    let mut child = annals_command()
        .args(["serve", "--port", "0", "--bind", "0.0.0.0", "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("an address");
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!line.contains("token="), "{line}");
    assert!(stderr.contains("0.0.0.0"), "{stderr}");
    assert!(port > 0);
    assert!(!Path::new(&site.path().join(".annals-cache/workbench")).exists());
}

fn word_file(title: &str) -> Vec<u8> {
    use docx_rs::*;
    let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(p(title))
        .add_paragraph(p("一、总体情况"))
        .add_paragraph(p("2023年，本局坚持依法行政。"))
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

/// Uploads a Word file; returns the review page's address.
fn upload(bench: &Bench, name: &str, bytes: &[u8]) -> String {
    let (status, body) = bench.post(
        &format!("/_annals/import/upload?name={}", encode(name)),
        bytes,
    );
    assert_eq!(status, 200, "{body}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    value["review"].as_str().unwrap().to_string()
}

#[test]
fn import_writes_nothing_before_confirming_and_never_overwrites() {
    let site = site();
    let bench = Bench::start(&site);
    let before = files_of(&site);
    let review = upload(
        &bench,
        "年报.docx",
        &word_file("城东区数据局2023年政府信息公开工作年度报告"),
    );
    assert_eq!(
        files_of(&site),
        before,
        "nothing is written before confirming"
    );
    let (status, page) = bench.get(&review);
    assert_eq!(status, 200);
    assert!(page.contains("城东区数据局"), "the guessed 来源 is shown");
    assert!(page.contains("(guess)"), "and marked as a guess");
    let id = review.split("id=").nth(1).unwrap().to_string();
    let create = |id: &str, source: &str| {
        bench.post(
            "/_annals/import/create",
            &form(&[
                ("id", id),
                ("title", "2023年政府信息公开工作年度报告"),
                ("date", "2024-01-31"),
                ("source", source),
                ("category", "政府信息公开工作年度报告"),
                ("section", "2023"),
                ("name", "a"),
            ]),
        )
    };
    // content/2023/a.md exists: refused, nothing changed.
    let (status, page) = create(&id, "测试区数据局");
    assert_eq!(status, 409, "{page}");
    assert_eq!(files_of(&site), before);
    let (status, _) = bench.post(
        "/_annals/import/create",
        &form(&[
            ("id", &id),
            ("title", "t"),
            ("date", "2024-01-31"),
            ("source", "s"),
            ("section", "2023"),
            ("name", "xxgk"),
        ]),
    );
    assert_eq!(status, 303);
    let text = std::fs::read_to_string(site.path().join("content/2023/xxgk.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: t\ndate: 2024-01-31\nsource: s\n"),
        "{text}"
    );
    // The staged import is gone once created: the same form cannot create twice.
    assert_eq!(create(&id, "x").0, 404);
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/2023/xxgk.md")).unwrap(),
        text
    );
}

#[test]
fn a_file_that_does_not_parse_is_edited_as_text_and_saved_only_when_it_does() {
    let site = site();
    site.write("content/2023/b.md", "---\ntitle: [broken\n---\n正文\n");
    let bench = Bench::start(&site);
    let (status, page) = bench.get("/_annals/edit?file=2023%2Fb.md");
    assert_eq!(status, 200);
    assert!(page.contains("name=\"raw\" value=\"1\""), "{page}");
    let version = version_of(&page);
    let save = |text: &str, version: &str| {
        bench.post(
            "/_annals/edit",
            &form(&[
                ("file", "2023/b.md"),
                ("version", version),
                ("raw", "1"),
                ("body", text),
            ]),
        )
    };
    assert_eq!(save("---\ntitle: [still broken\n---\n", &version).0, 422);
    let fixed = "---\ntitle: 修好的标题\ndate: 2024-01-01\nsource: 测试区司法局\n---\n正文\n";
    assert_eq!(save(fixed, &version).0, 303);
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/2023/b.md")).unwrap(),
        fixed
    );
}
