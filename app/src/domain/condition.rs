//! The condition language of theme files (`show_if`, `when`, exits) — parsing, evaluation and explanation.
//!
//! ```text
//! expr       := and ('||' and)*
//! and        := unary ('&&' unary)*
//! unary      := '!' unary | '(' expr ')' | comparison
//! comparison := question ('==' | '!=' | '<' | '<=' | '>' | '>=') literal
//!             | question 'in' '[' literal (',' literal)* ']'
//! literal    := 'single-quoted text' | number
//! ```
//! Evaluation is three-valued: a comparison whose answer is missing is unknown (`None`), and `&&` / `||` only stay
//! unknown when the known parts do not already decide the result, so a roadmap can be shown before every question
//! is answered. A comparison on a question that is not asked at all (its `show_if` is false) is false.

mod compare;
mod parse;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

pub use super::answer::{Answer, Answers};
use compare::compare;
pub use compare::parse_date;

/// A parsed condition; it keeps its source text, which is also its serialised form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Condition {
    source: String,
    expr: Expr,
}

/// A parse error, with the 1-based character column in the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConditionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ConditionError {}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Cmp {
        question: String,
        op: CmpOp,
        value: Literal,
    },
    In {
        question: String,
        values: Vec<Literal>,
    },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Num(f64),
    Str(String),
}

impl std::fmt::Display for Literal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Num(n) => write!(f, "{n}"),
            Literal::Str(s) => write!(f, "'{s}'"),
        }
    }
}

/// One comparison that decided (or would decide) a condition, for "why this step applies".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub question: String,
    /// The comparison as written, e.g. `area > 150`.
    pub test: String,
    /// The values compared against, for labelling options in the UI.
    pub values: Vec<Literal>,
    pub answer: Option<Answer>,
    /// Whether the comparison holds; `None` while the answer is missing.
    pub holds: Option<bool>,
    /// The question is not asked (its `show_if` is false), so the comparison is false.
    pub not_asked: bool,
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.answer, self.holds) {
            (Some(answer), Some(holds)) => {
                write!(
                    f,
                    "{}: answered {answer}, so this {}",
                    self.test,
                    if holds { "holds" } else { "does not hold" }
                )
            }
            _ if self.not_asked => write!(f, "{}: not asked, so this does not hold", self.test),
            _ => write!(f, "{}: not answered yet", self.test),
        }
    }
}

impl Condition {
    pub fn parse(source: &str) -> Result<Condition, ConditionError> {
        Ok(Condition {
            source: source.to_owned(),
            expr: parse::parse(source)?,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The question ids the condition reads, each once, in order of appearance.
    pub fn questions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.expr.visit_comparisons(&mut |question, _| {
            if !out.contains(&question) {
                out.push(question);
            }
        });
        out
    }

    /// Every comparison: the question id and the literals it is compared with (for the validator's type checks).
    pub fn comparisons(&self) -> Vec<(&str, Option<CmpOp>, &[Literal])> {
        let mut out = Vec::new();
        self.expr.visit_all(&mut |e| match e {
            Expr::Cmp {
                question,
                op,
                value,
            } => out.push((question.as_str(), Some(*op), std::slice::from_ref(value))),
            Expr::In { question, values } => out.push((question.as_str(), None, values.as_slice())),
            _ => {}
        });
        out
    }

    /// `Some(result)`, or `None` if the result depends on an answer that is missing.
    pub fn eval(&self, answers: &Answers) -> Option<bool> {
        self.eval_given(answers, &HashSet::new())
    }

    /// As [`Condition::eval`], with the questions that are not asked: comparisons on them are false.
    pub fn eval_given(&self, answers: &Answers, not_asked: &HashSet<String>) -> Option<bool> {
        self.expr.eval(&Env { answers, not_asked })
    }

    /// The comparisons that decide the result: for a true `a && b` both, for a false one the false parts, for
    /// `a || b` the parts that hold (or all, when none does); while undecided, the parts still waiting for answers.
    pub fn explain(&self, answers: &Answers) -> Vec<Fact> {
        self.explain_given(answers, &HashSet::new())
    }

    /// As [`Condition::explain`], with the questions that are not asked.
    pub fn explain_given(&self, answers: &Answers, not_asked: &HashSet<String>) -> Vec<Fact> {
        let mut facts = Vec::new();
        self.expr.explain(&Env { answers, not_asked }, &mut facts);
        facts
    }
}

/// What evaluation reads: the answers, and the questions known not to be asked.
struct Env<'a> {
    answers: &'a Answers,
    not_asked: &'a HashSet<String>,
}

impl Env<'_> {
    /// `Some(result)` of comparing `question`'s answer by `test`, `None` if it is missing.
    fn check(&self, question: &str, test: impl Fn(&Answer) -> bool) -> Option<bool> {
        if self.not_asked.contains(question) {
            return Some(false);
        }
        self.answers.get(question).map(test)
    }
}

impl TryFrom<String> for Condition {
    type Error = String;

    fn try_from(source: String) -> Result<Condition, String> {
        Condition::parse(&source).map_err(|e| format!("condition `{source}`: {e}"))
    }
}

impl From<Condition> for String {
    fn from(c: Condition) -> String {
        c.source
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, parts: &[Expr], sep: &str| {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match p {
                    Expr::And(_) | Expr::Or(_) => write!(f, "({p})")?,
                    _ => write!(f, "{p}")?,
                }
            }
            Ok(())
        };
        match self {
            Expr::Cmp {
                question,
                op,
                value,
            } => write!(f, "{question} {} {value}", op.symbol()),
            Expr::In { question, values } => {
                let list: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                write!(f, "{question} in [{}]", list.join(", "))
            }
            Expr::Not(inner) => match **inner {
                Expr::Not(_) => write!(f, "!{inner}"),
                _ => write!(f, "!({inner})"),
            },
            Expr::And(parts) => join(f, parts, " && "),
            Expr::Or(parts) => join(f, parts, " || "),
        }
    }
}

impl Expr {
    fn visit_all<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Not(inner) => inner.visit_all(f),
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| p.visit_all(f)),
            Expr::Cmp { .. } | Expr::In { .. } => {}
        }
    }

    fn visit_comparisons<'a>(&'a self, f: &mut impl FnMut(&'a str, &'a Expr)) {
        self.visit_all(&mut |e| match e {
            Expr::Cmp { question, .. } | Expr::In { question, .. } => f(question, e),
            _ => {}
        });
    }

    fn eval(&self, env: &Env<'_>) -> Option<bool> {
        match self {
            Expr::Cmp {
                question,
                op,
                value,
            } => env.check(question, |a| compare(a, *op, value)),
            Expr::In { question, values } => env.check(question, |a| {
                values.iter().any(|v| compare(a, CmpOp::Eq, v))
            }),
            Expr::Not(inner) => inner.eval(env).map(|b| !b),
            // Kleene logic: one false decides `&&`, one true decides `||`, whatever is still unknown.
            Expr::And(parts) => fold(parts, env, false),
            Expr::Or(parts) => fold(parts, env, true),
        }
    }

    fn explain(&self, env: &Env<'_>, out: &mut Vec<Fact>) {
        match self {
            Expr::Cmp {
                question, value, ..
            } => out.push(self.fact(question, vec![value.clone()], env)),
            Expr::In { question, values } => out.push(self.fact(question, values.clone(), env)),
            Expr::Not(inner) => inner.explain(env, out),
            Expr::And(parts) | Expr::Or(parts) => {
                let result = self.eval(env);
                // The parts whose value equals the overall result are the ones that decided it.
                let deciding: Vec<&Expr> = parts.iter().filter(|p| p.eval(env) == result).collect();
                let chosen = if deciding.is_empty() {
                    parts.iter().collect()
                } else {
                    deciding
                };
                chosen.into_iter().for_each(|p| p.explain(env, out));
            }
        }
    }

    fn fact(&self, question: &str, values: Vec<Literal>, env: &Env<'_>) -> Fact {
        let not_asked = env.not_asked.contains(question);
        Fact {
            question: question.to_owned(),
            test: self.to_string(),
            values,
            answer: if not_asked {
                None
            } else {
                env.answers.get(question).cloned()
            },
            holds: self.eval(env),
            not_asked,
        }
    }
}

/// `&&` (decider = false) or `||` (decider = true) over three-valued parts.
fn fold(parts: &[Expr], env: &Env<'_>, decider: bool) -> Option<bool> {
    let mut unknown = false;
    for p in parts {
        match p.eval(env) {
            Some(b) if b == decider => return Some(decider),
            Some(_) => {}
            None => unknown = true,
        }
    }
    if unknown {
        None
    } else {
        Some(!decider)
    }
}

#[cfg(test)]
mod tests;
