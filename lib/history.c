/* SPDX-License-Identifier: MIT
 * history.c - records that change, with the history kept.
 *
 * Every write leaves a revision (QC_KIND_REVISION) in the same transaction:
 * an insert, an amendment (the new version and the one it replaced) or a
 * withdrawal (the version withdrawn), with the actor, the store's clock and
 * a reason.  The current tables hold what is true now; the revisions hold
 * how it came to be, so that
 *   - qc_store_history() lists every version of one record, and
 *   - qc_store_open_as_of() rebuilds the store as it was recorded at a
 *     moment, by replaying every revision recorded up to then in the order
 *     written (so each record stands where it was stored).
 * Versions are kept as canonical text (canonical.c), so that the same
 * record reads the same from every backend, and each revision is an entry
 * of the hash-chained journal (journal.c).  docs/data-model.md describes
 * the model.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

QC_EXTERN int qc_store_set_import_update(qc_store *s, int update)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_import_update: store is NULL");
    s->import_update = update != 0;
    return QC_OK;
}

QC_EXTERN int64_t qc_store_import_updated(const qc_store *s) { return s ? s->import_updated : 0; }

QC_EXTERN int qc_store_set_import_encoding(qc_store *s, const char *encoding)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_import_encoding: store is NULL");
    if (!qc__encoding_known(encoding))
        return qc__error(QC_EVALUE, "unknown encoding '%s' (UTF-8, GBK, GB18030, ...)", encoding);
    char *copy = encoding ? strdup(encoding) : NULL;
    if (encoding && !copy) return qc__error(QC_ENOMEM, "out of memory");
    free(s->import_encoding);
    s->import_encoding = copy;
    return QC_OK;
}

/* ---- writing revisions ---- */

/* Append the revision of one write: op on the record now (NULL for a
 * withdrawal) that was prior (NULL for an insert).  A backend older than
 * version 4 keeps no history: nothing is written. */
static int history_write_at(qc_store *s, qc_revision_op op, const qc_record *now, const qc_record *prior,
                            const char *reason, int64_t recorded)
{
    int rc;
    if (!s->revision && (rc = qc_record_new(&s->revision, QC_KIND_REVISION)) < 0) return rc;
    qc_record *rev = s->revision;
    const qc_record *which = now ? now : prior;
    const char *kind = which->def->name, *actor = qc_store_actor(s);
    size_t idlen;
    const char *id = qc__record_str(which, QC_FIELD_ID, &idlen);
    qc_record_clear(rev);
    qc__textbuf *b = &s->encoded;
    rc = qc__record_set_trusted(rev, QC_REVISION_KIND, kind, strlen(kind));
    if (rc == QC_OK && id && idlen) rc = qc__record_set_trusted(rev, QC_REVISION_RECORD, id, idlen);
    if (rc == QC_OK) rc = qc_record_set_int(rev, QC_REVISION_OP, op);
    if (rc == QC_OK && now && (rc = qc__record_encode_into(now, b)) == QC_OK)
        rc = qc__record_set_trusted(rev, QC_REVISION_BODY, b->p, b->len);
    if (rc == QC_OK && prior && (rc = qc__record_encode_into(prior, b)) == QC_OK)
        rc = qc__record_set_trusted(rev, QC_REVISION_PRIOR, b->p, b->len);
    if (rc == QC_OK && actor) rc = qc__record_set_trusted(rev, QC_REVISION_ACTOR, actor, strlen(actor));
    if (rc == QC_OK) rc = qc_record_set_int(rev, QC_REVISION_RECORDED, recorded);
    if (rc == QC_OK && reason && *reason) rc = qc__record_set_trusted(rev, QC_REVISION_REASON, reason, strlen(reason));
    return rc < 0 ? rc : qc__journal_append(s, rev);
}

int qc__history_write(qc_store *s, qc_revision_op op, const qc_record *now, const qc_record *prior,
                      const char *reason)
{
    if (!qc__be_keeps_history(s)) return QC_OK;
    return history_write_at(s, op, now, prior, reason, qc__store_now(s));
}

void qc__history_free(qc_store *s)
{
    qc_record_free(s->revision);
    free(s->encoded.p);
    qc__journal_free(s);
}

static int check_reason(const char *reason, const char *fn)
{
    if (!reason || !*reason) return qc__error(QC_EMISSING, "%s: a reason is required", fn);
    if (strlen(reason) > QC_MAX_TEXT_BYTES) return qc__error(QC_ETOOLONG, "%s: reason longer than %d bytes", fn, QC_MAX_TEXT_BYTES);
    if (qc__utf8_valid_prefix(reason, strlen(reason)) != strlen(reason))
        return qc__error(QC_EUTF8, "%s: reason is not valid UTF-8", fn);
    return QC_OK;
}

/* ---- amend ---- */

/* A case's new dates must still hold every act recorded on it. */
static int check_case_acts(qc_store *s, const qc_record *kase)
{
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *act;
    int rc = qc_filter_new(&f);
    if (rc < 0) return rc;
    int64_t from = qc_record_int(kase, QC_CASE_REGISTERED);
    int64_t to = qc_record_has(kase, QC_CASE_CLOSED) ? qc_record_int(kase, QC_CASE_CLOSED) : INT64_MAX;
    if ((rc = qc_filter_set_case(f, qc_record_text(kase, QC_CASE_ID))) == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_ACT, f);
    while (rc == QC_OK && (rc = qc_iter_next(&act, it)) == QC_OK) {
        int64_t day = qc__day_of(qc_record_int(act, QC_ACT_TIME));
        if (day < from || day > to) {
            const char *aid = qc_record_text(act, QC_ACT_ID);
            rc = qc__error(QC_EDATE, "case.%s: case %s would %s its act%s%s of %s", day < from ? "registered" : "closed",
                           qc_record_text(kase, QC_CASE_ID), day < from ? "be registered after" : "be closed before",
                           aid ? " " : "", aid ? aid : "", qc_record_text(act, QC_ACT_TIME));
        }
    }
    qc_iter_free(it);
    qc_filter_free(f);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* A department moved to another office would leave the cases, people and
 * posts naming it in an office it no longer belongs to. */
static int check_department_users(qc_store *s, const qc_record *dept)
{
    static const struct { qc_kind kind; int dept, office; } users[] = {
        {QC_KIND_CASE, QC_CASE_DEPARTMENT, QC_CASE_OFFICE},
        {QC_KIND_PERSON, QC_PERSON_DEPARTMENT, QC_PERSON_OFFICE},
        {QC_KIND_POST, QC_POST_DEPARTMENT, QC_POST_OFFICE},
    };
    const char *id = qc_record_text(dept, QC_DEPARTMENT_ID), *office = qc_record_text(dept, QC_DEPARTMENT_OFFICE);
    int rc = QC_OK;
    for (size_t u = 0; rc == QC_OK && u < QC__ARRAY_LEN(users); u++) {
        qc_iter *it;
        const qc_record *r;
        if ((rc = qc_iter_new(&it, s, users[u].kind, NULL)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *d = qc_record_text(r, users[u].dept), *o = qc_record_text(r, users[u].office);
            if (d && !strcmp(d, id) && strcmp(o, office)) {
                rc = qc__error(QC_ENOREF, "department.office: %s %s of office %s names department %s",
                               qc_kind_name(users[u].kind), qc_record_text(r, 0), o, id);
                break;
            }
        }
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    return rc;
}

typedef struct amend_args {
    const qc_record *record;
    const char *reason;
} amend_args;

static int amend_step(qc_store *s, void *arg)
{
    amend_args *a = arg;
    const qc_record *r = a->record;
    const char *id = qc_record_text(r, QC_FIELD_ID);
    qc_record *prior;
    int rc = qc_store_get(&prior, s, r->kind, id), bad_field;
    if (rc < 0) return rc;
    int fact;
    if (qc__record_difference(r, prior, &fact) < 0) { /* nothing to change: no revision */
        qc_record_free(prior);
        return QC_OK;
    }
    if ((rc = qc__store_check(s, r, NULL, &bad_field)) == QC_OK && r->kind == QC_KIND_CASE)
        rc = check_case_acts(s, r);
    if (rc == QC_OK && r->kind == QC_KIND_DEPARTMENT &&
        strcmp(qc_record_text(r, QC_DEPARTMENT_OFFICE), qc_record_text(prior, QC_DEPARTMENT_OFFICE)))
        rc = check_department_users(s, r);
    qc__store_forget_refs(s); /* a case's dates, a department's office: what was checked may change */
    if (rc == QC_OK && (rc = qc__be_replace(s, r)) == QC_ENOTFOUND)
        rc = qc__error(QC_ENOTFOUND, "no %s with id '%s'", r->def->name, id);
    if (rc == QC_OK) rc = qc__history_write(s, QC_OP_AMEND, r, prior, a->reason);
    qc_record_free(prior);
    return rc;
}

int qc__store_amend_here(qc_store *s, const qc_record *r, const char *reason)
{
    amend_args a = {r, reason};
    return amend_step(s, &a);
}

QC_EXTERN int qc_store_amend(qc_store *s, const qc_record *r, const char *reason)
{
    if (!s || !r) return qc__error(QC_EINVAL, "qc_store_amend: NULL argument");
    int rc;
    if ((rc = check_reason(reason, "qc_store_amend")) < 0) return rc;
    if (r->kind == QC_KIND_REVISION) return qc__error(QC_EINVAL, "qc_store_amend: the history cannot be amended");
    const char *id = qc_record_text(r, QC_FIELD_ID);
    if (!id || !*id)
        return qc__error(QC_EMISSING, "%s.id: only a record with an id can be amended (withdraw one without, and "
                         "put it again)", r->def->name);
    amend_args a = {r, reason};
    return qc__in_transaction(s, amend_step, &a);
}

/* ---- withdraw ---- */

/* The first stored record that names r (every field of every kind that
 * refers to r's kind is looked at): QC_EEXIST with it described in what,
 * or QC_OK if none. */
static int referrer(qc_store *s, const qc_record *r, char *what, size_t size)
{
    const char *id = qc_record_text(r, QC_FIELD_ID);
    if (!id || !*id) return QC_OK; /* nothing can name a record without an id */
    QC__FOR_EACH_RECORD_KIND(k)
        for (int f = 1; f < qc_field_count((qc_kind)k); f++) {
            if (qc_field_ref((qc_kind)k, f) != r->kind || !qc__be_knows_kind(s, (qc_kind)k)) continue;
            qc_iter *it;
            const qc_record *other;
            int rc = qc_iter_new(&it, s, (qc_kind)k, NULL);
            while (rc == QC_OK && (rc = qc_iter_next(&other, it)) == QC_OK) {
                const char *v = qc_record_text(other, f);
                if (v && !strcmp(v, id)) {
                    const char *oid = qc_record_text(other, QC_FIELD_ID);
                    snprintf(what, size, "%s%s%s", qc_kind_name((qc_kind)k), oid ? " " : "", oid ? oid : "");
                    rc = QC_EEXIST;
                }
            }
            qc_iter_free(it);
            if (rc != QC_ITEROVER) return rc;
        }
    return QC_OK;
}

typedef struct withdraw_args {
    const qc_record *record;
    const char *reason;
} withdraw_args;

static int withdraw_step(qc_store *s, void *arg)
{
    withdraw_args *a = arg;
    const qc_record *r = a->record;
    const char *id = qc_record_text(r, QC_FIELD_ID);
    qc_record *stored = NULL;
    int rc;
    if (id && *id && (rc = qc_store_get(&stored, s, r->kind, id)) < 0) return rc;
    char what[QC_MAX_ID_BYTES + 32];
    if ((rc = referrer(s, stored ? stored : r, what, sizeof what)) == QC_EEXIST)
        rc = qc__error(QC_ENOREF, "%s %s cannot be withdrawn: %s names it (withdraw that first)", r->def->name, id, what);
    qc__store_forget_refs(s); /* what was checked to exist may go */
    if (rc == QC_OK && (rc = qc__be_remove(s, stored ? stored : r)) == QC_ENOTFOUND)
        rc = qc__error(QC_ENOTFOUND, "no such %s is stored", r->def->name);
    if (rc == QC_OK) rc = qc__history_write(s, QC_OP_WITHDRAW, NULL, stored ? stored : r, a->reason);
    qc_record_free(stored);
    return rc;
}

QC_EXTERN int qc_store_withdraw_record(qc_store *s, const qc_record *r, const char *reason)
{
    if (!s || !r) return qc__error(QC_EINVAL, "qc_store_withdraw_record: NULL argument");
    int rc;
    if ((rc = check_reason(reason, "qc_store_withdraw")) < 0) return rc;
    if (r->kind == QC_KIND_REVISION) return qc__error(QC_EINVAL, "qc_store_withdraw: the history cannot be withdrawn");
    withdraw_args a = {r, reason};
    return qc__in_transaction(s, withdraw_step, &a);
}

QC_EXTERN int qc_store_withdraw(qc_store *s, qc_kind kind, const char *id, const char *reason)
{
    if (!s || !id) return qc__error(QC_EINVAL, "qc_store_withdraw: NULL argument");
    qc_record *r;
    int rc = qc_record_new(&r, kind);
    if (rc < 0) return rc;
    if ((rc = qc_record_set_text(r, QC_FIELD_ID, id)) == QC_OK) rc = qc_store_withdraw_record(s, r, reason);
    qc_record_free(r);
    return rc;
}

/* ---- reading the history ---- */

QC_EXTERN int qc_store_history(qc_iter **out, qc_store *s, qc_kind kind, const char *id)
{
    if (out) *out = NULL;
    if (!out || !s || !id || !qc_kind_name(kind) || kind == QC_KIND_REVISION)
        return qc__error(QC_EINVAL, "qc_store_history: NULL argument or invalid kind");
    return qc__iter_new_history(out, s, qc_kind_name(kind), id);
}

/* Apply one revision to m, as it was applied when it was written. */
static int replay_one(qc_store *m, const qc_record *rev, qc_record **scratch)
{
    qc_kind kind = qc_kind_lookup(qc_record_text(rev, QC_REVISION_KIND));
    qc_revision_op op = (qc_revision_op)qc_record_int(rev, QC_REVISION_OP);
    if (op == QC_OP_BEGIN) return QC_OK; /* the journal's own entry: no record */
    const char *text = qc_record_text(rev, op == QC_OP_WITHDRAW ? QC_REVISION_PRIOR : QC_REVISION_BODY);
    int rc;
    if (!kind || kind == QC_KIND_REVISION || !text)
        return qc__error(QC_ESCHEMA, "a revision of kind '%s' without the version it wrote",
                         qc_record_text(rev, QC_REVISION_KIND) ? qc_record_text(rev, QC_REVISION_KIND) : "");
    if (!*scratch || (*scratch)->kind != kind) {
        qc_record_free(*scratch);
        *scratch = NULL;
        if ((rc = qc_record_new(scratch, kind)) < 0) return rc;
    }
    if ((rc = qc_record_decode(*scratch, text)) < 0) return rc;
    switch (op) {
    case QC_OP_INSERT: return qc__be_put(m, *scratch);
    case QC_OP_AMEND: return qc__be_replace(m, *scratch);
    case QC_OP_WITHDRAW: return qc__be_remove(m, *scratch);
    case QC_OP_BEGIN: break;
    }
    return qc__error(QC_ESCHEMA, "a revision with an unknown operation %d", (int)op);
}

/* Whether s holds any record of kind: one step of an iteration. */
static int stores_any(qc_store *s, qc_kind kind, bool *out)
{
    qc_iter *it;
    const qc_record *r;
    int rc = qc_iter_new(&it, s, kind, NULL);
    if (rc < 0) return rc;
    rc = qc_iter_next(&r, it);
    qc_iter_free(it);
    *out = rc == QC_OK;
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* An insert revision, recorded at 0 (before any time) by "(before the
 * history)", for every record s holds: the history of a store of an older
 * schema.  Inside the caller's transaction. */
int qc__history_backfill(qc_store *s)
{
    qc_iter *it;
    const qc_record *r;
    int64_t clock = s->clock_now;
    char *actor = s->actor;
    int rc = QC_OK;
    s->clock_now = 0; /* 0 is "the system clock" to the store; here it is the time before any */
    s->actor = (char *)"(before the history)";
    QC__FOR_EACH_RECORD_KIND(k) {
        if (rc < 0 || (!qc__be_knows_kind(s, (qc_kind)k))) continue;
        if ((rc = qc_iter_new(&it, s, (qc_kind)k, NULL)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK && (rc = history_write_at(s, QC_OP_INSERT, r, NULL, NULL, 0)) == QC_OK) {}
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    s->clock_now = clock;
    s->actor = actor;
    return rc;
}


/* A store the migration to schema 6 marked (its last entry an unhashed
 * begin): hash what came before and begin the journal, and if the mark is
 * all the history there is (a store of schema 4 or older), journal every
 * record it holds as an insert recorded at 0.  A store without the mark
 * is left alone: one that lost its journal is not given a new one. */
static int seal_marked_journal(qc_store *s)
{
    int64_t mark;
    int rc = qc__journal_mark(s, &mark);
    if (rc < 0 || !mark) return rc;
    /* a handle that cannot write (read-only here, or locked) leaves the
     * sealing to the next that can; verify reports the journal unbegun */
    if (qc_store_begin(s) < 0) return QC_OK;
    if ((rc = qc__journal_begin(s)) == QC_OK && mark == 1) rc = qc__history_backfill(s);
    return rc < 0 ? qc__store_abort(s) : qc_store_commit(s);
}

/* The history begins with the store.  A version-4 backend's store of an
 * older schema (records, no history) gets it backfilled on the first open
 * that keeps history; from version 5 the journal does this, and only for
 * a store a migration marked (qc__journal_open). */
int qc__history_begin(qc_store *s)
{
    if (!qc__be_keeps_history(s) || s->as_of) return QC_OK;
    if (qc__be_keeps_journal(s)) return seal_marked_journal(s);
    bool has_history, has_records;
    int rc = stores_any(s, QC_KIND_REVISION, &has_history);
    if (rc == QC_OK) rc = stores_any(s, QC_KIND_OFFICE, &has_records);
    if (rc < 0 || has_history || !has_records) return rc;
    if ((rc = qc_store_begin(s)) < 0) return rc;
    return (rc = qc__history_backfill(s)) < 0 ? qc__store_abort(s) : qc_store_commit(s);
}

/* The store replayed up to the revision recorded at `when`, or (entries
 * >= 0) up to its entries-th revision, whenever recorded. */
static int open_replayed(qc_store **out, qc_store *s, int64_t when, int64_t entries);

QC_EXTERN int qc_store_open_as_of(qc_store **out, qc_store *s, int64_t when)
{
    if (out) *out = NULL;
    if (!out || !s) return qc__error(QC_EINVAL, "qc_store_open_as_of: NULL argument");
    return open_replayed(out, s, when, -1);
}

int qc__store_open_at_entry(qc_store **out, qc_store *s, int64_t entries)
{
    *out = NULL;
    return open_replayed(out, s, INT64_MAX, entries);
}

static int open_replayed(qc_store **out, qc_store *s, int64_t when, int64_t entries)
{
    if (!qc__be_keeps_history(s))
        return qc__error(QC_EUNSUPPORTED, "the %s backend keeps no history", s->backend->name);
    qc_store *m = NULL;
    qc_record *scratch = NULL;
    qc_iter *it = NULL;
    const qc_record *rev;
    int64_t n = 0;
    /* the history in the order written, up to when, replayed into memory:
     * each record where it was inserted, as it was then */
    int rc = qc_store_open_backend(&m, &qc__backend_memory, "");
    if (rc == QC_OK) rc = qc__be_begin(m);
    /* the whole journal, past s's scope: the view made from it keeps it */
    s->scope_lifted = true;
    if (rc == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_REVISION, NULL);
    s->scope_lifted = false;
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        n++;
        if (entries >= 0 && n > entries) break;
        if (qc_record_int(rev, QC_REVISION_RECORDED) > when) continue;
        if ((rc = replay_one(m, rev, &scratch)) == QC_OK) rc = qc__be_put(m, rev);
        else qc__error_prefix("revision %lld of the history", (long long)n);
    }
    qc_iter_free(it);
    qc_record_free(scratch);
    if (rc == QC_ITEROVER || (rc == QC_OK && entries >= 0)) rc = qc__be_commit(m);
    if (rc == QC_OK) rc = qc__scope_copy(m, s);
    if (rc < 0) {
        qc_store_free(m);
        return rc;
    }
    m->as_of = true;
    m->threads = s->threads;
    m->office_subtree = s->office_subtree;
    *out = m;
    return QC_OK;
}
