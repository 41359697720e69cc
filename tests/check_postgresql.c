/* SPDX-License-Identifier: MIT
 * check_postgresql.c - the postgresql: backend against a real server: a
 * throwaway cluster (pgcluster.c) runs the whole conformance suite,
 * unchanged, and what only a server has: schemas that are not stores,
 * newer schemas, lost connections, writers that take turns, readers on
 * one exported snapshot.  Skips (77) without the server binaries unless
 * QC_TEST_POSTGRESQL=required.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgcluster.h"
#include "quotacase.h"
#include "quotacase/backend.h"
#include "quotacase/conformance.h"
#include "testutil.h"

static void fresh_uri(char *buf, size_t size) { qc_pg_fresh_uri(buf, size); }

/* The schema named in a fresh URI ("...search_path=store_1_2'"). */
static const char *schema_of(const char *uri, char *buf, size_t size)
{
    const char *p = strstr(uri, "search_path=");
    ck_assert_ptr_nonnull(p);
    snprintf(buf, size, "%s", p + strlen("search_path="));
    buf[strcspn(buf, "'")] = '\0';
    return buf;
}

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

START_TEST(test_refuses_newer_schema)
{
    char uri[512], schema[64], sql[256];
    fresh_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    put_office(s, "O1");
    qc_store_free(s);
    snprintf(sql, sizeof sql, "UPDATE %s.qc_store SET value = '99' WHERE key = 'schema_version'",
             schema_of(uri, schema, sizeof schema));
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    ck_assert_qc_fails(qc_store_open(&s, uri), QC_ESCHEMA, "schema version 99");
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_refuses_a_schema_that_is_not_a_store)
{
    char uri[512], schema[64], sql[256];
    fresh_uri(uri, sizeof uri);
    snprintf(sql, sizeof sql, "CREATE TABLE %s.payroll(id int)", schema_of(uri, schema, sizeof schema));
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    qc_store *s;
    ck_assert_qc_fails(qc_store_open(&s, uri), QC_ESCHEMA, "not a quotacase store");
    /* untouched: no table of ours was created beside it */
    snprintf(sql, sizeof sql, "DO $$BEGIN IF to_regclass('%s.offices') IS NOT NULL THEN RAISE 'created'; END IF; END$$",
             schema);
    ck_assert_int_eq(qc_pg_exec(sql), 0);
}
END_TEST

START_TEST(test_connection_errors_are_clear)
{
    qc_store *s;
    ck_assert_qc_fails(qc_store_open(&s, "postgresql:host=/nonexistent-dir user=qc dbname=qc"), QC_EIO,
                       "cannot connect");
    char info[512], uri[600];
    qc_pg_conninfo(info, sizeof info, "options='-c search_path=no_such_schema'");
    snprintf(uri, sizeof uri, "postgresql:%s", info);
    ck_assert_qc_fails(qc_store_open(&s, uri), QC_EIO, "CREATE SCHEMA");
    /* the URL form, its scheme given once: postgresql://user@/db?host=DIR */
    fresh_uri(uri, sizeof uri);
    char schema[64], url[700];
    snprintf(url, sizeof url, "postgresql://qc@/qc?host=%s&options=-csearch_path%%3D%s", qc_pg_host(),
             schema_of(uri, schema, sizeof schema));
    ck_assert_qc_ok(qc_store_open(&s, url));
    put_office(s, "O1");
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open(&s, uri)); /* the same store */
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(n, 1);
    qc_store_free(s);
}
END_TEST

/* The server ends the session under the store: every call after says
 * so, and an open transaction is gone, not half-kept. */
START_TEST(test_lost_connection)
{
    char uri[512], schema[64], sql[256];
    fresh_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    ck_assert_qc_ok(qc_store_begin(s));
    put_office(s, "O1");
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'qc' AND pid <> pg_backend_pid()"
             " AND backend_type = 'client backend'");
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    ck_assert_qc_fails(qc_store_commit(s), QC_EIO, "connection");
    /* outside a transaction the handle connects again by itself: nothing
     * of the caller's was open to lose */
    int64_t before;
    ck_assert_qc_ok(qc_store_count(&before, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    ck_assert_qc_ok(qc_store_count(&before, s, QC_KIND_OFFICE, NULL)); /* a plain statement, sent again */
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    qc_record *r = NULL;
    ck_assert_int_eq(qc_store_get(&r, s, QC_KIND_OFFICE, "O1"), QC_ENOTFOUND); /* a prepared one, prepared again */
    put_office(s, "O2"); /* and a write in a transaction of its own */
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open(&s, uri));
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(n, 1); /* O2; of O1's transaction nothing */
    ck_assert_int_eq(qc_store_get(&r, s, QC_KIND_OFFICE, "O1"), QC_ENOTFOUND);
    qc_store_free(s);
    (void)schema;
}
END_TEST

/* Writers take turns (one journal): two processes writing at once both
 * land whole, and the chain verifies. */
START_TEST(test_writers_take_turns)
{
    char uri[512];
    fresh_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    put_office(s, "O0");
    qc_store_free(s);
    pid_t kids[4];
    for (int k = 0; k < 4; k++) {
        if ((kids[k] = fork()) == 0) {
            qc_store *w;
            if (qc_store_open(&w, uri) != QC_OK || qc_store_begin(w) != QC_OK) _exit(1);
            for (int i = 0; i < 25; i++) {
                char id[32];
                snprintf(id, sizeof id, "K%d-%02d", k, i);
                qc_record *o;
                qc_record_new(&o, QC_KIND_OFFICE);
                qc_record_set_text(o, QC_OFFICE_ID, id);
                qc_record_set_text(o, QC_OFFICE_NAME, "x");
                qc_record_set_text(o, QC_OFFICE_KIND, "court");
                qc_record_set_text(o, QC_OFFICE_LEVEL, "basic");
                qc_record_set_text(o, QC_OFFICE_PARENT, "O0");
                if (qc_store_put(w, o) != QC_OK) _exit(2);
                qc_record_free(o);
            }
            _exit(qc_store_commit(w) == QC_OK ? 0 : 3);
        }
    }
    for (int k = 0; k < 4; k++) {
        int status;
        ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(WEXITSTATUS(status), 0);
    }
    ck_assert_qc_ok(qc_store_open(&s, uri));
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_OFFICE, NULL));
    ck_assert_int_eq(n, 101);
    qc_verify *v;
    ck_assert_qc_ok(qc_store_verify(&v, s, NULL));
    qc_verify_free(v);
    qc_store_free(s);
}
END_TEST

START_TEST(test_readers_share_a_snapshot)
{
    char uri[512];
    fresh_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    put_office(s, "O1");
    const qc_backend *b = qc_backend_postgresql();
    qc_backend_conn *conn, *readers[2];
    ck_assert_qc_ok(b->open(&conn, b, uri + strlen("postgresql:")));
    ck_assert_qc_ok(b->open_readers(conn, 2, readers));
    put_office(s, "O2");
    /* a writer in the middle of its transaction does not hold them up */
    ck_assert_qc_ok(qc_store_begin(s));
    put_office(s, "O3");
    for (int i = 0; i < 2; i++) {
        int64_t n;
        ck_assert_qc_ok(b->count(readers[i], QC_KIND_OFFICE, NULL, &n));
        ck_assert_int_eq(n, 1);
        qc_backend_cursor *cur;
        ck_assert_qc_ok(b->iter_open(&cur, readers[i], QC_KIND_OFFICE, NULL));
        qc_record *r;
        ck_assert_qc_ok(qc_record_new(&r, QC_KIND_OFFICE));
        ck_assert_qc_ok(b->iter_next(cur, r));
        ck_assert_str_eq(qc_record_text(r, QC_OFFICE_ID), "O1");
        qc_record_clear(r);
        ck_assert_int_eq(b->iter_next(cur, r), QC_ITEROVER);
        qc_record_free(r);
        b->iter_close(cur);
        ck_assert_int_eq(b->begin(readers[i]), QC_ESTATE); /* readers never write */
        b->close(readers[i]);
    }
    ck_assert_qc_ok(qc_store_commit(s));
    b->close(conn);
    qc_store_free(s);
}
END_TEST

/* An iteration stays open across writes committed on the same store. */
START_TEST(test_iteration_outlives_a_commit)
{
    char uri[512];
    fresh_uri(uri, sizeof uri);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    for (int i = 0; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "O%d", i);
        put_office(s, id);
    }
    qc_iter *it;
    const qc_record *r;
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_OFFICE, NULL));
    ck_assert_qc_ok(qc_iter_next(&r, it));
    put_office(s, "P1"); /* its own transaction, committed */
    int seen = 1;
    while (qc_iter_next(&r, it) == QC_OK) seen++;
    ck_assert_int_eq(seen, 5); /* the iteration's snapshot */
    qc_iter_free(it);
    qc_store_free(s);
}
END_TEST

/* One line of output of plain psql, connected as role to the store of
 * uri (its schema on the search path). */
static void psql_as(const char *role, const char *schema, const char *sql, char *out, size_t size)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PGOPTIONS='-c search_path=%s' psql -X -At -v ON_ERROR_STOP=1 -h '%s' -U %s -d qc -c \"%s\" 2>&1", schema,
             qc_pg_host(), role, sql);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    pclose(p);
    for (char *c = out; *c; c++)
        if (*c == '\n') *c = ' ';
}

static qc_record *office(const char *id, const char *parent)
{
    qc_record *o;
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    qc_record_set_text(o, QC_OFFICE_ID, id);
    qc_record_set_text(o, QC_OFFICE_NAME, id);
    qc_record_set_text(o, QC_OFFICE_KIND, "procuratorate");
    qc_record_set_text(o, QC_OFFICE_LEVEL, parent ? "basic" : "provincial");
    if (parent) qc_record_set_text(o, QC_OFFICE_PARENT, parent);
    return o;
}

static qc_record *a_case(const char *id, const char *office_id)
{
    qc_record *k;
    ck_assert_qc_ok(qc_record_new(&k, QC_KIND_CASE));
    qc_record_set_text(k, QC_CASE_ID, id);
    qc_record_set_text(k, QC_CASE_OFFICE, office_id);
    qc_record_set_text(k, QC_CASE_LINE, "prosecution");
    qc_record_set_text(k, QC_CASE_TYPE, "theft");
    qc_record_set_text(k, QC_CASE_REGISTERED, "2017-03-01");
    return k;
}

/* Offices see only their own data, enforced by the server: a role bound
 * to an office (qc_bind_role) reads and writes its subtree and nothing
 * else, through plain psql as through the library; a read-only role
 * reads; an unbound role sees nothing. */
START_TEST(test_row_level_security)
{
    char uri[512], schema[64], sql[512], got[1024], role_info[700], ro_info[700];
    fresh_uri(uri, sizeof uri);
    schema_of(uri, schema, sizeof schema);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    const char *tree[][2] = {{"LN", NULL}, {"DL", "LN"}, {"DL-ZS", "DL"}, {"SY", "LN"}};
    for (size_t i = 0; i < 4; i++) {
        qc_record *o = office(tree[i][0], tree[i][1]);
        ck_assert_qc_ok(qc_store_put(s, o));
        qc_record_free(o);
    }
    const char *cases[][2] = {{"C1", "DL"}, {"C2", "DL-ZS"}, {"C3", "SY"}, {"C4", "LN"}};
    for (size_t i = 0; i < 4; i++) {
        qc_record *k = a_case(cases[i][0], cases[i][1]);
        ck_assert_qc_ok(qc_store_put(s, k));
        qc_record_free(k);
    }
    /* an inspection of DL and one of SY, each with a selected case */
    const char *inspections[][3] = {{"I-DL", "DL", "C1"}, {"I-SY", "SY", "C3"}};
    for (size_t i = 0; i < 2; i++) {
        qc_record *r;
        ck_assert_qc_ok(qc_record_new(&r, QC_KIND_INSPECTION));
        const char *fields[][2] = {{"id", inspections[i][0]}, {"office", inspections[i][1]}, {"plan", "p"},
                                   {"plan_hash", "sha256:0"}, {"period_from", "2017-01-01"}, {"period_to", "2017-12-31"},
                                   {"seed", "1"}, {"head", "none:"}, {"cases", "1"}, {"list_hash", "sha256:0"},
                                   {"by", "x"}, {"drawn", "2018-01-05"}};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            ck_assert_qc_ok(qc_record_set_text(r, qc_field_lookup(QC_KIND_INSPECTION, fields[f][0]), fields[f][1]));
        ck_assert_qc_ok(qc_store_put(s, r));
        qc_record_free(r);
        ck_assert_qc_ok(qc_record_new(&r, QC_KIND_SELECTION));
        ck_assert_qc_ok(qc_record_set_text(r, QC_SELECTION_CASE, inspections[i][2]));
        ck_assert_qc_ok(qc_record_set_text(r, QC_SELECTION_INSPECTION, inspections[i][0]));
        ck_assert_qc_ok(qc_record_set_text(r, QC_SELECTION_STRATUM, "all"));
        ck_assert_qc_ok(qc_record_set_text(r, QC_SELECTION_REASON, "sample"));
        ck_assert_qc_ok(qc_store_put(s, r));
        qc_record_free(r);
    }
    qc_store_free(s);
    char clerk[64], inspector[64], stranger[64];
    snprintf(clerk, sizeof clerk, "dl_clerk_%d", (int)getpid());
    snprintf(inspector, sizeof inspector, "ln_inspector_%d", (int)getpid());
    snprintf(stranger, sizeof stranger, "stranger_%d", (int)getpid());
    snprintf(sql, sizeof sql,
             "CREATE ROLE %s LOGIN; CREATE ROLE %s LOGIN; CREATE ROLE %s LOGIN; SET search_path = %s;"
             "SELECT qc_bind_role('%s', 'DL'); SELECT qc_bind_role('%s', 'LN', true);"
             "GRANT USAGE ON SCHEMA %s TO %s; GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s",
             clerk, inspector, stranger, schema, clerk, inspector, schema, stranger, schema, stranger);
    ck_assert_int_eq(qc_pg_exec(sql), 0);
    /* plain psql */
    psql_as(clerk, schema, "SELECT id FROM cases ORDER BY id", got, sizeof got);
    ck_assert_str_eq(got, "C1 C2 ");
    psql_as(clerk, schema, "SELECT count(*) FROM offices", got, sizeof got);
    ck_assert_str_eq(got, "4 "); /* the directory */
    psql_as(stranger, schema, "SELECT count(*) FROM cases", got, sizeof got);
    ck_assert_str_eq(got, "0 ");
    /* schema 8's tables too: inspections by their office, selections by their case */
    psql_as(clerk, schema, "SELECT id FROM inspections ORDER BY id", got, sizeof got);
    ck_assert_str_eq(got, "I-DL ");
    psql_as(clerk, schema, "SELECT inspection FROM selections ORDER BY 1", got, sizeof got);
    ck_assert_str_eq(got, "I-DL ");
    psql_as(stranger, schema, "SELECT count(*) FROM inspections", got, sizeof got);
    ck_assert_str_eq(got, "0 ");
    psql_as(inspector, schema, "SELECT id FROM cases ORDER BY id", got, sizeof got);
    ck_assert_str_eq(got, "C1 C2 C3 C4 ");
    psql_as(clerk, schema, "SELECT count(*) FROM revisions WHERE kind <> 'journal' AND seq < (SELECT max(seq) FROM revisions)",
            got, sizeof got);
    ck_assert_str_eq(got, "0 "); /* the journal's bodies are nobody's but the owner's */
    psql_as(clerk, schema, "UPDATE cases SET stage = 'x' WHERE id = 'C3'", got, sizeof got);
    ck_assert_str_eq(got, "UPDATE 0 ");
    psql_as(clerk, schema, "INSERT INTO cases(id, office, line, type, registered) VALUES ('C9', 'SY', 'p', 't', 1)",
            got, sizeof got);
    ck_assert_ptr_nonnull(strstr(got, "row-level security"));
    /* through the library, as the clerk */
    char info[600], conn[640];
    snprintf(info, sizeof info, "options='-c search_path=%s' user=%s", schema, clerk);
    qc_pg_conninfo(conn, sizeof conn, info);
    snprintf(role_info, sizeof role_info, "postgresql:%s", conn);
    ck_assert_qc_ok(qc_store_open(&s, role_info));
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, NULL));
    ck_assert_int_eq(n, 2);
    qc_record *k = a_case("C5", "DL-ZS");
    ck_assert_qc_ok(qc_store_put(s, k)); /* chained to the journal it cannot read */
    qc_record_free(k);
    k = a_case("C6", "SY");
    ck_assert_qc_fails(qc_store_put(s, k), QC_EDENIED, "row-level security");
    qc_record_free(k);
    qc_store_free(s);
    /* the inspector reads everything under LN and writes nothing */
    snprintf(info, sizeof info, "options='-c search_path=%s' user=%s", schema, inspector);
    qc_pg_conninfo(conn, sizeof conn, info);
    snprintf(ro_info, sizeof ro_info, "postgresql:%s", conn);
    ck_assert_qc_ok(qc_store_open(&s, ro_info));
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, NULL));
    ck_assert_int_eq(n, 5);
    k = a_case("C7", "DL");
    ck_assert_qc_fails(qc_store_put(s, k), QC_EDENIED, "permission denied");
    qc_record_free(k);
    qc_store_free(s);
    /* the owner: everything, and a journal that still verifies */
    ck_assert_qc_ok(qc_store_open(&s, uri));
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, NULL));
    ck_assert_int_eq(n, 5);
    qc_verify *v;
    ck_assert_qc_ok(qc_store_verify(&v, s, NULL));
    qc_verify_free(v);
    qc_store_free(s);
}
END_TEST

/* One office's year as a YAML import: the office under NAT, its chief,
 * 20 cases the chief handles; broken: the last act names nobody, so the
 * whole file must be refused. */
static void write_office_file(const char *path, int i, bool broken)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "offices:\n  - {id: O%02d, name: Office %d, kind: procuratorate, level: basic, parent: NAT}\n", i, i);
    fprintf(f, "people:\n  - {id: P%02d, name: Chief %d, office: O%02d, role: chief, in_quota: true}\n", i, i, i);
    fputs("cases:\n", f);
    for (int c = 0; c < 20; c++)
        fprintf(f, "  - {id: C%02d-%02d, office: O%02d, line: prosecution, type: theft, registered: 2017-06-%02d}\n", i, c,
                i, c + 1);
    fputs("participations:\n", f);
    for (int c = 0; c < 20; c++) fprintf(f, "  - {case: C%02d-%02d, person: P%02d, capacity: lead}\n", i, c, i);
    fputs("acts:\n", f);
    for (int c = 0; c < 20; c++) {
        fprintf(f, "  - {case: C%02d-%02d, person: P%02d, kind: file_review, time: 2017-07-%02d}\n", i, c, i, c + 1);
        fprintf(f, "  - {case: C%02d-%02d, person: P%02d, kind: drafting, time: 2017-07-%02d}\n", i, c, i, c + 2);
        if (broken && c == 19) fprintf(f, "  - {case: C%02d-%02d, person: NOBODY, kind: interrogation, time: 2017-08-20}\n", i, c);
        else fprintf(f, "  - {case: C%02d-%02d, person: P%02d, kind: interrogation, time: 2017-08-%02d}\n", i, c, i, c + 1);
    }
    fclose(f);
}

/* 50 importers at once, one office each, while assessments run: every
 * import whole or absent, every assessment on one consistent state, the
 * journal whole. */
START_TEST(test_concurrent_importers)
{
    char uri[512], dir[256], path[320];
    fresh_uri(uri, sizeof uri);
    ck_assert(qc_test_tmpdir(dir, sizeof dir, "pgimport"));
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    qc_record *nat = office("NAT", NULL), *staff;
    ck_assert_qc_ok(qc_store_put(s, nat));
    qc_record_free(nat);
    ck_assert_qc_ok(qc_record_new(&staff, QC_KIND_PERSON)); /* the one who does the interrogations */
    qc_record_set_text(staff, QC_PERSON_ID, "P00");
    qc_record_set_text(staff, QC_PERSON_NAME, "Assistant");
    qc_record_set_text(staff, QC_PERSON_OFFICE, "NAT");
    qc_record_set_text(staff, QC_PERSON_ROLE, "assistant");
    ck_assert_qc_ok(qc_store_put(s, staff));
    qc_record_free(staff);
    /* 50 processes; under valgrind (which preloads itself into every
     * client) 10, each a whole valgrind */
    const char *preload = getenv("LD_PRELOAD");
    const int IMPORTERS = preload && strstr(preload, "vgpreload") ? 10 : 50;
    pid_t kids[50];
    for (int i = 1; i <= IMPORTERS; i++) {
        snprintf(path, sizeof path, "%s/office%02d.yaml", dir, i);
        write_office_file(path, i, i % 10 == 0); /* every tenth is refused */
    }
    for (int i = 1; i <= IMPORTERS; i++) {
        if ((kids[i - 1] = fork()) == 0) {
            qc_store *w;
            snprintf(path, sizeof path, "%s/office%02d.yaml", dir, i);
            int64_t n;
            if (qc_store_open(&w, uri) != QC_OK) _exit(9);
            int rc = qc_store_import_file(w, path, QC_KIND_NONE, &n);
            qc_store_free(w);
            _exit(rc == QC_OK ? 0 : i % 10 == 0 && rc == QC_ENOREF ? 1 : 2);
        }
    }
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_file(&rules, QC_EXAMPLES "/liaoning-2017.yaml"));
    int64_t from, to;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    int rounds = 0, alive = IMPORTERS;
    while (alive > 0 || rounds < 3) {
        qc_assessment *a;
        qc_store_set_threads(s, rounds % 2 ? 1 : 2); /* one reader, or two on one snapshot */
        ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
        /* consistent: every office it saw has its chief, and the chief all
         * twenty cases (offices, people and cases read at one moment) */
        int offices = (int)qc_assessment_total(a, "offices");
        ck_assert_int_eq(qc_assessment_total(a, "leaders"), offices - 1);
        ck_assert_int_eq(qc_assessment_total(a, "cases_by_leaders") % 20, 0);
        qc_assessment_free(a);
        rounds++;
        alive = 0;
        for (int i = 0; i < IMPORTERS; i++) alive += kids[i] && waitpid(kids[i], NULL, WNOHANG) == 0;
        if (alive == 0) break;
    }
    for (int i = 0; i < IMPORTERS; i++) {
        int status = 0;
        if (waitpid(kids[i], &status, 0) == kids[i]) {
            ck_assert(WIFEXITED(status));
            ck_assert_int_eq(WEXITSTATUS(status), (i + 1) % 10 == 0 ? 1 : 0);
        }
    }
    /* whole or absent: 45 offices of 20 cases, none of the refused */
    for (int i = 1; i <= IMPORTERS; i++) {
        qc_filter *f;
        char id[8];
        int64_t n;
        snprintf(id, sizeof id, "O%02d", i);
        ck_assert_qc_ok(qc_filter_new(&f));
        qc_filter_set_office(f, id);
        ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, f));
        ck_assert_int_eq(n, i % 10 == 0 ? 0 : 20);
        qc_filter_free(f);
    }
    qc_assessment *a;
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_int_eq(qc_assessment_total(a, "offices"), 1 + IMPORTERS - IMPORTERS / 10);
    ck_assert_int_eq(qc_assessment_total(a, "cases_by_leaders"), (IMPORTERS - IMPORTERS / 10) * 20);
    qc_assessment_free(a);
    qc_verify *v;
    ck_assert_qc_ok(qc_store_verify(&v, s, NULL));
    qc_verify_free(v);
    qc_rules_free(rules);
    qc_store_free(s);
    qc_test_rmdir(dir);
    fprintf(stderr, "concurrent importers: %d assessments ran while %d imports went on\n", rounds, IMPORTERS);
}
END_TEST

static Suite *postgresql_suite(void)
{
    Suite *s = suite_create("postgresql");
    TCase *tc = tcase_create("server");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_refuses_newer_schema);
    tcase_add_test(tc, test_refuses_a_schema_that_is_not_a_store);
    tcase_add_test(tc, test_connection_errors_are_clear);
    tcase_add_test(tc, test_lost_connection);
    tcase_add_test(tc, test_writers_take_turns);
    tcase_add_test(tc, test_readers_share_a_snapshot);
    tcase_add_test(tc, test_iteration_outlives_a_commit);
    tcase_add_test(tc, test_row_level_security);
    tcase_add_test(tc, test_concurrent_importers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    char why[512];
    int started = qc_pg_start(why, sizeof why);
    if (started <= 0) {
        fprintf(stderr, "check_postgresql: %s\n", why);
        if (started < 0 || qc_pg_required()) return EXIT_FAILURE;
        return 77; /* skipped */
    }
    static const qc_conformance_target target = {"postgresql", fresh_uri, 1, 0};
    SRunner *sr = srunner_create(postgresql_suite());
    srunner_add_suite(sr, qc_conformance_suite(&target));
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
