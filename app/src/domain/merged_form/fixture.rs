//! A small in-memory catalog for the merged-form tests: a licence step, two steps that wait for it and one
//! optional step (a shop sign), over four departments.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use time::macros::date;

use super::*;
use crate::domain::answer::Answers;
use crate::domain::catalog::CatalogParts;
use crate::domain::roadmap::plan;

pub const TODAY: Date = date!(2026 - 01 - 15);

fn field(id: &str, kind: &str, section: &str, required: bool, extra: Value) -> Value {
    let mut f = json!({ "id": id, "label": { "zh": id, "en": id }, "type": kind, "section": section,
        "required": required });
    if let (Some(obj), Value::Object(extra)) = (f.as_object_mut(), extra) {
        obj.extend(extra);
    }
    f
}

fn material(id: &str, required: bool, shortfall: bool, extra: Value) -> Value {
    let mut m = json!({ "id": id, "name": { "zh": id, "en": id }, "form": "copy", "required": required,
        "shortfall_allowed": shortfall });
    if let (Some(obj), Value::Object(extra)) = (m.as_object_mut(), extra) {
        obj.extend(extra);
    }
    m
}

fn item(id: &str, department: &str, fields: &[&str], materials: Value, produces: &[&str]) -> Value {
    json!({ "id": id, "department": department, "kind": "licensing", "name": { "zh": id, "en": id },
        "statutory_limit": { "kind": "working_days", "days": 20 }, "committed_limit": { "kind": "on_the_spot" },
        "fee": { "yuan": 0 }, "online_level": "apply_online", "fields": fields, "material": materials,
        "produces": produces })
}

fn department(id: &str, zh: &str) -> Value {
    json!({ "id": id, "name": { "zh": zh, "en": id } })
}

fn parse<T: serde::de::DeserializeOwned>(v: Vec<Value>) -> Result<Vec<T>, serde_json::Error> {
    v.into_iter().map(serde_json::from_value).collect()
}

pub fn catalog() -> Catalog {
    let fields = vec![
        field(
            "applicant_name",
            "text",
            "applicant",
            true,
            json!({ "max_len": 10 }),
        ),
        field("resident_id", "resident_id", "applicant", true, json!({})),
        field("phone", "phone", "applicant", true, json!({})),
        field(
            "email",
            "email",
            "applicant",
            false,
            json!({ "max_len": 30 }),
        ),
        field("company_name", "text", "business", true, json!({})),
        // Before entity_type in the registry, though asked after it: registry order wins within a section.
        field("start_date", "date", "business", false, json!({})),
        field(
            "entity_type",
            "choice",
            "business",
            true,
            json!({ "options": [
            { "value": "company", "label": { "zh": "公司", "en": "Company" } },
            { "value": "sole", "label": { "zh": "个体", "en": "Sole trader" } }] }),
        ),
        field(
            "floor_area",
            "number",
            "premises",
            true,
            json!({ "min": 1, "max": 1000 }),
        ),
        // Required, but printed on the licence: never asked before the licence exists.
        field(
            "credit_code",
            "credit_code",
            "licence-data",
            true,
            json!({}),
        ),
        field("staff_count", "number", "staff", false, json!({ "min": 0 })),
        field("sign_text", "text", "operations", false, json!({})),
    ];
    let items = vec![
        item(
            "reg",
            "samr",
            &[
                "applicant_name",
                "resident_id",
                "phone",
                "email",
                "company_name",
                "entity_type",
                "floor_area",
                "start_date",
            ],
            json!([
                material("application", true, false, json!({})),
                material("premises-proof", true, false, json!({})),
                material("articles", false, false, json!({}))
            ]),
            &["business-licence"],
        ),
        item(
            "tax-setup",
            "tax",
            &["company_name", "credit_code", "phone"],
            json!([
                material(
                    "business-licence",
                    true,
                    false,
                    json!({ "produced_by": "reg" })
                ),
                material("legal-rep-id", true, true, json!({}))
            ]),
            &[],
        ),
        item(
            "hrss-reg",
            "hrss",
            &["company_name", "credit_code", "staff_count"],
            // No `produced_by`: the licence step's `produces` is enough.
            json!([
                material("business-licence", true, false, json!({})),
                material("employee-list", true, true, json!({}))
            ]),
            &[],
        ),
        item(
            "urban-sign",
            "urban",
            &["company_name", "sign_text", "floor_area", "unknown_field"],
            json!([
                material(
                    "premises-proof",
                    true,
                    false,
                    json!({ "count": 2, "name": { "zh": "另一个名字" } })
                ),
                material("legal-rep-id", true, false, json!({})),
                material(
                    "owner-seal",
                    true,
                    false,
                    json!({ "produced_by": "seal-item" })
                )
            ]),
            &[],
        ),
    ];
    Catalog::new(CatalogParts {
        departments: parse(vec![
            department("samr", "市场监管局"),
            department("tax", "税务局"),
            department("hrss", "人社局"),
            department("urban", "城管局"),
        ])
        .expect("departments"),
        fields: parse(fields).expect("fields"),
        items: parse(items).expect("items"),
        ..Default::default()
    })
}

pub fn theme(steps: Value) -> Theme {
    serde_json::from_value(json!({ "id": "open-shop", "name": { "zh": "开店", "en": "Open a shop" },
        "domain": "company-start", "lead_department": "samr",
        "questions": [{ "id": "sign", "text": { "zh": "招牌？", "en": "Sign?" }, "kind": "yes_no" }],
        "steps": steps }))
    .expect("fixture theme")
}

pub fn steps() -> Value {
    json!([
        { "id": "licence", "item": "reg" },
        { "id": "tax", "item": "tax-setup", "after": ["licence"] },
        { "id": "hrss", "item": "hrss-reg", "after": ["licence"] },
        { "id": "sign", "item": "urban-sign", "after": ["licence"], "when": "sign == 'yes'" },
    ])
}

pub fn form_for(steps: Value, sign: &str) -> MergedForm {
    let catalog = catalog();
    let theme = theme(steps);
    let roadmap = plan(&theme, &catalog, &Answers::new().choice("sign", sign)).expect("plans");
    MergedForm::build(&catalog, &theme, &roadmap)
}

pub fn form() -> MergedForm {
    form_for(steps(), "yes")
}

pub fn ids(form: &MergedForm) -> Vec<&str> {
    form.fields.iter().map(MergedField::id).collect()
}

pub fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn complete() -> BTreeMap<String, String> {
    raw(&[
        ("applicant_name", " 张三 "),
        ("resident_id", "11010519491231002x"),
        ("phone", "+86 138-1234-5678"),
        ("email", ""),
        ("company_name", "示范市某某餐饮有限公司"),
        ("start_date", "2026-03-01"),
        ("entity_type", "company"),
        ("floor_area", "120"),
        ("staff_count", ""),
        ("sign_text", ""),
    ])
}
