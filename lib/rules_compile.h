/* SPDX-License-Identifier: MIT
 * rules_compile.h - compiling the merged view of a rule file chain into a
 * rule set: the header, facts, labels, display names, weights and rules
 * (rules_compile.c) and the assessment section (assess_spec.c).  Every
 * problem goes to the loader's diagnostics; nothing stops at the first.
 */
#ifndef QC_RULES_COMPILE_H
#define QC_RULES_COMPILE_H

#include "rules_merge.h"

typedef struct compiler {
    loader *L;
    qc__ruleset *rs;
    qc__arena *arena;
} compiler;

/* Helpers both compilers use. */
const char *qc__c_dup(compiler *C, const char *s);
bool qc__c_parse_number(const char *s, double *out);
bool qc__c_parse_date(const char *s, int64_t *out);
const char **qc__c_word_list(compiler *C, ynode y, const char *path, int *n);
unsigned qc__c_level_bits(compiler *C, ynode v, const char *path);
int qc__c_find_label(const qc__ruleset *rs, const char *id);

/* In this order: the header, the facts (i from 0 to L->nfacts), labels,
 * names, weights, rules, then the assessment and deadlines sections. */
void qc__compile_header(compiler *C);
void qc__compile_fact(compiler *C, int i);
void qc__compile_labels(compiler *C);
void qc__compile_names(compiler *C);
void qc__compile_weights(compiler *C);
void qc__compile_rules(compiler *C);
void qc__compile_assessment(compiler *C);
/* The deadlines section (deadlines_spec.c), after the labels and names. */
void qc__compile_deadlines(compiler *C);
/* The ratio section (deadlines_spec.c), after the names. */
void qc__compile_ratio(compiler *C);

#endif /* QC_RULES_COMPILE_H */
