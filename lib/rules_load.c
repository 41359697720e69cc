/*
 * rules_load.c - reading rule files (YAML) into compiled rule sets.
 *
 * A file may `extends:` another (a national file under a provincial one,
 * a provincial under a local one).  Loading first merges the chain, child
 * over parent, section by section (the resolution order of docs/rules.md),
 * keeping every YAML node with the file it came from; then it compiles the
 * merged set: facts, labels, display names, rules (each `when` through
 * expr.c), weights.  Every problem found is recorded with file:line:col and
 * the path of the value (classify[3].when), up to QC_MAX_DIAGNOSTICS, and
 * the whole load fails if there was any: a rule set is never half-loaded,
 * and a qc_rules that failed to take a file is as it was before.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "rules_internal.h"
#include "yamlread.h"

#define MAX_EXTENDS_DEPTH 8

/* ---- YAML documents of a chain ---- */

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
    ynode assess_vals[16];
    const char *assess_keys[16];
    int nassess;
} loader;

static const char *const header_keys[] = {
    "format", "name", "version", "kind", "effective_from", "effective_to", "description", "extends",
};
enum { H_FORMAT, H_NAME, H_VERSION, H_KIND, H_FROM, H_TO, H_DESCRIPTION, H_EXTENDS, H_COUNT };

static const char *const section_keys[] = {"facts", "labels", "classify", "weights", "roles", "lines", "acts", "citations", "assessment"};

static long line_of(ynode y) { return (long)y.n->start_mark.line + 1; }
static long col_of(ynode y) { return (long)y.n->start_mark.column + 1; }

#define DIAG(L, y, code, path, ...) \
    qc__diag_add((L)->diag, code, (y).d->file, line_of(y), col_of(y), path, __VA_ARGS__)

static const char *scalar(ynode y)
{
    return y.n && y.n->type == YAML_SCALAR_NODE ? (const char *)y.n->data.scalar.value : NULL;
}

static ynode child(ynode y, int index) { return (ynode){y.d, yaml_document_get_node(&y.d->doc, index)}; }

static void free_doc(ydoc *d)
{
    if (!d) return;
    yaml_document_delete(&d->doc);
    free(d->file);
    free(d->text);
    free(d);
}

/* Parse text (NUL-terminated, size bytes) named file into a document:
 * libyaml's events, checked (yamlread.h): bounded depth and aliases, no
 * NUL in a value, no key given twice. */
static ydoc *parse_doc(loader *L, char *text, size_t size, const char *file)
{
    ydoc *d = calloc(1, sizeof *d);
    if (!d || !(d->file = strdup(file))) {
        free(d);
        free(text);
        qc__diag_add(L->diag, QC_ENOMEM, file, 0, 0, NULL, "out of memory");
        return NULL;
    }
    d->text = text;
    qc__input in;
    qc__yaml_problem problem;
    qc__input_memory(&in, file, text, size, true);
    if (qc__yaml_load(&d->doc, &in, QC_YAML_RULES_DEPTH, &problem) < 0) {
        qc__diag_add(L->diag, problem.code, file, problem.line, problem.col, NULL, "%s", problem.message);
        free_doc(d);
        return NULL;
    }
    yaml_node_t *root = yaml_document_get_root_node(&d->doc);
    if (!root || root->type != YAML_MAPPING_NODE || root->data.mapping.pairs.start == root->data.mapping.pairs.top) {
        qc__diag_add(L->diag, root ? QC_ETYPE : QC_EEMPTY, file, root ? (long)root->start_mark.line + 1 : 0,
                     root ? (long)root->start_mark.column + 1 : 0, NULL,
                     root ? "a rule file is a mapping (name:, version:, facts:, labels:, classify:, ...)" : "empty rule file");
        free_doc(d);
        return NULL;
    }
    return d;
}

/* Whether a mapping looks like a rule file: it has name: or format:.  A
 * file that is extended must, before any of its keys is quoted in an
 * error (extends: /etc/shadow must not print that file's lines). */
static bool looks_like_rules(ynode root)
{
    for (yaml_node_pair_t *p = root.n->data.mapping.pairs.start; p < root.n->data.mapping.pairs.top; p++) {
        const char *key = scalar(child(root, p->key));
        if (key && (!strcmp(key, "name") || !strcmp(key, "format"))) return true;
    }
    return false;
}

/* What extends: may name: a .yaml or .yml file, relative to the file that
 * extends it unless the rule set allows absolute paths. */
static bool extends_allowed(loader *L, ynode v, const char *rel)
{
    const char *dot = strrchr(rel, '.');
    if (!dot || (strcmp(dot, ".yaml") && strcmp(dot, ".yml"))) {
        DIAG(L, v, QC_EVALUE, "extends", "'%.200s' is not a rule file name (.yaml or .yml)", rel);
        return false;
    }
    if (rel[0] == '/' && !L->allow_absolute_extends) {
        DIAG(L, v, QC_EVALUE, "extends",
             "'%.200s' is an absolute path: name the file relative to this one (or allow absolute paths: "
             "qc_rules_set_option(rules, QC_RULES_ABSOLUTE_EXTENDS, 1), quotacase --allow-absolute-extends)", rel);
        return false;
    }
    return true;
}

/* The file `rel` names, relative to the directory of `from`. */
static char *sibling_path(const char *from, const char *rel)
{
    if (rel[0] == '/') return strdup(rel);
    const char *slash = strrchr(from, '/');
    size_t dir = slash ? (size_t)(slash - from + 1) : 0;
    char *p = malloc(dir + strlen(rel) + 1);
    if (!p) return NULL;
    memcpy(p, from, dir);
    strcpy(p + dir, rel);
    return p;
}

/* ---- merging a document into the view ---- */

static int find_name(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (names[i] && !strcmp(names[i], name)) return i;
    return -1;
}

/* Merge a mapping into keys/vals, a child's entry replacing the parent's
 * of the same key (facts, weights, assessment settings). */
static void merge_map(loader *L, ynode map, const char *path, ynode *vals, const char **keys, int *n, int max)
{
    if (map.n->type != YAML_MAPPING_NODE) {
        DIAG(L, map, QC_ETYPE, path, "must be a mapping");
        return;
    }
    for (yaml_node_pair_t *p = map.n->data.mapping.pairs.start; p < map.n->data.mapping.pairs.top; p++) {
        ynode k = child(map, p->key);
        const char *key = scalar(k);
        if (!key) {
            DIAG(L, k, QC_ETYPE, path, "keys are words");
            continue;
        }
        int i = find_name(keys, *n, key);
        if (i < 0) {
            if (*n == max) {
                DIAG(L, k, QC_ETOOLONG, path, "more than %d entries", max);
                return;
            }
            i = (*n)++;
            keys[i] = key;
        }
        vals[i] = child(map, p->value);
    }
}

static void merge_rules(loader *L, ynode seq)
{
    if (seq.n->type != YAML_SEQUENCE_NODE) {
        DIAG(L, seq, QC_ETYPE, "classify", "must be a list of rules");
        return;
    }
    int index = 0;
    for (yaml_node_item_t *it = seq.n->data.sequence.items.start; it < seq.n->data.sequence.items.top; it++, index++) {
        ynode r = child(seq, *it);
        char path[64];
        snprintf(path, sizeof path, "classify[%d]", index);
        if (r.n->type != YAML_MAPPING_NODE) { DIAG(L, r, QC_ETYPE, path, "a rule is a mapping (id:, label:, when:, ...)"); continue; }
        const char *id = NULL;
        bool disable = false;
        for (yaml_node_pair_t *p = r.n->data.mapping.pairs.start; p < r.n->data.mapping.pairs.top; p++) {
            const char *key = scalar(child(r, p->key)), *val = scalar(child(r, p->value));
            if (key && !strcmp(key, "id")) id = val;
            if (key && !strcmp(key, "disable") && val && !strcmp(val, "true")) disable = true;
        }
        if (!id || !*id) { DIAG(L, r, QC_EMISSING, path, "a rule needs an id"); continue; }
        int i = find_name(L->rule_ids, L->nrules, id);
        bool same_doc = i >= 0 && L->rules[i].d == r.d;
        if (same_doc) {
            char p2[96];
            snprintf(p2, sizeof p2, "%s.id", path);
            DIAG(L, r, QC_EEXIST, p2, "duplicate rule id '%s' (also at line %ld)", id, line_of(L->rules[i]));
            continue;
        }
        if (disable) { /* a child removes an inherited rule */
            if (i < 0) DIAG(L, r, QC_EUNKNOWN, path, "disables '%s', which no file it extends defines", id);
            else L->rule_ids[i] = NULL;
            continue;
        }
        if (i < 0) {
            if (L->nrules == (int)QC__ARRAY_LEN(L->rules)) { DIAG(L, r, QC_ETOOLONG, path, "more than 1024 rules"); return; }
            i = L->nrules++;
        }
        L->rule_ids[i] = id;
        L->rules[i] = r;
    }
}

static void merge_names(loader *L, ynode seq, const char *kind)
{
    if (seq.n->type != YAML_SEQUENCE_NODE) {
        DIAG(L, seq, QC_ETYPE, kind, "must be a list of {id:, zh:, en:}");
        return;
    }
    for (yaml_node_item_t *it = seq.n->data.sequence.items.start; it < seq.n->data.sequence.items.top; it++) {
        if (L->nnames == (int)QC__ARRAY_LEN(L->names)) return;
        L->names[L->nnames] = child(seq, *it);
        L->name_kinds[L->nnames++] = kind;
    }
}

static void merge_weights(loader *L, ynode map)
{
    if (map.n->type != YAML_MAPPING_NODE) {
        DIAG(L, map, QC_ETYPE, "weights", "must be a mapping (combine:, labels:, types:, per_defendant:)");
        return;
    }
    for (yaml_node_pair_t *p = map.n->data.mapping.pairs.start; p < map.n->data.mapping.pairs.top; p++) {
        ynode k = child(map, p->key), v = child(map, p->value);
        const char *key = scalar(k);
        if (!key) continue;
        if (!strcmp(key, "combine")) L->combine = v;
        else if (!strcmp(key, "per_defendant")) L->per_defendant = v;
        else if (!strcmp(key, "labels"))
            merge_map(L, v, "weights.labels", L->weight_labels, L->weight_label_keys, &L->nweight_labels, 64);
        else if (!strcmp(key, "types"))
            merge_map(L, v, "weights.types", L->weight_types, L->weight_type_keys, &L->nweight_types, 128);
        else DIAG(L, k, QC_EUNKNOWN, "weights", "unknown key '%s' (combine, labels, types, per_defendant)", key);
    }
}

/* Merge document d (already parsed) over the view. */
static void merge_doc(loader *L, ydoc *d)
{
    ynode root = {d, yaml_document_get_root_node(&d->doc)};
    for (yaml_node_pair_t *p = root.n->data.mapping.pairs.start; p < root.n->data.mapping.pairs.top; p++) {
        ynode k = child(root, p->key), v = child(root, p->value);
        const char *key = scalar(k);
        if (!key) { DIAG(L, k, QC_ETYPE, NULL, "keys of a rule file are words"); continue; }
        int h = find_name(header_keys, H_COUNT, key);
        if (h >= 0) { L->header[h] = v; continue; }
        if (!strcmp(key, "facts")) merge_map(L, v, "facts", L->facts, L->fact_names, &L->nfacts, (int)QC__ARRAY_LEN(L->facts));
        else if (!strcmp(key, "labels")) L->labels = v;
        else if (!strcmp(key, "classify")) merge_rules(L, v);
        else if (!strcmp(key, "weights")) merge_weights(L, v);
        else if (!strcmp(key, "assessment"))
            merge_map(L, v, "assessment", L->assess_vals, L->assess_keys, &L->nassess, 16);
        else if (!strcmp(key, "roles") || !strcmp(key, "lines") || !strcmp(key, "acts")) merge_names(L, v, key);
        else if (!strcmp(key, "citations")) {
            if (v.n->type != YAML_SEQUENCE_NODE) { DIAG(L, v, QC_ETYPE, "citations", "must be a list"); continue; }
            for (yaml_node_item_t *it = v.n->data.sequence.items.start; it < v.n->data.sequence.items.top; it++) {
                if (L->ncitations == (int)QC__ARRAY_LEN(L->citations)) {
                    DIAG(L, v, QC_ETOOLONG, "citations", "more than %d entries", (int)QC__ARRAY_LEN(L->citations));
                    break;
                }
                L->citations[L->ncitations++] = child(v, *it);
            }
        } else {
            char known[300] = "";
            for (size_t i = 0; i < H_COUNT; i++) { strcat(known, header_keys[i]); strcat(known, ", "); }
            for (size_t i = 0; i < QC__ARRAY_LEN(section_keys); i++) { strcat(known, section_keys[i]); strcat(known, i + 1 < QC__ARRAY_LEN(section_keys) ? ", " : ""); }
            DIAG(L, k, QC_EUNKNOWN, NULL, "unknown key '%s' (%s)", key, known);
        }
    }
}

/* Load file (text, or read from path) and, first, everything it extends. */
static int load_chain(loader *L, const char *path, char *text, size_t size, int depth)
{
    if (depth > MAX_EXTENDS_DEPTH) {
        qc__diag_add(L->diag, QC_ERULES, path, 0, 0, "extends", "more than %d files extend each other", MAX_EXTENDS_DEPTH);
        free(text);
        return -1;
    }
    for (int i = 0; i < L->ndocs; i++)
        if (!strcmp(L->docs[i]->file, path)) {
            qc__diag_add(L->diag, QC_ERULES, path, 0, 0, "extends", "extends itself through %s", L->docs[L->ndocs - 1]->file);
            free(text);
            return -1;
        }
    if (!text && qc__read_file(path, QC_MAX_RULE_FILE_BYTES, "a rule file", &text, &size) < 0) {
        qc__diag_add(L->diag, qc_error_code(), NULL, 0, 0, NULL, "%s", qc_error_last());
        return -1;
    }
    ydoc *d = parse_doc(L, text, size, path);
    if (!d) return -1;
    L->docs[L->ndocs++] = d;
    if (depth > 0 && !looks_like_rules((ynode){d, yaml_document_get_root_node(&d->doc)})) {
        qc__diag_add(L->diag, QC_ERULES, path, 0, 0, NULL, "not a rule file (it has no name: or format:)");
        return -1;
    }
    /* the parent first, so that this file's sections override it */
    ynode root = {d, yaml_document_get_root_node(&d->doc)};
    for (yaml_node_pair_t *p = root.n->data.mapping.pairs.start; p < root.n->data.mapping.pairs.top; p++) {
        const char *key = scalar(child(root, p->key));
        if (!key || strcmp(key, "extends")) continue;
        ynode v = child(root, p->value);
        const char *rel = scalar(v);
        if (!rel || !*rel) { DIAG(L, v, QC_ETYPE, "extends", "names one rule file"); return -1; }
        if (!extends_allowed(L, v, rel)) return -1;
        char *parent = sibling_path(path, rel);
        if (!parent) return -1;
        int rc = load_chain(L, parent, NULL, 0, depth + 1);
        if (rc < 0 && L->diag->n && !strstr(L->diag->messages[L->diag->n - 1], "extends"))
            DIAG(L, v, QC_ERULES, "extends", "the file '%s' it extends has errors (above)", rel);
        free(parent);
        if (rc < 0) return -1;
    }
    merge_doc(L, d);
    return 0;
}

/* ---- compiling the merged view ---- */

typedef struct compiler {
    loader *L;
    qc__ruleset *rs;
    qc__arena *arena;
} compiler;

static const char *dup(compiler *C, const char *s) { return s ? qc__arena_strdup(C->arena, s) : NULL; }

static bool parse_number(const char *s, double *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v)) return false;
    *out = v;
    return true;
}

static bool parse_date(const char *s, int64_t *out) { return s && qc_date_parse(out, s) == QC_OK; }

/* Read a fact's default value text into v for its type. */
static bool parse_default(compiler *C, qc__fact_def *f, const char *text, qc__xvalue *v)
{
    double d;
    switch (f->type) {
    case X_BOOL:
        if (!strcmp(text, "true") || !strcmp(text, "false")) { v->i = text[0] == 't'; return true; }
        return false;
    case X_INT:
        if (!parse_number(text, &d) || d != floor(d) || fabs(d) > 9e15) return false;
        v->i = (int64_t)d;
        return true;
    case X_DEC:
        if (!parse_number(text, &d)) return false;
        v->d = d;
        return true;
    case X_DATE: return parse_date(text, &v->i);
    case X_STR: v->s = dup(C, text); return true;
    case X_ENUM:
        for (int i = 0; i < f->nvalues; i++)
            if (!strcmp(f->values[i], text)) { v->i = i; return true; }
        return false;
    }
    return false;
}

static void compile_fact(compiler *C, int i)
{
    loader *L = C->L;
    ynode y = L->facts[i];
    qc__fact_def *f = &C->rs->prog.facts[i];
    char path[128];
    snprintf(path, sizeof path, "facts.%s", L->fact_names[i]);
    f->name = dup(C, L->fact_names[i]);
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
            f->values[f->nvalues++] = dup(C, s);
        }
    } else if (values.n) {
        DIAG(L, values, QC_ETYPE, path, "only enum facts have values");
    }
    if (min.n || max.n) {
        if (f->type != X_INT && f->type != X_DEC) DIAG(L, min.n ? min : max, QC_ETYPE, path, "min and max are for int and decimal facts");
        if (min.n && !(f->has_min = parse_number(scalar(min), &f->min))) DIAG(L, min, QC_ETYPE, path, "min must be a number");
        if (max.n && !(f->has_max = parse_number(scalar(max), &f->max))) DIAG(L, max, QC_ETYPE, path, "max must be a number");
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
        *id = dup(C, scalar(y));
        return qc__is_token(*id) || (DIAG(L, y, QC_EVALUE, path, "'%s' is not a word", *id), false);
    }
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "expected {id:, zh:, en:}"); return false; }
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k), *val = scalar(v);
        if (!key) continue;
        if (!strcmp(key, "id")) *id = dup(C, val);
        else if (!strcmp(key, "zh")) *zh = dup(C, val);
        else if (!strcmp(key, "en")) *en = dup(C, val);
        else if (!strcmp(key, "fallback") && fallback) *fallback = val && !strcmp(val, "true");
        else if (strcmp(key, "description") && strcmp(key, "cite"))
            DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (id, zh, en%s)", key, fallback ? ", fallback" : "");
    }
    if (!*id || !qc__is_token(*id)) { DIAG(L, y, QC_EMISSING, path, "needs an id (a word)"); return false; }
    return true;
}

static void compile_labels(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    rs->fallback = -1;
    if (!L->labels.n) {
        qc__diag_add(L->diag, QC_EMISSING, L->docs[L->ndocs - 1]->file, 0, 0, "labels",
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

static int find_label(const qc__ruleset *rs, const char *id)
{
    for (int i = 0; i < rs->nlabels; i++)
        if (!strcmp(rs->labels[i].id, id)) return i;
    return -1;
}

/* A list of words: `[a, b]` or a single word. */
static const char **word_list(compiler *C, ynode y, const char *path, int *n)
{
    loader *L = C->L;
    *n = 0;
    if (y.n->type == YAML_SCALAR_NODE) {
        const char **out = qc__arena_alloc(C->arena, sizeof *out);
        out[(*n)++] = dup(C, scalar(y));
        return out;
    }
    if (y.n->type != YAML_SEQUENCE_NODE) { DIAG(L, y, QC_ETYPE, path, "expected a list of words"); return NULL; }
    int count = (int)(y.n->data.sequence.items.top - y.n->data.sequence.items.start);
    const char **out = qc__arena_alloc(C->arena, sizeof *out * (size_t)(count ? count : 1));
    for (int i = 0; i < count; i++) {
        ynode v = child(y, y.n->data.sequence.items.start[i]);
        const char *s = scalar(v);
        if (!s || !qc__is_token(s)) { DIAG(L, v, QC_EVALUE, path, "expected a word"); continue; }
        out[(*n)++] = dup(C, s);
    }
    if (!*n) DIAG(L, y, QC_ECONST, path, "an empty scope matches no case");
    return out;
}

/* Office levels ([city, basic], or the courts' words) as bits 1 << level. */
static unsigned level_bits(compiler *C, ynode v, const char *path)
{
    int n;
    unsigned bits = 0;
    const char **levels = word_list(C, v, path, &n);
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
        if (!strcmp(key, "lines")) r->lines = word_list(C, v, sub, &r->nlines);
        else if (!strcmp(key, "types")) r->types = word_list(C, v, sub, &r->ntypes);
        else if (!strcmp(key, "offices")) r->offices = word_list(C, v, sub, &r->noffices);
        else if (!strcmp(key, "levels")) r->levels = level_bits(C, v, sub);
        else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (lines, types, levels, offices)", key);
    }
}

static void compile_rules(compiler *C)
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
        r->id = dup(C, L->rule_ids[i]);
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
                if (!val || (r->label = find_label(rs, val)) < 0)
                    DIAG(L, v, QC_EUNKNOWN, sub, "unknown label '%s'", val ? val : "?");
                else if (r->label == rs->fallback)
                    DIAG(L, v, QC_EVALUE, sub, "'%s' is the fallback label: no rule gives it, cases get it when no rule matches", val);
            } else if (!strcmp(key, "when")) {
                when = v;
            } else if (!strcmp(key, "cite")) {
                r->cite = dup(C, val);
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
            r->when = dup(C, text);
            if (qc__expr_compile(&rs->prog, C->arena, r->when, when.d->file, line_of(when), col, wpath, L->diag, &r->root) == QC_OK) {
                int reads[64], n = 0;
                collect_reads(rs, r->root, reads, &n);
                r->reads = qc__arena_alloc(C->arena, sizeof *r->reads * (size_t)(n ? n : 1));
                memcpy(r->reads, reads, sizeof *reads * (size_t)n);
                r->nreads = n;
                for (int k = 0; k < n; k++) r->reads_strict |= rs->prog.facts[reads[k]].missing == MISSING_ERROR;
            }
        }
        rs->nrules++;
    }
    if (rs->nrules == 0 && rs->nlabels)
        qc__diag_add(L->diag, QC_EMISSING, L->docs[L->ndocs - 1]->file, 0, 0, "classify", "no rules: every case would be %s",
                     rs->fallback >= 0 ? rs->labels[rs->fallback].id : "unlabelled");
}

static void compile_weights(compiler *C)
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
        int l = find_label(rs, L->weight_label_keys[i]);
        double w;
        if (l < 0) DIAG(L, L->weight_labels[i], QC_EUNKNOWN, path, "unknown label '%s'", L->weight_label_keys[i]);
        else if (!parse_number(scalar(L->weight_labels[i]), &w) || w < 0)
            DIAG(L, L->weight_labels[i], QC_ETYPE, path, "a weight is a number >= 0");
        else rs->labels[l].weight = w;
    }
    rs->type_weights = qc__arena_alloc(C->arena, sizeof *rs->type_weights * (size_t)(L->nweight_types ? L->nweight_types : 1));
    for (int i = 0; i < L->nweight_types; i++) {
        char path[96];
        snprintf(path, sizeof path, "weights.types.%s", L->weight_type_keys[i]);
        double w;
        if (!parse_number(scalar(L->weight_types[i]), &w) || w < 0) {
            DIAG(L, L->weight_types[i], QC_ETYPE, path, "a factor is a number >= 0");
            continue;
        }
        rs->type_weights[rs->ntype_weights].type = dup(C, L->weight_type_keys[i]);
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
                int f = val ? find_name((const char *const *)L->fact_names, L->nfacts, val) : -1;
                if (f < 0) DIAG(L, v, QC_EUNKNOWN, "weights.per_defendant.fact", "unknown fact '%s'", val ? val : "?");
                else if (rs->prog.facts[f].type != X_INT) DIAG(L, v, QC_ETYPE, "weights.per_defendant.fact", "'%s' must be an int fact", val);
                else rs->per_defendant_fact = f;
            } else if (!strcmp(key, "each")) {
                if (!parse_number(val, &rs->per_defendant_each) || rs->per_defendant_each < 0)
                    DIAG(L, v, QC_ETYPE, "weights.per_defendant.each", "is a number >= 0");
            } else if (!strcmp(key, "max")) {
                if (!parse_number(val, &rs->per_defendant_max) || rs->per_defendant_max < 1)
                    DIAG(L, v, QC_ETYPE, "weights.per_defendant.max", "is a number >= 1");
            } else DIAG(L, k, QC_EUNKNOWN, "weights.per_defendant", "unknown key '%s' (fact, each, max)", key);
        }
        if (rs->per_defendant_fact < 0 && !L->diag->n) DIAG(L, pd, QC_EMISSING, "weights.per_defendant", "needs fact:");
    }
}

static void compile_names(compiler *C)
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
        /* the section "roles" names roles, "lines" lines, "acts" acts */
        const char *section = C->L->name_kinds[i];
        n->kind = !strcmp(section, "roles") ? "role" : !strcmp(section, "lines") ? "line" : "act";
        /* a child's entry replaces the parent's of the same id */
        int j;
        for (j = 0; j < rs->nnames; j++)
            if (!strcmp(rs->names[j].kind, n->kind) && !strcmp(rs->names[j].id, n->id)) break;
        if (j < rs->nnames) rs->names[j] = *n;
        else rs->nnames++;
    }
}

static void compile_header(compiler *C)
{
    loader *L = C->L;
    qc__ruleset *rs = C->rs;
    const char *file = L->docs[L->ndocs - 1]->file;
    rs->file = dup(C, file);
    const char *fmt = scalar(L->header[H_FORMAT]);
    if (L->header[H_FORMAT].n && (!fmt || strcmp(fmt, "1")))
        DIAG(L, L->header[H_FORMAT], QC_EVALUE, "format", "this library reads format 1");
    /* header values are text: a list or mapping is an error, not nothing */
    for (int h = 0; h < H_COUNT; h++)
        if (L->header[h].n && !scalar(L->header[h]))
            DIAG(L, L->header[h], QC_ETYPE, header_keys[h], "must be text, not a list or mapping");
    rs->name = dup(C, scalar(L->header[H_NAME]));
    rs->version = dup(C, scalar(L->header[H_VERSION]));
    rs->description = dup(C, scalar(L->header[H_DESCRIPTION]));
    if (!rs->name || !qc__is_token(rs->name))
        qc__diag_add(L->diag, QC_EMISSING, file, L->header[H_NAME].n ? line_of(L->header[H_NAME]) : 0,
                     L->header[H_NAME].n ? col_of(L->header[H_NAME]) : 0, "name", "a rule set needs a name (a word)");
    if (!rs->version || !*rs->version)
        qc__diag_add(L->diag, QC_EMISSING, file, 0, 0, "version", "a rule set needs a version");
    const char *kind = scalar(L->header[H_KIND]);
    if (kind && !strcmp(kind, "court")) rs->kind = QC_OFFICE_COURT;
    else if (kind && !strcmp(kind, "procuratorate")) rs->kind = QC_OFFICE_PROCURATORATE;
    else if (kind && strcmp(kind, "both")) DIAG(L, L->header[H_KIND], QC_EVALUE, "kind", "is court, procuratorate or both");
    rs->effective_from = INT64_MIN;
    rs->effective_to = INT64_MAX;
    if (!L->header[H_FROM].n)
        qc__diag_add(L->diag, QC_EMISSING, file, 0, 0, "effective_from", "a rule set needs the date it takes effect (YYYY-MM-DD)");
    else if (!parse_date(scalar(L->header[H_FROM]), &rs->effective_from))
        DIAG(L, L->header[H_FROM], QC_EDATE, "effective_from", "invalid date '%s'", scalar(L->header[H_FROM]) ? scalar(L->header[H_FROM]) : "?");
    const char *to = scalar(L->header[H_TO]);
    bool open_end = !to || !*to || !strcmp(to, "~") || !strcmp(to, "null");
    if (L->header[H_TO].n && !open_end && !parse_date(to, &rs->effective_to))
        DIAG(L, L->header[H_TO], QC_EDATE, "effective_to", "invalid date '%s'", scalar(L->header[H_TO]) ? scalar(L->header[H_TO]) : "?");
    else if (rs->effective_to < rs->effective_from)
        DIAG(L, L->header[H_TO], QC_EDATE, "effective_to", "is before effective_from");
    rs->citations = qc__arena_alloc(C->arena, sizeof *rs->citations * (size_t)(L->ncitations ? L->ncitations : 1));
    for (int i = 0; i < L->ncitations; i++) {
        const char *c = scalar(L->citations[i]);
        if (c) rs->citations[rs->ncitations++] = dup(C, c);
        else DIAG(L, L->citations[i], QC_ETYPE, "citations", "entry %d must be text, not a list or mapping", i);
    }
}

static bool number_at(compiler *C, ynode y, const char *path, double lo, double hi, double *out)
{
    if (!parse_number(scalar(y), out) || *out < lo || *out > hi) {
        DIAG(C->L, y, QC_ETYPE, path, "expected a number from %g to %g", lo, hi);
        return false;
    }
    return true;
}

static void compile_quota(compiler *C, qc__quota *q, ynode y, const char *path)
{
    loader *L = C->L;
    q->focus_share = -1;
    q->line = line_of(y);
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "a quota is a mapping (roles:, levels:, min:, share:, ...)"); return; }
    bool any = false;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[128];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key) continue;
        if (!strcmp(key, "id")) q->id = dup(C, scalar(v));
        else if (!strcmp(key, "roles")) q->roles = word_list(C, v, sub, &q->nroles);
        else if (!strcmp(key, "offices")) q->offices = word_list(C, v, sub, &q->noffices);
        else if (!strcmp(key, "levels")) q->levels = level_bits(C, v, sub);
        else if (!strcmp(key, "min")) any |= number_at(C, v, sub, 0, 1e6, &q->min);
        else if (!strcmp(key, "share")) any |= number_at(C, v, sub, 0, 10, &q->share);
        else if (!strcmp(key, "max_share")) number_at(C, v, sub, 0, 10, &q->max_share);
        else if (!strcmp(key, "focus_share")) number_at(C, v, sub, 0, 1, &q->focus_share);
        else if (!strcmp(key, "of")) {
            const char *of = scalar(v);
            if (of && !strcmp(of, "department")) q->of_department = true;
            else if (!of || strcmp(of, "office")) DIAG(L, v, QC_EVALUE, sub, "is office or department");
        } else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (id, roles, levels, offices, min, share, max_share, of, focus_share)", key);
    }
    if (!q->id) q->id = dup(C, path);
    if (!any) DIAG(L, y, QC_EMISSING, path, "a quota needs min: or share:");
    if (q->max_share && q->max_share < q->share) DIAG(L, y, QC_ECONST, path, "max_share is below share");
}

static void compile_scores(compiler *C, ynode y, qc__score_spec *sc)
{
    loader *L = C->L;
    const char *path = "assessment.scores";
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "is a mapping (scheme:, grades:, map:, thresholds:, ...)"); return; }
    sc->present = true;
    sc->unreviewed = 1.0;
    sc->late_factor = 1.0;
    ynode grades = {0}, map = {0};
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[96];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key) continue;
        if (!strcmp(key, "scheme")) sc->scheme = dup(C, scalar(v));
        else if (!strcmp(key, "grades")) grades = v;
        else if (!strcmp(key, "map")) map = v;
        else if (!strcmp(key, "unreviewed")) number_at(C, v, sub, 0, 10, &sc->unreviewed);
        else if (!strcmp(key, "normalise") || !strcmp(key, "normalize")) {
            const char *n = scalar(v);
            if (n && !strcmp(n, "office")) sc->normalise_office = true;
            else if (!n || strcmp(n, "none")) DIAG(L, v, QC_EVALUE, sub, "is office or none");
        } else if (!strcmp(key, "timeliness") || !strcmp(key, "bonus") || !strcmp(key, "penalty") || !strcmp(key, "thresholds")) {
            if (v.n->type != YAML_MAPPING_NODE) { DIAG(L, v, QC_ETYPE, sub, "is a mapping"); continue; }
            for (yaml_node_pair_t *q = v.n->data.mapping.pairs.start; q < v.n->data.mapping.pairs.top; q++) {
                const char *k2 = scalar(child(v, q->key));
                ynode v2 = child(v, q->value);
                char sub2[128];
                snprintf(sub2, sizeof sub2, "%s.%s", sub, k2 ? k2 : "?");
                double *slot = NULL;
                if (!k2) continue;
                if (!strcmp(key, "timeliness")) slot = !strcmp(k2, "days") ? &sc->timely_days : !strcmp(k2, "late") ? &sc->late_factor : NULL;
                else if (!strcmp(key, "bonus")) slot = !strcmp(k2, "hard_case") ? &sc->bonus_hard : NULL;
                else if (!strcmp(key, "penalty")) slot = !strcmp(k2, "name_only") ? &sc->penalty_name_only : NULL;
                else slot = !strcmp(k2, "excellent") ? &sc->excellent : !strcmp(k2, "competent") ? &sc->competent
                          : !strcmp(k2, "basically_competent") ? &sc->basically_competent : NULL;
                if (!slot) DIAG(L, child(v, q->key), QC_EUNKNOWN, sub, "unknown key '%s'", k2);
                else number_at(C, v2, sub2, 0, 1e6, slot);
            }
        } else if (!strcmp(key, "consequences")) {
            if (v.n->type != YAML_SEQUENCE_NODE) { DIAG(L, v, QC_ETYPE, sub, "is a list of {grade:, periods:, outcome:}"); continue; }
            int n = (int)(v.n->data.sequence.items.top - v.n->data.sequence.items.start);
            sc->consequences = qc__arena_alloc(C->arena, sizeof *sc->consequences * (size_t)(n + 1));
            for (int i = 0; i < n; i++) {
                ynode c = child(v, v.n->data.sequence.items.start[i]);
                qc__consequence *q = &sc->consequences[sc->nconsequences];
                char sub2[128];
                snprintf(sub2, sizeof sub2, "%s[%d]", sub, i);
                if (c.n->type != YAML_MAPPING_NODE) { DIAG(L, c, QC_ETYPE, sub2, "is {grade:, periods:, outcome:}"); continue; }
                q->periods = 1;
                for (yaml_node_pair_t *r = c.n->data.mapping.pairs.start; r < c.n->data.mapping.pairs.top; r++) {
                    const char *k2 = scalar(child(c, r->key)), *v2 = scalar(child(c, r->value));
                    double periods;
                    if (k2 && !strcmp(k2, "grade")) q->grade = dup(C, v2);
                    else if (k2 && !strcmp(k2, "outcome")) q->outcome = dup(C, v2);
                    else if (k2 && !strcmp(k2, "periods") && number_at(C, child(c, r->value), sub2, 1, QC__MAX_CONSEQUENCE_PERIODS, &periods)) q->periods = (int)periods;
                    else if (!k2 || strcmp(k2, "periods")) DIAG(L, child(c, r->key), QC_EUNKNOWN, sub2, "unknown key '%s' (grade, periods, outcome)", k2 ? k2 : "?");
                }
                static const char *const grades_known[] = {"excellent", "competent", "basically_competent", "incompetent"};
                bool known = false;
                for (int g = 0; g < 4; g++) known |= q->grade && !strcmp(q->grade, grades_known[g]);
                if (!known) DIAG(L, c, QC_EVALUE, sub2, "grade is excellent, competent, basically_competent or incompetent");
                else if (!q->outcome) DIAG(L, c, QC_EMISSING, sub2, "needs an outcome (e.g. leaves_quota)");
                else sc->nconsequences++;
            }
        } else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (scheme, grades, map, unreviewed, timeliness, bonus, penalty, normalise, thresholds, consequences)", key);
    }
    if (!sc->scheme) { DIAG(L, y, QC_EMISSING, path, "name the grade scheme scores use (scheme: spp2026)"); return; }
    /* grades: {scheme: {grade: multiplier}}; map: {old_scheme: {old_grade: grade_of_scheme}} */
    int cap = 0;
    if (grades.n && grades.n->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = grades.n->data.mapping.pairs.start; p < grades.n->data.mapping.pairs.top; p++) {
            ynode v = child(grades, p->value);
            if (v.n->type == YAML_MAPPING_NODE) cap += (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
        }
    if (map.n && map.n->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = map.n->data.mapping.pairs.start; p < map.n->data.mapping.pairs.top; p++) {
            ynode v = child(map, p->value);
            if (v.n->type == YAML_MAPPING_NODE) cap += (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
        }
    sc->grades = qc__arena_alloc(C->arena, sizeof *sc->grades * (size_t)(cap + 1));
    for (int pass = 0; pass < 2; pass++) {
        ynode m = pass ? map : grades;
        if (!m.n) continue;
        if (m.n->type != YAML_MAPPING_NODE) { DIAG(L, m, QC_ETYPE, pass ? "assessment.scores.map" : "assessment.scores.grades", "is a mapping of schemes"); continue; }
        for (yaml_node_pair_t *p = m.n->data.mapping.pairs.start; p < m.n->data.mapping.pairs.top; p++) {
            const char *scheme = scalar(child(m, p->key));
            ynode v = child(m, p->value);
            char sub[128];
            snprintf(sub, sizeof sub, "assessment.scores.%s.%s", pass ? "map" : "grades", scheme ? scheme : "?");
            if (!scheme || v.n->type != YAML_MAPPING_NODE) { DIAG(L, v, QC_ETYPE, sub, "is a mapping of grades"); continue; }
            if (!pass && strcmp(scheme, sc->scheme)) { DIAG(L, child(m, p->key), QC_EVALUE, sub, "multipliers are given for the scheme scores use (%s); map other schemes to it under map:", sc->scheme); continue; }
            for (yaml_node_pair_t *q = v.n->data.mapping.pairs.start; q < v.n->data.mapping.pairs.top; q++) {
                const char *grade = scalar(child(v, q->key));
                qc__grade *g = &sc->grades[sc->ngrades];
                *g = (qc__grade){.scheme = dup(C, scheme), .grade = dup(C, grade)};
                char sub2[160];
                snprintf(sub2, sizeof sub2, "%s.%s", sub, grade ? grade : "?");
                if (!pass) {
                    if (!number_at(C, child(v, q->value), sub2, 0, 10, &g->multiplier)) continue;
                } else {
                    g->maps_to = dup(C, scalar(child(v, q->value)));
                    bool found = false;
                    for (int k = 0; k < sc->ngrades; k++)
                        found |= !sc->grades[k].maps_to && g->maps_to && !strcmp(sc->grades[k].grade, g->maps_to);
                    if (!found) { DIAG(L, child(v, q->value), QC_EUNKNOWN, sub2, "'%s' is not a grade of %s", g->maps_to ? g->maps_to : "?", sc->scheme); continue; }
                }
                sc->ngrades++;
            }
        }
    }
    if (!sc->ngrades) DIAG(L, y, QC_EMISSING, path, "grades: {%s: {grade: multiplier, ...}} is needed", sc->scheme);
}

static void compile_assessment(compiler *C)
{
    loader *L = C->L;
    qc__assess_spec *a = &C->rs->assess;
    if (!L->nassess) return;
    a->present = true;
    a->office_compliance = 1.0;
    for (int i = 0; i < L->nassess; i++) {
        const char *key = L->assess_keys[i];
        ynode v = L->assess_vals[i];
        char path[96];
        snprintf(path, sizeof path, "assessment.%s", key);
        if (!strcmp(key, "leaders")) a->leaders = word_list(C, v, path, &a->nleaders);
        else if (!strcmp(key, "handlers")) a->handlers = word_list(C, v, path, &a->nhandlers);
        else if (!strcmp(key, "hard_labels")) a->hard_labels = word_list(C, v, path, &a->nhard);
        else if (!strcmp(key, "chief_roles")) a->chief_roles = word_list(C, v, path, &a->nchief);
        else if (!strcmp(key, "credit_only")) a->credit_only = word_list(C, v, path, &a->ncredit);
        else if (!strcmp(key, "focus_share")) number_at(C, v, path, 0, 1, &a->focus_share);
        else if (!strcmp(key, "office_compliance")) number_at(C, v, path, 0, 1, &a->office_compliance);
        else if (!strcmp(key, "average_includes_leaders")) {
            const char *b = scalar(v);
            if (!b || (strcmp(b, "true") && strcmp(b, "false"))) DIAG(L, v, QC_ETYPE, path, "is true or false");
            else a->average_includes_leaders = b[0] == 't';
        } else if (!strcmp(key, "capacities")) {
            if (v.n->type != YAML_MAPPING_NODE) { DIAG(L, v, QC_ETYPE, path, "maps capacities to weights {lead: 1, member: 0.5}"); continue; }
            int n = (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
            a->capacity_names = qc__arena_alloc(C->arena, sizeof *a->capacity_names * (size_t)(n + 1));
            a->capacity_weights = qc__arena_alloc(C->arena, sizeof *a->capacity_weights * (size_t)(n + 1));
            for (yaml_node_pair_t *p = v.n->data.mapping.pairs.start; p < v.n->data.mapping.pairs.top; p++) {
                const char *name = scalar(child(v, p->key));
                double w;
                char sub[128];
                snprintf(sub, sizeof sub, "%s.%s", path, name ? name : "?");
                if (!name || !number_at(C, child(v, p->value), sub, 0, 10, &w)) continue;
                a->capacity_names[a->ncapacities] = dup(C, name);
                a->capacity_weights[a->ncapacities++] = w;
            }
        } else if (!strcmp(key, "personal")) {
            if (v.n->type != YAML_MAPPING_NODE) { DIAG(L, v, QC_ETYPE, path, "maps business lines to {all_of: [...], any_of: [...]}"); continue; }
            int n = (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
            a->personal = qc__arena_alloc(C->arena, sizeof *a->personal * (size_t)(n + 1));
            for (yaml_node_pair_t *p = v.n->data.mapping.pairs.start; p < v.n->data.mapping.pairs.top; p++) {
                ynode lk = child(v, p->key), lv = child(v, p->value);
                qc__personal *ps = &a->personal[a->npersonal];
                char sub[128];
                snprintf(sub, sizeof sub, "%s.%s", path, scalar(lk) ? scalar(lk) : "?");
                if (!scalar(lk) || lv.n->type != YAML_MAPPING_NODE) { DIAG(L, lv, QC_ETYPE, sub, "is {all_of: [...], any_of: [...]}"); continue; }
                ps->line = dup(C, scalar(lk));
                for (yaml_node_pair_t *q = lv.n->data.mapping.pairs.start; q < lv.n->data.mapping.pairs.top; q++) {
                    const char *k2 = scalar(child(lv, q->key));
                    char sub2[160];
                    snprintf(sub2, sizeof sub2, "%s.%s", sub, k2 ? k2 : "?");
                    if (k2 && !strcmp(k2, "all_of")) ps->all_of = word_list(C, child(lv, q->value), sub2, &ps->nall);
                    else if (k2 && !strcmp(k2, "any_of")) ps->any_of = word_list(C, child(lv, q->value), sub2, &ps->nany);
                    else DIAG(L, child(lv, q->key), QC_EUNKNOWN, sub, "unknown key '%s' (all_of, any_of)", k2 ? k2 : "?");
                }
                if (!ps->nall && !ps->nany) DIAG(L, lv, QC_EMISSING, sub, "needs all_of: or any_of:");
                a->npersonal++;
            }
        } else if (!strcmp(key, "scores")) {
            compile_scores(C, v, &a->scores);
        } else if (!strcmp(key, "quotas")) {
            if (v.n->type != YAML_SEQUENCE_NODE) { DIAG(L, v, QC_ETYPE, path, "is a list of quotas"); continue; }
            int n = (int)(v.n->data.sequence.items.top - v.n->data.sequence.items.start);
            a->quotas = qc__arena_alloc(C->arena, sizeof *a->quotas * (size_t)(n + 1));
            for (int q = 0; q < n; q++) {
                char sub[64];
                snprintf(sub, sizeof sub, "assessment.quotas[%d]", q);
                compile_quota(C, &a->quotas[a->nquotas++], child(v, v.n->data.sequence.items.start[q]), sub);
            }
        } else {
            DIAG(L, v, QC_EUNKNOWN, "assessment", "unknown key '%s' (leaders, handlers, capacities, personal, quotas, focus_share, "
                 "average_includes_leaders, credit_only, hard_labels, chief_roles, scores, office_compliance)", key);
        }
    }
    if (!a->nleaders) qc__diag_add(L->diag, QC_EMISSING, L->docs[L->ndocs - 1]->file, 0, 0, "assessment.leaders",
                                   "name the roles of leaders within the quota");
    for (int i = 0; i < a->nhard; i++)
        if (find_label(C->rs, a->hard_labels[i]) < 0)
            qc__diag_add(L->diag, QC_EUNKNOWN, L->docs[L->ndocs - 1]->file, 0, 0, "assessment.hard_labels", "unknown label '%s'", a->hard_labels[i]);
}

static void free_set(qc__ruleset *rs)
{
    if (!rs) return;
    free(rs->prog.nodes);
    free(rs->prog.list_items);
    free(rs);
}

/* ---- public ---- */

QC_EXTERN int qc_rules_new(qc_rules **out)
{
    if (!out) return qc__error(QC_EINVAL, "qc_rules_new: out is NULL");
    *out = calloc(1, sizeof **out);
    return *out ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
}

QC_EXTERN void qc_rules_free(qc_rules *rules)
{
    if (!rules) return;
    for (int i = 0; i < rules->nsets; i++) free_set(rules->sets[i]);
    free(rules->sets);
    qc__arena_free(&rules->arena);
    free(rules);
}

/* Publish the diagnostics as the thread's error (first message + count)
 * and detail list. */
static int report(qc__diag *d)
{
    int code = d->first_code ? d->first_code : QC_ERULES;
    int more = d->n - 1 + d->dropped;
    if (more > 0) qc__error(code, "%s (and %d more problem%s)", d->messages[0], more, more == 1 ? "" : "s");
    else qc__error(code, "%s", d->n ? d->messages[0] : "invalid rules");
    qc__error_details_set((const char *const *)d->messages, d->n); /* after: an error clears them */
    return code;
}

static int add(qc_rules *rules, const char *path, char *text, size_t size)
{
    qc__diag diag = {0};
    loader *L = calloc(1, sizeof *L);
    qc__ruleset *rs = calloc(1, sizeof *rs);
    qc__arena arena = {0};
    int rc = QC_OK;
    if (!L || !rs) {
        free(L);
        free(rs);
        free(text);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    L->diag = &diag;
    L->allow_absolute_extends = rules->allow_absolute_extends;
    if (load_chain(L, path, text, size, 0) == 0) {
        compiler C = {L, rs, &arena};
        compile_header(&C);
        rs->prog.facts = qc__arena_alloc(&arena, sizeof *rs->prog.facts * (size_t)(L->nfacts ? L->nfacts : 1));
        rs->prog.nfacts = L->nfacts;
        for (int i = 0; i < L->nfacts; i++) compile_fact(&C, i);
        compile_labels(&C);
        compile_names(&C);
        compile_weights(&C);
        compile_rules(&C);
        compile_assessment(&C);
    }
    /* versions of one name must not overlap: a case date picks one */
    for (int i = 0; !diag.n && i < rules->nsets; i++) {
        const qc__ruleset *o = rules->sets[i];
        if (rs->name && !strcmp(o->name, rs->name) && rs->effective_from <= o->effective_to && o->effective_from <= rs->effective_to)
            qc__diag_add(&diag, QC_EEXIST, path, 0, 0, "effective_from",
                         "%s %s overlaps version %s (%s), which is loaded already", rs->name, rs->version, o->version, o->file);
    }
    if (diag.n || diag.first_code) {
        rc = report(&diag);
        free_set(rs);
        qc__arena_free(&arena);
    } else {
        /* warnings stay with the set: lint shows them, the set works */
        rs->warnings = qc__arena_alloc(&arena, sizeof *rs->warnings * (size_t)(diag.nwarnings ? diag.nwarnings : 1));
        for (int i = 0; rs->warnings && i < diag.nwarnings; i++)
            if ((rs->warnings[rs->nwarnings] = qc__arena_strdup(&arena, diag.warnings[i]))) rs->nwarnings++;
        qc__ruleset **sets = realloc(rules->sets, sizeof *sets * (size_t)(rules->nsets + 1));
        if (!sets) {
            rc = qc__error(QC_ENOMEM, "out of memory");
            free_set(rs);
            qc__arena_free(&arena);
        } else {
            qc__arena_adopt(&rules->arena, &arena); /* the rule collection owns the set's memory now */
            rules->sets = sets;
            int at = rules->nsets++;
            while (at > 0 && (strcmp(sets[at - 1]->name, rs->name) > 0 ||
                              (!strcmp(sets[at - 1]->name, rs->name) && sets[at - 1]->effective_from > rs->effective_from))) {
                sets[at] = sets[at - 1];
                at--;
            }
            sets[at] = rs;
            qc__error_details_set(NULL, 0);
        }
    }
    for (int i = 0; i < L->ndocs; i++) free_doc(L->docs[i]);
    free(L);
    qc__diag_free(&diag);
    return rc;
}

QC_EXTERN int qc_rules_set_option(qc_rules *rules, qc_rules_option option, int value)
{
    if (!rules) return qc__error(QC_EINVAL, "qc_rules_set_option: rules is NULL");
    if (value != 0 && value != 1) return qc__error(QC_EINVAL, "qc_rules_set_option: value %d is not 0 or 1", value);
    switch (option) {
    case QC_RULES_ABSOLUTE_EXTENDS: rules->allow_absolute_extends = value; return QC_OK;
    default: return qc__error(QC_EINVAL, "qc_rules_set_option: unknown option %d", (int)option);
    }
}

QC_EXTERN int qc_rules_add_file(qc_rules *rules, const char *path)
{
    if (!rules || !path) return qc__error(QC_EINVAL, "qc_rules_add_file: NULL argument");
    return add(rules, path, NULL, 0);
}

QC_EXTERN int qc_rules_add_string(qc_rules *rules, const char *yaml, const char *name)
{
    if (!rules || !yaml) return qc__error(QC_EINVAL, "qc_rules_add_string: NULL argument");
    size_t n = strnlen(yaml, QC_MAX_RULE_FILE_BYTES + 1);
    if (n > QC_MAX_RULE_FILE_BYTES)
        return qc__error(QC_ETOOLONG, "%s: more than the limit of %u bytes for a rule file", name ? name : "<string>",
                         QC_MAX_RULE_FILE_BYTES);
    char *copy = strdup(yaml);
    if (!copy) return qc__error(QC_ENOMEM, "out of memory");
    return add(rules, name ? name : "<string>", copy, strlen(copy));
}

QC_EXTERN int qc_rules_load_file(qc_rules **out, const char *path)
{
    if (!out) return qc__error(QC_EINVAL, "qc_rules_load_file: out is NULL");
    *out = NULL;
    qc_rules *r;
    int rc = qc_rules_new(&r);
    if (rc < 0) return rc;
    if ((rc = qc_rules_add_file(r, path)) < 0) {
        qc_rules_free(r);
        return rc;
    }
    *out = r;
    return QC_OK;
}

QC_EXTERN int qc_rules_load_string(qc_rules **out, const char *yaml, const char *name)
{
    if (!out) return qc__error(QC_EINVAL, "qc_rules_load_string: out is NULL");
    *out = NULL;
    qc_rules *r;
    int rc = qc_rules_new(&r);
    if (rc < 0) return rc;
    if ((rc = qc_rules_add_string(r, yaml, name)) < 0) {
        qc_rules_free(r);
        return rc;
    }
    *out = r;
    return QC_OK;
}

/* ---- introspection ---- */

static const qc__ruleset *set_at(const qc_rules *r, int i, const char *fn)
{
    return qc__index_ok(r, i, r ? r->nsets : 0, fn) ? r->sets[i] : NULL;
}

QC_EXTERN int qc_rules_warning_count(const qc_rules *r, int set)
{
    const qc__ruleset *rs = set_at(r, set, __func__);
    return rs ? rs->nwarnings : -1;
}

QC_EXTERN const char *qc_rules_warning(const qc_rules *r, int set, int i)
{
    const qc__ruleset *rs = set_at(r, set, __func__);
    return rs && qc__index_ok(rs, i, rs->nwarnings, __func__) ? rs->warnings[i] : NULL;
}

QC_EXTERN int qc_rules_count(const qc_rules *r) { return r ? r->nsets : 0; }
QC_EXTERN const char *qc_rules_name(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->name : NULL;
}
QC_EXTERN const char *qc_rules_version(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->version : NULL;
}
QC_EXTERN int64_t qc_rules_effective_from(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->effective_from : 0;
}
QC_EXTERN int64_t qc_rules_effective_to(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? (s->effective_to == INT64_MAX ? 0 : s->effective_to) : 0;
}
QC_EXTERN int qc_rules_rule_count(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->nrules : 0;
}

QC_EXTERN const char *qc_rules_rule_id(const qc_rules *r, int i, int rule)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s && qc__index_ok(s, rule, s->nrules, __func__) ? s->rules[rule].id : NULL;
}

QC_EXTERN int qc_rules_label_count(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->nlabels : 0;
}

QC_EXTERN const char *qc_rules_label_id(const qc_rules *r, int i, int label)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s && qc__index_ok(s, label, s->nlabels, __func__) ? s->labels[label].id : NULL;
}

QC_EXTERN const char *qc_rules_display_name(const qc_rules *r, const char *kind, const char *id, const char *lang)
{
    if (!r || !kind || !id) return id;
    bool zh = lang && !strcmp(lang, "zh");
    /* the newest version that names it */
    for (int i = r->nsets - 1; i >= 0; i--) {
        const qc__ruleset *s = r->sets[i];
        for (int j = 0; j < s->nnames; j++)
            if (!strcmp(s->names[j].kind, kind) && !strcmp(s->names[j].id, id)) {
                const char *name = zh ? s->names[j].zh : s->names[j].en;
                if (name) return name;
            }
    }
    return id;
}
