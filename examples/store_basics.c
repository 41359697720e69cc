/* SPDX-License-Identifier: MIT
 * store_basics.c - open a store, import files, list a person's acts.
 *
 *   store_basics STORE-URI FILE...   (e.g. store_basics memory: offices.csv people.csv acts.csv)
 *
 * The README shows this program; CI builds and runs it.
 */
#include <stdio.h>

#include <quotacase.h>

int main(int argc, char **argv)
{
    qc_store *store = NULL;
    qc_filter *filter = NULL;
    qc_iter *iter = NULL;
    const qc_record *act;
    int rc;

    if (argc < 3) {
        fprintf(stderr, "usage: %s STORE-URI FILE...\n", argv[0]);
        return 2;
    }
    if ((rc = qc_store_open(&store, argv[1])) < 0) goto done;
    for (int i = 2; i < argc; i++)          /* each file: all or nothing */
        if ((rc = qc_store_import_file(store, argv[i], QC_KIND_NONE, NULL)) < 0) goto done;

    if ((rc = qc_filter_new(&filter)) < 0 || (rc = qc_filter_set_person(filter, "P2")) < 0) goto done;
    if ((rc = qc_iter_new(&iter, store, QC_KIND_ACT, filter)) < 0) goto done;
    while ((rc = qc_iter_next(&act, iter)) == QC_OK)
        printf("%s  %-18s %s\n", qc_record_text(act, QC_ACT_TIME), qc_record_text(act, QC_ACT_KIND),
               qc_record_text(act, QC_ACT_CASE));
    if (rc == QC_ITEROVER) rc = QC_OK;

done:
    if (rc < 0) fprintf(stderr, "error: %s (%s)\n", qc_error_last(), qc_status_name(rc));
    qc_iter_free(iter);
    qc_filter_free(filter);
    qc_store_free(store);
    return rc < 0 ? 1 : 0;
}
