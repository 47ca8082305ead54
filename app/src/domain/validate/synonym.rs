//! Synonym checks: every word given once, never its own meaning, and a meaning that search can actually find in
//! some theme's or item's name or summary (else the synonym leads nowhere).

use std::collections::HashMap;

use super::{at, Cx, Entity, Issue, Site};
use crate::domain::catalog::Synonym;

pub(super) fn check(cx: &mut Cx<'_>, synonyms: &[Synonym]) {
    let parts = cx.parts;
    let texts: Vec<String> = parts
        .themes
        .iter()
        .flat_map(|t| [Some(&t.name), t.summary.as_ref()])
        .chain(
            parts
                .items
                .iter()
                .flat_map(|i| [Some(&i.name), i.summary.as_ref()]),
        )
        .flatten()
        .flat_map(|t| [Some(t.zh.as_str()), t.english()])
        .flatten()
        .map(str::to_lowercase)
        .collect();
    let mut first: HashMap<String, Site> = HashMap::new();
    for (s, synonym) in synonyms.iter().enumerate() {
        let e = Entity::Synonym(s);
        let means = synonym.means.trim().to_lowercase();
        if means.is_empty() {
            cx.push(e, at!["means"], "`means` is empty".into());
        } else if !texts.iter().any(|t| t.contains(&means)) {
            cx.push(
                e,
                at!["means"],
                format!(
                    "no theme or item name or summary contains `{}`, so the synonym finds nothing",
                    synonym.means
                ),
            );
        }
        if synonym.words.is_empty() {
            cx.push(e, at!["words"], "a synonym needs at least one word".into());
        }
        for (k, word) in synonym.words.iter().enumerate() {
            let key = word.trim().to_lowercase();
            let site = Site {
                entity: e,
                path: at!["words", k],
            };
            if key.is_empty() {
                cx.push(e, site.path, "a word is empty".into());
            } else if key == means {
                cx.push(e, site.path, format!("`{word}` is its own meaning"));
            } else if let Some(earlier) = first.get(&key) {
                cx.issues.push(Issue {
                    at: site,
                    message: format!("the word `{word}` is listed twice"),
                    related: Some(earlier.clone()),
                });
            } else {
                first.insert(key, site);
            }
        }
    }
}
