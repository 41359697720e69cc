/* SPDX-License-Identifier: MIT
 * internal.h - declarations shared by the library's source files.
 *
 * Nothing here is exported: internal non-static helpers carry the qc__
 * prefix and hidden visibility (the whole library is built with
 * -fvisibility=hidden; only QC_EXTERN functions are public).
 */
#ifndef QC_INTERNAL_H
#define QC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>

#include "quotacase.h"
#include "quotacase/backend.h"

#if defined(__GNUC__)
#  define QC__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define QC__PRINTF(f, a)
#endif

#define QC__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Limits on imported and stored values (docs/import.md). */
#define QC_MAX_ID_BYTES 128
#define QC_MAX_TEXT_BYTES 4096
#define QC_MAX_FIELDS 14
#define QC_MAX_FACTS 256

/* ---- errors (error.c) ---- */

/* Set the calling thread's last error and return code, unchanged. */
int qc__error(int code, const char *fmt, ...) QC__PRINTF(2, 3);
int qc__verror(int code, const char *fmt, va_list ap) QC__PRINTF(2, 0);
/* Replace the thread's list of detail messages (n may be 0). */
void qc__error_details_set(const char *const *messages, int n);
/* Prefix the current message with "prefix: " (for adding file:line). */
void qc__error_prefix(const char *fmt, ...) QC__PRINTF(1, 2);
/* For index accessors (qc_x_thing(handle, i)): true if handle is not NULL
 * and 0 <= i < n; else sets QC_EINVAL naming fn and returns false, so a
 * caller can tell a bad index from a real 0 or NULL (docs/api.md). */
bool qc__index_error(const void *handle, int i, int n, const char *fn); /* sets it; false */
static inline bool qc__index_ok(const void *handle, int i, int n, const char *fn)
{
    return (handle && i >= 0 && i < n) || qc__index_error(handle, i, n, fn); /* every read of a field: inline */
}
/* Hold the current failure across cleanup that may fail in its turn (a
 * rollback after a failed commit), so the first cause is what is reported. */
typedef struct qc__saved_error {
    int code;
    char message[1024];
} qc__saved_error;
int qc__error_keep(qc__saved_error *saved);
int qc__error_restore(const qc__saved_error *saved);

/* ---- text (text.c) ---- */

/* Length of the valid UTF-8 prefix of s[0..n); == n when all valid. */
size_t qc__utf8_valid_prefix(const char *s, size_t n);
/* A token is [A-Za-z0-9_.-]+: ids of vocabularies (roles, act kinds). */
bool qc__is_token(const char *s);
bool qc__is_identifier(const char *s);

/* ---- dates (dates.c) ---- */

/* True if days is within the years the library accepts (1900-2999). */
bool qc__date_in_range(int64_t days);
/* The day (since 1970-01-01) of a time in seconds, flooring times before 1970 too. */
static inline int64_t qc__day_of(int64_t seconds) { return seconds / 86400 - (seconds % 86400 < 0); }
/* The period n periods before [from, to] (days, inclusive): the same
 * number of calendar months before when it is whole months (2024 -> 2023,
 * 2024-Q1 -> 2023-Q4, leap years or not), else the same number of days. */
void qc__period_before(int64_t from, int64_t to, int n, int64_t *before_from, int64_t *before_to);

/* day plus n calendar months, as procedure counts them: the same day of
 * the month, the target month's last day when it has no such day or when
 * day is the last of its month (01-31 + 1 month = 02-28; 02-28 of a
 * common year + 1 month = 03-31). */
int64_t qc__add_months(int64_t day, int months);
/* The year a day falls in. */
int qc__year_of(int64_t day);
/* Day of the week: 0 Sunday ... 6 Saturday. */
int qc__weekday(int64_t day);

/* ---- numbers whatever the locale (numbers.c) ---- */

/* strtod in the C locale: "0.3" is three tenths under any setlocale(). */
double qc__strtod(const char *s, char **end);
/* snprintf with the C locale's decimal point. */
int qc__snprintf_c(char *buf, size_t size, const char *fmt, ...) QC__PRINTF(3, 4);
int qc__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap) QC__PRINTF(3, 0);
/* For a writer of many numbers: this thread in the C locale from begin to
 * end (the program's locale back after). */
typedef struct qc__numbers { locale_t old; } qc__numbers;
qc__numbers qc__numbers_begin(void);
void qc__numbers_end(qc__numbers saved);

/* Write s as a JSON string literal, or as one RFC 4180 CSV field (text.c). */
void qc__json_string(FILE *f, const char *s);
void qc__csv_field(FILE *f, const char *s);
/* Write s as HTML text: < > & " escaped (text.c). */
void qc__html_string(FILE *f, const char *s);

/* ---- schema (schema.c) ---- */

enum {
    QC__F_REQUIRED = 1,  /* must be set to store the record */
    QC__F_TOKEN = 2,     /* text restricted to qc__is_token */
    QC__F_ID = 4,        /* the record's id; unique */
    QC__F_OPTIONAL_ID = 8 /* id may be empty (acts, participations, reviews) */
};

typedef struct qc__field_def {
    const char *name;
    qc_type type;
    unsigned flags;
    qc_kind ref;                  /* referenced kind or QC_KIND_NONE */
    const char *const *enum_names; /* for QC_TYPE_ENUM: index 1.. = value */
} qc__field_def;

typedef struct qc__kind_def {
    const char *name;    /* "office" */
    const char *plural;  /* "offices" */
    const qc__field_def *fields;
    int nfields;
    bool has_facts;
    bool journal; /* revisions: written by the store only, and two alike are two */
} qc__kind_def;

const qc__kind_def *qc__kind_get(qc_kind kind);
/* A kind whose field 1 is its case, filtered by office, line and case
 * through it (participations, acts, reviews, classifications,
 * designations). */
bool qc__kind_via_case(qc_kind kind);
/* A kind qc_filter_set_by_case orders by case: participations, acts,
 * reviews and steps. */
bool qc__kind_ordered_by_case(qc_kind kind);
/* Every kind of record but the history, for loops over "every record". */
#define QC__FOR_EACH_RECORD_KIND(k) \
    for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) if (k != QC_KIND_REVISION)
/* Parse an enum value by name (with aliases); returns 0 if unknown. */
int64_t qc__enum_parse(qc_kind kind, int field, const char *text);
const char *qc__enum_name(qc_kind kind, int field, int64_t value);
/* A fact type's name ("int"; "" for none) and the type of a name
 * (QC_TYPE_NULL if none): text, int, decimal, bool, date. */
const char *qc__fact_type_name(qc_type type);
qc_type qc__fact_type_named(const char *name);

/* ---- records (record.c) ---- */

typedef struct qc__value {
    union {
        int64_t i;   /* INT, BOOL, DATE, DATETIME, ENUM */
        double d;    /* DECIMAL (facts only) */
    };
    uint32_t off;    /* offset into the record's arena of the text, or of the */
    uint32_t len;    /* text form of a typed value (written when it is set) */
    uint8_t set;
} qc__value;

typedef struct qc__fact {
    uint32_t name_off;
    qc_type type;
    qc__value v;
} qc__fact;

struct qc_record {
    qc_kind kind;
    const qc__kind_def *def;
    qc__value fields[QC_MAX_FIELDS];
    qc__fact *facts;
    int nfacts, facts_cap;
    char *arena;           /* text of fields and facts, NUL-terminated each */
    uint32_t arena_len, arena_cap;
    /* A packed record (qc__record_pack) holds its facts and arena in its
     * own allocation; the first write gives it heap copies of its own. */
    bool facts_owned, arena_owned;
};

/* Text of a TEXT field or NULL; length in *len if not NULL.  Fast path for
 * backends inside the library. */
const char *qc__record_str(const qc_record *r, int field, size_t *len);
/* Where a and b (of one kind) first differ: -1 nowhere; a field's index;
 * or QC_MAX_FIELDS for a fact, with *fact its index in a (>= 0), or
 * -2 - its index in b for a fact only b has.  Unset and empty text are the
 * same; values compare in their text form. */
int qc__record_difference(const qc_record *a, const qc_record *b, int *fact);
/* Set a TEXT field from n bytes, validating UTF-8, length and token rules. */
int qc__record_set_strn(qc_record *r, int field, const char *s, size_t n);
/* Append a fact that was validated when stored (backends reading their
 * own data back): no name check, no lookup; value is a TEXT fact's text. */
int qc__record_add_fact_trusted(qc_record *r, const char *name, size_t name_len, qc_type type, int64_t i, double d,
                                const char *value, size_t value_len);
/* Set a TEXT field from n bytes that were validated when stored (backends
 * reading their own data back). */
int qc__record_set_trusted(qc_record *r, int field, const char *s, size_t n);
/* Set a typed field's value without its text form, for a reader that asked
 * for values only (qc_filter.values_only): qc_record_int reads it,
 * qc_record_text gives NULL.  Such a record never reaches a caller. */
enum { QC__VALUE_ONLY = 2 }; /* qc__value.set of such a field */
void qc__record_set_value_only(qc_record *r, int field, int64_t value);
/* Set an INT, BOOL, ENUM, DATE or DATETIME field from a backend's stored
 * integer: through qc_record_set_int, or for a values-only reader as a
 * value only, checked as far as reading it as a value needs. */
int qc__record_set_stored_int(qc_record *r, int field, int64_t v, bool values_only);
/* Check required fields and cross-field rules (closed >= registered). */
int qc__record_validate(const qc_record *r);
int qc__record_copy_into(qc_record *dst, const qc_record *src);
/* A copy of src in one block of qc__record_packed_size(src) bytes at mem
 * (aligned for a pointer), for backends that keep many records in memory.
 * The copy must not be freed with qc_record_free, nor written to. */
size_t qc__record_packed_size(const qc_record *src);
qc_record *qc__record_pack_into(void *mem, const qc_record *src);

/* ---- filters (filter.c) ---- */

struct qc_filter {
    char *office, *person, *case_id, *line;
    /* the office criterion: the store's choice (qc_store_set_office_subtree)
     * until set; a backend only ever sees ALONE or SUBTREE */
    enum { QC__OFFICE_STORE, QC__OFFICE_ALONE, QC__OFFICE_SUBTREE } office_scope;
    bool has_dates, unordered, by_case;
    uint32_t fields; /* 0: all */
    int64_t from, to;
    /* The library's own readers (an assessment's feed) read the typed
     * fields of what they ask for as values only (qc_record_int): a
     * backend of the library's may leave out their text form (set == 2,
     * qc_record_text NULL).  Never set on a filter a caller sees. */
    bool values_only;
};
int qc__filter_copy(qc_filter **out, const qc_filter *src);
int qc__filter_check(qc_kind kind, const qc_filter *f);

/* ---- SQL text (sqltext.c), for the SQL backends ---- */

/* SQL text built piece by piece, growing as it needs: a statement is
 * never cut short.  After a failed append (out of memory) every append
 * does nothing and qc__sql_done() reports it. */
typedef struct qc__sqlbuf {
    char *s;
    size_t len, cap;
    bool failed;
} qc__sqlbuf;
void qc__sql_append(qc__sqlbuf *b, const char *fmt, ...) QC__PRINTF(2, 3);
/* The text, or NULL (and the error set) if building it failed. */
const char *qc__sql_done(qc__sqlbuf *b);
void qc__sql_free(qc__sqlbuf *b);
/* "t.\"id\", t.\"name\", ..." for a kind's fields in order; a field not
 * in mask (0: all) reads as NULL, so column numbers stay field numbers. */
void qc__sql_columns(qc__sqlbuf *b, qc_kind kind, const char *prefix, uint32_t mask);

/* ---- stores (store.c) ---- */

/* A growing NUL-terminated text (history.c). */
typedef struct qc__textbuf {
    char *p;
    size_t len, cap;
    bool failed; /* out of memory */
} qc__textbuf;
/* Append n bytes (canonical.c); after a failure nothing more is added. */
void qc__text_append(qc__textbuf *b, const char *s, size_t n);
void qc__text_free(qc__textbuf *b);

/* The journal's state in a store handle (journal.c).  The head is read
 * again at the first entry of every transaction (another handle may have
 * written since), so that it is never stale and a rollback leaves nothing
 * to undo: it is current while read_in_txn is the store's txn_serial. */
typedef struct qc__journal {
    struct evp_md_st *md;             /* the store's hash, fetched; NULL until known */
    struct evp_md_ctx_st *ctx;        /* to hash with */
    char algorithm[8];                /* its name: "sha256" or "sm3" */
    char wanted[8];                   /* qc_store_set_hash, for a journal not begun */
    uint64_t read_in_txn;             /* the transaction (txn_serial) the head was read in */
    bool begun;                       /* the chain has begun (a hashed begin entry) */
    int64_t seq;                      /* the last entry's sequence number, 0 if none */
    unsigned char head[64];           /* the last entry's hash */
    unsigned head_len;
    qc__textbuf text;                 /* the entry being hashed */
} qc__journal;

struct qc_store {
    const qc_backend *backend;
    qc_backend_conn *conn;
    bool in_txn;
    uint64_t txn_serial;               /* transactions begun through this handle */
    qc_progress_fn progress;
    void *progress_data;
    int threads; /* qc_store_set_threads; 0: one per CPU */
    bool office_subtree; /* qc_store_set_office_subtree: an office criterion takes the offices under it too */
    char *scope;                 /* qc_store_set_scope: this office and those under it; NULL: all (scope.c) */
    bool scope_lifted;           /* inside the library's own reads of what a scope never hides */
    qc_offices *scope_offices;   /* the office tree the scope is checked against */
    qc_record *scope_scratch;    /* a case or person read to find a record's office */
    int64_t clock_now;   /* qc_store_set_clock; 0: the system clock */
    int64_t future_skew; /* how far past now an act may be dated */
    qc_record *scratch[QC_KIND_COUNT]; /* records read to check a write against (store_check.c) */
    int64_t import_unchanged;          /* qc_store_import_unchanged */
    int64_t import_updated;            /* qc_store_import_updated */
    bool import_update;                /* qc_store_set_import_update */
    char *import_encoding;             /* qc_store_set_import_encoding; NULL: UTF-8 */
    bool as_of;                        /* qc_store_open_as_of: read-only */
    char *actor;                       /* qc_store_set_actor; NULL: the login name, when first needed */
    qc_record *revision;               /* the revision being written (history.c) */
    qc__textbuf encoded;               /* canonical text being written (history.c) */
    qc__journal journal;               /* the hash chain's head (journal.c) */
    /* entries chained but not yet written: a bulk import's, written with
     * its records by one put_many (qc__journal_hold / qc__journal_flush) */
    bool journal_holding;
    qc_record **journal_held;
    int nheld, held_cap;
    struct qc__ref_cache *refs;        /* what this transaction checked exists (store.c) */
};

struct qc__ref_cache;

/* Bulk imports (sink.c): while held, journal entries are chained as
 * usual but kept, to be written by one put_many (qc__journal_flush);
 * hold(false) drops what was not flushed. */
void qc__journal_hold(qc_store *s, bool on);
int qc__journal_flush(qc_store *s);

/* Outputs (text.c): a path, "-" for stdout, written to a temporary file
 * beside it and renamed into place only if rc (what writing it returned)
 * is QC_OK and the writes succeeded (a path that is not a regular file -
 * /dev/null, a pipe, a symbolic link - is written in place); or a memory
 * buffer (open_memstream) freed on failure. */
typedef struct qc__output {
    FILE *f;
    const char *path;
    char *tmp;
} qc__output;
int qc__open_output(const char *path, qc__output *out);
/* "sha256:HEX" of texts (each as its length in decimal, a newline and its
 * bytes, so that no two lists run together the same) (rules_load.c). */
#define QC__SHA256_TEXT_BYTES 72
int qc__sha256_texts(char out[QC__SHA256_TEXT_BYTES], const char *const *parts, int n);
int qc__close_output(qc__output *out, int rc);
int qc__close_buffer(FILE *f, char **out, size_t *size, int rc);

/* ---- office scopes (scope.c) ---- */

/* Whether r, read from s, is inside s's scope (always without one). */
int qc__scope_visible(qc_store *s, const qc_record *r, bool *visible);
/* QC_OK if s may write r, else QC_EDENIED with a message. */
int qc__scope_check_write(qc_store *s, const qc_record *r);
/* The filter an iteration or count of kind on s runs with: *out a copy of
 * f narrowed to the scope (NULL: f as it is), or *empty when f asks for
 * nothing inside it.  QC_EDENIED for the journal. */
int qc__scope_filter(qc_store *s, qc_kind kind, const qc_filter *f, qc_filter **out, bool *empty);
int qc__scope_copy(qc_store *dst, const qc_store *src);
void qc__scope_free(qc_store *s);

/* Now, in seconds since 1970 UTC: the store's clock. */
int64_t qc__store_now(const qc_store *s);
/* What r must agree with in the store beyond its references (store_check.c);
 * *bad_field is the field a failure is about. */
int qc__store_check_consistency(qc_store *s, const qc_record *r, struct qc__ref_cache *cache, int *bad_field);
/* r was refused as stored already (QC_EEXIST): QC_OK if what is stored is
 * the same, else QC_EEXIST naming the first difference (*bad_field). */
int qc__store_same_as_stored(qc_store *s, const qc_record *r, int *bad_field);
/* The same for a stored record read already: QC_OK or QC_EEXIST naming
 * the first difference. */
int qc__record_same(const qc_record *r, const qc_record *stored, int *bad_field);
/* Read the stored record with r's id (into a scratch record of the
 * store's, valid until the next read): QC_ENOTFOUND if none. */
int qc__store_read_stored(qc_store *s, const qc_record *r, const qc_record **out);

/* Check r, put it and write its insert revision; the caller holds a
 * transaction.  *bad_field is the field a failed check is about; a put
 * refused as stored already is QC_EEXIST. */
int qc__store_put_checked(qc_store *s, const qc_record *r, struct qc__ref_cache *cache, int *bad_field);
/* The revision of one write (history.c): op on now (NULL for a
 * withdrawal), which was prior (NULL for an insert).  Nothing with a
 * backend older than version 4. */
int qc__history_write(qc_store *s, qc_revision_op op, const qc_record *now, const qc_record *prior,
                      const char *reason);
void qc__history_free(qc_store *s);
/* On opening: a store with records and no history (one of an older
 * schema) gets an insert revision per record, recorded at 0. */
int qc__history_begin(qc_store *s);
/* An insert revision recorded at 0 for every record s holds, inside the
 * caller's transaction (a store of an older schema). */
int qc__history_backfill(qc_store *s);

/* Append rev (a revision history.c filled in) to the journal: its seq and
 * hash are set here, the journal begun first if it has not. */
int qc__journal_append(qc_store *s, qc_record *rev);
/* *mark_seq: the seq of the unhashed begin entry a migration to schema 6
 * left as the last entry (the store is to be sealed), else 0. */
int qc__journal_mark(qc_store *s, int64_t *mark_seq);
/* Begin the journal if it has not begun: the entry that begins it, hashed
 * over every entry before it.  Inside the caller's transaction. */
int qc__journal_begin(qc_store *s);
void qc__journal_free(qc_store *s);
/* Canonical text of r into b (history.c). */
int qc__record_encode_into(const qc_record *r, qc__textbuf *b);
/* The same without field skip (a journal entry without its hash). */
int qc__record_encode_except(const qc_record *r, int skip, qc__textbuf *b);
/* The line a report or dossier prints to say what it was computed on:
 * the store's head and the rules' hash (report.c). */
void qc__provenance(char *buf, size_t size, const qc_assessment *a, bool chinese);
/* Run step inside the caller's transaction, or one of its own. */
int qc__in_transaction(qc_store *s, int (*step)(qc_store *, void *), void *arg);
/* Amend inside the caller's transaction (an import with --update). */
int qc__store_amend_here(qc_store *s, const qc_record *r, const char *reason);
/* Iterate the revisions of kind's record id, in the order written. */
int qc__iter_new_history(qc_iter **out, qc_store *s, const char *kind, const char *id);
/* Open n stores reading s's data in parallel on one snapshot (the
 * backend's open_readers); QC_EUNSUPPORTED if the backend cannot.  Free
 * each with qc_store_free. */
int qc__store_open_readers(qc_store *s, int n, qc_store **out);
/* Sort participations, acts or reviews by case id, keeping the order of
 * each case's (a stable sort). */
int qc__sort_by_case(qc_record **rows, size_t n);
/* How many threads a whole-store job on s may use (>= 1). */
int qc__store_threads(const qc_store *s);

/* Thin wrappers over the backend slots: version and NULL checks live here
 * and only here (backend_call.c). */
int qc__be_begin(qc_store *s);
int qc__be_commit(qc_store *s);
int qc__be_rollback(qc_store *s);
int qc__be_put(qc_store *s, const qc_record *r);
/* Version 4: the history (QC_KIND_REVISION) and the slots that change
 * records; QC_EUNSUPPORTED from an older backend. */
bool qc__be_keeps_history(const qc_store *s);
/* Whether the store's backend version stores kind at all. */
bool qc__be_knows_kind(const qc_store *s, qc_kind kind);
/* A backend of version 5 or later: revisions are a hash-chained journal. */
bool qc__be_keeps_journal(const qc_store *s);
/* The revision written last into out; QC_ITEROVER if none. */
int qc__be_journal_last(qc_store *s, qc_record *out);
int qc__be_replace(qc_store *s, const qc_record *r);
int qc__be_remove(qc_store *s, const qc_record *r);
int qc__be_exists(qc_store *s, qc_kind kind, const char *id);
int qc__be_get(qc_store *s, qc_kind kind, const char *id, qc_record *out);
int qc__be_count(qc_store *s, qc_kind kind, const qc_filter *f, int64_t *out);
int qc__be_schema_version(qc_store *s, int *out);
bool qc__be_orders_by_case(const qc_store *s);
bool qc__be_writes_while_iterating(const qc_store *s);
int qc__be_open_readers(qc_store *s, int n, qc_backend_conn **out);
/* Version 8's bulk write (backend.h); only when qc__be_can_put_many. */
bool qc__be_can_put_many(const qc_store *s);
int qc__be_put_many(qc_store *s, const qc_record *const *records, int n, unsigned char *inserted);
/* Settle f's office criterion (owned by the caller) to the office alone
 * or its subtree, as s and f ask and s's backend can; before iter_open. */
int qc__be_resolve_office(qc_store *s, qc_filter *f);
int qc__be_iter_open(qc_store *s, qc_backend_cursor **out, qc_kind kind, const qc_filter *f);
int qc__be_iter_next(qc_store *s, qc_backend_cursor *c, qc_record *out);
void qc__be_iter_close(qc_store *s, qc_backend_cursor *c);

/* Validate r and check its references, remembering the last reference
 * checked per field in cache (may be NULL) to skip repeats. */
typedef struct qc__ref_cache {
    char last[QC_KIND_COUNT][QC_MAX_FIELDS][QC_MAX_ID_BYTES + 1];
    /* the last case an act was checked against, and the last department */
    char case_id[QC_MAX_ID_BYTES + 1];
    int64_t case_registered, case_closed;
    char dept_id[QC_MAX_ID_BYTES + 1], dept_office[QC_MAX_ID_BYTES + 1];
} qc__ref_cache;
int qc__store_check(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field);
/* The same but for the references, which a put_many backend's server
 * checks for the lot (backend.h): what a bulk import asks of each record. */
int qc__store_check_deferred(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field);
/* The store's cache of what the open transaction checked exists and the
 * case dates it read, for the puts of one transaction; NULL if out of
 * memory (the checks then read the store).  Forgotten when a transaction
 * begins or ends and when a record is amended or withdrawn: only a put
 * keeps everything it saw true. */
qc__ref_cache *qc__store_refs(qc_store *s);
void qc__store_forget_refs(qc_store *s);
/* Roll back the store's open transaction after a failure, keeping that
 * failure as the thread's error; returns its code. */
int qc__store_abort(qc_store *s);
/* The store as it was after its first `entries` journal entries: a
 * read-only memory store replayed from the history (history.c), as
 * qc_store_open_as_of gives one. */
int qc__store_open_at_entry(qc_store **out, qc_store *s, int64_t entries);

/* ---- input (input.c): checked bytes of import and rule files ---- */

/* Rule files are read whole; this bounds what one can cost. */
#define QC_MAX_RULE_FILE_BYTES (16u << 20)

typedef struct qc__input {
    const char *name;           /* for messages */
    FILE *file;                 /* a regular file, or ... */
    const char *mem;            /* ... memory */
    size_t mem_size, mem_pos;
    int64_t size;               /* of the file when opened */
    bool yaml;                  /* refuse control characters too */
    char carry[4];              /* the start of a character cut by a chunk's end */
    size_t ncarry;
    long line, col;             /* of the next byte to check, 1-based */
    int64_t offset;             /* bytes handed out */
    bool eof;
    int failed;                 /* the error it reported; reads fail with it again */
    char problem[160];          /* what it was, without the place */
    /* a file in another encoding (GBK, GB18030), converted to UTF-8 as it
     * is read; line and column count the converted characters, which are
     * the file's characters too */
    void *conv;                 /* an iconv_t; NULL: the file is UTF-8 */
    const char *encoding;       /* its name, for messages */
    char raw[8];                /* the start of a character cut by a chunk's end */
    size_t nraw;
} qc__input;

void qc__input_memory(qc__input *in, const char *name, const char *data, size_t size, bool yaml);
/* Open a regular file (anything else is refused with QC_EIO). */
int qc__input_open(qc__input *in, const char *path, bool yaml);
void qc__input_close(qc__input *in);
/* Read the input as encoding (iconv's name: "GBK", "GB18030"; NULL or
 * "UTF-8": as it is); QC_EVALUE for an encoding iconv does not know. */
int qc__input_set_encoding(qc__input *in, const char *encoding);
/* Whether iconv can convert from encoding ("UTF-8" and NULL: yes). */
bool qc__encoding_known(const char *encoding);
int qc__input_rewind(qc__input *in);
/* Up to cap (>= 4) checked bytes into buf, whole characters only; *got
 * is 0 at the end.  A failure sets the error with file:line:col. */
int qc__input_read(qc__input *in, char *buf, size_t cap, size_t *got);
/* A whole regular file of at most max bytes, NUL-terminated (what: "a
 * rule file", for the message); free *out. */
int qc__read_file(const char *path, size_t max, const char *what, char **out, size_t *size);

/* ---- import (import.c, csv.c, yamldoc.c) ---- */

/* Where an imported value came from, for messages. */
typedef struct qc__loc {
    const char *file;
    long line, col;
} qc__loc;

/* The sink that parsers feed: one record at a time, with per-field
 * locations, into a store inside a transaction. */
typedef struct qc__import_sink {
    qc_store *store;
    const char *file;
    int64_t written;
    int64_t unchanged;  /* records stored already, the same: left as they are */
    int64_t updated;    /* records stored already with other values, amended (import --update) */
    int64_t total_bytes;
    qc__ref_cache *refs;
    int64_t position;   /* bytes of input read so far, kept by the parser */
    bool last_stored;   /* the last record with an id was stored already: read the next first */
    /* Records checked and waiting to be written together (a backend with
     * put_many): one kind at a time, each with where it stood. */
    struct qc__sink_batch {
        qc_record **records;
        qc__loc *at;           /* the record's place */
        qc__loc *field_at;     /* QC_MAX_FIELDS places per record */
        unsigned char *inserted;
        int n, cap;
    } batch;
} qc__import_sink;

int qc__sink_record(qc__import_sink *sink, const qc_record *r, const qc__loc *rec_loc,
                    const qc__loc *field_locs);
void qc__sink_progress(qc__import_sink *sink, int64_t done);
/* Write what the sink holds back (import.c, before the commit), and free
 * the sink's buffers (after it, or on failure). */
int qc__sink_flush(qc__import_sink *sink);
void qc__sink_free(qc__import_sink *sink);

/* The parsers read in from its start; they may rewind it. */
int qc__import_csv(qc__import_sink *sink, qc__input *in, qc_kind kind);
int qc__import_yaml(qc__import_sink *sink, qc__input *in);

/* ---- built-in backends ---- */
extern const qc_backend qc__backend_sqlite;
extern const qc_backend qc__backend_memory;
#ifdef HAVE_POSTGRESQL
extern const qc_backend qc__backend_postgresql;
#define QC__BUILT_IN_BACKENDS "sqlite, memory, postgresql"
#else
#define QC__BUILT_IN_BACKENDS "sqlite, memory"
#endif

#endif /* QC_INTERNAL_H */
