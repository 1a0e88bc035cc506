"""VerificationSession and VerificationReport: :class:`StripeObject` s with their fields typed.

The classes add no behaviour: they tell type checkers and readers what each field holds, and
``_inner_class_types`` tells the native module which class to build each nested object as.
Every field the API sends is there, typed or not (a field this version does not know is still
an attribute and an item). Enumerations are open strings, as in stripe-python: a value a later
API version adds arrives unchanged.
"""

from __future__ import annotations

from typing import ClassVar, Dict, List, Optional, Union

from ._object import OBJECT_CLASSES, StripeObject

# Spelled once here: inside the classes, `type` is a field.
ClassMap = Dict[str, type]

__all__ = ["VerificationSession", "VerificationReport"]


class Address(StripeObject):
    """A postal address; every part may be ``None``."""

    city: Optional[str]
    country: Optional[str]
    line1: Optional[str]
    line2: Optional[str]
    postal_code: Optional[str]
    state: Optional[str]


class Date(StripeObject):
    """A date (date of birth, expiration, issue); every part may be ``None``."""

    day: Optional[int]
    month: Optional[int]
    year: Optional[int]


class CheckError(StripeObject):
    """Why a check failed: a ``code`` (the API's ``last_error.code`` values) and a reason."""

    code: Optional[str]
    reason: Optional[str]


class DocumentOptions(StripeObject):
    """``options.document``: which documents are accepted and what else is checked."""

    allowed_types: Optional[List[str]]
    require_id_number: Optional[bool]
    require_live_capture: Optional[bool]
    require_matching_selfie: Optional[bool]


class VerificationReport(StripeObject):
    """``identity.verification_report``: the result of one submission (``vr_...``), seen when
    ``last_verification_report`` is expanded."""

    class Document(StripeObject):
        """The document check."""

        address: Optional[Address]
        dob: Optional[Date]
        error: Optional[CheckError]
        expiration_date: Optional[Date]
        files: Optional[List[str]]
        first_name: Optional[str]
        issued_date: Optional[Date]
        issuing_country: Optional[str]
        last_name: Optional[str]
        number: Optional[str]
        sex: Optional[str]
        status: str
        type: Optional[str]
        unparsed_place_of_birth: Optional[str]
        unparsed_sex: Optional[str]
        _inner_class_types: ClassVar[ClassMap] = {
            "address": Address,
            "dob": Date,
            "error": CheckError,
            "expiration_date": Date,
            "issued_date": Date,
        }

    class IdNumber(StripeObject):
        """The ID number check."""

        dob: Optional[Date]
        error: Optional[CheckError]
        first_name: Optional[str]
        id_number: Optional[str]
        id_number_type: Optional[str]
        last_name: Optional[str]
        status: str
        _inner_class_types: ClassVar[ClassMap] = {"dob": Date, "error": CheckError}

    class Selfie(StripeObject):
        """The selfie check."""

        document: Optional[str]
        error: Optional[CheckError]
        selfie: Optional[str]
        status: str
        _inner_class_types: ClassVar[ClassMap] = {"error": CheckError}

    class Contact(StripeObject):
        """The email or phone check."""

        email: Optional[str]
        phone: Optional[str]
        error: Optional[CheckError]
        status: str
        _inner_class_types: ClassVar[ClassMap] = {"error": CheckError}

    class Options(StripeObject):
        """The options the checks ran with."""

        document: Optional[DocumentOptions]
        id_number: Optional[StripeObject]
        _inner_class_types: ClassVar[ClassMap] = {"document": DocumentOptions}

    id: str
    object: str
    client_reference_id: Optional[str]
    created: int
    livemode: bool
    type: str
    verification_flow: Optional[str]
    verification_session: Optional[str]
    document: Optional[Document]
    id_number: Optional[IdNumber]
    selfie: Optional[Selfie]
    email: Optional[Contact]
    phone: Optional[Contact]
    options: Optional[Options]
    _inner_class_types: ClassVar[ClassMap] = {
        "document": Document,
        "id_number": IdNumber,
        "selfie": Selfie,
        "email": Contact,
        "phone": Contact,
        "options": Options,
    }


class VerificationSession(StripeObject):
    """``identity.verification_session``: one verification of one user (``vs_...``).

    Its ``status`` moves ``requires_input`` → ``processing`` → ``verified`` (or back to
    ``requires_input`` with ``last_error``), or to ``canceled``.
    """

    class LastError(StripeObject):
        """Why the last submission failed."""

        code: Optional[str]
        reason: Optional[str]

    class Options(StripeObject):
        """The checks to run."""

        class Email(StripeObject):
            """``options.email``."""

            require_verification: Optional[bool]

        class Phone(StripeObject):
            """``options.phone``."""

            require_verification: Optional[bool]

        class Matching(StripeObject):
            """``options.matching``: how provided details must match."""

            dob: Optional[str]
            name: Optional[str]

        document: Optional[DocumentOptions]
        email: Optional[Email]
        id_number: Optional[StripeObject]
        matching: Optional[Matching]
        phone: Optional[Phone]
        _inner_class_types: ClassVar[ClassMap] = {
            "document": DocumentOptions,
            "email": Email,
            "phone": Phone,
            "matching": Matching,
        }

    class ProvidedDetails(StripeObject):
        """Details given to prefill and check (``expand=["provided_details"]``)."""

        email: Optional[str]
        phone: Optional[str]

    class Redaction(StripeObject):
        """Redaction of the session's data: ``status`` ``processing`` then ``redacted``."""

        status: str

    class RelatedPerson(StripeObject):
        """The Connect person the session is for."""

        account: str
        person: str

    class VerifiedOutputs(StripeObject):
        """What was verified (``expand=["verified_outputs"]``; ``dob``, ``id_number``,
        ``sex`` and the ``unparsed_*`` fields need their own ``verified_outputs.<field>``)."""

        address: Optional[Address]
        dob: Optional[Date]
        email: Optional[str]
        first_name: Optional[str]
        id_number: Optional[str]
        id_number_type: Optional[str]
        last_name: Optional[str]
        phone: Optional[str]
        sex: Optional[str]
        unparsed_place_of_birth: Optional[str]
        unparsed_sex: Optional[str]
        _inner_class_types: ClassVar[ClassMap] = {"address": Address, "dob": Date}

    id: str
    object: str
    client_reference_id: Optional[str]
    client_secret: Optional[str]
    created: int
    last_error: Optional[LastError]
    last_verification_report: Optional[Union[str, VerificationReport]]
    livemode: bool
    metadata: Dict[str, str]
    options: Optional[Options]
    provided_details: Optional[ProvidedDetails]
    redaction: Optional[Redaction]
    related_customer: Optional[str]
    related_customer_account: Optional[str]
    related_person: Optional[RelatedPerson]
    status: str
    type: str
    url: Optional[str]
    verification_flow: Optional[str]
    verified_outputs: Optional[VerifiedOutputs]
    _inner_class_types: ClassVar[ClassMap] = {
        "last_error": LastError,
        "options": Options,
        "provided_details": ProvidedDetails,
        "redaction": Redaction,
        "related_person": RelatedPerson,
        "verified_outputs": VerifiedOutputs,
    }


OBJECT_CLASSES["identity.verification_session"] = VerificationSession
OBJECT_CLASSES["identity.verification_report"] = VerificationReport
