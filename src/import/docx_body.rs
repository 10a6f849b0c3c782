//! The body of a Word document (`word/document.xml`) as blocks: paragraphs
//! with their alignment and bold runs, headings from styles, tables laid out
//! with their merged cells, text boxes, and what a reviewer left: tracked
//! changes (counted, accepted or rejected) and comment anchors. One pass over
//! the XML events, no recursion, nesting bounded.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::blocks::{Align, Block, escape_inline};
use super::docx_table::TableState;
use super::docx_xml::{attr, entity, local};
use super::limits::Limits;
use crate::i18n::tr;

/// What to do with tracked changes (修订) not yet accepted or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrackedChanges {
    /// Refuse the document, saying where the changes are.
    #[default]
    Refuse,
    Accept,
    Reject,
}

/// The body as read.
#[derive(Debug, Default)]
pub struct Body {
    pub blocks: Vec<Block>,
    /// Per paragraph holding tracked changes: how many, and the paragraph's text.
    pub revisions: Vec<(usize, String)>,
    /// Comment id → the text of the paragraph it is anchored in.
    pub comment_places: HashMap<String, String>,
    /// Embedded chunks of another format (`w:altChunk`) that are not read.
    pub alt_chunks: usize,
}

#[derive(Default)]
struct Para {
    style_level: Option<u8>,
    align: Align,
    text: String,
    plain: String,
    images: Vec<String>,
    run: Option<Run>,
}

#[derive(Default)]
struct Run {
    bold: bool,
    text: String,
}

struct Parser<'a> {
    styles: &'a HashMap<String, u8>,
    changes: TrackedChanges,
    limits: Limits,
    body: Body,
    paras: Vec<Para>,
    tables: Vec<TableState>,
    in_rpr: bool,
    in_trpr: bool,
    in_text: bool,
    /// Depth inside an element whose content is left out (0: none).
    skip: usize,
    depth: usize,
    /// Revisions and comment anchors seen since the last paragraph ended.
    pending_revisions: usize,
    pending_comments: Vec<String>,
}

/// Reads the body; the error is a sentence for the editor.
pub fn parse(
    xml: &str,
    styles: &HashMap<String, u8>,
    changes: TrackedChanges,
    limits: Limits,
) -> Result<Body, String> {
    let mut p = Parser {
        styles,
        changes,
        limits,
        body: Body::default(),
        paras: Vec::new(),
        tables: Vec::new(),
        in_rpr: false,
        in_trpr: false,
        in_text: false,
        skip: 0,
        depth: 0,
        pending_revisions: 0,
        pending_comments: Vec::new(),
    };
    let mut reader = Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| {
            tr(
                "import.docx-bad-xml",
                &[("position", &reader.error_position()), ("error", &e)],
            )
        })?;
        match event {
            Event::Start(e) => {
                p.depth += 1;
                if p.depth > p.limits.depth {
                    return Err(tr("import.too-deep", &[("limit", &p.limits.depth)]));
                }
                if p.skip > 0 {
                    p.skip += 1;
                } else {
                    p.start(&e, false)?;
                }
            }
            Event::Empty(e) if p.skip == 0 => p.start(&e, true)?,
            Event::Text(t) if p.in_text && p.skip == 0 => {
                if let Ok(text) = t.decode() {
                    p.push_text(&text);
                }
            }
            Event::GeneralRef(r) if p.in_text && p.skip == 0 => p.push_text(&entity(&r)),
            Event::End(e) => {
                p.depth = p.depth.saturating_sub(1);
                if p.skip > 0 {
                    p.skip -= 1;
                } else {
                    p.end(local(e.name().as_ref()))?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if p.pending_revisions > 0 {
        p.body.revisions.push((p.pending_revisions, String::new()));
    }
    Ok(p.body)
}

pub fn level_from_style_name(name: &str) -> Option<u8> {
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

/// Property changes: they hold the properties as they were before the change.
const PROPERTY_CHANGES: &[&[u8]] = &[
    b"rPrChange",
    b"pPrChange",
    b"sectPrChange",
    b"tblPrChange",
    b"tblPrExChange",
    b"tblGridChange",
    b"trPrChange",
    b"tcPrChange",
    b"numberingChange",
];

impl Parser<'_> {
    fn para(&mut self) -> Option<&mut Para> {
        self.paras.last_mut()
    }

    fn run(&mut self) -> Option<&mut Run> {
        self.paras.last_mut().and_then(|p| p.run.as_mut())
    }

    fn push_text(&mut self, text: &str) {
        if let Some(r) = self.run() {
            r.text.push_str(text);
        }
    }

    /// Leaves out the content of the element just opened (or nothing, if it was empty).
    fn skip_content(&mut self, empty: bool) {
        if !empty {
            self.skip = 1;
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<(), String> {
        let qname = e.name();
        let name = local(qname.as_ref());
        if self.revision(name, empty) {
            return Ok(());
        }
        // Empty containers (`<w:p/>`, `<w:t/>`) open nothing that an end tag would close.
        if empty
            && matches!(
                name,
                b"p" | b"r" | b"rPr" | b"t" | b"delText" | b"tbl" | b"tc" | b"tr"
            )
        {
            return Ok(());
        }
        match name {
            // The fallback repeats the text box of the choice before it.
            b"Fallback" => self.skip_content(empty),
            b"p" => self.paras.push(Para::default()),
            b"pStyle" | b"outlineLvl" | b"jc" => self.paragraph_property(name, e),
            b"r" => {
                if let Some(p) = self.para() {
                    p.run = Some(Run::default());
                }
            }
            b"rPr" => self.in_rpr = true,
            b"trPr" => self.in_trpr = true,
            b"b" if self.in_rpr => {
                let bold = !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"));
                if let Some(r) = self.run() {
                    r.bold = bold;
                }
            }
            b"t" => self.in_text = true,
            b"delText" if self.changes == TrackedChanges::Reject => self.in_text = true,
            b"tab" if !self.in_rpr => self.push_text(" "),
            b"br" | b"cr" => self.push_text("\n"),
            b"blip" | b"imagedata" => {
                let id = attr(e, b"embed").or_else(|| attr(e, b"id"));
                if let (Some(id), Some(p)) = (id, self.paras.last_mut()) {
                    p.images.push(id);
                }
            }
            b"commentRangeStart" | b"commentReference" => {
                if let Some(id) = attr(e, b"id")
                    && !self.pending_comments.contains(&id)
                {
                    self.pending_comments.push(id);
                }
            }
            b"tbl" => self.tables.push(TableState::new(self.limits.table_cells)),
            b"altChunk" => self.body.alt_chunks += 1,
            _ => {
                if let Some(t) = self.tables.last_mut() {
                    t.start(name, e);
                }
            }
        }
        Ok(())
    }

    /// A paragraph's style, outline level or alignment.
    fn paragraph_property(&mut self, name: &[u8], e: &BytesStart) {
        // A run's or a table row's properties are not the paragraph's.
        if self.in_rpr || self.in_trpr {
            return;
        }
        let styles = self.styles;
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        let value = attr(e, b"val");
        match name {
            b"pStyle" => {
                if let Some(id) = value {
                    p.style_level = styles
                        .get(&id)
                        .copied()
                        .or_else(|| level_from_style_name(&id));
                }
            }
            b"outlineLvl" => {
                if let Some(Ok(n)) = value.map(|v| v.parse::<u8>())
                    && n < 9
                {
                    p.style_level = p.style_level.or(Some(n + 1));
                }
            }
            _ => {
                p.align = match value.as_deref() {
                    Some("center") => Align::Center,
                    Some("right" | "end") => Align::End,
                    _ => Align::Start,
                };
            }
        }
    }

    /// A tracked change: counted, and its content kept or left out. True when
    /// `name` was one.
    fn revision(&mut self, name: &[u8], empty: bool) -> bool {
        let inserted = matches!(name, b"ins" | b"moveTo");
        let deleted = matches!(name, b"del" | b"moveFrom");
        let property = PROPERTY_CHANGES.contains(&name);
        let cell = matches!(name, b"cellIns" | b"cellDel" | b"cellMerge");
        if !(inserted || deleted || property || cell) {
            return false;
        }
        self.pending_revisions += 1;
        let keep_new = self.changes != TrackedChanges::Reject;
        if self.in_trpr && (inserted || deleted) {
            // A whole table row inserted or deleted.
            if inserted != keep_new
                && let Some(t) = self.tables.last_mut()
            {
                t.drop_row = true;
            }
        } else if (inserted && !keep_new) || (deleted && keep_new) {
            self.skip_content(empty);
        } else if property {
            if keep_new {
                self.skip_content(empty);
            } else {
                self.reset_properties(name);
            }
        }
        true
    }

    /// Before the old properties of a rejected change apply, the new ones go.
    fn reset_properties(&mut self, name: &[u8]) {
        match name {
            b"rPrChange" => {
                if let Some(r) = self.run() {
                    r.bold = false;
                }
            }
            b"pPrChange" => {
                if let Some(p) = self.para() {
                    p.align = Align::Start;
                    p.style_level = None;
                }
            }
            b"tcPrChange" => {
                if let Some(t) = self.tables.last_mut() {
                    t.reset_cell_properties();
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) -> Result<(), String> {
        match name {
            b"t" | b"delText" => self.in_text = false,
            b"rPr" => self.in_rpr = false,
            b"trPr" => self.in_trpr = false,
            b"r" => {
                if let Some(p) = self.paras.last_mut()
                    && let Some(r) = p.run.take()
                {
                    push_run(p, r);
                }
            }
            b"p" => {
                if let Some(p) = self.paras.pop() {
                    self.finish_paragraph(p);
                }
            }
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    let (grid, images) = t.finish();
                    match self.tables.last_mut() {
                        // A table inside a table cell: kept as the cell's text.
                        Some(outer) => {
                            outer.add_text(
                                grid.cells
                                    .iter()
                                    .map(|c| c.text.as_str())
                                    .filter(|t| !t.is_empty())
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            );
                            outer.images.extend(images);
                        }
                        None => {
                            if !grid.is_blank() {
                                self.body.blocks.push(Block::Table(grid));
                            }
                            // A picture placed in a table cell is not lost.
                            self.body
                                .blocks
                                .extend(images.into_iter().map(|file| Block::Image {
                                    file,
                                    alt: String::new(),
                                }));
                        }
                    }
                }
            }
            _ => {
                if let Some(t) = self.tables.last_mut() {
                    t.end(name).map_err(|e| e.message())?;
                }
            }
        }
        Ok(())
    }

    fn finish_paragraph(&mut self, p: Para) {
        let plain = p.plain.trim().to_string();
        if self.pending_revisions > 0 {
            let count = std::mem::take(&mut self.pending_revisions);
            self.body.revisions.push((count, plain.clone()));
        }
        for id in std::mem::take(&mut self.pending_comments) {
            self.body.comment_places.insert(id, plain.clone());
        }
        if let Some(t) = self.tables.last_mut() {
            if !plain.is_empty() {
                t.add_text(plain);
            }
            t.images.extend(p.images);
            return;
        }
        let blocks = &mut self.body.blocks;
        match p.style_level {
            // Level 0 is the Title style; the importer takes it as the title.
            Some(level) if !plain.is_empty() => {
                blocks.push(Block::Heading(level.saturating_add(1).max(1), plain))
            }
            _ if !plain.is_empty() => {
                blocks.push(Block::Paragraph(p.text.trim().to_string(), p.align))
            }
            _ => {}
        }
        for id in p.images {
            blocks.push(Block::Image {
                file: id,
                alt: String::new(),
            });
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn body(xml: &str, changes: TrackedChanges) -> Body {
        let doc =
            format!(r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>{xml}</w:body></w:document>"#);
        parse(&doc, &HashMap::new(), changes, Limits::default()).unwrap()
    }

    fn texts(b: &Body) -> Vec<String> {
        b.blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(t, _) | Block::Heading(_, t) => t.clone(),
                Block::Table(g) => format!("{:?}", g.texts()),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn a_text_box_is_read_once_and_keeps_the_paragraph_around_it() {
        let b = body(
            r#"<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>"#,
            TrackedChanges::Refuse,
        );
        assert_eq!(texts(&b), vec!["框内", "前后"]);
    }

    #[test]
    fn legacy_hmerge_and_grid_before_are_laid_out() {
        let b = body(
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>丁</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            TrackedChanges::Refuse,
        );
        let Block::Table(g) = &b.blocks[0] else {
            panic!("{:?}", b.blocks)
        };
        assert_eq!(
            g.texts(),
            vec![vec!["甲", "甲", "乙"], vec!["", "丙", "丁"]]
        );
        assert_eq!(g.cells[0].colspan, 2);
    }

    #[test]
    fn tracked_rows_and_formatting_follow_the_choice() {
        let xml = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>留</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:ins w:id="1"/></w:trPr><w:tc><w:p><w:r><w:t>新行</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:del w:id="2"/></w:trPr><w:tc><w:p><w:r><w:t>旧行</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="3"><w:pPr/></w:pPrChange></w:pPr><w:r><w:rPr><w:b/><w:rPrChange w:id="4"><w:rPr/></w:rPrChange></w:rPr><w:t>字</w:t></w:r></w:p>"#;
        let accepted = body(xml, TrackedChanges::Accept);
        assert_eq!(texts(&accepted)[0], r#"[["留"], ["新行"]]"#);
        assert_eq!(
            accepted.blocks[1],
            Block::Paragraph("**字**".into(), Align::Center)
        );
        let rejected = body(xml, TrackedChanges::Reject);
        assert_eq!(texts(&rejected)[0], r#"[["留"], ["旧行"]]"#);
        assert_eq!(
            rejected.blocks[1],
            Block::Paragraph("字".into(), Align::Start)
        );
        let refused = body(xml, TrackedChanges::Refuse);
        let count: usize = refused.revisions.iter().map(|(n, _)| n).sum();
        assert_eq!(count, 4);
    }

    #[test]
    fn a_picture_in_a_table_cell_follows_the_table() {
        let b = body(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:drawing><a:blip xmlns:a="a" xmlns:r="r" r:embed="rId5"/></w:drawing></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>"#,
            TrackedChanges::Refuse,
        );
        assert_eq!(
            b.blocks,
            vec![
                Block::Image {
                    file: "rId5".into(),
                    alt: String::new()
                },
                Block::Paragraph("后".into(), Align::Start)
            ]
        );
    }

    #[test]
    fn embedded_chunks_are_counted() {
        let b = body(
            r#"<w:altChunk r:id="rId3" xmlns:r="r"/><w:p><w:r><w:t>正文</w:t></w:r></w:p>"#,
            TrackedChanges::Refuse,
        );
        assert_eq!(b.alt_chunks, 1);
    }

    #[test]
    fn nesting_past_the_limit_is_an_error() {
        let deep = format!(
            r#"<w:document xmlns:w="w"><w:body>{}<w:p/>{}</w:body></w:document>"#,
            "<w:sdt><w:sdtContent>".repeat(200),
            "</w:sdtContent></w:sdt>".repeat(200)
        );
        let err = parse(
            &deep,
            &HashMap::new(),
            TrackedChanges::Refuse,
            Limits::default(),
        );
        assert!(err.unwrap_err().contains("256"));
    }

    #[test]
    fn damaged_xml_is_an_error_not_a_silent_cut() {
        let doc = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>半</w:t></w:p></w:body></w:document>"#;
        assert!(
            parse(
                doc,
                &HashMap::new(),
                TrackedChanges::Refuse,
                Limits::default()
            )
            .is_err()
        );
    }
}
