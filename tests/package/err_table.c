/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one error table (FC_ERR_LIST in fc/err.h): every code has its own
 * description, none is the fallback, codes outside the table get the
 * fallback, and the image block (-60..-79) holds exactly the image codes.
 */
#include <stdio.h>
#include <string.h>

#include "fc/err.h"

static const struct {
    int code;
    const char *name;
} codes[] = {
#define FC_ERR_ROW_(name, value, text) { name, #name },
    FC_ERR_LIST(FC_ERR_ROW_)
#undef FC_ERR_ROW_
};

/* the image block, -60..-79, holds exactly the FC_ERR_IMG_* codes */
static int in_block(const char *name, int code)
{
    int img = !strncmp(name, "FC_ERR_IMG_", 11);
    return img == (code <= -60 && code > -80);
}

int main(void)
{
    size_t n = sizeof codes / sizeof codes[0];
    int bad = 0;
    const char *fallback = fc_strerror(12345);
    for (size_t i = 0; i < n; i++) {
        const char *s = fc_strerror(codes[i].code);
        if (s == NULL || s[0] == '\0' || !strcmp(s, fallback)) {
            printf("FAIL %s has no description\n", codes[i].name);
            bad++;
        }
        if (!in_block(codes[i].name, codes[i].code)) {
            printf("FAIL %s = %d is outside its block\n", codes[i].name, codes[i].code);
            bad++;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s, fc_strerror(codes[j].code))) {
                printf("FAIL %s and %s share \"%s\"\n", codes[i].name, codes[j].name, s);
                bad++;
            }
    }
    /* values between the table's codes are unknown */
    int unknown = 0;
    for (int v = -100; v <= 2; v++) {
        int listed = 0;
        for (size_t i = 0; i < n; i++)
            listed |= codes[i].code == v;
        if (!listed && strcmp(fc_strerror(v), "unknown error") != 0) {
            printf("FAIL %d is not in the table but has \"%s\"\n", v, fc_strerror(v));
            bad++;
        }
        unknown += !listed;
    }
    printf("%zu codes, each with its own description; %d unlisted values in [-100, 2] unknown; %d failures\n",
           n, unknown, bad);
    return bad != 0;
}
