"""The generic object every answer is made of, like stripe-python's ``StripeObject``.

A :class:`StripeObject` is a ``dict`` of the API's JSON fields, built by the native module, that
also gives each field as an attribute (``session.status`` is ``session["status"]``). Nested
objects are ``StripeObject`` s too, JSON ``null`` is ``None``, and :meth:`StripeObject.to_dict`
gives plain Python data back. The class of an object comes from its ``object`` field
(:data:`OBJECT_CLASSES`); the classes only add type annotations and, for lists, iteration.
"""

from __future__ import annotations

import json
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    ClassVar,
    Dict,
    Generic,
    Iterator,
    List,
    Optional,
    TypeVar,
)

from ._aio import AnyIterator, Runner
from ._response import StripeResponse

if TYPE_CHECKING:
    from . import _native

__all__ = ["StripeObject", "ListObject", "OBJECT_CLASSES"]

T = TypeVar("T", bound="StripeObject")


class StripeObject(Dict[str, Any]):
    """An object of the API: a ``dict`` of its fields with attribute access.

    ``obj.field`` and ``obj["field"]`` give the same value; a field the object does not have
    raises ``AttributeError`` and ``KeyError`` respectively. Two objects are equal when their
    fields are (a ``StripeObject`` also equals a plain ``dict`` with the same content).
    """

    # Which class nested objects of a field are built as (field -> class); read by the native
    # module while it converts an answer.
    _inner_class_types: ClassVar[Dict[str, type]] = {}

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup failed: fields never shadow dict methods.
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!s} object has no attribute {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            super().__setattr__(name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if name.startswith("_"):
            super().__delattr__(name)
            return
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> List[str]:
        return sorted(set(dir(type(self))) | {k for k in self.keys() if k.isidentifier()})

    @property
    def last_response(self) -> Optional[StripeResponse]:
        """The answer this object came from: ``code`` (HTTP status), ``headers``,
        ``request_id``; ``None`` for an object that was not an answer (a nested one, one built
        by hand or by a webhook)."""
        raw = self.__dict__.get("_response")
        if raw is None or isinstance(raw, StripeResponse):
            return raw
        # Built on first read from what the native call left: most answers are never asked.
        response = StripeResponse(*raw.parts())
        self.__dict__["_response"] = response
        return response

    def to_dict(self) -> Dict[str, Any]:
        """The object as plain Python data: ``dict``, ``list``, ``str``, ``int``, ``bool``,
        ``None``, recursively (no ``StripeObject`` left)."""
        return {k: _plain(v) for k, v in self.items()}

    def __repr__(self) -> str:
        ident = []
        kind = self.get("object")
        if isinstance(kind, str):
            ident.append(kind)
        oid = self.get("id")
        if isinstance(oid, str):
            ident.append(f"id={oid}")
        label = " ".join([f"<{type(self).__name__}", *ident])
        return f"{label} at {hex(id(self))}> JSON: {self}"

    def __str__(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=2)

    def __copy__(self) -> "StripeObject":
        copy = type(self)()
        dict.update(copy, self)
        return copy

    def __deepcopy__(self, memo: Dict[int, Any]) -> "StripeObject":
        import copy as _copy

        out = type(self)()
        memo[id(self)] = out
        for k, v in self.items():
            dict.__setitem__(out, k, _copy.deepcopy(v, memo))
        return out

    def __reduce__(self) -> Any:
        # Pickles as the class and its fields (a list's client stays behind: it is not data).
        return (_rebuild, (type(self), dict(self)))


def _rebuild(cls: type, fields: Dict[str, Any]) -> StripeObject:
    obj: StripeObject = cls()
    dict.update(obj, fields)
    return obj


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class ListObject(StripeObject, Generic[T]):
    """A page of a list: ``data`` (the objects), ``has_more`` and ``url``.

    Iterating a page, and ``len(page)``, go over ``data``, as in stripe-python.
    :meth:`auto_paging_iter` goes over every object of every page, fetching pages lazily.
    """

    object: str
    data: List[T]
    has_more: bool
    url: str

    # Set by the service that fetched the page, so that auto_paging_iter can go on.
    _fetch: Optional["_native.Client"]
    _params: Dict[str, Any]
    _options: Dict[str, Optional[str]]
    _operation: str
    _runner: Optional[Runner]

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]
        return iter(self.get("data", []))

    def __len__(self) -> int:
        return len(self.get("data", []))

    def __bool__(self) -> bool:
        # A page is a page even when empty (`if page:` should not depend on data).
        return True

    def auto_paging_iter(self) -> AnyIterator[T]:
        """Every object of the list, page after page, asking for the next page only when the
        previous one has been gone through. With ``ending_before`` (and no
        ``starting_after``) it walks backwards, each page oldest first, as stripe-python does.

        It starts with this page, as it is, and then asks for the pages after it. As in
        stripe-python, the result goes with ``for`` and with ``async for``; with ``async for``
        each further page is fetched on the client's worker threads, never blocking the loop.
        """
        return AnyIterator(self._auto_paging_iter(), self._auto_paging_iter_async())

    def _pages(self) -> "_native.ListPages":
        client: Optional["_native.Client"] = self.__dict__.get("_fetch")
        if client is None:
            raise ValueError("this list was not fetched by a client, so it cannot fetch more pages")
        params: Dict[str, Any] = self.__dict__.get("_params", {})
        options: Dict[str, Optional[str]] = self.__dict__.get("_options", {})
        operation: str = self.__dict__.get("_operation", "list")
        # The core walks from this page (each page in walk order), so nothing is reversed or
        # fetched twice here.
        return client.list_pages(params, self, **options, operation=operation)

    def _auto_paging_iter(self) -> Iterator[T]:
        for page in self._pages():
            yield from page.get("data", [])

    async def _auto_paging_iter_async(self) -> AsyncIterator[T]:
        pages = self._pages()
        runner = self.__dict__.get("_runner") or Runner()
        while True:
            page = await runner.run(next, pages, None)
            if page is None:
                return
            for item in page.get("data", []):
                yield item

    def _bind(
        self,
        client: "_native.Client",
        params: Dict[str, Any],
        options: Dict[str, Optional[str]],
        operation: str = "list",
        runner: Optional[Runner] = None,
    ) -> "ListObject[T]":
        self._runner = runner
        self._fetch = client
        self._params = params
        self._options = options
        self._operation = operation
        return self


# The class of an object, by its `object` field. `_models.py` (generated) adds its own.
OBJECT_CLASSES: Dict[str, type] = {"list": ListObject}
