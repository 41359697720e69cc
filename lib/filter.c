/* SPDX-License-Identifier: MIT
 * filter.c - filters: the criteria of iterations and counts.
 *
 * A filter is a plain value the caller builds and the library copies when
 * it starts an iteration, so the caller may free or change it at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

QC_EXTERN int qc_filter_new(qc_filter **out)
{
    if (!out) return qc__error(QC_EINVAL, "qc_filter_new: out is NULL");
    *out = calloc(1, sizeof **out);
    return *out ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
}

QC_EXTERN void qc_filter_free(qc_filter *f)
{
    if (!f) return;
    free(f->office);
    free(f->person);
    free(f->case_id);
    free(f->line);
    free(f);
}

/* Replace *slot with a copy of value (NULL or "" clears it). */
static int set_text(qc_filter *f, char **slot, const char *value)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set: filter is NULL");
    char *copy = NULL;
    if (value && *value && !(copy = strdup(value))) return qc__error(QC_ENOMEM, "out of memory");
    free(*slot);
    *slot = copy;
    return QC_OK;
}

QC_EXTERN int qc_filter_set_office(qc_filter *f, const char *v) { return set_text(f, f ? &f->office : NULL, v); }
QC_EXTERN int qc_filter_set_person(qc_filter *f, const char *v) { return set_text(f, f ? &f->person : NULL, v); }
QC_EXTERN int qc_filter_set_case(qc_filter *f, const char *v) { return set_text(f, f ? &f->case_id : NULL, v); }
QC_EXTERN int qc_filter_set_line(qc_filter *f, const char *v) { return set_text(f, f ? &f->line : NULL, v); }

QC_EXTERN int qc_filter_set_office_subtree(qc_filter *f, int subtree)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set_office_subtree: filter is NULL");
    f->office_scope = subtree ? QC__OFFICE_SUBTREE : QC__OFFICE_ALONE;
    return QC_OK;
}

QC_EXTERN int qc_filter_set_dates(qc_filter *f, int64_t from, int64_t to)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set_dates: filter is NULL");
    if (to < from) return qc__error(QC_EINVAL, "qc_filter_set_dates: the range ends before it starts");
    f->has_dates = true;
    f->from = from;
    f->to = to;
    return QC_OK;
}

QC_EXTERN int qc_filter_set_unordered(qc_filter *f, int unordered)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set_unordered: filter is NULL");
    f->unordered = unordered != 0;
    return QC_OK;
}

QC_EXTERN int qc_filter_set_by_case(qc_filter *f, int by_case)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set_by_case: filter is NULL");
    f->by_case = by_case != 0;
    return QC_OK;
}

QC_EXTERN int qc_filter_set_fields(qc_filter *f, uint32_t fields)
{
    if (!f) return qc__error(QC_EINVAL, "qc_filter_set_fields: filter is NULL");
    f->fields = fields;
    return QC_OK;
}

QC_EXTERN int qc_filter_unordered(const qc_filter *f) { return f && f->unordered; }
QC_EXTERN int qc_filter_by_case(const qc_filter *f) { return f && f->by_case; }
QC_EXTERN uint32_t qc_filter_fields(const qc_filter *f) { return f ? f->fields : 0; }
QC_EXTERN const char *qc_filter_office(const qc_filter *f) { return f ? f->office : NULL; }
QC_EXTERN int qc_filter_office_subtree(const qc_filter *f) { return f && f->office && f->office_scope == QC__OFFICE_SUBTREE; }
QC_EXTERN const char *qc_filter_person(const qc_filter *f) { return f ? f->person : NULL; }
QC_EXTERN const char *qc_filter_case(const qc_filter *f) { return f ? f->case_id : NULL; }
QC_EXTERN const char *qc_filter_line(const qc_filter *f) { return f ? f->line : NULL; }
QC_EXTERN int qc_filter_has_dates(const qc_filter *f) { return f && f->has_dates; }
QC_EXTERN int64_t qc_filter_from(const qc_filter *f) { return f && f->has_dates ? f->from : 0; }
QC_EXTERN int64_t qc_filter_to(const qc_filter *f) { return f && f->has_dates ? f->to : 0; }

int qc__filter_copy(qc_filter **out, const qc_filter *src)
{
    *out = NULL;
    if (!src) return QC_OK;
    qc_filter *f;
    int rc = qc_filter_new(&f);
    if (rc < 0) return rc;
    if ((rc = qc_filter_set_office(f, src->office)) < 0 ||
        (rc = qc_filter_set_person(f, src->person)) < 0 ||
        (rc = qc_filter_set_case(f, src->case_id)) < 0 ||
        (rc = qc_filter_set_line(f, src->line)) < 0) {
        qc_filter_free(f);
        return rc;
    }
    f->office_scope = src->office_scope;
    f->has_dates = src->has_dates;
    f->unordered = src->unordered;
    f->by_case = src->by_case;
    f->fields = src->fields;
    f->values_only = src->values_only;
    f->from = src->from;
    f->to = src->to;
    *out = f;
    return QC_OK;
}

/*
 * Which criteria apply to which kind (quotacase.h, qc_filter_new): a
 * criterion a kind lacks is taken through the record's case where it has
 * one; anything else is refused here, once, for every backend.
 */
int qc__filter_check(qc_kind kind, const qc_filter *f)
{
    if (!f) return QC_OK;
    bool via_case = qc__kind_via_case(kind);
    const char *bad = NULL;
    if (f->person && !(kind == QC_KIND_PERSON || kind == QC_KIND_POST ||
                       kind == QC_KIND_PARTICIPATION || kind == QC_KIND_ACT || kind == QC_KIND_DUTY ||
                       kind == QC_KIND_ASSIGNMENT))
        bad = "person";
    else if (f->office && kind == QC_KIND_DUTY)
        bad = "office (a duty is a person's: filter by person)";
    else if (f->case_id && !(kind == QC_KIND_CASE || via_case))
        bad = "case";
    else if (f->line && !(kind == QC_KIND_DEPARTMENT || kind == QC_KIND_CASE || via_case))
        bad = "line";
    else if (f->has_dates && (kind == QC_KIND_OFFICE || kind == QC_KIND_DEPARTMENT || kind == QC_KIND_SELECTION))
        bad = "dates";
    if (bad)
        return qc__error(QC_EINVAL, "filter: %s records cannot be filtered by %s",
                         qc_kind_name(kind), bad);
    return QC_OK;
}
