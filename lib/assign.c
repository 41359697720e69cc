/* SPDX-License-Identifier: MIT
 * assign.c - assigning a new case (分案, docs/inspections.md): who may
 * take it, where each of them stands against the quota this year, and the
 * assignment itself - drawn at random by weight, designated with a
 * reason, or taken from the quota-aware suggestion - recorded with its
 * inputs so that it can be checked later.
 *
 * "Random as the rule, designated as the exception" (SPC 2015): the
 * random draw is portable, an integer walk over the candidates in id
 * order with the seed's key (sample.c) modulo the weights' sum, so that
 * anyone can draw it again from the recorded candidates and seed.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "sample.h"

typedef struct candidate {
    char *person, *name, *role;
    bool leader;
    double weight;               /* share of an ordinary handler's new cases */
    double counted, required;    /* leaders: this year's count and quota */
    double focus, focus_required;/* leaders: share of hard cases so far, and the rule's */
    int cases;                   /* cases so far this year, in any capacity the assessment counts */
    double score;                /* how much the case would help: higher first */
} candidate;

struct qc_suggestion {
    char *case_id, *office, *department, *line;
    int64_t day;
    bool hard;
    candidate *c;
    int n;
};

QC_EXTERN void qc_suggestion_free(qc_suggestion *s)
{
    if (!s) return;
    for (int i = 0; i < s->n; i++) {
        free(s->c[i].person);
        free(s->c[i].name);
        free(s->c[i].role);
    }
    free(s->c);
    free(s->case_id);
    free(s->office);
    free(s->department);
    free(s->line);
    free(s);
}

static bool listed(const char *const *words, int n, const char *w) { return w && qc__word_at(words, n, w) >= 0; }

static double role_weight(const qc__assess_spec *a, const char *role)
{
    int i = qc__word_at(a->assignment_roles, a->nassignment, role);
    return i >= 0 ? a->assignment_weights[i] : 1.0;
}

/* Is the post (a person record or a post record) one that may take the
 * case on the day: in the case's office and department (any of the
 * office's, with the case's line, when the case has none), in the quota,
 * a leader's or handler's role, valid then? */
static bool eligible_post(const qc_suggestion *s, const qc__assess_spec *a, const qc_record *r, bool is_post,
                          const char *post_line, bool *leader)
{
    int f_office = is_post ? QC_POST_OFFICE : QC_PERSON_OFFICE, f_dept = is_post ? QC_POST_DEPARTMENT : QC_PERSON_DEPARTMENT;
    int f_role = is_post ? QC_POST_ROLE : QC_PERSON_ROLE, f_quota = is_post ? QC_POST_IN_QUOTA : QC_PERSON_IN_QUOTA;
    int f_from = is_post ? QC_POST_VALID_FROM : QC_PERSON_VALID_FROM, f_to = is_post ? QC_POST_VALID_TO : QC_PERSON_VALID_TO;
    if (strcmp(qc_record_text(r, f_office), s->office)) return false;
    if (!qc_record_has(r, f_quota) || !qc_record_int(r, f_quota)) return false;
    if (qc_record_has(r, f_from) && qc_record_int(r, f_from) > s->day) return false;
    if (qc_record_has(r, f_to) && qc_record_int(r, f_to) < s->day) return false;
    const char *role = qc_record_text(r, f_role);
    *leader = listed(a->leaders, a->nleaders, role);
    if (!*leader && !listed(a->handlers, a->nhandlers, role)) return false;
    /* the case's department; a leader of the whole office (a post in no
     * department: the chief, the deputies) takes cases of every one */
    const char *dept = qc_record_text(r, f_dept);
    if (!dept) return *leader || !s->department;
    if (s->department) return !strcmp(dept, s->department);
    return !post_line || !strcmp(post_line, s->line);
}

static int add_candidate(qc_suggestion *s, const qc__assess_spec *a, const char *person, const char *role, bool leader)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->c[i].person, person)) return QC_OK; /* one row a person, the first post that fits */
    candidate *grown = realloc(s->c, sizeof *grown * (size_t)(s->n + 1));
    if (!grown) return qc__error(QC_ENOMEM, "out of memory");
    s->c = grown;
    candidate *c = &s->c[s->n];
    *c = (candidate){.person = strdup(person), .role = strdup(role), .leader = leader, .weight = role_weight(a, role)};
    if (!c->person || !c->role) {
        free(c->person);
        free(c->role);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    s->n++;
    return QC_OK;
}

/* The line of a department, for a case without one; NULL if unknown. */
static char *department_line(qc_store *store, const char *dept)
{
    qc_record *d;
    if (!dept || qc_store_get(&d, store, QC_KIND_DEPARTMENT, dept) < 0) {
        qc_error_clear();
        return NULL;
    }
    char *line = strdup(qc_record_text(d, QC_DEPARTMENT_LINE));
    qc_record_free(d);
    return line;
}

static int read_candidates(qc_suggestion *s, const qc__assess_spec *a, qc_store *store)
{
    int rc = QC_OK;
    for (int pass = 0; rc == QC_OK && pass < 2; pass++) {
        qc_filter *f;
        qc_iter *it = NULL;
        const qc_record *r;
        rc = qc_filter_new(&f);
        if (rc == QC_OK) rc = qc_filter_set_office(f, s->office);
        if (rc == QC_OK) rc = qc_filter_set_office_subtree(f, 0);
        if (rc == QC_OK) rc = qc_iter_new(&it, store, pass ? QC_KIND_POST : QC_KIND_PERSON, f);
        while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
            bool leader;
            char *line = s->department ? NULL : department_line(store, qc_record_text(r, pass ? QC_POST_DEPARTMENT : QC_PERSON_DEPARTMENT));
            bool ok = eligible_post(s, a, r, pass, line, &leader);
            free(line);
            if (ok)
                rc = add_candidate(s, a, qc_record_text(r, pass ? QC_POST_PERSON : QC_PERSON_ID),
                                   qc_record_text(r, pass ? QC_POST_ROLE : QC_PERSON_ROLE), leader);
        }
        if (rc == QC_ITEROVER) rc = QC_OK;
        qc_iter_free(it);
        qc_filter_free(f);
    }
    return rc;
}

/* Where each candidate stands in the year of the day: the assessment of
 * the case's office alone, for the whole year (cases registered later are
 * not stored yet). */
static int read_standing(qc_suggestion *s, const qc_rules *rules, qc_store *store, const qc__assess_spec *a)
{
    int64_t from, to;
    char year[8];
    char day[16];
    qc_date_format(day, sizeof day, s->day);
    snprintf(year, sizeof year, "%.4s", day);
    int rc = qc_period_parse(&from, &to, year);
    if (rc < 0) return rc;
    bool subtree = store->office_subtree;
    store->office_subtree = false;
    qc_assessment *as;
    rc = qc__assess_leaders(&as, rules, store, s->office, from, to);
    store->office_subtree = subtree;
    if (rc < 0) return rc;
    for (int i = 0; i < s->n; i++) {
        candidate *c = &s->c[i];
        for (int k = 0; k < qc_assessment_person_count(as); k++)
            if (!strcmp(qc_assessment_person_id(as, k), c->person)) {
                c->cases += qc_assessment_person_cases(as, k);
                if (!c->name && !(c->name = strdup(qc_assessment_person_name(as, k)))) rc = qc__error(QC_ENOMEM, "out of memory");
            }
        for (int k = 0; k < qc_assessment_leader_count(as); k++)
            if (!strcmp(qc_assessment_leader_person(as, k), c->person)) {
                c->counted += qc_assessment_leader_counted(as, k);
                c->required += qc_assessment_leader_required(as, k);
                c->focus = qc_assessment_leader_focus_share(as, k);
            }
        c->focus_required = c->leader ? a->focus_share : 0;
        /* what one more case does for the quota: the part of it still
         * missing; for a hard case, and the focus share still missing */
        double missing = c->required > 0 && c->counted < c->required ? (c->required - c->counted) / c->required : 0;
        double focus_missing = c->focus_required > c->focus ? c->focus_required - c->focus : 0;
        c->score = c->leader ? missing + (s->hard ? focus_missing : 0) : 0;
    }
    qc_assessment_free(as);
    return rc;
}

/* Highest score first; then fewest cases for the weight (spreading the
 * rest evenly); then id. */
static int by_score(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    double la = a->weight > 0 ? a->cases / a->weight : INFINITY, lb = b->weight > 0 ? b->cases / b->weight : INFINITY;
    if (la != lb) return la < lb ? -1 : 1;
    return strcmp(a->person, b->person);
}

static int case_is_hard(qc_suggestion *s, const qc_rules *rules, qc_store *store, const qc_record *kase,
                        const qc__assess_spec *a)
{
    qc_classifier *cl;
    const qc_result *res;
    int rc = qc_classifier_new(&cl, rules);
    if (rc == QC_OK) rc = qc_classifier_set_store(cl, store);
    if (rc == QC_OK && (rc = qc_classify(&res, cl, kase)) == QC_OK)
        for (int i = 0; i < qc_result_label_count(res); i++)
            if (listed(a->hard_labels, a->nhard, qc_result_label(res, i))) s->hard = true;
    if (rc == QC_ENOTFOUND) { /* no rule set classifies it: not known to be hard */
        qc_error_clear();
        rc = QC_OK;
    }
    qc_classifier_free(cl);
    return rc;
}

QC_EXTERN int qc_suggest(qc_suggestion **out, const qc_rules *rules, qc_store *store, const char *case_id, int64_t day)
{
    if (out) *out = NULL;
    if (!out || !rules || !store || !case_id) return qc__error(QC_EINVAL, "qc_suggest: NULL argument");
    qc_record *kase;
    int rc = qc_store_get(&kase, store, QC_KIND_CASE, case_id);
    if (rc == QC_ENOTFOUND) return qc__error(QC_ENOTFOUND, "no case '%s'", case_id);
    if (rc < 0) return rc;
    qc_suggestion *s = calloc(1, sizeof *s);
    if (!s) rc = qc__error(QC_ENOMEM, "out of memory");
    if (rc == QC_OK) {
        s->day = day ? day : qc_record_int(kase, QC_CASE_REGISTERED);
        s->case_id = strdup(case_id);
        s->office = strdup(qc_record_text(kase, QC_CASE_OFFICE));
        s->line = strdup(qc_record_text(kase, QC_CASE_LINE));
        s->department = qc_record_has(kase, QC_CASE_DEPARTMENT) ? strdup(qc_record_text(kase, QC_CASE_DEPARTMENT)) : NULL;
        if (!s->case_id || !s->office || !s->line || (qc_record_has(kase, QC_CASE_DEPARTMENT) && !s->department))
            rc = qc__error(QC_ENOMEM, "out of memory");
    }
    const qc__ruleset *rs = NULL;
    if (rc == QC_OK && !(rs = qc__set_in_force(rules, s->day, 0, NULL, NULL, QC__SECTION_ASSESSMENT)))
        rc = qc__error(QC_ENOTFOUND, "no rule set with an assessment: section is in force on the day");
    if (rc == QC_OK) rc = case_is_hard(s, rules, store, kase, &rs->assess);
    if (rc == QC_OK) rc = read_candidates(s, &rs->assess, store);
    if (rc == QC_OK && s->n) rc = read_standing(s, rules, store, &rs->assess);
    for (int i = 0; rc == QC_OK && i < s->n; i++) { /* names of those the assessment did not list */
        qc_record *p;
        if (s->c[i].name || (rc = qc_store_get(&p, store, QC_KIND_PERSON, s->c[i].person)) < 0) continue;
        if (!(s->c[i].name = strdup(qc_record_text(p, QC_PERSON_NAME)))) rc = qc__error(QC_ENOMEM, "out of memory");
        qc_record_free(p);
    }
    qc_record_free(kase);
    if (rc < 0) {
        qc_suggestion_free(s);
        return rc;
    }
    if (s->n) qsort(s->c, (size_t)s->n, sizeof *s->c, by_score);
    *out = s;
    return QC_OK;
}

/* ---- the assignment ---- */

/* "P1:1,P2:0.2": the candidates in id order with their weights, the
 * inputs of a random draw (and what a suggestion was chosen from). */
static char *candidates_text(const qc_suggestion *s, const candidate **by_id)
{
    qc__textbuf b = {0};
    for (int i = 0; i < s->n; i++) {
        char w[40];
        snprintf(w, sizeof w, ":%.6g", by_id[i]->weight);
        if (i) qc__text_append(&b, ",", 1);
        qc__text_append(&b, by_id[i]->person, strlen(by_id[i]->person));
        qc__text_append(&b, w, strlen(w));
    }
    if (b.failed || !b.p) {
        qc__text_free(&b);
        return NULL;
    }
    return b.p;
}

static int by_person(const void *x, const void *y)
{
    return strcmp((*(const candidate *const *)x)->person, (*(const candidate *const *)y)->person);
}

/* The random draw: weights in millionths, summed in id order; the seed's
 * key for the case modulo the sum picks the candidate whose span holds
 * it (docs/inspections.md).  NULL if every weight is 0. */
static const candidate *draw_one(const candidate *const *by_id, int n, const char *seed, const char *case_id)
{
    uint64_t total = 0;
    for (int i = 0; i < n; i++) total += (uint64_t)llround(by_id[i]->weight * 1e6);
    if (!total) return NULL;
    uint64_t at = qc__sample_key(qc__sample_seed_state(seed), case_id) % total;
    for (int i = 0; i < n; i++) {
        uint64_t w = (uint64_t)llround(by_id[i]->weight * 1e6);
        if (at < w) return by_id[i];
        at -= w;
    }
    return NULL; /* not reached: at < total */
}

static int put_assignment(qc_store *store, const qc_suggestion *s, const char *person, qc_assign_method method,
                          const char *seed, const char *by, const char *reason, const char *inputs, const char *capacity)
{
    qc_record *r;
    int rc = qc_record_new(&r, QC_KIND_ASSIGNMENT);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_ASSIGNMENT_CASE, s->case_id);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_ASSIGNMENT_PERSON, person);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_ASSIGNMENT_METHOD, method);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_ASSIGNMENT_DATE, s->day);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_ASSIGNMENT_BY, by);
    if (rc == QC_OK && reason && *reason) rc = qc_record_set_text(r, QC_ASSIGNMENT_REASON, reason);
    if (rc == QC_OK && seed) rc = qc_record_set_text(r, QC_ASSIGNMENT_SEED, seed);
    if (rc == QC_OK && inputs && *inputs) rc = qc_record_set_text(r, QC_ASSIGNMENT_CANDIDATES, inputs);
    bool own = rc == QC_OK && !store->in_txn;
    if (own) rc = qc_store_begin(store);
    if (rc == QC_OK) rc = qc_store_put(store, r);
    qc_record_free(r);
    if (rc == QC_OK && capacity) {
        if ((rc = qc_record_new(&r, QC_KIND_PARTICIPATION)) == QC_OK) {
            if ((rc = qc_record_set_text(r, QC_PARTICIPATION_CASE, s->case_id)) == QC_OK &&
                (rc = qc_record_set_text(r, QC_PARTICIPATION_PERSON, person)) == QC_OK &&
                (rc = qc_record_set_text(r, QC_PARTICIPATION_CAPACITY, capacity)) == QC_OK)
                rc = qc_store_put(store, r);
            if (rc == QC_EEXIST) { /* the person is on the case in that capacity already */
                qc_error_clear();
                rc = QC_OK;
            }
            qc_record_free(r);
        }
    }
    if (own) rc = rc == QC_OK ? qc_store_commit(store) : (qc__store_abort(store), rc);
    return rc;
}

QC_EXTERN int qc_assign(const char **chosen, qc_store *store, const qc_suggestion *s, qc_assign_method method,
                        const char *person, const char *seed, const char *by, const char *reason, const char *capacity)
{
    if (chosen) *chosen = NULL;
    if (!store || !s || !by) return qc__error(QC_EINVAL, "qc_assign: NULL argument");
    if (!*by) return qc__error(QC_EMISSING, "qc_assign: who assigns it (by) is required");
    const candidate **by_id = s->n ? malloc(sizeof *by_id * (size_t)s->n) : NULL;
    if (s->n && !by_id) return qc__error(QC_ENOMEM, "out of memory");
    for (int i = 0; i < s->n; i++) by_id[i] = &s->c[i];
    if (s->n) qsort(by_id, (size_t)s->n, sizeof *by_id, by_person);
    const candidate *pick = NULL;
    int rc = QC_OK;
    switch (method) {
    case QC_ASSIGN_RANDOM:
        if (!seed || !*seed) rc = qc__error(QC_EMISSING, "qc_assign: a random assignment needs a seed");
        else if (person) rc = qc__error(QC_EINVAL, "qc_assign: a random assignment names no person (the draw does)");
        else if (!(pick = draw_one(by_id, s->n, seed, s->case_id)))
            rc = qc__error(QC_ENOTFOUND, "case %s: no eligible handler to draw from", s->case_id);
        break;
    case QC_ASSIGN_SUGGESTED:
        for (int i = 0; person && i < s->n; i++)
            if (!strcmp(s->c[i].person, person)) pick = &s->c[i];
        if (!person) pick = s->n ? &s->c[0] : NULL; /* the top of the suggestion */
        if (!pick)
            rc = person ? qc__error(QC_EVALUE, "case %s: %s is not among the suggested handlers", s->case_id, person)
                        : qc__error(QC_ENOTFOUND, "case %s: no eligible handler to suggest", s->case_id);
        break;
    case QC_ASSIGN_DESIGNATED:
        if (!person) rc = qc__error(QC_EMISSING, "qc_assign: a designated assignment names the person");
        else if (!reason || !*reason) rc = qc__error(QC_EMISSING, "qc_assign: a designated assignment needs a reason");
        break;
    default: rc = qc__error(QC_EINVAL, "qc_assign: method %d is not random, designated or suggested", (int)method);
    }
    char *inputs = rc == QC_OK && method != QC_ASSIGN_DESIGNATED ? candidates_text(s, by_id) : NULL;
    if (rc == QC_OK && method != QC_ASSIGN_DESIGNATED && s->n && !inputs) rc = qc__error(QC_ENOMEM, "out of memory");
    const char *who = pick ? pick->person : person;
    if (rc == QC_OK)
        rc = put_assignment(store, s, who, method, method == QC_ASSIGN_RANDOM ? seed : NULL, by, reason, inputs, capacity);
    free(inputs);
    free(by_id);
    if (rc == QC_OK && chosen) *chosen = pick ? pick->person : person;
    return rc;
}

/* ---- accessors ---- */

static const candidate *at(const qc_suggestion *s, int i) { return s && i >= 0 && i < s->n ? &s->c[i] : NULL; }

QC_EXTERN int qc_suggestion_count(const qc_suggestion *s) { return s ? s->n : 0; }
QC_EXTERN const char *qc_suggestion_case(const qc_suggestion *s) { return s ? s->case_id : NULL; }
QC_EXTERN int64_t qc_suggestion_day(const qc_suggestion *s) { return s ? s->day : 0; }
QC_EXTERN int qc_suggestion_hard(const qc_suggestion *s) { return s && s->hard; }
QC_EXTERN const char *qc_suggestion_person(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->person : NULL; }
QC_EXTERN const char *qc_suggestion_name(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->name : NULL; }
QC_EXTERN const char *qc_suggestion_role(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->role : NULL; }
QC_EXTERN int qc_suggestion_leader(const qc_suggestion *s, int i) { return at(s, i) && at(s, i)->leader; }
QC_EXTERN double qc_suggestion_weight(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->weight : 0; }
QC_EXTERN int qc_suggestion_cases(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->cases : 0; }
QC_EXTERN double qc_suggestion_counted(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->counted : 0; }
QC_EXTERN double qc_suggestion_required(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->required : 0; }
QC_EXTERN double qc_suggestion_focus_share(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->focus : 0; }
QC_EXTERN double qc_suggestion_focus_required(const qc_suggestion *s, int i)
{
    return at(s, i) ? at(s, i)->focus_required : 0;
}
QC_EXTERN double qc_suggestion_score(const qc_suggestion *s, int i) { return at(s, i) ? at(s, i)->score : 0; }
