/* SPDX-License-Identifier: MIT
 * report_job.c - the end-to-end job, in C (report_job.py and
 * report_job.lua do the same): open a store, import the sample data, load
 * the rules, classify every case, assess the year, print the report.
 *
 *   report_job DATA-DIR RULES-FILE
 */
#include <stdio.h>

#include <quotacase.h>

int main(int argc, char **argv)
{
    static const char *const files[] = {"offices.csv", "departments.csv", "people.csv", "cases.csv",
                                        "participations.csv", "acts.csv", "reviews.csv", "extra.yaml"};
    qc_store *store = NULL;
    qc_rules *rules = NULL;
    qc_classifier *classifier = NULL;
    qc_assessment *assessment = NULL;
    int64_t written, from, to;
    char path[1024];
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: %s DATA-DIR RULES-FILE\n", argv[0]);
        return 2;
    }
    if ((rc = qc_store_open(&store, "memory:")) < 0) goto done;
    if ((rc = qc_store_begin(store)) < 0) goto done; /* all files, or none */
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], files[i]);
        if ((rc = qc_store_import_file(store, path, QC_KIND_NONE, NULL)) < 0) goto done;
    }
    if ((rc = qc_store_commit(store)) < 0) goto done;
    if ((rc = qc_rules_load_file(&rules, argv[2])) < 0) goto done;
    if ((rc = qc_classifier_new(&classifier, rules)) < 0 ||
        (rc = qc_classify_store(classifier, store, NULL, &written)) < 0)
        goto done;
    printf("classified: %lld\n", (long long)written);
    if ((rc = qc_period_parse(&from, &to, "2017")) < 0 ||
        (rc = qc_assess(&assessment, rules, store, NULL, from, to)) < 0)
        goto done;
    rc = qc_report_write(assessment, rules, "-", "text", "en", 0);
done:
    if (rc < 0) fprintf(stderr, "error: %s (%s)\n", qc_error_last(), qc_status_name(rc));
    qc_assessment_free(assessment);
    qc_classifier_free(classifier);
    qc_rules_free(rules);
    qc_store_free(store);
    return rc < 0 ? 1 : 0;
}
