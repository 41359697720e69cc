/* SPDX-License-Identifier: MIT
 * cmd_deadlines.c - quotacase deadlines: the open cases of a store with
 * the process node each is in, its due day and warning level on a day
 * (docs/deadlines.md); and the due day's explanation that explain adds.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

/* The levels in order of urgency; suspended stands apart. */
static const char *const levels[] = {"none", "yellow", "orange", "red"};

static int level_rank(const char *level)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(levels[i], level)) return i;
    return -1;
}

int deadline_day(const options *o, int64_t *day)
{
    const char *text = o->on ? o->on : o->today;
    if (text) return qc_date_parse(day, text);
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm); /* the office's calendar day */
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    return qc_date_parse(day, today);
}

static const char *level_text(const char *level, const char *lang)
{
    if (!lang || strcmp(lang, "zh")) return level;
    static const char *const zh[][2] = {{"none", "无"}, {"yellow", "黄色"}, {"orange", "橙色"}, {"red", "红色（超期）"}, {"suspended", "中止"}};
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++)
        if (!strcmp(zh[i][0], level)) return zh[i][1];
    return level;
}

/* Whether --level lets a deadline of that rank (-1: suspended) through. */
static bool shown(const options *o, int rank, int min_rank)
{
    if (!o->level) return true;
    if (!strcmp(o->level, "suspended")) return rank < 0;
    return rank >= min_rank;
}

int cmd_deadlines(qc_store *s, const options *o, int argc, char **argv)
{
    (void)argv;
    if (argc) return usage_error("%s", "deadlines: takes no arguments (--on DATE, --office X, --case ID, --level L)");
    if (!o->nrules) return usage_error("%s", "name the rules with --rules FILE");
    int min_rank = 0;
    if (o->level) {
        min_rank = level_rank(o->level);
        if (min_rank < 0 && strcmp(o->level, "suspended"))
            return usage_error("--level: '%s' is not none, yellow, orange, red or suspended", o->level);
    }
    int64_t on;
    if (deadline_day(o, &on) < 0) return usage_error("--on: %s", qc_error_last());
    qc_rules *rules = NULL;
    qc_deadlines *d = NULL;
    int rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = qc_deadlines_compute(&d, rules, s, o->office, o->case_id, on);
    if (rc < 0) {
        qc_rules_free(rules);
        return fail(rc);
    }
    static const char *const names[] = {"case", "office", "node", "started", "due", "days_left", "level", "restarts", "note"};
    int ncols = 9;
    out_table *t = out_table_new(ncols, names);
    if (!t) rc = QC_ENOMEM;
    out_table_set_raw(t, 5);
    out_table_set_raw(t, 7);
    int counts[5] = {0};
    for (int i = 0; t && i < qc_deadlines_count(d); i++) {
        const char *level = qc_deadlines_level(d, i);
        int rank = level_rank(level);
        if (!shown(o, rank, min_rank)) continue;
        counts[rank < 0 ? 4 : rank]++;
        char started[16], due[16], left[24], restarts[16];
        qc_date_format(started, sizeof started, qc_deadlines_started(d, i));
        qc_date_format(due, sizeof due, qc_deadlines_due(d, i));
        snprintf(left, sizeof left, "%lld", (long long)qc_deadlines_days_left(d, i));
        snprintf(restarts, sizeof restarts, "%d", qc_deadlines_restarts(d, i));
        const char *node = qc_deadlines_node(d, i);
        const char *shown = o->lang ? qc_rules_display_name(rules, "node", node, o->lang) : NULL;
        const char *note = qc_deadlines_over_limit(d, i) ? (o->lang && !strcmp(o->lang, "zh") ? "重新计算超过次数" : "restarted too often")
                                                        : NULL;
        const char *cells[] = {qc_deadlines_case(d, i), qc_deadlines_office(d, i), shown ? shown : node, started, due, left,
                               o->format == OUT_TEXT ? level_text(level, o->lang) : level, restarts, note};
        if (out_table_add_row(t, cells) < 0) {
            rc = QC_ENOMEM;
            break;
        }
    }
    if (rc == QC_OK) {
        /* JSON: one object, the deadlines and the violations (CSV: the deadlines) */
        if (o->format == OUT_JSON) {
            char day[16];
            qc_date_format(day, sizeof day, on);
            printf("{\"on\": \"%s\", \"deadlines\": ", day);
        }
        out_table_print(t, o->format, stdout);
        if (o->format == OUT_JSON) {
            printf(", \"violations\": [");
            for (int i = 0; i < qc_deadlines_violation_count(d) && !o->level; i++) {
                char date[16];
                qc_date_format(date, sizeof date, qc_deadlines_violation_date(d, i));
                printf("%s{\"case\": ", i ? ", " : "");
                out_json_string(stdout, qc_deadlines_violation_case(d, i));
                printf(", \"office\": ");
                out_json_string(stdout, qc_deadlines_violation_office(d, i));
                printf(", \"node\": ");
                out_json_string(stdout, qc_deadlines_violation_node(d, i));
                printf(", \"requirement\": ");
                out_json_string(stdout, qc_deadlines_violation_rule(d, i));
                printf(", \"step\": ");
                out_json_string(stdout, qc_deadlines_violation_step(d, i));
                printf(", \"date\": \"%s\", \"evidence\": ", date);
                out_json_string(stdout, qc_deadlines_violation_evidence(d, i));
                printf("}");
            }
            printf("]}\n");
        }
        if (o->explain && o->format == OUT_TEXT)
            for (int i = 0; i < qc_deadlines_count(d); i++) {
                int rank = level_rank(qc_deadlines_level(d, i));
                if (!shown(o, rank, min_rank)) continue;
                const char *why = qc_deadlines_explain(d, i, rules, o->lang);
                if (!why) { rc = qc_error_code(); break; }
                printf("\n%s\n%s", qc_deadlines_case(d, i), why);
            }
        /* node control: steps taken without what their node requires */
        if (o->format == OUT_TEXT && qc_deadlines_violation_count(d) && !o->level) {
            static const char *const vnames[] = {"case", "office", "node", "requirement", "step", "date", "evidence"};
            out_table *v = out_table_new(7, vnames);
            for (int i = 0; v && i < qc_deadlines_violation_count(d); i++) {
                char date[16];
                qc_date_format(date, sizeof date, qc_deadlines_violation_date(d, i));
                const char *cells[] = {qc_deadlines_violation_case(d, i), qc_deadlines_violation_office(d, i),
                                       qc_deadlines_violation_node(d, i), qc_deadlines_violation_rule(d, i),
                                       qc_deadlines_violation_step(d, i), date, qc_deadlines_violation_evidence(d, i)};
                out_table_add_row(v, cells);
            }
            printf("\n%s\n", o->lang && !strcmp(o->lang, "zh") ? "节点违规" : "violations");
            if (v) out_table_print(v, OUT_TEXT, stdout);
            out_table_free(v);
        }
        if (o->format == OUT_TEXT && !o->quiet) {
            char day[16];
            qc_date_format(day, sizeof day, on);
            int total = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
            if (o->lang && !strcmp(o->lang, "zh"))
                fprintf(stderr, "%s：%d 件在办案件有节点期限：红色 %d，橙色 %d，黄色 %d，中止 %d；节点违规 %d\n", day, total, counts[3],
                        counts[2], counts[1], counts[4], qc_deadlines_violation_count(d));
            else
                fprintf(stderr, "%s: %d open case%s in a node: %d red, %d orange, %d yellow, %d suspended; %d violation%s\n", day,
                        total, total == 1 ? "" : "s", counts[3], counts[2], counts[1], counts[4], qc_deadlines_violation_count(d),
                        qc_deadlines_violation_count(d) == 1 ? "" : "s");
        }
    }
    out_table_free(t);
    qc_deadlines_free(d);
    qc_rules_free(rules);
    return rc < 0 ? fail(rc) : EXIT_OK;
}

int explain_deadline(qc_store *s, const options *o, const qc_rules *rules, const char *case_id)
{
    int64_t on;
    if (deadline_day(o, &on) < 0) return usage_error("--on: %s", qc_error_last());
    qc_deadlines *d = NULL;
    int rc = qc_deadlines_compute(&d, rules, s, NULL, case_id, on);
    if (rc == QC_EUNSUPPORTED) return EXIT_OK; /* a store without steps has no deadlines to explain */
    if (rc < 0) return fail(rc);
    if (qc_deadlines_count(d)) {
        const char *why = qc_deadlines_explain(d, 0, rules, o->lang);
        if (!why) rc = qc_error_code();
        else printf("\n%s", why);
    }
    qc_deadlines_free(d);
    return rc < 0 ? fail(rc) : EXIT_OK;
}

/* A notice's id: what it is about, "CASE/NODE/STARTED/LEVEL", when that
 * fits an id (128 bytes); else "notice-" and a 64-bit FNV-1a hash of it,
 * the same every run, so a long case id is notified once too. */
static void notice_id(char *out, size_t size, const char *full)
{
    if (strlen(full) <= 128) {
        snprintf(out, size, "%s", full);
        return;
    }
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)full; *p; p++) h = (h ^ *p) * 1099511628211ull;
    snprintf(out, size, "notice-%016llx", (unsigned long long)h);
}

/* One notice, unless one of that id was issued already: *issued counts. */
static int issue(qc_store *s, const char *id, const char *case_id, const char *node, const char *level, int64_t on,
                 const char *reason, int *issued, out_table *t)
{
    qc_record *r = NULL;
    int rc = qc_store_get(&r, s, QC_KIND_NOTICE, id);
    qc_record_free(r);
    if (rc == QC_OK) return QC_OK; /* issued before: once is enough */
    if (rc != QC_ENOTFOUND) return rc;
    if ((rc = qc_record_new(&r, QC_KIND_NOTICE)) < 0) return rc;
    char day[16];
    qc_date_format(day, sizeof day, on);
    const char *by = qc_store_actor(s);
    if ((rc = qc_record_set_text(r, QC_NOTICE_ID, id)) == QC_OK && (rc = qc_record_set_text(r, QC_NOTICE_CASE, case_id)) == QC_OK &&
        (rc = qc_record_set_text(r, QC_NOTICE_NODE, node)) == QC_OK && (rc = qc_record_set_text(r, QC_NOTICE_LEVEL, level)) == QC_OK &&
        (rc = qc_record_set_int(r, QC_NOTICE_ISSUED, on)) == QC_OK && (rc = qc_record_set_text(r, QC_NOTICE_BY, by ? by : "?")) == QC_OK &&
        (rc = qc_record_set_text(r, QC_NOTICE_REASON, reason)) == QC_OK)
        rc = qc_store_put(s, r);
    qc_record_free(r);
    if (rc == QC_OK) {
        (*issued)++;
        const char *cells[] = {id, case_id, node, level, day, reason};
        out_table_add_row(t, cells);
    }
    return rc;
}

/* quotacase notify --rules R [--on DATE] [--level L] [--office X]: a
 * process-monitoring notice for every case at level L or more urgent
 * (default red) and every violation of a node's requirements, each once:
 * a notice's id names what it is about, so running it every day issues
 * nothing twice.  One transaction. */
int cmd_notify(qc_store *s, const options *o, int argc, char **argv)
{
    (void)argv;
    if (argc) return usage_error("%s", "notify: takes no arguments (--on DATE, --level L, --office X)");
    if (!o->nrules) return usage_error("%s", "name the rules with --rules FILE");
    int min_rank = 3;
    if (o->level && ((min_rank = level_rank(o->level)) < 1))
        return usage_error("--level: '%s' is not yellow, orange or red", o->level);
    int64_t on;
    if (deadline_day(o, &on) < 0) return usage_error("--on: %s", qc_error_last());
    qc_rules *rules = NULL;
    qc_deadlines *d = NULL;
    int rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc == QC_OK) rc = qc_deadlines_compute(&d, rules, s, o->office, o->case_id, on);
    static const char *const names[] = {"notice", "case", "node", "level", "issued", "reason"};
    out_table *t = rc == QC_OK ? out_table_new(6, names) : NULL;
    if (rc == QC_OK && !t) rc = QC_ENOMEM;
    int issued = 0;
    if (rc == QC_OK) rc = qc_store_begin(s);
    for (int i = 0; rc == QC_OK && i < qc_deadlines_count(d); i++) {
        const char *level = qc_deadlines_level(d, i);
        if (level_rank(level) < min_rank) continue;
        char full[512], id[160], started[16], due[16], reason[512];
        qc_date_format(started, sizeof started, qc_deadlines_started(d, i));
        qc_date_format(due, sizeof due, qc_deadlines_due(d, i));
        /* one notice per case, node opening and level */
        snprintf(full, sizeof full, "%s/%s/%s/%s", qc_deadlines_case(d, i), qc_deadlines_node(d, i), started, level);
        notice_id(id, sizeof id, full);
        long long left = (long long)qc_deadlines_days_left(d, i);
        if (left < 0) snprintf(reason, sizeof reason, "%s due %s, %lld day%s overdue", qc_deadlines_node(d, i), due, -left, left == -1 ? "" : "s");
        else snprintf(reason, sizeof reason, "%s due %s, %lld day%s left", qc_deadlines_node(d, i), due, left, left == 1 ? "" : "s");
        rc = issue(s, id, qc_deadlines_case(d, i), qc_deadlines_node(d, i), level, on, reason, &issued, t);
    }
    for (int i = 0; rc == QC_OK && i < qc_deadlines_violation_count(d); i++) {
        char full[512], id[160], date[16];
        qc_date_format(date, sizeof date, qc_deadlines_violation_date(d, i));
        snprintf(full, sizeof full, "%s/%s/%s", qc_deadlines_violation_case(d, i), qc_deadlines_violation_rule(d, i), date);
        notice_id(id, sizeof id, full);
        rc = issue(s, id, qc_deadlines_violation_case(d, i), qc_deadlines_violation_node(d, i), "violation", on,
                   qc_deadlines_violation_evidence(d, i), &issued, t);
    }
    if (rc == QC_OK) rc = qc_store_commit(s);
    else qc_store_rollback(s);
    if (rc == QC_OK) {
        if (issued || o->format != OUT_TEXT) out_table_print(t, o->format, stdout);
        if (!o->quiet) fprintf(stderr, "issued %d notice%s\n", issued, issued == 1 ? "" : "s");
    }
    out_table_free(t);
    qc_deadlines_free(d);
    qc_rules_free(rules);
    return rc < 0 ? fail(rc) : EXIT_OK;
}
