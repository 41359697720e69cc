/* SPDX-License-Identifier: MIT
 * bench_history.c - what keeping the history costs (docs/data-model.md,
 * "Records that change"), against plain SQLite in the same run.
 *
 *   bench_history [CASES]      (default 200000)
 *
 * 1. baseline: a plain sqlite3 program inserting CASES cases with two facts
 *    each into a store of the library's schema: prepared statements, one
 *    transaction, the same pragmas.  No history.
 * 2. import: a CSV file of the same cases imported by the library into a
 *    new store, every case leaving its revision.
 * 3. re-import: the same file again, into that store: nothing changes.
 * 4. reads: every case, facts and all, from the store of step 2 and from
 *    a copy in which every case was then amended three times (its history
 *    four revisions long): the current state is read alike.
 *
 * Prints the times and the ratios.  A benchmark, not a test: it never
 * fails on a time.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quotacase.h"

static const int64_t day0 = 17167; /* 2017-01-01 */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_history: %s: %s\n", what, qc_error_last());
    exit(1);
}

#define CHECK(call) do { if ((call) < 0) die(#call); } while (0)

/* A new store at uri holding office O1. */
static qc_store *seeded(const char *uri)
{
    qc_store *s;
    qc_record *o;
    CHECK(qc_store_open(&s, uri));
    CHECK(qc_store_set_actor(s, "bench"));
    CHECK(qc_record_new(&o, QC_KIND_OFFICE));
    CHECK(qc_record_set_text(o, QC_OFFICE_ID, "O1"));
    CHECK(qc_record_set_text(o, QC_OFFICE_NAME, "大连市人民检察院"));
    CHECK(qc_record_set_text(o, QC_OFFICE_KIND, "procuratorate"));
    CHECK(qc_record_set_text(o, QC_OFFICE_LEVEL, "city"));
    CHECK(qc_store_put(s, o));
    qc_record_free(o);
    return s;
}

static void write_csv(const char *path, long ncases)
{
    FILE *f = fopen(path, "w");
    if (!f) die(path);
    fputs("id,office,line,type,registered,fact.defendants:int,fact.amount:decimal\n", f);
    for (long i = 0; i < ncases; i++) {
        char day[16];
        qc_date_format(day, sizeof day, day0 + i % 365);
        fprintf(f, "C%08ld,O1,prosecution,fraud,%s,%ld,%.1f\n", i, day, 1 + i % 5, (double)(i % 1000) * 1000.5);
    }
    if (fclose(f) != 0) die("write the file");
}

static void sql_check(sqlite3 *db, int rc, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_history: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

/* The same cases by plain SQLite into path (a seeded store, closed). */
static double run_raw(const char *path, long ncases)
{
    sqlite3 *db;
    sqlite3_stmt *ic, *ifact;
    char id[32];
    sql_check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL), "open");
    sqlite3_exec(db, "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", 0, 0, 0);
    sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO cases(id, office, department, line, type, registered, closed, stage, source) VALUES(?,?,?,?,?,?,?,?,?)", -1, &ic, 0), "prepare");
    sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO case_facts(case_id, seq, name, type, value) VALUES(?,?,?,?,?)", -1, &ifact, 0), "prepare");
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
        sqlite3_bind_null(ic, 9);
        sql_check(db, sqlite3_step(ic), "insert case");
        sqlite3_reset(ic);
        for (int k = 0; k < 2; k++) {
            sqlite3_bind_text(ifact, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int(ifact, 2, k);
            sqlite3_bind_text(ifact, 3, k ? "amount" : "defendants", -1, SQLITE_STATIC);
            sqlite3_bind_int(ifact, 4, k ? QC_TYPE_DECIMAL : QC_TYPE_INT);
            if (k) sqlite3_bind_double(ifact, 5, (double)(i % 1000) * 1000.5);
            else sqlite3_bind_int64(ifact, 5, 1 + i % 5);
            sql_check(db, sqlite3_step(ifact), "insert fact");
            sqlite3_reset(ifact);
        }
    }
    sql_check(db, sqlite3_exec(db, "COMMIT", 0, 0, 0), "commit");
    double t = now() - t0;
    sqlite3_finalize(ic);
    sqlite3_finalize(ifact);
    sqlite3_close(db);
    return t;
}

/* Read every case, facts and all; the best of three, and the facts seen. */
static double read_all(qc_store *s, long *facts)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        qc_iter *it;
        const qc_record *r;
        long n = 0;
        double t0 = now();
        CHECK(qc_iter_new(&it, s, QC_KIND_CASE, NULL));
        while (qc_iter_next(&r, it) == QC_OK) n += qc_record_fact_count(r);
        qc_iter_free(it);
        double t = now() - t0;
        if (t < best) best = t;
        *facts = n;
    }
    return best;
}

int main(int argc, char **argv)
{
    long ncases = argc > 1 ? atol(argv[1]) : 200000;
    if (ncases < 1) {
        fprintf(stderr, "usage: bench_history [CASES]\n");
        return 2;
    }
    char dir[] = "/tmp/qc-bench-history-XXXXXX", path[128], uri[128], cmd[160];
    if (!mkdtemp(dir)) die("mkdtemp");
    printf("bench_history: %ld cases with 2 facts each, SQLite stores\n", ncases);

    snprintf(path, sizeof path, "%s/raw.db", dir);
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store_free(seeded(uri));
    double t_raw = run_raw(path, ncases);

    char csv[128];
    snprintf(csv, sizeof csv, "%s/cases.csv", dir);
    write_csv(csv, ncases);
    snprintf(uri, sizeof uri, "sqlite:%s/lib.db", dir);
    qc_store *s = seeded(uri);
    int64_t n;
    double t0 = now();
    CHECK(qc_store_import_file(s, csv, QC_KIND_NONE, &n));
    double t_import = now() - t0;
    if (n != ncases) die("the import wrote another number of cases");
    t0 = now();
    CHECK(qc_store_import_file(s, csv, QC_KIND_NONE, &n));
    double t_again = now() - t0;
    if (n != 0 || qc_store_import_unchanged(s) != ncases) die("the second import changed something");
    int64_t revisions;
    CHECK(qc_store_count(&revisions, s, QC_KIND_REVISION, NULL));

    printf("  %-44s %9.0f cases/s (%.2f s)\n", "plain sqlite3, prepared, one txn, no history", ncases / t_raw, t_raw);
    printf("  %-44s %9.0f cases/s (%.2f s), %lld revisions\n", "library import of the CSV, with history", ncases / t_import,
           t_import, (long long)revisions);
    printf("  %-44s %9.0f cases/s (%.2f s)\n", "the same file again, nothing changes", ncases / t_again, t_again);
    printf("  ratio import with history / plain sqlite: %.2fx (target >= 0.80x)\n", t_raw / t_import);
    printf("  re-import against first import: %.2fx faster (target >= 3x)\n", t_import / t_again);

    /* a copy corrected three times over, against the store as imported */
    qc_store_free(s);
    snprintf(cmd, sizeof cmd, "cp '%s/lib.db' '%s/long.db'", dir, dir);
    if (system(cmd) != 0) die("copy the store");
    snprintf(uri, sizeof uri, "sqlite:%s/long.db", dir);
    qc_store *longh;
    CHECK(qc_store_open(&longh, uri));
    CHECK(qc_store_set_actor(longh, "bench"));
    qc_record *c;
    t0 = now();
    CHECK(qc_store_begin(longh));
    for (long i = 0; i < ncases; i++) {
        char id[32];
        snprintf(id, sizeof id, "C%08ld", i);
        CHECK(qc_store_get(&c, longh, QC_KIND_CASE, id));
        for (int k = 1; k <= 3; k++) {
            CHECK(qc_record_set_fact_int(c, "defendants", 10 * k + i % 5));
            CHECK(qc_store_amend(longh, c, "corrected"));
        }
        qc_record_free(c);
    }
    CHECK(qc_store_commit(longh));
    double t_amend = now() - t0;
    CHECK(qc_store_count(&revisions, longh, QC_KIND_REVISION, NULL));
    snprintf(uri, sizeof uri, "sqlite:%s/lib.db", dir);
    CHECK(qc_store_open(&s, uri));
    long facts_short, facts_long;
    double t_short = read_all(s, &facts_short), t_long = read_all(longh, &facts_long);
    if (facts_short != facts_long || facts_short != 2 * ncases) die("the two stores read differently");
    printf("  %-44s %9.0f amendments/s (%.2f s), %lld revisions\n", "amend every case 3 times, one txn", 3 * ncases / t_amend,
           t_amend, (long long)revisions);
    printf("  %-44s %9.0f cases/s (%.2f s)\n", "read every case, history 1 long", ncases / t_short, t_short);
    printf("  %-44s %9.0f cases/s (%.2f s)\n", "read every case, history 4 long", ncases / t_long, t_long);
    printf("  ratio long history / short history: %.2fx (target >= 0.80x)\n", t_short / t_long);
    qc_store_free(s);
    qc_store_free(longh);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_history: could not remove %s\n", dir);
    return 0;
}
