//! The three kinds of catalog file: collections (`[[department]]`, `[[item]]` …), one theme per file under
//! `themes/`, one calendar year per file under `calendar/`.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::value::Datetime;
use toml::Spanned;

use super::spans::Lines;
use super::{Loader, Origin};
use crate::domain::calendar::{CalendarYear, Holiday};
use crate::domain::catalog::CatalogParts;
use crate::domain::text::Text;
use crate::domain::theme::{Question, Step, Theme};
use crate::domain::validate::{at, Entity, Kind};

/// The file being read.
pub(super) struct FileCx<'a> {
    pub file: usize,
    pub path: &'a Path,
    pub lines: &'a Lines,
}

const COLLECTIONS: &str =
    "audience, life_stage, domain, service_centre, department, field, item, synonym (and one [catalog])";

fn take<T: DeserializeOwned>(value: &Spanned<DeValue<'_>>) -> Result<T, toml::de::Error> {
    T::deserialize(ValueDeserializer::from(value.clone()))
}

/// The `id` of a table that failed to load, if it has a string one.
fn id_of(value: &Spanned<DeValue<'_>>) -> Option<String> {
    let table = value.get_ref().as_table()?;
    table
        .iter()
        .find(|(k, _)| k.get_ref() == "id")
        .and_then(|(_, v)| v.get_ref().as_str())
        .map(str::to_owned)
}

impl Loader {
    /// Each element of an array of tables, deserialised on its own.
    fn elements<'v, 'i>(
        &mut self,
        cx: &FileCx<'_>,
        key: &Spanned<std::borrow::Cow<'i, str>>,
        value: &'v Spanned<DeValue<'i>>,
    ) -> &'v [Spanned<DeValue<'i>>] {
        match value.get_ref().as_array() {
            Some(array) => array,
            None => {
                let name = key.get_ref();
                self.error(
                    cx.path,
                    cx.lines.line(key.span().start),
                    format!("`{name}` must be written [[{name}]]"),
                );
                &[]
            }
        }
    }

    fn collect<T: DeserializeOwned>(
        &mut self,
        cx: &FileCx<'_>,
        key: &'static str,
        items: &[Spanned<DeValue<'_>>],
        kind: Kind,
        list: fn(&mut CatalogParts) -> &mut Vec<T>,
        entity: fn(usize) -> Entity,
    ) {
        for (j, value) in items.iter().enumerate() {
            match take::<T>(value) {
                Ok(v) => {
                    let vec = list(&mut self.parts);
                    vec.push(v);
                    let origin = Origin::At {
                        file: cx.file,
                        base: at![key, j],
                    };
                    self.origins.insert(entity(vec.len() - 1), origin);
                }
                Err(e) => {
                    self.error(cx.path, cx.lines.of_error(&e), e.message());
                    if let Some(id) = id_of(value) {
                        self.unloaded.0.insert((kind, id));
                    }
                }
            }
        }
    }

    /// `[catalog] revision = N`: once in the whole catalog.
    fn catalog_header(&mut self, cx: &FileCx<'_>, line: usize, value: &Spanned<DeValue<'_>>) {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Header {
            revision: u32,
            #[serde(default)]
            consultation_days: Option<u32>,
            #[serde(default)]
            follow_up_days: Option<u32>,
        }
        match take::<Header>(value) {
            Ok(_) if self.parts.revision.is_some() => self.error(
                cx.path,
                line,
                "a second `[catalog]` table; the revision is set once, in catalog.toml".to_owned(),
            ),
            Ok(header) => {
                self.parts.revision = Some(header.revision);
                self.parts.consultation_days = header.consultation_days;
                self.parts.follow_up_days = header.follow_up_days;
            }
            Err(e) => self.error(cx.path, cx.lines.of_error(&e), e.message()),
        }
    }

    pub(super) fn collections(&mut self, cx: &FileCx<'_>, table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            let line = cx.lines.line(key.span().start);
            let name: &str = key.get_ref();
            if matches!(name, "theme" | "question" | "step") {
                self.error(
                    cx.path,
                    line,
                    format!("`{name}` belongs in a theme file under themes/"),
                );
                continue;
            }
            if matches!(name, "year" | "holidays" | "workdays") {
                self.error(
                    cx.path,
                    line,
                    format!("`{name}` belongs in a calendar file under calendar/"),
                );
                continue;
            }
            if name == "catalog" {
                self.catalog_header(cx, line, value);
                continue;
            }
            let items = self.elements(cx, key, value);
            match name {
                "audience" => self.collect(
                    cx,
                    "audience",
                    items,
                    Kind::Audience,
                    |p| &mut p.audiences,
                    Entity::Audience,
                ),
                "life_stage" => self.collect(
                    cx,
                    "life_stage",
                    items,
                    Kind::LifeStage,
                    |p| &mut p.life_stages,
                    Entity::LifeStage,
                ),
                "domain" => self.collect(
                    cx,
                    "domain",
                    items,
                    Kind::Domain,
                    |p| &mut p.domains,
                    Entity::Domain,
                ),
                "service_centre" => self.collect(
                    cx,
                    "service_centre",
                    items,
                    Kind::Centre,
                    |p| &mut p.centres,
                    Entity::Centre,
                ),
                "department" => self.collect(
                    cx,
                    "department",
                    items,
                    Kind::Department,
                    |p| &mut p.departments,
                    Entity::Department,
                ),
                "field" => self.collect(
                    cx,
                    "field",
                    items,
                    Kind::Field,
                    |p| &mut p.fields,
                    Entity::Field,
                ),
                "item" => self.collect(
                    cx,
                    "item",
                    items,
                    Kind::Item,
                    |p| &mut p.items,
                    Entity::Item,
                ),
                "synonym" => self.collect(
                    cx,
                    "synonym",
                    items,
                    Kind::Synonym,
                    |p| &mut p.synonyms,
                    Entity::Synonym,
                ),
                other => self.error(
                    cx.path,
                    line,
                    format!("unknown table `[[{other}]]`; expected one of {COLLECTIONS}"),
                ),
            }
        }
    }

    pub(super) fn theme(&mut self, cx: &FileCx<'_>, table: &DeTable<'_>) {
        let mut header: Option<Theme> = None;
        let mut header_line = 1;
        let mut broken = false;
        let mut questions: Vec<(usize, Question)> = Vec::new();
        let mut steps: Vec<(usize, Step)> = Vec::new();
        for (key, value) in table.iter() {
            let line = cx.lines.line(key.span().start);
            let name: &str = key.get_ref();
            let result = match name {
                "theme" => {
                    header_line = line;
                    take::<Theme>(value).map(|t| header = Some(t))
                }
                "question" => {
                    let items = self.elements(cx, key, value);
                    self.entries(cx, items, &mut questions, &mut broken);
                    Ok(())
                }
                "step" => {
                    let items = self.elements(cx, key, value);
                    self.entries(cx, items, &mut steps, &mut broken);
                    Ok(())
                }
                other => {
                    let message = format!("unknown table `{other}`; a theme file holds [theme], [[question]] and [[step]]");
                    self.error(cx.path, line, message);
                    broken = true;
                    Ok(())
                }
            };
            if let Err(e) = result {
                self.error(cx.path, cx.lines.of_error(&e), e.message());
                broken = true;
            }
        }
        let Some(mut theme) = header else {
            if !broken {
                self.error(cx.path, 1, "a theme file needs a [theme] table");
            }
            return;
        };
        if !theme.questions.is_empty() || !theme.steps.is_empty() {
            let message =
                "write questions as [[question]] and steps as [[step]], not inside [theme]";
            self.error(cx.path, header_line, message);
            broken = true;
        }
        if broken {
            self.unloaded.0.insert((Kind::Theme, theme.id));
            return;
        }
        let (question_at, qs): (Vec<usize>, Vec<Question>) = questions.into_iter().unzip();
        let (step_at, ss): (Vec<usize>, Vec<Step>) = steps.into_iter().unzip();
        theme.questions = qs;
        theme.steps = ss;
        self.parts.themes.push(theme);
        let origin = Origin::Theme {
            file: cx.file,
            questions: question_at,
            steps: step_at,
        };
        self.origins
            .insert(Entity::Theme(self.parts.themes.len() - 1), origin);
    }

    /// The elements of `[[question]]` or `[[step]]`, each with its position in the file.
    fn entries<T: DeserializeOwned>(
        &mut self,
        cx: &FileCx<'_>,
        items: &[Spanned<DeValue<'_>>],
        out: &mut Vec<(usize, T)>,
        broken: &mut bool,
    ) {
        for (j, value) in items.iter().enumerate() {
            match take::<T>(value) {
                Ok(v) => out.push((j, v)),
                Err(e) => {
                    self.error(cx.path, cx.lines.of_error(&e), e.message());
                    *broken = true;
                }
            }
        }
    }

    pub(super) fn calendar(&mut self, cx: &FileCx<'_>, doc: &Spanned<DeValue<'_>>) {
        let file: YearFile = match take(doc) {
            Ok(f) => f,
            Err(e) => return self.error(cx.path, cx.lines.of_error(&e), e.message()),
        };
        let mut ok = true;
        let mut date = |loader: &mut Loader, d: &Spanned<Datetime>| match to_date(d.get_ref()) {
            Some(day) => Some(day),
            None => {
                let line = cx.lines.line(d.span().start);
                loader.error(
                    cx.path,
                    line,
                    format!("`{}` is not a date like 2026-01-01", d.get_ref()),
                );
                ok = false;
                None
            }
        };
        let mut holidays = Vec::new();
        for h in &file.holidays {
            let from = date(self, &h.date);
            let to = match &h.to {
                Some(to) => date(self, to),
                None => from,
            };
            if let (Some(date), Some(to)) = (from, to) {
                holidays.push(Holiday {
                    date,
                    to,
                    name: h.name.clone(),
                });
            }
        }
        let workdays: Vec<time::Date> =
            file.workdays.iter().filter_map(|d| date(self, d)).collect();
        let year_line = cx.lines.line(file.year.span().start);
        let Ok(year) = i32::try_from(*file.year.get_ref()) else {
            return self.error(
                cx.path,
                year_line,
                format!("year {} is out of range", file.year.get_ref()),
            );
        };
        let stem = cx
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != year.to_string() {
            self.error(
                cx.path,
                year_line,
                format!("year {year} does not match the file name `{stem}.toml`"),
            );
        }
        if ok {
            self.parts.calendar.push(CalendarYear {
                year,
                source: file.source,
                holidays,
                workdays,
            });
            let origin = Origin::At {
                file: cx.file,
                base: Vec::new(),
            };
            self.origins
                .insert(Entity::CalendarYear(self.parts.calendar.len() - 1), origin);
        }
    }
}

/// A TOML local date (no time, no offset).
fn to_date(d: &Datetime) -> Option<time::Date> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => {
            let month = time::Month::try_from(date.month).ok()?;
            time::Date::from_calendar_date(i32::from(date.year), month, date.day).ok()
        }
        _ => None,
    }
}

/// The data form of a calendar file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: Spanned<i64>,
    source: String,
    #[serde(default)]
    holidays: Vec<HolidayEntry>,
    #[serde(default)]
    workdays: Vec<Spanned<Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    date: Spanned<Datetime>,
    #[serde(default)]
    to: Option<Spanned<Datetime>>,
    name: Text,
}
