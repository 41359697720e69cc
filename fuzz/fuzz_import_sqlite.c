/* SPDX-License-Identifier: MIT
 * fuzz_import_sqlite.c - libFuzzer target: import into an SQLite store and
 * read everything back, against the memory store as the oracle.
 *
 * The first byte picks the format and kind, as in fuzz_import.c.  The
 * same input is imported into "memory:" and "sqlite::memory:"; both must
 * accept or refuse it alike, and when they accept it every kind must
 * iterate to the same records in the same order, fields and facts equal
 * (SQLite rebuilds each record from its rows, which is where a pointer
 * kept across a growing record shows), the journal included: the same
 * entries, hashes and head.  A refused import must leave the
 * SQLite store empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quotacase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_text(const char *a, const char *b) { return (a == NULL) == (b == NULL) && (!a || !strcmp(a, b)); }

static void same_records(const qc_record *a, const qc_record *b)
{
    qc_kind k = qc_record_kind(a);
    for (int i = 0; i < qc_field_count(k); i++)
        if (!same_text(qc_record_text(a, i), qc_record_text(b, i))) abort();
    if (qc_record_fact_count(a) != qc_record_fact_count(b)) abort();
    for (int i = 0; i < qc_record_fact_count(a); i++)
        if (strcmp(qc_record_fact_name(a, i), qc_record_fact_name(b, i)) ||
            qc_record_fact_type(a, i) != qc_record_fact_type(b, i) ||
            !same_text(qc_record_fact_text(a, i), qc_record_fact_text(b, i)))
            abort();
}

/* Every record of every kind, in both stores, pairwise; each also by id. */
static void compare_stores(qc_store *oracle, qc_store *sqlite)
{
    for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
        qc_iter *a, *b;
        const qc_record *ra, *rb;
        if (qc_iter_new(&a, oracle, (qc_kind)k, NULL) != QC_OK || qc_iter_new(&b, sqlite, (qc_kind)k, NULL) != QC_OK)
            abort();
        int sa, sb;
        while ((sa = qc_iter_next(&ra, a)) == QC_OK && (sb = qc_iter_next(&rb, b)) == QC_OK) {
            same_records(ra, rb);
            const char *id = qc_record_text(rb, QC_FIELD_ID);
            qc_record *got;
            if (id) {
                if (qc_store_get(&got, sqlite, (qc_kind)k, id) != QC_OK) abort();
                same_records(ra, got);
                qc_record_free(got);
            }
        }
        if (sa != QC_ITEROVER || qc_iter_next(&rb, b) != QC_ITEROVER) abort();
        qc_iter_free(a);
        qc_iter_free(b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    qc_store *oracle, *sqlite;
    if (qc_store_open(&oracle, "memory:") != QC_OK || qc_store_open(&sqlite, "sqlite::memory:") != QC_OK) abort();
    /* the journal records who wrote and when, and chains it into every
     * hash: the same clock and actor for both, or a second that ticks
     * between the two imports tells them apart */
    if (qc_store_set_clock(oracle, 1893456000) != QC_OK || qc_store_set_clock(sqlite, 1893456000) != QC_OK ||
        qc_store_set_actor(oracle, "fuzz") != QC_OK || qc_store_set_actor(sqlite, "fuzz") != QC_OK)
        abort();
    const char *format = data[0] % 2 ? "yaml" : "csv";
    qc_kind kind = (qc_kind)(1 + (data[0] / 2) % (QC_KIND_COUNT - 1));
    int64_t na, nb;
    int ra = qc_store_import_buffer(oracle, (const char *)data + 1, size - 1, format, "fuzz", kind, &na);
    int rb = qc_store_import_buffer(sqlite, (const char *)data + 1, size - 1, format, "fuzz", kind, &nb);
    if ((ra == QC_OK) != (rb == QC_OK)) abort();
    if (rb == QC_OK) {
        if (na != nb) abort();
        compare_stores(oracle, sqlite);
    } else {
        for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
            int64_t count;
            if (qc_store_count(&count, sqlite, (qc_kind)k, NULL) != QC_OK || count != 0) abort(); /* half-written */
        }
    }
    qc_store_free(oracle);
    qc_store_free(sqlite);
    return 0;
}
