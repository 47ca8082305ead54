//! Cases (办件) as the applicant sees them: the confirmation after submitting and the case page with each
//! department's task, its state, dates and what happens next.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::catalog::Named;
use crate::domain::case_flow::{
    CaseActionKind, CaseStatus, ClockStatus, TaskActionKind, TaskKind, TaskStatus,
};
use crate::domain::text::Lang;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub number: String,
    /// 查询码: shown to the case's owner only.
    pub lookup_code: Option<String>,
    /// 代办: the display name of the agent who filed the case for its owner.
    pub filed_by_agent: Option<String>,
    /// 代办: to the agent viewing it, the name of the resident the case belongs to.
    pub for_resident: Option<String>,
    pub theme: Named,
    pub status: CaseStatus,
    /// ISO date-time of submission.
    pub submitted_at: String,
    pub tasks: Vec<CaseTaskView>,
    pub history: Vec<HistoryLine>,
    /// The case's version, carried by the owner's action forms.
    pub version: i64,
    /// What the owner can do to the case now (resubmit, hand in promised materials); empty for staff.
    pub owner_actions: Vec<CaseActionKind>,
    /// While corrections are requested: every item.
    pub correction_items: Vec<String>,
    /// While accepted with shortfall: the promised materials and their deadline (ISO).
    pub promise: Option<(Vec<String>, String)>,
    /// Notices issued so far, printable.
    pub notices: Vec<crate::api::work::NoticeKind>,
    /// The owner's: the materials the window's correction request asks for again, with the new files so far.
    pub correction_materials: Vec<CorrectionMaterial>,
}

/// A material a correction request (补正) asks for again, and the files handed in for that request so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrectionMaterial {
    pub id: String,
    pub name: String,
    /// (file name, download link)
    pub files: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseTaskView {
    /// The theme step id.
    pub step: String,
    pub version: i64,
    /// What the owner can do to it now (hand in corrections, mark a to-do done).
    pub owner_actions: Vec<TaskActionKind>,
    /// The step's number on the roadmap.
    pub number: i64,
    pub item: Named,
    pub department: Named,
    pub kind: TaskKind,
    pub status: TaskStatus,
    pub clock: ClockStatus,
    /// ISO dates: planned at submission; the real due dates once the clock started.
    pub planned_due: Option<String>,
    pub committed_due: Option<String>,
    pub statutory_due: Option<String>,
    /// Numbers of the steps whose results it waits for.
    pub waits_for: Vec<i64>,
    /// A reason the applicant must see (a refusal, an extension, what to correct).
    pub notes: Vec<String>,
    /// The owner's: the materials this task's correction request asks for again, with the new files so far.
    pub correction_materials: Vec<CorrectionMaterial>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    /// The step number, for a task's entry.
    pub task: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub to_status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CasePage {
    Ready(Box<CaseView>),
    /// Not found, or not the viewer's to see: the same answer for both, so numbers cannot be probed.
    NotFound,
    /// Nobody is signed in: sign in and come back.
    SignIn,
}

impl CaseView {
    /// A short code that changes whenever anything this view shows changes: FNV-1a (64 bits) over its JSON. The
    /// case page carries it (`data-live-token`), and its live poll asks [`read_case_status`] for the current one, so a
    /// phone downloads the page again only when there is something new on it. Every server instance computes the
    /// same code for the same view (no per-process hash keys).
    pub fn fingerprint(&self) -> String {
        struct Fnv(u64);
        impl std::io::Write for Fnv {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                for b in bytes {
                    self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
                }
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
        // Writing to memory cannot fail, and every field serialises.
        let _ = serde_json::to_writer(&mut hash, self);
        format!("{:016x}", hash.0)
    }
}

/// The answer of [`read_case_status`]: the case's state and its page's [`CaseView::fingerprint`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CaseStatusAnswer {
    Ready {
        status: CaseStatus,
        fingerprint: String,
    },
    /// Not found, or not the viewer's to see (as [`CasePage::NotFound`]).
    NotFound,
    /// Nobody is signed in.
    SignIn,
}

impl From<&CasePage> for CaseStatusAnswer {
    fn from(page: &CasePage) -> Self {
        match page {
            CasePage::Ready(view) => CaseStatusAnswer::Ready {
                status: view.status,
                fingerprint: view.fingerprint(),
            },
            CasePage::NotFound => CaseStatusAnswer::NotFound,
            CasePage::SignIn => CaseStatusAnswer::SignIn,
        }
    }
}

/// The case's state, read the way its page is (the same viewer checks), without the page: what the case page's live
/// poll asks every 10 s. A few dozen bytes instead of the page's kilobytes on a phone's connection.
#[server(endpoint = "case_status")]
pub async fn read_case_status(
    number: String,
    lang: Lang,
) -> Result<CaseStatusAnswer, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let viewer = crate::server::application::viewer().await;
    crate::server::case_views::case_status(&state, &number, lang, viewer)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server]
pub async fn get_case(number: String, lang: Lang) -> Result<CasePage, ServerFnError> {
    let state = expect_context::<crate::server::state::AppState>();
    let viewer = crate::server::application::viewer().await;
    crate::server::case_views::case_page(&state, &number, lang, viewer)
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// Submits the checked application: one case, once. A repeated submit of the same draft (a double tap, a retry)
/// lands on the same case.
#[server]
pub async fn submit_application(
    draft: String,
    /// 代办: the resident's consent an agent files under.
    #[server(default)]
    consent: Option<String>,
    #[server(default)] idem: String,
) -> Result<(), ServerFnError> {
    let _ = idem; // the idempotency key, used by the middleware before this runs
    let state = expect_context::<crate::server::state::AppState>();
    let viewer = crate::server::application::viewer().await;
    let address = crate::server::application::client_address().await;
    let to = crate::server::application::submit(
        &state,
        &draft,
        viewer,
        address.as_deref(),
        consent.as_deref(),
    )
    .await
    .map_err(|e| ServerFnError::new(e.to_string()))?;
    leptos_axum::redirect(&to);
    Ok(())
}
