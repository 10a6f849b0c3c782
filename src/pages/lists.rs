//! Home page, section pages, the 404 page, and the files copied as they are.

use minijinja::{Value, context};
use rayon::prelude::*;

use super::BuildContext;
use crate::diagnostics::Diagnostic;
use crate::render::views::{Link, cards};

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let newest: Vec<usize> = (0..site.reports.len().min(site.config.archive.home_count)).collect();
    let sections: Vec<Value> = site.sections[0]
        .children
        .iter()
        .map(|&c| {
            let s = &site.sections[c];
            context! { title => &s.title, url => site.config.href(&s.url), description => &s.description, count => s.reports.len() }
        })
        .collect();
    ctx.page_showing(
        "index.html",
        "/",
        &newest,
        context! {
            kind => "home",
            title => &site.config.title,
            description => &site.config.description,
            canonical => site.config.permalink("/"),
            reports => crate::render::to_value(cards(site, &newest)),
            sections => sections,
        },
    )?;
    let count: usize = site
        .sections
        .par_iter()
        .skip(1)
        .map(|s| {
            if !ctx.wants(&s.url) {
                return Ok(0);
            }
            let mut breadcrumbs = Vec::new();
            let mut parent = s.parent;
            while let Some(p) = parent.filter(|&p| p != 0) {
                breadcrumbs.push(Link {
                    title: site.sections[p].title.clone(),
                    url: site.config.href(&site.sections[p].url),
                });
                parent = site.sections[p].parent;
            }
            breadcrumbs.reverse();
            let children: Vec<Value> = s
                .children
                .iter()
                .map(|&c| {
                    let c = &site.sections[c];
                    context! { title => &c.title, url => site.config.href(&c.url), count => c.reports.len() }
                })
                .collect();
            ctx.page_showing(
                "section.html",
                &s.url,
                &s.reports,
                context! {
                    kind => "section",
                    title => &s.title,
                    description => &s.description,
                    canonical => site.config.permalink(&s.url),
                    breadcrumbs => crate::render::to_value(&breadcrumbs),
                    reports => crate::render::to_value(cards(site, &s.reports)),
                    children => children,
                },
            )
            .map(|_| 1)
        })
        .sum::<Result<usize, Diagnostic>>()?;
    ctx.page(
        "404.html",
        "/404.html",
        context! { kind => "404", title => "404", canonical => site.config.permalink("/404.html") },
    )?;
    Ok(count + 2)
}

/// Theme and site static files, then the content files published pages link to.
pub fn write_assets(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    for (rel, source) in &ctx.renderer.statics {
        match source {
            crate::render::theme::FileSource::Disk(path) => ctx.out.copy(rel, path)?,
            crate::render::theme::FileSource::Embedded(bytes) => ctx.out.write(rel, bytes)?,
        }
    }
    super::assets::published(ctx.site, ctx.rendered)
        .par_iter()
        .try_for_each(|a| {
            ctx.out.copy(&a.output, &a.file).map_err(|d| {
                if d.file.is_none() {
                    d.in_file(&a.file)
                } else {
                    d
                }
            })
        })?;
    Ok(0)
}
