//! Themes (主题服务 / 一件事): a citizen's goal as scenario questions (情景问答) and steps over several
//! departments' items, some in parallel (并联). The graph logic lives in [`super::roadmap`].

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::catalog::Choice;
use super::condition::{parse_date, Condition};
use super::text::Text;

/// 主题服务: one theme flow. In the data the header is `[theme]`, with `[[question]]` and `[[step]]` beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub summary: Option<Text>,
    /// Navigation domain (全程导航).
    pub domain: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub life_stages: Vec<String>,
    /// 牵头部门
    pub lead_department: String,
    /// A read-only overview of how the goal was reached in the past; it cannot be started.
    #[serde(default)]
    pub historical: bool,
    #[serde(default)]
    pub era: Option<Text>,
    /// Who can use it.
    #[serde(default)]
    pub who: Option<Text>,
    /// What you will need.
    #[serde(default)]
    pub needs: Option<Text>,
    /// Headline commitment for the whole bundle, in working days.
    #[serde(default)]
    pub committed_days: Option<u32>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl Theme {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// 情形: one scenario question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub help: Option<Text>,
    pub kind: QuestionKind,
    /// Asked only when this holds (it may read earlier answers only).
    #[serde(default)]
    pub show_if: Option<Condition>,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Answers that make the applicant ineligible: an exit page, never an error.
    #[serde(default, rename = "exit")]
    pub exits: Vec<Exit>,
    /// The merged-form field this answer already tells (e.g. the floor area): pre-filled, never asked twice.
    #[serde(default)]
    pub fills: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of a few options, shown as radio buttons.
    Choice,
    /// Answered `yes` or `no`.
    YesNo,
    Number,
    Date,
    /// One of many options, shown as a drop-down list.
    Select,
}

impl QuestionKind {
    /// Kinds answered by picking an option value.
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            QuestionKind::Choice | QuestionKind::Select | QuestionKind::YesNo
        )
    }
}

/// The option values of a `yes_no` question.
pub const YES_NO: [&str; 2] = ["yes", "no"];

/// Why a form input is not an answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerError {
    NotAnOption,
    NotANumber,
    BelowMin(f64),
    AboveMax(f64),
    NotADate,
}

impl Question {
    /// The option values a choice question accepts (`yes`/`no` for `yes_no`).
    pub fn option_values(&self) -> Vec<&str> {
        match self.kind {
            QuestionKind::YesNo => YES_NO.to_vec(),
            _ => self.options.iter().map(|o| o.value.as_str()).collect(),
        }
    }

    /// Parses form input into an answer of the question's type (parse at the boundary).
    pub fn parse_answer(&self, raw: &str) -> Result<Answer, AnswerError> {
        let raw = raw.trim();
        match self.kind {
            QuestionKind::Choice | QuestionKind::Select | QuestionKind::YesNo => {
                if self.option_values().contains(&raw) {
                    Ok(Answer::Choice(raw.to_owned()))
                } else {
                    Err(AnswerError::NotAnOption)
                }
            }
            QuestionKind::Number => {
                let n: f64 = raw.parse().map_err(|_| AnswerError::NotANumber)?;
                if !n.is_finite() {
                    return Err(AnswerError::NotANumber);
                }
                match (self.min, self.max) {
                    (Some(min), _) if n < min => Err(AnswerError::BelowMin(min)),
                    (_, Some(max)) if n > max => Err(AnswerError::AboveMax(max)),
                    _ => Ok(Answer::Number(n)),
                }
            }
            QuestionKind::Date => parse_date(raw)
                .map(Answer::Date)
                .ok_or(AnswerError::NotADate),
        }
    }
}

/// An exit: answers that end the flow with a reason and where to go instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    pub when: Condition,
    pub reason: Text,
    #[serde(default)]
    pub instead: Option<Text>,
}

/// One step of a theme: an item, or exactly one of several items (`one_of`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StepSpec", into = "StepSpec")]
pub struct Step {
    pub id: String,
    pub target: StepTarget,
    /// Steps that must be finished first (their results are needed).
    pub after: Vec<String>,
    /// Steps run in parallel with this one (并联), for display.
    pub with: Vec<String>,
    /// Missing: always applies.
    pub when: Option<Condition>,
    pub why: Option<Text>,
    /// Shown when `when` is false.
    pub why_not: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepTarget {
    Item(String),
    /// Exactly one variant applies, the first whose `when` holds.
    OneOf(Vec<Variant>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub item: String,
    pub when: Condition,
    #[serde(default)]
    pub why: Option<Text>,
}

impl Step {
    /// The item ids this step may run: one, or every variant's.
    pub fn items(&self) -> Vec<&str> {
        match &self.target {
            StepTarget::Item(item) => vec![item.as_str()],
            StepTarget::OneOf(variants) => variants.iter().map(|v| v.item.as_str()).collect(),
        }
    }
}

/// The data form of a [`Step`]: `item` and `one_of` side by side, exactly one of them given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    one_of: Option<Vec<Variant>>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    why: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    why_not: Option<Text>,
}

impl TryFrom<StepSpec> for Step {
    type Error = String;

    fn try_from(s: StepSpec) -> Result<Step, String> {
        let target = match (s.item, s.one_of) {
            (Some(item), None) => StepTarget::Item(item),
            (None, Some(variants)) if !variants.is_empty() => StepTarget::OneOf(variants),
            (None, Some(_)) => {
                return Err(format!(
                    "step `{}`: `one_of` needs at least one variant",
                    s.id
                ))
            }
            (Some(_), Some(_)) => {
                return Err(format!(
                    "step `{}` has both `item` and `one_of`; give one",
                    s.id
                ))
            }
            (None, None) => return Err(format!("step `{}` needs `item` or `one_of`", s.id)),
        };
        Ok(Step {
            id: s.id,
            target,
            after: s.after,
            with: s.with,
            when: s.when,
            why: s.why,
            why_not: s.why_not,
        })
    }
}

impl From<Step> for StepSpec {
    fn from(s: Step) -> StepSpec {
        let (item, one_of) = match s.target {
            StepTarget::Item(item) => (Some(item), None),
            StepTarget::OneOf(variants) => (None, Some(variants)),
        };
        StepSpec {
            id: s.id,
            item,
            one_of,
            after: s.after,
            with: s.with,
            when: s.when,
            why: s.why,
            why_not: s.why_not,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(json: &str) -> Result<Step, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_step_is_an_item_or_one_of_variants() {
        let s = step(r#"{"id":"licence","item":"samr-reg","after":[]}"#).expect("valid");
        assert_eq!(s.items(), vec!["samr-reg"]);
        let s = step(r#"{"id":"d","one_of":[{"item":"a","when":"r == 'x'"},{"item":"b","when":"r == 'y'"}]}"#)
            .expect("valid");
        assert_eq!(s.items(), vec!["a", "b"]);
        assert!(step(r#"{"id":"x"}"#)
            .unwrap_err()
            .contains("needs `item` or `one_of`"));
        assert!(step(r#"{"id":"x","item":"a","one_of":[]}"#)
            .unwrap_err()
            .contains("both"));
        assert!(step(r#"{"id":"x","one_of":[]}"#)
            .unwrap_err()
            .contains("at least one"));
        assert!(step(r#"{"id":"x","item":"a","when":"r =="}"#)
            .unwrap_err()
            .contains("column"));
    }

    #[test]
    fn step_round_trips() {
        let s =
            step(r#"{"id":"d","one_of":[{"item":"a","when":"r == 'x'"}],"after":["c"],"with":[]}"#)
                .expect("valid");
        let back = step(&serde_json::to_string(&s).expect("serialises")).expect("parses");
        assert_eq!(back, s);
    }

    fn question(kind: QuestionKind) -> Question {
        Question {
            id: "q".into(),
            text: Text::new("问", "Q"),
            help: None,
            kind,
            show_if: None,
            options: vec![Choice {
                value: "company".into(),
                label: Text::new("公司", "Company"),
            }],
            unit: None,
            min: Some(0.0),
            max: Some(1000.0),
            exits: vec![],
            fills: None,
        }
    }

    #[test]
    fn form_input_is_parsed_by_kind() {
        let choice = question(QuestionKind::Choice);
        assert_eq!(
            choice.parse_answer(" company "),
            Ok(Answer::Choice("company".into()))
        );
        assert_eq!(choice.parse_answer("sole"), Err(AnswerError::NotAnOption));
        let yes_no = question(QuestionKind::YesNo);
        assert_eq!(yes_no.parse_answer("no"), Ok(Answer::Choice("no".into())));
        assert_eq!(
            yes_no.parse_answer("company"),
            Err(AnswerError::NotAnOption)
        );
        let number = question(QuestionKind::Number);
        assert_eq!(number.parse_answer("150"), Ok(Answer::Number(150.0)));
        assert_eq!(number.parse_answer("-1"), Err(AnswerError::BelowMin(0.0)));
        assert_eq!(
            number.parse_answer("1e9"),
            Err(AnswerError::AboveMax(1000.0))
        );
        assert_eq!(number.parse_answer("NaN"), Err(AnswerError::NotANumber));
        assert_eq!(number.parse_answer("many"), Err(AnswerError::NotANumber));
        let date = question(QuestionKind::Date);
        assert_eq!(
            date.parse_answer("2026-02-14"),
            Ok(Answer::Date(time::macros::date!(2026 - 02 - 14)))
        );
        assert_eq!(date.parse_answer("2026-02-30"), Err(AnswerError::NotADate));
    }
}
