//! The `annals` command line.
#![allow(clippy::result_large_err)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cli_text;

use annals::diagnostics::{Diagnostic, Diagnostics};
use annals::i18n::tr;
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
    /// Language of messages: zh-CN or en (default: the terminal's LANG, else the site's language).
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
}

/// `--base-url` gets the same check as `base_url` in config.toml.
fn base_url_arg(url: &str) -> Result<String, String> {
    annals::config::check_base_url(url)?;
    Ok(url.to_string())
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/.
    Build(BuildArgs),
    /// Check the site without writing anything: what build checks, plus links,
    /// anchors, images, headings and the required parts of annual reports.
    Check(CheckArgs),
    /// Serve the site locally, rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Turn Word documents (.docx), pages saved from an old site (.html) and
    /// pasted text (.txt) into reports under content/. Never overwrites a file.
    Import(ImportArgs),
    /// Create a new site folder that builds as it is.
    Init { dir: PathBuf },
    /// Create a new report file with valid front matter.
    New(NewArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The site folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder (default: <root>/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override base_url from config.toml.
    #[arg(long, value_parser = base_url_arg)]
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
    /// Also print how long each stage took.
    #[arg(long, short, conflicts_with = "quiet")]
    verbose: bool,
    /// Also write a PDF of every print page and yearly volume (needs Chromium).
    #[arg(long)]
    pdf: bool,
    /// The Chromium or Chrome to print PDFs with (default: found on PATH).
    #[arg(long, value_name = "PATH", requires = "pdf")]
    chrome: Option<PathBuf>,
    /// Ignore .annals-cache/build/ and render every page (the cache is not
    /// updated either).
    #[arg(long)]
    no_cache: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The site folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Also request every external link (slow; results are cached for a day).
    #[arg(long)]
    external: bool,
    /// Also the rules a government website is inspected on (国办发〔2017〕47号,
    /// 国办秘函〔2019〕19号): identifiers, empty columns, freshness, accessibility.
    #[arg(long)]
    gov: bool,
    /// Include reports marked draft: true.
    #[arg(long)]
    drafts: bool,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Also print what was checked.
    #[arg(long, short, conflicts_with = "quiet")]
    verbose: bool,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The site folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Port to listen on; the next free one is used if it is taken (0: any).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include reports marked draft: true.
    #[arg(long)]
    drafts: bool,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
    /// Also print every changed file.
    #[arg(long, short, conflicts_with = "quiet")]
    verbose: bool,
    /// Do not start the editor's workbench at /_annals/.
    #[arg(long)]
    no_workbench: bool,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The site folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Section folder under content/ (default: the report year, e.g. 2023).
    #[arg(long, value_name = "PATH")]
    section: Option<PathBuf>,
    /// Show what would be created without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// The old site's address of the imported folder, e.g.
    /// https://www.example.gov.cn/zwgk/ (old addresses become aliases).
    #[arg(long, value_name = "URL")]
    old_url_prefix: Option<String>,
    /// Accept the tracked changes (修订) of Word files (default: refuse such files).
    #[arg(long, conflicts_with = "reject_changes")]
    accept_changes: bool,
    /// Reject the tracked changes of Word files: import the text as it was before them.
    #[arg(long)]
    reject_changes: bool,
    /// Raise a reader limit for a document that needs more, e.g.
    /// table-cells=500000 (names: part-mb, total-mb, ratio, image-mb,
    /// table-cells, depth; see README "Security notes").
    #[arg(long, value_name = "NAME=VALUE")]
    limit: Vec<String>,
    /// Files or folders to import (folders recursively).
    #[arg(required = true, value_name = "FILE_OR_FOLDER")]
    inputs: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct NewArgs {
    /// Path of the new file, e.g. content/2024/fazhi-2024.md or, as in
    /// Hugo, 2024/fazhi-2024.md (under the site's content/)
    path: PathBuf,
    /// The site folder (with config.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long)]
    title: String,
    /// The issuing unit (来源).
    #[arg(long)]
    source: String,
    /// Publish date, YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
}

fn main() -> ExitCode {
    report_bugs_plainly();
    // Clap's value checks (`--base-url`) speak before the site is known: use the flag or terminal.
    annals::i18n::set(annals::i18n::choose(lang_flag().as_deref(), None));
    let cli = parse_command_line();
    let site_language = command_root(&cli.command).and_then(annals::i18n::site_language);
    annals::i18n::set(annals::i18n::choose(
        cli.lang.as_deref(),
        site_language.as_deref(),
    ));
    // Only commands that publish can say the published site is unchanged.
    let publishes = matches!(cli.command, Command::Build(_) | Command::Serve(_));
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, publishes);
            ExitCode::FAILURE
        }
    }
}

/// The command line, with `--help` and clap's errors in the message language.
fn parse_command_line() -> Cli {
    let mut cmd = cli_text::localized(Cli::command());
    match cmd
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => cli_text::exit_with(e, &mut cmd),
    }
}

/// `--lang X` or `--lang=X` from the raw arguments, for messages printed while parsing them.
fn lang_flag() -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--lang" {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_string());
        }
    }
    None
}

/// The site folder a command works on, for the site's message language.
fn command_root(command: &Command) -> Option<&std::path::Path> {
    match command {
        Command::Build(BuildArgs { root, .. })
        | Command::Check(CheckArgs { root, .. })
        | Command::Serve(ServeArgs { root, .. })
        | Command::Import(ImportArgs { root, .. }) => Some(root),
        Command::Init { dir } => Some(dir),
        Command::New(NewArgs { root, .. }) => Some(root),
    }
}

fn run(command: Command) -> Result<(), Diagnostics> {
    match command {
        Command::Import(args) => import_limits(&args.limit).and_then(|limits| {
            import(annals::import::ImportOptions {
                root: args.root,
                section: args.section,
                dry_run: args.dry_run,
                old_url_prefix: args.old_url_prefix,
                inputs: args.inputs,
                statistics: Some(annals::import::statistics::recognise_tables),
                limits,
                changes: match (args.accept_changes, args.reject_changes) {
                    (true, _) => annals::import::TrackedChanges::Accept,
                    (_, true) => annals::import::TrackedChanges::Reject,
                    _ => annals::import::TrackedChanges::Refuse,
                },
            })
        }),
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Serve(args) => annals::serve::run(&annals::serve::ServeOptions {
            root: args.root,
            port: args.port,
            bind: args.bind,
            open: args.open,
            drafts: args.drafts,
            quiet: args.quiet,
            verbose: args.verbose,
            workbench: !args.no_workbench,
        })
        .map_err(|errors| {
            print_grouped(&errors, false);
            Diagnostics::default()
        }),
        Command::Init { dir } => {
            scaffold::init(&dir)?;
            println!("{}", tr("init.created", &[("dir", &dir.display())]));
            Ok(())
        }
        Command::New(args) => new_report(args),
    }
}

/// `annals build`.
fn build(args: BuildArgs) -> Result<(), Diagnostics> {
    if args.pdf {
        // Fail before touching anything when there is no browser to print with.
        annals::pdf::chrome::find(args.chrome.as_deref())?;
    }
    if args.convert_encoding {
        convert_encodings(&args.root)?;
    }
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        pdf: args.pdf,
        chrome: args.chrome,
        use_cache: !args.no_cache,
    };
    let feedback = pipeline::Feedback {
        progress: !args.quiet,
    };
    let summary = pipeline::build_with(&options, feedback)?;
    if args.verbose {
        for (stage, time) in &summary.stages {
            let ms = time.as_millis();
            eprintln!(
                "{}",
                tr("build.stage-time", &[("stage", stage), ("ms", &ms)])
            );
        }
    }
    if !args.quiet {
        print_build_summary(&summary, args.verbose);
    }
    Ok(())
}

/// `build --convert-encoding`: GBK/GB18030 Markdown rewritten as UTF-8 first.
fn convert_encodings(root: &std::path::Path) -> Result<(), Diagnostics> {
    let converted = pipeline::convert_encodings(root)
        .map_err(|e| Diagnostic::error(tr("build.cannot-convert", &[("error", &e)])))?;
    for (path, from) in converted {
        let args: &[(&str, &dyn std::fmt::Display)] =
            &[("file", &path.display()), ("encoding", &from)];
        eprintln!("{}", tr("build.converted", args));
    }
    Ok(())
}

/// What a build did, as `annals build` prints it without `--quiet`.
fn print_build_summary(summary: &pipeline::BuildSummary, verbose: bool) {
    print_diagnostics(&summary.warnings, true);
    let reports = reports_count(summary.reports);
    let (output, ms) = (summary.output.display(), summary.elapsed.as_millis());
    if summary.cached {
        let args: &[(&str, &dyn std::fmt::Display)] =
            &[("reports", &reports), ("output", &output), ("ms", &ms)];
        println!("{}", tr("build.unchanged", args));
        return;
    }
    if summary.kept > 0 {
        let args: &[(&str, &dyn std::fmt::Display)] =
            &[("pages", &summary.pages), ("kept", &summary.kept)];
        println!("{}", tr("build.kept", args));
    }
    let args: &[(&str, &dyn std::fmt::Display)] = &[
        ("reports", &reports),
        ("pages", &summary.pages),
        ("files", &summary.files),
        ("output", &output),
        ("ms", &ms),
    ];
    println!("{}", tr("build.summary", args));
    if let Some(p) = summary.pdfs {
        let args: &[(&str, &dyn std::fmt::Display)] =
            &[("printed", &p.printed), ("reused", &p.reused)];
        println!("{}", tr("build.pdf-summary", args));
    }
    if verbose {
        println!("{}", summary.search);
    }
}

/// `annals check`.
fn check(args: CheckArgs) -> Result<(), Diagnostics> {
    let options = annals::check::CheckOptions {
        build: BuildOptions {
            root: args.root,
            drafts: args.drafts,
            ..Default::default()
        },
        external: args.external,
        gov: args.gov,
    };
    let outcome = annals::check::run(&options).map_err(|errors| {
        print_grouped(&errors, false);
        let count = errors.error_count();
        eprintln!("{}", tr("check.not-checked", &[("errors", &count)]));
        Diagnostics::default()
    })?;
    print_grouped(&outcome.diagnostics, args.quiet);
    if args.gov && !args.external && !args.quiet && !outcome.external_links.is_empty() {
        let count = outcome.external_links.len();
        eprintln!("{}", tr("gov.external-listed", &[("count", &count)]));
        for url in &outcome.external_links {
            eprintln!("  {url}");
        }
    }
    let (e, w) = (
        outcome.diagnostics.error_count(),
        outcome.diagnostics.warning_count(),
    );
    if args.verbose {
        eprintln!("{}", check_counts(&outcome, args.external));
    }
    if e > 0 {
        eprintln!(
            "{}",
            tr("summary.errors", &[("errors", &e), ("warnings", &w)])
        );
        return Err(Diagnostics::default());
    }
    if !args.quiet {
        let reports = reports_count(outcome.reports);
        let args: &[(&str, &dyn std::fmt::Display)] = &[("reports", &reports), ("warnings", &w)];
        println!("{}", tr("check.summary", args));
    }
    Ok(())
}

/// What `check --verbose` says it looked at.
fn check_counts(outcome: &annals::check::CheckOutcome, external: bool) -> String {
    if external {
        tr(
            "check.verbose-external",
            &[
                ("reports", &outcome.reports),
                ("links", &outcome.links),
                ("external", &outcome.external),
            ],
        )
    } else {
        tr(
            "check.verbose",
            &[("reports", &outcome.reports), ("links", &outcome.links)],
        )
    }
}

/// `annals new`.
fn new_report(args: NewArgs) -> Result<(), Diagnostics> {
    let date = match args.date {
        Some(d) => annals::content::meta::parse_date(&d)?.0,
        None => chrono::Local::now().date_naive(),
    };
    let path = scaffold::path_in_site(&args.root, &args.path);
    scaffold::check_new_path(&path)?;
    scaffold::new_report(&path, &args.title, &args.source, date)?;
    println!("{}", tr("new.created", &[("file", &path.display())]));
    Ok(())
}

/// The reader limits with every `--limit NAME=VALUE` applied.
fn import_limits(settings: &[String]) -> Result<annals::import::limits::Limits, Diagnostics> {
    let mut limits = annals::import::limits::Limits::default();
    for setting in settings {
        limits
            .set(setting)
            .map_err(|m| Diagnostics::from(Diagnostic::error(m)))?;
    }
    Ok(limits)
}

fn import(options: annals::import::ImportOptions) -> Result<(), Diagnostics> {
    let outcome = annals::import::run(&options)?;
    // `annals import … | head` closes the pipe early: stop printing quietly.
    let mut out = std::io::stdout().lock();
    let _ = print_imported(&mut out, &outcome, options.dry_run);
    print_grouped(&outcome.problems, false);
    let summary = if options.dry_run {
        "import.summary-dry"
    } else {
        "import.summary"
    };
    let failed = outcome.problems.error_count();
    let _ = writeln!(
        out,
        "{}",
        tr(
            summary,
            &[
                ("created", &outcome.created.len()),
                ("skipped", &outcome.skipped.len()),
                ("failed", &failed)
            ]
        )
    );
    if failed > 0 {
        return Err(Diagnostics::default());
    }
    Ok(())
}

/// What import created and skipped; names and titles from documents are
/// cleaned of terminal escapes and bidi overrides first.
fn print_imported(
    out: &mut impl Write,
    outcome: &annals::import::Outcome,
    dry_run: bool,
) -> std::io::Result<()> {
    use annals::import::terminal::{clean, path};
    let key = if dry_run {
        "import.would-create"
    } else {
        "import.created"
    };
    for c in &outcome.created {
        writeln!(out, "{}", tr(key, &[("file", &path(&c.report))]))?;
        writeln!(
            out,
            "  {}",
            tr("import.from", &[("input", &path(&c.input))])
        )?;
        for note in &c.notes {
            writeln!(out, "  {}", tr("import.guessed", &[("note", &clean(note))]))?;
        }
    }
    for s in &outcome.skipped {
        writeln!(
            out,
            "{}",
            tr(
                "import.skipped-file",
                &[("input", &path(&s.input)), ("reason", &clean(&s.reason))]
            )
        )?;
    }
    Ok(())
}

/// Problems grouped per file (a blank line between files), errors before warnings
/// within the run's summary.
fn print_grouped(diagnostics: &Diagnostics, quiet: bool) {
    let mut last_file = None;
    for d in diagnostics.sorted() {
        if quiet && !d.is_error() {
            continue;
        }
        if last_file.is_some() && last_file != Some(&d.file) {
            eprintln!();
        }
        last_file = Some(&d.file);
        eprintln!("{}", paint(d));
    }
    if last_file.is_some() {
        eprintln!();
    }
}

fn paint(d: &Diagnostic) -> String {
    let text = d.to_string();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if !color {
        return text;
    }
    let (code, rest) = text.split_once(':').unwrap_or((&text, ""));
    let paint = if d.is_error() {
        "\x1b[1;31m"
    } else {
        "\x1b[1;33m"
    };
    format!("{paint}{code}\x1b[0m:{rest}")
}

/// A panic is a bug in annals, never the editor's fault: say so in plain words
/// (with where it happened, for the bug report) instead of a Rust backtrace hint.
/// The staging folder is removed while unwinding, so `public/` stays as it was.
fn report_bugs_plainly() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| tr("bug.place", &[("file", &l.file()), ("line", &l.line())]))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("{}", tr("bug.panic", &[("place", &place), ("what", &what)]));
    }));
}

/// "1 report" / "2 reports" / "2 篇报告".
fn reports_count(n: usize) -> String {
    let key = if n == 1 {
        "count.report"
    } else {
        "count.reports"
    };
    tr(key, &[("n", &n)])
}

fn print_diagnostics(diagnostics: &Diagnostics, publishes: bool) {
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
        let key = if publishes {
            "summary.errors-unpublished"
        } else {
            "summary.errors"
        };
        eprintln!("{}", tr(key, &[("errors", &e), ("warnings", &w)]));
    }
}
