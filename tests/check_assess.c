/* SPDX-License-Identifier: MIT
 * check_assess.c - assessing leaders: every row of the SPC 2017 table at
 * both sides of its boundary, name-only handling, duties that never offset
 * the quota, the focus share, per-office overrides, and a post change in
 * the middle of the period.
 *
 * Every test runs twice: on a memory store (one thread, the library fills
 * the acts itself) and on an SQLite file (the acts read by a thread of
 * their own from a second connection).
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quotacase/backend.h"
#include "testutil.h"

#ifndef QC_EXAMPLES
#error QC_EXAMPLES must name examples/rules
#endif

static qc_store *store;
static int case_serial;
static bool on_sqlite; /* which run this is */
static char tmpdir[256];
static char store_uri[400]; /* of the last store opened */

/* A fresh store for the current run. */
static void open_store(void)
{
    static int serial;
    char uri[400];
    if (on_sqlite) snprintf(uri, sizeof uri, "sqlite:%s/assess-%d-%d.db", tmpdir, (int)getpid(), serial++);
    else snprintf(uri, sizeof uri, "memory:");
    snprintf(store_uri, sizeof store_uri, "%s", uri);
    ck_assert_qc_ok(qc_store_open(&store, uri));
    if (on_sqlite) ck_assert_qc_ok(qc_store_set_threads(store, 2)); /* however many CPUs the machine has */
}

/* Put a record from "field=value" strings, ended by NULL. */
static void put(qc_kind kind, ...)
{
    va_list ap;
    va_start(ap, kind);
    qc_record *r = qc_test_record_va(kind, ap);
    va_end(ap);
    ck_assert_qc_ok(qc_store_put(store, r));
    qc_record_free(r);
}

/* n cases of office/department, each handled by person in capacity with
 * act `act` (NULL: none by them) and, if helper, an act by helper. */
static void cases(int n, const char *office, const char *dept, const char *person, const char *capacity,
                  const char *act, const char *helper, const char *fact)
{
    /* every case is of office O; the arguments name it for the reader */
    ck_assert_str_eq(office, "O");
    (void)dept;
    for (int i = 0; i < n; i++) {
        char id[32], cid[40], pid[40], pcap[40], kind[48], hkind[48], day[32];
        snprintf(id, sizeof id, "K%05d", ++case_serial);
        snprintf(cid, sizeof cid, "id=%s", id);
        snprintf(pid, sizeof pid, "case=%s", id);
        snprintf(day, sizeof day, "registered=2017-%02d-10", 5 + i % 7);
        /* acts a few days after registration: never before it */
        char t1[32], t2[32], t3[32];
        snprintf(t1, sizeof t1, "time=2017-%02d-11", 5 + i % 7);
        snprintf(t2, sizeof t2, "time=2017-%02d-12", 5 + i % 7);
        snprintf(t3, sizeof t3, "time=2017-%02d-13", 5 + i % 7);
        put(QC_KIND_CASE, cid, "office=O", "line=civil", "type=contract", day, fact ? fact : "fact.parties=2", NULL);
        char person_kv[40];
        snprintf(person_kv, sizeof person_kv, "person=%s", person);
        snprintf(pcap, sizeof pcap, "capacity=%s", capacity);
        put(QC_KIND_PARTICIPATION, pid, person_kv, pcap, NULL);
        if (act) {
            snprintf(kind, sizeof kind, "kind=%s", act);
            put(QC_KIND_ACT, pid, person_kv, kind, t1, NULL);
        }
        if (helper) {
            char helper_kv[40];
            snprintf(helper_kv, sizeof helper_kv, "person=%s", helper);
            snprintf(hkind, sizeof hkind, "kind=%s", "judgment_drafted");
            put(QC_KIND_ACT, pid, helper_kv, hkind, t2, NULL);
            put(QC_KIND_ACT, pid, helper_kv, "kind=hearing_presided", t3, NULL);
        }
    }
}

static void person(const char *id, const char *role, const char *dept, const char *in_quota, const char *from, const char *to)
{
    char idkv[40], rolekv[40], deptkv[40], q[40], f[40], t[40];
    snprintf(idkv, sizeof idkv, "id=%s", id);
    snprintf(rolekv, sizeof rolekv, "role=%s", role);
    snprintf(deptkv, sizeof deptkv, "department=%s", dept ? dept : "");
    snprintf(q, sizeof q, "in_quota=%s", in_quota);
    snprintf(f, sizeof f, "valid_from=%s", from ? from : "");
    snprintf(t, sizeof t, "valid_to=%s", to ? to : "");
    put(QC_KIND_PERSON, idkv, "name=x", "office=O", deptkv, rolekv, q, f, t, NULL);
}

/* A court of `level` with four judges in one division, 40 cases each. */
static void court(const char *level)
{
    char lv[32];
    snprintf(lv, sizeof lv, "level=%s", level);
    open_store();
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=某法院", "kind=court", lv, NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=民一庭", "line=civil", NULL);
    for (int j = 1; j <= 4; j++) {
        char id[8];
        snprintf(id, sizeof id, "J%d", j);
        person(id, "judge", "D", "true", NULL, NULL);
        cases(40, "O", "D", id, "sole", "sole_judge", NULL, NULL);
    }
    person("A1", "assistant", "D", "false", NULL, NULL);
}

/* Assess with one rule file, or two side by side ("a.yaml+b.yaml"). */
static qc_assessment *assess_with(const char *rules_files, const char *period)
{
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    char path[512], files[256];
    snprintf(files, sizeof files, "%s", rules_files);
    ck_assert_qc_ok(qc_rules_new(&r));
    for (char *save, *f = strtok_r(files, "+", &save); f; f = strtok_r(NULL, "+", &save)) {
        snprintf(path, sizeof path, "%s/%s", QC_EXAMPLES, f);
        ck_assert_qc_ok(qc_rules_add_file(r, path));
    }
    ck_assert_qc_ok(qc_period_parse(&from, &to, period));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    qc_rules_free(r);
    return a;
}

static int leader(const qc_assessment *a, const char *person)
{
    for (int i = 0; i < qc_assessment_leader_count(a); i++)
        if (!strcmp(qc_assessment_leader_person(a, i), person)) return i;
    ck_abort_msg("no leader %s", person);
    return -1;
}

/* Each SPC row: a leader with `below` cases is short and with one more meets. */
static void row(const char *level, const char *role, int need, const char *quota_id)
{
    for (int extra = 0; extra <= 1; extra++) {
        court(level);
        person("L", role, "D", "true", NULL, NULL);
        cases(need - 1 + extra, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
        qc_assessment *a = assess_with("spc-2017.yaml", "2017");
        int i = leader(a, "L");
        ck_assert_str_eq(qc_assessment_leader_quota(a, i), quota_id);
        ck_assert_double_eq_tol(qc_assessment_leader_average(a, i), 40.0, 1e-9);
        ck_assert_double_eq_tol(qc_assessment_leader_counted(a, i), need - 1 + extra, 1e-9);
        ck_assert_msg(!strcmp(qc_assessment_leader_status(a, i), extra ? "met" : "short"), "%s %s with %d cases: %s (required %g)",
                      level, role, need - 1 + extra, qc_assessment_leader_status(a, i), qc_assessment_leader_required(a, i));
        ck_assert_int_eq(qc_assessment_office_complies(a, 0), extra);
        qc_assessment_free(a);
        qc_store_free(store);
    }
}

START_TEST(test_spc_basic_president) /* 5% of 40, in a range up to 10% */
{
    row("basic", "president", 2, "basic-president");
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    cases(5, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, i), 2.0, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_required_max(a, i), 4.0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "met"); /* above the top of the range is no failure */
    /* the reports show the range */
    static const char *const formats[][2] = {{"text", " 5 / 2-4 "}, {"json", "\"required_max\": 4.0000"},
                                             {"html", ">2-4<"}, {"csv", ",4.0000,"}};
    /* and what they were computed on: the store's head, the rules' hash */
    char head[160];
    ck_assert_qc_ok(qc_store_head(store, head, sizeof head, NULL));
    ck_assert_str_eq(qc_assessment_store_head(a), head);
    ck_assert_int_eq(strncmp(qc_assessment_rules_hash(a), "sha256:", 7), 0);
    ck_assert_int_eq(strlen(qc_assessment_rules_hash(a)), 7 + 64);
    for (int f = 0; f < 4; f++) {
        char path[512], text[1 << 16];
        snprintf(path, sizeof path, "%s/range-%d.%s", tmpdir, (int)getpid(), formats[f][0]);
        ck_assert_qc_ok(qc_report_write(a, NULL, path, formats[f][0], "en", 1));
        FILE *in = fopen(path, "r");
        ck_assert_ptr_nonnull(in);
        size_t n = fread(text, 1, sizeof text - 1, in);
        fclose(in);
        text[n] = '\0';
        ck_assert_msg(strstr(text, formats[f][1]) != NULL, "%s report lacks '%s'", formats[f][0], formats[f][1]);
        ck_assert_msg(strstr(text, head) != NULL, "%s report lacks the head %s", formats[f][0], head);
        ck_assert_msg(strstr(text, qc_assessment_rules_hash(a)) != NULL, "%s report lacks the rules' hash", formats[f][0]);
        /* the same report in memory, byte for byte */
        char *buffer = NULL;
        size_t size = 0;
        ck_assert_qc_ok(qc_report_write_buffer(&buffer, &size, a, NULL, formats[f][0], "en", 1));
        ck_assert_uint_eq(size, n);
        ck_assert_int_eq(memcmp(buffer, text, n), 0);
        ck_assert_int_eq(buffer[size], '\0');
        qc_free(buffer);
        /* a bad argument writes nothing: the report at path stays whole */
        ck_assert_int_eq(qc_report_write(a, NULL, path, formats[f][0], "fr", 1), QC_EINVAL);
        ck_assert_int_eq(qc_report_write(a, NULL, path, "pdf", "en", 1), QC_EINVAL);
        struct stat st;
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq((long)st.st_size, (long)n);
        buffer = (char *)"untouched";
        size = 7;
        ck_assert_int_eq(qc_report_write_buffer(&buffer, &size, a, NULL, "pdf", "en", 1), QC_EINVAL);
        ck_assert_ptr_null(buffer);
        ck_assert_uint_eq(size, 0);
        unlink(path);
    }
    /* no temporary file is left beside the reports */
    DIR *dir = opendir(tmpdir);
    ck_assert_ptr_nonnull(dir);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "range-%d.", (int)getpid());
    for (struct dirent *e; (e = readdir(dir));)
        ck_assert_msg(strncmp(e->d_name, prefix, strlen(prefix)) != 0, "left behind: %s", e->d_name);
    closedir(dir);
    /* what is not a regular file is written in place, never replaced:
     * /dev/null stays the device, a symbolic link stays a link */
    ck_assert_qc_ok(qc_report_write(a, NULL, "/dev/null", "text", "en", 1));
    struct stat dev;
    ck_assert_int_eq(stat("/dev/null", &dev), 0);
    ck_assert(S_ISCHR(dev.st_mode));
    char target[512], link_path[512];
    snprintf(target, sizeof target, "%s/target-%d.txt", tmpdir, (int)getpid());
    snprintf(link_path, sizeof link_path, "%s/link-%d.txt", tmpdir, (int)getpid());
    FILE *t = fopen(target, "w");
    ck_assert_ptr_nonnull(t);
    fclose(t);
    ck_assert_int_eq(chmod(target, 0640), 0);
    ck_assert_int_eq(symlink(target, link_path), 0);
    ck_assert_qc_ok(qc_report_write(a, NULL, link_path, "text", "en", 1));
    ck_assert_int_eq(lstat(link_path, &dev), 0);
    ck_assert(S_ISLNK(dev.st_mode));
    ck_assert_int_eq(stat(target, &dev), 0);
    ck_assert_int_gt((long)dev.st_size, 0); /* written through the link */
    unlink(link_path);
    /* a regular file replaced keeps its mode */
    ck_assert_qc_ok(qc_report_write(a, NULL, target, "text", "en", 1));
    ck_assert_int_eq(stat(target, &dev), 0);
    ck_assert_int_eq(dev.st_mode & 0777, 0640);
    unlink(target);
    ck_assert_int_eq(qc_report_write(a, NULL, "/nonexistent-dir/r.txt", "text", "en", 1), QC_EIO);
    ck_assert_ptr_nonnull(strstr(qc_error_last(), "/nonexistent-dir/r.txt"));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST
/* A division chief of a division with no judges: half of an average of 0
 * is nothing required, and with nothing handled the chief is neither "met"
 * nor short - and does not stop the office from complying. */
START_TEST(test_nothing_required_is_not_met)
{
    court("basic");
    put(QC_KIND_DEPARTMENT, "id=D2", "office=O", "name=民二庭", "line=civil", NULL);
    person("L", "president", "D", "true", NULL, NULL);
    cases(2, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    person("E", "division_chief", "D2", "true", NULL, NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int e = leader(a, "E");
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, e), 0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, e), "none_required");
    ck_assert_str_eq(qc_assessment_leader_status(a, leader(a, "L")), "met");
    ck_assert_int_eq(qc_assessment_office_complying_leaders(a, 0), 1); /* the president alone */
    ck_assert(qc_assessment_office_complies(a, 0));
    ck_assert_int_eq(qc_assessment_total(a, "offices_complying"), 1);
    /* the leaders meeting the quota do not outnumber those handling cases */
    ck_assert_int_le(qc_assessment_office_complying_leaders(a, 0), qc_assessment_office_leaders_handling(a, 0));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST
START_TEST(test_spc_basic_other_leaders) { row("basic", "vice_president", 12, "basic-other-leaders"); } /* 30% */
END_TEST
START_TEST(test_spc_basic_division_chief) { row("basic", "division_chief", 20, "division-chief"); }    /* 50% of the division */
END_TEST
START_TEST(test_spc_intermediate_president) { row("intermediate", "president", 2, "intermediate-president"); }
END_TEST
START_TEST(test_spc_intermediate_other_leaders) { row("intermediate", "committee_member", 8, "intermediate-other-leaders"); }
END_TEST
START_TEST(test_spc_intermediate_division_chief) { row("intermediate", "division_chief", 20, "division-chief"); }
END_TEST

START_TEST(test_name_only_and_non_offset_duties)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    cases(2, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);   /* personal */
    cases(3, "O", "D", "L", "lead", NULL, "A1", NULL);                  /* the assistant did the work */
    cases(4, "O", "D", "L", "lead", "approval", NULL, NULL);           /* approving is not handling */
    cases(1, "O", "D", "L", "lead", "report_heard", "A1", NULL);       /* nor is hearing a report */
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, i), 2, 1e-9);
    ck_assert_int_eq(qc_assessment_leader_name_only(a, i), 4);
    int name_only = 0, insufficient = 0, personal = 0;
    for (int v = 0; v < qc_assessment_verdict_count(a); v++) {
        if (strcmp(qc_assessment_verdict_person(a, v), "L")) continue; /* the judges' are there too */
        const char *verdict = qc_assessment_verdict(a, v);
        name_only += !strcmp(verdict, "name_only");
        insufficient += !strcmp(verdict, "insufficient");
        personal += !strcmp(verdict, "personal");
        if (!strcmp(verdict, "name_only")) /* what the rule asks, and who did it */
            ck_assert_ptr_nonnull(strstr(qc_assessment_verdict_evidence(a, v),
                                         "own acts (none) do not meet the civil requirement (one of hearing_presided, "));
        if (!strcmp(verdict, "name_only"))
            ck_assert_ptr_nonnull(strstr(qc_assessment_verdict_evidence(a, v),
                                         "others' acts on the case do: A1 (hearing_presided, judgment_drafted)"));
    }
    /* in Chinese, with the rules' display names; cut to a buffer at a character boundary */
    int v = 0;
    while (strcmp(qc_assessment_verdict(a, v), "name_only")) v++;
    qc_rules *r;
    char zh[1024], small[8];
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    int len = qc_assessment_verdict_explain(a, v, r, "zh", zh, sizeof zh);
    ck_assert_int_eq(len, (int)strlen(zh));
    ck_assert_msg(strncmp(zh, "疑似挂名办案：本人的办案活动（无）", strlen("疑似挂名办案：本人的办案活动（无）")) == 0, "%s", zh);
    ck_assert_ptr_nonnull(strstr(zh, "他人的办案活动满足：A1（"));
    ck_assert_int_eq(qc_assessment_verdict_explain(a, v, r, "zh", NULL, 0), len);
    ck_assert_int_eq(qc_assessment_verdict_explain(a, v, r, "zh", small, sizeof small), len);
    ck_assert_str_eq(small, "疑似"); /* 6 bytes; the third character would not fit */
    ck_assert_qc_fails(qc_assessment_verdict_explain(a, 99999, r, "zh", zh, sizeof zh), QC_EINVAL, "no verdict");
    qc_rules_free(r);
    ck_assert_int_eq(personal, 2);
    ck_assert_int_eq(name_only, 4);
    ck_assert_int_eq(insufficient, 4);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "met"); /* 2 of 2 required */
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* Index accessors: a bad index gives the empty value and QC_EINVAL, a
 * real zero gives no error, so callers can tell the two apart. */
START_TEST(test_index_accessors)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    cases(1, "O", "D", "L", "lead", "approval", NULL, NULL); /* counted 0: a real zero */
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int i = leader(a, "L"), n = qc_assessment_leader_count(a);
    ck_assert_good_index(qc_assessment_leader_counted(a, i));
    ck_assert_double_eq(qc_assessment_leader_counted(a, i), 0);
    ck_assert_bad_index(qc_assessment_leader_counted(a, n));
    ck_assert_bad_index(qc_assessment_leader_counted(a, -1));
    ck_assert_bad_index(qc_assessment_leader_person(a, n));
    ck_assert_bad_index(qc_assessment_leader_focus_share(a, n));
    ck_assert_bad_index(qc_assessment_leader_counted(NULL, 0));
    ck_assert_bad_index(qc_assessment_person_cases(a, qc_assessment_person_count(a)));
    ck_assert_bad_index(qc_assessment_person_in_quota(a, -1));
    ck_assert_good_index(qc_assessment_office_leaders(a, 0));
    ck_assert_bad_index(qc_assessment_office_leaders(a, qc_assessment_office_count(a)));
    ck_assert_bad_index(qc_assessment_office_complies(a, -5));
    ck_assert_bad_index(qc_assessment_office_level(a, qc_assessment_office_count(a)));
    ck_assert_good_index(qc_assessment_verdict(a, 0));
    ck_assert_bad_index(qc_assessment_verdict(a, qc_assessment_verdict_count(a)));
    ck_assert_bad_index(qc_assessment_verdict_evidence(a, qc_assessment_verdict_count(a)));
    ck_assert_ptr_nonnull(strstr(qc_error_last(), "qc_assessment_verdict_evidence: index"));
    /* NULL where an output or an input belongs */
    int64_t from, to;
    qc_rules *r;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    ck_assert_int_eq(qc_assess(NULL, r, store, NULL, from, to), QC_EINVAL);
    qc_assessment *none = (qc_assessment *)1;
    ck_assert_int_eq(qc_assess(&none, NULL, store, NULL, from, to), QC_EINVAL);
    ck_assert_ptr_null(none);
    none = (qc_assessment *)1;
    ck_assert_int_eq(qc_assess(&none, r, NULL, NULL, from, to), QC_EINVAL);
    ck_assert_ptr_null(none);
    qc_classifier *c = (qc_classifier *)1;
    ck_assert_int_eq(qc_classifier_new(NULL, r), QC_EINVAL);
    ck_assert_int_eq(qc_classifier_new(&c, NULL), QC_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(qc_rules_load_file(NULL, QC_EXAMPLES "/spc-2017.yaml"), QC_EINVAL);
    ck_assert_int_eq(qc_assessment_verdict_explain(a, -1, r, "en", NULL, 0), QC_EINVAL);
    qc_rules_free(r);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

static const char *verdict_on(const qc_assessment *a, const char *person_id, const char *case_id);

START_TEST(test_capacity_weights)
{
    court("basic");
    person("L", "vice_president", "D", "true", NULL, NULL);
    cases(20, "O", "D", "L", "member", "panel_member", NULL, NULL);    /* half each */
    cases(2, "O", "D", "L", "assistant", "panel_member", NULL, NULL);  /* not at all */
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, i), 10, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "short"); /* 12 required */
    /* the cases as assistant are not L's cases at all: no verdict, not counted as handled */
    ck_assert_ptr_null(verdict_on(a, "L", "K00182"));
    for (int p = 0; p < qc_assessment_person_count(a); p++)
        if (!strcmp(qc_assessment_person_id(a, p), "L")) ck_assert_int_eq(qc_assessment_person_cases(a, p), 20);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

START_TEST(test_local_override_and_focus_share)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    cases(4, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    /* 2017 cases are classified by the SPC version, the assessment is by
     * the local version in force at the end of the period */
    qc_assessment *a = assess_with("spc-2017.yaml+court-local-2018.yaml", "2017-05-01..2018-04-30");
    int i = leader(a, "L");
    /* office O is not BC1: the general basic-court row applies (5%) */
    ck_assert_str_eq(qc_assessment_leader_quota(a, i), "basic-president");
    /* focus share 0.3 from the local file: none of the 4 cases is hard */
    ck_assert_double_eq_tol(qc_assessment_leader_focus_share(a, i), 0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "focus_short");
    qc_assessment_free(a);
    /* two hard cases of four: 50% >= 30% */
    cases(2, "O", "D", "L", "lead", "hearing_presided", NULL, "fact.public_interest=true");
    a = assess_with("spc-2017.yaml+court-local-2018.yaml", "2017-05-01..2018-04-30");
    i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_focus_share(a, i), 2.0 / 6.0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "met");
    ck_assert_int_eq(qc_assessment_total(a, "chiefs_handling_hard"), 1);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* Labels given by hand (designations) count in the assessment as the
 * rules' own do: two of four easy cases designated major make the focus
 * share; one designated after the period does not. */
START_TEST(test_designated_cases_count)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    char k[3][32], second[16];
    for (int n = 0; n < 3; n++) snprintf(k[n], sizeof k[n], "case=K%05d", case_serial + 1 + n); /* L's first three */
    snprintf(second, sizeof second, "%s", k[1] + 5);
    cases(4, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    put(QC_KIND_DESIGNATION, k[0], "label=major_sensitive", "by=审判委员会", "date=2017-06-01",
        "reason=社会广泛关注", "decision=审委会决定 2017-3", NULL);
    put(QC_KIND_DESIGNATION, k[1], "label=major_sensitive", "by=院长", "date=2017-07-01", "reason=新类型", NULL);
    put(QC_KIND_DESIGNATION, k[2], "label=major_sensitive", "by=院长", "date=2018-06-01", "reason=later", NULL);
    qc_assessment *a = assess_with("spc-2017.yaml+court-local-2018.yaml", "2017-05-01..2018-04-30");
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_focus_share(a, i), 2.0 / 4.0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "met");
    qc_assessment_free(a);
    /* withdrawn, it no longer counts */
    qc_record *d;
    ck_assert_qc_ok(qc_record_new(&d, QC_KIND_DESIGNATION));
    ck_assert_qc_ok(qc_record_set_text(d, QC_DESIGNATION_CASE, second));
    ck_assert_qc_ok(qc_record_set_text(d, QC_DESIGNATION_LABEL, "major_sensitive"));
    ck_assert_qc_ok(qc_record_set_text(d, QC_DESIGNATION_BY, "院长"));
    ck_assert_qc_ok(qc_record_set_text(d, QC_DESIGNATION_DATE, "2017-07-01"));
    ck_assert_qc_ok(qc_record_set_text(d, QC_DESIGNATION_REASON, "新类型"));
    ck_assert_qc_ok(qc_store_withdraw_record(store, d, "designated in error"));
    qc_record_free(d);
    a = assess_with("spc-2017.yaml+court-local-2018.yaml", "2017-05-01..2018-04-30");
    i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_focus_share(a, i), 1.0 / 4.0, 1e-9);
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "focus_short");
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

START_TEST(test_office_override_applies_to_its_office)
{
    open_store();
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=x", "kind=court", "level=basic", NULL);
    put(QC_KIND_OFFICE, "id=BC1", "name=某基层法院", "kind=court", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=d", "line=civil", NULL);
    put(QC_KIND_PERSON, "id=P", "name=院长", "office=BC1", "role=president", "in_quota=true", NULL);
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/court-local-2018.yaml"));
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2018"));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    int i = leader(a, "P");
    ck_assert_str_eq(qc_assessment_leader_quota(a, i), "local-president");
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, i), 6, 1e-9); /* the floor: no judges, so 10% of 0 */
    ck_assert_str_eq(qc_assessment_leader_status(a, i), "short");
    ck_assert_int_eq(qc_assessment_total(a, "offices"), 2);
    /* O has no leaders: it neither complies nor fails, and is not counted as complying */
    ck_assert_int_eq(qc_assessment_total(a, "offices_complying"), 0);
    ck_assert_int_eq(qc_assessment_total(a, "offices_without_leaders"), 1);
    qc_assessment_free(a);
    ck_assert_qc_fails(qc_assess(&a, r, store, "NOPE", from, to), QC_ENOTFOUND, "no office with id 'NOPE'");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

START_TEST(test_post_change_mid_period)
{
    court("basic");
    /* a division chief until June, vice-president from July */
    person("M", "division_chief", "D", "true", "2016-01-01", "2017-06-30");
    put(QC_KIND_POST, "id=M-2", "person=M", "office=O", "role=vice_president", "in_quota=true", "valid_from=2017-07-01", NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    ck_assert_int_eq(qc_assessment_leader_count(a), 2);
    for (int i = 0; i < 2; i++) {
        ck_assert_str_eq(qc_assessment_leader_person(a, i), "M");
        double f = qc_assessment_leader_fraction(a, i);
        ck_assert(f > 0.49 && f < 0.51);
    }
    int chief = !strcmp(qc_assessment_leader_role(a, 0), "division_chief") ? 0 : 1;
    /* each post's quota is prorated: 50% of 40 for half a year, 30% of 40 for the other half */
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, chief), 20 * qc_assessment_leader_fraction(a, chief), 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, 1 - chief), 12 * qc_assessment_leader_fraction(a, 1 - chief), 1e-9);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* A case of M's with M's acts on day (NULL: none, but a helper's), registered on reg. */
static void case_of_m(const char *id, const char *reg, const char *act_day)
{
    char kv[4][48];
    snprintf(kv[0], sizeof kv[0], "id=%s", id);
    snprintf(kv[1], sizeof kv[1], "registered=%s", reg);
    snprintf(kv[2], sizeof kv[2], "case=%s", id);
    put(QC_KIND_CASE, kv[0], "office=O", "line=civil", "type=contract", kv[1], NULL);
    put(QC_KIND_PARTICIPATION, kv[2], "person=M", "capacity=lead", NULL);
    if (act_day) {
        snprintf(kv[3], sizeof kv[3], "time=%s", act_day);
        put(QC_KIND_ACT, kv[2], "person=M", "kind=hearing_presided", kv[3], NULL);
    } else {
        put(QC_KIND_ACT, kv[2], "person=J1", "kind=hearing_presided", "time=2017-09-01", NULL);
    }
}

/* A person who changes post in one office: each case counts in the post
 * in force on the day of their latest act on it (the registration day if
 * they recorded none), in assess and in the dossier's verdicts. */
START_TEST(test_case_credited_to_the_post_of_its_work)
{
    court("basic");
    person("M", "division_chief", "D", "true", "2016-01-01", "2017-06-30");
    put(QC_KIND_POST, "id=M-2", "person=M", "office=O", "role=vice_president", "in_quota=true", "valid_from=2017-07-01", NULL);
    case_of_m("M1", "2017-03-01", "2017-03-05");  /* chief */
    case_of_m("M2", "2017-04-01", "2017-04-02");  /* chief */
    case_of_m("M3", "2017-06-20", "2017-06-30");  /* chief: the post's last day */
    case_of_m("M4", "2017-06-01", "2017-07-01");  /* registered under the first post, worked under the second */
    case_of_m("M5", "2017-08-01", "2017-08-02");  /* vice-president */
    case_of_m("M6", "2017-12-20", "2018-01-15");  /* worked after the period: its last post */
    case_of_m("M7", "2017-09-01", NULL);          /* no act of M's: the registration day, name only */
    case_of_m("M8", "2017-05-01", NULL);          /* likewise, under the first post */
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    ck_assert_int_eq(qc_assessment_leader_count(a), 2);
    int chief = !strcmp(qc_assessment_leader_role(a, 0), "division_chief") ? 0 : 1, vp = 1 - chief;
    ck_assert_str_eq(qc_assessment_leader_role(a, vp), "vice_president");
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, chief), 3, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, vp), 3, 1e-9);
    ck_assert_int_eq(qc_assessment_leader_name_only(a, chief), 1);
    ck_assert_int_eq(qc_assessment_leader_name_only(a, vp), 1);
    /* the person rows (what dossiers and reports list): one per post, 3 cases each */
    int rows = 0;
    for (int i = 0; i < qc_assessment_person_count(a); i++)
        if (!strcmp(qc_assessment_person_id(a, i), "M")) {
            ck_assert_int_eq(qc_assessment_person_cases(a, i), 3);
            rows++;
        }
    ck_assert_int_eq(rows, 2);
    qc_assessment_free(a);
    /* and in the dossier: each post with its own cases */
    qc_rules *r;
    int64_t from, to;
    char path[] = "/tmp/qc-dossier-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_ok(qc_dossier_write(r, store, "M", from, to, path, "json", NULL));
    char text[8192] = "";
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t got = fread(text, 1, sizeof text - 1, f);
    text[got] = '\0';
    fclose(f);
    unlink(path);
    ck_assert_msg(strstr(text, "\"role\": \"division_chief\", \"cases\": 3,"), "%s", text);
    ck_assert_msg(strstr(text, "\"role\": \"vice_president\", \"cases\": 3,"), "%s", text);
    /* in memory, the same bytes; an unknown person gives nothing */
    char *buffer;
    size_t size;
    ck_assert_qc_ok(qc_dossier_write_buffer(&buffer, &size, r, store, "M", from, to, "json", NULL));
    ck_assert_uint_eq(size, got);
    ck_assert_int_eq(memcmp(buffer, text, got), 0);
    qc_free(buffer);
    ck_assert_int_eq(qc_dossier_write_buffer(&buffer, &size, r, store, "NOBODY", from, to, "json", NULL), QC_ENOTFOUND);
    ck_assert_ptr_null(buffer);
    ck_assert_int_eq(qc_dossier_write_buffer(&buffer, &size, r, store, "M", from, to, "xml", NULL), QC_EINVAL);
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

START_TEST(test_periods)
{
    int64_t from, to, d;
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017"));
    qc_date_parse(&d, "2017-01-01");
    ck_assert_int_eq(from, d);
    qc_date_parse(&d, "2017-12-31");
    ck_assert_int_eq(to, d);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017-Q2"));
    qc_date_parse(&d, "2017-06-30");
    ck_assert_int_eq(to, d);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2016-02"));
    qc_date_parse(&d, "2016-02-29");
    ck_assert_int_eq(to, d);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017-12")); /* the month whose next is in another year */
    qc_date_parse(&d, "2017-12-01");
    ck_assert_int_eq(from, d);
    qc_date_parse(&d, "2017-12-31");
    ck_assert_int_eq(to, d);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017-H2"));
    qc_date_parse(&d, "2017-07-01");
    ck_assert_int_eq(from, d);
    ck_assert_qc_ok(qc_period_parse(&from, &to, "2017-03-01..2017-03-31"));
    ck_assert_int_eq(to - from, 30);
    ck_assert_qc_fails(qc_period_parse(&from, &to, "2017-Q5"), QC_EDATE, "Q1-Q4");
    ck_assert_qc_fails(qc_period_parse(&from, &to, "last year"), QC_EDATE, "want 2017");
    ck_assert_qc_fails(qc_period_parse(&from, &to, "2017-05-01..2017-04-01"), QC_EDATE, "in order");
}
END_TEST

/* A procuratorate with three prosecutors; each case is reviewed. */
static void procuratorate(void)
{
    open_store();
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=某检察院", "kind=procuratorate", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=第一检察部", "line=prosecution", NULL);
    for (int p = 1; p <= 3; p++) {
        char id[8];
        snprintf(id, sizeof id, "P%d", p);
        person(id, "prosecutor", "D", "true", NULL, NULL);
    }
}

/* A prosecution case of P handled personally, closed after `days`,
 * reviewed with grade of scheme (NULL: no review). */
static void reviewed_case(const char *who, const char *registered, int days, const char *scheme, const char *grade)
{
    char id[32], kv[6][64];
    snprintf(id, sizeof id, "R%04d", ++case_serial);
    int64_t reg;
    qc_date_parse(&reg, registered);
    char closed[16];
    qc_date_format(closed, sizeof closed, reg + days);
    snprintf(kv[0], 64, "id=%s", id);
    snprintf(kv[1], 64, "registered=%s", registered);
    snprintf(kv[2], 64, "closed=%s", closed);
    put(QC_KIND_CASE, kv[0], "office=O", "department=D", "line=prosecution", "type=theft", kv[1], kv[2], NULL);
    snprintf(kv[3], 64, "case=%s", id);
    snprintf(kv[4], 64, "person=%s", who);
    put(QC_KIND_PARTICIPATION, kv[3], kv[4], "capacity=lead", NULL);
    char on_day[40];
    snprintf(on_day, sizeof on_day, "time=%s", registered); /* worked on the day it came in */
    put(QC_KIND_ACT, kv[3], kv[4], "kind=file_review", on_day, NULL);
    put(QC_KIND_ACT, kv[3], kv[4], "kind=drafting", on_day, NULL);
    put(QC_KIND_ACT, kv[3], kv[4], "kind=interrogation", on_day, NULL);
    if (scheme) {
        char s1[64], g1[64];
        snprintf(s1, sizeof s1, "scheme=%s", scheme);
        snprintf(g1, sizeof g1, "grade=%s", grade);
        put(QC_KIND_REVIEW, kv[3], g1, s1, "date=2017-12-20", NULL);
    }
}

/* The verdict on person's handling of case_id, or NULL. */
static const char *verdict_on(const qc_assessment *a, const char *person_id, const char *case_id)
{
    for (int v = 0; v < qc_assessment_verdict_count(a); v++)
        if (!strcmp(qc_assessment_verdict_person(a, v), person_id) && !strcmp(qc_assessment_verdict_case(a, v), case_id))
            return qc_assessment_verdict(a, v);
    return NULL;
}

/* A case of `office` in `line` handled by `who`, with the acts given
 * (NULL-ended). */
static void lined_case(const char *id, const char *office, const char *line, const char *who, ...)
{
    char idkv[32], officekv[32], linekv[48], onkv[32], bykv[32];
    snprintf(officekv, sizeof officekv, "office=%s", office);
    snprintf(idkv, sizeof idkv, "id=%s", id);
    snprintf(linekv, sizeof linekv, "line=%s", line);
    snprintf(onkv, sizeof onkv, "case=%s", id);
    snprintf(bykv, sizeof bykv, "person=%s", who);
    put(QC_KIND_CASE, idkv, officekv, linekv, "type=theft", "registered=2017-06-01", NULL);
    put(QC_KIND_PARTICIPATION, onkv, bykv, "capacity=lead", NULL);
    va_list ap;
    va_start(ap, who);
    for (const char *kind; (kind = va_arg(ap, const char *));) {
        char kindkv[48];
        snprintf(kindkv, sizeof kindkv, "kind=%s", kind);
        put(QC_KIND_ACT, onkv, bykv, kindkv, "time=2017-06-05", NULL);
    }
    va_end(ap);
}

/* Each case is judged by the personal-handling rule of its own business
 * line (liaoning-2017: prosecution and arrest review differ), a line
 * without a rule of its own by the default. */
START_TEST(test_personal_rule_of_the_cases_line)
{
    procuratorate();
    person("C", "chief", "D", "true", NULL, NULL);
    lined_case("AR1", "O", "arrest_review", "C", "file_review", "witness_questioning", NULL); /* arrest review: met */
    lined_case("PR1", "O", "prosecution", "C", "file_review", "drafting", "court_appearance", NULL); /* prosecution: met */
    lined_case("PR2", "O", "prosecution", "C", "file_review", "witness_questioning", NULL); /* no drafting: not met */
    lined_case("CV1", "O", "civil", "C", "interrogation", NULL); /* no rule of its own: the default */
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017");
    ck_assert_str_eq(verdict_on(a, "C", "AR1"), "personal");
    ck_assert_str_eq(verdict_on(a, "C", "PR1"), "personal");
    ck_assert_str_eq(verdict_on(a, "C", "PR2"), "insufficient");
    ck_assert_str_eq(verdict_on(a, "C", "CV1"), "personal");
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* The leader row of person in office, or -1. */
static int leader_in(const qc_assessment *a, const char *person_id, const char *office)
{
    for (int i = 0; i < qc_assessment_leader_count(a); i++)
        if (!strcmp(qc_assessment_leader_person(a, i), person_id) && !strcmp(qc_assessment_leader_office(a, i), office))
            return i;
    return -1;
}

/* A leader with posts in two offices over the same period: each case
 * counts in the post of the case's own office. */
START_TEST(test_posts_in_two_offices)
{
    procuratorate();
    put(QC_KIND_OFFICE, "id=O2", "name=另一检察院", "kind=procuratorate", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D2", "office=O2", "name=第一检察部", "line=prosecution", NULL);
    person("C", "chief", "D", "true", NULL, NULL);
    put(QC_KIND_POST, "id=X1", "person=C", "office=O2", "department=D2", "role=deputy_chief", "in_quota=true",
        "valid_from=2017-01-01", NULL);
    static const char *const here[] = {"H1", "H2", "H3", "H4"}, *const there[] = {"T1", "T2"};
    for (int i = 0; i < 4; i++) lined_case(here[i], "O", "prosecution", "C", "file_review", "drafting", "interrogation", NULL);
    for (int i = 0; i < 2; i++) lined_case(there[i], "O2", "prosecution", "C", "file_review", "drafting", "interrogation", NULL);
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017");
    int chief = leader_in(a, "C", "O"), deputy = leader_in(a, "C", "O2");
    ck_assert_int_ge(chief, 0);
    ck_assert_int_ge(deputy, 0);
    ck_assert_str_eq(qc_assessment_leader_role(a, chief), "chief");
    ck_assert_str_eq(qc_assessment_leader_role(a, deputy), "deputy_chief");
    ck_assert_str_eq(qc_assessment_leader_name(a, deputy), "x"); /* a post record's slice takes its person's name */
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, chief), 4, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, deputy), 2, 1e-9);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* The average over handlers of different caseloads, the requirement and
 * the share it gives a leader. */
START_TEST(test_average_of_unequal_caseloads)
{
    open_store();
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=某法院", "kind=court", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=民一庭", "line=civil", NULL);
    static const int loads[] = {10, 30, 40, 40}; /* average 30, not 40 */
    for (int j = 0; j < 4; j++) {
        char id[8];
        snprintf(id, sizeof id, "J%d", j + 1);
        person(id, "judge", "D", "true", NULL, NULL);
        cases(loads[j], "O", "D", id, "sole", "sole_judge", NULL, NULL);
    }
    person("L", "president", "D", "true", NULL, NULL);
    cases(3, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_average(a, i), 30, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, i), 1.5, 1e-9);   /* 5% of 30 */
    ck_assert_double_eq_tol(qc_assessment_leader_required_max(a, i), 3, 1e-9); /* up to 10% */
    ck_assert_double_eq_tol(qc_assessment_leader_share(a, i), 0.1, 1e-9);      /* 3 of 30 */
    ck_assert_str_eq(qc_assessment_leader_name(a, i), "x");
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* average_includes_leaders: true puts the leaders' own cases into the
 * average their requirement is a share of; anything but true or false is
 * an error at its field. */
START_TEST(test_average_including_leaders)
{
    open_store();
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=某法院", "kind=court", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=民一庭", "line=civil", NULL);
    static const int loads[] = {10, 30, 40, 40};
    for (int j = 0; j < 4; j++) {
        char id[8];
        snprintf(id, sizeof id, "J%d", j + 1);
        person(id, "judge", "D", "true", NULL, NULL);
        cases(loads[j], "O", "D", id, "sole", "sole_judge", NULL, NULL);
    }
    person("L", "president", "D", "true", NULL, NULL);
    cases(5, "O", "D", "L", "lead", "hearing_presided", NULL, NULL);
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_ok(qc_rules_load_string(&r, "extends: spc-2017.yaml\nname: with-leaders\nversion: '1'\n"
                                             "effective_from: 2017-05-01\nassessment: {average_includes_leaders: true}\n",
                                             QC_EXAMPLES "/with-leaders.yaml"));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    int i = leader(a, "L");
    ck_assert_double_eq_tol(qc_assessment_leader_average(a, i), 25, 1e-9); /* (10+30+40+40+5) / 5 */
    ck_assert_double_eq_tol(qc_assessment_leader_required(a, i), 1.25, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_share(a, i), 0.2, 1e-9);
    qc_assessment_free(a);
    qc_rules_free(r);
    r = (qc_rules *)&r;
    ck_assert_qc_fails(qc_rules_load_string(&r, "extends: spc-2017.yaml\nname: with-leaders\nversion: '1'\n"
                                                "effective_from: 2017-05-01\nassessment: {average_includes_leaders: yes}\n",
                                                QC_EXAMPLES "/with-leaders.yaml"),
                       QC_ETYPE, "assessment.average_includes_leaders");
    ck_assert_ptr_null(r);
    qc_store_free(store);
}
END_TEST

static int person_row(const qc_assessment *a, const char *id);

/* A case closed exactly at the timeliness limit (45 days) is timely; a
 * day later it is late (x 0.9). */
START_TEST(test_timeliness_at_the_limit)
{
    procuratorate();
    reviewed_case("P1", "2017-06-01", 45, NULL, NULL);
    reviewed_case("P2", "2017-06-01", 46, NULL, NULL);
    reviewed_case("P3", "2017-06-01", 45, NULL, NULL);
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017-05-01..2017-12-31");
    ck_assert_double_eq_tol(qc_assessment_person_score(a, person_row(a, "P1")), 1.0, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_person_score(a, person_row(a, "P2")), 0.9, 1e-9);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST


/* Personal-handling rules may name at most 63 act kinds in all (each is
 * a bit of a mask): 63 load, 64 are refused where they are written. */
START_TEST(test_at_most_63_act_kinds)
{
    for (int kinds = 63; kinds <= 64; kinds++) {
        char yaml[4096];
        int n = snprintf(yaml, sizeof yaml, "extends: spc-2017.yaml\nname: many\nversion: '1'\neffective_from: 2017-05-01\n"
                                            "assessment:\n  personal:\n    civil: {any_of: [");
        for (int i = 0; i < kinds; i++) n += snprintf(yaml + n, sizeof yaml - (size_t)n, "%sk%02d", i ? ", " : "", i);
        snprintf(yaml + n, sizeof yaml - (size_t)n, "]}\n");
        qc_rules *r;
        int rc = qc_rules_load_string(&r, yaml, QC_EXAMPLES "/many.yaml");
        if (kinds == 63) {
            ck_assert_qc_ok(rc);
            qc_rules_free(r);
        } else {
            ck_assert_int_eq(rc, QC_ETOOLONG);
            ck_assert_msg(strstr(qc_error_last(), "many.yaml:7:5: assessment.personal: names more than 63 act kinds"), "%s",
                          qc_error_last());
        }
    }
}
END_TEST


/* Work that cannot count is counted for a warning: acts by people a case
 * does not list (per person and case), and counting participations with
 * no act by their person.  An assistant listed with weight 0 is listed. */
START_TEST(test_work_that_cannot_count)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    cases(2, "O", "D", "L", "lead", "hearing_presided", "A1", NULL); /* A1 acts twice on each, unlisted */
    cases(3, "O", "D", "L", "lead", NULL, NULL, NULL);               /* L listed, no act */
    put(QC_KIND_PARTICIPATION, "case=K00161", "person=A1", "capacity=assistant", NULL); /* now listed on one */
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    ck_assert_int_eq(qc_assessment_total(a, "unlisted_work"), 1);
    ck_assert_int_eq(qc_assessment_total(a, "listed_without_acts"), 3);
    ck_assert_int_eq(qc_assessment_total(a, "no_such_total"), -1);
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST


/* Two leaders listed on one case each get a verdict, the second as much
 * as the first; a leader with exactly one case has the focus share of
 * that one; an act kind the rules do not know shows as "other". */
START_TEST(test_two_leaders_on_one_case)
{
    court("basic");
    person("L1", "president", "D", "true", NULL, NULL);
    person("L2", "vice_president", "D", "true", NULL, NULL);
    put(QC_KIND_CASE, "id=K9", "office=O", "line=civil", "type=contract", "registered=2017-06-10",
        "fact.amount=9000000", NULL);
    put(QC_KIND_PARTICIPATION, "case=K9", "person=L1", "capacity=lead", NULL);
    put(QC_KIND_PARTICIPATION, "case=K9", "person=L2", "capacity=lead", NULL);
    put(QC_KIND_ACT, "case=K9", "person=L1", "kind=hearing_presided", "time=2017-06-11", NULL);
    put(QC_KIND_ACT, "case=K9", "person=L1", "kind=tea_ceremony", "time=2017-06-11", NULL);
    put(QC_KIND_ACT, "case=K9", "person=L2", "kind=hearing_presided", "time=2017-06-12", NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    ck_assert_str_eq(verdict_on(a, "L1", "K9"), "personal");
    ck_assert_ptr_nonnull(verdict_on(a, "L2", "K9"));
    ck_assert_str_eq(verdict_on(a, "L2", "K9"), "personal");
    int l1 = leader(a, "L1"), l2 = leader(a, "L2");
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, l1), 1, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_leader_counted(a, l2), 1, 1e-9);
    for (int v = 0; v < qc_assessment_verdict_count(a); v++)
        if (!strcmp(qc_assessment_verdict_person(a, v), "L1"))
            ck_assert_msg(strstr(qc_assessment_verdict_evidence(a, v), "own acts (hearing_presided, other)"),
                          "%s", qc_assessment_verdict_evidence(a, v));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* Office accessors out of range give 0, as every index accessor does. */
START_TEST(test_office_accessors_out_of_range)
{
    court("basic");
    person("L1", "president", "D", "true", NULL, NULL);
    cases(2, "O", "D", "L1", "lead", "hearing_presided", NULL, NULL);
    qc_assessment *a = assess_with("spc-2017.yaml", "2017");
    int n = qc_assessment_office_count(a);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(qc_assessment_office_complying_leaders(a, 0), 1);
    ck_assert_int_eq(qc_assessment_office_leaders_handling(a, 0), 1);
    ck_assert_bad_index(qc_assessment_office_complying_leaders(a, n));
    ck_assert_bad_index(qc_assessment_office_leaders_handling(a, n));
    ck_assert_bad_index(qc_assessment_office_complying_leaders(a, -1));
    ck_assert_bad_index(qc_assessment_office_leaders_handling(a, -1));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* Scores scaled to an office whose average is below 1 (every case
 * unacceptable, 0.5 each), grade thresholds without an "excellent" one,
 * and an office where nobody scored. */
START_TEST(test_scores_below_one_and_no_excellent_grade)
{
    procuratorate();
    reviewed_case("P1", "2017-06-01", 10, "spp2026", "unacceptable");
    reviewed_case("P2", "2017-06-01", 10, "spp2026", "unacceptable");
    reviewed_case("P3", "2017-06-01", 10, "spp2026", "unacceptable");
    reviewed_case("P3", "2017-06-01", 10, "spp2026", "unacceptable");
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017-05-01..2017-12-31");
    ck_assert_qc_ok(qc_rules_load_string(&r, "extends: liaoning-2017.yaml\nname: no-excellent\nversion: '1'\n"
                                             "effective_from: 2017-05-01\n"
                                             "assessment:\n  scores:\n    scheme: spp2026\n"
                                             "    grades: {spp2026: {excellent: 1.2, acceptable: 1.0, unacceptable: 0.5}}\n"
                                             "    normalise: office\n"
                                             "    thresholds: {competent: 80, basically_competent: 60}\n",
                                             QC_EXAMPLES "/no-excellent.yaml"));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    int p1 = person_row(a, "P1"), p3 = person_row(a, "P3");
    /* average (0.5 + 0.5 + 1.0) / 3 = 2/3: P1 75, P3 150 */
    ck_assert_double_eq_tol(qc_assessment_person_normalised(a, p1), 75, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_person_normalised(a, p3), 150, 1e-9);
    ck_assert_str_eq(qc_assessment_person_grade(a, p1), "basically_competent");
    ck_assert_str_eq(qc_assessment_person_grade(a, p3), "competent"); /* no excellent without its threshold */
    qc_assessment_free(a);
    /* a month with no cases: nobody scored, everyone normalised to 0 */
    qc_period_parse(&from, &to, "2017-05");
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    ck_assert_double_eq_tol(qc_assessment_person_normalised(a, person_row(a, "P2")), 0, 1e-12);
    qc_assessment_free(a);
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

static int person_row(const qc_assessment *a, const char *id)
{
    for (int i = 0; i < qc_assessment_person_count(a); i++)
        if (!strcmp(qc_assessment_person_id(a, i), id)) return i;
    ck_abort_msg("no person %s", id);
    return -1;
}

START_TEST(test_scores_and_grade_set_versions)
{
    procuratorate();
    /* P1: excellent in the 2026 set (1.2), flawed in the 2017 set, which
     * the explicit mapping reads as basically_acceptable (0.9) */
    reviewed_case("P1", "2017-06-01", 10, "spp2026", "excellent");
    reviewed_case("P1", "2017-06-01", 10, "spp2017", "flawed");
    /* P2: one unreviewed case (1.0), closed late (x 0.9) */
    reviewed_case("P2", "2017-06-01", 60, NULL, NULL);
    reviewed_case("P2", "2017-06-01", 10, "spp2026", "acceptable");
    /* P3: one case, unacceptable (0.5) */
    reviewed_case("P3", "2017-06-01", 10, "spp2026", "unacceptable");
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017-05-01..2017-12-31");
    int p1 = person_row(a, "P1"), p2 = person_row(a, "P2"), p3 = person_row(a, "P3");
    ck_assert_double_eq_tol(qc_assessment_person_score(a, p1), 1.2 + 0.9, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_person_score(a, p2), 0.9 + 1.0, 1e-9);
    ck_assert_double_eq_tol(qc_assessment_person_score(a, p3), 0.5, 1e-9);
    double avg = (2.1 + 1.9 + 0.5) / 3;
    ck_assert_double_eq_tol(qc_assessment_person_normalised(a, p1), 100 * 2.1 / avg, 1e-9);
    ck_assert_str_eq(qc_assessment_person_grade(a, p1), "excellent");   /* 140 */
    ck_assert_str_eq(qc_assessment_person_grade(a, p2), "excellent");   /* 126.7 */
    ck_assert_str_eq(qc_assessment_person_grade(a, p3), "incompetent"); /* 33.3 */
    ck_assert_str_eq(qc_assessment_person_consequence(a, p3), "leaves_quota");
    ck_assert_ptr_null(qc_assessment_person_consequence(a, p1));
    qc_assessment_free(a);
    /* a grade no mapping reaches is an error, not a silent 1.0 */
    put(QC_KIND_REVIEW, "case=R0001", "grade=so_so", "scheme=spp2017", "date=2017-12-30", NULL);
    qc_rules *r;
    int64_t from, to;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/liaoning-2017.yaml"));
    qc_period_parse(&from, &to, "2017-05-01..2017-12-31");
    ck_assert_qc_fails(qc_assess(&a, r, store, NULL, from, to), QC_EVALUE,
                       "review of case R0001: grade 'so_so' of scheme spp2017 has no multiplier in spp2026");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

START_TEST(test_consequence_needs_two_periods)
{
    procuratorate();
    /* May-July: P1 2.0, P2 2.0, P3 1.4 (office average 1.8: P3 scores 77.8,
     * basically competent).  August-October: P1 3.0, P2 1.4, P3 1.4
     * (average 1.93: P2 and P3 score 72.4, basically competent).  The
     * earlier period is as long as the assessed one (92 days) and ends the
     * day before it: its cases are registered on its first day, 1 May. */
    reviewed_case("P1", "2017-05-01", 5, "spp2026", "acceptable");
    reviewed_case("P1", "2017-05-01", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-05-01", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-05-01", 5, "spp2026", "acceptable");
    reviewed_case("P3", "2017-05-01", 5, "spp2026", "basically_acceptable");
    reviewed_case("P3", "2017-05-01", 5, "spp2026", "unacceptable");
    for (int k = 0; k < 3; k++) reviewed_case("P1", "2017-08-02", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-08-02", 5, "spp2026", "basically_acceptable");
    reviewed_case("P2", "2017-08-02", 5, "spp2017", "unacceptable");
    reviewed_case("P3", "2017-08-02", 5, "spp2017", "flawed");
    reviewed_case("P3", "2017-08-02", 5, "spp2026", "unacceptable");
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017-08-01..2017-10-31");
    int p1 = person_row(a, "P1"), p2 = person_row(a, "P2"), p3 = person_row(a, "P3");
    ck_assert_double_eq_tol(qc_assessment_person_normalised(a, p3), 100 * 1.4 / (5.8 / 3), 1e-9);
    ck_assert_str_eq(qc_assessment_person_grade(a, p1), "excellent");
    ck_assert_str_eq(qc_assessment_person_grade(a, p2), "basically_competent");
    ck_assert_str_eq(qc_assessment_person_grade(a, p3), "basically_competent");
    /* two periods in a row: leaves the quota; one: not yet */
    ck_assert_str_eq(qc_assessment_person_consequence(a, p3), "leaves_quota");
    ck_assert_ptr_null(qc_assessment_person_consequence(a, p2));
    ck_assert_ptr_null(qc_assessment_person_consequence(a, p1));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

/* The earlier period of a month is the calendar month before, whatever
 * its length: September (30 days) looks back at all of August (31), its
 * first day included. */
START_TEST(test_consequence_looks_back_by_calendar_period)
{
    procuratorate();
    reviewed_case("P1", "2017-08-01", 5, "spp2026", "acceptable");
    reviewed_case("P1", "2017-08-01", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-08-01", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-08-01", 5, "spp2026", "acceptable");
    reviewed_case("P3", "2017-08-01", 5, "spp2026", "basically_acceptable");
    reviewed_case("P3", "2017-08-01", 5, "spp2026", "unacceptable");
    for (int k = 0; k < 3; k++) reviewed_case("P1", "2017-09-02", 5, "spp2026", "acceptable");
    reviewed_case("P2", "2017-09-02", 5, "spp2026", "basically_acceptable");
    reviewed_case("P2", "2017-09-02", 5, "spp2017", "unacceptable");
    reviewed_case("P3", "2017-09-02", 5, "spp2017", "flawed");
    reviewed_case("P3", "2017-09-02", 5, "spp2026", "unacceptable");
    qc_assessment *a = assess_with("liaoning-2017.yaml", "2017-09");
    ck_assert_str_eq(qc_assessment_person_grade(a, person_row(a, "P3")), "basically_competent");
    ck_assert_str_eq(qc_assessment_person_consequence(a, person_row(a, "P3")), "leaves_quota");
    ck_assert_ptr_null(qc_assessment_person_consequence(a, person_row(a, "P2")));
    qc_assessment_free(a);
    /* a span that is not whole months looks back by its length in days:
     * 2017-09-02..2017-09-30 (29 days) after 2017-08-04..2017-09-01, which
     * misses the cases of 1 August */
    a = assess_with("liaoning-2017.yaml", "2017-09-02..2017-09-30");
    ck_assert_ptr_null(qc_assessment_person_consequence(a, person_row(a, "P3")));
    qc_assessment_free(a);
    qc_store_free(store);
}
END_TEST

START_TEST(test_office_compliance_rule_is_configurable)
{
    court("basic");
    person("L1", "president", "D", "true", NULL, NULL);
    person("L2", "vice_president", "D", "true", NULL, NULL);
    cases(2, "O", "D", "L1", "lead", "hearing_presided", NULL, NULL); /* met (2 of 2) */
    cases(1, "O", "D", "L2", "lead", "hearing_presided", NULL, NULL); /* short (1 of 12) */
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    ck_assert_int_eq(qc_assessment_office_complies(a, 0), 0); /* all leaders must meet */
    qc_assessment_free(a);
    qc_rules_free(r);
    /* a local rule: half the leaders suffice */
    ck_assert_qc_ok(qc_rules_load_string(&r, "extends: spc-2017.yaml\nname: half\nversion: '1'\neffective_from: 2017-05-01\n"
                                             "assessment: {office_compliance: 0.5}\n", QC_EXAMPLES "/half.yaml"));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    ck_assert_int_eq(qc_assessment_office_complies(a, 0), 1);
    ck_assert_int_eq(qc_assessment_office_complying_leaders(a, 0), 1);
    qc_assessment_free(a);
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

/* Everything an assessment says, as text, to compare two of them. */
static void describe(const qc_assessment *a, char *out, size_t size)
{
    size_t n = 0;
#define ADD(...) (n += (size_t)snprintf(out + n, n < size ? size - n : 0, __VA_ARGS__))
    for (int i = 0; i < qc_assessment_person_count(a); i++)
        ADD("%s %s %d %.9g %s %s\n", qc_assessment_person_id(a, i), qc_assessment_person_office(a, i),
            qc_assessment_person_cases(a, i), qc_assessment_person_score(a, i),
            qc_assessment_person_grade(a, i) ? qc_assessment_person_grade(a, i) : "-",
            qc_assessment_person_consequence(a, i) ? qc_assessment_person_consequence(a, i) : "-");
    for (int i = 0; i < qc_assessment_leader_count(a); i++)
        ADD("%s %.9g %.9g %.9g %d %s\n", qc_assessment_leader_person(a, i), qc_assessment_leader_counted(a, i),
            qc_assessment_leader_required(a, i), qc_assessment_leader_focus_share(a, i),
            qc_assessment_leader_name_only(a, i), qc_assessment_leader_status(a, i));
    for (int i = 0; i < qc_assessment_verdict_count(a); i++)
        ADD("%s %s %s %s\n", qc_assessment_verdict_person(a, i), qc_assessment_verdict_case(a, i),
            qc_assessment_verdict(a, i), qc_assessment_verdict_evidence(a, i));
    for (int i = 0; i < qc_assessment_office_count(a); i++)
        ADD("%s %d %d\n", qc_assessment_office_id(a, i), qc_assessment_office_complies(a, i),
            qc_assessment_office_complying_leaders(a, i));
    ADD("%lld %lld %lld\n", (long long)qc_assessment_total(a, "leaders_handling"),
        (long long)qc_assessment_total(a, "cases_by_leaders"), (long long)qc_assessment_total(a, "chiefs_handling_hard"));
#undef ADD
    ck_assert_uint_lt(n, size);
}

/* Many cases, written out of case order, with name-only and shared work:
 * the assessment is the same with one thread and with two. */
START_TEST(test_threads_do_not_change_results)
{
    court("basic");
    person("L", "president", "D", "true", NULL, NULL);
    person("V", "vice_president", "D", "true", NULL, NULL);
    cases(30, "O", "D", "L", "lead", NULL, "A1", NULL);
    cases(30, "O", "D", "V", "presiding", "hearing_presided", NULL, NULL);
    /* more acts recorded later, newest case first, so that the order of
     * the acts table is not the order of the cases */
    for (int i = case_serial; i >= 1; i--) {
        char kase[32], who[32], kind[48];
        snprintf(kase, sizeof kase, "case=K%05d", i);
        snprintf(who, sizeof who, "person=%s", i % 3 ? "J1" : i % 2 ? "L" : "V");
        snprintf(kind, sizeof kind, "kind=%s", i % 5 ? "hearing_presided" : "approval");
        put(QC_KIND_ACT, kase, who, kind, "time=2017-12-01", NULL);
    }
    qc_rules *r;
    int64_t from, to;
    static char one[1 << 18], two[1 << 18];
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    qc_period_parse(&from, &to, "2017");
    qc_assessment *a;
    ck_assert_qc_ok(qc_store_set_threads(store, 1));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    describe(a, one, sizeof one);
    ck_assert_int_gt(qc_assessment_leader_name_only(a, leader(a, "L")), 0); /* the data is not trivial */
    qc_assessment_free(a);
    ck_assert_qc_ok(qc_store_set_threads(store, 2));
    ck_assert_qc_ok(qc_assess(&a, r, store, NULL, from, to));
    describe(a, two, sizeof two);
    qc_assessment_free(a);
    ck_assert_str_eq(one, two);
    ck_assert_qc_fails(qc_store_set_threads(store, -1), QC_EINVAL, "negative");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

/* A backend that claims version 2 but returns acts in insertion order. */
static qc_backend liar;
static int liar_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *f)
{
    qc_filter *plain;
    int rc = qc_filter_new(&plain);
    if (rc < 0) return rc;
    qc_filter_set_office(plain, qc_filter_office(f));
    qc_filter_set_person(plain, qc_filter_person(f));
    qc_filter_set_case(plain, qc_filter_case(f));
    qc_filter_set_line(plain, qc_filter_line(f));
    if (qc_filter_has_dates(f)) qc_filter_set_dates(plain, qc_filter_from(f), qc_filter_to(f));
    rc = qc_backend_memory()->iter_open(out, conn, kind, plain); /* by_case dropped */
    qc_filter_free(plain);
    return rc;
}

START_TEST(test_out_of_order_backend_is_caught)
{
    liar = *qc_backend_memory();
    liar.name = "liar";
    liar.iter_open = liar_iter_open;
    liar.iter_by_case = liar_iter_open; /* version 3: the by-case reading has its own slot */
    ck_assert_qc_ok(qc_store_open_backend(&store, &liar, ""));
    case_serial = 0;
    put(QC_KIND_OFFICE, "id=O", "name=x", "kind=court", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=x", "line=civil", NULL);
    person("J1", "judge", "D", "true", NULL, NULL);
    cases(2, "O", "D", "J1", "sole", NULL, NULL, NULL);
    put(QC_KIND_ACT, "case=K00002", "person=J1", "kind=sole_judge", "time=2017-11-01", NULL);
    put(QC_KIND_ACT, "case=K00001", "person=J1", "kind=sole_judge", "time=2017-11-01", NULL);
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_fails(qc_assess(&a, r, store, NULL, from, to), QC_EBACKEND, "out of case order ('K00001' after 'K00002')");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

/* A backend whose case iteration runs backwards: it reads the ids in
 * order through the memory backend, then hands the cases out last first.
 * Every other kind goes straight through. */
typedef struct {
    qc_backend_cursor base;   /* first, as backend.h asks */
    qc_backend_cursor *inner; /* the memory backend's cursor, for every kind but cases */
    char ids[8][16];
    int left;
} backwards_cursor;
static int backwards_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *f)
{
    const qc_backend *mem = qc_backend_memory();
    backwards_cursor *c = calloc(1, sizeof *c);
    c->base.conn = conn;
    int rc = mem->iter_open(&c->inner, conn, kind, f);
    if (rc == QC_OK && kind == QC_KIND_CASE) {
        qc_record *r;
        ck_assert_qc_ok(qc_record_new(&r, QC_KIND_CASE));
        while (mem->iter_next(c->inner, r) == QC_OK) {
            ck_assert_int_lt(c->left, 8);
            snprintf(c->ids[c->left++], sizeof c->ids[0], "%s", qc_record_text(r, QC_CASE_ID));
            qc_record_clear(r);
        }
        qc_record_free(r);
        mem->iter_close(c->inner);
        c->inner = NULL;
    }
    *out = &c->base;
    return rc;
}
static int backwards_next(qc_backend_cursor *cursor, qc_record *out)
{
    backwards_cursor *c = (backwards_cursor *)cursor;
    if (c->inner) return qc_backend_memory()->iter_next(c->inner, out);
    return c->left ? qc_backend_memory()->get(c->base.conn, QC_KIND_CASE, c->ids[--c->left], out) : QC_ITEROVER;
}
static void backwards_close(qc_backend_cursor *cursor)
{
    backwards_cursor *c = (backwards_cursor *)cursor;
    if (c->inner) qc_backend_memory()->iter_close(c->inner);
    free(c);
}

/* Cases that come out of id order are caught, as acts out of order are. */
START_TEST(test_cases_out_of_order_are_caught)
{
    liar = *qc_backend_memory();
    liar.name = "backwards";
    liar.iter_open = backwards_open;
    liar.iter_next = backwards_next;
    liar.iter_close = backwards_close;
    liar.iter_by_case = NULL;
    ck_assert_qc_ok(qc_store_open_backend(&store, &liar, ""));
    put(QC_KIND_OFFICE, "id=O", "name=x", "kind=court", "level=basic", NULL);
    put(QC_KIND_DEPARTMENT, "id=D", "office=O", "name=x", "line=civil", NULL);
    person("J1", "judge", "D", "true", NULL, NULL);
    put(QC_KIND_CASE, "id=K1", "office=O", "line=civil", "type=contract", "registered=2017-06-10", NULL);
    put(QC_KIND_CASE, "id=K2", "office=O", "line=civil", "type=contract", "registered=2017-06-10", NULL);
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_fails(qc_assess(&a, r, store, NULL, from, to), QC_EBACKEND, "('K1' after 'K2')");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

/* A file no library wrote: a person id longer than a whole feed block is
 * an error, not a loop. */
START_TEST(test_foreign_overlong_id_is_an_error)
{
    court("basic");
    qc_store_free(store);
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' \"INSERT INTO participations(\\\"case\\\", person, capacity)"
             " VALUES ('K00001', printf('%%.*c', 70000, 'x'), 'sole')\" 2>/dev/null",
             store_uri + strlen("sqlite:"));
    if (system(cmd) != 0) return; /* no sqlite3 shell: nothing to test with */
    ck_assert_qc_ok(qc_store_open(&store, store_uri));
    qc_rules *r;
    qc_assessment *a;
    int64_t from, to;
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    qc_period_parse(&from, &to, "2017");
    ck_assert_qc_fails(qc_assess(&a, r, store, NULL, from, to), QC_ESCHEMA, "is too long");
    qc_rules_free(r);
    qc_store_free(store);
    /* an act's time no library would write (the year 3170), read as a value only: a corrupt row */
    court("basic");
    qc_store_free(store);
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"UPDATE acts SET time = 37000000000 WHERE seq = 1\" 2>/dev/null",
             store_uri + strlen("sqlite:"));
    if (system(cmd) != 0) return;
    ck_assert_qc_ok(qc_store_open(&store, store_uri));
    ck_assert_qc_ok(qc_rules_load_file(&r, QC_EXAMPLES "/spc-2017.yaml"));
    ck_assert_qc_fails(qc_assess(&a, r, store, NULL, from, to), QC_ESCHEMA, "corrupt row");
    qc_rules_free(r);
    qc_store_free(store);
}
END_TEST

static void use_memory(void) { on_sqlite = false; }
static void use_sqlite(void) { on_sqlite = true; }

/* The same tests on each path; the fixture picks it before they run. */
static TCase *assess_case(bool sqlite)
{
    TCase *tc = tcase_create(sqlite ? "sqlite file, two threads" : "memory, one thread");
    tcase_add_unchecked_fixture(tc, sqlite ? use_sqlite : use_memory, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_periods);
    tcase_add_test(tc, test_spc_basic_president);
    tcase_add_test(tc, test_spc_basic_other_leaders);
    tcase_add_test(tc, test_spc_basic_division_chief);
    tcase_add_test(tc, test_nothing_required_is_not_met);
    tcase_add_test(tc, test_spc_intermediate_president);
    tcase_add_test(tc, test_spc_intermediate_other_leaders);
    tcase_add_test(tc, test_spc_intermediate_division_chief);
    tcase_add_test(tc, test_name_only_and_non_offset_duties);
    tcase_add_test(tc, test_index_accessors);
    tcase_add_test(tc, test_capacity_weights);
    tcase_add_test(tc, test_local_override_and_focus_share);
    tcase_add_test(tc, test_designated_cases_count);
    tcase_add_test(tc, test_office_override_applies_to_its_office);
    tcase_add_test(tc, test_post_change_mid_period);
    tcase_add_test(tc, test_case_credited_to_the_post_of_its_work);
    tcase_add_test(tc, test_scores_and_grade_set_versions);
    tcase_add_test(tc, test_personal_rule_of_the_cases_line);
    tcase_add_test(tc, test_posts_in_two_offices);
    tcase_add_test(tc, test_average_of_unequal_caseloads);
    tcase_add_test(tc, test_average_including_leaders);
    tcase_add_test(tc, test_two_leaders_on_one_case);
    tcase_add_test(tc, test_timeliness_at_the_limit);
    if (!sqlite) tcase_add_test(tc, test_at_most_63_act_kinds);
    tcase_add_test(tc, test_work_that_cannot_count);
    tcase_add_test(tc, test_office_accessors_out_of_range);
    tcase_add_test(tc, test_scores_below_one_and_no_excellent_grade);
    tcase_add_test(tc, test_office_compliance_rule_is_configurable);
    tcase_add_test(tc, test_consequence_needs_two_periods);
    tcase_add_test(tc, test_consequence_looks_back_by_calendar_period);
    tcase_add_test(tc, test_threads_do_not_change_results);
    if (!sqlite) tcase_add_test(tc, test_out_of_order_backend_is_caught);
    if (!sqlite) tcase_add_test(tc, test_cases_out_of_order_are_caught);
    if (sqlite) tcase_add_test(tc, test_foreign_overlong_id_is_an_error);
    return tc;
}

int main(void)
{
    if (!qc_test_tmpdir(tmpdir, sizeof tmpdir, "assess")) return EXIT_FAILURE;
    Suite *s = suite_create("assess");
    suite_add_tcase(s, assess_case(false));
    suite_add_tcase(s, assess_case(true));
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    qc_test_rmdir(tmpdir);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
