//! Facts and answers in words, with the question's text and the option's label, for "why this step applies".

use std::collections::HashMap;

use crate::domain::answer::Answer;
use crate::domain::condition::Fact;
use crate::domain::text::Lang;
use crate::domain::theme::Theme;

/// A fact in words, with the question's text and the answer's label: for "why this step applies".
pub fn describe_fact(theme: &Theme, fact: &Fact, lang: Lang) -> String {
    let question = theme.question(&fact.question);
    let text = question.map_or(fact.question.as_str(), |q| q.text.get(lang).0);
    match &fact.answer {
        Some(answer) => {
            let label = answer_label(theme, &fact.question, answer, lang);
            match lang {
                Lang::Zh => format!("“{text}”您的回答：{label}"),
                Lang::En => format!("“{text}” You answered: {label}"),
            }
        }
        None if fact.not_asked => match lang {
            Lang::Zh => format!("“{text}”不适用"),
            Lang::En => format!("“{text}” does not apply"),
        },
        None => match lang {
            Lang::Zh => format!("“{text}”尚未回答"),
            Lang::En => format!("“{text}” is not answered yet"),
        },
    }
}

/// An answer as the citizen saw it: the option's label, a number with its unit, a date.
pub fn answer_label(theme: &Theme, question: &str, answer: &Answer, lang: Lang) -> String {
    let q = theme.question(question);
    match answer {
        Answer::Choice(value) => {
            if let Some(label) = q.and_then(|q| q.options.iter().find(|o| o.value == *value)) {
                return label.label.get(lang).0.to_owned();
            }
            let yes_no: HashMap<(&str, Lang), &str> = [
                (("yes", Lang::Zh), "是"),
                (("no", Lang::Zh), "否"),
                (("yes", Lang::En), "Yes"),
                (("no", Lang::En), "No"),
            ]
            .into_iter()
            .collect();
            yes_no
                .get(&(value.as_str(), lang))
                .map_or_else(|| value.clone(), |s| (*s).to_owned())
        }
        Answer::Number(n) => match q.and_then(|q| q.unit.as_ref()) {
            Some(unit) => format!("{n} {}", unit.get(lang).0),
            None => n.to_string(),
        },
        Answer::Date(d) => d.to_string(),
        Answer::Text(t) => t.clone(),
    }
}
