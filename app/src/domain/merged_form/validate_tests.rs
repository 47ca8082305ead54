//! Validation of the merged form's values, on the in-memory fixture.

use std::collections::BTreeMap;

use proptest::prelude::*;
use time::macros::date;

use super::fixture::{complete, form, ids, raw, TODAY};
use super::*;
use crate::domain::ids::ResidentIdError;

#[test]
fn every_problem_in_form_order_and_the_raw_input_kept() {
    let form = form();
    let input = raw(&[
        ("applicant_name", "张三丰张三丰张三丰张三"),
        ("resident_id", "110105194912310021"),
        ("phone", "010-12345678"),
        ("email", "zhang@"),
        ("company_name", "   "),
        ("start_date", "2026-02-30"),
        ("entity_type", "llc"),
        ("floor_area", "0"),
        ("staff_count", "ten"),
        ("not_a_field", "kept"),
    ]);
    let v = form.validate(&input, TODAY);
    let got: Vec<(&str, &FieldProblem)> = v
        .errors
        .iter()
        .map(|e| (e.field.as_str(), &e.problem))
        .collect();
    assert_eq!(
        got,
        [
            ("applicant_name", &FieldProblem::TooLong(10)),
            (
                "resident_id",
                &FieldProblem::ResidentId(ResidentIdError::WrongCheckDigit)
            ),
            ("phone", &FieldProblem::BadPhone),
            ("email", &FieldProblem::BadEmail),
            ("company_name", &FieldProblem::Missing),
            ("start_date", &FieldProblem::NotADate),
            ("entity_type", &FieldProblem::NotAnOption),
            ("floor_area", &FieldProblem::BelowMin(1.0)),
            ("staff_count", &FieldProblem::NotANumber),
        ]
    );
    assert_eq!(v.raw, input);
    assert_eq!(v.raw("company_name"), "   ");
    assert_eq!(v.raw("not_a_field"), "kept");
    assert!(v.values.is_empty());
    let v = form.validate(&raw(&[("floor_area", "1000.5")]), TODAY);
    assert_eq!(v.error("floor_area"), Some(&FieldProblem::AboveMax(1000.0)));
    let v = form.validate(&raw(&[("resident_id", "11010520260116001X")]), TODAY);
    assert!(matches!(
        v.error("resident_id"),
        Some(FieldProblem::ResidentId(_))
    ));
}

#[test]
fn valid_values_are_parsed_and_normalised() {
    let v = form().validate(&complete(), TODAY);
    assert!(v.is_valid(), "{:?}", v.errors);
    let value = |f: &str| v.values.get(f).cloned();
    assert_eq!(
        value("applicant_name"),
        Some(FieldValue::Text("张三".into()))
    );
    match value("resident_id") {
        Some(FieldValue::ResidentId(id)) => assert_eq!(id.as_str(), "11010519491231002X"),
        other => panic!("{other:?}"),
    }
    match value("phone") {
        Some(FieldValue::Phone(p)) => assert_eq!(p.as_str(), "13812345678"),
        other => panic!("{other:?}"),
    }
    assert_eq!(value("floor_area"), Some(FieldValue::Number(120.0)));
    assert_eq!(
        value("start_date"),
        Some(FieldValue::Date(date!(2026 - 03 - 01)))
    );
    assert_eq!(
        value("entity_type"),
        Some(FieldValue::Choice("company".into()))
    );
    assert_eq!(value("email"), None, "empty optional fields have no value");
    let json = serde_json::to_string(&v).expect("serialises");
    assert_eq!(
        serde_json::from_str::<Validation>(&json).expect("parses"),
        v
    );
}

proptest! {
    #[test]
    fn validation_never_panics_nor_loses_input(values in proptest::collection::vec("\\PC{0,24}", 11)) {
        let form = form();
        let input: BTreeMap<String, String> =
            form.fields.iter().map(|f| f.id().to_owned()).zip(values).collect();
        let v = form.validate(&input, TODAY);
        prop_assert_eq!(&v.raw, &input);
        let order: Vec<&str> = ids(&form);
        let errors: Vec<usize> =
            v.errors.iter().filter_map(|e| order.iter().position(|f| *f == e.field)).collect();
        prop_assert_eq!(errors.len(), v.errors.len());
        prop_assert!(errors.windows(2).all(|w| w[0] < w[1]), "form order, one per field");
        prop_assert!(v.errors.iter().all(|e| !v.values.contains_key(&e.field)));
    }
}
