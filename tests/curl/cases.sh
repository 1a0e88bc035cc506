# The documentation's curl calls against identity-mock, checked field by field.
# Sourced by tests/peers/curl.sh, which provides:
#   BASE    http://127.0.0.1:PORT of a running identity-mock
#   KEY     a test secret key
#   req NAME CURL-ARGS...        runs curl, keeps the status, headers and body under NAME
#   check NAME EXPR...           asserts Python expressions about that answer (see check.py)
#   save VAR NAME EXPR           exports VAR = a Python expression over that answer (for later calls)

VS="$BASE/v1/identity/verification_sessions"
HELPERS="$BASE/v1/test_helpers/identity/verification_sessions"

# --- create -----------------------------------------------------------------------------------
req create_id_number "$VS" -u "$KEY:" -d type=id_number
check create_id_number \
    's == 200' \
    'j["object"] == "identity.verification_session"' \
    'j["id"].startswith("vs_")' \
    'j["type"] == "id_number"' \
    'j["status"] == "requires_input"' \
    'j["livemode"] is False' \
    'j["metadata"] == {}' \
    'j["last_error"] is None and j["redaction"] is None and j["last_verification_report"] is None' \
    'j["client_secret"].startswith(j["id"] + "_secret_")' \
    'j["url"].startswith(env["BASE"] + "/start/test_")' \
    'h["request-id"].startswith("req_")' \
    'h["content-type"] == "application/json"' \
    '"idempotent-replayed" not in h'
save ID_NUMBER create_id_number 'j["id"]'

req create_document "$VS" -u "$KEY:" \
    -d type=document \
    -d "metadata[order]"=42 \
    -d "options[document][allowed_types][]"=passport \
    -d "options[document][allowed_types][]"=driving_license \
    -d "options[document][require_matching_selfie]"=true \
    -d "provided_details[email]"=jenny@example.com \
    -d client_reference_id=curl-ref \
    -d return_url=https://example.com/back
check create_document \
    's == 200' \
    'j["type"] == "document"' \
    'j["metadata"] == {"order": "42"}' \
    'j["options"]["document"]["allowed_types"] == ["passport", "driving_license"]' \
    'j["options"]["document"]["require_matching_selfie"] is True' \
    'j["client_reference_id"] == "curl-ref"' \
    '"return_url" not in j'
save ID create_document 'j["id"]'

# --- retrieve ---------------------------------------------------------------------------------
req retrieve "$VS/$ID" -u "$KEY:"
check retrieve 's == 200' 'j["id"] == env["ID"]' 'j["metadata"]["order"] == "42"' '"provided_details" not in j'

req retrieve_expand "$VS/$ID" -u "$KEY:" -G -d "expand[]"=provided_details
check retrieve_expand 's == 200' 'j["provided_details"]["email"] == "jenny@example.com"'

req retrieve_bearer "$VS/$ID" -H "Authorization: Bearer $KEY"
check retrieve_bearer 's == 200' 'j["id"] == env["ID"]'

# --- update -----------------------------------------------------------------------------------
req update "$VS/$ID" -u "$KEY:" -d "metadata[order]"= -d "metadata[shipped]"=yes
check update 's == 200' 'j["metadata"] == {"shipped": "yes"}'

req update_unset_all "$VS/$ID" -u "$KEY:" -d metadata=
check update_unset_all 's == 200' 'j["metadata"] == {}'

# --- list -------------------------------------------------------------------------------------
for i in 1 2 3 4; do
    req "filler_$i" "$VS" -u "$KEY:" -d type=document -d client_reference_id=curl-list
done
req list "$VS" -u "$KEY:" -G -d limit=3
check list \
    's == 200' \
    'j["object"] == "list"' \
    'j["url"] == "/v1/identity/verification_sessions"' \
    'len(j["data"]) == 3' \
    'j["has_more"] is True' \
    '[x["created"] for x in j["data"]] == sorted([x["created"] for x in j["data"]], reverse=True)'
save LAST list 'j["data"][-1]["id"]'

req list_next "$VS" -u "$KEY:" -G -d limit=3 -d starting_after="$LAST"
check list_next 's == 200' 'env["LAST"] not in [x["id"] for x in j["data"]]' 'len(j["data"]) == 3'

req list_filters "$VS" -u "$KEY:" -G -d client_reference_id=curl-list -d status=requires_input \
    --data-urlencode "created[gte]=0" -d limit=100
check list_filters 's == 200' 'len(j["data"]) == 4' 'all(x["client_reference_id"] == "curl-list" for x in j["data"])'

req list_expand "$VS" -u "$KEY:" -G -d limit=1 -d "expand[]"=data.provided_details
check list_expand 's == 200' '"provided_details" in j["data"][0]'

# --- the user's side, played by the controls ----------------------------------------------------
req submit -X POST "$HELPERS/$ID/submit" -u "$KEY:"
check submit 's == 200' 'j["status"] == "processing"'

req fail "$HELPERS/$ID/fail" -u "$KEY:" -d code=document_expired
check fail 's == 200' 'j["status"] == "requires_input"' 'j["last_error"]["code"] == "document_expired"'

req submit_again -X POST "$HELPERS/$ID/submit" -u "$KEY:"
req verify -X POST "$HELPERS/$ID/verify" -u "$KEY:"
check verify 's == 200' 'j["status"] == "verified"' 'j["last_verification_report"].startswith("vr_")'

req verified_outputs "$VS/$ID" -u "$KEY:" -G -d "expand[]"=verified_outputs -d "expand[]"=last_verification_report
check verified_outputs \
    's == 200' \
    'j["verified_outputs"]["first_name"]' \
    'j["last_verification_report"]["object"] == "identity.verification_report"'

# --- cancel and redact ------------------------------------------------------------------------
req cancel -X POST "$VS/$ID_NUMBER/cancel" -u "$KEY:"
check cancel 's == 200' 'j["status"] == "canceled"' 'j["client_secret"] is None and j["url"] is None'

req cancel_verified -X POST "$VS/$ID/cancel" -u "$KEY:"
check cancel_verified \
    's == 400' \
    'e["type"] == "invalid_request_error"' \
    'e["code"] == "verification_session_unexpected_state"' \
    'h["request-id"].startswith("req_")'

req redact -X POST "$VS/$ID/redact" -u "$KEY:"
check redact 's == 200' 'j["redaction"]["status"] == "processing"' 'j["status"] == "verified"'

req complete_redaction -X POST "$HELPERS/$ID/complete_redaction" -u "$KEY:"
check complete_redaction 's == 200' 'j["redaction"]["status"] == "redacted"'

# --- idempotency ------------------------------------------------------------------------------
export IKEY="curl-$$-$RANDOM"
req idem_first "$VS" -u "$KEY:" -H "Idempotency-Key: $IKEY" -d type=document -d "metadata[order]"=42
check idem_first 's == 200' 'h["idempotency-key"] == env["IKEY"]' '"idempotent-replayed" not in h'
save IDEM idem_first 'j["id"]'
req idem_replay "$VS" -u "$KEY:" -H "Idempotency-Key: $IKEY" -d type=document -d "metadata[order]"=42
check idem_replay \
    's == 200' \
    'j["id"] == env["IDEM"]' \
    'h["idempotent-replayed"] == "true"' \
    'h["idempotency-key"] == env["IKEY"]'
req idem_mismatch "$VS" -u "$KEY:" -H "Idempotency-Key: $IKEY" -d type=id_number
check idem_mismatch 's == 400' 'e["type"] == "idempotency_error"' 'env["IKEY"] in e["message"]'

# --- refusals ---------------------------------------------------------------------------------
req no_key "$VS"
check no_key \
    's == 401' \
    'e["type"] == "invalid_request_error"' \
    'e["message"].startswith("You did not provide an API key.")' \
    'h["request-id"].startswith("req_")'

req bad_key "$VS" -u "sk_test_bad-key-abcd:"
check bad_key 's == 401' 'e["type"] == "invalid_request_error"' 'e["message"] == "Invalid API Key provided: sk_test_****abcd"'

req publishable_key "$VS" -u "pk_test_abcdef:"
check publishable_key 's == 401' 'e["code"] == "secret_key_required"'

req unknown_url "$BASE/v1/nope" -u "$KEY:"
check unknown_url \
    's == 404' \
    'e["type"] == "invalid_request_error"' \
    'e["message"].startswith("Unrecognized request URL (GET: /v1/nope).")'

req unknown_method -X DELETE "$VS/$ID" -u "$KEY:"
check unknown_method 's == 404' 'e["message"].startswith("Unrecognized request URL (DELETE: ")'

req missing_id "$VS/vs_doesnotexist" -u "$KEY:"
check missing_id 's == 404' 'e["code"] == "resource_missing"' 'e["message"] == "No such verification_session: '"'"'vs_doesnotexist'"'"'"'

req unknown_param "$VS" -u "$KEY:" -d type=document -d colour=blue
check unknown_param 's == 400' 'e["code"] == "parameter_unknown"' 'e["param"] == "colour"'

req bad_limit "$VS" -u "$KEY:" -G -d limit=1000
check bad_limit 's == 400' 'e["param"] == "limit"'

BIG="$WORK/big.txt"
python3 -c 'import sys; sys.stdout.write("type=document&metadata[k]=" + "x" * (2 << 20))' > "$BIG"
req too_large "$VS" -u "$KEY:" --data-binary "@$BIG"
check too_large 's == 413' 'e["type"] == "invalid_request_error"'

# --- still serving after all that --------------------------------------------------------------
req still_serving "$VS" -u "$KEY:" -G -d limit=1
check still_serving 's == 200'
