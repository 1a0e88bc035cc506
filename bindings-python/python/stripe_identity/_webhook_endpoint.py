"""WebhookEndpoint: a :class:`StripeObject` with its fields typed (``client.webhook_endpoints``).

Deleting an endpoint answers the same class with ``deleted`` true, as stripe-python does.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ._object import OBJECT_CLASSES, StripeObject

__all__ = ["WebhookEndpoint"]


class WebhookEndpoint(StripeObject):
    """``webhook_endpoint``: where identity-mock (or the API) posts events (``we_...``).
    ``secret`` is only in the answer that created it."""

    id: str
    object: str
    api_version: Optional[str]
    application: Optional[str]
    created: int
    deleted: Optional[bool]
    description: Optional[str]
    enabled_events: List[str]
    livemode: bool
    metadata: Dict[str, str]
    secret: Optional[str]
    status: str
    url: str


OBJECT_CLASSES["webhook_endpoint"] = WebhookEndpoint
