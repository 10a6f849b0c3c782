//! `annals import`: existing documents (Word .docx, pages saved from an old
//! CMS, pasted .txt) become reports under `content/`, one Markdown file each
//! with valid front matter. Each input kind has its own reader producing a
//! [`Draft`]; what is common (metadata lines, title, outline headings, guesses,
//! writing without overwriting) happens here.

pub mod blocks;
mod docx;
mod docx_body;
mod docx_parts;
mod docx_table;
mod docx_xml;
mod encoding;
pub mod files;
pub mod grid;
pub mod guess;
mod html;
pub mod limits;
pub mod meta;
mod place;
pub mod statistics;
pub mod terminal;
mod text;
mod validate;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Datelike;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use blocks::{Block, TableGrid};
use meta::DocMeta;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// Section under `content/` (default: the report year).
    pub section: Option<PathBuf>,
    pub dry_run: bool,
    /// Prefix of the old site's addresses, for pages that do not name their own.
    pub old_url_prefix: Option<String>,
    pub inputs: Vec<PathBuf>,
    /// Turns recognised statistics tables into data (see [`StatisticsRecogniser`]).
    pub statistics: Option<StatisticsRecogniser>,
    /// What the readers accept at most (`--limit`).
    pub limits: limits::Limits,
    /// Tracked changes in Word files: refused unless accepted or rejected.
    pub changes: TrackedChanges,
}

pub use docx_body::TrackedChanges;

/// The seam for statistics-table recognition (the `disclosure` module's
/// business): given a document's tables, it returns the `disclosure_stats` YAML
/// and, per recognised table, its index in `tables` and its number (二, 三, 四).
/// Recognised tables are replaced by ```` ```disclosure-table N ```` markers;
/// without a recogniser every table stays a plain table.
pub type StatisticsRecogniser = fn(tables: &[&TableGrid]) -> Option<RecognisedStatistics>;

#[derive(Debug, Clone, PartialEq)]
pub struct RecognisedStatistics {
    /// The value of `disclosure_stats:` as YAML, indented by the caller.
    pub yaml: String,
    pub tables: Vec<(usize, String)>,
    /// Tables that look like statistics but were not read as data, and why.
    pub notes: Vec<String>,
}

/// A file to write into the report's attachment folder (see [`files::add`]).
#[derive(Debug, Clone, Default)]
pub struct NewFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An `attachments:` entry: a file brought into the report's folder, or the
/// original address of one that was not saved with the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub title: String,
    pub target: AttachmentTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttachmentTarget {
    File(String),
    Url(String),
}

/// What a reader makes of one document.
#[derive(Debug, Default)]
pub struct Draft {
    pub meta: DocMeta,
    pub blocks: Vec<Block>,
    pub files: Vec<NewFile>,
    pub attachments: Vec<Attachment>,
    pub aliases: Vec<String>,
    /// What was guessed or left out, told to the editor.
    pub notes: Vec<String>,
    /// The front-matter keys whose value import guessed (see [`Created::guessed`]).
    pub guessed: Vec<&'static str>,
}

/// One report the import created (or would create, with `--dry-run`).
#[derive(Debug)]
pub struct Created {
    pub input: PathBuf,
    pub report: PathBuf,
    pub notes: Vec<String>,
    /// Front-matter keys import guessed rather than read from the document
    /// (`title`, `date`, `source`, `category`, `year`), for a reviewer to check.
    pub guessed: Vec<&'static str>,
}

/// An input file that was not imported, and why (in the editor's language).
#[derive(Debug)]
pub struct Skipped {
    pub input: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub created: Vec<Created>,
    /// Files not imported: their report exists already, or they are not
    /// documents (every file of an imported folder is in `created`, here or
    /// in `problems`).
    pub skipped: Vec<Skipped>,
    /// Files that could not be imported (the others still are).
    pub problems: Diagnostics,
}

enum Kind {
    Docx,
    Html,
    Text,
    /// .doc and .wps: binary formats, to be saved as .docx first.
    OldWord,
    /// A PDF is the published form of a report, not its text.
    Pdf,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" => Kind::Docx,
        "html" | "htm" | "shtml" => Kind::Html,
        "txt" => Kind::Text,
        "doc" | "wps" => Kind::OldWord,
        "pdf" => Kind::Pdf,
        _ => return None,
    })
}

/// Imports every input; an input that fails is reported and the rest go on.
pub fn run(options: &ImportOptions) -> Result<Outcome, Diagnostic> {
    let content = options.root.join(crate::layout::CONTENT_DIR);
    if !content.is_dir() {
        return Err(
            Diagnostic::error(tr("import.no-site", &[("root", &options.root.display())]))
                .with_help(tr("import.no-site-help", &[])),
        );
    }
    if let Some(section) = &options.section {
        place::check_section(section)?;
    }
    if let Some(prefix) = &options.old_url_prefix {
        validate::check_old_url_prefix(prefix)?;
    }
    let mut outcome = Outcome::default();
    let mut planned: Vec<PathBuf> = Vec::new();
    // `annals import .` in a site folder must not import the site's own pages.
    let site_folders: Vec<PathBuf> = [crate::layout::CONTENT_DIR, crate::layout::OUTPUT_DIR]
        .iter()
        .filter_map(|f| options.root.join(f).canonicalize().ok())
        .collect();
    for input in &options.inputs {
        // A bare file name has the empty path as its parent: the current folder.
        let root = if input.is_dir() {
            input.clone()
        } else {
            match input.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        for file in inputs_of(input, &site_folders, &mut outcome) {
            match import_one(&file, &root, options, &planned) {
                Ok(Step::Create(created, report_text, draft_files)) => {
                    if !options.dry_run
                        && let Err(d) =
                            write(&options.root, &created.report, &report_text, &draft_files)
                    {
                        outcome.problems.push(d);
                        continue;
                    }
                    planned.push(created.report.clone());
                    outcome.created.push(created);
                }
                Ok(Step::Skip(report)) => outcome.skipped.push(Skipped {
                    reason: tr(
                        "import.skip-exists",
                        &[("report", &terminal::path(&report))],
                    ),
                    input: file,
                }),
                Err(d) => outcome.problems.push(d),
            }
        }
    }
    outcome
        .problems
        .items
        .iter_mut()
        .for_each(terminal::clean_diagnostic);
    Ok(outcome)
}

/// The files of one input: a file, or every importable file of a folder
/// tree; every other file of the tree is listed as skipped with its reason.
fn inputs_of(input: &Path, site_folders: &[PathBuf], outcome: &mut Outcome) -> Vec<PathBuf> {
    if !input.exists() {
        outcome.problems.push(
            Diagnostic::error(tr("import.missing", &[]))
                .in_file(input)
                .with_help(tr("import.missing-help", &[])),
        );
        return Vec::new();
    }
    if !input.is_dir() {
        return vec![input.to_path_buf()];
    }
    let mut files = Vec::new();
    let mut has_page: HashMap<PathBuf, bool> = HashMap::new();
    let mut walk = walkdir::WalkDir::new(input).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(input).to_path_buf();
                outcome.problems.push(
                    Diagnostic::error(tr("import.cannot-read", &[("error", &e)])).in_file(path),
                );
                continue;
            }
        };
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let the_sites = entry.file_type().is_dir()
            && entry
                .path()
                .canonicalize()
                .is_ok_and(|p| site_folders.contains(&p));
        if the_sites {
            outcome.skipped.push(Skipped {
                input: entry.path().to_path_buf(),
                reason: tr("import.skip-site-folder", &[]),
            });
            walk.skip_current_dir();
            continue;
        }
        if hidden && entry.file_type().is_dir() {
            walk.skip_current_dir();
        }
        if !hidden && !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let reason = if hidden {
            Some(tr("import.skip-hidden", &[]))
        } else {
            skip_reason(&path, input, &mut has_page)
        };
        match reason {
            Some(reason) => outcome.skipped.push(Skipped {
                input: path,
                reason,
            }),
            None => files.push(path),
        }
    }
    files.sort();
    files
}

/// Why a file of an imported folder is not a document of its own, if it is not.
fn skip_reason(path: &Path, input: &Path, has_page: &mut HashMap<PathBuf, bool>) -> Option<String> {
    if in_page_folder(path, input) {
        return Some(tr("import.skip-page-file", &[]));
    }
    match kind(path) {
        Some(Kind::Text) => extracted_text_of(path).map(|page| {
            tr(
                "import.skip-extracted-text",
                &[("page", &terminal::path(&page))],
            )
        }),
        Some(_) => None,
        None => {
            let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
            let beside_page = *has_page
                .entry(dir)
                .or_insert_with_key(|d| folder_has_page(d));
            Some(if beside_page {
                tr("import.skip-page-file", &[])
            } else {
                tr("import.skip-not-document", &[])
            })
        }
    }
}

/// The saved page a `.txt` is the extracted text of: a page of the same
/// name beside it (`page.txt` beside `page.html`).
fn extracted_text_of(path: &Path) -> Option<PathBuf> {
    ["html", "htm", "shtml"]
        .iter()
        .map(|ext| path.with_extension(ext))
        .find(|page| page.is_file())
}

/// Whether a file lies in the folder a browser saves a page's files in
/// (`news_files/`, `news.files/`): it is the page's, not a report of its own.
fn in_page_folder(path: &Path, input: &Path) -> bool {
    let inside = path.strip_prefix(input).unwrap_or(path);
    inside.parent().is_some_and(|dirs| {
        dirs.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.ends_with("_files") || name.ends_with(".files")
        })
    })
}

/// Whether a folder holds a saved page: its other files (images, its
/// `links.tsv`, scripts) are the page's, taken only when the page links them.
fn folder_has_page(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| matches!(kind(&e.path()), Some(Kind::Html)))
}

enum Step {
    Create(Created, String, Vec<NewFile>),
    Skip(PathBuf),
}

/// Reads one input file into a draft; the error says what to do instead.
fn read_draft(file: &Path, root: &Path, options: &ImportOptions) -> Result<Draft, Diagnostic> {
    let refuse = |key: &str, help: &str| {
        Diagnostic::error(tr(key, &[]))
            .in_file(file)
            .with_help(tr(help, &[]))
    };
    match kind(file) {
        Some(Kind::Docx) => docx::read(file, options.limits, options.changes)
            .map_err(|m| Diagnostic::error(m).in_file(file)),
        Some(Kind::Html) | Some(Kind::Text) => {
            let bytes = validate::read_limited(file)?;
            let (text, read) = encoding::decode(&bytes);
            let mut draft = if matches!(kind(file), Some(Kind::Html)) {
                let prefix = options.old_url_prefix.as_deref();
                html::read(file, &text, root, prefix, options.limits)
                    .map_err(|m| Diagnostic::error(m).in_file(file))?
            } else {
                text::read(&text)
            };
            match read {
                encoding::Read::Utf8 => {}
                encoding::Read::Gb18030 => draft
                    .notes
                    .push(tr("import.note-encoding", &[("encoding", &"GBK/GB18030")])),
                encoding::Read::Utf8Repaired(lines) => {
                    let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                    draft.notes.push(tr(
                        "import.note-utf8-repaired",
                        &[("lines", &lines.join(", "))],
                    ))
                }
            }
            Ok(draft)
        }
        Some(Kind::OldWord) => Err(refuse("import.old-word", "import.old-word-help")),
        Some(Kind::Pdf) => Err(refuse("import.pdf", "import.pdf-help")),
        None => Err(refuse("import.unsupported", "import.unsupported-help")),
    }
}

fn import_one(
    file: &Path,
    root: &Path,
    options: &ImportOptions,
    planned: &[PathBuf],
) -> Result<Step, Diagnostic> {
    let mut draft = read_draft(file, root, options)?;
    finish(&mut draft, file);
    let statistics = options.statistics.and_then(|recognise| {
        let tables: Vec<&TableGrid> = draft
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        recognise(&tables)
    });
    if let Some(stats) = &statistics {
        draft.notes.extend(stats.notes.iter().cloned());
    }
    let statistics = statistics.filter(|s| !s.tables.is_empty());
    if let Some(stats) = &statistics {
        place_statistics_markers(&mut draft.blocks, stats);
    }
    let year = report_year(&mut draft);
    let content = options.root.join(crate::layout::CONTENT_DIR);
    let section = content.join(match &options.section {
        Some(s) => s.clone(),
        None => PathBuf::from(year.to_string()),
    });
    let wanted = section.join(format!("{}.md", file_slug(file)));
    place::refuse_links(&options.root, &wanted)?;
    let report = match place::place(&wanted, planned) {
        place::Place::Exists(report) => return Ok(Step::Skip(report)),
        place::Place::At(report) => report,
    };
    if report != wanted {
        draft.notes.push(tr(
            "import.note-name-taken",
            &[
                ("wanted", &terminal::path(&wanted.with_extension(""))),
                ("report", &terminal::path(&report)),
            ],
        ));
    }
    // Images are linked from the site root: the same body also appears on the
    // print page and in the yearly volume, where a bare file name would not resolve.
    let folder_url = report_url(&content, &report);
    for b in &mut draft.blocks {
        if let Block::Image { file, .. } = b {
            *file = format!("{folder_url}{file}");
        }
    }
    validate::keep_valid_aliases(&mut draft);
    let text = report_text(&draft, year, statistics.as_ref());
    validate::passes_build(&text, file)?;
    Ok(Step::Create(
        Created {
            input: file.to_path_buf(),
            report,
            notes: draft.notes,
            guessed: draft.guessed,
        },
        text,
        draft.files,
    ))
}

/// What every reader shares: metadata lines out of the body, the title, the
/// Chinese outline as headings, and guesses for what the document does not
/// say, each told to the editor with where it came from.
fn finish(draft: &mut Draft, file: &Path) {
    take_meta_lines(draft);
    take_title(draft);
    without_control_characters(&mut draft.meta);
    promote_outline(&mut draft.blocks);
    if draft.meta.date.is_none() {
        let signed = guess::signature(&draft.blocks).and_then(|s| s.1);
        let (date, key) = match signed {
            Some(date) => (date, "import.guess-date-signature"),
            None => (chrono::Local::now().date_naive(), "import.note-date-today"),
        };
        draft.meta.date = Some(date);
        draft.notes.push(tr(key, &[("date", &date)]));
        draft.guessed.push("date");
    }
    if draft.meta.title.is_none() {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        draft.meta.title = stem.clone();
        draft.notes.push(tr(
            "import.guess-title-file",
            &[("title", &stem.unwrap_or_default())],
        ));
        draft.guessed.push("title");
    }
    if draft.meta.source.is_none() {
        match guess::source(&draft.blocks, draft.meta.title.as_deref()) {
            Some((source, from)) => {
                draft
                    .notes
                    .push(tr(from.note_key(), &[("source", &source)]));
                draft.guessed.push("source");
                draft.meta.source = Some(source);
            }
            None => {
                draft.meta.source = Some(guess::SOURCE_PLACEHOLDER.into());
                draft.guessed.push("source");
                draft.notes.push(tr(
                    "import.guess-source-missing",
                    &[("placeholder", &guess::SOURCE_PLACEHOLDER)],
                ));
            }
        }
    }
    if let Some(category) = draft.meta.title.as_deref().and_then(guess::category_of) {
        draft.meta.category = Some(category.to_string());
        draft
            .notes
            .push(tr("import.guess-category", &[("category", &category)]));
        draft.guessed.push("category");
    }
}

/// Metadata from a document never carries control or bidi characters into
/// front matter (they would reach `<title>`, feeds and `reports.csv`).
fn without_control_characters(meta: &mut DocMeta) {
    let clean = |v: &mut Option<String>| {
        if let Some(text) = v {
            *text = text
                .chars()
                .filter(|c| !crate::content::meta::is_hidden_char(*c))
                .collect::<String>()
                .trim()
                .to_string();
            if text.is_empty() {
                *v = None;
            }
        }
    };
    for v in [
        &mut meta.title,
        &mut meta.source,
        &mut meta.index_no,
        &mut meta.doc_no,
    ] {
        clean(v);
    }
}

fn plain(md: &str) -> String {
    md.replace("**", "").replace('\\', "")
}

/// Metadata lines near the top (before the first heading of the text) go to front matter.
fn take_meta_lines(draft: &mut Draft) {
    let mut i = 0;
    let mut seen = 0;
    while i < draft.blocks.len() && seen < 12 {
        seen += 1;
        if let Block::Paragraph(md, _) = &draft.blocks[i] {
            let text = plain(md);
            if meta::is_meta_line(&text) {
                let found = meta::parse_line(&text);
                // What the document says in its text wins over file properties.
                let mut merged = found;
                merged.fill_from(std::mem::take(&mut draft.meta));
                draft.meta = merged;
                draft.blocks.remove(i);
                continue;
            }
        }
        i += 1;
    }
}

/// The title: centred lines at the top (one title however many lines it
/// was typed on), the Title style or a first heading, or a short first
/// paragraph; a first block repeating the known title is removed.
fn take_title(draft: &mut Draft) {
    let first = draft
        .blocks
        .iter()
        .position(|b| !matches!(b, Block::Image { .. }));
    let Some(first) = first else {
        return;
    };
    if let Some((title, taken)) = guess::centred_title(&draft.blocks, first)
        && (draft.meta.title.is_none() || taken > 1)
        && !title_repeats(draft.meta.title.as_deref(), &title)
    {
        draft.blocks.drain(first..first + taken);
        draft
            .notes
            .push(tr("import.guess-title-centred", &[("title", &title)]));
        draft.guessed.push("title");
        draft.meta.title = Some(title);
        return;
    }
    let text = match &draft.blocks[first] {
        Block::Heading(_, t) => t.clone(),
        Block::Paragraph(md, _) => plain(md),
        _ => return,
    };
    let text = text.trim().to_string();
    match &draft.meta.title {
        Some(title) => remove_repeated_title(&mut draft.blocks, first, title),
        None => {
            let is_heading = matches!(draft.blocks[first], Block::Heading(..));
            let short = text.chars().count() <= 80
                && !text.ends_with(['。', '；', '，', '：', ':'])
                && crate::markdown::outline_level(&text).is_none();
            if is_heading || short {
                draft
                    .notes
                    .push(tr("import.guess-title-first-line", &[("title", &text)]));
                draft.guessed.push("title");
                draft.meta.title = Some(text);
                draft.blocks.remove(first);
            }
        }
    }
}

/// Whether the known title is the same as the centred lines (then those
/// lines are only removed as a repeat).
fn title_repeats(known: Option<&str>, centred: &str) -> bool {
    known.is_some_and(|k| squash(k) == squash(centred))
}

/// The title repeated at the top of the body, often over two lines.
fn remove_repeated_title(blocks: &mut Vec<Block>, first: usize, title: &str) {
    let title = squash(title);
    let mut seen = String::new();
    let mut end = first;
    while let Some(Block::Paragraph(md, _) | Block::Heading(_, md)) = blocks.get(end) {
        seen.push_str(&squash(&plain(md)));
        if !title.starts_with(&seen) {
            break;
        }
        end += 1;
        if seen == title {
            blocks.drain(first..end);
            break;
        }
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A row of a table copied as text (`1.属于国家秘密 0 0 0 0 0 0 0`): two or
/// more numbers after the label, separated by spaces or tabs.
fn looks_like_table_row(text: &str) -> bool {
    let numbers = text
        .split_whitespace()
        .skip(1)
        .filter(|w| w.trim_end_matches('%').parse::<f64>().is_ok())
        .count();
    numbers >= 2
}

/// Paragraphs that are a stand-alone 一、/（一）/1. line become headings; levels
/// are then closed up (a document without （一） has its 1. under 一、) so no
/// heading level is skipped.
fn promote_outline(blocks: &mut [Block]) {
    for b in blocks.iter_mut() {
        if let Block::Paragraph(md, _) = b {
            let text = plain(md);
            let text = text.trim();
            // `1.加强领导。全年……` and a bold run-in head are paragraphs, not headings.
            let run_in = text.trim_end_matches('。').contains('。')
                || (md.starts_with("**") && !md.trim_end().ends_with("**"));
            if !run_in
                && !looks_like_table_row(text)
                && let Some(level) = crate::markdown::is_outline_heading(text)
            {
                *b = Block::Heading(level + 1, text.to_string());
            }
        }
    }
    let mut used: Vec<u8> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(level, _) if *level >= 2 => Some(*level),
            _ => None,
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    for b in blocks.iter_mut() {
        if let Block::Heading(level, _) = b
            && let Some(rank) = used.iter().position(|l| l == level)
        {
            *level = (rank as u8 + 2).min(6);
        }
    }
}

/// The report year: the year the title names (「2024年……报告」), else the
/// publish date's; a title year the build would refuse (「9999年」) is not used.
fn report_year(draft: &mut Draft) -> i32 {
    let years = crate::content::meta::YEARS;
    let from_title = draft
        .meta
        .title
        .as_deref()
        .and_then(crate::content::meta::year_from_title);
    if let Some(year) = from_title.filter(|y| years.contains(y)) {
        draft
            .notes
            .push(tr("import.guess-year-title", &[("year", &year)]));
        draft.guessed.push("year");
        return year;
    }
    let year = draft
        .meta
        .date
        .map(|d| d.year())
        .unwrap_or_else(|| chrono::Local::now().year());
    draft
        .notes
        .push(tr("import.guess-year-date", &[("year", &year)]));
    draft.guessed.push("year");
    year
}

/// Recognised tables become markers; a table split over several grids (a page
/// break in Word) is placed once, where it starts.
fn place_statistics_markers(blocks: &mut [Block], stats: &RecognisedStatistics) {
    let mut index = 0;
    let mut placed: Vec<&str> = Vec::new();
    for b in blocks.iter_mut() {
        if let Block::Table(_) = b {
            if let Some((_, number)) = stats.tables.iter().find(|(i, _)| *i == index) {
                *b = if placed.contains(&number.as_str()) {
                    Block::Raw(String::new())
                } else {
                    placed.push(number);
                    Block::Raw(format!("```disclosure-table {number}\n```"))
                };
            }
            index += 1;
        }
    }
}

/// The report's file name: the input's name, or its folder's when the file is
/// a generic `page.html`/`index.html`; Chinese names become pinyin.
fn file_slug(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let generic = ["page", "index", "default", "content", "article", "text"];
    let name = if generic.contains(&stem.to_ascii_lowercase().as_str()) {
        file.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    let slug: String = if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_ascii_lowercase()
    } else {
        crate::model::slug::pinyin_slug(&name)
    };
    let slug: String = slug.chars().take(80).collect();
    // `_index` is a section's file and a leading `.` hides a file from the build.
    let slug = slug.trim_matches(['-', '_', '.']).to_string();
    if slug.is_empty() {
        "report".into()
    } else {
        slug
    }
}

/// `content/2023/foo.md` → `/2023/foo/`, where its attachment folder is published.
fn report_url(content: &Path, report: &Path) -> String {
    let rel = report
        .strip_prefix(content)
        .unwrap_or(report)
        .with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("/{}/", parts.join("/"))
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn report_text(draft: &Draft, year: i32, stats: Option<&RecognisedStatistics>) -> String {
    let m = &draft.meta;
    let mut fm = String::from("---\n");
    fm.push_str(&format!(
        "title: {}\n",
        yaml_string(m.title.as_deref().unwrap_or(""))
    ));
    if let Some(date) = m.date {
        match m.time {
            // CMS pages print the minute they were published (`2025-03-05 10:30`), in China's time.
            Some(time) => fm.push_str(&format!(
                "date: {}T{}+08:00\n",
                date.format("%Y-%m-%d"),
                time.format("%H:%M:%S")
            )),
            None => fm.push_str(&format!("date: {}\n", date.format("%Y-%m-%d"))),
        }
    }
    fm.push_str(&format!(
        "source: {}\n",
        yaml_string(m.source.as_deref().unwrap_or(""))
    ));
    fm.push_str(&format!("year: {year}\n"));
    if let Some(category) = &m.category {
        fm.push_str(&format!("category: {}\n", yaml_string(category)));
    }
    if let Some(v) = &m.index_no {
        fm.push_str(&format!("index_no: {}\n", yaml_string(v)));
    }
    if let Some(v) = &m.doc_no {
        fm.push_str(&format!("doc_no: {}\n", yaml_string(v)));
    }
    if !draft.attachments.is_empty() {
        fm.push_str("attachments:\n");
        for a in &draft.attachments {
            let (key, value) = match &a.target {
                AttachmentTarget::File(f) => ("file", f),
                AttachmentTarget::Url(u) => ("url", u),
            };
            fm.push_str(&format!(
                "  - {{title: {}, {key}: {}}}\n",
                yaml_string(&a.title),
                yaml_string(value)
            ));
        }
    }
    if !draft.aliases.is_empty() {
        let list: Vec<String> = draft.aliases.iter().map(|a| yaml_string(a)).collect();
        fm.push_str(&format!("aliases: [{}]\n", list.join(", ")));
    }
    if let Some(stats) = stats {
        fm.push_str("disclosure_stats:\n");
        for line in stats.yaml.lines() {
            fm.push_str(&format!("  {line}\n"));
        }
    }
    fm.push_str("---\n\n");
    fm.push_str(&blocks::to_markdown(&draft.blocks));
    fm
}

/// Writes the report and its attachment folder, never replacing a file and
/// never through a symbolic link (each folder is checked once created).
fn write(root: &Path, report: &Path, text: &str, files: &[NewFile]) -> Result<(), Diagnostic> {
    let err = |p: &Path, e: std::io::Error| {
        Diagnostic::error(tr("import.cannot-write", &[("error", &e)])).in_file(p)
    };
    let create_new = |path: &Path, bytes: &[u8]| -> Result<(), Diagnostic> {
        place::refuse_links(root, path)?;
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| err(path, e))?;
        out.write_all(bytes).map_err(|e| err(path, e))
    };
    let dir = report.parent().unwrap_or(Path::new("."));
    place::refuse_links(root, dir)?;
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    place::refuse_links(root, dir)?;
    if files.is_empty() {
        return create_new(report, text.as_bytes());
    }
    // The folder first: `create_dir` fails on anything already there, so a
    // left-over folder (or a link planted in its place) is never written into.
    let folder = report.with_extension("");
    place::refuse_links(root, &folder)?;
    std::fs::create_dir(&folder).map_err(|e| err(&folder, e))?;
    for f in files {
        create_new(&folder.join(&f.name), &f.bytes)?;
    }
    create_new(report, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use blocks::Align;

    fn para(s: &str) -> Block {
        Block::Paragraph(s.into(), Align::Start)
    }

    #[test]
    fn metadata_lines_title_and_outline() {
        let mut draft = Draft {
            blocks: vec![
                para("2023年度法治政府建设工作报告"),
                para("发布时间：2024年3月1日"),
                para("索引号：11430105/2024-00012"),
                para("一、总体情况"),
                para("正文。"),
                para("某某区司法局"),
                para("2024年2月28日"),
            ],
            ..Draft::default()
        };
        finish(&mut draft, Path::new("x.txt"));
        assert_eq!(
            draft.meta.title.as_deref(),
            Some("2023年度法治政府建设工作报告")
        );
        assert_eq!(draft.meta.date, chrono::NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(draft.meta.index_no.as_deref(), Some("11430105/2024-00012"));
        assert_eq!(draft.meta.source.as_deref(), Some("某某区司法局"));
        assert_eq!(draft.blocks[0], Block::Heading(2, "一、总体情况".into()));
        assert_eq!(draft.guessed, ["title", "source", "category"]);
        assert_eq!(draft.blocks.len(), 4);
    }

    #[test]
    fn a_recogniser_replaces_tables_with_markers() {
        fn recognise(tables: &[&TableGrid]) -> Option<RecognisedStatistics> {
            (tables.len() == 2).then(|| RecognisedStatistics {
                yaml: "主动公开: {}".into(),
                tables: vec![(1, "二".into())],
                notes: Vec::new(),
            })
        }
        let mut blocks = vec![
            Block::Table(TableGrid::default()),
            Block::Table(TableGrid::default()),
        ];
        let tables: Vec<&TableGrid> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        let stats = recognise(&tables).unwrap();
        place_statistics_markers(&mut blocks, &stats);
        assert_eq!(blocks[1], Block::Raw("```disclosure-table 二\n```".into()));
        assert!(matches!(blocks[0], Block::Table(_)));
    }

    #[test]
    fn generic_page_names_take_the_folder_name() {
        assert_eq!(file_slug(Path::new("cms/80678/page.html")), "80678");
        assert_eq!(file_slug(Path::new("a/2023年报告.docx")), "2023nianbaogao");
    }
}
