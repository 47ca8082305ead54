//! The merged form of the shipped restaurant theme (the catalog loader is server-only).

use std::collections::HashSet;

use super::*;
use crate::domain::answer::Answers;
use crate::domain::roadmap::plan;

fn shipped() -> Catalog {
    crate::domain::load::shipped_catalog()
}

/// A company of 120 m² and 40 seats, with a sign, discharging into the sewer, in a building that passed fire
/// acceptance.
fn restaurant(catalog: &Catalog, entity: &str) -> MergedForm {
    let theme = catalog.theme("open-restaurant").expect("theme");
    let answers = Answers::new()
        .choice("entity", entity)
        .number("applicant_age", 35.0)
        .choice("premises_type", "commercial")
        .number("area", 120.0)
        .number("seats", 40.0)
        .choice("alcohol", "no")
        .choice("entertainment", "no")
        .choice("sign", "yes")
        .choice("sewer", "yes")
        .choice("fire_accepted", "yes")
        .number("staff", 3.0);
    let roadmap = plan(theme, catalog, &answers).expect("plans");
    assert!(
        roadmap.pending.is_empty() && roadmap.exit.is_none(),
        "{roadmap:#?}"
    );
    MergedForm::build(catalog, theme, &roadmap)
}

fn departments(form: &MergedForm, field: &str) -> Vec<String> {
    let f = form
        .field(field)
        .unwrap_or_else(|| panic!("{field} is asked"));
    f.departments.iter().map(|d| d.id.clone()).collect()
}

#[test]
fn the_restaurant_asks_each_field_once_and_says_who_receives_it() {
    let catalog = shipped();
    let form = restaurant(&catalog, "company");
    let mut seen = HashSet::new();
    assert!(
        form.fields.iter().all(|f| seen.insert(f.id())),
        "a field asked twice"
    );
    assert_eq!(
        form.fields
            .iter()
            .filter(|f| f.id() == "company_name")
            .count(),
        1
    );
    let company = departments(&form, "company_name");
    for d in [
        "samr", "fire", "urban", "water", "eco", "psb", "tax", "hrss", "hpf", "bank",
    ] {
        assert!(company.iter().any(|c| c == d), "{d} in {company:?}");
    }
    for shared in [
        "legal_rep_name",
        "legal_rep_id",
        "phone",
        "premises_address",
        "floor_area",
    ] {
        assert!(
            departments(&form, shared).len() >= 2,
            "{shared}: {:?}",
            departments(&form, shared)
        );
    }
    let legal_rep_id = departments(&form, "legal_rep_id");
    assert_eq!(legal_rep_id, ["samr", "psb", "tax", "bank"]);
    let names = &form.field("company_name").expect("asked").departments;
    assert!(
        names.iter().all(|d| d.name.zh != d.id),
        "every department has its catalog name"
    );
    // Sections and fields agree.
    let in_sections: usize = form.sections.iter().map(|s| s.fields.len()).sum();
    assert_eq!(in_sections, form.fields.len());
    assert!(form.sections.iter().all(|s| !s.fields.is_empty()));
}

#[test]
fn the_credit_code_waits_for_the_licence_but_its_section_can_start() {
    let catalog = shipped();
    let form = restaurant(&catalog, "company");
    let credit = form.field("credit_code").expect("asked by the later steps");
    assert_eq!(credit.awaits.as_deref(), Some("licence"));
    assert!(!credit.steps.contains(&"licence".to_owned()));
    let v = form.validate(&Default::default(), time::macros::date!(2026 - 01 - 15));
    assert!(v.error("credit_code").is_none());
    let tasks = form.task_list(&v);
    assert!(
        tasks.iter().all(|t| t.status == SectionStatus::NotStarted),
        "no section of the shipped data consists only of awaited values: {tasks:?}"
    );
}

#[test]
fn the_business_licence_comes_from_the_licence_step() {
    let catalog = shipped();
    let form = restaurant(&catalog, "company");
    let licence = form
        .materials
        .iter()
        .find(|m| m.id == "business-licence")
        .expect("later steps need it");
    assert_eq!(
        licence.source,
        MaterialSource::ProducedBy {
            step: "licence".into(),
            number: 1,
            item: "samr-business-registration".into()
        }
    );
    assert!(licence.steps.len() >= 5, "{:?}", licence.steps);
    assert!(form
        .materials_to_provide()
        .all(|m| m.id != "business-licence"));
    let seal = form
        .materials
        .iter()
        .find(|m| m.id == "company-seal")
        .expect("the bank needs it");
    assert!(matches!(&seal.source, MaterialSource::ProducedBy { step, .. } if step == "seal"));
    let mut seen = HashSet::new();
    assert!(
        form.materials.iter().all(|m| seen.insert(m.id.as_str())),
        "a material listed twice"
    );
    assert!(form
        .materials_to_provide()
        .any(|m| m.id == "premises-proof"));
    assert!(
        form.materials_to_provide().any(|m| m.shortfall_allowed),
        "some secondary material allows 容缺"
    );
}

#[test]
fn a_sole_trader_has_no_seal_so_no_seal_to_bring() {
    let catalog = shipped();
    let form = restaurant(&catalog, "sole");
    assert!(form.materials.iter().all(|m| m.id != "company-seal"));
    assert!(form.field("company_name").is_some());
    assert!(departments(&form, "company_name")
        .iter()
        .all(|d| d != "bank" && d != "psb"));
}
