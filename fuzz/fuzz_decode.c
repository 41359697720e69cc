/* SPDX-License-Identifier: MIT
 * fuzz_decode.c - libFuzzer target: the canonical text of records
 * (qc_record_decode), which the history stores and a tampered store can
 * make anything.  The input is read as a record of every kind in turn;
 * whatever decodes must encode to a text that decodes to the same
 * record and encodes to the same text again (a fixed point after one
 * step).
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
    for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
        qc_record *r, *back;
        if (qc_record_new(&r, (qc_kind)k) != QC_OK) abort();
        if (qc_record_new(&back, (qc_kind)k) != QC_OK) abort();
        if (qc_record_decode(r, text) == QC_OK) {
            size_t need = 0;
            qc_record_encode(r, NULL, 0, &need);
            char *once = malloc(need), *twice = malloc(need);
            if (!once || !twice) abort();
            if (qc_record_encode(r, once, need, NULL) != QC_OK) abort();
            if (qc_record_decode(back, once) != QC_OK) abort();         /* what it wrote reads back */
            if (qc_record_encode(back, twice, need, NULL) != QC_OK) abort(); /* no longer */
            if (strcmp(once, twice)) abort();                            /* and the same */
            free(once);
            free(twice);
        }
        qc_record_free(r);
        qc_record_free(back);
    }
    free(text);
    return 0;
}
