//! One Word table being read: its cells' properties (`gridSpan`, `vMerge`,
//! `hMerge`, the row's `gridBefore`) collected per row, then laid out by the
//! [`GridBuilder`] when the row ends (a row deleted by a tracked change is
//! dropped whole).

use quick_xml::events::BytesStart;

use super::docx_xml::attr;
use super::grid::{GridBuilder, TableGrid, TooLarge, VMerge};

struct PendingCell {
    texts: Vec<String>,
    span: usize,
    vmerge: Option<VMerge>,
    /// A legacy horizontal merge continuation: joins the cell on its left.
    hmerge_continue: bool,
}

pub struct TableState {
    builder: GridBuilder,
    row: Vec<PendingCell>,
    cell: Option<PendingCell>,
    grid_before: usize,
    /// The row is left out (a tracked insertion rejected, or deletion accepted).
    pub drop_row: bool,
    /// Images in the table's cells (relationship ids), shown after the table.
    pub images: Vec<String>,
}

impl TableState {
    pub fn new(limit: usize) -> Self {
        TableState {
            builder: GridBuilder::new(limit),
            row: Vec::new(),
            cell: None,
            grid_before: 0,
            drop_row: false,
            images: Vec::new(),
        }
    }

    pub fn start(&mut self, name: &[u8], e: &BytesStart) {
        let number = || attr(e, b"val").and_then(|v| v.trim().parse::<usize>().ok());
        match name {
            b"tr" => {
                self.row.clear();
                self.grid_before = 0;
                self.drop_row = false;
            }
            b"tc" => {
                self.cell = Some(PendingCell {
                    texts: Vec::new(),
                    span: 1,
                    vmerge: None,
                    hmerge_continue: false,
                })
            }
            b"gridBefore" => self.grid_before = number().unwrap_or(0),
            b"gridSpan" => {
                if let (Some(c), Some(n)) = (self.cell.as_mut(), number()) {
                    c.span = n.max(1);
                }
            }
            b"vMerge" => {
                if let Some(c) = self.cell.as_mut() {
                    c.vmerge = Some(match attr(e, b"val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    });
                }
            }
            b"hMerge" => {
                if let Some(c) = self.cell.as_mut() {
                    c.hmerge_continue = attr(e, b"val").as_deref() != Some("restart");
                }
            }
            _ => {}
        }
    }

    pub fn reset_cell_properties(&mut self) {
        if let Some(c) = self.cell.as_mut() {
            c.span = 1;
            c.vmerge = None;
            c.hmerge_continue = false;
        }
    }

    /// Text of a paragraph (or nested table) in the current cell.
    pub fn add_text(&mut self, text: String) {
        if let Some(c) = self.cell.as_mut() {
            c.texts.push(text);
        }
    }

    pub fn end(&mut self, name: &[u8]) -> Result<(), TooLarge> {
        match name {
            b"tc" => {
                if let Some(c) = self.cell.take() {
                    self.row.push(c);
                }
            }
            b"tr" => {
                let cells = std::mem::take(&mut self.row);
                if std::mem::take(&mut self.drop_row) {
                    return Ok(());
                }
                self.builder.start_row()?;
                let mut col = self.grid_before;
                for c in cells {
                    col = if c.hmerge_continue {
                        self.builder.word_hmerge(col, c.span)?
                    } else {
                        self.builder
                            .word_cell(c.texts.join("\n"), col, c.span, c.vmerge)?
                    };
                }
                self.builder.end_row();
            }
            _ => {}
        }
        Ok(())
    }

    /// The laid-out table and the images its cells held.
    pub fn finish(self) -> (TableGrid, Vec<String>) {
        (self.builder.finish(), self.images)
    }
}
