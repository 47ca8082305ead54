//! Building the merged form, its task list and its materials checklist, on the in-memory fixture.

use std::collections::BTreeMap;

use serde_json::json;

use super::fixture::{complete, form, form_for, ids, raw, steps, TODAY};
use super::*;
use crate::domain::ids::CreditCodeError;

#[test]
fn each_field_once_by_section_then_registry_order() {
    let form = form();
    assert_eq!(form.theme, "open-shop");
    let sections: Vec<&str> = form.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        sections,
        [
            "applicant",
            "business",
            "premises",
            "licence-data",
            "staff",
            "operations"
        ]
    );
    assert_eq!(
        ids(&form),
        [
            "applicant_name",
            "resident_id",
            "phone",
            "email",
            "company_name",
            "start_date",
            "entity_type",
            "floor_area",
            "credit_code",
            "staff_count",
            "sign_text",
        ]
    );
    let business = form.section("business").expect("business");
    assert_eq!(
        business.fields,
        ["company_name", "start_date", "entity_type"]
    );
}

#[test]
fn a_shared_field_names_every_department_that_receives_it() {
    let form = form();
    let company = form.field("company_name").expect("asked");
    assert_eq!(company.steps, ["licence", "tax", "hrss", "sign"]);
    let names: Vec<&str> = company
        .departments
        .iter()
        .map(|d| d.name.zh.as_str())
        .collect();
    assert_eq!(names, ["市场监管局", "税务局", "人社局", "城管局"]);
    let phone = form.field("phone").expect("asked");
    let ids: Vec<&str> = phone.departments.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["samr", "tax"]);
    assert_eq!(
        form.field("staff_count").expect("asked").departments.len(),
        1
    );
}

#[test]
fn a_left_out_step_takes_its_fields_and_department_away() {
    let form = form_for(steps(), "no");
    assert!(form.section("operations").is_none());
    assert!(form.field("sign_text").is_none());
    assert_eq!(
        form.field("company_name").expect("asked").departments.len(),
        3
    );
    // The field order of the rest does not move.
    let with_sign = self::form();
    let kept: Vec<&str> = ids(&with_sign)
        .into_iter()
        .filter(|f| *f != "sign_text")
        .collect();
    assert_eq!(ids(&form), kept);
}

#[test]
fn a_value_printed_on_an_awaited_result_cannot_be_asked_yet() {
    let form = form();
    assert_eq!(
        form.field("credit_code").and_then(|f| f.awaits.as_deref()),
        Some("licence")
    );
    let v = form.validate(&raw(&[]), TODAY);
    assert_eq!(v.error("credit_code"), None, "required, but not asked yet");
    let tasks = form.task_list(&v);
    let status = |s: &str| tasks.iter().find(|t| t.section == s).map(|t| t.status);
    assert_eq!(status("licence-data"), Some(SectionStatus::CannotStartYet));
    assert_eq!(status("applicant"), Some(SectionStatus::NotStarted));
    // Still checked when typed anyway.
    let v = form.validate(&raw(&[("credit_code", "91512081MA62K0260F")]), TODAY);
    assert_eq!(
        v.error("credit_code"),
        Some(&FieldProblem::CreditCode(CreditCodeError::WrongCheckChar))
    );
}

#[test]
fn waiting_is_followed_through_chains_and_broken_by_one_step_that_does_not_wait() {
    let chained = form_for(
        json!([
            { "id": "licence", "item": "reg" },
            { "id": "tax", "item": "tax-setup", "after": ["licence"] },
            { "id": "hrss", "item": "hrss-reg", "after": ["tax"] },
        ]),
        "no",
    );
    assert_eq!(
        chained
            .field("credit_code")
            .and_then(|f| f.awaits.as_deref()),
        Some("licence")
    );
    let parallel = form_for(
        json!([
            { "id": "licence", "item": "reg" },
            { "id": "tax", "item": "tax-setup", "after": ["licence"] },
            { "id": "hrss", "item": "hrss-reg" },
        ]),
        "no",
    );
    let credit = parallel.field("credit_code").expect("asked");
    assert_eq!(
        credit.awaits, None,
        "hrss does not wait: the business must exist already"
    );
    let v = parallel.validate(&raw(&[]), TODAY);
    assert_eq!(v.error("credit_code"), Some(&FieldProblem::Missing));
    let section = parallel.section("licence-data").expect("section");
    assert_eq!(
        parallel.section_status(section, &v),
        SectionStatus::NotStarted
    );
}

#[test]
fn the_task_list_follows_the_values() {
    let form = form();
    let statuses = |input: &BTreeMap<String, String>| -> Vec<(String, SectionStatus, usize)> {
        form.task_list(&form.validate(input, TODAY))
            .into_iter()
            .map(|t| (t.section, t.status, t.errors))
            .collect()
    };
    use SectionStatus::*;
    let all = |s: [SectionStatus; 6]| -> Vec<(String, SectionStatus, usize)> {
        form.sections
            .iter()
            .zip(s)
            .map(|(sec, st)| (sec.id.clone(), st, 0))
            .collect()
    };
    assert_eq!(
        statuses(&raw(&[])),
        all([
            NotStarted,
            NotStarted,
            NotStarted,
            CannotStartYet,
            NotStarted,
            NotStarted
        ])
    );
    assert_eq!(
        statuses(&complete()),
        all([
            Completed,
            Completed,
            Completed,
            CannotStartYet,
            Completed,
            Completed
        ])
    );
    let mut partly = complete();
    partly.remove("company_name");
    partly.insert("phone".into(), "12345".into());
    partly.remove("staff_count");
    let got = statuses(&partly);
    assert_eq!(got[0], ("applicant".into(), InProgress, 1));
    assert_eq!(got[1], ("business".into(), InProgress, 1));
    assert_eq!(got[4], ("staff".into(), NotStarted, 0));
}

#[test]
fn one_checklist_where_produced_documents_are_not_asked() {
    let form = form();
    let m = |id: &str| form.materials.iter().find(|m| m.id == id).expect(id);
    let order: Vec<&str> = form.materials.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        order,
        [
            "application",
            "premises-proof",
            "articles",
            "business-licence",
            "legal-rep-id",
            "employee-list",
            "owner-seal",
        ]
    );
    let licence = m("business-licence");
    assert_eq!(
        licence.source,
        MaterialSource::ProducedBy {
            step: "licence".into(),
            number: 1,
            item: "reg".into()
        }
    );
    assert_eq!(licence.steps, ["tax", "hrss"]);
    assert!(!form
        .materials_to_provide()
        .any(|x| x.id == "business-licence"));
    assert_eq!(form.materials_produced().count(), 1);
    let premises = m("premises-proof");
    assert_eq!(
        (premises.name.zh.as_str(), premises.count),
        ("premises-proof", 2)
    );
    assert_eq!(premises.steps, ["licence", "sign"]);
    // 容缺 only when every step that requires it allows it.
    assert!(
        !m("legal-rep-id").shortfall_allowed,
        "urban requires it at acceptance"
    );
    assert!(m("employee-list").shortfall_allowed);
    assert!(!m("articles").required && !m("articles").shortfall_allowed);
    // The seal's producer is not part of this case: the applicant brings it.
    assert_eq!(m("owner-seal").source, MaterialSource::Applicant);
    let without_sign = form_for(steps(), "no");
    assert!(without_sign.materials.iter().all(|m| m.id != "owner-seal"));
    assert!(
        without_sign
            .materials
            .iter()
            .find(|m| m.id == "legal-rep-id")
            .expect("tax")
            .shortfall_allowed
    );
}

#[test]
fn the_form_travels_as_json() {
    let form = form();
    let json = serde_json::to_string(&form).expect("serialises");
    assert_eq!(
        serde_json::from_str::<MergedForm>(&json).expect("parses"),
        form
    );
}
