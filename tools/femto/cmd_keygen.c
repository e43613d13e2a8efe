/* SPDX-License-Identifier: Apache-2.0 */
/* femto keygen: make an Ed25519 key pair for signing deployment envelopes. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cmds.h"
#include "fc_deploy.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: femto keygen -o NAME\n\n"
                 "Makes an Ed25519 key pair: NAME.key (secret seed, hex, mode 0600) and\n"
                 "NAME.pub (public key, hex). The public key is also printed on stdout:\n"
                 "put it in femtod's configuration as the tenant's 'key'.\n");
}

int fc_cmd_keygen(int argc, char **argv)
{
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else {
            fprintf(stderr, "femto keygen: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        }
    }
    if (!out) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    uint8_t pk[FC_DEPLOY_PK_LEN], sk[FC_DEPLOY_SK_LEN];
    if (fc_deploy_keygen(pk, sk) != FC_OK) {
        fprintf(stderr, "femto keygen: libsodium failed to start\n");
        return FEMTO_EXIT_FAIL;
    }
    int rc = fc_deploy_key_save(out, sk);
    sodium_memzero(sk, sizeof sk);
    if (rc != FC_OK) {
        fprintf(stderr, "femto keygen: cannot write %s.key / %s.pub\n", out, out);
        return FEMTO_EXIT_IO;
    }
    char hex[2 * FC_DEPLOY_PK_LEN + 1];
    sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
    printf("%s\n", hex);
    return FEMTO_EXIT_OK;
}
