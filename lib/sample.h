/* SPDX-License-Identifier: MIT
 * sample.h - an inspection's draw (sample.c) and what is done with it:
 * recorded, checked, listed, and its reviews counted (inspection.c).
 */
#ifndef QC_SAMPLE_H
#define QC_SAMPLE_H

#include "arena.h"
#include "internal.h"

typedef struct qc__sample_row {
    const char *case_id, *office, *department, *line, *handler, *labels;
    const char *stratum, *reason; /* "sample", or the triggers' ids */
    uint64_t key;
    const char *grade;            /* the review made for the inspection, when listed from the store */
} qc__sample_row;

typedef struct qc__sample_stratum {
    const char *key;
    int64_t candidates, triggered, drawn, selected;
} qc__sample_stratum;

struct qc_sample {
    qc__arena arena;
    char *id, *plan, *office, *seed, *by;       /* id and by: once recorded */
    char plan_hash[QC__SHA256_TEXT_BYTES], rules_hash[QC__SHA256_TEXT_BYTES];
    char list_hash[QC__SHA256_TEXT_BYTES];
    char head[160];
    int64_t entries, from, to, drawn_at;
    int64_t candidates;
    qc__sample_row *rows;
    int n;
    qc__sample_stratum *strata;
    int nstrata, strata_cap;
};

/* The draw's portable key (docs/inspections.md). */
uint64_t qc__sample_seed_state(const char *seed);
uint64_t qc__sample_key(uint64_t seed_state, const char *case_id);
/* Draw s's rows and strata (s names office, period and seed). */
int qc__sample_draw(qc_sample *s, const qc_plan *plan, const qc_rules *rules, qc_store *store);
int qc__sample_list_hash(char out[QC__SHA256_TEXT_BYTES], const qc__sample_row *rows, int n);

#endif /* QC_SAMPLE_H */
