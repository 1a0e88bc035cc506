//! Connection slots: at most [`Config::max_connections`](crate::Config::max_connections)
//! connections are served at once, and a full server makes room by shedding the connections
//! that are not doing useful work.
//!
//! Each connection records what it is doing ([`Activity`]): idle between requests, receiving a
//! request, acting, or sending an answer, and since when. While every slot is taken and a new
//! connection waits, the server closes one connection to make room, picked among
//! - keep-alive connections idle between requests for a tenth of the pressure timeout (100 ms
//!   by default: a client about to send its next request keeps its connection), the longest
//!   idle first;
//! - then connections that have been receiving one request (a slow head or body, or nothing at
//!   all since they connected) or sending one answer (a client that does not read) for longer
//!   than the pressure timeout (1 s by default), the longest first.
//!
//! A connection the simulator is acting for is never shed. Without pressure nothing is shed, and
//! the per-phase timeouts (head, body, write) are the only bounds.

use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// What a connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Between requests (or before the first one): nothing of a request has arrived.
    Idle = 0,
    /// A request's head or body is arriving.
    Receiving = 1,
    /// The simulator is answering.
    Acting = 2,
    /// An answer is being written.
    Sending = 3,
}

impl Phase {
    fn from_u8(v: u8) -> Phase {
        match v {
            1 => Phase::Receiving,
            2 => Phase::Acting,
            3 => Phase::Sending,
            _ => Phase::Idle,
        }
    }
}

/// What one connection is doing and since when, written by its I/O and its service, read by
/// the slots when the server is full.
#[derive(Debug)]
pub struct Activity {
    epoch: Instant,
    phase: AtomicU8,
    /// Milliseconds from `epoch` to the start of the current phase.
    since: AtomicU64,
    requests: AtomicU32,
}

impl Activity {
    /// A connection just accepted: receiving, as its first request is due.
    pub fn new(epoch: Instant) -> Activity {
        let activity = Activity {
            epoch,
            phase: AtomicU8::new(Phase::Receiving as u8),
            since: AtomicU64::new(0),
            requests: AtomicU32::new(0),
        };
        activity.since.store(activity.now(), Ordering::Relaxed);
        activity
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn enter(&self, phase: Phase) {
        self.since.store(self.now(), Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// The current phase and how long it has lasted.
    pub fn phase(&self) -> (Phase, Duration) {
        let phase = Phase::from_u8(self.phase.load(Ordering::Acquire));
        let since = self.since.load(Ordering::Relaxed);
        (phase, Duration::from_millis(self.now().saturating_sub(since)))
    }

    /// Bytes of a request arrived: an idle connection starts receiving.
    pub fn bytes_read(&self) {
        if self.phase.load(Ordering::Relaxed) == Phase::Idle as u8 {
            self.enter(Phase::Receiving);
        }
    }

    /// A request's head was parsed (it may have arrived with an earlier one, so the connection
    /// may still look idle); returns how many requests this connection has made, this one
    /// included.
    pub fn request_started(&self) -> u32 {
        self.bytes_read();
        self.requests.fetch_add(1, Ordering::Relaxed).saturating_add(1)
    }

    /// The request is whole; the simulator acts.
    pub fn acting(&self) {
        self.enter(Phase::Acting);
    }

    /// The first bytes of an answer were handed to the socket.
    pub fn sending(&self) {
        if self.phase.load(Ordering::Relaxed) != Phase::Sending as u8 {
            self.enter(Phase::Sending);
        }
    }

    /// The whole answer was handed to the socket.
    pub fn sent(&self) {
        self.enter(Phase::Idle);
    }
}

/// One connection as the slots see it.
#[derive(Debug)]
pub struct Tracked {
    /// What it is doing.
    pub activity: Activity,
    /// Woken when the connection is to be closed to make room.
    pub shed: Notify,
    shed_requested: AtomicBool,
}

impl Tracked {
    /// A connection just accepted, its times counted from `epoch`.
    pub fn new(epoch: Instant) -> Tracked {
        Tracked {
            activity: Activity::new(epoch),
            shed: Notify::new(),
            shed_requested: AtomicBool::new(false),
        }
    }
}

/// The server's connection slots.
#[derive(Debug)]
pub struct Slots {
    semaphore: Arc<Semaphore>,
    live: Mutex<HashMap<u64, Arc<Tracked>>>,
    next_id: AtomicU64,
    epoch: Instant,
    pressure_timeout: Duration,
    shed_count: AtomicU64,
}

/// A slot held by one connection; dropping it frees the slot.
#[derive(Debug)]
pub struct Ticket {
    slots: Arc<Slots>,
    id: u64,
    tracked: Arc<Tracked>,
    permit: Option<OwnedSemaphorePermit>,
}

impl Ticket {
    /// The connection's record.
    pub fn tracked(&self) -> &Arc<Tracked> {
        &self.tracked
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        // The slot goes to whoever waits before this connection leaves the list, so a shed
        // connection is never seen gone while its slot is still taken (which would shed another).
        drop(self.permit.take());
        self.slots.live.lock().remove(&self.id);
    }
}

impl Slots {
    /// `max` slots; under pressure, connections stuck in one phase longer than
    /// `pressure_timeout` are shed.
    pub fn new(max: usize, pressure_timeout: Duration) -> Slots {
        Slots {
            semaphore: Arc::new(Semaphore::new(max)),
            live: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            epoch: Instant::now(),
            pressure_timeout,
            shed_count: AtomicU64::new(0),
        }
    }

    /// Waits for a free slot for a connection that has been accepted. While none is free, sheds
    /// the connections that may be shed (see the module docs), checking again as their time
    /// comes.
    pub async fn admit(self: &Arc<Self>) -> Ticket {
        let permit = match self.semaphore.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => loop {
                let next_check = self.shed_stale();
                tokio::select! {
                    permit = self.semaphore.clone().acquire_owned() => match permit {
                        Ok(permit) => break permit,
                        // The semaphore is never closed; wait as if it were full.
                        Err(_) => std::future::pending::<()>().await,
                    },
                    () = tokio::time::sleep(next_check) => {}
                }
            },
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracked = Arc::new(Tracked::new(self.epoch));
        self.live.lock().insert(id, tracked.clone());
        Ticket { slots: self.clone(), id, tracked, permit: Some(permit) }
    }

    /// Tells one connection to close if one may be shed now (idle ones first, then the one
    /// stuck longest), and returns how long until one might be (bounded, so a connection that
    /// changes phase is seen soon).
    fn shed_stale(&self) -> Duration {
        const SOON: Duration = Duration::from_millis(5);
        let live = self.live.lock();
        // One connection makes room for the one waiting: none more while it closes.
        if live.values().any(|t| t.shed_requested.load(Ordering::Relaxed)) {
            return SOON;
        }
        let idle_grace = self.pressure_timeout / 10;
        let mut next = self.pressure_timeout;
        let mut pick: Option<(bool, Duration, &Arc<Tracked>)> = None;
        for tracked in live.values() {
            let (phase, lasted) = tracked.activity.phase();
            let (bound, idle) = match phase {
                Phase::Idle => (idle_grace, true),
                Phase::Receiving | Phase::Sending => (self.pressure_timeout, false),
                Phase::Acting => continue,
            };
            if lasted < bound {
                next = next.min(bound - lasted);
                continue;
            }
            let better = match pick {
                None => true,
                Some((picked_idle, picked_lasted, _)) => (idle, lasted) > (picked_idle, picked_lasted),
            };
            if better {
                pick = Some((idle, lasted, tracked));
            }
        }
        if let Some((_, _, tracked)) = pick {
            tracked.shed_requested.store(true, Ordering::Relaxed);
            // `notify_one` keeps the wake-up if the connection is not waiting yet.
            tracked.shed.notify_one();
            self.shed_count.fetch_add(1, Ordering::Relaxed);
            return SOON;
        }
        next.clamp(SOON, Duration::from_millis(100))
    }

    /// Connections being served now.
    pub fn open(&self) -> usize {
        self.live.lock().len()
    }

    /// Connections admitted so far (each accepted connection is admitted once).
    pub fn admitted_total(&self) -> u64 {
        self.next_id.load(Ordering::Relaxed)
    }

    /// Connections closed so far to make room.
    pub fn shed_total(&self) -> u64 {
        self.shed_count.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_a_request() {
        let a = Activity::new(Instant::now());
        assert_eq!(a.phase().0, Phase::Receiving);
        assert_eq!(a.request_started(), 1);
        a.acting();
        assert_eq!(a.phase().0, Phase::Acting);
        a.sending();
        assert_eq!(a.phase().0, Phase::Sending);
        a.sent();
        assert_eq!(a.phase().0, Phase::Idle);
        a.bytes_read();
        assert_eq!(a.phase().0, Phase::Receiving);
        a.sent();
        // A pipelined request parsed without a new read still counts and leaves idle.
        assert_eq!(a.request_started(), 2);
        assert_eq!(a.phase().0, Phase::Receiving);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_full_server_sheds_idle_and_stuck_connections_but_not_busy_ones() {
        let slots = Arc::new(Slots::new(3, Duration::from_millis(200)));
        let idle = slots.admit().await;
        idle.tracked().activity.sent();
        let receiving = slots.admit().await;
        let acting = slots.admit().await;
        acting.tracked().activity.acting();
        assert_eq!(slots.open(), 3);

        // Full: a fourth waits; the idle one is told to close first.
        let waiting = {
            let slots = slots.clone();
            tokio::spawn(async move { slots.admit().await })
        };
        idle.tracked().shed.notified().await;
        assert_eq!(slots.shed_total(), 1);
        drop(idle);
        let fourth = waiting.await.unwrap();
        fourth.tracked().activity.acting();
        assert_eq!(slots.open(), 3);

        // Full again: the one still receiving its first request is shed once its time is up;
        // the acting ones never are.
        let waiting = {
            let slots = slots.clone();
            tokio::spawn(async move { slots.admit().await })
        };
        receiving.tracked().shed.notified().await;
        drop(receiving);
        let fifth = waiting.await.unwrap();
        assert_eq!(slots.shed_total(), 2);
        assert!(!acting.tracked().shed_requested.load(Ordering::Relaxed));
        drop((fourth, fifth));
        assert_eq!(slots.open(), 1);
    }
}
