//! Signs state carried through the browser (hidden fields, links) so the server can trust it when it comes back:
//! HMAC-SHA256 with one key per database, created by the first instance that starts and shared by every other.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::db::{Db, DbError};
use super::tokens::{hex, random_bytes};

const KEY_NAME: &str = "signing_key";

#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    pub fn new(key: [u8; 32]) -> Signer {
        Signer { key }
    }

    /// The database's key: created once (the first instance to insert wins), then read by everyone.
    pub async fn load_or_create(db: &Db) -> Result<Signer, DbError> {
        let fresh = hex(&random_bytes::<32>());
        sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(KEY_NAME)
        .bind(&fresh)
        .execute(&db.pool)
        .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = $1")
            .bind(KEY_NAME)
            .fetch_one(&db.pool)
            .await?;
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = stored
                .get(i * 2..i * 2 + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    DbError::Connect(format!("app_meta {KEY_NAME} is not 64 hex digits"))
                })?;
        }
        Ok(Signer { key })
    }

    fn mac(&self, purpose: &str, message: &str) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        // The purpose keeps a signature made for one use from being accepted for another.
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message.as_bytes());
        mac
    }

    /// The signature of `message` for `purpose`, as hex.
    pub fn sign(&self, purpose: &str, message: &str) -> String {
        hex(&self.mac(purpose, message).finalize().into_bytes())
    }

    /// Whether `signature` is ours for this purpose and message (compared in constant time).
    pub fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        let Some(bytes) = unhex(signature) else {
            return false;
        };
        self.mac(purpose, message).verify_slice(&bytes).is_ok()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_same_purpose_message_and_key() {
        let signer = Signer::new([7; 32]);
        let sig = signer.sign("answers", "a.entity=company");
        assert!(signer.verify("answers", "a.entity=company", &sig));
        assert!(!signer.verify("answers", "a.entity=sole", &sig));
        assert!(!signer.verify("other", "a.entity=company", &sig));
        assert!(!Signer::new([8; 32]).verify("answers", "a.entity=company", &sig));
        assert!(!signer.verify("answers", "a.entity=company", "zz"));
        assert!(!signer.verify("answers", "a.entity=company", ""));
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        // Key "Jefe", data "what do ya want for nothing?" — checks we use HMAC-SHA256 itself (no purpose prefix).
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
