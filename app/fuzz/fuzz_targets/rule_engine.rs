//! The rule engine given any raw answers to any shipped theme's questions: a roadmap or an error, never a panic;
//! each step of a roadmap is planned, pending or left out, at most once.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use app::domain::answer::Answers;
use app::domain::load::load_catalog;
use app::domain::roadmap::plan;
use app::domain::Catalog;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        load_catalog(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../server/catalog")))
            .expect("the shipped catalog is valid")
    })
}

fuzz_target!(|input: (u8, Vec<&str>)| {
    let (which, raw) = input;
    let catalog = catalog();
    let themes: Vec<_> = catalog.current_themes().collect();
    let theme = themes[usize::from(which) % themes.len()];
    let mut answers = Answers::new();
    for (question, raw) in theme.questions.iter().zip(&raw) {
        if let Ok(answer) = question.parse_answer(raw) {
            answers.insert(question.id.clone(), answer);
        }
    }
    if let Ok(roadmap) = plan(theme, catalog, &answers) {
        let mut seen: Vec<&str> = roadmap
            .steps
            .iter()
            .map(|s| s.id.as_str())
            .chain(roadmap.pending.iter().map(|s| s.id.as_str()))
            .chain(roadmap.left_out.iter().map(|s| s.id.as_str()))
            .collect();
        let n = seen.len();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), n, "a step twice");
    }
});
