//! The site model: sections, reports, years, units and taxonomies, with every
//! URL and output path decided here, once. Later stages only read it.

pub mod slug;
pub mod unit_kind;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::config::{Config, UnitConfig, UnitKind};
use crate::content::{AssetSource, LoadedContent, ReportMeta, SectionSource};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::tr;

use crate::routes;
pub use crate::routes::{RESERVED_PATHS, alias_output_path, output_path};

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub root: PathBuf,
    pub sections: Vec<Section>,
    /// Newest first: by publish date, then weight, then title.
    pub reports: Vec<Report>,
    /// Report years, newest first.
    pub years: Vec<Year>,
    /// Issuing units, by name.
    pub units: Vec<Unit>,
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
    pub assets: Vec<Asset>,
    pub aliases: Vec<Alias>,
}

#[derive(Debug)]
pub struct Section {
    /// Folder relative to `content/`, `""` for the root section.
    pub dir: String,
    pub title: String,
    pub description: String,
    pub weight: i64,
    pub hidden: bool,
    pub url: String,
    pub file: Option<PathBuf>,
    pub parent: Option<usize>,
    /// Child sections, by weight then title.
    pub children: Vec<usize>,
    /// Reports directly in this folder, newest first.
    pub reports: Vec<usize>,
    pub extra: serde_json::Value,
}

#[derive(Debug)]
pub struct Report {
    pub file: PathBuf,
    pub section: usize,
    pub slug: String,
    /// Site path, e.g. `/2022/kaifu-yjj-fazhi-2022/`.
    pub url: String,
    pub permalink: String,
    pub print_url: String,
    pub share_url: String,
    pub meta: ReportMeta,
    /// The Markdown source. `pipeline::build` empties it once rendered (to save
    /// memory); pages use the `Rendered` html and text instead.
    pub body: String,
    pub body_line: usize,
    pub unit: usize,
    pub category: Option<usize>,
    pub tags: Vec<usize>,
    pub attachments: Vec<Attachment>,
    /// The same unit's report of the same category, one step back / forward in years.
    pub prev: Option<usize>,
    pub next: Option<usize>,
    /// Index of the year in `Site::years`.
    pub year_index: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    pub title: String,
    pub url: String,
    /// Upper-case file type, e.g. `PDF`; empty for links without an extension.
    pub kind: String,
    pub size: Option<u64>,
    pub external: bool,
}

#[derive(Debug)]
pub struct Year {
    pub year: i32,
    pub url: String,
    pub print_url: String,
    /// Newest first.
    pub reports: Vec<usize>,
    /// Within the configured window of current years.
    pub current: bool,
}

#[derive(Debug)]
pub struct Unit {
    pub name: String,
    pub slug: String,
    /// True when the slug came from pinyin, not from `[units]` in config.
    pub slug_derived: bool,
    pub url: String,
    pub feed_url: String,
    pub details: UnitConfig,
    /// Government or department: which deadline its yearly reports have.
    pub kind: UnitKind,
    /// Newest first.
    pub reports: Vec<usize>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub reports: Vec<usize>,
}

#[derive(Debug)]
pub struct Asset {
    pub file: PathBuf,
    /// Output path relative to the output folder.
    pub output: String,
}

#[derive(Debug)]
pub struct Alias {
    /// Old site path, e.g. `/zwgk/2023/0310/12345.html`.
    pub path: String,
    pub report: usize,
}

/// Options that change which content is in the model.
#[derive(Debug, Default, Clone)]
pub struct ModelOptions {
    pub drafts: bool,
}

impl ModelOptions {
    /// Whether a report with this front matter is part of the site (drafts
    /// only when asked for).
    pub fn includes(&self, meta: &ReportMeta) -> bool {
        self.drafts || !meta.draft
    }
}

fn section_url(dir: &str) -> String {
    routes::section_url(dir)
}

impl Site {
    pub fn build(
        config: Config,
        root: &Path,
        content: LoadedContent,
        options: &ModelOptions,
        diagnostics: &mut Diagnostics,
    ) -> Site {
        let LoadedContent {
            sections,
            reports,
            assets,
        } = content;
        let mut site = Site {
            config,
            root: root.to_path_buf(),
            sections: Vec::new(),
            reports: Vec::new(),
            years: Vec::new(),
            units: Vec::new(),
            categories: Vec::new(),
            tags: Vec::new(),
            assets: Vec::new(),
            aliases: Vec::new(),
        };
        // A folder named like a report holds its attachments; it is not a section.
        let report_folders: std::collections::HashSet<String> =
            reports.iter().map(|r| join_rel(&r.dir, &r.stem)).collect();
        site.add_sections(
            sections
                .into_iter()
                .filter(|s| s.file.is_some() || !report_folders.contains(&s.dir))
                .collect(),
        );
        let mut reports: Vec<_> = reports
            .into_iter()
            .filter(|r| options.includes(&r.meta))
            .collect();
        // Reports are large structs; sorting them moves a lot of bytes, so use all cores.
        use rayon::slice::ParallelSliceMut;
        reports.par_sort_by(|a, b| {
            b.meta
                .date
                .cmp(&a.meta.date)
                .then(a.meta.weight.cmp(&b.meta.weight))
                .then(a.meta.title.cmp(&b.meta.title))
                .then(a.file.cmp(&b.file))
        });
        let section_index: HashMap<String, usize> = site
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.dir.clone(), i))
            .collect();
        let content_dir = root.join(crate::content::CONTENT_DIR);
        let content_files = ContentFiles {
            content_dir: &content_dir,
            sizes: assets.iter().map(|a| (a.rel.as_str(), a.size)).collect(),
        };
        // Files in a folder named like a report move with the report's slug.
        let mut moved_folders: HashMap<String, String> = HashMap::new();
        for r in reports {
            let section = section_index.get(&r.dir).copied().unwrap_or(0);
            site.add_report(r, section, &content_files, &mut moved_folders, diagnostics);
        }
        site.add_assets(assets, &moved_folders);
        site.group_years();
        site.group_units();
        site.group_terms();
        site.link_series();
        site.add_aliases();
        site.check_urls(diagnostics);
        site
    }

    fn add_sections(&mut self, mut sources: Vec<SectionSource>) {
        sources.sort_by(|a, b| a.dir.cmp(&b.dir));
        if sources.first().is_none_or(|s| !s.dir.is_empty()) {
            sources.insert(
                0,
                SectionSource {
                    dir: String::new(),
                    file: None,
                    meta: Default::default(),
                },
            );
        }
        for s in sources {
            let parent = if s.dir.is_empty() {
                None
            } else {
                let parent_dir = s.dir.rsplit_once('/').map_or("", |(p, _)| p);
                self.sections.iter().position(|p| p.dir == parent_dir)
            };
            let index = self.sections.len();
            if let Some(p) = parent {
                self.sections[p].children.push(index);
            }
            self.sections.push(Section {
                url: section_url(&s.dir),
                dir: s.dir,
                title: s.meta.title,
                description: s.meta.description,
                weight: s.meta.weight,
                hidden: s.meta.hidden,
                file: s.file,
                parent,
                children: Vec::new(),
                reports: Vec::new(),
                extra: s.meta.extra,
            });
        }
        let keys: Vec<(i64, String)> = self
            .sections
            .iter()
            .map(|s| (s.weight, s.title.clone()))
            .collect();
        for s in &mut self.sections {
            s.children.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        }
    }

    fn add_assets(&mut self, assets: Vec<AssetSource>, moved: &HashMap<String, String>) {
        for a in assets {
            let (dir, name) = a.rel.rsplit_once('/').unwrap_or(("", a.rel.as_str()));
            let output = match moved.get(dir) {
                Some(target) => join_rel(target, name),
                None => a.rel.clone(),
            };
            self.assets.push(Asset {
                file: a.file,
                output,
            });
        }
    }

    fn group_years(&mut self) {
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (i, r) in self.reports.iter().enumerate() {
            by_year.entry(r.meta.year).or_default().push(i);
        }
        let window = self.config.archive.current_years;
        for (position, (year, reports)) in by_year.into_iter().rev().enumerate() {
            let url = routes::year_url(year);
            for &r in &reports {
                self.reports[r].year_index = self.years.len();
            }
            self.years.push(Year {
                year,
                print_url: routes::print_url(&url),
                url,
                reports,
                current: position < window,
            });
        }
    }

    fn group_units(&mut self) {
        // A former name (`former_names` under [units]) is grouped with its unit.
        let current: HashMap<&str, &str> = self
            .config
            .units
            .iter()
            .flat_map(|(name, u)| {
                u.former_names
                    .iter()
                    .map(move |old| (old.as_str(), name.as_str()))
            })
            .collect();
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, r) in self.reports.iter().enumerate() {
            let source = r.meta.source.as_str();
            let name = current.get(source).copied().unwrap_or(source);
            by_name.entry(name.to_string()).or_default().push(i);
        }
        let mut taken: HashMap<String, usize> = HashMap::new();
        for (name, reports) in by_name {
            let configured = self.config.units.get(&name).cloned();
            let slug_derived = configured.is_none();
            let base = configured
                .as_ref()
                .map(|u| u.slug.clone())
                .unwrap_or_else(|| slug::pinyin_slug(&name));
            let slug = unique_slug(&mut taken, base);
            let url = routes::unit_url(&slug);
            for &r in &reports {
                self.reports[r].unit = self.units.len();
            }
            let kind = unit_kind::kind_of(&name, configured.as_ref().and_then(|u| u.kind));
            self.units.push(Unit {
                kind,
                feed_url: routes::unit_feed_url(&url),
                url,
                slug,
                slug_derived,
                details: configured.unwrap_or_default(),
                name,
                reports,
            });
        }
    }

    fn group_terms(&mut self) {
        let mut categories: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, r) in self.reports.iter().enumerate() {
            if let Some(c) = &r.meta.category {
                categories.entry(c.clone()).or_default().push(i);
            }
            for t in &r.meta.tags {
                let list = tags.entry(t.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        self.categories = make_terms(categories, "categories");
        for (ci, c) in self.categories.iter().enumerate() {
            for &r in &c.reports {
                self.reports[r].category = Some(ci);
            }
        }
        self.tags = make_terms(tags, "tags");
        for (ti, t) in self.tags.iter().enumerate() {
            for &r in &t.reports {
                self.reports[r].tags.push(ti);
            }
        }
    }

    /// Previous/next in a unit's series of reports of one category, by report year.
    fn link_series(&mut self) {
        let mut series: BTreeMap<(usize, Option<usize>), Vec<usize>> = BTreeMap::new();
        for (i, r) in self.reports.iter().enumerate() {
            series.entry((r.unit, r.category)).or_default().push(i);
        }
        for (_, mut list) in series {
            list.sort_by_key(|&i| (self.reports[i].meta.year, self.reports[i].meta.date, i));
            for pair in list.windows(2) {
                self.reports[pair[1]].prev = Some(pair[0]);
                self.reports[pair[0]].next = Some(pair[1]);
            }
        }
    }

    /// Adds one report in section `section`, with its slug, addresses and
    /// attachments; its attachment folder moves with its address.
    fn add_report(
        &mut self,
        r: crate::content::ReportSource,
        section: usize,
        files: &ContentFiles,
        moved_folders: &mut HashMap<String, String>,
        diagnostics: &mut Diagnostics,
    ) {
        let slug = r
            .meta
            .slug
            .clone()
            .unwrap_or_else(|| slug::file_slug(&r.stem));
        let url = routes::report_url(&r.dir, &slug);
        let report_folder = join_rel(&r.dir, &r.stem);
        moved_folders.insert(report_folder.clone(), url.trim_matches('/').to_string());
        let attachments = AttachmentPlace {
            meta: &r.meta,
            file: &r.file,
            dir: &r.dir,
            report_folder: &report_folder,
            report_url: &url,
        }
        .resolve_all(files, diagnostics);
        let index = self.reports.len();
        self.sections[section].reports.push(index);
        self.reports.push(Report {
            permalink: self.config.permalink(&url),
            print_url: routes::print_url(&url),
            share_url: routes::share_url(&url),
            url,
            file: r.file,
            section,
            slug,
            meta: r.meta,
            body: r.body,
            body_line: r.body_line,
            unit: 0,
            category: None,
            tags: Vec::new(),
            attachments,
            prev: None,
            next: None,
            year_index: 0,
        });
    }

    fn add_aliases(&mut self) {
        for (i, r) in self.reports.iter().enumerate() {
            for a in &r.meta.aliases {
                self.aliases.push(Alias {
                    path: a.clone(),
                    report: i,
                });
            }
        }
    }

    /// Every output path the model gives a page or file (reserved top-level
    /// names included), so `check` and the build's link warnings know what exists
    /// before anything is written.
    pub fn output_paths(&self) -> std::collections::HashSet<String> {
        let mut claimed = std::collections::HashSet::new();
        for top in RESERVED_PATHS {
            claimed.insert(output_path(&format!("/{top}/")));
            claimed.insert((*top).to_string());
        }
        for r in &self.reports {
            for url in [&r.url, &r.print_url, &r.share_url] {
                claimed.insert(output_path(url));
            }
        }
        for y in &self.years {
            claimed.insert(output_path(&y.url));
            claimed.insert(output_path(&y.print_url));
        }
        for u in &self.units {
            claimed.insert(output_path(&u.url));
            claimed.insert(output_path(&u.feed_url));
        }
        for t in self.categories.iter().chain(&self.tags) {
            claimed.insert(output_path(&t.url));
        }
        for a in &self.aliases {
            claimed.insert(alias_output_path(&a.path));
        }
        for a in &self.assets {
            claimed.insert(a.output.clone());
        }
        for s in &self.sections {
            claimed.insert(output_path(&s.url));
        }
        claimed
    }

    /// Every output path is claimed once; two claims are an error naming both files.
    fn check_urls(&self, diagnostics: &mut Diagnostics) {
        let mut claims = Claims::default();
        for s in &self.sections {
            let file = s
                .file
                .clone()
                .unwrap_or_else(|| self.root.join(crate::layout::CONTENT_DIR).join(&s.dir));
            let top = s.dir.split('/').next().unwrap_or("");
            if RESERVED_PATHS.contains(&top) {
                diagnostics.push(
                    Diagnostic::error(tr("model.reserved-folder", &[("top", &top)]))
                        .in_file(&file)
                        .with_help(tr(
                            "model.reserved-folder-help",
                            &[("reserved", &RESERVED_PATHS.join(", "))],
                        )),
                );
            }
            claims.claim(
                output_path(&s.url),
                tr("model.what-section", &[("title", &s.title)]),
                file,
                diagnostics,
            );
        }
        for r in &self.reports {
            let top = r
                .url
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("");
            if RESERVED_PATHS.contains(&top) {
                diagnostics.push(
                    Diagnostic::error(tr("model.reserved-address", &[("url", &r.url)]))
                        .in_file(&r.file)
                        .with_help(tr(
                            "model.reserved-address-help",
                            &[("reserved", &RESERVED_PATHS.join(", "))],
                        )),
                );
            }
            let granted = claims.claim(
                output_path(&r.url),
                tr("model.what-report", &[("title", &r.meta.title)]),
                r.file.clone(),
                diagnostics,
            );
            if !granted {
                continue;
            }
            for (url, what) in [
                (&r.print_url, "model.what-print"),
                (&r.share_url, "model.what-share"),
            ] {
                claims.claim(
                    output_path(url),
                    tr(what, &[("title", &r.meta.title)]),
                    r.file.clone(),
                    diagnostics,
                );
            }
        }
        self.check_aliases(&mut claims, diagnostics);
    }

    /// Each alias is a plain path that a static file can answer, and claims its address.
    fn check_aliases(&self, claims: &mut Claims, diagnostics: &mut Diagnostics) {
        for a in &self.aliases {
            let r = &self.reports[a.report];
            if let Some(problem) = alias_problem(&a.path) {
                diagnostics.push(
                    Diagnostic::error(tr(
                        "model.alias",
                        &[("alias", &a.path), ("problem", &problem)],
                    ))
                    .in_file(&r.file)
                    .at_line(r.meta.line_of("aliases").unwrap_or(1))
                    .with_help(if a.path.contains(['?', '#']) {
                        tr("model.alias-query-help", &[])
                    } else {
                        tr("model.alias-help", &[])
                    }),
                );
                continue;
            }
            let path = alias_output_path(&a.path);
            claims.claim(
                path,
                tr("model.what-alias", &[("title", &r.meta.title)]),
                r.file.clone(),
                diagnostics,
            );
        }
    }
}

/// Output paths claimed so far, by what claims them and its file.
#[derive(Default)]
struct Claims(HashMap<String, (String, PathBuf)>);

impl Claims {
    /// Claims `path`; a second claim is an error naming both. Whether the claim
    /// was granted: a report whose address is taken is one error, not three
    /// more for its print and share pages.
    fn claim(
        &mut self,
        path: String,
        what: String,
        file: PathBuf,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        let Some((other_what, other_file)) = self.0.get(&path) else {
            self.0.insert(path, (what, file));
            return true;
        };
        diagnostics.push(
            Diagnostic::error(tr(
                "model.address-clash",
                &[
                    ("what", &what),
                    ("other", other_what),
                    ("other_file", &other_file.display()),
                    ("address", &path.trim_end_matches("index.html")),
                ],
            ))
            .in_file(&file)
            .with_help(tr("model.address-clash-help", &[])),
        );
        false
    }
}

/// Why an alias cannot be a static redirect page, if it cannot.
fn alias_problem(alias: &str) -> Option<String> {
    if alias.contains(['?', '#']) {
        return Some(tr("model.alias-query", &[]));
    }
    let output = alias_output_path(alias);
    if output
        .split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return Some(tr("model.alias-escapes", &[]));
    }
    // The output's own working files: `.annals-output` marks a folder annals
    // may replace, `.x.annals-tmp` is a file being written.
    if let Some(part) = output
        .split('/')
        .find(|part| part.starts_with('.') && part.contains(".annals"))
    {
        return Some(tr("model.alias-annals-file", &[("name", &part)]));
    }
    let top = output.split('/').next().unwrap_or("");
    RESERVED_PATHS.contains(&top).then(|| {
        tr(
            "model.alias-reserved",
            &[("top", &top), ("reserved", &RESERVED_PATHS.join(", "))],
        )
    })
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn unique_slug(taken: &mut HashMap<String, usize>, base: String) -> String {
    let n = taken.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { base } else { format!("{base}-{n}") }
}

fn make_terms(map: BTreeMap<String, Vec<usize>>, kind: &str) -> Vec<Term> {
    let mut taken = HashMap::new();
    map.into_iter()
        .map(|(name, reports)| {
            let slug = unique_slug(&mut taken, slug::pinyin_slug(&name));
            Term {
                url: routes::term_url(kind, &slug),
                slug,
                name,
                reports,
            }
        })
        .collect()
}

/// Where a report's attachments are looked for: its file and metadata, its
/// section folder, its attachment folder and its address.
struct AttachmentPlace<'a> {
    meta: &'a ReportMeta,
    file: &'a Path,
    dir: &'a str,
    report_folder: &'a str,
    report_url: &'a str,
}

/// The files of `content/` an attachment may be: the folder and each file's size.
struct ContentFiles<'a> {
    content_dir: &'a Path,
    sizes: HashMap<&'a str, u64>,
}

impl AttachmentPlace<'_> {
    /// Every attachment of the report that resolves; the others are errors.
    fn resolve_all(&self, files: &ContentFiles, diagnostics: &mut Diagnostics) -> Vec<Attachment> {
        self.meta
            .attachments
            .iter()
            .filter_map(|spec| {
                resolve_attachment(spec, self, files)
                    .map_err(|d| diagnostics.push(d))
                    .ok()
            })
            .collect()
    }
}

/// The kind of a file by its extension (`PDF`), shown beside an attachment.
fn kind_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_uppercase())
        .filter(|e| e.len() <= 5 && !e.contains('/'))
        .unwrap_or_default()
}

fn resolve_attachment(
    spec: &crate::content::AttachmentSpec,
    place: &AttachmentPlace,
    files: &ContentFiles,
) -> Result<Attachment, Diagnostic> {
    let AttachmentPlace {
        meta,
        file,
        dir,
        report_folder,
        report_url,
    } = *place;
    let (content_dir, sizes) = (files.content_dir, &files.sizes);
    let line = meta.line_of("attachments").unwrap_or(1);
    if let Some(url) = &spec.url {
        return Ok(Attachment {
            title: spec.title.clone(),
            kind: kind_of(url.split(['?', '#']).next().unwrap_or(url)),
            url: url.clone(),
            size: None,
            external: true,
        });
    }
    let name = spec.file.as_deref().unwrap_or_default();
    let error = |msg: String, help: String| {
        Diagnostic::error(msg)
            .in_file(file)
            .at_line(line)
            .with_help(help)
    };
    if name.contains("..") || name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err(error(
            tr("model.attachment-outside", &[("file", &name)]),
            tr("model.attachment-outside-help", &[]),
        ));
    }
    for (folder, url_base) in [
        (report_folder, report_url.to_string()),
        (dir, section_url(dir)),
    ] {
        let rel = join_rel(folder, name);
        if let Some(&size) = sizes.get(rel.as_str()) {
            // The walk followed links; make sure the real file is inside content/.
            let real = content_dir.join(&rel).canonicalize().ok();
            let base = content_dir.canonicalize().ok();
            if let (Some(real), Some(base)) = (real, base)
                && !real.starts_with(&base)
            {
                return Err(error(
                    tr("model.attachment-link-outside", &[("file", &name)]),
                    tr("model.attachment-link-outside-help", &[]),
                ));
            }
            if size == 0 {
                return Err(error(
                    tr("model.attachment-empty", &[("file", &name)]),
                    tr("model.attachment-empty-help", &[]),
                ));
            }
            return Ok(Attachment {
                title: spec.title.clone(),
                url: format!("{url_base}{name}"),
                kind: kind_of(name),
                size: Some(size),
                external: false,
            });
        }
    }
    let folder = join_rel(
        dir,
        report_folder.rsplit('/').next().unwrap_or(report_folder),
    );
    Err(error(
        tr("model.attachment-missing", &[("file", &name)]),
        tr(
            "model.attachment-missing-help",
            &[("file", &name), ("folder", &folder)],
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_must_be_plain_paths() {
        assert!(alias_problem("/old.jsp?id=3").is_some());
        assert!(alias_problem("/archive/2022/").is_some());
        assert!(alias_problem("/zwgk/archive/").is_none());
    }
}
