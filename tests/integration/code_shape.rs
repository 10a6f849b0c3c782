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
        // `import` is being rewritten by its owner (issue 22 §5); it still
        // spells `content` in three places.
        if path == Path::new("layout.rs") || path.starts_with("bin") || path.starts_with("import") {
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
