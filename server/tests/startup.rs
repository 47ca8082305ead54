//! Start-up failures: one clear sentence naming the variable, a non-zero exit, never a panic trace.

use std::process::Command;

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    cmd.env_remove("DATABASE_URL")
        .env("HALL_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "off");
    cmd
}

fn fails_with(cmd: &mut Command, expected: &str) {
    let out = cmd.output().expect("run server");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail; stderr: {stderr}");
    assert!(
        stderr.contains(expected),
        "stderr should contain {expected:?}: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
}

#[test]
fn help_lists_every_variable() {
    let out = server().arg("--help").output().expect("run server");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for var in [
        "HALL_ADDR",
        "HALL_DATA_DIR",
        "DATABASE_URL",
        "HALL_CATALOG_DIR",
        "HALL_DEMO",
        "RUST_LOG",
    ] {
        assert!(text.contains(var), "--help should mention {var}");
    }
}

#[test]
fn malformed_database_url_is_one_sentence() {
    fails_with(
        server().env("DATABASE_URL", "mysql://root:hunter2@db/hall"),
        "DATABASE_URL must start with sqlite:// or postgres://",
    );
    // The password is never printed.
    let out = server()
        .env("DATABASE_URL", "mysql://root:hunter2@db/hall")
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
}

#[test]
fn unusable_data_dir_names_the_variable() {
    let file = std::env::temp_dir().join(format!("hall-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, b"a file, not a directory").expect("temp file");
    fails_with(server().env("HALL_DATA_DIR", &file), "HALL_DATA_DIR=");
    let _ = std::fs::remove_file(file);
}

#[test]
fn bad_address_names_the_variable() {
    fails_with(
        server().env("HALL_ADDR", "not-an-address"),
        "HALL_ADDR must be an address",
    );
}

#[test]
fn invalid_catalog_stops_start_up_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("hall-bad-catalog-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("departments.toml"),
        "[[department]]\nid = \"samr\"\nname = { zh = \"市场监管\" }\n",
    )
    .expect("write");
    let data = dir.join("data");
    fails_with(
        server()
            .env("HALL_CATALOG_DIR", &dir)
            .env("HALL_DATA_DIR", &data),
        "departments.toml:",
    );
    // The validate command reports the same, without serving.
    fails_with(
        server()
            .arg("validate-catalog")
            .env("HALL_CATALOG_DIR", &dir),
        "departments.toml:",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn shipped_catalog_validates() {
    let out = server().arg("validate-catalog").output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("catalog OK"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let data = std::env::temp_dir().join(format!("hall-sigterm-{}", std::process::id()));
    let mut child = server()
        .env("HALL_DATA_DIR", &data)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    // Wait until it listens: the first line on stdout names the address.
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read");
    assert!(first.contains("serving on http://127.0.0.1:"), "{first}");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "exit status {:?}", output.status);
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(logs.contains("finishing in-flight requests"), "{logs}");
    let _ = std::fs::remove_dir_all(data);
}
