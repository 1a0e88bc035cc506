"""Answers as StripeObjects: attribute and item access, nesting, null, to_dict, repr,
equality, copying."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import stripe_identity as si


@pytest.fixture
def session() -> si.VerificationSession:
    client = si.Client.local()
    return client.identity.verification_sessions.create(
        type="document",
        options={"document": {"require_matching_selfie": True, "allowed_types": ["passport"]}},
        metadata={"order": "42"},
    )


def test_attribute_and_item_access_agree(session: si.VerificationSession) -> None:
    for key in session:
        assert getattr(session, key) == session[key]
    assert session.options.document.require_matching_selfie is True
    assert session["options"]["document"]["require_matching_selfie"] is True
    assert session.options["document"].allowed_types == ["passport"]


def test_null_is_none_and_missing_fields_raise(session: si.VerificationSession) -> None:
    assert session.last_error is None
    assert session["redaction"] is None
    with pytest.raises(AttributeError):
        session.no_such_field
    with pytest.raises(KeyError):
        session["no_such_field"]
    assert session.get("no_such_field") is None
    assert not hasattr(session, "__no_such_dunder__")


def test_nested_objects_have_their_classes(session: si.VerificationSession) -> None:
    assert isinstance(session, si.StripeObject)
    assert isinstance(session, dict)
    assert type(session.options) is si.VerificationSession.Options
    assert isinstance(session.options.document, si.StripeObject)
    assert type(session.metadata) is si.StripeObject


def test_to_dict_gives_plain_data(session: si.VerificationSession) -> None:
    d = session.to_dict()
    assert type(d) is dict
    assert type(d["options"]) is dict
    assert type(d["options"]["document"]) is dict
    assert d["options"]["document"]["allowed_types"] == ["passport"]
    assert d == session
    assert json.loads(json.dumps(d)) == d


def test_repr_and_str_are_readable(session: si.VerificationSession) -> None:
    text = repr(session)
    assert text.startswith(f"<VerificationSession identity.verification_session id={session.id} at 0x")
    assert '"status": "requires_input"' in text
    assert json.loads(str(session)) == session.to_dict()


def test_equality_is_by_content(session: si.VerificationSession) -> None:
    client = si.Client.local()
    again = client.identity.verification_sessions  # another simulator: other ids
    assert session == copy.deepcopy(session)
    assert session == pickle.loads(pickle.dumps(session))
    assert type(pickle.loads(pickle.dumps(session))) is si.VerificationSession
    other = again.create(type="document")
    assert session != other
    assert copy.copy(session) == session


def test_fields_can_be_set_as_attributes(session: si.VerificationSession) -> None:
    session.metadata = {"x": "1"}
    assert session["metadata"] == {"x": "1"}
    del session.metadata
    assert "metadata" not in session
    assert "status" in dir(session)


def test_list_object_shape() -> None:
    client = si.Client.local()
    vs = client.identity.verification_sessions
    empty = vs.list()
    assert empty.data == [] and empty.has_more is False and bool(empty) is True
    assert list(empty) == [] and len(empty) == 0
    assert empty.to_dict() == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": "/v1/identity/verification_sessions",
    }
    vs.create(type="document")
    page = vs.list()
    assert isinstance(page.data[0], si.VerificationSession)
    assert type(page.to_dict()["data"][0]) is dict
    assert "<ListObject list" in repr(page)


def test_a_list_not_fetched_by_a_client_cannot_page() -> None:
    with pytest.raises(ValueError):
        list(si.ListObject().auto_paging_iter())
