"""stripe-python 16.1.0 against identity-mock: list, every filter, auto-pagination both ways."""

from __future__ import annotations

import time
from typing import List

from sdk import stripe

from helpers import control


def make(client: stripe.StripeClient, n: int, **params: object) -> List[str]:
    sessions = client.v1.identity.verification_sessions
    return [sessions.create(params={"type": "document", **params}).id for _ in range(n)]


def ids(page: stripe.ListObject) -> List[str]:
    return [s.id for s in page.data]


def test_list_shape_and_order(fresh: stripe.StripeClient) -> None:
    created = make(fresh, 3)
    page = fresh.v1.identity.verification_sessions.list()
    assert page.object == "list"
    assert page.url == "/v1/identity/verification_sessions"
    assert page.has_more is False
    assert ids(page) == list(reversed(created))  # newest first


def test_limit_and_cursors(fresh: stripe.StripeClient) -> None:
    sessions = fresh.v1.identity.verification_sessions
    created = list(reversed(make(fresh, 7)))  # newest first, as listed
    page = sessions.list(params={"limit": 3})
    assert ids(page) == created[:3] and page.has_more is True
    page = sessions.list(params={"limit": 3, "starting_after": created[2]})
    assert ids(page) == created[3:6] and page.has_more is True
    page = sessions.list(params={"limit": 3, "starting_after": created[5]})
    assert ids(page) == created[6:] and page.has_more is False
    page = sessions.list(params={"limit": 2, "ending_before": created[4]})
    assert ids(page) == created[2:4] and page.has_more is True


def test_auto_pagination_over_more_than_two_pages(fresh: stripe.StripeClient) -> None:
    created = list(reversed(make(fresh, 25)))
    sessions = fresh.v1.identity.verification_sessions
    seen = [s.id for s in sessions.list(params={"limit": 7}).auto_paging_iter()]
    assert seen == created  # 4 pages
    # Backwards from the oldest: oldest first.
    backwards = [
        s.id for s in sessions.list(params={"limit": 4, "ending_before": created[-1]}).auto_paging_iter()
    ]
    assert backwards == list(reversed(created[:-1]))


def test_every_filter(fresh: stripe.StripeClient) -> None:
    sessions = fresh.v1.identity.verification_sessions
    a = make(fresh, 2, client_reference_id="ref-a")
    b = make(fresh, 3, client_reference_id="ref-b", related_customer="cus_B")
    c = sessions.create(params={"type": "id_number", "related_customer_account": "acct_C"}).id

    def listed(**params: object) -> set:
        return {s.id for s in sessions.list(params={"limit": 100, **params}).auto_paging_iter()}

    assert listed(client_reference_id="ref-a") == set(a)
    assert listed(related_customer="cus_B") == set(b)
    assert listed(related_customer_account="acct_C") == {c}

    control(fresh, b[0], "submit")
    control(fresh, b[1], "submit")
    control(fresh, b[1], "verify")
    sessions.cancel(a[0])
    assert listed(status="processing") == {b[0]}
    assert listed(status="verified") == {b[1]}
    assert listed(status="canceled") == {a[0]}
    assert listed(status="requires_input") == {a[1], b[2], c}

    everything = set(a) | set(b) | {c}
    now = int(time.time())
    created = sessions.retrieve(c).created
    assert listed(created={"gte": now - 600}) == everything
    assert listed(created={"gt": now + 600}) == set()
    assert listed(created={"lt": now + 600, "lte": now + 600}) == everything
    assert c in listed(created=created)


def test_list_with_expand_on_data(fresh: stripe.StripeClient) -> None:
    sessions = fresh.v1.identity.verification_sessions
    sid = make(fresh, 1)[0]
    control(fresh, sid, "submit")
    control(fresh, sid, "verify")
    page = sessions.list(params={"expand": ["data.verified_outputs", "data.last_verification_report"]})
    assert page.data[0].verified_outputs is not None
    assert page.data[0].last_verification_report.object == "identity.verification_report"
