/* SPDX-License-Identifier: MIT
 * quotacase/backend.h - the storage backend interface, for implementers.
 *
 * After SQLite's VFS: a backend is a table of function pointers whose first
 * field is `version`.  Slots are only ever appended; the library checks
 * `version` before it calls a slot added after version 1, and a NULL
 * optional slot means "not supported" with the fallback documented beside
 * it.  Backends read and fill records through the public accessors of
 * quotacase.h (qc_record_text, qc_record_set_int, ...), so record layout is
 * never part of this contract.
 *
 * What the library does, so that a backend need not: validate records
 * (required fields, types, dates in order), check references before a put
 * (through `exists`), wrap imports and batches in begin/commit, and turn
 * a failed step into a rollback.  What a backend must do: store and return
 * every field and fact exactly, enforce unique ids (QC_EEXIST), and make
 * rollback undo every put since begin.
 *
 * Batches: the library validates and reference-checks each record of a
 * batch against the store and the records before it, so a backend sees a
 * batch as puts inside one transaction.  A bulk-write slot (COPY for a
 * networked database) is planned as a version-2 slot; see docs/backend.md.
 *
 * See docs/backend.md for a walk-through, and quotacase/conformance.h
 * (installed with libquotacase-conformance) for the test suite every
 * backend must pass: qc_conformance_suite().
 */
#ifndef QUOTACASE_BACKEND_H
#define QUOTACASE_BACKEND_H

#include "../quotacase.h"

#ifdef __cplusplus
extern "C" {
#endif

/* QC_FFI_BEGIN */

enum {
    QC_BACKEND_VERSION_1 = 1,
    /* Version 2: iter_open honours qc_filter_by_case() (for a version-1
     * backend the library reads such an iteration whole and sorts it in
     * memory), and the optional slot open_readers. */
    QC_BACKEND_VERSION_2 = 2,
    /* Version 3: app_data and the optional slot iter_by_case, which takes
     * over the by-case reading version 2 put into iter_open (from version
     * 3, iter_open never needs to look at qc_filter_by_case()); and the
     * promise that records of one kind may be put while an iteration over
     * another kind is open on the same connection. */
    QC_BACKEND_VERSION_3 = 3,
    /* Version 4: the slots replace and remove, with which records are
     * corrected and withdrawn (qc_store_amend, qc_store_withdraw); a
     * backend without them is a store whose records never change. */
    QC_BACKEND_VERSION_4 = 4,
    /* Version 5: revisions carry the journal's seq and hash (schema 6),
     * and the optional slot journal_last. */
    QC_BACKEND_VERSION_5 = 5,
    /* Version 6: procedural steps (QC_KIND_STEP, schema 7), which
     * iter_by_case orders by case like acts; duties (QC_KIND_DUTY) and
     * process-monitoring notices (QC_KIND_NOTICE). */
    QC_BACKEND_VERSION_6 = 6,
    /* Version 7: iter_open, iter_by_case and count honour
     * qc_filter_office_subtree(): the office criterion then covers the
     * office and every office under it (offices.parent, transitively).
     * For an older backend the library narrows such a filter to the office
     * alone when nothing is under it, and refuses it (QC_EUNSUPPORTED)
     * when something is. */
    QC_BACKEND_VERSION_7 = 7,
    /* Version 8: the optional slot put_many, bulk writes (COPY on a
     * server), which imports use. */
    QC_BACKEND_VERSION_8 = 8,
    /* Version 9: inspections, their selections and case assignments
     * (QC_KIND_INSPECTION, QC_KIND_SELECTION, QC_KIND_ASSIGNMENT, schema
     * 8), and a review's inspection (QC_REVIEW_INSPECTION).  An older
     * backend is never given a review that names an inspection. */
    QC_BACKEND_VERSION_9 = 9,
    QC_BACKEND_VERSION = 9      /* the newest version this header describes */
};

/* A backend's open connection.  Backends embed it as their first member
 * and the library passes it back to every slot. */
typedef struct qc_backend_conn {
    const struct qc_backend *backend;
} qc_backend_conn;

/* A backend's iteration cursor; embedded as first member likewise. */
typedef struct qc_backend_cursor {
    qc_backend_conn *conn;
} qc_backend_cursor;

typedef struct qc_backend {
    /* QC_BACKEND_VERSION_1 or later: which slots below exist. */
    int version;

    /* The URI scheme ("sqlite" for "sqlite:cases.db").  Static storage. */
    const char *name;

    /* ---- version 1: required slots ---- */

    /*
     * Open the store at location (the URI after "name:"), creating and
     * migrating it as needed.  On failure return a QC_E* code with the
     * message set through qc_backend_error().
     */
    int (*open)(qc_backend_conn **out, const struct qc_backend *backend, const char *location);

    /* Close; roll back an open transaction; free everything.  */
    void (*close)(qc_backend_conn *conn);

    /* Transactions: not nested; the library never calls begin twice. */
    int (*begin)(qc_backend_conn *conn);
    int (*commit)(qc_backend_conn *conn);
    int (*rollback)(qc_backend_conn *conn);

    /* Insert one validated record; QC_EEXIST if its non-empty id is taken,
     * or (schema version 4) if it has no id and a record without an id
     * with every field the same (empty text the same as none) is stored:
     * such a participation, act or review is all it says. */
    int (*put)(qc_backend_conn *conn, const qc_record *record);

    /* Fill out (a cleared record of that kind) with the record whose id is
     * id; QC_ENOTFOUND if none. */
    int (*get)(qc_backend_conn *conn, qc_kind kind, const char *id, qc_record *out);

    /* Start an iteration over kind, in id order (acts, participations and
     * reviews without ids: insertion order), honouring every criterion of
     * filter (which may be NULL).  qc_filter_unordered() and
     * qc_filter_fields() are hints a backend may ignore.  (A version-2
     * backend also honours qc_filter_by_case() here; from version 3 that
     * is iter_by_case's.) */
    int (*iter_open)(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind,
                     const qc_filter *filter);

    /* Fill out (cleared by the library) with the next record, or return
     * QC_ITEROVER. */
    int (*iter_next)(qc_backend_cursor *cursor, qc_record *out);

    void (*iter_close)(qc_backend_cursor *cursor);

    /* ---- version 1: optional slots (NULL = not supported) ---- */

    /* QC_OK if a record of kind with id exists, QC_ENOTFOUND if not.
     * Fallback: get into a scratch record. */
    int (*exists)(qc_backend_conn *conn, qc_kind kind, const char *id);

    /* Count records passing filter.  Fallback: iterate and count. */
    int (*count)(qc_backend_conn *conn, qc_kind kind, const qc_filter *filter, int64_t *out);

    /* The schema version of the stored data.  Fallback: the library's
     * QC_SCHEMA_VERSION (a backend without persistent data). */
    int (*schema_version)(qc_backend_conn *conn, int *out);

    /* ---- version 2: optional slots (NULL = not supported) ---- */

    /*
     * Open n more connections to the same store for reading in parallel,
     * every one seeing the same committed state (what conn would read now)
     * until it is closed: a long read split over threads must not see an
     * import half in one part and not in the other.  The library only
     * iterates through them, each from one thread at a time, and closes
     * them with close().  QC_EUNSUPPORTED where it cannot be done (an
     * in-memory database).  Fallback: one thread reads everything.
     */
    int (*open_readers)(qc_backend_conn *conn, int n, qc_backend_conn **out);

    /* ---- version 3 ---- */

    /* The backend author's own data (a backend written in Python or Lua
     * finds its state here through conn->backend); the library never
     * reads or writes it. */
    void *app_data;

    /* Optional: iterate participations, acts or reviews (the library asks
     * for no other kind) by case id in strcmp order, then in insertion
     * order, honouring every criterion of filter as iter_open does; the
     * cursor is read and closed through iter_next and iter_close.
     * Fallback: iter_open, and the library sorts the whole iteration in
     * memory. */
    int (*iter_by_case)(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *filter);

    /* ---- version 4: optional slots (NULL = records cannot change) ---- */

    /* Replace the stored record whose id is record's id (never empty) with
     * record, facts and all, keeping its place in insertion order;
     * QC_ENOTFOUND if there is none.  Called inside a transaction, after
     * the library validated record and checked its references. */
    int (*replace)(qc_backend_conn *conn, const qc_record *record);

    /* Remove the stored record record names: by its id, or for a record
     * without an id, the one stored without an id with every field the
     * same (as put's QC_EEXIST compares them).  QC_ENOTFOUND if there is
     * none.  Called inside a transaction; the library has kept the record
     * in the history (QC_KIND_REVISION) and checked that nothing refers
     * to it. */
    int (*remove)(qc_backend_conn *conn, const qc_record *record);

    /* ---- version 5: optional slot (NULL = the fallback) ---- */

    /* Read the revision written last (the highest QC_REVISION_SEQ; the
     * journal's head) into out; QC_ITEROVER if there is none.  Called at
     * the start of every transaction that writes, so it should be cheap.
     * Fallback: the library reads every revision. */
    int (*journal_last)(qc_backend_conn *conn, qc_record *out);

    /* ---- version 8: optional slot (NULL = one put per record) ---- */

    /*
     * Store n validated records of one kind, as n puts would in that
     * order, inside a transaction, and say for each whether it was stored
     * (inserted[i] = 1) or a record with its id - or, without an id, with
     * every field the same - is stored already, this call's earlier ones
     * included (inserted[i] = 0: put's QC_EEXIST, nothing written).  Any
     * other failure fails the call and writes nothing of it, leaving the
     * transaction usable.  The library leaves the references to the
     * backend: a record that refers to a record not stored fails the call
     * with QC_ENOREF (the library then finds whose it was); a record
     * never refers to another of the same call.  Journal entries
     * (QC_KIND_REVISION) come with sequence numbers no stored entry has.  For a server, one round trip
     * for the lot (PostgreSQL: COPY); the library sends up to a few
     * thousand at a time.
     */
    int (*put_many)(qc_backend_conn *conn, const qc_record *const *records, int n, unsigned char *inserted);
} qc_backend;

/* The schema version this library writes (see docs/backend.md). */
enum { QC_SCHEMA_VERSION = 8 };

/*
 * Register a backend so that qc_store_open() finds it by name.  The struct
 * must outlive every store opened through it.  Registering a name again
 * replaces the earlier entry.  Registration is the one piece of global state
 * in the library: it is guarded by a lock, but do it at start-up.  The
 * built-in "sqlite" and "memory" backends cannot be replaced.
 */
QC_EXTERN int qc_backend_register(const qc_backend *backend);

/* Remove a registered backend by name; QC_ENOTFOUND if unknown. */
QC_EXTERN int qc_backend_unregister(const char *name);

/* Open a store with a backend directly, without registering it. */
QC_EXTERN int qc_store_open_backend(qc_store **out, const qc_backend *backend, const char *location);

/* The built-in backends, e.g. to wrap or to test. */
QC_EXTERN const qc_backend *qc_backend_sqlite(void);
QC_EXTERN const qc_backend *qc_backend_memory(void);
/* The "postgresql:" backend (also "postgres:"), or NULL in a library
 * built without libpq (configure --without-postgresql). */
QC_EXTERN const qc_backend *qc_backend_postgresql(void);

/*
 * For backends: record a failure message (printf-style is not FFI-clean,
 * so the message is a plain string) and return code, so that a slot can
 * `return qc_backend_error(QC_EBACKEND, "sqlite: database is locked");`.
 */
QC_EXTERN int qc_backend_error(int code, const char *message);

/* QC_FFI_END */

#ifdef __cplusplus
}
#endif

#endif /* QUOTACASE_BACKEND_H */
