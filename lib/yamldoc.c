/*
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
 */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "internal.h"

typedef struct ydoc {
    yaml_document_t doc;
    const char *file;
} ydoc;

static qc__loc loc_of(const ydoc *d, const yaml_node_t *n)
{
    return (qc__loc){d->file, (long)n->start_mark.line + 1, (long)n->start_mark.column + 1};
}

static int fail_at(const ydoc *d, const yaml_node_t *n, int code, const char *what, const char *detail)
{
    qc__loc at = loc_of(d, n);
    return qc__error(code, "%s:%ld:%ld: %s: %s", at.file, at.line, at.col, what, detail);
}

static const char *scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
    const char *s = scalar(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static int read_facts(ydoc *d, yaml_node_t *map, qc_record *r, const char *path)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail_at(d, map, QC_ETYPE, path, "facts must be a mapping of names to values");
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&d->doc, p->value);
        const char *name = scalar(k), *text = scalar(v);
        if (!name) return fail_at(d, k, QC_ETYPE, path, "a fact name must be a scalar");
        if (qc_record_fact_find(r, name) >= 0) {
            char what[200];
            snprintf(what, sizeof what, "%s.%s", path, name);
            return fail_at(d, k, QC_ESYNTAX, what, "fact given twice");
        }
        if (is_null(v)) continue;
        if (!text) {
            char what[200];
            snprintf(what, sizeof what, "%s.%s", path, name);
            return fail_at(d, v, QC_ETYPE, what, "a fact value must be a scalar");
        }
        qc_type type = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? QC_TYPE_NULL : QC_TYPE_TEXT;
        int rc = qc_record_set_fact_parse(r, name, type, text);
        if (rc < 0) {
            qc__loc at = loc_of(d, v);
            qc__error_prefix("%s:%ld:%ld: %s", at.file, at.line, at.col, path);
            return rc;
        }
    }
    return QC_OK;
}

static int read_record(ydoc *d, yaml_node_t *map, qc_record *r, const char *path, qc__loc *field_locs)
{
    if (map->type != YAML_MAPPING_NODE)
        return fail_at(d, map, QC_ETYPE, path, "a record must be a mapping of field names to values");
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&d->doc, p->value);
        const char *name = scalar(k);
        if (!name) return fail_at(d, k, QC_ETYPE, path, "a field name must be a scalar");
        if (r->def->has_facts && !strcmp(name, "facts")) {
            int rc = read_facts(d, v, r, path);
            if (rc < 0) return rc;
            continue;
        }
        int f = qc_field_lookup(r->kind, name);
        char what[200];
        snprintf(what, sizeof what, "%s.%s", path, name);
        if (f < 0) return fail_at(d, k, QC_EUNKNOWN, what, "no such field");
        if (field_locs[f].line) return fail_at(d, k, QC_ESYNTAX, what, "field given twice");
        field_locs[f] = loc_of(d, v);
        if (is_null(v)) continue;
        if (!scalar(v)) return fail_at(d, v, QC_ETYPE, what, "value must be a scalar, not a list or mapping");
        int rc = qc_record_set_text(r, f, scalar(v));
        if (rc < 0) {
            qc__error_prefix("%s:%ld:%ld", field_locs[f].file, field_locs[f].line, field_locs[f].col);
            return rc;
        }
    }
    return QC_OK;
}

static int import_kind(ydoc *d, qc__import_sink *sink, qc_kind kind, yaml_node_t *seq)
{
    const char *plural = qc__kind_get(kind)->plural;
    if (seq->type != YAML_SEQUENCE_NODE) {
        if (is_null(seq)) return QC_OK;
        return fail_at(d, seq, QC_ETYPE, plural, "must be a list of records");
    }
    qc_record *r;
    int rc = qc_record_new(&r, kind);
    if (rc < 0) return rc;
    long i = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++, i++) {
        yaml_node_t *item = yaml_document_get_node(&d->doc, *it);
        char path[64];
        snprintf(path, sizeof path, "%s[%ld]", plural, i);
        qc__loc field_locs[QC_MAX_FIELDS] = {{0}}, rec_loc = loc_of(d, item);
        qc_record_clear(r);
        sink->position = (int64_t)item->start_mark.index;
        if ((rc = read_record(d, item, r, path, field_locs)) < 0 ||
            (rc = qc__sink_record(sink, r, &rec_loc, field_locs)) < 0)
            break;
    }
    qc_record_free(r);
    return rc;
}

int qc__import_yaml(qc__import_sink *sink, const char *data, size_t size)
{
    yaml_parser_t parser;
    ydoc d = {.file = sink->file};
    int rc = QC_OK;
    if (!yaml_parser_initialize(&parser)) return qc__error(QC_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
    if (!yaml_parser_load(&parser, &d.doc)) {
        rc = qc__error(QC_ESYNTAX, "%s:%ld:%ld: %s%s%s", sink->file, (long)parser.problem_mark.line + 1,
                       (long)parser.problem_mark.column + 1, parser.problem ? parser.problem : "syntax error",
                       parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&d.doc);
    yaml_node_t *sections[QC_KIND_COUNT] = {NULL};
    if (!root || is_null(root) || (root->type == YAML_MAPPING_NODE &&
                                   root->data.mapping.pairs.start == root->data.mapping.pairs.top)) {
        rc = qc__error(QC_EEMPTY, "%s: empty document", sink->file);
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        rc = fail_at(&d, root, QC_ETYPE, "document",
                     "must be a mapping with offices:, departments:, people:, posts:, cases:, participations:, acts:, reviews:");
        goto done;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&d.doc, p->key);
        const char *name = scalar(k);
        qc_kind kind = name ? qc_kind_lookup(name) : QC_KIND_NONE;
        if (!kind) {
            rc = fail_at(&d, k, QC_EUNKNOWN, name ? name : "document",
                         "unknown section (offices, departments, people, posts, cases, participations, acts, reviews)");
            goto done;
        }
        if (sections[kind]) {
            rc = fail_at(&d, k, QC_ESYNTAX, name, "section given twice");
            goto done;
        }
        sections[kind] = yaml_document_get_node(&d.doc, p->value);
    }
    for (int kind = QC_KIND_OFFICE; kind < QC_KIND_COUNT && rc == QC_OK; kind++)
        if (sections[kind]) rc = import_kind(&d, sink, (qc_kind)kind, sections[kind]);
done:
    yaml_document_delete(&d.doc);
    yaml_parser_delete(&parser);
    return rc;
}
