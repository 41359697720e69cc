/* SPDX-License-Identifier: MIT
 * offices.c - the office table a classifier reads: each office's kind,
 * level and parent, by id.
 *
 * Classifying a case needs its office's level (rules are scoped by level,
 * `case.office_level` reads it) and kind (a rule set may be for courts or
 * procuratorates).  A table is what the classifier takes instead of a
 * store, so that classifying is a pure function of rules, case and table:
 * an assessment builds one from the offices it has read anyway, a program
 * fills one by hand or from a store.  Once built, a table is read-only and
 * may be shared by threads.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

struct qc_offices {
    qc__strmap ids;  /* id -> row */
    struct office_entry {
        qc_office_kind kind;
        int level;
        char *parent_id; /* NULL: none */
    } *rows;
    int n, cap;
};

QC_EXTERN int qc_offices_new(qc_offices **out)
{
    if (!out) return qc__error(QC_EINVAL, "qc_offices_new: out is NULL");
    if (!(*out = calloc(1, sizeof **out))) return qc__error(QC_ENOMEM, "out of memory");
    return QC_OK;
}

QC_EXTERN void qc_offices_free(qc_offices *o)
{
    if (!o) return;
    for (int i = 0; i < o->n; i++) free(o->rows[i].parent_id);
    free(o->rows);
    qc__map_free(&o->ids);
    free(o);
}

/* A parent is kept by id: it may be added after its children. */
QC_EXTERN int qc_offices_add(qc_offices *o, const char *id, int kind, int level, const char *parent)
{
    if (!o || !id) return qc__error(QC_EINVAL, "qc_offices_add: NULL argument");
    if (kind && !qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_KIND, kind))
        return qc__error(QC_EVALUE, "qc_offices_add: %d is not an office kind", kind);
    if (level && !qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_LEVEL, level))
        return qc__error(QC_EVALUE, "qc_offices_add: %d is not an office level", level);
    char *parent_id = parent && *parent ? strdup(parent) : NULL;
    if (parent && *parent && !parent_id) return qc__error(QC_ENOMEM, "out of memory");
    int row = qc__map_find(&o->ids, id);
    if (row < 0) {
        if (o->n == o->cap) {
            int cap = o->cap ? o->cap * 2 : 64;
            void *rows = realloc(o->rows, sizeof *o->rows * (size_t)cap);
            if (!rows) {
                free(parent_id);
                return qc__error(QC_ENOMEM, "out of memory");
            }
            o->rows = rows;
            o->cap = cap;
        }
        int rc = qc__map_put(&o->ids, id, o->n);
        if (rc < 0) {
            free(parent_id);
            return rc;
        }
        row = o->n++;
        o->rows[row].parent_id = NULL;
    }
    free(o->rows[row].parent_id);
    o->rows[row] = (struct office_entry){.kind = (qc_office_kind)kind, .level = level, .parent_id = parent_id};
    return QC_OK;
}

QC_EXTERN int qc_offices_load(qc_offices **out, qc_store *store)
{
    if (out) *out = NULL;
    if (!out || !store) return qc__error(QC_EINVAL, "qc_offices_load: NULL argument");
    qc_offices *o;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *r;
    int rc = qc_offices_new(&o);
    if (rc == QC_OK && (rc = qc_filter_new(&f)) == QC_OK && (rc = qc_filter_set_unordered(f, 1)) == QC_OK)
        rc = qc_iter_new(&it, store, QC_KIND_OFFICE, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK)
        rc = qc_offices_add(o, qc_record_text(r, QC_OFFICE_ID), (int)qc_record_int(r, QC_OFFICE_KIND),
                            (int)qc_record_int(r, QC_OFFICE_LEVEL), qc_record_text(r, QC_OFFICE_PARENT));
    qc_iter_free(it);
    qc_filter_free(f);
    if (rc != QC_ITEROVER) {
        qc_offices_free(o);
        return rc;
    }
    *out = o;
    return QC_OK;
}

QC_EXTERN int qc_offices_count(const qc_offices *o) { return o ? o->n : 0; }

int qc__offices_find(const qc_offices *o, const char *id, int *level, qc_office_kind *kind)
{
    int row = o && id ? qc__map_find(&o->ids, id) : -1;
    if (row < 0) return QC_ENOTFOUND;
    *level = o->rows[row].level;
    *kind = o->rows[row].kind;
    return QC_OK;
}

QC_EXTERN int qc_offices_level(const qc_offices *o, const char *id)
{
    int level = 0;
    qc_office_kind kind;
    if (!o || !id) return qc__error(QC_EINVAL, "qc_offices_level: NULL argument");
    if (qc__offices_find(o, id, &level, &kind) < 0) return qc__error(QC_ENOTFOUND, "no office with id '%s'", id);
    return level;
}

const char *qc__offices_parent(const qc_offices *o, const char *id)
{
    int row = o && id ? qc__map_find(&o->ids, id) : -1;
    return row < 0 ? NULL : o->rows[row].parent_id;
}

QC_EXTERN const char *qc_offices_parent(const qc_offices *o, const char *id)
{
    int row = o && id ? qc__map_find(&o->ids, id) : -1;
    if (row < 0) {
        qc__error(o && id ? QC_ENOTFOUND : QC_EINVAL, "qc_offices_parent: no office with id '%s'", id ? id : "(null)");
        return NULL;
    }
    return o->rows[row].parent_id;
}
