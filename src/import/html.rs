//! Pages saved from an old government CMS (.html/.htm): the article's metadata
//! from `<meta>` tags and the 来源/时间 block, the article body without the
//! site's navigation, footer and share widgets, its tables and images, and
//! attachments downloaded beside the page.

use std::path::{Path, PathBuf};

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::blocks::{Align, Block, TableGrid, escape_inline};
use super::grid::{GridBuilder, TooLarge};
use super::limits::Limits;
use super::meta::{self, DocMeta};
use super::{Attachment, AttachmentTarget, Draft, files};

/// Where the article body sits in common Chinese government CMS templates,
/// most specific first.
const BODY_SELECTORS: &[&str] = &[
    ".article_content",
    "#zoom",
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    ".pages_content",
    ".view",
    ".content_text",
    "article",
    ".article",
    "#content",
    "main",
];

const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "csv", "ppt",
    "pptx", "txt",
];

/// Reads a saved page. `root` is the folder being imported: local files are
/// taken only from inside it. The error is a sentence for the editor.
pub fn read(
    path: &Path,
    text: &str,
    root: &Path,
    old_url_prefix: Option<&str>,
    limits: Limits,
) -> Result<Draft, String> {
    let doc = Html::parse_document(text);
    // Checked before anything walks the page: every later step is then
    // bounded by the number of elements times this depth.
    if depth(&doc) > limits.depth {
        return Err(crate::i18n::tr(
            "import.too-deep",
            &[("limit", &limits.depth)],
        ));
    }
    let page_dir = path.parent().unwrap_or(Path::new("."));
    let mut draft = Draft {
        meta: page_meta(&doc),
        ..Draft::default()
    };
    if let Some(url) = old_address(&doc, path, root, old_url_prefix) {
        draft.aliases.push(url);
    }
    let base = old_url(&doc, path, root, old_url_prefix);
    let body = BODY_SELECTORS
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).find(|e| !text_of(*e).trim().is_empty()))
        .or_else(|| {
            Selector::parse("body")
                .ok()
                .and_then(|s| doc.select(&s).next())
        });
    let mut walker = Walker {
        page_dir,
        root,
        table_cells: limits.table_cells,
        blocks: Vec::new(),
        inline: String::new(),
        plain: String::new(),
        draft: &mut draft,
    };
    if let Some(body) = body {
        walker.walk(body).map_err(|e| e.message())?;
        walker.flush();
    }
    let blocks = std::mem::take(&mut walker.blocks);
    draft.blocks = blocks;
    attachments_anywhere(&doc, page_dir, root, base.as_deref(), &mut draft);
    Ok(draft)
}

/// How deeply the page's elements nest, counted without recursion.
fn depth(doc: &Html) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    deepest
}

fn select_attr(doc: &Html, selector: &str, attr: &str) -> Option<String> {
    let s = Selector::parse(selector).ok()?;
    doc.select(&s)
        .filter_map(|e| e.value().attr(attr))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

fn select_text(doc: &Html, selector: &str) -> Option<String> {
    let s = Selector::parse(selector).ok()?;
    doc.select(&s)
        .map(|e| collapse(&text_of(e)))
        .find(|t| !t.is_empty())
}

fn text_of(e: ElementRef) -> String {
    e.text().collect()
}

fn collapse(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect();
    join_cjk_words(&words)
}

/// Joins words with spaces, except between two CJK characters, where a space
/// in the HTML source is only a line break of the markup.
fn join_cjk_words(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words {
        let cjk_seam =
            out.chars().last().is_some_and(is_cjk) && w.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !cjk_seam {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn is_cjk(c: char) -> bool {
    crate::markdown::is_cjk(c)
}

fn page_meta(doc: &Html) -> DocMeta {
    let pub_date = select_attr(doc, "meta[name=PubDate]", "content")
        .or_else(|| select_attr(doc, "meta[name=pubdate]", "content"));
    let mut m = DocMeta {
        title: select_attr(doc, "meta[name=ArticleTitle]", "content")
            .or_else(|| select_attr(doc, "meta[property='og:title']", "content"))
            .or_else(|| select_text(doc, ".article_title"))
            .or_else(|| select_text(doc, "h1"))
            .or_else(|| select_text(doc, "title")),
        date: pub_date.as_deref().and_then(meta::parse_date),
        time: pub_date.as_deref().and_then(meta::parse_time),
        source: select_attr(doc, "meta[name=ContentSource]", "content"),
        ..DocMeta::default()
    };
    // The metadata block (来源：… 时间：… 索引号：…), wherever the template puts it.
    // Only the innermost such elements: an outer one also holds the share
    // widgets and other labels around it.
    if let Ok(s) = Selector::parse("span, p, li, td, th, div, em, font, label") {
        let lines: Vec<ElementRef> = doc
            .select(&s)
            .filter(|e| meta::is_meta_line(&collapse(&text_of(*e))))
            .collect();
        // Mark every ancestor of a metadata element once: the walk up stops at
        // an ancestor marked before, so this is linear in the page's size.
        let mut has_inner = std::collections::HashSet::new();
        for e in &lines {
            for a in e.ancestors() {
                if !has_inner.insert(a.id()) {
                    break;
                }
            }
        }
        for e in lines.iter().filter(|e| !has_inner.contains(&e.id())) {
            m.fill_from(meta::parse_line(&collapse(&text_of(*e))));
        }
    }
    m
}

/// The page's old address as a site path, for `aliases`.
fn old_address(doc: &Html, path: &Path, root: &Path, prefix: Option<&str>) -> Option<String> {
    let url = old_url(doc, path, root, prefix)?;
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let path = if url.contains("://") {
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    (path.starts_with('/') && path.len() > 1).then(|| path.to_string())
}

/// What a part of an address may hold as it is; the rest is percent-encoded.
const URL_PART: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The page's full old address: what the page says (`<link rel=canonical>`,
/// `og:url`, the CMS's `Url` tag), else `--old-url-prefix` + its path in the
/// imported folder.
fn old_url(doc: &Html, path: &Path, root: &Path, prefix: Option<&str>) -> Option<String> {
    select_attr(doc, "link[rel=canonical]", "href")
        .or_else(|| select_attr(doc, "meta[property='og:url']", "content"))
        .or_else(|| select_attr(doc, "meta[name=Url]", "content"))
        .or_else(|| {
            // Each part percent-encoded as the old server's address had it
            // (`2023年 报告.html` → `2023%E5%B9%B4%20%E6%8A%A5%E5%91%8A.html`).
            let rel: Vec<String> = path
                .strip_prefix(root)
                .ok()?
                .components()
                .map(|c| {
                    let part = c.as_os_str().to_string_lossy();
                    percent_encoding::utf8_percent_encode(&part, URL_PART).to_string()
                })
                .collect();
            Some(format!(
                "{}/{}",
                prefix?.trim_end_matches('/'),
                rel.join("/")
            ))
        })
}

/// A local file a link or image points to: only inside the imported folder,
/// never a hidden file or one inside a hidden folder (`/.ssh/id_rsa`), and
/// only a regular file (not a device or pipe).
fn local_file(href: &str, page_dir: &Path, root: &Path) -> Option<PathBuf> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') || href.contains("://") || href.contains(':') {
        return None;
    }
    let path = href.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let candidate = match decoded.strip_prefix('/') {
        Some(abs) => root.join(abs),
        None => page_dir.join(decoded.as_ref()),
    };
    let real = candidate.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let inside = real.strip_prefix(&root).ok()?;
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let regular = std::fs::metadata(&real).is_ok_and(|m| m.is_file());
    (!hidden && regular).then_some(real)
}

fn is_attachment(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ATTACHMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Brings a local file into the report's folder when its bytes are an image
/// or a document; else says why it was left out.
fn add_file(draft: &mut Draft, file: &Path) -> Option<String> {
    use std::io::Read;
    let shown = file.file_name()?.to_string_lossy().into_owned();
    let mut bytes = Vec::new();
    let read = std::fs::File::open(file)
        .and_then(|f| f.take(files::MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    let reason = match read {
        Err(e) => e.to_string(),
        Ok(n) if n as u64 > files::MAX_FILE_BYTES => crate::i18n::tr(
            "import.file-too-large",
            &[("limit", &(files::MAX_FILE_BYTES / 1024 / 1024))],
        ),
        Ok(_) => match files::add(&mut draft.files, &file.to_string_lossy(), bytes) {
            Some(name) => return Some(name),
            None => crate::i18n::tr("import.file-not-image-or-document", &[]),
        },
    };
    draft.notes.push(crate::i18n::tr(
        "import.note-file-left-out",
        &[("file", &shown), ("reason", &reason)],
    ));
    None
}

fn add_attachment(draft: &mut Draft, file: &Path, title: &str) {
    if let Some(name) = add_file(draft, file)
        && !draft
            .attachments
            .iter()
            .any(|a| a.target == AttachmentTarget::File(name.clone()))
    {
        let title = if title.trim().is_empty() {
            name.clone()
        } else {
            title.trim().to_string()
        };
        draft.notes.push(crate::i18n::tr(
            "import.note-attachment-saved",
            &[("title", &title), ("file", &name)],
        ));
        draft.attachments.push(Attachment {
            title,
            target: AttachmentTarget::File(name),
        });
    }
}

/// Whether an address names a document by its extension (`…/报告.pdf?x=1`).
fn names_document(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    is_attachment(Path::new(decoded.as_ref()))
}

/// Links to documents anywhere on the page (the article, its 附件 or 文件下载
/// list): the file when it was saved with the page, else the original address.
fn attachments_anywhere(
    doc: &Html,
    page_dir: &Path,
    root: &Path,
    base: Option<&str>,
    draft: &mut Draft,
) {
    let Ok(s) = Selector::parse("a[href]") else {
        return;
    };
    let base = base.and_then(|b| url::Url::parse(b).ok());
    for a in doc.select(&s) {
        let href = a.value().attr("href").unwrap_or("").trim();
        let title = collapse(&text_of(a));
        // A download script (`downfile.jsp?id=3`) shows the file's name as the link text.
        let scripted = !href.is_empty()
            && !href.starts_with('#')
            && !href.to_ascii_lowercase().starts_with("javascript:")
            && names_document(&title);
        if !names_document(href) && !scripted {
            continue;
        }
        if let Some(file) = local_file(href, page_dir, root) {
            add_attachment(draft, &file, &title);
            continue;
        }
        let absolute = url::Url::parse(href)
            .ok()
            .or_else(|| base.as_ref().and_then(|b| b.join(href).ok()))
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let title = if title.is_empty() {
            href.rsplit('/').next().unwrap_or(href).to_string()
        } else {
            title
        };
        match absolute {
            Some(url) => {
                let url = url.to_string();
                if draft
                    .attachments
                    .iter()
                    .any(|a| a.target == AttachmentTarget::Url(url.clone()))
                {
                    continue;
                }
                draft.notes.push(crate::i18n::tr(
                    "import.note-attachment-url",
                    &[("title", &title), ("url", &url)],
                ));
                draft.attachments.push(Attachment {
                    title,
                    target: AttachmentTarget::Url(url),
                });
            }
            None => draft.notes.push(crate::i18n::tr(
                "import.note-attachment-lost",
                &[("title", &title), ("href", &href)],
            )),
        }
    }
}

struct Walker<'a> {
    page_dir: &'a Path,
    root: &'a Path,
    table_cells: usize,
    blocks: Vec<Block>,
    /// The paragraph being collected, as Markdown, and as plain text.
    inline: String,
    plain: String,
    draft: &'a mut Draft,
}

/// One step of the walk: a node to visit (with whether it is inside bold
/// text), or the end of a block element.
enum Step<'a> {
    Visit(NodeRef<'a, Node>, bool),
    Flush,
}

impl Walker<'_> {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.inline);
        let plain = std::mem::take(&mut self.plain);
        let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if !plain
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
            .is_empty()
        {
            self.blocks
                .push(Block::Paragraph(text.to_string(), Align::Start));
        }
    }

    fn push_text(&mut self, raw: &str, bold: bool) {
        let words: Vec<&str> = raw
            .split(|c: char| c.is_whitespace() || c == '\u{a0}')
            .collect();
        // Keep one space where the markup had whitespace, except between CJK characters.
        let starts_space = words.first().is_some_and(|w| w.is_empty());
        let ends_space = words.len() > 1 && words.last().is_some_and(|w| w.is_empty());
        let text = join_cjk_words(
            &words
                .iter()
                .copied()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>(),
        );
        if text.is_empty() {
            if !self.inline.is_empty() && !self.inline.ends_with(' ') {
                self.inline.push(' ');
                self.plain.push(' ');
            }
            return;
        }
        let joins_cjk = self.plain.trim_end().chars().last().is_some_and(is_cjk)
            && text.chars().next().is_some_and(is_cjk);
        if joins_cjk {
            while self.inline.ends_with(' ') {
                self.inline.pop();
            }
        } else if starts_space && !self.inline.is_empty() && !self.inline.ends_with(' ') {
            self.inline.push(' ');
        }
        let escaped = escape_inline(&text);
        if bold && self.inline.ends_with("**") && !starts_space {
            // Bold text split over several elements stays one bold span.
            self.inline.truncate(self.inline.len() - 2);
            self.inline.push_str(&format!("{escaped}**"));
        } else if bold {
            self.inline.push_str(&format!("**{escaped}**"));
        } else {
            self.inline.push_str(&escaped);
        }
        self.plain.push_str(&text);
        if ends_space {
            self.inline.push(' ');
        }
    }

    /// The article in document order, with an explicit stack: the depth of
    /// the page costs memory on the heap, never the call stack.
    fn walk(&mut self, element: ElementRef) -> Result<(), TooLarge> {
        let mut stack: Vec<Step> = Vec::new();
        push_children(&mut stack, *element, false);
        while let Some(step) = stack.pop() {
            let (node, bold) = match step {
                Step::Flush => {
                    self.flush();
                    continue;
                }
                Step::Visit(node, bold) => (node, bold),
            };
            match node.value() {
                Node::Text(t) => self.push_text(t, bold),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(node) {
                        self.element(e, bold, &mut stack)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn element<'a>(
        &mut self,
        e: ElementRef<'a>,
        bold: bool,
        stack: &mut Vec<Step<'a>>,
    ) -> Result<(), TooLarge> {
        let name = e.value().name();
        match name {
            "script" | "style" | "noscript" | "iframe" | "button" | "form" | "input" | "select"
            | "textarea" | "object" | "embed" | "svg" | "canvas" | "template" => {}
            "br" => self.flush(),
            "table" => {
                self.flush();
                let grid = table(e, self.table_cells)?;
                if is_layout(e, &grid) {
                    // A table that only places the article: its paragraphs,
                    // images and inner tables are read as if it were not there.
                    stack.push(Step::Flush);
                    push_children(stack, *e, bold);
                } else if !grid.is_blank() {
                    let caption = children_named(e, &["caption"])
                        .map(|c| collapse(&text_of(c)))
                        .find(|t| !t.is_empty());
                    if let Some(caption) = caption {
                        self.blocks
                            .push(Block::Paragraph(escape_inline(&caption), Align::Start));
                    }
                    self.blocks.push(Block::Table(grid));
                }
            }
            "img" => self.image(e),
            "a" => {
                if !self.link(e, bold) {
                    push_children(stack, *e, bold);
                }
            }
            "b" | "strong" => push_children(stack, *e, true),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name[1..].parse::<u8>().unwrap_or(2);
                let text = collapse(&text_of(e));
                if !text.is_empty() {
                    self.blocks.push(Block::Heading(level + 1, text));
                }
            }
            "p" | "div" | "li" | "ul" | "ol" | "blockquote" | "section" | "center" | "article"
            | "dd" | "dt" | "dl" | "pre" | "tr" | "tbody" | "td" | "th" => {
                self.flush();
                stack.push(Step::Flush);
                push_children(stack, *e, bold);
            }
            _ => push_children(stack, *e, bold),
        }
        Ok(())
    }

    fn image(&mut self, e: ElementRef) {
        let src = e.value().attr("src").unwrap_or("");
        let alt = e.value().attr("alt").unwrap_or("").trim().to_string();
        match local_file(src, self.page_dir, self.root) {
            Some(file) => {
                if let Some(name) = add_file(self.draft, &file) {
                    self.flush();
                    self.blocks.push(Block::Image { file: name, alt });
                }
            }
            None if src.starts_with("data:") || src.is_empty() => {}
            None => self.draft.notes.push(crate::i18n::tr(
                "import.note-image-missing",
                &[("src", &src)],
            )),
        }
    }

    /// A link to an attachment or a web page; false when it is neither and
    /// its content is walked as text.
    fn link(&mut self, e: ElementRef, bold: bool) -> bool {
        let href = e.value().attr("href").unwrap_or("").trim();
        let text = collapse(&text_of(e));
        if let Some(file) = local_file(href, self.page_dir, self.root)
            && is_attachment(&file)
        {
            add_attachment(self.draft, &file, &text);
            self.push_text(&text, bold);
            return true;
        }
        if (href.starts_with("https://") || href.starts_with("http://")) && !text.is_empty() {
            if !self.inline.is_empty()
                && !self.plain.trim_end().chars().last().is_some_and(is_cjk)
                && !self.inline.ends_with(' ')
            {
                self.inline.push(' ');
            }
            self.inline.push_str(&format!(
                "[{}](<{}>)",
                escape_inline(&text),
                href.replace('>', "%3E").replace(' ', "%20")
            ));
            self.plain.push_str(&text);
            return true;
        }
        false
    }
}

/// A table used to place the page rather than to hold data: one column, or
/// a cell holding an image or another table (whose content a table cell of
/// text would lose).
fn is_layout(e: ElementRef, grid: &TableGrid) -> bool {
    if grid.width() <= 1 {
        return true;
    }
    let Ok(inner) = Selector::parse("td img, td table, th img, th table") else {
        return false;
    };
    e.select(&inner).next().is_some()
}

/// The children of `node`, to be visited first to last.
fn push_children<'a>(stack: &mut Vec<Step<'a>>, node: NodeRef<'a, Node>, bold: bool) {
    stack.extend(node.children().rev().map(|c| Step::Visit(c, bold)));
}

/// The element children of `e` named one of `names`.
fn children_named<'a>(
    e: ElementRef<'a>,
    names: &'a [&str],
) -> impl Iterator<Item = ElementRef<'a>> {
    e.children()
        .filter_map(ElementRef::wrap)
        .filter(move |c| names.contains(&c.value().name()))
}

/// A span attribute as browsers read it: a number, else 1, within HTML's bounds.
fn span(cell: ElementRef, name: &str, min: usize, max: usize) -> usize {
    cell.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(min, max)
}

/// The rows of this table (not of a table nested in a cell), laid out with
/// their `rowspan`/`colspan` as a browser does.
fn table(e: ElementRef, limit: usize) -> Result<TableGrid, TooLarge> {
    let mut builder = GridBuilder::new(limit);
    // Rows directly in the table and rows of its sections, in document order.
    let rows = e.children().filter_map(ElementRef::wrap).flat_map(|c| {
        let own = (c.value().name() == "tr").then_some(c);
        let section = matches!(c.value().name(), "thead" | "tbody" | "tfoot");
        own.into_iter().chain(
            section
                .then(|| children_named(c, &["tr"]))
                .into_iter()
                .flatten(),
        )
    });
    for tr in rows {
        let cells: Vec<ElementRef> = children_named(tr, &["td", "th"]).collect();
        if cells.is_empty() {
            continue;
        }
        builder.start_row()?;
        for c in cells {
            // HTML: colspan 1 to 1000, rowspan 0 (to the end) to 65534.
            builder.html_cell(
                collapse(&text_of(c)),
                span(c, "colspan", 1, 1000),
                span(c, "rowspan", 0, 65534),
            )?;
        }
        builder.end_row();
    }
    Ok(builder.finish())
}
