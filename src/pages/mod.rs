//! Every kind of output file, one module each. They read the model and the
//! rendered Markdown and write through `Output`; none scans all reports per page.

pub mod lists;
pub mod report;
pub mod search;

use minijinja::Value;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Rendered;
use crate::model::{Site, output_path};
use crate::output::Output;
use crate::render::Renderer;

/// What every page writer needs.
pub struct BuildContext<'a> {
    pub site: &'a Site,
    pub rendered: &'a [Rendered],
    pub renderer: &'a Renderer,
    pub out: &'a Output,
}

impl BuildContext<'_> {
    /// Renders `template` for the page at site path `url` and writes it.
    pub fn page(&self, template: &str, url: &str, ctx: Value) -> Result<(), Diagnostic> {
        let html = self.renderer.render(template, ctx)?;
        self.out.write(&output_path(url), html.as_bytes())
    }
}

/// Writes the whole site; returns how many pages were rendered.
pub fn write_all(ctx: &BuildContext) -> Result<usize, Diagnostics> {
    type Writer = fn(&BuildContext) -> Result<usize, Diagnostic>;
    let writers: &[Writer] = &[
        report::write,
        lists::write,
        lists::write_assets,
        search::write,
    ];
    let results: Vec<Result<usize, Diagnostic>> = writers.par_iter().map(|w| w(ctx)).collect();
    let mut diagnostics = Diagnostics::default();
    let mut pages = 0;
    for r in results {
        match r {
            Ok(n) => pages += n,
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(pages)
    }
}
