//! The one materials checklist of a case: every material id once, with the steps that need it. A material that
//! another applicable step produces (the item `produces` it, or a material names it `produced_by`) is not asked
//! of the applicant but shown as coming from that step (DOMAIN.md: a document given once is never asked again).

use serde::{Deserialize, Serialize};

use crate::domain::catalog::{Catalog, MaterialForm};
use crate::domain::roadmap::PlannedStep;
use crate::domain::text::Text;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistMaterial {
    pub id: String,
    /// The name the first step that needs it gives it.
    pub name: Text,
    /// As the first step that needs it asks for it.
    pub form: MaterialForm,
    /// The most copies any step asks for.
    pub count: u32,
    /// The applicable steps that need it, in roadmap order.
    pub steps: Vec<String>,
    /// Some step requires it (otherwise it is only asked when it applies, e.g. an agent's authorisation).
    pub required: bool,
    /// 容缺受理: the applicant may hand it in after acceptance, on a signed promise — only when every step that
    /// requires it allows that. Always false for a produced material: there is nothing to promise.
    pub shortfall_allowed: bool,
    pub source: MaterialSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MaterialSource {
    /// The applicant hands it in.
    Applicant,
    /// The result of another applicable step: "produced by step N".
    ProducedBy {
        step: String,
        /// 1-based position of the step in the roadmap.
        number: usize,
        item: String,
    },
}

/// Per material, what the steps that require it say about 容缺.
struct Seen {
    material: ChecklistMaterial,
    shortfall_everywhere: bool,
    /// Roadmap indexes of steps named by `produced_by`.
    named_producers: Vec<usize>,
}

/// The checklist for the applicable steps, in order of first appearance.
pub(super) fn checklist(catalog: &Catalog, steps: &[PlannedStep]) -> Vec<ChecklistMaterial> {
    let mut seen: Vec<Seen> = Vec::new();
    for step in steps {
        let Some(item) = catalog.item(&step.item) else {
            continue;
        };
        for m in &item.materials {
            let at = match seen.iter().position(|s| s.material.id == m.id) {
                Some(at) => at,
                None => {
                    seen.push(Seen {
                        material: ChecklistMaterial {
                            id: m.id.clone(),
                            name: m.name.clone(),
                            form: m.form,
                            count: m.count,
                            steps: vec![],
                            required: false,
                            shortfall_allowed: false,
                            source: MaterialSource::Applicant,
                        },
                        shortfall_everywhere: true,
                        named_producers: vec![],
                    });
                    seen.len() - 1
                }
            };
            let s = &mut seen[at];
            if !s.material.steps.contains(&step.id) {
                s.material.steps.push(step.id.clone());
            }
            s.material.count = s.material.count.max(m.count);
            if m.required {
                s.material.required = true;
                s.shortfall_everywhere &= m.shortfall_allowed;
            }
            let named = m
                .produced_by
                .as_deref()
                .and_then(|item| steps.iter().position(|p| p.item == item));
            if let Some(p) = named.filter(|p| !s.named_producers.contains(p)) {
                s.named_producers.push(p);
            }
        }
    }
    seen.into_iter()
        .map(|s| {
            let mut material = s.material;
            material.shortfall_allowed = material.required && s.shortfall_everywhere;
            if let Some(p) = producer(catalog, steps, &material, &s.named_producers) {
                material.source = MaterialSource::ProducedBy {
                    step: steps[p].id.clone(),
                    number: p + 1,
                    item: steps[p].item.clone(),
                };
                material.shortfall_allowed = false;
            }
            material
        })
        .collect()
}

/// The roadmap index of the step that produces the material for the others: the first applicable step whose
/// item `produces` it, else the first a `produced_by` names — never one of the steps that need it.
fn producer(
    catalog: &Catalog,
    steps: &[PlannedStep],
    material: &ChecklistMaterial,
    named: &[usize],
) -> Option<usize> {
    let other = |p: &usize| !material.steps.contains(&steps[*p].id);
    let produces = |p: &usize| {
        catalog
            .item(&steps[*p].item)
            .is_some_and(|i| i.produces.contains(&material.id))
    };
    (0..steps.len())
        .filter(other)
        .find(produces)
        .or_else(|| named.iter().copied().find(other))
}
