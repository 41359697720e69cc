/* SPDX-License-Identifier: MIT
 * fuzz_rules.c - libFuzzer target: the rule loader (YAML, every section,
 * and each `when` through the expression compiler).  Any input must load
 * or fail with a message; neither may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quotacase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    qc_rules *rules;
    if (qc_rules_load_string(&rules, text, "fuzz.yaml") == QC_OK) {
        /* a rule set that loads must also classify a case */
        qc_classifier *c;
        qc_record *k;
        const qc_result *res;
        if (qc_classifier_new(&c, rules) == QC_OK && qc_record_new(&k, QC_KIND_CASE) == QC_OK) {
            qc_record_set_text(k, QC_CASE_ID, "K");
            qc_record_set_text(k, QC_CASE_OFFICE, "O");
            qc_record_set_text(k, QC_CASE_LINE, "prosecution");
            qc_record_set_text(k, QC_CASE_TYPE, "fraud");
            qc_record_set_text(k, QC_CASE_REGISTERED, "2018-01-01");
            qc_classifier_set_explain(c, 1);
            qc_classify(&res, c, k);
            qc_record_free(k);
        }
        qc_classifier_free(c);
        /* and compute a case's deadline: the deadlines section, its
         * holidays and requirements, on steps of the kinds rule files use */
        qc_store *s;
        if (qc_store_open(&s, "memory:") == QC_OK) {
            static const char data_yaml[] =
                "offices: [{id: O, name: o, kind: procuratorate, level: basic}]\n"
                "people: [{id: P, name: p, office: O, role: chief, in_quota: true}]\n"
                "cases: [{id: K, office: O, line: prosecution, type: fraud, registered: 2018-01-01, facts: {max_sentence_years: 12}}]\n"
                "participations: [{case: K, person: P, capacity: lead}]\n"
                "acts: [{case: K, person: P, kind: drafting, time: 2018-01-20}]\n"
                "steps:\n"
                "  - {case: K, kind: intake_prosecution, date: 2018-01-01}\n"
                "  - {case: K, kind: suspension, date: 2018-01-05}\n"
                "  - {case: K, kind: resumption, date: 2018-01-09}\n"
                "  - {case: K, kind: return_supplementary, date: 2018-01-10}\n"
                "  - {case: K, kind: resubmitted, date: 2018-02-10}\n"
                "  - {case: K, kind: indictment, date: 2018-02-20}\n"
                "  - {case: K, kind: intake_speedy, date: 2018-03-01}\n";
            qc_deadlines *d;
            int64_t on;
            qc_date_parse(&on, "2018-03-05");
            if (qc_store_import_buffer(s, data_yaml, sizeof data_yaml - 1, "yaml", "k.yaml", QC_KIND_NONE, NULL) == QC_OK &&
                qc_deadlines_compute(&d, rules, s, NULL, NULL, on) == QC_OK) {
                for (int i = 0; i < qc_deadlines_count(d); i++) qc_deadlines_explain(d, i, rules, i % 2 ? "zh" : "en");
                qc_deadlines_free(d);
            }
            qc_store_free(s);
        }
        qc_rules_free(rules);
    }
    free(text);
    return 0;
}
