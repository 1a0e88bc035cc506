"""Type stub of the native module ``stripe_identity._native`` (Rust, PyO3).

Checked against the built module by ``mypy.stubtest`` in the test run, so it cannot drift.
Users call the typed Python layer (:class:`stripe_identity.Client`), not this module.
"""

import os
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, Union, final

__all__ = [
    "API_VERSION",
    "Client",
    "Completions",
    "ListPages",
    "ManualClock",
    "RawResponse",
    "__version__",
    "_construct",
    "_on_event",
    "_sign",
    "_verify_and_construct",
]

__version__: str
"""This library's version."""
API_VERSION: str
"""The API version this library speaks, sent as ``Stripe-Version``."""

@final
class Client:
    """A core client: the embedded simulator or the API over HTTP."""

    def __new__(
        cls,
        api_key: str,
        *,
        base_url: Optional[str] = None,
        max_network_retries: Optional[int] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        stripe_version: Optional[str] = None,
        stripe_account: Optional[str] = None,
        ca_bundle_path: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> "Client":
        """A client of the API at ``base_url`` with this key (see ``stripe_identity.Client``)."""
    @staticmethod
    def local() -> "Client":
        """A client on a fresh embedded simulator."""
    @staticmethod
    def _local_with_clock(start: int) -> Tuple["Client", "ManualClock"]:
        """A client on a fresh simulator whose clock stands still at ``start`` (unix seconds,
        0 to 253402300799, the end of 9999; ``ValueError`` otherwise)."""
    @property
    def is_local(self) -> bool:
        """Whether this client runs on the embedded simulator."""
    def call(
        self,
        operation: str,
        id: Optional[str],
        params: Optional[Mapping[str, Any]],
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
    ) -> Any:
        """Runs an operation or control; the answer as a ``StripeObject`` whose ``_response`` is
        a ``RawResponse``."""
    def list_pages(
        self,
        params: Optional[Mapping[str, Any]],
        first: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
        operation: str = "list",
    ) -> "ListPages":
        """The pages of a list (``list``, ``list_reports``), fetched lazily; with ``first``, that page first."""
    def raw_request(
        self,
        method: str,
        path: str,
        params: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
    ) -> Tuple[int, List[Tuple[str, str]], str]:
        """One request to any path, ``params`` form-encoded by the core; ``(status, headers, body)``."""
    def _send_raw(
        self,
        method: str,
        path: str,
        body: str,
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
    ) -> Tuple[int, List[Tuple[str, str]], str]:
        """One request as it goes on the wire; ``(status, headers, body)`` of a success."""

@final
class Completions:
    """One event loop's async calls, run on native worker threads (``stripe_identity._aio``)."""

    def __new__(cls, wake_fd: int) -> "Completions":
        """``wake_fd``: the write end of a non-blocking pipe the loop watches (duplicated)."""
    def submit(
        self,
        client: Client,
        operation: str,
        id: Optional[str],
        params: Optional[Mapping[str, Any]],
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
    ) -> int:
        """Starts an operation on a worker; its token."""
    def cancel(self, token: int) -> None:
        """Drops the call unsent if no worker has started it yet."""
    def forget(self, token: int) -> None:
        """Forgets a cancelled mark whose call has completed."""
    def drain(self) -> List[Tuple[int, bool, Any]]:
        """The calls completed since the last drain: ``(token, ok, answer or exception)``."""

@final
class ListPages:
    """An iterator of list pages (``ListObject`` s), one request per page."""

    @property
    def backward(self) -> bool:
        """Whether the pages go backwards (``ending_before``), each one oldest first."""
    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """The iterator itself."""
    def __next__(self) -> Dict[str, Any]:
        """The next page (one request), with the GIL released while it is fetched."""

@final
class RawResponse:
    """An answer's status and headers, as a ``StripeObject``'s ``_response`` holds them until
    ``last_response`` is read."""

    def parts(self) -> Tuple[int, List[Tuple[str, str]]]:
        """``(status, [(name, value), ...])``."""

@final
class ManualClock:
    """The clock of a client made by ``Client._local_with_clock``."""

    def advance(self, seconds: int) -> None:
        """Moves the clock forward by ``seconds`` (0 or more); ``ValueError`` for a step past
        the end of 9999, which leaves the clock as it was."""
    def now(self) -> int:
        """The clock's time, unix seconds."""

def _verify_and_construct(
    payload: Union[str, bytes, bytearray],
    sig_header: Optional[Union[str, bytes, bytearray]],
    secret: Optional[str],
    tolerance: Optional[int],
) -> Any:
    """Verifies a webhook signature and returns its event (``stripe_identity.Webhook``)."""

def _sign(payload: Union[str, bytes, bytearray], secret: str, timestamp: Optional[int] = None) -> str:
    """``t=<timestamp>,v1=<hex>`` for ``payload`` signed with ``secret``."""

def _on_event(client: Client, callback: Callable[[Any], Any]) -> None:
    """Calls ``callback`` with every new event of a local client."""

def _construct(text: str) -> Any:
    """A ``StripeObject`` from the JSON text of an answer; ``ValueError`` for text that is not JSON."""
