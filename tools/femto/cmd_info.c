/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder until 'femto info' lands: says so and fails. */
#include <stdio.h>

#include "cmds.h"

int fc_cmd_info(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "femto info: not implemented yet\n");
    return FEMTO_EXIT_FAIL;
}
