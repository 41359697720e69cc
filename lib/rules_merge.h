/* SPDX-License-Identifier: MIT
 * rules_merge.h - a rule file and the files it extends, read and merged
 * into one view (rules_merge.c), for the compilers (rules_compile.c,
 * assess_spec.c).
 *
 * Every YAML node keeps the document it came from, so a problem found
 * while compiling is reported at the file, line and column of the value,
 * whichever file of the chain that is.
 */
#ifndef QC_RULES_MERGE_H
#define QC_RULES_MERGE_H

#include <yaml.h>

#include "rules_internal.h"

#define MAX_EXTENDS_DEPTH 8

typedef struct ydoc {
    yaml_document_t doc;
    char *file;
    char *text;
} ydoc;

/* A YAML node and the document it is in. */
typedef struct ynode {
    ydoc *d;
    yaml_node_t *n;
} ynode;

typedef struct loader {
    qc__diag *diag;
    bool allow_absolute_extends;
    ydoc *docs[MAX_EXTENDS_DEPTH + 1];
    int ndocs;
    /* the merged view, child over parent */
    ynode header[16];            /* by header key index */
    ynode facts[256];
    const char *fact_names[256];
    int nfacts;
    ynode labels;                /* the sequence in force */
    ynode rules[1024];
    const char *rule_ids[1024];
    int nrules;
    ynode names[512];            /* roles/lines/acts entries */
    const char *name_kinds[512];
    int nnames;
    ynode weight_labels[64], weight_types[128];
    const char *weight_label_keys[64], *weight_type_keys[128];
    int nweight_labels, nweight_types;
    ynode combine, per_defendant;
    ynode citations[64];
    int ncitations;
    ynode deadlines;             /* the section in force, whole: a child's replaces its parent's */
    ynode ratio;                 /* likewise */
    ynode assess_vals[16];
    const char *assess_keys[16];
    int nassess;
} loader;

extern const char *const qc__header_keys[];
enum { H_FORMAT, H_NAME, H_VERSION, H_KIND, H_FROM, H_TO, H_DESCRIPTION, H_EXTENDS, H_MANUAL_LABELS, H_APPLIES_TO, H_COUNT };


static inline long line_of(ynode y) { return (long)y.n->start_mark.line + 1; }
static inline long col_of(ynode y) { return (long)y.n->start_mark.column + 1; }

#define DIAG(L, y, code, path, ...) \
    qc__diag_add((L)->diag, code, (y).d->file, line_of(y), col_of(y), path, __VA_ARGS__)

static inline const char *scalar(ynode y)
{
    return y.n && y.n->type == YAML_SCALAR_NODE ? (const char *)y.n->data.scalar.value : NULL;
}

static inline ynode child(ynode y, int index) { return (ynode){y.d, yaml_document_get_node(&y.d->doc, index)}; }

/* Read path (or the text given, taken over) and, first, every file it
 * extends, merging each over its parent into L's view.  0, or -1 with the
 * problems in L->diag. */
int qc__load_chain(loader *L, const char *path, char *text, size_t size, int depth);
/* Where name stands in names (n entries, NULL ones skipped), or -1. */
int qc__find_name(const char *const *names, int n, const char *name);
/* Free what qc__load_chain read. */
void qc__free_docs(loader *L);

#endif /* QC_RULES_MERGE_H */
