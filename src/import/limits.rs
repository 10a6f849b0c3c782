//! What the readers of untrusted documents accept at most. Every limit is
//! listed in README "Security notes"; `annals import --limit NAME=VALUE`
//! raises one for a real document that needs more.

use crate::i18n::tr;

/// The limits of one import run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read from one part of a .docx (its XML or one image), after decompression.
    pub part_bytes: u64,
    /// Bytes read from all parts of one .docx together.
    pub total_bytes: u64,
    /// Decompressed bytes per compressed byte of one part (checked past its first 16 MiB).
    pub ratio: u64,
    /// Bytes of one image; a larger image is left out with a note.
    pub image_bytes: u64,
    /// Positions (rows × columns, merged cells counted for every position they cover) of one table.
    pub table_cells: usize,
    /// Elements nested in one another in a saved page or a Word part.
    pub depth: usize,
}

const MIB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            part_bytes: 64 * MIB,
            total_bytes: 256 * MIB,
            ratio: 100,
            image_bytes: 20 * MIB,
            table_cells: 200_000,
            depth: 256,
        }
    }
}

/// The names `--limit` takes, each with its unit.
pub const NAMES: &[&str] = &[
    "part-mb",
    "total-mb",
    "ratio",
    "image-mb",
    "table-cells",
    "depth",
];

impl Limits {
    /// Applies one `NAME=VALUE` of `--limit`; the error is a sentence for the editor.
    pub fn set(&mut self, setting: &str) -> Result<(), String> {
        let bad = || {
            tr(
                "import.limit-bad",
                &[("setting", &setting), ("names", &NAMES.join(", "))],
            )
        };
        let (name, value) = setting.split_once('=').ok_or_else(bad)?;
        let value: u64 = value.trim().parse().map_err(|_| bad())?;
        if value == 0 {
            return Err(bad());
        }
        let mib = value.checked_mul(MIB).ok_or_else(bad)?;
        match name.trim() {
            "part-mb" => self.part_bytes = mib,
            "total-mb" => self.total_bytes = mib,
            "ratio" => self.ratio = value,
            "image-mb" => self.image_bytes = mib,
            "table-cells" => self.table_cells = usize::try_from(value).map_err(|_| bad())?,
            "depth" => self.depth = usize::try_from(value).map_err(|_| bad())?,
            _ => return Err(bad()),
        }
        Ok(())
    }
}

/// In megabytes, for messages (limits are whole MiB unless set in bytes by a test).
pub fn mb(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) {
        (bytes / MIB).to_string()
    } else {
        format!("{:.2}", bytes as f64 / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_raised_by_name() {
        let mut l = Limits::default();
        l.set("table-cells=500000").unwrap();
        l.set("part-mb=128").unwrap();
        assert_eq!(l.table_cells, 500_000);
        assert_eq!(l.part_bytes, 128 * MIB);
        assert!(l.set("tables=1").is_err());
        assert!(l.set("depth=0").is_err());
        assert!(l.set("depth").is_err());
    }
}
