"""Checked by mypy (strict) in the test run, never executed: the types a user sees.

Each ``# type: ignore[code]`` below marks a mistake the stubs must catch; with
``warn_unused_ignores`` (strict), a stub that stopped catching it fails the check.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Union

import stripe_identity as si


def typed_usage() -> None:
    client: si.Client = si.Client.local()
    remote = si.Client(
        "sk_test_123",
        base_url="http://127.0.0.1:12111",
        max_network_retries=2,
        timeout=80.0,
        stripe_version=si.API_VERSION,
        stripe_account="acct_1",
    )
    assert remote.is_local is False
    vs: si.VerificationSessionService = client.identity.verification_sessions
    s: si.VerificationSession = vs.create(
        type="document",
        options={"document": {"require_matching_selfie": True, "allowed_types": ["passport"]}},
        metadata={"order": "42"},
        client_reference_id="user_42",
        idempotency_key="order-42-verify",
    )
    sid: str = s.id
    status: str = s.status
    selfie: Optional[bool] = (
        s.options.document.require_matching_selfie if s.options and s.options.document else None
    )
    secret: Optional[str] = s.client_secret
    meta: Dict[str, str] = s.metadata
    report: Optional[Union[str, si.VerificationReport]] = s.last_verification_report
    as_dict: Dict[str, object] = s.to_dict()
    item: object = s["status"]
    s = vs.retrieve(sid, expand=["verified_outputs"])
    if s.verified_outputs is not None and s.verified_outputs.address is not None:
        city: Optional[str] = s.verified_outputs.address.city
    s = vs.update(sid, metadata="")
    s = vs.cancel(sid, stripe_account="acct_1")
    s = vs.redact(sid, stripe_version="2026-10-28.endive")
    page: si.ListObject[si.VerificationSession] = vs.list(
        limit=3, status="requires_input", created={"gte": 1700000000}
    )
    data: List[si.VerificationSession] = page.data
    more: bool = page.has_more
    it: Iterator[si.VerificationSession] = page.auto_paging_iter()
    for each in page:
        each_id: str = each.id
    helpers = client.test_helpers.identity.verification_sessions
    s = helpers.submit(sid)
    s = helpers.fail(sid, code="document_expired", reason=None)
    s = helpers.verify(sid)
    s = helpers.complete_redaction(sid)
    try:
        vs.retrieve("vs_missing")
    except si.StripeError as e:
        fields = (e.message, e.http_status, e.code, e.param, e.error_type, e.request_id, e.json_body)


def mistakes_the_stubs_catch() -> None:
    vs = si.Client.local().identity.verification_sessions
    vs.create(type="passport")  # type: ignore[arg-type]
    vs.create(metadata=42)  # type: ignore[arg-type]
    vs.create(colour="blue")  # type: ignore[call-arg]
    vs.list(limit="ten")  # type: ignore[arg-type]
    vs.retrieve(42)  # type: ignore[arg-type]
    vs.retrieve("vs_1", idempotency_key=1)  # type: ignore[arg-type]
    si.Client(api_key=None)  # type: ignore[arg-type]
    si.Client("sk_test_1", timeout="fast")  # type: ignore[arg-type]
    s = vs.create(type="document")
    s.status.no_such_method()  # type: ignore[attr-defined]
    n: int = s.url  # type: ignore[assignment]


async def the_drop_in_form() -> None:
    client = si.StripeClient.local()
    vs = client.v1.identity.verification_sessions
    s: si.VerificationSession = vs.create(params={"type": "document"}, options={"idempotency_key": "k"})
    s = await vs.retrieve_async(s.id, params={"expand": ["verified_outputs"]})
    page: si.ListObject[si.VerificationSession] = await vs.list_async({"limit": 3})
    async for each in page.auto_paging_iter():
        each_id: str = each.id
    response = s.last_response
    if response is not None:
        code: int = response.code
        request_id: Optional[str] = response.request_id
        header: Optional[str] = response.headers.get("idempotency-key")
    report: si.VerificationReport = await client.v1.identity.verification_reports.retrieve_async("vr_1")
    events: si.ListObject[si.Event] = await client.v1.events.list_async({"type": "*"})
    session = await si.Client.local().identity.verification_sessions.create_async(type="document")
    await si.Client.local().test_helpers.identity.verification_sessions.submit_async(session.id)
    try:
        await vs.cancel_async(s.id)
    except si.StripeError as e:
        more = (e.headers.get("request-id"), e.user_message, e.error, e.http_body)
    vs.create(params={"type": "passport"})  # type: ignore[arg-type]
    vs.create(options={"idempotency": "k"})  # type: ignore[arg-type]
