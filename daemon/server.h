/* SPDX-License-Identifier: Apache-2.0 */
/* femtod's the CoAP transport, authorisation and the resources (server.c). */
#ifndef FD_SERVER_H
#define FD_SERVER_H

#include "femtod.h"

int fd_server_start(femtod_t *d);
/* Serve until *stop or *hup is set (by a signal). */
void fd_server_run(femtod_t *d, volatile sig_atomic_t *stop, volatile sig_atomic_t *hup);
void fd_server_stop(femtod_t *d);
int fd_fire(femtod_t *d, fd_hook_t *h, void *ctx, uint32_t len, fc_hook_result_t *res);

#endif /* FD_SERVER_H */
