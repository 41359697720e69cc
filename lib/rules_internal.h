/* SPDX-License-Identifier: MIT
 * rules_internal.h - the compiled form of rule files, shared by the
 * loader (rules_load.c), the expression compiler (expr.c), the classifier
 * (classify.c) and the test runner (rules_test.c).
 *
 * A loaded rule set is immutable: every pointer below is owned by the
 * rule set's arena and lives until qc_rules_free(), so one rule set can be
 * shared by threads.  Per-case state lives in the classifier.
 */
#ifndef QC_RULES_INTERNAL_H
#define QC_RULES_INTERNAL_H

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "expr.h"
#include "internal.h"

typedef struct qc__label {
    const char *id, *zh, *en;
    double weight;       /* weights.labels, default 1 */
    bool fallback;
} qc__label;

typedef struct qc__rule {
    const char *id;
    int label;           /* index into labels */
    const char *when;    /* source text, for explanations */
    int32_t root;        /* node index of the compiled condition */
    const char *cite;
    const char **lines, **types, **offices; /* scope; NULL = any */
    int nlines, ntypes, noffices;
    unsigned levels;     /* bit (1 << qc_office_level); 0 = any */
    bool scoped;         /* any of the four above */
    int *reads;          /* facts the condition reads (not through has()) */
    int nreads;
    bool reads_strict;   /* one of them is declared missing: error */
    long line, col;
} qc__rule;

typedef struct qc__name {
    const char *kind, *id, *zh, *en; /* display names: kind is label/role/line/act */
} qc__name;

typedef enum qc__combine { COMBINE_MAX, COMBINE_SUM, COMBINE_PRODUCT } qc__combine;

/* assessment: (docs/assessment.md) - who must handle how many cases. */
typedef struct qc__quota {
    const char *id;
    unsigned levels;               /* bit (1 << level); 0 = any */
    const char **roles, **offices; /* NULL = any */
    int nroles, noffices;
    double min;                    /* cases a year, prorated to the period and post */
    double share, max_share;       /* of the average caseload; 0 = none */
    bool of_department;            /* average over the department, not the office */
    double focus_share;            /* < 0: the assessment-wide value */
    long line;
} qc__quota;

typedef struct qc__personal {
    const char *line;              /* business line, or "default" */
    const char **all_of, **any_of;
    int nall, nany;
} qc__personal;

/* scores: (docs/assessment.md, "Performance scores"). */
typedef struct qc__grade { const char *scheme, *grade, *maps_to; double multiplier; } qc__grade;
typedef struct qc__consequence { const char *grade, *outcome; int periods; } qc__consequence;

typedef struct qc__score_spec {
    bool present;
    const char *scheme;            /* grades are expressed in this scheme */
    qc__grade *grades;             /* multipliers of `scheme`, and the mapping of other schemes to it */
    int ngrades;
    double unreviewed;             /* multiplier of a case without review */
    double timely_days, late_factor;
    double bonus_hard, penalty_name_only;
    bool normalise_office;
    double excellent, competent, basically_competent; /* thresholds on the (normalised) score */
    qc__consequence *consequences;
    int nconsequences;
} qc__score_spec;

typedef struct qc__assess_spec {
    bool present;
    qc__score_spec scores;
    const char **leaders, **handlers, **hard_labels, **chief_roles, **credit_only;
    int nleaders, nhandlers, nhard, nchief, ncredit;
    /* workload credit: duty kinds and credit-only act kinds, each with its
     * weight (credit:); never offsets the quota */
    const char **credit_kinds;
    double *credit_weights;
    bool *credit_is_act;
    int ncredit_kinds;
    const char **capacity_names;
    double *capacity_weights;
    int ncapacities;
    qc__personal *personal;
    int npersonal;
    qc__quota *quotas;
    int nquotas;
    /* random assignment (assign.c): a role's share of an ordinary
     * handler's new cases (a leader's reduced caseload); roles not named
     * weigh 1 */
    const char **assignment_roles;
    double *assignment_weights;
    int nassignment;
    double focus_share;            /* 0 = no focus requirement */
    double office_compliance;      /* share of an office's leaders who must meet the quota (default 1) */
    bool average_includes_leaders;
} qc__assess_spec;

/* deadlines: (docs/deadlines.md) - process nodes and their periods. */
typedef struct qc__span {
    int months, days;    /* months first, then days: "1 month 15 days" (一个半月) */
} qc__span;

typedef struct qc__proc_node {
    const char *id, *zh, *en;
    const char **lines;                /* NULL = any */
    int nlines;
    /* step kinds: open the node (its clock starts), start its clock again
     * (counted against max_restarts), close it, stop and restart the clock */
    const char **opened_by, **restarted_by, **closed_by, **suspended_by, **resumed_by;
    int nopened, nrestarted, nclosed, nsuspended, nresumed;
    int max_restarts;                  /* -1: no limit */
    qc__span period;
    struct qc__proc_period_if {        /* another period when a case fact says so: the longest that applies */
        int fact;                      /* index into the set's facts */
        bool is_true;                  /* a bool fact that is true; else a number above `above` */
        double above;
        qc__span period;
    } *period_if;
    int nperiod_if;
    struct qc__proc_extend { int label; qc__span by; } *extend;  /* by label: the longest applies */
    int nextend;
    struct qc__proc_grant { const char *step; qc__span by; } *granted; /* by a step, each time */
    int ngranted;
    bool holidays;                     /* a last day on a holiday moves to the next working day */
    int yellow, orange;                /* warn from this many days before the due day */
    struct qc__proc_require {          /* what must be on record before a step of `before` */
        const char *id, *cite;
        const char **before, **labels, **acts, **steps; /* labels: only cases with one of them; NULL = any */
        int nbefore, nlabels, nacts, nsteps;
        bool by_leader;                /* the act must be a leader's own, of a leader listed on the case */
    } *requires;
    int nrequires;
    long line;
} qc__proc_node;

typedef struct qc__deadline_spec {
    bool present;
    qc__proc_node *nodes;
    int nnodes;
    int64_t *holidays, *workdays;      /* sorted days; workdays: weekend days worked (调休) */
    int nholidays, nworkdays;
    int first_year, last_year;         /* the years the calendar covers (0: none) */
    bool weekends_off;                 /* Saturdays and Sundays are holidays (the default) */
} qc__deadline_spec;

/* ratio: the case-to-proceeding ratio (案-件比, docs/deadlines.md): a
 * case's first step of a `cases` kind makes it one 案 in the period it
 * falls in; each step of a `proceedings` kind in the period adds a 件. */
typedef struct qc__ratio_spec {
    bool present;
    const char **cases, **proceedings;
    int ncases, nproceedings;
} qc__ratio_spec;

/* The ratio of an assessment's period (ratio.c): NULL *out when no rule
 * set in force on `to` has a ratio: section, or the store keeps no steps. */
typedef struct qc__ratio qc__ratio;
int qc__ratio_compute(qc__ratio **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from, int64_t to);
void qc__ratio_free(qc__ratio *r);
/* Row i of the ratio (-1: every office together), components k; NULL
 * ratios and rows out of range read as empty. */
int qc__ratio_count(const qc__ratio *r);
const char *qc__ratio_office(const qc__ratio *r, int i);
int64_t qc__ratio_cases(const qc__ratio *r, int i);
int64_t qc__ratio_items(const qc__ratio *r, int i);
int qc__ratio_component_count(const qc__ratio *r);
const char *qc__ratio_component(const qc__ratio *r, int k);
int64_t qc__ratio_component_value(const qc__ratio *r, int i, int k);

/* The assessment's leaders, people and offices alone, without the process
 * figures (deadlines, the ratio, notices) or the assignments: what the
 * suggestion for a new case reads (assign.c). */
int qc__assess_leaders(qc_assessment **out, const qc_rules *rules, qc_store *store, const char *office, int64_t from,
                       int64_t to);

/* Workload credit of a period (credit.c): each unit to add(); of people
 * (npeople of them, each read by the person index) or, people NULL, of
 * everyone. */
int qc__credit_read(const qc__assess_spec *spec, qc_store *store, int64_t from, int64_t to,
                    const char *const *people, int npeople,
                    int (*add)(void *ctx, const char *person, int64_t day, int kind, double count), void *ctx);

/* A consequence may look at most this many periods back (the rule's
 * `periods:` is 1 to this; the assessment keeps one slot per period). */
#define QC__MAX_CONSEQUENCE_PERIODS 4

/* One version of one rule set: a file with everything it extends folded in. */
/* "sha256:" and 64 hex digits, NUL: a rule set's content hash. */
#define QC__RULES_HASH_BYTES 72

typedef struct qc__ruleset {
    const char *name, *version, *description, *file;
    char content_hash[QC__RULES_HASH_BYTES]; /* of the texts it was layered from (rules_load.c) */
    bool manual_replaces; /* manual_labels: replace - a designated case has those labels only */
    qc_office_kind kind;  /* 0 = both */
    /* applies_to: the offices whose cases it governs (and with
     * applies_descendants every office under them); none: everywhere */
    const char **applies_offices;
    int napplies;
    bool applies_descendants;
    long applies_line, applies_col; /* where it was said, for lint */
    int64_t effective_from, effective_to; /* days; to = INT64_MAX if open */
    const char **citations;
    int ncitations;
    const char **warnings; /* "file:line:col: path: message", from the load */
    int nwarnings;
    qc__program prog;     /* the facts and the compiled conditions (expr.h) */
    qc__label *labels;    /* priority order, highest first */
    int nlabels, fallback;
    qc__rule *rules;
    int nrules;
    qc__name *names;
    int nnames;
    qc__combine combine;
    struct { const char *type; double factor; } *type_weights;
    int ntype_weights;
    int per_defendant_fact; /* fact index or -1 */
    double per_defendant_each, per_defendant_max;
    qc__assess_spec assess;
    qc__deadline_spec deadlines;
    qc__ratio_spec ratio;
} qc__ruleset;

/* Which node of which rule set deadline i is in (its index in
 * rs->deadlines.nodes), or -1 (deadlines.c). */
int qc__deadlines_node_at(const qc_deadlines *d, int i, const qc__ruleset **rs);

struct qc_rules {
    qc__arena arena;
    qc__ruleset **sets;   /* versions, sorted by name then effective_from */
    int nsets;
    char content_hash[QC__RULES_HASH_BYTES]; /* of every set's, in order (qc_rules_hash) */
    bool allow_absolute_extends; /* QC_RULES_ABSOLUTE_EXTENDS */
};

#define EXPLAIN_BYTES QC_EXPLANATION_MAX

typedef struct qc__explain {
    char *buf;
    size_t len, cap;
    const struct qc__ruleset *rs; /* whose conditions are being explained */
} qc__explain;

/* Add a line (printf) to an explanation (explain.c). */
void qc__explain_add(qc__explain *e, const char *fmt, ...) QC__PRINTF(2, 3);
/* Record one evaluated comparison (explain.c; qc__eval_ctx.note). */
void qc__explain_note(qc__explain *e, const qc__eval_ctx *ctx, int32_t node, qc__xvalue left, qc__xvalue right,
                      bool result);

/* A classification's outcome and everything one classification writes:
 * a classifier only reads, so threads may share one, each classifying
 * into a result of its own (qc_classify_into). */
struct qc_result {
    const qc__ruleset *rs;
    int primary;          /* label index */
    int *labels;          /* label indices matched, priority order */
    int nlabels;
    int *matched;         /* rule indices matched, file order */
    int nmatched;
    double weight;
    const char *explanation;
    /* work space, sized for the largest rule set of the rules */
    const qc_rules *rules;
    qc__xvalue *facts;
    bool *label_hit;
    qc__explain explain;
    /* which schema fact each fact of the last case was: cases from one
     * source carry their facts in the same order, so one strcmp per fact
     * usually confirms the guess */
    const qc__ruleset *slot_cache_set;
    int slot_cache[64];
    char slot_cache_names[64][32];
};

/* A label given to a case by hand (designations.c). */
typedef struct qc__designation {
    const char *case_id, *label, *by, *reason, *decision; /* decision may be NULL */
    int64_t date;
    size_t order; /* in the order stored */
} qc__designation;
typedef struct qc__designations qc__designations;
/* Every designation of store (none for a backend older than version 5). */
int qc__designations_load(qc__designations **out, qc_store *store);
/* The designations of one case, *n of them, in the order stored; NULL if none. */
const qc__designation *qc__designations_of(const qc__designations *d, const char *case_id, int *n);
void qc__designations_free(qc__designations *d);
/* Classify with d (owned by the caller, kept until the classifier is freed). */
void qc__classifier_set_designations(struct qc_classifier *c, const qc__designations *d);

struct qc_classifier {
    const qc_rules *rules;
    const qc__designations *designations; /* labels given by hand; may be NULL */
    qc__designations *own_designations;   /* read from a store by qc_classifier_set_store */
    const qc_offices *offices; /* office levels and kinds; may be NULL */
    qc_offices *own_offices;   /* read from a store by qc_classifier_set_store */
    int64_t office_level;      /* for offices not in the table, or without one */
    int64_t today;
    bool explain_on;
    struct qc_result *result;  /* what qc_classify writes */
};

/* What the rules read of a case besides its facts. */
typedef struct qc__case_view {
    const char *id, *office;
    const char *fields_str[4]; /* CF_LINE, CF_TYPE, CF_SOURCE, CF_STAGE */
    int64_t level, registered, closed;
    bool has_closed;
} qc__case_view;

/* The version of rules in force on that day for an office of that kind. */
/* Which sections a rule set must have to be chosen (qc__set_in_force). */
typedef enum { QC__SECTION_ANY, QC__SECTION_ASSESSMENT, QC__SECTION_RATIO } qc__section;

/*
 * The rule set in force on day for a case of an office of that kind (0:
 * any) that has section: of those in force there, the one bound most
 * closely to the office (applies_to naming the office itself, then its
 * parent, ...; a set without applies_to last), then the newest.  offices
 * gives the parents (NULL: only the office itself is matched); office
 * NULL leaves the place out of it.  NULL if none is in force.
 */
const qc__ruleset *qc__set_in_force(const qc_rules *rules, int64_t day, qc_office_kind kind, const qc_offices *offices,
                                   const char *office, qc__section section);
/* Whether any loaded rule set is bound to offices (applies_to). */
bool qc__rules_have_places(const qc_rules *rules);
/* A case's weight: its labels (nlabels of them, priority order; none: the
 * primary, the fallback) combined as the rules say, times the case type's
 * factor and the per-defendant factor (classify.c). */
double qc__weight(const qc__ruleset *rs, const int *labels, int nlabels, int primary, const char *type,
                  const qc__xvalue *facts);
/* Classify the case view shows, its facts already in res->facts (classify.c). */
int qc__judge(qc_result *res, const qc_classifier *c, const qc__ruleset *rs, const qc__case_view *view);

/* An office's level and kind from a table; QC_ENOTFOUND if not in it. */
int qc__offices_find(const qc_offices *offices, const char *id, int *level, qc_office_kind *kind);
/* The office's parent; NULL for none or an unknown office (no error set). */
const char *qc__offices_parent(const qc_offices *offices, const char *id);

/* Where word s stands in list (roles, labels, act kinds: a handful of
 * words), or -1; a NULL s stands nowhere. */
static inline int qc__word_at(const char *const *list, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(list[i], s)) return i;
    return -1;
}

/* Whether rule r of rs applies to a case at all (its scope). */
static inline bool qc__in_scope(const qc__rule *rule, const char *line, const char *type, const char *office, int64_t level)
{
    if (!rule->scoped) return true;
    return (!rule->lines || qc__word_at(rule->lines, rule->nlines, line) >= 0) &&
           (!rule->types || qc__word_at(rule->types, rule->ntypes, type) >= 0) &&
           (!rule->offices || qc__word_at(rule->offices, rule->noffices, office) >= 0) &&
           (!rule->levels || (level && (rule->levels & (1u << level))));
}

/* ---- a small string -> int map (strmap.c) ---- */

typedef struct qc__strmap {
    struct qc__strmap_slot {
        uint64_t hash;
        uint32_t key;  /* 1 + its offset in text; 0: an empty slot */
        int val;
        char head[16]; /* the key, whole if it fits (ids mostly do) */
    } *slots;
    char *text;    /* the keys, back to back */
    size_t text_len, text_cap;
    size_t n, cap; /* cap: a power of 2 */
} qc__strmap;

/* The value of key, or -1. */
int qc__map_find(const qc__strmap *m, const char *key);
/* Set key (copied) to val. */
int qc__map_put(qc__strmap *m, const char *key, int val);
void qc__map_free(qc__strmap *m);

/* ---- evidence (evidence.c) ---- */

/* The parts of a verdict's evidence: lists of act kind ids "a,b", and
 * others' acts as "PERSON=a,b;PERSON=c". */
typedef struct qc__evidence {
    const char *verdict, *line, *all_of, *any_of, *own, *others;
} qc__evidence;

/* Write the evidence as a sentence in lang ("zh" or "en") with the display
 * names of rules (may be NULL: ids); snprintf-like: the full length. */
int qc__evidence_write(char *buf, size_t size, const qc__evidence *e, const qc_rules *rules, const char *lang);

#endif /* QC_RULES_INTERNAL_H */
