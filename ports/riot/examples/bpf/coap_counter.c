/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The original package's CoAP tutorial container: answers a GET with the
 * counter the thread counter keeps in the global store (key 0x50 here: the
 * switches the scheduler hook counted), formatted with the fmt helpers.
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

#define SHARED_KEY 0x50
#define COAP_OPT_FINISH_PAYLOAD (0x0001)

int coap_resp(bpf_coap_ctx_t *gcoap)
{
    bpf_coap_pkt_t *pdu = (bpf_coap_pkt_t *)(intptr_t)gcoap->pkt;
    char stringified[20];
    uint32_t counter;
    bpf_fetch_global(SHARED_KEY, &counter);
    size_t str_len = bpf_fmt_u32_dec(stringified, counter);
    unsigned code = (2 << 5) | 5; /* 2.05 Content */
    bpf_gcoap_resp_init(gcoap, code);
    bpf_coap_add_format(gcoap, 0); /* text/plain */
    long pdu_len = bpf_coap_opt_finish(gcoap, COAP_OPT_FINISH_PAYLOAD);
    uint8_t *payload = bpf_coap_get_pdu(gcoap);
    if (pdu->payload_len >= str_len) {
        bpf_memcpy(payload, stringified, str_len);
        return (int)(pdu_len + (long)str_len);
    }
    return -1;
}
