//! Configuration: every environment variable the server reads, in one place, with safe defaults.
//!
//! `server --help` prints [`HELP`]; the README's table says the same.

use std::net::SocketAddr;
use std::path::PathBuf;

pub const HELP: &str = "\
示范市网上办事大厅 — the service hall server

USAGE:
    server [serve]              serve the app (default)
    server validate-catalog     check the catalog data files and exit (status 1 on errors)
    server backup FILE          a consistent copy of the database while it serves, checked (SQLite file or
                                pg_dump archive); see the README for restoring
    server generate-cases --cases N [--seed S] [--days D]
                                fill the database with N generated cases (about 5 tasks each, their history,
                                citizens) from the catalog, for the scale benchmark (bench/scale); submitted
                                over the calendar's working days, or over only the last D
    server explain-scale [DEPT] the query plans of the queries the scale benchmark times
    server bench-submit --count N [--concurrency C]
                                N submissions through the app's submit path, C at a time; prints the rate
    server generate-catalog DIR [--departments 91 --items 2000 --themes 225]
                                write a synthetic catalog of that size to DIR (a copy of the shipped one's
                                calendar and fields), for the catalog-at-scale benchmark
    server --help               print this help

ENVIRONMENT (all optional):
    HALL_ADDR                   address to listen on                    [default: 127.0.0.1:3000]
    HALL_DATA_DIR               directory for the SQLite database      [default: ./data]
    DATABASE_URL                sqlite://… or postgres://…             [default: sqlite://$HALL_DATA_DIR/hall.db]
    HALL_DB_MAX_CONNECTIONS     database pool size                      [default: 8]
    HALL_CATALOG_DIR            catalog data files                      [default: ./server/catalog]
    HALL_SITE_ROOT              built site (pkg/, assets)               [default: $LEPTOS_SITE_ROOT or ./target/site]
    HALL_DEMO                   1 = seed the demo accounts and print their logins; allows the demo clock   [default: 0]
    HALL_TEST_CLOCK             1 = allow the demo clock (app_meta.clock_offset_days) without demo accounts   [default: 0]
    HALL_DEMO_ACCOUNTS          demo accounts file                      [default: ./server/seed/demo-accounts.toml]
    HALL_ALLOWED_ORIGINS        other origins whose pages may post forms here, comma-separated
                                (e.g. https://portal.example.gov.cn); a page's own origin always may   [default: none]
    HALL_SUBMIT_LIMITS          new cases per hour: per account,per address   [default: 10,300]
    HALL_MEMO                   0 = read sessions, case pages and searches from SQLite on every request instead
                                of keeping them in memory until they change (PostgreSQL never keeps them)   [default: 1]
    HALL_LOG_FORMAT             text or json                            [default: text]
    RUST_LOG                    log filter                              [default: info]
";

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub db_max_connections: u32,
    pub catalog_dir: PathBuf,
    pub site_root: String,
    pub demo: bool,
    pub demo_accounts: PathBuf,
    pub json_logs: bool,
    /// Keep sessions and case pages in memory between requests (SQLite only; see `app::server::memo`).
    pub memo: bool,
    /// Origins besides the request's own whose pages may send state-changing requests (see `http::WebSecurity`).
    pub allowed_origins: Vec<String>,
    /// Submissions of new cases allowed per hour: per account, per client address.
    pub submit_limits: (i64, i64),
}

/// A configuration mistake, told in one sentence that names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A switch: `0`/`false` or `1`/`true`, `default` when unset.
fn flag(name: &str, default: bool) -> Result<bool, ConfigError> {
    match var(name).as_deref() {
        None => Ok(default),
        Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") => Ok(true),
        Some(other) => Err(ConfigError(format!(
            "{name} must be 0 or 1 (got \"{other}\")"
        ))),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let addr_text = var("HALL_ADDR")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| {
            ConfigError(format!(
                "HALL_ADDR must be an address like 127.0.0.1:3000 (got \"{addr_text}\")"
            ))
        })?;
        let data_dir = PathBuf::from(var("HALL_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => url,
            None => format!("sqlite://{}/hall.db?mode=rwc", data_dir.display()),
        };
        if app::server::db::Backend::of_url(&database_url).is_none() {
            return Err(ConfigError(format!(
                "DATABASE_URL must start with sqlite:// or postgres:// (got \"{}\")",
                app::server::db::redact_url(&database_url)
            )));
        }
        let db_max_connections = match var("HALL_DB_MAX_CONNECTIONS") {
            None => 8,
            Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                ConfigError(format!(
                    "HALL_DB_MAX_CONNECTIONS must be a positive number (got \"{v}\")"
                ))
            })?,
        };
        let demo = flag("HALL_DEMO", false)?;
        let memo = flag("HALL_MEMO", true)?;
        let json_logs = match var("HALL_LOG_FORMAT").as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError(format!(
                    "HALL_LOG_FORMAT must be text or json (got \"{other}\")"
                )))
            }
        };
        let allowed_origins = match var("HALL_ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(text) => parse_origins(&text)?,
        };
        let submit_limits = match var("HALL_SUBMIT_LIMITS") {
            None => (
                app::server::login_throttle::SUBMIT_ACCOUNT_LIMIT,
                app::server::login_throttle::SUBMIT_ADDRESS_LIMIT,
            ),
            Some(text) => parse_limits(&text)?,
        };
        Ok(Config {
            addr,
            data_dir,
            database_url,
            db_max_connections,
            catalog_dir: PathBuf::from(
                var("HALL_CATALOG_DIR").unwrap_or_else(|| "server/catalog".into()),
            ),
            site_root: var("HALL_SITE_ROOT")
                .or_else(|| var("LEPTOS_SITE_ROOT"))
                .unwrap_or_else(|| "target/site".into()),
            demo,
            demo_accounts: PathBuf::from(
                var("HALL_DEMO_ACCOUNTS")
                    .unwrap_or_else(|| "server/seed/demo-accounts.toml".into()),
            ),
            json_logs,
            memo,
            allowed_origins,
            submit_limits,
        })
    }

    /// Creates the data directory when the database lives there, and proves it is writable.
    pub fn prepare_data_dir(&self) -> Result<(), ConfigError> {
        if !self.database_url.starts_with("sqlite:") {
            return Ok(());
        }
        let fail = |e: std::io::Error| {
            ConfigError(format!(
                "HALL_DATA_DIR={} cannot be used for the database: {e}",
                self.data_dir.display()
            ))
        };
        std::fs::create_dir_all(&self.data_dir).map_err(fail)?;
        let probe = self.data_dir.join(".write-test");
        std::fs::write(&probe, b"ok").map_err(fail)?;
        let _ = std::fs::remove_file(probe);
        Ok(())
    }
}

/// `HALL_SUBMIT_LIMITS`: two positive numbers, `per account,per address`.
fn parse_limits(text: &str) -> Result<(i64, i64), ConfigError> {
    let numbers: Vec<Option<i64>> = text
        .split(',')
        .map(|n| n.trim().parse().ok().filter(|n: &i64| *n > 0))
        .collect();
    match numbers[..] {
        [Some(account), Some(address)] => Ok((account, address)),
        _ => Err(ConfigError(format!(
            "HALL_SUBMIT_LIMITS must be two positive numbers, per account and per address, like 10,300 (got \"{text}\")"
        ))),
    }
}

/// `HALL_ALLOWED_ORIGINS`: origins as browsers send them in `Origin` (scheme, host, optional port; no path),
/// separated by commas or spaces, compared in lower case.
pub fn parse_origins(text: &str) -> Result<Vec<String>, ConfigError> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|origin| {
            let lower = origin.trim_end_matches('/').to_ascii_lowercase();
            let host = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"));
            match host {
                Some(host)
                    if !host.is_empty()
                        && !host.contains(['/', '?', '#', '@'])
                        && !host.chars().any(char::is_whitespace) =>
                {
                    Ok(lower.clone())
                }
                _ => Err(ConfigError(format!(
                    "HALL_ALLOWED_ORIGINS must list origins like https://portal.example.gov.cn, separated by \
                     commas (got \"{origin}\")"
                ))),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{parse_limits, parse_origins};

    #[test]
    fn submit_limits_are_two_positive_numbers() {
        assert_eq!(parse_limits("10, 300").expect("valid"), (10, 300));
        for bad in ["10", "10,0", "a,b", "10,300,5", "-1,3"] {
            let e = parse_limits(bad).expect_err(bad).to_string();
            assert!(e.starts_with("HALL_SUBMIT_LIMITS must"), "{e}");
        }
    }

    #[test]
    fn allowed_origins_are_bare_origins_in_lower_case() {
        assert_eq!(
            parse_origins("https://Portal.example.gov.cn/, http://10.0.0.5:8080").expect("valid"),
            ["https://portal.example.gov.cn", "http://10.0.0.5:8080"]
        );
        assert!(parse_origins("  ").expect("empty").is_empty());
        for bad in [
            "portal.example.gov.cn",
            "https://portal.example.gov.cn/path",
            "ftp://x",
            "https://",
            "https://user@host",
        ] {
            let e = parse_origins(bad).expect_err(bad).to_string();
            assert!(e.starts_with("HALL_ALLOWED_ORIGINS must"), "{e}");
        }
    }
}
