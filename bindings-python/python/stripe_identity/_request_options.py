"""``options=`` of the drop-in surface (``client.v1...``), as stripe-python 16.1.0's
``RequestOptions``. The options this library carries per request are ``idempotency_key``,
``stripe_account`` and ``stripe_version``; the others stripe-python knows are refused by name
when given a value, rather than silently not applied."""

from __future__ import annotations

from typing import Mapping, Optional, Tuple, TypedDict

__all__ = ["RequestOptions", "request_options"]


class RequestOptions(TypedDict, total=False):
    """Per-request options of ``client.v1`` calls."""

    idempotency_key: Optional[str]
    stripe_account: Optional[str]
    stripe_version: Optional[str]


_CARRIED = ("idempotency_key", "stripe_account", "stripe_version")
# stripe-python's other per-request options: set for the whole client instead (api_key,
# max_network_retries), or not part of this library (the others).
_NOT_CARRIED = ("api_key", "max_network_retries", "stripe_context", "content_type", "headers")


def request_options(
    options: Optional[Mapping[str, object]],
) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """``(idempotency_key, stripe_account, stripe_version)`` of an ``options`` dict.

    Raises:
        TypeError: ``options`` is not a dict, names an option this library does not carry per
            request (with a value other than ``None``), or one it does not know.
    """
    if options is None:
        return None, None, None
    if not isinstance(options, Mapping):
        raise TypeError(f"options must be a dict, not {type(options).__name__}")
    for name, value in options.items():
        if name in _CARRIED:
            continue
        if name in _NOT_CARRIED:
            if value is not None:
                raise TypeError(
                    f"the request option {name!r} is not supported per request by stripe_identity "
                    "(set it when making the client, where it applies)"
                )
            continue
        raise TypeError(f"unknown request option {name!r}")
    values = tuple(options.get(name) for name in _CARRIED)
    for name, value in zip(_CARRIED, values):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return values  # type: ignore[return-value]
