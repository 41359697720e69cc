/* SPDX-License-Identifier: MIT
 * check_locale.c - numbers do not depend on the program's locale: under
 * de_DE.UTF-8 (a comma for the decimal point) rules load "0.3", imports
 * read 1250000.5, records and reports write decimal points, and the
 * journal hashes the same canonical text as under the C locale.
 *
 * The locale is compiled for the test with localedef into a directory of
 * its own (LOCPATH), so no system locale need be installed; where
 * localedef or the de_DE source is missing, the test says so and skips.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char tmpdir[512];

static const char data[] =
    "offices: [{id: O, name: 院, kind: procuratorate, level: basic}]\n"
    "people: [{id: P, name: 张三, office: O, role: chief, in_quota: true}]\n"
    "cases:\n"
    "  - {id: C1, office: O, line: prosecution, type: fraud, registered: 2017-06-01,\n"
    "     facts: {amount: 1250000.5, max_sentence_years: 3}}\n"
    "participations: [{case: C1, person: P, capacity: lead}]\n"
    "acts: [{case: C1, person: P, kind: file_review, time: 2017-06-02}]\n";

/* The store's head after importing data at a fixed time, in whatever
 * locale is set. */
static void head_of_import(char *head, size_t size)
{
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_qc_ok(qc_store_set_clock(s, 1893456000));
    ck_assert_qc_ok(qc_store_set_actor(s, "locale-test"));
    ck_assert_qc_ok(qc_store_import_buffer(s, data, strlen(data), "yaml", "data.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_ok(qc_store_head(s, head, size, NULL));
    qc_store_free(s);
}

START_TEST(test_numbers_under_a_comma_locale)
{
    char c_head[160], de_head[160];
    head_of_import(c_head, sizeof c_head); /* still the C locale */
    ck_assert_ptr_nonnull(setlocale(LC_ALL, "de_DE.UTF-8"));
    ck_assert_str_eq(localeconv()->decimal_point, ",");
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    ck_assert_str_eq(probe, "0,5"); /* the program's own printf is German */

    /* the journal hashes the same text */
    head_of_import(de_head, sizeof de_head);
    ck_assert_str_eq(de_head, c_head);

    /* records read and write decimal points */
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "amount", QC_TYPE_NULL, "1250000.5"));
    ck_assert_int_eq(qc_record_fact_type(r, 0), QC_TYPE_DECIMAL);
    ck_assert_double_eq(qc_record_fact_decimal(r, 0), 1250000.5);
    ck_assert_str_eq(qc_record_fact_text(r, 0), "1250000.5");
    ck_assert_qc_ok(qc_record_set_fact_decimal(r, "share", 0.25));
    ck_assert_str_eq(qc_record_fact_text(r, 1), "0.25");
    qc_record_free(r);

    /* rules with decimals load, and classify the same */
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_file(&rules, QC_EXAMPLES "/liaoning-2017.yaml"));
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_qc_ok(qc_store_import_buffer(s, data, strlen(data), "yaml", "data.yaml", QC_KIND_NONE, NULL));
    qc_classifier *c;
    const qc_result *res;
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    ck_assert_qc_ok(qc_classifier_set_store(c, s));
    qc_record *kase;
    ck_assert_qc_ok(qc_store_get(&kase, s, QC_KIND_CASE, "C1"));
    ck_assert_qc_ok(qc_classify(&res, c, kase));
    ck_assert_double_eq_tol(qc_result_weight(res), 1.0, 1e-12);
    qc_record_free(kase);
    qc_classifier_free(c);

    /* the JSON report parses: decimal points, not commas */
    int64_t from, to;
    qc_assessment *a;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    char path[600];
    snprintf(path, sizeof path, "%s/report.json", tmpdir);
    ck_assert_qc_ok(qc_report_write(a, rules, path, "json", "en", 1));
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ck_assert_msg(strstr(text, "\"in_post\": 1.0000, \"counted\": 0, \"required\": 4.0000") != NULL, "%s", text);
    ck_assert_msg(!strstr(text, "1,0000") && !strstr(text, "4,0000"), "%s", text);
    qc_assessment_free(a);
    qc_store_free(s);
    qc_rules_free(rules);

    /* errors that print numbers print them the C way */
    qc_rules *bad;
    static const char yaml[] = "format: 1\nname: x\nversion: '1'\neffective_from: 2017-01-01\n"
                               "labels: [{id: a}, {id: o, fallback: true}]\n"
                               "facts: {n: {type: decimal, min: 2.5, max: 1.5}}\n"
                               "classify: [{id: r, label: a, when: n > 1.75}]\n";
    ck_assert_int_eq(qc_rules_load_string(&bad, yaml, "x.yaml"), QC_ECONST);
    ck_assert_msg(strstr(qc_error_last(), "min 2.5 is above max 1.5") != NULL, "%s", qc_error_last());
    setlocale(LC_ALL, "C");
}
END_TEST

int main(void)
{
    /* a German locale of the test's own, where the system has the source */
    if (!qc_test_tmpdir(tmpdir, sizeof tmpdir, "locale")) return EXIT_FAILURE;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", tmpdir);
    if (system(cmd) != 0 || setenv("LOCPATH", tmpdir, 1) != 0 || !setlocale(LC_ALL, "de_DE.UTF-8")) {
        puts("1..0 # SKIP no de_DE locale can be compiled here (localedef and the de_DE source are needed)");
        return 0;
    }
    setlocale(LC_ALL, "C");
    Suite *s = suite_create("locale");
    TCase *tc = tcase_create("locale");
    tcase_add_test(tc, test_numbers_under_a_comma_locale);
    suite_add_tcase(s, tc);
    return qc_test_run(s);
}
