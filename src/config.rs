//! `config.toml`: the site's settings. Unknown keys are errors, so a typo never
//! silently drops a setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, line_col, suggest_for_unknown_field};
use crate::i18n::tr;
use crate::rule_sets::RuleSet;
pub use crate::rule_sets::{RulePart, RuleSetConfig};

pub use crate::layout::CONFIG_FILE;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: String,
    /// The publishing body shown in the header and footer (主办单位).
    #[serde(default)]
    pub owner: Owner,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Issuing units: name → stable slug and details.
    #[serde(default)]
    pub units: BTreeMap<String, UnitConfig>,
    #[serde(default)]
    pub archive: ArchiveConfig,
    #[serde(default)]
    pub share: ShareConfig,
    #[serde(default)]
    pub gov: GovConfig,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: toml::Table,
    /// Rules for reports of a category, checked by `annals check`: by rule set name.
    /// A name of a built-in set changes or (`enabled = false`) switches it off;
    /// other names add rule sets.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetConfig>,
    /// `rules` merged with the built-in sets and compiled, once, when the config is read.
    #[serde(skip)]
    pub rule_sets: Vec<RuleSet>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// 主办单位
    #[serde(default)]
    pub name: String,
    /// 承办单位
    #[serde(default)]
    pub organizer: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// 政府网站标识码
    #[serde(default)]
    pub site_code: String,
    /// ICP备案号
    #[serde(default)]
    pub icp: String,
    /// 公安备案号 (公网安备)
    #[serde(default)]
    pub police_record: String,
    /// 党政机关网站标识: a site path of the local image (`/images/dzjg.png`, in
    /// the site's `static/`); never an address on another host.
    #[serde(default)]
    pub gov_badge: String,
    /// The badge's record page (开办单位信息), linked from the image.
    #[serde(default)]
    pub gov_badge_url: String,
}

/// Settings of `annals check --gov`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GovConfig {
    /// The newest report may be this many days old before `check --gov` warns.
    #[serde(default = "default_max_age_days")]
    pub max_age_days: u32,
}

impl Default for GovConfig {
    fn default() -> Self {
        GovConfig {
            max_age_days: default_max_age_days(),
        }
    }
}

fn default_max_age_days() -> u32 {
    365
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OutlineMode {
    /// Only Markdown headings are headings.
    #[default]
    Off,
    /// Paragraphs starting with 一、 / （一） / 1． become headings.
    Auto,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML through, sanitized. Off: raw HTML is shown as text.
    #[serde(default)]
    pub unsafe_html: bool,
    #[serde(default)]
    pub outline: OutlineMode,
    /// Hosts whose https pages raw HTML may embed in an iframe, e.g. a video platform.
    #[serde(default)]
    pub iframe_hosts: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    pub slug: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub website: String,
    /// Names the unit published under before (平潭县人民政府 → 平潭综合实验区管委会办公室):
    /// their reports belong to this unit.
    #[serde(default)]
    pub former_names: Vec<String>,
    /// A government or a department, for the deadline of its yearly report;
    /// inferred from the name when not given.
    #[serde(default)]
    pub kind: Option<UnitKind>,
}

/// What kind of body a unit is: the 条例 gives them different deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// 县级以上地方人民政府 (its office publishing the government's report).
    Government,
    /// A department (工作部门) or any other body.
    Department,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveConfig {
    /// How many of the most recent report years count as current.
    #[serde(default = "default_current_years")]
    pub current_years: usize,
    /// Reports per archive page before paginating.
    #[serde(default = "default_per_page")]
    pub per_page: usize,
    /// Newest reports on the home page.
    #[serde(default = "default_home_count")]
    pub home_count: usize,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            current_years: default_current_years(),
            per_page: default_per_page(),
            home_count: default_home_count(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareConfig {
    /// Share targets shown on share pages, in order.
    #[serde(default = "default_share_targets")]
    pub targets: Vec<String>,
    /// Image for Open Graph cards, a site path like `/images/og.png`.
    #[serde(default)]
    pub image: String,
}

impl Default for ShareConfig {
    fn default() -> Self {
        ShareConfig {
            targets: default_share_targets(),
            image: String::new(),
        }
    }
}

fn default_language() -> String {
    "zh-CN".into()
}
fn default_theme() -> String {
    "gov".into()
}
fn default_current_years() -> usize {
    2
}
fn default_per_page() -> usize {
    50
}
fn default_home_count() -> usize {
    10
}
fn default_share_targets() -> Vec<String> {
    ["copy", "wechat", "weibo", "qzone", "email", "native"]
        .map(String::from)
        .to_vec()
}

pub const SHARE_TARGETS: &[&str] = &["copy", "wechat", "weibo", "qzone", "email", "native"];

/// The one check of a site address, for `base_url` in config.toml and `--base-url`:
/// http(s), a host, and nothing that could end an HTML attribute or hide a
/// scheme (it is written into every link of every page).
pub fn check_base_url(url: &str) -> Result<(), String> {
    let shown: String = url.chars().take(200).flat_map(char::escape_debug).collect();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(tr("config.url-scheme", &[("url", &shown)]));
    };
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(tr("config.url-no-host", &[("url", &shown)]));
    }
    if let Some(bad) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`^{}|".contains(*c))
    {
        return Err(tr(
            "config.url-bad-char",
            &[("url", &shown), ("char", &format!("{bad:?}"))],
        ));
    }
    if url.contains(['?', '#']) {
        return Err(tr("config.url-query", &[("url", &shown)]));
    }
    Ok(())
}

impl Config {
    /// Reads and checks `<root>/config.toml`. A folder with `content/` but no
    /// config still builds, with defaults and a warning, so a folder of reports
    /// can be previewed before it is set up as a site.
    pub fn load(root: &Path) -> Result<(Config, Option<Diagnostic>), Diagnostic> {
        let path = root.join(CONFIG_FILE);
        // A pipe or device would block the build forever, or stream without end.
        if let Ok(meta) = std::fs::metadata(&path)
            && !meta.is_file()
        {
            return Err(Diagnostic::error(tr("config.not-regular", &[]))
                .in_file(&path)
                .with_help(tr("config.not-regular-help", &[])));
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok((Config::parse(&text, &path)?, None)),
            // Saved in GBK by an old editor, or not text at all: say which.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let text = crate::content::source::decode(&bytes).map_err(|d| d.in_file(&path))?;
                Ok((Config::parse(&text, &path)?, None))
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && root.join(crate::layout::CONTENT_DIR).is_dir() =>
            {
                let config = Config::defaults(root);
                let warning = Diagnostic::warning(tr(
                    "config.missing-defaults",
                    &[("title", &config.title), ("base_url", &config.base_url)],
                ))
                .in_file(&path)
                .with_help(tr("config.missing-defaults-help", &[]));
                Ok((config, Some(warning)))
            }
            Err(e) => {
                let d =
                    Diagnostic::error(tr("config.cannot-read", &[("error", &e)])).in_file(&path);
                Err(if e.kind() == std::io::ErrorKind::NotFound {
                    d.with_help(tr("config.no-site-help", &[("root", &root.display())]))
                } else {
                    d
                })
            }
        }
    }

    /// Settings for a folder without config.toml.
    pub fn defaults(root: &Path) -> Config {
        let name = std::path::absolute(root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "annals".into());
        let text = format!(
            "title = {}\nbase_url = \"http://localhost\"\n",
            toml::Value::from(name)
        );
        Config::parse(&text, Path::new(CONFIG_FILE)).expect("default config is valid")
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut d =
                Diagnostic::error(tr("config.syntax", &[("detail", &e.message())])).in_file(path);
            if let Some(span) = e.span() {
                let (line, col) = line_col(text, span.start);
                d = d.at(line, col).with_source(text);
            }
            if let Some((field, best)) = suggest_for_unknown_field(e.message()) {
                d.message = tr("config.unknown-key", &[("key", &field)]);
                d = d.with_help(match best {
                    Some(b) => tr("config.unknown-key-did-you-mean", &[("key", &b)]),
                    None => tr("config.unknown-key-help", &[]),
                });
            }
            d
        })?;
        config.validate(path)?;
        config.rule_sets = crate::rule_sets::resolve(&config.rules).map_err(|d| d.in_file(path))?;
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        Ok(config)
    }

    /// The 党政机关网站标识 is a local image with an http(s) record page.
    fn validate_owner(&self, path: &Path) -> Result<(), Diagnostic> {
        let badge = &self.owner.gov_badge;
        if !badge.is_empty() && (!badge.starts_with('/') || badge.starts_with("//")) {
            return Err(
                Diagnostic::error(tr("config.gov-badge-local", &[("value", badge)]))
                    .in_file(path)
                    .with_help(tr("config.gov-badge-local-help", &[])),
            );
        }
        let badge_url = &self.owner.gov_badge_url;
        let web = ["https://", "http://"]
            .iter()
            .any(|p| badge_url.starts_with(p));
        if !badge_url.is_empty() && !web {
            return Err(
                Diagnostic::error(tr("config.gov-badge-url", &[("value", badge_url)]))
                    .in_file(path)
                    .with_help(tr("config.gov-badge-url-help", &[])),
            );
        }
        Ok(())
    }

    fn validate(&self, path: &Path) -> Result<(), Diagnostic> {
        if let Err(problem) = check_base_url(&self.base_url) {
            return Err(
                Diagnostic::error(tr("config.base-url", &[("problem", &problem)]))
                    .in_file(path)
                    .with_help(tr("config.base-url-help", &[])),
            );
        }
        self.validate_owner(path)?;
        for target in &self.share.targets {
            if !SHARE_TARGETS.contains(&target.as_str()) {
                return Err(
                    Diagnostic::error(tr("config.share-target", &[("target", target)]))
                        .in_file(path)
                        .with_help(tr(
                            "config.share-target-help",
                            &[("targets", &SHARE_TARGETS.join(", "))],
                        )),
                );
            }
        }
        for host in &self.markdown.iframe_hosts {
            let ok = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
            if !ok {
                return Err(
                    Diagnostic::error(tr("config.iframe-host", &[("host", host)]))
                        .in_file(path)
                        .with_help(tr("config.iframe-host-help", &[])),
                );
            }
        }
        let mut former: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, unit) in &self.units {
            for old in &unit.former_names {
                let clash = if self.units.contains_key(old) && old != name {
                    Some(tr("config.former-name-own-entry", &[("old", old)]))
                } else {
                    former.insert(old, name).map(|other| {
                        tr(
                            "config.former-name-twice",
                            &[("old", old), ("other", &other)],
                        )
                    })
                };
                if let Some(why) = clash {
                    return Err(Diagnostic::error(tr(
                        "config.former-name-ambiguous",
                        &[("old", old), ("unit", name), ("why", &why)],
                    ))
                    .in_file(path)
                    .with_help(tr("config.former-name-ambiguous-help", &[])));
                }
            }
            let ok = !unit.slug.is_empty()
                && unit
                    .slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(Diagnostic::error(tr(
                    "config.unit-slug",
                    &[("slug", &unit.slug), ("unit", name)],
                ))
                .in_file(path));
            }
        }
        Ok(())
    }

    /// The absolute URL of a site path such as `/2022/foo/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The address pages link to for a site path: with the base URL's path
    /// prefix, so the site works below a folder of its host (`routes::href`).
    pub fn href(&self, path: &str) -> String {
        crate::routes::href(crate::routes::path_prefix(&self.base_url), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_gets_suggestion_and_line() {
        let text = "title = \"x\"\nbase_url = \"https://a.gov.cn\"\ntheem = \"gov\"\n";
        let err = Config::parse(text, Path::new("config.toml")).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn defaults_apply() {
        let c = Config::parse(
            "title = \"x\"\nbase_url = \"https://a.gov.cn/\"\n",
            Path::new("config.toml"),
        )
        .unwrap();
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "gov");
        assert_eq!(c.base_url, "https://a.gov.cn");
        assert_eq!(c.archive.current_years, 2);
    }
}
