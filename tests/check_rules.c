/* SPDX-License-Identifier: MIT
 * check_rules.c - rule files, the expression language, classification,
 * explanations, stored classifications and the test runner.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#ifndef QC_EXAMPLES
#error QC_EXAMPLES must name examples/rules
#endif

/* A rule set with one fact of each type and one rule `when: COND`. */
static const char *const prelude =
    "name: t\nversion: '1'\neffective_from: 2017-01-01\n"
    "facts:\n"
    "  n: {type: int, min: 0, max: 100, missing: false}\n"
    "  x: {type: decimal, missing: default, default: 1.5}\n"
    "  d: {type: date, missing: false}\n"
    "  s: {type: text, missing: false}\n"
    "  e: {type: enum, values: [low, mid, high], missing: false}\n"
    "  flag: {type: bool, missing: false}\n"
    "  strict: {type: int, missing: error}\n"
    "labels: [{id: hit}, {id: miss, fallback: true}]\n";

static int load_cond(qc_rules **out, const char *cond)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%sclassify:\n  - id: r\n    label: hit\n    when: \"%s\"\n", prelude, cond);
    return qc_rules_load_string(out, yaml, "cond.yaml");
}

/* Classify a case with facts "name=value;..." (types inferred) under COND. */
static int eval_cond(const char *cond, const char *facts, int *matched)
{
    qc_rules *rules;
    qc_classifier *c;
    qc_record *k;
    const qc_result *res;
    int rc = load_cond(&rules, cond);
    if (rc < 0) return rc;
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    int64_t today;
    qc_date_parse(&today, "2018-01-01");
    qc_classifier_set_today(c, today);
    qc_classifier_set_office_level(c, QC_LEVEL_BASIC);
    ck_assert_qc_ok(qc_record_new(&k, QC_KIND_CASE));
    qc_record_set_text(k, QC_CASE_ID, "K");
    qc_record_set_text(k, QC_CASE_OFFICE, "O");
    qc_record_set_text(k, QC_CASE_LINE, "prosecution");
    qc_record_set_text(k, QC_CASE_TYPE, "fraud");
    qc_record_set_text(k, QC_CASE_REGISTERED, "2017-06-01");
    char buf[512];
    snprintf(buf, sizeof buf, "%s", facts);
    for (char *save, *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        ck_assert_qc_ok(qc_record_set_fact_parse(k, kv, !strcmp(kv, "s") || !strcmp(kv, "e") ? QC_TYPE_TEXT : QC_TYPE_NULL, eq + 1));
    }
    rc = qc_classify(&res, c, k);
    if (rc == QC_OK) *matched = qc_result_match_count(res) == 1;
    qc_record_free(k);
    qc_classifier_free(c);
    qc_rules_free(rules);
    return rc;
}

static const struct { const char *cond, *facts; int want; } conditions[] = {
    {"n >= 10", "n=10", 1},
    {"n >= 10", "n=9", 0},
    {"n > 3 and n < 5", "n=4", 1},
    {"n < 3 or n > 5", "n=4", 0},
    {"not n == 4", "n=4", 0},
    {"n != 4", "", 0},                         /* missing: false makes every comparison false */
    {"not has(n)", "", 1},
    {"has(n)", "n=0", 1},
    {"n in [1, 2, 3]", "n=2", 1},
    {"n not in [1, 2, 3]", "n=4", 1},
    {"n between 3 and 5", "n=5", 1},
    {"n between 3 and 5", "n=6", 0},
    {"n * 2 + 1 == 9", "n=4", 1},
    {"n / 2 == 2.5", "n=5", 1},               /* division is decimal */
    {"x > 1.4 and x < 1.6", "", 1},           /* the default stands in */
    {"x == 3", "x=3", 1},                     /* int given for a decimal fact */
    {"-x < 0", "x=2.5", 1},
    {"d before 2017-06-01", "d=2017-05-31", 1},
    {"d after 2017-06-01", "d=2017-06-01", 0},
    {"d == 2017-06-01", "d=2017-06-01", 1},
    {"d + 30 == 2017-07-01", "d=2017-06-01", 1},
    {"days(d, today) == 214", "d=2017-06-01", 1},
    {"months(d, today) == 7", "d=2017-06-01", 1},
    {"years(d, today) == 0", "d=2017-06-01", 1},
    {"years(2010-01-02, today) == 7", "", 1},
    {"days(case.registered, today) > 200", "", 1},
    {"s == 'fraud ring'", "s=fraud ring", 1},
    {"s != \\\"x\\\"", "s=y", 1},
    {"e == high", "e=high", 1},
    {"e >= mid", "e=mid", 1},                 /* enum order is declaration order */
    {"e > mid", "e=low", 0},
    {"e in [low, high]", "e=high", 1},
    {"e between low and mid", "e=high", 0},
    {"flag", "flag=true", 1},
    {"not flag", "", 1},
    {"flag and n > 1 or e == low", "e=low", 1},
    {"(flag or n > 1) and e == low", "e=low", 0},
    {"case.line == prosecution", "", 1},
    {"case.type in [fraud, theft]", "", 1},
    {"case.source == random", "", 1},
    {"case.office_level == basic", "", 1},
    {"case.closed after 2017-01-01", "", 0},  /* not closed: missing */
    {"n = 7", "n=7", 1},                      /* '=' reads as '==' */
    /* at equality, off the fast path (a case field, not a fact): the case is registered 2017-06-01 */
    {"case.registered before 2017-06-01", "", 0},
    {"case.registered after 2017-06-01", "", 0},
    {"case.registered < 2017-06-01", "", 0},
    {"case.registered <= 2017-06-01", "", 1},
    {"case.registered >= 2017-06-01", "", 1},
    {"case.registered before 2017-06-02", "", 1},
    /* a decimal fact in a list of integers; division by exactly 1 */
    {"x in [1, 2]", "x=2", 1},
    {"x in [1, 2]", "x=2.5", 0},
    {"x / 1 > 2", "x=2.5", 1},
    {"x / 1 > 2", "x=2", 0},
    /* numbers with exponents, and a minus that is subtraction */
    {"x > 2-1", "x=1.5", 1},
    {"x < 1e-5", "x=0.000001", 1},
    {"x * 1E+2 == 250", "x=2.5", 1},
    /* negation to the exact value, of a decimal and of an int */
    {"-x == -2.5", "x=2.5", 1},
    {"-n == -3", "n=3", 1},
    {"-x < 0 - 2", "x=2.5", 1}, /* one side negated, the other not: a wrong negation shows */
    {"-n == 0 - 3", "n=3", 1},
    /* true and false as constants; a bare word on the left of an enum */
    {"flag == true", "flag=true", 1},
    {"flag == false", "flag=true", 0},
    {"high == e", "e=high", 1},
    {"mid < e", "e=high", 1},
    /* a range of one value */
    {"n between 5 and 5", "n=5", 1},
    {"n between 5 and 5", "n=6", 0},
};

/* A rule collection's content hash: the same texts give the same hash,
 * wherever they are loaded from; a change of one byte, at the same
 * version, gives another; a failed add leaves it as it was. */
START_TEST(test_content_hash)
{
    qc_rules *a, *b, *c, *empty;
    char yaml[4096], edited[4096];
    snprintf(yaml, sizeof yaml, "%sclassify:\n  - id: r\n    label: hit\n    when: \"n > 3\"\n", prelude);
    snprintf(edited, sizeof edited, "%sclassify:\n  - id: r\n    label: hit\n    when: \"n > 4\"\n", prelude);
    ck_assert_qc_ok(qc_rules_new(&empty));
    ck_assert_str_eq(qc_rules_hash(empty), "");
    ck_assert_qc_ok(qc_rules_load_string(&a, yaml, "here/a.yaml"));
    ck_assert_qc_ok(qc_rules_load_string(&b, yaml, "elsewhere/b.yaml"));
    ck_assert_qc_ok(qc_rules_load_string(&c, edited, "here/a.yaml"));
    ck_assert_int_eq(strncmp(qc_rules_hash(a), "sha256:", 7), 0);
    ck_assert_int_eq(strlen(qc_rules_hash(a)), 7 + 64);
    ck_assert_str_eq(qc_rules_hash(a), qc_rules_hash(b));
    ck_assert_str_ne(qc_rules_hash(a), qc_rules_hash(c));
    char before[80];
    snprintf(before, sizeof before, "%s", qc_rules_hash(a));
    ck_assert_int_lt(qc_rules_add_string(a, "name: broken\n", "broken.yaml"), 0);
    ck_assert_str_eq(qc_rules_hash(a), before);
    ck_assert_int_lt(qc_rules_add_string(a, edited, "overlapping.yaml"), 0); /* the same version's dates */
    ck_assert_str_eq(qc_rules_hash(a), before);
    qc_rules_free(a);
    qc_rules_free(b);
    qc_rules_free(c);
    qc_rules_free(empty);
}
END_TEST

START_TEST(test_conditions)
{
    for (size_t i = 0; i < sizeof conditions / sizeof conditions[0]; i++) {
        int matched = -1;
        int rc = eval_cond(conditions[i].cond, conditions[i].facts, &matched);
        ck_assert_msg(rc == QC_OK, "'%s': %s", conditions[i].cond, qc_error_last());
        ck_assert_msg(matched == conditions[i].want, "'%s' with {%s}: got %d, want %d", conditions[i].cond,
                      conditions[i].facts, matched, conditions[i].want);
    }
}
END_TEST

START_TEST(test_missing_error_policy)
{
    int matched;
    ck_assert_qc_fails(eval_cond("strict > 1", "", &matched), QC_EMISSING,
                       "fact strict is missing and rule r reads it (facts.strict.missing: error");
    ck_assert_qc_ok(eval_cond("strict > 1", "strict=2", &matched));
    ck_assert_int_eq(matched, 1);
    /* a case fact of the wrong type, or outside min/max, is refused */
    ck_assert_qc_fails(eval_cond("n > 1", "n=2.5", &matched), QC_ETYPE, "fact n is decimal, but cond.yaml declares it int");
    ck_assert_qc_fails(eval_cond("n > 1", "n=101", &matched), QC_EVALUE, "outside");
    ck_assert_qc_fails(eval_cond("e == low", "e=extreme", &matched), QC_EVALUE, "fact e = 'extreme' is not one of the values");
}
END_TEST

/* Bad conditions: the code and where the message points. */
static const struct { const char *cond; int code; const char *needle; } bad_conditions[] = {
    {"defendents > 3", QC_EUNKNOWN, "cond.yaml:16:12: classify[0].when: unknown fact 'defendents' (declare it"},
    {"flga", QC_EUNKNOWN, "unknown fact 'flga' (did you mean 'flag'?)"},
    {"n > 'three'", QC_ETYPE, "cannot compare int with text"},
    {"e == extreme", QC_EVALUE, "'extreme' is not a value of e (low, mid, high)"},
    {"n", QC_ETYPE, "expected a condition, found int 'n'"},
    {"s > 'a'", QC_ETYPE, "text values can only be compared with == and !="},
    {"d + d > 2017-01-01", QC_ETYPE, "cannot apply '+' to date and date"},
    {"n >", QC_ESYNTAX, "condition ends too early"},
    {"n > 3 n < 4", QC_ESYNTAX, "unexpected 'n' after the condition"},
    {"(n > 3", QC_ESYNTAX, "expected ')'"},
    {"n > 3 $", QC_ESYNTAX, "cannot read '$'"},
    {"1 < 2", QC_ECONST, "condition reads nothing from the case: it always holds"},
    {"2017-01-01 after 2018-01-01", QC_ECONST, "it never holds"},
    {"n < 0", QC_ECONST, "'n < 0' never holds: n is declared min 0"},
    {"n > 100", QC_ECONST, "never holds"},
    {"n >= 0", QC_ECONST, "always holds"},
    {"n between 5 and 3", QC_ECONST, "'between' range is empty"},
    {"n in []", QC_ECONST, "can never hold"},
    {"case.colour == red", QC_EUNKNOWN, "unknown case field 'case.colour'"},
    {"has(nope)", QC_EUNKNOWN, "has() takes a declared fact"},
    {"days(d, 3) > 1", QC_ETYPE, "takes two dates"},
    {"n in [1, n]", QC_ETYPE, "constants only"},
    {"d before 5", QC_ETYPE, "'before' and 'after' compare dates"},
    {"((((((((((((((((((((((((((((((((((n > 1))))))))))))))))))))))))))))))))))", QC_ETOOLONG, "nested more than 32 deep"},
    {"s == 5", QC_ETYPE, "cannot compare text with int"},
    {"n and flag", QC_ETYPE, "expected a condition, found int 'n'"},
    {"flag and n", QC_ETYPE, "expected a condition, found int 'n'"},
    {"nope == e", QC_EVALUE, "'nope' is not a value of e (low, mid, high)"},
    {"nope == n", QC_EUNKNOWN, "unknown fact 'nope'"},
};

/* "Did you mean" compares names of up to 40 bytes; longer ones get the
 * plain message (and no buffer is read past its end). */
START_TEST(test_suggestions_up_to_forty_bytes)
{
    static const struct { const char *fact, *typo, *needle; } cases[] = {
        {"abcdefghij_abcdefghij_abcdefghij_abcdefg", "abcdefghij_abcdefghij_abcdefghij_abcdefx", "(did you mean 'abcdefghij_abcdefghij_abcdefghij_abcdefg'?)"},
        {"abcdefghij_abcdefghij_abcdefghij_abcdefgh", "abcdefghij_abcdefghij_abcdefghij_abcdefgx", "(declare it under facts:)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts:\n  %s: {type: int, missing: false}\n"
                 "labels: [{id: hit}, {id: miss, fallback: true}]\nclassify:\n  - {id: r, label: hit, when: \"%s > 1\"}\n",
                 cases[i].fact, cases[i].typo);
        qc_rules *r;
        ck_assert_qc_fails(qc_rules_load_string(&r, yaml, "typo.yaml"), QC_EUNKNOWN, cases[i].needle);
    }
}
END_TEST

/* A condition a fact's declared range decides is refused, and the message
 * names exactly the bounds that were declared. */
START_TEST(test_range_messages)
{
    static const struct { const char *facts, *cond, *tail; } cases[] = {
        {"  lo: {type: decimal, min: 0.5, missing: false}\n", "lo < 0.5", "'lo < 0.5' never holds: lo is declared min 0.5"},
        {"  hi: {type: int, max: 10, missing: false}\n", "hi > 10", "'hi > 10' never holds: hi is declared max 10"},
        {"  hi: {type: int, max: 10, missing: false}\n", "hi <= 10", "'hi <= 10' always holds: hi is declared max 10"},
        {"  big: {type: decimal, min: 1e200, missing: false}\n", "big < 5", "'big < 5' never holds: big is declared min 1e+200"},
        {"  n: {type: int, min: 0, max: 100, missing: false}\n", "n == 101", "'n == 101' never holds: n is declared min 0, max 100"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts:\n%s"
                 "labels: [{id: hit}, {id: miss, fallback: true}]\nclassify:\n  - {id: r, label: hit, when: \"%s\"}\n",
                 cases[i].facts, cases[i].cond);
        qc_rules *r;
        ck_assert_int_eq(qc_rules_load_string(&r, yaml, "range.yaml"), QC_ECONST);
        const char *msg = qc_error_last();
        size_t n = strlen(msg), t = strlen(cases[i].tail);
        ck_assert_msg(n >= t && !strcmp(msg + n - t, cases[i].tail), "'%s' does not end in '%s'", msg, cases[i].tail);
    }
}
END_TEST

/* A quotient whose divisor is 0 has no value: the comparison is false,
 * a constant divisor 0 is refused, and a divisor the declared range does
 * not keep from 0 is a warning that the set keeps. */
START_TEST(test_division_by_zero)
{
    int matched = -1;
    ck_assert_qc_ok(eval_cond("x / n > 0.01", "x=3;n=0", &matched));
    ck_assert_int_eq(matched, 0);
    ck_assert_qc_ok(eval_cond("x / n > 0.01", "x=3;n=2", &matched));
    ck_assert_int_eq(matched, 1);
    ck_assert_qc_ok(eval_cond("not (x / n > 0.01)", "x=3;n=0", &matched)); /* false, not "unknown is true" */
    ck_assert_int_eq(matched, 1);
    qc_rules *r;
    ck_assert_qc_fails(load_cond(&r, "x / 0 > 1"), QC_ECONST, "'x / 0' divides by zero");
    static const struct { const char *cond; const char *warning; } cases[] = {
        {"x / n > 2", "in 'x / n' the divisor n can be 0"},
        {"x / (n - 1) > 2", "in 'x / (n - 1)' the divisor 'n - 1' can be 0"},
        {"x / 2 > 2", NULL},
        {"x / x > 2", "the divisor x can be 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_qc_ok(load_cond(&r, cases[i].cond));
        ck_assert_int_eq(qc_rules_warning_count(r, 0), cases[i].warning ? 1 : 0);
        if (cases[i].warning) {
            ck_assert_msg(strstr(qc_rules_warning(r, 0, 0), cases[i].warning), "'%s'", qc_rules_warning(r, 0, 0));
            ck_assert_ptr_nonnull(strstr(qc_rules_warning(r, 0, 0), "cond.yaml:16:"));
        }
        ck_assert_ptr_null(qc_rules_warning(r, 0, 1));
        ck_assert_ptr_null(qc_rules_warning(r, 0, -1));
        ck_assert_int_eq(qc_rules_warning_count(r, 1), -1);
        qc_rules_free(r);
    }
    /* a divisor kept from 0 by its declared range warns of nothing */
    ck_assert_qc_ok(qc_rules_load_string(&r,
        "name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts:\n  x: {type: decimal, missing: false}\n"
        "  lo: {type: decimal, min: 0.5, missing: false}\nlabels: [{id: hit}, {id: miss, fallback: true}]\n"
        "classify:\n  - {id: r, label: hit, when: x / lo > 2}\n", "kept.yaml"));
    ck_assert_int_eq(qc_rules_warning_count(r, 0), 0);
    qc_rules_free(r);
}
END_TEST

START_TEST(test_rules_index_accessors)
{
    qc_rules *r;
    ck_assert_qc_ok(load_cond(&r, "flag"));
    ck_assert_good_index(qc_rules_name(r, 0));
    ck_assert_bad_index(qc_rules_name(r, 1));
    ck_assert_bad_index(qc_rules_effective_to(r, 1));
    ck_assert_bad_index(qc_rules_rule_count(r, -1));
    ck_assert_bad_index(qc_rules_rule_id(r, 0, 1));
    ck_assert_bad_index(qc_rules_label_id(r, 0, 2));
    ck_assert_bad_index(qc_rules_label_id(r, 3, 0));
    ck_assert_good_index(qc_rules_label_id(r, 0, 1));
    qc_classifier *c;
    qc_record *k;
    const qc_result *res;
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    qc_classifier_set_office_level(c, QC_LEVEL_BASIC);
    k = qc_test_record(QC_KIND_CASE, "id=K", "office=O", "line=prosecution", "type=fraud", "registered=2017-06-01",
                       "fact.flag=true", NULL);
    ck_assert_qc_ok(qc_classify(&res, c, k));
    ck_assert_good_index(qc_result_match_rule(res, 0));
    ck_assert_bad_index(qc_result_match_rule(res, 1));
    ck_assert_bad_index(qc_result_match_label(res, 1));
    ck_assert_bad_index(qc_result_match_cite(res, -1));
    ck_assert_bad_index(qc_result_label(res, qc_result_label_count(res)));
    qc_record_free(k);
    qc_classifier_free(c);
    qc_rules_free(r);
}
END_TEST

/* Columns classify exactly as records of the same values do: two rule
 * versions by registration date, enums as text and as indexes, dates,
 * missing values and defaults, the case source, an office-scoped rule. */
START_TEST(test_columns_match_records)
{
    enum { N = 400 };
    static const char *const influences[] = {"none", "district", "city", "province", "national"};
    static const char *const offices[] = {"DL-ZS", "DL", "LN"};
    static int64_t years[N], defendants[N], life[N], new_type[N], registered[N], source[N], influence_index[N];
    static double amount[N];
    static uint8_t years_missing[N], amount_missing[N];
    static const char *influence[N], *office[N], *line[N], *type[N];
    uint64_t seed = 12345;
#define NEXT() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_file(&rules, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_qc_ok(qc_rules_add_file(rules, QC_EXAMPLES "/liaoning-2018.yaml"));
    qc_offices *table;
    ck_assert_qc_ok(qc_offices_new(&table));
    ck_assert_qc_ok(qc_offices_add(table, "DL-ZS", QC_OFFICE_PROCURATORATE, QC_LEVEL_BASIC, "DL"));
    ck_assert_qc_ok(qc_offices_add(table, "DL", QC_OFFICE_PROCURATORATE, QC_LEVEL_CITY, "LN"));
    ck_assert_qc_ok(qc_offices_add(table, "LN", QC_OFFICE_PROCURATORATE, QC_LEVEL_PROVINCIAL, NULL));
    qc_classifier *c;
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    ck_assert_qc_ok(qc_classifier_set_offices(c, table));
    ck_assert_qc_ok(qc_classifier_set_today(c, 17700));
    const char *want_primary[N];
    double want_weight[N];
    for (int i = 0; i < N; i++) {
        years[i] = (int64_t)(NEXT() % 26), years_missing[i] = NEXT() % 7 == 0;
        defendants[i] = (int64_t)(NEXT() % 9), life[i] = NEXT() % 13 == 0, new_type[i] = NEXT() % 5 == 0;
        amount[i] = (double)(NEXT() % 9000000), amount_missing[i] = NEXT() % 9 == 0;
        influence_index[i] = (int64_t)(NEXT() % 5);
        influence[i] = NEXT() % 6 ? influences[influence_index[i]] : NULL; /* NULL: missing, the default */
        registered[i] = 17287 + (int64_t)(NEXT() % 400);                      /* 2017-05-01 and on into 2018 */
        source[i] = 1 + (int64_t)(NEXT() % 4);
        office[i] = offices[NEXT() % 3], line[i] = NEXT() % 2 ? "prosecution" : "arrest_review", type[i] = "fraud";
        char id[16], reg[16];
        snprintf(id, sizeof id, "K%03d", i);
        qc_date_format(reg, sizeof reg, registered[i]);
        qc_record *k = qc_test_record(QC_KIND_CASE, "type=fraud", NULL);
        ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_ID, id));
        ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_OFFICE, office[i]));
        ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_LINE, line[i]));
        ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_REGISTERED, reg));
        ck_assert_qc_ok(qc_record_set_int(k, QC_CASE_SOURCE, source[i]));
        if (!years_missing[i]) ck_assert_qc_ok(qc_record_set_fact_int(k, "max_sentence_years", years[i]));
        ck_assert_qc_ok(qc_record_set_fact_int(k, "defendants", defendants[i]));
        ck_assert_qc_ok(qc_record_set_fact_bool(k, "life_or_death", (int)life[i]));
        ck_assert_qc_ok(qc_record_set_fact_bool(k, "new_type", (int)new_type[i]));
        if (!amount_missing[i]) ck_assert_qc_ok(qc_record_set_fact_decimal(k, "amount", amount[i]));
        if (influence[i]) ck_assert_qc_ok(qc_record_set_fact_text(k, "influence", influence[i]));
        const qc_result *res;
        ck_assert_qc_ok(qc_classify(&res, c, k));
        want_primary[i] = qc_result_primary(res);
        want_weight[i] = qc_result_weight(res);
        qc_record_free(k);
    }
    qc_columns *cols;
    ck_assert_qc_ok(qc_columns_new(&cols, N));
    ck_assert_int_eq(qc_columns_count(cols), N);
    ck_assert_qc_ok(qc_columns_set_int(cols, "max_sentence_years", years, years_missing));
    ck_assert_qc_ok(qc_columns_set_int(cols, "defendants", defendants, NULL));
    ck_assert_qc_ok(qc_columns_set_int(cols, "life_or_death", life, NULL));
    ck_assert_qc_ok(qc_columns_set_int(cols, "new_type", new_type, NULL));
    ck_assert_qc_ok(qc_columns_set_decimal(cols, "amount", amount, amount_missing));
    ck_assert_qc_ok(qc_columns_set_text(cols, "influence", influence));
    ck_assert_qc_ok(qc_columns_set_text(cols, "case.office", office));
    ck_assert_qc_ok(qc_columns_set_text(cols, "case.line", line));
    ck_assert_qc_ok(qc_columns_set_text(cols, "case.type", type));
    ck_assert_qc_ok(qc_columns_set_int(cols, "case.registered", registered, NULL));
    ck_assert_qc_ok(qc_columns_set_int(cols, "case.source", source, NULL));
    const char *primary[N];
    double weight[N];
    ck_assert_qc_ok(qc_classify_columns(c, cols, primary, weight, NULL));
    int versions_seen = 0, labels_seen = 0;
    for (int i = 0; i < N; i++) {
        ck_assert_msg(!strcmp(primary[i], want_primary[i]) && weight[i] == want_weight[i],
                      "case %d: columns %s %g, record %s %g", i, primary[i], weight[i], want_primary[i], want_weight[i]);
        versions_seen |= registered[i] >= 17532 ? 2 : 1;
        labels_seen |= strcmp(primary[i], "ordinary") ? 1 : 2;
    }
    ck_assert_int_eq(versions_seen, 3); /* both versions and both outcomes were exercised */
    ck_assert_int_eq(labels_seen, 3);
    /* enums as indexes into the declared values: the same again */
    for (int i = 0; i < N; i++)
        if (!influence[i]) influence_index[i] = 0; /* the default, none */
    ck_assert_qc_ok(qc_columns_set_int(cols, "influence", influence_index, NULL));
    ck_assert_qc_ok(qc_classify_columns(c, cols, primary, weight, NULL));
    for (int i = 0; i < N; i++) ck_assert_str_eq(primary[i], want_primary[i]);

    /* and what is refused, with the case's index */
    size_t failed = 99;
    influence_index[7] = 5;
    ck_assert_qc_fails(qc_classify_columns(c, cols, primary, weight, &failed), QC_EVALUE, "case 7 of the columns");
    ck_assert_uint_eq(failed, 7);
    influence_index[7] = 1;
    static const char *bad_text[N];
    for (int i = 0; i < N; i++) bad_text[i] = "city";
    bad_text[9] = "planet";
    ck_assert_qc_ok(qc_columns_set_text(cols, "influence", bad_text));
    ck_assert_qc_fails(qc_classify_columns(c, cols, NULL, NULL, &failed), QC_EVALUE, "influence = 'planet' is not one of");
    ck_assert_uint_eq(failed, 9);
    ck_assert_qc_ok(qc_columns_set_text(cols, "influence", influence));
    life[3] = 2;
    ck_assert_qc_fails(qc_classify_columns(c, cols, NULL, NULL, &failed), QC_ETYPE, "life_or_death = 2 is not a bool");
    life[3] = 0;
    years[5] = 99, years_missing[5] = 0;
    ck_assert_qc_fails(qc_classify_columns(c, cols, NULL, NULL, &failed), QC_EVALUE, "outside");
    years[5] = 3;
    ck_assert_qc_fails(qc_columns_set_text(cols, "case.registered", line), QC_ETYPE, "case.registered: takes integers");
    ck_assert_qc_fails(qc_columns_set_int(cols, "case.colour", years, NULL), QC_EUNKNOWN, "no such case field");
    ck_assert_qc_fails(qc_columns_set_int(cols, "2x", years, NULL), QC_EUNKNOWN, "not a fact name");
    ck_assert_qc_ok(qc_columns_set_text(cols, "defendants", line)); /* a text column where the rules want an int */
    ck_assert_qc_fails(qc_classify_columns(c, cols, NULL, NULL, NULL), QC_ETYPE, "column defendants: text values");
    qc_columns_free(cols);
    ck_assert_qc_ok(qc_columns_new(&cols, N));
    ck_assert_qc_fails(qc_classify_columns(c, cols, NULL, NULL, NULL), QC_EMISSING, "case.registered is required");
    qc_columns_free(cols);
    qc_classifier_free(c);
    qc_offices_free(table);
    qc_rules_free(rules);
    /* has() reads a column too */
    ck_assert_qc_ok(qc_rules_load_string(&rules,
        "name: h\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: int, missing: false}}\n"
        "labels: [{id: known}, {id: unknown, fallback: true}]\nclassify: [{id: r, label: known, when: has(x)}]\n", "h.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    static const int64_t hx[2] = {4, 4}, hdays[2] = {17400, 17400};
    static const uint8_t hgone[2] = {0, 1};
    ck_assert_qc_ok(qc_columns_new(&cols, 2));
    ck_assert_qc_ok(qc_columns_set_int(cols, "x", hx, hgone));
    ck_assert_qc_ok(qc_columns_set_int(cols, "case.registered", hdays, NULL));
    ck_assert_qc_ok(qc_classify_columns(c, cols, primary, NULL, NULL));
    ck_assert_str_eq(primary[0], "known");
    ck_assert_str_eq(primary[1], "unknown");
    qc_columns_free(cols);
    qc_classifier_free(c);
    qc_rules_free(rules);
    /* a default that decides: a missing x counts as 7 */
    ck_assert_qc_ok(qc_rules_load_string(&rules,
        "name: d\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: int, missing: default, default: 7}}\n"
        "labels: [{id: big}, {id: small, fallback: true}]\nclassify: [{id: r, label: big, when: x >= 5}]\n", "d.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, rules));
    static const int64_t xs[3] = {1, 1, 9}, days[3] = {17400, 17400, 17400};
    static const uint8_t gone[3] = {0, 1, 0};
    ck_assert_qc_ok(qc_columns_new(&cols, 3));
    ck_assert_qc_ok(qc_columns_set_int(cols, "x", xs, gone));
    ck_assert_qc_ok(qc_columns_set_int(cols, "case.registered", days, NULL));
    ck_assert_qc_ok(qc_classify_columns(c, cols, primary, NULL, NULL));
    ck_assert_str_eq(primary[0], "small");
    ck_assert_str_eq(primary[1], "big");
    ck_assert_str_eq(primary[2], "big");
    qc_columns_free(cols);
    qc_classifier_free(c);
    qc_rules_free(rules);
#undef NEXT
}
END_TEST

/* Every comparison on an int and a decimal fact, over columns and over
 * records: the same primary label and weight, with labels few enough for
 * the weight table, too many for it, and weights scaled by case type. */
START_TEST(test_columns_every_operator)
{
    enum { N = 300 };
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    static int64_t xs[N], days[N];
    static double ys[N];
    static uint8_t x_gone[N], y_gone[N];
    static const char *types[N];
    uint64_t seed = 777;
#define NEXT() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
    for (int i = 0; i < N; i++) {
        xs[i] = (int64_t)(NEXT() % 7), ys[i] = (double)(NEXT() % 7) / 2;
        x_gone[i] = NEXT() % 9 == 0, y_gone[i] = NEXT() % 11 == 0, days[i] = 17400;
        types[i] = NEXT() % 2 ? "fraud" : "theft";
    }
    static const char *offices[N];
    static int64_t ds[N];
    for (int i = 0; i < N; i++) offices[i] = i % 3 ? "BASIC" : "CITY", ds[i] = 1 + i % 5;
    qc_offices *table;
    ck_assert_qc_ok(qc_offices_new(&table));
    ck_assert_qc_ok(qc_offices_add(table, "BASIC", QC_OFFICE_PROCURATORATE, QC_LEVEL_BASIC, "CITY"));
    ck_assert_qc_ok(qc_offices_add(table, "CITY", QC_OFFICE_PROCURATORATE, QC_LEVEL_CITY, NULL));
    for (int variant = 0; variant < 4; variant++) {
        char yaml[8192];
        int nlabels = variant == 1 ? 12 : 6;
        /* d comes first and only the weights read it (per defendant) */
        size_t len = (size_t)snprintf(yaml, sizeof yaml,
                                      "name: ops\nversion: '1'\neffective_from: 2017-01-01\n"
                                      "facts: {d: {type: int, min: 0, missing: false}, x: {type: int, missing: false},"
                                      " y: {type: decimal, missing: false}}\nlabels: [");
        for (int l = 0; l < nlabels; l++) len += (size_t)snprintf(yaml + len, sizeof yaml - len, "{id: l%d}, ", l);
        len += (size_t)snprintf(yaml + len, sizeof yaml - len, "{id: none, fallback: true}]\nweights: {combine: sum, labels: {");
        for (int l = 0; l < nlabels; l++) len += (size_t)snprintf(yaml + len, sizeof yaml - len, "l%d: %d, ", l, l + 2);
        len += (size_t)snprintf(yaml + len, sizeof yaml - len, "none: 1}%s%s}\nclassify:\n",
                                variant == 2 ? ", types: {fraud: 1.5}" : "",
                                variant == 3 ? ", per_defendant: {fact: d, each: 0.5, max: 4}" : "");
        if (variant == 3) /* not over the block, and office levels through the table */
            len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                                    "  - {id: n1, label: l0, when: \"not (x >= 2 and y < 2)\"}\n"
                                    "  - {id: lv, label: l1, when: \"case.office_level == basic and not (y > 1)\"}\n");
        for (int o = 0; o < 6; o++) {
            len += (size_t)snprintf(yaml + len, sizeof yaml - len, "  - {id: i%d, label: l%d, when: \"x %s 3\"}\n", o,
                                    o % nlabels, ops[o]);
            len += (size_t)snprintf(yaml + len, sizeof yaml - len, "  - {id: d%d, label: l%d, when: \"y %s 1.5\"}\n", o,
                                    (o + 6) % nlabels, ops[o]);
        }
        qc_rules *rules;
        ck_assert_qc_ok(qc_rules_load_string(&rules, yaml, "ops.yaml"));
        qc_classifier *c;
        ck_assert_qc_ok(qc_classifier_new(&c, rules));
        ck_assert_qc_ok(qc_classifier_set_offices(c, table));
        qc_columns *cols;
        const char *primary[N];
        double weight[N];
        ck_assert_qc_ok(qc_columns_new(&cols, N));
        ck_assert_qc_ok(qc_columns_set_text(cols, "case.office", offices));
        ck_assert_qc_ok(qc_columns_set_int(cols, "d", ds, NULL));
        ck_assert_qc_ok(qc_columns_set_int(cols, "x", xs, x_gone));
        ck_assert_qc_ok(qc_columns_set_decimal(cols, "y", ys, y_gone));
        ck_assert_qc_ok(qc_columns_set_int(cols, "case.registered", days, NULL));
        ck_assert_qc_ok(qc_columns_set_text(cols, "case.type", types));
        ck_assert_qc_ok(qc_classify_columns(c, cols, primary, weight, NULL));
        for (int i = 0; i < N; i++) {
            qc_record *k = qc_test_record(QC_KIND_CASE, "id=K", "line=l", "registered=2017-08-21", NULL);
            ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_TYPE, types[i]));
            ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_OFFICE, offices[i]));
            ck_assert_qc_ok(qc_record_set_fact_int(k, "d", ds[i]));
            if (!x_gone[i]) ck_assert_qc_ok(qc_record_set_fact_int(k, "x", xs[i]));
            if (!y_gone[i]) ck_assert_qc_ok(qc_record_set_fact_decimal(k, "y", ys[i]));
            const qc_result *res;
            ck_assert_qc_ok(qc_classify(&res, c, k));
            ck_assert_msg(!strcmp(primary[i], qc_result_primary(res)) && weight[i] == qc_result_weight(res),
                          "variant %d, case %d (x %lld%s, y %g%s): columns %s %g, record %s %g", variant, i,
                          (long long)xs[i], x_gone[i] ? " missing" : "", ys[i], y_gone[i] ? " missing" : "", primary[i],
                          weight[i], qc_result_primary(res), qc_result_weight(res));
            qc_record_free(k);
        }
        qc_columns_free(cols);
        qc_classifier_free(c);
        qc_rules_free(rules);
    }
    qc_offices_free(table);
#undef NEXT
}
END_TEST

START_TEST(test_bad_conditions)
{
    for (size_t i = 0; i < sizeof bad_conditions / sizeof bad_conditions[0]; i++) {
        qc_rules *r = (qc_rules *)1;
        int rc = load_cond(&r, bad_conditions[i].cond);
        ck_assert_msg(rc == bad_conditions[i].code, "'%s': got %s, want %s: %s", bad_conditions[i].cond,
                      qc_status_name(rc), qc_status_name(bad_conditions[i].code), qc_error_last());
        ck_assert_msg(strstr(qc_error_last(), bad_conditions[i].needle), "'%s': message '%s' lacks '%s'",
                      bad_conditions[i].cond, qc_error_last(), bad_conditions[i].needle);
        ck_assert_ptr_null(r);
    }
}
END_TEST

/* Whole rule files with problems. */
static const struct { const char *yaml; int code; const char *needle; } bad_files[] = {
    {"", QC_EEMPTY, "bad.yaml: empty rule file"},
    {"name: [unclosed", QC_ESYNTAX, "bad.yaml:2:1:"},
    {"- a\n- b\n", QC_ETYPE, "bad.yaml:1:1: a rule file is a mapping"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: a}]\nclassify: [{id: r, label: a, when: 'x'}]\nfacts: {x: {type: bool}}\n",
     QC_EMISSING, "bad.yaml:4:9: labels: no fallback label"},
    {"name: t\nversion: '1'\neffective_from: 2017-02-30\nlabels: [{id: a, fallback: true}]\nclassify: []\n", QC_EDATE,
     "bad.yaml:3:17: effective_from: invalid date '2017-02-30'"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\neffective_to: 2016-01-01\nlabels: [{id: a, fallback: true}]\n", QC_EDATE,
     "effective_to: is before effective_from"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\nlabels: [{id: a}, {id: o, fallback: true}]\n"
     "classify:\n  - {id: r, label: a, when: x}\n  - {id: r, label: a, when: x}\n", QC_EEXIST,
     "bad.yaml:8:5: classify[1].id: duplicate rule id 'r' (also at line 7)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\nlabels: [{id: a}, {id: o, fallback: true}]\n"
     "classify:\n  - {id: r, label: b, when: x}\n", QC_EUNKNOWN, "classify[0].label: unknown label 'b'"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: colour}}\nlabels: [{id: o, fallback: true}]\n", QC_EUNKNOWN,
     "facts.x: unknown type 'colour'"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: enum}}\nlabels: [{id: o, fallback: true}]\n", QC_EMISSING,
     "facts.x: an enum needs values"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: int, min: 5, max: 1}}\nlabels: [{id: o, fallback: true}]\n", QC_ECONST,
     "facts.x: min 5 is above max 1"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: int, missing: default, default: many}}\nlabels: [{id: o, fallback: true}]\n",
     QC_ETYPE, "facts.x: default 'many' is not a valid int"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: int, missing: default, default: 2.5}}\nlabels: [{id: o, fallback: true}]\n",
     QC_ETYPE, "facts.x: default '2.5' is not a valid int"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{zh: 重大}, {id: o, fallback: true}]\n", QC_EMISSING,
     "labels[0]: needs an id (a word)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: o, fallback: true}]\nlines: [{zh: 民事}]\n", QC_EMISSING,
     "bad.yaml:5:9: lines[0]: needs an id (a word)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: o, fallback: true}]\nroles: [{id: 'two words', zh: x}]\n",
     QC_EMISSING, "roles[0]: needs an id (a word)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\ncolour: red\n", QC_EUNKNOWN, "bad.yaml:4:1: unknown key 'colour'"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\nlabels: [{id: a}, {id: o, fallback: true}]\n"
     "classify:\n  - {id: r, label: a, when: x, scope: {levels: [county]}}\n", QC_EVALUE, "'county' is not an office level"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\nlabels: [{id: a}, {id: o, fallback: true}]\n"
     "classify:\n  - {id: r, label: a}\n", QC_EMISSING, "classify[0]: a rule needs a when: condition"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\nlabels: [{id: a}, {id: o, fallback: true}]\n"
     "classify:\n  - {id: r, label: o, when: x}\n", QC_EVALUE, "'o' is the fallback label"},
    {"extends: no-such-parent.yaml\nname: t\n", QC_EIO, "no-such-parent.yaml: cannot open: No such file"},
    {"version: '1'\neffective_from: 2017-01-01\nlabels: [{id: o, fallback: true}]\n", QC_EMISSING, "name: a rule set needs a name"},
    /* every key once: the second occurrence is the error, wherever it is */
    {"name: t\nversion: '1'\nname: u\n", QC_ESYNTAX, "bad.yaml:3:1: key 'name' given twice (first at 1:1)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool}, x: {type: int}}\n", QC_ESYNTAX,
     "bad.yaml:4:26: key 'x' given twice (first at 4:9)"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nclassify:\n  - {id: r, label: a, when: x, when: y}\n", QC_ESYNTAX,
     "bad.yaml:5:32: key 'when' given twice"},
    /* text is what it says: a NUL would cut "t\0evil" to "t" */
    {"name: \"t\\0evil\"\nversion: '1'\n", QC_EUTF8, "bad.yaml:1:7: a NUL character"},
    {"name: t\nversion: \"1\\u0000\"\n", QC_EUTF8, "bad.yaml:2:10: a NUL character"},
    {"name: t\nversion: '1'\ndescription: [a, b]\n", QC_ETYPE, "bad.yaml:3:14: description: must be text"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\ncitations: [CPL art. 172, {a: b}]\n", QC_ETYPE, "citations: entry 1 must be text"},
    /* extends names rule files beside this one */
    {"extends: /etc/passwd\nname: t\n", QC_EVALUE, "'/etc/passwd' is not a rule file name (.yaml or .yml)"},
    {"extends: /srv/rules/national.yaml\nname: t\n", QC_EVALUE, "is an absolute path"},
    {"extends: notes.txt\nname: t\n", QC_EVALUE, "'notes.txt' is not a rule file name"},
    /* bounded work: aliases that would expand to millions of nodes */
    {"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     QC_ETOOLONG, "aliases expand the document to more than 1000000 nodes"},
    {"a: *nothing\n", QC_ESYNTAX, "bad.yaml:1:4: alias *nothing names no anchor before it"},
    /* an enum's default is one of its values */
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {e: {type: enum, values: [a, b], missing: default, default: c}}\n"
     "labels: [{id: o, fallback: true}]\n", QC_ETYPE, "facts.e: default 'c' is not a valid enum"},
    {"name: t\nversion: '1'\nformat: 2\neffective_from: 2017-01-01\nlabels: [{id: o, fallback: true}]\n", QC_EVALUE,
     "bad.yaml:3:9: format: this library reads format 1"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: a}, {id: o, fallback: true}]\nweights: {combine: avg}\n",
     QC_EVALUE, "weights.combine: is max, sum or product"},
    /* a label's weight is a number, and not below 0 */
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: a}, {id: o, fallback: true}]\nweights: {labels: {a: -1}}\n",
     QC_ETYPE, "bad.yaml:5:23: weights.labels.a: a weight is a number >= 0"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nlabels: [{id: a}, {id: o, fallback: true}]\nweights: {labels: {a: heavy}}\n",
     QC_ETYPE, "a weight is a number >= 0"},
    {"name: t\nversion: '1'\neffective_from: 2017-01-01\nclassify: []\n", QC_EMISSING,
     "bad.yaml: labels: no labels: list them in priority order"},
    /* a raw control character is located, not reported at 1:1 */
    {"name: t\nversion: 'a\x01" "b'\n", QC_ESYNTAX, "bad.yaml:2:12: control character U+0001"},
};

/* Nesting is bounded (64 levels for rules) and costs time linear in
 * depth: 200,000 levels are refused at once, with the place. */
static qc_record *sample_case(const char *registered, const char *facts);

/* What rule files may say at the edges: a default equal to its max, a
 * label weight below 1, type factors and per-defendant steps of 0, a
 * fallback flag before other keys, and one that says false; each way to
 * combine the weights; and
 * a missing strict fact read second in a condition. */
START_TEST(test_rule_file_edges)
{
    static const char *const head =
        "name: t\nversion: '1'\neffective_from: 2017-01-01\n"
        "facts:\n  n: {type: int, max: 10, missing: default, default: 10}\n  d: {type: int, missing: false}\n"
        "  strict: {type: int, missing: error}\n"
        "labels: [{id: a, fallback: false}, {id: b}, {id: o, fallback: true, zh: 普通, description: x}]\n"
        "classify:\n  - {id: ra, label: a, when: n > 1}\n  - {id: rb, label: b, when: n > 2}\n";
    static const struct { const char *weights; double want; } cases[] = {
        {"weights: {combine: max, labels: {a: 0.5, b: 3}}\n", 3},
        {"weights: {combine: sum, labels: {a: 0.5, b: 3}}\n", 3.5},
        {"weights: {combine: product, labels: {a: 0.5, b: 3}}\n", 1.5},
        {"weights: {combine: max, labels: {a: 0.5, b: 3}, types: {fraud: 0}}\n", 0},
        {"weights: {combine: max, labels: {a: 0.5, b: 3}, per_defendant: {fact: d, each: 0, max: 5}}\n", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml, "%s%s", head, cases[i].weights);
        qc_rules *r;
        qc_classifier *c;
        const qc_result *res;
        ck_assert_qc_ok(qc_rules_load_string(&r, yaml, "edges.yaml"));
        ck_assert_qc_ok(qc_classifier_new(&c, r));
        qc_record *k = sample_case("2017-06-01", "d=3");
        ck_assert_qc_ok(qc_classify(&res, c, k)); /* n defaults to 10: both labels */
        ck_assert_int_eq(qc_result_label_count(res), 2);
        ck_assert_msg(fabs(qc_result_weight(res) - cases[i].want) < 1e-9, "%s: weight %g, want %g", cases[i].weights,
                      qc_result_weight(res), cases[i].want);
        qc_record_free(k);
        k = sample_case("2017-06-01", "n=0;d=1");
        ck_assert_qc_ok(qc_classify(&res, c, k));
        ck_assert_str_eq(qc_result_primary(res), "o"); /* the fallback, flagged before its other keys */
        qc_record_free(k);
        qc_classifier_free(c);
        qc_rules_free(r);
    }
    /* a condition that reads seventy facts, each strict: all of them checked */
    char *big = malloc(16384);
    ck_assert_ptr_nonnull(big);
    int n = snprintf(big, 16384, "name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts:\n");
    for (int i = 0; i < 70; i++) n += snprintf(big + n, 16384 - (size_t)n, "  f%d: {type: int, missing: error}\n", i);
    n += snprintf(big + n, 16384 - (size_t)n, "labels: [{id: a}, {id: o, fallback: true}]\nclassify:\n  - {id: r, label: a, when: \"");
    for (int i = 0; i < 70; i++) n += snprintf(big + n, 16384 - (size_t)n, "%sf%d > 0", i ? " or " : "", i);
    snprintf(big + n, 16384 - (size_t)n, "\"}\n");
    qc_rules *r;
    qc_classifier *c;
    const qc_result *res;
    ck_assert_qc_ok(qc_rules_load_string(&r, big, "seventy.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    qc_record *k = sample_case("2017-06-01", "f0=1");
    ck_assert_qc_fails(qc_classify(&res, c, k), QC_EMISSING, "fact f1 is missing");
    qc_record_free(k);
    qc_classifier_free(c);
    qc_rules_free(r);
    free(big);
    /* a strict fact read second is checked as the first would be */
    int matched;
    ck_assert_qc_fails(eval_cond("n > 1 and strict > 2", "n=5", &matched), QC_EMISSING, "fact strict is missing");
}
END_TEST

START_TEST(test_deep_nesting_refused)
{
    size_t depth = 200000;
    char *yaml = malloc(2 * depth + 16);
    ck_assert_ptr_nonnull(yaml);
    memcpy(yaml, "name: ", 6);
    memset(yaml + 6, '[', depth);
    memset(yaml + 6 + depth, ']', depth);
    yaml[6 + 2 * depth] = '\0';
    qc_rules *r;
    ck_assert_qc_fails(qc_rules_load_string(&r, yaml, "deep.yaml"), QC_ESYNTAX, "deep.yaml:1:70: nested deeper than 64 levels");
    /* 63 levels under the root mapping are fine as YAML (the rules then say what is wrong) */
    memset(yaml + 6, '[', 63);
    memset(yaml + 6 + 63, ']', 63);
    yaml[6 + 126] = '\0';
    ck_assert_int_ne(qc_rules_load_string(&r, yaml, "deep.yaml"), QC_ESYNTAX);
    free(yaml);
}
END_TEST

/* Rule files are regular files of at most 16 MiB; strings likewise. */
START_TEST(test_rule_file_limits)
{
    qc_rules *r;
    ck_assert_qc_fails(qc_rules_load_file(&r, "/dev/zero"), QC_EIO, "/dev/zero: not a regular file");
    ck_assert_qc_fails(qc_rules_load_file(&r, "."), QC_EIO, "not a regular file");
    char dir[256], path[300];
    ck_assert(qc_test_tmpdir(dir, sizeof dir, "rules-limits"));
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 16 * 1024 * 1024, SEEK_SET), 0); /* sparse: 16 MiB + 1 byte */
    fputc('\n', f);
    fclose(f);
    ck_assert_qc_fails(qc_rules_load_file(&r, path), QC_ETOOLONG, "more than the limit of 16777216 bytes for a rule file");
    /* a file that extends one named by an absolute path, allowed by the option */
    char child[300], parent[300], yaml[700];
    snprintf(parent, sizeof parent, "%s/parent.yaml", dir);
    snprintf(child, sizeof child, "%s/child.yaml", dir);
    f = fopen(parent, "w");
    fputs("name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {x: {type: bool, missing: false}}\n"
          "labels: [{id: a}, {id: o, fallback: true}]\nclassify: [{id: r, label: a, when: x}]\n", f);
    fclose(f);
    snprintf(yaml, sizeof yaml, "extends: %s\nversion: '2'\n", parent);
    f = fopen(child, "w");
    fputs(yaml, f);
    fclose(f);
    ck_assert_qc_fails(qc_rules_load_file(&r, child), QC_EVALUE, "is an absolute path");
    ck_assert_qc_ok(qc_rules_new(&r));
    ck_assert_int_eq(qc_rules_set_option(r, QC_RULES_ABSOLUTE_EXTENDS, 2), QC_EINVAL);
    ck_assert_int_eq(qc_rules_set_option(r, (qc_rules_option)99, 1), QC_EINVAL);
    ck_assert_qc_ok(qc_rules_set_option(r, QC_RULES_ABSOLUTE_EXTENDS, 1));
    ck_assert_qc_ok(qc_rules_add_file(r, child));
    ck_assert_str_eq(qc_rules_version(r, 0), "2");
    qc_rules_free(r);
    /* a file with a rule-file name but no rule set in it is not quoted */
    f = fopen(parent, "w");
    fputs("root: x:0:0\ndaemon: secret\n", f);
    fclose(f);
    ck_assert_qc_ok(qc_rules_new(&r));
    ck_assert_qc_ok(qc_rules_set_option(r, QC_RULES_ABSOLUTE_EXTENDS, 1));
    ck_assert_int_eq(qc_rules_add_file(r, child), QC_ERULES);
    ck_assert_ptr_nonnull(strstr(qc_error_last(), "not a rule file"));
    for (int i = 0; i < qc_error_detail_count(); i++) ck_assert_ptr_null(strstr(qc_error_detail(i), "secret"));
    ck_assert_ptr_null(strstr(qc_error_last(), "secret"));
    qc_rules_free(r);
    qc_test_rmdir(dir);
}
END_TEST

START_TEST(test_bad_files)
{
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        qc_rules *r;
        int rc = qc_rules_load_string(&r, bad_files[i].yaml, "bad.yaml");
        ck_assert_msg(rc == bad_files[i].code, "file %zu: got %s, want %s: %s", i, qc_status_name(rc),
                      qc_status_name(bad_files[i].code), qc_error_last());
        bool found = false;
        for (int d = 0; d < qc_error_detail_count(); d++) found |= strstr(qc_error_detail(d), bad_files[i].needle) != NULL;
        found |= strstr(qc_error_last(), bad_files[i].needle) != NULL;
        ck_assert_msg(found, "file %zu: no message has '%s' (first: %s)", i, bad_files[i].needle, qc_error_last());
    }
}
END_TEST

START_TEST(test_all_errors_reported)
{
    static const char yaml[] =
        "name: t\nversion: '1'\neffective_from: 2017-01-01\n"
        "facts: {n: {type: int, missing: false}}\n"
        "labels: [{id: a}, {id: o, fallback: true}]\n"
        "classify:\n"
        "  - {id: r1, label: a, when: nn > 1}\n"
        "  - {id: r2, label: b, when: n > 1}\n"
        "  - {id: r3, label: a, when: n > 'x'}\n";
    qc_rules *r;
    ck_assert_int_eq(qc_rules_load_string(&r, yaml, "many.yaml"), QC_EUNKNOWN);
    ck_assert_int_eq(qc_error_detail_count(), 3);
    ck_assert_ptr_nonnull(strstr(qc_error_last(), "(and 2 more problems)"));
    bool r1 = false, r3 = false;
    for (int i = 0; i < 3; i++) {
        r1 |= strstr(qc_error_detail(i), "many.yaml:7:30: classify[0].when: unknown fact 'nn'") != NULL;
        r3 |= strstr(qc_error_detail(i), "classify[2].when: cannot compare int with text") != NULL;
    }
    ck_assert(r1 && r3);
    /* a later, unrelated failure has no details of its own: the rule
     * file's lines must not be read as its */
    qc_store *s;
    ck_assert_int_eq(qc_store_open(&s, "nosuchbackend:x"), QC_EUNKNOWN);
    ck_assert_int_eq(qc_error_detail_count(), 0);
    ck_assert_ptr_null(qc_error_detail(0));
}
END_TEST

START_TEST(test_failed_load_keeps_previous)
{
    qc_rules *r;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_int_eq(qc_rules_count(r), 1);
    ck_assert_int_eq(qc_rules_add_string(r, "name: broken\n", "broken.yaml") < 0, 1);
    ck_assert_int_eq(qc_rules_count(r), 1);
    /* the same version twice overlaps itself */
    ck_assert_qc_fails(qc_rules_add_file(r, QC_EXAMPLES "/liaoning-2017.yaml"), QC_EEXIST, "overlaps version 2017.1");
    ck_assert_qc_ok(qc_rules_add_file(r, QC_EXAMPLES "/liaoning-2018.yaml"));
    ck_assert_int_eq(qc_rules_count(r), 2);
    ck_assert_str_eq(qc_rules_version(r, 0), "2017.1");
    ck_assert_str_eq(qc_rules_version(r, 1), "2018.1");
    ck_assert_int_eq(qc_rules_rule_count(r, 1), 9); /* one dropped, one added */
    ck_assert_str_eq(qc_rules_display_name(r, "label", "major", "zh"), "重大");
    ck_assert_str_eq(qc_rules_display_name(r, "role", "chief", "en"), "chief procurator");
    ck_assert_str_eq(qc_rules_display_name(r, "act", "nothing", "zh"), "nothing");
    qc_rules_free(r);
}
END_TEST

START_TEST(test_extends_cycle)
{
    char dir[] = "/tmp/qc-rules-XXXXXX", a[64], b[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.yaml", dir);
    snprintf(b, sizeof b, "%s/b.yaml", dir);
    FILE *f = fopen(a, "w");
    fputs("extends: b.yaml\nname: a\n", f);
    fclose(f);
    f = fopen(b, "w");
    fputs("extends: a.yaml\nname: b\n", f);
    fclose(f);
    qc_rules *r;
    ck_assert_qc_fails(qc_rules_load_file(&r, a), QC_ERULES, "extends itself");
    unlink(a);
    unlink(b);
    rmdir(dir);
}
END_TEST

static qc_record *sample_case(const char *registered, const char *facts)
{
    qc_record *k;
    ck_assert_qc_ok(qc_record_new(&k, QC_KIND_CASE));
    qc_record_set_text(k, QC_CASE_ID, "C1");
    qc_record_set_text(k, QC_CASE_OFFICE, "DL");
    qc_record_set_text(k, QC_CASE_LINE, "prosecution");
    qc_record_set_text(k, QC_CASE_TYPE, "fraud");
    qc_record_set_text(k, QC_CASE_REGISTERED, registered);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", facts);
    for (char *save, *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        ck_assert_qc_ok(qc_record_set_fact_parse(k, kv, QC_TYPE_NULL, eq + 1));
    }
    return k;
}

START_TEST(test_classify_and_explain)
{
    qc_rules *r;
    qc_classifier *c;
    const qc_result *res;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_qc_ok(qc_rules_add_file(r, QC_EXAMPLES "/liaoning-2018.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    qc_record *k = sample_case("2017-06-01", "max_sentence_years=12;defendants=3;evidence_hard=true");
    ck_assert_qc_ok(qc_classify(&res, c, k));
    ck_assert_str_eq(qc_result_rules_version(res), "2017.1");
    ck_assert_str_eq(qc_result_primary(res), "major");
    ck_assert_int_eq(qc_result_label_count(res), 2);
    ck_assert_str_eq(qc_result_label(res, 1), "complex");
    ck_assert_int_eq(qc_result_match_count(res), 2);
    ck_assert_str_eq(qc_result_match_rule(res, 0), "sentence-ten-years");
    ck_assert_str_eq(qc_result_match_label(res, 1), "complex");
    ck_assert_ptr_nonnull(strstr(qc_result_match_cite(res, 1), "158"));
    ck_assert_double_eq_tol(qc_result_weight(res), 3 * 1.4, 1e-12);
    ck_assert_str_eq(qc_result_explanation(res), "");
    ck_assert_qc_ok(qc_classifier_set_explain(c, 1));
    ck_assert_qc_ok(qc_classify(&res, c, k));
    const char *why = qc_result_explanation(res);
    ck_assert_ptr_nonnull(strstr(why, "case C1 under liaoning-procuratorate 2017.1"));
    ck_assert_ptr_nonnull(strstr(why, "yes max_sentence_years >= 10   [max_sentence_years = 12]"));
    ck_assert_ptr_nonnull(strstr(why, "no  life_or_death") == NULL ? why : why); /* bool facts are not comparisons */
    ck_assert_ptr_nonnull(strstr(why, "rule large-amount (complex): amount >= 5000000"));
    ck_assert_ptr_nonnull(strstr(why, "no  amount >= 5000000   [amount = 0]"));
    ck_assert_ptr_nonnull(strstr(why, "primary major, weight 4.2"));
    qc_record_free(k);
    /* the version in force on the registration date */
    k = sample_case("2018-02-01", "defendants=4");
    ck_assert_qc_ok(qc_classify(&res, c, k));
    ck_assert_str_eq(qc_result_rules_version(res), "2018.1");
    ck_assert_str_eq(qc_result_primary(res), "complex");
    qc_record_free(k);
    k = sample_case("2017-01-01", "");
    ck_assert_qc_fails(qc_classify(&res, c, k), QC_ENOTFOUND, "no loaded rule set is in force on 2017-01-01");
    /* into a result of the caller's: each NULL argument, and a record that is not a case */
    qc_result *own;
    ck_assert_qc_ok(qc_result_new(&own, c));
    ck_assert_qc_fails(qc_classify_into(NULL, c, k), QC_EINVAL, "NULL argument");
    ck_assert_qc_fails(qc_classify_into(own, NULL, k), QC_EINVAL, "NULL argument");
    ck_assert_qc_fails(qc_classify_into(own, c, NULL), QC_EINVAL, "NULL argument");
    qc_record *person;
    ck_assert_qc_ok(qc_record_new(&person, QC_KIND_PERSON));
    ck_assert_qc_fails(qc_classify_into(own, c, person), QC_EINVAL, "a person is not a case");
    ck_assert_qc_fails(qc_classify(&res, c, person), QC_EINVAL, "a person is not a case");
    qc_record_free(person);
    qc_result_free(own);
    qc_record_free(k);
    qc_classifier_free(c);
    qc_rules_free(r);
}
END_TEST

/* What an explanation shows of each comparison - the fact's value, and
 * the other side's when it is not a constant - and that a long one is cut
 * at QC_EXPLANATION_MAX bytes without changing the result. */
START_TEST(test_explanation_detail_and_cut)
{
    qc_rules *r;
    qc_classifier *c;
    const qc_result *res;
    char yaml[64 * 1024];
    int n = snprintf(yaml, sizeof yaml, "%sclassify:\n  - {id: r1, label: hit, when: \"n > x\"}\n"
                                        "  - {id: r2, label: hit, when: \"e in [low, mid]\"}\n"
                                        "  - {id: r3, label: hit, when: \"d before case.registered\"}\n", prelude);
    ck_assert_qc_ok(qc_rules_load_string(&r, yaml, "explain.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    ck_assert_qc_ok(qc_classifier_set_explain(c, 1));
    qc_record *k = sample_case("2017-06-01", "n=3;x=2.5;d=2017-05-31");
    ck_assert_qc_ok(qc_record_set_fact_parse(k, "e", QC_TYPE_TEXT, "high"));
    ck_assert_qc_ok(qc_classify(&res, c, k));
    const char *why = qc_result_explanation(res);
    ck_assert_msg(strstr(why, "    yes n > x   [n = 3, 2.5]\n"), "%s", why);
    ck_assert_msg(strstr(why, "    no  e in [low, mid]   [e = high]\n"), "%s", why);
    ck_assert_msg(strstr(why, "    yes d before case.registered   [d = 2017-05-31, 2017-06-01]\n"), "%s", why);
    ck_assert_msg(strstr(why, "  primary hit, weight 1\n"), "%s", why);
    qc_classifier_free(c);
    qc_rules_free(r);
    /* four hundred rules explain in far more than the limit: cut, the result whole */
    n = snprintf(yaml, sizeof yaml, "%sclassify:\n", prelude);
    for (int i = 0; i < 400; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  - {id: rule%03d, label: hit, when: \"x * %d < 5\"}\n", i, i + 1);
    ck_assert_int_lt(n, (int)sizeof yaml);
    ck_assert_qc_ok(qc_rules_load_string(&r, yaml, "long.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    ck_assert_qc_ok(qc_classifier_set_explain(c, 1));
    ck_assert_qc_ok(qc_classify(&res, c, k));
    why = qc_result_explanation(res);
    ck_assert_uint_eq(strlen(why), QC_EXPLANATION_MAX - 1);
    ck_assert_msg(!strncmp(why, "case C1 under t 1 (long.yaml)\n  rule rule000 (hit): x * 1 < 5\n", 61), "%.200s", why);
    ck_assert_int_eq(qc_result_match_count(res), 1); /* x = 2.5: only 2.5 * 1 < 5 */
    ck_assert_str_eq(qc_result_match_rule(res, 0), "rule000");
    /* the next classification starts the explanation again */
    ck_assert_qc_ok(qc_record_set_text(k, QC_CASE_ID, "C2"));
    ck_assert_qc_ok(qc_classify(&res, c, k));
    why = qc_result_explanation(res);
    ck_assert_uint_eq(strlen(why), QC_EXPLANATION_MAX - 1);
    ck_assert_msg(!strncmp(why, "case C2 under", 13), "%.40s", why);
    qc_record_free(k);
    qc_classifier_free(c);
    qc_rules_free(r);
}
END_TEST

/* One classifier over two versions whose label lists differ in length:
 * the result has room for the longer one, whichever version comes first,
 * and a case of the shorter one reads none of the longer one's labels. */
/* A rule set of name N, version V, from FROM, bound by PLACE ("" for
 * none, else an applies_to mapping), labelling every case LABEL. */
static char *place_set(const char *name, const char *from, const char *place, const char *label)
{
    static char buf[4][512];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0],
             "name: %s\nversion: '1'\neffective_from: %s\n%s%s%s"
             "labels: [{id: %s}, {id: other, fallback: true}]\nclassify: [{id: all, label: %s, when: case.registered >= 2000-01-01}]\n",
             name, from, *place ? "applies_to: " : "", place, *place ? "\n" : "", label, label);
    return b;
}

/* The primary label of a case of office registered on day under r with
 * the office table t. */
static const char *label_of(qc_rules *r, qc_offices *t, const char *office, const char *day)
{
    static char out[64];
    qc_classifier *c;
    const qc_result *res;
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    ck_assert_qc_ok(qc_classifier_set_offices(c, t));
    qc_record *k = sample_case(day, "");
    qc_record_set_text(k, QC_CASE_OFFICE, office);
    int rc = qc_classify(&res, c, k);
    snprintf(out, sizeof out, "%s", rc == QC_OK ? qc_result_primary(res) : "(none)");
    qc_record_free(k);
    qc_classifier_free(c);
    return out;
}

/* Rule sets bound to places: a case is classified by the set bound most
 * closely to its office that is in force, then the national one. */
START_TEST(test_rule_sets_bound_to_places)
{
    qc_offices *t;
    ck_assert_qc_ok(qc_offices_new(&t));
    ck_assert_qc_ok(qc_offices_add(t, "SPP", QC_OFFICE_PROCURATORATE, QC_LEVEL_NATIONAL, NULL));
    ck_assert_qc_ok(qc_offices_add(t, "LN", QC_OFFICE_PROCURATORATE, QC_LEVEL_PROVINCIAL, "SPP"));
    ck_assert_qc_ok(qc_offices_add(t, "DL", QC_OFFICE_PROCURATORATE, QC_LEVEL_CITY, "LN"));
    ck_assert_qc_ok(qc_offices_add(t, "DL-ZS", QC_OFFICE_PROCURATORATE, QC_LEVEL_BASIC, "DL"));
    ck_assert_qc_ok(qc_offices_add(t, "JS", QC_OFFICE_PROCURATORATE, QC_LEVEL_PROVINCIAL, "SPP"));
    ck_assert_qc_ok(qc_offices_add(t, "NJ", QC_OFFICE_PROCURATORATE, QC_LEVEL_CITY, "JS"));
    qc_rules *r;
    ck_assert_qc_ok(qc_rules_new(&r));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("national", "2017-01-01", "", "nat"), "national.yaml"));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("liaoning", "2016-01-01", "{offices: [LN]}", "ln"), "ln.yaml"));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("jiangsu", "2017-03-01", "{offices: [JS], with_descendants: true}", "js"), "js.yaml"));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("dalian", "2017-06-01", "{offices: [DL], with_descendants: false}", "dl"), "dl.yaml"));
    /* the province's set, older than the national one, still governs its
     * offices at every depth: the place comes before the date */
    ck_assert_str_eq(label_of(r, t, "LN", "2017-05-01"), "ln");
    ck_assert_str_eq(label_of(r, t, "DL-ZS", "2017-05-01"), "ln");
    /* Jiangsu's from March: before it the national set */
    ck_assert_str_eq(label_of(r, t, "NJ", "2017-02-01"), "nat");
    ck_assert_str_eq(label_of(r, t, "NJ", "2017-04-01"), "js");
    ck_assert_str_eq(label_of(r, t, "SPP", "2017-04-01"), "nat");
    /* Dalian's own set binds Dalian alone (with_descendants: false) */
    ck_assert_str_eq(label_of(r, t, "DL", "2017-07-01"), "dl");
    ck_assert_str_eq(label_of(r, t, "DL-ZS", "2017-07-01"), "ln");
    /* an office the table does not know: bound sets match its id alone */
    ck_assert_str_eq(label_of(r, t, "XX", "2017-07-01"), "nat");
    ck_assert_str_eq(label_of(r, NULL, "DL-ZS", "2017-07-01"), "nat");
    ck_assert_str_eq(label_of(r, NULL, "LN", "2017-07-01"), "ln");
    qc_rules_free(r);
    /* bound sets alone: an office outside every place is not classified */
    ck_assert_qc_ok(qc_rules_new(&r));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("liaoning", "2016-01-01", "{offices: [LN]}", "ln"), "ln.yaml"));
    ck_assert_str_eq(label_of(r, t, "NJ", "2017-05-01"), "(none)");
    qc_rules_free(r);
    qc_offices_free(t);
}
END_TEST

/* Lint: two sets that would govern one office on one day with nothing to
 * choose between them; and applies_to's own mistakes, located. */
START_TEST(test_rule_sets_places_lint)
{
    qc_rules *r;
    ck_assert_qc_ok(qc_rules_new(&r));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("a", "2017-01-01", "{offices: [LN, JS]}", "x"), "a.yaml"));
    ck_assert_qc_fails(qc_rules_add_string(r, place_set("b", "2017-01-01", "{offices: [SH, JS]}", "y"), "b.yaml"),
                       QC_EEXIST, "b.yaml:4:13: applies_to: b 1 and a 1 (a.yaml) would both govern office JS from 2017-01-01");
    /* a day later, or another place, or another kind: there is a choice */
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("c", "2017-01-02", "{offices: [JS]}", "y"), "c.yaml"));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("d", "2017-01-01", "{offices: [SH]}", "y"), "d.yaml"));
    ck_assert_qc_ok(qc_rules_add_string(r, place_set("n1", "2017-01-01", "", "y"), "n1.yaml"));
    ck_assert_qc_fails(qc_rules_add_string(r, place_set("n2", "2017-01-01", "", "y"), "n2.yaml"), QC_EEXIST,
                       "would both govern every office from 2017-01-01");
    ck_assert_int_eq(qc_rules_count(r), 4); /* the refused ones were not added */
    qc_rules_free(r);
    static const struct { const char *place; int code; const char *needle; } bad[] = {
        {"LN", QC_ETYPE, "n.yaml:4:13: applies_to: must be a mapping {offices: [ID, ...], with_descendants: true|false}"},
        {"{with_descendants: true}", QC_EMISSING, "n.yaml:4:13: applies_to.offices: names the offices the rule set governs"},
        {"{offices: [LN], with_descendants: maybe}", QC_ETYPE, "n.yaml:4:47: applies_to.with_descendants: is true or false"},
        {"{offices: [LN], provinces: [LN]}", QC_EUNKNOWN, "n.yaml:4:29: applies_to: unknown key 'provinces' (offices, with_descendants)"},
        {"{offices: []}", QC_ECONST, "n.yaml:4:23: applies_to.offices"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_qc_ok(qc_rules_new(&r));
        ck_assert_qc_fails(qc_rules_add_string(r, place_set("n", "2017-01-01", bad[i].place, "x"), "n.yaml"), bad[i].code,
                           bad[i].needle);
        qc_rules_free(r);
    }
}
END_TEST

START_TEST(test_versions_with_different_label_counts)
{
    static const char *const few =
        "name: v\nversion: '1'\neffective_from: 2017-01-01\neffective_to: 2017-12-31\nfacts: {n: {type: int, missing: false}}\n"
        "labels: [{id: one}, {id: none, fallback: true}]\n"
        "classify: [{id: r1, label: one, when: n > 0}]\n";
    static const char *const many =
        "name: v\nversion: '2'\neffective_from: 2018-01-01\nfacts: {n: {type: int, missing: false}}\n"
        "labels: [{id: a}, {id: b}, {id: c}, {id: d}, {id: e}, {id: f}, {id: none2, fallback: true}]\n"
        "classify:\n"
        "  - {id: ra, label: a, when: n > 0}\n  - {id: rb, label: b, when: n > 1}\n  - {id: rc, label: c, when: n > 2}\n"
        "  - {id: rd, label: d, when: n > 3}\n  - {id: re, label: e, when: n > 4}\n  - {id: rf, label: f, when: n > 5}\n";
    for (int order = 0; order < 2; order++) {
        qc_rules *r;
        qc_classifier *c;
        qc_result *own;
        const qc_result *res;
        ck_assert_qc_ok(qc_rules_new(&r));
        ck_assert_qc_ok(qc_rules_add_string(r, order ? many : few, order ? "many.yaml" : "few.yaml"));
        ck_assert_qc_ok(qc_rules_add_string(r, order ? few : many, order ? "few.yaml" : "many.yaml"));
        ck_assert_qc_ok(qc_classifier_new(&c, r));
        ck_assert_qc_ok(qc_result_new(&own, c));
        qc_record *late = sample_case("2018-03-01", "n=9"), *early = sample_case("2017-03-01", "n=9");
        for (int round = 0; round < 2; round++) {
            ck_assert_qc_ok(qc_classify(&res, c, late));
            ck_assert_qc_ok(qc_classify_into(own, c, late));
            for (const qc_result *x = res;; x = own) {
                ck_assert_str_eq(qc_result_rules_version(x), "2");
                ck_assert_int_eq(qc_result_label_count(x), 6);
                ck_assert_str_eq(qc_result_label(x, 5), "f");
                ck_assert_int_eq(qc_result_match_count(x), 6);
                ck_assert_str_eq(qc_result_match_rule(x, 5), "rf");
                if (x == own) break;
            }
            ck_assert_qc_ok(qc_classify(&res, c, early));
            ck_assert_qc_ok(qc_classify_into(own, c, early));
            for (const qc_result *x = res;; x = own) {
                ck_assert_str_eq(qc_result_rules_version(x), "1");
                ck_assert_int_eq(qc_result_label_count(x), 1);
                ck_assert_str_eq(qc_result_primary(x), "one");
                ck_assert_ptr_null(qc_result_label(x, 1));
                ck_assert_int_eq(qc_result_match_count(x), 1);
                if (x == own) break;
            }
        }
        qc_record_free(late);
        qc_record_free(early);
        qc_result_free(own);
        qc_classifier_free(c);
        qc_rules_free(r);
    }
}
END_TEST

START_TEST(test_classify_store)
{
    qc_store *s;
    qc_rules *r;
    qc_classifier *c;
    int64_t n;
    ck_assert_qc_ok(qc_store_open(&s, "sqlite::memory:"));
    static const char *const files[] = {"offices.csv", "departments.csv", "people.csv", "cases.csv", "extra.yaml", "extra.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/good/%s", QC_TEST_DATA, files[i]);
        ck_assert_qc_ok(qc_store_import_file(s, path, QC_KIND_NONE, NULL));
    }
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    int64_t today;
    qc_date_parse(&today, "2017-12-31");
    qc_classifier_set_today(c, today);
    ck_assert_qc_ok(qc_classify_store(c, s, NULL, &n));
    ck_assert_int_eq(n, 2); /* C4 and C5; the others predate May 2017 */
    ck_assert_qc_ok(qc_classify_store(c, s, NULL, &n)); /* nothing new under the same version */
    ck_assert_int_eq(n, 0);
    qc_record *cl;
    ck_assert_qc_ok(qc_store_get(&cl, s, QC_KIND_CLASSIFICATION, "C4@liaoning-procuratorate@2017.1"));
    /* C4: 12 defendants, first of its kind, assigned by a superior */
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_PRIMARY), "complex");
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_LABELS), "complex first_of_kind assigned");
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_MATCHED), "many-defendants first-or-new assigned-or-raised");
    ck_assert_double_eq_tol(qc_record_decimal(cl, QC_CLASSIFICATION_WEIGHT), 2 * (1 + 0.2 * 9), 1e-12);
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_DATE), "2017-12-31");
    /* it names the text that made it */
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_RULES_HASH), qc_rules_hash(r)); /* the only set */
    ck_assert_int_eq(qc_rules_classification_stale(r, cl), 0);

    /* the rule edited without a new version: the stored classifications are
     * stale, and classifying again amends them, saying why */
    char *text;
    size_t len;
    FILE *in = fopen(QC_EXAMPLES "/liaoning-2017.yaml", "r");
    ck_assert_ptr_nonnull(in);
    text = malloc(1 << 16);
    len = fread(text, 1, (1 << 16) - 1, in);
    fclose(in);
    text[len] = '\0';
    char *at = strstr(text, "defendants >= 5");
    ck_assert_ptr_nonnull(at);
    at[strlen("defendants >= ")] = '6';
    qc_rules *edited;
    qc_classifier *ce;
    ck_assert_qc_ok(qc_rules_load_string(&edited, text, QC_EXAMPLES "/liaoning-2017.yaml"));
    free(text);
    ck_assert_str_ne(qc_rules_hash(edited), qc_rules_hash(r));
    ck_assert_int_eq(qc_rules_classification_stale(edited, cl), 1);
    ck_assert_qc_ok(qc_classifier_new(&ce, edited));
    qc_classifier_set_today(ce, today);
    ck_assert_qc_ok(qc_classify_store(ce, s, NULL, &n));
    ck_assert_int_eq(n, 2); /* both amended */
    qc_record_free(cl);
    ck_assert_qc_ok(qc_store_get(&cl, s, QC_KIND_CLASSIFICATION, "C4@liaoning-procuratorate@2017.1"));
    ck_assert_str_eq(qc_record_text(cl, QC_CLASSIFICATION_RULES_HASH), qc_rules_hash(edited));
    ck_assert_int_eq(qc_rules_classification_stale(edited, cl), 0);
    ck_assert_int_eq(qc_rules_classification_stale(r, cl), 1);
    qc_iter *hist;
    const qc_record *rev;
    ck_assert_qc_ok(qc_store_history(&hist, s, QC_KIND_CLASSIFICATION, "C4@liaoning-procuratorate@2017.1"));
    ck_assert_qc_ok(qc_iter_next(&rev, hist));
    ck_assert_qc_ok(qc_iter_next(&rev, hist));
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_OP), QC_OP_AMEND);
    ck_assert_ptr_nonnull(strstr(qc_record_text(rev, QC_REVISION_REASON), qc_rules_hash(edited)));
    qc_iter_free(hist);
    ck_assert_qc_ok(qc_classify_store(ce, s, NULL, &n)); /* the same text again: nothing */
    ck_assert_int_eq(n, 0);
    qc_record_free(cl);
    ck_assert_qc_ok(qc_record_new(&cl, QC_KIND_CLASSIFICATION));
    ck_assert_qc_ok(qc_record_set_text(cl, QC_CLASSIFICATION_RULES, "liaoning-procuratorate"));
    ck_assert_qc_ok(qc_record_set_text(cl, QC_CLASSIFICATION_VERSION, "9"));
    ck_assert_qc_fails(qc_rules_classification_stale(edited, cl), QC_ENOTFOUND, "not loaded");
    qc_classifier_free(ce);
    qc_rules_free(edited);
    qc_record_free(cl);
    ck_assert_qc_ok(qc_classify_store(c, s, NULL, &n)); /* the original text again: amended back */
    ck_assert_int_eq(n, 2);
    /* a new version, and reclassifying is one call */
    qc_classifier_free(c);
    ck_assert_qc_ok(qc_rules_add_file(r, QC_EXAMPLES "/liaoning-2018.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    ck_assert_qc_ok(qc_classify_store(c, s, NULL, &n));
    ck_assert_int_eq(n, 0); /* all cases are of 2017: still the 2017 version */
    qc_classifier_free(c);
    qc_rules_free(r);
    qc_store_free(s);
}
END_TEST

/* Each case is classified by its own office's level, however the offices
 * of consecutive cases alternate (the classifier remembers each office). */
START_TEST(test_office_levels_from_the_store)
{
    qc_store *s;
    qc_rules *r;
    qc_classifier *c;
    qc_record *o, *k;
    const qc_result *res;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    static const char *const offices[][2] = {{"B", "basic"}, {"C", "city"}, {"P", "provincial"}};
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    for (int i = 0; i < 3; i++) {
        qc_record_clear(o);
        qc_record_set_text(o, QC_OFFICE_ID, offices[i][0]);
        qc_record_set_text(o, QC_OFFICE_NAME, offices[i][0]);
        qc_record_set_text(o, QC_OFFICE_KIND, "procuratorate");
        qc_record_set_text(o, QC_OFFICE_LEVEL, offices[i][1]);
        ck_assert_qc_ok(qc_store_put(s, o));
    }
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%sclassify:\n  - id: r\n    label: hit\n    when: \"case.office_level == city\"\n", prelude);
    ck_assert_qc_ok(qc_rules_load_string(&r, yaml, "levels.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c, r));
    ck_assert_qc_ok(qc_classifier_set_store(c, s));
    ck_assert_qc_ok(qc_record_new(&k, QC_KIND_CASE));
    for (int i = 0; i < 9; i++) {
        const char *office = offices[(i * 2) % 3][0]; /* B P C B P C ... */
        qc_record_clear(k);
        qc_record_set_text(k, QC_CASE_ID, "K");
        qc_record_set_text(k, QC_CASE_OFFICE, office);
        qc_record_set_text(k, QC_CASE_LINE, "prosecution");
        qc_record_set_text(k, QC_CASE_TYPE, "fraud");
        qc_record_set_text(k, QC_CASE_REGISTERED, "2017-06-01");
        qc_record_set_fact_int(k, "strict", 1);
        ck_assert_qc_ok(qc_classify(&res, c, k));
        ck_assert_msg(!strcmp(qc_result_primary(res), "hit") == !strcmp(office, "C"), "office %s: %s", office,
                      qc_result_primary(res));
    }
    /* an office the store does not have: the level set by hand */
    qc_classifier_set_office_level(c, QC_LEVEL_CITY);
    qc_record_set_text(k, QC_CASE_OFFICE, "X");
    ck_assert_qc_ok(qc_classify(&res, c, k));
    ck_assert_str_eq(qc_result_primary(res), "hit");
    qc_record_free(k);
    qc_record_free(o);
    qc_classifier_free(c);
    qc_rules_free(r);
    qc_store_free(s);
}
END_TEST

/* ---- deadlines (docs/deadlines.md) ---- */

static const char deadline_rules[] =
    "format: 1\nname: dl\nversion: '1'\neffective_from: 2017-01-01\n"
    "labels:\n  - {id: major}\n  - {id: complex}\n  - {id: ordinary, fallback: true}\n"
    "facts:\n  years: {type: int, missing: default, default: 0}\n  group: {type: bool, missing: false}\n"
    "classify:\n  - {id: ten, label: major, when: years >= 10}\n  - {id: grp, label: complex, when: group}\n"
    "steps: [open, again, close, stop, go, grant, other]\n"
    "deadlines:\n"
    "  weekends: %s\n"
    "  holidays: {2019: [2019-05-01..2019-05-04, 2019-10-01..2019-10-07]}\n"
    "  workdays: {2019: [2019-05-05, 2019-09-29]}\n"
    "  nodes:\n"
    "    - {id: n, opened_by: [open], restarted_by: [again], max_restarts: 1, closed_by: [close],\n"
    "       suspended_by: [stop], resumed_by: [go], period: %s, extend: {major: 15 days, complex: 1 month},\n"
    "       extended_by: {grant: 10 days}, holidays: %s, warnings: {yellow: 4, orange: 2}}\n";

/* A store with one case of office O (registered 2019-01-01, facts as
 * given) and its steps "kind@date,kind@date". */
static qc_store *deadline_store(const char *facts_years, bool group, const char *steps)
{
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    qc_record *r = qc_test_record(QC_KIND_OFFICE, "id=O", "name=o", "kind=procuratorate", "level=basic", NULL);
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
    r = qc_test_record(QC_KIND_CASE, "id=C", "office=O", "line=prosecution", "type=theft", "registered=2019-01-01", NULL);
    if (facts_years) ck_assert_qc_ok(qc_record_set_fact_parse(r, "years", QC_TYPE_NULL, facts_years));
    if (group) ck_assert_qc_ok(qc_record_set_fact_bool(r, "group", 1));
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", steps);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *at = strchr(tok, '@'), kind[64], date[64];
        ck_assert_ptr_nonnull(at);
        *at = '\0';
        snprintf(kind, sizeof kind, "kind=%s", tok);
        snprintf(date, sizeof date, "date=%s", at + 1);
        r = qc_test_record(QC_KIND_STEP, "case=C", kind, date, NULL);
        ck_assert_qc_ok(qc_store_put(s, r));
        qc_record_free(r);
    }
    return s;
}

/* The due day of the case as text, "none" when in no node. */
static const char *due_of(const char *weekends, const char *period, const char *holidays, const char *years, bool group,
                          const char *steps, const char *on, char *out, size_t size)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, deadline_rules, weekends, period, holidays);
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_string(&rules, yaml, "dl.yaml"));
    qc_store *s = deadline_store(years, group, steps);
    int64_t day;
    ck_assert_qc_ok(qc_date_parse(&day, on));
    qc_deadlines *d;
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    if (qc_deadlines_count(d)) qc_date_format(out, size, qc_deadlines_due(d, 0));
    else snprintf(out, size, "none");
    qc_deadlines_free(d);
    qc_store_free(s);
    qc_rules_free(rules);
    return out;
}

START_TEST(test_deadline_months)
{
    char got[32];
    /* calendar counting alone: weekends worked, no holiday shift */
    static const struct { const char *start, *period, *due; } cases[] = {
        {"2019-01-31", "1 month", "2019-02-28"},  /* no 31st: the month's last day */
        {"2020-01-31", "1 month", "2020-02-29"},  /* a leap year */
        {"2019-02-28", "1 month", "2019-03-31"},  /* from a month's last day to the next one's */
        {"2019-03-30", "1 month", "2019-04-30"},
        {"2019-12-15", "2 months", "2020-02-15"}, /* across a year */
        {"2019-03-01", "0 days", "2019-03-01"},
        {"2019-03-01", "7 days", "2019-03-08"},   /* the start day is not counted */
        {"2019-03-01", "15", "2019-03-16"},       /* a bare number is days */
        {"2019-03-01", "1 month 15 days", "2019-04-16"}, /* a month and a half: the month first */
        {"2019-01-31", "1 month 1 day", "2019-03-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char steps[64];
        snprintf(steps, sizeof steps, "open@%s", cases[i].start);
        ck_assert_msg(!strcmp(due_of("working", cases[i].period, "false", NULL, false, steps, cases[i].start, got, sizeof got),
                              cases[i].due),
                      "%s + %s: %s, want %s", cases[i].start, cases[i].period, got, cases[i].due);
    }
}
END_TEST

START_TEST(test_deadline_holidays)
{
    char got[32];
    /* 2019-04-30 + 1 day = 05-01, a holiday to the 4th, the 5th a Sunday worked */
    ck_assert_str_eq(due_of("holidays", "1 day", "true", NULL, false, "open@2019-04-30", "2019-04-30", got, sizeof got), "2019-05-05");
    /* custody (holidays: false) ends on the holiday */
    ck_assert_str_eq(due_of("holidays", "1 day", "false", NULL, false, "open@2019-04-30", "2019-04-30", got, sizeof got), "2019-05-01");
    /* a Saturday moves to Monday; with weekends worked it stays */
    ck_assert_str_eq(due_of("holidays", "2 days", "true", NULL, false, "open@2019-03-07", "2019-03-07", got, sizeof got), "2019-03-11");
    ck_assert_str_eq(due_of("working", "2 days", "true", NULL, false, "open@2019-03-07", "2019-03-07", got, sizeof got), "2019-03-09");
    /* a Sunday worked (2019-09-29) is a working day */
    ck_assert_str_eq(due_of("holidays", "2 days", "true", NULL, false, "open@2019-09-27", "2019-09-27", got, sizeof got), "2019-09-29");
    /* National Day: 09-30 + 1 = 10-01 .. 07 holidays, 10-08 a Tuesday */
    ck_assert_str_eq(due_of("holidays", "1 day", "true", NULL, false, "open@2019-09-30", "2019-09-30", got, sizeof got), "2019-10-08");
}
END_TEST

START_TEST(test_deadline_extensions)
{
    char got[32];
    /* major: 15 days more; complex: a month; both: the longer, not the sum */
    ck_assert_str_eq(due_of("working", "10 days", "false", "10", false, "open@2019-03-01", "2019-03-01", got, sizeof got), "2019-03-26");
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, true, "open@2019-03-01", "2019-03-01", got, sizeof got), "2019-04-11");
    ck_assert_str_eq(due_of("working", "10 days", "false", "10", true, "open@2019-03-01", "2019-03-01", got, sizeof got), "2019-04-11");
    /* each grant adds ten days; one after the day asked about does not */
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "open@2019-03-01,grant@2019-03-05,grant@2019-03-08",
                            "2019-03-09", got, sizeof got), "2019-03-31");
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "open@2019-03-01,grant@2019-03-05,grant@2019-03-08",
                            "2019-03-06", got, sizeof got), "2019-03-21");
    /* suspended 5 days: 5 more; a step of another node's is ignored */
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "open@2019-03-01,stop@2019-03-03,other@2019-03-04,go@2019-03-08",
                            "2019-03-09", got, sizeof got), "2019-03-16");
    /* closed: no node; opened again: a new clock */
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "open@2019-03-01,close@2019-03-03", "2019-03-09", got, sizeof got), "none");
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "open@2019-03-01,close@2019-03-03,open@2019-03-05",
                            "2019-03-09", got, sizeof got), "2019-03-15");
    /* steps recorded out of order are walked by date */
    ck_assert_str_eq(due_of("working", "10 days", "false", NULL, false, "close@2019-03-03,open@2019-03-05,open@2019-03-01",
                            "2019-03-09", got, sizeof got), "2019-03-15");
}
END_TEST

START_TEST(test_deadline_levels_and_explanation)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, deadline_rules, "holidays", "10 days", "true");
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_string(&rules, yaml, "dl.yaml"));
    ck_assert_int_eq(qc_rules_node_count(rules, 0), 1);
    ck_assert_str_eq(qc_rules_node_id(rules, 0, 0), "n");
    qc_store *s = deadline_store("10", false, "open@2019-03-01,again@2019-03-04,again@2019-03-06");
    qc_deadlines *d;
    int64_t day;
    /* 03-06 + 10 = 03-16, + 15 (major) = 03-31, a Sunday: 04-01 */
    static const struct { const char *on, *level; int left; } want[] = {
        {"2019-03-27", "none", 5}, {"2019-03-28", "yellow", 4}, {"2019-03-30", "orange", 2},
        {"2019-04-01", "orange", 0}, {"2019-04-02", "red", -1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_qc_ok(qc_date_parse(&day, want[i].on));
        ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
        ck_assert_int_eq(qc_deadlines_count(d), 1);
        ck_assert_str_eq(qc_deadlines_level(d, 0), want[i].level);
        ck_assert_int_eq(qc_deadlines_days_left(d, 0), want[i].left);
        ck_assert_int_eq(qc_deadlines_on(d), day);
        qc_deadlines_free(d);
    }
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, "O", "C", day));
    ck_assert_str_eq(qc_deadlines_case(d, 0), "C");
    ck_assert_str_eq(qc_deadlines_office(d, 0), "O");
    ck_assert_str_eq(qc_deadlines_node(d, 0), "n");
    ck_assert_int_eq(qc_deadlines_restarts(d, 0), 2);
    ck_assert_int_eq(qc_deadlines_over_limit(d, 0), 1); /* at most 1 */
    ck_assert_int_eq(qc_deadlines_suspended(d, 0), 0);
    char started[16];
    qc_date_format(started, sizeof started, qc_deadlines_started(d, 0));
    ck_assert_str_eq(started, "2019-03-06");
    const char *why = qc_deadlines_explain(d, 0, rules, "en");
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "restarted 2 times, at most 1"));
    ck_assert_ptr_nonnull(strstr(why, "period 10 days: 2019-03-16\n"));
    ck_assert_ptr_nonnull(strstr(why, "extended by 15 days for label major: 2019-03-31\n"));
    ck_assert_ptr_nonnull(strstr(why, "2019-03-31 is a holiday: the period ends on the next working day, 2019-04-01\n"));
    ck_assert_ptr_nonnull(strstr(why, "violation: restarted 2 times, more than the 1 allowed"));
    why = qc_deadlines_explain(d, 0, rules, "zh");
    ck_assert_ptr_nonnull(strstr(why, "重新计算第 2 次，至多 1 次"));
    ck_assert_ptr_null(qc_deadlines_explain(d, 1, rules, "en"));
    ck_assert_int_eq(qc_error_code(), QC_EINVAL);
    ck_assert_ptr_null(qc_deadlines_case(d, 1));
    qc_deadlines_free(d);
    /* another office, another case: nothing */
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, "X", NULL, day));
    ck_assert_int_eq(qc_deadlines_count(d), 0);
    qc_deadlines_free(d);
    /* a year the calendar does not cover is said */
    ck_assert_qc_ok(qc_date_parse(&day, "2019-03-10"));
    qc_store_free(s);
    s = deadline_store(NULL, false, "open@2019-12-28");
    ck_assert_qc_ok(qc_date_parse(&day, "2019-12-29"));
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_ptr_nonnull(strstr(qc_deadlines_explain(d, 0, rules, "en"), "no holiday calendar for 2020"));
    qc_deadlines_free(d);
    ck_assert_qc_fails(qc_deadlines_compute(&d, rules, s, NULL, NULL, 999999), QC_EVALUE, "1900-2999");
    ck_assert_qc_fails(qc_deadlines_compute(&d, NULL, s, NULL, NULL, day), QC_EINVAL, "required");
    qc_store_free(s);
    qc_rules_free(rules);
}
END_TEST

/* A node that may never restart, explained on its due day. */
START_TEST(test_deadline_restart_limit_zero)
{
    static const char yaml[] =
        "format: 1\nname: z\nversion: '1'\neffective_from: 2019-01-01\n"
        "labels:\n  - {id: major}\n  - {id: ordinary, fallback: true}\n"
        "facts:\n  years: {type: int, missing: default, default: 0}\n"
        "classify:\n  - {id: ten, label: major, when: years >= 10}\n"
        "steps: [open, again]\n"
        "deadlines:\n  weekends: working\n"
        "  nodes: [{id: n, opened_by: open, restarted_by: again, max_restarts: 0, period: 10 days, holidays: false}]\n";
    qc_rules *rules;
    ck_assert_qc_ok(qc_rules_load_string(&rules, yaml, "z.yaml"));
    qc_store *s = deadline_store(NULL, false, "open@2019-03-01");
    int64_t day;
    ck_assert_qc_ok(qc_date_parse(&day, "2019-03-11"));
    qc_deadlines *d;
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_int_eq(qc_deadlines_over_limit(d, 0), 0);
    const char *why = qc_deadlines_explain(d, 0, rules, "en");
    ck_assert_msg(strstr(why, "due 2019-03-11: 0 days left on 2019-03-11 - orange"), "%s", why);
    ck_assert_int_eq(qc_deadlines_violation_count(d), 0);
    ck_assert_ptr_null(qc_deadlines_violation_case(d, 0));
    ck_assert_ptr_null(qc_deadlines_violation_evidence(d, 99));
    qc_deadlines_free(d);
    qc_store_free(s);
    s = deadline_store(NULL, false, "open@2019-03-01,again@2019-03-02");
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_int_eq(qc_deadlines_restarts(d, 0), 1);
    ck_assert_int_eq(qc_deadlines_over_limit(d, 0), 1); /* none allowed: one is too many */
    why = qc_deadlines_explain(d, 0, rules, "en");
    ck_assert_msg(strstr(why, "(restarted 1 time, at most 0)"), "%s", why);
    ck_assert_msg(strstr(why, "due 2019-03-12: 1 day left"), "%s", why);
    qc_deadlines_free(d);
    qc_store_free(s);
    qc_rules_free(rules);
    /* a requirement of steps, without an id: named by where it stands */
    static const char req[] =
        "format: 1\nname: z\nversion: '1'\neffective_from: 2019-01-01\n"
        "labels:\n  - {id: major}\n  - {id: ordinary, fallback: true}\n"
        "facts:\n  years: {type: int, missing: default, default: 0}\n"
        "classify:\n  - {id: ten, label: major, when: years >= 10}\n"
        "steps: [open, again, check]\n"
        "deadlines:\n  nodes: [{id: n, opened_by: open, closed_by: again, period: 10 days,\n"
        "                       requires: [{before: again, steps: [check]}]}]\n";
    ck_assert_qc_ok(qc_rules_load_string(&rules, req, "z.yaml"));
    s = deadline_store(NULL, false, "open@2019-03-01,again@2019-03-02");
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_int_eq(qc_deadlines_violation_count(d), 1);
    ck_assert_str_eq(qc_deadlines_violation_rule(d, 0), "deadlines.nodes[0].requires[0]");
    ck_assert_str_eq(qc_deadlines_violation_evidence(d, 0), "before again on 2019-03-02: no check step");
    ck_assert_ptr_null(qc_deadlines_violation_cite(d, 0));
    qc_deadlines_free(d);
    qc_store_free(s);
    s = deadline_store(NULL, false, "open@2019-03-01,check@2019-03-01,again@2019-03-02");
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_int_eq(qc_deadlines_violation_count(d), 0);
    qc_deadlines_free(d);
    qc_store_free(s);
    /* a case registered before any version of the rules has no deadline */
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    qc_record *r = qc_test_record(QC_KIND_OFFICE, "id=O", "name=o", "kind=procuratorate", "level=basic", NULL);
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
    r = qc_test_record(QC_KIND_CASE, "id=C", "office=O", "line=prosecution", "type=theft", "registered=2018-12-01", NULL);
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
    r = qc_test_record(QC_KIND_STEP, "case=C", "kind=open", "date=2019-03-01", NULL);
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
    ck_assert_qc_ok(qc_deadlines_compute(&d, rules, s, NULL, NULL, day));
    ck_assert_int_eq(qc_deadlines_count(d), 0);
    qc_deadlines_free(d);
    qc_store_free(s);
    qc_rules_free(rules);
}
END_TEST

START_TEST(test_deadline_lint)
{
    static const struct { const char *section, *needle; int code; } cases[] = {
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [open], period: -1 days}\n", "dl.yaml:16:42: deadlines.nodes[0].period: a period cannot be negative", QC_EVALUE},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [opne], period: 1 month}\n", "unknown step kind 'opne' (name it under steps:)", QC_EUNKNOWN},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [open], period: 1 month, extend: {mayor: 1 day}}\n", "unknown label 'mayor'", QC_EUNKNOWN},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [open], period: 1 fortnight}\n", "expected a period: N days, N months or N months M days", QC_EVALUE},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [open], period: 15 days 1 month}\n", "(got '15 days 1 month')", QC_EVALUE},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, period_if: [{fact: yeras, above: 1, period: 2 days}]}]\n",
         "unknown fact 'yeras' (declare it under facts:)", QC_EUNKNOWN},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, period_if: [{fact: years, is: true, period: 2 days}]}]\n",
         "is: true needs a bool fact", QC_ETYPE},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, period_if: [{fact: years, above: 1}]}]\n",
         "needs fact:, above: or is:, and period:", QC_EMISSING},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: [open]}\n", "node 'n' needs a period", QC_EMISSING},
        {"deadlines:\n  nodes:\n    - {id: n, period: 1 month}\n", "node 'n' needs opened_by:", QC_EMISSING},
        {"deadlines:\n  nodes:\n    - {id: n, opened_by: open, period: 1 month}\n    - {id: n, opened_by: open, period: 1 month}\n", "node 'n' listed twice", QC_EEXIST},
        {"deadlines:\n  warnings: {yellow: 1, orange: 2}\n  nodes: [{id: n, opened_by: open, period: 1 day}]\n", "orange (2 days before) would come before yellow", QC_ECONST},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, suspended_by: stop}]\n", "can be suspended but not resumed", QC_EMISSING},
        {"deadlines:\n  holidays: {2019: [2018-10-01]}\n  nodes: [{id: n, opened_by: open, period: 1 day}]\n", "2018-10-01 is not in 2019", QC_ECONST},
        {"deadlines:\n  holidays: {2019: [2019-10-07..2019-10-01]}\n  nodes: [{id: n, opened_by: open, period: 1 day}]\n", "ends before it begins", QC_ECONST},
        {"deadlines:\n  holidays: {2019: [2019-10-01]}\n  workdays: {2019: [2019-10-01]}\n  nodes: [{id: n, opened_by: open, period: 1 day}]\n", "2019-10-01 is both a holiday and a working day", QC_ECONST},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, colour: red}]\n", "unknown key 'colour'", QC_EUNKNOWN},
        {"deadlines:\n  nodez: []\n", "unknown key 'nodez'", QC_EUNKNOWN},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, max_restarts: 2}]\n", "max_restarts without restarted_by", QC_ECONST},
        /* found by fuzz_rules: a node that is no mapping, then another (compared by id) */
        {"deadlines:\n  nodes: [oops, {id: n, opened_by: open, period: 1 day}]\n", "a node is a mapping", QC_ETYPE},
        {"deadlines:\n  nodes: [{opened_by: open, period: 1 day}, {id: n, opened_by: open, period: 1 day}]\n", "a node needs an id", QC_EMISSING},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 200000 days}]\n", "expected a period", QC_EVALUE},
        {"deadlines:\n  nodes: [{id: a b, opened_by: open, period: 1 day}]\n", "deadlines.nodes[0].id: is a word", QC_EVALUE},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, requires: [{before: stop, acts: [comittee]}]}]\n",
         "unknown act kind 'comittee' (name it under acts:)", QC_EUNKNOWN},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, requires: [{before: stop, acts: [committee], by: everyone}]}]\n",
         "is any (anyone's act) or leader", QC_EVALUE},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, requires: [{before: stop, steps: [open], by: leader}]}]\n",
         "by: leader is for acts", QC_ECONST},
        {"deadlines:\n  nodes: [{id: n, opened_by: open, period: 1 day, requires: [{acts: [committee]}]}]\n",
         "name the steps it must come before", QC_EMISSING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "format: 1\nname: dl\nversion: '1'\neffective_from: 2017-01-01\n"
                 "labels:\n  - {id: major}\n  - {id: ordinary, fallback: true}\n"
                 "facts:\n  years: {type: int, missing: default, default: 0}\n"
                 "classify:\n  - {id: ten, label: major, when: years >= 10}\n"
                 "steps: [open, stop]\nacts: [committee]\n%s", cases[i].section);
        qc_rules *r = NULL;
        int rc = qc_rules_load_string(&r, yaml, "dl.yaml");
        ck_assert_msg(rc == cases[i].code, "case %zu: %s, want %s (%s)", i, qc_status_name(rc), qc_status_name(cases[i].code),
                      qc_error_last());
        bool found = false;
        for (int k = 0; k < qc_error_detail_count(); k++) found |= strstr(qc_error_detail(k), cases[i].needle) != NULL;
        ck_assert_msg(found || strstr(qc_error_last(), cases[i].needle), "case %zu: '%s' not in %s", i, cases[i].needle, qc_error_last());
    }
}
END_TEST

START_TEST(test_case_ratio_and_deadlines_in_assessment)
{
    qc_store *s;
    qc_rules *rules;
    qc_assessment *a;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_qc_ok(qc_store_import_file(s, QC_TEST_DATA "/deadlines/store.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_ok(qc_rules_load_file(&rules, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_qc_ok(qc_rules_add_file(rules, QC_EXAMPLES "/liaoning-2018.yaml"));
    int64_t from, to;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2018"));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_int_eq(qc_assessment_has_ratio(a), 1);
    ck_assert_int_eq(qc_assessment_ratio_count(a), 2);
    ck_assert_str_eq(qc_assessment_ratio_office(a, 0), "DL");
    ck_assert_int_eq(qc_assessment_ratio_cases(a, 0), 6);   /* C1-C5, C7 (C8's first intake was in 2017) */
    ck_assert_int_eq(qc_assessment_ratio_items(a, 0), 10);  /* + 3 returns of C5, C7's extension */
    ck_assert_double_eq_tol(qc_assessment_ratio(a, 0), 10.0 / 6, 1e-12);
    ck_assert_int_eq(qc_assessment_ratio_component_count(a), 2);
    ck_assert_str_eq(qc_assessment_ratio_component(a, 0), "return_supplementary");
    ck_assert_int_eq(qc_assessment_ratio_component_value(a, 0, 0), 3);
    ck_assert_int_eq(qc_assessment_ratio_component_value(a, 0, 1), 1);
    ck_assert_int_eq(qc_assessment_ratio_cases(a, -1), 7);
    ck_assert_int_eq(qc_assessment_ratio_items(a, -1), 11);
    ck_assert_ptr_null(qc_assessment_ratio_office(a, 2));
    ck_assert_int_eq(qc_assessment_ratio_items(a, 2), 0);
    ck_assert_int_eq(qc_assessment_ratio_cases(a, 2), 0);
    ck_assert_int_eq(qc_assessment_ratio_component_value(a, 0, 2), 0);
    ck_assert_int_eq(qc_assessment_ratio_component_value(a, 0, -1), 0);
    ck_assert_ptr_null(qc_assessment_ratio_component(a, 2));
    const qc_deadlines *d = qc_assessment_deadlines(a);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(qc_deadlines_on(d), to);
    ck_assert_int_eq(qc_deadlines_count(d), 7); /* every open case in a node on 2018-12-31 */
    ck_assert_int_eq(qc_assessment_leader_credit(a, 0), 0); /* no duties yet */
    qc_assessment_free(a);
    /* workload credit: 2 meetings x 2 + 3 petitioners + 1 report + 1 approval x 0.5 */
    ck_assert_qc_ok(qc_store_import_file(s, QC_TEST_DATA "/deadlines/duties.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_double_eq_tol(qc_assessment_leader_credit(a, 0), 8.5, 1e-12);
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, 0), 0, 1e-12); /* credit offsets nothing */
    ck_assert_int_eq(qc_assessment_credit_kind_count(a), 5);
    ck_assert_str_eq(qc_assessment_credit_kind(a, 0), "committee_meeting");
    ck_assert_double_eq_tol(qc_assessment_leader_credit_units(a, 0, 0), 2, 1e-12);
    char why[512];
    int n = qc_assessment_leader_credit_explain(a, 0, rules, "en", why, sizeof why);
    ck_assert_int_eq(n, (int)strlen(why));
    ck_assert_str_eq(why, "credit 8.5 from committee meeting x 2, petitioner received x 3, report heard x 1, approval x 1; "
                          "none offsets the quota");
    ck_assert_int_eq(qc_assessment_leader_credit_explain(a, 5, rules, "en", why, sizeof why), QC_EINVAL);
    qc_assessment_free(a);
    /* the period's first and last days count: 03-01 .. 03-20 has the
     * first intakes of C1, C2, C4, C5 (DL) and C6 (SH), C5's return on
     * 03-10 and C7's extension on 03-20 */
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2018-03-01..2018-03-20"));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_int_eq(qc_assessment_ratio_cases(a, 0), 4);
    ck_assert_int_eq(qc_assessment_ratio_items(a, 0), 6);
    ck_assert_int_eq(qc_assessment_ratio_cases(a, -1), 5);
    ck_assert_int_eq(qc_assessment_ratio_items(a, -1), 7);
    qc_assessment_free(a);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2018-03-10..2018-03-19"));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_int_eq(qc_assessment_ratio_cases(a, -1), 0); /* no first intake: no ratio, */
    ck_assert(isnan(qc_assessment_ratio(a, -1)));
    ck_assert_int_eq(qc_assessment_ratio_items(a, -1), 1);  /* but C5's return on the first day */
    qc_assessment_free(a);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2018"));
    /* one office: its own cases only */
    ck_assert_qc_ok(qc_assess(&a, rules, s, "SH", from, to));
    ck_assert_int_eq(qc_assessment_ratio_count(a), 1);
    ck_assert_int_eq(qc_assessment_ratio_cases(a, -1), 1);
    ck_assert_int_eq(qc_deadlines_count(qc_assessment_deadlines(a)), 1);
    qc_assessment_free(a);
    qc_store_free(s);
    /* no steps: neither is computed */
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_qc_ok(qc_assess(&a, rules, s, NULL, from, to));
    ck_assert_int_eq(qc_assessment_has_ratio(a), 0);
    ck_assert_ptr_null(qc_assessment_deadlines(a));
    ck_assert(isnan(qc_assessment_ratio(a, -1)));
    qc_assessment_free(a);
    qc_store_free(s);
    qc_rules_free(rules);
}
END_TEST

START_TEST(test_runner)
{
    qc_test_report *rep;
    ck_assert_qc_ok(qc_rules_test_file(&rep, QC_EXAMPLES "/liaoning.test.yaml"));
    ck_assert_int_eq(qc_test_report_failed(rep), 0);
    ck_assert_int_eq(qc_test_report_total(rep), 60);
    ck_assert_int_eq(qc_test_report_rule_count(rep), 30);
    ck_assert_int_eq(qc_test_report_covered_count(rep), 30);
    ck_assert_ptr_nonnull(strstr(qc_test_report_tap(rep), "ok 11 - four defendants are complex from 2018"));
    qc_test_report_free(rep);

    ck_assert_qc_fails(qc_rules_test_file(&rep, QC_TEST_DATA "/rules/failing.test.yaml"), QC_ETESTFAIL, "2 of 3 tests failed");
    ck_assert_ptr_nonnull(rep);
    ck_assert_int_eq(qc_test_report_failed(rep), 2);
    const char *tap = qc_test_report_tap(rep);
    ck_assert_ptr_nonnull(strstr(tap, "ok 1 - passes"));
    ck_assert_ptr_nonnull(strstr(tap, "not ok 2 - wrong primary\n#   primary: want major, got ordinary"));
    ck_assert_ptr_nonnull(strstr(tap, "not ok 3 - wrong weight and rules\n#   rules: want [], got [sentence-ten-years]\n#   weight: want 2, got 3"));
    ck_assert_int_eq(qc_test_report_covered_count(rep), 1);
    ck_assert_str_eq(qc_test_report_uncovered(rep, 0), "liaoning-procuratorate 2017.1:major-influence");
    qc_test_report_free(rep);

    ck_assert_qc_fails(qc_rules_test_file(&rep, QC_TEST_DATA "/rules/invalid.test.yaml"), QC_EUNKNOWN,
                       "invalid.test.yaml:6:7: tests[0].expect.primry: unknown expectation 'primry'");
    ck_assert_ptr_null(rep);
    ck_assert_qc_fails(qc_rules_test_file(&rep, QC_TEST_DATA "/rules/nowhere.test.yaml"), QC_EIO, "cannot open");
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_content_hash);
    tcase_add_test(tc, test_conditions);
    tcase_add_test(tc, test_missing_error_policy);
    tcase_add_test(tc, test_bad_conditions);
    tcase_add_test(tc, test_rules_index_accessors);
    tcase_add_test(tc, test_columns_match_records);
    tcase_add_test(tc, test_columns_every_operator);
    tcase_add_test(tc, test_range_messages);
    tcase_add_test(tc, test_division_by_zero);
    tcase_add_test(tc, test_bad_files);
    tcase_add_test(tc, test_deep_nesting_refused);
    tcase_add_test(tc, test_rule_file_limits);
    tcase_add_test(tc, test_all_errors_reported);
    tcase_add_test(tc, test_failed_load_keeps_previous);
    tcase_add_test(tc, test_extends_cycle);
    tcase_add_test(tc, test_classify_and_explain);
    tcase_add_test(tc, test_explanation_detail_and_cut);
    tcase_add_test(tc, test_suggestions_up_to_forty_bytes);
    tcase_add_test(tc, test_rule_file_edges);
    tcase_add_test(tc, test_versions_with_different_label_counts);
    tcase_add_test(tc, test_rule_sets_bound_to_places);
    tcase_add_test(tc, test_rule_sets_places_lint);
    tcase_add_test(tc, test_classify_store);
    tcase_add_test(tc, test_office_levels_from_the_store);
    tcase_add_test(tc, test_runner);
    tcase_add_test(tc, test_deadline_months);
    tcase_add_test(tc, test_deadline_holidays);
    tcase_add_test(tc, test_deadline_extensions);
    tcase_add_test(tc, test_deadline_levels_and_explanation);
    tcase_add_test(tc, test_deadline_lint);
    tcase_add_test(tc, test_deadline_restart_limit_zero);
    tcase_add_test(tc, test_case_ratio_and_deadlines_in_assessment);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return qc_test_run(rules_suite()); }
