/* SPDX-License-Identifier: MIT
 * import.c - importing files into a store: format detection, the
 * transaction around the whole file, and the sink the parsers feed.
 *
 * The promise (quotacase.h): a file with one bad record imports nothing.
 * The whole file is one transaction; the first failure rolls it back, and
 * its message is prefixed with the file, line and column of the value at
 * fault.  The parsers (csv.c, yamldoc.c) know syntax and locations; the
 * sink (sink.c) knows the store; this file joins them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

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

/* Import everything in, as format, in one transaction (or the caller's). */
static int import_input(qc_store *s, qc__input *in, const char *format, qc_kind kind, int64_t *imported)
{
    const char *name = in->name;
    bool csv = !strcmp(format, "csv"), yaml = !strcmp(format, "yaml") || !strcmp(format, "json");
    if (!csv && !yaml)
        return qc__error(QC_EUNKNOWN, "%s: unknown format '%s' (csv, yaml or json)", name, format);
    if (csv && kind == QC_KIND_NONE && (kind = kind_from_name(name)) == QC_KIND_NONE)
        return qc__error(QC_EUNKNOWN,
                         "%s: cannot tell what the file holds: name it offices.csv, people.csv, "
                         "cases.csv, ... or give the kind",
                         name);
    if (csv && !qc__kind_get(kind)) return qc__error(QC_EINVAL, "%s: invalid kind %d", name, (int)kind);
    in->yaml = yaml;
    int erc = qc__input_set_encoding(in, s->import_encoding);
    if (erc < 0) return erc;

    s->import_unchanged = s->import_updated = 0;
    qc__import_sink sink = {.store = s, .file = name, .total_bytes = in->file ? in->size : (int64_t)in->mem_size};
    bool own_txn = !s->in_txn;
    int rc;
    if (!(sink.refs = qc__store_refs(s))) return qc__error(QC_ENOMEM, "out of memory");
    if (own_txn && (rc = qc_store_begin(s)) < 0) goto done;
    rc = csv ? qc__import_csv(&sink, in, kind) : qc__import_yaml(&sink, in);
    if (rc == QC_OK) rc = qc__sink_flush(&sink); /* what waits to be written together */
    qc__sink_free(&sink);
    if (own_txn) {
        if (rc < 0) qc__store_abort(s);
        else rc = qc_store_commit(s);
    }
    if (rc == QC_OK) {
        qc__sink_progress(&sink, sink.total_bytes);
        if (imported) *imported = sink.written;
    }
    s->import_unchanged = rc == QC_OK ? sink.unchanged : 0;
    s->import_updated = rc == QC_OK ? sink.updated : 0;
done:
    return rc;
}

QC_EXTERN int qc_store_import_buffer(qc_store *s, const char *data, size_t size, const char *format,
                                     const char *name, qc_kind kind, int64_t *imported)
{
    if (imported) *imported = 0;
    if (!s || (!data && size) || !format)
        return qc__error(QC_EINVAL, "qc_store_import_buffer: NULL argument");
    qc__input in;
    qc__input_memory(&in, name ? name : "<buffer>", data ? data : "", size, false);
    int rc = import_input(s, &in, format, kind, imported);
    qc__input_close(&in); /* its converter, if it had one */
    return rc;
}

/* The file is read in chunks as it is parsed (lib/input.c), so memory
 * stays flat however large it is; only regular files are read. */
QC_EXTERN int qc_store_import_file(qc_store *s, const char *path, qc_kind kind, int64_t *imported)
{
    if (imported) *imported = 0;
    if (!s || !path) return qc__error(QC_EINVAL, "qc_store_import_file: NULL argument");
    const char *format = format_from_name(path);
    if (!format)
        return qc__error(QC_EUNKNOWN, "%s: unknown file type (want .csv, .yaml, .yml or .json)", path);
    qc__input in;
    int rc = qc__input_open(&in, path, false);
    if (rc < 0) return rc;
    rc = import_input(s, &in, format, kind, imported);
    qc__input_close(&in);
    return rc;
}
