//! Writes the fields the workbench edits into a report's front matter, keeping
//! every other key as the editor wrote it: the saved file is the Markdown with
//! YAML front matter an editor could write by hand (README "Report front matter").

/// Fields of the form, as they go into the file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Fields {
    pub title: String,
    pub date: String,
    pub source: String,
    pub category: String,
    pub tags: Vec<String>,
    pub draft: bool,
    /// (title, file name in the report's folder or an address)
    pub attachments: Vec<(String, String)>,
}

/// Keys in the order README shows them; new keys go in this order.
const ORDER: &[&str] = &[
    "title",
    "date",
    "source",
    "year",
    "summary",
    "category",
    "tags",
    "index_no",
    "doc_no",
    "updated",
    "slug",
    "draft",
    "weight",
    "attachments",
    "related",
    "aliases",
    "extra",
    "disclosure_stats",
];

/// One top-level key with its lines (the key line and what is indented below it).
struct Entry {
    key: Option<String>,
    text: String,
}

fn entries(yaml: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in yaml.split_inclusive('\n') {
        let top = !line.starts_with([' ', '\t', '#', '-', '\n', '\r']) && !line.trim().is_empty();
        let key = top
            .then(|| line.split_once(':').map(|(k, _)| k.trim().to_string()))
            .flatten();
        // A comment of its own line stays where it is, whatever key is rewritten.
        if line.starts_with('#') {
            out.push(Entry {
                key: None,
                text: line.to_string(),
            });
            continue;
        }
        match (key, out.last_mut()) {
            (Some(key), _) => out.push(Entry {
                key: Some(key),
                text: line.to_string(),
            }),
            (None, Some(last)) => last.text.push_str(line),
            (None, None) => out.push(Entry {
                key: None,
                text: line.to_string(),
            }),
        }
    }
    out
}

/// A YAML scalar: plain when that reads back as the same string, else quoted
/// (JSON's double-quoted strings are YAML's).
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control())
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null"
        )
        && !looks_like_a_number_or_date(text);
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// `2023`, `1.5`, `2024-01-20`, `12:30`, `0x1f`: YAML would read these as
/// something other than text. `2023年报告` is text.
fn looks_like_a_number_or_date(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+'))
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | ':' | '_' | ' '))
}

fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|t| scalar(t)).collect();
    format!("[{}]", items.join(", "))
}

/// The new text of a managed key, `None` to leave it out.
fn managed(key: &str, f: &Fields, old: Option<&str>) -> Option<Option<String>> {
    Some(match key {
        "title" => Some(format!("title: {}\n", scalar(&f.title))),
        "date" => {
            // A full timestamp stays when its day is the form's date.
            let keep = old.filter(|o| {
                o.trim_start_matches("date:")
                    .trim()
                    .trim_matches(['"', '\''])
                    .starts_with(&f.date)
            });
            Some(keep.map_or_else(|| format!("date: {}\n", f.date), str::to_string))
        }
        "source" => Some(format!("source: {}\n", scalar(&f.source))),
        "category" => {
            (!f.category.is_empty()).then(|| format!("category: {}\n", scalar(&f.category)))
        }
        "tags" => (!f.tags.is_empty()).then(|| format!("tags: {}\n", flow_list(&f.tags))),
        "draft" => f.draft.then(|| "draft: true\n".to_string()),
        "attachments" => (!f.attachments.is_empty()).then(|| {
            let mut s = String::from("attachments:\n");
            for (title, target) in &f.attachments {
                let kind = if target.contains("://") || target.starts_with("mailto:") {
                    "url"
                } else {
                    "file"
                };
                s.push_str(&format!(
                    "  - {{title: {}, {kind}: {}}}\n",
                    scalar(title),
                    scalar(target)
                ));
            }
            s
        }),
        _ => return None,
    })
}

/// Replaces, removes or (in README order) inserts one key.
fn set(entries: &mut Vec<Entry>, key: &str, value: Option<String>) {
    match entries.iter().position(|e| e.key.as_deref() == Some(key)) {
        Some(i) => match value {
            Some(text) => entries[i].text = text,
            None => {
                entries.remove(i);
            }
        },
        None => {
            let Some(text) = value else { return };
            let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
            let at = entries
                .iter()
                .position(|e| e.key.as_deref().is_some_and(|k| rank(k) > rank(key)))
                .unwrap_or(entries.len());
            entries.insert(
                at,
                Entry {
                    key: Some(key.to_string()),
                    text,
                },
            );
        }
    }
}

/// `text` (a whole report file) with the form's fields and, when given, the
/// statistics block (`Some(None)` removes it); the body replaced by `body`.
pub fn apply(yaml: &str, fields: &Fields, stats: Option<Option<String>>, body: &str) -> String {
    let mut entries = entries(yaml);
    for key in [
        "title",
        "date",
        "source",
        "category",
        "tags",
        "draft",
        "attachments",
    ] {
        let old = entries
            .iter()
            .find(|e| e.key.as_deref() == Some(key))
            .map(|e| e.text.clone());
        if let Some(value) = managed(key, fields, old.as_deref()) {
            set(&mut entries, key, value);
        }
    }
    if let Some(stats) = stats {
        set(&mut entries, "disclosure_stats", stats);
    }
    let mut out = String::from("---\n");
    for e in &entries {
        out.push_str(&e.text);
        if !e.text.ends_with('\n') {
            out.push('\n');
        }
    }
    out.push_str("---\n");
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            title: "2023年政府信息公开工作年度报告".into(),
            date: "2024-01-20".into(),
            source: "青川市司法局".into(),
            category: String::new(),
            tags: vec!["政务公开".into(), "yes".into()],
            draft: false,
            attachments: vec![("附件1: 统计表".into(), "table.pdf".into())],
        }
    }

    #[test]
    fn keeps_other_keys_and_orders_new_ones() {
        let yaml = "title: old\n# a comment\nsource: x\ndoc_no: 青司〔2024〕1号\nextra:\n  a: 1\ndraft: true\n";
        let text = apply(yaml, &fields(), None, "正文\n");
        assert_eq!(
            text,
            "---\ntitle: 2023年政府信息公开工作年度报告\n# a comment\ndate: 2024-01-20\nsource: 青川市司法局\ntags: [政务公开, \"yes\"]\ndoc_no: 青司〔2024〕1号\nattachments:\n  - {title: \"附件1: 统计表\", file: table.pdf}\nextra:\n  a: 1\n---\n正文\n"
        );
        let (meta, body, _) = crate::content::meta::parse_report(&text).unwrap();
        assert_eq!(meta.tags, vec!["政务公开", "yes"]);
        assert_eq!(meta.attachments[0].title, "附件1: 统计表");
        assert_eq!(body, "正文\n");
    }

    #[test]
    fn scalars_that_would_change_meaning_are_quoted() {
        for s in [
            "true",
            "2023",
            "1.5",
            "2024-01-20",
            "a: b",
            "#x",
            "- x",
            "",
            " x",
            "null",
            "~",
        ] {
            assert!(scalar(s).starts_with('"'), "{s}");
        }
        assert_eq!(scalar("青川市司法局"), "青川市司法局");
        assert_eq!(scalar("2023年报告"), "2023年报告");
    }

    #[test]
    fn a_timestamp_stays_when_its_day_is_unchanged() {
        let yaml = "title: t\ndate: 2024-01-20T09:30:00+08:00\nsource: s\n";
        let text = apply(yaml, &fields(), None, "");
        assert!(text.contains("date: 2024-01-20T09:30:00+08:00\n"), "{text}");
    }
}
