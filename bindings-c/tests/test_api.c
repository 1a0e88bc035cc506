/*
 * Tests of the C API through the header and the library, as a C program sees them: every
 * function, every error path (NULL, bad UTF-8, bad JSON, API errors, out-parameters left alone
 * on failure), and 8 threads sharing one client. Run under valgrind, and built with
 * AddressSanitizer + UndefinedBehaviorSanitizer, by scripts/test.sh.
 *
 *   test_api                    on the embedded simulator (si_client_new_local)
 *   SI_TEST_BASE_URL=http://127.0.0.1:PORT test_api
 *                               the same tests over HTTP against identity-mock, plus the
 *                               HTTP-only errors (authentication, connection)
 *   SI_TEST_BASE_URL=https://127.0.0.1:PORT SI_TEST_CA_BUNDLE=ca.pem test_api
 *                               all of it over HTTPS, trusting the test CA through
 *                               options.ca_bundle_path, plus the certificate refusals (with
 *                               SI_TEST_WRONG_NAME_URL, a server whose certificate names
 *                               another host); with
 *                               SI_TEST_PROXY=http://127.0.0.1:PORT and
 *                               SI_TEST_PROXIED_URL=https://other.invalid:PORT, a call through
 *                               that CONNECT proxy (HTTPS_PROXY) and one that NO_PROXY sends
 *                               direct
 *
 * Ends with "N passed, M failed" and exits non-zero when anything failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stripe_identity.h"

static int passed, failed;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

/* Two C strings are equal, NULL matching only NULL. */
static int same(const char *a, const char *b) {
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

static int starts_with(const char *s, const char *prefix) {
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

#define CHECK_STR(actual, expected)                                                                     \
    do {                                                                                                \
        const char *a_ = (actual), *e_ = (expected);                                                    \
        if (same(a_, e_)) {                                                                             \
            passed++;                                                                                   \
        } else {                                                                                        \
            failed++;                                                                                   \
            fprintf(stderr, "FAIL %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
                    a_ ? a_ : "(NULL)", e_ ? e_ : "(NULL)");                                            \
        }                                                                                               \
    } while (0)

/* Not valid UTF-8. */
static const char BAD_UTF8[] = "\xff\xfe";

/* A value no call may write: out-parameters must keep it when a call fails. */
static int sentinel_target;
#define SENTINEL ((void *)&sentinel_target)

/* The client under test, local or HTTP. */
static si_client *client;
static const char *base_url;
/* The PEM file of the test CA, when base_url is HTTPS. */
static const char *ca_bundle;
/* Makes names unique per run: identity-mock keeps its sessions between test programs. */
static char run_tag[64];

/* Prints an unexpected error and frees it. */
static void report(const char *what, si_result st, si_error *err) {
    fprintf(stderr, "  %s failed: status %d: %s\n", what, (int)st, err ? si_error_message(err) : "(no error)");
    si_error_free(err);
}

/* Checks a failed call: its status, the error's status and message, and optionally its param and
 * code (NULL: not checked, "" : must be absent). Frees the error. */
static void expect_error(int line, si_result st, si_error *err, si_result expected, const char *param,
                         const char *code) {
    int ok = st == expected && err != NULL && si_error_status(err) == expected && si_error_message(err) != NULL &&
             strlen(si_error_message(err)) > 0;
    if (ok && param != NULL) ok = *param ? same(si_error_param(err), param) : si_error_param(err) == NULL;
    if (ok && code != NULL) ok = *code ? same(si_error_code(err), code) : si_error_code(err) == NULL;
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL line %d: status %d (expected %d), param %s, code %s, message %s\n", line, (int)st,
                (int)expected, err ? (si_error_param(err) ? si_error_param(err) : "(NULL)") : "-",
                err ? (si_error_code(err) ? si_error_code(err) : "(NULL)") : "-",
                err ? si_error_message(err) : "(no error)");
    }
    si_error_free(err);
}
#define EXPECT_ERROR(st, err, expected, param, code) expect_error(__LINE__, st, err, expected, param, code)

/* Checks that a call succeeded; otherwise prints and frees its error. */
static bool ok_at(int line, si_result st, si_error **err) {
    if (st == SI_OK) {
        passed++;
        return true;
    }
    failed++;
    fprintf(stderr, "FAIL line %d: status %d: %s\n", line, (int)st, *err ? si_error_message(*err) : "(no error)");
    si_error_free(*err);
    *err = NULL;
    return false;
}
/* The call in `st` succeeded, and then `cond` holds. */
#define OK_THEN(cond)                               \
    do {                                            \
        if (ok_at(__LINE__, st, &err)) CHECK(cond); \
    } while (0)

static si_session *create(const char *params) {
    si_session *s = NULL;
    si_error *err = NULL;
    si_result st = si_verification_session_create(client, params, NULL, &s, &err);
    CHECK(st == SI_OK);
    if (st != SI_OK) report("create", st, err);
    return s;
}

/* ------------------------------------------------------------------------------------------ */

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", SI_VERSION_MAJOR, SI_VERSION_MINOR, SI_VERSION_PATCH);
    CHECK_STR(si_version(), expected);
}

static void test_client_constructors(void) {
    si_client *c = SENTINEL;
    si_error *err = NULL;
    si_result st;

    CHECK(si_client_new_local(NULL) == SI_ERR_INVALID_ARGUMENT);
    c = NULL;
    CHECK(si_client_new_local(&c) == SI_OK && c != NULL);
    si_client_free(c);

    si_client_options o = SI_CLIENT_OPTIONS_INIT;
    CHECK(o.base_url == NULL && o.max_network_retries == -1 && o.timeout_ms == 0 && o.stripe_version == NULL &&
          o.stripe_account == NULL);
    o.base_url = "http://127.0.0.1:12111";
    o.max_network_retries = 3;
    o.timeout_ms = 5000;
    o.stripe_version = "2026-10-28.endive";
    o.stripe_account = "acct_123";
    c = NULL;
    CHECK(si_client_new("sk_test_123", &o, &c, &err) == SI_OK && c != NULL && err == NULL);
    si_client_free(c);
    c = NULL;
    CHECK(si_client_new("sk_test_123", NULL, &c, NULL) == SI_OK && c != NULL);
    si_client_free(c);

    /* Refusals: nothing is written to client_out. */
    c = SENTINEL;
    st = si_client_new(NULL, NULL, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "api_key", "");
    err = NULL;
    st = si_client_new(BAD_UTF8, NULL, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "api_key", NULL);
    err = NULL;
    st = si_client_new("sk_test_ 123", NULL, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "api_key", NULL);
    err = NULL;
    st = si_client_new("sk_test_123", NULL, NULL, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "client_out", NULL);
    o = SI_CLIENT_OPTIONS_INIT;
    o.base_url = "ftp://example";
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    CHECK(si_error_http_status(err) == 0 && si_error_type(err) == NULL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, NULL, NULL);
    o.base_url = BAD_UTF8;
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options.base_url", NULL);
    o = SI_CLIENT_OPTIONS_INIT;
    o.stripe_version = BAD_UTF8;
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options.stripe_version", NULL);
    o = SI_CLIENT_OPTIONS_INIT;
    o.stripe_account = BAD_UTF8;
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options.stripe_account", NULL);
    /* The core judges the values, as in every language: a timeout of a year or more is a
       mistake in units. */
    o = SI_CLIENT_OPTIONS_INIT;
    o.timeout_ms = UINT64_MAX;
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options.timeout_ms", NULL);
    /* A key that cannot travel in a header is refused now, not as a connection error later. */
    err = NULL;
    st = si_client_new("sk_test_caf\xc3\xa9", NULL, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "api_key", NULL);
    /* Credentials in a base URL are never echoed. */
    o = SI_CLIENT_OPTIONS_INIT;
    o.base_url = "http://user:hunter2@127.0.0.1:1";
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    CHECK(si_error_message(err) != NULL && strstr(si_error_message(err), "hunter2") == NULL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, NULL, NULL);
    /* A NULL error out-parameter: the status alone tells. */
    CHECK(si_client_new(NULL, NULL, &c, NULL) == SI_ERR_INVALID_ARGUMENT);
    CHECK(c == SENTINEL);
}

static void test_lifecycle(void) {
    si_session *s = NULL, *t = NULL;
    si_error *err = NULL;
    si_result st;
    char params[512];

    snprintf(params, sizeof params,
             "{\"type\":\"document\",\"metadata\":{\"order\":\"42\"},\"client_reference_id\":\"%s-life\","
             "\"options\":{\"document\":{\"require_matching_selfie\":true}},\"related_customer\":\"cus_123\"}",
             run_tag);
    s = create(params);
    if (s == NULL) return;
    char id[128];
    snprintf(id, sizeof id, "%s", si_session_id(s));
    CHECK(starts_with(id, "vs_"));
    CHECK_STR(si_session_object(s), "identity.verification_session");
    CHECK_STR(si_session_status(s), "requires_input");
    CHECK_STR(si_session_type(s), "document");
    CHECK(si_session_client_secret(s) != NULL);
    {
        /* identity-mock serves the hosted page itself; the embedded simulator keeps Stripe's host. */
        char hosted[256];
        snprintf(hosted, sizeof hosted, "%s/start/test_",
                 base_url != NULL && *base_url ? base_url : "https://verify.stripe.com");
        CHECK(starts_with(si_session_url(s), hosted));
    }
    CHECK(si_session_client_reference_id(s) != NULL && strstr(si_session_client_reference_id(s), "-life"));
    CHECK_STR(si_session_related_customer(s), "cus_123");
    CHECK(si_session_related_customer_account(s) == NULL);
    CHECK(si_session_verification_flow(s) == NULL);
    CHECK(si_session_last_verification_report(s) == NULL);
    CHECK(si_session_redaction_status(s) == NULL);
    CHECK(si_session_last_error_code(s) == NULL && si_session_last_error_reason(s) == NULL);
    CHECK(si_session_created(s) > 1600000000);
    CHECK(si_session_livemode(s) == false);
    char *json = si_session_to_json(s);
    CHECK(json != NULL && strstr(json, "\"metadata\":{\"order\":\"42\"}") &&
          strstr(json, "\"require_matching_selfie\":true"));
    si_string_free(json);
    si_session_free(s);
    s = NULL; /* a failed call leaves it alone: no stale pointer */

    /* retrieve, update */
    st = si_verification_session_retrieve(client, id, NULL, NULL, &s, &err);
    OK_THEN(same(si_session_id(s), id) && same(si_session_status(s), "requires_input"));
    si_session_free(s);
    s = NULL;
    st = si_verification_session_update(client, id, "{\"metadata\":{\"order\":\"\",\"step\":\"2\"}}", NULL, &s, &err);
    ok_at(__LINE__, st, &err);
    json = si_session_to_json(s);
    CHECK(json != NULL && strstr(json, "\"metadata\":{\"step\":\"2\"}"));
    si_string_free(json);
    si_session_free(s);
    s = NULL;

    /* submit, fail, submit, verify */
    st = si_test_helpers_submit(client, id, &s, &err);
    OK_THEN(same(si_session_status(s), "processing") && si_session_client_secret(s) == NULL &&
            si_session_url(s) == NULL);
    si_session_free(s);
    s = NULL;
    st = si_test_helpers_fail(client, id, "document_expired", "The document expired in 2019.", &s, &err);
    OK_THEN(same(si_session_status(s), "requires_input"));
    CHECK_STR(si_session_last_error_code(s), "document_expired");
    CHECK_STR(si_session_last_error_reason(s), "The document expired in 2019.");
    si_session_free(s);
    s = NULL;
    st = si_test_helpers_submit(client, id, &s, &err);
    ok_at(__LINE__, st, &err);
    si_session_free(s);
    s = NULL;
    st = si_test_helpers_fail(client, id, "document_unverified_other", NULL, &s, &err);
    OK_THEN(same(si_session_last_error_code(s), "document_unverified_other") &&
            si_session_last_error_reason(s) != NULL);
    si_session_free(s);
    s = NULL;
    si_test_helpers_submit(client, id, &s, NULL);
    si_session_free(s);
    s = NULL;
    st = si_test_helpers_verify(client, id, &s, &err);
    OK_THEN(same(si_session_status(s), "verified") && si_session_last_error_code(s) == NULL);
    CHECK(starts_with(si_session_last_verification_report(s), "vr_"));
    si_session_free(s);
    s = NULL;

    /* expand: the expanded report still gives its id; the outputs are in the JSON */
    st = si_verification_session_retrieve(
        client, id, "{\"expand\":[\"verified_outputs\",\"last_verification_report\"]}", NULL, &s, &err);
    OK_THEN(starts_with(si_session_last_verification_report(s), "vr_"));
    json = si_session_to_json(s);
    CHECK(json != NULL && strstr(json, "\"verified_outputs\":{") && strstr(json, "\"first_name\":\"Jenny\""));
    si_string_free(json);
    si_session_free(s);
    s = NULL;

    /* redact, complete_redaction */
    st = si_verification_session_redact(client, id, NULL, NULL, &s, &err);
    OK_THEN(same(si_session_redaction_status(s), "processing"));
    si_session_free(s);
    s = NULL;
    st = si_test_helpers_complete_redaction(client, id, &s, &err);
    OK_THEN(same(si_session_redaction_status(s), "redacted"));
    si_session_free(s);
    s = NULL;
    st = si_verification_session_retrieve(client, id, "{\"expand\":[\"verified_outputs\"]}", NULL, &s, &err);
    json = si_session_to_json(s);
    OK_THEN(json != NULL && strstr(json, "[redacted]"));
    si_string_free(json);
    si_session_free(s);
    s = NULL;

    /* cancel another session */
    t = create("{\"type\":\"id_number\"}");
    if (t == NULL) return;
    st = si_verification_session_cancel(client, si_session_id(t), NULL, NULL, &s, &err);
    OK_THEN(same(si_session_status(s), "canceled") && same(si_session_type(s), "id_number"));
    si_session_free(s);
    s = NULL;
    si_session_free(t);
    (void)err;
}

static void test_request_options(void) {
    si_session *a = NULL, *b = NULL, *s = SENTINEL;
    si_error *err = NULL;
    si_result st;
    char key[128];
    snprintf(key, sizeof key, "%s-idem", run_tag);
    si_request_options opts = {key, NULL, NULL};

    CHECK(si_verification_session_create(client, "{\"type\":\"document\"}", &opts, &a, NULL) == SI_OK);
    CHECK(si_verification_session_create(client, "{\"type\":\"document\"}", &opts, &b, NULL) == SI_OK);
    CHECK(a && b && same(si_session_id(a), si_session_id(b)));
    /* the same key with other parameters */
    st = si_verification_session_create(client, "{\"type\":\"id_number\"}", &opts, &s, &err);
    CHECK(s == SENTINEL);
    CHECK(st == SI_ERR_IDEMPOTENCY && same(si_error_type(err), "idempotency_error") &&
          si_error_http_status(err) == 400);
    EXPECT_ERROR(st, err, SI_ERR_IDEMPOTENCY, NULL, NULL);
    si_session_free(a);
    si_session_free(b);

    /* stripe_version and stripe_account travel with the request */
    si_request_options v = {NULL, "acct_c_test", "2026-10-28.endive"};
    a = NULL;
    CHECK(si_verification_session_create(client, "{\"type\":\"document\"}", &v, &a, NULL) == SI_OK && a != NULL);
    si_session_free(a);
    si_request_options zero = {NULL, NULL, NULL};
    a = NULL;
    CHECK(si_verification_session_create(client, "{\"type\":\"document\"}", &zero, &a, NULL) == SI_OK && a != NULL);
    si_session_free(a);
    /* NULL params: no parameters at all, and the API wants a type */
    s = SENTINEL;
    err = NULL;
    st = si_verification_session_create(client, NULL, &zero, &s, &err);
    CHECK(s == SENTINEL && si_error_http_status(err) == 400);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, NULL, "parameter_missing");

    /* bad UTF-8 in each option */
    const char *fields[] = {"opts.idempotency_key", "opts.stripe_account", "opts.stripe_version"};
    for (int i = 0; i < 3; i++) {
        si_request_options bad = {NULL, NULL, NULL};
        if (i == 0) bad.idempotency_key = BAD_UTF8;
        if (i == 1) bad.stripe_account = BAD_UTF8;
        if (i == 2) bad.stripe_version = BAD_UTF8;
        err = NULL;
        s = SENTINEL;
        st = si_verification_session_create(client, "{\"type\":\"document\"}", &bad, &s, &err);
        CHECK(s == SENTINEL);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, fields[i], NULL);
    }
    /* a key that is UTF-8 but not printable ASCII is refused before anything is sent */
    si_request_options accented = {"cl\xc3\xa9", NULL, NULL};
    err = NULL;
    s = SENTINEL;
    st = si_verification_session_create(client, "{\"type\":\"document\"}", &accented, &s, &err);
    CHECK(s == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "idempotency_key", NULL);
}

static void test_lists(void) {
    char params[256];
    char ids[5][128];
    si_session_list *list = NULL;
    si_error *err = NULL;
    si_result st;

    for (int i = 0; i < 5; i++) {
        snprintf(params, sizeof params, "{\"type\":\"document\",\"client_reference_id\":\"%s-list\"}", run_tag);
        si_session *s = create(params);
        if (s == NULL) return;
        snprintf(ids[i], sizeof ids[i], "%s", si_session_id(s));
        si_session_free(s);
    }
    snprintf(params, sizeof params, "{\"limit\":2,\"client_reference_id\":\"%s-list\"}", run_tag);
    st = si_verification_session_list(client, params, NULL, &list, &err);
    CHECK(st == SI_OK && list != NULL);
    if (st != SI_OK) {
        report("list", st, err);
        return;
    }
    CHECK(si_session_list_len(list) == 2);
    CHECK(si_session_list_has_more(list));
    CHECK_STR(si_session_list_url(list), "/v1/identity/verification_sessions");
    /* newest first */
    CHECK_STR(si_session_id(si_session_list_get(list, 0)), ids[4]);
    CHECK_STR(si_session_id(si_session_list_get(list, 1)), ids[3]);
    CHECK(si_session_list_get(list, 2) == NULL);
    CHECK(si_session_list_get(list, (size_t)-1) == NULL);
    char *json = si_session_list_to_json(list);
    CHECK(json != NULL && strstr(json, "\"object\":\"list\"") && strstr(json, "\"has_more\":true") &&
          strstr(json, ids[4]) && strstr(json, ids[3]) && !strstr(json, ids[2]));
    si_string_free(json);

    /* walk every page with starting_after: the caller pages as the API does */
    int seen = 0;
    char after[128] = "";
    for (;;) {
        si_session_list *page = NULL;
        if (after[0])
            snprintf(params, sizeof params,
                     "{\"limit\":2,\"client_reference_id\":\"%s-list\",\"starting_after\":\"%s\"}", run_tag, after);
        else
            snprintf(params, sizeof params, "{\"limit\":2,\"client_reference_id\":\"%s-list\"}", run_tag);
        st = si_verification_session_list(client, params, NULL, &page, &err);
        if (st != SI_OK) {
            report("list page", st, err);
            CHECK(st == SI_OK);
            break;
        }
        size_t n = si_session_list_len(page);
        for (size_t i = 0; i < n; i++) CHECK_STR(si_session_id(si_session_list_get(page, i)), ids[4 - seen - (int)i]);
        seen += (int)n;
        bool more = si_session_list_has_more(page);
        if (n > 0) snprintf(after, sizeof after, "%s", si_session_id(si_session_list_get(page, n - 1)));
        si_session_list_free(page);
        if (!more || n == 0) break;
    }
    CHECK(seen == 5);

    /* a filter that matches nothing: an empty page */
    si_session_list *empty = NULL;
    st = si_verification_session_list(client, "{\"client_reference_id\":\"nobody-at-all\"}", NULL, &empty, &err);
    CHECK(st == SI_OK && si_session_list_len(empty) == 0 && !si_session_list_has_more(empty) &&
          si_session_list_get(empty, 0) == NULL);
    si_session_list_free(empty);

    /* NULL params: the first page of everything */
    si_session_list *all = NULL;
    CHECK(si_verification_session_list(client, NULL, NULL, &all, NULL) == SI_OK && si_session_list_len(all) > 0);
    si_session_list_free(all);

    /* refusals leave list_out alone */
    si_session_list *l = SENTINEL;
    err = NULL;
    st = si_verification_session_list(client, "{\"limit\":", NULL, &l, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
    err = NULL;
    st = si_verification_session_list(client, "{\"limit\":\"ten\"}", NULL, &l, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_TYPE, "limit", NULL);
    err = NULL;
    st = si_verification_session_list(client, "{\"limit\":1000}", NULL, &l, &err);
    CHECK(si_error_http_status(err) == 400);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "limit", NULL);
    err = NULL;
    st = si_verification_session_list(client, BAD_UTF8, NULL, &l, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
    err = NULL;
    st = si_verification_session_list(NULL, NULL, NULL, &l, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "client", NULL);
    err = NULL;
    st = si_verification_session_list(client, NULL, NULL, NULL, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "list_out", NULL);
    CHECK(l == SENTINEL);
    si_session_list_free(list);
}

/* One operation on a session, by name, so the error paths can be run over all of them. */
typedef enum { OP_RETRIEVE, OP_UPDATE, OP_CANCEL, OP_REDACT, OP_SUBMIT, OP_VERIFY, OP_FAIL, OP_COMPLETE } op;
static const char *op_names[] = {"retrieve", "update", "cancel", "redact",
                                 "submit",   "verify", "fail",   "complete_redaction"};

static si_result run_op(op o, const si_client *c, const char *id, const char *params, si_session **out,
                        si_error **err) {
    switch (o) {
    case OP_RETRIEVE: return si_verification_session_retrieve(c, id, params, NULL, out, err);
    case OP_UPDATE: return si_verification_session_update(c, id, params, NULL, out, err);
    case OP_CANCEL: return si_verification_session_cancel(c, id, params, NULL, out, err);
    case OP_REDACT: return si_verification_session_redact(c, id, params, NULL, out, err);
    case OP_SUBMIT: return si_test_helpers_submit(c, id, out, err);
    case OP_VERIFY: return si_test_helpers_verify(c, id, out, err);
    case OP_FAIL: return si_test_helpers_fail(c, id, "document_expired", NULL, out, err);
    case OP_COMPLETE: return si_test_helpers_complete_redaction(c, id, out, err);
    }
    return SI_ERR_INTERNAL;
}

/* `{"<key>":[[...[1]...]]}` with `depth` arrays, for a caller to free. */
static char *nested_params(const char *key, int depth) {
    size_t len = strlen(key) + 2 * (size_t)depth + 8;
    char *text = malloc(len);
    if (text == NULL) abort();
    char *p = text + sprintf(text, "{\"%s\":", key);
    memset(p, '[', (size_t)depth);
    p += depth;
    *p++ = '1';
    memset(p, ']', (size_t)depth);
    p += depth;
    strcpy(p, "}");
    return text;
}

static void test_error_paths(void) {
    si_session *s = SENTINEL;
    si_error *err = NULL;
    si_result st;

    si_session *live = create("{\"type\":\"document\"}");
    if (live == NULL) return;
    const char *id = si_session_id(live);

    for (int i = 0; i <= OP_COMPLETE; i++) {
        op o = (op)i;
        int takes_params = o <= OP_REDACT;
        fprintf(stderr, "  error paths of %s\n", op_names[i]);
        err = NULL;
        st = run_op(o, NULL, id, NULL, &s, &err);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "client", NULL);
        err = NULL;
        st = run_op(o, client, NULL, NULL, &s, &err);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "id", NULL);
        err = NULL;
        st = run_op(o, client, BAD_UTF8, NULL, &s, &err);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "id", NULL);
        err = NULL;
        st = run_op(o, client, "", NULL, &s, &err);
        /* core refuses an empty id (its param is core's to name) */
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, NULL, NULL);
        err = NULL;
        st = run_op(o, client, id, NULL, NULL, &err);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "session_out", NULL);
        /* an unknown id: the API's 404 */
        err = NULL;
        st = run_op(o, client, "vs_doesnotexist", NULL, &s, &err);
        CHECK(si_error_http_status(err) == 404 && same(si_error_type(err), "invalid_request_error"));
        CHECK(si_error_request_id(err) != NULL && si_error_doc_url(err) != NULL);
        CHECK(si_error_json_body(err) != NULL && strstr(si_error_json_body(err), "\"resource_missing\""));
        EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, NULL, "resource_missing");
        /* a NULL error out-parameter */
        CHECK(run_op(o, client, "vs_doesnotexist", NULL, &s, NULL) == SI_ERR_INVALID_REQUEST);
        if (takes_params) {
            err = NULL;
            st = run_op(o, client, id, "{\"expand\":", &s, &err);
            EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
            err = NULL;
            st = run_op(o, client, id, BAD_UTF8, &s, &err);
            EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
            err = NULL;
            st = run_op(o, client, id, "{\"expand\":\"verified_outputs\"}", &s, &err);
            EXPECT_ERROR(st, err, SI_ERR_INVALID_TYPE, "expand", NULL);
        }
    }
    CHECK(s == SENTINEL);

    /* create's own refusals */
    err = NULL;
    st = si_verification_session_create(NULL, NULL, NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "client", NULL);
    err = NULL;
    st = si_verification_session_create(client, NULL, NULL, NULL, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "session_out", NULL);
    err = NULL;
    st = si_verification_session_create(client, "not json", NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
    err = NULL;
    st = si_verification_session_create(client, "[1,2]", NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_TYPE, NULL, NULL);
    err = NULL;
    st = si_verification_session_create(client, BAD_UTF8, NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
    err = NULL;
    st = si_verification_session_create(client, "{\"type\":\"document\",\"metadata\":42}", NULL, &s, &err);
    CHECK(si_error_http_status(err) == 0 && si_error_type(err) == NULL && si_error_request_id(err) == NULL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_TYPE, "metadata", "");
    /* parameters nested deeper than core converts (32 levels, the object itself included) are
       refused as they are read: never a crash, whatever the depth */
    {
        const int depths[] = {32, 200, 100000};
        for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
            char *deep = nested_params("options", depths[i]);
            err = NULL;
            st = si_verification_session_create(client, deep, NULL, &s, &err);
            CHECK(si_error_message(err) != NULL && strstr(si_error_message(err), "nested deeper than 32"));
            EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "params_json", NULL);
            free(deep);
        }
        /* one level less is sent, and the API judges it */
        char *sent = nested_params("colour", 31);
        err = NULL;
        st = si_verification_session_create(client, sent, NULL, &s, &err);
        EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "colour", NULL);
        free(sent);
    }
    /* the API's own refusals */
    err = NULL;
    st = si_verification_session_create(client, "{\"type\":\"document\",\"colour\":\"blue\"}", NULL, &s, &err);
    CHECK(si_error_http_status(err) == 400);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "colour", "parameter_unknown");
    err = NULL;
    st = si_verification_session_update(client, id, "{\"metadata\":{\"k\":\"a\\u0000b\"}}", NULL, &s, &err);
    /* A NUL inside JSON text must not cut a message or crash; whatever the answer, it is clean. */
    if (st == SI_OK) {
        si_session_free(s);
        s = SENTINEL;
    } else {
        CHECK(si_error_message(err) != NULL);
        si_error_free(err);
    }
    CHECK(s == SENTINEL);

    /* state errors: cancel after submit, verify before submit */
    si_session *p = NULL;
    CHECK(si_test_helpers_submit(client, id, &p, NULL) == SI_OK);
    si_session_free(p);
    err = NULL;
    st = si_verification_session_cancel(client, id, NULL, NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, NULL, "verification_session_unexpected_state");
    err = NULL;
    st = si_test_helpers_submit(client, id, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, NULL, "verification_session_unexpected_state");
    /* fail's own arguments */
    err = NULL;
    st = si_test_helpers_fail(client, id, NULL, NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "code", NULL);
    err = NULL;
    st = si_test_helpers_fail(client, id, BAD_UTF8, NULL, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "code", NULL);
    err = NULL;
    st = si_test_helpers_fail(client, id, "document_expired", BAD_UTF8, &s, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "reason", NULL);
    err = NULL;
    st = si_test_helpers_fail(client, id, "not_a_code", NULL, &s, &err);
    CHECK(st == SI_ERR_INVALID_REQUEST || st == SI_ERR_INVALID_ARGUMENT);
    si_error_free(err);
    CHECK(s == SENTINEL);
    si_session_free(live);

    /* accessors and frees take NULL */
    CHECK(si_session_id(NULL) == NULL && si_session_object(NULL) == NULL && si_session_status(NULL) == NULL &&
          si_session_type(NULL) == NULL && si_session_client_secret(NULL) == NULL && si_session_url(NULL) == NULL &&
          si_session_client_reference_id(NULL) == NULL && si_session_last_verification_report(NULL) == NULL &&
          si_session_related_customer(NULL) == NULL && si_session_related_customer_account(NULL) == NULL &&
          si_session_verification_flow(NULL) == NULL && si_session_redaction_status(NULL) == NULL &&
          si_session_last_error_code(NULL) == NULL && si_session_last_error_reason(NULL) == NULL);
    CHECK(si_session_created(NULL) == 0 && si_session_livemode(NULL) == false && si_session_to_json(NULL) == NULL);
    CHECK(si_session_list_len(NULL) == 0 && si_session_list_get(NULL, 0) == NULL && !si_session_list_has_more(NULL) &&
          si_session_list_url(NULL) == NULL && si_session_list_to_json(NULL) == NULL);
    CHECK(si_error_status(NULL) == SI_ERR_INVALID_ARGUMENT && si_error_message(NULL) == NULL &&
          si_error_type(NULL) == NULL && si_error_code(NULL) == NULL && si_error_param(NULL) == NULL &&
          si_error_doc_url(NULL) == NULL && si_error_request_id(NULL) == NULL && si_error_json_body(NULL) == NULL &&
          si_error_http_status(NULL) == 0);
    si_session_free(NULL);
    si_session_list_free(NULL);
    si_error_free(NULL);
    si_string_free(NULL);
    si_client_free(NULL);
    passed++; /* the frees above returned */
}

static void test_http_only(void) {
    si_client *c = NULL;
    si_session *s = SENTINEL;
    si_error *err = NULL;
    si_result st;
    si_client_options o = SI_CLIENT_OPTIONS_INIT;

    /* a publishable key: the server's 401 */
    o.base_url = base_url;
    o.ca_bundle_path = ca_bundle;
    CHECK(si_client_new("pk_test_123", &o, &c, NULL) == SI_OK);
    st = si_verification_session_create(c, "{\"type\":\"document\"}", NULL, &s, &err);
    CHECK(si_error_http_status(err) == 401);
    EXPECT_ERROR(st, err, SI_ERR_AUTHENTICATION, NULL, "secret_key_required");
    si_client_free(c);

    /* nothing listening: a connection error, after no retries */
    o.base_url = "http://127.0.0.1:9";
    o.max_network_retries = 0;
    o.timeout_ms = 2000;
    c = NULL;
    CHECK(si_client_new("sk_test_123", &o, &c, NULL) == SI_OK);
    err = NULL;
    st = si_verification_session_retrieve(c, "vs_123", NULL, NULL, &s, &err);
    CHECK(si_error_http_status(err) == 0 && si_error_request_id(err) == NULL);
    EXPECT_ERROR(st, err, SI_ERR_API_CONNECTION, NULL, NULL);
    CHECK(s == SENTINEL);
    si_client_free(c);
}

/* A program built against version 0.1's header: its si_client_options ends at stripe_account,
   and it calls the si_client_new function (not the macro). The library must read no further
   (ASan sees an overread of this stack struct). */
struct options_v0_1 {
    const char *base_url;
    int32_t max_network_retries;
    uint64_t timeout_ms;
    const char *stripe_version;
    const char *stripe_account;
};

static void test_options_abi(void) {
    si_client *c = NULL;
    si_error *err = NULL;
    si_result st;
    struct options_v0_1 old = {"http://127.0.0.1:12111", 1, 1000, NULL, "acct_123"};
    CHECK(sizeof old < sizeof(si_client_options));
    CHECK((si_client_new)("sk_test_123", (const si_client_options *)(const void *)&old, &c, &err) == SI_OK);
    CHECK(c != NULL && err == NULL);
    si_client_free(c);
    /* The same struct, its size said: as good. */
    c = NULL;
    st = si_client_new_with_size("sk_test_123", (const si_client_options *)(const void *)&old, sizeof old, &c, &err);
    CHECK(st == SI_OK && c != NULL);
    si_client_free(c);
    /* A size no version ever had. */
    c = SENTINEL;
    st = si_client_new_with_size("sk_test_123", (const si_client_options *)(const void *)&old, 8, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options_size", NULL);
    CHECK(c == SENTINEL);
    /* A CA bundle that is not there, or not UTF-8, is refused before anything is sent. */
    si_client_options o = SI_CLIENT_OPTIONS_INIT;
    CHECK(o.ca_bundle_path == NULL);
    o.ca_bundle_path = "/nonexistent/ca.pem";
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    CHECK(err != NULL && strstr(si_error_message(err), "/nonexistent/ca.pem") != NULL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "ca_bundle_path", NULL);
    o.ca_bundle_path = BAD_UTF8;
    err = NULL;
    st = si_client_new("sk_test_123", &o, &c, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "options.ca_bundle_path", NULL);
    CHECK(c == SENTINEL);
}

/* HTTPS only: the certificate refusals, and the proxy variables. */
static void test_https(void) {
    si_client *c = NULL;
    si_session *s = NULL;
    si_error *err = NULL;
    si_result st;
    si_client_options o = SI_CLIENT_OPTIONS_INIT;
    o.base_url = base_url;
    o.max_network_retries = 2;

    /* The Mozilla roots do not know the test CA: refused at once, not retried. */
    CHECK(si_client_new("sk_test_123", &o, &c, NULL) == SI_OK);
    st = si_verification_session_create(c, "{\"type\":\"document\"}", NULL, &s, &err);
    CHECK(err != NULL && strstr(si_error_message(err), "UnknownIssuer") != NULL);
    CHECK(err != NULL && strstr(si_error_message(err), "(1 attempt made)") != NULL);
    EXPECT_ERROR(st, err, SI_ERR_API_CONNECTION, NULL, NULL);
    si_client_free(c);

    /* A certificate from the trusted CA, for another name only: refused, not retried. */
    const char *wrong_name = getenv("SI_TEST_WRONG_NAME_URL");
    if (wrong_name != NULL) {
        o.base_url = wrong_name;
        o.ca_bundle_path = ca_bundle;
        c = NULL;
        CHECK(si_client_new("sk_test_123", &o, &c, NULL) == SI_OK);
        err = NULL;
        st = si_verification_session_create(c, "{\"type\":\"document\"}", NULL, &s, &err);
        CHECK(err != NULL && strstr(si_error_message(err), "certificate not valid for name") != NULL);
        CHECK(err != NULL && strstr(si_error_message(err), "(1 attempt made)") != NULL);
        EXPECT_ERROR(st, err, SI_ERR_API_CONNECTION, NULL, NULL);
        si_client_free(c);
    }

    const char *proxy = getenv("SI_TEST_PROXY");
    const char *proxied = getenv("SI_TEST_PROXIED_URL");
    if (proxy == NULL || proxied == NULL) return;
    /* Through the CONNECT proxy: the only way to reach a name that only the proxy resolves. */
    setenv("HTTPS_PROXY", proxy, 1);
    o = SI_CLIENT_OPTIONS_INIT;
    o.base_url = proxied;
    o.ca_bundle_path = ca_bundle;
    o.max_network_retries = 0;
    c = NULL;
    CHECK(si_client_new("sk_test_123", &o, &c, NULL) == SI_OK);
    err = NULL;
    st = si_verification_session_create(c, "{\"type\":\"document\"}", NULL, &s, &err);
    if (ok_at(__LINE__, st, &err)) {
        CHECK(starts_with(si_session_id(s), "vs_"));
        si_session_free(s);
    }
    si_client_free(c);
    /* NO_PROXY names the host: direct, where the name does not resolve. */
    setenv("NO_PROXY", "localhost,other.invalid", 1);
    c = NULL;
    CHECK(si_client_new("sk_test_123", &o, &c, NULL) == SI_OK);
    err = NULL;
    si_session_list *list = SENTINEL;
    st = si_verification_session_list(c, NULL, NULL, &list, &err);
    CHECK(list == SENTINEL);
    CHECK(err != NULL && strstr(si_error_message(err), "lookup address") != NULL);
    EXPECT_ERROR(st, err, SI_ERR_API_CONNECTION, NULL, NULL);
    si_client_free(c);
    unsetenv("HTTPS_PROXY");
    unsetenv("NO_PROXY");
}

/* ------------------------------------------------------------------------------------------ */
/* A pre-fork server: the parent's client made a call (a pooled connection), then workers fork
 * and use it. No child may read another process's answers: each tags its sessions with
 * client_reference_id and checks every answer carries its own tag. */

#define FORKS 4
#define PER_FORK 100

/* PER_FORK creates tagged "<run>-fork<who>-<i>"; returns answers with another tag plus failures. */
static int fork_worker(int who) {
    int bad = 0;
    for (int i = 0; i < PER_FORK; i++) {
        char tag[96], params[192];
        snprintf(tag, sizeof tag, "%s-fork%d-%d", run_tag, who, i);
        snprintf(params, sizeof params, "{\"type\":\"document\",\"client_reference_id\":\"%s\"}", tag);
        si_session *s = NULL;
        if (si_verification_session_create(client, params, NULL, &s, NULL) != SI_OK) {
            bad++;
            continue;
        }
        if (!same(si_session_client_reference_id(s), tag)) bad++;
        si_session_free(s);
    }
    return bad;
}

static void test_fork(void) {
    si_session *first = NULL;
    CHECK(si_verification_session_create(client, "{\"type\":\"document\"}", NULL, &first, NULL) == SI_OK);
    si_session_free(first);
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pids[FORKS];
    for (int n = 0; n < FORKS; n++) {
        pids[n] = fork();
        if (pids[n] == 0) _exit(fork_worker(n + 1) == 0 ? 0 : 1);
        CHECK(pids[n] > 0);
    }
    CHECK(fork_worker(0) == 0); /* the parent keeps using its own pool meanwhile */
    for (int n = 0; n < FORKS; n++) {
        int status = 0;
        CHECK(pids[n] > 0 && waitpid(pids[n], &status, 0) == pids[n]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* 8 threads share one client */

#define THREADS 8
#define PER_THREAD 6

typedef struct {
    int index;
    int failures;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    char params[256];
    for (int i = 0; i < PER_THREAD; i++) {
        si_session *s = NULL, *t = NULL;
        si_error *err = NULL;
        snprintf(params, sizeof params,
                 "{\"type\":\"document\",\"client_reference_id\":\"%s-threads\",\"metadata\":{\"thread\":\"%d\"}}",
                 run_tag, w->index);
        si_result st = si_verification_session_create(client, params, NULL, &s, &err);
        if (st != SI_OK) {
            report("thread create", st, err);
            w->failures++;
            continue;
        }
        const char *id = si_session_id(s);
        if (si_test_helpers_submit(client, id, &t, NULL) != SI_OK) w->failures++;
        si_session_free(t);
        t = NULL;
        if (si_test_helpers_verify(client, id, &t, NULL) != SI_OK || !same(si_session_status(t), "verified"))
            w->failures++;
        si_session_free(t);
        t = NULL;
        if (si_verification_session_retrieve(client, id, NULL, NULL, &t, NULL) != SI_OK || !same(si_session_id(t), id))
            w->failures++;
        si_session_free(t);
        si_session_list *l = NULL;
        if (si_verification_session_list(client, "{\"limit\":3}", NULL, &l, NULL) != SI_OK) w->failures++;
        si_session_list_free(l);
        /* an error on the way, too */
        err = NULL;
        t = SENTINEL;
        if (si_verification_session_cancel(client, id, NULL, NULL, &t, &err) != SI_ERR_INVALID_REQUEST || t != SENTINEL)
            w->failures++;
        si_error_free(err);
        si_session_free(s);
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){i, 0};
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        failures += workers[i].failures;
    }
    CHECK(failures == 0);
    /* every session made by the threads is there, verified */
    char params[256];
    snprintf(params, sizeof params, "{\"limit\":100,\"client_reference_id\":\"%s-threads\",\"status\":\"verified\"}",
             run_tag);
    si_session_list *l = NULL;
    CHECK(si_verification_session_list(client, params, NULL, &l, NULL) == SI_OK);
    CHECK(si_session_list_len(l) == THREADS * PER_THREAD);
    si_session_list_free(l);
}

/* Reports: a failed then verified attempt writes two; retrieve one, list them newest first. */
static void test_reports(void) {
    char params[256];
    si_error *err = NULL;
    si_result st;
    snprintf(params, sizeof params, "{\"type\":\"document\",\"client_reference_id\":\"%s-report\"}", run_tag);
    si_session *s = create(params);
    if (s == NULL) return;
    char id[128], failed_report[128];
    snprintf(id, sizeof id, "%s", si_session_id(s));
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_submit(client, id, &s, NULL) == SI_OK);
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_fail(client, id, "document_expired", NULL, &s, NULL) == SI_OK && s != NULL);
    if (s == NULL) return;
    snprintf(failed_report, sizeof failed_report, "%s", si_session_last_verification_report(s));
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_submit(client, id, &s, NULL) == SI_OK);
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_verify(client, id, &s, NULL) == SI_OK && s != NULL);
    if (s == NULL) return;
    char verified_report[128];
    snprintf(verified_report, sizeof verified_report, "%s", si_session_last_verification_report(s));
    si_session_free(s);

    si_report *r = NULL;
    st = si_verification_report_retrieve(client, failed_report, "{\"expand\":[\"document.dob\"]}", NULL, &r, &err);
    OK_THEN(r != NULL);
    CHECK_STR(si_report_id(r), failed_report);
    CHECK_STR(si_report_type(r), "document");
    CHECK_STR(si_report_verification_session(r), id);
    CHECK(si_report_created(r) > 1600000000);
    /* Accessors generated from the API's models reach one object down. */
    CHECK_STR(si_report_document_status(r), "unverified");
    CHECK_STR(si_report_object(r), "identity.verification_report");
    CHECK(si_report_livemode(r) == false);
    CHECK(si_report_selfie_status(r) == NULL); /* no selfie check was asked for */
    char *json = si_report_to_json(r);
    CHECK(json != NULL && strstr(json, "\"code\":\"document_expired\"") && strstr(json, "\"dob\":{"));
    si_string_free(json);
    si_report_free(r);

    r = SENTINEL;
    st = si_verification_report_retrieve(client, "vr_missing", NULL, NULL, &r, &err);
    CHECK(r == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "report", "resource_missing");
    err = NULL;

    si_report_list *list = NULL;
    snprintf(params, sizeof params, "{\"verification_session\":\"%s\",\"limit\":1}", id);
    st = si_verification_report_list(client, params, NULL, &list, &err);
    OK_THEN(list != NULL && si_report_list_len(list) == 1 && si_report_list_has_more(list));
    CHECK_STR(si_report_id(si_report_list_get(list, 0)), verified_report);
    CHECK(si_report_list_get(list, 1) == NULL);
    json = si_report_list_to_json(list);
    CHECK(json != NULL && strstr(json, "\"url\":\"/v1/identity/verification_reports\""));
    si_string_free(json);
    si_report_list_free(list);

    list = SENTINEL;
    st = si_verification_report_list(client, "{\"limit\":\"ten\"}", NULL, &list, &err);
    CHECK(list == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_TYPE, "limit", NULL);
    CHECK(si_report_list_len(NULL) == 0 && si_report_id(NULL) == NULL && si_report_to_json(NULL) == NULL);
    si_report_free(NULL);
    si_report_list_free(NULL);
}

/* Events: list (newest first, filtered by type), retrieve, data.object as a borrowed session. */
static void test_events(void) {
    char params[256];
    si_error *err = NULL;
    si_result st;
    snprintf(params, sizeof params, "{\"type\":\"document\",\"client_reference_id\":\"%s-events\"}", run_tag);
    si_session *s = create(params);
    if (s == NULL) return;
    char id[128];
    snprintf(id, sizeof id, "%s", si_session_id(s));
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_submit(client, id, &s, NULL) == SI_OK);
    si_session_free(s);
    s = NULL;
    CHECK(si_test_helpers_verify(client, id, &s, NULL) == SI_OK);
    si_session_free(s);

    si_event_page *list = NULL;
    st =
        si_event_list(client, "{\"type\":\"identity.verification_session.verified\",\"limit\":100}", NULL, &list, &err);
    OK_THEN(list != NULL && si_event_page_len(list) >= 1);
    const si_event *mine = NULL;
    for (size_t i = 0; list && i < si_event_page_len(list); i++) {
        const si_event *e = si_event_page_get(list, i);
        CHECK_STR(si_event_type(e), "identity.verification_session.verified");
        if (same(si_session_id(si_event_session(e)), id)) mine = e;
    }
    CHECK(mine != NULL);
    if (mine != NULL) {
        CHECK(starts_with(si_event_id(mine), "evt_"));
        CHECK_STR(si_session_status(si_event_session(mine)), "verified");
        CHECK(si_event_created(mine) > 1600000000);
        si_event *again = NULL;
        st = si_event_retrieve(client, si_event_id(mine), NULL, NULL, &again, &err);
        OK_THEN(again != NULL);
        CHECK_STR(si_event_id(again), si_event_id(mine));
        char *json = si_event_to_json(again);
        CHECK(json != NULL && strstr(json, "\"object\":\"event\"") && strstr(json, id));
        si_string_free(json);
        si_event_free(again);
    }
    char *json = si_event_page_to_json(list);
    CHECK(json != NULL && strstr(json, "\"url\":\"/v1/events\""));
    si_string_free(json);
    si_event_page_free(list);

    si_event *e = SENTINEL;
    st = si_event_retrieve(client, "evt_missing", NULL, NULL, &e, &err);
    CHECK(e == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "id", "resource_missing");
    err = NULL;
    CHECK(si_event_page_len(NULL) == 0 && si_event_id(NULL) == NULL && si_event_session(NULL) == NULL);
    si_event_free(NULL);
    si_event_page_free(NULL);
}

/* Webhooks: a signed event verifies; each bad input is SI_ERR_SIGNATURE_VERIFICATION. */
static void test_webhooks(void) {
    static const char payload[] =
        "{\"id\":\"evt_1\",\"object\":\"event\",\"api_version\":null,\"created\":1,\"livemode\":false,"
        "\"pending_webhooks\":0,\"request\":{\"id\":null,\"idempotency_key\":null},"
        "\"type\":\"identity.verification_session.verified\","
        "\"data\":{\"object\":{\"id\":\"vs_1\",\"object\":\"identity.verification_session\",\"status\":\"verified\"}}}";
    const char *secret = "whsec_c_test";
    size_t len = strlen(payload);
    si_error *err = NULL;
    si_result st;
    char *header = NULL;
    st = si_webhook_sign((const uint8_t *)payload, len, secret, 0, &header, &err);
    OK_THEN(header != NULL && starts_with(header, "t="));
    if (header == NULL) return;
    si_event *e = NULL;
    st = si_webhook_construct_event((const uint8_t *)payload, len, header, secret, SI_WEBHOOK_DEFAULT_TOLERANCE, &e,
                                    &err);
    OK_THEN(e != NULL);
    CHECK_STR(si_event_type(e), "identity.verification_session.verified");
    CHECK_STR(si_session_status(si_event_session(e)), "verified");
    si_event_free(e);

    e = SENTINEL;
    st = si_webhook_construct_event((const uint8_t *)payload, len, header, "whsec_wrong", 300, &e, &err);
    CHECK(e == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    char *changed = strdup(payload);
    changed[len - 3] ^= 1;
    st = si_webhook_construct_event((const uint8_t *)changed, len, header, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    free(changed);
    st = si_webhook_construct_event((const uint8_t *)payload, len, "garbage", secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    st = si_webhook_construct_event((const uint8_t *)payload, len, BAD_UTF8, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    st = si_webhook_construct_event((const uint8_t *)payload, len, NULL, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "header", NULL);
    st = si_webhook_construct_event((const uint8_t *)payload, len, header, secret, -1, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "tolerance_s", NULL);
    st = si_webhook_construct_event(NULL, 5, header, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "payload", NULL);
    CHECK(e == SENTINEL);
    si_string_free(header);

    /* An old signature: refused with the tolerance, accepted with 0 (no age check). */
    char *old = NULL;
    st = si_webhook_sign((const uint8_t *)payload, len, secret, 1000, &old, &err);
    OK_THEN(old != NULL && starts_with(old, "t=1000,v1="));
    st = si_webhook_construct_event((const uint8_t *)payload, len, old, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    e = NULL;
    st = si_webhook_construct_event((const uint8_t *)payload, len, old, secret, 0, &e, &err);
    OK_THEN(e != NULL);
    si_event_free(e);
    si_string_free(old);

    /* A header made by stripe-python 16.1.0: WebhookSignature.generate_signature_header(payload,
     * "whsec_interop_fixture", timestamp=1700000000). Old, so only without the age check. */
    static const char peer[] = "t=1700000000,v1=82a4169aaa434375e282efe36a9fcba9e553347752aac91c68e30acc4d934f92";
    e = NULL;
    st = si_webhook_construct_event((const uint8_t *)payload, len, peer, "whsec_interop_fixture", 0, &e, &err);
    OK_THEN(e != NULL);
    si_event_free(e);
    st = si_webhook_construct_event((const uint8_t *)payload, len, peer, "whsec_interop_fixture", 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);

    /* A megabyte header and a megabyte payload are refused cleanly. */
    size_t big = (size_t)1 << 20;
    char *huge = malloc(big + 1);
    memset(huge, 'v', big);
    huge[big] = '\0';
    st = si_webhook_construct_event((const uint8_t *)huge, big, huge, secret, 300, &e, &err);
    EXPECT_ERROR(st, err, SI_ERR_SIGNATURE_VERIFICATION, NULL, NULL);
    free(huge);
    st = si_webhook_sign((const uint8_t *)payload, len, secret, -5, &old, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "timestamp", NULL);
}

static void count_event(const si_event *event, void *user_data) {
    if (starts_with(si_event_type(event), "identity.verification_session.")) (*(int *)user_data)++;
}

/* si_client_on_event: a local client hands each new event to the callback; HTTP refuses. */
static void test_event_callback(void) {
    static int heard;
    si_error *err = NULL;
    si_result st = si_client_on_event(client, count_event, &heard, &err);
    if (base_url != NULL) {
        EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, NULL, NULL);
        return;
    }
    OK_THEN(1);
    si_session *s = create("{\"type\":\"document\"}");
    if (s == NULL) return;
    si_session *after = NULL;
    CHECK(si_test_helpers_submit(client, si_session_id(s), &after, NULL) == SI_OK);
    si_session_free(after);
    si_session_free(s);
    CHECK(heard == 2);
    st = si_client_on_event(client, NULL, NULL, &err);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_ARGUMENT, "callback", NULL);
}

static void test_webhook_endpoints(void) {
    si_error *err = NULL;
    si_result st;
    si_endpoint *e = NULL;
    st = si_webhook_endpoint_create(client, "{\"url\":\"http://127.0.0.1:4242/webhook\",\"enabled_events\":[\"*\"]}",
                                    NULL, &e, &err);
    OK_THEN(e != NULL);
    if (e == NULL) return;
    char id[128];
    snprintf(id, sizeof id, "%s", si_endpoint_id(e));
    CHECK(starts_with(id, "we_"));
    CHECK(starts_with(si_endpoint_secret(e), "whsec_"));
    CHECK_STR(si_endpoint_status(e), "enabled");
    CHECK_STR(si_endpoint_url(e), "http://127.0.0.1:4242/webhook");
    si_endpoint_free(e);

    /* the secret is in the create answer only */
    e = NULL;
    st = si_webhook_endpoint_retrieve(client, id, NULL, NULL, &e, &err);
    OK_THEN(e != NULL && si_endpoint_secret(e) == NULL && !si_endpoint_deleted(e));
    si_endpoint_free(e);
    e = NULL;
    st = si_webhook_endpoint_update(client, id, "{\"disabled\":true}", NULL, &e, &err);
    OK_THEN(e != NULL);
    CHECK_STR(si_endpoint_status(e), "disabled");
    si_endpoint_free(e);

    si_endpoint_list *list = NULL;
    st = si_webhook_endpoint_list(client, "{\"limit\":100}", NULL, &list, &err);
    OK_THEN(list != NULL && si_endpoint_list_len(list) >= 1);
    int found = 0;
    for (size_t i = 0; i < si_endpoint_list_len(list); i++) {
        found += strcmp(si_endpoint_id(si_endpoint_list_get(list, i)), id) == 0;
    }
    CHECK(found == 1);
    char *json = si_endpoint_list_to_json(list);
    CHECK(json != NULL && strstr(json, "\"url\":\"/v1/webhook_endpoints\""));
    si_string_free(json);
    si_endpoint_list_free(list);

    e = NULL;
    st = si_webhook_endpoint_delete(client, id, NULL, NULL, &e, &err);
    OK_THEN(e != NULL && si_endpoint_deleted(e));
    CHECK_STR(si_endpoint_id(e), id);
    si_endpoint_free(e);

    e = SENTINEL;
    st = si_webhook_endpoint_retrieve(client, id, NULL, NULL, &e, &err);
    CHECK(e == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "webhook_endpoint", "resource_missing");
    err = NULL;
    st = si_webhook_endpoint_create(
        client, "{\"url\":\"http://127.0.0.1/h\",\"enabled_events\":[\"charge.succeeded\"]}", NULL, &e, &err);
    CHECK(e == SENTINEL);
    EXPECT_ERROR(st, err, SI_ERR_INVALID_REQUEST, "enabled_events", NULL);
    err = NULL;
    CHECK(si_endpoint_id(NULL) == NULL && si_endpoint_list_len(NULL) == 0 && !si_endpoint_deleted(NULL));
    si_endpoint_free(NULL);
    si_endpoint_list_free(NULL);
}

int main(void) {
    base_url = getenv("SI_TEST_BASE_URL");
    ca_bundle = getenv("SI_TEST_CA_BUNDLE");
    snprintf(run_tag, sizeof run_tag, "c-test-%ld", (long)getpid());
    si_error *err = NULL;
    si_result st;
    if (base_url && *base_url) {
        si_client_options o = SI_CLIENT_OPTIONS_INIT;
        o.base_url = base_url;
        o.max_network_retries = 0;
        o.ca_bundle_path = ca_bundle;
        st = si_client_new("sk_test_cbinding4242", &o, &client, &err);
        printf("# HTTP client on %s\n", base_url);
    } else {
        base_url = NULL;
        st = si_client_new_local(&client);
        printf("# local client\n");
    }
    if (st != SI_OK) {
        report("client", st, err);
        printf("0 passed, 1 failed\n");
        return 1;
    }

    struct {
        const char *name;
        void (*run)(void);
    } tests[] = {
        {"version", test_version},
        {"client constructors", test_client_constructors},
        {"lifecycle", test_lifecycle},
        {"request options", test_request_options},
        {"lists", test_lists},
        {"error paths", test_error_paths},
        {"threads", test_threads},
        {"http only", test_http_only},
        {"fork", test_fork},
        {"reports", test_reports},
        {"options ABI", test_options_abi},
        {"https", test_https},
        {"events", test_events},
        {"webhooks", test_webhooks},
        {"event callback", test_event_callback},
        {"webhook endpoints", test_webhook_endpoints},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if ((tests[i].run == test_http_only || tests[i].run == test_fork) && base_url == NULL) continue;
        if (tests[i].run == test_https && ca_bundle == NULL) continue;
        int before = failed;
        tests[i].run();
        printf("%s %s\n", failed == before ? "ok  " : "FAIL", tests[i].name);
    }
    si_client_free(client);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
