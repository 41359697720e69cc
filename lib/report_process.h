/* SPDX-License-Identifier: MIT
 * report_process.h - the process sections of a notification report:
 * deadlines on the period's last day and the case-to-proceeding ratio
 * (report_process.c); report.c calls them after its own sections.  Each
 * writes nothing when the assessment has no such figures.
 */
#ifndef QC_REPORT_PROCESS_H
#define QC_REPORT_PROCESS_H

#include <stdio.h>

#include "rules_internal.h"

void qc__report_process_text(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang);
/* Members of the report's JSON object, each after a comma. */
void qc__report_process_json(FILE *f, const qc_assessment *a);
void qc__report_process_html(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang);

#endif
