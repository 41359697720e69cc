/* SPDX-License-Identifier: MIT
 * fuzz_import.c - libFuzzer target: CSV and YAML/JSON import into a memory
 * store.  The first byte picks the format and kind; a failed import must
 * leave the store empty.
 */
#include <stdint.h>
#include <stdlib.h>

#include "quotacase.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    qc_store *s;
    if (qc_store_open(&s, "memory:") != QC_OK) abort();
    int format = data[0] % 2;
    qc_kind kind = (qc_kind)(1 + (data[0] / 2) % (QC_KIND_COUNT - 1));
    int64_t n;
    int rc = qc_store_import_buffer(s, (const char *)data + 1, size - 1, format ? "yaml" : "csv", "fuzz", kind, &n);
    if (rc != QC_OK) {
        for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
            int64_t count;
            if (qc_store_count(&count, s, (qc_kind)k, NULL) != QC_OK || count != 0) abort(); /* half-written */
        }
    }
    qc_store_free(s);
    return 0;
}
