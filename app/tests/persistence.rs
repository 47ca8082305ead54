//! Persistence tests, run twice by `make test`: on SQLite (a temp file) and on PostgreSQL (`DATABASE_URL`).
//!
//! Tests on PostgreSQL share one database, so each uses logins of its own.

#![cfg(feature = "ssr")]

mod common;

use app::server::accounts::{self, DemoAccount};
use app::server::db::{Backend, Db};
use common::test_db;

fn account(login: &str) -> DemoAccount {
    DemoAccount {
        login: login.into(),
        password: format!("pw-{login}"),
        display_name: "测试".into(),
        role: "citizen".into(),
        department: None,
    }
}

#[tokio::test]
async fn runs_on_the_backend_ci_asked_for() {
    let db = test_db("test", "backend").await;
    let expected = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    assert_eq!(db.backend, expected);
    db.ping().await.expect("ping");
    eprintln!("persistence tests on {:?}", db.backend);
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let db = test_db("test", "migrate").await;
    // Connecting again runs the migrator again: already applied, nothing to do, no error.
    let url_db = Db::connect(&db_url(&db).await, 2).await;
    assert!(url_db.is_ok(), "{:?}", url_db.err());
}

async fn db_url(db: &Db) -> String {
    match db.backend {
        Backend::Postgres => std::env::var("DATABASE_URL").expect("postgres url"),
        Backend::Sqlite => {
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&db.pool)
                    .await
                    .expect("database file");
            format!("sqlite://{file}")
        }
    }
}

#[tokio::test]
async fn demo_accounts_are_seeded_once_even_by_concurrent_instances() {
    let db = test_db("test", "seed").await;
    let accounts = vec![account("seed-a"), account("seed-b")];
    // Two instances starting at once over the same database.
    let (first, second) = tokio::join!(
        accounts::seed_demo_accounts(&db, &accounts),
        accounts::seed_demo_accounts(&db, &accounts)
    );
    assert_eq!(first.expect("seed") + second.expect("seed"), 2);
    assert_eq!(
        accounts::seed_demo_accounts(&db, &accounts)
            .await
            .expect("reseed"),
        0
    );
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account WHERE login LIKE 'seed-%'")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    assert_eq!(rows, 2);
    assert_eq!(
        accounts::role_of(&db, "seed-a")
            .await
            .expect("role")
            .as_deref(),
        Some("citizen")
    );
}

#[tokio::test]
async fn passwords_are_stored_hashed_and_verified() {
    let db = test_db("test", "hash").await;
    accounts::seed_demo_accounts(&db, &[account("hash-a")])
        .await
        .expect("seed");
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM account WHERE login = $1")
        .bind("hash-a")
        .fetch_one(&db.pool)
        .await
        .expect("hash");
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("pw-hash-a"));
    assert!(accounts::verify_password(&db, "hash-a", "pw-hash-a")
        .await
        .expect("verify"));
    assert!(!accounts::verify_password(&db, "hash-a", "wrong")
        .await
        .expect("verify"));
    assert!(!accounts::verify_password(&db, "nobody", "pw-hash-a")
        .await
        .expect("verify"));
}

/// Several instances started at once on a database nobody has migrated yet: every one comes up (on SQLite the
/// migrator takes no lock of its own; on PostgreSQL it takes an advisory lock).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_at_once_on_a_fresh_database_all_come_up() {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            let dir =
                std::env::temp_dir().join(format!("hall-test-{}-fresh-race", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}/hall.db?mode=rwc", dir.display())
        }
    };
    let starts: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Db::connect(&url, 2).await })
        })
        .collect();
    for (i, start) in starts.into_iter().enumerate() {
        let db = start
            .await
            .expect("join")
            .unwrap_or_else(|e| panic!("instance {i}: {e}"));
        db.ping().await.expect("ping");
    }
}

/// `server backup`: a copy taken while the database is in use holds what was committed, passes its checks, and
/// restores the documented way (SQLite: the file in place of the database; PostgreSQL: `pg_restore` into an empty
/// database); a second backup to the same file is refused.
#[tokio::test]
async fn a_backup_restores_what_was_committed() {
    use app::server::backup::{backup, BackupError};
    let db = test_db("test", "backup").await;
    let login = format!("backup-{}", std::process::id());
    accounts::seed_demo_accounts(&db, &[account(&login)])
        .await
        .expect("seed");
    let dir = std::env::temp_dir().join(format!("hall-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("copy");
    let url = db_url(&db).await;
    let done = backup(&db, &url, &file).await.expect("backup");
    assert!(done.bytes > 0);
    assert!(matches!(
        backup(&db, &url, &file).await,
        Err(BackupError::Exists(_))
    ));

    let restored_url = match db.backend {
        Backend::Sqlite => {
            let place = dir.join("restored.db");
            std::fs::copy(&file, &place).expect("copy into place");
            format!("sqlite://{}", place.display())
        }
        Backend::Postgres => {
            let name = format!("hall_restore_{}", std::process::id());
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .execute(&db.pool)
            .await
            .expect("drop");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&db.pool)
                .await
                .expect("create");
            let (base, query) = url.split_once('?').unwrap_or((&url, ""));
            let base = &base[..base.rfind('/').expect("a database name")];
            let target = if query.is_empty() {
                format!("{base}/{name}")
            } else {
                format!("{base}/{name}?{query}")
            };
            let out = std::process::Command::new("pg_restore")
                .arg("--no-owner")
                .arg("--dbname")
                .arg(&target)
                .arg(&file)
                .output()
                .expect("run pg_restore");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            target
        }
    };
    // Connecting runs the migrator: the copy is already up to date, so nothing is applied twice.
    let restored = Db::connect(&restored_url, 2).await.expect("open the copy");
    assert_eq!(
        accounts::role_of(&restored, &login)
            .await
            .expect("role")
            .as_deref(),
        Some("citizen")
    );
    assert!(
        accounts::verify_password(&restored, &login, &format!("pw-{login}"))
            .await
            .expect("verify")
    );
}

/// Idempotency keys on this backend: of eight requests racing with one key exactly one runs; its answer is then
/// replayed, another body under the key is refused, a server error gives the key back, and an abandoned claim is
/// taken over by one retry only.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idempotency_key_is_claimed_once_and_replayed() {
    use app::server::idempotency::{answer, claim, key_hash, release, Answer, Claim};
    let db = common::test_db("persistence", "idempotency").await;
    let key = key_hash("session:test", &common::unique("key"));
    let now = 1_000_000;
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let (db, key) = (db.clone(), key.clone());
            tokio::spawn(async move { claim(&db, &key, "request-1", now).await.expect("claim") })
        })
        .collect();
    let mut runs = 0;
    for racer in racers {
        match racer.await.expect("task") {
            Claim::Run => runs += 1,
            Claim::InProgress => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(runs, 1);

    let first = Answer {
        status: 303,
        headers: vec![("location".into(), "/cases/A1".into())],
        body: String::new(),
    };
    answer(&db, &key, &first).await.expect("answer");
    assert_eq!(
        claim(&db, &key, "request-1", now + 5).await.expect("claim"),
        Claim::Replay(first)
    );
    assert_eq!(
        claim(&db, &key, "request-2", now + 5).await.expect("claim"),
        Claim::Mismatch
    );

    // A server error: released, so the retry runs.
    let failed = key_hash("session:test", &common::unique("failed"));
    assert_eq!(
        claim(&db, &failed, "r", now).await.expect("claim"),
        Claim::Run
    );
    release(&db, &failed).await.expect("release");
    assert_eq!(
        claim(&db, &failed, "r", now).await.expect("claim"),
        Claim::Run
    );

    // Abandoned (the instance died): after two minutes one retry takes it over, a second still waits.
    let later = now + app::domain::idempotency::ABANDONED_AFTER_SECS;
    assert_eq!(
        claim(&db, &failed, "r", later).await.expect("claim"),
        Claim::Run
    );
    assert_eq!(
        claim(&db, &failed, "r", later).await.expect("claim"),
        Claim::InProgress
    );
}
