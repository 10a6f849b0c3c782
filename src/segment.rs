//! Chinese words, from jieba's dictionary. Loading the dictionary costs a few
//! hundred milliseconds, so it happens once per process and only when a search
//! index is built (or print titles are broken between words), in parallel with
//! writing the pages. A leaf module: the search index and the templates'
//! `word_breaks` filter both use it without importing each other.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jieba_rs::Jieba;

static JIEBA: OnceLock<(Jieba, Duration)> = OnceLock::new();

/// The segmenter, loaded on first use; also how long the load took.
pub fn jieba() -> &'static (Jieba, Duration) {
    JIEBA.get_or_init(|| {
        let start = Instant::now();
        let jieba = Jieba::new();
        (jieba, start.elapsed())
    })
}

/// Words of two or more Han characters in a normalised text, in search mode
/// (a long word also gives its shorter dictionary words: 生态环境 → 生态, 环境,
/// 生态环境). Only dictionary words: the HMM guesses for unknown words could
/// not be repeated for the query, so they would only add noise.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    jieba()
        .0
        .cut_for_search(text, false)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().nth(1).is_some() && w.chars().all(is_han))
}

/// Han characters (CJK unified ideographs, extension A and B–F, compatibility) and 〇.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_mode_gives_long_and_short_words() {
        let words: Vec<&str> = super::words("生态环境局安全生产").collect();
        assert!(words.contains(&"生态环境"), "{words:?}");
        assert!(words.contains(&"生态"), "{words:?}");
        assert!(words.contains(&"安全"), "{words:?}");
        assert!(!words.contains(&"局"), "{words:?}");
    }
}
