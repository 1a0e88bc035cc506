"""``last_response``: the status and headers of the answer an object came from, shaped like
stripe-python's ``StripeResponse`` (``code``, ``headers``, ``request_id``, ``idempotency_key``)."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

__all__ = ["StripeResponse", "Headers"]


class Headers(Mapping[str, str]):
    """Response headers, looked up without regard to case (``headers["request-id"]`` and
    ``headers["Request-Id"]`` are the same), as HTTP headers are."""

    __slots__ = ("_items", "_index")

    def __init__(self, items: List[Tuple[str, str]]) -> None:
        self._items = items
        # The first header of each name wins, as the core's `Response::header` reads them.
        index: Dict[str, str] = {}
        for name, value in items:
            index.setdefault(name.lower(), value)
        self._index = index

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"Headers({dict(self._items)!r})"


class StripeResponse:
    """The answer an object was read from: ``code`` (the HTTP status), ``headers``, and the
    ``request_id`` (``Request-Id``) and ``idempotency_key`` (``Idempotency-Key``) among them.
    On ``Client.local()`` the simulator answers 200 with a ``Request-Id`` of its own.

    ``body`` and ``data`` are given only by :meth:`StripeClient.raw_request`: an object's
    answer has already been read into the object."""

    __slots__ = ("code", "headers", "body")

    code: int
    headers: Headers
    body: Optional[str]

    def __init__(self, code: int, headers: List[Tuple[str, str]], body: Optional[str] = None) -> None:
        self.code = code
        self.headers = Headers(headers)
        self.body = body

    @property
    def data(self) -> Any:
        """The body as plain Python data (``json.loads``)."""
        return None if self.body is None else json.loads(self.body)

    @property
    def request_id(self) -> Optional[str]:
        return self.headers.get("request-id")

    @property
    def idempotency_key(self) -> Optional[str]:
        return self.headers.get("idempotency-key")

    def __repr__(self) -> str:
        return f"<StripeResponse code={self.code} request_id={self.request_id!r}>"
