/* SPDX-License-Identifier: Apache-2.0 */
/* Fixed-capacity key-value table: linear probing, backward-shift deletion. */
#include <string.h>

#include "fc/store.h"

static uint32_t home(const fc_store_t *s, uint32_t ns, uint32_t key)
{
    /* mix both words so that consecutive keys of one namespace spread out */
    uint32_t h = (key ^ (ns * 0x9e3779b9u)) * 0x85ebca6bu;
    h ^= h >> 15;
    return h % s->cap;
}

/* Index of (ns, key), or -1 - (first free slot on its probe path), or INT32_MIN when full. */
static int64_t find(const fc_store_t *s, uint32_t ns, uint32_t key)
{
    if (s->cap == 0)
        return INT32_MIN;
    uint32_t i = home(s, ns, key);
    for (uint32_t n = 0; n < s->cap; n++) {
        const fc_store_entry_t *e = &s->entries[i];
        if (e->ns == 0)
            return -1 - (int64_t)i;
        if (e->ns == ns && e->key == key)
            return i;
        i = i + 1 == s->cap ? 0 : i + 1;
    }
    return INT32_MIN;
}

int fc_store_init(fc_store_t *s, fc_store_entry_t *entries, uint32_t cap)
{
    if (s == NULL || (entries == NULL && cap != 0))
        return FC_ERR_INVAL;
    s->entries = entries;
    s->cap = cap;
    if (cap != 0)
        memset(entries, 0, (size_t)cap * sizeof *entries);
    return FC_OK;
}

int fc_store_get(const fc_store_t *s, uint32_t ns, uint32_t key, uint64_t *value)
{
    if (s == NULL || ns == 0)
        return FC_ERR_INVAL;
    int64_t i = find(s, ns, key);
    if (i < 0)
        return FC_ERR_NOENT;
    if (value != NULL)
        *value = s->entries[i].value;
    return FC_OK;
}

int fc_store_put(fc_store_t *s, uint32_t ns, uint32_t key, uint64_t value)
{
    if (s == NULL || ns == 0)
        return FC_ERR_INVAL;
    int64_t i = find(s, ns, key);
    if (i >= 0) {
        s->entries[i].value = value;
        return FC_OK;
    }
    /* find() walks the whole table before it says full, so no count is needed */
    if (i == INT32_MIN)
        return FC_ERR_FULL;
    fc_store_entry_t *e = &s->entries[-1 - i];
    e->value = value;
    e->key = key;
    e->ns = ns;
    return FC_OK;
}

/* Empty slot i, then pull back later entries of the cluster whose home allows it. */
static void remove_at(fc_store_t *s, uint32_t i)
{
    uint32_t j = i;
    for (uint32_t n = 0; n < s->cap; n++) {
        j = j + 1 == s->cap ? 0 : j + 1;
        if (s->entries[j].ns == 0)
            break;
        uint32_t k = home(s, s->entries[j].ns, s->entries[j].key);
        /* entry j may move to i when its home is not cyclically within (i, j] */
        int stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
            s->entries[i] = s->entries[j];
            i = j;
        }
    }
    memset(&s->entries[i], 0, sizeof s->entries[i]);
}

int fc_store_del(fc_store_t *s, uint32_t ns, uint32_t key)
{
    if (s == NULL || ns == 0)
        return FC_ERR_INVAL;
    int64_t i = find(s, ns, key);
    if (i < 0)
        return FC_ERR_NOENT;
    remove_at(s, (uint32_t)i);
    return FC_OK;
}

int fc_store_purge(fc_store_t *s, uint32_t ns)
{
    if (s == NULL || ns == 0)
        return FC_ERR_INVAL;
    int removed = 0;
    /*
     * A removal may shift a later entry into slot i, so slot i is looked at
     * again; entries shifted across the wrap land in slots already cleared
     * of ns, and every removal empties one slot of the table, so this ends.
     */
    for (uint32_t i = 0; i < s->cap; i++) {
        while (s->entries[i].ns == ns) {
            remove_at(s, i);
            removed++;
        }
    }
    return removed;
}

int fc_store_count(const fc_store_t *s, uint32_t ns)
{
    if (s == NULL)
        return FC_ERR_INVAL;
    int n = 0;
    for (uint32_t i = 0; i < s->cap; i++)
        n += ns == 0 ? s->entries[i].ns != 0 : s->entries[i].ns == ns;
    return n;
}

int fc_store_foreach(const fc_store_t *s, uint32_t ns, fc_store_visit_fn fn, void *arg)
{
    if (s == NULL || fn == NULL)
        return FC_ERR_INVAL;
    for (uint32_t i = 0; i < s->cap; i++) {
        const fc_store_entry_t *e = &s->entries[i];
        if (e->ns == 0 || (ns != 0 && e->ns != ns))
            continue;
        int r = fn(e->ns, e->key, e->value, arg);
        if (r != 0)
            return r;
    }
    return 0;
}
