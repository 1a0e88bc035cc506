/*
 * The VerificationSession lifecycle on the embedded simulator, from C:
 * create -> submit -> fail -> submit -> verify -> redact, then a list.
 *
 *   make -C bindings-c demo
 *   cc quickstart.c $(pkg-config --cflags --libs stripe-identity)     # once installed
 */
#include <stdio.h>
#include <stdlib.h>

#include <stripe_identity.h>

/* Prints a failed call's error, frees it, and ends the program. */
static void die(const char *what, si_result status, si_error *err) {
    fprintf(stderr, "%s failed (status %d): %s", what, (int)status, err ? si_error_message(err) : "(no details)");
    if (si_error_code(err)) fprintf(stderr, " [code %s]", si_error_code(err));
    if (si_error_param(err)) fprintf(stderr, " [param %s]", si_error_param(err));
    fprintf(stderr, "\n");
    si_error_free(err);
    exit(1);
}

static void show(const char *step, const si_session *s) {
    printf("%-20s %s  status=%-15s", step, si_session_id(s), si_session_status(s));
    if (si_session_last_error_code(s)) printf("  last_error=%s", si_session_last_error_code(s));
    if (si_session_last_verification_report(s)) printf("  report=%s", si_session_last_verification_report(s));
    if (si_session_redaction_status(s)) printf("  redaction=%s", si_session_redaction_status(s));
    printf("\n");
}

int main(void) {
    si_client *client = NULL;
    si_session *s = NULL;
    si_error *err = NULL;
    si_result st;

    printf("stripe-identity %s, local simulator\n", si_version());
    if ((st = si_client_new_local(&client)) != SI_OK) die("si_client_new_local", st, NULL);

    /* Parameters are JSON in the API's own shape; request options may be NULL. */
    si_request_options opts = {.idempotency_key = "order-42-verify"};
    st = si_verification_session_create(client,
                                        "{\"type\": \"document\","
                                        " \"options\": {\"document\": {\"require_matching_selfie\": true}},"
                                        " \"metadata\": {\"order\": \"42\"}, \"client_reference_id\": \"user_42\"}",
                                        &opts, &s, &err);
    if (st != SI_OK) die("create", st, err);
    show("created", s);
    printf("%-20s %s\n", "  hosted flow", si_session_url(s));

    /* The id is borrowed from `s`: copy it to keep it after freeing the session. */
    char id[64];
    snprintf(id, sizeof id, "%s", si_session_id(s));
    si_session_free(s);

    /* The simulator plays the user: submit, a failed check, a second try, success. */
    if ((st = si_test_helpers_submit(client, id, &s, &err)) != SI_OK) die("submit", st, err);
    show("submitted", s);
    si_session_free(s);
    if ((st = si_test_helpers_fail(client, id, "document_expired", NULL, &s, &err)) != SI_OK) die("fail", st, err);
    show("check failed", s);
    si_session_free(s);
    if ((st = si_test_helpers_submit(client, id, &s, &err)) != SI_OK) die("submit", st, err);
    si_session_free(s);
    if ((st = si_test_helpers_verify(client, id, &s, &err)) != SI_OK) die("verify", st, err);
    show("verified", s);
    si_session_free(s);

    /* The verified outputs, expanded, as JSON. */
    st = si_verification_session_retrieve(client, id, "{\"expand\": [\"verified_outputs\"]}", NULL, &s, &err);
    if (st != SI_OK) die("retrieve", st, err);
    char *json = si_session_to_json(s);
    printf("%-20s %.160s...\n", "  as JSON", json);
    si_string_free(json);
    si_session_free(s);

    /* A refused call: a verified session cannot be canceled. */
    st = si_verification_session_cancel(client, id, NULL, NULL, &s, &err);
    printf("%-20s status %d, code %s: %s\n", "cancel refused", (int)st, si_error_code(err), si_error_message(err));
    si_error_free(err);
    err = NULL;

    /* Redaction. */
    if ((st = si_verification_session_redact(client, id, NULL, NULL, &s, &err)) != SI_OK) die("redact", st, err);
    si_session_free(s);
    if ((st = si_test_helpers_complete_redaction(client, id, &s, &err)) != SI_OK) die("complete_redaction", st, err);
    show("redacted", s);
    si_session_free(s);

    /* A list page; its sessions are borrowed from the list. */
    si_session_list *list = NULL;
    if ((st = si_verification_session_list(client, "{\"limit\": 3}", NULL, &list, &err)) != SI_OK) die("list", st, err);
    printf("%-20s %zu session(s), has_more=%s\n", "list", si_session_list_len(list),
           si_session_list_has_more(list) ? "true" : "false");
    for (size_t i = 0; i < si_session_list_len(list); i++) show("  -", si_session_list_get(list, i));
    si_session_list_free(list);

    si_client_free(client);
    return 0;
}
