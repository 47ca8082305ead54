//! `server generate-catalog DIR`: a synthetic catalog at the scale of a city's hall (91 departments, 2,000 items,
//! 225 themes of up to 10 departments each) written in the catalog's own format, for the catalog-at-scale benchmark.
//! It is the shipped catalog multiplied: every shipped file is kept (so centres, calendar, fields, taxonomy and
//! synonyms stay valid), new departments are added, and copies of the shipped items and themes are spread over
//! them with suffixed ids (`…-g07`); a theme copy uses the item copies of its own number, so its steps keep their
//! questions, conditions and order. Nothing generated is committed.

use std::path::Path;

use toml::{Table, Value};

/// The size asked for.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub departments: usize,
    pub items: usize,
    pub themes: usize,
}

impl Default for Size {
    fn default() -> Size {
        Size {
            departments: 91,
            items: 2_000,
            themes: 225,
        }
    }
}

fn read(path: &Path) -> Result<Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse::<Table>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, table: &Table) -> Result<(), String> {
    let text = toml::to_string(table).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn array<'a>(table: &'a Table, key: &str) -> Vec<&'a Table> {
    table
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

/// Appends ` {n}` to both languages of a `{ zh, en }` name, so copies are told apart in lists and search.
fn number_name(table: &mut Table, key: &str, n: usize) {
    if let Some(Value::Table(name)) = table.get_mut(key) {
        for lang in ["zh", "en"] {
            if let Some(Value::String(s)) = name.get_mut(lang) {
                s.push_str(&format!(" {n}"));
            }
        }
    }
}

fn suffix(id: &str, copy: usize) -> String {
    format!("{id}-g{copy:02}")
}

/// Writes the synthetic catalog into `out` (created; must not exist yet) from the catalog in `shipped`.
/// Returns (departments, items, themes) written.
pub fn generate(shipped: &Path, out: &Path, size: Size) -> Result<(usize, usize, usize), String> {
    if out.exists() {
        return Err(format!("{} exists already", out.display()));
    }
    copy_tree(shipped, out)?;
    // Departments: the shipped ones, then new current ones modelled on them.
    let mut departments_file = read(&out.join("departments.toml"))?;
    let shipped_departments: Vec<Table> = array(&departments_file, "department")
        .into_iter()
        .cloned()
        .collect();
    let current: Vec<&Table> = shipped_departments
        .iter()
        .filter(|d| {
            !d.get("historical")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        })
        .collect();
    let mut new_departments = Vec::new();
    for k in 0..size.departments.saturating_sub(shipped_departments.len()) {
        let mut d = current[k % current.len()].clone();
        d.insert("id".into(), Value::String(format!("gen-dept-{k:02}")));
        number_name(&mut d, "name", k + 1);
        number_name(&mut d, "short", k + 1);
        d.remove("formerly");
        d.insert("historical".into(), Value::Boolean(false));
        new_departments.push(d);
    }
    let department_count = shipped_departments.len() + new_departments.len();
    if let Some(Value::Array(all)) = departments_file.get_mut("department") {
        all.extend(new_departments.iter().cloned().map(Value::Table));
    }
    write(&out.join("departments.toml"), &departments_file)?;
    let new_ids: Vec<String> = new_departments
        .iter()
        .filter_map(|d| d.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();

    // Items: numbered copies of the shipped ones, each copy's items in new departments.
    let mut item_files = Vec::new();
    for entry in std::fs::read_dir(out.join("items"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        item_files.push(entry.path());
    }
    item_files.sort();
    let mut shipped_items: Vec<Table> = Vec::new();
    for path in &item_files {
        shipped_items.extend(array(&read(path)?, "item").into_iter().cloned());
    }
    let mut total_items = shipped_items.len();
    let mut copies: Vec<Vec<String>> = Vec::new(); // item ids per copy number (1-based index - 1)
    let mut copy = 0;
    while total_items < size.items && !shipped_items.is_empty() {
        copy += 1;
        let mut items = Vec::new();
        let mut ids = Vec::new();
        for (i, item) in shipped_items.iter().enumerate() {
            if total_items + items.len() >= size.items {
                break;
            }
            let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
            ids.push(id.to_owned());
            let mut item = item.clone();
            item.insert("id".into(), Value::String(suffix(id, copy)));
            // The items of one shipped department move together, so a theme copy has as many departments as its
            // original (up to 10).
            if !new_ids.is_empty() {
                let original = item
                    .get("department")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let k = shipped_departments
                    .iter()
                    .position(|d| d.get("id").and_then(Value::as_str) == Some(original))
                    .unwrap_or(i);
                let d = &new_ids[(k * 7 + copy * 3) % new_ids.len()];
                item.insert("department".into(), Value::String(d.clone()));
            }
            number_name(&mut item, "name", copy);
            items.push(item);
        }
        // A material produced by an item of this copy names that copy; one outside it (a partial last copy) is
        // dropped.
        for item in &mut items {
            if let Some(Value::Array(materials)) = item.get_mut("material") {
                for m in materials.iter_mut().filter_map(Value::as_table_mut) {
                    let by = m
                        .get("produced_by")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    if let Some(by) = by {
                        if ids.contains(&by) {
                            m.insert("produced_by".into(), Value::String(suffix(&by, copy)));
                        } else {
                            m.remove("produced_by");
                        }
                    }
                }
            }
        }
        total_items += items.len();
        let mut file = Table::new();
        file.insert(
            "item".into(),
            Value::Array(items.into_iter().map(Value::Table).collect()),
        );
        write(&out.join(format!("items/generated-{copy:02}.toml")), &file)?;
        copies.push(ids);
    }

    // Themes: numbered copies; a step's item is the copy of the same number when there is one.
    let mut theme_files = Vec::new();
    for entry in std::fs::read_dir(out.join("themes"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        theme_files.push(entry.path());
    }
    theme_files.sort();
    let shipped_themes: Vec<Table> = theme_files
        .iter()
        .map(|p| read(p))
        .collect::<Result<_, _>>()?;
    let mut total_themes = shipped_themes.len();
    let mut n = 0;
    while total_themes < size.themes && !shipped_themes.is_empty() {
        let base = &shipped_themes[n % shipped_themes.len()];
        let copy = n / shipped_themes.len() + 1;
        n += 1;
        let item_copy = if copies.is_empty() {
            None
        } else {
            Some((copy - 1) % copies.len() + 1)
        };
        let rename = |item: &str| match item_copy {
            Some(c) if copies[c - 1].iter().any(|i| i == item) => suffix(item, c),
            _ => item.to_owned(),
        };
        let mut theme = base.clone();
        let Some(Value::Table(head)) = theme.get_mut("theme") else {
            continue;
        };
        let id = head
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        head.insert("id".into(), Value::String(suffix(&id, copy)));
        number_name(head, "name", copy);
        if let Some(Value::Array(steps)) = theme.get_mut("step") {
            for step in steps.iter_mut().filter_map(Value::as_table_mut) {
                if let Some(Value::String(item)) = step.get_mut("item") {
                    *item = rename(item);
                }
                if let Some(Value::Array(variants)) = step.get_mut("one_of") {
                    for v in variants.iter_mut().filter_map(Value::as_table_mut) {
                        if let Some(Value::String(item)) = v.get_mut("item") {
                            *item = rename(item);
                        }
                    }
                }
            }
        }
        write(
            &out.join(format!("themes/{}.toml", suffix(&id, copy))),
            &theme,
        )?;
        total_themes += 1;
    }
    Ok((department_count, total_items, total_themes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated catalog has the size asked for, loads and validates, and its themes reach the new departments
    /// (so search and theme pages are measured over a catalog that is really larger).
    #[test]
    fn the_synthetic_catalog_loads_and_validates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = std::env::temp_dir().join(format!("hall-gen-catalog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let (departments, items, themes) =
            generate(&root.join("catalog"), &out, Size::default()).expect("generated");
        assert_eq!((departments, items, themes), (91, 2_000, 225));
        let started = std::time::Instant::now();
        let catalog = app::domain::load::load_catalog(&out)
            .unwrap_or_else(|e| panic!("the generated catalog does not validate:\n{e}"));
        let took = started.elapsed();
        assert_eq!(catalog.departments().len(), 91);
        assert_eq!(catalog.items().len(), 2_000);
        assert_eq!(catalog.themes().len(), 225);
        let theme = catalog
            .theme("open-restaurant-g03")
            .expect("a copied theme");
        let departments: std::collections::BTreeSet<&str> = theme
            .steps
            .iter()
            .filter_map(|s| match &s.target {
                app::domain::theme::StepTarget::Item(i) => {
                    catalog.item(i).map(|i| i.department.as_str())
                }
                app::domain::theme::StepTarget::OneOf(_) => None,
            })
            .collect();
        assert!(
            departments.iter().any(|d| d.starts_with("gen-dept-")),
            "{departments:?}"
        );
        assert!(departments.len() <= 10, "{departments:?}");
        eprintln!("generated catalog loaded and validated in {took:?}");
        let _ = std::fs::remove_dir_all(&out);
    }
}
