/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_store Key-value store
 * @brief Fixed-capacity key-value tables in caller memory: u32 keys, u64 values.
 *
 * Keys are 32-bit and values 64-bit, fixed width, so an entry is 16 bytes
 * and nothing is ever allocated: a fetch of a missing key only reads, a put
 * into a full table returns @ref FC_ERR_FULL and changes nothing.
 *
 * Each entry carries a namespace (@p ns) beside its key, so one table can
 * hold the values of several owners that never see each other: the
 * runtime keeps every tenant's values in one pool with ns = tenant id.
 * Namespace 0 marks a free slot and is refused.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones): lookups touch a few neighbouring entries, at worst the
 * whole table when it is full. Iteration order is the table's, not the
 * insertion order.
 *
 * These calls do not lock: the runtime calls them under its lock (see
 * fc_rt_global_foreach(), fc_tenant_foreach() and fc_container_foreach()
 * in fc/runtime.h for host access while hooks fire).
 *
 * @par Threads and interrupts
 * The fc_store_* functions take no lock, allocate nothing and never block:
 * ISR-safe, but one store must not be written concurrently with any other
 * call on it (the runtime calls them under its lock).
 * @{
 */
#ifndef FC_STORE_H
#define FC_STORE_H

#include <stdint.h>

#include "fc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Namespace of the global store's entries. */
#define FC_STORE_NS_GLOBAL 0xffffffffu
/** @brief Namespace of a container-local store's entries. */
#define FC_STORE_NS_LOCAL  0xfffffffeu

/** @brief One entry: 16 bytes. */
typedef struct {
    uint64_t value; /**< the value */
    uint32_t key;   /**< the key */
    uint32_t ns;    /**< owner namespace; 0 = free slot */
} fc_store_entry_t;

/**
 * @brief A store over a caller array. Static initialiser: FC_STORE_INIT(array).
 *
 * The array is the whole state (an entry is in use when its ns is nonzero),
 * so a store can be rebuilt from its array and capacity at any time: the
 * runtime keeps a container's local store as just those two.
 */
typedef struct {
    fc_store_entry_t *entries; /**< caller array, zeroed by fc_store_init() */
    uint32_t cap;              /**< entries in the array */
} fc_store_t;

/** @brief Static initialiser over a zero-initialised (static) array. */
#define FC_STORE_INIT(array) { (array), (uint32_t)(sizeof(array) / sizeof((array)[0])) }

/**
 * @brief Visitor for fc_store_foreach().
 * @return 0 to continue, nonzero to stop (fc_store_foreach() returns it)
 */
typedef int (*fc_store_visit_fn)(uint32_t ns, uint32_t key, uint64_t value, void *arg);

/**
 * @brief Make an empty store over @p entries.
 * @param[out] s        the store
 * @param[out] entries  caller array (zeroed here), may be NULL when @p cap is 0
 * @param[in]  cap      entries in the array
 * @return FC_OK or FC_ERR_INVAL
 */
int fc_store_init(fc_store_t *s, fc_store_entry_t *entries, uint32_t cap);

/**
 * @brief Fetch a value. Never writes the store.
 * @param[in]  s      store
 * @param[in]  ns     namespace (nonzero)
 * @param[in]  key    key
 * @param[out] value  the value (may be NULL to test presence)
 * @return FC_OK, FC_ERR_NOENT when absent, FC_ERR_INVAL for NULL @p s or ns 0
 */
int fc_store_get(const fc_store_t *s, uint32_t ns, uint32_t key, uint64_t *value);

/**
 * @brief Insert or overwrite a value.
 * @return FC_OK, FC_ERR_FULL when the key is new and the table is full
 *         (nothing changed), FC_ERR_INVAL for NULL @p s or ns 0
 */
int fc_store_put(fc_store_t *s, uint32_t ns, uint32_t key, uint64_t value);

/**
 * @brief Remove a value.
 * @return FC_OK, FC_ERR_NOENT when absent, FC_ERR_INVAL
 */
int fc_store_del(fc_store_t *s, uint32_t ns, uint32_t key);

/**
 * @brief Remove every value of namespace @p ns.
 * @return the number removed (>= 0) or FC_ERR_INVAL
 */
int fc_store_purge(fc_store_t *s, uint32_t ns);

/**
 * @brief Count the values of namespace @p ns (0: of every namespace): a scan of the table.
 * @return the count, or FC_ERR_INVAL for NULL @p s
 */
int fc_store_count(const fc_store_t *s, uint32_t ns);

/**
 * @brief Call @p fn for each value of namespace @p ns (0: every namespace),
 *        in table order. @p fn must not modify the store.
 * @return 0 after visiting all, the visitor's nonzero return when it stopped,
 *         FC_ERR_INVAL for NULL @p s or @p fn
 */
int fc_store_foreach(const fc_store_t *s, uint32_t ns, fc_store_visit_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* FC_STORE_H */
/** @} */
