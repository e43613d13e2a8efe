/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal image writer for the runtime tests: header, entry table, the
 * helper ids the code calls, text, rodata, data (docs/image-format.md).
 * Enough for code without relocations until `femto build` is used instead.
 */
#ifndef FC_TEST_IMGW_H
#define FC_TEST_IMGW_H

#include <stdint.h>
#include <string.h>

#include "fc/image.h"
#include "fc/isa.h"

static inline void imgw_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t imgw_align(uint32_t v)
{
    return (v + FC_IMAGE_ALIGN - 1) & ~(FC_IMAGE_ALIGN - 1);
}

/*
 * An entry named name at slot 0 and, when name2 is not NULL, one named name2
 * (sorting after name) at slot2. Returns the image length, 0 when cap is too small.
 */
static inline size_t imgw_write2(uint8_t *out, size_t cap, const char *name, const uint8_t *text,
                                 uint32_t text_len, uint32_t bss_len, uint32_t stack,
                                 const char *name2, uint32_t slot2)
{
    uint32_t nent = name2 != NULL ? 2u : 1u;
    uint32_t ids[64], nids = 0;
    for (uint32_t pc = 0; pc < text_len / 8; pc++) {
        fc_insn_t i = fc_insn_decode(text + 8 * pc);
        if (i.op == FC_OP_LDDW) {
            pc++;
            continue;
        }
        if (i.op != FC_OP_CALL || i.src != FC_CALL_HELPER)
            continue;
        uint32_t id = (uint32_t)i.imm, k = 0;
        while (k < nids && ids[k] < id)
            k++;
        if (k < nids && ids[k] == id)
            continue;
        if (nids == 64)
            return 0;
        memmove(&ids[k + 1], &ids[k], (nids - k) * sizeof ids[0]);
        ids[k] = id;
        nids++;
    }
    uint32_t entries = FC_IMAGE_HDR_LEN, helpers = entries + nent * FC_IMAGE_ENTRY_LEN;
    uint32_t text_off = imgw_align(helpers + 4 * nids);
    uint32_t end = imgw_align(text_off + text_len);
    if (end > cap)
        return 0;
    memset(out, 0, end);
    memcpy(out, FC_IMAGE_MAGIC, 4);
    out[FC_IMAGE_OFF_VERSION] = FC_IMAGE_VERSION;
    out[FC_IMAGE_OFF_HDR_LEN] = FC_IMAGE_HDR_LEN;
    imgw_put32(out + FC_IMAGE_OFF_IMAGE_LEN, end);
    imgw_put32(out + FC_IMAGE_OFF_STACK, stack);
    out[FC_IMAGE_OFF_NENTRIES] = (uint8_t)nent;
    out[FC_IMAGE_OFF_NHELPERS] = (uint8_t)nids;
    imgw_put32(out + FC_IMAGE_OFF_ENTRIES, entries);
    imgw_put32(out + FC_IMAGE_OFF_HELPERS, helpers);
    imgw_put32(out + FC_IMAGE_OFF_TEXT, text_off);
    imgw_put32(out + FC_IMAGE_OFF_TEXT_LEN, text_len);
    imgw_put32(out + FC_IMAGE_OFF_RODATA, end);
    imgw_put32(out + FC_IMAGE_OFF_DATA, end);
    imgw_put32(out + FC_IMAGE_OFF_BSS_LEN, bss_len);
    strncpy((char *)out + entries + 4, name, FC_IMAGE_NAME_LEN - 1);
    if (name2 != NULL) {
        imgw_put32(out + entries + FC_IMAGE_ENTRY_LEN, slot2);
        strncpy((char *)out + entries + FC_IMAGE_ENTRY_LEN + 4, name2, FC_IMAGE_NAME_LEN - 1);
    }
    for (uint32_t k = 0; k < nids; k++)
        imgw_put32(out + helpers + 4 * k, ids[k]);
    memcpy(out + text_off, text, text_len);
    imgw_put32(out + FC_IMAGE_OFF_CHECKSUM, fc_image_checksum(out + 16, end - 16));
    return end;
}

/* One entry named name at slot 0. Returns the image length, 0 when cap is too small. */
static inline size_t imgw_write(uint8_t *out, size_t cap, const char *name, const uint8_t *text,
                                uint32_t text_len, uint32_t bss_len, uint32_t stack)
{
    return imgw_write2(out, cap, name, text, text_len, bss_len, stack, NULL, 0);
}

#endif /* FC_TEST_IMGW_H */
