//! The catalog model: taxonomy, departments, the merged-form field registry, and the [`Catalog`] that holds them
//! with [`Item`]s, [`Theme`]s and the working-day [`Calendar`], indexed by id.
//!
//! A catalog is built from [`CatalogParts`] (plain data, as loaded or written in tests); validation lives in
//! [`super::validate`], reading files in `load` (server only).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

pub use super::calendar::{Calendar, CalendarYear, Holiday};
pub use super::item::{
    Fee, Form, Item, ItemKind, Limit, LimitKind, Location, Material, MaterialForm, OnlineLevel,
};
pub use super::text::Text;
pub use super::theme::{Exit, Question, QuestionKind, Step, StepTarget, Theme, Variant};

/// 服务对象: an audience to browse by (居民, 企业, 投资者 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub id: String,
    pub name: Text,
}

/// 生命周期: a stage of a person's or an enterprise's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeStage {
    pub id: String,
    pub scope: StageScope,
    pub name: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageScope {
    Personal,
    Enterprise,
}

/// 全程导航: a navigation domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: Text,
}

/// 政务服务中心: a service centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Centre {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub address: Option<Text>,
    #[serde(default)]
    pub hours: Option<Text>,
    /// 预约取号: the centre takes appointments at these windows and hours; none when absent.
    #[serde(default)]
    pub appointments: Option<super::appointment::Appointments>,
}

/// 部门
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub short: Option<Text>,
    #[serde(default)]
    pub summary: Option<Text>,
    /// The former departments merged into this one (e.g. 工商局、质监局).
    #[serde(default)]
    pub formerly: Option<Text>,
    /// No longer exists; may appear in historical themes only.
    #[serde(default)]
    pub historical: bool,
    #[serde(default)]
    pub centre: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A field of the merged application form (一表申请), shared by the items that list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Groups fields into short form sections.
    pub section: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub max_len: Option<u32>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    /// 居民身份证号码 (GB 11643)
    ResidentId,
    /// 统一社会信用代码 (GB 32100)
    CreditCode,
    Phone,
    Email,
    Date,
    Number,
    Choice,
    Textarea,
}

/// One option of a choice: the stored value and its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

/// 同义词: words citizens type that the catalog words differently (饭店 → 餐饮, 上户口 → 户口). A search query
/// containing one of `words` is also searched with that word replaced by `means`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    pub words: Vec<String>,
    pub means: String,
}

/// The catalog as plain data, in load order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogParts {
    /// `[catalog] revision`: raised by the operator with every change, so that of two instances with different
    /// catalogs the database keeps the newer one's search index (a rolling update never goes backwards).
    #[serde(default)]
    pub revision: Option<u32>,
    /// `[catalog] consultation_days`: working days a department has to answer a question (咨询).
    #[serde(default)]
    pub consultation_days: Option<u32>,
    /// `[catalog] follow_up_days`: working days a department has to respond to a poor rating (整改).
    #[serde(default)]
    pub follow_up_days: Option<u32>,
    pub audiences: Vec<Audience>,
    pub life_stages: Vec<LifeStage>,
    pub domains: Vec<Domain>,
    pub centres: Vec<Centre>,
    pub departments: Vec<Department>,
    pub fields: Vec<Field>,
    pub items: Vec<Item>,
    pub themes: Vec<Theme>,
    /// One entry per calendar file; [`Catalog`] turns them into a [`Calendar`].
    pub calendar: Vec<CalendarYear>,
    #[serde(default)]
    pub synonyms: Vec<Synonym>,
}

/// The catalog with lookups by id. Built from parts that passed validation; should ids repeat anyway, a lookup
/// finds the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CatalogParts", into = "CatalogParts")]
pub struct Catalog {
    parts: CatalogParts,
    calendar: Calendar,
    index: Index,
    /// Per theme (in catalog order): the distinct departments its steps involve, sorted; computed once, as every
    /// theme card shows their number.
    theme_departments: Vec<Vec<String>>,
    /// What search scores, prepared once.
    search: super::search::Corpus,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Index {
    audiences: HashMap<String, usize>,
    life_stages: HashMap<String, usize>,
    domains: HashMap<String, usize>,
    centres: HashMap<String, usize>,
    departments: HashMap<String, usize>,
    fields: HashMap<String, usize>,
    items: HashMap<String, usize>,
    themes: HashMap<String, usize>,
}

fn index_of<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id.to_owned()).or_insert(i);
    }
    map
}

impl From<CatalogParts> for Catalog {
    fn from(parts: CatalogParts) -> Catalog {
        Catalog::new(parts)
    }
}

impl From<Catalog> for CatalogParts {
    fn from(c: Catalog) -> CatalogParts {
        c.parts
    }
}

macro_rules! lookups {
    ($($(#[$doc:meta])* $one:ident, $all:ident: $ty:ty;)*) => {
        impl Catalog {
            $(
                $(#[$doc])*
                pub fn $one(&self, id: &str) -> Option<&$ty> {
                    self.index.$all.get(id).and_then(|&i| self.parts.$all.get(i))
                }

                pub fn $all(&self) -> &[$ty] {
                    &self.parts.$all
                }
            )*
        }
    };
}

lookups! {
    audience, audiences: Audience;
    life_stage, life_stages: LifeStage;
    domain, domains: Domain;
    centre, centres: Centre;
    department, departments: Department;
    field, fields: Field;
    item, items: Item;
    theme, themes: Theme;
}

impl Catalog {
    pub fn new(parts: CatalogParts) -> Catalog {
        let index = Index {
            audiences: index_of(parts.audiences.iter().map(|x| x.id.as_str())),
            life_stages: index_of(parts.life_stages.iter().map(|x| x.id.as_str())),
            domains: index_of(parts.domains.iter().map(|x| x.id.as_str())),
            centres: index_of(parts.centres.iter().map(|x| x.id.as_str())),
            departments: index_of(parts.departments.iter().map(|x| x.id.as_str())),
            fields: index_of(parts.fields.iter().map(|x| x.id.as_str())),
            items: index_of(parts.items.iter().map(|x| x.id.as_str())),
            themes: index_of(parts.themes.iter().map(|x| x.id.as_str())),
        };
        let calendar = Calendar::new(parts.calendar.clone());
        let mut catalog = Catalog {
            parts,
            calendar,
            index,
            theme_departments: Vec::new(),
            search: super::search::Corpus::default(),
        };
        catalog.theme_departments = catalog
            .parts
            .themes
            .iter()
            .map(|theme| {
                let departments: BTreeSet<&str> = theme
                    .steps
                    .iter()
                    .flat_map(|s| s.items())
                    .filter_map(|item| catalog.item(item).map(|i| i.department.as_str()))
                    .collect();
                departments.into_iter().map(str::to_owned).collect()
            })
            .collect();
        catalog.search = super::search::Corpus::new(super::search::documents(&catalog));
        catalog
    }

    /// The distinct departments a theme's steps involve (either variant of a `one_of` counts), sorted; empty for
    /// an unknown theme.
    pub fn theme_departments(&self, theme: &str) -> &[String] {
        self.index
            .themes
            .get(theme)
            .and_then(|&i| self.theme_departments.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// Every searched document (each theme and current item, per language), prepared for scoring.
    pub fn search_corpus(&self) -> &super::search::Corpus {
        &self.search
    }

    pub fn parts(&self) -> &CatalogParts {
        &self.parts
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Working days to answer a question (咨询), from `[catalog] consultation_days`.
    pub fn consultation_days(&self) -> u32 {
        self.parts
            .consultation_days
            .unwrap_or(super::feedback::DEFAULT_CONSULTATION_DAYS)
    }

    /// Working days to respond to a poor rating (整改), from `[catalog] follow_up_days`.
    pub fn follow_up_days(&self) -> u32 {
        self.parts
            .follow_up_days
            .unwrap_or(super::feedback::DEFAULT_FOLLOW_UP_DAYS)
    }

    pub fn synonyms(&self) -> &[Synonym] {
        &self.parts.synonyms
    }

    /// The department that handles an item.
    pub fn department_of(&self, item: &Item) -> Option<&Department> {
        self.department(&item.department)
    }

    /// The items of one department, in catalog order.
    pub fn items_of(&self, department: &str) -> impl Iterator<Item = &Item> + '_ {
        let department = department.to_owned();
        self.parts
            .items
            .iter()
            .filter(move |i| i.department == department)
    }

    /// The items whose result is the given material (e.g. who issues `business-licence`).
    pub fn producers_of(&self, material: &str) -> impl Iterator<Item = &Item> + '_ {
        let material = material.to_owned();
        self.parts
            .items
            .iter()
            .filter(move |i| i.produces.contains(&material))
    }

    /// The themes with a step that may run the item (either variant of a `one_of` counts).
    pub fn themes_using<'a>(&'a self, item: &'a str) -> impl Iterator<Item = &'a Theme> + 'a {
        self.parts
            .themes
            .iter()
            .filter(move |t| t.steps.iter().any(|s| s.items().contains(&item)))
    }

    /// Themes that can be started (not historical).
    pub fn current_themes(&self) -> impl Iterator<Item = &Theme> {
        self.parts.themes.iter().filter(|t| !t.historical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: &str) -> Department {
        Department {
            id: id.into(),
            name: Text::new("部门", "Department"),
            short: None,
            summary: None,
            formerly: None,
            historical: false,
            centre: None,
            phone: None,
        }
    }

    #[test]
    fn looks_up_by_id_and_first_wins() {
        let mut second = dept("samr");
        second.phone = Some("12345".into());
        let parts = CatalogParts {
            departments: vec![dept("samr"), dept("tax"), second],
            ..Default::default()
        };
        let catalog = Catalog::new(parts);
        assert_eq!(
            catalog.department("tax").map(|d| d.id.as_str()),
            Some("tax")
        );
        assert_eq!(
            catalog.department("samr").and_then(|d| d.phone.as_deref()),
            None
        );
        assert!(catalog.department("aic").is_none());
        assert_eq!(catalog.departments().len(), 3);
    }

    #[test]
    fn a_themes_departments_are_each_counted_once_both_variants_too() {
        let catalog = crate::domain::load::shipped_catalog();
        let departments = catalog.theme_departments("after-death");
        // The death certificate is one of the hospital's or the health commission's: both count.
        for id in ["hospital", "nhc", "civil", "psb"] {
            assert!(
                departments.iter().any(|d| d == id),
                "{id} in {departments:?}"
            );
        }
        let mut sorted = departments.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, departments, "sorted, each once");
        assert!(catalog.theme_departments("no-such-theme").is_empty());
    }

    #[test]
    fn json_round_trip_rebuilds_the_index() {
        let catalog = Catalog::new(CatalogParts {
            departments: vec![dept("samr")],
            ..Default::default()
        });
        let json = serde_json::to_string(&catalog).expect("serialises");
        let back: Catalog = serde_json::from_str(&json).expect("parses");
        assert!(back.department("samr").is_some());
        assert_eq!(back, catalog);
    }
}
