/* SPDX-License-Identifier: MIT
 * journal.c - the history as a hash chain that cannot be quietly rewritten
 * (全程留痕).
 *
 * Every revision history.c writes is a journal entry.  Here it gets the
 * next sequence number (QC_REVISION_SEQ, from 1) and its hash
 * (QC_REVISION_HASH):
 *
 *     hash(n) = H(hash(n-1) || canonical text of entry n without its hash)
 *
 * with hash(0) empty and the canonical text qc_record_encode's, so that
 * an entry edited, deleted, inserted or moved breaks the chain from there
 * on, on every backend alike.  H is the store's algorithm, chosen when the
 * journal begins and named by its first hashed entry: kind "journal", op
 * begin, body "hash=sha256" (or "hash=sm3").  Hashing goes through
 * OpenSSL's EVP interface, never by hand.
 *
 * Entries before that begin entry may be unhashed: the history a store of
 * schema 5 kept, and the mark the migration to schema 6 leaves (an
 * unhashed begin entry).  Opening such a store seals it - the begin entry
 * is hashed over everything before it - and a store of an older schema
 * gets its records backfilled as inserts.  A store that lost its journal
 * gets no mark, so nothing refills it; verify reports its records.
 *
 * qc_store_verify() recomputes the chain and checks that the current
 * tables hold exactly what the journal says they should, kind by kind,
 * with a keyed multiset hash: the sum, modulo 2^256, of H(key || text)
 * over the records, with a key drawn at random for each run.  That needs
 * no memory per record (a national store has tens of millions), and since
 * the key is new every time, no edit can be prepared to cancel out.  Only
 * when a kind disagrees is it read again, with a table of its records,
 * to name the first record or entry that differs.  docs/data-model.md
 * ("The journal") describes the model.
 */
#include "config.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define JOURNAL_KIND "journal"

/* ---- algorithms ---- */

static const struct {
    const char *name, *evp;
} algorithms[] = {
    {"sha256", "SHA256"},
    {"sm3", "SM3"},
};

static const char *evp_name(const char *name)
{
    for (size_t i = 0; i < QC__ARRAY_LEN(algorithms); i++)
        if (!strcmp(name, algorithms[i].name)) return algorithms[i].evp;
    return NULL;
}

/* Fetch the algorithm once per handle (an implicit fetch on every hash
 * costs a lookup under a lock), with a context to hash with. */
static int use_algorithm(qc__journal *j, const char *name)
{
    const char *evp = evp_name(name);
    if (!evp) return qc__error(QC_EVALUE, "no hash algorithm '%s' here (sha256 and sm3 are)", name);
    if (j->md && !strcmp(j->algorithm, name)) return QC_OK;
    ERR_set_mark();
    EVP_MD *md = EVP_MD_fetch(NULL, evp, NULL);
    ERR_pop_to_mark();
    if (!md) return qc__error(QC_ENOMEM, "no %s from OpenSSL (out of memory, or a configuration without it)", name);
    if (!j->ctx && !(j->ctx = EVP_MD_CTX_new())) {
        EVP_MD_free(md);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    EVP_MD_free(j->md);
    j->md = md;
    snprintf(j->algorithm, sizeof j->algorithm, "%s", name);
    return QC_OK;
}

/* out = H(prefix || text), with ctx. */
static int digest(EVP_MD_CTX *ctx, const EVP_MD *md, const unsigned char *prefix, size_t prefix_len, const char *text,
                  size_t len, unsigned char *out, unsigned *out_len)
{
    ERR_set_mark();
    int ok = EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, prefix, prefix_len) &&
             EVP_DigestUpdate(ctx, text, len) && EVP_DigestFinal_ex(ctx, out, out_len);
    ERR_pop_to_mark(); /* what failed is told here; the caller's OpenSSL errors stay as they were */
    return ok ? QC_OK : qc__error(QC_ENOMEM, "hashing failed (out of memory)");
}

static void to_hex(char *out, const unsigned char *bytes, unsigned n)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Lowercase hex of exactly n bytes; false for anything else (verify reads
 * one per entry: a table, not branches). */
static bool from_hex(unsigned char *out, unsigned n, const char *hex)
{
    static signed char value[256];
    if (!value['1']) { /* once; the same bytes from any thread that races here */
        for (int c = 0; c < 256; c++) value[c] = -1;
        for (int c = 0; c < 10; c++) value['0' + c] = (signed char)c;
        for (int c = 0; c < 6; c++) value['a' + c] = (signed char)(10 + c);
    }
    if (!hex) return false;
    for (unsigned i = 0; i < n; i++) {
        int hi = value[(unsigned char)hex[2 * i]], lo = hi < 0 ? -1 : value[(unsigned char)hex[2 * i + 1]];
        if (lo < 0) return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[2 * n] == '\0';
}

/* ---- the head ---- */

static bool is_begin(const qc_record *rev)
{
    const char *kind = qc_record_text(rev, QC_REVISION_KIND);
    return qc_record_int(rev, QC_REVISION_OP) == QC_OP_BEGIN && kind && !strcmp(kind, JOURNAL_KIND);
}

/* The algorithm a begin entry names ("hash=NAME" in its body). */
static int algorithm_of(qc__journal *j, const qc_record *begin)
{
    const char *body = qc_record_text(begin, QC_REVISION_BODY), *at = body ? strstr(body, "hash=") : NULL;
    char name[16];
    if (!at || sscanf(at + 5, "%15[a-z0-9]", name) != 1)
        return qc__error(QC_ESCHEMA, "journal entry %lld begins the journal without naming its hash",
                         (long long)qc_record_int(begin, QC_REVISION_SEQ));
    return use_algorithm(j, name);
}

/* The algorithm of a begun journal: its first hashed begin entry's. */
static int find_algorithm(qc_store *s)
{
    qc_iter *it;
    const qc_record *rev;
    s->scope_lifted = true; /* the journal's own reading, for a write: past any office scope */
    int rc = qc_iter_new(&it, s, QC_KIND_REVISION, NULL);
    s->scope_lifted = false;
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK)
        if (is_begin(rev) && qc_record_has(rev, QC_REVISION_HASH)) {
            rc = algorithm_of(&s->journal, rev);
            break;
        }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? qc__error(QC_ETAMPERED, "the journal has hashed entries but no entry that begins it")
                             : rc;
}

/* Read the head: the last entry's seq and hash. */
static int load_head(qc_store *s)
{
    qc__journal *j = &s->journal;
    qc_record *last;
    int rc = qc_record_new(&last, QC_KIND_REVISION);
    if (rc < 0) return rc;
    j->seq = 0;
    j->head_len = 0;
    j->begun = false;
    if ((rc = qc__be_journal_last(s, last)) == QC_ITEROVER) {
        rc = QC_OK;
    } else if (rc == QC_OK) {
        j->seq = qc_record_int(last, QC_REVISION_SEQ);
        j->begun = qc_record_has(last, QC_REVISION_HASH);
        if (j->begun && !j->md) rc = find_algorithm(s);
        if (rc == QC_OK && j->begun &&
            !from_hex(j->head, j->head_len = (unsigned)EVP_MD_get_size(j->md), qc_record_text(last, QC_REVISION_HASH)))
            rc = qc__error(QC_ETAMPERED, "journal entry %lld: its hash is not %u hex bytes", (long long)j->seq,
                           j->head_len);
    }
    qc_record_free(last);
    if (rc == QC_OK) j->read_in_txn = s->txn_serial;
    return rc;
}

/* Whether the head was read in the transaction now open (another handle
 * may have written since an earlier one). */
static bool head_is_current(const qc_store *s) { return s->in_txn && s->journal.read_in_txn == s->txn_serial; }

void qc__journal_free(qc_store *s)
{
    for (int i = 0; i < s->held_cap; i++) qc_record_free(s->journal_held[i]);
    free(s->journal_held);
    free(s->journal.text.p);
    EVP_MD_free(s->journal.md);
    EVP_MD_CTX_free(s->journal.ctx);
}

/* ---- appending ---- */

/* Set rev's seq and hash from the head, put it, and make it the head. */
/* Keep a copy of rev to write later (qc__journal_flush). */
static int hold(qc_store *s, const qc_record *rev)
{
    if (s->nheld == s->held_cap) {
        int cap = s->held_cap ? 2 * s->held_cap : 256;
        qc_record **more = realloc(s->journal_held, sizeof *more * (size_t)cap);
        if (!more) return qc__error(QC_ENOMEM, "out of memory");
        for (int i = s->held_cap; i < cap; i++) more[i] = NULL;
        s->journal_held = more;
        s->held_cap = cap;
    }
    qc_record **slot = &s->journal_held[s->nheld];
    int rc = *slot ? QC_OK : qc_record_new(slot, QC_KIND_REVISION);
    if (rc == QC_OK) rc = qc__record_copy_into(*slot, rev);
    if (rc == QC_OK) s->nheld++;
    return rc;
}

void qc__journal_hold(qc_store *s, bool on)
{
    s->journal_holding = on;
    if (!on) s->nheld = 0; /* what was held and not flushed goes with the transaction */
}

int qc__journal_flush(qc_store *s)
{
    int n = s->nheld, rc = QC_OK;
    if (!n) return QC_OK;
    unsigned char *inserted = malloc((size_t)n);
    if (!inserted) return qc__error(QC_ENOMEM, "out of memory");
    rc = qc__be_put_many(s, (const qc_record *const *)s->journal_held, n, inserted);
    for (int i = 0; rc == QC_OK && i < n; i++)
        if (!inserted[i])
            rc = qc__error(QC_ETAMPERED, "journal entry %lld is stored already: the journal changed under this writer",
                           (long long)qc_record_int(s->journal_held[i], QC_REVISION_SEQ));
    free(inserted);
    s->nheld = 0;
    return rc;
}

static int chain_put(qc_store *s, qc_record *rev)
{
    qc__journal *j = &s->journal;
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned len;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    int rc;
    qc_record_unset(rev, QC_REVISION_HASH);
    if ((rc = qc_record_set_int(rev, QC_REVISION_SEQ, j->seq + 1)) < 0 ||
        (rc = qc__record_encode_into(rev, &j->text)) < 0 ||
        (rc = digest(j->ctx, j->md, j->head, j->head_len, j->text.p, j->text.len, hash, &len)) < 0)
        return rc;
    to_hex(hex, hash, len);
    if ((rc = qc__record_set_trusted(rev, QC_REVISION_HASH, hex, 2 * len)) < 0 ||
        (rc = s->journal_holding ? hold(s, rev) : qc__be_put(s, rev)) < 0)
        return rc;
    j->seq++;
    memcpy(j->head, hash, len);
    j->head_len = len;
    return QC_OK;
}

/* The running hash over every entry written so far, none of them hashed
 * (the history of a store before its journal began). */
static int hash_unsealed(qc_store *s)
{
    qc__journal *j = &s->journal;
    qc_iter *it;
    const qc_record *rev;
    qc_record *copy = NULL;
    j->head_len = 0;
    int rc = qc_record_new(&copy, QC_KIND_REVISION);
    s->scope_lifted = true; /* the journal's own reading: past any office scope */
    if (rc == QC_OK) rc = qc_iter_new(&it, s, QC_KIND_REVISION, NULL);
    s->scope_lifted = false;
    if (rc < 0) {
        qc_record_free(copy);
        return rc;
    }
    while ((rc = qc_iter_next(&rev, it)) == QC_OK) {
        unsigned len;
        if ((rc = qc__record_copy_into(copy, rev)) < 0 || (rc = qc_record_unset(copy, QC_REVISION_HASH)) < 0 ||
            (rc = qc__record_encode_into(copy, &j->text)) < 0 ||
            (rc = digest(j->ctx, j->md, j->head, j->head_len, j->text.p, j->text.len, j->head, &len)) < 0)
            break;
        j->head_len = len;
    }
    qc_iter_free(it);
    qc_record_free(copy);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* Write the entry that begins the journal, hashed over what came before. */
static int begin_journal(qc_store *s)
{
    qc__journal *j = &s->journal;
    int rc = use_algorithm(j, *j->wanted ? j->wanted : "sha256");
    if (rc == QC_OK && j->seq > 0) rc = hash_unsealed(s);
    qc_record *begin;
    if (rc < 0 || (rc = qc_record_new(&begin, QC_KIND_REVISION)) < 0) return rc;
    char body[32];
    const char *actor = qc_store_actor(s);
    snprintf(body, sizeof body, "hash=%s\n", j->algorithm);
    if ((rc = qc_record_set_text(begin, QC_REVISION_KIND, JOURNAL_KIND)) == QC_OK &&
        (rc = qc_record_set_int(begin, QC_REVISION_OP, QC_OP_BEGIN)) == QC_OK &&
        (rc = qc__record_set_trusted(begin, QC_REVISION_BODY, body, strlen(body))) == QC_OK &&
        (rc = qc__record_set_trusted(begin, QC_REVISION_ACTOR, actor, strlen(actor))) == QC_OK &&
        (rc = qc_record_set_int(begin, QC_REVISION_RECORDED, qc__store_now(s))) == QC_OK)
        rc = chain_put(s, begin);
    qc_record_free(begin);
    if (rc == QC_OK) j->begun = true;
    return rc;
}

int qc__journal_append(qc_store *s, qc_record *rev)
{
    if (!qc__be_keeps_journal(s) || s->as_of) return qc__be_put(s, rev);
    int rc;
    if (!head_is_current(s) && (rc = load_head(s)) < 0) return rc;
    if (!s->journal.begun && (rc = begin_journal(s)) < 0) return rc;
    return chain_put(s, rev);
}

int qc__journal_mark(qc_store *s, int64_t *mark_seq)
{
    *mark_seq = 0;
    qc_record *last;
    int rc = qc_record_new(&last, QC_KIND_REVISION);
    if (rc < 0) return rc;
    if ((rc = qc__be_journal_last(s, last)) == QC_OK && is_begin(last) && !qc_record_has(last, QC_REVISION_HASH))
        *mark_seq = qc_record_int(last, QC_REVISION_SEQ);
    qc_record_free(last);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

int qc__journal_begin(qc_store *s)
{
    int rc = head_is_current(s) ? QC_OK : load_head(s);
    return rc < 0 || s->journal.begun ? rc : begin_journal(s);
}

/* Begin the journal with the algorithm asked for, if it has not begun. */
static int begin_with(qc_store *s, void *algorithm)
{
    int rc = head_is_current(s) ? QC_OK : load_head(s);
    if (rc < 0) return rc;
    if (s->journal.begun)
        return strcmp(s->journal.algorithm, algorithm)
                   ? qc__error(QC_EEXIST, "the journal of this store is hashed with %s since it began",
                               s->journal.algorithm)
                   : QC_OK;
    snprintf(s->journal.wanted, sizeof s->journal.wanted, "%s", (const char *)algorithm);
    return begin_journal(s);
}

QC_EXTERN int qc_store_set_hash(qc_store *s, const char *algorithm)
{
    if (!s || !algorithm) return qc__error(QC_EINVAL, "qc_store_set_hash: NULL argument");
    if (!evp_name(algorithm)) return qc__error(QC_EVALUE, "no hash algorithm '%s' (sha256 and sm3 are)", algorithm);
    if (!qc__be_keeps_journal(s))
        return qc__error(QC_EUNSUPPORTED, "the %s backend keeps no journal", s->backend->name);
    return qc__in_transaction(s, begin_with, (void *)algorithm);
}

QC_EXTERN int qc_store_head(qc_store *s, char *buf, size_t size, int64_t *seq)
{
    if (!s || (!buf && size)) return qc__error(QC_EINVAL, "qc_store_head: NULL argument");
    if (!qc__be_keeps_journal(s)) return qc__error(QC_EUNSUPPORTED, "the %s backend keeps no journal", s->backend->name);
    int rc = load_head(s);
    if (rc < 0) return rc;
    if (seq) *seq = s->journal.begun ? s->journal.seq : 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    to_hex(hex, s->journal.head, s->journal.begun ? s->journal.head_len : 0);
    int n = snprintf(buf, size, "%s:%s", s->journal.begun ? s->journal.algorithm : "none", hex);
    return (size_t)n < size ? QC_OK : qc__error(QC_ETOOLONG, "qc_store_head: %d bytes needed", n + 1);
}

/* ---- verifying ---- */

/* A multiset of records as the sum of their keyed digests, mod 2^256. */
typedef struct multiset {
    uint64_t sum[4];
    int64_t count;
} multiset;

struct qc_verify {
    qc_store *store;                  /* what is read: a snapshot reader, or the store */
    qc_store *tables_store;           /* a second reader of the same snapshot, for the tables' thread */
    atomic_bool stop_tables;          /* the chain failed: the tables' count may stop */
    atomic_bool *stop;                /* a tables' worker: its verify's stop_tables */
    const EVP_MD *md;                 /* the store's, and its context: */
    EVP_MD_CTX *ctx;
    unsigned char key[32];            /* drawn for this run */
    multiset journal[QC_KIND_COUNT], tables[QC_KIND_COUNT];
    qc__textbuf text;
    /* the result */
    char head[8 + 2 * EVP_MAX_MD_SIZE + 1];
    const char *want;                 /* the head asked about, or NULL */
    unsigned char want_bytes[EVP_MAX_MD_SIZE];
    unsigned want_len;                /* 0: none, or not a hash of the store's algorithm */
    int64_t entries, head_seen, bad_seq;
    qc_kind bad_kind;
    char bad_id[QC_MAX_ID_BYTES + 1];
};

static void multiset_add(multiset *m, const unsigned char d[32], bool remove)
{
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t limb = 0;
        for (int b = 0; b < 8; b++) limb |= (uint64_t)d[8 * i + b] << (8 * b);
        if (remove) {
            uint64_t was = m->sum[i];
            m->sum[i] = was - limb - carry;
            carry = was < limb || (was == limb && carry);
        } else {
            uint64_t was = m->sum[i] + carry;
            carry = was < carry;
            m->sum[i] = was + limb;
            carry |= m->sum[i] < limb;
        }
    }
    m->count += remove ? -1 : 1;
}

static int keyed(qc_verify *v, const char *text, size_t len, unsigned char out[EVP_MAX_MD_SIZE])
{
    unsigned n;
    return digest(v->ctx, v->md, v->key, sizeof v->key, text, len, out, &n);
}

static int count_text(qc_verify *v, multiset *m, const char *text, size_t len, bool remove)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    int rc = keyed(v, text, len, d);
    if (rc == QC_OK) multiset_add(m, d, remove);
    return rc;
}

/* Record the first bad thing found, with the message; QC_ETAMPERED. */
static int bad(qc_verify *v, int64_t seq, qc_kind kind, const char *id, const char *fmt, ...) QC__PRINTF(5, 6);
static int bad(qc_verify *v, int64_t seq, qc_kind kind, const char *id, const char *fmt, ...)
{
    va_list ap;
    v->bad_seq = seq;
    v->bad_kind = kind;
    snprintf(v->bad_id, sizeof v->bad_id, "%s", id ? id : "");
    va_start(ap, fmt);
    int rc = qc__verror(QC_ETAMPERED, fmt, ap);
    va_end(ap);
    return rc;
}

/* "journal entry 57 (act A3)" */
static const char *entry_name(char *buf, size_t size, const qc_record *rev)
{
    const char *kind = qc_record_text(rev, QC_REVISION_KIND), *id = qc_record_text(rev, QC_REVISION_RECORD);
    snprintf(buf, size, "journal entry %lld (%s%s%s)", (long long)qc_record_int(rev, QC_REVISION_SEQ),
             kind ? kind : "no kind", id ? " " : "", id ? id : "");
    return buf;
}

/* What one entry does to the tables, as the journal's multisets. */
static int count_entry(qc_verify *v, const qc_record *rev, qc_kind kind)
{
    char name[QC_MAX_ID_BYTES + 64];
    qc_revision_op op = (qc_revision_op)qc_record_int(rev, QC_REVISION_OP);
    if (op == QC_OP_BEGIN && is_begin(rev)) return QC_OK;
    size_t body_len, prior_len;
    const char *body = qc__record_str(rev, QC_REVISION_BODY, &body_len);
    const char *prior = qc__record_str(rev, QC_REVISION_PRIOR, &prior_len);
    int64_t seq = qc_record_int(rev, QC_REVISION_SEQ);
    if (!kind || kind == QC_KIND_REVISION || (op != QC_OP_WITHDRAW && !body) || (op != QC_OP_INSERT && !prior))
        return bad(v, seq, kind, qc_record_text(rev, QC_REVISION_RECORD), "%s: not an entry this library writes",
                   entry_name(name, sizeof name, rev));
    multiset *m = &v->journal[kind];
    int rc = QC_OK;
    if (op != QC_OP_INSERT) rc = count_text(v, m, prior, prior_len, true);
    if (rc == QC_OK && op != QC_OP_WITHDRAW) rc = count_text(v, m, body, body_len, false);
    return rc;
}

/* The kind an entry names: entries come in runs of one kind, so the last
 * name is compared first. */
static qc_kind entry_kind(const qc_record *rev, qc_kind *last)
{
    const char *name = qc_record_text(rev, QC_REVISION_KIND);
    if (!name) return QC_KIND_NONE;
    if (*last && !strcmp(name, qc_kind_name(*last))) return *last;
    qc_kind k = qc_kind_lookup(name);
    if (k) *last = k;
    return k;
}

/* Pass 1: the chain, entry by entry, and what it says the tables hold. */
static int verify_chain(qc_verify *v)
{
    qc_iter *it;
    const qc_record *rev;
    unsigned char prev[EVP_MAX_MD_SIZE], stored[EVP_MAX_MD_SIZE];
    unsigned prev_len = 0, len = 0;
    bool begun = false;
    qc_kind last_kind = QC_KIND_NONE;
    char name[QC_MAX_ID_BYTES + 64], hex[2 * EVP_MAX_MD_SIZE + 1];
    int rc = qc_iter_new(&it, v->store, QC_KIND_REVISION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        int64_t seq = qc_record_int(rev, QC_REVISION_SEQ), want = v->entries + 1;
        const char *id = qc_record_text(rev, QC_REVISION_RECORD);
        qc_kind kind = entry_kind(rev, &last_kind);
        if (seq != want) {
            rc = seq > want ? bad(v, want, kind, id, "journal entry %lld is missing: the journal goes from entry %lld to %lld",
                                  (long long)want, (long long)want - 1, (long long)seq)
                            : bad(v, seq, kind, id, "%s is out of place: after entry %lld", entry_name(name, sizeof name, rev),
                                  (long long)want - 1);
            break;
        }
        bool hashed = qc_record_has(rev, QC_REVISION_HASH);
        if (begun && !hashed) {
            rc = bad(v, seq, kind, id, "%s has no hash", entry_name(name, sizeof name, rev));
            break;
        }
        if ((rc = qc__record_encode_except(rev, QC_REVISION_HASH, &v->text)) < 0 ||
            (rc = digest(v->ctx, v->md, prev, prev_len, v->text.p, v->text.len, prev, &len)) < 0)
            break;
        prev_len = len;
        if (hashed) {
            if (!from_hex(stored, len, qc_record_text(rev, QC_REVISION_HASH)) || memcmp(stored, prev, len)) {
                rc = bad(v, seq, kind, id, "%s does not match its hash: it, or an entry before it, was changed",
                         entry_name(name, sizeof name, rev));
                break;
            }
            if (is_begin(rev)) begun = true;
        }
        v->entries = seq;
        if (v->want_len == len && !memcmp(v->want_bytes, prev, len)) v->head_seen = seq;
        if ((rc = count_entry(v, rev, kind)) < 0) break;
    }
    qc_iter_free(it);
    if (rc != QC_ITEROVER) return rc;
    if (v->entries && !begun) return bad(v, 1, QC_KIND_NONE, NULL, "the journal never begins: no entry is hashed");
    to_hex(hex, prev, begun ? prev_len : 0);
    snprintf(v->head, sizeof v->head, "%s:%s", begun ? v->store->journal.algorithm : "none", hex);
    return QC_OK;
}

/* Pass 2: what the tables hold, kind by kind. */
static int count_tables(qc_verify *v)
{
    QC__FOR_EACH_RECORD_KIND(k) {
        qc_iter *it;
        const qc_record *r;
        int rc = qc_iter_new(&it, v->store, (qc_kind)k, NULL);
        while (rc == QC_OK && !(v->stop && atomic_load(v->stop)) && (rc = qc_iter_next(&r, it)) == QC_OK)
            if ((rc = qc__record_encode_into(r, &v->text)) == QC_OK)
                rc = count_text(v, &v->tables[k], v->text.p, v->text.len, false);
        if (rc == QC_OK) rc = QC_ITEROVER; /* stopped: what it counted is not used */
        qc_iter_free(it);
        if (rc != QC_ITEROVER) return rc;
    }
    return QC_OK;
}

/* ---- naming what differs (only when a kind disagrees) ---- */

/* The journal's records of one kind, by keyed digest: how many of each it
 * holds now and the entry that wrote it last. */
typedef struct held {
    unsigned char d[16];
    int64_t count, seq;
} held;

typedef struct held_set {
    held *slots;
    size_t n, cap; /* cap a power of two */
} held_set;

static held *held_find(held_set *h, const unsigned char *d)
{
    size_t mask = h->cap - 1, i;
    memcpy(&i, d, sizeof i);
    for (i &= mask;; i = (i + 1) & mask)
        if (!h->slots[i].seq || !memcmp(h->slots[i].d, d, 16)) return &h->slots[i];
}

static int held_add(held_set *h, const unsigned char *d, int64_t delta, int64_t seq)
{
    if ((h->n + 1) * 2 > h->cap) {
        held_set bigger = {calloc(h->cap ? h->cap * 2 : 1024, sizeof(held)), 0, h->cap ? h->cap * 2 : 1024};
        if (!bigger.slots) return qc__error(QC_ENOMEM, "out of memory");
        for (size_t i = 0; i < h->cap; i++)
            if (h->slots[i].seq) *held_find(&bigger, h->slots[i].d) = h->slots[i], bigger.n++;
        free(h->slots);
        *h = bigger;
    }
    held *e = held_find(h, d);
    if (!e->seq) {
        memcpy(e->d, d, 16);
        h->n++;
    }
    e->count += delta;
    if (delta > 0 || !e->seq) e->seq = seq;
    return QC_OK;
}

/* The last entry that wrote kind's record id (0 if none). */
static int last_entry_of(qc_verify *v, qc_kind kind, const char *id, int64_t *out)
{
    qc_iter *it;
    const qc_record *rev;
    *out = 0;
    int rc = qc_iter_new(&it, v->store, QC_KIND_REVISION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        const char *k = qc_record_text(rev, QC_REVISION_KIND), *r = qc_record_text(rev, QC_REVISION_RECORD);
        if (k && r && !strcmp(k, qc_kind_name(kind)) && !strcmp(r, id)) *out = qc_record_int(rev, QC_REVISION_SEQ);
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

static int journal_holds(qc_verify *v, qc_kind kind, held_set *h)
{
    qc_iter *it;
    const qc_record *rev;
    unsigned char d[EVP_MAX_MD_SIZE];
    int rc = qc_iter_new(&it, v->store, QC_KIND_REVISION, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        if (qc_kind_lookup(qc_record_text(rev, QC_REVISION_KIND)) != kind) continue;
        qc_revision_op op = (qc_revision_op)qc_record_int(rev, QC_REVISION_OP);
        int64_t seq = qc_record_int(rev, QC_REVISION_SEQ);
        const char *prior = qc_record_text(rev, QC_REVISION_PRIOR), *body = qc_record_text(rev, QC_REVISION_BODY);
        if (op != QC_OP_INSERT && (rc = keyed(v, prior, strlen(prior), d)) == QC_OK) rc = held_add(h, d, -1, seq);
        if (rc == QC_OK && op != QC_OP_WITHDRAW && (rc = keyed(v, body, strlen(body), d)) == QC_OK)
            rc = held_add(h, d, 1, seq);
    }
    qc_iter_free(it);
    return rc == QC_ITEROVER ? QC_OK : rc;
}

/* One line naming a record: its id, or (none) what it says first. */
static void describe(char *buf, size_t size, const qc_record *r)
{
    const char *id = qc_record_text(r, QC_FIELD_ID);
    if (id) {
        snprintf(buf, size, "%s %s", qc_kind_name(r->kind), id);
        return;
    }
    const char *a = qc_record_text(r, 1), *b = qc_record_text(r, 2);
    snprintf(buf, size, "%s of %s %s, %s %s (no id)", qc_kind_name(r->kind), r->def->fields[1].name, a ? a : "",
             r->def->fields[2].name, b ? b : "");
}

/* The journal's record of kind that no row holds, with the lowest seq
 * (0 if none): after every row took its own from h. */
static int64_t first_unheld(const held_set *h)
{
    int64_t first = 0;
    for (size_t i = 0; i < h->cap; i++)
        if (h->slots[i].seq && h->slots[i].count > 0 && (!first || h->slots[i].seq < first)) first = h->slots[i].seq;
    return first;
}

/* The id of the record entry seq wrote, into v->bad_id. */
static void name_entry_record(qc_verify *v, int64_t seq)
{
    qc_iter *it;
    const qc_record *rev;
    if (qc_iter_new(&it, v->store, QC_KIND_REVISION, NULL) < 0) return;
    while (qc_iter_next(&rev, it) == QC_OK)
        if (qc_record_int(rev, QC_REVISION_SEQ) == seq) {
            const char *id = qc_record_text(rev, QC_REVISION_RECORD);
            snprintf(v->bad_id, sizeof v->bad_id, "%s", id ? id : "");
            break;
        }
    qc_iter_free(it);
}

/* Kind disagrees with the journal: find the first row the journal did not
 * write (edited or added) and the first record it wrote that no row holds
 * (edited or deleted), and name them. */
static int name_difference(qc_verify *v, qc_kind kind)
{
    held_set h = {0};
    qc_iter *it = NULL;
    const qc_record *r;
    unsigned char d[EVP_MAX_MD_SIZE];
    char row[2 * QC_MAX_ID_BYTES + 64] = "", row_id[QC_MAX_ID_BYTES + 1] = "";
    const char *plural = qc__kind_get(kind)->plural;
    int rc = journal_holds(v, kind, &h);
    if (rc == QC_OK) rc = qc_iter_new(&it, v->store, kind, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK) {
        if ((rc = qc__record_encode_into(r, &v->text)) < 0 || (rc = keyed(v, v->text.p, v->text.len, d)) < 0) break;
        held *e = h.cap ? held_find(&h, d) : NULL;
        if (e && e->seq && e->count > 0) e->count--;
        else if (!*row) {
            describe(row, sizeof row, r);
            const char *id = qc_record_text(r, QC_FIELD_ID);
            snprintf(row_id, sizeof row_id, "%s", id ? id : "");
        }
    }
    qc_iter_free(it);
    int64_t lost = rc == QC_ITEROVER ? first_unheld(&h) : 0;
    free(h.slots);
    if (rc != QC_ITEROVER) return rc;
    if (*row && !lost && *row_id && (rc = last_entry_of(v, kind, row_id, &lost)) < 0) return rc;
    if (*row && lost)
        rc = bad(v, lost, kind, row_id, "table %s: %s is not what the journal says (journal entry %lld wrote it "
                 "otherwise): changed outside the library", plural, row, (long long)lost);
    else if (*row)
        rc = bad(v, 0, kind, row_id, "table %s: %s is not in the journal: added outside the library", plural, row);
    else if (lost)
        rc = bad(v, lost, kind, NULL, "table %s: the %s journal entry %lld wrote is missing: deleted outside the library",
                 plural, qc_kind_name(kind), (long long)lost);
    else
        rc = bad(v, 0, kind, NULL, "table %s disagrees with the journal", plural);
    if (lost && !*v->bad_id) name_entry_record(v, lost);
    return rc;
}

/* The tables counted in a thread of their own, on a second reader of the
 * chain's snapshot, while the chain is checked: the two passes take about
 * as long each. */
typedef struct tables_worker {
    qc_verify v;
    pthread_t thread;
    int rc;
    char message[512];
} tables_worker;

static void *count_tables_thread(void *arg)
{
    tables_worker *w = arg;
    w->rc = count_tables(&w->v);
    if (w->rc < 0) snprintf(w->message, sizeof w->message, "%s", qc_error_last()); /* this thread's message */
    return NULL;
}

/* Start counting the tables of v->tables_store in a thread; NULL if it
 * cannot (the caller counts them itself). */
static tables_worker *start_tables(qc_verify *v)
{
    tables_worker *w = v->tables_store ? calloc(1, sizeof *w) : NULL;
    if (!w) return NULL;
    w->v.store = v->tables_store;
    w->v.md = v->md;
    w->v.stop = &v->stop_tables;
    memcpy(w->v.key, v->key, sizeof v->key);
    if ((w->v.ctx = EVP_MD_CTX_new()) && pthread_create(&w->thread, NULL, count_tables_thread, w) == 0) return w;
    EVP_MD_CTX_free(w->v.ctx);
    free(w);
    return NULL;
}

/* Wait for the worker; its sums into v if the chain held (chain_rc). */
static int finish_tables(qc_verify *v, tables_worker *w, int chain_rc)
{
    if (chain_rc < 0) atomic_store(&v->stop_tables, true);
    pthread_join(w->thread, NULL);
    int rc = chain_rc;
    if (rc == QC_OK && w->rc < 0) rc = qc__error(w->rc, "%s", w->message);
    else if (rc == QC_OK) memcpy(v->tables, w->v.tables, sizeof v->tables);
    EVP_MD_CTX_free(w->v.ctx);
    free(w->v.text.p);
    free(w);
    return rc;
}

static int verify_in(qc_verify *v)
{
    qc_store *s = v->store;
    int rc = load_head(s);
    if (rc == QC_ETAMPERED && s->journal.md) rc = QC_OK; /* a garbled head: the chain pass names the entry */
    if (rc < 0) return rc;
    if (!s->journal.md && (rc = use_algorithm(&s->journal, "sha256")) < 0) return rc; /* nothing hashed yet */
    v->md = s->journal.md;
    if (!(v->ctx = EVP_MD_CTX_new())) return qc__error(QC_ENOMEM, "out of memory"); /* its own: the store's is left alone */
    if (v->want && from_hex(v->want_bytes, (unsigned)EVP_MD_get_size(v->md), v->want))
        v->want_len = (unsigned)EVP_MD_get_size(v->md);
    if (RAND_bytes(v->key, sizeof v->key) != 1) return qc__error(QC_ERROR, "no random key for the check");
    tables_worker *w = start_tables(v);
    rc = verify_chain(v);
    if (w) rc = finish_tables(v, w, rc);
    else if (rc == QC_OK) rc = count_tables(v);
    if (rc < 0) return rc;
    QC__FOR_EACH_RECORD_KIND(k) {
        if (!memcmp(&v->journal[k], &v->tables[k], sizeof(multiset))) continue;
        if (!v->entries)
            return bad(v, 0, (qc_kind)k, NULL, "the store holds %s but no journal", qc__kind_get((qc_kind)k)->plural);
        return name_difference(v, (qc_kind)k);
    }
    return QC_OK;
}

QC_EXTERN int qc_store_verify(qc_verify **out, qc_store *s, const char *head)
{
    if (out) *out = NULL;
    if (!out || !s) return qc__error(QC_EINVAL, "qc_store_verify: NULL argument");
    if (!qc__be_keeps_journal(s)) return qc__error(QC_EUNSUPPORTED, "the %s backend keeps no journal", s->backend->name);
    qc_verify *v = calloc(1, sizeof *v);
    if (!v) return qc__error(QC_ENOMEM, "out of memory");
    if (head) { /* "sha256:HEX" or the hex alone */
        const char *colon = strchr(head, ':');
        v->want = colon ? colon + 1 : head;
    }
    /* one snapshot for both passes, where the backend has them: two readers
     * (the chain and the tables side by side) or one */
    qc_store *readers[2] = {NULL, NULL};
    if (!s->in_txn && qc__store_threads(s) >= 2 && qc__store_open_readers(s, 2, readers) == QC_OK) {
        v->store = readers[0];
        v->tables_store = readers[1];
    } else {
        v->store = !s->in_txn && qc__store_open_readers(s, 1, readers) == QC_OK ? readers[0] : s;
    }
    int rc = verify_in(v);
    EVP_MD_CTX_free(v->ctx);
    v->ctx = NULL;
    qc_store_free(readers[0]);
    qc_store_free(readers[1]);
    free(v->text.p);
    v->text.p = NULL;
    v->tables_store = NULL;
    v->store = NULL;
    v->want = NULL;
    if (rc < 0 && rc != QC_ETAMPERED) {
        free(v);
        return rc;
    }
    *out = v;
    return rc;
}

QC_EXTERN const char *qc_verify_head(const qc_verify *v) { return v ? v->head : ""; }
QC_EXTERN int64_t qc_verify_entries(const qc_verify *v) { return v ? v->entries : 0; }
QC_EXTERN int64_t qc_verify_head_seen(const qc_verify *v) { return v ? v->head_seen : 0; }
QC_EXTERN int64_t qc_verify_bad_entry(const qc_verify *v) { return v ? v->bad_seq : 0; }
QC_EXTERN qc_kind qc_verify_bad_kind(const qc_verify *v) { return v ? v->bad_kind : QC_KIND_NONE; }
QC_EXTERN const char *qc_verify_bad_id(const qc_verify *v) { return v ? v->bad_id : ""; }
QC_EXTERN void qc_verify_free(qc_verify *v) { free(v); }
