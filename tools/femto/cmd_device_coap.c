/* SPDX-License-Identifier: Apache-2.0 */
/* What femto push and femto device share: the pre-shared key file of a coaps client. */
#include <stdio.h>
#include <string.h>

#include "cmd_device.h"

/* Read "IDENTITY HEXKEY" from @p file into @p cp's identity and key (static storage). */
int femto_psk_load(const char *file, coap_dtls_cpsk_t *cp)
{
    static char ident[65];
    static uint8_t key[64];
    char line[256], hex[160];
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    int ok = fgets(line, sizeof line, f) != NULL && sscanf(line, "%64s %159s", ident, hex) == 2;
    fclose(f);
    size_t n = ok ? strlen(hex) : 0, klen = 0;
    if (!ok || n == 0 || n % 2 || n / 2 > sizeof key)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        unsigned v;
        if (!strchr("0123456789abcdefABCDEF", hex[i]) || !strchr("0123456789abcdefABCDEF", hex[i + 1]) ||
            sscanf(hex + i, "%2x", &v) != 1)
            return -1;
        key[klen++] = (uint8_t)v;
    }
    memset(cp, 0, sizeof *cp);
    cp->version = COAP_DTLS_CPSK_SETUP_VERSION;
    cp->psk_info.identity.s = (const uint8_t *)ident;
    cp->psk_info.identity.length = strlen(ident);
    cp->psk_info.key.s = key;
    cp->psk_info.key.length = klen;
    return 0;
}

