//! Object ids, secrets and URLs, shaped like the API's (prefix + 24 base62 characters).

use rand::RngCore;

/// The base62 alphabet, in the order of `rand`'s `Alphanumeric`.
const BASE62: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Appends `len` characters drawn uniformly from [`BASE62`] with the thread's CSPRNG (secrets
/// and hosted-page tokens are made here too). Each 64-bit draw gives ten 6-bit indexes, those
/// above 61 rejected: the distribution of `Alphanumeric`, which draws 32 bits per character.
fn push_base62(s: &mut String, len: usize) {
    let mut rng = rand::rng();
    let mut remaining = len;
    while remaining > 0 {
        let want = remaining.min(64);
        // Characters are gathered in a stack buffer and appended at once: pushing them one by
        // one cost a capacity check and a UTF-8 encoding each. A draw adds at most ten, so the
        // buffer has room for the last draw's overshoot, which is dropped (each character is
        // uniform on its own, so dropping some keeps the rest uniform).
        let mut buf = [0u8; 64 + 10];
        let mut n = 0;
        while n < want {
            let mut bits = rng.next_u64();
            for _ in 0..10 {
                let i = (bits & 63) as usize;
                bits >>= 6;
                if i < BASE62.len() {
                    buf[n] = BASE62[i];
                    n += 1;
                }
            }
        }
        s.push_str(std::str::from_utf8(&buf[..want]).expect("base62 is ASCII"));
        remaining -= want;
    }
}

/// `prefix_` followed by `len` random base62 characters.
pub fn random_id(prefix: &str, len: usize) -> String {
    let mut s = String::with_capacity(prefix.len() + 1 + len);
    s.push_str(prefix);
    s.push('_');
    push_base62(&mut s, len);
    s
}

/// A session id, `vs_...`.
pub fn session_id() -> String {
    random_id("vs", 24)
}

/// A report id, `vr_...`.
pub fn report_id() -> String {
    random_id("vr", 24)
}

/// An event id, `evt_...`.
pub fn event_id() -> String {
    random_id("evt", 24)
}

/// A request id, `req_` + 14 characters as in the API's samples.
pub fn request_id() -> String {
    random_id("req", 14)
}

/// A file id, `file_...`.
pub fn file_id() -> String {
    random_id("file", 24)
}

/// `<session id>_secret_<random>`: the format seen in public samples (UNCONFIRMED).
pub fn client_secret(session_id: &str) -> String {
    let mut s = String::with_capacity(session_id.len() + 32);
    s.push_str(session_id);
    s.push_str("_secret_");
    push_base62(&mut s, 24);
    s
}

/// `{base}/start/test_<session>_<random>`, where `<session>` is the session id without `vs_`:
/// with the default base, `https://verify.stripe.com/start/test_...` (test mode; Stripe's token
/// format is UNCONFIRMED). The token names its session, so a spent one is told from an unknown
/// one without keeping every token (see [`hosted`](super::hosted)).
pub fn hosted_url(base: &str, session_id: &str) -> String {
    let session = session_id.strip_prefix("vs_").unwrap_or(session_id);
    let mut s = String::with_capacity(base.len() + session.len() + 40);
    s.push_str(base);
    s.push_str("/start/test_");
    s.push_str(session);
    s.push('_');
    push_base62(&mut s, 24);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_api_shape() {
        let id = session_id();
        assert!(id.starts_with("vs_") && id.len() == 27);
        assert!(id[3..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(session_id(), session_id());
        assert_eq!(request_id().len(), 18);
        assert!(client_secret(&id).starts_with(&format!("{id}_secret_")));
        let url = hosted_url("https://verify.stripe.com", &id);
        assert!(url.starts_with(&format!("https://verify.stripe.com/start/test_{}_", &id[3..])), "{url}");
        assert_eq!(random_id("whsec", 32).len(), 38);
    }

    #[test]
    fn every_base62_character_is_drawn_and_nothing_else() {
        let mut seen = std::collections::BTreeSet::new();
        let mut s = String::new();
        push_base62(&mut s, 62 * 200);
        assert_eq!(s.len(), 62 * 200);
        seen.extend(s.bytes());
        assert_eq!(seen.into_iter().collect::<Vec<u8>>(), {
            let mut all = BASE62.to_vec();
            all.sort_unstable();
            all
        });
    }
}
