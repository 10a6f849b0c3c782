//! Text files in UTF-8 or, as Windows tools in China often save them, GBK/GB18030.

/// How a text file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Utf8,
    /// GB18030 (a superset of GBK and GB2312).
    Gb18030,
    /// UTF-8 with a few broken sequences (a file cut off mid-character):
    /// they became U+FFFD on these lines.
    Utf8Repaired(Vec<usize>),
}

/// At most this many broken sequences still make a file UTF-8 (a cut-off
/// last character, a stray byte): GBK text read as UTF-8 breaks on nearly
/// every Chinese character.
const MAX_BROKEN: usize = 3;

/// The text, with `\n` line ends, and how it was read.
pub fn decode(bytes: &[u8]) -> (String, Read) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, read) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), Read::Utf8),
        Err(_) => match mostly_utf8(bytes) {
            Some(lines) => (
                String::from_utf8_lossy(bytes).into_owned(),
                Read::Utf8Repaired(lines),
            ),
            None => {
                let (text, _, _) = encoding_rs::GB18030.decode(bytes);
                (text.into_owned(), Read::Gb18030)
            }
        },
    };
    (text.replace("\r\n", "\n").replace('\r', "\n"), read)
}

/// The lines of the broken sequences when the bytes are UTF-8 but for a few
/// of them, and hold some multi-byte UTF-8 (so they are not GBK by chance).
fn mostly_utf8(bytes: &[u8]) -> Option<Vec<usize>> {
    let mut lines = Vec::new();
    let mut multibyte = false;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte |= chunk.valid().bytes().any(|b| b >= 0x80);
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            if lines.len() == MAX_BROKEN {
                return None;
            }
            let line = 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
            lines.push(line);
            offset += chunk.invalid().len();
        }
    }
    multibyte.then_some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_read() {
        let (bytes, _, _) = encoding_rs::GBK.encode("发布时间：2023年3月10日");
        let (text, read) = decode(&bytes);
        assert_eq!(text, "发布时间：2023年3月10日");
        assert_eq!(read, Read::Gb18030);
    }

    #[test]
    fn utf8_cut_off_in_its_last_character_stays_utf8() {
        let mut bytes = "标题\n第二行\n最后一行年".as_bytes().to_vec();
        bytes.truncate(bytes.len() - 1);
        let (text, read) = decode(&bytes);
        assert!(text.starts_with("标题\n第二行\n最后一行"), "{text}");
        assert_eq!(read, Read::Utf8Repaired(vec![3]));
    }
}
