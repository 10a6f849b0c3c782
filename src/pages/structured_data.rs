//! schema.org JSON-LD for report pages: a `Report` published by a
//! `GovernmentOrganization`, so search engines show the issuing body and dates.

use serde_json::{Value, json};

use crate::model::Site;

/// The JSON-LD of report `index`, safe to put inside `<script type="application/ld+json">`.
pub fn report_jsonld(site: &Site, index: usize) -> String {
    let r = &site.reports[index];
    let unit = &site.units[r.unit];
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let published = r
        .meta
        .date_time
        .clone()
        .unwrap_or_else(|| date(r.meta.date));
    let mut publisher = json!({
        "@type": "GovernmentOrganization",
        "name": r.meta.source,
        "url": site.config.permalink(&unit.url),
    });
    if !unit.details.short_name.is_empty() {
        publisher["alternateName"] = json!(unit.details.short_name);
    }
    if !unit.details.address.is_empty() {
        publisher["address"] = json!(unit.details.address);
    }
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "name": r.meta.title,
        "headline": r.meta.title,
        "url": r.permalink,
        "mainEntityOfPage": r.permalink,
        "datePublished": published,
        "dateModified": r.meta.updated.map(date).unwrap_or_else(|| published.clone()),
        "inLanguage": site.config.language,
        "temporalCoverage": r.meta.year.to_string(),
        "publisher": publisher,
        "author": { "@type": "GovernmentOrganization", "name": r.meta.source },
        "isPartOf": {
            "@type": "WebSite",
            "name": site.config.title,
            "url": site.config.permalink("/"),
        },
    });
    let optional = [
        ("description", r.meta.summary.as_deref()),
        ("reportNumber", r.meta.doc_no.as_deref()),
        ("identifier", r.meta.index_no.as_deref()),
        ("genre", r.meta.category.as_deref()),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            data[key] = Value::from(v);
        }
    }
    if !r.meta.tags.is_empty() {
        data["keywords"] = json!(r.meta.tags.join(","));
    }
    script_safe(&data.to_string())
}

/// `<` only occurs inside JSON strings, where `\u003c` means the same; without
/// it a title containing `</script>` would end the script element early.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_cannot_appear() {
        let s = script_safe(&json!({"name": "a</script><!--b"}).to_string());
        assert!(!s.contains('<'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "a</script><!--b");
    }
}
