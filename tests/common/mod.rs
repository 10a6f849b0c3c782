//! Shared helpers for integration tests: build real site folders in temp dirs,
//! run the real `annals` binary, and parse what it wrote.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .env("NO_COLOR", "1")
        // Messages in English unless a test asks for another language (--lang).
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run annals")
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
