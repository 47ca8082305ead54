//! Strings of agent filing (代办) and consent (授权委托), in both languages (a missing translation does not compile).

use super::Lang;
use crate::domain::consent::{ConsentStatus, Field, Invalid, Problem, Scope};
use crate::domain::ids::ResidentIdError;

pub struct ConsentStrings {
    pub nav_agent: &'static str,
    pub agent_title: &'static str,
    pub agent_lead: &'static str,
    pub request_heading: &'static str,
    pub request_lead: &'static str,
    pub resident_id_label: &'static str,
    pub resident_id_hint: &'static str,
    pub resident_name_label: &'static str,
    pub resident_mobile_label: &'static str,
    pub resident_mobile_hint: &'static str,
    pub theme_label: &'static str,
    pub choose_theme: &'static str,
    pub scope_legend: &'static str,
    pub scope_hint: &'static str,
    pub valid_until_label: &'static str,
    pub valid_until_hint: &'static str,
    pub method_legend: &'static str,
    pub method_account: &'static str,
    pub request_button: &'static str,
    pub retype_note: &'static str,
    pub agent_list_heading: &'static str,
    pub no_consents_agent: &'static str,
    pub start_filing: &'static str,
    pub my_title: &'static str,
    pub my_lead: &'static str,
    pub my_link: &'static str,
    pub no_consents_resident: &'static str,
    pub approve_button: &'static str,
    pub decline_button: &'static str,
    pub revoke_button: &'static str,
    pub revoke_note: &'static str,
    pub agent_label: &'static str,
    pub resident_label: &'static str,
    pub theme_col: &'static str,
    pub scope_col: &'static str,
    pub until_col: &'static str,
    pub status_col: &'static str,
    pub history_summary: &'static str,
    pub expired: &'static str,
    pub done_requested: &'static str,
    pub done_approved: &'static str,
    pub done_declined: &'static str,
    pub done_revoked: &'static str,
    pub problem_title: &'static str,
    pub no_resident: &'static str,
    pub not_found: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_agent: &'static str,
    pub forbidden_resident: &'static str,
    pub filing_legend: &'static str,
    pub filing_hint: &'static str,
    pub filing_none: &'static str,
    pub filing_none_link: &'static str,
    pub filed_by_prefix: &'static str,
    pub filed_by_suffix: &'static str,
    pub for_resident_prefix: &'static str,
    pub valid_until_prefix: &'static str,
}

const ZH: ConsentStrings = ConsentStrings {
    nav_agent: "代办",
    agent_title: "代办服务",
    agent_lead: "为居民代办前，请先取得居民本人的授权：居民在自己的账号“我的授权”中确认后，您才能以居民的名义提交申请。",
    request_heading: "请求居民授权",
    request_lead: "填写居民的身份信息和授权内容。居民需要已注册本平台账号。",
    resident_id_label: "居民身份证号码",
    resident_id_hint: "18 位，最后一位可能是 X",
    resident_name_label: "居民姓名",
    resident_mobile_label: "居民手机号",
    resident_mobile_hint: "居民注册账号时使用的手机号",
    theme_label: "代办事项（主题服务）",
    choose_theme: "请选择",
    scope_legend: "授权内容",
    scope_hint: "至少选一项",
    valid_until_label: "授权有效期至",
    valid_until_hint: "格式：2026-12-31，最长一年",
    method_legend: "授权方式",
    method_account: "居民在本人账号中确认（我的授权）",
    request_button: "发送授权请求",
    retype_note: "为保护个人信息，身份证号码和手机号不会保留，请重新填写。",
    agent_list_heading: "我请求的授权",
    no_consents_agent: "还没有请求过授权。",
    start_filing: "开始代办",
    my_title: "我的授权",
    my_lead: "代办员请求代您办理事项时，会显示在这里。只有您确认后，代办员才能以您的名义提交和跟踪申请；您可以随时撤销授权。",
    my_link: "我的授权（代办）",
    no_consents_resident: "没有代办员请求过您的授权。",
    approve_button: "同意授权",
    decline_button: "拒绝",
    revoke_button: "撤销授权",
    revoke_note: "撤销后代办员不能再查看或办理您的申请，已办记录保留。",
    agent_label: "代办员",
    resident_label: "居民",
    theme_col: "事项",
    scope_col: "授权内容",
    until_col: "有效期至",
    status_col: "状态",
    history_summary: "授权记录",
    expired: "已过期",
    done_requested: "授权请求已发送，请居民登录本人账号，在“我的授权”中确认。",
    done_approved: "已同意授权。",
    done_declined: "已拒绝授权。",
    done_revoked: "已撤销授权，代办员不能再查看或办理您的申请。",
    problem_title: "未能完成",
    no_resident: "没有找到与该身份证号码、姓名和手机号都一致的居民账号。请核对，或请居民先注册本平台账号。",
    not_found: "没有找到这项授权。",
    forbidden_title: "此页面不适用于您的账号",
    forbidden_agent: "代办服务只供代办员使用。",
    forbidden_resident: "“我的授权”供居民账号使用。",
    filing_legend: "为哪位居民代办",
    filing_hint: "只列出已确认、仍在有效期内并包含“申报”的授权。",
    filing_none: "您还没有可用于此事项的居民授权，暂时不能提交。您填写的内容已保存。",
    filing_none_link: "去请求授权",
    filed_by_prefix: "由代办员 ",
    filed_by_suffix: " 代办",
    for_resident_prefix: "代办对象：",
    valid_until_prefix: "有效期至 ",
};

const EN: ConsentStrings = ConsentStrings {
    nav_agent: "Agent filing",
    agent_title: "Agent filing",
    agent_lead: "Before filing for a resident, get their consent: once the resident confirms it in \"My consents\" in their own account, you can file in their name.",
    request_heading: "Ask a resident for consent",
    request_lead: "Enter the resident's identity and what they allow. The resident needs an account on this site.",
    resident_id_label: "Resident ID number",
    resident_id_hint: "18 characters; the last may be X",
    resident_name_label: "Resident's name",
    resident_mobile_label: "Resident's mobile number",
    resident_mobile_hint: "The number the resident registered with",
    theme_label: "What to file (theme)",
    choose_theme: "Choose",
    scope_legend: "What the agent may do",
    scope_hint: "Choose at least one",
    valid_until_label: "Consent valid until",
    valid_until_hint: "For example 2026-12-31; at most one year",
    method_legend: "How consent is given",
    method_account: "The resident confirms it in their own account (My consents)",
    request_button: "Send the request",
    retype_note: "To protect personal data, the ID number and mobile number are not kept: please enter them again.",
    agent_list_heading: "Consents I asked for",
    no_consents_agent: "No consent asked for yet.",
    start_filing: "Start filing",
    my_title: "My consents",
    my_lead: "When an agent asks to file something for you, it shows here. Only after you confirm can the agent file and follow an application in your name; you can revoke it at any time.",
    my_link: "My consents (agent filing)",
    no_consents_resident: "No agent has asked for your consent.",
    approve_button: "Give consent",
    decline_button: "Decline",
    revoke_button: "Revoke consent",
    revoke_note: "Once revoked, the agent can no longer see or act on your applications; what was done stays on record.",
    agent_label: "Agent",
    resident_label: "Resident",
    theme_col: "Theme",
    scope_col: "Allowed",
    until_col: "Valid until",
    status_col: "Status",
    history_summary: "Consent history",
    expired: "Expired",
    done_requested: "Request sent. The resident signs in to their own account and confirms it in \"My consents\".",
    done_approved: "Consent given.",
    done_declined: "Consent declined.",
    done_revoked: "Consent revoked: the agent can no longer see or act on your applications.",
    problem_title: "That did not work",
    no_resident: "No resident account has this ID number, name and mobile number together. Check them, or ask the resident to register first.",
    not_found: "There is no such consent.",
    forbidden_title: "This page is not for your account",
    forbidden_agent: "Agent filing is for service-point agents.",
    forbidden_resident: "\"My consents\" is for residents' accounts.",
    filing_legend: "Which resident you file for",
    filing_hint: "Only consents that are confirmed, still valid and include filing are listed.",
    filing_none: "You have no resident's consent for this theme yet, so you cannot submit. What you typed is saved.",
    filing_none_link: "Ask for consent",
    filed_by_prefix: "Filed by agent ",
    filed_by_suffix: "",
    for_resident_prefix: "Filed for: ",
    valid_until_prefix: "valid until ",
};

pub fn tc(lang: Lang) -> &'static ConsentStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

pub fn scope_label(scope: Scope, lang: Lang) -> &'static str {
    match (scope, lang) {
        (Scope::File, Lang::Zh) => "申报此事项",
        (Scope::File, Lang::En) => "file this theme",
        (Scope::Follow, Lang::Zh) => "查看和跟踪办件",
        (Scope::Follow, Lang::En) => "see and follow the case",
        (Scope::Corrections, Lang::Zh) => "补正材料、重新提交",
        (Scope::Corrections, Lang::En) => "answer corrections and resubmit",
    }
}

pub fn status_label(status: ConsentStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (ConsentStatus::Pending, Lang::Zh) => "待居民确认",
        (ConsentStatus::Pending, Lang::En) => "Waiting for the resident",
        (ConsentStatus::Approved, Lang::Zh) => "已授权",
        (ConsentStatus::Approved, Lang::En) => "Given",
        (ConsentStatus::Declined, Lang::Zh) => "已拒绝",
        (ConsentStatus::Declined, Lang::En) => "Declined",
        (ConsentStatus::Revoked, Lang::Zh) => "已撤销",
        (ConsentStatus::Revoked, Lang::En) => "Revoked",
    }
}

/// An audit action in words.
pub fn action_label(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("requested", Lang::Zh) => "请求授权",
        ("requested", Lang::En) => "asked for consent",
        ("approved", Lang::Zh) => "同意授权",
        ("approved", Lang::En) => "gave consent",
        ("declined", Lang::Zh) => "拒绝授权",
        ("declined", Lang::En) => "declined",
        ("revoked", Lang::Zh) => "撤销授权",
        ("revoked", Lang::En) => "revoked consent",
        (_, Lang::Zh) => "其他",
        (_, Lang::En) => "other",
    }
}

/// Why a consent did not allow something (an agent's submission, a resident's decision).
pub fn invalid_message(why: Invalid, lang: Lang) -> &'static str {
    match (why, lang) {
        (Invalid::NotConfirmed, Lang::Zh) => "居民还没有确认这项授权，暂时不能提交。您填写的内容已保存。",
        (Invalid::NotConfirmed, Lang::En) => "The resident has not confirmed this consent yet, so you cannot submit. What you typed is saved.",
        (Invalid::Declined, Lang::Zh) => "居民拒绝了这项授权，不能以居民的名义提交。您填写的内容已保存。",
        (Invalid::Declined, Lang::En) => "The resident declined this consent: you cannot file in their name. What you typed is saved.",
        (Invalid::Revoked, Lang::Zh) => "居民已撤销这项授权，不能以居民的名义提交。您填写的内容已保存。",
        (Invalid::Revoked, Lang::En) => "The resident revoked this consent: you cannot file in their name. What you typed is saved.",
        (Invalid::Expired, Lang::Zh) => "这项授权已过期，请重新请求授权。您填写的内容已保存。",
        (Invalid::Expired, Lang::En) => "This consent has expired: ask for a new one. What you typed is saved.",
        (Invalid::OtherTheme, Lang::Zh) => "这项授权不是针对此事项的。您填写的内容已保存。",
        (Invalid::OtherTheme, Lang::En) => "This consent is for another theme. What you typed is saved.",
        (Invalid::OutOfScope, Lang::Zh) => "这项授权不包含“申报”。您填写的内容已保存。",
        (Invalid::OutOfScope, Lang::En) => "This consent does not include filing. What you typed is saved.",
        (Invalid::WrongStatus, Lang::Zh) => "这项授权的状态已经变化，不能再这样处理，请查看最新状态。",
        (Invalid::WrongStatus, Lang::En) => "This consent has changed and cannot be handled that way: see its current state.",
    }
}

/// An agent's submission without any chosen consent.
pub fn no_consent_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "请选择为哪位居民代办（需要居民已确认的授权）。您填写的内容已保存。",
        Lang::En => "Choose the resident you file for (their confirmed consent is needed). What you typed is saved.",
    }
}

/// A problem with a field of the request form.
pub fn problem(p: Problem, field: Field, lang: Lang) -> &'static str {
    use Problem as P;
    match (lang, p, field) {
        (Lang::Zh, P::Missing, Field::ResidentId) => "请填写居民身份证号码",
        (Lang::Zh, P::Missing, Field::ResidentName) => "请填写居民姓名",
        (Lang::Zh, P::Missing, Field::ResidentMobile) => "请填写居民手机号",
        (Lang::Zh, P::Missing, Field::Theme) => "请选择代办事项",
        (Lang::Zh, P::Missing, _) => "请填写授权有效期",
        (Lang::Zh, P::ResidentId(ResidentIdError::WrongLength), _) => "居民身份证号码应为 18 位",
        (Lang::Zh, P::ResidentId(ResidentIdError::NotDigits), _) => {
            "居民身份证号码应为 17 位数字加最后一位数字或 X"
        }
        (Lang::Zh, P::ResidentId(ResidentIdError::BadBirthDate), _) => {
            "居民身份证号码中的出生日期不正确"
        }
        (Lang::Zh, P::ResidentId(ResidentIdError::WrongCheckDigit), _) => {
            "居民身份证号码的校验位不对，请逐位核对"
        }
        (Lang::Zh, P::Mobile, _) => "请输入 11 位中国大陆手机号，如 13800138000",
        (Lang::Zh, P::NameTooLong, _) => "姓名最多 40 个字",
        (Lang::Zh, P::UnknownTheme, _) => "请从列表中选择代办事项",
        (Lang::Zh, P::NoScope, _) => "请至少选择一项授权内容",
        (Lang::Zh, P::BadDate, _) => "请按 2026-12-31 的格式填写日期",
        (Lang::Zh, P::DateInPast, _) => "有效期不能早于今天",
        (Lang::Zh, P::DateTooFar, _) => "有效期最长一年",
        (Lang::En, P::Missing, Field::ResidentId) => "Enter the resident's ID number",
        (Lang::En, P::Missing, Field::ResidentName) => "Enter the resident's name",
        (Lang::En, P::Missing, Field::ResidentMobile) => "Enter the resident's mobile number",
        (Lang::En, P::Missing, Field::Theme) => "Choose what to file",
        (Lang::En, P::Missing, _) => "Enter the last day of the consent",
        (Lang::En, P::ResidentId(ResidentIdError::WrongLength), _) => {
            "A resident ID number has 18 characters"
        }
        (Lang::En, P::ResidentId(ResidentIdError::NotDigits), _) => {
            "A resident ID number is 17 digits and then a digit or X"
        }
        (Lang::En, P::ResidentId(ResidentIdError::BadBirthDate), _) => {
            "The birth date in the ID number is not a real date"
        }
        (Lang::En, P::ResidentId(ResidentIdError::WrongCheckDigit), _) => {
            "The ID number's check character does not match: check each character"
        }
        (Lang::En, P::Mobile, _) => {
            "Enter an 11-digit mainland China mobile number, like 13800138000"
        }
        (Lang::En, P::NameTooLong, _) => "A name has at most 40 characters",
        (Lang::En, P::UnknownTheme, _) => "Choose a theme from the list",
        (Lang::En, P::NoScope, _) => "Choose at least one thing the agent may do",
        (Lang::En, P::BadDate, _) => "Enter the date like 2026-12-31",
        (Lang::En, P::DateInPast, _) => "The last day cannot be before today",
        (Lang::En, P::DateTooFar, _) => "A consent runs for at most one year",
    }
}
