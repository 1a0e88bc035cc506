//! When to retry and how long to wait first: the official SDKs' policy (`STRIPE_API_FACTS.md`
//! section 7), plus `Retry-After`, which they ignore but a server may send.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first retry waits about this long (the SDKs' `INITIAL_NETWORK_RETRY_DELAY_SEC`); it is
/// also the shortest wait of any retry.
pub const INITIAL_NETWORK_RETRY_DELAY: Duration = Duration::from_millis(500);

/// No backoff grows past this (the SDKs' `MAX_NETWORK_RETRY_DELAY_SEC`).
pub const MAX_NETWORK_RETRY_DELAY: Duration = Duration::from_secs(5);

/// The longest wait a `Retry-After` header can impose (default of
/// [`HttpConfig::max_retry_after`](super::HttpConfig::max_retry_after)). A longer ask is cut to
/// this, so a misbehaving server cannot park a caller for hours; the caller still gets the
/// retries it asked for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether an answer with this status and `Stripe-Should-Retry` header deserves another attempt
/// (if any are left). A success never does. Otherwise the header decides when present, either
/// way; without it, 409 (a conflict, e.g. a concurrent use of an idempotency key) and every
/// 5xx are retried, and nothing else, 429 included.
pub fn should_retry_status(status: u16, stripe_should_retry: Option<&str>) -> bool {
    // The SDKs consult the header even on a 2xx; a success is final here, since repeating a
    // call that worked could only do harm.
    if (200..300).contains(&status) {
        return false;
    }
    match stripe_should_retry.map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        _ => status == 409 || status >= 500,
    }
}

/// The SDKs' backoff before retry number `retry` (1 for the first retry):
/// `min(0.5 s × 2^(retry-1), 5 s)`, times a jitter factor `0.5 × (1 + jitter)` with `jitter`
/// drawn from `[0, 1)`, and never less than 0.5 s.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use stripe_identity::http::retry::backoff;
///
/// assert_eq!(backoff(1, 0.0), Duration::from_millis(500)); // the floor
/// assert_eq!(backoff(2, 0.0), Duration::from_millis(500));
/// assert_eq!(backoff(3, 0.5), Duration::from_millis(1500));
/// assert_eq!(backoff(10, 0.0), Duration::from_millis(2500)); // 5 s, halved by the jitter
/// ```
pub fn backoff(retry: u32, jitter: f64) -> Duration {
    let exponent = retry.saturating_sub(1).min(16) as i32;
    let base = (INITIAL_NETWORK_RETRY_DELAY.as_secs_f64() * 2f64.powi(exponent))
        .min(MAX_NETWORK_RETRY_DELAY.as_secs_f64());
    let jitter = jitter.clamp(0.0, 1.0);
    let seconds = (base * 0.5 * (1.0 + jitter)).max(INITIAL_NETWORK_RETRY_DELAY.as_secs_f64());
    // Whole microseconds, so the value a test sees is exactly the one slept.
    Duration::from_micros((seconds * 1e6).round() as u64)
}

/// The wait before retry number `retry`: the backoff, or what `Retry-After` asks when that is
/// longer, the latter capped at `max_retry_after`.
pub fn delay(retry: u32, jitter: f64, retry_after: Option<Duration>, max_retry_after: Duration) -> Duration {
    let backoff = backoff(retry, jitter);
    match retry_after {
        Some(asked) => backoff.max(asked.min(max_retry_after)),
        None => backoff,
    }
}

/// Reads a `Retry-After` value: delay-seconds (`"3"`, also `"1.5"`) or an HTTP date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, the IMF-fixdate form every HTTP/1.1 sender must use).
/// A date in the past is no wait; anything unreadable is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let seconds: f64 = value.parse().ok()?;
        return seconds.is_finite().then(|| Duration::from_secs_f64(seconds.min(1e9)));
    }
    let at = parse_imf_fixdate(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` → unix seconds.
fn parse_imf_fixdate(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let [_weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: u64 = day.parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| m == month)? as u64
        + 1;
    let year: u64 = year.parse().ok()?;
    let hms: Vec<u64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || year < 1970 || *h > 23 || *m > 59 || *sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), for
/// years from 1970 on.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_policy_follows_the_sdks() {
        for s in [409, 500, 502, 503, 504] {
            assert!(should_retry_status(s, None), "{s}");
        }
        for s in [200, 400, 401, 402, 403, 404, 429] {
            assert!(!should_retry_status(s, None), "{s}");
        }
        assert!(should_retry_status(429, Some("true")));
        assert!(should_retry_status(400, Some("TRUE")));
        assert!(!should_retry_status(500, Some("false")));
        assert!(should_retry_status(500, Some("maybe")));
        assert!(!should_retry_status(200, Some("true")));
    }

    #[test]
    fn backoff_doubles_to_five_seconds_with_jitter_and_a_floor() {
        let ms = |d: Duration| d.as_millis();
        assert_eq!(ms(backoff(1, 0.0)), 500);
        assert_eq!(ms(backoff(1, 0.999)), 500);
        assert_eq!(ms(backoff(2, 0.0)), 500);
        assert_eq!(ms(backoff(2, 0.5)), 750);
        assert_eq!(ms(backoff(3, 0.0)), 1000);
        assert_eq!(ms(backoff(4, 0.0)), 2000);
        assert_eq!(ms(backoff(5, 0.0)), 2500);
        assert_eq!(ms(backoff(5, 0.99)), 4975);
        assert_eq!(ms(backoff(u32::MAX, 0.0)), 2500);
    }

    #[test]
    fn retry_after_raises_the_wait_up_to_the_cap() {
        let cap = Duration::from_secs(60);
        assert_eq!(delay(1, 0.0, Some(Duration::from_secs(3)), cap), Duration::from_secs(3));
        assert_eq!(delay(1, 0.0, Some(Duration::from_millis(100)), cap), Duration::from_millis(500));
        assert_eq!(delay(1, 0.0, Some(Duration::from_secs(3600)), cap), cap);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 2015-10-21 07:27:50 UTC
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
