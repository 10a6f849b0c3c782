//! Whether a unit is a government or a department, for the deadline of its
//! 政府信息公开工作年度报告: the 条例 (2019, art. 49–50) gives 县级以上地方人民政府
//! (published by their office) until 31 March, departments until 31 January.

use crate::config::UnitKind;

/// The kind `[units]` gives, else the one its name suggests.
pub fn kind_of(name: &str, configured: Option<UnitKind>) -> UnitKind {
    configured.unwrap_or_else(|| infer(name))
}

/// …人民政府, …人民政府办公室/办公厅 and 管委会 (with its office) are
/// governments; everything else is a department.
pub fn infer(name: &str) -> UnitKind {
    let name = name.trim();
    let government = ["人民政府", "人民政府办公室", "人民政府办公厅"]
        .iter()
        .any(|end| name.ends_with(end))
        || ["管委会", "管理委员会"].iter().any(|body| {
            name.ends_with(body)
                || name.ends_with(&format!("{body}办公室"))
                || name.ends_with(&format!("{body}办公厅"))
        });
    if government {
        UnitKind::Government
    } else {
        UnitKind::Department
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_name() {
        for name in [
            "淮安市人民政府",
            "上海市人民政府办公厅",
            "长沙市人民政府办公室",
            "平潭综合实验区管委会办公室",
            "某某经济技术开发区管理委员会",
        ] {
            assert_eq!(infer(name), UnitKind::Government, "{name}");
        }
        for name in [
            "平潭综合实验区经济发展局",
            "开福区应急管理局",
            "市政府研究室",
        ] {
            assert_eq!(infer(name), UnitKind::Department, "{name}");
        }
        assert_eq!(
            kind_of("淮安市人民政府", Some(UnitKind::Department)),
            UnitKind::Department
        );
    }
}
