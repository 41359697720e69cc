/* SPDX-License-Identifier: MIT
 * yamldoc.c - the YAML and JSON importer (libyaml; JSON is read as YAML).
 *
 * The document is a mapping from kinds (offices, departments, people,
 * posts, cases, participations, acts, reviews) to sequences of records,
 * each a mapping from field names to scalars; a case may have a "facts"
 * mapping.  Kinds are imported in that order whatever the order in the
 * file, so references resolve (an office's parent must still come before
 * it).  Plain scalars in facts are typed by their look (3, 1.5, true,
 * 2017-05-01); quoted scalars are text, which is also what JSON strings
 * mean.  Locations are libyaml's marks, made 1-based.
 *
 * The file is read as a stream of events (yamlread.h), one record at a
 * time, so memory stays flat however long the file.  A first pass reads
 * only the section names; when they come in import order (the usual case)
 * one more pass imports everything, otherwise one pass per section, in
 * import order.  Aliases are not read in import files.
 */
#include "config.h"

#include <string.h>

#include "yamlread.h"

typedef struct yimport {
    qc__yaml y;
    qc__import_sink *sink;
} yimport;

static int fail_at(yimport *im, const yaml_event_t *e, int code, const char *what, const char *detail)
{
    qc__yaml_problem_at(&im->y, &e->start_mark, code, "%s: %s", what, detail);
    return qc__yaml_fail(&im->y);
}

static qc__loc loc_of(const yimport *im, const yaml_event_t *e)
{
    return (qc__loc){im->y.in->name, (long)e->start_mark.line + 1, (long)e->start_mark.column + 1};
}

static int next(yimport *im, yaml_event_t *e)
{
    int rc = qc__yaml_next(&im->y, e);
    if (rc < 0) return qc__yaml_fail(&im->y);
    if (e->type == YAML_ALIAS_EVENT) {
        rc = fail_at(im, e, QC_ESYNTAX, "alias", "aliases (*name) are not read in import files; write the value");
        yaml_event_delete(e);
    }
    return rc;
}

static const char *scalar(const yaml_event_t *e)
{
    return e->type == YAML_SCALAR_EVENT ? (const char *)e->data.scalar.value : NULL;
}

static bool is_null(const yaml_event_t *e)
{
    if (e->type != YAML_SCALAR_EVENT || e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
    const char *s = scalar(e);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* Consume the rest of a value whose first event is e (already read). */
static int skip_value(yimport *im, const yaml_event_t *e)
{
    if (e->type != YAML_SEQUENCE_START_EVENT && e->type != YAML_MAPPING_START_EVENT) return QC_OK;
    for (int depth = 1; depth > 0;) {
        yaml_event_t x;
        int rc = next(im, &x);
        if (rc < 0) return rc;
        if (x.type == YAML_SEQUENCE_START_EVENT || x.type == YAML_MAPPING_START_EVENT) depth++;
        else if (x.type == YAML_SEQUENCE_END_EVENT || x.type == YAML_MAPPING_END_EVENT) depth--;
        yaml_event_delete(&x);
    }
    return QC_OK;
}

static int read_facts(yimport *im, const yaml_event_t *start, qc_record *r, const char *path)
{
    if (start->type != YAML_MAPPING_START_EVENT)
        return fail_at(im, start, QC_ETYPE, path, "facts must be a mapping of names to values");
    int rc = QC_OK;
    while (rc == QC_OK) {
        yaml_event_t k, v;
        if ((rc = next(im, &k)) < 0) break;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            break;
        }
        const char *name = scalar(&k);
        char what[200];
        snprintf(what, sizeof what, "%s.%s", path, name ? name : "?");
        if (!name) rc = fail_at(im, &k, QC_ETYPE, path, "a fact name must be a scalar");
        else if (qc_record_fact_find(r, name) >= 0) rc = fail_at(im, &k, QC_ESYNTAX, what, "fact given twice");
        else if ((rc = next(im, &v)) == QC_OK) {
            if (v.type != YAML_SCALAR_EVENT) {
                rc = fail_at(im, &v, QC_ETYPE, what, "a fact value must be a scalar");
            } else if (!is_null(&v)) {
                qc_type type = v.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? QC_TYPE_NULL : QC_TYPE_TEXT;
                if ((rc = qc_record_set_fact_parse(r, name, type, scalar(&v))) < 0) {
                    qc__loc at = loc_of(im, &v);
                    qc__error_prefix("%s:%ld:%ld: %s", at.file, at.line, at.col, path);
                }
            }
            yaml_event_delete(&v);
        }
        yaml_event_delete(&k);
    }
    return rc;
}

/* One field: key k read, its value next. */
static int read_field(yimport *im, const yaml_event_t *k, qc_record *r, const char *path, qc__loc *field_locs)
{
    const char *name = scalar(k);
    yaml_event_t v;
    int rc;
    if (!name) return fail_at(im, k, QC_ETYPE, path, "a field name must be a scalar");
    if ((rc = next(im, &v)) < 0) return rc;
    if (r->def->has_facts && !strcmp(name, "facts")) {
        rc = read_facts(im, &v, r, path);
        yaml_event_delete(&v);
        return rc;
    }
    int f = qc_field_lookup(r->kind, name);
    char what[200];
    snprintf(what, sizeof what, "%s.%s", path, name);
    if (f < 0) rc = fail_at(im, k, QC_EUNKNOWN, what, "no such field");
    else if (field_locs[f].line) rc = fail_at(im, k, QC_ESYNTAX, what, "field given twice");
    else if (v.type != YAML_SCALAR_EVENT) rc = fail_at(im, &v, QC_ETYPE, what, "value must be a scalar, not a list or mapping");
    else {
        field_locs[f] = loc_of(im, &v);
        if (!is_null(&v) && (rc = qc_record_set_text(r, f, scalar(&v))) < 0)
            qc__error_prefix("%s:%ld:%ld", field_locs[f].file, field_locs[f].line, field_locs[f].col);
    }
    yaml_event_delete(&v);
    return rc;
}

static int read_record(yimport *im, const yaml_event_t *start, qc_record *r, const char *path, qc__loc *field_locs)
{
    if (start->type != YAML_MAPPING_START_EVENT) {
        int rc = fail_at(im, start, QC_ETYPE, path, "a record must be a mapping of field names to values");
        return rc;
    }
    for (;;) {
        yaml_event_t k;
        int rc = next(im, &k);
        if (rc < 0) return rc;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            return QC_OK;
        }
        rc = read_field(im, &k, r, path, field_locs);
        yaml_event_delete(&k);
        if (rc < 0) return rc;
    }
}

/* A section's value, whose first event is start. */
static int import_section(yimport *im, qc_kind kind, const yaml_event_t *start)
{
    const char *plural = qc__kind_get(kind)->plural;
    if (start->type != YAML_SEQUENCE_START_EVENT) {
        if (is_null(start)) return QC_OK;
        return fail_at(im, start, QC_ETYPE, plural, "must be a list of records");
    }
    qc_record *r;
    int rc = qc_record_new(&r, kind);
    for (long i = 0; rc == QC_OK; i++) {
        yaml_event_t item;
        if ((rc = next(im, &item)) < 0) break;
        if (item.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&item);
            break;
        }
        char path[64];
        snprintf(path, sizeof path, "%s[%ld]", plural, i);
        qc__loc field_locs[QC_MAX_FIELDS] = {{0}}, rec_loc = loc_of(im, &item);
        qc_record_clear(r);
        im->sink->position = (int64_t)item.start_mark.index;
        if ((rc = read_record(im, &item, r, path, field_locs)) == QC_OK)
            rc = qc__sink_record(im->sink, r, &rec_loc, field_locs);
        yaml_event_delete(&item);
    }
    qc_record_free(r);
    return rc;
}

static const char *const sections_hint =
    "must be a mapping with offices:, departments:, people:, posts:, cases:, participations:, acts:, reviews:";

/* One pass over the document.  only: import that kind's section alone;
 * QC_KIND_NONE with order: import nothing, list the sections in order
 * (QC_KIND_COUNT: import every section as it comes). */
static int pass(yimport *im, qc_kind only, qc_kind *order, int *norder)
{
    yaml_event_t e;
    int rc;
    bool seen[QC_KIND_COUNT] = {false};
    if (norder) *norder = 0;
    /* stream start, then a document, or the end of an empty stream */
    while ((rc = next(im, &e)) == QC_OK && e.type != YAML_STREAM_END_EVENT && e.type != YAML_DOCUMENT_START_EVENT)
        yaml_event_delete(&e);
    if (rc < 0) return rc;
    bool empty = e.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&e);
    if (!empty && (rc = next(im, &e)) < 0) return rc;
    if (empty || is_null(&e)) {
        if (!empty) yaml_event_delete(&e);
        return qc__error(QC_EEMPTY, "%s: empty document", im->y.in->name);
    }
    if (e.type != YAML_MAPPING_START_EVENT) {
        rc = fail_at(im, &e, QC_ETYPE, "document", sections_hint);
        yaml_event_delete(&e);
        return rc;
    }
    yaml_event_delete(&e);
    int nsections = 0;
    for (;; nsections++) {
        yaml_event_t k, v;
        if ((rc = next(im, &k)) < 0) return rc;
        if (k.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&k);
            break;
        }
        const char *name = scalar(&k);
        qc_kind kind = name ? qc_kind_lookup(name) : QC_KIND_NONE;
        if (!kind)
            rc = fail_at(im, &k, QC_EUNKNOWN, name ? name : "document",
                         "unknown section (offices, departments, people, posts, cases, participations, acts, reviews)");
        else if (seen[kind])
            rc = fail_at(im, &k, QC_ESYNTAX, name, "section given twice");
        else if ((rc = next(im, &v)) == QC_OK) {
            seen[kind] = true;
            if (norder) order[(*norder)++] = kind;
            if (only == QC_KIND_COUNT || only == kind) rc = import_section(im, kind, &v);
            else rc = skip_value(im, &v);
            yaml_event_delete(&v);
        }
        yaml_event_delete(&k);
        if (rc < 0) return rc;
    }
    if (nsections == 0) return qc__error(QC_EEMPTY, "%s: empty document", im->y.in->name);
    return QC_OK;
}

/* Run one pass over the input from its start. */
static int run_pass(qc__import_sink *sink, qc__input *in, qc_kind only, qc_kind *order, int *norder)
{
    yimport im = {.sink = sink};
    int rc = qc__input_rewind(in);
    if (rc < 0 || (rc = qc__yaml_open(&im.y, in, QC_YAML_IMPORT_DEPTH)) < 0) return rc;
    rc = pass(&im, only, order, norder);
    qc__yaml_close(&im.y);
    return rc;
}

int qc__import_yaml(qc__import_sink *sink, qc__input *in)
{
    qc_kind order[QC_KIND_COUNT];
    int n, rc = run_pass(sink, in, QC_KIND_NONE, order, &n);
    if (rc < 0) return rc;
    bool in_order = true;
    for (int i = 1; i < n; i++) in_order &= order[i] > order[i - 1];
    if (in_order) return run_pass(sink, in, QC_KIND_COUNT, NULL, NULL);
    for (int kind = QC_KIND_OFFICE; kind < QC_KIND_COUNT && rc == QC_OK; kind++)
        for (int i = 0; i < n; i++)
            if ((int)order[i] == kind) rc = run_pass(sink, in, (qc_kind)kind, NULL, NULL);
    return rc;
}
