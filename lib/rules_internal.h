/*
 * rules_internal.h - the compiled form of rule files, shared by the
 * loader (rules_load.c), the expression compiler (expr.c), the classifier
 * (classify.c) and the test runner (rules_test.c).
 *
 * A loaded rule set is immutable: every pointer below is owned by the
 * rule set's arena and lives until qc_rules_free(), so one rule set can be
 * shared by threads.  Per-case state lives in the classifier.
 */
#ifndef QC_RULES_INTERNAL_H
#define QC_RULES_INTERNAL_H

#include <string.h>

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

/* Expression nodes, in one array per rule set; children by index. */
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

typedef struct qc__label {
    const char *id, *zh, *en;
    double weight;       /* weights.labels, default 1 */
    bool fallback;
} qc__label;

typedef struct qc__rule {
    const char *id;
    int label;           /* index into labels */
    const char *when;    /* source text, for explanations */
    int32_t root;        /* node index of the compiled condition */
    const char *cite;
    const char **lines, **types, **offices; /* scope; NULL = any */
    int nlines, ntypes, noffices;
    unsigned levels;     /* bit (1 << qc_office_level); 0 = any */
    bool scoped;         /* any of the four above */
    int *reads;          /* facts the condition reads (not through has()) */
    int nreads;
    bool reads_strict;   /* one of them is declared missing: error */
    long line, col;
} qc__rule;

typedef struct qc__name {
    const char *kind, *id, *zh, *en; /* display names: kind is label/role/line/act */
} qc__name;

typedef enum qc__combine { COMBINE_MAX, COMBINE_SUM, COMBINE_PRODUCT } qc__combine;

/* assessment: (docs/assessment.md) - who must handle how many cases. */
typedef struct qc__quota {
    const char *id;
    unsigned levels;               /* bit (1 << level); 0 = any */
    const char **roles, **offices; /* NULL = any */
    int nroles, noffices;
    double min;                    /* cases a year, prorated to the period and post */
    double share, max_share;       /* of the average caseload; 0 = none */
    bool of_department;            /* average over the department, not the office */
    double focus_share;            /* < 0: the assessment-wide value */
    long line;
} qc__quota;

typedef struct qc__personal {
    const char *line;              /* business line, or "default" */
    const char **all_of, **any_of;
    int nall, nany;
} qc__personal;

/* scores: (docs/assessment.md, "Performance scores"). */
typedef struct qc__grade { const char *scheme, *grade, *maps_to; double multiplier; } qc__grade;
typedef struct qc__consequence { const char *grade, *outcome; int periods; } qc__consequence;

typedef struct qc__score_spec {
    bool present;
    const char *scheme;            /* grades are expressed in this scheme */
    qc__grade *grades;             /* multipliers of `scheme`, and the mapping of other schemes to it */
    int ngrades;
    double unreviewed;             /* multiplier of a case without review */
    double timely_days, late_factor;
    double bonus_hard, penalty_name_only;
    bool normalise_office;
    double excellent, competent, basically_competent; /* thresholds on the (normalised) score */
    qc__consequence *consequences;
    int nconsequences;
} qc__score_spec;

typedef struct qc__assess_spec {
    bool present;
    qc__score_spec scores;
    const char **leaders, **handlers, **hard_labels, **chief_roles, **credit_only;
    int nleaders, nhandlers, nhard, nchief, ncredit;
    const char **capacity_names;
    double *capacity_weights;
    int ncapacities;
    qc__personal *personal;
    int npersonal;
    qc__quota *quotas;
    int nquotas;
    double focus_share;            /* 0 = no focus requirement */
    double office_compliance;      /* share of an office's leaders who must meet the quota (default 1) */
    bool average_includes_leaders;
} qc__assess_spec;

/* A consequence may look at most this many periods back (the rule's
 * `periods:` is 1 to this; the assessment keeps one slot per period). */
#define QC__MAX_CONSEQUENCE_PERIODS 4

/* One version of one rule set: a file with everything it extends folded in. */
typedef struct qc__ruleset {
    const char *name, *version, *description, *file;
    qc_office_kind kind;  /* 0 = both */
    int64_t effective_from, effective_to; /* days; to = INT64_MAX if open */
    const char **citations;
    int ncitations;
    const char **warnings; /* "file:line:col: path: message", from the load */
    int nwarnings;
    qc__fact_def *facts;
    int nfacts;
    qc__label *labels;    /* priority order, highest first */
    int nlabels, fallback;
    qc__rule *rules;
    int nrules;
    qc__node *nodes;
    int nnodes;
    qc__xvalue *list_items; /* OP_IN lists */
    int nlist_items;
    qc__name *names;
    int nnames;
    qc__combine combine;
    struct { const char *type; double factor; } *type_weights;
    int ntype_weights;
    int per_defendant_fact; /* fact index or -1 */
    double per_defendant_each, per_defendant_max;
    qc__assess_spec assess;
} qc__ruleset;

/* An arena for everything a rule set owns. */
typedef struct qc__arena {
    struct qc__arena_block *blocks;
} qc__arena;
void *qc__arena_alloc(qc__arena *a, size_t size);
char *qc__arena_strdup(qc__arena *a, const char *s);
void qc__arena_free(qc__arena *a);

struct qc_rules {
    qc__arena arena;
    qc__ruleset **sets;   /* versions, sorted by name then effective_from */
    int nsets;
    bool allow_absolute_extends; /* QC_RULES_ABSOLUTE_EXTENDS */
};

/* ---- load-time diagnostics ---- */

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

/* ---- expressions (expr.c) ---- */

/*
 * Compile `text` (the `when` of rule `path`, found at file:line:col) into
 * rs->nodes; *root receives the root node.  Errors go to diag with the
 * column inside the expression added to col.  Uses rs->facts for names
 * and types.  Returns QC_OK or the first error code.
 */
int qc__expr_compile(qc__ruleset *rs, qc__arena *arena, const char *text, const char *file, long line,
                     long col, const char *path, qc__diag *diag, int32_t *root);

/* The inputs of one evaluation. */
typedef struct qc__eval_ctx {
    const qc__ruleset *rs;
    const qc__xvalue *facts;   /* per rs->facts, missing flagged */
    const char *fields_str[4]; /* CF_LINE, CF_TYPE, CF_SOURCE, CF_STAGE */
    qc__xvalue registered, closed;
    int64_t office_level;      /* 0 unknown */
    int64_t today;
    /* explanation log: set by classify.c when explaining, else NULL */
    struct qc__explain *explain;
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
    const qc__node *nodes = ctx->rs->nodes;
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
    const qc__node *n = &ctx->rs->nodes[node];
    if (n->fast && !ctx->explain) return qc__fast_compare(ctx, n);
    qc__xvalue v = qc__expr_eval(ctx, node);
    return !v.missing && v.i;
}


/* The truth of a condition node (missing counts as false). */
bool qc__expr_holds(const qc__eval_ctx *ctx, int32_t node);

/* Text of a value of type t, for explanations; buf of 64 bytes. */
const char *qc__xvalue_text(char *buf, size_t size, const qc__ruleset *rs, const qc__node *n,
                            qc__xvalue v);

/* Record one evaluated comparison: classify.c implements it. */
void qc__explain_note(struct qc__explain *e, const qc__eval_ctx *ctx, int32_t node, qc__xvalue left,
                      qc__xvalue right, bool result);

/* ---- classification state (classify.c) ---- */

#define EXPLAIN_BYTES 16384

typedef struct qc__explain {
    char *buf;
    size_t len, cap;
} qc__explain;

/* A classification's outcome and everything one classification writes:
 * a classifier only reads, so threads may share one, each classifying
 * into a result of its own (qc_classify_into). */
struct qc_result {
    const qc__ruleset *rs;
    int primary;          /* label index */
    int *labels;          /* label indices matched, priority order */
    int nlabels;
    int *matched;         /* rule indices matched, file order */
    int nmatched;
    double weight;
    const char *explanation;
    /* work space, sized for the largest rule set of the rules */
    const qc_rules *rules;
    qc__xvalue *facts;
    bool *label_hit;
    qc__explain explain;
    /* which schema fact each fact of the last case was: cases from one
     * source carry their facts in the same order, so one strcmp per fact
     * usually confirms the guess */
    const qc__ruleset *slot_cache_set;
    int slot_cache[64];
    char slot_cache_names[64][32];
};

struct qc_classifier {
    const qc_rules *rules;
    const qc_offices *offices; /* office levels and kinds; may be NULL */
    qc_offices *own_offices;   /* read from a store by qc_classifier_set_store */
    int64_t office_level;      /* for offices not in the table, or without one */
    int64_t today;
    bool explain_on;
    struct qc_result *result;  /* what qc_classify writes */
};

/* An office's level and kind from a table; QC_ENOTFOUND if not in it. */
int qc__offices_find(const qc_offices *offices, const char *id, int *level, qc_office_kind *kind);

/* Where word s stands in list (roles, labels, act kinds: a handful of
 * words), or -1; a NULL s stands nowhere. */
static inline int qc__word_at(const char *const *list, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(list[i], s)) return i;
    return -1;
}

/* ---- a small string -> int map (strmap.c) ---- */

typedef struct qc__strmap {
    struct qc__strmap_slot {
        uint64_t hash;
        uint32_t key;  /* 1 + its offset in text; 0: an empty slot */
        int val;
        char head[16]; /* the key, whole if it fits (ids mostly do) */
    } *slots;
    char *text;    /* the keys, back to back */
    size_t text_len, text_cap;
    size_t n, cap; /* cap: a power of 2 */
} qc__strmap;

/* The value of key, or -1. */
int qc__map_find(const qc__strmap *m, const char *key);
/* Set key (copied) to val. */
int qc__map_put(qc__strmap *m, const char *key, int val);
void qc__map_free(qc__strmap *m);

/* ---- evidence (evidence.c) ---- */

/* The parts of a verdict's evidence: lists of act kind ids "a,b", and
 * others' acts as "PERSON=a,b;PERSON=c". */
typedef struct qc__evidence {
    const char *verdict, *line, *all_of, *any_of, *own, *others;
} qc__evidence;

/* Write the evidence as a sentence in lang ("zh" or "en") with the display
 * names of rules (may be NULL: ids); snprintf-like: the full length. */
int qc__evidence_write(char *buf, size_t size, const qc__evidence *e, const qc_rules *rules, const char *lang);

#endif /* QC_RULES_INTERNAL_H */
