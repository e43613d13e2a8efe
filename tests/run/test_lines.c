/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image's optional line table (docs/image-format.md, "Line table"):
 * fc_image_line() lookups on a hand-built image, and every malformation the
 * parser must refuse with FC_ERR_IMG_LINES (each with its checksum
 * recomputed, so it is the line-table check that refuses it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fc/image.h"

enum { OFF_TEXT = 96, NSLOTS = 3, OFF_LINES = OFF_TEXT + 8 * NSLOTS };
/* rows: slot 0 -> a.c:10, slot 2 -> b.rs:12; files "a.c", "b.rs" */
enum { NROWS = 2, NFILES = 2, OFF_FILES = OFF_LINES + 8 + NROWS * 12, OFF_POOL = OFF_FILES + 4 * NFILES };
enum { IMG_LEN = (OFF_POOL + 9 + 7) / 8 * 8 };

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void seal(uint8_t *img, uint32_t len)
{
    put32(img + FC_IMAGE_OFF_IMAGE_LEN, len);
    put32(img + FC_IMAGE_OFF_CHECKSUM, fc_image_checksum(img + FC_IMAGE_OFF_FLAGS, len - FC_IMAGE_OFF_FLAGS));
}

/* A 3-slot program (r0 = 1; r0 = 2; exit), entry "main", with the line table above. */
static void build(uint8_t *img)
{
    static const uint8_t code[] = { 0xb7, 0, 0, 0, 1, 0, 0, 0, 0xb7, 0, 0, 0, 2, 0, 0, 0,
                                    0x95, 0, 0, 0, 0, 0, 0, 0 };
    memset(img, 0, IMG_LEN);
    memcpy(img, FC_IMAGE_MAGIC, 4);
    put16(img + FC_IMAGE_OFF_VERSION, FC_IMAGE_VERSION);
    put16(img + FC_IMAGE_OFF_HDR_LEN, FC_IMAGE_HDR_LEN);
    put32(img + FC_IMAGE_OFF_FLAGS, FC_IMAGE_FLAG_LINES);
    put16(img + FC_IMAGE_OFF_NENTRIES, 1);
    put32(img + FC_IMAGE_OFF_ENTRIES, 64);
    put32(img + FC_IMAGE_OFF_HELPERS, OFF_TEXT);
    put32(img + FC_IMAGE_OFF_TEXT, OFF_TEXT);
    put32(img + FC_IMAGE_OFF_TEXT_LEN, sizeof code);
    put32(img + FC_IMAGE_OFF_RODATA, OFF_LINES);
    put32(img + FC_IMAGE_OFF_DATA, OFF_LINES);
    memcpy(img + 68, "main", 4);
    memcpy(img + OFF_TEXT, code, sizeof code);
    uint8_t *t = img + OFF_LINES;
    put32(t, NROWS);
    put16(t + 4, NFILES);
    put32(t + 8, 0);       /* row 0: slot 0 */
    put32(t + 12, 10);     /*        line 10 */
    put32(t + 16, 0);      /*        file 0 */
    put32(t + 20, 2);      /* row 1: slot 2 */
    put32(t + 24, 12);     /*        line 12 */
    put32(t + 28, 1);      /*        file 1 */
    put32(img + OFF_FILES, 0);
    put32(img + OFF_FILES + 4, 4);
    memcpy(img + OFF_POOL, "a.c\0b.rs\0", 9);
    seal(img, IMG_LEN);
}

static void lookups(void **state)
{
    (void)state;
    uint8_t img[IMG_LEN];
    fc_image_t im;
    const char *file;
    uint32_t line;
    build(img);
    assert_int_equal(fc_image_parse(&im, img, sizeof img), FC_OK);
    assert_non_null(im.lines);
    assert_int_equal(im.lines_len, IMG_LEN - OFF_LINES);
    assert_int_equal(fc_image_line(&im, 0, &file, &line), FC_OK);
    assert_string_equal(file, "a.c");
    assert_int_equal(line, 10);
    /* slot 1 has no row of its own: the row of slot 0 covers it */
    assert_int_equal(fc_image_line(&im, 1, &file, &line), FC_OK);
    assert_string_equal(file, "a.c");
    assert_int_equal(line, 10);
    assert_int_equal(fc_image_line(&im, 2, &file, &line), FC_OK);
    assert_string_equal(file, "b.rs");
    assert_int_equal(line, 12);
    assert_int_equal(fc_image_line(&im, 3, &file, &line), FC_ERR_NOENT);
    assert_int_equal(fc_image_line(&im, UINT32_MAX, NULL, NULL), FC_ERR_NOENT);
    assert_int_equal(fc_image_line(NULL, 0, &file, &line), FC_ERR_INVAL);
}

static void line_zero_is_no_line(void **state)
{
    (void)state;
    uint8_t img[IMG_LEN];
    fc_image_t im;
    build(img);
    put32(img + OFF_LINES + 24, 0); /* compiler-generated code: line 0 */
    seal(img, IMG_LEN);
    assert_int_equal(fc_image_parse(&im, img, sizeof img), FC_OK);
    assert_int_equal(fc_image_line(&im, 2, NULL, NULL), FC_ERR_NOENT);
    assert_int_equal(fc_image_line(&im, 0, NULL, NULL), FC_OK);
}

static void without_table(void **state)
{
    (void)state;
    uint8_t img[IMG_LEN];
    fc_image_t im;
    build(img);
    put32(img + FC_IMAGE_OFF_FLAGS, 0); /* the bytes after .data are then ignored */
    seal(img, IMG_LEN);
    assert_int_equal(fc_image_parse(&im, img, sizeof img), FC_OK);
    assert_null(im.lines);
    assert_int_equal(fc_image_line(&im, 0, NULL, NULL), FC_ERR_NOENT);
    put32(img + FC_IMAGE_OFF_FLAGS, 2); /* an unknown flag */
    seal(img, IMG_LEN);
    assert_int_equal(fc_image_parse(&im, img, sizeof img), FC_ERR_IMG_VERSION);
}

/* One malformation: offset, value (width 4, or 2 for u16 fields). */
typedef struct {
    const char *what;
    uint32_t off, value, width;
} bad_t;

static void malformed(void **state)
{
    (void)state;
    static const bad_t bad[] = {
        { "reserved field nonzero", OFF_LINES + 6, 1, 2 },
        { "more rows than bytes", OFF_LINES, 1000, 4 },
        { "rows of 2^32 - 1 (no 32-bit overflow)", OFF_LINES, UINT32_MAX, 4 },
        { "more files than bytes", OFF_LINES + 4, 0xffff, 2 },
        { "rows but no file", OFF_LINES + 4, 0, 2 },
        { "row past the code", OFF_LINES + 20, NSLOTS, 4 },
        { "rows not ascending", OFF_LINES + 20, 0, 4 },
        { "file index past the files", OFF_LINES + 28, NFILES, 4 },
        { "name past the pool", OFF_FILES + 4, 100, 4 },
        { "empty name", OFF_FILES + 4, 3, 4 },
        { "pool not NUL-terminated", IMG_LEN - 4, 0x78787878, 4 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t img[IMG_LEN];
        fc_image_t im;
        build(img);
        if (bad[i].width == 2)
            put16(img + bad[i].off, bad[i].value);
        else
            put32(img + bad[i].off, bad[i].value);
        seal(img, IMG_LEN);
        int err = fc_image_parse(&im, img, sizeof img);
        if (err != FC_ERR_IMG_LINES)
            fail_msg("%s: got %d (%s)", bad[i].what, err, fc_strerror(err));
        assert_null(im.lines);
    }
}

static void table_missing(void **state)
{
    (void)state;
    uint8_t img[IMG_LEN];
    fc_image_t im;
    build(img);
    seal(img, OFF_LINES); /* the flag says a table follows .data, the image ends there */
    assert_int_equal(fc_image_parse(&im, img, sizeof img), FC_ERR_IMG_LINES);
    assert_string_equal(fc_strerror(FC_ERR_IMG_LINES), "malformed image line table");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups),
        cmocka_unit_test(line_zero_is_no_line),
        cmocka_unit_test(without_table),
        cmocka_unit_test(malformed),
        cmocka_unit_test(table_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
