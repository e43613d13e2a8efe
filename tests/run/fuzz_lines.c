/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target of the image's line table: any bytes as an image, parsed as
 * they are and once more with the line-table flag set and the checksum
 * recomputed (so the table checks are reached); when accepted, every slot
 * is looked up and each answer must be a NUL-terminated name inside the
 * image with a nonzero line. abort() marks a broken promise.
 * Replayed over the image corpus (tests/fuzz/corpus/image) by ctest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fc/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *buf, size_t size)
{
    fc_image_t img;
    if (fc_image_parse(&img, buf, size) != FC_OK)
        return;
    if ((img.lines == NULL) != (img.lines_len == 0) ||
        (img.lines != NULL && (img.lines < buf || img.lines + img.lines_len != buf + img.image_len)))
        abort();
    for (uint32_t pc = 0; pc <= img.nslots; pc++) {
        const char *file;
        uint32_t line;
        int err = fc_image_line(&img, pc, &file, &line);
        if (err == FC_ERR_NOENT)
            continue;
        if (err != FC_OK || img.lines == NULL || pc >= img.nslots || line == 0 ||
            (const uint8_t *)file < img.lines || (const uint8_t *)file >= buf + img.image_len ||
            memchr(file, 0, (size_t)(buf + img.image_len - (const uint8_t *)file)) == NULL)
            abort();
    }
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size);
    if (size < FC_IMAGE_HDR_LEN)
        return 0;
    uint32_t len = rd32(data + FC_IMAGE_OFF_IMAGE_LEN);
    if (len < FC_IMAGE_HDR_LEN || len > size || len % 4 != 0)
        return 0;
    uint8_t *copy = malloc(size);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    wr32(copy + FC_IMAGE_OFF_FLAGS, FC_IMAGE_FLAG_LINES);
    wr32(copy + FC_IMAGE_OFF_CHECKSUM, fc_image_checksum(copy + FC_IMAGE_OFF_FLAGS, len - FC_IMAGE_OFF_FLAGS));
    check(copy, size);
    free(copy);
    return 0;
}
