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
