//! The PDFs of print pages (`build --pdf`) as the pages list them: plain data,
//! filled in by the PDF step before the report pages are rendered.

use std::collections::HashMap;

use serde::Serialize;

use crate::render::human_size;

/// What a print page is of: the PDF made from it is listed with that report or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintOf {
    Report(usize),
    Year(usize),
}

/// A PDF in the output.
#[derive(Debug, Clone)]
pub struct PdfFile {
    /// Site path, e.g. `/2022/foo/print/foo.pdf`.
    pub url: String,
    pub bytes: u64,
    pub pages: Option<usize>,
}

/// What templates see of a PDF.
#[derive(Debug, Serialize)]
pub struct PdfView {
    /// The address to link to (with the base URL's path prefix).
    pub url: String,
    /// Human size, e.g. `1.2 MB`.
    pub size: String,
    pub bytes: u64,
    pub pages: Option<usize>,
}

impl PdfFile {
    pub fn view(&self, config: &crate::config::Config) -> PdfView {
        PdfView {
            url: config.href(&self.url),
            size: human_size(self.bytes),
            bytes: self.bytes,
            pages: self.pages,
        }
    }
}

/// The PDFs of one build, by what they print; empty without `--pdf`.
#[derive(Debug, Default)]
pub struct PdfIndex {
    files: HashMap<PrintOf, PdfFile>,
}

impl PdfIndex {
    /// The index of a build without `--pdf`.
    pub fn empty() -> &'static PdfIndex {
        static EMPTY: std::sync::LazyLock<PdfIndex> = std::sync::LazyLock::new(PdfIndex::default);
        &EMPTY
    }

    pub fn insert(&mut self, of: PrintOf, file: PdfFile) {
        self.files.insert(of, file);
    }

    pub fn get(&self, of: PrintOf) -> Option<&PdfFile> {
        self.files.get(&of)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
