//! QR codes made at build time as inline SVG, so no page asks a third-party
//! service to draw one. One `<path>` of merged horizontal runs in module units
//! keeps the markup small; `crispEdges` keeps module edges sharp when scaled.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use crate::model::Site;

/// Light modules around the code; the standard asks for four.
const QUIET_ZONE: usize = 4;

/// An accessible inline SVG of a QR code for `url`; `label` precedes the URL in
/// the accessible name (e.g. "本页二维码，链接：").
pub fn svg(url: &str, label: &str) -> Result<String, Diagnostic> {
    Ok(Symbol::new(url)?.svg(url, label))
}

/// The modules of one QR code, a bit each: a site keeps a code for every report
/// for the whole build, and its SVG is ten times the size (about 5 KB), so the
/// SVG is drawn only when a page shows it.
#[derive(Debug, Clone)]
pub struct Symbol {
    width: usize,
    /// Bit `y * width + x` set = module (x, y) dark.
    dark: Box<[u64]>,
}

/// Why no code can hold `url` (it is too long for the largest symbol).
fn cannot_make(url: &str, error: qrcode::types::QrError) -> Diagnostic {
    Diagnostic::error(tr("qr.cannot-make", &[("url", &url), ("error", &error)]))
        .with_help(tr("qr.cannot-make-help", &[]))
}

/// Whether a code can hold `url`, without drawing it (the choice of mask is
/// most of the cost of a code).
fn check(url: &str) -> Result<(), Diagnostic> {
    qrcode::bits::encode_auto(url.as_bytes(), EcLevel::M)
        .map(|_| ())
        .map_err(|e| cannot_make(url, e))
}

impl Symbol {
    pub fn new(url: &str) -> Result<Symbol, Diagnostic> {
        let (width, colors) = encode(url).map_err(|e| cannot_make(url, e))?;
        let mut dark = vec![0u64; colors.len().div_ceil(64)];
        for (n, c) in colors.iter().enumerate() {
            if *c == Color::Dark {
                dark[n / 64] |= 1 << (n % 64);
            }
        }
        Ok(Symbol {
            width,
            dark: dark.into_boxed_slice(),
        })
    }

    fn is_dark(&self, x: usize, y: usize) -> bool {
        let n = y * self.width + x;
        self.dark[n / 64] >> (n % 64) & 1 == 1
    }

    /// The inline SVG of this code of `url`, labelled as [`svg`] says.
    pub fn svg(&self, url: &str, label: &str) -> String {
        let width = self.width;
        let size = width + 2 * QUIET_ZONE;
        let mut path = String::with_capacity(width * width);
        for y in 0..width {
            let mut x = 0;
            while x < width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < width && self.is_dark(x, y) {
                        x += 1;
                    }
                    // `M{x} {y}h{run}v1h-{run}z`, without `write!`: drawing
                    // codes was a tenth of a build's time in number formatting.
                    let run = x - start;
                    path.push('M');
                    push_number(&mut path, start + QUIET_ZONE);
                    path.push(' ');
                    push_number(&mut path, y + QUIET_ZONE);
                    path.push('h');
                    push_number(&mut path, run);
                    path.push_str("v1h-");
                    push_number(&mut path, run);
                    path.push('z');
                } else {
                    x += 1;
                }
            }
        }
        let name = escape_attr(&format!("{label}{url}"));
        format!(
            concat!(
                r#"<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{name}" "#,
                r#"viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges">"#,
                r##"<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
            ),
            name = name,
            size = size,
            px = size * 4,
            path = path
        )
    }
}

/// Appends `n` in decimal (a module coordinate: at most three digits).
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The QR code of every report's canonical URL, in report order, with the
/// label of their accessible names. Each is drawn the first time a page shows
/// it: a build after an edit renders the pages of a few reports only.
#[derive(Debug, Clone, Default)]
pub struct ReportCodes {
    label: String,
    codes: Vec<(String, std::sync::OnceLock<Option<Symbol>>)>,
}

impl ReportCodes {
    /// The inline SVG of report `index`'s code (empty for a report unknown
    /// here; every address was checked to fit a code when the codes were made).
    pub fn svg(&self, index: usize) -> String {
        let Some((url, symbol)) = self.codes.get(index) else {
            return String::new();
        };
        match symbol.get_or_init(|| Symbol::new(url).ok()) {
            Some(symbol) => symbol.svg(url, &self.label),
            None => String::new(),
        }
    }
}

/// The modules of a QR code of `url`, row by row, and its width.
///
/// Level M survives smudges on paper and keeps typical URLs at a small version.
/// The mask is chosen by the penalty rules of ISO/IEC 18004 like the crate's own
/// `apply_best_mask`, but scored on a plain grid: that step dominated build time
/// (about 2 ms a code), and a site has a code for every report.
fn encode(url: &str) -> qrcode::types::QrResult<(usize, Vec<Color>)> {
    let bits = qrcode::bits::encode_auto(url.as_bytes(), EcLevel::M)?;
    let version = bits.version();
    let ec_level = EcLevel::M;
    let data = bits.into_bytes();
    let (data, ec) = qrcode::ec::construct_codewords(&data, version, ec_level)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).unwrap_or(0);
    if width > FAST_WIDTH {
        // Addresses of hundreds of characters: rare enough for the crate's own scoring.
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
        return Ok((code.width(), code.to_colors()));
    }
    let best = MASKS
        .iter()
        .map(|&mask| {
            let mut c = canvas.clone();
            c.apply_mask(mask);
            let colors = c.into_colors();
            (penalty(&colors, width), colors)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, colors)| colors)
        .unwrap_or_default();
    Ok((width, best))
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Widest symbol scored here: a row plus four light modules on each side fits a `u128`.
const FAST_WIDTH: usize = 120;

/// The mask penalty of ISO/IEC 18004 §7.8.3: runs of five or more (N1), 2×2
/// blocks (N2), finder-like 1:1:3:1:1 patterns beside four light modules (N3),
/// and imbalance of dark and light (N4). Rows and columns are bit masks (bit x
/// set = module x dark), so each rule is a handful of word operations per line.
fn penalty(colors: &[Color], width: usize) -> u32 {
    let full: u128 = (1u128 << width) - 1;
    let mut rows = vec![0u128; width];
    let mut cols = vec![0u128; width];
    for (y, row) in colors.chunks_exact(width).enumerate() {
        for (x, &c) in row.iter().enumerate() {
            if c == Color::Dark {
                rows[y] |= 1 << x;
                cols[x] |= 1 << y;
            }
        }
    }
    let mut score: u32 = rows
        .iter()
        .chain(&cols)
        .map(|&line| line_penalty(line, width, full))
        .sum();
    // N2: bit x of `dark`/`light` = the 2×2 block whose top-left module is x.
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (la, lb) = (!a & full, !b & full);
        let dark = a & (a >> 1) & b & (b >> 1);
        let light = la & (la >> 1) & lb & (lb >> 1);
        score += 3 * ((dark | light) & (full >> 1)).count_ones();
    }
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = dark as usize * 100 / (width * width);
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

/// N1 and N3 of one row or column. Outside the symbol counts as light (the quiet zone).
fn line_penalty(line: u128, width: usize, full: u128) -> u32 {
    let mut score = 0;
    // N1: a run of n ≥ 5 scores n − 2: it has n − 4 starts of five in a row, plus 2.
    for same in [line, !line & full] {
        let five = same & (same >> 1) & (same >> 2) & (same >> 3) & (same >> 4);
        let runs = five & !(five << 1);
        score += five.count_ones() + 2 * runs.count_ones();
    }
    // N3: 1011101 with four light modules before or after it, in the line padded
    // by four light modules each side; bit p of `hits` = a match starting at p.
    let padded = line << 4;
    let starts = (1u128 << (width - 2)) - 1;
    for pattern in [
        [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1],
        [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0],
    ] {
        let mut hits = starts;
        for (k, &dark) in pattern.iter().enumerate() {
            let at = padded >> k;
            hits &= if dark == 1 { at } else { !at };
        }
        score += 40 * hits.count_ones();
    }
    score
}

/// The QR code of every report's canonical URL, in report order; an address
/// no code can hold is an error now, though codes are drawn only when shown.
pub fn for_reports(site: &Site, label: &str) -> Result<ReportCodes, Diagnostics> {
    let results: Vec<Result<(), Diagnostic>> = site
        .reports
        .par_iter()
        .map(|r| check(&r.permalink).map_err(|d| d.in_file(&r.file)))
        .collect();
    let mut diagnostics = Diagnostics::default();
    let mut codes = Vec::with_capacity(results.len());
    for (r, result) in site.reports.iter().zip(results) {
        match result {
            Ok(()) => codes.push((r.permalink.clone(), std::sync::OnceLock::new())),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(ReportCodes {
            label: label.to_string(),
            codes,
        })
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_labelled_and_has_a_quiet_zone() {
        let s = svg("https://a.gov.cn/2022/x/?a=1&b=2", "二维码：").unwrap();
        assert!(s.starts_with("<svg "));
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains(r#"aria-label="二维码：https://a.gov.cn/2022/x/?a=1&amp;b=2""#));
        // The finder pattern's top-left corner sits after four light modules.
        assert!(s.contains(r#"d="M4 4h7v1h-7z"#), "{s}");
    }

    #[test]
    fn mask_choice_matches_the_crate() {
        // Same rules as qrcode's own apply_best_mask, so the same symbol most of the time.
        let mut same = 0;
        for i in 0..20 {
            let url = format!("https://www.example.gov.cn/2022/report-{i}/");
            let (width, ours) = encode(&url).unwrap();
            let theirs = qrcode::QrCode::with_error_correction_level(&url, EcLevel::M).unwrap();
            assert_eq!(width, theirs.width());
            same += usize::from(ours == theirs.to_colors());
        }
        assert!(same >= 15, "only {same} of 20 agree");
    }

    #[test]
    fn penalty_rules_score_known_lines() {
        let w = 12;
        let full = (1u128 << w) - 1;
        // Dark run of 6 (scores 4) and light run of 6 (scores 4).
        assert_eq!(line_penalty(0b0000_0011_1111, w, full), 8);
        // 1011101 at the start of the line, light after it and before it (the quiet zone).
        let finder = 0b1011101;
        assert_eq!(line_penalty(finder, w, full), 80 + 3);
        // Long addresses go through the crate's own mask choice.
        let long = format!("https://a.gov.cn/{}", "x".repeat(1000));
        assert!(encode(&long).unwrap().0 > FAST_WIDTH);
    }

    #[test]
    fn too_long_an_address_is_a_diagnostic() {
        let long = format!("https://a.gov.cn/{}", "x".repeat(5000));
        assert!(svg(&long, "").is_err());
        assert!(check(&long).is_err());
        assert!(check("https://a.gov.cn/2022/x/").is_ok());
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 177, 1234] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn a_code_drawn_when_shown_is_the_code_drawn_at_once() {
        let url = "https://a.gov.cn/2022/x/";
        let codes = ReportCodes {
            label: "二维码：".to_string(),
            codes: vec![(url.to_string(), std::sync::OnceLock::new())],
        };
        assert_eq!(codes.svg(0), svg(url, "二维码：").unwrap());
        assert_eq!(codes.svg(0), codes.svg(0));
        assert_eq!(codes.svg(1), "");
    }
}
