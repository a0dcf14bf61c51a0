//! How staff's and devices' secrets are made, kept and checked, the same at a center
//! (`queue-server/src/auth/`) and at the national service (`central/src/viewers.rs`):
//! passwords as argon2 hashes, tokens (device, session, viewer) as SHA-256 hashes, and the
//! random tokens and passwords handed out. No I/O: the callers keep the hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use sha2::{Digest, Sha256};

/// The hash a token is kept as: SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random token: 32 bytes, hex.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A password a person can type: 12 characters without look-alikes.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The hash a password is kept as: argon2 (PHC string) with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes make a salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes")
        .to_string()
}

/// Whether `password` is the one `hash` was made from; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The effort of one check for a name nobody has, so that the answer's timing does not
/// reveal which names exist.
pub fn check_nobody(password: &str) {
    let _ = Argon2::default().hash_password(
        password.as_bytes(),
        &SaltString::encode_b64(&[0; 16]).expect("16 bytes make a salt"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_and_nothing_else_does() {
        let password = new_password();
        let hash = hash_password(&password);
        assert!(verify_password(&password, &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password(&password, "not a hash"));
        // A fresh salt each time: the same password never gives the same hash.
        assert_ne!(hash_password(&password), hash);
    }

    #[test]
    fn tokens_are_random_and_kept_only_as_their_hash() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
        assert_ne!(hash_token(&a), a);
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_new_password_has_no_look_alike_characters() {
        for _ in 0..50 {
            let p = new_password();
            assert_eq!(p.chars().count(), 12);
            assert!(!p.contains(['0', 'O', '1', 'l', 'I', 'i', 'o']), "{p}");
        }
    }
}
