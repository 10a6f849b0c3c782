//! The official rows of the three tables, in order, with their labels and YAML
//! keys: one description shared by rendering, checking and tests.

use super::schema::*;

/// The three tables of the uniform format, by their section number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum TableNo {
    /// 二、主动公开政府信息情况
    Proactive,
    /// 三、收到和处理政府信息公开申请情况
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况
    Appeals,
}

impl TableNo {
    pub const ALL: [TableNo; 3] = [TableNo::Proactive, TableNo::Requests, TableNo::Appeals];

    /// The marker argument: `二`, `三`, `四` (or 2, 3, 4).
    pub fn from_marker(text: &str) -> Option<TableNo> {
        match text.trim().trim_start_matches('表') {
            "二" | "2" => Some(TableNo::Proactive),
            "三" | "3" => Some(TableNo::Requests),
            "四" | "4" => Some(TableNo::Appeals),
            _ => None,
        }
    }

    pub fn numeral(self) -> &'static str {
        match self {
            TableNo::Proactive => "二",
            TableNo::Requests => "三",
            TableNo::Appeals => "四",
        }
    }

    pub fn digit(self) -> u8 {
        match self {
            TableNo::Proactive => 2,
            TableNo::Requests => 3,
            TableNo::Appeals => 4,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TableNo::Proactive => "主动公开政府信息情况",
            TableNo::Requests => "收到和处理政府信息公开申请情况",
            TableNo::Appeals => "政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The top-level YAML key of the table.
    pub fn key(self) -> &'static str {
        match self {
            TableNo::Proactive => "主动公开",
            TableNo::Requests => "申请",
            TableNo::Appeals => "复议诉讼",
        }
    }

    pub fn present_in(self, stats: &DisclosureStats) -> bool {
        match self {
            TableNo::Proactive => stats.proactive.is_some(),
            TableNo::Requests => stats.requests.is_some(),
            TableNo::Appeals => stats.appeals.is_some(),
        }
    }
}

// ---------------------------------------------------------------- 表二

/// One block of 表二: a 第二十条 item with its column headers and rows.
pub struct ProactiveBlock {
    pub item: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<ProactiveRow>,
}

pub struct ProactiveRow {
    pub label: &'static str,
    pub cells: Vec<ProactiveCell>,
    /// For the YAML key path of each cell.
    pub cell_keys: &'static [&'static str],
}

#[derive(Debug, Clone)]
pub enum ProactiveCell {
    /// A whole number ≥ 0.
    Count(Count),
    /// A whole number that may be negative (本年增/减).
    Change(Count),
    Money(Money),
    /// An amount as printed, with its unit.
    Amount(Amount),
}

impl std::fmt::Display for ProactiveCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProactiveCell::Count(c) | ProactiveCell::Change(c) => c.fmt(f),
            ProactiveCell::Money(m) => m.fmt(f),
            ProactiveCell::Amount(a) => a.fmt(f),
        }
    }
}

const DOCUMENT_COLUMNS: &[&str] = &["本年制发件数", "本年废止件数", "现行有效件数"];
const DECISION_COLUMNS: &[&str] = &["本年处理决定数量"];
const FEE_COLUMNS: &[&str] = &["本年收费金额（单位：万元）"];
const FEE_KEYS: &[&str] = &["本年收费金额"];
const DOCUMENT_2019_COLUMNS: &[&str] = &["本年新制作数量", "本年新公开数量", "对外公开总数量"];
const ITEM_COLUMNS: &[&str] = &["上一年项目数量", "本年增/减", "处理决定数量"];
const FEE_2019_COLUMNS: &[&str] = &["上一年项目数量", "本年增/减"];
const PROCUREMENT_COLUMNS: &[&str] = &["采购项目数量", "采购总金额"];

fn row(
    key: &'static str,
    cells: Vec<ProactiveCell>,
    keys: &'static [&'static str],
) -> ProactiveRow {
    ProactiveRow {
        label: key,
        cells,
        cell_keys: keys,
    }
}

fn documents(key: &'static str, d: &Documents) -> ProactiveRow {
    let cells = [d.issued, d.repealed, d.in_force]
        .into_iter()
        .map(ProactiveCell::Count)
        .collect();
    row(key, cells, DOCUMENT_COLUMNS)
}

fn decisions(key: &'static str, d: &Decisions) -> ProactiveRow {
    row(
        key,
        vec![ProactiveCell::Count(d.decisions)],
        DECISION_COLUMNS,
    )
}

fn documents_2019(key: &'static str, d: &Documents2019) -> ProactiveRow {
    let cells = [d.made, d.published, d.total_public]
        .into_iter()
        .map(ProactiveCell::Count)
        .collect();
    row(key, cells, DOCUMENT_2019_COLUMNS)
}

fn items(key: &'static str, i: &Items) -> ProactiveRow {
    let cells = vec![
        ProactiveCell::Count(i.last_year),
        ProactiveCell::Change(i.change),
        ProactiveCell::Count(i.decisions),
    ];
    row(key, cells, ITEM_COLUMNS)
}

/// The blocks of 表二 in official order, in the layout of its format.
pub fn proactive_blocks(p: &ProactiveTable) -> Vec<ProactiveBlock> {
    match p {
        ProactiveTable::Y2021(p) => blocks_2021(p),
        ProactiveTable::Y2019(p) => blocks_2019(p),
    }
}

fn blocks_2021(p: &Proactive) -> Vec<ProactiveBlock> {
    vec![
        ProactiveBlock {
            item: "第二十条第（一）项",
            columns: DOCUMENT_COLUMNS,
            rows: vec![
                documents("规章", &p.rules),
                documents("行政规范性文件", &p.normative_documents),
            ],
        },
        ProactiveBlock {
            item: "第二十条第（五）项",
            columns: DECISION_COLUMNS,
            rows: vec![decisions("行政许可", &p.licensing)],
        },
        ProactiveBlock {
            item: "第二十条第（六）项",
            columns: DECISION_COLUMNS,
            rows: vec![
                decisions("行政处罚", &p.penalties),
                decisions("行政强制", &p.enforcement),
            ],
        },
        ProactiveBlock {
            item: "第二十条第（八）项",
            columns: FEE_COLUMNS,
            rows: vec![row(
                "行政事业性收费",
                vec![ProactiveCell::Money(p.fees.amount.clone())],
                FEE_KEYS,
            )],
        },
    ]
}

/// 国办公开办函〔2019〕60号: five blocks, with 上一年项目数量 and 本年增/减.
fn blocks_2019(p: &Proactive2019) -> Vec<ProactiveBlock> {
    vec![
        ProactiveBlock {
            item: "第二十条第（一）项",
            columns: DOCUMENT_2019_COLUMNS,
            rows: vec![
                documents_2019("规章", &p.rules),
                documents_2019("规范性文件", &p.normative_documents),
            ],
        },
        ProactiveBlock {
            item: "第二十条第（五）项",
            columns: ITEM_COLUMNS,
            rows: vec![
                items("行政许可", &p.licensing),
                items("其他对外管理服务事项", &p.other_services),
            ],
        },
        ProactiveBlock {
            item: "第二十条第（六）项",
            columns: ITEM_COLUMNS,
            rows: vec![
                items("行政处罚", &p.penalties),
                items("行政强制", &p.enforcement),
            ],
        },
        ProactiveBlock {
            item: "第二十条第（八）项",
            columns: FEE_2019_COLUMNS,
            rows: vec![row(
                "行政事业性收费",
                vec![
                    ProactiveCell::Count(p.fees.last_year),
                    ProactiveCell::Change(p.fees.change),
                ],
                FEE_2019_COLUMNS,
            )],
        },
        ProactiveBlock {
            item: "第二十条第（九）项",
            columns: PROCUREMENT_COLUMNS,
            rows: vec![row(
                "政府集中采购",
                vec![
                    ProactiveCell::Count(p.procurement.projects),
                    ProactiveCell::Amount(p.procurement.amount.clone()),
                ],
                PROCUREMENT_COLUMNS,
            )],
        },
    ]
}

// ---------------------------------------------------------------- 表三

/// The note in the top-left corner of 表三, as printed in the official form.
pub const REQUESTS_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
pub const NEW_LABEL: &str = "一、本年新收政府信息公开申请数量";
pub const CARRIED_OVER_LABEL: &str = "二、上年结转政府信息公开申请数量";
pub const OUTCOMES_LABEL: &str = "三、本年度办理结果";
pub const CARRIED_FORWARD_LABEL: &str = "四、结转下年度继续办理";
pub const OUTCOME_TOTAL_LABEL: &str = "（七）总计";

/// A row group of 三、本年度办理结果: （一）予以公开 … （六）其他处理.
pub struct OutcomeGroup<'a> {
    pub key: &'static str,
    pub label: &'static str,
    /// One row for （一）（二）, the numbered sub-rows for （三）…（六）.
    pub rows: Vec<OutcomeRow<'a>>,
}

pub struct OutcomeRow<'a> {
    /// Key below the group; `None` when the group is a single row.
    pub key: Option<&'static str>,
    pub label: Option<&'static str>,
    pub counts: &'a Applicants,
}

impl OutcomeRow<'_> {
    /// The YAML path below `申请.办理结果`.
    pub fn path(&self, group: &OutcomeGroup<'_>) -> Vec<&'static str> {
        std::iter::once(group.key).chain(self.key).collect()
    }
}

fn single<'a>(key: &'static str, label: &'static str, counts: &'a Applicants) -> OutcomeGroup<'a> {
    OutcomeGroup {
        key,
        label,
        rows: vec![OutcomeRow {
            key: None,
            label: None,
            counts,
        }],
    }
}

fn group<'a>(
    key: &'static str,
    label: &'static str,
    rows: Vec<(&'static str, &'static str, &'a Applicants)>,
) -> OutcomeGroup<'a> {
    OutcomeGroup {
        key,
        label,
        rows: rows
            .into_iter()
            .map(|(key, label, counts)| OutcomeRow {
                key: Some(key),
                label: Some(label),
                counts,
            })
            .collect(),
    }
}

/// The six outcome groups in official order, with official labels.
pub fn outcome_groups(o: &Outcomes) -> Vec<OutcomeGroup<'_>> {
    let w = &o.withheld;
    let u = &o.unavailable;
    let n = &o.not_processed;
    let other = match &o.other_handling {
        OtherHandling::Single(a) => single("其他处理", "（六）其他处理", a),
        OtherHandling::Rows(h) => group(
            "其他处理",
            "（六）其他处理",
            vec![
                (
                    "逾期不补正",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    &h.no_correction,
                ),
                (
                    "逾期未缴费",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    &h.fee_not_paid,
                ),
                ("其他", "3.其他", &h.other),
            ],
        ),
    };
    vec![
        single("予以公开", "（一）予以公开", &o.disclosed),
        single(
            "部分公开",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            &o.partly_disclosed,
        ),
        group(
            "不予公开",
            "（三）不予公开",
            vec![
                ("属于国家秘密", "1.属于国家秘密", &w.state_secrets),
                (
                    "其他法律行政法规禁止公开",
                    "2.其他法律行政法规禁止公开",
                    &w.prohibited_by_law,
                ),
                (
                    "危及三安全一稳定",
                    "3.危及“三安全一稳定”",
                    &w.security_and_stability,
                ),
                (
                    "保护第三方合法权益",
                    "4.保护第三方合法权益",
                    &w.third_party_rights,
                ),
                (
                    "属于三类内部事务信息",
                    "5.属于三类内部事务信息",
                    &w.internal_affairs,
                ),
                (
                    "属于四类过程性信息",
                    "6.属于四类过程性信息",
                    &w.process_information,
                ),
                (
                    "属于行政执法案卷",
                    "7.属于行政执法案卷",
                    &w.enforcement_files,
                ),
                ("属于行政查询事项", "8.属于行政查询事项", &w.inquiry_matters),
            ],
        ),
        group(
            "无法提供",
            "（四）无法提供",
            vec![
                (
                    "本机关不掌握相关政府信息",
                    "1.本机关不掌握相关政府信息",
                    &u.not_held,
                ),
                (
                    "没有现成信息需要另行制作",
                    "2.没有现成信息需要另行制作",
                    &u.would_need_creating,
                ),
                (
                    "补正后申请内容仍不明确",
                    "3.补正后申请内容仍不明确",
                    &u.still_unclear,
                ),
            ],
        ),
        group(
            "不予处理",
            "（五）不予处理",
            vec![
                (
                    "信访举报投诉类申请",
                    "1.信访举报投诉类申请",
                    &n.petitions_and_complaints,
                ),
                ("重复申请", "2.重复申请", &n.repeated),
                (
                    "要求提供公开出版物",
                    "3.要求提供公开出版物",
                    &n.publications,
                ),
                (
                    "无正当理由大量反复申请",
                    "4.无正当理由大量反复申请",
                    &n.excessive,
                ),
                (
                    "要求行政机关确认或重新出具已获取信息",
                    "5.要求行政机关确认或重新出具已获取信息",
                    &n.reconfirmation,
                ),
            ],
        ),
        other,
    ]
}

impl Outcomes {
    /// Every outcome row (the 20 leaves), for sums.
    pub fn leaves(&self) -> Vec<&Applicants> {
        outcome_groups(self)
            .into_iter()
            .flat_map(|g| g.rows.into_iter().map(|r| r.counts))
            .collect()
    }

    /// The sum of all outcome rows, column by column.
    pub fn sum_of_rows(&self) -> Applicants {
        let leaves = self.leaves();
        let column = |i: usize| Count::sum(leaves.iter().map(|a| a.parts()[i]));
        Applicants::from_parts(std::array::from_fn(column))
    }

    /// （七）总计 as written, else computed from the rows.
    pub fn total_row(&self) -> Applicants {
        self.total.clone().unwrap_or_else(|| self.sum_of_rows())
    }

    /// The sum of the rows' 总计 (each as written, else the sum of its cells).
    pub fn sum_of_row_totals(&self) -> Count {
        Count::sum(self.leaves().iter().map(|a| a.total()))
    }
}

/// Number of body rows spanned by 三、本年度办理结果 (outcome rows plus （七）总计).
pub fn outcome_row_count(o: &Outcomes) -> usize {
    o.leaves().len() + 1
}

// ---------------------------------------------------------------- 表四

pub const RECONSIDERATION_LABEL: &str = "行政复议";
pub const LITIGATION_LABEL: &str = "行政诉讼";
pub const DIRECT_LABEL: &str = "未经复议直接起诉";
pub const AFTER_LABEL: &str = "复议后起诉";

/// The three verdict groups of 表四 with their YAML paths and header labels.
pub fn verdict_groups(a: &Appeals) -> [(Vec<&'static str>, &'static str, &Verdicts); 3] {
    [
        (
            vec![RECONSIDERATION_LABEL],
            RECONSIDERATION_LABEL,
            &a.reconsideration,
        ),
        (
            vec![LITIGATION_LABEL, DIRECT_LABEL],
            DIRECT_LABEL,
            &a.litigation.direct,
        ),
        (
            vec![LITIGATION_LABEL, AFTER_LABEL],
            AFTER_LABEL,
            &a.litigation.after_reconsideration,
        ),
    ]
}
