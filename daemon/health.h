/* SPDX-License-Identifier: Apache-2.0 */
/* femtod's runs and faults per instance, backoff, quarantine; containers' output (health.c). */
#ifndef FD_HEALTH_H
#define FD_HEALTH_H

#include "femtod.h"

#define FD_FAULTS_BACKOFF 3u /* consecutive faults that back an instance off */
void fd_health_fault(femtod_t *d, const fc_container_t *c, int err, uint32_t pc);
void fd_health_ran(femtod_t *d, fd_hook_t *h, const fc_hook_result_t *res);
void fd_health_app(femtod_t *d, fd_inst_t *in, int err);
void fd_health_tick(femtod_t *d);
fd_inst_t *fd_inst_of(femtod_t *d, const fc_container_t *c, fd_slot_t **slot);
const char *fd_inst_state_name(enum fd_inst_state s);

/* The port's log: tags each line with its container, keeps it in a ring, prints it. */
void fd_log_container(void *ctx, const char *text, size_t len);
void fd_ring_put(fd_ring_t *r, const char *text, size_t len);

#endif /* FD_HEALTH_H */
