"""The exceptions this library raises, shaped like stripe-python's ``stripe/_error.py``.

Every error the API (or the simulator) answers is a :class:`StripeError`; its subclass is chosen
once, in the native module, from the error's kind (HTTP status, ``error.type`` and
``error.code``, classified by the core the way the official SDKs do). An argument of the wrong
Python type raises Python's own :class:`TypeError` instead, before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Type

from ._response import Headers

if TYPE_CHECKING:
    from ._object import StripeObject

__all__ = [
    "StripeError",
    "InvalidRequestError",
    "AuthenticationError",
    "PermissionError",
    "RateLimitError",
    "IdempotencyError",
    "CardError",
    "APIConnectionError",
    "APIError",
    "SignatureVerificationError",
]


class StripeError(Exception):
    """The base class of every error answered by the Stripe API or the simulator.

    Attributes:
        message: A readable description (the API's ``error.message``).
        http_status: The HTTP status of the answer, or ``None`` when no answer came.
        code: The API's ``error.code`` (``resource_missing``, ...), or ``None``.
        param: The parameter at fault, as the API names it (``options[document]``), or ``None``.
        error_type: The API's ``error.type`` (``invalid_request_error``, ...), or ``None``.
        request_id: The ``Request-Id`` of the answer, or ``None``.
        doc_url: The API's ``error.doc_url``, or ``None``.
        json_body: The whole answer body as plain Python data (``{"error": {...}}``), or ``None``.
        http_body: The answer body as text, or ``None``.
        headers: The answer's headers, looked up without regard to case (empty when no answer
            came).
        error: The API's ``error`` object as a ``StripeObject`` (``error.code``,
            ``error.message``, ...), or ``None``; as stripe-python's ``ErrorObject``.
        user_message: The message without the ``Request req_...:`` prefix of ``str(err)``.

    The positional arguments are stripe-python's: ``message, http_body, http_status,
    json_body, headers, code``.
    """

    message: Optional[str]
    http_status: Optional[int]
    code: Optional[str]
    param: Optional[str]
    error_type: Optional[str]
    request_id: Optional[str]
    doc_url: Optional[str]
    json_body: Optional[Dict[str, Any]]
    http_body: Optional[str]
    headers: Headers

    def __init__(
        self,
        message: Optional[str] = None,
        http_body: Optional[str] = None,
        http_status: Optional[int] = None,
        json_body: Optional[Dict[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        code: Optional[str] = None,
        *,
        param: Optional[str] = None,
        error_type: Optional[str] = None,
        request_id: Optional[str] = None,
        doc_url: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_body = http_body
        self.http_status = http_status
        self.json_body = json_body
        self.headers = Headers(list(headers.items()) if headers else [])
        self.code = code
        self.param = param
        self.error_type = error_type
        if request_id is None:
            request_id = self.headers.get("request-id")
        self.request_id = request_id
        self.doc_url = doc_url

    @property
    def error(self) -> Optional["StripeObject"]:
        """The API's ``error`` object (``error.type``, ``error.code``, ``error.param``, ...), or
        ``None`` when the answer had none."""
        body = self.json_body
        if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return None
        from ._object import StripeObject

        obj = StripeObject()
        dict.update(obj, body["error"])
        return obj

    @property
    def user_message(self) -> Optional[str]:
        """The message, as stripe-python names it for display to end users."""
        return self.message

    def __str__(self) -> str:
        text = self.message or "<empty message>"
        if self.request_id is not None:
            return f"Request {self.request_id}: {text}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, param={self.param!r}, request_id={self.request_id!r})"
        )

    def __reduce__(self) -> Any:
        # Keeps every field through pickling (multiprocessing, caches), which the default
        # Exception pickling (positional args only) would drop.
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: Type[StripeError], state: Dict[str, Any]) -> StripeError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message"))
    err.__dict__.update(state)
    return err


class InvalidRequestError(StripeError):
    """The request was refused: a parameter is invalid, an id does not exist (HTTP 400/404)."""


class AuthenticationError(StripeError):
    """The API key is missing, malformed or unknown (HTTP 401)."""


class PermissionError(StripeError):  # noqa: A001 (the name stripe-python uses)
    """The key may not do this (HTTP 403)."""


class RateLimitError(StripeError):
    """Too many requests (HTTP 429)."""


class IdempotencyError(StripeError):
    """An idempotency key was reused with other parameters (``idempotency_error``)."""


class CardError(StripeError):
    """A card was declined (HTTP 402). Identity does not charge cards; kept for completeness."""


class APIConnectionError(StripeError):
    """No answer came: the connection failed, was reset or timed out (after the retries)."""


class APIError(StripeError):
    """The API failed (HTTP 409, 5xx), or sent an answer that could not be read."""


class SignatureVerificationError(StripeError):
    """A webhook signature did not verify (the class stripe-python raises for it).

    Attributes:
        sig_header: The ``Stripe-Signature`` header that failed, or ``None``.
    """

    sig_header: Optional[str]

    def __init__(
        self,
        message: Optional[str] = None,
        sig_header: Optional[str] = None,
        http_body: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, http_body, **kwargs)
        self.sig_header = sig_header
