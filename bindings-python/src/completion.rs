//! Async calls completed natively: the request runs on one of this module's worker threads,
//! which never take the GIL, and its outcome (a successful answer's body undecoded) is queued for
//! the event loop's thread, which decodes it into Python objects and resolves the awaiting
//! future (`stripe_identity/_aio.py`). Decoding on the loop straight from the bytes costs less
//! CPU per call than parsing to a JSON tree on the worker and converting that on the loop.
//!
//! A [`Completions`] belongs to one event loop. The loop watches the read end of a pipe
//! (`loop.add_reader`); a worker that queues an outcome into an empty queue writes one byte to
//! the write end, so a burst of answers costs the loop one wake-up. Tokens that Python marks
//! cancelled before a worker takes their call up are dropped unsent; a call already started
//! runs to its end (its outcome is then dropped by Python), and is never sent again.

use crate::answer::{answer_to_object, keep_response};
use crate::client::PyClient;
use crate::convert::params_to_json;
use crate::errors::to_pyerr;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use stripe_identity::backend::Response;
use stripe_identity::client::Operation;
use stripe_identity::http::process_generation;
use stripe_identity::{Error, RequestOptions};

/// Worker threads at most, process-wide: calls in flight at once beyond it wait their turn.
const MAX_WORKERS: usize = 64;

type Job = Box<dyn FnOnce() + Send>;

/// The worker threads, started as calls need them.
struct Pool {
    jobs: Mutex<Sender<Job>>,
    queue: Arc<Mutex<Receiver<Job>>>,
    idle: Arc<AtomicUsize>,
    total: AtomicUsize,
    /// The process generation that started the threads (core's fork counter, an atomic load,
    /// not a `getpid` system call per call): a forked child has none of them, so it makes its own.
    generation: u64,
}

impl Pool {
    fn new() -> Pool {
        let (jobs, queue) = channel();
        Pool {
            jobs: Mutex::new(jobs),
            queue: Arc::new(Mutex::new(queue)),
            idle: Arc::new(AtomicUsize::new(0)),
            total: AtomicUsize::new(0),
            generation: process_generation(),
        }
    }

    fn submit(&self, job: Job) {
        if self.idle.load(Ordering::Acquire) == 0 && self.total.load(Ordering::Acquire) < MAX_WORKERS {
            self.total.fetch_add(1, Ordering::AcqRel);
            let (queue, idle) = (self.queue.clone(), self.idle.clone());
            let spawned = std::thread::Builder::new().name("stripe_identity".into()).spawn(move || loop {
                idle.fetch_add(1, Ordering::AcqRel);
                let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                idle.fetch_sub(1, Ordering::AcqRel);
                match next {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
            if spawned.is_err() {
                // No thread to be had: the jobs go to the workers already running (there is at
                // least one unless none could ever start, which the next submit retries).
                self.total.fetch_sub(1, Ordering::AcqRel);
            }
        }
        // The receiver lives as long as the pool, so the send cannot fail.
        let _ = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).send(job);
    }
}

static POOL: OnceLock<Mutex<Arc<Pool>>> = OnceLock::new();

fn pool() -> Arc<Pool> {
    let slot = POOL.get_or_init(|| Mutex::new(Arc::new(Pool::new())));
    let mut pool = slot.lock().unwrap_or_else(|p| p.into_inner());
    if pool.generation != process_generation() {
        *pool = Arc::new(Pool::new());
    }
    pool.clone()
}

/// What a worker hands back.
enum Outcome {
    Answer(Result<Response, Error>),
}

#[derive(Default)]
struct Shared {
    done: Vec<(u64, Outcome)>,
    cancelled: HashSet<u64>,
}

/// The outcomes of one event loop's async calls, and the pipe that wakes the loop.
#[pyclass(name = "Completions", module = "stripe_identity._native", frozen)]
pub struct PyCompletions {
    shared: Arc<Mutex<Shared>>,
    wake: Arc<File>,
    next: AtomicUsize,
}

#[pymethods]
impl PyCompletions {
    /// `wake_fd`: the write end of a non-blocking pipe whose read end the loop watches. It is
    /// duplicated here, so Python may close its own copy whenever it likes.
    #[new]
    fn new(wake_fd: RawFd) -> PyResult<Self> {
        if wake_fd < 0 {
            return Err(PyValueError::new_err("wake_fd must be an open file descriptor"));
        }
        // SAFETY: the caller passes an fd it keeps open for this call; it is duplicated at once.
        let fd = unsafe { BorrowedFd::borrow_raw(wake_fd) }.try_clone_to_owned()?;
        Ok(PyCompletions {
            shared: Arc::default(),
            wake: Arc::new(File::from(fd)),
            next: AtomicUsize::new(0),
        })
    }

    /// Starts an operation on a worker and returns its token; the outcome comes out of
    /// [`drain`](Self::drain). Parameters are converted here, so a bad one raises at once.
    #[pyo3(signature = (client, operation, id, params, idempotency_key=None, stripe_account=None, stripe_version=None))]
    #[allow(clippy::too_many_arguments)]
    fn submit(
        &self,
        client: &Bound<'_, PyClient>,
        operation: &str,
        id: Option<String>,
        params: Option<&Bound<'_, PyDict>>,
        idempotency_key: Option<String>,
        stripe_account: Option<String>,
        stripe_version: Option<String>,
    ) -> PyResult<u64> {
        let op = Operation::parse(operation)
            .ok_or_else(|| PyValueError::new_err(format!("unknown operation {operation:?}")))?;
        let params = params_to_json(params)?;
        let opts = RequestOptions { idempotency_key, stripe_account, stripe_version };
        let core = client.get().core().clone();
        let token = self.next.fetch_add(1, Ordering::Relaxed) as u64;
        let (shared, wake) = (self.shared.clone(), self.wake.clone());
        pool().submit(Box::new(move || {
            if shared.lock().unwrap_or_else(|p| p.into_inner()).cancelled.remove(&token) {
                return; // cancelled before it started: never sent
            }
            let outcome = Outcome::Answer(core.call_json_response(op, id.as_deref(), params, &opts));
            let first = {
                let mut shared = shared.lock().unwrap_or_else(|p| p.into_inner());
                shared.done.push((token, outcome));
                shared.done.len() == 1
            };
            if first {
                // A full pipe already holds a wake-up; nothing else can go wrong that matters.
                let _ = (&*wake).write(&[1]);
            }
        }));
        Ok(token)
    }

    /// Marks a call whose await was cancelled: dropped if no worker has started it yet.
    fn cancel(&self, token: u64) {
        self.shared.lock().unwrap_or_else(|p| p.into_inner()).cancelled.insert(token);
    }

    /// Forgets a cancelled mark whose call has already completed (so the set stays small).
    fn forget(&self, token: u64) {
        self.shared.lock().unwrap_or_else(|p| p.into_inner()).cancelled.remove(&token);
    }

    /// The calls completed since the last drain: `[(token, ok, value)]`, `value` the
    /// `StripeObject` of the answer when `ok`, else the exception to raise.
    fn drain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let done = std::mem::take(&mut self.shared.lock().unwrap_or_else(|p| p.into_inner()).done);
        let out = PyList::empty(py);
        for (token, outcome) in done {
            let Outcome::Answer(answer) = outcome;
            match answer {
                Ok(response) => {
                    // A conversion that fails fails this call only, never the others drained.
                    let object = answer_to_object(py, &response).and_then(|object| {
                        keep_response(&object, response)?;
                        Ok(object)
                    });
                    match object {
                        Ok(object) => out.append((token, true, object))?,
                        Err(e) => out.append((token, false, e.into_value(py)))?,
                    }
                }
                Err(e) => out.append((token, false, to_pyerr(py, e).into_value(py)))?,
            }
        }
        Ok(out)
    }
}
