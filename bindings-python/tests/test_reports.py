"""VerificationReports on both backends: retrieve, list with filters, auto-paging, expand; and
the native pager taking no parameters at all (``None``)."""

from __future__ import annotations

from typing import List

import pytest

import stripe_identity as si


def attempts(client: si.Client, **create: object) -> List[str]:
    """A session failed once then verified; its two reports' ids, newest first."""
    s = client.identity.verification_sessions.create(type="document", **create)  # type: ignore[arg-type]
    helpers = client.test_helpers.identity.verification_sessions
    helpers.submit(s.id)
    failed = helpers.fail(s.id, "document_expired")
    helpers.submit(s.id)
    verified = helpers.verify(s.id)
    return [verified.last_verification_report, failed.last_verification_report]


def test_retrieve_and_expand(client: si.Client) -> None:
    newest, oldest = attempts(client)
    reports = client.identity.verification_reports
    report = reports.retrieve(oldest)
    assert isinstance(report, si.VerificationReport)
    assert report.document.status == "unverified"
    assert report.document.error.code == "document_expired"
    assert "dob" not in report.document
    expanded = reports.retrieve(newest, expand=["document", "document.dob"])
    assert expanded.document.dob.year == 1901
    with pytest.raises(si.InvalidRequestError) as e:
        reports.retrieve("vr_missing")
    assert (e.value.http_status, e.value.param) == (404, "report")


def test_list_filters_and_auto_paging(client: si.Client) -> None:
    first = attempts(client, client_reference_id="first")
    second = attempts(client)
    reports = client.identity.verification_reports
    page = reports.list(limit=3)
    assert page.url == "/v1/identity/verification_reports"
    assert [r.id for r in page] == second + first[:1] and page.has_more is True
    assert [r.id for r in reports.list(client_reference_id="first")] == first
    session = reports.retrieve(first[0]).verification_session
    assert [r.id for r in reports.list(verification_session=session, type="document")] == first
    assert [r.id for r in reports.list(limit=1).auto_paging_iter()] == second + first
    backwards = reports.list(limit=1, ending_before=first[1]).auto_paging_iter()
    assert [r.id for r in backwards] == [first[0], *reversed(second)]
    with pytest.raises(TypeError):
        reports.list(limit="ten")  # type: ignore[arg-type]


def test_the_native_pager_takes_none_as_no_parameters(client: si.Client) -> None:
    attempts(client)
    native = client._native
    for operation, count in [("list", 1), ("list_reports", 2)]:
        pages = list(native.list_pages(None, operation=operation))
        assert sum(len(p["data"]) for p in pages) == count
    with pytest.raises(ValueError):
        native.list_pages(None, operation="no_such_operation")
    with pytest.raises(ValueError):  # an operation that is not a list: the core refuses it
        native.list_pages(None, operation="create")
