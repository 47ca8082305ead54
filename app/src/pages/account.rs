//! `/account`: who you are (name, login, role, department), sign out, and sign out on every device. Signed-out
//! visitors are sent to `/login?next=/account`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::account::{get_account, login_path, AccountView};
use crate::components::auth::use_auth;
use crate::components::lists::{LoadError, Loading};
use crate::components::text::{use_lang, Tx};
use crate::i18n::{role_label, t};

#[component]
pub fn AccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_account());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <Account view/> }.into_any(),
                    Ok(None) => view! { <Redirect path=login_path("/account")/> }.into_any(),
                    Err(_) => view! { <LoadError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(view: AccountView) -> impl IntoView {
    let s = t(use_lang());
    let auth = use_auth();
    let user = view.user;
    view! {
        <Title text=s.account_title/>
        <section class="page narrow">
            <h1>{s.account_title}</h1>
            <dl class="facts">
                <dt>{s.account_name}</dt>
                <dd>{user.display_name}</dd>
                <dt>{s.account_login}</dt>
                <dd>{user.login}</dd>
                <dt>{s.account_role}</dt>
                <dd>{role_label(s, user.role)}</dd>
                {view.department_name.map(|name| view! {
                    <dt>{s.account_department}</dt>
                    <dd><Tx text=name/></dd>
                })}
            </dl>
            <ActionForm action=auth.logout>
                <button type="submit" class="primary">{s.sign_out}</button>
            </ActionForm>
            <h2>{s.sign_out_everywhere}</h2>
            <p>{s.sign_out_everywhere_hint}</p>
            <ActionForm action=auth.logout_everywhere>
                <button type="submit" class="secondary">{s.sign_out_everywhere}</button>
            </ActionForm>
        </section>
    }
}
