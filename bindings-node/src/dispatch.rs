//! Runs calls off the JavaScript thread and settles their Promises: a small pool of this
//! addon's own threads, shared by the whole process, and one threadsafe function per
//! JavaScript thread through which finished calls come back, many per wake-up.
//!
//! Why not libuv's pool (napi `AsyncTask`): each task there costs an async work handle and a
//! wake-up of the JavaScript thread of its own; here the calls that finish while the
//! JavaScript thread is busy or waking are settled by one wake-up, and a call costs a queue
//! entry and a Promise. Measured against `AsyncTask` and against workers that spin before
//! parking in BENCHMARKS.md ("Node: one call in flight, designs tried").

use crate::task::Call;
use napi::bindgen_prelude::ToNapiValue;
use napi::{sys, Env, ScopedTask};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// What every operation returns: a call, which becomes a Promise when handed to JavaScript.
pub struct Pending(pub(crate) Call);

/// How many calls run at once, as libuv's default pool.
const WORKERS: usize = 4;

/// A Promise's resolver, moved to a worker and back; only ever used on its own JavaScript thread.
struct Deferred(sys::napi_deferred);
// SAFETY: the pointer is only carried by other threads; it is used on the thread that made it.
unsafe impl Send for Deferred {}

type Outcome = <Call as ScopedTask<'static>>::Output;

/// Finished calls of one JavaScript thread, waiting for it.
struct Sink {
    tsfn: AtomicPtr<sys::napi_threadsafe_function__>,
    done: Mutex<Done>,
}

#[derive(Default)]
struct Done {
    calls: Vec<(Call, Deferred, napi::Result<Outcome>)>,
    /// The environment has gone (its threadsafe function with it): nothing is settled any more.
    closed: bool,
}
// SAFETY: the deferreds are only carried by workers, and used on their own thread; the rest is
// behind the Mutex.
unsafe impl Send for Done {}

struct Job {
    call: Call,
    deferred: Deferred,
    sink: Arc<Sink>,
}

/// The queue of calls waiting for a worker.
struct Pool {
    queue: Mutex<VecDeque<Job>>,
    ready: Condvar,
    /// Workers parked on `ready` (a call wakes one only if there is one).
    sleeping: AtomicUsize,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<&'static Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let pool: &'static Pool = Box::leak(Box::new(Pool {
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
            sleeping: AtomicUsize::new(0),
        }));
        for n in 0..WORKERS {
            std::thread::Builder::new()
                .name(format!("stripe-identity-{n}"))
                .spawn(move || worker(pool))
                .expect("could not start a worker thread");
        }
        pool
    })
}

impl Pool {
    fn push(&self, job: Job) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        queue.push_back(job);
        if self.sleeping.load(Ordering::Acquire) > 0 {
            self.ready.notify_one();
        }
    }

    /// The next job, parked until there is one.
    fn take(&self) -> Job {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(job) = queue.pop_front() {
                return job;
            }
            self.sleeping.fetch_add(1, Ordering::AcqRel);
            queue = self.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
            self.sleeping.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn worker(pool: &'static Pool) {
    loop {
        let Job { mut call, deferred, sink } = pool.take();
        // `compute` catches the call's panics itself.
        let outcome = call.compute();
        let mut done = sink.done.lock().unwrap_or_else(|e| e.into_inner());
        if done.closed {
            continue;
        }
        done.calls.push((call, deferred, outcome));
        // One wake-up of the JavaScript thread settles every call finished before it runs.
        if done.calls.len() == 1 {
            // SAFETY: callable from any thread, and not yet finalized: `closed` is set under
            // this lock before it is. A closing one answers with an error, and there is no one
            // left to tell.
            unsafe {
                sys::napi_call_threadsafe_function(sink.tsfn.load(Ordering::Acquire), ptr::null_mut(), 0)
            };
        }
    }
}

/// The JavaScript thread's side: its sink and how many of its calls are in flight (the
/// threadsafe function keeps the process alive only while there are some).
struct Local {
    sink: Arc<Sink>,
    in_flight: usize,
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Settles the calls finished since the last time, on the JavaScript thread.
unsafe extern "C" fn settle_done(
    env: sys::napi_env,
    _callback: sys::napi_value,
    _context: *mut std::ffi::c_void,
    _data: *mut std::ffi::c_void,
) {
    if env.is_null() {
        return;
    }
    let Some(sink) = LOCAL.with(|l| l.borrow().as_ref().map(|l| l.sink.clone())) else { return };
    let done = std::mem::take(&mut sink.done.lock().unwrap_or_else(|e| e.into_inner()).calls);
    let settled = done.len();
    for (mut call, deferred, outcome) in done {
        let js_env = Env::from_raw(env);
        let value = outcome.and_then(|output| call.resolve(&js_env, output));
        // SAFETY: on the thread of `env`, with a deferred made there and not yet settled.
        unsafe {
            match value.and_then(|v| ToNapiValue::to_napi_value(env, v)) {
                Ok(v) => sys::napi_resolve_deferred(env, deferred.0, v),
                Err(e) => match ToNapiValue::to_napi_value(env, e) {
                    Ok(rejection) => sys::napi_reject_deferred(env, deferred.0, rejection),
                    Err(_) => sys::Status::napi_generic_failure,
                },
            };
        }
    }
    LOCAL.with(|l| {
        if let Some(local) = l.borrow_mut().as_mut() {
            local.in_flight -= settled;
            if local.in_flight == 0 {
                // SAFETY: on the thread of `env`.
                unsafe { sys::napi_unref_threadsafe_function(env, local.sink.tsfn.load(Ordering::Acquire)) };
            }
        }
    });
}

/// The environment is going away: workers must not touch its threadsafe function any more.
unsafe extern "C" fn close_sink(
    _env: sys::napi_env,
    data: *mut std::ffi::c_void,
    _hint: *mut std::ffi::c_void,
) {
    // SAFETY: `data` is the `Arc<Sink>` handed over in `local_sink`, given back once.
    let sink = unsafe { Arc::from_raw(data as *const Sink) };
    sink.done.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
}

/// This thread's sink, made on first use.
unsafe fn local_sink(env: sys::napi_env) -> napi::Result<Arc<Sink>> {
    if let Some(sink) = LOCAL.with(|l| l.borrow().as_ref().map(|l| l.sink.clone())) {
        if !sink.done.lock().unwrap_or_else(|e| e.into_inner()).closed {
            return Ok(sink);
        }
    }
    let sink = Arc::new(Sink { tsfn: AtomicPtr::new(ptr::null_mut()), done: Mutex::default() });
    let mut name = ptr::null_mut();
    let text = "stripe-identity";
    napi::check_status!(unsafe {
        sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut name)
    })?;
    let mut tsfn = ptr::null_mut();
    napi::check_status!(unsafe {
        sys::napi_create_threadsafe_function(
            env,
            ptr::null_mut(),
            ptr::null_mut(),
            name,
            0,
            1,
            Arc::into_raw(sink.clone()) as *mut std::ffi::c_void,
            Some(close_sink),
            ptr::null_mut(),
            Some(settle_done),
            &mut tsfn,
        )
    })?;
    sink.tsfn.store(tsfn, Ordering::Release);
    napi::check_status!(unsafe { sys::napi_unref_threadsafe_function(env, tsfn) })?;
    LOCAL.with(|l| *l.borrow_mut() = Some(Local { sink: sink.clone(), in_flight: 0 }));
    Ok(sink)
}

impl ToNapiValue for Pending {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let sink = unsafe { local_sink(env) }?;
        let mut deferred = ptr::null_mut();
        let mut promise = ptr::null_mut();
        napi::check_status!(unsafe { sys::napi_create_promise(env, &mut deferred, &mut promise) })?;
        LOCAL.with(|l| {
            if let Some(local) = l.borrow_mut().as_mut() {
                if local.in_flight == 0 {
                    // SAFETY: on the thread of `env`.
                    unsafe {
                        sys::napi_ref_threadsafe_function(env, local.sink.tsfn.load(Ordering::Acquire))
                    };
                }
                local.in_flight += 1;
            }
        });
        pool().push(Job { call: val.0, deferred: Deferred(deferred), sink });
        Ok(promise)
    }
}
