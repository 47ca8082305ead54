//! Theme checks: header references, questions and their conditions, steps and the `after` graph.

use std::collections::HashMap;

use super::{at, Cx, Entity, Kind, PathSeg};
use crate::domain::catalog::FieldKind;
use crate::domain::condition::{parse_date, CmpOp, Condition, Literal};
use crate::domain::graph;
use crate::domain::theme::{Question, QuestionKind, StepTarget, Theme};

pub(super) fn check(cx: &mut Cx<'_>, t: usize, theme: &Theme) {
    let e = Entity::Theme(t);
    cx.reference(e, at!["domain"], Kind::Domain, &theme.domain);
    cx.references(e, "audiences", Kind::Audience, &theme.audiences);
    cx.references(e, "life_stages", Kind::LifeStage, &theme.life_stages);
    cx.reference(
        e,
        at!["lead_department"],
        Kind::Department,
        &theme.lead_department,
    );
    if !theme.historical {
        historical_department(cx, e, at!["lead_department"], &theme.lead_department);
    }
    if theme.steps.is_empty() {
        cx.push(e, at!["id"], format!("theme `{}` has no steps", theme.id));
    }
    questions(cx, e, theme);
    steps(cx, e, theme);
}

/// A current theme may not send anyone to a department that no longer exists.
fn historical_department(cx: &mut Cx<'_>, e: Entity, at: Vec<PathSeg>, department: &str) {
    let historical = cx
        .parts
        .departments
        .iter()
        .find(|d| d.id == department)
        .is_some_and(|d| d.historical);
    if historical {
        cx.push(
            e,
            at,
            format!("department `{department}` is historical; only a historical theme may use it"),
        );
    }
}

/// A question that pre-fills a form field must name a field whose kind can hold every answer it takes.
fn fills(cx: &mut Cx<'_>, e: Entity, at: Vec<PathSeg>, q: &Question, field: &str) {
    let Some(f) = cx.parts.fields.iter().find(|f| f.id == field) else {
        cx.push(
            e,
            at,
            format!("question `{}` fills unknown field `{field}`", q.id),
        );
        return;
    };
    let values: Vec<&str> = match q.kind {
        QuestionKind::YesNo => vec!["yes", "no"],
        QuestionKind::Choice | QuestionKind::Select => {
            q.options.iter().map(|o| o.value.as_str()).collect()
        }
        _ => Vec::new(),
    };
    let fits = match q.kind {
        QuestionKind::Number => f.kind == FieldKind::Number,
        QuestionKind::Date => f.kind == FieldKind::Date,
        _ => {
            f.kind == FieldKind::Choice
                && values
                    .iter()
                    .all(|v| f.options.iter().any(|o| o.value == *v))
        }
    };
    if !fits {
        cx.push(
            e,
            at,
            format!(
                "question `{}` cannot fill field `{field}`: the field's type or options do not take every answer",
                q.id
            ),
        );
    }
}

fn questions(cx: &mut Cx<'_>, e: Entity, theme: &Theme) {
    let qs = &theme.questions;
    cx.ids(
        "question",
        true,
        qs.iter()
            .enumerate()
            .map(|(k, q)| (e, at!["question", k, "id"], q.id.as_str())),
    );
    for (k, q) in qs.iter().enumerate() {
        cx.text(e, at!["question", k, "text"], &q.text, true);
        if let Some(help) = &q.help {
            cx.text(e, at!["question", k, "help"], help, false);
        }
        let choice = matches!(q.kind, QuestionKind::Choice | QuestionKind::Select);
        if choice && q.options.len() < 2 {
            cx.push(
                e,
                at!["question", k, "options"],
                format!("question `{}` needs at least two options", q.id),
            );
        }
        if !choice && !q.options.is_empty() {
            cx.push(
                e,
                at!["question", k, "options"],
                format!(
                    "question `{}`: `options` are only for choice and select questions",
                    q.id
                ),
            );
        }
        cx.options(
            e,
            &[PathSeg::Key("question"), PathSeg::Index(k)],
            &q.options,
        );
        if q.kind != QuestionKind::Number
            && (q.unit.is_some() || q.min.is_some() || q.max.is_some())
        {
            cx.push(
                e,
                at!["question", k, "kind"],
                format!(
                    "question `{}`: `unit`, `min` and `max` are only for number questions",
                    q.id
                ),
            );
        }
        if let (Some(min), Some(max)) = (q.min, q.max) {
            if min > max {
                cx.push(
                    e,
                    at!["question", k, "min"],
                    format!("question `{}`: `min` is greater than `max`", q.id),
                );
            }
        }
        if let Some(show_if) = &q.show_if {
            condition(cx, e, at!["question", k, "show_if"], show_if, qs, k);
        }
        if let Some(field) = &q.fills {
            fills(cx, e, at!["question", k, "fills"], q, field);
        }
        for (j, exit) in q.exits.iter().enumerate() {
            condition(
                cx,
                e,
                at!["question", k, "exit", j, "when"],
                &exit.when,
                qs,
                k + 1,
            );
            cx.text(
                e,
                at!["question", k, "exit", j, "reason"],
                &exit.reason,
                false,
            );
        }
    }
}

/// Checks that a condition reads only questions among the first `asked`, and compares each with values of its type.
fn condition(
    cx: &mut Cx<'_>,
    e: Entity,
    at: Vec<PathSeg>,
    cond: &Condition,
    qs: &[Question],
    asked: usize,
) {
    for id in cond.questions() {
        match qs.iter().position(|q| q.id == id) {
            None => cx.push(
                e,
                at.clone(),
                format!("condition `{cond}` names unknown question `{id}`"),
            ),
            Some(k) if k >= asked => cx.push(
                e,
                at.clone(),
                format!("condition `{cond}` reads `{id}`, which is not asked before this question"),
            ),
            Some(_) => {}
        }
    }
    for (id, op, literals) in cond.comparisons() {
        let Some(q) = qs.iter().find(|q| q.id == id) else {
            continue;
        };
        if let Some(problem) = type_problem(q, op, literals) {
            cx.push(e, at.clone(), format!("condition `{cond}`: {problem}"));
        }
    }
}

/// Why a comparison does not fit the question's kind, if it does not.
fn type_problem(q: &Question, op: Option<CmpOp>, literals: &[Literal]) -> Option<String> {
    let id = &q.id;
    match q.kind {
        QuestionKind::Choice | QuestionKind::Select | QuestionKind::YesNo => {
            if let Some(op @ (CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)) = op {
                return Some(format!(
                    "`{}` does not apply to choice question `{id}`; use `==`, `!=` or `in`",
                    op.symbol()
                ));
            }
            let values = q.option_values();
            literals.iter().find_map(|l| match l {
                Literal::Str(s) if values.contains(&s.as_str()) => None,
                other => Some(format!(
                    "{other} is not an option of `{id}` ({})",
                    values.join(", ")
                )),
            })
        }
        QuestionKind::Number => literals
            .iter()
            .any(|l| !matches!(l, Literal::Num(_)))
            .then(|| format!("`{id}` is a number question; compare it with a number")),
        QuestionKind::Date => literals
            .iter()
            .any(|l| !matches!(l, Literal::Str(s) if parse_date(s).is_some()))
            .then(|| {
                format!("`{id}` is a date question; compare it with a date like '2026-01-31'")
            }),
    }
}

fn steps(cx: &mut Cx<'_>, e: Entity, theme: &Theme) {
    let steps = &theme.steps;
    cx.ids(
        "step",
        false,
        steps
            .iter()
            .enumerate()
            .map(|(k, s)| (e, at!["step", k, "id"], s.id.as_str())),
    );
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (k, s) in steps.iter().enumerate() {
        index.entry(s.id.as_str()).or_insert(k);
    }
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); steps.len()];
    let mut broken = vec![false; steps.len()];
    for (k, step) in steps.iter().enumerate() {
        let items: Vec<(Vec<PathSeg>, &str)> = match &step.target {
            StepTarget::Item(item) => vec![(at!["step", k, "item"], item.as_str())],
            StepTarget::OneOf(variants) => variants
                .iter()
                .enumerate()
                .map(|(j, v)| (at!["step", k, "one_of", j, "item"], v.item.as_str()))
                .collect(),
        };
        for (at, item) in items {
            cx.reference(e, at.clone(), Kind::Item, item);
            let department = cx.items.get(item).map(|i| i.department.clone());
            if let (false, Some(department)) = (theme.historical, department) {
                historical_department(cx, e, at, &department);
            }
        }
        if let Some(when) = &step.when {
            condition(
                cx,
                e,
                at!["step", k, "when"],
                when,
                &theme.questions,
                theme.questions.len(),
            );
        }
        if let StepTarget::OneOf(variants) = &step.target {
            for (j, v) in variants.iter().enumerate() {
                condition(
                    cx,
                    e,
                    at!["step", k, "one_of", j, "when"],
                    &v.when,
                    &theme.questions,
                    theme.questions.len(),
                );
            }
        }
        for (key, list) in [("after", &step.after), ("with", &step.with)] {
            for (j, other) in list.iter().enumerate() {
                let at = at!["step", k, key, j];
                if *other == step.id {
                    cx.push(e, at, format!("step `{}` names itself in `{key}`", step.id));
                    broken[k] |= key == "after";
                } else if let Some(&d) = index.get(other.as_str()) {
                    if key == "after" {
                        deps[k].push(d);
                    }
                } else {
                    cx.push(e, at, format!("unknown step `{other}` in `{key}`"));
                    broken[k] |= key == "after";
                }
            }
        }
    }
    for group in graph::cycles(&deps) {
        let names: Vec<String> = group
            .iter()
            .filter_map(|&k| steps.get(k))
            .map(|s| format!("`{}`", s.id))
            .collect();
        let first = group.first().copied().unwrap_or(0);
        cx.push(
            e,
            at!["step", first, "after"],
            format!(
                "steps {} wait for each other in `after` (a cycle)",
                names.join(", ")
            ),
        );
        group.iter().for_each(|&k| broken[k] = true);
    }
    let bad = unreachable(cx, e, theme, &deps, broken);
    for (k, step) in steps.iter().enumerate() {
        for (j, other) in step.with.iter().enumerate() {
            let Some(&w) = index.get(other.as_str()) else {
                continue;
            };
            // Steps that can never run were reported already; their order means nothing.
            if bad[k] || bad[w] {
                continue;
            }
            if w != k && (graph::waits_for(&deps, k, w) || graph::waits_for(&deps, w, k)) {
                cx.push(
                    e,
                    at!["step", k, "with", j],
                    format!(
                        "step `{}` runs `with` `{other}`, but one of them waits for the other",
                        step.id
                    ),
                );
            }
        }
    }
}

/// Reports steps whose `after` chain passes through a step that can never run (an unknown step or a cycle), and
/// returns which steps can never run.
fn unreachable(
    cx: &mut Cx<'_>,
    e: Entity,
    theme: &Theme,
    deps: &[Vec<usize>],
    mut bad: Vec<bool>,
) -> Vec<bool> {
    loop {
        let mut changed = false;
        for k in 0..deps.len() {
            if bad[k] {
                continue;
            }
            if let Some(&d) = deps[k]
                .iter()
                .find(|&&d| bad.get(d).copied().unwrap_or(false))
            {
                bad[k] = true;
                changed = true;
                let (Some(step), Some(dep)) = (theme.steps.get(k), theme.steps.get(d)) else {
                    continue;
                };
                cx.push(
                    e,
                    at!["step", k, "after"],
                    format!(
                        "step `{}` can never run: it waits for `{}`, which can never run",
                        step.id, dep.id
                    ),
                );
            }
        }
        if !changed {
            return bad;
        }
    }
}
