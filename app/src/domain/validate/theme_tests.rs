//! Theme checks, one test per kind of issue, on the fixture of [`super::tests`].

use super::tests::{base, cond, one, step, theme};
use super::*;
use crate::domain::theme::StepTarget;

#[test]
fn conditions_name_known_questions_asked_before() {
    let mut p = base();
    step(&mut p, "food").when = Some(cond("alcohl == 'yes'"));
    one(
        &p,
        "Theme(0).step[1].when",
        "names unknown question `alcohl`",
    );
    let mut p = base();
    theme(&mut p).questions[1].show_if = Some(cond("alcohol == 'yes'"));
    one(
        &p,
        "Theme(0).question[1].show_if",
        "reads `alcohol`, which is not asked before this question",
    );
    let mut p = base();
    theme(&mut p).questions[1].show_if = Some(cond("area > 1"));
    one(&p, "Theme(0).question[1].show_if", "reads `area`");
    let mut p = base();
    theme(&mut p).questions[1].exits[0].when = cond("alcohol == 'yes'");
    one(&p, "Theme(0).question[1].exit[0].when", "not asked before");
}

#[test]
fn conditions_compare_values_of_the_question_type() {
    let mut p = base();
    step(&mut p, "food").when = Some(cond("alcohol == 'true'"));
    one(
        &p,
        "Theme(0).step[1].when",
        "'true' is not an option of `alcohol` (yes, no)",
    );
    let mut p = base();
    step(&mut p, "food").when = Some(cond("entity in ['company', 'compnay']"));
    one(
        &p,
        "Theme(0).step[1].when",
        "'compnay' is not an option of `entity`",
    );
    let mut p = base();
    step(&mut p, "food").when = Some(cond("entity > 'a'"));
    one(
        &p,
        "Theme(0).step[1].when",
        "`>` does not apply to choice question `entity`",
    );
    let mut p = base();
    step(&mut p, "food").when = Some(cond("area > 'big'"));
    one(&p, "Theme(0).step[1].when", "`area` is a number question");
}

#[test]
fn question_shapes() {
    let mut p = base();
    theme(&mut p).questions[0].options.truncate(1);
    if let StepTarget::OneOf(variants) = &mut step(&mut p, "seal").target {
        variants[1].when = cond("entity != 'company'");
    }
    one(
        &p,
        "Theme(0).question[0].options",
        "needs at least two options",
    );
    let mut p = base();
    let options = theme(&mut p).questions[0].options.clone();
    theme(&mut p).questions[2].options = options;
    one(
        &p,
        "Theme(0).question[2].options",
        "only for choice and select questions",
    );
    let mut p = base();
    theme(&mut p).questions[0].max = Some(3.0);
    one(&p, "Theme(0).question[0].kind", "only for number questions");
    let mut p = base();
    theme(&mut p).questions[1].max = Some(-1.0);
    one(
        &p,
        "Theme(0).question[1].min",
        "`min` is greater than `max`",
    );
}

#[test]
fn unknown_steps_in_after_and_with() {
    let mut p = base();
    step(&mut p, "food").after = vec!["licnce".into()];
    one(
        &p,
        "Theme(0).step[1].after[0]",
        "unknown step `licnce` in `after`",
    );
    let mut p = base();
    step(&mut p, "food").with = vec!["sael".into()];
    one(
        &p,
        "Theme(0).step[1].with[0]",
        "unknown step `sael` in `with`",
    );
    let mut p = base();
    step(&mut p, "seal").with = vec!["seal".into()];
    one(&p, "Theme(0).step[2].with[0]", "names itself");
}

#[test]
fn cycles_in_after() {
    let mut p = base();
    step(&mut p, "licence").after = vec!["seal".into()];
    let issues = validate(&p);
    let shown: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(shown.contains(&"Theme(0).step[0].after: steps `licence`, `seal` wait for each other in `after` (a cycle)".into()), "{shown:#?}");
    // `food` waits for `licence`, which is in the cycle.
    assert!(
        shown
            .iter()
            .any(|s| s.contains("step `food` can never run")),
        "{shown:#?}"
    );
    assert_eq!(issues.len(), 2, "{shown:#?}");
}

#[test]
fn steps_behind_a_broken_chain_can_never_run() {
    let mut p = base();
    step(&mut p, "licence").after = vec!["name-check".into()];
    let shown: Vec<String> = validate(&p).iter().map(|i| i.to_string()).collect();
    assert_eq!(
        shown,
        vec![
            "Theme(0).step[0].after[0]: unknown step `name-check` in `after`",
            "Theme(0).step[1].after: step `food` can never run: it waits for `licence`, which can never run",
            "Theme(0).step[2].after: step `seal` can never run: it waits for `licence`, which can never run",
        ]
    );
}

#[test]
fn with_contradicting_after() {
    let mut p = base();
    step(&mut p, "food").with = vec!["licence".into()];
    one(
        &p,
        "Theme(0).step[1].with[0]",
        "one of them waits for the other",
    );
}

#[test]
fn a_current_theme_may_not_use_a_historical_department() {
    let mut p = base();
    step(&mut p, "licence").target = StepTarget::Item("aic-reg".into());
    one(
        &p,
        "Theme(0).step[0].item",
        "department `aic` is historical",
    );
    let mut p = base();
    theme(&mut p).lead_department = "aic".into();
    one(&p, "Theme(0).lead_department", "historical");
    // A historical theme may use both.
    theme(&mut p).historical = true;
    step(&mut p, "licence").target = StepTarget::Item("aic-reg".into());
    assert_eq!(validate(&p), vec![]);
}

#[test]
fn a_theme_needs_steps() {
    let mut p = base();
    theme(&mut p).steps.clear();
    one(&p, "Theme(0).id", "has no steps");
}
