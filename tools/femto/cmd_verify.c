/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder until 'femto verify' lands: says so and fails. */
#include <stdio.h>

#include "cmds.h"

int fc_cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "femto verify: not implemented yet\n");
    return FEMTO_EXIT_FAIL;
}
