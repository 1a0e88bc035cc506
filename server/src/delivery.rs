//! Webhook delivery: identity-mock posts each event to every enabled endpoint whose
//! `enabled_events` match it, as the API does.
//!
//! - **Off the request path.** The simulator hands each committed event to [`Deliveries`]'s
//!   listener on the request's thread; the listener only counts the deliveries in and sends them
//!   to a channel, never waits. A tokio task per delivery does the posting.
//! - **Signed.** The body is the event's JSON; `Stripe-Signature` is
//!   [`stripe_identity::webhook::sign_header`] over it with the endpoint's secret and the time of
//!   the attempt; `Content-Type: application/json; charset=utf-8` and the API's webhook
//!   `User-Agent`.
//! - **At least once.** A non-2xx answer (redirects included, as the API does not follow them),
//!   a refused connection or a timeout is retried after [`WebhookConfig::retry`], doubling each
//!   time (capped at 64 times), up to [`WebhookConfig::max_attempts`] attempts in all. A success
//!   is reported to the simulator (`pending_webhooks` drops); a delivery given up is logged and
//!   left pending, as the API counts it.
//! - **Bounded.** At most [`WebhookConfig::queue`] deliveries are owed at once (waiting,
//!   in flight or between retries). When that many are owed, a new delivery is dropped, counted
//!   in [`DeliveryStats::dropped`] and logged to stderr; its event stays in the log with
//!   `pending_webhooks` above 0 and `delivery_success` false, so a client can find it in the
//!   events list. At most [`IN_FLIGHT`] attempts run at once, each bounded by
//!   [`WebhookConfig::timeout`]: a stopped or hung receiver never delays an API answer, and
//!   delays other endpoints' deliveries at most by that timeout.
//!
//! The posting uses ureq (the HTTP client core already uses) on tokio's blocking pool.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use stripe_identity::engine::{Simulator, WebhookTarget};
use stripe_identity::model::Event;
use tokio::sync::{mpsc, Semaphore};

/// The `User-Agent` the API sends webhooks with.
pub const USER_AGENT: &str = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

/// Attempts posting at once; the others wait their turn.
pub const IN_FLIGHT: usize = 32;

/// How deliveries are retried and bounded.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Wait before the first retry; each further retry waits twice as long as the one before
    /// (the API's schedule spans days; this compresses it).
    pub retry: Duration,
    /// Attempts per delivery, the first included (at least 1).
    pub max_attempts: u32,
    /// Time one attempt may take, connection included.
    pub timeout: Duration,
    /// Deliveries owed at once (waiting, in flight or between retries); more are dropped.
    pub queue: usize,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            retry: Duration::from_millis(500),
            max_attempts: 8,
            timeout: Duration::from_secs(5),
            queue: 10_000,
        }
    }
}

/// Counts since the start, for logs and tests.
#[derive(Debug, Default)]
pub struct DeliveryStats {
    /// Deliveries accepted into the queue.
    pub queued: AtomicU64,
    /// Attempts made (first tries and retries).
    pub attempts: AtomicU64,
    /// Attempts that failed and were retried.
    pub retries: AtomicU64,
    /// Deliveries acknowledged with a 2xx.
    pub delivered: AtomicU64,
    /// Deliveries given up after the last attempt.
    pub given_up: AtomicU64,
    /// Deliveries dropped because the queue was full.
    pub dropped: AtomicU64,
    /// Deliveries owed now.
    pub owed: AtomicUsize,
}

struct Job {
    event_id: String,
    payload: Arc<Vec<u8>>,
    target: WebhookTarget,
}

/// The delivery worker of one server.
#[derive(Debug, Clone)]
pub struct Deliveries {
    stats: Arc<DeliveryStats>,
}

impl Deliveries {
    /// Registers with `simulator` and starts the worker on `runtime`.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        simulator: Arc<Simulator>,
        config: WebhookConfig,
    ) -> Deliveries {
        let stats = Arc::new(DeliveryStats::default());
        let (tx, rx) = mpsc::unbounded_channel::<Job>();
        let listener_stats = stats.clone();
        let capacity = config.queue;
        simulator.deliver_webhooks(Arc::new(move |event: &Event, targets: &[WebhookTarget]| {
            // Serializing the model cannot fail: every map key is a string.
            let payload = Arc::new(serde_json::to_vec_pretty(event).unwrap_or_default());
            for target in targets {
                let owed = listener_stats.owed.fetch_add(1, Ordering::SeqCst);
                if owed >= capacity {
                    listener_stats.owed.fetch_sub(1, Ordering::SeqCst);
                    listener_stats.dropped.fetch_add(1, Ordering::Relaxed);
                    eprintln!(
                        "identity-mock: webhook queue full ({capacity} deliveries owed); {} to {} dropped \
                         (it stays pending in the events list)",
                        event.id, target.endpoint
                    );
                    continue;
                }
                listener_stats.queued.fetch_add(1, Ordering::Relaxed);
                let job =
                    Job { event_id: event.id.clone(), payload: payload.clone(), target: target.clone() };
                if tx.send(job).is_err() {
                    // The worker is gone: the server is stopping.
                    listener_stats.owed.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }));
        runtime.spawn(run(rx, simulator, config, stats.clone()));
        Deliveries { stats }
    }

    /// Counts since the start.
    pub fn stats(&self) -> &DeliveryStats {
        &self.stats
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Job>,
    simulator: Arc<Simulator>,
    config: WebhookConfig,
    stats: Arc<DeliveryStats>,
) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(config.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        // Deliveries go where the endpoint says, never through a proxy from the environment.
        .proxy(None)
        .build()
        .into();
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(job) = rx.recv().await {
        let (agent, slots, simulator, config, stats) =
            (agent.clone(), slots.clone(), simulator.clone(), config.clone(), stats.clone());
        tokio::spawn(async move {
            let delivered = deliver(&agent, &slots, &job, &config, &stats).await;
            simulator.webhook_delivery_done(&job.event_id, delivered);
            stats.owed.fetch_sub(1, Ordering::SeqCst);
            if delivered {
                stats.delivered.fetch_add(1, Ordering::Relaxed);
            } else {
                stats.given_up.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "identity-mock: gave up delivering {} to {} ({}) after {} attempts",
                    job.event_id,
                    job.target.endpoint,
                    job.target.url,
                    config.max_attempts.max(1)
                );
            }
        });
    }
}

/// Every attempt of one delivery, with the waits between them. Whether one succeeded.
async fn deliver(
    agent: &ureq::Agent,
    slots: &Semaphore,
    job: &Job,
    config: &WebhookConfig,
    stats: &DeliveryStats,
) -> bool {
    let attempts = config.max_attempts.max(1);
    for attempt in 1..=attempts {
        let ok = match slots.acquire().await {
            Ok(_permit) => {
                stats.attempts.fetch_add(1, Ordering::Relaxed);
                let (agent, payload, target) = (agent.clone(), job.payload.clone(), job.target.clone());
                tokio::task::spawn_blocking(move || post(&agent, &payload, &target)).await.unwrap_or(false)
            }
            Err(_) => return false,
        };
        if ok {
            return true;
        }
        if attempt < attempts {
            stats.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(backoff(config.retry, attempt)).await;
        }
    }
    false
}

/// The wait after failed attempt `attempt` (1-based): `retry`, doubled each time, at most 64×.
pub fn backoff(retry: Duration, attempt: u32) -> Duration {
    retry.saturating_mul(1 << (attempt.saturating_sub(1)).min(6))
}

/// One attempt: whether the receiver answered 2xx.
fn post(agent: &ureq::Agent, payload: &[u8], target: &WebhookTarget) -> bool {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let signature = stripe_identity::webhook::sign_header(payload, &target.secret, now);
    let answer = agent
        .post(&target.url)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", USER_AGENT)
        .header("Stripe-Signature", &signature)
        .send(payload);
    match answer {
        Ok(mut response) => {
            // Read (a bounded part of) the answer so the connection can be reused.
            let _ = response.body_mut().with_config().limit(64 * 1024).read_to_vec();
            response.status().is_success()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let r = Duration::from_millis(10);
        let waits: Vec<u128> = (1..=9).map(|a| backoff(r, a).as_millis()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 640, 640]);
    }
}
