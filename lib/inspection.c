/* SPDX-License-Identifier: MIT
 * inspection.c - what is done with a draw (sample.c): recorded as an
 * inspection and its selections, loaded back with the grades of the
 * reviews made for it, drawn again and compared, and written out as a
 * list or a printable checklist (docs/inspections.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "sample.h"

static qc_sample *sample_new(void)
{
    qc_sample *s = calloc(1, sizeof *s);
    if (!s) qc__error(QC_ENOMEM, "out of memory");
    return s;
}

QC_EXTERN void qc_sample_free(qc_sample *sample)
{
    if (!sample) return;
    qc__arena_free(&sample->arena);
    free(sample->rows);
    free(sample->strata);
    free(sample);
}

static char *keep(qc_sample *s, const char *text) { return text ? qc__arena_strdup(&s->arena, text) : NULL; }

/* Which of the plan's needs a rule set; NULL if none. */
static const char *needs_rules(const qc_plan *plan)
{
    if (plan->by_mask & (1u << QC__STRATUM_LABEL)) return "strata by label";
    if (plan->leaders_only && !plan->nleader_roles) return "leaders_only without leader_roles:";
    for (int i = 0; i < plan->ntriggers; i++) {
        int k = plan->triggers[i].kind;
        if (k == QC__TRIGGER_NAME_ONLY || k == QC__TRIGGER_OVERDUE || k == QC__TRIGGER_LABELS)
            return plan->triggers[i].id;
    }
    return NULL;
}

QC_EXTERN int qc_sample_draw(qc_sample **out, const qc_plan *plan, const qc_rules *rules, qc_store *store,
                             const char *office, int64_t from, int64_t to, const char *seed)
{
    if (out) *out = NULL;
    if (!out || !plan || !store || !office || !seed) return qc__error(QC_EINVAL, "qc_sample_draw: NULL argument");
    if (to < from) return qc__error(QC_EINVAL, "qc_sample_draw: the period ends before it starts");
    if (!*seed) return qc__error(QC_EINVAL, "qc_sample_draw: an empty seed");
    const char *needs = needs_rules(plan);
    if (needs && !rules) return qc__error(QC_EINVAL, "%s: %s needs rules (--rules)", plan->file, needs);
    qc_record *o = NULL;
    int rc = qc_store_get(&o, store, QC_KIND_OFFICE, office);
    qc_record_free(o);
    if (rc == QC_ENOTFOUND) return qc__error(QC_ENOTFOUND, "qc_sample_draw: no office '%s'", office);
    if (rc < 0) return rc;
    qc_sample *s = sample_new();
    if (!s) return QC_ENOMEM;
    s->from = from;
    s->to = to;
    s->drawn_at = qc__store_now(store);
    memcpy(s->plan_hash, plan->hash, sizeof s->plan_hash);
    if (rules) snprintf(s->rules_hash, sizeof s->rules_hash, "%s", qc_rules_hash(rules));
    if (!(s->plan = keep(s, plan->id)) || !(s->office = keep(s, office)) || !(s->seed = keep(s, seed)))
        rc = qc__error(QC_ENOMEM, "out of memory");
    /* the state drawn from: a backend without a journal has none to name */
    if (rc == QC_OK && (rc = qc_store_head(store, s->head, sizeof s->head, &s->entries)) == QC_EUNSUPPORTED) {
        qc_error_clear();
        s->head[0] = '\0';
        s->entries = 0;
        rc = QC_OK;
    }
    if (rc == QC_OK) rc = qc__sample_draw(s, plan, rules, store);
    if (rc < 0) {
        qc_sample_free(s);
        return rc;
    }
    *out = s;
    return QC_OK;
}

/* ---- recording ---- */

static int put_inspection(qc_sample *s, qc_store *store, const char *id, const char *by)
{
    qc_record *r;
    int rc = qc_record_new(&r, QC_KIND_INSPECTION);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_ID, id);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_OFFICE, s->office);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_PLAN, s->plan);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_PLAN_HASH, s->plan_hash);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_INSPECTION_FROM, s->from);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_INSPECTION_TO, s->to);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_SEED, s->seed);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_HEAD, *s->head ? s->head : "none:");
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_INSPECTION_ENTRIES, s->entries);
    if (rc == QC_OK && *s->rules_hash) rc = qc_record_set_text(r, QC_INSPECTION_RULES_HASH, s->rules_hash);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_INSPECTION_CASES, s->n);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_LIST_HASH, s->list_hash);
    if (rc == QC_OK) rc = qc_record_set_text(r, QC_INSPECTION_BY, by);
    if (rc == QC_OK) rc = qc_record_set_int(r, QC_INSPECTION_DRAWN, s->drawn_at);
    if (rc == QC_OK) rc = qc_store_put(store, r);
    qc_record_free(r);
    return rc;
}

static int put_selections(const qc_sample *s, qc_store *store, const char *id)
{
    qc_record *r;
    int rc = qc_record_new(&r, QC_KIND_SELECTION);
    for (int i = 0; rc == QC_OK && i < s->n; i++) {
        qc_record_clear(r);
        if ((rc = qc_record_set_text(r, QC_SELECTION_CASE, s->rows[i].case_id)) == QC_OK &&
            (rc = qc_record_set_text(r, QC_SELECTION_INSPECTION, id)) == QC_OK &&
            (rc = qc_record_set_text(r, QC_SELECTION_STRATUM, s->rows[i].stratum)) == QC_OK &&
            (rc = qc_record_set_text(r, QC_SELECTION_REASON, s->rows[i].reason)) == QC_OK)
            rc = qc_store_put(store, r);
    }
    qc_record_free(r);
    return rc;
}

struct record_args {
    qc_sample *sample;
    const char *id, *by;
};

static int record_step(qc_store *store, void *arg)
{
    struct record_args *a = arg;
    qc_sample *sample = a->sample;
    /* the state drawn from is the state written to, or the list may not be
     * what a draw now gives */
    char head[sizeof sample->head] = "";
    int64_t entries = 0;
    int rc = qc_store_head(store, head, sizeof head, &entries);
    if (rc == QC_EUNSUPPORTED) {
        qc_error_clear();
        rc = QC_OK;
    } else if (rc == QC_OK && (strcmp(head, sample->head) || entries != sample->entries)) {
        rc = qc__error(QC_ESTATE, "the store changed since the draw (its head is %s, the draw read %s): draw again", head,
                       sample->head);
    }
    if (rc == QC_OK) rc = put_inspection(sample, store, a->id, a->by);
    if (rc == QC_OK) rc = put_selections(sample, store, a->id);
    return rc;
}

QC_EXTERN int qc_sample_record(qc_sample *sample, qc_store *store, const char *id, const char *by)
{
    if (!sample || !store || !id || !by) return qc__error(QC_EINVAL, "qc_sample_record: NULL argument");
    if (sample->id) return qc__error(QC_ESTATE, "qc_sample_record: the draw is recorded already, as %s", sample->id);
    if (!*by) return qc__error(QC_EMISSING, "qc_sample_record: who drew it (by) is required");
    int rc = qc__in_transaction(store, record_step, &(struct record_args){sample, id, by});
    if (rc < 0) return rc;
    if (!(sample->id = keep(sample, id)) || !(sample->by = keep(sample, by))) return qc__error(QC_ENOMEM, "out of memory");
    return QC_OK;
}

/* ---- loading a recorded inspection ---- */

static int read_inspection(qc_sample *s, qc_store *store, const char *id, qc_record **out)
{
    int rc = qc_store_get(out, store, QC_KIND_INSPECTION, id);
    if (rc == QC_ENOTFOUND) return qc__error(QC_ENOTFOUND, "no inspection '%s'", id);
    if (rc < 0) return rc;
    const qc_record *r = *out;
    if (!(s->id = keep(s, id)) || !(s->plan = keep(s, qc_record_text(r, QC_INSPECTION_PLAN))) ||
        !(s->office = keep(s, qc_record_text(r, QC_INSPECTION_OFFICE))) ||
        !(s->seed = keep(s, qc_record_text(r, QC_INSPECTION_SEED))) ||
        !(s->by = keep(s, qc_record_text(r, QC_INSPECTION_BY))))
        return qc__error(QC_ENOMEM, "out of memory");
    snprintf(s->plan_hash, sizeof s->plan_hash, "%s", qc_record_text(r, QC_INSPECTION_PLAN_HASH));
    snprintf(s->list_hash, sizeof s->list_hash, "%s", qc_record_text(r, QC_INSPECTION_LIST_HASH));
    snprintf(s->head, sizeof s->head, "%s", qc_record_text(r, QC_INSPECTION_HEAD));
    if (qc_record_has(r, QC_INSPECTION_RULES_HASH))
        snprintf(s->rules_hash, sizeof s->rules_hash, "%s", qc_record_text(r, QC_INSPECTION_RULES_HASH));
    s->from = qc_record_int(r, QC_INSPECTION_FROM);
    s->to = qc_record_int(r, QC_INSPECTION_TO);
    s->entries = qc_record_has(r, QC_INSPECTION_ENTRIES) ? qc_record_int(r, QC_INSPECTION_ENTRIES) : 0;
    s->drawn_at = qc_record_int(r, QC_INSPECTION_DRAWN);
    return QC_OK;
}

static int grow_rows(qc_sample *s, int *cap)
{
    if (s->n < *cap) return QC_OK;
    int n = *cap ? 2 * *cap : 256;
    qc__sample_row *grown = realloc(s->rows, sizeof *grown * (size_t)n);
    if (!grown) return qc__error(QC_ENOMEM, "out of memory");
    s->rows = grown;
    *cap = n;
    return QC_OK;
}

static int by_stratum_then_case(const void *a, const void *b)
{
    const qc__sample_row *x = a, *y = b;
    int c = strcmp(x->stratum, y->stratum);
    return c ? c : strcmp(x->case_id, y->case_id);
}

/* The selections of inspection id, in list order, each with its case's
 * office, department and line. */
static int read_selections(qc_sample *s, qc_store *store)
{
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *r;
    qc_record *kase = NULL;
    int cap = 0;
    int rc = qc_filter_new(&f);
    if (rc == QC_OK) rc = qc_filter_set_office(f, s->office);
    if (rc == QC_OK) rc = qc_filter_set_office_subtree(f, 1);
    if (rc == QC_OK) rc = qc_iter_new(&it, store, QC_KIND_SELECTION, f);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if (strcmp(qc_record_text(r, QC_SELECTION_INSPECTION), s->id)) continue;
        if ((rc = grow_rows(s, &cap)) < 0) break;
        qc__sample_row *row = &s->rows[s->n];
        *row = (qc__sample_row){.case_id = keep(s, qc_record_text(r, QC_SELECTION_CASE)),
                                .stratum = keep(s, qc_record_text(r, QC_SELECTION_STRATUM)),
                                .reason = keep(s, qc_record_text(r, QC_SELECTION_REASON))};
        if (!row->case_id || !row->stratum || !row->reason) rc = qc__error(QC_ENOMEM, "out of memory");
        else s->n++;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    for (int i = 0; rc == QC_OK && i < s->n; i++) {
        qc__sample_row *row = &s->rows[i];
        qc_record_free(kase);
        kase = NULL;
        if ((rc = qc_store_get(&kase, store, QC_KIND_CASE, row->case_id)) < 0) break;
        row->office = keep(s, qc_record_text(kase, QC_CASE_OFFICE));
        row->department = keep(s, qc_record_text(kase, QC_CASE_DEPARTMENT));
        row->line = keep(s, qc_record_text(kase, QC_CASE_LINE));
    }
    qc_record_free(kase);
    if (rc == QC_OK && s->n) qsort(s->rows, (size_t)s->n, sizeof *s->rows, by_stratum_then_case);
    return rc;
}

/* Each selected case's handler (its first lead or sole participant) and
 * the grade of the latest review made for the inspection. */
static int read_reviews(qc_sample *s, qc_store *store)
{
    int rc = QC_OK;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *r;
    for (int i = 0; rc == QC_OK && i < s->n; i++) {
        qc__sample_row *row = &s->rows[i];
        int64_t latest = INT64_MIN;
        qc_filter_free(f);
        f = NULL;
        if ((rc = qc_filter_new(&f)) < 0 || (rc = qc_filter_set_case(f, row->case_id)) < 0) break;
        if ((rc = qc_iter_new(&it, store, QC_KIND_REVIEW, f)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *inspection = qc_record_text(r, QC_REVIEW_INSPECTION);
            if (!inspection || strcmp(inspection, s->id) || qc_record_int(r, QC_REVIEW_DATE) < latest) continue;
            latest = qc_record_int(r, QC_REVIEW_DATE);
            row->grade = keep(s, qc_record_text(r, QC_REVIEW_GRADE));
        }
        qc_iter_free(it);
        it = NULL;
        if (rc != QC_ITEROVER) break;
        if ((rc = qc_iter_new(&it, store, QC_KIND_PARTICIPATION, f)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *capacity = qc_record_text(r, QC_PARTICIPATION_CAPACITY);
            if (!row->handler && (!strcmp(capacity, "lead") || !strcmp(capacity, "sole")))
                row->handler = keep(s, qc_record_text(r, QC_PARTICIPATION_PERSON));
        }
        qc_iter_free(it);
        it = NULL;
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    qc_filter_free(f);
    return rc;
}

QC_EXTERN int qc_sample_load(qc_sample **out, qc_store *store, const char *inspection)
{
    if (out) *out = NULL;
    if (!out || !store || !inspection) return qc__error(QC_EINVAL, "qc_sample_load: NULL argument");
    qc_sample *s = sample_new();
    if (!s) return QC_ENOMEM;
    qc_record *r = NULL;
    int rc = read_inspection(s, store, inspection, &r);
    qc_record_free(r);
    if (rc == QC_OK) rc = read_selections(s, store);
    if (rc == QC_OK) rc = read_reviews(s, store);
    if (rc < 0) {
        qc_sample_free(s);
        return rc;
    }
    *out = s;
    return QC_OK;
}

/* ---- drawing again ---- */

static int compare_lists(const qc_sample *recorded, const qc_sample *again)
{
    if (strcmp(again->list_hash, recorded->list_hash))
        return qc__error(QC_ETAMPERED, "inspection %s: drawn again, the list's hash is %s, not the recorded %s",
                         recorded->id, again->list_hash, recorded->list_hash);
    char stored[QC__SHA256_TEXT_BYTES];
    int rc = qc__sample_list_hash(stored, recorded->rows, recorded->n);
    if (rc < 0) return rc;
    if (strcmp(stored, recorded->list_hash)) {
        for (int i = 0; i < recorded->n || i < again->n; i++) {
            const qc__sample_row *a = i < recorded->n ? &recorded->rows[i] : NULL, *b = i < again->n ? &again->rows[i] : NULL;
            if (!a || !b || strcmp(a->case_id, b->case_id) || strcmp(a->stratum, b->stratum) || strcmp(a->reason, b->reason))
                return qc__error(QC_ETAMPERED, "inspection %s: the stored selections differ from the draw at row %d: "
                                 "the store has %s, the draw %s", recorded->id, i + 1, a ? a->case_id : "nothing",
                                 b ? b->case_id : "nothing");
        }
        return qc__error(QC_ETAMPERED, "inspection %s: the stored selections are not the recorded list", recorded->id);
    }
    return QC_OK;
}

QC_EXTERN int qc_sample_check(qc_sample **redrawn, qc_store *store, const char *inspection, const qc_plan *plan,
                              const qc_rules *rules)
{
    if (redrawn) *redrawn = NULL;
    if (!store || !inspection || !plan) return qc__error(QC_EINVAL, "qc_sample_check: NULL argument");
    qc_sample *recorded = NULL, *again = NULL;
    qc_store *then = NULL;
    int rc = qc_sample_load(&recorded, store, inspection);
    if (rc < 0) return rc;
    if (strcmp(plan->hash, recorded->plan_hash))
        rc = qc__error(QC_EVALUE, "%s: not the plan inspection %s was drawn by (its hash is %s, the recorded %s)",
                       plan->file, inspection, plan->hash, recorded->plan_hash);
    else if (strcmp(rules ? qc_rules_hash(rules) : "", recorded->rules_hash))
        rc = qc__error(QC_EVALUE, "inspection %s was drawn %s%s, not with %s", inspection,
                       *recorded->rules_hash ? "with the rules " : "without rules", recorded->rules_hash,
                       rules ? qc_rules_hash(rules) : "none");
    /* the store as the draw read it */
    if (rc == QC_OK && (rc = qc__store_open_at_entry(&then, store, recorded->entries)) == QC_OK) {
        char head[sizeof recorded->head];
        if ((rc = qc_store_head(then, head, sizeof head, NULL)) == QC_OK && strcmp(head, recorded->head))
            rc = qc__error(QC_ETAMPERED, "inspection %s: the journal's entry %lld has the head %s, not the recorded %s",
                           inspection, (long long)recorded->entries, head, recorded->head);
    }
    if (rc == QC_OK) {
        then->clock_now = recorded->drawn_at;
        rc = qc_sample_draw(&again, plan, rules, then, recorded->office, recorded->from, recorded->to, recorded->seed);
    }
    if (rc == QC_OK) rc = compare_lists(recorded, again);
    qc_store_free(then);
    qc_sample_free(recorded);
    if (rc == QC_OK && redrawn) *redrawn = again;
    else qc_sample_free(again);
    return rc;
}

/* ---- accessors ---- */

static const qc__sample_row *row_at(const qc_sample *s, int i)
{
    return s && i >= 0 && i < s->n ? &s->rows[i] : NULL;
}

static const qc__sample_stratum *stratum_at(const qc_sample *s, int i)
{
    return s && i >= 0 && i < s->nstrata ? &s->strata[i] : NULL;
}

QC_EXTERN const char *qc_sample_id(const qc_sample *s) { return s ? s->id : NULL; }
QC_EXTERN const char *qc_sample_plan(const qc_sample *s) { return s ? s->plan : NULL; }
QC_EXTERN const char *qc_sample_seed(const qc_sample *s) { return s ? s->seed : NULL; }
QC_EXTERN const char *qc_sample_office(const qc_sample *s) { return s ? s->office : NULL; }
QC_EXTERN const char *qc_sample_by(const qc_sample *s) { return s ? s->by : NULL; }
QC_EXTERN int64_t qc_sample_from(const qc_sample *s) { return s ? s->from : 0; }
QC_EXTERN int64_t qc_sample_to(const qc_sample *s) { return s ? s->to : 0; }
QC_EXTERN const char *qc_sample_head(const qc_sample *s) { return s ? s->head : NULL; }
QC_EXTERN const char *qc_sample_list_hash(const qc_sample *s) { return s ? s->list_hash : NULL; }
QC_EXTERN int64_t qc_sample_candidates(const qc_sample *s) { return s ? s->candidates : 0; }
QC_EXTERN int qc_sample_count(const qc_sample *s) { return s ? s->n : 0; }
#define ROW_TEXT(name, field)                                     \
    QC_EXTERN const char *name(const qc_sample *s, int i)        \
    {                                                             \
        const qc__sample_row *r = row_at(s, i);                   \
        return r ? r->field : NULL;                               \
    }
ROW_TEXT(qc_sample_case, case_id)
ROW_TEXT(qc_sample_case_office, office)
ROW_TEXT(qc_sample_case_department, department)
ROW_TEXT(qc_sample_case_line, line)
ROW_TEXT(qc_sample_case_handler, handler)
ROW_TEXT(qc_sample_case_labels, labels)
ROW_TEXT(qc_sample_case_stratum, stratum)
ROW_TEXT(qc_sample_case_reason, reason)
ROW_TEXT(qc_sample_case_grade, grade)
#undef ROW_TEXT
QC_EXTERN int qc_sample_strata_count(const qc_sample *s) { return s ? s->nstrata : 0; }
QC_EXTERN const char *qc_sample_stratum(const qc_sample *s, int i)
{
    const qc__sample_stratum *st = stratum_at(s, i);
    return st ? st->key : NULL;
}
QC_EXTERN int64_t qc_sample_stratum_candidates(const qc_sample *s, int i)
{
    const qc__sample_stratum *st = stratum_at(s, i);
    return st ? st->candidates : 0;
}
QC_EXTERN int64_t qc_sample_stratum_triggered(const qc_sample *s, int i)
{
    const qc__sample_stratum *st = stratum_at(s, i);
    return st ? st->triggered : 0;
}
QC_EXTERN int64_t qc_sample_stratum_drawn(const qc_sample *s, int i)
{
    const qc__sample_stratum *st = stratum_at(s, i);
    return st ? st->drawn : 0;
}
