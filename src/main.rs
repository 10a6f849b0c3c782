//! The `annals` command line.
#![allow(clippy::result_large_err)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use annals::diagnostics::{Diagnostic, Diagnostics};
use annals::pipeline::{self, BuildOptions};
use annals::scaffold;

#[derive(Parser)]
#[command(
    name = "annals",
    version,
    about = "Build a website of public-information reports from Markdown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/.
    Build {
        /// The site folder (with config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include reports marked draft: true.
        #[arg(long)]
        drafts: bool,
        /// Rewrite GBK/GB18030 Markdown files as UTF-8 first (keeps .bak copies).
        #[arg(long)]
        convert_encoding: bool,
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
        /// Also print what the search index cost (time, size, bytes per query).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Create a new site folder that builds as it is.
    Init { dir: PathBuf },
    /// Create a new report file with valid front matter.
    New {
        /// Path of the new file, e.g. content/2024/fazhi-2024.md
        path: PathBuf,
        #[arg(long)]
        title: String,
        /// The issuing unit (来源).
        #[arg(long)]
        source: String,
        /// Publish date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Diagnostics> {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            convert_encoding,
            quiet,
            verbose,
        } => {
            if convert_encoding {
                let converted = pipeline::convert_encodings(&root)
                    .map_err(|e| Diagnostic::error(format!("cannot convert: {e}")))?;
                for (path, from) in converted {
                    eprintln!(
                        "converted {} from {from} to UTF-8 (original kept as .bak)",
                        path.display()
                    );
                }
            }
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            let summary = pipeline::build(&options)?;
            if !quiet {
                print_diagnostics(&summary.warnings);
                println!(
                    "built {} reports, {} pages ({} files) into {} in {} ms",
                    summary.reports,
                    summary.pages,
                    summary.files,
                    summary.output.display(),
                    summary.elapsed.as_millis()
                );
                if verbose {
                    println!("{}", summary.search);
                }
            }
            Ok(())
        }
        Command::Init { dir } => {
            scaffold::init(&dir)?;
            println!(
                "created a new site in {}; build it with: annals build --root {}",
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::New {
            path,
            title,
            source,
            date,
        } => {
            let date = match date {
                Some(d) => annals::content::meta::parse_date(&d)?.0,
                None => chrono::Local::now().date_naive(),
            };
            scaffold::new_report(&path, &title, &source, date)?;
            println!("created {}", path.display());
            Ok(())
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    if diagnostics.items.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics.sorted() {
        let text = d.to_string();
        if color {
            let (code, rest) = text.split_once(':').unwrap_or((&text, ""));
            let paint = if d.is_error() {
                "\x1b[1;31m"
            } else {
                "\x1b[1;33m"
            };
            eprintln!("{paint}{code}\x1b[0m:{rest}");
        } else {
            eprintln!("{text}");
        }
    }
    let (e, w) = (diagnostics.error_count(), diagnostics.warning_count());
    if e > 0 {
        eprintln!(
            "{e} error(s), {w} warning(s); nothing was published, the previous site is unchanged"
        );
    }
}
