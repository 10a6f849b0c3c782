//! `annals-bench-gen`: writes a deterministic corpus of synthetic Chinese annual
//! reports as three sites with the same content — one for `annals`, one for Hugo
//! and one for Zola — so the benchmark harness (`bench/run.sh`) can build the
//! same pages with each generator.
//!
//! ```sh
//! annals-bench-gen --reports 1000 --out /dev/shm/corpus-1000
//! ```

mod sites;
mod vocab;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use rayon::prelude::*;

use vocab::{KINDS, Rng};

#[derive(Parser)]
#[command(
    name = "annals-bench-gen",
    about = "Write a synthetic report corpus as annals, Hugo and Zola sites"
)]
struct Cli {
    /// How many reports.
    #[arg(long, default_value_t = 1000)]
    reports: usize,
    /// Same seed, same bytes.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Folder that receives annals/, hugo/ and zola/.
    #[arg(long)]
    out: PathBuf,
    /// Which sites to write (comma-separated): annals, hugo, zola.
    #[arg(long, default_value = "annals,hugo,zola", value_delimiter = ',')]
    sites: Vec<sites::Flavor>,
}

/// One synthetic report, shared by every flavor of the site.
pub struct Report {
    /// Folder under content/, e.g. `fazhi/2022`.
    pub dir: String,
    pub stem: String,
    pub title: String,
    pub date: String,
    pub year: u64,
    pub source: String,
    pub category: &'static str,
    pub tags: Vec<String>,
    pub summary: String,
    pub index_no: String,
    pub doc_no: String,
    pub body: String,
}

/// Newest report year; years run backwards from here like a real portal's archive.
const NEWEST_YEAR: u64 = 2024;
const YEARS: u64 = 17;

fn report(seed: u64, index: usize, units: &[vocab::Unit]) -> Report {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    // Reports are dealt to units round-robin; each unit then walks back through
    // kinds and years, so recent years hold the most reports, as on a real portal.
    let unit = &units[index % units.len()];
    let slot = (index / units.len()) as u64;
    let kind = &KINDS[(slot % KINDS.len() as u64) as usize];
    let step = slot / KINDS.len() as u64;
    let year = NEWEST_YEAR - step % YEARS;
    let round = step / YEARS;
    let stem = if round == 0 {
        format!("{}-{}-{year}", unit.code, kind.dir)
    } else {
        format!("{}-{}-{year}-{round}", unit.code, kind.dir)
    };
    let month = rng.range(1, 3);
    let day = rng.range(1, 28);
    let body = vocab::body(&mut rng, kind, year, &unit.name, &unit.short);
    // The unit's line of work (司法局, 应急局, …) as a second tag, shared across districts.
    let field_tag: String = unit
        .short
        .chars()
        .skip(unit.short.chars().count().saturating_sub(3))
        .collect();
    Report {
        dir: format!("{}/{year}", kind.dir),
        title: format!("{}{year}年{}", unit.name, kind.title),
        date: format!("{}-{month:02}-{day:02}", year + 1),
        year,
        source: unit.name.clone(),
        category: kind.category,
        tags: vec![
            kind.category.trim_end_matches("年度报告").to_string(),
            field_tag,
        ],
        summary: format!(
            "{}{year}年度{}的主要情况、存在的问题和下一步工作安排。",
            unit.name,
            kind.title.trim_end_matches("年度报告")
        ),
        index_no: format!(
            "{:09}/{}-{:05}",
            14_000 + index % 400,
            year + 1,
            index % 100_000
        ),
        doc_no: format!(
            "{}〔{}〕{}号",
            unit.short.chars().take(2).collect::<String>(),
            year + 1,
            rng.range(1, 60)
        ),
        stem,
        body,
    }
}

fn run(cli: &Cli) -> Result<(), String> {
    let units = vocab::units(cli.reports.div_ceil(20).clamp(4, vocab::MAX_UNITS));
    let reports: Vec<Report> = (0..cli.reports)
        .into_par_iter()
        .map(|i| report(cli.seed, i, &units))
        .collect();
    for flavor in &cli.sites {
        let dir = cli.out.join(flavor.dir_name());
        prepare(&dir)?;
        sites::write(*flavor, &dir, &reports).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let bytes: usize = reports.iter().map(|r| r.body.len()).sum();
    println!(
        "wrote {} reports ({} KB of Markdown bodies, {} units) to {}",
        reports.len(),
        bytes / 1024,
        units.len(),
        cli.out.display()
    );
    Ok(())
}

/// Empties a folder this tool wrote before; refuses to touch any other folder.
fn prepare(dir: &Path) -> Result<(), String> {
    let marker = dir.join(sites::MARKER);
    if dir.exists() {
        let empty = dir
            .read_dir()
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty && !marker.exists() {
            return Err(format!(
                "{} exists and was not written by annals-bench-gen; choose an empty --out folder",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(&marker, "written by annals-bench-gen; safe to delete\n")
        .map_err(|e| format!("{}: {e}", marker.display()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
