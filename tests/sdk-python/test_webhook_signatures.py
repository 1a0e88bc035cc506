"""stripe-python 16.1.0 and this library, on webhook signatures and events.

- stripe-python's ``Webhook.construct_event`` accepts headers this library signs (Rust core,
  through ``target/debug/examples/webhook_interop``, which every binding calls) and rejects
  tampered ones;
- this library accepts headers stripe-python makes (``generate_signature_header``, and a rolled
  header built with ``_compute_signature``): the Rust core here, and the Python and Node
  bindings when their suites have built them (``.venv-py``, the Node addon);
- ``client.v1.events.list(params={"type": ...})`` answers the right events from identity-mock.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import List

import pytest
from sdk import stripe

from helpers import control

REPO = Path(__file__).resolve().parents[2]
INTEROP = Path(os.environ.get("WEBHOOK_INTEROP", REPO / "target" / "debug" / "examples" / "webhook_interop"))
SECRET = "whsec_peer_python"
VERIFIED = "identity.verification_session.verified"


def ours_sign(payload: str, timestamp: int) -> str:
    out = subprocess.run(
        [str(INTEROP), "sign", SECRET, str(timestamp)],
        input=payload.encode(),
        capture_output=True,
        check=True,
    )
    return out.stdout.decode().strip()


def ours_verify(payload: str, header: str) -> str:
    """'' when this library (Rust core) accepts the header, else its error message."""
    out = subprocess.run(
        [str(INTEROP), "verify", SECRET, header, "300"], input=payload.encode(), capture_output=True
    )
    assert out.returncode in (0, 1), out.stderr
    return "" if out.returncode == 0 else out.stdout.decode().strip()


def events_of_a_lifecycle(client: stripe.StripeClient) -> List[str]:
    s = client.v1.identity.verification_sessions.create(params={"type": "document"})
    control(client, s.id, "submit")
    control(client, s.id, "verify")
    page = client.v1.events.list(params={"limit": 3})
    return [json.dumps(e.to_dict()) for e in page.data]


def test_events_list_by_type_answers_the_right_events(fresh: stripe.StripeClient) -> None:
    ids = []
    for _ in range(2):
        s = fresh.v1.identity.verification_sessions.create(params={"type": "document"})
        control(fresh, s.id, "submit")
        control(fresh, s.id, "verify")
        ids.append(s.id)
    s = fresh.v1.identity.verification_sessions.create(params={"type": "document"})
    control(fresh, s.id, "submit")
    page = fresh.v1.events.list(params={"type": VERIFIED})
    assert [e.type for e in page.data] == [VERIFIED, VERIFIED]
    assert [e.data.object.id for e in page.data] == list(reversed(ids))
    assert all(e.data.object.status == "verified" for e in page.data)
    one = fresh.v1.events.retrieve(page.data[0].id)
    assert one.id == page.data[0].id and one.type == VERIFIED
    every = [e.type for e in fresh.v1.events.list(params={"limit": 2}).auto_paging_iter()]
    assert len(every) == 8 and every[0] == "identity.verification_session.processing"


def test_stripe_python_accepts_what_this_library_signs(fresh: stripe.StripeClient) -> None:
    payloads = events_of_a_lifecycle(fresh)
    assert payloads
    now = int(time.time())
    for payload in payloads:
        header = ours_sign(payload, now)
        event = stripe.Webhook.construct_event(payload, header, SECRET)
        assert event.type.startswith("identity.verification_session.")
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(payload.replace("}", " }", 1), header, SECRET)
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(payload, header, "whsec_other")
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(payload, ours_sign(payload, now - 301), SECRET)


def test_this_library_accepts_what_stripe_python_signs(fresh: stripe.StripeClient) -> None:
    payloads = events_of_a_lifecycle(fresh)
    now = int(time.time())
    for payload in payloads:
        header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
        assert ours_verify(payload, header) == ""
        sig = stripe.WebhookSignature._compute_signature(f"{now}.{payload}", SECRET)
        rolled = f"t={now},v1={'0' * 64},v0={sig},v1={sig}"
        assert ours_verify(payload, rolled) == ""
        assert ours_verify(payload + " ", header).startswith("No signatures found matching")
        old = stripe.WebhookSignature.generate_signature_header(payload, SECRET, timestamp=now - 301)
        assert ours_verify(payload, old).startswith("Timestamp outside the tolerance zone")


def test_the_bindings_accept_what_stripe_python_signs(fresh: stripe.StripeClient) -> None:
    payload = events_of_a_lifecycle(fresh)[0]
    header = stripe.WebhookSignature.generate_signature_header(payload, SECRET)
    ran = 0
    venv_py = REPO / ".venv-py" / "bin" / "python"
    if venv_py.exists():
        code = (
            "import sys, stripe_identity as si\n"
            "e = si.Webhook.construct_event(sys.stdin.buffer.read(), sys.argv[1], sys.argv[2])\n"
            "assert e.data.object.object == 'identity.verification_session'\n"
            "try:\n"
            "    si.Webhook.construct_event(b'{}', sys.argv[1], sys.argv[2])\n"
            "    sys.exit(3)\n"
            "except si.SignatureVerificationError:\n"
            "    pass\n"
        )
        subprocess.run([str(venv_py), "-c", code, header, SECRET], input=payload.encode(), check=True)
        ran += 1
    addon = list((REPO / "bindings-node").glob("stripe-identity.*.node"))
    if addon:
        code = (
            "const { webhooks, StripeSignatureVerificationError } = require(process.argv[1]);"
            "const body = require('fs').readFileSync(0);"
            "const e = webhooks.constructEvent(body, process.argv[2], process.argv[3]);"
            "if (e.data.object.object !== 'identity.verification_session') process.exit(3);"
            "try { webhooks.constructEvent('{}', process.argv[2], process.argv[3]); process.exit(4); }"
            "catch (x) { if (!(x instanceof StripeSignatureVerificationError)) throw x; }"
        )
        subprocess.run(
            ["node", "-e", code, str(REPO / "bindings-node"), header, SECRET],
            input=payload.encode(),
            check=True,
        )
        ran += 1
    if ran == 0:
        pytest.skip("neither the Python binding (.venv-py) nor the Node addon is built here")
