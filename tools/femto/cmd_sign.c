/* SPDX-License-Identifier: Apache-2.0 */
/* femto sign: wrap an image (or a management operation) in a COSE_Sign1
 * envelope signed with the tenant's Ed25519 key (format: docs/femtod.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmds.h"
#include "fc_deploy.h"

/* An image is at most FC_PROGRAM_SLOTS_MAX slots plus data; 16 MiB is ample. */
#define IMAGE_MAX (16u << 20)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto sign [IMAGE] -k KEY.key -t TENANT -n NAME -s SEQ [options] -o OUT\n\n"
            "Wraps IMAGE in a COSE_Sign1 envelope (RFC 9052, EdDSA/Ed25519) naming the\n"
            "tenant, the container and a sequence number, for 'femto push'.\n\n"
            "  -k FILE         the tenant's secret key (from 'femto keygen')\n"
            "  -t TENANT       tenant name\n"
            "  -n NAME         container name\n"
            "  -s SEQ          sequence number: must exceed every earlier one for this\n"
            "                  container on the device (no rollback, no replay)\n"
            "  --hook HOOK     hook to attach to (repeatable, at most %u)\n"
            "  --entry ENTRY   entry point the hooks run (default: the image's first)\n"
            "  --op OP         install (default; needs IMAGE), attach, detach, remove\n"
            "  -o OUT          the envelope file\n",
            FC_DEPLOY_HOOKS_MAX);
}

static int copy_name(char *dst, const char *src, size_t max, const char *what)
{
    if (!fc_deploy_name_ok(src, max)) {
        fprintf(stderr, "femto sign: bad %s '%s' (1..%zu of A-Z a-z 0-9 _ . -)\n", what, src, max);
        return -1;
    }
    strcpy(dst, src);
    return 0;
}

int fc_cmd_sign(int argc, char **argv)
{
    const char *image = NULL, *key = NULL, *out = NULL, *op = "install";
    const char *seq = NULL;
    fc_deploy_msg_t msg;
    memset(&msg, 0, sizeof msg);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(a, "-k") && v) {
            key = v, i++;
        } else if (!strcmp(a, "-o") && v) {
            out = v, i++;
        } else if (!strcmp(a, "-s") && v) {
            seq = v, i++;
        } else if (!strcmp(a, "--op") && v) {
            op = v, i++;
        } else if (!strcmp(a, "-t") && v) {
            if (copy_name(msg.tenant, v, FC_DEPLOY_NAME_MAX, "tenant") != 0)
                return FEMTO_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "-n") && v) {
            if (copy_name(msg.name, v, FC_DEPLOY_NAME_MAX, "container name") != 0)
                return FEMTO_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--entry") && v) {
            if (copy_name(msg.entry, v, FC_DEPLOY_NAME_MAX, "entry") != 0)
                return FEMTO_EXIT_USAGE;
            i++;
        } else if (!strcmp(a, "--hook") && v) {
            if (msg.nhooks == FC_DEPLOY_HOOKS_MAX) {
                fprintf(stderr, "femto sign: at most %u hooks\n", FC_DEPLOY_HOOKS_MAX);
                return FEMTO_EXIT_USAGE;
            }
            if (copy_name(msg.hooks[msg.nhooks], v, FC_DEPLOY_HOOK_MAX, "hook") != 0)
                return FEMTO_EXIT_USAGE;
            msg.nhooks++;
            i++;
        } else if (a[0] != '-' && !image) {
            image = a;
        } else {
            fprintf(stderr, "femto sign: unexpected argument '%s'\n", a);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        }
    }
    static const char *const ops[] = { "install", "attach", "detach", "remove" };
    msg.op = 4;
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(op, ops[i]))
            msg.op = i;
    char *end = NULL;
    errno = 0;
    unsigned long long s = seq ? strtoull(seq, &end, 0) : 0;
    if (!key || !out || !msg.tenant[0] || !msg.name[0] || !seq || errno || !end || *end ||
        seq[0] == '-' || msg.op > 3) {
        fprintf(stderr, "femto sign: need -k, -t, -n, a numeric -s, -o and a known --op\n");
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    msg.seq = s;
    if ((msg.op == FC_DEPLOY_OP_INSTALL) != (image != NULL)) {
        fprintf(stderr, "femto sign: an image goes with --op install and only with it\n");
        return FEMTO_EXIT_USAGE;
    }
    if ((msg.op == FC_DEPLOY_OP_ATTACH || msg.op == FC_DEPLOY_OP_DETACH) && msg.nhooks == 0) {
        fprintf(stderr, "femto sign: --op %s needs --hook\n", op);
        return FEMTO_EXIT_USAGE;
    }
    if (image) {
        int rc = fc_deploy_read_file(image, &msg.image, &msg.image_len, IMAGE_MAX);
        if (rc != FC_OK || msg.image_len == 0) {
            fprintf(stderr, "femto sign: cannot read image %s: %s\n", image,
                    rc == FC_OK ? "empty" : fc_strerror(rc));
            free(msg.image);
            return FEMTO_EXIT_IO;
        }
    }
    uint8_t sk[FC_DEPLOY_SK_LEN];
    int rc = fc_deploy_key_load_secret(key, sk);
    if (rc != FC_OK) {
        fprintf(stderr, "femto sign: cannot read key %s: %s\n", key, fc_strerror(rc));
        free(msg.image);
        return rc == FC_ERR_IO ? FEMTO_EXIT_IO : FEMTO_EXIT_FAIL;
    }
    uint8_t *env = NULL;
    size_t env_len = 0;
    rc = fc_deploy_sign(&msg, sk, &env, &env_len);
    sodium_memzero(sk, sizeof sk);
    free(msg.image);
    if (rc != FC_OK) {
        fprintf(stderr, "femto sign: %s\n", fc_strerror(rc));
        return FEMTO_EXIT_FAIL;
    }
    FILE *f = fopen(out, "wb");
    int ok = f && fwrite(env, 1, env_len, f) == env_len;
    ok = (f && fclose(f) == 0) && ok;
    free(env);
    if (!ok) {
        fprintf(stderr, "femto sign: cannot write %s\n", out);
        return FEMTO_EXIT_IO;
    }
    printf("%s: %s %s/%s seq %llu, %zu bytes\n", out, ops[msg.op], msg.tenant, msg.name, s, env_len);
    return FEMTO_EXIT_OK;
}
