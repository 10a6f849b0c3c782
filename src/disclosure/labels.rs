//! Row and column labels as editors copy them from the printed tables:
//! `一、本年新收政府信息公开申请数量`, `（一）予以公开`, `1.属于国家秘密`,
//! `1、申请人无正当理由逾期不补正…`, `（七）总计`. The numbering and punctuation
//! are stripped and the label is matched against the known keys, so every
//! printed variant reads as the key of the schema.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Every key of the schema (names and their accepted long forms), each with
/// the key it stands for. Long forms map to the short key of the schema.
const KEYS: &[(&str, &str)] = &[
    ("格式", "格式"),
    ("主动公开", "主动公开"),
    ("主动公开政府信息情况", "主动公开"),
    ("申请", "申请"),
    ("收到和处理政府信息公开申请情况", "申请"),
    ("复议诉讼", "复议诉讼"),
    ("政府信息公开行政复议、行政诉讼情况", "复议诉讼"),
    ("规章", "规章"),
    ("行政规范性文件", "行政规范性文件"),
    ("规范性文件", "规范性文件"),
    ("行政许可", "行政许可"),
    ("其他对外管理服务事项", "其他对外管理服务事项"),
    ("行政处罚", "行政处罚"),
    ("行政强制", "行政强制"),
    ("行政事业性收费", "行政事业性收费"),
    ("政府集中采购", "政府集中采购"),
    ("本年制发件数", "本年制发件数"),
    ("本年废止件数", "本年废止件数"),
    ("现行有效件数", "现行有效件数"),
    ("本年处理决定数量", "本年处理决定数量"),
    ("本年收费金额", "本年收费金额"),
    ("本年收费金额（单位：万元）", "本年收费金额"),
    ("本年收费金额（万元）", "本年收费金额"),
    ("本年新制作数量", "本年新制作数量"),
    ("本年新公开数量", "本年新公开数量"),
    ("对外公开总数量", "对外公开总数量"),
    ("上一年项目数量", "上一年项目数量"),
    ("本年增/减", "本年增/减"),
    ("本年增减", "本年增/减"),
    ("处理决定数量", "处理决定数量"),
    ("采购项目数量", "采购项目数量"),
    ("采购总金额", "采购总金额"),
    ("本年新收", "本年新收"),
    ("本年新收政府信息公开申请数量", "本年新收"),
    ("上年结转", "上年结转"),
    ("上年结转政府信息公开申请数量", "上年结转"),
    ("办理结果", "办理结果"),
    ("本年度办理结果", "办理结果"),
    ("结转下年度继续办理", "结转下年度继续办理"),
    ("结转下年度", "结转下年度继续办理"),
    ("予以公开", "予以公开"),
    ("部分公开", "部分公开"),
    (
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        "部分公开",
    ),
    ("不予公开", "不予公开"),
    ("属于国家秘密", "属于国家秘密"),
    ("其他法律行政法规禁止公开", "其他法律行政法规禁止公开"),
    ("危及三安全一稳定", "危及三安全一稳定"),
    ("保护第三方合法权益", "保护第三方合法权益"),
    ("属于三类内部事务信息", "属于三类内部事务信息"),
    ("属于四类过程性信息", "属于四类过程性信息"),
    ("属于行政执法案卷", "属于行政执法案卷"),
    ("属于行政查询事项", "属于行政查询事项"),
    ("无法提供", "无法提供"),
    ("本机关不能提供", "无法提供"),
    ("本机关不掌握相关政府信息", "本机关不掌握相关政府信息"),
    ("没有现成信息需要另行制作", "没有现成信息需要另行制作"),
    ("补正后申请内容仍不明确", "补正后申请内容仍不明确"),
    ("不予处理", "不予处理"),
    ("信访举报投诉类申请", "信访举报投诉类申请"),
    ("重复申请", "重复申请"),
    ("要求提供公开出版物", "要求提供公开出版物"),
    ("无正当理由大量反复申请", "无正当理由大量反复申请"),
    (
        "要求行政机关确认或重新出具已获取信息",
        "要求行政机关确认或重新出具已获取信息",
    ),
    ("其他处理", "其他处理"),
    ("逾期不补正", "逾期不补正"),
    (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "逾期不补正",
    ),
    ("逾期未缴费", "逾期未缴费"),
    (
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "逾期未缴费",
    ),
    ("总计", "总计"),
    ("自然人", "自然人"),
    ("商业企业", "商业企业"),
    ("科研机构", "科研机构"),
    ("社会公益组织", "社会公益组织"),
    ("法律服务机构", "法律服务机构"),
    ("其他", "其他"),
    ("行政复议", "行政复议"),
    ("行政诉讼", "行政诉讼"),
    ("未经复议直接起诉", "未经复议直接起诉"),
    ("复议后起诉", "复议后起诉"),
    ("结果维持", "结果维持"),
    ("结果纠正", "结果纠正"),
    ("其他结果", "其他结果"),
    ("尚未审结", "尚未审结"),
];

static BY_FOLDED: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    KEYS.iter()
        .map(|(label, key)| (fold(label), *key))
        .collect()
});

/// The schema key a printed label stands for, if it is one.
pub fn canonical(label: &str) -> Option<&'static str> {
    BY_FOLDED.get(&fold(label)).copied()
}

/// A label without its numbering (`一、`, `（一）`, `1.`, `1、`, `(1)`), punctuation,
/// quotes and spaces, for comparing printed variants.
pub fn fold(label: &str) -> String {
    strip_numbering(label.trim())
        .chars()
        .filter(|c| !is_punctuation(*c))
        .collect()
}

fn is_punctuation(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '、' | '，'
                | ','
                | '。'
                | '.'
                | '．'
                | '：'
                | ':'
                | '；'
                | ';'
                | '“'
                | '”'
                | '"'
                | '\''
                | '‘'
                | '’'
                | '（'
                | '）'
                | '('
                | ')'
                | '…'
        )
}

const NUMERALS: &str = "一二三四五六七八九十";

/// `一、x` → `x`, `（一）x` → `x`, `1.x` / `1、x` / `１．x` → `x`, `(1)x` → `x`.
pub fn strip_numbering(label: &str) -> &str {
    let t = label.trim_start();
    // 一、 二、 … 十一、
    let after_numerals = t.trim_start_matches(|c| NUMERALS.contains(c));
    if after_numerals.len() < t.len()
        && let Some(rest) = after_numerals.strip_prefix(['、', '.', '．'])
    {
        return rest.trim_start();
    }
    // （一） (1) （1）
    if let Some(inner) = t.strip_prefix(['（', '(']) {
        let after = inner.trim_start_matches(|c: char| NUMERALS.contains(c) || is_digit(c));
        if after.len() < inner.len()
            && let Some(rest) = after.strip_prefix(['）', ')'])
        {
            return rest.trim_start();
        }
    }
    // 1. 1、 １．
    let after_digits = t.trim_start_matches(is_digit);
    if after_digits.len() < t.len()
        && let Some(rest) = after_digits.strip_prefix(['、', '.', '．'])
    {
        return rest.trim_start();
    }
    t
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Replaces every printed label in the data by its schema key, at every level.
/// Unknown labels keep their text without numbering (for "did you mean").
pub fn normalise_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let old = std::mem::take(map);
            for (label, mut v) in old {
                normalise_keys(&mut v);
                let key = canonical(&label)
                    .map(str::to_string)
                    .unwrap_or_else(|| strip_numbering(&label).to_string());
                // Two labels for one key: keep the second as written, so the
                // duplicate is reported instead of silently merged.
                if map.contains_key(&key) {
                    map.insert(label, v);
                } else {
                    map.insert(key, v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(normalise_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_labels_read_as_keys() {
        assert_eq!(
            canonical("一、本年新收政府信息公开申请数量"),
            Some("本年新收")
        );
        assert_eq!(canonical("（一）予以公开"), Some("予以公开"));
        assert_eq!(canonical("1.属于国家秘密"), Some("属于国家秘密"));
        assert_eq!(canonical("3.危及“三安全一稳定”"), Some("危及三安全一稳定"));
        assert_eq!(
            canonical("1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请"),
            Some("逾期不补正")
        );
        assert_eq!(canonical("（七）总计"), Some("总计"));
        assert_eq!(
            canonical("四、结转下年度继续办理"),
            Some("结转下年度继续办理")
        );
        assert_eq!(canonical("（四）本机关不能提供"), Some("无法提供"));
        assert_eq!(canonical("十一、自然人"), Some("自然人"));
        assert_eq!(canonical("予以公开率"), None);
    }

    #[test]
    fn unknown_labels_lose_only_their_numbering() {
        let mut v = serde_json::json!({"（一）予以公开": {"自然人": 1}, "（九）别的": 2});
        normalise_keys(&mut v);
        assert_eq!(v, serde_json::json!({"予以公开": {"自然人": 1}, "别的": 2}));
    }
}
