//! Builds the catalog pages' wire types from the loaded catalog. No I/O — the catalog is in memory — except
//! [`search`], which asks the database's search index.

use std::collections::HashMap;

use time::Date;

use super::db::Db;
use super::search_index;
use crate::api::catalog::{
    BrowseBy, BrowseView, DepartmentView, HomeData, ItemCard, ItemView, Named, SearchView,
    StepView, ThemeCard, ThemeView,
};
use crate::domain::catalog::{Catalog, StageScope};
use crate::domain::item::Item;
use crate::domain::search::{self, Hit, HitKind};
use crate::domain::text::Text;
use crate::domain::theme::Theme;

fn named(id: &str, name: &Text) -> Named {
    Named {
        id: id.to_owned(),
        name: name.clone(),
    }
}

fn unknown(id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: Text::new(id, id),
    }
}

fn dept_named(catalog: &Catalog, id: &str) -> Named {
    catalog
        .department(id)
        .map(|d| named(&d.id, &d.name))
        .unwrap_or_else(|| unknown(id))
}

pub fn theme_card(catalog: &Catalog, theme: &Theme) -> ThemeCard {
    ThemeCard {
        id: theme.id.clone(),
        name: theme.name.clone(),
        summary: theme.summary.clone(),
        domain: theme.domain.clone(),
        historical: theme.historical,
        era: theme.era.clone(),
        departments: catalog.theme_departments(&theme.id).len(),
        steps: theme.steps.len(),
        committed_days: theme.committed_days,
    }
}

pub fn item_card(catalog: &Catalog, item: &Item) -> ItemCard {
    ItemCard {
        id: item.id.clone(),
        name: item.name.clone(),
        department: catalog
            .department(&item.department)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        committed: item.committed_limit.clone(),
    }
}

pub fn home(catalog: &Catalog) -> HomeData {
    let stages = |scope: StageScope| {
        catalog
            .life_stages()
            .iter()
            .filter(|s| s.scope == scope)
            .cloned()
            .collect::<Vec<_>>()
    };
    HomeData {
        domains: catalog.domains().to_vec(),
        themes: catalog
            .themes()
            .iter()
            .map(|t| theme_card(catalog, t))
            .collect(),
        audiences: catalog.audiences().to_vec(),
        personal_stages: stages(StageScope::Personal),
        enterprise_stages: stages(StageScope::Enterprise),
    }
}

/// The name of a material id, as the first item that lists it calls it.
fn material_names(catalog: &Catalog) -> HashMap<&str, &Text> {
    let mut names = HashMap::new();
    for item in catalog.items() {
        for m in &item.materials {
            names.entry(m.id.as_str()).or_insert(&m.name);
        }
    }
    names
}

/// A material's name; for a result no item lists as a material, the name of the item that produces it.
fn material_name(catalog: &Catalog, names: &HashMap<&str, &Text>, id: &str) -> Text {
    names
        .get(id)
        .map(|t| (*t).clone())
        .or_else(|| {
            catalog
                .producers_of(id)
                .next()
                .map(|item| item.name.clone())
        })
        .unwrap_or_else(|| Text::new(id, id))
}

pub fn theme(catalog: &Catalog, id: &str, today: Date) -> Option<ThemeView> {
    let theme = catalog.theme(id)?;
    let roadmap = crate::domain::overview(theme, catalog).ok()?;
    let names = material_names(catalog);
    let number_of: HashMap<&str, usize> = roadmap
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i + 1))
        .collect();
    let views: Vec<StepView> = roadmap
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| {
            let item = catalog.item(&step.item)?;
            let (from_earlier, needs): (Vec<_>, Vec<_>) =
                item.materials.iter().partition(|m| m.produced_by.is_some());
            Some(StepView {
                number: i + 1,
                id: step.id.clone(),
                item: named(&item.id, &item.name),
                department: dept_named(catalog, &item.department),
                alternatives: step
                    .alternatives
                    .iter()
                    .filter_map(|a| catalog.item(a).map(|i| named(&i.id, &i.name)))
                    .collect(),
                conditional: step.conditional,
                why: step.why.clone(),
                needs: needs.iter().map(|m| m.name.clone()).collect(),
                from_earlier: from_earlier.iter().map(|m| m.name.clone()).collect(),
                produces: item
                    .produces
                    .iter()
                    .map(|p| material_name(catalog, &names, p))
                    .collect(),
                after: step
                    .after
                    .iter()
                    .filter_map(|a| number_of.get(a.as_str()).copied())
                    .collect(),
                fee: item.fee.clone(),
                committed: step.committed.clone(),
                statutory: step.statutory.clone(),
            })
        })
        .collect();
    let mut stages: Vec<Vec<StepView>> = vec![Vec::new(); roadmap.stages.len()];
    for (view, step) in views.into_iter().zip(&roadmap.steps) {
        if let Some(stage) = stages.get_mut(step.stage) {
            stage.push(view);
        }
    }
    stages.retain(|s| !s.is_empty());
    Some(ThemeView {
        card: theme_card(catalog, theme),
        who: theme.who.clone(),
        needs: theme.needs.clone(),
        lead: dept_named(catalog, &theme.lead_department),
        audiences: theme
            .audiences
            .iter()
            .filter_map(|a| catalog.audience(a).map(|x| named(&x.id, &x.name)))
            .collect(),
        critical_days: roadmap.critical_path.working_days,
        critical_steps: roadmap
            .critical_path
            .steps
            .iter()
            .filter_map(|s| number_of.get(s.as_str()).copied())
            .collect(),
        open_limits: !roadmap.critical_path.open_limits.is_empty(),
        earliest: roadmap
            .earliest_completion(today, catalog.calendar())
            .to_string(),
        questions: theme.questions.len(),
        stages,
    })
}

pub fn item(catalog: &Catalog, id: &str) -> Option<ItemView> {
    let item = catalog.item(id)?;
    let names = material_names(catalog);
    Some(ItemView {
        bookable: catalog
            .centres()
            .iter()
            .filter_map(|c| c.appointments.as_ref())
            .any(|a| a.window_for(item).is_some()),
        department: dept_named(catalog, &item.department),
        centre: item
            .location
            .as_ref()
            .and_then(|l| l.centre.as_deref())
            .and_then(|c| catalog.centre(c))
            .cloned(),
        audiences: item
            .audiences
            .iter()
            .filter_map(|a| catalog.audience(a).map(|x| named(&x.id, &x.name)))
            .collect(),
        life_stages: item
            .life_stages
            .iter()
            .filter_map(|a| catalog.life_stage(a).map(|x| named(&x.id, &x.name)))
            .collect(),
        producers: item
            .materials
            .iter()
            .filter_map(|m| {
                let by = m.produced_by.as_deref()?;
                catalog
                    .item(by)
                    .map(|p| (m.id.clone(), named(&p.id, &p.name)))
            })
            .collect(),
        produces: item
            .produces
            .iter()
            .map(|p| material_name(catalog, &names, p))
            .collect(),
        themes: catalog
            .themes_using(&item.id)
            .map(|t| named(&t.id, &t.name))
            .collect(),
        item: item.clone(),
    })
}

pub fn department(catalog: &Catalog, id: &str) -> Option<DepartmentView> {
    let department = catalog.department(id)?;
    Some(DepartmentView {
        centre: department
            .centre
            .as_deref()
            .and_then(|c| catalog.centre(c))
            .cloned(),
        items: catalog
            .items_of(id)
            .map(|i| item_card(catalog, i))
            .collect(),
        themes: catalog
            .themes()
            .iter()
            .filter(|t| catalog.theme_departments(&t.id).iter().any(|d| d == id))
            .map(|t| theme_card(catalog, t))
            .collect(),
        department: department.clone(),
    })
}

pub fn browse(catalog: &Catalog, by: BrowseBy, id: &str) -> Option<BrowseView> {
    let title = match by {
        BrowseBy::Audience => catalog.audience(id)?.name.clone(),
        BrowseBy::Stage => catalog.life_stage(id)?.name.clone(),
    };
    let has = |audiences: &[String], stages: &[String]| match by {
        BrowseBy::Audience => audiences.iter().any(|a| a == id),
        BrowseBy::Stage => stages.iter().any(|s| s == id),
    };
    Some(BrowseView {
        title,
        themes: catalog
            .current_themes()
            .filter(|t| has(&t.audiences, &t.life_stages))
            .map(|t| theme_card(catalog, t))
            .collect(),
        items: catalog
            .items()
            .iter()
            .filter(|i| has(&i.audiences, &i.life_stages))
            .filter(|i| {
                !catalog
                    .department(&i.department)
                    .is_some_and(|d| d.historical)
            })
            .map(|i| item_card(catalog, i))
            .collect(),
    })
}

/// At most this many current themes are suggested when nothing matched (the home page lists them all).
const MAX_SUGGESTIONS: usize = 12;

/// The search page: hits from the database's index. Should the database fail, the same search runs over the
/// in-memory catalog, so the page still answers. `page` as typed: not a number means the first, past the last means
/// the last.
pub async fn search(db: &Db, catalog: &Catalog, query: &str, page: &str) -> SearchView {
    let found = match search_index::find(db, catalog, query).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "indexed search failed; searching the catalog in memory");
            std::sync::Arc::new(search_index::Found {
                hits: search::search(catalog, query),
                cut: false,
            })
        }
    };
    let page = page.trim().parse::<i64>().unwrap_or(1);
    search_view(catalog, query, &found.hits, page, found.cut)
}

/// One page of results for hits already found.
pub fn search_view(
    catalog: &Catalog,
    query: &str,
    hits: &[Hit],
    page: i64,
    many: bool,
) -> SearchView {
    let per_page = SearchView::PER_PAGE;
    let themes: Vec<&Theme> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Theme)
        .filter_map(|h| catalog.theme(&h.id))
        .collect();
    let items: Vec<&Item> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Item)
        .filter_map(|h| catalog.item(&h.id))
        .collect();
    let pages = themes.len().max(items.len()).div_ceil(per_page).max(1);
    let page = page.clamp(1, pages as i64);
    let skip = (page as usize - 1) * per_page;
    let suggestions = if themes.is_empty() && items.is_empty() {
        catalog
            .current_themes()
            .take(MAX_SUGGESTIONS)
            .map(|t| theme_card(catalog, t))
            .collect()
    } else {
        Vec::new()
    };
    SearchView {
        query: search::normalize(query),
        themes: themes
            .iter()
            .skip(skip)
            .take(per_page)
            .map(|t| theme_card(catalog, t))
            .collect(),
        items: items
            .iter()
            .skip(skip)
            .take(per_page)
            .map(|i| item_card(catalog, i))
            .collect(),
        themes_found: themes.len(),
        items_found: items.len(),
        many,
        page,
        pages: pages as i64,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        crate::domain::load::shipped_catalog()
    }

    #[test]
    fn restaurant_overview_runs_the_licence_first_then_parallel_steps() {
        let catalog = shipped();
        let today = time::macros::date!(2026 - 02 - 12);
        let view = theme(&catalog, "open-restaurant", today).expect("theme");
        assert!(view.stages.len() >= 2, "{} stages", view.stages.len());
        assert_eq!(
            view.stages[0].len(),
            1,
            "the business licence comes first, alone"
        );
        assert!(
            view.stages[1].len() >= 3,
            "several steps run in parallel after the licence"
        );
        assert!(
            view.card.departments >= 8,
            "{} departments",
            view.card.departments
        );
        // Spring festival 2026-02-15..23 lies inside the plan, so the end date is after it.
        assert!(view.earliest.as_str() > "2026-02-23", "{}", view.earliest);
        // Every result reads as words, never as a raw material id.
        for step in view.stages.iter().flatten() {
            for produced in &step.produces {
                assert!(
                    !produced.zh.is_ascii(),
                    "step {} produces {:?}",
                    step.id,
                    produced.zh
                );
            }
        }
    }

    #[test]
    fn unknown_ids_are_none() {
        let catalog = shipped();
        let today = time::macros::date!(2026 - 01 - 05);
        assert!(theme(&catalog, "no-such-theme", today).is_none());
        assert!(item(&catalog, "<script>").is_none());
        assert!(department(&catalog, "").is_none());
        assert!(browse(&catalog, BrowseBy::Audience, "aliens").is_none());
    }

    #[test]
    fn search_finds_short_and_long_words_and_suggests_on_no_result() {
        let catalog = shipped();
        let find = |q: &str| search_view(&catalog, q, &search::search(&catalog, q), 1, false);
        for q in ["餐饮", "出生", "税", "营业执照"] {
            let view = find(q);
            assert!(
                !view.themes.is_empty() || !view.items.is_empty(),
                "nothing for {q}"
            );
        }
        assert_eq!(find("餐饮").themes[0].id, "open-restaurant");
        assert_eq!(find("开饭店").themes[0].id, "open-restaurant");
        let none = find("zzzzqqq");
        assert!(none.themes.is_empty() && none.items.is_empty());
        assert!(!none.suggestions.is_empty());
        let long = find(&"餐".repeat(10_000));
        assert!(long.query.chars().count() <= crate::domain::search::MAX_QUERY_CHARS);
    }

    #[test]
    fn browsing_by_audience_and_stage_lists_themes() {
        let catalog = shipped();
        let view = browse(&catalog, BrowseBy::Audience, "enterprises").expect("audience");
        assert!(view.themes.iter().any(|t| t.id == "open-restaurant"));
        let view = browse(&catalog, BrowseBy::Stage, "p-birth").expect("stage");
        assert!(view.themes.iter().any(|t| t.id == "newborn"));
    }
}
