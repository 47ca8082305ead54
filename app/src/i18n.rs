//! UI strings in Simplified Chinese (default) and English.
//!
//! Every string the UI shows lives here, one struct per language, so a missing translation is a compile error,
//! not a blank on a citizen's screen. Catalog content carries its own translations in the data files.

/// The interface language is the catalog's: Chinese first, English for foreigners (外国人).
pub use crate::domain::text::Lang;

impl Lang {
    /// The BCP 47 tag used in `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The short code used in cookies and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language in an `Accept-Language` header we speak, by quality; Chinese when none matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Some(Lang::Zh)
            } else if tag.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            };
            if let Some(lang) = lang {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// All UI strings of one language.
pub struct Strings {
    pub site_name: &'static str,
    pub skip_to_content: &'static str,
    pub main_nav: &'static str,
    pub nav_home: &'static str,
    pub nav_themes: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_button: &'static str,
    pub themes_heading: &'static str,
    pub themes_lead: &'static str,
    pub how_heading: &'static str,
    pub how_steps: [&'static str; 4],
    pub large_text: &'static str,
    pub large_text_on: &'static str,
    pub settings: &'static str,
    /// The name of the *other* language, written in that language, for the switch link.
    pub switch_language: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_home: &'static str,
    pub footer_note: &'static str,
    pub hotline: &'static str,
    pub chinese_only: &'static str,
    pub loading: &'static str,
    pub load_error: &'static str,
    pub search_title: &'static str,
    pub search_results_for: &'static str,
    pub search_empty: &'static str,
    pub search_none: &'static str,
    pub suggestions_heading: &'static str,
    pub themes_found: &'static str,
    pub items_found: &'static str,
    pub browse_heading: &'static str,
    pub by_audience: &'static str,
    pub by_personal_stage: &'static str,
    pub by_enterprise_stage: &'static str,
    pub historical_heading: &'static str,
    pub historical_lead: &'static str,
    pub historical_badge: &'static str,
    pub departments_count: &'static str,
    pub steps_count: &'static str,
    pub committed_days_label: &'static str,
    pub working_days: &'static str,
    pub who_heading: &'static str,
    pub needs_heading: &'static str,
    pub lead_department: &'static str,
    pub flow_heading: &'static str,
    pub stage_prefix: &'static str,
    pub stage_suffix: &'static str,
    pub parallel_note: &'static str,
    pub step_word: &'static str,
    pub department_word: &'static str,
    pub needs_word: &'static str,
    pub from_earlier_word: &'static str,
    pub produces_word: &'static str,
    pub fee_word: &'static str,
    pub committed_word: &'static str,
    pub statutory_word: &'static str,
    pub conditional_note: &'static str,
    pub one_of_note: &'static str,
    pub after_word: &'static str,
    pub critical_heading: &'static str,
    pub critical_prefix: &'static str,
    pub earliest_prefix: &'static str,
    pub earliest_suffix: &'static str,
    pub open_limits_note: &'static str,
    pub questions_note_prefix: &'static str,
    pub questions_note_suffix: &'static str,
    pub free: &'static str,
    pub yuan: &'static str,
    pub on_the_spot: &'static str,
    pub calendar_days: &'static str,
    pub limit_none: &'static str,
    pub limit_local: &'static str,
    pub extension_prefix: &'static str,
    pub varies_note: &'static str,
    pub source_word: &'static str,
    pub guide_title: &'static str,
    pub kind_word: &'static str,
    pub kind_licensing: &'static str,
    pub kind_public_service: &'static str,
    pub kind_filing: &'static str,
    pub kind_confirmation: &'static str,
    pub kind_other: &'static str,
    pub online_word: &'static str,
    pub online_info: &'static str,
    pub online_download: &'static str,
    pub online_apply: &'static str,
    pub online_full: &'static str,
    pub conditions_heading: &'static str,
    pub materials_heading: &'static str,
    pub original: &'static str,
    pub copy: &'static str,
    pub original_and_copy: &'static str,
    pub electronic: &'static str,
    pub copies_suffix: &'static str,
    pub optional_word: &'static str,
    pub shortfall_word: &'static str,
    pub produced_by_word: &'static str,
    pub legal_heading: &'static str,
    pub limits_heading: &'static str,
    pub where_heading: &'static str,
    pub forms_heading: &'static str,
    pub in_themes_heading: &'static str,
    pub print_hint: &'static str,
    pub dept_items_heading: &'static str,
    pub dept_themes_heading: &'static str,
    pub formerly_word: &'static str,
    pub phone_word: &'static str,
    pub no_entries: &'static str,
    pub entry_not_found_title: &'static str,
    pub entry_not_found_body: &'static str,
    pub audience_title_suffix: &'static str,
}

pub static ZH: Strings = Strings {
    site_name: "示范市网上办事大厅",
    skip_to_content: "跳到主要内容",
    main_nav: "主导航",
    nav_home: "首页",
    nav_themes: "主题服务",
    home_title: "一网通办，一次办好",
    home_lead: "开一家店、给孩子上户口、办理结婚登记……告诉我们您要办的事，我们为您列出要找的部门、顺序和材料，一张表格填一次，一次提交。",
    search_label: "搜索办事事项或主题服务",
    search_hint: "例如：餐饮、营业执照、出生、税",
    search_button: "搜索",
    themes_heading: "主题服务",
    themes_lead: "按您要办成的一件事办理，多个部门并联审批，一口受理、综合反馈。",
    how_heading: "怎么办理",
    how_steps: [
        "回答几个情形问题，确定需要办理哪些事项",
        "查看为您定制的办事路线图",
        "填写一张合并表单，上传一份材料清单",
        "提交后随时查看各部门的办理进度",
    ],
    large_text: "大字模式",
    large_text_on: "大字模式（已开启）",
    settings: "显示设置",
    switch_language: "English",
    not_found_title: "找不到这个页面",
    not_found_body: "您访问的地址不存在，可能已经移动或输入有误。您可以回到首页，或用搜索找到要办的事。",
    go_home: "返回首页",
    footer_note: "示范市人民政府 · 演示系统，数据为示例",
    hotline: "政务服务热线 12345",
    chinese_only: "（仅中文）",
    loading: "正在加载…",
    load_error: "暂时无法加载，请稍后重试。",
    search_title: "搜索",
    search_results_for: "搜索结果：",
    search_empty: "请输入要办的事，例如“餐饮”“出生”“营业执照”。",
    search_none: "没有找到匹配的事项或主题服务。您可以换个说法，或看看下面的主题服务。",
    suggestions_heading: "您可能要办",
    themes_found: "主题服务",
    items_found: "办事事项",
    browse_heading: "分类浏览",
    by_audience: "按服务对象",
    by_personal_stage: "个人办事（按人生阶段）",
    by_enterprise_stage: "法人办事（按企业阶段）",
    historical_heading: "改革对照：过去的办事流程",
    historical_lead: "这些流程仅供对照，不能办理：其中的部门已经合并或撤销。",
    historical_badge: "历史流程，不可办理",
    departments_count: "个部门",
    steps_count: "个步骤",
    committed_days_label: "承诺办结",
    working_days: "个工作日",
    who_heading: "谁可以办",
    needs_heading: "您需要准备",
    lead_department: "牵头部门",
    flow_heading: "办理流程",
    stage_prefix: "第",
    stage_suffix: "阶段",
    parallel_note: "本阶段的事项同时办理（并联审批）",
    step_word: "步骤",
    department_word: "办理部门",
    needs_word: "需要提交",
    from_earlier_word: "由前面步骤产生，无需再交",
    produces_word: "办结后取得",
    fee_word: "收费",
    committed_word: "承诺时限",
    statutory_word: "法定时限",
    conditional_note: "视您的情形办理",
    one_of_note: "根据您的情形办理以下之一：",
    after_word: "需在这些步骤之后：",
    critical_heading: "需要多久",
    critical_prefix: "按承诺时限，最短",
    earliest_prefix: "如果今天开始，最早预计于",
    earliest_suffix: "办结（已扣除周末和法定节假日）。",
    open_limits_note: "部分事项的时限由本市规定或无需审批，未计入。",
    questions_note_prefix: "开始办理时，我们会先问您",
    questions_note_suffix: "个情形问题，以确定您需要办理哪些事项。",
    free: "免费",
    yuan: "元",
    on_the_spot: "即办",
    calendar_days: "个自然日",
    limit_none: "无需审批（备案）",
    limit_local: "由本市规定",
    extension_prefix: "，经批准可延长",
    varies_note: "各地不同",
    source_word: "依据",
    guide_title: "办事指南",
    kind_word: "事项类型",
    kind_licensing: "行政许可",
    kind_public_service: "公共服务",
    kind_filing: "备案",
    kind_confirmation: "行政确认",
    kind_other: "其他",
    online_word: "网上办理程度",
    online_info: "仅提供办事指南",
    online_download: "可下载表格",
    online_apply: "网上申请，窗口领取",
    online_full: "全程网办",
    conditions_heading: "申请条件",
    materials_heading: "申请材料",
    original: "原件",
    copy: "复印件",
    original_and_copy: "原件和复印件",
    electronic: "电子材料",
    copies_suffix: "份",
    optional_word: "非必需",
    shortfall_word: "可容缺受理（可先承诺后补交）",
    produced_by_word: "由此事项产生：",
    legal_heading: "办理依据",
    limits_heading: "办理时限",
    where_heading: "办理地点",
    forms_heading: "表格下载",
    in_themes_heading: "包含本事项的主题服务",
    print_hint: "本页可直接打印为一页 A4 办事指南。",
    dept_items_heading: "本部门办理的事项",
    dept_themes_heading: "本部门参与的主题服务",
    formerly_word: "曾用名",
    phone_word: "咨询电话",
    no_entries: "暂无。",
    entry_not_found_title: "找不到这个事项或主题",
    entry_not_found_body: "您要找的事项、主题或部门不存在，可能已调整。试试搜索：",
    audience_title_suffix: "的办事服务",
};

pub static EN: Strings = Strings {
    site_name: "Demo City Online Service Hall",
    skip_to_content: "Skip to main content",
    main_nav: "Main navigation",
    nav_home: "Home",
    nav_themes: "Guided services",
    home_title: "One portal, done in one go",
    home_lead: "Opening a shop, registering a new-born, getting married… Tell us what you want to get done and we list the departments, the order and the documents; you fill one form once and submit once.",
    search_label: "Search services and guided themes",
    search_hint: "For example: restaurant, business licence, birth, tax",
    search_button: "Search",
    themes_heading: "Guided services",
    themes_lead: "Apply for what you want to get done; several departments handle it in parallel behind one counter.",
    how_heading: "How it works",
    how_steps: [
        "Answer a few questions to find out which services apply to you",
        "See your personal roadmap",
        "Fill in one merged form and one list of documents",
        "Follow every department's progress after you submit",
    ],
    large_text: "Large text",
    large_text_on: "Large text (on)",
    settings: "Display settings",
    switch_language: "中文",
    not_found_title: "Page not found",
    not_found_body: "The address you visited does not exist; it may have moved or been mistyped. Go back to the home page, or search for what you need.",
    go_home: "Back to the home page",
    footer_note: "Demo City People's Government · demonstration system with sample data",
    hotline: "Government service hotline 12345",
    chinese_only: "(Chinese only)",
    loading: "Loading…",
    load_error: "This could not be loaded. Please try again later.",
    search_title: "Search",
    search_results_for: "Results for: ",
    search_empty: "Type what you want to do, for example “restaurant”, “birth” or “business licence”.",
    search_none: "Nothing matched. Try other words, or look at the guided services below.",
    suggestions_heading: "You may be looking for",
    themes_found: "Guided services",
    items_found: "Service items",
    browse_heading: "Browse",
    by_audience: "By who you are",
    by_personal_stage: "For individuals, by life event",
    by_enterprise_stage: "For businesses, by stage",
    historical_heading: "Before the reform: how it used to work",
    historical_lead: "These flows are for comparison only and cannot be started: their departments have since merged or closed.",
    historical_badge: "Historical flow, cannot be started",
    departments_count: "departments",
    steps_count: "steps",
    committed_days_label: "Committed",
    working_days: "working days",
    who_heading: "Who can use it",
    needs_heading: "What you will need",
    lead_department: "Lead department",
    flow_heading: "The steps",
    stage_prefix: "Stage ",
    stage_suffix: "",
    parallel_note: "The steps of this stage run at the same time (parallel approval)",
    step_word: "Step",
    department_word: "Department",
    needs_word: "You provide",
    from_earlier_word: "Produced by an earlier step, not asked again",
    produces_word: "Result",
    fee_word: "Fee",
    committed_word: "Committed time",
    statutory_word: "Statutory time",
    conditional_note: "Only in some situations",
    one_of_note: "One of these, depending on your situation:",
    after_word: "After steps:",
    critical_heading: "How long it takes",
    critical_prefix: "With the committed times, at least",
    earliest_prefix: "If you start today, the earliest completion is",
    earliest_suffix: "(weekends and public holidays excluded).",
    open_limits_note: "Some steps have locally set or no time limits and are not counted.",
    questions_note_prefix: "When you start, we first ask you",
    questions_note_suffix: "questions about your situation to decide which steps apply to you.",
    free: "Free of charge",
    yuan: "yuan",
    on_the_spot: "On the spot",
    calendar_days: "calendar days",
    limit_none: "No decision needed (filing)",
    limit_local: "Set locally",
    extension_prefix: "; can be extended by",
    varies_note: "varies by city",
    source_word: "Source",
    guide_title: "Service guide",
    kind_word: "Type",
    kind_licensing: "Administrative licence",
    kind_public_service: "Public service",
    kind_filing: "Filing",
    kind_confirmation: "Administrative confirmation",
    kind_other: "Other",
    online_word: "Online service",
    online_info: "Guide only",
    online_download: "Forms to download",
    online_apply: "Apply online, collect at the window",
    online_full: "Fully online",
    conditions_heading: "Conditions",
    materials_heading: "Documents",
    original: "original",
    copy: "copy",
    original_and_copy: "original and copy",
    electronic: "electronic",
    copies_suffix: "copies",
    optional_word: "optional",
    shortfall_word: "may be supplied later under a signed promise (容缺)",
    produced_by_word: "Produced by:",
    legal_heading: "Legal basis",
    limits_heading: "Time limits",
    where_heading: "Where to go",
    forms_heading: "Forms",
    in_themes_heading: "Guided services that include this item",
    print_hint: "This page prints as a one-page A4 guide.",
    dept_items_heading: "Services of this department",
    dept_themes_heading: "Guided services this department takes part in",
    formerly_word: "Formerly",
    phone_word: "Phone",
    no_entries: "None yet.",
    entry_not_found_title: "Not found",
    entry_not_found_body: "The service, theme or department you asked for does not exist or has changed. Try a search:",
    audience_title_suffix: "— services",
};

/// The strings of a language.
pub fn t(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality_known_language() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR, zh;q=0.5, en;q=0.4"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language("de-DE"), Lang::Zh);
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
        assert_eq!(Lang::from_accept_language("en;q=garbage"), Lang::En);
    }

    #[test]
    fn codes_round_trip() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("xx"), None);
    }
}
