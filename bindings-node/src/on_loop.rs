//! A call over HTTP made on the JavaScript thread itself, its waits on Node's event loop.
//!
//! The core runs the call suspended (`stripe_identity::http::suspend`): where it would block
//! it hands back what it waits for, and this module asks libuv to watch for it. A socket to
//! read or write is a `uv_poll_t`, a deadline or a pause before a retry a `uv_timer_t`, a host
//! name lookup a `uv_work_t` on libuv's pool. When the wait is over the call goes on, on the
//! JavaScript thread, and its Promise settles there. Against libuv's pool for the whole call
//! (the `AsyncTask` of `task.rs`), this saves two thread hand-offs per call (waking a pool
//! thread to start it and waking the JavaScript thread to finish it), and no pool thread is
//! held while the answer is on its way: the pool's four threads would let four calls be on the
//! wire at once, and leave none for the process's file, DNS and crypto work meanwhile.
//!
//! libuv's functions are looked up in the running process (`dlsym`), not linked: a runtime
//! that implements Node-API without libuv has none, and its calls stay on the pool. `index.js`
//! turns this on under Node only (`__setLoopIo`); the bare native module keeps the pool. Linux
//! only (the set of sockets is an epoll set); elsewhere every call runs on the pool.

use crate::task::{settle, Call, Output};
use napi::sys;
use napi::{Env, JsError, JsValue};
use std::ffi::{c_int, c_void, CStr};
use std::os::fd::RawFd;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;
use stripe_identity::http::suspend::{self, Step, Suspended, Wait};

/// Whether calls are made on the event loop (set by `index.js`).
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Stopped timers kept per thread (see `SPARE_TIMERS`).
const SPARE_TIMERS_KEPT: usize = 64;

/// libuv's `uv_handle_type` and `uv_req_type` values and poll events (`uv.h`).
const UV_POLL: c_int = 8;
const UV_TIMER: c_int = 13;
const UV_WORK: c_int = 7;
const UV_READABLE: c_int = 1;
const UV_WRITABLE: c_int = 2;

type Loop = c_void;
type Handle = c_void;
type PollCb = unsafe extern "C" fn(*mut Handle, c_int, c_int);
type TimerCb = unsafe extern "C" fn(*mut Handle);
type CloseCb = unsafe extern "C" fn(*mut Handle);
type WorkCb = unsafe extern "C" fn(*mut c_void);
type AfterWorkCb = unsafe extern "C" fn(*mut c_void, c_int);

type SizeFn = unsafe extern "C" fn(c_int) -> usize;
type PollInitFn = unsafe extern "C" fn(*mut Loop, *mut Handle, c_int) -> c_int;
type PollStartFn = unsafe extern "C" fn(*mut Handle, c_int, PollCb) -> c_int;
type TimerInitFn = unsafe extern "C" fn(*mut Loop, *mut Handle) -> c_int;
type TimerStartFn = unsafe extern "C" fn(*mut Handle, TimerCb, u64, u64) -> c_int;
type TimerStopFn = unsafe extern "C" fn(*mut Handle) -> c_int;
type CloseFn = unsafe extern "C" fn(*mut Handle, Option<CloseCb>);
type QueueWorkFn = unsafe extern "C" fn(*mut Loop, *mut c_void, WorkCb, AfterWorkCb) -> c_int;
type RefFn = unsafe extern "C" fn(*mut Handle);

/// The libuv functions this module uses, found in the process.
struct Uv {
    handle_size: SizeFn,
    req_size: SizeFn,
    poll_init: PollInitFn,
    poll_start: PollStartFn,
    timer_init: TimerInitFn,
    timer_start: TimerStartFn,
    timer_stop: TimerStopFn,
    close: CloseFn,
    queue_work: QueueWorkFn,
    add_ref: RefFn,
    unref: RefFn,
}

fn uv() -> Option<&'static Uv> {
    static UV: OnceLock<Option<Uv>> = OnceLock::new();
    UV.get_or_init(|| {
        fn find(name: &CStr) -> Option<*mut c_void> {
            // SAFETY: a lookup by name in the objects already loaded.
            let symbol = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            (!symbol.is_null()).then_some(symbol)
        }
        macro_rules! function {
            ($name:literal as $type:ty) => {
                // SAFETY: the symbol has the signature `uv.h` gives it.
                unsafe { std::mem::transmute::<*mut c_void, $type>(find($name)?) }
            };
        }
        Some(Uv {
            handle_size: function!(c"uv_handle_size" as SizeFn),
            req_size: function!(c"uv_req_size" as SizeFn),
            poll_init: function!(c"uv_poll_init" as PollInitFn),
            poll_start: function!(c"uv_poll_start" as PollStartFn),
            timer_init: function!(c"uv_timer_init" as TimerInitFn),
            timer_start: function!(c"uv_timer_start" as TimerStartFn),
            timer_stop: function!(c"uv_timer_stop" as TimerStopFn),
            close: function!(c"uv_close" as CloseFn),
            queue_work: function!(c"uv_queue_work" as QueueWorkFn),
            add_ref: function!(c"uv_ref" as RefFn),
            unref: function!(c"uv_unref" as RefFn),
        })
    })
    .as_ref()
}

/// Turns calls on the event loop on or off (`index.js` turns them on under Node). Not part of
/// the public API.
#[napi_derive::napi(js_name = "__setLoopIo")]
#[cfg_attr(test, allow(dead_code))]
pub fn set_loop_io(on: bool) -> bool {
    let on = on && uv().is_some();
    ENABLED.store(on, Ordering::Relaxed);
    on
}

/// Whether a call goes on the event loop.
pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// One call in flight: its Promise and where it stands.
struct InFlight {
    env: sys::napi_env,
    deferred: sys::napi_deferred,
    call: Option<Suspended<Output>>,
    /// The handles watching for the current wait (null when unused).
    poll: *mut Handle,
    timer: *mut Handle,
    /// The socket it waits to read, among this thread's [`Readers`] (-1 when none).
    reading: RawFd,
    /// Work for libuv's pool (a host name lookup).
    work: Option<Box<dyn FnOnce() + Send>>,
    /// Its work is on libuv's pool (the state is then that work's until it ends).
    offloaded: bool,
    /// Node tore the environment down while the work ran: drop the call when it ends.
    abandoned: bool,
}

thread_local! {
    /// The calls of this thread waiting for libuv, so that a worker thread's environment torn
    /// down with calls in flight closes their handles first (libuv refuses to close a loop
    /// with open handles, and Node aborts then).
    static PARKED: std::cell::RefCell<Vec<*mut InFlight>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Stopped timers of `env`'s loop, kept for the next waits: a handle closed makes libuv's
    /// next turn poll without waiting, one `epoll_pwait` more per call, and a new one costs an
    /// allocation and an init.
    static SPARE_TIMERS: std::cell::RefCell<SpareTimers> =
        const { std::cell::RefCell::new(SpareTimers { env: ptr::null_mut(), timers: Vec::new() }) };
    /// The environment whose cleanup hook is in place.
    static HOOKED: std::cell::Cell<sys::napi_env> = const { std::cell::Cell::new(ptr::null_mut()) };
}

/// Stopped timers of one environment's loop (see `SPARE_TIMERS`).
struct SpareTimers {
    env: sys::napi_env,
    timers: Vec<*mut Handle>,
}

impl SpareTimers {
    /// A stopped timer of `env`'s loop, if one is kept.
    fn take(&mut self, env: sys::napi_env) -> Option<*mut Handle> {
        if self.env == env {
            self.timers.pop()
        } else {
            None
        }
    }

    /// Keeps a stopped timer of `env`'s loop; `false` when it is not kept (the caller closes
    /// it): the list is full, or holds another environment's timers.
    fn give(&mut self, env: sys::napi_env, timer: *mut Handle) -> bool {
        if self.timers.is_empty() {
            self.env = env;
        }
        let keep = self.env == env && self.timers.len() < SPARE_TIMERS_KEPT;
        if keep {
            self.timers.push(timer);
        }
        keep
    }

    /// Every timer kept for `env`, for closing.
    fn drain(&mut self, env: sys::napi_env) -> Vec<*mut Handle> {
        if self.env == env {
            std::mem::take(&mut self.timers)
        } else {
            Vec::new()
        }
    }
}

/// Hands the call to libuv: its pointer goes into the handles' (or request's) `data`.
fn park(state: Box<InFlight>) -> *mut InFlight {
    let env = state.env;
    if HOOKED.with(|h| h.replace(env)) != env {
        // SAFETY: on the JavaScript thread of `env`.
        unsafe { sys::napi_add_env_cleanup_hook(env, Some(tear_down), env.cast()) };
    }
    let raw = Box::into_raw(state);
    PARKED.with(|p| p.borrow_mut().push(raw));
    raw
}

/// Takes the call back from libuv.
///
/// # Safety
/// `raw` came from [`park`] and was not taken back yet.
unsafe fn unpark(raw: *mut InFlight) -> Box<InFlight> {
    PARKED.with(|p| p.borrow_mut().retain(|&parked| parked != raw));
    Box::from_raw(raw)
}

/// Node is tearing `env` down (a worker thread ends): every call still waiting is abandoned,
/// its handles closed, its connection closed as its stack unwinds. Its Promise never settles:
/// nothing is left to observe it.
unsafe extern "C" fn tear_down(env: *mut c_void) {
    let env: sys::napi_env = env.cast();
    HOOKED.with(|h| {
        if h.get() == env {
            h.set(ptr::null_mut());
        }
    });
    let mine: Vec<*mut InFlight> = PARKED.with(|p| {
        let mut parked = p.borrow_mut();
        let (mine, others) = parked.drain(..).partition(|&raw| (*raw).env == env);
        *parked = others;
        mine
    });
    READERS.with(|r| {
        let mut readers = r.borrow_mut();
        if readers.as_ref().is_some_and(|readers| readers.env == env) {
            if let (Some(readers), Some(uv)) = (readers.take(), uv()) {
                (uv.close)(readers.poll, Some(free_handle));
                libc::close(readers.epfd);
            }
        }
    });
    for raw in mine {
        if (*raw).offloaded {
            // The pool still runs its work; `work_done` drops it.
            (*raw).abandoned = true;
            continue;
        }
        let mut state = Box::from_raw(raw);
        close_handles(&mut state);
        drop(state);
    }
    // Last: the abandoned calls' timers have just joined them.
    let spare = SPARE_TIMERS.with(|t| t.borrow_mut().drain(env));
    if let Some(uv) = uv() {
        for timer in spare {
            (uv.close)(timer, Some(free_handle));
        }
    }
}

/// Starts `call` and returns its Promise; the call runs until its first wait right here.
pub(crate) fn run(env: sys::napi_env, call: Call) -> napi::Result<sys::napi_value> {
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: called on the JavaScript thread, inside a napi call.
    napi::check_status!(unsafe { sys::napi_create_promise(env, &mut deferred, &mut promise) })?;
    let state = Box::new(InFlight {
        env,
        deferred,
        call: None,
        poll: ptr::null_mut(),
        timer: ptr::null_mut(),
        reading: -1,
        work: None,
        offloaded: false,
        abandoned: false,
    });
    let mut call = call;
    advance(state, suspend::start(move || call.output()), false);
    Ok(promise)
}

/// Settles the Promise of a finished call, or sets up the wait of one that waits.
fn advance(mut state: Box<InFlight>, step: Step<Output>, from_loop: bool) {
    match step {
        Step::Done(output) => finish(state.env, state.deferred, output, from_loop),
        Step::Waiting(call, wait) => {
            state.call = Some(call);
            if let Err(state) = watch(state, wait) {
                // libuv refused the handle (it cannot watch this descriptor): the call is
                // abandoned, and says so.
                let failure = crate::errors::Failure::Panic(
                    "the event loop could not watch the connection; set STRIPE_IDENTITY_NODE_IO=pool".into(),
                );
                finish(state.env, state.deferred, Err(failure), from_loop);
            }
        }
    }
}

/// Asks libuv to wake the call when its wait is over.
fn watch(mut state: Box<InFlight>, wait: Wait) -> Result<(), Box<InFlight>> {
    let Some(uv) = uv() else { return Err(state) };
    let mut uv_loop = ptr::null_mut();
    // SAFETY: on the JavaScript thread of `state.env`.
    if unsafe { sys::napi_get_uv_event_loop(state.env, &mut uv_loop) } != sys::Status::napi_ok {
        return Err(state);
    }
    let uv_loop = uv_loop.cast::<Loop>();
    let (fd, until, events) = match wait {
        Wait::Readable { fd, socket, until } => return wait_to_read(uv, uv_loop, state, fd, socket, until),
        Wait::Writable { fd, until } => (fd, until, UV_WRITABLE),
        Wait::Sleep(pause) => {
            return start_timer(uv, uv_loop, state, pause.as_millis() as u64);
        }
        Wait::Offload(work) => {
            state.work = Some(work);
            state.offloaded = true;
            // SAFETY: a `uv_work_t` of libuv's own size; its first field is `data`.
            unsafe {
                let req = libc::calloc(1, (uv.req_size)(UV_WORK));
                let state = park(state);
                *req.cast::<*mut InFlight>() = state;
                if (uv.queue_work)(uv_loop, req, work_on_pool, work_done) != 0 {
                    libc::free(req);
                    let mut state = unpark(state);
                    state.offloaded = false;
                    return Err(state);
                }
            }
            return Ok(());
        }
    };
    // SAFETY: handles of libuv's own size, zeroed, their `data` pointing at the call, closed
    // (and freed) by `wake` before the call goes on.
    unsafe {
        let poll = libc::calloc(1, (uv.handle_size)(UV_POLL));
        if (uv.poll_init)(uv_loop, poll, fd) != 0 {
            libc::free(poll);
            return Err(state);
        }
        state.poll = poll;
        let raw = park(state);
        *poll.cast::<*mut InFlight>() = raw;
        if (uv.poll_start)(poll, events, on_poll) != 0 {
            let mut state = unpark(raw);
            state.poll = ptr::null_mut();
            (uv.close)(poll, Some(free_handle));
            return Err(state);
        }
        if let Some(until) = until {
            arm_timer(uv, uv_loop, raw, millis_until(until));
        }
    }
    Ok(())
}

/// The sockets this thread's calls wait to read, in an epoll set of their own that libuv
/// watches as one descriptor, for the thread's life. A socket joins the set once (its later
/// waits find it in `members`, and make no system call) and leaves it when it closes;
/// edge-triggered, so a socket no call waits on does not wake the loop again and again. Against a `uv_poll_t` per wait,
/// three system calls less per call (libuv's check of the descriptor and its registration
/// and removal).
///
/// Edge-triggered is safe here because a call reads before it waits (what arrived while it
/// was not waiting is read then), or waits right after sending, before its answer can have
/// come: the edge of its arrival is then still to be reported. An edge for a socket no call
/// waits on is dropped; one for a call that already read what it signalled wakes it for
/// nothing, and it waits again.
struct Readers {
    env: sys::napi_env,
    epfd: c_int,
    /// The `uv_poll_t` on `epfd`; referenced only while a call waits (so it never keeps the
    /// process alive by itself).
    poll: *mut Handle,
    waiting: Vec<(RawFd, *mut InFlight)>,
    /// The socket (its name in `Wait::Readable`) each descriptor of the set stands for. A
    /// descriptor closed and given to another socket has another name, and is added again
    /// (the kernel took the closed one out of the set).
    members: std::collections::HashMap<RawFd, u64>,
}

thread_local! {
    static READERS: std::cell::RefCell<Option<Readers>> = const { std::cell::RefCell::new(None) };
}

/// Waits for `fd` to be readable among this thread's [`Readers`], or for `until`.
fn wait_to_read(
    uv: &Uv,
    uv_loop: *mut Loop,
    mut state: Box<InFlight>,
    fd: RawFd,
    socket: u64,
    until: Option<Instant>,
) -> Result<(), Box<InFlight>> {
    let env = state.env;
    let ready = READERS.with(|r| {
        let mut readers = r.borrow_mut();
        if readers.as_ref().is_none_or(|readers| readers.env != env) {
            // SAFETY: on the JavaScript thread of `env`.
            *readers = unsafe { Readers::open(uv, uv_loop, env) };
        }
        let Some(readers) = readers.as_mut() else { return false };
        if readers.members.get(&fd) == Some(&socket) {
            // In the set since an earlier wait: one system call less per call.
            return true;
        }
        let mut event = libc::epoll_event {
            events: (libc::EPOLLIN | libc::EPOLLRDHUP | libc::EPOLLET) as u32,
            u64: fd as u64,
        };
        // SAFETY: plain system calls on descriptors this thread holds.
        let added = unsafe { libc::epoll_ctl(readers.epfd, libc::EPOLL_CTL_ADD, fd, &mut event) } == 0;
        let member = added || std::io::Error::last_os_error().raw_os_error() == Some(libc::EEXIST);
        if member {
            readers.members.insert(fd, socket);
        }
        member
    });
    if !ready {
        return Err(state);
    }
    state.reading = fd;
    let raw = park(state);
    READERS.with(|r| {
        if let Some(readers) = r.borrow_mut().as_mut() {
            if readers.waiting.is_empty() {
                // SAFETY: the handle is open (closed only with the set).
                unsafe { (uv.add_ref)(readers.poll) };
            }
            readers.waiting.push((fd, raw));
        }
    });
    if let Some(until) = until {
        // SAFETY: `raw` was just parked.
        unsafe { arm_timer(uv, uv_loop, raw, millis_until(until)) };
    }
    Ok(())
}

impl Readers {
    /// # Safety
    /// On the JavaScript thread of `env`, `uv_loop` its loop.
    unsafe fn open(uv: &Uv, uv_loop: *mut Loop, env: sys::napi_env) -> Option<Readers> {
        let epfd = libc::epoll_create1(libc::EPOLL_CLOEXEC);
        if epfd < 0 {
            return None;
        }
        let poll = libc::calloc(1, (uv.handle_size)(UV_POLL));
        if (uv.poll_init)(uv_loop, poll, epfd) != 0 {
            libc::free(poll);
            libc::close(epfd);
            return None;
        }
        (uv.poll_start)(poll, UV_READABLE, on_readable);
        (uv.unref)(poll);
        Some(Readers { env, epfd, poll, waiting: Vec::new(), members: Default::default() })
    }
}

/// Some sockets of the set are readable: their calls go on.
unsafe extern "C" fn on_readable(_handle: *mut Handle, _status: c_int, _events: c_int) {
    let mut woken = Vec::new();
    loop {
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 32];
        let Some(epfd) = READERS.with(|r| r.borrow().as_ref().map(|readers| readers.epfd)) else { return };
        let n = libc::epoll_wait(epfd, events.as_mut_ptr(), events.len() as c_int, 0);
        if n <= 0 {
            break;
        }
        READERS.with(|r| {
            if let Some(readers) = r.borrow_mut().as_mut() {
                for event in &events[..n as usize] {
                    let fd = event.u64 as RawFd;
                    if let Some(i) = readers.waiting.iter().position(|&(waiting, _)| waiting == fd) {
                        woken.push(readers.waiting.swap_remove(i).1);
                    }
                }
            }
        });
        if (n as usize) < events.len() {
            break;
        }
    }
    for raw in woken {
        let mut state = unpark(raw);
        // Already off the waiting list; its timer goes.
        state.reading = -1;
        close_handles(&mut state);
        resume(state);
    }
    READERS.with(|r| {
        if let (Some(readers), Some(uv)) = (r.borrow().as_ref(), uv()) {
            if readers.waiting.is_empty() {
                (uv.unref)(readers.poll);
            }
        }
    });
}

/// A pause: only a timer wakes the call.
fn start_timer(uv: &Uv, uv_loop: *mut Loop, state: Box<InFlight>, ms: u64) -> Result<(), Box<InFlight>> {
    let raw = park(state);
    // SAFETY: `raw` was just parked, and is taken back at once if no timer could be made.
    unsafe {
        if !arm_timer(uv, uv_loop, raw, ms) {
            return Err(unpark(raw));
        }
    }
    Ok(())
}

/// Milliseconds to a deadline, rounded up, so that the call finds it passed when its timer
/// fires.
fn millis_until(until: Instant) -> u64 {
    until.saturating_duration_since(Instant::now()).as_millis() as u64 + 1
}

/// Starts a timer that wakes the parked call `raw` in `ms` milliseconds; `false` when libuv
/// refused one (the call then waits without it).
///
/// # Safety
/// On the JavaScript thread of `uv_loop`; `raw` came from [`park`] and was not taken back.
unsafe fn arm_timer(uv: &Uv, uv_loop: *mut Loop, raw: *mut InFlight, ms: u64) -> bool {
    let env = (*raw).env;
    let timer = match SPARE_TIMERS.with(|t| t.borrow_mut().take(env)) {
        Some(timer) => timer,
        None => {
            let timer = libc::calloc(1, (uv.handle_size)(UV_TIMER));
            if (uv.timer_init)(uv_loop, timer) != 0 {
                libc::free(timer);
                return false;
            }
            timer
        }
    };
    // Its first field is `data`; `wake` finds the call there.
    *timer.cast::<*mut InFlight>() = raw;
    (*raw).timer = timer;
    (uv.timer_start)(timer, on_timer, ms, 0);
    true
}

unsafe extern "C" fn free_handle(handle: *mut Handle) {
    libc::free(handle);
}

/// The wait is over (or its deadline passed): the handles go, the call goes on.
unsafe fn wake(handle: *mut Handle) {
    let mut state = unpark(*handle.cast::<*mut InFlight>());
    close_handles(&mut state);
    resume(state);
}

/// Stops and closes the call's handles, so that neither fires again; each is freed once libuv
/// lets go of it.
unsafe fn close_handles(state: &mut InFlight) {
    let Some(uv) = uv() else { return };
    let reading = std::mem::replace(&mut state.reading, -1);
    if reading >= 0 {
        let me: *const InFlight = state;
        READERS.with(|r| {
            if let Some(readers) = r.borrow_mut().as_mut() {
                readers.waiting.retain(|&(_, raw)| !std::ptr::eq(raw, me));
                if readers.waiting.is_empty() {
                    (uv.unref)(readers.poll);
                }
            }
        });
    }
    let poll = std::mem::replace(&mut state.poll, ptr::null_mut());
    if !poll.is_null() {
        (uv.close)(poll, Some(free_handle));
    }
    let timer = std::mem::replace(&mut state.timer, ptr::null_mut());
    if !timer.is_null() {
        (uv.timer_stop)(timer);
        *timer.cast::<*mut InFlight>() = ptr::null_mut();
        if !SPARE_TIMERS.with(|t| t.borrow_mut().give(state.env, timer)) {
            (uv.close)(timer, Some(free_handle));
        }
    }
}

unsafe fn resume(mut state: Box<InFlight>) {
    let call = state.call.take().expect("a waiting call");
    advance(state, call.resume(), true);
}

unsafe extern "C" fn on_poll(handle: *mut Handle, _status: c_int, _events: c_int) {
    // An error status (the socket failed) also wakes the call: its next read or write says why.
    wake(handle);
}

unsafe extern "C" fn on_timer(handle: *mut Handle) {
    wake(handle);
}

unsafe extern "C" fn work_on_pool(req: *mut c_void) {
    let state = *req.cast::<*mut InFlight>();
    // The JavaScript thread does not touch the call while its work runs.
    if let Some(work) = (*state).work.take() {
        // A panic must not unwind into libuv; the call then finds no result and fails.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    }
}

unsafe extern "C" fn work_done(req: *mut c_void, _status: c_int) {
    let raw = *req.cast::<*mut InFlight>();
    libc::free(req);
    if (*raw).abandoned {
        // Its environment is gone (and it was taken off the list then).
        drop(Box::from_raw(raw));
        return;
    }
    let mut state = unpark(raw);
    state.offloaded = false;
    resume(state);
}

/// Settles the call's Promise. From the event loop, inside a callback scope, so that the
/// Promise's reactions (the caller's `await`) run before the loop goes on, as after any I/O
/// callback of Node's.
fn finish(env: sys::napi_env, deferred: sys::napi_deferred, output: Output, from_loop: bool) {
    // SAFETY: on the JavaScript thread of `env`; scopes are opened and closed in order.
    unsafe {
        let mut handles = ptr::null_mut();
        let mut callback = ptr::null_mut();
        if from_loop {
            sys::napi_open_handle_scope(env, &mut handles);
            let mut resource = ptr::null_mut();
            sys::napi_create_object(env, &mut resource);
            sys::napi_open_callback_scope(env, resource, async_context(env), &mut callback);
        }
        let js_env = Env::from_raw(env);
        match settle(&js_env, output) {
            Ok(value) => {
                sys::napi_resolve_deferred(env, deferred, value.raw());
            }
            Err(e) => {
                sys::napi_reject_deferred(env, deferred, JsError::from(e).into_value(env));
            }
        }
        if from_loop {
            sys::napi_close_callback_scope(env, callback);
            sys::napi_close_handle_scope(env, handles);
        }
    }
}

/// The async context the Promises of this thread settle in, made once per thread.
fn async_context(env: sys::napi_env) -> sys::napi_async_context {
    thread_local! {
        static CONTEXT: std::cell::Cell<(sys::napi_env, sys::napi_async_context)> =
            const { std::cell::Cell::new((ptr::null_mut(), ptr::null_mut())) };
    }
    CONTEXT.with(|c| {
        let (known, context) = c.get();
        if known == env && !context.is_null() {
            return context;
        }
        let mut context = ptr::null_mut();
        // SAFETY: on the JavaScript thread of `env`, inside a handle scope.
        unsafe {
            let mut name = ptr::null_mut();
            sys::napi_create_string_utf8(
                env,
                c"stripe-identity".as_ptr(),
                "stripe-identity".len() as isize,
                &mut name,
            );
            sys::napi_async_init(env, ptr::null_mut(), name, &mut context);
        }
        c.set((env, context));
        context
    })
}
