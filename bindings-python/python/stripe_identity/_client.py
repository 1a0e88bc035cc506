"""The client and the namespaces that lead to its services, laid out as stripe-python's
``StripeClient``: ``client.identity.verification_sessions``,
``client.identity.verification_reports``,
``client.test_helpers.identity.verification_sessions`` and ``client.webhook_endpoints``. The services themselves are generated
from the API's description (``_services.py``, ``make codegen``).
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional, Union

from . import _native
from ._aio import Runner
from ._event import Event
from ._services import (
    EventService,
    TestHelpersVerificationSessionService,
    VerificationReportService,
    VerificationSessionService,
    WebhookEndpointService,
)

__all__ = [
    "Client",
    "EventService",
    "IdentityService",
    "VerificationSessionService",
    "VerificationReportService",
    "TestHelpersService",
    "TestHelpersIdentityService",
    "TestHelpersVerificationSessionService",
    "WebhookEndpointService",
]


class IdentityService:
    """``client.identity``: the Identity resources."""

    __slots__ = ("verification_sessions", "verification_reports")

    verification_sessions: VerificationSessionService
    """The VerificationSession operations."""
    verification_reports: VerificationReportService
    """The VerificationReport operations."""

    def __init__(self, client: _native.Client, runner: Optional[Runner] = None) -> None:
        runner = runner or Runner()
        self.verification_sessions = VerificationSessionService(client, runner)
        self.verification_reports = VerificationReportService(client, runner)


class TestHelpersIdentityService:
    """``client.test_helpers.identity``."""

    __slots__ = ("verification_sessions",)
    __test__ = False

    verification_sessions: TestHelpersVerificationSessionService
    """The simulator's controls of VerificationSessions."""

    def __init__(self, client: _native.Client, runner: Optional[Runner] = None) -> None:
        self.verification_sessions = TestHelpersVerificationSessionService(client, runner)


class TestHelpersService:
    """``client.test_helpers``: controls of the simulator."""

    __slots__ = ("identity",)
    __test__ = False

    identity: TestHelpersIdentityService
    """The Identity controls."""

    def __init__(self, client: _native.Client, runner: Optional[Runner] = None) -> None:
        self.identity = TestHelpersIdentityService(client, runner)


class Client:
    """A Stripe Identity client, as stripe-python's ``StripeClient``.

    ``Client.local()`` runs on an embedded simulator (no network, no key);
    ``Client("sk_test_...", base_url="http://127.0.0.1:12111")`` talks to the Stripe API or
    any server that speaks it. Both give the same answers and raise the same errors. A client
    is safe to share between threads; its calls release the GIL while they wait. Every method
    has an ``*_async`` twin for asyncio (``await sessions.create_async(type="document")``).
    For stripe-python's own call shapes (``params=``, ``options=``), see :class:`StripeClient`.

    Args:
        api_key: A secret or restricted key (``sk_test_...``, ``sk_live_...``, ``rk_...``).
        base_url: Scheme, host and port of the API (default ``https://api.stripe.com``).
        max_network_retries: Retries of a request that failed on the network, timed out, or
            got 409 or 5xx (default 2); retried POSTs keep their idempotency key.
        timeout: Seconds one attempt may take, answer included (default 80).
        connect_timeout: Seconds to set up a connection, TLS included (default 30).
        stripe_version: ``Stripe-Version`` of every request (default :data:`API_VERSION`).
        stripe_account: ``Stripe-Account`` of every request (a connected account).
        ca_bundle_path: A PEM file of the certificate authorities to trust for HTTPS instead
            of the bundled Mozilla roots, as stripe-python's ``ca_bundle_path`` (a corporate
            proxy's CA, or a test CA). ``SSL_CERT_FILE`` and ``REQUESTS_CA_BUNDLE`` are not read.

    Raises:
        TypeError: the key is empty or malformed, the base URL is not ``http(s)://host[:port]``,
            a timeout is zero, or ``ca_bundle_path`` cannot be read or holds no certificate
            (nothing is sent).
        ValueError: a negative number of retries, or a timeout that is not a finite number.
    """

    __slots__ = ("_native", "events", "identity", "test_helpers", "webhook_endpoints")

    identity: IdentityService
    """The Identity resources: ``client.identity.verification_sessions``."""
    events: EventService
    """The events: ``client.events.list(type="identity.verification_session.verified")``."""
    test_helpers: TestHelpersService
    """The simulator's controls: ``client.test_helpers.identity.verification_sessions``."""
    webhook_endpoints: WebhookEndpointService
    """Where identity-mock (or the API) posts events: ``client.webhook_endpoints``."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: Optional[str] = None,
        max_network_retries: Optional[int] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        stripe_version: Optional[str] = None,
        stripe_account: Optional[str] = None,
        ca_bundle_path: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        self._attach(
            _native.Client(
                api_key,
                base_url=base_url,
                max_network_retries=max_network_retries,
                timeout=timeout,
                connect_timeout=connect_timeout,
                stripe_version=stripe_version,
                stripe_account=stripe_account,
                ca_bundle_path=ca_bundle_path,
            )
        )

    @classmethod
    def local(cls) -> "Client":
        """A client on a fresh embedded simulator: no network, no key. Each call gives a
        simulator of its own."""
        return cls._from_native(_native.Client.local())

    @classmethod
    def _from_native(cls, native: _native.Client) -> "Client":
        client = cls.__new__(cls)
        client._attach(native)
        return client

    def _attach(self, native: _native.Client) -> None:
        self._native = native
        # One pool of worker threads for the client's async calls, started on the first.
        runner = Runner()
        self.events = EventService(native, runner)
        self.identity = IdentityService(native, runner)
        self.test_helpers = TestHelpersService(native, runner)
        self.webhook_endpoints = WebhookEndpointService(native, runner)

    def on_event(self, callback: Callable[[Event], Any]) -> None:
        """Calls ``callback(event)`` with every event a local client's simulator records from
        now on, so a webhook handler can be tested without HTTP.

        It runs on the thread that made the request, after the change is committed and before
        that call returns (the simulator's lock is not held: it may use the client). An
        exception it raises goes to :func:`sys.unraisablehook` and does not affect the
        request or the simulator. Callbacks cannot be removed; they live as long as the client.

        Raises:
            TypeError: the client is not local (over HTTP, list events or receive webhooks),
                or ``callback`` is not callable.
        """
        _native._on_event(self._native, callback)

    @property
    def is_local(self) -> bool:
        """Whether this client runs on the embedded simulator."""
        return self._native.is_local

    def __repr__(self) -> str:
        return repr(self._native)
