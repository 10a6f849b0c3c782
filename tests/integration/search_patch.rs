//! The search index patched for edited reports (`search::write_patched`) is
//! byte for byte the index a full build of the new site writes; an index that
//! cannot be trusted is built whole instead.

use crate::common::*;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use annals::incremental::Session;
use annals::output::{FileHashes, InPlace, Sink, Staged};
use annals::pages::BuildContext;
use annals::pipeline::{BuildOptions, Mode, SitePass};
use annals::search::{self, Edit, FolderIndex, SearchStats};
use proptest::prelude::*;

const INDEX: &str = "search/index";

/// Words the reports are made of, shared so that terms have many postings.
const WORDS: [&str; 12] = [
    "安全生产",
    "依法行政",
    "政务公开",
    "财政预算",
    "environment",
    "GDP",
    "行政复议",
    "信息公开",
    "统计数据",
    "年度报告",
    "法治政府",
    "监督检查",
];

/// One report of a model site: indices into `WORDS`.
#[derive(Debug, Clone)]
struct Doc {
    title: usize,
    summary: Option<usize>,
    heading: usize,
    body: Vec<usize>,
}

impl Doc {
    fn new(i: usize) -> Doc {
        Doc {
            title: i % WORDS.len(),
            summary: i.is_multiple_of(3).then_some((i + 5) % WORDS.len()),
            heading: (i * 7) % WORDS.len(),
            body: (0..(i % 5) + 1)
                .map(|k| (i + k * 3) % WORDS.len())
                .collect(),
        }
    }

    /// One random edit: `kind` says what, `word` with what.
    fn edit(&mut self, kind: usize, word: usize) {
        let word = word % WORDS.len();
        match kind % 6 {
            0 => self.body.push(word),
            1 if !self.body.is_empty() => {
                let at = word % self.body.len();
                self.body[at] = (self.body[at] + 1) % WORDS.len();
            }
            2 => self.title = word,
            3 => self.summary = self.summary.xor(Some(word)),
            4 => self.heading = word,
            _ => self.body.clear(),
        }
    }
}

fn write_doc(site: &SiteDir, i: usize, doc: &Doc) {
    let body: Vec<&str> = doc.body.iter().map(|&w| WORDS[w]).collect();
    let extra = doc
        .summary
        .map(|w| format!("summary: 本年{}\n", WORDS[w]))
        .unwrap_or_default();
    site.report(
        &format!("2023/r{i}.md"),
        &format!("第{i}号{}工作报告", WORDS[doc.title]),
        // Distinct dates: the order of reports never changes.
        &format!(
            "{}-{:02}-{:02}",
            2024 + i / 336,
            1 + (i / 28) % 12,
            1 + i % 28
        ),
        ["甲局", "乙局"][i % 2],
        &extra,
        &format!(
            "## {}\n\n{}。\n\n全年工作稳步推进。",
            WORDS[doc.heading],
            body.join("，")
        ),
    );
}

fn pass(site: &SiteDir) -> SitePass {
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    SitePass::make(&options, Mode::Preview).expect("site pass")
}

/// Writes the index of `pass` into `dir`: whole, or patched for `edits`.
fn write_index(pass: &SitePass, dir: &Path, edits: Option<&[Edit]>) -> SearchStats {
    let out = InPlace::new(dir, FileHashes::default()).unwrap();
    let none = HashSet::new();
    let ctx = BuildContext {
        only: edits.map(|_| &none),
        ..BuildContext::full(
            &pass.site,
            &pass.rendered,
            &pass.renderer,
            &out,
            &pass.qr,
            &pass.stats,
        )
    };
    let stats = match edits {
        Some(edits) => search::write_patched(&ctx, &FolderIndex::new(dir), edits),
        None => search::write(&ctx),
    }
    .expect("index written");
    out.finish(false);
    stats
}

/// The edits that take `old` to `new`, for the reports of `files`.
fn edits_of(old: &SitePass, new: &SitePass, files: &HashSet<usize>) -> Vec<Edit> {
    let names: Vec<_> = old.site.reports.iter().map(|r| &r.file).collect();
    let same: Vec<_> = new.site.reports.iter().map(|r| &r.file).collect();
    assert_eq!(names, same, "the reports keep their places");
    let mut edits: Vec<Edit> = (0..old.site.reports.len())
        .filter(|i| {
            let name = old.site.reports[*i].file.file_stem().unwrap();
            let n: usize = name.to_str().unwrap()[1..].parse().unwrap();
            files.contains(&n)
        })
        .map(|index| Edit {
            index,
            meta: old.site.reports[index].meta.clone(),
            rendered: old.rendered[index].clone(),
        })
        .collect();
    edits.reverse();
    edits
}

/// The index a full build of `pass` writes, in a folder of its own.
fn clean_index(pass: &SitePass) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    write_index(pass, dir.path(), None);
    snapshot(&dir.path().join(INDEX))
}

fn model_site(n: usize) -> (SiteDir, Vec<Doc>) {
    let site = SiteDir::new();
    let docs: Vec<Doc> = (0..n).map(Doc::new).collect();
    for (i, doc) in docs.iter().enumerate() {
        write_doc(&site, i, doc);
    }
    (site, docs)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn patched_index_equals_a_full_build(
        n in 2usize..14,
        rounds in prop::collection::vec(
            prop::collection::vec((0usize..64, 0usize..6, 0usize..64), 1..4),
            1..4,
        ),
    ) {
        let (site, mut docs) = model_site(n);
        let dir = tempfile::tempdir().unwrap();
        let mut old = pass(&site);
        write_index(&old, dir.path(), None);
        for round in rounds {
            let mut edited = HashSet::new();
            for (pick, kind, word) in round {
                let i = pick % n;
                docs[i].edit(kind, word);
                write_doc(&site, i, &docs[i]);
                edited.insert(i);
            }
            let new = pass(&site);
            let edits = edits_of(&old, &new, &edited);
            let stats = write_index(&new, dir.path(), Some(&edits));
            prop_assert!(stats.patched.is_some(), "patched, not rebuilt");
            prop_assert!(snapshot(&dir.path().join(INDEX)) == clean_index(&new));
            old = new;
        }
    }
}

/// A site, its index, then one body edit: the previous index, the pass of the
/// edited site and the edit.
fn edited_site() -> (SiteDir, tempfile::TempDir, SitePass, Vec<Edit>) {
    let (site, mut docs) = model_site(6);
    let dir = tempfile::tempdir().unwrap();
    let old = pass(&site);
    write_index(&old, dir.path(), None);
    docs[2].edit(0, 7);
    write_doc(&site, 2, &docs[2]);
    let new = pass(&site);
    let edits = edits_of(&old, &new, &HashSet::from([2]));
    (site, dir, new, edits)
}

/// What is done to the previous index, and how to say it.
type Damage = (&'static str, fn(&Path));

#[test]
fn an_index_that_cannot_be_trusted_is_built_whole() {
    let damage: [Damage; 4] = [
        ("meta.json of another format", |dir| {
            let meta = dir.join(INDEX).join("meta.json");
            let text = std::fs::read_to_string(&meta).unwrap();
            let text = text.replacen("\"version\":1", "\"version\":0", 1);
            std::fs::write(meta, text).unwrap();
        }),
        ("meta.json without the total", |dir| {
            let meta = dir.join(INDEX).join("meta.json");
            let mut json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
            json.as_object_mut().unwrap().remove("postings");
            std::fs::write(meta, json.to_string()).unwrap();
        }),
        ("damaged shards", |dir| {
            for entry in std::fs::read_dir(dir.join(INDEX)).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap() != "meta.json" && path.is_file() {
                    std::fs::write(path, "{\"x\":").unwrap();
                }
            }
        }),
        ("missing shards", |dir| {
            for entry in std::fs::read_dir(dir.join(INDEX)).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap() != "meta.json" && path.is_file() {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }),
    ];
    for (what, damage) in damage {
        let (_site, dir, new, edits) = edited_site();
        damage(dir.path());
        let stats = write_index(&new, dir.path(), Some(&edits));
        assert!(stats.patched.is_none(), "{what}: built whole");
        assert!(
            snapshot(&dir.path().join(INDEX)) == clean_index(&new),
            "{what}"
        );
    }
}

#[test]
fn an_edit_whose_old_text_is_not_the_indexed_one_is_built_whole() {
    let (_site, dir, new, mut edits) = edited_site();
    // As if the previous index had been built from the new text already.
    edits[0].rendered = new.rendered[edits[0].index].clone();
    let stats = write_index(&new, dir.path(), Some(&edits));
    assert!(stats.patched.is_none());
    assert!(snapshot(&dir.path().join(INDEX)) == clean_index(&new));
}

#[test]
fn another_report_count_is_built_whole() {
    let (site, dir, _, edits) = edited_site();
    write_doc(&site, 6, &Doc::new(6));
    let grown = pass(&site);
    // Report 2 of the old site is report 3 of the grown one: not an edit.
    let stats = write_index(&grown, dir.path(), Some(&edits));
    assert!(stats.patched.is_none());
    assert!(snapshot(&dir.path().join(INDEX)) == clean_index(&grown));
}

/// A partial `build` keeps every index file the patch does not rewrite: the
/// staged output then holds exactly the files of a full build.
#[test]
fn a_staged_patch_keeps_the_files_it_does_not_rewrite() {
    let (site, mut docs) = model_site(8);
    let public = site.public();
    let old = pass(&site);
    let out = Staged::begin(&public).unwrap();
    let ctx = BuildContext::full(
        &old.site,
        &old.rendered,
        &old.renderer,
        &out,
        &old.qr,
        &old.stats,
    );
    search::write(&ctx).unwrap();
    out.commit().unwrap();

    docs[3].edit(0, 4);
    write_doc(&site, 3, &docs[3]);
    let new = pass(&site);
    let edits = edits_of(&old, &new, &HashSet::from([3]));
    let out = Staged::begin(&public).unwrap();
    let (none, skipped) = (HashSet::new(), Mutex::new(HashSet::new()));
    let ctx = BuildContext {
        only: Some(&none),
        skipped: Some(&skipped),
        ..BuildContext::full(
            &new.site,
            &new.rendered,
            &new.renderer,
            &out,
            &new.qr,
            &new.stats,
        )
    };
    let stats = search::write_patched(&ctx, &FolderIndex::new(&public), &edits).unwrap();
    let written = out.paths().len();
    let kept = skipped.into_inner().unwrap();
    for rel in &kept {
        assert!(out.keep(rel).unwrap(), "{rel} kept");
    }
    out.commit().unwrap();
    assert_eq!(stats.patched, Some(written));
    assert!(
        written >= 2 && written < kept.len(),
        "{written} {}",
        kept.len()
    );
    assert!(snapshot(&public.join(INDEX)) == clean_index(&new));
}

fn reports() -> usize {
    std::env::var("ANNALS_SEARCH_PATCH_REPORTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// `serve` patches the index for a body edit and leaves what a full pass
/// leaves; a later edit patches the patched index.
#[test]
fn serve_patches_the_index_of_an_edited_report() {
    let n = reports();
    let (site, mut docs) = model_site(n);
    let serve_out = site.path().join("serve-out");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    let mut session = Session::new(options.clone(), &serve_out);
    let full = session.rebuild_all().expect("full pass");
    for (round, (i, kind)) in [(1, 0), (n / 2, 1), (1, 3)].into_iter().enumerate() {
        docs[i].edit(kind, round + 2);
        write_doc(&site, i, &docs[i]);
        let file = site.path().join(format!("content/2023/r{i}.md"));
        let edit = session.rebuild(&[file]).expect("rebuild");
        eprintln!(
            "{n} reports: index built in {:?} (jieba dictionary {:?}), patched in {:?} ({:?} files)",
            full.search.elapsed,
            full.search.dictionary_load,
            edit.search.elapsed,
            edit.search.patched
        );
        assert!(!edit.full, "{edit:?}");
        assert!(edit.search.patched.is_some(), "{:?}", edit.search);
        let clean_out = site.path().join("clean-out");
        Session::new(options.clone(), &clean_out)
            .rebuild_all()
            .expect("clean pass");
        assert!(snapshot(&serve_out.join(INDEX)) == snapshot(&clean_out.join(INDEX)));
    }
}
