//! Statistics across report years: the 现行有效件数 hint of 表二, series followed
//! through `former_names`, findings that name both reports and lines, and no
//! false finding on the shared real reports.

use crate::common::*;

fn check_lines(site: &SiteDir) -> String {
    stderr(&site.check(&[]))
}

/// The finding lines (and their help) that contain `needle`.
fn with(text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains(needle))
        .map(str::to_string)
        .collect()
}

fn in_force_typo(text: &str) -> String {
    text.replace(
        "规章: {本年制发件数: 2, 本年废止件数: 0, 现行有效件数: 11}",
        "规章: {本年制发件数: 2, 本年废止件数: 0, 现行有效件数: 12}",
    )
}

fn demo_line(name: &str, needle: &str) -> usize {
    let text =
        std::fs::read_to_string(demo_root().join(format!("content/xxgk/{name}.md"))).unwrap();
    line_of(&text, needle)
}

#[test]
fn consistent_in_force_counts_give_no_hint() {
    let site = demo_disclosure_site(|t| t.to_string());
    let out = check_lines(&site);
    assert!(with(&out, "现行有效件数").is_empty(), "{out}");
}

#[test]
fn in_force_count_that_does_not_follow_is_a_hint_naming_both_reports_and_lines() {
    let site = demo_disclosure_site(in_force_typo);
    let out = check_lines(&site);
    let hints = with(&out, "现行有效件数 is 12");
    assert_eq!(hints.len(), 1, "{out}");
    let hint = &hints[0];
    assert!(hint.starts_with("warning:"), "a hint, not an error: {hint}");
    let line = demo_line("zfb-xxgk-2023", "规章:");
    let previous_line = demo_line("zfb-xxgk-2022", "规章:");
    assert!(
        hint.contains(&format!("zfb-xxgk-2023.md:{line}:")),
        "{hint}"
    );
    assert!(hint.contains("table 二 `规章`"), "{hint}");
    assert!(
        hint.contains("it would be 11 (last year's 现行有效 9 + 本年制发 2 − 本年废止 0)"),
        "{hint}"
    );
    assert!(
        hint.contains(&format!("zfb-xxgk-2022.md:{previous_line}")),
        "{hint}"
    );
    // A hint does not fail check, and build does not show it.
    assert!(site.check(&[]).status.success());
    assert!(!stderr(&site.build_ok()).contains("现行有效件数"));
    // The same hint in Chinese.
    let zh = stderr(&site.check(&["--lang", "zh-CN"]));
    let zh = with(&zh, "现行有效件数是 12");
    assert_eq!(zh.len(), 1);
    assert!(zh[0].contains("按上一年报告算应为 11"), "{}", zh[0]);
    assert!(
        zh[0].contains(&format!("zfb-xxgk-2022.md:{previous_line}")),
        "{}",
        zh[0]
    );
}

/// The demo's 2022 and 2023 reports, published by a unit renamed in between.
fn renamed_site(former_names: bool, edit: impl Fn(&str) -> String) -> SiteDir {
    let site = SiteDir::new();
    for (name, source) in [
        ("zfb-xxgk-2022", "青川县人民政府"),
        ("zfb-xxgk-2023", "青川新区管委会办公室"),
    ] {
        let text =
            std::fs::read_to_string(demo_root().join(format!("content/xxgk/{name}.md"))).unwrap();
        let text = text.replace("source: 青川市人民政府办公室", &format!("source: {source}"));
        let text = if name.ends_with("2023") {
            edit(&text)
        } else {
            text
        };
        site.write(&format!("content/xxgk/{name}.md"), &text);
    }
    // A former name may not have an entry of its own.
    let entry = if former_names {
        "\"青川新区管委会办公室\" = { slug = \"xq\", former_names = [\"青川县人民政府\"] }\n"
    } else {
        "\"青川新区管委会办公室\" = { slug = \"xq\" }\n\"青川县人民政府\" = { slug = \"qcx\" }\n"
    };
    site.write("config.toml", &format!("{BASIC_CONFIG}\n[units]\n{entry}"));
    site
}

fn carry_over_typo(text: &str) -> String {
    text.replace(
        "上年结转: {自然人: 5, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 6}",
        "上年结转: {自然人: 4, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 5}",
    )
    .replace("本年新收: {自然人: 130,", "本年新收: {自然人: 131,")
    .replace("其他: 3, 总计: 158}", "其他: 3, 总计: 159}")
}

#[test]
fn a_series_continues_across_a_renamed_unit() {
    let edit = |t: &str| carry_over_typo(&in_force_typo(t));
    let site = renamed_site(true, edit);
    let out = check_lines(&site);
    let previous_in_force = demo_line("zfb-xxgk-2022", "规章:");
    let previous_forward = {
        let text =
            std::fs::read_to_string(demo_root().join("content/xxgk/zfb-xxgk-2022.md")).unwrap();
        line_of(&text, "    结转下年度继续办理:")
    };
    let hint = with(&out, "现行有效件数 is 12");
    assert_eq!(hint.len(), 1, "{out}");
    assert!(
        hint[0].contains(&format!("zfb-xxgk-2022.md:{previous_in_force}")),
        "{}",
        hint[0]
    );
    let carry = with(
        &out,
        "上年结转 equals 结转下年度继续办理 in last year's report",
    );
    assert_eq!(carry.len(), 1, "{out}");
    assert!(
        carry[0].contains(&format!("zfb-xxgk-2022.md:{previous_forward}")),
        "{}",
        carry[0]
    );
    let cell = with(
        &out,
        "上年结转政府信息公开申请数量 · 自然人」 is 4, expected 5",
    );
    assert_eq!(cell.len(), 1, "{out}");
    assert!(cell[0].contains("zfb-xxgk-2023.md:"), "{}", cell[0]);
    assert!(
        with(&out, "has no report for 2022 to compare").is_empty(),
        "{out}"
    );

    // Without `former_names` the two are different units: nothing is compared,
    // and check suggests the entry instead.
    let site = renamed_site(false, edit);
    let out = check_lines(&site);
    assert!(with(&out, "现行有效件数").is_empty(), "{out}");
    assert!(with(&out, "in last year's report").is_empty(), "{out}");
    let rename = with(&out, "has no report for 2022 to compare");
    assert_eq!(rename.len(), 1, "{out}");
    // Both reports are named with the line of their 来源.
    let source_line = demo_line("zfb-xxgk-2022", "source:");
    assert!(rename[0].contains("zfb-xxgk-2023.md:"), "{}", rename[0]);
    assert!(
        rename[0].contains("青川县人民政府 has one (")
            && rename[0].contains(&format!("zfb-xxgk-2022.md:{source_line})")),
        "{}",
        rename[0]
    );
}

#[test]
fn the_shared_real_reports_raise_no_cross_year_finding() {
    let out = annals(&[
        "check",
        "--root",
        shared_samples().join("real").to_str().unwrap(),
    ]);
    let text = stderr(&out);
    for needle in [
        "现行有效件数",
        "in last year's report",
        "to compare 上年结转 with",
    ] {
        assert!(with(&text, needle).is_empty(), "{needle}: {text}");
    }
}
