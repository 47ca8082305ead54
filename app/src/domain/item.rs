//! Service items (事项): what one department does for a citizen or a company — materials, forms, legal basis,
//! the two time limits, fee and where it is handled.

use serde::{Deserialize, Serialize};

use super::text::Text;

/// 事项: one service item of one department, with its guide (办事指南).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub department: String,
    pub kind: ItemKind,
    pub name: Text,
    #[serde(default)]
    pub summary: Option<Text>,
    /// 办事指南: the longer how-to text.
    #[serde(default)]
    pub guide: Option<Text>,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub life_stages: Vec<String>,
    /// 申请条件: conditions of application, as text.
    #[serde(default)]
    pub conditions: Vec<Text>,
    /// 设定依据: laws and regulations the item rests on.
    #[serde(default)]
    pub legal_basis: Vec<Text>,
    /// 法定时限
    pub statutory_limit: Limit,
    /// 承诺时限: what the hall promises, usually shorter than the statutory limit.
    pub committed_limit: Limit,
    pub fee: Fee,
    pub online_level: OnlineLevel,
    #[serde(default, rename = "where")]
    pub location: Option<Location>,
    /// Field ids of the merged application form.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Material ids this item's result is (e.g. `business-licence`).
    #[serde(default)]
    pub produces: Vec<String>,
    #[serde(default, rename = "material")]
    pub materials: Vec<Material>,
    #[serde(default, rename = "form")]
    pub forms: Vec<Form>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 行政许可
    Licensing,
    /// 公共服务
    PublicService,
    /// 备案
    Filing,
    /// 行政确认
    Confirmation,
    Other,
}

/// How far the item can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// 办事指南 only
    Info,
    /// forms can be downloaded
    Download,
    /// 网上申请: apply online, then come to the window
    ApplyOnline,
    /// 全程网办
    FullyOnline,
}

/// Where the item is handled: a service centre and its window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[serde(default)]
    pub centre: Option<String>,
    #[serde(default)]
    pub window: Option<Text>,
}

/// 申请材料: one document an applicant hands in. The id is shared across items: the same id is the same document,
/// so a document given once is not asked for again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub name: Text,
    pub form: MaterialForm,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default = "yes")]
    pub required: bool,
    /// 容缺受理: may be missing at acceptance, on a signed promise (secondary materials only).
    #[serde(default)]
    pub shortfall_allowed: bool,
    /// The item whose result this material is (e.g. the business licence from registration).
    #[serde(default)]
    pub produced_by: Option<String>,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    /// 原件
    Original,
    /// 复印件
    Copy,
    /// 原件及复印件
    OriginalAndCopy,
    /// 电子材料
    Electronic,
}

/// A downloadable application form (申请表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub name: Text,
    pub href: String,
}

/// 收费标准
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub yuan: f64,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub varies: bool,
    #[serde(default)]
    pub source: Option<String>,
}

/// A time limit (法定时限 or 承诺时限). Written flat in the data (`{ kind = "working_days", days = 3 }`); the
/// number of days lives inside the kind, so a limit with `days` missing or misplaced cannot be built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LimitSpec", into = "LimitSpec")]
pub struct Limit {
    pub kind: LimitKind,
    /// e.g. 行政许可法 art. 42: +10 working days with approval.
    pub extension_days: Option<u32>,
    pub note: Option<Text>,
    /// Where the figure comes from.
    pub source: Option<String>,
    /// Operator data that differs by city and year.
    pub varies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitKind {
    /// 即办: decided on the spot.
    OnTheSpot,
    WorkingDays(u32),
    CalendarDays(u32),
    /// Filing only (备案): no decision to wait for.
    None,
    /// Set by the city.
    Local,
}

impl Limit {
    pub fn new(kind: LimitKind) -> Limit {
        Limit {
            kind,
            extension_days: None,
            note: None,
            source: None,
            varies: false,
        }
    }

    /// The limit in working days for planning. On the spot, filing and local limits count 0 (see
    /// [`Limit::is_open`]). `n` calendar days count `n − 2⌊n/7⌋`: the most working days `n` consecutive days can
    /// hold on a weekends-only calendar, so the estimate errs on the long side.
    pub fn planning_working_days(&self) -> u32 {
        match self.kind {
            LimitKind::WorkingDays(n) => n,
            LimitKind::CalendarDays(n) => n - 2 * (n / 7),
            LimitKind::OnTheSpot | LimitKind::None | LimitKind::Local => 0,
        }
    }

    /// Limits whose length the catalog does not know (`none`, `local`): planned as 0 days but flagged.
    pub fn is_open(&self) -> bool {
        matches!(self.kind, LimitKind::None | LimitKind::Local)
    }
}

/// The data form of a [`Limit`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitSpec {
    kind: LimitTag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    extension_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default)]
    varies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum LimitTag {
    OnTheSpot,
    WorkingDays,
    CalendarDays,
    None,
    Local,
}

impl TryFrom<LimitSpec> for Limit {
    type Error = String;

    fn try_from(spec: LimitSpec) -> Result<Limit, String> {
        let kind = match (spec.kind, spec.days) {
            (LimitTag::WorkingDays, Some(n)) => LimitKind::WorkingDays(n),
            (LimitTag::CalendarDays, Some(n)) => LimitKind::CalendarDays(n),
            (LimitTag::WorkingDays | LimitTag::CalendarDays, None) => {
                return Err(format!(
                    "limit of kind `{}` needs `days`",
                    tag_name(spec.kind)
                ))
            }
            (tag, Some(_)) => {
                return Err(format!(
                    "`days` is not allowed on a limit of kind `{}`",
                    tag_name(tag)
                ))
            }
            (LimitTag::OnTheSpot, None) => LimitKind::OnTheSpot,
            (LimitTag::None, None) => LimitKind::None,
            (LimitTag::Local, None) => LimitKind::Local,
        };
        Ok(Limit {
            kind,
            extension_days: spec.extension_days,
            note: spec.note,
            source: spec.source,
            varies: spec.varies,
        })
    }
}

fn tag_name(tag: LimitTag) -> &'static str {
    match tag {
        LimitTag::OnTheSpot => "on_the_spot",
        LimitTag::WorkingDays => "working_days",
        LimitTag::CalendarDays => "calendar_days",
        LimitTag::None => "none",
        LimitTag::Local => "local",
    }
}

impl From<Limit> for LimitSpec {
    fn from(l: Limit) -> LimitSpec {
        let (kind, days) = match l.kind {
            LimitKind::OnTheSpot => (LimitTag::OnTheSpot, None),
            LimitKind::WorkingDays(n) => (LimitTag::WorkingDays, Some(n)),
            LimitKind::CalendarDays(n) => (LimitTag::CalendarDays, Some(n)),
            LimitKind::None => (LimitTag::None, None),
            LimitKind::Local => (LimitTag::Local, None),
        };
        LimitSpec {
            kind,
            days,
            extension_days: l.extension_days,
            note: l.note,
            source: l.source,
            varies: l.varies,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(json: &str) -> Result<Limit, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn days_live_in_the_kind() {
        let l = limit(r#"{"kind":"working_days","days":3,"extension_days":3,"source":"x"}"#)
            .expect("valid");
        assert_eq!(l.kind, LimitKind::WorkingDays(3));
        assert_eq!(l.extension_days, Some(3));
        assert_eq!(
            limit(r#"{"kind":"on_the_spot"}"#).expect("valid").kind,
            LimitKind::OnTheSpot
        );
    }

    #[test]
    fn days_missing_or_misplaced_or_unknown_kind_is_refused() {
        assert!(limit(r#"{"kind":"calendar_days"}"#)
            .unwrap_err()
            .contains("needs `days`"));
        assert!(limit(r#"{"kind":"local","days":2}"#)
            .unwrap_err()
            .contains("not allowed"));
        assert!(limit(r#"{"kind":"weeks","days":2}"#)
            .unwrap_err()
            .contains("unknown variant `weeks`"));
    }

    #[test]
    fn round_trips_in_the_flat_data_form() {
        let l = Limit {
            varies: true,
            ..Limit::new(LimitKind::CalendarDays(30))
        };
        let json = serde_json::to_string(&l).expect("serialises");
        assert_eq!(json, r#"{"kind":"calendar_days","days":30,"varies":true}"#);
        assert_eq!(limit(&json).expect("parses"), l);
    }

    #[test]
    fn planning_days_err_on_the_long_side() {
        assert_eq!(
            Limit::new(LimitKind::CalendarDays(30)).planning_working_days(),
            22
        );
        assert_eq!(
            Limit::new(LimitKind::CalendarDays(7)).planning_working_days(),
            5
        );
        assert_eq!(
            Limit::new(LimitKind::CalendarDays(3)).planning_working_days(),
            3
        );
        assert_eq!(
            Limit::new(LimitKind::WorkingDays(20)).planning_working_days(),
            20
        );
        assert_eq!(Limit::new(LimitKind::Local).planning_working_days(), 0);
        assert!(Limit::new(LimitKind::Local).is_open() && Limit::new(LimitKind::None).is_open());
        assert!(!Limit::new(LimitKind::OnTheSpot).is_open());
    }
}
