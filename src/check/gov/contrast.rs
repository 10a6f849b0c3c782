//! Contrast of a theme's colours, read from the CSS custom properties of its
//! stylesheet (`:root { --ink: #1a1a1a; … }` and the high-contrast block), so
//! a site that recolours the theme learns before publishing that its text no
//! longer reaches 4.5:1 (7:1 in high-contrast mode).

use std::collections::BTreeMap;

/// Text colours against the backgrounds they are drawn on in the `gov` theme;
/// a name is a custom property, `#…` a fixed colour. Pairs whose property a
/// stylesheet does not define are skipped.
pub const PAIRS: &[(&str, &str)] = &[
    ("ink", "paper"),
    ("muted", "paper"),
    ("link", "paper"),
    ("visited", "paper"),
    ("ink", "tint"),
    ("muted", "tint"),
    ("link", "tint"),
    ("#ffffff", "red"),
];

/// Where the theme switches to high contrast.
const HIGH_CONTRAST: &str = "html[data-contrast=\"high\"]";

/// A pair of colours below the contrast it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct LowContrast {
    pub foreground: String,
    pub background: String,
    pub ratio: f64,
    pub minimum: f64,
    pub high_contrast_mode: bool,
}

/// Every pair of `css` below 4.5:1 in the normal colours or 7:1 in the
/// high-contrast ones.
pub fn problems(css: &str) -> Vec<LowContrast> {
    let normal = properties(css, ":root");
    let mut high = normal.clone();
    high.extend(properties(css, HIGH_CONTRAST));
    let mut out = Vec::new();
    let has_high = css.contains(HIGH_CONTRAST);
    for (colours, minimum, high_mode) in [(&normal, 4.5, false), (&high, 7.0, true)] {
        if high_mode && !has_high {
            continue;
        }
        for (fg, bg) in PAIRS {
            let (Some(f), Some(b)) = (colour(colours, fg), colour(colours, bg)) else {
                continue;
            };
            let ratio = contrast(f, b);
            if ratio + 1e-9 < minimum {
                out.push(LowContrast {
                    foreground: label(colours, fg),
                    background: label(colours, bg),
                    ratio: (ratio * 100.0).floor() / 100.0,
                    minimum,
                    high_contrast_mode: high_mode,
                });
            }
        }
    }
    out
}

fn label(colours: &BTreeMap<String, String>, name: &str) -> String {
    match colours.get(name) {
        Some(value) => format!("--{name} ({value})"),
        None => name.to_string(),
    }
}

fn colour(colours: &BTreeMap<String, String>, name: &str) -> Option<[u8; 3]> {
    if name.starts_with('#') {
        return parse_hex(name);
    }
    parse_hex(colours.get(name)?)
}

/// The `--name: value` declarations of every rule whose selector is exactly `selector`.
fn properties(css: &str, selector: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let head = strip_comments(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let body = &rest[open + 1..open + close];
        let sel = head.rsplit(['}', ';']).next().unwrap_or("").trim();
        if sel == selector {
            for decl in strip_comments(body).split(';') {
                if let Some((name, value)) = decl.split_once(':')
                    && let Some(name) = name.trim().strip_prefix("--")
                {
                    out.insert(name.to_string(), value.trim().to_string());
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// `#abc` or `#aabbcc` (any other colour syntax is not judged).
fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some([r * 17, g * 17, b * 17]),
        [r1, r2, g1, g2, b1, b2] => Some([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2]),
        _ => None,
    }
}

/// WCAG 2 contrast ratio of two sRGB colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

fn luminance(c: [u8; 3]) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_wcag() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
    }

    #[test]
    fn the_gov_theme_passes_and_a_pale_link_fails() {
        let css = include_str!("../../../themes/gov/static/gov.css");
        assert_eq!(problems(css), Vec::new());
        let pale = css.replacen("--link: #0b4a8c;", "--link: #7aa7d9;", 1);
        let found = problems(&pale);
        assert!(!found.is_empty());
        assert!(
            found[0].foreground.starts_with("--link (#7aa7d9)"),
            "{found:?}"
        );
        assert!(!found[0].high_contrast_mode);
    }
}
