//! # identity-mock
//!
//! The stripe-identity simulator served over HTTP/1.1, shaped like the Stripe API: every
//! VerificationSession operation, the controls under `/v1/test_helpers/identity/...`, Bearer and
//! Basic keys, the API's error bodies, `Request-Id`, `Idempotency-Key` and `Idempotent-Replayed`.
//! The official SDKs and `curl` talk to it as they talk to `https://api.stripe.com`.
//!
//! The binary is `identity-mock`; this library starts the same server in process (tests do):
//!
//! ```
//! use identity_mock::{Config, Server};
//!
//! let server = Server::start(Config { port: 0, ..Config::default() })?;
//! println!("listening on {}", server.url());
//! server.shutdown();
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! It binds loopback only, unless [`Config::allow_non_loopback`] says otherwise. Each connection
//! is served with keep-alive, and every wait is bounded:
//!
//! - a request's head must arrive within [`Config::header_timeout`] (which is also how long an
//!   idle keep-alive connection is kept), its body within [`Config::body_timeout`] and under
//!   [`Config::max_body_bytes`] (else `408`/`413`, and the connection is closed);
//! - an answer must be taken by the client within [`Config::write_timeout`] once the socket's
//!   buffers are full (a client that pipelines requests and never reads), else the connection
//!   is closed;
//! - a connection serves at most [`Config::max_requests_per_connection`] requests;
//! - at most [`Config::max_connections`] connections are served at once. While all are taken
//!   and another connection waits, idle keep-alive connections are closed, and so are
//!   connections stuck receiving one request or sending one answer for longer than
//!   [`Config::pressure_timeout`] (see [`slots`]), so slow or idle clients cannot lock the
//!   others out.
//!
//! A malformed request (a bad request line, header or `Content-Length`, more than 100 headers,
//! a URL or head too long, a broken chunked body) gets `400`, `414` or `431` with the API's JSON
//! error body, and a closed connection (see [`malformed`]). None of these disturb the other
//! connections.
//!
//! State lives in memory, or with [`Config::data`] in an SQLite file that a restart reads back
//! (see [`store`]).
//!
//! A session's `url` opens the hosted verification page served here (see [`hosted`]), under
//! [`Config::public_url`] or the server's own address.
//!
//! Events are posted to the webhook endpoints registered with `POST /v1/webhook_endpoints`,
//! signed, off the request path, retried until acknowledged, through a bounded queue (see
//! [`delivery`] and [`Config::webhooks`]).

pub mod auth;
pub mod delivery;
pub mod faults;
pub mod hosted;
pub mod malformed;
pub mod service;
pub mod slots;
mod socket;
pub mod store;
pub mod tls;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulConnection, GracefulShutdown};
use std::future::Future;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::engine::{Simulator, SystemClock};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;

pub use delivery::{Deliveries, DeliveryStats, WebhookConfig};
pub use faults::{Fault, FaultConfig};
pub use service::App;
pub use slots::Slots;
pub use tls::Tls;

use socket::GuardedIo;

/// The default port, as `API.md` fixes it.
pub const DEFAULT_PORT: u16 = 12111;

/// The default host: loopback.
pub const DEFAULT_HOST: &str = "127.0.0.1";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Host name or address to bind (`127.0.0.1`, `::1`, `localhost`).
    pub host: String,
    /// Port to bind; 0 picks a free one (see [`Server::local_addr`]).
    pub port: u16,
    /// Allow binding an address that is not loopback. Off by default: the simulator has no
    /// real authentication and is meant for one machine.
    pub allow_non_loopback: bool,
    /// Largest request body, in bytes; larger ones get `413` and a closed connection.
    pub max_body_bytes: usize,
    /// Time allowed for a request's head to arrive, and for an idle keep-alive connection to
    /// send its next request, before the connection is closed.
    pub header_timeout: Duration,
    /// Time allowed for a request's body to arrive; slower ones get `408`.
    pub body_timeout: Duration,
    /// Time an answer may wait for the client to read it once the socket's buffers are full;
    /// then the connection is closed.
    pub write_timeout: Duration,
    /// Connections served at once; further ones wait, and make room (see [`slots`]).
    pub max_connections: usize,
    /// While every connection slot is taken and another connection waits: how long a connection
    /// may spend receiving one request or sending one answer before it is closed to make room.
    /// Idle keep-alive connections are closed after a tenth of it.
    pub pressure_timeout: Duration,
    /// Requests served on one connection; the answer to the last one says `Connection: close`.
    pub max_requests_per_connection: u32,
    /// How long shutdown waits for requests in flight before closing everything.
    pub shutdown_grace: Duration,
    /// Runtime worker threads.
    pub worker_threads: usize,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Log one line per request to stderr.
    pub verbose: bool,
    /// Keep the state in this SQLite file (created if absent) rather than in memory only: a
    /// restart finds it as it was. Read by [`Server::start`]; see [`store`].
    pub data: Option<PathBuf>,
    /// Serve HTTPS with this certificate and key instead of HTTP (see [`tls`]).
    pub tls: Option<Tls>,
    /// How webhooks are delivered (see [`delivery`]).
    pub webhooks: WebhookConfig,
    /// The base URL under which the app and browsers reach this server (`http://mock:12111`
    /// in docker-compose): sessions' `url`s point at its hosted pages (see [`hosted`]). When
    /// absent, the server's own address ([`Server::url`]).
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: DEFAULT_HOST.to_string(),
            port: DEFAULT_PORT,
            allow_non_loopback: false,
            max_body_bytes: 1 << 20,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            pressure_timeout: Duration::from_secs(1),
            max_requests_per_connection: 1000,
            shutdown_grace: Duration::from_secs(5),
            worker_threads: 2,
            faults: FaultConfig::default(),
            verbose: false,
            data: None,
            tls: None,
            webhooks: WebhookConfig::default(),
            public_url: None,
        }
    }
}

/// A running server. Stops on [`Server::shutdown`] or when dropped (do not drop it inside an
/// async runtime: stopping blocks until the connections are closed).
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    tls: bool,
    simulator: Arc<Simulator>,
    slots: Arc<Slots>,
    runtime: Option<tokio::runtime::Runtime>,
    deliveries: Deliveries,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Binds and starts serving a fresh simulator, or the one kept in [`Config::data`].
    pub fn start(config: Config) -> io::Result<Server> {
        let simulator = match &config.data {
            Some(path) => store::open(path, Arc::new(SystemClock))?,
            None => Simulator::new(),
        };
        Server::start_with(config, Arc::new(simulator))
    }

    /// Binds and starts serving the given simulator ([`Config::data`] is not read: give it a
    /// simulator from [`store::open`] to keep its state in a file).
    pub fn start_with(config: Config, simulator: Arc<Simulator>) -> io::Result<Server> {
        let addr = resolve(&config.host, config.port, config.allow_non_loopback)?;
        let faults = faults::Faults::new(&config.faults)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        if config.max_connections == 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "max_connections must be at least 1"));
        }
        if config.max_requests_per_connection == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "max_requests_per_connection must be at least 1",
            ));
        }
        for (name, value) in [
            ("header_timeout", config.header_timeout),
            ("body_timeout", config.body_timeout),
            ("write_timeout", config.write_timeout),
            ("pressure_timeout", config.pressure_timeout),
        ] {
            if value.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{name} must be longer than zero"),
                ));
            }
        }
        if let Some(url) = &config.public_url {
            let ok = url.parse::<hyper::Uri>().is_ok_and(|uri| {
                matches!(uri.scheme_str(), Some("http" | "https"))
                    && uri.authority().is_some()
                    && uri.query().is_none()
            });
            if !ok {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("public_url must be an http or https URL without a query, got {url:?}"),
                ));
            }
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.worker_threads.max(1))
            .thread_name("identity-mock")
            .enable_all()
            .build()?;
        let listener = {
            let _guard = runtime.enter();
            listen(addr)?
        };
        let addr = listener.local_addr()?;
        let tls = config.tls.is_some();
        let own = format!("{}://{addr}", if tls { "https" } else { "http" });
        simulator.set_hosted_base(config.public_url.as_deref().unwrap_or(&own));
        let deliveries = Deliveries::start(runtime.handle(), simulator.clone(), config.webhooks.clone());
        let app = Arc::new(App {
            simulator: simulator.clone(),
            faults,
            max_body_bytes: config.max_body_bytes,
            body_timeout: config.body_timeout,
            max_requests_per_connection: config.max_requests_per_connection,
            verbose: config.verbose,
        });
        let slots = Arc::new(Slots::new(config.max_connections, config.pressure_timeout));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = runtime.spawn(serve(listener, app, slots.clone(), config, async move {
            let _ = stopped.await;
        }));
        Ok(Server {
            addr,
            tls,
            simulator,
            slots,
            runtime: Some(runtime),
            deliveries,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Connections being served now.
    pub fn open_connections(&self) -> usize {
        self.slots.open()
    }

    /// Connections accepted so far (a TLS connection counts once, whatever its handshake did).
    pub fn accepted_connections(&self) -> u64 {
        self.slots.admitted_total()
    }

    /// Connections closed so far to make room for others (see [`slots`]).
    pub fn shed_connections(&self) -> u64 {
        self.slots.shed_total()
    }

    /// The address it listens on (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:12111` (`https://` with [`Config::tls`]): the base URL to give a
    /// client.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The simulator it serves.
    pub fn simulator(&self) -> &Arc<Simulator> {
        &self.simulator
    }

    /// Webhook delivery counts since the start.
    pub fn deliveries(&self) -> &DeliveryStats {
        self.deliveries.stats()
    }

    /// Blocks until SIGINT or SIGTERM (Ctrl-C elsewhere) and returns the signal's name.
    pub fn wait_for_signal(&self) -> io::Result<&'static str> {
        let runtime = self.runtime.as_ref().ok_or_else(|| io::Error::other("server stopped"))?;
        runtime.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                let mut term = signal(SignalKind::terminate())?;
                let mut int = signal(SignalKind::interrupt())?;
                tokio::select! {
                    _ = int.recv() => Ok("SIGINT"),
                    _ = term.recv() => Ok("SIGTERM"),
                }
            }
            #[cfg(not(unix))]
            {
                tokio::signal::ctrl_c().await?;
                Ok("Ctrl-C")
            }
        })
    }

    /// Stops accepting, lets requests in flight finish (up to [`Config::shutdown_grace`]),
    /// closes every connection and returns.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let (Some(runtime), Some(task)) = (self.runtime.as_ref(), self.task.take()) {
            let _ = runtime.block_on(task);
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// The address to bind; refuses one that is not loopback unless allowed.
pub fn resolve(host: &str, port: u16, allow_non_loopback: bool) -> io::Result<SocketAddr> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let candidates: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    if allow_non_loopback {
        return candidates
            .into_iter()
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{host} has no address")));
    }
    candidates.into_iter().find(|a| a.ip().is_loopback()).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("refusing to bind {host}: not a loopback address (pass --allow-non-loopback to insist)"),
        )
    })
}

fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Serves `listener` until `shutdown` completes, then drains the connections.
pub async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    slots: Arc<Slots>,
    config: Config,
    shutdown: impl Future<Output = ()>,
) {
    let mut shutdown = std::pin::pin!(shutdown);
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    if config.verbose {
                        eprintln!("identity-mock: accept failed: {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        // Accepted first, so that a full server knows someone waits and makes room.
        let ticket = tokio::select! {
            biased;
            () = &mut shutdown => break,
            ticket = slots.admit() => ticket,
        };
        let _ = stream.set_nodelay(true);
        let tracked = ticket.tracked().clone();
        let Some(tls) = &config.tls else {
            let connection = graceful.watch(serve_connection(stream, app.clone(), tracked.clone(), &config));
            tokio::spawn(async move {
                // Errors here are the client's (gone, malformed, too slow) or an injected drop;
                // either way the connection is closed and nobody else is affected. A connection
                // shed to make room is dropped, which closes it.
                tokio::select! {
                    _ = connection => {}
                    () = tracked.shed.notified() => {}
                }
                drop(ticket);
            });
            continue;
        };
        let (acceptor, app, watcher, config) =
            (tls.acceptor().clone(), app.clone(), graceful.watcher(), config.clone());
        tokio::spawn(async move {
            // The handshake has the time a request head has: a client that connects and says
            // nothing, or refuses the certificate, leaves without holding its slot.
            let handshake = tokio::time::timeout(config.header_timeout, acceptor.accept(stream));
            let served = async {
                let stream = match handshake.await {
                    Ok(Ok(stream)) => stream,
                    Ok(Err(e)) => {
                        if config.verbose {
                            eprintln!("identity-mock: TLS handshake failed: {e}");
                        }
                        return;
                    }
                    Err(_) => {
                        if config.verbose {
                            eprintln!("identity-mock: TLS handshake timed out");
                        }
                        return;
                    }
                };
                let _ = watcher.watch(serve_connection(stream, app, tracked.clone(), &config)).await;
            };
            tokio::select! {
                () = served => {}
                () = tracked.shed.notified() => {}
            }
            drop(ticket);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(config.shutdown_grace, graceful.shutdown()).await;
}

/// Largest request head (request line and headers) read; a longer one gets `431`. Also the
/// read buffer's limit, set here rather than left to hyper's default of the same size, which
/// bounded heads before (when they arrived in small reads): a 300 KB key is still read, and
/// refused as a key (`tests/hostile_input.rs`).
const MAX_REQUEST_HEAD: usize = 8192 + 4096 * 100;

/// Serves one connection on any byte stream, with the server's HTTP settings: what [`serve`]
/// does with each accepted TCP stream (write timeout, JSON answers to malformed HTTP, activity
/// for the slots in `tracked`), and what a test or fuzz target can do over an in-memory pipe
/// (`tokio::io::duplex`). The future ends when the peer closes or the connection fails.
pub fn serve_connection<I>(
    io: I,
    app: Arc<App>,
    tracked: Arc<slots::Tracked>,
    config: &Config,
) -> impl GracefulConnection<Error = hyper::Error> + Send
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true)
        // A client may shut down its write side after its last request (`shutdown(SHUT_WR)`,
        // `nc -N`); it is still answered, instead of losing the request in flight.
        .half_close(true)
        // The default, said here because the answer to more (431) names it.
        .max_headers(100)
        // Without it hyper refuses a head only once its read buffer fills while the head is
        // incomplete: a longer head that arrived in one large read was parsed, and answered, as
        // any request (a 500 KB head got 401 for its missing key, now and then).
        .max_header_size(MAX_REQUEST_HEAD)
        .max_buf_size(MAX_REQUEST_HEAD);
    let io = GuardedIo::new(io, tracked.clone(), config.write_timeout);
    let service = service_fn(move |req| {
        let app = app.clone();
        let tracked = tracked.clone();
        async move { app.handle(req, &tracked.activity).await }
    });
    builder.serve_connection(TokioIo::new(io), service)
}
