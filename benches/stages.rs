//! Micro-benchmarks of the build's hot stages on the synthetic corpus of
//! `annals-bench-gen` (reports of about 14 KB). Run with `cargo bench --bench stages`.
//! The whole-site comparison with Hugo and Zola is `bench/run.sh`.

// Diagnostics are large by design (file, position, help); only built on errors.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};

use annals::content::meta::parse_report;
use annals::markdown::{self, Rendered};
use annals::model::Site;
use annals::pages::report;
use annals::pipeline::{self, BuildOptions};
use annals::render::Renderer;

fn main() {
    divan::main();
}

const REPORTS: usize = 60;

/// The corpus, generated once per run under Cargo's scratch folder for benches.
fn corpus() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("stages-corpus");
        let status = Command::new(env!("CARGO_BIN_EXE_annals-bench-gen"))
            .args(["--reports", &REPORTS.to_string(), "--sites", "annals"])
            .arg("--out")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run annals-bench-gen");
        assert!(status.success(), "annals-bench-gen failed");
        out.join("annals")
    })
}

/// The Markdown files of the corpus, in a fixed order.
fn report_files() -> &'static [String] {
    static FILES: OnceLock<Vec<String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(corpus().join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read report"))
            .collect()
    })
}

/// Loaded site, rendered Markdown and template environment, as a build has them.
struct Prepared {
    site: Site,
    rendered: Vec<Rendered>,
    renderer: Renderer,
}

fn prepared() -> &'static Prepared {
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    PREPARED.get_or_init(|| {
        let options = BuildOptions {
            root: corpus().to_path_buf(),
            ..BuildOptions::default()
        };
        let (site, _) = pipeline::load_site(&options).expect("corpus loads");
        let renderer = pipeline::renderer_for(&site).expect("theme loads");
        let rendered = pipeline::render_markdown(&site);
        Prepared {
            site,
            rendered,
            renderer,
        }
    })
}

/// Splitting and checking the front matter of one typical report.
#[divan::bench]
fn front_matter_parse(bencher: Bencher) {
    // Fetched before timing: the first call generates the corpus.
    let text = &report_files()[0];
    bencher.bench(|| {
        parse_report(black_box(text))
            .ok()
            .map(|(meta, _, _)| meta.year)
    });
}

/// Markdown to HTML, contents list and plain text for one typical report body.
#[divan::bench]
fn markdown_render(bencher: Bencher) {
    let site = &prepared().site;
    let options = pipeline::markdown_options(site);
    let body = &site.reports[0].body;
    bencher
        .counter(BytesCount::of_str(body))
        .bench(|| markdown::render(black_box(body), &options));
}

/// `report.html` for one report: view, context and template, without writing.
#[divan::bench]
fn report_page_render(bencher: Bencher) {
    let p = prepared();
    let qr = pipeline::qr_codes(&p.site, &p.renderer).expect("QR codes");
    bencher.bench_local(|| {
        p.renderer.render(
            "report.html",
            report::page_context(&p.site, 0, &p.rendered[0], &qr.svg(0), None),
        )
    });
}

/// Config, content and model of the whole corpus: walk, read, front matter, URLs.
#[divan::bench(sample_count = 20)]
fn load_and_model(bencher: Bencher) {
    let options = BuildOptions {
        root: corpus().to_path_buf(),
        ..BuildOptions::default()
    };
    bencher.bench(|| pipeline::load_site(&options).map(|(site, _)| site.reports.len()));
}

// Search indexing gets its benchmark here once the search index module lands:
// index `prepared().rendered[i].text` per report, the way the build does.
