/* SPDX-License-Identifier: MIT
 * assignment_simulation.c - a synthetic year of new cases assigned to one
 * department twice, at random and by the quota-aware suggestion, with
 * the leaders' counts and focus shares at the end (docs/inspections.md).
 *
 *   assignment_simulation RULES [CASES] [SEED]
 *
 * RULES: examples/rules/liaoning-2017-assignment.yaml (the Liaoning 2017
 * quotas - a chief 4 cases, a deputy 8, a third of them hard - and the
 * leaders' reduced shares of random assignment).  One procuratorate: a
 * chief, two deputies in the department, six prosecutors; CASES cases
 * (default 400) registered evenly from May to December 2017, one in six
 * hard (a ten-year sentence: the rules' "major").  Whoever is assigned a
 * case handles it personally (reviews the file, drafts, interrogates).
 * Both runs get the same cases in the same order; only the method
 * differs.  The last line says how many leaders fall short under each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quotacase.h"

static void die(const char *what)
{
    fprintf(stderr, "assignment_simulation: %s: %s\n", what, qc_error_last());
    exit(1);
}

static const char *const people[][4] = {
    /* id, name, role, department */
    {"CH", "王检察长", "chief", NULL},         {"DC1", "李副检察长", "deputy_chief", "D1"},
    {"DC2", "张副检察长", "deputy_chief", "D1"}, {"P1", "检察官一", "prosecutor", "D1"},
    {"P2", "检察官二", "prosecutor", "D1"},     {"P3", "检察官三", "prosecutor", "D1"},
    {"P4", "检察官四", "prosecutor", "D1"},     {"P5", "检察官五", "prosecutor", "D1"},
    {"P6", "检察官六", "prosecutor", "D1"},
};

static qc_store *office(void)
{
    qc_store *s;
    if (qc_store_open(&s, "memory:") < 0) die("open");
    char yaml[4096];
    int n = snprintf(yaml, sizeof yaml, "offices:\n  - {id: O, name: 某区人民检察院, kind: procuratorate, level: basic}\n"
                                        "departments:\n  - {id: D1, office: O, name: 第一检察部, line: prosecution}\n"
                                        "people:\n");
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - {id: %s, name: %s, office: O, role: %s, in_quota: true%s%s}\n",
                      people[i][0], people[i][1], people[i][2], people[i][3] ? ", department: " : "",
                      people[i][3] ? people[i][3] : "");
    if (qc_store_import_buffer(s, yaml, (size_t)n, "yaml", "office.yaml", QC_KIND_NONE, NULL) < 0) die("the office");
    return s;
}

/* Register case i, assign it by method, and record the assignee's acts. */
static void one_case(qc_store *s, const qc_rules *rules, int i, int cases, qc_assign_method method, const char *seed)
{
    char id[32], day[16], yaml[1024], seed_of[96];
    int64_t first, registered;
    qc_date_parse(&first, "2017-05-01");
    registered = first + (int64_t)i * 244 / cases; /* May to December, evenly */
    qc_date_format(day, sizeof day, registered);
    snprintf(id, sizeof id, "S%04d", i);
    int n = snprintf(yaml, sizeof yaml, "cases:\n  - {id: %s, office: O, department: D1, line: prosecution, type: theft, "
                                        "registered: %s, facts: {max_sentence_years: %d}}\n",
                     id, day, i % 6 == 0 ? 12 : 3);
    if (qc_store_import_buffer(s, yaml, (size_t)n, "yaml", "case.yaml", QC_KIND_NONE, NULL) < 0) die(id);
    qc_suggestion *sg;
    const char *who;
    if (qc_suggest(&sg, rules, s, id, 0) < 0) die("suggest");
    snprintf(seed_of, sizeof seed_of, "%s-%s", seed, id);
    if (qc_assign(&who, s, sg, method, NULL, method == QC_ASSIGN_RANDOM ? seed_of : NULL, "分案系统", NULL, "lead") < 0)
        die("assign");
    n = snprintf(yaml, sizeof yaml, "acts:\n  - {case: %s, person: %s, kind: file_review, time: %sT09:00}\n"
                                    "  - {case: %s, person: %s, kind: drafting, time: %sT14:00}\n"
                                    "  - {case: %s, person: %s, kind: interrogation, time: %sT16:00}\n",
                 id, who, day, id, who, day, id, who, day);
    if (qc_store_import_buffer(s, yaml, (size_t)n, "yaml", "acts.yaml", QC_KIND_NONE, NULL) < 0) die("acts");
    qc_suggestion_free(sg);
}

/* Assign every case by method; print the leaders at the year's end and
 * return how many fall short. */
static int run(const qc_rules *rules, qc_assign_method method, const char *name, int cases, const char *seed)
{
    qc_store *s = office();
    for (int i = 0; i < cases; i++) one_case(s, rules, i, cases, method, seed);
    qc_assessment *a;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    if (qc_assess(&a, rules, s, "O", from, to) < 0) die("assess");
    int short_of = 0;
    printf("%s:\n", name);
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        const char *status = qc_assessment_leader_status(a, i);
        short_of += strcmp(status, "met") != 0;
        printf("  %-4s %-12s counted %5.1f of %4.1f  focus share %3.0f%%  %s\n", qc_assessment_leader_person(a, i),
               qc_assessment_leader_role(a, i), qc_assessment_leader_counted(a, i), qc_assessment_leader_required(a, i),
               100 * qc_assessment_leader_focus_share(a, i), status);
    }
    qc_assessment_free(a);
    qc_store_free(s);
    return short_of;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: assignment_simulation RULES [CASES] [SEED]\n");
        return 2;
    }
    int cases = argc > 2 ? atoi(argv[2]) : 400;
    const char *seed = argc > 3 ? argv[3] : "2017";
    if (cases < 1 || cases > 100000) {
        fprintf(stderr, "assignment_simulation: CASES is a number from 1 to 100000\n");
        return 2;
    }
    qc_rules *rules;
    if (qc_rules_load_file(&rules, argv[1]) < 0) die(argv[1]);
    int random_short = run(rules, QC_ASSIGN_RANDOM, "random assignment, leaders weighted by their share", cases, seed);
    int aware_short = run(rules, QC_ASSIGN_SUGGESTED, "quota-aware assignment (the suggestion's first)", cases, seed);
    printf("leaders short: random %d, quota-aware %d (of 3; %d cases, seed %s)\n", random_short, aware_short, cases, seed);
    qc_rules_free(rules);
    return 0;
}
