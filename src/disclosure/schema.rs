//! The statistics of a 政府信息公开工作年度报告, one struct per table of the
//! uniform format (国办公开办函〔2021〕30号). YAML keys are the official row and
//! column names; a cell left out counts as 0, a 总计 left out is computed.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// All three tables; a report may carry any of them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureStats {
    /// 表二 主动公开政府信息情况.
    #[serde(rename = "主动公开", alias = "主动公开政府信息情况", default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proactive: Option<Proactive>,
    /// 表三 收到和处理政府信息公开申请情况.
    #[serde(rename = "申请", alias = "收到和处理政府信息公开申请情况", default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<Requests>,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    #[serde(
        rename = "复议诉讼",
        alias = "政府信息公开行政复议、行政诉讼情况",
        default
    )]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeals: Option<Appeals>,
}

// ---------------------------------------------------------------- 表二

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Proactive {
    /// 第二十条第（一）项.
    #[serde(rename = "规章")]
    pub rules: Documents,
    #[serde(rename = "行政规范性文件")]
    pub normative_documents: Documents,
    /// 第二十条第（五）项.
    #[serde(rename = "行政许可")]
    pub licensing: Decisions,
    /// 第二十条第（六）项.
    #[serde(rename = "行政处罚")]
    pub penalties: Decisions,
    #[serde(rename = "行政强制")]
    pub enforcement: Decisions,
    /// 第二十条第（八）项.
    #[serde(rename = "行政事业性收费")]
    pub fees: Fees,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Documents {
    #[serde(rename = "本年制发件数")]
    pub issued: Count,
    #[serde(rename = "本年废止件数")]
    pub repealed: Count,
    #[serde(rename = "现行有效件数")]
    pub in_force: Count,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Decisions {
    #[serde(rename = "本年处理决定数量")]
    pub decisions: Count,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fees {
    /// 万元, up to two decimals.
    #[serde(
        rename = "本年收费金额",
        alias = "本年收费金额（单位：万元）",
        alias = "本年收费金额（万元）"
    )]
    pub amount: Money,
}

// ---------------------------------------------------------------- 表三

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Requests {
    #[serde(rename = "本年新收", alias = "本年新收政府信息公开申请数量")]
    pub new: Applicants,
    #[serde(rename = "上年结转", alias = "上年结转政府信息公开申请数量")]
    pub carried_over: Applicants,
    #[serde(rename = "办理结果", alias = "本年度办理结果")]
    pub outcomes: Outcomes,
    #[serde(rename = "结转下年度继续办理", alias = "结转下年度")]
    pub carried_forward: Applicants,
}

/// One row of 表三: counts by applicant type.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Applicants {
    #[serde(rename = "自然人")]
    pub natural_persons: Count,
    #[serde(rename = "商业企业")]
    pub commercial_enterprises: Count,
    #[serde(rename = "科研机构")]
    pub research_institutions: Count,
    #[serde(rename = "社会公益组织")]
    pub public_welfare_organizations: Count,
    #[serde(rename = "法律服务机构")]
    pub legal_service_agencies: Count,
    #[serde(rename = "其他")]
    pub others: Count,
    /// Given by the editor (checked) or left out (computed).
    #[serde(rename = "总计", skip_serializing_if = "Option::is_none")]
    pub total: Option<Count>,
}

/// The applicant columns of 表三, in table order, without 总计.
pub const APPLICANT_COLUMNS: [&str; 6] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];

impl Applicants {
    pub fn parts(&self) -> [Count; 6] {
        [
            self.natural_persons,
            self.commercial_enterprises,
            self.research_institutions,
            self.public_welfare_organizations,
            self.legal_service_agencies,
            self.others,
        ]
    }

    pub fn from_parts(parts: [Count; 6]) -> Applicants {
        let [a, b, c, d, e, f] = parts;
        Applicants {
            natural_persons: a,
            commercial_enterprises: b,
            research_institutions: c,
            public_welfare_organizations: d,
            legal_service_agencies: e,
            others: f,
            total: None,
        }
    }

    pub fn sum_of_parts(&self) -> Count {
        Count::sum(self.parts())
    }

    /// 总计 as written, else the sum of the parts.
    pub fn total(&self) -> Count {
        self.total.unwrap_or_else(|| self.sum_of_parts())
    }

    /// The six parts and the total, as the seven data columns of the table.
    pub fn columns(&self) -> [Count; 7] {
        let p = self.parts();
        [p[0], p[1], p[2], p[3], p[4], p[5], self.total()]
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Outcomes {
    #[serde(rename = "予以公开")]
    pub disclosed: Applicants,
    #[serde(
        rename = "部分公开",
        alias = "部分公开（区分处理的，只计这一情形，不计其他情形）"
    )]
    pub partly_disclosed: Applicants,
    #[serde(rename = "不予公开")]
    pub withheld: Withheld,
    #[serde(rename = "无法提供", alias = "本机关不能提供")]
    pub unavailable: Unavailable,
    #[serde(rename = "不予处理")]
    pub not_processed: NotProcessed,
    #[serde(rename = "其他处理")]
    pub other_handling: OtherHandling,
    /// （七）总计: given (checked per cell) or left out (computed).
    #[serde(rename = "总计", skip_serializing_if = "Option::is_none")]
    pub total: Option<Applicants>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Withheld {
    #[serde(rename = "属于国家秘密")]
    pub state_secrets: Applicants,
    #[serde(rename = "其他法律行政法规禁止公开")]
    pub prohibited_by_law: Applicants,
    #[serde(
        rename = "危及三安全一稳定",
        alias = "危及“三安全一稳定”",
        alias = "危及\"三安全一稳定\""
    )]
    pub security_and_stability: Applicants,
    #[serde(rename = "保护第三方合法权益")]
    pub third_party_rights: Applicants,
    #[serde(rename = "属于三类内部事务信息")]
    pub internal_affairs: Applicants,
    #[serde(rename = "属于四类过程性信息")]
    pub process_information: Applicants,
    #[serde(rename = "属于行政执法案卷")]
    pub enforcement_files: Applicants,
    #[serde(rename = "属于行政查询事项")]
    pub inquiry_matters: Applicants,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Unavailable {
    #[serde(rename = "本机关不掌握相关政府信息")]
    pub not_held: Applicants,
    #[serde(rename = "没有现成信息需要另行制作")]
    pub would_need_creating: Applicants,
    #[serde(rename = "补正后申请内容仍不明确")]
    pub still_unclear: Applicants,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotProcessed {
    #[serde(rename = "信访举报投诉类申请")]
    pub petitions_and_complaints: Applicants,
    #[serde(rename = "重复申请")]
    pub repeated: Applicants,
    #[serde(rename = "要求提供公开出版物")]
    pub publications: Applicants,
    #[serde(rename = "无正当理由大量反复申请")]
    pub excessive: Applicants,
    #[serde(rename = "要求行政机关确认或重新出具已获取信息")]
    pub reconfirmation: Applicants,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OtherHandling {
    #[serde(
        rename = "逾期不补正",
        alias = "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )]
    pub no_correction: Applicants,
    #[serde(
        rename = "逾期未缴费",
        alias = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )]
    pub fee_not_paid: Applicants,
    #[serde(rename = "其他")]
    pub other: Applicants,
}

// ---------------------------------------------------------------- 表四

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Appeals {
    #[serde(rename = "行政复议")]
    pub reconsideration: Verdicts,
    #[serde(rename = "行政诉讼")]
    pub litigation: Litigation,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Litigation {
    #[serde(rename = "未经复议直接起诉")]
    pub direct: Verdicts,
    #[serde(rename = "复议后起诉")]
    pub after_reconsideration: Verdicts,
}

/// 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Verdicts {
    #[serde(rename = "结果维持")]
    pub upheld: Count,
    #[serde(rename = "结果纠正")]
    pub corrected: Count,
    #[serde(rename = "其他结果")]
    pub other: Count,
    #[serde(rename = "尚未审结")]
    pub pending: Count,
    #[serde(rename = "总计", skip_serializing_if = "Option::is_none")]
    pub total: Option<Count>,
}

pub const VERDICT_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

impl Verdicts {
    pub fn parts(&self) -> [Count; 4] {
        [self.upheld, self.corrected, self.other, self.pending]
    }

    pub fn sum_of_parts(&self) -> Count {
        Count::sum(self.parts())
    }

    pub fn total(&self) -> Count {
        self.total.unwrap_or_else(|| self.sum_of_parts())
    }

    pub fn columns(&self) -> [Count; 5] {
        let p = self.parts();
        [p[0], p[1], p[2], p[3], self.total()]
    }
}

// ---------------------------------------------------------------- numbers

/// A number of items as written. Anything numeric is accepted when reading so
/// that a negative or fractional count becomes a finding, not a parse error.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Count(pub f64);

/// Counts above this are surely typing mistakes, and stay exact in an f64.
const MAX_COUNT: f64 = 1e12;

impl Count {
    /// The count when it is a whole number ≥ 0.
    pub fn whole(self) -> Option<u64> {
        let v = self.0;
        (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= MAX_COUNT).then_some(v as u64)
    }

    pub fn sum(parts: impl IntoIterator<Item = Count>) -> Count {
        Count(parts.into_iter().map(|c| c.0).sum())
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.whole() {
            Some(n) => write!(f, "{n}"),
            None if self.0.is_finite() && self.0.fract() == 0.0 => write!(f, "{:.0}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.whole() {
            Some(n) => s.serialize_u64(n),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberVisitor {
            what: "a whole number",
            allow_text: false,
        })
        .map(Count)
    }
}

/// An amount in 万元 as written; valid with at most two decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Money(pub f64);

impl Money {
    /// The amount in hundredths when it is ≥ 0 with at most two decimals.
    pub fn hundredths(self) -> Option<u64> {
        let scaled = self.0 * 100.0;
        let rounded = scaled.round();
        (self.0.is_finite()
            && self.0 >= 0.0
            && self.0 <= MAX_COUNT
            && (scaled - rounded).abs() < 1e-6)
            .then_some(rounded as u64)
    }
}

impl fmt::Display for Money {
    /// Whole amounts without decimals, others with two: 12, 3.50.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hundredths() {
            Some(h) if h % 100 == 0 => write!(f, "{}", h / 100),
            Some(h) => write!(f, "{}.{:02}", h / 100, h % 100),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.hundredths() {
            Some(h) if h % 100 == 0 => s.serialize_u64(h / 100),
            Some(h) => s.serialize_f64(h as f64 / 100.0),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberVisitor {
            what: "an amount in 万元, e.g. 12.5",
            allow_text: true,
        })
        .map(Money)
    }
}

/// Reads any YAML/JSON number; an empty cell (`~` or nothing) is 0.
struct NumberVisitor {
    what: &'static str,
    /// Amounts may be quoted to keep trailing zeros: "3.50".
    allow_text: bool,
}

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.what)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<f64, E> {
        Ok(0.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        let parsed = v.trim().parse::<f64>().ok().filter(|n| n.is_finite());
        match parsed {
            Some(n) if self.allow_text => Ok(n),
            _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_money_validate() {
        assert_eq!(Count(3.0).whole(), Some(3));
        assert_eq!(Count(-1.0).whole(), None);
        assert_eq!(Count(1.5).whole(), None);
        assert_eq!(Money(12.5).hundredths(), Some(1250));
        assert_eq!(Money(0.07).hundredths(), Some(7));
        assert_eq!(Money(1.234).hundredths(), None);
        assert_eq!(Money(12.5).to_string(), "12.50");
        assert_eq!(Money(3.0).to_string(), "3");
    }

    #[test]
    fn missing_cells_are_zero_and_totals_computed() {
        let a: Applicants = serde_json::from_str(r#"{"自然人": 3, "其他": 2}"#).unwrap();
        assert_eq!(a.total(), Count(5.0));
        assert!(a.total.is_none());
    }
}
