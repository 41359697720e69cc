/* SPDX-License-Identifier: MIT
 * backend_memory.c - the "memory:" backend: every store a new, empty set of
 * tables in this process, gone when it is closed.
 *
 * It is the reference implementation of backend.h in the plainest terms:
 * per kind, an array of record copies in insertion order and an
 * open-addressing hash of ids (of the whole content, for rows without an
 * id: the same act twice is one act).  Copies are bump-allocated from large
 * blocks and never freed one by one, and a transaction is a mark per table
 * plus a mark in the blocks: rollback drops what lies past them and
 * rebuilds the hash.  A correction points its row at a new copy and a
 * withdrawal leaves the row empty (NULL, which every reader skips); both
 * note the old pointer in an undo log that rollback replays backwards.  Used for tests, for rule-writers' quick runs, and
 * as the speed ceiling the SQLite backend is compared with.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A hash slot keeps the id's hash beside the row, so that a probe touches
 * a row (a cache miss) only when the hashes agree. */
typedef struct mem_slot {
    uint32_t row;  /* row index + 1; 0 = empty */
    uint32_t hash;
} mem_slot;

typedef struct mem_table {
    qc_record **rows;
    size_t n, cap;
    mem_slot *slots; /* nslots is a power of 2 */
    size_t nslots, nids; /* nids: rows in the hash (all of them) */
    size_t txn_mark;
} mem_table;

/* Blocks of packed records, newest first. */
typedef struct mem_block {
    struct mem_block *prev;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
} mem_block;

/* A row as it was before a replace or remove in the open transaction. */
typedef struct mem_undo {
    qc_kind kind;
    size_t row;
    qc_record *was;
} mem_undo;

typedef struct mem_conn {
    qc_backend_conn base;
    mem_table tables[QC_KIND_COUNT];
    mem_block *blocks;
    mem_block *txn_block; /* the newest block at begin, and its fill */
    size_t txn_used;
    bool in_txn;
    mem_undo *undo;
    size_t nundo, undo_cap;
} mem_conn;

#define MEM_BLOCK_BYTES (1u << 20)

/* size bytes, pointer-aligned, that live until the connection closes or a
 * rollback drops them. */
static void *block_alloc(mem_conn *c, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    mem_block *b = c->blocks;
    if (!b || b->size - b->used < size) {
        size_t bytes = size > MEM_BLOCK_BYTES ? size : MEM_BLOCK_BYTES;
        if (!(b = malloc(sizeof *b + bytes))) return NULL;
        b->prev = c->blocks;
        b->used = 0;
        b->size = bytes;
        c->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

/* Free the blocks newer than keep, and cut keep back to used bytes. */
static void blocks_truncate(mem_conn *c, mem_block *keep, size_t used)
{
    while (c->blocks && c->blocks != keep) {
        mem_block *prev = c->blocks->prev;
        free(c->blocks);
        c->blocks = prev;
    }
    if (keep) keep->used = used;
}

typedef struct mem_cursor {
    qc_backend_cursor base;
    mem_conn *conn;
    qc_kind kind;
    const qc_filter *filter;
    qc_record **order; /* rows in iteration order (a snapshot of pointers) */
    size_t n, next;
} mem_cursor;

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    /* FNV's low bits depend only on the low bits of the input, and ids
     * like C00000001 differ in little else: mix (MurmurHash3's fmix64)
     * before the table masks the low bits. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static const char *row_id(const qc_record *r)
{
    const char *id = qc__record_str(r, QC_FIELD_ID, NULL);
    return id && *id ? id : NULL;
}

/* A field's text, "" for unset or empty: text is stored as it is given,
 * and an empty text is no text (as in the SQLite backend). */
static const char *field_text(const qc_record *r, int i, size_t *len)
{
    const qc__value *v = &r->fields[i];
    *len = v->set ? v->len : 0;
    return v->set ? r->arena + v->off : "";
}

/* A row without an id is identified by everything it says: the same act
 * recorded twice is one act (docs/data-model.md). */
static uint32_t content_hash(const qc_record *r)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)r->kind;
    for (int i = 1; i < r->def->nfields; i++) {
        size_t len;
        const unsigned char *t = (const unsigned char *)field_text(r, i, &len);
        if (r->def->fields[i].type != QC_TYPE_TEXT && r->fields[i].set) { /* the value, not its text form */
            t = (const unsigned char *)&r->fields[i].i;
            len = sizeof r->fields[i].i;
        }
        for (size_t j = 0; j < len; j++) h = (h ^ t[j]) * 1099511628211ull;
        h = (h ^ 0x1f) * 1099511628211ull; /* between fields */
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

static bool same_content(const qc_record *a, const qc_record *b)
{
    for (int i = 1; i < a->def->nfields; i++) {
        if (a->def->fields[i].type == QC_TYPE_TEXT) {
            size_t la, lb;
            const char *ta = field_text(a, i, &la), *tb = field_text(b, i, &lb);
            if (la != lb || memcmp(ta, tb, la)) return false;
        } else if (a->fields[i].set != b->fields[i].set || (a->fields[i].set && a->fields[i].i != b->fields[i].i)) {
            return false;
        }
    }
    return true;
}

static uint32_t row_hash(const qc_record *r)
{
    const char *id = row_id(r);
    return id ? (uint32_t)hash_id(id) : content_hash(r);
}

/* Rows with ids are the same row if their ids are; rows without, if all
 * they say is the same. */
static bool same_row(const qc_record *a, const qc_record *b)
{
    const char *ia = row_id(a), *ib = row_id(b);
    if (ia || ib) return ia && ib && !strcmp(ia, ib);
    return same_content(a, b);
}

/* The slot holding the row r names (whose hash is h), or the empty slot
 * where it would go. */
static mem_slot *find_row(const mem_table *t, const qc_record *r, uint32_t h)
{
    size_t mask = t->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        mem_slot *slot = &t->slots[i];
        const qc_record *row = slot->row ? t->rows[slot->row - 1] : NULL; /* NULL: withdrawn */
        if (!slot->row || (slot->hash == h && row && same_row(row, r))) return slot;
    }
}

/* The slot holding id, or the empty slot where it would go. */
static mem_slot *find_slot(const mem_table *t, const char *id, uint32_t h)
{
    size_t mask = t->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        mem_slot *slot = &t->slots[i];
        const qc_record *row = slot->row ? t->rows[slot->row - 1] : NULL; /* NULL: withdrawn */
        const char *rid;
        if (!slot->row || (slot->hash == h && row && (rid = row_id(row)) && !strcmp(rid, id))) return slot;
    }
}

static qc_record *lookup(const mem_table *t, const char *id)
{
    if (!t->nslots) return NULL;
    mem_slot *slot = find_slot(t, id, (uint32_t)hash_id(id));
    return slot->row ? t->rows[slot->row - 1] : NULL;
}

/* Put a (row, hash) pair known to be absent into the first free slot. */
static void insert_slot(mem_table *t, mem_slot entry)
{
    size_t mask = t->nslots - 1, i = entry.hash & mask;
    while (t->slots[i].row) i = (i + 1) & mask;
    t->slots[i] = entry;
}

/* Grow the hash to at least `want` * 2 slots, moving the entries by their
 * stored hashes (no row is touched). */
static int grow(mem_table *t, size_t want)
{
    size_t nslots = 16;
    while (nslots < want * 2) nslots *= 2;
    mem_slot *old = t->slots;
    size_t nold = t->nslots;
    if (!(t->slots = calloc(nslots, sizeof *t->slots))) {
        t->slots = old;
        return qc__error(QC_ENOMEM, "out of memory");
    }
    t->nslots = nslots;
    for (size_t i = 0; i < nold; i++)
        if (old[i].row) insert_slot(t, old[i]);
    free(old);
    return QC_OK;
}

/* Rebuild the hash from the rows (after a rollback dropped some). */
static int rebuild(mem_table *t)
{
    memset(t->slots, 0, t->nslots * sizeof *t->slots);
    t->nids = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->rows[i]) continue; /* withdrawn */
        insert_slot(t, (mem_slot){(uint32_t)(i + 1), row_hash(t->rows[i])});
        t->nids++;
    }
    return QC_OK;
}

static int mem_open(qc_backend_conn **out, const qc_backend *b, const char *location)
{
    mem_conn *c = calloc(1, sizeof *c);
    if (!c) return qc__error(QC_ENOMEM, "out of memory");
    *out = &c->base;
    return QC_OK;
}

static void mem_close(qc_backend_conn *conn)
{
    mem_conn *c = (mem_conn *)conn;
    for (int k = 0; k < QC_KIND_COUNT; k++) {
        free(c->tables[k].rows);
        free(c->tables[k].slots);
    }
    blocks_truncate(c, NULL, 0);
    free(c->undo);
    free(c);
}

static int mem_begin(qc_backend_conn *conn)
{
    mem_conn *c = (mem_conn *)conn;
    for (int k = 0; k < QC_KIND_COUNT; k++) c->tables[k].txn_mark = c->tables[k].n;
    c->txn_block = c->blocks;
    c->txn_used = c->blocks ? c->blocks->used : 0;
    c->in_txn = true;
    c->nundo = 0;
    return QC_OK;
}

static int mem_commit(qc_backend_conn *conn)
{
    mem_conn *c = (mem_conn *)conn;
    c->in_txn = false;
    c->nundo = 0;
    return QC_OK;
}

static int mem_rollback(qc_backend_conn *conn)
{
    mem_conn *c = (mem_conn *)conn;
    bool changed[QC_KIND_COUNT] = {false};
    while (c->nundo > 0) { /* newest first: a row changed twice ends as it began */
        const mem_undo *u = &c->undo[--c->nundo];
        c->tables[u->kind].rows[u->row] = u->was;
        changed[u->kind] = true;
    }
    for (int k = 0; k < QC_KIND_COUNT; k++) {
        mem_table *t = &c->tables[k];
        if (t->n == t->txn_mark && !changed[k]) continue;
        t->n = t->txn_mark;
        if (t->nslots) rebuild(t); /* in place: rollback needs no memory */
    }
    blocks_truncate(c, c->txn_block, c->txn_used);
    c->in_txn = false;
    return QC_OK;
}

static int mem_put(qc_backend_conn *conn, const qc_record *r)
{
    mem_conn *c = (mem_conn *)conn;
    mem_table *t = &c->tables[r->kind];
    const char *id = row_id(r);
    uint32_t h = 0;
    mem_slot *slot = NULL;
    if (!r->def->journal) { /* revisions are never looked up, and two alike are two */
        h = row_hash(r);
        if ((t->nids + 1) * 2 > t->nslots && grow(t, t->nids + 1) < 0) return QC_ENOMEM;
        slot = find_row(t, r, h);
        if (slot->row && id) return qc__error(QC_EEXIST, "%s.id: '%s' exists already", r->def->name, id);
        if (slot->row) return qc__error(QC_EEXIST, "%s: the same %s is stored already", r->def->name, r->def->name);
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        qc_record **rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows) return qc__error(QC_ENOMEM, "out of memory");
        t->rows = rows;
        t->cap = cap;
    }
    void *mem = block_alloc(c, qc__record_packed_size(r));
    if (!mem) return qc__error(QC_ENOMEM, "out of memory");
    t->rows[t->n++] = qc__record_pack_into(mem, r);
    if (!slot) return QC_OK;
    *slot = (mem_slot){(uint32_t)t->n, h};
    t->nids++; /* every row is in the hash: by id, or by content */
    return QC_OK;
}

/* Note that row `row` of kind was `was`, for rollback. */
static int note_undo(mem_conn *c, qc_kind kind, size_t row, qc_record *was)
{
    if (c->nundo == c->undo_cap) {
        size_t cap = c->undo_cap ? c->undo_cap * 2 : 16;
        mem_undo *u = realloc(c->undo, cap * sizeof *u);
        if (!u) return qc__error(QC_ENOMEM, "out of memory");
        c->undo = u;
        c->undo_cap = cap;
    }
    c->undo[c->nundo++] = (mem_undo){kind, row, was};
    return QC_OK;
}

/* The slot of the stored row r names, or NULL. */
static mem_slot *stored_slot(mem_table *t, const qc_record *r)
{
    if (!t->nslots) return NULL;
    mem_slot *slot = find_row(t, r, row_hash(r));
    return slot->row ? slot : NULL;
}

static int mem_replace(qc_backend_conn *conn, const qc_record *r)
{
    mem_conn *c = (mem_conn *)conn;
    mem_table *t = &c->tables[r->kind];
    mem_slot *slot = row_id(r) ? stored_slot(t, r) : NULL;
    if (!slot) return QC_ENOTFOUND;
    void *mem = block_alloc(c, qc__record_packed_size(r));
    if (!mem || note_undo(c, r->kind, slot->row - 1, t->rows[slot->row - 1]) < 0)
        return qc__error(QC_ENOMEM, "out of memory");
    t->rows[slot->row - 1] = qc__record_pack_into(mem, r); /* same id: same hash, same slot */
    return QC_OK;
}

static int mem_remove(qc_backend_conn *conn, const qc_record *r)
{
    mem_conn *c = (mem_conn *)conn;
    mem_table *t = &c->tables[r->kind];
    mem_slot *slot = stored_slot(t, r);
    if (!slot) return QC_ENOTFOUND;
    int rc = note_undo(c, r->kind, slot->row - 1, t->rows[slot->row - 1]);
    if (rc < 0) return rc;
    /* the slot stays, pointing at an empty row: probes go on past it */
    t->rows[slot->row - 1] = NULL;
    return QC_OK;
}

static int mem_get(qc_backend_conn *conn, qc_kind kind, const char *id, qc_record *out)
{
    const qc_record *r = lookup(&((mem_conn *)conn)->tables[kind], id);
    if (!r) return QC_ENOTFOUND;
    return qc__record_copy_into(out, r);
}

static int mem_exists(qc_backend_conn *conn, qc_kind kind, const char *id)
{
    return lookup(&((mem_conn *)conn)->tables[kind], id) ? QC_OK : QC_ENOTFOUND;
}

/* ---- filters ---- */

static bool text_is(const qc_record *r, int field, const char *want)
{
    const char *v = qc__record_str(r, field, NULL);
    return v && !strcmp(v, want);
}

static bool in_range(int64_t v, const qc_filter *f) { return v >= f->from && v <= f->to; }

/* Does validity [from, to] (unset ends are open) overlap the filter's? */
static bool overlaps(const qc_record *r, int from, int to, const qc_filter *f)
{
    return (!qc_record_has(r, from) || qc_record_int(r, from) <= f->to) &&
           (!qc_record_has(r, to) || qc_record_int(r, to) >= f->from);
}

/* Is office root, or an office under it (parents followed up; a chain
 * longer than any real tree is taken for a cycle)? */
static bool office_under(const mem_conn *c, const char *office, const char *root)
{
    for (int depth = 0; office && depth < 64; depth++) {
        if (!strcmp(office, root)) return true;
        const qc_record *o = lookup(&c->tables[QC_KIND_OFFICE], office);
        office = o ? qc__record_str(o, QC_OFFICE_PARENT, NULL) : NULL;
    }
    return false;
}

static bool office_is(const mem_conn *c, const qc_record *r, int field, const qc_filter *f)
{
    if (!qc_filter_office_subtree(f)) return text_is(r, field, f->office);
    const char *v = qc__record_str(r, field, NULL);
    return v && office_under(c, v, f->office);
}

/* qc__filter_check has refused criteria a kind cannot have. */
static bool matches(const mem_conn *c, qc_kind kind, const qc_record *r, const qc_filter *f)
{
    if (!f) return true;
    const qc_record *kase = NULL;
    if (qc__kind_via_case(kind)) {
        if (f->case_id && !text_is(r, 1, f->case_id)) return false; /* field 1 is the case */
        if (f->office || f->line || (f->has_dates && kind == QC_KIND_PARTICIPATION)) {
            kase = lookup(&c->tables[QC_KIND_CASE], qc__record_str(r, 1, NULL));
            if (!kase) return false;
        }
    } else if (kind == QC_KIND_CASE) {
        kase = r;
        if (f->case_id && !text_is(r, QC_CASE_ID, f->case_id)) return false;
    }
    if (f->office) {
        int field = kind == QC_KIND_OFFICE ? QC_OFFICE_ID
                  : kind == QC_KIND_DEPARTMENT ? QC_DEPARTMENT_OFFICE
                  : kind == QC_KIND_PERSON ? QC_PERSON_OFFICE
                  : kind == QC_KIND_POST ? QC_POST_OFFICE
                  : kind == QC_KIND_INSPECTION ? QC_INSPECTION_OFFICE : -1;
        if (!(field >= 0 ? office_is(c, r, field, f) : office_is(c, kase, QC_CASE_OFFICE, f)))
            return false;
    }
    if (f->line && !(kind == QC_KIND_DEPARTMENT ? text_is(r, QC_DEPARTMENT_LINE, f->line)
                                                : text_is(kase, QC_CASE_LINE, f->line)))
        return false;
    if (f->person) {
        int field = kind == QC_KIND_PERSON ? QC_PERSON_ID
                  : kind == QC_KIND_POST ? QC_POST_PERSON
                  : kind == QC_KIND_PARTICIPATION ? QC_PARTICIPATION_PERSON
                  : kind == QC_KIND_DUTY ? QC_DUTY_PERSON
                  : kind == QC_KIND_ASSIGNMENT ? QC_ASSIGNMENT_PERSON : QC_ACT_PERSON;
        if (!text_is(r, field, f->person)) return false;
    }
    if (f->has_dates) {
        switch (kind) {
        case QC_KIND_CASE: return in_range(qc_record_int(r, QC_CASE_REGISTERED), f);
        case QC_KIND_PARTICIPATION: return in_range(qc_record_int(kase, QC_CASE_REGISTERED), f);
        case QC_KIND_ACT: {
            int64_t t = qc_record_int(r, QC_ACT_TIME);
            return in_range(qc__day_of(t), f);
        }
        case QC_KIND_REVIEW: return in_range(qc_record_int(r, QC_REVIEW_DATE), f);
        case QC_KIND_CLASSIFICATION: return in_range(qc_record_int(r, QC_CLASSIFICATION_DATE), f);
        case QC_KIND_DESIGNATION: return in_range(qc_record_int(r, QC_DESIGNATION_DATE), f);
        case QC_KIND_STEP: return in_range(qc_record_int(r, QC_STEP_DATE), f);
        case QC_KIND_DUTY: return in_range(qc_record_int(r, QC_DUTY_DATE), f);
        case QC_KIND_NOTICE: return in_range(qc_record_int(r, QC_NOTICE_ISSUED), f);
        case QC_KIND_ASSIGNMENT: return in_range(qc_record_int(r, QC_ASSIGNMENT_DATE), f);
        case QC_KIND_INSPECTION: /* its period overlaps the dates */
            return qc_record_int(r, QC_INSPECTION_FROM) <= f->to && qc_record_int(r, QC_INSPECTION_TO) >= f->from;
        case QC_KIND_PERSON: return overlaps(r, QC_PERSON_VALID_FROM, QC_PERSON_VALID_TO, f);
        case QC_KIND_POST: return overlaps(r, QC_POST_VALID_FROM, QC_POST_VALID_TO, f);
        default: return false;
        }
    }
    return true;
}

/* ---- iteration ---- */

static int by_id(const void *a, const void *b)
{
    return strcmp(row_id(*(qc_record *const *)a), row_id(*(qc_record *const *)b));
}

static int mem_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind,
                         const qc_filter *f)
{
    mem_conn *c = (mem_conn *)conn;
    const mem_table *t = &c->tables[kind];
    mem_cursor *cur = calloc(1, sizeof *cur);
    if (!cur || (t->n && !(cur->order = malloc(t->n * sizeof *cur->order)))) {
        free(cur);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    cur->conn = c;
    cur->kind = kind;
    cur->filter = f;
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i] && matches(c, kind, t->rows[i], f)) cur->order[cur->n++] = t->rows[i];
    if (!(qc__kind_get(kind)->fields[0].flags & QC__F_OPTIONAL_ID) && cur->n > 1)
        qsort(cur->order, cur->n, sizeof *cur->order, by_id);
    if (qc_filter_by_case(f) && qc__kind_ordered_by_case(kind) &&
        qc__sort_by_case(cur->order, cur->n) < 0) {
        free(cur->order);
        free(cur);
        return QC_ENOMEM;
    }
    *out = &cur->base;
    return QC_OK;
}

static int mem_iter_next(qc_backend_cursor *base, qc_record *out)
{
    mem_cursor *cur = (mem_cursor *)base;
    if (cur->next >= cur->n) return QC_ITEROVER;
    return qc__record_copy_into(out, cur->order[cur->next++]);
}

static void mem_iter_close(qc_backend_cursor *base)
{
    mem_cursor *cur = (mem_cursor *)base;
    free(cur->order);
    free(cur);
}

static int mem_count(qc_backend_conn *conn, qc_kind kind, const qc_filter *f, int64_t *out)
{
    mem_conn *c = (mem_conn *)conn;
    const mem_table *t = &c->tables[kind];
    int64_t n = 0;
    for (size_t i = 0; i < t->n; i++) n += t->rows[i] && matches(c, kind, t->rows[i], f);
    *out = n;
    return QC_OK;
}

static int mem_journal_last(qc_backend_conn *conn, qc_record *out)
{
    const mem_table *t = &((mem_conn *)conn)->tables[QC_KIND_REVISION];
    return t->n ? qc__record_copy_into(out, t->rows[t->n - 1]) : QC_ITEROVER; /* never withdrawn */
}

const qc_backend qc__backend_memory = {
    .version = QC_BACKEND_VERSION_9,
    .name = "memory",
    .open = mem_open,
    .close = mem_close,
    .begin = mem_begin,
    .commit = mem_commit,
    .rollback = mem_rollback,
    .put = mem_put,
    .get = mem_get,
    .iter_open = mem_iter_open,
    .iter_by_case = mem_iter_open, /* it honours qc_filter_by_case() */
    .iter_next = mem_iter_next,
    .iter_close = mem_iter_close,
    .exists = mem_exists,
    .count = mem_count,
    .schema_version = NULL, /* nothing persists: the library's version */
    .replace = mem_replace,
    .remove = mem_remove,
    .journal_last = mem_journal_last,
};
