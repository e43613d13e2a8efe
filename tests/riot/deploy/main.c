/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deployment node: two provisioned tenants (alice, bob; keys generated
 * at build time), the scheduler and CoAP hooks, the gcoap deployment resources, the
 * state in /nvm0/fc (fs_native: the host's ./nvm0). A worker thread sleeps
 * 5 ms at a time so RIOT switches threads continuously (worker <-> idle).
 */
#include <stdio.h>
#include <string.h>

#include "fc_riot.h"
#include "net/gnrc/netif.h"
#include "net/ipv6/addr.h"
#include "thread.h"
#include "ztimer.h"

extern const uint8_t riot_pk_alice[32], riot_pk_bob[32];

static fc_rt_t rt;
static fc_store_entry_t global[CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE];
static fc_store_entry_t pool[CONFIG_FEMTO_CONTAINERS_TENANT_STORE];
static fc_riot_tenant_t tenants[] = {
    { .name = "alice", .id = 10,
      .caps = FC_CAP_STORE_TENANT | FC_CAP_STORE_GLOBAL | FC_CAP_FIRMWARE(FC_RIOT_CAP_COAP),
      .quota = 16 },
    { .name = "bob", .id = 20, .caps = FC_CAP_STORE_TENANT, .quota = 16 },
};
static char worker_stack[THREAD_STACKSIZE_DEFAULT];

static void *worker(void *arg)
{
    (void)arg;
    for (;;)
        ztimer_sleep(ZTIMER_MSEC, 5);
    return NULL;
}

int main(void)
{
    memcpy(tenants[0].pk, riot_pk_alice, 32);
    memcpy(tenants[1].pk, riot_pk_bob, 32);
    gnrc_netif_t *netif = gnrc_netif_iter(NULL);
    ipv6_addr_t addr;
    ipv6_addr_from_str(&addr, "2001:db8::2");
    if (netif == NULL ||
        gnrc_netif_ipv6_addr_add(netif, &addr, 64, GNRC_NETIF_IPV6_ADDRS_FLAGS_STATE_VALID) < 0)
        puts("femto-containers: cannot set 2001:db8::2/64");
    int err = fc_rt_init(&rt, &fc_riot_port, global, CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE, pool,
                         CONFIG_FEMTO_CONTAINERS_TENANT_STORE, &fc_riot_coap_helpers);
    if (err == FC_OK)
        err = fc_riot_sched_init(&rt, FC_CAP_STORE_TENANT | FC_CAP_STORE_GLOBAL,
                                 CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET);
    if (err == FC_OK)
        err = fc_riot_coap_init(&rt, FC_CAP_STORE_GLOBAL | FC_CAP_STORE_TENANT,
                                CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET);
    if (err == FC_OK)
        err = fc_riot_deploy_init(&rt, tenants, 2, "/nvm0/fc");
    thread_create(worker_stack, sizeof worker_stack, THREAD_PRIORITY_MAIN - 1, 0, worker, NULL,
                  "worker");
    printf("femto-containers node: %s, %u containers restored, ready\n",
           err == FC_OK ? "up" : fc_strerror(err), fc_riot_deploy_count());
    return 0;
}
