//! Files an import brings into a report's attachment folder (images, attached
//! documents): accepted only when their bytes say they are an image or a
//! document (a name can lie: `id_rsa`, `index.html`), named safely and never
//! two sources under one name.

use super::NewFile;

/// The largest file brought into a report's folder (an image or attachment).
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Image(&'static str),
    Document(&'static str),
}

impl Sniffed {
    pub fn extension(self) -> &'static str {
        match self {
            Sniffed::Image(e) | Sniffed::Document(e) => e,
        }
    }
}

/// Image and document types by their magic bytes. Zip and OLE2 containers
/// keep the extension the name gives when it is one of their kinds
/// (.docx/.xlsx/.ofd are zips, .doc/.xls/.wps/.et are OLE2).
pub fn sniff(bytes: &[u8], name: &str) -> Option<Sniffed> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let keep = |allowed: &[&'static str], default: &'static str| {
        allowed
            .iter()
            .find(|a| **a == ext)
            .copied()
            .unwrap_or(default)
    };
    let image = |e| Some(Sniffed::Image(e));
    let doc = |e| Some(Sniffed::Document(e));
    match bytes {
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => image("png"),
        [0xFF, 0xD8, 0xFF, ..] => image("jpg"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => image("gif"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => image("webp"),
        [b'B', b'M', ..] if bytes.len() > 26 => image("bmp"),
        [b'%', b'P', b'D', b'F', b'-', ..] => doc("pdf"),
        [b'P', b'K', 0x03, 0x04, ..] => doc(keep(&["docx", "xlsx", "pptx", "ofd", "zip"], "zip")),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => {
            doc(keep(&["doc", "xls", "ppt", "wps", "et"], "doc"))
        }
        [b'R', b'a', b'r', b'!', 0x1A, 0x07, ..] => doc("rar"),
        [b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C, ..] => doc("7z"),
        _ => None,
    }
}

/// A file name safe in every file system and URL: no separators, control or
/// bidi characters, not hidden, not a name annals gives meaning to
/// (`_index.*`, `index.*`), with the extension its content has.
pub fn safe_name(wanted: &str, extension: &str) -> String {
    let base = wanted.rsplit(['/', '\\']).next().unwrap_or(wanted);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut stem: String = stem
        .chars()
        .map(|c| {
            if crate::content::meta::is_hidden_char(c) || "/\\:*?\"<>|#%".contains(c) {
                '_'
            } else if c.is_whitespace() {
                // A space would need escaping in every Markdown link to the file.
                '-'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .trim_start_matches(['.', '_', '-', '~'])
        .chars()
        .take(60)
        .collect();
    let lower = stem.to_ascii_lowercase();
    if stem.is_empty() || lower == "index" || lower == "404" {
        stem = format!("file-{stem}");
    }
    format!("{}.{extension}", stem.trim_end_matches('-'))
}

/// Adds a file under a safe, distinct name and returns that name; `None` when
/// its bytes are neither an image nor a document. The same bytes are added
/// once (one picture used twice); other bytes never take a name in use, so
/// `media/1.jpg` and `media2/1.jpg` stay two files.
pub fn add(files: &mut Vec<NewFile>, wanted: &str, bytes: Vec<u8>) -> Option<String> {
    let kind = sniff(&bytes, wanted)?;
    let name = safe_name(wanted, kind.extension());
    if let Some(same) = files.iter().find(|f| f.bytes == bytes) {
        return Some(same.name.clone());
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    let mut candidate = name.clone();
    let mut n = 2;
    while files
        .iter()
        .any(|f| f.name.eq_ignore_ascii_case(&candidate))
    {
        candidate = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    files.push(NewFile {
        name: candidate.clone(),
        bytes,
    });
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

    #[test]
    fn content_decides_the_kind_and_the_extension() {
        assert_eq!(sniff(PNG, "index.html"), Some(Sniffed::Image("png")));
        assert_eq!(sniff(b"ssh-rsa AAAA", "id_rsa.png"), None);
        assert_eq!(
            sniff(b"PK\x03\x04xx", "a.docx"),
            Some(Sniffed::Document("docx"))
        );
        assert_eq!(safe_name("index.html", "png"), "file-index.png");
        assert_eq!(safe_name("_index.md", "pdf"), "file-index.pdf");
        assert_eq!(safe_name("a\u{202e}gpj.exe", "png"), "a_gpj.png");
        assert_eq!(safe_name("图片 1.jpeg", "jpg"), "图片-1.jpg");
    }

    #[test]
    fn one_name_two_sources_stay_two_files() {
        let mut files = Vec::new();
        let a = add(&mut files, "media/1.jpg", [PNG, b"a"].concat()).unwrap();
        let b = add(&mut files, "media2/1.jpg", [PNG, b"b"].concat()).unwrap();
        let again = add(&mut files, "media/1.jpg", [PNG, b"a"].concat()).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("1.png", "1-2.png"));
        assert_eq!(again, a);
        assert_eq!(files.len(), 2);
    }
}
