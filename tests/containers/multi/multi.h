/* SPDX-License-Identifier: Apache-2.0 */
#ifndef MULTI_H
#define MULTI_H
#include <stdint.h>
uint64_t main_hash(const uint8_t *p, uint64_t n);
uint64_t util_checksum(const uint8_t *p, uint64_t n);
uint64_t util_scaled(uint64_t v);
#endif
