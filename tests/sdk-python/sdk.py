"""The SDK under test, imported by every test as ``from sdk import stripe``.

By default it is stripe-python itself. With ``SDK_UNDER_TEST=stripe_identity`` it is this
library, in stripe-python's place: the same tests, unchanged apart from this import and the
client's constructor (``conftest.py``), run against ``stripe_identity.StripeClient``, over
identity-mock (``SDK_BACKEND=mock``, the default) or on the embedded simulator
(``SDK_BACKEND=local``, ``StripeClient.local()``). Tests that cannot run that way are skipped
with their reason (``conftest.py``, ``DROP_IN_SKIPS``; listed in ``README.md``).
"""

from __future__ import annotations

import os

DROP_IN = os.environ.get("SDK_UNDER_TEST", "stripe") == "stripe_identity"
LOCAL = DROP_IN and os.environ.get("SDK_BACKEND", "mock") == "local"

if DROP_IN:
    import stripe_identity as stripe
else:
    import stripe  # type: ignore[no-redef]

__all__ = ["stripe", "DROP_IN", "LOCAL"]
