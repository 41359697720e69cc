/* SPDX-License-Identifier: MIT
 * copy.c - a whole store copied into another (qc_store_copy): SQLite to
 * PostgreSQL when an office moves onto the province's server, and back.
 *
 * The journal is copied entry for entry - sequence numbers, hashes,
 * actors, times - and then the current records, each kind in an order
 * its references allow (offices parents first), straight into the
 * target's backend: nothing is journaled again, so the target's chain is
 * the source's and verify passes on both sides with the same head.  One
 * transaction on the target: a copy that fails leaves it empty.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rules_internal.h" /* qc__strmap */

/* Does s hold any record of kind (read past nothing: a scoped store is
 * refused before)? */
static int holds_any(qc_store *s, qc_kind kind, bool *out)
{
    qc_iter *it;
    const qc_record *r;
    *out = false;
    int rc = qc_iter_new(&it, s, kind, NULL);
    if (rc < 0) return rc;
    rc = qc_iter_next(&r, it);
    qc_iter_free(it);
    *out = rc == QC_OK;
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* Records written together into a backend with put_many. */
enum { COPY_LOT = 4096 };

/* Write the lot: every record new in an empty store, or the source holds
 * one twice. */
static int put_lot(qc_store *to, qc_record **lot, int n, unsigned char *inserted, int64_t *copied)
{
    int rc = qc__be_put_many(to, (const qc_record *const *)lot, n, inserted);
    for (int i = 0; rc == QC_OK && i < n; i++)
        if (!inserted[i]) rc = qc__error(QC_ESCHEMA, "the source holds a %s twice", qc_kind_name(qc_record_kind(lot[i])));
    if (rc == QC_OK) *copied += n;
    return rc;
}

/* Every record of kind from one store into the other's backend, in the
 * order the source gives (id order; insertion order for kinds whose ids
 * are optional, which keeps their place): a lot at a time where the
 * backend takes lots (a server), else one by one. */
static int copy_kind(qc_store *to, qc_store *from, qc_kind kind, int64_t *copied)
{
    qc_iter *it;
    const qc_record *r;
    bool lots = qc__be_can_put_many(to);
    qc_record *lot[COPY_LOT] = {NULL};
    unsigned char inserted[COPY_LOT];
    int n = 0;
    int rc = qc_iter_new(&it, from, kind, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if (!lots) {
            if ((rc = qc__be_put(to, r)) == QC_OK) ++*copied;
            continue;
        }
        if ((!lot[n] && (rc = qc_record_new(&lot[n], kind)) < 0) || (rc = qc__record_copy_into(lot[n], r)) < 0) break;
        if (++n == COPY_LOT) {
            rc = put_lot(to, lot, n, inserted, copied);
            n = 0;
        }
    }
    qc_iter_free(it);
    if (rc == QC_ITEROVER) rc = n ? put_lot(to, lot, n, inserted, copied) : QC_OK;
    for (int i = 0; i < COPY_LOT && lot[i]; i++) qc_record_free(lot[i]);
    return rc;
}

/* Offices, each after its parent: passes over those left until none is
 * placed (a parent missing from the store, or a cycle, is the source's
 * corruption, reported). */
static int copy_offices(qc_store *to, qc_store *from, int64_t *copied)
{
    qc_iter *it;
    const qc_record *r;
    qc_record **left = NULL;
    size_t n = 0, cap = 0;
    qc__strmap placed = {0};
    int rc = qc_iter_new(&it, from, QC_KIND_OFFICE, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if (n == cap) {
            size_t grown = cap ? 2 * cap : 64;
            qc_record **more = realloc(left, grown * sizeof *more);
            if (!more) {
                rc = qc__error(QC_ENOMEM, "out of memory");
                break;
            }
            left = more;
            cap = grown;
        }
        if ((rc = qc_record_new(&left[n], QC_KIND_OFFICE)) < 0) break;
        n++;
        if ((rc = qc__record_copy_into(left[n - 1], r)) < 0) break;
    }
    qc_iter_free(it);
    if (rc == QC_ITEROVER) rc = QC_OK;
    for (bool progress = true; rc == QC_OK && n && progress;) {
        progress = false;
        size_t kept = 0;
        for (size_t i = 0; rc == QC_OK && i < n; i++) {
            const char *parent = qc__record_str(left[i], QC_OFFICE_PARENT, NULL);
            if (parent && *parent && qc__map_find(&placed, parent) < 0) {
                left[kept++] = left[i];
                continue;
            }
            if ((rc = qc__be_put(to, left[i])) == QC_OK &&
                (rc = qc__map_put(&placed, qc__record_str(left[i], QC_OFFICE_ID, NULL), 1)) == QC_OK) {
                ++*copied;
                progress = true;
            }
            qc_record_free(left[i]);
        }
        n = kept;
    }
    if (rc == QC_OK && n)
        rc = qc__error(QC_ESCHEMA, "office %s: its parent %s is not in the store (or the parents go round)",
                       qc__record_str(left[0], QC_OFFICE_ID, NULL), qc__record_str(left[0], QC_OFFICE_PARENT, NULL));
    for (size_t i = 0; i < n; i++) qc_record_free(left[i]);
    free(left);
    qc__map_free(&placed);
    return rc;
}

QC_EXTERN int qc_store_copy(qc_store *to, qc_store *from, int64_t *records)
{
    if (records) *records = 0;
    if (!to || !from || to == from) return qc__error(QC_EINVAL, "qc_store_copy: two different stores are needed");
    if (to->in_txn || from->in_txn) return qc__error(QC_ESTATE, "qc_store_copy: not inside a transaction");
    if (from->scope || to->scope)
        return qc__error(QC_EDENIED, "qc_store_copy: a copy is of the whole store, journal and all; not through a "
                         "store scoped to an office");
    if (qc__be_keeps_journal(from) && !qc__be_keeps_journal(to))
        return qc__error(QC_EUNSUPPORTED, "qc_store_copy: the %s backend keeps no journal to copy the %s store's into",
                         to->backend->name, from->backend->name);
    bool any;
    int rc;
    for (qc_kind k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
        if (!qc__be_knows_kind(to, k)) continue;
        if ((rc = holds_any(to, k, &any)) < 0) return rc;
        if (any)
            return qc__error(QC_ESTATE, "qc_store_copy: the target store holds %s records already; copy into an "
                             "empty store", qc_kind_name(k));
    }
    int64_t copied = 0;
    if ((rc = qc_store_begin(to)) < 0) return rc;
    /* the journal first, as it was written; then what it describes */
    if (qc__be_keeps_journal(from)) rc = copy_kind(to, from, QC_KIND_REVISION, &copied);
    if (rc == QC_OK) rc = copy_offices(to, from, &copied);
    for (qc_kind k = QC_KIND_DEPARTMENT; rc == QC_OK && k < QC_KIND_COUNT; k++) {
        if (k == QC_KIND_REVISION || !qc__be_knows_kind(from, k)) continue;
        if (!qc__be_knows_kind(to, k)) {
            bool held;
            if ((rc = holds_any(from, k, &held)) == QC_OK && held)
                rc = qc__error(QC_EUNSUPPORTED, "qc_store_copy: the %s backend cannot hold %s records",
                               to->backend->name, qc_kind_name(k));
            continue;
        }
        rc = copy_kind(to, from, k, &copied);
    }
    if (rc < 0) {
        qc__error_prefix("copy from the %s store into the %s store (nothing was written)", from->backend->name,
                         to->backend->name);
        return qc__store_abort(to);
    }
    if ((rc = qc_store_commit(to)) < 0) return rc;
    if (records) *records = copied;
    return QC_OK;
}
