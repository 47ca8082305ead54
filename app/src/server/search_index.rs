//! Catalog search in the database (migrations 0002, 0018): `search_doc` holds the searched text of every theme and
//! item per language ([`search::documents`]), `search_posting` its characters and character pairs
//! ([`search::index_grams`]), one posting per gram and document, weighted by the fields that hold the gram (a name
//! weighs most). A query looks up its grams ([`Query::grams`]) by index, pre-ranks the documents found by the
//! weights of the grams they hold (a one-gram query reads them in that order straight off the index; several are
//! summed by [`search::pre_rank`]), and scores the best [`MAX_CANDIDATES`] exactly with the pure scoring of
//! [`crate::domain::search`] — so the results are those of the in-memory search (tests compare them), found without
//! a scan; only a query matching more documents than that is cut to those sharing the most grams. The index answers
//! which documents (kind, id, language); their text is scored from the catalog in memory, where it is prepared once
//! ([`search::Corpus`]), rather than read back and prepared again per query.
//!
//! The index is a copy of the catalog: [`sync`] rebuilds it at start-up when this instance's catalog is newer than
//! the stored one (`catalog_revision`, then `catalog_hash`), one instance at a time, in one transaction.
//!
//! Two statements differ by backend: a list of values travels as one JSON parameter (`json_each` in SQLite,
//! `jsonb_array_elements` in PostgreSQL), so every SQL text is a constant and user input is only ever bound.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::db::{Backend, Db, DbError};
use super::memo::Changed;
use crate::domain::catalog::Catalog;
use crate::domain::search::{self, Hit, HitKind, Query};
use crate::domain::text::Lang;

/// Changes when what the index stores changes, so each database is rebuilt once after an upgrade.
const INDEX_FORMAT: &[u8] = b"search-index-2\n";

/// The `app_meta` key of the hash of the catalog the index was built from.
pub const HASH_KEY: &str = "catalog_hash";

/// The `app_meta` key of that catalog's revision (`[catalog] revision`).
pub const REVISION_KEY: &str = "catalog_revision";

/// What [`sync`] does, given the stored index's revision and hash (if any) and this instance's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Keep,
    KeepNewer(u32),
    Rebuild,
}

/// Newer wins: a higher revision replaces the index, a lower one leaves it. At the same revision a different hash
/// means someone changed the data without raising the revision; the last to start wins, as before revisions
/// existed (an index stored before them counts as revision 0).
fn plan(stored: Option<(u32, &str)>, revision: u32, hash: &str) -> Plan {
    match stored {
        None => Plan::Rebuild,
        Some((r, _)) if r > revision => Plan::KeepNewer(r),
        Some((r, h)) if r == revision && h == hash => Plan::Keep,
        Some(_) => Plan::Rebuild,
    }
}

/// The PostgreSQL advisory lock that serialises rebuilds across instances ("hallsrch").
const SYNC_LOCK: i64 = 0x6861_6c6c_7372_6368;

/// Documents scored exactly per query, the best pre-ranked first; far more than a results page shows.
pub const MAX_CANDIDATES: i64 = 200;

/// Rows per insert statement while rebuilding.
const CHUNK: usize = 4000;

/// The content hash of a loaded catalog (hex SHA-256 of its data as JSON, with the index format): equal catalogs
/// give equal hashes on every instance. Also the catalog API's ETag.
pub fn catalog_hash(catalog: &Catalog) -> String {
    let mut hasher = Sha256::new();
    hasher.update(INDEX_FORMAT);
    // Writing into a hasher cannot fail; the catalog is plain data that always serialises.
    let _ = serde_json::to_writer(&mut hasher, catalog.parts());
    let _ = hasher.flush();
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What [`sync`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The index already held this catalog.
    UpToDate,
    /// The database holds the index of a newer catalog (a higher revision, from an instance already upgraded):
    /// it is kept; this instance is the older one of a rolling update.
    KeptNewer { stored: u32 },
    Rebuilt {
        documents: usize,
        /// Postings stored: one per gram and document.
        postings: usize,
    },
}

const DOCS_SQLITE: &str = "INSERT INTO search_doc \
     (id, kind, ref_id, lang, name, summary, department, historical, position) \
     SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
            json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), \
            json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]') \
     FROM json_each($1)";

const DOCS_POSTGRES: &str = "INSERT INTO search_doc \
     (id, kind, ref_id, lang, name, summary, department, historical, position) \
     SELECT CAST(d->>0 AS BIGINT), d->>1, d->>2, d->>3, d->>4, d->>5, d->>6, \
            CAST(d->>7 AS BIGINT), CAST(d->>8 AS BIGINT) \
     FROM jsonb_array_elements(CAST($1 AS jsonb)) AS d";

const INSERT_POSTINGS_SQLITE: &str = "INSERT INTO search_posting (gram, doc, weight) \
     SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') \
     FROM json_each($1)";

const INSERT_POSTINGS_POSTGRES: &str = "INSERT INTO search_posting (gram, doc, weight) \
     SELECT g->>0, CAST(g->>1 AS BIGINT), CAST(g->>2 AS BIGINT) \
     FROM jsonb_array_elements(CAST($1 AS jsonb)) AS g";

/// The answer of the statements that name documents (`d`), one per backend: one JSON array of
/// `[kind, id, language]`, as [`find`] reads it.
macro_rules! documents_json_sqlite {
    () => {
        "SELECT json_group_array(json_array(d.kind, d.ref_id, d.lang))"
    };
}

macro_rules! documents_json_postgres {
    () => {
        "SELECT CAST(COALESCE(json_agg(json_build_array(d.kind, d.ref_id, d.lang)), '[]') AS TEXT)"
    };
}

/// The candidates of a one-gram query (most Chinese words of one or two characters; $1 the gram): its postings in
/// key order are best first (migration 0018), so only the first [`MAX_CANDIDATES`] ($2) are read. One JSON array of
/// `[kind, id, language]` — one row, not one per candidate (each row costs a hop from the database's worker).
const CANDIDATES_ONE_SQLITE: &str = concat!(
    documents_json_sqlite!(),
    " FROM (SELECT doc FROM search_posting WHERE gram = $1 ORDER BY weight DESC, doc LIMIT $2) AS c \
     JOIN search_doc AS d ON d.id = c.doc"
);

/// As [`CANDIDATES_ONE_SQLITE`]. `OFFSET 0` keeps the lateral subquery a primary-key lookup per candidate: without
/// it the planner may prefer to hash-join a scan of every document.
const CANDIDATES_ONE_POSTGRES: &str = concat!(
    documents_json_postgres!(),
    " FROM (SELECT doc FROM search_posting WHERE gram = $1 ORDER BY weight DESC, doc LIMIT $2) AS c \
     CROSS JOIN LATERAL (SELECT * FROM search_doc WHERE id = c.doc OFFSET 0) AS d"
);

/// A posting as the next statement packs it, `doc * PACK + weight`: a weight is at most 3 + 1 + 1.
const PACK: i64 = 8;

/// The postings of a query of several grams ($1 a JSON array), packed (see [`PACK`]), as one JSON array. Their
/// weights are summed per document here ([`search::pre_rank`]): SQLite's `GROUP BY` over a temporary B-tree cost
/// twice the reading of the postings.
const POSTINGS_OF_SQLITE: &str = "SELECT json_group_array(doc * 8 + weight) FROM search_posting \
     WHERE gram IN (SELECT value FROM json_each($1))";

const POSTINGS_OF_POSTGRES: &str =
    "SELECT CAST(COALESCE(json_agg(doc * 8 + weight), '[]') AS TEXT) FROM search_posting \
     WHERE gram = ANY (ARRAY(SELECT jsonb_array_elements_text(CAST($1 AS jsonb))))";

/// The pre-ranked candidates' documents ($1 their numbers, a JSON array), as [`CANDIDATES_ONE_SQLITE`] gives them.
const DOCUMENTS_SQLITE: &str = concat!(
    documents_json_sqlite!(),
    " FROM json_each($1) AS c JOIN search_doc AS d ON d.id = c.value"
);

const DOCUMENTS_POSTGRES: &str = concat!(
    documents_json_postgres!(),
    " FROM jsonb_array_elements_text(CAST($1 AS jsonb)) AS c (id) \
     CROSS JOIN LATERAL (SELECT * FROM search_doc WHERE id = CAST(c.id AS BIGINT) OFFSET 0) AS d"
);

/// Copies the catalog into the search tables unless they already hold it. Safe when several instances start at
/// once: the check and the rebuild run in one transaction that holds the write lock (SQLite `BEGIN IMMEDIATE`) or
/// an advisory lock (PostgreSQL), so the others wait, then find the hash stored and do nothing. Readers keep
/// seeing the previous index until the commit. When instances with different catalogs start, the higher
/// `[catalog] revision` wins whatever the order (see [`plan`]): a rolling update never goes backwards.
pub async fn sync(db: &Db, catalog: &Catalog) -> Result<Synced, DbError> {
    let hash = catalog_hash(catalog);
    let mut tx = match db.backend {
        // The write lock first: a deferred transaction that read, then wrote, could fail to upgrade under a
        // concurrent writer; this one waits (busy_timeout) instead.
        Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = db.pool.begin().await?;
            sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                .bind(SYNC_LOCK)
                .execute(&mut *tx)
                .await?;
            tx
        }
    };
    let meta = |key: &'static str| {
        sqlx::query_scalar::<_, String>("SELECT value FROM app_meta WHERE key = $1").bind(key)
    };
    let stored_hash = meta(HASH_KEY).fetch_optional(&mut *tx).await?;
    let stored_revision = meta(REVISION_KEY)
        .fetch_optional(&mut *tx)
        .await?
        .and_then(|r| r.parse::<u32>().ok())
        .unwrap_or(0);
    let revision = catalog.parts().revision.unwrap_or(0);
    let stored = stored_hash.as_deref().map(|h| (stored_revision, h));
    match plan(stored, revision, &hash) {
        Plan::Keep => {
            tx.commit().await?;
            return Ok(Synced::UpToDate);
        }
        Plan::KeepNewer(stored) => {
            tx.commit().await?;
            tracing::warn!(
                revision,
                stored,
                "the database holds a newer catalog's search index; keeping it (this instance is older)"
            );
            return Ok(Synced::KeptNewer { stored });
        }
        Plan::Rebuild => {
            if stored.is_some_and(|(r, _)| r == revision) {
                tracing::warn!(
                    revision,
                    "the catalog changed without a new revision: raise `[catalog] revision` with every change"
                );
            }
        }
    }
    let (docs_sql, postings_sql) = match db.backend {
        Backend::Sqlite => (DOCS_SQLITE, INSERT_POSTINGS_SQLITE),
        Backend::Postgres => (DOCS_POSTGRES, INSERT_POSTINGS_POSTGRES),
    };
    sqlx::query("DELETE FROM search_posting")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM search_doc")
        .execute(&mut *tx)
        .await?;
    let docs = catalog.search_corpus().documents();
    let mut doc_rows = Vec::with_capacity(docs.len());
    // (gram, document) -> weight: a gram in several fields of a document is one posting, their weights summed.
    let mut weights: HashMap<(String, i64), i64> = HashMap::new();
    for (i, doc) in docs.enumerate() {
        let id = i as i64 + 1;
        doc_rows.push((
            id,
            doc.kind.code(),
            doc.id.as_str(),
            doc.lang.code(),
            clean(&doc.name),
            clean(&doc.summary),
            clean(&doc.department),
            i64::from(doc.historical),
            doc.position as i64,
        ));
        for (field, text) in doc.fields() {
            for gram in search::index_grams(text) {
                *weights.entry((gram, id)).or_default() += field.weight();
            }
        }
    }
    // In SQLite's key order (gram, heaviest first, document), so each chunk appends to the posting B-tree instead
    // of splitting pages all over it.
    let mut postings: Vec<(String, i64, i64)> = weights
        .into_iter()
        .map(|((gram, doc), weight)| (gram, doc, weight))
        .collect();
    postings.sort_unstable_by(|a, b| (&a.0, b.2, a.1).cmp(&(&b.0, a.2, b.1)));
    for chunk in doc_rows.chunks(CHUNK) {
        sqlx::query(docs_sql)
            .bind(json(chunk))
            .execute(&mut *tx)
            .await?;
    }
    for chunk in postings.chunks(CHUNK) {
        sqlx::query(postings_sql)
            .bind(json(chunk))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(HASH_KEY)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(REVISION_KEY)
    .bind(revision.to_string())
    .execute(&mut *tx)
    .await?;
    if db.backend == Backend::Postgres {
        // Fresh statistics, so the planner looks grams up by index rather than guessing from an empty table.
        sqlx::query("ANALYZE search_doc, search_posting")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    db.changed(Changed::SearchIndex);
    Ok(Synced::Rebuilt {
        documents: doc_rows.len(),
        postings: postings.len(),
    })
}

/// Rows as one JSON array parameter.
fn json<T: serde::Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).unwrap_or_else(|_| "[]".into())
}

/// JSON the database wrote itself, read; should it not read, the caller searches in memory instead.
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Query(sqlx::Error::Decode(Box::new(e))))
}

/// PostgreSQL text cannot hold NUL; nothing else needs cleaning.
fn clean(text: &str) -> String {
    text.replace('\0', "")
}

/// The statements [`search`] runs on a backend, public for tests that check their plans: for one gram
/// ($1 the gram, $2 [`MAX_CANDIDATES`]) its candidates; for several, their postings ($1 the grams as a JSON array),
/// then the documents of the best ($1 their numbers as a JSON array).
pub fn statements(backend: Backend) -> Statements {
    match backend {
        Backend::Sqlite => Statements {
            one_gram: CANDIDATES_ONE_SQLITE,
            postings: POSTINGS_OF_SQLITE,
            documents: DOCUMENTS_SQLITE,
        },
        Backend::Postgres => Statements {
            one_gram: CANDIDATES_ONE_POSTGRES,
            postings: POSTINGS_OF_POSTGRES,
            documents: DOCUMENTS_POSTGRES,
        },
    }
}

/// See [`statements`].
#[derive(Debug, Clone, Copy)]
pub struct Statements {
    pub one_gram: &'static str,
    pub postings: &'static str,
    pub documents: &'static str,
}

/// What the index found for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Themes and items, best first.
    pub hits: Vec<Hit>,
    /// The query matched more documents than [`MAX_CANDIDATES`]: only those sharing the most grams were scored,
    /// so the hits are the closest ones, not all.
    pub cut: bool,
}

/// Themes and items matching `query`, best first, from the index (see the module comment); empty for a blank
/// query. Any text is a query: it is normalized, cut to 64 characters and only ever bound as a parameter.
pub async fn search(db: &Db, catalog: &Catalog, query: &str) -> Result<Vec<Hit>, DbError> {
    Ok(find(db, catalog, query).await?.hits.clone())
}

/// [`search`], saying whether the candidates were cut. On SQLite the answer is kept in memory
/// (`Memos::searches`, by normalized query): a common word is looked up once, not on every request.
pub async fn find(db: &Db, catalog: &Catalog, query: &str) -> Result<Arc<Found>, DbError> {
    let query = Query::new(query, catalog.synonyms());
    let memo = db.memo.as_ref().map(|m| &m.searches);
    if let Some(found) = memo.and_then(|m| m.get(query.text())) {
        return Ok(found);
    }
    let stamp = memo.map(|m| m.begin());
    let grams = query.grams();
    let found = if grams.is_empty() {
        Found {
            hits: Vec::new(),
            cut: false,
        }
    } else {
        let sql = statements(db.backend);
        let rows: String = match <[String; 1]>::try_from(grams) {
            Ok([gram]) => {
                sqlx::query_scalar(sql.one_gram)
                    .bind(gram)
                    .bind(MAX_CANDIDATES)
                    .fetch_one(&db.pool)
                    .await?
            }
            Err(grams) => {
                // Both statements on one connection: one checkout of the pool. Should another instance rebuild
                // the index between them, the numbers may name other documents; those are scored all the same
                // (or skipped, if this catalog lacks them), so that one answer is merely less well pre-ranked.
                let mut conn = db.pool.acquire().await?;
                let packed: String = sqlx::query_scalar(sql.postings)
                    .bind(serde_json::Value::from(grams).to_string())
                    .fetch_one(&mut *conn)
                    .await?;
                let packed: Vec<i64> = from_json(&packed)?;
                let best = search::pre_rank(
                    packed
                        .iter()
                        .map(|p| (p.div_euclid(PACK), p.rem_euclid(PACK))),
                    MAX_CANDIDATES as usize,
                );
                sqlx::query_scalar(sql.documents)
                    .bind(json(&best))
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        let rows: Vec<(String, String, String)> = from_json(&rows)?;
        let candidates = rows.iter().filter_map(|(kind, id, lang)| {
            Some((
                HitKind::from_code(kind)?,
                id.as_str(),
                Lang::from_code(lang)?,
            ))
        });
        Found {
            hits: catalog.search_corpus().rank_candidates(&query, candidates),
            cut: rows.len() as i64 >= MAX_CANDIDATES,
        }
    };
    let found = Arc::new(found);
    if let (Some(memo), Some(stamp)) = (memo, stamp) {
        memo.put(
            query.text().to_owned(),
            found.clone(),
            vec![Changed::SearchIndex],
            stamp,
        );
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::{plan, Plan, PACK, POSTINGS_OF_POSTGRES, POSTINGS_OF_SQLITE};
    use crate::domain::search::Field;

    #[test]
    fn a_packed_posting_holds_any_weight() {
        let heaviest: i64 = [Field::Name, Field::Summary, Field::Department]
            .iter()
            .map(|f| f.weight())
            .sum();
        assert!(heaviest < PACK);
        for sql in [POSTINGS_OF_SQLITE, POSTINGS_OF_POSTGRES] {
            assert!(sql.contains(&format!("doc * {PACK} + weight")), "{sql}");
        }
    }

    #[test]
    fn the_newer_catalog_wins_whatever_the_order() {
        assert_eq!(plan(None, 1, "a"), Plan::Rebuild);
        assert_eq!(plan(Some((1, "a")), 1, "a"), Plan::Keep);
        assert_eq!(plan(Some((1, "a")), 2, "b"), Plan::Rebuild);
        assert_eq!(plan(Some((2, "b")), 1, "a"), Plan::KeepNewer(2));
        // Same revision, other data: the last to start wins (and the operator is warned).
        assert_eq!(plan(Some((1, "a")), 1, "b"), Plan::Rebuild);
        // An index stored before revisions existed counts as revision 0.
        assert_eq!(plan(Some((0, "a")), 1, "a"), Plan::Rebuild);
    }
}
