/* SPDX-License-Identifier: MIT
 * rules_compile.c - the rule set from the merged view of a chain: the
 * header, facts, labels, display names, weights, and rules (each `when`
 * compiled by expr.c).  Every problem is recorded with file:line:col and
 * the path of the value (classify[3].when), up to QC_MAX_DIAGNOSTICS.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_compile.h"

const char *qc__c_dup(compiler *C, const char *s)
{
    if (!s) return NULL;
    const char *d = qc__arena_strdup(C->arena, s);
    /* out of memory fails the load, rather than leave a name unset */
    if (!d) qc__diag_add(C->L->diag, QC_ENOMEM, C->L->docs[0]->file, 0, 0, NULL, "out of memory");
    return d;
}

bool qc__c_parse_number(const char *s, double *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = qc__strtod(s, &end);
    if (*end || errno || !isfinite(v)) return false;
    *out = v;
    return true;
}

bool qc__c_parse_date(const char *s, int64_t *out) { return s && qc_date_parse(out, s) == QC_OK; }

/* Read a fact's default value text into v for its type. */
static bool parse_default(compiler *C, qc__fact_def *f, const char *text, qc__xvalue *v)
{
    double d;
    switch (f->type) {
    case X_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "false")) { v->i = text[0] == 't'; return true; }
        return false;
    case X_INT:
        if (!qc__c_parse_number(text, &d) || d != floor(d) || fabs(d) > 9e15) return false;
        v->i = (int64_t)d;
        return true;
    case X_DEC:
        if (!qc__c_parse_number(text, &d)) return false;
        v->d = d;
        return true;
    case X_DATE: return qc__c_parse_date(text, &v->i);
    case X_STR: v->s = qc__c_dup(C, text); return true;
    case X_ENUM:
        for (int i = 0; i < f->nvalues; i++)
            if (!strcmp(f->values[i], text)) { v->i = i; return true; }
        return false;
    }
    return false;
}

void qc__compile_fact(compiler *C, int i)
{
    loader *L = C->L;
    ynode y = L->facts[i];
    qc__fact_def *f = &C->rs->prog.facts[i];
    char path[128];
    snprintf(path, sizeof path, "facts.%s", L->fact_names[i]);
    f->name = qc__c_dup(C, L->fact_names[i]);
    f->line = line_of(y);
    f->col = col_of(y);
    if (!qc__is_identifier(f->name)) DIAG(L, y, QC_EUNKNOWN, path, "a fact name is a letter or '_' then letters, digits, '_'");
    if (y.n->type != YAML_MAPPING_NODE) {
        DIAG(L, y, QC_ETYPE, path, "must be a mapping {type: int|decimal|bool|date|text|enum, ...}");
        return;
    }
    ynode type = {0}, values = {0}, min = {0}, max = {0}, missing = {0}, dflt = {0};
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        if (!key) continue;
        if (!strcmp(key, "type")) type = v;
        else if (!strcmp(key, "values")) values = v;
        else if (!strcmp(key, "min")) min = v;
        else if (!strcmp(key, "max")) max = v;
        else if (!strcmp(key, "missing")) missing = v;
        else if (!strcmp(key, "default")) dflt = v;
        else if (strcmp(key, "description") && strcmp(key, "zh") && strcmp(key, "en"))
            DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (type, values, min, max, missing, default, description)", key);
    }
    static const struct { const char *name; qc__xtype type; } types[] = {
        {"bool", X_BOOL}, {"int", X_INT}, {"decimal", X_DEC}, {"date", X_DATE}, {"text", X_STR}, {"string", X_STR}, {"enum", X_ENUM},
    };
    const char *tname = scalar(type);
    for (size_t k = 0; tname && k < QC__ARRAY_LEN(types); k++)
        if (!strcmp(tname, types[k].name)) f->type = types[k].type;
    if (!f->type) {
        DIAG(L, type.n ? type : y, type.n ? QC_EUNKNOWN : QC_EMISSING, path, "%s%s%s", type.n ? "unknown type '" : "needs a type",
             type.n ? (tname ? tname : "?") : "", type.n ? "' (bool, int, decimal, date, text, enum)" : " (bool, int, decimal, date, text, enum)");
        return;
    }
    if (f->type == X_ENUM) {
        if (!values.n || values.n->type != YAML_SEQUENCE_NODE || values.n->data.sequence.items.start == values.n->data.sequence.items.top) {
            DIAG(L, values.n ? values : y, QC_EMISSING, path, "an enum needs values: [a, b, ...]");
            return;
        }
        int n = (int)(values.n->data.sequence.items.top - values.n->data.sequence.items.start);
        f->values = qc__arena_alloc(C->arena, sizeof *f->values * (size_t)n);
        for (int k = 0; k < n; k++) {
            ynode v = child(values, values.n->data.sequence.items.start[k]);
            const char *s = scalar(v);
            if (!s || !qc__is_token(s)) { DIAG(L, v, QC_EVALUE, path, "enum values are words (letters, digits, '_', '-', '.')"); continue; }
            for (int j = 0; j < f->nvalues; j++)
                if (!strcmp(f->values[j], s)) DIAG(L, v, QC_EEXIST, path, "value '%s' listed twice", s);
            f->values[f->nvalues++] = qc__c_dup(C, s);
        }
    } else if (values.n) {
        DIAG(L, values, QC_ETYPE, path, "only enum facts have values");
    }
    if (min.n || max.n) {
        if (f->type != X_INT && f->type != X_DEC) DIAG(L, min.n ? min : max, QC_ETYPE, path, "min and max are for int and decimal facts");
        if (min.n && !(f->has_min = qc__c_parse_number(scalar(min), &f->min))) DIAG(L, min, QC_ETYPE, path, "min must be a number");
        if (max.n && !(f->has_max = qc__c_parse_number(scalar(max), &f->max))) DIAG(L, max, QC_ETYPE, path, "max must be a number");
        if (f->has_min && f->has_max && f->min > f->max) DIAG(L, min, QC_ECONST, path, "min %g is above max %g", f->min, f->max);
    }
    const char *m = missing.n ? scalar(missing) : "error";
    if (!m) m = "";
    if (!strcmp(m, "error")) f->missing = MISSING_ERROR;
    else if (!strcmp(m, "false")) f->missing = MISSING_FALSE;
    else if (!strcmp(m, "default")) f->missing = MISSING_DEFAULT;
    else DIAG(L, missing, QC_EVALUE, path, "missing: is error, false or default, not '%s'", m);
    if (f->missing == MISSING_DEFAULT) {
        const char *d = scalar(dflt);
        if (!dflt.n) DIAG(L, missing.n ? missing : y, QC_EMISSING, path, "missing: default needs a default: value");
        else if (!d || !parse_default(C, f, d, &f->dflt))
            DIAG(L, dflt, QC_ETYPE, path, "default '%s' is not a valid %s", d ? d : "?", tname);
        else if ((f->has_min && (f->type == X_INT ? (double)f->dflt.i : f->dflt.d) < f->min) ||
                 (f->has_max && (f->type == X_INT ? (double)f->dflt.i : f->dflt.d) > f->max))
            DIAG(L, dflt, QC_EVALUE, path, "default is outside min/max");
    } else if (dflt.n) {
        DIAG(L, dflt, QC_EINVAL, path, "default: is used only with missing: default");
    }
}

/* {id:, zh:, en:} entries: labels, roles, lines, acts. */
static bool read_named(compiler *C, ynode y, const char *path, const char **id, const char **zh, const char **en,
                       bool *fallback)
{
    loader *L = C->L;
    if (y.n->type == YAML_SCALAR_NODE) { /* a bare word: id only */
        *id = qc__c_dup(C, scalar(y));
        return qc__is_token(*id) || (DIAG(L, y, QC_EVALUE, path, "'%s' is not a word", *id), false);
    }
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "expected {id:, zh:, en:}"); return false; }
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k), *val = scalar(v);
        if (!key) continue;
        if (!strcmp(key, "id")) *id = qc__c_dup(C, val);
        else if (!strcmp(key, "zh")) *zh = qc__c_dup(C, val);
        else if (!strcmp(key, "en")) *en = qc__c_dup(C, val);
        else if (!strcmp(key, "fallback") && fallback) *fallback = val && !strcmp(val, "true");
        else if (strcmp(key, "description") && strcmp(key, "cite"))
            DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (id, zh, en%s)", key, fallback ? ", fallback" : "");
    }
    if (!*id || !qc__is_token(*id)) { DIAG(L, y, QC_EMISSING, path, "needs an id (a word)"); return false; }
    return true;
}

void qc__compile_labels(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    rs->fallback = -1;
    if (!L->labels.n) {
        qc__diag_add(L->diag, QC_EMISSING, L->docs[0]->file, 0, 0, "labels",
                     "no labels: list them in priority order, with one fallback: true (e.g. ordinary)");
        return;
    }
    ynode seq = L->labels;
    if (seq.n->type != YAML_SEQUENCE_NODE) { DIAG(L, seq, QC_ETYPE, "labels", "must be a list, highest priority first"); return; }
    int n = (int)(seq.n->data.sequence.items.top - seq.n->data.sequence.items.start);
    rs->labels = qc__arena_alloc(C->arena, sizeof *rs->labels * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        ynode y = child(seq, seq.n->data.sequence.items.start[i]);
        char path[48];
        snprintf(path, sizeof path, "labels[%d]", i);
        qc__label *l = &rs->labels[rs->nlabels];
        if (!read_named(C, y, path, &l->id, &l->zh, &l->en, &l->fallback)) continue;
        for (int j = 0; j < rs->nlabels; j++)
            if (!strcmp(rs->labels[j].id, l->id)) DIAG(L, y, QC_EEXIST, path, "label '%s' listed twice", l->id);
        if (l->fallback) {
            if (rs->fallback >= 0) DIAG(L, y, QC_EEXIST, path, "a second fallback label ('%s' is one already)", rs->labels[rs->fallback].id);
            rs->fallback = rs->nlabels;
        }
        l->weight = 1.0;
        rs->nlabels++;
    }
    if (rs->fallback < 0 && rs->nlabels)
        DIAG(L, seq, QC_EMISSING, "labels", "no fallback label: mark the label of cases no rule matches with fallback: true");
}

int qc__c_find_label(const qc__ruleset *rs, const char *id)
{
    for (int i = 0; i < rs->nlabels; i++)
        if (!strcmp(rs->labels[i].id, id)) return i;
    return -1;
}

/* A list of words: `[a, b]` or a single word. */
const char **qc__c_word_list(compiler *C, ynode y, const char *path, int *n)
{
    loader *L = C->L;
    *n = 0;
    if (y.n->type == YAML_SCALAR_NODE) {
        const char **out = qc__arena_alloc(C->arena, sizeof *out);
        out[(*n)++] = qc__c_dup(C, scalar(y));
        return out;
    }
    if (y.n->type != YAML_SEQUENCE_NODE) { DIAG(L, y, QC_ETYPE, path, "expected a list of words"); return NULL; }
    int count = (int)(y.n->data.sequence.items.top - y.n->data.sequence.items.start);
    const char **out = qc__arena_alloc(C->arena, sizeof *out * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++) {
        ynode v = child(y, y.n->data.sequence.items.start[i]);
        const char *s = scalar(v);
        if (!s || !qc__is_token(s)) { DIAG(L, v, QC_EVALUE, path, "expected a word"); continue; }
        out[(*n)++] = qc__c_dup(C, s);
    }
    if (!*n) DIAG(L, y, QC_ECONST, path, "an empty scope matches no case");
    return out;
}

/* Office levels ([city, basic], or the courts' words) as bits 1 << level. */
unsigned qc__c_level_bits(compiler *C, ynode v, const char *path)
{
    int n;
    unsigned bits = 0;
    const char **levels = qc__c_word_list(C, v, path, &n);
    for (int i = 0; levels && i < n; i++) {
        int64_t lv = qc__enum_parse(QC_KIND_OFFICE, QC_OFFICE_LEVEL, levels[i]);
        if (!lv)
            DIAG(C->L, v, QC_EVALUE, path,
                 "'%s' is not an office level (national, provincial, city, basic; supreme, high, intermediate)", levels[i]);
        else bits |= 1u << lv;
    }
    return bits;
}

static void collect_reads(qc__ruleset *rs, int node, int *reads, int *n)
{
    const qc__node *x = &rs->prog.nodes[node];
    switch (x->op) {
    case OP_CONST: case OP_TODAY: case OP_FIELD: case OP_HAS: return;
    case OP_FACT:
        for (int i = 0; i < *n; i++)
            if (reads[i] == x->slot) return;
        reads[(*n)++] = x->slot;
        return;
    case OP_IN: case OP_NOT: case OP_NEG: collect_reads(rs, x->a, reads, n); return;
    case OP_BETWEEN: collect_reads(rs, x->c, reads, n); /* fall through */
    default: collect_reads(rs, x->a, reads, n); collect_reads(rs, x->b, reads, n); return;
    }
}

static void compile_scope(compiler *C, qc__rule *r, ynode y, const char *rule_path)
{
    loader *L = C->L;
    char path[96];
    snprintf(path, sizeof path, "%s.scope", rule_path);
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "must be a mapping (lines:, types:, levels:, offices:)"); return; }
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[128];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key) continue;
        if (!strcmp(key, "lines")) r->lines = qc__c_word_list(C, v, sub, &r->nlines);
        else if (!strcmp(key, "types")) r->types = qc__c_word_list(C, v, sub, &r->ntypes);
        else if (!strcmp(key, "offices")) r->offices = qc__c_word_list(C, v, sub, &r->noffices);
        else if (!strcmp(key, "levels")) r->levels = qc__c_level_bits(C, v, sub);
        else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (lines, types, levels, offices)", key);
    }
}

void qc__compile_rules(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    rs->rules = qc__arena_alloc(C->arena, sizeof *rs->rules * (size_t)(L->nrules ? L->nrules : 1));
    for (int i = 0; i < L->nrules; i++) {
        if (!L->rule_ids[i]) continue; /* disabled by a child */
        ynode y = L->rules[i];
        qc__rule *r = &rs->rules[rs->nrules];
        char path[96];
        snprintf(path, sizeof path, "classify[%d]", rs->nrules);
        r->id = qc__c_dup(C, L->rule_ids[i]);
        r->line = line_of(y);
        r->col = col_of(y);
        r->label = -1;
        r->root = -1;
        ynode when = {0};
        bool saw_label = false;
        for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
            ynode k = child(y, p->key), v = child(y, p->value);
            const char *key = scalar(k), *val = scalar(v);
            char sub[128];
            snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
            if (!key || !strcmp(key, "id") || !strcmp(key, "description")) continue;
            if (!strcmp(key, "label")) {
                saw_label = true;
                if (!val || (r->label = qc__c_find_label(rs, val)) < 0)
                    DIAG(L, v, QC_EUNKNOWN, sub, "unknown label '%s'", val ? val : "?");
                else if (r->label == rs->fallback)
                    DIAG(L, v, QC_EVALUE, sub, "'%s' is the fallback label: no rule gives it, cases get it when no rule matches", val);
            } else if (!strcmp(key, "when")) {
                when = v;
            } else if (!strcmp(key, "cite")) {
                r->cite = qc__c_dup(C, val);
            } else if (!strcmp(key, "scope")) {
                compile_scope(C, r, v, path);
                r->scoped = true;
            } else {
                DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (id, label, when, scope, cite, description)", key);
            }
        }
        if (!saw_label) DIAG(L, y, QC_EMISSING, path, "a rule needs a label");
        const char *text = scalar(when);
        char wpath[128];
        snprintf(wpath, sizeof wpath, "%s.when", path);
        if (!when.n) {
            DIAG(L, y, QC_EMISSING, path, "a rule needs a when: condition");
        } else if (!text) {
            DIAG(L, when, QC_ETYPE, wpath, "a condition is one line of text");
        } else {
            /* a plain scalar starts where its mark is; a quoted one a
             * character later */
            long col = col_of(when) + (when.n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1);
            r->when = qc__c_dup(C, text);
            if (qc__expr_compile(&rs->prog, C->arena, r->when, when.d->file, line_of(when), col, wpath, L->diag, &r->root) == QC_OK) {
                /* each declared fact at most once: room for all of them */
                int *reads = qc__arena_alloc(C->arena, sizeof *reads * (size_t)(rs->prog.nfacts + 1)), n = 0;
                if (!reads) qc__diag_add(L->diag, QC_ENOMEM, when.d->file, line_of(when), col, wpath, "out of memory");
                else collect_reads(rs, r->root, reads, &n);
                r->reads = reads;
                r->nreads = n;
                for (int k = 0; k < n; k++) r->reads_strict |= rs->prog.facts[reads[k]].missing == MISSING_ERROR;
            }
        }
        rs->nrules++;
    }
    if (rs->nrules == 0 && rs->nlabels)
        qc__diag_add(L->diag, QC_EMISSING, L->docs[0]->file, 0, 0, "classify", "no rules: every case would be %s",
                     rs->fallback >= 0 ? rs->labels[rs->fallback].id : "unlabelled");
}

void qc__compile_weights(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    rs->per_defendant_fact = -1;
    const char *combine = scalar(L->combine);
    if (L->combine.n) {
        if (combine && !strcmp(combine, "max")) rs->combine = COMBINE_MAX;
        else if (combine && !strcmp(combine, "sum")) rs->combine = COMBINE_SUM;
        else if (combine && !strcmp(combine, "product")) rs->combine = COMBINE_PRODUCT;
        else DIAG(L, L->combine, QC_EVALUE, "weights.combine", "is max, sum or product");
    }
    for (int i = 0; i < L->nweight_labels; i++) {
        char path[96];
        snprintf(path, sizeof path, "weights.labels.%s", L->weight_label_keys[i]);
        int l = qc__c_find_label(rs, L->weight_label_keys[i]);
        double w;
        if (l < 0) DIAG(L, L->weight_labels[i], QC_EUNKNOWN, path, "unknown label '%s'", L->weight_label_keys[i]);
        else if (!qc__c_parse_number(scalar(L->weight_labels[i]), &w) || w < 0)
            DIAG(L, L->weight_labels[i], QC_ETYPE, path, "a weight is a number >= 0");
        else rs->labels[l].weight = w;
    }
    rs->type_weights = qc__arena_alloc(C->arena, sizeof *rs->type_weights * (size_t)(L->nweight_types ? L->nweight_types : 1));
    for (int i = 0; i < L->nweight_types; i++) {
        char path[96];
        snprintf(path, sizeof path, "weights.types.%s", L->weight_type_keys[i]);
        double w;
        if (!qc__c_parse_number(scalar(L->weight_types[i]), &w) || w < 0) {
            DIAG(L, L->weight_types[i], QC_ETYPE, path, "a factor is a number >= 0");
            continue;
        }
        rs->type_weights[rs->ntype_weights].type = qc__c_dup(C, L->weight_type_keys[i]);
        rs->type_weights[rs->ntype_weights++].factor = w;
    }
    ynode pd = L->per_defendant;
    if (pd.n) {
        if (pd.n->type != YAML_MAPPING_NODE) { DIAG(L, pd, QC_ETYPE, "weights.per_defendant", "must be {fact:, each:, max:}"); return; }
        rs->per_defendant_max = 1e9;
        for (yaml_node_pair_t *p = pd.n->data.mapping.pairs.start; p < pd.n->data.mapping.pairs.top; p++) {
            ynode k = child(pd, p->key), v = child(pd, p->value);
            const char *key = scalar(k), *val = scalar(v);
            if (!key) continue;
            if (!strcmp(key, "fact")) {
                int f = val ? qc__find_name((const char *const *)L->fact_names, L->nfacts, val) : -1;
                if (f < 0) DIAG(L, v, QC_EUNKNOWN, "weights.per_defendant.fact", "unknown fact '%s'", val ? val : "?");
                else if (rs->prog.facts[f].type != X_INT) DIAG(L, v, QC_ETYPE, "weights.per_defendant.fact", "'%s' must be an int fact", val);
                else rs->per_defendant_fact = f;
            } else if (!strcmp(key, "each")) {
                if (!qc__c_parse_number(val, &rs->per_defendant_each) || rs->per_defendant_each < 0)
                    DIAG(L, v, QC_ETYPE, "weights.per_defendant.each", "is a number >= 0");
            } else if (!strcmp(key, "max")) {
                if (!qc__c_parse_number(val, &rs->per_defendant_max) || rs->per_defendant_max < 1)
                    DIAG(L, v, QC_ETYPE, "weights.per_defendant.max", "is a number >= 1");
            } else DIAG(L, k, QC_EUNKNOWN, "weights.per_defendant", "unknown key '%s' (fact, each, max)", key);
        }
        if (rs->per_defendant_fact < 0 && !L->diag->n) DIAG(L, pd, QC_EMISSING, "weights.per_defendant", "needs fact:");
    }
}

void qc__compile_names(compiler *C)
{
    qc__ruleset *rs = C->rs;
    rs->names = qc__arena_alloc(C->arena, sizeof *rs->names * (size_t)(C->L->nnames + rs->nlabels + 1));
    for (int i = 0; i < rs->nlabels; i++)
        rs->names[rs->nnames++] = (qc__name){"label", rs->labels[i].id, rs->labels[i].zh, rs->labels[i].en};
    for (int i = 0; i < C->L->nnames; i++) {
        qc__name *n = &rs->names[rs->nnames];
        char path[64];
        snprintf(path, sizeof path, "%s[%d]", C->L->name_kinds[i], i);
        *n = (qc__name){0};
        if (!read_named(C, C->L->names[i], path, &n->id, &n->zh, &n->en, NULL)) continue;
        /* the section "roles" names roles, "lines" lines, "acts" acts, "steps" steps, "duties" duties */
        const char *section = C->L->name_kinds[i];
        n->kind = !strcmp(section, "roles") ? "role" : !strcmp(section, "lines") ? "line" : !strcmp(section, "steps") ? "step"
                  : !strcmp(section, "duties") ? "duty" : "act";
        /* a child's entry replaces the parent's of the same id */
        int j;
        for (j = 0; j < rs->nnames; j++)
            if (!strcmp(rs->names[j].kind, n->kind) && !strcmp(rs->names[j].id, n->id)) break;
        if (j < rs->nnames) rs->names[j] = *n;
        else rs->nnames++;
    }
}

/* applies_to: {offices: [LN, ...], with_descendants: true|false}: the
 * place a rule set governs, beside the dates.  Absent: everywhere. */
static void compile_applies_to(compiler *C, ynode y)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    rs->applies_descendants = true;
    if (!y.n) return;
    rs->applies_line = line_of(y);
    rs->applies_col = col_of(y);
    if (y.n->type != YAML_MAPPING_NODE) {
        DIAG(L, y, QC_ETYPE, "applies_to", "must be a mapping {offices: [ID, ...], with_descendants: true|false}");
        return;
    }
    bool saw_offices = false;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k), *val = scalar(v);
        if (!key) continue;
        if (!strcmp(key, "offices")) {
            saw_offices = true;
            rs->applies_offices = qc__c_word_list(C, v, "applies_to.offices", &rs->napplies);
        } else if (!strcmp(key, "with_descendants")) {
            if (val && (!strcmp(val, "true") || !strcmp(val, "false"))) rs->applies_descendants = val[0] == 't';
            else DIAG(L, v, QC_ETYPE, "applies_to.with_descendants", "is true or false");
        } else {
            DIAG(L, k, QC_EUNKNOWN, "applies_to", "unknown key '%s' (offices, with_descendants)", key);
        }
    }
    if (!saw_offices) DIAG(L, y, QC_EMISSING, "applies_to.offices", "names the offices the rule set governs");
}

void qc__compile_header(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    const char *file = L->docs[0]->file;
    rs->file = qc__c_dup(C, file);
    const char *fmt = scalar(L->header[H_FORMAT]);
    if (L->header[H_FORMAT].n && (!fmt || strcmp(fmt, "1")))
        DIAG(L, L->header[H_FORMAT], QC_EVALUE, "format", "this library reads format 1");
    /* header values are text: a list or mapping is an error, not nothing */
    for (int h = 0; h < H_COUNT; h++)
        if (h != H_APPLIES_TO && L->header[h].n && !scalar(L->header[h]))
            DIAG(L, L->header[h], QC_ETYPE, qc__header_keys[h], "must be text, not a list or mapping");
    rs->name = qc__c_dup(C, scalar(L->header[H_NAME]));
    rs->version = qc__c_dup(C, scalar(L->header[H_VERSION]));
    rs->description = qc__c_dup(C, scalar(L->header[H_DESCRIPTION]));
    if (!rs->name || !qc__is_token(rs->name))
        qc__diag_add(L->diag, QC_EMISSING, file, L->header[H_NAME].n ? line_of(L->header[H_NAME]) : 0,
                     L->header[H_NAME].n ? col_of(L->header[H_NAME]) : 0, "name", "a rule set needs a name (a word)");
    if (!rs->version || !*rs->version)
        qc__diag_add(L->diag, QC_EMISSING, file, 0, 0, "version", "a rule set needs a version");
    const char *kind = scalar(L->header[H_KIND]);
    if (kind && !strcmp(kind, "court")) rs->kind = QC_OFFICE_COURT;
    else if (kind && !strcmp(kind, "procuratorate")) rs->kind = QC_OFFICE_PROCURATORATE;
    else if (kind && strcmp(kind, "both")) DIAG(L, L->header[H_KIND], QC_EVALUE, "kind", "is court, procuratorate or both");
    /* what a label given by hand (a designation) does to the rules' own */
    const char *manual = scalar(L->header[H_MANUAL_LABELS]);
    if (manual && !strcmp(manual, "replace")) rs->manual_replaces = true;
    else if (manual && strcmp(manual, "add"))
        DIAG(L, L->header[H_MANUAL_LABELS], QC_EVALUE, "manual_labels", "is add or replace, not '%s'", manual);
    rs->effective_from = INT64_MIN;
    rs->effective_to = INT64_MAX;
    if (!L->header[H_FROM].n)
        qc__diag_add(L->diag, QC_EMISSING, file, 0, 0, "effective_from", "a rule set needs the date it takes effect (YYYY-MM-DD)");
    else if (!qc__c_parse_date(scalar(L->header[H_FROM]), &rs->effective_from))
        DIAG(L, L->header[H_FROM], QC_EDATE, "effective_from", "invalid date '%s'", scalar(L->header[H_FROM]) ? scalar(L->header[H_FROM]) : "?");
    const char *to = scalar(L->header[H_TO]);
    bool open_end = !to || !*to || !strcmp(to, "~") || !strcmp(to, "null");
    if (L->header[H_TO].n && !open_end && !qc__c_parse_date(to, &rs->effective_to))
        DIAG(L, L->header[H_TO], QC_EDATE, "effective_to", "invalid date '%s'", scalar(L->header[H_TO]) ? scalar(L->header[H_TO]) : "?");
    else if (rs->effective_to < rs->effective_from)
        DIAG(L, L->header[H_TO], QC_EDATE, "effective_to", "is before effective_from");
    compile_applies_to(C, L->header[H_APPLIES_TO]);
    rs->citations = qc__arena_alloc(C->arena, sizeof *rs->citations * (size_t)(L->ncitations ? L->ncitations : 1));
    for (int i = 0; i < L->ncitations; i++) {
        const char *c = scalar(L->citations[i]);
        if (c) rs->citations[rs->ncitations++] = qc__c_dup(C, c);
        else DIAG(L, L->citations[i], QC_ETYPE, "citations", "entry %d must be text, not a list or mapping", i);
    }
}
