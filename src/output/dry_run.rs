//! `check`'s output: renders go nowhere; every path and the ids of HTML pages
//! are recorded, for the link and anchor checks.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Claims, Sink};
use crate::diagnostics::Diagnostic;

/// What a `check` render would have written.
#[derive(Debug, Default)]
pub struct Written {
    /// Output path → the `id`s of the page (empty for files that are not HTML).
    pub files: HashMap<String, HashSet<String>>,
}

pub struct DryRun {
    claims: Claims,
    written: Mutex<Written>,
}

impl Default for DryRun {
    fn default() -> DryRun {
        DryRun::new()
    }
}

impl DryRun {
    pub fn new() -> DryRun {
        DryRun {
            claims: Claims::new(PathBuf::new()),
            written: Mutex::default(),
        }
    }

    /// What was recorded.
    pub fn into_written(self) -> Written {
        self.written.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, rel: &str, ids: HashSet<String>) {
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        w.files.insert(rel.to_string(), ids);
    }
}

impl Sink for DryRun {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.claims.take(rel, None)?;
        let ids = if rel.ends_with(".html") {
            html_ids(bytes)
        } else {
            HashSet::new()
        };
        self.record(rel, ids);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        self.claims.take(rel, Some(from))?;
        self.record(rel, HashSet::new());
        Ok(())
    }

    fn paths(&self) -> HashSet<String> {
        self.claims.paths()
    }
}

/// `id="…"` attributes of an HTML page, for checking `#anchors`.
fn html_ids(bytes: &[u8]) -> HashSet<String> {
    static ID: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = ID.get_or_init(|| {
        regex::bytes::Regex::new(r#"\s(?:id|name)="([^"]+)""#).expect("valid pattern")
    });
    re.captures_iter(bytes)
        .filter_map(|c| c.get(1))
        .map(|m| String::from_utf8_lossy(m.as_bytes()).into_owned())
        .collect()
}
