/* SPDX-License-Identifier: MIT
 * plan.h - a sampling plan as loaded (plan.c) and drawn by (sample.c).
 */
#ifndef QC_PLAN_H
#define QC_PLAN_H

#include "arena.h"
#include "internal.h"

/* What strata are made of, in the order the plan's strata.by names them. */
enum {
    QC__STRATUM_OFFICE, QC__STRATUM_DEPARTMENT, QC__STRATUM_LINE, QC__STRATUM_LABEL, QC__STRATUM_PERSON,
    QC__STRATA_DIMENSIONS
};

/* Which cases of the period are candidates: closed in it, registered in
 * it, or open at some time in it. */
typedef enum { QC__POOL_CLOSED, QC__POOL_REGISTERED, QC__POOL_ACTIVE } qc__pool;

/* Must-review triggers; the order is the plan keys' (plan.c). */
enum {
    QC__TRIGGER_NAME_ONLY, QC__TRIGGER_GRADES, QC__TRIGGER_OVERDUE, QC__TRIGGER_STEPS, QC__TRIGGER_LABELS,
    QC__TRIGGER_KINDS
};

typedef struct qc__trigger {
    const char *id;
    int kind;
    const char **words; /* grades, step kinds or labels */
    int nwords;
} qc__trigger;

struct qc_plan {
    qc__arena arena;
    const char *id, *name_zh, *name_en, *file;
    char hash[QC__SHA256_TEXT_BYTES]; /* of the file's bytes */
    qc__pool pool;
    const char **lines;                /* candidates only of these lines (none: all) */
    int nlines;
    bool leaders_only;                 /* only cases a leader in the quota took part in */
    const char **leader_roles;         /* leaders' roles (none: the rules' assessment.leaders) */
    int nleader_roles;
    const char **handler_caps;         /* the capacities that make a case's handler */
    int nhandler_caps;
    int by[QC__STRATA_DIMENSIONS], nby;
    unsigned by_mask;
    int64_t ratio_ppm;                 /* the share drawn per stratum, in parts per million */
    int minimum;                       /* per stratum, or all it has */
    qc__trigger *triggers;
    int ntriggers;
};

#endif /* QC_PLAN_H */
