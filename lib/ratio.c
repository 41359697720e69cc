/* SPDX-License-Identifier: MIT
 * ratio.c - the case-to-proceeding ratio (案-件比), the SPP's headline
 * quality measure since 2019, per office and rolled up, for an
 * assessment's period (docs/deadlines.md, "The case-to-proceeding ratio").
 *
 *   案 = the cases whose first intake step (arrest review, prosecution
 *        review, ...: the rules' `ratio.cases`) falls in the period - a
 *        case reviewed for arrest and then for prosecution is one 案, not
 *        two ("prosecution-review cases already arrested" are subtracted);
 *   件 = 案 + the steps of the rules' `ratio.proceedings` in the period
 *        (returns for supplementary investigation, extensions, ...).
 *
 * The cases come in id order and their steps beside them, so memory holds
 * one case's first intake and the rows.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "rules_internal.h"

typedef struct ratio_row {
    char *office;
    int64_t cases, items;
    int64_t by[32];  /* proceedings by component */
} ratio_row;

struct qc__ratio {
    char **components;
    int ncomponents;
    ratio_row *rows;     /* in office id order once done */
    int nrows;
    ratio_row total;
    qc__strmap index;    /* office -> row */
};

void qc__ratio_free(qc__ratio *r)
{
    if (!r) return;
    for (int i = 0; i < r->ncomponents; i++) free(r->components[i]);
    free(r->components);
    for (int i = 0; i < r->nrows; i++) free(r->rows[i].office);
    free(r->rows);
    qc__map_free(&r->index);
    free(r);
}

static ratio_row *row_of(qc__ratio *r, const char *office)
{
    int at = qc__map_find(&r->index, office);
    if (at >= 0) return &r->rows[at];
    ratio_row *grown = realloc(r->rows, sizeof *grown * (size_t)(r->nrows + 1));
    if (!grown) return NULL;
    r->rows = grown;
    ratio_row *row = &r->rows[r->nrows];
    *row = (ratio_row){.office = strdup(office)};
    if (!row->office || qc__map_put(&r->index, office, r->nrows) < 0) {
        free(row->office);
        return NULL;
    }
    r->nrows++;
    return row;
}

static int by_office(const void *x, const void *y)
{
    return strcmp(((const ratio_row *)x)->office, ((const ratio_row *)y)->office);
}

/* The set whose ratio: counts - the one in force on the period's last
 * day, as for the assessment: for the office (the one bound most closely
 * to it, when sets are bound to places), else the newest. */
static int ratio_set(const qc_rules *rules, qc_store *store, const char *office, int64_t to, const qc__ruleset **out)
{
    qc_offices *places = NULL;
    int rc = office && qc__rules_have_places(rules) ? qc_offices_load(&places, store) : QC_OK;
    *out = rc == QC_OK ? qc__set_in_force(rules, to, 0, places, places ? office : NULL, QC__SECTION_RATIO) : NULL;
    qc_offices_free(places);
    return rc;
}

int qc__ratio_compute(qc__ratio **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from, int64_t to)
{
    *out = NULL;
    const qc__ruleset *rs;
    int src = ratio_set(rules, store, office, to, &rs);
    if (src < 0) return src;
    if (!rs || !qc__be_knows_kind(store, QC_KIND_STEP)) return QC_OK; /* nothing to count with */
    const qc__ratio_spec *spec = &rs->ratio;
    qc__ratio *r = calloc(1, sizeof *r);
    if (!r || !(r->components = calloc((size_t)spec->nproceedings + 1, sizeof *r->components))) {
        free(r);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    int rc = QC_OK;
    for (int i = 0; i < spec->nproceedings; i++)
        if (!(r->components[r->ncomponents++] = strdup(spec->proceedings[i]))) rc = qc__error(QC_ENOMEM, "out of memory");
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    qc__stream steps = {0};
    if (rc == QC_OK && (rc = qc_filter_new(&f)) == QC_OK && (rc = qc_filter_set_office(f, office)) == QC_OK &&
        (rc = qc_filter_set_fields(f, 1u << QC_CASE_ID | 1u << QC_CASE_OFFICE)) == QC_OK &&
        (rc = qc__stream_open(&steps, store, QC_KIND_STEP, QC_STEP_CASE, office,
                              1u << QC_STEP_CASE | 1u << QC_STEP_KIND | 1u << QC_STEP_DATE)) == QC_OK)
        rc = qc_iter_new(&it, store, QC_KIND_CASE, f);
    const qc_record *kase;
    char last[QC_MAX_ID_BYTES + 1] = "";
    while (rc == QC_OK && (rc = qc_iter_next(&kase, it)) == QC_OK) {
        const char *id = qc_record_text(kase, QC_CASE_ID);
        if ((rc = qc__next_case_id(last, id)) < 0) break;
        bool here;
        if ((rc = qc__stream_seek(&steps, id, &here)) < 0) break;
        int64_t first_intake = INT64_MAX;
        int64_t by[32] = {0}, items = 0;
        while (here && steps.r && !strcmp(qc_record_text(steps.r, QC_STEP_CASE), id)) {
            const char *kind = qc_record_text(steps.r, QC_STEP_KIND);
            int64_t day = qc_record_int(steps.r, QC_STEP_DATE);
            if (qc__word_at(spec->cases, spec->ncases, kind) >= 0 && day < first_intake) first_intake = day;
            int k = qc__word_at(spec->proceedings, spec->nproceedings, kind);
            if (k >= 0 && day >= from && day <= to) {
                by[k]++;
                items++;
            }
            if ((rc = qc__stream_next(&steps)) < 0) break;
        }
        if (rc < 0) break;
        bool counted = first_intake >= from && first_intake <= to;
        if (!counted && !items) continue;
        ratio_row *row = row_of(r, qc_record_text(kase, QC_CASE_OFFICE));
        if (!row) {
            rc = qc__error(QC_ENOMEM, "out of memory");
            break;
        }
        ratio_row *rows[2] = {row, &r->total};
        for (int w = 0; w < 2; w++) {
            rows[w]->cases += counted;
            rows[w]->items += counted + items;
            for (int k = 0; k < spec->nproceedings; k++) rows[w]->by[k] += by[k];
        }
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_iter_free(steps.it);
    qc_filter_free(f);
    if (rc < 0) {
        qc__ratio_free(r);
        return rc;
    }
    if (r->nrows > 1) qsort(r->rows, (size_t)r->nrows, sizeof *r->rows, by_office);
    qc__map_free(&r->index); /* the rows moved: the index is not needed after */
    r->index = (qc__strmap){0};
    *out = r;
    return QC_OK;
}

/* Row i, or the total for -1; NULL out of range or without a ratio. */
static const ratio_row *row_at(const qc__ratio *r, int i)
{
    if (!r) return NULL;
    if (i == -1) return &r->total;
    return i >= 0 && i < r->nrows ? &r->rows[i] : NULL;
}

int qc__ratio_count(const qc__ratio *r) { return r ? r->nrows : 0; }
const char *qc__ratio_office(const qc__ratio *r, int i) { const ratio_row *w = row_at(r, i); return w ? w->office : NULL; }
int64_t qc__ratio_cases(const qc__ratio *r, int i) { const ratio_row *w = row_at(r, i); return w ? w->cases : 0; }
int64_t qc__ratio_items(const qc__ratio *r, int i) { const ratio_row *w = row_at(r, i); return w ? w->items : 0; }
int qc__ratio_component_count(const qc__ratio *r) { return r ? r->ncomponents : 0; }
const char *qc__ratio_component(const qc__ratio *r, int k) { return r && k >= 0 && k < r->ncomponents ? r->components[k] : NULL; }

int64_t qc__ratio_component_value(const qc__ratio *r, int i, int k)
{
    const ratio_row *w = row_at(r, i);
    return w && k >= 0 && k < r->ncomponents ? w->by[k] : 0;
}
