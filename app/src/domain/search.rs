//! Catalog search over themes and items that works for Chinese: one- and two-character words (税, 餐饮) as well as
//! longer ones (营业执照), without a word segmenter. A query matches a text when the text contains it whole, or
//! contains enough of its character bigrams; names weigh more than summaries. Pure and in memory: the whole
//! catalog (thousands of entries) is scanned in well under a millisecond per query.

use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
use super::text::Text;

/// The longest query we look at: longer input is cut here (never an error).
pub const MAX_QUERY_CHARS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitKind {
    Theme,
    Item,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    pub score: u32,
}

/// The query as searched: trimmed, lower-cased, control characters dropped, cut to [`MAX_QUERY_CHARS`].
pub fn normalize(query: &str) -> String {
    query
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect()
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How well `text` matches the normalized query: 0 for no match.
fn score_text(query: &str, terms: &[&str], grams: &[(char, char)], text: &str) -> u32 {
    let text = text.to_lowercase();
    if text.contains(query) {
        return 100;
    }
    // Every whitespace-separated term present ("营业执照 餐饮").
    if terms.len() > 1 && terms.iter().all(|t| text.contains(t)) {
        return 80;
    }
    // Enough shared bigrams: a query of 3+ characters written a little differently (食品经营许可证 vs 食品经营许可).
    if grams.len() >= 2 {
        let text_grams = bigrams(&text);
        let shared = grams.iter().filter(|g| text_grams.contains(g)).count();
        if shared * 3 >= grams.len() * 2 {
            return (60 * shared / grams.len()) as u32;
        }
    }
    0
}

fn score_entry(query: &str, name: &Text, extra: &[Option<&Text>]) -> u32 {
    let terms: Vec<&str> = query.split(' ').filter(|t| !t.is_empty()).collect();
    let grams = bigrams(query);
    let name_score = [Some(name.zh.as_str()), name.english()]
        .into_iter()
        .flatten()
        .map(|t| score_text(query, &terms, &grams, t))
        .max()
        .unwrap_or(0);
    let extra_score = extra
        .iter()
        .flatten()
        .flat_map(|t| [Some(t.zh.as_str()), t.english()])
        .flatten()
        .map(|t| score_text(query, &terms, &grams, t))
        .max()
        .unwrap_or(0);
    (name_score * 3).max(extra_score)
}

/// Themes and items matching `query`, best first (themes before items on equal scores); empty for a blank query.
pub fn search(catalog: &Catalog, query: &str) -> Vec<Hit> {
    let query = normalize(query);
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for theme in catalog.themes() {
        let score = score_entry(&query, &theme.name, &[theme.summary.as_ref()]);
        if score > 0 {
            // Current themes before historical ones.
            let score = if theme.historical { score } else { score + 1 };
            hits.push(Hit {
                kind: HitKind::Theme,
                id: theme.id.clone(),
                score,
            });
        }
    }
    for item in catalog.items() {
        let department = catalog.department(&item.department);
        if department.is_some_and(|d| d.historical) {
            continue;
        }
        let dept_name = department.map(|d| &d.name);
        let score = score_entry(&query, &item.name, &[item.summary.as_ref(), dept_name]);
        if score > 0 {
            hits.push(Hit {
                kind: HitKind::Item,
                id: item.id.clone(),
                score,
            });
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| (a.kind == HitKind::Item).cmp(&(b.kind == HitKind::Item)))
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_trims_cuts_and_drops_controls() {
        assert_eq!(normalize("  营业\u{0}执照  "), "营业执照");
        assert_eq!(normalize("Food   LICENCE"), "food licence");
        assert_eq!(
            normalize(&"税".repeat(10_000)).chars().count(),
            MAX_QUERY_CHARS
        );
        assert_eq!(normalize(" \t\n"), "");
    }

    #[test]
    fn short_and_long_chinese_words_match() {
        let q = normalize("税");
        assert_eq!(score_text(&q, &[&q], &bigrams(&q), "税务登记"), 100);
        let q = normalize("餐饮");
        assert!(score_text(&q, &[&q], &bigrams(&q), "开办餐饮店") > 0);
        assert_eq!(score_text(&q, &[&q], &bigrams(&q), "结婚登记"), 0);
        let q = normalize("食品经营许可证");
        assert!(score_text(&q, &[&q], &bigrams(&q), "食品经营许可") > 0);
    }

    #[test]
    fn hostile_input_is_just_text() {
        for q in [
            "'; DROP TABLE account; --",
            "<script>alert(1)</script>",
            "😀🍜",
            "%_\\",
        ] {
            let q = normalize(q);
            let _ = score_text(&q, &[&q], &bigrams(&q), "开办餐饮店");
        }
    }
}
