//! 消息通知: the signed-in user's notifications, newest first, each linking to its case, and "mark all read" (a
//! form that posts, so it works with JavaScript off).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::track::{get_notifications, MarkNotificationsRead, NotificationView};
use crate::components::idem::IdemKey;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::use_lang;
use crate::i18n::track::tt;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || (query.read().to_query_string(), mark.version().get()),
        move |_| get_notifications(lang),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(list)) => view! { <List list mark/> }.into_any(),
                    Ok(None) => view! {
                        <leptos_router::components::Redirect path=crate::api::account::login_path("/notifications")/>
                    }
                    .into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn List(list: Vec<NotificationView>, mark: ServerAction<MarkNotificationsRead>) -> impl IntoView {
    let lang = use_lang();
    let s = tt(lang);
    let done = use_query_map().read_untracked().get("done").is_some();
    let unread = list.iter().filter(|n| !n.read).count();
    view! {
        <section class="page narrow">
            <Title text=s.notifications_title/>
            <h1>{s.notifications_title}</h1>
            {done.then(|| view! { <p class="notice" role="status">{s.marked_read}</p> })}
            {(unread > 0).then(|| view! {
                <ActionForm action=mark attr:class="no-print">
                    <IdemKey/>
                    <button type="submit" class="secondary">{s.mark_all_read}</button>
                </ActionForm>
            })}
            {if list.is_empty() {
                view! { <p>{s.notifications_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="notification-list">
                        {list.into_iter().map(|n| {
                            let when = n.at.replace('T', " ").chars().take(16).collect::<String>();
                            view! {
                                <li class=if n.read { "notification" } else { "notification notification--unread" }>
                                    <p>
                                        {(!n.read).then(|| view! { <strong class="tag">{s.unread}</strong>" " })}
                                        {n.text}
                                    </p>
                                    <p class="hint">
                                        <time datetime=n.at.clone()>{when}</time>
                                        " · "
                                        {match n.link.clone() {
                                            Some(href) => view! { <a href=href>{crate::i18n::feedback::tf(lang).open_notification}</a> }.into_any(),
                                            None => view! { <a href=format!("/cases/{}", n.case_number)>{s.open_case}" "{n.case_number.clone()}</a> }.into_any(),
                                        }}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
