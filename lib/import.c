/*
 * import.c - importing files into a store: format detection, the
 * transaction around the whole file, and the sink the parsers feed.
 *
 * The promise (quotacase.h): a file with one bad record imports nothing.
 * The whole file is one transaction; the first failure rolls it back, and
 * its message is prefixed with the file, line and column of the value at
 * fault.  The parsers (csv.c, yamldoc.c) know syntax and locations; the
 * sink knows the store.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
    int bad_field, rc = qc__store_check(sink->store, r, sink->refs, &bad_field);
    if (rc == QC_OK && (rc = qc__be_put(sink->store, r)) == QC_EEXIST) bad_field = QC_FIELD_ID;
    if (rc < 0) {
        const qc__loc *at = bad_field >= 0 && field_locs[bad_field].line ? &field_locs[bad_field] : rec_loc;
        qc__error_prefix("%s:%ld:%ld", at->file, at->line, at->col);
        return rc;
    }
    if (++sink->written % PROGRESS_EVERY == 0) qc__sink_progress(sink, sink->position);
    return QC_OK;
}

/* "acts.csv" -> acts; "2017-offices.csv" -> offices; "dir/people.csv". */
static qc_kind kind_from_name(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char stem[64];
    size_t n = strcspn(base, ".");
    if (n >= sizeof stem) return QC_KIND_NONE;
    memcpy(stem, base, n);
    stem[n] = '\0';
    char *word = stem;
    for (char *p = stem; *p; p++)
        if (*p == '-' || *p == '_' || *p == ' ') word = p + 1;
    return qc_kind_lookup(word);
}

static const char *format_from_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return NULL;
    if (!strcasecmp(dot, ".csv")) return "csv";
    if (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml")) return "yaml";
    if (!strcasecmp(dot, ".json")) return "json";
    return NULL;
}

static bool is_blank(const char *data, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (!strchr(" \t\r\n", data[i])) return false;
    return true;
}

QC_EXTERN int qc_store_import_buffer(qc_store *s, const char *data, size_t size, const char *format,
                                     const char *name, qc_kind kind, int64_t *imported)
{
    if (imported) *imported = 0;
    if (!s || (!data && size) || !format)
        return qc__error(QC_EINVAL, "qc_store_import_buffer: NULL argument");
    if (!name) name = "<buffer>";
    bool csv = !strcmp(format, "csv"), yaml = !strcmp(format, "yaml") || !strcmp(format, "json");
    if (!csv && !yaml)
        return qc__error(QC_EUNKNOWN, "%s: unknown format '%s' (csv, yaml or json)", name, format);
    if (csv && kind == QC_KIND_NONE && (kind = kind_from_name(name)) == QC_KIND_NONE)
        return qc__error(QC_EUNKNOWN,
                         "%s: cannot tell what the file holds: name it offices.csv, people.csv, "
                         "cases.csv, ... or give the kind",
                         name);
    if (csv && !qc__kind_get(kind)) return qc__error(QC_EINVAL, "%s: invalid kind %d", name, (int)kind);
    if (size == 0 || is_blank(data, size)) return qc__error(QC_EEMPTY, "%s: empty file", name);

    /* One check up front, so every parser sees valid UTF-8 and the message
     * can say where the bad byte is. */
    size_t valid = qc__utf8_valid_prefix(data, size);
    if (valid != size) {
        long line = 1, col = 1;
        for (size_t i = 0; i < valid; i++) {
            if (data[i] == '\n') line++, col = 1;
            else if (((unsigned char)data[i] & 0xC0) != 0x80) col++;
        }
        return qc__error(QC_EUTF8, "%s:%ld:%ld: invalid UTF-8 (byte 0x%02X); save the file as UTF-8", name,
                         line, col, (unsigned char)data[valid]);
    }

    qc__import_sink sink = {.store = s, .file = name, .total_bytes = (int64_t)size};
    bool own_txn = !s->in_txn;
    int rc;
    if (!(sink.refs = calloc(1, sizeof *sink.refs))) return qc__error(QC_ENOMEM, "out of memory");
    if (own_txn && (rc = qc_store_begin(s)) < 0) goto done;
    rc = csv ? qc__import_csv(&sink, data, size, kind) : qc__import_yaml(&sink, data, size);
    if (own_txn) {
        if (rc < 0) qc__store_abort(s);
        else rc = qc_store_commit(s);
    }
    if (rc == QC_OK) {
        qc__sink_progress(&sink, (int64_t)size);
        if (imported) *imported = sink.written;
    }
done:
    free(sink.refs);
    return rc;
}

QC_EXTERN int qc_store_import_file(qc_store *s, const char *path, qc_kind kind, int64_t *imported)
{
    if (imported) *imported = 0;
    if (!s || !path) return qc__error(QC_EINVAL, "qc_store_import_file: NULL argument");
    const char *format = format_from_name(path);
    if (!format)
        return qc__error(QC_EUNKNOWN, "%s: unknown file type (want .csv, .yaml, .yml or .json)", path);
    FILE *f = fopen(path, "rb");
    if (!f) return qc__error(QC_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *data = NULL;
    size_t size = 0, cap = 0;
    int rc = QC_OK;
    for (;;) {
        if (cap - size < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            char *d = realloc(data, cap);
            if (!d) { rc = qc__error(QC_ENOMEM, "%s: out of memory", path); break; }
            data = d;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0) {
            if (ferror(f)) rc = qc__error(QC_EIO, "%s: read error: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == QC_OK) rc = qc_store_import_buffer(s, data, size, format, path, kind, imported);
    free(data);
    return rc;
}
