//! Reading the catalog files (server only): every `.toml` under the catalog folder, in path order, into
//! [`CatalogParts`], then [`validate`](crate::domain::validate). Every problem — TOML syntax, unknown keys, wrong
//! values, validation — comes back at once as `file:line: message`.
//!
//! Each array element (`[[item]]`, `[[step]]` …) is deserialised on its own, so one broken entry does not hide the
//! errors of the others; an entry that fails is left out, and references to its id are not reported again.

mod files;
mod spans;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::catalog::{Catalog, CatalogParts};
use super::validate::{validate_with, Entity, PathSeg, Site, Unloaded};
use spans::{Lines, Node};

/// One problem in the catalog files. `line` is 1-based; 0 when the problem is with the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file.display(), self.message),
            line => write!(f, "{}:{line}: {}", self.file.display(), self.message),
        }
    }
}

/// Every problem found, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl std::fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the catalog has {n} error{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            write!(f, "\n{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogErrors {}

/// The catalog shipped in `server/catalog`, for tests that run against the real data.
#[cfg(test)]
pub fn shipped_catalog() -> Catalog {
    load_catalog(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/catalog"
    )))
    .expect("the shipped catalog is valid")
}

/// Loads and validates the catalog under `dir`.
pub fn load_catalog(dir: &Path) -> Result<Catalog, CatalogErrors> {
    let mut errors = Vec::new();
    let mut paths = Vec::new();
    walk(dir, &mut paths, &mut errors);
    paths.sort();
    let mut sources = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push((path, text)),
            Err(e) => errors.push(CatalogError {
                file: path,
                line: 0,
                message: format!("cannot read the file: {e}"),
            }),
        }
    }
    match (load_sources(dir, &sources), errors.is_empty()) {
        (Ok(catalog), true) => Ok(catalog),
        (Ok(_), false) => Err(CatalogErrors(errors)),
        (Err(CatalogErrors(more)), _) => {
            errors.extend(more);
            Err(CatalogErrors(errors))
        }
    }
}

/// The `.toml` files under `dir`, recursively.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<CatalogError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(CatalogError {
                file: dir.to_owned(),
                line: 0,
                message: format!("cannot read the folder: {e}"),
            });
            return;
        }
    };
    for entry in entries {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out, errors);
                } else if path.extension().is_some_and(|x| x == "toml") {
                    out.push(path);
                }
            }
            Err(e) => errors.push(CatalogError {
                file: dir.to_owned(),
                line: 0,
                message: format!("cannot list: {e}"),
            }),
        }
    }
}

/// Loads and validates a catalog from file contents; paths are classified relative to `root` (`calendar/…`,
/// `themes/…`, anything else). Used by [`load_catalog`] and by tests.
pub fn load_sources(root: &Path, sources: &[(PathBuf, String)]) -> Result<Catalog, CatalogErrors> {
    let mut loader = Loader::default();
    for (path, text) in sources {
        loader.file(root, path, text);
    }
    let Loader {
        parts,
        unloaded,
        origins,
        files,
        mut errors,
    } = loader;
    // Only once the files read cleanly: a syntax error in catalog.toml would otherwise also read as "no revision".
    if parts.revision.is_none() && errors.is_empty() {
        errors.push(CatalogError {
            file: root.join("catalog.toml"),
            line: 0,
            message: "the catalog has no revision: add `[catalog]` with `revision = 1`, and raise it with every change"
                .to_owned(),
        });
    }
    for issue in validate_with(&parts, &unloaded) {
        let (file, line) = locate(&origins, &files, &issue.at);
        let mut message = issue.message;
        if let Some(related) = &issue.related {
            let (other, other_line) = locate(&origins, &files, related);
            message.push_str(&format!(
                "; first defined at {}:{other_line}",
                other.display()
            ));
        }
        errors.push(CatalogError {
            file,
            line,
            message,
        });
    }
    if errors.is_empty() {
        Ok(Catalog::new(parts))
    } else {
        // Stable: within a line, the order found.
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(CatalogErrors(errors))
    }
}

/// Where an entity came from: its file, and its key path there.
enum Origin {
    At {
        file: usize,
        base: Vec<PathSeg>,
    },
    /// A theme file: the model's question and step positions map to the file's (entries that failed are left out).
    Theme {
        file: usize,
        questions: Vec<usize>,
        steps: Vec<usize>,
    },
}

#[derive(Default)]
struct Loader {
    parts: CatalogParts,
    unloaded: Unloaded,
    origins: HashMap<Entity, Origin>,
    /// Each parsed file and its line tree.
    files: Vec<(PathBuf, Node)>,
    errors: Vec<CatalogError>,
}

impl Loader {
    fn error(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.errors.push(CatalogError {
            file: file.to_owned(),
            line,
            message: message.into(),
        });
    }

    fn file(&mut self, root: &Path, path: &Path, text: &str) {
        let lines = Lines::new(text);
        let (doc, syntax) = DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            for e in syntax {
                self.error(path, lines.of_error(&e), e.message());
            }
            return;
        }
        let span = doc.span();
        let doc = Spanned::new(span, DeValue::Table(doc.into_inner()));
        let file = self.files.len();
        self.files
            .push((path.to_owned(), Node::of(&doc, 1, &lines)));
        let DeValue::Table(table) = doc.get_ref() else {
            return;
        };
        let rel = path.strip_prefix(root).unwrap_or(path);
        let folder = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .filter(|_| rel.components().count() > 1);
        let cx = files::FileCx {
            file,
            path,
            lines: &lines,
        };
        match folder {
            Some("calendar") => self.calendar(&cx, &doc),
            Some("themes") => self.theme(&cx, table),
            _ => self.collections(&cx, table),
        }
    }
}

/// The file and line of a site.
fn locate(
    origins: &HashMap<Entity, Origin>,
    files: &[(PathBuf, Node)],
    site: &Site,
) -> (PathBuf, usize) {
    let (file, path) = match origins.get(&site.entity) {
        Some(Origin::At { file, base }) => (
            *file,
            base.iter().chain(&site.path).cloned().collect::<Vec<_>>(),
        ),
        Some(Origin::Theme {
            file,
            questions,
            steps,
        }) => {
            let mut path = site.path.clone();
            match path.as_mut_slice() {
                [PathSeg::Key("question"), PathSeg::Index(k), ..] => {
                    *k = questions.get(*k).copied().unwrap_or(*k)
                }
                [PathSeg::Key("step"), PathSeg::Index(k), ..] => {
                    *k = steps.get(*k).copied().unwrap_or(*k)
                }
                [PathSeg::Key("question" | "step"), ..] => {}
                _ => path.insert(0, PathSeg::Key("theme")),
            }
            (*file, path)
        }
        None => return (PathBuf::from("<catalog>"), 0),
    };
    match files.get(file) {
        Some((name, node)) => (name.clone(), node.line_of(&path)),
        None => (PathBuf::from("<catalog>"), 0),
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod shipped_tests;
#[cfg(test)]
mod tests;
