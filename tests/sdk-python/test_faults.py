"""stripe-python 16.1.0 retries through identity-mock's injected faults, and idempotency keys
keep every create single: dropped-after-acting requests replay instead of creating twice."""

from __future__ import annotations

from typing import Callable

import pytest
from sdk import stripe

from helpers import Mock


def test_retries_with_the_same_key_create_each_session_once(start: Callable[..., Mock]) -> None:
    faulty = start("--fault-rate", "0.3", "--fault-seed", "1234")
    client = faulty.client(max_network_retries=10)
    sessions = client.v1.identity.verification_sessions
    created = [sessions.create(params={"type": "document", "metadata": {"n": str(i)}}) for i in range(25)]
    assert len({s.id for s in created}) == 25
    listed = [s for s in sessions.list(params={"limit": 100}).auto_paging_iter()]
    # Nothing was created twice, though some creates acted and then lost their answer.
    assert sorted(s.metadata["n"] for s in listed) == sorted(str(i) for i in range(25))


def test_without_retries_the_faults_surface_as_sdk_errors(start: Callable[..., Mock]) -> None:
    seen = set()
    for kind, error in (
        ("500", stripe.APIError),
        ("503", stripe.APIError),
        ("429", stripe.RateLimitError),
        ("drop_before", stripe.APIConnectionError),
        ("drop_after", stripe.APIConnectionError),
    ):
        faulty = start("--fault-rate", "1", "--faults", kind)
        with pytest.raises(error) as caught:
            faulty.client(max_network_retries=0).v1.identity.verification_sessions.list()
        if kind == "429":
            assert caught.value.json_body["error"]["code"] == "lock_timeout"
        seen.add(kind)
    assert len(seen) == 5
