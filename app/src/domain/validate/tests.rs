//! One test per kind of issue, each breaking one thing in a small valid catalog.

use serde_json::{json, Value};
use time::macros::date;

use super::*;
use crate::domain::calendar::{CalendarYear, Holiday};
use crate::domain::condition::Condition;
use crate::domain::item::{Limit, LimitKind};
use crate::domain::theme::{Step, StepTarget, Theme};

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture: {e}"))
}

fn name(zh: &str, en: &str) -> Value {
    json!({ "zh": zh, "en": en })
}

fn item(id: &str, department: &str) -> Value {
    json!({
        "id": id, "department": department, "kind": "licensing", "name": name("事项", "Item"),
        "statutory_limit": { "kind": "working_days", "days": 20, "extension_days": 10 },
        "committed_limit": { "kind": "working_days", "days": 5 },
        "fee": { "yuan": 0 }, "online_level": "apply_online",
        "audiences": ["enterprises"], "life_stages": ["e-setup"], "fields": ["applicant_name"],
        "where": { "centre": "city-centre" },
    })
}

/// A small catalog that is valid: the restaurant theme in miniature.
pub(super) fn base() -> CatalogParts {
    let mut registration = item("samr-reg", "samr");
    registration["produces"] = json!(["business-licence"]);
    let mut food = item("samr-food", "samr");
    food["material"] = json!([{ "id": "business-licence", "name": name("营业执照", "Business licence"),
        "form": "copy", "produced_by": "samr-reg" }]);
    food["form"] = json!([{ "name": name("申请书", "Application"), "href": "/forms/food.pdf" }]);
    let theme = json!({
        "id": "open-shop", "name": name("开店", "Open a shop"), "domain": "company-start",
        "audiences": ["enterprises"], "life_stages": ["e-setup"], "lead_department": "samr",
        "questions": [
            { "id": "entity", "text": name("类型？", "Which?"), "kind": "choice",
              "options": [{ "value": "company", "label": name("公司", "Company") },
                          { "value": "sole", "label": name("个体", "Sole trader") }] },
            { "id": "area", "text": name("面积？", "Area?"), "kind": "number", "min": 0, "show_if": "entity == 'company'",
              "exit": [{ "when": "area > 10000", "reason": { "zh": "太大" } }] },
            { "id": "alcohol", "text": name("酒？", "Alcohol?"), "kind": "yes_no" },
        ],
        "steps": [
            { "id": "licence", "item": "samr-reg" },
            { "id": "food", "item": "samr-food", "after": ["licence"], "with": ["seal"], "when": "alcohol == 'yes'" },
            { "id": "seal", "one_of": [{ "item": "psb-seal", "when": "entity == 'company'" },
                                       { "item": "psb-seal-sole", "when": "entity == 'sole'" }], "after": ["licence"] },
        ],
    });
    CatalogParts {
        revision: Some(1),
        consultation_days: None,
        follow_up_days: None,
        audiences: vec![from(
            json!({ "id": "enterprises", "name": name("企业", "Enterprises") }),
        )],
        life_stages: vec![from(
            json!({ "id": "e-setup", "scope": "enterprise", "name": name("开办", "Setting up") }),
        )],
        domains: vec![from(
            json!({ "id": "company-start", "name": name("公司开办", "Starting a company") }),
        )],
        centres: vec![from(
            json!({ "id": "city-centre", "name": name("市民中心", "City centre") }),
        )],
        departments: vec![
            from(
                json!({ "id": "samr", "name": name("市场监管局", "SAMR"), "centre": "city-centre" }),
            ),
            from(json!({ "id": "psb", "name": name("公安局", "Police") })),
            from(json!({ "id": "aic", "name": name("工商局", "AIC"), "historical": true })),
        ],
        fields: vec![
            from(
                json!({ "id": "applicant_name", "label": name("姓名", "Name"), "type": "text", "section": "applicant" }),
            ),
            from(
                json!({ "id": "entity_type", "label": { "zh": "类型" }, "type": "choice", "section": "business",
                         "options": [{ "value": "company", "label": name("公司", "Company") }] }),
            ),
        ],
        items: vec![
            from(registration),
            from(food),
            from(item("psb-seal", "psb")),
            from(item("psb-seal-sole", "psb")),
            from(item("aic-reg", "aic")),
        ],
        themes: vec![from(theme)],
        calendar: vec![CalendarYear {
            year: 2026,
            source: "国务院办公厅关于2026年部分节假日安排的通知".into(),
            holidays: vec![Holiday {
                date: date!(2026 - 02 - 15),
                to: date!(2026 - 02 - 23),
                name: crate::domain::text::Text::new("春节", "Spring Festival"),
            }],
            workdays: vec![date!(2026 - 02 - 14), date!(2026 - 02 - 28)],
        }],
        synonyms: Vec::new(),
    }
}

pub(super) fn theme(parts: &mut CatalogParts) -> &mut Theme {
    &mut parts.themes[0]
}

pub(super) fn step<'a>(parts: &'a mut CatalogParts, id: &str) -> &'a mut Step {
    theme(parts)
        .steps
        .iter_mut()
        .find(|s| s.id == id)
        .expect("fixture step")
}

pub(super) fn cond(src: &str) -> Condition {
    Condition::parse(src).expect("fixture condition")
}

/// Asserts exactly one issue, at `site` (Debug-and-path form), with a message containing `message`.
#[track_caller]
pub(super) fn one(parts: &CatalogParts, site: &str, message: &str) {
    let issues = validate(parts);
    let shown: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(issues.len(), 1, "expected one issue, got {shown:#?}");
    assert_eq!(issues[0].at.to_string(), site, "{shown:#?}");
    assert!(issues[0].message.contains(message), "{shown:#?}");
}

#[test]
fn the_fixture_is_valid() {
    assert_eq!(validate(&base()), vec![]);
}

#[test]
fn malformed_ids() {
    let mut p = base();
    p.departments[1].id = "PSB_1".into();
    p.items[2].department = "PSB_1".into();
    p.items[3].department = "PSB_1".into();
    one(&p, "Department(1).id", "malformed department id `PSB_1`");
    let mut p = base();
    p.fields[0].id = "1name".into();
    p.items.iter_mut().for_each(|i| i.fields.clear());
    one(&p, "Field(0).id", "malformed field id `1name`");
    let mut p = base();
    theme(&mut p).questions[2].id = "Alcohol".into();
    step(&mut p, "food").when = Some(cond("Alcohol == 'yes'"));
    one(&p, "Theme(0).question[2].id", "malformed question id");
    let mut p = base();
    p.items[0].produces = vec!["Licence".into()];
    p.items[1].materials.clear();
    one(&p, "Item(0).produces[0]", "malformed material id");
}

#[test]
fn duplicate_ids_point_at_the_first() {
    let mut p = base();
    p.items[4].id = "samr-reg".into();
    let issues = validate(&p);
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0].message, "duplicate item id `samr-reg`");
    assert_eq!(
        issues[0].related.as_ref().map(|s| s.to_string()),
        Some("Item(0).id".into())
    );
    let mut p = base();
    let again = theme(&mut p).steps[1].clone();
    theme(&mut p).steps.push(again);
    one(&p, "Theme(0).step[3].id", "duplicate step id `food`");
    let mut p = base();
    let again = p.items[1].materials[0].clone();
    p.items[1].materials.push(again);
    one(&p, "Item(1).material[1].id", "duplicate material id");
    let mut p = base();
    let again = theme(&mut p).questions[0].options[0].clone();
    theme(&mut p).questions[0].options.push(again);
    one(
        &p,
        "Theme(0).question[0].options[2].value",
        "duplicate option value `company`",
    );
}

/// A way to break the fixture, the site it breaks and the message expected.
type Breakage = (fn(&mut CatalogParts), &'static str, &'static str);

#[test]
fn unknown_references() {
    let cases: Vec<Breakage> = vec![
        (
            |p| p.items[0].department = "tax".into(),
            "Item(0).department",
            "unknown department `tax`",
        ),
        (
            |p| p.departments[0].centre = Some("moon".into()),
            "Department(0).centre",
            "unknown service centre `moon`",
        ),
        (
            |p| p.items[0].audiences.push("pirates".into()),
            "Item(0).audiences[1]",
            "unknown audience `pirates`",
        ),
        (
            |p| p.items[0].life_stages = vec!["p-x".into()],
            "Item(0).life_stages[0]",
            "unknown life stage `p-x`",
        ),
        (
            |p| p.items[0].fields.push("shoe_size".into()),
            "Item(0).fields[1]",
            "unknown field `shoe_size`",
        ),
        (
            |p| p.themes[0].domain = "space".into(),
            "Theme(0).domain",
            "unknown domain `space`",
        ),
        (
            |p| p.themes[0].lead_department = "x".into(),
            "Theme(0).lead_department",
            "unknown department `x`",
        ),
        (
            |p| p.themes[0].steps[0].target = StepTarget::Item("nope".into()),
            "Theme(0).step[0].item",
            "unknown item `nope`",
        ),
        (
            |p| p.items[1].materials[0].produced_by = Some("ghost".into()),
            "Item(1).material[0].produced_by",
            "unknown item `ghost`",
        ),
        (
            |p| {
                p.items[0]
                    .location
                    .as_mut()
                    .into_iter()
                    .for_each(|l| l.centre = Some("moon".into()))
            },
            "Item(0).where.centre",
            "unknown service centre `moon`",
        ),
    ];
    for (break_it, site, message) in cases {
        let mut p = base();
        break_it(&mut p);
        one(&p, site, message);
    }
}

#[test]
fn unknown_variant_item() {
    let mut p = base();
    if let StepTarget::OneOf(variants) = &mut step(&mut p, "seal").target {
        variants[1].item = "psb-seal-x".into();
    }
    one(
        &p,
        "Theme(0).step[2].one_of[1].item",
        "unknown item `psb-seal-x`",
    );
}

#[test]
fn references_to_entities_that_failed_to_load_are_not_repeated() {
    let mut p = base();
    p.items[0].department = "tax".into();
    let unloaded = Unloaded([(Kind::Department, "tax".to_owned())].into_iter().collect());
    assert_eq!(validate_with(&p, &unloaded), vec![]);
}

#[test]
fn produced_by_must_produce_the_material() {
    let mut p = base();
    p.items[0].produces.clear();
    one(
        &p,
        "Item(1).material[0].produced_by",
        "item `samr-reg` does not produce material `business-licence`",
    );
    let mut p = base();
    p.items[1].materials[0].produced_by = Some("samr-food".into());
    one(
        &p,
        "Item(1).material[0].produced_by",
        "cannot be produced by the item that asks for it",
    );
}

#[test]
fn missing_translations() {
    let mut p = base();
    p.audiences[0].name.en = None;
    one(
        &p,
        "Audience(0).name",
        "`name` needs an English translation",
    );
    let mut p = base();
    theme(&mut p).questions[0].text.en = Some(" ".into());
    one(
        &p,
        "Theme(0).question[0].text",
        "`text` needs an English translation",
    );
    let mut p = base();
    theme(&mut p).questions[0].options[0].label.en = None;
    one(
        &p,
        "Theme(0).question[0].options[0].label",
        "`label` needs an English translation",
    );
    let mut p = base();
    p.fields[1].options[0].label.en = None;
    one(
        &p,
        "Field(1).options[0].label",
        "`label` needs an English translation",
    );
    let mut p = base();
    p.items[1].materials[0].name.en = None;
    one(
        &p,
        "Item(1).material[0].name",
        "needs an English translation",
    );
    let mut p = base();
    p.items[1].forms[0].name.en = None;
    one(&p, "Item(1).form[0].name", "needs an English translation");
    let mut p = base();
    theme(&mut p).name.zh = String::new();
    one(&p, "Theme(0).name", "`name` has an empty Chinese text");
}

#[test]
fn field_shapes() {
    let mut p = base();
    p.fields[1].options.clear();
    one(&p, "Field(1).options", "needs `options`");
    let mut p = base();
    let options = p.fields[1].options.clone();
    p.fields[0].options = options;
    one(&p, "Field(0).options", "only for `type = \"choice\"`");
}

#[test]
fn committed_limit_within_the_statutory_one() {
    let mut p = base();
    p.items[0].committed_limit = Limit::new(LimitKind::WorkingDays(31));
    one(
        &p,
        "Item(0).committed_limit",
        "committed limit (31 working days) is longer than the statutory limit (30)",
    );
}

#[test]
fn material_count_and_fee() {
    let mut p = base();
    p.items[1].materials[0].count = 0;
    one(&p, "Item(1).material[0].count", "at least 1");
    let mut p = base();
    p.items[0].fee.yuan = -5.0;
    one(&p, "Item(0).fee.yuan", "non-negative");
}
