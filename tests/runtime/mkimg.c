/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mkimg TEXT.bin ENTRY OUT.img [BSS_LEN [STACK]]: wrap relocation-free BPF
 * text in an image declaring that .bss and stack (default 0 and 512), any
 * 32-bit numbers: for the limits-before-memory tests (tests only).
 */
#include <stdio.h>
#include <stdlib.h>

#include "imgw.h"

int main(int argc, char **argv)
{
    static uint8_t text[1 << 16], img[(1 << 16) + 4096];
    if (argc < 4 || argc > 6) {
        fprintf(stderr, "usage: mkimg TEXT.bin ENTRY OUT.img [BSS_LEN [STACK]]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL)
        return 3;
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    uint32_t bss = argc >= 5 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0;
    uint32_t stack = argc == 6 ? (uint32_t)strtoul(argv[5], NULL, 0) : 512;
    size_t len = imgw_write(img, sizeof img, argv[2], text, (uint32_t)n, bss, stack);
    if (len == 0 || n % 8 != 0)
        return 1;
    f = fopen(argv[3], "wb");
    if (f == NULL || fwrite(img, 1, len, f) != len || fclose(f) != 0)
        return 3;
    return 0;
}
