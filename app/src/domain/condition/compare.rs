//! Comparing one answer with one literal: numbers numerically, dates as dates, text by equality.

use super::{CmpOp, Literal};
use crate::domain::answer::Answer;

/// Compares an answer with a literal. Numbers compare numerically, dates by date (the literal written as
/// 'YYYY-MM-DD'), text by equality only; a comparison between mismatched types only satisfies `!=`.
pub(super) fn compare(answer: &Answer, op: CmpOp, literal: &Literal) -> bool {
    let mismatch = op == CmpOp::Ne;
    match (answer, literal) {
        (Answer::Number(a), Literal::Num(b)) => a.partial_cmp(b).is_some_and(|o| op.holds(o)),
        (Answer::Number(a), Literal::Str(s)) => match s.trim().parse::<f64>() {
            Ok(b) => a.partial_cmp(&b).is_some_and(|o| op.holds(o)),
            Err(_) => mismatch,
        },
        (Answer::Date(a), Literal::Str(s)) => match parse_date(s) {
            Some(b) => op.holds(a.cmp(&b)),
            None => mismatch,
        },
        (Answer::Choice(a) | Answer::Text(a), Literal::Str(b)) => match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            _ => false,
        },
        (Answer::Choice(a) | Answer::Text(a), Literal::Num(b)) => match a.trim().parse::<f64>() {
            Ok(a) => a.partial_cmp(b).is_some_and(|o| op.holds(o)),
            Err(_) => mismatch,
        },
        (Answer::Date(_), Literal::Num(_)) => mismatch,
    }
}

/// Parses a 'YYYY-MM-DD' literal.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).ok()
}
