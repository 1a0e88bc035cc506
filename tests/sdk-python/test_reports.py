"""stripe-python 16.1.0 against identity-mock: VerificationReports retrieved and listed."""

from __future__ import annotations

from typing import List

from sdk import stripe

from helpers import control


def attempts(client: stripe.StripeClient) -> List[str]:
    """A session failed once then verified; its two reports' ids, newest first."""
    s = client.v1.identity.verification_sessions.create(params={"type": "document"})
    control(client, s.id, "submit")
    failed = control(client, s.id, "fail", code="document_expired")
    control(client, s.id, "submit")
    verified = control(client, s.id, "verify")
    return [verified.last_verification_report, failed.last_verification_report]


def test_retrieve_and_expand(fresh: stripe.StripeClient) -> None:
    newest, oldest = attempts(fresh)
    reports = fresh.v1.identity.verification_reports
    report = reports.retrieve(oldest)
    assert report.object == "identity.verification_report"
    assert report.document.status == "unverified"
    assert report.document.error.code == "document_expired"
    assert "dob" not in report.document
    expanded = reports.retrieve(newest, params={"expand": ["document", "document.dob"]})
    assert expanded.document.dob.year == 1901


def test_list_filters_and_auto_paging(fresh: stripe.StripeClient) -> None:
    first = attempts(fresh)
    second = attempts(fresh)
    reports = fresh.v1.identity.verification_reports
    page = reports.list(params={"limit": 3})
    assert page.url == "/v1/identity/verification_reports"
    assert [r.id for r in page.data] == second + first[:1] and page.has_more is True
    session = reports.retrieve(first[0]).verification_session
    page = reports.list(params={"verification_session": session, "type": "document"})
    assert [r.id for r in page.data] == first
    assert [r.id for r in reports.list(params={"limit": 1}).auto_paging_iter()] == second + first
