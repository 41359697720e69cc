/*
 * sink.c - where the import parsers put records: checked, stored, located.
 *
 * The parsers (csv.c, yamldoc.c) read syntax and know where each value
 * stood; the sink checks a record against the store (references, ids)
 * and puts it, and on failure prefixes the message with the file, line
 * and column of the value at fault.  import.c opens the transaction around
 * a whole file and hands the sink to a parser.
 */
#include "config.h"

#include "internal.h"

/* How many records between progress reports. */
#define PROGRESS_EVERY 8192

void qc__sink_progress(qc__import_sink *sink, int64_t done)
{
    qc_store *s = sink->store;
    if (s->progress) s->progress(s->progress_data, done, sink->total_bytes);
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
    if (rc == QC_OK && has_id && sink->last_stored && (rc = qc__store_read_stored(s, r, &stored)) == QC_OK)
        rc = QC_EEXIST;
    else if (rc == QC_OK || rc == QC_ENOTFOUND)
        rc = qc__store_put_checked(s, r, sink->refs, &bad_field);
    if (has_id) sink->last_stored = rc == QC_EEXIST;
    if (rc == QC_EEXIST) {
        /* stored already: the same is no change (a file imported twice), anything else a conflict -
         * or, with qc_store_set_import_update, a correction whose reason is the file */
        bad_field = QC_FIELD_ID;
        rc = stored ? qc__record_same(r, stored, &bad_field) : qc__store_same_as_stored(s, r, &bad_field);
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
    }
    if (rc < 0) {
        const qc__loc *at = bad_field >= 0 && field_locs[bad_field].line ? &field_locs[bad_field] : rec_loc;
        qc__error_prefix("%s:%ld:%ld", at->file, at->line, at->col);
        return rc;
    }
    if (++sink->written % PROGRESS_EVERY == 0) qc__sink_progress(sink, sink->position);
    return QC_OK;
}
