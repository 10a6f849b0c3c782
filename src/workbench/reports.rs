//! Reports: every report by year and unit, with its status (draft, published,
//! findings) and links to its page, print page, source and form.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use serde::Serialize;

use super::state::Workbench;
use super::{files, findings, views};
use crate::http_server::Response;
use crate::i18n::tr;
use crate::pipeline::load_site;

#[derive(Serialize)]
struct Row {
    title: String,
    date: String,
    draft: bool,
    errors: usize,
    warnings: usize,
    edit: String,
    source: String,
    file: String,
    page: String,
    print: String,
}

/// year → unit → reports
type Years = BTreeMap<std::cmp::Reverse<i32>, BTreeMap<String, Vec<Row>>>;

pub fn page(wb: &Workbench) -> Response {
    let title = tr("wb.nav-reports", &[]);
    let site = match load_site(&wb.build_options()) {
        Ok((site, _)) => site,
        Err(errors) => {
            let messages: Vec<String> =
                errors.sorted().into_iter().map(|d| d.to_string()).collect();
            return views::page(
                "reports.html",
                &title,
                "",
                context! { years => Vec::<()>::new(), broken => messages },
            );
        }
    };
    let found = findings::collect(wb);
    let mut years = Years::new();
    for report in &site.reports {
        let rel = files::content_rel(&wb.root, &report.file);
        let of_file = found.get(&format!("content/{rel}"));
        let count =
            |error: bool| of_file.map_or(0, |f| f.iter().filter(|x| x.error == error).count());
        let q = views::query(&[("file", &rel)]);
        let row = Row {
            title: report.meta.title.clone(),
            date: report.meta.date.format("%Y-%m-%d").to_string(),
            draft: report.meta.draft,
            errors: count(true),
            warnings: count(false),
            edit: format!("{}edit{q}", super::state::PREFIX),
            source: format!("{}source{q}", super::state::PREFIX),
            file: format!("content/{rel}"),
            page: if report.meta.draft && !wb.drafts {
                String::new()
            } else {
                report.url.clone()
            },
            print: if report.meta.draft && !wb.drafts {
                String::new()
            } else {
                report.print_url.clone()
            },
        };
        let unit = site.units[report.unit].name.clone();
        years
            .entry(std::cmp::Reverse(report.meta.year))
            .or_default()
            .entry(unit)
            .or_default()
            .push(row);
    }
    let years: Vec<_> = years
        .into_iter()
        .map(|(y, units)| context! { year => y.0, units => Value::from(minijinja::value::Serde(units.into_iter().collect::<Vec<_>>())) })
        .collect();
    views::page(
        "reports.html",
        &title,
        "",
        context! { years, broken => Vec::<String>::new() },
    )
}
