/* SPDX-License-Identifier: MIT
 * bench_sample.c - an inspection's draw and the assignment suggestion at
 * national scale (docs/inspections.md), against the SQL floor any
 * implementation must at least perform: reading the same candidate rows.
 *
 *   bench_sample prepare DB          on bench_assess's national store: a top office over
 *                                    every office, a review of one case in fifty (one in
 *                                    five of them unacceptable) and a step of one in a hundred
 *   bench_sample run DB RULES        time the floors, then qc_sample_draw and qc_suggest
 *
 * Two plans are drawn, 5 % of each office's cases (at least 2) with
 * must-review triggers: one whose triggers read stored rows (review
 * grades, steps), against a floor reading the candidate cases, the reviews
 * and the steps; one that adds the rules' triggers (name-only handling,
 * labels), against a floor that also reads the participations, the acts
 * and the case facts those need.  Times are CPU seconds (user + system),
 * the best of three, with their ratio; then qc_suggest for cases of
 * twenty offices, in milliseconds.  A benchmark, never a test.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "quotacase.h"

static void die(const char *what)
{
    fprintf(stderr, "bench_sample: %s: %s\n", what, qc_error_last());
    exit(1);
}

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set(qc_record *r, int field, const char *value)
{
    if (qc_record_set_text(r, field, value) < 0) die(value);
}

static int prepare(const char *path)
{
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    if (qc_store_open_existing(&s, uri) < 0) die(uri);
    qc_record *r;
    double t0 = wall_now();
    if (qc_store_begin(s) < 0) die("begin");
    if (qc_record_new(&r, QC_KIND_OFFICE) < 0) die("record");
    set(r, QC_OFFICE_ID, "SPP");
    set(r, QC_OFFICE_NAME, "最高人民检察院");
    set(r, QC_OFFICE_KIND, "procuratorate");
    set(r, QC_OFFICE_LEVEL, "national");
    if (qc_store_put(s, r) < 0) die("the top office");
    qc_record_free(r);
    /* every office under it: amended, as an office reorganised would be */
    qc_iter *it;
    const qc_record *o;
    char (*ids)[32] = NULL;
    int n = 0;
    if (qc_iter_new(&it, s, QC_KIND_OFFICE, NULL) < 0) die("offices");
    while (qc_iter_next(&o, it) == QC_OK) {
        if (!strcmp(qc_record_text(o, QC_OFFICE_ID), "SPP")) continue;
        ids = realloc(ids, sizeof *ids * (size_t)(n + 1));
        snprintf(ids[n++], sizeof *ids, "%s", qc_record_text(o, QC_OFFICE_ID));
    }
    qc_iter_free(it);
    for (int i = 0; i < n; i++) {
        if (qc_store_get(&r, s, QC_KIND_OFFICE, ids[i]) < 0) die("office");
        set(r, QC_OFFICE_PARENT, "SPP");
        if (qc_store_amend(s, r, "under the national office") < 0) die("amend");
        qc_record_free(r);
    }
    free(ids);
    /* reviews and steps on some cases */
    qc_record *rv, *st;
    if (qc_record_new(&rv, QC_KIND_REVIEW) < 0 || qc_record_new(&st, QC_KIND_STEP) < 0) die("record");
    const qc_record *c;
    long k = 0, reviews = 0, steps = 0;
    if (qc_iter_new(&it, s, QC_KIND_CASE, NULL) < 0) die("cases");
    while (qc_iter_next(&c, it) == QC_OK) {
        k++;
        char day[16];
        qc_date_format(day, sizeof day, qc_record_int(c, QC_CASE_REGISTERED) + 60);
        if (k % 50 == 0) {
            qc_record_clear(rv);
            set(rv, QC_REVIEW_CASE, qc_record_text(c, QC_CASE_ID));
            set(rv, QC_REVIEW_GRADE, k % 250 == 0 ? "unacceptable" : "acceptable");
            set(rv, QC_REVIEW_SCHEME, "spp2017");
            set(rv, QC_REVIEW_DATE, day);
            if (qc_store_put(s, rv) < 0) die("review");
            reviews++;
        }
        if (k % 100 == 7) {
            qc_record_clear(st);
            set(st, QC_STEP_CASE, qc_record_text(c, QC_CASE_ID));
            set(st, QC_STEP_KIND, "return_supplementary");
            set(st, QC_STEP_DATE, day);
            if (qc_store_put(s, st) < 0) die("step");
            steps++;
        }
    }
    qc_iter_free(it);
    qc_record_free(rv);
    qc_record_free(st);
    if (qc_store_commit(s) < 0) die("commit");
    printf("prepared: %d offices under SPP, %ld reviews, %ld steps, in %.1f s\n", n, reviews, steps, wall_now() - t0);
    qc_store_free(s);
    return 0;
}

/* Read every row of each query: what a draw cannot do without. */
static long read_rows(sqlite3 *db, const char *const *queries, int n)
{
    long rows = 0;
    for (int q = 0; q < n; q++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, queries[q], -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "bench_sample: %s: %s\n", queries[q], sqlite3_errmsg(db));
            exit(1);
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) (void)sqlite3_column_text(st, c);
            rows++;
        }
        sqlite3_finalize(st);
    }
    return rows;
}

static double best_floor(const char *path, const char *const *queries, int n, long *rows)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(path);
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        double t = cpu_now();
        *rows = read_rows(db, queries, n);
        t = cpu_now() - t;
        if (t < best) best = t;
    }
    sqlite3_close(db);
    return best;
}

static double best_draw(qc_store *s, const char *plan_text, const qc_rules *rules, int *selected, int64_t *candidates)
{
    qc_plan *plan;
    if (qc_plan_load_string(&plan, plan_text, strlen(plan_text), "bench-plan.yaml") < 0) die("plan");
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        qc_sample *sm;
        double t = cpu_now();
        if (qc_sample_draw(&sm, plan, rules, s, "SPP", from, to, "20180105") < 0) die("draw");
        t = cpu_now() - t;
        if (t < best) best = t;
        *selected = qc_sample_count(sm);
        *candidates = qc_sample_candidates(sm);
        qc_sample_free(sm);
    }
    qc_plan_free(plan);
    return best;
}

static int run(const char *path, const char *rules_path)
{
    static const char *const stored[] = {
        "SELECT id, office, line, registered, closed FROM cases",
        "SELECT \"case\", grade, date FROM reviews",
        "SELECT \"case\", kind, date FROM steps",
    };
    static const char *const with_rules[] = {
        "SELECT id, office, line, type, registered, closed FROM cases",
        "SELECT case_id, name, type, value FROM case_facts",
        "SELECT \"case\", person, capacity FROM participations",
        "SELECT \"case\", person, kind, time FROM acts",
        "SELECT \"case\", grade, date FROM reviews",
        "SELECT \"case\", kind, date FROM steps",
        "SELECT id, office, role, in_quota, valid_from, valid_to FROM people",
    };
    static const char plan_stored[] = "plan: bench\ncases: registered\nstrata: {by: [office], ratio: 0.05, minimum: 2}\n"
                                      "triggers:\n  - {id: low_grade, review_grades: [unacceptable]}\n"
                                      "  - {id: remanded, steps: [return_supplementary]}\n";
    static const char plan_rules[] = "plan: bench\ncases: registered\nstrata: {by: [office], ratio: 0.05, minimum: 2}\n"
                                     "triggers:\n  - {id: name_only, name_only: true}\n"
                                     "  - {id: low_grade, review_grades: [unacceptable]}\n"
                                     "  - {id: remanded, steps: [return_supplementary]}\n"
                                     "  - {id: guiding, labels: [guiding]}\n";
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    qc_store *s;
    qc_rules *rules;
    if (qc_store_open_existing(&s, uri) < 0) die(uri);
    if (qc_rules_load_file(&rules, rules_path) < 0) die(rules_path);
    long rows;
    int selected;
    int64_t candidates;
    double floor1 = best_floor(path, stored, 3, &rows);
    printf("SQL floor, stored triggers (cases, reviews, steps): %ld rows, best %.3f s\n", rows, floor1);
    double draw1 = best_draw(s, plan_stored, NULL, &selected, &candidates);
    printf("qc_sample_draw, review and step triggers: %d of %lld cases, best %.3f s: %.2fx the floor\n", selected,
           (long long)candidates, draw1, draw1 / floor1);
    double floor2 = best_floor(path, with_rules, 7, &rows);
    printf("SQL floor, with the rules' triggers (+ facts, participations, acts, people): %ld rows, best %.3f s\n", rows, floor2);
    double draw2 = best_draw(s, plan_rules, rules, &selected, &candidates);
    printf("qc_sample_draw, + name-only and label triggers: %d of %lld cases, best %.3f s: %.2fx the floor\n", selected,
           (long long)candidates, draw2, draw2 / floor2);
    /* the suggestion for one case in each of twenty offices */
    qc_iter *it;
    const qc_record *c;
    char cases[20][64];
    int n = 0;
    char last_office[64] = "";
    if (qc_iter_new(&it, s, QC_KIND_CASE, NULL) < 0) die("cases");
    while (n < 20 && qc_iter_next(&c, it) == QC_OK)
        if (strcmp(qc_record_text(c, QC_CASE_OFFICE), last_office)) {
            snprintf(last_office, sizeof last_office, "%s", qc_record_text(c, QC_CASE_OFFICE));
            snprintf(cases[n++], sizeof cases[0], "%s", qc_record_text(c, QC_CASE_ID));
        }
    qc_iter_free(it);
    double worst = 0, total = 0;
    int eligible = 0;
    for (int i = 0; i < n; i++) {
        qc_suggestion *sg;
        double t = wall_now();
        if (qc_suggest(&sg, rules, s, cases[i], 17333 /* 2017-06-15 */) < 0) die(cases[i]);
        t = wall_now() - t;
        eligible += qc_suggestion_count(sg);
        qc_suggestion_free(sg);
        total += t;
        if (t > worst) worst = t;
    }
    printf("qc_suggest: %d cases of %d offices, %.1f eligible each, mean %.1f ms, worst %.1f ms (wall clock)\n", n, n,
           n ? (double)eligible / n : 0, n ? 1000 * total / n : 0, 1000 * worst);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.0f MiB\n", ru.ru_maxrss / 1024.0);
    qc_rules_free(rules);
    qc_store_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "prepare")) return prepare(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "run")) return run(argv[2], argv[3]);
    fprintf(stderr, "usage: bench_sample prepare DB | bench_sample run DB RULES\n");
    return 2;
}
