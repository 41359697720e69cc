/* SPDX-License-Identifier: MIT
 * feed.h - reading participations, acts and reviews beside the cases of an
 * assessment, all in case order (feed.c).
 */
#ifndef QC_FEED_H
#define QC_FEED_H

#include "rules_internal.h"

/* Copy an id into a buffer of QC_MAX_ID_BYTES + 1; QC_ESCHEMA if longer
 * (records written through the library never are; a foreign file might). */
int qc__keep_id(char *dst, const char *id);
/* The next case of a read in id order: QC_EBACKEND if id does not come
 * after last (the backend broke the order, and a reader walking records
 * beside the cases would lose some), else id kept in last (QC_MAX_ID_BYTES
 * + 1 bytes, "" before the first). */
int qc__next_case_id(char *last, const char *id);

/*
 * The records of one kind beside the cases: all come ordered by case id
 * (the cases by id, the others by case - qc_filter_set_by_case), so each
 * case's acts, reviews and participations are found by walking forward,
 * without a table of every case.  The order is checked, not trusted: a
 * backend that broke it would otherwise lose records without a word.
 */
typedef struct qc__stream {
    qc_iter *it;
    const qc_record *r;             /* the current record; NULL at the end */
    int field;                      /* the field holding the case id */
    char last[QC_MAX_ID_BYTES + 1]; /* the previous record's case id */
} qc__stream;

/* Walk kind's records of office (NULL: all) by case, asking only for
 * fields (0: all) - where an index holds them, it alone serves. */
int qc__stream_open(qc__stream *s, qc_store *store, qc_kind kind, int field, const char *office, uint32_t fields);
int qc__stream_next(qc__stream *s);
/* Step past the records of cases before id; *here: the next is id's. */
int qc__stream_seek(qc__stream *s, const char *id, bool *here);

/* An act kind's bit in the masks: a kind the personal rules name has its
 * own (its index in the kinds list); any other still shows the person did
 * something (QC__KIND_OTHER); duties that earn credit but never offset the
 * quota are not handling (QC__KIND_CREDIT_ONLY). */
enum { QC__KIND_OTHER = 63, QC__KIND_CREDIT_ONLY = -1 };

/* One entry of the feed: a person's acts on a case, or a participation. */
typedef struct qc__feed_entry {
    uint32_t kase, person; /* offsets of the ids in the block's text */
    bool participation;    /* else acts */
    uint64_t mask;         /* acts: the kinds, as bits */
    int64_t last_day;      /* acts: the day of the person's latest act on the case */
    double weight;         /* participation: the capacity's weight */
    int slice;             /* participation: the person's value in the people map, or -1 */
} qc__feed_entry;

typedef struct qc__feed qc__feed;

/*
 * Start the feed of office's cases (NULL: all) from store: each case's acts
 * per person and its participations that weigh something, in case order.
 * kinds: the act kinds the personal rules name, in bit order (kept, not
 * copied).  people: person id -> a value handed on with each participation
 * (looked up by the filler, so the judge need not; read only while the
 * feed runs).  threaded: fill it in a thread of its own (store is then
 * used by that thread only); else the caller's thread fills it on demand.
 */
int qc__feed_start(qc__feed **out, const qc__assess_spec *spec, const char *const *kinds, int nkinds,
                   const qc__strmap *people, qc_store *store, const char *office, bool threaded);
/* The current entry and its block's text (1), the end (0) or a failure. */
int qc__feed_peek(qc__feed *fd, const qc__feed_entry **e, const char **text);
void qc__feed_next(qc__feed *fd);
void qc__feed_stop(qc__feed *fd);

#endif /* QC_FEED_H */
