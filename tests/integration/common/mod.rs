//! Shared helpers for integration tests: build real site folders in temp dirs,
//! run the real `annals` binary, and parse what it wrote.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

pub const BASIC_CONFIG: &str = r#"title = "测试站点"
base_url = "https://test.example.gov.cn"
[owner]
name = "测试区人民政府办公室"
site_code = "1234567890"
icp = "湘ICP备12345678号"
police_record = "湘公网安备43010502000001号"
"#;

/// A site folder in a temp dir.
pub struct SiteDir {
    pub dir: tempfile::TempDir,
}

impl SiteDir {
    pub fn new() -> SiteDir {
        let site = SiteDir {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("config.toml", BASIC_CONFIG);
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &SiteDir {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &SiteDir {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// A report with the required keys plus any extra front matter lines.
    pub fn report(
        &self,
        rel: &str,
        title: &str,
        date: &str,
        source: &str,
        extra: &str,
        body: &str,
    ) -> &SiteDir {
        let text =
            format!("---\ntitle: {title}\ndate: {date}\nsource: {source}\n{extra}---\n\n{body}\n");
        self.write(&format!("content/{rel}"), &text)
    }

    pub fn build(&self, args: &[&str]) -> Output {
        annals(&[&["build", "--root", self.path().to_str().unwrap()], args].concat())
    }

    /// `annals check` of this site, with extra arguments.
    pub fn check(&self, args: &[&str]) -> Output {
        annals(&[&["check", "--root", self.path().to_str().unwrap()], args].concat())
    }

    pub fn build_ok(&self) -> Output {
        let out = self.build(&[]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("cannot read public/{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

pub fn annals(args: &[&str]) -> Output {
    annals_command().args(args).output().expect("run annals")
}

/// The `annals` binary, set up as every test runs it: no colours, English
/// messages unless a test asks for another language (--lang).
pub fn annals_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
    command
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    command
}

/// annals with no locale in its environment, so the site's `language` decides
/// the language of its messages.
pub fn annals_without_locale() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
    command
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    command
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in text"))
        + 1
}

/// The demo unit's three 政府信息公开工作年度报告.
pub const DEMO_DISCLOSURE_REPORTS: [&str; 3] = ["zfb-xxgk-2021", "zfb-xxgk-2022", "zfb-xxgk-2023"];

/// A site with the demo unit's three disclosure reports, the 2023 one changed by `edit`.
pub fn demo_disclosure_site(edit: impl Fn(&str) -> String) -> SiteDir {
    let site = SiteDir::new();
    for name in DEMO_DISCLOSURE_REPORTS {
        let text =
            std::fs::read_to_string(demo_root().join(format!("content/xxgk/{name}.md"))).unwrap();
        let text = if name.ends_with("2023") {
            edit(&text)
        } else {
            text
        };
        site.write(&format!("content/xxgk/{name}.md"), &text);
    }
    site
}

/// Runs annals, killing it if it has not ended after `limit`.
pub fn run_with_limit(args: &[&str], envs: &[(&str, &Path)], limit: Duration) -> Output {
    let mut cmd = annals_command();
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "annals {args:?} still ran after {limit:?}:\n{}",
                stderr(&out)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// A running `annals serve` of a site on a free port; stopped when dropped.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    /// The first line serve printed (its address).
    pub first_line: String,
    /// The lines printed with it (the workbench's address and token).
    pub more_lines: String,
    /// Lines serve writes to stderr, as they come.
    pub stderr: std::sync::mpsc::Receiver<String>,
}

impl Serve {
    /// Starts `annals serve --port 0 --root SITE` with `extra` arguments and
    /// waits for the address it prints.
    pub fn start(site: &SiteDir, extra: &[&str]) -> Serve {
        let mut child = annals_command()
            .args([
                "serve",
                "--port",
                "0",
                "--root",
                site.path().to_str().unwrap(),
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start annals serve");
        let stdout = child.stdout.take().unwrap();
        let mut reader = BufReader::new(stdout);
        let mut first_line = String::new();
        reader
            .read_line(&mut first_line)
            .expect("serve printed nothing");
        let first_line = first_line.trim_end().to_string();
        // What came in the same write (the workbench's address).
        let more_lines = String::from_utf8_lossy(reader.buffer()).into_owned();
        let (tx, rx) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let port = first_line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first_line:?}"));
        Serve {
            child,
            port,
            first_line,
            more_lines,
            stderr: rx,
        }
    }

    /// Sends raw request bytes and returns the raw answer (empty when the
    /// connection was closed without one).
    pub fn raw(&self, request: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // The server may answer and close before all of a huge request is sent.
        let _ = stream.write_all(request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    }

    /// GETs a raw request target (not normalized by any client) with extra
    /// header lines; returns status, head and body.
    pub fn get(&self, target: &str, headers: &str) -> (u16, String, Vec<u8>) {
        let answer = self.raw(
            format!(
                "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n"
            )
            .as_bytes(),
        );
        split_answer(&answer)
    }

    /// Asserts the server still answers the home page.
    pub fn alive(&self) {
        let (status, _, body) = self.get("/", "");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }

    /// Peak resident memory of the server process, in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmHWM");
        kb * 1024
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status, head and body of a raw HTTP answer.
pub fn split_answer(answer: &[u8]) -> (u16, String, Vec<u8>) {
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(answer.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, answer[end..].to_vec())
}

/// A stand-in for Chromium that writes a one-page PDF wherever it is asked to,
/// as `dir/fake-chrome`.
#[cfg(unix)]
pub fn fake_chrome(dir: &Path) -> PathBuf {
    write_script(dir, "fake-chrome", FAKE_CHROME)
}

const FAKE_CHROME: &str = r#"#!/usr/bin/env bash
for arg in "$@"; do
  case "$arg" in
    --print-to-pdf=*) pdf="${arg#--print-to-pdf=}" ;;
  esac
done
printf '%%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%%%EOF\n' > "$pdf"
"#;

/// An executable script `dir/name`.
#[cfg(unix)]
pub fn write_script(dir: &Path, name: &str, text: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Every file under `dir` whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// Text of every element matching `selector`.
pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The shared samples beside the project (`../shared`).
pub fn shared_samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples")
}

/// The demo site of the repository.
pub fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` with its bytes, for "nothing changed" assertions.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The groups of 表三's 三、本年度办理结果 and their numbered rows, as the uniform
/// format (国办公开办函〔2021〕30号) prints them.
pub const OFFICIAL_OUTCOME_GROUPS: [(&str, &[&str]); 6] = [
    ("（一）予以公开", &[]),
    (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        &[],
    ),
    (
        "（三）不予公开",
        &[
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ],
    ),
    (
        "（四）无法提供",
        &[
            "1.本机关不掌握相关政府信息",
            "2.没有现成信息需要另行制作",
            "3.补正后申请内容仍不明确",
        ],
    ),
    (
        "（五）不予处理",
        &[
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ],
    ),
    (
        "（六）其他处理",
        &[
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ],
    ),
];
