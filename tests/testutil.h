/* SPDX-License-Identifier: MIT
 * testutil.h - helpers shared by the check suites.
 */
#ifndef QC_TESTUTIL_H
#define QC_TESTUTIL_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quotacase.h"

/* Assert a call succeeded, showing the library's message if not. */
#define ck_assert_qc_ok(call)                                                          \
    do {                                                                               \
        int rc_ = (call);                                                              \
        ck_assert_msg(rc_ == QC_OK, "%s returned %s: %s", #call, qc_status_name(rc_), \
                      qc_error_last());                                                \
    } while (0)

/* Assert a call failed with code, and that the message mentions `needle`. */
#define ck_assert_qc_fails(call, code, needle)                                             \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        ck_assert_msg(rc_ == (code), "%s returned %s, expected %s (%s)", #call,            \
                      qc_status_name(rc_), qc_status_name(code), qc_error_last());          \
        ck_assert_msg(strstr(qc_error_last(), (needle)) != NULL,                           \
                      "message '%s' does not mention '%s'", qc_error_last(), (needle));     \
    } while (0)

/* An index accessor given a bad index (or NULL handle): it returns the
 * empty value and says why (QC_EINVAL); a real 0 or NULL says nothing. */
#define ck_assert_bad_index(expr)                                                                       \
    do {                                                                                                \
        qc_error_clear();                                                                               \
        ck_assert_msg(!(expr), "%s is not 0/NULL", #expr);                                              \
        ck_assert_msg(qc_error_code() == QC_EINVAL, "%s set %s, not QC_EINVAL", #expr,                  \
                      qc_status_name(qc_error_code()));                                                 \
    } while (0)
#define ck_assert_good_index(expr)                                                                      \
    do {                                                                                                \
        qc_error_clear();                                                                               \
        (void)(expr);                                                                                   \
        ck_assert_msg(qc_error_code() == QC_OK, "%s set %s: %s", #expr, qc_status_name(qc_error_code()), \
                      qc_error_last());                                                                 \
    } while (0)

/* A record of kind from "field=value" strings ("fact.name=value" for
 * facts, types inferred), the list ended by NULL. */
static inline qc_record *qc_test_record_va(qc_kind kind, va_list ap)
{
    qc_record *r;
    ck_assert_qc_ok(qc_record_new(&r, kind));
    for (const char *kv; (kv = va_arg(ap, const char *));) {
        char name[64];
        const char *eq = strchr(kv, '=');
        ck_assert_ptr_nonnull(eq);
        snprintf(name, sizeof name, "%.*s", (int)(eq - kv), kv);
        if (!strncmp(name, "fact.", 5)) {
            ck_assert_qc_ok(qc_record_set_fact_parse(r, name + 5, QC_TYPE_NULL, eq + 1));
        } else {
            int f = qc_field_lookup(kind, name);
            ck_assert_msg(f >= 0, "no field %s", name);
            ck_assert_qc_ok(qc_record_set_text(r, f, eq + 1));
        }
    }
    return r;
}

static inline qc_record *qc_test_record(qc_kind kind, ...)
{
    va_list ap;
    va_start(ap, kind);
    qc_record *r = qc_test_record_va(kind, ap);
    va_end(ap);
    return r;
}

/* A fresh directory $TMPDIR/qc-NAME-XXXXXX for a test program's files;
 * false (and a message) if it cannot be made. */
static inline int qc_test_tmpdir(char *dir, size_t size, const char *name)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, size, "%s/qc-%s-XXXXXX", base ? base : "/tmp", name);
    if (mkdtemp(dir)) return 1;
    perror("mkdtemp");
    return 0;
}

/* Remove it and everything in it. */
static inline void qc_test_rmdir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Run a suite and exit with check's verdict: main() of each test program. */
static inline int qc_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
