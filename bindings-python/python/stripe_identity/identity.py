"""``stripe_identity.identity``: the Identity classes where stripe-python keeps them
(``stripe.identity.VerificationSession``), so ``isinstance`` checks written for stripe-python
read the same."""

from ._models import VerificationReport, VerificationSession

__all__ = ["VerificationReport", "VerificationSession"]
