/* SPDX-License-Identifier: MIT
 * sink.c - where the import parsers put records: checked, stored, located.
 *
 * The parsers (csv.c, yamldoc.c) read syntax and know where each value
 * stood; the sink checks a record against the store (references, ids)
 * and puts it, and on failure prefixes the message with the file, line
 * and column of the value at fault.  import.c opens the transaction around
 * a whole file and hands the sink to a parser.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* How many records between progress reports. */
#define PROGRESS_EVERY 8192

void qc__sink_progress(qc__import_sink *sink, int64_t done)
{
    qc_store *s = sink->store;
    if (s->progress) s->progress(s->progress_data, done, sink->total_bytes);
}

/* Records written together through put_many; a backend that has it is a
 * server, where one round trip per record is what an import costs. */
#define BATCH_RECORDS 4096

/* A record r, stored already (put said QC_EEXIST; stored: what a read
 * found, or NULL to read it): the same is no change, anything else a
 * conflict - or, with qc_store_set_import_update, a correction whose
 * reason is the file.  *bad_field: what differs. */
static int stored_already(qc__import_sink *sink, const qc_record *r, const qc_record *stored, int *bad_field)
{
    qc_store *s = sink->store;
    *bad_field = QC_FIELD_ID;
    int rc = stored ? qc__record_same(r, stored, bad_field) : qc__store_same_as_stored(s, r, bad_field);
    if (rc == QC_OK) {
        sink->unchanged++;
        return QC_OK;
    }
    if (rc == QC_EEXIST && s->import_update) {
        char reason[4200];
        snprintf(reason, sizeof reason, "import %s", sink->file);
        if ((rc = qc__store_amend_here(s, r, reason)) == QC_OK) {
            sink->updated++;
            return QC_OK;
        }
    }
    return rc;
}

/* Prefix the message with where the value at fault stood. */
static int located(int rc, const qc__loc *rec_loc, const qc__loc *field_locs, int bad_field)
{
    const qc__loc *at = bad_field >= 0 && field_locs[bad_field].line ? &field_locs[bad_field] : rec_loc;
    qc__error_prefix("%s:%ld:%ld", at->file, at->line, at->col);
    return rc;
}

static void counted(qc__import_sink *sink)
{
    if (++sink->written % PROGRESS_EVERY == 0) qc__sink_progress(sink, sink->position);
}

int qc__sink_flush(qc__import_sink *sink)
{
    struct qc__sink_batch *b = &sink->batch;
    qc_store *s = sink->store;
    if (!b->n) return QC_OK;
    int rc = qc__be_put_many(s, (const qc_record *const *)b->records, b->n, b->inserted);
    if (rc == QC_ENOREF) { /* a reference the server refused: find whose, to say where */
        for (int i = 0; i < b->n; i++) {
            int bad_field, crc = qc__store_check(s, b->records[i], NULL, &bad_field);
            if (crc < 0) {
                b->n = 0;
                return located(crc, &b->at[i], &b->field_at[(size_t)i * QC_MAX_FIELDS], bad_field);
            }
        }
    }
    if (rc < 0) { /* the lot failed, not one record: say which lines were in it */
        qc__error_prefix("%s:%ld..%ld", b->at[0].file, b->at[0].line, b->at[b->n - 1].line);
        b->n = 0;
        return rc;
    }
    /* the journal entries of what was stored, chained in order and
     * written together after */
    qc__journal_hold(s, true);
    for (int i = 0; rc == QC_OK && i < b->n; i++) {
        const qc__loc *fields = &b->field_at[(size_t)i * QC_MAX_FIELDS];
        int bad_field = -1;
        if (b->inserted[i]) {
            if ((rc = qc__history_write(s, QC_OP_INSERT, b->records[i], NULL, NULL)) == QC_OK) counted(sink);
        } else if ((rc = stored_already(sink, b->records[i], NULL, &bad_field)) < 0) {
            rc = located(rc, &b->at[i], fields, bad_field);
        }
    }
    if (rc == QC_OK) rc = qc__journal_flush(s);
    qc__journal_hold(s, false);
    if (rc == QC_OK && b->n) {
        const char *id = qc__record_str(b->records[b->n - 1], QC_FIELD_ID, NULL);
        if (id && *id) sink->last_stored = !b->inserted[b->n - 1];
    }
    b->n = 0;
    return rc;
}

void qc__sink_free(qc__import_sink *sink)
{
    struct qc__sink_batch *b = &sink->batch;
    for (int i = 0; i < b->cap; i++) qc_record_free(b->records[i]);
    free(b->records);
    free(b->at);
    free(b->field_at);
    free(b->inserted);
    *b = (struct qc__sink_batch){0};
}

/* Keep r (checked) and where it stood, to be written with the batch. */
static int batch_add(qc__import_sink *sink, const qc_record *r, const qc__loc *rec_loc, const qc__loc *field_locs)
{
    struct qc__sink_batch *b = &sink->batch;
    int rc;
    if (b->n && qc_record_kind(b->records[0]) != r->kind && (rc = qc__sink_flush(sink)) < 0) return rc;
    if (!b->cap) {
        b->records = calloc(BATCH_RECORDS, sizeof *b->records);
        b->at = calloc(BATCH_RECORDS, sizeof *b->at);
        b->field_at = calloc((size_t)BATCH_RECORDS * QC_MAX_FIELDS, sizeof *b->field_at);
        b->inserted = calloc(BATCH_RECORDS, 1);
        if (!b->records || !b->at || !b->field_at || !b->inserted) {
            qc__sink_free(sink);
            return qc__error(QC_ENOMEM, "out of memory");
        }
        b->cap = BATCH_RECORDS;
    }
    qc_record **slot = &b->records[b->n];
    if (*slot && qc_record_kind(*slot) != r->kind) {
        qc_record_free(*slot);
        *slot = NULL;
    }
    if (!*slot && (rc = qc_record_new(slot, r->kind)) < 0) return rc;
    if ((rc = qc__record_copy_into(*slot, r)) < 0) return rc;
    b->at[b->n] = *rec_loc;
    memcpy(&b->field_at[(size_t)b->n * QC_MAX_FIELDS], field_locs, sizeof *field_locs * (size_t)r->def->nfields);
    if (++b->n == b->cap) return qc__sink_flush(sink);
    return QC_OK;
}

int qc__sink_record(qc__import_sink *sink, const qc_record *r, const qc__loc *rec_loc,
                    const qc__loc *field_locs)
{
    qc_store *s = sink->store;
    int bad_field = -1, rc = qc__record_validate(r);
    /* A record whose id is stored (a file imported again) is compared with
     * what is stored, not checked and put: what makes a second import
     * fast.  One read tells both.  While records turn out new (a first
     * import), that read is skipped: the put itself says whether the id
     * is stored (QC_EEXIST, nothing written), and only then is it read. */
    const char *id = qc__record_str(r, QC_FIELD_ID, NULL);
    const qc_record *stored = NULL;
    bool has_id = id && *id && !r->def->journal;
    /* On a server, new records wait and go together (an office refers to
     * its parent, which may be in the same file: offices go one by one) */
    bool batched = qc__be_can_put_many(s) && r->kind != QC_KIND_OFFICE && !(has_id && sink->last_stored);
    /* what came before is written first when this record may refer to it
     * or be compared with it: a record of another kind, or one written
     * alone */
    if (sink->batch.n && (rc == QC_OK || rc == QC_ENOTFOUND) &&
        (!batched || qc_record_kind(sink->batch.records[0]) != r->kind)) {
        int frc = qc__sink_flush(sink);
        if (frc < 0) return frc;
    }
    if (rc == QC_OK && has_id && sink->last_stored && (rc = qc__store_read_stored(s, r, &stored)) == QC_OK)
        rc = QC_EEXIST;
    else if ((rc == QC_OK || rc == QC_ENOTFOUND) && batched) {
        /* the references are the server's to check, for the lot */
        if ((rc = qc__store_check_deferred(s, r, sink->refs, &bad_field)) == QC_OK)
            return batch_add(sink, r, rec_loc, field_locs);
    } else if (rc == QC_OK || rc == QC_ENOTFOUND)
        rc = qc__store_put_checked(s, r, sink->refs, &bad_field);
    if (has_id) sink->last_stored = rc == QC_EEXIST;
    if (rc == QC_EEXIST && (rc = stored_already(sink, r, stored, &bad_field)) == QC_OK)
        return QC_OK; /* unchanged, or amended: not written as new */
    if (rc < 0) return located(rc, rec_loc, field_locs, bad_field);
    counted(sink);
    return QC_OK;
}
