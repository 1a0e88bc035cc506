"""HTTPS against identity-mock with a throwaway CA (the ``certs`` fixture): ``ca_bundle_path``
makes it trusted; without it the call fails at once with ``APIConnectionError`` naming the
certificate problem; ``HTTPS_PROXY`` goes through a CONNECT proxy and ``NO_PROXY`` bypasses
it. Counts only, no timing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe_identity as si
from conftest import KEY, Mock

ATTEMPTS = "1 attempt made"


def test_a_whole_lifecycle_over_https_with_ca_bundle_path(https_mock: Mock, certs: Path) -> None:
    assert https_mock.url.startswith("https://")
    for bundle in (str(certs / "ca.pem"), certs / "ca.pem"):
        client = si.Client(KEY, base_url=https_mock.url, ca_bundle_path=bundle)
        sessions = client.identity.verification_sessions
        helpers = client.test_helpers.identity.verification_sessions
        s = sessions.create(type="document", metadata={"order": "42"})
        assert s.status == "requires_input"
        assert sessions.update(s.id, metadata={"order": "43"}).metadata["order"] == "43"
        helpers.submit(s.id)
        helpers.fail(s.id, code="document_expired")
        helpers.submit(s.id)
        assert helpers.verify(s.id).status == "verified"
        sessions.redact(s.id)
        assert helpers.complete_redaction(s.id).redaction.status == "redacted"
        assert any(x.id == s.id for x in sessions.list(limit=10).data)
        other = sessions.create(type="id_number")
        assert sessions.cancel(other.id).status == "canceled"
        assert sessions.retrieve(s.id).status == "verified"


def test_without_the_ca_the_call_fails_at_once_and_says_why(https_mock: Mock) -> None:
    client = si.Client(KEY, base_url=https_mock.url, max_network_retries=2)
    with pytest.raises(si.APIConnectionError) as caught:
        client.identity.verification_sessions.list()
    message = str(caught.value)
    assert "certificate" in message and "UnknownIssuer" in message, message
    assert ATTEMPTS in message, message


def test_a_certificate_for_another_name_is_refused(certs: Path) -> None:
    server = Mock("--tls-cert", str(certs / "other.pem"), "--tls-key", str(certs / "other-key.pem"))
    try:
        client = si.Client(KEY, base_url=server.url, ca_bundle_path=certs / "ca.pem")
        with pytest.raises(si.APIConnectionError) as caught:
            client.identity.verification_sessions.list()
        assert "certificate not valid for name" in str(caught.value)
        assert ATTEMPTS in str(caught.value)
    finally:
        server.stop()


def test_a_bad_ca_bundle_path_is_refused_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the CA bundle"):
        si.Client(KEY, ca_bundle_path=tmp_path / "missing.pem")
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate")
    with pytest.raises(ValueError, match="holds no certificate"):
        si.Client(KEY, ca_bundle_path=empty)


class ConnectProxy:
    """An HTTP CONNECT proxy on loopback that tunnels every CONNECT to identity-mock (it is
    the proxy that resolves names) and records what it was asked for."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        head, rest = head.split(b"\r\n\r\n", 1)
        method, target = head.split(b" ")[:2]
        if method != b"CONNECT":
            client.close()
            return
        self.asked.append(target.decode())
        upstream = socket.create_connection(("127.0.0.1", self.port))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        upstream.sendall(rest)

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in ("ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch


def test_https_proxy_is_used_and_no_proxy_bypasses_it(certs: Path, proxy_env: pytest.MonkeyPatch) -> None:
    # Loopback URLs never use a proxy (no proxy could reach them), so the client is given a
    # name only the proxy resolves (other.invalid, which other.pem is made for): a call that
    # succeeds went through the proxy, with the certificate checked end to end.
    server = Mock("--tls-cert", str(certs / "other.pem"), "--tls-key", str(certs / "other-key.pem"))
    port = int(server.url.rsplit(":", 1)[1])
    proxy = ConnectProxy(port)
    url = f"https://other.invalid:{port}"
    try:
        proxy_env.setenv("HTTPS_PROXY", proxy.url)
        client = si.Client(KEY, base_url=url, ca_bundle_path=certs / "ca.pem")
        sessions = client.identity.verification_sessions
        s = sessions.create(type="document")
        assert sessions.retrieve(s.id).id == s.id
        client.test_helpers.identity.verification_sessions.submit(s.id)
        assert proxy.asked == [f"other.invalid:{port}"], "one tunnel, kept alive"

        proxy_env.setenv("NO_PROXY", "localhost,other.invalid")
        direct = si.Client(KEY, base_url=url, ca_bundle_path=certs / "ca.pem", max_network_retries=0)
        with pytest.raises(si.APIConnectionError) as caught:
            direct.identity.verification_sessions.list()
        # Direct, the name does not resolve.
        assert "lookup address" in str(caught.value)
        assert len(proxy.asked) == 1, "NO_PROXY: the proxy saw nothing more"
    finally:
        proxy.close()
        server.stop()
