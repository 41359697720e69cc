/* SPDX-License-Identifier: MIT
 * assess.c - assessing leaders within the quota for a period: which cases
 * they handled personally, how many that makes against their quota, how
 * many of them were hard, and which offices comply.
 *
 * The steps (docs/assessment.md):
 *   1. posts: every person's posts overlapping the period, each a slice
 *      with the fraction of the period it covers (post changes mid-year);
 *   2. cases registered in the period, classified by the rule version in
 *      force on their registration date;
 *   3. acts on those cases, per (case, person), as sets of act kinds;
 *   4. participations: a capacity's weight (rules), and a verdict per
 *      case - personal, name-only suspected, or record insufficient - from
 *      the acts the rules require of the listed handler;
 *   5. the average caseload of ordinary in-quota handlers per office and
 *      department, and each leader's required count from the quota rules.
 * Steps 2-4 are one walk over the cases in id order with the acts,
 * participations and reviews beside them in case order (feed.c): memory
 * holds one case at a time.  Everything is read through iterators, so any
 * backend serves; the evidence of verdicts is written in evidence.c.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

/* ---- the result ---- */

typedef struct slice {          /* one person in one post for part of the period */
    char *person, *name, *office, *department, *role;
    bool in_quota, leader, handler;
    double fraction;            /* of the period */
    int64_t start, end;         /* the days of the period the post covers */
    double counted, labelled;   /* weighted cases handled personally; of them labelled */
    int cases, name_only, insufficient, hard_cases;
    double average, required, required_max, share; /* required_max: the range's top (max_share), 0 if none */
    double score, normalised;   /* performance score, and scaled to the office (100 = average) */
    const char *grade;          /* static */
    char *consequence;          /* own copy of the rule's outcome */
    const qc__quota *quota;     /* valid only while assessing: rules may be freed before the result */
    char *quota_id;             /* the result's own copy */
    const char *status;
    int assigned[4];            /* cases handled personally, by how they were assigned (qc_assign_method; 0: not recorded) */
    double credit;              /* workload credit, weighted; never offsets the quota */
    double *credit_units;       /* per credit kind, how many; NULL if none */
} slice;

/* A verdict, kept small: the strings many verdicts share are interned in
 * the assessment, and the English evidence is written when first asked. */
typedef struct verdict {
    const char *person, *verdict;
    char *case_id;
    const char *line, *all_of, *any_of; /* the evidence's parts (qc__evidence), interned */
    char *acts;                         /* own "\0" others: the parts that vary, one allocation */
    char *evidence;                     /* English, with ids; NULL until asked for */
} verdict;

typedef struct office_row {
    char *id, *name;
    int64_t level;
    int leaders, complying_leaders, leaders_handling;
    int judged; /* minus the leaders with nothing required (none_required), who neither meet nor fail */
    int64_t cases; /* cases its leaders handled */
    bool complies;
} office_row;

/* Roll-ups: an office with the offices under it, and the leaders of one
 * role across every office assessed. */
enum { R_OFFICES, R_OFFICES_COMPLYING, R_LEADERS, R_LEADERS_COMPLYING, R_LEADERS_HANDLING, R_CASES, R__COUNT };
static const char *const rollup_names[] = {"offices", "offices_complying", "leaders", "leaders_complying",
                                           "leaders_handling", "cases_by_leaders"};
typedef struct rollup {
    int office;       /* its index in offices; for a role, -1 */
    const char *key;  /* the office's id, or the role (interned) */
    int64_t v[R__COUNT];
} rollup;

enum { T_OFFICES, T_OFFICES_COMPLYING, T_LEADERS, T_LEADERS_HANDLING, T_CASES_BY_LEADERS, T_CHIEFS_HARD,
       T_UNLISTED_WORK, T_LISTED_WITHOUT_ACTS, T_OFFICES_WITHOUT_LEADERS, T__COUNT };
static const char *const total_names[] = {"offices", "offices_complying", "leaders", "leaders_handling",
                                          "cases_by_leaders", "chiefs_handling_hard", "unlisted_work",
                                          "listed_without_acts", "offices_without_leaders"};

struct qc_assessment {
    char store_head[160];   /* qc_store_head of what was read; "" with no journal */
    int64_t store_entries;
    char rules_hash[QC__RULES_HASH_BYTES]; /* the rule set's that judged */
    slice *slices;
    int nslices;
    verdict *verdicts;
    int nverdicts;
    office_row *offices;
    int noffices;
    int64_t from, to;
    int64_t totals[T__COUNT];
    int *leaders;        /* the slices of leaders, in order: the i of qc_assessment_leader_* */
    qc__strmap interned; /* string -> index in strings */
    char **strings;
    int nstrings, strings_cap;
    pthread_mutex_t lazy; /* guards writing a verdict's evidence when first asked */
    qc__ratio *ratio;     /* the case-to-proceeding ratio; NULL if the rules define none */
    qc_deadlines *deadlines; /* on the period's last day; NULL if the rules define none */
    struct open_notice { char *id, *case_id, *office, *node, *level; int64_t issued; } *notices; /* open at the period's end */
    int nnotices;
    int64_t notices_issued, notices_answered; /* in the period */
    rollup *rollups;         /* offices with offices under them, in id order */
    int nrollups;
    rollup *roles;           /* leaders by role, in the rules' order of leader roles */
    int nroles;
    char *credit_kinds[16];  /* the rules' credit kinds, copied */
    bool credit_is_act[16];
    int ncredit_kinds;
};


QC_EXTERN const qc_deadlines *qc_assessment_deadlines(const qc_assessment *a) { return a ? a->deadlines : NULL; }

static char *dup_or_null(const char *s);

/* Process-monitoring notices: those open at the period's end (issued by
 * then, not answered by then), and how many were issued and answered in it. */
static int read_notices(qc_assessment *a, qc_store *store, const char *office)
{
    if (!qc__be_knows_kind(store, QC_KIND_NOTICE)) return QC_OK;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    int rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_filter_set_office(f, office);
    if (rc == QC_OK) rc = qc_iter_new(&it, store, QC_KIND_NOTICE, f);
    const qc_record *r;
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        int64_t issued = qc_record_int(r, QC_NOTICE_ISSUED);
        bool answered = qc_record_has(r, QC_NOTICE_ANSWERED);
        int64_t answered_on = answered ? qc_record_int(r, QC_NOTICE_ANSWERED) : 0;
        if (issued >= a->from && issued <= a->to) a->notices_issued++;
        if (answered && answered_on >= a->from && answered_on <= a->to) a->notices_answered++;
        if (issued > a->to || (answered && answered_on <= a->to)) continue;
        struct open_notice *grown = realloc(a->notices, sizeof *grown * (size_t)(a->nnotices + 1));
        if (!grown) { rc = qc__error(QC_ENOMEM, "out of memory"); break; }
        a->notices = grown;
        struct open_notice *n = &a->notices[a->nnotices++];
        qc_record *kase = NULL;
        int grc = qc_store_get(&kase, store, QC_KIND_CASE, qc_record_text(r, QC_NOTICE_CASE));
        if (grc < 0 && grc != QC_ENOTFOUND) rc = grc;
        *n = (struct open_notice){.id = dup_or_null(qc_record_text(r, QC_NOTICE_ID)), .case_id = dup_or_null(qc_record_text(r, QC_NOTICE_CASE)),
                                  .office = dup_or_null(kase ? qc_record_text(kase, QC_CASE_OFFICE) : ""),
                                  .node = dup_or_null(qc_record_text(r, QC_NOTICE_NODE)),
                                  .level = dup_or_null(qc_record_text(r, QC_NOTICE_LEVEL)), .issued = issued};
        qc_record_free(kase);
        if (!n->id || !n->case_id || !n->office || !n->level) rc = qc__error(QC_ENOMEM, "out of memory");
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    return rc;
}

/* How each leader's personally handled cases were assigned (docs/
 * inspections.md): the latest assignment of the case to that person,
 * counted in the person's first leader row; a case with none recorded
 * counts as not recorded (0). */
static int read_assignments(qc_assessment *a, qc_store *store, const char *office)
{
    if (!qc__be_knows_kind(store, QC_KIND_ASSIGNMENT)) return QC_OK;
    qc__strmap how = {0}, first_row = {0}; /* "case\x1fperson" -> method; person -> leader row */
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *r;
    char key[2 * QC_MAX_ID_BYTES + 2];
    int rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_filter_set_office(f, office);
    if (rc == QC_OK) rc = qc_iter_new(&it, store, QC_KIND_ASSIGNMENT, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        snprintf(key, sizeof key, "%s\x1f%s", qc_record_text(r, QC_ASSIGNMENT_CASE), qc_record_text(r, QC_ASSIGNMENT_PERSON));
        rc = qc__map_put(&how, key, (int)qc_record_int(r, QC_ASSIGNMENT_METHOD));
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    for (int k = 0; rc == QC_OK && k < qc_assessment_leader_count(a); k++)
        if (qc__map_find(&first_row, a->slices[a->leaders[k]].person) < 0) rc = qc__map_put(&first_row, a->slices[a->leaders[k]].person, k);
    for (int i = 0; rc == QC_OK && i < a->nverdicts; i++) {
        const verdict *v = &a->verdicts[i];
        int row = strcmp(v->verdict, "personal") ? -1 : qc__map_find(&first_row, v->person);
        if (row < 0) continue;
        snprintf(key, sizeof key, "%s\x1f%s", v->case_id, v->person);
        int method = qc__map_find(&how, key);
        a->slices[a->leaders[row]].assigned[method >= 1 && method <= 3 ? method : 0]++;
    }
    qc__map_free(&how);
    qc__map_free(&first_row);
    return rc;
}

/* Node control beside the assessment: the ratio of the period and the
 * deadlines on its last day, when the rules define them and the store
 * holds steps (a store without any is not read twice more). */
static int process_figures(qc_assessment *a, const qc_rules *rules, qc_store *store, const char *office)
{
    if (!qc__be_knows_kind(store, QC_KIND_STEP)) return QC_OK;
    int nrc = read_notices(a, store, office);
    if (nrc < 0) return nrc;
    bool any_deadlines = false;
    for (int i = 0; i < rules->nsets; i++) any_deadlines |= rules->sets[i]->deadlines.present;
    int64_t steps = 0;
    qc_filter *f = NULL;
    int rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_filter_set_office(f, office);
    if (rc == QC_OK) rc = qc_store_count(&steps, store, QC_KIND_STEP, f);
    qc_filter_free(f);
    if (rc < 0 || !steps) return rc;
    if ((rc = qc__ratio_compute(&a->ratio, rules, store, office, a->from, a->to)) < 0) return rc;
    if (any_deadlines) rc = qc_deadlines_compute(&a->deadlines, rules, store, office, NULL, a->to);
    return rc;
}



static void verdict_free(verdict *v)
{
    free(v->case_id);
    free(v->acts);
    free(v->evidence);
}

QC_EXTERN void qc_assessment_free(qc_assessment *a)
{
    if (!a) return;
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        free(s->person); free(s->name); free(s->office); free(s->department); free(s->role); free(s->quota_id); free(s->consequence);
        free(s->credit_units);
    }
    for (int i = 0; i < a->nverdicts; i++) verdict_free(&a->verdicts[i]);
    for (int i = 0; i < a->nstrings; i++) free(a->strings[i]);
    free(a->strings);
    qc__map_free(&a->interned);
    pthread_mutex_destroy(&a->lazy);
    qc__ratio_free(a->ratio);
    for (int i = 0; i < a->nnotices; i++) {
        free(a->notices[i].id); free(a->notices[i].case_id); free(a->notices[i].office); free(a->notices[i].node); free(a->notices[i].level);
    }
    free(a->notices);
    for (int i = 0; i < a->ncredit_kinds; i++) free(a->credit_kinds[i]);
    qc_deadlines_free(a->deadlines);
    for (int i = 0; i < a->noffices; i++) {
        free(a->offices[i].id);
        free(a->offices[i].name);
    }
    free(a->rollups);
    free(a->roles);
    free(a->slices);
    free(a->leaders);
    free(a->verdicts);
    free(a->offices);
    free(a);
}

/* ---- periods ---- */

QC_EXTERN int qc_period_parse(int64_t *from, int64_t *to, const char *text)
{
    if (!from || !to || !text) return qc__error(QC_EINVAL, "qc_period_parse: NULL argument");
    char a[16], b[16];
    int year, n;
    const char *dots = strstr(text, "..");
    if (dots) {
        snprintf(a, sizeof a, "%.*s", (int)(dots - text), text);
        snprintf(b, sizeof b, "%s", dots + 2);
        if (qc_date_parse(from, a) < 0 || qc_date_parse(to, b) < 0 || *to < *from)
            return qc__error(QC_EDATE, "period '%s': want FROM..TO, two dates in order", text);
        return QC_OK;
    }
    char kind = 0;
    int part = 0, len = (int)strlen(text);
    if (len == 4 && sscanf(text, "%4d%n", &year, &n) == 1 && n == 4) {
        snprintf(a, sizeof a, "%04d-01-01", year);
        snprintf(b, sizeof b, "%04d-12-31", year);
    } else if (len == 7 && sscanf(text, "%4d-%c%1d", &year, &kind, &part) == 3 && (kind == 'Q' || kind == 'H')) {
        int first = kind == 'Q' ? 3 * (part - 1) + 1 : 6 * (part - 1) + 1, months = kind == 'Q' ? 3 : 6;
        if (part < 1 || (kind == 'Q' && part > 4) || (kind == 'H' && part > 2))
            return qc__error(QC_EDATE, "period '%s': quarters are Q1-Q4, halves H1-H2", text);
        static const int last_day[] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int end = first + months - 1;
        snprintf(a, sizeof a, "%04d-%02d-01", year, first);
        snprintf(b, sizeof b, "%04d-%02d-%02d", year, end, last_day[end]);
    } else if (len == 7 && sscanf(text, "%4d-%2d", &year, &part) == 2) {
        int64_t next;
        snprintf(a, sizeof a, "%04d-%02d-01", year, part);
        snprintf(b, sizeof b, "%04d-%02d-01", part == 12 ? year + 1 : year, part == 12 ? 1 : part + 1);
        if (qc_date_parse(from, a) < 0 || qc_date_parse(&next, b) < 0)
            return qc__error(QC_EDATE, "period '%s': not a month", text);
        *to = next - 1;
        return QC_OK;
    } else {
        return qc__error(QC_EDATE, "period '%s': want 2017, 2017-Q2, 2017-H1, 2017-05 or 2017-01-01..2017-06-30", text);
    }
    if (qc_date_parse(from, a) < 0 || qc_date_parse(to, b) < 0)
        return qc__error(QC_EDATE, "period '%s': invalid", text);
    return QC_OK;
}

/* ---- the computation ---- */

static bool listed(const char **list, int n, const char *s) { return qc__word_at(list, n, s) >= 0; }

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

typedef struct work {
    const qc__ruleset *rs;          /* the version in force at the end of the period */
    const qc__assess_spec *spec;
    qc_assessment *a;
    qc__strmap offices;                  /* id -> index */
    qc_offices *table;                   /* the same offices, for the classifier */
    qc_offices *places;                  /* with rule sets bound to places: every office of the store */
    qc__strmap people;                   /* person -> first slice; the others follow next_same */
    int *next_same;                  /* per slice: the person's next slice, or -1 */
    const char *kinds[64];           /* act kinds the personal rules name, in bit order */
    uint64_t *rule_all, *rule_any;   /* per personal rule: its all_of and any_of kinds as bits */
    int nkinds;
    bool all_verdicts;               /* keep every person's verdicts, not only leaders' */
    int verdict_cap;
    /* the personal rule of the last case's line */
    char line[QC_MAX_ID_BYTES + 1];
    bool line_known;
    const qc__personal *line_rule;
    /* the case being judged: each person's act kinds on it, and who is
     * listed on it with what weight */
    struct { char person[QC_MAX_ID_BYTES + 1]; uint64_t mask; int64_t last_day; } *acts;
    int nacts, acts_cap;
    struct { char person[QC_MAX_ID_BYTES + 1]; double weight; int slice; } *parts;
    int nparts, parts_cap;
} work;

/* One case as the judge needs it. */
typedef struct case_info {
    const char *id, *office, *line;
    bool labelled, hard;
    uint64_t acts;          /* union of every person's act kinds */
    double weight, quality; /* the classification's weight; the review's multiplier */
    int64_t registered, closed, reviewed; /* closed -1 if open; reviewed: date of the review in force */
} case_info;

static int grow(void **arr, int *cap, int n, size_t size)
{
    if (n < *cap) return QC_OK;
    int c = *cap ? *cap * 2 : 256;
    void *p = realloc(*arr, (size_t)c * size);
    if (!p) return qc__error(QC_ENOMEM, "out of memory");
    *arr = p;
    *cap = c;
    return QC_OK;
}

static int kind_bit(const work *w, const char *kind) { return qc__word_at(w->kinds, w->nkinds, kind); }

static uint64_t mask_of(const work *w, const char **kinds, int n)
{
    uint64_t m = 0;
    for (int i = 0; i < n; i++) {
        int b = kind_bit(w, kinds[i]);
        if (b >= 0) m |= 1ull << b;
    }
    return m;
}

static const qc__personal *personal_for_line(const qc__assess_spec *spec, const char *line)
{
    const qc__personal *dflt = NULL;
    for (int i = 0; i < spec->npersonal; i++) {
        if (line && !strcmp(spec->personal[i].line, line)) return &spec->personal[i];
        if (!strcmp(spec->personal[i].line, "default")) dflt = &spec->personal[i];
    }
    return dflt;
}

/* Do the act kinds in mask meet personal rule p (NULL: any act will do)? */
static bool satisfies(const work *w, const qc__personal *p, uint64_t mask)
{
    if (!p) return mask != 0;
    uint64_t all = w->rule_all[p - w->spec->personal], any = w->rule_any[p - w->spec->personal];
    return (mask & all) == all && (!p->nany || (mask & any));
}

static int load_offices(work *w, qc_store *store, const qc_filter *office_only)
{
    qc_iter *it = NULL;
    const qc_record *r;
    int rc = qc_offices_new(&w->table), cap = 0;
    if (rc == QC_OK) rc = qc_iter_new(&it, store, QC_KIND_OFFICE, office_only);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if ((rc = qc_offices_add(w->table, qc_record_text(r, QC_OFFICE_ID), (int)qc_record_int(r, QC_OFFICE_KIND),
                                 (int)qc_record_int(r, QC_OFFICE_LEVEL), qc_record_text(r, QC_OFFICE_PARENT))) < 0)
            break;
        if ((rc = grow((void **)&w->a->offices, &cap, w->a->noffices, sizeof *w->a->offices)) < 0) break;
        office_row *o = &w->a->offices[w->a->noffices];
        *o = (office_row){.id = strdup(qc_record_text(r, QC_OFFICE_ID)), .name = strdup(qc_record_text(r, QC_OFFICE_NAME)),
                          .level = qc_record_int(r, QC_OFFICE_LEVEL)};
        if (!o->id || !o->name) {
            free(o->id);
            free(o->name);
            rc = qc__error(QC_ENOMEM, "out of memory");
            break;
        }
        w->a->noffices++; /* the assessment owns the row from here */
        if ((rc = qc__map_put(&w->offices, o->id, w->a->noffices - 1)) < 0) break;
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* Posts: the person records' own posts and the post records. */
static int load_posts(work *w, qc_store *store, const qc_filter *f)
{
    int rc = QC_OK, cap = 0, next_cap = 0;
    double days = (double)(w->a->to - w->a->from + 1);
    int *last = NULL; /* per slice: the last slice of its person so far (valid at first slices) */
    int last_cap = 0;
    qc__strmap names = {0};
    for (int pass = 0; pass < 2 && rc == QC_OK; pass++) {
        qc_kind kind = pass ? QC_KIND_POST : QC_KIND_PERSON;
        int fo = pass ? QC_POST_OFFICE : QC_PERSON_OFFICE, fd = pass ? QC_POST_DEPARTMENT : QC_PERSON_DEPARTMENT;
        int fr = pass ? QC_POST_ROLE : QC_PERSON_ROLE, fq = pass ? QC_POST_IN_QUOTA : QC_PERSON_IN_QUOTA;
        int ff = pass ? QC_POST_VALID_FROM : QC_PERSON_VALID_FROM, ft = pass ? QC_POST_VALID_TO : QC_PERSON_VALID_TO;
        qc_iter *it;
        const qc_record *r;
        if ((rc = qc_iter_new(&it, store, kind, f)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *person = qc_record_text(r, pass ? QC_POST_PERSON : QC_PERSON_ID);
            int64_t start = qc_record_has(r, ff) ? qc_record_int(r, ff) : w->a->from;
            int64_t end = qc_record_has(r, ft) ? qc_record_int(r, ft) : w->a->to;
            if (start < w->a->from) start = w->a->from;
            if (end > w->a->to) end = w->a->to;
            if (end < start) continue;
            if ((rc = grow((void **)&w->a->slices, &cap, w->a->nslices, sizeof *w->a->slices)) < 0 ||
                (rc = grow((void **)&w->next_same, &next_cap, w->a->nslices, sizeof *w->next_same)) < 0 ||
                (rc = grow((void **)&last, &last_cap, w->a->nslices, sizeof *last)) < 0)
                break;
            int i = w->a->nslices;
            slice *s = &w->a->slices[i];
            const char *role = qc_record_text(r, fr);
            bool in_quota = qc_record_int(r, fq) != 0;
            bool leader = in_quota && listed(w->spec->leaders, w->spec->nleaders, role);
            *s = (slice){.person = strdup(person), .office = dup_or_null(qc_record_text(r, fo)),
                         .department = dup_or_null(qc_record_text(r, fd)), .role = strdup(role),
                         .in_quota = in_quota, .leader = leader, .fraction = (double)(end - start + 1) / days,
                         .start = start, .end = end,
                         .status = leader ? "no_quota" : ""};
            s->handler = in_quota && (w->spec->nhandlers ? listed(w->spec->handlers, w->spec->nhandlers, role)
                                                         : !leader || w->spec->average_includes_leaders);
            if (leader && w->spec->average_includes_leaders) s->handler = true;
            w->a->nslices++; /* the assessment owns the slice's copies from here */
            if (!s->person || !s->role || (qc_record_has(r, fo) && !s->office) || (qc_record_has(r, fd) && !s->department) ||
                (!pass && !(s->name = strdup(qc_record_text(r, QC_PERSON_NAME))))) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            if (!pass && (rc = qc__map_put(&names, person, i)) < 0) break;
            /* chain the person's slices in the order read */
            w->next_same[i] = -1;
            int first = qc__map_find(&w->people, person);
            if (first < 0) {
                if ((rc = qc__map_put(&w->people, person, i)) < 0) break;
                last[i] = i;
            } else {
                w->next_same[last[first]] = i;
                last[first] = i;
            }
        }
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    /* a post record's slice takes its person's name */
    for (int i = 0; rc == QC_OK && i < w->a->nslices; i++)
        if (!w->a->slices[i].name) {
            int j = qc__map_find(&names, w->a->slices[i].person);
            if (!(w->a->slices[i].name = strdup(j >= 0 ? w->a->slices[j].name : w->a->slices[i].person)))
                rc = qc__error(QC_ENOMEM, "out of memory");
        }
    qc__map_free(&names);
    free(last);
    return rc;
}

/* The multiplier of a grade: in the scores' scheme directly, or through
 * the explicit mapping of an older scheme (spp2017 'flawed' -> spp2026
 * 'basically_acceptable'). */
static int grade_multiplier(const qc__score_spec *sc, const char *scheme, const char *grade, double *out)
{
    const char *target = NULL;
    if (!strcmp(scheme, sc->scheme)) target = grade;
    for (int i = 0; !target && i < sc->ngrades; i++)
        if (sc->grades[i].maps_to && !strcmp(sc->grades[i].scheme, scheme) && !strcmp(sc->grades[i].grade, grade))
            target = sc->grades[i].maps_to;
    for (int i = 0; target && i < sc->ngrades; i++)
        if (!sc->grades[i].maps_to && !strcmp(sc->grades[i].grade, target)) {
            *out = sc->grades[i].multiplier;
            return QC_OK;
        }
    return QC_ENOTFOUND;
}

/*
 * The slice a case of office counts in, from the person's first slice
 * (the people map's value), for work done on day: the post in the case's
 * office in force that day; else that office's post nearest in time
 * (work after the period's end counts in its last post there); else a
 * post of another office in force that day; else the first.
 */
static slice *slice_for(work *w, int first, const char *office, int64_t day)
{
    if (first < 0) return NULL;
    if (w->next_same[first] < 0) return &w->a->slices[first]; /* one post: no question */
    slice *nearest = NULL, *elsewhere = NULL;
    int64_t nearest_gap = INT64_MAX;
    for (int i = first; i >= 0; i = w->next_same[i]) {
        slice *s = &w->a->slices[i];
        bool here = s->office && !strcmp(s->office, office), in_force = s->start <= day && day <= s->end;
        if (here && in_force) return s;
        int64_t gap = day < s->start ? s->start - day : day - s->end;
        if (here && gap < nearest_gap) nearest = s, nearest_gap = gap;
        if (!here && in_force && !elsewhere) elsewhere = s;
    }
    return nearest ? nearest : elsewhere ? elsewhere : &w->a->slices[first];
}

/* Take the case's entries from the feed: its acts per person (a person's
 * acts may straddle two blocks: merged here) and its participations. */
static int gather(work *w, qc__feed *fd, case_info *k)
{
    const qc__feed_entry *e = NULL;
    const char *text = NULL;
    int rc;
    w->nacts = w->nparts = 0;
    while ((rc = qc__feed_peek(fd, &e, &text)) > 0) {
        int cmp = strcmp(text + e->kase, k->id);
        if (cmp > 0) break;
        const char *person = text + e->person;
        if (cmp < 0) {
            /* a case outside the period (or of no case record) */
        } else if (e->participation) {
            if ((rc = grow((void **)&w->parts, &w->parts_cap, w->nparts, sizeof *w->parts)) < 0 ||
                (rc = qc__keep_id(w->parts[w->nparts].person, person)) < 0)
                return rc;
            w->parts[w->nparts].slice = e->slice;
            w->parts[w->nparts++].weight = e->weight;
        } else {
            int i = 0;
            while (i < w->nacts && strcmp(w->acts[i].person, person)) i++;
            if (i == w->nacts) {
                if ((rc = grow((void **)&w->acts, &w->acts_cap, w->nacts, sizeof *w->acts)) < 0 ||
                    (rc = qc__keep_id(w->acts[i].person, person)) < 0)
                    return rc;
                w->acts[i].mask = 0;
                w->acts[i].last_day = INT64_MIN;
                w->nacts++;
            }
            w->acts[i].mask |= e->mask;
            if (e->last_day > w->acts[i].last_day) w->acts[i].last_day = e->last_day;
            k->acts |= e->mask;
        }
        qc__feed_next(fd);
    }
    return rc < 0 ? rc : QC_OK;
}

/* The latest review of the case sets its quality multiplier. */
static int take_reviews(work *w, qc__stream *reviews, case_info *k)
{
    const qc__score_spec *sc = &w->spec->scores;
    bool here;
    int rc;
    while ((rc = qc__stream_seek(reviews, k->id, &here)) == QC_OK && here) {
        const qc_record *r = reviews->r;
        int64_t date = qc_record_int(r, QC_REVIEW_DATE);
        if (date >= k->reviewed) {
            double m;
            const char *scheme = qc_record_text(r, QC_REVIEW_SCHEME), *grade = qc_record_text(r, QC_REVIEW_GRADE);
            if (grade_multiplier(sc, scheme, grade, &m) < 0)
                return qc__error(QC_EVALUE, "review of case %s: grade '%s' of scheme %s has no multiplier in %s (add it to scores.map.%s)",
                                 k->id, grade, scheme, sc->scheme, scheme);
            k->quality = m;
            k->reviewed = date;
        }
        if ((rc = qc__stream_next(reviews)) < 0) return rc;
    }
    return rc;
}

/* The personal-handling rule of a business line (runs of one line's cases:
 * remembered). */
static const qc__personal *personal_for(work *w, const char *line)
{
    if (!w->line_known || strcmp(w->line, line)) {
        w->line_known = qc__keep_id(w->line, line) == QC_OK;
        w->line_rule = personal_for_line(w->spec, line);
    }
    return w->line_rule;
}

/* Append the names of the kinds in mask to t ("a,b"); bit 63 is "other". */
static void kinds_text(const work *w, uint64_t mask, char *t, size_t size)
{
    size_t n = 0;
    t[0] = '\0';
    for (int b = 0; b < 64 && n < size; b++)
        if (mask & (1ull << b))
            n += (size_t)snprintf(t + n, size - n, "%s%s", n ? "," : "", b < w->nkinds ? w->kinds[b] : "other");
}

static char *joined(const char **items, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(items[i]) + 1;
    char *out = malloc(len), *p = out;
    for (int i = 0; out && i < n; i++) p += sprintf(p, "%s%s", i ? "," : "", items[i]);
    if (out) *p = '\0';
    return out;
}

/* One copy of s in the assessment (person ids, lines, rule texts repeat
 * over thousands of verdicts); NULL if out of memory. */
static const char *intern(qc_assessment *a, const char *s)
{
    int i = qc__map_find(&a->interned, s);
    if (i >= 0) return a->strings[i];
    char *copy = strdup(s);
    if (!copy || grow((void **)&a->strings, &a->strings_cap, a->nstrings, sizeof *a->strings) < 0 ||
        qc__map_put(&a->interned, s, a->nstrings) < 0) {
        free(copy);
        return NULL;
    }
    a->strings[a->nstrings++] = copy;
    return copy;
}

/* Keep a verdict with its evidence's parts: the rule's acts, the person's
 * own, and who else recorded which. */
static int keep_verdict(work *w, const case_info *k, const qc__personal *need, const char *person, uint64_t mine,
                        const char *v)
{
    char acts[4096], kinds[1024];
    kinds_text(w, mine, acts, 1024);
    size_t own = strlen(acts) + 1, n = own;
    acts[n] = '\0';
    for (int i = 0; i < w->nacts && n < sizeof acts; i++) {
        if (!strcmp(w->acts[i].person, person) || !w->acts[i].mask) continue;
        kinds_text(w, w->acts[i].mask, kinds, sizeof kinds);
        n += (size_t)snprintf(acts + n, sizeof acts - n, "%s%s=%s", n > own ? ";" : "", w->acts[i].person, kinds);
    }
    if (n >= sizeof acts) n = sizeof acts - 1;
    /* no rule: no acts asked; a rule whose lists could not be joined: out of memory, not "any act" */
    char *all_of = need ? joined(need->all_of, need->nall) : NULL, *any_of = need ? joined(need->any_of, need->nany) : NULL;
    bool joined_ok = !need || (all_of && any_of);
    verdict *vd = &w->a->verdicts[w->a->nverdicts];
    *vd = (verdict){.person = intern(w->a, person), .verdict = v, .case_id = strdup(k->id), .line = intern(w->a, k->line),
                    .all_of = intern(w->a, all_of ? all_of : ""), .any_of = intern(w->a, any_of ? any_of : ""),
                    .acts = malloc(n + 1)};
    free(all_of);
    free(any_of);
    if (!joined_ok) {
        verdict_free(vd);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    if (vd->acts) memcpy(vd->acts, acts, n + 1);
    if (!vd->person || !vd->case_id || !vd->line || !vd->all_of || !vd->any_of || !vd->acts) {
        verdict_free(vd);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    w->a->nverdicts++;
    return QC_OK;
}

static qc__evidence evidence_of(const verdict *v)
{
    return (qc__evidence){v->verdict, v->line, v->all_of, v->any_of, v->acts, v->acts + strlen(v->acts) + 1};
}

/* A verdict on each listed handler of the case, counted in their slice. */
static int judge_case(work *w, const case_info *k)
{
    const qc__personal *need = personal_for(w, k->line);
    bool done_by_someone = satisfies(w, need, k->acts);
    /* work that cannot count: acts by someone the case does not list */
    for (int i = 0; i < w->nacts; i++) {
        int p = 0;
        while (p < w->nparts && strcmp(w->parts[p].person, w->acts[i].person)) p++;
        w->a->totals[T_UNLISTED_WORK] += p == w->nparts;
    }
    for (int p = 0; p < w->nparts; p++) {
        const char *person = w->parts[p].person;
        double weight = w->parts[p].weight;
        if (weight <= 0) continue; /* listed in a capacity that counts nothing (an assistant): no verdict */
        uint64_t mine = 0;
        bool any_act = false;
        int64_t worked = k->registered; /* the day of their latest act; registration if they recorded none */
        for (int i = 0; i < w->nacts; i++)
            if (!strcmp(w->acts[i].person, person)) {
                mine = w->acts[i].mask;
                any_act = true;
                if (w->acts[i].last_day != INT64_MIN) worked = w->acts[i].last_day;
            }
        w->a->totals[T_LISTED_WITHOUT_ACTS] += !any_act;
        /* the record shows the work done, but not by the listed handler: name-only handling suspected */
        bool personal = satisfies(w, need, mine);
        const char *v = personal ? "personal" : done_by_someone ? "name_only" : "insufficient";
        slice *s = slice_for(w, w->parts[p].slice, k->office, worked);
        if (s) {
            const qc__score_spec *sc = &w->spec->scores;
            if (personal) {
                s->counted += weight;
                s->cases++;
                int64_t end = k->closed >= 0 ? k->closed : w->a->to;
                double timely = !sc->timely_days || end - k->registered <= sc->timely_days ? 1.0 : sc->late_factor;
                s->score += weight * k->weight * k->quality * timely;
                if (k->hard) s->score += sc->bonus_hard;
                if (k->labelled) s->labelled += weight;
                if (k->hard) s->hard_cases++;
            } else if (!done_by_someone) {
                s->insufficient++;
            } else {
                s->name_only++;
                s->score -= sc->penalty_name_only;
            }
        }
        if (s && (s->leader || w->all_verdicts)) { /* everyone's only for one office (dossiers): memory */
            int rc = grow((void **)&w->a->verdicts, &w->verdict_cap, w->a->nverdicts, sizeof *w->a->verdicts);
            if (rc < 0 || (rc = keep_verdict(w, k, need, person, mine, v)) < 0) return rc;
        }
    }
    return QC_OK;
}

/*
 * The cases registered in the period, one at a time in id order, each
 * classified by the rule version in force on its registration date, with
 * its acts, reviews and participations walked beside it.  Memory holds
 * one case, however large the store.
 */
static int judge_cases(work *w, qc_store *store, qc_store *feed_store, const qc_rules *rules, const char *office)
{
    qc_classifier *c = NULL;
    qc__designations *designations = NULL;
    qc_filter *in_period = NULL;
    qc__stream reviews = {0};
    qc__feed *fd = NULL;
    qc_iter *it = NULL;
    bool scores = w->spec->scores.present;
    int rc = qc_classifier_new(&c, rules);
    if (rc == QC_OK && (rc = qc_filter_new(&in_period)) == QC_OK && (rc = qc_filter_set_office(in_period, office)) == QC_OK)
        rc = qc_filter_set_dates(in_period, w->a->from, w->a->to);
    if (rc < 0 ||
        (rc = qc__feed_start(&fd, w->spec, w->kinds, w->nkinds, &w->people, feed_store ? feed_store : store, office,
                             feed_store != NULL)) < 0 ||
        (scores && (rc = qc__stream_open(&reviews, store, QC_KIND_REVIEW, QC_REVIEW_CASE, office, 0)) < 0) ||
        (rc = qc_iter_new(&it, store, QC_KIND_CASE, in_period)) < 0)
        goto done;
    /* the offices read already: no second read of the store (with rule
     * sets bound to places, all of them, for the parents of the subtree) */
    qc_classifier_set_offices(c, w->places ? w->places : w->table);
    if ((rc = qc__designations_load(&designations, store)) < 0) goto done;
    qc__classifier_set_designations(c, designations); /* labels given by hand count as the rules say */
    qc_classifier_set_today(c, w->a->to);
    const qc_record *r;
    char last[QC_MAX_ID_BYTES + 1] = "";
    while ((rc = qc_iter_next(&r, it)) == QC_OK) {
        case_info k = {.id = qc_record_text(r, QC_CASE_ID), .office = qc_record_text(r, QC_CASE_OFFICE),
                       .line = qc_record_text(r, QC_CASE_LINE), .weight = 1.0, .quality = w->spec->scores.unreviewed,
                       .reviewed = INT64_MIN, .registered = qc_record_int(r, QC_CASE_REGISTERED),
                       .closed = qc_record_has(r, QC_CASE_CLOSED) ? qc_record_int(r, QC_CASE_CLOSED) : -1};
        if ((rc = qc__next_case_id(last, k.id)) < 0) break;
        const qc_result *res;
        int crc = qc_classify(&res, c, r);
        if (crc == QC_OK) {
            k.weight = qc_result_weight(res);
            k.labelled = qc_result_label_count(res) > 0;
            for (int i = 0; i < qc_result_label_count(res); i++)
                k.hard |= listed(w->spec->hard_labels, w->spec->nhard, qc_result_label(res, i));
        } else if (crc != QC_ENOTFOUND) { /* outside every version: unlabelled */
            rc = crc;
            break;
        }
        if ((rc = gather(w, fd, &k)) < 0 || (scores && (rc = take_reviews(w, &reviews, &k)) < 0) ||
            (rc = judge_case(w, &k)) < 0)
            break;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
done:
    qc_iter_free(it);
    qc__feed_stop(fd);
    qc_iter_free(reviews.it);
    qc_filter_free(in_period);
    qc_classifier_free(c);
    qc__designations_free(designations);
    return rc;
}

static const qc__quota *quota_for(const qc__assess_spec *spec, const slice *s, int64_t level)
{
    const qc__quota *best = NULL;
    bool best_specific = false;
    for (int i = 0; i < spec->nquotas; i++) {
        const qc__quota *q = &spec->quotas[i];
        if (q->levels && !(level && (q->levels & (1u << level)))) continue;
        if (q->roles && !listed(q->roles, q->nroles, s->role)) continue;
        if (q->offices && !listed(q->offices, q->noffices, s->office)) continue;
        bool specific = q->offices != NULL; /* a per-office override beats the general rule */
        if (!best || specific || !best_specific) {
            best = q;
            best_specific = specific;
        }
    }
    return best;
}

/* Average weighted caseload of the handlers of each office and of each
 * department ("office\x1fdepartment"), per full period in post: one pass
 * over the slices, then a lookup per leader. */
typedef struct averages {
    qc__strmap index;
    double *cases, *fte;
    int n, cap;
} averages;

static int average_add(averages *av, const char *key, const slice *s)
{
    int i = qc__map_find(&av->index, key), rc;
    if (i < 0) {
        int cap = av->cap;
        if ((rc = grow((void **)&av->cases, &cap, av->n, sizeof *av->cases)) < 0) return rc;
        cap = av->cap;
        if ((rc = grow((void **)&av->fte, &cap, av->n, sizeof *av->fte)) < 0) return rc;
        av->cap = cap;
        if ((rc = qc__map_put(&av->index, key, i = av->n++)) < 0) return rc;
        av->cases[i] = av->fte[i] = 0;
    }
    av->cases[i] += s->counted;
    av->fte[i] += s->fraction;
    return QC_OK;
}

static int averages_build(averages *av, const qc_assessment *a)
{
    char key[2 * QC_MAX_ID_BYTES + 2];
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < a->nslices; i++) {
        const slice *s = &a->slices[i];
        if (!s->handler || !s->office) continue;
        if ((rc = average_add(av, s->office, s)) < 0 || !s->department) continue;
        snprintf(key, sizeof key, "%s\x1f%s", s->office, s->department);
        rc = average_add(av, key, s);
    }
    return rc;
}

static double average_of(const averages *av, const char *office, const char *department)
{
    char key[2 * QC_MAX_ID_BYTES + 2];
    if (department && !office) return 0.0;
    if (department) snprintf(key, sizeof key, "%s\x1f%s", office, department);
    int i = qc__map_find(&av->index, department ? key : office);
    return i >= 0 && av->fte[i] > 0 ? av->cases[i] / av->fte[i] : 0.0;
}

static void averages_free(averages *av)
{
    qc__map_free(&av->index);
    free(av->cases);
    free(av->fte);
}

static const char *grade_of(const qc__score_spec *sc, double score)
{
    if (score >= sc->excellent && sc->excellent > 0) return "excellent";
    if (score >= sc->competent) return "competent";
    if (score >= sc->basically_competent) return "basically_competent";
    return "incompetent";
}

/* Performance scores of everyone in the quota, scaled to the office. */
static int score(work *w)
{
    qc_assessment *a = w->a;
    const qc__score_spec *sc = &w->spec->scores;
    if (!sc->present) return QC_OK;
    double *sum = calloc((size_t)a->noffices + 1, sizeof *sum), *fte = calloc((size_t)a->noffices + 1, sizeof *fte);
    if (!sum || !fte) {
        free(sum);
        free(fte);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        int o = s->in_quota && s->office ? qc__map_find(&w->offices, s->office) : -1;
        if (o < 0) continue;
        sum[o] += s->score;
        fte[o] += s->fraction;
    }
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        int o = s->in_quota && s->office ? qc__map_find(&w->offices, s->office) : -1;
        if (o < 0) continue;
        double avg = fte[o] > 0 ? sum[o] / fte[o] : 0;
        s->normalised = !sc->normalise_office ? s->score
                        : avg > 0 && s->fraction > 0 ? 100.0 * (s->score / s->fraction) / avg : 0;
        s->grade = grade_of(sc, s->normalised);
    }
    free(sum);
    free(fte);
    return QC_OK;
}

static int by_key(const void *x, const void *y) { return strcmp(((const rollup *)x)->key, ((const rollup *)y)->key); }

/* Each office's figures added to it and to every office above it in the
 * assessment (a city's to its province's, to the nation's): the offices
 * with offices under them are the roll-ups; and the leaders by role. */
static int roll_up(work *w)
{
    qc_assessment *a = w->a;
    rollup *sub = calloc((size_t)a->noffices + 1, sizeof *sub);
    if (!sub) return qc__error(QC_ENOMEM, "out of memory");
    for (int o = 0; o < a->noffices; o++) {
        const office_row *row = &a->offices[o];
        int64_t own[R__COUNT] = {1, row->complies, row->leaders, row->complying_leaders, row->leaders_handling, row->cases};
        int at = o;
        for (int depth = 0; at >= 0 && depth < 64; depth++) { /* 64: deeper than any real tree, so a cycle ends */
            for (int k = 0; k < R__COUNT; k++) sub[at].v[k] += own[k];
            const char *parent = qc__offices_parent(w->table, a->offices[at].id);
            at = parent ? qc__map_find(&w->offices, parent) : -1;
        }
    }
    for (int o = 0; o < a->noffices; o++)
        if (sub[o].v[R_OFFICES] > 1) {
            sub[o].office = o;
            sub[o].key = a->offices[o].id;
            sub[a->nrollups++] = sub[o];
        }
    qsort(sub, (size_t)a->nrollups, sizeof *sub, by_key);
    a->rollups = sub;
    /* roles, in the order the rules list leader roles */
    if (!(a->roles = calloc((size_t)w->spec->nleaders + 1, sizeof *a->roles))) return qc__error(QC_ENOMEM, "out of memory");
    for (int r = 0; r < w->spec->nleaders; r++) {
        rollup *row = &a->roles[a->nroles];
        /* the rules may be freed before the assessment: the name is its own */
        *row = (rollup){.office = -1, .key = intern(a, w->spec->leaders[r])};
        if (!row->key) return qc__error(QC_ENOMEM, "out of memory");
        for (int i = 0; i < a->totals[T_LEADERS]; i++) {
            const slice *s = &a->slices[a->leaders[i]];
            if (strcmp(s->role, row->key)) continue;
            row->v[R_LEADERS]++;
            row->v[R_LEADERS_COMPLYING] += !strcmp(s->status, "met") || !strcmp(s->status, "no_quota");
            row->v[R_LEADERS_HANDLING] += s->cases > 0;
            row->v[R_CASES] += s->cases;
        }
        if (row->v[R_LEADERS]) a->nroles++;
    }
    return QC_OK;
}

static int decide(work *w)
{
    qc_assessment *a = w->a;
    double years = (double)(a->to - a->from + 1) / 365.0;
    averages av = {0};
    int rc = averages_build(&av, a);
    if (rc < 0) {
        averages_free(&av);
        return rc;
    }
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        if (!s->leader || !s->office) continue;
        int o = qc__map_find(&w->offices, s->office);
        s->quota = quota_for(w->spec, s, o >= 0 ? a->offices[o].level : 0);
        if (!s->quota) continue;
        if (!(s->quota_id = strdup(s->quota->id))) {
            averages_free(&av);
            return qc__error(QC_ENOMEM, "out of memory");
        }
        s->average = average_of(&av, s->office, s->quota->of_department ? s->department : NULL);
        double by_share = s->quota->share * s->average * s->fraction;
        double floor = s->quota->min * years * s->fraction;
        s->required = by_share > floor ? by_share : floor;
        double top = s->quota->max_share * s->average * s->fraction;
        s->required_max = s->quota->max_share > 0 ? (top > s->required ? top : s->required) : 0;
        s->share = s->average > 0 ? s->counted / (s->average * s->fraction) : 0;
        double focus = s->quota->focus_share >= 0 ? s->quota->focus_share : w->spec->focus_share;
        if (s->counted + 1e-9 < s->required) s->status = "short";
        else if (focus > 0 && s->counted > 0 && s->labelled / s->counted + 1e-9 < focus) s->status = "focus_short";
        else if (focus > 0 && s->counted == 0 && s->required > 0) s->status = "short";
        /* nothing required and nothing handled: not "met" - the count of
         * leaders meeting the quota must not exceed those handling cases */
        else if (s->required <= 1e-9 && s->counted == 0) s->status = "none_required";
        else s->status = "met";
    }
    /* offices and the totals the notification reports give */
    if (!(a->leaders = malloc(sizeof *a->leaders * ((size_t)a->nslices + 1)))) {
        averages_free(&av);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        if (!s->leader) continue;
        int o = s->office ? qc__map_find(&w->offices, s->office) : -1;
        a->leaders[a->totals[T_LEADERS]++] = i;
        if (s->cases) a->totals[T_LEADERS_HANDLING]++;
        a->totals[T_CASES_BY_LEADERS] += s->cases;
        if (s->hard_cases && listed(w->spec->chief_roles, w->spec->nchief, s->role)) a->totals[T_CHIEFS_HARD]++;
        if (o < 0) continue;
        a->offices[o].leaders++;
        a->offices[o].cases += s->cases;
        if (s->cases) a->offices[o].leaders_handling++;
        if (!strcmp(s->status, "met") || !strcmp(s->status, "no_quota")) a->offices[o].complying_leaders++;
        if (!strcmp(s->status, "none_required")) a->offices[o].judged--; /* neither meets nor fails */
    }
    averages_free(&av);
    for (int o = 0; o < a->noffices; o++) {
        /* the office rule: this share of its leaders meet their quotas (all,
         * by default); an office with no leaders neither complies nor fails */
        int judged = a->offices[o].leaders + a->offices[o].judged; /* judged: minus those with nothing required */
        a->offices[o].complies = a->offices[o].leaders > 0 &&
                                 a->offices[o].complying_leaders >= w->spec->office_compliance * judged - 1e-9;
        a->totals[T_OFFICES_WITHOUT_LEADERS] += a->offices[o].leaders == 0;
        a->totals[T_OFFICES]++;
        a->totals[T_OFFICES_COMPLYING] += a->offices[o].complies;
    }
    return roll_up(w);
}

static void work_free(work *w)
{
    qc__map_free(&w->offices);
    qc_offices_free(w->table);
    qc_offices_free(w->places);
    qc__map_free(&w->people);
    free(w->next_same);
    free(w->rule_all);
    free(w->rule_any);
    free(w->acts);
    free(w->parts);
}

static int assess_period(qc_assessment **out, const qc_rules *rules, qc_store *store, qc_store *feed_store,
                         const char *office, int64_t from, int64_t to, int depth);

/*
 * Consequences across periods (basically competent two periods in a row:
 * leaves the quota): assess the periods of the same kind just before this
 * one (the previous years of a year, quarters of a quarter: calendar
 * months, so leap days move nothing; a span of days otherwise) and
 * compare each person's grades.  A previous period no rule
 * version covers has no grades, so it triggers nothing.
 */
static int consequences(work *w, const qc_rules *rules, qc_store *store, qc_store *feed_store, const char *office,
                        int depth)
{
    const qc__score_spec *sc = &w->spec->scores;
    int need = 0;
    for (int i = 0; i < sc->nconsequences; i++)
        if (sc->consequences[i].periods - 1 > need) need = sc->consequences[i].periods - 1;
    if (!sc->present || !sc->nconsequences || depth > 0) return QC_OK;
    if (depth < 0) depth = 0;
    qc_assessment *before[QC__MAX_CONSEQUENCE_PERIODS] = {NULL};
    for (int p = 0; p < need; p++) {
        int64_t from, to;
        qc__period_before(w->a->from, w->a->to, p + 1, &from, &to);
        int rc = assess_period(&before[p], rules, store, feed_store, office, from, to, depth + 1);
        if (rc == QC_ENOTFOUND) break;
        if (rc < 0) {
            for (int k = 0; k < p; k++) qc_assessment_free(before[k]);
            return rc;
        }
    }
    /* each earlier period's first graded slice of each person */
    qc__strmap graded[QC__MAX_CONSEQUENCE_PERIODS] = {{0}};
    int rc = QC_OK;
    for (int p = 0; rc == QC_OK && p < need && before[p]; p++)
        for (int j = before[p]->nslices - 1; rc == QC_OK && j >= 0; j--)
            if (before[p]->slices[j].grade) rc = qc__map_put(&graded[p], before[p]->slices[j].person, j);
    for (int i = 0; rc == QC_OK && i < w->a->nslices; i++) {
        slice *s = &w->a->slices[i];
        if (!s->grade) continue;
        for (int c = 0; rc == QC_OK && c < sc->nconsequences && !s->consequence; c++) {
            const qc__consequence *q = &sc->consequences[c];
            bool all = !strcmp(s->grade, q->grade);
            for (int p = 0; all && p < q->periods - 1; p++) {
                int j = before[p] ? qc__map_find(&graded[p], s->person) : -1;
                all = j >= 0 && !strcmp(before[p]->slices[j].grade, q->grade);
            }
            if (all && !(s->consequence = strdup(q->outcome))) rc = qc__error(QC_ENOMEM, "out of memory");
        }
    }
    for (int p = 0; p < need; p++) {
        qc_assessment_free(before[p]);
        qc__map_free(&graded[p]);
    }
    return rc;
}

/*
 * A whole store is assessed in one pass over each table (judge_cases):
 * memory holds the people and offices and one case at a time.  One office
 * keeps everyone's verdicts (the dossier reads them); a whole store keeps
 * the leaders'.
 */
static int assess(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from,
                  int64_t to, bool leaders_only);

QC_EXTERN int qc_assess(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office,
                        int64_t from, int64_t to)
{
    if (out) *out = NULL; /* a failure leaves no handle behind */
    if (!out || !rules || !store) return qc__error(QC_EINVAL, "qc_assess: NULL argument");
    return assess(out, rules, store, office, from, to, false);
}

int qc__assess_leaders(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from,
                       int64_t to)
{
    *out = NULL;
    return assess(out, rules, store, office, from, to, true);
}

static int assess(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from,
                  int64_t to, bool leaders_only)
{
    /* One snapshot for everything the assessment reads, where the backend
     * can give one: offices, posts, cases and acts then agree even while
     * others import (a server's statements each see their own moment
     * otherwise).  A whole store: two readers on it, one for the feed. */
    qc_store *readers[2] = {NULL, NULL};
    int nreaders = !office && qc__store_threads(store) >= 2 ? 2 : 1;
    int orc = qc__store_open_readers(store, nreaders, readers);
    if (orc < 0 && orc != QC_EUNSUPPORTED) return orc;
    qc_store *read = readers[0] ? readers[0] : store;
    int rc = assess_period(out, rules, read, readers[1], office, from, to, 0);
    if (rc == QC_OK && !leaders_only && ((rc = process_figures(*out, rules, read, office)) < 0 ||
                                         (rc = read_assignments(*out, read, office)) < 0)) {
        qc_assessment_free(*out);
        *out = NULL;
    }
    /* the state it was computed on: the snapshot it read */
    if (rc == QC_OK && qc_store_head(read, (*out)->store_head, sizeof (*out)->store_head, &(*out)->store_entries) < 0) {
        if (qc_error_code() != QC_EUNSUPPORTED) rc = qc_error_code();
        (*out)->store_head[0] = '\0';
        if (rc < 0) {
            qc_assessment_free(*out);
            *out = NULL;
        }
    }
    qc_store_free(readers[0]);
    qc_store_free(readers[1]);
    return rc;
}

/* Workload credit: each unit goes to the person's slice whose post covers
 * its day (a unit on a day no post of theirs covers counts nowhere). */
typedef struct credit_ctx {
    qc_assessment *a;
    qc__strmap first;  /* person -> their first slice */
    int *next;         /* the person's next slice, or -1 */
} credit_ctx;

static int credit_add(void *ctx, const char *person, int64_t day, int kind, double count)
{
    credit_ctx *c = ctx;
    for (int i = qc__map_find(&c->first, person); i >= 0; i = c->next[i]) {
        slice *s = &c->a->slices[i];
        if (day < s->start || day > s->end) continue;
        if (!s->credit_units && !(s->credit_units = calloc((size_t)c->a->ncredit_kinds, sizeof *s->credit_units)))
            return qc__error(QC_ENOMEM, "out of memory");
        s->credit_units[kind] += count;
        return QC_OK;
    }
    return QC_OK;
}

static int add_credit(work *w, qc_store *store, const char *office)
{
    const qc__assess_spec *spec = w->spec;
    qc_assessment *a = w->a;
    if (!spec->ncredit_kinds) return QC_OK;
    for (int k = 0; k < spec->ncredit_kinds; k++) {
        if (!(a->credit_kinds[k] = strdup(spec->credit_kinds[k]))) return qc__error(QC_ENOMEM, "out of memory");
        a->credit_is_act[k] = spec->credit_is_act[k];
        a->ncredit_kinds++;
    }
    credit_ctx c = {.a = a, .next = malloc(sizeof *c.next * (size_t)(a->nslices ? a->nslices : 1))};
    int rc = c.next ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
    /* link each person's slices, last first so that the first stays first */
    for (int i = a->nslices - 1; rc == QC_OK && i >= 0; i--) {
        c.next[i] = qc__map_find(&c.first, a->slices[i].person);
        rc = qc__map_put(&c.first, a->slices[i].person, i);
    }
    /* an office's assessment reads its people's credit person by person:
     * the period's acts of a whole country are many */
    const char **people = NULL;
    int npeople = 0;
    if (rc == QC_OK && office && a->nslices <= 2000) {
        if (!(people = malloc(sizeof *people * (size_t)(a->nslices ? a->nslices : 1)))) rc = qc__error(QC_ENOMEM, "out of memory");
        for (int i = 0; rc == QC_OK && i < a->nslices; i++)
            if (qc__map_find(&c.first, a->slices[i].person) == i) people[npeople++] = a->slices[i].person; /* once a person */
    }
    if (rc == QC_OK) rc = qc__credit_read(spec, store, a->from, a->to, people, office && people ? npeople : 0, credit_add, &c);
    free(people);
    for (int i = 0; rc == QC_OK && i < a->nslices; i++)
        for (int k = 0; a->slices[i].credit_units && k < a->ncredit_kinds; k++)
            a->slices[i].credit += a->slices[i].credit_units[k] * spec->credit_weights[k];
    qc__map_free(&c.first);
    free(c.next);
    return rc;
}

/*
 * With rule sets bound to places (applies_to): the one whose assessment:
 * section governs every office the assessment covers, into w->rs, and
 * every office of the store in w->places (so that the classifier finds a
 * case's office's parents above the assessed subtree).  Offices governed
 * by different sets are refused rather than judged by one set's rules:
 * each is assessed on its own.
 */
static int governing_set(work *w, const qc_rules *rules, qc_store *store, const char *office, int64_t to)
{
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *r;
    char first[256] = "";
    int rc = qc_offices_load(&w->places, store);
    if (rc == QC_OK && (rc = qc_filter_new(&f)) == QC_OK && (rc = qc_filter_set_office(f, office)) == QC_OK)
        rc = qc_iter_new(&it, store, QC_KIND_OFFICE, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        const char *id = qc_record_text(r, QC_OFFICE_ID);
        const qc__ruleset *s = qc__set_in_force(rules, to, 0, w->places, id, QC__SECTION_ASSESSMENT);
        if (!s) continue; /* reported by the caller if no office has one */
        if (!w->rs) {
            w->rs = s;
            snprintf(first, sizeof first, "%s", id);
        } else if (s != w->rs) {
            rc = qc__error(QC_EUNSUPPORTED, "offices %s and %s are governed by different rule sets (%s %s, %s %s): "
                           "assess each on its own (--office)", first, id, w->rs->name, w->rs->version, s->name, s->version);
        }
    }
    qc_iter_free(it);
    qc_filter_free(f);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* store: where everything is read; feed_store: if not NULL, a reader of
 * the same snapshot for the acts and participations, read in a thread of
 * their own (the feed). */
static int assess_period(qc_assessment **out, const qc_rules *rules, qc_store *store, qc_store *feed_store,
                         const char *office, int64_t from, int64_t to, int depth)
{
    if (out) *out = NULL; /* a failure leaves no handle behind */
    if (!out || !rules || !store) return qc__error(QC_EINVAL, "qc_assess: NULL argument");
    if (to < from) return qc__error(QC_EINVAL, "qc_assess: the period ends before it starts");
    work w = {0};
    /* the version in force at the end of the period; of several rule sets
     * in force, the newest (as for classification) - or, with sets bound
     * to places, the one that governs every office assessed */
    int grc = qc__rules_have_places(rules) ? governing_set(&w, rules, store, office, to)
                                           : (w.rs = qc__set_in_force(rules, to, 0, NULL, NULL, QC__SECTION_ASSESSMENT), QC_OK);
    if (grc < 0) {
        work_free(&w);
        return grc;
    }
    if (!w.rs) {
        char day[16];
        qc_date_format(day, sizeof day, to);
        work_free(&w); /* the office table governing_set read */
        return qc__error(QC_ENOTFOUND, "no loaded rule set with an assessment: section is in force on %s", day);
    }
    w.spec = &w.rs->assess;
    w.all_verdicts = depth == 0 && office != NULL;
    for (int i = 0; i < w.spec->npersonal; i++) {
        const qc__personal *p = &w.spec->personal[i];
        for (int j = 0; j < p->nall + p->nany && w.nkinds < 63; j++) {
            const char *k = j < p->nall ? p->all_of[j] : p->any_of[j - p->nall];
            if (kind_bit(&w, k) < 0) w.kinds[w.nkinds++] = k;
        }
    }
    /* the rules' kinds as bits, once: judging compares masks only */
    w.rule_all = calloc((size_t)w.spec->npersonal + 1, sizeof *w.rule_all);
    w.rule_any = calloc((size_t)w.spec->npersonal + 1, sizeof *w.rule_any);
    if (!w.rule_all || !w.rule_any) {
        work_free(&w);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < w.spec->npersonal; i++) {
        w.rule_all[i] = mask_of(&w, w.spec->personal[i].all_of, w.spec->personal[i].nall);
        w.rule_any[i] = mask_of(&w, w.spec->personal[i].any_of, w.spec->personal[i].nany);
    }
    qc_assessment *a = calloc(1, sizeof *a);
    if (!a || pthread_mutex_init(&a->lazy, NULL) != 0) {
        free(a);
        work_free(&w);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    a->from = from;
    memcpy(a->rules_hash, w.rs->content_hash, sizeof a->rules_hash);
    a->to = to;
    w.a = a;
    qc_filter *in_period = NULL, *office_only = NULL;
    int rc;
    /* offices and posts: no order needed, so none paid for */
    if ((rc = qc_filter_new(&in_period)) < 0 || (rc = qc_filter_new(&office_only)) < 0 ||
        (rc = qc_filter_set_unordered(in_period, 1)) < 0 || (rc = qc_filter_set_unordered(office_only, 1)) < 0 ||
        (rc = qc_filter_set_dates(in_period, from, to)) < 0 || (rc = qc_filter_set_office(in_period, office)) < 0 ||
        (rc = qc_filter_set_office(office_only, office)) < 0)
        goto done;
    if ((rc = load_offices(&w, store, office_only)) < 0 || (rc = load_posts(&w, store, in_period)) < 0 ||
        (rc = judge_cases(&w, store, feed_store, rules, office)) < 0)
        goto done;
    if (office && !a->noffices) {
        rc = qc__error(QC_ENOTFOUND, "no office with id '%s'", office);
        goto done;
    }
    if ((rc = score(&w)) < 0 || (rc = decide(&w)) < 0) goto done;
    if (depth == 0 && (rc = add_credit(&w, store, office)) < 0) goto done;
    if ((rc = consequences(&w, rules, store, feed_store, office, depth)) < 0) goto done;
    for (int i = 0; i < a->nslices; i++) a->slices[i].quota = NULL; /* the rules may go before the result */
done:
    qc_filter_free(in_period);
    qc_filter_free(office_only);
    work_free(&w);
    if (rc < 0) {
        qc_assessment_free(a);
        return rc;
    }
    *out = a;
    return QC_OK;
}

/* ---- accessors ---- */

static const slice *leader_at(const qc_assessment *a, int i, const char *fn)
{
    return qc__index_ok(a, i, a && a->leaders ? (int)a->totals[T_LEADERS] : 0, fn) ? &a->slices[a->leaders[i]] : NULL;
}

QC_EXTERN int qc_assessment_leader_count(const qc_assessment *a) { return a ? (int)a->totals[T_LEADERS] : 0; }
QC_EXTERN const char *qc_assessment_leader_person(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->person : NULL; }
QC_EXTERN const char *qc_assessment_leader_name(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->name : NULL; }
QC_EXTERN const char *qc_assessment_leader_office(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->office : NULL; }
QC_EXTERN const char *qc_assessment_leader_role(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->role : NULL; }
QC_EXTERN double qc_assessment_leader_fraction(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->fraction : 0; }
QC_EXTERN double qc_assessment_leader_counted(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->counted : 0; }
QC_EXTERN double qc_assessment_leader_required(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->required : 0; }
QC_EXTERN double qc_assessment_leader_required_max(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->required_max : 0; }
QC_EXTERN double qc_assessment_leader_average(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->average : 0; }
QC_EXTERN double qc_assessment_leader_share(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->share : 0; }
QC_EXTERN double qc_assessment_leader_focus_share(const qc_assessment *a, int i)
{
    const slice *s = leader_at(a, i, __func__);
    return s && s->counted > 0 ? s->labelled / s->counted : 0;
}
QC_EXTERN int qc_assessment_leader_name_only(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->name_only : 0; }
QC_EXTERN int qc_assessment_leader_assigned(const qc_assessment *a, int i, const char *method)
{
    const slice *s = leader_at(a, i, __func__);
    static const char *const methods[] = {"unrecorded", "random", "designated", "suggested"};
    for (int m = 0; s && method && m < 4; m++)
        if (!strcmp(method, methods[m])) return s->assigned[m];
    return 0;
}
QC_EXTERN const char *qc_assessment_leader_quota(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->quota_id : NULL; }
QC_EXTERN const char *qc_assessment_leader_status(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->status : NULL; }
QC_EXTERN double qc_assessment_leader_score(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->normalised : 0; }
QC_EXTERN const char *qc_assessment_leader_grade(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->grade : NULL; }

/* ---- the case-to-proceeding ratio (ratio.c computes it) ---- */

static const qc__ratio *ratio_of(const qc_assessment *a) { return a ? a->ratio : NULL; }

QC_EXTERN int qc_assessment_has_ratio(const qc_assessment *a) { return ratio_of(a) != NULL; }
QC_EXTERN int qc_assessment_ratio_count(const qc_assessment *a) { return qc__ratio_count(ratio_of(a)); }
QC_EXTERN const char *qc_assessment_ratio_office(const qc_assessment *a, int i) { return qc__ratio_office(ratio_of(a), i); }
QC_EXTERN int64_t qc_assessment_ratio_cases(const qc_assessment *a, int i) { return qc__ratio_cases(ratio_of(a), i); }
QC_EXTERN int64_t qc_assessment_ratio_items(const qc_assessment *a, int i) { return qc__ratio_items(ratio_of(a), i); }

QC_EXTERN double qc_assessment_ratio(const qc_assessment *a, int i)
{
    int64_t cases = qc__ratio_cases(ratio_of(a), i);
    return cases ? (double)qc__ratio_items(ratio_of(a), i) / (double)cases : NAN;
}

QC_EXTERN int qc_assessment_ratio_component_count(const qc_assessment *a) { return qc__ratio_component_count(ratio_of(a)); }
QC_EXTERN const char *qc_assessment_ratio_component(const qc_assessment *a, int k) { return qc__ratio_component(ratio_of(a), k); }
QC_EXTERN int64_t qc_assessment_ratio_component_value(const qc_assessment *a, int i, int k)
{
    return qc__ratio_component_value(ratio_of(a), i, k);
}

static const struct open_notice *notice_at(const qc_assessment *a, int i, const char *fn)
{
    return qc__index_ok(a, i, a ? a->nnotices : 0, fn) ? &a->notices[i] : NULL;
}

QC_EXTERN int qc_assessment_notice_count(const qc_assessment *a) { return a ? a->nnotices : 0; }
QC_EXTERN const char *qc_assessment_notice_id(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->id : NULL; }
QC_EXTERN const char *qc_assessment_notice_case(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->case_id : NULL; }
QC_EXTERN const char *qc_assessment_notice_office(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->office : NULL; }
QC_EXTERN const char *qc_assessment_notice_node(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->node : NULL; }
QC_EXTERN const char *qc_assessment_notice_level(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->level : NULL; }
QC_EXTERN int64_t qc_assessment_notice_issued(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? n->issued : 0; }
QC_EXTERN int64_t qc_assessment_notice_age(const qc_assessment *a, int i) { const struct open_notice *n = notice_at(a, i, __func__); return n ? a->to - n->issued : 0; }

QC_EXTERN double qc_assessment_leader_credit(const qc_assessment *a, int i) { const slice *s = leader_at(a, i, __func__); return s ? s->credit : 0; }
QC_EXTERN int qc_assessment_credit_kind_count(const qc_assessment *a) { return a ? a->ncredit_kinds : 0; }
QC_EXTERN const char *qc_assessment_credit_kind(const qc_assessment *a, int k)
{
    return qc__index_ok(a, k, a ? a->ncredit_kinds : 0, __func__) ? a->credit_kinds[k] : NULL;
}
QC_EXTERN double qc_assessment_leader_credit_units(const qc_assessment *a, int i, int k)
{
    const slice *s = leader_at(a, i, __func__);
    return s && s->credit_units && qc__index_ok(a, k, a->ncredit_kinds, __func__) ? s->credit_units[k] : 0;
}

static int credit_explain(const qc_assessment *a, const slice *s, const qc_rules *rules, const char *lang, char *buf, size_t size)
{
    bool zh = lang && !strcmp(lang, "zh");
    char text[1024];
    size_t len = 0;
    int parts = 0;
#define ADD(...) do { int n_ = qc__snprintf_c(text + len, sizeof text - len, __VA_ARGS__); \
                      if (n_ > 0) len = len + (size_t)n_ < sizeof text ? len + (size_t)n_ : sizeof text - 1; } while (0)
    if (zh) ADD("工作量积分 %g，来自", s->credit);
    else ADD("credit %g from ", s->credit);
    for (int k = 0; s->credit_units && k < a->ncredit_kinds; k++) {
        if (!s->credit_units[k]) continue;
        const char *kind = a->credit_kinds[k];
        const char *shown = rules ? qc_rules_display_name(rules, "duty", kind, zh ? "zh" : "en") : NULL;
        if (rules && shown == kind) shown = qc_rules_display_name(rules, "act", kind, zh ? "zh" : "en"); /* not a named duty */
        if (zh) ADD("%s%s %g 次", parts ? "、" : "", shown ? shown : kind, s->credit_units[k]);
        else ADD("%s%s x %g", parts ? ", " : "", shown ? shown : kind, s->credit_units[k]);
        parts++;
    }
    if (!parts) {
        len = 0;
        if (zh) ADD("无工作量积分");
        else ADD("no workload credit");
    } else if (zh) ADD("；均不充抵办案数量");
    else ADD("; none offsets the quota");
#undef ADD
    if (buf && size) snprintf(buf, size, "%s", text);
    return (int)len;
}

QC_EXTERN int qc_assessment_leader_credit_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                                  char *buf, size_t size)
{
    const slice *s = leader_at(a, i, __func__);
    return s ? credit_explain(a, s, rules, lang, buf, size) : QC_EINVAL;
}

static const slice *person_at(const qc_assessment *a, int i, const char *fn)
{
    return qc__index_ok(a, i, a ? a->nslices : 0, fn) ? &a->slices[i] : NULL;
}

QC_EXTERN int qc_assessment_person_count(const qc_assessment *a) { return a ? a->nslices : 0; }
QC_EXTERN const char *qc_assessment_person_id(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->person : NULL; }
QC_EXTERN const char *qc_assessment_person_name(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->name : NULL; }
QC_EXTERN const char *qc_assessment_person_office(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->office : NULL; }
QC_EXTERN const char *qc_assessment_person_role(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->role : NULL; }
QC_EXTERN int qc_assessment_person_in_quota(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s && s->in_quota; }
QC_EXTERN int qc_assessment_person_cases(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->cases : 0; }
QC_EXTERN double qc_assessment_person_score(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->score : 0; }
QC_EXTERN double qc_assessment_person_normalised(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->normalised : 0; }
QC_EXTERN const char *qc_assessment_person_grade(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->grade : NULL; }
QC_EXTERN const char *qc_assessment_person_consequence(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->consequence : NULL; }
QC_EXTERN double qc_assessment_person_credit(const qc_assessment *a, int i) { const slice *s = person_at(a, i, __func__); return s ? s->credit : 0; }
QC_EXTERN int qc_assessment_person_credit_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                                  char *buf, size_t size)
{
    const slice *s = person_at(a, i, __func__);
    return s ? credit_explain(a, s, rules, lang, buf, size) : QC_EINVAL;
}

static const office_row *office_at(const qc_assessment *a, int i, const char *fn)
{
    return qc__index_ok(a, i, a ? a->noffices : 0, fn) ? &a->offices[i] : NULL;
}

static const verdict *verdict_at(const qc_assessment *a, int i, const char *fn)
{
    return qc__index_ok(a, i, a ? a->nverdicts : 0, fn) ? &a->verdicts[i] : NULL;
}

QC_EXTERN int qc_assessment_office_count(const qc_assessment *a) { return a ? a->noffices : 0; }
QC_EXTERN const char *qc_assessment_office_id(const qc_assessment *a, int i) { const office_row *o = office_at(a, i, __func__); return o ? o->id : NULL; }
QC_EXTERN const char *qc_assessment_office_name(const qc_assessment *a, int i) { const office_row *o = office_at(a, i, __func__); return o ? o->name : NULL; }
QC_EXTERN const char *qc_assessment_office_level(const qc_assessment *a, int i)
{
    const office_row *o = office_at(a, i, __func__);
    return o ? qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_LEVEL, o->level) : NULL;
}
QC_EXTERN int qc_assessment_office_leaders_handling(const qc_assessment *a, int i) { const office_row *o = office_at(a, i, __func__); return o ? o->leaders_handling : 0; }
QC_EXTERN int qc_assessment_office_complying_leaders(const qc_assessment *a, int i) { const office_row *o = office_at(a, i, __func__); return o ? o->complying_leaders : 0; }
QC_EXTERN int64_t qc_assessment_from(const qc_assessment *a) { return a ? a->from : 0; }
QC_EXTERN const char *qc_assessment_store_head(const qc_assessment *a) { return a ? a->store_head : ""; }
QC_EXTERN int64_t qc_assessment_store_entries(const qc_assessment *a) { return a ? a->store_entries : 0; }
QC_EXTERN const char *qc_assessment_rules_hash(const qc_assessment *a) { return a ? a->rules_hash : ""; }
QC_EXTERN int64_t qc_assessment_to(const qc_assessment *a) { return a ? a->to : 0; }
QC_EXTERN int qc_assessment_office_leaders(const qc_assessment *a, int i) { const office_row *o = office_at(a, i, __func__); return o ? o->leaders : 0; }
QC_EXTERN int qc_assessment_office_complies(const qc_assessment *a, int i)
{
    const office_row *o = office_at(a, i, __func__);
    return o && o->complies;
}

QC_EXTERN int qc_assessment_rollup_count(const qc_assessment *a) { return a ? a->nrollups : 0; }

QC_EXTERN int qc_assessment_rollup_office(const qc_assessment *a, int i)
{
    return qc__index_ok(a, i, a ? a->nrollups : 0, __func__) ? a->rollups[i].office : -1;
}

/* A figure of a roll-up row by name (rollup_names); -1 for none. */
static int64_t rollup_value(const rollup *rows, int n, const qc_assessment *a, int i, const char *what, const char *fn)
{
    if (!qc__index_ok(a, i, n, fn) || !what) return -1;
    for (int k = 0; k < R__COUNT; k++)
        if (!strcmp(rollup_names[k], what)) return rows[i].office < 0 && k <= R_OFFICES_COMPLYING ? -1 : rows[i].v[k];
    return -1;
}

QC_EXTERN int64_t qc_assessment_rollup_value(const qc_assessment *a, int i, const char *what)
{
    return rollup_value(a ? a->rollups : NULL, a ? a->nrollups : 0, a, i, what, __func__);
}

QC_EXTERN int qc_assessment_role_count(const qc_assessment *a) { return a ? a->nroles : 0; }

QC_EXTERN const char *qc_assessment_role(const qc_assessment *a, int i)
{
    return qc__index_ok(a, i, a ? a->nroles : 0, __func__) ? a->roles[i].key : NULL;
}

QC_EXTERN int64_t qc_assessment_role_value(const qc_assessment *a, int i, const char *what)
{
    return rollup_value(a ? a->roles : NULL, a ? a->nroles : 0, a, i, what, __func__);
}

QC_EXTERN int qc_assessment_verdict_count(const qc_assessment *a) { return a ? a->nverdicts : 0; }
QC_EXTERN const char *qc_assessment_verdict_person(const qc_assessment *a, int i) { const verdict *v = verdict_at(a, i, __func__); return v ? v->person : NULL; }
QC_EXTERN const char *qc_assessment_verdict_case(const qc_assessment *a, int i) { const verdict *v = verdict_at(a, i, __func__); return v ? v->case_id : NULL; }
QC_EXTERN const char *qc_assessment_verdict(const qc_assessment *a, int i) { const verdict *v = verdict_at(a, i, __func__); return v ? v->verdict : NULL; }
/* Written when first asked for: most readers want it in a report's
 * language (qc_assessment_verdict_explain) and never in this form. */
QC_EXTERN const char *qc_assessment_verdict_evidence(const qc_assessment *a, int i)
{
    if (!verdict_at(a, i, __func__)) return NULL;
    verdict *v = &((qc_assessment *)a)->verdicts[i]; /* the cache is not the value: a stays unchanged */
    pthread_mutex_lock(&((qc_assessment *)a)->lazy);
    if (!v->evidence) {
        qc__evidence e = evidence_of(v);
        int len = qc__evidence_write(NULL, 0, &e, NULL, "en");
        if (len >= 0 && (v->evidence = malloc((size_t)len + 1))) qc__evidence_write(v->evidence, (size_t)len + 1, &e, NULL, "en");
    }
    pthread_mutex_unlock(&((qc_assessment *)a)->lazy);
    return v->evidence;
}

QC_EXTERN int qc_assessment_verdict_explain(const qc_assessment *a, int i, const qc_rules *rules, const char *lang,
                                            char *buf, size_t size)
{
    if (!a || i < 0 || i >= a->nverdicts) return qc__error(QC_EINVAL, "qc_assessment_verdict_explain: no verdict %d", i);
    if (!buf && size) return qc__error(QC_EINVAL, "qc_assessment_verdict_explain: NULL buffer of %zu bytes", size);
    qc__evidence e = evidence_of(&a->verdicts[i]);
    return qc__evidence_write(buf, size, &e, rules, lang);
}

QC_EXTERN int64_t qc_assessment_total(const qc_assessment *a, const char *what)
{
    if (a && what && !strcmp(what, "notices_issued")) return a->notices_issued;
    if (a && what && !strcmp(what, "notices_answered")) return a->notices_answered;
    if (a && what && !strcmp(what, "notices_open")) return a->nnotices;
    for (size_t i = 0; a && what && i < QC__ARRAY_LEN(total_names); i++)
        if (!strcmp(total_names[i], what)) return a->totals[i];
    return -1;
}
