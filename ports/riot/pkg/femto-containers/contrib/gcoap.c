/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CoAP hooks on gcoap: GET/POST /app is answered by the container on the
 * "coap" hook (exactly one), with the original package's context and helpers
 * (bpf_coap_ctx_t, bpf_gcoap_resp_init, bpf_coap_add_format,
 * bpf_coap_opt_finish, bpf_coap_get_pdu: firmware helpers 0x1040..0x1043);
 * every request to /app is first shown to the containers of "coap_req"
 * (read-only: code, path, payload length).
 *
 * The container never sees gcoap's buffer: the request is copied into the
 * context (writable), the helpers build the response there, and only the
 * r0 bytes the container returns are copied back, after checking them.
 * gcoap runs handlers in its one thread, so one context serves every request.
 */
#include <stddef.h>
#include <string.h>

#include "fc_riot.h"
#include "net/gcoap.h"

#ifndef CONFIG_FEMTO_CONTAINERS_COAP_BUF
#define CONFIG_FEMTO_CONTAINERS_COAP_BUF 256 /**< request/response bytes a container sees */
#endif

/* the layout of bpf/bpfapi/helpers.h: bpf_coap_ctx_t, then bpf_coap_pkt_t, then the bytes */
typedef struct {
    uint64_t pkt, buf;
    uint32_t buf_len, reserved;
    uint64_t hdr_p, payload_p, token_p;
    uint16_t payload_len, options_len;
    uint32_t reserved2;
    uint8_t data[CONFIG_FEMTO_CONTAINERS_COAP_BUF];
} coap_ctx_t;

fc_hook_t fc_riot_coap_hook;
fc_hook_t fc_riot_coap_req_hook;

static coap_ctx_t ctx __attribute__((aligned(8)));
static coap_pkt_t mirror; /* the request/response over ctx.data */

/*
 * nanocoap asserts (a panic under DEVELHELP) when options come out of order
 * or after the payload marker, so the helpers enforce the one order a
 * response is built in: resp_init, at most one add_format, opt_finish; a
 * call out of it faults the container instead of reaching nanocoap.
 */
static enum { BUILD_NONE, BUILD_INIT, BUILD_FORMAT, BUILD_DONE } stage;

#define CTX_ADDR(field) FC_VADDR(FC_REGION_CTX, offsetof(coap_ctx_t, field))

/* every helper takes the context first: it must be this very context */
static int own_ctx(fc_vm_t *vm, uint64_t addr)
{
    return fc_vm_translate(vm, addr, offsetof(coap_ctx_t, data), FC_MEM_READ) == (void *)&ctx
               ? FC_OK
               : FC_ERR_MEM;
}

static void publish(void)
{
    ctx.payload_p = CTX_ADDR(data) + (uint64_t)(mirror.payload - ctx.data);
    ctx.payload_len = mirror.payload_len;
}

static int h_resp_init(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    int err = own_ctx(vm, a[0]);
    if (err == FC_OK && stage != BUILD_NONE)
        err = FC_ERR_HELPER_FAIL;
    if (err == FC_OK) {
        stage = BUILD_INIT;
        *ret = (uint64_t)gcoap_resp_init(&mirror, ctx.data, sizeof ctx.data, (unsigned)a[1]);
        publish();
    }
    return err;
}

static int h_opt_finish(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    int err = own_ctx(vm, a[0]);
    if (err == FC_OK && stage != BUILD_INIT && stage != BUILD_FORMAT)
        err = FC_ERR_HELPER_FAIL;
    if (err == FC_OK) {
        stage = BUILD_DONE;
        *ret = (uint64_t)(int64_t)coap_opt_finish(&mirror, (uint16_t)(a[1] & COAP_OPT_FINISH_PAYLOAD));
        publish();
    }
    return err;
}

static int h_add_format(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    int err = own_ctx(vm, a[0]);
    if (err == FC_OK && stage != BUILD_INIT)
        err = FC_ERR_HELPER_FAIL;
    if (err == FC_OK) {
        stage = BUILD_FORMAT;
        *ret = (uint64_t)(int64_t)coap_opt_add_format(&mirror, (uint16_t)a[1]);
    }
    return err;
}

static int h_get_pdu(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    int err = own_ctx(vm, a[0]);
    if (err == FC_OK)
        *ret = stage == BUILD_DONE ? ctx.payload_p : 0;
    return err;
}

#define COAP_CAP FC_CAP_FIRMWARE(FC_RIOT_CAP_COAP)
static const fc_helper_t helpers[] = {
    { 0x1040, COAP_CAP, h_resp_init, "bpf_gcoap_resp_init" },
    { 0x1041, COAP_CAP, h_opt_finish, "bpf_coap_opt_finish" },
    { 0x1042, COAP_CAP, h_add_format, "bpf_coap_add_format" },
    { 0x1043, COAP_CAP, h_get_pdu, "bpf_coap_get_pdu" },
};

const fc_helper_table_t fc_riot_coap_helpers = { helpers, 4, NULL };

static ssize_t app_handler(coap_pkt_t *pdu, uint8_t *buf, size_t len, coap_request_ctx_t *rctx)
{
    (void)rctx;
    fc_hook_result_t res;
    fc_riot_coap_req_t req = { coap_get_code_raw(pdu), 0, pdu->payload_len, { 0 } };
    ssize_t plen = coap_get_uri_path(pdu, req.path);
    req.path_len = plen > 0 ? (uint32_t)plen : 0;
    fc_hook_fire(&fc_riot_coap_req_hook, &req, sizeof req, &res);

    size_t reqlen = (size_t)(pdu->payload - buf) + pdu->payload_len;
    if (fc_riot_coap_hook.head == NULL)
        return gcoap_response(pdu, buf, len, COAP_CODE_PATH_NOT_FOUND);
    if (reqlen > sizeof ctx.data)
        return gcoap_response(pdu, buf, len, COAP_CODE_REQUEST_ENTITY_TOO_LARGE);
    memset(&ctx, 0, sizeof ctx);
    memcpy(ctx.data, buf, reqlen);
    if (coap_parse(&mirror, ctx.data, reqlen) < 0)
        return gcoap_response(pdu, buf, len, COAP_CODE_BAD_REQUEST);
    ctx.pkt = CTX_ADDR(hdr_p);
    ctx.buf = CTX_ADDR(data);
    ctx.buf_len = sizeof ctx.data;
    ctx.hdr_p = CTX_ADDR(data);
    stage = BUILD_NONE;
    publish();
    fc_hook_fire(&fc_riot_coap_hook, &ctx, sizeof ctx, &res);
    int32_t n = (int32_t)res.r0;
    if (res.by == NULL || n <= 0 || (size_t)n > sizeof ctx.data || (size_t)n > len)
        return gcoap_response(pdu, buf, len, COAP_CODE_INTERNAL_SERVER_ERROR);
    memcpy(buf, ctx.data, (size_t)n);
    return n;
}

static const coap_resource_t resources[] = {
    { "/app", COAP_GET | COAP_POST, app_handler, NULL },
};

static gcoap_listener_t listener = {
    resources, ARRAY_SIZE(resources), GCOAP_SOCKET_TYPE_UNDEF, NULL, NULL, NULL
};

int fc_riot_coap_init(fc_rt_t *rt, uint32_t caps, uint32_t budget)
{
    int err = fc_hook_init(&fc_riot_coap_hook, rt, "coap", FC_POLICY_EXACTLY_ONE,
                           FC_MEM_READ | FC_MEM_WRITE, caps | COAP_CAP, budget);
    if (err == FC_OK)
        err = fc_hook_init(&fc_riot_coap_req_hook, rt, "coap_req", FC_POLICY_ALL, FC_MEM_READ,
                           caps, budget);
    if (err == FC_OK)
        gcoap_register_listener(&listener);
    return err;
}
