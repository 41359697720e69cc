/* SPDX-License-Identifier: MIT
 * deadlines.c - node control (节点控制): for each open case on a day, the
 * process node it is in, when that node is due and how loudly to warn,
 * by the `deadlines:` section of the rule version in force on the case's
 * registration date (docs/deadlines.md).
 *
 * The cases come in id order and their steps beside them in case order
 * (qc_filter_set_by_case), so memory holds one case's steps at a time and
 * the answer; a case is classified only when its node's period depends
 * on its labels.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "rules_internal.h"

/* One open case's deadline, kept small: a national store lists millions
 * (days fit 32 bits: the library's dates are 1900-2999). */
typedef struct deadline {
    const char *case_id, *office;  /* in the arena; offices interned */
    const qc__ruleset *rs;
    const qc__proc_node *node;
    const char *start_step;        /* the step kind that started the clock (the rules' word) */
    int32_t opened, started;       /* the node's first opening; its clock's latest start */
    int32_t base_due, label_due, granted_due, unshifted_due, due; /* the due day, stage by stage */
    int32_t suspended_days, suspended_since;
    int16_t restarts;
    int16_t label;                 /* the label whose extension applied, or -1 */
    int16_t ngranted;              /* extensions granted by steps */
    int16_t period_if;             /* the period_if that set the period, or -1 */
    bool suspended;                /* the clock stands on the day asked about */
    bool calendar_missing;         /* the due day's year has no holiday calendar */
} deadline;

/* A step taken without what its node requires before it. */
typedef struct violation {
    const char *case_id, *office, *evidence; /* in the arena */
    const qc__proc_node *node;
    const struct qc__proc_require *req;
    const char *step;              /* the rules' word */
    int64_t date;
} violation;

struct qc_deadlines {
    qc__arena arena;
    deadline *d;
    size_t n, cap;
    qc__strmap office_index;       /* office -> its interned copy in offices */
    const char **offices;
    int noffices;
    violation *v;
    size_t nv, vcap;
    int64_t on;
    char *text;                    /* qc_deadlines_explain's last answer */
};

/* Strings back to back, each found again by its offset: the buffer moves
 * as it grows. */
typedef struct strings {
    char *s;
    size_t len, cap;
} strings;

/* One step of the case being walked. */
typedef struct step_seen {
    size_t kind;                   /* offset in the walker's kinds: the buffer moves as it grows */
    int64_t date;
    size_t order;
} step_seen;

typedef struct walker {
    qc_deadlines *out;
    const qc_rules *rules;
    const qc_offices *offices;
    qc_classifier *classifier;
    int64_t on;
    step_seen *steps;
    size_t nsteps, cap;
    strings kinds;                 /* the steps' kinds */
    int *restarts;                 /* per node of the set, for the case being walked */
    int nrestarts;
    /* for the nodes' requirements (requires:), when any has one */
    bool requires;
    qc__stream acts, parts;
    struct act_seen { size_t kind, person; int64_t day; } *case_acts; /* offsets into text */
    size_t nacts, acts_cap;
    size_t *listed;                /* offsets of the persons listed on the case */
    size_t nlisted, listed_cap;
    strings text;                  /* the acts' kinds and persons */
    qc__strmap leaders;            /* person -> their first leader's term in terms */
    struct leader_term { int64_t from, to; int next; } *terms; /* days a post or record gave a leader's role */
    int nterms, terms_cap;
} walker;

static bool listed(const char *const *list, int n, const char *word) { return qc__word_at(list, n, word) >= 0; }

/* Keep str in b; its offset in *at. */
static int keep_string(strings *b, const char *str, size_t *at)
{
    size_t len = strlen(str) + 1;
    if (b->len + len > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1024) + len;
        char *grown = realloc(b->s, cap);
        if (!grown) return qc__error(QC_ENOMEM, "out of memory");
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s + b->len, str, len);
    *at = b->len;
    b->len += len;
    return QC_OK;
}

#define GROW(arr, n, cap)                                                        \
    do {                                                                         \
        if ((n) == (cap)) {                                                      \
            size_t c_ = (cap) ? (cap) * 2 : 16;                                  \
            void *g_ = realloc((arr), c_ * sizeof *(arr));                       \
            if (!g_) return qc__error(QC_ENOMEM, "out of memory");              \
            (arr) = g_;                                                          \
            (cap) = c_;                                                          \
        }                                                                        \
    } while (0)

/* The case's acts and listed people, read beside its steps. */
static int gather_case(walker *w, const char *id)
{
    w->nacts = w->nlisted = w->text.len = 0;
    bool here;
    int rc = qc__stream_seek(&w->acts, id, &here);
    while (rc == QC_OK && here && w->acts.r && !strcmp(qc_record_text(w->acts.r, QC_ACT_CASE), id)) {
        GROW(w->case_acts, w->nacts, w->acts_cap);
        struct act_seen *a = &w->case_acts[w->nacts];
        a->day = qc__day_of(qc_record_int(w->acts.r, QC_ACT_TIME));
        if ((rc = keep_string(&w->text, qc_record_text(w->acts.r, QC_ACT_KIND), &a->kind)) < 0 ||
            (rc = keep_string(&w->text, qc_record_text(w->acts.r, QC_ACT_PERSON), &a->person)) < 0)
            return rc;
        w->nacts++;
        rc = qc__stream_next(&w->acts);
    }
    if (rc == QC_OK) rc = qc__stream_seek(&w->parts, id, &here);
    while (rc == QC_OK && here && w->parts.r && !strcmp(qc_record_text(w->parts.r, QC_PARTICIPATION_CASE), id)) {
        GROW(w->listed, w->nlisted, w->listed_cap);
        if ((rc = keep_string(&w->text, qc_record_text(w->parts.r, QC_PARTICIPATION_PERSON), &w->listed[w->nlisted])) < 0) return rc;
        w->nlisted++;
        rc = qc__stream_next(&w->parts);
    }
    return rc;
}

static bool case_has_label(walker *w, const qc_record *kase, const qc__ruleset *rs, const struct qc__proc_require *r, int *rc)
{
    if (!r->nlabels) return true;
    const qc_result *res;
    *rc = qc_classify(&res, w->classifier, kase);
    if (*rc == QC_ENOTFOUND) *rc = QC_OK;
    if (*rc < 0 || res->rs != rs) return false;
    for (int l = 0; l < res->nlabels; l++)
        if (listed(r->labels, r->nlabels, rs->labels[res->labels[l]].id)) return true;
    return false;
}

/* Whether person held a leader's role on day. */
static bool leader_on(const walker *w, const char *person, int64_t day)
{
    for (int t = qc__map_find(&w->leaders, person); t >= 0; t = w->terms[t].next)
        if (w->terms[t].from <= day && day <= w->terms[t].to) return true;
    return false;
}

/* Whether person is listed on the case and was a leader on day. */
static bool is_listed_leader(const walker *w, const char *person, int64_t day)
{
    if (!leader_on(w, person, day)) return false;
    for (size_t i = 0; i < w->nlisted; i++)
        if (!strcmp(w->text.s + w->listed[i], person)) return true;
    return false;
}

/* Check the requirements of node nd before step (kind, day, the i-th
 * sorted step); a violation is kept with its evidence. */
static int check_requires(walker *w, const qc_record *kase, const qc__ruleset *rs, const qc__proc_node *nd,
                          const char *kind, int64_t day, size_t i)
{
    for (int q = 0; q < nd->nrequires; q++) {
        const struct qc__proc_require *r = &nd->requires[q];
        if (!listed(r->before, r->nbefore, kind)) continue;
        int rc = QC_OK;
        bool leader_listed = false; /* by: leader asks of cases a leader in post on the day is listed on */
        for (size_t p = 0; r->by_leader && p < w->nlisted && !leader_listed; p++)
            leader_listed = leader_on(w, w->text.s + w->listed[p], day);
        if (r->by_leader && !leader_listed) continue;
        if (!case_has_label(w, kase, rs, r, &rc)) {
            if (rc < 0) return rc;
            continue;
        }
        bool met = false;
        for (size_t s = 0; !met && s < i; s++) /* steps before this one, by date */
            met = listed(r->steps, r->nsteps, w->kinds.s + w->steps[s].kind);
        for (size_t a = 0; !met && a < w->nacts; a++)
            met = w->case_acts[a].day <= day && listed(r->acts, r->nacts, w->text.s + w->case_acts[a].kind) &&
                  (!r->by_leader || is_listed_leader(w, w->text.s + w->case_acts[a].person, w->case_acts[a].day));
        if (met) continue;
        /* the evidence: what was asked, and what the record holds */
        char ev[1024], when[16];
        size_t len = 0;
        qc_date_format(when, sizeof when, day);
        len += (size_t)snprintf(ev + len, sizeof ev - len, "before %s on %s: no ", kind, when);
        const char *const *want = r->nacts ? r->acts : r->steps;
        int nwant = r->nacts ? r->nacts : r->nsteps;
        for (int k = 0; k < nwant && len < sizeof ev; k++)
            len += (size_t)snprintf(ev + len, sizeof ev - len, "%s%s", k ? " or " : "", want[k]);
        if (len < sizeof ev)
            len += (size_t)snprintf(ev + len, sizeof ev - len, "%s", r->nsteps ? " step" : r->by_leader ? " by a leader listed on the case" : "");
        if (r->nacts && len < sizeof ev) {
            len += (size_t)snprintf(ev + len, sizeof ev - len, "; acts recorded by then:");
            int shown = 0;
            for (size_t a = 0; a < w->nacts && len < sizeof ev; a++)
                if (w->case_acts[a].day <= day) {
                    len += (size_t)snprintf(ev + len, sizeof ev - len, "%s %s by %s", shown++ ? "," : "", w->text.s + w->case_acts[a].kind,
                                            w->text.s + w->case_acts[a].person);
                }
            if (!shown && len < sizeof ev) snprintf(ev + len, sizeof ev - len, " none");
        }
        qc_deadlines *out = w->out;
        GROW(out->v, out->nv, out->vcap);
        violation *v = &out->v[out->nv];
        *v = (violation){.case_id = qc__arena_strdup(&out->arena, qc_record_text(kase, QC_CASE_ID)),
                         .office = qc__arena_strdup(&out->arena, qc_record_text(kase, QC_CASE_OFFICE)),
                         .evidence = qc__arena_strdup(&out->arena, ev), .node = nd, .req = r,
                         .step = r->before[qc__word_at(r->before, r->nbefore, kind)], .date = day};
        if (!v->case_id || !v->office || !v->evidence) return qc__error(QC_ENOMEM, "out of memory");
        out->nv++;
    }
    return QC_OK;
}

static int64_t add_span(int64_t day, qc__span s) { return (s.months ? qc__add_months(day, s.months) : day) + s.days; }

/* Whether a period_if condition holds for the case: a fact the case does
 * not have is its declared default, or else the condition does not hold. */
static bool condition_holds(const qc__ruleset *rs, const struct qc__proc_period_if *c, const qc_record *kase)
{
    const qc__fact_def *def = &rs->prog.facts[c->fact];
    int at = qc_record_fact_find(kase, def->name);
    double x;
    if (at >= 0) {
        qc_type t = qc_record_fact_type(kase, at);
        if (t == QC_TYPE_DECIMAL) x = qc_record_fact_decimal(kase, at);
        else if (t == QC_TYPE_INT || t == QC_TYPE_BOOL) x = (double)qc_record_fact_int(kase, at);
        else return false;
    } else if (def->missing == MISSING_DEFAULT) {
        x = def->type == X_DEC ? def->dflt.d : (double)def->dflt.i;
    } else {
        return false;
    }
    return c->is_true ? x != 0 : x > c->above;
}

static bool in_sorted(const int64_t *days, int n, int64_t day)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (days[mid] == day) return true;
        if (days[mid] < day) lo = mid + 1;
        else hi = mid - 1;
    }
    return false;
}

/* Whether day is a working day by the rules' calendar. */
static bool working(const qc__deadline_spec *d, int64_t day)
{
    if (in_sorted(d->workdays, d->nworkdays, day)) return true;
    if (in_sorted(d->holidays, d->nholidays, day)) return false;
    int w = qc__weekday(day);
    return !(d->weekends_off && (w == 0 || w == 6));
}


static int by_date(const void *a, const void *b)
{
    const step_seen *x = a, *y = b;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int keep_step(walker *w, const qc_record *r)
{
    GROW(w->steps, w->nsteps, w->cap);
    step_seen *st = &w->steps[w->nsteps];
    int rc = keep_string(&w->kinds, qc_record_text(r, QC_STEP_KIND), &st->kind);
    if (rc < 0) return rc;
    st->date = qc_record_int(r, QC_STEP_DATE);
    st->order = w->nsteps++;
    return QC_OK;
}

/* The node of rs that step kind opens (restart: or starts again), for a
 * case of line; NULL if none. */
static const qc__proc_node *node_started_by(const qc__ruleset *rs, const char *kind, const char *line, bool *restart)
{
    const qc__deadline_spec *d = &rs->deadlines;
    for (int i = 0; i < d->nnodes; i++) {
        const qc__proc_node *nd = &d->nodes[i];
        if (nd->lines && !listed(nd->lines, nd->nlines, line)) continue;
        if (listed(nd->opened_by, nd->nopened, kind)) { *restart = false; return nd; }
        if (listed(nd->restarted_by, nd->nrestarted, kind)) { *restart = true; return nd; }
    }
    return NULL;
}

/* One copy of each office's id, however many cases it has. */
static const char *intern_office(qc_deadlines *d, const char *office)
{
    int at = qc__map_find(&d->office_index, office);
    if (at >= 0) return d->offices[at];
    const char **grown = realloc(d->offices, sizeof *grown * (size_t)(d->noffices + 1));
    if (!grown) return NULL;
    d->offices = grown;
    const char *copy = qc__arena_strdup(&d->arena, office);
    if (!copy || qc__map_put(&d->office_index, office, d->noffices) < 0) return NULL;
    d->offices[d->noffices++] = copy;
    return copy;
}

/* Walk one case's steps (sorted) to the node it is in on w->on; the due
 * day with every adjustment kept for the explanation. */
static int judge(walker *w, const qc_record *kase, const qc__ruleset *rs, bool open)
{
    const char *line = qc_record_text(kase, QC_CASE_LINE);
    const qc__deadline_spec *spec = &rs->deadlines;
    if (w->nrestarts < spec->nnodes) {
        int *grown = realloc(w->restarts, sizeof *grown * (size_t)spec->nnodes);
        if (!grown) return qc__error(QC_ENOMEM, "out of memory");
        w->restarts = grown;
        w->nrestarts = spec->nnodes;
    }
    memset(w->restarts, 0, sizeof *w->restarts * (size_t)spec->nnodes);
    deadline d = {.rs = rs, .label = -1, .period_if = -1};
    qc__span granted[64];
    for (size_t i = 0; i < w->nsteps; i++) {
        const char *kind = w->kinds.s + w->steps[i].kind;
        int64_t day = w->steps[i].date;
        if (d.node && d.node->nrequires && w->requires) {
            int rc = check_requires(w, kase, rs, d.node, kind, day, i);
            if (rc < 0) return rc;
        }
        if (d.node && listed(d.node->closed_by, d.node->nclosed, kind)) d.node = NULL;
        bool restart = false;
        const qc__proc_node *started = node_started_by(rs, kind, line, &restart);
        if (started) {
            int at = (int)(started - spec->nodes);
            if (restart) w->restarts[at]++;
            else w->restarts[at] = 0;
            bool again = restart && d.node == started; /* restarted while open: the same opening */
            d = (deadline){.rs = rs, .label = -1, .period_if = -1, .node = started, .start_step = kind, .started = day,
                           .opened = again ? d.opened : day, .restarts = w->restarts[at]};
            continue;
        }
        if (!d.node) continue;
        if (listed(d.node->suspended_by, d.node->nsuspended, kind) && !d.suspended) {
            d.suspended = true;
            d.suspended_since = day;
        } else if (listed(d.node->resumed_by, d.node->nresumed, kind) && d.suspended) {
            d.suspended_days += day - d.suspended_since;
            d.suspended = false;
        } else {
            for (int g = 0; g < d.node->ngranted; g++)
                if (!strcmp(d.node->granted[g].step, kind) && d.ngranted < (int)QC__ARRAY_LEN(granted))
                    granted[d.ngranted++] = d.node->granted[g].by;
        }
    }
    if (!d.node || !open) return QC_OK;
    const qc__proc_node *nd = d.node;
    /* the start day is not counted (CPL art. 105): day + n; of the
     * periods a case fact gives, the longest */
    int64_t base = add_span(d.started, nd->period);
    d.period_if = -1;
    for (int c = 0; c < nd->nperiod_if; c++)
        if (condition_holds(rs, &nd->period_if[c], kase) && add_span(d.started, nd->period_if[c].period) > base) {
            base = add_span(d.started, nd->period_if[c].period);
            d.period_if = (int16_t)c;
        }
    d.base_due = d.label_due = base;
    if (nd->nextend) {
        const qc_result *res;
        int rc = qc_classify(&res, w->classifier, kase);
        if (rc < 0 && rc != QC_ENOTFOUND) return rc;
        /* of the labels that extend the period, the longest extension
         * applies: "fifteen days more if major or complex" is not thirty */
        for (int e = 0; rc == QC_OK && res->rs == rs && e < nd->nextend; e++)
            for (int l = 0; l < res->nlabels; l++)
                if (res->labels[l] == nd->extend[e].label) {
                    int64_t due = add_span(d.base_due, nd->extend[e].by);
                    if (due > d.label_due) {
                        d.label_due = due;
                        d.label = nd->extend[e].label;
                    }
                }
    }
    d.granted_due = d.label_due;
    for (int g = 0; g < d.ngranted; g++) d.granted_due = add_span(d.granted_due, granted[g]);
    if (d.suspended) d.suspended_days += w->on - d.suspended_since; /* the clock stands until resumed */
    d.unshifted_due = d.due = d.granted_due + d.suspended_days;
    if (nd->holidays)
        while (!working(spec, d.due)) d.due++;
    int year = qc__year_of(d.due);
    d.calendar_missing = !spec->first_year || year < spec->first_year || year > spec->last_year;
    /* keep it */
    qc_deadlines *out = w->out;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap + out->cap / 2 : 256; /* by half: the list may be millions long */
        deadline *grown = realloc(out->d, cap * sizeof *grown);
        if (!grown) return qc__error(QC_ENOMEM, "out of memory");
        out->d = grown;
        out->cap = cap;
    }
    d.case_id = qc__arena_strdup(&out->arena, qc_record_text(kase, QC_CASE_ID));
    d.office = intern_office(out, qc_record_text(kase, QC_CASE_OFFICE));
    /* the step's word is the rules' own copy, which outlives the walk */
    const char *const *lists[] = {nd->opened_by, nd->restarted_by};
    int nlists[] = {nd->nopened, nd->nrestarted};
    for (int l = 0; l < 2; l++) {
        int at = qc__word_at(lists[l], nlists[l], d.start_step);
        if (at >= 0) { d.start_step = lists[l][at]; break; }
    }
    if (!d.case_id || !d.office) return qc__error(QC_ENOMEM, "out of memory");
    out->d[out->n++] = d;
    return QC_OK;
}

/* When a node has requirements: the acts and participations beside the
 * cases, and who is a leader (by the assessment sections' roles). */
static int open_requirements(walker *w, qc_store *store, const char *office)
{
    bool any = false, leaders = false;
    for (int i = 0; i < w->rules->nsets; i++) {
        const qc__deadline_spec *d = &w->rules->sets[i]->deadlines;
        for (int n = 0; n < d->nnodes; n++)
            for (int q = 0; q < d->nodes[n].nrequires; q++) {
                any = true;
                leaders |= d->nodes[n].requires[q].by_leader;
            }
    }
    if (!any) return QC_OK;
    w->requires = true;
    int rc = qc__stream_open(&w->acts, store, QC_KIND_ACT, QC_ACT_CASE, office,
                             1u << QC_ACT_CASE | 1u << QC_ACT_PERSON | 1u << QC_ACT_KIND | 1u << QC_ACT_TIME);
    if (rc == QC_OK)
        rc = qc__stream_open(&w->parts, store, QC_KIND_PARTICIPATION, QC_PARTICIPATION_CASE, office,
                             1u << QC_PARTICIPATION_CASE | 1u << QC_PARTICIPATION_PERSON);
    /* a person is a leader on the days their record or a post gives them a
     * leader's role: a deputy promoted to chief is a leader from then on */
    for (int k = 0; rc == QC_OK && leaders && k < 2; k++) {
        qc_iter *it = NULL;
        const qc_record *r;
        if ((rc = qc_iter_new(&it, store, k ? QC_KIND_POST : QC_KIND_PERSON, NULL)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *role = qc_record_text(r, k ? QC_POST_ROLE : QC_PERSON_ROLE);
            const char *person = qc_record_text(r, k ? QC_POST_PERSON : QC_PERSON_ID);
            int from_field = k ? QC_POST_VALID_FROM : QC_PERSON_VALID_FROM, to_field = k ? QC_POST_VALID_TO : QC_PERSON_VALID_TO;
            bool leader = false;
            for (int i = 0; i < w->rules->nsets && !leader; i++)
                leader = listed(w->rules->sets[i]->assess.leaders, w->rules->sets[i]->assess.nleaders, role);
            if (!leader) continue;
            if (w->nterms == w->terms_cap) {
                int cap = w->terms_cap ? w->terms_cap * 2 : 64;
                struct leader_term *grown = realloc(w->terms, sizeof *grown * (size_t)cap);
                if (!grown) { rc = qc__error(QC_ENOMEM, "out of memory"); break; }
                w->terms = grown;
                w->terms_cap = cap;
            }
            w->terms[w->nterms] = (struct leader_term){
                .from = qc_record_has(r, from_field) ? qc_record_int(r, from_field) : INT64_MIN,
                .to = qc_record_has(r, to_field) ? qc_record_int(r, to_field) : INT64_MAX,
                .next = qc__map_find(&w->leaders, person)};
            if ((rc = qc__map_put(&w->leaders, person, w->nterms)) < 0) break;
            w->nterms++;
        }
        if (rc == QC_ITEROVER) rc = QC_OK;
        qc_iter_free(it);
    }
    return rc;
}

/* Whether some node's period or requirement depends on a case's labels:
 * only then are the cases read whole, facts and all, to be classified. */
static bool needs_labels(const qc_rules *rules)
{
    for (int i = 0; i < rules->nsets; i++) {
        const qc__deadline_spec *d = &rules->sets[i]->deadlines;
        for (int n = 0; n < d->nnodes; n++) {
            if (d->nodes[n].nextend) return true;
            for (int q = 0; q < d->nodes[n].nrequires; q++)
                if (d->nodes[n].requires[q].nlabels) return true;
        }
    }
    return false;
}

static int open_steps(qc__stream *st, qc_store *store, const char *office, const char *case_id)
{
    *st = (qc__stream){.field = QC_STEP_CASE};
    qc_filter *f;
    int rc = qc_filter_new(&f);
    if (rc < 0) return rc;
    if ((rc = qc_filter_set_by_case(f, 1)) == QC_OK &&
        (rc = qc_filter_set_fields(f, 1u << QC_STEP_CASE | 1u << QC_STEP_KIND | 1u << QC_STEP_DATE)) == QC_OK &&
        (rc = qc_filter_set_office(f, office)) == QC_OK && (rc = qc_filter_set_case(f, case_id)) == QC_OK &&
        (rc = qc_iter_new(&st->it, store, QC_KIND_STEP, f)) == QC_OK)
        rc = qc__stream_next(st);
    qc_filter_free(f);
    return rc;
}

QC_EXTERN int qc_deadlines_compute(qc_deadlines **out, const qc_rules *rules, qc_store *store, const char *office,
                                   const char *case_id, int64_t on)
{
    if (!out || !rules || !store) return qc__error(QC_EINVAL, "qc_deadlines_compute: out, rules and store are required");
    *out = NULL;
    if (!qc__date_in_range(on)) return qc__error(QC_EVALUE, "qc_deadlines_compute: the day is outside 1900-2999");
    if (!qc__be_knows_kind(store, QC_KIND_STEP))
        return qc__error(QC_EUNSUPPORTED, "the store's backend (%s) keeps no procedural steps", qc_store_backend(store));
    qc_deadlines *d = calloc(1, sizeof *d);
    walker w = {.out = d, .rules = rules, .on = on};
    qc_offices *offices = NULL;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    qc__stream steps = {0};
    int rc;
    if (!d) return qc__error(QC_ENOMEM, "out of memory");
    d->on = on;
    if ((rc = qc_offices_load(&offices, store)) < 0 || (rc = qc_classifier_new(&w.classifier, rules)) < 0 ||
        (rc = qc_classifier_set_store(w.classifier, store)) < 0 || (rc = qc_classifier_set_today(w.classifier, on)) < 0 ||
        (rc = qc_filter_new(&f)) < 0 || (rc = qc_filter_set_office(f, office)) < 0 ||
        (rc = qc_filter_set_case(f, case_id)) < 0 || (rc = qc_filter_set_dates(f, -25567, on)) < 0 ||
        (!needs_labels(rules) && (rc = qc_filter_set_fields(f, 1u << QC_CASE_ID | 1u << QC_CASE_OFFICE | 1u << QC_CASE_LINE |
                                                                1u << QC_CASE_REGISTERED | 1u << QC_CASE_CLOSED)) < 0) ||
        (rc = open_steps(&steps, store, office, case_id)) < 0 || (rc = qc_iter_new(&it, store, QC_KIND_CASE, f)) < 0)
        goto done;
    if ((rc = open_requirements(&w, store, office)) < 0) goto done;
    const qc_record *kase;
    char last[QC_MAX_ID_BYTES + 1] = "";
    while ((rc = qc_iter_next(&kase, it)) == QC_OK) {
        const char *id = qc_record_text(kase, QC_CASE_ID);
        if ((rc = qc__next_case_id(last, id)) < 0) break;
        bool here;
        if ((rc = qc__stream_seek(&steps, id, &here)) < 0) break;
        w.nsteps = w.kinds.len = 0;
        while (here && steps.r && !strcmp(qc_record_text(steps.r, QC_STEP_CASE), id)) {
            if (qc_record_int(steps.r, QC_STEP_DATE) <= on && (rc = keep_step(&w, steps.r)) < 0) break;
            if ((rc = qc__stream_next(&steps)) < 0) break;
        }
        if (rc < 0) break;
        /* closed on or before the day: no node runs, but its steps may
         * still have broken a node's requirements */
        bool open = !(qc_record_has(kase, QC_CASE_CLOSED) && qc_record_int(kase, QC_CASE_CLOSED) <= on);
        if (!w.nsteps || (!open && !w.requires)) continue;
        if (w.requires && (rc = gather_case(&w, id)) < 0) break;
        int level = 0;
        qc_office_kind kind = 0;
        if (qc__offices_find(offices, qc_record_text(kase, QC_CASE_OFFICE), &level, &kind) < 0) kind = 0;
        const qc__ruleset *rs = qc__set_in_force(rules, qc_record_int(kase, QC_CASE_REGISTERED), kind, offices,
                                                 qc_record_text(kase, QC_CASE_OFFICE), QC__SECTION_ANY);
        if (!rs || !rs->deadlines.present) continue;
        bool sorted = true; /* steps are mostly recorded in date order: sort only when not */
        for (size_t k = 1; sorted && k < w.nsteps; k++) sorted = w.steps[k - 1].date <= w.steps[k].date;
        if (!sorted) qsort(w.steps, w.nsteps, sizeof *w.steps, by_date);
        if ((rc = judge(&w, kase, rs, open)) < 0) break;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
done:
    qc_iter_free(it);
    qc_iter_free(steps.it);
    qc_filter_free(f);
    qc_offices_free(offices);
    qc_classifier_free(w.classifier);
    free(w.steps);
    free(w.kinds.s);
    free(w.restarts);
    qc_iter_free(w.acts.it);
    qc_iter_free(w.parts.it);
    free(w.case_acts);
    free(w.listed);
    free(w.text.s);
    qc__map_free(&w.leaders);
    free(w.terms);
    if (rc < 0) qc_deadlines_free(d);
    else *out = d;
    return rc;
}

QC_EXTERN void qc_deadlines_free(qc_deadlines *d)
{
    if (!d) return;
    qc__arena_free(&d->arena);
    free(d->d);
    free(d->v);
    free(d->offices);
    qc__map_free(&d->office_index);
    free(d->text);
    free(d);
}

static const deadline *at(const qc_deadlines *d, int i)
{
    return d && i >= 0 && (size_t)i < d->n ? &d->d[i] : NULL;
}

int qc__deadlines_node_at(const qc_deadlines *d, int i, const qc__ruleset **rs)
{
    const deadline *e = at(d, i);
    if (!e) return -1;
    *rs = e->rs;
    return (int)(e->node - e->rs->deadlines.nodes);
}

QC_EXTERN int qc_deadlines_count(const qc_deadlines *d) { return d ? (int)d->n : 0; }
QC_EXTERN int64_t qc_deadlines_on(const qc_deadlines *d) { return d ? d->on : 0; }
QC_EXTERN const char *qc_deadlines_case(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->case_id : NULL; }
QC_EXTERN const char *qc_deadlines_office(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->office : NULL; }
QC_EXTERN const char *qc_deadlines_node(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->node->id : NULL; }
QC_EXTERN int64_t qc_deadlines_started(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->started : 0; }
QC_EXTERN int64_t qc_deadlines_due(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->due : 0; }
QC_EXTERN int64_t qc_deadlines_days_left(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->due - d->on : 0; }
QC_EXTERN int qc_deadlines_restarts(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->restarts : 0; }
QC_EXTERN int qc_deadlines_suspended(const qc_deadlines *d, int i) { return at(d, i) ? at(d, i)->suspended : 0; }

static const violation *violation_at(const qc_deadlines *d, int i)
{
    return d && i >= 0 && (size_t)i < d->nv ? &d->v[i] : NULL;
}

QC_EXTERN int qc_deadlines_violation_count(const qc_deadlines *d) { return d ? (int)d->nv : 0; }
QC_EXTERN const char *qc_deadlines_violation_case(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->case_id : NULL; }
QC_EXTERN const char *qc_deadlines_violation_office(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->office : NULL; }
QC_EXTERN const char *qc_deadlines_violation_node(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->node->id : NULL; }
QC_EXTERN const char *qc_deadlines_violation_rule(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->req->id : NULL; }
QC_EXTERN const char *qc_deadlines_violation_step(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->step : NULL; }
QC_EXTERN int64_t qc_deadlines_violation_date(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->date : 0; }
QC_EXTERN const char *qc_deadlines_violation_cite(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->req->cite : NULL; }
QC_EXTERN const char *qc_deadlines_violation_evidence(const qc_deadlines *d, int i) { const violation *v = violation_at(d, i); return v ? v->evidence : NULL; }

QC_EXTERN int qc_deadlines_over_limit(const qc_deadlines *d, int i)
{
    const deadline *e = at(d, i);
    return e && e->node->max_restarts >= 0 && e->restarts > e->node->max_restarts;
}

QC_EXTERN const char *qc_deadlines_level(const qc_deadlines *d, int i)
{
    const deadline *e = at(d, i);
    if (!e) return NULL;
    if (e->suspended) return "suspended";
    int64_t left = e->due - d->on;
    return left < 0 ? "red" : left <= e->node->orange ? "orange" : left <= e->node->yellow ? "yellow" : "none";
}

/* Append to the explanation being written. */
typedef struct text { char *s; size_t len, cap; bool failed; } text;

static void say(text *t, const char *fmt, ...) QC__PRINTF(2, 3);
static void say(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = qc__vsnprintf_c(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) { t->failed = true; return; }
        if (t->s && t->len + (size_t)n < t->cap) { t->len += (size_t)n; return; }
        size_t cap = (t->cap ? t->cap * 2 : 512) + (size_t)n;
        char *grown = realloc(t->s, cap);
        if (!grown) { t->failed = true; return; }
        t->s = grown;
        t->cap = cap;
    }
}

static const char *span_text(char *buf, size_t size, qc__span s, bool zh)
{
    int n = 0;
    buf[0] = '\0';
    if (s.months || !s.days) n = zh ? snprintf(buf, size, "%d个月", s.months) : snprintf(buf, size, "%d month%s", s.months, s.months == 1 ? "" : "s");
    if (s.days && n >= 0 && (size_t)n < size) {
        if (zh) snprintf(buf + n, size - (size_t)n, "%d日", s.days);
        else snprintf(buf + n, size - (size_t)n, "%s%d day%s", n ? " " : "", s.days, s.days == 1 ? "" : "s");
    }
    return buf;
}

static const char *name_of(const qc_rules *rules, const char *kind, const char *id, bool zh)
{
    const char *n = rules ? qc_rules_display_name(rules, kind, id, zh ? "zh" : "en") : NULL;
    return n ? n : id;
}

QC_EXTERN const char *qc_deadlines_explain(qc_deadlines *d, int i, const qc_rules *rules, const char *lang)
{
    const deadline *e = at(d, i);
    if (!e) { qc__error(QC_EINVAL, "qc_deadlines_explain: no deadline %d", i); return NULL; }
    bool zh = lang && !strcmp(lang, "zh");
    const qc__proc_node *nd = e->node;
    text t = {0};
    char a[16], b[16], c[16], span[32];
    const char *node_name = zh ? (nd->zh ? nd->zh : nd->id) : (nd->en ? nd->en : nd->id);
    qc_date_format(a, sizeof a, e->started);
    if (zh) say(&t, "节点 %s（%s），%s %s 起算", node_name, nd->id, name_of(rules, "step", e->start_step, zh), a);
    else say(&t, "node %s (%s), its clock started by %s on %s", node_name, nd->id, name_of(rules, "step", e->start_step, zh), a);
    if (e->restarts) {
        if (zh) say(&t, "（重新计算第 %d 次", e->restarts);
        else say(&t, " (restarted %d time%s", e->restarts, e->restarts == 1 ? "" : "s");
        if (nd->max_restarts >= 0) say(&t, zh ? "，至多 %d 次）" : ", at most %d)", nd->max_restarts);
        else say(&t, zh ? "）" : ")");
    }
    say(&t, "\n");
    qc_date_format(a, sizeof a, e->base_due);
    if (e->period_if >= 0) {
        const struct qc__proc_period_if *cond = &nd->period_if[e->period_if];
        const char *fact = e->rs->prog.facts[cond->fact].name;
        span_text(span, sizeof span, cond->period, zh);
        if (zh && cond->is_true) say(&t, "%s 为真，期限 %s：%s\n", fact, span, a);
        else if (zh) say(&t, "%s 大于 %g，期限 %s：%s\n", fact, cond->above, span, a);
        else if (cond->is_true) say(&t, "period %s, as %s is true: %s\n", span, fact, a);
        else say(&t, "period %s, as %s is above %g: %s\n", span, fact, cond->above, a);
    } else {
        say(&t, zh ? "期限 %s：%s\n" : "period %s: %s\n", span_text(span, sizeof span, nd->period, zh), a);
    }
    if (e->label >= 0) {
        const qc__label *l = &e->rs->labels[e->label];
        qc__span by = {0};
        for (int k = 0; k < nd->nextend; k++)
            if (nd->extend[k].label == e->label) by = nd->extend[k].by;
        qc_date_format(a, sizeof a, e->label_due);
        if (zh) say(&t, "案件为%s，延长%s：%s\n", l->zh ? l->zh : l->id, span_text(span, sizeof span, by, zh), a);
        else say(&t, "extended by %s for label %s: %s\n", span_text(span, sizeof span, by, zh), l->id, a);
    } else if (nd->nextend) {
        say(&t, zh ? "无延长期限的标签\n" : "no label of the case extends it\n");
    }
    if (e->ngranted) {
        qc_date_format(a, sizeof a, e->granted_due);
        if (zh) say(&t, "批准延长 %d 次：%s\n", e->ngranted, a);
        else say(&t, "extended by %d step%s granting more time: %s\n", e->ngranted, e->ngranted == 1 ? "" : "s", a);
    }
    if (e->suspended_days) {
        qc_date_format(a, sizeof a, e->unshifted_due);
        if (zh) say(&t, "中止 %lld 日%s：%s\n", (long long)e->suspended_days, e->suspended ? "（仍在中止）" : "", a);
        else say(&t, "suspended %lld day%s%s: %s\n", (long long)e->suspended_days, e->suspended_days == 1 ? "" : "s",
                 e->suspended ? " (still suspended)" : "", a);
    }
    if (e->due != e->unshifted_due) {
        qc_date_format(a, sizeof a, e->unshifted_due);
        qc_date_format(b, sizeof b, e->due);
        if (zh) say(&t, "%s 为节假日，期满日顺延至 %s\n", a, b);
        else say(&t, "%s is a holiday: the period ends on the next working day, %s\n", a, b);
    } else if (!nd->holidays) {
        say(&t, zh ? "期满日不因节假日顺延\n" : "the last day stands even on a holiday\n");
    }
    if (e->calendar_missing && nd->holidays)
        say(&t, zh ? "（规则没有 %d 年的节假日表：只按周末计算）\n" : "(the rules have no holiday calendar for %d: weekends only)\n",
            qc__year_of(e->due));
    qc_date_format(c, sizeof c, d->on);
    qc_date_format(b, sizeof b, e->due);
    const char *level = qc_deadlines_level(d, i);
    int64_t left = e->due - d->on;
    if (zh) {
        static const char *const zh_levels[][2] = {{"none", "未预警"}, {"yellow", "黄色预警"}, {"orange", "橙色预警"},
                                                   {"red", "红色预警（已超期）"}, {"suspended", "中止，不预警"}};
        const char *lz = level;
        for (size_t k = 0; k < QC__ARRAY_LEN(zh_levels); k++)
            if (!strcmp(zh_levels[k][0], level)) lz = zh_levels[k][1];
        say(&t, "%s 届满；%s 剩余 %lld 日：%s（提前 %d 日黄色、%d 日橙色预警）\n", b, c, (long long)left, lz, nd->yellow, nd->orange);
    } else {
        say(&t, "due %s: %lld day%s left on %s - %s (yellow from %d days before, orange from %d)\n", b, (long long)left,
            left == 1 || left == -1 ? "" : "s", c, level, nd->yellow, nd->orange);
    }
    if (qc_deadlines_over_limit(d, i)) {
        if (zh) say(&t, "违规：重新计算 %d 次，超过 %d 次\n", e->restarts, nd->max_restarts);
        else say(&t, "violation: restarted %d times, more than the %d allowed\n", e->restarts, nd->max_restarts);
    }
    if (t.failed) {
        free(t.s);
        qc__error(QC_ENOMEM, "out of memory");
        return NULL;
    }
    free(d->text);
    d->text = t.s;
    return d->text;
}
