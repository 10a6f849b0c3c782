//! Tables as Word and LibreOffice lay them out: a rectangle of positions, each
//! knowing the cell that covers it, built from rows of cells with HTML
//! `colspan`/`rowspan` or Word `gridSpan`/`vMerge`/`hMerge`. Building is
//! linear in the number of positions (the open merge of each column is kept,
//! never searched for) and bounded by [`Limits::table_cells`](super::limits::Limits).

use crate::i18n::tr;

/// One cell as the document wrote it: its text and the positions it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub row: usize,
    pub col: usize,
    pub colspan: usize,
    pub rowspan: usize,
}

/// A rectangular table: `cells` are the cells as written (reading order), and
/// every position of the rectangle names the cell covering it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableGrid {
    pub cells: Vec<Cell>,
    width: usize,
    height: usize,
    /// `height × width` indexes into `cells`; [`HOLE`] where a short row left a gap.
    positions: Vec<u32>,
}

const HOLE: u32 = u32::MAX;

impl TableGrid {
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The index in `cells` of the cell covering a position, if any.
    pub fn origin(&self, row: usize, col: usize) -> Option<usize> {
        if col >= self.width {
            return None;
        }
        let at = *self.positions.get(row * self.width + col)?;
        (at != HOLE).then_some(at as usize)
    }

    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        self.origin(row, col).map(|i| &self.cells[i])
    }

    pub fn has_merged_cells(&self) -> bool {
        self.cells.iter().any(|c| c.colspan > 1 || c.rowspan > 1)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }

    /// The text of the cell covering a position ("" for a hole).
    pub fn text_at(&self, row: usize, col: usize) -> &str {
        self.cell_at(row, col).map_or("", |c| c.text.as_str())
    }

    /// Every position with the text of the cell covering it (borrowed: a
    /// merged cell's text is never copied per position).
    pub fn texts(&self) -> Vec<Vec<&str>> {
        (0..self.height())
            .map(|r| (0..self.width).map(|c| self.text_at(r, c)).collect())
            .collect()
    }

    /// Whether a position is where its cell starts (false for covered positions and holes).
    pub fn is_origin(&self, row: usize, col: usize) -> bool {
        self.cell_at(row, col)
            .is_some_and(|c| c.row == row && c.col == col)
    }

    /// Every position with the index of the cell covering it (holes get an
    /// index of their own), for a recogniser that must tell a merged cell
    /// from equal neighbours.
    pub fn origins(&self) -> Vec<Vec<usize>> {
        let mut hole = self.cells.len();
        (0..self.height())
            .map(|r| {
                (0..self.width)
                    .map(|c| {
                        self.origin(r, c).unwrap_or_else(|| {
                            hole += 1;
                            hole
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

/// A table that would cover more positions than the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    pub limit: usize,
}

impl TooLarge {
    pub fn message(&self) -> String {
        tr("import.table-too-large", &[("limit", &self.limit)])
    }
}

/// A vertical merge in Word: `Restart` begins one, `Continue` joins the cell above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VMerge {
    Restart,
    Continue,
}

/// Builds a [`TableGrid`] row by row.
pub struct GridBuilder {
    limit: usize,
    cells: Vec<Cell>,
    rows: Vec<Vec<u32>>,
    row: Vec<u32>,
    width: usize,
    /// Per column, an HTML rowspan still open: (rows left, cell).
    open_rows: Vec<(usize, u32)>,
    /// Per column, the Word cell a `vMerge` continuation joins.
    open_merge: Vec<Option<u32>>,
}

impl GridBuilder {
    pub fn new(limit: usize) -> Self {
        GridBuilder {
            limit,
            cells: Vec::new(),
            rows: Vec::new(),
            row: Vec::new(),
            width: 0,
            open_rows: Vec::new(),
            open_merge: Vec::new(),
        }
    }

    /// The rectangle with `extra` more positions on the current row still fits.
    fn room(&self, len: usize) -> Result<(), TooLarge> {
        let width = self.width.max(len);
        let height = self.rows.len() + 1;
        match width.checked_mul(height) {
            Some(n) if n <= self.limit => Ok(()),
            _ => Err(TooLarge { limit: self.limit }),
        }
    }

    /// Starts a row; positions still covered by an HTML rowspan from above are filled.
    pub fn start_row(&mut self) -> Result<(), TooLarge> {
        self.room(0)?;
        self.row.clear();
        let covered = self.open_rows.iter().rposition(|(left, _)| *left > 0);
        if let Some(last) = covered {
            self.room(last + 1)?;
            self.row.resize(last + 1, HOLE);
            for (col, (left, cell)) in self.open_rows.iter_mut().enumerate().take(last + 1) {
                if *left > 0 {
                    *left -= 1;
                    self.row[col] = *cell;
                    // Counted once per row, even where an overlapping cell
                    // took the column it started in.
                    let origin = &mut self.cells[*cell as usize];
                    if origin.row + origin.rowspan == self.rows.len() {
                        origin.rowspan += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Puts `cell` over `span` positions from `col` of the current row.
    fn place(&mut self, col: usize, span: usize, cell: u32) -> Result<(), TooLarge> {
        let end = col
            .checked_add(span)
            .ok_or(TooLarge { limit: self.limit })?;
        self.room(end)?;
        if self.row.len() < end {
            self.row.resize(end, HOLE);
        }
        self.row[col..end].fill(cell);
        Ok(())
    }

    fn new_cell(&mut self, text: String, col: usize, span: usize) -> u32 {
        self.cells.push(Cell {
            text,
            row: self.rows.len(),
            col,
            colspan: span,
            rowspan: 1,
        });
        (self.cells.len() - 1) as u32
    }

    /// An HTML cell: placed at the first free position; `rowspan` 0 runs to the end.
    pub fn html_cell(
        &mut self,
        text: String,
        colspan: usize,
        rowspan: usize,
    ) -> Result<(), TooLarge> {
        let mut col = 0;
        while self.row.get(col).is_some_and(|c| *c != HOLE) {
            col += 1;
        }
        let span = colspan.max(1);
        let end = col
            .checked_add(span)
            .ok_or(TooLarge { limit: self.limit })?;
        // A cell overlapping a rowspan from above is laid over it, as browsers do.
        self.room(end)?;
        let cell = self.new_cell(text, col, span);
        self.place(col, span, cell)?;
        if rowspan != 1 {
            if self.open_rows.len() < end {
                self.open_rows.resize(end, (0, HOLE));
            }
            let left = if rowspan == 0 {
                usize::MAX
            } else {
                rowspan - 1
            };
            self.open_rows[col..end].fill((left, cell));
        }
        Ok(())
    }

    /// A Word cell at grid column `col` (after `gridBefore` and the cells
    /// before it); returns the column after it.
    pub fn word_cell(
        &mut self,
        text: String,
        col: usize,
        span: usize,
        vmerge: Option<VMerge>,
    ) -> Result<usize, TooLarge> {
        let span = span.max(1);
        let end = col
            .checked_add(span)
            .ok_or(TooLarge { limit: self.limit })?;
        self.room(end)?;
        if self.open_merge.len() < end {
            self.open_merge.resize(end, None);
        }
        let above = self.open_merge[col];
        let cell = match (vmerge, above) {
            (Some(VMerge::Continue), Some(above)) => {
                let origin = &mut self.cells[above as usize];
                // A merge counts a row once, however many columns it spans.
                if origin.row + origin.rowspan == self.rows.len() {
                    origin.rowspan += 1;
                }
                above
            }
            _ => self.new_cell(text, col, span),
        };
        self.place(col, span, cell)?;
        let open = (vmerge.is_some()).then_some(cell);
        self.open_merge[col..end].fill(open);
        Ok(end)
    }

    /// A legacy `w:hMerge` continuation: the previous cell of the row grows by `span`.
    pub fn word_hmerge(&mut self, col: usize, span: usize) -> Result<usize, TooLarge> {
        let Some(&prev) = col.checked_sub(1).and_then(|c| self.row.get(c)) else {
            return self.word_cell(String::new(), col, span, None);
        };
        if prev == HOLE {
            return self.word_cell(String::new(), col, span, None);
        }
        let end = col
            .checked_add(span.max(1))
            .ok_or(TooLarge { limit: self.limit })?;
        self.place(col, end - col, prev)?;
        let origin = &mut self.cells[prev as usize];
        if origin.row == self.rows.len() {
            origin.colspan += end - col;
        }
        Ok(end)
    }

    pub fn end_row(&mut self) {
        self.width = self.width.max(self.row.len());
        self.rows.push(std::mem::take(&mut self.row));
    }

    /// The rectangle; short rows are padded with holes, rowspans past the
    /// last row end with it (as in HTML).
    pub fn finish(self) -> TableGrid {
        let width = self.width;
        let height = self.rows.len();
        let mut positions = Vec::with_capacity(width * self.rows.len());
        for mut row in self.rows {
            row.resize(width, HOLE);
            positions.extend(row);
        }
        TableGrid {
            cells: self.cells,
            width,
            height,
            positions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(rows: &[&[(&str, usize, usize)]]) -> TableGrid {
        let mut b = GridBuilder::new(1000);
        for row in rows {
            b.start_row().unwrap();
            for (t, c, r) in *row {
                b.html_cell(t.to_string(), *c, *r).unwrap();
            }
            b.end_row();
        }
        b.finish()
    }

    #[test]
    fn html_spans_fill_the_rectangle() {
        let g = html(&[
            &[("项目", 1, 2), ("数量", 2, 1)],
            &[("本年", 1, 1), ("累计", 1, 1)],
        ]);
        assert_eq!(
            g.texts(),
            vec![vec!["项目", "数量", "数量"], vec!["项目", "本年", "累计"]]
        );
        assert_eq!(g.cells[0].rowspan, 2);
        assert_eq!(g.origin(1, 0), Some(0));
    }

    #[test]
    fn rowspans_past_the_end_are_clipped() {
        let g = html(&[&[("a", 1, 5), ("b", 1, 1)], &[("c", 1, 1)]]);
        assert_eq!(g.height(), 2);
        assert_eq!(g.cells[0].rowspan, 2);
        assert_eq!(g.texts()[1], vec!["a", "c"]);
    }

    #[test]
    fn word_merges_down_and_across() {
        let mut b = GridBuilder::new(1000);
        // | A (2 wide, restart) | B |
        // | A (continue)        | C |
        // | D | E | F |
        let rows: Vec<Vec<(&str, usize, Option<VMerge>)>> = vec![
            vec![("A", 2, Some(VMerge::Restart)), ("B", 1, None)],
            vec![("", 2, Some(VMerge::Continue)), ("C", 1, None)],
            vec![("D", 1, None), ("E", 1, None), ("F", 1, None)],
        ];
        for row in rows {
            b.start_row().unwrap();
            let mut col = 0;
            for (t, span, v) in row {
                col = b.word_cell(t.into(), col, span, v).unwrap();
            }
            b.end_row();
        }
        let g = b.finish();
        assert_eq!(
            g.texts(),
            vec![
                vec!["A", "A", "B"],
                vec!["A", "A", "C"],
                vec!["D", "E", "F"]
            ]
        );
        assert_eq!((g.cells[0].colspan, g.cells[0].rowspan), (2, 2));
    }

    #[test]
    fn a_huge_span_is_refused_before_any_allocation() {
        let mut b = GridBuilder::new(1000);
        b.start_row().unwrap();
        assert_eq!(
            b.word_cell("x".into(), 0, 50_000_000, None),
            Err(TooLarge { limit: 1000 })
        );
        let mut b = GridBuilder::new(1000);
        b.start_row().unwrap();
        b.html_cell("x".into(), 100, 1).unwrap();
        b.end_row();
        for _ in 0..9 {
            b.start_row().unwrap();
            b.end_row();
        }
        assert!(b.start_row().is_err());
    }

    proptest::proptest! {
        /// Whatever the spans, the grid is a rectangle within the limit and
        /// every position covered by a cell lies inside that cell's span.
        #[test]
        fn any_spans_give_a_consistent_rectangle(
            rows in proptest::collection::vec(
                proptest::collection::vec((1usize..6, 0usize..5), 0..6), 0..8)
        ) {
            let mut b = GridBuilder::new(400);
            let mut refused = false;
            'rows: for row in &rows {
                if b.start_row().is_err() { refused = true; break; }
                for (c, r) in row {
                    if b.html_cell("x".into(), *c, *r).is_err() { refused = true; break 'rows; }
                }
                b.end_row();
            }
            let g = b.finish();
            proptest::prop_assert!(g.width() * g.height() <= 400);
            if !refused {
                proptest::prop_assert_eq!(g.height(), rows.len());
            }
            for r in 0..g.height() {
                for c in 0..g.width() {
                    if let Some(cell) = g.cell_at(r, c) {
                        proptest::prop_assert!(cell.row <= r && r < cell.row + cell.rowspan);
                        proptest::prop_assert!(cell.col <= c);
                    }
                }
            }
        }
    }
}
