//! Random identifiers from the operating system's generator: draft ids, lookup codes, signing keys.

use argon2::password_hash::rand_core::{OsRng, RngCore};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An unguessable id for a URL: 128 random bits as 32 hex digits.
pub fn url_token() -> String {
    hex(&random_bytes::<16>())
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed from paper
/// (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
const READABLE: &[u8] = b"34679ACDEFGHJKMNPQRTUVWXY";

/// A code to type from a printed receipt, e.g. the 查询码: `len` characters, about 4.6 bits each.
pub fn readable_code(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<32>() {
            // Rejection sampling keeps every character equally likely.
            let limit = 256 - 256 % READABLE.len();
            if (b as usize) < limit && out.len() < len {
                out.push(READABLE[b as usize % READABLE.len()] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_hex_and_differ() {
        let a = url_token();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, url_token());
    }

    #[test]
    fn readable_codes_use_only_readable_characters() {
        let code = readable_code(8);
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| READABLE.contains(&b)));
        assert_ne!(readable_code(8), readable_code(8));
    }
}
