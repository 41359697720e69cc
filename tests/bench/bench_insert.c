/* SPDX-License-Identifier: MIT
 * bench_insert.c - how fast cases and acts go into a store, against plain
 * SQLite doing the same work in the same run.
 *
 *   bench_insert [CASES [ACTS-PER-CASE]]     (default 200000 cases, 5 acts)
 *
 * 1. library, SQLite backend: begin, qc_store_put for every case (two
 *    facts) and its acts, commit.  Validation and reference checks included.
 * 2. baseline: a plain sqlite3 program inserting the same rows into a
 *    store of the same schema (created by the library), with prepared
 *    statements in one transaction and the same pragmas.
 * 3. library, memory backend: the cases alone, for the memory ceiling;
 *    once built and stored one by one, once prebuilt and stored with
 *    qc_store_put_batch (the store's own cost).
 *
 * Prints rows/s and the ratios.  A benchmark, not a test: it never fails
 * on a time.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quotacase.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_insert: %s: %s\n", what, qc_error_last());
    exit(1);
}

#define CHECK(call) do { if ((call) < 0) die(#call); } while (0)

static const char *const act_kinds[] = {"file_review", "interrogation", "drafting", "court_appearance", "signing"};

/* A store with one office, one department, ten people. */
static qc_store *open_seeded(const char *uri)
{
    qc_store *s;
    qc_record *r;
    CHECK(qc_store_open(&s, uri));
    CHECK(qc_record_new(&r, QC_KIND_OFFICE));
    qc_record_set_text(r, QC_OFFICE_ID, "O1");
    qc_record_set_text(r, QC_OFFICE_NAME, "大连市人民检察院");
    qc_record_set_int(r, QC_OFFICE_KIND, QC_OFFICE_PROCURATORATE);
    qc_record_set_int(r, QC_OFFICE_LEVEL, QC_LEVEL_CITY);
    CHECK(qc_store_put(s, r));
    qc_record_free(r);
    CHECK(qc_record_new(&r, QC_KIND_PERSON));
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "P%d", i);
        qc_record_clear(r);
        qc_record_set_text(r, QC_PERSON_ID, id);
        qc_record_set_text(r, QC_PERSON_NAME, "检察官");
        qc_record_set_text(r, QC_PERSON_OFFICE, "O1");
        qc_record_set_text(r, QC_PERSON_ROLE, "prosecutor");
        qc_record_set_int(r, QC_PERSON_IN_QUOTA, 1);
        CHECK(qc_store_put(s, r));
    }
    qc_record_free(r);
    return s;
}

static const int64_t day0 = 17167; /* 2017-01-01 */

static double run_library(qc_store *s, long ncases, int nacts)
{
    qc_record *c, *a;
    char id[32], person[16];
    CHECK(qc_record_new(&c, QC_KIND_CASE));
    CHECK(qc_record_new(&a, QC_KIND_ACT));
    double t0 = now();
    CHECK(qc_store_begin(s));
    for (long i = 0; i < ncases; i++) {
        snprintf(id, sizeof id, "C%08ld", i);
        qc_record_clear(c);
        qc_record_set_text(c, QC_CASE_ID, id);
        qc_record_set_text(c, QC_CASE_OFFICE, "O1");
        qc_record_set_text(c, QC_CASE_LINE, "prosecution");
        qc_record_set_text(c, QC_CASE_TYPE, "fraud");
        qc_record_set_int(c, QC_CASE_REGISTERED, day0 + i % 365);
        qc_record_set_int(c, QC_CASE_SOURCE, QC_SOURCE_RANDOM);
        qc_record_set_fact_int(c, "defendants", 1 + i % 5);
        qc_record_set_fact_decimal(c, "amount", (double)(i % 1000) * 1000.5);
        CHECK(qc_store_put(s, c));
        for (int k = 0; k < nacts; k++) {
            snprintf(person, sizeof person, "P%ld", (i + k) % 10);
            qc_record_clear(a);
            qc_record_set_text(a, QC_ACT_CASE, id);
            qc_record_set_text(a, QC_ACT_PERSON, person);
            qc_record_set_text(a, QC_ACT_KIND, act_kinds[k % 5]);
            qc_record_set_int(a, QC_ACT_TIME, (day0 + i % 365 + k) * 86400 + 9 * 3600);
            CHECK(qc_store_put(s, a));
        }
    }
    CHECK(qc_store_commit(s));
    double t = now() - t0;
    qc_record_free(c);
    qc_record_free(a);
    return t;
}

/* Build the cases first, then time only qc_store_put_batch: the store's
 * own cost, without the client's record building. */
static double run_batch(qc_store *s, long ncases)
{
    qc_record **recs = malloc(sizeof *recs * (size_t)ncases);
    char id[32];
    if (!recs) die("malloc");
    for (long i = 0; i < ncases; i++) {
        CHECK(qc_record_new(&recs[i], QC_KIND_CASE));
        snprintf(id, sizeof id, "C%08ld", i);
        qc_record_set_text(recs[i], QC_CASE_ID, id);
        qc_record_set_text(recs[i], QC_CASE_OFFICE, "O1");
        qc_record_set_text(recs[i], QC_CASE_LINE, "prosecution");
        qc_record_set_text(recs[i], QC_CASE_TYPE, "fraud");
        qc_record_set_int(recs[i], QC_CASE_REGISTERED, day0 + i % 365);
        qc_record_set_fact_int(recs[i], "defendants", 1 + i % 5);
        qc_record_set_fact_decimal(recs[i], "amount", (double)(i % 1000) * 1000.5);
    }
    double t0 = now();
    CHECK(qc_store_put_batch(s, (const qc_record *const *)recs, (size_t)ncases, NULL));
    double t = now() - t0;
    for (long i = 0; i < ncases; i++) qc_record_free(recs[i]);
    free(recs);
    return t;
}

static void sql_check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_insert: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static double run_raw(const char *path, long ncases, int nacts)
{
    sqlite3 *db;
    sqlite3_stmt *ic, *ifact, *ia;
    char id[32], person[16];
    sql_check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL), "open");
    sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", 0, 0, 0);
    sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO cases(id, office, department, line, type, registered, closed, stage, source) VALUES(?,?,?,?,?,?,?,?,?)", -1, &ic, 0), "prepare");
    sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO case_facts(case_id, seq, name, type, value) VALUES(?,?,?,?,?)", -1, &ifact, 0), "prepare");
    sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO acts(id, \"case\", person, kind, time, note) VALUES(?,?,?,?,?,?)", -1, &ia, 0), "prepare");
    double t0 = now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
    for (long i = 0; i < ncases; i++) {
        snprintf(id, sizeof id, "C%08ld", i);
        sqlite3_bind_text(ic, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ic, 2, "O1", -1, SQLITE_STATIC);
        sqlite3_bind_null(ic, 3);
        sqlite3_bind_text(ic, 4, "prosecution", -1, SQLITE_STATIC);
        sqlite3_bind_text(ic, 5, "fraud", -1, SQLITE_STATIC);
        sqlite3_bind_int64(ic, 6, day0 + i % 365);
        sqlite3_bind_null(ic, 7);
        sqlite3_bind_null(ic, 8);
        sqlite3_bind_int(ic, 9, QC_SOURCE_RANDOM);
        sql_check(db, sqlite3_step(ic), "insert case");
        sqlite3_reset(ic);
        sqlite3_bind_text(ifact, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int(ifact, 2, 0);
        sqlite3_bind_text(ifact, 3, "defendants", -1, SQLITE_STATIC);
        sqlite3_bind_int(ifact, 4, QC_TYPE_INT);
        sqlite3_bind_int64(ifact, 5, 1 + i % 5);
        sql_check(db, sqlite3_step(ifact), "insert fact");
        sqlite3_reset(ifact);
        sqlite3_bind_text(ifact, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int(ifact, 2, 1);
        sqlite3_bind_text(ifact, 3, "amount", -1, SQLITE_STATIC);
        sqlite3_bind_int(ifact, 4, QC_TYPE_DECIMAL);
        sqlite3_bind_double(ifact, 5, (double)(i % 1000) * 1000.5);
        sql_check(db, sqlite3_step(ifact), "insert fact");
        sqlite3_reset(ifact);
        for (int k = 0; k < nacts; k++) {
            snprintf(person, sizeof person, "P%ld", (i + k) % 10);
            sqlite3_bind_null(ia, 1);
            sqlite3_bind_text(ia, 2, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(ia, 3, person, -1, SQLITE_STATIC);
            sqlite3_bind_text(ia, 4, act_kinds[k % 5], -1, SQLITE_STATIC);
            sqlite3_bind_int64(ia, 5, (day0 + i % 365 + k) * 86400 + 9 * 3600);
            sqlite3_bind_null(ia, 6);
            sql_check(db, sqlite3_step(ia), "insert act");
            sqlite3_reset(ia);
        }
    }
    sql_check(db, sqlite3_exec(db, "COMMIT", 0, 0, 0), "commit");
    double t = now() - t0;
    sqlite3_finalize(ic);
    sqlite3_finalize(ifact);
    sqlite3_finalize(ia);
    sqlite3_close(db);
    return t;
}

int main(int argc, char **argv)
{
    long ncases = argc > 1 ? atol(argv[1]) : 200000;
    int nacts = argc > 2 ? atoi(argv[2]) : 5;
    char dir[] = "/tmp/qc-bench-XXXXXX", lib_uri[128], raw_path[128], cmd[160];
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    snprintf(lib_uri, sizeof lib_uri, "sqlite:%s/lib.db", dir);
    snprintf(raw_path, sizeof raw_path, "%s/raw.db", dir);
    long rows = ncases * (1 + nacts);
    printf("bench_insert: %ld cases x (1 + %d acts) = %ld rows, plus 2 facts per case\n", ncases, nacts, rows);

    if (getenv("QC_BENCH_MEMORY_ONLY")) { /* for profiling the memory path */
        qc_store *m = open_seeded("memory:");
        double t = run_batch(m, ncases);
        qc_store_free(m);
        printf("  memory backend: %.2f million cases/s\n", ncases / t / 1e6);
        rmdir(dir);
        return 0;
    }
    /* the baseline first, on a store of the same schema made by the library */
    char raw_uri[160];
    snprintf(raw_uri, sizeof raw_uri, "sqlite:%s", raw_path);
    qc_store_free(open_seeded(raw_uri));
    double t_raw = run_raw(raw_path, ncases, nacts);

    qc_store *s = open_seeded(lib_uri);
    double t_lib = run_library(s, ncases, nacts);
    qc_store_free(s);

    s = open_seeded("memory:");
    double t_mem_build = run_library(s, ncases, 0);
    qc_store_free(s);
    /* This figure swings with the cost of first-touching fresh memory (on
     * a VM, several-fold), so take the median of five runs. */
    double runs[5];
    for (int i = 0; i < 5; i++) {
        s = open_seeded("memory:");
        runs[i] = run_batch(s, ncases);
        qc_store_free(s);
    }
    for (int i = 1; i < 5; i++)
        for (int j = i; j > 0 && runs[j] < runs[j - 1]; j--) {
            double x = runs[j]; runs[j] = runs[j - 1]; runs[j - 1] = x;
        }
    double t_mem = runs[2];

    printf("  %-34s %10.0f rows/s  (%.2f s)\n", "plain sqlite3, prepared, one txn", rows / t_raw, t_raw);
    printf("  %-34s %10.0f rows/s  (%.2f s)\n", "libquotacase sqlite backend", rows / t_lib, t_lib);
    printf("  %-34s %10.0f cases/s (%.2f s)\n", "memory backend, put_batch", ncases / t_mem, t_mem);
    printf("  %-34s %10.0f .. %.0f cases/s over 5 runs\n", "", ncases / runs[4], ncases / runs[0]);
    printf("  %-34s %10.0f cases/s (%.2f s)\n", "memory backend, build + put", ncases / t_mem_build, t_mem_build);
    printf("  ratio library/plain sqlite: %.2fx (target >= 0.80x)\n", t_raw / t_lib);
    printf("  memory backend: %.2f million cases/s (target >= 2)\n", ncases / t_mem / 1e6);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
