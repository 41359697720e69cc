/* SPDX-License-Identifier: MIT
 * columns.c - classifying many cases given column by column.
 *
 * A table, a data frame or a set of Python lists holds cases as columns:
 * one array per fact or case field.  A qc_columns borrows those arrays and
 * qc_classify_columns classifies every case without building a record:
 * each column is matched to its fact slot once per rule version (by name,
 * with its type checked), enum text is turned into the value's index by
 * one comparison when the same string comes again (as it does from one
 * interned list or one static table), and the rules are evaluated as for
 * a record (classify.c, qc__judge).  The results are the same as
 * qc_classify gives for records of the same values.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

typedef enum column_kind { COL_TEXT = 1, COL_INT, COL_DECIMAL } column_kind;

typedef struct column {
    char *name;
    column_kind kind;
    const void *values;      /* const char *const *, const int64_t * or const double * */
    const uint8_t *missing;  /* may be NULL: none missing (text: a NULL entry is missing) */
} column;

struct qc_columns {
    size_t n;
    column *cols;
    int ncols, cap;
};

/* The case fields a column may fill, by name. */
enum { F_ID, F_OFFICE, F_LINE, F_TYPE, F_STAGE, F_SOURCE, F_REGISTERED, F_CLOSED, F_COUNT };
static const struct { const char *name; column_kind kind; } case_fields[F_COUNT] = {
    [F_ID] = {"case.id", COL_TEXT},         [F_OFFICE] = {"case.office", COL_TEXT},
    [F_LINE] = {"case.line", COL_TEXT},     [F_TYPE] = {"case.type", COL_TEXT},
    [F_STAGE] = {"case.stage", COL_TEXT},   [F_SOURCE] = {"case.source", COL_INT},
    [F_REGISTERED] = {"case.registered", COL_INT}, [F_CLOSED] = {"case.closed", COL_INT},
};

QC_EXTERN int qc_columns_new(qc_columns **out, size_t n)
{
    if (!out) return qc__error(QC_EINVAL, "qc_columns_new: out is NULL");
    if (!(*out = calloc(1, sizeof **out))) return qc__error(QC_ENOMEM, "out of memory");
    (*out)->n = n;
    return QC_OK;
}

QC_EXTERN void qc_columns_free(qc_columns *cols)
{
    if (!cols) return;
    for (int i = 0; i < cols->ncols; i++) free(cols->cols[i].name);
    free(cols->cols);
    free(cols);
}

QC_EXTERN size_t qc_columns_count(const qc_columns *cols) { return cols ? cols->n : 0; }

static int set_column(qc_columns *cols, const char *name, column_kind kind, const void *values, const uint8_t *missing)
{
    if (!cols || !name || (!values && cols->n)) return qc__error(QC_EINVAL, "qc_columns_set: NULL argument");
    if (!strncmp(name, "case.", 5)) {
        int f = 0;
        while (f < F_COUNT && strcmp(case_fields[f].name, name)) f++;
        if (f == F_COUNT)
            return qc__error(QC_EUNKNOWN, "column %s: no such case field (case.id, case.office, case.line, case.type, "
                             "case.stage, case.source, case.registered, case.closed)", name);
        if (case_fields[f].kind != kind)
            return qc__error(QC_ETYPE, "column %s: %s", name,
                             case_fields[f].kind == COL_TEXT ? "takes text" : "takes integers (days; for case.source a qc_case_source)");
    } else if (!qc__is_identifier(name)) {
        return qc__error(QC_EUNKNOWN, "column '%.64s': not a fact name or case field", name);
    }
    int at = 0;
    while (at < cols->ncols && strcmp(cols->cols[at].name, name)) at++;
    if (at == cols->ncols) {
        if (cols->ncols == cols->cap) {
            int cap = cols->cap ? cols->cap * 2 : 16;
            column *c = realloc(cols->cols, sizeof *c * (size_t)cap);
            if (!c) return qc__error(QC_ENOMEM, "out of memory");
            cols->cols = c;
            cols->cap = cap;
        }
        char *copy = strdup(name);
        if (!copy) return qc__error(QC_ENOMEM, "out of memory");
        cols->cols[cols->ncols++] = (column){.name = copy};
    }
    column *c = &cols->cols[at];
    c->kind = kind;
    c->values = values;
    c->missing = missing;
    return QC_OK;
}

QC_EXTERN int qc_columns_set_text(qc_columns *cols, const char *name, const char *const *values)
{
    return set_column(cols, name, COL_TEXT, values, NULL);
}

QC_EXTERN int qc_columns_set_int(qc_columns *cols, const char *name, const int64_t *values, const uint8_t *missing)
{
    return set_column(cols, name, COL_INT, values, missing);
}

QC_EXTERN int qc_columns_set_decimal(qc_columns *cols, const char *name, const double *values, const uint8_t *missing)
{
    return set_column(cols, name, COL_DECIMAL, values, missing);
}

static const column *find_column(const qc_columns *cols, const char *name)
{
    for (int i = 0; i < cols->ncols; i++)
        if (!strcmp(cols->cols[i].name, name)) return &cols->cols[i];
    return NULL;
}

/* ---- classifying ---- */

/* For one rule version: where each declared fact comes from. */
typedef struct plan {
    const qc__ruleset *rs;
    bool blockable;           /* see block_ok */
    const column **from;      /* per fact slot; NULL: always missing */
    bool *read;               /* per fact slot: some condition or the weights read it */
    /* by label mask, when the labels alone decide the weight (no type or
     * per-defendant factor) and there are at most 8 labels: the weight
     * and the primary label */
    double *weight_by_mask;
    int *primary_by_mask;
    /* per enum slot, ENUM_CACHE strings seen and their value indexes, by
     * the string's address: a column of enum text holds a few distinct
     * strings many times over (one interned list, one static table) */
    const char **seen_text;
    int64_t *seen_index;
} plan;

#define ENUM_CACHE 8

static const char *const xtype_names[] = {"", "bool", "int", "decimal", "date", "text", "enum"};

static int make_plan(plan *p, const qc__ruleset *rs, const qc_columns *cols)
{
    int n = rs->prog.nfacts;
    *p = (plan){.rs = rs};
    p->from = calloc((size_t)n + 1, sizeof *p->from);
    p->read = calloc((size_t)n + 1, sizeof *p->read);
    p->seen_text = calloc(((size_t)n + 1) * ENUM_CACHE, sizeof *p->seen_text);
    p->seen_index = calloc(((size_t)n + 1) * ENUM_CACHE, sizeof *p->seen_index);
    if (!p->from || !p->read || !p->seen_text || !p->seen_index) return qc__error(QC_ENOMEM, "out of memory");
    /* a fact no condition reads (nor has() asks after, nor the weights
     * use) is neither read from its column nor filled in */
    if (rs->per_defendant_fact >= 0) p->read[rs->per_defendant_fact] = true;
    for (int q = 0; q < rs->prog.nnodes; q++)
        if (rs->prog.nodes[q].op == OP_FACT || rs->prog.nodes[q].op == OP_HAS) p->read[rs->prog.nodes[q].slot] = true;
    for (int k = 0; k < n; k++) {
        const qc__fact_def *f = &rs->prog.facts[k];
        const column *c = find_column(cols, f->name);
        if (!c || !p->read[k]) continue;
        bool fits = f->type == X_STR ? c->kind == COL_TEXT
                  : f->type == X_ENUM ? c->kind == COL_TEXT || c->kind == COL_INT
                  : f->type == X_DEC ? c->kind == COL_DECIMAL || c->kind == COL_INT
                  : c->kind == COL_INT;
        if (!fits)
            return qc__error(QC_ETYPE, "column %s: %s values, but %s declares the fact %s", c->name,
                             c->kind == COL_TEXT ? "text" : c->kind == COL_INT ? "integer" : "decimal", rs->file,
                             xtype_names[f->type]);
        p->from[k] = c;
    }
    /* Block evaluation gives primary and weight only, so it serves when
     * nothing else is asked for: no explanation, labels that fit a mask,
     * and no rule that must fail on a missing fact (those go case by case,
     * so that the first failing case is the one reported). */
    p->blockable = rs->nlabels <= 64;
    for (int r = 0; r < rs->nrules; r++) p->blockable &= !rs->rules[r].reads_strict;
    if (rs->nlabels <= 8 && !rs->ntype_weights && rs->per_defendant_fact < 0) {
        size_t masks = (size_t)1 << rs->nlabels;
        p->weight_by_mask = malloc(masks * sizeof *p->weight_by_mask);
        p->primary_by_mask = malloc(masks * sizeof *p->primary_by_mask);
        if (!p->weight_by_mask || !p->primary_by_mask) return qc__error(QC_ENOMEM, "out of memory");
        for (size_t m = 0; m < masks; m++) {
            int labels[8], nlabels = 0;
            for (int l = 0; l < rs->nlabels; l++)
                if (m & ((size_t)1 << l)) labels[nlabels++] = l;
            p->primary_by_mask[m] = nlabels ? labels[0] : rs->fallback;
            p->weight_by_mask[m] = qc__weight(rs, labels, nlabels, p->primary_by_mask[m], NULL, NULL);
        }
    }
    return QC_OK;
}

static void free_plan(plan *p)
{
    free(p->weight_by_mask);
    free(p->primary_by_mask);
    free(p->from);
    free(p->read);
    free(p->seen_text);
    free(p->seen_index);
}

static bool is_missing(const column *c, size_t i)
{
    if (c->kind == COL_TEXT) return ((const char *const *)c->values)[i] == NULL;
    return c->missing && c->missing[i];
}

/* Case i's facts into facts[], by the plan; the checks of load_facts in
 * classify.c (types by the plan, enum values, min and max). */
static int fill_facts(plan *p, size_t i, qc__xvalue *facts, const char *id)
{
    const qc__ruleset *rs = p->rs;
    for (int k = 0; k < rs->prog.nfacts; k++) {
        const qc__fact_def *f = &rs->prog.facts[k];
        const column *c = p->from[k];
        qc__xvalue x = {.missing = true};
        if (c && !is_missing(c, i)) {
            x.missing = false;
            if (c->kind == COL_INT) x.i = ((const int64_t *)c->values)[i];
            else if (c->kind == COL_DECIMAL) x.d = ((const double *)c->values)[i];
            else x.s = ((const char *const *)c->values)[i];
            if (f->type == X_DEC && c->kind == COL_INT) x.d = (double)x.i;
            if (f->type == X_BOOL && x.i != 0 && x.i != 1)
                return qc__error(QC_ETYPE, "case %s: fact %s = %lld is not a bool (0 or 1)", id ? id : "?", f->name,
                                 (long long)x.i);
            if (f->type == X_ENUM && c->kind == COL_INT && (x.i < 0 || x.i >= f->nvalues))
                return qc__error(QC_EVALUE, "case %s: fact %s = %lld is not the index of one of the values %s declares",
                                 id ? id : "?", f->name, (long long)x.i, rs->file);
            if (f->type == X_ENUM && c->kind == COL_TEXT) {
                size_t at = (size_t)k * ENUM_CACHE + (((uintptr_t)x.s >> 3) & (ENUM_CACHE - 1));
                if (x.s == p->seen_text[at]) {
                    x.i = p->seen_index[at];
                } else {
                    int v = 0;
                    while (v < f->nvalues && strcmp(f->values[v], x.s)) v++;
                    if (v == f->nvalues)
                        return qc__error(QC_EVALUE, "case %s: fact %s = '%s' is not one of the values %s declares",
                                         id ? id : "?", f->name, x.s, rs->file);
                    p->seen_text[at] = x.s;
                    p->seen_index[at] = x.i = v;
                }
            }
            if (f->type == X_INT || f->type == X_DEC) {
                double d = f->type == X_INT ? (double)x.i : x.d;
                if (!isfinite(d) || (f->has_min && d < f->min) || (f->has_max && d > f->max))
                    return qc__error(QC_EVALUE, "case %s: fact %s = %g is outside %s's min/max", id ? id : "?", f->name, d,
                                     rs->file);
            }
        }
        if (x.missing && f->missing == MISSING_DEFAULT) x = f->dflt;
        facts[k] = x;
    }
    return QC_OK;
}

/* Cases first .. first+n-1 of one fact, into facts[j * width + k]: one
 * type decision per column rather than per value.  Enum text and bad
 * values are left to fill_facts: false means "do this block case by case"
 * (which also names the first failing case, as case-by-case order would). */
static bool fill_fact_block(plan *p, int k, size_t first, size_t n, qc__xvalue *facts, int width)
{
    const qc__fact_def *f = &p->rs->prog.facts[k];
    const column *c = p->from[k];
    qc__xvalue *out = facts + k;
    size_t w = (size_t)width;
    if (!p->read[k]) return true; /* nothing will look at it */
    if (!c) {
        qc__xvalue x = f->missing == MISSING_DEFAULT ? f->dflt : (qc__xvalue){.missing = true};
        for (size_t j = 0; j < n; j++) out[j * w] = x;
        return true;
    }
    if (c->kind == COL_TEXT) {
        const char *const *v = (const char *const *)c->values + first;
        qc__xvalue absent = f->missing == MISSING_DEFAULT ? f->dflt : (qc__xvalue){.missing = true};
        for (size_t j = 0; j < n; j++) {
            if (!v[j]) {
                out[j * w] = absent;
            } else if (f->type == X_STR) {
                out[j * w] = (qc__xvalue){.s = v[j]};
            } else { /* an enum's text: its index from the cache (fill_facts fills it) */
                size_t at = (size_t)k * ENUM_CACHE + (((uintptr_t)v[j] >> 3) & (ENUM_CACHE - 1));
                if (v[j] != p->seen_text[at]) return false;
                out[j * w] = (qc__xvalue){.i = p->seen_index[at]};
            }
        }
        return true;
    }
    const uint8_t *gone = c->missing ? c->missing + first : NULL;
    double lo = f->has_min ? f->min : -INFINITY, hi = f->has_max ? f->max : INFINITY;
    bool ok = true;
    /* one loop per kind of check, so that the loop itself has no choice to make */
#define MISSING(j) (gone && gone[j])
    if (c->kind == COL_DECIMAL) { /* a decimal fact */
        const double *v = (const double *)c->values + first;
        for (size_t j = 0; j < n; j++) {
            ok &= MISSING(j) || (v[j] >= lo && v[j] <= hi); /* NaN fails both */
            out[j * w] = (qc__xvalue){.d = v[j], .missing = MISSING(j)};
        }
    } else {
        const int64_t *v = (const int64_t *)c->values + first;
        switch (f->type) {
        case X_DEC:
            for (size_t j = 0; j < n; j++) {
                double d = (double)v[j];
                ok &= MISSING(j) || (d >= lo && d <= hi);
                out[j * w] = (qc__xvalue){.d = d, .missing = MISSING(j)};
            }
            break;
        case X_INT:
            for (size_t j = 0; j < n; j++) {
                ok &= MISSING(j) || ((double)v[j] >= lo && (double)v[j] <= hi);
                out[j * w] = (qc__xvalue){.i = v[j], .missing = MISSING(j)};
            }
            break;
        case X_BOOL:
            for (size_t j = 0; j < n; j++) {
                ok &= MISSING(j) || (uint64_t)v[j] <= 1;
                out[j * w] = (qc__xvalue){.i = v[j], .missing = MISSING(j)};
            }
            break;
        case X_ENUM:
            for (size_t j = 0; j < n; j++) {
                ok &= MISSING(j) || (v[j] >= 0 && v[j] < f->nvalues);
                out[j * w] = (qc__xvalue){.i = v[j], .missing = MISSING(j)};
            }
            break;
        default: /* dates */
            for (size_t j = 0; j < n; j++) out[j * w] = (qc__xvalue){.i = v[j], .missing = MISSING(j)};
        }
    }
#undef MISSING
    if (f->missing == MISSING_DEFAULT && gone)
        for (size_t j = 0; j < n; j++)
            if (out[j * (size_t)width].missing) out[j * (size_t)width] = f->dflt;
    return ok;
}

static const void *field(const column *c) { return c ? c->values : NULL; }

/* ---- a block of cases at a time ---- */

/* Cases are evaluated BLOCK at a time, a rule at a time over the whole
 * block: the interpretation of each node is paid once per block, and the
 * comparisons the compiler marked fast run in a tight loop. */
#define BLOCK 256

typedef struct block {
    size_t first, n;                 /* cases first .. first+n-1 */
    int nfacts;                      /* the row width of facts */
    qc__xvalue *facts;               /* BLOCK rows */
    qc__case_view view[BLOCK];
    qc__eval_ctx ctx[BLOCK];
    uint64_t labels[BLOCK];          /* bit l: label l matched */
} block;

/* out[j] = whether node holds for case j, with the semantics of
 * qc__holds: missing is false, `not` of it true. */
/* `fact OP constant` and a bool fact over the block, each in one tight
 * loop (the shapes qc__fast_compare decides case by case); false if the
 * node is of another shape. */
static bool compare_block(const block *b, const qc__program *prog, const qc__node *n, uint8_t *out)
{
    size_t w = (size_t)b->nfacts;
    if (n->fast == FAST_BOOL_FACT) {
        const qc__xvalue *f = b->facts + n->slot;
        for (size_t j = 0; j < b->n; j++) out[j] = !f[j * w].missing && f[j * w].i;
        return true;
    }
    if (n->fast != FAST_INT && n->fast != FAST_DEC) return false;
    const qc__xvalue *f = b->facts + prog->nodes[n->a].slot;
    const qc__node *k = &prog->nodes[n->b];
#define LOOP(field, OP, limit) \
    for (size_t j = 0; j < b->n; j++) out[j] = !f[j * w].missing && f[j * w].field OP limit; \
    return true;
    if (n->fast == FAST_INT) {
        int64_t limit = k->k.i;
        switch ((qc__op)n->op) {
        case OP_EQ: LOOP(i, ==, limit)
        case OP_NE: LOOP(i, !=, limit)
        case OP_LT: LOOP(i, <, limit)
        case OP_LE: LOOP(i, <=, limit)
        case OP_GT: LOOP(i, >, limit)
        default: LOOP(i, >=, limit)
        }
    }
    double limit = k->type == X_DEC ? k->k.d : (double)k->k.i;
    switch ((qc__op)n->op) {
    case OP_EQ: LOOP(d, ==, limit)
    case OP_NE: LOOP(d, !=, limit)
    case OP_LT: LOOP(d, <, limit)
    case OP_LE: LOOP(d, <=, limit)
    case OP_GT: LOOP(d, >, limit)
    default: LOOP(d, >=, limit)
    }
#undef LOOP
}

static void holds_block(const block *b, const qc__program *prog, int32_t node, uint8_t *out)
{
    const qc__node *n = &prog->nodes[node];
    uint8_t other[BLOCK];
    if (compare_block(b, prog, n, out)) return;
    if (n->fast) {
        for (size_t j = 0; j < b->n; j++) out[j] = (uint8_t)qc__fast_compare(&b->ctx[j], n);
        return;
    }
    switch ((qc__op)n->op) {
    case OP_AND:
    case OP_OR:
        holds_block(b, prog, n->a, out);
        holds_block(b, prog, n->b, other); /* no side effects: both sides may be evaluated */
        if (n->op == OP_AND)
            for (size_t j = 0; j < b->n; j++) out[j] &= other[j];
        else
            for (size_t j = 0; j < b->n; j++) out[j] |= other[j];
        return;
    case OP_NOT:
        holds_block(b, prog, n->a, out);
        for (size_t j = 0; j < b->n; j++) out[j] ^= 1;
        return;
    default: /* everything else case by case, through the evaluator itself */
        for (size_t j = 0; j < b->n; j++) out[j] = qc__holds(&b->ctx[j], node);
        return;
    }
}

/* Classify the block (one rule version, blockable) into primary, weight. */
static void judge_block(block *b, const qc_classifier *c, const plan *pl, const char **primary, double *weight)
{
    const qc__ruleset *rs = pl->rs;
    for (size_t j = 0; j < b->n; j++) { /* field by field: a compound literal would clear it all first */
        const qc__case_view *v = &b->view[j];
        qc__eval_ctx *x = &b->ctx[j];
        x->prog = &rs->prog;
        x->facts = &b->facts[j * (size_t)b->nfacts];
        x->today = c->today;
        x->office_level = v->level;
        x->registered.i = v->registered;
        x->registered.missing = false;
        x->closed.i = v->closed;
        x->closed.missing = !v->has_closed;
        memcpy(x->fields_str, v->fields_str, sizeof v->fields_str);
        x->explain = NULL;
        x->note = NULL;
        b->labels[j] = 0;
    }
    uint8_t hit[BLOCK];
    for (int r = 0; r < rs->nrules; r++) {
        const qc__rule *rule = &rs->rules[r];
        holds_block(b, &rs->prog, rule->root, hit);
        for (size_t j = 0; rule->scoped && j < b->n; j++)
            hit[j] &= qc__in_scope(rule, b->view[j].fields_str[CF_LINE], b->view[j].fields_str[CF_TYPE],
                                   b->view[j].office, b->view[j].level);
        for (size_t j = 0; j < b->n; j++) b->labels[j] |= (uint64_t)hit[j] << rule->label;
    }
    if (pl->weight_by_mask) { /* the labels alone decide */
        for (size_t j = 0; j < b->n; j++) {
            if (primary) primary[b->first + j] = rs->labels[pl->primary_by_mask[b->labels[j]]].id;
            if (weight) weight[b->first + j] = pl->weight_by_mask[b->labels[j]];
        }
        return;
    }
    for (size_t j = 0; j < b->n; j++) {
        int labels[64], nlabels = 0;
        for (uint64_t mask = b->labels[j]; mask; mask &= mask - 1) labels[nlabels++] = __builtin_ctzll(mask);
        int main_label = nlabels ? labels[0] : rs->fallback;
        if (primary) primary[b->first + j] = rs->labels[main_label].id;
        if (weight)
            weight[b->first + j] = qc__weight(rs, labels, nlabels, main_label, b->view[j].fields_str[CF_TYPE],
                                              &b->facts[j * (size_t)b->nfacts]);
    }
}

QC_EXTERN int qc_classify_columns(qc_classifier *c, const qc_columns *cols, const char **primary, double *weight,
                                  size_t *failed_index)
{
    if (!c || !cols) return qc__error(QC_EINVAL, "qc_classify_columns: NULL argument");
    const column *fc[F_COUNT];
    for (int f = 0; f < F_COUNT; f++) fc[f] = find_column(cols, case_fields[f].name);
    if (cols->n && !fc[F_REGISTERED])
        return qc__error(QC_EMISSING, "columns: case.registered is required (it decides the rule version)");
    const char *const *ids = field(fc[F_ID]), *const *offices = field(fc[F_OFFICE]), *const *lines = field(fc[F_LINE]),
                      *const *types = field(fc[F_TYPE]), *const *stages = field(fc[F_STAGE]);
    const int64_t *sources = field(fc[F_SOURCE]), *registered = field(fc[F_REGISTERED]), *closed = field(fc[F_CLOSED]);
    int nfacts = 1;
    for (int v = 0; v < c->rules->nsets; v++)
        if (c->rules->sets[v]->prog.nfacts > nfacts) nfacts = c->rules->sets[v]->prog.nfacts;
    block *b = calloc(1, sizeof *b);
    if (!b || !(b->facts = calloc((size_t)BLOCK * (size_t)nfacts, sizeof *b->facts))) {
        free(b);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    b->nfacts = nfacts;
    plan plans[8];
    int nplans = 0, rc = QC_OK;
    const char *last_office = NULL;
    int64_t level = c->office_level;
    qc_office_kind okind = 0;
    size_t i = 0;
    while (rc == QC_OK && i < cols->n) {
        /* a run of up to BLOCK cases under one rule version, facts filled */
        const plan *pl = NULL;
        b->first = i;
        b->n = 0;
        for (; rc == QC_OK && i < cols->n && b->n < BLOCK; i++) {
            const char *id = ids ? ids[i] : NULL; /* without ids, errors name the case by its index */
            if (fc[F_REGISTERED]->missing && fc[F_REGISTERED]->missing[i]) {
                rc = qc__error(QC_EMISSING, "case %s: no registration date, so no rule version applies", id ? id : "?");
                break;
            }
            const char *office = offices ? offices[i] : NULL;
            if (office != last_office || i == 0) { /* levels by office, looked up when the office changes */
                int found;
                level = c->office_level;
                okind = 0;
                if (c->offices && office && qc__offices_find(c->offices, office, &found, &okind) == QC_OK) level = found;
                last_office = office;
            }
            int64_t day = registered[i];
            /* a loop over the few versions loaded */
            const qc__ruleset *rs = qc__set_in_force(c->rules, day, okind, c->offices, office, QC__SECTION_ANY);
            if (!rs) {
                char text[16];
                qc_date_format(text, sizeof text, day);
                rc = qc__error(QC_ENOTFOUND, "case %s: no loaded rule set is in force on %s (its registration date)",
                               id ? id : "?", text);
                break;
            }
            if (pl && pl->rs != rs) break; /* another version: the next block */
            if (!pl) {
                int p = 0;
                while (p < nplans && plans[p].rs != rs) p++;
                if (p == nplans) {
                    if (nplans == (int)QC__ARRAY_LEN(plans)) {
                        rc = qc__error(QC_EUNSUPPORTED, "columns: cases under more than %d rule versions in one call",
                                       (int)QC__ARRAY_LEN(plans));
                        break;
                    }
                    if ((rc = make_plan(&plans[nplans++], rs, cols)) < 0) break;
                }
                pl = &plans[p];
            }
            qc__case_view *view = &b->view[b->n];
            view->id = id;
            view->office = office;
            view->level = level;
            view->registered = day;
            view->closed = closed ? closed[i] : 0;
            view->has_closed = closed && !(fc[F_CLOSED]->missing && fc[F_CLOSED]->missing[i]);
            view->fields_str[CF_LINE] = lines ? lines[i] : NULL;
            view->fields_str[CF_TYPE] = types ? types[i] : NULL;
            view->fields_str[CF_STAGE] = stages ? stages[i] : NULL;
            view->fields_str[CF_SOURCE] = "random";
            if (sources && !(fc[F_SOURCE]->missing && fc[F_SOURCE]->missing[i])) {
                view->fields_str[CF_SOURCE] = qc__enum_name(QC_KIND_CASE, QC_CASE_SOURCE, sources[i]);
                if (!view->fields_str[CF_SOURCE]) {
                    rc = qc__error(QC_EVALUE, "case %s: case.source %lld is not a qc_case_source", id ? id : "?",
                                   (long long)sources[i]);
                    break;
                }
            }
            b->n++;
        }
        if (rc < 0 || !b->n) break;
        /* the run's facts: fact by fact, or case by case when that fails */
        bool filled = true;
        for (int k = 0; filled && k < pl->rs->prog.nfacts; k++)
            filled = fill_fact_block((plan *)pl, k, b->first, b->n, b->facts, nfacts);
        for (size_t j = 0; !filled && j < b->n; j++)
            if ((rc = fill_facts((plan *)pl, b->first + j, &b->facts[j * (size_t)nfacts], b->view[j].id)) < 0) {
                i = b->first + j;
                break;
            }
        if (rc < 0) break;
        if (pl->blockable && !c->explain_on) {
            judge_block(b, c, pl, primary, weight);
            continue;
        }
        for (size_t j = 0; rc == QC_OK && j < b->n; j++) { /* case by case */
            memcpy(c->result->facts, &b->facts[j * (size_t)nfacts], sizeof *b->facts * (size_t)pl->rs->prog.nfacts);
            if ((rc = qc__judge(c->result, c, pl->rs, &b->view[j])) < 0) {
                i = b->first + j;
                break;
            }
            if (primary) primary[b->first + j] = pl->rs->labels[c->result->primary].id;
            if (weight) weight[b->first + j] = c->result->weight;
        }
    }
    for (int p = 0; p < nplans; p++) free_plan(&plans[p]);
    free(b->facts);
    free(b);
    if (rc < 0) {
        if (failed_index) *failed_index = i;
        qc__error_prefix("case %zu of the columns", i);
    }
    return rc;
}
