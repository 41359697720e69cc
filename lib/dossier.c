/* SPDX-License-Identifier: MIT
 * dossier.c - the performance file (执法档案) of one person for a period:
 * posts with cases, scores, grades and consequences, then every case they
 * took part in, with the verdict on their handling, labels, weight, the
 * latest review and the acts they recorded.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int dossier(FILE *out, const qc_rules *rules, qc_store *s, const char *who, int64_t from, int64_t to, bool json,
                   const char *lang)
{
    qc_assessment *a = NULL;
    qc_classifier *c = NULL;
    qc_record *person = NULL;
    int rc = qc_store_get(&person, s, QC_KIND_PERSON, who);
    if (rc == QC_OK) rc = qc_assess(&a, rules, s, qc_record_text(person, QC_PERSON_OFFICE), from, to);
    if (rc == QC_OK && (rc = qc_classifier_new(&c, rules)) == QC_OK) rc = qc_classifier_set_store(c, s);
    if (rc < 0) goto done;
    char day[16], day2[16];
    qc_date_format(day, sizeof day, from);
    qc_date_format(day2, sizeof day2, to);
    if (json) {
        fprintf(out, "{\"person\": ");
        qc__json_string(out, who);
        fprintf(out, ", \"name\": ");
        qc__json_string(out, qc_record_text(person, QC_PERSON_NAME));
        fprintf(out, ", \"period\": {\"from\": \"%s\", \"to\": \"%s\"}, \"computed_on\": {\"store_state\": \"%s\", "
                     "\"store_entries\": %lld, \"rules\": \"%s\"}, \"posts\": [",
                day, day2, qc_assessment_store_head(a), (long long)qc_assessment_store_entries(a), qc_assessment_rules_hash(a));
    } else {
        char origin[512];
        qc__provenance(origin, sizeof origin, a, lang && !strcmp(lang, "zh"));
        fprintf(out, "%s  %s\n%s .. %s\n%s\n\nposts\n", who, qc_record_text(person, QC_PERSON_NAME), day, day2, origin);
    }
    for (int i = 0, n = 0; i < qc_assessment_person_count(a); i++) {
        if (strcmp(qc_assessment_person_id(a, i), who)) continue;
        const char *role = qc_assessment_person_role(a, i), *grade = qc_assessment_person_grade(a, i);
        const char *consequence = qc_assessment_person_consequence(a, i);
        if (json) {
            fprintf(out, "%s{\"office\": ", n++ ? ", " : "");
            qc__json_string(out, qc_assessment_person_office(a, i));
            fprintf(out, ", \"role\": ");
            qc__json_string(out, role);
            fprintf(out, ", \"cases\": %d, \"score\": %.4f, \"normalised\": %.2f, \"grade\": ", qc_assessment_person_cases(a, i),
                   qc_assessment_person_score(a, i), qc_assessment_person_normalised(a, i));
            qc__json_string(out, grade);
            fprintf(out, ", \"consequence\": ");
            qc__json_string(out, consequence);
            char credit[1024];
            qc_assessment_person_credit_explain(a, i, rules, lang, credit, sizeof credit);
            fprintf(out, ", \"credit\": %g, \"credit_from\": ", qc_assessment_person_credit(a, i));
            qc__json_string(out, credit);
            fprintf(out, "}");
        } else {
            fprintf(out, "  %s  %s  cases %d  score %.2f, %.1f against an office average of 100  %s%s%s\n",
                   qc_assessment_person_office(a, i), lang ? qc_rules_display_name(rules, "role", role, lang) : role,
                   qc_assessment_person_cases(a, i), qc_assessment_person_score(a, i), qc_assessment_person_normalised(a, i),
                   grade ? grade : "", consequence ? "  -> " : "", consequence ? consequence : "");
            if (qc_assessment_credit_kind_count(a)) {
                char credit[1024];
                qc_assessment_person_credit_explain(a, i, rules, lang, credit, sizeof credit);
                fprintf(out, "    %s\n", credit);
            }
        }
    }
    fprintf(out, json ? "], \"cases\": [" : "\ncases\n");
    qc_filter *f = NULL;
    qc_iter *it = NULL;
    const qc_record *p;
    if ((rc = qc_filter_new(&f)) < 0 || (rc = qc_filter_set_person(f, who)) < 0 || (rc = qc_filter_set_dates(f, from, to)) < 0 ||
        (rc = qc_iter_new(&it, s, QC_KIND_PARTICIPATION, f)) < 0)
        goto cases_done;
    for (int n = 0; (rc = qc_iter_next(&p, it)) == QC_OK; n++) {
        const char *case_id = qc_record_text(p, QC_PARTICIPATION_CASE);
        qc_record *kase = NULL;
        const qc_result *res = NULL;
        if (qc_store_get(&kase, s, QC_KIND_CASE, case_id) < 0) continue;
        if (qc_classify(&res, c, kase) < 0) res = NULL;
        const char *verdict = "";
        for (int v = 0; v < qc_assessment_verdict_count(a); v++)
            if (!strcmp(qc_assessment_verdict_person(a, v), who) && !strcmp(qc_assessment_verdict_case(a, v), case_id))
                verdict = qc_assessment_verdict(a, v);
        /* the latest review, and the acts this person recorded */
        qc_filter *cf = NULL;
        qc_iter *ri = NULL;
        const qc_record *r;
        char grade[96] = "";
        int64_t latest = INT64_MIN;
        if (qc_filter_new(&cf) == QC_OK && qc_filter_set_case(cf, case_id) == QC_OK && qc_iter_new(&ri, s, QC_KIND_REVIEW, cf) == QC_OK)
            while (qc_iter_next(&r, ri) == QC_OK)
                if (qc_record_int(r, QC_REVIEW_DATE) >= latest) {
                    latest = qc_record_int(r, QC_REVIEW_DATE);
                    snprintf(grade, sizeof grade, "%s:%s", qc_record_text(r, QC_REVIEW_SCHEME), qc_record_text(r, QC_REVIEW_GRADE));
                }
        qc_iter_free(ri);
        ri = NULL;
        char acts[1024] = "";
        if (qc_filter_set_person(cf, who) == QC_OK && qc_iter_new(&ri, s, QC_KIND_ACT, cf) == QC_OK)
            while (qc_iter_next(&r, ri) == QC_OK) {
                size_t len = strlen(acts);
                snprintf(acts + len, sizeof acts - len, "%s%s", len ? " " : "", qc_record_text(r, QC_ACT_KIND));
            }
        qc_iter_free(ri);
        qc_filter_free(cf);
        char labels[256] = "";
        for (int l = 0; res && l < qc_result_label_count(res); l++) {
            size_t len = strlen(labels);
            snprintf(labels + len, sizeof labels - len, "%s%s", l ? " " : "",
                     lang ? qc_rules_display_name(rules, "label", qc_result_label(res, l), lang) : qc_result_label(res, l));
        }
        if (json) {
            fprintf(out, "%s{\"case\": ", n ? ", " : "");
            qc__json_string(out, case_id);
            fprintf(out, ", \"registered\": \"%s\", \"capacity\": ", qc_record_text(kase, QC_CASE_REGISTERED));
            qc__json_string(out, qc_record_text(p, QC_PARTICIPATION_CAPACITY));
            fprintf(out, ", \"verdict\": ");
            qc__json_string(out, verdict);
            fprintf(out, ", \"labels\": ");
            qc__json_string(out, labels);
            fprintf(out, ", \"weight\": %g, \"review\": ", res ? qc_result_weight(res) : 1.0);
            qc__json_string(out, grade);
            fprintf(out, ", \"acts\": ");
            qc__json_string(out, acts);
            fprintf(out, "}");
        } else {
            fprintf(out, "  %-14s %s  %-9s %-12s labels [%s] weight %g  review %s\n      acts: %s\n", case_id,
                   qc_record_text(kase, QC_CASE_REGISTERED), qc_record_text(p, QC_PARTICIPATION_CAPACITY), verdict, labels,
                   res ? qc_result_weight(res) : 1.0, *grade ? grade : "-", *acts ? acts : "-");
        }
        qc_record_free(kase);
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
cases_done:
    qc_iter_free(it);
    qc_filter_free(f);
    if (json) fprintf(out, "]}\n");
done:
    qc_classifier_free(c);
    qc_record_free(person);
    qc_assessment_free(a);
    return rc;
}

static int dossier_to(FILE *f, const qc_rules *rules, qc_store *store, const char *person, int64_t from, int64_t to,
                      const char *format, const char *lang, const char *fn)
{
    bool json = !strcmp(format, "json");
    if (!json && strcmp(format, "text")) return qc__error(QC_EINVAL, "%s: format '%s' is not text or json", fn, format);
    qc__numbers numbers = qc__numbers_begin(); /* decimal points whatever the program's locale */
    int rc = dossier(f, rules, store, person, from, to, json, lang);
    qc__numbers_end(numbers);
    return rc;
}

QC_EXTERN int qc_dossier_write(const qc_rules *rules, qc_store *store, const char *person, int64_t from, int64_t to,
                               const char *path, const char *format, const char *lang)
{
    if (!rules || !store || !person || !path || !format) return qc__error(QC_EINVAL, "qc_dossier_write: NULL argument");
    if (strcmp(format, "json") && strcmp(format, "text"))
        return qc__error(QC_EINVAL, "qc_dossier_write: format '%s' is not text or json", format);
    qc__output o;
    int rc = qc__open_output(path, &o);
    if (rc == QC_OK)
        rc = qc__close_output(&o, dossier_to(o.f, rules, store, person, from, to, format, lang, "qc_dossier_write"));
    return rc;
}

QC_EXTERN int qc_dossier_write_buffer(char **out, size_t *size, const qc_rules *rules, qc_store *store,
                                      const char *person, int64_t from, int64_t to, const char *format, const char *lang)
{
    if (out) *out = NULL;
    if (size) *size = 0;
    if (!rules || !store || !person || !format || !out || !size)
        return qc__error(QC_EINVAL, "qc_dossier_write_buffer: NULL argument");
    FILE *f = open_memstream(out, size);
    if (!f) return qc__error(QC_ENOMEM, "out of memory");
    return qc__close_buffer(f, out, size, dossier_to(f, rules, store, person, from, to, format, lang, "qc_dossier_write_buffer"));
}
