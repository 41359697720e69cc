/* SPDX-License-Identifier: MIT
 * check_threads.c - what the header says threads may share, shared.
 *
 * Four threads read the same records (fields and facts in text form), the
 * same rules, one classifier (each classifying into its own result), one
 * office table and one assessment (leaders, verdicts, the evidence written
 * when first asked for), and must each see exactly what one thread saw
 * alone.  `make check-tsan` runs this program (and the assessment tests,
 * which start threads of their own) under ThreadSanitizer in a build of
 * its own; here it checks the results.
 */
#include "config.h"

#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define THREADS 4
#define CASES 64

static qc_rules *rules;
static qc_classifier *classifier;
static qc_offices *offices;
static qc_assessment *assessment;
static qc_record *cases[CASES];

/* Everything a reader can see, as one string (the caller frees it). */
static char *read_everything(void)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    qc_result *res;
    if (!out || qc_result_new(&res, classifier) != QC_OK) abort();
#define ADD(...) (len += (size_t)snprintf(out + len, cap - len, __VA_ARGS__), len < cap ? (void)0 : abort())
    for (int i = 0; i < CASES; i++) {
        const qc_record *k = cases[i];
        ADD("%s %s %s|", qc_record_text(k, QC_CASE_ID), qc_record_text(k, QC_CASE_REGISTERED), qc_record_text(k, QC_CASE_SOURCE));
        for (int f = 0; f < qc_record_fact_count(k); f++) ADD("%s=%s,", qc_record_fact_name(k, f), qc_record_fact_text(k, f));
        if (qc_classify_into(res, classifier, k) != QC_OK) abort();
        ADD(" -> %s %g (%d rules)\n", qc_result_primary(res), qc_result_weight(res), qc_result_match_count(res));
    }
    for (int i = 0; i < qc_assessment_leader_count(assessment); i++)
        ADD("%s %g/%g %s\n", qc_assessment_leader_person(assessment, i), qc_assessment_leader_counted(assessment, i),
            qc_assessment_leader_required(assessment, i), qc_assessment_leader_status(assessment, i));
    for (int v = 0; v < qc_assessment_verdict_count(assessment); v++)
        ADD("%s %s %.60s\n", qc_assessment_verdict_case(assessment, v), qc_assessment_verdict(assessment, v),
            qc_assessment_verdict_evidence(assessment, v));
    ADD("%s %s %d\n", qc_rules_name(rules, 0), qc_rules_version(rules, 0), qc_offices_level(offices, "O"));
#undef ADD
    qc_result_free(res);
    return out;
}

static void *reader(void *arg)
{
    (void)arg;
    return read_everything();
}

static const char store_yaml[] =
    "offices:\n  - {id: P, name: 省院, kind: procuratorate, level: provincial}\n"
    "  - {id: O, name: 某检察院, kind: procuratorate, level: basic, parent: P}\n"
    "departments:\n  - {id: D, office: O, name: 第一检察部, line: prosecution}\n"
    "people:\n"
    "  - {id: C, name: 检察长, office: O, department: D, role: chief, in_quota: true}\n"
    "  - {id: P1, name: 甲, office: O, department: D, role: prosecutor, in_quota: true}\n"
    "  - {id: A, name: 助理, office: O, department: D, role: assistant, in_quota: false}\n";

START_TEST(test_shared_readers_see_what_one_sees)
{
    qc_store *store;
    char path[512];
    ck_assert_qc_ok(qc_store_open(&store, "memory:"));
    ck_assert_qc_ok(qc_store_import_buffer(store, store_yaml, sizeof store_yaml - 1, "yaml", "o.yaml", QC_KIND_NONE, NULL));
    for (int i = 0; i < CASES; i++) {
        char id[16], on[16], reg[32], def[32], amount[40], who[16];
        snprintf(id, sizeof id, "id=K%02d", i);
        snprintf(on, sizeof on, "case=K%02d", i);
        snprintf(reg, sizeof reg, "registered=2017-%02d-%02d", 5 + i % 7, 1 + i % 27);
        snprintf(def, sizeof def, "fact.defendants=%d", 1 + i % 12);
        snprintf(amount, sizeof amount, "fact.amount=%d.5", i * 100000);
        cases[i] = qc_test_record(QC_KIND_CASE, id, "office=O", "department=D", "line=prosecution", "type=fraud", reg,
                                  def, amount, i % 3 ? "source=random" : "source=assigned", NULL);
        ck_assert_qc_ok(qc_store_put(store, cases[i]));
        snprintf(who, sizeof who, "person=%s", i % 4 ? "P1" : "C");
        qc_record *p = qc_test_record(QC_KIND_PARTICIPATION, on, who, "capacity=lead", NULL);
        ck_assert_qc_ok(qc_store_put(store, p));
        qc_record_free(p);
        qc_record *act = qc_test_record(QC_KIND_ACT, on, who, i % 5 ? "kind=file_review" : "kind=drafting",
                                        "time=2017-12-01T10:00", NULL);
        ck_assert_qc_ok(qc_store_put(store, act));
        qc_record_free(act);
    }
    snprintf(path, sizeof path, "%s/liaoning-2017.yaml", QC_EXAMPLES);
    ck_assert_qc_ok(qc_rules_load_file(&rules, path));
    ck_assert_qc_ok(qc_offices_load(&offices, store));
    ck_assert_qc_ok(qc_classifier_new(&classifier, rules));
    ck_assert_qc_ok(qc_classifier_set_offices(classifier, offices));
    ck_assert_qc_ok(qc_classifier_set_today(classifier, 17600));
    int64_t from, to;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    ck_assert_qc_ok(qc_assess(&assessment, rules, store, NULL, from, to));
    qc_store_free(store); /* the assessment keeps what it needs */

    char *alone = read_everything();
    ck_assert_msg(strstr(alone, "-> complex") && strstr(alone, "-> assigned"), "%s", alone); /* the cases classify, and differently */
    ck_assert_ptr_nonnull(strstr(alone, "-> ordinary"));
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, reader, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *seen;
        ck_assert_int_eq(pthread_join(t[i], &seen), 0);
        ck_assert_msg(!strcmp(seen, alone), "thread %d saw something else:\n%s\n---\n%s", i, (char *)seen, alone);
        free(seen);
    }
    free(alone);
    qc_assessment_free(assessment);
    qc_classifier_free(classifier);
    qc_offices_free(offices);
    qc_rules_free(rules);
    for (int i = 0; i < CASES; i++) qc_record_free(cases[i]);
}
END_TEST

/* verify counts the tables in a thread of its own beside the chain, on
 * two readers of one snapshot: the same outcome as one thread, whether the
 * store is clean, a table row changed (the worker's count decides) or the
 * chain broken (the worker is stopped). */
static void sql(const char *path, const char *statement)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(db, statement, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static int verify_with(const char *uri, int threads, char *head, size_t size)
{
    qc_store *s;
    qc_verify *v;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    ck_assert_qc_ok(qc_store_set_threads(s, threads));
    int rc = qc_store_verify(&v, s, NULL);
    snprintf(head, size, "%s|%lld|%s", qc_verify_head(v), (long long)qc_verify_bad_entry(v), qc_verify_bad_id(v));
    qc_verify_free(v);
    qc_store_free(s);
    return rc;
}

START_TEST(test_verify_in_two_threads)
{
    char path[256], uri[300], one[256], two[256];
    snprintf(path, sizeof path, "%s/qc-verify-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    unlink(path);
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    ck_assert_qc_ok(qc_store_import_buffer(s, store_yaml, sizeof store_yaml - 1, "yaml", "o.yaml", QC_KIND_NONE, NULL));
    for (int i = 0; i < 200; i++) {
        char id[16], reg[32];
        snprintf(id, sizeof id, "id=K%03d", i);
        snprintf(reg, sizeof reg, "registered=2017-%02d-10", 1 + i % 12);
        qc_record *c = qc_test_record(QC_KIND_CASE, id, "office=O", "line=prosecution", "type=fraud", reg, NULL);
        ck_assert_qc_ok(qc_store_put(s, c));
        qc_record_free(c);
    }
    qc_store_free(s);
    ck_assert_qc_ok(verify_with(uri, 2, two, sizeof two));
    ck_assert_qc_ok(verify_with(uri, 1, one, sizeof one));
    ck_assert_str_eq(one, two);
    sql(path, "UPDATE cases SET type = 'theft' WHERE id = 'K123'");
    ck_assert_int_eq(verify_with(uri, 2, two, sizeof two), QC_ETAMPERED);
    ck_assert_int_eq(verify_with(uri, 1, one, sizeof one), QC_ETAMPERED);
    ck_assert_str_eq(one, two);
    ck_assert_ptr_nonnull(strstr(two, "|K123"));
    sql(path, "UPDATE revisions SET actor = 'x' WHERE seq = 5");
    ck_assert_int_eq(verify_with(uri, 2, two, sizeof two), QC_ETAMPERED);
    ck_assert_int_eq(verify_with(uri, 1, one, sizeof one), QC_ETAMPERED);
    ck_assert_str_eq(one, two);
    ck_assert_ptr_nonnull(strstr(two, "|5|"));
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}
END_TEST

/* The office table: added by hand, replaced, read; levels reach rules. */
START_TEST(test_office_table)
{
    qc_offices *o;
    ck_assert_qc_ok(qc_offices_new(&o));
    ck_assert_qc_ok(qc_offices_add(o, "DL", QC_OFFICE_PROCURATORATE, QC_LEVEL_CITY, "LN"));
    ck_assert_qc_ok(qc_offices_add(o, "LN", QC_OFFICE_PROCURATORATE, QC_LEVEL_PROVINCIAL, NULL));
    ck_assert_int_eq(qc_offices_count(o), 2);
    ck_assert_int_eq(qc_offices_level(o, "DL"), QC_LEVEL_CITY);
    ck_assert_str_eq(qc_offices_parent(o, "DL"), "LN");
    ck_assert_ptr_null(qc_offices_parent(o, "LN"));
    ck_assert_qc_ok(qc_offices_add(o, "DL", QC_OFFICE_PROCURATORATE, QC_LEVEL_BASIC, NULL)); /* replaced */
    ck_assert_int_eq(qc_offices_count(o), 2);
    ck_assert_int_eq(qc_offices_level(o, "DL"), QC_LEVEL_BASIC);
    ck_assert_ptr_null(qc_offices_parent(o, "DL"));
    ck_assert_qc_fails(qc_offices_level(o, "XX"), QC_ENOTFOUND, "no office with id 'XX'");
    ck_assert_int_eq(qc_offices_count(NULL), 0);
    qc_offices *none = (qc_offices *)1;
    ck_assert_int_eq(qc_offices_load(&none, NULL), QC_EINVAL);
    ck_assert_ptr_null(none); /* a failure leaves NULL */
    ck_assert_bad_index(qc_offices_parent(NULL, "DL"));
    ck_assert_bad_index(qc_offices_parent(o, NULL));
    ck_assert_ptr_null(qc_offices_parent(o, "XX"));
    ck_assert_int_eq(qc_error_code(), QC_ENOTFOUND);
    ck_assert_qc_fails(qc_offices_add(o, "X", 9, 0, NULL), QC_EVALUE, "not an office kind");
    ck_assert_qc_fails(qc_offices_add(o, "X", 0, 9, NULL), QC_EVALUE, "not an office level");
    /* a rule scoped to basic offices sees the level through the table */
    ck_assert_qc_ok(qc_rules_load_string(&rules,
        "name: t\nversion: '1'\neffective_from: 2017-01-01\nfacts: {}\nlabels: [{id: local}, {id: other, fallback: true}]\n"
        "classify:\n  - {id: r, label: local, when: case.office_level == basic}\n", "t.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&classifier, rules));
    qc_record *k = qc_test_record(QC_KIND_CASE, "id=K", "office=DL", "line=x", "type=y", "registered=2017-06-01", NULL);
    const qc_result *res;
    ck_assert_qc_ok(qc_classify(&res, classifier, k));
    ck_assert_str_eq(qc_result_primary(res), "other"); /* no table: level unknown */
    ck_assert_qc_ok(qc_classifier_set_offices(classifier, o));
    ck_assert_qc_ok(qc_classify(&res, classifier, k));
    ck_assert_str_eq(qc_result_primary(res), "local");
    /* a result made for other rules is refused */
    qc_rules *other;
    qc_classifier *c2;
    qc_result *foreign;
    ck_assert_qc_ok(qc_rules_load_string(&other,
        "name: u\nversion: '1'\neffective_from: 2017-01-01\nfacts: {}\nlabels: [{id: a}, {id: b, fallback: true}]\n"
        "classify:\n  - {id: r, label: a, when: case.line == x}\n", "u.yaml"));
    ck_assert_qc_ok(qc_classifier_new(&c2, other));
    ck_assert_qc_ok(qc_result_new(&foreign, c2));
    ck_assert_qc_fails(qc_classify_into(foreign, classifier, k), QC_EINVAL, "made for other rules");
    qc_result_free(foreign);
    qc_classifier_free(c2);
    qc_rules_free(other);
    qc_record_free(k);
    qc_classifier_free(classifier);
    qc_rules_free(rules);
    qc_offices_free(o);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_shared_readers_see_what_one_sees);
    tcase_add_test(tc, test_office_table);
    tcase_add_test(tc, test_verify_in_two_threads);
    suite_add_tcase(s, tc);
    return qc_test_run(s);
}
