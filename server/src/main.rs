//! The service hall's server binary: configuration → logs → database (migrate, seed) → serve until a signal.

#[cfg(test)]
mod access_matrix;
mod audit;
mod catalog_api;
mod config;
#[cfg(test)]
mod fuzz;
mod gen_catalog;
mod http;
mod idempotency;
mod openapi;
mod page_cache;
mod telemetry;

use std::process::ExitCode;
use std::sync::Arc;

use app::domain::Catalog;
use app::server::{accounts, db::Db, search_index, state::AppState};
use axum::serve::ListenerExt;
use config::{Config, HELP};
use leptos::prelude::LeptosOptions;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--help" | "-h" | "help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        None | Some("serve") => report(serve().await),
        Some("validate-catalog") => report(validate_catalog()),
        Some("backup") => report(backup(args.get(1).map(String::as_str)).await),
        Some("generate-cases") => report(generate_cases(&args[1..]).await),
        Some("generate-catalog") => report(generate_catalog(&args[1..])),
        Some("bench-submit") => report(bench_submit(&args[1..]).await),
        Some("explain-scale") => report(explain_scale(args.get(1).map(String::as_str)).await),
        Some(other) => {
            eprintln!("unknown command \"{other}\"; see `server --help`");
            ExitCode::from(2)
        }
    }
}

/// Start-up failures are one clear sentence on stderr and a non-zero exit, never a panic trace.
fn report(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Loads and validates the catalog, printing every error with file and line.
fn load_catalog(config: &Config) -> Result<Catalog, String> {
    app::domain::load::load_catalog(&config.catalog_dir).map_err(|errors| {
        format!(
            "HALL_CATALOG_DIR={} is not a valid catalog:\n{errors}",
            config.catalog_dir.display()
        )
    })
}

/// `server backup FILE`: a consistent copy of the database while it serves (SQLite `VACUUM INTO`, PostgreSQL
/// `pg_dump`), checked before it is reported.
async fn backup(file: Option<&str>) -> Result<(), String> {
    let file =
        file.ok_or("usage: server backup FILE (a new file: SQLite copy or pg_dump archive)")?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_url, 2)
        .await
        .map_err(|e| e.to_string())?;
    let done = app::server::backup::backup(&db, &config.database_url, std::path::Path::new(file))
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    println!(
        "backup OK: {} ({} bytes, {} cases, checked)",
        done.file.display(),
        done.bytes,
        done.cases
    );
    Ok(())
}

/// `--name VALUE` among `args`, parsed.
fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.replace('_', "").parse().ok())
            .map(Some)
            .ok_or_else(|| format!("{name} needs a number")),
    }
}

/// `server generate-cases --cases N [--seed S] [--days D]`: fills the configured database with N generated cases
/// (about five tasks each on average, their history, one citizen per 20 cases) from the loaded catalog, for the scale
/// benchmark; submitted over the calendar's working days up to today, or over only the last D of them.
async fn generate_cases(args: &[String]) -> Result<(), String> {
    let cases: u64 = flag(args, "--cases")?
        .ok_or("usage: server generate-cases --cases N [--seed S] [--days D]")?;
    let seed: u64 = flag(args, "--seed")?.unwrap_or(1);
    let days: Option<usize> = flag(args, "--days")?;
    let config = Config::from_env().map_err(|e| e.to_string())?;
    config.prepare_data_dir().map_err(|e| e.to_string())?;
    let catalog = load_catalog(&config)?;
    let db = Db::connect(&config.database_url, 2)
        .await
        .map_err(|e| e.to_string())?;
    let today = app::server::clock::today(&db).await;
    let plan = app::server::scale::Plan {
        cases,
        seed,
        today,
        days,
    };
    let done = app::server::scale::generate(&db, &catalog, plan, |line| println!("  {line}"))
        .await
        .map_err(|e| format!("generating cases failed: {e}"))?;
    println!(
        "generated {} cases, {} tasks, {} history rows, {} citizens in {:.1} s ({:.0} cases/s)",
        done.cases,
        done.tasks,
        done.events,
        done.accounts,
        done.seconds,
        done.cases as f64 / done.seconds.max(0.001)
    );
    if let Some((number, code)) = done.sample {
        println!("sample case: {number} {code}");
    }
    Ok(())
}

/// `server generate-catalog DIR [--departments N --items N --themes N]`: a synthetic catalog of that size.
fn generate_catalog(args: &[String]) -> Result<(), String> {
    let usage = "usage: server generate-catalog DIR [--departments 91 --items 2000 --themes 225]";
    let dir = args.first().filter(|a| !a.starts_with("--")).ok_or(usage)?;
    let default = gen_catalog::Size::default();
    let size = gen_catalog::Size {
        departments: flag(args, "--departments")?.unwrap_or(default.departments),
        items: flag(args, "--items")?.unwrap_or(default.items),
        themes: flag(args, "--themes")?.unwrap_or(default.themes),
    };
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let (d, i, t) = gen_catalog::generate(&config.catalog_dir, std::path::Path::new(dir), size)?;
    println!("generated catalog in {dir}: {d} departments, {i} items, {t} themes");
    Ok(())
}

/// `server bench-submit --count N [--concurrency C]`: N submissions through the app's submit path, C at a time;
/// prints submissions per second.
async fn bench_submit(args: &[String]) -> Result<(), String> {
    let count: usize = flag(args, "--count")?.unwrap_or(500);
    let concurrency: usize = flag(args, "--concurrency")?.unwrap_or(8);
    let config = Config::from_env().map_err(|e| e.to_string())?;
    config.prepare_data_dir().map_err(|e| e.to_string())?;
    let catalog = Arc::new(load_catalog(&config)?);
    let db = Db::connect(&config.database_url, concurrency.max(1) as u32)
        .await
        .map_err(|e| e.to_string())?;
    let (done, seconds) = app::server::scale::submit_burst(&db, catalog, count, concurrency)
        .await
        .map_err(|e| format!("submitting failed: {e}"))?;
    println!(
        "submitted {done} cases in {seconds:.2} s, {concurrency} at a time: {:.0} submissions/s",
        done as f64 / seconds.max(0.000_001)
    );
    Ok(())
}

/// `server explain-scale [DEPARTMENT]`: the query plans of the queries the scale benchmark times.
async fn explain_scale(department: Option<&str>) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let catalog = load_catalog(&config)?;
    let db = Db::connect(&config.database_url, 2)
        .await
        .map_err(|e| e.to_string())?;
    let today = app::server::clock::today(&db).await;
    let soon = app::domain::performance::due_soon_before(today, catalog.calendar());
    for (what, sql) in app::server::scale::benchmarked_queries(
        department.unwrap_or("samr"),
        today,
        soon,
        db.backend == app::server::db::Backend::Sqlite,
    ) {
        let plan = app::server::scale::explain(&db, &sql)
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        println!("- **{what}**");
        println!();
        println!("  ```");
        for line in plan {
            println!("  {line}");
        }
        println!("  ```");
    }
    Ok(())
}

fn validate_catalog() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let catalog = load_catalog(&config)?;
    println!(
        "catalog OK: revision {}, {} themes, {} items, {} departments, {} fields, calendar years {:?}",
        catalog.parts().revision.unwrap_or(0),
        catalog.themes().len(),
        catalog.items().len(),
        catalog.departments().len(),
        catalog.fields().len(),
        catalog
            .calendar()
            .years()
            .iter()
            .map(|y| y.year)
            .collect::<Vec<_>>(),
    );
    Ok(())
}

async fn serve() -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    telemetry::init(config.json_logs);
    config.prepare_data_dir().map_err(|e| e.to_string())?;
    // An invalid catalog stops start-up before anything listens.
    let catalog = Arc::new(load_catalog(&config)?);
    tracing::info!(
        themes = catalog.themes().len(),
        items = catalog.items().len(),
        "catalog loaded"
    );

    let db = Db::connect(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| e.to_string())?;
    let db = if config.memo { db } else { db.without_memo() };
    tracing::info!(backend = ?db.backend, memo = db.memo.is_some(), "database ready");
    // The search tables hold a copy of the catalog: rebuilt here when this instance's catalog differs.
    let synced = search_index::sync(&db, &catalog)
        .await
        .map_err(|e| format!("cannot build the search index: {e}"))?;
    tracing::info!(?synced, "search index ready");
    // The window's queue orders cases by a stored day (migration 0016): cases from before it, or dated under other
    // holidays, get theirs now.
    let dated = app::server::workbench::fill_window_due(&db, catalog.calendar())
        .await
        .map_err(|e| format!("cannot date the window's cases: {e}"))?;
    if dated > 0 {
        tracing::info!(dated, "window days written");
    }

    let demo_logins = if config.demo {
        seed_demo(&config, &db).await?
    } else {
        Vec::new()
    };

    let leptos_options = LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "hall".into()))
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let signer = app::server::signing::Signer::load_or_create(&db)
        .await
        .map_err(|e| e.to_string())?;
    app::server::login_throttle::configure_submissions(
        config.submit_limits.0,
        config.submit_limits.1,
    );
    let state = AppState {
        leptos_options: leptos_options.into(),
        db,
        catalog,
        signer,
    };
    // Webhooks to department systems: every instance runs the worker; claims keep them from sending a row twice.
    tokio::spawn(deliver_webhooks(state.db.clone()));
    let router = http::router(
        state,
        http::WebSecurity {
            allowed_origins: config.allowed_origins.clone(),
        },
    );

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on HALL_ADDR={}: {e}", config.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    // Without TCP_NODELAY small responses wait for delayed ACKs (Nagle): ~40x fewer requests per second.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });

    let shutdown = shutdown_signal();
    println!("示范市网上办事大厅 serving on http://{local}");
    for (login, password, role) in &demo_logins {
        println!("  demo login: {login} / {password}  ({role})");
    }
    tracing::info!(%local, "listening");
    // ConnectInfo gives server functions the peer address (sign-in throttling per address, session records).
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!("stopped after finishing in-flight requests");
    Ok(())
}

/// Posts due webhook deliveries every two seconds, for as long as the process runs.
async fn deliver_webhooks(db: Db) {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4());
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = app::server::session::now();
        if let Err(e) = app::server::webhooks::deliver_due(&db, now, &worker, 20).await {
            tracing::warn!(error = %e, "webhook worker: the database did not answer");
        }
    }
}

async fn seed_demo(config: &Config, db: &Db) -> Result<Vec<(String, String, String)>, String> {
    let text = std::fs::read_to_string(&config.demo_accounts).map_err(|e| {
        format!(
            "HALL_DEMO_ACCOUNTS={} cannot be read: {e}",
            config.demo_accounts.display()
        )
    })?;
    let file: accounts::DemoAccounts = toml::from_str(&text).map_err(|e| {
        format!(
            "HALL_DEMO_ACCOUNTS={} is invalid: {e}",
            config.demo_accounts.display()
        )
    })?;
    let inserted = accounts::seed_demo_accounts(db, &file.account)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(inserted, "demo accounts seeded");
    Ok(file
        .account
        .into_iter()
        .map(|a| (a.login, a.password, a.role))
        .collect())
}

/// Waits for Ctrl-C or SIGTERM. The SIGTERM handler is installed when this is called, not when the future is first
/// polled: `main` calls it before printing the address, so a supervisor that stops the server as soon as it is up
/// gets a graceful stop, not the default kill (a race the start-up test hit once).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    }
}

#[cfg(test)]
mod tests {
    use app::domain::Role;

    /// Every demo account has a known role, officers a real department, and every department with a step in the
    /// restaurant theme has an officer to act on it.
    #[test]
    fn demo_accounts_cover_the_restaurant_theme() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text =
            std::fs::read_to_string(root.join("seed/demo-accounts.toml")).expect("seed file");
        let file: app::server::accounts::DemoAccounts = toml::from_str(&text).expect("valid seed");
        let catalog = app::domain::load::load_catalog(&root.join("catalog")).expect("catalog");
        for a in &file.account {
            let role =
                Role::from_code(&a.role).unwrap_or_else(|| panic!("{}: role {}", a.login, a.role));
            if let Some(d) = &a.department {
                assert!(
                    catalog.department(d).is_some(),
                    "{}: department {d}",
                    a.login
                );
            }
            assert_eq!(role == Role::Officer, a.department.is_some(), "{}", a.login);
        }
        use app::domain::theme::StepTarget;
        let theme = catalog.theme("open-restaurant").expect("theme");
        let items: Vec<&str> = theme
            .steps
            .iter()
            .flat_map(|step| match &step.target {
                StepTarget::Item(item) => vec![item.as_str()],
                StepTarget::OneOf(variants) => variants.iter().map(|v| v.item.as_str()).collect(),
            })
            .collect();
        assert!(items.len() > 5, "{items:?}");
        for item in items {
            let dept = &catalog.item(item).expect("item").department;
            assert!(
                file.account
                    .iter()
                    .any(|a| a.department.as_deref() == Some(dept.as_str())),
                "no demo officer for {dept} (item {item})"
            );
        }
    }
}
