/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_image Container image
 * @brief The container image format, parsed in place (no copy of code).
 *
 * An image is one little-endian byte string (full spec: docs/image-format.md):
 *
 * | part      | content                                                      |
 * |-----------|--------------------------------------------------------------|
 * | header    | 64 bytes: magic "FCIM", version, length, checksum, the table below |
 * | entries   | 32 bytes each: slot (u32) + name (28 bytes, NUL-padded), sorted by name |
 * | helpers   | 4 bytes each: helper ids the code calls, ascending, unique   |
 * | text      | the code, 8 bytes per slot (region-free: executed in place)  |
 * | rodata    | read-only data, mapped as @ref FC_REGION_RODATA              |
 * | data      | initial .data, copied to RAM as the start of @ref FC_REGION_DATA |
 *
 * followed in RAM by .bss (bss_len zero bytes) in the same DATA region.
 * The linker has already turned every address of .rodata, .data and .bss
 * into a virtual address (FC_VADDR(id, offset)), so nothing is patched at
 * load: text and rodata can stay in flash (XIP).
 *
 * fc_image_parse() checks everything that does not need the code itself
 * (magic, version, lengths, bounds, order and alignment of sections, the
 * checksum, the entry and helper tables) in one linear pass; the code is
 * then checked by fc_vm_verify() as usual. Bytes past the image's length
 * are ignored, so a whole flash slot may be passed.
 *
 * Typical loader:
 * @code
 * fc_image_t img;
 * fc_region_t regions[FC_REGION_CTX];
 * if (fc_image_parse(&img, slot, slot_len) == FC_OK &&
 *     fc_image_map(&img, regions, ram, sizeof ram, stack, sizeof stack) == FC_OK &&
 *     fc_vm_init(&vm, img.text, img.text_len, regions, FC_REGION_CTX, helpers) == FC_OK &&
 *     fc_vm_verify(&vm, NULL) == FC_OK &&
 *     fc_image_entry(&img, "main", &pc) == FC_OK)
 *     fc_vm_run(&vm, pc, ctx_vaddr, ctx_len, &r0);
 * @endcode
 *
 * @note About 1,713 B of flash on Cortex-M4 (-Os); no RAM beyond the caller's
 *       fc_image_t (60 B on 32-bit targets).
 *
 * @par Threads and interrupts
 * Every fc_image_* function takes no lock, allocates nothing and never
 * blocks: ISR-safe. fc_image_parse() writes only its fc_image_t and
 * fc_image_map() only the caller's regions and RAM; the others only read,
 * so any number may run concurrently on one parsed image.
 * @{
 */
#ifndef FC_IMAGE_H
#define FC_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "fc/err.h"
#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Magic bytes at offset 0: "FCIM". */
#define FC_IMAGE_MAGIC "FCIM"
/** @brief The format version this parser reads (header field at offset 4). */
#define FC_IMAGE_VERSION 1u
/** @brief Size of the version-1 header in bytes. */
#define FC_IMAGE_HDR_LEN 64u
/** @brief Size of one entry-table record: u32 slot + name. */
#define FC_IMAGE_ENTRY_LEN 32u
/** @brief Bytes reserved for an entry name, including its terminating NUL (so 27 characters at most). */
#define FC_IMAGE_NAME_LEN 28u
/** @brief Alignment of every section's offset and of the image length. */
#define FC_IMAGE_ALIGN 8u
/**
 * @brief Header flag: a line table (debug info, slot to source file and line)
 *        follows the data section. The only flag defined; others are rejected.
 */
#define FC_IMAGE_FLAG_LINES 1u
/** @brief Size of the line table's own header: u32 rows, u16 files, u16 zero. */
#define FC_IMAGE_LINES_HDR_LEN 8u
/** @brief Size of one line-table row: u32 slot, u32 line, u32 file index. */
#define FC_IMAGE_LINE_ROW_LEN 12u

/**
 * @brief Byte offsets of the version-1 header fields (all little-endian).
 *        For writers (the linker) and tests; loaders use fc_image_parse().
 */
enum fc_image_hdr_off {
    FC_IMAGE_OFF_MAGIC      = 0,  /**< 4 bytes "FCIM" */
    FC_IMAGE_OFF_VERSION    = 4,  /**< u16 format version, 1 */
    FC_IMAGE_OFF_HDR_LEN    = 6,  /**< u16 header length, 64 */
    FC_IMAGE_OFF_IMAGE_LEN  = 8,  /**< u32 bytes from the magic to the end of the last section */
    FC_IMAGE_OFF_CHECKSUM   = 12, /**< u32 fc_image_checksum() of bytes [16, image_len) */
    FC_IMAGE_OFF_FLAGS      = 16, /**< u32 flags: 0 or FC_IMAGE_FLAG_LINES (others rejected) */
    FC_IMAGE_OFF_STACK      = 20, /**< u32 stack bytes the code needs, all call levels */
    FC_IMAGE_OFF_NENTRIES   = 24, /**< u16 entry count (at least 1) */
    FC_IMAGE_OFF_NHELPERS   = 26, /**< u16 helper-id count */
    FC_IMAGE_OFF_ENTRIES    = 28, /**< u32 offset of the entry table */
    FC_IMAGE_OFF_HELPERS    = 32, /**< u32 offset of the helper-id table */
    FC_IMAGE_OFF_TEXT       = 36, /**< u32 offset of the code */
    FC_IMAGE_OFF_TEXT_LEN   = 40, /**< u32 code bytes, a nonzero multiple of 8 */
    FC_IMAGE_OFF_RODATA     = 44, /**< u32 offset of the read-only data */
    FC_IMAGE_OFF_RODATA_LEN = 48, /**< u32 read-only data bytes */
    FC_IMAGE_OFF_DATA       = 52, /**< u32 offset of the initialised data */
    FC_IMAGE_OFF_DATA_LEN   = 56, /**< u32 initialised data bytes */
    FC_IMAGE_OFF_BSS_LEN    = 60, /**< u32 zero-initialised bytes after .data in RAM */
};

/**
 * @brief A parsed image: lengths and pointers into the caller's buffer,
 *        which must stay valid and unchanged while the image is used.
 */
typedef struct {
    const uint8_t *text;    /**< code, 8 bytes per slot, pass to fc_vm_init() */
    const uint8_t *rodata;  /**< read-only data (FC_REGION_RODATA), NULL when empty */
    const uint8_t *data;    /**< initial .data, NULL when empty */
    const uint8_t *entries; /**< entry table (read with fc_image_entry_at()) */
    const uint8_t *helpers; /**< helper ids (read with fc_image_helper_at()), NULL when none */
    uint32_t image_len;     /**< bytes of the image (the buffer may be longer) */
    uint32_t text_len;      /**< code bytes */
    uint32_t nslots;        /**< code slots: text_len / 8 */
    uint32_t rodata_len;    /**< read-only data bytes */
    uint32_t data_len;      /**< initialised data bytes */
    uint32_t bss_len;       /**< zeroed bytes following .data in the DATA region */
    uint32_t stack_size;    /**< stack bytes the code needs (0: it uses none) */
    uint16_t nentries;      /**< entries in the entry table, at least 1 */
    uint16_t nhelpers;      /**< helper ids in the helper table */
    const uint8_t *lines;   /**< line table (FC_IMAGE_FLAG_LINES), NULL when absent */
    uint32_t lines_len;     /**< its bytes, up to the image's end */
} fc_image_t;

/*@ // ACSL (docs/proofs.md): what an accepted image promises its readers.
  predicate fc_image_ok(fc_image_t *img) =
      img->nentries >= 1 && img->nslots >= 1 && img->text_len == 8 * img->nslots &&
      \valid_read(img->entries + (0 .. 32 * img->nentries - 1)) &&
      (img->nhelpers == 0 || \valid_read(img->helpers + (0 .. 4 * img->nhelpers - 1))) &&
      \valid_read(img->text + (0 .. img->text_len - 1)) &&
      (img->rodata_len == 0 || \valid_read(img->rodata + (0 .. img->rodata_len - 1))) &&
      (img->data_len == 0 || \valid_read(img->data + (0 .. img->data_len - 1))) &&
      img->data_len + img->bss_len <= 4294967295;
*/

/**
 * @brief Check an image and describe it, without copying anything.
 *
 * Linear in the image's length (the checksum reads every byte once).
 *
 * @param[out] img  filled on success, zeroed on failure
 * @param[in]  buf  the image (any alignment; in flash or RAM)
 * @param[in]  len  bytes available at @p buf (may exceed the image)
 * @return FC_OK;
 *         FC_ERR_INVAL for NULL pointers;
 *         FC_ERR_IMG_MAGIC when @p buf does not start with "FCIM";
 *         FC_ERR_IMG_VERSION for another version, header length or an unknown flag;
 *         FC_ERR_IMG_TRUNC when @p len is shorter than the header or than its image length;
 *         FC_ERR_IMG_LAYOUT when a section lies outside the image, overlaps another or
 *         the header, is out of order or misaligned, the code is empty or ragged,
 *         the image length is not a multiple of 8, or the data region exceeds 4 GiB;
 *         FC_ERR_IMG_CHECKSUM when the checksum does not match;
 *         FC_ERR_IMG_ENTRY for no entries, an entry slot outside the code or on the
 *         second slot of an LDDW, an empty, unterminated or non-identifier name, names
 *         not strictly ascending, helper ids not strictly ascending;
 *         FC_ERR_IMG_LINES when FC_IMAGE_FLAG_LINES is set and the line table
 *         is short, has a nonzero reserved field, a row outside the code, out of
 *         order or naming no file, or a file name outside its string pool
 */
/*@ requires img == \null || \valid(img);
    requires buf == \null || \valid_read(buf + (0 .. len - 1));
    requires img == \null || buf == \null || \separated(img, buf + (0 .. len - 1));
    assigns *img;
    ensures img == \null || buf == \null ==> \result == FC_ERR_INVAL;
    ensures \result == FC_OK ==> fc_image_ok(img) && img->image_len <= len;
*/
int fc_image_parse(fc_image_t *img, const uint8_t *buf, size_t len);

/**
 * @brief The source file and line of code slot @p pc, from the image's
 *        optional line table (`femto build -g`). Bisection, no copy.
 *
 * A row covers the slots from its own up to the next row's (the last one to
 * the end of the code).
 *
 * @param[in]  img   parsed image
 * @param[in]  pc    code slot (e.g. fc_vm_t::pc after a fault)
 * @param[out] file  NUL-terminated file name inside the image (may be NULL)
 * @param[out] line  its line, from 1 (may be NULL)
 * @return FC_OK, FC_ERR_INVAL for a NULL @p img, FC_ERR_NOENT when the image
 *         has no line table or none of its rows covers @p pc with a line
 */
int fc_image_line(const fc_image_t *img, uint32_t pc, const char **file, uint32_t *line);

/**
 * @brief Find an entry point by name (binary search: names are sorted).
 * @param[in]  img   parsed image
 * @param[in]  name  NUL-terminated name, or NULL for the first entry
 * @param[out] pc    its slot, for fc_vm_run() (may be NULL)
 * @return FC_OK, FC_ERR_INVAL for a NULL @p img, FC_ERR_NOENT when absent
 */
int fc_image_entry(const fc_image_t *img, const char *name, uint32_t *pc);

/**
 * @brief Read entry @p i of the table (for listing them).
 * @param[in]  img   parsed image
 * @param[in]  i     index, below fc_image_t::nentries
 * @param[out] name  NUL-terminated name inside the image (may be NULL)
 * @param[out] pc    its slot (may be NULL)
 * @return FC_OK, FC_ERR_INVAL for NULL @p img, FC_ERR_NOENT when @p i is out of range
 */
/*@ requires img == \null || (\valid_read(img) && fc_image_ok((fc_image_t *)img));
    requires name == \null || \valid(name);
    requires pc == \null || \valid(pc);
    requires \separated(name, pc);
    assigns *name, *pc;
    behavior null:
      assumes img == \null;
      ensures \result == FC_ERR_INVAL;
    behavior absent:
      assumes img != \null && i >= img->nentries;
      ensures \result == FC_ERR_NOENT;
    behavior found:
      assumes img != \null && i < img->nentries;
      ensures \result == FC_OK;
    complete behaviors;
    disjoint behaviors;
*/
int fc_image_entry_at(const fc_image_t *img, uint32_t i, const char **name, uint32_t *pc);

/**
 * @brief Read helper id @p i of the table.
 * @param[in]  img  parsed image
 * @param[in]  i    index, below fc_image_t::nhelpers
 * @param[out] id   the helper id
 * @return FC_OK, FC_ERR_INVAL for NULL pointers, FC_ERR_NOENT when @p i is out of range
 */
/*@ requires img == \null || (\valid_read(img) && fc_image_ok((fc_image_t *)img));
    requires id == \null || \valid(id);
    assigns *id;
    ensures img == \null || id == \null ==> \result == FC_ERR_INVAL;
    ensures img != \null && id != \null && i >= img->nhelpers ==> \result == FC_ERR_NOENT;
    ensures img != \null && id != \null && i < img->nhelpers ==> \result == FC_OK;
*/
int fc_image_helper_at(const fc_image_t *img, uint32_t i, uint32_t *id);

/**
 * @brief RAM the DATA region needs: fc_image_t::data_len + fc_image_t::bss_len.
 * @param[in] img  parsed image
 * @return bytes (0 for a NULL @p img)
 */
/*@ requires img == \null || (\valid_read(img) && fc_image_ok((fc_image_t *)img));
    assigns \nothing;
    ensures img == \null ==> \result == 0;
    ensures img != \null ==> \result == img->data_len + img->bss_len;
*/
uint32_t fc_image_ram_size(const fc_image_t *img);

/**
 * @brief Fill the first three entries of a region table for this image:
 *        RODATA (read-only, in place), DATA (.data copied into @p ram, .bss
 *        zeroed, read-write) and STACK (read-write).
 *
 * Call again to reset a container's globals to their initial values.
 *
 * @param[in]  img        parsed image
 * @param[out] regions    table with at least @ref FC_REGION_STACK entries
 * @param[out] ram        RAM for the DATA region (any alignment; may be NULL if 0 is needed)
 * @param[in]  ram_len    bytes at @p ram; the region gets fc_image_ram_size() of them
 * @param[out] stack      stack memory
 * @param[in]  stack_len  bytes at @p stack, at least fc_image_t::stack_size
 * @return FC_OK, FC_ERR_INVAL for NULL pointers, FC_ERR_NOMEM when @p ram
 *         is smaller than fc_image_ram_size(), FC_ERR_STACK when @p stack_len is below
 *         fc_image_t::stack_size
 */
int fc_image_map(const fc_image_t *img, fc_region_t *regions, uint8_t *ram, size_t ram_len,
                 uint8_t *stack, size_t stack_len);

/**
 * @brief The image checksum: a Fletcher-style pair of 32-bit sums over
 *        little-endian 32-bit words (a += w; b += a; result a ^ rotl(b, 16)).
 *        Detects corruption (truncation, flipped or swapped words), not
 *        tampering: signatures are the envelope's job.
 * @param[in] p    bytes, @p len a multiple of 4 (a ragged tail is ignored)
 * @param[in] len  byte count
 * @return the checksum
 */
/*@ requires \valid_read(p + (0 .. len - 1));
    assigns \nothing;
*/
uint32_t fc_image_checksum(const uint8_t *p, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* FC_IMAGE_H */
/** @} */
