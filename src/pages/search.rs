//! The search page. The index itself is written by `crate::search`; this page is
//! the form, the filters and the empty results list the script fills in.

use minijinja::context;

use super::BuildContext;
use crate::diagnostics::Diagnostic;

pub use crate::routes::SEARCH_URL as URL;

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let units: Vec<_> = site
        .units
        .iter()
        .map(|u| context! { name => &u.name, slug => &u.slug, count => u.reports.len() })
        .collect();
    let title = ctx
        .renderer
        .locale
        .get_attr("search_label")
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "search".into());
    ctx.page(
        "search.html",
        URL,
        context! {
            kind => "search",
            title => title,
            canonical => site.config.permalink(URL),
            canonical_path => URL,
            current_nav => URL,
            units => units,
            index_url => site.config.href(&format!("/{}/", crate::routes::SEARCH_INDEX_DIR)),
        },
    )?;
    Ok(1)
}
