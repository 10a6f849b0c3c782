//! `annals serve`: builds the site into its own folder, serves it on a local
//! port, watches the site's files and rebuilds on every save, reloading open
//! browser tabs. While a saved file has an error, pages show the error instead.

pub mod http;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::cache_dir::ensure_cache_dir;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;
use crate::incremental::{RebuildSummary, Session};
use crate::layout::{CACHE_DIR, INPUT_DIRS, SiteLayout};
use crate::pipeline::BuildOptions;

/// How long the watcher waits for more changes before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// A steady stream of changes still rebuilds this often.
const MAX_WAIT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 lets the system choose; a taken port moves on to the next free one.
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Start the editor's workbench at `/_annals/` (loopback addresses only).
    pub workbench: bool,
}

/// State shared between the rebuild loop and the request threads.
#[derive(Default)]
pub struct Shared {
    state: Mutex<Status>,
    changed: Condvar,
    stopping: AtomicBool,
}

#[derive(Default)]
struct Status {
    generation: u64,
    /// Text of the errors of the last rebuild, if it failed.
    error: Option<String>,
    /// The warnings of the last successful rebuild, then `annals check`'s
    /// findings: pages show them in a panel, as `build` and `check` print them.
    warnings: Option<Vec<PanelEntry>>,
}

/// One finding in serve's panel: its text as `annals check` prints it, and the
/// address of the report it concerns, when it concerns one.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelEntry {
    pub text: String,
    pub href: Option<String>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Status> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn error(&self) -> Option<String> {
        self.lock().error.clone()
    }

    pub fn warnings(&self) -> Option<Vec<PanelEntry>> {
        self.lock().warnings.clone()
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Records the outcome of a rebuild and wakes every waiting event stream.
    fn publish(&self, error: Option<String>, warnings: Option<Vec<PanelEntry>>) {
        let mut s = self.lock();
        s.generation += 1;
        s.error = error;
        s.warnings = warnings;
        self.changed.notify_all();
    }

    /// Puts `annals check`'s findings in the panel, unless a rebuild came
    /// after the one they were found for (its `generation`) or it failed.
    fn publish_findings(&self, generation: u64, findings: Option<Vec<PanelEntry>>) {
        let mut s = self.lock();
        // No new generation: open tabs are not reloaded again; the panel
        // shows the findings from the next page on.
        if s.generation == generation && s.error.is_none() {
            s.warnings = findings;
        }
    }

    /// Waits until the generation differs from `seen`, or `timeout` passed.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen)
            .unwrap_or_else(|e| e.into_inner());
        guard.generation
    }
}

/// Binds `bind:port`, or the next free port after a taken one.
fn bind(address: &str, port: u16) -> Result<std::net::TcpListener, Diagnostic> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(20)
    };
    let mut error = String::new();
    for p in port..=last {
        match std::net::TcpListener::bind((address, p)) {
            Ok(server) => return Ok(server),
            Err(e) => error = e.to_string(),
        }
    }
    Err(Diagnostic::error(tr(
        "serve.cannot-listen",
        &[("address", &format!("{address}:{port}")), ("error", &error)],
    ))
    .with_help(tr("serve.cannot-listen-help", &[])))
}

fn describe(summary: &RebuildSummary) -> String {
    let args: &[(&str, &dyn std::fmt::Display)] = &[
        ("ms", &summary.elapsed.as_millis()),
        ("pages", &summary.pages_rendered),
        ("files", &summary.files_written),
        ("reports", &summary.reports),
    ];
    if summary.full {
        tr("serve.rebuilt-all", args)
    } else {
        tr("serve.rebuilt-report", args)
    }
}

fn error_text(diagnostics: &Diagnostics) -> String {
    let mut text = String::new();
    for d in diagnostics.sorted() {
        text.push_str(&d.to_string());
        text.push_str("\n\n");
    }
    text
}

fn print_diagnostics(diagnostics: &Diagnostics, quiet: bool) {
    for d in diagnostics.sorted() {
        if d.is_error() || !quiet {
            eprintln!("{d}");
        }
    }
}

/// The address a browser on this machine opens: a bind to every interface
/// (`0.0.0.0`, `::`) is reached through loopback.
fn local_address(listening: SocketAddr) -> String {
    let port = listening.port();
    match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{port}"),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{port}"),
        _ => listening.to_string(),
    }
}

/// A warning when the preview can be reached from other machines.
fn network_exposure(listening: SocketAddr) -> Option<Diagnostic> {
    if listening.ip().is_loopback() {
        return None;
    }
    let reach = if listening.ip().is_unspecified() {
        tr("serve.reach-all", &[])
    } else {
        tr("serve.reach-one", &[])
    };
    Some(
        Diagnostic::warning(tr(
            "serve.exposure",
            &[("address", &listening), ("reach", &reach)],
        ))
        .with_help(tr("serve.exposure-help", &[])),
    )
}

/// Runs until the process is stopped.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostics> {
    let root = options.root.canonicalize().map_err(|e| {
        Diagnostic::error(tr("serve.cannot-open-root", &[("error", &e)]))
            .in_file(&options.root)
            .with_help(tr("serve.cannot-open-root-help", &[]))
    })?;
    let server = bind(&options.bind, options.port)?;
    let listening = server.local_addr().map_err(|e| {
        Diagnostic::error(tr(
            "serve.cannot-listen",
            &[("address", &options.bind), ("error", &e)],
        ))
    })?;
    let address = format!("http://{}", local_address(listening));
    let lock = lock_site(&root)?;
    let out_dir = SiteLayout::new(&root).serve_output();
    // A fresh folder: files of an earlier session may belong to deleted reports.
    let _ = std::fs::remove_dir_all(&out_dir);
    let mut session = Session::new(
        BuildOptions {
            root: root.clone(),
            output: Some(out_dir.clone()),
            base_url: Some(address.clone()),
            drafts: options.drafts,
            ..BuildOptions::default()
        },
        &out_dir,
    );
    let live = Live::start(&root, options.drafts);
    let failed = rebuild(&mut session, &[], true, &live, options);
    let (mut watcher, rx) = watch_site(&root)?;
    let mut watch = Watch {
        watcher: &mut watcher,
        watched: BTreeSet::new(),
        root: &root,
    };
    watch.add_dirs();
    let workbench = start_workbench(options, &root, &address, listening)?;
    let entry = workbench.as_ref().map(|w| w.entry_url());
    let site = http::Site {
        shared: Arc::clone(&live.shared),
        dir: out_dir,
        port: listening.port(),
        bind: options.bind.clone(),
        workbench,
    };
    start_server(server, site)?;
    announce(&root, &address, listening, entry.as_deref());
    if options.open {
        open_browser(&entry.unwrap_or_else(|| format!("{address}/")));
    }
    watch.rebuild_on_changes(&rx, &mut session, failed, &live, options);
    live.shared.stopping.store(true, Ordering::Relaxed);
    drop(lock);
    Ok(())
}

/// Takes the site's serve lock: a second `serve` would rewrite the same folder.
fn lock_site(root: &Path) -> Result<std::fs::File, Diagnostics> {
    let layout = SiteLayout::new(root);
    let cache = layout.cache();
    ensure_cache_dir(&cache).map_err(|e| {
        Diagnostic::error(tr(
            "serve.cannot-create",
            &[("path", &CACHE_DIR), ("error", &e)],
        ))
        .in_file(&cache)
    })?;
    let lock_path = layout.serve_lock();
    let lock = crate::site_files::open_lock_file(&lock_path).map_err(|e| {
        Diagnostic::error(tr(
            "serve.cannot-create",
            &[("path", &lock_path.display()), ("error", &e)],
        ))
    })?;
    if lock.try_lock().is_err() {
        return Err(Diagnostic::error(tr("serve.already-running", &[]))
            .in_file(root)
            .with_help(tr("serve.already-running-help", &[]))
            .into());
    }
    Ok(lock)
}

type Events = Receiver<notify::Result<notify::Event>>;

/// A watcher of the site folder itself (not recursively: config.toml and
/// folders created later) and the channel its changes arrive on.
fn watch_site(root: &Path) -> Result<(notify::RecommendedWatcher, Events), Diagnostic> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading files (the rebuild itself) is not a change.
        if let Ok(event) = &event
            && !is_change(&event.kind)
        {
            return;
        }
        let _ = tx.send(event);
    })
    .map_err(|e| Diagnostic::error(tr("serve.cannot-watch", &[("error", &e)])))?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| {
            Diagnostic::error(tr(
                "serve.cannot-watch-folder",
                &[("path", &root.display()), ("error", &e)],
            ))
        })?;
    Ok((watcher, rx))
}

/// Says where the preview and the workbench are (in one write, so a reader that
/// stops after the first line still gets both), and warns when other machines
/// can reach the preview.
fn announce(root: &Path, address: &str, listening: SocketAddr, workbench: Option<&str>) {
    let exposure = network_exposure(listening);
    let listening_on = exposure
        .as_ref()
        .map(|_| tr("serve.listening-on", &[("address", &listening)]))
        .unwrap_or_default();
    let mut lines = tr(
        "serve.serving",
        &[
            ("root", &root.display()),
            ("address", &address),
            ("listening", &listening_on),
        ],
    );
    if let Some(url) = workbench {
        lines.push('\n');
        lines.push_str(&tr("serve.workbench", &[("url", &url)]));
    }
    lines.push('\n');
    let _ = std::io::stdout().write_all(lines.as_bytes());
    if let Some(warning) = exposure {
        eprintln!("{warning}");
    }
    let _ = std::io::stdout().flush();
}

/// The site's input folders being watched.
struct Watch<'a> {
    watcher: &'a mut dyn Watcher,
    watched: BTreeSet<PathBuf>,
    root: &'a Path,
}

impl Watch<'_> {
    /// Starts watching the input folders that exist and are not watched yet;
    /// says whether a folder was added after the first ones.
    fn add_dirs(&mut self) -> bool {
        watch_dirs(self.watcher, self.root, &mut self.watched)
    }

    /// Rebuilds after every batch of changes until the watcher is gone.
    fn rebuild_on_changes(
        &mut self,
        rx: &Events,
        session: &mut Session,
        mut failed: bool,
        live: &Live,
        options: &ServeOptions,
    ) {
        while let Some(events) = next_batch(rx) {
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|p| is_site_file(self.root, p))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if paths.is_empty() {
                continue;
            }
            // A folder created after start (e.g. static/) is watched from now on.
            let new_dirs = self.add_dirs();
            if options.verbose {
                for p in &paths {
                    eprintln!("{}", tr("serve.changed", &[("path", &p.display())]));
                }
            }
            // After a failure, rebuild everything: the last good state may hide other broken files.
            failed = rebuild(session, &paths, failed || new_dirs, live, options);
        }
    }
}

fn is_change(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Waits for a change, then for a quiet moment, so that one save that touches a
/// file several times (or saves of several files) makes one rebuild.
/// `None` when the watcher is gone.
fn next_batch(rx: &Events) -> Option<Vec<PathBuf>> {
    let mut events = Vec::new();
    let mut take = |event: notify::Result<notify::Event>| match event {
        Ok(event) => events.push(event),
        Err(e) => eprintln!("{}", tr("serve.watch-failed", &[("error", &e)])),
    };
    take(rx.recv().ok()?);
    let start = std::time::Instant::now();
    while start.elapsed() < MAX_WAIT {
        match rx.recv_timeout(DEBOUNCE) {
            Ok(event) => take(event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(changed_paths(events))
}

/// The paths a batch of events changed, without files that came and went within
/// it: an editor's atomic save (most editors, `sed -i`) writes a temporary file
/// and renames it onto the report, which is then an edit of the report alone,
/// not a new and a deleted file (which would re-render the whole site).
fn changed_paths(events: Vec<notify::Event>) -> Vec<PathBuf> {
    use notify::event::{EventKind, ModifyKind, RenameMode};
    let mut appeared = std::collections::HashSet::new();
    let mut paths = Vec::new();
    for event in events {
        match event.kind {
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                appeared.extend(event.paths.iter().cloned());
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                appeared.extend(event.paths.get(1).cloned());
            }
            _ => {}
        }
        paths.extend(event.paths);
    }
    paths.retain(|p| !appeared.contains(p) || p.exists());
    paths
}

/// Rebuilds and tells the browsers; returns whether it failed.
fn rebuild(
    session: &mut Session,
    paths: &[PathBuf],
    full: bool,
    live: &Live,
    options: &ServeOptions,
) -> bool {
    let shared = &live.shared;
    let result = if full {
        session.rebuild_all()
    } else {
        session.rebuild(paths)
    };
    // The root was made absolute; editors know their files by the site-relative path.
    let root = session.root().to_path_buf();
    let shorten = |diagnostics: Diagnostics| relative_to(diagnostics, &root);
    let result = result
        .map(|mut summary| {
            summary.warnings = shorten(std::mem::take(&mut summary.warnings));
            summary
        })
        .map_err(shorten);
    match result {
        Ok(summary) => {
            print_diagnostics(&summary.warnings, options.quiet);
            if !options.quiet {
                eprintln!("{}", describe(&summary));
            }
            let warnings = (!summary.warnings.items.is_empty())
                .then(|| panel_entries(&summary.warnings, &HashMap::new()));
            shared.publish(None, warnings);
            // The panel then shows what `annals check` finds, once it is known.
            let _ = live.checks.send(shared.generation());
            false
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, false);
            eprintln!(
                "{}",
                tr("serve.errors", &[("errors", &diagnostics.error_count())])
            );
            shared.publish(Some(error_text(&diagnostics)), None);
            true
        }
    }
}

/// Paths of findings relative to the site folder: editors know their files so.
fn relative_to(mut diagnostics: Diagnostics, root: &Path) -> Diagnostics {
    for d in &mut diagnostics.items {
        if let Some(file) = d.file.take() {
            d.file = Some(relative_path(file, root));
        }
    }
    diagnostics
}

/// `file` below `root` as a path relative to it; any other path as it is.
fn relative_path(file: PathBuf, root: &Path) -> PathBuf {
    match file.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => file,
    }
}

/// What tells the browsers about rebuilds: the shared state and the thread
/// that runs `annals check` after each successful one.
struct Live {
    shared: Arc<Shared>,
    checks: std::sync::mpsc::Sender<u64>,
}

impl Live {
    fn start(root: &Path, drafts: bool) -> Live {
        let shared = Arc::new(Shared::default());
        let checks = start_checker(root.to_path_buf(), drafts, Arc::clone(&shared));
        Live { shared, checks }
    }
}

/// Runs `annals check` (without external links) after each successful
/// rebuild, on its own thread so no reload waits for it, one at a time and
/// only for the newest rebuild; its findings, errors first, replace the
/// build's warnings in the panel, as `annals check` would print them.
fn start_checker(root: PathBuf, drafts: bool, shared: Arc<Shared>) -> std::sync::mpsc::Sender<u64> {
    let (tx, rx) = std::sync::mpsc::channel::<u64>();
    std::thread::spawn(move || {
        // A pool of its own, one thread: the checks of a large site then never
        // fill the pool the next rebuild needs, so a save is not kept waiting.
        let Ok(checks_pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
            return;
        };
        while let Ok(mut generation) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                generation = newer;
            }
            if shared.generation() != generation || shared.stopping() {
                continue;
            }
            let options = crate::check::CheckOptions {
                build: BuildOptions {
                    root: root.clone(),
                    drafts,
                    ..BuildOptions::default()
                },
                external: false,
                // A .gov.cn site sees the inspection rules of `check --gov` too.
                gov: crate::config::Config::load(&root)
                    .is_ok_and(|(c, _)| crate::check::gov::applies(&c.base_url)),
            };
            let Ok(outcome) = checks_pool.install(|| crate::check::run(&options)) else {
                continue;
            };
            let urls: HashMap<PathBuf, String> = outcome
                .report_urls
                .into_iter()
                .map(|(file, url)| (relative_path(file, &root), url))
                .collect();
            let findings = relative_to(outcome.diagnostics, &root);
            let entries = (!findings.items.is_empty()).then(|| panel_entries(&findings, &urls));
            shared.publish_findings(generation, entries);
        }
    });
    tx
}

/// Findings as `annals check` prints them, errors first, each with the address
/// of its report (`urls`: site-relative source file to report address).
fn panel_entries(diagnostics: &Diagnostics, urls: &HashMap<PathBuf, String>) -> Vec<PanelEntry> {
    let mut sorted = diagnostics.sorted();
    sorted.sort_by_key(|d| !d.is_error());
    sorted
        .into_iter()
        .map(|d| PanelEntry {
            text: d.to_string(),
            href: d.file.as_ref().and_then(|f| urls.get(f)).cloned(),
        })
        .collect()
}

/// Starts watching the site's folders that exist and are not watched yet.
fn watch_dirs(watcher: &mut dyn Watcher, root: &Path, watched: &mut BTreeSet<PathBuf>) -> bool {
    let mut added = false;
    for name in INPUT_DIRS {
        let dir = root.join(name);
        if dir.is_dir()
            && !watched.contains(&dir)
            && watcher.watch(&dir, RecursiveMode::Recursive).is_ok()
        {
            watched.insert(dir);
            added = true;
        }
    }
    added && watched.len() > 1
}

/// Whether a changed path is part of the site (not an editor's swap file, not output).
fn is_site_file(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
    });
    if hidden {
        return false;
    }
    SiteLayout::is_input(rel)
}

/// The workbench, when asked for and the server is reachable from this machine only.
fn start_workbench(
    options: &ServeOptions,
    root: &Path,
    address: &str,
    listening: SocketAddr,
) -> Result<Option<crate::workbench::Workbench>, Diagnostic> {
    if !options.workbench {
        return Ok(None);
    }
    if !listening.ip().is_loopback() {
        eprintln!("{}", tr("serve.workbench-off", &[("bind", &options.bind)]));
        return Ok(None);
    }
    crate::workbench::Workbench::new(root, address, options.drafts)
        .map(Some)
        .map_err(|e| Diagnostic::error(tr("serve.workbench-cannot-start", &[("error", &e)])))
}

fn start_server(listener: std::net::TcpListener, site: http::Site) -> Result<(), Diagnostic> {
    let handler: crate::http_server::Handler =
        Arc::new(move |request| http::handle(request, &site));
    let limit: crate::http_server::BodyLimit = Arc::new(crate::workbench::Workbench::body_limit);
    crate::http_server::Server::start_with_bodies(listener, handler, limit)
        .map_err(|e| Diagnostic::error(tr("serve.cannot-start", &[("error", &e)])))?
        .detach();
    Ok(())
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(command.0)
        .args(&command.1)
        .spawn()
    {
        eprintln!(
            "{}",
            tr("serve.no-browser", &[("error", &e), ("url", &url)])
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};

    #[test]
    fn a_taken_port_moves_on_to_the_next() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let server = bind("127.0.0.1", port).expect("a free port after it");
        let got = server.local_addr().unwrap().port();
        assert_ne!(got, port);
        assert!(got > port && got <= port.saturating_add(20));
    }

    #[test]
    fn only_writes_count_as_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn site_files_exclude_output_and_editor_files() {
        let root = Path::new("/site");
        assert!(is_site_file(root, Path::new("/site/content/2023/a.md")));
        assert!(is_site_file(root, Path::new("/site/config.toml")));
        assert!(is_site_file(root, Path::new("/site/templates/report.html")));
        assert!(!is_site_file(
            root,
            Path::new("/site/content/2023/.a.md.swp")
        ));
        assert!(!is_site_file(root, Path::new("/site/content/2023/a.md~")));
        assert!(!is_site_file(
            root,
            Path::new("/site/.annals-cache/serve/index.html")
        ));
        assert!(!is_site_file(root, Path::new("/site/public/index.html")));
        assert!(!is_site_file(root, Path::new("/elsewhere/content/a.md")));
    }

    #[test]
    fn a_rename_onto_a_report_is_an_edit_of_the_report_only() {
        use notify::event::{DataChange, RenameMode};
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("a.md");
        let temp = dir.path().join("sedX1b2c3");
        std::fs::write(&report, "new text").unwrap();
        let event = |kind, paths: &[&PathBuf]| {
            paths
                .iter()
                .fold(notify::Event::new(kind), |e, p| e.add_path((*p).clone()))
        };
        // sed -i: create a temporary file, write it, rename it onto the report.
        let events = vec![
            event(EventKind::Create(CreateKind::File), &[&temp]),
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &[&temp],
            ),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                &[&temp],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                &[&temp],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                &[&report],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[&temp, &report],
            ),
        ];
        let paths: BTreeSet<PathBuf> = changed_paths(events).into_iter().collect();
        assert_eq!(paths, BTreeSet::from([report.clone()]));
        // A file that existed before and is gone now is still a change.
        let gone = dir.path().join("b.md");
        let events = vec![event(
            EventKind::Remove(notify::event::RemoveKind::File),
            &[&gone],
        )];
        assert_eq!(changed_paths(events), vec![gone]);
    }
}
