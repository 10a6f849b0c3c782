//! The identifiers a government site shows in its footer, checked as written
//! in `config.toml`: 网站标识码, ICP备案号, 公安机关备案号, the 党政机关网站标识, and
//! a `.gov.cn` host.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::i18n::tr;

/// 10 digits (a government's site), or `bm` and 8 digits (a department's).
static SITE_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{10}|bm\d{8})$").expect("valid regex"));
/// 京ICP备05070218号, 湘ICP备00000001号-1.
static ICP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}ICP备\d{6,10}号(?:-\d{1,3})?$").expect("valid regex"));
/// 津公网安备12010302000991号: the province and 14 digits.
static POLICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}公网安备\s?\d{14}号$").expect("valid regex"));

/// The domain of Chinese government websites.
const GOV_DOMAIN: &str = ".gov.cn";

/// Whether `code` is a well-formed 网站标识码.
pub fn site_code_ok(code: &str) -> bool {
    SITE_CODE.is_match(code)
}

/// Whether `host` is under `.gov.cn`.
pub fn is_gov_host(host: &str) -> bool {
    host.ends_with(GOV_DOMAIN) || Some(host) == GOV_DOMAIN.strip_prefix('.')
}

/// Findings about the `[owner]` identifiers and `base_url`.
pub fn check(config: &Config, config_file: &Path) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(config_file).unwrap_or_default();
    let at = |d: Diagnostic, key: &str| {
        let d = d.in_file(config_file);
        match line_of_key(&text, key) {
            Some(line) => d.at_line(line).with_source(&text),
            None => d,
        }
    };
    let o = &config.owner;
    let mut out = Vec::new();
    // (key, value, format, message when missing, when malformed, help)
    let fields: [(&str, &str, &Regex, [&str; 3]); 3] = [
        (
            "site_code",
            &o.site_code,
            &SITE_CODE,
            [
                "gov.site-code-missing",
                "gov.site-code-malformed",
                "gov.site-code-help",
            ],
        ),
        (
            "icp",
            &o.icp,
            &ICP,
            ["gov.icp-missing", "gov.icp-malformed", "gov.icp-help"],
        ),
        (
            "police_record",
            &o.police_record,
            &POLICE,
            [
                "gov.police-missing",
                "gov.police-malformed",
                "gov.police-help",
            ],
        ),
    ];
    for (key, value, pattern, [missing, malformed, help]) in fields {
        let value = value.trim();
        let d = if value.is_empty() {
            Diagnostic::error(tr(missing, &[]))
        } else if !pattern.is_match(value) {
            Diagnostic::error(tr(malformed, &[("value", &value)]))
        } else {
            continue;
        };
        out.push(at(d.with_help(tr(help, &[])), key));
    }
    if o.gov_badge.trim().is_empty() {
        out.push(at(
            Diagnostic::warning(tr("gov.badge-missing", &[]))
                .with_help(tr("gov.badge-missing-help", &[])),
            "gov_badge",
        ));
    }
    let host = crate::render::gov_meta::site_domain(&config.base_url);
    if !is_gov_host(host) {
        out.push(at(
            Diagnostic::warning(tr("gov.not-gov-host", &[("host", &host)]))
                .with_help(tr("gov.not-gov-host-help", &[])),
            "base_url",
        ));
    }
    out
}

/// The 1-based line where `key = …` is written in a TOML file.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_of_the_identifiers() {
        assert!(site_code_ok("1200000052"));
        assert!(site_code_ok("bm12345678"));
        assert!(!site_code_ok("120000005"));
        assert!(!site_code_ok("BM12345678"));
        assert!(!site_code_ok("12000000521"));
        assert!(ICP.is_match("津ICP备05010518号"));
        assert!(ICP.is_match("京ICP备05070218号-1"));
        assert!(!ICP.is_match("ICP备05010518号"));
        assert!(!ICP.is_match("津ICP备"));
        assert!(POLICE.is_match("津公网安备12010302000991号"));
        assert!(!POLICE.is_match("津公网安备1201030200099号"));
    }
}
