/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary bytes as a container image. The parser must never
 * read outside the input (ASan: the input is an exact-size heap block) and
 * must only accept images whose every part lies inside it; an accepted
 * image is then mapped, verified and each entry run with a small budget.
 *
 * Random bytes rarely carry a right checksum, so each input is parsed twice:
 * as it is, and with its checksum field recomputed, which lets the fuzzer
 * reach the layout, entry and helper checks behind the checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fc/conformance.h"
#include "fc/fc.h"
#include "fc/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_MAX (1u << 16)
#define STACK_MAX (1u << 14)

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int inside(const uint8_t *buf, size_t size, const uint8_t *p, size_t len)
{
    return len == 0 || (p != NULL && p >= buf && (size_t)(p - buf) <= size && len <= size - (size_t)(p - buf));
}

/* The promises of a successful parse; abort() shows a broken one to the fuzzer. */
static void check_accepted(const fc_image_t *img, const uint8_t *buf, size_t size)
{
    if (img->image_len > size || img->image_len < FC_IMAGE_HDR_LEN || img->text_len == 0 ||
        img->text_len != img->nslots * 8u || img->nentries == 0 ||
        !inside(buf, img->image_len, img->text, img->text_len) ||
        !inside(buf, img->image_len, img->rodata, img->rodata_len) ||
        !inside(buf, img->image_len, img->data, img->data_len) ||
        !inside(buf, img->image_len, img->entries, (size_t)img->nentries * FC_IMAGE_ENTRY_LEN) ||
        !inside(buf, img->image_len, img->helpers, (size_t)img->nhelpers * 4u))
        abort();
    const char *prev = NULL;
    for (uint32_t i = 0; i < img->nentries; i++) {
        const char *name;
        uint32_t pc, found;
        if (fc_image_entry_at(img, i, &name, &pc) != FC_OK || pc >= img->nslots ||
            memchr(name, 0, FC_IMAGE_NAME_LEN) == NULL || (prev != NULL && strcmp(prev, name) >= 0) ||
            fc_image_entry(img, name, &found) != FC_OK || found != pc)
            abort();
        prev = name;
    }
    if (fc_image_entry_at(img, img->nentries, NULL, NULL) != FC_ERR_NOENT)
        abort();
    for (uint32_t i = 1; i < img->nhelpers; i++) {
        uint32_t a, b;
        if (fc_image_helper_at(img, i - 1, &a) != FC_OK || fc_image_helper_at(img, i, &b) != FC_OK || a >= b)
            abort();
    }
}

/* Map, verify and run every entry of an accepted image. */
static void exercise(const fc_image_t *img)
{
    uint32_t ram_len = fc_image_ram_size(img);
    uint32_t stack_len = img->stack_size < 512u ? 512u : img->stack_size;
    if (ram_len > RAM_MAX || stack_len > STACK_MAX)
        return;
    uint8_t *ram = malloc(ram_len ? ram_len : 1), *stack = malloc(stack_len), ctx[16] = { 0 };
    fc_region_t regions[FC_REGION_CTX];
    fc_vm_t vm;
    if (ram != NULL && stack != NULL &&
        fc_image_map(img, regions, ram_len ? ram : NULL, ram_len, stack, stack_len) == FC_OK) {
        regions[FC_REGION_CTX - 1] = (fc_region_t){ ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE };
        if (fc_vm_init(&vm, img->text, img->text_len, regions, FC_REGION_CTX, &fc_conformance_helpers) == FC_OK &&
            fc_vm_verify(&vm, NULL) == FC_OK) {
            vm.budget = 1000;
            for (uint32_t i = 0; i < img->nentries; i++) {
                uint32_t pc;
                uint64_t r0;
                fc_image_entry_at(img, i, NULL, &pc);
                (void)fc_vm_run(&vm, pc, FC_VADDR(FC_REGION_CTX, 0), sizeof ctx, &r0);
            }
        }
    }
    free(ram);
    free(stack);
}

static void one(const uint8_t *buf, size_t size)
{
    fc_image_t img;
    int err = fc_image_parse(&img, buf, size);
    if (err == FC_OK) {
        check_accepted(&img, buf, size);
        exercise(&img);
    } else if (err > 0 || img.text != NULL || img.nslots != 0) {
        abort(); /* failure: a negative code and a zeroed descriptor */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    if (size < FC_IMAGE_HDR_LEN)
        return 0;
    uint32_t len = rd32(data + FC_IMAGE_OFF_IMAGE_LEN);
    if (len < FC_IMAGE_OFF_FLAGS || len > size)
        return 0;
    uint8_t *copy = malloc(size);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    uint32_t sum = fc_image_checksum(copy + FC_IMAGE_OFF_FLAGS, len - FC_IMAGE_OFF_FLAGS);
    for (int i = 0; i < 4; i++)
        copy[FC_IMAGE_OFF_CHECKSUM + i] = (uint8_t)(sum >> (8 * i));
    one(copy, size);
    free(copy);
    return 0;
}
