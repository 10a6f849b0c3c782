//! Word documents (.docx): a zip of XML parts, read with `zip` and `quick-xml`.
//! Headings come from paragraph styles (Heading N, 标题 N, outline levels),
//! bold runs stay bold, tables keep their merged cells, embedded images are
//! saved beside the report.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::blocks::{Align, Block, Cell, TableGrid, escape_inline};
use super::meta::DocMeta;
use super::{Draft, NewFile};
use crate::i18n::tr;

/// Reads a .docx; the error is a plain sentence for the editor.
pub fn read(path: &Path) -> Result<Draft, String> {
    let file =
        std::fs::File::open(path).map_err(|e| tr("import.cannot-read-file", &[("error", &e)]))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| tr("import.docx-not-zip", &[]))?;
    let document =
        part(&mut zip, "word/document.xml")?.ok_or_else(|| tr("import.docx-no-document", &[]))?;
    let styles = part(&mut zip, "word/styles.xml")?.unwrap_or_default();
    let rels = part(&mut zip, "word/_rels/document.xml.rels")?.unwrap_or_default();
    let core = part(&mut zip, "docProps/core.xml")?.unwrap_or_default();

    let styles = heading_styles(&styles);
    let rels = relationships(&rels);
    let mut parsed = parse_body(&document, &styles);
    let mut files = Vec::new();
    let mut images: HashMap<String, String> = HashMap::new();
    for block in &mut parsed {
        if let Block::Image { file, .. } = block {
            let rel_id = file.clone();
            let Some(target) = rels.get(&rel_id) else {
                file.clear();
                continue;
            };
            let name = match images.get(&rel_id) {
                Some(name) => name.clone(),
                None => {
                    let inner = format!("word/{}", target.trim_start_matches('/'));
                    let Some(bytes) = binary_part(&mut zip, &inner)? else {
                        file.clear();
                        continue;
                    };
                    let base = target.rsplit('/').next().unwrap_or("image").to_string();
                    files.push(NewFile {
                        name: base.clone(),
                        bytes,
                    });
                    images.insert(rel_id, base.clone());
                    base
                }
            };
            *file = name;
        }
    }
    // Images whose part could not be found are dropped rather than left broken.
    parsed.retain(|b| !matches!(b, Block::Image { file, .. } if file.is_empty()));
    Ok(Draft {
        meta: DocMeta {
            title: xml_text(&core, b"title"),
            ..DocMeta::default()
        },
        blocks: parsed,
        files,
        ..Draft::default()
    })
}

fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, String> {
    Ok(binary_part(zip, name)?.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

fn binary_part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, String> {
    let mut entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(tr(
                "import.docx-cannot-read-part",
                &[("part", &name), ("error", &e)],
            ));
        }
    };
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).map_err(|e| {
        tr(
            "import.docx-cannot-read-part",
            &[("part", &name), ("error", &e)],
        )
    })?;

    Ok(Some(bytes))
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|b| *b == b':').next().unwrap_or(name)
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The text of the first element named `name` (any namespace).
fn xml_text(xml: &str, name: &[u8]) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if local(e.name().as_ref()) == name => inside = true,
            Ok(Event::Text(t)) if inside => {
                let text = t.decode().ok()?.trim().to_string();
                return (!text.is_empty()).then_some(text);
            }
            Ok(Event::End(_)) if inside => return None,
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Style id → heading level (0 for the document title style).
fn heading_styles(xml: &str) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                b"style" => current = attr(&e, b"styleId"),
                b"name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, b"val"))
                        && let Some(level) = level_from_style_name(&name)
                    {
                        out.insert(id.clone(), level);
                    }
                }
                b"outlineLvl" => {
                    if let (Some(id), Some(v)) = (&current, attr(&e, b"val"))
                        && let Ok(n) = v.parse::<u8>()
                        && n < 9
                    {
                        out.entry(id.clone()).or_insert(n + 1);
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if local(e.name().as_ref()) == b"style" => current = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

fn level_from_style_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    if lower == "title" || name == "标题" {
        return Some(0);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| name.strip_prefix("标题"))?;
    rest.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=9).contains(n))
}

/// Relationship id → target (e.g. `media/image1.png`).
fn relationships(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if local(e.name().as_ref()) == b"Relationship" =>
            {
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[derive(Default)]
struct Para {
    style_level: Option<u8>,
    align: Align,
    text: String,
    plain: String,
    images: Vec<String>,
}

#[derive(Default)]
struct Run {
    bold: bool,
    text: String,
}

#[derive(Default)]
struct TableState {
    grid: TableGrid,
    row: Vec<Cell>,
    cell_text: Vec<String>,
    colspan: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
    /// Per row, the vertical-merge flag of each written cell (to count rowspans).
    merges: Vec<Vec<Option<bool>>>,
    row_merges: Vec<Option<bool>>,
}

fn parse_body(xml: &str, styles: &HashMap<String, u8>) -> Vec<Block> {
    let mut reader = Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut para: Option<Para> = None;
    let mut run: Option<Run> = None;
    let mut in_rpr = false;
    let mut in_text = false;
    let mut tables: Vec<TableState> = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                handle_start(
                    e,
                    empty,
                    styles,
                    &mut para,
                    &mut run,
                    &mut in_rpr,
                    &mut in_text,
                    &mut tables,
                );
            }
            Event::Text(t) if in_text => {
                if let (Some(r), Ok(text)) = (run.as_mut(), t.decode()) {
                    r.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let (Some(run), Ok(Some(c))) = (run.as_mut(), r.resolve_char_ref()) {
                    run.text.push(c);
                } else if let (Some(run), Ok(name)) = (run.as_mut(), r.decode()) {
                    run.text.push_str(match name.as_ref() {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => match local(e.name().as_ref()) {
                b"t" => in_text = false,
                b"rPr" => in_rpr = false,
                b"r" => {
                    if let (Some(r), Some(p)) = (run.take(), para.as_mut()) {
                        push_run(p, r);
                    }
                }
                b"p" => {
                    if let Some(p) = para.take() {
                        finish_paragraph(p, &mut blocks, &mut tables);
                    }
                }
                b"tc" => {
                    if let Some(t) = tables.last_mut() {
                        let text = t.cell_text.join("\n");
                        t.cell_text.clear();
                        if t.vmerge != Some(false) {
                            t.row.push(Cell {
                                text,
                                colspan: t.colspan.max(1),
                                rowspan: 1,
                            });
                            t.row_merges.push(t.vmerge);
                        } else {
                            // A continued vertical merge: grow the cell above.
                            let col = t.row.iter().map(|c| c.colspan).sum::<usize>();
                            grow_rowspan(t, col);
                        }
                        t.colspan = 1;
                        t.vmerge = None;
                    }
                }
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        let row = std::mem::take(&mut t.row);
                        let merges = std::mem::take(&mut t.row_merges);
                        t.grid.rows.push(row);
                        t.merges.push(merges);
                    }
                }
                b"tbl" => {
                    if let Some(t) = tables.pop() {
                        match tables.last_mut() {
                            // A table inside a table cell: kept as the cell's text.
                            Some(outer) => outer.cell_text.push(
                                t.grid
                                    .rows
                                    .iter()
                                    .map(|r| {
                                        r.iter()
                                            .map(|c| c.text.as_str())
                                            .collect::<Vec<_>>()
                                            .join(" ")
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            ),
                            None => blocks.push(Block::Table(t.grid)),
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    blocks
}

/// The cell starting at grid column `col` in the nearest row above grows by one row.
fn grow_rowspan(t: &mut TableState, col: usize) {
    for row in t.grid.rows.iter_mut().rev() {
        let mut at = 0;
        for cell in row.iter_mut() {
            if at == col {
                cell.rowspan += 1;
                return;
            }
            at += cell.colspan;
            if at > col {
                break;
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn handle_start(
    e: &BytesStart,
    empty: bool,
    styles: &HashMap<String, u8>,
    para: &mut Option<Para>,
    run: &mut Option<Run>,
    in_rpr: &mut bool,
    in_text: &mut bool,
    tables: &mut Vec<TableState>,
) {
    let qname = e.name();
    let name = local(qname.as_ref());
    // Empty containers (`<w:p/>`, `<w:t/>`) open nothing that an end tag would close.
    if empty && matches!(name, b"p" | b"r" | b"rPr" | b"t" | b"tbl" | b"tc") {
        return;
    }
    match name {
        b"p" => *para = Some(Para::default()),
        b"pStyle" => {
            if let (Some(p), Some(id)) = (para.as_mut(), attr(e, b"val")) {
                p.style_level = styles
                    .get(&id)
                    .copied()
                    .or_else(|| level_from_style_name(&id));
            }
        }
        b"outlineLvl" => {
            if let (Some(p), Some(Ok(n))) =
                (para.as_mut(), attr(e, b"val").map(|v| v.parse::<u8>()))
                && n < 9
                && !*in_rpr
            {
                p.style_level = p.style_level.or(Some(n + 1));
            }
        }
        // `w:jc` in a paragraph's properties; a run has none, a table row's is
        // the table's and is not a paragraph's.
        b"jc" if !*in_rpr => {
            if let Some(p) = para.as_mut() {
                p.align = match attr(e, b"val").as_deref() {
                    Some("center") => Align::Center,
                    Some("right" | "end") => Align::End,
                    _ => Align::Start,
                };
            }
        }
        b"r" => *run = Some(Run::default()),
        b"rPr" => *in_rpr = true,
        b"b" if *in_rpr => {
            if let Some(r) = run.as_mut() {
                r.bold = !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"));
            }
        }
        b"t" => *in_text = true,
        b"tab" if !*in_rpr => {
            if let Some(r) = run.as_mut() {
                r.text.push(' ');
            }
        }
        b"br" | b"cr" => {
            if let Some(r) = run.as_mut() {
                r.text.push('\n');
            }
        }
        b"blip" => {
            if let (Some(p), Some(id)) = (para.as_mut(), attr(e, b"embed")) {
                p.images.push(id);
            }
        }
        b"tbl" => tables.push(TableState::default()),
        b"tc" => {
            if let Some(t) = tables.last_mut() {
                t.colspan = 1;
                t.vmerge = None;
            }
        }
        b"gridSpan" => {
            if let (Some(t), Some(Ok(n))) = (
                tables.last_mut(),
                attr(e, b"val").map(|v| v.parse::<usize>()),
            ) {
                t.colspan = n.max(1);
            }
        }
        b"vMerge" => {
            if let Some(t) = tables.last_mut() {
                t.vmerge = Some(attr(e, b"val").as_deref() == Some("restart"));
            }
        }
        _ => {}
    }
}

fn push_run(p: &mut Para, r: Run) {
    p.plain.push_str(&r.text);
    let text = r.text.trim_end_matches('\n');
    if text.trim().is_empty() {
        p.text.push_str(&r.text.replace('\n', " "));
        return;
    }
    let escaped = escape_inline(text).replace('\n', "  \n");
    if r.bold {
        // `**` must touch the text on both sides to count as emphasis.
        let lead = escaped.len() - escaped.trim_start().len();
        let (space, inner) = escaped.split_at(lead);
        let trimmed = inner.trim_end();
        let tail = &inner[trimmed.len()..];
        // Adjacent bold runs merge into one emphasis span.
        if p.text.ends_with("**") && space.is_empty() {
            p.text.truncate(p.text.len() - 2);
            p.text.push_str(trimmed);
        } else {
            p.text.push_str(space);
            p.text.push_str("**");
            p.text.push_str(trimmed);
        }
        p.text.push_str("**");
        p.text.push_str(tail);
    } else {
        p.text.push_str(&escaped);
    }
}

fn finish_paragraph(p: Para, blocks: &mut Vec<Block>, tables: &mut [TableState]) {
    if let Some(t) = tables.last_mut() {
        if !p.plain.trim().is_empty() {
            t.cell_text.push(p.plain.trim().to_string());
        }
        return;
    }
    let plain = p.plain.trim().to_string();
    match p.style_level {
        Some(level) if !plain.is_empty() => {
            // Level 0 is the Title style; the importer takes it as the title.
            blocks.push(Block::Heading(level.saturating_add(1).max(1), plain))
        }
        _ if !plain.is_empty() => blocks.push(Block::Paragraph(p.text.trim().to_string(), p.align)),
        _ => {}
    }
    for id in p.images {
        blocks.push(Block::Image {
            file: id,
            alt: String::new(),
        });
    }
}
