//! One write per request.
//!
//! ureq hands a request's head and its body to the transport in two calls, so a POST leaves in
//! two TCP segments (two TLS records over HTTPS). The server then wakes up for the head, finds
//! no body yet, and waits again for the second segment: one more wake-up per call, which on a
//! loopback or a busy host costs about as much as the rest of the round trip (a bare socket
//! measured here: 14,000 POSTs/s in two writes, 26,000–33,000 in one).
//!
//! [`Coalesce`] is the last link of the connector chain. Its transport holds back a request head
//! whose body is still to come (a `Content-Length` larger than zero, and room for the body in
//! the output buffer) and sends head and body together when the body arrives. Everything else
//! goes through at once, unchanged.

use std::fmt;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport,
};
use ureq::Error;

/// The connector that wraps each new connection in a [`CoalescingTransport`].
#[derive(Debug, Default)]
pub(crate) struct Coalesce;

impl<In: Transport> Connector<In> for Coalesce {
    type Out = CoalescingTransport;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        let config = details.config;
        Ok(chained.map(|inner| CoalescingTransport {
            inner: Box::new(inner),
            // Input (and the scratch space ureq reads a body into) lives here; the output of
            // `LazyBuffers` is not used, so it gets the smallest size.
            input: LazyBuffers::new(config.input_buffer_size(), 1),
            output: Vec::new(),
            output_size: config.output_buffer_size(),
            held: 0,
            whole: 0,
        }))
    }
}

/// A transport whose output keeps a head back until its body follows.
///
/// It has buffers of its own (ureq's `Buffers` lends input through `&self`, which a wrapper
/// cannot get from the transport it wraps): output is copied into the inner transport's buffer
/// when it is sent, input out of it when it arrives. Both are a few kilobytes per call, next to
/// a system call each.
pub(crate) struct CoalescingTransport {
    inner: Box<dyn Transport>,
    input: LazyBuffers,
    /// Allocated on first use, as ureq's own buffers are.
    output: Vec<u8>,
    output_size: usize,
    /// Bytes at the start of `output` handed over by ureq but not sent yet (a head).
    held: usize,
    /// While a head is held: the length of that head and its whole body, so that the body's
    /// arrival is seen without reading the head again.
    whole: usize,
}

impl fmt::Debug for CoalescingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CoalescingTransport").field("inner", &self.inner).field("held", &self.held).finish()
    }
}

impl Transport for CoalescingTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let total = self.held + amount;
        let whole = if self.held > 0 { self.whole } else { awaited(&self.output[..total], self.output_size) };
        if total < whole {
            (self.held, self.whole) = (total, whole);
            return Ok(());
        }
        (self.held, self.whole) = (0, 0);
        let mut sent = 0;
        while sent < total {
            let inner_output = self.inner.buffers().output();
            let n = (total - sent).min(inner_output.len());
            inner_output[..n].copy_from_slice(&self.output[sent..sent + n]);
            self.inner.transmit_output(n, timeout)?;
            sent += n;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        // What did not fit here last time is taken before reading more.
        if self.inner.buffers().input().is_empty() && !self.inner.await_input(timeout)? {
            return Ok(false);
        }
        let arrived = self.inner.buffers().input();
        let room = self.input.input_append_buf();
        let n = arrived.len().min(room.len());
        room[..n].copy_from_slice(&arrived[..n]);
        self.input.input_appended(n);
        self.inner.buffers().input_consume(n);
        Ok(n > 0)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

impl CoalescingTransport {
    /// Allocates the output when first needed.
    fn ensure_output(&mut self) {
        if self.output.len() < self.output_size {
            self.output.resize(self.output_size, 0);
        }
    }
}

impl Buffers for CoalescingTransport {
    fn output(&mut self) -> &mut [u8] {
        self.ensure_output();
        &mut self.output[self.held..]
    }

    fn input(&self) -> &[u8] {
        self.input.input()
    }

    fn input_append_buf(&mut self) -> &mut [u8] {
        self.input.input_append_buf()
    }

    fn input_appended(&mut self, amount: usize) {
        self.input.input_appended(amount)
    }

    fn input_consume(&mut self, amount: usize) {
        self.input.input_consume(amount)
    }

    fn tmp_and_output(&mut self) -> (&mut [u8], &mut [u8]) {
        self.ensure_output();
        let (tmp, _) = self.input.tmp_and_output();
        (tmp, &mut self.output[self.held..])
    }

    fn can_use_input(&self) -> bool {
        self.input.can_use_input()
    }
}

/// When `sent` (what ureq has handed over for this request so far) starts with a complete head
/// whose body will fit in an output buffer of `capacity` bytes: the length of head and body
/// together, for which the head is held back. Otherwise 0: send what there is.
///
/// It runs on every request, so it is cheap where it can be: this client sends a body only with
/// a POST, and a request of any other method goes at once without a look at its head (were one
/// ever to carry a body, it would only leave in two writes, as it would without this transport).
fn awaited(sent: &[u8], capacity: usize) -> usize {
    if !sent.starts_with(b"POST ") {
        return 0;
    }
    let Some(end) = memchr::memmem::find(sent, b"\r\n\r\n") else { return 0 };
    let whole = match content_length(&sent[..end]) {
        Some(body_len) if body_len > 0 => end + 4 + body_len,
        _ => return 0,
    };
    if whole <= capacity {
        whole
    } else {
        0
    }
}

/// Whether `sent` is a complete head whose body has not fully arrived yet and will fit in an
/// output buffer of `capacity` bytes.
#[cfg(test)]
fn awaits_body(sent: &[u8], capacity: usize) -> bool {
    sent.len() < awaited(sent, capacity)
}

/// The `Content-Length` of a head, when it has one and no `Transfer-Encoding`. Lines are found
/// with `memchr` and only their names compared, as a head of a dozen lines is read on every POST.
fn content_length(head: &[u8]) -> Option<usize> {
    let mut length = None;
    let mut start = memchr::memchr(b'\n', head)? + 1;
    while start < head.len() {
        let end = memchr::memchr(b'\n', &head[start..]).map_or(head.len(), |i| start + i);
        let line = &head[start..end];
        start = end + 1;
        if let Some(value) = header_value(line, b"content-length") {
            length = std::str::from_utf8(value).ok()?.trim().parse().ok();
        } else if header_value(line, b"transfer-encoding").is_some() {
            return None;
        }
    }
    length
}

/// The value of a head's line when it is the header `name` (given in lower case).
fn header_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let named = line.len() > name.len() && line[name.len()] == b':';
    if !named || !line[..name.len()].eq_ignore_ascii_case(name) {
        return None;
    }
    let value = &line[name.len() + 1..];
    Some(value.strip_suffix(b"\r").unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// An inner transport that records what each of its writes carried.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        writes: Arc<Mutex<Vec<Vec<u8>>>>,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), Error> {
            self.writes.lock().unwrap().push(self.buffers.output()[..amount].to_vec());
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, Error> {
            Ok(false)
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }

    /// Hands `pieces` to a coalescing transport as ureq would, and gives what went out in
    /// each write.
    fn written(pieces: &[&[u8]]) -> Vec<Vec<u8>> {
        let writes = Arc::new(Mutex::new(Vec::new()));
        let inner = Recorder { buffers: LazyBuffers::new(1024, 1024), writes: writes.clone() };
        let mut t = CoalescingTransport {
            inner: Box::new(inner),
            input: LazyBuffers::new(1024, 1),
            output: Vec::new(),
            output_size: 1024,
            held: 0,
            whole: 0,
        };
        for piece in pieces {
            t.buffers().output()[..piece.len()].copy_from_slice(piece);
            t.transmit_output(piece.len(), NextTimeout::default()).unwrap();
        }
        let writes = writes.lock().unwrap().clone();
        writes
    }

    #[test]
    fn a_body_in_pieces_leaves_with_its_head_in_one_write() {
        let whole = [HEAD, b"type=document"].concat();
        assert_eq!(written(&[HEAD, b"type=", b"document"]), std::slice::from_ref(&whole));
        assert_eq!(written(&[HEAD, b"type=document"]), [whole]);
        // What follows a sent request is looked at afresh.
        let get: &[u8] = b"GET /v1/x HTTP/1.1\r\nhost: x\r\n\r\n";
        assert_eq!(written(&[HEAD, b"type=document", get]).len(), 2);
        assert_eq!(written(&[get, get]), [get, get]);
    }

    const HEAD: &[u8] = b"POST /v1/identity/verification_sessions HTTP/1.1\r\nhost: x\r\n\
        content-type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\n";

    #[test]
    fn a_head_waits_for_its_body_only() {
        assert!(awaits_body(HEAD, 1 << 16));
        let whole = [HEAD, b"type=document"].concat();
        assert!(!awaits_body(&whole, 1 << 16), "head and body go together");
        assert!(awaits_body(&whole[..whole.len() - 1], 1 << 16), "a body still arriving waits");
        assert!(!awaits_body(HEAD, HEAD.len() + 12), "a body that cannot fit is not waited for");
        assert!(!awaits_body(b"GET /v1/x HTTP/1.1\r\nhost: x\r\n\r\n", 1 << 16));
        assert!(!awaits_body(b"POST /v1/x HTTP/1.1\r\ncontent-length: 0\r\n\r\n", 1 << 16));
        assert!(!awaits_body(b"POST /v1/x HTTP/1.1\r\ncontent-length: 5\r\n", 1 << 16), "no head yet");
        assert!(!awaits_body(
            b"POST /v1/x HTTP/1.1\r\ntransfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n",
            1 << 16
        ));
    }
}
