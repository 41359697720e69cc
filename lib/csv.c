/* SPDX-License-Identifier: MIT
 * csv.c - the CSV importer: RFC 4180 records, one kind per file.
 *
 * The first record is the header: field names of the kind (quotacase.h)
 * and, for cases, facts as "fact.NAME" (type inferred per value) or
 * "fact.NAME:TYPE" (int, decimal, bool, date, text).  Quoted fields may
 * hold commas, doubled quotes and line breaks.  A UTF-8 byte order mark is
 * skipped (spreadsheets write one).  Empty fields are unset.  Locations
 * are the 1-based line and column, in characters as editors count them
 * (and as libyaml does), of the start of the field.
 *
 * The file is read through a window of at most QC_CSV_MAX_WINDOW bytes
 * that always holds the whole of the record being parsed: before a record
 * is parsed, the window is refilled (what is left moved to its start)
 * until a line break outside quotes ends the record, or the input ends.
 * Memory is the window and one record, whatever the size of the file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The window starts at 1 MiB and grows for a long record up to this; a
 * record longer than that (256 facts of 4 KiB each are about 1 MiB) is
 * refused, most likely an unclosed quote. */
#define QC_CSV_FIRST_WINDOW (1u << 20)
#define QC_CSV_MAX_WINDOW (16u << 20)

typedef struct csv_reader {
    qc__input *in;
    char *win;          /* the window: input from offset win_offset */
    size_t win_cap;
    int64_t win_offset;
    const char *p, *end;
    const char *file;
    long line;
    const char *line_start;
    char *buf;      /* unescaped text of the current record's fields */
    size_t buf_len, buf_cap;
    size_t *offs;   /* field i is buf + offs[i], NUL-terminated */
    size_t *lens;
    qc__loc *locs;
    int nfields, cap_fields;
} csv_reader;

/* The 1-based character column of p on the current line. */
static long column_of(const csv_reader *rd, const char *p)
{
    long col = 1;
    for (const char *c = rd->line_start; c < p; c++) col += ((unsigned char)*c & 0xC0) != 0x80;
    return col;
}

static int buf_push(csv_reader *rd, const char *s, size_t n)
{
    if (rd->buf_len + n + 1 > rd->buf_cap) {
        size_t cap = rd->buf_cap ? rd->buf_cap : 1024;
        while (cap < rd->buf_len + n + 1) cap *= 2;
        char *b = realloc(rd->buf, cap);
        if (!b) return qc__error(QC_ENOMEM, "out of memory");
        rd->buf = b;
        rd->buf_cap = cap;
    }
    memcpy(rd->buf + rd->buf_len, s, n);
    rd->buf_len += n;
    return QC_OK;
}

static int field_begin(csv_reader *rd)
{
    if (rd->nfields == rd->cap_fields) {
        int cap = rd->cap_fields ? rd->cap_fields * 2 : 32;
        size_t *o = realloc(rd->offs, sizeof *o * (size_t)cap);
        if (o) rd->offs = o;
        size_t *l = realloc(rd->lens, sizeof *l * (size_t)cap);
        if (l) rd->lens = l;
        qc__loc *c = realloc(rd->locs, sizeof *c * (size_t)cap);
        if (c) rd->locs = c;
        if (!o || !l || !c) return qc__error(QC_ENOMEM, "out of memory");
        rd->cap_fields = cap;
    }
    rd->offs[rd->nfields] = rd->buf_len;
    rd->locs[rd->nfields] = (qc__loc){rd->file, rd->line, column_of(rd, rd->p)};
    return QC_OK;
}

static int field_end(csv_reader *rd)
{
    int rc = buf_push(rd, "", 0);
    if (rc < 0) return rc;
    rd->lens[rd->nfields] = rd->buf_len - rd->offs[rd->nfields];
    rd->buf[rd->buf_len++] = '\0';
    rd->nfields++;
    return QC_OK;
}

static int syntax(csv_reader *rd, long line, long col, const char *what)
{
    return qc__error(QC_ESYNTAX, "%s:%ld:%ld: %s", rd->file, line, col, what);
}

/* Whether [p, end) holds a whole record: a line break outside quotes (a
 * CR ends a record too, once the byte after it is known). */
static bool record_complete(const char *p, const char *end)
{
    bool quoted = false;
    for (; p < end; p++) {
        if (*p == '"') quoted = !quoted;
        else if (!quoted && *p == '\n') return true;
        else if (!quoted && *p == '\r' && p + 1 < end) return true;
    }
    return false;
}

/* Make the window hold the whole next record, or the rest of the input. */
static int fill(csv_reader *rd)
{
    while (!record_complete(rd->p, rd->end) && !rd->in->eof) {
        size_t keep = (size_t)(rd->end - rd->p), shift = (size_t)(rd->p - rd->win);
        if (shift) { /* what was parsed goes; line_start is the record's start */
            memmove(rd->win, rd->p, keep);
            rd->win_offset += (int64_t)shift;
            rd->line_start = rd->win + (rd->line_start - rd->p);
            rd->p = rd->win;
            rd->end = rd->win + keep;
        }
        if (rd->win_cap - keep < 4096) {
            if (rd->win_cap >= QC_CSV_MAX_WINDOW)
                return qc__error(QC_ETOOLONG, "%s:%ld:1: a record longer than %u MiB (a quote never closed?)",
                                 rd->file, rd->line, QC_CSV_MAX_WINDOW >> 20);
            size_t cap = rd->win_cap * 2;
            char *w = realloc(rd->win, cap);
            if (!w) return qc__error(QC_ENOMEM, "out of memory");
            rd->line_start = w + (rd->line_start - rd->win);
            rd->p = w + (rd->p - rd->win);
            rd->end = w + (rd->end - rd->win);
            rd->win = w;
            rd->win_cap = cap;
        }
        size_t got;
        int rc = qc__input_read(rd->in, (char *)rd->end, rd->win_cap - keep, &got);
        if (rc < 0) return rc;
        rd->end += got;
    }
    return QC_OK;
}

static bool is_blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!strchr(" \t\r\n", *p)) return false;
    return true;
}

/* Read one record.  Returns QC_OK, QC_ITEROVER at the end, or an error. */
static int read_record(csv_reader *rd)
{
    int rc;
    rd->nfields = 0;
    rd->buf_len = 0;
    if ((rc = fill(rd)) < 0) return rc;
    if (rd->p >= rd->end) return QC_ITEROVER;
    for (;;) {
        if ((rc = field_begin(rd)) < 0) return rc;
        if (rd->p < rd->end && *rd->p == '"') {
            long qline = rd->line, qcol = column_of(rd, rd->p);
            rd->p++;
            for (;;) {
                const char *q = memchr(rd->p, '"', (size_t)(rd->end - rd->p));
                if (!q) return syntax(rd, qline, qcol, "quoted field is never closed");
                for (const char *nl = rd->p; (nl = memchr(nl, '\n', (size_t)(q - nl))); nl++) {
                    rd->line++;
                    rd->line_start = nl + 1;
                }
                if ((rc = buf_push(rd, rd->p, (size_t)(q - rd->p))) < 0) return rc;
                rd->p = q + 1;
                if (rd->p < rd->end && *rd->p == '"') { /* "" is one quote */
                    if ((rc = buf_push(rd, "\"", 1)) < 0) return rc;
                    rd->p++;
                    continue;
                }
                break;
            }
            if (rd->p < rd->end && !strchr(",\r\n", *rd->p))
                return syntax(rd, rd->line, column_of(rd, rd->p),
                              "text after a closing quote (write \"\" for a quote inside a quoted field)");
        } else {
            const char *start = rd->p;
            while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' && *rd->p != '\r') {
                if (*rd->p == '"')
                    return syntax(rd, rd->line, column_of(rd, rd->p),
                                  "quote inside an unquoted field (quote the whole field)");
                rd->p++;
            }
            if ((rc = buf_push(rd, start, (size_t)(rd->p - start))) < 0) return rc;
        }
        if ((rc = field_end(rd)) < 0) return rc;
        if (rd->p >= rd->end) return QC_OK;
        char c = *rd->p++;
        if (c == ',') continue;
        if (c == '\r' && rd->p < rd->end && *rd->p == '\n') rd->p++;
        rd->line++;
        rd->line_start = rd->p;
        return QC_OK;
    }
}

/* What each column of the file sets. */
typedef struct column {
    int field;          /* field index, or -1 for a fact */
    const char *fact;   /* fact name (points into the header copy) */
    qc_type fact_type;  /* QC_TYPE_NULL: infer */
} column;

/* A header's fact type: the names of qc__fact_type_named, and "string"
 * for text as rule files say it. */
static qc_type fact_type_named(const char *name)
{
    return !strcmp(name, "string") ? QC_TYPE_TEXT : qc__fact_type_named(name);
}

static int read_header(csv_reader *rd, qc_kind kind, column *cols, char **names)
{
    const qc__kind_def *k = qc__kind_get(kind);
    bool seen[QC_MAX_FIELDS] = {false};
    if (!(*names = malloc(rd->buf_len ? rd->buf_len : 1))) return qc__error(QC_ENOMEM, "out of memory");
    memcpy(*names, rd->buf, rd->buf_len);
    for (int i = 0; i < rd->nfields; i++) {
        char *name = *names + rd->offs[i];
        const qc__loc *at = &rd->locs[i];
        if (!strncmp(name, "fact.", 5) && k->has_facts) {
            char *colon = strchr(name + 5, ':');
            cols[i] = (column){.field = -1, .fact = name + 5, .fact_type = QC_TYPE_NULL};
            if (colon) {
                *colon = '\0';
                if ((cols[i].fact_type = fact_type_named(colon + 1)) == QC_TYPE_NULL)
                    return qc__error(QC_EUNKNOWN, "%s:%ld:%ld: header: unknown fact type '%s' (int, decimal, bool, date, text)",
                                     at->file, at->line, at->col, colon + 1);
            }
            if (!qc__is_identifier(cols[i].fact))
                return qc__error(QC_EUNKNOWN, "%s:%ld:%ld: header: '%s' is not a fact name",
                                 at->file, at->line, at->col, cols[i].fact);
            continue;
        }
        int f = qc_field_lookup(kind, name);
        if (f < 0)
            return qc__error(QC_EUNKNOWN, "%s:%ld:%ld: header: %s has no field '%.60s'%s", at->file,
                             at->line, at->col, k->name, name,
                             k->has_facts ? " (facts are columns named fact.NAME)" : "");
        if (seen[f])
            return qc__error(QC_ESYNTAX, "%s:%ld:%ld: header: column '%s' appears twice", at->file,
                             at->line, at->col, name);
        seen[f] = true;
        cols[i] = (column){.field = f};
    }
    for (int f = 0; f < k->nfields; f++)
        if ((k->fields[f].flags & QC__F_REQUIRED) && !seen[f])
            return qc__error(QC_EMISSING, "%s:1:1: header: %s.%s is required but has no column",
                             rd->file, k->name, k->fields[f].name);
    return QC_OK;
}

/* Fill r from the current record; on failure prefix the location. */
static int fill_record(csv_reader *rd, const column *cols, qc_record *r, qc__loc *field_locs)
{
    int rc = QC_OK;
    for (int i = 0; i < rd->nfields && rc == QC_OK; i++) {
        const char *v = rd->buf + rd->offs[i];
        size_t n = rd->lens[i];
        if (n == 0) continue;
        if (cols[i].field < 0) {
            rc = qc_record_set_fact_parse(r, cols[i].fact, cols[i].fact_type, v);
        } else {
            field_locs[cols[i].field] = rd->locs[i];
            if (qc_field_type(r->kind, cols[i].field) == QC_TYPE_TEXT)
                rc = qc__record_set_strn(r, cols[i].field, v, n);
            else if (strlen(v) != n) /* a NUL inside a number or date */
                rc = qc__error(QC_ETYPE, "%s.%s: NUL byte in value", r->def->name, r->def->fields[cols[i].field].name);
            else
                rc = qc_record_set_text(r, cols[i].field, v);
        }
        if (rc < 0) qc__error_prefix("%s:%ld:%ld", rd->locs[i].file, rd->locs[i].line, rd->locs[i].col);
    }
    return rc;
}

/* The start of the input: a byte order mark and blank lines skipped;
 * QC_EEMPTY when nothing but blanks follows. */
static int begin(csv_reader *rd)
{
    int rc = fill(rd);
    if (rc < 0) return rc;
    if (rd->end - rd->p >= 3 && !memcmp(rd->p, "\xEF\xBB\xBF", 3)) rd->p = rd->line_start = rd->p + 3;
    /* a window of blanks: drop it (counting its lines) and look further */
    while (is_blank(rd->p, rd->end)) {
        if (rd->in->eof) return qc__error(QC_EEMPTY, "%s: empty file", rd->file);
        for (const char *c = rd->p; c < rd->end; c++) rd->line += *c == '\n';
        rd->p = rd->line_start = rd->end;
        if ((rc = fill(rd)) < 0) return rc;
    }
    /* and the blank lines before the header in this window, as between records */
    for (const char *nl; (nl = memchr(rd->p, '\n', (size_t)(rd->end - rd->p))) && is_blank(rd->p, nl);) {
        rd->line++;
        rd->p = rd->line_start = nl + 1;
    }
    return QC_OK;
}

int qc__import_csv(qc__import_sink *sink, qc__input *in, qc_kind kind)
{
    csv_reader rd = {.in = in, .file = sink->file, .line = 1};
    column *cols = NULL;
    char *names = NULL;
    qc_record *r = NULL;
    int rc, ncols;
    if (!(rd.win = malloc(QC_CSV_FIRST_WINDOW))) return qc__error(QC_ENOMEM, "out of memory");
    rd.win_cap = QC_CSV_FIRST_WINDOW;
    rd.p = rd.end = rd.line_start = rd.win;
    if ((rc = begin(&rd)) < 0 || (rc = read_record(&rd)) < 0) goto done;
    ncols = rd.nfields;
    if (!(cols = calloc((size_t)ncols, sizeof *cols))) { rc = qc__error(QC_ENOMEM, "out of memory"); goto done; }
    if ((rc = read_header(&rd, kind, cols, &names)) < 0 || (rc = qc_record_new(&r, kind)) < 0) goto done;
    while ((rc = read_record(&rd)) == QC_OK) {
        qc__loc rec_loc = rd.locs[0], field_locs[QC_MAX_FIELDS] = {{0}};
        /* A blank line (one empty field) between records is tolerated. */
        if (rd.nfields == 1 && rd.lens[0] == 0 && ncols > 1) continue;
        if (rd.nfields != ncols) {
            rc = qc__error(QC_ESYNTAX, "%s:%ld:%ld: %s: record has %d fields, the header has %d", rec_loc.file,
                           rec_loc.line, rec_loc.col, qc_kind_name(kind), rd.nfields, ncols);
            goto done;
        }
        qc_record_clear(r);
        sink->position = rd.win_offset + (rd.p - rd.win);
        if ((rc = fill_record(&rd, cols, r, field_locs)) < 0 ||
            (rc = qc__sink_record(sink, r, &rec_loc, field_locs)) < 0)
            goto done;
    }
    if (rc == QC_ITEROVER) rc = QC_OK;
done:
    qc_record_free(r);
    free(cols);
    free(names);
    free(rd.win);
    free(rd.buf);
    free(rd.offs);
    free(rd.lens);
    free(rd.locs);
    return rc;
}
