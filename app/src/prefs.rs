//! Display preferences remembered in cookies: the language and the large-text mode (适老化).
//!
//! On the server they come from the request (cookies, then `Accept-Language`); in the browser they are read back
//! from the `<html>` element the server rendered, so hydration sees exactly what the server saw.

use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "hall_lang";
pub const LARGE_TEXT_COOKIE: &str = "hall_large_text";
/// The class on `<html>` that switches on large text and higher contrast.
pub const LARGE_TEXT_CLASS: &str = "large-text";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub large_text: bool,
}

impl Prefs {
    /// Reads the preferences from a `Cookie` and an `Accept-Language` header.
    pub fn from_headers(cookie: Option<&str>, accept_language: Option<&str>) -> Prefs {
        let mut lang = None;
        let mut large_text = false;
        for pair in cookie.unwrap_or("").split(';') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name.trim() {
                LANG_COOKIE => lang = Lang::from_code(value),
                LARGE_TEXT_COOKIE => large_text = value.trim() == "1",
                _ => {}
            }
        }
        Prefs {
            lang: lang.unwrap_or_else(|| Lang::from_accept_language(accept_language.unwrap_or(""))),
            large_text,
        }
    }
}

/// The preferences of the page being rendered.
pub fn current() -> Prefs {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let parts = use_context::<http::request::Parts>();
        let header = |name: http::header::HeaderName| {
            parts
                .as_ref()
                .and_then(|p| p.headers.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Prefs::from_headers(
            header(http::header::COOKIE).as_deref(),
            header(http::header::ACCEPT_LANGUAGE).as_deref(),
        )
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        match root {
            Some(root) => Prefs {
                lang: root
                    .get_attribute("lang")
                    .and_then(|l| Lang::from_code(&l))
                    .unwrap_or_default(),
                large_text: root.class_list().contains(LARGE_TEXT_CLASS),
            },
            None => Prefs::default(),
        }
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Prefs::default()
    }
}

/// A local path to go back to after changing a preference: only same-site paths, never another host.
pub fn safe_back_path(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if ok {
        back
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language() {
        let p = Prefs::from_headers(Some("a=b; hall_lang=en; hall_large_text=1"), Some("zh-CN"));
        assert_eq!(
            p,
            Prefs {
                lang: Lang::En,
                large_text: true
            }
        );
        let p = Prefs::from_headers(None, Some("en-GB,en;q=0.9"));
        assert_eq!(
            p,
            Prefs {
                lang: Lang::En,
                large_text: false
            }
        );
        let p = Prefs::from_headers(Some("hall_lang=xx"), None);
        assert_eq!(p.lang, Lang::Zh);
    }

    #[test]
    fn back_path_stays_on_site() {
        assert_eq!(safe_back_path("/themes/x?a=1"), "/themes/x?a=1");
        assert_eq!(safe_back_path("//evil.example"), "/");
        assert_eq!(safe_back_path("https://evil.example"), "/");
        assert_eq!(safe_back_path("/\\evil"), "/");
        assert_eq!(safe_back_path(""), "/");
    }
}
