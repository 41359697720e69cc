/*
 * cmd_deadlines.c - quotacase deadlines: the open cases of a store with
 * the process node each is in, its due day and warning level on a day
 * (docs/deadlines.md); and the due day's explanation that explain adds.
 */
#include "config.h"

#include <stdbool.h>
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
        out_table_print(t, o->format, stdout);
        if (o->explain && o->format == OUT_TEXT)
            for (int i = 0; i < qc_deadlines_count(d); i++) {
                int rank = level_rank(qc_deadlines_level(d, i));
                if (!shown(o, rank, min_rank)) continue;
                const char *why = qc_deadlines_explain(d, i, rules, o->lang);
                if (!why) { rc = qc_error_code(); break; }
                printf("\n%s\n%s", qc_deadlines_case(d, i), why);
            }
        if (o->format == OUT_TEXT && !o->quiet) {
            char day[16];
            qc_date_format(day, sizeof day, on);
            int total = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
            if (o->lang && !strcmp(o->lang, "zh"))
                fprintf(stderr, "%s：%d 件在办案件有节点期限：红色 %d，橙色 %d，黄色 %d，中止 %d\n", day, total, counts[3], counts[2],
                        counts[1], counts[4]);
            else
                fprintf(stderr, "%s: %d open case%s in a node: %d red, %d orange, %d yellow, %d suspended\n", day, total,
                        total == 1 ? "" : "s", counts[3], counts[2], counts[1], counts[4]);
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
