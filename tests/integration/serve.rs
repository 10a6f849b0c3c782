//! `annals serve`: serves the site, rebuilds on save, tells the browser to reload,
//! shows errors in the page until fixed, and stays inside its folder.

use crate::common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The shared serve starter, with the answers these tests read as text.
struct Server(Serve);

impl Server {
    fn start(site: &SiteDir) -> Server {
        Server(Serve::start(site, &[]))
    }

    /// Sends a raw request target (not normalized by any client) and returns status and body.
    fn get(&self, target: &str) -> (u16, String) {
        let (status, _, body) = self.0.get(target, "");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Polls `target` until `pred` holds; returns how long it took.
    fn wait_for(&self, target: &str, pred: impl Fn(u16, &str) -> bool) -> Duration {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(target);
            if pred(status, &body) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting on {target}: last answer {status}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn events(&self) -> EventStream {
        let mut stream = TcpStream::connect(("127.0.0.1", self.0.port)).expect("connect");
        write!(
            stream,
            "GET /__annals/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let mut events = EventStream {
            stream,
            seen: String::new(),
        };
        events.wait_for(": connected", Duration::from_secs(5));
        events
    }
}

struct EventStream {
    stream: TcpStream,
    seen: String,
}

impl EventStream {
    /// Reads for `time` and fails on any reload: nothing changed, so nothing may rebuild.
    fn assert_quiet(&mut self, time: Duration) {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while start.elapsed() < time {
            self.stream
                .set_read_timeout(Some(Duration::from_millis(50)))
                .unwrap();
            if let Ok(n) = self.stream.read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
        assert!(
            !self.seen.contains("event: reload"),
            "unexpected reload: {:?}",
            self.seen
        );
    }

    fn wait_for(&mut self, needle: &str, limit: Duration) {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            let left = limit.saturating_sub(start.elapsed());
            assert!(
                !left.is_zero(),
                "no {needle:?} in the event stream: {:?}",
                self.seen
            );
            self.stream.set_read_timeout(Some(left)).unwrap();
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed: {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
    }
}

fn report_text(body: &str) -> String {
    format!(
        "---\ntitle: 2023年法治政府建设年度报告\ndate: 2024-03-01\nsource: 甲局\n---\n\n## 一、总体情况\n\n{body}\n"
    )
}

#[test]
fn edits_are_served_within_a_second_with_a_reload_event() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("最初的文本。"));
    let server = Server::start(&site);
    let (status, page) = server.get("/2023/a/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("最初的文本。"));
    assert!(page.contains("<script src=\"/__annals/live.js\" defer></script>"));
    let (status, script) = server.get("/__annals/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    let mut events = server.events();
    // Serving pages reads files; reading is not a change.
    events.assert_quiet(Duration::from_millis(400));
    site.write("content/2023/a.md", &report_text("修改后的文本。"));
    let took = server.wait_for("/2023/a/", |s, b| s == 200 && b.contains("修改后的文本。"));
    assert!(
        took < Duration::from_secs(1),
        "the edit took {took:?} to show"
    );
    events.wait_for("event: reload\ndata: 2\n", Duration::from_secs(1));

    // A broken file: the browser gets the error, escaped, and the terminal too.
    site.write(
        "content/2023/a.md",
        "---\ntitle: 坏了\ndate: 2024-03-01\nsource: 甲局\ntitel: <b>typo</b>\n---\n\n正文\n",
    );
    server.wait_for("/2023/a/", |s, b| {
        s == 500 && b.contains("a.md") && b.contains("titel")
    });
    let (_, overlay) = server.get("/2023/a/");
    assert!(overlay.contains("&lt;b&gt;typo&lt;/b&gt;"), "{overlay}");
    assert!(!overlay.contains("<b>typo</b>"));
    assert!(overlay.contains("/__annals/live.js"));
    // In the message language, English here (see `Server::start`), like the errors.
    assert!(
        overlay.contains("<html lang=\"en\">")
            && overlay.contains("<h1>The site could not be rebuilt</h1>"),
        "{overlay}"
    );
    events.wait_for("data: 3", Duration::from_secs(2));

    // Fixing it recovers without a restart.
    site.write("content/2023/a.md", &report_text("恢复后的文本。"));
    server.wait_for("/2023/a/", |s, b| s == 200 && b.contains("恢复后的文本。"));
    events.wait_for("data: 4", Duration::from_secs(2));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!events.seen.contains("data: 5"), "{:?}", events.seen);
}

#[test]
fn paths_outside_the_folder_are_refused_and_404_is_the_sites() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("正文。"));
    let server = Server::start(&site);
    for target in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/..%2fconfig.toml",
        "/%2E%2E%2F%2E%2E%2Fconfig.toml",
        "//etc/passwd",
        "/static/..%2f..%2f..%2fconfig.toml",
        "/..\\config.toml",
    ] {
        let (status, body) = server.get(target);
        assert!(
            (400..500).contains(&status) && status != 404,
            "{target} answered {status}"
        );
        assert!(
            !body.contains("base_url") && !body.contains("root:"),
            "{target}: {body}"
        );
    }
    let long = format!("/{}", "a".repeat(10_000));
    assert!(server.get(&long).0 >= 400);
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<!DOCTYPE html>") && body.contains("/__annals/live.js"));
    let (status, _) = server.get("/2023/a");
    assert_eq!(status, 301);
}

#[test]
fn build_output_has_nothing_of_the_dev_server() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("正文。"));
    site.build_ok();
    for (path, bytes) in snapshot(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__annals"),
            "{} mentions the dev server",
            path.display()
        );
    }
}

#[test]
fn static_files_and_new_reports_are_picked_up() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("正文。"))
        .write("static/site.css", "body { color: #111; }\n");
    let server = Server::start(&site);
    let (status, css) = server.get("/site.css");
    assert_eq!(status, 200);
    assert!(css.contains("#111"));
    site.write("static/site.css", "body { color: #222; }\n");
    server.wait_for("/site.css", |s, b| s == 200 && b.contains("#222"));
    // A new file: a full rebuild, and the home page lists it.
    site.report("2023/b.md", "新增的报告", "2024-05-01", "乙局", "", "正文");
    server.wait_for("/2023/b/", |s, b| s == 200 && b.contains("新增的报告"));
    server.wait_for("/", |s, b| s == 200 && b.contains("新增的报告"));
    // A deleted one is gone.
    std::fs::remove_file(site.path().join("content/2023/b.md")).unwrap();
    server.wait_for("/2023/b/", |s, _| s == 404);
}

#[test]
fn a_second_serve_of_the_same_site_is_refused() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("正文。"));
    let _first = Server::start(&site);
    let second = annals(&[
        "serve",
        "--port",
        "0",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert!(!second.status.success());
    assert!(
        stderr(&second).contains("already running"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn pages_show_the_warnings_build_would_print_until_they_are_fixed() {
    let site = SiteDir::new();
    // A pinned unit address, and not a .gov.cn site (no `check --gov` rules):
    // `check` has nothing else to say about this site.
    site.write(
        "config.toml",
        &format!(
            "{}[units]\n\"甲局\" = {{ slug = \"jiaju\" }}\n",
            BASIC_CONFIG.replace("test.example.gov.cn", "test.example.org")
        ),
    );
    site.write(
        "content/2023/a.md",
        &report_text("正文。\n\n![缺少的图](missing.png)"),
    );
    let server = Server::start(&site);
    server.wait_for("/2023/a/", |s, b| {
        s == 200 && b.contains("annals-warnings") && b.contains("missing.png leads nowhere")
    });
    let (_, css) = server.get("/__annals/warnings.css");
    assert!(css.contains(".annals-warnings"));

    site.write("content/2023/a.md", &report_text("正文，没有图。"));
    server.wait_for("/2023/a/", |s, b| {
        s == 200 && b.contains("正文，没有图。") && !b.contains("annals-warnings")
    });
}

/// The panel lists what `annals check` finds (issue 23 §9), errors first:
/// here an image without alt text (an error only `check` reports) before the
/// unit address derived from pinyin (a warning).
#[test]
fn the_panel_lists_what_check_finds_errors_first() {
    let site = SiteDir::new();
    site.write("content/2023/chart.png", "png");
    site.write(
        "content/2023/a.md",
        &report_text("正文。\n\n![](chart.png)"),
    );
    let server = Server::start(&site);
    server.wait_for("/2023/a/", |s, b| {
        s == 200 && b.contains("annals-warnings") && b.contains("unit `甲局` has no entry")
    });
    let (_, page) = server.get("/2023/a/");
    let panel = &page[page.find("<details class=\"annals-warnings").unwrap()..];
    let alt = panel
        .find("image chart.png has no alt text")
        .expect("check's error");
    let slug = panel.find("unit `甲局` has no entry").unwrap();
    assert!(alt < slug, "errors first: {panel}");
    // The report's own finding links to its page.
    let doc = scraper::Html::parse_document(&page);
    let item = doc
        .select(&scraper::Selector::parse(".annals-warnings li").unwrap())
        .find(|li| {
            li.text()
                .collect::<String>()
                .contains("image chart.png has no alt text")
        })
        .expect("the finding's item");
    let link = item
        .select(&scraper::Selector::parse("a").unwrap())
        .next()
        .expect("a link to the report");
    assert_eq!(link.value().attr("href"), Some("/2023/a/"));
}

#[test]
fn a_gov_cn_site_shows_the_check_gov_findings_in_the_panel() {
    let site = SiteDir::new();
    site.write("content/2023/a.md", &report_text("正文。"));
    let server = Server::start(&site);
    server.wait_for("/2023/a/", |s, b| {
        s == 200
            && b.contains("annals-warnings")
            && b.contains("no government website badge")
            && b.contains("国办发〔2017〕47号")
    });
    // A malformed ICP number is one more finding after the config is saved.
    let config = std::fs::read_to_string(site.path().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("icp = \"湘ICP备12345678号\"", "icp = \"12345678\""),
    );
    server.wait_for("/2023/a/", |s, b| {
        s == 200 && b.contains("ICP record number `12345678` is malformed")
    });
}
