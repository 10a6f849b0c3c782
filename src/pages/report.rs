//! The report page a citizen lands on.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Site;
use crate::render::views::ReportView;

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    ctx.site
        .reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let page = page_context(ctx.site, i, &ctx.rendered[i]);
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

/// What `report.html` is rendered with for report `i` (also used by the fuzz targets).
pub fn page_context(site: &Site, i: usize, rendered: &Rendered) -> Value {
    let r = &site.reports[i];
    let view = ReportView::new(site, i, &rendered.toc);
    context! {
        kind => "report",
        title => &r.meta.title,
        description => r.meta.summary.as_deref().unwrap_or(""),
        canonical => &r.permalink,
        report => crate::render::to_value(&view),
        content => Value::from_safe_string(rendered.html.clone()),
    }
}
