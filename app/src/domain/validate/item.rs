//! Item checks: references, limits, fee, materials and what produces them, forms.

use std::collections::HashSet;

use super::{at, is_id, Cx, Entity, Kind};
use crate::domain::item::{Item, LimitKind};

pub(super) fn check<'a>(cx: &mut Cx<'a>, i: usize, item: &'a Item) {
    let e = Entity::Item(i);
    cx.reference(e, at!["department"], Kind::Department, &item.department);
    cx.references(e, "audiences", Kind::Audience, &item.audiences);
    cx.references(e, "life_stages", Kind::LifeStage, &item.life_stages);
    cx.references(e, "fields", Kind::Field, &item.fields);
    if let Some(centre) = item.location.as_ref().and_then(|l| l.centre.as_ref()) {
        cx.reference(e, at!["where", "centre"], Kind::Centre, centre);
    }
    if let (LimitKind::WorkingDays(committed), LimitKind::WorkingDays(statutory)) =
        (item.committed_limit.kind, item.statutory_limit.kind)
    {
        // 承诺时限 promises to be faster than the law; beyond the statutory limit and its extension is a data error.
        let allowed = statutory.saturating_add(item.statutory_limit.extension_days.unwrap_or(0));
        if committed > allowed {
            cx.push(
                e,
                at!["committed_limit"],
                format!("committed limit ({committed} working days) is longer than the statutory limit ({allowed})"),
            );
        }
    }
    if item.fee.yuan < 0.0 || !item.fee.yuan.is_finite() {
        cx.push(
            e,
            at!["fee", "yuan"],
            "the fee must be a non-negative amount".into(),
        );
    }
    let mut produced = HashSet::new();
    for (j, id) in item.produces.iter().enumerate() {
        if !is_id(id) {
            cx.push(
                e,
                at!["produces", j],
                format!(
                    "malformed material id `{id}`: use lower-case letters, digits and `-` only"
                ),
            );
        } else if !produced.insert(id.as_str()) {
            cx.push(
                e,
                at!["produces", j],
                format!("material `{id}` is listed twice in `produces`"),
            );
        }
    }
    cx.ids(
        "material",
        false,
        item.materials
            .iter()
            .enumerate()
            .map(|(j, m)| (e, at!["material", j, "id"], m.id.as_str())),
    );
    for (j, m) in item.materials.iter().enumerate() {
        cx.text(e, at!["material", j, "name"], &m.name, true);
        if m.count == 0 {
            cx.push(
                e,
                at!["material", j, "count"],
                format!("material `{}`: `count` must be at least 1", m.id),
            );
        }
        let Some(by) = &m.produced_by else { continue };
        let at = at!["material", j, "produced_by"];
        if *by == item.id {
            cx.push(
                e,
                at,
                format!(
                    "material `{}` cannot be produced by the item that asks for it",
                    m.id
                ),
            );
        } else if let Some(producer) = cx.items.get(by.as_str()).copied() {
            if !producer.produces.contains(&m.id) {
                cx.push(
                    e,
                    at,
                    format!(
                        "item `{by}` does not produce material `{}` (add it to its `produces`)",
                        m.id
                    ),
                );
            }
        } else {
            cx.reference(e, at, Kind::Item, by);
        }
    }
    for (j, form) in item.forms.iter().enumerate() {
        cx.text(e, at!["form", j, "name"], &form.name, true);
    }
}
