//! `annals init` and `annals new`: files that build as they are.

use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// The `config.toml` of a new site, every key explained in the message language.
pub fn config_template() -> String {
    let c = |key: &str| tr(key, &[]);
    format!(
        r#"# {header}
# {readme}

# {title}
title = "示例区人民政府信息公开"
# {base_url}
base_url = "https://www.example.gov.cn"
# {language}
language = "zh-CN"
# {theme}
theme = "gov"
# {description}
description = "示例区人民政府及所属部门年度报告"

# {owner}
[owner]
name = "示例区人民政府办公室"   # {name}
address = "示例区政务服务中心"  # {address}
phone = "0000-00000000"         # {phone}
email = "webmaster@example.gov.cn"
site_code = "0000000000"        # {site_code}
icp = ""                        # {icp}
police_record = ""              # {police}

# {units}
# "示例区司法局" = {{ slug = "sfj" }}
[units]
"#,
        header = c("init.cfg-header"),
        readme = c("init.cfg-readme"),
        title = c("init.cfg-title"),
        base_url = c("init.cfg-base-url"),
        language = c("init.cfg-language"),
        theme = c("init.cfg-theme"),
        description = c("init.cfg-description"),
        owner = c("init.cfg-owner"),
        name = c("init.cfg-owner-name"),
        address = c("init.cfg-owner-address"),
        phone = c("init.cfg-owner-phone"),
        site_code = c("init.cfg-site-code"),
        icp = c("init.cfg-icp"),
        police = c("init.cfg-police"),
        units = c("init.cfg-units"),
    )
}

pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let config = dir.join(crate::layout::CONFIG_FILE);
    if config.exists() {
        return Err(Diagnostic::error(tr("init.exists", &[]))
            .in_file(&config)
            .with_help(tr("init.exists-help", &[])));
    }
    let err = |p: &Path, e: std::io::Error| {
        Diagnostic::error(tr("files.cannot-write", &[("error", &e)])).in_file(p)
    };
    // The README's layout: one folder per report year.
    let today = chrono::Local::now().date_naive();
    let year = chrono::Datelike::year(&today) - 1;
    let section = dir.join(crate::layout::CONTENT_DIR).join(year.to_string());
    std::fs::create_dir_all(&section).map_err(|e| err(&section, e))?;
    std::fs::create_dir_all(dir.join(crate::layout::STATIC_DIR)).map_err(|e| err(dir, e))?;
    std::fs::write(&config, config_template()).map_err(|e| err(&config, e))?;
    let index = section.join("_index.md");
    std::fs::write(
        &index,
        format!("---\ntitle: {year}年度报告\ndescription: 本单位{year}年度各类报告\n---\n"),
    )
    .map_err(|e| err(&index, e))?;
    new_report(
        &section.join("first-report.md"),
        "年度工作报告",
        "示例区人民政府办公室",
        today,
    )
}

/// Where `annals new --root ROOT PATH` writes: an absolute path as it is, a
/// path starting with `content/` inside ROOT, any other below ROOT's
/// `content/` (`2024/x.md`, as `hugo new` reads it).
pub fn path_in_site(root: &Path, path: &Path) -> std::path::PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    // The working folder is left out, so messages show the path as typed.
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let under_content = path
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == crate::content::CONTENT_DIR);
    if under_content {
        root.join(path)
    } else {
        root.join(crate::content::CONTENT_DIR).join(path)
    }
}

/// `annals new` writes only inside an existing site's `content/` folder.
pub fn check_new_path(path: &Path) -> Result<(), Diagnostic> {
    let content = path.ancestors().skip(1).find(|a| {
        a.file_name()
            .is_some_and(|n| n == crate::layout::CONTENT_DIR)
    });
    let Some(content) = content else {
        return Err(
            Diagnostic::error(tr("new.not-under-content", &[("file", &path.display())]))
                .with_help(tr("new.not-under-content-help", &[])),
        );
    };
    if !content.is_dir() {
        return Err(
            Diagnostic::error(tr("new.no-site", &[("dir", &content.display())]))
                .with_help(tr("new.no-site-help", &[])),
        );
    }
    Ok(())
}

pub fn report_text(title: &str, source: &str, date: NaiveDate) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    format!(
        "---\ntitle: {}\ndate: {}\nsource: {}\n# year: {}\n# category: 法治政府建设年度报告\n# summary: 一句话摘要\n---\n\n## 一、总体情况\n\n在此填写正文。\n",
        quote(title),
        date.format("%Y-%m-%d"),
        quote(source),
        chrono::Datelike::year(&date) - 1,
    )
}

pub fn new_report(
    path: &Path,
    title: &str,
    source: &str,
    date: NaiveDate,
) -> Result<(), Diagnostic> {
    if path.exists() {
        return Err(Diagnostic::error(tr("new.exists", &[]))
            .in_file(path)
            .with_help(tr("new.exists-help", &[])));
    }
    if path.extension().is_none_or(|e| e != "md") {
        return Err(Diagnostic::error(tr("new.not-md", &[])).in_file(path));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(tr("files.cannot-create-folder", &[("error", &e)])).in_file(parent)
        })?;
    }
    std::fs::write(path, report_text(title, source, date))
        .map_err(|e| Diagnostic::error(tr("files.cannot-write", &[("error", &e)])).in_file(path))
}
