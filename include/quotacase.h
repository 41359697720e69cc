/* SPDX-License-Identifier: MIT
 * quotacase.h - the public API of libquotacase.
 *
 * libquotacase records the cases that leaders within the judicial quota of
 * Chinese procuratorates and courts handle, and (in later layers) checks
 * them against rules written in YAML.  This header is the contract.
 *
 * Conventions (see docs/api.md):
 *  - Every function that can fail returns int: QC_OK (0) or a negative QC_E*
 *    code.  Outputs come first, as pointer-to-pointer; a function that
 *    fails leaves NULL in such an output (unless the output pointer itself
 *    is NULL), so freeing it afterwards is always safe.
 *  - After a failure, qc_error_last() gives a one-line UTF-8 message for the
 *    calling thread ("cases.csv:14:9: case.registered: invalid date ...").
 *  - Handles are opaque.  Every qc_x_free() accepts NULL.
 *  - Strings are UTF-8 and NUL-terminated.  Dates are int64_t days since
 *    1970-01-01 (text form YYYY-MM-DD); times are int64_t seconds since
 *    1970-01-01T00:00:00 in the office's local time, which the library never
 *    converts (text form YYYY-MM-DDTHH:MM:SS).
 *  - Ownership is stated for every returned pointer.
 *  - Index accessors (qc_x_thing(handle, i)) given an index out of range or
 *    a NULL handle return 0, NULL or -1 and set QC_EINVAL as the thread's
 *    error: call qc_error_clear() first to tell that from a real 0 or NULL.
 *  - Each object's block ends with "Threads:", what may be shared.
 *
 * Everything between the QC_FFI_BEGIN and QC_FFI_END markers is plain C
 * declarations with no macros, includes or attributes, so that LuaJIT's
 * ffi.cdef and Python's cffi can read it as is.  The build extracts it into
 * quotacase_ffi.h and installs it.
 */
#ifndef QUOTACASE_H
#define QUOTACASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef QC_EXTERN
#  if defined(QC_BUILDING_LIBRARY) && defined(__GNUC__)
#    define QC_EXTERN __attribute__((visibility("default")))
#  else
#    define QC_EXTERN
#  endif
#endif

/* QC_FFI_BEGIN */

/* The version of this header.  Compare with qc_version() at run time. */
enum {
    QC_VERSION_MAJOR = 0,
    QC_VERSION_MINOR = 1,
    QC_VERSION_PATCH = 0
};

/*
 * Status codes.  QC_OK is 0; failures are negative and stable across
 * releases (new codes are only added).  qc_strerror() describes each one.
 */
typedef enum qc_status {
    QC_OK = 0,
    QC_ERROR = -1,        /* failure not covered below */
    QC_ENOMEM = -2,       /* out of memory */
    QC_EINVAL = -3,       /* invalid argument (NULL handle, bad field index) */
    QC_EIO = -4,          /* a file could not be opened, read or written */
    QC_ENOTFOUND = -5,    /* no record with that id */
    QC_EEXIST = -6,       /* duplicate id */
    QC_ENOREF = -7,       /* reference to an unknown record (act by unknown person) */
    QC_EDATE = -8,        /* invalid date or time */
    QC_ETYPE = -9,        /* value of the wrong type (text where a number is due) */
    QC_EUTF8 = -10,       /* invalid UTF-8 */
    QC_ETOOLONG = -11,    /* field longer than its limit */
    QC_EEMPTY = -12,      /* empty file or document */
    QC_ESYNTAX = -13,     /* malformed CSV, YAML or JSON */
    QC_EUNKNOWN = -14,    /* unknown column, field or kind */
    QC_EMISSING = -15,    /* required field missing or empty */
    QC_EVALUE = -16,      /* value outside its vocabulary (kind: tribunal) */
    QC_EBACKEND = -17,    /* the storage backend failed (disk full, locked, ...) */
    QC_EUNSUPPORTED = -18,/* the backend does not offer that operation */
    QC_ESCHEMA = -19,     /* store schema newer than this library, or corrupt */
    QC_ESTATE = -20,      /* call not valid now (commit without begin, ...) */
    QC_ECONST = -21,      /* a rule condition that always or never holds */
    QC_ERULES = -22,      /* a rule file with errors (see the messages) */
    QC_ETESTFAIL = -23,   /* a rule test ran and some expectations failed */
    QC_ETAMPERED = -24,   /* the journal's hash chain is broken, or the tables
                           * disagree with it (qc_store_verify) */
    QC_EDENIED = -25,     /* outside the store's office scope (qc_store_set_scope) */
    QC_ITEROVER = -30     /* an iterator has no more items: not a failure */
} qc_status;

/* The kinds of record a store holds. */
typedef enum qc_kind {
    QC_KIND_NONE = 0,
    QC_KIND_OFFICE = 1,        /* a court or procuratorate */
    QC_KIND_DEPARTMENT = 2,    /* a division of an office, in one business line */
    QC_KIND_PERSON = 3,        /* a person and the post they hold */
    QC_KIND_POST = 4,          /* a further post of a person (post changes) */
    QC_KIND_CASE = 5,          /* a registered case with typed facts */
    QC_KIND_PARTICIPATION = 6, /* a person's capacity on a case */
    QC_KIND_ACT = 7,           /* one recorded act on a case; append-only */
    QC_KIND_REVIEW = 8,        /* a case quality review grade */
    QC_KIND_CLASSIFICATION = 9,/* labels a rule set version gave a case */
    QC_KIND_REVISION = 10,     /* the store's history: one entry per write,
                                * written by the store and never put (see
                                * qc_store_amend and docs/data-model.md) */
    QC_KIND_DESIGNATION = 11,  /* a label given to a case by hand (人工认定) */
    QC_KIND_STEP = 12,         /* a procedural step (a node) of a case: intake,
                                * return for supplementary investigation, ... */
    QC_KIND_DUTY = 13,         /* a duty not attached to a case: a committee
                                * meeting, receiving a petitioner (workload credit) */
    QC_KIND_NOTICE = 14,       /* a process-monitoring notice (流程监控通知书) on a case */
    QC_KIND_INSPECTION = 15,   /* a quality review or inspection drawn from a plan (评查、督察) */
    QC_KIND_SELECTION = 16,    /* a case an inspection selected, and why */
    QC_KIND_ASSIGNMENT = 17,   /* how a case was assigned to its handler (分案) */
    QC_KIND_COUNT = 18         /* one past the last kind */
} qc_kind;

/* Value types of fields and case facts. */
typedef enum qc_type {
    QC_TYPE_NULL = 0,     /* not set */
    QC_TYPE_TEXT = 1,     /* UTF-8 string */
    QC_TYPE_INT = 2,      /* int64_t */
    QC_TYPE_DECIMAL = 3,  /* double */
    QC_TYPE_BOOL = 4,     /* 0 or 1 */
    QC_TYPE_DATE = 5,     /* int64_t days since 1970-01-01 */
    QC_TYPE_DATETIME = 6, /* int64_t seconds since 1970-01-01T00:00:00 */
    QC_TYPE_ENUM = 7      /* int64_t, one of the QC_<FIELD>_* values below */
} qc_type;

/*
 * Field indices, per kind.  Field 0 is always the id.  The names in
 * brackets are the column names used by import files and the tool.
 */
typedef enum qc_field {
    QC_FIELD_ID = 0,

    QC_OFFICE_ID = 0,          /* [id] text, required, unique */
    QC_OFFICE_NAME = 1,        /* [name] text, required */
    QC_OFFICE_KIND = 2,        /* [kind] enum qc_office_kind, required */
    QC_OFFICE_LEVEL = 3,       /* [level] enum qc_office_level, required */
    QC_OFFICE_PARENT = 4,      /* [parent] office id, optional */

    QC_DEPARTMENT_ID = 0,      /* [id] */
    QC_DEPARTMENT_OFFICE = 1,  /* [office] office id, required */
    QC_DEPARTMENT_NAME = 2,    /* [name] text, required */
    QC_DEPARTMENT_LINE = 3,    /* [line] business line token, required */

    QC_PERSON_ID = 0,          /* [id] */
    QC_PERSON_NAME = 1,        /* [name] text, required */
    QC_PERSON_OFFICE = 2,      /* [office] office id, required */
    QC_PERSON_DEPARTMENT = 3,  /* [department] department id, optional */
    QC_PERSON_ROLE = 4,        /* [role] role token, required */
    QC_PERSON_IN_QUOTA = 5,    /* [in_quota] bool, default false */
    QC_PERSON_VALID_FROM = 6,  /* [valid_from] date, optional */
    QC_PERSON_VALID_TO = 7,    /* [valid_to] date, optional, >= valid_from */

    QC_POST_ID = 0,            /* [id] */
    QC_POST_PERSON = 1,        /* [person] person id, required */
    QC_POST_OFFICE = 2,        /* [office] */
    QC_POST_DEPARTMENT = 3,    /* [department] */
    QC_POST_ROLE = 4,          /* [role] */
    QC_POST_IN_QUOTA = 5,      /* [in_quota] */
    QC_POST_VALID_FROM = 6,    /* [valid_from] date, required */
    QC_POST_VALID_TO = 7,      /* [valid_to] */

    QC_CASE_ID = 0,            /* [id] */
    QC_CASE_OFFICE = 1,        /* [office] office id, required */
    QC_CASE_DEPARTMENT = 2,    /* [department] department id, optional */
    QC_CASE_LINE = 3,          /* [line] business line token, required */
    QC_CASE_TYPE = 4,          /* [type] case type token, required */
    QC_CASE_REGISTERED = 5,    /* [registered] date, required */
    QC_CASE_CLOSED = 6,        /* [closed] date, optional, >= registered */
    QC_CASE_STAGE = 7,         /* [stage] token, optional */
    QC_CASE_SOURCE = 8,        /* [source] enum qc_case_source, default random */

    QC_PARTICIPATION_ID = 0,   /* [id] optional, unique when given */
    QC_PARTICIPATION_CASE = 1, /* [case] case id, required */
    QC_PARTICIPATION_PERSON = 2, /* [person] person id, required */
    QC_PARTICIPATION_CAPACITY = 3, /* [capacity] token: sole, lead, presiding, member, assistant, ... */

    QC_ACT_ID = 0,             /* [id] optional, unique when given */
    QC_ACT_CASE = 1,           /* [case] case id, required */
    QC_ACT_PERSON = 2,         /* [person] person id, required */
    QC_ACT_KIND = 3,           /* [kind] token: file_review, interrogation, ... */
    QC_ACT_TIME = 4,           /* [time] datetime, required */
    QC_ACT_NOTE = 5,           /* [note] text, optional */

    QC_REVIEW_ID = 0,          /* [id] optional, unique when given */
    QC_REVIEW_CASE = 1,        /* [case] case id, required */
    QC_REVIEW_GRADE = 2,       /* [grade] token, required */
    QC_REVIEW_SCHEME = 3,      /* [scheme] grade scheme token, required */
    QC_REVIEW_REVIEWER = 4,    /* [reviewer] text, optional */
    QC_REVIEW_DATE = 5,        /* [date] date, required */
    QC_REVIEW_INSPECTION = 6,  /* [inspection] the inspection it was made for, optional (backend version 9) */

    QC_CLASSIFICATION_ID = 0,      /* [id] CASE@RULES@VERSION, written by qc_classify_store */
    QC_CLASSIFICATION_CASE = 1,    /* [case] case id, required */
    QC_CLASSIFICATION_RULES = 2,   /* [rules] rule set name, required */
    QC_CLASSIFICATION_VERSION = 3, /* [version] rule set version, required */
    QC_CLASSIFICATION_PRIMARY = 4, /* [primary] the primary label, required */
    QC_CLASSIFICATION_LABELS = 5,  /* [labels] every label, space-separated, priority order */
    QC_CLASSIFICATION_MATCHED = 6, /* [matched] ids of the rules that matched, space-separated */
    QC_CLASSIFICATION_WEIGHT = 7,  /* [weight] decimal, required */
    QC_CLASSIFICATION_DATE = 8,    /* [date] date of the classification, required */
    QC_CLASSIFICATION_RULES_HASH = 9, /* [rules_hash] content hash of the rule set's text
                                       * (qc_result_rules_hash); unset: written before
                                       * schema 6, from a text no longer known */

    QC_REVISION_ID = 0,        /* [id] never set: revisions are in the order written */
    QC_REVISION_KIND = 1,      /* [kind] the kind of the record written ("case") */
    QC_REVISION_RECORD = 2,    /* [record] its id; unset for a record without one */
    QC_REVISION_OP = 3,        /* [op] enum qc_revision_op */
    QC_REVISION_BODY = 4,      /* [body] the record as inserted or amended, in canonical
                                * text (qc_record_encode); unset for a withdrawal */
    QC_REVISION_PRIOR = 5,     /* [prior] an amended or withdrawn record as it was before */
    QC_REVISION_ACTOR = 6,     /* [actor] who wrote it (qc_store_set_actor) */
    QC_REVISION_RECORDED = 7,  /* [recorded] datetime, the store's clock when written */
    QC_REVISION_REASON = 8,    /* [reason] why; required for amend and withdraw */
    QC_DESIGNATION_ID = 0,       /* [id] optional, unique when given */
    QC_DESIGNATION_CASE = 1,     /* [case] case id, required */
    QC_DESIGNATION_LABEL = 2,    /* [label] token: a label of the rules, required */
    QC_DESIGNATION_BY = 3,       /* [by] who designated (a chief, a committee), required */
    QC_DESIGNATION_DATE = 4,     /* [date] date of the designation, required */
    QC_DESIGNATION_REASON = 5,   /* [reason] why, required */
    QC_DESIGNATION_DECISION = 6, /* [decision] the decision it rests on (检委会决定 2017-12), optional */
    QC_STEP_ID = 0,            /* [id] optional, unique when given */
    QC_STEP_CASE = 1,          /* [case] case id, required */
    QC_STEP_KIND = 2,          /* [kind] token: a step kind the rules name (steps:), required */
    QC_STEP_DATE = 3,          /* [date] the day it happened, required */
    QC_STEP_PERSON = 4,        /* [person] who took it, optional */
    QC_STEP_NOTE = 5,          /* [note] optional */
    QC_DUTY_ID = 0,            /* [id] optional, unique when given */
    QC_DUTY_PERSON = 1,        /* [person] person id, required */
    QC_DUTY_KIND = 2,          /* [kind] token: a duty kind the rules weigh (committee_meeting), required */
    QC_DUTY_DATE = 3,          /* [date] required */
    QC_DUTY_COUNT = 4,         /* [count] how many (petitioners received that day), default 1 */
    QC_DUTY_NOTE = 5,          /* [note] optional */
    QC_NOTICE_ID = 0,          /* [id] required: an answer amends the notice by it */
    QC_NOTICE_CASE = 1,        /* [case] case id, required */
    QC_NOTICE_NODE = 2,        /* [node] token: the process node it concerns, optional */
    QC_NOTICE_LEVEL = 3,       /* [level] token: yellow, orange, red or violation, required */
    QC_NOTICE_ISSUED = 4,      /* [issued] date, required */
    QC_NOTICE_BY = 5,          /* [by] who issued it (the case management office), required */
    QC_NOTICE_REASON = 6,      /* [reason] what it is about, required */
    QC_NOTICE_ANSWERED = 7,    /* [answered] date of the handler's written answer; unset while open */
    QC_NOTICE_ANSWER = 8,      /* [answer] the answer: rectified, with a note */
    QC_INSPECTION_ID = 0,      /* [id] required */
    QC_INSPECTION_OFFICE = 1,  /* [office] the office whose subtree was drawn from, required */
    QC_INSPECTION_PLAN = 2,    /* [plan] the sampling plan's id, required */
    QC_INSPECTION_PLAN_HASH = 3, /* [plan_hash] "sha256:HEX" of the plan's text, required */
    QC_INSPECTION_FROM = 4,    /* [period_from] first day of the period drawn from, required */
    QC_INSPECTION_TO = 5,      /* [period_to] its last day, required */
    QC_INSPECTION_SEED = 6,    /* [seed] the draw's seed (any text), required */
    QC_INSPECTION_HEAD = 7,    /* [head] the store's journal head the draw read, required */
    QC_INSPECTION_ENTRIES = 8, /* [entries] the journal's entries then */
    QC_INSPECTION_RULES_HASH = 9, /* [rules_hash] the rules the triggers used, optional */
    QC_INSPECTION_CASES = 10,  /* [cases] how many cases were selected, required */
    QC_INSPECTION_LIST_HASH = 11, /* [list_hash] "sha256:HEX" of the list (docs/inspections.md), required */
    QC_INSPECTION_BY = 12,     /* [by] who drew it, required */
    QC_INSPECTION_DRAWN = 13,  /* [drawn] when, required */
    QC_SELECTION_ID = 0,       /* [id] optional, unique when given */
    QC_SELECTION_CASE = 1,     /* [case] the case selected, required */
    QC_SELECTION_INSPECTION = 2, /* [inspection] required */
    QC_SELECTION_STRATUM = 3,  /* [stratum] the stratum it was drawn in ("office=DL;line=criminal"), required */
    QC_SELECTION_REASON = 4,   /* [reason] "sample", or the triggers that selected it ("name_only,low_grade"), required */
    QC_ASSIGNMENT_ID = 0,      /* [id] optional, unique when given */
    QC_ASSIGNMENT_CASE = 1,    /* [case] required */
    QC_ASSIGNMENT_PERSON = 2,  /* [person] the handler assigned, required */
    QC_ASSIGNMENT_METHOD = 3,  /* [method] random, designated or suggested (qc_assign_method), required */
    QC_ASSIGNMENT_DATE = 4,    /* [date] required */
    QC_ASSIGNMENT_BY = 5,      /* [by] who assigned it, required */
    QC_ASSIGNMENT_REASON = 6,  /* [reason] why (required for a designated assignment) */
    QC_ASSIGNMENT_SEED = 7,    /* [seed] a random assignment's seed */
    QC_ASSIGNMENT_CANDIDATES = 8, /* [candidates] the inputs: "P1:1,P2:0.5" (eligible handlers and weights) */

    QC_REVISION_SEQ = 9,       /* [seq] the entry's place in the journal, from 1 */
    QC_REVISION_HASH = 10      /* [hash] hex hash chaining this entry to the one before
                                * (docs/data-model.md, "The journal") */
} qc_field;

/* Values of QC_OFFICE_KIND. */
typedef enum qc_office_kind {
    QC_OFFICE_COURT = 1,
    QC_OFFICE_PROCURATORATE = 2
} qc_office_kind;

/*
 * Values of QC_OFFICE_LEVEL.  Import also accepts the courts' words:
 * supreme = national, high = provincial, intermediate = city.
 */
typedef enum qc_office_level {
    QC_LEVEL_NATIONAL = 1,
    QC_LEVEL_PROVINCIAL = 2,
    QC_LEVEL_CITY = 3,
    QC_LEVEL_BASIC = 4
} qc_office_level;

/* Values of QC_CASE_SOURCE. */
typedef enum qc_case_source {
    QC_SOURCE_RANDOM = 1,      /* random assignment */
    QC_SOURCE_DESIGNATED = 2,  /* designated by the office */
    QC_SOURCE_ASSIGNED = 3,    /* assigned by a superior office (上级院交办) */
    QC_SOURCE_RAISED = 4       /* raised by this office (本院提办) */
} qc_case_source;

/* Values of QC_ASSIGNMENT_METHOD (docs/inspections.md, "Assignment"). */
typedef enum qc_assign_method {
    QC_ASSIGN_RANDOM = 1,      /* drawn among the eligible handlers (随机分案) */
    QC_ASSIGN_DESIGNATED = 2,  /* designated by someone, with a reason (指定分案) */
    QC_ASSIGN_SUGGESTED = 3    /* a leader chosen from the quota-aware suggestion */
} qc_assign_method;

/* What a revision did to its record. */
typedef enum qc_revision_op {
    QC_OP_INSERT = 1,          /* stored (a put or an import) */
    QC_OP_AMEND = 2,           /* corrected: prior is the version it replaced */
    QC_OP_WITHDRAW = 3,        /* withdrawn: no longer read, kept in the history */
    QC_OP_BEGIN = 4            /* the journal begins (kind "journal"): body names the
                                * hash algorithm; unhashed, the mark a migration
                                * leaves for the library to seal */
} qc_revision_op;

typedef struct qc_store qc_store;
typedef struct qc_record qc_record;
typedef struct qc_filter qc_filter;
typedef struct qc_iter qc_iter;
typedef struct qc_rules qc_rules;
typedef struct qc_classifier qc_classifier;
typedef struct qc_result qc_result;
typedef struct qc_offices qc_offices;
typedef struct qc_columns qc_columns;
typedef struct qc_test_report qc_test_report;
typedef struct qc_verify qc_verify;
typedef struct qc_assessment qc_assessment;
typedef struct qc_deadlines qc_deadlines;
typedef struct qc_plan qc_plan;
typedef struct qc_sample qc_sample;
typedef struct qc_suggestion qc_suggestion;

/*
 * Progress callback for long operations (imports).  done and total are in
 * bytes of input.  Called at most a few times a second.  Optional; from FFI
 * it is simpler to leave it unset.
 */
typedef void (*qc_progress_fn)(void *user_data, int64_t done, int64_t total);

/* ---- Versions and errors ---------------------------------------------- */

/* The library's version as MAJOR*10000 + MINOR*100 + PATCH. */
QC_EXTERN int qc_version(void);

/* The library's version as "MAJOR.MINOR.PATCH"; static storage. */
QC_EXTERN const char *qc_version_string(void);

/*
 * The message of the calling thread's last failure: one line, UTF-8, never
 * NULL ("" if nothing failed yet).  Valid until the next call into the
 * library from this thread.
 */
QC_EXTERN const char *qc_error_last(void);

/* The status code of the calling thread's last failure, QC_OK if none. */
QC_EXTERN int qc_error_code(void);

/* Forget the calling thread's last failure. */
QC_EXTERN void qc_error_clear(void);

/*
 * Some failures find several problems at once (every error of a rule
 * file).  qc_error_last() then names the first and how many more; these
 * give each one, "file:line:col: path: message".  Valid until the next
 * failing call from this thread.
 */
QC_EXTERN int qc_error_detail_count(void);
QC_EXTERN const char *qc_error_detail(int i);

/* A short English description of a status code; static storage, never NULL. */
QC_EXTERN const char *qc_strerror(int code);

/* The name of a status code ("QC_ENOREF"); static storage, never NULL. */
QC_EXTERN const char *qc_status_name(int code);

/* ---- Dates -------------------------------------------------------------- */

/*
 * Parse "YYYY-MM-DD" (years 1900-2999) into days since 1970-01-01.
 * Returns QC_EDATE for anything else, including 2017-02-30.
 */
QC_EXTERN int qc_date_parse(int64_t *days, const char *text);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space
 * may stand for the T) into seconds since 1970-01-01T00:00:00.
 */
QC_EXTERN int qc_datetime_parse(int64_t *seconds, const char *text);

/* Write days as "YYYY-MM-DD" into buf (size >= 11).  Returns QC_EINVAL if
 * buf is too small or the date is outside years 1900-2999. */
QC_EXTERN int qc_date_format(char *buf, size_t size, int64_t days);

/* Write seconds as "YYYY-MM-DDTHH:MM:SS" into buf (size >= 20). */
QC_EXTERN int qc_datetime_format(char *buf, size_t size, int64_t seconds);

/* Terminal columns a UTF-8 string takes: East Asian wide characters (Chinese
 * names) count two.  For aligning tables. */
QC_EXTERN int qc_display_width(const char *text);

/* ---- Schema introspection ---------------------------------------------- */

/* "office", "department", ...; NULL for an invalid kind.  Static storage. */
QC_EXTERN const char *qc_kind_name(qc_kind kind);

/* The kind named by name ("office" or "offices", "person" or "people", ...),
 * or QC_KIND_NONE. */
QC_EXTERN qc_kind qc_kind_lookup(const char *name);

/* Number of fields of a kind; 0 for an invalid kind. */
QC_EXTERN int qc_field_count(qc_kind kind);

/* Column name of a field; NULL if out of range.  Static storage. */
QC_EXTERN const char *qc_field_name(qc_kind kind, int field);

/* Type of a field (QC_TYPE_TEXT for ids and references). */
QC_EXTERN qc_type qc_field_type(qc_kind kind, int field);

/* 1 if the field must be set for a record to be stored, else 0. */
QC_EXTERN int qc_field_required(qc_kind kind, int field);

/* The kind a field refers to (QC_KIND_CASE for QC_ACT_CASE), or
 * QC_KIND_NONE if the field is not a reference. */
QC_EXTERN qc_kind qc_field_ref(qc_kind kind, int field);

/* Index of the field named name, or -1. */
QC_EXTERN int qc_field_lookup(qc_kind kind, const char *name);

/* ---- Records ------------------------------------------------------------ */

/*
 * A record is one row of one kind: fields by index plus, for cases, typed
 * facts by name.  Records are owned by the caller who made them with
 * qc_record_new() and freed with qc_record_free().
 *
 * Threads: any number of threads may read one record at once (no reader
 * writes, text forms included); a record being modified must not be read
 * or modified by another thread.
 */
QC_EXTERN int qc_record_new(qc_record **out, qc_kind kind);
QC_EXTERN void qc_record_free(qc_record *record);

/* Unset every field and fact; keeps the kind and the memory. */
QC_EXTERN void qc_record_clear(qc_record *record);

/* Copy src into a new record *out, which the caller frees. */
QC_EXTERN int qc_record_dup(qc_record **out, const qc_record *src);

QC_EXTERN qc_kind qc_record_kind(const qc_record *record);

/*
 * Set a field from its text form, parsed by the field's type: dates as
 * YYYY-MM-DD, bools as true/false/yes/no/1/0, enums by name.  Text is
 * copied.  NULL or "" unsets the field.  On failure the field is unchanged
 * and the code says why (QC_EDATE, QC_ETYPE, QC_EVALUE, QC_EUTF8,
 * QC_ETOOLONG).
 */
QC_EXTERN int qc_record_set_text(qc_record *record, int field, const char *text);

/* Set an INT, BOOL, DATE, DATETIME or ENUM field from its number. */
QC_EXTERN int qc_record_set_int(qc_record *record, int field, int64_t value);

/* Unset a field. */
QC_EXTERN int qc_record_unset(qc_record *record, int field);

/* 1 if the field is set, 0 if not or out of range. */
QC_EXTERN int qc_record_has(const qc_record *record, int field);

/*
 * The text form of a field, or NULL if it is unset.  Owned by the record;
 * valid until the record is modified, cleared or freed.
 */
QC_EXTERN const char *qc_record_text(const qc_record *record, int field);

/* The number of an INT, BOOL, DATE, DATETIME or ENUM field; 0 if unset. */
QC_EXTERN int64_t qc_record_int(const qc_record *record, int field);

/* Set and read a DECIMAL field (a classification's weight). */
QC_EXTERN int qc_record_set_decimal(qc_record *record, int field, double value);
QC_EXTERN double qc_record_decimal(const qc_record *record, int field);

/*
 * Case facts.  A fact has a name (a token: letters, digits, '_'), a type
 * (TEXT, INT, DECIMAL, BOOL or DATE) and a value.  Setting a fact that
 * exists replaces it.  Only case records have facts (QC_EINVAL otherwise).
 */
QC_EXTERN int qc_record_set_fact_text(qc_record *record, const char *name, const char *value);
QC_EXTERN int qc_record_set_fact_int(qc_record *record, const char *name, int64_t value);
QC_EXTERN int qc_record_set_fact_decimal(qc_record *record, const char *name, double value);
QC_EXTERN int qc_record_set_fact_bool(qc_record *record, const char *name, int value);
QC_EXTERN int qc_record_set_fact_date(qc_record *record, const char *name, int64_t days);

/*
 * Set a fact from text.  type QC_TYPE_NULL infers it: integer, decimal,
 * true/false, YYYY-MM-DD, else text.
 */
QC_EXTERN int qc_record_set_fact_parse(qc_record *record, const char *name, qc_type type,
                                       const char *text);

/* Number of facts; facts are kept in the order they were first set. */
QC_EXTERN int qc_record_fact_count(const qc_record *record);

/* Index of the fact named name, or -1. */
QC_EXTERN int qc_record_fact_find(const qc_record *record, const char *name);

/* Name of fact i; NULL if out of range.  Owned by the record, valid until it
 * is modified, cleared or freed (as for every pointer below). */
QC_EXTERN const char *qc_record_fact_name(const qc_record *record, int i);
QC_EXTERN qc_type qc_record_fact_type(const qc_record *record, int i);
/* INT, BOOL and DATE facts; 0 for other types. */
QC_EXTERN int64_t qc_record_fact_int(const qc_record *record, int i);
/* DECIMAL facts (INT facts converted); 0.0 for other types. */
QC_EXTERN double qc_record_fact_decimal(const qc_record *record, int i);
/* Any fact in text form ("3", "1.5", "true", "2017-05-01", "text"). */
QC_EXTERN const char *qc_record_fact_text(const qc_record *record, int i);

/* ---- Stores ------------------------------------------------------------- */

/*
 * Open a store by URI: "sqlite:PATH" (created if missing, schema migrated
 * to the current version), "memory:" (a new empty store), or
 * "NAME:LOCATION" for a backend registered with qc_backend_register().
 * A plain path without a scheme means "sqlite:PATH".
 *
 * Threads: a store handle is used by one thread at a time (open one per
 * thread; SQLite files may be opened by many); whole-store jobs may use
 * threads of their own (qc_store_set_threads), on connections of their own.
 */
QC_EXTERN int qc_store_open(qc_store **out, const char *uri);

/*
 * The same for a store that must exist already, for whatever only reads
 * or changes stored records: a "sqlite:PATH" (or plain PATH) naming no
 * file is QC_ENOTFOUND ("no store at PATH"), and nothing is created.
 * Other URIs open as with qc_store_open.
 */
QC_EXTERN int qc_store_open_existing(qc_store **out, const char *uri);

/* Close the store; rolls back a transaction left open.  Accepts NULL. */
QC_EXTERN void qc_store_free(qc_store *store);

/* The backend's name ("sqlite", "memory"); owned by the backend. */
QC_EXTERN const char *qc_store_backend(const qc_store *store);

/* The schema version of the store's data (see docs/backend.md). */
QC_EXTERN int qc_store_schema_version(const qc_store *store, int *out);

/*
 * Transactions.  Between begin and commit, every write is either all kept
 * or, after rollback (or a failure that the library rolls back), all gone.
 * Transactions do not nest: begin inside a transaction is QC_ESTATE.
 */
QC_EXTERN int qc_store_begin(qc_store *store);
QC_EXTERN int qc_store_commit(qc_store *store);
QC_EXTERN int qc_store_rollback(qc_store *store);

/*
 * Insert a record.  The record is validated (required fields, dates in
 * order) and its references checked (the act's case and person exist);
 * QC_EEXIST if its id is taken, or for a participation, act or review
 * without an id, if the same one (every field alike) is stored.  The store copies what it needs.  Outside a
 * transaction each put is its own transaction.
 */
QC_EXTERN int qc_store_put(qc_store *store, const qc_record *record);

/*
 * Insert n records in one transaction (or inside the caller's): all or
 * none.  On failure *failed_index (if not NULL) is the index of the record
 * that failed.
 */
QC_EXTERN int qc_store_put_batch(qc_store *store, const qc_record *const *records, size_t n,
                                 size_t *failed_index);

/*
 * Find the record of kind with this id.  *out is a new record the caller
 * frees.  QC_ENOTFOUND if there is none.
 */
QC_EXTERN int qc_store_get(qc_record **out, qc_store *store, qc_kind kind, const char *id);

/* Count the records of a kind that pass filter (NULL: all). */
QC_EXTERN int qc_store_count(int64_t *out, qc_store *store, qc_kind kind, const qc_filter *filter);

/*
 * What a write must agree with beyond its own fields and references: an
 * act dated before its case's registration, after its closing, or later
 * than now plus the skew is QC_EDATE; a department of another office than
 * the case, person or post naming it is QC_ENOREF; a post overlapping
 * another of the same person in the same office (or the person record's
 * own post there) is QC_EDATE.  Posts in different offices may overlap.
 *
 * The store's clock: now, in seconds since 1970 UTC, for the future check
 * (0, the default: the system clock; set it for tests and replays).  The
 * skew is how far past now an act may be dated (default a day, as acts
 * are often recorded in local time).
 */
enum { QC_DEFAULT_FUTURE_SKEW = 86400 };
QC_EXTERN int qc_store_set_clock(qc_store *store, int64_t now);
QC_EXTERN int qc_store_set_future_skew(qc_store *store, int64_t seconds);

/* Report progress of long operations on this store through fn (NULL: off). */
QC_EXTERN void qc_store_set_progress(qc_store *store, qc_progress_fn fn, void *user_data);

/*
 * The most threads a whole-store job on this store may use: 0 (the
 * default) one per online CPU, 1 none beyond the caller's.  An assessment
 * uses two - one reads the acts while the caller's thread does the rest -
 * when the backend can open readers that share one snapshot
 * (qc_backend.open_readers: SQLite files can, memory stores cannot); its
 * results are the same either way.
 */
QC_EXTERN int qc_store_set_threads(qc_store *store, int threads);

/*
 * Whether an office criterion - qc_filter_set_office, and the office
 * argument of qc_assess, qc_deadlines_compute, the reports and dossiers -
 * covers the office and every office under it (1: a province's figures
 * with its cities and districts, as the tool's --office) or the office
 * alone (0, the default, as the library always did; the tool's --only).  A
 * filter may still say otherwise (qc_filter_set_office_subtree).  A
 * backend older than version 7 serves a subtree only of an office with
 * nothing under it (else QC_EUNSUPPORTED).
 */
QC_EXTERN int qc_store_set_office_subtree(qc_store *store, int subtree);

/*
 * Confine this handle to one office and every office under it: iterations
 * and counts see only their records (a filter's office criterion is
 * intersected with the scope), a record read by id outside it is not
 * found (QC_ENOTFOUND), and a write outside it is refused with
 * QC_EDENIED.  A record's office is its own field, its case's or its
 * person's (duties).  The office directory stays readable (rule sets'
 * places and roll-ups need the tree); the journal, which holds every
 * office's records, is not (history of a record in scope is).  A scope
 * only narrows: a second call must name an office inside the first
 * (else QC_EDENIED), and there is no call that lifts it.  Readers and
 * as-of views made from the handle keep it.  On PostgreSQL the server
 * enforces the same with row-level security for roles bound to offices
 * (docs/backend.md); this call is the library's own enforcement, on
 * every backend.
 */
QC_EXTERN int qc_store_set_scope(qc_store *store, const char *office_id);
/* The scope's office, or NULL. */
QC_EXTERN const char *qc_store_scope(const qc_store *store);

/*
 * Copy everything from one store into another, empty one (SQLite to
 * PostgreSQL and back): the journal entry for entry - sequence numbers,
 * hashes, actors, times - then every record, in one transaction on the
 * target, so that both verify with the same head.  QC_ESTATE if the
 * target holds records; QC_EDENIED through a scoped store; nothing is
 * written on failure.  *records (may be NULL): how many were copied,
 * journal entries included.
 */
QC_EXTERN int qc_store_copy(qc_store *to, qc_store *from, int64_t *records);

/*
 * Import a file: CSV (one kind per file, header row, RFC 4180 quoting) or a
 * YAML or JSON document with sequences under "offices", "departments",
 * "people", "posts", "cases", "participations", "acts", "reviews".  The
 * format comes from the extension (.csv, .yaml, .yml, .json).  For CSV the
 * kind is kind, or if QC_KIND_NONE the file name's stem ("acts.csv",
 * "2017-cases.csv" -> the last word).  Case facts are CSV columns named
 * "fact.NAME" or "fact.NAME:TYPE", or a "facts" mapping in YAML/JSON.
 *
 * The import is one transaction: a file with one bad record imports
 * nothing and leaves the store exactly as it was.  The error message names
 * file:line:column: kind.field.  *imported (may be NULL) receives the
 * number of records written.
 */
QC_EXTERN int qc_store_import_file(qc_store *store, const char *path, qc_kind kind,
                                   int64_t *imported);

/*
 * Importing a file again changes nothing: a record stored already and the
 * same (by id; a participation, act or review without an id by all it
 * says) is left as it is and not counted in *imported; one stored with
 * other values is an error (QC_EEXIST) naming both values at the file's
 * line and column.  qc_store_import_unchanged() gives how many records
 * the last import on this store found stored and the same (0 after a
 * failed import).
 */
QC_EXTERN int64_t qc_store_import_unchanged(const qc_store *store);

/*
 * With update on (default off), an import treats a record stored with
 * other values as a correction: it is amended (qc_store_amend), with
 * "import FILE" as the reason, instead of failing.  qc_store_import_updated()
 * gives how many records the last import amended.
 */
QC_EXTERN int qc_store_set_import_update(qc_store *store, int update);

/*
 * The encoding of the files (and buffers) this store imports from now on:
 * NULL or "UTF-8" (the default), or any encoding iconv knows - "GBK" and
 * "GB18030" are what WPS and Excel write in China.  They are converted to
 * UTF-8 as they are read; an invalid byte is QC_EUTF8 at the file's line
 * and column.  QC_EVALUE for an encoding iconv does not know.
 */
QC_EXTERN int qc_store_set_import_encoding(qc_store *store, const char *encoding);
QC_EXTERN int64_t qc_store_import_updated(const qc_store *store);

/*
 * Corrections, with the history kept (docs/data-model.md).  Every write -
 * a put, an import, an amendment, a withdrawal - appends a revision
 * (QC_KIND_REVISION) in the same transaction, naming the actor, the
 * store's clock (qc_store_set_clock) and the reason.  Nothing is lost: a
 * correction keeps the version it replaced, a withdrawal the version
 * withdrawn.  Each call is one transaction, or part of the caller's.
 *
 * The actor is who writes through this handle: set it (UTF-8, at most 128
 * bytes; NULL or "" resets it), or it is the login name of the process's
 * user.  qc_store_actor() returns it (valid until the next set or free).
 */
QC_EXTERN int qc_store_set_actor(qc_store *store, const char *actor);
QC_EXTERN const char *qc_store_actor(qc_store *store);

/*
 * Replace the stored record with record's id by record (a whole record:
 * get it, change it, amend it), for reason (required).  It is checked as a
 * put is (fields, references, consistency; a case's new dates must still
 * hold its acts).  QC_ENOTFOUND if no such record, QC_EMISSING without an
 * id or a reason; a record the same as stored writes nothing.
 */
QC_EXTERN int qc_store_amend(qc_store *store, const qc_record *record, const char *reason);

/*
 * Withdraw a wrongly recorded record, for reason (required): it is no
 * longer read, and its history keeps it.  By kind and id, or by record
 * (one without an id: the stored one with every field the same).  A
 * record something else names (a case with acts) cannot be withdrawn:
 * QC_ENOREF, naming what names it.  QC_ENOTFOUND if none is stored.
 */
QC_EXTERN int qc_store_withdraw(qc_store *store, qc_kind kind, const char *id, const char *reason);
QC_EXTERN int qc_store_withdraw_record(qc_store *store, const qc_record *record, const char *reason);

/*
 * The revisions of one record (kind, id), oldest first: QC_KIND_REVISION
 * records read with the field accessors (QC_REVISION_OP, _BODY, _PRIOR,
 * _ACTOR, _RECORDED, _REASON).  Every revision is qc_iter_new(...,
 * QC_KIND_REVISION, NULL).  Free with qc_iter_free.
 */
QC_EXTERN int qc_store_history(qc_iter **out, qc_store *store, qc_kind kind, const char *id);

/*
 * The store as it was recorded at `when` (seconds since 1970 UTC, as
 * qc_datetime_parse gives): a new, read-only, in-memory store holding the
 * records current then, in the order they were stored, and the history up
 * to then, built by replaying the history.  Everything that reads a store
 * (assess, reports, dossiers) reads it unchanged, so a report made then is
 * made again byte for byte.  A store of an older schema gets its history
 * on the first open by this library: one insert per record it held,
 * recorded at 0 (before any time) by "(before the history)".  Free with
 * qc_store_free; store may be freed first.  QC_EUNSUPPORTED for a backend
 * older than version 4, which keeps no history.
 */
QC_EXTERN int qc_store_open_as_of(qc_store **out, qc_store *store, int64_t when);

/*
 * The journal (docs/data-model.md, "The journal").  Every revision is an
 * entry of a hash chain: QC_REVISION_SEQ numbers it from 1 and
 * QC_REVISION_HASH is the hex hash over the entry before's hash and its
 * own canonical text, so that an entry or a table row changed outside the
 * library is found by qc_store_verify().  A backend older than version 5
 * keeps no journal: QC_EUNSUPPORTED.
 *
 * qc_store_set_hash() begins the journal of a store whose journal has not
 * begun (it writes the entry that begins it, in the caller's transaction
 * or its own) with "sha256" (what the first write uses otherwise) or
 * "sm3" (GM/T 0004-2012).  QC_OK for a journal begun with the same one;
 * QC_EEXIST if it began with another; QC_EVALUE for another name.
 *
 * qc_store_head() writes the head, "ALGORITHM:HEX" ("none:" for a journal
 * not begun), into buf like snprintf (QC_ETOOLONG if it does not fit;
 * 8 + 2 * 64 + 1 bytes always do) and sets *entries (may be NULL) to the
 * number of entries: a report names the state it was computed on by it.
 */
QC_EXTERN int qc_store_set_hash(qc_store *store, const char *algorithm);
QC_EXTERN int qc_store_head(qc_store *store, char *buf, size_t size, int64_t *entries);

/*
 * Check the store against its journal: recompute the hash chain entry by
 * entry, and check that the tables hold exactly the records the journal
 * says they do.  QC_OK if all agree; QC_ETAMPERED naming the first bad
 * entry or record in the message (qc_error_last) and in *out: an entry
 * edited, deleted, inserted or moved; a table row edited, added or
 * deleted; a journal cut short (its records are in the tables, not in the
 * journal).  *out is set for both; other failures leave it NULL.  Pass a
 * head ("ALGORITHM:HEX", or the hex) a report printed to learn whether the
 * store was ever in that state (qc_verify_head_seen).  Free with
 * qc_verify_free.  Memory does not grow with the store unless something
 * differs.
 *
 * Accessors (strings live as long as the result):
 *   qc_verify_head       the head, as qc_store_head gives it ("" if bad)
 *   qc_verify_entries    the entries checked
 *   qc_verify_head_seen  the entry after which `head` was the head, or 0
 *   qc_verify_bad_entry  the first bad entry's seq (0: none, or a table
 *                        row the journal never wrote)
 *   qc_verify_bad_kind   the kind of the bad entry or row
 *   qc_verify_bad_id     its id ("" if it has none)
 */
QC_EXTERN int qc_store_verify(qc_verify **out, qc_store *store, const char *head);
QC_EXTERN const char *qc_verify_head(const qc_verify *result);
QC_EXTERN int64_t qc_verify_entries(const qc_verify *result);
QC_EXTERN int64_t qc_verify_head_seen(const qc_verify *result);
QC_EXTERN int64_t qc_verify_bad_entry(const qc_verify *result);
QC_EXTERN qc_kind qc_verify_bad_kind(const qc_verify *result);
QC_EXTERN const char *qc_verify_bad_id(const qc_verify *result);
QC_EXTERN void qc_verify_free(qc_verify *result);

/*
 * A record as canonical text: one "field=value" line per set field in
 * field order, then "fact.NAME:TYPE=value" per fact in order; integers in
 * decimal, decimals in the shortest form that reads back the same,
 * booleans true/false, dates YYYY-MM-DD, datetimes YYYY-MM-DDTHH:MM:SS,
 * enums by name; backslash and newline escaped as \\ and \n.  The same
 * record gives the same text from every backend.  Like snprintf: writes at
 * most size bytes (NUL included) and sets *needed (may be NULL) to the
 * size the whole text needs; QC_ETOOLONG if it did not fit.
 * qc_record_decode() reads it back into record (cleared first; its kind
 * says which fields there are).
 */
QC_EXTERN int qc_record_encode(const qc_record *record, char *buf, size_t size, size_t *needed);
QC_EXTERN int qc_record_decode(qc_record *record, const char *text);

/*
 * Import from memory.  format is "csv", "yaml" or "json"; name is used in
 * messages (and, for CSV with QC_KIND_NONE, to find the kind).
 */
QC_EXTERN int qc_store_import_buffer(qc_store *store, const char *data, size_t size,
                                     const char *format, const char *name, qc_kind kind,
                                     int64_t *imported);

/* ---- Filters and iteration ---------------------------------------------- */

/*
 * A filter selects records for iteration and counting.  Unset criteria
 * match everything.  Text is copied.  Criteria that a kind does not have
 * are resolved through the record's case where it has one (acts of an
 * office = acts on that office's cases), else they make the iteration
 * fail with QC_EINVAL.
 *
 * Threads: a filter may be shared read-only (iterations copy what they
 * need); an iterator and the records it hands out belong to the thread
 * that iterates, as does its store.
 */
QC_EXTERN int qc_filter_new(qc_filter **out);
QC_EXTERN void qc_filter_free(qc_filter *filter);
/* Records of an office: of office_id alone, or of it and every office
 * under it (offices.parent, transitively) when the store was told so
 * (qc_store_set_office_subtree) or the filter is (below). */
QC_EXTERN int qc_filter_set_office(qc_filter *filter, const char *office_id);
/* Whether the office criterion takes the offices under the office too
 * (1) or the office alone (0), whatever the store's setting. */
QC_EXTERN int qc_filter_set_office_subtree(qc_filter *filter, int subtree);
QC_EXTERN int qc_filter_set_person(qc_filter *filter, const char *person_id);
QC_EXTERN int qc_filter_set_case(qc_filter *filter, const char *case_id);
QC_EXTERN int qc_filter_set_line(qc_filter *filter, const char *business_line);
/* Inclusive range of days; applies to case registration, act time, review
 * date, and person/post validity (overlap). */
QC_EXTERN int qc_filter_set_dates(qc_filter *filter, int64_t from_day, int64_t to_day);

/*
 * Give up the iteration order for speed: records come in whatever order
 * the backend finds cheapest (bulk reads such as an assessment).
 */
QC_EXTERN int qc_filter_set_unordered(qc_filter *filter, int unordered);

/*
 * Participations, acts, reviews and steps ordered by case id (byte order, as
 * strcmp), and within one case in insertion order - so that a reader can
 * walk them beside the cases (which come in id order) without a lookup
 * table.  Other kinds keep their order.
 */
QC_EXTERN int qc_filter_set_by_case(qc_filter *filter, int by_case);

/*
 * Read only the fields whose bits are set (bit N = field N of the kind,
 * e.g. 1u << QC_ACT_KIND); a backend may leave the others unset, and
 * reads fewer columns.  0 (the default) reads every field.  A hint: a
 * backend that ignores it returns every field.  For cases, the bit
 * QC_FIELDS_NO_FACTS says the facts are not wanted either.
 */
QC_EXTERN int qc_filter_set_fields(qc_filter *filter, uint32_t fields);
enum { QC_FIELDS_NO_FACTS = 1073741824 }; /* 1 << 30: no kind has that many fields */

/* Accessors, for backend implementers; NULL / 0 when unset. */
QC_EXTERN const char *qc_filter_office(const qc_filter *filter);
/* 1 if the office criterion covers the offices under it too (backends of
 * version 7 honour it; the library resolves the store's setting first). */
QC_EXTERN int qc_filter_office_subtree(const qc_filter *filter);
QC_EXTERN const char *qc_filter_person(const qc_filter *filter);
QC_EXTERN const char *qc_filter_case(const qc_filter *filter);
QC_EXTERN const char *qc_filter_line(const qc_filter *filter);
QC_EXTERN int qc_filter_has_dates(const qc_filter *filter);
QC_EXTERN int64_t qc_filter_from(const qc_filter *filter);
QC_EXTERN int64_t qc_filter_to(const qc_filter *filter);
QC_EXTERN int qc_filter_unordered(const qc_filter *filter);
QC_EXTERN int qc_filter_by_case(const qc_filter *filter);
QC_EXTERN uint32_t qc_filter_fields(const qc_filter *filter);

/*
 * Iterate the records of a kind in id order (acts: in insertion order).
 * The filter is copied.  qc_iter_next() sets *out to a record owned by the
 * iterator, valid until the next call or qc_iter_free(), and returns QC_OK,
 * QC_ITEROVER at the end, or a failure code.  Do not write to the store
 * while iterating over it.
 */
QC_EXTERN int qc_iter_new(qc_iter **out, qc_store *store, qc_kind kind, const qc_filter *filter);
QC_EXTERN int qc_iter_next(const qc_record **out, qc_iter *iter);
QC_EXTERN void qc_iter_free(qc_iter *iter);

/* ---- Rules (docs/rules.md) ---------------------------------------------- */

/*
 * A qc_rules holds one or more rule sets, each one version of a named set
 * (liaoning-procuratorate 2017.1) with the dates it is in force.  Several
 * versions load side by side; a case is classified by the version in force
 * on its registration date.
 *
 * Threads: rules that no thread is loading into may be read by any number
 * of threads (classifiers, assessments, accessors) at once.
 */
QC_EXTERN int qc_rules_new(qc_rules **out);
QC_EXTERN void qc_rules_free(qc_rules *rules);

/* Options of a qc_rules, set before files are added. */
typedef enum qc_rules_option {
    QC_RULES_ABSOLUTE_EXTENDS = 1 /* 1: extends: may name an absolute path
                                     (default 0: only paths relative to the
                                     file that extends) */
} qc_rules_option;

/* Set an option (QC_EINVAL for an unknown one or a value other than 0 or
 * 1).  Threads: not while another thread loads into or reads rules. */
QC_EXTERN int qc_rules_set_option(qc_rules *rules, qc_rules_option option, int value);

/*
 * Load a rule file (and the files it extends) into rules.  A rule file is
 * a regular file of at most 16 MiB of UTF-8 YAML, nested at most 64 levels
 * deep, with no key given twice in one mapping and no NUL in any text;
 * extends: names another .yaml or .yml rule file, relative to the file
 * that extends it (see qc_rules_set_option).  On failure
 * rules is unchanged; qc_error_last() names the first problem and how many
 * more there are, qc_error_detail() gives each (up to 50), every one as
 * "file:line:col: path: message".  A version whose dates overlap a loaded
 * version of the same name is refused (QC_EEXIST).
 */
QC_EXTERN int qc_rules_add_file(qc_rules *rules, const char *path);
/* The same from memory; name is used in messages (and to resolve a
 * relative extends:, as if it were a path). */
QC_EXTERN int qc_rules_add_string(qc_rules *rules, const char *yaml, const char *name);
/* qc_rules_new and qc_rules_add_file in one. */
QC_EXTERN int qc_rules_load_file(qc_rules **out, const char *path);
/*
 * The collection's content hash, "sha256:HEX".  A rule set's is over the
 * texts of its file and the files it extends, in the order layered; a
 * collection of one set has that set's, one of several a hash over each
 * set's, in order.  Two collections with the same hash say the same, byte
 * for byte, whatever their version numbers or paths.  "" when empty.
 * Valid until the next add or free.
 */
QC_EXTERN const char *qc_rules_hash(const qc_rules *rules);
QC_EXTERN int qc_rules_load_string(qc_rules **out, const char *yaml, const char *name);

/* Warnings found while loading a set (it loaded; `quotacase lint` prints
 * them): each "file:line:col: path: message", owned by rules.  The count
 * is -1 for a set index out of range; a warning index out of range gives
 * NULL.  Today: a divisor that can be 0 (docs/rules.md, Division). */
QC_EXTERN int qc_rules_warning_count(const qc_rules *rules, int set);
QC_EXTERN const char *qc_rules_warning(const qc_rules *rules, int set, int i);

/* The rule sets loaded, sorted by name then effective date; strings are
 * owned by rules.  effective_to is 0 for an open end. */
QC_EXTERN int qc_rules_count(const qc_rules *rules);
QC_EXTERN const char *qc_rules_name(const qc_rules *rules, int set);
QC_EXTERN const char *qc_rules_version(const qc_rules *rules, int set);
QC_EXTERN int64_t qc_rules_effective_from(const qc_rules *rules, int set);
QC_EXTERN int64_t qc_rules_effective_to(const qc_rules *rules, int set);
QC_EXTERN int qc_rules_rule_count(const qc_rules *rules, int set);
QC_EXTERN const char *qc_rules_rule_id(const qc_rules *rules, int set, int rule);
QC_EXTERN int qc_rules_label_count(const qc_rules *rules, int set);
QC_EXTERN const char *qc_rules_label_id(const qc_rules *rules, int set, int label);
/* The process nodes of a set's deadlines: section (docs/deadlines.md). */
QC_EXTERN int qc_rules_node_count(const qc_rules *rules, int set);
QC_EXTERN const char *qc_rules_node_id(const qc_rules *rules, int set, int node);

/*
 * The display name of a label, role, business line or act kind (kind is
 * "label", "role", "line" or "act") in lang "zh" or "en", from the newest
 * rule set that names it; id itself if none does.  Owned by rules.
 */
QC_EXTERN const char *qc_rules_display_name(const qc_rules *rules, const char *kind, const char *id,
                                            const char *lang);

/* ---- Classification ------------------------------------------------------ */

/*
 * A classifier applies rules to cases.  It owns the memory of one result,
 * so classifying allocates nothing.
 *
 * Threads: a classifier whose settings no thread changes may be shared:
 * qc_classify writes the classifier's own result (one thread at a time),
 * qc_classify_into a result of the caller's (any number of threads, each
 * its own result).  A result may be read by several threads until the
 * next classification into it.
 */
QC_EXTERN int qc_classifier_new(qc_classifier **out, const qc_rules *rules);
QC_EXTERN void qc_classifier_free(qc_classifier *classifier);
/* Record, for each rule, which conditions held and the values seen.  Off by default. */
QC_EXTERN int qc_classifier_set_explain(qc_classifier *classifier, int on);
/* The day `today` means in conditions (days since 1970-01-01); default: the current UTC day. */
QC_EXTERN int qc_classifier_set_today(qc_classifier *classifier, int64_t day);
/* The office level (qc_office_level) of cases classified without a store; 0 = unknown. */
QC_EXTERN int qc_classifier_set_office_level(qc_classifier *classifier, int level);
/* Office levels and kinds from store: every office is read now, into a
 * table the classifier owns (set it again after adding offices); NULL:
 * none, use the level set above. */
QC_EXTERN int qc_classifier_set_store(qc_classifier *classifier, qc_store *store);
/* Office levels and kinds from a table the caller owns and keeps alive
 * while the classifier uses it (NULL: none).  Replaces a store's table. */
QC_EXTERN int qc_classifier_set_offices(qc_classifier *classifier, const qc_offices *offices);

/*
 * An office table: each office's kind (qc_office_kind), level
 * (qc_office_level) and parent, by id - what classifying reads about the
 * case's office.  Build one by hand (qc_offices_add: adding an id again
 * replaces it) or from every office of a store (qc_offices_load).
 * Threads: once built, any number of threads (and classifiers) may read
 * one table at once.
 */
QC_EXTERN int qc_offices_new(qc_offices **out);
QC_EXTERN int qc_offices_load(qc_offices **out, qc_store *store);
QC_EXTERN void qc_offices_free(qc_offices *offices);
QC_EXTERN int qc_offices_add(qc_offices *offices, const char *id, int kind, int level, const char *parent);
QC_EXTERN int qc_offices_count(const qc_offices *offices);
/* The office's level (0 if unknown), or QC_ENOTFOUND. */
QC_EXTERN int qc_offices_level(const qc_offices *offices, const char *id);
/* The parent's id, owned by the table; NULL if none or not found
 * (QC_ENOTFOUND then). */
QC_EXTERN const char *qc_offices_parent(const qc_offices *offices, const char *id);

/*
 * Classify one case.  *out is owned by the classifier and valid until the
 * next qc_classify or qc_classifier_free.  QC_ENOTFOUND if no loaded version
 * is in force on the registration date; QC_EMISSING if a rule reads a fact
 * declared `missing: error` that the case lacks; QC_ETYPE or QC_EVALUE if a
 * fact does not fit its declaration.
 */
QC_EXTERN int qc_classify(const qc_result **out, qc_classifier *classifier, const qc_record *kase);

/*
 * The same into a result of the caller's: the classifier is only read, so
 * threads may share one classifier, each with its own result.  A result
 * is made for a classifier's rules (qc_result_new) and freed by the
 * caller; it is valid until the next classification into it.
 */
QC_EXTERN int qc_result_new(qc_result **out, const qc_classifier *classifier);
QC_EXTERN void qc_result_free(qc_result *result);
QC_EXTERN int qc_classify_into(qc_result *result, const qc_classifier *classifier, const qc_record *kase);

/*
 * Classify n cases in one call (one FFI crossing from Python or Lua): for
 * each, the primary label id (owned by rules) into primary[i] and the
 * weight into weight[i]; either array may be NULL.  Stops at the first
 * failure, whose index goes to *failed_index (may be NULL).
 */
QC_EXTERN int qc_classify_batch(qc_classifier *classifier, const qc_record *const *cases, size_t n,
                                const char **primary, double *weight, size_t *failed_index);

/*
 * Cases given column by column - what a table, a data frame or a set of
 * Python lists holds - classified in one call without building records.
 * A qc_columns of n cases borrows arrays of n values (the caller keeps
 * them alive and unchanged until it is freed or the call returns):
 *  - facts by their names: int, bool (0/1) and date (days) facts from
 *    int64_t columns, decimal facts from double or int64_t columns, text
 *    facts from strings, enum facts from strings or from int64_t indexes
 *    into the values the rules declare;
 *  - case fields: "case.registered" (required) and "case.closed" (days),
 *    "case.source" (a qc_case_source), "case.id", "case.office" (its level
 *    from the classifier's office table), "case.line", "case.type",
 *    "case.stage" (strings).
 * missing (may be NULL) marks missing values with 1; a NULL string is
 * missing.  Setting a name again replaces its column.  A column the rules
 * do not read is ignored; a fact the columns do not give is missing.
 * Threads: a qc_columns may be shared read-only.
 */
QC_EXTERN int qc_columns_new(qc_columns **out, size_t n);
QC_EXTERN void qc_columns_free(qc_columns *columns);
QC_EXTERN size_t qc_columns_count(const qc_columns *columns);
QC_EXTERN int qc_columns_set_text(qc_columns *columns, const char *name, const char *const *values);
QC_EXTERN int qc_columns_set_int(qc_columns *columns, const char *name, const int64_t *values, const uint8_t *missing);
QC_EXTERN int qc_columns_set_decimal(qc_columns *columns, const char *name, const double *values,
                                     const uint8_t *missing);

/*
 * Classify every case of columns: primary[i] (the label id, owned by the
 * rules) and weight[i], either may be NULL - the same as qc_classify gives
 * for a record of the same values.  Each column is matched to its fact
 * once per rule version, and enum strings that repeat are compared once,
 * so this runs near the speed of the compiled conditions.  Stops at the
 * first case that fails (its index into *failed_index, may be NULL), with
 * the errors of qc_classify, and QC_ETYPE for a column whose type does not
 * fit its fact.  Writes the classifier's own result, as qc_classify does.
 */
QC_EXTERN int qc_classify_columns(qc_classifier *classifier, const qc_columns *columns, const char **primary,
                                  double *weight, size_t *failed_index);

/* The version used, the primary label (the highest-priority label matched,
 * else the fallback), every label matched in priority order, every rule
 * matched in file order, and the case weight.  Strings owned by the rules. */
QC_EXTERN const char *qc_result_rules_name(const qc_result *result);
QC_EXTERN const char *qc_result_rules_version(const qc_result *result);
/* The content hash of the version used ("sha256:HEX", as qc_rules_hash
 * gives it for that set alone). */
QC_EXTERN const char *qc_result_rules_hash(const qc_result *result);
QC_EXTERN const char *qc_result_primary(const qc_result *result);
QC_EXTERN int qc_result_label_count(const qc_result *result);
QC_EXTERN const char *qc_result_label(const qc_result *result, int i);
QC_EXTERN int qc_result_match_count(const qc_result *result);
QC_EXTERN const char *qc_result_match_rule(const qc_result *result, int i);
QC_EXTERN const char *qc_result_match_label(const qc_result *result, int i);
QC_EXTERN const char *qc_result_match_cite(const qc_result *result, int i);
QC_EXTERN double qc_result_weight(const qc_result *result);
/* Multi-line text; "" unless explanations are on.  Owned by the result.
 * Cut (never an error) at QC_EXPLANATION_MAX - 1 bytes, so a rule set of
 * hundreds of rules explains its first rules and still classifies whole. */
enum { QC_EXPLANATION_MAX = 16384 };
QC_EXTERN const char *qc_result_explanation(const qc_result *result);

/*
 * Classify every case of store that passes filter (NULL: all) and write a
 * classification record per case (QC_KIND_CLASSIFICATION, id
 * CASE@RULES@VERSION) in one transaction.  Cases already classified by the
 * same text of the same version are left as they are, so after a rule
 * change loading the new version and calling this again is the whole
 * reclassification.  A classification by the same version number from
 * another text (a rule edited without a new version, or one written before
 * rule hashes were kept) is stale: it is amended, with the two hashes as
 * the reason.  Cases registered outside every loaded version are left
 * unclassified.  Office levels come from the store (read once).  *written
 * (may be NULL) counts new and amended records.  Any other failure rolls the whole call back.  Cases are
 * classified as they are read (memory for one case) on a backend of
 * version 3 or later; an older backend's cases are read first.
 */
QC_EXTERN int qc_classify_store(qc_classifier *classifier, qc_store *store, const qc_filter *filter,
                                int64_t *written);

/*
 * Whether a stored classification (QC_KIND_CLASSIFICATION) is stale with
 * rules loaded: 1 if the loaded version of its rule set name and version
 * has another text (or it records none), 0 if the same, QC_ENOTFOUND if
 * that version is not loaded, QC_EINVAL for another kind of record.
 */
QC_EXTERN int qc_rules_classification_stale(const qc_rules *rules, const qc_record *classification);

/* ---- The rule test runner (docs/rules.md, "Testing rules") -------------- */

/*
 * Run a rule test file: load the rules it names, classify each of its
 * cases, compare with the expectations.  Returns QC_OK if every test
 * passed, QC_ETESTFAIL if some failed (the report says which), or the
 * error that stopped the run (an invalid test file or rule file: nothing
 * in *out then).  The report is the caller's to free.
 *
 * Threads: a report, once returned, may be read by several threads.
 */
QC_EXTERN int qc_rules_test_file(qc_test_report **out, const char *path);
QC_EXTERN void qc_test_report_free(qc_test_report *report);
QC_EXTERN int qc_test_report_total(const qc_test_report *report);
QC_EXTERN int qc_test_report_failed(const qc_test_report *report);
/* The run as TAP, one line per test plus diagnostics; owned by the report. */
QC_EXTERN const char *qc_test_report_tap(const qc_test_report *report);
/* Rule coverage: rules of the tested rule sets, those matched by some test,
 * and the ids of the others. */
QC_EXTERN int qc_test_report_rule_count(const qc_test_report *report);
QC_EXTERN int qc_test_report_covered_count(const qc_test_report *report);
QC_EXTERN const char *qc_test_report_uncovered(const qc_test_report *report, int i);

/* ---- Assessment (docs/assessment.md) ------------------------------------ */

/*
 * Parse a period: "2017", "2017-Q2", "2017-H1", "2017-05" or
 * "2017-01-01..2017-06-30", into an inclusive range of days.
 */
QC_EXTERN int qc_period_parse(int64_t *from, int64_t *to, const char *text);

/*
 * Assess the leaders within the quota of store (of one office, or all if
 * office is NULL) for the days from..to, by the `assessment:` section of
 * the rule version in force on the last day.  Cases registered in the
 * period count; each participation of a leader gets a verdict from the acts
 * recorded (personal, name_only, insufficient) and only personal handling
 * counts.  The caller frees *out; it does not refer to rules or store, so
 * either may be freed first.
 *
 * Threads: an assessment, once returned, may be read by any number of
 * threads at once (the English evidence, written when first asked for, is
 * written under a lock).
 */
QC_EXTERN int qc_assess(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office,
                        int64_t from, int64_t to);
QC_EXTERN void qc_assessment_free(qc_assessment *assessment);

/* Leaders (one row per post held in the period), in store order.  Strings
 * are owned by the assessment.  status is "met", "short" (too few cases),
 * "focus_short" (enough cases, too few of them hard), "no_quota", or
 * "none_required" (nothing required - a share of an average of 0, no
 * time in post - and nothing handled: neither met nor short, and not
 * counted in the office's compliance either way). */
QC_EXTERN int qc_assessment_leader_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_leader_person(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_leader_name(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_leader_office(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_leader_role(const qc_assessment *a, int i);
/* The part of the period this post covers, 0..1. */
QC_EXTERN double qc_assessment_leader_fraction(const qc_assessment *a, int i);
/* Cases handled personally, weighted by capacity. */
QC_EXTERN double qc_assessment_leader_counted(const qc_assessment *a, int i);
QC_EXTERN double qc_assessment_leader_required(const qc_assessment *a, int i);
/* The top of the quota's range (a share "5% to 10% of the average":
 * max_share), 0 if it has none.  Above it is not a failure: the bottom,
 * qc_assessment_leader_required(), decides. */
QC_EXTERN double qc_assessment_leader_required_max(const qc_assessment *a, int i);
/* The average caseload the quota is a share of, and the leader's share of it. */
QC_EXTERN double qc_assessment_leader_average(const qc_assessment *a, int i);
QC_EXTERN double qc_assessment_leader_share(const qc_assessment *a, int i);
/* The share of counted cases that carry a label (not the fallback). */
QC_EXTERN double qc_assessment_leader_focus_share(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_leader_name_only(const qc_assessment *a, int i);
/* How many of the leader's personally handled cases were assigned by
 * method: "random", "designated", "suggested", or "unrecorded" (no
 * assignment of the case to them is stored); docs/inspections.md. */
QC_EXTERN int qc_assessment_leader_assigned(const qc_assessment *a, int i, const char *method);
QC_EXTERN const char *qc_assessment_leader_quota(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_leader_status(const qc_assessment *a, int i);
/* The leader's performance score (scaled to the office) and grade; 0 and
 * NULL without `assessment.scores`. */
QC_EXTERN double qc_assessment_leader_score(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_leader_grade(const qc_assessment *a, int i);

/*
 * Everyone's posts in the period (leaders and others), with performance
 * scores when the rules have `assessment.scores`: the raw score, the score
 * scaled to the office (100 = the office's average), the grade
 * ("excellent", "competent", "basically_competent", "incompetent"; NULL
 * without scores or out of the quota) and the consequence across periods
 * ("leaves_quota", or NULL).
 */
QC_EXTERN int qc_assessment_person_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_person_id(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_person_name(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_person_office(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_person_role(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_person_in_quota(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_person_cases(const qc_assessment *a, int i);
QC_EXTERN double qc_assessment_person_score(const qc_assessment *a, int i);
QC_EXTERN double qc_assessment_person_normalised(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_person_grade(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_person_consequence(const qc_assessment *a, int i);

/* Offices: one complies when its leaders meet their quotas (all of them,
 * or the share `assessment.office_compliance` sets). */
QC_EXTERN int qc_assessment_office_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_office_id(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_office_name(const qc_assessment *a, int i);
/* "national", "provincial", "city" or "basic". */
QC_EXTERN const char *qc_assessment_office_level(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_office_complying_leaders(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_office_leaders_handling(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_office_leaders(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_office_complies(const qc_assessment *a, int i);

/* Per-case verdicts on every participation that counts, with the
 * evidence: what the business line's personal-handling rule asks, which
 * of those acts the listed person recorded, and who else recorded which.
 * qc_assessment_verdict_evidence() says it in English with ids. */
/*
 * Roll-ups.  Every office of the assessment that has offices under it in
 * the assessment (a city with its districts, a province, the nation) with
 * the figures of its whole subtree, in office id order; and the leaders
 * by role, in the order the rules list leader roles (roles without
 * leaders left out).  qc_assessment_rollup_office gives the office's index
 * for qc_assessment_office_id, _name and _level.  Figures by name:
 * "offices", "offices_complying" (not for roles), "leaders",
 * "leaders_complying", "leaders_handling", "cases_by_leaders"; -1 for an
 * unknown name or index.  Role strings are owned by the assessment.
 */
QC_EXTERN int qc_assessment_rollup_count(const qc_assessment *a);
QC_EXTERN int qc_assessment_rollup_office(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_rollup_value(const qc_assessment *a, int i, const char *what);
QC_EXTERN int qc_assessment_role_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_role(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_role_value(const qc_assessment *a, int i, const char *what);

QC_EXTERN int qc_assessment_verdict_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_verdict_person(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_verdict_case(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_verdict(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_verdict_evidence(const qc_assessment *a, int i);

/*
 * The evidence of verdict i in lang "zh" or "en", with the display names
 * of rules (NULL: ids), written into buf like snprintf: returns the full
 * length (write again with a larger buffer if it is >= size; a cut never
 * splits a character), or QC_EINVAL.  buf may be NULL when size is 0.
 */
QC_EXTERN int qc_assessment_verdict_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                            char *buf, size_t size);

/*
 * What the assessment was computed on, for a report to print so that it
 * can be checked later (quotacase verify --head): the store's journal head
 * as qc_store_head gives it ("" for a backend without a journal) and its
 * number of entries, and the content hash of the rule set that judged
 * (as qc_rules_hash gives it, for that set alone).  Valid until the
 * assessment is freed.
 */
QC_EXTERN const char *qc_assessment_store_head(const qc_assessment *a);
QC_EXTERN int64_t qc_assessment_store_entries(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_rules_hash(const qc_assessment *a);

/* The period assessed, in days. */
QC_EXTERN int64_t qc_assessment_from(const qc_assessment *a);
QC_EXTERN int64_t qc_assessment_to(const qc_assessment *a);

/*
 * Write the notification report of an assessment to path: format "text",
 * "csv", "json" or "html" (one self-contained file with charts, no
 * external assets, readable on a phone); lang "zh" or "en" (display names
 * from rules, which may be NULL); ranking 0 leaves offices in id order
 * with no rank (SPP practice since October 2024), 1 ranks them by the
 * share of their leaders who meet the quota.  path "-" is standard output.
 * A file is written beside path and renamed into place when whole, so a
 * failed write leaves what was at path before.
 */
QC_EXTERN int qc_report_write(const qc_assessment *a, const qc_rules *rules, const char *path, const char *format,
                              const char *lang, int ranking);

/*
 * The same report in memory, for a server that sends it or a program that
 * stores it: on QC_OK *out is the report (NUL-terminated, *size bytes
 * without the NUL), the caller's to free with qc_free.  On failure *out is
 * NULL and *size 0; nothing half-written is returned.
 */
QC_EXTERN int qc_report_write_buffer(char **out, size_t *size, const qc_assessment *a, const qc_rules *rules,
                                     const char *format, const char *lang, int ranking);

/*
 * Write a person's performance file for the days from..to to path ("-":
 * standard output), format "text" or "json", roles and labels by their
 * display names in lang ("zh", "en" or NULL for ids).
 */
QC_EXTERN int qc_dossier_write(const qc_rules *rules, qc_store *store, const char *person, int64_t from, int64_t to,
                               const char *path, const char *format, const char *lang);

/* The same file in memory, as qc_report_write_buffer gives a report. */
QC_EXTERN int qc_dossier_write_buffer(char **out, size_t *size, const qc_rules *rules, qc_store *store,
                                      const char *person, int64_t from, int64_t to, const char *format, const char *lang);

/* Free what the library returned for the caller to free (the buffers
 * above); NULL is accepted. */
QC_EXTERN void qc_free(void *p);

/* Totals as notification reports give them: "offices",
 * "offices_complying", "leaders", "leaders_handling", "cases_by_leaders",
 * "chiefs_handling_hard", "offices_without_leaders" (an office with no
 * leader in the period neither complies nor fails:
 * qc_assessment_office_complies is 0 for it, and reports say "no
 * leaders"); and work that cannot count, for a warning:
 * "unlisted_work" (a person's acts on a case that does not list them, per
 * person and case) and "listed_without_acts" (a participation that
 * counts, by someone who recorded no act on the case).  -1 for an unknown
 * name. */
QC_EXTERN int64_t qc_assessment_total(const qc_assessment *a, const char *what);

/* ---- Deadlines: node control (docs/deadlines.md) ----------------------- */

/*
 * The process node each open case of store is in on day `on`, when it is
 * due and how loudly to warn, by the `deadlines:` section of the rule
 * version in force on the case's registration date.  office and case_id
 * (NULL: any) narrow the cases.  A case is open on the day when it was
 * registered by then and not closed on or before it; steps dated after
 * the day are not seen.  A case in no node (no step opened one, or one
 * closed it), or whose rules have no deadlines, is not listed.  The
 * result lists cases in id order; the caller frees it, and it refers to
 * neither rules nor store.  QC_EUNSUPPORTED for a backend without steps
 * (older than version 6).
 */
QC_EXTERN int qc_deadlines_compute(qc_deadlines **out, const qc_rules *rules, qc_store *store, const char *office,
                                   const char *case_id, int64_t on);
QC_EXTERN void qc_deadlines_free(qc_deadlines *deadlines);
QC_EXTERN int qc_deadlines_count(const qc_deadlines *deadlines);
/* The day asked about. */
QC_EXTERN int64_t qc_deadlines_on(const qc_deadlines *deadlines);
/* For i from 0 to qc_deadlines_count() - 1: the case, its office, the
 * node's id, the day its clock last started (opened or restarted), the
 * due day (every extension, suspension and holiday counted), the days
 * left on the day asked about (negative: overdue by that many), the times
 * the node was restarted. */
QC_EXTERN const char *qc_deadlines_case(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_office(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_node(const qc_deadlines *deadlines, int i);
QC_EXTERN int64_t qc_deadlines_started(const qc_deadlines *deadlines, int i);
QC_EXTERN int64_t qc_deadlines_due(const qc_deadlines *deadlines, int i);
QC_EXTERN int64_t qc_deadlines_days_left(const qc_deadlines *deadlines, int i);
QC_EXTERN int qc_deadlines_restarts(const qc_deadlines *deadlines, int i);
/* 1 if the node's clock stands (suspended and not resumed by the day). */
QC_EXTERN int qc_deadlines_suspended(const qc_deadlines *deadlines, int i);
/* 1 if the node was restarted more often than its max_restarts allows
 * (a violation: a case returned for supplementary investigation a third
 * time). */
QC_EXTERN int qc_deadlines_over_limit(const qc_deadlines *deadlines, int i);
/* "none", "yellow", "orange", "red" (overdue) or "suspended". */
QC_EXTERN const char *qc_deadlines_level(const qc_deadlines *deadlines, int i);
/*
 * Node control: steps taken without what their node requires before them
 * (a node's requires:, e.g. a major case's committee discussion before
 * the decision), in every case of the scope, closed or open, up to the
 * day asked about.  For i from 0 to qc_deadlines_violation_count() - 1:
 * the case, its office, the node, the requirement's id, the step taken
 * without it and its date, the requirement's cite (may be NULL), and
 * the evidence: what was asked and what the record held by then.
 */
QC_EXTERN int qc_deadlines_violation_count(const qc_deadlines *deadlines);
QC_EXTERN const char *qc_deadlines_violation_case(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_office(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_node(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_rule(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_step(const qc_deadlines *deadlines, int i);
QC_EXTERN int64_t qc_deadlines_violation_date(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_cite(const qc_deadlines *deadlines, int i);
QC_EXTERN const char *qc_deadlines_violation_evidence(const qc_deadlines *deadlines, int i);
/* How the due day was reached - the clock's start, the base period, the
 * extension by label, extensions granted by steps, suspension, a holiday
 * at the end - one line each, in lang ("zh", or English), step names by
 * rules (may be NULL: ids).  The text is the result's, valid until the
 * next call for any i or qc_deadlines_free(); NULL on failure. */
QC_EXTERN const char *qc_deadlines_explain(qc_deadlines *deadlines, int i, const qc_rules *rules, const char *lang);

/* ---- Process-monitoring notices (docs/deadlines.md, "Notices") ----------- */

/*
 * The notices open at the period's end (issued by then and not answered
 * by then), i from 0 to qc_assessment_notice_count() - 1, in the store's
 * order: id, case, the case's office, node (may be NULL), level, the day
 * issued, and the age in days at the period's end.  qc_assessment_total()
 * also gives "notices_issued" and "notices_answered" in the period and
 * "notices_open".
 */
QC_EXTERN int qc_assessment_notice_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_notice_id(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_notice_case(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_notice_office(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_notice_node(const qc_assessment *a, int i);
QC_EXTERN const char *qc_assessment_notice_level(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_notice_issued(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_notice_age(const qc_assessment *a, int i);

/* ---- Workload credit (docs/assessment.md, "Workload credit") ------------- */

/*
 * Duties not attached to a case (QC_KIND_DUTY) and credit-only acts earn
 * workload credit, each kind weighted by the rules' assessment.credit;
 * credit is shown beside the quota count and never offsets it.  A unit
 * counts in the leader's post whose days cover it.  Kinds k from 0 to
 * qc_assessment_credit_kind_count() - 1.  qc_assessment_leader_credit_explain
 * writes "credit 50 from committee meeting x 20, petitioner received x 30;
 * none offsets the quota" (display names from rules, may be NULL; lang
 * "zh" or English), snprintf-like: the full length, or QC_EINVAL.
 */
QC_EXTERN double qc_assessment_leader_credit(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_credit_kind_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_credit_kind(const qc_assessment *a, int k);
QC_EXTERN double qc_assessment_leader_credit_units(const qc_assessment *a, int i, int k);
QC_EXTERN int qc_assessment_leader_credit_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                                  char *buf, size_t size);
/* The same for row i of qc_assessment_person_*. */
QC_EXTERN double qc_assessment_person_credit(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_person_credit_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                                  char *buf, size_t size);

/* ---- The case-to-proceeding ratio (案-件比, docs/deadlines.md) ---------- */

/*
 * When a rule set in force on the period's last day has a `ratio:`
 * section (and the store keeps steps), an assessment also counts, per
 * office of the cases: 案, the cases whose first intake step falls in the
 * period, and 件, those plus every step of the rules' proceeding kinds in
 * the period.  Rows i from 0 to qc_assessment_ratio_count() - 1 are the
 * offices in id order; i = -1 is every office together.  The ratio is
 * 件 / 案 (1 ideal; NAN with no 案).  The components are the proceeding
 * kinds, k from 0 to qc_assessment_ratio_component_count() - 1.
 */
QC_EXTERN int qc_assessment_has_ratio(const qc_assessment *a);
/* The deadlines of the assessment's cases on the period's last day (read
 * with qc_deadlines_*; owned by the assessment), or NULL when no rule set
 * has a deadlines: section or the store holds no steps. */
QC_EXTERN const qc_deadlines *qc_assessment_deadlines(const qc_assessment *a);
QC_EXTERN int qc_assessment_ratio_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_ratio_office(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_ratio_cases(const qc_assessment *a, int i);
QC_EXTERN int64_t qc_assessment_ratio_items(const qc_assessment *a, int i);
QC_EXTERN double qc_assessment_ratio(const qc_assessment *a, int i);
QC_EXTERN int qc_assessment_ratio_component_count(const qc_assessment *a);
QC_EXTERN const char *qc_assessment_ratio_component(const qc_assessment *a, int k);
QC_EXTERN int64_t qc_assessment_ratio_component_value(const qc_assessment *a, int i, int k);

/* ---- Inspections: sampling plans and draws (docs/inspections.md) -------- */

/*
 * A sampling plan (docs/inspections.md): which cases of a period are
 * candidates, their strata, the share drawn in each, and the triggers that
 * always select.  Every problem of the file is reported at once, as for
 * rule files (qc_error_detail); *out is NULL then.  A plan is read-only
 * once loaded and may be shared by threads.  qc_plan_hash is
 * "sha256:HEX" of the file's bytes; strings live as long as the plan.
 */
QC_EXTERN int qc_plan_load_file(qc_plan **out, const char *path);
QC_EXTERN int qc_plan_load_string(qc_plan **out, const char *text, size_t size, const char *name);
QC_EXTERN void qc_plan_free(qc_plan *plan);
QC_EXTERN const char *qc_plan_id(const qc_plan *plan);
QC_EXTERN const char *qc_plan_hash(const qc_plan *plan);
/* Its display name in lang ("zh" or "en"), else its id. */
QC_EXTERN const char *qc_plan_name(const qc_plan *plan, const char *lang);

/*
 * Draw the cases of office and every office under it for the days
 * from..to by plan, with seed (any text; record it before the draw):
 * the same plan, seed, period and store contents give the same list on
 * every platform, backend and binding (the algorithm is in
 * docs/inspections.md).  rules judge the triggers name_only, overdue and
 * labels, the strata by label, and leaders_only without leader_roles:;
 * it may be NULL when the plan needs none of them (QC_EINVAL says which
 * needs it).  Nothing is written: qc_sample_record writes it.  The caller
 * frees *out; it refers to none of the arguments.
 */
QC_EXTERN int qc_sample_draw(qc_sample **out, const qc_plan *plan, const qc_rules *rules, qc_store *store,
                             const char *office, int64_t from, int64_t to, const char *seed);

/*
 * Record a draw as inspection id: the inspection (plan, its hash, seed,
 * period, the journal head the draw read, the list's hash, by and when)
 * and one selection per case, in one transaction (the caller's, if one is
 * open).  QC_ESTATE, and nothing written, if the store changed since the
 * draw (its journal head moved): draw again.  QC_EEXIST if id is taken.
 */
QC_EXTERN int qc_sample_record(qc_sample *sample, qc_store *store, const char *id, const char *by);

/*
 * A recorded inspection, as the store holds it: its selections, each with
 * the grade of the latest review made for the inspection (NULL if none
 * yet).  QC_ENOTFOUND for an unknown id.
 */
QC_EXTERN int qc_sample_load(qc_sample **out, qc_store *store, const char *inspection);

/*
 * Draw a recorded inspection again and compare: the plan must be the one
 * it was drawn by (its hash; else QC_EVALUE), rules the ones it recorded
 * (QC_EVALUE), and the draw is made on the store as it was at the
 * recorded journal entry (qc_store_open_as_of's replay, up to that
 * entry; its head must be the recorded one).  QC_OK if the list drawn
 * again, the recorded list hash and the stored selections all agree;
 * QC_ETAMPERED naming the first difference otherwise.  *redrawn (may be
 * NULL) gets the new draw, the caller's to free.  QC_EUNSUPPORTED for a
 * backend without a journal.
 */
QC_EXTERN int qc_sample_check(qc_sample **redrawn, qc_store *store, const char *inspection, const qc_plan *plan,
                              const qc_rules *rules);
QC_EXTERN void qc_sample_free(qc_sample *sample);

/* The draw's inputs and what it read: strings live as long as the sample.
 * qc_sample_id and qc_sample_by are NULL until recorded. */
QC_EXTERN const char *qc_sample_id(const qc_sample *sample);
QC_EXTERN const char *qc_sample_plan(const qc_sample *sample);
QC_EXTERN const char *qc_sample_seed(const qc_sample *sample);
QC_EXTERN const char *qc_sample_office(const qc_sample *sample);
QC_EXTERN const char *qc_sample_by(const qc_sample *sample);
QC_EXTERN int64_t qc_sample_from(const qc_sample *sample);
QC_EXTERN int64_t qc_sample_to(const qc_sample *sample);
QC_EXTERN const char *qc_sample_head(const qc_sample *sample);
QC_EXTERN const char *qc_sample_list_hash(const qc_sample *sample);
/* How many cases were candidates (0 for a loaded inspection). */
QC_EXTERN int64_t qc_sample_candidates(const qc_sample *sample);

/*
 * The selected cases, for i from 0 to qc_sample_count() - 1, by stratum
 * then case id: the case, its office, department (may be NULL), line,
 * handler (NULL unless the plan strata by person), labels ("a,b"; NULL
 * without rules), stratum ("office=DL;line=prosecution", or "all"),
 * reason ("sample", or the triggers that selected it: "name_only,
 * low_grade"), and the grade of the review made for the inspection (a
 * loaded inspection; else NULL).
 */
QC_EXTERN int qc_sample_count(const qc_sample *sample);
QC_EXTERN const char *qc_sample_case(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_office(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_department(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_line(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_handler(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_labels(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_stratum(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_reason(const qc_sample *sample, int i);
QC_EXTERN const char *qc_sample_case_grade(const qc_sample *sample, int i);

/* The strata of a draw (none for a loaded inspection): each one's key, its
 * candidates, how many triggers selected and how many were drawn. */
QC_EXTERN int qc_sample_strata_count(const qc_sample *sample);
QC_EXTERN const char *qc_sample_stratum(const qc_sample *sample, int i);
QC_EXTERN int64_t qc_sample_stratum_candidates(const qc_sample *sample, int i);
QC_EXTERN int64_t qc_sample_stratum_triggered(const qc_sample *sample, int i);
QC_EXTERN int64_t qc_sample_stratum_drawn(const qc_sample *sample, int i);

/*
 * Write the list to path ("-": standard output) as "csv", "json", "text"
 * or "html" (a printable checklist: one row per case with office,
 * handler, labels, why selected, and a column for the reviewer), in lang
 * "zh" or "en".  With reviews (a loaded inspection), the grades by
 * office, department and handler follow the list.  Written beside path
 * and renamed into place when whole.
 */
QC_EXTERN int qc_sample_write(const qc_sample *sample, const char *path, const char *format, const char *lang);

/* ---- Case assignment (分案, docs/inspections.md) ---------------------- */

/*
 * Who may be assigned case_id on day (0: its registration day), and where
 * each stands this year: the people in the quota, in post on the day in
 * the case's department (in its office, with the case's line, when the
 * case has none; a leader in no department - the chief, the deputies -
 * takes cases of every department), whose role is among the assessment's leaders or
 * handlers, by the rule set in force on the day.  They come ranked by how
 * much the case would help them (qc_suggestion_score): a leader by the
 * share of the year's quota still missing and, for a hard case (a label
 * among the assessment's hard_labels), the focus share still missing;
 * then by fewest cases for their weight (the assessment's
 * assignment_weights: a leader's reduced share of new cases); then by id.
 * The figures are those of the assessment of the case's office for the
 * day's whole year.  The caller frees *out; it refers to none of the
 * arguments.  QC_ENOTFOUND for an unknown case.
 */
QC_EXTERN int qc_suggest(qc_suggestion **out, const qc_rules *rules, qc_store *store, const char *case_id, int64_t day);
QC_EXTERN void qc_suggestion_free(qc_suggestion *suggestion);
QC_EXTERN const char *qc_suggestion_case(const qc_suggestion *suggestion);
QC_EXTERN int64_t qc_suggestion_day(const qc_suggestion *suggestion);
/* 1 if the case carries a hard label. */
QC_EXTERN int qc_suggestion_hard(const qc_suggestion *suggestion);
/* For i from 0 to qc_suggestion_count() - 1, best first: the person, name,
 * role, whether a leader, weight, cases so far this year, and for a leader
 * counted against required and the focus share against the rule's; the
 * score the ranking used.  Strings live as long as the suggestion. */
QC_EXTERN int qc_suggestion_count(const qc_suggestion *suggestion);
QC_EXTERN const char *qc_suggestion_person(const qc_suggestion *suggestion, int i);
QC_EXTERN const char *qc_suggestion_name(const qc_suggestion *suggestion, int i);
QC_EXTERN const char *qc_suggestion_role(const qc_suggestion *suggestion, int i);
QC_EXTERN int qc_suggestion_leader(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_weight(const qc_suggestion *suggestion, int i);
QC_EXTERN int qc_suggestion_cases(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_counted(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_required(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_focus_share(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_focus_required(const qc_suggestion *suggestion, int i);
QC_EXTERN double qc_suggestion_score(const qc_suggestion *suggestion, int i);

/*
 * Assign the suggestion's case and record how (an assignment record, and
 * a participation in capacity unless capacity is NULL, in one
 * transaction - the caller's if one is open):
 *   QC_ASSIGN_RANDOM      person NULL; drawn among the candidates by
 *                         weight with seed (required), portably
 *                         (docs/inspections.md); the candidates and their
 *                         weights are recorded, so it can be drawn again;
 *   QC_ASSIGN_SUGGESTED   person among the candidates, or NULL for the
 *                         top of the ranking;
 *   QC_ASSIGN_DESIGNATED  person (anyone in the store) and a reason, both
 *                         required.
 * by (required) is who assigned it.  *chosen (may be NULL) is the person,
 * owned by the suggestion (or person).
 */
QC_EXTERN int qc_assign(const char **chosen, qc_store *store, const qc_suggestion *suggestion, qc_assign_method method,
                        const char *person, const char *seed, const char *by, const char *reason, const char *capacity);

/* QC_FFI_END */

#ifdef __cplusplus
}
#endif

#endif /* QUOTACASE_H */
