//! The report page a citizen lands on.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use super::print::PrintOf;
use crate::diagnostics::Diagnostic;
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
            let rendered = &ctx.rendered[i];
            let mut view = ReportView::new(ctx.site, i, &rendered.toc);
            if let Some(pdf) = ctx.pdfs.get(PrintOf::Report(i)) {
                view.attachments.push(super::print::pdf_attachment(r, pdf));
            }
            let page = context! {
                kind => "report",
                title => &r.meta.title,
                description => super::share::description(r, &rendered.text),
                canonical => &r.permalink,
                report => crate::render::to_value(&view),
                content => Value::from_safe_string(rendered.html.clone()),
                jsonld => Value::from_safe_string(super::structured_data::report_jsonld(ctx.site, i)),
                qr_svg => Value::from_safe_string(ctx.qr[i].clone()),
            };
            ctx.page("report.html", &r.url, page).map_err(|d| {
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
