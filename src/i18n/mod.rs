//! Messages for the editor in the language they read: one catalogue per
//! language (`en.toml`, `zh-CN.toml`, same keys), a message picked by key and
//! filled with named values: `tr("import.created", &[("file", &path)])`.
//!
//! The language is chosen once per run by [`choose`]: `--lang`, else the
//! terminal's `LC_ALL`/`LC_MESSAGES`/`LANG` when it names Chinese or English,
//! else the site's `language`.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN.UTF-8` → Chinese; `en…` → English; others: not a choice.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// English until a run chooses: the binary always chooses, so only library
/// callers that never do (unit tests matching English text) see the default.
static CURRENT: AtomicU8 = AtomicU8::new(Lang::En as u8);

pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        0 => Lang::ZhCn,
        _ => Lang::En,
    }
}

/// The language of this run's messages: the flag, then the terminal's locale
/// (when it names a language, not `C` or `POSIX`), then the site's `language`.
pub fn choose(flag: Option<&str>, site_language: Option<&str>) -> Lang {
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty());
    flag.and_then(Lang::parse)
        .or_else(|| env.as_deref().and_then(Lang::parse))
        .or_else(|| site_language.and_then(Lang::parse))
        .unwrap_or(Lang::ZhCn)
}

/// The `language` of `<root>/config.toml`, read leniently: a broken config is
/// reported later by the real loader, in whatever language was chosen.
pub fn site_language(root: &std::path::Path) -> Option<String> {
    let path = root.join(crate::layout::CONFIG_FILE);
    // Only a regular file: reading a pipe would hang before the loader can refuse it.
    if !std::fs::metadata(&path).ok()?.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    value.get("language")?.as_str().map(str::to_string)
}

pub const EN: &str = include_str!("en.toml");
pub const ZH_CN: &str = include_str!("zh-CN.toml");

fn parse(text: &str) -> HashMap<String, String> {
    let table: toml::Table = toml::from_str(text).unwrap_or_default();
    table
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
        .collect()
}

static CATALOGUES: LazyLock<[HashMap<String, String>; 2]> =
    LazyLock::new(|| [parse(ZH_CN), parse(EN)]);

/// The message `key` in the current language with `{name}` placeholders filled.
/// An unknown key gives the key itself (the completeness test keeps this from
/// happening).
pub fn tr(key: &str, args: &[(&str, &dyn Display)]) -> String {
    tr_in(current(), key, args)
}

pub fn tr_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let catalogue = &CATALOGUES[lang as usize];
    let Some(template) = catalogue.get(key) else {
        return key.to_string();
    };
    fill(template, args)
}

/// `template` with each `{name}` of `args` replaced, in one pass: a value that
/// itself contains `{other}` (a title, a line of a file) stays as it is.
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((value.to_string(), close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `{name}` in a template, for the completeness test.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_placeholders() {
        let (zh, en) = (parse(ZH_CN), parse(EN));
        assert!(
            !zh.is_empty() && !en.is_empty(),
            "a catalogue does not parse"
        );
        for (key, text) in &zh {
            let other = en
                .get(key)
                .unwrap_or_else(|| panic!("`{key}` is missing in en.toml"));
            assert_eq!(
                placeholders(text),
                placeholders(other),
                "placeholders of `{key}`"
            );
        }
        for key in en.keys() {
            assert!(zh.contains_key(key), "`{key}` is missing in zh-CN.toml");
        }
    }

    /// The literal keys of `tr("key", …)` and `tr_in(lang, "key", …)` calls in `text`.
    fn keys_used(text: &str) -> Vec<&str> {
        let starts = |call: &'static str| {
            text.match_indices(call)
                .filter(|(i, _)| !text[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
                .map(move |(i, _)| &text[i + call.len()..])
        };
        let tr = starts("tr(\"");
        // tr_in's first argument is the language; the key is the first string.
        let tr_in = starts("tr_in(").filter_map(|rest| {
            let args = rest.split(')').next()?;
            Some(&rest[args.find('"')? + 1..])
        });
        tr.chain(tr_in)
            .filter_map(|rest| rest.split('"').next())
            .collect()
    }

    /// Every Rust source file but this one (its calls are the definitions and
    /// the scanners' tests), with its text.
    fn sources() -> Vec<(std::path::PathBuf, String)> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        walkdir::WalkDir::new(src)
            .into_iter()
            .flatten()
            .map(|entry| entry.into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("i18n/mod.rs"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                (p, text)
            })
            .collect()
    }

    #[test]
    fn every_key_used_in_the_code_is_in_both_catalogues() {
        let (zh, en) = (parse(ZH_CN), parse(EN));
        let mut checked = 0;
        for (path, text) in sources() {
            for key in keys_used(&text) {
                checked += 1;
                for (name, catalogue) in [("zh-CN.toml", &zh), ("en.toml", &en)] {
                    assert!(
                        catalogue.contains_key(key),
                        "{}: message `{key}` is not in {name}",
                        path.display()
                    );
                }
            }
        }
        assert!(
            checked > 100,
            "only {checked} keys found: the scan is broken"
        );
    }

    /// Keys handed on before they are looked up (`io_error(path, "output.do-write", e)`,
    /// `tr(why, &[])`) escape the call scan: every literal shaped like a key of a
    /// catalogue area must be in both catalogues too.
    #[test]
    fn every_key_shaped_literal_is_in_both_catalogues() {
        let (zh, en) = (parse(ZH_CN), parse(EN));
        let areas: std::collections::HashSet<&str> =
            zh.keys().filter_map(|k| k.split('.').next()).collect();
        let literal = regex::Regex::new(r#""([a-z]+)\.([a-z][a-z0-9]*(?:-[a-z0-9]+)*)""#)
            .expect("valid pattern");
        // File names share the shape of keys (`config.toml`); they are not messages.
        let extensions = [
            "toml", "md", "html", "json", "xml", "txt", "css", "js", "rs", "lock",
        ];
        let mut checked = 0;
        for (path, text) in sources() {
            for c in literal.captures_iter(&text) {
                if !areas.contains(&c[1]) || extensions.contains(&&c[2]) {
                    continue;
                }
                let key = format!("{}.{}", &c[1], &c[2]);
                checked += 1;
                for (name, catalogue) in [("zh-CN.toml", &zh), ("en.toml", &en)] {
                    assert!(
                        catalogue.contains_key(&key),
                        "{}: `{key}` looks like a message key but is not in {name}",
                        path.display()
                    );
                }
            }
        }
        assert!(
            checked > 100,
            "only {checked} keys found: the scan is broken"
        );
    }

    #[test]
    fn the_key_scan_sees_both_kinds_of_call() {
        let code =
            r#"tr("a.b", &[]); tr_in(Lang::En, "c.d", &[]); attr("x"); tr_in(lang, key, &[])"#;
        assert_eq!(keys_used(code), ["a.b", "c.d"]);
    }

    #[test]
    fn values_are_filled_in_once_and_other_braces_stay() {
        let args: &[(&str, &dyn Display)] = &[("a", &"{b}"), ("b", &"x")];
        assert_eq!(fill("{a} {b} { c } {a", args), "{b} x { c } {a");
        assert_eq!(
            fill("{title: 附件, file: {b}}", args),
            "{title: 附件, file: x}"
        );
    }

    #[test]
    fn the_locale_names_the_language() {
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(
            tr_in(Lang::En, "import.created", &[("file", &"a.md")]),
            "created a.md"
        );
    }
}
