/* SPDX-License-Identifier: MIT
 * deadlines_spec.c - the `deadlines:` section of a rule set compiled into
 * the process nodes deadlines.c follows: which steps open, restart,
 * close, suspend and resume each node, its period, the extensions labels
 * and steps give, the warning thresholds and the holiday calendar
 * (docs/deadlines.md).
 *
 * Lint is the compiler: every problem is reported at the file, line and
 * column of the value, and nothing stops at the first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_compile.h"

/* Defaults when neither the section nor the node says. */
enum { DEFAULT_YELLOW = 3, DEFAULT_ORANGE = 1 };

/* "15 days", "1 month", "2 months", "1 month 15 days", or a bare number
 * of days. */
static bool parse_span(const char *s, qc__span *out)
{
    if (!s) return false;
    *out = (qc__span){0};
    bool any = false, days_seen = false;
    while (*s) {
        char *end;
        long n = strtol(s, &end, 10);
        if (end == s || n < 0 || n > 100000) return false;
        while (*end == ' ') end++;
        if (!*end && !any) { /* a bare number: days */
            out->days = (int)n;
            return true;
        }
        size_t len = strcspn(end, " ");
        if ((len == 3 && !strncmp(end, "day", 3)) || (len == 4 && !strncmp(end, "days", 4))) {
            if (days_seen) return false;
            out->days = (int)n;
            days_seen = true;
        } else if ((len == 5 && !strncmp(end, "month", 5)) || (len == 6 && !strncmp(end, "months", 6))) {
            if (any || n > 1200) return false; /* months come first, once */
            out->months = (int)n;
        } else {
            return false;
        }
        any = true;
        s = end + len;
        while (*s == ' ') s++;
    }
    return any;
}

static bool span_at(compiler *C, ynode y, const char *path, qc__span *out)
{
    const char *s = scalar(y);
    if (s && s[0] == '-') {
        DIAG(C->L, y, QC_EVALUE, path, "a period cannot be negative ('%s')", s);
        return false;
    }
    if (!parse_span(s, out)) {
        DIAG(C->L, y, QC_EVALUE, path, "expected a period: N days, N months or N months M days (got '%s')", s ? s : "a non-scalar");
        return false;
    }
    return true;
}

static bool days_at(compiler *C, ynode y, const char *path, int *out)
{
    double d;
    if (!qc__c_parse_number(scalar(y), &d) || d < 0 || d > 366 || d != (int)d) {
        DIAG(C->L, y, QC_EVALUE, path, "expected a whole number of days from 0 to 366");
        return false;
    }
    *out = (int)d;
    return true;
}

/* warnings: {yellow: N, orange: N} */
static void compile_warnings(compiler *C, ynode y, const char *path, int *yellow, int *orange)
{
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(C->L, y, QC_ETYPE, path, "is {yellow: DAYS, orange: DAYS}"); return; }
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (key && !strcmp(key, "yellow")) days_at(C, v, sub, yellow);
        else if (key && !strcmp(key, "orange")) days_at(C, v, sub, orange);
        else DIAG(C->L, k, QC_EUNKNOWN, path, "unknown key '%s' (yellow, orange; red is when a case is overdue)", key ? key : "?");
    }
    if (*orange > *yellow)
        DIAG(C->L, y, QC_ECONST, path, "orange (%d day%s before) would come before yellow (%d day%s before): orange is the nearer warning",
             *orange, *orange == 1 ? "" : "s", *yellow, *yellow == 1 ? "" : "s");
}

/* The step kinds a list names, each checked against the names of steps:. */
static const char **step_list(compiler *C, ynode y, const char *path, int *n)
{
    const char **words = qc__c_word_list(C, y, path, n);
    for (int i = 0; words && i < *n; i++) {
        bool known = false;
        for (int j = 0; j < C->rs->nnames && !known; j++)
            known = !strcmp(C->rs->names[j].kind, "step") && !strcmp(C->rs->names[j].id, words[i]);
        if (!known) DIAG(C->L, y, QC_EUNKNOWN, path, "unknown step kind '%s' (name it under steps:)", words[i]);
    }
    return words;
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* holidays: {2024: [2024-01-01, 2024-02-10..2024-02-17]} into a sorted
 * list of days; the year key must be the dates' year, a typo caught. */
static void compile_calendar(compiler *C, ynode y, const char *path, int64_t **out, int *nout)
{
    qc__deadline_spec *d = &C->rs->deadlines;
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(C->L, y, QC_ETYPE, path, "is a mapping of years to lists of dates (2024: [2024-10-01..2024-10-07])"); return; }
    size_t cap = 0, n = 0;
    int64_t *days = NULL;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        char *end;
        long year = key ? strtol(key, &end, 10) : 0;
        if (!key || *end || year < 1900 || year > 2200) { DIAG(C->L, k, QC_EVALUE, path, "'%s' is not a year", key ? key : "?"); continue; }
        if (!d->first_year || year < d->first_year) d->first_year = (int)year;
        if (year > d->last_year) d->last_year = (int)year;
        if (v.n->type != YAML_SEQUENCE_NODE) { DIAG(C->L, v, QC_ETYPE, sub, "is a list of dates and ranges FROM..TO"); continue; }
        for (yaml_node_item_t *it = v.n->data.sequence.items.start; it < v.n->data.sequence.items.top; it++) {
            ynode e = child(v, *it);
            const char *text = scalar(e);
            char from_text[16] = "", to_text[16] = "";
            const char *dots = text ? strstr(text, "..") : NULL;
            int64_t from, to;
            if (text && dots && dots - text < (int)sizeof from_text && strlen(dots + 2) < sizeof to_text) {
                memcpy(from_text, text, (size_t)(dots - text));
                strcpy(to_text, dots + 2);
            } else if (text && strlen(text) < sizeof from_text) {
                strcpy(from_text, text);
                strcpy(to_text, text);
            }
            if (!qc__c_parse_date(from_text, &from) || !qc__c_parse_date(to_text, &to)) {
                DIAG(C->L, e, QC_EVALUE, sub, "'%s' is not a date (YYYY-MM-DD) or a range FROM..TO", text ? text : "?");
                continue;
            }
            if (to < from) { DIAG(C->L, e, QC_ECONST, sub, "the range '%s' ends before it begins", text); continue; }
            if (to - from > 366) { DIAG(C->L, e, QC_ECONST, sub, "the range '%s' is longer than a year", text); continue; }
            if (strncmp(from_text, key, 4) != 0) { DIAG(C->L, e, QC_ECONST, sub, "%s is not in %ld", from_text, year); continue; }
            if (n + (size_t)(to - from + 1) > cap) {
                size_t ncap = (cap ? cap * 2 : 64) + (size_t)(to - from + 1);
                int64_t *grown = realloc(days, ncap * sizeof *grown);
                if (!grown) { DIAG(C->L, e, QC_ENOMEM, sub, "out of memory"); free(days); return; }
                days = grown;
                cap = ncap;
            }
            for (int64_t day = from; day <= to; day++) days[n++] = day;
        }
    }
    if (n) qsort(days, n, sizeof *days, cmp_day);
    *out = qc__arena_alloc(C->arena, sizeof **out * (n ? n : 1));
    if (*out && n) memcpy(*out, days, n * sizeof *days);
    *nout = *out ? (int)n : 0;
    free(days);
}

static const char **name_list(compiler *C, ynode y, const char *path, int *n, const char *kind)
{
    const char **words = qc__c_word_list(C, y, path, n);
    for (int i = 0; words && i < *n; i++) {
        bool known = false;
        for (int j = 0; j < C->rs->nnames && !known; j++)
            known = !strcmp(C->rs->names[j].kind, kind) && !strcmp(C->rs->names[j].id, words[i]);
        if (!known) DIAG(C->L, y, QC_EUNKNOWN, path, "unknown %s kind '%s' (name it under %ss:)", kind, words[i], kind);
    }
    return words;
}

/* requires: [{id:, before: [STEP], labels: [LABEL], acts: [ACT] | steps: [STEP], by: any|leader}] */
static void compile_requires(compiler *C, qc__proc_node *nd, ynode y, const char *path)
{
    loader *L = C->L;
    if (y.n->type != YAML_SEQUENCE_NODE) { DIAG(L, y, QC_ETYPE, path, "is a list of {before:, acts: or steps:, ...}"); return; }
    int n = (int)(y.n->data.sequence.items.top - y.n->data.sequence.items.start);
    nd->requires = qc__arena_alloc(C->arena, sizeof *nd->requires * (size_t)(n ? n : 1));
    if (!nd->requires) { DIAG(L, y, QC_ENOMEM, path, "out of memory"); return; }
    for (int i = 0; i < n; i++) {
        ynode e = child(y, y.n->data.sequence.items.start[i]);
        char sub[200];
        snprintf(sub, sizeof sub, "%s[%d]", path, i);
        if (e.n->type != YAML_MAPPING_NODE) { DIAG(L, e, QC_ETYPE, sub, "is {before:, acts: or steps:, labels:, by:}"); continue; }
        struct qc__proc_require *r = &nd->requires[nd->nrequires];
        *r = (struct qc__proc_require){0};
        for (yaml_node_pair_t *p = e.n->data.mapping.pairs.start; p < e.n->data.mapping.pairs.top; p++) {
            ynode k = child(e, p->key), v = child(e, p->value);
            const char *key = scalar(k);
            char sub2[240];
            snprintf(sub2, sizeof sub2, "%s.%s", sub, key ? key : "?");
            if (!key) continue;
            if (!strcmp(key, "id")) r->id = qc__c_dup(C, scalar(v));
            else if (!strcmp(key, "cite") || !strcmp(key, "description")) r->cite = qc__c_dup(C, scalar(v));
            else if (!strcmp(key, "before")) r->before = step_list(C, v, sub2, &r->nbefore);
            else if (!strcmp(key, "steps")) r->steps = step_list(C, v, sub2, &r->nsteps);
            else if (!strcmp(key, "acts")) r->acts = name_list(C, v, sub2, &r->nacts, "act");
            else if (!strcmp(key, "labels")) {
                r->labels = qc__c_word_list(C, v, sub2, &r->nlabels);
                for (int l = 0; r->labels && l < r->nlabels; l++)
                    if (qc__c_find_label(C->rs, r->labels[l]) < 0) DIAG(L, v, QC_EUNKNOWN, sub2, "unknown label '%s'", r->labels[l]);
            } else if (!strcmp(key, "by")) {
                const char *b = scalar(v);
                if (b && (!strcmp(b, "any") || !strcmp(b, "leader"))) r->by_leader = b[0] == 'l';
                else DIAG(L, v, QC_EVALUE, sub2, "is any (anyone's act) or leader (a listed leader's own act)");
            } else DIAG(L, k, QC_EUNKNOWN, sub, "unknown key '%s' (id, before, labels, acts, steps, by, cite)", key);
        }
        if (!r->id) r->id = qc__c_dup(C, sub);
        if (!r->nbefore) { DIAG(L, e, QC_EMISSING, sub, "name the steps it must come before (before: [indictment])"); continue; }
        if (!r->nacts == !r->nsteps) { DIAG(L, e, QC_EMISSING, sub, "name either the acts or the steps required (acts: or steps:)"); continue; }
        if (r->by_leader && !r->nacts) { DIAG(L, e, QC_ECONST, sub, "by: leader is for acts"); continue; }
        nd->nrequires++;
    }
}

/* period_if: [{fact: F, above: N, period: SPAN}] or [{fact: F, is: true, period: SPAN}]:
 * the periods the law sets by a case fact (15 days, not 10, when the
 * possible sentence exceeds a year). */
static void compile_period_if(compiler *C, qc__proc_node *nd, ynode y, const char *path)
{
    loader *L = C->L;
    if (y.n->type != YAML_SEQUENCE_NODE) { DIAG(L, y, QC_ETYPE, path, "is a list of {fact:, above: or is:, period:}"); return; }
    int n = (int)(y.n->data.sequence.items.top - y.n->data.sequence.items.start);
    nd->period_if = qc__arena_alloc(C->arena, sizeof *nd->period_if * (size_t)(n ? n : 1));
    if (!nd->period_if) { DIAG(L, y, QC_ENOMEM, path, "out of memory"); return; }
    for (int i = 0; i < n; i++) {
        ynode e = child(y, y.n->data.sequence.items.start[i]);
        char sub[200];
        snprintf(sub, sizeof sub, "%s[%d]", path, i);
        if (e.n->type != YAML_MAPPING_NODE) { DIAG(L, e, QC_ETYPE, sub, "is {fact:, above: or is:, period:}"); continue; }
        struct qc__proc_period_if *c = &nd->period_if[nd->nperiod_if];
        *c = (struct qc__proc_period_if){.fact = -1};
        bool has_test = false, has_period = false, ok = true;
        ynode fact_node = e;
        for (yaml_node_pair_t *p = e.n->data.mapping.pairs.start; p < e.n->data.mapping.pairs.top; p++) {
            ynode k = child(e, p->key), v = child(e, p->value);
            const char *key = scalar(k), *val = scalar(v);
            char sub2[240];
            snprintf(sub2, sizeof sub2, "%s.%s", sub, key ? key : "?");
            if (!key) continue;
            if (!strcmp(key, "fact")) {
                fact_node = v;
                for (int f = 0; val && f < C->rs->prog.nfacts; f++)
                    if (!strcmp(C->rs->prog.facts[f].name, val)) c->fact = f;
                if (c->fact < 0) { DIAG(L, v, QC_EUNKNOWN, sub2, "unknown fact '%s' (declare it under facts:)", val ? val : "?"); ok = false; }
            } else if (!strcmp(key, "above")) {
                if (!qc__c_parse_number(val, &c->above)) { DIAG(L, v, QC_ETYPE, sub2, "is a number"); ok = false; }
                has_test = true;
            } else if (!strcmp(key, "is")) {
                if (!val || strcmp(val, "true")) { DIAG(L, v, QC_EVALUE, sub2, "is true (the period applies when the fact is true)"); ok = false; }
                c->is_true = has_test = true;
            } else if (!strcmp(key, "period")) {
                has_period = span_at(C, v, sub2, &c->period);
                ok &= has_period;
            } else if (strcmp(key, "cite")) {
                DIAG(L, k, QC_EUNKNOWN, sub, "unknown key '%s' (fact, above, is, period, cite)", key);
                ok = false;
            }
        }
        if (!ok) continue;
        if (c->fact < 0 || !has_test || !has_period) { DIAG(L, e, QC_EMISSING, sub, "needs fact:, above: or is:, and period:"); continue; }
        qc__xtype t = C->rs->prog.facts[c->fact].type;
        if (c->is_true ? t != X_BOOL : (t != X_INT && t != X_DEC)) {
            DIAG(L, fact_node, QC_ETYPE, sub, c->is_true ? "is: true needs a bool fact" : "above: needs an int or decimal fact");
            continue;
        }
        nd->nperiod_if++;
    }
}

static void compile_node(compiler *C, qc__proc_node *nd, ynode y, const char *path, int yellow, int orange)
{
    loader *L = C->L;
    nd->line = line_of(y);
    nd->id = qc__c_dup(C, path); /* until id: names it - a node that is no mapping keeps it */
    nd->max_restarts = -1;
    nd->holidays = true;
    nd->yellow = yellow;
    nd->orange = orange;
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "a node is a mapping (id:, opened_by:, period:, ...)"); return; }
    bool has_period = false, has_id = false;
    ynode warnings = {0};
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key) continue;
        if (!strcmp(key, "id")) {
            const char *id = scalar(v);
            has_id = true;
            if (!id || !qc__is_token(id)) DIAG(L, v, QC_EVALUE, sub, "is a word");
            else nd->id = qc__c_dup(C, id);
        } else if (!strcmp(key, "zh")) nd->zh = qc__c_dup(C, scalar(v));
        else if (!strcmp(key, "en")) nd->en = qc__c_dup(C, scalar(v));
        else if (!strcmp(key, "cite") || !strcmp(key, "description")) continue;
        else if (!strcmp(key, "lines")) nd->lines = qc__c_word_list(C, v, sub, &nd->nlines);
        else if (!strcmp(key, "opened_by")) nd->opened_by = step_list(C, v, sub, &nd->nopened);
        else if (!strcmp(key, "restarted_by")) nd->restarted_by = step_list(C, v, sub, &nd->nrestarted);
        else if (!strcmp(key, "closed_by")) nd->closed_by = step_list(C, v, sub, &nd->nclosed);
        else if (!strcmp(key, "suspended_by")) nd->suspended_by = step_list(C, v, sub, &nd->nsuspended);
        else if (!strcmp(key, "resumed_by")) nd->resumed_by = step_list(C, v, sub, &nd->nresumed);
        else if (!strcmp(key, "period")) {
            has_period = true; /* a bad one is reported as such, not as missing */
            span_at(C, v, sub, &nd->period);
        }
        else if (!strcmp(key, "max_restarts")) days_at(C, v, sub, &nd->max_restarts);
        else if (!strcmp(key, "warnings")) warnings = v;
        else if (!strcmp(key, "requires")) compile_requires(C, nd, v, sub);
        else if (!strcmp(key, "period_if")) compile_period_if(C, nd, v, sub);
        else if (!strcmp(key, "holidays")) {
            const char *b = scalar(v);
            if (b && (!strcmp(b, "true") || !strcmp(b, "false"))) nd->holidays = b[0] == 't';
            else DIAG(L, v, QC_EVALUE, sub, "is true (a last day on a holiday moves to the next working day) or false (custody periods)");
        } else if (!strcmp(key, "extend") || !strcmp(key, "extended_by")) {
            bool by_label = key[6] == '\0';
            if (v.n->type != YAML_MAPPING_NODE) {
                DIAG(L, v, QC_ETYPE, sub, by_label ? "is {LABEL: PERIOD} (major: 15 days)" : "is {STEP: PERIOD} (extension_granted: 1 month)");
                continue;
            }
            int n = (int)(v.n->data.mapping.pairs.top - v.n->data.mapping.pairs.start);
            if (by_label) nd->extend = qc__arena_alloc(C->arena, sizeof *nd->extend * (size_t)(n ? n : 1));
            else nd->granted = qc__arena_alloc(C->arena, sizeof *nd->granted * (size_t)(n ? n : 1));
            if (by_label ? !nd->extend : !nd->granted) { DIAG(L, v, QC_ENOMEM, sub, "out of memory"); continue; }
            for (yaml_node_pair_t *q = v.n->data.mapping.pairs.start; q < v.n->data.mapping.pairs.top; q++) {
                ynode k2 = child(v, q->key);
                const char *word = scalar(k2);
                char sub2[200];
                snprintf(sub2, sizeof sub2, "%s.%s", sub, word ? word : "?");
                qc__span by;
                if (!span_at(C, child(v, q->value), sub2, &by)) continue;
                if (by_label) {
                    int label = word ? qc__c_find_label(C->rs, word) : -1;
                    if (label < 0) { DIAG(L, k2, QC_EUNKNOWN, sub, "unknown label '%s'", word ? word : "?"); continue; }
                    nd->extend[nd->nextend++] = (struct qc__proc_extend){label, by};
                } else {
                    int nwords = 0;
                    const char **w = step_list(C, k2, sub, &nwords);
                    if (w && nwords == 1) nd->granted[nd->ngranted++] = (struct qc__proc_grant){w[0], by};
                }
            }
        } else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (id, zh, en, lines, opened_by, restarted_by, max_restarts, closed_by, "
                    "suspended_by, resumed_by, period, period_if, extend, extended_by, holidays, warnings, requires)", key);
    }
    if (warnings.n) {
        char sub[160];
        snprintf(sub, sizeof sub, "%s.warnings", path);
        compile_warnings(C, warnings, sub, &nd->yellow, &nd->orange);
    }
    if (!has_id) DIAG(L, y, QC_EMISSING, path, "a node needs an id");
    if (!has_period) DIAG(L, y, QC_EMISSING, path, "node '%s' needs a period (period: 1 month)", nd->id);
    if (!nd->nopened && !nd->nrestarted) DIAG(L, y, QC_EMISSING, path, "node '%s' needs opened_by: (the steps that open it)", nd->id);
    if (nd->nsuspended && !nd->nresumed) DIAG(L, y, QC_EMISSING, path, "node '%s' can be suspended but not resumed (resumed_by:)", nd->id);
    if (nd->max_restarts >= 0 && !nd->nrestarted) DIAG(L, y, QC_ECONST, path, "max_restarts without restarted_by: in node '%s'", nd->id);
}

void qc__compile_deadlines(compiler *C)
{
    loader *L = C->L;
    qc__deadline_spec *d = &C->rs->deadlines;
    ynode y = L->deadlines;
    d->weekends_off = true;
    if (!y.n) return;
    const char *path = "deadlines";
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, path, "is a mapping (nodes:, warnings:, holidays:, workdays:, weekends:)"); return; }
    d->present = true;
    int yellow = DEFAULT_YELLOW, orange = DEFAULT_ORANGE;
    ynode nodes = {0};
    /* the section's warnings first: they are every node's default */
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        const char *key = scalar(child(y, p->key));
        if (key && !strcmp(key, "warnings")) compile_warnings(C, child(y, p->value), "deadlines.warnings", &yellow, &orange);
    }
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        char sub[64];
        snprintf(sub, sizeof sub, "%s.%s", path, key ? key : "?");
        if (!key || !strcmp(key, "warnings")) continue;
        if (!strcmp(key, "nodes")) nodes = v;
        else if (!strcmp(key, "holidays")) compile_calendar(C, v, sub, &d->holidays, &d->nholidays);
        else if (!strcmp(key, "workdays")) compile_calendar(C, v, sub, &d->workdays, &d->nworkdays);
        else if (!strcmp(key, "weekends")) {
            const char *w = scalar(v);
            if (w && (!strcmp(w, "holidays") || !strcmp(w, "working"))) d->weekends_off = w[0] == 'h';
            else DIAG(L, v, QC_EVALUE, sub, "is holidays (Saturdays and Sundays are not working days) or working");
        } else DIAG(L, k, QC_EUNKNOWN, path, "unknown key '%s' (nodes, warnings, holidays, workdays, weekends)", key);
    }
    if (!nodes.n) { DIAG(L, y, QC_EMISSING, path, "list the process nodes (nodes:)"); return; }
    if (nodes.n->type != YAML_SEQUENCE_NODE) { DIAG(L, nodes, QC_ETYPE, "deadlines.nodes", "is a list of nodes"); return; }
    int n = (int)(nodes.n->data.sequence.items.top - nodes.n->data.sequence.items.start);
    d->nodes = qc__arena_alloc(C->arena, sizeof *d->nodes * (size_t)(n ? n : 1));
    if (!d->nodes) { DIAG(L, nodes, QC_ENOMEM, "deadlines.nodes", "out of memory"); return; }
    for (int i = 0; i < n; i++) {
        char sub[64];
        snprintf(sub, sizeof sub, "deadlines.nodes[%d]", i);
        ynode e = child(nodes, nodes.n->data.sequence.items.start[i]);
        qc__proc_node *nd = &d->nodes[d->nnodes];
        compile_node(C, nd, e, sub, yellow, orange);
        for (int j = 0; nd->id && j < d->nnodes; j++)
            if (d->nodes[j].id && !strcmp(d->nodes[j].id, nd->id)) DIAG(L, e, QC_EEXIST, sub, "node '%s' listed twice", nd->id);
        d->nnodes++;
    }
    /* the nodes' display names, beside the labels', roles' and steps' */
    qc__ruleset *rs = C->rs;
    qc__name *names = qc__arena_alloc(C->arena, sizeof *names * (size_t)(rs->nnames + d->nnodes + 1));
    if (names) {
        memcpy(names, rs->names, sizeof *names * (size_t)rs->nnames);
        rs->names = names;
        for (int i = 0; i < d->nnodes; i++)
            if (d->nodes[i].zh || d->nodes[i].en)
                rs->names[rs->nnames++] = (qc__name){"node", d->nodes[i].id, d->nodes[i].zh, d->nodes[i].en};
    }
    /* a day both a holiday and a make-up working day is a typo */
    for (int i = 0, j = 0; i < d->nholidays && j < d->nworkdays;) {
        if (d->holidays[i] < d->workdays[j]) i++;
        else if (d->holidays[i] > d->workdays[j]) j++;
        else {
            char day[16];
            qc_date_format(day, sizeof day, d->holidays[i]);
            DIAG(L, y, QC_ECONST, "deadlines.workdays", "%s is both a holiday and a working day", day);
            break;
        }
    }
}

void qc__compile_ratio(compiler *C)
{
    loader *L = C->L;
    qc__ratio_spec *r = &C->rs->ratio;
    ynode y = L->ratio;
    if (!y.n) return;
    if (y.n->type != YAML_MAPPING_NODE) { DIAG(L, y, QC_ETYPE, "ratio", "is {cases: [STEP...], proceedings: [STEP...]}"); return; }
    r->present = true;
    for (yaml_node_pair_t *p = y.n->data.mapping.pairs.start; p < y.n->data.mapping.pairs.top; p++) {
        ynode k = child(y, p->key), v = child(y, p->value);
        const char *key = scalar(k);
        if (key && !strcmp(key, "cases")) r->cases = step_list(C, v, "ratio.cases", &r->ncases);
        else if (key && !strcmp(key, "proceedings")) r->proceedings = step_list(C, v, "ratio.proceedings", &r->nproceedings);
        else if (!key || (strcmp(key, "cite") && strcmp(key, "description")))
            DIAG(L, k, QC_EUNKNOWN, "ratio", "unknown key '%s' (cases, proceedings)", key ? key : "?");
    }
    if (!r->ncases) DIAG(L, y, QC_EMISSING, "ratio", "name the intake steps that make a case (cases: [...])");
    if (r->nproceedings > 32) DIAG(L, y, QC_ETOOLONG, "ratio.proceedings", "names more than 32 step kinds");
    for (int i = 0; i < r->ncases; i++)
        if (qc__word_at(r->proceedings, r->nproceedings, r->cases[i]) >= 0)
            DIAG(L, y, QC_ECONST, "ratio", "'%s' is both a case intake and a proceeding", r->cases[i]);
}
