/* SPDX-License-Identifier: MIT
 * quotacase/conformance.h - the storage backend conformance suite, for
 * implementers of backends (libquotacase-conformance, with check).
 *
 * Every backend, built in or third-party, must pass this suite unchanged:
 * describe how to get a new empty store of yours and run
 * qc_conformance_suite() with check (docs/backend.md has a whole program).
 * Build with `pkg-config --cflags --libs libquotacase-conformance`.
 */
#ifndef QC_CONFORMANCE_H
#define QC_CONFORMANCE_H

#include <check.h>
#include <stddef.h>

typedef struct qc_conformance_target {
    const char *name;                             /* for the suite's name */
    void (*fresh_uri)(char *buf, size_t size);    /* URI of a new, empty store */
    int persistent;                               /* reopening the URI finds the data */
    int version;                                  /* the backend's version (0: the newest):
                                                     what the suite may ask of it */
} qc_conformance_target;

/* The suite for target (which must outlive the run); up to 8 targets per
 * process.  Suites of several targets may share one SRunner. */
Suite *qc_conformance_suite(const qc_conformance_target *target);

#endif
