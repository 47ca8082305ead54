//! 预约取号 pages: book (centre → date → time, each a radio group; the first two are GET forms, the time posts),
//! the printable confirmation with the queue number, 我的预约 with change and cancel, and the staff's 今日预约 with
//! 叫号. Every form posts and follows the redirect, with or without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::account::login_path;
use crate::api::appointments::{
    get_appointment, get_booking, get_my_appointments, get_today, AppointmentAnswer,
    AppointmentView, BookAppointment, BookingAnswer, BookingPage, BookingQuery, CallNext,
    CancelAppointment, Purpose, TodayAnswer, TodayView,
};
use crate::components::format;
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::domain::appointment::{AppointmentStatus, BookingProblem};
use crate::domain::condition::parse_date;
use crate::domain::Lang;
use crate::i18n::appointments::{at, problem, status, weekday};

/// `2026年11月27日 星期五` / `27 November 2026, Friday`.
fn day_label(iso: &str, lang: Lang) -> String {
    match parse_date(iso) {
        Some(d) => match lang {
            Lang::Zh => format!("{} {}", format::date(d, lang), weekday(d.weekday(), lang)),
            Lang::En => format!("{}, {}", format::date(d, lang), weekday(d.weekday(), lang)),
        },
        None => iso.to_owned(),
    }
}

fn problem_of(code: Option<String>) -> Option<BookingProblem> {
    code.as_deref().and_then(BookingProblem::from_code)
}

#[component]
fn ProblemBox(problem_code: Option<BookingProblem>) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    problem_code.map(|p| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{a.problem_heading}</h2>
                <p>{problem(p, lang)}</p>
            </div>
        }
    })
}

fn hidden_purpose(page: &BookingPage) -> impl IntoView {
    let change = page.change.as_ref().map(|c| c.id);
    let (item, case) = match (&page.purpose, change) {
        (_, Some(_)) => (None, None),
        (Purpose::Item(i), None) => (Some(i.clone()), None),
        (Purpose::Case(n), None) => (None, Some(n.clone())),
    };
    view! {
        {item.map(|v| view! { <input type="hidden" name="item" value=v/> })}
        {case.map(|v| view! { <input type="hidden" name="case" value=v/> })}
        {change.map(|v| view! { <input type="hidden" name="change" value=v.to_string()/> })}
    }
}

/// The page's own address with the purpose and some of the choices.
fn href(page: &BookingPage, centre: Option<&str>) -> String {
    let mut q = match &page.change {
        Some(c) => format!("change={}", c.id),
        None => page.purpose.query(),
    };
    if let Some(c) = centre {
        q.push_str(&format!("&centre={c}"));
    }
    format!("/appointments/new?{q}")
}

#[component]
pub fn BookAppointmentPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let book = ServerAction::<BookAppointment>::new();
    let data = Resource::new(
        move || {
            let q = query.read();
            BookingQuery {
                item: q.get("item"),
                case: q.get("case"),
                centre: q.get("centre"),
                date: q.get("date"),
                change: q.get("change").and_then(|c| c.parse().ok()),
            }
        },
        move |q| get_booking(q, lang),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(BookingAnswer::Ready(page)) => view! { <Booking page=*page book/> }.into_any(),
                    Ok(BookingAnswer::SignIn) => {
                        let here = query.read_untracked().to_query_string();
                        view! { <Redirect path=login_path(&format!("/appointments/new{here}"))/> }.into_any()
                    }
                    Ok(BookingAnswer::Staff) => view! { <Refusal text=at(lang).staff_note/> }.into_any(),
                    Ok(BookingAnswer::NotFound) => view! { <Refusal text=at(lang).not_found/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Refusal(text: &'static str) -> impl IntoView {
    let a = at(use_lang());
    view! {
        <section class="page narrow">
            <Title text=a.not_found_title/>
            <h1>{a.not_found_title}</h1>
            <p>{text}</p>
            <p><a href="/appointments">{a.my_link}</a></p>
        </section>
    }
}

#[component]
fn Booking(page: BookingPage, book: ServerAction<BookAppointment>) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    let problem_code = problem_of(use_query_map().read_untracked().get("problem"));
    let title = if page.change.is_some() {
        a.change_title
    } else {
        a.new_title
    };
    let title_text = match problem_code {
        Some(_) if lang == Lang::Zh => format!("错误：{title}"),
        Some(_) => format!("Error: {title}"),
        None => title.to_owned(),
    };
    let several_centres = page.centres.len() > 1;
    view! {
        <section class="page narrow booking">
            <Title text=title_text/>
            <h1>{title}</h1>
            <ProblemBox problem_code/>
            <dl class="facts">
                <dt>{a.for_label}</dt>
                <dd><Tx text=page.purpose_name.clone()/></dd>
                {page.case_number.clone().map(|n| view! { <dt>{a.case_label}</dt><dd>{n}</dd> })}
            </dl>
            {page.change.clone().map(|c| view! {
                <p class="notice">
                    {a.changing_note}" "<strong>{c.queue_number.clone()}</strong>" · "
                    {day_label(&c.date, lang)}" "{c.start.clone()}"–"{c.end.clone()}
                </p>
            })}
            {match page.centre.clone() {
                None => view! { <CentreStep page=page.clone()/> }.into_any(),
                Some(centre) => view! {
                    <h2>{a.centre_label}</h2>
                    <dl class="facts">
                        <dt>{a.centre_label}</dt>
                        <dd><Tx text=centre.name.clone()/></dd>
                        <dt>{a.window_label}</dt>
                        <dd>{centre.window.clone()}" · "<Tx text=centre.window_name.clone()/></dd>
                        {centre.address.clone().map(|t| view! { <dt>{a.address_label}</dt><dd><Tx text=t/></dd> })}
                        {centre.hours.clone().map(|t| view! { <dt>{a.hours_label}</dt><dd><Tx text=t/></dd> })}
                    </dl>
                    {several_centres.then(|| view! { <p><a href=href(&page, None)>{a.other_centre}</a></p> })}
                    {match page.date.clone() {
                        None => view! { <DateStep page=page.clone() centre=centre.id.clone()/> }.into_any(),
                        Some(date) => view! {
                            <p>
                                <strong>{a.date_legend}"："</strong>{day_label(&date, lang)}" "
                                <a href=href(&page, Some(&centre.id))>{a.other_date}</a>
                            </p>
                            <SlotStep page=page.clone() centre=centre.id.clone() date book/>
                        }.into_any(),
                    }}
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CentreStep(page: BookingPage) -> impl IntoView {
    let a = at(use_lang());
    view! {
        <form method="get" action="/appointments/new">
            {hidden_purpose(&page)}
            <fieldset class="field">
                <legend><h2>{a.centre_legend}</h2></legend>
                <div class="radios">
                    {page.centres.iter().enumerate().map(|(i, c)| {
                        let id = format!("centre-{i}");
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="centre" value=c.id.clone() required=true checked=i == 0/>
                                <label for=id><Tx text=c.name.clone()/></label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="primary">{a.next}</button>
        </form>
    }
}

#[component]
fn DateStep(page: BookingPage, centre: String) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    if page.dates.is_empty() {
        return view! { <p>{a.no_dates}</p> }.into_any();
    }
    view! {
        <form method="get" action="/appointments/new">
            {hidden_purpose(&page)}
            <input type="hidden" name="centre" value=centre/>
            <fieldset class="field">
                <legend><h2>{a.date_legend}</h2></legend>
                <div class="radios">
                    {page.dates.iter().enumerate().map(|(i, d)| {
                        let id = format!("date-{d}");
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="date" value=d.clone() required=true checked=i == 0/>
                                <label for=id>{day_label(d, lang)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="primary">{a.next}</button>
        </form>
    }
    .into_any()
}

#[component]
fn SlotStep(
    page: BookingPage,
    centre: String,
    date: String,
    book: ServerAction<BookAppointment>,
) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    if page.slots.iter().all(|s| s.free == 0) {
        return view! { <p>{a.no_slots}</p> }.into_any();
    }
    let first_free = page.slots.iter().position(|s| s.free > 0);
    view! {
        <ActionForm action=book>
            <IdemKey/>
            {hidden_purpose(&page)}
            <input type="hidden" name="centre" value=centre/>
            <input type="hidden" name="date" value=date/>
            <fieldset class="field">
                <legend><h2>{a.slot_legend}</h2></legend>
                <div class="radios">
                    {page.slots.iter().enumerate().map(|(i, s)| {
                        let id = format!("slot-{}", s.start.replace(':', ""));
                        let full = s.free == 0;
                        let left = if full {
                            a.full.to_owned()
                        } else {
                            format!("{}{}{}", a.free_prefix, s.free, a.free_suffix)
                        };
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="start" value=s.start.clone()
                                    required=true disabled=full checked=Some(i) == first_free/>
                                <label for=id>{format!("{}–{}（{left}）", s.start, s.end)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="primary">
                {if page.change.is_some() { a.confirm_change } else { a.confirm }}
            </button>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn AppointmentPage() -> impl IntoView {
    let params = use_params_map();
    let cancel = ServerAction::<CancelAppointment>::new();
    let data = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok())
        },
        move |id| async move {
            match id {
                Some(id) => get_appointment(id).await,
                None => Ok(AppointmentAnswer::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(AppointmentAnswer::Ready(view)) => view! { <Confirmation view=*view cancel/> }.into_any(),
                    Ok(AppointmentAnswer::SignIn) => {
                        let id = params.read_untracked().get("id").unwrap_or_default();
                        view! { <Redirect path=login_path(&format!("/appointments/{id}"))/> }.into_any()
                    }
                    Ok(AppointmentAnswer::NotFound) => view! { <crate::components::lists::EntryNotFound/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Confirmation(view: AppointmentView, cancel: ServerAction<CancelAppointment>) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    let done = use_query_map().read_untracked().get("done");
    let notice = match done.as_deref() {
        Some("booked") => Some(a.booked_notice),
        Some("changed") => Some(a.changed_notice),
        _ => None,
    };
    let title = format!("{} {}", a.confirmation_title, view.queue_number);
    view! {
        <section class="page narrow appointment">
            <Title text=title/>
            {notice.map(|n| view! { <p class="notice no-print" role="status">{n}</p> })}
            <h1>{a.confirmation_title}</h1>
            <p class="queue-number">
                <span class="queue-number__label">{a.queue_label}</span>
                <strong class="queue-number__value">{view.queue_number.clone()}</strong>
            </p>
            <AppointmentFacts view=view.clone()/>
            <h2>{a.bring_heading}</h2>
            <ul>
                <li>{a.bring_id}</li>
                {view.case_number.clone().map(|n| view! { <li>{a.bring_case_prefix}{n}{a.bring_case_suffix}</li> })}
                {view.bring.clone().into_iter().map(|t| view! { <li><Tx text=t/></li> }).collect_view()}
            </ul>
            <p>{a.arrive_note}</p>
            <p class="note no-print">{a.print_note}</p>
            <Actions view=view.clone() cancel/>
            <p class="no-print"><a href="/appointments">{a.my_link}</a></p>
        </section>
    }
}

#[component]
fn AppointmentFacts(view: AppointmentView) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    view! {
        <dl class="summary">
            <div class="summary__row"><dt>{a.time_label}</dt>
                <dd>
                    <time datetime=format!("{}T{}", view.date, view.start)>
                        {day_label(&view.date, lang)}" "{view.start.clone()}"–"{view.end.clone()}
                    </time>
                </dd>
            </div>
            <div class="summary__row"><dt>{a.centre_label}</dt><dd><Tx text=view.centre.name.clone()/></dd></div>
            <div class="summary__row"><dt>{a.window_label}</dt>
                <dd>{view.window.clone()}" · "<Tx text=view.window_name.clone()/></dd>
            </div>
            {view.address.clone().map(|t| view! {
                <div class="summary__row"><dt>{a.address_label}</dt><dd><Tx text=t/></dd></div>
            })}
            <div class="summary__row"><dt>{a.item_label}</dt>
                <dd>
                    <Tx text=view.item.name.clone()/>
                    {view.case_number.clone().map(|n| view! { " · "<a href=format!("/cases/{n}")>{n.clone()}</a> })}
                </dd>
            </div>
            <div class="summary__row"><dt>{a.status_label}</dt><dd>{status(view.status, lang)}</dd></div>
        </dl>
    }
}

/// 改约 and 取消预约, while the appointment is booked and has not started.
#[component]
fn Actions(view: AppointmentView, cancel: ServerAction<CancelAppointment>) -> impl IntoView {
    let a = at(use_lang());
    view.changeable.then(|| {
        view! {
            <div class="no-print appointment-actions">
                <a class="button-link" href=format!("/appointments/new?change={}&centre={}", view.id, view.centre.id)>
                    {a.change}<span class="visually-hidden">" "{view.queue_number.clone()}</span>
                </a>
                <ActionForm action=cancel>
                    <IdemKey/>
                    <input type="hidden" name="id" value=view.id.to_string()/>
                    <button type="submit" class="secondary">
                        {a.cancel}<span class="visually-hidden">" "{view.queue_number.clone()}</span>
                    </button>
                </ActionForm>
            </div>
        }
    })
}

#[component]
pub fn MyAppointmentsPage() -> impl IntoView {
    let query = use_query_map();
    let cancel = ServerAction::<CancelAppointment>::new();
    let data = Resource::new(
        move || (query.read().to_query_string(), cancel.version().get()),
        |_| get_my_appointments(),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(list)) => view! { <MyList list cancel/> }.into_any(),
                    Ok(None) => view! { <Redirect path=login_path("/appointments")/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyList(list: Vec<AppointmentView>, cancel: ServerAction<CancelAppointment>) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    let q = use_query_map().read_untracked();
    let problem_code = problem_of(q.get("problem"));
    let cancelled = q.get("done").as_deref() == Some("cancelled");
    view! {
        <section class="page narrow">
            <Title text=a.my_title/>
            <h1>{a.my_title}</h1>
            <ProblemBox problem_code/>
            {cancelled.then(|| view! { <p class="notice" role="status">{a.cancelled_notice}</p> })}
            {if list.is_empty() {
                view! { <p>{a.my_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list appointment-list">
                        {list.into_iter().map(|v| view! {
                            <li class="task-list__item">
                                <a href=format!("/appointments/{}", v.id)>
                                    <strong>{v.queue_number.clone()}</strong>" · "
                                    <Tx text=v.item.name.clone()/>
                                </a>
                                <span>{day_label(&v.date, lang)}" "{v.start.clone()}"–"{v.end.clone()}" · "<Tx text=v.centre.name.clone()/></span>
                                <strong class="status">{status(v.status, lang)}</strong>
                                <Actions view=v.clone() cancel/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn TodayAppointmentsPage() -> impl IntoView {
    let query = use_query_map();
    let call = ServerAction::<CallNext>::new();
    let data = Resource::new(
        move || {
            (
                query.read().get("centre"),
                query.read().to_query_string(),
                call.version().get(),
            )
        },
        |(centre, _, _)| get_today(centre),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let a = at(use_lang());
                match data.await {
                    Ok(TodayAnswer::Ready(view)) => view! { <Today view=*view call/> }.into_any(),
                    Ok(TodayAnswer::SignIn) => view! { <Redirect path=login_path("/work/appointments")/> }.into_any(),
                    Ok(TodayAnswer::Forbidden) => view! {
                        <section class="page narrow"><Title text=a.forbidden/><h1>{a.forbidden}</h1></section>
                    }.into_any(),
                    Ok(TodayAnswer::NoCentre) => view! {
                        <section class="page narrow"><Title text=a.today_title/><h1>{a.today_title}</h1><p>{a.no_centre}</p></section>
                    }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Today(view: TodayView, call: ServerAction<CallNext>) -> impl IntoView {
    let lang = use_lang();
    let a = at(lang);
    let q = use_query_map().read_untracked();
    let called = q.get("called");
    let trouble = q.get("problem").map(|p| match p.as_str() {
        "nobody" => a.nobody_waiting,
        "forbidden" => a.forbidden,
        _ => problem(BookingProblem::Unavailable, lang),
    });
    let any_call = view.windows.iter().any(|w| w.may_call);
    let centre_id = view.centre.id.clone();
    view! {
        <section class="page today">
            <Title text=a.today_title/>
            <h1>{a.today_title}</h1>
            <p class="lead"><Tx text=view.centre.name.clone()/>" · "{day_label(&view.date, lang)}</p>
            {called.map(|n| view! { <p class="notice" role="status">{a.called_notice}<strong>{n}</strong></p> })}
            {trouble.map(|t| view! { <p class="notice" role="alert">{t}</p> })}
            {(view.centres.len() > 1).then(|| view! {
                <form method="get" action="/work/appointments" class="filters-form">
                    <label for="today-centre">{a.today_centre}</label>" "
                    <select id="today-centre" name="centre">
                        {view.centres.iter().map(|c| view! {
                            <option value=c.id.clone() selected=c.id == view.centre.id>{crate::components::text::plain(&c.name, lang)}</option>
                        }).collect_view()}
                    </select>" "
                    <button type="submit" class="secondary">{a.show}</button>
                </form>
            })}
            {(!any_call).then(|| view! { <p class="notice">{a.read_only}</p> })}
            <ul class="window-list">
                {view.windows.clone().into_iter().map(|w| {
                    let centre_id = centre_id.clone();
                    let heading = format!("{}{} {}", a.window_label, if lang == Lang::Zh { "" } else { " " }, w.letter);
                    view! {
                        <li class="window-card">
                            <h2>{heading}</h2>
                            <p><Tx text=w.name.clone()/></p>
                            <p>
                                {a.current_label}"："
                                <strong class="queue-number__value">{w.current.clone().unwrap_or_else(|| a.none_called.to_owned())}</strong>
                                " · "{a.waiting_label}" "{w.waiting}
                            </p>
                            {w.may_call.then(move || view! {
                                <ActionForm action=call>
                                    <IdemKey/>
                                    <input type="hidden" name="centre" value=centre_id/>
                                    <input type="hidden" name="window" value=w.letter.clone()/>
                                    <button type="submit" class="primary">
                                        {a.call}<span class="visually-hidden">" "{a.window_label}" "{w.letter.clone()}</span>
                                    </button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {if view.rows.is_empty() {
                view! { <p>{a.today_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="today-caption">
                        <table class="data">
                            <caption id="today-caption">{a.today_title}</caption>
                            <thead><tr>
                                <th scope="col">{a.col_number}</th>
                                <th scope="col">{a.col_time}</th>
                                <th scope="col">{a.col_window}</th>
                                <th scope="col">{a.col_item}</th>
                                <th scope="col">{a.col_status}</th>
                            </tr></thead>
                            <tbody>
                                {view.rows.iter().map(|r| view! {
                                    <tr class=(r.status == AppointmentStatus::Called).then_some("row--done")>
                                        <th scope="row">{r.queue_number.clone()}</th>
                                        <td>{r.start.clone()}"–"{r.end.clone()}</td>
                                        <td>{r.window.clone()}</td>
                                        <td>
                                            <Tx text=r.item.name.clone()/>
                                            {r.case_number.clone().map(|n| view! { " · "<a href=format!("/work/cases/{n}")>{n.clone()}</a> })}
                                        </td>
                                        <td>{status(r.status, lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
