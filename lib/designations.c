/* SPDX-License-Identifier: MIT
 * designations.c - labels given to cases by hand (人工认定), read once for
 * a classifier or an assessment.
 *
 * A designation (QC_KIND_DESIGNATION) says that someone with authority -
 * a chief procurator, a procuratorial committee - labelled a case, when,
 * why and on what decision.  The classifier (qc__judge) adds those labels
 * to the ones its rules give, or puts them in their place, as the rule
 * set's `manual_labels:` says, and the explanation says who designated
 * what.  The table is read whole once and only read afterwards, so
 * threads share it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "internal.h"
#include "rules_internal.h"

struct qc__designations {
    qc__arena arena;
    qc__designation *rows; /* grouped by case, in the order stored within one */
    size_t n;
    qc__strmap first;      /* case id -> index of its first row */
};

static int by_case(const void *a, const void *b)
{
    const qc__designation *x = a, *y = b;
    int c = strcmp(x->case_id, y->case_id);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static const char *dup_or_null(qc__arena *a, const char *s) { return s ? qc__arena_strdup(a, s) : NULL; }

int qc__designations_load(qc__designations **out, qc_store *store)
{
    *out = NULL;
    if (!qc__be_knows_kind(store, QC_KIND_DESIGNATION)) return QC_OK; /* an older backend: none */
    qc__designations *d = calloc(1, sizeof *d);
    if (!d) return qc__error(QC_ENOMEM, "out of memory");
    qc_iter *it = NULL;
    const qc_record *r;
    size_t cap = 0;
    int rc = qc_iter_new(&it, store, QC_KIND_DESIGNATION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if (d->n == cap) {
            qc__designation *grown = realloc(d->rows, sizeof *grown * (cap = cap ? cap * 2 : 16));
            if (!grown) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            d->rows = grown;
        }
        qc__designation *row = &d->rows[d->n];
        *row = (qc__designation){
            .case_id = dup_or_null(&d->arena, qc_record_text(r, QC_DESIGNATION_CASE)),
            .label = dup_or_null(&d->arena, qc_record_text(r, QC_DESIGNATION_LABEL)),
            .by = dup_or_null(&d->arena, qc_record_text(r, QC_DESIGNATION_BY)),
            .reason = dup_or_null(&d->arena, qc_record_text(r, QC_DESIGNATION_REASON)),
            .decision = dup_or_null(&d->arena, qc_record_text(r, QC_DESIGNATION_DECISION)),
            .date = qc_record_int(r, QC_DESIGNATION_DATE),
            .order = d->n,
        };
        if (!row->case_id || !row->label || !row->by || !row->reason) rc = qc__error(QC_ENOMEM, "out of memory");
        else d->n++;
    }
    qc_iter_free(it);
    if (rc == QC_ITEROVER) {
        rc = QC_OK;
        if (d->n) qsort(d->rows, d->n, sizeof *d->rows, by_case);
        for (size_t i = 0; rc == QC_OK && i < d->n; i++)
            if (!i || strcmp(d->rows[i - 1].case_id, d->rows[i].case_id))
                rc = qc__map_put(&d->first, d->rows[i].case_id, (int)i);
    }
    if (rc < 0) {
        qc__designations_free(d);
        return rc;
    }
    *out = d;
    return QC_OK;
}

const qc__designation *qc__designations_of(const qc__designations *d, const char *case_id, int *n)
{
    *n = 0;
    int at = d && case_id ? qc__map_find(&d->first, case_id) : -1;
    if (at < 0) return NULL;
    size_t end = (size_t)at;
    while (end < d->n && !strcmp(d->rows[end].case_id, case_id)) end++;
    *n = (int)(end - (size_t)at);
    return &d->rows[at];
}

void qc__designations_free(qc__designations *d)
{
    if (!d) return;
    free(d->rows);
    qc__map_free(&d->first);
    qc__arena_free(&d->arena);
    free(d);
}
