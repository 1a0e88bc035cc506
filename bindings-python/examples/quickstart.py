"""The whole life of a VerificationSession on the embedded simulator (no network, no key).

Run: ``python bindings-python/examples/quickstart.py`` (``make demo``).
"""

import stripe_identity as si


def main() -> None:
    client = si.Client.local()
    sessions = client.identity.verification_sessions
    user = client.test_helpers.identity.verification_sessions  # plays the user of the hosted flow

    s = sessions.create(
        type="document",
        options={"document": {"require_matching_selfie": True}},
        metadata={"order": "42"},
        client_reference_id="user_42",
        idempotency_key="order-42-verify",
    )
    print(f"created   {s.id}: {s.status}, send the user to {s.url}")

    s = user.submit(s.id)
    print(f"submitted {s.id}: {s.status}")
    s = user.fail(s.id, code="document_expired")
    print(f"failed    {s.id}: {s.status} ({s.last_error.code}: {s.last_error.reason})")

    user.submit(s.id)
    s = user.verify(s.id)
    print(f"verified  {s.id}: {s.status}, report {s.last_verification_report}")

    s = sessions.retrieve(s.id, expand=["verified_outputs"])
    out = s.verified_outputs
    print(f"verified outputs: {out.first_name} {out.last_name}, {out.address.city}")

    s = sessions.redact(s.id)
    print(f"redacting {s.id}: redaction {s.redaction.status}")
    s = user.complete_redaction(s.id)
    print(f"redacted  {s.id}: redaction {s.redaction.status}, metadata {s.metadata.to_dict()}")

    other = sessions.create(type="id_number")
    print(f"canceled  {other.id}: {sessions.cancel(other.id).status}")

    for i in range(5):
        sessions.create(type="document", metadata={"n": str(i)})
    page = sessions.list(limit=3, status="requires_input")
    print(f"first page: {len(page.data)} sessions, has_more={page.has_more}")
    every = [x.id for x in sessions.list(limit=3).auto_paging_iter()]
    print(f"all pages: {len(every)} sessions")

    try:
        sessions.cancel(s.id)
    except si.InvalidRequestError as e:
        print(f"refused: {e.code} (HTTP {e.http_status}): {e.message}")
    try:
        sessions.create(type="document", metadata=42)  # type: ignore[typeddict-item]
    except TypeError as e:
        print(f"TypeError: {e}")


if __name__ == "__main__":
    main()
