//! The report page a citizen lands on.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use super::pdfs::PdfFile;
use super::print::PrintOf;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Site;
use crate::render::gov_meta::ArticleTags;
use crate::render::views::ReportView;

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    ctx.site
        .reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            if !ctx.wants(&r.url) {
                return Ok(0);
            }
            let pdf = ctx.pdfs.get(PrintOf::Report(i));
            let (page, shows) = page_parts(ctx.site, i, &ctx.rendered[i], &ctx.qr.svg(i), pdf);
            ctx.page_showing("report.html", &r.url, &shows, page)
                .map_err(|d| {
                    if d.file.is_none() {
                        d.in_file(&r.file)
                    } else {
                        d
                    }
                })?;
            Ok(1)
        })
        .sum()
}

/// What `report.html` is rendered with for report `i` (also used by the fuzz targets).
pub fn page_context(
    site: &Site,
    i: usize,
    rendered: &Rendered,
    qr_svg: &str,
    pdf: Option<&PdfFile>,
) -> Value {
    page_parts(site, i, rendered, qr_svg, pdf).0
}

/// [`page_context`], and the reports whose data it holds.
fn page_parts(
    site: &Site,
    i: usize,
    rendered: &Rendered,
    qr_svg: &str,
    pdf: Option<&PdfFile>,
) -> (Value, Vec<usize>) {
    let r = &site.reports[i];
    let mut view = ReportView::new(site, i, &rendered.toc);
    if let Some(pdf) = pdf {
        view.attachments
            .push(super::print::pdf_attachment(site, r, pdf));
    }
    let page = context! {
        kind => "report",
        title => &r.meta.title,
        description => super::share::description(r, &rendered.text),
        canonical => &r.permalink,
        report => crate::render::to_value(&view),
        article => crate::render::to_value(ArticleTags::new(r, &rendered.html, &site.config.base_url)),
        content => Value::from_safe_string(rendered.html.clone()),
        jsonld => Value::from_safe_string(super::structured_data::report_jsonld(site, i)),
        qr_svg => Value::from_safe_string(qr_svg.to_string()),
    };
    (page, view.shows)
}
