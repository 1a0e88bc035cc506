"""stripe-python 16.1.0 against identity-mock over HTTPS, trusting a throwaway CA the way
stripe-python is told to: ``stripe.ca_bundle_path``. (stripe-python hands its own bundle to
requests as ``verify=``, so ``REQUESTS_CA_BUNDLE`` and ``SSL_CERT_FILE`` change nothing; the
last test shows it.)"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from sdk import stripe

from helpers import Mock, control


def test_a_whole_lifecycle_over_https(
    certs: Path, start: Callable[..., Mock], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start("--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server-key.pem"))
    assert server.url.startswith("https://")
    monkeypatch.setattr(stripe, "ca_bundle_path", str(certs / "ca.pem"))
    client = server.client()
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document", "metadata": {"order": "42"}})
    assert s.status == "requires_input"
    assert sessions.update(s.id, params={"metadata": {"order": "43"}}).metadata["order"] == "43"
    control(client, s.id, "submit")
    assert control(client, s.id, "verify").status == "verified"
    sessions.redact(s.id)
    assert control(client, s.id, "complete_redaction").redaction.status == "redacted"
    assert any(x.id == s.id for x in sessions.list(params={"limit": 10}).data)
    other = sessions.create(params={"type": "id_number"})
    assert sessions.cancel(other.id).status == "canceled"
    assert sessions.retrieve(s.id).status == "verified"


def test_without_the_ca_stripe_python_refuses_the_certificate(
    certs: Path, start: Callable[..., Mock], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start("--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server-key.pem"))
    # The environment variables of requests and OpenSSL are not what stripe-python reads.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(certs / "ca.pem"))
    client = server.client(max_network_retries=0)
    with pytest.raises(stripe.APIConnectionError, match="SSL certificate"):
        client.v1.identity.verification_sessions.list()
