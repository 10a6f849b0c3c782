//! ASCII slugs for names written in Chinese: unit, tag and category pages.

use pinyin::ToPinyin;

/// `开福区应急管理局` → `kaifuquyingjiguanliju`; ASCII words are kept, lowercased;
/// ü is written v (`法律` → `falv`) so slugs stay ASCII.
/// Polyphones may come out wrong (重庆 → zhongqing), which is why `config.toml`
/// can pin a slug per unit.
pub fn pinyin_slug(name: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in name.chars() {
        let piece: Option<String> = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else {
            c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
        };
        match piece {
            Some(p) => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push_str(&p);
            }
            None => pending_dash = true,
        }
    }
    if out.is_empty() {
        // A name with no letters at all still needs a stable, non-empty address.
        out = format!("u{:x}", fxhash(name));
    }
    out
}

/// The address part of a report's file name: spaces (`2023 年度报告.md`, as
/// Word and file managers make them) and characters a URL would have to escape
/// become `-`, so the address has no `%20`; other characters stay as written.
pub fn file_slug(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars() {
        let troublesome = c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '#' | '?' | '%' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            );
        if !troublesome {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-').len();
    out.truncate(trimmed);
    if out.is_empty() {
        out = format!("r{:x}", fxhash(stem));
    }
    out
}

/// A small stable hash (FNV-1a) so slugs never depend on the process.
pub fn fxhash(s: &str) -> u32 {
    s.bytes().fold(0x811c9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x01000193)
    })
}

/// A heading id that keeps Chinese text: letters, digits and CJK stay, the rest goes.
pub fn heading_id(text: &str) -> String {
    const MAX_CHARS: usize = 48;
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut chars = 0;
    for c in text.chars() {
        if chars >= MAX_CHARS {
            break;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                chars += 1;
            } else if (c == ' ' || c == '-' || c == '_') && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
                chars += 1;
            }
        } else if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                out.push(lower);
                chars += 1;
            }
        }
    }
    let trimmed = out.trim_end_matches('-').len();
    out.truncate(trimmed);
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_for_unit_names() {
        assert_eq!(pinyin_slug("开福区应急管理局"), "kaifuquyingjiguanliju");
        assert_eq!(pinyin_slug("12345 热线"), "12345-rexian");
        assert!(!pinyin_slug("·").is_empty());
        // ü is written v, as in pinyin input, so slugs stay ASCII.
        assert_eq!(pinyin_slug("法律"), "falv");
    }

    #[test]
    fn file_names_with_spaces_give_addresses_without() {
        assert_eq!(file_slug("2023 年度 报告"), "2023-年度-报告");
        assert_eq!(file_slug("法治\u{3000}报告 (1)"), "法治-报告-(1)");
        assert_eq!(file_slug("fazhi-2023"), "fazhi-2023");
        assert!(!file_slug("  ").is_empty());
    }

    #[test]
    fn heading_ids_keep_chinese() {
        assert_eq!(heading_id("一、主要举措和成效"), "一主要举措和成效");
        assert_eq!(heading_id("Next steps"), "next-steps");
        assert_eq!(heading_id("  -- Ünïcode_Ids --  "), "ünïcode-ids");
        assert_eq!(heading_id("……"), "section");
        let long = "法治".repeat(40);
        assert_eq!(heading_id(&long).chars().count(), 48);
    }
}
