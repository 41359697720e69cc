/* SPDX-License-Identifier: MIT
 * scope.c - a store's office scope (qc_store_set_scope): a handle that
 * reads and writes only the records of one office and the offices under
 * it, whatever the backend.
 *
 * Enforced at the one place the library reaches a backend
 * (backend_call.c), so that no reader of the library - the assessment,
 * the deadlines, the tool - can step past it: iterations and counts get
 * the scope as their office criterion (intersected with the caller's), a
 * record read by id outside it is not found, a write outside it is
 * QC_EDENIED.  The office directory itself stays readable (places of rule
 * sets and roll-ups need the tree); the journal, which holds every
 * office's records, is not readable through a scoped handle.
 *
 * A record's office: its own field (departments, people, posts, cases,
 * inspections), its case's (participations, acts, reviews,
 * classifications, designations, steps, notices, selections,
 * assignments), its person's (duties); an office's is
 * itself, or for one not stored yet its parent.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rules_internal.h"

/* Is office the scope's office or under it?  The tree is read when first
 * needed and again when an office it does not know turns up (one added
 * since). */
static int office_in_scope(qc_store *s, const char *office, bool *in)
{
    *in = false;
    if (!office) return QC_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!s->scope_offices || attempt == 1) {
            qc_offices *t;
            char *scope = s->scope;
            s->scope = NULL; /* the directory is read whole, not through the scope */
            int rc = qc_offices_load(&t, s);
            s->scope = scope;
            if (rc < 0) return rc;
            qc_offices_free(s->scope_offices);
            s->scope_offices = t;
        }
        int level;
        qc_office_kind kind;
        if (qc__offices_find(s->scope_offices, office, &level, &kind) < 0) continue; /* unknown: read again */
        const char *at = office;
        for (int depth = 0; at && depth < 64; depth++, at = qc__offices_parent(s->scope_offices, at))
            if (!strcmp(at, s->scope)) {
                *in = true;
                break;
            }
        return QC_OK;
    }
    return QC_OK; /* an office the store does not have: not in scope */
}

/* The office r belongs to, read through the backend without the scope;
 * NULL (QC_OK) if it has none.  The text lives in a scratch record of the
 * store's until the next call. */
static int office_of(qc_store *s, const qc_record *r, const char **out)
{
    *out = NULL;
    qc_kind via;
    const char *ref;
    switch (r->kind) {
    case QC_KIND_DEPARTMENT: *out = qc__record_str(r, QC_DEPARTMENT_OFFICE, NULL); return QC_OK;
    case QC_KIND_PERSON: *out = qc__record_str(r, QC_PERSON_OFFICE, NULL); return QC_OK;
    case QC_KIND_POST: *out = qc__record_str(r, QC_POST_OFFICE, NULL); return QC_OK;
    case QC_KIND_CASE: *out = qc__record_str(r, QC_CASE_OFFICE, NULL); return QC_OK;
    case QC_KIND_INSPECTION: *out = qc__record_str(r, QC_INSPECTION_OFFICE, NULL); return QC_OK;
    case QC_KIND_DUTY: via = QC_KIND_PERSON; ref = qc__record_str(r, QC_DUTY_PERSON, NULL); break;
    default:
        if (!qc__kind_via_case(r->kind)) return QC_OK;
        via = QC_KIND_CASE;
        ref = qc__record_str(r, 1, NULL); /* field 1 of every kind on a case is the case */
        break;
    }
    if (!s->scope_scratch && qc_record_new(&s->scope_scratch, QC_KIND_CASE) < 0) return QC_ENOMEM;
    qc_record *owner = s->scope_scratch;
    if (owner->kind != via) {
        qc_record_free(owner);
        s->scope_scratch = NULL;
        if (qc_record_new(&s->scope_scratch, via) < 0) return QC_ENOMEM;
        owner = s->scope_scratch;
    }
    qc_record_clear(owner);
    int rc = ref ? s->backend->get(s->conn, via, ref, owner) : QC_ENOTFOUND;
    if (rc == QC_ENOTFOUND) return QC_OK; /* nothing to belong to: the reference check says so */
    if (rc < 0) return rc;
    *out = qc__record_str(owner, via == QC_KIND_CASE ? QC_CASE_OFFICE : QC_PERSON_OFFICE, NULL);
    return QC_OK;
}

int qc__scope_visible(qc_store *s, const qc_record *r, bool *visible)
{
    *visible = true;
    if (!s->scope || r->kind == QC_KIND_OFFICE || r->kind == QC_KIND_REVISION) return QC_OK;
    const char *office;
    int rc = office_of(s, r, &office);
    return rc < 0 ? rc : office_in_scope(s, office, visible);
}

int qc__scope_check_write(qc_store *s, const qc_record *r)
{
    if (!s->scope || r->kind == QC_KIND_REVISION) return QC_OK;
    bool in;
    const char *office;
    int rc;
    if (r->kind == QC_KIND_OFFICE) { /* itself, or a new office under one in scope */
        office = qc__record_str(r, QC_OFFICE_ID, NULL);
        if ((rc = office_in_scope(s, office, &in)) < 0) return rc;
        if (!in) {
            const char *parent = qc__record_str(r, QC_OFFICE_PARENT, NULL);
            if ((rc = office_in_scope(s, parent, &in)) < 0) return rc;
        }
    } else {
        if ((rc = office_of(s, r, &office)) < 0 || (rc = office_in_scope(s, office, &in)) < 0) return rc;
        if (!office) return QC_OK; /* no owner yet: the reference check refuses it */
    }
    if (in) return QC_OK;
    const char *id = qc__record_str(r, 0, NULL);
    return qc__error(QC_EDENIED, "%s%s%s is of office %s, outside this store's scope (%s and the offices under it)",
                     r->def->name, id && *id ? " " : "", id && *id ? id : "", office ? office : "(none)", s->scope);
}

int qc__scope_filter(qc_store *s, qc_kind kind, const qc_filter *f, qc_filter **out, bool *empty)
{
    *out = NULL;
    *empty = false;
    if (!s->scope || kind == QC_KIND_OFFICE || kind == QC_KIND_DUTY) return QC_OK; /* duties: filtered row by row */
    if (kind == QC_KIND_REVISION)
        return qc__error(QC_EDENIED, "the journal holds every office's records: it cannot be read through a store "
                         "scoped to %s", s->scope);
    int rc;
    if (f) rc = qc__filter_copy(out, f);
    else rc = qc_filter_new(out);
    if (rc < 0) return rc;
    qc_filter *g = *out;
    bool subtree = g->office_scope == QC__OFFICE_STORE ? s->office_subtree : g->office_scope == QC__OFFICE_SUBTREE;
    bool in;
    if (!g->office) { /* everything: everything in scope */
        rc = qc_filter_set_office(g, s->scope);
        g->office_scope = QC__OFFICE_SUBTREE;
    } else if ((rc = office_in_scope(s, g->office, &in)) < 0) {
        /* failed: rc says why */
    } else if (!in) { /* above the scope, or beside it */
        bool above = false;
        const char *at = s->scope;
        for (int depth = 0; subtree && at && depth < 64; depth++, at = qc__offices_parent(s->scope_offices, at))
            if (!strcmp(at, g->office)) above = true;
        if (above) { /* a province's subtree through a city's scope: the city's */
            rc = qc_filter_set_office(g, s->scope);
            g->office_scope = QC__OFFICE_SUBTREE;
        } else {
            *empty = true;
        }
    }
    if (rc < 0) {
        qc_filter_free(*out);
        *out = NULL;
    }
    return rc;
}

QC_EXTERN int qc_store_set_scope(qc_store *s, const char *office)
{
    if (!s || !office || !*office) return qc__error(QC_EINVAL, "qc_store_set_scope: NULL store or no office");
    if (s->in_txn) return qc__error(QC_ESTATE, "qc_store_set_scope: not inside a transaction");
    bool in = true;
    int rc = QC_OK;
    if (s->scope && (rc = office_in_scope(s, office, &in)) < 0) return rc;
    if (!in) /* a scope only narrows: whoever set it meant it */
        return qc__error(QC_EDENIED, "qc_store_set_scope: %s is outside this store's scope (%s)", office, s->scope);
    char *copy = strdup(office);
    if (!copy) return qc__error(QC_ENOMEM, "out of memory");
    char *old = s->scope;
    s->scope = copy;
    bool known;
    if ((rc = office_in_scope(s, office, &known)) == QC_OK && !known)
        rc = qc__error(QC_ENOTFOUND, "qc_store_set_scope: no office with id '%s'", office);
    if (rc < 0) {
        s->scope = old;
        free(copy);
        return rc;
    }
    free(old);
    return QC_OK;
}

QC_EXTERN const char *qc_store_scope(const qc_store *s) { return s ? s->scope : NULL; }

int qc__scope_copy(qc_store *dst, const qc_store *src)
{
    if (!src->scope) return QC_OK;
    return (dst->scope = strdup(src->scope)) ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
}

void qc__scope_free(qc_store *s)
{
    free(s->scope);
    qc_offices_free(s->scope_offices);
    qc_record_free(s->scope_scratch);
    s->scope = NULL;
    s->scope_offices = NULL;
    s->scope_scratch = NULL;
}
