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
pub mod grid;
mod html;
pub mod limits;
pub mod meta;
pub mod statistics;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

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

/// A file to write into the report's attachment folder.
#[derive(Debug, Clone, Default)]
pub struct NewFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a reader makes of one document.
#[derive(Debug, Default)]
pub struct Draft {
    pub meta: DocMeta,
    pub blocks: Vec<Block>,
    pub files: Vec<NewFile>,
    /// (title, file name in the attachment folder)
    pub attachments: Vec<(String, String)>,
    pub aliases: Vec<String>,
    /// What was guessed or left out, told to the editor.
    pub notes: Vec<String>,
}

/// One report the import created (or would create, with `--dry-run`).
#[derive(Debug)]
pub struct Created {
    pub input: PathBuf,
    pub report: PathBuf,
    pub notes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub created: Vec<Created>,
    /// Inputs skipped because their report exists already.
    pub skipped: Vec<(PathBuf, PathBuf)>,
    /// Files that could not be imported (the others still are).
    pub problems: Diagnostics,
}

enum Kind {
    Docx,
    Html,
    Text,
    /// .doc and .wps: binary formats, to be saved as .docx first.
    OldWord,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "docx" => Kind::Docx,
        "html" | "htm" | "shtml" => Kind::Html,
        "txt" => Kind::Text,
        "doc" | "wps" => Kind::OldWord,
        _ => return None,
    })
}

/// Imports every input; an input that fails is reported and the rest go on.
pub fn run(options: &ImportOptions) -> Result<Outcome, Diagnostic> {
    let content = options.root.join("content");
    if !content.is_dir() {
        return Err(
            Diagnostic::error(tr("import.no-site", &[("root", &options.root.display())]))
                .with_help(tr("import.no-site-help", &[])),
        );
    }
    let owner = owner_name(&options.root);
    let mut outcome = Outcome::default();
    let mut planned: Vec<PathBuf> = Vec::new();
    for input in &options.inputs {
        let files = inputs_of(input, &mut outcome.problems);
        let root = if input.is_dir() {
            input.clone()
        } else {
            input.parent().unwrap_or(Path::new(".")).to_path_buf()
        };
        for file in files {
            match import_one(&file, &root, options, owner.as_deref(), &planned) {
                Ok(Step::Create(created, report_text, draft_files)) => {
                    if !options.dry_run
                        && let Err(d) = write(&created.report, &report_text, &draft_files)
                    {
                        outcome.problems.push(d);
                        continue;
                    }
                    planned.push(created.report.clone());
                    outcome.created.push(created);
                }
                Ok(Step::Skip(report)) => outcome.skipped.push((file, report)),
                Err(d) => outcome.problems.push(d),
            }
        }
    }
    Ok(outcome)
}

/// The files of one input: a file, or every importable file of a folder tree.
fn inputs_of(input: &Path, problems: &mut Diagnostics) -> Vec<PathBuf> {
    if !input.exists() {
        problems.push(
            Diagnostic::error(tr("import.missing", &[]))
                .in_file(input)
                .with_help(tr("import.missing-help", &[])),
        );
        return Vec::new();
    }
    if input.is_file() {
        if kind(input).is_none() {
            problems.push(
                Diagnostic::error(tr("import.unsupported", &[]))
                    .in_file(input)
                    .with_help(tr("import.unsupported-help", &[])),
            );
            return Vec::new();
        }
        return vec![input.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(input)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        // Text files beside a saved page are its extracted text, not reports.
        .filter(|p| match kind(p) {
            Some(Kind::Text) => !has_sibling_page(p),
            Some(_) => true,
            None => false,
        })
        .collect();
    files.sort();
    files
}

fn has_sibling_page(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
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

fn import_one(
    file: &Path,
    root: &Path,
    options: &ImportOptions,
    owner: Option<&str>,
    planned: &[PathBuf],
) -> Result<Step, Diagnostic> {
    let mut draft = match kind(file) {
        Some(Kind::Docx) => docx::read(file, options.limits, options.changes)
            .map_err(|m| Diagnostic::error(m).in_file(file))?,
        Some(Kind::Html) | Some(Kind::Text) => {
            let bytes = std::fs::read(file).map_err(|e| {
                Diagnostic::error(tr("import.cannot-read", &[("error", &e)])).in_file(file)
            })?;
            let (text, encoding) = encoding::decode(&bytes);
            let mut draft = if matches!(kind(file), Some(Kind::Html)) {
                let prefix = options.old_url_prefix.as_deref();
                html::read(file, &text, root, prefix, options.limits)
                    .map_err(|m| Diagnostic::error(m).in_file(file))?
            } else {
                text::read(&text)
            };
            if let Some(name) = encoding {
                draft
                    .notes
                    .push(tr("import.note-encoding", &[("encoding", &name)]));
            }
            draft
        }
        Some(Kind::OldWord) => {
            return Err(Diagnostic::error(tr("import.old-word", &[]))
                .in_file(file)
                .with_help(tr("import.old-word-help", &[])));
        }
        None => {
            return Err(Diagnostic::error(tr("import.unsupported", &[])).in_file(file));
        }
    };
    finish(&mut draft, file, owner);
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
    let year = report_year(&draft.meta);
    let section = match &options.section {
        Some(s) => options.root.join("content").join(s),
        None => options.root.join("content").join(year.to_string()),
    };
    let report = section.join(format!("{}.md", file_slug(file)));
    if report.exists() || planned.contains(&report) {
        return Ok(Step::Skip(report));
    }
    // Images are linked from the site root: the same body also appears on the
    // print page and in the yearly volume, where a bare file name would not resolve.
    let folder_url = report_url(&options.root.join("content"), &report);
    for b in &mut draft.blocks {
        if let Block::Image { file, .. } = b {
            *file = format!("{folder_url}{file}");
        }
    }
    let text = report_text(&draft, year, statistics.as_ref());
    Ok(Step::Create(
        Created {
            input: file.to_path_buf(),
            report,
            notes: draft.notes,
        },
        text,
        draft.files,
    ))
}

/// What every reader shares: metadata lines out of the body, the title, the
/// Chinese outline as headings, and guesses for what the document does not say.
fn finish(draft: &mut Draft, file: &Path, owner: Option<&str>) {
    take_meta_lines(draft);
    take_title(draft);
    promote_outline(&mut draft.blocks);
    let signature = signature(&draft.blocks);
    if draft.meta.date.is_none() {
        match signature.as_ref().and_then(|s| s.1) {
            Some(date) => {
                draft.meta.date = Some(date);
                draft
                    .notes
                    .push(tr("import.note-date-signature", &[("date", &date)]));
            }
            None => {
                let today = chrono::Local::now().date_naive();
                draft.meta.date = Some(today);
                draft
                    .notes
                    .push(tr("import.note-date-today", &[("date", &today)]));
            }
        }
    }
    if draft.meta.source.is_none() {
        let guess = draft
            .meta
            .title
            .as_deref()
            .and_then(meta::source_from_title)
            .or_else(|| signature.and_then(|s| s.0))
            .or_else(|| owner.map(str::to_string));
        match guess {
            Some(source) => {
                draft
                    .notes
                    .push(tr("import.note-source", &[("source", &source)]));
                draft.meta.source = Some(source);
            }
            None => {
                draft.meta.source = Some("未填写来源单位".into());
                draft.notes.push(tr("import.note-no-source", &[]));
            }
        }
    }
    if draft.meta.title.is_none() {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        draft.meta.title = stem.clone();
        draft.notes.push(tr(
            "import.note-title-file",
            &[("title", &stem.unwrap_or_default())],
        ));
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

/// The title: the Title style or a first heading, or a short first paragraph;
/// a first block repeating the known title is removed.
fn take_title(draft: &mut Draft) {
    let first = draft
        .blocks
        .iter()
        .position(|b| !matches!(b, Block::Image { .. }));
    let Some(first) = first else {
        return;
    };
    let text = match &draft.blocks[first] {
        Block::Heading(_, t) => t.clone(),
        Block::Paragraph(md, _) => plain(md),
        _ => return,
    };
    let text = text.trim().to_string();
    match &draft.meta.title {
        Some(title) => {
            // The title repeated at the top of the body, often over two lines.
            let title = squash(title);
            let mut seen = String::new();
            let mut end = first;
            while let Some(Block::Paragraph(md, _) | Block::Heading(_, md)) = draft.blocks.get(end)
            {
                seen.push_str(&squash(&plain(md)));
                if !title.starts_with(&seen) {
                    break;
                }
                end += 1;
                if seen == title {
                    draft.blocks.drain(first..end);
                    break;
                }
            }
        }
        None => {
            let is_heading = matches!(draft.blocks[first], Block::Heading(..));
            let short = text.chars().count() <= 80
                && !text.ends_with(['。', '；', '，', '：', ':'])
                && crate::markdown::outline_level(&text).is_none();
            if is_heading || short {
                draft.meta.title = Some(text);
                draft.blocks.remove(first);
            }
        }
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
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
            if !run_in && let Some(level) = crate::markdown::is_outline_heading(text) {
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

/// The closing signature: (unit, date) from the last paragraphs, when they
/// look like one. They stay in the body.
fn signature(blocks: &[Block]) -> Option<(Option<String>, Option<NaiveDate>)> {
    let paragraphs: Vec<String> = blocks
        .iter()
        .rev()
        .filter_map(|b| match b {
            Block::Paragraph(md, _) => Some(plain(md).trim().to_string()),
            _ => None,
        })
        .take(6)
        .collect();
    let date_at = paragraphs.iter().position(|p| meta::is_date_line(p))?;
    let date = meta::parse_date(&paragraphs[date_at]);
    let unit = paragraphs.get(date_at + 1).filter(|p| {
        let n = p.chars().count();
        (2..=30).contains(&n) && !p.contains(['。', '，', '；', '：'])
    });
    Some((unit.cloned(), date))
}

fn report_year(meta: &DocMeta) -> i32 {
    meta.title
        .as_deref()
        .and_then(crate::content::meta::year_from_title)
        .or_else(|| meta.date.map(|d| d.year()))
        .unwrap_or_else(|| chrono::Local::now().year())
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
    let slug = slug.trim_matches('-').to_string();
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
        fm.push_str(&format!("date: {}\n", date.format("%Y-%m-%d")));
    }
    fm.push_str(&format!(
        "source: {}\n",
        yaml_string(m.source.as_deref().unwrap_or(""))
    ));
    fm.push_str(&format!("year: {year}\n"));
    if let Some(category) = m.title.as_deref().and_then(category_of) {
        fm.push_str(&format!("category: {category}\n"));
    }
    if let Some(v) = &m.index_no {
        fm.push_str(&format!("index_no: {}\n", yaml_string(v)));
    }
    if let Some(v) = &m.doc_no {
        fm.push_str(&format!("doc_no: {}\n", yaml_string(v)));
    }
    if !draft.attachments.is_empty() {
        fm.push_str("attachments:\n");
        for (title, file) in &draft.attachments {
            fm.push_str(&format!(
                "  - {{title: {}, file: {}}}\n",
                yaml_string(title),
                yaml_string(file)
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

fn category_of(title: &str) -> Option<&'static str> {
    if title.contains("政府信息公开") && title.contains("年度报告") {
        Some("政府信息公开工作年度报告")
    } else if title.contains("法治政府建设") && title.contains("报告") {
        Some("法治政府建设年度报告")
    } else {
        None
    }
}

fn owner_name(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("config.toml")).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    let name = value
        .get("owner")?
        .get("name")?
        .as_str()?
        .trim()
        .to_string();
    (!name.is_empty()).then_some(name)
}

/// Writes the report and its attachment folder, never replacing a file.
fn write(report: &Path, text: &str, files: &[NewFile]) -> Result<(), Diagnostic> {
    let err = |p: &Path, e: std::io::Error| {
        Diagnostic::error(tr("import.cannot-write", &[("error", &e)])).in_file(p)
    };
    let dir = report.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(report)
        .map_err(|e| err(report, e))?;
    out.write_all(text.as_bytes()).map_err(|e| err(report, e))?;
    if files.is_empty() {
        return Ok(());
    }
    let folder = report.with_extension("");
    std::fs::create_dir_all(&folder).map_err(|e| err(&folder, e))?;
    for f in files {
        let target = folder.join(&f.name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(mut out) => out.write_all(&f.bytes).map_err(|e| err(&target, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(err(&target, e)),
        }
    }
    Ok(())
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
        finish(&mut draft, Path::new("x.txt"), None);
        assert_eq!(
            draft.meta.title.as_deref(),
            Some("2023年度法治政府建设工作报告")
        );
        assert_eq!(draft.meta.date, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(draft.meta.index_no.as_deref(), Some("11430105/2024-00012"));
        assert_eq!(draft.meta.source.as_deref(), Some("某某区司法局"));
        assert_eq!(draft.blocks[0], Block::Heading(2, "一、总体情况".into()));
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
