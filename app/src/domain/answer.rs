//! A citizen's answers to a theme's scenario questions (情景问答): [`Answer`] and [`Answers`].
//!
//! Answers are what conditions are evaluated on; they are parsed from form input by
//! [`Question::parse_answer`](super::theme::Question::parse_answer), so a stored answer always has the right type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

/// One answer (情形).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// The chosen option value of a `choice`, `select` or `yes_no` question (`yes_no` answers are `yes` or `no`).
    Choice(String),
    Number(f64),
    Date(#[serde(with = "iso_date")] Date),
    /// Free text; compared by equality only.
    Text(String),
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Choice(s) | Answer::Text(s) => write!(f, "'{s}'"),
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Date(d) => write!(f, "{d}"),
        }
    }
}

/// All answers of one application, by question id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(pub BTreeMap<String, Answer>);

impl Answers {
    pub fn new() -> Answers {
        Answers::default()
    }

    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.0.get(question)
    }

    pub fn insert(&mut self, question: impl Into<String>, answer: Answer) {
        self.0.insert(question.into(), answer);
    }

    /// Builder form, handy in tests and fixtures.
    pub fn with(mut self, question: impl Into<String>, answer: Answer) -> Answers {
        self.insert(question, answer);
        self
    }

    pub fn choice(self, question: &str, value: &str) -> Answers {
        self.with(question, Answer::Choice(value.to_owned()))
    }

    pub fn number(self, question: &str, value: f64) -> Answers {
        self.with(question, Answer::Number(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn answers_travel_as_tagged_json() {
        let answers = Answers::new()
            .choice("entity", "company")
            .number("area", 120.5)
            .with("start", Answer::Date(date!(2026 - 02 - 14)));
        let json = serde_json::to_string(&answers).expect("serialises");
        assert!(
            json.contains(r#""start":{"kind":"date","value":"2026-02-14"}"#),
            "{json}"
        );
        assert!(
            json.contains(r#""entity":{"kind":"choice","value":"company"}"#),
            "{json}"
        );
        let back: Answers = serde_json::from_str(&json).expect("parses back");
        assert_eq!(back, answers);
    }
}
