/* SPDX-License-Identifier: Apache-2.0 */
/* femto info: what an image holds and needs, read from its header and tables. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "fc/helpers.h"
#include "fc/image.h"
#include "io.h"
#include "verdict.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto info X.img\n\n"
            "Print an image's header (version, length, checksum), its sections with their\n"
            "offsets and sizes, its entry points, the helpers it calls (with the\n"
            "capability each needs) and the RAM it needs: stack, .data + .bss; then the\n"
            "verifier's measure of the stack the deepest chain of local calls really uses\n"
            "(every frame) and the call depth, or why a device would refuse the image.\n"
            "The image is checked as a device would (fc_image_parse) first.\n\n"
            "exit codes: 0 ok, 1 not a valid image (the reason on stderr), 2 usage error,\n"
            "3 file not readable\n");
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *cap_name(uint32_t caps)
{
    switch (caps) {
    case FC_CAP_STORE_GLOBAL: return "store-global";
    case FC_CAP_STORE_TENANT: return "store-tenant";
    case FC_CAP_STORE_LOCAL:  return "store-local";
    case FC_CAP_TIME:         return "time";
    case FC_CAP_LOG:          return "log";
    case FC_CAP_SENSOR:       return "sensor";
    case FC_CAP_RANDOM:       return "random";
    case 0:                   return "none";
    default:                  return "several";
    }
}

/* What the verifier measures: the stack really used and the call depth. */
static void verified(const fc_image_t *img)
{
    femto_host_t *h = calloc(1, sizeof *h);
    fc_verify_info_t info = { 0 };
    int err = h != NULL ? femto_host_open(h, NULL, NULL, 0) : FC_ERR_NOMEM;
    if (err == FC_OK)
        err = femto_verdict_measure(h, img, &info);
    if (err == FC_OK) {
        printf("  verified   ");
        femto_verdict_needs(stdout, &info);
        if (info.stack > img->stack_size)
            printf("; MORE than the image asks for: it would overflow");
        putchar('\n');
    } else if (info.reason != NULL) {
        printf("  verified   rejected at slot %" PRIu32 ": %s (with the standard helpers; see femto verify)\n",
               info.pc, info.reason);
    } else {
        printf("  verified   not loaded: %s\n", fc_strerror(err));
    }
    if (h != NULL)
        femto_host_close(h);
    free(h);
}

int fc_cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if ((argv[i][0] == '-' && argv[i][1]) || path != NULL) {
            fprintf(stderr, "femto info: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        }
        path = argv[i];
    }
    if (path == NULL) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    size_t len;
    uint8_t *buf = femto_read_file(path, &len);
    if (buf == NULL) {
        fprintf(stderr, "femto info: cannot read %s: %s\n", path, strerror(errno));
        return FEMTO_EXIT_IO;
    }
    fc_image_t img;
    int err = fc_image_parse(&img, buf, len);
    if (err != FC_OK) {
        fprintf(stderr, "femto info: %s: not a valid image: %s\n", path, fc_strerror(err));
        free(buf);
        return FEMTO_EXIT_FAIL;
    }
    printf("%s: femto-container image, format version %u\n", path,
           (unsigned)(buf[FC_IMAGE_OFF_VERSION] | buf[FC_IMAGE_OFF_VERSION + 1] << 8));
    printf("  length     %" PRIu32 " B (checksum 0x%08" PRIx32 ")\n", img.image_len,
           rd32(buf + FC_IMAGE_OFF_CHECKSUM));
    printf("  sections   offset     size\n");
    printf("    header   %6u %8u\n", 0u, FC_IMAGE_HDR_LEN);
    printf("    entries  %6" PRIu32 " %8u\n", rd32(buf + FC_IMAGE_OFF_ENTRIES),
           (unsigned)img.nentries * FC_IMAGE_ENTRY_LEN);
    printf("    helpers  %6" PRIu32 " %8u\n", rd32(buf + FC_IMAGE_OFF_HELPERS), (unsigned)img.nhelpers * 4u);
    printf("    text     %6" PRIu32 " %8" PRIu32 "   (%" PRIu32 " slots)\n", rd32(buf + FC_IMAGE_OFF_TEXT),
           img.text_len, img.nslots);
    printf("    rodata   %6" PRIu32 " %8" PRIu32 "\n", rd32(buf + FC_IMAGE_OFF_RODATA), img.rodata_len);
    printf("    data     %6" PRIu32 " %8" PRIu32 "\n", rd32(buf + FC_IMAGE_OFF_DATA), img.data_len);
    printf("    bss           - %8" PRIu32 "   (zeroed in RAM)\n", img.bss_len);
    if (img.lines != NULL) /* femto build -g */
        printf("    lines    %6u %8" PRIu32 "   (%" PRIu32 " rows, %u files; debug info)\n",
               (unsigned)(img.lines - buf), img.lines_len, rd32(img.lines),
               (unsigned)img.lines[4] | (unsigned)img.lines[5] << 8);
    printf("  entries    %u\n", (unsigned)img.nentries);
    for (uint32_t i = 0; i < img.nentries; i++) {
        const char *name;
        uint32_t pc;
        fc_image_entry_at(&img, i, &name, &pc);
        printf("    %-27s slot %" PRIu32 "\n", name, pc);
    }
    printf("  helpers    %u\n", (unsigned)img.nhelpers);
    for (uint32_t i = 0; i < img.nhelpers; i++) {
        uint32_t id;
        fc_image_helper_at(&img, i, &id);
        const fc_helper_t *h = fc_helper_standard(id);
        if (h != NULL)
            printf("    %5" PRIu32 "  %-20s capability %s\n", id, h->name, cap_name(h->caps));
        else if (id >= FC_HELPER_FIRMWARE_BASE)
            printf("    %5" PRIu32 "  (firmware helper)\n", id);
        else
            printf("    %5" PRIu32 "  (unknown: no device offers it, the verifier will refuse)\n", id);
    }
    printf("  needs      stack %" PRIu32 " B, RAM %" PRIu32 " B (.data %" PRIu32 " + .bss %" PRIu32 ")\n",
           img.stack_size, fc_image_ram_size(&img), img.data_len, img.bss_len);
    verified(&img);
    free(buf);
    return FEMTO_EXIT_OK;
}
