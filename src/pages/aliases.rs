//! Old addresses (`aliases` in front matter) become static redirect pages:
//! an immediate meta refresh, a canonical link to the report, a visible link
//! for browsers that do not follow refreshes, and `noindex`.

use minijinja::context;
use rayon::prelude::*;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::model::{alias_output_path, output_path};

/// `<base>page/1/` of a paginated list redirects to `<base>`, so a hand-typed
/// or computed first-page address works too.
pub fn write_first_page_redirect(
    ctx: &BuildContext,
    base: &str,
    title: &str,
) -> Result<(), Diagnostic> {
    let rel = output_path(&format!("{base}page/1/"));
    if !ctx.wants_rel(&rel) {
        return Ok(());
    }
    let html = ctx.renderer.render(
        "alias.html",
        context! {
            kind => "alias",
            title => title,
            url => ctx.site.config.href(base),
            canonical => ctx.site.config.permalink(base),
        },
    )?;
    ctx.write_rel(&rel, &html, &[])
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    site.aliases
        .par_iter()
        .map(|a| {
            let r = &site.reports[a.report];
            let rel = alias_output_path(&a.path);
            if !ctx.wants_rel(&rel) {
                return Ok(0);
            }
            let html = ctx.renderer.render(
                "alias.html",
                context! {
                    kind => "alias",
                    title => &r.meta.title,
                    url => site.config.href(&r.url),
                    canonical => &r.permalink,
                    old_path => &a.path,
                },
            )?;
            ctx.write_rel(&rel, &html, &[a.report])
                .map_err(|d| d.in_file(&r.file))?;
            Ok(1)
        })
        .sum()
}
