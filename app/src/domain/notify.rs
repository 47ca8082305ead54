//! Notifications of a case's changes (办件状态通知), pure: what one change says ([`Notice`]: a template code and
//! its parameters, turned into words only when someone reads it, in their language), and the pluggable external
//! channels ([`Notifier`]: SMS, e-mail) that decide whether and to whom a change goes out.
//!
//! The server writes the in-app notification and one outbox row per [`Notifier`] that accepts the change, in the
//! same transaction as the change itself (`server/notifications.rs`); nothing is sent from this app — a gateway
//! would drain the outbox.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ids::MobilePhone;

/// A task the same change moved (the system's follow-ups: started, no longer needed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMove {
    /// The catalog item id (named at render time).
    pub item: String,
    /// The task status code it moved to.
    pub to: String,
}

/// What changed, as stored in `notification.params` (JSON). Never a name, an ID number or a form value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub case_number: String,
    pub change: Change,
    /// Tasks the system moved in the same transaction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<TaskMove>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The application was submitted (the case exists).
    Submitted,
    /// The case moved to status `to` (a case status code) by `action`.
    Case { action: String, to: String },
    /// A task (by its item) moved to status `to` (a task status code) by `action`.
    Task {
        item: String,
        action: String,
        to: String,
    },
}

impl Notice {
    /// The template code stored beside the parameters: which sentence the reader sees.
    pub fn code(&self) -> &'static str {
        match self.change {
            Change::Submitted => "case_submitted",
            Change::Case { .. } => "case_status",
            Change::Task { .. } => "task_status",
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(json: &str) -> Option<Notice> {
        serde_json::from_str(json).ok()
    }
}

/// Where a case's applicant can be reached: the form as submitted and the filing account's mobile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contacts {
    pub form: BTreeMap<String, String>,
    pub account_mobile: Option<String>,
}

/// One message for an external channel, as the outbox stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    pub channel: &'static str,
    pub recipient_masked: String,
    pub template_code: String,
    /// JSON: the notice, and `to_field`: where the gateway finds the real address when it sends.
    pub payload: String,
}

/// An external channel. A real deployment adds one (a WeChat message, a push service) by implementing this and
/// listing it in [`channels`]; the outbox rows it plans are drained by that channel's gateway.
pub trait Notifier: Send + Sync {
    /// The channel's code in `notification_outbox.channel`.
    fn channel(&self) -> &'static str;
    /// The message this change sends, or `None` when the applicant cannot be reached this way.
    fn plan(&self, notice: &Notice, contacts: &Contacts) -> Option<OutboxMessage>;
}

fn message(
    channel: &'static str,
    masked: String,
    to_field: &str,
    notice: &Notice,
) -> OutboxMessage {
    let payload = serde_json::json!({ "to_field": to_field, "notice": notice });
    OutboxMessage {
        channel,
        recipient_masked: masked,
        template_code: format!("{channel}.{}", notice.code()),
        payload: payload.to_string(),
    }
}

/// 短信: to the form's contact phone, else the filing account's mobile.
pub struct Sms;

impl Notifier for Sms {
    fn channel(&self) -> &'static str {
        "sms"
    }

    fn plan(&self, notice: &Notice, contacts: &Contacts) -> Option<OutboxMessage> {
        let from_form = contacts
            .form
            .get("phone")
            .and_then(|p| MobilePhone::parse(p).ok());
        let (phone, field) = match from_form {
            Some(p) => (p, "form.phone"),
            None => (
                MobilePhone::parse(contacts.account_mobile.as_deref()?).ok()?,
                "account.mobile",
            ),
        };
        Some(message(self.channel(), phone.masked(), field, notice))
    }
}

/// 电子邮件: to the form's e-mail address, when one was given.
pub struct Email;

impl Notifier for Email {
    fn channel(&self) -> &'static str {
        "email"
    }

    fn plan(&self, notice: &Notice, contacts: &Contacts) -> Option<OutboxMessage> {
        let address = contacts.form.get("email")?.trim();
        let masked = mask_email(address)?;
        Some(message(self.channel(), masked, "form.email", notice))
    }
}

/// The external channels in use.
pub fn channels() -> &'static [&'static dyn Notifier] {
    &[&Sms, &Email]
}

/// Every outbox message one change produces, one per channel that can reach the applicant.
pub fn plan_outbox(notice: &Notice, contacts: &Contacts) -> Vec<OutboxMessage> {
    channels()
        .iter()
        .filter_map(|n| n.plan(notice, contacts))
        .collect()
}

/// `z***@example.com`: the first character of the local part and the whole domain; `None` if it is no address.
pub fn mask_email(address: &str) -> Option<String> {
    let (local, domain) = address.split_once('@')?;
    let first = local.chars().next()?;
    if domain.is_empty() || domain.contains('@') || !domain.contains('.') {
        return None;
    }
    Some(format!("{first}***@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            case_number: "20261125-000042".into(),
            change: Change::Case {
                action: "accept".into(),
                to: "accepted".into(),
            },
            follow_ups: vec![TaskMove {
                item: "samr-registration".into(),
                to: "in_review".into(),
            }],
        }
    }

    fn contacts(phone: Option<&str>, email: Option<&str>, mobile: Option<&str>) -> Contacts {
        let mut form = BTreeMap::new();
        if let Some(p) = phone {
            form.insert("phone".into(), p.into());
        }
        if let Some(e) = email {
            form.insert("email".into(), e.into());
        }
        Contacts {
            form,
            account_mobile: mobile.map(str::to_owned),
        }
    }

    #[test]
    fn notices_round_trip_through_json_with_their_code() {
        let n = notice();
        assert_eq!(Notice::from_json(&n.to_json()), Some(n.clone()));
        assert_eq!(n.code(), "case_status");
        let submitted = Notice {
            change: Change::Submitted,
            follow_ups: vec![],
            ..n
        };
        assert_eq!(submitted.code(), "case_submitted");
        assert!(!submitted.to_json().contains("follow_ups"));
        assert_eq!(Notice::from_json("not json"), None);
    }

    #[test]
    fn one_message_per_channel_that_reaches_the_applicant_masked() {
        let all = plan_outbox(
            &notice(),
            &contacts(
                Some("13800138000"),
                Some("zhang@example.com"),
                Some("13900000000"),
            ),
        );
        let channels: Vec<_> = all.iter().map(|m| m.channel).collect();
        assert_eq!(channels, ["sms", "email"]);
        assert_eq!(all[0].recipient_masked, "138****8000");
        assert_eq!(all[0].template_code, "sms.case_status");
        assert_eq!(all[1].recipient_masked, "z***@example.com");
        for m in &all {
            assert!(!m.payload.contains("13800138000"));
            assert!(!m.payload.contains("zhang@"));
            assert!(m.payload.contains("20261125-000042"));
        }
        assert!(all[0].payload.contains("form.phone"));
    }

    #[test]
    fn sms_falls_back_to_the_account_mobile_and_nothing_goes_without_an_address() {
        let fallback = plan_outbox(
            &notice(),
            &contacts(Some("not a phone"), None, Some("13900000000")),
        );
        assert_eq!(fallback.len(), 1);
        assert_eq!(fallback[0].recipient_masked, "139****0000");
        assert!(fallback[0].payload.contains("account.mobile"));
        assert!(plan_outbox(&notice(), &contacts(None, Some("no-at-sign"), None)).is_empty());
    }

    #[test]
    fn e_mail_addresses_are_masked_or_refused() {
        assert_eq!(mask_email("a@b.cn").as_deref(), Some("a***@b.cn"));
        assert_eq!(
            mask_email("张三@例子.中国").as_deref(),
            Some("张***@例子.中国")
        );
        assert_eq!(mask_email("@b.cn"), None);
        assert_eq!(mask_email("a@b"), None);
        assert_eq!(mask_email("a@b@c.cn"), None);
    }
}
