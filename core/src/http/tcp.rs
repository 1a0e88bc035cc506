//! TCP for the HTTP agent, waiting in slices so a call can be interrupted.
//!
//! ureq's own TCP transport blocks in one system call for as long as the timeout allows (80 s by
//! default), so nothing can stop a call that waits for an answer that never comes. This
//! connector and transport do the same work, but every blocking step (connecting, each write,
//! each read) waits at most [`SLICE`] at a time; between slices they ask the caller's
//! interrupt check ([`interrupt`](super::interrupt)) whether to stop, and a signal that cuts a
//! wait short (`EINTR`) asks it at once. TLS runs on top of this transport, so the handshake
//! and every TLS record wait the same way.
//!
//! The slices also keep the socket's timeouts constant: ureq set them to the time left before
//! every read and write, one `setsockopt` each; here they change only in the last slice before
//! a deadline. A pooled connection is checked with one non-blocking peek.

use super::interrupt::{self, SLICE};
#[cfg(all(unix, feature = "suspend"))]
use super::suspend;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
};
use ureq::{Error, Timeout};

/// Opens TCP connections (unless an earlier connector, a CONNECT proxy, already made one).
#[derive(Debug, Default)]
pub(crate) struct TcpConnector;

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let stream = connect_any(&details.addrs, details.timeout)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let buffers =
            LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        Ok(Some(Either::B(TcpTransport::new(stream, buffers))))
    }
}

/// Tries the addresses in turn, as ureq does: the first gets half the budget, the next a
/// quarter, and so on (a host with one address gets all of it).
fn connect_any(addrs: &[SocketAddr], timeout: NextTimeout) -> Result<TcpStream, Error> {
    let started = Instant::now();
    let total = budget(&timeout);
    let total_weight = 2.0 * (1.0 - 0.5_f64.powi(addrs.len() as i32));
    let mut weight = 1.0_f64;
    let mut last = None;
    for &addr in addrs {
        let share = total.map(|t| t.mul_f64(weight / total_weight).max(Duration::from_millis(10)));
        match connect_one(addr, share) {
            Ok(stream) => return Ok(stream),
            Err(Error::Io(e)) if interrupt::stopped() => return Err(Error::Io(e)),
            Err(Error::Io(e)) if tries_next_address(&e) => last = Some(Error::Io(e)),
            Err(Error::Timeout(_)) if total.is_some_and(|t| started.elapsed() >= t) => {
                return Err(Error::Timeout(timeout.reason))
            }
            Err(e @ Error::Timeout(_)) => last = Some(e),
            Err(e) => return Err(e),
        }
        weight /= 2.0;
    }
    Err(last.unwrap_or_else(|| Error::Io(io::ErrorKind::ConnectionRefused.into())))
}

/// A failure that concerns only this address (ureq moves on to the next one for these).
fn tries_next_address(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

/// The whole wait a timeout allows, `None` for none.
fn budget(timeout: &NextTimeout) -> Option<Duration> {
    (!timeout.after.is_not_happening()).then(|| *timeout.after)
}

/// One connection attempt: non-blocking, then waiting in slices until the socket is writable.
#[cfg(unix)]
fn connect_one(addr: SocketAddr, budget: Option<Duration>) -> Result<TcpStream, Error> {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use rustix::io::Errno;
    use socket2::{Domain, Protocol, Socket, Type};

    // socket2 opens it close-on-exec, as std does.
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        // A signal during a non-blocking connect leaves it going on, as EINPROGRESS does.
        Err(e) if matches!(Errno::from_io_error(&e), Some(Errno::INPROGRESS | Errno::INTR)) => {
            let wait = Wait { started: Instant::now(), total: budget, reason: Timeout::Connect };
            #[cfg(feature = "suspend")]
            if suspend::active() {
                connected_suspended(&socket, &wait)?;
            }
            loop {
                let slice = wait.next()?;
                let ts = Timespec { tv_sec: slice.as_secs() as _, tv_nsec: slice.subsec_nanos() as _ };
                let mut fds = [PollFd::new(&socket, PollFlags::OUT)];
                match poll(&mut fds, Some(&ts)) {
                    Ok(n) if n > 0 => break,
                    Ok(_) | Err(Errno::INTR) => wait.between_slices()?,
                    Err(e) => return Err(Error::Io(e.into())),
                }
            }
            if let Some(e) = socket.take_error()? {
                return Err(Error::Io(e));
            }
        }
        Err(e) => return Err(Error::Io(e)),
    }
    socket.set_nonblocking(false)?;
    Ok(socket.into())
}

/// A suspended call's connection attempt: the caller's event loop waits until the socket is
/// writable (connected or refused) or the budget is spent. Returns once it is writable (the
/// blocking loop after it then finds it so at once).
#[cfg(all(unix, feature = "suspend"))]
fn connected_suspended(socket: &socket2::Socket, wait: &Wait) -> Result<(), Error> {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use std::os::fd::AsRawFd;
    let until = wait.total.map(|total| wait.started + total);
    loop {
        suspend::wait(suspend::Wait::Writable { fd: socket.as_raw_fd(), until });
        let mut fds = [PollFd::new(socket, PollFlags::OUT)];
        if poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).is_ok_and(|n| n > 0) {
            return Ok(());
        }
        wait.next()?;
    }
}

/// Elsewhere the connection is made in one wait, which cannot be interrupted.
#[cfg(not(unix))]
fn connect_one(addr: SocketAddr, budget: Option<Duration>) -> Result<TcpStream, Error> {
    let stream = match budget {
        Some(d) => TcpStream::connect_timeout(&addr, d),
        None => TcpStream::connect(addr),
    };
    stream.map_err(|e| match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(Timeout::Connect),
        _ => Error::Io(e),
    })
}

/// One blocking step's deadline, waited out a slice at a time.
struct Wait {
    started: Instant,
    total: Option<Duration>,
    reason: Timeout,
}

impl Wait {
    fn new(timeout: NextTimeout) -> Result<Wait, Error> {
        let wait = Wait { started: Instant::now(), total: budget(&timeout), reason: timeout.reason };
        wait.next()?;
        Ok(wait)
    }

    /// How long the next blocking call may wait: a slice, or what is left when that is less.
    fn next(&self) -> Result<Duration, Error> {
        match self.total {
            None => Ok(SLICE),
            Some(total) => {
                let left = total.saturating_sub(self.started.elapsed());
                if left.is_zero() {
                    Err(Error::Timeout(self.reason))
                } else {
                    Ok(left.min(SLICE))
                }
            }
        }
    }

    /// A slice passed, or a signal cut it short, without progress: stop if the check says so.
    fn between_slices(&self) -> Result<(), Error> {
        if interrupt::should_stop() {
            Err(Error::Io(interrupt::io_error()))
        } else {
            Ok(())
        }
    }
}

/// Whether a socket call ended because its timeout passed or a signal arrived.
fn waited(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted)
}

/// A TCP connection whose reads and writes wait in slices.
pub(crate) struct TcpTransport {
    stream: TcpStream,
    buffers: LazyBuffers,
    /// The socket's current timeouts, so they are set only when they change.
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// Bytes arrived since the last liveness check: see [`Transport::is_open`] below.
    read_since_check: bool,
    /// A suspended call's event loop watched the socket, and may have made it non-blocking
    /// (libuv does): a blocking call must make it blocking again before it waits on it.
    #[cfg(all(unix, feature = "suspend"))]
    watched: bool,
    /// A suspended call sent a request and has read nothing since: its answer cannot be there
    /// yet, so the call waits for it without trying a read that would find nothing.
    #[cfg(all(unix, feature = "suspend"))]
    just_sent: bool,
    /// This connection's name in [`suspend::Wait::Readable`].
    #[cfg(all(unix, feature = "suspend"))]
    socket: u64,
}

impl TcpTransport {
    fn new(stream: TcpStream, buffers: LazyBuffers) -> TcpTransport {
        TcpTransport {
            stream,
            buffers,
            read_timeout: None,
            write_timeout: None,
            read_since_check: false,
            #[cfg(all(unix, feature = "suspend"))]
            watched: false,
            #[cfg(all(unix, feature = "suspend"))]
            just_sent: false,
            #[cfg(all(unix, feature = "suspend"))]
            socket: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
        }
    }

    /// Before a blocking wait: undoes what an event loop may have done to the socket.
    fn blocking(&mut self) -> Result<(), Error> {
        #[cfg(all(unix, feature = "suspend"))]
        if std::mem::take(&mut self.watched) {
            self.stream.set_nonblocking(false)?;
        }
        Ok(())
    }

    /// Sends without blocking; where the socket is full, the call waits for it (see
    /// `suspend.rs`).
    #[cfg(all(unix, feature = "suspend"))]
    fn transmit_suspended(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        use rustix::net::{send, SendFlags};
        use std::os::fd::AsRawFd;
        let wait = Wait::new(timeout)?;
        let until = wait.total.map(|total| wait.started + total);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let flags = SendFlags::DONTWAIT | SendFlags::NOSIGNAL;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let flags = SendFlags::DONTWAIT;
        let mut sent = 0;
        while sent < amount {
            match send(&self.stream, &self.buffers.output()[sent..amount], flags) {
                Ok(0) => return Err(Error::Io(io::ErrorKind::WriteZero.into())),
                Ok(n) => sent += n,
                Err(e) if e == rustix::io::Errno::AGAIN || e == rustix::io::Errno::INTR => {
                    wait.next()?;
                    self.watched = true;
                    suspend::wait(suspend::Wait::Writable { fd: self.stream.as_raw_fd(), until });
                }
                Err(e) => return Err(Error::Io(e.into())),
            }
        }
        self.just_sent = true;
        Ok(())
    }

    /// Reads what has arrived without blocking; where nothing has, the call waits for the
    /// socket (see `suspend.rs`).
    #[cfg(all(unix, feature = "suspend"))]
    fn await_suspended(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        use rustix::net::{recv, RecvFlags};
        use std::os::fd::AsRawFd;
        let wait = Wait::new(timeout)?;
        let until = wait.total.map(|total| wait.started + total);
        if std::mem::take(&mut self.just_sent) {
            self.watched = true;
            suspend::wait(suspend::Wait::Readable {
                fd: self.stream.as_raw_fd(),
                socket: self.socket,
                until,
            });
        }
        loop {
            match recv(&self.stream, self.buffers.input_append_buf(), RecvFlags::DONTWAIT) {
                Ok(n) => {
                    let n = n.0;
                    self.buffers.input_appended(n);
                    self.read_since_check = true;
                    return Ok(n > 0);
                }
                Err(e) if e == rustix::io::Errno::AGAIN || e == rustix::io::Errno::INTR => {
                    wait.next()?;
                    self.watched = true;
                    suspend::wait(suspend::Wait::Readable {
                        fd: self.stream.as_raw_fd(),
                        socket: self.socket,
                        until,
                    });
                }
                Err(e) => return Err(Error::Io(e.into())),
            }
        }
    }
}

impl fmt::Debug for TcpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpTransport").field("addr", &self.stream.peer_addr().ok()).finish()
    }
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        #[cfg(all(unix, feature = "suspend"))]
        if suspend::active() {
            return self.transmit_suspended(amount, timeout.for_write());
        }
        self.blocking()?;
        let wait = Wait::new(timeout.for_write())?;
        let mut sent = 0;
        while sent < amount {
            let slice = wait.next()?;
            if self.write_timeout != Some(slice) {
                self.stream.set_write_timeout(Some(slice))?;
                self.write_timeout = Some(slice);
            }
            match (&self.stream).write(&self.buffers.output()[sent..amount]) {
                Ok(0) => return Err(Error::Io(io::ErrorKind::WriteZero.into())),
                Ok(n) => sent += n,
                Err(e) if waited(&e) => wait.between_slices()?,
                Err(e) => return Err(Error::Io(e)),
            }
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        #[cfg(all(unix, feature = "suspend"))]
        if suspend::active() {
            return self.await_suspended(timeout.for_read());
        }
        self.blocking()?;
        let wait = Wait::new(timeout.for_read())?;
        loop {
            let slice = wait.next()?;
            if self.read_timeout != Some(slice) {
                self.stream.set_read_timeout(Some(slice))?;
                self.read_timeout = Some(slice);
            }
            match (&self.stream).read(self.buffers.input_append_buf()) {
                Ok(n) => {
                    self.buffers.input_appended(n);
                    self.read_since_check = true;
                    return Ok(n > 0);
                }
                Err(e) if waited(&e) => wait.between_slices()?,
                Err(e) => return Err(Error::Io(e)),
            }
        }
    }

    /// ureq's pool asks twice per kept-alive call: when the connection comes back with its
    /// answer read, and when the next call takes it out. Only the second can see what happened
    /// while it sat idle, and it peeks; the first, right after a read, is answered without a
    /// system call (a connection with bytes left unread in its buffer never gets here, and one
    /// with bytes left in the socket is caught by the peek on the way out). One peek per call
    /// instead of two: a kept-alive call costs three system calls (peek, send, receive).
    fn is_open(&mut self) -> bool {
        if std::mem::take(&mut self.read_since_check) {
            return true;
        }
        is_open(&self.stream)
    }
}

/// Whether a pooled connection is still usable: nothing to read (the peer sent nothing
/// unasked) and not closed. One non-blocking peek.
#[cfg(unix)]
fn is_open(stream: &TcpStream) -> bool {
    use rustix::net::{recv, RecvFlags};
    let mut byte = [0u8; 1];
    match recv(stream, &mut byte[..], RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Err(e) => e == rustix::io::Errno::WOULDBLOCK || e == rustix::io::Errno::AGAIN,
        // End of stream, or bytes nobody asked for: either way the connection is done.
        Ok(_) => false,
    }
}

#[cfg(not(unix))]
fn is_open(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!(stream.peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    open && stream.set_nonblocking(false).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::net::TcpListener;
    use std::rc::Rc;
    use ureq::unversioned::transport::time::Duration as UreqDuration;

    fn timeout(after: Duration) -> NextTimeout {
        NextTimeout {
            after: UreqDuration::Exact(after),
            reason: Timeout::Global,
            per_read: None,
            per_write: None,
        }
    }

    fn connected() -> (TcpTransport, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stream = connect_any(&[addr], timeout(Duration::from_secs(5))).unwrap();
        let (server, _) = listener.accept().unwrap();
        let transport = TcpTransport::new(stream, LazyBuffers::new(1024, 1024));
        (transport, server)
    }

    /// Polls `cond` every 10 ms, up to 2 s: the kernel delivers a peer's bytes or close
    /// asynchronously.
    fn eventually(mut cond: impl FnMut() -> bool) -> bool {
        (0..200).any(|_| {
            cond() || {
                std::thread::sleep(Duration::from_millis(10));
                false
            }
        })
    }

    #[test]
    fn reads_and_writes_go_through_and_a_pooled_connection_is_checked() {
        let (mut t, mut server) = connected();
        assert!(t.is_open());
        t.buffers().output()[..4].copy_from_slice(b"ping");
        t.transmit_output(4, timeout(Duration::from_secs(5))).unwrap();
        let mut got = [0u8; 4];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        server.write_all(b"pong").unwrap();
        assert!(t.await_input(timeout(Duration::from_secs(5))).unwrap());
        assert_eq!(t.buffers().input(), b"pong");
        assert_eq!(t.read_timeout, Some(SLICE), "the socket waits a slice at a time");
        assert!(t.is_open(), "the check right after a read is answered without a peek");
        assert!(t.is_open(), "and the peek on the way out finds the connection usable");
        // Bytes nobody asked for: the connection is not reused.
        server.write_all(b"x").unwrap();
        assert!(eventually(|| !t.is_open()));
        // A peer that closed: neither.
        let (mut t, server) = connected();
        drop(server);
        assert!(eventually(|| !t.is_open()));
    }

    #[test]
    fn a_silent_peer_times_out_at_the_deadline_not_at_the_first_slice() {
        let (mut t, _server) = connected();
        let asked = Rc::new(Cell::new(0));
        let counter = asked.clone();
        let result = interrupt::with_check(
            Rc::new(move || {
                counter.set(counter.get() + 1);
                false
            }),
            || t.await_input(timeout(Duration::from_millis(220))),
        );
        assert!(matches!(result, Err(Error::Timeout(Timeout::Global))), "{result:?}");
        assert!(asked.get() >= 2, "the check was asked between slices: {}", asked.get());
    }

    #[test]
    fn a_wait_for_an_answer_ends_when_the_check_says_stop() {
        let (mut t, _server) = connected();
        let asked = Rc::new(Cell::new(0));
        let counter = asked.clone();
        let result = interrupt::with_check(
            Rc::new(move || {
                counter.set(counter.get() + 1);
                counter.get() == 3
            }),
            || t.await_input(timeout(Duration::from_secs(60))),
        );
        match result {
            Err(Error::Io(e)) => assert_eq!(e.kind(), io::ErrorKind::Interrupted),
            other => panic!("expected an interruption, got {other:?}"),
        }
        assert_eq!(asked.get(), 3);
    }

    #[test]
    fn a_refused_connection_is_an_error() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        match connect_any(&[addr], timeout(Duration::from_secs(5))) {
            Err(Error::Io(e)) => assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// A loopback listener whose accept queue is full: Linux drops further SYNs, so a connect
    /// to it waits (for the SYN retries) without an answer.
    #[cfg(target_os = "linux")]
    fn unanswering_listener() -> (socket2::Socket, SocketAddr, Vec<TcpStream>) {
        use socket2::{Domain, Socket, Type};
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        listener.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into()).unwrap();
        listener.listen(0).unwrap();
        let addr = listener.local_addr().unwrap().as_socket().unwrap();
        let mut queued = Vec::new();
        while let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            queued.push(s);
            assert!(queued.len() < 64, "the accept queue never filled");
        }
        (listener, addr, queued)
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_connection_that_is_not_answered_can_be_stopped() {
        let (_listener, addr, _queued) = unanswering_listener();
        let asked = Rc::new(Cell::new(0));
        let counter = asked.clone();
        let started = Instant::now();
        let result = interrupt::with_check(
            Rc::new(move || {
                counter.set(counter.get() + 1);
                counter.get() == 2
            }),
            || connect_any(&[addr], timeout(Duration::from_secs(30))),
        );
        match result {
            Err(Error::Io(e)) => assert_eq!(e.kind(), io::ErrorKind::Interrupted),
            other => panic!("expected an interruption, got {other:?}"),
        }
        assert_eq!(asked.get(), 2);
        // A hang guard, not a benchmark: the connect timeout was thirty seconds.
        assert!(started.elapsed() < Duration::from_secs(10));
        // Without a check the same connect waits for its timeout.
        let result = connect_any(&[addr], timeout(Duration::from_millis(200)));
        assert!(matches!(result, Err(Error::Timeout(Timeout::Global))), "{result:?}");
    }
}
