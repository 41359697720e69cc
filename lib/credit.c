/* SPDX-License-Identifier: MIT
 * credit.c - workload credit (docs/assessment.md, "Workload credit"): the
 * duties not attached to a case (committee meetings, petitioners
 * received, reports heard) and the credit-only acts on cases, each kind
 * weighted by the rules' `assessment.credit`.  Credit is shown beside the
 * quota count and never offsets it.
 *
 * This file reads; the assessment (assess.c) says whose post each unit of
 * credit falls in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

/* Read the period's duties, and when a credit kind is an act, its acts,
 * handing each unit (person, day, credit kind, count) to add. */
/* One pass: kind's records in the period (of person, when given). */
static int read_pass(const qc__assess_spec *spec, qc_store *store, int64_t from, int64_t to, int pass,
                     const char *person, int (*add)(void *, const char *, int64_t, int, double), void *ctx)
{
    qc_kind kind = pass ? QC_KIND_ACT : QC_KIND_DUTY;
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    uint32_t fields = pass ? (1u << QC_ACT_PERSON | 1u << QC_ACT_KIND | 1u << QC_ACT_TIME)
                           : (1u << QC_DUTY_PERSON | 1u << QC_DUTY_KIND | 1u << QC_DUTY_DATE | 1u << QC_DUTY_COUNT);
    int rc;
    if ((rc = qc_filter_new(&f)) == QC_OK && (rc = qc_filter_set_dates(f, from, to)) == QC_OK &&
        (rc = qc_filter_set_unordered(f, 1)) == QC_OK && (rc = qc_filter_set_fields(f, fields)) == QC_OK &&
        (!person || (rc = qc_filter_set_person(f, person)) == QC_OK)) {
        f->values_only = true; /* read with qc_record_int: no text form of the times */
        rc = qc_iter_new(&it, store, kind, f);
    }
    const qc_record *r;
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        const char *what = qc_record_text(r, pass ? QC_ACT_KIND : QC_DUTY_KIND);
        int k = qc__word_at(spec->credit_kinds, spec->ncredit_kinds, what);
        if (k < 0 || (pass == 1 && !spec->credit_is_act[k])) continue;
        int64_t day = pass ? qc__day_of(qc_record_int(r, QC_ACT_TIME)) : qc_record_int(r, QC_DUTY_DATE);
        double count = !pass && qc_record_has(r, QC_DUTY_COUNT) ? (double)qc_record_int(r, QC_DUTY_COUNT) : 1.0;
        rc = add(ctx, qc_record_text(r, pass ? QC_ACT_PERSON : QC_DUTY_PERSON), day, k, count);
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
    qc_iter_free(it);
    qc_filter_free(f);
    return rc;
}

int qc__credit_read(const qc__assess_spec *spec, qc_store *store, int64_t from, int64_t to,
                    const char *const *people, int npeople,
                    int (*add)(void *ctx, const char *person, int64_t day, int kind, double count), void *ctx)
{
    if (!spec->ncredit_kinds) return QC_OK;
    /* a kind may be recorded either way - a petitioner received as an act
     * on a case or as a duty of the day - and counts either way */
    bool acts = false, duties = true;
    for (int i = 0; i < spec->ncredit_kinds; i++) acts |= spec->credit_is_act[i];
    int rc = QC_OK;
    for (int pass = 0; rc == QC_OK && pass < 2; pass++) {
        qc_kind kind = pass ? QC_KIND_ACT : QC_KIND_DUTY;
        if ((pass ? !acts : !duties) || !qc__be_knows_kind(store, kind)) continue;
        /* the people assessed, each by the person index, when they are
         * few; else the whole period once (a national assessment) */
        if (!people) rc = read_pass(spec, store, from, to, pass, NULL, add, ctx);
        for (int i = 0; people && rc == QC_OK && i < npeople; i++)
            rc = read_pass(spec, store, from, to, pass, people[i], add, ctx);
    }
    return rc;
}
