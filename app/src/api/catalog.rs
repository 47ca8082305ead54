//! Read-only catalog pages: the home page, theme overviews, item guides, departments, browsing and search.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::catalog::{Audience, Centre, Department, Domain, LifeStage};
use crate::domain::item::{Fee, Item, Limit};
use crate::domain::text::Text;

/// A theme in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeCard {
    pub id: String,
    pub name: Text,
    pub summary: Option<Text>,
    pub domain: String,
    pub historical: bool,
    pub era: Option<Text>,
    pub departments: usize,
    pub steps: usize,
    pub committed_days: Option<u32>,
}

/// An item in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemCard {
    pub id: String,
    pub name: Text,
    pub department: Text,
    pub committed: Limit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub domains: Vec<Domain>,
    pub themes: Vec<ThemeCard>,
    pub audiences: Vec<Audience>,
    pub personal_stages: Vec<LifeStage>,
    pub enterprise_stages: Vec<LifeStage>,
}

/// A link to another catalog entry, with its name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: Text,
}

/// One step of a theme overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub number: usize,
    pub id: String,
    pub item: Named,
    pub department: Named,
    pub alternatives: Vec<Named>,
    pub conditional: bool,
    pub why: Option<Text>,
    /// Materials the applicant brings.
    pub needs: Vec<Text>,
    /// Materials an earlier step produces: never asked for again.
    pub from_earlier: Vec<Text>,
    pub produces: Vec<Text>,
    pub after: Vec<usize>,
    pub fee: Fee,
    pub committed: Limit,
    pub statutory: Limit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeView {
    pub card: ThemeCard,
    pub who: Option<Text>,
    pub needs: Option<Text>,
    pub lead: Named,
    pub audiences: Vec<Named>,
    pub stages: Vec<Vec<StepView>>,
    pub critical_days: u32,
    pub critical_steps: Vec<usize>,
    pub open_limits: bool,
    /// ISO date of the earliest completion if started today, on the working-day calendar.
    pub earliest: String,
    pub questions: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub item: Item,
    pub department: Named,
    pub centre: Option<Centre>,
    pub audiences: Vec<Named>,
    pub life_stages: Vec<Named>,
    /// For each material produced by another item: (material id, that item).
    pub producers: Vec<(String, Named)>,
    pub produces: Vec<Text>,
    pub themes: Vec<Named>,
    /// A service centre takes appointments for it (预约办理).
    #[serde(default)]
    pub bookable: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub department: Department,
    pub centre: Option<Centre>,
    pub items: Vec<ItemCard>,
    pub themes: Vec<ThemeCard>,
}

/// Themes and items for one audience or life-cycle stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrowseView {
    pub title: Text,
    pub themes: Vec<ThemeCard>,
    pub items: Vec<ItemCard>,
}

/// One page of search results: up to [`SearchView::PER_PAGE`] themes and as many items, best first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchView {
    pub query: String,
    pub themes: Vec<ThemeCard>,
    pub items: Vec<ItemCard>,
    /// How many themes and items matched in all, over every page.
    pub themes_found: usize,
    pub items_found: usize,
    /// The query matched more than search scores: these are the closest, and another word would narrow them.
    pub many: bool,
    /// 1-based; `pages` is at least 1.
    pub page: i64,
    pub pages: i64,
    /// Shown when nothing matched or the query was empty: a few current themes.
    pub suggestions: Vec<ThemeCard>,
}

impl SearchView {
    /// Results of each kind on one page: enough to scan on a phone.
    pub const PER_PAGE: usize = 20;
}

/// Which list a browse page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrowseBy {
    Audience,
    Stage,
}

#[server]
pub async fn get_home() -> Result<HomeData, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    Ok(crate::server::catalog_views::home(&state.catalog))
}

#[server]
pub async fn get_theme(id: String) -> Result<Option<ThemeView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let today = crate::server::clock::local_today();
    Ok(crate::server::catalog_views::theme(
        &state.catalog,
        &id,
        today,
    ))
}

#[server]
pub async fn get_item(id: String) -> Result<Option<ItemView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    Ok(crate::server::catalog_views::item(&state.catalog, &id))
}

#[server]
pub async fn get_department(id: String) -> Result<Option<DepartmentView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    Ok(crate::server::catalog_views::department(
        &state.catalog,
        &id,
    ))
}

#[server]
pub async fn get_browse(by: BrowseBy, id: String) -> Result<Option<BrowseView>, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    Ok(crate::server::catalog_views::browse(
        &state.catalog,
        by,
        &id,
    ))
}

/// `page` is the page number as typed in the address; anything else than a number in range shows the nearest page.
#[server]
pub async fn get_search(query: String, page: String) -> Result<SearchView, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    Ok(crate::server::catalog_views::search(&state.db, &state.catalog, &query, &page).await)
}
