//! The catalog search index in the database, run by `make db-test` on SQLite (a temp file) and on PostgreSQL
//! (`DATABASE_URL`; each test in a schema of its own, since the index is one per database).

#![cfg(feature = "ssr")]

use std::path::Path;
use std::time::{Duration, Instant};

use app::domain::catalog::{Catalog, CatalogParts, Text};
use app::domain::search::{self, HitKind};
use app::server::catalog_views;
use app::server::db::{Backend, Db};
use app::server::search_index::{self, Synced};

fn shipped() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/catalog");
    app::domain::load::load_catalog(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// A database URL of its own for one test: a fresh SQLite file, or a fresh schema of `DATABASE_URL`'s PostgreSQL.
async fn fresh_url(name: &str) -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("search_test_{name}");
            let admin = Db::connect(&url, 1).await.expect("connect");
            for sql in [
                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                format!("CREATE SCHEMA {schema}"),
            ] {
                // Test-only DDL over a constant name: identifiers cannot be bound.
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&admin.pool)
                    .await
                    .expect("schema");
            }
            admin.pool.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}options=-c%20search_path%3D{schema}")
        }
        _ => {
            let dir =
                std::env::temp_dir().join(format!("hall-search-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/hall.db?mode=rwc", dir.display())
        }
    }
}

async fn indexed(name: &str, catalog: &Catalog) -> Db {
    let db = Db::connect(&fresh_url(name).await, 4)
        .await
        .expect("connect and migrate");
    search_index::sync(&db, catalog).await.expect("sync");
    db
}

async fn ids(db: &Db, catalog: &Catalog, query: &str) -> Vec<String> {
    search_index::search(db, catalog, query)
        .await
        .unwrap_or_else(|e| panic!("search {query:?}: {e}"))
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[tokio::test]
async fn concurrent_starts_rebuild_once_and_a_changed_catalog_rebuilds() {
    let url = fresh_url("sync").await;
    let catalog = shipped();
    // Two instances starting at once over the same database (migrated by the first to connect).
    let a = Db::connect(&url, 2).await.expect("instance a");
    let b = Db::connect(&url, 2).await.expect("instance b");
    let (first, second) = tokio::join!(
        search_index::sync(&a, &catalog),
        search_index::sync(&b, &catalog)
    );
    let mut outcomes = vec![first.expect("sync a"), second.expect("sync b")];
    outcomes.sort_by_key(|o| *o == Synced::UpToDate);
    let documents = search::documents(&catalog).len();
    assert!(
        matches!(outcomes[0], Synced::Rebuilt { documents: d, postings } if d == documents && postings > d),
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes[1],
        Synced::UpToDate,
        "the second instance waits, then finds it done"
    );
    let stored: String = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
        .bind(search_index::HASH_KEY)
        .fetch_one(&a.pool)
        .await
        .expect("hash");
    assert_eq!(stored, search_index::catalog_hash(&catalog));
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_doc")
        .fetch_one(&b.pool)
        .await
        .expect("count");
    assert_eq!(rows as usize, documents);
    assert_eq!(
        ids(&b, &catalog, "餐饮").await.first().map(String::as_str),
        Some("open-restaurant")
    );
    assert_eq!(
        search_index::sync(&b, &catalog).await.expect("again"),
        Synced::UpToDate
    );

    // An operator renames a theme: the next start rebuilds, and search finds the new wording.
    let mut parts: CatalogParts = catalog.parts().clone();
    let marriage = parts
        .themes
        .iter_mut()
        .find(|t| t.id == "marriage")
        .expect("marriage theme");
    marriage.name = Text::new("鸳鸯登记", "Mandarin-duck registration");
    parts.revision = parts.revision.map(|r| r + 1);
    let changed = Catalog::new(parts);
    assert_ne!(
        search_index::catalog_hash(&changed),
        search_index::catalog_hash(&catalog)
    );
    assert!(ids(&a, &changed, "鸳鸯").await.is_empty());
    // On SQLite `a` keeps that empty answer in memory; the rebuild must void it (checked at the end).
    if let Some(memo) = &a.memo {
        assert!(!memo.searches.is_empty(), "the answer is kept");
    }
    assert!(matches!(
        search_index::sync(&a, &changed).await.expect("changed"),
        Synced::Rebuilt { .. }
    ));
    assert_eq!(ids(&b, &changed, "鸳鸯").await, vec!["marriage"]);
    let duck = ids(&b, &changed, "duck").await;
    assert_eq!(
        duck.first().map(String::as_str),
        Some("marriage"),
        "{duck:?}"
    );
    // An instance still on the older revision (a rolling update) starts after: the newer index stays.
    assert_eq!(
        search_index::sync(&b, &catalog).await.expect("older"),
        Synced::KeptNewer {
            stored: changed.parts().revision.unwrap_or(0)
        }
    );
    assert_eq!(ids(&a, &changed, "鸳鸯").await, vec!["marriage"]);
}

#[tokio::test]
async fn short_long_and_synonym_queries_find_what_a_citizen_means() {
    let catalog = shipped();
    let db = indexed("words", &catalog).await;
    for (query, expected) in [
        ("餐饮", "open-restaurant"),
        ("饭店", "open-restaurant"),
        ("开饭店", "open-restaurant"),
        ("出生", "newborn"),
        ("生孩子", "newborn"),
        ("restaurant", "open-restaurant"),
        ("a diner", "open-restaurant"),
        ("WEDDING", "marriage"),
    ] {
        let hits = search_index::search(&db, &catalog, query)
            .await
            .expect("search");
        let first_theme = hits.iter().find(|h| h.kind == HitKind::Theme);
        assert_eq!(
            first_theme.map(|h| h.id.as_str()),
            Some(expected),
            "{query}: {hits:?}"
        );
    }
    // One character, a long word, a synonym: the best item says it in its name or summary.
    for (query, needle) in [("税", "税"), ("营业执照", "营业执照"), ("上户口", "户口")]
    {
        let hits = search_index::search(&db, &catalog, query)
            .await
            .expect("search");
        let item = hits
            .iter()
            .find(|h| h.kind == HitKind::Item)
            .and_then(|h| catalog.item(&h.id))
            .unwrap_or_else(|| panic!("no item for {query}"));
        let summary = item.summary.as_ref().map_or("", |s| s.zh.as_str());
        assert!(
            item.name.zh.contains(needle) || summary.contains(needle),
            "{query}: {}",
            item.id
        );
    }
    // Current themes above historical ones; names above summaries.
    let restaurant = ids(&db, &catalog, "开办餐饮店").await;
    let current = restaurant.iter().position(|id| id == "open-restaurant");
    let old = restaurant
        .iter()
        .position(|id| id == "open-restaurant-2008");
    assert!(current < old && old.is_some(), "{restaurant:?}");
}

#[tokio::test]
async fn the_index_gives_the_in_memory_results() {
    let catalog = shipped();
    let db = indexed("same", &catalog).await;
    let mut queries: Vec<String> = [
        "税",
        "餐饮",
        "营业执照",
        "出生",
        "户口",
        "登记",
        "证",
        "许可",
        "注销 税务",
        "食品经营许可证",
        "open",
        "licence",
        "tax registration",
        "饭店",
        "上户口",
        "zzz",
        "a",
    ]
    .iter()
    .map(|q| (*q).to_owned())
    .collect();
    queries.extend(catalog.themes().iter().map(|t| t.name.zh.clone()));
    queries.extend(catalog.items().iter().take(30).map(|i| i.name.zh.clone()));
    for query in &queries {
        let indexed = search_index::search(&db, &catalog, query)
            .await
            .expect("search");
        assert_eq!(indexed, search::search(&catalog, query), "{query}");
    }
}

#[tokio::test]
async fn any_input_is_a_query_and_nothing_else() {
    let catalog = shipped();
    let db = indexed("hostile", &catalog).await;
    let long = "餐".repeat(10_000);
    for query in [
        "'; DROP TABLE search_doc; --",
        "\" OR 1=1 --",
        "\"]'); DELETE FROM app_meta; --",
        "<script>alert(1)</script>",
        "😀🍜",
        "%_\\",
        "\u{0}\u{1}\t\n",
        "",
        "   ",
        long.as_str(),
    ] {
        let view = catalog_views::search(&db, &catalog, query, "").await;
        assert!(view.query.chars().count() <= search::MAX_QUERY_CHARS);
        assert_eq!(
            search_index::search(&db, &catalog, query)
                .await
                .expect("no error"),
            search::search(&catalog, query),
            "{query:?}"
        );
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_doc")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(rows as usize, search::documents(&catalog).len());
    let empty = catalog_views::search(&db, &catalog, "", "").await;
    assert!(empty.themes.is_empty() && !empty.suggestions.is_empty());
}

/// Both the postings and the documents are reached by index lookups, never a scan; one gram's candidates come in
/// rank order off the index, without a sort.
async fn assert_looked_up_by_index(db: &Db) {
    let sql = search_index::statements(db.backend);
    let one = plan_of(
        db,
        sql.one_gram,
        &["餐饮".into(), search_index::MAX_CANDIDATES.to_string()],
    )
    .await;
    let grams = serde_json::json!(["餐饮", "税"]).to_string();
    let postings = plan_of(db, sql.postings, &[grams]).await;
    let documents = plan_of(db, sql.documents, &["[1, 2, 3]".into()]).await;
    let (by_gram, ranked, by_id) = match db.backend {
        Backend::Sqlite => (
            "SEARCH search_posting USING PRIMARY KEY (gram=?)",
            "SEARCH search_posting USING PRIMARY KEY (gram=?)",
            "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)",
        ),
        Backend::Postgres => (
            "on search_posting",
            "Index Only Scan using search_posting_rank on search_posting",
            "Index Scan using search_doc_pkey on search_doc",
        ),
    };
    assert!(one.contains(ranked) && one.contains(by_id), "{one}");
    assert!(postings.contains(by_gram), "{postings}");
    assert!(documents.contains(by_id), "{documents}");
    for plan in [&one, &postings, &documents] {
        assert!(!plan.contains("Seq Scan"), "{plan}");
        assert!(
            !plan.contains("SCAN search_posting") && !plan.contains("SCAN d"),
            "{plan}"
        );
    }
    // One gram's best come off the index in order: nothing is sorted.
    assert!(
        !one.contains("TEMP B-TREE") && !one.contains("Sort"),
        "{one}"
    );
}

/// The plan of `sql` with these parameters (a number bound as one, anything else as text).
async fn plan_of(db: &Db, sql: &str, params: &[String]) -> String {
    let plan: Vec<String> = match db.backend {
        Backend::Sqlite => {
            let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(
                format!("EXPLAIN QUERY PLAN {sql}"),
            ));
            for p in params {
                query = match p.parse::<i64>() {
                    Ok(n) => query.bind(n),
                    Err(_) => query.bind(p.clone()),
                };
            }
            let rows = query.fetch_all(&db.pool).await.expect("plan");
            rows.into_iter().map(|r| r.3).collect()
        }
        Backend::Postgres => {
            let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")));
            for p in params {
                query = match p.parse::<i64>() {
                    Ok(n) => query.bind(n),
                    Err(_) => query.bind(p.clone()),
                };
            }
            query.fetch_all(&db.pool).await.expect("plan")
        }
    };
    let plan = plan.join("\n");
    eprintln!("{:?} plan:\n{plan}", db.backend);
    plan
}

/// The shipped catalog with its items repeated to the size of a real city's (~2,000 items).
fn city_sized(catalog: &Catalog) -> Catalog {
    let mut parts = catalog.parts().clone();
    let items = parts.items.clone();
    for copy in 1..23 {
        parts.items.extend(items.iter().map(|item| {
            let mut item = item.clone();
            item.id = format!("{}-{copy}", item.id);
            item
        }));
    }
    Catalog::new(parts)
}

/// Builds the index of `catalog` in a fresh database and times the search page over a set of queries (5 rounds):
/// prints and returns the median.
async fn timed(name: &str, catalog: &Catalog) -> (Db, Duration) {
    let db = Db::connect(&fresh_url(name).await, 4)
        .await
        .expect("connect");
    let start = Instant::now();
    let synced = search_index::sync(&db, catalog).await.expect("sync");
    let rebuild = start.elapsed();
    let queries = [
        "税",
        "餐饮",
        "营业执照",
        "出生",
        "开饭店",
        "证",
        "登记",
        "restaurant",
        "食品经营许可证",
        "zzz",
    ];
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        for query in queries {
            let start = Instant::now();
            let view = catalog_views::search(&db, catalog, query, "1").await;
            times.push(start.elapsed());
            assert!(
                query == "zzz" || !view.items.is_empty() || !view.themes.is_empty(),
                "{query}"
            );
        }
    }
    times.sort();
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    eprintln!(
        "{:?}, {} items: rebuild {rebuild:?} ({synced:?}); search page median {median:?}, max {max:?} over {} \
         queries",
        db.backend,
        catalog.items().len(),
        times.len()
    );
    (db, median)
}

#[tokio::test]
async fn the_whole_catalog_is_searched_in_well_under_50_ms() {
    let (_, median) = timed("speed", &shipped()).await;
    assert!(median < Duration::from_millis(25), "median {median:?}");
}

#[tokio::test]
async fn a_city_sized_catalog_is_searched_by_index_in_well_under_50_ms() {
    let (db, median) = timed("city", &city_sized(&shipped())).await;
    assert!(median < Duration::from_millis(50), "median {median:?}");
    assert_looked_up_by_index(&db).await;
}

/// A word common in a city's catalog pages its results, 20 of each kind at a time, says how many matched and that
/// they were cut to the closest; any page number is read as the nearest page.
#[tokio::test]
async fn many_results_come_a_page_at_a_time() {
    let catalog = city_sized(&shipped());
    let db = indexed("pages", &catalog).await;
    let per_page = app::api::catalog::SearchView::PER_PAGE;
    let first = catalog_views::search(&db, &catalog, "登记", "").await;
    assert_eq!(first.page, 1);
    assert_eq!(first.items.len(), per_page);
    assert!(first.items_found > per_page, "{}", first.items_found);
    assert!(first.many, "登记 matches more documents than are scored");
    let pages = first.items_found.max(first.themes_found).div_ceil(per_page) as i64;
    assert_eq!(first.pages, pages);
    let second = catalog_views::search(&db, &catalog, "登记", "2").await;
    assert_eq!(second.page, 2);
    assert!(second.themes.len() <= per_page && !second.items.is_empty());
    let ids = |v: &app::api::catalog::SearchView| -> Vec<String> {
        v.items.iter().map(|i| i.id.clone()).collect()
    };
    assert!(
        ids(&second).iter().all(|id| !ids(&first).contains(id)),
        "page 2 repeats page 1"
    );
    // The pages together list every hit once, in rank order.
    let hits: Vec<String> = search_index::search(&db, &catalog, "登记")
        .await
        .expect("search")
        .into_iter()
        .filter(|h| h.kind == HitKind::Item)
        .map(|h| h.id)
        .collect();
    let mut paged = Vec::new();
    for page in 1..=first.pages {
        paged.extend(ids(&catalog_views::search(
            &db,
            &catalog,
            "登记",
            &page.to_string(),
        )
        .await));
    }
    assert_eq!(paged, hits);
    for (typed, expected) in [("0", 1), ("-3", 1), ("abc", 1), ("9999", pages), (" 2 ", 2)] {
        let view = catalog_views::search(&db, &catalog, "登记", typed).await;
        assert_eq!(view.page, expected, "page {typed:?}");
    }
    // A narrow word fits one page and is not cut.
    let shipped = shipped();
    let db = indexed("pages_shipped", &shipped).await;
    let narrow = catalog_views::search(&db, &shipped, "餐饮", "").await;
    assert_eq!((narrow.pages, narrow.many), (1, false));
    assert_eq!(narrow.items.len(), narrow.items_found);
}
