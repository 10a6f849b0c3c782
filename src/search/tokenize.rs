//! The one tokenizer of the search index. `themes/gov/static/search.js` repeats
//! it for the query, so every rule here must stay simple enough to write twice
//! identically: normalise each character on its own, split into runs of Han
//! characters and runs of ASCII letters and digits, and cut Han runs into
//! overlapping bigrams. Changing a rule here means changing it there too (and
//! bumping `FORMAT_VERSION`).

/// Bumped whenever the tokenizer or the file layout changes, so a cached
/// `search.js` never reads an index it does not understand.
pub const FORMAT_VERSION: u32 = 1;

/// ASCII words longer than this are cut (long hashes and URLs are not queries).
pub const MAX_WORD_LEN: usize = 40;

/// Prefix of a jieba word term of three or more characters, so `=安全生产`
/// (the word) never collides with a bigram or an ASCII word.
pub const WORD_PREFIX: char = '=';

/// One character as the index sees it: full-width ASCII becomes half-width,
/// ASCII letters become lower case. One character in, one character out, so
/// offsets in the normalised text are offsets in the original.
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

pub use crate::segment::is_han;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run<'a> {
    /// A run of Han characters.
    Han(&'a str),
    /// A run of ASCII letters and digits (already lower case).
    Word(&'a str),
}

/// The runs of a normalised text; everything else (punctuation, spaces, other
/// scripts) separates them.
pub fn runs(normalized: &str) -> Vec<Run<'_>> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Han,
        Word,
        Other,
    }
    let kind = |c: char| {
        if is_han(c) {
            Kind::Han
        } else if c.is_ascii_alphanumeric() {
            Kind::Word
        } else {
            Kind::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current = Kind::Other;
    for (i, c) in normalized.char_indices() {
        let k = kind(c);
        if k != current {
            emit(current, &normalized[start..i], &mut out);
            start = i;
            current = k;
        }
    }
    emit(current, &normalized[start..], &mut out);
    return out;

    fn emit<'a>(kind: Kind, s: &'a str, out: &mut Vec<Run<'a>>) {
        match kind {
            Kind::Han if !s.is_empty() => out.push(Run::Han(s)),
            Kind::Word if !s.is_empty() => out.push(Run::Word(&s[..s.len().min(MAX_WORD_LEN)])),
            _ => {}
        }
    }
}

/// The terms of one Han run: the character itself when it stands alone,
/// otherwise every overlapping pair (安全生产 → 安全 全生 生产).
pub fn han_terms(run: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = run
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(run.len()))
        .collect();
    let single = starts.len() == 2;
    (0..starts.len().saturating_sub(if single { 1 } else { 2 })).map(move |k| {
        let end = if single { starts[k + 1] } else { starts[k + 2] };
        &run[starts[k]..end]
    })
}

/// Every single character of a Han run, for the short fields (title, unit)
/// where a one-character query should still find something.
pub fn han_chars(run: &str) -> impl Iterator<Item = &str> {
    run.char_indices()
        .map(move |(i, c)| &run[i..i + c.len_utf8()])
}

/// The terms a query needs, in the order the query gives them. The page's
/// script computes the same list; tests use this one to know which shards a
/// query downloads.
pub fn query_terms(query: &str) -> Vec<String> {
    let normalized = normalize(query);
    let mut terms: Vec<String> = Vec::new();
    for run in runs(&normalized) {
        let new: Vec<String> = match run {
            Run::Han(h) => {
                let mut t: Vec<String> = han_terms(h).map(str::to_string).collect();
                if h.chars().count() >= 3 {
                    t.push(format!("{WORD_PREFIX}{h}"));
                }
                t
            }
            Run::Word(w) => vec![w.to_string()],
        };
        for t in new {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
    }
    terms
}

/// FNV-1a, 32 bits, over the UTF-8 bytes: tiny, and the same in JavaScript
/// with `Math.imul`.
pub fn term_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard a hash falls in when the index has `2^bits` shards.
pub fn shard_of(hash: u32, bits: u32) -> u32 {
    hash >> (32 - bits)
}

/// File name (without `.json`) of a shard: lower-case hex, fixed width.
pub fn shard_name(shard: u32, bits: u32) -> String {
    let width = bits.div_ceil(4) as usize;
    format!("{shard:0width$x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_one_to_one() {
        assert_eq!(normalize("ＡＢＣ１２３abc"), "abc123abc");
        assert_eq!(normalize("安全ＧＤＰ").chars().count(), 5);
    }

    #[test]
    fn runs_split_han_and_words() {
        let n = normalize("2023年，安全生产GDP增长5%");
        assert_eq!(
            runs(&n),
            vec![
                Run::Word("2023"),
                Run::Han("年"),
                Run::Han("安全生产"),
                Run::Word("gdp"),
                Run::Han("增长"),
                Run::Word("5"),
            ]
        );
    }

    #[test]
    fn bigrams_overlap_and_single_characters_stay() {
        assert_eq!(
            han_terms("安全生产").collect::<Vec<_>>(),
            ["安全", "全生", "生产"]
        );
        assert_eq!(han_terms("局").collect::<Vec<_>>(), ["局"]);
        assert_eq!(han_terms("鹭鸶").collect::<Vec<_>>(), ["鹭鸶"]);
    }

    #[test]
    fn query_terms_add_the_whole_run_as_a_word() {
        assert_eq!(
            query_terms("安全生产 GDP 安全"),
            ["安全", "全生", "生产", "=安全生产", "gdp"]
        );
    }

    #[test]
    fn hash_matches_known_fnv1a_values() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(term_hash(""), 0x811c_9dc5);
        assert_eq!(term_hash("a"), 0xe40c_292c);
        assert_eq!(term_hash("foobar"), 0xbf9c_f968);
        assert_eq!(shard_name(0x0a, 8), "0a");
        assert_eq!(shard_name(0x1ab, 12), "1ab");
        assert_eq!(shard_name(0x1ab, 10), "1ab");
    }
}
