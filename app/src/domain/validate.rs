//! Catalog validation: everything SCHEMA.md's "What the validator checks" lists, over in-memory [`CatalogParts`].
//!
//! Every problem becomes an [`Issue`] that names *where* it is as a [`Site`] (an entity and a key path inside it,
//! in the data's key names); the loader turns sites into `file:line`. All issues are collected, none stops the
//! run. Checks that the types already make impossible (a limit's `days`, a condition's syntax, a step with both
//! `item` and `one_of`) are reported by deserialisation instead.

mod calendar;
mod centre;
mod item;
mod synonym;
mod theme;

use std::collections::{HashMap, HashSet};

use super::catalog::CatalogParts;
use super::item::Item;
use super::text::Text;

/// One problem in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub at: Site,
    pub message: String,
    /// Another place involved, e.g. the first definition of a duplicated id.
    pub related: Option<Site>,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// Where an issue is: an entity of [`CatalogParts`] (by position) and a key path inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub entity: Entity,
    pub path: Vec<PathSeg>,
}

impl std::fmt::Display for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.entity)?;
        for seg in &self.path {
            match seg {
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// An entity of [`CatalogParts`], by its position in its collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Audience(usize),
    LifeStage(usize),
    Domain(usize),
    Centre(usize),
    Department(usize),
    Field(usize),
    Item(usize),
    Theme(usize),
    CalendarYear(usize),
    Synonym(usize),
}

/// A step of a key path, named as in the data files (`material`, `step`, `after` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(&'static str),
    Index(usize),
}

impl From<&'static str> for PathSeg {
    fn from(k: &'static str) -> PathSeg {
        PathSeg::Key(k)
    }
}

impl From<usize> for PathSeg {
    fn from(i: usize) -> PathSeg {
        PathSeg::Index(i)
    }
}

macro_rules! at {
    ($($seg:expr),* $(,)?) => { vec![$($crate::domain::validate::PathSeg::from($seg)),*] };
}
pub(crate) use at;

/// The kinds of things ids name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Audience,
    LifeStage,
    Domain,
    Centre,
    Department,
    Field,
    Item,
    Theme,
    Synonym,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Audience => "audience",
            Kind::LifeStage => "life stage",
            Kind::Domain => "domain",
            Kind::Centre => "service centre",
            Kind::Department => "department",
            Kind::Field => "field",
            Kind::Item => "item",
            Kind::Theme => "theme",
            Kind::Synonym => "synonym",
        }
    }
}

/// Ids of entities that are in the data but failed to load; they were reported already, so references to
/// them are not reported again as unknown.
#[derive(Debug, Clone, Default)]
pub struct Unloaded(pub HashSet<(Kind, String)>);

/// `[a-z0-9-]+`: the ids that appear in URLs and in the API.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Question and form-field ids: a lower-case letter, then letters, digits, `_` or `-` (they are used as names in
/// conditions and forms, e.g. `applicant_name`).
pub fn is_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Validates the catalog; an empty list means it is valid.
pub fn validate(parts: &CatalogParts) -> Vec<Issue> {
    validate_with(parts, &Unloaded::default())
}

/// As [`validate`], not reporting references to entities that failed to load.
pub fn validate_with(parts: &CatalogParts, unloaded: &Unloaded) -> Vec<Issue> {
    let mut cx = Cx::new(parts, unloaded);
    cx.collections();
    for (i, item) in parts.items.iter().enumerate() {
        item::check(&mut cx, i, item);
    }
    for (c, centre) in parts.centres.iter().enumerate() {
        centre::check(&mut cx, c, centre);
    }
    for (t, theme) in parts.themes.iter().enumerate() {
        theme::check(&mut cx, t, theme);
    }
    calendar::check(&mut cx, &parts.calendar);
    synonym::check(&mut cx, &parts.synonyms);
    cx.issues
}

/// The validation context: lookups and the issues found so far.
pub(crate) struct Cx<'a> {
    pub parts: &'a CatalogParts,
    unloaded: &'a Unloaded,
    ids: HashMap<Kind, HashSet<&'a str>>,
    pub items: HashMap<&'a str, &'a Item>,
    pub issues: Vec<Issue>,
}

impl<'a> Cx<'a> {
    fn new(parts: &'a CatalogParts, unloaded: &'a Unloaded) -> Cx<'a> {
        let mut ids: HashMap<Kind, HashSet<&str>> = HashMap::new();
        let mut add = |kind, it: Vec<&'a str>| ids.entry(kind).or_default().extend(it);
        add(
            Kind::Audience,
            parts.audiences.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::LifeStage,
            parts.life_stages.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Domain,
            parts.domains.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Centre,
            parts.centres.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Department,
            parts.departments.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Field,
            parts.fields.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Item,
            parts.items.iter().map(|x| x.id.as_str()).collect(),
        );
        add(
            Kind::Theme,
            parts.themes.iter().map(|x| x.id.as_str()).collect(),
        );
        let mut items = HashMap::new();
        for item in &parts.items {
            items.entry(item.id.as_str()).or_insert(item);
        }
        Cx {
            parts,
            unloaded,
            ids,
            items,
            issues: Vec::new(),
        }
    }

    pub fn push(&mut self, entity: Entity, path: Vec<PathSeg>, message: String) {
        self.issues.push(Issue {
            at: Site { entity, path },
            message,
            related: None,
        });
    }

    fn exists(&self, kind: Kind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|ids| ids.contains(id))
            || self.unloaded.0.contains(&(kind, id.to_owned()))
    }

    /// Reports `id` if no entity of `kind` has it.
    pub fn reference(&mut self, entity: Entity, path: Vec<PathSeg>, kind: Kind, id: &str) {
        if !self.exists(kind, id) {
            self.push(entity, path, format!("unknown {} `{id}`", kind.noun()));
        }
    }

    pub fn references(&mut self, entity: Entity, key: &'static str, kind: Kind, ids: &[String]) {
        for (i, id) in ids.iter().enumerate() {
            self.reference(entity, at![key, i], kind, id);
        }
    }

    /// `zh` must not be blank; `en` too where the schema requires a translation.
    pub fn text(&mut self, entity: Entity, path: Vec<PathSeg>, text: &Text, en_required: bool) {
        let name = path_name(&path);
        if text.zh.trim().is_empty() {
            self.push(
                entity,
                path.clone(),
                format!("`{name}` has an empty Chinese text (`zh`)"),
            );
        }
        if en_required && text.english().is_none() {
            self.push(
                entity,
                path,
                format!("`{name}` needs an English translation (`en`)"),
            );
        }
    }

    /// Checks the format of an id and reports every repeat of an earlier id, pointing at the first.
    pub fn ids<'i>(
        &mut self,
        what: &str,
        key: bool,
        list: impl Iterator<Item = (Entity, Vec<PathSeg>, &'i str)>,
    ) {
        let mut first: HashMap<&str, Site> = HashMap::new();
        for (entity, path, id) in list {
            let well_formed = if key { is_key(id) } else { is_id(id) };
            if !well_formed {
                let rule = if key {
                    "a lower-case letter, then lower-case letters, digits, `_` or `-`"
                } else {
                    "lower-case letters, digits and `-` only"
                };
                self.push(
                    entity,
                    path.clone(),
                    format!("malformed {what} id `{id}`: use {rule}"),
                );
            }
            let site = Site { entity, path };
            if let Some(earlier) = first.get(id) {
                self.issues.push(Issue {
                    at: site,
                    message: format!("duplicate {what} id `{id}`"),
                    related: Some(earlier.clone()),
                });
            } else {
                first.insert(id, site);
            }
        }
    }

    fn collections(&mut self) {
        let p = self.parts;
        macro_rules! named {
            ($list:expr, $entity:path, $what:literal) => {
                self.ids(
                    $what,
                    false,
                    $list
                        .iter()
                        .enumerate()
                        .map(|(i, x)| ($entity(i), at!["id"], x.id.as_str())),
                );
                for (i, x) in $list.iter().enumerate() {
                    self.text($entity(i), at!["name"], &x.name, true);
                }
            };
        }
        named!(p.audiences, Entity::Audience, "audience");
        named!(p.life_stages, Entity::LifeStage, "life stage");
        named!(p.domains, Entity::Domain, "domain");
        named!(p.centres, Entity::Centre, "service centre");
        named!(p.departments, Entity::Department, "department");
        named!(p.items, Entity::Item, "item");
        named!(p.themes, Entity::Theme, "theme");
        for (i, d) in p.departments.iter().enumerate() {
            if let Some(centre) = &d.centre {
                self.reference(Entity::Department(i), at!["centre"], Kind::Centre, centre);
            }
        }
        self.ids(
            "field",
            true,
            p.fields
                .iter()
                .enumerate()
                .map(|(i, f)| (Entity::Field(i), at!["id"], f.id.as_str())),
        );
        for (i, f) in p.fields.iter().enumerate() {
            let e = Entity::Field(i);
            let choice = f.kind == super::catalog::FieldKind::Choice;
            if choice && f.options.is_empty() {
                self.push(
                    e,
                    at!["options"],
                    format!("choice field `{}` needs `options`", f.id),
                );
            }
            if !choice && !f.options.is_empty() {
                self.push(
                    e,
                    at!["options"],
                    format!(
                        "field `{}`: `options` are only for `type = \"choice\"`",
                        f.id
                    ),
                );
            }
            self.options(e, &[], &f.options);
        }
    }

    /// Option values must be unique and non-empty; labels need English.
    pub fn options(&mut self, e: Entity, prefix: &[PathSeg], options: &[super::catalog::Choice]) {
        let at = |j: usize, key: &'static str| {
            let mut p = prefix.to_vec();
            p.extend(at!["options", j, key]);
            p
        };
        let mut seen = HashSet::new();
        for (j, o) in options.iter().enumerate() {
            if o.value.trim().is_empty() {
                self.push(e, at(j, "value"), "an option value is empty".into());
            } else if !seen.insert(o.value.as_str()) {
                self.push(
                    e,
                    at(j, "value"),
                    format!("duplicate option value `{}`", o.value),
                );
            }
            self.text(e, at(j, "label"), &o.label, true);
        }
    }
}

/// The last key of a path, for messages.
fn path_name(path: &[PathSeg]) -> String {
    path.iter()
        .rev()
        .find_map(|s| match s {
            PathSeg::Key(k) => Some((*k).to_owned()),
            PathSeg::Index(_) => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod theme_tests;
