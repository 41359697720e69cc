/* SPDX-License-Identifier: MIT
 * arena.c - the memory of a rule set: blocks that are only ever added to
 * and freed together.  Everything a loaded rule set owns (names, compiled
 * conditions, lists) lives in its arena, so freeing a rule set is freeing
 * a handful of blocks, and a failed load frees what it had built at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct qc__arena_block {
    struct qc__arena_block *prev;
    size_t used, size;
    _Alignas(max_align_t) char data[];
};

void *qc__arena_alloc(qc__arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    struct qc__arena_block *b = a->blocks;
    if (!b || b->size - b->used < size) {
        size_t bytes = size > 16384 ? size : 16384;
        if (!(b = malloc(sizeof *b + bytes))) return NULL;
        b->prev = a->blocks;
        b->used = 0;
        b->size = bytes;
        a->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *qc__arena_strdup(qc__arena *a, const char *s)
{
    size_t n = strlen(s);
    char *d = qc__arena_alloc(a, n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

void qc__arena_free(qc__arena *a)
{
    while (a->blocks) {
        struct qc__arena_block *prev = a->blocks->prev;
        free(a->blocks);
        a->blocks = prev;
    }
}

/* Move every block of from into into (from is left empty): what a load
 * built becomes the rule collection's in one step. */
void qc__arena_adopt(qc__arena *into, qc__arena *from)
{
    struct qc__arena_block **tail = &from->blocks;
    while (*tail) tail = &(*tail)->prev;
    *tail = into->blocks;
    into->blocks = from->blocks;
    from->blocks = NULL;
}
