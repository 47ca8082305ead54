//! The catalog loader given the shipped catalog with one file replaced by the fuzzer's bytes (as text): a catalog
//! or errors that each name a file, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use app::domain::load::load_sources;
use libfuzzer_sys::fuzz_target;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../server/catalog");

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the shipped catalog") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|x| x == "toml") {
            out.push(path);
        }
    }
}

fn shipped() -> &'static Vec<(PathBuf, String)> {
    static SOURCES: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut paths = Vec::new();
        walk(Path::new(SHIPPED), &mut paths);
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("read");
                (p.strip_prefix(SHIPPED).expect("under the root").to_owned(), text)
            })
            .collect()
    })
}

fuzz_target!(|input: (u8, &str)| {
    let (which, text) = input;
    let mut sources = shipped().clone();
    let i = usize::from(which) % sources.len();
    sources[i].1 = text.to_owned();
    if let Err(errors) = load_sources(Path::new(""), &sources) {
        assert!(!errors.0.is_empty());
        for e in &errors.0 {
            assert!(!e.file.as_os_str().is_empty(), "an error without its file: {e:?}");
        }
    }
});
