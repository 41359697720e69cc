/* SPDX-License-Identifier: MIT
 * store.c - stores: opening by URI, the backend registry, transactions, and
 * validated writes.
 *
 * Every write goes through qc__store_check(): the record is validated and
 * its references looked up before the backend sees it, so backends only
 * store and return (backend.h says what each side promises).  A put outside
 * a transaction is wrapped in one, so a failed put never leaves a partial
 * record (a case without its facts).
 */
#include "config.h"

#include <pthread.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- registry ---- */

#define MAX_REGISTERED 16

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static const qc_backend *registry[MAX_REGISTERED];

static bool is_builtin(const char *name)
{
    return !strcmp(name, "sqlite") || !strcmp(name, "memory");
}

QC_EXTERN int qc_backend_register(const qc_backend *b)
{
    if (!b || !b->name || !*b->name || b->version < QC_BACKEND_VERSION_1 || !b->open || !b->close ||
        !b->begin || !b->commit || !b->rollback || !b->put || !b->get || !b->iter_open ||
        !b->iter_next || !b->iter_close)
        return qc__error(QC_EINVAL, "qc_backend_register: backend lacks a name, a version or a required slot");
    if (is_builtin(b->name))
        return qc__error(QC_EINVAL, "qc_backend_register: '%s' is built in", b->name);
    int rc = QC_OK, free_slot = -1;
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < MAX_REGISTERED; i++) {
        if (registry[i] && !strcmp(registry[i]->name, b->name)) {
            registry[i] = b;
            goto done;
        }
        if (!registry[i] && free_slot < 0) free_slot = i;
    }
    if (free_slot < 0)
        rc = qc__error(QC_ENOMEM, "qc_backend_register: more than %d backends", MAX_REGISTERED);
    else
        registry[free_slot] = b;
done:
    pthread_mutex_unlock(&registry_lock);
    return rc;
}

QC_EXTERN int qc_backend_unregister(const char *name)
{
    int rc = QC_ENOTFOUND;
    if (!name) return qc__error(QC_EINVAL, "qc_backend_unregister: name is NULL");
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < MAX_REGISTERED; i++)
        if (registry[i] && !strcmp(registry[i]->name, name)) {
            registry[i] = NULL;
            rc = QC_OK;
        }
    pthread_mutex_unlock(&registry_lock);
    return rc == QC_OK ? rc : qc__error(rc, "no backend named '%s'", name);
}

static const qc_backend *find_backend(const char *name, size_t len)
{
    const qc_backend *found = NULL;
    if (len == 6 && !memcmp(name, "sqlite", 6)) return &qc__backend_sqlite;
    if (len == 6 && !memcmp(name, "memory", 6)) return &qc__backend_memory;
#ifdef HAVE_POSTGRESQL
    if ((len == 10 && !memcmp(name, "postgresql", 10)) || (len == 8 && !memcmp(name, "postgres", 8)))
        return &qc__backend_postgresql;
#endif
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < MAX_REGISTERED && !found; i++)
        if (registry[i] && strlen(registry[i]->name) == len && !memcmp(registry[i]->name, name, len))
            found = registry[i];
    pthread_mutex_unlock(&registry_lock);
    return found;
}

QC_EXTERN const qc_backend *qc_backend_sqlite(void) { return &qc__backend_sqlite; }
QC_EXTERN const qc_backend *qc_backend_memory(void) { return &qc__backend_memory; }

QC_EXTERN const qc_backend *qc_backend_postgresql(void)
{
#ifdef HAVE_POSTGRESQL
    return &qc__backend_postgresql;
#else
    return NULL;
#endif
}

/* ---- opening ---- */

QC_EXTERN int qc_store_open_backend(qc_store **out, const qc_backend *b, const char *location)
{
    if (!out) return qc__error(QC_EINVAL, "qc_store_open: out is NULL");
    *out = NULL;
    if (!b || b->version < QC_BACKEND_VERSION_1 || !b->open)
        return qc__error(QC_EINVAL, "qc_store_open: invalid backend");
    qc_store *s = calloc(1, sizeof *s);
    if (!s) return qc__error(QC_ENOMEM, "out of memory");
    s->backend = b;
    s->future_skew = QC_DEFAULT_FUTURE_SKEW;
    int rc = b->open(&s->conn, b, location ? location : "");
    if (rc < 0) {
        free(s);
        return rc;
    }
    s->conn->backend = b;
    int version;
    if ((rc = qc__be_schema_version(s, &version)) < 0 ||
        (version > QC_SCHEMA_VERSION &&
         (rc = qc__error(QC_ESCHEMA, "%s: store has schema version %d; this library knows up to %d",
                         location, version, QC_SCHEMA_VERSION)) < 0) ||
        (rc = qc__history_begin(s)) < 0) {
        qc_store_free(s);
        return rc;
    }
    *out = s;
    return QC_OK;
}

int qc__store_open_readers(qc_store *s, int n, qc_store **out)
{
    qc_backend_conn *conns[8];
    if (n < 1 || n > (int)QC__ARRAY_LEN(conns)) return qc__error(QC_EINVAL, "qc__store_open_readers: 1 to 8 readers");
    if (s->in_txn) /* other connections would not see the transaction's writes */
        return qc__error(QC_EUNSUPPORTED, "parallel readers cannot see an open transaction");
    for (int i = 0; i < n; i++) out[i] = NULL;
    int rc = qc__be_open_readers(s, n, conns);
    if (rc < 0) return rc;
    for (int i = 0; i < n; i++) {
        if (!(out[i] = calloc(1, sizeof *out[i]))) {
            for (int j = 0; j < n; j++) {
                if (j < i) free(out[j]);
                s->backend->close(conns[j]);
                out[j] = NULL;
            }
            return qc__error(QC_ENOMEM, "out of memory");
        }
        out[i]->backend = s->backend;
        out[i]->conn = conns[i];
        out[i]->threads = 1;
        out[i]->office_subtree = s->office_subtree; /* they read what s would */
        if (qc__scope_copy(out[i], s) < 0) {
            for (int j = 0; j < n; j++) {
                if (j <= i) qc_store_free(out[j]);
                else s->backend->close(conns[j]);
                out[j] = NULL;
            }
            return QC_ENOMEM;
        }
    }
    return QC_OK;
}

QC_EXTERN int qc_store_set_threads(qc_store *s, int threads)
{
    if (!s || threads < 0) return qc__error(QC_EINVAL, "qc_store_set_threads: NULL store or negative count");
    s->threads = threads;
    return QC_OK;
}

QC_EXTERN int qc_store_set_office_subtree(qc_store *s, int subtree)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_office_subtree: NULL store");
    s->office_subtree = subtree != 0;
    return QC_OK;
}

int qc__store_threads(const qc_store *s)
{
    if (s->threads > 0) return s->threads;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus > 1 ? (int)(cpus < 64 ? cpus : 64) : 1;
}

QC_EXTERN int qc_store_open(qc_store **out, const char *uri)
{
    if (out) *out = NULL;
    if (!out || !uri) return qc__error(QC_EINVAL, "qc_store_open: NULL argument");
    *out = NULL;
    const char *colon = strchr(uri, ':'), *slash = strchr(uri, '/');
    /* A plain path ("cases.db", "./a:b.db", "C:\x"): no scheme, so sqlite. */
    if (!colon || colon - uri < 2 || (slash && slash < colon))
        return qc_store_open_backend(out, &qc__backend_sqlite, uri);
    const qc_backend *b = find_backend(uri, (size_t)(colon - uri));
    if (!b)
        return qc__error(QC_EUNKNOWN, "%s: no storage backend named '%.*s' (built in: " QC__BUILT_IN_BACKENDS ")",
                         uri, (int)(colon - uri), uri);
    return qc_store_open_backend(out, b, colon + 1);
}

QC_EXTERN int qc_store_open_existing(qc_store **out, const char *uri)
{
    if (out) *out = NULL;
    if (!out || !uri) return qc__error(QC_EINVAL, "qc_store_open_existing: NULL argument");
    const char *colon = strchr(uri, ':'), *slash = strchr(uri, '/');
    const char *path = !colon || colon - uri < 2 || (slash && slash < colon) ? uri
                       : (colon - uri == 6 && !memcmp(uri, "sqlite", 6)) ? colon + 1
                                                                          : NULL;
    struct stat st;
    /* a file that is missing: not created, as opening it for reading would */
    if (path && *path && strcmp(path, ":memory:") && stat(path, &st) != 0 && errno == ENOENT)
        return qc__error(QC_ENOTFOUND, "no store at %s; create one with quotacase init", path);
    return qc_store_open(out, uri);
}

QC_EXTERN void qc_store_free(qc_store *s)
{
    if (!s) return;
    if (s->in_txn) qc__be_rollback(s);
    s->backend->close(s->conn);
    qc__scope_free(s);
    for (int k = 0; k < QC_KIND_COUNT; k++) qc_record_free(s->scratch[k]);
    qc__history_free(s);
    free(s->refs);
    free(s->actor);
    free(s->import_encoding);
    free(s);
}

QC_EXTERN const char *qc_store_backend(const qc_store *s) { return s ? s->backend->name : NULL; }

QC_EXTERN int qc_store_schema_version(const qc_store *s, int *out)
{
    if (!s || !out) return qc__error(QC_EINVAL, "qc_store_schema_version: NULL argument");
    return qc__be_schema_version((qc_store *)s, out);
}

QC_EXTERN void qc_store_set_progress(qc_store *s, qc_progress_fn fn, void *data)
{
    if (!s) return;
    s->progress = fn;
    s->progress_data = data;
}

/* ---- transactions ---- */

QC_EXTERN int qc_store_begin(qc_store *s)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_begin: store is NULL");
    if (s->in_txn) return qc__error(QC_ESTATE, "qc_store_begin: a transaction is already open");
    if (s->as_of) return qc__error(QC_ESTATE, "a store read as of a past time cannot be written");
    int rc = qc__be_begin(s);
    if (rc == QC_OK) s->in_txn = true;
    s->txn_serial++; /* what was read in an earlier one (the journal's head) is read again */
    qc__store_forget_refs(s);
    return rc;
}

QC_EXTERN int qc_store_commit(qc_store *s)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_commit: store is NULL");
    if (!s->in_txn) return qc__error(QC_ESTATE, "qc_store_commit: no transaction is open");
    int rc = qc__be_commit(s);
    s->in_txn = false;
    if (rc < 0) {
        /* A failed commit (disk full) leaves nothing half-written; the
         * commit's failure, not the rollback's, is what the caller hears. */
        qc__saved_error cause;
        qc__error_keep(&cause);
        qc__be_rollback(s);
        qc__error_restore(&cause);
    }
    return rc;
}

int qc__store_abort(qc_store *s)
{
    qc__saved_error cause;
    int code = qc__error_keep(&cause);
    if (s->in_txn) {
        s->in_txn = false;
        qc__be_rollback(s);
    }
    qc__error_restore(&cause);
    return code;
}

QC_EXTERN int qc_store_rollback(qc_store *s)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_rollback: store is NULL");
    if (!s->in_txn) return qc__error(QC_ESTATE, "qc_store_rollback: no transaction is open");
    s->in_txn = false;
    return qc__be_rollback(s);
}

/* ---- who writes ---- */

QC_EXTERN int qc_store_set_actor(qc_store *s, const char *actor)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_actor: store is NULL");
    if (actor && strlen(actor) > QC_MAX_ID_BYTES)
        return qc__error(QC_ETOOLONG, "qc_store_set_actor: more than %d bytes", QC_MAX_ID_BYTES);
    if (actor && qc__utf8_valid_prefix(actor, strlen(actor)) != strlen(actor))
        return qc__error(QC_EUTF8, "qc_store_set_actor: invalid UTF-8");
    char *copy = actor && *actor ? strdup(actor) : NULL;
    if (actor && *actor && !copy) return qc__error(QC_ENOMEM, "out of memory");
    free(s->actor);
    s->actor = copy;
    return QC_OK;
}

/* The actor set, else the login name of the process's user. */
QC_EXTERN const char *qc_store_actor(qc_store *s)
{
    if (!s) return NULL;
    if (!s->actor) {
        char buf[1024], name[64];
        struct passwd pw, *found = NULL;
        if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) != 0 || !found)
            snprintf(name, sizeof name, "uid %lu", (unsigned long)geteuid());
        else
            snprintf(name, sizeof name, "%s", found->pw_name);
        s->actor = strdup(name);
    }
    return s->actor;
}

/* Run step inside the caller's transaction, or one of its own (which a
 * store read as of a past time refuses: it is never in one). */
int qc__in_transaction(qc_store *s, int (*step)(qc_store *, void *), void *arg)
{
    if (s->in_txn) return step(s, arg);
    int rc = qc_store_begin(s);
    if (rc < 0) return rc;
    if ((rc = step(s, arg)) < 0) return qc__store_abort(s);
    return qc_store_commit(s);
}

/* ---- writes ---- */

int qc__store_check_deferred(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field)
{
    *bad_field = -1;
    if (r->def->journal)
        return qc__error(QC_EVALUE, "%s: the history is written by the store, never put or imported", r->def->plural);
    int rc = qc__record_validate(r);
    return rc < 0 ? rc : qc__store_check_consistency(s, r, cache, bad_field);
}

int qc__store_check(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field)
{
    int rc;
    *bad_field = -1;
    const qc__kind_def *k = r->def;
    if (k->journal) return qc__error(QC_EVALUE, "%s: the history is written by the store, never put or imported", k->plural);
    if ((rc = qc__record_validate(r)) < 0) return rc;
    for (int i = 0; i < k->nfields; i++) {
        const qc__field_def *f = &k->fields[i];
        size_t len;
        const char *id = f->ref ? qc__record_str(r, i, &len) : NULL;
        if (!id) continue;
        char *last = cache ? cache->last[r->kind][i] : NULL;
        if (last && !strcmp(last, id)) continue;
        rc = qc__be_exists(s, f->ref, id);
        if (rc == QC_ENOTFOUND) {
            *bad_field = i;
            return qc__error(QC_ENOREF, "%s.%s: no %s with id '%s'", k->name, f->name,
                             qc_kind_name(f->ref), id);
        }
        if (rc < 0) return rc;
        if (last) memcpy(last, id, len + 1); /* ids are at most QC_MAX_ID_BYTES */
    }
    return qc__store_check_consistency(s, r, cache, bad_field);
}

/* Check and put one record; the caller holds a transaction. */
int qc__store_put_checked(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field)
{
    int rc;
    if ((rc = qc__store_check(s, r, cache, bad_field)) < 0 || (rc = qc__be_put(s, r)) < 0) return rc;
    return qc__history_write(s, QC_OP_INSERT, r, NULL, NULL);
}

static int put_checked(qc_store *s, const qc_record *r, qc__ref_cache *cache)
{
    int bad_field;
    return qc__store_put_checked(s, r, cache, &bad_field);
}

qc__ref_cache *qc__store_refs(qc_store *s)
{
    if (!s->refs && (s->refs = malloc(sizeof *s->refs))) qc__store_forget_refs(s);
    return s->refs;
}

void qc__store_forget_refs(qc_store *s)
{
    if (!s->refs) return;
    for (int k = 0; k < QC_KIND_COUNT; k++)
        for (int f = 0; f < QC_MAX_FIELDS; f++) s->refs->last[k][f][0] = '\0';
    s->refs->case_id[0] = s->refs->dept_id[0] = '\0';
}

QC_EXTERN int qc_store_put(qc_store *s, const qc_record *r)
{
    if (!s || !r) return qc__error(QC_EINVAL, "qc_store_put: NULL argument");
    if (s->in_txn) return put_checked(s, r, qc__store_refs(s));
    int rc = qc_store_begin(s);
    if (rc < 0) return rc;
    if ((rc = put_checked(s, r, NULL)) < 0) {
        qc__store_abort(s);
        return rc;
    }
    return qc_store_commit(s);
}

QC_EXTERN int qc_store_put_batch(qc_store *s, const qc_record *const *recs, size_t n,
                                 size_t *failed_index)
{
    if (!s || (!recs && n)) return qc__error(QC_EINVAL, "qc_store_put_batch: NULL argument");
    bool own_txn = !s->in_txn;
    int rc = QC_OK;
    if (own_txn && (rc = qc_store_begin(s)) < 0) return rc;
    for (size_t i = 0; i < n; i++) {
        if (!recs[i]) rc = qc__error(QC_EINVAL, "qc_store_put_batch: record %zu is NULL", i);
        else rc = put_checked(s, recs[i], qc__store_refs(s));
        if (rc < 0) {
            if (failed_index) *failed_index = i;
            qc__error_prefix("record %zu", i);
            if (own_txn) qc__store_abort(s);
            return rc;
        }
    }
    return own_txn ? qc_store_commit(s) : QC_OK;
}

/* ---- reads ---- */

QC_EXTERN int qc_store_get(qc_record **out, qc_store *s, qc_kind kind, const char *id)
{
    if (out) *out = NULL;
    if (!out || !s || !id) return qc__error(QC_EINVAL, "qc_store_get: NULL argument");
    *out = NULL;
    qc_record *r;
    int rc = qc_record_new(&r, kind);
    if (rc < 0) return rc;
    if ((rc = qc__be_get(s, kind, id, r)) < 0) {
        qc_record_free(r);
        if (rc == QC_ENOTFOUND) return qc__error(rc, "no %s with id '%s'", qc_kind_name(kind), id);
        return rc;
    }
    *out = r;
    return QC_OK;
}

QC_EXTERN int qc_store_count(int64_t *out, qc_store *s, qc_kind kind, const qc_filter *f)
{
    if (!out || !s) return qc__error(QC_EINVAL, "qc_store_count: NULL argument");
    if (!qc__kind_get(kind)) return qc__error(QC_EINVAL, "qc_store_count: invalid kind %d", (int)kind);
    int rc = qc__filter_check(kind, f);
    return rc < 0 ? rc : qc__be_count(s, kind, f, out);
}

struct qc_iter {
    qc_store *store;
    qc_backend_cursor *cursor;
    qc_filter *filter;
    qc_record *record;
    /* qc_store_history: only the revisions of this kind's record id */
    char *history_kind, *history_id;
    /* By case from a version-1 backend: the whole iteration, sorted here. */
    bool sorted_here;
    bool empty;      /* the store's scope leaves nothing to read */
    bool scope_rows; /* each row checked against the store's scope (duties) */
    qc_record **sorted;
    size_t nsorted, next;
};

/* By case, then insertion order (qsort is not stable: the position breaks ties). */
typedef struct placed {
    qc_record *row;
    size_t at;
} placed;

static int by_case_then_insertion(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    int cmp = strcmp(qc__record_str(x->row, 1, NULL), qc__record_str(y->row, 1, NULL)); /* field 1 is the case */
    return cmp ? cmp : (x->at > y->at) - (x->at < y->at);
}

int qc__sort_by_case(qc_record **rows, size_t n)
{
    if (n < 2) return QC_OK;
    placed *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return qc__error(QC_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) tmp[i] = (placed){rows[i], i};
    qsort(tmp, n, sizeof *tmp, by_case_then_insertion);
    for (size_t i = 0; i < n; i++) rows[i] = tmp[i].row;
    free(tmp);
    return QC_OK;
}

/* Read the rest of it's cursor and sort it by case. */
static int read_sorted(qc_iter *it, qc_kind kind)
{
    size_t cap = 0;
    int rc;
    for (;;) {
        if (it->nsorted == cap) {
            qc_record **p = realloc(it->sorted, (cap = cap ? cap * 2 : 64) * sizeof *p);
            if (!p) return qc__error(QC_ENOMEM, "out of memory");
            it->sorted = p;
        }
        qc_record **slot = &it->sorted[it->nsorted];
        if ((rc = qc_record_new(slot, kind)) < 0) return rc;
        if ((rc = qc__be_iter_next(it->store, it->cursor, *slot)) < 0) {
            qc_record_free(*slot);
            return rc == QC_ITEROVER ? qc__sort_by_case(it->sorted, it->nsorted) : rc;
        }
        it->nsorted++;
    }
}

QC_EXTERN int qc_iter_new(qc_iter **out, qc_store *s, qc_kind kind, const qc_filter *f)
{
    if (out) *out = NULL;
    if (!out || !s) return qc__error(QC_EINVAL, "qc_iter_new: NULL argument");
    *out = NULL;
    if (!qc__kind_get(kind)) return qc__error(QC_EINVAL, "qc_iter_new: invalid kind %d", (int)kind);
    int rc = qc__filter_check(kind, f);
    if (rc < 0) return rc;
    qc_filter *scoped = NULL;
    bool empty = false;
    if (s->scope && !s->scope_lifted && (rc = qc__scope_filter(s, kind, f, &scoped, &empty)) < 0) return rc;
    if (scoped) f = scoped;
    qc_iter *it = calloc(1, sizeof *it);
    if (!it) {
        qc_filter_free(scoped);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    it->store = s;
    it->empty = empty;
    it->scope_rows = s->scope && !s->scope_lifted && kind == QC_KIND_DUTY;
    bool sort_here = it->sorted_here = qc_filter_by_case(f) && !qc__be_orders_by_case(s) &&
                     (kind == QC_KIND_PARTICIPATION || kind == QC_KIND_ACT || kind == QC_KIND_REVIEW);
    if ((rc = qc__filter_copy(&it->filter, f)) == QC_OK && sort_here)
        it->filter->by_case = false; /* a version-1 backend does not know it: ask for what it knows */
    qc_filter_free(scoped); /* copied into it->filter */
    if (rc < 0 || (rc = qc_record_new(&it->record, kind)) < 0 || (rc = qc__be_resolve_office(s, it->filter)) < 0 ||
        (!empty && (rc = qc__be_iter_open(s, &it->cursor, kind, it->filter)) < 0) || (sort_here && (rc = read_sorted(it, kind)) < 0)) {
        qc_iter_free(it);
        return rc;
    }
    *out = it;
    return QC_OK;
}

QC_EXTERN int qc_iter_next(const qc_record **out, qc_iter *it)
{
    if (!out || !it) return qc__error(QC_EINVAL, "qc_iter_next: NULL argument");
    *out = NULL;
    if (it->empty) return QC_ITEROVER;
    if (it->sorted_here) {
        if (it->next >= it->nsorted) return QC_ITEROVER;
        *out = it->sorted[it->next++];
        return QC_OK;
    }
    int rc;
    while ((rc = qc__be_iter_next(it->store, it->cursor, it->record)) == QC_OK) {
        if (it->scope_rows) {
            bool visible;
            if ((rc = qc__scope_visible(it->store, it->record, &visible)) < 0) return rc;
            if (!visible) continue;
        }
        if (!it->history_kind) break;
        const char *kind = qc__record_str(it->record, QC_REVISION_KIND, NULL);
        const char *id = qc__record_str(it->record, QC_REVISION_RECORD, NULL);
        if (kind && id && !strcmp(kind, it->history_kind) && !strcmp(id, it->history_id)) break;
    }
    if (rc == QC_OK) *out = it->record;
    return rc;
}

int qc__iter_new_history(qc_iter **out, qc_store *s, const char *kind, const char *id)
{
    /* in a scope: the history of a record inside it (the journal read
     * past the scope for that record's entries alone) */
    if (s->scope) {
        qc_kind k = qc_kind_lookup(kind);
        qc_record *r;
        int rc = k ? qc_record_new(&r, k) : qc__error(QC_EUNKNOWN, "no kind named '%s'", kind);
        if (rc < 0) return rc;
        rc = qc__be_get(s, k, id, r);
        qc_record_free(r);
        if (rc == QC_ENOTFOUND)
            return qc__error(QC_EDENIED, "%s %s is not inside this store's scope (%s): its history is not shown",
                             kind, id, s->scope);
        if (rc < 0) return rc;
    }
    s->scope_lifted = true;
    int rc = qc_iter_new(out, s, QC_KIND_REVISION, NULL);
    s->scope_lifted = false;
    if (rc < 0) return rc;
    if (!((*out)->history_kind = strdup(kind)) || !((*out)->history_id = strdup(id))) {
        qc_iter_free(*out);
        *out = NULL;
        return qc__error(QC_ENOMEM, "out of memory");
    }
    return QC_OK;
}

QC_EXTERN void qc_iter_free(qc_iter *it)
{
    if (!it) return;
    qc__be_iter_close(it->store, it->cursor);
    for (size_t i = 0; i < it->nsorted; i++) qc_record_free(it->sorted[i]);
    free(it->sorted);
    qc_filter_free(it->filter);
    qc_record_free(it->record);
    free(it->history_kind);
    free(it->history_id);
    free(it);
}
