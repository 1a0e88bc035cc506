"""Webhook endpoints on both backends: create (the only answer with the secret), retrieve,
update, list with auto-paging, delete, and the typed errors of bad input."""

from __future__ import annotations

import pytest

import stripe_identity as si


def test_create_retrieve_update_delete(client: si.Client) -> None:
    endpoints = client.webhook_endpoints
    made = endpoints.create(url="http://127.0.0.1:4242/webhook", enabled_events=["*"], metadata={"k": "v"})
    assert isinstance(made, si.WebhookEndpoint)
    assert made.id.startswith("we_") and made.secret.startswith("whsec_")
    assert (made.status, made.enabled_events, made.metadata["k"]) == ("enabled", ["*"], "v")
    got = endpoints.retrieve(made.id)
    assert "secret" not in got and got.url == made.url
    changed = endpoints.update(made.id, disabled=True, description="orders")
    assert (changed.status, changed.description) == ("disabled", "orders")
    deleted = endpoints.delete(made.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (made.id, "webhook_endpoint", True)
    with pytest.raises(si.InvalidRequestError) as e:
        endpoints.retrieve(made.id)
    assert (e.value.http_status, e.value.code) == (404, "resource_missing")


def test_list_pages_newest_first(client: si.Client) -> None:
    endpoints = client.webhook_endpoints
    for each in endpoints.list(limit=100).auto_paging_iter():
        endpoints.delete(each.id)
    ids = [endpoints.create(url=f"http://127.0.0.1:{4000 + i}/h", enabled_events=["*"]).id for i in range(3)]
    page = endpoints.list(limit=2)
    assert [e.id for e in page.data] == ids[::-1][:2] and page.has_more
    assert [e.id for e in endpoints.list(limit=1).auto_paging_iter()] == ids[::-1]


def test_bad_input_is_a_typed_error_naming_the_parameter(client: si.Client) -> None:
    endpoints = client.webhook_endpoints
    with pytest.raises(si.InvalidRequestError) as e:
        endpoints.create(url="http://127.0.0.1/h", enabled_events=["charge.succeeded"])
    assert e.value.param == "enabled_events"
    with pytest.raises(si.InvalidRequestError) as e:
        endpoints.create(url="not a url", enabled_events=["*"])
    assert e.value.param == "url"
    with pytest.raises(TypeError):
        endpoints.create(url="http://127.0.0.1/h", enabled_events=5)  # type: ignore[arg-type]
