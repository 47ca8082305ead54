//! Catalog search over themes and items that works for Chinese: one- and two-character words (税, 餐饮) as well as
//! longer ones (营业执照), without a word segmenter. A query matches a text when the text contains it whole, or
//! contains enough of its character bigrams; names weigh more than summaries; synonyms from the data (饭店 → 餐饮)
//! give the query more wordings.
//!
//! Pure: this module defines what is searched ([`documents`]), what an index keeps of a text ([`index_grams`]),
//! which index keys a query looks up ([`Query::grams`]) and how hits are scored and ranked. The database index
//! (`server::search_index`) stores the documents and their grams and scores its candidates with these same
//! functions; [`search`] is the in-memory reference it is tested against.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Synonym};
use super::text::{Lang, Text};

/// The longest query we look at: longer input is cut here (never an error).
pub const MAX_QUERY_CHARS: usize = 64;

/// At most this many wordings of one query (itself and its synonym replacements).
const MAX_VARIANTS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HitKind {
    Theme,
    Item,
}

impl HitKind {
    pub fn code(self) -> &'static str {
        match self {
            HitKind::Theme => "theme",
            HitKind::Item => "item",
        }
    }

    pub fn from_code(code: &str) -> Option<HitKind> {
        match code {
            "theme" => Some(HitKind::Theme),
            "item" => Some(HitKind::Item),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    pub score: u32,
}

/// A searched text field of a [`Doc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Summary,
    Department,
}

impl Field {
    /// How much a gram found in this field counts when candidates are pre-ranked: names most.
    pub fn weight(self) -> i64 {
        match self {
            Field::Name => 3,
            Field::Summary | Field::Department => 1,
        }
    }
}

/// One searchable entry in one language: what the index stores.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub kind: HitKind,
    pub id: String,
    pub lang: Lang,
    pub name: String,
    pub summary: String,
    /// An item's department name; empty for themes.
    pub department: String,
    /// A historical theme: ranked below current ones.
    pub historical: bool,
    /// Catalog order, themes first: the last tie-break.
    pub position: usize,
}

impl Doc {
    pub fn fields(&self) -> [(Field, &str); 3] {
        [
            (Field::Name, &self.name),
            (Field::Summary, &self.summary),
            (Field::Department, &self.department),
        ]
    }
}

/// A theme or item as search sees it, before it is split by language.
struct Entry<'c> {
    kind: HitKind,
    id: &'c str,
    name: &'c Text,
    summary: Option<&'c Text>,
    department: Option<&'c Text>,
    historical: bool,
}

/// Everything search looks at: every theme, and every item of a current department, in Chinese and (where
/// translated) in English.
pub fn documents(catalog: &Catalog) -> Vec<Doc> {
    let themes = catalog.themes().iter().map(|theme| Entry {
        kind: HitKind::Theme,
        id: &theme.id,
        name: &theme.name,
        summary: theme.summary.as_ref(),
        department: None,
        historical: theme.historical,
    });
    let items = catalog.items().iter().filter_map(|item| {
        let department = catalog.department(&item.department);
        // Items of departments that no longer exist only appear inside historical themes.
        if department.is_some_and(|d| d.historical) {
            return None;
        }
        Some(Entry {
            kind: HitKind::Item,
            id: &item.id,
            name: &item.name,
            summary: item.summary.as_ref(),
            department: department.map(|d| &d.name),
            historical: false,
        })
    });
    let mut docs = Vec::new();
    for (position, entry) in themes.chain(items).enumerate() {
        let doc = |lang, name: &str, summary: Option<&str>, department: Option<&str>| Doc {
            kind: entry.kind,
            id: entry.id.to_owned(),
            lang,
            name: name.to_owned(),
            summary: summary.unwrap_or_default().to_owned(),
            department: department.unwrap_or_default().to_owned(),
            historical: entry.historical,
            position,
        };
        docs.push(doc(
            Lang::Zh,
            &entry.name.zh,
            entry.summary.map(|s| s.zh.as_str()),
            entry.department.map(|d| d.zh.as_str()),
        ));
        if let Some(en) = entry.name.english() {
            docs.push(doc(
                Lang::En,
                en,
                entry.summary.and_then(Text::english),
                entry.department.and_then(Text::english),
            ));
        }
    }
    docs
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

/// The characters of a text as searched: lower-cased, whitespace and control characters dropped.
fn search_chars(s: &str) -> Vec<char> {
    squeeze(&s.to_lowercase()).chars().collect()
}

/// A lower-cased text without its whitespace and control characters (borrowed when it has none).
fn squeeze(lower: &str) -> std::borrow::Cow<'_, str> {
    let dropped = |c: char| c.is_whitespace() || c.is_control();
    if lower.contains(dropped) {
        lower
            .chars()
            .filter(|&c| !dropped(c))
            .collect::<String>()
            .into()
    } else {
        lower.into()
    }
}

/// What an index keeps of a text: its characters and its pairs of neighbouring characters (lower-cased,
/// whitespace and control characters dropped). Every text that [`Query::score`] matches shares at least one of
/// these with the query's [`Query::grams`], so looking those up finds every candidate.
pub fn index_grams(text: &str) -> BTreeSet<String> {
    let chars = search_chars(text);
    let unigrams = chars.iter().map(char::to_string);
    let pairs = chars.windows(2).map(|w| w.iter().collect::<String>());
    unigrams.chain(pairs).collect()
}

/// A text ready to be scored against every wording of a query.
#[derive(Debug, Clone, PartialEq)]
struct Prepared {
    lower: String,
    /// Lower-cased, whitespace dropped: it contains a bigram exactly when the text's bigrams include it.
    squeezed: String,
}

impl Prepared {
    fn new(text: &str) -> Prepared {
        let lower = text.to_lowercase();
        let squeezed = squeeze(&lower).into_owned();
        Prepared { lower, squeezed }
    }
}

/// One wording of a query.
#[derive(Debug, Clone)]
struct Variant {
    text: String,
    terms: Vec<String>,
    /// Its bigrams (whitespace dropped), repeats kept.
    grams: Vec<String>,
}

impl Variant {
    fn new(text: String) -> Variant {
        let terms = text
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let grams = search_chars(&text)
            .windows(2)
            .map(|w| w.iter().collect())
            .collect();
        Variant { text, terms, grams }
    }

    /// How well a text matches: 0 for no match.
    fn score_text(&self, text: &Prepared) -> u32 {
        if text.lower.contains(&self.text) {
            return 100;
        }
        // Every whitespace-separated term present ("营业执照 餐饮").
        if self.terms.len() > 1 && self.terms.iter().all(|t| text.lower.contains(t.as_str())) {
            return 80;
        }
        // Enough shared bigrams: a query of 3+ characters written a little differently (食品经营许可证 vs 食品经营许可).
        if self.grams.len() >= 2 {
            let shared = self
                .grams
                .iter()
                .filter(|g| text.squeezed.contains(g.as_str()))
                .count();
            if shared * 3 >= self.grams.len() * 2 {
                return (60 * shared / self.grams.len()) as u32;
            }
        }
        0
    }

    /// The index keys that find every text this wording matches.
    fn lookup(&self, out: &mut BTreeSet<String>) {
        let chars = search_chars(&self.text);
        if chars.len() == 1 {
            out.extend(chars.iter().map(char::to_string));
        }
        out.extend(self.grams.iter().cloned());
        // A one-character term of a longer query ("税 登记") is found by its character.
        for term in &self.terms {
            if term.chars().count() == 1 {
                out.insert(term.clone());
            }
        }
    }
}

/// A normalized query and its wordings: itself, and each listed synonym in it replaced by what it means.
#[derive(Debug, Clone)]
pub struct Query {
    variants: Vec<Variant>,
}

impl Query {
    pub fn new(raw: &str, synonyms: &[Synonym]) -> Query {
        let text = normalize(raw);
        let mut found: Vec<(String, String)> = Vec::new();
        if !text.is_empty() {
            for synonym in synonyms {
                let means = normalize(&synonym.means);
                for word in synonym.words.iter().map(|w| normalize(w)) {
                    if !word.is_empty() && !means.is_empty() && text.contains(&word) {
                        found.push((word, means.clone()));
                    }
                }
            }
        }
        // The longest words first: the most specific wordings survive the cap.
        found.sort_by_key(|(word, _)| std::cmp::Reverse(word.chars().count()));
        let mut texts = vec![text.clone()];
        for (word, means) in found {
            let variant = text.replace(&word, &means);
            if texts.len() < MAX_VARIANTS && !texts.contains(&variant) {
                texts.push(variant);
            }
        }
        Query {
            variants: texts.into_iter().map(Variant::new).collect(),
        }
    }

    /// The query as the user meant it (normalized; what the results page shows).
    pub fn text(&self) -> &str {
        &self.variants[0].text
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// The index keys to look up, sorted and distinct: any document [`Query::score`] matches holds one of them.
    pub fn grams(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        if !self.is_empty() {
            self.variants.iter().for_each(|v| v.lookup(&mut out));
        }
        out.into_iter().collect()
    }

    /// How well a document matches, 0 for not at all: the best wording, a name hit counting three times a
    /// summary or department hit.
    pub fn score(&self, doc: &Doc) -> u32 {
        self.score_fields(&doc.fields().map(|(_, text)| Prepared::new(text)))
    }

    /// [`Query::score`] of a document of a [`Corpus`], whose texts are prepared once.
    fn score_fields(&self, [name, summary, department]: &[Prepared; 3]) -> u32 {
        if self.is_empty() {
            return 0;
        }
        self.variants
            .iter()
            .map(|v| {
                let other = v.score_text(summary).max(v.score_text(department));
                (v.score_text(name) * 3).max(other)
            })
            .max()
            .unwrap_or(0)
    }
}

/// The pre-rank of an index's candidates: from the postings (document number, weight) of a query's grams, the
/// documents by the weights of the grams they hold, summed, heaviest first (then by number): at most `limit`, which
/// are then scored exactly. A document holding more of the query's grams, in its name above all ([`Field::weight`]),
/// comes first.
pub fn pre_rank(postings: impl IntoIterator<Item = (i64, i64)>, limit: usize) -> Vec<i64> {
    let mut sums: HashMap<i64, i64> = HashMap::new();
    for (doc, weight) in postings {
        *sums.entry(doc).or_default() += weight;
    }
    let mut ranked: Vec<(i64, i64)> = sums.into_iter().collect();
    let best_first = |a: &(i64, i64), b: &(i64, i64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if ranked.len() > limit && limit > 0 {
        ranked.select_nth_unstable_by(limit - 1, best_first);
    }
    ranked.truncate(limit);
    ranked.sort_unstable_by(best_first);
    ranked.into_iter().map(|(doc, _)| doc).collect()
}

/// Hits from scored documents (one per theme or item, its best language), best first: current themes a point
/// above historical ones, themes before items on equal scores, then catalog order.
pub fn rank<'d>(scored: impl IntoIterator<Item = (&'d Doc, u32)>) -> Vec<Hit> {
    let mut best: HashMap<(HitKind, &str), (u32, usize)> = HashMap::new();
    for (doc, score) in scored {
        if score == 0 {
            continue;
        }
        let score = if doc.kind == HitKind::Theme && !doc.historical {
            score + 1
        } else {
            score
        };
        let entry = best
            .entry((doc.kind, doc.id.as_str()))
            .or_insert((score, doc.position));
        entry.0 = entry.0.max(score);
    }
    let mut hits: Vec<(Hit, usize)> = best
        .into_iter()
        .map(|((kind, id), (score, position))| {
            let hit = Hit {
                kind,
                id: id.to_owned(),
                score,
            };
            (hit, position)
        })
        .collect();
    hits.sort_by(|(a, pa), (b, pb)| {
        b.score
            .cmp(&a.score)
            .then_with(|| (a.kind == HitKind::Item).cmp(&(b.kind == HitKind::Item)))
            .then_with(|| pa.cmp(pb))
    });
    hits.into_iter().map(|(hit, _)| hit).collect()
}

/// Themes and items matching `query`, best first; empty for a blank query. In memory, over every document: the
/// reference the database index is tested against, and its fallback.
pub fn search(catalog: &Catalog, query: &str) -> Vec<Hit> {
    let query = Query::new(query, catalog.synonyms());
    catalog.search_corpus().score_all(&query)
}

/// A document with its texts prepared for scoring.
#[derive(Debug, Clone, PartialEq)]
struct PreparedDoc {
    doc: Doc,
    fields: [Prepared; 3],
}

/// A catalog's [`documents`], each prepared for scoring once, found by theme or item id and language: the
/// database index finds a query's candidates, this scores them without reading their text back from the database.
/// Built with the catalog ([`Catalog::search_corpus`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    entries: Vec<PreparedDoc>,
    by_id: HashMap<(HitKind, Lang), HashMap<String, usize>>,
}

impl Corpus {
    pub fn new(docs: Vec<Doc>) -> Corpus {
        let mut by_id: HashMap<(HitKind, Lang), HashMap<String, usize>> = HashMap::new();
        let entries = docs
            .into_iter()
            .enumerate()
            .map(|(i, doc)| {
                by_id
                    .entry((doc.kind, doc.lang))
                    .or_default()
                    .entry(doc.id.clone())
                    .or_insert(i);
                let fields = doc.fields().map(|(_, text)| Prepared::new(text));
                PreparedDoc { doc, fields }
            })
            .collect();
        Corpus { entries, by_id }
    }

    /// Every document, in catalog order (themes first), Chinese before English.
    pub fn documents(&self) -> impl ExactSizeIterator<Item = &Doc> {
        self.entries.iter().map(|e| &e.doc)
    }

    fn entry(&self, kind: HitKind, id: &str, lang: Lang) -> Option<&PreparedDoc> {
        let i = *self.by_id.get(&(kind, lang))?.get(id)?;
        self.entries.get(i)
    }

    /// Every document scored and ranked.
    fn score_all(&self, query: &Query) -> Vec<Hit> {
        rank(
            self.entries
                .iter()
                .map(|e| (&e.doc, query.score_fields(&e.fields))),
        )
    }

    /// The candidates an index found, by kind, id and language, scored and ranked; ids this catalog does not hold
    /// (an index built from another catalog) are skipped.
    pub fn rank_candidates<'a>(
        &self,
        query: &Query,
        candidates: impl IntoIterator<Item = (HitKind, &'a str, Lang)>,
    ) -> Vec<Hit> {
        rank(
            candidates
                .into_iter()
                .filter_map(|(kind, id, lang)| self.entry(kind, id, lang))
                .map(|e| (&e.doc, query.score_fields(&e.fields))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synonym(words: &[&str], means: &str) -> Synonym {
        Synonym {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            means: means.into(),
        }
    }

    fn doc(name: &str, summary: &str) -> Doc {
        Doc {
            kind: HitKind::Item,
            id: "x".into(),
            lang: Lang::Zh,
            name: name.into(),
            summary: summary.into(),
            department: String::new(),
            historical: false,
            position: 0,
        }
    }

    #[test]
    fn pre_rank_sums_each_documents_weights_and_keeps_the_heaviest() {
        // Document 7 holds two grams in its summary (1 + 1), 3 one in its name (3), 5 one in name and summary
        // (3 + 1), 9 one in its summary (1), 2 the same as 7.
        let postings = [(7, 1), (3, 3), (5, 4), (9, 1), (7, 1), (2, 1), (2, 1)];
        assert_eq!(pre_rank(postings, 10), vec![5, 3, 2, 7, 9]);
        // Cut to the heaviest; equal sums by number.
        assert_eq!(pre_rank(postings, 3), vec![5, 3, 2]);
        assert_eq!(pre_rank(postings, 1), vec![5]);
        assert!(pre_rank(postings, 0).is_empty());
        assert!(pre_rank([], 5).is_empty());
    }

    fn score(query: &str, name: &str) -> u32 {
        Query::new(query, &[]).variants[0].score_text(&Prepared::new(name))
    }

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
        assert_eq!(score("税", "税务登记"), 100);
        assert!(score("餐饮", "开办餐饮店") > 0);
        assert_eq!(score("餐饮", "结婚登记"), 0);
        assert!(score("食品经营许可证", "食品经营许可") > 0);
        assert_eq!(score("营业执照 餐饮", "餐饮店的营业执照"), 80);
    }

    #[test]
    fn names_weigh_three_times_summaries() {
        let q = Query::new("餐饮", &[]);
        assert_eq!(q.score(&doc("开办餐饮店", "")), 300);
        assert_eq!(q.score(&doc("开店", "餐饮服务")), 100);
        assert_eq!(q.score(&doc("开店", "")), 0);
    }

    #[test]
    fn synonyms_add_wordings() {
        let synonyms = [
            synonym(&["饭店", "餐馆"], "餐饮"),
            synonym(&["开饭店"], "开办餐饮店"),
            synonym(&["Diner"], "Restaurant"),
        ];
        let q = Query::new("开饭店", &synonyms);
        assert_eq!(q.text(), "开饭店");
        let texts: Vec<&str> = q.variants.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts, vec!["开饭店", "开办餐饮店", "开餐饮"]);
        assert_eq!(q.score(&doc("开办餐饮店", "")), 300);
        let q = Query::new("饭店", &synonyms);
        assert_eq!(q.score(&doc("开办餐饮店", "")), 300);
        let q = Query::new("a DINER", &synonyms);
        assert_eq!(q.score(&doc("open a restaurant", "")), 300);
    }

    #[test]
    fn every_match_shares_a_gram_with_the_query() {
        let texts = [
            "税务登记",
            "开办餐饮店",
            "食品经营许可",
            "open a restaurant",
            "餐饮店的营业执照",
        ];
        let queries = [
            "税",
            "餐饮",
            "食品经营许可证",
            "restaurant",
            "营业执照 餐饮",
            "a",
            "税 登记",
        ];
        for query in queries {
            let q = Query::new(query, &[]);
            let grams: BTreeSet<String> = q.grams().into_iter().collect();
            for text in texts {
                if q.score(&doc(text, "")) > 0 {
                    assert!(
                        index_grams(text).intersection(&grams).next().is_some(),
                        "{query} matches {text} but shares no gram"
                    );
                }
            }
        }
        assert_eq!(Query::new("税", &[]).grams(), vec!["税"]);
        assert_eq!(Query::new("餐饮", &[]).grams(), vec!["餐饮"]);
        assert_eq!(Query::new("  ", &[]).grams(), Vec::<String>::new());
        assert_eq!(
            index_grams("Ab 税"),
            ["a", "b", "ab", "b税", "税"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        );
    }

    proptest::proptest! {
        /// The index finds every candidate: a text the query matches shares a gram with it.
        #[test]
        fn any_match_shares_a_gram(text in "[税务登记餐饮 aB]{0,12}", query in "[税务登记餐饮 ab]{0,6}") {
            let q = Query::new(&query, &[]);
            if q.score(&doc(&text, "")) > 0 {
                let grams: BTreeSet<String> = q.grams().into_iter().collect();
                proptest::prop_assert!(index_grams(&text).intersection(&grams).next().is_some());
            }
        }
    }

    #[test]
    fn hostile_input_is_just_text() {
        for q in [
            "'; DROP TABLE account; --",
            "<script>alert(1)</script>",
            "😀🍜",
            "%_\\",
        ] {
            let q = Query::new(q, &[]);
            let _ = q.score(&doc("开办餐饮店", ""));
            assert!(!q.grams().is_empty());
        }
    }

    #[test]
    fn the_corpus_scores_candidates_as_the_query_scores_documents() {
        let docs = vec![
            doc("开办餐饮店", "餐饮服务"),
            Doc {
                id: "y".into(),
                position: 1,
                ..doc("税务登记", "")
            },
            Doc {
                id: "y".into(),
                lang: Lang::En,
                position: 1,
                ..doc("tax registration", "")
            },
        ];
        let corpus = Corpus::new(docs.clone());
        assert_eq!(corpus.documents().cloned().collect::<Vec<_>>(), docs);
        for text in ["餐饮", "税", "registration", "登记 税", "zz"] {
            let q = Query::new(text, &[]);
            let expected = rank(docs.iter().map(|d| (d, q.score(d))));
            assert_eq!(corpus.score_all(&q), expected, "{text}");
            let keys = docs.iter().map(|d| (d.kind, d.id.as_str(), d.lang));
            assert_eq!(corpus.rank_candidates(&q, keys), expected, "{text}");
        }
        // Candidates of another catalog's index are skipped, not guessed at.
        let q = Query::new("税", &[]);
        let stale = [
            (HitKind::Item, "gone", Lang::Zh),
            (HitKind::Theme, "y", Lang::Zh),
        ];
        assert_eq!(corpus.rank_candidates(&q, stale), Vec::new());
        let hits = corpus.rank_candidates(&q, [(HitKind::Item, "y", Lang::Zh)]);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "y");
    }

    #[test]
    fn ranking_prefers_current_themes_then_themes_then_catalog_order() {
        let theme = |id: &str, historical: bool, position: usize| Doc {
            kind: HitKind::Theme,
            id: id.into(),
            historical,
            position,
            ..doc("", "")
        };
        let old = theme("old", true, 0);
        let new = theme("new", false, 1);
        let item = Doc {
            position: 2,
            ..doc("", "")
        };
        let en = Doc {
            lang: Lang::En,
            ..old.clone()
        };
        let hits = rank([(&old, 300), (&item, 301), (&new, 300), (&en, 100)]);
        let ids: Vec<(&str, u32)> = hits.iter().map(|h| (h.id.as_str(), h.score)).collect();
        assert_eq!(ids, vec![("new", 301), ("x", 301), ("old", 300)]);
    }
}
