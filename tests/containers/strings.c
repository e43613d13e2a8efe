/* SPDX-License-Identifier: Apache-2.0 */
/* <string.h> from the SDK: str* in BPF, mem* inline or on the checked helpers;
 * the same calls natively go to the C library. Comparisons are reduced to
 * their sign, the part C specifies. */
#include <femto/femto.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static char text[160];
static char words[8][24];

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    /* the input as printable words */
    size_t n = len < sizeof text - 1 ? (size_t)len : sizeof text - 1;
    for (size_t i = 0; i < n; i++)
        text[i] = ctx[i] % 7 == 0 ? ' ' : (char)('a' + ctx[i] % 13);
    text[n] = 0;
    uint64_t acc = strlen(text);
    unsigned nw = 0;
    const char *p = text;
    while (*p && nw < 8) {
        p += strspn(p, " ");
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        strncpy(words[nw], p, sizeof words[nw] - 1);
        words[nw][w < sizeof words[nw] - 1 ? w : sizeof words[nw] - 1] = 0;
        nw++;
        p += w;
    }
    for (unsigned i = 0; i + 1 < nw; i++) {
        acc = acc * 3 + (uint64_t)(sign(strcmp(words[i], words[i + 1])) + 1);
        acc = acc * 3 + (uint64_t)(sign(strncmp(words[i], words[i + 1], 2)) + 1);
        acc = acc * 3 + (uint64_t)(sign(memcmp(words[i], words[i + 1], 3)) + 1);
    }
    char *c = strchr(text, 'c'), *r = strrchr(text, 'd'), *s = strstr(text, "ab");
    acc = acc * 257 + (c ? (uint64_t)(c - text) : 999) + (r ? (uint64_t)(r - text) : 777) * 3;
    acc = acc * 257 + (s ? (uint64_t)(s - text) : 555);
    acc += strnlen(text, 20) + (memchr(text, 'e', n) != NULL);

    /* variable sizes (helpers), an overlapping move, a concatenation */
    char buf[96];
    size_t k = (size_t)(ctx[0] % 40) + 1;
    memset(buf, '-', sizeof buf);
    memcpy(buf, text, k);
    memmove(buf + 3, buf, k);
    buf[k + 3] = 0;
    strcat(buf, "!");
    strncat(buf, text + k, 5);
    bool ok = strlen(buf) < sizeof buf && CHAR_BIT == 8 && offsetof(struct { char a; int b; }, b) == 4;
    for (size_t i = 0; buf[i]; i++)
        acc = acc * 31 + (uint8_t)buf[i];
    char copy[24];
    strcpy(copy, nw ? words[0] : "empty");
    return acc + ok + strlen(copy);
}
