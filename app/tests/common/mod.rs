//! What the database test suites share: the shipped catalog, a database per test (a fresh SQLite file, or
//! `DATABASE_URL`'s PostgreSQL, which the tests share) and names no other test or run uses.

// Each suite is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::Path;

use app::domain::Catalog;
use app::server::db::Db;

/// The catalog shipped in `server/catalog`.
pub fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/catalog");
    app::domain::load::load_catalog(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// A database for one test: `DATABASE_URL` when it names PostgreSQL, else a fresh SQLite file in a temp dir named
/// after the suite and the test.
pub async fn test_db(suite: &str, name: &str) -> Db {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            let dir =
                std::env::temp_dir().join(format!("hall-{suite}-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/hall.db?mode=rwc", dir.display())
        }
    };
    Db::connect(&url, 4).await.expect("connect and migrate")
}

/// A name no other test, project or run uses (logins, themes …), for tests sharing one PostgreSQL database.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}
