//! The report page a citizen lands on.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::render::views::ReportView;

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    ctx.site
        .reports
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            ctx.page("report.html", &r.url, context(ctx, i))
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

/// What `report.html` gets for report `i`.
pub fn context(ctx: &BuildContext, i: usize) -> Value {
    let r = &ctx.site.reports[i];
    let rendered = &ctx.rendered[i];
    let view = ReportView::new(ctx.site, i, &rendered.toc);
    context! {
        kind => "report",
        title => &r.meta.title,
        description => r.meta.summary.as_deref().unwrap_or(""),
        canonical => &r.permalink,
        report => crate::render::to_value(&view),
        content => Value::from_safe_string(rendered.html.clone()),
    }
}
