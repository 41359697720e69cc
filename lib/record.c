/* SPDX-License-Identifier: MIT
 * record.c - records: one row of one kind, fields by index, case facts by
 * name.
 *
 * A record keeps all its text in one arena (offsets, not pointers, so the
 * arena may grow), which makes a record two or three allocations however
 * many fields it has and lets qc_record_clear() reuse the memory: the
 * import and iteration loops fill the same record again and again.
 * Setters validate (types, UTF-8, length, vocabularies) so that a record
 * that exists is well-formed field by field; qc__record_validate() adds the
 * checks across fields before a record is stored.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

QC_EXTERN int qc_record_new(qc_record **out, qc_kind kind)
{
    if (!out) return qc__error(QC_EINVAL, "qc_record_new: out is NULL");
    *out = NULL;
    const qc__kind_def *def = qc__kind_get(kind);
    if (!def) return qc__error(QC_EINVAL, "qc_record_new: invalid kind %d", (int)kind);
    qc_record *r = calloc(1, sizeof *r);
    if (!r) return qc__error(QC_ENOMEM, "out of memory");
    r->kind = kind;
    r->def = def;
    *out = r;
    return QC_OK;
}

QC_EXTERN void qc_record_free(qc_record *r)
{
    if (!r) return;
    if (r->arena_owned) free(r->arena);
    if (r->facts_owned) free(r->facts);
    free(r);
}

QC_EXTERN void qc_record_clear(qc_record *r)
{
    if (!r) return;
    memset(r->fields, 0, sizeof r->fields);
    r->nfacts = 0;
    r->arena_len = 0;
}

QC_EXTERN qc_kind qc_record_kind(const qc_record *r) { return r ? r->kind : QC_KIND_NONE; }

/* Append n bytes and a NUL; the offset of the copy goes to *off.  s may
 * point into r's own text (qc_record_set_text(r, f, qc_record_text(r, g))):
 * it is then taken by offset, as growing the arena frees the old block.
 * Every pointer into r->arena is invalid after this call. */
static int arena_add(qc_record *r, const char *s, size_t n, uint32_t *off)
{
    if (n > UINT32_MAX / 2) return qc__error(QC_ETOOLONG, "value too long");
    size_t need = (size_t)r->arena_len + n + 1;
    if (need > r->arena_cap || !r->arena_owned) {
        bool inside = r->arena && s >= r->arena && s < r->arena + r->arena_len;
        size_t s_off = inside ? (size_t)(s - r->arena) : 0;
        size_t cap = r->arena_cap ? r->arena_cap : 256;
        while (cap < need) cap *= 2;
        char *a = r->arena_owned ? realloc(r->arena, cap) : malloc(cap);
        if (!a) return qc__error(QC_ENOMEM, "out of memory");
        if (!r->arena_owned && r->arena_len) memcpy(a, r->arena, r->arena_len);
        r->arena = a;
        r->arena_cap = (uint32_t)cap;
        r->arena_owned = true;
        if (inside) s = a + s_off;
    }
    memcpy(r->arena + r->arena_len, s, n);
    r->arena[r->arena_len + n] = '\0';
    *off = r->arena_len;
    r->arena_len += (uint32_t)n + 1;
    return QC_OK;
}

/* Text form of a typed value into buf (at least 32 bytes). */
static const char *format_value(char *buf, size_t size, qc_type type, const qc__value *v)
{
    switch (type) {
    case QC_TYPE_INT: { /* digits backwards, then the sign: no printf on the path of every row */
        char tmp[24], *p = tmp + sizeof tmp;
        uint64_t u = v->i < 0 ? 0 - (uint64_t)v->i : (uint64_t)v->i;
        *--p = '\0';
        do *--p = (char)('0' + u % 10); while (u /= 10);
        if (v->i < 0) *--p = '-';
        memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
        (void)size;
        break;
    }
    case QC_TYPE_DECIMAL: qc__snprintf_c(buf, size, "%.15g", v->d); break;
    case QC_TYPE_BOOL: snprintf(buf, size, "%s", v->i ? "true" : "false"); break;
    case QC_TYPE_DATE: qc_date_format(buf, size, v->i); break;
    case QC_TYPE_DATETIME: qc_datetime_format(buf, size, v->i); break;
    default: buf[0] = '\0';
    }
    return buf;
}

/* A typed value (v->i or v->d set) gets its text form in the arena now,
 * when it is set, so that reading a record never writes: a record may be
 * read by several threads at once.  Enums need none (their names are
 * static); TEXT values are their own text. */
static int typed_text(qc_record *r, qc_type type, qc__value *v)
{
    if (type == QC_TYPE_ENUM || type == QC_TYPE_TEXT) return QC_OK;
    char buf[40];
    format_value(buf, sizeof buf, type, v);
    size_t n = strlen(buf);
    uint32_t off;
    int rc = arena_add(r, buf, n, &off);
    if (rc < 0) return rc;
    v->off = off;
    v->len = (uint32_t)n;
    return QC_OK;
}

/* Set field to a typed value and its text form. */
static int set_typed(qc_record *r, int field, qc__value v)
{
    v.set = 1;
    int rc = typed_text(r, r->def->fields[field].type, &v);
    if (rc == QC_OK) r->fields[field] = v;
    return rc;
}

QC_EXTERN int qc_record_dup(qc_record **out, const qc_record *src)
{
    if (out) *out = NULL;
    if (!out || !src) return qc__error(QC_EINVAL, "qc_record_dup: NULL argument");
    int rc = qc_record_new(out, src->kind);
    if (rc < 0) return rc;
    qc_record *r = *out;
    memcpy(r->fields, src->fields, sizeof r->fields);
    if (src->arena_len) {
        r->arena = malloc(src->arena_len);
        if (!r->arena) goto nomem;
        r->arena_owned = true;
        memcpy(r->arena, src->arena, src->arena_len);
        r->arena_len = r->arena_cap = src->arena_len;
    }
    if (src->nfacts) {
        r->facts = malloc(sizeof *r->facts * (size_t)src->nfacts);
        if (!r->facts) goto nomem;
        r->facts_owned = true;
        memcpy(r->facts, src->facts, sizeof *r->facts * (size_t)src->nfacts);
        r->nfacts = r->facts_cap = src->nfacts;
    }
    return QC_OK;
nomem:
    qc_record_free(r);
    *out = NULL;
    return qc__error(QC_ENOMEM, "out of memory");
}

/* For the readers: a field index of r's kind (else QC_EINVAL, so that an
 * unset field and a bad index can be told apart). */
static bool field_ok(const qc_record *r, int field, const char *fn)
{
    return qc__index_ok(r, field, r ? r->def->nfields : 0, fn);
}

static const qc__field_def *checked_field(const qc_record *r, int field, const char *fn)
{
    if (!r) {
        qc__error(QC_EINVAL, "%s: record is NULL", fn);
        return NULL;
    }
    if (field < 0 || field >= r->def->nfields) {
        qc__error(QC_EINVAL, "%s: %s has no field %d", fn, r->def->name, field);
        return NULL;
    }
    return &r->def->fields[field];
}

int qc__record_set_strn(qc_record *r, int field, const char *s, size_t n)
{
    const qc__field_def *f = &r->def->fields[field];
    size_t max = (f->flags & QC__F_ID) || f->ref ? QC_MAX_ID_BYTES : QC_MAX_TEXT_BYTES;
    if (n > max)
        return qc__error(QC_ETOOLONG, "%s.%s: %zu bytes, more than the limit of %zu",
                         r->def->name, f->name, n, max);
    if (qc__utf8_valid_prefix(s, n) != n)
        return qc__error(QC_EUTF8, "%s.%s: invalid UTF-8 at byte %zu", r->def->name, f->name,
                         qc__utf8_valid_prefix(s, n) + 1);
    if (memchr(s, '\0', n))
        return qc__error(QC_EUTF8, "%s.%s: NUL byte in text", r->def->name, f->name);
    uint32_t off;
    int rc = arena_add(r, s, n, &off);
    if (rc < 0) return rc;
    if ((f->flags & QC__F_TOKEN) && !qc__is_token(r->arena + off)) {
        /* s may have moved with the arena: quote the copy, then drop it */
        qc__error(QC_EVALUE, "%s.%s: '%.*s' is not a token (letters, digits, '_', '-', '.')", r->def->name,
                  f->name, (int)(n > 60 ? 60 : n), r->arena + off);
        r->arena_len = off;
        return QC_EVALUE;
    }
    r->fields[field] = (qc__value){.off = off, .len = (uint32_t)n, .set = 1};
    return QC_OK;
}

void qc__record_set_value_only(qc_record *r, int field, int64_t value)
{
    r->fields[field] = (qc__value){.i = value, .set = QC__VALUE_ONLY};
}

int qc__record_set_stored_int(qc_record *r, int field, int64_t v, bool values_only)
{
    if (!values_only) return qc_record_set_int(r, field, v);
    /* no text form: checked as far as reading it as a value needs */
    qc_type t = r->def->fields[field].type;
    int64_t day = t == QC_TYPE_DATETIME ? qc__day_of(v) : v;
    int rc = (t == QC_TYPE_DATE || t == QC_TYPE_DATETIME) && !qc__date_in_range(day) ? QC_EDATE
             : t == QC_TYPE_BOOL && v != 0 && v != 1                                 ? QC_ETYPE
                                                                                       : QC_OK;
    if (rc < 0)
        return qc__error(rc, "%s.%s: %lld is no %s", r->def->name, r->def->fields[field].name, (long long)v,
                         t == QC_TYPE_BOOL ? "bool" : "date in years 1900-2999");
    qc__record_set_value_only(r, field, v);
    return QC_OK;
}

int qc__record_set_trusted(qc_record *r, int field, const char *s, size_t n)
{
    uint32_t off;
    int rc = arena_add(r, s, n, &off);
    if (rc < 0) return rc;
    r->fields[field] = (qc__value){.off = off, .len = (uint32_t)n, .set = 1};
    return QC_OK;
}

/* Parse a whole string as a signed 64-bit decimal integer. */
static bool parse_int64(const char *s, int64_t *out)
{
    if (!*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || s[0] == ' ' || s[0] == '+') return false;
    *out = v;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    if (!*s || *s == ' ') return false;
    char *end;
    errno = 0;
    double v = qc__strtod(s, &end);
    if (errno || *end || !isfinite(v)) return false;
    /* strtod also takes hex floats, "inf" and "nan": only plain decimals. */
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789.-eE", *p)) return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, int64_t *out)
{
    static const char *const yes[] = {"true", "yes", "1", "y", "是"};
    static const char *const no[] = {"false", "no", "0", "n", "否"};
    for (size_t i = 0; i < QC__ARRAY_LEN(yes); i++) {
        if (!strcasecmp(s, yes[i])) { *out = 1; return true; }
        if (!strcasecmp(s, no[i])) { *out = 0; return true; }
    }
    return false;
}

QC_EXTERN int qc_record_set_text(qc_record *r, int field, const char *text)
{
    const qc__field_def *f = checked_field(r, field, "qc_record_set_text");
    if (!f) return QC_EINVAL;
    if (!text || !*text) {
        r->fields[field].set = 0;
        return QC_OK;
    }
    int64_t v;
    int rc;
    switch (f->type) {
    case QC_TYPE_TEXT:
        return qc__record_set_strn(r, field, text, strlen(text));
    case QC_TYPE_INT:
        if (!parse_int64(text, &v))
            return qc__error(QC_ETYPE, "%s.%s: '%.40s' is not an integer", r->def->name, f->name, text);
        break;
    case QC_TYPE_BOOL:
        if (!parse_bool(text, &v))
            return qc__error(QC_ETYPE, "%s.%s: '%.40s' is not true or false", r->def->name, f->name,
                             text);
        break;
    case QC_TYPE_DATE:
        if ((rc = qc_date_parse(&v, text)) < 0) {
            qc__error_prefix("%s.%s", r->def->name, f->name);
            return rc;
        }
        break;
    case QC_TYPE_DATETIME:
        if ((rc = qc_datetime_parse(&v, text)) < 0) {
            qc__error_prefix("%s.%s", r->def->name, f->name);
            return rc;
        }
        break;
    case QC_TYPE_DECIMAL: {
        double d;
        if (!parse_double(text, &d))
            return qc__error(QC_ETYPE, "%s.%s: '%.40s' is not a number", r->def->name, f->name, text);
        return set_typed(r, field, (qc__value){.d = d});
    }
    case QC_TYPE_ENUM:
        if (!(v = qc__enum_parse(r->kind, field, text))) {
            char allowed[200] = "";
            for (int i = 1; f->enum_names[i]; i++) {
                strncat(allowed, i > 1 ? ", " : "", sizeof allowed - strlen(allowed) - 1);
                strncat(allowed, f->enum_names[i], sizeof allowed - strlen(allowed) - 1);
            }
            return qc__error(QC_EVALUE, "%s.%s: '%.40s' is not one of %s", r->def->name, f->name,
                             text, allowed);
        }
        break;
    default:
        return qc__error(QC_EINVAL, "%s.%s: field has no text form", r->def->name, f->name);
    }
    return set_typed(r, field, (qc__value){.i = v});
}

QC_EXTERN int qc_record_set_int(qc_record *r, int field, int64_t value)
{
    const qc__field_def *f = checked_field(r, field, "qc_record_set_int");
    if (!f) return QC_EINVAL;
    switch (f->type) {
    case QC_TYPE_INT:
        break;
    case QC_TYPE_BOOL:
        if (value != 0 && value != 1)
            return qc__error(QC_ETYPE, "%s.%s: bool must be 0 or 1", r->def->name, f->name);
        break;
    case QC_TYPE_DATE:
    case QC_TYPE_DATETIME: {
        int64_t day = f->type == QC_TYPE_DATE ? value : qc__day_of(value);
        if (!qc__date_in_range(day))
            return qc__error(QC_EDATE, "%s.%s: %" PRId64 " is outside years 1900-2999", r->def->name,
                             f->name, value);
        break;
    }
    case QC_TYPE_ENUM:
        if (!qc__enum_name(r->kind, field, value))
            return qc__error(QC_EVALUE, "%s.%s: %" PRId64 " is not a valid value", r->def->name,
                             f->name, value);
        break;
    default:
        return qc__error(QC_ETYPE, "%s.%s: text field set as a number", r->def->name, f->name);
    }
    return set_typed(r, field, (qc__value){.i = value});
}

QC_EXTERN int qc_record_set_decimal(qc_record *r, int field, double value)
{
    const qc__field_def *f = checked_field(r, field, "qc_record_set_decimal");
    if (!f) return QC_EINVAL;
    if (f->type != QC_TYPE_DECIMAL)
        return qc__error(QC_ETYPE, "%s.%s: not a decimal field", r->def->name, f->name);
    if (!isfinite(value)) return qc__error(QC_ETYPE, "%s.%s: not a finite number", r->def->name, f->name);
    return set_typed(r, field, (qc__value){.d = value});
}

QC_EXTERN double qc_record_decimal(const qc_record *r, int field)
{
    if (!field_ok(r, field, __func__) || !r->fields[field].set) return 0.0;
    return r->def->fields[field].type == QC_TYPE_DECIMAL ? r->fields[field].d : 0.0;
}

QC_EXTERN int qc_record_unset(qc_record *r, int field)
{
    if (!checked_field(r, field, "qc_record_unset")) return QC_EINVAL;
    r->fields[field].set = 0;
    return QC_OK;
}

QC_EXTERN int qc_record_has(const qc_record *r, int field)
{
    return field_ok(r, field, __func__) && r->fields[field].set;
}

const char *qc__record_str(const qc_record *r, int field, size_t *len)
{
    const qc__value *v = &r->fields[field];
    if (!v->set) return NULL;
    if (len) *len = v->len;
    return r->arena + v->off;
}

QC_EXTERN const char *qc_record_text(const qc_record *r, int field)
{
    if (!field_ok(r, field, __func__) || !r->fields[field].set) return NULL;
    if (r->fields[field].set == QC__VALUE_ONLY) return NULL; /* an internal reader's record: no text form */
    if (r->def->fields[field].type == QC_TYPE_ENUM) return qc__enum_name(r->kind, field, r->fields[field].i);
    return r->arena + r->fields[field].off; /* the text, or the text form set with the value */
}

QC_EXTERN int64_t qc_record_int(const qc_record *r, int field)
{
    if (!field_ok(r, field, __func__) || !r->fields[field].set) return 0;
    qc_type t = r->def->fields[field].type;
    return t == QC_TYPE_TEXT || t == QC_TYPE_DECIMAL ? 0 : r->fields[field].i;
}

/* ---- facts ---- */

QC_EXTERN int qc_record_fact_find(const qc_record *r, const char *name)
{
    if (!r || !name) return -1;
    for (int i = 0; i < r->nfacts; i++)
        if (!strcmp(r->arena + r->facts[i].name_off, name)) return i;
    return -1;
}

/* Room in r->facts for one more fact, the array r's own. */
static int fact_room(qc_record *r)
{
    if (r->nfacts < r->facts_cap && r->facts_owned) return QC_OK;
    int cap = r->nfacts < r->facts_cap ? r->facts_cap : r->facts_cap ? r->facts_cap * 2 : 8;
    qc__fact *f = r->facts_owned ? realloc(r->facts, sizeof *f * (size_t)cap) : malloc(sizeof *f * (size_t)cap);
    if (!f) return qc__error(QC_ENOMEM, "out of memory");
    if (!r->facts_owned && r->nfacts) memcpy(f, r->facts, sizeof *f * (size_t)r->nfacts);
    r->facts = f;
    r->facts_cap = cap;
    r->facts_owned = true;
    return QC_OK;
}

/* Find or add the slot for a fact called name. */
static int fact_slot(qc_record *r, const char *name, qc__fact **out)
{
    if (!r || !name) return qc__error(QC_EINVAL, "fact: NULL argument");
    if (!r->def->has_facts) return qc__error(QC_EINVAL, "%s records have no facts", r->def->name);
    if (!qc__is_identifier(name) || strlen(name) > 64)
        return qc__error(QC_EUNKNOWN,
                         "case.facts: '%.64s' is not a fact name (letter or '_', then letters, digits, '_')",
                         name);
    int i = qc_record_fact_find(r, name);
    if (i >= 0 && !r->facts_owned) { /* own the facts before changing one */
        qc__fact *f = malloc(sizeof *f * (size_t)r->nfacts);
        if (!f) return qc__error(QC_ENOMEM, "out of memory");
        memcpy(f, r->facts, sizeof *f * (size_t)r->nfacts);
        r->facts = f;
        r->facts_cap = r->nfacts;
        r->facts_owned = true;
    }
    if (i < 0) {
        if (r->nfacts >= QC_MAX_FACTS)
            return qc__error(QC_ETOOLONG, "case.facts: more than %d facts", QC_MAX_FACTS);
        int rc = fact_room(r);
        if (rc < 0) return rc;
        uint32_t off;
        rc = arena_add(r, name, strlen(name), &off);
        if (rc < 0) return rc;
        i = r->nfacts++;
        r->facts[i] = (qc__fact){.name_off = off};
    }
    *out = &r->facts[i];
    return QC_OK;
}

/* Append a fact read back from a store: its name was checked, and the
 * facts of one case made unique, when it was written, so nothing is
 * validated or looked up here.  value: the text of a TEXT fact. */
int qc__record_add_fact_trusted(qc_record *r, const char *name, size_t name_len, qc_type type, int64_t i, double d,
                                const char *value, size_t value_len)
{
    if (r->nfacts >= QC_MAX_FACTS) return qc__error(QC_ETOOLONG, "case.facts: more than %d facts", QC_MAX_FACTS);
    int rc = fact_room(r);
    if (rc < 0) return rc;
    uint32_t name_off;
    qc__value v = type == QC_TYPE_DECIMAL ? (qc__value){.d = d, .set = 1} : (qc__value){.i = i, .set = 1};
    rc = arena_add(r, name, name_len, &name_off);
    if (rc == QC_OK && type == QC_TYPE_TEXT) {
        uint32_t off;
        if ((rc = arena_add(r, value, value_len, &off)) == QC_OK) v.off = off, v.len = (uint32_t)value_len;
    } else if (rc == QC_OK) {
        rc = typed_text(r, type, &v);
    }
    if (rc < 0) return rc;
    r->facts[r->nfacts++] = (qc__fact){.name_off = name_off, .type = type, .v = v};
    return QC_OK;
}

static int set_fact_number(qc_record *r, const char *name, qc_type type, int64_t i, double d)
{
    qc__fact *f;
    int rc = fact_slot(r, name, &f);
    if (rc < 0) return rc;
    qc__value v = type == QC_TYPE_DECIMAL ? (qc__value){.d = d, .set = 1} : (qc__value){.i = i, .set = 1};
    ptrdiff_t idx = f - r->facts;
    if ((rc = typed_text(r, type, &v)) < 0) return rc;
    r->facts[idx].type = type;
    r->facts[idx].v = v;
    return QC_OK;
}

QC_EXTERN int qc_record_set_fact_int(qc_record *r, const char *name, int64_t v)
{
    return set_fact_number(r, name, QC_TYPE_INT, v, (double)v);
}

QC_EXTERN int qc_record_set_fact_decimal(qc_record *r, const char *name, double v)
{
    if (!isfinite(v)) return qc__error(QC_ETYPE, "case.facts.%s: not a finite number", name ? name : "");
    return set_fact_number(r, name, QC_TYPE_DECIMAL, 0, v);
}

QC_EXTERN int qc_record_set_fact_bool(qc_record *r, const char *name, int v)
{
    return set_fact_number(r, name, QC_TYPE_BOOL, v ? 1 : 0, 0);
}

QC_EXTERN int qc_record_set_fact_date(qc_record *r, const char *name, int64_t days)
{
    if (!qc__date_in_range(days))
        return qc__error(QC_EDATE, "case.facts.%s: day %" PRId64 " is outside years 1900-2999",
                         name ? name : "", days);
    return set_fact_number(r, name, QC_TYPE_DATE, days, 0);
}

QC_EXTERN int qc_record_set_fact_text(qc_record *r, const char *name, const char *value)
{
    if (!value) return qc__error(QC_EINVAL, "qc_record_set_fact_text: value is NULL");
    size_t n = strlen(value);
    if (n > QC_MAX_TEXT_BYTES)
        return qc__error(QC_ETOOLONG, "case.facts.%s: %zu bytes, more than the limit of %d",
                         name ? name : "", n, QC_MAX_TEXT_BYTES);
    if (qc__utf8_valid_prefix(value, n) != n)
        return qc__error(QC_EUTF8, "case.facts.%s: invalid UTF-8 at byte %zu", name ? name : "",
                         qc__utf8_valid_prefix(value, n) + 1);
    /* a value taken from this record's own text moves if adding the name
     * grows it: hold it by offset across fact_slot */
    bool inside = r && r->arena && value >= r->arena && value < r->arena + r->arena_len;
    size_t value_off = inside ? (size_t)(value - r->arena) : 0;
    qc__fact *f;
    int rc = fact_slot(r, name, &f);
    if (rc < 0) return rc;
    ptrdiff_t idx = f - r->facts;
    if (inside) value = r->arena + value_off;
    uint32_t off;
    if ((rc = arena_add(r, value, n, &off)) < 0) return rc;
    r->facts[idx].type = QC_TYPE_TEXT;
    r->facts[idx].v = (qc__value){.off = off, .len = (uint32_t)n, .set = 1};
    return QC_OK;
}

/* Digits in the shape of an ISO date: YYYY-MM-DD. */
static bool looks_like_date(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9')) return false;
    return s[10] == '\0';
}

QC_EXTERN int qc_record_set_fact_parse(qc_record *r, const char *name, qc_type type,
                                       const char *text)
{
    if (!text) return qc__error(QC_EINVAL, "qc_record_set_fact_parse: text is NULL");
    int64_t i;
    double d;
    switch (type) {
    case QC_TYPE_NULL: /* infer */
        if (parse_int64(text, &i)) return qc_record_set_fact_int(r, name, i);
        if (parse_double(text, &d)) return qc_record_set_fact_decimal(r, name, d);
        if (!strcmp(text, "true") || !strcmp(text, "false"))
            return qc_record_set_fact_bool(r, name, text[0] == 't');
        /* YYYY-MM-DD is a date, or a mistake (2017-02-30): never text */
        if (looks_like_date(text)) {
            int rc = qc_date_parse(&i, text);
            if (rc < 0) {
                qc__error_prefix("case.facts.%s", name ? name : "");
                return rc;
            }
            return qc_record_set_fact_date(r, name, i);
        }
        return qc_record_set_fact_text(r, name, text);
    case QC_TYPE_TEXT:
        return qc_record_set_fact_text(r, name, text);
    case QC_TYPE_INT:
        if (!parse_int64(text, &i)) break;
        return qc_record_set_fact_int(r, name, i);
    case QC_TYPE_DECIMAL:
        if (!parse_double(text, &d)) break;
        return qc_record_set_fact_decimal(r, name, d);
    case QC_TYPE_BOOL:
        if (!parse_bool(text, &i)) break;
        return qc_record_set_fact_bool(r, name, (int)i);
    case QC_TYPE_DATE: {
        int rc = qc_date_parse(&i, text);
        if (rc < 0) {
            qc__error_prefix("case.facts.%s", name ? name : "");
            return rc;
        }
        return qc_record_set_fact_date(r, name, i);
    }
    default:
        return qc__error(QC_EINVAL, "case.facts.%s: facts cannot have type %d", name ? name : "",
                         (int)type);
    }
    static const char *const type_names[] = {"", "text", "an integer", "a decimal number",
                                             "true or false", "a date"};
    return qc__error(QC_ETYPE, "case.facts.%s: '%.40s' is not %s", name ? name : "", text,
                     type_names[type]);
}

QC_EXTERN int qc_record_fact_count(const qc_record *r) { return r ? r->nfacts : 0; }

static const qc__fact *fact_at(const qc_record *r, int i, const char *fn)
{
    return qc__index_ok(r, i, r ? r->nfacts : 0, fn) ? &r->facts[i] : NULL;
}

QC_EXTERN const char *qc_record_fact_name(const qc_record *r, int i)
{
    const qc__fact *f = fact_at(r, i, __func__);
    return f ? r->arena + f->name_off : NULL;
}

QC_EXTERN qc_type qc_record_fact_type(const qc_record *r, int i)
{
    const qc__fact *f = fact_at(r, i, __func__);
    return f ? f->type : QC_TYPE_NULL;
}

QC_EXTERN int64_t qc_record_fact_int(const qc_record *r, int i)
{
    const qc__fact *f = fact_at(r, i, __func__);
    if (!f || f->type == QC_TYPE_TEXT || f->type == QC_TYPE_DECIMAL) return 0;
    return f->v.i;
}

QC_EXTERN double qc_record_fact_decimal(const qc_record *r, int i)
{
    const qc__fact *f = fact_at(r, i, __func__);
    if (!f) return 0.0;
    if (f->type == QC_TYPE_DECIMAL) return f->v.d;
    if (f->type == QC_TYPE_INT) return (double)f->v.i;
    return 0.0;
}

QC_EXTERN const char *qc_record_fact_text(const qc_record *r, int i)
{
    const qc__fact *f = fact_at(r, i, __func__);
    return f ? r->arena + f->v.off : NULL; /* the text, or the text form set with the value */
}

/* ---- validation across fields ---- */

int qc__record_validate(const qc_record *r)
{
    const qc__kind_def *k = r->def;
    for (int i = 0; i < k->nfields; i++)
        if ((k->fields[i].flags & QC__F_REQUIRED) && !r->fields[i].set)
            return qc__error(QC_EMISSING, "%s.%s: required field is missing", k->name,
                             k->fields[i].name);
    /* Periods must not end before they start. */
    int from, to;
    switch (r->kind) {
    case QC_KIND_CASE: from = QC_CASE_REGISTERED, to = QC_CASE_CLOSED; break;
    case QC_KIND_PERSON: from = QC_PERSON_VALID_FROM, to = QC_PERSON_VALID_TO; break;
    case QC_KIND_POST: from = QC_POST_VALID_FROM, to = QC_POST_VALID_TO; break;
    default: return QC_OK; /* no period */
    }
    if (r->fields[from].set && r->fields[to].set && r->fields[to].i < r->fields[from].i)
        return qc__error(QC_EDATE, "%s.%s: %s is before %s %s", k->name, k->fields[to].name,
                         qc_record_text(r, to), k->fields[from].name, qc_record_text(r, from));
    return QC_OK;
}

int qc__record_difference(const qc_record *a, const qc_record *b, int *fact)
{
    *fact = -1;
    for (int i = 0; i < a->def->nfields; i++) {
        const char *ta = a->fields[i].set ? qc_record_text(a, i) : "", *tb = b->fields[i].set ? qc_record_text(b, i) : "";
        if (strcmp(ta ? ta : "", tb ? tb : "")) return i;
    }
    /* facts by name, whatever their order */
    for (int i = 0; i < a->nfacts; i++) {
        int j = qc_record_fact_find(b, a->arena + a->facts[i].name_off);
        if (j < 0 || qc_record_fact_type(a, i) != qc_record_fact_type(b, j) ||
            strcmp(qc_record_fact_text(a, i), qc_record_fact_text(b, j))) {
            *fact = i;
            return QC_MAX_FIELDS;
        }
    }
    if (a->nfacts != b->nfacts) { /* b has a fact a lacks */
        for (int j = 0; j < b->nfacts; j++)
            if (qc_record_fact_find(a, b->arena + b->facts[j].name_off) < 0) {
                *fact = -2 - j;
                return QC_MAX_FIELDS;
            }
    }
    return -1;
}

/* Copy src into dst (same kind), reusing dst's memory: for backends that
 * keep records and hand out copies. */
int qc__record_copy_into(qc_record *dst, const qc_record *src)
{
    if (dst->kind != src->kind) return qc__error(QC_EINVAL, "record kinds differ");
    if (dst->arena_cap < src->arena_len || !dst->arena_owned) {
        char *a = dst->arena_owned ? realloc(dst->arena, src->arena_len) : malloc(src->arena_len + 1);
        if (!a) return qc__error(QC_ENOMEM, "out of memory");
        dst->arena = a;
        dst->arena_cap = src->arena_len;
        dst->arena_owned = true;
    }
    if (dst->facts_cap < src->nfacts || !dst->facts_owned) {
        qc__fact *f = dst->facts_owned ? realloc(dst->facts, sizeof *f * (size_t)src->nfacts)
                                       : malloc(sizeof *f * (size_t)src->nfacts + 1);
        if (!f) return qc__error(QC_ENOMEM, "out of memory");
        dst->facts = f;
        dst->facts_cap = src->nfacts;
        dst->facts_owned = true;
    }
    if (src->arena_len) memcpy(dst->arena, src->arena, src->arena_len);
    if (src->nfacts) memcpy(dst->facts, src->facts, sizeof *src->facts * (size_t)src->nfacts);
    memcpy(dst->fields, src->fields, sizeof dst->fields);
    dst->arena_len = src->arena_len;
    dst->nfacts = src->nfacts;
    return QC_OK;
}

size_t qc__record_packed_size(const qc_record *src)
{
    return sizeof *src + sizeof *src->facts * (size_t)src->nfacts + src->arena_len;
}

qc_record *qc__record_pack_into(void *mem, const qc_record *src)
{
    size_t facts_bytes = sizeof *src->facts * (size_t)src->nfacts;
    /* facts first: they need the struct's alignment, the text none */
    qc_record *r = mem;
    *r = (qc_record){.kind = src->kind, .def = src->def, .nfacts = src->nfacts, .facts_cap = src->nfacts,
                     .arena_len = src->arena_len, .arena_cap = src->arena_len};
    memcpy(r->fields, src->fields, sizeof r->fields);
    r->facts = (qc__fact *)(r + 1);
    r->arena = (char *)(r + 1) + facts_bytes;
    if (facts_bytes) memcpy(r->facts, src->facts, facts_bytes);
    if (src->arena_len) memcpy(r->arena, src->arena, src->arena_len);
    return r;
}
