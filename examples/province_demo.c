/* SPDX-License-Identifier: MIT
 * province_demo.c - a synthetic province for the README's main job.
 *
 *   province_demo STORE-URI        (e.g. sqlite:province.db; the store must be new)
 *
 * Writes 137 procuratorates (the provincial one, 14 city offices, 122
 * basic offices), their leaders within the quota, ordinary prosecutors and
 * assistants, and May-December 2017 of cases with participations, acts and
 * quality reviews - built so that assessing it with
 * examples/rules/liaoning-2017.yaml reproduces the figures of the seed
 * article (Liaoning Legal Daily, 12 July 2017):
 *
 *   133 of 137 offices comply; 1,274 leaders within the quota handled
 *   10,345 cases; 280 chiefs and deputies handled major, difficult or
 *   complex cases.
 *
 * The four offices that fail do so for what the rules catch, not for counts
 * planted short: two leaders are listed as handlers of cases their
 * assistants worked (name-only handling), and two handle only easy cases
 * (the focus share).  Deterministic: the same store every run.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <quotacase.h>

enum {
    CITIES = 14, BASIC_PER_CITY = 9, BASIC_EXTRA = 122 - 14 * 9, /* 122 basic offices */
    TARGET_CASES = 10345, TARGET_HANDLING = 1274, TARGET_CHIEFS_HARD = 280,
    PROSECUTORS_PER_DEPT = 3, PROSECUTOR_CASES = 14
};

static const char *const cities[CITIES] = {"沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州",
                                           "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"明", "华", "伟", "芳", "军", "静", "磊", "敏", "强", "洋", "勇", "艳", "杰", "娟", "涛", "超"};

static qc_store *store;
static qc_record *rec[QC_KIND_COUNT];
static long serial;

static void die(const char *what)
{
    fprintf(stderr, "province_demo: %s: %s\n", what, qc_error_last());
    exit(1);
}

/* Put a record of kind from "field=value" pairs ("fact.x=v" for facts). */
static void put(qc_kind kind, ...)
{
    qc_record *r = rec[kind];
    qc_record_clear(r);
    va_list ap;
    va_start(ap, kind);
    for (const char *kv; (kv = va_arg(ap, const char *));) {
        const char *eq = strchr(kv, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - kv), kv);
        int rc = !strncmp(name, "fact.", 5) ? qc_record_set_fact_parse(r, name + 5, QC_TYPE_NULL, eq + 1)
                                             : qc_record_set_text(r, qc_field_lookup(kind, name), eq + 1);
        if (rc < 0) die(kv);
    }
    va_end(ap);
    if (qc_store_put(store, r) < 0) die("put");
}

static const char *fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, size, f, ap);
    va_end(ap);
    return buf;
}

static void person(const char *id, const char *office, const char *dept, const char *role, int in_quota)
{
    char a[64], b[64], c[64], d[64], e[64];
    long n = serial++;
    put(QC_KIND_PERSON, fmt(a, 64, "id=%s", id),
        fmt(b, 64, "name=%s%s%s", surnames[n % 16], given[(n / 16) % 16], n % 3 ? given[(n / 7) % 16] : ""),
        fmt(c, 64, "office=%s", office), fmt(d, 64, "department=%s", dept ? dept : ""), fmt(e, 64, "role=%s", role),
        in_quota ? "in_quota=true" : "in_quota=false", NULL);
}

/* What a case needs, and who does the work on it. */
typedef enum kind_of_case { EASY, LABELLED, HARD } kind_of_case;

static long case_no;

/* The case's procedural steps (docs/deadlines.md): intake on the day it
 * was registered; every tenth returned for supplementary investigation
 * once; indicted 25 days after intake (35 for one in seven, 70 if
 * returned) unless that falls after the year's end - those are open at
 * 2017-12-31, some of them near their due day, and warn; one in 97 stalls
 * with no decision, overdue.  A major case is discussed by the
 * committee before it is decided, as the rules require. */
static void steps(const char *id, const char *day, bool major, const char *handler)
{
    char a[64], b[64], c[64], when[32];
    int64_t intake;
    if (qc_date_parse(&intake, day) < 0) die("date");
    put(QC_KIND_STEP, fmt(a, 64, "case=%s", id), "kind=intake_prosecution", fmt(b, 64, "date=%s", day), NULL);
    bool returned = case_no % 10 == 0, stalls = case_no % 97 == 0;
    if (returned) {
        qc_date_format(when, sizeof when, intake + 20);
        put(QC_KIND_STEP, fmt(a, 64, "case=%s", id), "kind=return_supplementary", fmt(b, 64, "date=%s", when), NULL);
        qc_date_format(when, sizeof when, intake + 45);
        if (strcmp(when, "2017-12-31") <= 0)
            put(QC_KIND_STEP, fmt(a, 64, "case=%s", id), "kind=resubmitted", fmt(b, 64, "date=%s", when), NULL);
    }
    /* one in seven takes 35 days: those of late November and early December
     * are still open on 2017-12-31, around their due day */
    int64_t decided = intake + (returned ? 70 : case_no % 7 == 0 ? 35 : 25);
    qc_date_format(when, sizeof when, decided);
    if (stalls || strcmp(when, "2017-12-31") > 0) return;
    if (major) {
        char t[64];
        qc_date_format(c, sizeof c, decided - 1);
        put(QC_KIND_ACT, fmt(a, 64, "case=%s", id), fmt(b, 64, "person=%s", handler), "kind=committee",
            fmt(t, 64, "time=%sT15:00", c), NULL);
    }
    put(QC_KIND_STEP, fmt(a, 64, "case=%s", id), "kind=indictment", fmt(b, 64, "date=%s", when), NULL);
}

/* One case of office in department, listed as handled by `handler`; the
 * acts are done by `worker` (the handler, or an assistant: name-only). */
static void one_case(const char *office, const char *dept, const char *handler, const char *worker, kind_of_case k)
{
    char id[32], a[64], b[64], c[64], d[64], e[64], day[32], p[64], w[64];
    snprintf(id, sizeof id, "C17-%06ld", ++case_no);
    int month = 5 + (int)(case_no % 8), dom = 1 + (int)(case_no % 27);
    snprintf(day, sizeof day, "2017-%02d-%02d", month, dom);
    put(QC_KIND_CASE, fmt(a, 64, "id=%s", id), fmt(b, 64, "office=%s", office), fmt(c, 64, "department=%s", dept),
        "line=prosecution", k == HARD ? "type=robbery" : "type=theft", fmt(d, 64, "registered=%s", day),
        k == LABELLED ? "source=assigned" : "source=random", k == HARD ? "fact.max_sentence_years=12" : "fact.max_sentence_years=3",
        fmt(e, 64, "fact.defendants=%d", 1 + (int)(case_no % 3)), NULL);
    put(QC_KIND_PARTICIPATION, fmt(a, 64, "case=%s", id), fmt(p, 64, "person=%s", handler), "capacity=lead", NULL);
    static const char *const acts[] = {"file_review", "interrogation", "drafting"};
    for (int i = 0; i < 3; i++) {
        snprintf(b, sizeof b, "time=2017-%02d-%02dT%02d:00", month, dom, 9 + i);
        put(QC_KIND_ACT, fmt(a, 64, "case=%s", id), fmt(w, 64, "person=%s", worker), fmt(c, 64, "kind=%s", acts[i]), b, NULL);
    }
    if (strcmp(worker, handler)) /* the listed handler only approved */
        put(QC_KIND_ACT, fmt(a, 64, "case=%s", id), fmt(p, 64, "person=%s", handler), "kind=approval",
            fmt(b, 64, "time=2017-%02d-%02dT17:00", month, dom), NULL);
    steps(id, day, k == HARD, handler);
    static const char *const grades[] = {"excellent", "acceptable", "acceptable", "acceptable", "flawed"};
    put(QC_KIND_REVIEW, fmt(a, 64, "case=%s", id), fmt(b, 64, "grade=%s", grades[case_no % 5]), "scheme=spp2017",
        "reviewer=案件管理部", "date=2018-01-15", NULL);
}

/* n cases handled personally by person, `labelled` of them labelled (one
 * of those hard if hard), the rest easy. */
static void cases(const char *office, const char *dept, const char *person, int n, int labelled, int hard)
{
    for (int i = 0; i < n; i++)
        one_case(office, dept, person, person, i < hard ? HARD : i < labelled ? LABELLED : EASY);
}

typedef struct leader {
    char id[24], office[16], dept[24];
    const char *role;
    int office_index;
} leader;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s STORE-URI (a new store, e.g. sqlite:province.db)\n", argv[0]);
        return 2;
    }
    if (qc_store_open(&store, argv[1]) < 0) die(argv[1]);
    int64_t existing;
    if (qc_store_count(&existing, store, QC_KIND_OFFICE, NULL) < 0) die("count");
    if (existing) {
        fprintf(stderr, "province_demo: %s is not empty\n", argv[1]);
        return 1;
    }
    for (int k = 1; k < QC_KIND_COUNT; k++)
        if (qc_record_new(&rec[k], (qc_kind)k) < 0) die("record");
    if (qc_store_begin(store) < 0) die("begin");

    /* offices: the province, 14 cities, 122 basic offices */
    char a[64], b[128], c[64];
    char office_ids[137][16];
    const char *levels[137];
    int noffices = 0;
    put(QC_KIND_OFFICE, "id=LN", "name=辽宁省人民检察院", "kind=procuratorate", "level=provincial", NULL);
    strcpy(office_ids[noffices], "LN");
    levels[noffices++] = "provincial";
    for (int ci = 0; ci < CITIES; ci++) {
        snprintf(office_ids[noffices], 16, "C%02d", ci + 1);
        put(QC_KIND_OFFICE, fmt(a, 64, "id=%s", office_ids[noffices]), fmt(b, 128, "name=%s市人民检察院", cities[ci]),
            "kind=procuratorate", "level=city", "parent=LN", NULL);
        levels[noffices++] = "city";
    }
    for (int bi = 0; bi < 122; bi++) {
        int ci = bi < CITIES * BASIC_PER_CITY ? bi / BASIC_PER_CITY : bi - CITIES * BASIC_PER_CITY;
        snprintf(office_ids[noffices], 16, "B%03d", bi + 1);
        put(QC_KIND_OFFICE, fmt(a, 64, "id=%s", office_ids[noffices]), fmt(b, 128, "name=%s市第%d基层人民检察院", cities[ci], bi % BASIC_PER_CITY + 1),
            fmt(c, 64, "parent=C%02d", ci + 1), "kind=procuratorate", "level=basic", NULL);
        levels[noffices++] = "basic";
    }

    /* people: leaders, their departments, prosecutors and an assistant per office */
    static leader leaders[1400];
    int nleaders = 0, case_mgmt_left = 40;
    for (int o = 0; o < noffices; o++) {
        const char *office = office_ids[o];
        bool prov = !strcmp(levels[o], "provincial"), city = !strcmp(levels[o], "city");
        int deputies = prov ? 5 : city ? 4 : 3, committee = prov ? 2 : city ? 1 : 0, heads = prov ? 12 : city ? 8 : 5;
        char assistant[24];
        snprintf(assistant, sizeof assistant, "%s-A", office);
        for (int h = 0; h < heads; h++) {
            char dept[24];
            snprintf(dept, sizeof dept, "%s-D%d", office, h + 1);
            /* 40 basic offices' last department is case management: no caseload */
            bool mgmt = !prov && !city && h == heads - 1 && case_mgmt_left > 0;
            put(QC_KIND_DEPARTMENT, fmt(a, 64, "id=%s", dept), fmt(b, 64, "office=%s", office),
                mgmt ? "name=案件管理部" : fmt(c, 64, "name=第%d检察部", h + 1), mgmt ? "line=case_management" : "line=prosecution", NULL);
            leader *l = &leaders[nleaders++];
            snprintf(l->id, sizeof l->id, "%s-H%d", office, h + 1);
            snprintf(l->office, sizeof l->office, "%s", office);
            snprintf(l->dept, sizeof l->dept, "%s", dept);
            l->role = mgmt ? "department_head_mgmt" : "department_head";
            l->office_index = o;
            person(l->id, office, dept, "department_head", 1);
            if (mgmt) {
                case_mgmt_left--;
                continue;
            }
            for (int p = 0; p < PROSECUTORS_PER_DEPT; p++) {
                char pid[32];
                snprintf(pid, sizeof pid, "%s-P%d", dept, p + 1);
                person(pid, office, dept, "prosecutor", 1);
            }
        }
        const char *roles[] = {"chief", "deputy_chief", "committee_member"};
        int counts[] = {1, deputies, committee};
        for (int r = 0; r < 3; r++)
            for (int k = 0; k < counts[r]; k++) {
                leader *l = &leaders[nleaders++];
                snprintf(l->id, sizeof l->id, "%s-%c%d", office, "CDM"[r], k + 1);
                snprintf(l->office, sizeof l->office, "%s", office);
                snprintf(l->dept, sizeof l->dept, "%s-D1", office);
                l->role = roles[r];
                l->office_index = o;
                person(l->id, office, NULL, roles[r], 1);
            }
        person(assistant, office, NULL, "assistant", 0);
    }

    /* ordinary prosecutors' caseload: the department average is 14, so a
     * department head needs 7 */
    for (int o = 0; o < noffices; o++)
        for (int h = 1; h <= 12; h++)
            for (int p = 1; p <= PROSECUTORS_PER_DEPT; p++) {
                char dept[24], pid[32];
                snprintf(dept, sizeof dept, "%s-D%d", office_ids[o], h);
                snprintf(pid, sizeof pid, "%s-P%d", dept, p);
                int64_t n;
                qc_filter *f;
                if (qc_filter_new(&f) < 0 || qc_filter_set_person(f, pid) < 0) die("filter");
                int rc = qc_store_count(&n, store, QC_KIND_PERSON, f);
                qc_filter_free(f);
                if (rc < 0) die("count");
                if (n) cases(office_ids[o], dept, pid, PROSECUTOR_CASES, 5, 0);
            }

    /* the four offices that fail, and how */
    const char *name_only_chief = "B010-C1";    /* listed on cases the assistant worked */
    const char *name_only_deputy = "C03-D1";
    const char *easy_deputy = "B020-D1";        /* only easy cases */
    const char *easy_head = "B030-H1";
    int chiefs_hard = 0, total = 0, handling = 0;
    /* leaders in order: chiefs and deputies first get their cases */
    for (int i = 0; i < nleaders; i++) {
        leader *l = &leaders[i];
        const char *o = l->office;
        char assistant[24];
        snprintf(assistant, sizeof assistant, "%s-A", o);
        if (!strcmp(l->role, "department_head_mgmt") || !strcmp(l->role, "department_head")) continue;
        bool chief = !strcmp(l->role, "chief");
        int n = chief ? 4 : 6; /* quotas: 4 and 8 a year, prorated to May-December */
        if (!strcmp(l->id, name_only_chief)) {
            cases(o, l->dept, l->id, 1, 1, 0);
            for (int k = 0; k < 3; k++) one_case(o, l->dept, l->id, assistant, LABELLED);
            total += 1;
        } else if (!strcmp(l->id, name_only_deputy)) {
            cases(o, l->dept, l->id, 1, 1, 0);
            for (int k = 0; k < 5; k++) one_case(o, l->dept, l->id, assistant, LABELLED);
            total += 1;
        } else if (!strcmp(l->id, easy_deputy)) {
            cases(o, l->dept, l->id, n, 0, 0);
            total += n;
        } else {
            bool hard = strcmp(l->role, "committee_member") && chiefs_hard < TARGET_CHIEFS_HARD;
            cases(o, l->dept, l->id, n, 2, hard ? 1 : 0);
            chiefs_hard += hard;
            total += n;
        }
        handling++;
    }
    /* department heads share the rest: at least 7 each, 4 of them labelled */
    int heads = 0;
    for (int i = 0; i < nleaders; i++) heads += !strcmp(leaders[i].role, "department_head");
    int rest = TARGET_CASES - total, base = rest / heads, extra = rest % heads;
    for (int i = 0, h = 0; i < nleaders; i++) {
        leader *l = &leaders[i];
        if (strcmp(l->role, "department_head")) continue;
        int n = base + (h++ < extra);
        cases(l->office, l->dept, l->id, n, !strcmp(l->id, easy_head) ? 0 : 4, 0);
        total += n;
        handling++;
    }
    if (qc_store_commit(store) < 0) die("commit");
    fprintf(stderr, "province_demo: %d offices, %d leaders (%d handling, planned %d), %d leaders' cases (planned %d), %ld cases in all\n",
            noffices, nleaders, handling, TARGET_HANDLING, total, TARGET_CASES, case_no);
    for (int k = 1; k < QC_KIND_COUNT; k++) qc_record_free(rec[k]);
    qc_store_free(store);
    return 0;
}
