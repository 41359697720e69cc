/* SPDX-License-Identifier: MIT
 * yamlread.c - YAML and JSON through libyaml's event parser, with limits
 * (see yamlread.h for why).
 *
 * Bytes come through a qc__input, which has already refused invalid
 * UTF-8, NUL bytes and control characters with their line and column;
 * libyaml then parses, and each event is checked here before anyone uses
 * it.  qc__yaml_load builds libyaml's own document type from the events,
 * so the rule compiler walks the same structure libyaml's loader made,
 * without its quadratic cost in depth, and with every node's start mark.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlread.h"

/* What aliases may expand a rule file to, in nodes: a bound on the work
 * of walking it ("billion laughs"), far above any real rule file. */
#define QC_YAML_MAX_EXPANDED 1000000

static int problem_set(qc__yaml_problem *p, int code, long line, long col, const char *fmt, va_list ap)
{
    p->code = code;
    p->line = line;
    p->col = col;
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    return code;
}

int qc__yaml_problem_at(qc__yaml *y, const yaml_mark_t *at, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_set(&y->problem, code, (long)at->line + 1, (long)at->column + 1, fmt, ap);
    va_end(ap);
    return code;
}

static int read_handler(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    qc__input *in = data;
    /* libyaml asks for its whole raw buffer (16 KiB) less a few bytes */
    if (size < 4) {
        *size_read = 0;
        return 0;
    }
    return qc__input_read(in, (char *)buffer, size, size_read) == QC_OK;
}

int qc__yaml_open(qc__yaml *y, qc__input *in, int max_depth)
{
    memset(y, 0, sizeof *y);
    y->in = in;
    y->max_depth = max_depth;
    if (!yaml_parser_initialize(&y->parser)) return qc__error(QC_ENOMEM, "out of memory");
    yaml_parser_set_input(&y->parser, read_handler, in);
    yaml_parser_set_encoding(&y->parser, YAML_UTF8_ENCODING);
    return QC_OK;
}

void qc__yaml_close(qc__yaml *y) { yaml_parser_delete(&y->parser); }

/* Why the parser stopped. */
static int parser_problem(qc__yaml *y)
{
    const yaml_parser_t *p = &y->parser;
    qc__yaml_problem *pr = &y->problem;
    if (y->in->failed) { /* the input's own check, already located */
        pr->code = y->in->failed;
        pr->line = y->in->line;
        pr->col = y->in->col;
        snprintf(pr->message, sizeof pr->message, "%s", y->in->problem);
        return pr->code;
    }
    if (p->error == YAML_MEMORY_ERROR) return pr->code = QC_ENOMEM, snprintf(pr->message, sizeof pr->message, "out of memory"), QC_ENOMEM;
    if (p->error == YAML_READER_ERROR) {
        pr->code = QC_ESYNTAX;
        pr->line = pr->col = 0;
        snprintf(pr->message, sizeof pr->message, "byte %zu: %s", p->problem_offset,
                 p->problem ? p->problem : "unreadable input");
        return pr->code;
    }
    pr->code = QC_ESYNTAX;
    pr->line = (long)p->problem_mark.line + 1;
    pr->col = (long)p->problem_mark.column + 1;
    snprintf(pr->message, sizeof pr->message, "%s%s%s", p->problem ? p->problem : "syntax error",
             p->context ? " " : "", p->context ? p->context : "");
    return pr->code;
}

int qc__yaml_next(qc__yaml *y, yaml_event_t *e)
{
    if (!yaml_parser_parse(&y->parser, e)) {
        memset(e, 0, sizeof *e);
        return parser_problem(y);
    }
    int rc = QC_OK;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        /* "\0" or "\u0000": a C string would end there and say less */
        if (strlen((const char *)e->data.scalar.value) != e->data.scalar.length)
            rc = qc__yaml_problem_at(y, &e->start_mark, QC_EUTF8, "a NUL character (\\0 or \\u0000) in text");
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++y->depth > y->max_depth)
            rc = qc__yaml_problem_at(y, &e->start_mark, QC_ESYNTAX, "nested deeper than %d levels", y->max_depth);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        y->depth--;
        break;
    default:
        break;
    }
    if (rc < 0) yaml_event_delete(e);
    return rc;
}

int qc__yaml_fail(const qc__yaml *y)
{
    const qc__yaml_problem *p = &y->problem;
    if (p->line > 0) return qc__error(p->code, "%s:%ld:%ld: %s", y->in->name, p->line, p->col, p->message);
    return qc__error(p->code, "%s: %s", y->in->name, p->message);
}

/* ---- building a document ---- */

typedef struct open_node {
    int id;
    int key;          /* a mapping's key awaiting its value, or 0 */
    size_t expanded;  /* nodes below, aliases counted in full */
    char *anchor;     /* its anchor, named once it is finished (no cycles) */
} open_node;

typedef struct anchor {
    char *name;
    int id;
} anchor;

typedef struct builder {
    qc__yaml y;
    yaml_document_t *doc;
    open_node *stack;
    int nstack;
    size_t *expanded; /* by node id: nodes it stands for, aliases counted in full */
    size_t nexpanded;
    anchor *anchors;
    int nanchors, cap_anchors;
    size_t alias_total;
} builder;

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

static int nomem(builder *b) { return qc__yaml_problem_at(&b->y, &(yaml_mark_t){0}, QC_ENOMEM, "out of memory"); }

/* Give a new node its marks and a slot in the expansion table. */
static int node_added(builder *b, int id, const yaml_event_t *e)
{
    if (!id) return nomem(b);
    yaml_node_t *n = yaml_document_get_node(b->doc, id);
    n->start_mark = e->start_mark;
    n->end_mark = e->end_mark;
    if ((size_t)id >= b->nexpanded) {
        size_t cap = b->nexpanded ? b->nexpanded * 2 : 256;
        while (cap <= (size_t)id) cap *= 2;
        size_t *x = realloc(b->expanded, sizeof *x * cap);
        if (!x) return nomem(b);
        memset(x + b->nexpanded, 0, sizeof *x * (cap - b->nexpanded));
        b->expanded = x;
        b->nexpanded = cap;
    }
    return QC_OK;
}

/* Hang node id under the open collection, if any (else it is the root:
 * libyaml's root is the first node added). */
static int attach(builder *b, int id)
{
    if (b->nstack == 0) return QC_OK;
    open_node *top = &b->stack[b->nstack - 1];
    yaml_node_t *parent = yaml_document_get_node(b->doc, top->id);
    int ok = 1;
    if (parent->type == YAML_SEQUENCE_NODE) {
        ok = yaml_document_append_sequence_item(b->doc, top->id, id);
    } else if (!top->key) {
        top->key = id;
    } else {
        ok = yaml_document_append_mapping_pair(b->doc, top->id, top->key, id);
        top->key = 0;
    }
    return ok ? QC_OK : nomem(b);
}

static void count_below(builder *b, size_t n)
{
    if (b->nstack) b->stack[b->nstack - 1].expanded = add_sat(b->stack[b->nstack - 1].expanded, n);
}

static int add_anchor(builder *b, const yaml_char_t *name, int id)
{
    if (!name) return QC_OK;
    if (b->nanchors == b->cap_anchors) {
        int cap = b->cap_anchors ? b->cap_anchors * 2 : 16;
        anchor *a = realloc(b->anchors, sizeof *a * (size_t)cap);
        if (!a) return nomem(b);
        b->anchors = a;
        b->cap_anchors = cap;
    }
    if (!(b->anchors[b->nanchors].name = strdup((const char *)name))) return nomem(b);
    b->anchors[b->nanchors++].id = id;
    return QC_OK;
}

/* The latest node of that anchor (YAML lets a later anchor of the same
 * name take over); only finished nodes are anchors, so no cycles. */
static int find_anchor(const builder *b, const yaml_char_t *name)
{
    for (int i = b->nanchors - 1; i >= 0; i--)
        if (!strcmp(b->anchors[i].name, (const char *)name)) return b->anchors[i].id;
    return 0;
}

static uint32_t key_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Of the keys given twice in a mapping, the second occurrence that comes
 * first in the file (keys are visited in file order against those before
 * them); NULL when every key is different.  *failed: out of memory. */
static const yaml_node_t *duplicate_key(builder *b, yaml_node_t *map, const yaml_node_t **first, bool *failed)
{
    yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
    size_t n = (size_t)(map->data.mapping.pairs.top - pairs), cap = 16;
    while (cap < 2 * n) cap *= 2;
    const yaml_node_t *small[16], **seen = n <= 8 ? small : calloc(cap, sizeof *seen);
    *failed = !seen;
    if (!seen) return NULL;
    if (seen == small) memset(small, 0, sizeof small);
    const yaml_node_t *found = NULL;
    for (size_t i = 0; i < n && !found; i++) {
        const yaml_node_t *k = yaml_document_get_node(b->doc, pairs[i].key);
        if (k->type != YAML_SCALAR_NODE) continue;
        const char *text = (const char *)k->data.scalar.value;
        for (size_t slot = key_hash(text) & (cap - 1);; slot = (slot + 1) & (cap - 1)) {
            if (!seen[slot]) {
                seen[slot] = k;
                break;
            }
            if (!strcmp((const char *)seen[slot]->data.scalar.value, text)) {
                found = k;
                *first = seen[slot];
                break;
            }
        }
    }
    if (seen != small) free(seen);
    return found;
}

static int close_collection(builder *b, const yaml_event_t *e)
{
    open_node top = b->stack[--b->nstack];
    yaml_node_t *node = yaml_document_get_node(b->doc, top.id);
    node->end_mark = e->end_mark;
    int rc = QC_OK;
    if (node->type == YAML_MAPPING_NODE) {
        bool failed;
        const yaml_node_t *first = NULL, *dup = duplicate_key(b, node, &first, &failed);
        if (failed) rc = nomem(b);
        else if (dup)
            rc = qc__yaml_problem_at(&b->y, &dup->start_mark, QC_ESYNTAX, "key '%.80s' given twice (first at %ld:%ld)",
                                     (const char *)dup->data.scalar.value, (long)first->start_mark.line + 1,
                                     (long)first->start_mark.column + 1);
    }
    b->expanded[top.id] = add_sat(top.expanded, 1);
    count_below(b, b->expanded[top.id]);
    if (rc == QC_OK) rc = add_anchor(b, (const yaml_char_t *)top.anchor, top.id);
    free(top.anchor);
    return rc;
}

static int open_collection(builder *b, const yaml_event_t *e)
{
    bool map = e->type == YAML_MAPPING_START_EVENT;
    const yaml_char_t *name = map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
    int id = map ? yaml_document_add_mapping(b->doc, e->data.mapping_start.tag, YAML_ANY_MAPPING_STYLE)
                 : yaml_document_add_sequence(b->doc, e->data.sequence_start.tag, YAML_ANY_SEQUENCE_STYLE);
    int rc;
    if ((rc = node_added(b, id, e)) < 0 || (rc = attach(b, id)) < 0) return rc;
    open_node *top = &b->stack[b->nstack];
    *top = (open_node){.id = id};
    if (name && !(top->anchor = strdup((const char *)name))) return nomem(b);
    b->nstack++;
    return QC_OK;
}

static int add_event(builder *b, const yaml_event_t *e)
{
    int id, rc;
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        id = yaml_document_add_scalar(b->doc, e->data.scalar.tag, e->data.scalar.value, (int)e->data.scalar.length,
                                      e->data.scalar.style);
        if ((rc = node_added(b, id, e)) < 0 || (rc = attach(b, id)) < 0) return rc;
        b->expanded[id] = 1;
        count_below(b, 1);
        return add_anchor(b, e->data.scalar.anchor, id);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return open_collection(b, e);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(b, e);
    case YAML_ALIAS_EVENT:
        if (!(id = find_anchor(b, e->data.alias.anchor)))
            return qc__yaml_problem_at(&b->y, &e->start_mark, QC_ESYNTAX, "alias *%.60s names no anchor before it",
                                       (const char *)e->data.alias.anchor);
        b->alias_total = add_sat(b->alias_total, b->expanded[id]);
        if (b->alias_total > QC_YAML_MAX_EXPANDED)
            return qc__yaml_problem_at(&b->y, &e->start_mark, QC_ETOOLONG,
                                       "aliases expand the document to more than %d nodes", QC_YAML_MAX_EXPANDED);
        count_below(b, b->expanded[id]);
        return attach(b, id);
    default:
        return QC_OK;
    }
}

int qc__yaml_load(yaml_document_t *doc, qc__input *in, int max_depth, qc__yaml_problem *problem)
{
    builder b = {.doc = doc};
    int rc;
    memset(problem, 0, sizeof *problem);
    if (!yaml_document_initialize(doc, NULL, NULL, NULL, 1, 1)) {
        snprintf(problem->message, sizeof problem->message, "out of memory");
        return problem->code = QC_ENOMEM;
    }
    if ((rc = qc__yaml_open(&b.y, in, max_depth)) < 0) {
        snprintf(problem->message, sizeof problem->message, "out of memory");
        return problem->code = rc;
    }
    if (!(b.stack = calloc((size_t)max_depth + 1, sizeof *b.stack))) rc = nomem(&b);
    /* the first document of the stream, as libyaml's loader takes it */
    for (bool in_document = false; rc == QC_OK;) {
        yaml_event_t e;
        if ((rc = qc__yaml_next(&b.y, &e)) < 0) break;
        if (e.type == YAML_DOCUMENT_START_EVENT) in_document = true;
        if (in_document) rc = add_event(&b, &e);
        yaml_event_type_t type = e.type;
        yaml_event_delete(&e);
        if (type == YAML_DOCUMENT_END_EVENT || type == YAML_STREAM_END_EVENT) break;
    }
    if (rc < 0) *problem = b.y.problem;
    while (b.nstack > 0) free(b.stack[--b.nstack].anchor);
    for (int i = 0; i < b.nanchors; i++) free(b.anchors[i].name);
    free(b.anchors);
    free(b.expanded);
    free(b.stack);
    qc__yaml_close(&b.y);
    return rc;
}
