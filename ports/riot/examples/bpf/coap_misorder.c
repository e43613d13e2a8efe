/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile CoAP responder: adds an option after finishing the header, which
 * nanocoap would assert on. The gcoap glue faults the container instead; the
 * client gets 5.00 and the node keeps running (tests/riot/deploy.sh).
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

int coap_misorder(bpf_coap_ctx_t *gcoap)
{
    bpf_gcoap_resp_init(gcoap, (2 << 5) | 5);
    long len = bpf_coap_opt_finish(gcoap, 1);
    bpf_coap_add_format(gcoap, 0);
    return (int)len;
}
