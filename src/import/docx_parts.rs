//! The parts of a .docx (a zip archive), read in chunks and never past the
//! limits: bytes per part, bytes of the whole file, and the expansion ratio of
//! each part, so a small file that unpacks to gigabytes stops at the limit.

use std::io::{Read, Seek};
use std::path::Path;

use super::limits::{Limits, mb};
use crate::i18n::tr;

pub struct Parts<R> {
    zip: zip::ZipArchive<R>,
    limits: Limits,
    /// Bytes read from every part so far.
    read: u64,
}

/// An image part: its bytes, or left out because it is larger than the image limit.
pub enum Image {
    Bytes(Vec<u8>),
    TooLarge,
}

/// Why reading a part stopped.
enum Stop {
    Part,
    Total,
    Ratio,
    Io(std::io::Error),
}

const CHUNK: usize = 64 * 1024;
/// Below this, any ratio is fine: Word's XML is repetitive and a long table
/// packs hundreds of times smaller; past it, only a bomb packs that well.
const RATIO_FROM: u64 = 16 * 1024 * 1024;

impl Parts<std::fs::File> {
    pub fn open(path: &Path, limits: Limits) -> Result<Self, String> {
        let file = std::fs::File::open(path)
            .map_err(|e| tr("import.cannot-read-file", &[("error", &e)]))?;
        Parts::new(file, limits)
    }
}

impl<R: Read + Seek> Parts<R> {
    pub fn new(reader: R, limits: Limits) -> Result<Self, String> {
        let zip = zip::ZipArchive::new(reader).map_err(|_| tr("import.docx-not-zip", &[]))?;
        Ok(Parts {
            zip,
            limits,
            read: 0,
        })
    }

    /// A part as text (UTF-8, damaged bytes replaced), `None` when the file has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let cap = self.limits.part_bytes;
        match self.bytes(name, cap)? {
            None => Ok(None),
            Some(Ok(bytes)) => Ok(Some(match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })),
            Some(Err(stop)) => Err(self.message(name, stop)),
        }
    }

    /// An image part; one over the image limit is not read and is left out.
    pub fn image(&mut self, name: &str) -> Result<Option<Image>, String> {
        let cap = self.limits.image_bytes.min(self.limits.part_bytes);
        match self.bytes(name, cap)? {
            None => Ok(None),
            Some(Ok(bytes)) => Ok(Some(Image::Bytes(bytes))),
            Some(Err(Stop::Part)) => Ok(Some(Image::TooLarge)),
            Some(Err(stop)) => Err(self.message(name, stop)),
        }
    }

    fn message(&self, name: &str, stop: Stop) -> String {
        match stop {
            Stop::Part => tr(
                "import.docx-part-too-large",
                &[("part", &name), ("limit", &mb(self.limits.part_bytes))],
            ),
            Stop::Total => tr(
                "import.docx-too-large",
                &[("limit", &mb(self.limits.total_bytes))],
            ),
            Stop::Ratio => tr(
                "import.docx-ratio",
                &[("part", &name), ("limit", &self.limits.ratio)],
            ),
            Stop::Io(e) => tr(
                "import.docx-cannot-read-part",
                &[("part", &name), ("error", &e)],
            ),
        }
    }

    /// Reads a part up to `cap` bytes: `None` if absent, the bytes, or why it stopped.
    fn bytes(&mut self, name: &str, cap: u64) -> Result<Option<Result<Vec<u8>, Stop>>, String> {
        let limits = self.limits;
        let already = self.read;
        let mut entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(tr(
                    "import.docx-cannot-read-part",
                    &[("part", &name), ("error", &e)],
                ));
            }
        };
        // The size the archive declares may lie; it is only used to stop early.
        if entry.size() > cap {
            return Ok(Some(Err(Stop::Part)));
        }
        let compressed = entry.compressed_size().max(1);
        let mut out = Vec::new();
        let mut chunk = vec![0u8; CHUNK];
        let result = loop {
            let n = match entry.read(&mut chunk) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) => break Err(Stop::Io(e)),
            };
            out.extend_from_slice(&chunk[..n]);
            let len = out.len() as u64;
            if len > cap {
                break Err(Stop::Part);
            }
            if already + len > limits.total_bytes {
                break Err(Stop::Total);
            }
            if len > RATIO_FROM && len / compressed > limits.ratio {
                break Err(Stop::Ratio);
            }
        };
        self.read += out.len() as u64;
        Ok(Some(result.map(|()| out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn archive(parts: &[(&str, usize)]) -> Cursor<Vec<u8>> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, size) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(&vec![b'a'; *size]).unwrap();
        }
        zip.finish().unwrap();
        out.set_position(0);
        out
    }

    const MB: usize = 1024 * 1024;

    #[test]
    fn a_part_packing_too_well_stops_past_sixteen_megabytes() {
        let mut parts = Parts::new(
            archive(&[("word/document.xml", 40 * MB)]),
            Limits::default(),
        )
        .unwrap();
        let err = parts.text("word/document.xml").unwrap_err();
        assert!(err.contains("word/document.xml"), "{err}");
        assert!(err.contains("ratio"), "{err}");
        assert!(parts.read <= 17 * MB as u64, "{}", parts.read);
    }

    #[test]
    fn parts_add_up_to_the_total_limit() {
        let limits = Limits {
            total_bytes: 3 * MB as u64,
            ..Limits::default()
        };
        let mut parts =
            Parts::new(archive(&[("a.xml", 2 * MB), ("b.xml", 2 * MB)]), limits).unwrap();
        assert!(parts.text("a.xml").unwrap().is_some());
        let err = parts.text("b.xml").unwrap_err();
        assert!(err.contains("total-mb"), "{err}");
    }

    #[test]
    fn an_image_over_its_limit_is_left_out_not_an_error() {
        let limits = Limits {
            image_bytes: MB as u64,
            ..Limits::default()
        };
        let mut parts = Parts::new(archive(&[("word/media/big.png", 2 * MB)]), limits).unwrap();
        assert!(matches!(
            parts.image("word/media/big.png"),
            Ok(Some(Image::TooLarge))
        ));
        assert!(parts.image("word/media/none.png").unwrap().is_none());
    }
}
