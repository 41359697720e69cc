/* SPDX-License-Identifier: MIT
 * check_model.c - dates, records, facts, the schema, errors and versions.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "quotacase/backend.h"
#include <stdint.h>

#include "testutil.h"

START_TEST(test_version_matches_header)
{
    ck_assert_int_eq(qc_version(), QC_VERSION_MAJOR * 10000 + QC_VERSION_MINOR * 100 + QC_VERSION_PATCH);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", QC_VERSION_MAJOR, QC_VERSION_MINOR, QC_VERSION_PATCH);
    ck_assert_str_eq(qc_version_string(), want);
}
END_TEST

START_TEST(test_date_round_trip)
{
    int64_t d;
    char buf[16];
    ck_assert_qc_ok(qc_date_parse(&d, "1970-01-01"));
    ck_assert_int_eq(d, 0);
    ck_assert_qc_ok(qc_date_parse(&d, "2017-05-01"));
    ck_assert_int_eq(d, 17287);
    ck_assert_qc_ok(qc_date_parse(&d, "1900-03-01"));
    ck_assert_int_lt(d, 0);
    ck_assert_qc_ok(qc_date_format(buf, sizeof buf, d));
    ck_assert_str_eq(buf, "1900-03-01");
    /* every day from 1900 to 2999 survives a round trip */
    int64_t first, last;
    ck_assert_qc_ok(qc_date_parse(&first, "1900-01-01"));
    ck_assert_qc_ok(qc_date_parse(&last, "2999-12-31"));
    ck_assert_int_eq(first, -25567); /* the bounds dates.c checks against */
    ck_assert_int_eq(last, 376199);
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_set_int(r, QC_CASE_REGISTERED, first));
    ck_assert_qc_ok(qc_record_set_int(r, QC_CASE_REGISTERED, last));
    ck_assert_qc_fails(qc_record_set_int(r, QC_CASE_REGISTERED, last + 1), QC_EDATE, "case.registered");
    ck_assert_qc_fails(qc_record_set_int(r, QC_CASE_REGISTERED, first - 1), QC_EDATE, "outside years");
    ck_assert_qc_fails(qc_record_set_fact_date(r, "d", last + 1), QC_EDATE, "case.facts.d");
    qc_record_free(r);
    for (int64_t day = first; day <= last; day += 7) {
        int64_t back;
        ck_assert_qc_ok(qc_date_format(buf, sizeof buf, day));
        ck_assert_qc_ok(qc_date_parse(&back, buf));
        ck_assert_int_eq(back, day);
    }
}
END_TEST

START_TEST(test_date_rejects)
{
    static const char *const bad[] = {"2017-02-29", "2017-13-01", "2017-00-10", "2017-04-31", "17-05-01",
                                      "2017/05/01", "2017-5-1", "", "1899-12-31", "3000-01-01",
                                      "2017-05-01x", "2017-05-01T10:00"};
    int64_t d;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_qc_fails(qc_date_parse(&d, bad[i]), QC_EDATE, "invalid date");
    ck_assert_qc_ok(qc_date_parse(&d, "2016-02-29")); /* leap year */
    ck_assert_qc_ok(qc_date_parse(&d, "2000-02-29")); /* leap century */
    ck_assert_qc_fails(qc_date_parse(&d, "1900-02-29"), QC_EDATE, "1900-02-29");
}
END_TEST

START_TEST(test_datetime)
{
    int64_t t;
    char buf[24];
    ck_assert_qc_ok(qc_datetime_parse(&t, "2017-05-01T09:30"));
    ck_assert_int_eq(t, 17287 * 86400LL + 9 * 3600 + 30 * 60);
    ck_assert_qc_ok(qc_datetime_format(buf, sizeof buf, t));
    ck_assert_str_eq(buf, "2017-05-01T09:30:00");
    ck_assert_qc_ok(qc_datetime_parse(&t, "2017-05-01 23:59:59"));
    ck_assert_qc_ok(qc_datetime_parse(&t, "2017-05-01"));
    ck_assert_int_eq(t, 17287 * 86400LL);
    ck_assert_qc_fails(qc_datetime_parse(&t, "2017-05-01T24:00"), QC_EDATE, "invalid time");
    ck_assert_qc_fails(qc_datetime_parse(&t, "2017-05-01T10"), QC_EDATE, "invalid time");
    ck_assert_qc_fails(qc_datetime_format(buf, 5, t), QC_EINVAL, "too small");
}
END_TEST

START_TEST(test_errors_are_named)
{
    ck_assert_str_eq(qc_status_name(QC_ENOREF), "QC_ENOREF");
    ck_assert_str_eq(qc_strerror(QC_EEXIST), "duplicate id");
    ck_assert_str_eq(qc_strerror(12345), "unknown status code");
    /* every code from QC_ERROR to QC_ETESTFAIL has its own name */
    for (int c = QC_ETESTFAIL; c <= QC_ERROR; c++) {
        ck_assert_str_ne(qc_status_name(c), "QC_UNKNOWN");
        for (int d = c + 1; d <= QC_ERROR; d++) ck_assert_str_ne(qc_status_name(c), qc_status_name(d));
    }
    qc_error_clear();
    ck_assert_str_eq(qc_error_last(), "");
    ck_assert_int_eq(qc_error_code(), QC_OK);
    int64_t d;
    qc_date_parse(&d, "bad");
    ck_assert_int_eq(qc_error_code(), QC_EDATE);
}
END_TEST

START_TEST(test_schema_introspection)
{
    ck_assert_int_eq(qc_kind_lookup("people"), QC_KIND_PERSON);
    ck_assert_int_eq(qc_kind_lookup("person"), QC_KIND_PERSON);
    ck_assert_int_eq(qc_kind_lookup("Acts"), QC_KIND_ACT);
    ck_assert_int_eq(qc_kind_lookup("tribunals"), QC_KIND_NONE);
    ck_assert_str_eq(qc_kind_name(QC_KIND_CASE), "case");
    ck_assert_ptr_null(qc_kind_name(QC_KIND_COUNT));
    ck_assert_int_eq(qc_field_lookup(QC_KIND_CASE, "registered"), QC_CASE_REGISTERED);
    ck_assert_int_eq(qc_field_lookup(QC_KIND_ACT, "time"), QC_ACT_TIME);
    ck_assert_int_eq(qc_field_lookup(QC_KIND_ACT, "nope"), -1);
    ck_assert_int_eq(qc_field_type(QC_KIND_CASE, QC_CASE_REGISTERED), QC_TYPE_DATE);
    ck_assert_int_eq(qc_field_type(QC_KIND_OFFICE, QC_OFFICE_LEVEL), QC_TYPE_ENUM);
    ck_assert_int_eq(qc_field_ref(QC_KIND_ACT, QC_ACT_PERSON), QC_KIND_PERSON);
    ck_assert_int_eq(qc_field_ref(QC_KIND_ACT, QC_ACT_KIND), QC_KIND_NONE);
    ck_assert_int_eq(qc_field_required(QC_KIND_CASE, QC_CASE_CLOSED), 0);
    ck_assert_int_eq(qc_field_required(QC_KIND_CASE, QC_CASE_REGISTERED), 1);
    /* every kind's field names are distinct and field 0 is the id */
    for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
        ck_assert_str_eq(qc_field_name((qc_kind)k, 0), "id");
        for (int i = 0; i < qc_field_count((qc_kind)k); i++)
            ck_assert_int_eq(qc_field_lookup((qc_kind)k, qc_field_name((qc_kind)k, i)), i);
    }
}
END_TEST

START_TEST(test_record_fields)
{
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_OFFICE));
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_ID, "DL"));
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_NAME, "大连市人民检察院"));
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_KIND, "court"));
    ck_assert_int_eq(qc_record_int(r, QC_OFFICE_KIND), QC_OFFICE_COURT);
    /* the courts' level words */
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_LEVEL, "intermediate"));
    ck_assert_int_eq(qc_record_int(r, QC_OFFICE_LEVEL), QC_LEVEL_CITY);
    ck_assert_str_eq(qc_record_text(r, QC_OFFICE_LEVEL), "city");
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_LEVEL, "supreme"));
    ck_assert_int_eq(qc_record_int(r, QC_OFFICE_LEVEL), QC_LEVEL_NATIONAL);
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_LEVEL, "High"));
    ck_assert_int_eq(qc_record_int(r, QC_OFFICE_LEVEL), QC_LEVEL_PROVINCIAL);
    ck_assert_qc_fails(qc_record_set_text(r, QC_OFFICE_KIND, "tribunal"), QC_EVALUE, "office.kind: 'tribunal' is not one of court, procuratorate");
    ck_assert_int_eq(qc_record_int(r, QC_OFFICE_KIND), QC_OFFICE_COURT); /* unchanged */
    ck_assert_qc_fails(qc_record_set_int(r, QC_OFFICE_LEVEL, 9), QC_EVALUE, "office.level");
    ck_assert_str_eq(qc_record_text(r, QC_OFFICE_NAME), "大连市人民检察院");
    ck_assert_ptr_null(qc_record_text(r, QC_OFFICE_PARENT));
    ck_assert_int_eq(qc_record_has(r, QC_OFFICE_PARENT), 0);
    ck_assert_qc_fails(qc_record_set_text(r, 17, "x"), QC_EINVAL, "no field 17");
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_NAME, ""));
    ck_assert_int_eq(qc_record_has(r, QC_OFFICE_NAME), 0);
    qc_record_free(r);
}
END_TEST

START_TEST(test_record_validation_of_values)
{
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_PERSON));
    ck_assert_qc_fails(qc_record_set_text(r, QC_PERSON_IN_QUOTA, "maybe"), QC_ETYPE, "person.in_quota");
    ck_assert_qc_ok(qc_record_set_text(r, QC_PERSON_IN_QUOTA, "是"));
    ck_assert_int_eq(qc_record_int(r, QC_PERSON_IN_QUOTA), 1);
    ck_assert_qc_fails(qc_record_set_text(r, QC_PERSON_VALID_FROM, "2017-02-30"), QC_EDATE, "person.valid_from");
    ck_assert_qc_fails(qc_record_set_text(r, QC_PERSON_ROLE, "deputy chief"), QC_EVALUE, "not a token");
    ck_assert_qc_fails(qc_record_set_text(r, QC_PERSON_NAME, "bad \xC3\x28 utf8"), QC_EUTF8, "invalid UTF-8");
    char long_id[200];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    ck_assert_qc_fails(qc_record_set_text(r, QC_PERSON_ID, long_id), QC_ETOOLONG, "person.id");
    ck_assert_qc_fails(qc_record_set_int(r, QC_PERSON_IN_QUOTA, 2), QC_ETYPE, "0 or 1");
    ck_assert_qc_fails(qc_record_set_int(r, QC_PERSON_NAME, 2), QC_ETYPE, "text field");
    qc_record_free(r);
}
END_TEST

START_TEST(test_record_cross_field_rules_need_store)
{
    /* closed before registered is refused when stored */
    qc_store *s;
    qc_record *o, *c;
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_qc_ok(qc_record_new(&o, QC_KIND_OFFICE));
    qc_record_set_text(o, QC_OFFICE_ID, "O");
    qc_record_set_text(o, QC_OFFICE_NAME, "O");
    qc_record_set_int(o, QC_OFFICE_KIND, QC_OFFICE_COURT);
    qc_record_set_int(o, QC_OFFICE_LEVEL, QC_LEVEL_BASIC);
    ck_assert_qc_ok(qc_store_put(s, o));
    ck_assert_qc_ok(qc_record_new(&c, QC_KIND_CASE));
    qc_record_set_text(c, QC_CASE_ID, "C");
    qc_record_set_text(c, QC_CASE_OFFICE, "O");
    qc_record_set_text(c, QC_CASE_LINE, "civil");
    qc_record_set_text(c, QC_CASE_TYPE, "contract");
    ck_assert_qc_fails(qc_store_put(s, c), QC_EMISSING, "case.registered");
    qc_record_set_text(c, QC_CASE_REGISTERED, "2017-05-01");
    qc_record_set_text(c, QC_CASE_CLOSED, "2017-04-30");
    ck_assert_qc_fails(qc_store_put(s, c), QC_EDATE, "case.closed: 2017-04-30 is before registered 2017-05-01");
    qc_record_set_text(c, QC_CASE_CLOSED, "2017-05-01");
    ck_assert_qc_ok(qc_store_put(s, c));
    qc_record_free(c);
    qc_record_free(o);
    qc_store_free(s);
}
END_TEST

START_TEST(test_facts)
{
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "defendants", QC_TYPE_NULL, "3"));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "amount", QC_TYPE_NULL, "1250000.50"));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "sensitive", QC_TYPE_NULL, "true"));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "since", QC_TYPE_NULL, "2017-05-01"));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "court", QC_TYPE_NULL, "中级法院"));
    ck_assert_qc_ok(qc_record_set_fact_parse(r, "code", QC_TYPE_TEXT, "007"));
    ck_assert_int_eq(qc_record_fact_count(r), 6);
    ck_assert_int_eq(qc_record_fact_type(r, 0), QC_TYPE_INT);
    ck_assert_int_eq(qc_record_fact_int(r, 0), 3);
    ck_assert_int_eq(qc_record_fact_type(r, 1), QC_TYPE_DECIMAL);
    ck_assert_double_eq(qc_record_fact_decimal(r, 1), 1250000.5);
    ck_assert_int_eq(qc_record_fact_type(r, 2), QC_TYPE_BOOL);
    ck_assert_int_eq(qc_record_fact_type(r, 3), QC_TYPE_DATE);
    ck_assert_int_eq(qc_record_fact_int(r, 3), 17287);
    ck_assert_str_eq(qc_record_fact_text(r, 3), "2017-05-01");
    ck_assert_int_eq(qc_record_fact_type(r, 4), QC_TYPE_TEXT);
    ck_assert_str_eq(qc_record_fact_text(r, 5), "007");
    /* replacing keeps the position and changes the type */
    ck_assert_qc_ok(qc_record_set_fact_bool(r, "defendants", 1));
    ck_assert_int_eq(qc_record_fact_find(r, "defendants"), 0);
    ck_assert_int_eq(qc_record_fact_type(r, 0), QC_TYPE_BOOL);
    ck_assert_qc_fails(qc_record_set_fact_parse(r, "n", QC_TYPE_INT, "3.5"), QC_ETYPE, "case.facts.n: '3.5' is not an integer");
    ck_assert_qc_fails(qc_record_set_fact_parse(r, "d", QC_TYPE_DATE, "2017-02-30"), QC_EDATE, "case.facts.d");
    ck_assert_qc_fails(qc_record_set_fact_int(r, "2bad", 1), QC_EUNKNOWN, "not a fact name");
    ck_assert_qc_fails(qc_record_set_fact_decimal(r, "x", 1.0 / 0.0), QC_ETYPE, "finite");
    qc_record *dup;
    ck_assert_qc_ok(qc_record_dup(&dup, r));
    ck_assert_int_eq(qc_record_fact_count(dup), 6);
    ck_assert_str_eq(qc_record_fact_text(dup, 4), "中级法院");
    qc_record_clear(r);
    ck_assert_int_eq(qc_record_fact_count(r), 0);
    qc_record_free(dup);
    qc_record_free(r);
    qc_record *office;
    ck_assert_qc_ok(qc_record_new(&office, QC_KIND_OFFICE));
    ck_assert_qc_fails(qc_record_set_fact_int(office, "n", 1), QC_EINVAL, "no facts");
    qc_record_free(office);
}
END_TEST

/* A value copied from the record's own text while the copy grows it:
 * the source must be read before the old block is freed. */
START_TEST(test_record_values_from_itself)
{
    qc_record *r;
    char stage[300];
    memset(stage, 's', sizeof stage - 1);
    stage[sizeof stage - 1] = '\0';
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_set_text(r, QC_CASE_STAGE, stage)); /* arena of 512 bytes, 301 used */
    for (int i = 0; i < 4; i++) /* each copy grows the arena at least once */
        ck_assert_qc_ok(qc_record_set_text(r, i % 2 ? QC_CASE_STAGE : QC_CASE_TYPE,
                                           qc_record_text(r, i % 2 ? QC_CASE_TYPE : QC_CASE_STAGE)));
    ck_assert_str_eq(qc_record_text(r, QC_CASE_TYPE), stage);
    ck_assert_str_eq(qc_record_text(r, QC_CASE_STAGE), stage);
    ck_assert_qc_ok(qc_record_set_fact_text(r, "note", qc_record_text(r, QC_CASE_STAGE)));
    /* a new name and the value of an old fact: adding the name may move the value */
    for (int i = 0; i < 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "copy%d", i);
        ck_assert_qc_ok(qc_record_set_fact_text(r, name, qc_record_fact_text(r, i)));
    }
    ck_assert_int_eq(qc_record_fact_count(r), 7);
    for (int i = 0; i < 7; i++) ck_assert_str_eq(qc_record_fact_text(r, i), stage);
    /* a token field refused: the message quotes the value, not freed memory */
    stage[5] = ' ';
    ck_assert_qc_ok(qc_record_set_fact_text(r, "spaced", stage));
    ck_assert_int_eq(qc_record_set_text(r, QC_CASE_STAGE, qc_record_fact_text(r, 7)), QC_EVALUE);
    ck_assert_msg(strstr(qc_error_last(), "'sssss sss") != NULL, "%s", qc_error_last());
    qc_record_free(r);
}
END_TEST

/* The text form of numbers and times, written without printf. */
/* Refusals of the record setters that nothing else reaches, and a fact
 * value far longer than the record's text so far (the text moves). */
START_TEST(test_record_setter_refusals)
{
    qc_record *c, *p, *copy = (qc_record *)1;
    ck_assert_qc_ok(qc_record_new(&c, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_new(&p, QC_KIND_PERSON));
    ck_assert_qc_fails(qc_record_dup(&copy, NULL), QC_EINVAL, "qc_record_dup: NULL argument");
    ck_assert_ptr_null(copy);
    ck_assert_qc_fails(qc_record_set_decimal(c, QC_CASE_REGISTERED, 1.5), QC_ETYPE, "case.registered: not a decimal field");
    /* a decimal field takes finite numbers only: NaN and infinity would compare and print as no number does */
    qc_record *w;
    ck_assert_qc_ok(qc_record_new(&w, QC_KIND_CLASSIFICATION));
    ck_assert_qc_fails(qc_record_set_decimal(w, QC_CLASSIFICATION_WEIGHT, NAN), QC_ETYPE, "classification.weight: not a finite number");
    ck_assert_qc_fails(qc_record_set_decimal(w, QC_CLASSIFICATION_WEIGHT, -INFINITY), QC_ETYPE, "not a finite number");
    ck_assert(!qc_record_has(w, QC_CLASSIFICATION_WEIGHT));
    ck_assert_qc_ok(qc_record_set_decimal(w, QC_CLASSIFICATION_WEIGHT, 2.5));
    ck_assert_str_eq(qc_record_text(w, QC_CLASSIFICATION_WEIGHT), "2.5");
    qc_record_free(w);
    ck_assert_qc_fails(qc_record_set_fact_int(p, "x", 1), QC_EINVAL, "person records have no facts");
    ck_assert_qc_fails(qc_record_set_fact_text(p, "x", "y"), QC_EINVAL, "person records have no facts");
    ck_assert_qc_fails(qc_record_set_fact_text(c, "not a name", "y"), QC_EUNKNOWN, "'not a name' is not a fact name");
    ck_assert_qc_fails(qc_record_set_fact_text(c, "t", "caf\xe9"), QC_EUTF8, "case.facts.t: invalid UTF-8 at byte 4");
    ck_assert_qc_fails(qc_record_set_fact_int(c, NULL, 1), QC_EINVAL, "fact: NULL argument");
    ck_assert_qc_fails(qc_record_set_fact_text(c, NULL, "y"), QC_EINVAL, "NULL");
    ck_assert_int_eq(qc_record_fact_count(c), 0);
    /* a value shaped like a date but for its first character is text, not a bad date */
    ck_assert_qc_ok(qc_record_set_fact_parse(c, "t", QC_TYPE_NULL, "x017-05-01"));
    ck_assert_int_eq(qc_record_fact_type(c, 0), QC_TYPE_TEXT);
    ck_assert_qc_ok(qc_record_set_fact_parse(c, "t", QC_TYPE_NULL, "2017-05-01"));
    ck_assert_int_eq(qc_record_fact_type(c, 0), QC_TYPE_DATE);
    qc_record_clear(c);
    /* integers are digits with an optional minus: no plus sign, no blank */
    ck_assert_qc_fails(qc_record_set_fact_parse(c, "n", QC_TYPE_INT, "+5"), QC_ETYPE, "case.facts.n");
    ck_assert_qc_fails(qc_record_set_fact_parse(c, "n", QC_TYPE_INT, " 5"), QC_ETYPE, "case.facts.n");
    ck_assert_qc_fails(qc_record_set_fact_parse(c, "n", QC_TYPE_INT, "5 "), QC_ETYPE, "case.facts.n");
    ck_assert_qc_ok(qc_record_set_fact_parse(c, "n", QC_TYPE_INT, "-5"));
    ck_assert_int_eq(qc_record_fact_int(c, 0), -5);
    /* a long value from outside the record, while its text grows past its first block */
    char big[3000];
    memset(big, 'v', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_qc_ok(qc_record_set_text(c, QC_CASE_ID, "K1"));
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "t%d", i);
        big[i] = 'a' + (char)i;
        ck_assert_qc_ok(qc_record_set_fact_text(c, name, big));
        ck_assert_str_eq(qc_record_fact_text(c, qc_record_fact_find(c, name)), big);
    }
    ck_assert_str_eq(qc_record_text(c, QC_CASE_ID), "K1");
    qc_record_free(c);
    qc_record_free(p);
}
END_TEST

START_TEST(test_number_text_forms)
{
    static const struct { int64_t v; const char *text; } ints[] = {
        {0, "0"}, {7, "7"}, {-5, "-5"}, {1234567890123, "1234567890123"},
        {INT64_MAX, "9223372036854775807"}, {INT64_MIN, "-9223372036854775808"},
    };
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        ck_assert_qc_ok(qc_record_set_fact_int(r, "n", ints[i].v));
        ck_assert_str_eq(qc_record_fact_text(r, 0), ints[i].text);
    }
    static const char *const times[] = {"1900-01-01T00:00:00", "2017-04-01T09:30:15", "2999-12-31T23:59:59"};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        qc_record *a;
        ck_assert_qc_ok(qc_record_new(&a, QC_KIND_ACT));
        ck_assert_qc_ok(qc_record_set_text(a, QC_ACT_TIME, times[i]));
        ck_assert_str_eq(qc_record_text(a, QC_ACT_TIME), times[i]);
        qc_record_free(a);
    }
    char buf[16];
    ck_assert_qc_ok(qc_date_format(buf, sizeof buf, 0));
    ck_assert_str_eq(buf, "1970-01-01");
    ck_assert_qc_ok(qc_date_format(buf, sizeof buf, -1));
    ck_assert_str_eq(buf, "1969-12-31");
    qc_record_free(r);
}
END_TEST

/* Field and fact indexes out of range say so; an unset field or a fact
 * whose value is 0 does not. */
START_TEST(test_record_index_accessors)
{
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_set_fact_int(r, "n", 0));
    ck_assert_good_index(qc_record_fact_int(r, 0));
    ck_assert_int_eq(qc_record_fact_int(r, 0), 0);
    ck_assert_bad_index(qc_record_fact_int(r, 1));
    ck_assert_bad_index(qc_record_fact_decimal(r, -1));
    ck_assert_bad_index(qc_record_fact_name(r, 1));
    ck_assert_bad_index(qc_record_fact_text(r, 1));
    ck_assert_bad_index(qc_record_fact_type(r, 1));
    ck_assert_good_index(qc_record_text(r, QC_CASE_CLOSED)); /* unset: NULL, no error */
    ck_assert_ptr_null(qc_record_text(r, QC_CASE_CLOSED));
    ck_assert_bad_index(qc_record_text(r, qc_field_count(QC_KIND_CASE)));
    ck_assert_bad_index(qc_record_int(r, -1));
    ck_assert_bad_index(qc_record_decimal(r, 99));
    ck_assert_bad_index(qc_record_has(r, 99));
    ck_assert_bad_index(qc_record_has(NULL, 0));
    qc_record_free(r);
}
END_TEST

START_TEST(test_null_handles_are_safe)
{
    qc_record_free(NULL);
    qc_store_free(NULL);
    qc_iter_free(NULL);
    qc_filter_free(NULL);
    ck_assert_int_eq(qc_record_new(NULL, QC_KIND_CASE), QC_EINVAL);
    qc_record *r = (qc_record *)1;
    ck_assert_int_eq(qc_record_new(&r, (qc_kind)99), QC_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(qc_store_open(NULL, "memory:"), QC_EINVAL);
    ck_assert_ptr_null(qc_record_text(NULL, 0));
}
END_TEST

START_TEST(test_display_width)
{
    ck_assert_int_eq(qc_display_width("DL-ZS"), 5);
    ck_assert_int_eq(qc_display_width("大连市人民检察院"), 16);
    ck_assert_int_eq(qc_display_width("王明 (chief)"), 12);
    ck_assert_int_eq(qc_display_width(""), 0);
    ck_assert_int_eq(qc_display_width(NULL), 0);
}
END_TEST

START_TEST(test_store_uri)
{
    qc_store *s;
    ck_assert_qc_fails(qc_store_open(&s, "oracle:host=x"), QC_EUNKNOWN, "no storage backend named 'oracle'");
    /* postgresql: (alias postgres:) is built in when libpq was found */
    if (qc_backend_postgresql())
        ck_assert_qc_fails(qc_store_open(&s, "postgres:host=/nonexistent-dir"), QC_EIO, "cannot connect");
    else
        ck_assert_qc_fails(qc_store_open(&s, "postgres:host=x"), QC_EUNKNOWN, "no storage backend named 'postgres'");
    ck_assert_qc_fails(qc_store_open(&s, "sqlite:"), QC_EINVAL, "no file name");
    ck_assert_qc_ok(qc_store_open(&s, "memory:"));
    ck_assert_str_eq(qc_store_backend(s), "memory");
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open(&s, "sqlite::memory:"));
    ck_assert_str_eq(qc_store_backend(s), "sqlite");
    int v;
    ck_assert_qc_ok(qc_store_schema_version(s, &v));
    ck_assert_int_eq(v, QC_SCHEMA_VERSION);
    qc_store_free(s);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_version_matches_header);
    tcase_add_test(tc, test_date_round_trip);
    tcase_add_test(tc, test_date_rejects);
    tcase_add_test(tc, test_datetime);
    tcase_add_test(tc, test_errors_are_named);
    tcase_add_test(tc, test_schema_introspection);
    tcase_add_test(tc, test_record_fields);
    tcase_add_test(tc, test_record_validation_of_values);
    tcase_add_test(tc, test_record_cross_field_rules_need_store);
    tcase_add_test(tc, test_facts);
    tcase_add_test(tc, test_record_values_from_itself);
    tcase_add_test(tc, test_record_index_accessors);
    tcase_add_test(tc, test_number_text_forms);
    tcase_add_test(tc, test_record_setter_refusals);
    tcase_add_test(tc, test_null_handles_are_safe);
    tcase_add_test(tc, test_store_uri);
    tcase_add_test(tc, test_display_width);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return qc_test_run(model_suite()); }
