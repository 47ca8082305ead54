//! From decided steps to a [`Roadmap`]: the effective `after` graph, stages, the critical path, and dates on the
//! working-day calendar.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{CriticalPath, Decision, LeftOutStep, PendingStep, PlannedStep, Roadmap, RoadmapError};
use crate::domain::answer::iso_date;
use crate::domain::calendar::Calendar;
use crate::domain::catalog::Catalog;
use crate::domain::graph;
use crate::domain::item::{Limit, LimitKind};
use crate::domain::theme::Theme;

/// When a step can be applied for and when it is due, by its committed limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledStep {
    pub id: String,
    /// The day everything it waits for is done (or the start day).
    #[serde(with = "iso_date")]
    pub starts: Date,
    #[serde(with = "iso_date")]
    pub due: Date,
}

pub(super) fn build(
    theme: &Theme,
    catalog: &Catalog,
    decisions: Vec<Decision<'_>>,
) -> Result<Roadmap, RoadmapError> {
    let steps = &theme.steps;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (k, s) in steps.iter().enumerate() {
        index.entry(s.id.as_str()).or_insert(k);
    }
    let mut deps = vec![Vec::new(); steps.len()];
    for (k, s) in steps.iter().enumerate() {
        for after in &s.after {
            let d = index
                .get(after.as_str())
                .ok_or_else(|| RoadmapError::UnknownStep {
                    step: s.id.clone(),
                    after: after.clone(),
                })?;
            deps[k].push(*d);
        }
    }
    let name = |k: &usize| steps.get(*k).map_or_else(String::new, |s| s.id.clone());
    if let Some(cycle) = graph::cycles(&deps).first() {
        return Err(RoadmapError::Cycle(cycle.iter().map(name).collect()));
    }

    let applies: Vec<bool> = decisions
        .iter()
        .map(|d| matches!(d, Decision::Applies { .. }))
        .collect();
    let chosen: Vec<usize> = (0..steps.len()).filter(|&k| applies[k]).collect();
    let position: HashMap<usize, usize> = chosen.iter().enumerate().map(|(p, &k)| (k, p)).collect();
    let sub_deps: Vec<Vec<usize>> = chosen
        .iter()
        .map(|&k| {
            effective_deps(k, &deps, &applies)
                .iter()
                .filter_map(|d| position.get(d).copied())
                .collect()
        })
        .collect();
    let cycle = |c: Vec<Vec<usize>>| {
        RoadmapError::Cycle(
            c.first()
                .map(|g| g.iter().filter_map(|p| chosen.get(*p)).map(name).collect())
                .unwrap_or_default(),
        )
    };
    let stage = graph::stages(&sub_deps).map_err(cycle)?;

    let mut planned = Vec::new();
    let mut pending = Vec::new();
    let mut left_out = Vec::new();
    for (k, decision) in decisions.into_iter().enumerate() {
        let Some(step) = steps.get(k) else { continue };
        match decision {
            Decision::Applies {
                item,
                alternatives,
                conditional,
                why,
                because,
            } => {
                let it = catalog
                    .item(item)
                    .ok_or_else(|| RoadmapError::UnknownItem {
                        step: step.id.clone(),
                        item: item.to_owned(),
                    })?;
                let p = position.get(&k).copied().unwrap_or(0);
                planned.push(PlannedStep {
                    id: step.id.clone(),
                    item: it.id.clone(),
                    department: it.department.clone(),
                    name: it.name.clone(),
                    alternatives,
                    conditional,
                    why,
                    because,
                    after: sub_deps
                        .get(p)
                        .into_iter()
                        .flatten()
                        .filter_map(|q| chosen.get(*q))
                        .map(name)
                        .collect(),
                    with: step
                        .with
                        .iter()
                        .filter(|w| index.get(w.as_str()).is_some_and(|&i| applies[i]))
                        .cloned()
                        .collect(),
                    stage: stage.get(p).copied().unwrap_or(0),
                    statutory: it.statutory_limit.clone(),
                    committed: it.committed_limit.clone(),
                });
            }
            Decision::Pending { waiting_for } => pending.push(PendingStep {
                id: step.id.clone(),
                waiting_for,
            }),
            Decision::LeftOut { why_not, because } => left_out.push(LeftOutStep {
                id: step.id.clone(),
                why_not,
                because,
            }),
        }
    }

    let weights: Vec<u32> = planned
        .iter()
        .map(|s| s.committed.planning_working_days())
        .collect();
    let (working_days, path) = graph::longest_path(&sub_deps, &weights).map_err(cycle)?;
    let critical_path = CriticalPath {
        steps: path
            .iter()
            .filter_map(|p| planned.get(*p))
            .map(|s| s.id.clone())
            .collect(),
        working_days,
        open_limits: planned
            .iter()
            .filter(|s| s.committed.is_open())
            .map(|s| s.id.clone())
            .collect(),
    };
    // Stable: theme order within a stage.
    planned.sort_by_key(|s| s.stage);
    let mut stages: Vec<Vec<String>> = Vec::new();
    for s in &planned {
        if stages.len() <= s.stage {
            stages.resize(s.stage + 1, Vec::new());
        }
        stages[s.stage].push(s.id.clone());
    }
    Ok(Roadmap {
        theme: theme.id.clone(),
        questions: Vec::new(),
        next_question: None,
        exit: None,
        steps: planned,
        pending,
        left_out,
        stages,
        critical_path,
    })
}

/// The applicable steps `k` waits for: through a step that does not apply, to what that step waited for, so
/// the order the theme sets is kept.
fn effective_deps(k: usize, deps: &[Vec<usize>], applies: &[bool]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<usize> = deps.get(k).cloned().unwrap_or_default();
    while let Some(d) = stack.pop() {
        if !seen.insert(d) {
            continue;
        }
        if applies.get(d).copied().unwrap_or(false) {
            out.push(d);
        } else {
            stack.extend(deps.get(d).into_iter().flatten().copied());
        }
    }
    out.sort_unstable();
    out
}

/// The day a limit ends when the application is made on `starts`: it is accepted on the first working day from
/// then, and the limit runs from acceptance. Calendar days end on the next working day if they end on a day off
/// (民法典 art. 203). `none` and `local` are taken as the acceptance day (flagged in [`CriticalPath::open_limits`]).
pub fn due_date(starts: Date, limit: &Limit, calendar: &Calendar) -> Date {
    let accepted = calendar.add_working_days(starts, 0);
    match limit.kind {
        LimitKind::WorkingDays(n) => calendar.add_working_days(accepted, n),
        LimitKind::CalendarDays(n) => {
            let end = accepted
                .checked_add(Duration::days(i64::from(n)))
                .unwrap_or(Date::MAX);
            calendar.add_working_days(end, 0)
        }
        LimitKind::OnTheSpot | LimitKind::None | LimitKind::Local => accepted,
    }
}

impl Roadmap {
    /// Each applicable step's start and due date when the citizen starts on `start`, by committed limits.
    pub fn schedule(&self, start: Date, calendar: &Calendar) -> Vec<ScheduledStep> {
        let mut due: HashMap<&str, Date> = HashMap::new();
        let mut out = Vec::new();
        // `steps` is in stage order, so everything a step waits for is scheduled before it.
        for step in &self.steps {
            let starts = step
                .after
                .iter()
                .filter_map(|a| due.get(a.as_str()).copied())
                .fold(start, Date::max);
            let ends = due_date(starts, &step.committed, calendar);
            due.insert(&step.id, ends);
            out.push(ScheduledStep {
                id: step.id.clone(),
                starts,
                due: ends,
            });
        }
        out
    }

    /// The day the last step is due, by committed limits; the first working day from `start` if nothing applies.
    /// Provisional where the calendar does not cover the years involved ([`Calendar::covers_span`]).
    pub fn earliest_completion(&self, start: Date, calendar: &Calendar) -> Date {
        let first = calendar.add_working_days(start, 0);
        self.schedule(start, calendar)
            .into_iter()
            .map(|s| s.due)
            .fold(first, Date::max)
    }
}
