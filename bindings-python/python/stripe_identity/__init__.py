"""stripe-identity: Stripe Identity VerificationSessions from Python, on a Rust core.

>>> import stripe_identity as si
>>> client = si.Client.local()
>>> s = client.identity.verification_sessions.create(type="document")
>>> s.status
'requires_input'

Coming from stripe-python? Change one import: ``from stripe_identity import StripeClient``
takes stripe-python 16.1.0's calls (``client.v1.identity.verification_sessions.create(params=
{...}, options={...})``, and every ``*_async`` method) unchanged.

``Client.local()`` runs an embedded, stateful simulator (no network, no key);
``Client("sk_test_...", base_url=...)`` talks to the Stripe API or to identity-mock.
"""

from ._client import (
    Client,
    EventService,
    IdentityService,
    TestHelpersIdentityService,
    TestHelpersService,
    TestHelpersVerificationSessionService,
    VerificationReportService,
    VerificationSessionService,
    WebhookEndpointService,
)
from ._error import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionError,
    RateLimitError,
    SignatureVerificationError,
    StripeError,
)
from . import identity
from ._aio import AnyIterator
from ._event import Event
from ._native import API_VERSION, __version__
from ._object import ListObject, StripeObject
from ._params import (
    EventListParams,
    EventRetrieveParams,
    VerificationReportListParams,
    VerificationReportRetrieveParams,
    VerificationSessionCancelParams,
    VerificationSessionCreateParams,
    VerificationSessionListParams,
    VerificationSessionRedactParams,
    VerificationSessionRetrieveParams,
    VerificationSessionUpdateParams,
    WebhookEndpointCreateParams,
    WebhookEndpointDeleteParams,
    WebhookEndpointListParams,
    WebhookEndpointRetrieveParams,
    WebhookEndpointUpdateParams,
)
from ._models import VerificationReport, VerificationSession, WebhookEndpoint
from ._request_options import RequestOptions
from ._response import StripeResponse
from ._stripe_client import StripeClient, V1IdentityService, V1Services
from ._services import (
    V1EventService,
    V1VerificationReportService,
    V1VerificationSessionService,
    V1WebhookEndpointService,
)
from ._webhook import Webhook, WebhookSignature

__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "APIError",
    "AnyIterator",
    "AuthenticationError",
    "CardError",
    "Client",
    "Event",
    "EventListParams",
    "EventRetrieveParams",
    "EventService",
    "IdempotencyError",
    "IdentityService",
    "InvalidRequestError",
    "ListObject",
    "PermissionError",
    "RateLimitError",
    "RequestOptions",
    "SignatureVerificationError",
    "StripeClient",
    "StripeError",
    "StripeObject",
    "StripeResponse",
    "TestHelpersIdentityService",
    "TestHelpersService",
    "TestHelpersVerificationSessionService",
    "V1EventService",
    "V1IdentityService",
    "V1Services",
    "V1VerificationReportService",
    "V1VerificationSessionService",
    "V1WebhookEndpointService",
    "VerificationReport",
    "VerificationReportListParams",
    "VerificationReportRetrieveParams",
    "VerificationReportService",
    "VerificationSession",
    "VerificationSessionCancelParams",
    "VerificationSessionCreateParams",
    "VerificationSessionListParams",
    "VerificationSessionRedactParams",
    "VerificationSessionRetrieveParams",
    "VerificationSessionService",
    "VerificationSessionUpdateParams",
    "Webhook",
    "WebhookSignature",
    "WebhookEndpoint",
    "WebhookEndpointCreateParams",
    "WebhookEndpointDeleteParams",
    "WebhookEndpointListParams",
    "WebhookEndpointRetrieveParams",
    "WebhookEndpointService",
    "WebhookEndpointUpdateParams",
    "__version__",
    "identity",
]
