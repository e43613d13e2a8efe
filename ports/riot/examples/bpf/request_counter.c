/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On the "coap_req" hook (femto-containers_gcoap): sees every request to
 * /app and counts them per method code into its tenant's store
 * (key 0xc0a0 + code: 0xc0a1 GET, 0xc0a2 POST).
 */
#include <stdint.h>

#include "femto/helpers.h"

typedef struct {
    uint32_t code;
    uint32_t path_len;
    uint32_t payload_len;
    char path[64];
} coap_req_t;

int request_counter(const coap_req_t *req, uint32_t len)
{
    uint64_t n = 0;
    if (len < sizeof *req || req->code > 31)
        return -1;
    fc_store_get_tenant(0xc0a0u + req->code, &n);
    return (int)fc_store_put_tenant(0xc0a0u + req->code, n + 1);
}
