//! Print pages: one printable document per report in the layout of official
//! documents (GB/T 9704-2012), and one printable volume (年度汇编) per report year.
//! They are standalone pages with their own stylesheet, not the site chrome.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use super::pdfs::PdfFile;
use crate::diagnostics::Diagnostic;
use crate::model::{Report, Site};
use crate::render::human_size;
use crate::render::views::{AttachmentView, ReportView};

pub use super::pdfs::PrintOf;

/// A rendered print page: its site path, HTML, and where its PDF goes.
#[derive(Debug)]
pub struct PrintDoc {
    pub of: PrintOf,
    /// Site path of the page, e.g. `/2022/foo/print/`.
    pub url: String,
    pub html: String,
    /// Site path of its PDF, e.g. `/2022/foo/print/foo.pdf`.
    pub pdf_url: String,
    /// The reports whose data the page holds.
    pub shows: Vec<usize>,
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    // Each page is written as soon as it is rendered, so a big site never holds
    // every print page in memory at once.
    let write = |doc: Result<PrintDoc, Diagnostic>| -> Result<usize, Diagnostic> {
        let doc = doc?;
        ctx.write_rendered(&doc.url, &doc.html, &doc.shows)?;
        Ok(1)
    };
    let reports: usize = (0..site.reports.len())
        .into_par_iter()
        .filter(|&i| ctx.wants(&site.reports[i].print_url))
        .map(|i| write(render_report(ctx, i)))
        .sum::<Result<usize, Diagnostic>>()?;
    // One volume at a time: each holds a copy of a whole year's bodies (tens of
    // megabytes on a big site), and the other writers keep the cores busy.
    let years: usize = (0..site.years.len())
        .filter(|&y| ctx.wants(&site.years[y].print_url))
        .map(|y| write(render_volume(ctx, y)))
        .sum::<Result<usize, Diagnostic>>()?;
    Ok(reports + years)
}

/// The PDF of a report's print page as an entry of its 相关文档.
pub fn pdf_attachment<'a>(site: &Site, r: &'a Report, pdf: &PdfFile) -> AttachmentView<'a> {
    AttachmentView {
        title: &r.meta.title,
        url: site.config.href(&pdf.url),
        kind: "PDF",
        size: Some(human_size(pdf.bytes)),
        external: false,
        pages: pdf.pages,
        printable: true,
    }
}

/// Site path of the PDF of a report's print page.
pub fn report_pdf_url(ctx: &BuildContext, index: usize) -> String {
    let r = &ctx.site.reports[index];
    crate::routes::pdf_url(&r.print_url, &r.slug)
}

/// Site path of the PDF of a year's volume.
pub fn year_pdf_url(ctx: &BuildContext, index: usize) -> String {
    let y = &ctx.site.years[index];
    crate::routes::pdf_url(&y.print_url, &y.year.to_string())
}

/// Every print page and volume, rendered but not written.
pub fn render_all(ctx: &BuildContext) -> Result<Vec<PrintDoc>, Diagnostic> {
    let site = ctx.site;
    let reports = (0..site.reports.len())
        .into_par_iter()
        .map(|i| render_report(ctx, i));
    let years = (0..site.years.len())
        .into_par_iter()
        .map(|y| render_volume(ctx, y));
    reports.chain(years).collect()
}

fn pdf_value(ctx: &BuildContext, of: PrintOf) -> Value {
    match ctx.pdfs.get(of) {
        Some(p) => crate::render::to_value(p.view(&ctx.site.config)),
        None => Value::from(()),
    }
}

fn render_report(ctx: &BuildContext, i: usize) -> Result<PrintDoc, Diagnostic> {
    let site = ctx.site;
    let r = &site.reports[i];
    let rendered = &ctx.rendered[i];
    let view = ReportView::alone(site, i, &rendered.toc);
    let page = context! {
        kind => "print",
        title => &r.meta.title,
        description => super::share::description(r, &rendered.text),
        canonical => &r.permalink,
        back_url => site.config.href(&r.url),
        report => crate::render::to_value(&view),
        content => Value::from_safe_string(rendered.html.clone()),
        qr_svg => Value::from_safe_string(ctx.qr.svg(i)),
        signed => rendered.signed,
        pdf => pdf_value(ctx, PrintOf::Report(i)),
    };
    let html = ctx
        .renderer
        .render("print.html", page)
        .map_err(|d| d.in_file(&r.file))?;
    Ok(PrintDoc {
        of: PrintOf::Report(i),
        url: r.print_url.clone(),
        html,
        pdf_url: report_pdf_url(ctx, i),
        shows: view.shows,
    })
}

fn render_volume(ctx: &BuildContext, y: usize) -> Result<PrintDoc, Diagnostic> {
    let site = ctx.site;
    let year = &site.years[y];
    let mut shows = Vec::new();
    let parts: Vec<Value> = year
        .reports
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let anchor = format!("p{}", n + 1);
            let rendered = &ctx.rendered[i];
            let view = ReportView::alone(site, i, &rendered.toc);
            shows.extend_from_slice(&view.shows);
            context! {
                anchor => &anchor,
                report => crate::render::to_value(&view),
                content => Value::from_safe_string(volume_part(&rendered.html, &anchor)),
                qr_svg => Value::from_safe_string(ctx.qr.svg(i)),
                signed => rendered.signed,
            }
        })
        .collect();
    let page = context! {
        kind => "volume",
        title => year.year,
        year => year.year,
        canonical => site.config.permalink(&year.url),
        back_url => site.config.href(&year.url),
        parts => parts,
        pdf => pdf_value(ctx, PrintOf::Year(y)),
    };
    let html = ctx.renderer.render("print-volume.html", page)?;
    Ok(PrintDoc {
        of: PrintOf::Year(y),
        url: year.print_url.clone(),
        html,
        pdf_url: year_pdf_url(ctx, y),
        shows,
    })
}

/// A report body made fit to sit among others in one document: ids and in-page
/// links get a per-report prefix so they stay unique, and headings move one
/// level down under the report's title. The Markdown stage escapes `"` and `<`
/// in text, so these patterns only ever match real markup.
pub fn volume_part(html: &str, prefix: &str) -> String {
    // One pass over the body for every rewrite: a volume holds a whole year.
    static MARKUP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r#" (id)=""#,
            r#"| href="(#)"#,
            // Attributes that name other elements by id (table headers, labels) follow the ids.
            r#"| (headers|aria-labelledby|aria-describedby|aria-controls|for)="([^"]*)""#,
            r#"|<(/?)h([2-5])"#,
        ))
        .expect("constant pattern")
    });
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut last = 0;
    for c in MARKUP.captures_iter(html) {
        let Some(whole) = c.get(0) else { continue };
        out.push_str(&html[last..whole.start()]);
        last = whole.end();
        if c.get(1).is_some() {
            out.push_str(&format!(" id=\"{prefix}-"));
        } else if c.get(2).is_some() {
            out.push_str(&format!(" href=\"#{prefix}-"));
        } else if let (Some(name), Some(ids)) = (c.get(3), c.get(4)) {
            let ids: Vec<String> = ids
                .as_str()
                .split_whitespace()
                .map(|id| format!("{prefix}-{id}"))
                .collect();
            out.push_str(&format!(" {}=\"{}\"", name.as_str(), ids.join(" ")));
        } else if let (Some(slash), Some(level)) = (c.get(5), c.get(6)) {
            let level = level.as_str().parse::<u8>().unwrap_or(5);
            out.push_str(&format!("<{}h{}", slash.as_str(), level + 1));
        }
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_parts_get_unique_ids_and_lower_headings() {
        let html = "<h2 id=\"一总体情况\">一、总体情况</h2>\n<h3 id=\"x\">（一）</h3>\
                    <p>见<a href=\"#fn-1\" id=\"fnref-1\">1</a>，<a href=\"https://a.cn/#x\">外</a></p>";
        let out = volume_part(html, "p2");
        assert!(
            out.contains("<h3 id=\"p2-一总体情况\">一、总体情况</h3>"),
            "{out}"
        );
        assert!(out.contains("<h4 id=\"p2-x\">（一）</h4>"), "{out}");
        assert!(out.contains("href=\"#p2-fn-1\" id=\"p2-fnref-1\""), "{out}");
        assert!(out.contains("href=\"https://a.cn/#x\""), "{out}");
        let table = volume_part(
            "<th id=\"a\">x</th><td headers=\"a b\">1</td><div aria-labelledby=\"c\">",
            "p3",
        );
        assert!(table.contains("headers=\"p3-a p3-b\""), "{table}");
        assert!(table.contains("aria-labelledby=\"p3-c\""), "{table}");
        assert_eq!(
            volume_part("<h5>甲</h5><h6>乙</h6><h1>丙</h1><hr>", "p"),
            "<h6>甲</h6><h6>乙</h6><h1>丙</h1><hr>"
        );
    }
}
