//! Host resolution for the HTTP agent.
//!
//! ureq resolves the host before every request, even when a pooled connection will carry it,
//! and with a timeout set its default resolver spawns a thread per lookup. At tens of thousands
//! of calls per second that thread is most of the cost of a call, so this resolver:
//!
//! - answers an IP literal (`127.0.0.1`, `[::1]`) at once, without a lookup;
//! - keeps a name's addresses for [`CACHE_TTL`] (5 s), so a busy client looks `api.stripe.com`
//!   up a few times a minute rather than on every call, while DNS changes still reach new
//!   connections within seconds;
//! - otherwise asks ureq's [`DefaultResolver`], which bounds the lookup by the connect timeout.

use parking_lot::Mutex;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up name's addresses are reused.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// A resolver that skips the lookup for IP literals and caches names briefly.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    inner: DefaultResolver,
    // One entry is enough: a backend talks to one base URL.
    cached: Mutex<Option<Cached>>,
}

#[derive(Debug)]
struct Cached {
    host_port: String,
    addrs: ResolvedSocketAddrs,
    at: Instant,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return self.inner.resolve(uri, config, timeout);
        };
        let Some(port) = authority.port_u16().or_else(|| default_port(scheme.as_str())) else {
            return self.inner.resolve(uri, config, timeout);
        };
        let host = authority.host();
        let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if let Ok(ip) = literal.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }

        let host_port = format!("{host}:{port}");
        if let Some(hit) = self.cached.lock().as_ref() {
            if hit.host_port == host_port && hit.at.elapsed() < CACHE_TTL {
                return Ok(hit.addrs.clone());
            }
        }
        let addrs = lookup(&self.inner, uri, config, timeout)?;
        *self.cached.lock() = Some(Cached { host_port, addrs: addrs.clone(), at: Instant::now() });
        Ok(addrs)
    }
}

/// A lookup blocks: a suspended call (see `suspend.rs`) has it made on another thread.
fn lookup(
    resolver: &DefaultResolver,
    uri: &Uri,
    config: &Config,
    timeout: NextTimeout,
) -> Result<ResolvedSocketAddrs, ureq::Error> {
    #[cfg(all(unix, feature = "suspend"))]
    if super::suspend::active() {
        let (uri, config) = (uri.clone(), config.clone());
        return super::suspend::offload(move || DefaultResolver::default().resolve(&uri, &config, timeout));
    }
    resolver.resolve(uri, config, timeout)
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time::Duration as UreqDuration;

    fn resolve(resolver: &CachingResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let timeout = NextTimeout {
            after: UreqDuration::NotHappening,
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        resolver.resolve(&uri, &Config::default(), timeout).unwrap().iter().copied().collect()
    }

    #[test]
    fn ip_literals_need_no_lookup() {
        let r = CachingResolver::default();
        assert_eq!(resolve(&r, "http://127.0.0.1:12111/v1/x"), vec!["127.0.0.1:12111".parse().unwrap()]);
        assert_eq!(resolve(&r, "https://[::1]/v1/x"), vec!["[::1]:443".parse().unwrap()]);
        assert_eq!(resolve(&r, "http://10.1.2.3/"), vec!["10.1.2.3:80".parse().unwrap()]);
        assert!(r.cached.lock().is_none(), "literals are not cached, they are parsed");
    }

    #[test]
    fn names_are_looked_up_then_cached() {
        let r = CachingResolver::default();
        let first = resolve(&r, "http://localhost:4242/");
        assert!(!first.is_empty());
        assert!(first.iter().all(|a| a.ip().is_loopback() && a.port() == 4242));
        let cached_at = r.cached.lock().as_ref().map(|c| c.at).unwrap();
        assert_eq!(resolve(&r, "http://localhost:4242/"), first);
        assert_eq!(r.cached.lock().as_ref().map(|c| c.at), Some(cached_at), "second call was a hit");
        // Another port is another entry.
        let other = resolve(&r, "http://localhost:4343/");
        assert!(other.iter().all(|a| a.port() == 4343));
    }

    #[test]
    fn unknown_hosts_are_errors() {
        let r = CachingResolver::default();
        let uri: Uri = "http://no-such-host.invalid/".parse().unwrap();
        let timeout = NextTimeout {
            after: UreqDuration::NotHappening,
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        assert!(r.resolve(&uri, &Config::default(), timeout).is_err());
        assert!(r.cached.lock().is_none(), "failures are not cached");
    }
}
