//! Who is signed in, for every page: the sign-in, registration and sign-out actions (shared so the header
//! notices when one of them ran) and the header's account links.

use leptos::prelude::*;

use crate::api::account::{
    get_current_user, Login, Logout, LogoutEverywhere, Register, SessionUser,
};
use crate::api::track::get_unread_count;
use crate::components::text::use_lang;
use crate::i18n::t;

/// The account actions and the signed-in user, provided by `App`.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub logout_everywhere: ServerAction<LogoutEverywhere>,
    /// Fetched again whenever one of the actions has run.
    pub user: Resource<Result<Option<SessionUser>, ServerFnError>>,
}

/// Creates the actions and the user resource and provides them as context.
pub fn provide_auth() -> Auth {
    let login = ServerAction::<Login>::new();
    let register = ServerAction::<Register>::new();
    let logout = ServerAction::<Logout>::new();
    let logout_everywhere = ServerAction::<LogoutEverywhere>::new();
    let user = Resource::new(
        move || {
            (
                login.version().get(),
                register.version().get(),
                logout.version().get(),
                logout_everywhere.version().get(),
            )
        },
        |_| get_current_user(),
    );
    let auth = Auth {
        login,
        register,
        logout,
        logout_everywhere,
        user,
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// The header's account area: sign-in and registration links, or the name (to `/account`) and a sign-out button.
#[component]
pub fn AccountNav() -> impl IntoView {
    let s = t(use_lang());
    let w = crate::i18n::work::tw(use_lang());
    let auth = use_auth();
    let tr = crate::i18n::track::tt(use_lang());
    // The unread count is read again on every navigation (marking read redirects to a new query) and after any
    // account action.
    let location = leptos_router::hooks::use_location();
    let unread = Resource::new(
        move || {
            (
                location.pathname.get(),
                location.search.get(),
                auth.login.version().get(),
                auth.logout.version().get(),
            )
        },
        |_| get_unread_count(),
    );
    view! {
        <nav class="account-nav" aria-label=s.account_nav>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => {
                        let count = unread.await.unwrap_or(0);
                        view! {
                            {user.role.is_staff().then(|| view! {
                                <a href="/work">{w.nav_workbench}</a>
                            })}
                            {matches!(user.role, crate::domain::Role::Supervisor | crate::domain::Role::Admin).then(|| view! {
                                <a href="/supervision">{w.nav_supervision}</a>
                            })}
                            {(user.role == crate::domain::Role::Admin).then(|| view! {
                                <a href="/admin">{crate::i18n::admin::ta(use_lang()).nav_admin}</a>
                            })}
                            <a class="account-nav__name" href="/account">{user.display_name}</a>
                            {(user.role == crate::domain::Role::Agent).then(|| view! {
                                <a href="/agent">{crate::i18n::consent::tc(use_lang()).nav_agent}</a>
                            })}
                            {(!user.role.is_staff()).then(|| view! {
                                <a href="/my">{crate::i18n::application::my(use_lang()).nav_link}</a>
                                // The count is read out with its meaning ("3 unread"), in the link's own text.
                                <a class="account-nav__notes" href="/notifications">
                                    {tr.notifications_nav}
                                    {(count > 0).then(|| view! {
                                        <span class="count">{count.min(99)}<span class="visually-hidden">" "{tr.unread}</span></span>
                                    })}
                                </a>
                            })}
                            <ActionForm action=auth.logout attr:class="inline-form">
                                <button type="submit" class="link-button">{s.sign_out}</button>
                            </ActionForm>
                        }
                        .into_any()
                        }
                        _ => view! {
                            <a href="/login">{s.nav_login}</a>
                            <span aria-hidden="true">" / "</span>
                            <a href="/register">{s.nav_register}</a>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </nav>
    }
}
