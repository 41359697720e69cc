/* SPDX-License-Identifier: MIT
 * tool.h - what the quotacase command's files share: options, exit codes,
 * error reporting.
 */
#ifndef QC_TOOL_H
#define QC_TOOL_H

#include "output.h"
#include "quotacase.h"

enum {
    EXIT_OK = 0,
    EXIT_FAILURE_STORE = 1, /* the store or the system failed */
    EXIT_USAGE = 2,         /* the command line is wrong */
    EXIT_BAD_INPUT = 3,     /* input data rejected; nothing was written */
    EXIT_NOT_FOUND = 4,     /* no record with that id */
    EXIT_TESTS_FAILED = 5,  /* quotacase test: some expectations failed */
    EXIT_COVERAGE = 6,      /* quotacase test: rule coverage below --min-coverage */
    EXIT_TAMPERED = 7,      /* verify: changed outside the library, or never in --head's state */
    EXIT_DENIED = 8         /* outside the store's --scope */
};

typedef struct options {
    const char *db;
    out_format format;
    const char *kind_name;
    const char *office, *person, *case_id, *line, *from, *to;
    bool only;              /* --only: --office X is X alone, not X and the offices under it */
    const char *scope;      /* --scope OFFICE, or $QUOTACASE_SCOPE */
    int quiet;
    const char *rules[16];  /* --rules, in the order given */
    int nrules;
    const char *against[16]; /* diff-rules: --against, the rules compared with */
    int nagainst;
    int all, explain, stale;
    double min_coverage;    /* percent; < 0: not checked */
    const char *today;
    const char *period;     /* assess: --period */
    const char *lang;       /* --lang zh|en: display names from the rules */
    const char *output;     /* -o FILE */
    int html;               /* --format html (report only) */
    int no_ranking;         /* report: --no-ranking */
    int threads;            /* --threads N; 0: one per CPU */
    int allow_absolute_extends; /* --allow-absolute-extends */
    const char *sets[64];   /* amend, withdraw: --set FIELD=VALUE, in order */
    int nsets;
    const char *unsets[16]; /* amend: --unset FIELD */
    int nunsets;
    const char *reason;     /* amend, withdraw: --reason */
    const char *actor;      /* --actor, else $QUOTACASE_ACTOR */
    const char *as_of;      /* --as-of DATETIME: read the store as recorded then */
    int update;             /* import --update: a changed record is a correction */
    const char *hash;       /* init, import: --hash ALG begins the journal with it */
    const char *head;       /* verify: --head HASH, a state a report was computed on */
    const char *on;         /* deadlines, explain: --on DATE, the day deadlines are counted to */
    const char *level;      /* deadlines: --level L, that warning level or a more urgent one */
    const char *encoding;   /* import: --encoding ENC, the files' encoding (gbk) */
    const char *plan;       /* sample: --plan FILE, the sampling plan */
    const char *seed;       /* sample, assign: --seed S */
    const char *check;      /* sample: --check ID, the inspection drawn again */
    const char *inspection_id; /* sample: --id ID, the inspection's id */
    int dry_run;            /* sample: --dry-run, draw without recording */
    const char *method;     /* assign: --method random|designated|suggested */
    const char *capacity;   /* assign: --capacity C, the participation written (lead) */
} options;

extern const char *progname;

int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print qc_error_last() (and its details) and return the exit code for rc. */
int fail(int rc);
int exit_code_for(int rc);

/* Every path as one qc_rules, with the options o sets. */
int load_rules(qc_rules **out, const options *o, const char *const *paths, int n);
int cmd_lint(const options *o, int argc, char **argv);
int cmd_classify(qc_store *s, const options *o, int argc, char **argv);
int cmd_explain(qc_store *s, const options *o, int argc, char **argv);
int cmd_test(const options *o, int argc, char **argv);
int cmd_assess(qc_store *s, const options *o, int argc, char **argv);
int cmd_report(qc_store *s, const options *o, int argc, char **argv);
int cmd_dossier(qc_store *s, const options *o, int argc, char **argv);
int cmd_amend(qc_store *s, const options *o, int argc, char **argv);
int cmd_withdraw(qc_store *s, const options *o, int argc, char **argv);
int cmd_history(qc_store *s, const options *o, int argc, char **argv);
int cmd_verify(qc_store *s, const options *o, int argc, char **argv);
int cmd_diff_rules(qc_store *s, const options *o, int argc, char **argv);
int cmd_sample(qc_store *s, const options *o, int argc, char **argv);
int cmd_inspection(qc_store *s, const options *o, int argc, char **argv);
int cmd_suggest(qc_store *s, const options *o, int argc, char **argv);
int cmd_assign(qc_store *s, const options *o, int argc, char **argv);
int cmd_deadlines(qc_store *s, const options *o, int argc, char **argv);
int cmd_notify(qc_store *s, const options *o, int argc, char **argv);
/* The day deadlines are counted to: --on, else --today, else today. */
int deadline_day(const options *o, int64_t *day);
/* After explain's classification: how case_id's due day was reached, if
 * it is in a node. */
int explain_deadline(qc_store *s, const options *o, const qc_rules *rules, const char *case_id);

#endif
