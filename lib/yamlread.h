/* SPDX-License-Identifier: MIT
 * yamlread.h - YAML and JSON through libyaml's event parser, with limits.
 *
 * libyaml's document loader takes time quadratic in the nesting depth and
 * keeps the last of two equal keys; these readers bound the depth, refuse
 * a NUL inside a scalar ("\0", "\u0000"), refuse duplicate keys at their
 * second occurrence, and bound what aliases can expand to.  Importers read
 * events one at a time (qc__yaml_next), so memory stays flat however long
 * the file; rule files, bounded in size, are built into a yaml_document_t
 * (qc__yaml_load) for the rule compiler to walk.
 */
#ifndef QC_YAMLREAD_H
#define QC_YAMLREAD_H

#include <yaml.h>

#include "internal.h"

/* Nesting limits: a rule file's deepest legitimate path is well under 20
 * levels; an import's is 4 (document, section, record, facts). */
#define QC_YAML_RULES_DEPTH 64
#define QC_YAML_IMPORT_DEPTH 16

/* What went wrong, where: the caller turns it into its own kind of
 * report (the thread's error, or a rule file diagnostic). */
typedef struct qc__yaml_problem {
    int code;
    long line, col; /* 1-based; 0 when only the file is known */
    char message[400];
} qc__yaml_problem;

typedef struct qc__yaml {
    yaml_parser_t parser;
    qc__input *in;
    int depth, max_depth;
    qc__yaml_problem problem;
} qc__yaml;

/* Read YAML from in (which the caller keeps open and closes). */
int qc__yaml_open(qc__yaml *y, qc__input *in, int max_depth);
void qc__yaml_close(qc__yaml *y);
/* The next event, checked; the caller deletes it (yaml_event_delete).  On
 * failure y->problem says what and where. */
int qc__yaml_next(qc__yaml *y, yaml_event_t *e);
/* Set the thread's error from y->problem ("file:line:col: message"). */
int qc__yaml_fail(const qc__yaml *y);
/* Record a problem at an event's start. */
int qc__yaml_problem_at(qc__yaml *y, const yaml_mark_t *at, int code, const char *fmt, ...) QC__PRINTF(4, 5);

/* A whole document (the first of the stream) from in, with every check
 * above; *doc is initialised either way and must be deleted.  An empty
 * stream gives a document without nodes. */
int qc__yaml_load(yaml_document_t *doc, qc__input *in, int max_depth, qc__yaml_problem *problem);

#endif /* QC_YAMLREAD_H */
