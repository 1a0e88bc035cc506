//! One connection's socket as hyper sees it: it records the connection's [`Activity`] for the
//! slots, bounds how long an answer may wait for a client that does not read, and replaces
//! hyper's empty answers to malformed HTTP with JSON ones ([`crate::malformed`]).

use crate::malformed::{Answers, Plan};
use crate::slots::Tracked;
use bytes::Bytes;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// The socket of one connection: a TCP stream, or any byte stream (an in-memory pipe in tests
/// and fuzzing).
#[derive(Debug)]
pub struct GuardedIo<S = TcpStream> {
    inner: S,
    tracked: Arc<Tracked>,
    answers: Answers,
    /// Bytes to write before anything else: a head that came in pieces, or a JSON answer.
    pending: Bytes,
    write_timeout: Duration,
    /// Armed when the socket first refuses bytes of an answer; disarmed when the answer is
    /// whole in the socket.
    deadline: Option<Pin<Box<Sleep>>>,
    armed: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> GuardedIo<S> {
    /// Wraps an accepted stream.
    pub fn new(inner: S, tracked: Arc<Tracked>, write_timeout: Duration) -> GuardedIo<S> {
        GuardedIo {
            inner,
            tracked,
            answers: Answers::default(),
            pending: Bytes::new(),
            write_timeout,
            deadline: None,
            armed: false,
        }
    }

    /// Called when the socket refused bytes: fails once the answer has waited too long.
    fn check_deadline(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let timeout = self.write_timeout;
        let deadline = self.deadline.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if !self.armed {
            deadline.as_mut().reset(Instant::now() + timeout);
            self.armed = true;
        }
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client did not read its answer within {} ms", timeout.as_millis()),
            )),
            Poll::Pending => Ok(()),
        }
    }

    /// Writes out `pending`.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            match Pin::new(&mut self.inner).poll_write(cx, &self.pending) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    let _ = self.pending.split_to(n);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => {
                    self.check_deadline(cx)?;
                    return Poll::Pending;
                }
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for GuardedIo<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.tracked.activity.bytes_read();
        }
        result
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for GuardedIo<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        ready!(this.poll_pending(cx))?;
        match this.answers.plan(buf) {
            Plan::Pass(n) => match Pin::new(&mut this.inner).poll_write(cx, &buf[..n]) {
                Poll::Ready(Ok(written)) => {
                    let progress = this.answers.advance(&buf[..n], written);
                    if progress.finished {
                        // That answer is whole in the socket; the next one gets its own time.
                        this.armed = false;
                    }
                    if progress.within {
                        this.tracked.activity.sending();
                    } else if progress.finished {
                        this.tracked.activity.sent();
                    }
                    Poll::Ready(Ok(written))
                }
                Poll::Pending => {
                    this.check_deadline(cx)?;
                    Poll::Pending
                }
                other => other,
            },
            Plan::Replace { consumed, out } => {
                if !out.is_empty() {
                    this.tracked.activity.sending();
                }
                this.pending = out;
                Poll::Ready(Ok(consumed))
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_pending(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}
