//! Consistent online copies of the database (`server backup FILE`), taken while the hall keeps serving:
//! SQLite `VACUUM INTO` (one read transaction, so the copy is a snapshot of one moment, compacted) and PostgreSQL
//! `pg_dump` (one snapshot, custom format for `pg_restore`). Each copy is checked before it is reported done.

use std::path::{Path, PathBuf};

use super::db::{Backend, Db, DbError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file")]
    Exists(PathBuf),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{0}")]
    Tool(String),
    #[error("the copy failed its check: {0}")]
    Check(String),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Db(DbError::Query(e))
    }
}

/// What a backup holds, for the operator's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub file: PathBuf,
    pub bytes: u64,
    /// Cases in the copy (SQLite: counted in the copy itself; PostgreSQL: in the database at the time).
    pub cases: i64,
}

/// Copies the database behind `db` (opened from `url`) into `to`, then checks the copy; a copy that fails is
/// removed, so a file that exists after this returns `Ok` is one that passed.
pub async fn backup(db: &Db, url: &str, to: &Path) -> Result<Backup, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let result = copy_and_check(db, url, to).await;
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result
}

async fn copy_and_check(db: &Db, url: &str, to: &Path) -> Result<Backup, BackupError> {
    let cases = match db.backend {
        Backend::Sqlite => {
            let target = to.to_str().ok_or_else(|| {
                BackupError::Tool(format!("{} is not a UTF-8 path", to.display()))
            })?;
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(&db.pool)
                .await?;
            check_sqlite_copy(to).await?
        }
        Backend::Postgres => {
            let out = tokio::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to)
                .arg("--dbname")
                .arg(url)
                .output()
                .await
                .map_err(|e| BackupError::Tool(format!("cannot run pg_dump: {e}")))?;
            if !out.status.success() {
                return Err(BackupError::Tool(format!(
                    "pg_dump failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )));
            }
            let list = tokio::process::Command::new("pg_restore")
                .arg("--list")
                .arg(to)
                .output()
                .await
                .map_err(|e| BackupError::Tool(format!("cannot run pg_restore: {e}")))?;
            let listing = String::from_utf8_lossy(&list.stdout);
            if !list.status.success() || !listing.contains("TABLE DATA") {
                return Err(BackupError::Check(
                    "pg_restore cannot read the dump".to_owned(),
                ));
            }
            sqlx::query_scalar("SELECT COUNT(*) FROM hall_case")
                .fetch_one(&db.pool)
                .await?
        }
    };
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(Backup {
        file: to.to_owned(),
        bytes,
        cases,
    })
}

/// Opens the copy read-only: it must pass `PRAGMA integrity_check` and hold the schema.
async fn check_sqlite_copy(file: &Path) -> Result<i64, BackupError> {
    use sqlx::ConnectOptions;
    use std::str::FromStr;
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::any::AnyConnectOptions::from_str(&url)
        .map_err(|e| BackupError::Check(e.to_string()))?
        .connect()
        .await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await?;
    if check != "ok" {
        return Err(BackupError::Check(check));
    }
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM hall_case")
        .fetch_one(&mut conn)
        .await?)
}
