"""``Event``: what happened to a VerificationSession, as ``client.events`` lists it and as a
webhook carries it. Its ``data.object`` is built as a :class:`VerificationSession`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional

from ._object import OBJECT_CLASSES, StripeObject
from ._models import VerificationSession

# Spelled once here: inside the class, `type` is a field.
ClassMap = Dict[str, type]

__all__ = ["Event"]


class Event(StripeObject):
    """``event`` (``evt_...``): one ``identity.verification_session.*`` change.

    ``data.object`` is the session as it was when the event happened; ``data.previous_attributes``
    is present only where the API sends it (never for these six event types).
    """

    class Data(StripeObject):
        """The object of the event."""

        object: VerificationSession
        previous_attributes: Optional[Dict[str, Any]]
        _inner_class_types: ClassVar[ClassMap] = {"object": VerificationSession}

    class Request(StripeObject):
        """The request that caused the event."""

        id: Optional[str]
        idempotency_key: Optional[str]

    id: str
    object: str
    api_version: Optional[str]
    created: int
    data: Data
    livemode: bool
    pending_webhooks: int
    request: Optional[Request]
    type: str
    _inner_class_types: ClassVar[ClassMap] = {"data": Data, "request": Request}


OBJECT_CLASSES["event"] = Event
