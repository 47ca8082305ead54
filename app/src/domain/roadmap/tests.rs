use serde_json::{json, Value};
use time::macros::date;

use super::*;
use crate::domain::calendar::tests::sample as calendar;
use crate::domain::catalog::CatalogParts;
use crate::domain::text::Lang;
use crate::domain::theme::Theme;

fn limit(committed: Value) -> Value {
    json!({ "statutory_limit": { "kind": "working_days", "days": 20 }, "committed_limit": committed })
}

fn item(id: &str, department: &str, committed: Value) -> Value {
    let mut v = json!({ "id": id, "department": department, "kind": "licensing",
        "name": { "zh": id, "en": id }, "fee": { "yuan": 0 }, "online_level": "apply_online" });
    if let (Some(obj), Value::Object(limits)) = (v.as_object_mut(), limit(committed)) {
        obj.extend(limits);
    }
    v
}

fn catalog() -> Catalog {
    let wd = |n: u32| json!({ "kind": "working_days", "days": n });
    let items = vec![
        item("samr-reg", "samr", wd(1)),
        item("samr-food", "samr", wd(10)),
        item("fire-check", "fire", json!({ "kind": "on_the_spot" })),
        item("urban-sign", "urban", json!({ "kind": "local" })),
        item("eco-filing", "eco", json!({ "kind": "none" })),
        item("psb-seal", "psb", json!({ "kind": "on_the_spot" })),
        item("bank-account", "bank", wd(1)),
        item("tax-setup", "tax", json!({ "kind": "on_the_spot" })),
        item("samr-simple-dereg", "samr", wd(3)),
        item(
            "samr-general-dereg",
            "samr",
            json!({ "kind": "calendar_days", "days": 45 }),
        ),
    ];
    let items = items
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("fixture item"))
        .collect();
    Catalog::new(CatalogParts {
        items,
        calendar: calendar().years().to_vec(),
        ..Default::default()
    })
}

fn t(id: &str, questions: Value, steps: Value) -> Theme {
    serde_json::from_value(
        json!({ "id": id, "name": { "zh": "主题", "en": "Theme" }, "domain": "company-start",
        "lead_department": "samr", "questions": questions, "steps": steps }),
    )
    .expect("fixture theme")
}

/// The restaurant bundle in miniature.
fn restaurant() -> Theme {
    t(
        "open-restaurant",
        json!([
            { "id": "entity", "text": { "zh": "公司还是个体？", "en": "Company or sole trader?" }, "kind": "choice",
              "options": [{ "value": "company", "label": { "zh": "公司", "en": "Company" } },
                          { "value": "sole", "label": { "zh": "个体工商户", "en": "Sole trader" } }] },
            { "id": "age", "text": { "zh": "年龄？", "en": "Age?" }, "kind": "number",
              "exit": [{ "when": "age < 18", "reason": { "zh": "未成年人不能开办", "en": "Minors cannot" } }] },
            { "id": "area", "text": { "zh": "面积？", "en": "Floor area?" }, "kind": "number",
              "unit": { "zh": "平方米", "en": "m²" }, "show_if": "entity == 'company'" },
            { "id": "sign", "text": { "zh": "设招牌？", "en": "A sign?" }, "kind": "yes_no" },
        ]),
        json!([
            { "id": "licence", "item": "samr-reg", "why": { "zh": "都需要执照", "en": "Everyone needs one" } },
            { "id": "food", "item": "samr-food", "after": ["licence"], "with": ["fire"] },
            { "id": "fire", "item": "fire-check", "after": ["licence"], "when": "area > 150",
              "why_not": { "zh": "小场所不需要", "en": "Small premises do not" } },
            { "id": "sign", "item": "urban-sign", "after": ["licence"], "when": "sign == 'yes'" },
            { "id": "seal", "item": "psb-seal", "after": ["licence"] },
            { "id": "bank", "item": "bank-account", "after": ["seal"] },
            { "id": "tax", "item": "tax-setup", "after": ["licence"] },
            { "id": "eco", "item": "eco-filing", "after": ["sign"] },
        ]),
    )
}

fn answers() -> Answers {
    Answers::new()
        .choice("entity", "company")
        .number("age", 30.0)
        .number("area", 200.0)
        .choice("sign", "no")
}

fn ids(steps: &[PlannedStep]) -> Vec<&str> {
    steps.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn stages_group_steps_that_can_run_in_parallel() {
    let r = plan(&restaurant(), &catalog(), &answers()).expect("plans");
    assert_eq!(r.next_question, None);
    assert_eq!(r.exit, None);
    assert!(r.pending.is_empty());
    assert_eq!(
        r.stages,
        vec![
            vec!["licence"],
            vec!["food", "fire", "seal", "tax", "eco"],
            vec!["bank"]
        ]
    );
    assert_eq!(
        ids(&r.steps),
        vec!["licence", "food", "fire", "seal", "tax", "eco", "bank"]
    );
    // `eco` waited for `sign`, which is left out: it now waits for what `sign` waited for.
    let eco = r.steps.iter().find(|s| s.id == "eco").expect("eco");
    assert_eq!(eco.after, vec!["licence"]);
    assert_eq!(r.steps[1].with, vec!["fire"]);
}

#[test]
fn each_step_says_why_and_left_out_steps_why_not() {
    let theme = restaurant();
    let r = plan(&theme, &catalog(), &answers()).expect("plans");
    let fire = r
        .steps
        .iter()
        .find(|s| s.id == "fire")
        .expect("fire applies");
    assert_eq!(fire.because.len(), 1);
    assert_eq!(
        describe_fact(&theme, &fire.because[0], Lang::En),
        "“Floor area?” You answered: 200 m²"
    );
    assert_eq!(
        describe_fact(&theme, &fire.because[0], Lang::Zh),
        "“面积？”您的回答：200 平方米"
    );
    assert_eq!(
        r.steps[0].why.as_ref().map(|w| w.zh.as_str()),
        Some("都需要执照")
    );
    assert_eq!(r.left_out.len(), 1);
    assert_eq!(r.left_out[0].id, "sign");
    assert_eq!(
        describe_fact(&theme, &r.left_out[0].because[0], Lang::En),
        "“A sign?” You answered: No"
    );

    let small = answers().number("area", 80.0);
    let r = plan(&theme, &catalog(), &small).expect("plans");
    let fire = r
        .left_out
        .iter()
        .find(|s| s.id == "fire")
        .expect("fire left out");
    assert_eq!(
        fire.why_not.as_ref().map(|w| w.en.as_deref()),
        Some(Some("Small premises do not"))
    );
}

#[test]
fn hidden_questions_are_not_asked_and_their_answers_ignored() {
    let theme = restaurant();
    // A sole trader is not asked the floor area; a stale answer to it does not count.
    let sole = answers().choice("entity", "sole");
    let r = plan(&theme, &catalog(), &sole).expect("plans");
    assert_eq!(
        r.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        vec!["entity", "age", "sign"]
    );
    let fire = r
        .left_out
        .iter()
        .find(|s| s.id == "fire")
        .expect("fire left out, not pending");
    assert_eq!(
        describe_fact(&theme, &fire.because[0], Lang::Zh),
        "“面积？”不适用"
    );
}

#[test]
fn questions_are_asked_in_order_and_steps_wait_for_them() {
    let theme = restaurant();
    let r = plan(&theme, &catalog(), &Answers::new()).expect("plans");
    assert_eq!(r.next_question.as_deref(), Some("entity"));
    // `area` waits for `entity`; it is not shown yet.
    assert_eq!(
        r.questions
            .iter()
            .map(|q| q.id.as_str())
            .collect::<Vec<_>>(),
        vec!["entity", "age", "sign"]
    );
    assert_eq!(
        r.pending.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec!["fire", "sign"]
    );
    assert_eq!(r.pending[0].waiting_for, vec!["area"]);

    let some = Answers::new().choice("entity", "company");
    let r = plan(&theme, &catalog(), &some).expect("plans");
    assert_eq!(r.next_question.as_deref(), Some("age"));
    assert!(r.questions.iter().any(|q| q.id == "area" && !q.answered));
}

#[test]
fn an_exit_answer_ends_the_flow() {
    let r = plan(&restaurant(), &catalog(), &answers().number("age", 16.0)).expect("plans");
    let exit = r.exit.expect("exit");
    assert_eq!(exit.question, "age");
    assert_eq!(exit.reason.zh, "未成年人不能开办");
    assert_eq!(exit.because[0].test, "age < 18");
}

#[test]
fn critical_path_and_earliest_completion() {
    let r = plan(&restaurant(), &catalog(), &answers()).expect("plans");
    assert_eq!(r.critical_path.steps, vec!["licence", "food"]);
    assert_eq!(r.critical_path.working_days, 11);
    assert_eq!(r.critical_path.open_limits, vec!["eco"]);
    // Friday 13 February 2026: the licence is due on the make-up Saturday, the food licence ten working days
    // later, across the Spring Festival.
    let cal = calendar();
    let schedule = r.schedule(date!(2026 - 02 - 13), &cal);
    let due = |id: &str| schedule.iter().find(|s| s.id == id).map(|s| s.due);
    assert_eq!(due("licence"), Some(date!(2026 - 02 - 14)));
    assert_eq!(due("bank"), Some(date!(2026 - 02 - 24)));
    assert_eq!(
        r.earliest_completion(date!(2026 - 02 - 13), &cal),
        date!(2026 - 03 - 06)
    );
    assert_eq!(
        cal.working_days_between(date!(2026 - 02 - 13), date!(2026 - 03 - 06)),
        11
    );
}

fn deregistration() -> Theme {
    t(
        "close-company",
        json!([{ "id": "route", "text": { "zh": "注销方式", "en": "Route" }, "kind": "choice",
                 "options": [{ "value": "simple", "label": { "zh": "简易", "en": "Simple" } },
                             { "value": "general", "label": { "zh": "一般", "en": "General" } }] }]),
        json!([
            { "id": "tax", "item": "tax-setup" },
            { "id": "deregister", "after": ["tax"], "why": { "zh": "注销", "en": "Close" },
              "one_of": [{ "item": "samr-simple-dereg", "when": "route == 'simple'", "why": { "zh": "简易", "en": "Simple" } },
                         { "item": "samr-general-dereg", "when": "route == 'general'" }] },
        ]),
    )
}

#[test]
fn one_of_picks_the_variant_that_holds() {
    let theme = deregistration();
    let r = plan(
        &theme,
        &catalog(),
        &Answers::new().choice("route", "simple"),
    )
    .expect("plans");
    let step = &r.steps[1];
    assert_eq!(step.item, "samr-simple-dereg");
    assert_eq!(step.why.as_ref().map(|w| w.zh.as_str()), Some("简易"));
    assert_eq!(step.because[0].test, "route == 'simple'");
    let r = plan(
        &theme,
        &catalog(),
        &Answers::new().choice("route", "general"),
    )
    .expect("plans");
    assert_eq!(r.steps[1].item, "samr-general-dereg");
    assert_eq!(
        r.steps[1].why.as_ref().map(|w| w.zh.as_str()),
        Some("注销"),
        "falls back to the step's why"
    );
    // 45 calendar days plan as 45 − 2·6 = 33 working days.
    assert_eq!(r.critical_path.working_days, 33);
    let r = plan(&theme, &catalog(), &Answers::new()).expect("plans");
    assert_eq!(r.pending[0].waiting_for, vec!["route"]);
}

#[test]
fn calendar_day_limits_end_on_a_working_day() {
    let r = plan(
        &deregistration(),
        &catalog(),
        &Answers::new().choice("route", "general"),
    )
    .expect("plans");
    // Accepted Monday 2 February 2026; 45 calendar days later is Thursday 19 March, a working day.
    assert_eq!(
        r.earliest_completion(date!(2026 - 02 - 02), &calendar()),
        date!(2026 - 03 - 19)
    );
    // Accepted Thursday 1 January 2026 (a holiday): accepted Monday 5 January; + 45 days = Thursday 19 February,
    // inside the Spring Festival, so it ends on Tuesday 24 February.
    assert_eq!(
        r.earliest_completion(date!(2026 - 01 - 01), &calendar()),
        date!(2026 - 02 - 24)
    );
}

#[test]
fn overview_shows_every_step_and_the_longest_variant() {
    let theme = deregistration();
    let r = overview(&theme, &catalog()).expect("plans");
    assert_eq!(ids(&r.steps), vec!["tax", "deregister"]);
    assert_eq!(r.steps[1].item, "samr-general-dereg");
    assert_eq!(r.steps[1].alternatives, vec!["samr-simple-dereg"]);
    assert!(r.steps[1].conditional && !r.steps[0].conditional);
    assert_eq!(r.critical_path.working_days, 33);
    assert_eq!(r.next_question.as_deref(), Some("route"));

    let r = overview(&restaurant(), &catalog()).expect("plans");
    assert_eq!(r.steps.len(), 8);
    assert_eq!(
        r.stages,
        vec![
            vec!["licence"],
            vec!["food", "fire", "sign", "seal", "tax"],
            vec!["bank", "eco"]
        ]
    );
    assert!(r
        .steps
        .iter()
        .find(|s| s.id == "fire")
        .is_some_and(|s| s.conditional));
    assert_eq!(r.critical_path.open_limits, vec!["sign", "eco"]);
}

#[test]
fn cycles_and_unknown_references_are_rejected() {
    let mut theme = restaurant();
    theme.steps[0].after = vec!["bank".into()];
    assert_eq!(
        plan(&theme, &catalog(), &answers()),
        Err(RoadmapError::Cycle(vec![
            "licence".into(),
            "seal".into(),
            "bank".into()
        ]))
    );
    let mut theme = restaurant();
    theme.steps[0].after = vec!["nope".into()];
    assert!(matches!(
        overview(&theme, &catalog()),
        Err(RoadmapError::UnknownStep { .. })
    ));
    let mut theme = restaurant();
    theme.steps[0].target = crate::domain::theme::StepTarget::Item("ghost".into());
    assert_eq!(
        plan(&theme, &catalog(), &answers()).map(|_| ()),
        Err(RoadmapError::UnknownItem {
            step: "licence".into(),
            item: "ghost".into()
        })
    );
}

#[test]
fn a_roadmap_travels_as_json() {
    let r = plan(&restaurant(), &catalog(), &answers()).expect("plans");
    let json = serde_json::to_string(&r).expect("serialises");
    let back: Roadmap = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, r);
}
