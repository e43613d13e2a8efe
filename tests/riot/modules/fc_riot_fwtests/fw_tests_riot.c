/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/common/fw_tests.c on RIOT: its main() becomes fw_tests_main(), its
 * port is the RIOT port (fc_riot_port) instead of the bare-metal one.
 */
#include "fc_riot.h"

#define fw_port fc_riot_port
#define main    fw_tests_main
int fw_tests_main(void);

#include "fw_tests.c"
