/* SPDX-License-Identifier: MIT
 * bench_assess.c - assessing and scoring a national-scale year, against
 * the plain SQL aggregation any implementation must at least perform.
 *
 *   bench_assess generate DB [SCALE]   write a synthetic country into DB (sqlite path)
 *   bench_assess run DB RULES          time the SQL floor, then qc_assess
 *
 * SCALE 1 is national: 3,600 offices, 70,000 in-quota staff, 4 million
 * cases and 12 million acts.  Case ids do not sort in the order the cases
 * are written (as in life, where offices record side by side), so the
 * store's id order is not its insertion order.  `run` times the floor and
 * the library in turn, three times, and prints each time, the ratio of the
 * best of each, and the process's peak RSS (getrusage), in a process that
 * did not generate the data.  A benchmark, never a test.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <stdint.h>
#include <time.h>

#include "quotacase.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_assess: %s: %s\n", what, qc_error_last());
    exit(1);
}

static qc_record *rec[QC_KIND_COUNT];

static void set(qc_kind k, int field, const char *v)
{
    if (qc_record_set_text(rec[k], field, v) < 0) die("set");
}

static int generate(const char *path, double scale)
{
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    if (qc_store_open(&s, uri) < 0) die(uri);
    for (int k = 1; k < QC_KIND_COUNT; k++)
        if (qc_record_new(&rec[k], (qc_kind)k) < 0) die("record");
    long offices = (long)(3600 * scale), per_office_prosecutors = 16;
    long cases_per_prosecutor = 68; /* 3,600 x (16 x 68 + 3 x 8) = 4.0 M cases */
    char id[64], other[64];
    long ncases = 0, nacts = 0;
    double t0 = now();
    if (qc_store_begin(s) < 0) die("begin");
    for (long o = 0; o < offices; o++) {
        char office[32];
        snprintf(office, sizeof office, "O%05ld", o);
        qc_record_clear(rec[QC_KIND_OFFICE]);
        set(QC_KIND_OFFICE, QC_OFFICE_ID, office);
        set(QC_KIND_OFFICE, QC_OFFICE_NAME, office);
        set(QC_KIND_OFFICE, QC_OFFICE_KIND, "procuratorate");
        set(QC_KIND_OFFICE, QC_OFFICE_LEVEL, o % 10 ? "basic" : "city");
        if (qc_store_put(s, rec[QC_KIND_OFFICE]) < 0) die("office");
        static const char *const roles[] = {"chief", "deputy_chief", "department_head"};
        for (int p = 0; p < 3 + per_office_prosecutors; p++) {
            snprintf(id, sizeof id, "%s-%02d", office, p);
            qc_record_clear(rec[QC_KIND_PERSON]);
            set(QC_KIND_PERSON, QC_PERSON_ID, id);
            set(QC_KIND_PERSON, QC_PERSON_NAME, id);
            set(QC_KIND_PERSON, QC_PERSON_OFFICE, office);
            set(QC_KIND_PERSON, QC_PERSON_ROLE, p < 3 ? roles[p] : "prosecutor");
            set(QC_KIND_PERSON, QC_PERSON_IN_QUOTA, "true");
            if (qc_store_put(s, rec[QC_KIND_PERSON]) < 0) die("person");
            long n = p < 3 ? 8 : cases_per_prosecutor;
            for (long c = 0; c < n; c++) {
                char cid[48], day[16];
                /* case numbers do not follow the order cases are recorded in
                 * (offices record side by side): a scramble of the serial */
                snprintf(cid, sizeof cid, "K%08lx", (unsigned long)(((uint32_t)ncases * 2654435761u) ^ 0x5bd1e995u));
                qc_date_format(day, sizeof day, 17287 + (c * 7 + p) % 240);
                qc_record *k = rec[QC_KIND_CASE];
                qc_record_clear(k);
                set(QC_KIND_CASE, QC_CASE_ID, cid);
                set(QC_KIND_CASE, QC_CASE_OFFICE, office);
                set(QC_KIND_CASE, QC_CASE_LINE, "prosecution");
                set(QC_KIND_CASE, QC_CASE_TYPE, c % 3 ? "theft" : "fraud");
                set(QC_KIND_CASE, QC_CASE_REGISTERED, day);
                qc_record_set_fact_int(k, "max_sentence_years", c % 13);
                if (qc_store_put(s, k) < 0) die("case");
                qc_record_clear(rec[QC_KIND_PARTICIPATION]);
                set(QC_KIND_PARTICIPATION, QC_PARTICIPATION_CASE, cid);
                set(QC_KIND_PARTICIPATION, QC_PARTICIPATION_PERSON, id);
                set(QC_KIND_PARTICIPATION, QC_PARTICIPATION_CAPACITY, "lead");
                if (qc_store_put(s, rec[QC_KIND_PARTICIPATION]) < 0) die("participation");
                static const char *const kinds[] = {"file_review", "drafting", "interrogation"};
                for (int a = 0; a < 3; a++) {
                    qc_record_clear(rec[QC_KIND_ACT]);
                    set(QC_KIND_ACT, QC_ACT_CASE, cid);
                    set(QC_KIND_ACT, QC_ACT_PERSON, id);
                    set(QC_KIND_ACT, QC_ACT_KIND, kinds[a]);
                    qc_record_set_int(rec[QC_KIND_ACT], QC_ACT_TIME, (17287 + (c * 7 + p) % 240 + a) * 86400LL);
                    if (qc_store_put(s, rec[QC_KIND_ACT]) < 0) die("act");
                    nacts++;
                }
                ncases++;
            }
        }
        (void)other;
    }
    if (qc_store_commit(s) < 0) die("commit");
    printf("generated %ld offices, %ld staff, %ld cases, %ld acts in %.1f s\n", offices, offices * (3 + per_office_prosecutors),
           ncases, nacts, now() - t0);
    for (int k = 1; k < QC_KIND_COUNT; k++) qc_record_free(rec[k]);
    qc_store_free(s);
    return 0;
}

/* The floor: cases per person from the acts, in plain SQL, on a
 * connection of its own with SQLite's defaults. */
static double sql_floor(const char *path, long *rows, long *total)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("open");
    double t0 = now();
    if (sqlite3_prepare_v2(db, "SELECT person, count(DISTINCT \"case\") FROM acts GROUP BY person", -1, &st, NULL) != SQLITE_OK)
        die("prepare");
    *rows = *total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ++*rows;
        *total += sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    double t = now() - t0;
    sqlite3_close(db);
    return t;
}

/* CPU seconds (user + system) this process has used. */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Step through a query, touching every column of every row (the text's
 * length, the integer), as any reader of it must. */
static long read_all(sqlite3 *db, const char *sql, int64_t from, int64_t to, long *touched)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(sqlite3_errmsg(db));
    if (sqlite3_bind_parameter_count(st) == 2) {
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
    }
    long rows = 0;
    int ncol = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < ncol; c++)
            *touched += sqlite3_column_type(st, c) == SQLITE_TEXT ? sqlite3_column_bytes(st, c) : sqlite3_column_int64(st, c) & 1;
    }
    sqlite3_finalize(st);
    return rows;
}

/* The rows floor: the rows and columns the assessment reads, in the order
 * it reads them, through plain sqlite3 on one thread: offices, people,
 * posts, the period's cases in id order with their facts beside them, and
 * the participations, acts and reviews by case.  What any implementation
 * reading this store must at least do; its CPU time is the baseline. */
static double rows_floor(const char *path, int64_t from, int64_t to, long *rows, double *wall)
{
    static const char *const queries[] = {
        "SELECT id, name, kind, level, parent FROM offices",
        "SELECT id, name, office, department, role, in_quota, valid_from, valid_to FROM people",
        "SELECT id, person, office, department, role, in_quota, valid_from, valid_to FROM posts",
        "SELECT id, office, department, line, type, registered, closed, stage, source FROM cases"
        " WHERE registered BETWEEN ?1 AND ?2 ORDER BY id",
        "SELECT case_id, name, type, value FROM case_facts ORDER BY case_id, seq",
        "SELECT \"case\", person, capacity FROM participations ORDER BY \"case\", seq",
        "SELECT \"case\", person, kind, time FROM acts ORDER BY \"case\", seq",
        "SELECT \"case\", grade, scheme, date FROM reviews ORDER BY \"case\", seq",
    };
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("open");
    double c0 = cpu_now(), t0 = now();
    long touched = 0;
    *rows = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) *rows += read_all(db, queries[q], from, to, &touched);
    *wall = now() - t0;
    double cpu = cpu_now() - c0;
    sqlite3_close(db);
    return touched >= 0 ? cpu : cpu; /* touched keeps the reads from being optimised away */
}

/* Floor and library take turns, three times, so that neither runs on a
 * cache the other warmed alone; the best of each is compared (the page
 * cache of a VM may be reclaimed between runs: the best run is the one
 * that read from memory). */
static int run(const char *path, const char *rules_path)
{
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    qc_rules *rules;
    qc_assessment *a = NULL;
    int64_t from, to;
    if (qc_store_open(&s, uri) < 0) die(uri); /* (migrates an older file, untimed) */
    if (qc_rules_load_file(&rules, rules_path) < 0) die(rules_path);
    qc_period_parse(&from, &to, "2017-05-01..2017-12-31");
    double best_sql = 1e9, best_lib = 1e9;
    long rows = 0, total = 0;
    for (int round = 1; round <= 3; round++) {
        double t_sql = sql_floor(path, &rows, &total);
        qc_assessment_free(a);
        double t0 = now();
        if (qc_assess(&a, rules, s, NULL, from, to) < 0) die("assess");
        double t_lib = now() - t0;
        printf("round %d: SQL floor %.2f s, qc_assess %.2f s (%.2fx)\n", round, t_sql, t_lib, t_lib / t_sql);
        if (t_sql < best_sql) best_sql = t_sql;
        if (t_lib < best_lib) best_lib = t_lib;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long scored = 0;
    for (int i = 0; i < qc_assessment_person_count(a); i++) scored += qc_assessment_person_grade(a, i) != NULL;
    printf("plain SQL floor (cases per person over acts): %ld people, %ld person-cases, best %.2f s\n", rows, total, best_sql);
    printf("qc_assess (classify, verdicts, quotas, scores): %lld offices, %lld leaders, %d people scored, best %.2f s\n",
           (long long)qc_assessment_total(a, "offices"), (long long)qc_assessment_total(a, "leaders"), (int)scored, best_lib);
    printf("ratio library / SQL floor: %.2fx (target <= 1.5x)\n", best_lib / best_sql);
    /* CPU time against the rows floor, with one thread and with two */
    double best_floor = 1e9, best_one = 1e9, best_two = 1e9, wall_floor = 0, wall_one = 0, wall_two = 0;
    long floor_rows = 0;
    for (int round = 1; round <= 3; round++) {
        double w;
        double cpu = rows_floor(path, from, to, &floor_rows, &w);
        if (cpu < best_floor) best_floor = cpu, wall_floor = w;
        for (int threads = 1; threads <= 2; threads++) {
            qc_store_set_threads(s, threads);
            qc_assessment_free(a);
            double c0 = cpu_now(), t0 = now();
            if (qc_assess(&a, rules, s, NULL, from, to) < 0) die("assess");
            double used = cpu_now() - c0, wall = now() - t0;
            if (threads == 1 && used < best_one) best_one = used, wall_one = wall;
            if (threads == 2 && used < best_two) best_two = used, wall_two = wall;
        }
    }
    printf("rows floor (the same rows and columns through sqlite3, one thread): %ld rows, CPU %.2f s (wall %.2f s)\n",
           floor_rows, best_floor, wall_floor);
    printf("qc_assess CPU, one thread:  %.2f s (wall %.2f s), %.2fx the floor (target <= 1.5x)\n", best_one, wall_one,
           best_one / best_floor);
    printf("qc_assess CPU, two threads: %.2f s (wall %.2f s), %.2fx the floor (target <= 1.5x)\n", best_two, wall_two,
           best_two / best_floor);
    printf("peak RSS: %.0f MiB (target <= 512 MiB)\n", ru.ru_maxrss / 1024.0);
    qc_assessment_free(a);
    qc_rules_free(rules);
    qc_store_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "generate")) return generate(argv[2], argc > 3 ? atof(argv[3]) : 1.0);
    if (argc == 4 && !strcmp(argv[1], "run")) return run(argv[2], argv[3]);
    fprintf(stderr, "usage: %s generate DB [SCALE] | run DB RULES\n", argv[0]);
    return 2;
}
