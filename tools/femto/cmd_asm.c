/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder until 'femto asm' lands: says so and fails. */
#include <stdio.h>

#include "cmds.h"

int fc_cmd_asm(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "femto asm: not implemented yet\n");
    return FEMTO_EXIT_FAIL;
}
