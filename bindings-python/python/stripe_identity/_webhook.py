"""Webhooks, as stripe-python 16.1.0 names them: :meth:`Webhook.construct_event` verifies the
``Stripe-Signature`` header of a delivery and returns its :class:`Event`;
:meth:`WebhookSignature.generate_signature_header` signs a payload for tests. The checks
(header parsing, HMAC-SHA256 compared in constant time, tolerance) are the Rust core's.
"""

from __future__ import annotations

from typing import Optional, Union

from . import _native
from ._event import Event

__all__ = ["Webhook", "WebhookSignature", "WebhookPayload"]

WebhookPayload = Union[str, bytes, bytearray]
"""The raw body of a webhook request, as the web framework read it."""


class Webhook:
    """Verifies webhook deliveries and reads their events."""

    DEFAULT_TOLERANCE = 300

    @staticmethod
    def construct_event(
        payload: WebhookPayload,
        sig_header: Optional[Union[str, bytes]],
        secret: Optional[str],
        tolerance: Optional[int] = DEFAULT_TOLERANCE,
    ) -> Event:
        """Verifies ``sig_header`` (the ``Stripe-Signature`` header) against the raw ``payload``
        and the endpoint's ``secret``, then returns the event.

        A signature older than ``tolerance`` seconds is refused; future ones are accepted;
        ``tolerance`` 0 or ``None`` turns the age check off.

        Raises:
            SignatureVerificationError: the header is missing or garbled, holds no ``v1``
                signature, none matches, or is too old (``sig_header`` and ``http_body`` set).
            ValueError: the payload verified but is not an event (not JSON, a thin event).
            TypeError: ``payload`` or ``sig_header`` is not ``str``/``bytes``/``bytearray``.
        """
        return _native._verify_and_construct(payload, sig_header, secret, tolerance)  # type: ignore[no-any-return]


class WebhookSignature:
    """The ``Stripe-Signature`` header: checking and making it."""

    EXPECTED_SCHEME = "v1"

    @staticmethod
    def verify_header(
        payload: WebhookPayload,
        header: Optional[Union[str, bytes]],
        secret: Optional[str],
        tolerance: Optional[int] = None,
    ) -> bool:
        """Verifies ``header`` as :meth:`Webhook.construct_event` does, without reading the
        event (so any payload that verifies passes); ``True``, or ``SignatureVerificationError``.
        No age check unless ``tolerance`` is given, as in stripe-python."""
        try:
            _native._verify_and_construct(payload, header, secret, tolerance)
        except ValueError:
            pass  # verified, but not an event: not this method's concern
        return True

    @classmethod
    def generate_signature_header(
        cls, payload: WebhookPayload, secret: str, timestamp: Optional[int] = None
    ) -> str:
        """The ``Stripe-Signature`` header (``t=<timestamp>,v1=<hex>``) for ``payload`` signed
        with ``secret`` at ``timestamp`` (now when ``None``), to test a webhook handler."""
        return _native._sign(payload, secret, timestamp)
