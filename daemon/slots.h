/* SPDX-License-Identifier: Apache-2.0 */
/* femtod's deployment checks, quotas, sequence records and the state directory (slots.c). */
#ifndef FD_SLOTS_H
#define FD_SLOTS_H

#include "femtod.h"

/* Apply a signed envelope; @p only_tenant (a tenant's DTLS client): refuse others' envelopes. */
void fd_apply_envelope(femtod_t *d, const uint8_t *buf, size_t len, const char *only_tenant,
                       fd_result_t *res);
int fd_state_restore(femtod_t *d);
fd_slot_t *fd_slot_find(femtod_t *d, const char *name);
fd_suspended_t *fd_suspended_find(femtod_t *d, const char *name);
void fd_slots_free(femtod_t *d);
int fd_stores_save(femtod_t *d);
int fd_stores_restore(femtod_t *d);

#endif /* FD_SLOTS_H */
