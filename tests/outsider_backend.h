/* SPDX-License-Identifier: MIT
 * outsider_backend.h - a backend written against the public headers only
 * (see outsider_backend.c), for the conformance suite.
 */
#ifndef QC_OUTSIDER_BACKEND_H
#define QC_OUTSIDER_BACKEND_H

#include <quotacase/backend.h>

/* What the backend keeps behind app_data. */
typedef struct qc_test_outsider_stats {
    int opens;
} qc_test_outsider_stats;

const qc_backend *qc_test_outsider_backend(void);

#endif
