//! Where a Chinese title may break: between words, never inside one. A browser
//! breaks CJK text between any two characters, so a long 小标宋 title on a
//! print page or PDF can end a line in the middle of a word (「政／府」). The
//! print stylesheet sets `word-break: keep-all` on titles, and this puts a
//! `<wbr>` at each word boundary jieba's dictionary finds, so those are the
//! only places a line may end. Numbers stay with their unit (2024年).

use crate::segment::jieba;

/// Characters that stay with the number before them (2024年, 3月, 5日, 第2号).
const UNITS: [&str; 5] = ["年", "月", "日", "号", "度"];

/// The words of a title, in order; joined, they give the title back.
pub fn words(title: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in jieba().0.cut(title, false) {
        let word = token.word;
        let glued = out.last().is_some_and(|previous| {
            let after_number = previous.ends_with(|c: char| c.is_ascii_digit())
                && (UNITS.contains(&word) || word.starts_with(|c: char| c.is_ascii_digit()));
            // Punctuation and ASCII stay where jieba put them, never alone at a line start.
            after_number || !word.chars().any(char::is_alphanumeric)
        });
        match out.last_mut() {
            Some(previous) if glued => previous.push_str(word),
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// A title as HTML (escaped) with `<wbr>` between its words.
pub fn html(title: &str) -> String {
    let mut out = String::with_capacity(title.len() * 2);
    for (i, word) in words(title).iter().enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        // Writing to a String cannot fail.
        let _ = comrak::html::escape(&mut out, word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_break_between_words_only() {
        let w = words("淮安市洪泽区人民政府2024年政府信息公开工作年度报告");
        assert_eq!(
            w.concat(),
            "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
        );
        assert!(w.iter().any(|x| x.contains("政府")), "{w:?}");
        assert!(!w.iter().any(|x| x == "政" || x == "府"), "{w:?}");
        assert!(w.iter().any(|x| x.contains("2024年")), "{w:?}");
        let escaped = html("<script>政府");
        assert!(
            escaped.contains("&lt;") && !escaped.contains("<script"),
            "{escaped}"
        );
        assert_eq!(
            html("法治政府建设").matches("<wbr>").count(),
            words("法治政府建设").len() - 1
        );
    }
}
