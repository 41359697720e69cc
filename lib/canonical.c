/* SPDX-License-Identifier: MIT
 * canonical.c - a record as canonical text (qc_record_encode) and back.
 *
 * One "field=value" line per set field in schema order, then one
 * "fact.NAME:TYPE=value" line per fact in order, values in one form per
 * type, backslash and newline escaped: the same record is the same bytes
 * from every backend and platform.  The history keeps versions in it
 * (history.c) and the journal hashes it (journal.c); docs/data-model.md
 * describes it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef qc__textbuf textbuf;

void qc__text_append(qc__textbuf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void qc__text_free(qc__textbuf *b)
{
    free(b->p);
    *b = (qc__textbuf){0};
}

static void tb_str(textbuf *b, const char *s) { qc__text_append(b, s, strlen(s)); }

/* A value, with backslash and newline escaped so that a line is a value. */
static void tb_escaped(textbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        if (*s != '\\' && *s != '\n') continue;
        qc__text_append(b, run, (size_t)(s - run));
        tb_str(b, *s == '\\' ? "\\\\" : "\\n");
        run = s + 1;
    }
    qc__text_append(b, run, (size_t)(s - run));
}

/* The shortest decimal text that reads back as d; an exponent without
 * its '+' (1e308, not 1e+308), the form every reader here takes. */
static void decimal_text(char *buf, size_t size, double d)
{
    for (int digits = 15; digits <= 17; digits++) {
        qc__snprintf_c(buf, size, "%.*g", digits, d);
        if (qc__strtod(buf, NULL) == d) break;
    }
    char *plus = strchr(buf, '+');
    if (plus) memmove(plus, plus + 1, strlen(plus));
}

/* One value of type t in its canonical form. */
static void tb_value(textbuf *b, qc_type t, const qc__value *v, const char *text, const char *enum_name)
{
    char buf[40];
    switch (t) {
    case QC_TYPE_INT: snprintf(buf, sizeof buf, "%lld", (long long)v->i); break;
    case QC_TYPE_DECIMAL: decimal_text(buf, sizeof buf, v->d); break;
    case QC_TYPE_BOOL: snprintf(buf, sizeof buf, "%s", v->i ? "true" : "false"); break;
    case QC_TYPE_DATE: qc_date_format(buf, sizeof buf, v->i); break;
    case QC_TYPE_DATETIME: qc_datetime_format(buf, sizeof buf, v->i); break;
    case QC_TYPE_ENUM: tb_escaped(b, enum_name ? enum_name : ""); return;
    default: tb_escaped(b, text); return;
    }
    tb_str(b, buf);
}

/* r's canonical text into b, leaving out field `skip` (-1: none). */
static int encode_except(const qc_record *r, int skip, textbuf *b)
{
    const qc__kind_def *k = r->def;
    b->len = 0;
    b->failed = false;
    qc__text_append(b, "", 0);
    for (int i = 0; i < k->nfields; i++) {
        const qc__value *v = &r->fields[i];
        if (!v->set || i == skip || (k->fields[i].type == QC_TYPE_TEXT && v->len == 0)) continue; /* empty text is none */
        tb_str(b, k->fields[i].name);
        tb_str(b, "=");
        const char *text = k->fields[i].type == QC_TYPE_TEXT ? r->arena + v->off : NULL;
        tb_value(b, k->fields[i].type, v, text,
                 k->fields[i].type == QC_TYPE_ENUM ? qc__enum_name(r->kind, i, v->i) : NULL);
        tb_str(b, "\n");
    }
    for (int i = 0; i < r->nfacts; i++) {
        const qc__fact *f = &r->facts[i];
        tb_str(b, "fact.");
        tb_str(b, r->arena + f->name_off);
        tb_str(b, ":");
        tb_str(b, f->type > QC_TYPE_NULL && f->type <= QC_TYPE_DATE ? qc__fact_type_name(f->type) : "text");
        tb_str(b, "=");
        tb_value(b, f->type, &f->v, r->arena + f->v.off, NULL);
        tb_str(b, "\n");
    }
    return b->failed ? qc__error(QC_ENOMEM, "out of memory") : QC_OK;
}

static int encode(const qc_record *r, textbuf *b) { return encode_except(r, -1, b); }

int qc__record_encode_into(const qc_record *r, qc__textbuf *b) { return encode(r, b); }
int qc__record_encode_except(const qc_record *r, int skip, qc__textbuf *b) { return encode_except(r, skip, b); }

QC_EXTERN int qc_record_encode(const qc_record *r, char *buf, size_t size, size_t *needed)
{
    if (!r || (!buf && size)) return qc__error(QC_EINVAL, "qc_record_encode: NULL argument");
    textbuf b = {0};
    int rc = encode(r, &b);
    if (rc == QC_OK) {
        if (needed) *needed = b.len + 1;
        if (size) {
            size_t n = b.len < size - 1 ? b.len : size - 1;
            memcpy(buf, b.p, n);
            buf[n] = '\0';
        }
        if (b.len + 1 > size)
            rc = qc__error(QC_ETOOLONG, "qc_record_encode: %zu bytes needed, the buffer has %zu", b.len + 1, size);
    }
    free(b.p);
    return rc;
}

/* Undo tb_escaped in place over [s, s + n); the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            s[o++] = s[i] == 'n' ? '\n' : s[i];
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

static int decode_line(qc_record *r, char *line, size_t len, int lineno)
{
    char *eq = memchr(line, '=', len);
    if (!eq) return qc__error(QC_ESYNTAX, "canonical %s, line %d: no '='", qc_kind_name(r->kind), lineno);
    *eq = '\0';
    char *value = eq + 1;
    unescape(value, len - (size_t)(value - line));
    int rc;
    if (!strncmp(line, "fact.", 5)) {
        char *name = line + 5, *colon = strrchr(name, ':');
        qc_type type = QC_TYPE_NULL;
        if (colon) {
            *colon = '\0';
            type = qc__fact_type_named(colon + 1);
        }
        if (type == QC_TYPE_NULL)
            return qc__error(QC_ESYNTAX, "canonical %s, line %d: fact '%s' without a type", qc_kind_name(r->kind),
                             lineno, name);
        rc = qc_record_set_fact_parse(r, name, type, value);
    } else {
        int field = qc_field_lookup(r->kind, line);
        if (field < 0)
            return qc__error(QC_EUNKNOWN, "canonical %s, line %d: no field '%s'", qc_kind_name(r->kind), lineno, line);
        rc = qc_record_set_text(r, field, value);
    }
    if (rc < 0) qc__error_prefix("canonical %s, line %d", qc_kind_name(r->kind), lineno);
    return rc;
}

QC_EXTERN int qc_record_decode(qc_record *r, const char *text)
{
    if (!r || !text) return qc__error(QC_EINVAL, "qc_record_decode: NULL argument");
    qc_record_clear(r);
    char *copy = strdup(text);
    if (!copy) return qc__error(QC_ENOMEM, "out of memory");
    int rc = QC_OK, lineno = 0;
    for (char *line = copy; rc == QC_OK && *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (nl) *nl = '\0';
        lineno++;
        if (len) rc = decode_line(r, line, len, lineno);
        line += len + (nl ? 1 : 0);
    }
    free(copy);
    return rc;
}
