//! The 代办 pages' views and forms: who may see which page (agents `/agent`, citizens `/my/consents`), the wire
//! lines built from `consent`'s rows, and the redirects the forms answer with.

use crate::api::account::{encode_component, login_path, SessionUser};
use crate::api::catalog::Named;
use crate::api::consent::{AgentView, ConsentAuditLine, ConsentLine, ConsentPage};
use crate::domain::consent::{ConsentStatus, Decision, RequestForm};
use crate::domain::text::Text;
use crate::domain::Role;

use super::consent::{self, ConsentRow, DecideRefused, RequestRefused};
use super::db::DbError;
use super::state::AppState;

/// `2026-11-26 02:40:12 UTC` from Unix seconds.
pub fn utc(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

fn named_theme(state: &AppState, id: &str) -> Named {
    Named {
        id: id.to_owned(),
        name: state
            .catalog
            .theme(id)
            .map_or_else(|| Text::zh(id), |t| t.name.clone()),
    }
}

async fn line(state: &AppState, c: ConsentRow, today: time::Date) -> Result<ConsentLine, DbError> {
    let audit = consent::audit(&state.db, c.id)
        .await?
        .into_iter()
        .map(|a| ConsentAuditLine {
            at: utc(a.at),
            who: a.actor_name,
            action: a.action,
        })
        .collect();
    Ok(ConsentLine {
        id: c.id,
        theme: named_theme(state, &c.theme_id),
        agent_name: c.agent_name,
        resident_name: c.resident_name,
        resident_id_masked: c.resident_id_masked,
        scopes: c.consent.scopes.clone(),
        valid_until: c.consent.valid_until.to_string(),
        expired: c.consent.status == ConsentStatus::Approved && !c.consent.in_force(today),
        status: c.consent.status,
        audit,
    })
}

/// `/agent`: agents only.
pub async fn agent_page(
    state: &AppState,
    user: Option<SessionUser>,
) -> Result<ConsentPage<AgentView>, DbError> {
    let Some(user) = user else {
        return Ok(ConsentPage::SignIn);
    };
    if user.role != Role::Agent {
        tracing::warn!(
            account = user.account_id,
            "refused the agent page to another role"
        );
        return Ok(ConsentPage::Forbidden);
    }
    let today = super::clock::today(&state.db).await;
    let mut consents = Vec::new();
    for c in consent::of_agent(&state.db, user.account_id).await? {
        consents.push(line(state, c, today).await?);
    }
    let themes = state
        .catalog
        .current_themes()
        .map(|t| Named {
            id: t.id.clone(),
            name: t.name.clone(),
        })
        .collect();
    Ok(ConsentPage::Ready(AgentView {
        themes,
        consents,
        today: today.to_string(),
        default_until: (today + time::Duration::days(90)).to_string(),
    }))
}

/// `/my/consents`: the consents asked of a citizen.
pub async fn resident_page(
    state: &AppState,
    user: Option<SessionUser>,
) -> Result<ConsentPage<Vec<ConsentLine>>, DbError> {
    let Some(user) = user else {
        return Ok(ConsentPage::SignIn);
    };
    if user.role != Role::Citizen {
        return Ok(ConsentPage::Forbidden);
    }
    let today = super::clock::today(&state.db).await;
    let mut lines = Vec::new();
    for c in consent::of_resident(&state.db, user.account_id).await? {
        lines.push(line(state, c, today).await?);
    }
    Ok(ConsentPage::Ready(lines))
}

/// The agent's request form: back to `/agent` with `?done=requested`, or with the problems and what was typed
/// (not the resident's ID number nor mobile number: they never go into an address).
pub async fn request(
    state: &AppState,
    user: Option<SessionUser>,
    form: RequestForm,
    address: Option<&str>,
) -> Result<String, DbError> {
    let Some(user) = user else {
        return Ok(login_path("/agent"));
    };
    if user.role != Role::Agent {
        tracing::warn!(
            account = user.account_id,
            "refused a consent request from another role"
        );
        return Ok("/agent".into());
    }
    let today = super::clock::today(&state.db).await;
    let kept = || {
        let mut q = vec![
            format!("resident_name={}", encode_component(&form.resident_name)),
            format!("theme={}", encode_component(&form.theme)),
            format!("valid_until={}", encode_component(&form.valid_until)),
            format!("scopes={}", encode_component(&form.scopes.join(","))),
        ];
        q.retain(|p| !p.ends_with('='));
        q
    };
    match consent::request(
        &state.db,
        &state.catalog,
        user.account_id,
        &form,
        today,
        address,
    )
    .await?
    {
        Ok(_) => Ok("/agent?done=requested".into()),
        Err(RequestRefused::Fields(problems)) => {
            let mut q: Vec<String> = problems
                .iter()
                .map(|(f, p)| format!("e_{}={}", f.code(), p.code()))
                .collect();
            q.extend(kept());
            Ok(format!("/agent?{}#request", q.join("&")))
        }
        Err(RequestRefused::NoSuchResident) => {
            let mut q = vec!["problem=no_resident".to_owned()];
            q.extend(kept());
            Ok(format!("/agent?{}#request", q.join("&")))
        }
    }
}

/// The resident's decision: back to `/my/consents` with `?done=` or `?problem=`.
pub async fn decide(
    state: &AppState,
    user: Option<SessionUser>,
    consent_id: &str,
    decision: &str,
    address: Option<&str>,
) -> Result<String, DbError> {
    let Some(user) = user else {
        return Ok(login_path("/my/consents"));
    };
    let (Ok(id), Some(decision)) = (
        consent_id.trim().parse::<i64>(),
        Decision::from_code(decision),
    ) else {
        return Ok("/my/consents?problem=not_found".into());
    };
    if user.role != Role::Citizen {
        tracing::warn!(
            account = user.account_id,
            "refused a consent decision from another role"
        );
        return Ok("/my/consents?problem=not_found".into());
    }
    Ok(
        match consent::decide(&state.db, user.account_id, id, decision, address).await? {
            Ok(_) => format!("/my/consents?done={}", decision.code()),
            Err(DecideRefused::NotFound) => "/my/consents?problem=not_found".into(),
            Err(DecideRefused::Invalid(why)) => format!("/my/consents?problem={}", why.code()),
        },
    )
}
