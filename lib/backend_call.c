/* SPDX-License-Identifier: MIT
 * backend_call.c - the one place the library calls backend slots.
 *
 * Version and NULL checks live here and nowhere else, so that adding a slot
 * in a later backend version means one new wrapper with its fallback.
 * Slots of version 1 that are optional fall back as backend.h documents.
 */
#include "config.h"

#include <string.h>

#include "internal.h"

/* True if backend b has the slot at offset `slot` (added in version v). */
#define HAS_SLOT(b, v, slot) ((b)->version >= (v) && (b)->slot != NULL)

/* The last kind a backend of each version stores.  A backend never sees a
 * kind its version does not know: a later version's kinds are refused
 * here with QC_EUNSUPPORTED. */
static qc_kind last_kind(int version)
{
    /* revisions came with version 4: an older backend keeps no history;
     * designations with version 5, steps, duties and notices with version
     * 6, inspections, selections and assignments with version 9 */
    return version >= QC_BACKEND_VERSION_9   ? QC_KIND_ASSIGNMENT
           : version >= QC_BACKEND_VERSION_6 ? QC_KIND_NOTICE
           : version >= QC_BACKEND_VERSION_5 ? QC_KIND_DESIGNATION
           : version >= QC_BACKEND_VERSION_4 ? QC_KIND_REVISION
                                             : QC_KIND_CLASSIFICATION;
}

bool qc__be_knows_kind(const qc_store *s, qc_kind kind)
{
    return kind >= QC_KIND_OFFICE && kind <= last_kind(s->backend->version);
}

static int known(const qc_store *s, qc_kind kind)
{
    if (kind >= QC_KIND_OFFICE && kind <= last_kind(s->backend->version)) return QC_OK;
    return qc__error(QC_EUNSUPPORTED, "the %s backend (version %d) does not store %s records", s->backend->name,
                     s->backend->version, qc_kind_name(kind) ? qc_kind_name(kind) : "such");
}

/* A record a backend of its version can store: its kind, and for a
 * review the field version 9 added. */
static int storable(const qc_store *s, const qc_record *r)
{
    int rc = known(s, qc_record_kind(r));
    if (rc == QC_OK && qc_record_kind(r) == QC_KIND_REVIEW && s->backend->version < QC_BACKEND_VERSION_9 &&
        qc_record_has(r, QC_REVIEW_INSPECTION))
        rc = qc__error(QC_EUNSUPPORTED, "the %s backend (version %d) does not store a review's inspection",
                       s->backend->name, s->backend->version);
    return rc;
}

int qc__be_begin(qc_store *s) { return s->backend->begin(s->conn); }
int qc__be_commit(qc_store *s) { return s->backend->commit(s->conn); }
int qc__be_rollback(qc_store *s) { return s->backend->rollback(s->conn); }
int qc__be_put(qc_store *s, const qc_record *r)
{
    int rc = storable(s, r);
    if (rc == QC_OK && s->scope) rc = qc__scope_check_write(s, r);
    return rc < 0 ? rc : s->backend->put(s->conn, r);
}

bool qc__be_can_put_many(const qc_store *s) { return HAS_SLOT(s->backend, QC_BACKEND_VERSION_8, put_many); }

int qc__be_put_many(qc_store *s, const qc_record *const *recs, int n, unsigned char *inserted)
{
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < n; i++) rc = storable(s, recs[i]);
    for (int i = 0; rc == QC_OK && s->scope && i < n; i++) rc = qc__scope_check_write(s, recs[i]);
    return rc < 0 || !n ? rc : s->backend->put_many(s->conn, recs, n, inserted);
}

bool qc__be_keeps_history(const qc_store *s) { return s->backend->version >= QC_BACKEND_VERSION_4; }

bool qc__be_keeps_journal(const qc_store *s) { return s->backend->version >= QC_BACKEND_VERSION_5; }

int qc__be_journal_last(qc_store *s, qc_record *out)
{
    qc_record_clear(out);
    if (HAS_SLOT(s->backend, QC_BACKEND_VERSION_5, journal_last)) return s->backend->journal_last(s->conn, out);
    /* fallback: read them all, keeping the last */
    qc_backend_cursor *cur;
    qc_record *row;
    int rc = qc_record_new(&row, QC_KIND_REVISION), found = 0;
    if (rc == QC_OK) rc = s->backend->iter_open(&cur, s->conn, QC_KIND_REVISION, NULL);
    if (rc < 0) {
        qc_record_free(row);
        return rc;
    }
    while ((rc = s->backend->iter_next(cur, row)) == QC_OK && (rc = qc__record_copy_into(out, row)) == QC_OK) found = 1;
    s->backend->iter_close(cur);
    qc_record_free(row);
    return rc == QC_ITEROVER && !found ? QC_ITEROVER : rc == QC_ITEROVER ? QC_OK : rc;
}

int qc__be_replace(qc_store *s, const qc_record *r)
{
    int rc = storable(s, r);
    if (rc == QC_OK && s->scope) rc = qc__scope_check_write(s, r);
    if (rc < 0) return rc;
    if (!HAS_SLOT(s->backend, QC_BACKEND_VERSION_4, replace))
        return qc__error(QC_EUNSUPPORTED, "the %s backend cannot change a stored record", s->backend->name);
    return s->backend->replace(s->conn, r);
}

int qc__be_remove(qc_store *s, const qc_record *r)
{
    int rc = s->scope ? qc__scope_check_write(s, r) : QC_OK;
    if (rc < 0) return rc;
    if (!HAS_SLOT(s->backend, QC_BACKEND_VERSION_4, remove))
        return qc__error(QC_EUNSUPPORTED, "the %s backend cannot withdraw a stored record", s->backend->name);
    return s->backend->remove(s->conn, r);
}

int qc__be_get(qc_store *s, qc_kind kind, const char *id, qc_record *out)
{
    qc_record_clear(out);
    int rc = known(s, kind);
    if (rc < 0 || (rc = s->backend->get(s->conn, kind, id, out)) < 0 || !s->scope) return rc;
    bool visible;
    if ((rc = qc__scope_visible(s, out, &visible)) < 0) return rc;
    if (visible) return QC_OK;
    qc_record_clear(out); /* as if it were not there: the scope does not tell what lies outside it */
    return QC_ENOTFOUND;
}

int qc__be_exists(qc_store *s, qc_kind kind, const char *id)
{
    int known_rc = known(s, kind);
    if (known_rc < 0) return known_rc;
    /* in a scope, a record outside it does not exist: read it and see */
    if (HAS_SLOT(s->backend, QC_BACKEND_VERSION_1, exists) && (!s->scope || kind == QC_KIND_OFFICE))
        return s->backend->exists(s->conn, kind, id);
    qc_record *scratch;
    int rc = qc_record_new(&scratch, kind);
    if (rc < 0) return rc;
    rc = qc__be_get(s, kind, id, scratch); /* through the scope */
    qc_record_free(scratch);
    return rc;
}

/* Whether any office names office as its parent (a backend older than
 * version 7, which cannot select a subtree, may still serve an office
 * with nothing under it). */
static int has_offices_under(qc_store *s, const char *office, bool *out)
{
    qc_backend_cursor *c;
    qc_record *r;
    *out = false;
    int rc = qc_record_new(&r, QC_KIND_OFFICE);
    if (rc == QC_OK && (rc = s->backend->iter_open(&c, s->conn, QC_KIND_OFFICE, NULL)) == QC_OK) {
        while (!*out && (rc = qc__be_iter_next(s, c, r)) == QC_OK) {
            const char *parent = qc__record_str(r, QC_OFFICE_PARENT, NULL);
            *out = parent && !strcmp(parent, office);
        }
        s->backend->iter_close(c);
    }
    qc_record_free(r);
    return rc == QC_ITEROVER || rc == QC_OK ? QC_OK : rc;
}

/* Whether f's office criterion is to cover the offices under it on s. */
static int wants_subtree(qc_store *s, const qc_filter *f, bool *subtree)
{
    *subtree = f->office_scope == QC__OFFICE_STORE ? s->office_subtree : f->office_scope == QC__OFFICE_SUBTREE;
    if (!*subtree || s->backend->version >= QC_BACKEND_VERSION_7) return QC_OK;
    bool under;
    int rc = has_offices_under(s, f->office, &under);
    if (rc < 0) return rc;
    if (under)
        return qc__error(QC_EUNSUPPORTED, "the %s backend (version %d) cannot select the offices under %s; "
                         "ask for %s alone (--only)", s->backend->name, s->backend->version, f->office, f->office);
    *subtree = false;
    return QC_OK;
}

int qc__be_resolve_office(qc_store *s, qc_filter *f)
{
    bool subtree;
    int rc = f && f->office ? wants_subtree(s, f, &subtree) : QC_OK;
    if (rc == QC_OK && f && f->office) f->office_scope = subtree ? QC__OFFICE_SUBTREE : QC__OFFICE_ALONE;
    return rc;
}

/*
 * The filter as the backend is to see it: the office criterion resolved
 * to the office alone or its subtree (the store's choice, unless the
 * filter made its own).  *use is f itself or *copy, which the caller
 * frees.
 */
static int resolve_office(qc_store *s, const qc_filter *f, qc_filter **copy, const qc_filter **use)
{
    *copy = NULL;
    *use = f;
    if (!f || !f->office) return QC_OK;
    bool subtree;
    int rc = wants_subtree(s, f, &subtree);
    if (rc < 0) return rc;
    int want = subtree ? QC__OFFICE_SUBTREE : QC__OFFICE_ALONE;
    if ((int)f->office_scope == want) return QC_OK;
    rc = qc__filter_copy(copy, f);
    if (rc < 0) return rc;
    (*copy)->office_scope = want;
    *use = *copy;
    return QC_OK;
}

/* By case through the slot that promises it: iter_by_case from version 3,
 * iter_open in version 2; else iter_open, and the caller sorts.  f's
 * office criterion is resolved already (qc__be_resolve_office): the
 * backend may keep f until the cursor closes. */
int qc__be_iter_open(qc_store *s, qc_backend_cursor **out, qc_kind kind, const qc_filter *f)
{
    *out = NULL;
    int rc = known(s, kind);
    if (rc < 0) return rc;
    if (qc_filter_by_case(f) && HAS_SLOT(s->backend, QC_BACKEND_VERSION_3, iter_by_case))
        rc = s->backend->iter_by_case(out, s->conn, kind, f);
    else
        rc = s->backend->iter_open(out, s->conn, kind, f);
    if (rc == QC_OK && *out) (*out)->conn = s->conn;
    return rc;
}

int qc__be_iter_next(qc_store *s, qc_backend_cursor *c, qc_record *out)
{
    qc_record_clear(out);
    return s->backend->iter_next(c, out);
}

void qc__be_iter_close(qc_store *s, qc_backend_cursor *c)
{
    if (c) s->backend->iter_close(c);
}

/* Who orders by case (backend.h): version 2 in iter_open, version 3 in
 * iter_by_case if it has one. */
bool qc__be_orders_by_case(const qc_store *s)
{
    return s->backend->version == QC_BACKEND_VERSION_2 || HAS_SLOT(s->backend, QC_BACKEND_VERSION_3, iter_by_case);
}

/* Version 3 promises that puts of one kind may come while an iteration
 * over another kind is open. */
bool qc__be_writes_while_iterating(const qc_store *s) { return s->backend->version >= QC_BACKEND_VERSION_3; }

int qc__be_open_readers(qc_store *s, int n, qc_backend_conn **out)
{
    if (!HAS_SLOT(s->backend, QC_BACKEND_VERSION_2, open_readers))
        return qc__error(QC_EUNSUPPORTED, "the %s backend cannot open parallel readers", s->backend->name);
    int rc = s->backend->open_readers(s->conn, n, out);
    for (int i = 0; rc == QC_OK && i < n; i++) out[i]->backend = s->backend;
    return rc;
}

int qc__be_count(qc_store *s, qc_kind kind, const qc_filter *f, int64_t *out)
{
    int known_rc = known(s, kind);
    if (known_rc < 0) return known_rc;
    if (s->scope && !s->scope_lifted) { /* narrowed to the scope, or nothing */
        qc_filter *scoped;
        bool empty;
        int rc = qc__scope_filter(s, kind, f, &scoped, &empty);
        if (rc < 0) return rc;
        if (empty || kind == QC_KIND_DUTY) { /* duties: counted row by row through the scope */
            qc_filter_free(scoped);
            *out = 0;
            if (empty) return QC_OK;
            qc_iter *it;
            const qc_record *r;
            if ((rc = qc_iter_new(&it, s, kind, f)) < 0) return rc;
            while ((rc = qc_iter_next(&r, it)) == QC_OK) ++*out;
            qc_iter_free(it);
            return rc == QC_ITEROVER ? QC_OK : rc;
        }
        s->scope_lifted = true; /* the filter carries it now */
        rc = qc__be_count(s, kind, scoped ? scoped : f, out);
        s->scope_lifted = false;
        qc_filter_free(scoped);
        return rc;
    }
    qc_filter *copy;
    const qc_filter *use;
    int rc = resolve_office(s, f, &copy, &use);
    if (rc < 0) return rc;
    if (HAS_SLOT(s->backend, QC_BACKEND_VERSION_1, count)) {
        rc = s->backend->count(s->conn, kind, use, out);
        qc_filter_free(copy);
        return rc;
    }
    qc_backend_cursor *c;
    qc_record *scratch;
    if ((rc = qc_record_new(&scratch, kind)) < 0) {
        qc_filter_free(copy);
        return rc;
    }
    int64_t n = 0;
    if ((rc = qc__be_iter_open(s, &c, kind, use)) == QC_OK) {
        while ((rc = qc__be_iter_next(s, c, scratch)) == QC_OK) n++;
        qc__be_iter_close(s, c);
    }
    qc_record_free(scratch);
    qc_filter_free(copy);
    if (rc != QC_ITEROVER) return rc;
    *out = n;
    return QC_OK;
}

int qc__be_schema_version(qc_store *s, int *out)
{
    if (HAS_SLOT(s->backend, QC_BACKEND_VERSION_1, schema_version))
        return s->backend->schema_version(s->conn, out);
    *out = QC_SCHEMA_VERSION;
    return QC_OK;
}
