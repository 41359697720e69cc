/* SPDX-License-Identifier: MIT
 * cmd_rules.c - the rule commands of quotacase: lint, classify, explain,
 * test.  Thin layers over qc_rules_*, qc_classify* and qc_rules_test_file.
 */
#include "config.h"

#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Load every --rules file (or the given paths) side by side. */
int load_rules(qc_rules **out, const options *o, const char *const *paths, int n)
{
    int rc = qc_rules_new(out);
    if (rc == QC_OK && o->allow_absolute_extends) rc = qc_rules_set_option(*out, QC_RULES_ABSOLUTE_EXTENDS, 1);
    for (int i = 0; rc == QC_OK && i < n; i++) rc = qc_rules_add_file(*out, paths[i]);
    if (rc < 0) {
        qc_rules_free(*out);
        *out = NULL;
    }
    return rc;
}

int cmd_lint(const options *o, int argc, char **argv)
{
    if (argc < 1) return usage_error("lint: %s", "name at least one rule file");
    qc_rules *rules;
    int rc = load_rules(&rules, o, (const char *const *)argv, argc);
    if (rc < 0) return fail(rc);
    for (int i = 0; i < qc_rules_count(rules); i++)
        for (int w = 0; w < qc_rules_warning_count(rules, i); w++) fprintf(stderr, "warning: %s\n", qc_rules_warning(rules, i, w));
    for (int i = 0; !o->quiet && i < qc_rules_count(rules); i++) {
        char from[16] = "", to[16] = "open";
        qc_date_format(from, sizeof from, qc_rules_effective_from(rules, i));
        if (qc_rules_effective_to(rules, i)) qc_date_format(to, sizeof to, qc_rules_effective_to(rules, i));
        printf("ok: %s %s, %s .. %s, %d labels, %d rules", qc_rules_name(rules, i), qc_rules_version(rules, i), from,
               to, qc_rules_label_count(rules, i), qc_rules_rule_count(rules, i));
        int nodes = qc_rules_node_count(rules, i);
        if (nodes) printf(", %d deadline node%s", nodes, nodes == 1 ? "" : "s");
        printf("\n");
    }
    qc_rules_free(rules);
    return EXIT_OK;
}

/* The caller has checked that o names rule files. */
static int make_classifier(qc_classifier **out, qc_rules **rules, qc_store *s, const options *o)
{
    int rc = load_rules(rules, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = qc_classifier_new(out, *rules);
    if (rc == QC_OK) rc = qc_classifier_set_store(*out, s);
    if (rc == QC_OK && o->today) {
        int64_t day;
        qc_date_parse(&day, o->today);
        rc = qc_classifier_set_today(*out, day);
    }
    if (rc == QC_OK && o->explain) rc = qc_classifier_set_explain(*out, 1);
    return rc;
}

static void print_result(const qc_result *r, const char *case_id, const options *o, qc_rules *rules)
{
    if (o->format == OUT_JSON) {
        printf("{\"case\": ");
        out_json_string(stdout, case_id);
        printf(", \"rules\": ");
        out_json_string(stdout, qc_result_rules_name(r));
        printf(", \"version\": ");
        out_json_string(stdout, qc_result_rules_version(r));
        printf(", \"primary\": ");
        out_json_string(stdout, qc_result_primary(r));
        printf(", \"labels\": [");
        for (int i = 0; i < qc_result_label_count(r); i++) {
            printf(i ? ", " : "");
            out_json_string(stdout, qc_result_label(r, i));
        }
        printf("], \"matched\": [");
        for (int i = 0; i < qc_result_match_count(r); i++) {
            printf(i ? ", " : "");
            out_json_string(stdout, qc_result_match_rule(r, i));
        }
        printf("], \"weight\": %.15g}\n", qc_result_weight(r));
        return;
    }
    printf("case      %s\nrules     %s %s\nprimary   %s (%s)\nlabels   ", case_id, qc_result_rules_name(r),
           qc_result_rules_version(r), qc_result_primary(r), qc_rules_display_name(rules, "label", qc_result_primary(r), "zh"));
    for (int i = 0; i < qc_result_label_count(r); i++) printf(" %s", qc_result_label(r, i));
    printf("\nweight    %g\n", qc_result_weight(r));
    for (int i = 0; i < qc_result_match_count(r); i++)
        printf("matched   %s -> %s%s%s\n", qc_result_match_rule(r, i), qc_result_match_label(r, i),
               qc_result_match_cite(r, i) ? "  (" : "", qc_result_match_cite(r, i) ? qc_result_match_cite(r, i) : "");
}

static int classify_one(qc_store *s, const options *o, const char *case_id)
{
    qc_rules *rules = NULL;
    qc_classifier *c = NULL;
    qc_record *kase = NULL;
    const qc_result *r;
    if (!o->nrules) return usage_error("%s", "name the rules with --rules FILE");
    int rc = make_classifier(&c, &rules, s, o);
    if (rc == QC_OK) rc = qc_store_get(&kase, s, QC_KIND_CASE, case_id);
    if (rc == QC_OK) rc = qc_classify(&r, c, kase);
    if (rc == QC_OK) {
        if (o->explain) fputs(qc_result_explanation(r), stdout);
        else print_result(r, case_id, o, rules);
    }
    int code = rc < 0 ? fail(rc) : o->explain ? explain_deadline(s, o, rules, case_id) : EXIT_OK;
    qc_record_free(kase);
    qc_classifier_free(c);
    qc_rules_free(rules);
    return code;
}

/* classify --stale: the stored classifications a loaded version of the
 * same name and number would give from another text. */
static int list_stale(qc_store *s, const options *o)
{
    qc_rules *rules = NULL;
    qc_iter *it = NULL;
    const qc_record *k;
    static const char *const names[] = {"case", "rules", "version", "recorded_rules_hash"};
    out_table *t = out_table_new(4, names);
    int rc = t ? load_rules(&rules, o, o->rules, o->nrules) : QC_ENOMEM;
    int64_t stale = 0;
    if (rc == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_CLASSIFICATION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&k, it)) == QC_OK) {
        int is = qc_rules_classification_stale(rules, k);
        if (is == QC_ENOTFOUND || is == 0) continue;
        if (is < 0) {
            rc = is;
            break;
        }
        const char *hash = qc_record_text(k, QC_CLASSIFICATION_RULES_HASH);
        const char *cells[] = {qc_record_text(k, QC_CLASSIFICATION_CASE), qc_record_text(k, QC_CLASSIFICATION_RULES),
                               qc_record_text(k, QC_CLASSIFICATION_VERSION), hash ? hash : "(not recorded)"};
        if (out_table_add_row(t, cells) < 0) rc = QC_ENOMEM;
        stale++;
    }
    qc_iter_free(it);
    qc_rules_free(rules);
    if (rc != QC_ITEROVER) {
        out_table_free(t);
        return fail(rc);
    }
    out_table_print(t, o->format, stdout);
    out_table_free(t);
    if (!o->quiet)
        fprintf(stderr, "%lld stale classification%s (classify --all amends them)\n", (long long)stale, stale == 1 ? "" : "s");
    return EXIT_OK;
}

int cmd_classify(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc) return usage_error("classify: unexpected '%s' (use --case ID or --all)", argv[0]);
    if (o->stale) {
        if (o->all || o->case_id) return usage_error("%s", "classify: --stale lists; it takes no --case or --all");
        if (!o->nrules) return usage_error("%s", "name the rules with --rules FILE");
        return list_stale(s, o);
    }
    if (!o->all == !o->case_id) return usage_error("%s", "classify: give --case ID, --all or --stale");
    if (o->case_id) return classify_one(s, o, o->case_id);
    qc_rules *rules = NULL;
    qc_classifier *c = NULL;
    qc_filter *f = NULL;
    int64_t written = 0;
    if (!o->nrules) return usage_error("%s", "name the rules with --rules FILE");
    int rc = make_classifier(&c, &rules, s, o);
    if (rc == QC_OK && (rc = qc_filter_new(&f)) == QC_OK) rc = qc_filter_set_office(f, o->office);
    if (rc == QC_OK) rc = qc_classify_store(c, s, f, &written);
    if (rc == QC_OK && !o->quiet)
        fprintf(stderr, "wrote %lld classifications (cases already classified by the same text of these versions, or registered outside them, are left as they are)\n",
                (long long)written);
    int code = rc < 0 ? fail(rc) : EXIT_OK;
    qc_filter_free(f);
    qc_classifier_free(c);
    qc_rules_free(rules);
    return code;
}

int cmd_explain(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "explain: name one case (explain --rules R CASE)");
    options with_explain = *o;
    with_explain.explain = 1;
    return classify_one(s, &with_explain, argv[0]);
}

/* Print a file's TAP with test numbers continuing from *offset, dropping
 * its plan: the command prints one plan for all files. */
static void print_renumbered(const char *tap, int *offset)
{
    int last = 0;
    for (const char *line = tap; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int n;
        if (sscanf(line, "ok %d", &n) == 1 || sscanf(line, "not ok %d", &n) == 1) {
            const char *rest = strstr(line, " - ");
            bool ok = line[0] == 'o';
            printf("%s %d%.*s\n", ok ? "ok" : "not ok", *offset + n, rest ? (int)(len - (size_t)(rest - line)) : 0,
                   rest ? rest : "");
            last = n;
        } else if (strncmp(line, "1..", 3)) {
            printf("%.*s\n", (int)len, line);
        }
        line = end ? end + 1 : line + len;
    }
    *offset += last;
}

int cmd_test(const options *o, int argc, char **argv)
{
    if (argc < 1) return usage_error("test: %s", "name at least one test file");
    int offset = 0, failed = 0, rules = 0, covered = 0;
    for (int i = 0; i < argc; i++) {
        qc_test_report *r = NULL;
        int rc = qc_rules_test_file(&r, argv[i]);
        if (rc < 0 && rc != QC_ETESTFAIL) {
            printf("Bail out! %s\n", qc_error_last());
            return fail(rc);
        }
        printf("# %s\n", argv[i]);
        print_renumbered(qc_test_report_tap(r), &offset);
        failed += qc_test_report_failed(r);
        rules += qc_test_report_rule_count(r);
        covered += qc_test_report_covered_count(r);
        qc_test_report_free(r);
    }
    printf("1..%d\n", offset);
    double pct = rules ? 100.0 * covered / rules : 100.0;
    if (failed) {
        fprintf(stderr, "%s: %d of %d tests failed\n", progname, failed, offset);
        return EXIT_TESTS_FAILED;
    }
    if (o->min_coverage >= 0 && pct < o->min_coverage) {
        fprintf(stderr, "%s: rule coverage %.1f%% is below --min-coverage %g%%\n", progname, pct, o->min_coverage);
        return EXIT_COVERAGE;
    }
    return EXIT_OK;
}

/* quotacase assess --rules R --period P [--office X] */
/* assess: the case-to-proceeding ratio per office and in all, after the
 * leaders (text: a table; JSON: a member of the object). */
static void print_ratio(const qc_assessment *a, const qc_rules *rules, const options *o)
{
    if (!qc_assessment_has_ratio(a)) return;
    int nk = qc_assessment_ratio_component_count(a);
    if (o->format == OUT_JSON) {
        printf(", \"case_ratio\": [");
        for (int i = -1; i < qc_assessment_ratio_count(a); i++) {
            double r = qc_assessment_ratio(a, i);
            printf("%s{\"office\": ", i >= 0 ? ", " : "");
            if (i < 0) printf("null");
            else out_json_string(stdout, qc_assessment_ratio_office(a, i));
            printf(", \"cases\": %lld, \"items\": %lld, \"ratio\": ", (long long)qc_assessment_ratio_cases(a, i),
                   (long long)qc_assessment_ratio_items(a, i));
            if (r != r) printf("null");
            else printf("%.4f", r);
            for (int k = 0; k < nk; k++) {
                printf(", ");
                out_json_string(stdout, qc_assessment_ratio_component(a, k));
                printf(": %lld", (long long)qc_assessment_ratio_component_value(a, i, k));
            }
            printf("}");
        }
        printf("]");
        return;
    }
    if (o->format != OUT_TEXT) return;
    const char *names[3 + 32 + 1] = {"office", "cases", "items", "ratio"};
    for (int k = 0; k < nk && k < 32; k++) {
        const char *c = qc_assessment_ratio_component(a, k);
        const char *shown = o->lang ? qc_rules_display_name(rules, "step", c, o->lang) : NULL;
        names[4 + k] = shown ? shown : c;
    }
    out_table *t = out_table_new(4 + nk, names);
    char cells[4 + 32][32];
    const char *row[4 + 32];
    for (int i = 0; t && i <= qc_assessment_ratio_count(a); i++) {
        int at = i < qc_assessment_ratio_count(a) ? i : -1; /* every office together, last */
        double r = qc_assessment_ratio(a, at);
        row[0] = at < 0 ? "(all)" : qc_assessment_ratio_office(a, at);
        snprintf(cells[1], 32, "%lld", (long long)qc_assessment_ratio_cases(a, at));
        snprintf(cells[2], 32, "%lld", (long long)qc_assessment_ratio_items(a, at));
        if (r != r) snprintf(cells[3], 32, "-");
        else snprintf(cells[3], 32, "1:%.2f", r);
        for (int k = 0; k < nk; k++) snprintf(cells[4 + k], 32, "%lld", (long long)qc_assessment_ratio_component_value(a, at, k));
        for (int c = 1; c < 4 + nk; c++) row[c] = cells[c];
        out_table_add_row(t, row);
    }
    printf("\ncase-to-proceeding ratio (案-件比)\n");
    if (t) out_table_print(t, OUT_TEXT, stdout);
    out_table_free(t);
}

/* A requirement as it decides, as the report prints it: a whole number as
 * such, anything else rounded up to hundredths (4.004 is "4.01"). */
static void required_number(char *buf, size_t size, double v)
{
    if (fabs(v - round(v)) < 1e-9) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.2f", ceil(v * 100 - 1e-9) / 100);
}

/* A leader's status in Chinese, as the report words it. */
static const char *status_zh(const char *status)
{
    static const char *const ids[] = {"met", "short", "focus_short", "no_quota", "none_required"};
    static const char *const zh[] = {"达标", "未达标", "疑难案件不足", "未设定额", "无应办数"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(status, ids[i])) return zh[i];
    return status;
}

/* The roll-ups (an office with the offices under it) and the leaders by
 * role, as JSON members or text tables. */
static void print_rollups(const qc_assessment *a, const qc_rules *rules, const options *o)
{
    static const char *const figures[] = {"offices", "offices_complying", "leaders", "leaders_complying",
                                          "leaders_handling", "cases_by_leaders"};
    enum { NF = sizeof figures / sizeof figures[0] };
    static const char *const rcols[] = {"office", "name", "offices", "offices_complying", "leaders",
                                        "leaders_complying", "leaders_handling", "cases_by_leaders"};
    static const char *const lcols[] = {"role", "leaders", "leaders_complying", "leaders_handling", "cases_by_leaders"};
    static const char *const rcols_zh[] = {"单位", "名称", "单位数", "达标单位数", "领导干部", "达标人数", "办案人数", "办案数"};
    static const char *const lcols_zh[] = {"职务", "领导干部", "达标人数", "办案人数", "办案数"};
    bool zh = o->lang && !strcmp(o->lang, "zh") && o->format == OUT_TEXT;
    out_table *rt = out_table_new(2 + NF, zh ? rcols_zh : rcols), *lt = out_table_new(1 + NF - 2, zh ? lcols_zh : lcols);
    for (int c = 2; rt && c < 2 + NF; c++) out_table_set_raw(rt, c);
    for (int c = 1; lt && c < 1 + NF - 2; c++) out_table_set_raw(lt, c);
    char cells[NF][24];
    for (int i = 0; rt && i < qc_assessment_rollup_count(a); i++) {
        int at = qc_assessment_rollup_office(a, i);
        const char *row[2 + NF] = {qc_assessment_office_id(a, at), qc_assessment_office_name(a, at)};
        for (int k = 0; k < NF; k++) {
            snprintf(cells[k], sizeof cells[k], "%lld", (long long)qc_assessment_rollup_value(a, i, figures[k]));
            row[2 + k] = cells[k];
        }
        out_table_add_row(rt, row);
    }
    for (int i = 0; lt && i < qc_assessment_role_count(a); i++) {
        const char *role = qc_assessment_role(a, i);
        const char *row[1 + NF - 2] = {o->lang ? qc_rules_display_name(rules, "role", role, o->lang) : role};
        for (int k = 2; k < NF; k++) {
            snprintf(cells[k], sizeof cells[k], "%lld", (long long)qc_assessment_role_value(a, i, figures[k]));
            row[k - 1] = cells[k];
        }
        out_table_add_row(lt, row);
    }
    if (o->format == OUT_JSON) {
        printf(", \"rollups\": ");
        if (rt) out_table_print(rt, OUT_JSON, stdout);
        printf(", \"roles\": ");
        if (lt) out_table_print(lt, OUT_JSON, stdout);
    } else if (o->format == OUT_TEXT) {
        if (qc_assessment_rollup_count(a)) {
            printf("\n%s\n", zh ? "汇总（本院及下级院）" : "roll-up: each office with the offices under it");
            if (rt) out_table_print(rt, OUT_TEXT, stdout);
        }
        if (qc_assessment_role_count(a)) {
            printf("\n%s\n", zh ? "按职务" : "leaders by role");
            if (lt) out_table_print(lt, OUT_TEXT, stdout);
        }
    }
    out_table_free(rt);
    out_table_free(lt);
}

int cmd_assess(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc) return usage_error("assess: unexpected '%s'", argv[0]);
    if (!o->nrules) return usage_error("%s", "assess: name the rules with --rules FILE");
    if (!o->period) return usage_error("%s", "assess: give --period (2017, 2017-Q2, 2017-05, FROM..TO)");
    int64_t from, to;
    if (qc_period_parse(&from, &to, o->period) < 0) return usage_error("--period: %s", qc_error_last());
    qc_rules *rules = NULL;
    qc_assessment *a = NULL;
    int rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = qc_assess(&a, rules, s, o->office, from, to);
    if (rc < 0) {
        qc_rules_free(rules);
        return fail(rc);
    }
    static const char *const cols[] = {"office", "person", "name", "role", "in_post", "counted", "required",
                                       "average", "share", "focus", "name_only", "quota", "status", "credit",
                                       "required_max"};
    /* --lang zh in text: the headers and statuses in Chinese (CSV and JSON
     * keep their keys, which programs read) */
    static const char *const cols_zh[] = {"单位", "人员", "姓名", "职务", "在岗", "办案数", "应办数", "平均办案量",
                                          "占平均", "疑难复杂占比", "疑似挂名", "定额", "结论", "工作量积分", "应办数上限"};
    bool zh_text = o->lang && !strcmp(o->lang, "zh") && o->format == OUT_TEXT;
    bool credit = qc_assessment_credit_kind_count(a) > 0; /* the column only when the rules weigh credit */
    /* the top of a range ("5 % to 10 % of the average") only when a quota has one */
    bool ranges = false;
    for (int i = 0; i < qc_assessment_leader_count(a); i++) ranges |= qc_assessment_leader_required_max(a, i) > 0;
    const char *const *names = zh_text ? cols_zh : cols;
    const char *picked[15];
    int ncols = 0;
    for (int c = 0; c < 15; c++)
        if ((c != 13 || credit) && (c != 14 || ranges)) picked[ncols++] = names[c];
    out_table *t = out_table_new(ncols, picked);
    for (int c = 13; c < ncols; c++) out_table_set_raw(t, c);
    for (int c = 4; c <= 10; c++) out_table_set_raw(t, c);
    for (int i = 0; t && i < qc_assessment_leader_count(a); i++) {
        char f[5][32], n[16];
        snprintf(f[0], 32, "%.2f", qc_assessment_leader_fraction(a, i));
        snprintf(f[1], 32, "%g", qc_assessment_leader_counted(a, i));
        required_number(f[2], 32, qc_assessment_leader_required(a, i));
        char top[32];
        required_number(top, sizeof top, qc_assessment_leader_required_max(a, i));
        snprintf(f[3], 32, "%.1f", qc_assessment_leader_average(a, i));
        snprintf(f[4], 32, "%.3f", qc_assessment_leader_share(a, i));
        char focus[32];
        snprintf(focus, sizeof focus, "%.2f", qc_assessment_leader_focus_share(a, i));
        snprintf(n, sizeof n, "%d", qc_assessment_leader_name_only(a, i));
        const char *role = qc_assessment_leader_role(a, i);
        char cr[32];
        snprintf(cr, sizeof cr, "%g", qc_assessment_leader_credit(a, i));
        const char *cells[] = {qc_assessment_leader_office(a, i), qc_assessment_leader_person(a, i),
                               qc_assessment_leader_name(a, i),
                               o->lang ? qc_rules_display_name(rules, "role", role, o->lang) : role,
                               f[0], f[1], f[2], f[3], f[4], focus, n, qc_assessment_leader_quota(a, i),
                               zh_text ? status_zh(qc_assessment_leader_status(a, i)) : qc_assessment_leader_status(a, i), cr,
                               top};
        const char *row[15];
        int k = 0;
        for (int c = 0; c < 15; c++)
            if ((c != 13 || credit) && (c != 14 || ranges)) row[k++] = cells[c];
        out_table_add_row(t, row);
    }
    static const char *const totals[] = {"offices",          "offices_complying", "leaders",
                                         "leaders_handling", "cases_by_leaders",  "chiefs_handling_hard",
                                         "unlisted_work",    "listed_without_acts", "offices_without_leaders"};
    long long unlisted = qc_assessment_total(a, "unlisted_work"), idle = qc_assessment_total(a, "listed_without_acts");
    if ((unlisted || idle) && !o->quiet)
        fprintf(stderr, "%s: warning: not counted: %lld people's acts on cases that do not list them, "
                        "%lld listed handlers with no act that counts\n", progname, unlisted, idle);
    if (o->format == OUT_JSON) {
        printf("{\"period\": {\"from\": ");
        char day[16];
        qc_date_format(day, sizeof day, from);
        out_json_string(stdout, day);
        qc_date_format(day, sizeof day, to);
        printf(", \"to\": ");
        out_json_string(stdout, day);
        printf("}, \"leaders\": ");
        out_table_print(t, OUT_JSON, stdout);
        printf(", \"offices\": [");
        for (int i = 0; i < qc_assessment_office_count(a); i++) {
            printf("%s{\"office\": ", i ? ", " : "");
            out_json_string(stdout, qc_assessment_office_id(a, i));
            /* an office without leaders neither complies nor fails: null */
            printf(", \"leaders\": %d, \"complies\": %s}", qc_assessment_office_leaders(a, i),
                   !qc_assessment_office_leaders(a, i) ? "null" : qc_assessment_office_complies(a, i) ? "true" : "false");
        }
        printf("], \"totals\": {");
        for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
            printf("%s\"%s\": %lld", i ? ", " : "", totals[i], (long long)qc_assessment_total(a, totals[i]));
        printf("}");
        print_rollups(a, rules, o);
        print_ratio(a, rules, o);
        printf("}\n");
    } else {
        out_table_print(t, o->format, stdout);
        if (o->format == OUT_TEXT) {
            printf("\n");
            static const char *const totals_zh[] = {"单位数", "达标单位数", "员额内领导干部", "办案的领导干部",
                                                    "领导干部办案数", "办理疑难复杂案件的正副检察长", "未列入案件人员的办案活动",
                                                    "列为办案人而无办案活动", "无领导干部的单位"};
            const char *const *labels = zh_text ? totals_zh : totals;
            int wide = 0;
            for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
                if (out_display_width(labels[i]) > wide) wide = out_display_width(labels[i]);
            for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
                printf("%s%*s %lld\n", labels[i], wide - out_display_width(labels[i]), "",
                       (long long)qc_assessment_total(a, totals[i]));
            print_rollups(a, rules, o);
            print_ratio(a, rules, o);
        }
    }
    out_table_free(t);
    qc_assessment_free(a);
    qc_rules_free(rules);
    return EXIT_OK;
}

/* quotacase report --rules R --period P [--office X] [--format F] [-o FILE] [--lang zh|en] [--no-ranking] */
int cmd_report(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc) return usage_error("report: unexpected '%s'", argv[0]);
    if (!o->nrules) return usage_error("%s", "report: name the rules with --rules FILE");
    if (!o->period) return usage_error("%s", "report: give --period (2017, 2017-Q2, 2017-05, FROM..TO)");
    int64_t from, to;
    if (qc_period_parse(&from, &to, o->period) < 0) return usage_error("--period: %s", qc_error_last());
    static const char *const formats[] = {"text", "csv", "json"};
    const char *format = o->html ? "html" : formats[o->format];
    qc_rules *rules = NULL;
    qc_assessment *a = NULL;
    int rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = qc_assess(&a, rules, s, o->office, from, to);
    if (rc == QC_OK) rc = qc_report_write(a, rules, o->output ? o->output : "-", format, o->lang ? o->lang : "zh", !o->no_ranking);
    int code = rc < 0 ? fail(rc) : EXIT_OK;
    if (rc == QC_OK && o->output && !o->quiet)
        fprintf(stderr, "%s: %lld of %lld offices comply\n", o->output, (long long)qc_assessment_total(a, "offices_complying"),
                (long long)qc_assessment_total(a, "offices"));
    qc_assessment_free(a);
    qc_rules_free(rules);
    return code;
}

/* quotacase dossier PERSON --rules R --period P: the performance file. */
int cmd_dossier(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "dossier: name one person (dossier --rules R --period P PERSON)");
    if (!o->nrules || !o->period) return usage_error("%s", "dossier: give --rules FILE and --period P");
    int64_t from, to;
    if (qc_period_parse(&from, &to, o->period) < 0) return usage_error("--period: %s", qc_error_last());
    qc_rules *rules = NULL;
    int rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc == QC_OK)
        rc = qc_dossier_write(rules, s, argv[0], from, to, o->output ? o->output : "-", o->format == OUT_JSON ? "json" : "text", o->lang);
    qc_rules_free(rules);
    return rc < 0 ? fail(rc) : EXIT_OK;
}
