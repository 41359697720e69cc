/*
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
        qc_rules_free(rules);
    }
    free(text);
    return 0;
}
