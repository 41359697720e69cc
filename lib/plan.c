/* SPDX-License-Identifier: MIT
 * plan.c - sampling plans (docs/inspections.md): a YAML file that says
 * which cases of a period are candidates for a quality review or an
 * inspection, how they are divided into strata, how many each stratum
 * gives, and which cases must be reviewed whatever the draw.
 *
 * Loaded like a rule file: every problem is reported at once, each as
 * file:line:col: path: message (qc_error_detail), and nothing is kept of
 * a plan that has one.  The plan's hash is over the file's bytes, so a
 * recorded inspection names exactly the text it was drawn by.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "rules_merge.h"
#include "yamlread.h"

#define PLAN_MAX_BYTES (1 << 20)

typedef struct plan_loader {
    qc__diag diag;
    ydoc doc;
    qc_plan *plan;
} plan_loader;

#define PDIAG(P, y, code, path, ...) \
    qc__diag_add(&(P)->diag, code, (P)->doc.file, line_of(y), col_of(y), path, __VA_ARGS__)

static const char *const dimension_names[QC__STRATA_DIMENSIONS] = {"office", "department", "line", "label", "person"};
static const char *const trigger_names[] = {"name_only", "review_grades", "overdue", "steps", "labels"};

/* A list of words (a sequence of scalars, or one scalar), copied into the
 * plan's arena; NULL and a diagnostic for anything else. */
static const char **words(plan_loader *P, ynode y, const char *path, int *n)
{
    *n = 0;
    if (y.n->type == YAML_SCALAR_NODE) {
        const char **one = qc__arena_alloc(&P->plan->arena, sizeof *one);
        if (one && (one[0] = qc__arena_strdup(&P->plan->arena, scalar(y)))) *n = 1;
        return one;
    }
    if (y.n->type != YAML_SEQUENCE_NODE) {
        PDIAG(P, y, QC_ETYPE, path, "expected a list of words");
        return NULL;
    }
    int count = (int)(y.n->data.sequence.items.top - y.n->data.sequence.items.start);
    const char **out = qc__arena_alloc(&P->plan->arena, sizeof *out * (size_t)(count ? count : 1));
    if (!out) return NULL;
    for (yaml_node_item_t *it = y.n->data.sequence.items.start; it < y.n->data.sequence.items.top; it++) {
        ynode item = child(y, *it);
        const char *w = scalar(item);
        if (!w || !*w) {
            PDIAG(P, item, QC_ETYPE, path, "expected a word");
            continue;
        }
        out[(*n)++] = qc__arena_strdup(&P->plan->arena, w);
    }
    return out;
}

static bool boolean(plan_loader *P, ynode y, const char *path, bool *out)
{
    const char *s = scalar(y);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) *out = true;
    else if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) *out = false;
    else {
        PDIAG(P, y, QC_ETYPE, path, "expected true or false");
        return false;
    }
    return true;
}

/* A share from 0 to 1, to six decimal places: "0.05" is 50000 parts per
 * million.  Read as a decimal text, not a double, so that ceil(N x ratio)
 * is the same integer on every platform (0.07 x 100 is not 7 in binary). */
static bool parts_per_million(const char *s, int64_t *out)
{
    if (!s || !*s) return false;
    int64_t whole = 0, frac = 0;
    int digits = 0;
    const char *p = s;
    if ((*p < '0' || *p > '9') && *p != '.') return false; /* ".05" is YAML's 0.05 too */
    while (*p >= '0' && *p <= '9') {
        whole = whole * 10 + (*p++ - '0');
        if (whole > 1) return false;
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        while (*p >= '0' && *p <= '9') {
            if (digits == 6) {
                if (*p != '0') return false; /* more precision than the draw keeps */
                p++;
                continue;
            }
            frac = frac * 10 + (*p++ - '0');
            digits++;
        }
    }
    if (*p) return false;
    while (digits++ < 6) frac *= 10;
    *out = whole * 1000000 + frac;
    return *out <= 1000000;
}

static void compile_strata(plan_loader *P, ynode y)
{
    qc_plan *pl = P->plan;
    if (y.n->type != YAML_MAPPING_NODE) {
        PDIAG(P, y, QC_ETYPE, "strata", "is a mapping (by:, ratio:, minimum:)");
        return;
    }
    bool has_ratio = false;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        if (!key) continue;
        if (!strcmp(key, "by")) {
            int n;
            const char **dims = words(P, v, "strata.by", &n);
            for (int i = 0; dims && i < n; i++) {
                int d = qc__find_name(dimension_names, QC__STRATA_DIMENSIONS, dims[i]);
                if (d < 0) PDIAG(P, v, QC_EVALUE, "strata.by", "'%s' is not office, department, line, label or person", dims[i]);
                else if (pl->by_mask & (1u << d)) PDIAG(P, v, QC_EVALUE, "strata.by", "'%s' is named twice", dims[i]);
                else {
                    pl->by[pl->nby++] = d;
                    pl->by_mask |= 1u << d;
                }
            }
        } else if (!strcmp(key, "ratio")) {
            has_ratio = true;
            if (!parts_per_million(scalar(v), &pl->ratio_ppm))
                PDIAG(P, v, QC_EVALUE, "strata.ratio", "expected a share from 0 to 1 with at most six decimals (0.05)");
        } else if (!strcmp(key, "minimum")) {
            const char *s = scalar(v);
            char *end;
            long m = s ? strtol(s, &end, 10) : -1;
            if (!s || *end || m < 0 || m > 1000000) PDIAG(P, v, QC_EVALUE, "strata.minimum", "expected a whole number from 0");
            else pl->minimum = (int)m;
        } else PDIAG(P, k, QC_EUNKNOWN, "strata", "unknown key '%s' (by, ratio, minimum)", key);
    }
    if (!has_ratio) PDIAG(P, y, QC_EMISSING, "strata", "needs ratio: (the share drawn in each stratum)");
}

static void compile_trigger(plan_loader *P, ynode y, int index)
{
    qc_plan *pl = P->plan;
    char path[64];
    snprintf(path, sizeof path, "triggers[%d]", index);
    if (y.n->type != YAML_MAPPING_NODE) {
        PDIAG(P, y, QC_ETYPE, path, "a trigger is a mapping: {id: ..., name_only: true} (or review_grades:, overdue:, steps:, labels:)");
        return;
    }
    qc__trigger *t = &pl->triggers[pl->ntriggers];
    *t = (qc__trigger){.kind = -1};
    int kinds = 0;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[96];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key) continue;
        if (!strcmp(key, "id")) {
            const char *id = scalar(v);
            if (!id || !qc__is_token(id)) PDIAG(P, v, QC_EVALUE, sub, "expected a word (name_only, low_grade)");
            else t->id = qc__arena_strdup(&pl->arena, id);
            continue;
        }
        int kind = qc__find_name(trigger_names, (int)QC__ARRAY_LEN(trigger_names), key);
        if (kind < 0) {
            PDIAG(P, k, QC_EUNKNOWN, path, "unknown key '%s' (id, name_only, review_grades, overdue, steps, labels)", key);
            continue;
        }
        kinds++;
        t->kind = kind;
        if (kind == QC__TRIGGER_NAME_ONLY || kind == QC__TRIGGER_OVERDUE) {
            bool on = false;
            if (boolean(P, v, sub, &on) && !on) PDIAG(P, v, QC_EVALUE, sub, "is true, or leave the trigger out");
        } else {
            t->words = words(P, v, sub, &t->nwords);
            if (t->words && !t->nwords) PDIAG(P, v, QC_EVALUE, sub, "names nothing");
        }
    }
    if (kinds != 1) {
        PDIAG(P, y, kinds ? QC_ECONST : QC_EMISSING, path,
              "a trigger has exactly one of name_only, review_grades, overdue, steps, labels");
        return;
    }
    if (!t->id) t->id = trigger_names[t->kind];
    for (int i = 0; i < pl->ntriggers; i++)
        if (!strcmp(pl->triggers[i].id, t->id)) {
            PDIAG(P, y, QC_EVALUE, path, "a second trigger with id '%s': give each its own id:", t->id);
            return;
        }
    pl->ntriggers++;
}

static void compile_plan(plan_loader *P, ynode root)
{
    qc_plan *pl = P->plan;
    if (!root.n || root.n->type != YAML_MAPPING_NODE) {
        qc__diag_add(&P->diag, QC_ETYPE, P->doc.file, 1, 1, NULL, "a sampling plan is a mapping (plan:, strata:, triggers:)");
        return;
    }
    bool has_strata = false;
    for (yaml_node_pair_t *p = root.n->data.mapping.pairs.start; p < root.n->data.mapping.pairs.top; p++) {
        ynode k = child(root, p->key), v = child(root, p->value);
        const char *key = scalar(k);
        if (!key) continue;
        if (!strcmp(key, "plan")) {
            const char *id = scalar(v);
            if (!id || !*id || strlen(id) > 64 || strpbrk(id, " \t\n/"))
                PDIAG(P, v, QC_EVALUE, "plan", "expected an id: up to 64 bytes, no spaces or slashes");
            else pl->id = qc__arena_strdup(&pl->arena, id);
        } else if (!strcmp(key, "name")) {
            if (scalar(v)) pl->name_zh = pl->name_en = qc__arena_strdup(&pl->arena, scalar(v));
            else if (v.n->type == YAML_MAPPING_NODE) {
                for (yaml_node_pair_t *q = v.n->data.mapping.pairs.start; q < v.n->data.mapping.pairs.top; q++) {
                    const char *lang = scalar(child(v, q->key)), *text = scalar(child(v, q->value));
                    if (lang && text && !strcmp(lang, "zh")) pl->name_zh = qc__arena_strdup(&pl->arena, text);
                    else if (lang && text && !strcmp(lang, "en")) pl->name_en = qc__arena_strdup(&pl->arena, text);
                    else PDIAG(P, child(v, q->key), QC_EUNKNOWN, "name", "expected zh: or en: with a text");
                }
            } else PDIAG(P, v, QC_ETYPE, "name", "expected a text, or {zh: ..., en: ...}");
        } else if (!strcmp(key, "cases")) {
            const char *s = scalar(v);
            if (s && !strcmp(s, "closed")) pl->pool = QC__POOL_CLOSED;
            else if (s && !strcmp(s, "registered")) pl->pool = QC__POOL_REGISTERED;
            else if (s && !strcmp(s, "active")) pl->pool = QC__POOL_ACTIVE;
            else PDIAG(P, v, QC_EVALUE, "cases", "is closed, registered or active (which cases of the period are candidates)");
        } else if (!strcmp(key, "lines")) {
            pl->lines = words(P, v, "lines", &pl->nlines);
        } else if (!strcmp(key, "leaders_only")) {
            boolean(P, v, "leaders_only", &pl->leaders_only);
        } else if (!strcmp(key, "leader_roles")) {
            pl->leader_roles = words(P, v, "leader_roles", &pl->nleader_roles);
        } else if (!strcmp(key, "handler_capacities")) {
            pl->handler_caps = words(P, v, "handler_capacities", &pl->nhandler_caps);
        } else if (!strcmp(key, "strata")) {
            has_strata = true;
            compile_strata(P, v);
        } else if (!strcmp(key, "triggers")) {
            if (v.n->type != YAML_SEQUENCE_NODE) {
                PDIAG(P, v, QC_ETYPE, "triggers", "expected a list of triggers");
                continue;
            }
            int n = (int)(v.n->data.sequence.items.top - v.n->data.sequence.items.start);
            if (n > 30) { /* each is a bit of a case's reasons */
                PDIAG(P, v, QC_ETOOLONG, "triggers", "at most 30 triggers (%d here)", n);
                continue;
            }
            pl->triggers = qc__arena_alloc(&pl->arena, sizeof *pl->triggers * (size_t)(n ? n : 1));
            if (!pl->triggers) continue;
            int i = 0;
            for (yaml_node_item_t *it = v.n->data.sequence.items.start; it < v.n->data.sequence.items.top; it++)
                compile_trigger(P, child(v, *it), i++);
        } else {
            PDIAG(P, k, QC_EUNKNOWN, NULL, "unknown key '%s' (plan, name, cases, lines, leaders_only, leader_roles, "
                  "handler_capacities, strata, triggers)", key);
        }
    }
    if (!pl->id) qc__diag_add(&P->diag, QC_EMISSING, P->doc.file, 1, 1, "plan", "a sampling plan needs plan: (its id)");
    if (!has_strata)
        qc__diag_add(&P->diag, QC_EMISSING, P->doc.file, 1, 1, "strata", "a sampling plan needs strata: (ratio:, at least)");
    if (!pl->nhandler_caps) {
        static const char *const lead_and_sole[] = {"lead", "sole"};
        pl->handler_caps = (const char **)lead_and_sole;
        pl->nhandler_caps = 2;
    }
}

static int load(qc_plan **out, const char *name, char *text, size_t size)
{
    plan_loader P = {0};
    qc_plan *pl = calloc(1, sizeof *pl);
    int rc = pl ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
    if (rc == QC_OK) {
        P.plan = pl;
        P.doc.file = (char *)name;
        P.doc.text = text;
        rc = qc__sha256_texts(pl->hash, (const char *const[]){text}, 1);
    }
    qc__input in;
    qc__yaml_problem problem = {0};
    if (rc == QC_OK) {
        qc__input_memory(&in, name, text, size, true);
        rc = qc__yaml_load(&P.doc.doc, &in, QC_YAML_RULES_DEPTH, &problem);
        qc__input_close(&in);
        if (rc < 0) {
            if (problem.code) rc = qc__error(problem.code, "%s:%ld:%ld: %s", name, problem.line, problem.col, problem.message);
        } else {
            compile_plan(&P, (ynode){&P.doc, yaml_document_get_root_node(&P.doc.doc)});
            if (P.diag.n || P.diag.dropped) rc = qc__diag_report(&P.diag);
        }
        yaml_document_delete(&P.doc.doc);
    }
    if (rc == QC_OK && !(pl->file = qc__arena_strdup(&pl->arena, name))) rc = qc__error(QC_ENOMEM, "out of memory");
    qc__diag_free(&P.diag);
    if (rc < 0) {
        qc_plan_free(pl);
        return rc;
    }
    *out = pl;
    return QC_OK;
}

QC_EXTERN int qc_plan_load_file(qc_plan **out, const char *path)
{
    if (out) *out = NULL;
    if (!out || !path) return qc__error(QC_EINVAL, "qc_plan_load_file: NULL argument");
    char *text;
    size_t size;
    int rc = qc__read_file(path, PLAN_MAX_BYTES, "a sampling plan", &text, &size);
    if (rc < 0) return rc;
    rc = load(out, path, text, size);
    free(text);
    return rc;
}

QC_EXTERN int qc_plan_load_string(qc_plan **out, const char *text, size_t size, const char *name)
{
    if (out) *out = NULL;
    if (!out || !text) return qc__error(QC_EINVAL, "qc_plan_load_string: NULL argument");
    if (size > PLAN_MAX_BYTES) return qc__error(QC_ETOOLONG, "%s: a sampling plan is at most 1 MiB", name ? name : "(plan)");
    char *copy = malloc(size + 1);
    if (!copy) return qc__error(QC_ENOMEM, "out of memory");
    memcpy(copy, text, size);
    copy[size] = '\0';
    int rc = load(out, name ? name : "(plan)", copy, size);
    free(copy);
    return rc;
}

QC_EXTERN void qc_plan_free(qc_plan *plan)
{
    if (!plan) return;
    qc__arena_free(&plan->arena);
    free(plan);
}

QC_EXTERN const char *qc_plan_id(const qc_plan *plan) { return plan ? plan->id : NULL; }
QC_EXTERN const char *qc_plan_hash(const qc_plan *plan) { return plan ? plan->hash : NULL; }
QC_EXTERN const char *qc_plan_name(const qc_plan *plan, const char *lang)
{
    if (!plan) return NULL;
    const char *name = lang && !strcmp(lang, "en") ? plan->name_en : plan->name_zh;
    return name ? name : plan->id;
}
