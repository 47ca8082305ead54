//! The application pages: the task list of a draft, one section of the merged form at a time, the materials
//! checklist with uploads, and check your answers. Each is a plain form that posts (post/redirect/get) to a server
//! function or the upload handler, so it works with JavaScript off. Two parts are islands, hydrated in the browser:
//! the section form (which checks fields before posting) and the upload form (which sends by `fetch`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::application::{
    get_application, get_check, get_section, ApplicationView, CheckView, DraftPage, FieldView,
    MaterialLine, RemoveUpload, SaveSection, SectionView,
};
use crate::api::cases::SubmitApplication;
use crate::components::format;
use crate::components::idem::{new_key, IdemKey};
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{plain, use_lang, Tx};
use crate::domain::catalog::FieldKind;
use crate::domain::merged_form::SectionStatus;
use crate::domain::upload::UploadProblem;
use crate::i18n::application::{field_problem, status, ta, upload_problem};
use crate::i18n::{section_label, t};

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

/// The page for a draft that cannot be shown as asked: not found, someone else's, submitted or not ready.
fn refused<T>(page: DraftPage<T>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    let a = ta(use_lang());
    let (title, body, link): (&str, &str, Option<(String, &str)>) = match page {
        DraftPage::Ready(view) => return render(view),
        DraftPage::SignIn => {
            let location = leptos_router::hooks::use_location();
            let (path, search) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            let here = match search.trim_start_matches('?') {
                "" => path,
                q => format!("{path}?{q}"),
            };
            return view! { <leptos_router::components::Redirect path=crate::api::account::login_path(&here)/> }.into_any();
        }
        DraftPage::NotFound => (
            a.not_found_title,
            a.not_found_body,
            Some(("/".into(), a.start_again)),
        ),
        DraftPage::NotYours => (a.not_yours_title, a.not_yours_body, None),
        DraftPage::Submitted(case) => (
            a.submitted_title,
            a.submitted_body,
            Some((format!("/cases/{case}"), a.go_to_task_list)),
        ),
        DraftPage::NotReady(href) => (
            a.not_ready_title,
            a.not_ready_body,
            Some((href, a.go_to_task_list)),
        ),
    };
    view! {
        <div class="page narrow">
            <Title text=title/>
            <h1>{title}</h1>
            <p>{body}</p>
            {link.map(|(href, label)| view! { <p><a href=href>{label}</a></p> })}
        </div>
    }
    .into_any()
}

#[component]
pub fn ApplicationPage() -> impl IntoView {
    let id = param("id");
    let data = Resource::new(id, get_application);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => refused(page, |view| view! { <TaskList view/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn status_class(s: SectionStatus) -> &'static str {
    match s {
        SectionStatus::Completed => "status status--done",
        SectionStatus::InProgress => "status status--progress",
        SectionStatus::NotStarted => "status",
        SectionStatus::CannotStartYet => "status status--blocked",
    }
}

#[component]
fn TaskList(view: ApplicationView) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let materials_href = format!("/applications/{}/materials", view.id);
    let check_href = format!("/applications/{}/check", view.id);
    view! {
        <div class="page narrow">
            <Title text=a.task_list_title/>
            <p class="eyebrow"><Tx text=view.theme.name.clone()/></p>
            <h1>{a.task_list_title}</h1>
            <p class="lead">{a.task_list_lead}</p>
            <p class="note">{format!("{}{}{}", a.expires_prefix, format::iso_date(&view.expires, lang), a.expires_suffix)}</p>
            <h2>{a.form_sections_heading}</h2>
            <ol class="task-list">
                {view.sections.into_iter().map(|s| {
                    let label = section_label(&s.id, lang);
                    let state = status(s.status, lang);
                    let errors = (s.errors > 0).then(|| format!("（{}{}）", s.errors, a.errors_suffix));
                    let name = if s.status == SectionStatus::CannotStartYet {
                        view! { <span>{label}</span> }.into_any()
                    } else {
                        view! { <a href=s.href>{label}</a> }.into_any()
                    };
                    view! {
                        <li class="task-list__item">
                            {name}
                            <strong class=status_class(s.status)>{state}{errors}</strong>
                        </li>
                    }
                }).collect_view()}
                <li class="task-list__item">
                    <a href=materials_href>{a.materials_line}</a>
                </li>
                <li class="task-list__item">
                    {if view.ready {
                        view! { <a href=check_href>{a.check_line}</a> }.into_any()
                    } else {
                        view! { <span>{a.check_line}</span><small class="status status--blocked">{a.check_locked}</small> }.into_any()
                    }}
                </li>
            </ol>
        </div>
    }
}

#[component]
pub fn SectionPage() -> impl IntoView {
    let id = param("id");
    let section = param("section");
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), section(), query.read().to_query_string()),
        |(id, section, q)| get_section(id, section, q),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => refused(page, |view| {
                        let lang = use_lang();
                        let heading = section_label(&view.section, lang);
                        let title = if view.fields.iter().any(|f| f.error.is_some()) {
                            format!("{}{heading}", t(lang).error_prefix)
                        } else {
                            heading.to_owned()
                        };
                        view! {
                            <Title text=title/>
                            <SectionForm view idem=new_key()/>
                        }
                        .into_any()
                    }),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The error summary: announced, and focused when it appears (on load by `autofocus`; in the hydrated section form,
/// after the browser's check, by the effect), so a screen reader or keyboard user starts at the list of problems.
#[component]
fn ErrorSummary(errors: Vec<(String, String)>) -> impl IntoView {
    let s = t(use_lang());
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus node_ref=node aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{s.error_summary_title}</h2>
            <ul>{errors.into_iter().map(|(href, text)| view! { <li><a href=href>{text}</a></li> }).collect_view()}</ul>
        </div>
    }
}

/// One section of the merged form: an island, so that once hydrated the browser checks the fields with the
/// domain's own rules on Continue and says what is wrong without a round trip. The form itself posts to
/// `save_section` (post/redirect/get), with or without JavaScript. `idem` is the form's idempotency key.
#[island]
pub fn SectionForm(view: SectionView, idem: String) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let a = ta(lang);
    let heading = section_label(&view.section, lang);
    let progress = format!(
        "{}{}{}{}{}",
        a.section_progress_prefix,
        view.position,
        a.section_progress_mid,
        view.total,
        a.section_progress_suffix
    );
    // Problems by field id: the server's after a save; after hydration, the browser's on Continue (the same domain
    // rules), which replace them until the next save.
    let server_errors: Vec<(String, String)> = view
        .fields
        .iter()
        .filter_map(|f| {
            let e = f.error.as_ref()?;
            Some((f.id.clone(), field_problem(e, &plain(&f.label, lang), lang)))
        })
        .collect();
    let errors = RwSignal::new(server_errors);
    let form_area = NodeRef::<leptos::html::Div>::new();
    let check_in_browser = {
        let fields = view.fields.clone();
        let today = view.today.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(values) = form_values(form_area) else {
                return;
            };
            let today =
                time::Date::parse(&today, &time::format_description::well_known::Iso8601::DATE)
                    .unwrap_or(time::macros::date!(2026 - 01 - 01));
            let found: Vec<(String, String)> = fields
                .iter()
                .filter(|f| f.awaits.is_none())
                .filter_map(|f| {
                    let raw = values(&format!("values[{}]", f.id));
                    let problem =
                        crate::domain::merged_form::validate_field(&f.to_merged(), &raw, today)
                            .err()?;
                    Some((
                        f.id.clone(),
                        field_problem(&problem, &plain(&f.label, lang), lang),
                    ))
                })
                .collect();
            if !found.is_empty() {
                // Stay on the page: no round trip for what the browser can already tell.
                ev.prevent_default();
                errors.set(found);
                mark_title(s.error_prefix);
            }
        }
    };
    let button = if view.return_to_check {
        a.save_return_check
    } else {
        a.save_continue
    };
    let list_href = format!("/applications/{}", view.draft);
    view! {
        <div class="page narrow form-page">
            <p><a class="back-link" href=view.back_href.clone()>{s.back}</a></p>
            {move || {
                let list = errors.get();
                (!list.is_empty()).then(|| {
                    let links = list.into_iter().map(|(id, text)| (format!("#field-{id}"), text)).collect();
                    view! { <ErrorSummary errors=links/> }
                })
            }}
            <p class="eyebrow"><Tx text=view.theme.name.clone()/></p>
            <span class="caption">{progress}</span>
            <h1>{heading}</h1>
            <form method="post" action=SaveSection::url() novalidate>
                <input type="hidden" name=crate::domain::idempotency::FIELD value=idem/>
                <input type="hidden" name="draft" value=view.draft.clone()/>
                <input type="hidden" name="section" value=view.section.clone()/>
                {view.return_to_check.then(|| view! { <input type="hidden" name="return_to" value="check"/> })}
                <div node_ref=form_area>
                    {view.fields.into_iter().map(|f| {
                        let id = f.id.clone();
                        let error = Signal::derive(move || {
                            errors.try_with(|e| e.iter().find(|(f, _)| *f == id).map(|(_, m)| m.clone())).flatten()
                        });
                        view! { <Field f error/> }
                    }).collect_view()}
                </div>
                <button type="submit" class="primary" on:click=check_in_browser>{button}</button>
            </form>
            <p><a href=list_href>{a.back_to_task_list}</a></p>
        </div>
    }
}

/// Marks the page's title as showing errors (as the server does after a save), once.
fn mark_title(prefix: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let title = doc.title();
        if !title.starts_with(prefix) {
            doc.set_title(&format!("{prefix}{title}"));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = prefix;
}

/// Autocomplete tokens for the fields a browser may know (WCAG 1.3.5 identify input purpose).
fn autocomplete(field: &str) -> &'static str {
    match field {
        "applicant_name" => "name",
        "phone" => "tel",
        "email" => "email",
        "premises_address" => "street-address",
        _ => "off",
    }
}

/// The values of a form's fields by name, read from the page (after hydration only).
fn form_values(area: NodeRef<leptos::html::Div>) -> Option<impl Fn(&str) -> String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = area
            .get()?
            .closest("form")
            .ok()
            .flatten()?
            .dyn_into::<web_sys::HtmlFormElement>()
            .ok()?;
        let data = web_sys::FormData::new_with_form(&form).ok()?;
        Some(move |name: &str| data.get(name).as_string().unwrap_or_default())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = area;
        None::<fn(&str) -> String>
    }
}

/// One field of a section. Its value is only an attribute (no `prop:value`): hydrating the island then leaves alone
/// whatever the user typed or chose before it did.
#[component]
fn Field(f: FieldView, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let id = format!("field-{}", f.id);
    let name = format!("values[{}]", f.id);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let recipients = f
        .recipients
        .iter()
        .map(|r| plain(r, lang))
        .collect::<Vec<_>>()
        .join("、");
    let invalid = move || error.get().map(|_| "true");
    let optional = (!f.required).then_some(a.optional_mark);
    let hint = view! {
        <p class="hint" id=hint_id.clone()>
            {f.hint.clone().map(|h| view! { <Tx text=h/><br/> })}
            <small>{a.sent_to}{recipients}</small>
        </p>
    };
    let error_line = move || {
        error
            .get()
            .map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })
    };
    let class = move || {
        if error.get().is_some() {
            "field field--error"
        } else {
            "field"
        }
    };

    if let Some(step) = f.awaits.clone() {
        return view! {
            <div class="field">
                <p class="label-like"><Tx text=f.label.clone()/></p>
                <p class="hint">{a.awaits_prefix}<Tx text=step/>{a.awaits_suffix}</p>
            </div>
        }
        .into_any();
    }

    let radios = f.kind == FieldKind::Choice && f.options.len() <= 4;
    if radios {
        return view! {
            <div class=class>
                <fieldset aria-describedby=described.clone()>
                    <legend><Tx text=f.label.clone()/>{optional}</legend>
                    {hint}
                    {error_line}
                    <div class="radios">
                        {f.options.iter().enumerate().map(|(i, o)| {
                            let rid = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                            let checked = o.value == f.value;
                            view! {
                                <div class="radio">
                                    <input type="radio" id=rid.clone() name=name.clone() value=o.value.clone() checked=checked/>
                                    <label for=rid><Tx text=o.label.clone()/></label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
        }
        .into_any();
    }

    let control = match f.kind {
        FieldKind::Choice => view! {
            <select id=id.clone() name=name.clone() aria-describedby=described.clone() aria-invalid=invalid>
                <option value="">{a.choose_one}</option>
                {f.options.iter().map(|o| {
                    let selected = o.value == f.value;
                    view! { <option value=o.value.clone() selected=selected>{plain(&o.label, lang)}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        FieldKind::Textarea => view! {
            <textarea id=id.clone() name=name.clone() rows="4" aria-describedby=described.clone() aria-invalid=invalid>
                {f.value.clone()}
            </textarea>
        }
        .into_any(),
        FieldKind::Number => view! {
            <div class="number-input">
                <input type="text" inputmode="decimal" id=id.clone() name=name.clone() value=f.value.clone()
                    aria-describedby=described.clone() aria-invalid=invalid autocomplete="off" class="input--short"/>
                {f.unit.clone().map(|u| view! { <span class="unit"><Tx text=u/></span> })}
            </div>
        }
        .into_any(),
        FieldKind::Date => view! {
            <input type="date" id=id.clone() name=name.clone() value=f.value.clone()
                aria-describedby=described.clone() aria-invalid=invalid/>
        }
        .into_any(),
        kind => {
            let (input_type, inputmode, class) = match kind {
                FieldKind::Phone => ("tel", "tel", "input--medium"),
                FieldKind::Email => ("email", "email", ""),
                FieldKind::ResidentId | FieldKind::CreditCode => ("text", "text", "input--code"),
                _ => ("text", "text", ""),
            };
            let code = matches!(kind, FieldKind::ResidentId | FieldKind::CreditCode);
            view! {
                <input type=input_type inputmode=inputmode id=id.clone() name=name.clone() value=f.value.clone()
                    class=class aria-describedby=described.clone() aria-invalid=invalid
                    autocomplete=autocomplete(&f.id)
                    spellcheck=code.then_some("false")
                    autocapitalize=code.then_some("characters")/>
            }
            .into_any()
        }
    };
    view! {
        <div class=class>
            <label for=id.clone()><Tx text=f.label.clone()/>{optional}</label>
            {hint}
            {error_line}
            {control}
        </div>
    }
    .into_any()
}

#[component]
pub fn MaterialsPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map();
    let remove = ServerAction::<RemoveUpload>::new();
    let data = Resource::new(
        move || (id(), query.read().to_query_string()),
        |(id, _)| get_application(id),
    );
    view! {
        // Outside the list, which a hydrated upload replaces, so a screen reader hears the result.
        <p class="visually-hidden" role="status" id=UPLOAD_ANNOUNCE></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => refused(page, |view| view! { <Materials view remove/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Materials(view: ApplicationView, remove: ServerAction<RemoveUpload>) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let a = ta(lang);
    let query = use_query_map();
    let problem = query
        .read_untracked()
        .get("error")
        .and_then(|c| UploadProblem::from_code(&c));
    let problem_material = query.read_untracked().get("material").unwrap_or_default();
    let error = problem.as_ref().map(|p| upload_problem(p, lang).to_owned());
    let title = if error.is_some() {
        format!("{}{}", s.error_prefix, a.materials_title)
    } else {
        a.materials_title.to_owned()
    };
    let (produced, bring): (Vec<MaterialLine>, Vec<MaterialLine>) = view
        .materials
        .into_iter()
        .partition(|m| m.produced_by.is_some());
    let draft = view.id.clone();
    let check = view
        .ready
        .then(|| format!("/applications/{}/check", view.id));
    let list_href = format!("/applications/{}", view.id);
    view! {
        <div class="page narrow" id=MATERIALS_REGION>
            <Title text=title/>
            <p><a class="back-link" href=list_href.clone()>{s.back}</a></p>
            {error.clone().map(|e| view! { <ErrorSummary errors=vec![(format!("#upload-{problem_material}"), e)]/> })}
            <p class="eyebrow"><Tx text=view.theme.name.clone()/></p>
            <h1>{a.materials_title}</h1>
            <p class="lead">{a.materials_lead}</p>
            <h2>{a.bring_heading}</h2>
            <ul class="materials materials--upload">
                {bring.into_iter().map(|m| {
                    let here = m.id == problem_material;
                    view! {
                        <MaterialUpload draft=draft.clone() m remove error=here.then(|| error.clone()).flatten()/>
                    }
                }).collect_view()}
            </ul>
            <h2>{a.produced_heading}</h2>
            <ul class="materials">
                {produced.into_iter().map(|m| {
                    let (number, item) = m.produced_by.clone().unwrap_or_default();
                    view! {
                        <li>
                            <Tx text=m.name/>
                            <br/>
                            <small>{format!("{}{number}{}", a.produced_prefix, a.produced_suffix)}<Tx text=item.name/></small>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {match check {
                Some(href) => view! { <p><a class="button" href=href>{a.continue_to_check}</a></p> }.into_any(),
                None => view! { <p><a href=list_href>{a.back_to_task_list}</a></p> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn MaterialUpload(
    draft: String,
    m: MaterialLine,
    remove: ServerAction<RemoveUpload>,
    error: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let input_id = format!("upload-{}", m.id);
    let action = format!("/applications/{draft}/materials/{}", m.id);
    let steps = m
        .steps
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("、");
    let name = plain(&m.name, lang);
    let upload_refused = error.is_some();
    let class = if error.is_some() {
        "material field--error"
    } else {
        "material"
    };
    view! {
        <li id=format!("material-{}", m.id) class=class>
            <h3 class="material__name">
                <Tx text=m.name.clone()/>
                {format!("（{}，{} {}）", format::material_form(m.form, lang), m.count, t(lang).copies_suffix)}
            </h3>
            <p class="hint">
                {format!("{}{steps}", t(lang).needed_by_steps)}
                {(!m.required).then(|| view! { <span class="tag">{t(lang).optional_word}</span> })}
                {m.shortfall_allowed.then(|| view! { <br/><span class="note">{a.shortfall_note}</span> })}
            </p>
            {if m.uploads.is_empty() {
                view! { <p class="status">{a.not_uploaded}</p> }.into_any()
            } else {
                view! {
                    <p class="status status--done">{a.uploaded_heading}</p>
                    <ul class="uploads">
                        {m.uploads.into_iter().map(|u| {
                            let draft_for_remove = draft.clone();
                            let size = format!("{}{}", (u.size + 1023) / 1024, a.bytes_kb);
                            view! {
                                <li>
                                    <a href=u.href>{u.file_name.clone()}</a>
                                    " (" {size} ") "
                                    <ActionForm action=remove attr:class="inline-form">
                                        <IdemKey/>
                                        <input type="hidden" name="draft" value=draft_for_remove.clone()/>
                                        <input type="hidden" name="upload" value=u.id.to_string()/>
                                        <button type="submit" class="link-button">
                                            {a.remove_button}
                                            <span class="visually-hidden">{format!("：{}", u.file_name)}</span>
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            // Folded until wanted, so a phone scrolls past twenty documents, not twenty upload forms; open when this
            // document's upload was refused. <details> works without JavaScript.
            <details class="upload" open=upload_refused>
            <summary>{a.upload_summary}<span class="visually-hidden">{format!("：{name}")}</span></summary>
            <UploadForm action input_id name error/>
            </details>
        </li>
    }
}

/// The id of the materials list, which a hydrated upload replaces in place.
const MATERIALS_REGION: &str = "materials";
/// The id of the status line that announces an upload.
const UPLOAD_ANNOUNCE: &str = "upload-announce";

/// One document's upload form: an island. Without JavaScript it is a plain multipart form that posts and is
/// redirected back. Hydrated, the upload goes by `fetch` with the form's own data: no page load, and the chosen file
/// stays selected if the connection drops, with a message to send it again. The handler answers with the address the
/// plain form would have been redirected to (with the problem, if the file was refused); when that is this page, the
/// list is read again and put in place, else the browser goes there.
#[island]
fn UploadForm(
    action: String,
    input_id: String,
    name: String,
    error: Option<String>,
) -> impl IntoView {
    let a = ta(use_lang());
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let described = crate::components::field::described_by(
        Some(&hint_id),
        error.as_ref().map(|_| error_id.as_str()),
    );
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // The form's idempotency key rides in its address (a multipart body cannot be read before the upload).
    let key = RwSignal::new(new_key());
    let on_submit = upload_by_fetch(action.clone(), key, busy, failed, a.uploaded_heading);
    view! {
        <form method="post" enctype="multipart/form-data" action=move || keyed(&action, &key.get()) class="upload-form" on:submit=on_submit>
            <label for=input_id.clone()>{a.upload_label}<span class="visually-hidden">{name}</span></label>
            <p class="hint" id=hint_id>{a.upload_hint}</p>
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
            {move || failed.get().then(|| view! { <p class="field-error" role="alert">{a.upload_failed}</p> })}
            <input type="file" id=input_id name="file" aria-describedby=described
                accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"/>
            <button type="submit" class="secondary" disabled=move || busy.get()>{a.upload_button}</button>
            {move || busy.get().then(|| view! { <p class="hint" role="status">{a.uploading}</p> })}
        </form>
    }
}

/// The hydrated upload (see [`UploadForm`]).
fn upload_by_fetch(
    action: String,
    key: RwSignal<String>,
    busy: RwSignal<bool>,
    failed: RwSignal<bool>,
    done_word: &'static str,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    #[cfg(feature = "hydrate")]
    {
        use crate::components::islands::client;
        move |ev: leptos::ev::SubmitEvent| {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let file_name = data
                .get("file")
                .dyn_into::<web_sys::File>()
                .map(|f| f.name())
                .unwrap_or_default();
            busy.set(true);
            failed.set(false);
            let action = keyed(&action, &key.get_untracked());
            leptos::task::spawn_local(async move {
                let to = async {
                    let response = gloo_net::http::Request::post(&action)
                        .header(crate::api::application::UPLOAD_FETCH_HEADER, "1")
                        .body(data)
                        .ok()?
                        .send()
                        .await
                        .ok()?;
                    if !response.ok() {
                        return None;
                    }
                    response.text().await.ok()
                }
                .await;
                // The form may be gone meanwhile (its list replaced), which is fine.
                let _ = busy.try_set(false);
                // A failed send keeps its key, so sending it again is recognised if the first did arrive.
                let Some(to) = to.filter(|to| to.starts_with('/')) else {
                    let _ = failed.try_set(true);
                    return;
                };
                let _ = key.try_set(new_key());
                let (path_and_query, _) = to.split_once('#').unwrap_or((&to, ""));
                let here = client::here().unwrap_or_default();
                let same_page = path_and_query.split('?').next() == here.split('?').next();
                if !same_page
                    || client::swap_region(path_and_query, MATERIALS_REGION, true)
                        .await
                        .is_err()
                {
                    client::go(&to);
                    return;
                }
                if !to.contains("error=") {
                    client::announce(UPLOAD_ANNOUNCE, &format!("{done_word}：{file_name}"));
                }
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (action, key, busy, failed, done_word);
        |_: leptos::ev::SubmitEvent| {}
    }
}

/// An upload address with its idempotency key.
pub(crate) fn keyed(action: &str, key: &str) -> String {
    format!("{action}?{}={key}", crate::domain::idempotency::FIELD)
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let id = param("id");
    let lang = use_lang();
    // The query too: an agent's refused submission comes back here with `?problem=` to show.
    let query = use_query_map();
    let data = Resource::new(
        move || (id(), query.read().to_query_string()),
        move |(id, _)| get_check(id, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => refused(page, |view| view! { <Check view/> }.into_any()),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Check(view: CheckView) -> impl IntoView {
    let lang = use_lang();
    let s = t(lang);
    let a = ta(lang);
    let list_href = format!("/applications/{}", view.draft);
    let change = move |label: String, href: String| {
        view! {
            <dd class="summary__action">
                <a href=href>{a.change}<span class="visually-hidden">{format!("：{label}")}</span></a>
            </dd>
        }
    };
    view! {
        <div class="page narrow">
            <Title text=a.check_title/>
            <p><a class="back-link" href=list_href>{s.back}</a></p>
            <p class="eyebrow"><Tx text=view.theme.name.clone()/></p>
            <h1>{a.check_title}</h1>
            <p class="lead">{a.check_lead}</p>
            <h2>{a.your_answers}</h2>
            <dl class="summary">
                {view.answers.into_iter().map(|r| {
                    let label = plain(&r.question, lang);
                    view! {
                        <div class="summary__row">
                            <dt><Tx text=r.question/></dt>
                            <dd>{r.answer}</dd>
                            {change(label, r.change_href)}
                        </div>
                    }
                }).collect_view()}
            </dl>
            {view.sections.into_iter().map(|section| view! {
                <h2>{section_label(&section.id, lang)}</h2>
                <dl class="summary">
                    {section.rows.into_iter().map(|r| {
                        let label = plain(&r.label, lang);
                        let value = if r.value.is_empty() { a.not_given.to_owned() } else { r.value };
                        view! {
                            <div class="summary__row">
                                <dt><Tx text=r.label/></dt>
                                <dd>{value}</dd>
                                {change(label, r.change_href)}
                            </div>
                        }
                    }).collect_view()}
                </dl>
            }).collect_view()}
            <h2>{a.materials_title}</h2>
            <dl class="summary">
                {view.materials.into_iter().filter(|m| m.produced_by.is_none()).map(|m| {
                    let label = plain(&m.name, lang);
                    let files = if m.uploads.is_empty() {
                        a.not_uploaded.to_owned()
                    } else {
                        m.uploads.iter().map(|u| u.file_name.clone()).collect::<Vec<_>>().join("、")
                    };
                    let href = format!("/applications/{}/materials#material-{}", view.draft, m.id);
                    view! {
                        <div class="summary__row">
                            <dt><Tx text=m.name/></dt>
                            <dd>{files}</dd>
                            {change(label, href)}
                        </div>
                    }
                }).collect_view()}
            </dl>
            <h2>{a.who_receives}</h2>
            <ul>
                {view.departments.into_iter().map(|(d, steps)| {
                    let steps = steps.iter().map(|x| plain(x, lang)).collect::<Vec<_>>().join("、");
                    view! { <li><strong><Tx text=d/></strong>"：" {steps}</li> }
                }).collect_view()}
            </ul>
            <SubmitForm draft=view.draft agent_consents=view.agent_consents/>
        </div>
    }
}

/// Why a submission came back (`?problem=` on the check page), in words: too many submissions in an hour, or
/// (for an agent) the consent.
fn submit_problem(lang: crate::domain::text::Lang, agent: bool) -> Option<String> {
    let q = use_query_map().read_untracked();
    let code = q.get("problem")?;
    if code == "too_many" {
        let minutes = q
            .get("retry")
            .and_then(|m| m.parse::<i64>().ok())
            .unwrap_or(60);
        return Some(crate::i18n::application::too_many_submissions(
            minutes, lang,
        ));
    }
    if !agent {
        return None;
    }
    Some(
        match crate::domain::consent::Invalid::from_code(&code) {
            Some(why) => crate::i18n::consent::invalid_message(why, lang),
            None => crate::i18n::consent::no_consent_message(lang),
        }
        .to_owned(),
    )
}

#[component]
fn SubmitForm(
    draft: String,
    agent_consents: Option<Vec<crate::api::consent::ConsentChoice>>,
) -> impl IntoView {
    let lang = use_lang();
    let a = ta(lang);
    let k = crate::i18n::consent::tc(lang);
    let submit = ServerAction::<SubmitApplication>::new();
    let problem = submit_problem(lang, agent_consents.is_some());
    let blocked = agent_consents.as_ref().is_some_and(|c| c.is_empty());
    let only = agent_consents
        .as_ref()
        .filter(|c| c.len() == 1)
        .map(|c| c[0].id);
    view! {
        <section class="submit" aria-labelledby="submit-heading">
            <h2 id="submit-heading">{a.submit_heading}</h2>
            {problem.map(|m| view! {
                <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="consent-problem-title">
                    <h3 id="consent-problem-title">{a.submit_problem_title}</h3>
                    <p>{m}</p>
                </div>
            })}
            <p>{a.declaration}</p>
            {blocked.then(|| view! {
                <p class="note" id="consent">{k.filing_none}" "<a href="/agent">{k.filing_none_link}</a></p>
            })}
            {(!blocked).then(|| view! {
                <ActionForm action=submit>
                    <IdemKey/>
                    <input type="hidden" name="draft" value=draft.clone()/>
                    {agent_consents.clone().map(|choices| view! {
                        <fieldset class="field" id="consent" aria-describedby="consent-hint">
                            <legend>{k.filing_legend}</legend>
                            <p class="hint" id="consent-hint">{k.filing_hint}</p>
                            <div class="radios">
                            {choices.into_iter().map(|c| {
                                let id = format!("consent-{}", c.id);
                                let on = only == Some(c.id);
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=id.clone() name="consent" value=c.id.to_string() checked=on/>
                                        <label for=id>
                                            {format!("{}（{}），{}{}", c.resident_name, c.resident_id_masked, k.valid_until_prefix,
                                                crate::components::format::iso_date(&c.valid_until, lang))}
                                        </label>
                                    </div>
                                }
                            }).collect_view()}
                            </div>
                        </fieldset>
                    })}
                    <button type="submit" class="primary button--start" disabled=move || submit.pending().get()>
                        {a.submit_button}
                    </button>
                </ActionForm>
            })}
        </section>
    }
}
