/* SPDX-License-Identifier: MIT
 * feed.c - the records an assessment reads beside the cases, in case order:
 * the by-case walk over one kind (qc__stream), and the feed - each case's
 * acts (per person, as sets of act kinds) and participations (person and
 * capacity weight), packed into blocks.  The acts and participations are
 * the largest tables: on a store that can open parallel readers a thread
 * of its own fills the blocks from a second connection while the caller's
 * thread reads the cases, classifies and judges; else the caller fills
 * each block when it needs the next.  A bounded number of blocks circulate
 * between the two, so memory stays flat.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

int qc__keep_id(char *dst, const char *id)
{
    size_t n = strlen(id);
    if (n > QC_MAX_ID_BYTES) return qc__error(QC_ESCHEMA, "id '%.40s...' is longer than %d bytes", id, QC_MAX_ID_BYTES);
    memcpy(dst, id, n + 1);
    return QC_OK;
}

int qc__next_case_id(char *last, const char *id)
{
    if (last[0] && strcmp(id, last) <= 0)
        return qc__error(QC_EBACKEND, "cases came out of id order ('%s' after '%s')", id, last);
    return qc__keep_id(last, id);
}

int qc__stream_next(qc__stream *s)
{
    int rc = qc_iter_next(&s->r, s->it);
    if (rc == QC_ITEROVER) {
        s->r = NULL;
        return QC_OK;
    }
    if (rc < 0) return rc;
    const char *id = qc_record_text(s->r, s->field);
    int cmp = strcmp(id, s->last);
    if (cmp < 0)
        return qc__error(QC_EBACKEND, "%s records came out of case order ('%s' after '%s'): the backend does not honour "
                                      "qc_filter_set_by_case", qc_kind_name(qc_record_kind(s->r)), id, s->last);
    return cmp > 0 ? qc__keep_id(s->last, id) : QC_OK;
}

int qc__stream_open(qc__stream *s, qc_store *store, qc_kind kind, int field, const char *office, uint32_t fields)
{
    *s = (qc__stream){.field = field};
    qc_filter *f;
    int rc = qc_filter_new(&f);
    if (rc < 0) return rc;
    f->values_only = true; /* this reader reads its typed fields with qc_record_int only */
    if ((rc = qc_filter_set_by_case(f, 1)) == QC_OK && (rc = qc_filter_set_fields(f, fields)) == QC_OK &&
        (rc = qc_filter_set_office(f, office)) == QC_OK && (rc = qc_iter_new(&s->it, store, kind, f)) == QC_OK)
        rc = qc__stream_next(s);
    qc_filter_free(f);
    return rc;
}

int qc__stream_seek(qc__stream *s, const char *id, bool *here)
{
    int rc = QC_OK, cmp = 1;
    while (rc == QC_OK && s->r && (cmp = strcmp(qc_record_text(s->r, s->field), id)) < 0) rc = qc__stream_next(s);
    *here = rc == QC_OK && s->r && cmp == 0; /* cmp is the current record's */
    return rc;
}

/* ---- the feed ---- */

static double capacity_weight(const qc__assess_spec *spec, const char *capacity)
{
    for (int i = 0; i < spec->ncapacities; i++)
        if (!strcmp(spec->capacity_names[i], capacity)) return spec->capacity_weights[i];
    return 0.0;
}

enum { FEED_BLOCK_ENTRIES = 4096, FEED_BLOCK_TEXT = 64 * 1024, FEED_BLOCKS = 8 };

typedef struct feed_block {
    struct feed_block *next;
    int n;
    size_t used;
    qc__feed_entry e[FEED_BLOCK_ENTRIES];
    char text[FEED_BLOCK_TEXT];
} feed_block;

struct qc__feed {
    const qc__assess_spec *spec; /* the rules: read only */
    const char *const *kinds;
    int nkinds;
    const qc__strmap *people;    /* read only */
    qc__strmap kinds_seen;  /* act kind -> code + 2, the filler's own */
    struct {                /* the first kinds seen: a handful cover nearly every act */
        char kind[32];
        int code;
    } recent[16];
    int nrecent;
    qc__stream acts, parts;
    bool threaded, done, cancel;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    feed_block *head, *tail; /* filled, in case order */
    feed_block *spare;       /* read, to fill again */
    int nblocks;
    int rc;                  /* the filler's failure, and its message */
    char message[512];
    feed_block *reading;     /* the judge's block and place in it */
    int at;
};

/* Looked up once per distinct kind; the first few are compared directly,
 * which is cheaper than hashing for twelve million acts. */
static int kind_code(qc__feed *fd, const char *kind, int *out)
{
    for (int i = 0; i < fd->nrecent; i++)
        if (fd->recent[i].kind[0] == kind[0] && !strcmp(fd->recent[i].kind, kind)) {
            *out = fd->recent[i].code;
            return QC_OK;
        }
    int stored = qc__map_find(&fd->kinds_seen, kind); /* the code + 2; -1: not seen yet */
    if (stored >= 0) {
        *out = stored - 2;
        return QC_OK;
    }
    int bit = qc__word_at(fd->kinds, fd->nkinds, kind);
    *out = qc__word_at(fd->spec->credit_only, fd->spec->ncredit, kind) >= 0 ? QC__KIND_CREDIT_ONLY
           : bit >= 0                                                     ? bit
                                                                          : QC__KIND_OTHER;
    if (fd->nrecent < (int)QC__ARRAY_LEN(fd->recent) && strlen(kind) < sizeof fd->recent[0].kind) {
        strcpy(fd->recent[fd->nrecent].kind, kind);
        fd->recent[fd->nrecent++].code = *out;
    }
    return qc__map_put(&fd->kinds_seen, kind, *out + 2);
}

/* Append an id to the block's text; false if it is full. */
static bool block_text(feed_block *b, const char *id, uint32_t *off)
{
    size_t n = strlen(id) + 1;
    if (b->used + n > sizeof b->text) return false;
    memcpy(b->text + b->used, id, n);
    *off = (uint32_t)b->used;
    b->used += n;
    return true;
}

/* Fill b from the two streams, lowest case first, until it is full or
 * both end (*end). */
static int fill_block(qc__feed *fd, feed_block *b, bool *end)
{
    int rc = QC_OK, group = 0; /* group: the block's first entry of the current case */
    b->n = 0;
    b->used = 0;
    *end = false;
    while (rc == QC_OK && (fd->acts.r || fd->parts.r)) {
        const char *act_case = fd->acts.r ? qc_record_text(fd->acts.r, QC_ACT_CASE) : NULL;
        const char *part_case = fd->parts.r ? qc_record_text(fd->parts.r, QC_PARTICIPATION_CASE) : NULL;
        bool is_act = act_case && (!part_case || strcmp(act_case, part_case) <= 0);
        qc__stream *st = is_act ? &fd->acts : &fd->parts;
        const char *kase = is_act ? act_case : part_case;
        const char *person = qc_record_text(st->r, is_act ? QC_ACT_PERSON : QC_PARTICIPATION_PERSON);
        int code = 0;
        double weight = 0;
        if (is_act) rc = kind_code(fd, qc_record_text(st->r, QC_ACT_KIND), &code);
        else weight = capacity_weight(fd->spec, qc_record_text(st->r, QC_PARTICIPATION_CAPACITY));
        /* credit-only duties are not handling; a weightless capacity counts
         * nothing, but is kept: it lists the person on the case */
        if (rc == QC_OK && (!is_act || code != QC__KIND_CREDIT_ONLY)) {
            bool new_case = b->n == 0 || strcmp(b->text + b->e[group].kase, kase) != 0;
            int i = new_case ? b->n : group;
            while (is_act && i < b->n && (b->e[i].participation || strcmp(b->text + b->e[i].person, person))) i++;
            if (!is_act || i == b->n) {
                qc__feed_entry e = {.kase = new_case ? 0 : b->e[group].kase, .participation = !is_act, .weight = weight,
                                    .slice = !is_act && fd->people ? qc__map_find(fd->people, person) : -1,
                                    .last_day = INT64_MIN};
                size_t mark = b->used;
                if (b->n == FEED_BLOCK_ENTRIES || (new_case && !block_text(b, kase, &e.kase)) ||
                    !block_text(b, person, &e.person)) {
                    b->used = mark;
                    if (b->n == 0) /* not even alone: ids no store written by the library holds */
                        return qc__error(QC_ESCHEMA, "case %.40s: person id '%.40s...' is too long", kase, person);
                    return QC_OK; /* full: this record starts the next block */
                }
                if (new_case) group = b->n;
                i = b->n++;
                b->e[i] = e;
            }
            if (is_act) {
                b->e[i].mask |= 1ull << code;
                int64_t day = qc__day_of(qc_record_int(st->r, QC_ACT_TIME));
                if (day > b->e[i].last_day) b->e[i].last_day = day;
            }
        }
        if (rc == QC_OK) rc = qc__stream_next(st);
    }
    *end = rc == QC_OK;
    return rc;
}

static void *feed_filler(void *arg)
{
    qc__feed *fd = arg;
    for (;;) {
        pthread_mutex_lock(&fd->lock);
        while (!fd->spare && fd->nblocks >= FEED_BLOCKS && !fd->cancel) pthread_cond_wait(&fd->changed, &fd->lock);
        feed_block *b = fd->spare;
        if (b) fd->spare = b->next;
        else if (!fd->cancel) fd->nblocks++;
        bool cancel = fd->cancel;
        pthread_mutex_unlock(&fd->lock);
        if (cancel) break;
        bool end = false;
        int rc = (b || (b = malloc(sizeof *b))) ? fill_block(fd, b, &end) : qc__error(QC_ENOMEM, "out of memory");
        pthread_mutex_lock(&fd->lock);
        if (rc < 0) {
            fd->rc = rc;
            snprintf(fd->message, sizeof fd->message, "%s", qc_error_last());
            free(b);
            end = true;
        } else {
            b->next = NULL;
            if (fd->tail) fd->tail->next = b;
            else fd->head = b;
            fd->tail = b;
        }
        fd->done = end;
        pthread_cond_broadcast(&fd->changed);
        pthread_mutex_unlock(&fd->lock);
        if (end) break;
    }
    return NULL;
}

static void free_blocks(feed_block *b)
{
    while (b) {
        feed_block *next = b->next;
        free(b);
        b = next;
    }
}

int qc__feed_start(qc__feed **out, const qc__assess_spec *spec, const char *const *kinds, int nkinds,
                   const qc__strmap *people, qc_store *store, const char *office, bool threaded)
{
    qc__feed *fd = *out = calloc(1, sizeof *fd);
    if (!fd) return qc__error(QC_ENOMEM, "out of memory");
    *fd = (qc__feed){.spec = spec, .kinds = kinds, .nkinds = nkinds, .people = people};
    /* only the fields read here: the case indexes alone serve them */
    int rc = qc__stream_open(&fd->acts, store, QC_KIND_ACT, QC_ACT_CASE, office,
                             1u << QC_ACT_CASE | 1u << QC_ACT_PERSON | 1u << QC_ACT_KIND | 1u << QC_ACT_TIME);
    if (rc == QC_OK)
        rc = qc__stream_open(&fd->parts, store, QC_KIND_PARTICIPATION, QC_PARTICIPATION_CASE, office,
                             1u << QC_PARTICIPATION_CASE | 1u << QC_PARTICIPATION_PERSON | 1u << QC_PARTICIPATION_CAPACITY);
    if (rc < 0 || !threaded) return rc;
    if (pthread_mutex_init(&fd->lock, NULL) != 0) return QC_OK; /* filled in the caller's thread */
    if (pthread_cond_init(&fd->changed, NULL) != 0) {
        pthread_mutex_destroy(&fd->lock);
        return QC_OK;
    }
    fd->threaded = pthread_create(&fd->thread, NULL, feed_filler, fd) == 0;
    if (!fd->threaded) {
        pthread_cond_destroy(&fd->changed);
        pthread_mutex_destroy(&fd->lock);
    }
    return QC_OK;
}

void qc__feed_stop(qc__feed *fd)
{
    if (!fd) return;
    if (fd->threaded) {
        pthread_mutex_lock(&fd->lock);
        fd->cancel = true;
        pthread_cond_broadcast(&fd->changed);
        pthread_mutex_unlock(&fd->lock);
        pthread_join(fd->thread, NULL);
        pthread_cond_destroy(&fd->changed);
        pthread_mutex_destroy(&fd->lock);
    }
    free_blocks(fd->head);
    free_blocks(fd->spare);
    free(fd->reading);
    qc_iter_free(fd->acts.it);
    qc_iter_free(fd->parts.it);
    qc__map_free(&fd->kinds_seen);
    free(fd);
}

int qc__feed_peek(qc__feed *fd, const qc__feed_entry **e, const char **text)
{
    for (;;) {
        if (fd->reading && fd->at < fd->reading->n) {
            *e = &fd->reading->e[fd->at];
            *text = fd->reading->text;
            return 1;
        }
        if (!fd->threaded) {
            if (fd->done) return 0;
            if (!fd->reading && !(fd->reading = malloc(sizeof *fd->reading))) return qc__error(QC_ENOMEM, "out of memory");
            fd->at = 0;
            int rc = fill_block(fd, fd->reading, &fd->done);
            if (rc < 0) return rc;
            continue;
        }
        pthread_mutex_lock(&fd->lock);
        if (fd->reading) { /* read: back to the filler */
            fd->reading->next = fd->spare;
            fd->spare = fd->reading;
            fd->reading = NULL;
            pthread_cond_broadcast(&fd->changed);
        }
        while (!fd->head && !fd->done) pthread_cond_wait(&fd->changed, &fd->lock);
        if (fd->head) {
            fd->reading = fd->head;
            fd->head = fd->head->next;
            if (!fd->head) fd->tail = NULL;
            fd->at = 0;
        }
        int rc = fd->rc;
        pthread_mutex_unlock(&fd->lock);
        if (fd->reading) continue;
        return rc < 0 ? qc__error(rc, "%s", fd->message) : 0;
    }
}

void qc__feed_next(qc__feed *fd) { fd->at++; }
