/* SPDX-License-Identifier: MIT
 * bench_deadlines.c - node control at national scale: the due day and
 * warning of every open case (docs/deadlines.md), against the SQL floor
 * any implementation must at least perform - reading the same steps, in
 * case order, with their cases - in the same run.
 *
 *   bench_deadlines generate DB [SCALE]   write cases and their steps into DB (sqlite path)
 *   bench_deadlines run DB RULES DAY      time the floor, then qc_deadlines_compute
 *
 * SCALE 1 is national: 3,600 offices and 4 million prosecution and arrest
 * review cases of 2018 with about three steps each (intake; one in ten
 * returned for supplementary investigation and resubmitted; half the
 * reviews suspended and resumed; three in four decided; one in six a major case, whose period the rules extend by its
 * label).  `run` times the floor and the library three times each, in CPU
 * seconds (user + system: the work, not the disk's mood), and prints each,
 * the ratio of the best of each, and the process's peak RSS.  A benchmark,
 * never a test: it does not fail on a time.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "quotacase.h"

static void die(const char *what)
{
    fprintf(stderr, "bench_deadlines: %s: %s\n", what, qc_error_last());
    exit(1);
}

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static qc_record *rec[QC_KIND_COUNT];

static void put(qc_store *s, qc_kind k, ...)
{
    va_list ap;
    va_start(ap, k);
    qc_record_clear(rec[k]);
    for (const char *f; (f = va_arg(ap, const char *));) {
        const char *eq = strchr(f, '=');
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(eq - f), f);
        int field = qc_field_lookup(k, name);
        if (field < 0) {
            if (!strncmp(name, "fact.", 5) && qc_record_set_fact_parse(rec[k], name + 5, QC_TYPE_NULL, eq + 1) == QC_OK) continue;
            die(name);
        }
        if (qc_record_set_text(rec[k], field, eq + 1) < 0) die(f);
    }
    va_end(ap);
    if (qc_store_put(s, rec[k]) < 0) die("put");
}

static int generate(const char *path, double scale)
{
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    if (qc_store_open(&s, uri) < 0) die(uri);
    for (int k = 1; k < QC_KIND_COUNT; k++)
        if (qc_record_new(&rec[k], (qc_kind)k) < 0) die("record");
    long offices = (long)(3600 * scale) > 0 ? (long)(3600 * scale) : 1, per_office = 1111; /* 4.0 M cases at scale 1 */
    long ncases = 0, nsteps = 0;
    char a[64], b[64], c[64], d[64], e[64];
    int64_t base;
    qc_date_parse(&base, "2018-01-01");
    if (qc_store_begin(s) < 0) die("begin");
    for (long o = 0; o < offices; o++) {
        char office[16];
        snprintf(office, sizeof office, "O%04ld", o);
        snprintf(a, sizeof a, "id=%s", office);
        put(s, QC_KIND_OFFICE, a, "name=院", "kind=procuratorate", "level=basic", NULL);
        for (long i = 0; i < per_office; i++) {
            long n = o * per_office + i;
            /* ids that do not sort in the order written, as offices record side by side */
            char id[32], day[16], when[16];
            snprintf(id, sizeof id, "%c%07ld-%s", 'A' + (int)(n % 23), n, office);
            int64_t intake = base + (n * 7919) % 360;
            qc_date_format(day, sizeof day, intake);
            bool arrest = n % 5 == 0, major = n % 6 == 0;
            put(s, QC_KIND_CASE, (snprintf(a, sizeof a, "id=%s", id), a), (snprintf(b, sizeof b, "office=%s", office), b),
                arrest ? "line=arrest_review" : "line=prosecution", major ? "type=robbery" : "type=theft",
                (snprintf(c, sizeof c, "registered=%s", day), c), major ? "fact.max_sentence_years=12" : "fact.max_sentence_years=3",
                NULL);
            ncases++;
            snprintf(a, sizeof a, "case=%s", id);
            put(s, QC_KIND_STEP, a, arrest ? "kind=arrest_request" : "kind=intake_prosecution", (snprintf(d, sizeof d, "date=%s", day), d),
                NULL);
            nsteps++;
            if (!arrest && n % 10 == 1) { /* returned once, resubmitted */
                qc_date_format(when, sizeof when, intake + 20);
                put(s, QC_KIND_STEP, a, "kind=return_supplementary", (snprintf(e, sizeof e, "date=%s", when), e), NULL);
                qc_date_format(when, sizeof when, intake + 45);
                put(s, QC_KIND_STEP, a, "kind=resubmitted", (snprintf(e, sizeof e, "date=%s", when), e), NULL);
                nsteps += 2;
            }
            if (!arrest && n % 2 == 0) { /* review suspended for ten days */
                qc_date_format(when, sizeof when, intake + 5);
                put(s, QC_KIND_STEP, a, "kind=suspension", (snprintf(e, sizeof e, "date=%s", when), e), NULL);
                qc_date_format(when, sizeof when, intake + 15);
                put(s, QC_KIND_STEP, a, "kind=resumption", (snprintf(e, sizeof e, "date=%s", when), e), NULL);
                nsteps += 2;
            }
            if (n % 4 != 3) { /* three in four decided */
                qc_date_format(when, sizeof when, intake + (arrest ? 10 : 28) + (n % 10 == 1 ? 45 : 0));
                put(s, QC_KIND_STEP, a, arrest ? "kind=arrest_approved" : "kind=indictment",
                    (snprintf(e, sizeof e, "date=%s", when), e), NULL);
                nsteps++;
            }
        }
        if (o % 100 == 99) { /* commit as we go: one transaction would hold the whole journal */
            if (qc_store_commit(s) < 0 || qc_store_begin(s) < 0) die("commit");
            fprintf(stderr, "\r%ld offices", o + 1);
        }
    }
    if (qc_store_commit(s) < 0) die("commit");
    fprintf(stderr, "\rbench_deadlines: %ld offices, %ld cases, %ld steps (%.2f a case)\n", offices, ncases, nsteps,
            (double)nsteps / (double)ncases);
    for (int k = 1; k < QC_KIND_COUNT; k++) qc_record_free(rec[k]);
    qc_store_free(s);
    return 0;
}

/* The floor: every case and its steps in case order, each column read -
 * what any program that computes a due day per case must at least do;
 * with facts, also every case's facts (what it needs to know a case's
 * labels, where the period depends on them). */
static double floor_seconds(const char *path, long *rows, bool facts)
{
    sqlite3 *db;
    sqlite3_stmt *cases, *steps;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("sqlite3_open");
    double t0 = cpu_now();
    sqlite3_stmt *fs = NULL;
    if (sqlite3_prepare_v2(db, "SELECT id, office, line, registered, closed FROM cases ORDER BY id", -1, &cases, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT \"case\", kind, date FROM steps ORDER BY \"case\", seq", -1, &steps, NULL) != SQLITE_OK ||
        (facts && sqlite3_prepare_v2(db, "SELECT case_id, name, type, value FROM case_facts ORDER BY case_id, seq", -1, &fs, NULL) != SQLITE_OK))
        die(sqlite3_errmsg(db));
    long n = 0;
    int64_t sum = 0;
    int more = sqlite3_step(steps), more_facts = fs ? sqlite3_step(fs) : SQLITE_DONE;
    while (sqlite3_step(cases) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(cases, 0);
        sum += sqlite3_column_int64(cases, 3) + (sqlite3_column_text(cases, 1) ? 1 : 0) + (sqlite3_column_text(cases, 2) ? 1 : 0);
        while (more_facts == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(fs, 0), id) <= 0) {
            sum += sqlite3_column_int64(fs, 3) + (sqlite3_column_text(fs, 1) ? 1 : 0);
            more_facts = sqlite3_step(fs);
        }
        while (more == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(steps, 0), id) <= 0) {
            sum += sqlite3_column_int64(steps, 2) + (sqlite3_column_text(steps, 1) ? 1 : 0);
            n++;
            more = sqlite3_step(steps);
        }
    }
    double t = cpu_now() - t0;
    sqlite3_finalize(cases);
    sqlite3_finalize(steps);
    sqlite3_finalize(fs);
    sqlite3_close(db);
    if (sum == 42) fputc(' ', stderr); /* keep the reads */
    *rows = n;
    return t;
}

static int run(const char *path, const char *rules_path, const char *day_text)
{
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    qc_rules *rules;
    int64_t day;
    if (qc_store_open_existing(&s, uri) < 0) die(uri);
    if (qc_rules_load_file(&rules, rules_path) < 0) die(rules_path);
    if (qc_date_parse(&day, day_text) < 0) die(day_text);
    double best_floor = 1e30, best_facts = 1e30, best_lib = 1e30;
    long steps = 0;
    int listed = 0;
    for (int round = 0; round < 3; round++) {
        double f = floor_seconds(path, &steps, false), ff = floor_seconds(path, &steps, true);
        if (ff < best_facts) best_facts = ff;
        double t0 = cpu_now();
        qc_deadlines *d;
        if (qc_deadlines_compute(&d, rules, s, NULL, NULL, day) < 0) die("deadlines");
        double t = cpu_now() - t0;
        int red = 0;
        listed = qc_deadlines_count(d);
        for (int i = 0; i < listed; i++) red += !strcmp(qc_deadlines_level(d, i), "red");
        qc_deadlines_free(d);
        printf("round %d: floor %.3f s CPU (%ld steps; %.3f s with the facts), qc_deadlines_compute %.3f s CPU (%d open cases in a node, "
               "%d red)\n", round + 1, f, steps, ff, t, listed, red);
        if (f < best_floor) best_floor = f;
        if (t < best_lib) best_lib = t;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("best: floor %.3f s, library %.3f s: %.2fx the floor (target <= 1.5x), %.2fx the floor that also reads the facts (%.3f s); "
           "%.0f steps/s; peak RSS %.1f MiB (target <= 512)\n",
           best_floor, best_lib, best_lib / best_floor, best_lib / best_facts, best_facts, (double)steps / best_lib, ru.ru_maxrss / 1024.0);
    qc_rules_free(rules);
    qc_store_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "generate")) return generate(argv[2], argc > 3 ? atof(argv[3]) : 1.0);
    if (argc == 5 && !strcmp(argv[1], "run")) return run(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: %s generate DB [SCALE] | run DB RULES DAY\n", argv[0]);
    return 2;
}
