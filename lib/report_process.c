/* SPDX-License-Identifier: MIT
 * report_process.c - the process sections of a notification report:
 * deadlines on the period's last day (warnings per office, the overdue
 * cases) and the case-to-proceeding ratio (案-件比) per office and in all,
 * in text, JSON and HTML (report.c writes the rest; docs/deadlines.md).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_process.h"

/* Warnings per office: the deadlines come in case order, offices in any. */
typedef struct office_levels {
    const char *office;
    int n[5]; /* none, yellow, orange, red, suspended */
} office_levels;

static int level_index(const char *level)
{
    static const char *const levels[] = {"none", "yellow", "orange", "red", "suspended"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(levels[i], level)) return i;
    return 0;
}

static int by_office(const void *x, const void *y)
{
    return strcmp(((const office_levels *)x)->office, ((const office_levels *)y)->office);
}

/* The offices with their counts, in id order (*n of them); NULL if none or
 * out of memory (the section is then left out, not half written). */
static office_levels *count_levels(const qc_deadlines *d, int *n)
{
    *n = 0;
    int count = qc_deadlines_count(d);
    office_levels *rows = count ? calloc((size_t)count, sizeof *rows) : NULL;
    qc__strmap index = {0};
    for (int i = 0; rows && i < count; i++) {
        const char *office = qc_deadlines_office(d, i);
        int at = qc__map_find(&index, office);
        if (at < 0) {
            at = (*n)++;
            rows[at].office = office;
            if (qc__map_put(&index, office, at) < 0) {
                free(rows);
                rows = NULL;
                break;
            }
        }
        rows[at].n[level_index(qc_deadlines_level(d, i))]++;
    }
    qc__map_free(&index);
    if (rows && *n > 1) qsort(rows, (size_t)*n, sizeof *rows, by_office);
    return rows;
}

/* s, then spaces to width display columns (a Chinese character is two). */
static void cell(FILE *f, const char *s, int width, bool right)
{
    int pad = width - qc_display_width(s);
    if (right) fprintf(f, "%*s%s", pad > 0 ? pad : 0, "", s);
    else fprintf(f, "%s%*s", s, pad > 0 ? pad : 0, "");
}

static void cell_n(FILE *f, long long n, int width)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", n);
    fputc(' ', f);
    cell(f, buf, width, true);
}

static const char *node_name(const qc_rules *rules, const char *id, const char *lang)
{
    const char *n = rules ? qc_rules_display_name(rules, "node", id, lang) : NULL;
    return n ? n : id;
}

static void ratio_text(char *buf, size_t size, const qc_assessment *a, int i)
{
    double r = qc_assessment_ratio(a, i);
    if (isnan(r)) snprintf(buf, size, "-");
    else snprintf(buf, size, "1:%.2f", r);
}

void qc__report_process_text(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang)
{
    bool zh = !strcmp(lang, "zh");
    const qc_deadlines *d = qc_assessment_deadlines(a);
    if (d) {
        char day[16];
        qc_date_format(day, sizeof day, qc_deadlines_on(d));
        fprintf(f, zh ? "\n节点期限（截至 %s）\n" : "\nDeadlines on %s\n", day);
        int n;
        office_levels *rows = count_levels(d, &n);
        static const char *const heads[2][6] = {{"office", "red", "orange", "yellow", "none", "suspended"},
                                                {"单位", "红色", "橙色", "黄色", "正常", "中止"}};
        static const int widths[6] = {10, 6, 6, 6, 6, 9};
        for (int c = 0; c < 6; c++) {
            if (c) fputc(' ', f);
            cell(f, heads[zh][c], widths[c], c > 0);
        }
        fputc('\n', f);
        for (int k = 0; rows && k < n; k++) {
            cell(f, rows[k].office, widths[0], false);
            static const int order[5] = {3, 2, 1, 0, 4};
            for (int c = 0; c < 5; c++) cell_n(f, rows[k].n[order[c]], widths[c + 1]);
            fputc('\n', f);
        }
        free(rows);
        for (int i = 0; i < qc_deadlines_count(d); i++) {
            if (strcmp(qc_deadlines_level(d, i), "red")) continue;
            char due[16];
            qc_date_format(due, sizeof due, qc_deadlines_due(d, i));
            long long over = -(long long)qc_deadlines_days_left(d, i);
            if (zh) fprintf(f, "超期 %-12s %-10s %s 届满 %s，超期 %lld 日\n", qc_deadlines_case(d, i), qc_deadlines_office(d, i),
                            node_name(rules, qc_deadlines_node(d, i), lang), due, over);
            else fprintf(f, "overdue %-12s %-10s %s due %s, %lld day%s over\n", qc_deadlines_case(d, i), qc_deadlines_office(d, i),
                         node_name(rules, qc_deadlines_node(d, i), lang), due, over, over == 1 ? "" : "s");
        }
    }
    /* node control: steps of the period taken without what their node requires */
    for (int i = 0, shown = 0; d && i < qc_deadlines_violation_count(d); i++) {
        int64_t day = qc_deadlines_violation_date(d, i);
        if (day < qc_assessment_from(a) || day > qc_assessment_to(a)) continue;
        if (!shown++) fputs(zh ? "\n节点违规\n" : "\nNode control violations\n", f);
        fprintf(f, "%-12s %-10s %s: %s\n", qc_deadlines_violation_case(d, i), qc_deadlines_violation_office(d, i),
                qc_deadlines_violation_rule(d, i), qc_deadlines_violation_evidence(d, i));
    }
    if (qc_assessment_notice_count(a) || qc_assessment_total(a, "notices_issued")) {
        if (zh) fprintf(f, "\n流程监控通知书：本期发出 %lld 份，答复 %lld 份，期末未答复 %d 份\n", (long long)qc_assessment_total(a, "notices_issued"),
                        (long long)qc_assessment_total(a, "notices_answered"), qc_assessment_notice_count(a));
        else fprintf(f, "\nProcess-monitoring notices: %lld issued and %lld answered in the period, %d open at its end\n",
                     (long long)qc_assessment_total(a, "notices_issued"), (long long)qc_assessment_total(a, "notices_answered"),
                     qc_assessment_notice_count(a));
        for (int i = 0; i < qc_assessment_notice_count(a); i++) {
            char issued[16];
            qc_date_format(issued, sizeof issued, qc_assessment_notice_issued(a, i));
            long long age = (long long)qc_assessment_notice_age(a, i);
            if (zh)
                fprintf(f, "%-12s %-12s %-10s %-9s 发出 %s，未答复 %lld 日\n", qc_assessment_notice_id(a, i), qc_assessment_notice_case(a, i),
                        qc_assessment_notice_office(a, i), qc_assessment_notice_level(a, i), issued, age);
            else
                fprintf(f, "%-12s %-12s %-10s %-9s issued %s, open %lld day%s\n", qc_assessment_notice_id(a, i),
                        qc_assessment_notice_case(a, i), qc_assessment_notice_office(a, i), qc_assessment_notice_level(a, i), issued,
                        age, age == 1 ? "" : "s");
        }
    }
    if (!qc_assessment_has_ratio(a)) return;
    fputs(zh ? "\n案-件比\n" : "\nCase-to-proceeding ratio (案-件比)\n", f);
    int nk = qc_assessment_ratio_component_count(a), kw[32];
    cell(f, zh ? "单位" : "office", 10, false);
    fputc(' ', f);
    cell(f, zh ? "案" : "cases", 6, true);
    fputc(' ', f);
    cell(f, zh ? "件" : "items", 6, true);
    fputc(' ', f);
    cell(f, zh ? "案件比" : "ratio", 8, true);
    for (int k = 0; k < nk && k < 32; k++) {
        const char *c = qc_assessment_ratio_component(a, k);
        const char *shown = rules ? qc_rules_display_name(rules, "step", c, lang) : NULL;
        kw[k] = qc_display_width(shown ? shown : c);
        fputs("  ", f);
        cell(f, shown ? shown : c, kw[k], true);
    }
    fputc('\n', f);
    for (int i = 0; i <= qc_assessment_ratio_count(a); i++) {
        int row = i < qc_assessment_ratio_count(a) ? i : -1; /* the total last */
        char r[32];
        ratio_text(r, sizeof r, a, row);
        cell(f, row < 0 ? (zh ? "合计" : "all") : qc_assessment_ratio_office(a, row), 10, false);
        cell_n(f, (long long)qc_assessment_ratio_cases(a, row), 6);
        cell_n(f, (long long)qc_assessment_ratio_items(a, row), 6);
        fputc(' ', f);
        cell(f, r, 8, true);
        for (int k = 0; k < nk && k < 32; k++) {
            fputs(" ", f);
            cell_n(f, (long long)qc_assessment_ratio_component_value(a, row, k), kw[k]);
        }
        fputc('\n', f);
    }
}

static void json_ratio_row(FILE *f, const qc_assessment *a, int i)
{
    double r = qc_assessment_ratio(a, i);
    fprintf(f, "\"cases\": %lld, \"items\": %lld, \"ratio\": ", (long long)qc_assessment_ratio_cases(a, i),
            (long long)qc_assessment_ratio_items(a, i));
    if (isnan(r)) fputs("null", f);
    else fprintf(f, "%.4f", r);
    fputs(", \"components\": {", f);
    for (int k = 0; k < qc_assessment_ratio_component_count(a); k++) {
        fprintf(f, "%s", k ? ", " : "");
        qc__json_string(f, qc_assessment_ratio_component(a, k));
        fprintf(f, ": %lld", (long long)qc_assessment_ratio_component_value(a, i, k));
    }
    fputc('}', f);
}

void qc__report_process_json(FILE *f, const qc_assessment *a)
{
    if (qc_assessment_notice_count(a) || qc_assessment_total(a, "notices_issued")) {
        fprintf(f, ",\n \"notices\": {\"issued\": %lld, \"answered\": %lld, \"open\": [", (long long)qc_assessment_total(a, "notices_issued"),
                (long long)qc_assessment_total(a, "notices_answered"));
        for (int i = 0; i < qc_assessment_notice_count(a); i++) {
            char issued[16];
            qc_date_format(issued, sizeof issued, qc_assessment_notice_issued(a, i));
            fprintf(f, "%s{\"id\": ", i ? ", " : "");
            qc__json_string(f, qc_assessment_notice_id(a, i));
            fputs(", \"case\": ", f);
            qc__json_string(f, qc_assessment_notice_case(a, i));
            fputs(", \"office\": ", f);
            qc__json_string(f, qc_assessment_notice_office(a, i));
            fputs(", \"level\": ", f);
            qc__json_string(f, qc_assessment_notice_level(a, i));
            fprintf(f, ", \"issued\": \"%s\", \"age_days\": %lld}", issued, (long long)qc_assessment_notice_age(a, i));
        }
        fputs("]}", f);
    }
    const qc_deadlines *d = qc_assessment_deadlines(a);
    if (d) {
        char day[16];
        qc_date_format(day, sizeof day, qc_deadlines_on(d));
        fprintf(f, ",\n \"deadlines\": {\"on\": \"%s\", \"offices\": [", day);
        int n;
        office_levels *rows = count_levels(d, &n);
        for (int k = 0; rows && k < n; k++) {
            fprintf(f, "%s{\"office\": ", k ? ", " : "");
            qc__json_string(f, rows[k].office);
            fprintf(f, ", \"red\": %d, \"orange\": %d, \"yellow\": %d, \"none\": %d, \"suspended\": %d}", rows[k].n[3], rows[k].n[2],
                    rows[k].n[1], rows[k].n[0], rows[k].n[4]);
        }
        free(rows);
        fputs("], \"overdue\": [", f);
        int shown = 0;
        for (int i = 0; i < qc_deadlines_count(d); i++) {
            if (strcmp(qc_deadlines_level(d, i), "red")) continue;
            char due[16];
            qc_date_format(due, sizeof due, qc_deadlines_due(d, i));
            fprintf(f, "%s{\"case\": ", shown++ ? ", " : "");
            qc__json_string(f, qc_deadlines_case(d, i));
            fputs(", \"office\": ", f);
            qc__json_string(f, qc_deadlines_office(d, i));
            fputs(", \"node\": ", f);
            qc__json_string(f, qc_deadlines_node(d, i));
            fprintf(f, ", \"due\": \"%s\", \"days_over\": %lld}", due, -(long long)qc_deadlines_days_left(d, i));
        }
        fputs("], \"violations\": [", f);
        shown = 0;
        for (int i = 0; i < qc_deadlines_violation_count(d); i++) {
            int64_t taken = qc_deadlines_violation_date(d, i);
            if (taken < qc_assessment_from(a) || taken > qc_assessment_to(a)) continue;
            char date[16];
            qc_date_format(date, sizeof date, taken);
            fprintf(f, "%s{\"case\": ", shown++ ? ", " : "");
            qc__json_string(f, qc_deadlines_violation_case(d, i));
            fputs(", \"office\": ", f);
            qc__json_string(f, qc_deadlines_violation_office(d, i));
            fputs(", \"node\": ", f);
            qc__json_string(f, qc_deadlines_violation_node(d, i));
            fputs(", \"requirement\": ", f);
            qc__json_string(f, qc_deadlines_violation_rule(d, i));
            fprintf(f, ", \"step\": \"%s\", \"date\": \"%s\", \"evidence\": ", qc_deadlines_violation_step(d, i), date);
            qc__json_string(f, qc_deadlines_violation_evidence(d, i));
            fputc('}', f);
        }
        fputs("]}", f);
    }
    if (!qc_assessment_has_ratio(a)) return;
    fputs(",\n \"case_ratio\": {\"all\": {", f);
    json_ratio_row(f, a, -1);
    fputs("}, \"offices\": [", f);
    for (int i = 0; i < qc_assessment_ratio_count(a); i++) {
        fprintf(f, "%s{\"office\": ", i ? ", " : "");
        qc__json_string(f, qc_assessment_ratio_office(a, i));
        fputs(", ", f);
        json_ratio_row(f, a, i);
        fputc('}', f);
    }
    fputs("]}", f);
}

void qc__report_process_html(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang)
{
    bool zh = !strcmp(lang, "zh");
    const qc_deadlines *d = qc_assessment_deadlines(a);
    if (d) {
        char day[16];
        qc_date_format(day, sizeof day, qc_deadlines_on(d));
        fprintf(f, "<h2>%s %s</h2>\n<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                zh ? "节点期限，截至" : "Deadlines on", day, zh ? "单位" : "Office", zh ? "红色（超期）" : "Red (overdue)",
                zh ? "橙色" : "Orange", zh ? "黄色" : "Yellow", zh ? "正常" : "None", zh ? "中止" : "Suspended");
        int n;
        office_levels *rows = count_levels(d, &n);
        for (int k = 0; rows && k < n; k++) {
            fputs("<tr><td>", f);
            qc__html_string(f, rows[k].office);
            fprintf(f, "</td><td class=\"n%s\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
                    rows[k].n[3] ? " short" : "", rows[k].n[3], rows[k].n[2], rows[k].n[1], rows[k].n[0], rows[k].n[4]);
        }
        free(rows);
        fputs("</table></div>\n", f);
        bool any = false;
        for (int i = 0; i < qc_deadlines_count(d); i++) {
            if (strcmp(qc_deadlines_level(d, i), "red")) continue;
            if (!any)
                fprintf(f, "<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                        zh ? "案件" : "Case", zh ? "单位" : "Office", zh ? "节点" : "Node", zh ? "届满日" : "Due",
                        zh ? "超期日数" : "Days over");
            any = true;
            char due[16];
            qc_date_format(due, sizeof due, qc_deadlines_due(d, i));
            fputs("<tr><td>", f);
            qc__html_string(f, qc_deadlines_case(d, i));
            fputs("</td><td>", f);
            qc__html_string(f, qc_deadlines_office(d, i));
            fputs("</td><td>", f);
            qc__html_string(f, node_name(rules, qc_deadlines_node(d, i), lang));
            fprintf(f, "</td><td>%s</td><td class=\"n\">%lld</td></tr>\n", due, -(long long)qc_deadlines_days_left(d, i));
        }
        if (any) fputs("</table></div>\n", f);
        any = false;
        for (int i = 0; i < qc_deadlines_violation_count(d); i++) {
            int64_t taken = qc_deadlines_violation_date(d, i);
            if (taken < qc_assessment_from(a) || taken > qc_assessment_to(a)) continue;
            if (!any)
                fprintf(f, "<h2>%s</h2>\n<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                        zh ? "节点违规" : "Node control violations", zh ? "案件" : "Case", zh ? "单位" : "Office",
                        zh ? "要求" : "Requirement", zh ? "依据" : "Evidence");
            any = true;
            fputs("<tr><td>", f);
            qc__html_string(f, qc_deadlines_violation_case(d, i));
            fputs("</td><td>", f);
            qc__html_string(f, qc_deadlines_violation_office(d, i));
            fputs("</td><td>", f);
            qc__html_string(f, qc_deadlines_violation_rule(d, i));
            fputs("</td><td>", f);
            qc__html_string(f, qc_deadlines_violation_evidence(d, i));
            fputs("</td></tr>\n", f);
        }
        if (any) fputs("</table></div>\n", f);
    }
    if (qc_assessment_notice_count(a) || qc_assessment_total(a, "notices_issued")) {
        fprintf(f, "<h2>%s</h2>\n<p>", zh ? "流程监控通知书" : "Process-monitoring notices");
        if (zh) fprintf(f, "本期发出 %lld 份，答复 %lld 份，期末未答复 %d 份。", (long long)qc_assessment_total(a, "notices_issued"),
                        (long long)qc_assessment_total(a, "notices_answered"), qc_assessment_notice_count(a));
        else fprintf(f, "%lld issued and %lld answered in the period; %d open at its end.", (long long)qc_assessment_total(a, "notices_issued"),
                     (long long)qc_assessment_total(a, "notices_answered"), qc_assessment_notice_count(a));
        fputs("</p>\n", f);
        if (qc_assessment_notice_count(a))
            fprintf(f, "<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                    zh ? "编号" : "Notice", zh ? "案件" : "Case", zh ? "单位" : "Office", zh ? "级别" : "Level", zh ? "发出日" : "Issued",
                    zh ? "未答复日数" : "Days open");
        for (int i = 0; i < qc_assessment_notice_count(a); i++) {
            char issued[16];
            qc_date_format(issued, sizeof issued, qc_assessment_notice_issued(a, i));
            const char *cells[] = {qc_assessment_notice_id(a, i), qc_assessment_notice_case(a, i), qc_assessment_notice_office(a, i),
                                   qc_assessment_notice_level(a, i), issued};
            fputs("<tr>", f);
            for (int c = 0; c < 5; c++) {
                fputs("<td>", f);
                qc__html_string(f, cells[c]);
                fputs("</td>", f);
            }
            fprintf(f, "<td class=\"n\">%lld</td></tr>\n", (long long)qc_assessment_notice_age(a, i));
        }
        if (qc_assessment_notice_count(a)) fputs("</table></div>\n", f);
    }
    if (!qc_assessment_has_ratio(a)) return;
    fprintf(f, "<h2>%s</h2>\n<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>", zh ? "案-件比" : "Case-to-proceeding ratio",
            zh ? "单位" : "Office", zh ? "案" : "Cases", zh ? "件" : "Items", zh ? "案件比" : "Ratio");
    for (int k = 0; k < qc_assessment_ratio_component_count(a); k++) {
        const char *c = qc_assessment_ratio_component(a, k);
        const char *shown = rules ? qc_rules_display_name(rules, "step", c, lang) : NULL;
        fputs("<th>", f);
        qc__html_string(f, shown ? shown : c);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (int i = 0; i <= qc_assessment_ratio_count(a); i++) {
        int row = i < qc_assessment_ratio_count(a) ? i : -1;
        char r[32];
        ratio_text(r, sizeof r, a, row);
        fputs("<tr><td>", f);
        qc__html_string(f, row < 0 ? (zh ? "合计" : "All") : qc_assessment_ratio_office(a, row));
        fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%s</td>", (long long)qc_assessment_ratio_cases(a, row),
                (long long)qc_assessment_ratio_items(a, row), r);
        for (int k = 0; k < qc_assessment_ratio_component_count(a); k++)
            fprintf(f, "<td class=\"n\">%lld</td>", (long long)qc_assessment_ratio_component_value(a, row, k));
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
}
