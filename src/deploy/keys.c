/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 key files: one line of hex each (the 32-byte seed in NAME.key, mode
 * 0600; the 32-byte public key in NAME.pub, which is also what femtod's
 * configuration file takes). Plain text so keys can be pasted and diffed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fc_deploy.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int fc_deploy_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    while (*hex == ' ' || *hex == '\t' || *hex == '\n' || *hex == '\r')
        hex++;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(hex[2 * i]);
        int lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return FC_ERR_FORMAT;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    for (const char *p = hex + 2 * n; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return FC_ERR_FORMAT;
    return FC_OK;
}

int fc_deploy_read_file(const char *file, uint8_t **buf, size_t *len, size_t max)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return FC_ERR_IO;
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    int rc = FC_OK;
    while (b) {
        if (n == cap) {
            if (cap > max) {
                rc = FC_ERR_INVAL;
                break;
            }
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) {
                rc = FC_ERR_NOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = FC_ERR_IO;
            break;
        }
    }
    fclose(f);
    if (!b)
        return FC_ERR_NOMEM;
    if (rc == FC_OK && n > max)
        rc = FC_ERR_INVAL;
    if (rc != FC_OK) {
        free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return FC_OK;
}

int fc_deploy_keygen(uint8_t pk[FC_DEPLOY_PK_LEN], uint8_t sk[FC_DEPLOY_SK_LEN])
{
    if (sodium_init() < 0)
        return FC_ERR_NOMEM;
    crypto_sign_keypair(pk, sk);
    return FC_OK;
}

static int write_hex(const char *file, const uint8_t *b, size_t n, mode_t mode)
{
    char hex[2 * 64 + 2];
    sodium_bin2hex(hex, sizeof hex, b, n);
    size_t l = strlen(hex);
    hex[l] = '\n';
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return FC_ERR_IO;
    /* an existing file keeps its old mode through O_TRUNC: set it again */
    int ok = fchmod(fd, mode) == 0 && write(fd, hex, l + 1) == (ssize_t)(l + 1);
    ok = (close(fd) == 0) && ok;
    sodium_memzero(hex, sizeof hex);
    return ok ? FC_OK : FC_ERR_IO;
}

int fc_deploy_key_save(const char *path, const uint8_t sk[FC_DEPLOY_SK_LEN])
{
    size_t n = strlen(path) + 5;
    char *name = malloc(n);
    if (!name)
        return FC_ERR_NOMEM;
    snprintf(name, n, "%s.key", path);
    int rc = write_hex(name, sk, 32, 0600); /* the seed; the rest derives from it */
    if (rc == FC_OK) {
        snprintf(name, n, "%s.pub", path);
        rc = write_hex(name, sk + 32, FC_DEPLOY_PK_LEN, 0644);
    }
    free(name);
    return rc;
}

static int read_text(const char *file, char *buf, size_t cap)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return FC_ERR_IO;
    size_t n = fread(buf, 1, cap - 1, f);
    int err = ferror(f);
    fclose(f);
    if (err)
        return FC_ERR_IO;
    buf[n] = '\0';
    return FC_OK;
}

int fc_deploy_key_load_secret(const char *file, uint8_t sk[FC_DEPLOY_SK_LEN])
{
    char text[256];
    uint8_t seed[32], pk[FC_DEPLOY_PK_LEN];
    int rc = read_text(file, text, sizeof text);
    if (rc != FC_OK)
        return rc;
    if (sodium_init() < 0)
        return FC_ERR_NOMEM;
    rc = fc_deploy_hex_decode(text, seed, sizeof seed) == 0 ? FC_OK : FC_ERR_FORMAT;
    if (rc == FC_OK)
        crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(text, sizeof text);
    return rc;
}

int fc_deploy_key_load_public(const char *file_or_hex, uint8_t pk[FC_DEPLOY_PK_LEN])
{
    if (fc_deploy_hex_decode(file_or_hex, pk, FC_DEPLOY_PK_LEN) == 0)
        return FC_OK;
    char text[256];
    int rc = read_text(file_or_hex, text, sizeof text);
    if (rc != FC_OK)
        return rc;
    return fc_deploy_hex_decode(text, pk, FC_DEPLOY_PK_LEN) == 0 ? FC_OK : FC_ERR_FORMAT;
}
