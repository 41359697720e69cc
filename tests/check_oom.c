/* SPDX-License-Identifier: MIT
 * check_oom.c - running out of memory at every allocation of a job.
 *
 * The program replaces malloc, calloc, realloc and free (glibc lets a
 * program do so, and the library's calls, libc's own included, reach the
 * replacement) with a counting allocator that can fail the Nth allocation
 * from a given moment.  For N = 0, 1, 2, ... until the job needs fewer
 * allocations than N, the job must either succeed or fail with exactly
 * QC_ENOMEM and a NULL output, and the number of live allocations must be
 * what it was before: a failure leaks nothing.
 *
 * The jobs: an assessment of a small court (verdicts, quotas, name-only
 * handling), of a procuratorate with reviews and scores, the loading of a
 * rule file, an office table, and imports of YAML and CSV (a failed one
 * leaves the store empty; one that succeeds despite a failed allocation
 * holds everything).  Under AddressSanitizer or ThreadSanitizer (which own
 * malloc) and under
 * valgrind (whose own allocator must see every block) the test is skipped.
 */
#include "config.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdatomic.h>
#include <stdio.h>
#ifdef QC_OOM_TRACE
#include <execinfo.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define QC_OOM_SKIP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define QC_OOM_SKIP 1
#endif
#endif

#ifndef QC_OOM_SKIP
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static atomic_long live;            /* blocks allocated and not yet freed */
static atomic_long countdown = -1;  /* allocations until one fails; -1: none fails */
static atomic_int injected;         /* a failure was handed out */
static long trace_n;                /* the allocation failed this time */

static int fail_now(void)
{
    long c = atomic_load(&countdown);
    if (c < 0) return 0;
    if (atomic_fetch_sub(&countdown, 1) == 0) {
        atomic_store(&injected, 1);
        errno = ENOMEM;
#ifdef QC_OOM_TRACE /* a debugging aid: where allocation $QC_OOM_TRACE_N fails */
        if (getenv("QC_OOM_TRACE_N") && atol(getenv("QC_OOM_TRACE_N")) == trace_n) {
            void *frames[16];
            backtrace_symbols_fd(frames, backtrace(frames, 16), 2);
        }
#endif
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    if (fail_now()) return NULL;
    void *p = __libc_malloc(n);
    if (p) atomic_fetch_add(&live, 1);
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (fail_now()) return NULL;
    void *p = __libc_calloc(n, size);
    if (p) atomic_fetch_add(&live, 1);
    return p;
}

void *realloc(void *old, size_t n)
{
    if (!old) return malloc(n);
    if (n == 0) {
        free(old);
        return NULL;
    }
    if (fail_now()) return NULL;
    return __libc_realloc(old, n); /* one block for another */
}

void free(void *p)
{
    if (!p) return;
    atomic_fetch_sub(&live, 1);
    __libc_free(p);
}
#endif

#ifndef QC_OOM_SKIP
/* Jobs disarm the countdown before they check anything: check's own
 * assertions allocate. */
static void stop_failing(void)
{
    atomic_store(&countdown, -1);
}

static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

static const char court_yaml[] =
    "offices:\n  - {id: O, name: 某法院, kind: court, level: basic}\n"
    "departments:\n  - {id: D, office: O, name: 民一庭, line: civil}\n"
    "people:\n"
    "  - {id: L, name: 院长, office: O, department: D, role: president, in_quota: true}\n"
    "  - {id: J1, name: 法官甲, office: O, department: D, role: judge, in_quota: true}\n"
    "  - {id: J2, name: 法官乙, office: O, department: D, role: judge, in_quota: true}\n"
    "  - {id: A1, name: 助理, office: O, department: D, role: assistant, in_quota: false}\n"
    "cases:\n"
    "  - {id: K1, office: O, line: civil, type: contract, registered: 2017-05-10, facts: {parties: 2}}\n"
    "  - {id: K2, office: O, line: civil, type: contract, registered: 2017-06-10, facts: {parties: 9}}\n"
    "  - {id: K3, office: O, line: civil, type: contract, registered: 2017-07-10}\n"
    "  - {id: K4, office: O, line: civil, type: contract, registered: 2017-08-10}\n"
    "participations:\n"
    "  - {case: K1, person: L, capacity: lead}\n"
    "  - {case: K2, person: L, capacity: lead}\n"
    "  - {case: K2, person: A1, capacity: assistant}\n"
    "  - {case: K3, person: J1, capacity: sole}\n"
    "  - {case: K4, person: J2, capacity: sole}\n"
    "acts:\n"
    "  - {case: K1, person: L, kind: hearing_presided, time: 2017-06-01}\n"
    "  - {case: K2, person: A1, kind: hearing_presided, time: 2017-07-01}\n"
    "  - {case: K2, person: A1, kind: judgment_drafted, time: 2017-07-02}\n"
    "  - {case: K3, person: J1, kind: sole_judge, time: 2017-08-01}\n"
    "  - {case: K4, person: J2, kind: sole_judge, time: 2017-09-01}\n";

/* A procuratorate over two periods with reviews of two grading schemes:
 * scores, grades and a consequence across periods (liaoning-2017.yaml). */
static char *procuratorate_yaml(void)
{
    static char yaml[16384];
    size_t n = (size_t)snprintf(yaml, sizeof yaml,
                                "offices:\n  - {id: O, name: 某检察院, kind: procuratorate, level: basic}\n"
                                "departments:\n  - {id: D, office: O, name: 第一检察部, line: prosecution}\n"
                                "people:\n"
                                "  - {id: C, name: 检察长, office: O, department: D, role: chief, in_quota: true}\n"
                                "  - {id: P1, name: 甲, office: O, department: D, role: prosecutor, in_quota: true}\n"
                                "  - {id: P2, name: 乙, office: O, department: D, role: prosecutor, in_quota: true, valid_to: 2017-08-31}\n"
                                "posts:\n"
                                "  - {id: X1, person: P2, office: O, department: D, role: department_head, in_quota: true, valid_from: 2017-09-01}\n");
    static const struct { const char *who, *day, *scheme, *grade; } cases[] = {
        {"C", "2017-05-02", "spp2026", "acceptable"}, {"P1", "2017-05-02", "spp2026", "acceptable"},
        {"P2", "2017-05-02", "spp2026", "unacceptable"}, {"P1", "2017-08-02", "spp2026", "acceptable"},
        {"P2", "2017-08-02", "spp2017", "flawed"}, {"C", "2017-08-02", "spp2017", "unacceptable"},
    };
    const char *sections[] = {"cases", "participations", "acts", "reviews"};
    for (int sec = 0; sec < 4; sec++) {
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "%s:\n", sections[sec]);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *at = yaml + n;
            size_t room = sizeof yaml - n;
            if (sec == 0)
                n += (size_t)snprintf(at, room, "  - {id: R%zu, office: O, department: D, line: prosecution, type: theft, "
                                      "registered: %s, closed: %s, facts: {defendants: %zu}}\n",
                                      i, cases[i].day, cases[i].day, i + 1);
            else if (sec == 1)
                n += (size_t)snprintf(at, room, "  - {case: R%zu, person: %s, capacity: lead}\n", i, cases[i].who);
            else if (sec == 2)
                n += (size_t)snprintf(at, room, "  - {case: R%zu, person: %s, kind: file_review, time: %s}\n", i,
                                      cases[i].who, cases[i].day);
            else
                n += (size_t)snprintf(at, room, "  - {case: R%zu, grade: %s, scheme: %s, date: 2017-12-20}\n", i,
                                      cases[i].grade, cases[i].scheme);
        }
    }
    return yaml;
}

/* Run job (which returns a status and frees what it made on success)
 * failing each allocation in turn; returns how many allocations it took. */
static long fail_each(int (*job)(void))
{
    long n;
    /* OpenSSL initialises itself on first use, and keeps one error state per
     * thread, made when it first reports an error; both live until the
     * process ends: made here, so that they are not counted as leaked */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen;
    ck_assert(EVP_Digest("", 0, md, &mdlen, EVP_get_digestbyname("SHA256"), NULL));
    ck_assert(EVP_Digest("", 0, md, &mdlen, EVP_get_digestbyname("SM3"), NULL));
    ck_assert_int_eq(RAND_bytes(md, 1), 1); /* the random generator, set up on first use (verify's key) */
    ERR_raise(ERR_LIB_USER, 0);
    ERR_clear_error();
    for (n = 0;; n++) {
        qc_error_clear();
        long before = atomic_load(&live);
        atomic_store(&injected, 0);
        trace_n = n;
        atomic_store(&countdown, n);
        int rc = job();
        atomic_store(&countdown, -1);
        ck_assert_msg(rc == QC_OK || rc == QC_ENOMEM, "allocation %ld failed: got %s (%s), want QC_ENOMEM", n,
                      qc_status_name(rc), qc_error_last());
        ck_assert_msg(atomic_load(&live) == before, "allocation %ld failed: %ld blocks leaked", n,
                      atomic_load(&live) - before);
        if (rc == QC_OK && !atomic_load(&injected)) return n;
    }
}

static qc_store *store;
static qc_rules *rules;
static int64_t from, to;

/* What an assessment says, as text: a failure that was absorbed (an
 * assessment returned although an allocation failed) must not change it. */
static char reference[16384], described[16384];

static void describe(const qc_assessment *a, char *out, size_t size)
{
    size_t n = 0;
#define ADD(...) (n += (size_t)snprintf(out + n, n < size ? size - n : 0, __VA_ARGS__))
    for (int i = 0; i < qc_assessment_leader_count(a); i++)
        ADD("L %s %s %.9g %.9g %.9g %.9g %s %s %.9g\n", qc_assessment_leader_person(a, i),
            qc_assessment_leader_office(a, i), qc_assessment_leader_counted(a, i), qc_assessment_leader_required(a, i),
            qc_assessment_leader_average(a, i), qc_assessment_leader_focus_share(a, i), qc_assessment_leader_quota(a, i),
            qc_assessment_leader_status(a, i), qc_assessment_leader_score(a, i));
    for (int i = 0; i < qc_assessment_person_count(a); i++)
        ADD("P %s %d %.9g %.9g %s %s\n", qc_assessment_person_id(a, i), qc_assessment_person_cases(a, i),
            qc_assessment_person_score(a, i), qc_assessment_person_normalised(a, i),
            qc_assessment_person_grade(a, i) ? qc_assessment_person_grade(a, i) : "-",
            qc_assessment_person_consequence(a, i) ? qc_assessment_person_consequence(a, i) : "-");
    for (int i = 0; i < qc_assessment_office_count(a); i++)
        ADD("O %s %d %d %d\n", qc_assessment_office_id(a, i), qc_assessment_office_leaders(a, i),
            qc_assessment_office_complying_leaders(a, i), qc_assessment_office_complies(a, i));
    for (int i = 0; i < qc_assessment_verdict_count(a); i++)
        ADD("V %s %s %s %s\n", qc_assessment_verdict_person(a, i), qc_assessment_verdict_case(a, i),
            qc_assessment_verdict(a, i), qc_assessment_verdict_evidence(a, i));
#undef ADD
    ck_assert_uint_lt(n, size);
}

static int assess_job(void)
{
    qc_assessment *a = (qc_assessment *)1;
    int rc = qc_assess(&a, rules, store, NULL, from, to);
    stop_failing();
    if (rc == QC_OK) {
        ck_assert_int_ge(qc_assessment_leader_count(a), 1);
        describe(a, described, sizeof described);
        if (reference[0])
            ck_assert_msg(!strcmp(described, reference), "allocation %ld failed, yet an assessment came back: it says\n%s"
                          "where it should say\n%s", trace_n, described, reference);
        qc_assessment_free(a);
    } else {
        ck_assert_ptr_null(a);
    }
    return rc;
}

static void setup(const char *yaml, const char *rule_file, const char *period)
{
    char path[512];
    ck_assert_qc_ok(qc_store_open(&store, "memory:"));
    ck_assert_qc_ok(qc_store_import_buffer(store, yaml, strlen(yaml), "yaml", "court.yaml", QC_KIND_NONE, NULL));
    snprintf(path, sizeof path, "%s/%s", QC_EXAMPLES, rule_file);
    ck_assert_qc_ok(qc_rules_load_file(&rules, path));
    ck_assert_qc_ok(qc_period_parse(&from, &to, period));
    /* the assessment with every allocation granted, to compare with */
    reference[0] = '\0';
    ck_assert_qc_ok(assess_job());
    memcpy(reference, described, sizeof reference);
}

START_TEST(test_assessment_out_of_memory)
{
    if (under_valgrind()) return;
    setup(court_yaml, "spc-2017.yaml", "2017");
    long n = fail_each(assess_job);
    ck_assert_int_gt(n, 20); /* the job did allocate, and each was tried */
    qc_rules_free(rules);
    qc_store_free(store);
}
END_TEST

START_TEST(test_scored_assessment_out_of_memory)
{
    if (under_valgrind()) return;
    setup(procuratorate_yaml(), "liaoning-2017.yaml", "2017-08-01..2017-10-31");
    ck_assert_int_gt(fail_each(assess_job), 20);
    qc_rules_free(rules);
    qc_store_free(store);
}
END_TEST

/* An office table that grows past its first allocation. */
static int offices_job(void)
{
    qc_offices *o = NULL;
    int rc = qc_offices_new(&o);
    for (int i = 0; rc == QC_OK && i < 100; i++) {
        char id[16];
        snprintf(id, sizeof id, "O%03d", i);
        rc = qc_offices_add(o, id, QC_OFFICE_COURT, QC_LEVEL_BASIC, i ? "O000" : NULL);
    }
    stop_failing();
    if (rc == QC_OK) ck_assert_int_eq(qc_offices_count(o), 100);
    qc_offices_free(o);
    return rc;
}

START_TEST(test_office_table_out_of_memory)
{
    if (under_valgrind()) return;
    ck_assert_int_gt(fail_each(offices_job), 100);
}
END_TEST

static const char *rule_path;

static int load_job(void)
{
    qc_rules *r = (qc_rules *)1;
    int rc = qc_rules_load_file(&r, rule_path);
    stop_failing();
    if (rc == QC_OK) qc_rules_free(r);
    else ck_assert_ptr_null(r);
    return rc;
}

START_TEST(test_rule_load_out_of_memory)
{
    if (under_valgrind()) return;
    char path[512];
    snprintf(path, sizeof path, "%s/liaoning-2018.yaml", QC_EXAMPLES); /* extends liaoning-2017.yaml */
    rule_path = path;
    ck_assert_int_gt(fail_each(load_job), 100);
}
END_TEST

/* Imports: a failed one leaves the store as it was; one that returns
 * QC_OK despite a failed allocation must have imported all of it. */
static qc_store *import_store;
static const char *import_data, *import_format, *import_name;
static int64_t import_counts[QC_KIND_COUNT];
static uint64_t import_history; /* a digest of the revisions the clean import wrote */

static void count_kinds(int64_t *out)
{
    for (int k = 1; k < QC_KIND_COUNT; k++) ck_assert_qc_ok(qc_store_count(&out[k], import_store, (qc_kind)k, NULL));
}

/* FNV-1a over every revision as canonical text: a revision written short
 * (an allocation failure absorbed halfway through its text) shows. */
static uint64_t history_digest(void)
{
    uint64_t h = 1469598103934665603ull;
    qc_iter *it;
    const qc_record *rev;
    char text[8192];
    ck_assert_qc_ok(qc_iter_new(&it, import_store, QC_KIND_REVISION, NULL));
    while (qc_iter_next(&rev, it) == QC_OK) {
        ck_assert_qc_ok(qc_record_encode(rev, text, sizeof text, NULL));
        for (const char *p = text; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    }
    qc_iter_free(it);
    return h;
}

/* A store for the import jobs: an actor and a clock of its own, so that
 * two imports of the same data write the same history. */
static int open_import_store(void)
{
    int rc = qc_store_open(&import_store, "memory:");
    /* an actor of its own also because the login name comes through
     * libc's NSS, whose caches would count here as blocks the library kept */
    if (rc == QC_OK) rc = qc_store_set_actor(import_store, "oom-test");
    if (rc == QC_OK) rc = qc_store_set_clock(import_store, 1893456000); /* 2030-01-01 */
    return rc;
}

static int import_job(void)
{
    int64_t n = -1, counts[QC_KIND_COUNT] = {0};
    int rc = open_import_store();
    if (rc == QC_OK)
        rc = qc_store_import_buffer(import_store, import_data, strlen(import_data), import_format, import_name,
                                    QC_KIND_NONE, &n);
    stop_failing();
    if (!import_store) return rc; /* the store itself could not be made */
    count_kinds(counts);
    for (int k = 1; k < QC_KIND_COUNT; k++)
        ck_assert_msg(counts[k] == (rc == QC_OK ? import_counts[k] : 0), "allocation %ld failed: %s: %lld stored, want %lld",
                      trace_n, qc_kind_name((qc_kind)k), (long long)counts[k],
                      (long long)(rc == QC_OK ? import_counts[k] : 0));
    if (rc == QC_OK)
        ck_assert_msg(history_digest() == import_history, "allocation %ld failed: the history differs", trace_n);
    qc_store_free(import_store); /* whatever the store kept, it gives back */
    import_store = NULL;
    return rc;
}

static void import_each(const char *data, const char *format, const char *name)
{
    import_data = data;
    import_format = format;
    import_name = name;
    ck_assert_qc_ok(open_import_store());
    ck_assert_qc_ok(qc_store_import_buffer(import_store, data, strlen(data), format, name, QC_KIND_NONE, NULL));
    count_kinds(import_counts);
    import_history = history_digest();
    qc_store_free(import_store);
    import_store = NULL;
    ck_assert_int_gt(fail_each(import_job), 10);
}

START_TEST(test_import_out_of_memory)
{
    if (under_valgrind()) return;
    import_each(court_yaml, "yaml", "court.yaml");
    import_each(procuratorate_yaml(), "yaml", "p.yaml");
    /* a CSV with quoted fields, doubled quotes and line breaks in them */
    static char csv[8192];
    size_t n = (size_t)snprintf(csv, sizeof csv, "id,name,parent,kind,level\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "O%d,\"某 \"\"院\"\"\nline %d\",,court,basic\n", i, i);
    import_each(csv, "csv", "offices.csv");
    /* a record whose canonical text outgrows the history's first buffers */
    static char long_yaml[4096];
    n = (size_t)snprintf(long_yaml, sizeof long_yaml, "offices:\n  - {id: O1, kind: court, level: basic, name: \"");
    for (int i = 0; i < 300; i++) n += (size_t)snprintf(long_yaml + n, sizeof long_yaml - n, "院");
    snprintf(long_yaml + n, sizeof long_yaml - n, "\"}\n");
    import_each(long_yaml, "yaml", "long.yaml");
}
END_TEST

/* Opening an SQLite store (a new database in memory, its schema made):
 * every allocation that fails is QC_ENOMEM and nothing is kept. */
static int sqlite_open_job(void)
{
    qc_store *s;
    int rc = qc_store_open(&s, "sqlite::memory:");
    stop_failing();
    if (rc == QC_OK) qc_store_free(s);
    return rc;
}

START_TEST(test_sqlite_open_out_of_memory)
{
    if (under_valgrind()) return;
    qc_store *s; /* SQLite sets itself up once per process, on the first open: not a leak */
    ck_assert_qc_ok(qc_store_open(&s, "sqlite::memory:"));
    qc_store_free(s);
    ck_assert_int_gt(fail_each(sqlite_open_job), 10);
}
END_TEST

/* Verifying a store against its journal: every allocation that fails is
 * QC_ENOMEM, nothing is kept, and a verify that returns says what a clean
 * run says (never "tampered" for a failure of its own). */
static qc_store *verify_store;
static char verify_head[160];

static int verify_job(void)
{
    qc_verify *v;
    int rc = qc_store_verify(&v, verify_store, NULL);
    stop_failing();
    if (rc == QC_OK) ck_assert_str_eq(qc_verify_head(v), verify_head);
    else ck_assert_ptr_null(v);
    qc_verify_free(v);
    return rc;
}

START_TEST(test_verify_out_of_memory)
{
    if (under_valgrind()) return; /* valgrind's allocator is not the one failed here */
    static const char *const files[] = {"offices.csv", "departments.csv", "people.csv", "cases.csv",
                                        "participations.csv", "acts.csv", "reviews.csv"};
    ck_assert_qc_ok(qc_store_open(&verify_store, "memory:"));
    ck_assert_qc_ok(qc_store_set_actor(verify_store, "oom-test"));
    ck_assert_qc_ok(qc_store_set_clock(verify_store, 1893456000));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/good/%s", QC_TEST_DATA, files[i]);
        ck_assert_qc_ok(qc_store_import_file(verify_store, path, QC_KIND_NONE, NULL));
    }
    ck_assert_qc_ok(qc_store_head(verify_store, verify_head, sizeof verify_head, NULL));
    ck_assert_int_gt(fail_each(verify_job), 5);
    qc_store_free(verify_store);
}
END_TEST

/* Node control under allocation failure: deadlines with requirements,
 * and an assessment with the ratio, notices and workload credit - each
 * either fails with QC_ENOMEM and nothing kept, or says what it says with
 * every allocation granted. */
static qc_store *process_store;
static qc_rules *process_rules;
static char process_reference[8192], process_described[8192];

static int process_job(void)
{
    qc_deadlines *d = (qc_deadlines *)1;
    qc_assessment *a = NULL;
    int64_t on, pfrom, pto;
    qc_date_parse(&on, "2018-04-15");
    qc_period_parse(&pfrom, &pto, "2018");
    int rc = qc_deadlines_compute(&d, process_rules, process_store, NULL, NULL, on);
    const char *why = rc == QC_OK && qc_deadlines_count(d) ? qc_deadlines_explain(d, 0, process_rules, "en") : NULL;
    int arc = QC_ENOMEM;
    if (rc == QC_OK && why) {
        a = (qc_assessment *)1; /* a failed assessment must leave NULL behind */
        arc = qc_assess(&a, process_rules, process_store, NULL, pfrom, pto);
    }
    stop_failing();
    if (rc != QC_OK) {
        ck_assert_ptr_null(d);
        return rc;
    }
    size_t n = 0;
    process_described[0] = '\0';
#define ADD(...) n += (size_t)snprintf(process_described + n, n < sizeof process_described ? sizeof process_described - n : 0, __VA_ARGS__)
    for (int i = 0; i < qc_deadlines_count(d); i++)
        ADD("D %s %s %lld %s\n", qc_deadlines_case(d, i), qc_deadlines_node(d, i), (long long)qc_deadlines_due(d, i),
            qc_deadlines_level(d, i));
    for (int i = 0; i < qc_deadlines_violation_count(d); i++)
        ADD("V %s %s %s\n", qc_deadlines_violation_case(d, i), qc_deadlines_violation_rule(d, i), qc_deadlines_violation_evidence(d, i));
    if (why) ADD("E %s", why);
    if (arc == QC_OK) {
        ADD("R %lld %lld N %d C %g\n", (long long)qc_assessment_ratio_cases(a, -1), (long long)qc_assessment_ratio_items(a, -1),
            qc_assessment_notice_count(a), qc_assessment_leader_credit(a, 0));
        qc_assessment_free(a);
    } else {
        ck_assert_ptr_null(a);
    }
#undef ADD
    ck_assert_uint_lt(n, sizeof process_described);
    qc_deadlines_free(d);
    if (why && arc == QC_OK && process_reference[0])
        ck_assert_msg(!strcmp(process_described, process_reference), "allocation %ld failed, yet it says\n%swhere it should say\n%s",
                      trace_n, process_described, process_reference);
    return !why ? QC_ENOMEM : arc;
}

START_TEST(test_process_figures_out_of_memory)
{
    if (under_valgrind()) return;
    static const char *const files[] = {"store.yaml", "node_control.yaml", "duties.yaml"};
    ck_assert_qc_ok(qc_store_open(&process_store, "memory:"));
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/deadlines/%s", QC_TEST_DATA, files[i]);
        ck_assert_qc_ok(qc_store_import_file(process_store, path, QC_KIND_NONE, NULL));
    }
    ck_assert_qc_ok(qc_rules_load_file(&process_rules, QC_EXAMPLES "/liaoning-2017.yaml"));
    ck_assert_qc_ok(qc_rules_add_file(process_rules, QC_EXAMPLES "/liaoning-2018.yaml"));
    process_reference[0] = '\0';
    ck_assert_qc_ok(process_job());
    memcpy(process_reference, process_described, sizeof process_reference);
    ck_assert_int_gt(fail_each(process_job), 20);
    qc_rules_free(process_rules);
    qc_store_free(process_store);
}
END_TEST

/* An inspection's draw with every kind of trigger and strata by label:
 * each allocation failed in turn gives QC_ENOMEM and no draw, or the
 * same list as without failures. */
static qc_plan *draw_plan;
static char draw_reference[80], draw_got[80];

static int draw_job(void)
{
    qc_sample *s = (qc_sample *)1; /* a failed draw must leave NULL behind */
    int64_t first, last;
    qc_period_parse(&first, &last, "2018");
    int rc = qc_sample_draw(&s, draw_plan, process_rules, process_store, "DL", first, last, "seed");
    stop_failing();
    if (rc != QC_OK) {
        ck_assert_ptr_null(s);
        return rc;
    }
    snprintf(draw_got, sizeof draw_got, "%s", qc_sample_list_hash(s));
    qc_sample_free(s);
    if (*draw_reference) ck_assert_str_eq(draw_got, draw_reference);
    return QC_OK;
}

START_TEST(test_draw_out_of_memory)
{
    if (under_valgrind()) return;
    static const char plan[] = "plan: oom\ncases: active\nstrata: {by: [office, label], ratio: 0.5, minimum: 1}\n"
                               "triggers:\n  - {id: st, steps: [return_supplementary]}\n"
                               "  - {id: lg, review_grades: [unacceptable]}\n  - {id: no, name_only: true}\n"
                               "  - {id: od, overdue: true}\n  - {id: lb, labels: [major]}\n";
    ck_assert_qc_ok(qc_plan_load_string(&draw_plan, plan, sizeof plan - 1, "oom.yaml"));
    ck_assert_qc_ok(qc_store_open(&process_store, "memory:"));
    char path[512];
    snprintf(path, sizeof path, "%s/deadlines/store.yaml", QC_TEST_DATA);
    ck_assert_qc_ok(qc_store_import_file(process_store, path, QC_KIND_NONE, NULL));
    static const char reviews[] = "reviews: [{case: C2, grade: unacceptable, scheme: spp2026, date: 2018-05-01}]\n";
    ck_assert_qc_ok(qc_store_import_buffer(process_store, reviews, sizeof reviews - 1, "yaml", "r.yaml", QC_KIND_NONE, NULL));
    ck_assert_qc_ok(qc_rules_load_file(&process_rules, QC_EXAMPLES "/liaoning-2018.yaml"));
    draw_reference[0] = '\0';
    ck_assert_qc_ok(draw_job());
    memcpy(draw_reference, draw_got, sizeof draw_reference);
    ck_assert_int_gt(fail_each(draw_job), 20);
    qc_rules_free(process_rules);
    qc_store_free(process_store);
    qc_plan_free(draw_plan);
}
END_TEST

#endif /* QC_OOM_SKIP */

int main(void)
{
#ifdef QC_OOM_SKIP
    puts("1..0 # SKIP the allocator belongs to the sanitizer");
    return 0;
#else
    Suite *s = suite_create("oom");
    TCase *tc = tcase_create("oom");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_assessment_out_of_memory);
    tcase_add_test(tc, test_scored_assessment_out_of_memory);
    tcase_add_test(tc, test_rule_load_out_of_memory);
    tcase_add_test(tc, test_office_table_out_of_memory);
    tcase_add_test(tc, test_import_out_of_memory);
    tcase_add_test(tc, test_sqlite_open_out_of_memory);
    tcase_add_test(tc, test_verify_out_of_memory);
    tcase_add_test(tc, test_process_figures_out_of_memory);
    tcase_add_test(tc, test_draw_out_of_memory);
    suite_add_tcase(s, tc);
    return qc_test_run(s);
#endif
}
