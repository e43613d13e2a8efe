/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The size-measurement firmware, built twice: FW_RUNTIME=0 is a bare
 * application (console, timer, Fletcher32 computed natively, the image
 * bytes present but only summed), FW_RUNTIME=1 is the same application
 * hosting the runtime (port, runtime, one tenant, the image loaded as a
 * container and run at a hook). Linked with --gc-sections, the difference
 * of `size` between the two is what hosting femto-containers costs.
 * Both run and exit 0 when their result is right, so neither is dead code.
 */
#include <string.h>

#include "fw.h"

#ifndef FW_RUNTIME
#define FW_RUNTIME 0
#endif

#if FW_RUNTIME
#include "fc/hook.h"
#include "fc/runtime.h"

static fc_rt_t rt;
static fc_store_entry_t pool[8];
static fc_tenant_t tenant;
static fc_hook_t hook;
static fc_container_t c;
static uint8_t ram[64] __attribute__((aligned(8)));
static uint8_t stack[512] __attribute__((aligned(8)));
#endif

static uint8_t input[360] __attribute__((aligned(8)));

int main(void)
{
    uint64_t r0, native;
    /* the application: console, timer, a checksum of the input, the image kept in flash */
    uint32_t sum = 0;
    fw_board_init();
    memcpy(input, fw_fletcher_input, sizeof input);
    for (size_t i = 0; i < fw_img_fletcher32_len; i++)
        sum += fw_img_fletcher32[i];
    native = native_fletcher32(input, sizeof input) + (sum == 0);
#if FW_RUNTIME
    /* ... and the same checksum by the container at a hook */
    fc_image_t img;
    fc_hook_result_t res;
    uint32_t entry;
    if (fc_rt_init(&rt, &fw_port, NULL, 0, pool, 8, NULL) != FC_OK ||
        fc_tenant_add(&rt, &tenant, 1, "app", 0, 8) != FC_OK ||
        fc_image_parse(&img, fw_img_fletcher32, fw_img_fletcher32_len) != FC_OK ||
        fc_image_entry(&img, "bench", &entry) != FC_OK ||
        fc_container_load(&c, &tenant, &img, ram, sizeof ram, stack, sizeof stack, NULL, 0,
                          NULL) != FC_OK ||
        fc_hook_init(&hook, &rt, "checksum", FC_POLICY_EXACTLY_ONE, FC_MEM_READ, 0, 100000) !=
            FC_OK ||
        fc_hook_attach(&hook, &c, entry, 0, NULL) != FC_OK ||
        fc_hook_fire(&hook, input, sizeof input, &res) != 1)
        return 1;
    r0 = res.r0;
#else
    r0 = native;
#endif
    fw_puts(FW_RUNTIME ? "size firmware with the runtime: " : "size firmware without runtime: ");
    fw_put_hex(r0);
    fw_puts("\n");
    return r0 == native && r0 == 0x8a49b4c2u ? 0 : 1;
}
