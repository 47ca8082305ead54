use super::*;
use crate::domain::answer::{Answer, Answers};
use proptest::prelude::*;
use time::macros::date;

fn c(src: &str) -> Condition {
    Condition::parse(src).unwrap_or_else(|e| panic!("`{src}` should parse: {e}"))
}

fn err(src: &str) -> ConditionError {
    match Condition::parse(src) {
        Ok(c) => panic!("`{src}` should not parse, got {:?}", c.expr()),
        Err(e) => e,
    }
}

#[test]
fn parses_every_operator() {
    let answers = Answers::new()
        .choice("entity", "company")
        .number("area", 150.0);
    for (src, want) in [
        ("entity == 'company'", true),
        ("entity != 'company'", false),
        ("area < 150", false),
        ("area <= 150", true),
        ("area > 150", false),
        ("area >= 150", true),
        ("entity in ['company', 'sole']", true),
        ("entity in ['sole',]", false),
        ("!(entity == 'sole')", true),
        ("!!(area > 1)", true),
        ("entity == 'company' && area > 100", true),
        ("entity == 'sole' || area > 100", true),
        ("(entity == 'sole' || area > 100) && !(area > 1000)", true),
        ("area > -5.5", true),
    ] {
        assert_eq!(c(src).eval(&answers), Some(want), "{src}");
    }
}

#[test]
fn and_binds_tighter_than_or() {
    let e = c("a == 'x' || b == 'y' && c == 'z'");
    assert!(
        matches!(e.expr(), Expr::Or(parts) if parts.len() == 2 && matches!(parts[1], Expr::And(_)))
    );
}

#[test]
fn parse_errors_carry_the_column() {
    assert_eq!(err("area >").column, 7);
    assert_eq!(err("area = 5").column, 6);
    assert_eq!(err("entity == company").column, 11);
    assert!(err("entity == company").message.contains("'company'"));
    assert_eq!(err("entity == 'company").column, 11);
    assert_eq!(err("(a == 1").column, 8);
    assert_eq!(err("a == 1 b == 2").column, 8);
    assert_eq!(err("a == 1 & b == 2").column, 8);
    assert_eq!(err("a in 'x'").column, 6);
    assert_eq!(err("a == \"x\"").column, 6);
    assert_eq!(err("").column, 1);
    assert_eq!(err("== 1").column, 1);
    // Columns count characters, not bytes.
    assert_eq!(err("a == '公司' b").column, 11);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}a == 1{}", "(".repeat(200), ")".repeat(200));
    assert!(err(&deep).message.contains("nested too deeply"));
}

#[test]
fn lists_the_questions_it_reads_once_each() {
    let e = c("entity == 'company' && (area > 150 || entity == 'sole' || seats in [1, 2])");
    assert_eq!(e.questions(), vec!["entity", "area", "seats"]);
}

#[test]
fn missing_answers_are_unknown_unless_decided() {
    let none = Answers::new();
    assert_eq!(c("area > 150").eval(&none), None);
    assert_eq!(c("!(area > 150)").eval(&none), None);
    let sole = Answers::new().choice("entity", "sole");
    assert_eq!(
        c("entity == 'company' && area > 150").eval(&sole),
        Some(false)
    );
    assert_eq!(c("entity == 'sole' || area > 150").eval(&sole), Some(true));
    assert_eq!(c("entity == 'sole' && area > 150").eval(&sole), None);
}

#[test]
fn questions_not_asked_make_comparisons_false() {
    let not_asked: std::collections::HashSet<String> = ["area".to_owned()].into_iter().collect();
    let sole = Answers::new().choice("entity", "sole");
    assert_eq!(c("area > 150").eval_given(&sole, &not_asked), Some(false));
    assert_eq!(c("area != 150").eval_given(&sole, &not_asked), Some(false));
    assert_eq!(c("!(area > 150)").eval_given(&sole, &not_asked), Some(true));
    let facts = c("area > 150").explain_given(&sole, &not_asked);
    assert_eq!(
        facts[0].to_string(),
        "area > 150: not asked, so this does not hold"
    );
    assert!(facts[0].not_asked && facts[0].answer.is_none());
}

#[test]
fn dates_compare_as_dates_and_mismatches_only_satisfy_not_equal() {
    let a = Answers::new().with("opened", Answer::Date(date!(2026 - 02 - 14)));
    assert_eq!(c("opened < '2026-03-01'").eval(&a), Some(true));
    assert_eq!(c("opened == '2026-02-14'").eval(&a), Some(true));
    assert_eq!(c("opened > 5").eval(&a), Some(false));
    assert_eq!(c("opened != 5").eval(&a), Some(true));
    let t = Answers::new()
        .with("name", Answer::Text("x".into()))
        .choice("size", "3");
    assert_eq!(c("name == 'x'").eval(&t), Some(true));
    assert_eq!(c("name > 'a'").eval(&t), Some(false));
    assert_eq!(c("size >= 3").eval(&t), Some(true));
    let n = Answers::new().number("area", 10.0);
    assert_eq!(c("area == '10'").eval(&n), Some(true));
    assert_eq!(c("area == 'ten'").eval(&n), Some(false));
}

#[test]
fn explains_which_answers_decided() {
    let a = Answers::new()
        .choice("entity", "company")
        .number("area", 200.0);
    let cond = c("entity == 'company' && area > 150");
    let facts = cond.explain(&a);
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[1].test, "area > 150");
    assert_eq!(facts[1].answer, Some(Answer::Number(200.0)));
    assert_eq!(facts[1].holds, Some(true));
    assert_eq!(
        facts[1].to_string(),
        "area > 150: answered 200, so this holds"
    );

    // False `&&`: only the failing part is the reason.
    let small = Answers::new()
        .choice("entity", "company")
        .number("area", 80.0);
    let facts = cond.explain(&small);
    assert_eq!(
        facts.iter().map(|f| f.test.as_str()).collect::<Vec<_>>(),
        vec!["area > 150"]
    );

    // True `||`: the parts that hold.
    let either = c("entity == 'sole' || area > 150");
    assert_eq!(
        either
            .explain(&a)
            .iter()
            .map(|f| f.question.as_str())
            .collect::<Vec<_>>(),
        vec!["area"]
    );

    // Undecided: the parts still waiting.
    let waiting = c("entity == 'company' && seats > 50").explain(&a);
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].holds, None);
    assert_eq!(waiting[0].to_string(), "seats > 50: not answered yet");
}

#[test]
fn serde_round_trips_through_the_source_text() {
    let cond = c("entity in ['company', 'sole']");
    let json = serde_json::to_string(&cond).expect("serialises");
    assert_eq!(json, r#""entity in ['company', 'sole']""#);
    let back: Condition = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, cond);
    let bad = serde_json::from_str::<Condition>(r#""area >""#).expect_err("rejects");
    assert!(
        bad.to_string().contains("condition `area >`: column 7"),
        "{bad}"
    );
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        (-1000i32..1000).prop_map(|n| Literal::Num(f64::from(n) / 4.0)),
        "[a-z]{1,6}".prop_map(Literal::Str),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let question =
        prop_oneof![Just("a"), Just("b"), Just("c_d"), Just("e-f")].prop_map(String::from);
    let op = prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge)
    ];
    let leaf = prop_oneof![
        (question.clone(), op, literal()).prop_map(|(question, op, value)| Expr::Cmp {
            question,
            op,
            value
        }),
        (question, prop::collection::vec(literal(), 1..4))
            .prop_map(|(question, values)| Expr::In { question, values }),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
            prop::collection::vec(inner, 2..4).prop_map(Expr::Or),
        ]
    })
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_the_same_tree(e in expr()) {
        let printed = e.to_string();
        let parsed = Condition::parse(&printed).map_err(|err| TestCaseError::fail(format!("{printed}: {err}")))?;
        prop_assert_eq!(parsed.expr(), &e);
    }

    #[test]
    fn the_parser_never_panics(src in "\\PC{0,40}") {
        let _ = Condition::parse(&src);
    }

    #[test]
    fn more_answers_never_change_a_known_result(e in expr(), a in -5i32..5, b in "[a-z]{1,2}") {
        let cond = Condition::parse(&e.to_string()).map_err(|err| TestCaseError::fail(err.to_string()))?;
        let partial = Answers::new().number("a", f64::from(a));
        let full = partial.clone().choice("b", &b).number("c_d", 1.0).choice("e-f", "x");
        if let Some(known) = cond.eval(&partial) {
            prop_assert_eq!(cond.eval(&full), Some(known));
        }
        prop_assert!(cond.eval(&full).is_some());
    }
}
