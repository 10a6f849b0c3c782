//! The statistics of a 政府信息公开工作年度报告, one struct per table of the
//! uniform format (国办公开办函〔2021〕30号). YAML keys are the official row and
//! column names; a cell left out counts as 0, a 总计 left out is computed.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::i18n::tr;

/// All three tables; a report may carry any of them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DisclosureStats {
    /// Which official format the report follows (by report year, or `格式:`).
    #[serde(rename = "格式")]
    pub format: Format,
    /// 表二 主动公开政府信息情况, in the layout of `format`.
    #[serde(rename = "主动公开", skip_serializing_if = "Option::is_none")]
    pub proactive: Option<ProactiveTable>,
    /// 表三 收到和处理政府信息公开申请情况.
    #[serde(rename = "申请", skip_serializing_if = "Option::is_none")]
    pub requests: Option<Requests>,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    #[serde(rename = "复议诉讼", skip_serializing_if = "Option::is_none")]
    pub appeals: Option<Appeals>,
}

/// The data as written, with 表二 in the layout `P` of one format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStats<P> {
    #[serde(rename = "格式", alias = "format", default)]
    pub format: Option<Format>,
    #[serde(rename = "主动公开", alias = "主动公开政府信息情况", default)]
    pub proactive: Option<P>,
    #[serde(rename = "申请", alias = "收到和处理政府信息公开申请情况", default)]
    pub requests: Option<Requests>,
    #[serde(
        rename = "复议诉讼",
        alias = "政府信息公开行政复议、行政诉讼情况",
        default
    )]
    pub appeals: Option<Appeals>,
}

impl<P> RawStats<P> {
    pub fn into_stats(self, format: Format, wrap: fn(P) -> ProactiveTable) -> DisclosureStats {
        let mut requests = self.requests;
        if let Some(r) = &mut requests
            && format == Format::Y2019
        {
            r.outcomes.other_handling.collapse_for_2019();
        }
        DisclosureStats {
            format,
            proactive: self.proactive.map(wrap),
            requests,
            appeals: self.appeals,
        }
    }
}

/// The two official formats of the yearly report's tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// 国办公开办函〔2019〕60号, used for the reports of 2019 and 2020.
    Y2019,
    /// 国办公开办函〔2021〕30号, from the reports of 2021.
    #[default]
    Y2021,
}

impl Format {
    /// The format a report of `year` follows.
    pub fn for_year(year: i32) -> Format {
        if year <= 2020 {
            Format::Y2019
        } else {
            Format::Y2021
        }
    }

    pub fn from_number(n: i64) -> Option<Format> {
        match n {
            2019 | 2020 => Some(Format::Y2019),
            2021.. => Some(Format::Y2021),
            _ => None,
        }
    }

    pub fn year(self) -> u16 {
        match self {
            Format::Y2019 => 2019,
            Format::Y2021 => 2021,
        }
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.year())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = d.deserialize_any(NumberVisitor {
            what: || tr("disclosure.expect-format", &[]),
            allow_text: true,
        })?;
        n.value
            .filter(|v| v.fract() == 0.0)
            .and_then(|v| Format::from_number(v as i64))
            .ok_or_else(|| de::Error::custom(tr("disclosure.format-invalid", &[])))
    }
}

/// 表二 in either layout.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ProactiveTable {
    Y2021(Proactive),
    Y2019(Proactive2019),
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
    /// 万元, drawn as written.
    #[serde(
        rename = "本年收费金额",
        alias = "本年收费金额（单位：万元）",
        alias = "本年收费金额（万元）"
    )]
    pub amount: Money,
}

/// 表二 of the 2019 format: 第二十条 items with 新制作/新公开/对外公开总数量,
/// 上一年项目数量/本年增减/处理决定数量, and 政府集中采购.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Proactive2019 {
    /// 第二十条第（一）项.
    #[serde(rename = "规章")]
    pub rules: Documents2019,
    #[serde(rename = "规范性文件", alias = "行政规范性文件")]
    pub normative_documents: Documents2019,
    /// 第二十条第（五）项.
    #[serde(rename = "行政许可")]
    pub licensing: Items,
    #[serde(rename = "其他对外管理服务事项")]
    pub other_services: Items,
    /// 第二十条第（六）项.
    #[serde(rename = "行政处罚")]
    pub penalties: Items,
    #[serde(rename = "行政强制")]
    pub enforcement: Items,
    /// 第二十条第（八）项.
    #[serde(rename = "行政事业性收费")]
    pub fees: FeeItems,
    /// 第二十条第（九）项.
    #[serde(rename = "政府集中采购")]
    pub procurement: Procurement,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Documents2019 {
    #[serde(rename = "本年新制作数量")]
    pub made: Count,
    #[serde(rename = "本年新公开数量")]
    pub published: Count,
    #[serde(rename = "对外公开总数量")]
    pub total_public: Count,
}

/// 上一年项目数量 / 本年增/减 (may be negative) / 处理决定数量.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Items {
    #[serde(rename = "上一年项目数量")]
    pub last_year: Count,
    #[serde(rename = "本年增/减", alias = "本年增减", alias = "本年增／减")]
    pub change: Count,
    #[serde(rename = "处理决定数量")]
    pub decisions: Count,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeeItems {
    #[serde(rename = "上一年项目数量")]
    pub last_year: Count,
    #[serde(rename = "本年增/减", alias = "本年增减", alias = "本年增／减")]
    pub change: Count,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Procurement {
    #[serde(rename = "采购项目数量")]
    pub projects: Count,
    /// As printed, e.g. `73802895.90元`.
    #[serde(rename = "采购总金额")]
    pub amount: Amount,
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
    /// Given by the editor (checked), printed blank (`~`), or left out (computed).
    #[serde(
        rename = "总计",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "written_total"
    )]
    pub total: Option<Count>,
}

/// The seven columns of 表三, in table order: six kinds of applicant and 总计.
pub const REQUEST_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// The applicant columns of 表三, in table order, without 总计.
pub const APPLICANT_COLUMNS: &[&str] = REQUEST_COLUMNS.split_at(6).0;

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

    /// 总计 as written, else (left out or printed blank) the sum of the parts.
    pub fn total(&self) -> Count {
        self.total
            .filter(|t| !t.is_blank())
            .unwrap_or_else(|| self.sum_of_parts())
    }

    /// The six parts and the total, as the seven data columns of the table.
    pub fn columns(&self) -> [Cell; 7] {
        let p = self.parts().map(Cell::written);
        [
            p[0],
            p[1],
            p[2],
            p[3],
            p[4],
            p[5],
            total_cell(self.total, self.parts()),
        ]
    }

    /// No cell holds a number.
    pub fn is_empty(&self) -> bool {
        self.parts().iter().all(|c| c.value() == 0.0) && self.total.is_none_or(|t| t.value() == 0.0)
    }
}

/// A cell as drawn: the count as written (perhaps blank), or a 总计 the report
/// left out and annals computed (drawn marked as computed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub count: Count,
    pub computed: bool,
}

impl Cell {
    pub fn written(count: Count) -> Cell {
        Cell {
            count,
            computed: false,
        }
    }
}

/// 总计 as written (a blank stays blank), else the sum of `parts`, marked computed.
pub fn total_cell(total: Option<Count>, parts: impl IntoIterator<Item = Count>) -> Cell {
    match total {
        Some(t) => Cell::written(t),
        None => Cell {
            count: Count::sum(parts),
            computed: true,
        },
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

/// （六）其他处理: three sub-rows in the 2021 format, one row in the 2019
/// format (and in some 2021 reports). Written as sub-rows (`逾期不补正: {…}`) or
/// as one row (`{自然人: 1, 总计: 1}`); the column 其他 is a number, the sub-row 其他 a map.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OtherHandling {
    Rows(Box<OtherHandlingRows>),
    Single(Applicants),
}

impl Default for OtherHandling {
    fn default() -> Self {
        OtherHandling::Rows(Box::default())
    }
}

impl OtherHandling {
    /// The 2019 format prints one row: sub-rows that hold nothing become that row.
    pub fn collapse_for_2019(&mut self) {
        if let OtherHandling::Rows(rows) = self
            && rows.is_empty()
        {
            *self = OtherHandling::Single(Applicants::default());
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OtherHandlingRows {
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

impl OtherHandlingRows {
    fn is_empty(&self) -> bool {
        [&self.no_correction, &self.fee_not_paid, &self.other]
            .iter()
            .all(|a| a.is_empty())
    }
}

impl<'de> Deserialize<'de> for OtherHandling {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        // One row when every value is a cell (a number or blank), sub-rows otherwise.
        let single = value
            .as_object()
            .is_some_and(|m| !m.is_empty() && m.values().all(|v| !v.is_object()));
        let inner = |e: serde_path_to_error::Error<serde_json::Error>| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            if path == "." || path.is_empty() {
                de::Error::custom(message)
            } else {
                de::Error::custom(format!("{path}: {message}"))
            }
        };
        if single {
            serde_path_to_error::deserialize(value)
                .map(OtherHandling::Single)
                .map_err(inner)
        } else {
            serde_path_to_error::deserialize(value)
                .map(|rows| OtherHandling::Rows(Box::new(rows)))
                .map_err(inner)
        }
    }
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
    #[serde(
        rename = "总计",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "written_total"
    )]
    pub total: Option<Count>,
}

/// A 总计 that is written is `Some`, also when written blank (`~`); only a
/// 总计 left out is `None` (through `default`) and computed.
fn written_total<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Count>, D::Error> {
    Count::deserialize(d).map(Some)
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
        self.total
            .filter(|t| !t.is_blank())
            .unwrap_or_else(|| self.sum_of_parts())
    }

    pub fn columns(&self) -> [Cell; 5] {
        let p = self.parts().map(Cell::written);
        [p[0], p[1], p[2], p[3], total_cell(self.total, self.parts())]
    }
}

// ---------------------------------------------------------------- numbers

/// A number of items as written. Anything numeric is accepted when reading so
/// that a negative or fractional count becomes a finding, not a parse error.
/// `~` (or nothing after the colon) is a cell the report printed blank: it stays
/// blank in the drawn table and counts as 0 in sums.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Count {
    value: f64,
    blank: bool,
}

/// Counts above this are surely typing mistakes, and stay exact in an f64.
const MAX_COUNT: f64 = 1e12;

impl Count {
    pub const BLANK: Count = Count {
        value: 0.0,
        blank: true,
    };

    pub fn of(value: f64) -> Count {
        Count {
            value,
            blank: false,
        }
    }

    /// The number, 0 for a blank cell.
    pub fn value(self) -> f64 {
        self.value
    }

    pub fn is_blank(self) -> bool {
        self.blank
    }

    /// The count when it is a whole number ≥ 0 (a blank cell is 0).
    pub fn whole(self) -> Option<u64> {
        let v = self.value;
        (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= MAX_COUNT).then_some(v as u64)
    }

    /// Whole, possibly negative (本年增/减).
    pub fn whole_signed(self) -> bool {
        let v = self.value;
        v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_COUNT
    }

    pub fn sum(parts: impl IntoIterator<Item = Count>) -> Count {
        Count::of(parts.into_iter().map(|c| c.value).sum())
    }

    /// Same number, whether written or blank.
    pub fn same(self, other: Count) -> bool {
        self.value == other.value
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.blank {
            return Ok(());
        }
        match self.whole() {
            Some(n) => write!(f, "{n}"),
            None if self.value.is_finite() && self.value.fract() == 0.0 => {
                write!(f, "{:.0}", self.value)
            }
            None => write!(f, "{}", self.value),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.blank {
            return s.serialize_none();
        }
        match self.whole() {
            Some(n) => s.serialize_u64(n),
            // 本年增/减 may be negative: -18, not -18.0.
            None if self.whole_signed() => s.serialize_i64(self.value as i64),
            None => s.serialize_f64(self.value),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = d.deserialize_any(NumberVisitor {
            what: || tr("disclosure.expect-count", &[]),
            allow_text: false,
        })?;
        Ok(n.value.map_or(Count::BLANK, Count::of))
    }
}

/// An amount in 万元, drawn exactly as written: `96171.6` stays `96171.6`,
/// `"3.50"` (quoted, to keep the zero) stays `3.50`. Any number of decimals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Money {
    pub value: f64,
    /// The text when written quoted; a blank cell is `Some("")`.
    text: Option<String>,
}

impl Money {
    pub fn of(value: f64) -> Money {
        Money { value, text: None }
    }

    /// Valid when a finite amount ≥ 0.
    pub fn is_valid(&self) -> bool {
        self.value.is_finite() && self.value >= 0.0 && self.value <= MAX_COUNT
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(t) => f.write_str(t),
            // Rust prints the shortest text that reads back as the same number,
            // which is the number as the editor typed it.
            None => write!(f, "{}", self.value),
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.text {
            Some(t) if t.is_empty() => s.serialize_none(),
            _ if self.value.fract() == 0.0 && self.is_valid() => s.serialize_u64(self.value as u64),
            _ => s.serialize_f64(self.value),
        }
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = d.deserialize_any(NumberVisitor {
            what: || tr("disclosure.expect-money-cell", &[]),
            allow_text: true,
        })?;
        Ok(match n.value {
            None => Money {
                value: 0.0,
                text: Some(String::new()),
            },
            Some(value) => Money {
                value,
                text: n.text,
            },
        })
    }
}

/// An amount as printed, with its unit: `73802895.90元`, `25.1万元`. Kept as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Amount {
    pub text: String,
}

impl Amount {
    /// The number in front of the unit, when there is one.
    pub fn number(&self) -> Option<f64> {
        let t = self.text.trim();
        let t = t
            .strip_suffix("万元")
            .or_else(|| t.strip_suffix('元'))
            .unwrap_or(t)
            .trim()
            .replace(',', "");
        t.parse::<f64>().ok().filter(|n| n.is_finite())
    }

    /// Blank, or a number ≥ 0 followed by nothing, 元 or 万元.
    pub fn is_valid(&self) -> bool {
        self.text.trim().is_empty() || self.number().is_some_and(|n| n >= 0.0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = d.deserialize_any(NumberVisitor {
            what: || tr("disclosure.expect-amount-cell", &[]),
            allow_text: true,
        })?;
        let text = match (n.text, n.value) {
            (Some(t), _) => t,
            (None, Some(v)) => v.to_string(),
            (None, None) => String::new(),
        };
        Ok(Amount { text })
    }
}

/// A cell as read: a number, a blank (`value: None`), and the text when quoted.
struct Number {
    value: Option<f64>,
    text: Option<String>,
}

impl Number {
    fn of(v: f64) -> Number {
        Number {
            value: Some(v),
            text: None,
        }
    }
}

/// Reads any YAML/JSON number; an empty cell (`~` or nothing) is blank.
struct NumberVisitor {
    /// What the cell should hold, in the message language.
    what: fn() -> String,
    /// Amounts may be quoted to keep trailing zeros ("3.50") or a unit ("251000元").
    allow_text: bool,
}

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&(self.what)())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(Number::of(v as f64))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(Number::of(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
        Ok(Number::of(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Number, E> {
        Ok(Number {
            value: None,
            text: None,
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<Number, E> {
        self.visit_unit()
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
        if !self.allow_text {
            return Err(E::invalid_type(de::Unexpected::Str(v), &self));
        }
        let t = v.trim();
        if t.is_empty() {
            return self.visit_unit();
        }
        let value = t
            .trim_end_matches("万元")
            .trim_end_matches('元')
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite());
        // Amounts with a unit keep it; a plain amount must be a number.
        if value.is_none() && !t.ends_with('元') {
            return Err(E::invalid_type(de::Unexpected::Str(v), &self));
        }
        Ok(Number {
            value: Some(value.unwrap_or(f64::NAN)),
            text: Some(t.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_money_validate() {
        assert_eq!(Count::of(3.0).whole(), Some(3));
        assert_eq!(Count::of(-1.0).whole(), None);
        assert_eq!(Count::of(1.5).whole(), None);
        assert!(Count::of(-18.0).whole_signed());
        assert_eq!(Count::BLANK.to_string(), "");
        assert_eq!(Money::of(96171.6).to_string(), "96171.6");
        assert_eq!(Money::of(24252.311082).to_string(), "24252.311082");
        assert_eq!(Money::of(3.0).to_string(), "3");
        let quoted: Money = serde_json::from_str(r#""3.50""#).unwrap();
        assert_eq!(quoted.to_string(), "3.50");
        let amount: Amount = serde_json::from_str(r#""73802895.90元""#).unwrap();
        assert_eq!(amount.number(), Some(73802895.9));
    }

    #[test]
    fn missing_cells_are_zero_and_totals_computed() {
        let a: Applicants = serde_json::from_str(r#"{"自然人": 3, "其他": 2}"#).unwrap();
        assert_eq!(a.total(), Count::of(5.0));
        assert!(a.total.is_none());
    }
}
