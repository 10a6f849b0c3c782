//! Reading a content file as text: BOM and CRLF accepted, other encodings
//! detected and named instead of being misread.

use std::path::Path;

use crate::diagnostics::{Diagnostic, line_col};

/// A content file's text, normalised to UTF-8 without BOM and with `\n` line ends.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read file: {e}"))
            .in_file(path)
            .with_help("check that the file exists and that you may read it")
    })?;
    decode_owned(bytes).map_err(|d| d.in_file(path))
}

pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    decode_owned(bytes.to_vec())
}

/// Like [`decode`], reusing the buffer: the common case (UTF-8, `\n`) copies nothing.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // SIMD validation: several times faster than `std::str::from_utf8` on Chinese text.
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        let valid_up_to = std::str::from_utf8(&bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        return Err(not_utf8(&bytes, valid_up_to));
    }
    // SAFETY: `bytes` was validated as UTF-8 just above; validating again with
    // `String::from_utf8` would double the cost of this step.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    if text.as_bytes().contains(&b'\r') {
        return Ok(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    Ok(text)
}

fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let (line, col) = line_col(&String::from_utf8_lossy(&bytes[..valid_up_to]), valid_up_to);
    match guess_legacy_encoding(bytes) {
        Some(name) => Diagnostic::error(format!(
            "the file is not UTF-8; it looks like {name} (often saved by Windows Notepad or old editors)"
        ))
        .at(line, col)
        .with_help(
            "run `annals build --convert-encoding` to convert it to UTF-8 (a .bak copy is kept), or save it as UTF-8 in your editor",
        ),
        None => Diagnostic::error("the file is not valid UTF-8 text")
            .at(line, col)
            .with_help("save the file as UTF-8 in your editor; the bytes at this place are not text"),
    }
}

/// The legacy encoding a Chinese text file most likely uses, when it decodes cleanly.
pub fn guess_legacy_encoding(bytes: &[u8]) -> Option<&'static str> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let (_, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        return None;
    }
    Some(match encoding.name() {
        // encoding_rs decodes GBK with its superset GB18030; say both, editors know "GBK".
        "GBK" | "gb18030" => "GBK/GB18030",
        other => other,
    })
}

/// Rewrites a legacy-encoded file as UTF-8, keeping the original as `<file>.bak`.
/// Returns the encoding it was converted from, or `None` if it was already UTF-8.
pub fn convert_to_utf8(path: &Path) -> std::io::Result<Option<&'static str>> {
    let bytes = std::fs::read(path)?;
    if std::str::from_utf8(&bytes).is_ok() {
        return Ok(None);
    }
    let Some(name) = guess_legacy_encoding(&bytes) else {
        return Ok(None);
    };
    let encoding = if name == "GBK/GB18030" {
        encoding_rs::GB18030
    } else {
        encoding_rs::Encoding::for_label(name.as_bytes()).unwrap_or(encoding_rs::GB18030)
    };
    let (text, _, _) = encoding.decode(&bytes);
    let mut backup = path.as_os_str().to_owned();
    backup.push(".bak");
    std::fs::write(&backup, &bytes)?;
    std::fs::write(path, text.as_bytes())?;
    Ok(Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_accepted() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
    }

    #[test]
    fn gbk_is_named() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("---\ntitle: 年度报告\n---\n安全生产形势取得新成绩。");
        let err = decode(&gbk).unwrap_err();
        assert!(err.message.contains("GBK"), "{}", err.message);
    }
}
