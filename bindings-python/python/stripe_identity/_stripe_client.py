"""``StripeClient``: the drop-in for stripe-python 16.1.0's ``stripe.StripeClient``.

Change one import and the calls stay as they are::

    from stripe_identity import StripeClient   # was: from stripe import StripeClient

    client = StripeClient("sk_test_...", base_addresses={"api": "http://127.0.0.1:12111"})
    s = client.v1.identity.verification_sessions.create(
        params={"type": "document"}, options={"idempotency_key": "order-42"}
    )
    s = await client.v1.identity.verification_sessions.retrieve_async(s.id)

The services under ``client.v1`` are generated beside the keyword form (``_services.py``); both
call the same native client.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional, Union

from . import _native
from ._aio import Runner
from ._client import TestHelpersService
from ._error import AuthenticationError
from ._object import StripeObject
from ._request_options import request_options
from ._response import StripeResponse
from ._services import (
    V1EventService,
    V1VerificationReportService,
    V1VerificationSessionService,
    V1WebhookEndpointService,
)

__all__ = ["StripeClient", "V1Services", "V1IdentityService"]


class V1IdentityService:
    """``client.v1.identity``."""

    __slots__ = ("verification_sessions", "verification_reports")

    verification_sessions: V1VerificationSessionService
    verification_reports: V1VerificationReportService

    def __init__(self, client: _native.Client, runner: Runner) -> None:
        self.verification_sessions = V1VerificationSessionService(client, runner)
        self.verification_reports = V1VerificationReportService(client, runner)


class V1Services:
    """``client.v1``: the resources of this library, as stripe-python names them."""

    __slots__ = ("identity", "events", "webhook_endpoints")

    identity: V1IdentityService
    events: V1EventService
    webhook_endpoints: V1WebhookEndpointService

    def __init__(self, client: _native.Client, runner: Runner) -> None:
        self.identity = V1IdentityService(client, runner)
        self.events = V1EventService(client, runner)
        self.webhook_endpoints = V1WebhookEndpointService(client, runner)


class StripeClient:
    """A client shaped like stripe-python 16.1.0's ``StripeClient``, on this library's core.

    Args:
        api_key: A secret or restricted key (``sk_test_...``, ``sk_live_...``, ``rk_...``).
        stripe_account: ``Stripe-Account`` of every request.
        stripe_version: ``Stripe-Version`` of every request (default :data:`API_VERSION`).
        base_addresses: ``{"api": "http://127.0.0.1:12111"}``; only ``"api"`` is used (the
            Identity resources live there).
        max_network_retries: Retries of a request that failed on the network, or got 409 or
            5xx (default 2, as stripe-python's ``StripeClient``; retried POSTs keep their
            idempotency key).
        client_id: Accepted for stripe-python's sake (its OAuth); unused.
        verify_ssl_certs: Must stay ``True``: certificates are always verified.
        proxy: Not taken here: proxies come from ``HTTPS_PROXY``/``NO_PROXY``.
        http_client: Not taken here: the HTTP client is the core's.
        timeout: Seconds one attempt may take (default 80), as ``stripe.HTTPClient``'s timeout.
        connect_timeout: Seconds to set up a connection (default 30).
        ca_bundle_path: A PEM file of the authorities to trust, as ``stripe.ca_bundle_path``.

    Raises:
        AuthenticationError: ``api_key`` is ``None`` (stripe-python's error for it).
        TypeError: an option this library does not take (``stripe_context``, ``proxy``,
            ``http_client``, ``verify_ssl_certs=False``).
        TypeError, ValueError: a key, base address, timeout or retry count that
            :class:`Client` refuses, for the same reasons.
    """

    __slots__ = ("_native", "_runner", "v1", "test_helpers")

    v1: V1Services
    """The resources: ``client.v1.identity.verification_sessions``, ``client.v1.events``, ..."""
    test_helpers: TestHelpersService
    """The simulator's controls (not in stripe-python): ``client.test_helpers.identity.verification_sessions.submit(id)``."""

    def __init__(
        self,
        api_key: str,
        *,
        stripe_account: Optional[str] = None,
        stripe_context: Optional[str] = None,
        stripe_version: Optional[str] = None,
        base_addresses: Optional[Mapping[str, Optional[str]]] = None,
        client_id: Optional[str] = None,
        verify_ssl_certs: bool = True,
        proxy: Optional[str] = None,
        max_network_retries: Optional[int] = None,
        http_client: Optional[object] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        ca_bundle_path: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        if api_key is None:  # the types forbid it; stripe-python's answer for untyped callers
            raise AuthenticationError("No API key provided.")
        refused = {
            "stripe_context": stripe_context is not None,
            "proxy": proxy is not None,
            "http_client": http_client is not None,
            "verify_ssl_certs": verify_ssl_certs is not True,
        }
        for name, given in refused.items():
            if given:
                raise TypeError(
                    f"stripe_identity.StripeClient does not take {name} (see its docstring: proxies "
                    "come from HTTPS_PROXY, certificates are always verified)"
                )
        del client_id  # stripe-python's OAuth client id: nothing here uses it
        base_url = (base_addresses or {}).get("api")
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
    def local(cls) -> "StripeClient":
        """A client on a fresh embedded simulator: no network, no key."""
        client = cls.__new__(cls)
        client._attach(_native.Client.local())
        return client

    def _attach(self, native: _native.Client) -> None:
        self._native = native
        self._runner = Runner()
        self.v1 = V1Services(native, self._runner)
        self.test_helpers = TestHelpersService(native, self._runner)

    @property
    def is_local(self) -> bool:
        """Whether this client runs on the embedded simulator."""
        return self._native.is_local

    def raw_request(self, method_: str, url_: str, **params: Any) -> StripeResponse:
        """One request to any path of the API, as stripe-python's ``raw_request``: the keyword
        arguments are the parameters, except the request options among them
        (``idempotency_key``, ``stripe_account``, ``stripe_version``). An error answer raises."""
        options = {k: params.pop(k) for k in list(params) if k in _OPTION_NAMES}
        key, account, version = request_options(options)
        status, headers, body = self._native.raw_request(method_, url_, params, key, account, version)
        return StripeResponse(status, headers, body)

    async def raw_request_async(self, method_: str, url_: str, **params: Any) -> StripeResponse:
        """:meth:`raw_request`, awaitable (on the client's worker threads)."""
        return await self._runner.run(self.raw_request, method_, url_, **params)

    def deserialize(self, resp: Union[StripeResponse, Dict[str, Any]], api_mode: str = "V1") -> StripeObject:
        """The ``StripeObject`` of a :meth:`raw_request` answer (or of a plain ``dict``), its
        class chosen by its ``object`` field, as stripe-python's ``deserialize``."""
        if api_mode != "V1":
            raise TypeError(f"api_mode {api_mode!r}: only V1 answers exist here")
        if isinstance(resp, StripeResponse):
            obj: StripeObject = _native._construct(resp.body or "null")
            obj.__dict__["_response"] = resp
            return obj
        import json

        return _native._construct(json.dumps(resp))  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<stripe_identity.StripeClient {'local' if self.is_local else 'http'}>"


_OPTION_NAMES = frozenset(
    [
        "idempotency_key",
        "stripe_account",
        "stripe_version",
        "api_key",
        "max_network_retries",
        "stripe_context",
        "headers",
    ]
)
