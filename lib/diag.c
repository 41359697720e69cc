/* SPDX-License-Identifier: MIT
 * diag.c - what a rule file load found wrong (or doubtful), every problem
 * with its file:line:col and the path of the value (classify[3].when).
 * The loader and the expression compiler add to one list; the load fails
 * if it holds an error, and keeps the warnings with the rule set.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* "file:line:col: path: msg", or less where less is known. */
static char *located(const char *file, long line, long col, const char *path, const char *msg)
{
    char full[1000];
    if (!file) /* the message says where already */
        snprintf(full, sizeof full, "%s", msg);
    else if (line > 0)
        snprintf(full, sizeof full, "%s:%ld:%ld: %s%s%s", file, line, col, path ? path : "", path && *path ? ": " : "", msg);
    else
        snprintf(full, sizeof full, "%s: %s%s%s", file, path ? path : "", path && *path ? ": " : "", msg);
    return strdup(full);
}

void qc__diag_warn(qc__diag *d, const char *file, long line, long col, const char *path, const char *fmt, ...)
{
    if (d->nwarnings == QC_MAX_DIAGNOSTICS) return;
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    qc__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *w = located(file, line, col, path, msg);
    if (w) d->warnings[d->nwarnings++] = w;
}

void qc__diag_add(qc__diag *d, int code, const char *file, long line, long col, const char *path,
                  const char *fmt, ...)
{
    if (!d->first_code) d->first_code = code;
    if (d->n == QC_MAX_DIAGNOSTICS) {
        d->dropped++;
        return;
    }
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    qc__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->messages[d->n] = located(file, line, col, path, msg);
    if (d->messages[d->n]) d->n++;
    else d->dropped++;
}

void qc__diag_free(qc__diag *d)
{
    for (int i = 0; i < d->n; i++) free(d->messages[i]);
    for (int i = 0; i < d->nwarnings; i++) free(d->warnings[i]);
    d->n = d->nwarnings = 0;
}

/* The thread's error from d: the first problem, how many more, and
 * each one as an error detail; returns the first problem's code. */
int qc__diag_report(qc__diag *d)
{
    int code = d->first_code ? d->first_code : QC_ERULES;
    int more = d->n - 1 + d->dropped;
    if (more > 0) qc__error(code, "%s (and %d more problem%s)", d->messages[0], more, more == 1 ? "" : "s");
    else qc__error(code, "%s", d->n ? d->messages[0] : "invalid file");
    qc__error_details_set((const char *const *)d->messages, d->n); /* after: an error clears them */
    return code;
}
