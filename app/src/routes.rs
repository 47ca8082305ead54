//! The route tree. Every screen has a stable, shareable URL that renders fully on the server.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    ParamSegment, SsrMode, StaticSegment,
};

use crate::components::auth::provide_auth;
use crate::components::islands::HydrationMarker;
use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::i18n::t;
use crate::pages::account::AccountPage;
use crate::pages::admin::{
    AdminAccountPage, AdminAccountsPage, AdminHomePage, AdminNewAccountPage, AdminTokensPage,
};
use crate::pages::admin_webhooks::AdminWebhooksPage;
use crate::pages::application::{ApplicationPage, CheckPage, MaterialsPage, SectionPage};
use crate::pages::appointments::{
    AppointmentPage, BookAppointmentPage, MyAppointmentsPage, TodayAppointmentsPage,
};
use crate::pages::auth::{LoginPage, RegisterPage};
use crate::pages::browse::{AudiencePage, StagePage};
use crate::pages::case::CasePageView;
use crate::pages::consent::{AgentPage, MyConsentsPage};
use crate::pages::department::DepartmentPage;
use crate::pages::feedback::{
    ConsultPage, FollowUpPage, MyConsultationsPage, StaffConsultationPage,
};
use crate::pages::item::ItemPage;
use crate::pages::my::MyApplicationsPage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::performance::DepartmentPerformancePage;
use crate::pages::refused::RefusedPage;
use crate::pages::search::SearchPage;
use crate::pages::theme::ThemePage;
use crate::pages::track::{TrackFormPage, TrackResultPage};
use crate::pages::wizard::WizardPageView;
use crate::pages::work::{NoticePage, StaffCasePage, SupervisionPage, WorkQueuePage};
use crate::pages::{home::HomePage, not_found::NotFound};
use crate::prefs::{self, Prefs};

/// The application: providers, the page frame and the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = prefs::current();
    provide_context::<Prefs>(prefs);
    let site_name = t(prefs.lang).site_name;
    provide_auth();

    view! {
        <Stylesheet id="leptos" href="/pkg/hall.css"/>
        <Title formatter=move |page: String| {
            if page.is_empty() { site_name.to_string() } else { format!("{page} - {site_name}") }
        }/>
        <Router>
            <div class="app">
                <SkipLink/>
                <SiteHeader/>
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFound>
                        // Data pages render whole on the server (SsrMode::Async), so they read the same with
                        // JavaScript off; out-of-order streaming would need a script to show the data.
                        <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("themes"), ParamSegment("id")) view=ThemePage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("themes"), ParamSegment("id"), StaticSegment("apply"))
                            view=WizardPageView
                            ssr=SsrMode::Async
                        />
                        <Route path=(StaticSegment("items"), ParamSegment("id")) view=ItemPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("departments"), ParamSegment("id"))
                            view=DepartmentPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("departments"), ParamSegment("id"), StaticSegment("performance"))
                            view=DepartmentPerformancePage
                            ssr=SsrMode::Async
                        />
                        <Route path=(StaticSegment("audiences"), ParamSegment("id")) view=AudiencePage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("stages"), ParamSegment("id")) view=StagePage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("applications"), ParamSegment("id")) view=ApplicationPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("applications"), ParamSegment("id"), StaticSegment("sections"), ParamSegment("section"))
                            view=SectionPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("applications"), ParamSegment("id"), StaticSegment("materials"))
                            view=MaterialsPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("applications"), ParamSegment("id"), StaticSegment("check"))
                            view=CheckPage
                            ssr=SsrMode::Async
                        />
                        <Route path=(StaticSegment("refused"), ParamSegment("code")) view=RefusedPage/>
                        <Route path=(StaticSegment("cases"), ParamSegment("number")) view=CasePageView ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("cases"), ParamSegment("number"), StaticSegment("notice"), ParamSegment("kind"))
                            view=NoticePage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("work") view=WorkQueuePage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("work"), StaticSegment("cases"), ParamSegment("number"))
                            view=StaffCasePage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("work"), StaticSegment("follow-ups"), ParamSegment("id"))
                            view=FollowUpPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("work"), StaticSegment("consultations"), ParamSegment("id"))
                            view=StaffConsultationPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("consult") view=ConsultPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("consultations") view=MyConsultationsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("supervision") view=SupervisionPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("appointments") view=MyAppointmentsPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("appointments"), StaticSegment("new"))
                            view=BookAppointmentPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("appointments"), ParamSegment("id"))
                            view=AppointmentPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("work"), StaticSegment("appointments"))
                            view=TodayAppointmentsPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("my") view=MyApplicationsPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("my"), StaticSegment("consents")) view=MyConsentsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("agent") view=AgentPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("track") view=TrackFormPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("track"), ParamSegment("pass")) view=TrackResultPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("notifications") view=NotificationsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("admin") view=AdminHomePage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("admin"), StaticSegment("accounts"))
                            view=AdminAccountsPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("admin"), StaticSegment("accounts"), StaticSegment("new"))
                            view=AdminNewAccountPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("admin"), StaticSegment("accounts"), ParamSegment("id"))
                            view=AdminAccountPage
                            ssr=SsrMode::Async
                        />
                        <Route path=(StaticSegment("admin"), StaticSegment("tokens")) view=AdminTokensPage ssr=SsrMode::Async/>
                        <Route path=(StaticSegment("admin"), StaticSegment("webhooks")) view=AdminWebhooksPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
                <SiteFooter/>
                // Last, so it shows once every island before it has hydrated.
                <HydrationMarker/>
            </div>
        </Router>
    }
}
