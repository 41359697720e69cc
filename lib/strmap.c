/* SPDX-License-Identifier: MIT
 * strmap.c - a small string -> int map (open addressing, keys copied):
 * ids to rows in an assessment, act kinds to their bits.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* FNV-1a, then a full avalanche (murmur3's finaliser): FNV alone leaves
 * the low bits - the ones a power-of-2 table uses - weak for ids that
 * differ only in their last characters ("O01234-05", "O01234-06"). */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Is the key of slot s key?  A key shorter than the slot's head is all
 * there, so the lookup reads the slot alone; a longer one is compared in
 * the block of keys. */
static bool same_key(const qc__strmap *m, const struct qc__strmap_slot *s, const char *key)
{
    return memchr(s->head, '\0', sizeof s->head) ? !strncmp(s->head, key, sizeof s->head)
                                                 : !strcmp(m->text + s->key - 1, key);
}

/* Where key is, or the empty slot where it would go (the stored hash is
 * compared first). */
static size_t slot_of(const qc__strmap *m, const char *key, uint64_t h)
{
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key && (m->slots[i].hash != h || !same_key(m, &m->slots[i], key))) i = (i + 1) & (m->cap - 1);
    return i;
}

int qc__map_find(const qc__strmap *m, const char *key)
{
    if (!m->cap) return -1;
    const struct qc__strmap_slot *slot = &m->slots[slot_of(m, key, hash_str(key))];
    return slot->key ? slot->val : -1;
}

int qc__map_put(qc__strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 4 > m->cap * 3) { /* at most three quarters full: a smaller table, fewer cache misses */
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct qc__strmap_slot *slots = calloc(cap, sizeof *slots);
        if (!slots) return qc__error(QC_ENOMEM, "out of memory");
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t j = m->slots[i].hash & (cap - 1);
            while (slots[j].key) j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    uint64_t h = hash_str(key);
    struct qc__strmap_slot *slot = &m->slots[slot_of(m, key, h)];
    if (!slot->key) {
        size_t len = strlen(key) + 1;
        if (m->text_len + len >= UINT32_MAX) return qc__error(QC_ENOMEM, "string map: more than 4 GiB of keys");
        if (m->text_len + len > m->text_cap) {
            size_t cap = m->text_cap ? m->text_cap * 2 : 1024;
            while (cap < m->text_len + len) cap *= 2;
            char *text = realloc(m->text, cap);
            if (!text) return qc__error(QC_ENOMEM, "out of memory");
            m->text = text;
            m->text_cap = cap;
        }
        memcpy(m->text + m->text_len, key, len);
        *slot = (struct qc__strmap_slot){.hash = h, .key = (uint32_t)m->text_len + 1};
        /* whole with its NUL if it fits, else its first bytes without one */
        memcpy(slot->head, key, len < sizeof slot->head ? len : sizeof slot->head);
        m->text_len += len;
        m->n++;
    }
    slot->val = val;
    return QC_OK;
}

void qc__map_free(qc__strmap *m)
{
    free(m->slots);
    free(m->text);
    *m = (qc__strmap){0}; /* empty, and usable again */
}
