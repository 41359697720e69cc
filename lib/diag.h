/* SPDX-License-Identifier: MIT
 * diag.h - the problems a rule file load found, each located (diag.c).
 */
#ifndef QC_DIAG_H
#define QC_DIAG_H

#include "internal.h"

#define QC_MAX_DIAGNOSTICS 50

typedef struct qc__diag {
    char *messages[QC_MAX_DIAGNOSTICS];
    int n, dropped;
    int first_code;
    char *warnings[QC_MAX_DIAGNOSTICS]; /* do not fail the load; kept with the set */
    int nwarnings;
} qc__diag;

void qc__diag_add(qc__diag *d, int code, const char *file, long line, long col, const char *path,
                  const char *fmt, ...) QC__PRINTF(7, 8);
void qc__diag_warn(qc__diag *d, const char *file, long line, long col, const char *path, const char *fmt, ...)
    QC__PRINTF(6, 7);
void qc__diag_free(qc__diag *d);
/* Set the thread's error from d's problems (the first, how many more, each
 * as a detail) and return the first one's code. */
int qc__diag_report(qc__diag *d);

#endif /* QC_DIAG_H */
