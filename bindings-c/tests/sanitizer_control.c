/*
 * A program with a deliberate bug, built like test_api under AddressSanitizer: scripts/test.sh
 * runs it and expects the sanitizer to stop it, which proves the sanitized run of test_api
 * would catch the same mistakes with the Rust library linked in.
 *
 *   sanitizer_control use-after-free   reads a session's id after si_session_free
 *   sanitizer_control leak             drops a session without freeing it
 */
#include <stdio.h>
#include <string.h>

#include "stripe_identity.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s use-after-free|leak\n", argv[0]);
        return 2;
    }
    si_client *client = NULL;
    si_session *session = NULL;
    if (si_client_new_local(&client) != SI_OK ||
        si_verification_session_create(client, "{\"type\": \"document\"}", NULL, &session, NULL) != SI_OK) {
        fprintf(stderr, "setup failed\n");
        return 2;
    }
    const char *id = si_session_id(session);
    if (strcmp(argv[1], "use-after-free") == 0) {
        si_session_free(session);
        printf("%c\n", id[0]); /* the string was freed with the session */
    } else if (strcmp(argv[1], "leak") == 0) {
        printf("%s\n", id);
        session = NULL; /* the only pointer to it is gone */
    }
    si_client_free(client);
    return 0;
}
