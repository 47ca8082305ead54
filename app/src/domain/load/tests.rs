use std::path::{Path, PathBuf};

use super::*;

/// Loads in-memory files named relative to the catalog root.
pub(super) fn load(files: &[(&str, &str)]) -> Result<Catalog, CatalogErrors> {
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect();
    load_sources(Path::new(""), &sources)
}

pub(super) fn errors(files: &[(&str, &str)]) -> Vec<String> {
    match load(files) {
        Ok(_) => Vec::new(),
        Err(CatalogErrors(errors)) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

const TAXONOMY: &str = r#"
[[audience]]
id = "enterprises"
name = { zh = "企业", en = "Enterprises" }

[[life_stage]]
id = "e-setup"
scope = "enterprise"
name = { zh = "开办设立", en = "Setting up" }

[[domain]]
id = "company-start"
name = { zh = "公司开办", en = "Starting a company" }

[[service_centre]]
id = "city-centre"
name = { zh = "市民服务中心", en = "City Service Centre" }
"#;

const DEPARTMENTS: &str = r#"
[[department]]
id = "samr"
name = { zh = "市场监督管理局", en = "Administration for Market Regulation" }
centre = "city-centre"

[[department]]
id = "psb"
name = { zh = "公安局", en = "Public Security Bureau" }
"#;

const ITEMS: &str = r#"
[[item]]
id = "samr-business-registration"
department = "samr"
kind = "licensing"
name = { zh = "企业设立登记", en = "Business registration" }
statutory_limit = { kind = "working_days", days = 3, extension_days = 3, source = "条例第十九条" }
committed_limit = { kind = "working_days", days = 1, varies = true }
fee = { yuan = 0 }
online_level = "fully_online"
where = { centre = "city-centre", window = { zh = "企业开办专区" } }
produces = ["business-licence"]

[[item]]
id = "psb-seal"
department = "psb"
kind = "public_service"
name = { zh = "印章刻制", en = "Seal engraving" }
statutory_limit = { kind = "none" }
committed_limit = { kind = "on_the_spot" }
fee = { yuan = 0 }
online_level = "apply_online"

[[item.material]]
id = "business-licence"
name = { zh = "营业执照", en = "Business licence" }
form = "copy"
produced_by = "samr-business-registration"
"#;

const THEME: &str = r#"
[theme]
id = "open-shop"
name = { zh = "开店", en = "Open a shop" }
domain = "company-start"
lead_department = "samr"

[[question]]
id = "entity"
text = { zh = "公司还是个体？", en = "Company or sole trader?" }
kind = "choice"
options = [ { value = "company", label = { zh = "公司", en = "Company" } },
            { value = "sole", label = { zh = "个体", en = "Sole trader" } } ]

[[step]]
id = "licence"
item = "samr-business-registration"

[[step]]
id = "seal"
item = "psb-seal"
after = ["licence"]
when = "entity == 'company'"
"#;

pub(super) const YEAR: &str = r#"
year = 2026
source = "国务院办公厅关于2026年部分节假日安排的通知"
holidays = [ { date = 2026-02-15, to = 2026-02-23, name = { zh = "春节", en = "Spring Festival" } },
             { date = 2026-05-01, name = { zh = "劳动节", en = "Labour Day" } } ]
workdays = [ 2026-02-14, 2026-02-28 ]
"#;

pub(super) fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("catalog.toml", "[catalog]\nrevision = 1\n"),
        ("taxonomy.toml", TAXONOMY),
        ("departments.toml", DEPARTMENTS),
        ("items/samr.toml", ITEMS),
        ("themes/open-shop.toml", THEME),
        ("calendar/2026.toml", YEAR),
    ]
}

/// `good()` with one file replaced.
pub(super) fn with(path: &'static str, text: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut files: Vec<_> = good().into_iter().filter(|(p, _)| *p != path).collect();
    files.push((path, text));
    files
}

/// A file with `from` replaced by `to` (the text must change).
pub(super) fn edit(text: &'static str, from: &str, to: &str) -> &'static str {
    assert!(text.contains(from), "fixture does not contain {from:?}");
    Box::leak(text.replacen(from, to, 1).into_boxed_str())
}

#[test]
fn a_good_catalog_loads() {
    let catalog = load(&good()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog.item("psb-seal").map(|i| i.materials.len()), Some(1));
    assert_eq!(catalog.theme("open-shop").map(|t| t.steps.len()), Some(2));
    assert!(catalog.calendar().covers(2026));
    assert!(!catalog
        .calendar()
        .is_working_day(time::macros::date!(2026 - 05 - 01)));
}

#[test]
fn the_revision_is_required_once() {
    let missing: Vec<_> = good()
        .into_iter()
        .filter(|(p, _)| *p != "catalog.toml")
        .collect();
    let got = errors(&missing);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("catalog.toml: the catalog has no revision"),
        "{got:#?}"
    );
    let twice = with(
        "departments.toml",
        Box::leak(format!("[catalog]\nrevision = 2\n{DEPARTMENTS}").into_boxed_str()),
    );
    let got = errors(&twice);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("departments.toml:1: a second `[catalog]`"),
        "{got:#?}"
    );
    let wrong = with("catalog.toml", "[catalog]\nrevision = \"one\"\n");
    assert!(
        errors(&wrong)[0].starts_with("catalog.toml:2: "),
        "{:#?}",
        errors(&wrong)
    );
    assert_eq!(load(&good()).map(|c| c.parts().revision), Ok(Some(1)));
}

#[test]
fn syntax_errors_of_every_file_at_once() {
    let files = vec![
        (
            "departments.toml",
            edit(DEPARTMENTS, "id = \"psb\"", "id = \"psb"),
        ),
        ("taxonomy.toml", edit(TAXONOMY, "[[domain]]", "[[domain]")),
    ];
    let got = errors(&files);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("departments.toml:8: "), "{got:#?}");
    assert!(got[1].starts_with("taxonomy.toml:11: "), "{got:#?}");
}

#[test]
fn unknown_keys_point_at_the_key() {
    let got = errors(&with(
        "departments.toml",
        edit(DEPARTMENTS, "centre = ", "phone = \"12345\"\ncentr = "),
    ));
    assert_eq!(got, vec!["departments.toml:6: unknown field `centr`, expected one of `id`, `name`, `short`, `summary`, `formerly`, `historical`, `centre`, `phone`"]);
}

#[test]
fn wrong_enum_values_point_at_the_value() {
    let got = errors(&with(
        "items/samr.toml",
        edit(ITEMS, "form = \"copy\"", "form = \"photocopy\""),
    ));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("items/samr.toml:27: unknown variant `photocopy`"),
        "{got:#?}"
    );
}

#[test]
fn limits_with_days_missing_misplaced_or_an_unknown_kind() {
    let got = errors(&with(
        "items/samr.toml",
        edit(
            ITEMS,
            "kind = \"working_days\", days = 3, ",
            "kind = \"working_days\", ",
        ),
    ));
    assert_eq!(
        got,
        vec!["items/samr.toml:7: limit of kind `working_days` needs `days`"]
    );
    let got = errors(&with(
        "items/samr.toml",
        edit(
            ITEMS,
            "{ kind = \"none\" }",
            "{ kind = \"none\", days = 2 }",
        ),
    ));
    assert_eq!(
        got,
        vec!["items/samr.toml:19: `days` is not allowed on a limit of kind `none`"]
    );
    let got = errors(&with(
        "items/samr.toml",
        edit(ITEMS, "{ kind = \"on_the_spot\" }", "{ kind = \"weeks\" }"),
    ));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("items/samr.toml:20: unknown variant `weeks`"),
        "{got:#?}"
    );
}

#[test]
fn conditions_that_fail_to_parse_give_line_and_column() {
    let got = errors(&with(
        "themes/open-shop.toml",
        edit(THEME, "entity == 'company'", "entity = 'company'"),
    ));
    assert_eq!(
        got,
        vec!["themes/open-shop.toml:23: condition `entity = 'company'`: column 8: expected `==` (a single `=` is not a comparison)"]
    );
}

#[test]
fn validation_errors_point_at_their_line() {
    let got = errors(&with(
        "departments.toml",
        edit(DEPARTMENTS, "centre = \"city-centre\"", "centre = \"moon\""),
    ));
    assert_eq!(
        got,
        vec!["departments.toml:5: unknown service centre `moon`"]
    );
    let got = errors(&with(
        "themes/open-shop.toml",
        edit(
            THEME,
            "after = [\"licence\"]",
            "after = [\"licence\", \"name\"]",
        ),
    ));
    assert_eq!(
        got,
        vec!["themes/open-shop.toml:22: unknown step `name` in `after`"]
    );
    let got = errors(&with(
        "themes/open-shop.toml",
        edit(THEME, "en = \"Open a shop\"", "en = \"\""),
    ));
    assert_eq!(
        got,
        vec!["themes/open-shop.toml:4: `name` needs an English translation (`en`)"]
    );
    let got = errors(&with(
        "themes/open-shop.toml",
        edit(
            THEME,
            "label = { zh = \"个体\", en = \"Sole trader\" }",
            "label = { zh = \"个体\" }",
        ),
    ));
    assert_eq!(
        got,
        vec!["themes/open-shop.toml:13: `label` needs an English translation (`en`)"]
    );
    let got = errors(&with(
        "items/samr.toml",
        edit(ITEMS, "produces = [\"business-licence\"]", "produces = []"),
    ));
    assert_eq!(got, vec!["items/samr.toml:28: item `samr-business-registration` does not produce material `business-licence` (add it to its `produces`)"]);
}

#[test]
fn theme_lines_skip_entries_that_failed() {
    // The first step fails to load; the second keeps its own line for its own error.
    let text = edit(
        THEME,
        "item = \"samr-business-registration\"",
        "item = \"samr-business-registration\"\nwhy = 3",
    );
    let text = edit(
        text,
        "when = \"entity == 'company'\"",
        "when = \"entity == 'compnay'\"",
    );
    let got = errors(&with("themes/open-shop.toml", text));
    assert_eq!(
        got.len(),
        1,
        "a theme with broken entries is not validated further: {got:#?}"
    );
    assert!(
        got[0].starts_with("themes/open-shop.toml:18: invalid type: integer `3`"),
        "{got:#?}"
    );
}

#[test]
fn duplicates_across_files_name_the_first() {
    let mut files = good();
    files.push((
        "items/more.toml",
        edit(ITEMS, "id = \"psb-seal\"", "id = \"psb-seal-2\""),
    ));
    let got = errors(&files);
    assert_eq!(got, vec!["items/more.toml:3: duplicate item id `samr-business-registration`; first defined at items/samr.toml:3"]);
}

#[test]
fn an_entry_that_fails_to_load_is_not_reported_again_as_unknown() {
    let got = errors(&with(
        "departments.toml",
        edit(
            DEPARTMENTS,
            "id = \"psb\"",
            "id = \"psb\"\nhistorcal = true",
        ),
    ));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].starts_with("departments.toml:9: unknown field `historcal`"),
        "{got:#?}"
    );
}

#[test]
fn tables_in_the_wrong_file() {
    let got = errors(&with(
        "taxonomy.toml",
        edit(TAXONOMY, "[[audience]]", "[[audiences]]"),
    ));
    assert!(
        got[0].starts_with(
            "taxonomy.toml:2: unknown table `[[audiences]]`; expected one of audience"
        ),
        "{got:#?}"
    );
    let got = errors(&with("departments.toml", "[theme]\nid = \"x\"\n"));
    assert!(
        got.iter()
            .any(|e| e == "departments.toml:1: `theme` belongs in a theme file under themes/"),
        "{got:#?}"
    );
    let got = errors(&with("departments.toml", "department = 3\n"));
    assert!(
        got.iter()
            .any(|e| e == "departments.toml:1: `department` must be written [[department]]"),
        "{got:#?}"
    );
    let got = errors(&with(
        "themes/open-shop.toml",
        "[[question]]\nid = \"a\"\ntext = { zh = \"问\", en = \"Q\" }\nkind = \"yes_no\"\n",
    ));
    assert!(
        got.iter()
            .any(|e| e == "themes/open-shop.toml:1: a theme file needs a [theme] table"),
        "{got:#?}"
    );
}

#[test]
fn errors_display_as_a_list() {
    let e = CatalogErrors(vec![
        CatalogError {
            file: "a.toml".into(),
            line: 3,
            message: "bad".into(),
        },
        CatalogError {
            file: "b.toml".into(),
            line: 0,
            message: "unreadable".into(),
        },
    ]);
    assert_eq!(
        e.to_string(),
        "the catalog has 2 errors:\na.toml:3: bad\nb.toml: unreadable"
    );
}

#[test]
fn a_missing_folder_is_an_error() {
    let got = load_catalog(Path::new("/nonexistent/catalog")).expect_err("no folder");
    assert!(
        got.0[0]
            .to_string()
            .starts_with("/nonexistent/catalog: cannot read the folder"),
        "{got}"
    );
}

const SYNONYMS: &str = r#"
[[synonym]]
words = ["开公司", "办公司"]
means = "企业设立"

[[synonym]]
words = ["刻公章"]
means = "印章"
"#;

#[test]
fn synonyms_load_and_every_mistake_is_reported_with_its_line() {
    let mut files = good();
    files.push(("synonyms.toml", SYNONYMS));
    let catalog = load(&files).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog.synonyms().len(), 2);
    assert_eq!(catalog.synonyms()[1].means, "印章");

    let broken = edit(
        SYNONYMS,
        "words = [\"刻公章\"]",
        "words = [\"开公司\", \"印章\"]",
    );
    let broken = edit(broken, "means = \"企业设立\"", "means = \"火箭\"");
    let broken: &'static str = Box::leak(
        format!("{broken}\n[[synonym]]\nwords = []\nmeans = \"开店\"\nmean = \"x\"\n")
            .into_boxed_str(),
    );
    files.pop();
    files.push(("synonyms.toml", broken));
    assert_eq!(
        errors(&files),
        vec![
            "synonyms.toml:4: no theme or item name or summary contains `火箭`, so the synonym finds nothing",
            "synonyms.toml:7: the word `开公司` is listed twice; first defined at synonyms.toml:3",
            "synonyms.toml:7: `印章` is its own meaning",
            "synonyms.toml:13: unknown field `mean`, expected `words` or `means`",
        ]
    );
    let empty = edit(SYNONYMS, "words = [\"刻公章\"]", "words = []");
    files.pop();
    files.push(("synonyms.toml", empty));
    assert_eq!(
        errors(&files),
        vec!["synonyms.toml:7: a synonym needs at least one word"]
    );
}

const CENTRES: &str = r#"
[[service_centre]]
id = "booking-centre"
name = { zh = "预约中心", en = "Booking centre" }

[service_centre.appointments]
slot_minutes = 30
capacity = 2
per_person_per_day = 2
days_ahead = 14

[service_centre.appointments.opening]
mon = ["09:00-12:00", "13:30-17:00"]
fri = ["09:00-12:00"]

[[service_centre.appointments.window]]
letter = "A"
name = { zh = "A 窗口", en = "Window A" }
departments = ["samr"]
"#;

#[test]
fn centres_with_appointments_load_and_every_mistake_has_its_line() {
    let mut files = good();
    files.push(("centres.toml", CENTRES));
    let catalog = load(&files).unwrap_or_else(|e| panic!("{e}"));
    let rules = catalog
        .centre("booking-centre")
        .and_then(|c| c.appointments.as_ref())
        .expect("appointments");
    assert_eq!(rules.windows[0].letter, "A");
    assert_eq!(rules.opening.mon.len(), 2);

    let broken = edit(CENTRES, "capacity = 2", "capacity = 0");
    let broken = edit(broken, "\"13:30-17:00\"", "\"11:30-17:00\"");
    let broken = edit(broken, "fri = [\"09:00-12:00\"]", "fri = [\"12:00-09:00\"]");
    let broken = edit(broken, "letter = \"A\"", "letter = \"a\"");
    let broken = edit(
        broken,
        "departments = [\"samr\"]",
        "departments = [\"moon\"]\nitems = [\"psb-seal\", \"mars\"]",
    );
    files.pop();
    files.push(("centres.toml", broken));
    assert_eq!(
        errors(&files),
        vec![
            "centres.toml:8: `capacity` must be from 1 to 99 (got 0)",
            "centres.toml:13: opening hours `11:30-17:00` on `mon` overlap `09:00-12:00`",
            "centres.toml:14: opening hours `12:00-09:00` on `fri` end before they start",
            "centres.toml:17: a window's `letter` is one capital letter A–Z (got `a`)",
            "centres.toml:19: unknown department `moon`",
            "centres.toml:20: unknown item `mars`",
        ]
    );

    let weekend = edit(CENTRES, "fri = ", "sat = ");
    let bad_hours = edit(CENTRES, "\"09:00-12:00\", ", "\"9-12\", ");
    files.pop();
    files.push(("centres.toml", weekend));
    let got = errors(&files);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("centres.toml:14: unknown field `sat`"),
        "{got:?}"
    );
    files.pop();
    files.push(("centres.toml", bad_hours));
    let got = errors(&files);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].contains("`9-12` is not opening hours like \"09:00-12:00\""),
        "{got:?}"
    );
}
