//! Word documents (.docx): a zip of XML parts, read with `zip` and `quick-xml`
//! within the [`Limits`]. Headings come from paragraph styles (Heading N,
//! 标题 N, outline levels), bold runs stay bold, tables keep their merged
//! cells, embedded images are saved beside the report. Tracked changes are
//! refused unless accepted or rejected, and comments are told, never published.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Draft;
use super::blocks::Block;
use super::docx_body::{self, TrackedChanges, level_from_style_name};
use super::docx_parts::{Image, Parts};
use super::docx_xml::{attr, entity, local};
use super::limits::{Limits, mb};
use super::meta::DocMeta;
use crate::i18n::tr;

/// How many places a refusal for tracked changes names.
const PLACES_SHOWN: usize = 5;

/// Reads a .docx; the error is a plain sentence for the editor.
pub fn read(path: &Path, limits: Limits, changes: TrackedChanges) -> Result<Draft, String> {
    let mut parts = Parts::open(path, limits)?;
    let document = parts
        .text("word/document.xml")?
        .ok_or_else(|| tr("import.docx-no-document", &[]))?;
    let styles = parts.text("word/styles.xml")?.unwrap_or_default();
    let rels = parts
        .text("word/_rels/document.xml.rels")?
        .unwrap_or_default();
    let core = parts.text("docProps/core.xml")?.unwrap_or_default();
    let comments = parts.text("word/comments.xml")?.unwrap_or_default();

    let styles = heading_styles(&styles);
    let rels = relationships(&rels);
    let body = docx_body::parse(&document, &styles, changes, limits)?;
    drop(document);
    if changes == TrackedChanges::Refuse && !body.revisions.is_empty() {
        return Err(revisions_message(&body.revisions));
    }
    let mut draft = Draft {
        meta: DocMeta {
            title: xml_text(&core, b"title"),
            ..DocMeta::default()
        },
        blocks: body.blocks,
        ..Draft::default()
    };
    if changes != TrackedChanges::Refuse && !body.revisions.is_empty() {
        let count: usize = body.revisions.iter().map(|(n, _)| n).sum();
        let key = if changes == TrackedChanges::Accept {
            "import.note-changes-accepted"
        } else {
            "import.note-changes-rejected"
        };
        draft.notes.push(tr(key, &[("count", &count)]));
    }
    if body.alt_chunks > 0 {
        draft.notes.push(tr(
            "import.note-docx-alt-chunks",
            &[("count", &body.alt_chunks)],
        ));
    }
    for (author, id, text) in comment_texts(&comments) {
        let place = body
            .comment_places
            .get(&id)
            .map(|p| excerpt(p))
            .unwrap_or_default();
        draft.notes.push(tr(
            "import.note-comment",
            &[
                ("author", &author),
                ("place", &place),
                ("text", &excerpt(&text)),
            ],
        ));
    }
    save_images(&mut parts, &rels, &mut draft, limits)?;
    Ok(draft)
}

/// The first characters of a paragraph, to say where something is.
fn excerpt(text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = text.chars().take(30).collect();
    if text.chars().count() > 30 {
        out.push('…');
    }
    out
}

fn revisions_message(revisions: &[(usize, String)]) -> String {
    let count: usize = revisions.iter().map(|(n, _)| n).sum();
    let places: Vec<String> = revisions
        .iter()
        .take(PLACES_SHOWN)
        .map(|(n, text)| {
            let at = if text.is_empty() {
                tr("import.docx-changes-place-table", &[])
            } else {
                format!("「{}」", excerpt(text))
            };
            tr("import.docx-changes-place", &[("count", n), ("place", &at)])
        })
        .collect();
    let more = revisions.len().saturating_sub(PLACES_SHOWN);
    let mut list = places.join("；");
    if more > 0 {
        list.push_str(&tr("import.docx-changes-more", &[("count", &more)]));
    }
    tr(
        "import.docx-changes",
        &[("count", &count), ("places", &list)],
    )
}

/// Embedded images become files beside the report; one over the image limit
/// is left out with a note, one whose part is missing is dropped.
fn save_images(
    parts: &mut Parts<std::fs::File>,
    rels: &HashMap<String, String>,
    draft: &mut Draft,
    limits: Limits,
) -> Result<(), String> {
    let mut images: HashMap<String, Option<String>> = HashMap::new();
    for i in 0..draft.blocks.len() {
        let Block::Image { file, .. } = &draft.blocks[i] else {
            continue;
        };
        let rel_id = file.clone();
        let name = match images.get(&rel_id) {
            Some(name) => name.clone(),
            None => {
                let name = match rels.get(&rel_id) {
                    Some(target) => save_image(parts, target, draft, limits)?,
                    None => None,
                };
                images.insert(rel_id, name.clone());
                name
            }
        };
        if let Block::Image { file, .. } = &mut draft.blocks[i] {
            *file = name.unwrap_or_default();
        }
    }
    draft
        .blocks
        .retain(|b| !matches!(b, Block::Image { file, .. } if file.is_empty()));
    Ok(())
}

fn save_image(
    parts: &mut Parts<std::fs::File>,
    target: &str,
    draft: &mut Draft,
    limits: Limits,
) -> Result<Option<String>, String> {
    let inner = format!("word/{}", target.trim_start_matches('/'));
    let base = image_name(target, draft.files.len());
    match parts.image(&inner)? {
        None => Ok(None),
        Some(Image::TooLarge) => {
            draft.notes.push(tr(
                "import.note-image-too-large",
                &[("image", &base), ("limit", &mb(limits.image_bytes))],
            ));
            Ok(None)
        }
        Some(Image::Bytes(bytes)) => {
            // The bytes decide what the file is, never its name in the archive:
            // a crafted `media/x.html` must not be published as a page.
            let Some(ext) = web_image_type(&bytes) else {
                draft
                    .notes
                    .push(tr("import.note-image-not-web", &[("image", &base)]));
                return Ok(None);
            };
            // One name from two folders (media/ and media2/image1.png) stays two files.
            let name = with_extension(&base, ext);
            Ok(super::files::add(&mut draft.files, &name, bytes))
        }
    }
}

/// The extension of a picture browsers show, from its first bytes.
fn web_image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.starts_with(b"BM") {
        Some("bmp")
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// `name` ending in `.ext` (kept when it already does, `.jpeg` for a JPEG too).
fn with_extension(name: &str, ext: &str) -> String {
    let (stem, old) = name.rsplit_once('.').unwrap_or((name, ""));
    let old = old.to_ascii_lowercase();
    if old == ext || (ext == "jpg" && old == "jpeg") {
        name.to_string()
    } else if stem.is_empty() {
        format!("image.{ext}")
    } else {
        format!("{stem}.{ext}")
    }
}

/// The file name an embedded image is saved under: the last part of its
/// target, unless that is empty, hidden or a path step (a crafted target such
/// as `media/..` must not name a folder).
fn image_name(target: &str, index: usize) -> String {
    let base = target.rsplit(['/', '\\']).next().unwrap_or("");
    if base.is_empty() || base.starts_with('.') || base.chars().any(char::is_control) {
        format!("image-{}", index + 1)
    } else {
        base.to_string()
    }
}

/// (author, id, text) of every comment in `word/comments.xml`.
fn comment_texts(xml: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<(String, String, String)> = None;
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match local(e.name().as_ref()) {
                b"comment" => {
                    current = Some((
                        attr(&e, b"author").unwrap_or_default(),
                        attr(&e, b"id").unwrap_or_default(),
                        String::new(),
                    ))
                }
                b"t" => in_text = true,
                b"p" => {
                    if let Some(c) = current.as_mut()
                        && !c.2.is_empty()
                    {
                        c.2.push(' ');
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                if let (Some(c), Ok(text)) = (current.as_mut(), t.decode()) {
                    c.2.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Some(c) = current.as_mut() {
                    c.2.push_str(&entity(&r));
                }
            }
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                b"t" => in_text = false,
                b"comment" => out.extend(current.take()),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The text of the first element named `name` (any namespace).
fn xml_text(xml: &str, name: &[u8]) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if local(e.name().as_ref()) == name => inside = true,
            Ok(Event::Text(t)) if inside => text.push_str(&t.decode().ok()?),
            Ok(Event::GeneralRef(r)) if inside => text.push_str(&entity(&r)),
            Ok(Event::End(_)) if inside => break,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_are_plain_file_names() {
        assert_eq!(image_name("media/image1.png", 0), "image1.png");
        assert_eq!(image_name("media/..", 2), "image-3");
        assert_eq!(image_name("media/.htaccess", 0), "image-1");
        assert_eq!(image_name("a\\b.png", 0), "b.png");
    }

    #[test]
    fn only_pictures_browsers_show_are_kept_under_their_true_type() {
        assert_eq!(web_image_type(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(web_image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(web_image_type(b"<script>alert(1)</script>"), None);
        assert_eq!(web_image_type(&[0x01, 0, 0, 0]), None, "EMF");
        assert_eq!(with_extension("image1.html", "png"), "image1.png");
        assert_eq!(with_extension("photo.JPEG", "jpg"), "photo.JPEG");
        assert_eq!(with_extension("image-2", "gif"), "image-2.gif");
    }

    #[test]
    fn titles_and_comments_keep_their_entities() {
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title>A &amp; B &#x4E00;</dc:title></cp:coreProperties>"#;
        assert_eq!(xml_text(core, b"title").as_deref(), Some("A & B 一"));
        let comments = r#"<w:comments xmlns:w="w"><w:comment w:id="1" w:author="王"><w:p><w:r><w:t>甲&lt;乙</w:t></w:r></w:p><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:comment></w:comments>"#;
        assert_eq!(
            comment_texts(comments),
            vec![("王".to_string(), "1".to_string(), "甲<乙 丙".to_string())]
        );
    }
}
