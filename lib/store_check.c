/* SPDX-License-Identifier: MIT
 * store_check.c - what a write must agree with in the store, beyond its
 * own fields and the existence of what it names (store.c): an act falls
 * within its case's life and not in the future, a department belongs to
 * the office of the case, person or post that names it, and one person's
 * posts in one office do not overlap.  Each failure names the field it is
 * about, so an import can point at file:line:column.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

int64_t qc__store_now(const qc_store *s)
{
    return s->clock_now ? s->clock_now : (int64_t)time(NULL);
}

QC_EXTERN int qc_store_set_clock(qc_store *s, int64_t now)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_clock: store is NULL");
    if (now < 0) return qc__error(QC_EINVAL, "qc_store_set_clock: %lld is before 1970", (long long)now);
    s->clock_now = now;
    return QC_OK;
}

QC_EXTERN int qc_store_set_future_skew(qc_store *s, int64_t seconds)
{
    if (!s) return qc__error(QC_EINVAL, "qc_store_set_future_skew: store is NULL");
    if (seconds < 0) return qc__error(QC_EINVAL, "qc_store_set_future_skew: negative (%lld)", (long long)seconds);
    s->future_skew = seconds;
    return QC_OK;
}

/* Read kind's record id into the store's scratch record of that kind
 * (valid until the next read of that kind): QC_ENOTFOUND if none. */
static int read_scratch(qc_store *s, qc_kind kind, const char *id, const qc_record **out)
{
    *out = NULL;
    if (!s->scratch[kind]) {
        int rc = qc_record_new(&s->scratch[kind], kind);
        if (rc < 0) return rc;
    }
    int rc = qc__be_get(s, kind, id, s->scratch[kind]);
    if (rc == QC_OK) *out = s->scratch[kind];
    return rc;
}

/* The same for a record checked to exist. */
static int fetch(qc_store *s, qc_kind kind, const char *id, const qc_record **out)
{
    int rc = read_scratch(s, kind, id, out);
    if (rc == QC_ENOTFOUND) /* checked to exist a moment ago: a backend that lost it */
        return qc__error(QC_EBACKEND, "%s '%s' exists but cannot be read", qc_kind_name(kind), id);
    return rc;
}

/* The office of department id, through the cache of the last one read. */
static int department_office(qc_store *s, qc__ref_cache *cache, const char *id, char *office)
{
    if (cache && cache->dept_id[0] && !strcmp(cache->dept_id, id)) {
        strcpy(office, cache->dept_office);
        return QC_OK;
    }
    const qc_record *d;
    int rc = fetch(s, QC_KIND_DEPARTMENT, id, &d);
    if (rc < 0) return rc;
    snprintf(office, QC_MAX_ID_BYTES + 1, "%s", qc_record_text(d, QC_DEPARTMENT_OFFICE));
    if (cache) {
        strcpy(cache->dept_id, id);
        strcpy(cache->dept_office, office);
    }
    return QC_OK;
}

static int check_department(qc_store *s, const qc_record *r, qc__ref_cache *cache, int dept_field, int office_field,
                            int *bad_field)
{
    const char *dept = qc_record_text(r, dept_field), *office = qc_record_text(r, office_field);
    if (!dept || !office) return QC_OK;
    char owner[QC_MAX_ID_BYTES + 1];
    int rc = department_office(s, cache, dept, owner);
    if (rc < 0) return rc;
    if (!strcmp(owner, office)) return QC_OK;
    *bad_field = dept_field;
    const qc__kind_def *k = r->def;
    return qc__error(QC_ENOREF, "%s.%s: department '%s' belongs to office '%s', not to its office '%s'", k->name,
                     k->fields[dept_field].name, dept, owner, office);
}

/* An act dated before its case was registered, after it was closed, or
 * later than now (plus the skew) cannot be right. */
static int check_act(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field)
{
    const char *kase = qc_record_text(r, QC_ACT_CASE);
    int64_t t = qc_record_int(r, QC_ACT_TIME), day = qc__day_of(t);
    int64_t registered, closed;
    if (cache && cache->case_id[0] && !strcmp(cache->case_id, kase)) {
        registered = cache->case_registered;
        closed = cache->case_closed;
    } else {
        const qc_record *c;
        int rc = fetch(s, QC_KIND_CASE, kase, &c);
        if (rc < 0) return rc;
        registered = qc_record_int(c, QC_CASE_REGISTERED);
        closed = qc_record_has(c, QC_CASE_CLOSED) ? qc_record_int(c, QC_CASE_CLOSED) : INT64_MAX;
        if (cache) {
            strcpy(cache->case_id, kase);
            cache->case_registered = registered;
            cache->case_closed = closed;
        }
    }
    char when[32], bound[32];
    *bad_field = QC_ACT_TIME;
    if (day < registered) {
        qc_date_format(bound, sizeof bound, registered);
        return qc__error(QC_EDATE, "act.time: %s is before case %s was registered (%s)",
                         qc_record_text(r, QC_ACT_TIME), kase, bound);
    }
    if (day > closed) {
        qc_date_format(bound, sizeof bound, closed);
        return qc__error(QC_EDATE, "act.time: %s is after case %s was closed (%s)", qc_record_text(r, QC_ACT_TIME),
                         kase, bound);
    }
    int64_t now = qc__store_now(s);
    if (t > now + s->future_skew) {
        qc_datetime_format(when, sizeof when, now);
        return qc__error(QC_EDATE, "act.time: %s is in the future (now is %s UTC)", qc_record_text(r, QC_ACT_TIME),
                         when);
    }
    *bad_field = -1;
    return QC_OK;
}

/* [from, to] of a post or person record; open ends as far as they go. */
static void validity(const qc_record *r, int from_field, int to_field, int64_t *from, int64_t *to)
{
    *from = qc_record_has(r, from_field) ? qc_record_int(r, from_field) : INT64_MIN;
    *to = qc_record_has(r, to_field) ? qc_record_int(r, to_field) : INT64_MAX;
}

static int overlap_error(const qc_record *r, const char *person, const char *office, const char *other)
{
    return qc__error(QC_EDATE, "post.valid_from: %s's post from %s overlaps %s in office %s (end it with valid_to first)",
                     person, qc_record_text(r, QC_POST_VALID_FROM), other, office);
}

/* One person's posts in one office follow each other; posts in different
 * offices may run side by side (a chief who also heads another office). */
static int check_post(qc_store *s, const qc_record *r, int *bad_field)
{
    const char *person = qc_record_text(r, QC_POST_PERSON), *office = qc_record_text(r, QC_POST_OFFICE);
    const qc_record *p;
    int rc = fetch(s, QC_KIND_PERSON, person, &p);
    if (rc < 0) return rc;
    int64_t from, to, pf, pt;
    validity(r, QC_POST_VALID_FROM, QC_POST_VALID_TO, &from, &to);
    *bad_field = QC_POST_VALID_FROM;
    validity(p, QC_PERSON_VALID_FROM, QC_PERSON_VALID_TO, &pf, &pt);
    if (!strcmp(qc_record_text(p, QC_PERSON_OFFICE), office) && from <= pt && pf <= to)
        return overlap_error(r, person, office, "the post of the person record");
    qc_filter *f;
    qc_iter *it = NULL;
    const qc_record *other;
    if ((rc = qc_filter_new(&f)) < 0) return rc;
    if ((rc = qc_filter_set_person(f, person)) == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_POST, f);
    while (rc == QC_OK && (rc = qc_iter_next(&other, it)) == QC_OK) {
        if (!strcmp(qc_record_text(other, QC_POST_ID), qc_record_text(r, QC_POST_ID))) continue; /* itself, again */
        const char *o = qc_record_text(other, QC_POST_OFFICE);
        validity(other, QC_POST_VALID_FROM, QC_POST_VALID_TO, &pf, &pt);
        if (!strcmp(o, office) && from <= pt && pf <= to) {
            char what[QC_MAX_ID_BYTES + 16];
            snprintf(what, sizeof what, "post '%s'", qc_record_text(other, QC_POST_ID));
            rc = overlap_error(r, person, office, what);
        }
    }
    qc_iter_free(it);
    qc_filter_free(f);
    if (rc == QC_ITEROVER) rc = QC_OK;
    if (rc == QC_OK) *bad_field = -1;
    return rc;
}

int qc__store_check_consistency(qc_store *s, const qc_record *r, qc__ref_cache *cache, int *bad_field)
{
    switch (qc_record_kind(r)) {
    case QC_KIND_ACT: return check_act(s, r, cache, bad_field);
    case QC_KIND_CASE: return check_department(s, r, cache, QC_CASE_DEPARTMENT, QC_CASE_OFFICE, bad_field);
    case QC_KIND_PERSON: return check_department(s, r, cache, QC_PERSON_DEPARTMENT, QC_PERSON_OFFICE, bad_field);
    case QC_KIND_POST: {
        int rc = check_department(s, r, cache, QC_POST_DEPARTMENT, QC_POST_OFFICE, bad_field);
        return rc < 0 ? rc : check_post(s, r, bad_field);
    }
    default: return QC_OK;
    }
}

int qc__store_same_as_stored(qc_store *s, const qc_record *r, int *bad_field)
{
    const char *id = qc__record_str(r, QC_FIELD_ID, NULL);
    if (!id || !*id) return QC_OK; /* without an id a row is all it says: refused as stored means the same */
    const qc_record *stored;
    int rc = fetch(s, qc_record_kind(r), id, &stored);
    return rc < 0 ? rc : qc__record_same(r, stored, bad_field);
}

/* The stored record the import read: one read, whether it is there or not. */
int qc__store_read_stored(qc_store *s, const qc_record *r, const qc_record **out)
{
    return read_scratch(s, qc_record_kind(r), qc__record_str(r, QC_FIELD_ID, NULL), out);
}

int qc__record_same(const qc_record *r, const qc_record *stored, int *bad_field)
{
    const char *id = qc__record_str(r, QC_FIELD_ID, NULL);
    int fact, i = qc__record_difference(r, stored, &fact);
    if (i < 0) return QC_OK;
    const qc__kind_def *k = r->def;
    if (i < QC_MAX_FIELDS) {
        const char *mine = qc_record_text(r, i), *theirs = qc_record_text(stored, i);
        *bad_field = i;
        return qc__error(QC_EEXIST, "%s.%s: %s '%s' is stored with %s %s, this says %s", k->name, k->fields[i].name,
                         k->name, id, k->fields[i].name, theirs && *theirs ? theirs : "(none)",
                         mine && *mine ? mine : "(none)");
    }
    *bad_field = QC_FIELD_ID;
    if (fact >= 0) {
        const char *name = qc_record_fact_name(r, fact);
        int j = qc_record_fact_find(stored, name);
        return qc__error(QC_EEXIST, "%s.facts.%s: %s '%s' is stored with %s, this says %s", k->name, name, k->name, id,
                         j >= 0 ? qc_record_fact_text(stored, j) : "no such fact", qc_record_fact_text(r, fact));
    }
    return qc__error(QC_EEXIST, "%s.facts.%s: %s '%s' is stored with %s = %s, this does not give it", k->name,
                     qc_record_fact_name(stored, -2 - fact), k->name, id, qc_record_fact_name(stored, -2 - fact),
                     qc_record_fact_text(stored, -2 - fact));
}

QC_EXTERN int64_t qc_store_import_unchanged(const qc_store *s) { return s ? s->import_unchanged : 0; }
