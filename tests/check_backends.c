/* SPDX-License-Identifier: MIT
 * check_backends.c - the conformance suite against every backend we ship,
 * plus a minimal third-party-style backend that fills only the required
 * version-1 slots (so every fallback of backend_call.c runs), and the
 * registry and schema-version checks.
 */
#include "config.h"

#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quotacase/conformance.h"
#include "outsider_backend.h"
#include "quotacase/backend.h"
#include "testutil.h"

static void memory_uri(char *buf, size_t size) { snprintf(buf, size, "memory:"); }

static char tmpdir[256];
static int sqlite_serial;

static void sqlite_uri(char *buf, size_t size)
{
    snprintf(buf, size, "sqlite:%s/store-%d-%d.db", tmpdir, (int)getpid(), sqlite_serial++);
}

static void sqlite_memory_uri(char *buf, size_t size) { snprintf(buf, size, "sqlite::memory:"); }

/* "minimal:" is the memory backend with every optional slot NULL. */
static qc_backend minimal;
static void minimal_uri(char *buf, size_t size) { snprintf(buf, size, "minimal:"); }

/* "outsider:" is written against the public headers alone. */
static void outsider_uri(char *buf, size_t size) { snprintf(buf, size, "outsider:"); }

START_TEST(test_registry)
{
    qc_backend bad = *qc_backend_memory();
    bad.name = "memory";
    ck_assert_qc_fails(qc_backend_register(&bad), QC_EINVAL, "built in");
    bad.name = "broken";
    bad.put = NULL;
    ck_assert_qc_fails(qc_backend_register(&bad), QC_EINVAL, "required slot");
    ck_assert_qc_fails(qc_backend_unregister("nothing"), QC_ENOTFOUND, "nothing");
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "minimal:"));
    ck_assert_str_eq(qc_store_backend(s), "minimal");
    qc_store_free(s);
}
END_TEST

START_TEST(test_sqlite_refuses_newer_schema)
{
    char uri[512];
    sqlite_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    qc_store_free(s);
    /* a later library wrote version 99: this one must not touch it */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA user_version = 99' 2>/dev/null", uri + 7);
    if (system(cmd) != 0) return; /* no sqlite3 shell: nothing to test with */
    ck_assert_qc_fails(qc_store_open(&s, uri), QC_ESCHEMA, "schema version 99");
    ck_assert_ptr_null(s);
}
END_TEST

/* One line of output of a sqlite3 shell command on the file of uri. */
static void shell_line(const char *uri, const char *sql, char *out, size_t size)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"%s\"", uri + strlen("sqlite:"), sql);
    FILE *p = popen(cmd, "r");
    out[0] = '\0';
    ck_assert_ptr_nonnull(p);
    if (!fgets(out, (int)size, p)) out[0] = '\0';
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
}

/* A file that cannot be opened says so, and only what SQLite said: the
 * system's error is added for I/O errors and a full disk alone. */
START_TEST(test_sqlite_open_and_count_errors)
{
    char uri[600], want[700], out[64];
    qc_store *s;
    snprintf(uri, sizeof uri, "sqlite:%s/no-such-dir/x.db", tmpdir);
    ck_assert_int_eq(qc_store_open(&s, uri), QC_EIO);
    snprintf(want, sizeof want, "%s: open: unable to open database file", uri);
    ck_assert_str_eq(qc_error_last(), want);
    /* a count that SQLite cannot run is an error, not a number */
    sqlite_uri(uri, sizeof uri);
    ck_assert_qc_ok(qc_store_open(&s, uri));
    shell_line(uri, "DROP TABLE reviews; SELECT 'dropped'", out, sizeof out);
    if (strcmp(out, "dropped")) { /* no sqlite3 shell: nothing to test with */
        qc_store_free(s);
        return;
    }
    int64_t n = -7;
    ck_assert_qc_fails(qc_store_count(&n, s, QC_KIND_REVIEW, NULL), QC_EBACKEND, "no such table: reviews");
    qc_store_free(s);
}
END_TEST

START_TEST(test_sqlite_migrates_version_1)
{
    char uri[512], cmd[4096], out[256];
    sqlite_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    static const char *const data =
        "offices:\n  - {id: O1, name: 某法院, kind: court, level: basic}\n"
        "people:\n  - {id: P1, name: x, office: O1, role: judge, in_quota: true}\n"
        "cases:\n  - {id: C2, office: O1, line: civil, type: contract, registered: 2017-03-01, facts: {parties: 3}}\n"
        "  - {id: C1, office: O1, line: civil, type: contract, registered: 2017-03-02}\n"
        "acts:\n  - {case: C2, person: P1, kind: hearing_presided, time: 2017-04-01}\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, data, strlen(data), "yaml", "seed.yaml", QC_KIND_NONE, NULL));
    qc_store_free(s);
    /* turn it back into a version-1 store, as an older library left it:
     * no classifications, one-column case indexes, cases a rowid table,
     * no identity of rows without ids - and an act imported twice */
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' 'DROP INDEX participations_same; DROP INDEX acts_same; DROP INDEX reviews_same;"
             " INSERT INTO acts(\"case\", person, kind, time) SELECT \"case\", person, kind, time FROM acts;"
             " DROP TABLE classifications; DROP TABLE revisions; DROP TABLE designations; DROP TABLE steps; DROP TABLE duties; DROP TABLE notices;"
             " DROP TABLE selections; DROP TABLE assignments; DROP TABLE inspections;"
             " CREATE TABLE reviews_v1(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, \"case\" TEXT NOT NULL REFERENCES cases(id),"
             " grade TEXT NOT NULL, scheme TEXT NOT NULL, reviewer TEXT, date INTEGER NOT NULL);"
             " INSERT INTO reviews_v1 SELECT seq, id, \"case\", grade, scheme, reviewer, date FROM reviews; DROP TABLE reviews;"
             " ALTER TABLE reviews_v1 RENAME TO reviews; CREATE INDEX reviews_case ON reviews(\"case\");"
             " DROP INDEX acts_case; CREATE INDEX acts_case ON acts(\"case\");"
             " DROP INDEX participations_case; CREATE INDEX participations_case ON participations(\"case\");"
             " CREATE TABLE cases_v1(id TEXT PRIMARY KEY NOT NULL, office TEXT NOT NULL REFERENCES offices(id),"
             " department TEXT REFERENCES departments(id), line TEXT NOT NULL, type TEXT NOT NULL,"
             " registered INTEGER NOT NULL, closed INTEGER, stage TEXT, source INTEGER);"
             " INSERT INTO cases_v1 SELECT * FROM cases; DROP TABLE cases; ALTER TABLE cases_v1 RENAME TO cases;"
             " CREATE INDEX cases_office ON cases(office, registered);"
             " PRAGMA user_version = 1' 2>/dev/null",
             uri + 7);
    ck_assert_uint_lt(strlen(cmd) + 1, sizeof cmd); /* not cut short */
    if (system(cmd) != 0) return; /* no sqlite3 shell: nothing to test with */
    shell_line(uri, "SELECT count(*) FROM acts", out, sizeof out);
    ck_assert_str_eq(out, "2"); /* the old store holds the act twice */
    shell_line(uri, "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = 'cases'", out, sizeof out);
    ck_assert_str_eq(out, "0");
    ck_assert_qc_ok(qc_store_open(&s, uri));
    int v;
    ck_assert_qc_ok(qc_store_schema_version(s, &v));
    ck_assert_int_eq(v, QC_SCHEMA_VERSION);
    int64_t n;
    /* version 5: the history begins with one insert per record held, before
     * any time; version 6: after the migration's mark and the entry that
     * seals it and begins the journal */
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_REVISION, NULL));
    ck_assert_int_eq(n, 2 + 1 + 1 + 2 + 1);
    qc_iter *hist;
    const qc_record *rev;
    ck_assert_qc_ok(qc_store_history(&hist, s, QC_KIND_CASE, "C2"));
    ck_assert_qc_ok(qc_iter_next(&rev, hist));
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_OP), QC_OP_INSERT);
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_RECORDED), 0);
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_ACTOR), "(before the history)");
    ck_assert_ptr_nonnull(strstr(qc_record_text(rev, QC_REVISION_BODY), "fact.parties:int=3\n"));
    ck_assert_int_eq(qc_iter_next(&rev, hist), QC_ITEROVER);
    qc_iter_free(hist);
    qc_store *then;
    ck_assert_qc_ok(qc_store_open_as_of(&then, s, 1)); /* it reads as the store did */
    ck_assert_qc_ok(qc_store_count(&n, then, QC_KIND_ACT, NULL));
    ck_assert_int_eq(n, 1);
    qc_store_free(then);
    /* a revision whose version was cut out of the file cannot be replayed: said, not guessed */
    shell_line(uri, "UPDATE revisions SET body = NULL WHERE record = 'C1'; SELECT changes()", out, sizeof out);
    ck_assert_str_eq(out, "1");
    ck_assert_qc_fails(qc_store_open_as_of(&then, s, 1), QC_ESCHEMA, "without the version it wrote");
    ck_assert_ptr_null(then);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CLASSIFICATION, NULL)); /* version 2: the new table is there */
    ck_assert_int_eq(n, 0);
    /* version 3: cases kept in id order, with every case, fact and act */
    qc_record *c;
    ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, "C2"));
    ck_assert_int_eq(qc_record_fact_int(c, qc_record_fact_find(c, "parties")), 3);
    qc_record_free(c);
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_case(f, "C2");
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_ACT, f));
    ck_assert_int_eq(n, 1); /* version 4: the act the old store held twice, once */
    qc_filter_free(f);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, NULL));
    ck_assert_int_eq(n, 2);
    qc_store_free(s);
    /* what the migration and the history wrote is folded back into the file, not left in the log */
    char wal[600];
    struct stat st;
    snprintf(wal, sizeof wal, "%s-wal", uri + 7);
    ck_assert(stat(wal, &st) != 0 || st.st_size == 0);
    shell_line(uri, "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = 'cases'", out, sizeof out);
    ck_assert_str_eq(out, "1");
    shell_line(uri, "SELECT count(*) FROM pragma_foreign_key_check", out, sizeof out);
    ck_assert_str_eq(out, "0");
    /* and the case indexes of acts and participations cover the assessment's reads */
    shell_line(uri, "SELECT (SELECT count(*) FROM pragma_index_info('acts_case')) || (SELECT count(*) FROM pragma_index_info('participations_case'))", out, sizeof out);
    ck_assert_str_eq(out, "54"); /* acts: case, seq, person, kind and (version 4) time */
    /* the foreign keys are on again */
    ck_assert_qc_ok(qc_store_open(&s, uri));
    ck_assert_qc_ok(qc_record_new(&c, QC_KIND_ACT));
    qc_record_set_text(c, QC_ACT_CASE, "C9");
    qc_record_set_text(c, QC_ACT_PERSON, "P1");
    qc_record_set_text(c, QC_ACT_KIND, "hearing_presided");
    qc_record_set_text(c, QC_ACT_TIME, "2017-04-01");
    ck_assert_int_lt(qc_store_put(s, c), 0);
    qc_record_free(c);
    qc_store_free(s);
}
END_TEST

START_TEST(test_sqlite_refuses_foreign_database)
{
    char path[512], uri[600];
    snprintf(path, sizeof path, "%s/foreign.db", tmpdir);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("this is not a database, just text long enough to be read as a header.......", f);
    fclose(f);
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    int rc = qc_store_open(&s, uri);
    ck_assert_msg(rc == QC_ESCHEMA, "got %s: %s", qc_status_name(rc), qc_error_last());
}
END_TEST

/* SQLite's failures as the library's codes: a file that cannot be opened
 * is QC_EIO; a write past the disk's room is QC_EIO naming what the
 * system said; a failure between a case's row and its facts leaves
 * neither. */
START_TEST(test_sqlite_failures_map_to_codes)
{
    char uri[600];
    qc_store *s;
    snprintf(uri, sizeof uri, "sqlite:%s/no/such/dir/x.db", tmpdir);
    int rc = qc_store_open(&s, uri);
    ck_assert_msg(rc == QC_EIO && strstr(qc_error_last(), "unable to open"), "got %s: %s", qc_status_name(rc), qc_error_last());
    /* a file-size limit in a child: every write past it fails, as on a full disk */
    sqlite_uri(uri, sizeof uri);
    ck_assert_qc_ok(qc_store_open(&s, uri));
    qc_store_free(s);
    fflush(NULL);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        struct rlimit lim = {64 * 1024, 64 * 1024};
        signal(SIGXFSZ, SIG_IGN);
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0 || qc_store_open(&s, uri) < 0) _exit(2);
        char *csv = malloc(4 << 20);
        size_t n = (size_t)snprintf(csv, 64, "id,name,kind,level\n");
        for (int i = 0; i < 40000; i++) n += (size_t)snprintf(csv + n, 128, "O%d,an office of some length,court,basic\n", i);
        rc = qc_store_import_buffer(s, csv, n, "csv", "offices.csv", QC_KIND_NONE, NULL);
        bool right = rc == QC_EIO && strstr(qc_error_last(), "(File too large)");
        if (!right) fprintf(stderr, "got %s: %s\n", qc_status_name(rc), qc_error_last());
        qc_store_free(s);
        free(csv);
        _exit(right ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    /* the facts cannot be written (a trigger refuses them): nothing of the case is */
    char cmd[1400], out[64];
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' \"CREATE TRIGGER no_facts BEFORE INSERT ON case_facts BEGIN SELECT RAISE(ABORT, 'no facts'); END;\""
             " 2>/dev/null", uri + 7);
    if (system(cmd) != 0) return; /* no sqlite3 shell */
    ck_assert_qc_ok(qc_store_open(&s, uri));
    static const char data[] = "offices: [{id: O, name: x, kind: court, level: basic}]\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, data, sizeof data - 1, "yaml", "o.yaml", QC_KIND_NONE, NULL));
    static const char kase[] = "cases: [{id: K, office: O, line: l, type: t, registered: 2017-01-01, facts: {n: 1}}]\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, kase, sizeof kase - 1, "yaml", "k.yaml", QC_KIND_NONE, NULL), QC_EBACKEND,
                       "no facts");
    qc_store_free(s);
    shell_line(uri, "SELECT count(*) FROM cases", out, sizeof out);
    ck_assert_str_eq(out, "0");
}
END_TEST

/* A store that must exist: a missing file is QC_ENOTFOUND and is not
 * created; an existing one opens; other schemes open as usual. */
START_TEST(test_open_existing)
{
    char path[512], uri[600];
    qc_store *s = (qc_store *)1;
    snprintf(path, sizeof path, "%s/missing.db", tmpdir);
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    ck_assert_qc_fails(qc_store_open_existing(&s, uri), QC_ENOTFOUND, "no store at");
    ck_assert_ptr_null(s);
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_qc_fails(qc_store_open_existing(&s, path), QC_ENOTFOUND, "create one with quotacase init");
    ck_assert_int_ne(access(path, F_OK), 0);
    ck_assert_qc_ok(qc_store_open(&s, uri)); /* creates it */
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open_existing(&s, uri));
    ck_assert_str_eq(qc_store_backend(s), "sqlite");
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open_existing(&s, "memory:"));
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open_existing(&s, "sqlite::memory:"));
    qc_store_free(s);
    ck_assert_qc_fails(qc_store_open_existing(NULL, uri), QC_EINVAL, "NULL");
    unlink(path);
}
END_TEST

/*
 * A backend compiled against the version-1 header: its table is exactly
 * the version-1 layout, on the heap, so that reading a slot past it (one a
 * later version appends) is an overflow AddressSanitizer and valgrind
 * report.  The library must look at `version` before any later slot.
 */
typedef struct v1_backend_layout {
    int version;
    const char *name;
    int (*open)(qc_backend_conn **, const struct qc_backend *, const char *);
    void (*close)(qc_backend_conn *);
    int (*begin)(qc_backend_conn *);
    int (*commit)(qc_backend_conn *);
    int (*rollback)(qc_backend_conn *);
    int (*put)(qc_backend_conn *, const qc_record *);
    int (*get)(qc_backend_conn *, qc_kind, const char *, qc_record *);
    int (*iter_open)(qc_backend_cursor **, qc_backend_conn *, qc_kind, const qc_filter *);
    int (*iter_next)(qc_backend_cursor *, qc_record *);
    void (*iter_close)(qc_backend_cursor *);
    int (*exists)(qc_backend_conn *, qc_kind, const char *);
    int (*count)(qc_backend_conn *, qc_kind, const qc_filter *, int64_t *);
    int (*schema_version)(qc_backend_conn *, int *);
} v1_backend_layout;

START_TEST(test_backend_built_against_version_1)
{
    ck_assert_uint_le(sizeof(v1_backend_layout), sizeof(qc_backend));
    v1_backend_layout *old = malloc(sizeof *old);
    ck_assert_ptr_nonnull(old);
    memcpy(old, qc_backend_memory(), sizeof *old);
    old->version = QC_BACKEND_VERSION_1;
    old->name = "legacy";
    const qc_backend *as_new = (const qc_backend *)old;
    qc_store *s;
    ck_assert_qc_ok(qc_store_open_backend(&s, as_new, ""));
    qc_record *o;
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    qc_record_set_text(o, QC_OFFICE_ID, "O");
    qc_record_set_text(o, QC_OFFICE_NAME, "x");
    qc_record_set_text(o, QC_OFFICE_KIND, "court");
    qc_record_set_text(o, QC_OFFICE_LEVEL, "basic");
    ck_assert_qc_ok(qc_store_put(s, o));
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(n, 1);
    int v;
    ck_assert_qc_ok(qc_store_schema_version(s, &v));
    /* no history before version 4: records stay as they were put, and the
     * library never reads the slots that version appended */
    qc_record_set_text(o, QC_OFFICE_NAME, "y");
    ck_assert_qc_fails(qc_store_amend(s, o, "renamed"), QC_EUNSUPPORTED, "cannot change a stored record");
    ck_assert_qc_fails(qc_store_withdraw(s, QC_KIND_OFFICE, "O", "wrong"), QC_EUNSUPPORTED, "cannot withdraw");
    qc_store *then;
    ck_assert_qc_fails(qc_store_open_as_of(&then, s, 0), QC_EUNSUPPORTED, "keeps no history");
    ck_assert_ptr_null(then);
    qc_iter *it;
    ck_assert_qc_fails(qc_store_history(&it, s, QC_KIND_OFFICE, "O"), QC_EUNSUPPORTED, "does not store revision");
    qc_record *got;
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_OFFICE, "O"));
    ck_assert_str_eq(qc_record_text(got, QC_OFFICE_NAME), "x");
    qc_record_free(got);
    qc_record_free(o);
    qc_store_free(s);
    free(old);
}
END_TEST

/* For the version-2 backend below: iterating offices fails when asked to. */
static bool offices_fail;
static int failing_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *f)
{
    if (offices_fail && kind == QC_KIND_OFFICE) return qc_backend_error(QC_EBACKEND, "offices unreadable");
    return qc_backend_memory()->iter_open(out, conn, kind, f);
}

/*
 * A backend compiled against the version-2 header: by case through
 * iter_open, and no app_data or iter_by_case after open_readers (a heap
 * table of exactly that size, so reading past it is caught).
 */
typedef struct v2_backend_layout {
    v1_backend_layout v1;
    int (*open_readers)(qc_backend_conn *, int, qc_backend_conn **);
} v2_backend_layout;

START_TEST(test_backend_built_against_version_2)
{
    v2_backend_layout *old = malloc(sizeof *old);
    ck_assert_ptr_nonnull(old);
    memcpy(old, qc_backend_memory(), sizeof *old); /* memory's iter_open orders by case, as version 2 promised */
    old->v1.version = QC_BACKEND_VERSION_2;
    old->v1.name = "v2";
    qc_store *s;
    ck_assert_qc_ok(qc_store_open_backend(&s, (const qc_backend *)old, ""));
    static const char data[] = "offices: [{id: O, name: x, kind: court, level: basic}]\n"
                               "people: [{id: P, name: x, office: O, role: judge}]\n"
                               "cases: [{id: K2, office: O, line: l, type: t, registered: 2017-01-01},"
                               " {id: K1, office: O, line: l, type: t, registered: 2017-01-01}]\n"
                               "acts: [{case: K2, person: P, kind: a, time: 2017-02-01}, {case: K1, person: P, kind: b, time: 2017-02-01}]\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, data, sizeof data - 1, "yaml", "v2.yaml", QC_KIND_NONE, NULL));
    qc_filter *f;
    qc_iter *it;
    const qc_record *r;
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_by_case(f, 1));
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_ACT, f));
    ck_assert_qc_ok(qc_iter_next(&r, it));
    ck_assert_str_eq(qc_record_text(r, QC_ACT_CASE), "K1");
    qc_iter_free(it);
    qc_filter_free(f);
    /* classifying the store reads its cases first on a version-2 backend:
     * every case classified, a failure on any case fails the whole call */
    qc_rules *rules;
    qc_classifier *c;
    int64_t written = -1, n;
    ck_assert_qc_ok(qc_rules_load_string(&rules,
        "name: v\nversion: '1'\neffective_from: 2017-01-01\nfacts: {n: {type: int, missing: false}}\n"
        "labels: [{id: big}, {id: small, fallback: true}]\nclassify: [{id: r, label: big, when: n > 2}]\n", "v.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    ck_assert_qc_ok(qc_classify_store(c, s, NULL, &written));
    ck_assert_int_eq(written, 2);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CLASSIFICATION, NULL));
    ck_assert_int_eq(n, 2);
    static const char bad[] = "cases: [{id: K3, office: O, line: l, type: t, registered: 2017-01-01, facts: {n: many}}]\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, bad, sizeof bad - 1, "yaml", "bad.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_fails(qc_classify_store(c, s, NULL, &written), QC_ETYPE, "fact n");
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CLASSIFICATION, NULL));
    ck_assert_int_eq(n, 2);
    /* the offices cannot be read: the call fails before classifying */
    old->v1.iter_open = failing_iter_open;
    offices_fail = true;
    ck_assert_qc_fails(qc_classify_store(c, s, NULL, &written), QC_EBACKEND, "offices unreadable");
    offices_fail = false;
    qc_classifier_free(c);
    qc_rules_free(rules);
    qc_store_free(s);
    free(old);
}
END_TEST

/* The outsider keeps its state behind app_data; the library never
 * touches it. */
START_TEST(test_outsider_app_data)
{
    const qc_test_outsider_stats *stats = qc_test_outsider_backend()->app_data;
    int before = stats->opens;
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "outsider:"));
    ck_assert_int_eq(stats->opens, before + 1);
    ck_assert_str_eq(qc_store_backend(s), "outsider");
    qc_store_free(s);
}
END_TEST

static void put_office(qc_store *s, const char *id)
{
    qc_record *o;
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    qc_record_set_text(o, QC_OFFICE_ID, id);
    qc_record_set_text(o, QC_OFFICE_NAME, "x");
    qc_record_set_text(o, QC_OFFICE_KIND, "court");
    qc_record_set_text(o, QC_OFFICE_LEVEL, "basic");
    ck_assert_qc_ok(qc_store_put(s, o));
    qc_record_free(o);
}

/* The open_readers slot: every reader sees the state of the moment they
 * were opened, not a commit after; none while another holds the write
 * lock, and none for a database in memory. */
/* A backend older than version 7 cannot select a subtree: the library
 * refuses, naming the way out, rather than answer for the office alone. */
START_TEST(test_old_backend_refuses_a_subtree)
{
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "outsider:"));
    put_office(s, "O1");
    qc_record *o;
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    qc_record_set_text(o, QC_OFFICE_ID, "O2");
    qc_record_set_text(o, QC_OFFICE_NAME, "x");
    qc_record_set_text(o, QC_OFFICE_KIND, "court");
    qc_record_set_text(o, QC_OFFICE_LEVEL, "basic");
    qc_record_set_text(o, QC_OFFICE_PARENT, "O1");
    ck_assert_qc_ok(qc_store_put(s, o));
    qc_record_free(o);
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_office(f, "O1");
    ck_assert_qc_ok(qc_store_set_office_subtree(s, 1));
    qc_iter *it;
    int64_t n;
    ck_assert_qc_fails(qc_iter_new(&it, s, QC_KIND_OFFICE, f), QC_EUNSUPPORTED, "ask for O1 alone (--only)");
    ck_assert_qc_fails(qc_store_count(&n, s, QC_KIND_OFFICE, f), QC_EUNSUPPORTED, "outsider backend (version 3)");
    qc_filter_set_office_subtree(f, 0);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, f));
    ck_assert_int_eq(n, 1);
    qc_filter_set_office(f, "O2"); /* nothing under it: served */
    qc_filter_set_office_subtree(f, 1);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, f));
    ck_assert_int_eq(n, 1);
    qc_filter_free(f);
    qc_store_free(s);
}
END_TEST

START_TEST(test_sqlite_readers_share_a_snapshot)
{
    char uri[512];
    sqlite_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    put_office(s, "O1");
    const qc_backend *b = qc_backend_sqlite();
    qc_backend_conn *conn, *readers[2];
    ck_assert_qc_ok(b->open(&conn, b, uri + strlen("sqlite:")));
    ck_assert_qc_ok(b->open_readers(conn, 2, readers));
    put_office(s, "O2");
    int64_t n;
    for (int i = 0; i < 2; i++) {
        ck_assert_qc_ok(b->count(readers[i], QC_KIND_OFFICE, NULL, &n));
        ck_assert_int_eq(n, 1);
        b->close(readers[i]);
    }
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(n, 2);
    /* a writer holds the lock: no readers now (the caller reads alone) */
    ck_assert_qc_ok(qc_store_begin(s));
    put_office(s, "O3");
    ck_assert_qc_fails(b->open_readers(conn, 2, readers), QC_EUNSUPPORTED, "no parallel readers now");
    ck_assert_qc_ok(qc_store_commit(s));
    b->close(conn);
    qc_store_free(s);
    ck_assert_qc_ok(b->open(&conn, b, ":memory:"));
    ck_assert_qc_fails(b->open_readers(conn, 1, readers), QC_EUNSUPPORTED, "writable database file");
    b->close(conn);
    ck_assert_ptr_null(qc_backend_memory()->open_readers);
}
END_TEST

static Suite *extras_suite(void)
{
    Suite *s = suite_create("backends");
    TCase *tc = tcase_create("backends");
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_sqlite_refuses_newer_schema);
    tcase_add_test(tc, test_sqlite_refuses_foreign_database);
    tcase_add_test(tc, test_open_existing);
    tcase_add_test(tc, test_sqlite_failures_map_to_codes);
    tcase_add_test(tc, test_sqlite_open_and_count_errors);
    tcase_add_test(tc, test_sqlite_migrates_version_1);
    tcase_add_test(tc, test_backend_built_against_version_1);
    tcase_add_test(tc, test_backend_built_against_version_2);
    tcase_add_test(tc, test_outsider_app_data);
    tcase_add_test(tc, test_sqlite_readers_share_a_snapshot);
    tcase_add_test(tc, test_old_backend_refuses_a_subtree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (!qc_test_tmpdir(tmpdir, sizeof tmpdir, "backends")) return EXIT_FAILURE;
    minimal = *qc_backend_memory();
    minimal.name = "minimal";
    minimal.version = QC_BACKEND_VERSION_1; /* the library sorts by case for it */
    minimal.open_readers = NULL;
    minimal.exists = NULL;
    minimal.count = NULL;
    minimal.schema_version = NULL;
    if (qc_backend_register(&minimal) != QC_OK || qc_backend_register(qc_test_outsider_backend()) != QC_OK) {
        fprintf(stderr, "register: %s\n", qc_error_last());
        return EXIT_FAILURE;
    }
    static const qc_conformance_target targets[] = {
        {"memory", memory_uri, 0, 0},
        {"sqlite-file", sqlite_uri, 1, 0},
        {"sqlite-memory", sqlite_memory_uri, 0, 0},
        {"minimal", minimal_uri, 0, QC_BACKEND_VERSION_1},
        {"outsider", outsider_uri, 0, QC_BACKEND_VERSION_3},
    };
    SRunner *sr = srunner_create(extras_suite());
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        srunner_add_suite(sr, qc_conformance_suite(&targets[i]));
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    qc_test_rmdir(tmpdir);
    qc_backend_unregister("minimal");
    qc_backend_unregister("outsider");
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
