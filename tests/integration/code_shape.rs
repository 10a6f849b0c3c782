//! The shape of the code itself (issue 24): no import circle between the
//! crate's modules, no function over 80 lines (tables of data aside), and no
//! `allow(clippy::too_many_arguments)`. Read from `src/` as text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` with its text, tests cut off.
fn sources() -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(src())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            // Unit tests may use anything.
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            (e.path().strip_prefix(src()).unwrap().to_path_buf(), code)
        })
        .collect();
    files.sort();
    files
}

/// The crate module a file belongs to (`pages/feeds.rs` → `pages`); `None`
/// for the crate roots and the binaries.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (!["lib", "main", "bin"].contains(&name.as_str())).then_some(name)
}

/// The crate modules `code` names: `use crate::x…`, `use crate::{x, y…}` and
/// paths written out (`crate::x::f()`), outside comments.
fn imports(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let line = line.split(" //").next().unwrap_or(line);
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                // A group: every name in it.
                Some(group) => group
                    .split([',', '}'])
                    .map(|part| part.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or(""),
                ],
            };
            found.extend(
                names
                    .into_iter()
                    .filter(|n| modules.contains(*n))
                    .map(str::to_string),
            );
        }
    }
    found
}

/// A circle in `graph`, if there is one, as the modules along it.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, code) in &files {
        let Some(module) = module_of(path) else {
            continue;
        };
        let uses = imports(code, &modules);
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(uses.into_iter().filter(|m| m != &module));
    }
    graph
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = module_graph();
    assert!(graph.len() > 20, "the modules were not found: {graph:?}");
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" → "));
    }
}

#[test]
fn the_circle_finder_finds_circles() {
    let modules: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        imports(
            "use crate::{a, b::x};\nlet y = crate::c::f(); // crate::z",
            &modules
        ),
        modules
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_circle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_circle(&graph).unwrap().len(), 4);
}

/// Only the layout module spells the site folder's names.
#[test]
fn only_the_layout_module_spells_the_site_folders_names() {
    // As paths are made of them (`"content"` alone is also an HTML attribute).
    let names = [
        "\"config.toml\"",
        "\".annals-cache\"",
        "join(\"content\")",
        "join(\"static\")",
        "join(\"templates\")",
        "join(\"themes\")",
        "join(\"public\")",
        "== \"content\"",
    ];
    let mut found = Vec::new();
    for (path, code) in sources() {
        if path == Path::new("layout.rs") || path.starts_with("bin") {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            if !line.trim_start().starts_with("//") && names.iter().any(|name| line.contains(name))
            {
                found.push(format!("src/{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Functions of other areas that were over 80 lines when this test came
/// (issue 24); each is its owner's to split. Tables of data stay long.
const LONG_ELSEWHERE: &[(&str, &str)] = &[
    ("disclosure/tables.rs", "outcome_groups"), // a table of data
    ("content/keyboard.rs", "find"),            // a table of data
    ("content/meta.rs", "check"),
    ("model/mod.rs", "build"),
    ("model/mod.rs", "check_urls"),
    ("model/mod.rs", "resolve_attachment"),
    ("markdown.rs", "render_linked"),
    ("import/docx.rs", "parse_body"),
    ("import/docx.rs", "handle_start"),
    ("disclosure/render.rs", "requests"),
    ("disclosure/check.rs", "check_requests"),
    ("content/mod.rs", "load"),
    ("render/views.rs", "new"),
];

/// `allow(clippy::too_many_arguments)` still in other areas, for their owners.
const MANY_ARGUMENTS_ELSEWHERE: &[&str] = &["model/mod.rs", "import/docx.rs"];

/// Every function in `code` with its name and length in lines: from its `fn`
/// line to the closing brace at the same indentation.
fn functions(code: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let signature = [
            "pub fn ",
            "fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "const fn ",
        ]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p));
        let Some(rest) = signature else { continue };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (in a trait) ends with `;`.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            found.push((name, end - i + 1));
        }
    }
    found
}

#[test]
fn no_function_is_over_80_lines() {
    let mut long = Vec::new();
    for (path, code) in sources() {
        let file = path.to_string_lossy().replace('\\', "/");
        for (name, lines) in functions(&code) {
            let known = LONG_ELSEWHERE.contains(&(file.as_str(), name.as_str()));
            if lines > 80 && !known {
                long.push(format!("src/{file}: fn {name} has {lines} lines"));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn no_function_takes_too_many_arguments() {
    let allowed: Vec<String> = sources()
        .into_iter()
        .filter(|(_, code)| code.contains("allow(clippy::too_many_arguments)"))
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .filter(|file| !MANY_ARGUMENTS_ELSEWHERE.contains(&file.as_str()))
        .collect();
    assert!(allowed.is_empty(), "{allowed:?}");
}

#[test]
fn function_lengths_are_measured() {
    let code = "fn a() {\n    x();\n}\n\nimpl X {\n    pub fn b(&self) -> u8 {\n        1\n    }\n    fn c();\n}\n";
    assert_eq!(
        functions(code),
        vec![("a".to_string(), 3), ("b".to_string(), 3)]
    );
}
