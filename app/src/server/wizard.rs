//! Builds the wizard's pages from the URL's parameters: parse each answer at the boundary, decide which page to
//! show (the next question, the same question with its problem, an exit, or the roadmap) and the links around it.

use crate::api::catalog::Named;
use crate::api::wizard::{
    AnswerProblem, AnswerRow, ExitPage, FieldPreview, FormSectionPreview, LeftOut, MaterialPreview,
    QuestionPage, RoadmapPage, RoadmapStep, WizardPage, WizardView, ANSWER_PREFIX,
};
use crate::domain::answer::Answers;
use crate::domain::catalog::Catalog;
use crate::domain::merged_form::{MaterialSource, MergedForm};
use crate::domain::roadmap::{answer_label, describe_fact, plan};
use crate::domain::text::{Lang, Text};
use crate::domain::theme::{AnswerError, Theme};

/// Percent-encodes a query component (RFC 3986 unreserved characters stay as they are).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space; malformed escapes are kept as they are).
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = |c: u8| (c as char).to_digit(16);
                    match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push((h * 16 + l) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn href(theme: &str, answers: &[(String, String)], extra: Option<(&str, &str)>) -> String {
    let mut query: Vec<String> = answers
        .iter()
        .map(|(q, v)| format!("{}={}", encode(&format!("{ANSWER_PREFIX}{q}")), encode(v)))
        .collect();
    if let Some((k, v)) = extra {
        query.push(format!("{k}={}", encode(v)));
    }
    let base = format!("/themes/{}/apply", encode(theme));
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

fn problem(e: AnswerError) -> AnswerProblem {
    match e {
        AnswerError::NotAnOption => AnswerProblem::NotAnOption,
        AnswerError::NotANumber => AnswerProblem::NotANumber,
        AnswerError::BelowMin(m) => AnswerProblem::BelowMin(m),
        AnswerError::AboveMax(m) => AnswerProblem::AboveMax(m),
        AnswerError::NotADate => AnswerProblem::NotADate,
    }
}

/// The answers in the parameters: valid ones parsed, the raw text of each kept, problems by question.
struct Parsed {
    answers: Answers,
    /// (question id, raw value) of the valid answers, in the theme's question order: carried forward.
    valid_raw: Vec<(String, String)>,
    raw: Vec<(String, String)>,
    problems: Vec<(String, AnswerProblem)>,
}

/// The longest answer we keep: anything longer is a mistake or an attack, refused as not an answer.
const MAX_RAW: usize = 200;

fn parse(theme: &Theme, params: &[(String, String)]) -> Parsed {
    let mut parsed = Parsed {
        answers: Answers::new(),
        valid_raw: Vec::new(),
        raw: Vec::new(),
        problems: Vec::new(),
    };
    for q in &theme.questions {
        let key = format!("{ANSWER_PREFIX}{}", q.id);
        let Some((_, raw)) = params.iter().rev().find(|(k, _)| *k == key) else {
            continue;
        };
        let raw: String = raw.chars().take(MAX_RAW).collect();
        if raw.trim().is_empty() {
            continue;
        }
        parsed.raw.push((q.id.clone(), raw.clone()));
        match q.parse_answer(&raw) {
            Ok(answer) => {
                parsed.answers.insert(q.id.clone(), answer);
                parsed.valid_raw.push((q.id.clone(), raw.trim().to_owned()));
            }
            Err(e) => parsed.problems.push((q.id.clone(), problem(e))),
        }
    }
    parsed
}

/// The valid scenario answers in the parameters, and their raw text in question order (the canonical form to
/// carry forward or store).
pub fn answers_of(theme: &Theme, params: &[(String, String)]) -> (Answers, Vec<(String, String)>) {
    let parsed = parse(theme, params);
    (parsed.answers, parsed.valid_raw)
}

/// The answers as a query string: `a.entity=company&a.area=80`.
pub fn answers_query(answers: &[(String, String)]) -> String {
    answers
        .iter()
        .map(|(q, v)| format!("{}={}", encode(&format!("{ANSWER_PREFIX}{q}")), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The link that shows one question of the wizard again with these answers.
pub fn question_href(theme: &str, answers: &[(String, String)], question: &str) -> String {
    href(theme, answers, Some(("show", question)))
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub fn page(
    catalog: &Catalog,
    theme_id: &str,
    params: &[(String, String)],
    lang: Lang,
    today: time::Date,
) -> Option<WizardView> {
    let theme = catalog.theme(theme_id)?;
    let named_theme = Named {
        id: theme.id.clone(),
        name: theme.name.clone(),
    };
    let start_href = format!("/themes/{}", encode(&theme.id));
    if theme.historical {
        return Some(WizardView {
            theme: named_theme,
            carried: Vec::new(),
            back_href: start_href,
            page: WizardPage::NotStartable,
        });
    }
    let parsed = parse(theme, params);
    let roadmap = plan(theme, catalog, &parsed.answers).ok()?;
    let shown: Vec<&str> = roadmap.questions.iter().map(|q| q.id.as_str()).collect();
    let from = param(params, "from").filter(|f| shown.contains(f));
    let show = param(params, "show").filter(|s| shown.contains(s));

    // The question to show: the one just submitted if its answer has a problem or is missing; after a Continue, the
    // next shown question (even if answered: going forward again keeps answers); a Back or Change link's question;
    // otherwise the first unanswered one.
    let submitted_problem = from.and_then(|f| {
        parsed
            .problems
            .iter()
            .find(|(q, _)| q == f)
            .map(|(_, p)| p.clone())
            .or_else(|| {
                parsed
                    .answers
                    .get(f)
                    .is_none()
                    .then_some(AnswerProblem::Missing)
            })
    });
    let current: Option<(&str, Option<AnswerProblem>)> = match (from, submitted_problem) {
        (Some(f), Some(p)) => Some((f, Some(p))),
        (None, _) if show.is_some() => show.map(|q| (q, None)),
        _ if roadmap.exit.is_some() => None,
        (Some(f), None) => {
            let after = shown.iter().position(|q| *q == f).map_or(0, |i| i + 1);
            shown.get(after).map(|q| (*q, None))
        }
        (None, _) => show.or(roadmap.next_question.as_deref()).map(|q| (q, None)),
    };

    let carried_except = |except: Option<&str>| -> Vec<(String, String)> {
        parsed
            .valid_raw
            .iter()
            .filter(|(q, _)| Some(q.as_str()) != except && shown.contains(&q.as_str()))
            .map(|(q, v)| (format!("{ANSWER_PREFIX}{q}"), v.clone()))
            .collect()
    };
    let answers_only: Vec<(String, String)> = parsed
        .valid_raw
        .iter()
        .filter(|(q, _)| shown.contains(&q.as_str()))
        .cloned()
        .collect();

    if let Some((qid, problem)) = current {
        let q = theme.question(qid)?;
        let position = shown.iter().position(|s| *s == qid).unwrap_or(0);
        let back_href = match position.checked_sub(1).and_then(|p| shown.get(p)) {
            Some(prev) => href(&theme.id, &answers_only, Some(("show", prev))),
            None => start_href,
        };
        let value = parsed
            .raw
            .iter()
            .find(|(id, _)| id == qid)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        return Some(WizardView {
            theme: named_theme,
            carried: carried_except(Some(qid)),
            back_href,
            page: WizardPage::Question(QuestionPage {
                id: q.id.clone(),
                text: q.text.clone(),
                help: q.help.clone(),
                kind: q.kind,
                options: q.options.clone(),
                unit: q.unit.clone(),
                min: q.min,
                max: q.max,
                value,
                error: problem,
                position: position + 1,
                total: shown.len(),
            }),
        });
    }

    let last_href = shown
        .last()
        .map(|last| href(&theme.id, &answers_only, Some(("show", last))))
        .unwrap_or_else(|| start_href.clone());

    if let Some(exit) = &roadmap.exit {
        return Some(WizardView {
            theme: named_theme,
            carried: Vec::new(),
            back_href: last_href,
            page: WizardPage::Exit(ExitPage {
                reason: exit.reason.clone(),
                instead: exit.instead.clone(),
                because: exit
                    .because
                    .iter()
                    .map(|f| describe_fact(theme, f, lang))
                    .collect(),
                change_href: href(&theme.id, &answers_only, Some(("show", &exit.question))),
            }),
        });
    }

    let named_item = |id: &str| {
        catalog
            .item(id)
            .map(|i| Named {
                id: i.id.clone(),
                name: i.name.clone(),
            })
            .unwrap_or(Named {
                id: id.to_owned(),
                name: Text::new(id, id),
            })
    };
    let number_of = |id: &str| roadmap.steps.iter().position(|s| s.id == id).map(|i| i + 1);
    let schedule = roadmap.schedule(today, catalog.calendar());
    let mut stages: Vec<Vec<RoadmapStep>> = vec![Vec::new(); roadmap.stages.len()];
    for (i, step) in roadmap.steps.iter().enumerate() {
        let item = catalog.item(&step.item);
        let view = RoadmapStep {
            number: i + 1,
            item: named_item(&step.item),
            department: catalog
                .department(&step.department)
                .map(|d| Named {
                    id: d.id.clone(),
                    name: d.name.clone(),
                })
                .unwrap_or(Named {
                    id: step.department.clone(),
                    name: Text::new(&step.department, &step.department),
                }),
            why: step.why.clone(),
            because: step
                .because
                .iter()
                .map(|f| describe_fact(theme, f, lang))
                .collect(),
            after: step.after.iter().filter_map(|a| number_of(a)).collect(),
            committed: step.committed.clone(),
            fee: item.map(|i| i.fee.clone()),
            due: schedule
                .iter()
                .find(|s| s.id == step.id)
                .map(|s| s.due.to_string())
                .unwrap_or_default(),
        };
        if let Some(stage) = stages.get_mut(step.stage) {
            stage.push(view);
        }
    }
    stages.retain(|s| !s.is_empty());
    let left_out = roadmap
        .left_out
        .iter()
        .filter_map(|l| theme.step(&l.id))
        .zip(roadmap.left_out.iter())
        .map(|(step, l)| LeftOut {
            item: named_item(step.items().first().copied().unwrap_or_default()),
            why_not: l.why_not.clone(),
            because: l
                .because
                .iter()
                .map(|f| describe_fact(theme, f, lang))
                .collect(),
        })
        .collect();
    let answers = answers_only
        .iter()
        .filter_map(|(qid, _)| {
            let q = theme.question(qid)?;
            let a = parsed.answers.get(qid)?;
            Some(AnswerRow {
                question: q.text.clone(),
                answer: answer_label(theme, qid, a, lang),
                change_href: href(&theme.id, &answers_only, Some(("show", qid))),
            })
        })
        .collect();
    let merged = MergedForm::build(catalog, theme, &roadmap);
    let form = merged
        .sections
        .iter()
        .map(|section| FormSectionPreview {
            id: section.id.clone(),
            fields: section
                .fields
                .iter()
                .filter_map(|f| merged.field(f))
                .map(|f| FieldPreview {
                    label: f.field.label.clone(),
                    required: f.field.required,
                    recipients: f
                        .departments
                        .iter()
                        .map(|d| d.short.clone().unwrap_or_else(|| d.name.clone()))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let materials = merged
        .materials
        .iter()
        .map(|m| MaterialPreview {
            name: m.name.clone(),
            form: m.form,
            count: m.count,
            required: m.required,
            shortfall_allowed: m.shortfall_allowed,
            steps: m.steps.iter().filter_map(|s| number_of(s)).collect(),
            produced_by: match &m.source {
                MaterialSource::Applicant => None,
                MaterialSource::ProducedBy { number, item, .. } => {
                    Some((*number, named_item(item)))
                }
            },
        })
        .collect();
    Some(WizardView {
        theme: named_theme,
        carried: carried_except(None),
        back_href: last_href,
        page: WizardPage::Roadmap(RoadmapPage {
            stages,
            left_out,
            critical_days: roadmap.critical_path.working_days,
            open_limits: !roadmap.critical_path.open_limits.is_empty(),
            earliest: roadmap
                .earliest_completion(today, catalog.calendar())
                .to_string(),
            answers,
            form,
            materials,
            start_answers: answers_query(&answers_only),
            start_sig: String::new(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        crate::domain::load::shipped_catalog()
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const TODAY: time::Date = time::macros::date!(2026 - 11 - 25);

    fn question(view: &WizardView) -> &QuestionPage {
        match &view.page {
            WizardPage::Question(q) => q,
            other => panic!("expected a question, got {other:?}"),
        }
    }

    #[test]
    fn starts_with_the_first_question_and_back_goes_to_the_theme() {
        let catalog = shipped();
        let view = page(&catalog, "open-restaurant", &[], Lang::Zh, TODAY).expect("theme");
        let q = question(&view);
        assert_eq!(q.position, 1);
        assert_eq!(view.back_href, "/themes/open-restaurant");
        assert!(q.error.is_none());
    }

    #[test]
    fn a_missing_or_wrong_answer_stays_on_the_question_keeping_the_input() {
        let catalog = shipped();
        let theme = catalog.theme("open-restaurant").expect("theme");
        let number_q = theme
            .questions
            .iter()
            .find(|q| q.kind == crate::domain::theme::QuestionKind::Number);
        let first = &theme.questions[0];
        let view = page(
            &catalog,
            "open-restaurant",
            &p(&[("from", &first.id)]),
            Lang::Zh,
            TODAY,
        )
        .expect("view");
        assert_eq!(question(&view).error, Some(AnswerProblem::Missing));
        let view = page(
            &catalog,
            "open-restaurant",
            &p(&[
                ("from", &first.id),
                (&format!("a.{}", first.id), "<script>"),
            ]),
            Lang::Zh,
            TODAY,
        )
        .expect("view");
        assert_eq!(question(&view).error, Some(AnswerProblem::NotAnOption));
        assert_eq!(question(&view).value, "<script>");
        if let Some(nq) = number_q {
            // Answer everything before the number question validly, then a non-number.
            let mut params = Vec::new();
            for q in &theme.questions {
                if q.id == nq.id {
                    break;
                }
                params.push((
                    format!("a.{}", q.id),
                    q.option_values()
                        .first()
                        .map(|s| s.to_string())
                        .unwrap_or("1".into()),
                ));
            }
            params.push((format!("a.{}", nq.id), "一百".to_string()));
            params.push(("from".to_string(), nq.id.clone()));
            let view = page(&catalog, "open-restaurant", &params, Lang::Zh, TODAY).expect("view");
            if let WizardPage::Question(q) = &view.page {
                assert_eq!(q.id, nq.id);
                assert_eq!(q.error, Some(AnswerProblem::NotANumber));
                assert_eq!(q.value, "一百");
            }
        }
    }

    #[test]
    fn answering_every_question_reaches_a_roadmap_with_reasons() {
        let catalog = shipped();
        let theme = catalog.theme("open-restaurant").expect("theme");
        let mut params: Vec<(String, String)> = Vec::new();
        for _ in 0..theme.questions.len() + 1 {
            let view = page(&catalog, "open-restaurant", &params, Lang::Zh, TODAY).expect("view");
            match view.page {
                WizardPage::Question(q) => {
                    // A friendly answer: "no" to yes/no (fewer exits), the middle of number ranges, first option.
                    let value = match q.kind {
                        crate::domain::theme::QuestionKind::YesNo => "no".to_string(),
                        crate::domain::theme::QuestionKind::Number => "80".to_string(),
                        crate::domain::theme::QuestionKind::Date => "2026-12-01".to_string(),
                        _ => q
                            .options
                            .first()
                            .map(|o| o.value.clone())
                            .unwrap_or_default(),
                    };
                    params.retain(|(k, _)| k != "from");
                    params.push((format!("a.{}", q.id), value));
                    params.push(("from".to_string(), q.id.clone()));
                }
                WizardPage::Roadmap(r) => {
                    assert!(!r.stages.is_empty());
                    assert!(r
                        .stages
                        .iter()
                        .flatten()
                        .any(|s| s.item.id == "samr-business-registration"));
                    assert!(!r.answers.is_empty());
                    assert!(r.answers.iter().all(|a| a.change_href.contains("show=")));
                    assert!(r.earliest.as_str() >= "2026-11-25");
                    // One merged form: the company name is asked once, for several departments.
                    let fields: Vec<_> = r.form.iter().flat_map(|s| &s.fields).collect();
                    let company = fields
                        .iter()
                        .filter(|f| f.label.zh.contains("名称"))
                        .count();
                    assert!(company >= 1);
                    assert!(
                        fields.iter().any(|f| f.recipients.len() >= 2),
                        "some field goes to several departments"
                    );
                    // The business licence is produced by step 1, never asked of the applicant.
                    assert!(r
                        .materials
                        .iter()
                        .any(|m| m.name.zh.contains("营业执照") && m.produced_by.is_some()));
                    return;
                }
                WizardPage::Exit(e) => panic!("unexpected exit: {:?}", e.reason),
                WizardPage::NotStartable => panic!("restaurant is startable"),
            }
        }
        panic!("never reached the roadmap");
    }

    #[test]
    fn historical_and_unknown_themes() {
        let catalog = shipped();
        let view = page(&catalog, "open-restaurant-2008", &[], Lang::Zh, TODAY).expect("theme");
        assert_eq!(view.page, WizardPage::NotStartable);
        assert!(page(&catalog, "nope", &[], Lang::Zh, TODAY).is_none());
    }

    #[test]
    fn query_round_trips_and_tolerates_garbage() {
        let params = decode_query(&format!("a.x={}&from=x&%zz=%&&b", encode("公司 & <b>")));
        assert_eq!(
            decode_query("q=%E9%A4%90%"),
            vec![("q".to_string(), "餐%".to_string())]
        );
        assert_eq!(
            decode_query("q=餐%e9"),
            vec![("q".to_string(), "餐\u{FFFD}".to_string())]
        );
        assert_eq!(params[0], ("a.x".to_string(), "公司 & <b>".to_string()));
        assert_eq!(params[1], ("from".to_string(), "x".to_string()));
        assert_eq!(params[2], ("%zz".to_string(), "%".to_string()));
        assert_eq!(params[3], ("b".to_string(), String::new()));
        assert_eq!(
            decode_query("a+b=c+d"),
            vec![("a b".to_string(), "c d".to_string())]
        );
    }

    #[test]
    fn encode_is_a_query_component() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode("safe-._~"), "safe-._~");
    }
}
