/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The test apps' check line: "ok   what" or "FAIL what", counted for the
 * final "N passed, M failed" scripts/riot-tests.sh reads. Included once per app.
 */
#ifndef RIOT_CHECK_H
#define RIOT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

static unsigned passes, failures;

static void check(bool ok, const char *what)
{
    if (ok)
        passes++;
    else
        failures++;
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
}

#endif /* RIOT_CHECK_H */
