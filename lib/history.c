/*
 * history.c - records that change, with the history kept.
 *
 * Every write leaves a revision (QC_KIND_REVISION) in the same transaction:
 * an insert, an amendment (the new version and the one it replaced) or a
 * withdrawal (the version withdrawn), with the actor, the store's clock and
 * a reason.  The current tables hold what is true now; the revisions hold
 * how it came to be, so that
 *   - qc_store_history() lists every version of one record, and
 *   - qc_store_open_as_of() rebuilds the store as it was recorded at a
 *     moment, by replaying every revision recorded up to then in the order
 *     written (so each record stands where it was stored).
 * Versions are kept as canonical text (qc_record_encode), one "field=value"
 * line per set field in schema order, then one "fact.NAME:TYPE=value" line
 * per fact in order, values in one form per type, so that the same record
 * reads the same from every backend.  docs/data-model.md describes the
 * model.
 */
#include "config.h"

#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* ---- canonical text ---- */

typedef qc__textbuf textbuf;

static void tb_add(textbuf *b, const char *s, size_t n)
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

static void tb_str(textbuf *b, const char *s) { tb_add(b, s, strlen(s)); }

/* A value, with backslash and newline escaped so that a line is a value. */
static void tb_escaped(textbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        if (*s != '\\' && *s != '\n') continue;
        tb_add(b, run, (size_t)(s - run));
        tb_str(b, *s == '\\' ? "\\\\" : "\\n");
        run = s + 1;
    }
    tb_add(b, run, (size_t)(s - run));
}

/* The shortest decimal text that reads back as d; an exponent without
 * its '+' (1e308, not 1e+308), the form every reader here takes. */
static void decimal_text(char *buf, size_t size, double d)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, d);
        if (strtod(buf, NULL) == d) break;
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
    tb_add(b, "", 0);
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

/* ---- the actor ---- */

QC_EXTERN int qc_store_set_actor(qc_store *s, const char *actor)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_actor: store is NULL");
    if (actor && strlen(actor) > QC_MAX_ID_BYTES)
        return qc__error(QC_ETOOLONG, "qc_store_set_actor: more than %d bytes", QC_MAX_ID_BYTES);
    if (actor && qc__utf8_valid_prefix(actor, strlen(actor)) != strlen(actor))
        return qc__error(QC_EUTF8, "qc_store_set_actor: invalid UTF-8");
    char *copy = actor && *actor ? strdup(actor) : NULL;
    if (actor && *actor && !copy) return qc__error(QC_ENOMEM, "out of memory");
    free(s->actor);
    s->actor = copy;
    return QC_OK;
}

/* The actor set, else the login name of the process's user. */
QC_EXTERN const char *qc_store_actor(qc_store *s)
{
    if (!s) return NULL;
    if (!s->actor) {
        char buf[1024], name[64];
        struct passwd pw, *found = NULL;
        if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &found) != 0 || !found)
            snprintf(name, sizeof name, "uid %lu", (unsigned long)geteuid());
        else
            snprintf(name, sizeof name, "%s", found->pw_name);
        s->actor = strdup(name);
    }
    return s->actor;
}

QC_EXTERN int qc_store_set_import_update(qc_store *s, int update)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_import_update: store is NULL");
    s->import_update = update != 0;
    return QC_OK;
}

QC_EXTERN int64_t qc_store_import_updated(const qc_store *s) { return s ? s->import_updated : 0; }

/* ---- writing revisions ---- */

/* Append the revision of one write: op on the record now (NULL for a
 * withdrawal) that was prior (NULL for an insert).  A backend older than
 * version 4 keeps no history: nothing is written. */
static int history_write_at(qc_store *s, qc_revision_op op, const qc_record *now, const qc_record *prior,
                            const char *reason, int64_t recorded)
{
    int rc;
    if (!s->revision && (rc = qc_record_new(&s->revision, QC_KIND_REVISION)) < 0) return rc;
    qc_record *rev = s->revision;
    const qc_record *which = now ? now : prior;
    const char *kind = which->def->name, *actor = qc_store_actor(s);
    size_t idlen;
    const char *id = qc__record_str(which, QC_FIELD_ID, &idlen);
    qc_record_clear(rev);
    textbuf *b = &s->encoded;
    rc = qc__record_set_trusted(rev, QC_REVISION_KIND, kind, strlen(kind));
    if (rc == QC_OK && id && idlen) rc = qc__record_set_trusted(rev, QC_REVISION_RECORD, id, idlen);
    if (rc == QC_OK) rc = qc_record_set_int(rev, QC_REVISION_OP, op);
    if (rc == QC_OK && now && (rc = encode(now, b)) == QC_OK)
        rc = qc__record_set_trusted(rev, QC_REVISION_BODY, b->p, b->len);
    if (rc == QC_OK && prior && (rc = encode(prior, b)) == QC_OK)
        rc = qc__record_set_trusted(rev, QC_REVISION_PRIOR, b->p, b->len);
    if (rc == QC_OK && actor) rc = qc__record_set_trusted(rev, QC_REVISION_ACTOR, actor, strlen(actor));
    if (rc == QC_OK) rc = qc_record_set_int(rev, QC_REVISION_RECORDED, recorded);
    if (rc == QC_OK && reason && *reason) rc = qc__record_set_trusted(rev, QC_REVISION_REASON, reason, strlen(reason));
    return rc < 0 ? rc : qc__journal_append(s, rev);
}

int qc__history_write(qc_store *s, qc_revision_op op, const qc_record *now, const qc_record *prior,
                      const char *reason)
{
    if (!qc__be_keeps_history(s)) return QC_OK;
    return history_write_at(s, op, now, prior, reason, qc__store_now(s));
}

void qc__history_free(qc_store *s)
{
    qc_record_free(s->revision);
    free(s->encoded.p);
    qc__journal_free(s);
}

static int check_reason(const char *reason, const char *fn)
{
    if (!reason || !*reason) return qc__error(QC_EMISSING, "%s: a reason is required", fn);
    if (strlen(reason) > QC_MAX_TEXT_BYTES) return qc__error(QC_ETOOLONG, "%s: reason longer than %d bytes", fn, QC_MAX_TEXT_BYTES);
    if (qc__utf8_valid_prefix(reason, strlen(reason)) != strlen(reason))
        return qc__error(QC_EUTF8, "%s: reason is not valid UTF-8", fn);
    return QC_OK;
}

/* Run step inside the caller's transaction, or one of its own (which a
 * store read as of a past time refuses: it is never in one). */
int qc__in_transaction(qc_store *s, int (*step)(qc_store *, void *), void *arg)
{
    if (s->in_txn) return step(s, arg);
    int rc = qc_store_begin(s);
    if (rc < 0) return rc;
    if ((rc = step(s, arg)) < 0) return qc__store_abort(s);
    return qc_store_commit(s);
}

/* ---- amend ---- */

/* A case's new dates must still hold every act recorded on it. */
static int check_case_acts(qc_store *s, const qc_record *kase)
{
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *act;
    int rc = qc_filter_new(&f);
    if (rc < 0) return rc;
    int64_t from = qc_record_int(kase, QC_CASE_REGISTERED);
    int64_t to = qc_record_has(kase, QC_CASE_CLOSED) ? qc_record_int(kase, QC_CASE_CLOSED) : INT64_MAX;
    if ((rc = qc_filter_set_case(f, qc_record_text(kase, QC_CASE_ID))) == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_ACT, f);
    while (rc == QC_OK && (rc = qc_iter_next(&act, it)) == QC_OK) {
        int64_t day = qc__day_of(qc_record_int(act, QC_ACT_TIME));
        if (day < from || day > to) {
            const char *aid = qc_record_text(act, QC_ACT_ID);
            rc = qc__error(QC_EDATE, "case.%s: case %s would %s its act%s%s of %s", day < from ? "registered" : "closed",
                           qc_record_text(kase, QC_CASE_ID), day < from ? "be registered after" : "be closed before",
                           aid ? " " : "", aid ? aid : "", qc_record_text(act, QC_ACT_TIME));
        }
    }
    qc_iter_free(it);
    qc_filter_free(f);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* A department moved to another office would leave the cases, people and
 * posts naming it in an office it no longer belongs to. */
static int check_department_users(qc_store *s, const qc_record *dept)
{
    static const struct { qc_kind kind; int dept, office; } users[] = {
        {QC_KIND_CASE, QC_CASE_DEPARTMENT, QC_CASE_OFFICE},
        {QC_KIND_PERSON, QC_PERSON_DEPARTMENT, QC_PERSON_OFFICE},
        {QC_KIND_POST, QC_POST_DEPARTMENT, QC_POST_OFFICE},
    };
    const char *id = qc_record_text(dept, QC_DEPARTMENT_ID), *office = qc_record_text(dept, QC_DEPARTMENT_OFFICE);
    int rc = QC_OK;
    for (size_t u = 0; rc == QC_OK && u < QC__ARRAY_LEN(users); u++) {
        qc_iter *it;
        const qc_record *r;
        if ((rc = qc_iter_new(&it, s, users[u].kind, NULL)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK) {
            const char *d = qc_record_text(r, users[u].dept), *o = qc_record_text(r, users[u].office);
            if (d && !strcmp(d, id) && strcmp(o, office)) {
                rc = qc__error(QC_ENOREF, "department.office: %s %s of office %s names department %s",
                               qc_kind_name(users[u].kind), qc_record_text(r, 0), o, id);
                break;
            }
        }
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    return rc;
}

typedef struct amend_args {
    const qc_record *record;
    const char *reason;
} amend_args;

static int amend_step(qc_store *s, void *arg)
{
    amend_args *a = arg;
    const qc_record *r = a->record;
    const char *id = qc_record_text(r, QC_FIELD_ID);
    qc_record *prior;
    int rc = qc_store_get(&prior, s, r->kind, id), bad_field;
    if (rc < 0) return rc;
    int fact;
    if (qc__record_difference(r, prior, &fact) < 0) { /* nothing to change: no revision */
        qc_record_free(prior);
        return QC_OK;
    }
    if ((rc = qc__store_check(s, r, NULL, &bad_field)) == QC_OK && r->kind == QC_KIND_CASE)
        rc = check_case_acts(s, r);
    if (rc == QC_OK && r->kind == QC_KIND_DEPARTMENT &&
        strcmp(qc_record_text(r, QC_DEPARTMENT_OFFICE), qc_record_text(prior, QC_DEPARTMENT_OFFICE)))
        rc = check_department_users(s, r);
    qc__store_forget_refs(s); /* a case's dates, a department's office: what was checked may change */
    if (rc == QC_OK && (rc = qc__be_replace(s, r)) == QC_ENOTFOUND)
        rc = qc__error(QC_ENOTFOUND, "no %s with id '%s'", r->def->name, id);
    if (rc == QC_OK) rc = qc__history_write(s, QC_OP_AMEND, r, prior, a->reason);
    qc_record_free(prior);
    return rc;
}

int qc__store_amend_here(qc_store *s, const qc_record *r, const char *reason)
{
    amend_args a = {r, reason};
    return amend_step(s, &a);
}

QC_EXTERN int qc_store_amend(qc_store *s, const qc_record *r, const char *reason)
{
    if (!s || !r) return qc__error(QC_EINVAL, "qc_store_amend: NULL argument");
    int rc;
    if ((rc = check_reason(reason, "qc_store_amend")) < 0) return rc;
    if (r->kind == QC_KIND_REVISION) return qc__error(QC_EINVAL, "qc_store_amend: the history cannot be amended");
    const char *id = qc_record_text(r, QC_FIELD_ID);
    if (!id || !*id)
        return qc__error(QC_EMISSING, "%s.id: only a record with an id can be amended (withdraw one without, and "
                         "put it again)", r->def->name);
    amend_args a = {r, reason};
    return qc__in_transaction(s, amend_step, &a);
}

/* ---- withdraw ---- */

/* The first stored record that names r (every field of every kind that
 * refers to r's kind is looked at): QC_EEXIST with it described in what,
 * or QC_OK if none. */
static int referrer(qc_store *s, const qc_record *r, char *what, size_t size)
{
    const char *id = qc_record_text(r, QC_FIELD_ID);
    if (!id || !*id) return QC_OK; /* nothing can name a record without an id */
    QC__FOR_EACH_RECORD_KIND(k)
        for (int f = 1; f < qc_field_count((qc_kind)k); f++) {
            if (qc_field_ref((qc_kind)k, f) != r->kind || !qc__be_knows_kind(s, (qc_kind)k)) continue;
            qc_iter *it;
            const qc_record *other;
            int rc = qc_iter_new(&it, s, (qc_kind)k, NULL);
            while (rc == QC_OK && (rc = qc_iter_next(&other, it)) == QC_OK) {
                const char *v = qc_record_text(other, f);
                if (v && !strcmp(v, id)) {
                    const char *oid = qc_record_text(other, QC_FIELD_ID);
                    snprintf(what, size, "%s%s%s", qc_kind_name((qc_kind)k), oid ? " " : "", oid ? oid : "");
                    rc = QC_EEXIST;
                }
            }
            qc_iter_free(it);
            if (rc != QC_ITEROVER) return rc;
        }
    return QC_OK;
}

typedef struct withdraw_args {
    const qc_record *record;
    const char *reason;
} withdraw_args;

static int withdraw_step(qc_store *s, void *arg)
{
    withdraw_args *a = arg;
    const qc_record *r = a->record;
    const char *id = qc_record_text(r, QC_FIELD_ID);
    qc_record *stored = NULL;
    int rc;
    if (id && *id && (rc = qc_store_get(&stored, s, r->kind, id)) < 0) return rc;
    char what[QC_MAX_ID_BYTES + 32];
    if ((rc = referrer(s, stored ? stored : r, what, sizeof what)) == QC_EEXIST)
        rc = qc__error(QC_ENOREF, "%s %s cannot be withdrawn: %s names it (withdraw that first)", r->def->name, id, what);
    qc__store_forget_refs(s); /* what was checked to exist may go */
    if (rc == QC_OK && (rc = qc__be_remove(s, stored ? stored : r)) == QC_ENOTFOUND)
        rc = qc__error(QC_ENOTFOUND, "no such %s is stored", r->def->name);
    if (rc == QC_OK) rc = qc__history_write(s, QC_OP_WITHDRAW, NULL, stored ? stored : r, a->reason);
    qc_record_free(stored);
    return rc;
}

QC_EXTERN int qc_store_withdraw_record(qc_store *s, const qc_record *r, const char *reason)
{
    if (!s || !r) return qc__error(QC_EINVAL, "qc_store_withdraw_record: NULL argument");
    int rc;
    if ((rc = check_reason(reason, "qc_store_withdraw")) < 0) return rc;
    if (r->kind == QC_KIND_REVISION) return qc__error(QC_EINVAL, "qc_store_withdraw: the history cannot be withdrawn");
    withdraw_args a = {r, reason};
    return qc__in_transaction(s, withdraw_step, &a);
}

QC_EXTERN int qc_store_withdraw(qc_store *s, qc_kind kind, const char *id, const char *reason)
{
    if (!s || !id) return qc__error(QC_EINVAL, "qc_store_withdraw: NULL argument");
    qc_record *r;
    int rc = qc_record_new(&r, kind);
    if (rc < 0) return rc;
    if ((rc = qc_record_set_text(r, QC_FIELD_ID, id)) == QC_OK) rc = qc_store_withdraw_record(s, r, reason);
    qc_record_free(r);
    return rc;
}

/* ---- reading the history ---- */

QC_EXTERN int qc_store_history(qc_iter **out, qc_store *s, qc_kind kind, const char *id)
{
    if (out) *out = NULL;
    if (!out || !s || !id || !qc_kind_name(kind) || kind == QC_KIND_REVISION)
        return qc__error(QC_EINVAL, "qc_store_history: NULL argument or invalid kind");
    return qc__iter_new_history(out, s, qc_kind_name(kind), id);
}

/* Apply one revision to m, as it was applied when it was written. */
static int replay_one(qc_store *m, const qc_record *rev, qc_record **scratch)
{
    qc_kind kind = qc_kind_lookup(qc_record_text(rev, QC_REVISION_KIND));
    qc_revision_op op = (qc_revision_op)qc_record_int(rev, QC_REVISION_OP);
    if (op == QC_OP_BEGIN) return QC_OK; /* the journal's own entry: no record */
    const char *text = qc_record_text(rev, op == QC_OP_WITHDRAW ? QC_REVISION_PRIOR : QC_REVISION_BODY);
    int rc;
    if (!kind || kind == QC_KIND_REVISION || !text)
        return qc__error(QC_ESCHEMA, "a revision of kind '%s' without the version it wrote",
                         qc_record_text(rev, QC_REVISION_KIND) ? qc_record_text(rev, QC_REVISION_KIND) : "");
    if (!*scratch || (*scratch)->kind != kind) {
        qc_record_free(*scratch);
        *scratch = NULL;
        if ((rc = qc_record_new(scratch, kind)) < 0) return rc;
    }
    if ((rc = qc_record_decode(*scratch, text)) < 0) return rc;
    switch (op) {
    case QC_OP_INSERT: return qc__be_put(m, *scratch);
    case QC_OP_AMEND: return qc__be_replace(m, *scratch);
    case QC_OP_WITHDRAW: return qc__be_remove(m, *scratch);
    case QC_OP_BEGIN: break;
    }
    return qc__error(QC_ESCHEMA, "a revision with an unknown operation %d", (int)op);
}

/* Whether s holds any record of kind: one step of an iteration. */
static int stores_any(qc_store *s, qc_kind kind, bool *out)
{
    qc_iter *it;
    const qc_record *r;
    int rc = qc_iter_new(&it, s, kind, NULL);
    if (rc < 0) return rc;
    rc = qc_iter_next(&r, it);
    qc_iter_free(it);
    *out = rc == QC_OK;
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* An insert revision, recorded at 0 (before any time) by "(before the
 * history)", for every record s holds: the history of a store of an older
 * schema.  Inside the caller's transaction. */
int qc__history_backfill(qc_store *s)
{
    qc_iter *it;
    const qc_record *r;
    int64_t clock = s->clock_now;
    char *actor = s->actor;
    int rc = QC_OK;
    s->clock_now = 0; /* 0 is "the system clock" to the store; here it is the time before any */
    s->actor = (char *)"(before the history)";
    QC__FOR_EACH_RECORD_KIND(k) {
        if (rc < 0 || (!qc__be_knows_kind(s, (qc_kind)k))) continue;
        if ((rc = qc_iter_new(&it, s, (qc_kind)k, NULL)) < 0) break;
        while ((rc = qc_iter_next(&r, it)) == QC_OK && (rc = history_write_at(s, QC_OP_INSERT, r, NULL, NULL, 0)) == QC_OK) {}
        qc_iter_free(it);
        if (rc == QC_ITEROVER) rc = QC_OK;
    }
    s->clock_now = clock;
    s->actor = actor;
    return rc;
}

/* Whether s holds any record (everything names an office). */
int qc__store_holds_records(qc_store *s, bool *out) { return stores_any(s, QC_KIND_OFFICE, out); }

/* The history begins with the store.  A version-4 backend's store of an
 * older schema (records, no history) gets it backfilled on the first open
 * that keeps history; from version 5 the journal does this, and only for
 * a store a migration marked (qc__journal_open). */
int qc__history_begin(qc_store *s)
{
    if (!qc__be_keeps_history(s) || s->as_of) return QC_OK;
    if (qc__be_keeps_journal(s)) return qc__journal_open(s);
    bool has_history, has_records;
    int rc = stores_any(s, QC_KIND_REVISION, &has_history);
    if (rc == QC_OK) rc = stores_any(s, QC_KIND_OFFICE, &has_records);
    if (rc < 0 || has_history || !has_records) return rc;
    if ((rc = qc_store_begin(s)) < 0) return rc;
    return (rc = qc__history_backfill(s)) < 0 ? qc__store_abort(s) : qc_store_commit(s);
}

QC_EXTERN int qc_store_open_as_of(qc_store **out, qc_store *s, int64_t when)
{
    if (out) *out = NULL;
    if (!out || !s) return qc__error(QC_EINVAL, "qc_store_open_as_of: NULL argument");
    if (!qc__be_keeps_history(s))
        return qc__error(QC_EUNSUPPORTED, "the %s backend keeps no history", s->backend->name);
    qc_store *m = NULL;
    qc_record *scratch = NULL;
    qc_iter *it = NULL;
    const qc_record *rev;
    int64_t n = 0;
    /* the history in the order written, up to when, replayed into memory:
     * each record where it was inserted, as it was then */
    int rc = qc_store_open_backend(&m, &qc__backend_memory, "");
    if (rc == QC_OK) rc = qc__be_begin(m);
    if (rc == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_REVISION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        n++;
        if (qc_record_int(rev, QC_REVISION_RECORDED) > when) continue;
        if ((rc = replay_one(m, rev, &scratch)) == QC_OK) rc = qc__be_put(m, rev);
        else qc__error_prefix("revision %lld of the history", (long long)n);
    }
    qc_iter_free(it);
    qc_record_free(scratch);
    if (rc == QC_ITEROVER) rc = qc__be_commit(m);
    if (rc < 0) {
        qc_store_free(m);
        return rc;
    }
    m->as_of = true;
    m->threads = s->threads;
    *out = m;
    return QC_OK;
}
