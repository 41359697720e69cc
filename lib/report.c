/* SPDX-License-Identifier: MIT
 * report.c - the notification report (通报) of an assessment, in text,
 * CSV, JSON or one self-contained HTML page with charts.
 *
 * The report says what the seed article says of a province (offices
 * complying, leaders who handled cases, how many, chiefs and deputies who
 * handled hard ones), then office by office and leader by leader, then the
 * name-only suspects with their evidence.  Rankings are optional: the SPP
 * stopped ranking in its reports in October 2024.  Words come in Chinese or
 * English; roles and levels take the rule file's display names.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_process.h"
#include "rules_internal.h"

typedef struct words {
    const char *title, *period, *offices, *leaders, *suspects, *office, *level, *name, *role,
        *counted, *required, *share, *focus, *name_only, *status, *rank, *complies, *yes, *no, *leaders_n,
        *complying_n, *handling_n, *person, *kase, *evidence, *chart_offices, *chart_shares, *met, *short_,
        *focus_short, *no_quota, *score, *rollups, *roles, *offices_n, *offices_complying_n, *failures, *none_short,
        *full_table, *required_scale, *nothing_required, *quota, *no_leaders;
} words;

static const words zh = {
    "员额内领导干部办案情况通报", "期间",
    "各单位情况", "领导干部办案情况", "疑似挂名办案", "单位", "层级", "姓名", "职务", "办案数", "应办数", "占平均办案量",
    "疑难复杂占比", "疑似挂名", "结论", "排名", "是否达标", "是", "否", "领导干部", "达标人数", "办案人数", "人员", "案件", "依据",
    "各单位达标情况", "领导干部办案量占平均办案量的分布", "达标", "未达标", "疑难案件不足", "未设定额", "业绩",
    "汇总（本院及下级院）", "按职务", "单位数", "达标单位数", "未达标的领导干部", "全部领导干部均已达标。",
    "全表", "（100% 即应办数）", "无应办数", "定额", "无领导干部"};

static const words en = {
    "Notification report on leaders' case handling", "Period",
    "Offices", "Leaders", "Suspected name-only handling", "Office", "Level", "Name", "Role", "Handled", "Required",
    "Share of average", "Hard share", "Name-only", "Status", "Rank", "Complies", "yes", "no", "Leaders", "Meeting quota",
    "Handling cases", "Person", "Case", "Evidence", "Compliance by office", "Leaders' share of the average caseload",
    "met", "short", "too few hard cases", "no quota", "score",
    "Roll-up: each office with the offices under it", "Leaders by role", "Offices", "Offices complying",
    "Leaders short of their quota", "Every leader meets the quota.", "Full table", " (100% = required)",
    "nothing required", "quota", "no leaders"};

/* The verdicts a report lists as suspected name-only handling: the
 * name-only verdicts of people who are leaders, in order.  Found once per
 * report, with the leaders in a map (a national assessment has tens of
 * thousands of each). */
typedef struct suspects {
    int *verdicts;
    int n;
} suspects;

static int find_suspects(const qc_assessment *a, suspects *out)
{
    qc__strmap leaders = {0};
    int rc = QC_OK;
    *out = (suspects){malloc(sizeof *out->verdicts * ((size_t)qc_assessment_verdict_count(a) + 1)), 0};
    if (!out->verdicts) return qc__error(QC_ENOMEM, "out of memory");
    for (int i = 0; rc == QC_OK && i < qc_assessment_leader_count(a); i++)
        rc = qc__map_put(&leaders, qc_assessment_leader_person(a, i), i);
    for (int i = 0; rc == QC_OK && i < qc_assessment_verdict_count(a); i++)
        if (!strcmp(qc_assessment_verdict(a, i), "name_only") && qc__map_find(&leaders, qc_assessment_verdict_person(a, i)) >= 0)
            out->verdicts[out->n++] = i;
    qc__map_free(&leaders);
    if (rc < 0) free(out->verdicts);
    return rc;
}

/* Verdict i's evidence in the report's language (a long one is cut at a
 * character boundary). */
static const char *evidence(const qc_assessment *a, int i, const qc_rules *rules, const char *lang, char *buf, size_t size)
{
    return qc_assessment_verdict_explain(a, i, rules, lang, buf, size) >= 0 ? buf : "";
}

/* A requirement with the precision that decides the outcome: 4, or 4.03
 * (never "4.0" for a requirement of 4.03 that 4 cases miss). */
/* A requirement as it decides: a whole number as such, anything else
 * rounded up to hundredths (4.004 is "4.01": 4 cases are short of it). */
static void need_number(char *buf, size_t size, double v)
{
    if (fabs(v - round(v)) < 1e-9) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.2f", ceil(v * 100 - 1e-9) / 100);
}

/* "4", "4.03", or "2-4" for a quota with a range. */
static void required_text(const qc_assessment *a, int i, char *buf, size_t size)
{
    double lo = qc_assessment_leader_required(a, i), hi = qc_assessment_leader_required_max(a, i);
    char l[24], h[24];
    need_number(l, sizeof l, lo);
    need_number(h, sizeof h, hi);
    if (hi > 0) snprintf(buf, size, "%s-%s", l, h);
    else snprintf(buf, size, "%s", l);
}

static const char *status_word(const words *w, const char *status)
{
    if (!strcmp(status, "met")) return w->met;
    if (!strcmp(status, "short")) return w->short_;
    if (!strcmp(status, "focus_short")) return w->focus_short;
    if (!strcmp(status, "none_required")) return w->nothing_required;
    return w->no_quota;
}

static const char *display(const qc_rules *rules, const char *kind, const char *id, const char *lang)
{
    return rules ? qc_rules_display_name(rules, kind, id, lang) : id;
}

static const char *level_word(const char *level, bool chinese)
{
    static const char *const ids[] = {"national", "provincial", "city", "basic"};
    static const char *const zhw[] = {"国家级", "省级", "市级", "基层"};
    for (int i = 0; level && i < 4; i++)
        if (!strcmp(level, ids[i])) return chinese ? zhw[i] : ids[i];
    return level ? level : "";
}

/* Offices in report order: ranked by the share of leaders meeting the
 * quota (then by id), or by id when rankings are off. */
typedef struct office_order {
    const qc_assessment *a;
    int index;
    double rate;
} office_order;

static int by_rate(const void *x, const void *y)
{
    const office_order *p = x, *q = y;
    if (p->rate != q->rate) return p->rate < q->rate ? 1 : -1;
    return strcmp(qc_assessment_office_id(p->a, p->index), qc_assessment_office_id(q->a, q->index));
}

static int by_id(const void *x, const void *y)
{
    const office_order *p = x, *q = y;
    return strcmp(qc_assessment_office_id(p->a, p->index), qc_assessment_office_id(q->a, q->index));
}

static office_order *order_offices(const qc_assessment *a, int ranking)
{
    int n = qc_assessment_office_count(a);
    office_order *o = calloc((size_t)(n ? n : 1), sizeof *o);
    if (!o) return NULL;
    for (int i = 0; i < n; i++) {
        int leaders = qc_assessment_office_leaders(a, i);
        /* an office without leaders is not ranked: last, below every rate */
        o[i] = (office_order){a, i, leaders ? (double)qc_assessment_office_complying_leaders(a, i) / leaders : -1.0};
    }
    qsort(o, (size_t)n, sizeof *o, ranking ? by_rate : by_id);
    return o;
}

/* The summary in the seed article's form. */
static void summary(FILE *f, const qc_assessment *a, bool chinese)
{
    /* the offices judged: those with leaders */
    long long offices = qc_assessment_total(a, "offices") - qc_assessment_total(a, "offices_without_leaders"),
              complying = qc_assessment_total(a, "offices_complying"),
              leaders = qc_assessment_total(a, "leaders_handling"), cases = qc_assessment_total(a, "cases_by_leaders"),
              chiefs = qc_assessment_total(a, "chiefs_handling_hard");
    if (chinese)
        fprintf(f, "%lld 个单位中 %lld 个达标；%lld 名员额内领导干部办理案件 %lld 件；%lld 名检察长、副检察长（院长、副院长）办理重大疑难复杂案件。",
                offices, complying, leaders, cases, chiefs);
    else
        fprintf(f, "%lld of %lld offices comply; %lld leaders within the quota handled %lld cases; %lld chiefs and deputies handled major, difficult or complex cases.",
                complying, offices, leaders, cases, chiefs);
    long long without = qc_assessment_total(a, "offices_without_leaders");
    if (without > 0) {
        if (chinese) fprintf(f, "另有 %lld 个单位期间内无员额内领导干部，不参与达标统计。", without);
        else fprintf(f, " %lld office%s had no leader within the quota in the period: neither complying nor not.",
                     without, without == 1 ? "" : "s");
    }
    /* work the record shows but the figures cannot count: said, not hidden */
    long long unlisted = qc_assessment_total(a, "unlisted_work"), idle = qc_assessment_total(a, "listed_without_acts");
    if (unlisted || idle) {
        if (chinese)
            fprintf(f, "另有 %lld 处由未列入案件的人员所做的办案活动、%lld 个列为办案人但无计数办案记录的情形，均不计入。", unlisted, idle);
        else
            fprintf(f, " Not counted: %lld people's acts on cases that do not list them, and %lld listed handlers with no act that counts.",
                    unlisted, idle);
    }
}

/* "computed on store state HEAD (entry N) with rules HASH": so that a
 * printed report can be checked against the store (quotacase verify
 * --head HEAD) and the rules it came from. */
void qc__provenance(char *buf, size_t size, const qc_assessment *a, bool chinese)
{
    const char *head = qc_assessment_store_head(a), *rules = qc_assessment_rules_hash(a);
    long long entries = (long long)qc_assessment_store_entries(a);
    bool journaled = *head && strncmp(head, "none:", 5);
    if (chinese && journaled) snprintf(buf, size, "计算依据：数据状态 %s（第 %lld 条记录），规则 %s", head, entries, rules);
    else if (chinese) snprintf(buf, size, "计算依据：数据未留痕，规则 %s", rules);
    else if (journaled) snprintf(buf, size, "computed on store state %s (entry %lld) with rules %s", head, entries, rules);
    else snprintf(buf, size, "computed on a store without a journal, with rules %s", rules);
}

/* A performance grade in the report's language. */
static const char *grade_word(const char *grade, bool chinese)
{
    static const char *const ids[] = {"excellent", "competent", "basically_competent", "incompetent"};
    static const char *const zhw[] = {"优秀", "称职", "基本称职", "不称职"};
    for (int i = 0; chinese && i < 4; i++)
        if (!strcmp(grade, ids[i])) return zhw[i];
    return grade;
}

/* The roll-ups (an office with the offices under it) and the leaders by
 * role: headers, then a row each; format 't'ext, 'j'son or 'h'tml. */
static void write_rollups(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang, char format)
{
    static const char *const figures[] = {"offices", "offices_complying", "leaders", "leaders_complying",
                                          "leaders_handling", "cases_by_leaders"};
    const words *w = !strcmp(lang, "zh") ? &zh : &en;
    const char *heads[] = {w->offices_n, w->offices_complying_n, w->leaders_n, w->complying_n, w->handling_n, w->counted};
    for (int part = 0; part < 2; part++) {
        int n = part ? qc_assessment_role_count(a) : qc_assessment_rollup_count(a), first = part ? 2 : 0;
        if (format == 'j') fprintf(f, ",\n \"%s\": [", part ? "roles" : "rollups");
        else if (!n) continue;
        else if (format == 't') fprintf(f, "\n%s\n", part ? w->roles : w->rollups);
        else {
            fprintf(f, "<details open><summary><h2>%s</h2></summary>\n<div class=\"scroll\"><table><tr><th>%s</th>",
                    part ? w->roles : w->rollups, part ? w->role : w->office);
            for (int k = first; k < 6; k++) fprintf(f, "<th>%s</th>", heads[k]);
            fputs("</tr>\n", f);
        }
        for (int i = 0; i < n; i++) {
            const char *name = part ? display(rules, "role", qc_assessment_role(a, i), lang)
                                    : qc_assessment_office_name(a, qc_assessment_rollup_office(a, i));
            if (format == 'j') {
                fprintf(f, "%s\n  {\"%s\": ", i ? "," : "", part ? "role" : "office");
                qc__json_string(f, part ? qc_assessment_role(a, i) : qc_assessment_office_id(a, qc_assessment_rollup_office(a, i)));
                fputs(", \"name\": ", f);
                qc__json_string(f, name);
            } else if (format == 't') {
                if (part) fprintf(f, "%s", name);
                else fprintf(f, "%-10s %s", qc_assessment_office_id(a, qc_assessment_rollup_office(a, i)), name);
            } else {
                fputs("<tr><td>", f);
                qc__html_string(f, name);
                fputs("</td>", f);
            }
            for (int k = first; k < 6; k++) {
                long long v = part ? qc_assessment_role_value(a, i, figures[k]) : qc_assessment_rollup_value(a, i, figures[k]);
                if (format == 'j') fprintf(f, ", \"%s\": %lld", figures[k], v);
                else if (format == 't') fprintf(f, "  %s %lld", heads[k], v);
                else fprintf(f, "<td class=\"n\">%lld</td>", v);
            }
            fputs(format == 'j' ? "}" : format == 't' ? "\n" : "</tr>\n", f);
        }
        fputs(format == 'j' ? "]" : format == 't' ? "" : "</table></div></details>\n", f);
    }
}

/* Whether any leader's counted case has a recorded assignment: the
 * reports show how cases came to leaders only where offices record it. */
static bool any_assignment(const qc_assessment *a)
{
    for (int i = 0; i < qc_assessment_leader_count(a); i++)
        if (qc_assessment_leader_assigned(a, i, "random") || qc_assessment_leader_assigned(a, i, "designated") ||
            qc_assessment_leader_assigned(a, i, "suggested"))
            return true;
    return false;
}

static void write_text(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang, int ranking,
                       const suspects *sus)
{
    char buf[2048]; /* a verdict's evidence */
    bool chinese = !strcmp(lang, "zh");
    const words *w = chinese ? &zh : &en;
    char from[16], to[16];
    qc_date_format(from, sizeof from, qc_assessment_from(a));
    qc_date_format(to, sizeof to, qc_assessment_to(a));
    char origin[512];
    qc__provenance(origin, sizeof origin, a, chinese);
    fprintf(f, "%s\n%s: %s .. %s\n%s\n\n", w->title, w->period, from, to, origin);
    summary(f, a, chinese);
    fprintf(f, "\n\n%s\n", w->offices);
    office_order *o = order_offices(a, ranking);
    for (int k = 0; o && k < qc_assessment_office_count(a); k++) {
        int i = o[k].index;
        bool none = qc_assessment_office_leaders(a, i) == 0;
        if (ranking && !none) fprintf(f, "%4d  ", k + 1);
        else if (ranking) fputs("   -  ", f);
        fprintf(f, "%-10s %s  %s  %s %d/%d  %s\n", qc_assessment_office_id(a, i), qc_assessment_office_name(a, i),
                level_word(qc_assessment_office_level(a, i), chinese), w->complying_n,
                qc_assessment_office_complying_leaders(a, i), qc_assessment_office_leaders(a, i),
                none ? w->no_leaders : qc_assessment_office_complies(a, i) ? w->yes : w->no);
    }
    free(o);
    write_rollups(f, a, rules, lang, 't');
    fprintf(f, "\n%s\n", w->leaders);
    int name_w = 0, role_w = 0;
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        int nw = qc_display_width(qc_assessment_leader_name(a, i));
        int rw = qc_display_width(display(rules, "role", qc_assessment_leader_role(a, i), lang));
        name_w = nw > name_w ? nw : name_w;
        role_w = rw > role_w ? rw : role_w;
    }
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        const char *name = qc_assessment_leader_name(a, i), *role = display(rules, "role", qc_assessment_leader_role(a, i), lang);
        const char *grade = qc_assessment_leader_grade(a, i);
        /* pad by display width: a Chinese name is two columns a character */
        char need[48];
        required_text(a, i, need, sizeof need);
        fprintf(f, "%-10s %s%*s  %s%*s  %s %g / %s  %s %.0f%%  %s %.0f%%  %s %d  %s",
                qc_assessment_leader_office(a, i), name, name_w - qc_display_width(name), "", role,
                role_w - qc_display_width(role), "", w->counted, qc_assessment_leader_counted(a, i),
                need, w->share, 100 * qc_assessment_leader_share(a, i), w->focus,
                100 * qc_assessment_leader_focus_share(a, i), w->name_only, qc_assessment_leader_name_only(a, i),
                status_word(w, qc_assessment_leader_status(a, i)));
        if (grade) fprintf(f, "  %s %.0f (%s)", w->score, qc_assessment_leader_score(a, i), grade_word(grade, chinese));
        if (any_assignment(a)) /* how the cases counted came to them: designated ones stand out */
            fprintf(f, chinese ? "  分案 随机%d 指定%d 建议%d" : "  assigned: %d random, %d designated, %d suggested",
                    qc_assessment_leader_assigned(a, i, "random"), qc_assessment_leader_assigned(a, i, "designated"),
                    qc_assessment_leader_assigned(a, i, "suggested"));
        if (qc_assessment_credit_kind_count(a)) {
            /* beside the count, never in it: a short leader's credit says what it is */
            const char *st = qc_assessment_leader_status(a, i);
            if (!strcmp(st, "short") || !strcmp(st, "focus_short")) {
                qc_assessment_leader_credit_explain(a, i, rules, lang, buf, sizeof buf);
                fprintf(f, "  (%s)", buf);
            } else {
                fprintf(f, "  %s %g", chinese ? "工作量积分" : "credit", qc_assessment_leader_credit(a, i));
            }
        }
        fputc('\n', f);
    }
    fprintf(f, "\n%s\n", w->suspects);
    for (int k = 0; k < sus->n; k++) {
        int i = sus->verdicts[k];
        fprintf(f, "%-12s %-14s %s\n", qc_assessment_verdict_person(a, i), qc_assessment_verdict_case(a, i),
                evidence(a, i, rules, lang, buf, sizeof buf));
    }
    qc__report_process_text(f, a, rules, lang);
}

static void write_csv(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang)
{
    fputs("office,office_name,person,name,role,in_post,counted,required,average,share,focus_share,name_only,score,grade,quota,status,office_complies,required_max,store_state,store_entries,rules,credit\r\n", f);
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        const char *office = qc_assessment_leader_office(a, i);
        int o = -1;
        for (int k = 0; k < qc_assessment_office_count(a); k++)
            if (office && !strcmp(qc_assessment_office_id(a, k), office)) o = k;
        qc__csv_field(f, office);
        fputc(',', f);
        qc__csv_field(f, o >= 0 ? qc_assessment_office_name(a, o) : "");
        fputc(',', f);
        qc__csv_field(f, qc_assessment_leader_person(a, i));
        fputc(',', f);
        qc__csv_field(f, qc_assessment_leader_name(a, i));
        fputc(',', f);
        qc__csv_field(f, display(rules, "role", qc_assessment_leader_role(a, i), lang));
        fprintf(f, ",%.4f,%g,%.4f,%.4f,%.4f,%.4f,%d,%.2f,%s,", qc_assessment_leader_fraction(a, i), qc_assessment_leader_counted(a, i),
                qc_assessment_leader_required(a, i), qc_assessment_leader_average(a, i), qc_assessment_leader_share(a, i),
                qc_assessment_leader_focus_share(a, i), qc_assessment_leader_name_only(a, i), qc_assessment_leader_score(a, i),
                qc_assessment_leader_grade(a, i) ? qc_assessment_leader_grade(a, i) : "");
        qc__csv_field(f, qc_assessment_leader_quota(a, i));
        fprintf(f, ",%s,%s,%.4f,%s,%lld,%s,%g\r\n", qc_assessment_leader_status(a, i),
                o >= 0 && qc_assessment_office_complies(a, o) ? "true" : "false", qc_assessment_leader_required_max(a, i),
                qc_assessment_store_head(a), (long long)qc_assessment_store_entries(a), qc_assessment_rules_hash(a),
                qc_assessment_leader_credit(a, i));
    }
}

static void write_json(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang, int ranking,
                       const suspects *sus)
{
    char buf[2048]; /* a verdict's evidence */
    char from[16], to[16];
    qc_date_format(from, sizeof from, qc_assessment_from(a));
    qc_date_format(to, sizeof to, qc_assessment_to(a));
    fprintf(f, "{\"period\": {\"from\": \"%s\", \"to\": \"%s\"}, \"computed_on\": {\"store_state\": \"%s\", "
               "\"store_entries\": %lld, \"rules\": \"%s\"}, \"totals\": {",
            from, to, qc_assessment_store_head(a), (long long)qc_assessment_store_entries(a), qc_assessment_rules_hash(a));
    static const char *const totals[] = {"offices",          "offices_complying",    "leaders",
                                         "leaders_handling", "cases_by_leaders",     "chiefs_handling_hard",
                                         "unlisted_work",    "listed_without_acts",  "offices_without_leaders"};
    for (size_t i = 0; i < QC__ARRAY_LEN(totals); i++)
        fprintf(f, "%s\"%s\": %lld", i ? ", " : "", totals[i], (long long)qc_assessment_total(a, totals[i]));
    fputs("},\n \"offices\": [", f);
    office_order *o = order_offices(a, ranking);
    for (int k = 0; o && k < qc_assessment_office_count(a); k++) {
        int i = o[k].index;
        fprintf(f, "%s\n  {", k ? "," : "");
        bool none = qc_assessment_office_leaders(a, i) == 0;
        if (ranking && !none) fprintf(f, "\"rank\": %d, ", k + 1);
        fputs("\"id\": ", f);
        qc__json_string(f, qc_assessment_office_id(a, i));
        fputs(", \"name\": ", f);
        qc__json_string(f, qc_assessment_office_name(a, i));
        /* an office without leaders neither complies nor fails: null */
        fprintf(f, ", \"level\": \"%s\", \"leaders\": %d, \"leaders_meeting_quota\": %d, \"leaders_handling\": %d, \"complies\": %s}",
                qc_assessment_office_level(a, i), qc_assessment_office_leaders(a, i), qc_assessment_office_complying_leaders(a, i),
                qc_assessment_office_leaders_handling(a, i), none ? "null" : qc_assessment_office_complies(a, i) ? "true" : "false");
    }
    free(o);
    fputs("]", f);
    write_rollups(f, a, rules, lang, 'j');
    fputs(",\n \"leaders\": [", f);
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        fprintf(f, "%s\n  {\"person\": ", i ? "," : "");
        qc__json_string(f, qc_assessment_leader_person(a, i));
        fputs(", \"name\": ", f);
        qc__json_string(f, qc_assessment_leader_name(a, i));
        fputs(", \"office\": ", f);
        qc__json_string(f, qc_assessment_leader_office(a, i));
        fputs(", \"role\": ", f);
        qc__json_string(f, display(rules, "role", qc_assessment_leader_role(a, i), lang));
        fprintf(f, ", \"in_post\": %.4f, \"counted\": %g, \"required\": %.4f, \"required_max\": %.4f, \"average\": %.4f, \"share\": %.4f, \"focus_share\": %.4f, \"name_only\": %d, \"score\": %.2f, \"grade\": ",
                qc_assessment_leader_fraction(a, i), qc_assessment_leader_counted(a, i), qc_assessment_leader_required(a, i),
                qc_assessment_leader_required_max(a, i),
                qc_assessment_leader_average(a, i), qc_assessment_leader_share(a, i), qc_assessment_leader_focus_share(a, i),
                qc_assessment_leader_name_only(a, i), qc_assessment_leader_score(a, i));
        qc__json_string(f, qc_assessment_leader_grade(a, i) ? qc_assessment_leader_grade(a, i) : "");
        fprintf(f, ", \"status\": \"%s\"", qc_assessment_leader_status(a, i));
        if (any_assignment(a))
            fprintf(f, ", \"assigned\": {\"random\": %d, \"designated\": %d, \"suggested\": %d, \"unrecorded\": %d}",
                    qc_assessment_leader_assigned(a, i, "random"), qc_assessment_leader_assigned(a, i, "designated"),
                    qc_assessment_leader_assigned(a, i, "suggested"), qc_assessment_leader_assigned(a, i, "unrecorded"));
        if (qc_assessment_credit_kind_count(a)) {
            qc_assessment_leader_credit_explain(a, i, rules, lang, buf, sizeof buf);
            fprintf(f, ", \"credit\": %g, \"credit_from\": ", qc_assessment_leader_credit(a, i));
            qc__json_string(f, buf);
        }
        fputc('}', f);
    }
    fputs("],\n \"name_only\": [", f);
    for (int k = 0; k < sus->n; k++) {
        int i = sus->verdicts[k];
        fprintf(f, "%s\n  {\"person\": ", k ? "," : "");
        qc__json_string(f, qc_assessment_verdict_person(a, i));
        fputs(", \"case\": ", f);
        qc__json_string(f, qc_assessment_verdict_case(a, i));
        fputs(", \"evidence\": ", f);
        qc__json_string(f, evidence(a, i, rules, lang, buf, sizeof buf));
        fputs("}", f);
    }
    fputs("]", f);
    qc__report_process_json(f, a);
    fputs("}\n", f);
}

/* ---- HTML ---- */

static const char *const css =
    "body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;padding:1rem;"
    "max-width:60rem;margin:auto;color:#1c2430;line-height:1.5}"
    "h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d5dbe3}"
    ".summary{background:#f2f5f9;border-radius:.5rem;padding:.8rem 1rem;font-size:1.05rem}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}"
    /* on a phone the page never scrolls sideways: long ids and hashes
     * break, text cells wrap; only a wide table scrolls, in its own box */
    "th,td{padding:.3rem .5rem;border-bottom:1px solid #e3e7ed;text-align:left;vertical-align:top}"
    "td.n,th{white-space:nowrap}.origin{overflow-wrap:anywhere;font-size:.85rem;color:#5b6676}"
    "details>summary{cursor:pointer;color:#3a5f8f;margin:.5rem 0}details>summary>h2{display:inline-block;margin:1rem 0 .3rem}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}.short,.no{color:#b3261e;font-weight:600}.met,.yes{color:#1b6e3a}"
    ".focus_short{color:#b06000;font-weight:600}.no_quota,.none{color:#5b6676}"
    /* the failures first, as cards that wrap on any screen */
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.6rem}"
    ".card{border:1px solid #e3e7ed;border-left:4px solid #b3261e;border-radius:.4rem;padding:.5rem .7rem;overflow-wrap:anywhere}"
    ".card.focus_short{border-left-color:#b06000}.card h3{font-size:1rem;margin:0}.card p{margin:.2rem 0;font-size:.9rem}"
    ".card small{color:#5b6676;font-weight:normal}"
    /* charts in HTML, so that their text is the page's text at any width */
    "figure{margin:1rem 0}figcaption{font-size:.85rem;color:#5b6676}"
    ".hbar{display:grid;grid-template-columns:minmax(5rem,14rem) 1fr 3.5rem;gap:.1rem .4rem;align-items:center;font-size:.85rem}"
    ".hbar .label{overflow-wrap:anywhere;text-align:right}.hbar .track{background:#eef1f5;height:.8rem;border-radius:.2rem}"
    ".hbar .fill{display:block;height:100%;border-radius:.2rem}.fill.yes{background:#3d8b5a}.fill.no{background:#c0443a}"
    ".hist{display:flex;align-items:flex-end;gap:.25rem;height:9rem;font-size:.8rem}"
    ".hist .col{flex:1;display:flex;flex-direction:column;justify-content:flex-end;height:100%;text-align:center;min-width:0}"
    ".hist .seg{display:block}.seg.met{background:#3d8b5a}.seg.focus_short{background:#d08a1a}.seg.short{background:#c0443a}"
    ".seg.no_quota{background:#9aa5b1}.hist-labels{display:flex;gap:.25rem;font-size:.75rem;color:#5b6676}"
    ".hist-labels span{flex:1;text-align:center;min-width:0;overflow-wrap:anywhere}"
    "@media print{@page{size:A4;margin:15mm}body{max-width:none;padding:0;font-size:10.5pt}"
    "details>summary{display:none}.scroll{overflow:visible}table{font-size:9pt}"
    ".card,tr,figure{break-inside:avoid}h2{break-after:avoid}}";

static int by_rate_ascending(const void *x, const void *y) { return -by_rate(x, y); }


/* Offices by their share of leaders meeting the quota, as bars: every
 * office up to 30, else the 30 lowest (ranked) or the first 30 by id. */
static void chart_offices(FILE *f, const qc_assessment *a, const office_order *ordered, int ranking, const words *w)
{
    int n = qc_assessment_office_count(a), shown;
    office_order *o = malloc(sizeof *o * (size_t)(n ? n : 1));
    if (!o) return;
    memcpy(o, ordered, sizeof *o * (size_t)n);
    if (ranking) qsort(o, (size_t)n, sizeof *o, by_rate_ascending); /* the lowest first; else id order */
    fputs("<figure><div class=\"hbar\" role=\"img\" aria-label=\"", f);
    qc__html_string(f, w->chart_offices);
    fputs("\">", f);
    int judged = 0; /* offices with leaders; the others are not charted */
    for (int k = 0; k < n; k++) judged += qc_assessment_office_leaders(a, o[k].index) > 0;
    shown = judged < 30 ? judged : 30;
    for (int k = 0, drawn = 0; k < n && drawn < shown; k++) {
        int i = o[k].index, leaders = qc_assessment_office_leaders(a, i);
        if (!leaders) continue;
        drawn++;
        fputs("<span class=\"label\">", f);
        qc__html_string(f, qc_assessment_office_name(a, i));
        fprintf(f, "</span><span class=\"track\"><span class=\"fill %s\" style=\"width:%.1f%%\"></span></span>"
                   "<span class=\"n\">%d/%d</span>",
                qc_assessment_office_complies(a, i) ? "yes" : "no", leaders ? 100.0 * o[k].rate : 0.0,
                qc_assessment_office_complying_leaders(a, i), leaders);
    }
    fputs("</div><figcaption>", f);
    qc__html_string(f, w->chart_offices);
    if (shown < judged) {
        char cap[160];
        if (w == &zh) snprintf(cap, sizeof cap, ranking ? "达标率最低的 %d 个单位（共 %d 个）" : "按编号前 %d 个单位（共 %d 个）", shown, judged);
        else snprintf(cap, sizeof cap, ranking ? "the %d lowest of %d offices" : "the first %d of %d offices, by id", shown, judged);
        fputs(": ", f);
        qc__html_string(f, cap);
    }
    fputs("</figcaption></figure>\n", f);
    free(o);
}

/* Leaders by counted / required, in ranges of 25%, each bar in parts by
 * status (so a leader with enough cases but too few hard ones is not
 * green); leaders with nothing required apart. */
static void chart_shares(FILE *f, const qc_assessment *a, const words *w)
{
    static const char *const statuses[] = {"short", "focus_short", "met", "no_quota"};
    int bins[10][4] = {{0}}, max = 1;
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        double req = qc_assessment_leader_required(a, i);
        int b = 9; /* nothing required */
        if (req > 0) {
            int q = (int)(qc_assessment_leader_counted(a, i) / req * 4);
            b = q < 0 ? 0 : q > 8 ? 8 : q;
        }
        const char *st = qc_assessment_leader_status(a, i);
        int s = 3;
        for (int k = 0; k < 3; k++)
            if (!strcmp(st, statuses[k])) s = k;
        bins[b][s]++;
    }
    int used = bins[9][0] + bins[9][1] + bins[9][2] + bins[9][3] ? 10 : 9;
    for (int b = 0; b < used; b++) {
        int t = bins[b][0] + bins[b][1] + bins[b][2] + bins[b][3];
        max = t > max ? t : max;
    }
    fputs("<figure><div class=\"hist\" role=\"img\" aria-label=\"", f);
    qc__html_string(f, w->chart_shares);
    fputs("\">", f);
    for (int b = 0; b < used; b++) {
        int t = bins[b][0] + bins[b][1] + bins[b][2] + bins[b][3];
        fprintf(f, "<span class=\"col\"><span>%d</span>", t);
        for (int s = 3; s >= 0; s--) /* short at the bottom */
            if (bins[b][s])
                fprintf(f, "<span class=\"seg %s\" style=\"height:%.1f%%\" title=\"%s %d\"></span>", statuses[s],
                        85.0 * bins[b][s] / max, status_word(w, statuses[s]), bins[b][s]);
        fputs("</span>", f);
    }
    fputs("</div><div class=\"hist-labels\">", f);
    for (int b = 0; b < used; b++) {
        if (b == 9) fprintf(f, "<span>%s</span>", w->nothing_required);
        else if (b == 8) fputs("<span>≥200%</span>", f);
        else fprintf(f, "<span>%d–%d%%</span>", b * 25, (b + 1) * 25);
    }
    fputs("</div><figcaption>", f);
    qc__html_string(f, w->chart_shares);
    qc__html_string(f, w->required_scale);
    fputs("</figcaption></figure>\n", f);
}

/* The leaders who fall short, first, as cards: who, where, counted
 * against required, why, and the name-only cases that made it so. */
static void failure_cards(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang, const suspects *sus)
{
    const words *w = !strcmp(lang, "zh") ? &zh : &en;
    char buf[2048];
    int shown = 0;
    fprintf(f, "<h2>%s</h2>\n<div class=\"cards\">\n", w->failures);
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        const char *st = qc_assessment_leader_status(a, i);
        if (strcmp(st, "short") && strcmp(st, "focus_short")) continue;
        const char *office = qc_assessment_leader_office(a, i), *office_name = office;
        for (int k = 0; k < qc_assessment_office_count(a); k++)
            if (office && !strcmp(qc_assessment_office_id(a, k), office)) office_name = qc_assessment_office_name(a, k);
        char need[48], counted[24];
        required_text(a, i, need, sizeof need);
        need_number(counted, sizeof counted, qc_assessment_leader_counted(a, i));
        fprintf(f, "<article class=\"card %s\"><h3>", st);
        qc__html_string(f, qc_assessment_leader_name(a, i));
        fputs(" <small>", f);
        qc__html_string(f, office_name ? office_name : "");
        fputs(" · ", f);
        qc__html_string(f, display(rules, "role", qc_assessment_leader_role(a, i), lang));
        fprintf(f, "</small></h3><p><span class=\"%s\">%s</span> · %s %s / %s %s · %s %.0f%%</p>", st, status_word(w, st),
                w->counted, counted, w->required, need, w->focus, 100 * qc_assessment_leader_focus_share(a, i));
        int nameonly = qc_assessment_leader_name_only(a, i);
        if (nameonly) {
            char line[96];
            if (w == &zh) snprintf(line, sizeof line, "疑似挂名办案 %d 件", nameonly);
            else snprintf(line, sizeof line, "%d case%s suspected of name-only handling", nameonly, nameonly == 1 ? "" : "s");
            fputs("<p>", f);
            qc__html_string(f, line);
            fputs("</p>", f);
            /* the evidence: this person's name-only verdicts, a few */
            int listed = 0;
            for (int k = 0; k < sus->n && listed < 3; k++) {
                int v = sus->verdicts[k];
                if (strcmp(qc_assessment_verdict_person(a, v), qc_assessment_leader_person(a, i))) continue;
                fputs("<p><small>", f);
                qc__html_string(f, qc_assessment_verdict_case(a, v));
                fputs(": ", f);
                qc__html_string(f, evidence(a, v, rules, lang, buf, sizeof buf));
                fputs("</small></p>", f);
                listed++;
            }
        }
        fputs("</article>\n", f);
        shown++;
    }
    fputs("</div>\n", f);
    if (!shown) fprintf(f, "<p class=\"met\">%s</p>\n", w->none_short);
}

static void write_html(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *lang, int ranking,
                       const suspects *sus)
{
    char buf[2048]; /* a verdict's evidence */
    bool chinese = !strcmp(lang, "zh");
    const words *w = chinese ? &zh : &en;
    char from[16], to[16];
    qc_date_format(from, sizeof from, qc_assessment_from(a));
    qc_date_format(to, sizeof to, qc_assessment_to(a));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>", chinese ? "zh-CN" : "en");
    qc__html_string(f, w->title);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>", css);
    qc__html_string(f, w->title);
    char origin[512];
    qc__provenance(origin, sizeof origin, a, chinese);
    fprintf(f, "</h1><p>%s: %s – %s</p>\n<p class=\"origin\">", w->period, from, to);
    qc__html_string(f, origin);
    fputs("</p>\n<p class=\"summary\">", f);
    summary(f, a, chinese);
    fputs("</p>\n", f);
    failure_cards(f, a, rules, lang, sus);
    office_order *o = order_offices(a, ranking);
    if (o) {
        fprintf(f, "<h2>%s</h2>\n", w->offices);
        chart_offices(f, a, o, ranking, w);
        fprintf(f, "<details open><summary>%s</summary><div class=\"scroll\"><table><tr>", w->full_table);
        if (ranking) fprintf(f, "<th>%s</th>", w->rank);
        fprintf(f, "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", w->office, w->level,
                w->leaders_n, w->complying_n, w->handling_n, w->complies);
        for (int k = 0; k < qc_assessment_office_count(a); k++) {
            int i = o[k].index;
            bool none = qc_assessment_office_leaders(a, i) == 0;
            fputs("<tr>", f);
            if (ranking && !none) fprintf(f, "<td class=\"n\">%d</td>", k + 1);
            else if (ranking) fputs("<td class=\"n\">–</td>", f);
            fputs("<td>", f);
            qc__html_string(f, qc_assessment_office_name(a, i));
            fprintf(f, "</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"%s\">%s</td></tr>\n",
                    level_word(qc_assessment_office_level(a, i), chinese), qc_assessment_office_leaders(a, i),
                    qc_assessment_office_complying_leaders(a, i), qc_assessment_office_leaders_handling(a, i),
                    none ? "none" : qc_assessment_office_complies(a, i) ? "yes" : "no",
                    none ? w->no_leaders : qc_assessment_office_complies(a, i) ? w->yes : w->no);
        }
        fputs("</table></div></details>\n", f);
        free(o);
    }
    write_rollups(f, a, rules, lang, 'h');
    fprintf(f, "<h2>%s</h2>\n", w->leaders);
    chart_shares(f, a, w);
    fprintf(f, "<details open><summary>%s</summary><div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            w->full_table, w->office, w->name, w->role, w->counted, w->required, w->share, w->focus, w->name_only, w->score,
            w->status);
    for (int i = 0; i < qc_assessment_leader_count(a); i++) {
        fputs("<tr><td>", f);
        qc__html_string(f, qc_assessment_leader_office(a, i));
        fputs("</td><td>", f);
        qc__html_string(f, qc_assessment_leader_name(a, i));
        fputs("</td><td>", f);
        qc__html_string(f, display(rules, "role", qc_assessment_leader_role(a, i), lang));
        const char *st = qc_assessment_leader_status(a, i);
        const char *grade = qc_assessment_leader_grade(a, i);
        char need[48], counted[24];
        required_text(a, i, need, sizeof need);
        need_number(counted, sizeof counted, qc_assessment_leader_counted(a, i));
        fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%.0f%%</td><td class=\"n\">%.0f%%</td>"
                   "<td class=\"n\">%d</td><td class=\"n\">",
                counted, need, 100 * qc_assessment_leader_share(a, i), 100 * qc_assessment_leader_focus_share(a, i),
                qc_assessment_leader_name_only(a, i));
        if (grade) fprintf(f, "%.0f %s", qc_assessment_leader_score(a, i), grade_word(grade, chinese));
        fprintf(f, "</td><td class=\"%s\">%s", st, status_word(w, st));
        if (qc_assessment_credit_kind_count(a) && qc_assessment_leader_credit(a, i) > 0) {
            qc_assessment_leader_credit_explain(a, i, rules, lang, buf, sizeof buf);
            fputs("<br><small>", f);
            qc__html_string(f, buf);
            fputs("</small>", f);
        }
        if (any_assignment(a)) /* how the cases counted came to them */
            fprintf(f, chinese ? "<br><small>分案：随机 %d，指定 %d，建议 %d</small>"
                               : "<br><small>assigned: %d random, %d designated, %d suggested</small>",
                    qc_assessment_leader_assigned(a, i, "random"), qc_assessment_leader_assigned(a, i, "designated"),
                    qc_assessment_leader_assigned(a, i, "suggested"));
        fputs("</td></tr>\n", f);
    }
    fprintf(f, "</table></div></details>\n<h2>%s</h2>\n<details open><summary>%s</summary><div class=\"scroll\"><table>"
               "<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n",
            w->suspects, w->full_table, w->person, w->kase, w->evidence);
    for (int k = 0; k < sus->n; k++) {
        int i = sus->verdicts[k];
        fputs("<tr><td>", f);
        qc__html_string(f, qc_assessment_verdict_person(a, i));
        fputs("</td><td>", f);
        qc__html_string(f, qc_assessment_verdict_case(a, i));
        fputs("</td><td>", f);
        qc__html_string(f, evidence(a, i, rules, lang, buf, sizeof buf));
        fputs("</td></tr>\n", f);
    }
    fputs("</table></div></details>\n", f);
    qc__report_process_html(f, a, rules, lang);
    fputs("</body></html>\n", f);
}

/* The format and language checked before anything is opened, so that a
 * bad argument leaves no empty file behind. */
static int report_arguments(const char *format, const char *lang, const char *fn)
{
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
        return qc__error(QC_EINVAL, "%s: language '%s' is not zh or en", fn, lang);
    if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "html"))
        return qc__error(QC_EINVAL, "%s: format '%s' is not text, csv, json or html", fn, format);
    return QC_OK;
}

/* The report in a checked format to f; what qc_report_write and
 * qc_report_write_buffer share. */
static int report_to(FILE *f, const qc_assessment *a, const qc_rules *rules, const char *format, const char *lang,
                     int ranking)
{
    if (!lang) lang = "zh";
    bool text = !strcmp(format, "text"), csv = !strcmp(format, "csv"), json = !strcmp(format, "json");
    suspects sus;
    int rc = find_suspects(a, &sus);
    if (rc < 0) return rc;
    qc__numbers numbers = qc__numbers_begin(); /* "0.25", not "0,25", whatever the program's locale */
    if (text) write_text(f, a, rules, lang, ranking, &sus);
    else if (csv) write_csv(f, a, rules, lang);
    else if (json) write_json(f, a, rules, lang, ranking, &sus);
    else write_html(f, a, rules, lang, ranking, &sus);
    qc__numbers_end(numbers);
    free(sus.verdicts);
    return QC_OK;
}

QC_EXTERN int qc_report_write(const qc_assessment *a, const qc_rules *rules, const char *path, const char *format,
                              const char *lang, int ranking)
{
    if (!a || !path || !format) return qc__error(QC_EINVAL, "qc_report_write: NULL argument");
    int rc = report_arguments(format, lang, "qc_report_write");
    qc__output o;
    if (rc == QC_OK) rc = qc__open_output(path, &o);
    if (rc == QC_OK) rc = qc__close_output(&o, report_to(o.f, a, rules, format, lang, ranking));
    return rc;
}

QC_EXTERN int qc_report_write_buffer(char **out, size_t *size, const qc_assessment *a, const qc_rules *rules,
                                     const char *format, const char *lang, int ranking)
{
    if (out) *out = NULL;
    if (size) *size = 0;
    if (!a || !format || !out || !size) return qc__error(QC_EINVAL, "qc_report_write_buffer: NULL argument");
    int rc = report_arguments(format, lang, "qc_report_write_buffer");
    if (rc < 0) return rc;
    FILE *f = open_memstream(out, size);
    if (!f) return qc__error(QC_ENOMEM, "out of memory");
    return qc__close_buffer(f, out, size, report_to(f, a, rules, format, lang, ranking));
}
