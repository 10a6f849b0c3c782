//! The same corpus as an annals, a Hugo and a Zola site: each generator's folder
//! layout, front matter syntax and a minimal set of templates that render the
//! same pages (report pages with contents list, section lists, home).

use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use crate::Report;
use crate::vocab::KINDS;

/// Marks a folder as written by this tool, so it may be emptied next time.
pub const MARKER: &str = ".annals-bench-corpus";

const SITE_TITLE: &str = "青川市人民政府信息公开";
const BASE_URL: &str = "https://www.qingchuan.example.gov.cn";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flavor {
    Annals,
    Hugo,
    Zola,
}

impl Flavor {
    pub fn dir_name(self) -> &'static str {
        match self {
            Flavor::Annals => "annals",
            Flavor::Hugo => "hugo",
            Flavor::Zola => "zola",
        }
    }
}

fn put(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

/// A double-quoted string, valid in both YAML and TOML.
fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn write(flavor: Flavor, root: &Path, reports: &[Report]) -> std::io::Result<()> {
    let mut dirs: Vec<&str> = reports.iter().map(|r| r.dir.as_str()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    match flavor {
        Flavor::Annals => annals_site(root, &dirs)?,
        Flavor::Hugo => hugo_site(root, &dirs)?,
        Flavor::Zola => zola_site(root, &dirs)?,
    }
    reports.par_iter().try_for_each(|r| {
        let front = match flavor {
            Flavor::Annals => annals_front(r),
            Flavor::Hugo => hugo_front(r),
            Flavor::Zola => zola_front(r),
        };
        put(
            root,
            &format!("content/{}/{}.md", r.dir, r.stem),
            &format!("{front}\n{}", r.body),
        )
    })
}

fn section_title(dir: &str) -> String {
    match dir.split_once('/') {
        Some((_, year)) => format!("{year}年"),
        None => KINDS
            .iter()
            .find(|k| k.dir == dir)
            .map_or(dir.to_string(), |k| k.category.to_string()),
    }
}

/// Every folder of the corpus: the kinds, then their year folders.
fn all_sections(dirs: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = dirs
        .iter()
        .map(|d| d.split('/').next().unwrap_or(d).to_string())
        .collect();
    out.dedup();
    out.extend(dirs.iter().map(|d| d.to_string()));
    out
}

// ---- annals ----

fn annals_site(root: &Path, dirs: &[&str]) -> std::io::Result<()> {
    put(
        root,
        "config.toml",
        &format!(
            "title = \"{SITE_TITLE}\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"zh-CN\"\n\
             description = \"青川市人民政府及所属部门的法治政府建设、政府信息公开年度报告\"\n\n\
             [owner]\nname = \"青川市人民政府办公室\"\nsite_code = \"4301000001\"\n\
             icp = \"湘ICP备00000001号\"\npolice_record = \"湘公网安备43010002000001号\"\n"
        ),
    )?;
    for (weight, dir) in all_sections(dirs).iter().enumerate() {
        put(
            root,
            &format!("content/{dir}/_index.md"),
            &format!(
                "---\ntitle: {}\nweight: {weight}\n---\n",
                yaml_str(&section_title(dir))
            ),
        )?;
    }
    Ok(())
}

fn annals_front(r: &Report) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml_str(&r.title));
    let _ = writeln!(s, "date: {}", r.date);
    let _ = writeln!(s, "source: {}", yaml_str(&r.source));
    let _ = writeln!(s, "year: {}", r.year);
    let _ = writeln!(s, "category: {}", yaml_str(r.category));
    let tags: Vec<String> = r.tags.iter().map(|t| yaml_str(t)).collect();
    let _ = writeln!(s, "tags: [{}]", tags.join(", "));
    let _ = writeln!(s, "summary: {}", yaml_str(&r.summary));
    let _ = writeln!(s, "index_no: {}", yaml_str(&r.index_no));
    let _ = writeln!(s, "doc_no: {}", yaml_str(&r.doc_no));
    s.push_str("---\n");
    s
}

// ---- Hugo ----

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta name="description" content="{{ .Description }}">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ range site.Home.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
"#;

const HUGO_PAGE: &str = r#"{{ define "main" }}
<nav aria-label="breadcrumb">{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> / {{ end }}</nav>
<article>
<h1>{{ .Title }}</h1>
<p>发布时间：<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> 来源：{{ .Params.source }}</p>
<table><tr><th>索引号</th><td>{{ .Params.index_no }}</td></tr><tr><th>文号</th><td>{{ .Params.doc_no }}</td></tr><tr><th>分类</th><td>{{ .Params.category }}</td></tr></table>
{{ .TableOfContents }}
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Params.source }}</li>{{ end }}</ul>
{{ end }}
"#;

/// A tag, category or unit: its reports 50 to a page, as annals paginates them.
const HUGO_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages.ByDate.Reverse }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Params.source }}</li>{{ end }}</ul>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }} {{ $pager.PageNumber }}/{{ $pager.TotalPages }} {{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</nav>
{{ end }}
"#;

const HUGO_NOT_FOUND: &str = r#"{{ define "main" }}
<h1>页面不存在</h1>
<p><a href="{{ site.Home.RelPermalink }}">返回首页</a></p>
{{ end }}
"#;

/// Hugo's share of annals' work: every report also as a print and a share page
/// (annals' `print/` and `share/`), tag, category and unit pages (annals' tags,
/// categories and sources), feeds for home and terms, and a sitemap,
/// so both write about the same number of pages.
const HUGO_EQUAL_WORK: &str = r#"disableKinds = ["robotstxt"]

[pagination]
pagerSize = 50

# annals' feeds: the site's and one per unit, 30 newest reports each.
[services.rss]
limit = 30

[taxonomies]
tag = "tags"
category = "categories"
source = "sources"

[outputFormats.print]
mediaType = "text/html"
baseName = "print"
isHTML = true
permalinkable = false

[outputFormats.share]
mediaType = "text/html"
baseName = "share"
isHTML = true
permalinkable = false

[outputs]
page = ["html", "print", "share"]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>{{ range first 10 (where site.RegularPages.ByDate.Reverse "Type" "!=" "") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
"#;

/// The print version of a report: the whole report on one sheet-ready page,
/// like annals' `print/` page.
const HUGO_PRINT: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ .Title }} - {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<article>
<h1>{{ .Title }}</h1>
<table><tr><th>索引号</th><td>{{ .Params.index_no }}</td></tr><tr><th>文号</th><td>{{ .Params.doc_no }}</td></tr><tr><th>来源</th><td>{{ .Params.source }}</td></tr><tr><th>发布时间</th><td>{{ .Date.Format "2006-01-02" }}</td></tr></table>
{{ .TableOfContents }}
{{ .Content }}
<p><a href="{{ .RelPermalink }}">返回报告</a></p>
</article>
</body>
</html>
"#;

/// The share card of a report: title, source, summary and link, like annals'
/// `share/` page (without its QR code).
const HUGO_SHARE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><span>来源：{{ .Params.source }}</span> <span>发布时间：<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></span></p>
<p>{{ .Description }}</p>
<p>链接：<a href="{{ .RelPermalink }}">{{ .Permalink }}</a></p>
<p><a href="{{ .RelPermalink }}">返回报告</a></p>
</article>
{{ end }}
"#;

fn hugo_site(root: &Path, dirs: &[&str]) -> std::io::Result<()> {
    // Hugo treats nested folders as sections only when they have an `_index.md`.
    for (weight, dir) in all_sections(dirs).iter().enumerate() {
        put(
            root,
            &format!("content/{dir}/_index.md"),
            &format!(
                "---\ntitle: {}\nweight: {weight}\n---\n",
                yaml_str(&section_title(dir))
            ),
        )?;
    }
    put(
        root,
        "hugo.toml",
        &format!(
            "baseURL = \"{BASE_URL}/\"\nlanguageCode = \"zh-CN\"\ntitle = \"{SITE_TITLE}\"\n\
             hasCJKLanguage = true\n{HUGO_EQUAL_WORK}\n\
             [markup.goldmark.extensions.cjk]\nenable = true\n\n\
             [markup.tableOfContents]\nstartLevel = 2\nendLevel = 4\n"
        ),
    )?;
    put(root, "layouts/baseof.html", HUGO_BASEOF)?;
    put(root, "layouts/page.html", HUGO_PAGE)?;
    put(root, "layouts/page.print.html", HUGO_PRINT)?;
    put(root, "layouts/page.share.html", HUGO_SHARE)?;
    put(root, "layouts/section.html", HUGO_LIST)?;
    put(root, "layouts/taxonomy.html", HUGO_LIST)?;
    put(root, "layouts/term.html", HUGO_TERM)?;
    put(root, "layouts/home.html", HUGO_HOME)?;
    put(root, "layouts/404.html", HUGO_NOT_FOUND)?;
    Ok(())
}

fn hugo_front(r: &Report) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml_str(&r.title));
    let _ = writeln!(s, "date: {}", r.date);
    let _ = writeln!(s, "description: {}", yaml_str(&r.summary));
    let tags: Vec<String> = r.tags.iter().map(|t| yaml_str(t)).collect();
    let _ = writeln!(s, "tags: [{}]", tags.join(", "));
    let _ = writeln!(s, "categories: [{}]", yaml_str(r.category));
    let _ = writeln!(s, "sources: [{}]", yaml_str(&r.source));
    s.push_str("params:\n");
    let _ = writeln!(s, "  source: {}", yaml_str(&r.source));
    let _ = writeln!(s, "  year: {}", r.year);
    let _ = writeln!(s, "  category: {}", yaml_str(r.category));
    let _ = writeln!(s, "  index_no: {}", yaml_str(&r.index_no));
    let _ = writeln!(s, "  doc_no: {}", yaml_str(&r.doc_no));
    s.push_str("---\n");
    s
}

// ---- Zola ----

const ZOLA_BASE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
</head>
<body>
<header><a href="{{ get_url(path="/") }}">{{ config.title }}</a></header>
<main>{% block main %}{% endblock %}</main>
<footer>{{ config.title }}</footer>
</body>
</html>
"#;

const ZOLA_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }} - {{ config.title }}{% endblock %}
{% block main %}
<nav aria-label="breadcrumb">{% for a in page.ancestors %}{% set s = get_section(path=a, metadata_only=true) %}<a href="{{ s.permalink }}">{{ s.title }}</a> / {% endfor %}</nav>
<article>
<h1>{{ page.title }}</h1>
<p>发布时间：<time datetime="{{ page.date }}">{{ page.date }}</time> 来源：{{ page.extra.source }}</p>
<table><tr><th>索引号</th><td>{{ page.extra.index_no }}</td></tr><tr><th>文号</th><td>{{ page.extra.doc_no }}</td></tr><tr><th>分类</th><td>{{ page.extra.category }}</td></tr></table>
<nav><ol>{% for h in page.toc %}<li><a href="{{ h.permalink }}">{{ h.title }}</a>{% if h.children %}<ol>{% for c in h.children %}<li><a href="{{ c.permalink }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>{% endfor %}</ol></nav>
{{ page.content | safe }}
{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}
</article>
{% endblock %}
"#;

const ZOLA_SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }} - {{ config.title }}{% endblock %}
{% block main %}
<h1>{{ section.title }}</h1>
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <time>{{ p.date }}</time> {{ p.extra.source }}</li>{% endfor %}</ul>
{% endblock %}
"#;

const ZOLA_INDEX: &str = r#"{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>
{% endblock %}
"#;

fn zola_site(root: &Path, dirs: &[&str]) -> std::io::Result<()> {
    put(
        root,
        "config.toml",
        &format!(
            "base_url = \"{BASE_URL}\"\ntitle = \"{SITE_TITLE}\"\ndefault_language = \"zh\"\n\
             compile_sass = false\nbuild_search_index = false\ngenerate_feeds = false\n"
        ),
    )?;
    put(root, "templates/base.html", ZOLA_BASE)?;
    put(root, "templates/page.html", ZOLA_PAGE)?;
    put(root, "templates/section.html", ZOLA_SECTION)?;
    put(root, "templates/index.html", ZOLA_INDEX)?;
    put(root, "content/_index.md", "+++\n+++\n")?;
    for (weight, dir) in all_sections(dirs).iter().enumerate() {
        put(
            root,
            &format!("content/{dir}/_index.md"),
            &format!(
                "+++\ntitle = {}\nweight = {weight}\nsort_by = \"date\"\n+++\n",
                yaml_str(&section_title(dir))
            ),
        )?;
    }
    Ok(())
}

fn zola_front(r: &Report) -> String {
    let mut s = String::from("+++\n");
    let _ = writeln!(s, "title = {}", yaml_str(&r.title));
    let _ = writeln!(s, "date = {}", r.date);
    let _ = writeln!(s, "description = {}", yaml_str(&r.summary));
    s.push_str("[extra]\n");
    let _ = writeln!(s, "source = {}", yaml_str(&r.source));
    let _ = writeln!(s, "year = {}", r.year);
    let _ = writeln!(s, "category = {}", yaml_str(r.category));
    let _ = writeln!(s, "index_no = {}", yaml_str(&r.index_no));
    let _ = writeln!(s, "doc_no = {}", yaml_str(&r.doc_no));
    s.push_str("+++\n");
    s
}
