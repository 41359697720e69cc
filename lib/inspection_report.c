/* SPDX-License-Identifier: MIT
 * inspection_report.c - an inspection's list as CSV, JSON, text or a
 * printable HTML checklist, and, once reviews are recorded against it,
 * their grades by office, department and handler (docs/inspections.md).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"
#include "sample.h"

typedef struct words {
    const char *title, *plan, *seed, *period, *office, *head, *list_hash, *candidates, *selected;
    const char *n, *kase, *department, *line, *handler, *labels, *stratum, *reason, *grade, *reviewer_note;
    const char *by_office, *by_department, *by_handler, *reviewed, *sample, *strata, *triggered, *drawn;
} words;

static const words zh = {"案件评查抽查清单", "抽查方案", "随机种子", "期间", "单位", "数据状态", "清单校验值", "候选案件",
                         "抽中案件", "序号", "案件", "部门", "业务条线", "承办人", "案件标签", "分层", "抽中原因", "评查等次",
                         "评查意见", "按单位统计评查等次", "按部门统计评查等次", "按承办人统计评查等次", "已评查", "随机抽取",
                         "分层", "必查", "随机"};
static const words en = {"Inspection checklist", "Plan", "Seed", "Period", "Office", "Store state", "List hash",
                         "Candidates", "Selected", "No.", "Case", "Department", "Line", "Handler", "Labels", "Stratum",
                         "Why selected", "Grade", "Reviewer's notes", "Grades by office", "Grades by department",
                         "Grades by handler", "Reviewed", "drawn at random", "Strata", "Must review", "Drawn"};

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static const char *reason_text(const char *reason, const words *w)
{
    return !strcmp(reason, "sample") ? w->sample : reason;
}

/* ---- grades by office, department, handler ---- */

typedef struct tally {
    const char *group, *grade;
    int count;
} tally;

static int by_group_then_grade(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    return c ? c : strcmp(x->grade, y->grade);
}

/* One row per (group, grade) of the reviewed cases, sorted; NULL with
 * *n 0 when none is reviewed. */
static tally *tally_grades(const qc_sample *s, int dimension, int *n)
{
    *n = 0;
    tally *t = s->n ? calloc((size_t)s->n, sizeof *t) : NULL;
    if (!t) return NULL;
    for (int i = 0; i < s->n; i++) {
        const qc__sample_row *r = &s->rows[i];
        if (!r->grade) continue;
        const char *group = dimension == 0 ? r->office : dimension == 1 ? r->department : r->handler;
        t[(*n)++] = (tally){or_dash(group), r->grade, 1};
    }
    if (*n) qsort(t, (size_t)*n, sizeof *t, by_group_then_grade);
    int m = 0;
    for (int i = 0; i < *n; i++) {
        if (m && !strcmp(t[m - 1].group, t[i].group) && !strcmp(t[m - 1].grade, t[i].grade)) t[m - 1].count++;
        else t[m++] = t[i];
    }
    *n = m;
    return t;
}

static int reviewed(const qc_sample *s)
{
    int n = 0;
    for (int i = 0; i < s->n; i++) n += s->rows[i].grade != NULL;
    return n;
}

/* ---- formats ---- */

static void write_csv(FILE *f, const qc_sample *s)
{
    fputs("case,office,department,line,handler,labels,stratum,reason,grade\n", f);
    for (int i = 0; i < s->n; i++) {
        const qc__sample_row *r = &s->rows[i];
        const char *cells[] = {r->case_id, r->office, r->department, r->line, r->handler, r->labels, r->stratum, r->reason, r->grade};
        for (size_t c = 0; c < QC__ARRAY_LEN(cells); c++) {
            if (c) fputc(',', f);
            qc__csv_field(f, cells[c] ? cells[c] : "");
        }
        fputc('\n', f);
    }
}

static void json_field(FILE *f, const char *name, const char *value, bool comma)
{
    fprintf(f, "%s\"%s\": ", comma ? ", " : "", name);
    if (value) qc__json_string(f, value);
    else fputs("null", f);
}

static void write_json(FILE *f, const qc_sample *s)
{
    char from[16], to[16];
    qc_date_format(from, sizeof from, s->from);
    qc_date_format(to, sizeof to, s->to);
    fputs("{", f);
    json_field(f, "inspection", s->id, false);
    json_field(f, "plan", s->plan, true);
    json_field(f, "plan_hash", s->plan_hash, true);
    json_field(f, "office", s->office, true);
    json_field(f, "from", from, true);
    json_field(f, "to", to, true);
    json_field(f, "seed", s->seed, true);
    json_field(f, "head", s->head, true);
    json_field(f, "list_hash", s->list_hash, true);
    fprintf(f, ", \"candidates\": %lld, \"selected\": %d,\n \"strata\": [", (long long)s->candidates, s->n);
    for (int i = 0; i < s->nstrata; i++) {
        const qc__sample_stratum *st = &s->strata[i];
        fprintf(f, "%s\n  {", i ? "," : "");
        json_field(f, "stratum", st->key, false);
        fprintf(f, ", \"candidates\": %lld, \"triggered\": %lld, \"drawn\": %lld}", (long long)st->candidates,
                (long long)st->triggered, (long long)st->drawn);
    }
    fputs("],\n \"cases\": [", f);
    for (int i = 0; i < s->n; i++) {
        const qc__sample_row *r = &s->rows[i];
        fprintf(f, "%s\n  {", i ? "," : "");
        json_field(f, "case", r->case_id, false);
        json_field(f, "office", r->office, true);
        json_field(f, "department", r->department, true);
        json_field(f, "line", r->line, true);
        json_field(f, "handler", r->handler, true);
        json_field(f, "labels", r->labels, true);
        json_field(f, "stratum", r->stratum, true);
        json_field(f, "reason", r->reason, true);
        json_field(f, "grade", r->grade, true);
        fputc('}', f);
    }
    fputs("],\n \"grades\": {", f);
    static const char *const dims[] = {"office", "department", "handler"};
    for (int d = 0; d < 3; d++) {
        int n;
        tally *t = tally_grades(s, d, &n);
        fprintf(f, "%s\"by_%s\": [", d ? ", " : "", dims[d]);
        for (int i = 0; i < n; i++) {
            fprintf(f, "%s{", i ? ", " : "");
            json_field(f, dims[d], t[i].group, false);
            json_field(f, "grade", t[i].grade, true);
            fprintf(f, ", \"cases\": %d}", t[i].count);
        }
        fputs("]", f);
        free(t);
    }
    fputs("}}\n", f);
}

static void write_text(FILE *f, const qc_sample *s, const words *w)
{
    char from[16], to[16];
    qc_date_format(from, sizeof from, s->from);
    qc_date_format(to, sizeof to, s->to);
    fprintf(f, "%s%s%s\n%s: %s  %s: %s – %s  %s: %s\n%s: %s\n%s: %s\n", w->title, s->id ? " " : "", s->id ? s->id : "", w->plan, s->plan,
            w->period, from, to, w->office, s->office, w->seed, s->seed, w->head, or_dash(s->head));
    if (s->nstrata)
        fprintf(f, "%s: %lld  %s: %d\n", w->candidates, (long long)s->candidates, w->selected, s->n);
    else fprintf(f, "%s: %d\n", w->selected, s->n);
    fprintf(f, "%s: %s\n\n", w->list_hash, s->list_hash);
    for (int i = 0; i < s->n; i++) {
        const qc__sample_row *r = &s->rows[i];
        fprintf(f, "%4d  %-16s %-10s %-24s %s", i + 1, r->case_id, r->office, r->stratum, reason_text(r->reason, w));
        if (r->grade) fprintf(f, "  [%s]", r->grade);
        fputc('\n', f);
    }
    if (s->nstrata) {
        fprintf(f, "\n%s:\n", w->strata);
        for (int i = 0; i < s->nstrata; i++)
            fprintf(f, "  %-32s %lld -> %lld (%s %lld, %s %lld)\n", s->strata[i].key, (long long)s->strata[i].candidates,
                    (long long)s->strata[i].selected, w->triggered, (long long)s->strata[i].triggered, w->drawn,
                    (long long)s->strata[i].drawn);
    }
    if (reviewed(s)) {
        const char *titles[] = {w->by_office, w->by_department, w->by_handler};
        for (int d = 0; d < 3; d++) {
            int n;
            tally *t = tally_grades(s, d, &n);
            fprintf(f, "\n%s:\n", titles[d]);
            for (int i = 0; i < n; i++) fprintf(f, "  %-16s %-24s %d\n", t[i].group, t[i].grade, t[i].count);
            free(t);
        }
    }
}

static const char css[] =
    "body{font-family:sans-serif;margin:1em;color:#222}h1{font-size:1.4em}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #999;padding:.3em .4em;text-align:left;vertical-align:top}th{background:#eee}"
    ".note{min-width:10em}.meta{font-size:.85em;color:#555;word-break:break-all}.must{font-weight:bold}"
    ".scroll{overflow-x:auto}@media print{body{margin:0}tr{break-inside:avoid}.scroll{overflow:visible}}";

static void html_cell(FILE *f, const char *text, const char *cls)
{
    fprintf(f, cls ? "<td class=\"%s\">" : "<td>", cls);
    qc__html_string(f, or_dash(text));
    fputs("</td>", f);
}

static void write_html(FILE *f, const qc_sample *s, const words *w, bool chinese)
{
    char from[16], to[16];
    qc_date_format(from, sizeof from, s->from);
    qc_date_format(to, sizeof to, s->to);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
            chinese ? "zh-CN" : "en");
    qc__html_string(f, w->title);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>", css);
    qc__html_string(f, w->title);
    if (s->id) {
        fputs(" ", f);
        qc__html_string(f, s->id);
    }
    fprintf(f, "</h1>\n<p>%s: ", w->plan);
    qc__html_string(f, s->plan);
    fprintf(f, " · %s: %s – %s · %s: ", w->period, from, to, w->office);
    qc__html_string(f, s->office);
    fprintf(f, " · %s: ", w->seed);
    qc__html_string(f, s->seed);
    fprintf(f, " · %s: %d</p>\n<p class=\"meta\">%s: ", w->selected, s->n, w->head);
    qc__html_string(f, or_dash(s->head));
    fprintf(f, "<br>%s: %s</p>\n", w->list_hash, s->list_hash);
    fprintf(f, "<div class=\"scroll\"><table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
               "<th>%s</th><th>%s</th><th class=\"note\">%s</th></tr>\n",
            w->n, w->kase, w->office, w->department, w->handler, w->labels, w->reason, w->grade, w->reviewer_note);
    for (int i = 0; i < s->n; i++) {
        const qc__sample_row *r = &s->rows[i];
        fprintf(f, "<tr><td>%d</td>", i + 1);
        html_cell(f, r->case_id, NULL);
        html_cell(f, r->office, NULL);
        html_cell(f, r->department, NULL);
        html_cell(f, r->handler, NULL);
        html_cell(f, r->labels, NULL);
        html_cell(f, reason_text(r->reason, w), strcmp(r->reason, "sample") ? "must" : NULL);
        html_cell(f, r->grade ? r->grade : "", NULL);
        fputs("<td class=\"note\"></td></tr>\n", f);
    }
    fputs("</table></div>\n", f);
    if (reviewed(s)) {
        const char *titles[] = {w->by_office, w->by_department, w->by_handler};
        for (int d = 0; d < 3; d++) {
            int n;
            tally *t = tally_grades(s, d, &n);
            fprintf(f, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th></tr>\n", titles[d],
                    d == 0 ? w->office : d == 1 ? w->department : w->handler, w->grade, w->reviewed);
            for (int i = 0; i < n; i++) {
                fputs("<tr>", f);
                html_cell(f, t[i].group, NULL);
                html_cell(f, t[i].grade, NULL);
                fprintf(f, "<td>%d</td></tr>\n", t[i].count);
            }
            fputs("</table>\n", f);
            free(t);
        }
    }
    fputs("</body></html>\n", f);
}

static int sample_to(FILE *f, const qc_sample *s, const char *format, const char *lang)
{
    bool chinese = !lang || !strcmp(lang, "zh");
    const words *w = chinese ? &zh : &en;
    qc__numbers numbers = qc__numbers_begin();
    if (!strcmp(format, "csv")) write_csv(f, s);
    else if (!strcmp(format, "json")) write_json(f, s);
    else if (!strcmp(format, "html")) write_html(f, s, w, chinese);
    else write_text(f, s, w);
    qc__numbers_end(numbers);
    return QC_OK;
}

QC_EXTERN int qc_sample_write(const qc_sample *sample, const char *path, const char *format, const char *lang)
{
    if (!sample || !path || !format) return qc__error(QC_EINVAL, "qc_sample_write: NULL argument");
    if (strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "text") && strcmp(format, "html"))
        return qc__error(QC_EINVAL, "qc_sample_write: format '%s' is not csv, json, text or html", format);
    if (lang && strcmp(lang, "zh") && strcmp(lang, "en"))
        return qc__error(QC_EINVAL, "qc_sample_write: language '%s' is not zh or en", lang);
    qc__output o;
    int rc = qc__open_output(path, &o);
    if (rc == QC_OK) rc = qc__close_output(&o, sample_to(o.f, sample, format, lang));
    return rc;
}
