//! Translated catalog text ([`Text`]) and the language it is read in ([`Lang`]).
//!
//! Catalog content carries its own translations; Chinese is always present and is the fallback when an English
//! text is missing, so the UI can show a visible "shown in Chinese" note instead of a blank.

use serde::{Deserialize, Serialize};

/// A language the catalog is written in. Chinese first; English for foreigners (外国人).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A translated string: `{ zh = "…", en = "…" }`. `zh` is always required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// A text in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: Some(en.into()),
        }
    }

    /// A text in Chinese only.
    pub fn zh(zh: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: None,
        }
    }

    /// The text in `lang`, and whether it fell back to Chinese because the translation is missing.
    pub fn get(&self, lang: Lang) -> (&str, bool) {
        match lang {
            Lang::Zh => (&self.zh, false),
            Lang::En => match self.english() {
                Some(en) => (en, false),
                None => (&self.zh, true),
            },
        }
    }

    /// The English text, if present and not blank (a blank `en = ""` counts as missing).
    pub fn english(&self) -> Option<&str> {
        self.en.as_deref().filter(|en| !en.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_never_falls_back() {
        let t = Text::new("居民", "Residents");
        assert_eq!(t.get(Lang::Zh), ("居民", false));
    }

    #[test]
    fn english_when_present() {
        let t = Text::new("居民", "Residents");
        assert_eq!(t.get(Lang::En), ("Residents", false));
    }

    #[test]
    fn missing_or_blank_english_falls_back_to_chinese() {
        assert_eq!(Text::zh("办事指南").get(Lang::En), ("办事指南", true));
        let blank = Text {
            zh: "办事指南".into(),
            en: Some("  ".into()),
        };
        assert_eq!(blank.get(Lang::En), ("办事指南", true));
    }
}
