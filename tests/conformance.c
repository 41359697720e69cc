/* SPDX-License-Identifier: MIT
 * conformance.c - what every storage backend must do, as check tests.
 *
 * The tests speak only the public API (quotacase.h), so they hold for any
 * backend: round trips of every kind and type, unique ids, references,
 * transactions and rollback, batches, iteration order, each filter
 * criterion, counting, an import that fails leaving the store as it
 * was, and (version 4) records corrected, withdrawn, rolled back and read
 * as of a past time, with their history.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "quotacase/conformance.h"
#include "quotacase/backend.h"
#include "testutil.h"

static const qc_conformance_target *target;

static qc_store *open_fresh(char *uri, size_t size)
{
    qc_store *s;
    target->fresh_uri(uri, size);
    ck_assert_qc_ok(qc_store_open(&s, uri));
    return s;
}

/* A record from "field=value" strings ("fact.name=value" for facts). */
static qc_record *make(qc_kind kind, ...)
{
    va_list ap;
    va_start(ap, kind);
    qc_record *r = qc_test_record_va(kind, ap);
    va_end(ap);
    return r;
}

static void put(qc_store *s, qc_record *r)
{
    ck_assert_qc_ok(qc_store_put(s, r));
    qc_record_free(r);
}

/* Two offices, departments, people (one with a second post), three cases
 * with facts of every type, participations, acts and reviews. */
static void load_world(qc_store *s)
{
    put(s, make(QC_KIND_OFFICE, "id=O1", "name=某基层法院", "kind=court", "level=basic", NULL));
    put(s, make(QC_KIND_OFFICE, "id=O2", "name=Dalian procuratorate", "kind=procuratorate", "level=city", NULL));
    put(s, make(QC_KIND_OFFICE, "id=O3", "name=Branch", "kind=procuratorate", "level=basic", "parent=O2", NULL));
    put(s, make(QC_KIND_DEPARTMENT, "id=D1", "office=O1", "name=民事审判庭", "line=civil", NULL));
    put(s, make(QC_KIND_DEPARTMENT, "id=D2", "office=O2", "name=第一检察部", "line=prosecution", NULL));
    put(s, make(QC_KIND_PERSON, "id=P1", "name=王明", "office=O1", "department=D1", "role=president",
                "in_quota=true", "valid_from=2017-01-01", "valid_to=2017-06-30", NULL));
    put(s, make(QC_KIND_PERSON, "id=P2", "name=李华", "office=O2", "role=chief", "in_quota=true", NULL));
    put(s, make(QC_KIND_PERSON, "id=P3", "name=Assistant", "office=O2", "department=D2", "role=assistant",
                "in_quota=false", "valid_from=2018-01-01", NULL));
    put(s, make(QC_KIND_POST, "id=POST1", "person=P1", "office=O2", "role=deputy_chief", "in_quota=true",
                "valid_from=2017-07-01", NULL));
    put(s, make(QC_KIND_CASE, "id=C2", "office=O2", "department=D2", "line=prosecution", "type=fraud",
                "registered=2017-08-01", "source=assigned", "fact.defendants=12", "fact.amount=3500000.25",
                "fact.first_of_kind=true", "fact.decided=2017-09-01", "fact.court=中级人民法院", NULL));
    put(s, make(QC_KIND_CASE, "id=C1", "office=O1", "department=D1", "line=civil", "type=contract",
                "registered=2017-03-01", "closed=2017-05-02", "stage=closed", NULL));
    put(s, make(QC_KIND_CASE, "id=C3", "office=O2", "line=prosecution", "type=theft", "registered=2018-01-05",
                "source=raised", NULL));
    put(s, make(QC_KIND_PARTICIPATION, "case=C1", "person=P1", "capacity=sole", NULL));
    put(s, make(QC_KIND_PARTICIPATION, "case=C2", "person=P2", "capacity=lead", NULL));
    put(s, make(QC_KIND_PARTICIPATION, "id=PA3", "case=C2", "person=P3", "capacity=assistant", NULL));
    put(s, make(QC_KIND_ACT, "case=C2", "person=P3", "kind=drafting", "time=2017-08-03T10:00", "note=初稿", NULL));
    put(s, make(QC_KIND_ACT, "case=C2", "person=P2", "kind=file_review", "time=2017-08-02", NULL));
    put(s, make(QC_KIND_ACT, "id=A3", "case=C1", "person=P1", "kind=hearing_presided", "time=2017-04-01T09:30:15", NULL));
    put(s, make(QC_KIND_ACT, "case=C3", "person=P2", "kind=interrogation", "time=2018-01-06T23:59:59", NULL));
    put(s, make(QC_KIND_REVIEW, "case=C1", "grade=excellent", "scheme=spp2017", "reviewer=组长", "date=2017-06-01", NULL));
    put(s, make(QC_KIND_REVIEW, "case=C2", "grade=basically_acceptable", "scheme=spp2026", "date=2017-12-01", NULL));
}

static int64_t count(qc_store *s, qc_kind kind, const qc_filter *f)
{
    int64_t n = -1;
    ck_assert_qc_ok(qc_store_count(&n, s, kind, f));
    return n;
}

/* The records of every kind but the history (test_history counts that). */
static void assert_counts(qc_store *s, const int64_t want[QC_KIND_COUNT])
{
    for (int k = QC_KIND_OFFICE; k < QC_KIND_REVISION; k++)
        ck_assert_msg(count(s, (qc_kind)k, NULL) == want[k], "%s: %lld records, want %lld",
                      qc_kind_name((qc_kind)k), (long long)count(s, (qc_kind)k, NULL), (long long)want[k]);
}

static const int64_t world_counts[QC_KIND_COUNT] = {0, 3, 2, 3, 1, 3, 3, 4, 2};

/* Field-by-field and fact-by-fact equality. */
static void assert_same(const qc_record *a, const qc_record *b)
{
    qc_kind k = qc_record_kind(a);
    ck_assert_int_eq(k, qc_record_kind(b));
    for (int i = 0; i < qc_field_count(k); i++) {
        const char *x = qc_record_text(a, i), *y = qc_record_text(b, i);
        ck_assert_msg((x == NULL) == (y == NULL) && (!x || !strcmp(x, y)), "%s.%s: '%s' != '%s'",
                      qc_kind_name(k), qc_field_name(k, i), x ? x : "(unset)", y ? y : "(unset)");
    }
    ck_assert_int_eq(qc_record_fact_count(a), qc_record_fact_count(b));
    for (int i = 0; i < qc_record_fact_count(a); i++) {
        ck_assert_str_eq(qc_record_fact_name(a, i), qc_record_fact_name(b, i));
        ck_assert_int_eq(qc_record_fact_type(a, i), qc_record_fact_type(b, i));
        ck_assert_str_eq(qc_record_fact_text(a, i), qc_record_fact_text(b, i));
    }
}

START_TEST(test_empty_store)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    static const int64_t zero[QC_KIND_COUNT] = {0};
    assert_counts(s, zero);
    int v;
    ck_assert_qc_ok(qc_store_schema_version(s, &v));
    ck_assert_int_eq(v, QC_SCHEMA_VERSION);
    qc_iter *it;
    const qc_record *r;
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_CASE, NULL));
    ck_assert_int_eq(qc_iter_next(&r, it), QC_ITEROVER);
    ck_assert_ptr_null(r);
    qc_iter_free(it);
    qc_store_free(s);
}
END_TEST

START_TEST(test_round_trip_every_kind)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    assert_counts(s, world_counts);
    qc_record *want = make(QC_KIND_CASE, "id=C2", "office=O2", "department=D2", "line=prosecution", "type=fraud",
                           "registered=2017-08-01", "source=assigned", "fact.defendants=12",
                           "fact.amount=3500000.25", "fact.first_of_kind=true", "fact.decided=2017-09-01",
                           "fact.court=中级人民法院", NULL);
    qc_record *got;
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_CASE, "C2"));
    assert_same(want, got);
    ck_assert_int_eq(qc_record_fact_type(got, 1), QC_TYPE_DECIMAL);
    ck_assert_double_eq(qc_record_fact_decimal(got, 1), 3500000.25);
    qc_record_free(got);
    qc_record_free(want);
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_PERSON, "P1"));
    ck_assert_str_eq(qc_record_text(got, QC_PERSON_NAME), "王明");
    ck_assert_int_eq(qc_record_int(got, QC_PERSON_IN_QUOTA), 1);
    ck_assert_str_eq(qc_record_text(got, QC_PERSON_VALID_TO), "2017-06-30");
    ck_assert_int_eq(qc_record_has(got, QC_PERSON_DEPARTMENT), 1);
    qc_record_free(got);
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_ACT, "A3"));
    ck_assert_str_eq(qc_record_text(got, QC_ACT_TIME), "2017-04-01T09:30:15");
    qc_record_free(got);
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_OFFICE, "O3"));
    ck_assert_str_eq(qc_record_text(got, QC_OFFICE_PARENT), "O2");
    ck_assert_int_eq(qc_record_int(got, QC_OFFICE_KIND), QC_OFFICE_PROCURATORATE);
    qc_record_free(got);
    ck_assert_qc_fails(qc_store_get(&got, s, QC_KIND_CASE, "C9"), QC_ENOTFOUND, "no case with id 'C9'");
    ck_assert_ptr_null(got);
    qc_store_free(s);
}
END_TEST

/* A value of n bytes: ASCII with a three-byte character at the end, so a
 * cut anywhere would show as a wrong length or broken UTF-8. */
static char *long_text(char fill, size_t n)
{
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, fill, n);
    memcpy(s + n - 3, "\xE6\xA1\x88", 3); /* 案 */
    s[n] = '\0';
    return s;
}

/* Every field and fact at its limit (ids 128 bytes, text 4096, 256 facts
 * per case), read back by id and by a whole-table iteration (which takes
 * facts from a cursor beside the cases): a record's text grows while it
 * is read, so a pointer into it kept across a read is caught here under
 * ASan and valgrind. */
START_TEST(test_values_at_their_limits)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    char *office = long_text('O', 128), *name = long_text('n', 4096), *case_id = long_text('C', 128);
    char *note = long_text('t', 4096), *fact_text = long_text('f', 4096);
    qc_record *r = make(QC_KIND_OFFICE, "kind=court", "level=basic", NULL);
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_ID, office));
    ck_assert_qc_ok(qc_record_set_text(r, QC_OFFICE_NAME, name));
    put(s, r);
    for (int c = 0; c < 3; c++) { /* cases before, at and after the one with facts */
        r = make(QC_KIND_CASE, "line=civil", "type=contract", "registered=2017-03-01", NULL);
        case_id[0] = (char)('A' + c);
        ck_assert_qc_ok(qc_record_set_text(r, QC_CASE_ID, case_id));
        ck_assert_qc_ok(qc_record_set_text(r, QC_CASE_OFFICE, office));
        ck_assert_qc_ok(qc_record_set_text(r, QC_CASE_TYPE, "contract"));
        for (int i = 0; c == 1 && i < 256; i++) {
            char fact[72];
            snprintf(fact, sizeof fact, "f%03d_%.59s", i, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh");
            ck_assert_qc_ok(qc_record_set_fact_text(r, fact, fact_text));
        }
        put(s, r);
    }
    r = make(QC_KIND_ACT, "kind=drafting", "time=2017-04-01", NULL);
    case_id[0] = 'B';
    ck_assert_qc_ok(qc_record_set_text(r, QC_ACT_CASE, case_id));
    qc_record_free(r);

    qc_record *got;
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_CASE, case_id));
    ck_assert_int_eq(qc_record_fact_count(got), 256);
    ck_assert_str_eq(qc_record_fact_text(got, 255), fact_text);
    ck_assert_str_eq(qc_record_text(got, QC_CASE_ID), case_id);
    qc_record_free(got);
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_OFFICE, office));
    ck_assert_str_eq(qc_record_text(got, QC_OFFICE_NAME), name);
    qc_record_free(got);

    qc_iter *it;
    const qc_record *c;
    int n = 0;
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_CASE, NULL));
    while (qc_iter_next(&c, it) == QC_OK) {
        case_id[0] = (char)('A' + n);
        ck_assert_str_eq(qc_record_text(c, QC_CASE_ID), case_id);
        ck_assert_int_eq(qc_record_fact_count(c), n == 1 ? 256 : 0);
        for (int i = 0; i < qc_record_fact_count(c); i++) ck_assert_str_eq(qc_record_fact_text(c, i), fact_text);
        n++;
    }
    ck_assert_int_eq(n, 3);
    qc_iter_free(it);

    /* one byte more is refused */
    char *over = long_text('x', 4097);
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
    ck_assert_int_eq(qc_record_set_text(r, QC_CASE_STAGE, over), QC_ETOOLONG);
    ck_assert_int_eq(qc_record_set_fact_text(r, "x", over), QC_ETOOLONG);
    over[129] = '\0';
    ck_assert_int_eq(qc_record_set_text(r, QC_CASE_ID, over), QC_ETOOLONG);
    qc_record_free(r);
    free(over);
    free(office), free(name), free(case_id), free(note), free(fact_text);
    qc_store_free(s);
}
END_TEST

START_TEST(test_duplicate_ids)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    qc_record *r = make(QC_KIND_CASE, "id=C1", "office=O2", "line=x", "type=y", "registered=2017-01-01",
                        "fact.n=1", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "C1");
    qc_record_free(r);
    r = make(QC_KIND_ACT, "id=A3", "case=C1", "person=P1", "kind=x", "time=2017-03-02", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "A3");
    qc_record_free(r);
    /* rows without an id are all they say: the same one again is taken (an
     * empty note is no note); one field otherwise is another row */
    r = make(QC_KIND_ACT, "case=C2", "person=P2", "kind=file_review", "time=2017-08-02", "note=", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "the same act is stored already");
    qc_record_free(r);
    r = make(QC_KIND_PARTICIPATION, "case=C2", "person=P2", "capacity=lead", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "the same participation");
    qc_record_free(r);
    r = make(QC_KIND_REVIEW, "case=C1", "grade=excellent", "scheme=spp2017", "reviewer=组长", "date=2017-06-01", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "the same review");
    qc_record_free(r);
    assert_counts(s, world_counts);
    put(s, make(QC_KIND_ACT, "case=C2", "person=P2", "kind=file_review", "time=2017-08-02", "note=again", NULL));
    put(s, make(QC_KIND_PARTICIPATION, "case=C2", "person=P2", "capacity=member", NULL));
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_ACT, NULL));
    ck_assert_int_eq(n, world_counts[QC_KIND_ACT] + 1);
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_PARTICIPATION, NULL));
    ck_assert_int_eq(n, world_counts[QC_KIND_PARTICIPATION] + 1);
    /* the failed case left no facts behind */
    qc_record *got;
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_CASE, "C1"));
    ck_assert_int_eq(qc_record_fact_count(got), 0);
    ck_assert_str_eq(qc_record_text(got, QC_CASE_OFFICE), "O1");
    qc_record_free(got);
    qc_store_free(s);
}
END_TEST

START_TEST(test_references)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    qc_record *r = make(QC_KIND_ACT, "case=C1", "person=P9", "kind=x", "time=2017-01-01", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_ENOREF, "act.person: no person with id 'P9'");
    qc_record_free(r);
    r = make(QC_KIND_PERSON, "id=P8", "name=x", "office=O1", "department=D9", "role=judge", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_ENOREF, "person.department: no department with id 'D9'");
    qc_record_free(r);
    r = make(QC_KIND_OFFICE, "id=O9", "name=x", "kind=court", "level=basic", "parent=O8", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_ENOREF, "office.parent");
    qc_record_free(r);
    r = make(QC_KIND_PARTICIPATION, "case=C1", "person=P1", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EMISSING, "participation.capacity");
    qc_record_free(r);
    assert_counts(s, world_counts);
    qc_store_free(s);
}
END_TEST

/* What a write must agree with in the store: acts within their case's
 * life and not in the future, departments of the right office, one
 * person's posts in one office one after another.  Each refusal leaves
 * the store as it was. */
START_TEST(test_consistency)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    static const struct { const char *fields[8]; qc_kind kind; int code; const char *needle; } bad[] = {
        {{"case=C1", "person=P1", "kind=x", "time=2017-02-28T23:59:59"}, QC_KIND_ACT, QC_EDATE,
         "act.time: 2017-02-28T23:59:59 is before case C1 was registered (2017-03-01)"},
        {{"case=C1", "person=P1", "kind=x", "time=2017-05-03"}, QC_KIND_ACT, QC_EDATE,
         "is after case C1 was closed (2017-05-02)"},
        {{"case=C3", "person=P2", "kind=x", "time=2030-01-03"}, QC_KIND_ACT, QC_EDATE,
         "act.time: 2030-01-03T00:00:00 is in the future (now is 2030-01-01T00:00:00 UTC)"},
        {{"id=C9", "office=O1", "department=D2", "line=civil", "type=x", "registered=2017-01-01"}, QC_KIND_CASE,
         QC_ENOREF, "case.department: department 'D2' belongs to office 'O2', not to its office 'O1'"},
        {{"id=P9", "name=x", "office=O1", "department=D2", "role=judge"}, QC_KIND_PERSON, QC_ENOREF,
         "person.department: department 'D2' belongs to office 'O2'"},
        {{"id=POST9", "person=P2", "office=O2", "department=D1", "role=judge", "valid_from=2019-01-01"}, QC_KIND_POST,
         QC_ENOREF, "post.department: department 'D1' belongs to office 'O1', not to its office 'O2'"},
        {{"id=POST9", "person=P1", "office=O2", "role=chief", "valid_from=2017-12-01"}, QC_KIND_POST, QC_EDATE,
         "post.valid_from: P1's post from 2017-12-01 overlaps post 'POST1' in office O2"},
        {{"id=POST9", "person=P1", "office=O1", "role=judge", "valid_from=2016-01-01", "valid_to=2017-01-01"},
         QC_KIND_POST, QC_EDATE, "overlaps the post of the person record in office O1"},
        {{"id=POST9", "person=P2", "office=O2", "role=deputy_chief", "valid_from=2019-01-01"}, QC_KIND_POST, QC_EDATE,
         "overlaps the post of the person record in office O2"},
    };
    ck_assert_qc_ok(qc_store_set_clock(s, 1893456000)); /* 2030-01-01 */
    ck_assert_qc_ok(qc_store_set_future_skew(s, 86400));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *const *f = bad[i].fields;
        qc_record *r = make(bad[i].kind, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
        int rc = qc_store_put(s, r);
        ck_assert_msg(rc == bad[i].code && strstr(qc_error_last(), bad[i].needle), "case %zu: got %s (%s), want %s (%s)",
                      i, qc_status_name(rc), qc_error_last(), qc_status_name(bad[i].code), bad[i].needle);
        qc_record_free(r);
    }
    assert_counts(s, world_counts);
    /* within bounds: the closing day, within the skew, a post in another
     * office beside one here, a post after the person record's ends */
    put(s, make(QC_KIND_ACT, "case=C1", "person=P1", "kind=x", "time=2017-05-02T18:00", NULL));
    put(s, make(QC_KIND_ACT, "case=C3", "person=P2", "kind=x", "time=2030-01-01T20:00", NULL));
    put(s, make(QC_KIND_POST, "id=POST8", "person=P1", "office=O1", "role=judge", "valid_from=2017-07-01", NULL));
    put(s, make(QC_KIND_POST, "id=POST7", "person=P3", "office=O1", "role=judge", "valid_from=2018-01-01", NULL));
    ck_assert_qc_fails(qc_store_set_clock(s, -1), QC_EINVAL, "before 1970");
    ck_assert_qc_fails(qc_store_set_future_skew(s, -1), QC_EINVAL, "negative");
    qc_store_free(s);
}
END_TEST

START_TEST(test_transactions)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    ck_assert_qc_ok(qc_store_begin(s));
    ck_assert_qc_fails(qc_store_begin(s), QC_ESTATE, "already open");
    put(s, make(QC_KIND_CASE, "id=C4", "office=O1", "line=civil", "type=x", "registered=2017-01-01",
                "fact.n=5", NULL));
    put(s, make(QC_KIND_ACT, "case=C4", "person=P1", "kind=file_review", "time=2017-01-02", NULL));
    ck_assert_int_eq(count(s, QC_KIND_CASE, NULL), 4); /* visible inside */
    ck_assert_qc_ok(qc_store_rollback(s));
    assert_counts(s, world_counts);
    qc_record *got;
    ck_assert_int_eq(qc_store_get(&got, s, QC_KIND_CASE, "C4"), QC_ENOTFOUND);
    /* the id is free again after rollback, facts included */
    ck_assert_qc_ok(qc_store_begin(s));
    put(s, make(QC_KIND_CASE, "id=C4", "office=O1", "line=civil", "type=x", "registered=2017-01-01",
                "fact.m=7", NULL));
    ck_assert_qc_ok(qc_store_commit(s));
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_CASE, "C4"));
    ck_assert_int_eq(qc_record_fact_count(got), 1);
    ck_assert_str_eq(qc_record_fact_name(got, 0), "m");
    qc_record_free(got);
    ck_assert_qc_fails(qc_store_commit(s), QC_ESTATE, "no transaction");
    ck_assert_qc_fails(qc_store_rollback(s), QC_ESTATE, "no transaction");
    qc_store_free(s);
}
END_TEST

START_TEST(test_batch_all_or_nothing)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    qc_record *recs[4] = {
        make(QC_KIND_CASE, "id=C10", "office=O1", "line=civil", "type=x", "registered=2017-01-01", NULL),
        make(QC_KIND_ACT, "case=C10", "person=P1", "kind=file_review", "time=2017-01-02", NULL),
        make(QC_KIND_ACT, "case=C10", "person=NOBODY", "kind=file_review", "time=2017-01-02", NULL),
        make(QC_KIND_CASE, "id=C11", "office=O1", "line=civil", "type=x", "registered=2017-01-01", NULL),
    };
    size_t failed = 99;
    ck_assert_qc_fails(qc_store_put_batch(s, (const qc_record *const *)recs, 4, &failed), QC_ENOREF,
                       "record 2: act.person");
    ck_assert_uint_eq(failed, 2);
    assert_counts(s, world_counts);
    /* the batch without the bad record goes in whole; a later record may
     * refer to an earlier one */
    qc_record *bad = recs[2];
    recs[2] = recs[3];
    ck_assert_qc_ok(qc_store_put_batch(s, (const qc_record *const *)recs, 3, NULL));
    ck_assert_int_eq(count(s, QC_KIND_CASE, NULL), 5);
    ck_assert_int_eq(count(s, QC_KIND_ACT, NULL), 5);
    for (int i = 0; i < 3; i++) qc_record_free(recs[i]);
    qc_record_free(bad);
    qc_store_free(s);
}
END_TEST

/* Collect the ids (or, for acts, the kinds) an iteration yields. */
static void iterate(qc_store *s, qc_kind kind, const qc_filter *f, int field, char *out, size_t size)
{
    qc_iter *it;
    const qc_record *r;
    int rc;
    out[0] = '\0';
    ck_assert_qc_ok(qc_iter_new(&it, s, kind, f));
    while ((rc = qc_iter_next(&r, it)) == QC_OK) {
        const char *v = qc_record_text(r, field);
        strncat(out, v ? v : "-", size - strlen(out) - 1);
        strncat(out, " ", size - strlen(out) - 1);
    }
    ck_assert_int_eq(rc, QC_ITEROVER);
    qc_iter_free(it);
    /* counting agrees with iterating */
    int64_t items = 0;
    for (const char *p = out; *p; p++) items += *p == ' ';
    ck_assert_int_eq(count(s, kind, f), items);
}

START_TEST(test_iteration_order)
{
    char uri[512];
    char got[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    iterate(s, QC_KIND_CASE, NULL, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C1 C2 C3 "); /* id order, not insertion order */
    iterate(s, QC_KIND_ACT, NULL, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "drafting file_review hearing_presided interrogation "); /* insertion order */
    qc_store_free(s);
}
END_TEST

/* By case: participations, acts and reviews in case id order, each
 * case's in the order recorded; other criteria still apply; asking for
 * fewer fields still returns those right. */
START_TEST(test_by_case_order)
{
    char uri[512], got[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    put(s, make(QC_KIND_ACT, "case=C1", "person=P2", "kind=approval", "time=2017-04-02", NULL));
    put(s, make(QC_KIND_PARTICIPATION, "case=C1", "person=P2", "capacity=member", NULL));
    put(s, make(QC_KIND_REVIEW, "case=C1", "grade=acceptable", "scheme=spp2026", "date=2017-06-02", NULL));
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_by_case(f, 1));
    ck_assert_int_eq(qc_filter_by_case(f), 1);
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "hearing_presided approval drafting file_review interrogation ");
    iterate(s, QC_KIND_PARTICIPATION, f, QC_PARTICIPATION_CAPACITY, got, sizeof got);
    ck_assert_str_eq(got, "sole member lead assistant ");
    iterate(s, QC_KIND_REVIEW, f, QC_REVIEW_GRADE, got, sizeof got);
    ck_assert_str_eq(got, "excellent acceptable basically_acceptable ");
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got); /* cases keep id order */
    ck_assert_str_eq(got, "C1 C2 C3 ");
    qc_filter_set_office(f, "O2");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "drafting file_review interrogation ");
    ck_assert_qc_ok(qc_filter_set_fields(f, 1u << QC_ACT_CASE | 1u << QC_ACT_KIND));
    ck_assert_uint_eq(qc_filter_fields(f), 1u << QC_ACT_CASE | 1u << QC_ACT_KIND);
    iterate(s, QC_KIND_ACT, f, QC_ACT_CASE, got, sizeof got);
    ck_assert_str_eq(got, "C2 C2 C3 ");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "drafting file_review interrogation ");
    qc_filter_free(f);
    qc_store_free(s);
}
END_TEST

/* Version 7: an office's subtree.  O2 > O3 > O4 (a chain, so that
 * "under" is transitive), O1 beside them. */
START_TEST(test_office_subtree)
{
    char uri[512], got[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    put(s, make(QC_KIND_OFFICE, "id=O4", "name=Station", "kind=procuratorate", "level=basic", "parent=O3", NULL));
    put(s, make(QC_KIND_PERSON, "id=P4", "name=Far", "office=O4", "role=chief", NULL));
    put(s, make(QC_KIND_CASE, "id=C0", "office=O4", "line=prosecution", "type=theft", "registered=2017-02-01", NULL));
    put(s, make(QC_KIND_CASE, "id=C9", "office=O3", "line=prosecution", "type=theft", "registered=2017-02-01", NULL));
    put(s, make(QC_KIND_ACT, "case=C0", "person=P4", "kind=file_review", "time=2017-02-02", NULL));
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_office(f, "O2");
    bool versioned = !target->version || target->version >= QC_BACKEND_VERSION_7;
    /* by default, and on every backend: the office alone */
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C2 C3 ");
    qc_filter_set_office_subtree(f, 1);
    if (!versioned) { /* an older backend serves an office with nothing under it */
        qc_filter_set_office(f, "O4");
        iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
        ck_assert_str_eq(got, "C0 ");
        qc_filter_free(f);
        qc_store_free(s);
        return;
    }
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got); /* in id order across offices */
    ck_assert_str_eq(got, "C0 C2 C3 C9 ");
    iterate(s, QC_KIND_OFFICE, f, QC_OFFICE_ID, got, sizeof got);
    ck_assert_str_eq(got, "O2 O3 O4 ");
    iterate(s, QC_KIND_PERSON, f, QC_PERSON_ID, got, sizeof got);
    ck_assert_str_eq(got, "P2 P3 P4 ");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got); /* through the case */
    ck_assert_str_eq(got, "drafting file_review interrogation file_review ");
    ck_assert_qc_ok(qc_filter_set_by_case(f, 1));
    iterate(s, QC_KIND_ACT, f, QC_ACT_CASE, got, sizeof got);
    ck_assert_str_eq(got, "C0 C2 C2 C3 ");
    int64_t n;
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, f));
    ck_assert_int_eq(n, 4);
    /* a leaf's subtree is the leaf; the root's, all but O1 */
    qc_filter_set_office(f, "O4");
    ck_assert_qc_ok(qc_store_count(&n, s, QC_KIND_CASE, f));
    ck_assert_int_eq(n, 1);
    /* the store's setting is the default a filter follows */
    qc_filter_free(f);
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_office(f, "O3");
    ck_assert_qc_ok(qc_store_set_office_subtree(s, 1));
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C0 C9 ");
    qc_filter_set_office_subtree(f, 0); /* the filter's own word wins */
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C9 ");
    qc_filter_free(f);
    qc_store_free(s);
}
END_TEST

static bool keeps_journal(void) { return !target->version || target->version >= QC_BACKEND_VERSION_5; }
static bool keeps_steps(void) { return !target->version || target->version >= QC_BACKEND_VERSION_6; }
static bool keeps_inspections(void) { return !target->version || target->version >= QC_BACKEND_VERSION_9; }

/* Every record of kind in s, every field's text, one line each. */
static void dump_kind(qc_store *s, qc_kind kind, char *out, size_t size)
{
    qc_iter *it;
    const qc_record *r;
    out[0] = '\0';
    ck_assert_qc_ok(qc_iter_new(&it, s, kind, NULL));
    while (qc_iter_next(&r, it) == QC_OK) {
        for (int i = 0; i < qc_field_count(kind); i++) {
            const char *v = qc_record_text(r, i);
            strncat(out, v ? v : "-", size - strlen(out) - 1);
            strncat(out, "|", size - strlen(out) - 1);
        }
        strncat(out, "\n", size - strlen(out) - 1);
    }
    qc_iter_free(it);
}

/* qc_store_copy: the whole store out of this backend and back into it,
 * journal and all; both sides verify with the same head. */
START_TEST(test_copy_out_and_back)
{
    if (!keeps_journal()) return;
    char uri[512], back_uri[512], a[4096], b[4096], head[160], head_m[160], head_back[160];
    qc_store *s = open_fresh(uri, sizeof uri), *m, *back;
    load_world(s);
    ck_assert_qc_ok(qc_store_open(&m, "memory:"));
    int64_t n, entries;
    ck_assert_qc_ok(qc_store_copy(m, s, &n));
    ck_assert_int_gt(n, 20);
    ck_assert_qc_fails(qc_store_copy(m, s, NULL), QC_ESTATE, "empty store"); /* never over what is there */
    back = open_fresh(back_uri, sizeof back_uri);
    ck_assert_qc_ok(qc_store_copy(back, m, NULL));
    qc_verify *v;
    qc_store *all[] = {s, m, back};
    char *heads[] = {head, head_m, head_back};
    for (int i = 0; i < 3; i++) {
        ck_assert_qc_ok(qc_store_verify(&v, all[i], NULL));
        qc_verify_free(v);
        ck_assert_qc_ok(qc_store_head(all[i], heads[i], sizeof head, &entries));
    }
    ck_assert_str_eq(head, head_m);
    ck_assert_str_eq(head, head_back);
    for (qc_kind kind = QC_KIND_OFFICE; kind < QC_KIND_REVISION; kind++) {
        dump_kind(s, kind, a, sizeof a);
        dump_kind(back, kind, b, sizeof b);
        ck_assert_str_eq(a, b);
    }
    /* the copy goes on where the source stopped */
    put(back, make(QC_KIND_OFFICE, "id=O9", "name=New", "kind=court", "level=basic", NULL));
    ck_assert_qc_ok(qc_store_verify(&v, back, NULL));
    qc_verify_free(v);
    qc_store_free(back);
    qc_store_free(m);
    qc_store_free(s);
}
END_TEST

/* A handle confined to O2 and the offices under it (qc_store_set_scope):
 * reads see only their records, writes outside are refused, the office
 * directory stays readable, the scope only narrows. */
START_TEST(test_office_scope)
{
    if (target->version && target->version < QC_BACKEND_VERSION_7) return; /* needs subtrees */
    char uri[512], got[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    put(s, make(QC_KIND_CASE, "id=C9", "office=O3", "line=prosecution", "type=theft", "registered=2017-02-01", NULL));
    bool duties = keeps_steps();
    if (duties) {
        put(s, make(QC_KIND_DUTY, "person=P1", "kind=committee_meeting", "date=2017-06-01", NULL));
        put(s, make(QC_KIND_DUTY, "person=P2", "kind=committee_meeting", "date=2017-07-01", NULL));
    }
    ck_assert_ptr_null(qc_store_scope(s));
    ck_assert_qc_fails(qc_store_set_scope(s, "NOPE"), QC_ENOTFOUND, "no office with id 'NOPE'");
    ck_assert_ptr_null(qc_store_scope(s));
    ck_assert_qc_ok(qc_store_set_scope(s, "O2"));
    ck_assert_str_eq(qc_store_scope(s), "O2");
    iterate(s, QC_KIND_CASE, NULL, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C2 C3 C9 ");
    iterate(s, QC_KIND_PERSON, NULL, QC_PERSON_ID, got, sizeof got);
    ck_assert_str_eq(got, "P2 P3 ");
    iterate(s, QC_KIND_ACT, NULL, QC_ACT_KIND, got, sizeof got); /* through the case */
    ck_assert_str_eq(got, "drafting file_review interrogation ");
    iterate(s, QC_KIND_REVIEW, NULL, QC_REVIEW_GRADE, got, sizeof got);
    ck_assert_str_eq(got, "basically_acceptable ");
    iterate(s, QC_KIND_OFFICE, NULL, QC_OFFICE_ID, got, sizeof got); /* the directory: all of it */
    ck_assert_str_eq(got, "O1 O2 O3 ");
    if (duties) {
        iterate(s, QC_KIND_DUTY, NULL, QC_DUTY_PERSON, got, sizeof got); /* by the person's office */
        ck_assert_str_eq(got, "P2 ");
    }
    /* a filter inside the scope narrows it; one beside it finds nothing */
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_office(f, "O3");
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C9 ");
    qc_filter_set_office(f, "O1");
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "");
    qc_filter_set_office(f, NULL);
    qc_filter_set_case(f, "C1");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "");
    qc_filter_free(f);
    /* by id: outside is not there */
    qc_record *r = NULL;
    ck_assert_int_eq(qc_store_get(&r, s, QC_KIND_CASE, "C1"), QC_ENOTFOUND);
    ck_assert_qc_ok(qc_store_get(&r, s, QC_KIND_CASE, "C2"));
    qc_record_free(r);
    /* writes: inside yes, outside refused, nothing written */
    put(s, make(QC_KIND_CASE, "id=C5", "office=O3", "line=prosecution", "type=theft", "registered=2017-02-02", NULL));
    r = make(QC_KIND_CASE, "id=C6", "office=O1", "line=civil", "type=contract", "registered=2017-02-02", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EDENIED, "case C6 is of office O1, outside this store's scope (O2");
    qc_record_free(r);
    r = make(QC_KIND_ACT, "case=C1", "person=P1", "kind=file_review", "time=2017-08-02", NULL);
    ck_assert_int_lt(qc_store_put(s, r), 0); /* C1 is not there to act on */
    qc_record_free(r);
    r = make(QC_KIND_OFFICE, "id=O5", "name=New", "kind=procuratorate", "level=basic", "parent=O3", NULL);
    ck_assert_qc_ok(qc_store_put(s, r)); /* a new office under the scope */
    qc_record_free(r);
    r = make(QC_KIND_OFFICE, "id=O6", "name=Else", "kind=court", "level=basic", "parent=O1", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EDENIED, "outside this store's scope");
    qc_record_free(r);
    /* the journal is every office's */
    qc_iter *it;
    if (keeps_journal()) ck_assert_qc_fails(qc_iter_new(&it, s, QC_KIND_REVISION, NULL), QC_EDENIED, "journal");
    /* a scope only narrows */
    ck_assert_qc_fails(qc_store_set_scope(s, "O1"), QC_EDENIED, "outside this store's scope");
    ck_assert_qc_ok(qc_store_set_scope(s, "O3"));
    iterate(s, QC_KIND_CASE, NULL, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C5 C9 ");
    qc_store_free(s);
    /* the other handle, unscoped, sees what was written and no more */
    if (target->persistent) {
        ck_assert_qc_ok(qc_store_open(&s, uri));
        iterate(s, QC_KIND_CASE, NULL, QC_CASE_ID, got, sizeof got);
        ck_assert_str_eq(got, "C1 C2 C3 C5 C9 ");
        qc_store_free(s);
    }
}
END_TEST

START_TEST(test_filters)
{
    char uri[512], got[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_office(f, "O2");
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C2 C3 ");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got); /* through the case */
    ck_assert_str_eq(got, "drafting file_review interrogation ");
    iterate(s, QC_KIND_PERSON, f, QC_PERSON_ID, got, sizeof got);
    ck_assert_str_eq(got, "P2 P3 ");
    iterate(s, QC_KIND_OFFICE, f, QC_OFFICE_ID, got, sizeof got);
    ck_assert_str_eq(got, "O2 ");
    /* unordered: the same records, in any order */
    ck_assert_qc_ok(qc_filter_set_unordered(f, 1));
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_int_eq(strlen(got), strlen("drafting file_review interrogation "));
    ck_assert_ptr_nonnull(strstr(got, "drafting "));
    ck_assert_ptr_nonnull(strstr(got, "file_review "));
    ck_assert_ptr_nonnull(strstr(got, "interrogation "));
    ck_assert_qc_ok(qc_filter_set_unordered(f, 0));
    iterate(s, QC_KIND_REVIEW, f, QC_REVIEW_GRADE, got, sizeof got);
    ck_assert_str_eq(got, "basically_acceptable ");
    /* dates: inclusive on both ends */
    ck_assert_qc_ok(qc_filter_set_office(f, NULL));
    int64_t from, to;
    qc_date_parse(&from, "2017-03-01");
    qc_date_parse(&to, "2017-08-01");
    ck_assert_qc_ok(qc_filter_set_dates(f, from, to));
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "C1 C2 ");
    iterate(s, QC_KIND_PARTICIPATION, f, QC_PARTICIPATION_CAPACITY, got, sizeof got);
    ck_assert_str_eq(got, "sole lead assistant ");
    iterate(s, QC_KIND_PERSON, f, QC_PERSON_ID, got, sizeof got); /* validity overlaps */
    ck_assert_str_eq(got, "P1 P2 ");
    qc_date_parse(&from, "2018-01-06");
    qc_date_parse(&to, "2018-01-06");
    ck_assert_qc_ok(qc_filter_set_dates(f, from, to));
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got); /* 23:59:59 is still that day */
    ck_assert_str_eq(got, "interrogation ");
    iterate(s, QC_KIND_POST, f, QC_POST_ID, got, sizeof got);
    ck_assert_str_eq(got, "POST1 ");
    qc_filter_free(f);

    ck_assert_qc_ok(qc_filter_new(&f));
    qc_filter_set_person(f, "P2");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "file_review interrogation ");
    qc_filter_set_case(f, "C2");
    iterate(s, QC_KIND_ACT, f, QC_ACT_KIND, got, sizeof got);
    ck_assert_str_eq(got, "file_review ");
    qc_filter_set_person(f, NULL);
    qc_filter_set_line(f, "prosecution");
    iterate(s, QC_KIND_PARTICIPATION, f, QC_PARTICIPATION_PERSON, got, sizeof got);
    ck_assert_str_eq(got, "P2 P3 ");
    qc_filter_set_case(f, NULL);
    iterate(s, QC_KIND_DEPARTMENT, f, QC_DEPARTMENT_ID, got, sizeof got);
    ck_assert_str_eq(got, "D2 ");
    qc_filter_set_line(f, "no_such_line");
    iterate(s, QC_KIND_CASE, f, QC_CASE_ID, got, sizeof got);
    ck_assert_str_eq(got, "");
    /* criteria a kind cannot have are refused, not ignored */
    qc_iter *it;
    qc_filter_set_line(f, NULL);
    qc_filter_set_person(f, "P1");
    ck_assert_qc_fails(qc_iter_new(&it, s, QC_KIND_CASE, f), QC_EINVAL, "case records cannot be filtered by person");
    int64_t n;
    ck_assert_qc_fails(qc_store_count(&n, s, QC_KIND_OFFICE, f), QC_EINVAL, "by person");
    qc_filter_free(f);
    qc_store_free(s);
}
END_TEST

START_TEST(test_failed_import_changes_nothing)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    static const char csv[] =
        "case,person,kind,time\n"
        "C1,P1,file_review,2017-04-02\n"
        "C2,P2,interrogation,2017-08-05\n"
        "C3,P7,interrogation,2018-01-07\n";
    int64_t n = 42;
    ck_assert_qc_fails(qc_store_import_buffer(s, csv, sizeof csv - 1, "csv", "acts.csv", QC_KIND_NONE, &n),
                       QC_ENOREF, "acts.csv:4:4: act.person: no person with id 'P7'");
    ck_assert_int_eq(n, 0);
    assert_counts(s, world_counts);
    size_t good_part = (size_t)(strstr(csv, "C3,P7") - csv); /* the first two acts */
    ck_assert_qc_ok(qc_store_import_buffer(s, csv, good_part, "csv", "acts.csv", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(count(s, QC_KIND_ACT, NULL), 6);
    qc_store_free(s);
}
END_TEST

/* A file bigger than one lot of a bulk-writing backend (put_many writes a
 * few thousand at a time): the same answers as one put per record -
 * duplicates in the file and in the store are unchanged, a reference to
 * nobody past the first lot is located and writes nothing. */
START_TEST(test_import_in_bulk)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    enum { ROWS = 9000 };
    size_t size = 64 + (size_t)ROWS * 64;
    char *text = malloc(size), *o = text, when[32];
    ck_assert_ptr_nonnull(text);
    o += sprintf(o, "case,person,kind,time,note\n");
    for (int i = 0; i < ROWS; i++) { /* a minute apart from 2017-03-02 10:00, inside case C1 */
        qc_datetime_format(when, sizeof when, 17227 * 86400LL + 36000 + 60LL * i);
        o += sprintf(o, "C1,P1,file_review,%s,n%d\n", when, i % 7);
    }
    qc_datetime_format(when, sizeof when, 17227 * 86400LL + 36000);
    o += sprintf(o, "C1,P1,file_review,%s,n0\n", when); /* row 2 again */
    int64_t n = 0, before = count(s, QC_KIND_ACT, NULL);
    ck_assert_qc_ok(qc_store_import_buffer(s, text, strlen(text), "csv", "acts.csv", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, ROWS);
    ck_assert_int_eq(qc_store_import_unchanged(s), 1);
    ck_assert_int_eq(count(s, QC_KIND_ACT, NULL), before + ROWS);
    ck_assert_qc_ok(qc_store_import_buffer(s, text, strlen(text), "csv", "acts.csv", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(qc_store_import_unchanged(s), ROWS + 1);
    /* a new lot with nobody at row 6002, after one whole lot */
    o = text + strlen("case,person,kind,time,note\n");
    for (int i = 0; i < 7000; i++) {
        qc_datetime_format(when, sizeof when, 17228 * 86400LL + 36000 + 10LL * i);
        o += sprintf(o, "C1,%s,drafting,%s,\n", i == 6000 ? "NOBODY" : "P1", when);
    }
    *o = '\0';
    ck_assert_qc_fails(qc_store_import_buffer(s, text, strlen(text), "csv", "acts.csv", QC_KIND_NONE, &n), QC_ENOREF,
                       "acts.csv:6002:4: act.person: no person with id 'NOBODY'");
    ck_assert_int_eq(count(s, QC_KIND_ACT, NULL), before + ROWS);
    if (keeps_journal()) {
        qc_verify *v;
        ck_assert_qc_ok(qc_store_verify(&v, s, NULL));
        qc_verify_free(v);
    }
    free(text);
    qc_store_free(s);
}
END_TEST

/* Version 3: records of one kind may be put while an iteration over
 * another is open on the same store, and the iteration reads on as it
 * would have (a whole-store classification writes as it reads). */
START_TEST(test_writes_while_iterating)
{
    if (target->version && target->version < QC_BACKEND_VERSION_3) return; /* not promised */
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    qc_iter *it;
    const qc_record *kase;
    char seen[256] = "";
    ck_assert_qc_ok(qc_store_begin(s));
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_CASE, NULL));
    while (qc_iter_next(&kase, it) == QC_OK) {
        const char *id = qc_record_text(kase, QC_CASE_ID);
        strncat(seen, id, sizeof seen - strlen(seen) - 2);
        strcat(seen, " ");
        char cid[64], ckv[80];
        snprintf(cid, sizeof cid, "id=%s@t@1", id);
        snprintf(ckv, sizeof ckv, "case=%s", id);
        put(s, make(QC_KIND_CLASSIFICATION, cid, ckv, "rules=t", "version=1", "primary=ordinary",
                    "labels=ordinary", "weight=1", "date=2018-01-01", NULL));
    }
    qc_iter_free(it);
    ck_assert_qc_ok(qc_store_commit(s));
    ck_assert_str_eq(seen, "C1 C2 C3 ");
    ck_assert_int_eq(count(s, QC_KIND_CLASSIFICATION, NULL), 3);
    qc_store_free(s);
}
END_TEST

START_TEST(test_persistence)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    if (!target->persistent) {
        qc_store_free(s);
        return;
    }
    load_world(s);
    qc_store_free(s);
    ck_assert_qc_ok(qc_store_open(&s, uri));
    assert_counts(s, world_counts);
    qc_record *got;
    ck_assert_qc_ok(qc_store_get(&got, s, QC_KIND_CASE, "C2"));
    ck_assert_int_eq(qc_record_fact_count(got), 5);
    qc_record_free(got);
    qc_store_free(s);
}
END_TEST

/* ---- records that change (version 4): amend, withdraw, history, as of ---- */

static bool keeps_history(void) { return !target->version || target->version >= QC_BACKEND_VERSION_4; }

/* The history of the world as loaded: one insert per record, after the
 * entry that begins the journal (from backend version 5). */
#define WORLD_REVISIONS (21 + (keeps_journal() ? 1 : 0))

static const int64_t T_LOAD = 1517443200;    /* 2018-02-01T00:00:00 */
static const int64_t T_CHANGE = 1519862400;  /* 2018-03-01T00:00:00 */

/* The world loaded at T_LOAD by 录入员, then the clock at T_CHANGE. */
static qc_store *open_world_with_history(char *uri, size_t size)
{
    qc_store *s = open_fresh(uri, size);
    ck_assert_qc_ok(qc_store_set_clock(s, T_LOAD));
    ck_assert_qc_ok(qc_store_set_actor(s, "录入员"));
    load_world(s);
    ck_assert_qc_ok(qc_store_set_clock(s, T_CHANGE));
    ck_assert_qc_ok(qc_store_set_actor(s, "张三"));
    return s;
}

static qc_record *get(qc_store *s, qc_kind kind, const char *id)
{
    qc_record *r;
    ck_assert_qc_ok(qc_store_get(&r, s, kind, id));
    return r;
}

/* Get kind id, set field to value (NULL: unset), amend for reason. */
static int amend_field(qc_store *s, qc_kind kind, const char *id, int field, const char *value, const char *reason)
{
    qc_record *r = get(s, kind, id);
    ck_assert_qc_ok(qc_record_set_text(r, field, value));
    int rc = qc_store_amend(s, r, reason);
    qc_record_free(r);
    return rc;
}

static int64_t history_length(qc_store *s, qc_kind kind, const char *id)
{
    qc_iter *it;
    const qc_record *r;
    int64_t n = 0;
    ck_assert_qc_ok(qc_store_history(&it, s, kind, id));
    while (qc_iter_next(&r, it) == QC_OK) n++;
    qc_iter_free(it);
    return n;
}

START_TEST(test_amend_every_kind)
{
    char uri[512];
    if (!keeps_history()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS);
    ck_assert_qc_ok(amend_field(s, QC_KIND_OFFICE, "O3", QC_OFFICE_NAME, "Branch office", "名称更正"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_DEPARTMENT, "D1", QC_DEPARTMENT_NAME, "民一庭", "renamed"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_PERSON, "P2", QC_PERSON_NAME, "李 华", "misspelt"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_POST, "POST1", QC_POST_VALID_TO, "2017-12-31", "post ended"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_STAGE, "closed", "stage"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_PARTICIPATION, "PA3", QC_PARTICIPATION_CAPACITY, "co_handler", "capacity"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_ACT, "A3", QC_ACT_NOTE, "庭审", "note added"));
    /* a fact corrected */
    qc_record *c2 = get(s, QC_KIND_CASE, "C2");
    ck_assert_qc_ok(qc_record_set_fact_int(c2, "defendants", 11));
    ck_assert_qc_ok(qc_store_amend(s, c2, "one defendant was counted twice"));
    qc_record_free(c2);
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS + 9);
    assert_counts(s, world_counts); /* corrected, not added */

    /* what is read now is the new version, facts and all */
    qc_record *r = get(s, QC_KIND_CASE, "C3");
    ck_assert_str_eq(qc_record_text(r, QC_CASE_CLOSED), "2018-01-10");
    ck_assert_str_eq(qc_record_text(r, QC_CASE_STAGE), "closed");
    qc_record_free(r);
    r = get(s, QC_KIND_CASE, "C2");
    ck_assert_int_eq(qc_record_fact_count(r), 5);
    ck_assert_int_eq(qc_record_fact_int(r, qc_record_fact_find(r, "defendants")), 11);
    ck_assert_str_eq(qc_record_fact_text(r, qc_record_fact_find(r, "court")), "中级人民法院");
    qc_record_free(r);
    r = get(s, QC_KIND_POST, "POST1");
    ck_assert_str_eq(qc_record_text(r, QC_POST_VALID_TO), "2017-12-31");
    qc_record_free(r);
    r = get(s, QC_KIND_PERSON, "P2");
    ck_assert_str_eq(qc_record_text(r, QC_PERSON_NAME), "李 华");
    qc_record_free(r);

    /* the history of C3: inserted by 录入员, closed and staged by 张三 */
    qc_iter *it;
    const qc_record *rev;
    ck_assert_qc_ok(qc_store_history(&it, s, QC_KIND_CASE, "C3"));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_OP), QC_OP_INSERT);
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_ACTOR), "录入员");
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_RECORDED), T_LOAD);
    ck_assert_ptr_null(qc_record_text(rev, QC_REVISION_PRIOR));
    ck_assert_ptr_null(strstr(qc_record_text(rev, QC_REVISION_BODY), "closed="));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_OP), QC_OP_AMEND);
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_KIND), "case");
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_RECORD), "C3");
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_ACTOR), "张三");
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_REASON), "closed");
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_RECORDED), T_CHANGE);
    ck_assert_ptr_null(strstr(qc_record_text(rev, QC_REVISION_PRIOR), "closed="));
    ck_assert_ptr_nonnull(strstr(qc_record_text(rev, QC_REVISION_BODY), "closed=2018-01-10\n"));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_REASON), "stage");
    ck_assert_int_eq(qc_iter_next(&rev, it), QC_ITEROVER);
    qc_iter_free(it);
    ck_assert_int_eq(history_length(s, QC_KIND_CASE, "C2"), 2);
    ck_assert_int_eq(history_length(s, QC_KIND_CASE, "C9"), 0);
    qc_store_free(s);
}
END_TEST

START_TEST(test_amend_refused)
{
    char uri[512];
    if (!keeps_history()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", NULL), QC_EMISSING, "reason");
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", ""), QC_EMISSING, "reason");
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "\xff\xfe"), QC_EUTF8,
                       "reason is not valid UTF-8");
    /* C3's act is on 2018-01-06: the case cannot close before it, nor be registered after it */
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-05", "x"), QC_EDATE, "act");
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_REGISTERED, "2018-01-07", "x"), QC_EDATE,
                       "registered");
    /* closed before registered; an unknown office; a department of another office */
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C1", QC_CASE_CLOSED, "2017-01-01", "x"), QC_EDATE, "closed");
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C1", QC_CASE_OFFICE, "O9", "x"), QC_ENOREF, "O9");
    ck_assert_qc_fails(amend_field(s, QC_KIND_CASE, "C1", QC_CASE_DEPARTMENT, "D2", "x"), QC_ENOREF, "D2");
    /* a department moved to an office its case and person are not in */
    ck_assert_qc_fails(amend_field(s, QC_KIND_DEPARTMENT, "D1", QC_DEPARTMENT_OFFICE, "O2", "x"), QC_ENOREF,
                       "names department D1");
    /* an act moved after its case was closed */
    ck_assert_qc_fails(amend_field(s, QC_KIND_ACT, "A3", QC_ACT_TIME, "2017-06-01", "x"), QC_EDATE, "closed");
    /* no such record; a record without an id */
    qc_record *r = make(QC_KIND_CASE, "id=C9", "office=O1", "line=civil", "type=x", "registered=2017-01-01", NULL);
    ck_assert_qc_fails(qc_store_amend(s, r, "x"), QC_ENOTFOUND, "C9");
    qc_record_free(r);
    r = make(QC_KIND_ACT, "case=C2", "person=P2", "kind=file_review", "time=2017-08-02", NULL);
    ck_assert_qc_fails(qc_store_amend(s, r, "x"), QC_EMISSING, "id");
    qc_record_free(r);
    ck_assert_qc_fails(qc_store_amend(NULL, NULL, "x"), QC_EINVAL, "NULL");
    /* the same as stored: nothing written */
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C1", QC_CASE_STAGE, "closed", "no change"));
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS);
    qc_record *c1 = get(s, QC_KIND_CASE, "C1");
    ck_assert_str_eq(qc_record_text(c1, QC_CASE_CLOSED), "2017-05-02");
    qc_record_free(c1);
    assert_counts(s, world_counts);
    /* the actor: UTF-8, at most 128 bytes; NULL or "" is the login name again */
    char long_name[200];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    ck_assert_qc_fails(qc_store_set_actor(s, long_name), QC_ETOOLONG, "128 bytes");
    ck_assert_qc_fails(qc_store_set_actor(s, "\xff"), QC_EUTF8, "UTF-8");
    ck_assert_str_eq(qc_store_actor(s), "张三");
    ck_assert_qc_ok(qc_store_set_actor(s, NULL));
    ck_assert_ptr_nonnull(qc_store_actor(s));
    ck_assert_str_ne(qc_store_actor(s), "张三");
    ck_assert_uint_gt(strlen(qc_store_actor(s)), 0);
    ck_assert_qc_fails(qc_store_set_actor(NULL, "x"), QC_EINVAL, "NULL");
    ck_assert_ptr_null(qc_store_actor(NULL));
    qc_iter *hist;
    ck_assert_qc_fails(qc_store_history(&hist, s, QC_KIND_REVISION, "1"), QC_EINVAL, "kind");
    ck_assert_ptr_null(hist);
    /* the history is the store's own */
    r = make(QC_KIND_REVISION, "kind=case", "record=C1", "op=insert", "recorded=2018-01-01T00:00:00", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EVALUE, "history");
    ck_assert_qc_fails(qc_store_amend(s, r, "x"), QC_EINVAL, "history");
    ck_assert_qc_fails(qc_store_withdraw_record(s, r, "x"), QC_EINVAL, "history");
    qc_record_free(r);
    static const char forged[] = "revisions:\n  - {kind: case, record: C1, op: withdraw, recorded: 2018-01-01}\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, forged, strlen(forged), "yaml", "forged.yaml", QC_KIND_NONE, NULL),
                       QC_EVALUE, "forged.yaml:2");
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS);
    qc_store_free(s);
}
END_TEST

START_TEST(test_withdraw)
{
    char uri[512];
    if (!keeps_history()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_ACT, "A3", "recorded on the wrong case"));
    qc_record *act = make(QC_KIND_ACT, "case=C2", "person=P3", "kind=drafting", "time=2017-08-03T10:00", "note=初稿", NULL);
    ck_assert_qc_ok(qc_store_withdraw_record(s, act, "a duplicate"));
    ck_assert_qc_fails(qc_store_withdraw_record(s, act, "again"), QC_ENOTFOUND, "act");
    qc_record_free(act);
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_PARTICIPATION, "PA3", "not on the case"));
    ck_assert_int_eq(count(s, QC_KIND_ACT, NULL), 2);
    ck_assert_int_eq(count(s, QC_KIND_PARTICIPATION, NULL), 2);
    qc_record *got;
    ck_assert_int_eq(qc_store_get(&got, s, QC_KIND_ACT, "A3"), QC_ENOTFOUND);
    /* kept in the history, with its last version */
    qc_iter *it;
    const qc_record *rev;
    ck_assert_qc_ok(qc_store_history(&it, s, QC_KIND_ACT, "A3"));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_int_eq(qc_record_int(rev, QC_REVISION_OP), QC_OP_WITHDRAW);
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_REASON), "recorded on the wrong case");
    ck_assert_ptr_null(qc_record_text(rev, QC_REVISION_BODY));
    ck_assert_ptr_nonnull(strstr(qc_record_text(rev, QC_REVISION_PRIOR), "kind=hearing_presided\n"));
    qc_iter_free(it);
    /* what something names stays; what is not there cannot go; a reason is required */
    ck_assert_qc_fails(qc_store_withdraw(s, QC_KIND_CASE, "C1", "x"), QC_ENOREF, "names it");
    ck_assert_qc_fails(qc_store_withdraw(s, QC_KIND_PERSON, "P1", "x"), QC_ENOREF, "names it");
    ck_assert_qc_fails(qc_store_withdraw(s, QC_KIND_ACT, "A9", "x"), QC_ENOTFOUND, "no act with id 'A9'");
    ck_assert_qc_fails(qc_store_withdraw(s, QC_KIND_REVIEW, "R1", NULL), QC_EMISSING, "reason");
    ck_assert_qc_fails(qc_store_withdraw_record(s, NULL, "x"), QC_EINVAL, "NULL argument");
    qc_record *a3 = make(QC_KIND_ACT, "id=A3", NULL);
    ck_assert_qc_fails(qc_store_withdraw_record(NULL, a3, "x"), QC_EINVAL, "NULL argument");
    qc_record_free(a3);
    /* a case without anything on it can go, facts and all; its id is free again */
    put(s, make(QC_KIND_CASE, "id=C4", "office=O1", "line=civil", "type=x", "registered=2017-01-01", "fact.n=1", NULL));
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_CASE, "C4", "registered twice"));
    put(s, make(QC_KIND_CASE, "id=C4", "office=O1", "line=civil", "type=y", "registered=2017-01-02", NULL));
    got = get(s, QC_KIND_CASE, "C4");
    ck_assert_int_eq(qc_record_fact_count(got), 0);
    ck_assert_str_eq(qc_record_text(got, QC_CASE_TYPE), "y");
    qc_record_free(got);
    ck_assert_int_eq(history_length(s, QC_KIND_CASE, "C4"), 3);
    qc_store_free(s);
}
END_TEST

START_TEST(test_changes_roll_back)
{
    char uri[512];
    if (!keeps_history()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    ck_assert_qc_ok(qc_store_begin(s));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-11", "closed later"));
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_ACT, "A3", "wrong"));
    ck_assert_qc_ok(amend_field(s, QC_KIND_PARTICIPATION, "PA3", QC_PARTICIPATION_CAPACITY, "x", "y"));
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_PARTICIPATION, "PA3", "wrong"));
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS + 5);
    ck_assert_qc_ok(qc_store_rollback(s));
    assert_counts(s, world_counts);
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS);
    qc_record *r = get(s, QC_KIND_CASE, "C3");
    ck_assert_ptr_null(qc_record_text(r, QC_CASE_CLOSED));
    qc_record_free(r);
    r = get(s, QC_KIND_PARTICIPATION, "PA3");
    ck_assert_str_eq(qc_record_text(r, QC_PARTICIPATION_CAPACITY), "assistant");
    qc_record_free(r);
    qc_record_free(get(s, QC_KIND_ACT, "A3"));
    /* and the same changes again, committed */
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_int_eq(count(s, QC_KIND_REVISION, NULL), WORLD_REVISIONS + 1);
    qc_store_free(s);
}
END_TEST

/* Every record of every kind but the history, as canonical text, one per line. */
static void snapshot(qc_store *s, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int k = QC_KIND_OFFICE; k < QC_KIND_REVISION; k++) {
        qc_iter *it;
        const qc_record *r;
        ck_assert_qc_ok(qc_iter_new(&it, s, (qc_kind)k, NULL));
        while (qc_iter_next(&r, it) == QC_OK) {
            size_t need;
            ck_assert_qc_ok(qc_record_encode(r, out + n, size - n, &need));
            n += need - 1;
            ck_assert_uint_lt(n + 2, size);
            out[n++] = '\n';
            out[n] = '\0';
        }
        qc_iter_free(it);
    }
}

START_TEST(test_as_of)
{
    char uri[512];
    if (!keeps_history()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    static char before[16384], then[16384], after[16384];
    snapshot(s, before, sizeof before);
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_ACT, "A3", "wrong case"));
    qc_record *act = make(QC_KIND_ACT, "case=C2", "person=P2", "kind=file_review", "time=2017-08-02", NULL);
    ck_assert_qc_ok(qc_store_withdraw_record(s, act, "duplicate"));
    qc_record_free(act);
    put(s, make(QC_KIND_CASE, "id=C4", "office=O1", "line=civil", "type=x", "registered=2017-01-01", "fact.n=1", NULL));
    ck_assert_qc_ok(qc_store_set_clock(s, T_CHANGE + 3600));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-12", "closed later"));
    snapshot(s, after, sizeof after);

    /* as recorded at T_LOAD: the world as loaded, none of the changes */
    qc_store *old;
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_CHANGE - 1));
    snapshot(old, then, sizeof then);
    ck_assert_str_eq(then, before);
    assert_counts(old, world_counts);
    ck_assert_int_eq(count(old, QC_KIND_REVISION, NULL), WORLD_REVISIONS); /* the history up to then */
    /* read-only */
    ck_assert_qc_fails(qc_store_withdraw(old, QC_KIND_ACT, "A3", "x"), QC_ESTATE, "past");
    qc_record *c = make(QC_KIND_CASE, "id=C5", "office=O1", "line=civil", "type=x", "registered=2017-01-01", NULL);
    ck_assert_qc_fails(qc_store_put(old, c), QC_ESTATE, "past");
    qc_record_free(c);
    qc_store_free(old);

    /* between the two amendments of C3 */
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_CHANGE + 60));
    c = get(old, QC_KIND_CASE, "C3");
    ck_assert_str_eq(qc_record_text(c, QC_CASE_CLOSED), "2018-01-10");
    qc_record_free(c);
    ck_assert_int_eq(count(old, QC_KIND_CASE, NULL), 4);
    qc_store_free(old);

    /* now, and before anything */
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_CHANGE + 7200));
    snapshot(old, then, sizeof then);
    ck_assert_str_eq(then, after);
    qc_store_free(old);
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_LOAD - 1));
    static const int64_t zero[QC_KIND_COUNT] = {0};
    assert_counts(old, zero);
    qc_store_free(old);
    /* the store it came from may go first */
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_CHANGE - 1));
    qc_store_free(s);
    ck_assert_int_eq(count(old, QC_KIND_ACT, NULL), 4);
    qc_store_free(old);
}
END_TEST

START_TEST(test_canonical_text)
{
    char uri[512];
    qc_store *s = open_fresh(uri, sizeof uri);
    load_world(s);
    for (int k = QC_KIND_OFFICE; k < QC_KIND_REVISION; k++) {
        qc_iter *it;
        const qc_record *r;
        ck_assert_qc_ok(qc_iter_new(&it, s, (qc_kind)k, NULL));
        while (qc_iter_next(&r, it) == QC_OK) {
            char text[2048];
            qc_record *back;
            ck_assert_qc_ok(qc_record_encode(r, text, sizeof text, NULL));
            ck_assert_qc_ok(qc_record_new(&back, (qc_kind)k));
            ck_assert_qc_ok(qc_record_decode(back, text));
            assert_same(r, back);
            qc_record_free(back);
        }
        qc_iter_free(it);
    }
    qc_record *c = get(s, QC_KIND_CASE, "C2");
    char text[2048], small[8];
    size_t need;
    ck_assert_qc_ok(qc_record_encode(c, text, sizeof text, &need));
    ck_assert_str_eq(text, "id=C2\noffice=O2\ndepartment=D2\nline=prosecution\ntype=fraud\nregistered=2017-08-01\n"
                           "source=assigned\nfact.defendants:int=12\nfact.amount:decimal=3500000.25\n"
                           "fact.first_of_kind:bool=true\nfact.decided:date=2017-09-01\nfact.court:text=中级人民法院\n");
    ck_assert_uint_eq(need, strlen(text) + 1);
    ck_assert_qc_fails(qc_record_encode(c, small, sizeof small, &need), QC_ETOOLONG, "needed");
    ck_assert_str_eq(small, "id=C2\no");
    ck_assert_uint_eq(need, strlen(text) + 1);
    need = 0; /* asking for the size alone: no buffer */
    ck_assert_int_eq(qc_record_encode(c, NULL, 0, &need), QC_ETOOLONG);
    ck_assert_uint_eq(need, strlen(text) + 1);
    ck_assert_qc_fails(qc_record_encode(c, NULL, 8, &need), QC_EINVAL, "NULL");
    ck_assert_qc_fails(qc_record_decode(c, "fact.x:blob=1\n"), QC_ESYNTAX, "without a type");
    /* a line break and a backslash in a value stay in the value */
    ck_assert_qc_ok(qc_record_set_fact_text(c, "court", "a\\nb\nc\\"));
    ck_assert_qc_ok(qc_record_encode(c, text, sizeof text, NULL));
    ck_assert_ptr_nonnull(strstr(text, "fact.court:text=a\\\\nb\\nc\\\\\n"));
    qc_record *back;
    ck_assert_qc_ok(qc_record_new(&back, QC_KIND_CASE));
    ck_assert_qc_ok(qc_record_decode(back, text));
    ck_assert_str_eq(qc_record_fact_text(back, qc_record_fact_find(back, "court")), "a\\nb\nc\\");
    /* a decimal too large for digits alone: an exponent every reader takes */
    ck_assert_qc_ok(qc_record_set_fact_decimal(c, "big", 1e308));
    ck_assert_qc_ok(qc_record_encode(c, text, sizeof text, NULL));
    ck_assert_ptr_nonnull(strstr(text, "fact.big:decimal=1e308\n"));
    ck_assert_qc_ok(qc_record_decode(back, text));
    ck_assert(qc_record_fact_decimal(back, qc_record_fact_find(back, "big")) == 1e308);
    /* a backslash with nothing after it (no encoder writes one) stays a backslash */
    ck_assert_qc_ok(qc_record_decode(back, "id=C2\nfact.court:text=end\\"));
    ck_assert_str_eq(qc_record_fact_text(back, qc_record_fact_find(back, "court")), "end\\");
    ck_assert_qc_fails(qc_record_decode(back, "id=C2\nnothing\n"), QC_ESYNTAX, "line 2");
    ck_assert_qc_fails(qc_record_decode(back, "id=C2\ncolour=red\n"), QC_EUNKNOWN, "colour");
    ck_assert_qc_fails(qc_record_decode(back, "fact.x=1\n"), QC_ESYNTAX, "type");
    ck_assert_qc_fails(qc_record_decode(back, "registered=2017-02-30\n"), QC_EDATE, "line 1");
    qc_record_free(back);
    qc_record_free(c);
    qc_store_free(s);
}
END_TEST

/* ---- the journal ---- */

static void head_of(qc_store *s, char *buf, size_t size, int64_t *entries)
{
    ck_assert_qc_ok(qc_store_head(s, buf, size, entries));
}

/* verify: QC_OK, every entry checked, the head as qc_store_head gives it. */
static void assert_verifies(qc_store *s)
{
    char head[160];
    int64_t entries;
    qc_verify *v;
    head_of(s, head, sizeof head, &entries);
    ck_assert_qc_ok(qc_store_verify(&v, s, NULL));
    ck_assert_int_eq(qc_verify_entries(v), entries);
    ck_assert_str_eq(qc_verify_head(v), head);
    ck_assert_int_eq(qc_verify_bad_entry(v), 0);
    qc_verify_free(v);
}

START_TEST(test_journal_chain)
{
    char uri[512], head[160], ref_head[160], small[8];
    int64_t entries, ref_entries;
    if (!keeps_journal()) return;
    qc_store *s = open_fresh(uri, sizeof uri);
    head_of(s, head, sizeof head, &entries); /* nothing written: not begun */
    ck_assert_str_eq(head, "none:");
    ck_assert_int_eq(entries, 0);
    assert_verifies(s);
    qc_store_free(s);

    s = open_world_with_history(uri, sizeof uri);
    head_of(s, head, sizeof head, &entries);
    ck_assert_int_eq(entries, WORLD_REVISIONS);
    ck_assert_int_eq(strlen(head), strlen("sha256:") + 64);
    ck_assert_msg(!strncmp(head, "sha256:", 7), "%s", head);
    ck_assert_qc_fails(qc_store_head(s, small, sizeof small, NULL), QC_ETOOLONG, "bytes");
    assert_verifies(s);
    /* every entry numbered in order, each hashed */
    qc_iter *it;
    const qc_record *rev;
    int64_t n = 0;
    ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_REVISION, NULL));
    while (qc_iter_next(&rev, it) == QC_OK) {
        ck_assert_int_eq(qc_record_int(rev, QC_REVISION_SEQ), ++n);
        ck_assert_int_eq(strlen(qc_record_text(rev, QC_REVISION_HASH)), 64);
    }
    qc_iter_free(it);
    ck_assert_int_eq(n, entries);

    /* the same records by the same actor at the same time: the same head
     * on the memory backend, byte for byte the same canonical entries */
    qc_store *ref;
    ck_assert_qc_ok(qc_store_open(&ref, "memory:"));
    ck_assert_qc_ok(qc_store_set_clock(ref, T_LOAD));
    ck_assert_qc_ok(qc_store_set_actor(ref, "录入员"));
    load_world(ref);
    head_of(ref, ref_head, sizeof ref_head, &ref_entries);
    ck_assert_str_eq(head, ref_head);
    ck_assert_int_eq(entries, ref_entries);

    /* a change moves the head; a rolled back one does not */
    ck_assert_qc_ok(qc_store_begin(s));
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_qc_ok(qc_store_rollback(s));
    head_of(s, ref_head, sizeof ref_head, NULL);
    ck_assert_str_eq(head, ref_head);
    ck_assert_qc_ok(amend_field(s, QC_KIND_CASE, "C3", QC_CASE_CLOSED, "2018-01-10", "closed"));
    ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_ACT, "A3", "wrong case"));
    head_of(s, ref_head, sizeof ref_head, &ref_entries);
    ck_assert_str_ne(head, ref_head);
    ck_assert_int_eq(ref_entries, entries + 2);
    assert_verifies(s);

    /* was the head after loading ever the head: yes, at its entry; a head
     * this store never had: no */
    qc_verify *v;
    ck_assert_qc_ok(qc_store_verify(&v, s, head));
    ck_assert_int_eq(qc_verify_head_seen(v), entries);
    qc_verify_free(v);
    ck_assert_qc_ok(qc_store_verify(&v, s, head + 7)); /* the hex alone */
    ck_assert_int_eq(qc_verify_head_seen(v), entries);
    qc_verify_free(v);
    ck_assert_qc_ok(qc_store_verify(&v, ref, head));
    ck_assert_int_eq(qc_verify_head_seen(v), entries);
    qc_verify_free(v);
    ck_assert_qc_ok(qc_store_verify(&v, ref, ref_head));
    ck_assert_int_eq(qc_verify_head_seen(v), 0);
    qc_verify_free(v);

    /* the store as of a past time is the journal up to then: it verifies */
    qc_store *old;
    ck_assert_qc_ok(qc_store_open_as_of(&old, s, T_LOAD));
    assert_verifies(old);
    head_of(old, ref_head, sizeof ref_head, NULL);
    ck_assert_str_eq(head, ref_head);
    qc_store_free(old);
    qc_store_free(ref);
    qc_store_free(s);
}
END_TEST

START_TEST(test_journal_algorithms)
{
    char uri[512], head[160];
    if (!keeps_journal()) return;
    qc_store *s = open_fresh(uri, sizeof uri);
    ck_assert_qc_fails(qc_store_set_hash(s, "md5"), QC_EVALUE, "md5");
    ck_assert_qc_ok(qc_store_set_hash(s, "sm3"));
    head_of(s, head, sizeof head, NULL);
    ck_assert_msg(!strncmp(head, "sm3:", 4) && strlen(head) == 4 + 64, "%s", head);
    load_world(s);
    assert_verifies(s);
    ck_assert_qc_ok(qc_store_set_hash(s, "sm3")); /* the same: nothing to do */
    ck_assert_qc_fails(qc_store_set_hash(s, "sha256"), QC_EEXIST, "sm3");
    qc_store_free(s);
    /* the algorithm is the store's: a new handle reads it from the journal */
    if (!target->persistent) return;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    put(s, make(QC_KIND_OFFICE, "id=O9", "name=Later", "kind=court", "level=basic", NULL));
    head_of(s, head, sizeof head, NULL);
    ck_assert_msg(!strncmp(head, "sm3:", 4), "%s", head);
    assert_verifies(s);
    qc_store_free(s);
}
END_TEST

/* ---- procedural steps (version 6) ---- */


START_TEST(test_steps)
{
    char uri[512], got[512];
    if (!keeps_steps()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    put(s, make(QC_KIND_STEP, "case=C2", "kind=intake_prosecution", "date=2017-08-01", "person=P2", NULL));
    put(s, make(QC_KIND_STEP, "id=S2", "case=C3", "kind=intake_prosecution", "date=2018-01-05", NULL));
    put(s, make(QC_KIND_STEP, "case=C2", "kind=return_supplementary", "date=2017-08-20", "note=证据不足", NULL));
    put(s, make(QC_KIND_STEP, "case=C1", "kind=filing", "date=2017-03-01", NULL));
    ck_assert_int_eq(count(s, QC_KIND_STEP, NULL), 4);
    /* an id-less step is everything it says: the same again is refused */
    qc_record *r = make(QC_KIND_STEP, "case=C2", "kind=return_supplementary", "date=2017-08-20", "note=证据不足", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "step");
    qc_record_free(r);
    /* a step names a case and a person that exist */
    r = make(QC_KIND_STEP, "case=C9", "kind=filing", "date=2017-03-01", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    r = make(QC_KIND_STEP, "case=C1", "kind=filing", "date=2017-03-01", "person=P9", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    ck_assert_int_eq(count(s, QC_KIND_STEP, NULL), 4);

    /* by case, in the order recorded within one case */
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_by_case(f, 1));
    iterate(s, QC_KIND_STEP, f, QC_STEP_KIND, got, sizeof got);
    ck_assert_str_eq(got, "filing intake_prosecution return_supplementary intake_prosecution ");
    qc_filter_set_office(f, "O2");
    iterate(s, QC_KIND_STEP, f, QC_STEP_CASE, got, sizeof got);
    ck_assert_str_eq(got, "C2 C2 C3 ");
    qc_filter_free(f);
    /* by date, and by case */
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_dates(f, 17380 /* 2017-08-02 */, 17532 /* 2018-01-01 */));
    ck_assert_int_eq(count(s, QC_KIND_STEP, f), 1);
    qc_filter_free(f);
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_case(f, "C2"));
    ck_assert_int_eq(count(s, QC_KIND_STEP, f), 2);
    qc_filter_free(f);

    /* corrected and withdrawn like any record, the history kept */
    if (keeps_history()) {
        ck_assert_qc_ok(amend_field(s, QC_KIND_STEP, "S2", QC_STEP_DATE, "2018-01-06", "wrong day"));
        r = get(s, QC_KIND_STEP, "S2");
        ck_assert_str_eq(qc_record_text(r, QC_STEP_DATE), "2018-01-06");
        qc_record_free(r);
        ck_assert_int_eq(history_length(s, QC_KIND_STEP, "S2"), 2);
        ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_STEP, "S2", "recorded on the wrong case"));
        ck_assert_int_eq(qc_store_get(&r, s, QC_KIND_STEP, "S2"), QC_ENOTFOUND);
        ck_assert_int_eq(count(s, QC_KIND_STEP, NULL), 3);
    }
    if (keeps_journal()) assert_verifies(s);
    qc_store_free(s);
}
END_TEST

START_TEST(test_duties_and_notices)
{
    char uri[512], got[512];
    if (!keeps_steps()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    put(s, make(QC_KIND_DUTY, "person=P1", "kind=committee_meeting", "date=2017-06-01", NULL));
    put(s, make(QC_KIND_DUTY, "person=P1", "kind=petitioner_received", "date=2017-06-02", "count=3", NULL));
    put(s, make(QC_KIND_DUTY, "id=DU3", "person=P2", "kind=committee_meeting", "date=2017-07-01", "note=第5次", NULL));
    qc_record *r = make(QC_KIND_DUTY, "person=P1", "kind=petitioner_received", "date=2017-06-02", "count=3", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "duty");
    qc_record_free(r);
    r = make(QC_KIND_DUTY, "person=P9", "kind=committee_meeting", "date=2017-06-01", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_person(f, "P1"));
    iterate(s, QC_KIND_DUTY, f, QC_DUTY_KIND, got, sizeof got);
    ck_assert_str_eq(got, "committee_meeting petitioner_received ");
    ck_assert_qc_ok(qc_filter_set_dates(f, 17319 /* 2017-06-02 */, 17319));
    ck_assert_int_eq(count(s, QC_KIND_DUTY, f), 1);
    qc_filter_free(f);
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_office(f, "O1"));
    qc_iter *it;
    ck_assert_qc_fails(qc_iter_new(&it, s, QC_KIND_DUTY, f), QC_EINVAL, "filter by person");
    qc_filter_free(f);

    /* a notice: issued, then answered by amending it */
    put(s, make(QC_KIND_NOTICE, "id=N1", "case=C2", "node=prosecution_review", "level=red", "issued=2017-09-10",
                "by=案件管理部", "reason=审查起诉超期", NULL));
    r = make(QC_KIND_NOTICE, "id=N2", "case=C2", "level=yellow", "issued=2017-09-10", "by=案件管理部", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EMISSING, "reason");
    qc_record_free(r);
    ck_assert_int_eq(count(s, QC_KIND_NOTICE, NULL), 1);
    if (keeps_history()) {
        r = get(s, QC_KIND_NOTICE, "N1");
        ck_assert_qc_ok(qc_record_set_text(r, QC_NOTICE_ANSWERED, "2017-09-12"));
        ck_assert_qc_ok(qc_record_set_text(r, QC_NOTICE_ANSWER, "已提起公诉，整改完毕"));
        ck_assert_qc_ok(qc_store_amend(s, r, "answered"));
        qc_record_free(r);
        r = get(s, QC_KIND_NOTICE, "N1");
        ck_assert_str_eq(qc_record_text(r, QC_NOTICE_ANSWERED), "2017-09-12");
        qc_record_free(r);
        ck_assert_int_eq(history_length(s, QC_KIND_NOTICE, "N1"), 2);
        ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_DUTY, "DU3", "recorded for the wrong person"));
        ck_assert_int_eq(count(s, QC_KIND_DUTY, NULL), 2);
    }
    if (keeps_journal()) assert_verifies(s);
    qc_store_free(s);
}
END_TEST

/* Inspections, the cases they selected (with reviews made for them) and
 * case assignments: records like any other, filtered as documented. */
START_TEST(test_inspections_and_assignments)
{
    char uri[512], got[512];
    if (!keeps_inspections()) return;
    qc_store *s = open_world_with_history(uri, sizeof uri);
    put(s, make(QC_KIND_INSPECTION, "id=I1", "office=O2", "plan=quality-2017", "plan_hash=sha256:ab",
                "period_from=2017-01-01", "period_to=2017-12-31", "seed=20180105", "head=sha256:cd", "entries=12",
                "cases=2", "list_hash=sha256:ef", "by=案件管理部", "drawn=2018-01-05T10:00", NULL));
    qc_record *r = make(QC_KIND_INSPECTION, "id=I2", "office=O9", "plan=p", "plan_hash=h", "period_from=2017-01-01",
                        "period_to=2017-12-31", "seed=1", "head=h", "cases=0", "list_hash=h", "by=x",
                        "drawn=2018-01-05", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    put(s, make(QC_KIND_SELECTION, "case=C2", "inspection=I1", "stratum=office=O2", "reason=name_only", NULL));
    put(s, make(QC_KIND_SELECTION, "case=C3", "inspection=I1", "stratum=office=O2", "reason=sample", NULL));
    r = make(QC_KIND_SELECTION, "case=C3", "inspection=I1", "stratum=office=O2", "reason=sample", NULL);
    ck_assert_qc_fails(qc_store_put(s, r), QC_EEXIST, "selection");
    qc_record_free(r);
    r = make(QC_KIND_SELECTION, "case=C1", "inspection=I9", "stratum=all", "reason=sample", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    /* a review made for the inspection names it */
    put(s, make(QC_KIND_REVIEW, "id=RV9", "case=C2", "grade=flawed", "scheme=spp2017", "date=2018-02-01",
                "inspection=I1", NULL));
    r = get(s, QC_KIND_REVIEW, "RV9");
    ck_assert_str_eq(qc_record_text(r, QC_REVIEW_INSPECTION), "I1");
    qc_record_free(r);
    r = make(QC_KIND_REVIEW, "case=C2", "grade=flawed", "scheme=spp2017", "date=2018-02-01", "inspection=I9", NULL);
    ck_assert_int_eq(qc_store_put(s, r), QC_ENOREF);
    qc_record_free(r);
    /* assignments: by person and date */
    put(s, make(QC_KIND_ASSIGNMENT, "case=C2", "person=P2", "method=random", "date=2017-08-01", "by=系统",
                "seed=C2-2017", "candidates=P2:0.5,P3:1", NULL));
    put(s, make(QC_KIND_ASSIGNMENT, "id=AS2", "case=C3", "person=P2", "method=designated", "date=2018-01-05",
                "by=检察长", "reason=重大案件", NULL));
    ck_assert_qc_ok(qc_record_new(&r, QC_KIND_ASSIGNMENT));
    ck_assert_int_eq(qc_record_set_text(r, QC_ASSIGNMENT_METHOD, "by_lot"), QC_EVALUE);
    qc_record_free(r);
    qc_filter *f;
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_person(f, "P2"));
    iterate(s, QC_KIND_ASSIGNMENT, f, QC_ASSIGNMENT_METHOD, got, sizeof got);
    ck_assert_str_eq(got, "random designated ");
    ck_assert_qc_ok(qc_filter_set_dates(f, 17532 /* 2018-01-01 */, 17897));
    iterate(s, QC_KIND_ASSIGNMENT, f, QC_ASSIGNMENT_CASE, got, sizeof got);
    ck_assert_str_eq(got, "C3 ");
    qc_filter_free(f);
    /* inspections by office (through the tree) and by a period that overlaps theirs */
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_office(f, "O1"));
    ck_assert_int_eq(count(s, QC_KIND_INSPECTION, f), 0);
    ck_assert_qc_ok(qc_filter_set_office(f, "O2"));
    ck_assert_int_eq(count(s, QC_KIND_INSPECTION, f), 1);
    ck_assert_qc_ok(qc_filter_set_dates(f, 17532, 17897)); /* 2018: after its period */
    ck_assert_int_eq(count(s, QC_KIND_INSPECTION, f), 0);
    ck_assert_qc_ok(qc_filter_set_dates(f, 17300, 17400));
    ck_assert_int_eq(count(s, QC_KIND_INSPECTION, f), 1);
    qc_filter_free(f);
    /* selections by case and by the case's office; never by dates */
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_case(f, "C2"));
    iterate(s, QC_KIND_SELECTION, f, QC_SELECTION_REASON, got, sizeof got);
    ck_assert_str_eq(got, "name_only ");
    qc_filter_free(f);
    ck_assert_qc_ok(qc_filter_new(&f));
    ck_assert_qc_ok(qc_filter_set_dates(f, 17300, 17400));
    qc_iter *it;
    ck_assert_qc_fails(qc_iter_new(&it, s, QC_KIND_SELECTION, f), QC_EINVAL, "dates");
    qc_filter_free(f);
    ck_assert_int_eq(count(s, QC_KIND_SELECTION, NULL), 2);
    if (keeps_history()) {
        ck_assert_qc_ok(qc_store_withdraw(s, QC_KIND_ASSIGNMENT, "AS2", "assigned to the wrong case"));
        ck_assert_int_eq(count(s, QC_KIND_ASSIGNMENT, NULL), 1);
    }
    if (keeps_journal()) assert_verifies(s);
    qc_store_free(s);
}
END_TEST

/* check fixtures take no arguments, so each suite gets a setup function of
 * its own that points `target` at its target before every test. */
#define MAX_TARGETS 8
static const qc_conformance_target *targets[MAX_TARGETS];
#define SETUP(i) static void setup##i(void) { target = targets[i]; }
SETUP(0) SETUP(1) SETUP(2) SETUP(3) SETUP(4) SETUP(5) SETUP(6) SETUP(7)
static void (*const setups[MAX_TARGETS])(void) = {setup0, setup1, setup2, setup3,
                                                  setup4, setup5, setup6, setup7};
static int ntargets;

Suite *qc_conformance_suite(const qc_conformance_target *t)
{
    if (ntargets == MAX_TARGETS) return NULL;
    targets[ntargets] = t;
    char name[128];
    snprintf(name, sizeof name, "conformance:%s", t->name);
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(t->name);
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setups[ntargets++], NULL);
    tcase_add_test(tc, test_empty_store);
    tcase_add_test(tc, test_round_trip_every_kind);
    tcase_add_test(tc, test_values_at_their_limits);
    tcase_add_test(tc, test_duplicate_ids);
    tcase_add_test(tc, test_references);
    tcase_add_test(tc, test_consistency);
    tcase_add_test(tc, test_transactions);
    tcase_add_test(tc, test_batch_all_or_nothing);
    tcase_add_test(tc, test_iteration_order);
    tcase_add_test(tc, test_by_case_order);
    tcase_add_test(tc, test_filters);
    tcase_add_test(tc, test_office_subtree);
    tcase_add_test(tc, test_office_scope);
    tcase_add_test(tc, test_copy_out_and_back);
    tcase_add_test(tc, test_import_in_bulk);
    tcase_add_test(tc, test_failed_import_changes_nothing);
    tcase_add_test(tc, test_writes_while_iterating);
    tcase_add_test(tc, test_persistence);
    tcase_add_test(tc, test_amend_every_kind);
    tcase_add_test(tc, test_amend_refused);
    tcase_add_test(tc, test_withdraw);
    tcase_add_test(tc, test_changes_roll_back);
    tcase_add_test(tc, test_as_of);
    tcase_add_test(tc, test_canonical_text);
    tcase_add_test(tc, test_journal_chain);
    tcase_add_test(tc, test_journal_algorithms);
    tcase_add_test(tc, test_steps);
    tcase_add_test(tc, test_duties_and_notices);
    tcase_add_test(tc, test_inspections_and_assignments);
    suite_add_tcase(s, tc);
    return s;
}
