//! The roadmap of a theme (办事路线图): which scenario questions are asked now, which steps apply and why, which are
//! left out and why not, the stages of steps that can run in parallel (并联), the critical path in working days
//! and the earliest completion date. Pure: a theme, the catalog and the answers in, an owned [`Roadmap`] out (it
//! travels to the browser as JSON).

mod explain;
mod schedule;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::answer::Answers;
use super::catalog::Catalog;
use super::condition::{Condition, Fact};
use super::item::Limit;
use super::text::Text;
use super::theme::{Step, StepTarget, Theme};

pub use explain::{answer_label, describe_fact};
pub use schedule::{due_date, ScheduledStep};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roadmap {
    pub theme: String,
    /// The questions shown now, in order (hidden ones — `show_if` false — are left out, and so are their answers).
    pub questions: Vec<AskedQuestion>,
    /// The first shown question without an answer.
    pub next_question: Option<String>,
    /// Set when an answer makes the applicant ineligible: show the exit page.
    pub exit: Option<ExitReached>,
    /// The steps that apply, by stage, then in theme order.
    pub steps: Vec<PlannedStep>,
    /// Steps that depend on questions not answered yet.
    pub pending: Vec<PendingStep>,
    pub left_out: Vec<LeftOutStep>,
    /// Step ids by stage: a stage's steps wait only for steps of earlier stages, so they can run in parallel.
    pub stages: Vec<Vec<String>>,
    pub critical_path: CriticalPath,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskedQuestion {
    pub id: String,
    pub answered: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExitReached {
    pub question: String,
    pub reason: Text,
    pub instead: Option<Text>,
    pub because: Vec<Fact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub id: String,
    pub item: String,
    pub department: String,
    /// The item's name.
    pub name: Text,
    /// In an overview, the other items a `one_of` step may turn out to be.
    pub alternatives: Vec<String>,
    /// In an overview, the step applies only in some situations.
    pub conditional: bool,
    pub why: Option<Text>,
    /// The answers that made it apply.
    pub because: Vec<Fact>,
    /// The applicable steps it waits for (through left-out steps, to what those waited for).
    pub after: Vec<String>,
    /// The applicable steps it runs with (并联), for display.
    pub with: Vec<String>,
    pub stage: usize,
    pub statutory: Limit,
    pub committed: Limit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingStep {
    pub id: String,
    /// The unanswered questions that decide it.
    pub waiting_for: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOutStep {
    pub id: String,
    pub why_not: Option<Text>,
    pub because: Vec<Fact>,
}

/// The longest chain of waiting, by committed limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalPath {
    pub steps: Vec<String>,
    /// On the spot counts 0, calendar days as [`Limit::planning_working_days`].
    pub working_days: u32,
    /// Applicable steps whose committed limit is `none` or `local`: counted as 0, so the total may be longer.
    pub open_limits: Vec<String>,
}

/// A theme that does not form a step graph; the validator reports these first, so they only reach a roadmap
/// built from unvalidated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoadmapError {
    UnknownItem { step: String, item: String },
    UnknownStep { step: String, after: String },
    Cycle(Vec<String>),
}

impl std::fmt::Display for RoadmapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RoadmapError::UnknownItem { step, item } => {
                write!(f, "step `{step}` names unknown item `{item}`")
            }
            RoadmapError::UnknownStep { step, after } => {
                write!(f, "step `{step}` waits for unknown step `{after}`")
            }
            RoadmapError::Cycle(steps) => {
                write!(f, "steps {} wait for each other", steps.join(", "))
            }
        }
    }
}

impl std::error::Error for RoadmapError {}

/// What one step comes to under the current answers.
enum Decision<'t> {
    Applies {
        item: &'t str,
        alternatives: Vec<String>,
        conditional: bool,
        why: Option<Text>,
        because: Vec<Fact>,
    },
    LeftOut {
        why_not: Option<Text>,
        because: Vec<Fact>,
    },
    Pending {
        waiting_for: Vec<String>,
    },
}

/// The roadmap for a citizen's answers.
pub fn plan(theme: &Theme, catalog: &Catalog, answers: &Answers) -> Result<Roadmap, RoadmapError> {
    let asked = ask(theme, answers);
    let exit = exit(theme, &asked);
    let decisions = theme.steps.iter().map(|s| decide(s, &asked)).collect();
    let mut roadmap = schedule::build(theme, catalog, decisions)?;
    roadmap.questions = asked.shown;
    roadmap.next_question = asked.next;
    roadmap.exit = exit;
    Ok(roadmap)
}

/// The whole theme before any answer: every step (conditional ones flagged; a `one_of` step as its longest
/// variant, the others as alternatives), its stages and critical path.
pub fn overview(theme: &Theme, catalog: &Catalog) -> Result<Roadmap, RoadmapError> {
    let asked = ask(theme, &Answers::new());
    let decisions = theme
        .steps
        .iter()
        .map(|s| overview_decision(s, catalog))
        .collect();
    let mut roadmap = schedule::build(theme, catalog, decisions)?;
    roadmap.questions = asked.shown;
    roadmap.next_question = asked.next;
    Ok(roadmap)
}

/// The state of the questions under some answers.
struct Asked {
    shown: Vec<AskedQuestion>,
    /// The answers that count: those to shown questions (an answer to a question hidden since is ignored).
    answers: Answers,
    /// Questions whose `show_if` is false: conditions on them are false.
    not_asked: HashSet<String>,
    next: Option<String>,
}

fn ask(theme: &Theme, answers: &Answers) -> Asked {
    let mut asked = Asked {
        shown: Vec::new(),
        answers: Answers::new(),
        not_asked: HashSet::new(),
        next: None,
    };
    for q in &theme.questions {
        match q
            .show_if
            .as_ref()
            .map(|c| c.eval_given(&asked.answers, &asked.not_asked))
        {
            None | Some(Some(true)) => {}
            Some(Some(false)) => {
                asked.not_asked.insert(q.id.clone());
                continue;
            }
            // Still unknown: waits for earlier answers.
            Some(None) => continue,
        }
        let answer = answers.get(&q.id);
        asked.shown.push(AskedQuestion {
            id: q.id.clone(),
            answered: answer.is_some(),
        });
        match answer {
            Some(a) => asked.answers.insert(q.id.clone(), a.clone()),
            None if asked.next.is_none() => asked.next = Some(q.id.clone()),
            None => {}
        }
    }
    asked
}

fn exit(theme: &Theme, asked: &Asked) -> Option<ExitReached> {
    asked
        .shown
        .iter()
        .filter(|a| a.answered)
        .filter_map(|a| theme.question(&a.id))
        .find_map(|q| {
            q.exits
                .iter()
                .find(|x| x.when.eval_given(&asked.answers, &asked.not_asked) == Some(true))
                .map(|x| ExitReached {
                    question: q.id.clone(),
                    reason: x.reason.clone(),
                    instead: x.instead.clone(),
                    because: x.when.explain_given(&asked.answers, &asked.not_asked),
                })
        })
}

fn waiting_for(facts: &[Fact]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in facts.iter().filter(|f| f.holds.is_none()) {
        if !out.contains(&f.question) {
            out.push(f.question.clone());
        }
    }
    out
}

fn decide<'t>(step: &'t Step, asked: &Asked) -> Decision<'t> {
    let eval = |c: &Condition| c.eval_given(&asked.answers, &asked.not_asked);
    let explain = |c: &Condition| c.explain_given(&asked.answers, &asked.not_asked);
    let mut because = Vec::new();
    if let Some(when) = &step.when {
        let facts = explain(when);
        match eval(when) {
            Some(false) => {
                return Decision::LeftOut {
                    why_not: step.why_not.clone(),
                    because: facts,
                }
            }
            None => {
                return Decision::Pending {
                    waiting_for: waiting_for(&facts),
                }
            }
            Some(true) => because = facts,
        }
    }
    match &step.target {
        StepTarget::Item(item) => Decision::Applies {
            item,
            alternatives: vec![],
            conditional: false,
            why: step.why.clone(),
            because,
        },
        StepTarget::OneOf(variants) => {
            let mut ruled_out = Vec::new();
            for v in variants {
                let facts = explain(&v.when);
                match eval(&v.when) {
                    Some(true) => {
                        because.extend(facts);
                        let why = v.why.clone().or_else(|| step.why.clone());
                        return Decision::Applies {
                            item: &v.item,
                            alternatives: vec![],
                            conditional: false,
                            why,
                            because,
                        };
                    }
                    Some(false) => ruled_out.extend(facts),
                    None => {
                        return Decision::Pending {
                            waiting_for: waiting_for(&facts),
                        }
                    }
                }
            }
            Decision::LeftOut {
                why_not: step.why_not.clone(),
                because: ruled_out,
            }
        }
    }
}

fn overview_decision<'t>(step: &'t Step, catalog: &Catalog) -> Decision<'t> {
    let conditional = step.when.is_some();
    match &step.target {
        StepTarget::Item(item) => Decision::Applies {
            item,
            alternatives: vec![],
            conditional,
            why: step.why.clone(),
            because: vec![],
        },
        StepTarget::OneOf(variants) => {
            let days = |item: &str| {
                catalog
                    .item(item)
                    .map_or(0, |i| i.committed_limit.planning_working_days())
            };
            // The longest variant, so the overview's critical path is an upper bound; ties go to the first.
            let longest = variants
                .iter()
                .reduce(|a, b| if days(&b.item) > days(&a.item) { b } else { a });
            let item = longest.map_or("", |v| v.item.as_str());
            let alternatives = variants
                .iter()
                .filter(|v| v.item != item)
                .map(|v| v.item.clone())
                .collect();
            let why = step
                .why
                .clone()
                .or_else(|| longest.and_then(|v| v.why.clone()));
            Decision::Applies {
                item,
                alternatives,
                conditional: true,
                why,
                because: vec![],
            }
        }
    }
}

#[cfg(test)]
mod tests;
