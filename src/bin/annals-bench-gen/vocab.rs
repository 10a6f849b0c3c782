//! The phrase vocabulary and the Markdown body of one synthetic report.
//!
//! Text is made from phrases the way real reports are: a subject, an adverb, a
//! verb, an object and a purpose, with figures and year-on-year changes mixed in.
//! Bodies follow the 一、/（一）/1. outline of the two statutory annual reports.

use std::fmt::Write;

/// SplitMix64: tiny, fast, and the same sequence on every platform for a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

const ADVERBS: &[&str] = &[
    "认真",
    "深入",
    "全面",
    "扎实",
    "持续",
    "切实",
    "积极",
    "严格",
    "稳步",
    "大力",
    "不断",
    "进一步",
    "有序",
    "统筹",
];

const VERBS: &[&str] = &[
    "贯彻落实",
    "推进",
    "开展",
    "加强",
    "完善",
    "规范",
    "提升",
    "健全",
    "深化",
    "落实",
    "推动",
    "优化",
    "强化",
    "组织实施",
];

const OBJECTS: &[&str] = &[
    "法治政府建设",
    "行政执法三项制度",
    "重大行政决策程序",
    "政务公开标准化规范化建设",
    "权责清单制度",
    "行政复议体制改革",
    "“谁执法谁普法”普法责任制",
    "政府信息主动公开工作",
    "依申请公开办理工作",
    "公共法律服务体系建设",
    "法治化营商环境建设",
    "安全生产责任制",
    "规范性文件合法性审核",
    "“双随机、一公开”监管",
    "行政执法案卷评查",
    "法律顾问制度",
    "政府网站和政务新媒体管理",
    "“放管服”改革",
    "“一件事一次办”改革",
    "矛盾纠纷多元化解机制",
    "领导干部学法用法制度",
    "基层政务公开",
    "政策解读和回应关切",
    "行政应诉工作",
];

const PURPOSES: &[&str] = &[
    "为高质量发展提供有力法治保障",
    "不断提升依法行政水平",
    "切实保障人民群众合法权益",
    "营造公开透明的政务环境",
    "推动各项工作在法治轨道上运行",
    "增强群众的获得感和满意度",
    "确保各项任务落地见效",
    "形成了一批可复制可推广的经验做法",
    "有效防范化解重大风险",
    "进一步提高了工作效率",
];

const SUBJECTS: &[&str] = &[
    "我局",
    "局党组",
    "各科室",
    "执法大队",
    "局机关",
    "各基层站所",
    "法规科",
    "办公室",
    "政务服务窗口",
    "各街道（乡镇）",
];

const CONNECTIVES: &[&str] = &[
    "同时，",
    "此外，",
    "与此同时，",
    "在此基础上，",
    "",
    "",
    "",
    "一是",
    "二是",
    "三是",
];

const COUNTED: &[&str] = &[
    "开展执法检查",
    "办理行政许可事项",
    "主动公开政府信息",
    "受理政府信息公开申请",
    "组织专题学法",
    "开展普法宣传活动",
    "审核规范性文件",
    "办理行政复议案件",
    "接待群众来访",
    "发布政策解读",
    "回应社会关切",
    "开展案卷评查",
];

const MEASURES: &[&str] = &["件", "次", "场", "条", "人次", "家次", "份"];

const SHORTCOMINGS: &[&str] = &[
    "法治学习有待进一步加强",
    "行政执法检查质量有待进一步提升",
    "行政执法队伍建设有待进一步推进",
    "政策解读的形式还不够丰富",
    "基层政务公开标准化程度还不高",
    "信息发布的时效性有待提高",
];

const PLANS: &[&str] = &[
    "深入学习贯彻习近平法治思想",
    "持续提升行政执法规范化水平",
    "全面推进政务公开标准化规范化",
    "加强法治宣传教育",
    "强化法治队伍建设",
    "完善依法决策机制",
];

pub const LINKS: &[(&str, &str)] = &[
    ("中国政府网", "https://www.gov.cn/"),
    (
        "中华人民共和国政府信息公开条例",
        "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm",
    ),
    ("国家法律法规数据库", "https://flk.npc.gov.cn/"),
    ("中国政府法制信息网", "https://www.moj.gov.cn/"),
];

/// The report kinds, with their folder, category and outline.
pub struct Kind {
    pub dir: &'static str,
    pub category: &'static str,
    pub title: &'static str,
    pub parts: &'static [(&'static str, &'static [&'static str])],
}

pub const KINDS: &[Kind] = &[
    Kind {
        dir: "fazhi",
        category: "法治政府建设年度报告",
        title: "法治政府建设年度报告",
        parts: &[
            (
                "{year}年度推进法治政府建设的主要举措和成效",
                &[
                    "法治政府建设主要成效",
                    "法治政府建设主要举措",
                    "依法全面履行政府职能",
                    "严格规范公正文明执法",
                ],
            ),
            (
                "{year}年度推进法治政府建设存在的不足和原因",
                &["存在的主要不足", "产生问题的原因"],
            ),
            (
                "党政主要负责人履行推进法治建设第一责任人职责情况",
                &["加强组织领导", "带头尊法学法守法用法"],
            ),
            (
                "{next}年度推进法治政府建设的主要安排",
                &["总体思路", "重点任务"],
            ),
        ],
    },
    Kind {
        dir: "xxgk",
        category: "政府信息公开工作年度报告",
        title: "政府信息公开工作年度报告",
        parts: &[
            (
                "总体情况",
                &["主动公开", "依申请公开", "政府信息管理", "平台建设"],
            ),
            (
                "主动公开政府信息情况",
                &["规章和规范性文件", "行政许可和行政处罚"],
            ),
            (
                "收到和处理政府信息公开申请情况",
                &["收到申请情况", "办理结果情况"],
            ),
            (
                "政府信息公开行政复议、行政诉讼情况",
                &["行政复议", "行政诉讼"],
            ),
            ("存在的主要问题及改进情况", &["存在的主要问题", "改进情况"]),
            (
                "其他需要报告的事项",
                &["收取信息处理费情况", "建议提案办理情况"],
            ),
        ],
    },
];

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn sentence(rng: &mut Rng, out: &mut String, unit_short: &str) {
    let subject = if rng.chance(20) {
        unit_short
    } else {
        rng.pick(SUBJECTS)
    };
    match rng.range(0, 3) {
        0 => {
            let (what, measure) = (rng.pick(COUNTED), rng.pick(MEASURES));
            let n = rng.range(3, 2400);
            let change = if rng.chance(50) { "增长" } else { "下降" };
            let pct = rng.range(1, 600) as f64 / 10.0;
            let _ = write!(
                out,
                "全年{subject}共{what}{n}{measure}，同比{change}{pct:.1}%。"
            );
        }
        _ => {
            let _ = write!(
                out,
                "{}{subject}{}{}{}，{}。",
                rng.pick(CONNECTIVES),
                rng.pick(ADVERBS),
                rng.pick(VERBS),
                rng.pick(OBJECTS),
                rng.pick(PURPOSES)
            );
        }
    }
}

fn paragraph(rng: &mut Rng, out: &mut String, unit_short: &str) {
    for _ in 0..rng.range(3, 7) {
        sentence(rng, out, unit_short);
    }
    out.push_str("\n\n");
}

/// A GFM table of figures, as the disclosure reports print them.
fn table(rng: &mut Rng, out: &mut String, year: u64) {
    out.push_str(
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---:|---:|---:|\n",
    );
    for row in ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制"] {
        let _ = writeln!(
            out,
            "| {row} | {} | {} | {} |",
            rng.range(0, 40),
            rng.range(0, 12),
            rng.range(10, 400)
        );
    }
    let _ = writeln!(out, "\n*数据统计截止时间：{year}年12月31日。*\n");
}

fn list(rng: &mut Rng, out: &mut String) {
    for _ in 0..rng.range(3, 6) {
        let _ = writeln!(
            out,
            "- {}{}，{}；",
            rng.pick(VERBS),
            rng.pick(OBJECTS),
            rng.pick(PURPOSES)
        );
    }
    out.push('\n');
}

/// The Markdown body of one report: 10 to 18 KB, about 14 KB on average.
pub fn body(rng: &mut Rng, kind: &Kind, year: u64, unit: &str, unit_short: &str) -> String {
    let target = rng.range(9_000, 13_000) as usize;
    let subsections: usize = kind.parts.iter().map(|(_, subs)| subs.len()).sum();
    let per_sub = target / (subsections + 1);
    let mut out = String::with_capacity(target + 2048);
    let _ = write!(
        out,
        "{year}年度，{unit}在上级党委、政府的正确领导下，坚持以习近平新时代中国特色社会主义思想为指导，"
    );
    paragraph(rng, &mut out, unit_short);
    let mut third_level = 0;
    for (p, (part, subs)) in kind.parts.iter().enumerate() {
        let part = part
            .replace("{year}", &year.to_string())
            .replace("{next}", &(year + 1).to_string());
        let _ = write!(out, "## {}、{part}\n\n", NUMERALS[p % NUMERALS.len()]);
        for (s, sub) in subs.iter().enumerate() {
            let _ = write!(out, "### （{}）{sub}\n\n", NUMERALS[s % NUMERALS.len()]);
            let start = out.len();
            let mut item = 1;
            while out.len() - start < per_sub {
                match rng.range(0, 9) {
                    0 if third_level < 4 => {
                        third_level += 1;
                        let _ = write!(
                            out,
                            "#### {item}．{}{}\n\n",
                            rng.pick(VERBS),
                            rng.pick(OBJECTS)
                        );
                        item += 1;
                    }
                    1 => table(rng, &mut out, year),
                    2 => list(rng, &mut out),
                    3 => {
                        let (title, url) = rng.pick(LINKS);
                        let _ = write!(out, "详见[{title}]({url})。");
                        paragraph(rng, &mut out, unit_short);
                    }
                    4..=6 => {
                        let plan = if p + 1 == kind.parts.len() {
                            rng.pick(PLANS)
                        } else if p == 1 {
                            rng.pick(SHORTCOMINGS)
                        } else {
                            rng.pick(OBJECTS)
                        };
                        let _ = write!(out, "**{item}.{plan}。**");
                        item += 1;
                        paragraph(rng, &mut out, unit_short);
                    }
                    _ => paragraph(rng, &mut out, unit_short),
                }
            }
        }
    }
    out
}

/// Issuing units: city-level departments and the same departments in each district.
pub struct Unit {
    pub name: String,
    pub short: String,
    pub code: String,
}

const CITY: &str = "青川市";

const DISTRICTS: &[(&str, &str)] = &[
    ("", "shi"),
    ("开阳区", "ky"),
    ("滨江区", "bj"),
    ("岳山区", "ys"),
    ("天心区", "tx"),
    ("雨湖区", "yh"),
    ("望城区", "wc"),
    ("宁乡市", "nx"),
    ("浏河市", "lh"),
    ("长平县", "cp"),
    ("桃源县", "ty"),
    ("石门县", "sm"),
    ("临澧县", "ll"),
];

const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("人民政府办公室", "政府办", "zfb"),
    ("司法局", "司法局", "sfj"),
    ("应急管理局", "应急局", "yjj"),
    ("生态环境局", "生态环境局", "sthjj"),
    ("发展和改革局", "发改局", "fgj"),
    ("教育局", "教育局", "jyj"),
    ("公安局", "公安局", "gaj"),
    ("民政局", "民政局", "mzj"),
    ("财政局", "财政局", "czj"),
    ("人力资源和社会保障局", "人社局", "rsj"),
    ("自然资源和规划局", "自然资源局", "zrzyj"),
    ("住房和城乡建设局", "住建局", "zjj"),
    ("交通运输局", "交通局", "jtj"),
    ("水利局", "水利局", "slj"),
    ("农业农村局", "农业农村局", "nyncj"),
    ("商务局", "商务局", "swj"),
    ("文化旅游广电体育局", "文旅广体局", "wlj"),
    ("卫生健康局", "卫健局", "wjj"),
    ("退役军人事务局", "退役军人局", "tyjrj"),
    ("审计局", "审计局", "sjj"),
    ("市场监督管理局", "市场监管局", "scjgj"),
    ("统计局", "统计局", "tjj"),
    ("医疗保障局", "医保局", "ybj"),
    ("城市管理和综合执法局", "城管局", "cgj"),
    ("林业局", "林业局", "lyj"),
    ("行政审批服务局", "行政审批局", "xzspj"),
    ("数据资源局", "数据局", "sjzyj"),
    ("信访局", "信访局", "xfj"),
    ("机关事务管理局", "机关事务局", "jgswj"),
    ("档案馆", "档案馆", "dag"),
];

pub fn units(count: usize) -> Vec<Unit> {
    DISTRICTS
        .iter()
        .flat_map(|&(district, dcode)| {
            DEPARTMENTS.iter().map(move |&(dept, short, code)| {
                let prefix = if district.is_empty() { "" } else { district };
                Unit {
                    name: format!("{CITY}{prefix}{dept}"),
                    short: format!("{}{short}", if district.is_empty() { "市" } else { prefix }),
                    code: format!("{dcode}-{code}"),
                }
            })
        })
        .take(count)
        .collect()
}

pub const MAX_UNITS: usize = DISTRICTS.len() * DEPARTMENTS.len();
