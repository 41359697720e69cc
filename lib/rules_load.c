/* SPDX-License-Identifier: MIT
 * rules_load.c - loading rule files into a qc_rules, and what a qc_rules
 * says about its rule sets.
 *
 * A load reads and merges the chain of files (rules_merge.c), compiles
 * the merged view (rules_compile.c, assess_spec.c), and fails whole if
 * anything was wrong: a rule set is never half-loaded, and a qc_rules that
 * failed to take a file is as it was before.  Warnings stay with the set.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "rules_compile.h"

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
/* Whether a and b are bound to the same place: both to none (every
 * office), or both name one office (*shared). */
static bool same_place(const qc__ruleset *a, const qc__ruleset *b, const char **shared)
{
    *shared = NULL;
    if (!a->napplies || !b->napplies) return !a->napplies && !b->napplies;
    for (int i = 0; i < a->napplies; i++)
        for (int j = 0; j < b->napplies; j++)
            if (!strcmp(a->applies_offices[i], b->applies_offices[j])) {
                *shared = a->applies_offices[i];
                return true;
            }
    return false;
}

/* "sha256:HEX" of parts (each as its length in decimal, a newline, and
 * its bytes, so that no two lists of texts run together the same). */
int qc__sha256_texts(char out[QC__SHA256_TEXT_BYTES], const char *const *parts, int n)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    ERR_set_mark();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (int i = 0; ok && i < n; i++) {
        char head[32];
        int hl = snprintf(head, sizeof head, "%zu\n", strlen(parts[i]));
        ok = EVP_DigestUpdate(ctx, head, (size_t)hl) && EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len);
    ERR_pop_to_mark();
    EVP_MD_CTX_free(ctx);
    if (!ok) return qc__error(QC_ENOMEM, "out of memory");
    memcpy(out, "sha256:", 7);
    for (unsigned i = 0; i < len; i++) snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
    return QC_OK;
}

/* A set's hash: the texts of its file and of every file it extends, in
 * the order layered - what decides what it says, not where it lies. */
static int hash_set(qc__ruleset *rs, const loader *L)
{
    const char *texts[MAX_EXTENDS_DEPTH + 1];
    for (int i = 0; i < L->ndocs; i++) texts[i] = L->docs[i]->text;
    return qc__sha256_texts(rs->content_hash, texts, L->ndocs);
}

/* The collection's: one set's own, or a hash of every set's, in the sets'
 * order. */
static int hash_rules(const qc_rules *rules, char out[QC__RULES_HASH_BYTES])
{
    if (rules->nsets == 1) {
        memcpy(out, rules->sets[0]->content_hash, QC__RULES_HASH_BYTES);
        return QC_OK;
    }
    const char **hashes = malloc(sizeof *hashes * (size_t)(rules->nsets ? rules->nsets : 1));
    if (!hashes) return qc__error(QC_ENOMEM, "out of memory");
    for (int i = 0; i < rules->nsets; i++) hashes[i] = rules->sets[i]->content_hash;
    int rc = qc__sha256_texts(out, hashes, rules->nsets);
    free(hashes);
    return rc;
}

QC_EXTERN const char *qc_rules_hash(const qc_rules *rules) { return rules ? rules->content_hash : ""; }

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
    if (qc__load_chain(L, path, text, size, 0) == 0) {
        compiler C = {L, rs, &arena};
        qc__compile_header(&C);
        rs->prog.facts = qc__arena_alloc(&arena, sizeof *rs->prog.facts * (size_t)(L->nfacts ? L->nfacts : 1));
        rs->prog.nfacts = L->nfacts;
        for (int i = 0; i < L->nfacts; i++) qc__compile_fact(&C, i);
        qc__compile_labels(&C);
        qc__compile_names(&C);
        qc__compile_weights(&C);
        qc__compile_rules(&C);
        qc__compile_assessment(&C);
        qc__compile_deadlines(&C);
        qc__compile_ratio(&C);
        if (hash_set(rs, L) < 0) qc__diag_add(&diag, QC_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    /* versions of one name must not overlap: a case date picks one */
    for (int i = 0; !diag.n && i < rules->nsets; i++) {
        const qc__ruleset *o = rules->sets[i];
        if (rs->name && !strcmp(o->name, rs->name) && rs->effective_from <= o->effective_to && o->effective_from <= rs->effective_to)
            qc__diag_add(&diag, QC_EEXIST, path, 0, 0, "effective_from",
                         "%s %s overlaps version %s (%s), which is loaded already", rs->name, rs->version, o->version, o->file);
    }
    /* sets of other names that would govern one office on one day with
     * nothing to choose between them: no closer place, not newer */
    for (int i = 0; !diag.n && i < rules->nsets; i++) {
        const qc__ruleset *o = rules->sets[i];
        const char *shared = NULL;
        if (!rs->name || !strcmp(o->name, rs->name) || o->effective_from != rs->effective_from ||
            rs->effective_from > o->effective_to || o->effective_from > rs->effective_to ||
            (rs->kind && o->kind && rs->kind != o->kind) || !same_place(rs, o, &shared))
            continue;
        char day[16];
        qc_date_format(day, sizeof day, rs->effective_from);
        qc__diag_add(&diag, QC_EEXIST, path, rs->napplies ? rs->applies_line : 0, rs->napplies ? rs->applies_col : 0,
                     rs->napplies ? "applies_to" : "effective_from",
                     "%s %s and %s %s (%s) would both govern %s%s from %s with nothing to choose between them: "
                     "bind one to other offices (applies_to) or start it on another day",
                     rs->name, rs->version, o->name, o->version, o->file, shared ? "office " : "every office",
                     shared ? shared : "", day);
    }
    if (diag.n || diag.first_code) {
        rc = qc__diag_report(&diag);
        free_set(rs);
        qc__arena_free(&arena);
    } else {
        /* warnings stay with the set: lint shows them, the set works */
        rs->warnings = qc__arena_alloc(&arena, sizeof *rs->warnings * (size_t)(diag.nwarnings ? diag.nwarnings : 1));
        for (int i = 0; rs->warnings && i < diag.nwarnings; i++)
            if ((rs->warnings[rs->nwarnings] = qc__arena_strdup(&arena, diag.warnings[i]))) rs->nwarnings++;
        qc__ruleset **sets = realloc(rules->sets, sizeof *sets * (size_t)(rules->nsets + 1));
        if (sets) rules->sets = sets;
        int at = rules->nsets;
        if (sets) {
            while (at > 0 && (strcmp(sets[at - 1]->name, rs->name) > 0 ||
                              (!strcmp(sets[at - 1]->name, rs->name) && sets[at - 1]->effective_from > rs->effective_from))) {
                sets[at] = sets[at - 1];
                at--;
            }
            sets[at] = rs;
            rules->nsets++;
        }
        /* the collection's hash with the new set, or the set is not added */
        char hash[QC__RULES_HASH_BYTES];
        if (!sets || (rc = hash_rules(rules, hash)) < 0) {
            if (sets) {
                memmove(sets + at, sets + at + 1, sizeof *sets * (size_t)(--rules->nsets - at));
            }
            rc = qc__error(QC_ENOMEM, "out of memory");
            free_set(rs);
            qc__arena_free(&arena);
        } else {
            qc__arena_adopt(&rules->arena, &arena); /* the rule collection owns the set's memory now */
            memcpy(rules->content_hash, hash, sizeof hash);
            qc__error_details_set(NULL, 0);
        }
    }
    qc__free_docs(L);
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

QC_EXTERN int qc_rules_node_count(const qc_rules *r, int i)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s ? s->deadlines.nnodes : 0;
}

QC_EXTERN const char *qc_rules_node_id(const qc_rules *r, int i, int node)
{
    const qc__ruleset *s = set_at(r, i, __func__);
    return s && qc__index_ok(s, node, s->deadlines.nnodes, __func__) ? s->deadlines.nodes[node].id : NULL;
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
