//! `--help` and clap's errors in the message language: every text comes from the
//! catalogue (`cli.*`), an argument without an entry keeps its doc comment.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use annals::i18n::tr;

/// The catalogue's text for `key`, if it has one.
fn text(key: &str) -> Option<String> {
    let t = tr(key, &[]);
    (t != key).then_some(t)
}

/// `cmd` (the whole command line) with its texts from the catalogue.
pub fn localized(cmd: Command) -> Command {
    let cmd = one(cmd, "annals").subcommand_help_heading(tr("cli.commands", &[]));
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sub| {
            let sub = one(sub, name);
            match text(&format!("cli.{name}")) {
                Some(about) => sub.about(about),
                None => sub,
            }
        })
    })
}

/// One command: its arguments' help, headings, and the help and version flags.
fn one(cmd: Command, name: &str) -> Command {
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        tr("cli.usage", &[])
    );
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    let cmd = ids.into_iter().fold(cmd, |cmd, (id, positional)| {
        cmd.mut_arg(&id, |arg| {
            let heading = if positional {
                "cli.arguments"
            } else {
                "cli.options"
            };
            let arg = arg.help_heading(tr(heading, &[]));
            match text(&format!("cli.{name}.{id}")).or_else(|| text(&format!("cli.arg.{id}"))) {
                Some(help) => arg.help(help),
                None => arg,
            }
        })
    });
    let cmd = cmd
        .help_template(template)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(tr("cli.help", &[]))
                .help_heading(tr("cli.options", &[])),
        );
    if name == "annals" {
        cmd.about(tr("cli.about", &[]))
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(tr("cli.version", &[]))
                    .help_heading(tr("cli.options", &[])),
            )
    } else {
        cmd
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// What went wrong with the command line, in the message language.
fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let args: &[(&str, &dyn std::fmt::Display)] = &[("arg", &arg), ("value", &value)];
    let base = match e.kind() {
        ErrorKind::UnknownArgument => tr("cli.error-unknown-argument", args),
        ErrorKind::InvalidSubcommand => tr(
            "cli.error-unknown-command",
            &[("command", &context(e, ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::InvalidValue => tr("cli.error-invalid-value", args),
        ErrorKind::ValueValidation => {
            let detail = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            tr(
                "cli.error-value-validation",
                &[("arg", &arg), ("value", &value), ("detail", &detail)],
            )
        }
        ErrorKind::MissingRequiredArgument => tr("cli.error-missing", args),
        ErrorKind::MissingSubcommand => tr("cli.error-no-command", &[]),
        ErrorKind::ArgumentConflict => tr(
            "cli.error-conflict",
            &[("arg", &arg), ("other", &context(e, ContextKind::PriorArg))],
        ),
        _ => {
            let text = e.kind().as_str().unwrap_or("").to_string();
            tr("cli.error-other", &[("detail", &text)])
        }
    };
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(|k| context(e, k))
        .find(|s| !s.is_empty());
    match suggestion {
        Some(s) => format!("{base}\n{}", tr("cli.did-you-mean", &[("suggestion", &s)])),
        None => base,
    }
}

/// Prints help or version as asked, or the error with the usage; then exits.
pub fn exit_with(e: clap::Error, cmd: &mut Command) -> ! {
    match e.kind() {
        ErrorKind::DisplayVersion => {
            println!("annals {}", env!("CARGO_PKG_VERSION"));
            std::process::exit(0);
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        _ => {}
    }
    // The usage of the command that was wrong (clap's), else the whole line's.
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => cmd.render_usage().to_string(),
    };
    let usage = usage.replacen("Usage:", &tr("cli.usage", &[]), 1);
    eprintln!(
        "{} {}\n\n{usage}\n\n{}",
        tr("cli.error", &[]),
        message(&e),
        tr("cli.more", &[])
    );
    std::process::exit(2);
}
