/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The image parser: one pass over the header and tables, one over the bytes
 * for the checksum, nothing copied. The format is specified in
 * docs/image-format.md; this file must stay in step with it.
 *
 * Sections have a fixed order (entries, helpers, text, rodata, data), so
 * "no overlap" is a single moving cursor instead of pairwise compares, and
 * entry names and helper ids must be strictly ascending, so uniqueness is
 * one compare with the previous record and lookups can bisect.
 */
#include <string.h>

#include "fc/image.h"
#include "fc/isa.h"

/* FC_IMAGE_MAGIC as the little-endian word word() reads: one load, no memcmp() */
#define MAGIC_WORD 0x4d494346u /* 'F' 'C' 'I' 'M' */

/*@ requires \valid_read(p + (0 .. 1));
    assigns \nothing;
*/
static uint32_t rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
*/
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* One little-endian word: a single load on little-endian hosts (start-up cost). */
/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
*/
static uint32_t word(const uint8_t *p)
{
/* Frama-C proves the byte-wise form, the same value on little-endian hosts (docs/proofs.md) */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    !defined(__FRAMAC__)
    uint32_t w;
    __builtin_memcpy(&w, p, 4);
    return w;
#else
    return rd32(p);
#endif
}

/*
 * a += w; b += a over the words, as docs/image-format.md defines it, but in
 * four independent lanes (lane k takes the words 4t + k), so the loop has no
 * chain of dependent adds and the compiler may vectorise it. Over N = 4m
 * words the definition gives b = N + sum (N - i) w_i, and with the lanes'
 * A_k = sum w and B_k = sum of their running sums that is
 * N + sum_k (4 B_k - k A_k); the remaining words continue the plain way.
 * Everything is modulo 2^32, as the definition is.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__SSE2__) || defined(__ARM_NEON))
#define LANES_SIMD 1 /* the four lanes as one vector register */
typedef uint32_t lanes_t __attribute__((vector_size(16)));
#else
#define LANES_SIMD 0
#endif

uint32_t fc_image_checksum(const uint8_t *p, size_t len)
{
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    size_t n = len / 4, i = 0;
    /*@ loop invariant 0 <= i <= n && i % 4 == 0;
        loop assigns i, a0, a1, a2, a3, b0, b1, b2, b3;
        loop variant n - i;
    */
#if LANES_SIMD
    lanes_t va = { 0, 0, 0, 0 }, vb = { 0, 0, 0, 0 };
    for (; i + 4 <= n; i += 4) {
        lanes_t w;
        __builtin_memcpy(&w, p + 4 * i, sizeof w);
        va += w;
        vb += va;
    }
    a0 = va[0], a1 = va[1], a2 = va[2], a3 = va[3];
    b0 = vb[0], b1 = vb[1], b2 = vb[2], b3 = vb[3];
#else
    for (; i + 4 <= n; i += 4) {
        const uint8_t *q = p + 4 * i;
        a0 += word(q);
        a1 += word(q + 4);
        a2 += word(q + 8);
        a3 += word(q + 12);
        b0 += a0;
        b1 += a1;
        b2 += a2;
        b3 += a3;
    }
#endif
    uint32_t a = 1 + a0 + a1 + a2 + a3;
    uint32_t b = (uint32_t)i + 4 * (b0 + b1 + b2 + b3) - (a1 + 2 * a2 + 3 * a3);
    /*@ loop invariant 0 <= i <= n;
        loop assigns i, a, b;
        loop variant n - i;
    */
    for (; i < n; i++) {
        a += word(p + 4 * i);
        b += a;
    }
    return a ^ ((b << 16) | (b >> 16));
}

/*
 * Places one section at or after *cursor: aligned, inside the image, in
 * order. Offsets and lengths are 32-bit, so their sum fits 64 bits.
 */
/*@ requires \valid(cursor) && \valid(out) && \separated(cursor, out);
    assigns *cursor, *out;
    ensures \result == FC_OK || \result == FC_ERR_IMG_LAYOUT;
    ensures \result == FC_OK ==> \old(*cursor) <= off && off + len <= image_len &&
            *cursor == off + len && (len == 0 ? *out == \null : *out == buf + off);
*/
static int place(const uint8_t *buf, uint32_t *cursor, uint32_t image_len, uint32_t off,
                 uint32_t len, const uint8_t **out)
{
    if (off % FC_IMAGE_ALIGN != 0 || off < *cursor || (uint64_t)off + len > image_len)
        return FC_ERR_IMG_LAYOUT;
    *cursor = off + len;
    *out = len ? buf + off : NULL;
    return FC_OK;
}

/*@ assigns \nothing; */
static int is_ident(unsigned c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* A name is 1..27 identifier characters, NUL-padded to the end of its field. */
_Static_assert(FC_IMAGE_NAME_LEN % 4 == 0, "names are compared and checked by words");

/*@ requires \valid_read(n + (0 .. FC_IMAGE_NAME_LEN - 1));
    assigns \nothing;
*/
static int check_name(const uint8_t *n)
{
    uint32_t i = 0;
    /*@ loop invariant 0 <= i <= FC_IMAGE_NAME_LEN;
        loop assigns i;
        loop variant FC_IMAGE_NAME_LEN - i;
    */
    while (i < FC_IMAGE_NAME_LEN && n[i] != 0) {
        if (!is_ident(n[i], i == 0))
            return FC_ERR_IMG_ENTRY;
        i++;
    }
    if (i == 0 || i == FC_IMAGE_NAME_LEN)
        return FC_ERR_IMG_ENTRY;
    /* the padding: bytes up to a word boundary, then whole words (start-up cost) */
    /*@ loop invariant 0 <= i <= FC_IMAGE_NAME_LEN;
        loop assigns i;
        loop variant FC_IMAGE_NAME_LEN - i;
    */
    for (; i % 4 != 0; i++)
        if (n[i] != 0)
            return FC_ERR_IMG_ENTRY;
    /*@ loop invariant 0 <= i <= FC_IMAGE_NAME_LEN && i % 4 == 0;
        loop assigns i;
        loop variant FC_IMAGE_NAME_LEN - i;
    */
    for (; i < FC_IMAGE_NAME_LEN; i += 4)
        if (word(n + i) != 0)
            return FC_ERR_IMG_ENTRY;
    return FC_OK;
}

/*
 * memcmp() of two name fields: equal words are skipped a word at a time
 * (names are short and NUL-padded), the first differing one byte by byte.
 */
/*@ requires \valid_read(a + (0 .. FC_IMAGE_NAME_LEN - 1));
    requires \valid_read(b + (0 .. FC_IMAGE_NAME_LEN - 1));
    assigns \nothing;
*/
static int name_cmp(const uint8_t *a, const uint8_t *b)
{
    uint32_t i = 0;
    /*@ loop invariant 0 <= i <= FC_IMAGE_NAME_LEN && i % 4 == 0;
        loop assigns i;
        loop variant FC_IMAGE_NAME_LEN - i;
    */
    while (i < FC_IMAGE_NAME_LEN && word(a + i) == word(b + i))
        i += 4;
    /*@ loop invariant 0 <= i <= FC_IMAGE_NAME_LEN;
        loop assigns i;
        loop variant FC_IMAGE_NAME_LEN - i;
    */
    for (; i < FC_IMAGE_NAME_LEN; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/*@ requires \valid_read(img);
    requires \valid_read(img->entries + (0 .. FC_IMAGE_ENTRY_LEN * img->nentries - 1));
    requires img->nhelpers == 0 || \valid_read(img->helpers + (0 .. 4 * img->nhelpers - 1));
    requires \valid_read(img->text + (0 .. FC_INSN_SIZE * img->nslots - 1));
    assigns \nothing;
*/
static int check_tables(const fc_image_t *img)
{
    const uint8_t *prev = NULL;
    /*@ loop invariant 0 <= i <= img->nentries;
        loop invariant prev == \null || (i >= 1 && prev == img->entries + FC_IMAGE_ENTRY_LEN * (i - 1) + 4);
        loop assigns i, prev;
        loop variant img->nentries - i;
    */
    for (uint32_t i = 0; i < img->nentries; i++) {
        const uint8_t *e = img->entries + (size_t)i * FC_IMAGE_ENTRY_LEN;
        uint32_t pc = rd32(e);
        /* An LDDW's second slot follows a slot whose opcode is LDDW (see verify.c). */
        if (pc >= img->nslots ||
            (pc > 0 && img->text[(size_t)(pc - 1) * FC_INSN_SIZE] == FC_OP_LDDW))
            return FC_ERR_IMG_ENTRY;
        if (check_name(e + 4) != FC_OK)
            return FC_ERR_IMG_ENTRY;
        /* NUL padding makes memcmp order the same as strcmp order. */
        if (prev != NULL && name_cmp(prev, e + 4) >= 0)
            return FC_ERR_IMG_ENTRY;
        prev = e + 4;
    }
    /*@ loop invariant 1 <= i && (img->nhelpers == 0 || i <= img->nhelpers);
        loop assigns i;
        loop variant img->nhelpers - i;
    */
    for (uint32_t i = 1; i < img->nhelpers; i++)
        if (rd32(img->helpers + 4 * (size_t)i) <= rd32(img->helpers + 4 * (size_t)(i - 1)))
            return FC_ERR_IMG_ENTRY;
    return FC_OK;
}

/*
 * The optional line table, from the first aligned offset after .data to
 * the image's end (docs/image-format.md): header, rows, file-name offsets,
 * then the names. Checked once here so fc_image_line() can trust it.
 */
/*@ requires \valid(img) && \valid_read(buf + (0 .. img->image_len - 1));
    requires \separated(img, buf + (0 .. img->image_len - 1));
    requires cursor <= img->image_len && img->image_len % FC_IMAGE_ALIGN == 0;
    assigns img->lines, img->lines_len;
    ensures \result == FC_OK || \result == FC_ERR_IMG_LINES;
    ensures \result == FC_OK ==> \valid_read(img->lines + (0 .. img->lines_len - 1));
*/
static int check_lines(fc_image_t *img, const uint8_t *buf, uint32_t cursor)
{
    uint32_t off = (cursor + FC_IMAGE_ALIGN - 1) / FC_IMAGE_ALIGN * FC_IMAGE_ALIGN;
    if ((uint64_t)off + FC_IMAGE_LINES_HDR_LEN > img->image_len)
        return FC_ERR_IMG_LINES;
    const uint8_t *t = buf + off;
    uint32_t len = img->image_len - off;
    uint32_t nrows = rd32(t), nfiles = rd16(t + 4);
    uint64_t names = FC_IMAGE_LINES_HDR_LEN + (uint64_t)nrows * FC_IMAGE_LINE_ROW_LEN +
                     (uint64_t)nfiles * 4u;
    if (rd16(t + 6) != 0 || names > len || (nfiles == 0) != (nrows == 0))
        return FC_ERR_IMG_LINES;
    uint32_t pool_len = len - (uint32_t)names;
    const uint8_t *pool = t + names;
    /* every name ends inside the pool: its last byte is a NUL */
    if (nfiles != 0 && (pool_len == 0 || pool[pool_len - 1] != 0))
        return FC_ERR_IMG_LINES;
    const uint8_t *fo = t + FC_IMAGE_LINES_HDR_LEN + (size_t)nrows * FC_IMAGE_LINE_ROW_LEN;
    /*@ loop invariant 0 <= i <= nfiles;
        loop assigns i;
        loop variant nfiles - i;
    */
    for (uint32_t i = 0; i < nfiles; i++) {
        uint32_t at = rd32(fo + 4 * (size_t)i);
        if (at >= pool_len || pool[at] == 0)
            return FC_ERR_IMG_LINES;
    }
    /*@ loop invariant 0 <= i <= nrows;
        loop assigns i;
        loop variant nrows - i;
    */
    for (uint32_t i = 0; i < nrows; i++) {
        const uint8_t *r = t + FC_IMAGE_LINES_HDR_LEN + (size_t)i * FC_IMAGE_LINE_ROW_LEN;
        uint32_t slot = rd32(r);
        if (slot >= img->nslots || rd32(r + 8) >= nfiles ||
            (i > 0 && slot <= rd32(r - FC_IMAGE_LINE_ROW_LEN)))
            return FC_ERR_IMG_LINES;
    }
    img->lines = t;
    img->lines_len = len;
    return FC_OK;
}

/*@ requires \valid(img) && \valid_read(buf + (0 .. len - 1));
    requires \separated(img, buf + (0 .. len - 1));
    assigns *img;
    ensures \result == FC_OK ==> fc_image_ok(img) && img->image_len <= len;
*/
static int parse(fc_image_t *img, const uint8_t *buf, size_t len)
{
    if (len < 8)
        return len >= 4 && word(buf) != MAGIC_WORD ? FC_ERR_IMG_MAGIC
                                                                : FC_ERR_IMG_TRUNC;
    if (word(buf) != MAGIC_WORD)
        return FC_ERR_IMG_MAGIC;
    if (rd16(buf + FC_IMAGE_OFF_VERSION) != FC_IMAGE_VERSION ||
        rd16(buf + FC_IMAGE_OFF_HDR_LEN) != FC_IMAGE_HDR_LEN)
        return FC_ERR_IMG_VERSION;
    if (len < FC_IMAGE_HDR_LEN)
        return FC_ERR_IMG_TRUNC;
    uint32_t image_len = rd32(buf + FC_IMAGE_OFF_IMAGE_LEN);
    if (image_len < FC_IMAGE_HDR_LEN || image_len % FC_IMAGE_ALIGN != 0)
        return FC_ERR_IMG_LAYOUT;
    if (image_len > len)
        return FC_ERR_IMG_TRUNC;
    uint32_t flags = rd32(buf + FC_IMAGE_OFF_FLAGS);
    if ((flags & ~FC_IMAGE_FLAG_LINES) != 0)
        return FC_ERR_IMG_VERSION;

    img->image_len = image_len;
    img->stack_size = rd32(buf + FC_IMAGE_OFF_STACK);
    img->nentries = (uint16_t)rd16(buf + FC_IMAGE_OFF_NENTRIES);
    img->nhelpers = (uint16_t)rd16(buf + FC_IMAGE_OFF_NHELPERS);
    img->text_len = rd32(buf + FC_IMAGE_OFF_TEXT_LEN);
    img->rodata_len = rd32(buf + FC_IMAGE_OFF_RODATA_LEN);
    img->data_len = rd32(buf + FC_IMAGE_OFF_DATA_LEN);
    img->bss_len = rd32(buf + FC_IMAGE_OFF_BSS_LEN);
    img->nslots = img->text_len / FC_INSN_SIZE;

    uint32_t cursor = FC_IMAGE_HDR_LEN;
    int err;
    if ((err = place(buf, &cursor, image_len, rd32(buf + FC_IMAGE_OFF_ENTRIES),
                     (uint32_t)img->nentries * FC_IMAGE_ENTRY_LEN, &img->entries)) != FC_OK ||
        (err = place(buf, &cursor, image_len, rd32(buf + FC_IMAGE_OFF_HELPERS),
                     (uint32_t)img->nhelpers * 4u, &img->helpers)) != FC_OK ||
        (err = place(buf, &cursor, image_len, rd32(buf + FC_IMAGE_OFF_TEXT), img->text_len,
                     &img->text)) != FC_OK ||
        (err = place(buf, &cursor, image_len, rd32(buf + FC_IMAGE_OFF_RODATA), img->rodata_len,
                     &img->rodata)) != FC_OK ||
        (err = place(buf, &cursor, image_len, rd32(buf + FC_IMAGE_OFF_DATA), img->data_len,
                     &img->data)) != FC_OK)
        return err;
    if (img->text_len == 0 || img->text_len % FC_INSN_SIZE != 0 ||
        (uint64_t)img->data_len + img->bss_len > UINT32_MAX)
        return FC_ERR_IMG_LAYOUT;
    if (fc_image_checksum(buf + FC_IMAGE_OFF_FLAGS, image_len - FC_IMAGE_OFF_FLAGS) !=
        rd32(buf + FC_IMAGE_OFF_CHECKSUM))
        return FC_ERR_IMG_CHECKSUM;
    if (img->nentries == 0)
        return FC_ERR_IMG_ENTRY;
    if ((err = check_tables(img)) != FC_OK)
        return err;
    return (flags & FC_IMAGE_FLAG_LINES) ? check_lines(img, buf, cursor) : FC_OK;
}

int fc_image_parse(fc_image_t *img, const uint8_t *buf, size_t len)
{
    if (img == NULL || buf == NULL)
        return FC_ERR_INVAL;
    *img = (fc_image_t){ 0 };
    int err = parse(img, buf, len);
    if (err != FC_OK)
        *img = (fc_image_t){ 0 };
    return err;
}

int fc_image_entry_at(const fc_image_t *img, uint32_t i, const char **name, uint32_t *pc)
{
    if (img == NULL)
        return FC_ERR_INVAL;
    if (i >= img->nentries)
        return FC_ERR_NOENT;
    const uint8_t *e = img->entries + (size_t)i * FC_IMAGE_ENTRY_LEN;
    if (name != NULL)
        *name = (const char *)(e + 4);
    if (pc != NULL)
        *pc = rd32(e);
    return FC_OK;
}

int fc_image_entry(const fc_image_t *img, const char *name, uint32_t *pc)
{
    if (img == NULL)
        return FC_ERR_INVAL;
    if (name == NULL)
        return fc_image_entry_at(img, 0, NULL, pc);
    uint32_t lo = 0, hi = img->nentries;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const uint8_t *e = img->entries + (size_t)mid * FC_IMAGE_ENTRY_LEN + 4;
        /*
         * Compare as memcmp() of the name NUL-padded to the field width
         * would: a field holds at most 27 characters and then zeros (checked
         * by the parser), so this stops within the field, and a longer name
         * compares greater, as its padded key would.
         */
        size_t i = 0;
        while (name[i] != 0 && (uint8_t)name[i] == e[i])
            i++;
        int c = (int)(uint8_t)name[i] - (int)e[i];
        if (c == 0)
            return fc_image_entry_at(img, mid, NULL, pc);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return FC_ERR_NOENT;
}

int fc_image_helper_at(const fc_image_t *img, uint32_t i, uint32_t *id)
{
    if (img == NULL || id == NULL)
        return FC_ERR_INVAL;
    if (i >= img->nhelpers)
        return FC_ERR_NOENT;
    *id = rd32(img->helpers + 4 * (size_t)i);
    return FC_OK;
}

int fc_image_line(const fc_image_t *img, uint32_t pc, const char **file, uint32_t *line)
{
    if (img == NULL)
        return FC_ERR_INVAL;
    if (img->lines == NULL)
        return FC_ERR_NOENT;
    const uint8_t *rows = img->lines + FC_IMAGE_LINES_HDR_LEN;
    uint32_t nrows = rd32(img->lines), lo = 0, hi = nrows;
    /* the last row whose slot is at or below pc */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (rd32(rows + (size_t)mid * FC_IMAGE_LINE_ROW_LEN) <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || pc >= img->nslots)
        return FC_ERR_NOENT;
    const uint8_t *r = rows + (size_t)(lo - 1) * FC_IMAGE_LINE_ROW_LEN;
    if (rd32(r + 4) == 0)
        return FC_ERR_NOENT;
    const uint8_t *fo = rows + (size_t)nrows * FC_IMAGE_LINE_ROW_LEN;
    uint32_t nfiles = rd16(img->lines + 4);
    const uint8_t *pool = fo + (size_t)nfiles * 4u;
    if (file != NULL)
        *file = (const char *)(pool + rd32(fo + 4 * (size_t)rd32(r + 8)));
    if (line != NULL)
        *line = rd32(r + 4);
    return FC_OK;
}

uint32_t fc_image_ram_size(const fc_image_t *img)
{
    return img ? img->data_len + img->bss_len : 0;
}

int fc_image_map(const fc_image_t *img, fc_region_t *regions, uint8_t *ram, size_t ram_len,
                 uint8_t *stack, size_t stack_len)
{
    if (img == NULL || regions == NULL || (ram == NULL && ram_len) ||
        (stack == NULL && stack_len))
        return FC_ERR_INVAL;
    uint32_t need = fc_image_ram_size(img);
    if (ram_len < need)
        return FC_ERR_NOMEM;
    if (stack_len < img->stack_size || stack_len > UINT32_MAX)
        return FC_ERR_STACK;
    if (img->data_len)
        memcpy(ram, img->data, img->data_len);
    if (img->bss_len)
        memset(ram + img->data_len, 0, img->bss_len);
    /* The VM only reads rodata through FC_MEM_READ-checked translation. */
    regions[FC_REGION_RODATA - 1] =
        (fc_region_t){ (uint8_t *)(uintptr_t)img->rodata, img->rodata_len, FC_MEM_READ };
    regions[FC_REGION_DATA - 1] = (fc_region_t){ need ? ram : NULL, need,
                                                 FC_MEM_READ | FC_MEM_WRITE };
    regions[FC_REGION_STACK - 1] = (fc_region_t){ stack, (uint32_t)stack_len,
                                                  FC_MEM_READ | FC_MEM_WRITE };
    return FC_OK;
}
