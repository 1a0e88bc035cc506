/*
 * make -C bindings-c bench: N retrieves through the C API on the local client, to set beside the
 * same loop in Rust (examples/bench_retrieve.rs). The difference is the C API's overhead: C
 * strings in, JSON handed over as a handle with its accessor strings, out-parameters, frees.
 *
 * Usage: bench_retrieve [retrieves per round] [stored sessions] [only: 0 = retrieve, 1 = + to_json]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stripe_identity.h"

#define ROUNDS 5

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The same deterministic generator as the Rust side, so both read the same ids. */
static unsigned long long next(unsigned long long *seed) {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

static void check(si_result st, si_error *err, const char *what) {
    if (st == SI_OK) return;
    fprintf(stderr, "%s failed: %s\n", what, si_error_message(err));
    si_error_free(err);
    exit(1);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 50000;
    long stored = argc > 2 ? atol(argv[2]) : 1000;
    int only = argc > 3 ? atoi(argv[3]) : -1;
    si_client *client = NULL;
    si_error *err = NULL;
    check(si_client_new_local(&client), NULL, "client");

    char(*ids)[64] = malloc((size_t)stored * sizeof *ids);
    for (long i = 0; i < stored; i++) {
        si_session *s = NULL;
        check(si_verification_session_create(
                  client, "{\"type\":\"document\",\"metadata\":{\"order\":\"42\"},\"client_reference_id\":\"user_42\"}",
                  NULL, &s, &err),
              err, "create");
        snprintf(ids[i], sizeof ids[i], "%s", si_session_id(s));
        si_session_free(s);
    }

    /* Best of ROUNDS: the machine is shared, and the fastest round is the least disturbed. */
    const char *labels[] = {"C retrieve (+ free)", "C retrieve + si_session_to_json"};
    double best[2] = {1e30, 1e30};
    size_t sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int mode = 0; mode < 2; mode++) {
            if (only >= 0 && mode != only) continue;
            unsigned long long seed = 0x9E3779B97F4A7C15ULL;
            double start = now();
            for (long i = 0; i < n; i++) {
                si_session *s = NULL;
                check(si_verification_session_retrieve(client, ids[next(&seed) % (unsigned long long)stored], NULL,
                                                       NULL, &s, &err),
                      err, "retrieve");
                sink += strlen(si_session_status(s));
                if (mode == 1) {
                    char *json = si_session_to_json(s);
                    sink += strlen(json);
                    si_string_free(json);
                }
                si_session_free(s);
            }
            double secs = now() - start;
            if (secs < best[mode]) best[mode] = secs;
        }
    }
    for (int mode = 0; mode < 2; mode++)
        if (only < 0 || mode == only)
            printf("%-36s %8.0f ns/op  %10.0f ops/s   (best of %d x %ld)%s\n", labels[mode],
                   best[mode] * 1e9 / (double)n, (double)n / best[mode], ROUNDS, n, sink == 0 ? "?" : "");
    free(ids);
    si_client_free(client);
    return 0;
}
