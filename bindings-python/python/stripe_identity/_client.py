"""The client and its services, laid out as stripe-python's ``StripeClient``:
``client.identity.verification_sessions`` and
``client.test_helpers.identity.verification_sessions``.

Each method hands its keyword parameters, as given, to the native client, which converts them,
lets the core check and encode them, and releases the GIL while the request runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

from . import _native
from ._object import ListObject
from ._verification_session import VerificationReport, VerificationSession

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._params import (
        VerificationReportListParams,
        VerificationReportRetrieveParams,
        VerificationSessionCancelParams,
        VerificationSessionCreateParams,
        VerificationSessionListParams,
        VerificationSessionRedactParams,
        VerificationSessionRetrieveParams,
        VerificationSessionUpdateParams,
    )

__all__ = [
    "Client",
    "IdentityService",
    "VerificationSessionService",
    "VerificationReportService",
    "TestHelpersService",
    "TestHelpersIdentityService",
    "TestHelpersVerificationSessionService",
]


class VerificationSessionService:
    """``client.identity.verification_sessions``: the VerificationSession operations.

    Every method takes the API's parameters as keyword arguments, named as the API names them,
    and the request options ``idempotency_key``, ``stripe_account`` and ``stripe_version``
    beside them.
    """

    __slots__ = ("_client",)

    def __init__(self, client: _native.Client) -> None:
        self._client = client

    def create(
        self,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionCreateParams],
    ) -> VerificationSession:
        """Creates a session (``POST /v1/identity/verification_sessions``).

        Example: ``create(type="document", metadata={"order": "42"},
        idempotency_key="order-42")``.
        """
        return self._client.call(  # type: ignore[no-any-return]
            "create", None, params, idempotency_key, stripe_account, stripe_version
        )

    def retrieve(
        self,
        id: str,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionRetrieveParams],
    ) -> VerificationSession:
        """Retrieves a session by id (``GET /v1/identity/verification_sessions/:id``);
        ``expand=["verified_outputs"]`` adds what was verified."""
        return self._client.call(  # type: ignore[no-any-return]
            "retrieve", id, params, idempotency_key, stripe_account, stripe_version
        )

    def update(
        self,
        id: str,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionUpdateParams],
    ) -> VerificationSession:
        """Updates a session that awaits input (``POST /v1/identity/verification_sessions/:id``).
        ``metadata`` merges; an empty value unsets a key, ``metadata=""`` unsets all."""
        return self._client.call(  # type: ignore[no-any-return]
            "update", id, params, idempotency_key, stripe_account, stripe_version
        )

    def list(
        self,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionListParams],
    ) -> ListObject[VerificationSession]:
        """One page of sessions, newest first (``GET /v1/identity/verification_sessions``).

        Filters: ``status``, ``created`` (``{"gte": ..., "lt": ...}`` or an exact time),
        ``client_reference_id``, ``related_customer``, ``related_customer_account``; page size
        ``limit``; cursors ``starting_after`` and ``ending_before``. The page's
        ``auto_paging_iter()`` goes on through the following pages.
        """
        page: ListObject[VerificationSession] = self._client.call(
            "list", None, params, idempotency_key, stripe_account, stripe_version
        )
        options = {
            "idempotency_key": idempotency_key,
            "stripe_account": stripe_account,
            "stripe_version": stripe_version,
        }
        return page._bind(self._client, dict(params), options)

    def cancel(
        self,
        id: str,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionCancelParams],
    ) -> VerificationSession:
        """Cancels a session that awaits input
        (``POST /v1/identity/verification_sessions/:id/cancel``)."""
        return self._client.call(  # type: ignore[no-any-return]
            "cancel", id, params, idempotency_key, stripe_account, stripe_version
        )

    def redact(
        self,
        id: str,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationSessionRedactParams],
    ) -> VerificationSession:
        """Redacts a session's collected data
        (``POST /v1/identity/verification_sessions/:id/redact``); ``redaction.status`` is
        ``processing`` until the redaction completes."""
        return self._client.call(  # type: ignore[no-any-return]
            "redact", id, params, idempotency_key, stripe_account, stripe_version
        )


class VerificationReportService:
    """``client.identity.verification_reports``: the VerificationReports that a session's
    checks wrote. Request options go beside the parameters, as for sessions."""

    __slots__ = ("_client",)

    def __init__(self, client: _native.Client) -> None:
        self._client = client

    def retrieve(
        self,
        id: str,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationReportRetrieveParams],
    ) -> VerificationReport:
        """Retrieves a report by id (``GET /v1/identity/verification_reports/:id``);
        ``expand=["document.dob"]`` adds a sensitive key."""
        return self._client.call(  # type: ignore[no-any-return]
            "retrieve_report", id, params, idempotency_key, stripe_account, stripe_version
        )

    def list(
        self,
        *,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        **params: Unpack[VerificationReportListParams],
    ) -> ListObject[VerificationReport]:
        """One page of reports, newest first (``GET /v1/identity/verification_reports``).

        Filters: ``verification_session``, ``type``, ``created``, ``client_reference_id``;
        ``limit``, ``starting_after``, ``ending_before``; ``auto_paging_iter()`` goes on.
        """
        page: ListObject[VerificationReport] = self._client.call(
            "list_reports", None, params, idempotency_key, stripe_account, stripe_version
        )
        options = {
            "idempotency_key": idempotency_key,
            "stripe_account": stripe_account,
            "stripe_version": stripe_version,
        }
        return page._bind(self._client, dict(params), options, "list_reports")


class IdentityService:
    """``client.identity``: the Identity resources."""

    __slots__ = ("verification_sessions", "verification_reports")

    verification_sessions: VerificationSessionService
    """The VerificationSession operations."""
    verification_reports: VerificationReportService
    """The VerificationReport operations."""

    def __init__(self, client: _native.Client) -> None:
        self.verification_sessions = VerificationSessionService(client)
        self.verification_reports = VerificationReportService(client)


class TestHelpersVerificationSessionService:
    """``client.test_helpers.identity.verification_sessions``: the simulator's controls, which
    play the user of the hosted flow. They work on ``Client.local()`` and on identity-mock; the
    real API answers them with an error. Each returns the session after the step."""

    __slots__ = ("_client",)
    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, client: _native.Client) -> None:
        self._client = client

    def submit(self, id: str) -> VerificationSession:
        """The user submits: ``requires_input`` → ``processing``."""
        return self._client.call("submit", id, None)  # type: ignore[no-any-return]

    def verify(self, id: str) -> VerificationSession:
        """The checks pass: ``processing`` → ``verified``, with a VerificationReport and the
        verified outputs."""
        return self._client.call("verify", id, None)  # type: ignore[no-any-return]

    def fail(self, id: str, code: str, reason: Optional[str] = None) -> VerificationSession:
        """The checks fail: ``processing`` → ``requires_input`` with ``last_error`` set.

        ``code`` is one of the API's ``last_error.code`` values (``document_expired``, ...);
        without a ``reason`` the simulator gives the standard one for the code.
        """
        params: Dict[str, Any] = {"code": code, "reason": reason}
        return self._client.call("fail", id, params)  # type: ignore[no-any-return]

    def complete_redaction(self, id: str) -> VerificationSession:
        """A redaction finishes: ``redaction.status`` ``processing`` → ``redacted``."""
        return self._client.call("complete_redaction", id, None)  # type: ignore[no-any-return]


class TestHelpersIdentityService:
    """``client.test_helpers.identity``."""

    __slots__ = ("verification_sessions",)
    __test__ = False

    verification_sessions: TestHelpersVerificationSessionService
    """The simulator's controls of VerificationSessions."""

    def __init__(self, client: _native.Client) -> None:
        self.verification_sessions = TestHelpersVerificationSessionService(client)


class TestHelpersService:
    """``client.test_helpers``: controls of the simulator."""

    __slots__ = ("identity",)
    __test__ = False

    identity: TestHelpersIdentityService
    """The Identity controls."""

    def __init__(self, client: _native.Client) -> None:
        self.identity = TestHelpersIdentityService(client)


class Client:
    """A Stripe Identity client, as stripe-python's ``StripeClient``.

    ``Client.local()`` runs on an embedded simulator (no network, no key);
    ``Client("sk_test_...", base_url="http://127.0.0.1:12111")`` talks to the Stripe API or
    any server that speaks it. Both give the same answers and raise the same errors. A client
    is safe to share between threads; its calls release the GIL while they wait.

    Args:
        api_key: A secret or restricted key (``sk_test_...``, ``sk_live_...``, ``rk_...``).
        base_url: Scheme, host and port of the API (default ``https://api.stripe.com``).
        max_network_retries: Retries of a request that failed on the network, timed out, or
            got 409 or 5xx (default 2); retried POSTs keep their idempotency key.
        timeout: Seconds one attempt may take, answer included (default 80).
        connect_timeout: Seconds to set up a connection, TLS included (default 30).
        stripe_version: ``Stripe-Version`` of every request (default :data:`API_VERSION`).
        stripe_account: ``Stripe-Account`` of every request (a connected account).

    Raises:
        TypeError: the key is empty or malformed, the base URL is not ``http(s)://host[:port]``,
            or a timeout is zero (nothing is sent).
        ValueError: a negative number of retries, or a timeout that is not a finite number.
    """

    __slots__ = ("_native", "identity", "test_helpers")

    identity: IdentityService
    """The Identity resources: ``client.identity.verification_sessions``."""
    test_helpers: TestHelpersService
    """The simulator's controls: ``client.test_helpers.identity.verification_sessions``."""

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
        self.identity = IdentityService(native)
        self.test_helpers = TestHelpersService(native)

    @property
    def is_local(self) -> bool:
        """Whether this client runs on the embedded simulator."""
        return self._native.is_local

    def __repr__(self) -> str:
        return repr(self._native)
