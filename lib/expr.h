/* SPDX-License-Identifier: MIT
 * expr.h - the condition language of rule files (`when:`): its values,
 * fact declarations and nodes, the compiler and the evaluator (expr.c).
 *
 * A condition compiles into nodes of a qc__program (the facts it may read,
 * its nodes and list constants), checked for types once; evaluating it
 * reads a fact vector and a case's fields and allocates nothing.  The
 * language knows nothing of rules, labels or classification: the rule set
 * holds a program, and whoever evaluates says what to do with an
 * explanation through qc__eval_ctx.note.
 */
#ifndef QC_EXPR_H
#define QC_EXPR_H

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "internal.h"

/* Value types of expressions; the first five match the fact types. */
typedef enum qc__xtype {
    X_BOOL = 1, X_INT, X_DEC, X_DATE, X_STR, X_ENUM
} qc__xtype;

/* What a missing fact means (facts: ... missing:). */
typedef enum qc__missing {
    MISSING_ERROR = 0, /* classification fails, naming the case and fact */
    MISSING_FALSE,     /* every comparison that reads it is false */
    MISSING_DEFAULT    /* the declared default value stands in */
} qc__missing;

typedef struct qc__value_x {
    union {
        int64_t i;      /* BOOL, INT, DATE, ENUM (index into values) */
        double d;       /* DEC */
        const char *s;  /* STR */
    };
    bool missing;
} qc__xvalue;

typedef struct qc__fact_def {
    const char *name;
    qc__xtype type;
    const char **values;  /* ENUM: allowed values */
    int nvalues;
    bool has_min, has_max;
    double min, max;
    qc__missing missing;
    qc__xvalue dflt;
    long line, col;
} qc__fact_def;

/* Expression nodes, in one array per program; children by index. */
typedef enum qc__op {
    OP_CONST, OP_FACT, OP_FIELD, OP_TODAY, OP_HAS,
    OP_NOT, OP_AND, OP_OR, OP_NEG,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_IN, OP_BETWEEN,
    OP_DAYS, OP_MONTHS, OP_YEARS
} qc__op;

/* Case fields an expression may read: case.line, case.type, ... */
typedef enum qc__case_field {
    CF_LINE, CF_TYPE, CF_SOURCE, CF_STAGE, CF_REGISTERED, CF_CLOSED, CF_OFFICE_LEVEL
} qc__case_field;

typedef struct qc__node {
    uint8_t op, type;
    uint8_t fast;        /* a comparison of an int/date/enum fact with a constant */
    int32_t a, b, c;     /* child nodes; OP_IN: b = first list item, c = count */
    int32_t slot;        /* OP_FACT, OP_HAS: fact index; OP_FIELD: case field */
    qc__xvalue k;        /* OP_CONST */
    uint32_t src_start, src_end; /* span in the rule's `when` text */
} qc__node;

/* What conditions are compiled against and into: the declared facts (the
 * schema a case's facts are read by), the nodes of every condition, and
 * the constants of `in [...]` lists.  A rule set holds one. */
typedef struct qc__program {
    qc__fact_def *facts;
    int nfacts;
    qc__node *nodes;
    int nnodes;
    qc__xvalue *list_items; /* OP_IN lists */
    int nlist_items;
} qc__program;


/*
 * Compile `text` (the `when` of rule `path`, found at file:line:col) into
 * prog->nodes; *root receives the root node.  Errors go to diag with the
 * column inside the expression added to col.  Uses prog->facts for names
 * and types.  Returns QC_OK or the first error code.
 */
int qc__expr_compile(qc__program *prog, qc__arena *arena, const char *text, const char *file, long line,
                     long col, const char *path, qc__diag *diag, int32_t *root);

/* The inputs of one evaluation. */
typedef struct qc__eval_ctx {
    const qc__program *prog;
    const qc__xvalue *facts;   /* per prog->facts, missing flagged */
    const char *fields_str[4]; /* CF_LINE, CF_TYPE, CF_SOURCE, CF_STAGE */
    qc__xvalue registered, closed;
    int64_t office_level;      /* 0 unknown */
    int64_t today;
    /* Explaining: each comparison's values and outcome go to note(explain,
     * ...), which the caller (the classifier) sets; NULL when not
     * explaining.  Evaluation knows nothing of what is done with them. */
    struct qc__explain *explain;
    void (*note)(struct qc__explain *explain, const struct qc__eval_ctx *ctx, int32_t node, qc__xvalue left,
                 qc__xvalue right, bool result);
} qc__eval_ctx;

qc__xvalue qc__expr_eval(const qc__eval_ctx *ctx, int32_t node);

/* Shapes that evaluation decides inline (qc__node.fast). */
enum { FAST_NONE, FAST_INT, FAST_DEC, FAST_BOOL_FACT, FAST_FIELD_STR, FAST_ARITH };

/* `fact OP constant` on integers (int, date, enum, bool facts) is most of
 * what real rules say: decide it here without a call. */
#if defined(__GNUC__)
#define QC__HOT_INLINE __attribute__((always_inline)) inline
#else
#define QC__HOT_INLINE inline
#endif

static QC__HOT_INLINE int qc__fast_compare(const qc__eval_ctx *ctx, const qc__node *n)
{
    const qc__node *nodes = ctx->prog->nodes;
    if (n->fast == FAST_ARITH) { /* (a OP b) CMP constant, a and b facts, constants or dates */
        qc__xvalue v = qc__expr_eval(ctx, n->a);
        const qc__node *k = &nodes[n->b];
        if (v.missing) return 0;
        if (nodes[n->a].type == X_DEC || k->type == X_DEC) {
            double x = nodes[n->a].type == X_DEC ? v.d : (double)v.i, y = k->type == X_DEC ? k->k.d : (double)k->k.i;
            switch (n->op) {
            case OP_EQ: return x == y;
            case OP_NE: return x != y;
            case OP_LT: return x < y;
            case OP_LE: return x <= y;
            case OP_GT: return x > y;
            default: return x >= y;
            }
        }
        switch (n->op) {
        case OP_EQ: return v.i == k->k.i;
        case OP_NE: return v.i != k->k.i;
        case OP_LT: return v.i < k->k.i;
        case OP_LE: return v.i <= k->k.i;
        case OP_GT: return v.i > k->k.i;
        default: return v.i >= k->k.i;
        }
    }
    if (n->fast == FAST_FIELD_STR) {
        const char *v = ctx->fields_str[nodes[n->a].slot];
        return v && (strcmp(v, nodes[n->b].k.s) == 0) == (n->op == OP_EQ);
    }
    if (n->fast == FAST_BOOL_FACT) {
        qc__xvalue v = ctx->facts[n->slot];
        return !v.missing && v.i;
    }
    qc__xvalue a = ctx->facts[nodes[n->a].slot];
    if (a.missing) return 0;
    if (n->fast == FAST_DEC) {
        double k = nodes[n->b].type == X_DEC ? nodes[n->b].k.d : (double)nodes[n->b].k.i;
        switch (n->op) {
        case OP_EQ: return a.d == k;
        case OP_NE: return a.d != k;
        case OP_LT: return a.d < k;
        case OP_LE: return a.d <= k;
        case OP_GT: return a.d > k;
        default: return a.d >= k;
        }
    }
    int64_t k = nodes[n->b].k.i;
    switch (n->op) {
    case OP_EQ: return a.i == k;
    case OP_NE: return a.i != k;
    case OP_LT: return a.i < k;
    case OP_LE: return a.i <= k;
    case OP_GT: return a.i > k;
    default: return a.i >= k;
    }
}

/* A condition's truth, by the fast path where it applies. */
static QC__HOT_INLINE bool qc__holds(const qc__eval_ctx *ctx, int32_t node)
{
    const qc__node *n = &ctx->prog->nodes[node];
    if (n->fast && !ctx->explain) return qc__fast_compare(ctx, n);
    qc__xvalue v = qc__expr_eval(ctx, node);
    return !v.missing && v.i;
}


/* The truth of a condition node (missing counts as false). */
bool qc__expr_holds(const qc__eval_ctx *ctx, int32_t node);

/* Text of a value of type t, for explanations; buf of 64 bytes. */
const char *qc__xvalue_text(char *buf, size_t size, const qc__program *prog, const qc__node *n, qc__xvalue v);

#endif /* QC_EXPR_H */
