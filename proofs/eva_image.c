/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EVA harness for the image parser: every byte string of up to
 * FC_PROOF_IMAGE bytes (any content, any length), then every reader on
 * what it accepted: each entry and helper id, a lookup of any name of up
 * to 31 characters (and of NULL), and mapping into RAM and stack buffers
 * of any length up to their sizes.
 */
#include "__fc_builtin.h"
#include "fc/image.h"

#ifndef FC_PROOF_IMAGE
#define FC_PROOF_IMAGE 256
#endif

static uint8_t buf[FC_PROOF_IMAGE];
static uint8_t ram[FC_PROOF_IMAGE];
static uint8_t stack[64];
static char name[32];

int main(void)
{
    fc_image_t img;
    fc_region_t regions[FC_REGION_STACK];
    uint32_t pc, id, sum = 0;
    const char *s;

    Frama_C_make_unknown(buf, sizeof buf);
    size_t len = Frama_C_size_t_interval(0, sizeof buf);
    if (fc_image_parse(&img, buf, len) != FC_OK)
        return 1;
#ifdef FC_PROOF_READERS
    for (uint32_t i = 0; i <= img.nentries; i++)
        if (fc_image_entry_at(&img, i, &s, &pc) == FC_OK)
            sum += pc + (uint8_t)s[0];
    for (uint32_t i = 0; i <= img.nhelpers; i++)
        if (fc_image_helper_at(&img, i, &id) == FC_OK)
            sum += id;
    Frama_C_make_unknown(name, sizeof name - 1);
    name[sizeof name - 1] = 0;
    if (fc_image_entry(&img, name, &pc) == FC_OK)
        sum += pc;
    if (fc_image_entry(&img, NULL, &pc) == FC_OK)
        sum += pc;
    size_t ram_len = Frama_C_size_t_interval(0, sizeof ram);
    size_t stack_len = Frama_C_size_t_interval(0, sizeof stack);
    if (fc_image_map(&img, regions, ram, ram_len, stack, stack_len) == FC_OK)
        sum += regions[FC_REGION_DATA - 1].len;
#endif
    return (int)(sum & 0x7f);
}
