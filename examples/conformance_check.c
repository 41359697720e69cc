/* SPDX-License-Identifier: MIT
 * conformance_check.c - how a third-party backend runs the conformance
 * suite: register the backend, describe how to get a new empty store of
 * it, and run qc_conformance_suite() with check.
 *
 *   cc conformance_check.c $(pkg-config --cflags --libs libquotacase-conformance)
 *
 * "mine" here is the built-in memory backend under another name, standing
 * in for yours.  Check's default fork mode suits the suite: each test runs
 * in a child, so one that crashes does not take the others with it.
 */
#include <stdio.h>

#include <quotacase.h>
#include <quotacase/backend.h>
#include <quotacase/conformance.h>

static qc_backend mine;

/* A new, empty store each time: for a backend with files, a new file name. */
static void fresh_uri(char *buf, size_t size) { snprintf(buf, size, "mine:"); }

int main(void)
{
    mine = *qc_backend_memory();
    mine.name = "mine";
    if (qc_backend_register(&mine) != QC_OK) {
        fprintf(stderr, "%s\n", qc_error_last());
        return 1;
    }
    static const qc_conformance_target target = {
        .name = "mine", .fresh_uri = fresh_uri, .persistent = 0, .version = QC_BACKEND_VERSION_3};
    SRunner *runner = srunner_create(qc_conformance_suite(&target));
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
