/* SPDX-License-Identifier: MIT
 * rules_test.c - the rule test runner: YAML test files of cases and the
 * labels, rules and weight each must get, reported as TAP with rule
 * coverage.  The quotacase test command and the bindings call this.
 *
 *   rules: liaoning-2017.yaml        # or a list; relative to this file
 *   today: 2017-12-31                # optional: what `today` means
 *   tests:
 *     - name: a ten-year sentence makes a case major
 *       case: {line: prosecution, type: fraud, registered: 2017-06-01, office_level: basic}
 *       facts: {possible_sentence_years: 12}
 *       expect: {primary: major, labels: [major], rules: [sentence-ten-years], weight: 3}
 *
 * `expect` may also be {error: QC_EMISSING}: the classification must fail
 * with that code.  A test with steps: checks the case's deadline on a day
 * (docs/deadlines.md):
 *
 *     - name: prosecution review, major: fifteen days more
 *       case: {line: prosecution, type: fraud, registered: 2018-03-01}
 *       facts: {max_sentence_years: 10}
 *       steps: [{kind: intake_prosecution, date: 2018-03-01}]
 *       on: 2018-04-16
 *       expect: {node: prosecution_review, due: 2018-04-16, days_left: 0, level: orange}
 *
 * Coverage counts the rules every test matched and the deadline nodes
 * some test reached.  Unknown keys are errors, so a typo in an expectation
 * never passes silently.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "rules_internal.h"
#include "yamlread.h"

struct qc_test_report {
    char *tap;
    size_t len, cap;
    int total, failed;
    int rules, covered;
    char **uncovered;
    int nuncovered;
};

static void tap(qc_test_report *r, const char *fmt, ...) QC__PRINTF(2, 3);
static void tap(qc_test_report *r, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = qc__vsnprintf_c(r->tap ? r->tap + r->len : NULL, r->tap ? r->cap - r->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) return;
        if (r->tap && r->len + (size_t)n < r->cap) {
            r->len += (size_t)n;
            return;
        }
        size_t cap = r->cap ? r->cap * 2 : 4096;
        while (cap < r->len + (size_t)n + 1) cap *= 2;
        char *t = realloc(r->tap, cap);
        if (!t) return;
        r->tap = t;
        r->cap = cap;
    }
}

QC_EXTERN void qc_test_report_free(qc_test_report *r)
{
    if (!r) return;
    for (int i = 0; i < r->nuncovered; i++) free(r->uncovered[i]);
    free(r->uncovered);
    free(r->tap);
    free(r);
}

QC_EXTERN int qc_test_report_total(const qc_test_report *r) { return r ? r->total : 0; }
QC_EXTERN int qc_test_report_failed(const qc_test_report *r) { return r ? r->failed : 0; }
QC_EXTERN const char *qc_test_report_tap(const qc_test_report *r) { return r && r->tap ? r->tap : ""; }
QC_EXTERN int qc_test_report_rule_count(const qc_test_report *r) { return r ? r->rules : 0; }
QC_EXTERN int qc_test_report_covered_count(const qc_test_report *r) { return r ? r->covered : 0; }

QC_EXTERN const char *qc_test_report_uncovered(const qc_test_report *r, int i)
{
    return qc__index_ok(r, i, r ? r->nuncovered : 0, __func__) ? r->uncovered[i] : NULL;
}

typedef struct run {
    yaml_document_t doc;
    const char *file;
    qc_rules *rules;
    qc_classifier *cls;
    qc_record *kase;
    qc_test_report *report;
    bool *hit;         /* per rule of every set, flattened */
    int *set_base;     /* index of each set's first rule in hit */
    bool *node_hit;    /* per deadline node of every set, flattened */
    int *node_base;    /* index of each set's first node in node_hit */
} run;

static yaml_node_t *node(run *R, int i) { return yaml_document_get_node(&R->doc, i); }
static const char *scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL; }

static int bad(run *R, const yaml_node_t *n, int code, const char *path, const char *fmt, ...) QC__PRINTF(5, 6);
static int bad(run *R, const yaml_node_t *n, int code, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    qc__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return qc__error(code, "%s:%ld:%ld: %s: %s", R->file, n ? (long)n->start_mark.line + 1 : 0,
                     n ? (long)n->start_mark.column + 1 : 0, path, msg);
}

static char *sibling(const char *from, const char *rel)
{
    if (rel[0] == '/') return strdup(rel);
    const char *slash = strrchr(from, '/');
    size_t dir = slash ? (size_t)(slash - from + 1) : 0;
    char *p = malloc(dir + strlen(rel) + 1);
    if (p) {
        memcpy(p, from, dir);
        strcpy(p + dir, rel);
    }
    return p;
}

static int load_rules(run *R, yaml_node_t *n)
{
    int rc = qc_rules_new(&R->rules);
    if (rc < 0) return rc;
    yaml_node_item_t one = 0, *items = &one, *end = &one + 1;
    int index = 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        items = n->data.sequence.items.start;
        end = n->data.sequence.items.top;
    }
    for (yaml_node_item_t *it = items; it < end; it++) {
        yaml_node_t *f = n->type == YAML_SEQUENCE_NODE ? node(R, *it) : n;
        const char *rel = scalar(f);
        if (!rel) return bad(R, f, QC_ETYPE, "rules", "names a rule file, or a list of them");
        char *path = sibling(R->file, rel);
        if (!path) return qc__error(QC_ENOMEM, "out of memory");
        rc = qc_rules_add_file(R->rules, path);
        free(path);
        if (rc < 0) return rc; /* the rule file's own message says where */
        index++;
    }
    if (!index) return bad(R, n, QC_EMISSING, "rules", "names no rule file");
    return QC_OK;
}

/* Fill the case record from `case:` and `facts:` of test t. */
static int build_case(run *R, yaml_node_t *kase, yaml_node_t *facts, const char *path, int number)
{
    qc_record_clear(R->kase);
    char id[32];
    snprintf(id, sizeof id, "test-%d", number);
    qc_record_set_text(R->kase, QC_CASE_ID, id);
    qc_record_set_text(R->kase, QC_CASE_OFFICE, "test-office");
    qc_record_set_text(R->kase, QC_CASE_LINE, "unspecified");
    qc_record_set_text(R->kase, QC_CASE_TYPE, "unspecified");
    qc_record_set_int(R->kase, QC_CASE_REGISTERED, R->cls->today);
    qc_classifier_set_office_level(R->cls, 0);
    char sub[160];
    if (kase) {
        if (kase->type != YAML_MAPPING_NODE) return bad(R, kase, QC_ETYPE, path, "case: is a mapping of case fields");
        for (yaml_node_pair_t *p = kase->data.mapping.pairs.start; p < kase->data.mapping.pairs.top; p++) {
            yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
            const char *key = scalar(k), *val = scalar(v);
            snprintf(sub, sizeof sub, "%s.case.%s", path, key ? key : "?");
            if (!key || !val) return bad(R, k, QC_ETYPE, sub, "case fields are plain values");
            if (!strcmp(key, "office_level")) {
                int64_t level = qc__enum_parse(QC_KIND_OFFICE, QC_OFFICE_LEVEL, val);
                if (!level) return bad(R, v, QC_EVALUE, sub, "'%s' is not an office level", val);
                qc_classifier_set_office_level(R->cls, (int)level);
                continue;
            }
            int f = qc_field_lookup(QC_KIND_CASE, key);
            if (f < 0) return bad(R, k, QC_EUNKNOWN, sub, "a case has no field '%s' (facts go under facts:)", key);
            int rc = qc_record_set_text(R->kase, f, val);
            if (rc < 0) {
                qc__error_prefix("%s:%ld:%ld", R->file, (long)v->start_mark.line + 1, (long)v->start_mark.column + 1);
                return rc;
            }
        }
    }
    if (facts) {
        if (facts->type != YAML_MAPPING_NODE) return bad(R, facts, QC_ETYPE, path, "facts: is a mapping of names to values");
        for (yaml_node_pair_t *p = facts->data.mapping.pairs.start; p < facts->data.mapping.pairs.top; p++) {
            yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
            const char *key = scalar(k), *val = scalar(v);
            snprintf(sub, sizeof sub, "%s.facts.%s", path, key ? key : "?");
            if (!key || !val) return bad(R, k, QC_ETYPE, sub, "facts are plain values");
            if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!*val || !strcmp(val, "~") || !strcmp(val, "null")))
                continue; /* null: the fact is missing */
            qc_type type = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? QC_TYPE_NULL : QC_TYPE_TEXT;
            int rc = qc_record_set_fact_parse(R->kase, key, type, val);
            if (rc < 0) {
                qc__error_prefix("%s:%ld:%ld", R->file, (long)v->start_mark.line + 1, (long)v->start_mark.column + 1);
                return rc;
            }
        }
    }
    return QC_OK;
}

/* Compare a list of ids in the expectation with what the result gave. */
static bool same_ids(run *R, yaml_node_t *want, const qc_result *res, bool labels, char *got, size_t size)
{
    int n = labels ? qc_result_label_count(res) : qc_result_match_count(res);
    got[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(got);
        snprintf(got + len, size - len, "%s%s", i ? ", " : "", labels ? qc_result_label(res, i) : qc_result_match_rule(res, i));
    }
    int count = (int)(want->data.sequence.items.top - want->data.sequence.items.start);
    if (count != n) return false;
    for (yaml_node_item_t *it = want->data.sequence.items.start; it < want->data.sequence.items.top; it++) {
        const char *w = scalar(node(R, *it));
        bool found = false;
        for (int i = 0; w && i < n && !found; i++)
            found = !strcmp(w, labels ? qc_result_label(res, i) : qc_result_match_rule(res, i));
        if (!found) return false;
    }
    return true;
}

static void mark_coverage(run *R, const qc_result *res)
{
    for (int s = 0; s < R->rules->nsets; s++)
        if (R->rules->sets[s] == res->rs)
            for (int i = 0; i < res->nmatched; i++) R->hit[R->set_base[s] + res->matched[i]] = true;
}

/* The case and its steps in a store of their own, and its deadline on
 * the day: the same code as `quotacase deadlines`, nothing imitated. */
static int deadline_of(run *R, yaml_node_t *steps, int64_t on, const char *path, qc_deadlines **out)
{
    qc_store *s = NULL;
    qc_record *r = NULL;
    int level = R->cls->office_level ? (int)R->cls->office_level : QC_LEVEL_BASIC;
    const qc__ruleset *rs = qc__set_in_force(R->rules, qc_record_int(R->kase, QC_CASE_REGISTERED), 0, NULL, NULL,
                                             QC__SECTION_ANY);
    const char *kind = rs && rs->kind == QC_OFFICE_COURT ? "court" : "procuratorate";
    char sub[160];
    if (steps->type != YAML_SEQUENCE_NODE) return bad(R, steps, QC_ETYPE, path, "steps: is a list of {kind:, date:}");
    int rc = qc_store_open(&s, "memory:");
    if (rc == QC_OK && (rc = qc_record_new(&r, QC_KIND_OFFICE)) == QC_OK &&
        (rc = qc_record_set_text(r, QC_OFFICE_ID, "test-office")) == QC_OK &&
        (rc = qc_record_set_text(r, QC_OFFICE_NAME, "test office")) == QC_OK &&
        (rc = qc_record_set_text(r, QC_OFFICE_KIND, kind)) == QC_OK &&
        (rc = qc_record_set_int(r, QC_OFFICE_LEVEL, level)) == QC_OK && (rc = qc_store_put(s, r)) == QC_OK)
        rc = qc_store_put(s, R->kase);
    qc_record_free(r);
    r = NULL;
    if (rc == QC_OK) rc = qc_record_new(&r, QC_KIND_STEP);
    int i = 0;
    for (yaml_node_item_t *it = steps->data.sequence.items.start; rc == QC_OK && it < steps->data.sequence.items.top; it++, i++) {
        yaml_node_t *st = node(R, *it);
        snprintf(sub, sizeof sub, "%s.steps[%d]", path, i);
        if (st->type != YAML_MAPPING_NODE) { rc = bad(R, st, QC_ETYPE, sub, "a step is {kind:, date:}"); break; }
        qc_record_clear(r);
        qc_record_set_text(r, QC_STEP_CASE, qc_record_text(R->kase, QC_CASE_ID));
        for (yaml_node_pair_t *p = st->data.mapping.pairs.start; rc == QC_OK && p < st->data.mapping.pairs.top; p++) {
            const char *key = scalar(node(R, p->key)), *val = scalar(node(R, p->value));
            int f = key && strcmp(key, "case") && strcmp(key, "person") ? qc_field_lookup(QC_KIND_STEP, key) : -1;
            if (f < 0 || !val) { rc = bad(R, node(R, p->key), QC_EUNKNOWN, sub, "a step here has kind:, date: and note:"); break; }
            if ((rc = qc_record_set_text(r, f, val)) < 0) {
                yaml_node_t *v = node(R, p->value);
                qc__error_prefix("%s:%ld:%ld", R->file, (long)v->start_mark.line + 1, (long)v->start_mark.column + 1);
            }
        }
        if (rc == QC_OK && (rc = qc_store_put(s, r)) == QC_EEXIST) rc = QC_OK; /* the same step twice is one step */
        if (rc < 0) qc__error_prefix("%s: %s", R->file, sub);
    }
    if (rc == QC_OK) rc = qc_deadlines_compute(out, R->rules, s, NULL, NULL, on);
    qc_record_free(r);
    qc_store_free(s);
    return rc;
}

static void mark_node(run *R, const qc_deadlines *d)
{
    const qc__ruleset *rs;
    int at = qc__deadlines_node_at(d, 0, &rs);
    for (int s = 0; at >= 0 && s < R->rules->nsets; s++)
        if (R->rules->sets[s] == rs) R->node_hit[R->node_base[s] + at] = true;
}

/* Check the deadline expectations of one test into fail. */
static int expect_deadline(run *R, yaml_node_t *k, yaml_node_t *v, const char *sub, qc_deadlines *d, char *fail, size_t size)
{
    const char *key = scalar(k), *val = scalar(v);
    size_t len = strlen(fail);
    bool none = !qc_deadlines_count(d);
    char got[64] = "", want[64];
    static const char *const keys[] = {"node", "due", "started", "days_left", "level", "restarts", "over_limit"};
    if (qc__word_at(keys, (int)QC__ARRAY_LEN(keys), key) < 0) return 1; /* not a deadline expectation */
    if (!val) return bad(R, v, QC_ETYPE, sub, "is a plain value");
    snprintf(want, sizeof want, "%s", val);
    if (!strcmp(key, "node")) snprintf(got, sizeof got, "%s", none ? "none" : qc_deadlines_node(d, 0));
    else if (none) snprintf(got, sizeof got, "no node");
    else if (!strcmp(key, "due")) qc_date_format(got, sizeof got, qc_deadlines_due(d, 0));
    else if (!strcmp(key, "started")) qc_date_format(got, sizeof got, qc_deadlines_started(d, 0));
    else if (!strcmp(key, "days_left")) snprintf(got, sizeof got, "%lld", (long long)qc_deadlines_days_left(d, 0));
    else if (!strcmp(key, "level")) snprintf(got, sizeof got, "%s", qc_deadlines_level(d, 0));
    else if (!strcmp(key, "restarts")) snprintf(got, sizeof got, "%d", qc_deadlines_restarts(d, 0));
    else snprintf(got, sizeof got, "%s", qc_deadlines_over_limit(d, 0) ? "true" : "false");
    if (strcmp(got, want)) snprintf(fail + len, size - len, "#   %s: want %s, got %s\n", key, want, got);
    return 0;
}

static int run_test(run *R, yaml_node_t *t, int number)
{
    char path[64];
    snprintf(path, sizeof path, "tests[%d]", number - 1);
    if (t->type != YAML_MAPPING_NODE) return bad(R, t, QC_ETYPE, path, "a test is a mapping (name:, case:, facts:, expect:)");
    yaml_node_t *name = NULL, *kase = NULL, *facts = NULL, *expect = NULL, *steps = NULL, *on = NULL;
    for (yaml_node_pair_t *p = t->data.mapping.pairs.start; p < t->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
        const char *key = scalar(k);
        if (key && !strcmp(key, "name")) name = v;
        else if (key && !strcmp(key, "case")) kase = v;
        else if (key && !strcmp(key, "facts")) facts = v;
        else if (key && !strcmp(key, "expect")) expect = v;
        else if (key && !strcmp(key, "steps")) steps = v;
        else if (key && !strcmp(key, "on")) on = v;
        else return bad(R, k, QC_EUNKNOWN, path, "unknown key '%s' (name, case, facts, steps, on, expect)", key ? key : "?");
    }
    if (on && !steps) return bad(R, on, QC_EMISSING, path, "on: asks for a deadline: list the case's steps (steps:)");
    if (!expect || expect->type != YAML_MAPPING_NODE)
        return bad(R, expect ? expect : t, QC_EMISSING, path, "needs expect: {primary:, labels:, rules:, weight:} or {error:}");
    int rc = build_case(R, kase, facts, path, number);
    if (rc < 0) return rc;
    const char *title = scalar(name) ? scalar(name) : path;
    const qc_result *res = NULL;
    int crc = qc_classify(&res, R->cls, R->kase);
    char fail[2048] = "", got[1024];
    qc_deadlines *deadlines = NULL;
    if (steps) {
        int64_t day = R->cls->today;
        if (on && (!scalar(on) || qc_date_parse(&day, scalar(on)) < 0)) return bad(R, on, QC_EDATE, path, "on: is a date, YYYY-MM-DD");
        if ((rc = deadline_of(R, steps, day, path, &deadlines)) < 0) return rc;
        mark_node(R, deadlines);
    }
    for (yaml_node_pair_t *p = expect->data.mapping.pairs.start; p < expect->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
        const char *key = scalar(k), *val = scalar(v);
        char sub[96];
        snprintf(sub, sizeof sub, "%s.expect.%s", path, key ? key : "?");
        size_t len = strlen(fail);
        if (!key) return bad(R, k, QC_ETYPE, sub, "expectation keys are words");
        if (!strcmp(key, "error")) {
            if (!val) return bad(R, v, QC_ETYPE, sub, "names a status code (QC_EMISSING)");
            if (crc == QC_OK || strcmp(qc_status_name(crc), val))
                snprintf(fail + len, sizeof fail - len, "#   error: want %s, got %s\n", val, crc == QC_OK ? "success" : qc_status_name(crc));
            continue;
        }
        if (deadlines) {
            int drc = expect_deadline(R, k, v, sub, deadlines, fail, sizeof fail);
            if (drc < 0) {
                qc_deadlines_free(deadlines);
                return drc;
            }
            if (drc == 0) continue;
        }
        if (crc < 0) {
            snprintf(fail + len, sizeof fail - len, "#   classification failed: %s\n", qc_error_last());
            break;
        }
        if (!strcmp(key, "primary")) {
            if (!val) return bad(R, v, QC_ETYPE, sub, "names a label");
            if (strcmp(val, qc_result_primary(res)))
                snprintf(fail + len, sizeof fail - len, "#   primary: want %s, got %s\n", val, qc_result_primary(res));
        } else if (!strcmp(key, "labels") || !strcmp(key, "rules")) {
            if (v->type != YAML_SEQUENCE_NODE) return bad(R, v, QC_ETYPE, sub, "is a list, [] for none");
            if (!same_ids(R, v, res, key[0] == 'l', got, sizeof got)) {
                char want[512] = "";
                for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                    size_t wl = strlen(want);
                    snprintf(want + wl, sizeof want - wl, "%s%s", it > v->data.sequence.items.start ? ", " : "",
                             scalar(node(R, *it)) ? scalar(node(R, *it)) : "?");
                }
                snprintf(fail + len, sizeof fail - len, "#   %s: want [%s], got [%s]\n", key, want, got);
            }
        } else if (!strcmp(key, "weight")) {
            char *end;
            double w = val ? qc__strtod(val, &end) : NAN;
            if (!val || *end) return bad(R, v, QC_ETYPE, sub, "is a number");
            if (fabs(w - qc_result_weight(res)) > 1e-9 * (1 + fabs(w)))
                snprintf(fail + len, sizeof fail - len, "#   weight: want %g, got %g\n", w, qc_result_weight(res));
        } else {
            qc_deadlines_free(deadlines);
            return bad(R, k, QC_EUNKNOWN, sub, "unknown expectation '%s' (primary, labels, rules, weight, error%s)", key,
                       steps ? "; node, due, started, days_left, level, restarts, over_limit" : "");
        }
    }
    qc_deadlines_free(deadlines);
    if (crc == QC_OK) mark_coverage(R, res);
    R->report->total++;
    if (fail[0]) {
        R->report->failed++;
        tap(R->report, "not ok %d - %s\n%s", number, title, fail);
    } else {
        tap(R->report, "ok %d - %s\n", number, title);
    }
    return QC_OK;
}

static int run_file(run *R)
{
    yaml_node_t *root = yaml_document_get_root_node(&R->doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return bad(R, root, root ? QC_ETYPE : QC_EEMPTY, "document", "a test file is a mapping (rules:, today:, tests:)");
    yaml_node_t *rules = NULL, *tests = NULL, *today = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(R, p->key), *v = node(R, p->value);
        const char *key = scalar(k);
        if (key && !strcmp(key, "rules")) rules = v;
        else if (key && !strcmp(key, "tests")) tests = v;
        else if (key && !strcmp(key, "today")) today = v;
        else if (!key || strcmp(key, "description"))
            return bad(R, k, QC_EUNKNOWN, "document", "unknown key '%s' (rules, today, tests, description)", key ? key : "?");
    }
    if (!rules) return bad(R, root, QC_EMISSING, "rules", "name the rule file(s) under test");
    if (!tests || tests->type != YAML_SEQUENCE_NODE) return bad(R, tests ? tests : root, QC_EMISSING, "tests", "a list of tests is needed");
    int rc = load_rules(R, rules);
    if (rc < 0) return rc;
    if ((rc = qc_classifier_new(&R->cls, R->rules)) < 0 || (rc = qc_record_new(&R->kase, QC_KIND_CASE)) < 0) return rc;
    if (today) {
        int64_t day;
        if (!scalar(today) || qc_date_parse(&day, scalar(today)) < 0) return bad(R, today, QC_EDATE, "today", "is a date, YYYY-MM-DD");
        qc_classifier_set_today(R->cls, day);
    }
    int nrules = 0;
    R->set_base = calloc((size_t)R->rules->nsets, sizeof *R->set_base);
    if (!R->set_base) return qc__error(QC_ENOMEM, "out of memory");
    for (int s = 0; s < R->rules->nsets; s++) {
        R->set_base[s] = nrules;
        nrules += R->rules->sets[s]->nrules;
    }
    if (!(R->hit = calloc((size_t)nrules + 1, sizeof *R->hit))) return qc__error(QC_ENOMEM, "out of memory");
    int nnodes = 0;
    if (!(R->node_base = calloc((size_t)R->rules->nsets, sizeof *R->node_base))) return qc__error(QC_ENOMEM, "out of memory");
    for (int s = 0; s < R->rules->nsets; s++) {
        R->node_base[s] = nnodes;
        nnodes += R->rules->sets[s]->deadlines.nnodes;
    }
    if (!(R->node_hit = calloc((size_t)nnodes + 1, sizeof *R->node_hit))) return qc__error(QC_ENOMEM, "out of memory");
    int number = 0;
    for (yaml_node_item_t *it = tests->data.sequence.items.start; it < tests->data.sequence.items.top; it++)
        if ((rc = run_test(R, node(R, *it), ++number)) < 0) return rc;
    qc_test_report *rep = R->report;
    tap(rep, "1..%d\n", number);
    rep->rules = nrules;
    for (int s = 0; s < R->rules->nsets; s++) {
        const qc__ruleset *set = R->rules->sets[s];
        for (int i = 0; i < set->nrules; i++) {
            if (R->hit[R->set_base[s] + i]) {
                rep->covered++;
                continue;
            }
            char **u = realloc(rep->uncovered, sizeof *u * (size_t)(rep->nuncovered + 1));
            if (!u) return qc__error(QC_ENOMEM, "out of memory");
            rep->uncovered = u;
            size_t n = strlen(set->name) + strlen(set->version) + strlen(set->rules[i].id) + 3;
            if (!(u[rep->nuncovered] = malloc(n))) return qc__error(QC_ENOMEM, "out of memory");
            snprintf(u[rep->nuncovered++], n, "%s %s:%s", set->name, set->version, set->rules[i].id);
        }
    }
    int rules_covered = rep->covered, nodes_covered = 0;
    for (int s = 0; s < R->rules->nsets; s++) {
        const qc__ruleset *set = R->rules->sets[s];
        for (int i = 0; i < set->deadlines.nnodes; i++) {
            if (R->node_hit[R->node_base[s] + i]) {
                nodes_covered++;
                continue;
            }
            char **u = realloc(rep->uncovered, sizeof *u * (size_t)(rep->nuncovered + 1));
            if (!u) return qc__error(QC_ENOMEM, "out of memory");
            rep->uncovered = u;
            size_t n = strlen(set->name) + strlen(set->version) + strlen(set->deadlines.nodes[i].id) + 16;
            if (!(u[rep->nuncovered] = malloc(n))) return qc__error(QC_ENOMEM, "out of memory");
            snprintf(u[rep->nuncovered++], n, "%s %s:node %s", set->name, set->version, set->deadlines.nodes[i].id);
        }
    }
    /* the counts of the report are the rules and the nodes together */
    rep->rules += nnodes;
    rep->covered += nodes_covered;
    tap(rep, "# coverage: %d of %d rules matched by some test (%.0f%%)\n", rules_covered, nrules,
        nrules ? 100.0 * rules_covered / nrules : 100.0);
    if (nnodes)
        tap(rep, "# coverage: %d of %d deadline nodes reached by some test (%.0f%%)\n", nodes_covered, nnodes,
            100.0 * nodes_covered / nnodes);
    for (int i = 0; i < rep->nuncovered; i++) tap(rep, "# not exercised: %s\n", rep->uncovered[i]);
    return rep->failed ? QC_ETESTFAIL : QC_OK;
}

QC_EXTERN int qc_rules_test_file(qc_test_report **out, const char *path)
{
    if (out) *out = NULL;
    if (!out || !path) return qc__error(QC_EINVAL, "qc_rules_test_file: NULL argument");
    *out = NULL;
    run R = {.file = path};
    char *text;
    size_t size;
    int rc = qc__read_file(path, QC_MAX_RULE_FILE_BYTES, "a rule test file", &text, &size);
    if (rc < 0) return rc;
    qc__input in;
    qc__yaml_problem problem;
    qc__input_memory(&in, path, text, size, true);
    rc = qc__yaml_load(&R.doc, &in, QC_YAML_RULES_DEPTH, &problem);
    free(text);
    if (rc < 0) {
        yaml_document_delete(&R.doc);
        return problem.line ? qc__error(rc, "%s:%ld:%ld: %s", path, problem.line, problem.col, problem.message)
                            : qc__error(rc, "%s: %s", path, problem.message);
    }
    if (!(R.report = calloc(1, sizeof *R.report))) rc = qc__error(QC_ENOMEM, "out of memory");
    else rc = run_file(&R);
    if (rc == QC_OK || rc == QC_ETESTFAIL) {
        *out = R.report;
        R.report = NULL;
        if (rc == QC_ETESTFAIL)
            qc__error(rc, "%s: %d of %d tests failed", path, (*out)->failed, (*out)->total);
    }
    qc_test_report_free(R.report);
    qc_classifier_free(R.cls);
    qc_record_free(R.kase);
    qc_rules_free(R.rules);
    free(R.hit);
    free(R.set_base);
    free(R.node_hit);
    free(R.node_base);
    yaml_document_delete(&R.doc);
    return rc;
}
