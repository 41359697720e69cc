/* SPDX-License-Identifier: MIT
 * rules_merge.c - reading a rule file and the files it extends, and
 * merging them, child over parent, section by section (the resolution
 * order of docs/rules.md) into one view of YAML nodes (rules_merge.h).
 *
 * A file may `extends:` another (a national file under a provincial one,
 * a provincial under a local one); the parent is read first.  Each file
 * goes through the checked YAML reader (yamlread.c): depth, duplicate
 * keys, NUL and size are refused there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_merge.h"
#include "yamlread.h"

const char *const qc__header_keys[] = {
    "format", "name", "version", "kind", "effective_from", "effective_to", "description", "extends", "manual_labels",
    "applies_to",
};

static const char *const section_keys[] = {"facts", "labels", "classify", "weights", "roles", "lines", "acts", "citations", "assessment", "steps", "duties", "deadlines", "ratio"};

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

int qc__find_name(const char *const *names, int n, const char *name)
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
        int i = qc__find_name(keys, *n, key);
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
        int i = qc__find_name(L->rule_ids, L->nrules, id);
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
        int h = qc__find_name(qc__header_keys, H_COUNT, key);
        if (h >= 0) { L->header[h] = v; continue; }
        if (!strcmp(key, "facts")) merge_map(L, v, "facts", L->facts, L->fact_names, &L->nfacts, (int)QC__ARRAY_LEN(L->facts));
        else if (!strcmp(key, "labels")) L->labels = v;
        else if (!strcmp(key, "classify")) merge_rules(L, v);
        else if (!strcmp(key, "weights")) merge_weights(L, v);
        else if (!strcmp(key, "assessment"))
            merge_map(L, v, "assessment", L->assess_vals, L->assess_keys, &L->nassess, 16);
        else if (!strcmp(key, "roles") || !strcmp(key, "lines") || !strcmp(key, "acts") || !strcmp(key, "steps") ||
                 !strcmp(key, "duties"))
            merge_names(L, v, key);
        else if (!strcmp(key, "deadlines")) L->deadlines = v;
        else if (!strcmp(key, "ratio")) L->ratio = v;
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
            for (size_t i = 0; i < H_COUNT; i++) { strcat(known, qc__header_keys[i]); strcat(known, ", "); }
            for (size_t i = 0; i < QC__ARRAY_LEN(section_keys); i++) { strcat(known, section_keys[i]); strcat(known, i + 1 < QC__ARRAY_LEN(section_keys) ? ", " : ""); }
            DIAG(L, k, QC_EUNKNOWN, NULL, "unknown key '%s' (%s)", key, known);
        }
    }
}

/* Load file (text, or read from path) and, first, everything it extends. */
int qc__load_chain(loader *L, const char *path, char *text, size_t size, int depth)
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
        int rc = qc__load_chain(L, parent, NULL, 0, depth + 1);
        if (rc < 0 && L->diag->n && !strstr(L->diag->messages[L->diag->n - 1], "extends"))
            DIAG(L, v, QC_ERULES, "extends", "the file '%s' it extends has errors (above)", rel);
        free(parent);
        if (rc < 0) return -1;
    }
    merge_doc(L, d);
    return 0;
}

void qc__free_docs(loader *L)
{
    for (int i = 0; i < L->ndocs; i++) free_doc(L->docs[i]);
    L->ndocs = 0;
}
