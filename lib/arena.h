/* SPDX-License-Identifier: MIT
 * arena.h - memory that is only ever added to and freed together (arena.c).
 */
#ifndef QC_ARENA_H
#define QC_ARENA_H

#include <stddef.h>

/* An arena for everything a rule set owns. */
typedef struct qc__arena {
    struct qc__arena_block *blocks;
} qc__arena;
void *qc__arena_alloc(qc__arena *a, size_t size);
char *qc__arena_strdup(qc__arena *a, const char *s);
void qc__arena_free(qc__arena *a);
/* Move every block of from into into; from is left empty. */
void qc__arena_adopt(qc__arena *into, qc__arena *from);

#endif /* QC_ARENA_H */
