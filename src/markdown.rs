//! Markdown to HTML, once per report: GFM, emphasis that works in Chinese,
//! heading ids that keep the Chinese text, a contents list, optional promotion of
//! a pasted 一、/（一）/1. outline to headings, and class-based code highlighting.

use std::collections::HashMap;
use std::fmt::{self, Write};
use std::sync::{Mutex, OnceLock};

use comrak::adapters::{CodefenceRendererAdapter, HeadingAdapter, HeadingMeta};
use comrak::nodes::{NodeHeading, NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::{Arena, Options};
use serde::{Deserialize, Serialize};

use crate::model::slug::heading_id;

mod html5;
pub mod signature;
pub mod spaced_links;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkdownOptions {
    /// Raw HTML passes through, then is sanitized. Off: it is shown as text.
    pub unsafe_html: bool,
    /// Promote paragraphs that begin with a Chinese outline marker to headings.
    pub auto_outline: bool,
    /// Hosts whose https pages raw HTML may embed with `<iframe>` (e.g. a video
    /// platform); all other iframes are removed. Only with `unsafe_html`.
    pub iframe_hosts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

// Serde: `report_store` keeps each report's rendering between builds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the body, for summaries and search.
    pub text: String,
    /// Every link and image of the body as written, so the build can say which
    /// lead nowhere without parsing the Markdown again.
    pub links: Vec<BodyLink>,
    /// Whether the body ends with its own 落款 (drawn as `p.doc-sign`), so
    /// the print page adds none.
    pub signed: bool,
}

/// A link or image in a body, as written, with its place in the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyLink {
    pub url: String,
    pub image: bool,
    /// 1-based line within the body.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// Gives a link or image of a body the address it should have on every page
/// (a relative one becomes a site path); `None` keeps it as written.
pub trait LinkRewriter: Sync {
    fn rewrite(&self, url: &str) -> Option<String>;
}

/// The levels of a Chinese document outline: 一、 → 1, （一） → 2, 1． → 3.
pub fn outline_level(paragraph: &str) -> Option<u8> {
    let t = paragraph.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    const NUMERALS: &str = "一二三四五六七八九十";
    if NUMERALS.contains(first) {
        let rest: String = t
            .chars()
            .skip_while(|c| NUMERALS.contains(*c))
            .take(1)
            .collect();
        return (rest == "、").then_some(1);
    }
    if first == '（' || first == '(' {
        let inner: String = chars
            .clone()
            .take_while(|c| NUMERALS.contains(*c))
            .collect();
        let close = chars.nth(inner.chars().count());
        return (!inner.is_empty() && matches!(close, Some('）') | Some(')'))).then_some(2);
    }
    if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let after = t
            .chars()
            .find(|c| !c.is_ascii_digit() && !('０'..='９').contains(c));
        return matches!(after, Some('．') | Some('.') | Some('、')).then_some(3);
    }
    None
}

/// Whether a paragraph is a stand-alone outline heading, not a run-in item with text after it.
pub fn is_outline_heading(text: &str) -> Option<u8> {
    let level = outline_level(text)?;
    let len = text.chars().count();
    let limit = if level == 3 { 40 } else { 64 };
    (len <= limit && !text.contains('\n')).then_some(level)
}

type Node<'a> = &'a comrak::nodes::AstNode<'a>;
/// A node's address: its identity while the tree lives.
type NodeId<'a> = *const comrak::nodes::AstNode<'a>;

/// The paragraphs of a pasted outline that become headings, and their levels.
///
/// One rule for every item of a run: the items of one level between two items
/// of a higher level (1. 2. 3. under one （一）) become headings only when all of
/// them are stand-alone; when any of them is a run-in item with text after its
/// lead sentence, they all stay paragraphs, so the contents list is consistent.
/// A promoted heading is at most one level below the heading before it, so no
/// level is skipped when a document has 一、 and 1. but no （一）.
fn outline_promotions<'a>(root: Node<'a>, shift: u8) -> HashMap<NodeId<'a>, u8> {
    // (paragraph, outline level, stand-alone, run) in document order.
    let mut items: Vec<(Node<'a>, u8, bool, usize)> = Vec::new();
    let mut headings: HashMap<NodeId<'a>, u8> = HashMap::new();
    let mut run_of_level = [0usize; 4];
    let mut runs = 0;
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Heading(h) => {
                headings.insert(node as *const _, (h.level + shift).min(6));
                runs += 1;
                run_of_level = [runs; 4];
            }
            NodeValue::Paragraph => {
                let text = collect_text(node);
                let Some(level) = outline_level(&text) else {
                    continue;
                };
                let level = usize::from(level);
                // An item of a higher level starts new runs below it.
                runs += 1;
                for deeper in run_of_level.iter_mut().skip(level + 1) {
                    *deeper = runs;
                }
                let standalone = is_outline_heading(&text).is_some() && !is_run_in(&text);
                items.push((node, level as u8, standalone, run_of_level[level]));
            }
            _ => {}
        }
    }
    let mut broken = std::collections::HashSet::new();
    for (_, level, standalone, run) in &items {
        if !standalone {
            broken.insert((*level, *run));
        }
    }
    let promoted: HashMap<NodeId<'a>, u8> = items
        .iter()
        .filter(|(_, level, _, run)| !broken.contains(&(*level, *run)))
        .map(|(node, level, _, _)| (*node as *const _, *level))
        .collect();
    // Heading levels in document order: one below the nearest heading above the
    // item (a Markdown heading, or a promoted item of a higher outline level).
    let mut out = HashMap::new();
    let mut base = 1u8;
    let mut above = [0u8; 4];
    for node in root.descendants() {
        let ptr = node as *const _;
        if let Some(&outline) = promoted.get(&ptr) {
            let outline = usize::from(outline);
            let parent = above[..outline]
                .iter()
                .copied()
                .max()
                .unwrap_or(0)
                .max(base);
            let level = (parent + 1).min(outline as u8 + 1).min(6);
            out.insert(ptr, level);
            above[outline] = level;
            above[outline + 1..].fill(0);
        } else if let Some(&level) = headings.get(&ptr) {
            base = level;
            above = [0; 4];
        }
    }
    out
}

/// Whether an outline item runs on after its lead sentence (`1.加强领导。全年召开…`).
fn is_run_in(text: &str) -> bool {
    let body = text.trim_end_matches(['。', '；', ';', '：', ':', '.', ' ']);
    body.contains(['。', '；', ';', '！', '？'])
}

/// Lines of a body that look like outline headings but are plain paragraphs.
pub fn outline_candidates(body: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut previous_blank = true;
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
        if previous_blank
            && next_blank
            && !line.starts_with('#')
            && let Some(level) = is_outline_heading(line.trim())
            && level < 3
        {
            out.push((i, line.trim().to_string()));
        }
        previous_blank = line.trim().is_empty();
    }
    out
}

pub fn comrak_options(opts: &MarkdownOptions) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.cjk_friendly_emphasis = true;
    o.render.r#unsafe = opts.unsafe_html;
    o.render.escape = !opts.unsafe_html;
    o
}

/// Syntax sets are large; they are loaded the first time a code block appears.
fn highlighter() -> &'static SyntectAdapter {
    static ADAPTER: OnceLock<SyntectAdapter> = OnceLock::new();
    ADAPTER.get_or_init(|| SyntectAdapterBuilder::new().css().build())
}

/// Gives headings ids from their text (unique per document) and records the contents list.
struct Headings {
    state: Mutex<(Vec<TocEntry>, HashMap<String, usize>)>,
}

impl HeadingAdapter for Headings {
    fn enter(&self, out: &mut dyn Write, h: &HeadingMeta, _: Option<Sourcepos>) -> fmt::Result {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let base = heading_id(&h.content);
        let n = state.1.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        write!(out, "<h{} id=\"", h.level)?;
        comrak::html::escape(out, &id)?;
        out.write_str("\">")?;
        state.0.push(TocEntry {
            level: h.level,
            id,
            title: h.content.trim().to_string(),
        });
        Ok(())
    }

    fn exit(&self, out: &mut dyn Write, h: &HeadingMeta) -> fmt::Result {
        write!(out, "</h{}>", h.level)
    }
}

/// Renders a report body to HTML with its contents list and plain text.
pub fn render(body: &str, opts: &MarkdownOptions) -> Rendered {
    render_with_fences(body, opts, &[])
}

/// Fenced blocks rendered by their own code, by info-string language (e.g. the
/// disclosure tables); their text stays out of the plain text.
pub type FenceRenderers<'a> = [(&'a str, &'a dyn CodefenceRendererAdapter)];

/// [`render`] with custom renderers for some fenced blocks.
pub fn render_with_fences(body: &str, opts: &MarkdownOptions, fences: &FenceRenderers) -> Rendered {
    render_linked(body, opts, fences, None)
}

/// [`render_with_fences`] with the addresses of links and images (also those
/// of raw HTML) passed through `links`.
pub fn render_linked(
    body: &str,
    opts: &MarkdownOptions,
    fences: &FenceRenderers,
    links: Option<&dyn LinkRewriter>,
) -> Rendered {
    let custom = |info: &str| {
        let lang = info.split_whitespace().next().unwrap_or("");
        fences.iter().any(|(l, _)| *l == lang)
    };
    let options = comrak_options(opts);
    let arena = Arena::new();
    let wrapped = spaced_links::wrap(body);
    let body: &str = &wrapped;
    let root = comrak::parse_document(&arena, body, &options);
    let signature = signature::take(root);
    join_cjk_soft_breaks(root);
    let (shift, promotions) = heading_plan(root, opts.auto_outline);
    let mut has_code = false;
    let mut text = String::with_capacity(body.len());
    let mut found_links = Vec::new();
    let mut lines: Option<Vec<&str>> = None;
    for node in root.descendants() {
        let position = link_position(node, &mut lines, body);
        let mut data = node.data_mut();
        let image = matches!(data.value, NodeValue::Image(_));
        match &mut data.value {
            NodeValue::Heading(h) => h.level = (h.level + shift).min(6),
            NodeValue::CodeBlock(c) if !custom(&c.info) => has_code = true,
            // Only web, mail and phone links; data: images would also break the CSP.
            NodeValue::Link(link) | NodeValue::Image(link) if !is_safe_url(&link.url) => {
                link.url.clear();
            }
            NodeValue::Link(link) | NodeValue::Image(link) => {
                found_links.push(record_link(link, image, position, links));
            }
            _ => {}
        }
        if let Some(&level) = promotions.get(&(node as *const _)) {
            data.value = NodeValue::Heading(NodeHeading {
                level,
                setext: false,
                closed: false,
            });
        }
        push_text(&mut text, &data.value, &custom);
    }
    let (mut html, mut toc) = format_html(root, &options, fences, has_code, body.len());
    html5::footnotes_in_div(&mut html);
    if opts.unsafe_html {
        html = sanitize_rewriting(&html, &opts.iframe_hosts, links);
    }
    if let Some(s) = &signature {
        // The 落款 ends the text, before any footnotes.
        let at = html.find("<div class=\"footnotes\"").unwrap_or(html.len());
        html.insert_str(at, &signature::html(s));
    }
    // A build keeps every report's Rendered until its last page is written;
    // the buffers were sized by guess and growth, so give back what is unused.
    html.shrink_to_fit();
    text.shrink_to_fit();
    toc.shrink_to_fit();
    found_links.shrink_to_fit();
    Rendered {
        html,
        toc,
        text,
        links: found_links,
        signed: signature.is_some(),
    }
}

/// How headings change: `# ` headings are shifted down one level (the shift)
/// so the page title stays the only <h1>, and with `auto_outline` the outline
/// paragraphs that become headings, with their levels.
fn heading_plan<'a>(root: Node<'a>, auto_outline: bool) -> (u8, HashMap<NodeId<'a>, u8>) {
    let shift = root
        .descendants()
        .any(|n| matches!(&n.data().value, NodeValue::Heading(h) if h.level == 1))
        as u8;
    if auto_outline {
        (shift, outline_promotions(root, shift))
    } else {
        (shift, HashMap::new())
    }
}

/// A link or image as written, for the build's link checks; its address is
/// rewritten to the one it has on every page.
fn record_link(
    link: &mut comrak::nodes::NodeLink,
    image: bool,
    position: Option<(usize, usize)>,
    links: Option<&dyn LinkRewriter>,
) -> BodyLink {
    let (line, column) = position.unwrap_or((1, 1));
    let found = BodyLink {
        url: link.url.clone(),
        image,
        line,
        column,
    };
    if let Some(new) = links.and_then(|l| l.rewrite(&link.url)) {
        link.url = new;
    }
    found
}

/// The plain text of a node, added to the body's text (for summaries and search).
fn push_text(text: &mut String, value: &NodeValue, custom: &dyn Fn(&str) -> bool) {
    match value {
        NodeValue::Text(t) => text.push_str(t),
        NodeValue::Code(c) => text.push_str(&c.literal),
        NodeValue::CodeBlock(c) if !custom(&c.info) => text.push_str(&c.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
        NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
            if !text.ends_with('\n') && !text.is_empty() =>
        {
            text.push('\n');
        }
        _ => {}
    }
}

/// The document as HTML, with heading ids, its contents list, highlighted code
/// (when it has any) and the custom fenced blocks.
fn format_html<'a>(
    root: Node<'a>,
    options: &Options,
    fences: &FenceRenderers,
    has_code: bool,
    size: usize,
) -> (String, Vec<TocEntry>) {
    let headings = Headings {
        state: Mutex::new((Vec::new(), HashMap::new())),
    };
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    if has_code {
        plugins.render.codefence_syntax_highlighter = Some(highlighter());
    }
    for (lang, adapter) in fences {
        plugins
            .render
            .codefence_renderers
            .insert(lang.to_string(), *adapter);
    }
    let mut html = String::with_capacity(size * 3 / 2);
    // Writing to a String cannot fail.
    let _ = html5::Html5::format_document_with_plugins(root, options, &mut html, &plugins);
    let toc = headings
        .state
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .0;
    (html, toc)
}

/// Line and character column of a link or image node (its parent's when it has
/// none); `None` for other nodes. `lines` is split from `body` on first use.
fn link_position<'b>(
    node: &comrak::nodes::AstNode<'_>,
    lines: &mut Option<Vec<&'b str>>,
    body: &'b str,
) -> Option<(usize, usize)> {
    if !matches!(node.data().value, NodeValue::Link(_) | NodeValue::Image(_)) {
        return None;
    }
    let mut start = node.data().sourcepos.start;
    if start.line == 0
        && let Some(parent) = node.parent()
    {
        start = parent.data().sourcepos.start;
    }
    let lines = lines.get_or_insert_with(|| body.lines().collect());
    let text = lines
        .get(start.line.saturating_sub(1))
        .copied()
        .unwrap_or("");
    let byte = start.column.saturating_sub(1).min(text.len());
    let column = text[..text.floor_char_boundary(byte)].chars().count() + 1;
    Some((start.line.max(1), column))
}

/// Chinese, Japanese and Korean characters and their punctuation, which are
/// written without spaces between them.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF
        | 0x3100..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// A line break inside a paragraph between two CJK characters is only where
/// Word or the editor wrapped the line: browsers would show it as a space
/// (`第一行 第二行`), so the break is removed, as CJK-aware renderers do.
fn join_cjk_soft_breaks<'a>(root: &'a comrak::nodes::AstNode<'a>) {
    let breaks: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::SoftBreak))
        .collect();
    for node in breaks {
        let before = node.previous_sibling().and_then(|n| last_char(n));
        let after = node.next_sibling().and_then(|n| first_char(n));
        if before.is_some_and(is_cjk) && after.is_some_and(is_cjk) {
            node.detach();
        }
    }
}

fn last_char<'a>(node: &'a comrak::nodes::AstNode<'a>) -> Option<char> {
    match &node.data().value {
        NodeValue::Text(t) => t.chars().last(),
        _ => node.last_child().and_then(|c| last_char(c)),
    }
}

fn first_char<'a>(node: &'a comrak::nodes::AstNode<'a>) -> Option<char> {
    match &node.data().value {
        NodeValue::Text(t) => t.chars().next(),
        _ => node.first_child().and_then(|c| first_char(c)),
    }
}

fn collect_text<'a>(node: &'a comrak::nodes::AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants().skip(1) {
        match &d.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push('\n'),
            _ => {}
        }
    }
    s
}

/// A link target that cannot run script: a site path or anchor, or http(s), mailto, tel.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore whitespace and control characters inside a scheme.
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    match squeezed.find(':') {
        None => true,
        // A colon after the first / ? or # is part of a path, not a scheme.
        Some(colon) if squeezed[..colon].contains(['/', '?', '#']) => true,
        Some(colon) => ["http", "https", "mailto", "tel"].contains(&&squeezed[..colon]),
    }
}

/// Raw HTML allowed by the site, made safe: no scripts, handlers or script URLs.
pub fn sanitize(html: &str) -> String {
    sanitize_with(html, &[])
}

/// Like [`sanitize`], keeping `<iframe>`s whose `src` is an https page on one of
/// `iframe_hosts`, sandboxed; other iframes lose their `src` and show nothing.
pub fn sanitize_with(html: &str, iframe_hosts: &[String]) -> String {
    sanitize_rewriting(html, iframe_hosts, None)
}

/// [`sanitize_with`], passing relative `href`/`src` addresses through `links`.
fn sanitize_rewriting(
    html: &str,
    iframe_hosts: &[String],
    links: Option<&dyn LinkRewriter>,
) -> String {
    let html = &*crate::html_nesting::cap_depth(html, crate::html_nesting::MAX_DEPTH);
    let mut builder = ammonia::Builder::default();
    if let Some(links) = links {
        builder.url_relative(ammonia::UrlRelative::Custom(Box::new(Relative(links))));
    }
    builder
        .add_generic_attributes(["id", "class"])
        // Scrollable table wrappers stay reachable by keyboard.
        .add_tag_attributes("div", ["role", "tabindex", "aria-labelledby"])
        .add_tag_attributes("td", ["colspan", "rowspan", "headers", "scope"])
        .add_tag_attributes("th", ["colspan", "rowspan", "headers", "scope", "id"])
        .add_tags([
            "caption",
            "figure",
            "figcaption",
            "section",
            "details",
            "summary",
        ])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer"));
    if !iframe_hosts.is_empty() {
        let hosts: Vec<String> = iframe_hosts
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        builder
            .add_tags(["iframe"])
            .add_tag_attributes(
                "iframe",
                ["src", "width", "height", "title", "allowfullscreen"],
            )
            .set_tag_attribute_value(
                "iframe",
                "sandbox",
                "allow-scripts allow-same-origin allow-presentation",
            )
            .set_tag_attribute_value(
                "iframe",
                "referrerpolicy",
                "strict-origin-when-cross-origin",
            )
            .set_tag_attribute_value("iframe", "loading", "lazy")
            .attribute_filter(move |element, attribute, value| {
                if element == "iframe" && attribute == "src" && !is_allowed_embed(value, &hosts) {
                    return None;
                }
                Some(value.into())
            });
    }
    builder.clean(html).to_string()
}

/// Relative addresses in raw HTML, passed through a [`LinkRewriter`].
struct Relative<'a>(&'a dyn LinkRewriter);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Relative<'a> {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        // `None` would drop the attribute; an address not rewritten is kept.
        Some(match self.0.rewrite(url) {
            Some(new) => new.into(),
            None => url.into(),
        })
    }
}

/// `https://<host>/…` with `<host>` exactly one of `hosts`.
fn is_allowed_embed(src: &str, hosts: &[String]) -> bool {
    let Some(rest) = src.strip_prefix("https://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // user@host would show one host and load another.
    !authority.contains('@') && hosts.iter().any(|h| authority.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_run_in_works_in_chinese() {
        let r = render(
            "**1.安全生产形势取得新成绩。**全区共接报",
            &Default::default(),
        );
        assert!(
            r.html
                .contains("<strong>1.安全生产形势取得新成绩。</strong>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_keep_chinese_ids_and_toc() {
        let r = render("## 一、总体情况\n\n## 一、总体情况\n", &Default::default());
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].id, "一总体情况");
        assert_eq!(r.toc[1].id, "一总体情况-2");
        assert!(r.html.contains("<h2 id=\"一总体情况\">"));
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let r = render("<script>alert(1)</script>\n\nok", &Default::default());
        assert!(!r.html.contains("<script>"));
    }

    #[test]
    fn only_safe_link_targets_survive() {
        for url in [
            "/a/",
            "#x",
            "a.pdf",
            "https://www.gov.cn/",
            "mailto:a@b.cn",
            "tel:0731",
            "/x:y",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            " java\tscript:x",
            "DATA:image/png;base64,AA",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_url(url), "{url}");
        }
        let r = render(
            "![图](data:image/png;base64,iVBORw0KGgo=) [a](JavaScript:x)",
            &Default::default(),
        );
        assert!(
            !r.html.contains("data:") && !r.html.to_lowercase().contains("javascript"),
            "{}",
            r.html
        );
    }

    #[test]
    fn iframes_only_from_allowed_hosts() {
        let opts = MarkdownOptions {
            unsafe_html: true,
            iframe_hosts: vec!["player.example.gov.cn".into()],
            ..Default::default()
        };
        let r = render(
            "<iframe src=\"https://player.example.gov.cn/v/1\" onload=\"x()\" width=\"640\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<iframe src=\"https://player.example.gov.cn@evil.example/\"></iframe>\n\n<iframe src=\"http://player.example.gov.cn/\"></iframe>\n",
            &opts,
        );
        assert_eq!(r.html.matches("<iframe").count(), 4, "{}", r.html);
        assert_eq!(r.html.matches("src=").count(), 1, "{}", r.html);
        assert!(r.html.contains("src=\"https://player.example.gov.cn/v/1\""));
        assert!(r.html.contains("sandbox=") && !r.html.contains("onload"));
        // Without the setting, no iframe at all.
        let r = render(
            "<iframe src=\"https://player.example.gov.cn/v/1\"></iframe>",
            &MarkdownOptions {
                unsafe_html: true,
                ..Default::default()
            },
        );
        assert!(!r.html.contains("<iframe"), "{}", r.html);
    }

    #[test]
    fn a_line_break_between_chinese_characters_is_no_space() {
        let html = render(
            "这是第一行\n第二行，**加粗**\n继续\nand English\nwords",
            &MarkdownOptions::default(),
        )
        .html;
        assert!(
            html.contains("这是第一行第二行，<strong>加粗</strong>继续"),
            "{html}"
        );
        assert!(html.contains("继续\nand English\nwords"), "{html}");
    }

    #[test]
    fn outline_levels() {
        assert_eq!(outline_level("一、总体情况"), Some(1));
        assert_eq!(outline_level("（二）主要举措"), Some(2));
        assert_eq!(outline_level("(一)法治政府建设主要成效。"), Some(2));
        assert_eq!(outline_level("1．加强领导"), Some(3));
        assert_eq!(outline_level("2022年度"), None);
        assert_eq!(outline_level("一是认真学习"), None);
    }

    #[test]
    fn auto_outline_promotes_short_paragraphs_only() {
        let opts = MarkdownOptions {
            auto_outline: true,
            ..Default::default()
        };
        let r = render(
            "一、总体情况\n\n1.安全生产形势取得新成绩。全区共接报生产安全事故9起，死亡9人，1人重伤，事故期数同比均下降。\n",
            &opts,
        );
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].level, 2);
    }

    fn outline(body: &str) -> Vec<(u8, String)> {
        let opts = MarkdownOptions {
            auto_outline: true,
            ..Default::default()
        };
        render(body, &opts)
            .toc
            .into_iter()
            .map(|h| (h.level, h.title))
            .collect()
    }

    #[test]
    fn numbered_items_of_one_run_are_all_headings_or_none() {
        // Items 1 and 2 run in, 3 stands alone: as pasted seed texts do.
        let mixed = "一、主要举措\n\n1.加强领导。全年召开会议12次，研究部署法治建设工作。\n\n2.强化学习。组织学法活动8次。\n\n3.严格文明执法。\n\n二、存在问题\n\n1.学法不够深入。\n\n2.执法力量不足。\n";
        assert_eq!(
            outline(mixed),
            vec![
                (2, "一、主要举措".to_string()),
                (2, "二、存在问题".to_string()),
                (3, "1.学法不够深入。".to_string()),
                (3, "2.执法力量不足。".to_string()),
            ]
        );
    }

    #[test]
    fn promoted_outline_levels_do_not_skip() {
        let body = "一、总体情况\n\n（一）主要成效\n\n1.制度建设\n\n二、问题\n\n1.学习不够\n";
        let levels: Vec<u8> = outline(body).into_iter().map(|(l, _)| l).collect();
        assert_eq!(levels, vec![2, 3, 4, 2, 3]);
    }
}
