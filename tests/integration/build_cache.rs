//! Builds that remember (`.annals-cache/build`): a build that reuses the last
//! one's work must leave exactly the folder a clean build leaves, and an
//! unchanged site must not be written at all.

use crate::common::*;

use std::path::Path;

use proptest::prelude::*;

const UNITS: [&str; 3] = ["甲局", "乙局", "丙局"];
const TAGS: [&str; 3] = ["标签甲", "标签乙", "标签丙"];

/// One report of the model site, as its file says.
#[derive(Debug, Clone)]
struct Rep {
    id: usize,
    /// The file's name without `.md`; renames change it.
    name: String,
    year: i32,
    title_rev: usize,
    day: u32,
    unit: usize,
    tags: Vec<usize>,
    draft: bool,
    slug: Option<String>,
    aliases: Vec<String>,
    body_rev: usize,
    attachment: bool,
}

/// A whole site: its reports, config and template override.
#[derive(Debug, Clone)]
struct Model {
    reports: Vec<Rep>,
    next_id: usize,
    title_rev: usize,
    template_rev: Option<usize>,
}

impl Model {
    fn new(n: usize) -> Model {
        let mut m = Model {
            reports: Vec::new(),
            next_id: 0,
            title_rev: 0,
            template_rev: None,
        };
        for _ in 0..n {
            m.add();
        }
        m
    }

    fn add(&mut self) {
        let id = self.next_id;
        self.next_id += 1;
        self.reports.push(Rep {
            id,
            name: format!("r{id}"),
            year: 2020 + (id % 3) as i32,
            title_rev: 0,
            day: 1 + (id % 27) as u32,
            unit: id % UNITS.len(),
            tags: vec![id % TAGS.len()],
            draft: false,
            slug: None,
            aliases: Vec::new(),
            body_rev: 0,
            attachment: false,
        });
    }

    /// Applies edit `kind` to report number `pick` (modulo the count).
    fn apply(&mut self, kind: usize, pick: usize) {
        if self.reports.is_empty() {
            self.add();
            return;
        }
        let n = self.reports.len();
        let r = &mut self.reports[pick % n];
        match kind {
            0 => self.add(),
            1 => r.name = format!("r{}-{}", r.id, pick % 100),
            2 if n > 1 => {
                self.reports.remove(pick % n);
            }
            3 => r.day = 1 + (pick % 27) as u32,
            4 => r.year = 2019 + (pick % 4) as i32,
            5 => r.unit = pick % UNITS.len(),
            6 => r.tags = vec![pick % TAGS.len(), (pick / 3) % TAGS.len()],
            7 => r.draft = !r.draft,
            8 => r.slug = Some(format!("s{}-{}", r.id, pick % 10)),
            9 => r.aliases = vec![format!("/old/a{}-{}/", r.id, pick % 10)],
            10 => self.title_rev += 1,
            11 => self.template_rev = Some(pick % 3),
            12 => r.attachment = true,
            13 => r.title_rev += 1,
            // The most common edit: the text of one report.
            _ => r.body_rev += 1,
        }
    }

    /// Writes the site into `root`, replacing what the model owns there.
    fn write(&self, root: &Path) {
        let _ = std::fs::remove_dir_all(root.join("content"));
        let _ = std::fs::remove_dir_all(root.join("templates"));
        let config = BASIC_CONFIG.replace(
            "title = \"测试站点\"",
            &format!("title = \"测试站点{}\"", self.title_rev),
        );
        write(root, "config.toml", config.as_bytes());
        if let Some(rev) = self.template_rev {
            // The theme's report page with a mark inside its last block.
            let theme =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/gov/templates/report.html");
            let text = std::fs::read_to_string(theme).unwrap();
            let end = text.rfind("{% endblock %}").expect("a block");
            let marked = format!("{}<!-- template {rev} -->{}", &text[..end], &text[end..]);
            write(root, "templates/report.html", marked.as_bytes());
        }
        for r in &self.reports {
            let mut front = format!(
                "title: {}年报告{}（{}）\ndate: {}-03-{:02}\nyear: {}\nsource: {}\ntags: [{}]\n",
                r.year,
                r.id,
                r.title_rev,
                r.year + 1,
                r.day,
                r.year,
                UNITS[r.unit],
                r.tags
                    .iter()
                    .map(|&t| TAGS[t])
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            if r.draft {
                front += "draft: true\n";
            }
            if let Some(slug) = &r.slug {
                front += &format!("slug: {slug}\n");
            }
            if !r.aliases.is_empty() {
                front += &format!("aliases: [\"{}\"]\n", r.aliases.join("\", \""));
            }
            if r.attachment {
                front += "attachments:\n  - {title: 附件, file: fujian.pdf}\n";
                write(
                    root,
                    &format!("content/{}/{}/fujian.pdf", r.year, r.name),
                    format!("%PDF-1.4 {}", r.id).as_bytes(),
                );
            }
            let body = format!(
                "## 一、总体情况\n\n第{}号报告的正文，第{}版。\n\n## 二、下一步\n\n继续努力。",
                r.id, r.body_rev
            );
            write(
                root,
                &format!("content/{}/{}.md", r.year, r.name),
                format!("---\n{front}---\n\n{body}\n").as_bytes(),
            );
        }
    }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The first difference between two output folders, if any.
fn first_difference(a: &Path, b: &Path) -> Option<String> {
    let (a, b) = (snapshot(a), snapshot(b));
    for (x, y) in a.iter().zip(&b) {
        if x.0 != y.0 {
            return Some(format!(
                "file lists differ at {} / {}",
                x.0.display(),
                y.0.display()
            ));
        }
        if x.1 != y.1 {
            return Some(format!(
                "{} differs:\n--- incremental\n{}\n--- clean\n{}",
                x.0.display(),
                String::from_utf8_lossy(&x.1),
                String::from_utf8_lossy(&y.1)
            ));
        }
    }
    (a.len() != b.len()).then(|| {
        let (long, which) = if a.len() > b.len() {
            (&a, "incremental")
        } else {
            (&b, "clean")
        };
        format!(
            "only the {which} build has {}",
            long[a.len().min(b.len())].0.display()
        )
    })
}

/// Builds the model in `site` with the cache, and in a fresh folder without;
/// returns the incremental build's stdout, or the first difference.
fn build_both(model: &Model, site: &Path) -> Result<String, String> {
    model.write(site);
    let clean_site = tempfile::tempdir().unwrap();
    model.write(clean_site.path());
    // Side by side: the two builds share nothing.
    let (incremental, clean) = std::thread::scope(|s| {
        let clean = s.spawn(|| {
            annals(&[
                "build",
                "--no-cache",
                "--root",
                clean_site.path().to_str().unwrap(),
            ])
        });
        let incremental = annals(&["build", "--root", site.to_str().unwrap()]);
        (incremental, clean.join().unwrap())
    });
    if incremental.status.success() != clean.status.success() {
        return Err(format!(
            "one build failed:\nincremental: {}\nclean: {}",
            stderr(&incremental),
            stderr(&clean)
        ));
    }
    if !clean.status.success() {
        // Both refused the site (e.g. two reports at one address): nothing to compare.
        return Ok(String::new());
    }
    // The same warnings, each site's folder named alike.
    let said = |out: &std::process::Output, root: &Path| {
        stderr(out).replace(root.to_str().unwrap(), "<site>")
    };
    if said(&incremental, site) != said(&clean, clean_site.path()) {
        return Err(format!(
            "warnings differ:\nincremental: {}\nclean: {}",
            stderr(&incremental),
            stderr(&clean)
        ));
    }
    match first_difference(&site.join("public"), &clean_site.path().join("public")) {
        Some(diff) => Err(diff),
        None => Ok(stdout(&incremental)),
    }
}

/// `serve`'s engine (`incremental::Session`), run in this process: after each
/// edit it is told the files whose bytes changed, as the watcher would, and
/// its folder must hold the bytes a clean build with the same address holds,
/// with warnings at the same places.
struct ServeMirror {
    root: std::path::PathBuf,
    session: annals::incremental::Session,
    inputs: Vec<(std::path::PathBuf, Vec<u8>)>,
    /// Rebuilds that rendered only the pages an edit touched.
    partial: usize,
}

/// Every input file of the site (relative path and bytes), the cache aside.
fn inputs_of(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = snapshot(root);
    files.retain(|(p, _)| !p.starts_with(".annals-cache") && !p.starts_with("public"));
    files
}

const SERVE_URL: &str = "http://127.0.0.1:1111";

/// Where each problem is: severity, file (relative), line and column.
fn places(d: &annals::diagnostics::Diagnostics, root: &Path) -> Vec<String> {
    let mut v: Vec<String> = d
        .items
        .iter()
        .map(|d| {
            let file = d
                .file
                .as_deref()
                .map(|f| f.strip_prefix(root).unwrap_or(f).to_path_buf());
            format!("{:?} {:?} {:?} {:?}", d.severity, file, d.line, d.column)
        })
        .collect();
    v.sort();
    v
}

impl ServeMirror {
    fn start(model: &Model, dir: &Path) -> Result<ServeMirror, String> {
        let root = dir.canonicalize().unwrap();
        model.write(&root);
        let out = root.join(".annals-cache/serve");
        let options = annals::pipeline::BuildOptions {
            root: root.clone(),
            output: Some(out.clone()),
            base_url: Some(SERVE_URL.to_string()),
            ..Default::default()
        };
        let mut session = annals::incremental::Session::new(options, &out);
        let first = session.rebuild_all();
        let mirror = ServeMirror {
            inputs: inputs_of(&root),
            root,
            session,
            partial: 0,
        };
        mirror.compare(model, first.map(|s| s.warnings))?;
        Ok(mirror)
    }

    /// Writes the model and rebuilds with the files it changed.
    fn step(&mut self, model: &Model) -> Result<(), String> {
        model.write(&self.root);
        let now = inputs_of(&self.root);
        let before: std::collections::BTreeMap<_, _> = self.inputs.iter().cloned().collect();
        let after: std::collections::BTreeMap<_, _> = now.iter().cloned().collect();
        let mut changed: Vec<std::path::PathBuf> = before
            .keys()
            .chain(after.keys())
            .filter(|p| before.get(*p) != after.get(*p))
            .map(|p| self.root.join(p))
            .collect();
        changed.sort();
        changed.dedup();
        self.inputs = now;
        let result = self.session.rebuild(&changed);
        if let Ok(summary) = &result
            && !summary.full
        {
            self.partial += 1;
        }
        self.compare(model, result.map(|s| s.warnings))
    }

    /// The serve folder against a clean build of the same model and address.
    fn compare(
        &self,
        model: &Model,
        served: Result<annals::diagnostics::Diagnostics, annals::diagnostics::Diagnostics>,
    ) -> Result<(), String> {
        let clean = tempfile::tempdir().unwrap();
        let clean_root = clean.path().canonicalize().unwrap();
        model.write(&clean_root);
        let built = annals::pipeline::build(&annals::pipeline::BuildOptions {
            root: clean_root.clone(),
            base_url: Some(SERVE_URL.to_string()),
            ..Default::default()
        });
        let (served, built) = match (served, built) {
            (Ok(s), Ok(b)) => (s, b.warnings),
            (Err(s), Err(b)) => (s, b),
            (s, b) => return Err(format!("one failed: serve {s:?}, build {b:?}")),
        };
        if places(&served, &self.root) != places(&built, &clean_root) {
            return Err(format!(
                "warnings differ:\nserve: {:?}\nbuild: {:?}",
                places(&served, &self.root),
                places(&built, &clean_root)
            ));
        }
        let public = clean_root.join("public");
        if !public.exists() {
            return Ok(());
        }
        let _ = std::fs::remove_file(public.join(".annals-output"));
        match first_difference(&self.root.join(".annals-cache/serve"), &public) {
            Some(diff) => Err(diff),
            None => Ok(()),
        }
    }
}

/// Random sequences of edits; after each, the build with the cache must leave
/// the very bytes a clean build leaves. Every step is two whole builds, so a
/// few short sequences (seeded, so a failure repeats) cover every kind of edit.
#[test]
fn incremental_builds_equal_clean_builds() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases: 6,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[17; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let partial = std::sync::atomic::AtomicUsize::new(0);
    let serve_partial = std::sync::atomic::AtomicUsize::new(0);
    let edits = prop::collection::vec((0usize..20, 0usize..1000), 5);
    let result = runner.run(&edits, |edits| {
        let site = tempfile::tempdir().unwrap();
        let mut model = Model::new(6);
        build_both(&model, site.path()).map_err(TestCaseError::fail)?;
        let served = tempfile::tempdir().unwrap();
        let mut serve = ServeMirror::start(&model, served.path()).map_err(TestCaseError::fail)?;
        for (step, (kind, pick)) in edits.into_iter().enumerate() {
            model.apply(kind, pick);
            let fail = |e: String| {
                TestCaseError::fail(format!(
                    "after edit {step} ({kind}, {pick}): {e}\n{model:#?}"
                ))
            };
            let out = build_both(&model, site.path()).map_err(fail)?;
            serve
                .step(&model)
                .map_err(|e| fail(format!("serve: {e}")))?;
            serve_partial.fetch_add(
                std::mem::take(&mut serve.partial),
                std::sync::atomic::Ordering::Relaxed,
            );
            if out.contains("pages again") {
                partial.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The test is about the partial path: it must have been taken.
    assert!(partial.into_inner() >= 5, "too few incremental builds");
    assert!(
        serve_partial.into_inner() >= 5,
        "too few partial serve rebuilds"
    );
}

/// Inode and modification time of every file, to see which were written.
fn stamps(dir: &Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut v: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            (e.path().to_path_buf(), m.ino(), m.modified().unwrap())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn an_unchanged_site_is_not_written_again() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(4);
    model.write(site.path());
    let first = annals(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let public = site.path().join("public");
    let before = stamps(&public);
    assert!(before.len() > 20);
    // Written again with the same bytes: new mtimes, same content.
    model.write(site.path());
    let second = annals(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("nothing changed"),
        "{}",
        stdout(&second)
    );
    assert_eq!(stamps(&public), before, "the output was written");
    // No staging folder was made beside it.
    let beside: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("annals-staging"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn an_unchanged_build_repeats_the_warnings() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(2);
    model.write(site.path());
    let file = site.path().join("content/2020/r0.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text + "\n[无处](/no/such/page/)\n").unwrap();
    let first = annals(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(
        stderr(&first).contains("/no/such/page/"),
        "{}",
        stderr(&first)
    );
    let second = annals(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(stdout(&second).contains("nothing changed"));
    assert_eq!(stderr(&first), stderr(&second));
}

#[test]
fn a_changed_output_folder_is_built_again() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(3);
    model.write(site.path());
    let root = site.path().to_str().unwrap();
    assert!(annals(&["build", "--root", root]).status.success());
    let page = site.path().join("public/index.html");
    std::fs::remove_file(&page).unwrap();
    let again = annals(&["build", "--root", root]);
    assert!(!stdout(&again).contains("nothing changed"));
    assert!(page.is_file());
}

#[test]
fn a_body_edit_renders_only_the_pages_that_show_the_report() {
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(30);
    let first = build_both(&model, site.path()).unwrap();
    let total: usize = number_before(&first, " pages (").expect("a page count");
    model.reports[0].body_rev += 1;
    let out = build_both(&model, site.path()).unwrap();
    let rendered = number_before(&out, " pages again").expect("an incremental build");
    assert!(
        rendered < total / 4,
        "{rendered} of {total} pages rendered again:\n{out}"
    );
    let page = std::fs::read_to_string(site.path().join("public/2020/r0/index.html")).unwrap();
    assert!(page.contains("第1版"));
}

#[test]
fn a_template_change_renders_every_page_that_uses_it() {
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(5);
    build_both(&model, site.path()).unwrap();
    model.template_rev = Some(1);
    let out = build_both(&model, site.path()).unwrap();
    assert!(
        !out.contains("pages again"),
        "a full build was expected:\n{out}"
    );
    for r in &model.reports {
        let page = site
            .path()
            .join(format!("public/{}/{}/index.html", r.year, r.name));
        let page = std::fs::read_to_string(&page).unwrap();
        assert!(page.contains("<!-- template 1 -->"), "{}", r.name);
    }
    // And a config change, too.
    model.title_rev = 1;
    let out = build_both(&model, site.path()).unwrap();
    assert!(!out.contains("pages again"), "{out}");
    let home = Html::parse_document(
        &std::fs::read_to_string(site.path().join("public/index.html")).unwrap(),
    );
    assert!(
        texts(&home, "title")
            .iter()
            .any(|t| t.contains("测试站点1"))
    );
}

use scraper::Html;

/// The number just before `marker` in `text` (`rendered 5 pages again` → 5).
fn number_before(text: &str, marker: &str) -> Option<usize> {
    let head = &text[..text.find(marker)?];
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_with_a_warning() {
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(4);
    build_both(&model, site.path()).unwrap();
    let record = the_record(site.path());
    let good = std::fs::read(&record).unwrap();
    let foreign = String::from_utf8(good.clone())
        .unwrap()
        .replacen("\"annals\":\"", "\"annals\":\"0.0.1-elsewhere ", 1)
        .into_bytes();
    let cases: [(&str, Vec<u8>); 3] = [
        ("garbage", b"\x00\xffnot a cache at all".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("foreign", foreign),
    ];
    for (what, bytes) in cases {
        std::fs::write(&record, &bytes).unwrap();
        // An edit too, so a trusted cache would have been used.
        model.reports[1].body_rev += 1;
        model.write(site.path());
        let out = annals(&["build", "--root", site.path().to_str().unwrap()]);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("build cache was not used"),
            "{what}: {}",
            stderr(&out)
        );
        assert!(!stdout(&out).contains("pages again"), "{what}");
        let clean_site = tempfile::tempdir().unwrap();
        model.write(clean_site.path());
        let root = clean_site.path().to_str().unwrap();
        assert!(
            annals(&["build", "--no-cache", "--root", root])
                .status
                .success()
        );
        assert_eq!(
            first_difference(
                &site.path().join("public"),
                &clean_site.path().join("public")
            ),
            None,
            "{what}"
        );
        // The next build trusts the fresh record again.
        let again = annals(&["build", "--root", site.path().to_str().unwrap()]);
        assert!(stdout(&again).contains("nothing changed"), "{what}");
    }
}

#[test]
fn other_build_options_do_not_use_the_cache() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(3);
    model.write(site.path());
    let root = site.path().to_str().unwrap();
    assert!(annals(&["build", "--root", root]).status.success());
    let drafts = annals(&["build", "--root", root, "--drafts"]);
    assert!(drafts.status.success());
    assert!(!stdout(&drafts).contains("nothing changed"));
    assert!(
        stderr(&drafts).contains("other build options"),
        "{}",
        stderr(&drafts)
    );
    let nocache = annals(&["build", "--root", root, "--drafts", "--no-cache"]);
    assert!(!stdout(&nocache).contains("nothing changed"));
}

/// The one record in a site that was built into one output folder.
fn the_record(site: &Path) -> std::path::PathBuf {
    let records: Vec<_> = std::fs::read_dir(site.join(".annals-cache/build"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    records[0].clone()
}

#[test]
fn each_output_folder_has_its_own_record() {
    let site = tempfile::tempdir().unwrap();
    Model::new(3).write(site.path());
    let root = site.path().to_str().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("preview");
    assert!(annals(&["build", "--root", root]).status.success());
    let preview = annals(&["build", "--root", root, "--output", other.to_str().unwrap()]);
    assert!(preview.status.success());
    assert_eq!(
        stderr(&preview),
        "",
        "a second output folder is no foreign cache"
    );
    for args in [vec![], vec!["--output", other.to_str().unwrap()]] {
        let again = annals(&[&["build", "--root", root][..], &args].concat());
        assert!(stdout(&again).contains("nothing changed"), "{args:?}");
    }
}

#[test]
fn records_of_many_output_folders_do_not_pile_up() {
    let site = tempfile::tempdir().unwrap();
    Model::new(2).write(site.path());
    let root = site.path().to_str().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let outputs: Vec<String> = (0..11)
        .map(|i| {
            elsewhere
                .path()
                .join(format!("out{i}"))
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for out in &outputs {
        let built = annals(&["build", "--root", root, "--output", out]);
        assert!(built.status.success(), "{}", stderr(&built));
        // Records are told apart by modification time.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let records = std::fs::read_dir(site.path().join(".annals-cache/build"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(records, 8, "records kept");
    // The newest output folder still takes the cached path.
    let last = outputs.last().unwrap();
    let again = annals(&["build", "--root", root, "--output", last]);
    assert!(
        stdout(&again).contains("nothing changed"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn a_linked_cache_folder_is_neither_read_nor_written() {
    use std::os::unix::fs::symlink;
    let site = tempfile::tempdir().unwrap();
    Model::new(2).write(site.path());
    let away = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(away.path().join("build")).unwrap();
    std::fs::write(away.path().join("build/keep.json"), "mine").unwrap();
    symlink(away.path(), site.path().join(".annals-cache")).unwrap();
    let before = snapshot(away.path());
    let root = site.path().to_str().unwrap();
    for _ in 0..2 {
        let out = annals(&["build", "--root", root]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        assert!(!stdout(&out).contains("nothing changed"));
    }
    assert_eq!(snapshot(away.path()), before, "written through the link");
}

/// Runs `annals build` under a time limit: a cache file that blocks must not hang it.
fn build_within(site: &Path, secs: u64) -> std::process::Output {
    run_with_limit(
        &["build", "--root", site.to_str().unwrap()],
        &[],
        std::time::Duration::from_secs(secs),
    )
}

/// The build of `model` in a fresh folder without the cache.
fn clean_output(model: &Model) -> tempfile::TempDir {
    let clean = tempfile::tempdir().unwrap();
    model.write(clean.path());
    let root = clean.path().to_str().unwrap();
    assert!(
        annals(&["build", "--no-cache", "--root", root])
            .status
            .success()
    );
    clean
}

#[test]
fn a_record_that_is_a_link_or_a_pipe_is_not_read() {
    use std::os::unix::fs::symlink;
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(3);
    build_both(&model, site.path()).unwrap();
    let record = the_record(site.path());
    for what in ["/dev/zero", "fifo"] {
        std::fs::remove_file(&record).unwrap();
        if what == "fifo" {
            let path = std::ffi::CString::new(record.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        } else {
            symlink(what, &record).unwrap();
        }
        model.reports[0].body_rev += 1;
        model.write(site.path());
        let out = build_within(site.path(), 60);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("build cache was not used"),
            "{what}: {}",
            stderr(&out)
        );
        let clean = clean_output(&model);
        assert_eq!(
            first_difference(&site.path().join("public"), &clean.path().join("public")),
            None,
            "{what}"
        );
    }
}

#[test]
fn a_links_cache_that_is_a_pipe_does_not_hang_check() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(1);
    model.write(site.path());
    let file = site.path().join("content/2020/r0.md");
    let text = std::fs::read_to_string(&file).unwrap();
    // Port 9 on loopback: refused at once, no network needed.
    std::fs::write(&file, text + "\n[外部](http://127.0.0.1:9/x)\n").unwrap();
    std::fs::create_dir_all(site.path().join(".annals-cache")).unwrap();
    let fifo = site.path().join(".annals-cache/links.json");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let root = site.path().to_str().unwrap();
    let out = run_with_limit(
        &["check", "--external", "--root", root],
        &[],
        std::time::Duration::from_secs(60),
    );
    assert!(stderr(&out).contains("127.0.0.1:9"), "{}", stderr(&out));
}

/// Sets a file's modification time, as `touch -r` does.
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_built() {
    let site = tempfile::tempdir().unwrap();
    let model = Model::new(3);
    model.write(site.path());
    // Files written long ago, so the cache does not hash them again as "racy".
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let file = site.path().join("content/2020/r0.md");
    set_mtime(&file, long_ago);
    let root = site.path().to_str().unwrap();
    assert!(annals(&["build", "--root", root]).status.success());
    // `cp -p`, `touch -r`, tar, unzip: new bytes with the old size and time.
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("第0版", "第9版");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&file, &edited).unwrap();
    set_mtime(&file, long_ago);
    let out = annals(&["build", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("nothing changed"),
        "{}",
        stdout(&out)
    );
    let page = std::fs::read_to_string(site.path().join("public/2020/r0/index.html")).unwrap();
    assert!(page.contains("第9版"), "the edit was not built");
}

#[test]
fn a_defaced_output_file_of_the_same_size_is_repaired() {
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(3);
    build_both(&model, site.path()).unwrap();
    let page = site.path().join("public/404.html");
    let deface = || {
        let good = std::fs::read(&page).unwrap();
        let time = std::fs::metadata(&page).unwrap().modified().unwrap();
        std::fs::write(&page, vec![b'X'; good.len()]).unwrap();
        set_mtime(&page, time);
        good
    };
    // Nothing else changed: the build must not take the output as it is.
    let good = deface();
    let root = site.path().to_str().unwrap();
    let out = annals(&["build", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&page).unwrap(), good, "unchanged build");
    // A report edited too: a partial pass must not keep the defaced file.
    deface();
    model.reports[1].body_rev += 1;
    build_both(&model, site.path()).unwrap();
    assert_eq!(std::fs::read(&page).unwrap(), good, "partial build");
}

#[test]
fn a_record_edited_by_hand_is_not_trusted() {
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(4);
    build_both(&model, site.path()).unwrap();
    let record = the_record(site.path());
    let text = String::from_utf8(std::fs::read(&record).unwrap()).unwrap();
    // Every dependency list emptied: list pages would never be rendered again.
    let list = "\"pages_of\":{\"pages\":[";
    let start = text.find(list).expect("a dependency list") + list.len();
    let end = start + text[start..].find("]]").expect("its end") + 1;
    let emptied = format!(
        "{}{}{}",
        &text[..start],
        vec!["[]"; model.reports.len()].join(","),
        &text[end..]
    );
    std::fs::write(&record, emptied).unwrap();
    model.reports[2].body_rev += 1;
    model.write(site.path());
    let out = annals(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("build cache was not used"),
        "{}",
        stderr(&out)
    );
    let clean = clean_output(&model);
    assert_eq!(
        first_difference(&site.path().join("public"), &clean.path().join("public")),
        None
    );
}

/// `kill -9` of a build at many points of a partial (cache-using) pass: the
/// output is always the old site or the new one, and the next build repairs
/// whatever the killed one left to equal a clean build.
#[test]
fn a_killed_partial_build_is_repaired_by_the_next() {
    use std::os::unix::process::ExitStatusExt;
    let site = tempfile::tempdir().unwrap();
    let mut model = Model::new(40);
    build_both(&model, site.path()).unwrap();
    let root = site.path().to_str().unwrap().to_string();
    // Points from "at once" to "after the swap, before the record is saved".
    let delays_ms = [0u64, 3, 10, 25, 60, 120, 250, 400, 700];
    for (step, delay) in delays_ms.into_iter().enumerate() {
        let before = snapshot(&site.path().join("public"));
        model.reports[step % 3].body_rev += 1;
        model.write(site.path());
        let mut child = annals_command()
            .args(["build", "--root", &root])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let status = child.wait().unwrap();
        let after = snapshot(&site.path().join("public"));
        if status.signal() == Some(libc::SIGKILL) && after != before {
            // Killed after the swap: the new site is whole.
            let clean = clean_output(&model);
            assert_eq!(
                first_difference(&site.path().join("public"), &clean.path().join("public")),
                None,
                "half a site after a kill at {delay} ms"
            );
        }
        let out = build_both(&model, site.path());
        assert!(out.is_ok(), "after a kill at {delay} ms: {out:?}");
    }
}
