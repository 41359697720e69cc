/* SPDX-License-Identifier: MIT
 * bench_classify.c - classification speed: the library against the same
 * logic hand-written in C, in the same run.
 *
 *   bench_classify [CASES]     (default 1000000)
 *
 * Two rule sets: six rules of one condition each, and a realistic set of
 * 50 rules over 10 facts.  For each: (a) qc_classify_columns on the cases
 * as columns (one array per fact; the best of three calls); (b) qc_classify on prebuilt case
 * records; (c) hand-written C computing the same labels, primary label and
 * weight from the same records through the public accessors; and (d)
 * hand-written C on a plain struct of facts, the floor: the compiled C the
 * rules would be if someone wrote them by hand.  Also counts heap allocations during
 * (a), by interposing malloc: the promise is zero per evaluation.
 * Prints cases/s and ratios; never fails on a time.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quotacase.h"

/* ---- counting allocations (glibc: interpose, forward to libc) ---- */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static long allocations;
void *malloc(size_t n) { allocations++; return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { allocations++; return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { allocations++; return __libc_realloc(p, n); }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_classify: %s: %s\n", what, qc_error_last());
    exit(1);
}

/* ---- synthetic cases ---- */

typedef struct plain_case {
    long years, defendants, victims, parties;
    double amount;
    int influence; /* 0 none .. 4 national */
    int life, group, disputed, new_type;
} plain_case;

static const char *const influences[] = {"none", "district", "city", "province", "national"};

static unsigned long rng = 88172645463325252ul;
static unsigned long next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void make_cases(long n, qc_record **recs, plain_case *plain)
{
    for (long i = 0; i < n; i++) {
        plain_case p = {
            .years = (long)(next_rand() % 16), .defendants = 1 + (long)(next_rand() % 8),
            .victims = (long)(next_rand() % 15), .parties = 1 + (long)(next_rand() % 12),
            .amount = (double)(next_rand() % 8000000), .influence = (int)(next_rand() % 5),
            .life = next_rand() % 50 == 0, .group = next_rand() % 10 == 0,
            .disputed = next_rand() % 8 == 0, .new_type = next_rand() % 20 == 0,
        };
        plain[i] = p;
        char id[32];
        snprintf(id, sizeof id, "C%08ld", i);
        if (qc_record_new(&recs[i], QC_KIND_CASE) < 0) die("record");
        qc_record *r = recs[i];
        qc_record_set_text(r, QC_CASE_ID, id);
        qc_record_set_text(r, QC_CASE_OFFICE, "O1");
        qc_record_set_text(r, QC_CASE_LINE, "prosecution");
        qc_record_set_text(r, QC_CASE_TYPE, i % 3 ? "fraud" : "theft");
        qc_record_set_int(r, QC_CASE_REGISTERED, 17400 + i % 300);
        qc_record_set_fact_int(r, "years", p.years);
        qc_record_set_fact_int(r, "defendants", p.defendants);
        qc_record_set_fact_int(r, "victims", p.victims);
        qc_record_set_fact_int(r, "parties", p.parties);
        qc_record_set_fact_decimal(r, "amount", p.amount);
        qc_record_set_fact_text(r, "influence", influences[p.influence]);
        qc_record_set_fact_bool(r, "life", p.life);
        qc_record_set_fact_bool(r, "group", p.group);
        qc_record_set_fact_bool(r, "disputed", p.disputed);
        qc_record_set_fact_bool(r, "new_type", p.new_type);
    }
}

static const char *const header =
    "name: bench\nversion: '1'\neffective_from: 2017-01-01\n"
    "facts:\n"
    "  years: {type: int, min: 0, max: 25, missing: default, default: 0}\n"
    "  defendants: {type: int, min: 0, missing: default, default: 1}\n"
    "  victims: {type: int, min: 0, missing: default, default: 0}\n"
    "  parties: {type: int, min: 0, missing: default, default: 2}\n"
    "  amount: {type: decimal, min: 0, missing: default, default: 0}\n"
    "  influence: {type: enum, values: [none, district, city, province, national], missing: default, default: none}\n"
    "  life: {type: bool, missing: false}\n"
    "  group: {type: bool, missing: false}\n"
    "  disputed: {type: bool, missing: false}\n"
    "  new_type: {type: bool, missing: false}\n"
    "labels: [{id: major}, {id: difficult}, {id: complex}, {id: first_of_kind}, {id: ordinary, fallback: true}]\n"
    "weights: {combine: max, labels: {major: 3, difficult: 2, complex: 2, first_of_kind: 1.5, ordinary: 1}}\n";

/* Six rules of one condition each. */
static const char *const six_rules =
    "classify:\n"
    "  - {id: r1, label: major, when: years >= 10}\n"
    "  - {id: r2, label: major, when: life}\n"
    "  - {id: r3, label: difficult, when: disputed}\n"
    "  - {id: r4, label: complex, when: defendants >= 5}\n"
    "  - {id: r5, label: complex, when: amount >= 5000000}\n"
    "  - {id: r6, label: first_of_kind, when: new_type}\n";

/* Hand-written: the six rules, reading facts from the record by name as
 * any code using the library's records must. */
static long fact_int(const qc_record *r, const char *name)
{
    int i = qc_record_fact_find(r, name);
    return i < 0 ? 0 : (long)qc_record_fact_int(r, i);
}

static double fact_dec(const qc_record *r, const char *name)
{
    int i = qc_record_fact_find(r, name);
    return i < 0 ? 0 : qc_record_fact_decimal(r, i);
}

static double weight_of(int labels)
{
    static const double w[] = {3, 2, 2, 1.5};
    double best = 0;
    for (int l = 0; l < 4; l++)
        if (labels & (1 << l) && w[l] > best) best = w[l];
    return labels ? best : 1;
}

static double hand_six_record(const qc_record *r)
{
    int labels = 0;
    if (fact_int(r, "years") >= 10 || fact_int(r, "life")) labels |= 1;
    if (fact_int(r, "disputed")) labels |= 2;
    if (fact_int(r, "defendants") >= 5 || fact_dec(r, "amount") >= 5000000) labels |= 4;
    if (fact_int(r, "new_type")) labels |= 8;
    return weight_of(labels);
}

static double hand_six_plain(const plain_case *p)
{
    int labels = 0;
    if (p->years >= 10 || p->life) labels |= 1;
    if (p->disputed) labels |= 2;
    if (p->defendants >= 5 || p->amount >= 5000000) labels |= 4;
    if (p->new_type) labels |= 8;
    return weight_of(labels);
}

/* 50 rules: ten families of five thresholds each, the shape of a real
 * provincial file (several bars per business line). */
static void fifty_rules(char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "classify:\n");
    static const char *const labels[] = {"major", "difficult", "complex", "first_of_kind"};
    for (int i = 0; i < 50; i++) {
        int family = i / 5, k = i % 5;
        char cond[200];
        switch (family) {
        case 0: snprintf(cond, sizeof cond, "years >= %d and defendants >= %d", 10 + k, 1 + k); break;
        case 1: snprintf(cond, sizeof cond, "amount >= %d and case.type == fraud", 4000000 + k * 500000); break;
        case 2: snprintf(cond, sizeof cond, "victims >= %d or parties >= %d", 10 + k, 9 + k); break;
        case 3: snprintf(cond, sizeof cond, "influence >= %s and years >= %d", influences[k], 3 + k); break;
        case 4: snprintf(cond, sizeof cond, "life and defendants between %d and %d", 1 + k, 3 + k); break;
        case 5: snprintf(cond, sizeof cond, "group and (defendants >= %d or amount > %d)", 3 + k, 100000 * (k + 1)); break;
        case 6: snprintf(cond, sizeof cond, "disputed and victims in [%d, %d, %d]", k, k + 5, k + 10); break;
        case 7: snprintf(cond, sizeof cond, "new_type and not group and years > %d", k); break;
        case 8: snprintf(cond, sizeof cond, "days(case.registered, 2018-06-01) > %d and parties > %d", 100 + 40 * k, 6 + k); break;
        default: snprintf(cond, sizeof cond, "amount / defendants > %d", 900000 + 100000 * k); break;
        }
        len += (size_t)snprintf(buf + len, size - len, "  - {id: f%d, label: %s, when: \"%s\"}\n", i, labels[family % 4], cond);
    }
}

static double hand_fifty_plain(const plain_case *p, const qc_record *r, int64_t registered, bool fraud)
{
    int labels = 0;
    (void)r;
    for (int k = 0; k < 5; k++) {
        int bits = 0;
        bits |= (p->years >= 10 + k && p->defendants >= 1 + k) << 0;
        bits |= (p->amount >= 4000000 + k * 500000 && fraud) << 1;
        bits |= (p->victims >= 10 + k || p->parties >= 9 + k) << 2;
        bits |= (p->influence >= k && p->years >= 3 + k) << 3;
        bits |= (p->life && p->defendants >= 1 + k && p->defendants <= 3 + k) << 4;
        bits |= (p->group && (p->defendants >= 3 + k || p->amount > 100000 * (k + 1))) << 5;
        bits |= (p->disputed && (p->victims == k || p->victims == k + 5 || p->victims == k + 10)) << 6;
        bits |= (p->new_type && !p->group && p->years > k) << 7;
        bits |= (17683 - registered > 100 + 40 * k && p->parties > 6 + k) << 8;
        bits |= (p->defendants && p->amount / p->defendants > 900000 + 100000 * k) << 9;
        for (int family = 0; family < 10; family++)
            if (bits & (1 << family)) labels |= 1 << (family % 4);
    }
    return weight_of(labels);
}

static double hand_fifty_record(const qc_record *r)
{
    plain_case p = {
        .years = fact_int(r, "years"), .defendants = fact_int(r, "defendants"), .victims = fact_int(r, "victims"),
        .parties = fact_int(r, "parties"), .amount = fact_dec(r, "amount"), .life = (int)fact_int(r, "life"),
        .group = (int)fact_int(r, "group"), .disputed = (int)fact_int(r, "disputed"), .new_type = (int)fact_int(r, "new_type"),
    };
    int i = qc_record_fact_find(r, "influence");
    const char *inf = i < 0 ? "none" : qc_record_fact_text(r, i);
    for (int k = 0; k < 5; k++)
        if (!strcmp(inf, influences[k])) p.influence = k;
    return hand_fifty_plain(&p, r, qc_record_int(r, QC_CASE_REGISTERED), !strcmp(qc_record_text(r, QC_CASE_TYPE), "fraud"));
}

/* The same cases as columns: one array per fact, as a table holds them. */
typedef struct case_columns {
    int64_t *years, *defendants, *victims, *parties, *life, *group, *disputed, *new_type, *registered;
    double *amount;
    const char **influence, **type, **line;
} case_columns;

static void make_columns(long n, const plain_case *plain, case_columns *k)
{
    size_t ints = sizeof(int64_t) * (size_t)n;
    int64_t **int_cols[] = {&k->years, &k->defendants, &k->victims, &k->parties, &k->life, &k->group,
                            &k->disputed, &k->new_type, &k->registered};
    for (size_t c = 0; c < sizeof int_cols / sizeof int_cols[0]; c++)
        if (!(*int_cols[c] = __libc_malloc(ints))) exit(1);
    k->amount = __libc_malloc(sizeof(double) * (size_t)n);
    k->influence = __libc_malloc(sizeof(char *) * (size_t)n);
    k->type = __libc_malloc(sizeof(char *) * (size_t)n);
    k->line = __libc_malloc(sizeof(char *) * (size_t)n);
    if (!k->amount || !k->influence || !k->type || !k->line) exit(1);
    for (long i = 0; i < n; i++) {
        const plain_case *p = &plain[i];
        k->years[i] = p->years, k->defendants[i] = p->defendants, k->victims[i] = p->victims;
        k->parties[i] = p->parties, k->life[i] = p->life, k->group[i] = p->group;
        k->disputed[i] = p->disputed, k->new_type[i] = p->new_type, k->registered[i] = 17400 + i % 300;
        k->amount[i] = p->amount;
        k->influence[i] = influences[p->influence];
        k->type[i] = i % 3 ? "fraud" : "theft";
        k->line[i] = "prosecution";
    }
}

static qc_columns *columns_of(long n, const case_columns *k)
{
    qc_columns *cols;
    if (qc_columns_new(&cols, (size_t)n) < 0 || qc_columns_set_int(cols, "years", k->years, NULL) < 0 ||
        qc_columns_set_int(cols, "defendants", k->defendants, NULL) < 0 ||
        qc_columns_set_int(cols, "victims", k->victims, NULL) < 0 || qc_columns_set_int(cols, "parties", k->parties, NULL) < 0 ||
        qc_columns_set_int(cols, "life", k->life, NULL) < 0 || qc_columns_set_int(cols, "group", k->group, NULL) < 0 ||
        qc_columns_set_int(cols, "disputed", k->disputed, NULL) < 0 ||
        qc_columns_set_int(cols, "new_type", k->new_type, NULL) < 0 ||
        qc_columns_set_decimal(cols, "amount", k->amount, NULL) < 0 ||
        qc_columns_set_text(cols, "influence", k->influence) < 0 || qc_columns_set_text(cols, "case.type", k->type) < 0 ||
        qc_columns_set_text(cols, "case.line", k->line) < 0 ||
        qc_columns_set_int(cols, "case.registered", k->registered, NULL) < 0)
        die("columns");
    return cols;
}

static case_columns columns;
static double *weights;

static void run(const char *title, const char *yaml, long n, qc_record **recs, plain_case *plain, bool six)
{
    qc_rules *rules;
    qc_classifier *c;
    const qc_result *res;
    if (qc_rules_load_string(&rules, yaml, title) < 0) die(title);
    if (qc_classifier_new(&c, rules) < 0) die("classifier");
    qc_classifier_set_office_level(c, QC_LEVEL_BASIC);
    double sum_lib = 0, sum_hand = 0, sum_plain = 0;
    long allocs_before = allocations;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        if (qc_classify(&res, c, recs[i]) < 0) die("classify");
        sum_lib += qc_result_weight(res);
    }
    double t_lib = now() - t0;
    long allocs = allocations - allocs_before;
    t0 = now();
    for (long i = 0; i < n; i++) sum_hand += six ? hand_six_record(recs[i]) : hand_fifty_record(recs[i]);
    double t_hand = now() - t0;
    t0 = now();
    for (long i = 0; i < n; i++)
        sum_plain += six ? hand_six_plain(&plain[i])
                         : hand_fifty_plain(&plain[i], NULL, qc_record_int(recs[i], QC_CASE_REGISTERED), i % 3 != 0);
    double t_plain = now() - t0;
    qc_columns *cols = columns_of(n, &columns);
    /* the best of three calls: the first also pays for touching the
     * output's fresh pages, which the other loops here never do */
    double t_cols = 1e9;
    long col_allocs = 0;
    for (int round = 0; round < 3; round++) {
        allocs_before = allocations;
        t0 = now();
        if (qc_classify_columns(c, cols, NULL, weights, NULL) < 0) die("classify columns");
        double t = now() - t0;
        col_allocs = allocations - allocs_before;
        if (t < t_cols) t_cols = t;
    }
    double sum_cols = 0;
    for (long i = 0; i < n; i++) sum_cols += weights[i];
    qc_columns_free(cols);
    printf("%s (%d rules), %ld cases\n", title, qc_rules_rule_count(rules, 0), n);
    printf("  %-44s %12.0f cases/s\n", "libquotacase qc_classify_columns", n / t_cols);
    printf("  %-44s %12.0f cases/s\n", "libquotacase qc_classify", n / t_lib);
    printf("  %-44s %12.0f cases/s\n", "hand-written C, same records", n / t_hand);
    printf("  %-44s %12.0f cases/s\n", "hand-written C, plain struct (floor)", n / t_plain);
    printf("  ratio columns / plain struct:            %.3fx (target >= %s)\n", t_plain / t_cols, six ? "0.5x" : "0.3x");
    printf("  ratio records / plain struct:            %.3fx\n", t_plain / t_lib);
    printf("  ratio records / hand-written on records: %.2fx\n", t_hand / t_lib);
    printf("  heap allocations: %ld in %ld record classifications, %ld in one columns call\n", allocs, n, col_allocs);
    printf("  checksums (total weight) agree: %s (%.1f, %.1f, %.1f, %.1f)\n",
           sum_lib == sum_hand && sum_hand == sum_plain && sum_cols == sum_lib ? "yes" : "NO", sum_cols, sum_lib,
           sum_hand, sum_plain);
    qc_classifier_free(c);
    qc_rules_free(rules);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    qc_record **recs = __libc_malloc(sizeof *recs * (size_t)n);
    plain_case *plain = __libc_malloc(sizeof *plain * (size_t)n);
    if (!recs || !plain) return 1;
    make_cases(n, recs, plain);
    make_columns(n, plain, &columns);
    if (!(weights = __libc_malloc(sizeof *weights * (size_t)n))) return 1;
    char *yaml = __libc_malloc(65536);
    snprintf(yaml, 65536, "%s%s", header, six_rules);
    run("six conditions", yaml, n, recs, plain, true);
    size_t len = (size_t)snprintf(yaml, 65536, "%s", header);
    fifty_rules(yaml + len, 65536 - len);
    run("realistic set", yaml, n, recs, plain, false);
    for (long i = 0; i < n; i++) qc_record_free(recs[i]);
    free(recs);
    free(plain);
    free(yaml);
    return 0;
}
