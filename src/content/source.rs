//! Reading a content file as text: BOM and CRLF accepted, other encodings
//! detected and named instead of being misread.

use std::path::Path;

use crate::diagnostics::{Diagnostic, line_col};
use crate::i18n::tr;

/// The largest content file read, in MB, unless `ANNALS_MAX_FILE_MB` says otherwise.
/// A build holds about 19 times a report's size in memory; real reports are
/// tens of kilobytes.
pub const DEFAULT_MAX_FILE_MB: u64 = 20;
pub const MAX_FILE_ENV: &str = "ANNALS_MAX_FILE_MB";

/// The size limit of a content file in bytes.
pub fn max_file_bytes() -> u64 {
    std::env::var(MAX_FILE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_MAX_FILE_MB)
        .saturating_mul(1024 * 1024)
}

/// A content file's text, normalised to UTF-8 without BOM and with `\n` line ends.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(tr("files.cannot-read", &[("error", &e)]))
            .in_file(path)
            .with_help(tr("files.cannot-read-help", &[]))
    };
    let limit = max_file_bytes();
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0));
    // `take` also stops files whose size the system does not report (e.g. in /proc).
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        let size = if size > limit {
            format!("{:.1} MB", size as f64 / 1048576.0)
        } else {
            tr("source.larger", &[])
        };
        return Err(Diagnostic::error(tr(
            "source.too-large",
            &[("size", &size), ("limit", &(limit / (1024 * 1024)))],
        ))
        .in_file(path)
        .with_help(tr("source.too-large-help", &[("env", &MAX_FILE_ENV)])));
    }
    decode_owned(bytes).map_err(|d| d.in_file(path))
}

pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    decode_owned(bytes.to_vec())
}

/// Like [`decode`], reusing the buffer: the common case (UTF-8, `\n`) copies nothing.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    // Before the UTF-8 check: ASCII in UTF-16 is valid UTF-8 full of NULs.
    if let Some(name) = utf16_kind(&bytes) {
        return Err(utf16(name));
    }
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

fn utf16(name: &str) -> Diagnostic {
    Diagnostic::error(tr("source.utf16", &[("encoding", &name)]))
        .at(1, 1)
        .with_help(tr("source.convert-help", &[]))
}

fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let (line, col) = line_col(&String::from_utf8_lossy(&bytes[..valid_up_to]), valid_up_to);
    match guess_legacy_encoding(bytes) {
        Some(name) => Diagnostic::error(tr("source.legacy-encoding", &[("encoding", &name)]))
            .at(line, col)
            .with_help(tr("source.convert-help", &[])),
        None => Diagnostic::error(tr("source.not-utf8", &[]))
            .at(line, col)
            .with_help(tr("source.not-utf8-help", &[])),
    }
}

/// UTF-16, told by its byte-order mark or, without one, by the zero bytes that
/// every ASCII character (`---`, line breaks) brings along.
fn utf16_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16BE");
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let pairs = sample.len() / 2;
    // Front matter starts with ASCII: at least a quarter of the pairs carry a zero.
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if pairs >= 4 && odd * 4 >= pairs && even == 0 {
        Some("UTF-16LE")
    } else if pairs >= 4 && even * 4 >= pairs && odd == 0 {
        Some("UTF-16BE")
    } else {
        None
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

/// Rewrites a legacy-encoded file as UTF-8, keeping the original as `<file>.bak`
/// (or `<file>.bak.1`, `.bak.2`, … when that name is taken: a user's file is never
/// overwritten). Returns the encoding it was converted from, or `None` if it was
/// already UTF-8.
pub fn convert_to_utf8(path: &Path) -> std::io::Result<Option<&'static str>> {
    let bytes = std::fs::read(path)?;
    let utf16 = utf16_kind(&bytes);
    if utf16.is_none() && std::str::from_utf8(&bytes).is_ok() {
        return Ok(None);
    }
    let Some(name) = utf16.or_else(|| guess_legacy_encoding(&bytes)) else {
        return Ok(None);
    };
    let encoding = if name == "GBK/GB18030" {
        encoding_rs::GB18030
    } else {
        encoding_rs::Encoding::for_label(name.as_bytes()).unwrap_or(encoding_rs::GB18030)
    };
    let (text, _, _) = encoding.decode(&bytes);
    write_backup(path, &bytes)?;
    std::fs::write(path, text.as_bytes())?;
    Ok(Some(name))
}

/// Writes `bytes` to the first free name of `<file>.bak`, `<file>.bak.1`, …;
/// `create_new` makes taking the name and checking it is free one step.
fn write_backup(path: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write;
    for n in 0..1000 {
        let mut name = path.as_os_str().to_owned();
        name.push(if n == 0 {
            ".bak".to_string()
        } else {
            format!(".bak.{n}")
        });
        let backup = std::path::PathBuf::from(name);
        match std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(mut file) => {
                file.write_all(bytes)?;
                file.sync_all()?;
                return Ok(backup);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{}.bak … {}.bak.999 all exist; move old backups away first",
            path.display(),
            path.display()
        ),
    ))
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
