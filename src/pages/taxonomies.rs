//! Tags and categories: `/tags/`, `/tags/<slug>/`, `/categories/`,
//! `/categories/<slug>/`. Term pages are paginated like year archives.

use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::BuildContext;
use super::listing::{
    Pagination, label, page_ranges, page_url, paged_title, pinyin_ranks, sort_by_rank,
};
use crate::diagnostics::Diagnostic;
use crate::model::Term;
use crate::render::to_value;
use crate::render::views::{Link, cards};

/// One kind of taxonomy: where it lives and which theme strings name it.
#[derive(Debug, Clone, Copy)]
pub struct Taxonomy {
    pub url: &'static str,
    /// Theme string naming the taxonomy, e.g. `tags` → 标签.
    pub name_key: &'static str,
    /// Theme string for a term page's title, e.g. `tag_title` → 标签：{name}.
    pub term_title_key: &'static str,
    pub kind: &'static str,
}

pub const TAGS: Taxonomy = Taxonomy {
    url: "/tags/",
    name_key: "tags",
    term_title_key: "tag_title",
    kind: "tags",
};

pub const CATEGORIES: Taxonomy = Taxonomy {
    url: "/categories/",
    name_key: "category",
    term_title_key: "category_title",
    kind: "categories",
};

#[derive(Debug, Serialize)]
struct TermEntry<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

pub fn write(ctx: &BuildContext) -> Result<usize, Diagnostic> {
    Ok(write_taxonomy(ctx, TAGS, &ctx.site.tags)?
        + write_taxonomy(ctx, CATEGORIES, &ctx.site.categories)?)
}

fn write_taxonomy(ctx: &BuildContext, tax: Taxonomy, terms: &[Term]) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let locale = &ctx.renderer.locale;
    let mut entries: Vec<TermEntry> = terms
        .iter()
        .map(|t| TermEntry {
            name: &t.name,
            url: site.config.href(&t.url),
            count: t.reports.len(),
        })
        .collect();
    sort_by_rank(
        &mut entries,
        &pinyin_ranks(terms.iter().map(|t| t.name.as_str())),
    );
    ctx.page(
        "taxonomy.html",
        tax.url,
        context! {
            kind => tax.kind,
            title => label(locale, tax.name_key, &[]),
            canonical => site.config.permalink(tax.url),
            canonical_path => tax.url,
            current_nav => tax.url,
            terms => to_value(&entries),
        },
    )?;
    let pages = terms
        .par_iter()
        .map(|t| write_term(ctx, tax, t))
        .sum::<Result<usize, Diagnostic>>()?;
    Ok(pages + 1)
}

fn write_term(ctx: &BuildContext, tax: Taxonomy, term: &Term) -> Result<usize, Diagnostic> {
    let site = ctx.site;
    let locale = &ctx.renderer.locale;
    let title = label(locale, tax.term_title_key, &[("name", &term.name)]);
    let breadcrumbs = [Link {
        title: label(locale, tax.name_key, &[]),
        url: site.config.href(tax.url),
    }];
    let ranges = page_ranges(term.reports.len(), site.config.archive.per_page);
    let total = ranges.len();
    for (n, range) in ranges.into_iter().enumerate() {
        let number = n + 1;
        let url = page_url(&term.url, number);
        let shown = &term.reports[range];
        ctx.page_showing(
            "term.html",
            &url,
            shown,
            context! {
                kind => "term",
                title => paged_title(locale, &title, number),
                canonical => site.config.permalink(&url),
                canonical_path => &url,
                current_nav => tax.url,
                breadcrumbs => to_value(&breadcrumbs),
                term => context! { name => &term.name, count => term.reports.len() },
                reports => to_value(cards(site, shown)),
                pagination => to_value(Pagination::new(&site.config.href(&term.url), number, total)),
            },
        )?;
    }
    if total > 1 {
        super::aliases::write_first_page_redirect(ctx, &term.url, &title)?;
    }
    Ok(total)
}
