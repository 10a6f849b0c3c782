//! QR codes made at build time as inline SVG, so no page asks a third-party
//! service to draw one. One `<path>` of merged horizontal runs in module units
//! keeps the markup small; `crispEdges` keeps module edges sharp when scaled.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;

/// Light modules around the code; the standard asks for four.
const QUIET_ZONE: usize = 4;

/// An accessible inline SVG of a QR code for `url`; `label` precedes the URL in
/// the accessible name (e.g. "本页二维码，链接：").
pub fn svg(url: &str, label: &str) -> Result<String, Diagnostic> {
    let (width, colors) = encode(url).map_err(|e| {
        Diagnostic::error(format!("cannot make a QR code of `{url}`: {e}"))
            .with_help("shorten the address (base_url, folder names or slug)")
    })?;
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    path,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    let name = escape_attr(&format!("{label}{url}"));
    Ok(format!(
        concat!(
            r#"<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{name}" "#,
            r#"viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges">"#,
            r##"<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        ),
        name = name,
        size = size,
        px = size * 4,
        path = path
    ))
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

/// The mask penalty of ISO/IEC 18004 §7.8.3: runs of five or more (N1), 2×2
/// blocks (N2), finder-like 1:1:3:1:1 patterns beside four light modules (N3),
/// and imbalance of dark and light (N4).
fn penalty(colors: &[Color], width: usize) -> u32 {
    let grid: Vec<u8> = colors.iter().map(|&c| u8::from(c == Color::Dark)).collect();
    let mut score = 0;
    let mut line = vec![0u8; width];
    for horizontal in [true, false] {
        for i in 0..width {
            for (j, module) in line.iter_mut().enumerate() {
                *module = if horizontal {
                    grid[i * width + j]
                } else {
                    grid[j * width + i]
                };
            }
            score += line_penalty(&line);
        }
    }
    for y in 0..width.saturating_sub(1) {
        let (top, bottom) = (
            &grid[y * width..][..width],
            &grid[(y + 1) * width..][..width],
        );
        for x in 0..width - 1 {
            let sum = top[x] + top[x + 1] + bottom[x] + bottom[x + 1];
            if sum == 0 || sum == 4 {
                score += 3;
            }
        }
    }
    let dark = grid.iter().filter(|&&m| m == 1).count();
    let percent = dark * 100 / grid.len().max(1);
    score + 10 * (percent.abs_diff(50) / 5) as u32
}

/// N1 and N3 of one row or column. Outside the symbol counts as light (the quiet zone).
fn line_penalty(line: &[u8]) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for j in 1..line.len() {
        if line[j] == line[j - 1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    // An 11-module window over the line padded with four light modules each side:
    // dark-light-dark×3-light-dark with four light modules before or after it.
    const BEFORE: u32 = 0b000_0101_1101;
    const AFTER: u32 = 0b101_1101_0000;
    let mut window = 0u32;
    for j in 0..line.len() + 8 {
        let module = if (4..line.len() + 4).contains(&j) {
            u32::from(line[j - 4])
        } else {
            0
        };
        window = ((window << 1) | module) & 0x7ff;
        if j >= 10 && (window == BEFORE || window == AFTER) {
            score += 40;
        }
    }
    score
}

/// The QR code of every report's canonical URL, in report order.
pub fn for_reports(site: &Site, label: &str) -> Result<Vec<String>, Diagnostics> {
    let results: Vec<Result<String, Diagnostic>> = site
        .reports
        .par_iter()
        .map(|r| svg(&r.permalink, label).map_err(|d| d.in_file(&r.file)))
        .collect();
    let mut diagnostics = Diagnostics::default();
    let mut codes = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => codes.push(s),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(codes)
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
    fn too_long_an_address_is_a_diagnostic() {
        let long = format!("https://a.gov.cn/{}", "x".repeat(5000));
        assert!(svg(&long, "").is_err());
    }
}
