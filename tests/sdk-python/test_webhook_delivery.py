"""stripe-python 16.1.0 receivers of identity-mock's webhooks: an endpoint registered through
``client.v1.webhook_endpoints.create``, every delivery verified with
``stripe.Webhook.construct_event``, a failed first delivery retried, and a run where the
receiver fails deliveries at random."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import pytest
from sdk import stripe
from helpers import Mock, control

LIFECYCLE = [
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.requires_input",
    "identity.verification_session.processing",
    "identity.verification_session.verified",
    "identity.verification_session.redacted",
]


class Receiver:
    """A webhook receiver (``http.server`` in a thread); ``fail(n)`` says whether to answer the
    n-th delivery 500."""

    def __init__(self, fail: Callable[[int], bool]) -> None:
        self.secret = ""
        self.deliveries = 0
        self.refused = 0
        self.failed: set[str] = set()
        self.acked: Counter = Counter()
        self.events: dict[str, stripe.Event] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    n = receiver.deliveries
                    receiver.deliveries += 1
                try:
                    event = stripe.Webhook.construct_event(
                        body, self.headers.get("Stripe-Signature", ""), receiver.secret
                    )
                except (stripe.SignatureVerificationError, ValueError):
                    with receiver.lock:
                        receiver.refused += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver.lock:
                    if fail(n):
                        receiver.failed.add(event.id)
                        status = 500
                    else:
                        receiver.acked[event.id] += 1
                        receiver.events[event.id] = event
                        status = 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int) -> bool:
        """Polls until ``count`` events were acknowledged (at most 30 s)."""
        for _ in range(3000):
            with self.lock:
                if len(self.events) >= count:
                    return True
            time.sleep(0.01)
        return False


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for r in made:
        r.close()


def lifecycle(client: stripe.StripeClient) -> str:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document"})
    control(client, s.id, "submit")
    control(client, s.id, "fail", code="document_expired")
    control(client, s.id, "submit")
    control(client, s.id, "verify")
    sessions.redact(s.id)
    control(client, s.id, "complete_redaction")
    return s.id


def test_a_receiver_gets_every_event_of_a_lifecycle_verified_after_failing_the_first(
    start: Callable[..., Mock], receivers: list[Receiver]
) -> None:
    client = start("--webhook-retry-ms", "20", "--webhook-max-attempts", "10").client()
    receiver = Receiver(lambda n: n == 0)
    receivers.append(receiver)
    endpoint = client.v1.webhook_endpoints.create(params={"url": receiver.url, "enabled_events": ["*"]})
    assert endpoint.id.startswith("we_") and endpoint.secret.startswith("whsec_")
    receiver.secret = endpoint.secret
    assert "secret" not in client.v1.webhook_endpoints.retrieve(endpoint.id)

    session_id = lifecycle(client)
    assert receiver.wait_for(len(LIFECYCLE)), f"got {len(receiver.events)}"
    events = receiver.events.values()
    assert sorted(e.type for e in events) == sorted(LIFECYCLE)
    assert all(e.data.object.id == session_id for e in events)
    assert receiver.refused == 0
    assert len(receiver.failed) == 1 and receiver.failed <= set(receiver.events)
    assert all(n == 1 for n in receiver.acked.values())
    print(
        f"webhooks (stripe-python): {len(receiver.events)} events delivered, {receiver.deliveries} deliveries, "
        f"{receiver.deliveries - len(receiver.events)} retries, 0 lost, 0 duplicates"
    )
    deleted = client.v1.webhook_endpoints.delete(endpoint.id)
    assert (deleted.id, deleted.deleted) == (endpoint.id, True)


def test_a_receiver_failing_30_percent_of_deliveries_loses_no_event(
    start: Callable[..., Mock], receivers: list[Receiver]
) -> None:
    client = start("--webhook-retry-ms", "10", "--webhook-max-attempts", "30").client()
    draw = random.Random()
    receiver = Receiver(lambda n: draw.random() < 0.3)
    receivers.append(receiver)
    endpoint = client.v1.webhook_endpoints.create(params={"url": receiver.url, "enabled_events": ["*"]})
    receiver.secret = endpoint.secret
    runs = 10
    for _ in range(runs):
        lifecycle(client)
    want = runs * len(LIFECYCLE)
    assert receiver.wait_for(want), f"got {len(receiver.events)} of {want}"
    assert receiver.refused == 0
    duplicates = sum(1 for n in receiver.acked.values() if n > 1)
    assert duplicates == 0
    assert receiver.deliveries > want, "faults were injected"
    print(
        f"webhooks under faults (stripe-python): {want} events, {receiver.deliveries} deliveries, "
        f"{receiver.deliveries - want} redeliveries of {len(receiver.failed)} failed events, 0 lost, "
        f"{duplicates} duplicates"
    )
