/* SPDX-License-Identifier: MIT
 * check_inspect.c - sampling plans, draws, inspections and assignments
 * (docs/inspections.md): plans refused with every problem located, draws
 * that are the same for the same inputs and uniform within a stratum,
 * shares and minimums kept, triggers always selected, an inspection
 * recorded and drawn again, a changed list found; assignment drawn by
 * seed, designated with a reason, suggested by the quota.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define RULES QC_EXAMPLES "/liaoning-2017.yaml"

static qc_store *store;
static qc_rules *rules;

/* Offices LN (the province) and DL under it; DL's department DL-D1
 * (prosecution); a chief and a deputy (leaders, in the quota), three
 * prosecutors and an assistant.  Cases C001..C060 in DL-D1 and L001..L020
 * at LN, registered in 2017, each led by a prosecutor in turn with the
 * acts of personal handling. */
static void world(void)
{
    ck_assert_qc_ok(qc_store_open(&store, "memory:"));
    ck_assert_qc_ok(qc_rules_load_file(&rules, RULES));
    char *y = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&y, &size);
    fputs("offices:\n"
          "  - {id: LN, name: 辽宁省人民检察院, kind: procuratorate, level: provincial}\n"
          "  - {id: DL, name: 大连市人民检察院, kind: procuratorate, level: city, parent: LN}\n"
          "departments:\n"
          "  - {id: DL-D1, office: DL, name: 第一检察部, line: prosecution}\n"
          "  - {id: LN-D1, office: LN, name: 第一检察部, line: prosecution}\n"
          "people:\n"
          "  - {id: CH, name: 王检察长, office: DL, role: chief, in_quota: true}\n"
          "  - {id: DC, name: 李副检察长, office: DL, department: DL-D1, role: deputy_chief, in_quota: true}\n"
          "  - {id: P1, name: 甲, office: DL, department: DL-D1, role: prosecutor, in_quota: true}\n"
          "  - {id: P2, name: 乙, office: DL, department: DL-D1, role: prosecutor, in_quota: true}\n"
          "  - {id: P3, name: 丙, office: DL, department: DL-D1, role: prosecutor, in_quota: true}\n"
          "  - {id: AS, name: 助理, office: DL, department: DL-D1, role: assistant}\n"
          "  - {id: LP, name: 省院检察官, office: LN, department: LN-D1, role: prosecutor, in_quota: true}\n"
          "cases:\n",
          f);
    for (int i = 1; i <= 60; i++)
        fprintf(f, "  - {id: C%03d, office: DL, department: DL-D1, line: prosecution, type: theft, registered: 2017-%02d-%02d, closed: 2017-12-15%s}\n",
                i, 5 + i % 3, 1 + i % 27, i == 7 ? ", facts: {max_sentence_years: 12}" : "");
    for (int i = 1; i <= 20; i++)
        fprintf(f, "  - {id: L%03d, office: LN, department: LN-D1, line: prosecution, type: fraud, registered: 2017-07-%02d, closed: 2017-12-20}\n",
                i, i);
    fputs("participations:\n", f);
    for (int i = 1; i <= 60; i++) fprintf(f, "  - {case: C%03d, person: P%d, capacity: lead}\n", i, 1 + i % 3);
    for (int i = 1; i <= 20; i++) fprintf(f, "  - {case: L%03d, person: LP, capacity: lead}\n", i);
    /* C009: the deputy is listed as lead, the assistant did the work */
    fputs("  - {case: C009, person: DC, capacity: lead}\n  - {case: C009, person: AS, capacity: assistant}\n", f);
    fputs("acts:\n", f);
    for (int i = 1; i <= 60; i++)
        fprintf(f, "  - {case: C%03d, person: P%d, kind: file_review, time: 2017-08-01}\n"
                   "  - {case: C%03d, person: P%d, kind: drafting, time: 2017-08-02}\n"
                   "  - {case: C%03d, person: P%d, kind: interrogation, time: 2017-08-03}\n",
                i, 1 + i % 3, i, 1 + i % 3, i, 1 + i % 3);
    fputs("  - {case: C009, person: AS, kind: file_review, time: 2017-08-04}\n"
          "  - {case: C009, person: AS, kind: drafting, time: 2017-08-05}\n"
          "  - {case: C009, person: AS, kind: interrogation, time: 2017-08-06}\n",
          f);
    /* C005 reviewed twice: acceptable, then unacceptable (the latest
     * counts); C006 the other way round */
    fputs("reviews:\n"
          "  - {case: C005, grade: acceptable, scheme: spp2017, date: 2017-10-01}\n"
          "  - {case: C005, grade: unacceptable, scheme: spp2017, date: 2017-11-01}\n"
          "  - {case: C006, grade: unacceptable, scheme: spp2017, date: 2017-10-01}\n"
          "  - {case: C006, grade: acceptable, scheme: spp2017, date: 2017-11-01}\n"
          "steps:\n"
          "  - {case: C011, kind: return_supplementary, date: 2017-09-01}\n"
          "  - {case: C012, kind: return_supplementary, date: 2018-02-01}\n",
          f);
    fclose(f);
    ck_assert_qc_ok(qc_store_import_buffer(store, y, size, "yaml", "world.yaml", QC_KIND_NONE, NULL));
    free(y);
}

static void unworld(void)
{
    qc_store_free(store);
    qc_rules_free(rules);
    store = NULL;
    rules = NULL;
}

static qc_plan *plan_from(const char *text)
{
    qc_plan *p;
    ck_assert_qc_ok(qc_plan_load_string(&p, text, strlen(text), "plan.yaml"));
    return p;
}

static qc_sample *draw(const qc_plan *p, const char *office, const char *seed)
{
    int64_t from, to;
    qc_sample *s;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    ck_assert_qc_ok(qc_sample_draw(&s, p, rules, store, office, from, to, seed));
    return s;
}

/* The row of case id, or -1. */
static int row_of(const qc_sample *s, const char *id)
{
    for (int i = 0; i < qc_sample_count(s); i++)
        if (!strcmp(qc_sample_case(s, i), id)) return i;
    return -1;
}

/* ---- plans ---- */

START_TEST(test_plan_problems_are_located)
{
    static const char bad[] = "plan: q\n"
                              "strata:\n"
                              "  by: [office, county]\n"
                              "  ratio: 1.5\n"
                              "  minimum: -1\n"
                              "triggers:\n"
                              "  - {id: low, review_grades: [unacceptable], steps: [x]}\n"
                              "  - {name_only: false}\n"
                              "colour: red\n";
    qc_plan *p = (qc_plan *)1;
    int rc = qc_plan_load_string(&p, bad, strlen(bad), "bad.yaml");
    ck_assert_int_lt(rc, 0);
    ck_assert_ptr_null(p);
    /* every problem, each at its place */
    ck_assert_int_ge(qc_error_detail_count(), 6);
    const char *want[] = {"bad.yaml:3:7: strata.by: 'county' is not office",
                          "bad.yaml:4:10: strata.ratio:",
                          "bad.yaml:5:12: strata.minimum:",
                          "bad.yaml:7:5: triggers[0]: a trigger has exactly one of",
                          "bad.yaml:8:17: triggers[1].name_only: is true",
                          "bad.yaml:9:1: unknown key 'colour'"};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        bool found = false;
        for (int i = 0; i < qc_error_detail_count(); i++) found |= strstr(qc_error_detail(i), want[w]) != NULL;
        ck_assert_msg(found, "no problem '%s' (first: %s)", want[w], qc_error_last());
    }
    /* a plan needs an id and strata; a ratio finer than a millionth is refused */
    static const char bare[] = "name: x\n";
    ck_assert_int_eq(qc_plan_load_string(&p, bare, strlen(bare), "bare.yaml"), QC_EMISSING);
    ck_assert_int_eq(qc_error_detail_count(), 2);
    qc_plan *dot = plan_from("plan: d\nstrata: {ratio: .05}\n"); /* YAML's 0.05 */
    qc_plan_free(dot);
    static const char *const not_shares[] = {"1.5", "-0.1", "5%", ".", "0.1.2", "1e-2", "2"};
    for (size_t i = 0; i < sizeof not_shares / sizeof not_shares[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "plan: x\nstrata: {ratio: '%s'}\n", not_shares[i]);
        ck_assert_msg(qc_plan_load_string(&p, text, strlen(text), "x.yaml") == QC_EVALUE, "ratio %s accepted", not_shares[i]);
    }
    static const char fine[] = "plan: f\nstrata: {ratio: 0.0000001}\n";
    ck_assert_int_eq(qc_plan_load_string(&p, fine, strlen(fine), "fine.yaml"), QC_EVALUE);
    static const char twice[] = "plan: t\nstrata: {ratio: 0.1}\ntriggers: [{name_only: true}, {name_only: true}]\n";
    ck_assert_qc_fails(qc_plan_load_string(&p, twice, strlen(twice), "twice.yaml"), QC_EVALUE, "second trigger with id 'name_only'");
    ck_assert_qc_fails(qc_plan_load_file(&p, "/nonexistent/plan.yaml"), QC_EIO, "/nonexistent/plan.yaml");
}
END_TEST

START_TEST(test_plan_hash_is_of_the_text)
{
    qc_plan *a = plan_from("plan: p\nstrata: {ratio: 0.1}\n"), *b = plan_from("plan: p\nstrata: {ratio: 0.10}\n");
    ck_assert_str_eq(qc_plan_id(a), "p");
    ck_assert_int_eq(strncmp(qc_plan_hash(a), "sha256:", 7), 0);
    ck_assert_str_ne(qc_plan_hash(a), qc_plan_hash(b)); /* the same meaning, another text: another plan */
    ck_assert_str_eq(qc_plan_name(a, "zh"), "p");
    qc_plan_free(a);
    qc_plan_free(b);
}
END_TEST

/* ---- draws ---- */

START_TEST(test_same_inputs_same_list)
{
    world();
    qc_plan *p = plan_from("plan: p\nstrata: {by: [office], ratio: 0.1, minimum: 2}\n");
    qc_sample *a = draw(p, "LN", "2018-01-05"), *b = draw(p, "LN", "2018-01-05"), *c = draw(p, "LN", "2018-01-06");
    ck_assert_int_eq(qc_sample_candidates(a), 80);
    ck_assert_int_eq(qc_sample_count(a), 8); /* DL: ceil(6) ; LN: max(2, ceil(2)) */
    ck_assert_str_eq(qc_sample_list_hash(a), qc_sample_list_hash(b));
    for (int i = 0; i < qc_sample_count(a); i++) ck_assert_str_eq(qc_sample_case(a, i), qc_sample_case(b, i));
    ck_assert_str_ne(qc_sample_list_hash(a), qc_sample_list_hash(c)); /* another seed, another list */
    /* a case of another office never enters a draw of DL */
    qc_sample *d = draw(p, "DL", "2018-01-05");
    ck_assert_int_eq(qc_sample_candidates(d), 60);
    for (int i = 0; i < qc_sample_count(d); i++) ck_assert_str_eq(qc_sample_case_office(d, i), "DL");
    /* DL's stratum draws the same cases whether drawn alone or with LN's */
    for (int i = 0; i < qc_sample_count(d); i++) ck_assert_int_ge(row_of(a, qc_sample_case(d, i)), 0);
    qc_sample_free(a);
    qc_sample_free(b);
    qc_sample_free(c);
    qc_sample_free(d);
    qc_plan_free(p);
    unworld();
}
END_TEST

START_TEST(test_every_stratum_gets_its_share_and_minimum)
{
    world();
    /* 60 DL cases, 20 LN: 5% is 3 and 1; the minimum lifts LN to 4 */
    qc_plan *p = plan_from("plan: p\nstrata: {by: [office, line], ratio: 0.05, minimum: 4}\n");
    qc_sample *s = draw(p, "LN", "x");
    ck_assert_int_eq(qc_sample_strata_count(s), 2);
    int per[2] = {0, 0};
    for (int i = 0; i < qc_sample_count(s); i++) per[!strcmp(qc_sample_case_office(s, i), "LN")]++;
    ck_assert_int_eq(per[0], 4);  /* DL: ceil(60 x 0.05) = 3, below the minimum */
    ck_assert_int_eq(per[1], 4);
    ck_assert_str_eq(qc_sample_stratum(s, 0), "office=DL;line=prosecution");
    ck_assert_int_eq(qc_sample_stratum_candidates(s, 0), 60);
    ck_assert_int_eq(qc_sample_stratum_drawn(s, 0), 4);
    qc_sample_free(s);
    qc_plan_free(p);
    /* ceil in integers: 7% of 100 is 7, not 8 (0.07 x 100 is 7.000000000000001 in binary) */
    p = plan_from("plan: p\nstrata: {ratio: 0.07}\n");
    s = draw(p, "LN", "x");
    ck_assert_int_eq(qc_sample_count(s), 6); /* ceil(80 x 0.07) = ceil(5.6) */
    qc_sample_free(s);
    qc_plan_free(p);
    /* a stratum smaller than the minimum gives all it has */
    p = plan_from("plan: p\nstrata: {by: [office], ratio: 0, minimum: 50}\n");
    s = draw(p, "LN", "x");
    ck_assert_int_eq(qc_sample_count(s), 50 + 20);
    qc_sample_free(s);
    qc_plan_free(p);
    unworld();
}
END_TEST

START_TEST(test_triggers_always_select)
{
    world();
    qc_plan *p = plan_from("plan: p\n"
                           "strata: {ratio: 0}\n"
                           "triggers:\n"
                           "  - {id: name_only, name_only: true}\n"
                           "  - {id: low_grade, review_grades: [unacceptable]}\n"
                           "  - {id: remanded, steps: [return_supplementary]}\n"
                           "  - {id: major, labels: [major]}\n");
    static const char *const seeds[] = {"a", "b", "c"};
    for (int k = 0; k < 3; k++) {
        qc_sample *s = draw(p, "LN", seeds[k]);
        /* C009: the deputy's name-only case; C005: latest review unacceptable
         * (C006's latest is acceptable); C011 remanded in the period (C012
         * after it); C007 a major case */
        ck_assert_int_eq(qc_sample_count(s), 4);
        ck_assert_str_eq(qc_sample_case_reason(s, row_of(s, "C009")), "name_only");
        ck_assert_str_eq(qc_sample_case_reason(s, row_of(s, "C005")), "low_grade");
        ck_assert_str_eq(qc_sample_case_reason(s, row_of(s, "C011")), "remanded");
        ck_assert_str_eq(qc_sample_case_reason(s, row_of(s, "C007")), "major");
        ck_assert_int_eq(row_of(s, "C006"), -1);
        ck_assert_int_eq(row_of(s, "C012"), -1);
        qc_sample_free(s);
    }
    /* triggered cases fill the share first: with 10% of 80 (8), 4 are drawn besides */
    qc_plan_free(p);
    p = plan_from("plan: p\nstrata: {ratio: 0.1}\ntriggers: [{id: low, review_grades: [unacceptable]}]\n");
    qc_sample *s = draw(p, "LN", "a");
    ck_assert_int_eq(qc_sample_count(s), 8);
    ck_assert_int_eq(qc_sample_stratum_triggered(s, 0), 1);
    ck_assert_int_eq(qc_sample_stratum_drawn(s, 0), 7);
    qc_sample_free(s);
    qc_plan_free(p);
    /* a trigger that needs rules, without them, says which */
    p = plan_from("plan: p\nstrata: {ratio: 0}\ntriggers: [{name_only: true}]\n");
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_fails(qc_sample_draw(&s, p, NULL, store, "LN", from, to, "a"), QC_EINVAL, "name_only needs rules");
    ck_assert_qc_fails(qc_sample_draw(&s, p, rules, store, "XX", from, to, "a"), QC_ENOTFOUND, "no office 'XX'");
    qc_plan_free(p);
    unworld();
}
END_TEST

/* Uniform within a stratum: over 4000 seeds, each of DL's 60 cases is
 * drawn about 4000 x 6/60 = 400 times.  The seeds are fixed, so the test
 * is deterministic - it cannot flake - and the bound (6 standard
 * deviations, and a chi-square far in the tail) fails only for a key that
 * favours some cases. */
START_TEST(test_draws_are_uniform_within_a_stratum)
{
    world();
    qc_plan *p = plan_from("plan: p\nstrata: {ratio: 0.1}\n");
    int hits[60] = {0};
    const int rounds = 4000;
    for (int k = 0; k < rounds; k++) {
        char seed[32];
        snprintf(seed, sizeof seed, "seed-%d", k);
        qc_sample *s = draw(p, "DL", seed);
        ck_assert_int_eq(qc_sample_count(s), 6);
        for (int i = 0; i < 6; i++) hits[atoi(qc_sample_case(s, i) + 1) - 1]++;
        qc_sample_free(s);
    }
    double expected = rounds * 6.0 / 60, sd = sqrt(rounds * 0.1 * 0.9), chi2 = 0;
    for (int i = 0; i < 60; i++) {
        ck_assert_msg(fabs(hits[i] - expected) < 6 * sd, "case %d drawn %d times, expected %.0f", i + 1, hits[i], expected);
        chi2 += (hits[i] - expected) * (hits[i] - expected) / expected;
    }
    /* 59 degrees of freedom: P(chi2 > 120) is about 1e-6 */
    ck_assert_msg(chi2 < 120, "chi-square %.1f", chi2);
    qc_plan_free(p);
    unworld();
}
END_TEST

START_TEST(test_strata_by_person_and_leaders_only)
{
    world();
    qc_plan *p = plan_from("plan: p\nstrata: {by: [person], ratio: 0, minimum: 1}\n");
    qc_sample *s = draw(p, "DL", "z");
    /* one case of each handler, P1, P2, P3: a case's handler is its first
     * lead (C009's is P1, listed before the deputy) */
    ck_assert_int_eq(qc_sample_strata_count(s), 3);
    ck_assert_int_eq(qc_sample_count(s), 3);
    ck_assert_str_eq(qc_sample_stratum(s, 0), "person=P1");
    ck_assert_str_eq(qc_sample_case_handler(s, 0), "P1");
    ck_assert_str_eq(qc_sample_case_handler(s, 2), "P3");
    qc_sample_free(s);
    qc_plan_free(p);
    p = plan_from("plan: p\nleaders_only: true\nleader_roles: [deputy_chief]\nstrata: {ratio: 1}\n");
    s = draw(p, "LN", "z");
    ck_assert_int_eq(qc_sample_candidates(s), 1);
    ck_assert_str_eq(qc_sample_case(s, 0), "C009");
    qc_sample_free(s);
    qc_plan_free(p);
    unworld();
}
END_TEST

/* ---- inspections ---- */

START_TEST(test_inspection_recorded_and_drawn_again)
{
    world();
    qc_plan *p = plan_from("plan: q\nstrata: {by: [office], ratio: 0.1, minimum: 2}\n"
                           "triggers: [{id: low, review_grades: [unacceptable]}]\n");
    qc_sample *s = draw(p, "LN", "20180105");
    ck_assert_ptr_null(qc_sample_id(s));
    ck_assert_qc_ok(qc_sample_record(s, store, "Q1", "案件管理部"));
    ck_assert_str_eq(qc_sample_id(s), "Q1");
    ck_assert_int_eq(qc_sample_record(s, store, "Q2", "x"), QC_ESTATE); /* once */
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, store, QC_KIND_SELECTION, NULL));
    ck_assert_int_eq(n, qc_sample_count(s));
    /* the store moves on: a review made for the inspection, more cases */
    static const char later[] = "reviews:\n  - {case: C005, grade: flawed, scheme: spp2017, date: 2018-02-01, inspection: Q1}\n"
                                "cases:\n  - {id: C999, office: DL, line: prosecution, type: theft, registered: 2017-12-30}\n";
    ck_assert_qc_ok(qc_store_import_buffer(store, later, strlen(later), "yaml", "later.yaml", QC_KIND_NONE, NULL));
    /* a draw made now differs (C999 is a candidate), the recorded one is checked on the store as it was */
    qc_sample *again;
    ck_assert_qc_ok(qc_sample_check(&again, store, "Q1", p, rules));
    ck_assert_str_eq(qc_sample_list_hash(again), qc_sample_list_hash(s));
    qc_sample_free(again);
    /* loaded back: the list, and the grade of the review made for it */
    qc_sample *loaded;
    ck_assert_qc_ok(qc_sample_load(&loaded, store, "Q1"));
    ck_assert_int_eq(qc_sample_count(loaded), qc_sample_count(s));
    ck_assert_str_eq(qc_sample_by(loaded), "案件管理部");
    ck_assert_str_eq(qc_sample_case_grade(loaded, row_of(loaded, "C005")), "flawed");
    ck_assert_str_eq(qc_sample_case_handler(loaded, row_of(loaded, "C005")), "P3");
    /* the list written: CSV, JSON with grades by office, department and handler */
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    fclose(f);
    free(text);
    char path[] = "/tmp/qc-inspection-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_qc_ok(qc_sample_write(loaded, path, "json", "en"));
    FILE *in = fopen(path, "r");
    char buf[1 << 15];
    size_t got = fread(buf, 1, sizeof buf - 1, in);
    buf[got] = '\0';
    fclose(in);
    ck_assert_msg(strstr(buf, "\"by_handler\": [{\"handler\": \"P3\", \"grade\": \"flawed\", \"cases\": 1}]"), "%s", buf);
    ck_assert_msg(strstr(buf, "\"inspection\": \"Q1\""), "%s", buf);
    ck_assert_qc_ok(qc_sample_write(loaded, path, "html", "zh"));
    in = fopen(path, "r");
    got = fread(buf, 1, sizeof buf - 1, in);
    buf[got] = '\0';
    fclose(in);
    ck_assert_msg(strstr(buf, "<td>C005</td>") && strstr(buf, "按承办人统计评查等次"), "%s", buf);
    ck_assert_int_eq(qc_sample_write(loaded, path, "pdf", "zh"), QC_EINVAL);
    unlink(path);
    qc_sample_free(loaded);
    /* another plan, or no rules where it had them, is refused */
    qc_plan *other = plan_from("plan: q\nstrata: {by: [office], ratio: 0.1, minimum: 3}\n");
    ck_assert_qc_fails(qc_sample_check(NULL, store, "Q1", other, rules), QC_EVALUE, "not the plan");
    ck_assert_qc_fails(qc_sample_check(NULL, store, "Q1", p, NULL), QC_EVALUE, "with the rules");
    ck_assert_int_eq(qc_sample_check(NULL, store, "Q9", p, rules), QC_ENOTFOUND);
    /* a selection moved to another case, through the library (journaled), is found */
    qc_iter *it;
    const qc_record *r;
    qc_filter *flt;
    ck_assert_qc_ok(qc_filter_new(&flt));
    ck_assert_qc_ok(qc_filter_set_case(flt, qc_sample_case(s, 0)));
    ck_assert_qc_ok(qc_iter_new(&it, store, QC_KIND_SELECTION, flt));
    ck_assert_qc_ok(qc_iter_next(&r, it));
    qc_record *moved = NULL;
    ck_assert_qc_ok(qc_record_dup(&moved, r));
    qc_iter_free(it);
    qc_filter_free(flt);
    ck_assert_qc_ok(qc_store_withdraw_record(store, moved, "moved"));
    ck_assert_qc_ok(qc_record_set_text(moved, QC_SELECTION_CASE, "C999"));
    ck_assert_qc_ok(qc_store_put(store, moved));
    qc_record_free(moved);
    ck_assert_qc_fails(qc_sample_check(NULL, store, "Q1", p, rules), QC_ETAMPERED, "stored selections");
    qc_plan_free(other);
    qc_sample_free(s);
    qc_plan_free(p);
    unworld();
}
END_TEST

START_TEST(test_record_refuses_a_store_that_moved)
{
    world();
    qc_plan *p = plan_from("plan: q\nstrata: {ratio: 0.1}\n");
    qc_sample *s = draw(p, "LN", "1");
    static const char more[] = "cases:\n  - {id: C998, office: DL, line: prosecution, type: theft, registered: 2017-12-30}\n";
    ck_assert_qc_ok(qc_store_import_buffer(store, more, strlen(more), "yaml", "more.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_fails(qc_sample_record(s, store, "Q1", "x"), QC_ESTATE, "changed since the draw");
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, store, QC_KIND_INSPECTION, NULL));
    ck_assert_int_eq(n, 0); /* nothing half-written */
    ck_assert_qc_ok(qc_store_count(&n, store, QC_KIND_SELECTION, NULL));
    ck_assert_int_eq(n, 0);
    qc_sample_free(s);
    qc_plan_free(p);
    unworld();
}
END_TEST

/* ---- assignment ---- */

START_TEST(test_suggestion_ranks_the_leader_short_of_the_quota)
{
    world();
    static const char kase[] = "cases:\n  - {id: N1, office: DL, department: DL-D1, line: prosecution, type: fraud, "
                               "registered: 2017-11-01, facts: {max_sentence_years: 15}}\n";
    ck_assert_qc_ok(qc_store_import_buffer(store, kase, strlen(kase), "yaml", "n1.yaml", QC_KIND_NONE, NULL));
    qc_suggestion *sg;
    ck_assert_qc_ok(qc_suggest(&sg, rules, store, "N1", 0));
    ck_assert_int_eq(qc_suggestion_hard(sg), 1);
    /* the chief (no department: every department's) and the deputy are
     * leaders with nothing counted; the three prosecutors follow */
    ck_assert_int_eq(qc_suggestion_count(sg), 5);
    ck_assert_int_eq(qc_suggestion_leader(sg, 0), 1);
    ck_assert_int_eq(qc_suggestion_leader(sg, 1), 1);
    ck_assert_double_gt(qc_suggestion_score(sg, 0), 0);
    ck_assert_double_eq_tol(qc_suggestion_required(sg, 0), qc_suggestion_person(sg, 0)[0] == 'C' ? 4 : 8, 1e-9);
    ck_assert_int_eq(qc_suggestion_leader(sg, 2), 0);
    int64_t registered;
    qc_date_parse(&registered, "2017-11-01");
    ck_assert_int_eq(qc_suggestion_day(sg), registered); /* no day given: the case's registration */
    qc_suggestion_free(sg);
    ck_assert_int_eq(qc_suggest(&sg, rules, store, "NONE", 0), QC_ENOTFOUND);
    ck_assert_ptr_null(sg);
    unworld();
}
END_TEST

START_TEST(test_assignment_random_designated_suggested)
{
    world();
    static const char kases[] = "cases:\n"
                                "  - {id: N1, office: DL, department: DL-D1, line: prosecution, type: fraud, registered: 2017-11-01}\n"
                                "  - {id: N2, office: DL, department: DL-D1, line: prosecution, type: fraud, registered: 2017-11-02}\n"
                                "  - {id: N3, office: DL, department: DL-D1, line: prosecution, type: fraud, registered: 2017-11-03}\n";
    ck_assert_qc_ok(qc_store_import_buffer(store, kases, strlen(kases), "yaml", "n.yaml", QC_KIND_NONE, NULL));
    qc_suggestion *sg;
    const char *who = NULL, *again = NULL;
    ck_assert_qc_ok(qc_suggest(&sg, rules, store, "N1", 0));
    ck_assert_int_eq(qc_assign(&who, store, sg, QC_ASSIGN_RANDOM, NULL, NULL, "系统", NULL, "lead"), QC_EMISSING);
    ck_assert_int_eq(qc_assign(&who, store, sg, QC_ASSIGN_RANDOM, "P1", "s", "系统", NULL, "lead"), QC_EINVAL);
    /* the same seed, the same draw: drawn on a copy first, then for real */
    qc_store *copy;
    ck_assert_qc_ok(qc_store_open(&copy, "memory:"));
    ck_assert_qc_ok(qc_store_copy(copy, store, NULL));
    ck_assert_qc_ok(qc_assign(&again, copy, sg, QC_ASSIGN_RANDOM, NULL, "2017-11-01", "系统", NULL, "lead"));
    ck_assert_qc_ok(qc_assign(&who, store, sg, QC_ASSIGN_RANDOM, NULL, "2017-11-01", "系统", NULL, "lead"));
    ck_assert_str_eq(who, again);
    qc_store_free(copy);
    qc_record *a;
    qc_iter *it;
    const qc_record *r;
    ck_assert_qc_ok(qc_iter_new(&it, store, QC_KIND_ASSIGNMENT, NULL));
    ck_assert_qc_ok(qc_iter_next(&r, it));
    ck_assert_qc_ok(qc_record_dup(&a, r));
    qc_iter_free(it);
    ck_assert_str_eq(qc_record_text(a, QC_ASSIGNMENT_METHOD), "random");
    ck_assert_str_eq(qc_record_text(a, QC_ASSIGNMENT_SEED), "2017-11-01");
    ck_assert_str_eq(qc_record_text(a, QC_ASSIGNMENT_CANDIDATES), "CH:1,DC:1,P1:1,P2:1,P3:1");
    qc_record_free(a);
    qc_suggestion_free(sg);
    /* designated: a person and a reason */
    ck_assert_qc_ok(qc_suggest(&sg, rules, store, "N2", 0));
    ck_assert_qc_fails(qc_assign(&who, store, sg, QC_ASSIGN_DESIGNATED, "CH", NULL, "检察长", NULL, "lead"), QC_EMISSING, "reason");
    ck_assert_qc_ok(qc_assign(&who, store, sg, QC_ASSIGN_DESIGNATED, "CH", NULL, "检察长", "重大案件", "lead"));
    ck_assert_str_eq(who, "CH");
    qc_suggestion_free(sg);
    /* suggested: the top, or one of the candidates */
    ck_assert_qc_ok(qc_suggest(&sg, rules, store, "N3", 0));
    ck_assert_qc_fails(qc_assign(&who, store, sg, QC_ASSIGN_SUGGESTED, "AS", NULL, "x", NULL, NULL), QC_EVALUE, "not among");
    ck_assert_qc_ok(qc_assign(&who, store, sg, QC_ASSIGN_SUGGESTED, NULL, NULL, "x", NULL, NULL));
    ck_assert_str_eq(who, qc_suggestion_person(sg, 0));
    qc_suggestion_free(sg);
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, store, QC_KIND_ASSIGNMENT, NULL));
    ck_assert_int_eq(n, 3);
    /* the chief handles N2 personally: the assessment counts it as designated */
    static const char acts[] = "acts:\n  - {case: N2, person: CH, kind: file_review, time: 2017-11-05}\n"
                               "  - {case: N2, person: CH, kind: drafting, time: 2017-11-06}\n"
                               "  - {case: N2, person: CH, kind: interrogation, time: 2017-11-07}\n";
    ck_assert_qc_ok(qc_store_import_buffer(store, acts, strlen(acts), "yaml", "acts.yaml", QC_KIND_NONE, NULL));
    qc_assessment *as;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_ok(qc_assess(&as, rules, store, "DL", from, to));
    bool seen = false;
    for (int i = 0; i < qc_assessment_leader_count(as); i++)
        if (!strcmp(qc_assessment_leader_person(as, i), "CH")) {
            ck_assert_int_eq(qc_assessment_leader_assigned(as, i, "designated"), 1);
            ck_assert_int_eq(qc_assessment_leader_assigned(as, i, "random"), 0);
            seen = true;
        }
    ck_assert(seen);
    /* and the reports say so */
    char *text;
    size_t size;
    ck_assert_qc_ok(qc_report_write_buffer(&text, &size, as, rules, "json", "en", 0));
    ck_assert_msg(strstr(text, "\"assigned\": {\"random\": 0, \"designated\": 1, \"suggested\": 0"), "%s", text);
    qc_free(text);
    ck_assert_qc_ok(qc_report_write_buffer(&text, &size, as, rules, "html", "zh", 0));
    ck_assert_msg(strstr(text, "分案：随机 0，指定 1，建议 0"), "no assignment line in the HTML report");
    qc_free(text);
    qc_assessment_free(as);
    unworld();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_plan_problems_are_located);
    tcase_add_test(tc, test_plan_hash_is_of_the_text);
    tcase_add_test(tc, test_same_inputs_same_list);
    tcase_add_test(tc, test_every_stratum_gets_its_share_and_minimum);
    tcase_add_test(tc, test_triggers_always_select);
    tcase_add_test(tc, test_draws_are_uniform_within_a_stratum);
    tcase_add_test(tc, test_strata_by_person_and_leaders_only);
    tcase_add_test(tc, test_inspection_recorded_and_drawn_again);
    tcase_add_test(tc, test_record_refuses_a_store_that_moved);
    tcase_add_test(tc, test_suggestion_ranks_the_leader_short_of_the_quota);
    tcase_add_test(tc, test_assignment_random_designated_suggested);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
