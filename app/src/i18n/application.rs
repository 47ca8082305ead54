//! Strings of the application pages (merged form, materials, check, submission), both languages checked by the
//! compiler like the rest of `i18n`.

use super::Lang;
use crate::domain::ids::{CreditCodeError, ResidentIdError};
use crate::domain::merged_form::{FieldProblem, SectionStatus};
use crate::domain::upload::UploadProblem;

pub struct ApplicationStrings {
    pub start_heading: &'static str,
    pub start_lead: &'static str,
    pub start_button: &'static str,
    pub resume_hint: &'static str,
    pub task_list_title: &'static str,
    pub task_list_lead: &'static str,
    pub expires_prefix: &'static str,
    pub expires_suffix: &'static str,
    pub form_sections_heading: &'static str,
    pub materials_line: &'static str,
    pub check_line: &'static str,
    pub check_locked: &'static str,
    pub status_not_started: &'static str,
    pub status_in_progress: &'static str,
    pub status_completed: &'static str,
    pub status_cannot_start: &'static str,
    pub errors_suffix: &'static str,
    pub section_progress_prefix: &'static str,
    pub section_progress_mid: &'static str,
    pub section_progress_suffix: &'static str,
    pub sent_to: &'static str,
    pub optional_mark: &'static str,
    pub awaits_prefix: &'static str,
    pub awaits_suffix: &'static str,
    pub choose_one: &'static str,
    pub save_continue: &'static str,
    pub save_return_check: &'static str,
    pub back_to_task_list: &'static str,
    pub materials_title: &'static str,
    pub materials_lead: &'static str,
    pub bring_heading: &'static str,
    pub produced_heading: &'static str,
    pub produced_prefix: &'static str,
    pub produced_suffix: &'static str,
    pub upload_label: &'static str,
    pub upload_summary: &'static str,
    pub upload_hint: &'static str,
    pub upload_button: &'static str,
    pub uploading: &'static str,
    pub upload_failed: &'static str,
    pub uploaded_heading: &'static str,
    pub remove_button: &'static str,
    pub not_uploaded: &'static str,
    pub shortfall_note: &'static str,
    pub continue_to_check: &'static str,
    pub check_title: &'static str,
    pub check_lead: &'static str,
    pub your_answers: &'static str,
    pub not_given: &'static str,
    pub change: &'static str,
    pub who_receives: &'static str,
    pub declaration: &'static str,
    pub submit_button: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_yours_title: &'static str,
    pub not_yours_body: &'static str,
    pub submitted_title: &'static str,
    pub submitted_body: &'static str,
    pub not_ready_title: &'static str,
    pub not_ready_body: &'static str,
    pub go_to_task_list: &'static str,
    pub refused_tampered: &'static str,
    pub refused_draft: &'static str,
    pub refused_submitted: &'static str,
    pub refused_unknown_theme: &'static str,
    pub refused_other: &'static str,
    pub refused_staff: &'static str,
    pub refused_title: &'static str,
    pub start_again: &'static str,
    pub bytes_kb: &'static str,
    pub submit_heading: &'static str,
    pub submit_problem_title: &'static str,
    pub submitted_banner: &'static str,
    pub case_number_label: &'static str,
    pub lookup_code_label: &'static str,
    pub lookup_code_note: &'static str,
    pub next_heading: &'static str,
    pub next_window: &'static str,
    pub case_title: &'static str,
    pub case_status_label: &'static str,
    pub submitted_at_label: &'static str,
    pub tasks_heading: &'static str,
    pub task_kind_todo: &'static str,
    pub waits_for_prefix: &'static str,
    pub waits_for_suffix: &'static str,
    pub planned_due_label: &'static str,
    pub committed_due_label: &'static str,
    pub statutory_due_label: &'static str,
    pub history_heading: &'static str,
    pub case_not_found_title: &'static str,
    pub case_not_found_body: &'static str,
}

pub static ZH: ApplicationStrings = ApplicationStrings {
    start_heading: "开始申请",
    start_lead: "以上各部门需要的信息只需填写一次，我们会分送各部门。填写过程中每一页都会保存。",
    start_button: "开始填写申请",
    resume_hint: "不登录也可以先收藏本页：网址里保存了您的全部回答，随时打开都能回到这张路线图（不会过期）。填写申请需要登录，草稿保存在您的账号里。",
    task_list_title: "填写申请",
    task_list_lead: "按顺序填写以下各部分，可随时离开，下次从这里继续。",
    expires_prefix: "草稿保存至 ",
    expires_suffix: "，期间未修改将自动删除。",
    form_sections_heading: "申请表",
    materials_line: "申请材料",
    check_line: "核对并提交",
    check_locked: "填完以上各部分后才能核对提交",
    status_not_started: "未开始",
    status_in_progress: "填写中",
    status_completed: "已完成",
    status_cannot_start: "暂不能填写",
    errors_suffix: " 处需要修改",
    section_progress_prefix: "第 ",
    section_progress_mid: " 部分，共 ",
    section_progress_suffix: " 部分",
    sent_to: "填写一次，分送：",
    optional_mark: "（选填）",
    awaits_prefix: "待“",
    awaits_suffix: "”办结后自动带入，现在无需填写。",
    choose_one: "请选择",
    save_continue: "保存并继续",
    save_return_check: "保存并返回核对页",
    back_to_task_list: "返回申请目录",
    materials_title: "申请材料",
    materials_lead: "每份材料只需提交一次。可上传扫描件（PDF、JPEG 或 PNG，每份不超过 8 MB），也可到窗口递交原件。",
    bring_heading: "需要您提供的材料",
    produced_heading: "由前面环节产生、无需提供的材料",
    produced_prefix: "由第 ",
    produced_suffix: " 步产生：",
    upload_label: "选择文件：",
    upload_summary: "上传扫描件",
    upload_hint: "PDF、JPEG 或 PNG，不超过 8 MB",
    upload_button: "上传",
    uploading: "正在上传，请稍候……",
    upload_failed: "上传没有完成：网络中断或服务暂时不可用。您选择的文件仍在，请再点一次“上传”。",
    uploaded_heading: "已上传",
    remove_button: "删除",
    not_uploaded: "尚未上传",
    shortfall_note: "可容缺受理：暂缺时可先受理，承诺期限内补交",
    continue_to_check: "继续：核对并提交",
    check_title: "核对您的申请",
    check_lead: "提交前请核对以下内容，点“修改”可返回更改。",
    your_answers: "您的情形",
    not_given: "未填写",
    change: "修改",
    who_receives: "提交后，以下部门将收到您的申请",
    declaration: "我承诺所填信息和所交材料真实、有效，如有不实愿承担相应法律责任。",
    submit_button: "确认并提交申请",
    not_found_title: "找不到这份申请",
    not_found_body: "申请草稿不存在或已过期。您可以从主题服务重新开始。",
    not_yours_title: "无法打开这份申请",
    not_yours_body: "这份申请属于其他账号。请用提交它的账号登录。",
    submitted_title: "这份申请已提交",
    submitted_body: "已提交的申请不能再修改，可在办件页面查看进度。",
    not_ready_title: "还不能核对提交",
    not_ready_body: "请先填完申请表的各部分。",
    go_to_task_list: "前往申请目录",
    refused_tampered: "页面中的数据与服务器签发的不一致，可能被修改过。为安全起见未做任何保存，请重新回答问题。",
    refused_draft: "找不到这份申请草稿，或您无权修改它。未做任何保存。",
    refused_submitted: "这份申请已经提交，不能再修改。",
    refused_unknown_theme: "没有这个主题服务。",
    refused_other: "无法完成这个操作。",
    refused_staff: "工作人员账号不能提交申请。请用个人账号（或代办员账号）登录后办理。",
    refused_title: "操作未完成",
    start_again: "返回首页",
    bytes_kb: " KB",
    submit_heading: "提交申请",
    submit_problem_title: "未能提交",
    submitted_banner: "申请已提交",
    case_number_label: "办件编号",
    lookup_code_label: "查询码",
    lookup_code_note: "请记下办件编号和查询码：不登录也可凭这两项查询进度。",
    next_heading: "接下来",
    next_window: "综合窗口将在 5 个工作日内审查您的申请：受理、一次性告知补正，或说明不予受理的理由。逾期未答复的，自收到之日起视为受理。",
    case_title: "办件进度",
    case_status_label: "办件状态",
    submitted_at_label: "提交时间",
    tasks_heading: "各部门办理情况",
    task_kind_todo: "由您自行办理",
    waits_for_prefix: "等待第 ",
    waits_for_suffix: " 步的结果",
    planned_due_label: "预计完成",
    committed_due_label: "承诺办结",
    statutory_due_label: "法定期限",
    history_heading: "办理记录",
    case_not_found_title: "找不到这个办件",
    case_not_found_body: "办件编号不存在，或您无权查看。请登录提交它的账号，或凭办件编号和查询码查询进度。",
};

pub static EN: ApplicationStrings = ApplicationStrings {
    start_heading: "Start your application",
    start_lead: "You enter what the departments above need once; we send it to each of them. Every page is saved as you go.",
    start_button: "Start the application",
    resume_hint: "No account needed to come back: this page's address holds all your answers, so a bookmark returns you to this roadmap (it does not expire). Filling in the application needs you to sign in; the draft is kept in your account.",
    task_list_title: "Your application",
    task_list_lead: "Complete each part in order. You can leave and continue from here later.",
    expires_prefix: "Your draft is kept until ",
    expires_suffix: "; it is deleted if left unchanged until then.",
    form_sections_heading: "Application form",
    materials_line: "Documents",
    check_line: "Check and submit",
    check_locked: "Complete every part above to check and submit",
    status_not_started: "Not started",
    status_in_progress: "In progress",
    status_completed: "Completed",
    status_cannot_start: "Cannot start yet",
    errors_suffix: " to fix",
    section_progress_prefix: "Part ",
    section_progress_mid: " of ",
    section_progress_suffix: "",
    sent_to: "Entered once, sent to: ",
    optional_mark: " (optional)",
    awaits_prefix: "Filled in for you once “",
    awaits_suffix: "” is done; nothing to enter now.",
    choose_one: "Choose one",
    save_continue: "Save and continue",
    save_return_check: "Save and return to the check page",
    back_to_task_list: "Back to your application",
    materials_title: "Documents",
    materials_lead: "Each document is handed in once. Upload a scan (PDF, JPEG or PNG, up to 8 MB each) or bring the original to the window.",
    bring_heading: "Documents you provide",
    produced_heading: "Documents an earlier step produces (nothing to provide)",
    produced_prefix: "Produced by step ",
    produced_suffix: ": ",
    upload_label: "Choose a file: ",
    upload_summary: "Upload a scan",
    upload_hint: "PDF, JPEG or PNG, up to 8 MB",
    upload_button: "Upload",
    uploading: "Uploading, please wait…",
    upload_failed: "The upload did not finish: the connection dropped or the service is busy. Your file is still selected; press Upload again.",
    uploaded_heading: "Uploaded",
    remove_button: "Remove",
    not_uploaded: "Not uploaded yet",
    shortfall_note: "Shortfall allowed: the case can be accepted without it if you promise to supply it by a deadline",
    continue_to_check: "Continue: check and submit",
    check_title: "Check your application",
    check_lead: "Check everything before you submit. Use “Change” to go back and edit.",
    your_answers: "Your situation",
    not_given: "Not given",
    change: "Change",
    who_receives: "When you submit, these departments receive your application",
    declaration: "I declare that the information and documents are true and valid, and accept legal responsibility if they are not.",
    submit_button: "Confirm and submit the application",
    not_found_title: "Application not found",
    not_found_body: "This draft does not exist or has expired. You can start again from the theme.",
    not_yours_title: "You cannot open this application",
    not_yours_body: "This application belongs to another account. Sign in with the account that started it.",
    submitted_title: "This application has been submitted",
    submitted_body: "A submitted application cannot be changed; follow its progress on the case page.",
    not_ready_title: "Not ready to check yet",
    not_ready_body: "Complete every part of the form first.",
    go_to_task_list: "Go to your application",
    refused_tampered: "The page's data does not match what the server issued; it may have been altered. Nothing was saved. Please answer the questions again.",
    refused_draft: "This draft was not found, or you may not change it. Nothing was saved.",
    refused_submitted: "This application has already been submitted and cannot be changed.",
    refused_unknown_theme: "There is no such theme.",
    refused_other: "That could not be done.",
    refused_staff: "Staff accounts cannot file applications. Sign in with a personal (or agent) account.",
    refused_title: "Not done",
    start_again: "Go to the home page",
    bytes_kb: " KB",
    submit_heading: "Submit your application",
    submit_problem_title: "Not submitted",
    submitted_banner: "Application submitted",
    case_number_label: "Case number",
    lookup_code_label: "Lookup code",
    lookup_code_note: "Keep the case number and lookup code: with them you can check progress without signing in.",
    next_heading: "What happens next",
    next_window: "The service-centre window reviews your application within 5 working days: it accepts it, lists every correction at once, or gives reasons for refusing it. Without an answer by then, it counts as accepted from the day it arrived.",
    case_title: "Case progress",
    case_status_label: "Case status",
    submitted_at_label: "Submitted",
    tasks_heading: "Each department's part",
    task_kind_todo: "For you to do",
    waits_for_prefix: "Waits for step ",
    waits_for_suffix: "'s result",
    planned_due_label: "Planned by",
    committed_due_label: "Promised by",
    statutory_due_label: "Legal limit",
    history_heading: "History",
    case_not_found_title: "Case not found",
    case_not_found_body: "There is no such case, or it is not yours to see. Sign in with the account that submitted it, or look it up with its number and lookup code.",
};

pub fn ta(lang: Lang) -> &'static ApplicationStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// A task clock's warning in words (电子监察: yellow before, red after the committed date).
pub fn clock(status: crate::domain::case_flow::ClockStatus, lang: Lang) -> &'static str {
    use crate::domain::case_flow::ClockStatus as C;
    match (status, lang) {
        (C::DueSoon, Lang::Zh) => "临近承诺期限",
        (C::DueSoon, Lang::En) => "due soon",
        (C::Overdue, Lang::Zh) => "已超承诺期限",
        (C::Overdue, Lang::En) => "overdue",
        (C::Paused, Lang::Zh) => "计时暂停（等待补正）",
        (C::Paused, Lang::En) => "clock paused (waiting for corrections)",
        (_, Lang::Zh) => "",
        (_, Lang::En) => "",
    }
}

pub fn status(status: SectionStatus, lang: Lang) -> &'static str {
    let s = ta(lang);
    match status {
        SectionStatus::NotStarted => s.status_not_started,
        SectionStatus::InProgress => s.status_in_progress,
        SectionStatus::Completed => s.status_completed,
        SectionStatus::CannotStartYet => s.status_cannot_start,
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// What is wrong with a field, specifically, naming the field.
pub fn field_problem(problem: &FieldProblem, label: &str, lang: Lang) -> String {
    use FieldProblem as P;
    match lang {
        Lang::Zh => match problem {
            P::Missing => format!("请填写{label}"),
            P::TooLong(n) => format!("{label}不能超过 {n} 个字"),
            P::NotANumber => format!("{label}须填写数字，例如 120"),
            P::BelowMin(m) => format!("{label}不能小于 {}", num(*m)),
            P::AboveMax(m) => format!("{label}不能大于 {}", num(*m)),
            P::NotADate => format!("{label}须是真实日期，格式如 2026-05-01"),
            P::NotAnOption => format!("请选择{label}"),
            P::BadEmail => format!("{label}格式不对，应如 name@example.cn"),
            P::BadPhone => format!("{label}须是 11 位手机号码，以 1 开头"),
            P::ResidentId(e) => match e {
                ResidentIdError::WrongLength => format!("{label}应为 18 位"),
                ResidentIdError::NotDigits => {
                    format!("{label}前 17 位须是数字，最后一位是数字或 X")
                }
                ResidentIdError::BadBirthDate => {
                    format!("{label}中的出生日期（第 7–14 位）不是真实日期")
                }
                ResidentIdError::WrongCheckDigit => format!("{label}校验位不符，请逐位核对"),
            },
            P::CreditCode(e) => match e {
                CreditCodeError::WrongLength => format!("{label}应为 18 位"),
                CreditCodeError::InvalidChar => {
                    format!("{label}只含数字和大写字母（不含 I、O、S、V、Z）")
                }
                CreditCodeError::WrongCheckChar => format!("{label}校验位不符，请逐位核对"),
            },
        },
        Lang::En => match problem {
            P::Missing => format!("Enter {label}"),
            P::TooLong(n) => format!("{label} must be {n} characters or fewer"),
            P::NotANumber => format!("{label} must be a number, like 120"),
            P::BelowMin(m) => format!("{label} must be {} or more", num(*m)),
            P::AboveMax(m) => format!("{label} must be {} or less", num(*m)),
            P::NotADate => format!("{label} must be a real date, like 2026-05-01"),
            P::NotAnOption => format!("Choose {label}"),
            P::BadEmail => format!("{label} must look like name@example.cn"),
            P::BadPhone => format!("{label} must be an 11-digit mobile number starting with 1"),
            P::ResidentId(e) => match e {
                ResidentIdError::WrongLength => format!("{label} must have 18 characters"),
                ResidentIdError::NotDigits => {
                    format!("{label} must be 17 digits followed by a digit or X")
                }
                ResidentIdError::BadBirthDate => {
                    format!("The birth date in {label} (characters 7–14) is not a real date")
                }
                ResidentIdError::WrongCheckDigit => {
                    format!("{label} does not add up: check each character")
                }
            },
            P::CreditCode(e) => match e {
                CreditCodeError::WrongLength => format!("{label} must have 18 characters"),
                CreditCodeError::InvalidChar => {
                    format!("{label} uses only digits and capital letters (not I, O, S, V or Z)")
                }
                CreditCodeError::WrongCheckChar => {
                    format!("{label} does not add up: check each character")
                }
            },
        },
    }
}

/// A submission refused for coming too often (the account's or the address's hourly limit).
pub fn too_many_submissions(minutes: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "提交过于频繁，暂时不能提交。请在 {minutes} 分钟后再试；您填写的内容和上传的材料都已保存。"
        ),
        Lang::En => format!(
            "Too many submissions in a short time. Try again in {minutes} minutes; everything you typed and uploaded is saved."
        ),
    }
}

pub fn upload_problem(problem: &UploadProblem, lang: Lang) -> &'static str {
    match (problem, lang) {
        (UploadProblem::Empty, Lang::Zh) => "请选择要上传的文件",
        (UploadProblem::Empty, Lang::En) => "Choose a file to upload",
        (UploadProblem::TooLarge, Lang::Zh) => "文件超过 8 MB，请压缩或分页扫描后再上传",
        (UploadProblem::TooLarge, Lang::En) => {
            "The file is larger than 8 MB: compress it or scan fewer pages"
        }
        (UploadProblem::NotAllowedType, Lang::Zh) => {
            "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断，不看扩展名）"
        }
        (UploadProblem::NotAllowedType, Lang::En) => {
            "The file must be a PDF, JPEG or PNG (judged by its content, not its name)"
        }
    }
}

/// The 我的办事 page.
pub struct MyStrings {
    pub title: &'static str,
    pub drafts_heading: &'static str,
    pub no_drafts: &'static str,
    pub cases_heading: &'static str,
    pub no_cases: &'static str,
    pub continue_word: &'static str,
    pub updated_prefix: &'static str,
    pub kept_until_prefix: &'static str,
    pub find_theme: &'static str,
    pub nav_link: &'static str,
}

pub fn my(lang: Lang) -> &'static MyStrings {
    static ZH: MyStrings = MyStrings {
        title: "我的办事",
        drafts_heading: "未提交的申请",
        no_drafts: "没有未提交的申请。",
        cases_heading: "已提交的办件",
        no_cases: "还没有提交过申请。",
        continue_word: "继续填写",
        updated_prefix: "最后修改：",
        kept_until_prefix: "保存至：",
        find_theme: "查找主题服务",
        nav_link: "我的办事",
    };
    static EN: MyStrings = MyStrings {
        title: "My applications",
        drafts_heading: "Not submitted yet",
        no_drafts: "No applications in progress.",
        cases_heading: "Submitted cases",
        no_cases: "You have not submitted an application yet.",
        continue_word: "Continue",
        updated_prefix: "Last changed: ",
        kept_until_prefix: "Kept until: ",
        find_theme: "Find a service theme",
        nav_link: "My applications",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_the_field_in_each_language() {
        let p = FieldProblem::ResidentId(ResidentIdError::WrongCheckDigit);
        assert!(field_problem(&p, "身份证号码", Lang::Zh).contains("身份证号码"));
        assert!(field_problem(&p, "resident ID number", Lang::En).contains("resident ID number"));
        assert_eq!(
            field_problem(&FieldProblem::BelowMin(1.0), "座位数", Lang::Zh),
            "座位数不能小于 1"
        );
    }
}
