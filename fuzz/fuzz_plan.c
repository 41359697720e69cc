/* SPDX-License-Identifier: MIT
 * fuzz_plan.c - libFuzzer target: the sampling plan loader, and a draw by
 * any plan that loads, on a small store with a rule set, recorded and
 * drawn again (docs/inspections.md).  Any input must load or fail with a
 * message; neither may crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quotacase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules_yaml[] =
    "format: 1\nname: fuzz\nversion: \"1\"\nkind: procuratorate\neffective_from: 2017-01-01\n"
    "facts:\n  x: {type: int, min: 0, missing: default, default: 0}\n"
    "labels:\n  - {id: major}\n  - {id: ordinary, fallback: true}\n"
    "classify:\n  - {id: big, label: major, when: x >= 1}\n"
    "assessment:\n  leaders: [chief]\n  handlers: [prosecutor]\n  capacities: {lead: 1}\n"
    "  personal:\n    default: {any_of: [file_review]}\n  hard_labels: [major]\n"
    "  quotas:\n    - {id: chief, roles: [chief], min: 1}\n";

static const char store_yaml[] =
    "offices:\n  - {id: O, name: o, kind: procuratorate, level: city}\n"
    "  - {id: B, name: b, kind: procuratorate, level: basic, parent: O}\n"
    "departments: [{id: D, office: B, name: d, line: prosecution}]\n"
    "people:\n  - {id: C, name: c, office: B, role: chief, in_quota: true}\n"
    "  - {id: P, name: p, office: B, department: D, role: prosecutor, in_quota: true}\n"
    "  - {id: A, name: a, office: B, department: D, role: assistant}\n"
    "cases:\n"
    "  - {id: K1, office: B, department: D, line: prosecution, type: t, registered: 2017-03-01, closed: 2017-09-01, facts: {x: 2}}\n"
    "  - {id: K2, office: B, department: D, line: prosecution, type: t, registered: 2017-04-01, closed: 2017-10-01}\n"
    "  - {id: K3, office: O, line: civil, type: t, registered: 2017-05-01}\n"
    "  - {id: K4, office: B, line: prosecution, type: t, registered: 2017-06-01, closed: 2017-11-01}\n"
    "participations:\n  - {case: K1, person: C, capacity: lead}\n  - {case: K1, person: A, capacity: assistant}\n"
    "  - {case: K2, person: P, capacity: lead}\n  - {case: K4, person: P, capacity: sole}\n"
    "acts:\n  - {case: K1, person: A, kind: file_review, time: 2017-03-02}\n"
    "  - {case: K2, person: P, kind: file_review, time: 2017-04-02}\n"
    "reviews: [{case: K2, grade: unacceptable, scheme: s, date: 2017-12-01}]\n"
    "steps: [{case: K4, kind: return_supplementary, date: 2017-07-01}]\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qc_plan *plan;
    if (qc_plan_load_string(&plan, (const char *)data, size, "fuzz-plan.yaml") != QC_OK) return 0;
    qc_rules *rules = NULL;
    qc_store *s = NULL;
    qc_sample *sample = NULL, *again = NULL;
    int64_t from, to;
    qc_period_parse(&from, &to, "2017");
    if (qc_rules_load_string(&rules, rules_yaml, "fuzz-rules.yaml") == QC_OK && qc_store_open(&s, "memory:") == QC_OK &&
        qc_store_import_buffer(s, store_yaml, sizeof store_yaml - 1, "yaml", "fuzz-store.yaml", QC_KIND_NONE, NULL) == QC_OK &&
        qc_sample_draw(&sample, plan, rules, s, "O", from, to, "seed") == QC_OK) {
        /* every accessor, every format, and the round trip through the store */
        for (int i = 0; i < qc_sample_count(sample); i++) qc_sample_case_reason(sample, i);
        for (int i = 0; i < qc_sample_strata_count(sample); i++) qc_sample_stratum(sample, i);
        static const char *const formats[] = {"text", "csv", "json", "html"};
        for (int f = 0; f < 4; f++) qc_sample_write(sample, "/dev/null", formats[f], f % 2 ? "en" : "zh");
        if (qc_sample_record(sample, s, "I", "fuzz") == QC_OK) qc_sample_check(&again, s, "I", plan, rules);
    }
    qc_sample_free(again);
    qc_sample_free(sample);
    qc_store_free(s);
    qc_rules_free(rules);
    qc_plan_free(plan);
    return 0;
}
