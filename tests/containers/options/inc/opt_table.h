/* SPDX-License-Identifier: Apache-2.0 */
/* Found only through -I (tests/containers/options/inc). */
#ifndef OPT_TABLE_H
#define OPT_TABLE_H
#define OPT_TABLE_LEN 5
static const uint16_t opt_table[OPT_TABLE_LEN] = { 3, 1, 4, 1, 5 };
#endif
