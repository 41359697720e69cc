/*
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
 * Everything is read through iterators, so any backend serves.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* ---- a small string -> int map ---- */

typedef struct strmap {
    char **keys;
    int *vals;
    size_t n, cap; /* cap: power of 2 */
} strmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ^ (h >> 29);
}

static int map_find(const strmap *m, const char *key)
{
    if (!m->cap) return -1;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return -1;
        if (!strcmp(m->keys[i], key)) return m->vals[i];
    }
}

static int map_put(strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **keys = calloc(cap, sizeof *keys);
        int *vals = calloc(cap, sizeof *vals);
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return qc__error(QC_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t j = hash_str(m->keys[i]) & (cap - 1);
            while (keys[j]) j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) {
        if (!(m->keys[i] = strdup(key))) return qc__error(QC_ENOMEM, "out of memory");
        m->n++;
    }
    m->vals[i] = val;
    return QC_OK;
}

static void map_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->vals);
}

/* ---- the result ---- */

typedef struct slice {          /* one person in one post for part of the period */
    char *person, *name, *office, *department, *role;
    bool in_quota, leader, handler;
    double fraction;            /* of the period */
    double counted, labelled;   /* weighted cases handled personally; of them labelled */
    int cases, name_only, insufficient, hard_cases;
    double average, required, share;
    double score, normalised;   /* performance score, and scaled to the office (100 = average) */
    const char *grade;          /* static */
    char *consequence;          /* own copy of the rule's outcome */
    const qc__quota *quota;     /* valid only while assessing: rules may be freed before the result */
    char *quota_id;             /* the result's own copy */
    const char *status;
} slice;

typedef struct verdict {
    char *person, *case_id, *evidence;
    const char *verdict;
} verdict;

typedef struct office_row {
    char *id, *name;
    int64_t level;
    int leaders, complying_leaders, leaders_handling;
    bool complies;
} office_row;

struct qc_assessment {
    slice *slices;
    int nslices;
    verdict *verdicts;
    int nverdicts;
    office_row *offices;
    int noffices;
    int64_t from, to;
    int64_t totals[6];
};

enum { T_OFFICES, T_OFFICES_COMPLYING, T_LEADERS, T_LEADERS_HANDLING, T_CASES_BY_LEADERS, T_CHIEFS_HARD };
static const char *const total_names[] = {"offices", "offices_complying", "leaders", "leaders_handling",
                                          "cases_by_leaders", "chiefs_handling_hard"};

QC_EXTERN void qc_assessment_free(qc_assessment *a)
{
    if (!a) return;
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        free(s->person); free(s->name); free(s->office); free(s->department); free(s->role); free(s->quota_id); free(s->consequence);
    }
    for (int i = 0; i < a->nverdicts; i++) {
        free(a->verdicts[i].person);
        free(a->verdicts[i].case_id);
        free(a->verdicts[i].evidence);
    }
    for (int i = 0; i < a->noffices; i++) {
        free(a->offices[i].id);
        free(a->offices[i].name);
    }
    free(a->slices);
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

static bool listed(const char **list, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(list[i], s)) return true;
    return false;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

typedef struct work {
    const qc__ruleset *rs;          /* the version in force at the end of the period */
    const qc__assess_spec *spec;
    qc_assessment *a;
    strmap offices, cases, handling; /* id -> index; "case\x1fperson" -> handling index */
    strmap people_slices;            /* person -> first slice */
    struct {
        char *office, *line;
        bool labelled, hard;
        uint64_t acts;          /* union of every person's act kinds */
        double weight, quality; /* the classification's weight; the review's multiplier */
        int64_t registered, closed, reviewed; /* closed -1 if open; reviewed: date of the review in force */
    } *cases_v;
    int ncases;
    struct { int kase; char *person; uint64_t mask; } *handling_v;
    int nhandling, handling_cap;
    const char *kinds[64];           /* act kinds the personal rules name */
    int nkinds;
    bool all_verdicts;               /* keep every person's verdicts, not only leaders' */
} work;

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

static int kind_bit(work *w, const char *kind)
{
    for (int i = 0; i < w->nkinds; i++)
        if (!strcmp(w->kinds[i], kind)) return i;
    return -1;
}

static uint64_t mask_of(work *w, const char **kinds, int n)
{
    uint64_t m = 0;
    for (int i = 0; i < n; i++) {
        int b = kind_bit(w, kinds[i]);
        if (b >= 0) m |= 1ull << b;
    }
    return m;
}

static const qc__personal *personal_for(const qc__assess_spec *spec, const char *line)
{
    const qc__personal *dflt = NULL;
    for (int i = 0; i < spec->npersonal; i++) {
        if (line && !strcmp(spec->personal[i].line, line)) return &spec->personal[i];
        if (!strcmp(spec->personal[i].line, "default")) dflt = &spec->personal[i];
    }
    return dflt;
}

static bool satisfies(work *w, const qc__personal *p, uint64_t mask)
{
    if (!p) return mask != 0;
    uint64_t all = mask_of(w, p->all_of, p->nall), any = mask_of(w, p->any_of, p->nany);
    return (mask & all) == all && (!p->nany || (mask & any));
}

static int load_offices(work *w, qc_store *store, const qc_filter *office_only)
{
    qc_iter *it;
    const qc_record *r;
    int rc = qc_iter_new(&it, store, QC_KIND_OFFICE, office_only), cap = 0;
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if ((rc = grow((void **)&w->a->offices, &cap, w->a->noffices, sizeof *w->a->offices)) < 0) break;
        office_row *o = &w->a->offices[w->a->noffices];
        *o = (office_row){.id = strdup(qc_record_text(r, QC_OFFICE_ID)), .name = strdup(qc_record_text(r, QC_OFFICE_NAME)),
                          .level = qc_record_int(r, QC_OFFICE_LEVEL)};
        if (!o->id || (rc = map_put(&w->offices, o->id, w->a->noffices)) < 0) break;
        w->a->noffices++;
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* Posts: the person records' own posts and the post records. */
static int load_posts(work *w, qc_store *store, const qc_filter *f)
{
    int rc = QC_OK, cap = 0;
    double days = (double)(w->a->to - w->a->from + 1);
    strmap names = {0};
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
            if ((rc = grow((void **)&w->a->slices, &cap, w->a->nslices, sizeof *w->a->slices)) < 0) break;
            slice *s = &w->a->slices[w->a->nslices];
            const char *role = qc_record_text(r, fr);
            bool in_quota = qc_record_int(r, fq) != 0;
            bool leader = in_quota && listed(w->spec->leaders, w->spec->nleaders, role);
            *s = (slice){.person = strdup(person), .office = dup_or_null(qc_record_text(r, fo)),
                         .department = dup_or_null(qc_record_text(r, fd)), .role = strdup(role),
                         .in_quota = in_quota, .leader = leader, .fraction = (double)(end - start + 1) / days,
                         .status = leader ? "no_quota" : ""};
            s->handler = in_quota && (w->spec->nhandlers ? listed(w->spec->handlers, w->spec->nhandlers, role)
                                                         : !leader || w->spec->average_includes_leaders);
            if (leader && w->spec->average_includes_leaders) s->handler = true;
            if (!pass) {
                s->name = strdup(qc_record_text(r, QC_PERSON_NAME));
                if ((rc = map_put(&names, person, w->a->nslices)) < 0) break;
            }
            char key[2 * QC_MAX_ID_BYTES + 2];
            snprintf(key, sizeof key, "%s\x1f%s", person, s->office ? s->office : "");
            if (map_find(&w->people_slices, person) < 0 && (rc = map_put(&w->people_slices, person, w->a->nslices)) < 0) break;
            if ((rc = map_put(&w->people_slices, key, w->a->nslices)) < 0) break;
            w->a->nslices++;
        }
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    /* a post record's slice takes its person's name */
    for (int i = 0; rc == QC_OK && i < w->a->nslices; i++)
        if (!w->a->slices[i].name) {
            int j = map_find(&names, w->a->slices[i].person);
            w->a->slices[i].name = strdup(j >= 0 ? w->a->slices[j].name : w->a->slices[i].person);
        }
    map_free(&names);
    return rc;
}

static int load_cases(work *w, qc_store *store, const qc_rules *rules, const qc_filter *f)
{
    qc_classifier *c;
    int rc = qc_classifier_new(&c, rules), cap = 0;
    if (rc < 0) return rc;
    qc_classifier_set_store(c, store);
    qc_classifier_set_today(c, w->a->to);
    qc_iter *it;
    const qc_record *r;
    if ((rc = qc_iter_new(&it, store, QC_KIND_CASE, f)) < 0) {
        qc_classifier_free(c);
        return rc;
    }
    while ((rc = qc_iter_next(&r, it)) == QC_OK) {
        if ((rc = grow((void **)&w->cases_v, &cap, w->ncases, sizeof *w->cases_v)) < 0) break;
        const qc_result *res;
        bool labelled = false, hard = false;
        int crc = qc_classify(&res, c, r);
        double weight = 1.0;
        if (crc == QC_OK) {
            weight = qc_result_weight(res);
            labelled = qc_result_label_count(res) > 0;
            for (int i = 0; i < qc_result_label_count(res); i++)
                hard |= listed(w->spec->hard_labels, w->spec->nhard, qc_result_label(res, i));
        } else if (crc != QC_ENOTFOUND) { /* outside every version: unlabelled */
            rc = crc;
            break;
        }
        w->cases_v[w->ncases].office = strdup(qc_record_text(r, QC_CASE_OFFICE));
        w->cases_v[w->ncases].line = strdup(qc_record_text(r, QC_CASE_LINE));
        w->cases_v[w->ncases].labelled = labelled;
        w->cases_v[w->ncases].hard = hard;
        w->cases_v[w->ncases].acts = 0;
        w->cases_v[w->ncases].weight = weight;
        w->cases_v[w->ncases].quality = w->spec->scores.unreviewed;
        w->cases_v[w->ncases].reviewed = INT64_MIN;
        w->cases_v[w->ncases].registered = qc_record_int(r, QC_CASE_REGISTERED);
        w->cases_v[w->ncases].closed = qc_record_has(r, QC_CASE_CLOSED) ? qc_record_int(r, QC_CASE_CLOSED) : -1;
        if ((rc = map_put(&w->cases, qc_record_text(r, QC_CASE_ID), w->ncases)) < 0) break;
        w->ncases++;
    }
    qc_iter_free(it);
    qc_classifier_free(c);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

static int load_acts(work *w, qc_store *store, const qc_filter *office_only)
{
    qc_iter *it;
    const qc_record *r;
    char key[2 * QC_MAX_ID_BYTES + 2];
    int rc = qc_iter_new(&it, store, QC_KIND_ACT, office_only);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        int k = map_find(&w->cases, qc_record_text(r, QC_ACT_CASE));
        if (k < 0) continue;
        const char *kind = qc_record_text(r, QC_ACT_KIND);
        /* duties that earn credit but never offset the quota are not handling */
        if (listed(w->spec->credit_only, w->spec->ncredit, kind)) continue;
        int bit = kind_bit(w, kind);
        snprintf(key, sizeof key, "%s\x1f%s", qc_record_text(r, QC_ACT_CASE), qc_record_text(r, QC_ACT_PERSON));
        int h = map_find(&w->handling, key);
        if (h < 0) {
            if ((rc = grow((void **)&w->handling_v, &w->handling_cap, w->nhandling, sizeof *w->handling_v)) < 0) break;
            h = w->nhandling++;
            w->handling_v[h].kase = k;
            w->handling_v[h].person = strdup(qc_record_text(r, QC_ACT_PERSON));
            w->handling_v[h].mask = 0;
            if ((rc = map_put(&w->handling, key, h)) < 0) break;
        }
        /* an act kind no personal rule names still shows the person did something */
        w->handling_v[h].mask |= bit >= 0 ? 1ull << bit : 1ull << 63;
        w->cases_v[k].acts |= bit >= 0 ? 1ull << bit : 1ull << 63;
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
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

static int load_reviews(work *w, qc_store *store, const qc_filter *office_only)
{
    const qc__score_spec *sc = &w->spec->scores;
    if (!sc->present) return QC_OK;
    qc_iter *it;
    const qc_record *r;
    int rc = qc_iter_new(&it, store, QC_KIND_REVIEW, office_only);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        int k = map_find(&w->cases, qc_record_text(r, QC_REVIEW_CASE));
        if (k < 0) continue;
        int64_t date = qc_record_int(r, QC_REVIEW_DATE);
        if (date < w->cases_v[k].reviewed) continue; /* the latest review stands */
        double m;
        const char *scheme = qc_record_text(r, QC_REVIEW_SCHEME), *grade = qc_record_text(r, QC_REVIEW_GRADE);
        if (grade_multiplier(sc, scheme, grade, &m) < 0) {
            rc = qc__error(QC_EVALUE, "review of case %s: grade '%s' of scheme %s has no multiplier in %s (add it to scores.map.%s)",
                           qc_record_text(r, QC_REVIEW_CASE), grade, scheme, sc->scheme, scheme);
            break;
        }
        w->cases_v[k].quality = m;
        w->cases_v[k].reviewed = date;
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

static double capacity_weight(const qc__assess_spec *spec, const char *capacity)
{
    for (int i = 0; i < spec->ncapacities; i++)
        if (!strcmp(spec->capacity_names[i], capacity)) return spec->capacity_weights[i];
    return 0.0;
}

/* The slice of person that a case of office belongs to: the post in that
 * office, else the person's first post. */
static slice *slice_for(work *w, const char *person, const char *office)
{
    char key[2 * QC_MAX_ID_BYTES + 2];
    snprintf(key, sizeof key, "%s\x1f%s", person, office);
    int i = map_find(&w->people_slices, key);
    if (i < 0) i = map_find(&w->people_slices, person);
    return i < 0 ? NULL : &w->a->slices[i];
}

static int judge(work *w, qc_store *store, const qc_filter *f)
{
    qc_iter *it;
    const qc_record *r;
    char key[2 * QC_MAX_ID_BYTES + 2], evidence[512];
    int rc = qc_iter_new(&it, store, QC_KIND_PARTICIPATION, f), cap = 0;
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        const char *case_id = qc_record_text(r, QC_PARTICIPATION_CASE), *person = qc_record_text(r, QC_PARTICIPATION_PERSON);
        int k = map_find(&w->cases, case_id);
        double weight = capacity_weight(w->spec, qc_record_text(r, QC_PARTICIPATION_CAPACITY));
        if (k < 0 || weight <= 0) continue;
        const qc__personal *need = personal_for(w->spec, w->cases_v[k].line);
        snprintf(key, sizeof key, "%s\x1f%s", case_id, person);
        int h = map_find(&w->handling, key);
        uint64_t mine = h >= 0 ? w->handling_v[h].mask : 0, everyone = w->cases_v[k].acts;
        /* the record shows the work done, but not by the listed handler: name-only handling suspected */
        const char *v = satisfies(w, need, mine) ? "personal" : satisfies(w, need, everyone) ? "name_only" : "insufficient";
        snprintf(evidence, sizeof evidence, "%s: own acts %s the %s requirement%s", v,
                 satisfies(w, need, mine) ? "meet" : "do not meet", w->cases_v[k].line,
                 !strcmp(v, "name_only") ? "; others' acts on the case do" : "");
        slice *s = slice_for(w, person, w->cases_v[k].office);
        if (s) {
            const qc__score_spec *sc = &w->spec->scores;
            if (!strcmp(v, "personal")) {
                s->counted += weight;
                s->cases++;
                int64_t end = w->cases_v[k].closed >= 0 ? w->cases_v[k].closed : w->a->to;
                double timely = !sc->timely_days || end - w->cases_v[k].registered <= sc->timely_days ? 1.0 : sc->late_factor;
                s->score += weight * w->cases_v[k].weight * w->cases_v[k].quality * timely;
                if (w->cases_v[k].hard) s->score += sc->bonus_hard;
                if (w->cases_v[k].labelled) s->labelled += weight;
                if (w->cases_v[k].hard) s->hard_cases++;
            } else if (!strcmp(v, "name_only")) {
                s->name_only++;
                s->score -= sc->penalty_name_only;
            } else {
                s->insufficient++;
            }
        }
        if (s && (s->leader || w->all_verdicts)) { /* everyone's only for one office (dossiers): memory */
            if ((rc = grow((void **)&w->a->verdicts, &cap, w->a->nverdicts, sizeof *w->a->verdicts)) < 0) break;
            w->a->verdicts[w->a->nverdicts++] = (verdict){strdup(person), strdup(case_id), strdup(evidence), v};
        }
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
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

/* Average weighted caseload of the handlers of an office (department NULL)
 * or of one department, per full period in post. */
static double average_of(const qc_assessment *a, const char *office, const char *department)
{
    double cases = 0, fte = 0;
    for (int i = 0; i < a->nslices; i++) {
        const slice *s = &a->slices[i];
        if (!s->handler || !s->office || strcmp(s->office, office)) continue;
        if (department && (!s->department || strcmp(s->department, department))) continue;
        cases += s->counted;
        fte += s->fraction;
    }
    return fte > 0 ? cases / fte : 0.0;
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
        int o = s->in_quota && s->office ? map_find(&w->offices, s->office) : -1;
        if (o < 0) continue;
        sum[o] += s->score;
        fte[o] += s->fraction;
    }
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        int o = s->in_quota && s->office ? map_find(&w->offices, s->office) : -1;
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

static void decide(work *w)
{
    qc_assessment *a = w->a;
    double years = (double)(a->to - a->from + 1) / 365.0;
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        if (!s->leader || !s->office) continue;
        int o = map_find(&w->offices, s->office);
        s->quota = quota_for(w->spec, s, o >= 0 ? a->offices[o].level : 0);
        if (!s->quota) continue;
        s->quota_id = strdup(s->quota->id);
        s->average = average_of(a, s->office, s->quota->of_department ? s->department : NULL);
        double by_share = s->quota->share * s->average * s->fraction;
        double floor = s->quota->min * years * s->fraction;
        s->required = by_share > floor ? by_share : floor;
        s->share = s->average > 0 ? s->counted / (s->average * s->fraction) : 0;
        double focus = s->quota->focus_share >= 0 ? s->quota->focus_share : w->spec->focus_share;
        if (s->counted + 1e-9 < s->required) s->status = "short";
        else if (focus > 0 && s->counted > 0 && s->labelled / s->counted + 1e-9 < focus) s->status = "focus_short";
        else if (focus > 0 && s->counted == 0 && s->required > 0) s->status = "short";
        else s->status = "met";
    }
    /* offices and the totals the notification reports give */
    for (int i = 0; i < a->nslices; i++) {
        slice *s = &a->slices[i];
        if (!s->leader) continue;
        int o = s->office ? map_find(&w->offices, s->office) : -1;
        a->totals[T_LEADERS]++;
        if (s->cases) a->totals[T_LEADERS_HANDLING]++;
        a->totals[T_CASES_BY_LEADERS] += s->cases;
        if (s->hard_cases && listed(w->spec->chief_roles, w->spec->nchief, s->role)) a->totals[T_CHIEFS_HARD]++;
        if (o < 0) continue;
        a->offices[o].leaders++;
        if (s->cases) a->offices[o].leaders_handling++;
        if (!strcmp(s->status, "met") || !strcmp(s->status, "no_quota")) a->offices[o].complying_leaders++;
    }
    for (int o = 0; o < a->noffices; o++) {
        /* the office rule: this share of its leaders meet their quotas (all, by default) */
        a->offices[o].complies = a->offices[o].complying_leaders >= w->spec->office_compliance * a->offices[o].leaders - 1e-9;
        a->totals[T_OFFICES]++;
        a->totals[T_OFFICES_COMPLYING] += a->offices[o].complies;
    }
}

static void work_free(work *w)
{
    map_free(&w->offices);
    map_free(&w->cases);
    map_free(&w->handling);
    map_free(&w->people_slices);
    for (int i = 0; i < w->ncases; i++) {
        free(w->cases_v[i].office);
        free(w->cases_v[i].line);
    }
    free(w->cases_v);
    for (int i = 0; i < w->nhandling; i++) free(w->handling_v[i].person);
    free(w->handling_v);
}

static int assess_period(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office,
                         int64_t from, int64_t to, int depth);

/*
 * Consequences across periods (basically competent two periods in a row:
 * leaves the quota): assess the periods of the same length just before
 * this one and compare each person's grades.  A previous period no rule
 * version covers has no grades, so it triggers nothing.
 */
static int consequences(work *w, const qc_rules *rules, qc_store *store, const char *office, int depth)
{
    const qc__score_spec *sc = &w->spec->scores;
    int need = 0;
    for (int i = 0; i < sc->nconsequences; i++)
        if (sc->consequences[i].periods - 1 > need) need = sc->consequences[i].periods - 1;
    if (!sc->present || !sc->nconsequences || depth > 0) return QC_OK;
    if (depth < 0) depth = 0;
    qc_assessment *before[4] = {NULL};
    int64_t len = w->a->to - w->a->from + 1;
    for (int p = 0; p < need; p++) {
        int rc = assess_period(&before[p], rules, store, office, w->a->from - len * (p + 1), w->a->from - len * p - 1, depth + 1);
        if (rc == QC_ENOTFOUND) break;
        if (rc < 0) {
            for (int k = 0; k < p; k++) qc_assessment_free(before[k]);
            return rc;
        }
    }
    for (int i = 0; i < w->a->nslices; i++) {
        slice *s = &w->a->slices[i];
        if (!s->grade) continue;
        for (int c = 0; c < sc->nconsequences && !s->consequence; c++) {
            const qc__consequence *q = &sc->consequences[c];
            bool all = !strcmp(s->grade, q->grade);
            for (int p = 0; all && p < q->periods - 1; p++) {
                const char *g = NULL;
                for (int j = 0; before[p] && j < before[p]->nslices && !g; j++)
                    if (!strcmp(before[p]->slices[j].person, s->person)) g = before[p]->slices[j].grade;
                all = g && !strcmp(g, q->grade);
            }
            if (all) s->consequence = strdup(q->outcome);
        }
    }
    for (int p = 0; p < need; p++) qc_assessment_free(before[p]);
    return QC_OK;
}

/* Move the rows of part to the end of all (the strings change owner). */
static int merge(qc_assessment *all, qc_assessment *part)
{
    slice *sl = realloc(all->slices, sizeof *sl * (size_t)(all->nslices + part->nslices + 1));
    if (sl) all->slices = sl;
    verdict *vd = realloc(all->verdicts, sizeof *vd * (size_t)(all->nverdicts + part->nverdicts + 1));
    if (vd) all->verdicts = vd;
    office_row *of = realloc(all->offices, sizeof *of * (size_t)(all->noffices + part->noffices + 1));
    if (of) all->offices = of;
    if (!sl || !vd || !of) return qc__error(QC_ENOMEM, "out of memory");
    /* (memcpy from a NULL array is undefined even for zero bytes) */
    if (part->nslices) memcpy(all->slices + all->nslices, part->slices, sizeof *sl * (size_t)part->nslices);
    if (part->nverdicts) memcpy(all->verdicts + all->nverdicts, part->verdicts, sizeof *vd * (size_t)part->nverdicts);
    if (part->noffices) memcpy(all->offices + all->noffices, part->offices, sizeof *of * (size_t)part->noffices);
    all->nslices += part->nslices;
    all->nverdicts += part->nverdicts;
    all->noffices += part->noffices;
    for (size_t t = 0; t < QC__ARRAY_LEN(all->totals); t++) all->totals[t] += part->totals[t];
    part->nslices = part->nverdicts = part->noffices = 0;
    return QC_OK;
}

/*
 * Offices are independent (averages and quotas are per office), so a whole
 * store is assessed office by office: memory stays that of the largest
 * office, not of the province.  One office keeps everyone's verdicts (the
 * dossier reads them); many keep the leaders'.
 */
QC_EXTERN int qc_assess(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office,
                        int64_t from, int64_t to)
{
    if (!out || !rules || !store) return qc__error(QC_EINVAL, "qc_assess: NULL argument");
    *out = NULL;
    if (office) return assess_period(out, rules, store, office, from, to, 0);
    qc_assessment *all = calloc(1, sizeof *all);
    if (!all) return qc__error(QC_ENOMEM, "out of memory");
    all->from = from;
    all->to = to;
    qc_iter *it;
    const qc_record *r;
    int rc = qc_iter_new(&it, store, QC_KIND_OFFICE, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        qc_assessment *part;
        if ((rc = assess_period(&part, rules, store, qc_record_text(r, QC_OFFICE_ID), from, to, -1)) < 0) break;
        rc = merge(all, part);
        qc_assessment_free(part);
    }
    qc_iter_free(it);
    if (rc != QC_ITEROVER) {
        qc_assessment_free(all);
        return rc;
    }
    *out = all;
    return QC_OK;
}

static int assess_period(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office,
                         int64_t from, int64_t to, int depth)
{
    if (!out || !rules || !store) return qc__error(QC_EINVAL, "qc_assess: NULL argument");
    *out = NULL;
    if (to < from) return qc__error(QC_EINVAL, "qc_assess: the period ends before it starts");
    work w = {0};
    /* the version in force at the end of the period; of several rule sets
     * in force, the newest (as for classification) */
    for (int i = 0; i < rules->nsets; i++) {
        const qc__ruleset *s = rules->sets[i];
        if (s->assess.present && s->effective_from <= to && s->effective_to >= to &&
            (!w.rs || s->effective_from > w.rs->effective_from))
            w.rs = s;
    }
    if (!w.rs) {
        char day[16];
        qc_date_format(day, sizeof day, to);
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
    qc_assessment *a = calloc(1, sizeof *a);
    if (!a) return qc__error(QC_ENOMEM, "out of memory");
    a->from = from;
    a->to = to;
    w.a = a;
    qc_filter *in_period = NULL, *office_only = NULL;
    int rc;
    /* bulk reads: no order needed, so none paid for */
    if ((rc = qc_filter_new(&in_period)) < 0 || (rc = qc_filter_new(&office_only)) < 0 ||
        (rc = qc_filter_set_unordered(in_period, 1)) < 0 || (rc = qc_filter_set_unordered(office_only, 1)) < 0 ||
        (rc = qc_filter_set_dates(in_period, from, to)) < 0 || (rc = qc_filter_set_office(in_period, office)) < 0 ||
        (rc = qc_filter_set_office(office_only, office)) < 0)
        goto done;
    if ((rc = load_offices(&w, store, office_only)) < 0 || (rc = load_posts(&w, store, in_period)) < 0 ||
        (rc = load_cases(&w, store, rules, in_period)) < 0 || (rc = load_acts(&w, store, office_only)) < 0 ||
        (rc = load_reviews(&w, store, office_only)) < 0 || (rc = judge(&w, store, in_period)) < 0)
        goto done;
    if (office && !a->noffices) {
        rc = qc__error(QC_ENOTFOUND, "no office with id '%s'", office);
        goto done;
    }
    if ((rc = score(&w)) < 0) goto done;
    decide(&w);
    if ((rc = consequences(&w, rules, store, office, depth)) < 0) goto done;
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

static const slice *leader_at(const qc_assessment *a, int i)
{
    if (!a) return NULL;
    for (int k = 0, n = 0; k < a->nslices; k++)
        if (a->slices[k].leader && n++ == i) return &a->slices[k];
    return NULL;
}

QC_EXTERN int qc_assessment_leader_count(const qc_assessment *a) { return a ? (int)a->totals[T_LEADERS] : 0; }
QC_EXTERN const char *qc_assessment_leader_person(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->person : NULL; }
QC_EXTERN const char *qc_assessment_leader_name(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->name : NULL; }
QC_EXTERN const char *qc_assessment_leader_office(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->office : NULL; }
QC_EXTERN const char *qc_assessment_leader_role(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->role : NULL; }
QC_EXTERN double qc_assessment_leader_fraction(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->fraction : 0; }
QC_EXTERN double qc_assessment_leader_counted(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->counted : 0; }
QC_EXTERN double qc_assessment_leader_required(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->required : 0; }
QC_EXTERN double qc_assessment_leader_average(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->average : 0; }
QC_EXTERN double qc_assessment_leader_share(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->share : 0; }
QC_EXTERN double qc_assessment_leader_focus_share(const qc_assessment *a, int i)
{
    const slice *s = leader_at(a, i);
    return s && s->counted > 0 ? s->labelled / s->counted : 0;
}
QC_EXTERN int qc_assessment_leader_name_only(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->name_only : 0; }
QC_EXTERN const char *qc_assessment_leader_quota(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->quota_id : NULL; }
QC_EXTERN const char *qc_assessment_leader_status(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->status : NULL; }
QC_EXTERN double qc_assessment_leader_score(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->normalised : 0; }
QC_EXTERN const char *qc_assessment_leader_grade(const qc_assessment *a, int i) { const slice *s = leader_at(a, i); return s ? s->grade : NULL; }

static const slice *person_at(const qc_assessment *a, int i) { return a && i >= 0 && i < a->nslices ? &a->slices[i] : NULL; }

QC_EXTERN int qc_assessment_person_count(const qc_assessment *a) { return a ? a->nslices : 0; }
QC_EXTERN const char *qc_assessment_person_id(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->person : NULL; }
QC_EXTERN const char *qc_assessment_person_name(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->name : NULL; }
QC_EXTERN const char *qc_assessment_person_office(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->office : NULL; }
QC_EXTERN const char *qc_assessment_person_role(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->role : NULL; }
QC_EXTERN int qc_assessment_person_in_quota(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s && s->in_quota; }
QC_EXTERN int qc_assessment_person_cases(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->cases : 0; }
QC_EXTERN double qc_assessment_person_score(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->score : 0; }
QC_EXTERN double qc_assessment_person_normalised(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->normalised : 0; }
QC_EXTERN const char *qc_assessment_person_grade(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->grade : NULL; }
QC_EXTERN const char *qc_assessment_person_consequence(const qc_assessment *a, int i) { const slice *s = person_at(a, i); return s ? s->consequence : NULL; }

QC_EXTERN int qc_assessment_office_count(const qc_assessment *a) { return a ? a->noffices : 0; }
QC_EXTERN const char *qc_assessment_office_id(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices ? a->offices[i].id : NULL; }
QC_EXTERN const char *qc_assessment_office_name(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices ? a->offices[i].name : NULL; }
QC_EXTERN const char *qc_assessment_office_level(const qc_assessment *a, int i)
{
    return a && i >= 0 && i < a->noffices ? qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_LEVEL, a->offices[i].level) : NULL;
}
QC_EXTERN int qc_assessment_office_leaders_handling(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices ? a->offices[i].leaders_handling : 0; }
QC_EXTERN int qc_assessment_office_complying_leaders(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices ? a->offices[i].complying_leaders : 0; }
QC_EXTERN int64_t qc_assessment_from(const qc_assessment *a) { return a ? a->from : 0; }
QC_EXTERN int64_t qc_assessment_to(const qc_assessment *a) { return a ? a->to : 0; }
QC_EXTERN int qc_assessment_office_leaders(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices ? a->offices[i].leaders : 0; }
QC_EXTERN int qc_assessment_office_complies(const qc_assessment *a, int i) { return a && i >= 0 && i < a->noffices && a->offices[i].complies; }

QC_EXTERN int qc_assessment_verdict_count(const qc_assessment *a) { return a ? a->nverdicts : 0; }
QC_EXTERN const char *qc_assessment_verdict_person(const qc_assessment *a, int i) { return a && i >= 0 && i < a->nverdicts ? a->verdicts[i].person : NULL; }
QC_EXTERN const char *qc_assessment_verdict_case(const qc_assessment *a, int i) { return a && i >= 0 && i < a->nverdicts ? a->verdicts[i].case_id : NULL; }
QC_EXTERN const char *qc_assessment_verdict(const qc_assessment *a, int i) { return a && i >= 0 && i < a->nverdicts ? a->verdicts[i].verdict : NULL; }
QC_EXTERN const char *qc_assessment_verdict_evidence(const qc_assessment *a, int i) { return a && i >= 0 && i < a->nverdicts ? a->verdicts[i].evidence : NULL; }

QC_EXTERN int64_t qc_assessment_total(const qc_assessment *a, const char *what)
{
    for (size_t i = 0; a && what && i < QC__ARRAY_LEN(total_names); i++)
        if (!strcmp(total_names[i], what)) return a->totals[i];
    return -1;
}
