/* SPDX-License-Identifier: Apache-2.0 */
/* femtod's the configuration (one table of settings) and the registry of tenants, hooks, clients (config.c). */
#ifndef FD_CONFIG_H
#define FD_CONFIG_H

#include "femtod.h"

int fd_config_load(femtod_t *d, const char *file, char *err, size_t errlen);
/* HOST:PORT into @p host (@p n bytes) and @p port; 0 or -1. */
int fd_hostport_parse(const char *s, char *host, size_t n, unsigned *port);
fd_client_t *fd_client_find(femtod_t *d, const char *id, size_t len);
uint32_t fd_caps_parse(const char *list, int *ok);
/* Capability bits as the configuration names them ("store_tenant,log", "none"). */
void fd_caps_name(uint32_t caps, char *buf, size_t n);
fd_tenant_t *fd_tenant_find(femtod_t *d, const char *name);
fd_hook_t *fd_hook_find(femtod_t *d, const char *name);
int fd_tenant_may_name(const fd_tenant_t *t, const char *name);
int fd_tenant_may_hook(const fd_tenant_t *t, const char *hook);
const char *fd_hook_kind_name(enum fd_hook_kind k);
const char *fd_policy_name(fc_policy_t p);

#endif /* FD_CONFIG_H */
