//! The database: one pool over SQLite (embedded default) or PostgreSQL (`DATABASE_URL=postgres://…`).
//!
//! Both go through sqlx's `Any` driver with `$1` placeholders, so one query text serves both; the migrations are
//! kept per backend because their DDL differs.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use super::memo::{Changed, Memos};

/// Which database engine a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of a database URL, or `None` for a scheme we do not support.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':').map(|(s, _)| s)?;
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got \"{0}\")")]
    UnsupportedUrl(String),
    #[error("DATABASE_URL is not a valid database address: {0}")]
    BadUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("database migration failed: {0}")]
    Migrate(String),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// The shared handle; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Answers kept in memory between requests: on SQLite only (see `memo`).
    pub memo: Option<Arc<Memos>>,
}

/// A URL safe to print: the password, if any, replaced.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Db {
    /// Opens the pool and runs the migrations of the URL's backend.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let db = Db::open(url, max_connections).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens the pool without touching the schema (the backup command reads the database as it is).
    pub async fn open(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::of_url(url).ok_or_else(|| DbError::UnsupportedUrl(redact_url(url)))?;
        let options =
            AnyConnectOptions::from_str(url).map_err(|e| DbError::BadUrl(e.to_string()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings a connection before lending it out. A SQLite connection lives in this process, so the
            // ping learns nothing and costs a round trip to its worker thread before every statement (2% of the
            // supervision page's time in a profile); a PostgreSQL connection can drop, so it keeps the check.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer. synchronous=FULL fsyncs every commit, so an
                        // acknowledged submission survives power loss, not only a process crash. Each pooled
                        // connection caches 16 MiB of pages instead of SQLite's 2 MiB: a staff page reads a few
                        // hundred pages scattered over the file, more than the default kept (at a million cases
                        // the dashboard's p95 went from 19 to 17 ms, a staff case page's from 5–6 to 4 ms).
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                             PRAGMA cache_size = -16384;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| DbError::Connect(e.to_string()))?;
        // This process is a SQLite file's one writer, so it knows every change; PostgreSQL is shared by instances.
        let memo = (backend == Backend::Sqlite).then(|| Arc::new(Memos::default()));
        Ok(Db {
            pool,
            backend,
            memo,
        })
    }

    /// The same database with every read going to it (`HALL_MEMO=0`).
    pub fn without_memo(self) -> Db {
        Db { memo: None, ..self }
    }

    /// Records a committed write, for the answers kept in memory: call it after the commit, for every write that
    /// changes what `memo` keeps (sessions and their accounts, a case's rows, the demo clock).
    pub fn changed(&self, what: Changed) {
        if let Some(memo) = &self.memo {
            memo.changed(&what);
        }
    }

    async fn migrate(&self) -> Result<(), DbError> {
        let result = match self.backend {
            // sqlx's migrator takes no lock on SQLite: two instances starting on a fresh file would both apply
            // migration 1. Holding the write lock (BEGIN IMMEDIATE) around the whole run serialises them; each
            // migration runs in a savepoint inside, and the next instance waits (busy_timeout), then finds them
            // applied.
            Backend::Sqlite => {
                let mut tx = self
                    .pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(|e| DbError::Migrate(e.to_string()))?;
                let conn: &mut sqlx::AnyConnection = &mut tx;
                match sqlx::migrate!("migrations/sqlite")
                    .run_direct(None, conn, false)
                    .await
                {
                    Ok(()) => tx.commit().await.map_err(Into::into),
                    Err(e) => Err(e),
                }
            }
            // The migrator holds an advisory lock on PostgreSQL.
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&self.pool).await,
        };
        result.map_err(|e| DbError::Migrate(e.to_string()))
    }

    /// A transaction that reads and then writes. On SQLite it takes the write lock at BEGIN (`BEGIN IMMEDIATE`), so
    /// a concurrent writer makes it wait (busy_timeout) instead of failing at its first write with SQLITE_BUSY; on
    /// PostgreSQL it is a plain transaction (rows are locked with `FOR UPDATE` where needed).
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_scheme() {
        assert_eq!(Backend::of_url("sqlite://data/x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
        assert_eq!(Backend::of_url("nonsense"), None);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:secret@db:5432/hall"),
            "postgres://app:***@db:5432/hall"
        );
        assert_eq!(
            redact_url("postgres://app@db/hall"),
            "postgres://app@db/hall"
        );
        assert_eq!(redact_url("sqlite://data/hall.db"), "sqlite://data/hall.db");
    }
}
