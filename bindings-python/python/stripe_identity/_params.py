"""The parameters of each operation, as ``TypedDict`` s for type checkers.

They describe the keyword arguments of the service methods (``create(type="document",
metadata={...})``). At run time nothing here checks anything: parameters go to the core as
given, and the core refuses a value of the wrong type (``TypeError``) or an invalid one
(:class:`~stripe_identity.InvalidRequestError`), exactly as for every other language.
"""

from __future__ import annotations

from typing import Dict, List, Literal, TypedDict, Union

__all__ = [
    "DocumentOptionsParams",
    "OptionsParams",
    "ProvidedDetailsParams",
    "RelatedPersonParams",
    "RangeQueryParams",
    "VerificationSessionCreateParams",
    "VerificationSessionUpdateParams",
    "VerificationSessionRetrieveParams",
    "VerificationSessionListParams",
    "VerificationSessionCancelParams",
    "VerificationSessionRedactParams",
]

#: ``metadata``: keys to set (an empty string unsets a key), or ``""`` to unset every key.
MetadataParam = Union[Dict[str, str], Literal[""]]


class DocumentOptionsParams(TypedDict, total=False):
    """``options[document]``."""

    allowed_types: List[Literal["driving_license", "id_card", "passport"]]
    require_id_number: bool
    require_live_capture: bool
    require_matching_selfie: bool


class OptionsParams(TypedDict, total=False):
    """``options``: ``document`` (or ``""`` to unset it)."""

    document: Union[DocumentOptionsParams, Literal[""]]


class ProvidedDetailsParams(TypedDict, total=False):
    """``provided_details``: email and phone to prefill and check."""

    email: str
    phone: str


class RelatedPersonParams(TypedDict):
    """``related_person``: a Connect account and a person of it."""

    account: str
    person: str


class RangeQueryParams(TypedDict, total=False):
    """A range of unix times (``created={"gte": 1700000000}``)."""

    gt: int
    gte: int
    lt: int
    lte: int


class VerificationSessionCreateParams(TypedDict, total=False):
    """Parameters of ``create``."""

    client_reference_id: str
    expand: List[str]
    metadata: MetadataParam
    options: OptionsParams
    provided_details: ProvidedDetailsParams
    related_customer: str
    related_customer_account: str
    related_person: RelatedPersonParams
    return_url: str
    type: Literal["document", "id_number"]
    verification_flow: str


class VerificationSessionUpdateParams(TypedDict, total=False):
    """Parameters of ``update`` (only while the session is ``requires_input``)."""

    expand: List[str]
    metadata: MetadataParam
    options: OptionsParams
    provided_details: ProvidedDetailsParams
    type: Literal["document", "id_number"]


class VerificationSessionRetrieveParams(TypedDict, total=False):
    """Parameters of ``retrieve``."""

    expand: List[str]


class VerificationSessionCancelParams(TypedDict, total=False):
    """Parameters of ``cancel``."""

    expand: List[str]


class VerificationSessionRedactParams(TypedDict, total=False):
    """Parameters of ``redact``."""

    expand: List[str]


class VerificationSessionListParams(TypedDict, total=False):
    """Parameters of ``list``: filters, page size and cursors."""

    client_reference_id: str
    created: Union[int, RangeQueryParams]
    ending_before: str
    expand: List[str]
    limit: int
    related_customer: str
    related_customer_account: str
    starting_after: str
    status: Literal["canceled", "processing", "requires_input", "verified"]
