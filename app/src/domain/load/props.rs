//! Property tests over the shipped catalog (issue #10): the loader given damaged files, and the rule engine given
//! any answers, never panic — the loader answers with errors that name a file, the engine with a roadmap or an
//! error.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;
use crate::domain::answer::Answers;
use crate::domain::roadmap::plan;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/catalog");

/// Every `.toml` file of the shipped catalog, relative to its root, with its text.
fn shipped_sources() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    walk(Path::new(SHIPPED), &mut paths, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (
                p.strip_prefix(SHIPPED).expect("under the root").to_owned(),
                text,
            )
        })
        .collect()
}

fn shipped() -> &'static (Vec<(PathBuf, String)>, Catalog) {
    static SHIPPED_CATALOG: std::sync::OnceLock<(Vec<(PathBuf, String)>, Catalog)> =
        std::sync::OnceLock::new();
    SHIPPED_CATALOG.get_or_init(|| {
        let sources = shipped_sources();
        let catalog =
            load_sources(Path::new(""), &sources).unwrap_or_else(|errors| panic!("{errors}"));
        (sources, catalog)
    })
}

/// One damage to one file: a byte range cut out, or a string put in.
#[derive(Debug, Clone)]
enum Damage {
    Cut {
        file: usize,
        at: usize,
        len: usize,
    },
    Insert {
        file: usize,
        at: usize,
        text: String,
    },
    Replace {
        file: usize,
        text: String,
    },
}

fn damage() -> impl Strategy<Value = Damage> {
    let file = any::<usize>();
    let text = prop_oneof![
        "[\\[\\]{}=\"'#.,\n a-z0-9_-]{0,40}",
        "\\PC{0,20}",
        Just("id = \"samr\"\n".to_owned()),
        Just("[[item]]\n".to_owned()),
        Just("after = [\"nowhere\"]\n".to_owned()),
        Just("condition = \"q == \"\n".to_owned()),
    ];
    prop_oneof![
        (file, any::<usize>(), 0usize..400).prop_map(|(file, at, len)| Damage::Cut {
            file,
            at,
            len
        }),
        (file, any::<usize>(), text.clone()).prop_map(|(file, at, text)| Damage::Insert {
            file,
            at,
            text
        }),
        (file, text).prop_map(|(file, text)| Damage::Replace { file, text }),
    ]
}

/// The nearest char boundary at or before `at`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(sources: &[(PathBuf, String)], damage: &Damage) -> (Vec<(PathBuf, String)>, PathBuf) {
    let mut out = sources.to_vec();
    let n = out.len();
    let index = match damage {
        Damage::Cut { file, .. } | Damage::Insert { file, .. } | Damage::Replace { file, .. } => {
            file % n
        }
    };
    let (path, text) = &mut out[index];
    match damage {
        Damage::Cut { at, len, .. } => {
            let start = boundary(text, at % (text.len() + 1));
            let end = boundary(text, start + len);
            text.replace_range(start..end, "");
        }
        Damage::Insert { at, text: put, .. } => {
            let at = boundary(text, at % (text.len() + 1));
            text.insert_str(at, put);
        }
        Damage::Replace { text: put, .. } => *text = put.clone(),
    }
    let path = path.clone();
    (out, path)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// Damaged catalog files load or are refused with errors, never a panic; every error names a file.
    #[test]
    fn the_loader_survives_any_damage(d in damage()) {
        let (sources, _) = shipped();
        let (damaged, _) = apply(sources, &d);
        if let Err(CatalogErrors(errors)) = load_sources(Path::new(""), &damaged) {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                let text = e.to_string();
                prop_assert!(text.contains(".toml"), "an error without its file: {text}");
            }
        }
    }

    /// Any raw answers to any shipped theme's questions give a roadmap or an error, never a panic; an answer the
    /// question cannot take is refused before it reaches the engine.
    #[test]
    fn the_rule_engine_takes_any_answers(
        theme in any::<usize>(),
        raw in proptest::collection::vec(
            prop_oneof!["\\PC{0,12}", "-?[0-9]{1,12}(\\.[0-9]{0,4})?", "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
                        Just("yes".to_owned()), Just("no".to_owned())],
            0..24,
        ),
    ) {
        let (_, catalog) = shipped();
        let themes: Vec<_> = catalog.current_themes().collect();
        let theme = themes[theme % themes.len()];
        let mut answers = Answers::new();
        for (question, raw) in theme.questions.iter().zip(&raw) {
            if let Ok(answer) = question.parse_answer(raw) {
                answers.insert(question.id.clone(), answer);
            }
        }
        if let Ok(roadmap) = plan(theme, catalog, &answers) {
            // Each step is planned, pending or left out (with its reason) — at most one of them — and the stages
            // hold exactly the planned steps.
            let mut seen: Vec<&str> = roadmap.steps.iter().map(|s| s.id.as_str())
                .chain(roadmap.pending.iter().map(|s| s.id.as_str()))
                .chain(roadmap.left_out.iter().map(|s| s.id.as_str()))
                .collect();
            let listed = seen.len();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), listed, "{}: a step in two lists", theme.id);
            let mut staged: Vec<&str> = roadmap.stages.iter().flatten().map(String::as_str).collect();
            let mut planned: Vec<&str> = roadmap.steps.iter().map(|s| s.id.as_str()).collect();
            staged.sort_unstable();
            planned.sort_unstable();
            prop_assert_eq!(staged, planned);
        }
    }
}
