/* SPDX-License-Identifier: MIT
 * sample.c - drawing an inspection's cases from a sampling plan
 * (docs/inspections.md).
 *
 * The draw must be the same on every platform, in every binding and on
 * every backend, and anyone must be able to do it again by hand.  So it
 * depends on no order the store returns and on no floating point:
 *
 *   - each candidate case gets a key, a 64-bit hash of the seed and the
 *     case id (FNV-1a over seed, a NUL byte and the id, then splitmix64's
 *     finaliser);
 *   - in each stratum, the cases the triggers selected come first, and the
 *     rest of the stratum's share (ceil(N x ratio), at least the minimum,
 *     at most N) is filled with the untriggered cases of lowest key (ties,
 *     which need equal 64-bit keys, by id).
 *
 * Taking the lowest keys of independent uniform keys is a uniform sample
 * without replacement (a "bottom-k" sample), whatever order the cases are
 * read in.  The hash is not cryptographic: a seed fixed in public before
 * the draw (the date of the meeting that orders it) is what makes the
 * draw fair, and the journal head fixes the data it was drawn from.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "rules_internal.h"
#include "sample.h"

/* ---- the portable key ---- */

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) h = (h ^ (unsigned char)*s) * FNV_PRIME;
    return h;
}

/* The state after the seed and its NUL: every case's key starts here. */
uint64_t qc__sample_seed_state(const char *seed) { return fnv1a(FNV_OFFSET, seed) * FNV_PRIME; /* ^ 0 */ }

uint64_t qc__sample_key(uint64_t seed_state, const char *case_id)
{
    uint64_t z = fnv1a(seed_state, case_id) + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- candidates ---- */

typedef struct candidate {
    const char *id, *office, *department, *line, *label, *labels, *handler;
    const char *stratum;
    int rank;            /* the stratum's place in the strata's order */
    uint64_t key;
    uint32_t triggers;   /* bit i: the plan's trigger i selected it */
    bool leader;         /* a leader in the quota took part (leaders_only) */
    bool drawn;
} candidate;

typedef struct draw {
    const qc_plan *plan;
    const qc_rules *rules;
    qc_store *store;
    const char *office;
    int64_t from, to;
    qc__arena *arena;    /* the sample's: texts the rows keep */
    candidate *c;
    int n, cap;
    qc__strmap by_id;    /* case id -> index */
    qc__strmap leaders;  /* person -> 1: a leader in the quota in the period */
    qc__strmap hits;     /* case id -> the triggers (bits) that selected it */
    bool need_by_id;     /* participations are read: by_id maps candidates */
    bool everything;     /* the office's subtree is the whole store */
    qc__strmap texts;    /* shared texts (shared()) -> index into text_at */
    const char **text_at;
    int ntexts, texts_cap;
    qc__strmap strata;   /* stratum key -> index into keys */
    const char **keys;
    int nkeys;
} draw;

static const char *keep(draw *d, const char *s)
{
    return s ? qc__arena_strdup(d->arena, s) : NULL;
}

/* A text many candidates share (an office, a department, a line, labels,
 * a handler), kept once: a country's four million cases name a few
 * thousand offices.  *failed is set when memory runs out. */
static const char *shared(draw *d, const char *s, bool *failed)
{
    if (!s) return NULL;
    int i = qc__map_find(&d->texts, s);
    if (i >= 0) return d->text_at[i];
    if (d->ntexts == d->texts_cap) {
        int cap = d->texts_cap ? 2 * d->texts_cap : 256;
        const char **grown = realloc(d->text_at, sizeof *grown * (size_t)cap);
        if (!grown) {
            *failed = true;
            return NULL;
        }
        d->text_at = grown;
        d->texts_cap = cap;
    }
    const char *copy = keep(d, s);
    if (!copy || qc__map_put(&d->texts, s, d->ntexts) < 0) {
        *failed = true;
        return NULL;
    }
    d->text_at[d->ntexts] = copy;
    return d->text_at[d->ntexts++];
}

static bool in_pool(const qc_plan *p, const qc_record *kase, int64_t from, int64_t to)
{
    int64_t registered = qc_record_int(kase, QC_CASE_REGISTERED);
    bool closed = qc_record_has(kase, QC_CASE_CLOSED);
    int64_t closed_on = closed ? qc_record_int(kase, QC_CASE_CLOSED) : 0;
    switch (p->pool) {
    case QC__POOL_CLOSED: return closed && closed_on >= from && closed_on <= to;
    case QC__POOL_REGISTERED: return registered >= from && registered <= to;
    case QC__POOL_ACTIVE: return registered <= to && (!closed || closed_on >= from);
    }
    return false;
}

static bool listed(const char *const *words, int n, const char *w)
{
    return w && qc__word_at(words, n, w) >= 0;
}

static int trigger_index(const qc_plan *p, int kind, int after)
{
    for (int i = after + 1; i < p->ntriggers; i++)
        if (p->triggers[i].kind == kind) return i;
    return -1;
}

/* A filter on the office and every office under it - none when that is
 * every office of the store (a national draw): the backend then reads its
 * tables in their order instead of through the office index. */
static int subtree_filter(qc_filter **f, const draw *d)
{
    int rc = qc_filter_new(f);
    if (rc == QC_OK && !d->everything) rc = qc_filter_set_office(*f, d->office);
    if (rc == QC_OK && !d->everything) rc = qc_filter_set_office_subtree(*f, 1);
    if (rc == QC_OK) rc = qc_filter_set_unordered(*f, 1);
    if (rc == QC_OK) (*f)->values_only = true; /* typed fields are read as numbers: no text form */
    return rc;
}

/* Is every office of the store the office or under it? */
static int whole_store(qc_store *store, const char *office, bool *everything)
{
    int64_t all, under;
    qc_filter *f;
    int rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_store_count(&all, store, QC_KIND_OFFICE, NULL);
    if (rc == QC_OK) rc = qc_filter_set_office(f, office);
    if (rc == QC_OK) rc = qc_filter_set_office_subtree(f, 1);
    if (rc == QC_OK) rc = qc_store_count(&under, store, QC_KIND_OFFICE, f);
    qc_filter_free(f);
    *everything = rc == QC_OK && all == under;
    return rc;
}

/* The labels a rule set gives a case: the primary, and all of them as
 * "a,b"; both NULL when no rule set is in force for it. */
static int classify_case(draw *d, qc_classifier *cl, const qc_record *kase, candidate *c)
{
    const qc_result *res;
    int rc = qc_classify(&res, cl, kase);
    if (rc == QC_ENOTFOUND) {
        qc_error_clear();
        return QC_OK;
    }
    if (rc < 0) return qc__error_prefix("case %s", c->id), rc;
    bool failed = false;
    c->label = shared(d, qc_result_primary(res), &failed);
    qc__textbuf all = {0};
    for (int i = 0; i < qc_result_label_count(res); i++) {
        if (i) qc__text_append(&all, ",", 1);
        const char *l = qc_result_label(res, i);
        qc__text_append(&all, l, strlen(l));
    }
    c->labels = all.len ? shared(d, all.p, &failed) : "";
    bool ok = !all.failed && !failed;
    qc__text_free(&all);
    return ok ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
}

static int read_candidates(draw *d)
{
    const qc_plan *p = d->plan;
    qc_filter *f;
    qc_iter *it = NULL;
    qc_classifier *cl = NULL;
    const qc_record *kase;
    bool classify = d->rules && ((p->by_mask & (1u << QC__STRATUM_LABEL)) || trigger_index(p, QC__TRIGGER_LABELS, -1) >= 0);
    int rc = subtree_filter(&f, d);
    if (rc == QC_OK && p->nlines == 1) rc = qc_filter_set_line(f, p->lines[0]);
    /* the fields a draw reads; facts only to classify, and then in id
     * order, which lets a backend read them beside the cases */
    uint32_t fields = 1u << QC_CASE_ID | 1u << QC_CASE_OFFICE | 1u << QC_CASE_DEPARTMENT | 1u << QC_CASE_LINE |
                      1u << QC_CASE_REGISTERED | 1u << QC_CASE_CLOSED;
    if (rc == QC_OK) rc = qc_filter_set_fields(f, classify ? 0 : fields | QC_FIELDS_NO_FACTS);
    if (rc == QC_OK && classify) rc = qc_filter_set_unordered(f, 0);
    if (rc == QC_OK && classify) rc = qc_classifier_new(&cl, d->rules);
    if (rc == QC_OK && classify) rc = qc_classifier_set_store(cl, d->store);
    if (rc == QC_OK) rc = qc_iter_new(&it, d->store, QC_KIND_CASE, f);
    while (rc == QC_OK && (rc = qc_iter_next(&kase, it)) == QC_OK) {
        if (!in_pool(p, kase, d->from, d->to)) continue;
        if (p->nlines > 1 && !listed(p->lines, p->nlines, qc_record_text(kase, QC_CASE_LINE))) continue;
        if (d->n == d->cap) {
            int cap = d->cap ? 2 * d->cap : 1024;
            candidate *grown = realloc(d->c, sizeof *grown * (size_t)cap);
            if (!grown) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            d->c = grown;
            d->cap = cap;
        }
        candidate *c = &d->c[d->n];
        bool failed = false;
        *c = (candidate){.id = keep(d, qc_record_text(kase, QC_CASE_ID)),
                         .office = shared(d, qc_record_text(kase, QC_CASE_OFFICE), &failed),
                         .department = shared(d, qc_record_text(kase, QC_CASE_DEPARTMENT), &failed),
                         .line = shared(d, qc_record_text(kase, QC_CASE_LINE), &failed)};
        if (!c->id || failed) {
            rc = qc__error(QC_ENOMEM, "out of memory");
            break;
        }
        if (cl && (rc = classify_case(d, cl, kase, c)) < 0) break;
        if (d->need_by_id && (rc = qc__map_put(&d->by_id, c->id, d->n)) < 0) break;
        d->n++;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_classifier_free(cl);
    qc_filter_free(f);
    return rc;
}

/* ---- who handled a case, and whether a leader took part ---- */

static bool leader_post(const qc_record *r, int role_field, int quota_field, int from_field, int to_field,
                        const char *const *roles, int nroles, int64_t from, int64_t to)
{
    if (!listed(roles, nroles, qc_record_text(r, role_field))) return false;
    if (!qc_record_has(r, quota_field) || !qc_record_int(r, quota_field)) return false;
    if (qc_record_has(r, from_field) && qc_record_int(r, from_field) > to) return false;
    return !qc_record_has(r, to_field) || qc_record_int(r, to_field) >= from;
}

/* People who were leaders in the quota at some time in the period, by
 * their person record or a post. */
static int read_leaders(draw *d, const char *const *roles, int nroles)
{
    static const struct { qc_kind kind; int person, role, quota, from, to; } sources[] = {
        {QC_KIND_PERSON, QC_PERSON_ID, QC_PERSON_ROLE, QC_PERSON_IN_QUOTA, QC_PERSON_VALID_FROM, QC_PERSON_VALID_TO},
        {QC_KIND_POST, QC_POST_PERSON, QC_POST_ROLE, QC_POST_IN_QUOTA, QC_POST_VALID_FROM, QC_POST_VALID_TO},
    };
    int rc = QC_OK;
    for (size_t s = 0; rc == QC_OK && s < QC__ARRAY_LEN(sources); s++) {
        qc_filter *f;
        qc_iter *it = NULL;
        const qc_record *r;
        rc = subtree_filter(&f, d);
        if (rc == QC_OK) rc = qc_iter_new(&it, d->store, sources[s].kind, f);
        while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK)
            if (leader_post(r, sources[s].role, sources[s].quota, sources[s].from, sources[s].to, roles, nroles, d->from, d->to))
                rc = qc__map_put(&d->leaders, qc_record_text(r, sources[s].person), 1);
        if (rc == QC_ITEROVER) rc = QC_OK;
        qc_iter_free(it);
        qc_filter_free(f);
    }
    return rc;
}

static int read_participations(draw *d)
{
    const qc_plan *p = d->plan;
    bool want_handler = p->by_mask & (1u << QC__STRATUM_PERSON);
    if (!want_handler && !p->leaders_only) return QC_OK;
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *r;
    int rc = subtree_filter(&f, d);
    if (rc == QC_OK) rc = qc_iter_new(&it, d->store, QC_KIND_PARTICIPATION, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        int i = qc__map_find(&d->by_id, qc_record_text(r, QC_PARTICIPATION_CASE));
        if (i < 0) continue;
        candidate *c = &d->c[i];
        const char *person = qc_record_text(r, QC_PARTICIPATION_PERSON);
        bool failed = false;
        if (want_handler && !c->handler &&
            listed(p->handler_caps, p->nhandler_caps, qc_record_text(r, QC_PARTICIPATION_CAPACITY)) &&
            !(c->handler = shared(d, person, &failed)))
            rc = qc__error(QC_ENOMEM, "out of memory");
        if (p->leaders_only && qc__map_find(&d->leaders, person) >= 0) c->leader = true;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    return rc;
}

/* ---- triggers ---- */

/* Triggers are found case id by case id (few cases of many); the hits
 * are set on the candidates at the end, so that a draw whose triggers
 * read stored rows needs no map of every candidate. */
static int mark(draw *d, const char *case_id, int trigger)
{
    int have = qc__map_find(&d->hits, case_id);
    return qc__map_put(&d->hits, case_id, (have < 0 ? 0 : have) | 1 << trigger);
}

static int trigger_name_only(draw *d, int t)
{
    qc_assessment *a;
    int rc = qc_assess(&a, d->rules, d->store, d->everything ? NULL : d->office, d->from, d->to);
    if (rc < 0) return rc;
    for (int i = 0; i < qc_assessment_verdict_count(a); i++)
        if (!strcmp(qc_assessment_verdict(a, i), "name_only") && (rc = mark(d, qc_assessment_verdict_case(a, i), t)) < 0) break;
    qc_assessment_free(a);
    return rc;
}

static int trigger_overdue(draw *d, int t)
{
    qc_deadlines *dl;
    int rc = qc_deadlines_compute(&dl, d->rules, d->store, d->everything ? NULL : d->office, NULL, d->to);
    if (rc < 0) return rc;
    for (int i = 0; i < qc_deadlines_count(dl); i++)
        if (qc_deadlines_days_left(dl, i) < 0 && (rc = mark(d, qc_deadlines_case(dl, i), t)) < 0) break;
    qc_deadlines_free(dl);
    return rc;
}

/* Steps of the listed kinds up to the period's end; or, for grades, each
 * case's latest review up to then with one of the listed grades. */
static int trigger_records(draw *d, const qc__trigger *trig, int t)
{
    bool grades = trig->kind == QC__TRIGGER_GRADES;
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *r;
    qc__strmap latest = {0}; /* case -> index into reviews */
    struct { int64_t day; bool low; char *case_id; } *reviews = NULL;
    int nreviews = 0;
    int rc = subtree_filter(&f, d);
    if (rc == QC_OK) rc = qc_iter_new(&it, d->store, grades ? QC_KIND_REVIEW : QC_KIND_STEP, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        int64_t day = qc_record_int(r, grades ? QC_REVIEW_DATE : QC_STEP_DATE);
        if (day > d->to) continue;
        const char *case_id = qc_record_text(r, 1); /* field 1: the case */
        if (!grades) {
            if (listed(trig->words, trig->nwords, qc_record_text(r, QC_STEP_KIND))) rc = mark(d, case_id, t);
            continue;
        }
        int i = qc__map_find(&latest, case_id);
        if (i < 0) {
            void *grown = realloc(reviews, sizeof *reviews * (size_t)(nreviews + 1));
            if (!grown) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            reviews = grown;
            i = nreviews;
            reviews[i].day = INT64_MIN;
            if (!(reviews[i].case_id = strdup(case_id))) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            nreviews++;
            if ((rc = qc__map_put(&latest, case_id, i)) < 0) break;
        }
        if (day >= reviews[i].day) { /* a later review, or one of the same day read later, replaces it */
            reviews[i].day = day;
            reviews[i].low = listed(trig->words, trig->nwords, qc_record_text(r, QC_REVIEW_GRADE));
        }
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    for (int i = 0; i < nreviews; i++) {
        if (rc == QC_OK && reviews[i].low) rc = mark(d, reviews[i].case_id, t);
        free(reviews[i].case_id);
    }
    free(reviews);
    qc__map_free(&latest);
    return rc;
}

static int apply_triggers(draw *d)
{
    const qc_plan *p = d->plan;
    int rc = QC_OK;
    for (int t = 0; rc == QC_OK && t < p->ntriggers; t++) {
        const qc__trigger *trig = &p->triggers[t];
        switch (trig->kind) {
        case QC__TRIGGER_NAME_ONLY: rc = trigger_name_only(d, t); break;
        case QC__TRIGGER_OVERDUE: rc = trigger_overdue(d, t); break;
        case QC__TRIGGER_GRADES:
        case QC__TRIGGER_STEPS: rc = trigger_records(d, trig, t); break;
        case QC__TRIGGER_LABELS:
            for (int i = 0; i < d->n; i++) {
                const char *labels = d->c[i].labels;
                for (int w = 0; labels && w < trig->nwords; w++) {
                    size_t n = strlen(trig->words[w]);
                    for (const char *at = labels; (at = strstr(at, trig->words[w])); at += n)
                        if ((at == labels || at[-1] == ',') && (at[n] == ',' || !at[n])) d->c[i].triggers |= 1u << t;
                }
            }
            break;
        }
        if (rc < 0) qc__error_prefix("trigger %s", trig->id);
    }
    for (int i = 0; rc == QC_OK && d->hits.n && i < d->n; i++) {
        int bits = qc__map_find(&d->hits, d->c[i].id);
        if (bits > 0) d->c[i].triggers |= (uint32_t)bits;
    }
    return rc;
}

/* ---- strata and the draw ---- */

/* The candidate's stratum: its key, built from the plan's dimensions,
 * interned (a province has thousands of candidates a stratum). */
static int stratum_key(draw *d, candidate *c, qc__textbuf *b)
{
    const qc_plan *p = d->plan;
    static const char *const names[QC__STRATA_DIMENSIONS] = {"office", "department", "line", "label", "person"};
    b->len = 0;
    if (!p->nby) qc__text_append(b, "all", 3);
    for (int i = 0; i < p->nby; i++) {
        const char *v = NULL;
        switch (p->by[i]) {
        case QC__STRATUM_OFFICE: v = c->office; break;
        case QC__STRATUM_DEPARTMENT: v = c->department; break;
        case QC__STRATUM_LINE: v = c->line; break;
        case QC__STRATUM_LABEL: v = c->label; break;
        case QC__STRATUM_PERSON: v = c->handler; break;
        }
        if (i) qc__text_append(b, ";", 1);
        qc__text_append(b, names[p->by[i]], strlen(names[p->by[i]]));
        qc__text_append(b, "=", 1);
        if (v) qc__text_append(b, v, strlen(v));
    }
    if (b->failed) return qc__error(QC_ENOMEM, "out of memory");
    int k = qc__map_find(&d->strata, b->p);
    if (k < 0) {
        const char **grown = realloc(d->keys, sizeof *grown * (size_t)(d->nkeys + 1));
        if (!grown) return qc__error(QC_ENOMEM, "out of memory");
        d->keys = grown;
        if (!(d->keys[d->nkeys] = keep(d, b->p))) return qc__error(QC_ENOMEM, "out of memory");
        int rc = qc__map_put(&d->strata, b->p, d->nkeys);
        if (rc < 0) return rc;
        k = d->nkeys++;
    }
    c->stratum = d->keys[k];
    c->rank = k; /* its index for now; select_cases makes it the place in order */
    return QC_OK;
}

static int by_text(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* What the draw orders: small, so that a country's cases stay in cache. */
typedef struct slot {
    uint64_t key;
    const candidate *c;
} slot;

/* By key, then (equal keys, which takes equal 64-bit hashes) by id. */
static bool lower(const slot *x, const slot *y)
{
    return x->key != y->key ? x->key < y->key : strcmp(x->c->id, y->c->id) < 0;
}

/* Put the k lowest of a[0..n) first, in any order (quickselect: linear on
 * average, and the keys are hashes, so no input makes it quadratic). */
static void select_lowest(slot *a, int n, int k)
{
    int lo = 0, hi = n - 1;
    if (k <= 0 || k >= n) return;
    while (lo < hi) {
        slot pivot = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (lower(&a[i], &pivot)) i++;
            while (lower(&pivot, &a[j])) j--;
            if (i <= j) {
                slot t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (k - 1 <= j) hi = j;
        else if (k - 1 >= i) lo = i;
        else return;
    }
}

static int by_stratum_then_id(const void *a, const void *b)
{
    const qc__sample_row *x = a, *y = b;
    int s = strcmp(x->stratum, y->stratum);
    return s ? s : strcmp(x->case_id, y->case_id);
}

/* How many of a stratum of n the plan asks for: ceil(n x ratio), at
 * least the minimum, at most n - in integers. */
static int64_t share_of(const qc_plan *p, int64_t n)
{
    int64_t want = (n * p->ratio_ppm + 999999) / 1000000;
    if (want < p->minimum) want = p->minimum;
    return want > n ? n : want;
}

/* The strata in the order of their keys: each candidate's rank becomes
 * its stratum's place. */
static int rank_strata(draw *d)
{
    if (!d->nkeys) return QC_OK;
    const char **sorted = malloc(sizeof *sorted * (size_t)d->nkeys);
    int *place = malloc(sizeof *place * (size_t)d->nkeys);
    int rc = sorted && place ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
    if (rc == QC_OK) {
        memcpy(sorted, d->keys, sizeof *sorted * (size_t)d->nkeys);
        qsort(sorted, (size_t)d->nkeys, sizeof *sorted, by_text);
        for (int k = 0; k < d->nkeys; k++) place[qc__map_find(&d->strata, sorted[k])] = k;
        for (int i = 0; i < d->n; i++) d->c[i].rank = d->c[i].rank >= 0 ? place[d->c[i].rank] : -1;
    }
    free(sorted);
    free(place);
    return rc;
}

static int add_stratum(qc_sample *s, const qc__sample_stratum *st)
{
    if (s->nstrata == s->strata_cap) {
        int cap = s->strata_cap ? 2 * s->strata_cap : 64;
        qc__sample_stratum *grown = realloc(s->strata, sizeof *grown * (size_t)cap);
        if (!grown) return qc__error(QC_ENOMEM, "out of memory");
        s->strata = grown;
        s->strata_cap = cap;
    }
    s->strata[s->nstrata++] = *st;
    return QC_OK;
}

static int select_cases(draw *d, qc_sample *s)
{
    const qc_plan *p = d->plan;
    uint64_t state = qc__sample_seed_state(s->seed);
    int m = 0, rc = QC_OK;
    qc__textbuf buf = {0};
    for (int i = 0; rc == QC_OK && i < d->n; i++) {
        candidate *c = &d->c[i];
        c->rank = -1;
        if (p->leaders_only && !c->leader) continue;
        c->key = qc__sample_key(state, c->id);
        rc = stratum_key(d, c, &buf);
        m++;
    }
    qc__text_free(&buf);
    if (rc == QC_OK) rc = rank_strata(d);
    /* the candidates by stratum (a counting sort on the places), each
     * stratum's triggered ones first */
    slot *order = m ? malloc(sizeof *order * (size_t)m) : NULL;
    int *start = calloc((size_t)d->nkeys + 1, sizeof *start);
    if (rc == QC_OK && ((m && !order) || !start)) rc = qc__error(QC_ENOMEM, "out of memory");
    for (int i = 0; rc == QC_OK && i < d->n; i++)
        if (d->c[i].rank >= 0) start[d->c[i].rank + 1]++;
    for (int k = 0; rc == QC_OK && k < d->nkeys; k++) start[k + 1] += start[k];
    for (int i = 0; rc == QC_OK && i < d->n; i++) {
        const candidate *c = &d->c[i];
        if (c->rank >= 0) order[start[c->rank]++] = (slot){c->key, c};
    }
    s->candidates = m;
    int nrows = 0;
    for (int k = 0, i = 0; rc == QC_OK && k < d->nkeys; k++) {
        int j = start[k]; /* after the fill above, start[k] is the end of stratum k */
        int triggered = 0;
        for (int t = i; t < j; t++)
            if (order[t].c->triggers) {
                slot swap = order[t];
                order[t] = order[i + triggered];
                order[i + triggered++] = swap;
            }
        int64_t want = share_of(p, j - i), drawn = want > triggered ? want - triggered : 0;
        /* the drawn: the untriggered of lowest key, chosen in linear time */
        select_lowest(order + i + triggered, j - i - triggered, (int)drawn);
        for (int t = i; t < i + triggered + drawn; t++) ((candidate *)order[t].c)->drawn = true;
        nrows += triggered + (int)drawn;
        if (j > i)
            rc = add_stratum(s, &(qc__sample_stratum){.key = order[i].c->stratum, .candidates = j - i,
                                                      .triggered = triggered, .drawn = drawn,
                                                      .selected = triggered + drawn});
        i = j;
    }
    free(start);
    if (rc == QC_OK && nrows && !(s->rows = calloc((size_t)nrows, sizeof *s->rows))) rc = qc__error(QC_ENOMEM, "out of memory");
    for (int i = 0; rc == QC_OK && i < m; i++) {
        const candidate *c = order[i].c;
        if (!c->drawn) continue;
        const char *reason = "sample";
        if (c->triggers) {
            qc__textbuf b = {0};
            for (int t = 0; t < p->ntriggers; t++)
                if (c->triggers & (1u << t)) {
                    if (b.len) qc__text_append(&b, ",", 1);
                    qc__text_append(&b, p->triggers[t].id, strlen(p->triggers[t].id));
                }
            reason = b.failed ? NULL : keep(d, b.p);
            qc__text_free(&b);
            if (!reason) rc = qc__error(QC_ENOMEM, "out of memory");
        }
        s->rows[s->n++] = (qc__sample_row){.case_id = c->id, .office = c->office, .department = c->department,
                                          .line = c->line, .handler = c->handler, .labels = c->labels,
                                          .stratum = c->stratum, .reason = reason, .key = c->key};
    }
    free(order);
    if (rc == QC_OK && s->n) qsort(s->rows, (size_t)s->n, sizeof *s->rows, by_stratum_then_id);
    return rc;
}

/* "sha256:HEX" of the list: each row as "CASE<TAB>STRATUM<TAB>REASON",
 * in the list's order, hashed as qc__sha256_texts hashes texts. */
int qc__sample_list_hash(char out[QC__SHA256_TEXT_BYTES], const qc__sample_row *rows, int n)
{
    const char **parts = n ? malloc(sizeof *parts * (size_t)n) : NULL;
    qc__textbuf b = {0};
    size_t *offs = n ? malloc(sizeof *offs * (size_t)n) : NULL;
    if (n && (!parts || !offs)) {
        free(parts);
        free(offs);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        offs[i] = b.len;
        qc__text_append(&b, rows[i].case_id, strlen(rows[i].case_id));
        qc__text_append(&b, "\t", 1);
        qc__text_append(&b, rows[i].stratum, strlen(rows[i].stratum));
        qc__text_append(&b, "\t", 1);
        qc__text_append(&b, rows[i].reason, strlen(rows[i].reason));
        qc__text_append(&b, "", 1); /* each part its own NUL-terminated text */
    }
    int rc = b.failed ? qc__error(QC_ENOMEM, "out of memory") : QC_OK;
    for (int i = 0; rc == QC_OK && i < n; i++) parts[i] = b.p + offs[i];
    if (rc == QC_OK) rc = qc__sha256_texts(out, parts, n);
    free(parts);
    free(offs);
    qc__text_free(&b);
    return rc;
}

int qc__sample_draw(qc_sample *s, const qc_plan *plan, const qc_rules *rules, qc_store *store)
{
    draw d = {.plan = plan, .rules = rules, .store = store, .office = s->office, .from = s->from, .to = s->to,
              .arena = &s->arena};
    bool subtree = store->office_subtree;
    store->office_subtree = true; /* an inspection draws from the office and every office under it */
    int rc = store->scope ? QC_OK : whole_store(store, s->office, &d.everything);
    if (rc == QC_OK && plan->leaders_only) {
        const char *const *roles = plan->leader_roles;
        int nroles = plan->nleader_roles;
        if (!nroles) {
            const qc__ruleset *rs = qc__set_in_force(rules, s->to, 0, NULL, NULL, QC__SECTION_ASSESSMENT);
            if (!rs) rc = qc__error(QC_ENOTFOUND, "leaders_only: no rule set with an assessment: section is in force on the "
                                                  "period's last day (or give the plan leader_roles:)");
            else {
                roles = rs->assess.leaders;
                nroles = rs->assess.nleaders;
            }
        }
        if (rc == QC_OK) rc = read_leaders(&d, roles, nroles);
    }
    d.need_by_id = plan->leaders_only || (plan->by_mask & (1u << QC__STRATUM_PERSON));
    if (rc == QC_OK) rc = read_candidates(&d);
    if (rc == QC_OK) rc = read_participations(&d);
    if (rc == QC_OK) rc = apply_triggers(&d);
    if (rc == QC_OK) rc = select_cases(&d, s);
    if (rc == QC_OK) rc = qc__sample_list_hash(s->list_hash, s->rows, s->n);
    store->office_subtree = subtree;
    free(d.c);
    qc__map_free(&d.by_id);
    qc__map_free(&d.leaders);
    qc__map_free(&d.strata);
    qc__map_free(&d.hits);
    qc__map_free(&d.texts);
    free(d.text_at);
    free(d.keys);
    return rc;
}
