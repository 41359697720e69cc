/* SPDX-License-Identifier: MIT
 * cmd_diff.c - what a rule revision would change, before it is issued:
 *
 *   quotacase diff-rules --rules NEW... --against OLD... --period P [--office X]
 *
 * The same store is classified and assessed under both rule collections:
 * the cases registered in the period whose labels change (OLD -> NEW), the
 * leaders whose status changes, and the offices whose compliance changes,
 * each with its count.  Nothing is written.  A provincial policy writer
 * runs it on last year's store before sending a revision out.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* "primary: label label ..." of a case under one classifier, or "(none)"
 * when no version of the rules is in force on its registration date. */
static int labels_of(qc_classifier *c, const qc_record *kase, char *buf, size_t size)
{
    const qc_result *r;
    int rc = qc_classify(&r, c, kase);
    if (rc == QC_ENOTFOUND) {
        snprintf(buf, size, "(none)");
        return QC_OK;
    }
    if (rc < 0) return rc;
    size_t n = (size_t)snprintf(buf, size, "%s", qc_result_label_count(r) ? "" : qc_result_primary(r));
    for (int i = 0; i < qc_result_label_count(r) && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", qc_result_label(r, i));
    return QC_OK;
}

static int classifier_for(qc_classifier **out, const qc_rules *rules, qc_store *s, int64_t today)
{
    int rc = qc_classifier_new(out, rules);
    if (rc == QC_OK) rc = qc_classifier_set_store(*out, s);
    if (rc == QC_OK) rc = qc_classifier_set_today(*out, today);
    return rc;
}

/* Cases registered in the period whose labels differ, into t. */
static int diff_cases(qc_store *s, const qc_rules *now, const qc_rules *before, const options *o, int64_t from,
                      int64_t to, out_table *t, int64_t *changed, int64_t *seen)
{
    qc_classifier *a = NULL, *b = NULL;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *kase;
    int rc = classifier_for(&a, now, s, to);
    if (rc == QC_OK) rc = classifier_for(&b, before, s, to);
    if (rc == QC_OK) rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_filter_set_dates(f, from, to);
    if (rc == QC_OK && o->office) rc = qc_filter_set_office(f, o->office);
    if (rc == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_CASE, f);
    while (rc == QC_OK && (rc = qc_iter_next(&kase, it)) == QC_OK) {
        char was[1024], is[1024];
        if ((rc = labels_of(b, kase, was, sizeof was)) < 0 || (rc = labels_of(a, kase, is, sizeof is)) < 0) break;
        (*seen)++;
        if (!strcmp(was, is)) continue;
        (*changed)++;
        const char *cells[] = {qc_record_text(kase, QC_CASE_ID), qc_record_text(kase, QC_CASE_OFFICE), was, is};
        if (out_table_add_row(t, cells) < 0) rc = QC_ENOMEM;
    }
    qc_iter_free(it);
    qc_filter_free(f);
    qc_classifier_free(a);
    qc_classifier_free(b);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* A leader's place in an assessment: person, office and role. */
typedef struct leader_key {
    const qc_assessment *a;
    int i;
} leader_key;

static int key_cmp(const leader_key *x, const leader_key *y)
{
    int c = strcmp(qc_assessment_leader_person(x->a, x->i), qc_assessment_leader_person(y->a, y->i));
    if (!c) c = strcmp(qc_assessment_leader_office(x->a, x->i), qc_assessment_leader_office(y->a, y->i));
    if (!c) c = strcmp(qc_assessment_leader_role(x->a, x->i), qc_assessment_leader_role(y->a, y->i));
    return c;
}

static int by_key(const void *x, const void *y) { return key_cmp(x, y); }

/* The leaders of `before` sorted, to look those of `now` up in. */
static leader_key *sorted_leaders(const qc_assessment *a)
{
    int n = qc_assessment_leader_count(a);
    leader_key *keys = malloc(sizeof *keys * (size_t)(n ? n : 1));
    if (!keys) return NULL;
    for (int i = 0; i < n; i++) keys[i] = (leader_key){a, i};
    qsort(keys, (size_t)n, sizeof *keys, by_key);
    return keys;
}

static void status_text(char *buf, size_t size, const qc_assessment *a, int i)
{
    snprintf(buf, size, "%s (%g of %.2f)", qc_assessment_leader_status(a, i), qc_assessment_leader_counted(a, i),
             qc_assessment_leader_required(a, i));
}

/* Leaders whose status differs (or who are leaders under one rule set
 * only), into t. */
static int diff_leaders(const qc_assessment *now, const qc_assessment *before, out_table *t, int64_t *changed)
{
    leader_key *keys = sorted_leaders(before);
    if (!keys) return QC_ENOMEM;
    int n = qc_assessment_leader_count(before);
    char *matched = calloc((size_t)(n ? n : 1), 1);
    if (!matched) {
        free(keys);
        return QC_ENOMEM;
    }
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < qc_assessment_leader_count(now); i++) {
        leader_key want = {now, i}, *hit = bsearch(&want, keys, (size_t)n, sizeof *keys, by_key);
        char was[96] = "(not assessed)", is[96];
        status_text(is, sizeof is, now, i);
        if (hit) {
            matched[hit - keys] = 1;
            if (!strcmp(qc_assessment_leader_status(before, hit->i), qc_assessment_leader_status(now, i))) continue;
            status_text(was, sizeof was, before, hit->i);
        }
        (*changed)++;
        const char *cells[] = {qc_assessment_leader_person(now, i), qc_assessment_leader_name(now, i),
                               qc_assessment_leader_office(now, i), qc_assessment_leader_role(now, i), was, is};
        if (out_table_add_row(t, cells) < 0) rc = QC_ENOMEM;
    }
    for (int k = 0; rc == QC_OK && k < n; k++) {
        if (matched[k]) continue;
        int i = keys[k].i;
        char was[96];
        status_text(was, sizeof was, before, i);
        (*changed)++;
        const char *cells[] = {qc_assessment_leader_person(before, i), qc_assessment_leader_name(before, i),
                               qc_assessment_leader_office(before, i), qc_assessment_leader_role(before, i), was,
                               "(not assessed)"};
        if (out_table_add_row(t, cells) < 0) rc = QC_ENOMEM;
    }
    free(matched);
    free(keys);
    return rc;
}

/* Offices whose compliance differs, into t (both assessments list the
 * same offices: those of the store). */
static int diff_offices(const qc_assessment *now, const qc_assessment *before, out_table *t, int64_t *changed)
{
    for (int i = 0; i < qc_assessment_office_count(now); i++) {
        const char *id = qc_assessment_office_id(now, i);
        for (int k = 0; k < qc_assessment_office_count(before); k++) {
            if (strcmp(id, qc_assessment_office_id(before, k))) continue;
            int was = qc_assessment_office_complies(before, k), is = qc_assessment_office_complies(now, i);
            if (was == is) break;
            (*changed)++;
            const char *cells[] = {id, qc_assessment_office_name(now, i), was ? "complies" : "does not comply",
                                   is ? "complies" : "does not comply"};
            if (out_table_add_row(t, cells) < 0) return QC_ENOMEM;
            break;
        }
    }
    return QC_OK;
}

static void print_section(const char *title, const char *key, out_table *t, int64_t n, int64_t of, const options *o,
                          bool last)
{
    if (o->format == OUT_JSON) {
        printf("\"%s\": {\"changed\": %lld, ", key, (long long)n);
        if (of >= 0) printf("\"of\": %lld, ", (long long)of);
        printf("\"rows\": ");
        out_table_print(t, OUT_JSON, stdout);
        printf("}%s", last ? "" : ", ");
        return;
    }
    if (o->format == OUT_TEXT) {
        if (of >= 0) printf("\n%s: %lld of %lld\n", title, (long long)n, (long long)of);
        else printf("\n%s: %lld\n", title, (long long)n);
    }
    if (n || o->format != OUT_TEXT) out_table_print(t, o->format, stdout);
}

int cmd_diff_rules(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc) return usage_error("diff-rules: unexpected '%s'", argv[0]);
    if (!o->nrules || !o->nagainst)
        return usage_error("%s", "diff-rules: give the new rules with --rules FILE and the old with --against FILE");
    if (!o->period) return usage_error("%s", "diff-rules: give --period (2017, 2017-Q2, 2017-05, FROM..TO)");
    if (o->format == OUT_CSV) return usage_error("%s", "diff-rules: --format text or json (three tables)");
    int64_t from, to;
    if (qc_period_parse(&from, &to, o->period) < 0) return usage_error("--period: %s", qc_error_last());
    static const char *const case_cols[] = {"case", "office", "before", "after"};
    static const char *const leader_cols[] = {"person", "name", "office", "role", "before", "after"};
    static const char *const office_cols[] = {"office", "name", "before", "after"};
    out_table *cases = out_table_new(4, case_cols), *leaders = out_table_new(6, leader_cols),
              *offices = out_table_new(4, office_cols);
    qc_rules *now = NULL, *before = NULL;
    qc_assessment *an = NULL, *ab = NULL;
    int64_t ncases = 0, seen = 0, nleaders = 0, noffices = 0;
    int rc = cases && leaders && offices ? QC_OK : QC_ENOMEM;
    if (rc == QC_OK) rc = load_rules(&now, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = load_rules(&before, o, o->against, o->nagainst);
    if (rc == QC_OK) rc = diff_cases(s, now, before, o, from, to, cases, &ncases, &seen);
    if (rc == QC_OK) rc = qc_assess(&an, now, s, o->office, from, to);
    if (rc == QC_OK) rc = qc_assess(&ab, before, s, o->office, from, to);
    if (rc == QC_OK) rc = diff_leaders(an, ab, leaders, &nleaders);
    if (rc == QC_OK) rc = diff_offices(an, ab, offices, &noffices);
    int code = EXIT_OK;
    if (rc < 0) {
        code = fail(rc);
    } else {
        if (o->format == OUT_JSON) {
            printf("{\"rules\": ");
            out_json_string(stdout, qc_rules_hash(now));
            printf(", \"against\": ");
            out_json_string(stdout, qc_rules_hash(before));
            printf(", \"store_state\": ");
            out_json_string(stdout, qc_assessment_store_head(an));
            printf(", ");
        } else {
            printf("rules %s against %s\non store state %s\n", qc_rules_hash(now), qc_rules_hash(before),
                   qc_assessment_store_head(an));
        }
        print_section("cases whose labels change", "cases", cases, ncases, seen, o, false);
        print_section("leaders whose status changes", "leaders", leaders, nleaders, -1, o, false);
        print_section("offices whose compliance changes", "offices", offices, noffices, -1, o, true);
        if (o->format == OUT_JSON) printf("}\n");
    }
    qc_assessment_free(an);
    qc_assessment_free(ab);
    qc_rules_free(now);
    qc_rules_free(before);
    out_table_free(cases);
    out_table_free(leaders);
    out_table_free(offices);
    return code;
}
