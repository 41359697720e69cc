/* SPDX-License-Identifier: MIT
 * outsider_backend.c - a storage backend written the way a third party
 * writes one: against <quotacase.h> and <quotacase/backend.h> alone (the
 * build compiles this file with no other include path), to prove that the
 * public contract is enough.  The conformance suite runs on it like on
 * the built-in backends.
 *
 * It is deliberately plain: records kept as qc_record copies in one array
 * per kind, linear scans, a sort per iteration, rollback by dropping what
 * was appended since begin (records are never changed in place).  Its
 * per-store state and an open counter live behind app_data, as a backend
 * written from Python or Lua would keep them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <quotacase.h>
#include <quotacase/backend.h>

#include "outsider_backend.h"

typedef struct table {
    qc_record **rows;
    size_t n, cap, mark; /* mark: rows at begin */
} table;

typedef struct outsider_conn {
    qc_backend_conn base;
    table tables[QC_KIND_COUNT];
} outsider_conn;

typedef struct outsider_cursor {
    qc_backend_cursor base;
    qc_record **rows;
    size_t n, next;
} outsider_cursor;

static int out_of_memory(void) { return qc_backend_error(QC_ENOMEM, "outsider: out of memory"); }

static int o_open(qc_backend_conn **out, const qc_backend *b, const char *location)
{
    (void)location; /* every store is new and empty */
    outsider_conn *c = calloc(1, sizeof *c);
    if (!c) return out_of_memory();
    ((qc_test_outsider_stats *)b->app_data)->opens++;
    *out = &c->base;
    return QC_OK;
}

static void drop_from(table *t, size_t keep)
{
    while (t->n > keep) qc_record_free(t->rows[--t->n]);
}

static void o_close(qc_backend_conn *conn)
{
    outsider_conn *c = (outsider_conn *)conn;
    for (int k = 0; k < QC_KIND_COUNT; k++) {
        drop_from(&c->tables[k], 0);
        free(c->tables[k].rows);
    }
    free(c);
}

static int o_begin(qc_backend_conn *conn)
{
    outsider_conn *c = (outsider_conn *)conn;
    for (int k = 0; k < QC_KIND_COUNT; k++) c->tables[k].mark = c->tables[k].n;
    return QC_OK;
}

static int o_commit(qc_backend_conn *conn)
{
    (void)conn;
    return QC_OK;
}

static int o_rollback(qc_backend_conn *conn)
{
    outsider_conn *c = (outsider_conn *)conn;
    for (int k = 0; k < QC_KIND_COUNT; k++) drop_from(&c->tables[k], c->tables[k].mark);
    return QC_OK;
}

static const char *id_of(const qc_record *r)
{
    const char *id = qc_record_text(r, QC_FIELD_ID);
    return id && *id ? id : NULL;
}

static qc_record *find(const table *t, const char *id)
{
    for (size_t i = 0; id && i < t->n; i++) {
        const char *x = id_of(t->rows[i]);
        if (x && !strcmp(x, id)) return t->rows[i];
    }
    return NULL;
}

/* A row without an id is all it says: the same fields (empty text as
 * none) are the same row. */
static int same_fields(const qc_record *a, const qc_record *b)
{
    for (int i = 0; i < qc_field_count(qc_record_kind(a)); i++) {
        const char *x = qc_record_text(a, i), *y = qc_record_text(b, i);
        if (strcmp(x ? x : "", y ? y : "")) return 0;
    }
    return 1;
}

static int o_put(qc_backend_conn *conn, const qc_record *r)
{
    table *t = &((outsider_conn *)conn)->tables[qc_record_kind(r)];
    for (size_t i = 0; !id_of(r) && i < t->n; i++)
        if (!id_of(t->rows[i]) && same_fields(t->rows[i], r)) {
            char message[200];
            snprintf(message, sizeof message, "outsider: the same %s is stored already", qc_kind_name(qc_record_kind(r)));
            return qc_backend_error(QC_EEXIST, message);
        }
    if (find(t, id_of(r))) {
        char message[300];
        snprintf(message, sizeof message, "outsider: %s '%.200s' exists already", qc_kind_name(qc_record_kind(r)), id_of(r));
        return qc_backend_error(QC_EEXIST, message);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        qc_record **rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows) return out_of_memory();
        t->rows = rows;
        t->cap = cap;
    }
    int rc = qc_record_dup(&t->rows[t->n], r);
    if (rc == QC_OK) t->n++;
    return rc;
}

/* Fill out (cleared) with src's fields and facts, through the setters. */
static int copy_record(qc_record *out, const qc_record *src)
{
    qc_kind kind = qc_record_kind(src);
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < qc_field_count(kind); i++) {
        if (!qc_record_has(src, i)) continue;
        switch (qc_field_type(kind, i)) {
        case QC_TYPE_TEXT: rc = qc_record_set_text(out, i, qc_record_text(src, i)); break;
        case QC_TYPE_DECIMAL: rc = qc_record_set_decimal(out, i, qc_record_decimal(src, i)); break;
        default: rc = qc_record_set_int(out, i, qc_record_int(src, i)); break;
        }
    }
    for (int i = 0; rc == QC_OK && i < qc_record_fact_count(src); i++) {
        const char *name = qc_record_fact_name(src, i);
        switch (qc_record_fact_type(src, i)) {
        case QC_TYPE_TEXT: rc = qc_record_set_fact_text(out, name, qc_record_fact_text(src, i)); break;
        case QC_TYPE_INT: rc = qc_record_set_fact_int(out, name, qc_record_fact_int(src, i)); break;
        case QC_TYPE_DECIMAL: rc = qc_record_set_fact_decimal(out, name, qc_record_fact_decimal(src, i)); break;
        case QC_TYPE_BOOL: rc = qc_record_set_fact_bool(out, name, (int)qc_record_fact_int(src, i)); break;
        case QC_TYPE_DATE: rc = qc_record_set_fact_date(out, name, qc_record_fact_int(src, i)); break;
        default: rc = qc_backend_error(QC_EBACKEND, "outsider: a fact of no known type");
        }
    }
    return rc;
}

static int o_get(qc_backend_conn *conn, qc_kind kind, const char *id, qc_record *out)
{
    const qc_record *r = find(&((outsider_conn *)conn)->tables[kind], id);
    return r ? copy_record(out, r) : QC_ENOTFOUND;
}

/* ---- filters, as quotacase.h defines them ---- */

static int text_is(const qc_record *r, int field, const char *want)
{
    const char *v = r ? qc_record_text(r, field) : NULL;
    return v && !strcmp(v, want);
}

static int in_range(int64_t day, const qc_filter *f) { return day >= qc_filter_from(f) && day <= qc_filter_to(f); }

static int overlaps(const qc_record *r, int from, int to, const qc_filter *f)
{
    return (!qc_record_has(r, from) || qc_record_int(r, from) <= qc_filter_to(f)) &&
           (!qc_record_has(r, to) || qc_record_int(r, to) >= qc_filter_from(f));
}

static int by_way_of_case(qc_kind kind)
{
    return kind == QC_KIND_PARTICIPATION || kind == QC_KIND_ACT || kind == QC_KIND_REVIEW || kind == QC_KIND_CLASSIFICATION;
}

static int matches(const outsider_conn *c, qc_kind kind, const qc_record *r, const qc_filter *f)
{
    if (!f) return 1;
    const qc_record *kase = kind == QC_KIND_CASE ? r : NULL;
    if (by_way_of_case(kind)) kase = find(&c->tables[QC_KIND_CASE], qc_record_text(r, 1)); /* field 1: the case */
    const char *office = qc_filter_office(f), *person = qc_filter_person(f), *case_id = qc_filter_case(f),
               *line = qc_filter_line(f);
    if (case_id && !(kind == QC_KIND_CASE ? text_is(r, QC_CASE_ID, case_id) : text_is(r, 1, case_id))) return 0;
    if (office) {
        int field = kind == QC_KIND_OFFICE ? QC_OFFICE_ID : kind == QC_KIND_DEPARTMENT ? QC_DEPARTMENT_OFFICE
                  : kind == QC_KIND_PERSON ? QC_PERSON_OFFICE : kind == QC_KIND_POST ? QC_POST_OFFICE : -1;
        if (!(field >= 0 ? text_is(r, field, office) : text_is(kase, QC_CASE_OFFICE, office))) return 0;
    }
    if (line && !(kind == QC_KIND_DEPARTMENT ? text_is(r, QC_DEPARTMENT_LINE, line) : text_is(kase, QC_CASE_LINE, line)))
        return 0;
    if (person) {
        int field = kind == QC_KIND_PERSON ? QC_PERSON_ID : kind == QC_KIND_POST ? QC_POST_PERSON
                  : kind == QC_KIND_PARTICIPATION ? QC_PARTICIPATION_PERSON : QC_ACT_PERSON;
        if (!text_is(r, field, person)) return 0;
    }
    if (!qc_filter_has_dates(f)) return 1;
    switch (kind) {
    case QC_KIND_CASE: return in_range(qc_record_int(r, QC_CASE_REGISTERED), f);
    case QC_KIND_PARTICIPATION: return kase && in_range(qc_record_int(kase, QC_CASE_REGISTERED), f);
    case QC_KIND_ACT: {
        int64_t t = qc_record_int(r, QC_ACT_TIME);
        return in_range(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), f);
    }
    case QC_KIND_REVIEW: return in_range(qc_record_int(r, QC_REVIEW_DATE), f);
    case QC_KIND_CLASSIFICATION: return in_range(qc_record_int(r, QC_CLASSIFICATION_DATE), f);
    case QC_KIND_PERSON: return overlaps(r, QC_PERSON_VALID_FROM, QC_PERSON_VALID_TO, f);
    case QC_KIND_POST: return overlaps(r, QC_POST_VALID_FROM, QC_POST_VALID_TO, f);
    default: return 0;
    }
}

/* Id order for kinds whose records all have ids; the rest stay in
 * insertion order.  Insertion sort: stable, and plain. */
static void sort_by_id(qc_record **rows, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        qc_record *x = rows[i];
        size_t j = i;
        for (; j > 0 && strcmp(id_of(rows[j - 1]), id_of(x)) > 0; j--) rows[j] = rows[j - 1];
        rows[j] = x;
    }
}

static int o_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *f)
{
    outsider_conn *c = (outsider_conn *)conn;
    const table *t = &c->tables[kind];
    outsider_cursor *cur = calloc(1, sizeof *cur);
    if (!cur || (t->n && !(cur->rows = malloc(t->n * sizeof *cur->rows)))) {
        free(cur);
        return out_of_memory();
    }
    for (size_t i = 0; i < t->n; i++)
        if (matches(c, kind, t->rows[i], f)) cur->rows[cur->n++] = t->rows[i];
    if (qc_field_required(kind, QC_FIELD_ID)) sort_by_id(cur->rows, cur->n);
    *out = &cur->base;
    return QC_OK;
}

static int o_iter_next(qc_backend_cursor *base, qc_record *out)
{
    outsider_cursor *cur = (outsider_cursor *)base;
    if (cur->next >= cur->n) return QC_ITEROVER;
    return copy_record(out, cur->rows[cur->next++]);
}

static void o_iter_close(qc_backend_cursor *base)
{
    outsider_cursor *cur = (outsider_cursor *)base;
    free(cur->rows);
    free(cur);
}

static qc_test_outsider_stats stats;

/* Version 3 without the optional slots: the library falls back for each
 * (exists through get, count through iteration, by-case order sorted in
 * the library). */
static const qc_backend outsider = {
    .version = QC_BACKEND_VERSION_3,
    .name = "outsider",
    .open = o_open,
    .close = o_close,
    .begin = o_begin,
    .commit = o_commit,
    .rollback = o_rollback,
    .put = o_put,
    .get = o_get,
    .iter_open = o_iter_open,
    .iter_next = o_iter_next,
    .iter_close = o_iter_close,
    .app_data = &stats,
};

const qc_backend *qc_test_outsider_backend(void) { return &outsider; }
