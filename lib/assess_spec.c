/* SPDX-License-Identifier: MIT
 * assess_spec.c - the `assessment:` section of a rule set compiled into
 * the specification the assessment (assess.c) follows: leaders and
 * handlers, personal-handling rules per line, quotas, hard labels, office
 * compliance, scores, grades and consequences (docs/assessment.md).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_compile.h"

static bool number_at(compiler *C, ynode y, const char *path, double lo, double hi, double *out)
{
    if (!qc__c_parse_number(scalar(y), out) || *out < lo || *out > hi) {
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
        if (!strcmp(key, "id")) q->id = qc__c_dup(C, scalar(v));
        else if (!strcmp(key, "roles")) q->roles = qc__c_word_list(C, v, sub, &q->nroles);
        else if (!strcmp(key, "offices")) q->offices = qc__c_word_list(C, v, sub, &q->noffices);
        else if (!strcmp(key, "levels")) q->levels = qc__c_level_bits(C, v, sub);
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
    if (!q->id) q->id = qc__c_dup(C, path);
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
        if (!strcmp(key, "scheme")) sc->scheme = qc__c_dup(C, scalar(v));
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
                    if (k2 && !strcmp(k2, "grade")) q->grade = qc__c_dup(C, v2);
                    else if (k2 && !strcmp(k2, "outcome")) q->outcome = qc__c_dup(C, v2);
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
                *g = (qc__grade){.scheme = qc__c_dup(C, scheme), .grade = qc__c_dup(C, grade)};
                char sub2[160];
                snprintf(sub2, sizeof sub2, "%s.%s", sub, grade ? grade : "?");
                if (!pass) {
                    if (!number_at(C, child(v, q->value), sub2, 0, 10, &g->multiplier)) continue;
                } else {
                    g->maps_to = qc__c_dup(C, scalar(child(v, q->value)));
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

/* credit: {KIND: weight}: a kind is a duty kind (named under duties:) or
 * an act kind the rules list as credit_only; checked after the section,
 * when credit_only is known whatever the order of the keys. */
static void compile_credit(compiler *C, qc__assess_spec *a, ynode v, const char *path)
{
    if (v.n->type != YAML_MAPPING_NODE) { DIAG(C->L, v, QC_ETYPE, path, "maps duty and credit-only act kinds to weights {committee_meeting: 2}"); return; }
    int n = (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
    if (n > 16) { DIAG(C->L, v, QC_ETOOLONG, path, "names more than 16 kinds"); return; }
    a->credit_kinds = qc__arena_alloc(C->arena, sizeof *a->credit_kinds * (size_t)(n + 1));
    a->credit_weights = qc__arena_alloc(C->arena, sizeof *a->credit_weights * (size_t)(n + 1));
    a->credit_is_act = qc__arena_alloc(C->arena, sizeof *a->credit_is_act * (size_t)(n + 1));
    if (!a->credit_kinds || !a->credit_weights || !a->credit_is_act) { DIAG(C->L, v, QC_ENOMEM, path, "out of memory"); return; }
    for (yaml_node_pair_t *p = v.n->data.mapping.pairs.start; p < v.n->data.mapping.pairs.top; p++) {
        const char *kind = scalar(child(v, p->key));
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", path, kind ? kind : "?");
        if (!kind || !qc__is_token(kind)) { DIAG(C->L, child(v, p->key), QC_EVALUE, path, "keys are duty or act kinds (words)"); continue; }
        double w;
        if (!number_at(C, child(v, p->value), sub, 0, 1e4, &w)) continue;
        a->credit_kinds[a->ncredit_kinds] = qc__c_dup(C, kind);
        a->credit_weights[a->ncredit_kinds++] = w;
    }
}

/* Each credit kind is a credit-only act or a named duty. */
static void check_credit(compiler *C, qc__assess_spec *a)
{
    for (int i = 0; i < a->ncredit_kinds; i++) {
        const char *kind = a->credit_kinds[i];
        a->credit_is_act[i] = qc__word_at(a->credit_only, a->ncredit, kind) >= 0;
        bool duty = false;
        for (int j = 0; j < C->rs->nnames && !duty; j++)
            duty = !strcmp(C->rs->names[j].kind, "duty") && !strcmp(C->rs->names[j].id, kind);
        if (!a->credit_is_act[i] && !duty)
            qc__diag_add(C->L->diag, QC_EUNKNOWN, C->L->docs[C->L->ndocs - 1]->file, 0, 0, "assessment.credit",
                         "'%s' is neither a credit_only act kind nor a duty kind named under duties:", kind);
    }
}

/* A mapping of words to weights from 0 to 10 (capacities:,
 * assignment_weights:). */
static void weights_map(compiler *C, ynode v, const char *path, const char *what, const char ***names, double **weights,
                        int *n)
{
    if (v.n->type != YAML_MAPPING_NODE) {
        DIAG(C->L, v, QC_ETYPE, path, "%s", what);
        return;
    }
    int count = (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
    *names = qc__arena_alloc(C->arena, sizeof **names * (size_t)(count + 1));
    *weights = qc__arena_alloc(C->arena, sizeof **weights * (size_t)(count + 1));
    if (!*names || !*weights) return;
    for (yaml_node_pair_t *p = v.n->data.mapping.pairs.start; p < v.n->data.mapping.pairs.top; p++) {
        const char *name = scalar(child(v, p->key));
        double w;
        char sub[128];
        snprintf(sub, sizeof sub, "%s.%s", path, name ? name : "?");
        if (!name || !number_at(C, child(v, p->value), sub, 0, 10, &w)) continue;
        (*names)[*n] = qc__c_dup(C, name);
        (*weights)[(*n)++] = w;
    }
}

void qc__compile_assessment(compiler *C)
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
        if (!strcmp(key, "leaders")) a->leaders = qc__c_word_list(C, v, path, &a->nleaders);
        else if (!strcmp(key, "handlers")) a->handlers = qc__c_word_list(C, v, path, &a->nhandlers);
        else if (!strcmp(key, "hard_labels")) a->hard_labels = qc__c_word_list(C, v, path, &a->nhard);
        else if (!strcmp(key, "chief_roles")) a->chief_roles = qc__c_word_list(C, v, path, &a->nchief);
        else if (!strcmp(key, "credit_only")) a->credit_only = qc__c_word_list(C, v, path, &a->ncredit);
        else if (!strcmp(key, "credit")) compile_credit(C, a, v, path);
        else if (!strcmp(key, "focus_share")) number_at(C, v, path, 0, 1, &a->focus_share);
        else if (!strcmp(key, "office_compliance")) number_at(C, v, path, 0, 1, &a->office_compliance);
        else if (!strcmp(key, "average_includes_leaders")) {
            const char *b = scalar(v);
            if (!b || (strcmp(b, "true") && strcmp(b, "false"))) DIAG(L, v, QC_ETYPE, path, "is true or false");
            else a->average_includes_leaders = b[0] == 't';
        } else if (!strcmp(key, "capacities")) {
            weights_map(C, v, path, "maps capacities to weights {lead: 1, member: 0.5}", &a->capacity_names,
                        &a->capacity_weights, &a->ncapacities);
        } else if (!strcmp(key, "assignment_weights")) {
            weights_map(C, v, path, "maps roles to their share of new cases {chief: 0.2, deputy_chief: 0.4}",
                        &a->assignment_roles, &a->assignment_weights, &a->nassignment);
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
                ps->line = qc__c_dup(C, scalar(lk));
                for (yaml_node_pair_t *q = lv.n->data.mapping.pairs.start; q < lv.n->data.mapping.pairs.top; q++) {
                    const char *k2 = scalar(child(lv, q->key));
                    char sub2[160];
                    snprintf(sub2, sizeof sub2, "%s.%s", sub, k2 ? k2 : "?");
                    if (k2 && !strcmp(k2, "all_of")) ps->all_of = qc__c_word_list(C, child(lv, q->value), sub2, &ps->nall);
                    else if (k2 && !strcmp(k2, "any_of")) ps->any_of = qc__c_word_list(C, child(lv, q->value), sub2, &ps->nany);
                    else DIAG(L, child(lv, q->key), QC_EUNKNOWN, sub, "unknown key '%s' (all_of, any_of)", k2 ? k2 : "?");
                }
                if (!ps->nall && !ps->nany) DIAG(L, lv, QC_EMISSING, sub, "needs all_of: or any_of:");
                a->npersonal++;
            }
            /* an assessment keeps each act kind these rules name as a bit of
             * one 64-bit mask (the last bit is "any other kind") */
            const char *seen[64];
            int nseen = 0;
            bool too_many = false;
            for (int r = 0; r < a->npersonal && !too_many; r++)
                for (int j = 0; j < a->personal[r].nall + a->personal[r].nany && !too_many; j++) {
                    const qc__personal *ps = &a->personal[r];
                    const char *k = j < ps->nall ? ps->all_of[j] : ps->any_of[j - ps->nall];
                    if (qc__word_at(seen, nseen, k) >= 0) continue;
                    if (nseen == 63) too_many = true;
                    else seen[nseen++] = k;
                }
            if (too_many) DIAG(L, v, QC_ETOOLONG, path, "names more than 63 act kinds (at most 63 in all its lines)");
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
                 "average_includes_leaders, credit_only, credit, hard_labels, chief_roles, scores, office_compliance, "
                 "assignment_weights)", key);
        }
    }
    check_credit(C, a);
    if (!a->nleaders) qc__diag_add(L->diag, QC_EMISSING, L->docs[L->ndocs - 1]->file, 0, 0, "assessment.leaders",
                                   "name the roles of leaders within the quota");
    for (int i = 0; i < a->nhard; i++)
        if (qc__c_find_label(C->rs, a->hard_labels[i]) < 0)
            qc__diag_add(L->diag, QC_EUNKNOWN, L->docs[L->ndocs - 1]->file, 0, 0, "assessment.hard_labels", "unknown label '%s'", a->hard_labels[i]);
}
