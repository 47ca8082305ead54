//! The hidden idempotency key every state-changing form carries (see [`crate::domain::idempotency`]): a double
//! click or a form sent again after a dropped connection then acts once, and the retry is shown the first answer.

use leptos::prelude::*;

use crate::domain::idempotency::FIELD;

/// A fresh random key: 128 bits as 32 hex digits.
pub fn new_key() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::session::new_token()[..32].to_owned()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
            .is_some();
        if !filled {
            // No Web Crypto (very old browsers): the clock, which still differs between two submissions.
            let now = js_sys_now();
            bytes[..8].copy_from_slice(&now.to_le_bytes());
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn js_sys_now() -> u64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| (p.now() * 1000.0) as u64)
        .unwrap_or_default()
}

/// The hidden `idem` field of a state-changing form: each page view has its own key, so the same page's form sent
/// twice acts once. (The forms are server-only HTML; the one island that posts by `fetch`, the upload form, renews
/// its own key after a successful upload.)
#[component]
pub fn IdemKey() -> impl IntoView {
    view! { <input type="hidden" name=FIELD value=new_key()/> }
}
