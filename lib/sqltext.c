/* SPDX-License-Identifier: MIT
 * sqltext.c - SQL text built piece by piece, shared by the SQL backends
 * (backend_sqlite.c, backend_postgresql.c).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* SQL text built piece by piece, growing as it needs: a statement is
 * never cut short.  After a failed append (out of memory) every append
 * does nothing and qc__sql_done() reports it. */
void qc__sql_append(qc__sqlbuf *b, const char *fmt, ...)
{
    for (int tries = 0; !b->failed && tries < 2; tries++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) break;
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 256;
        while (cap <= b->len + (size_t)n) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) break;
        if (!b->s) s[0] = '\0';
        b->s = s;
        b->cap = cap;
    }
    b->failed = true;
}

/* The text, or NULL (and the error set) if building it failed. */
const char *qc__sql_done(qc__sqlbuf *b)
{
    if (b->failed || !b->s) {
        qc__error(QC_ENOMEM, "out of memory");
        return NULL;
    }
    return b->s;
}

void qc__sql_free(qc__sqlbuf *b)
{
    free(b->s);
    *b = (qc__sqlbuf){0};
}

/* "t.\"id\", t.\"name\", ..." for a kind's fields in order; a field not
 * in mask (0: all) reads as NULL, so column numbers stay field numbers. */
void qc__sql_columns(qc__sqlbuf *b, qc_kind kind, const char *prefix, uint32_t mask)
{
    const qc__kind_def *k = qc__kind_get(kind);
    for (int i = 0; i < k->nfields; i++) {
        if ((mask & ~(uint32_t)QC_FIELDS_NO_FACTS) && !(mask & (1u << i))) qc__sql_append(b, "%sNULL", i ? ", " : "");
        else qc__sql_append(b, "%s%s\"%s\"", i ? ", " : "", prefix, k->fields[i].name);
    }
}

