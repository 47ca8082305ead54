//! The merged application form (一表申请) of one case: the union of the applicable steps' fields, each asked once
//! and sent to every department that needs it; its sections as a task list; validation of what the applicant
//! typed ([`validate`]); and the one materials checklist ([`materials`]), where a document another step produces
//! is never asked of the applicant. Pure: the catalog, a theme and its [`Roadmap`] in, an owned [`MergedForm`] out.

mod materials;
mod validate;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::Date;

use super::catalog::{Catalog, Field};
use super::roadmap::{PlannedStep, Roadmap};
use super::text::Text;
use super::theme::Theme;

pub use materials::{ChecklistMaterial, MaterialSource};
pub use validate::{validate_field, FieldError, FieldProblem, FieldValue, Validation};

/// Fields whose value is printed on a step's result, so an applicant who is still waiting for that result cannot
/// know it: (field id, material id). The business's own credit code is assigned by registration (GB 32100).
const RESULT_FIELDS: &[(&str, &str)] = &[("credit_code", "business-licence")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedForm {
    pub theme: String,
    /// Every field once, in form order: by section (in order of first appearance), then registry order.
    pub fields: Vec<MergedField>,
    pub sections: Vec<FormSection>,
    /// The materials checklist, in order of first appearance.
    pub materials: Vec<ChecklistMaterial>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedField {
    pub field: Field,
    /// The applicable steps that use it, in roadmap order.
    pub steps: Vec<String>,
    /// Who receives it: "asked once, sent to 市场监管局、税务局、人社局".
    pub departments: Vec<Recipient>,
    /// The applicable step whose result carries the value, when every step that uses the field waits for that
    /// result: the applicant cannot know it yet, so it is never required now.
    pub awaits: Option<String>,
}

impl MergedField {
    pub fn id(&self) -> &str {
        &self.field.id
    }
}

/// A department that receives a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipient {
    pub id: String,
    /// The catalog's name; the id when the department is unknown.
    pub name: Text,
    pub short: Option<Text>,
}

/// A short part of the form (the field registry's `section`), shown as one task of the task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSection {
    pub id: String,
    /// Field ids in form order.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    /// None of its fields has been submitted yet.
    NotStarted,
    /// Submitted, but a required field is empty or a value is wrong.
    InProgress,
    Completed,
    /// All its fields await another step's result.
    CannotStartYet,
}

impl SectionStatus {
    /// Nothing left to fill now: completed, or every field waits for another step's result.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            SectionStatus::Completed | SectionStatus::CannotStartYet
        )
    }
}

/// One line of the task list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionTask {
    pub section: String,
    pub status: SectionStatus,
    /// How many of its fields have an error; 0 until the section is started (blank is not wrong before then).
    pub errors: usize,
}

impl MergedForm {
    /// The merged form of the roadmap's applicable steps. Field and item ids the catalog does not know are skipped
    /// (the catalog validator reports them).
    pub fn build(catalog: &Catalog, theme: &Theme, roadmap: &Roadmap) -> MergedForm {
        let steps = &roadmap.steps;
        let waits = Waits::new(steps);
        // Field id → the steps that use it, in roadmap order.
        let mut users: HashMap<&str, Vec<&PlannedStep>> = HashMap::new();
        let mut section_order: Vec<&str> = Vec::new();
        for step in steps {
            let Some(item) = catalog.item(&step.item) else {
                continue;
            };
            for id in &item.fields {
                let Some(field) = catalog.field(id) else {
                    continue;
                };
                let using = users.entry(field.id.as_str()).or_default();
                if !using.iter().any(|s| s.id == step.id) {
                    using.push(step);
                }
                if !section_order.contains(&field.section.as_str()) {
                    section_order.push(&field.section);
                }
            }
        }
        let mut fields = Vec::new();
        let mut sections = Vec::new();
        for section in section_order {
            let in_section = catalog
                .fields()
                .iter()
                .filter(|f| f.section == section)
                .filter_map(|f| users.remove(f.id.as_str()).map(|using| (f, using)));
            let mut ids = Vec::new();
            for (field, using) in in_section {
                ids.push(field.id.clone());
                fields.push(MergedField {
                    field: field.clone(),
                    steps: using.iter().map(|s| s.id.clone()).collect(),
                    departments: recipients(catalog, &using),
                    awaits: awaited_result(catalog, steps, &waits, &field.id, &using),
                });
            }
            sections.push(FormSection {
                id: section.to_owned(),
                fields: ids,
            });
        }
        MergedForm {
            theme: theme.id.clone(),
            fields,
            sections,
            materials: materials::checklist(catalog, steps),
        }
    }

    pub fn field(&self, id: &str) -> Option<&MergedField> {
        self.fields.iter().find(|f| f.field.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&FormSection> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Checks submitted values (raw form input by field id) against each field's kind; `today` bounds birth dates.
    pub fn validate(&self, raw: &BTreeMap<String, String>, today: Date) -> Validation {
        validate::validate(self, raw, today)
    }

    /// The status of one section under a validation of the current values. A section counts as started once any
    /// of its fields was submitted, even blank (a posted form sends every field), so a section of optional fields
    /// completes when it is submitted.
    pub fn section_status(&self, section: &FormSection, values: &Validation) -> SectionStatus {
        let fields: Vec<&MergedField> = section
            .fields
            .iter()
            .filter_map(|id| self.field(id))
            .collect();
        if !fields.is_empty() && fields.iter().all(|f| f.awaits.is_some()) {
            return SectionStatus::CannotStartYet;
        }
        let open: Vec<&MergedField> = fields.into_iter().filter(|f| f.awaits.is_none()).collect();
        if !open.iter().any(|f| values.raw.contains_key(f.id())) {
            return SectionStatus::NotStarted;
        }
        let done = open.iter().all(|f| {
            values.error(f.id()).is_none()
                && (!f.field.required || values.values.contains_key(f.id()))
        });
        if done {
            SectionStatus::Completed
        } else {
            SectionStatus::InProgress
        }
    }

    /// The task list: every section with its status and, once started, its number of errors, in form order.
    pub fn task_list(&self, values: &Validation) -> Vec<SectionTask> {
        self.sections
            .iter()
            .map(|s| {
                let status = self.section_status(s, values);
                let errors = match status {
                    SectionStatus::InProgress | SectionStatus::Completed => s
                        .fields
                        .iter()
                        .filter(|f| values.error(f).is_some())
                        .count(),
                    SectionStatus::NotStarted | SectionStatus::CannotStartYet => 0,
                };
                SectionTask {
                    section: s.id.clone(),
                    status,
                    errors,
                }
            })
            .collect()
    }

    /// Every section is done ([`SectionStatus::is_done`]): the form may be checked and submitted.
    pub fn ready(&self, values: &Validation) -> bool {
        self.task_list(values).iter().all(|t| t.status.is_done())
    }

    /// The materials the applicant hands in.
    pub fn materials_to_provide(&self) -> impl Iterator<Item = &ChecklistMaterial> {
        self.materials
            .iter()
            .filter(|m| m.source == MaterialSource::Applicant)
    }

    /// The materials another step of the case produces: shown, not asked.
    pub fn materials_produced(&self) -> impl Iterator<Item = &ChecklistMaterial> {
        self.materials
            .iter()
            .filter(|m| m.source != MaterialSource::Applicant)
    }
}

fn recipients(catalog: &Catalog, using: &[&PlannedStep]) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::new();
    for step in using {
        if out.iter().any(|r| r.id == step.department) {
            continue;
        }
        let department = catalog.department(&step.department);
        out.push(Recipient {
            id: step.department.clone(),
            name: department.map_or_else(|| Text::zh(&step.department), |d| d.name.clone()),
            short: department.and_then(|d| d.short.clone()),
        });
    }
    out
}

/// The step whose result carries the field's value, if the field is such a value (see [`RESULT_FIELDS`]), that
/// step applies and does not ask it itself, and every step that uses the field waits for it.
fn awaited_result(
    catalog: &Catalog,
    steps: &[PlannedStep],
    waits: &Waits,
    field: &str,
    using: &[&PlannedStep],
) -> Option<String> {
    let (_, material) = RESULT_FIELDS.iter().find(|(f, _)| *f == field)?;
    let producer = steps.iter().find(|s| {
        catalog
            .item(&s.item)
            .is_some_and(|i| i.produces.iter().any(|m| m == material))
    })?;
    using
        .iter()
        .all(|s| waits.waits_for(&s.id, &producer.id))
        .then(|| producer.id.clone())
}

/// Who waits for whom among the applicable steps, through chains of `after`.
struct Waits<'r> {
    after: HashMap<&'r str, &'r [String]>,
}

impl<'r> Waits<'r> {
    fn new(steps: &'r [PlannedStep]) -> Waits<'r> {
        Waits {
            after: steps
                .iter()
                .map(|s| (s.id.as_str(), s.after.as_slice()))
                .collect(),
        }
    }

    /// Whether `step` can start only once `earlier` is done (a step never waits for itself).
    fn waits_for(&self, step: &str, earlier: &str) -> bool {
        let mut seen = HashSet::new();
        let mut todo: Vec<&str> = self
            .after
            .get(step)
            .map_or(vec![], |a| a.iter().map(String::as_str).collect());
        while let Some(s) = todo.pop() {
            if s == earlier {
                return true;
            }
            if seen.insert(s) {
                if let Some(a) = self.after.get(s) {
                    todo.extend(a.iter().map(String::as_str));
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod fixture;
#[cfg(all(test, feature = "ssr"))]
mod shipped_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod validate_tests;
