/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The subcommands of `femto`. Each lives in cmd_<name>.c and follows one
 * contract: argv[0] is the subcommand's name, "--help" prints its usage to
 * stdout and returns 0; errors go to stderr with a non-zero return
 * (FEMTO_EXIT_*), results to stdout.
 */
#ifndef FEMTO_CMDS_H
#define FEMTO_CMDS_H

/* Exit codes of every subcommand, documented in docs/femto.md. */
#define FEMTO_EXIT_OK      0 /* success */
#define FEMTO_EXIT_FAIL    1 /* the operation failed: rejected, faulted, refused */
#define FEMTO_EXIT_USAGE   2 /* bad command line */
#define FEMTO_EXIT_IO      3 /* a file or the network could not be read or written */

int fc_cmd_build(int argc, char **argv);
int fc_cmd_link(int argc, char **argv);
int fc_cmd_asm(int argc, char **argv);
int fc_cmd_disasm(int argc, char **argv);
int fc_cmd_verify(int argc, char **argv);
int fc_cmd_run(int argc, char **argv);
int fc_cmd_info(int argc, char **argv);
int fc_cmd_plugin(int argc, char **argv);
int fc_cmd_keygen(int argc, char **argv);
int fc_cmd_sign(int argc, char **argv);
int fc_cmd_push(int argc, char **argv);

#endif /* FEMTO_CMDS_H */
