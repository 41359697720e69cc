/* SPDX-License-Identifier: MIT
 * quotacase.c - the quotacase command: a store's life from the shell.
 *
 *   quotacase [--db URI] [--format text|csv|json] COMMAND [ARGS]
 *
 * Commands: init, import, list, show (see quotacase(1)).  The command is a
 * thin layer over the public API and uses nothing else, so anything it
 * does a program can do too.  Exit codes are documented in quotacase(1)
 * and below (exit_code_for).
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "quotacase.h"
#include "quotacase/backend.h"
#include "tool.h"

const char *progname = "quotacase";

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", progname);
    return EXIT_USAGE;
}

/* Map a library status to the command's exit code. */
int exit_code_for(int rc)
{
    switch (rc) {
    case QC_OK: return EXIT_OK;
    case QC_ENOTFOUND: return EXIT_NOT_FOUND;
    case QC_EEXIST: case QC_ENOREF: case QC_EDATE: case QC_ETYPE: case QC_EUTF8:
    case QC_ETOOLONG: case QC_EEMPTY: case QC_ESYNTAX: case QC_EUNKNOWN: case QC_EMISSING:
    case QC_EVALUE: case QC_ECONST: case QC_ERULES:
        return EXIT_BAD_INPUT;
    case QC_ETESTFAIL: return EXIT_TESTS_FAILED;
    case QC_ETAMPERED: return EXIT_TAMPERED;
    case QC_EDENIED: return EXIT_DENIED;
    default: return EXIT_FAILURE_STORE;
    }
}

int fail(int rc)
{
    /* several problems (a rule file's): one line each, as compilers do */
    /* messages quote values: escaped like any text output */
    if (qc_error_detail_count() > 1) {
        for (int i = 0; i < qc_error_detail_count(); i++) {
            out_text(stderr, qc_error_detail(i));
            fputc('\n', stderr);
        }
    } else {
        fprintf(stderr, "%s: ", progname);
        out_text(stderr, qc_error_last());
        fputc('\n', stderr);
    }
    return exit_code_for(rc);
}

/* The help, with %s for the program's name (and %% for a percent sign). */
static const char help_format[] =
            "Usage: %s [OPTIONS] COMMAND [ARGS]\n"
            "Record and check the cases that leaders within the judicial quota handle.\n"
            "\n"
            "Commands:\n"
            "  init                      create the store (or migrate it) and report it\n"
            "  import FILE...            import CSV, YAML or JSON files, all or nothing;\n"
            "                            with --rules, classify in the same transaction\n"
            "  list KIND                 list offices, departments, people, posts, cases,\n"
            "                            participations, acts, reviews, classifications,\n"
            "                            designations, steps, duties, notices, inspections,\n"
            "                            selections, assignments or revisions\n"
            "  show KIND ID              one record; a case with its facts, participants,\n"
            "                            acts and reviews\n"
            "  lint RULES...             check rule files; every problem as file:line:col\n"
            "  classify --rules R (--case ID | --all)\n"
            "                            classify one case, or all (writing classifications)\n"
            "  explain --rules R CASE    why a case gets its labels, rule by rule, and how its\n"
            "                            due day was reached (--on DATE)\n"
            "  test FILE...              run rule test files; TAP and rule coverage\n"
            "  assess --rules R --period P\n"
            "                            leaders' personal handling against their quotas\n"
            "  report --rules R --period P [-o FILE]\n"
            "                            the notification report: text, csv, json or html\n"
            "  dossier --rules R --period P PERSON\n"
            "                            a person's performance file: posts, scores, cases, acts\n"
            "  amend KIND ID --set FIELD=VALUE... [--unset FIELD] --reason TEXT\n"
            "                            correct a record; the version it replaces is kept\n"
            "  withdraw KIND ID --reason TEXT   (or KIND --set FIELD=VALUE... for one without id)\n"
            "                            withdraw a wrongly recorded record; its history keeps it\n"
            "  history KIND ID           every version of a record: who, when, why, what changed\n"
            "  diff-rules --rules NEW --against OLD --period P\n"
            "                            what a rule revision changes: cases whose labels change,\n"
            "                            leaders whose status and offices whose compliance change\n"
            "  deadlines --rules R [--on DATE] [--office X] [--level L]\n"
            "                            open cases with their process node, due day and warning\n"
            "  notify --rules R [--on DATE] [--level L]\n"
            "                            issue process-monitoring notices: red cases (or --level),\n"
            "                            node violations; each once (answer: amend notice ID)\n"
            "  sample --plan PLAN --period P --seed S [--rules R] [--office X] [--id ID] [--dry-run]\n"
            "                            draw an inspection's cases by a sampling plan, record it\n"
            "                            and list it (--format csv|json|html: a printable checklist)\n"
            "  sample --check ID --plan PLAN [--rules R]\n"
            "                            draw a recorded inspection again and compare (exit 7 if not the same)\n"
            "  inspection ID             an inspection's list with the grades of its reviews, and\n"
            "                            the grades by office, department and handler\n"
            "  suggest --rules R [--on DATE] CASE\n"
            "                            the handlers who may take a case, ranked by how much it\n"
            "                            helps them meet the quota (leaders short, hard cases)\n"
            "  assign --rules R --method random|designated|suggested CASE\n"
            "                            assign a case: random (--seed S), designated (--person P\n"
            "                            --reason TEXT) or suggested ([--person P]); recorded\n"
            "  help [COMMAND]            this help, or one command's usage and the options it takes\n"
            "                            (also COMMAND --help)\n"
            "  verify [--head HASH]      check the journal's hash chain and the tables against it;\n"
            "                            print the head (exit 7 if changed outside quotacase)\n"
            "  copy --from URI --to URI  copy a whole store, journal and all, into an empty one\n"
            "                            (SQLite to PostgreSQL and back), in one transaction\n"
            "\n"
            "Options:\n"
            "  --db URI                  store: sqlite:PATH, memory:, or a path\n"
            "                            (default: $QUOTACASE_DB, else sqlite:quotacase.db)\n"
            "  --format text|csv|json    output format (default text)\n"
            "  --kind KIND               import: what a CSV file holds (default: from its name)\n"
            "  --office ID, --person ID, --case ID, --line LINE, --from DATE, --to DATE\n"
            "                            list: only matching records (deadlines: --office, --case);\n"
            "                            --office ID is the office and every office under it\n"
            "  --only                    with --office: that office alone\n"
            "  --scope OFFICE            read and write only OFFICE and the offices under it\n"
            "                            (default: $QUOTACASE_SCOPE)\n"
            "  --rules FILE              rule file (repeat for several versions)\n"
            "  --case ID, --all          classify: one case or every case\n"
            "  --against FILE            diff-rules: the rules to compare with (repeat for versions)\n"
            "  --stale                   classify: list stored classifications made from another\n"
            "                            text of the same rule version\n"
            "  --explain                 classify: show why; deadlines: how each due day was reached\n"
            "  --on DATE                 deadlines, explain: the day deadlines are counted to\n"
            "                            (default: --today, else today); suggest, assign: the day\n"
            "                            of the assignment (default: the case's registration)\n"
            "  --level L                 deadlines: only yellow, orange or red (that level or more\n"
            "                            urgent), or suspended\n"
            "  --today DATE              what `today` means in rules (default: now)\n"
            "  --min-coverage N          test: fail (exit 6) below N%% of rules exercised\n"
            "  --period P                assess, sample: 2017, 2017-Q2, 2017-H1, 2017-05, FROM..TO\n"
            "  --lang zh|en              display names from the rules (report default: zh)\n"
            "  -o, --output FILE         report, sample, inspection: write to FILE (default: standard\n"
            "                            output)\n"
            "  --no-ranking              report: offices in id order, no ranks\n"
            "  --allow-absolute-extends  rule files may extend files named by absolute paths\n"
            "  --threads N               assess, report: at most N threads (default: one per CPU)\n"
            "  --reason TEXT             amend, withdraw, assign: why (required)\n"
            "  --actor NAME              who makes the change (default: $QUOTACASE_ACTOR, else\n"
            "                            the login name)\n"
            "  --as-of DATETIME          read the store as it was recorded then (list, show,\n"
            "                            history, explain, assess, report, dossier)\n"
            "  --encoding ENC            import: the files' encoding, e.g. gbk or gb18030 (what WPS\n"
            "                            and Excel write in China); default UTF-8\n"
            "  --update                  import: a record stored with other values is amended,\n"
            "                            with the file as the reason, instead of refused\n"
            "  --hash sha256|sm3         init, import: the journal's hash, for a new store\n"
            "                            (default sha256)\n"
            "  --head HASH               verify: was the store ever in this state (a head a\n"
            "                            report printed)\n"
            "  --plan FILE               sample: the sampling plan\n"
            "  --seed S                  sample, assign: the draw's seed (any text, fixed beforehand)\n"
            "  --check ID                sample: the inspection to draw again and compare\n"
            "  --id ID                   sample: the inspection's id (default PLAN:FROM:TO:SEED)\n"
            "  --dry-run                 sample: draw and list, record nothing\n"
            "  --method M                assign: random, designated or suggested\n"
            "  --capacity C              assign: the capacity the assignee is recorded in (lead)\n"
            "  -q, --quiet               no progress or summary on standard error\n"
            "  -h, --help                this help\n"
            "  -V, --version             the version\n"
            "\n"
            "Exit codes: 0 success, 1 store or system failure, 2 usage error,\n"
            "3 input or rules rejected (nothing written), 4 record not found,\n"
            "5 rule tests failed, 6 rule coverage below --min-coverage,\n"
            "7 verify: the store was changed outside quotacase, or never had --head's state,\n"
            "8 outside the --scope.\n"
            "See quotacase(1).\n";

static void print_help(FILE *f) { fprintf(f, help_format, progname); }

/* Whether text (n bytes) holds word, not as part of a longer word. */
static bool has_word(const char *text, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (const char *p = text; p + w <= text + n; p++) {
        if (memcmp(p, word, w)) continue;
        bool before = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_');
        bool after = p + w == text + n || !(isalnum((unsigned char)p[w]) || p[w] == '-' || p[w] == '_');
        if (before && after) return true;
    }
    return false;
}

/* The entry of a list (Commands: or Options:) that starts at line: the
 * line and the indented lines that continue it; its length. */
static size_t entry_length(const char *line)
{
    const char *end = strchr(line, '\n');
    while (end && !strncmp(end + 1, "    ", 4)) end = strchr(end + 1, '\n');
    return end ? (size_t)(end - line) + 1 : strlen(line);
}

/* quotacase help CMD, quotacase CMD --help: the command's entry and the
 * options that name it; 0, or 2 for a command there is no such. */
static int print_command_help(FILE *f, const char *cmd)
{
    char text[24576];
    snprintf(text, sizeof text, help_format, progname);
    const char *commands = strstr(text, "\nCommands:\n"), *opts = strstr(text, "\nOptions:\n");
    const char *codes = opts ? strstr(opts, "\nExit") : NULL;
    if (!commands || !opts) return EXIT_FAILURE_STORE;
    bool found = false;
    for (const char *line = strchr(commands + 1, '\n') + 1; line < opts; line += entry_length(line)) {
        size_t n = entry_length(line), w = strcspn(line + 2, " \n");
        if (line[2] == ' ' || w != strlen(cmd) || strncmp(line + 2, cmd, w)) continue;
        fprintf(f, "Usage: %s [OPTIONS] %.*s", progname, (int)(n - 2), line + 2);
        found = true;
    }
    if (!found) return usage_error("help: no command '%s' (%s --help lists them)", cmd, progname);
    fputs("\nOptions for it:\n", f);
    const char *first = strchr(opts + 1, '\n') + 1, *last = codes ? codes : first + strlen(first);
    for (const char *line = first; line < last; line += entry_length(line)) {
        size_t n = entry_length(line);
        if (has_word(line, n, cmd)) fwrite(line, 1, n, f);
    }
    fprintf(f, "and everywhere: --db URI, --format text|csv|json, --actor NAME, --quiet.  See %s --help, quotacase(1).\n",
            progname);
    return EXIT_OK;
}

/* ---- progress on a terminal ---- */

typedef struct progress {
    const char *file;
    double last;
} progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(void *data, int64_t done, int64_t total)
{
    progress *p = data;
    double t = now_seconds();
    if (t - p->last < 0.1 && done < total) return;
    p->last = t;
    fprintf(stderr, "\r%s: %3d%%", p->file, total ? (int)(done * 100 / total) : 100);
    if (done >= total) fputs("\n", stderr);
    fflush(stderr);
}

/* ---- commands ---- */

static int cmd_init(qc_store *s, const options *o)
{
    int version, rc = qc_store_schema_version(s, &version);
    if (rc < 0) return fail(rc);
    printf("%s: %s store, schema version %d\n", o->db, qc_store_backend(s), version);
    char head[160];
    int64_t entries;
    if ((rc = qc_store_head(s, head, sizeof head, &entries)) == QC_EUNSUPPORTED) return EXIT_OK; /* no journal */
    if (rc < 0) return fail(rc);
    if (entries) printf("journal: %lld entr%s, head %s\n", (long long)entries, entries == 1 ? "y" : "ies", head);
    else printf("journal: not begun (the first write begins it, hashed with sha256 unless --hash says otherwise)\n");
    return EXIT_OK;
}

static int cmd_import(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc < 1) return usage_error("import: %s", "name at least one file");
    qc_kind kind = QC_KIND_NONE;
    if (o->kind_name && !(kind = qc_kind_lookup(o->kind_name)))
        return usage_error("unknown kind '%s'", o->kind_name);
    progress p = {0};
    if (!o->quiet && isatty(STDERR_FILENO)) qc_store_set_progress(s, show_progress, &p);
    int64_t total = 0, unchanged = 0;
    int rc = qc_store_begin(s);
    if (rc < 0) return fail(rc);
    for (int i = 0; i < argc; i++) {
        int64_t n;
        p.file = argv[i];
        p.last = 0;
        if ((rc = qc_store_import_file(s, argv[i], kind, &n)) < 0) {
            int code = fail(rc);
            qc_store_rollback(s);
            if (!o->quiet) fprintf(stderr, "%s: nothing was imported\n", progname);
            return code;
        }
        int64_t same = qc_store_import_unchanged(s), updated = qc_store_import_updated(s);
        if (!o->quiet && o->update)
            fprintf(stderr, "%s: %lld new, %lld updated, %lld unchanged\n", argv[i], (long long)n, (long long)updated,
                    (long long)same);
        else if (!o->quiet)
            fprintf(stderr, "%s: %lld new, %lld unchanged\n", argv[i], (long long)n, (long long)same);
        total += n;
        unchanged += same;
    }
    /* --rules: classify in the same transaction, so a file is imported
     * and labelled, or neither */
    if (o->nrules) {
        qc_rules *rules = NULL;
        qc_classifier *c = NULL;
        int64_t written = 0;
        rc = load_rules(&rules, o, o->rules, o->nrules);
        if (rc == QC_OK) rc = qc_classifier_new(&c, rules);
        if (rc == QC_OK && o->today) {
            int64_t day;
            qc_date_parse(&day, o->today);
            qc_classifier_set_today(c, day);
        }
        if (rc == QC_OK) rc = qc_classify_store(c, s, NULL, &written);
        qc_classifier_free(c);
        qc_rules_free(rules);
        if (rc < 0) {
            int code = fail(rc);
            qc_store_rollback(s);
            if (!o->quiet) fprintf(stderr, "%s: nothing was imported\n", progname);
            return code;
        }
        if (!o->quiet) fprintf(stderr, "wrote %lld classification%s\n", (long long)written, written == 1 ? "" : "s");
    }
    if ((rc = qc_store_commit(s)) < 0) return fail(rc);
    if (!o->quiet)
        fprintf(stderr, "imported %lld new records into %s, %lld unchanged\n", (long long)total, o->db, (long long)unchanged);
    return EXIT_OK;
}

static int build_filter(qc_filter **out, const options *o)
{
    int rc;
    int64_t from = 0, to = 0;
    if ((rc = qc_filter_new(out)) < 0) return rc;
    if ((rc = qc_filter_set_office(*out, o->office)) < 0 || (rc = qc_filter_set_person(*out, o->person)) < 0 ||
        (rc = qc_filter_set_case(*out, o->case_id)) < 0 || (rc = qc_filter_set_line(*out, o->line)) < 0)
        return rc;
    /* main() has checked both dates. */
    if (o->from || o->to) {
        qc_date_parse(&from, o->from ? o->from : "1900-01-01");
        qc_date_parse(&to, o->to ? o->to : "2999-12-31");
        if ((rc = qc_filter_set_dates(*out, from, to)) < 0) return rc;
    }
    return QC_OK;
}

static bool is_number_type(qc_type t) { return t == QC_TYPE_INT || t == QC_TYPE_BOOL || t == QC_TYPE_DECIMAL; }

/* A table of every record of kind passing filter, one column per field. */
static int table_of(out_table **out, qc_store *s, qc_kind kind, const qc_filter *f)
{
    int nf = qc_field_count(kind), rc;
    const char *names[16], *cells[16];
    for (int i = 0; i < nf; i++) names[i] = qc_field_name(kind, i);
    out_table *t = out_table_new(nf, names);
    if (!t) return QC_ENOMEM;
    for (int i = 0; i < nf; i++)
        if (is_number_type(qc_field_type(kind, i))) out_table_set_raw(t, i);
    qc_iter *it;
    const qc_record *r;
    if ((rc = qc_iter_new(&it, s, kind, f)) < 0) {
        out_table_free(t);
        return rc;
    }
    while ((rc = qc_iter_next(&r, it)) == QC_OK) {
        for (int i = 0; i < nf; i++) cells[i] = qc_record_text(r, i);
        if (out_table_add_row(t, cells) < 0) {
            rc = QC_ENOMEM;
            break;
        }
    }
    qc_iter_free(it);
    if (rc != QC_ITEROVER) {
        out_table_free(t);
        return rc;
    }
    *out = t;
    return QC_OK;
}

static int cmd_list(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("list: %s", "name one kind (offices, people, cases, acts, ...)");
    qc_kind kind = qc_kind_lookup(argv[0]);
    if (!kind) return usage_error("unknown kind '%s'", argv[0]);
    qc_filter *f = NULL;
    out_table *t = NULL;
    int rc = build_filter(&f, o);
    if (rc == QC_OK) rc = table_of(&t, s, kind, f);
    qc_filter_free(f);
    if (rc < 0) return fail(rc);
    out_table_print(t, o->format, stdout);
    out_table_free(t);
    return EXIT_OK;
}

/* A case's facts as a two-column table. */
static out_table *facts_table(const qc_record *r)
{
    static const char *const names[] = {"fact", "value"};
    out_table *t = out_table_new(2, names);
    for (int i = 0; t && i < qc_record_fact_count(r); i++) {
        const char *cells[] = {qc_record_fact_name(r, i), qc_record_fact_text(r, i)};
        out_table_add_row(t, cells);
    }
    return t;
}

static void print_record_text(const qc_record *r)
{
    qc_kind kind = qc_record_kind(r);
    int width = 0;
    for (int i = 0; i < qc_field_count(kind); i++)
        if ((int)strlen(qc_field_name(kind, i)) > width) width = (int)strlen(qc_field_name(kind, i));
    for (int i = 0; i < qc_field_count(kind); i++) {
        printf("%-*s  ", width, qc_field_name(kind, i));
        out_text(stdout, qc_record_text(r, i));
        putchar('\n');
    }
}

static void print_record_json(const qc_record *r)
{
    qc_kind kind = qc_record_kind(r);
    printf("{");
    for (int i = 0; i < qc_field_count(kind); i++) {
        printf(i ? ", " : "");
        out_json_string(stdout, qc_field_name(kind, i));
        printf(": ");
        const char *v = qc_record_text(r, i);
        if (v && is_number_type(qc_field_type(kind, i))) fputs(v, stdout);
        else out_json_string(stdout, v);
    }
    if (qc_record_fact_count(r)) {
        printf(", \"facts\": {");
        for (int i = 0; i < qc_record_fact_count(r); i++) {
            printf(i ? ", " : "");
            out_json_string(stdout, qc_record_fact_name(r, i));
            printf(": ");
            qc_type t = qc_record_fact_type(r, i);
            if (is_number_type(t)) fputs(qc_record_fact_text(r, i), stdout);
            else out_json_string(stdout, qc_record_fact_text(r, i));
        }
        printf("}");
    }
}

/* The kinds shown under a case, and under a person. */
static const qc_kind case_children[] = {QC_KIND_PARTICIPATION, QC_KIND_ACT, QC_KIND_REVIEW, QC_KIND_STEP};
static const qc_kind person_children[] = {QC_KIND_POST, QC_KIND_PARTICIPATION};

static int cmd_show(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 2) return usage_error("show: %s", "name a kind and an id (show case C2017-001)");
    qc_kind kind = qc_kind_lookup(argv[0]);
    if (!kind) return usage_error("unknown kind '%s'", argv[0]);
    qc_record *r;
    int rc = qc_store_get(&r, s, kind, argv[1]);
    if (rc < 0) return fail(rc);
    const qc_kind *children = kind == QC_KIND_CASE ? case_children : kind == QC_KIND_PERSON ? person_children : NULL;
    size_t nchildren = kind == QC_KIND_CASE ? sizeof case_children / sizeof *case_children : kind == QC_KIND_PERSON ? sizeof person_children / sizeof *person_children : 0;
    qc_filter *f = NULL;
    if ((rc = qc_filter_new(&f)) == QC_OK)
        rc = kind == QC_KIND_CASE ? qc_filter_set_case(f, argv[1]) : qc_filter_set_person(f, argv[1]);
    if (o->format == OUT_JSON) print_record_json(r);
    else if (o->format == OUT_TEXT) print_record_text(r);
    if (o->format == OUT_CSV) { /* one record as a one-row table */
        const char *names[16], *cells[16];
        for (int i = 0; i < qc_field_count(kind); i++) {
            names[i] = qc_field_name(kind, i);
            cells[i] = qc_record_text(r, i);
        }
        out_table *t = out_table_new(qc_field_count(kind), names);
        if (t && out_table_add_row(t, cells) == 0) out_table_print(t, OUT_CSV, stdout);
        out_table_free(t);
        nchildren = 0;
    } else if (o->format == OUT_TEXT && qc_record_fact_count(r)) {
        out_table *t = facts_table(r);
        printf("\nfacts\n");
        if (t) out_table_print(t, OUT_TEXT, stdout);
        out_table_free(t);
    }
    for (size_t i = 0; rc == QC_OK && i < nchildren; i++) {
        out_table *t;
        if ((rc = table_of(&t, s, children[i], f)) < 0) break;
        if (children[i] == QC_KIND_STEP) out_table_sort(t, QC_STEP_DATE); /* a timeline */
        if (o->format == OUT_JSON) {
            printf(", \"%s\": ", qc_kind_name(children[i]));
            out_table_print(t, OUT_JSON, stdout);
        } else {
            printf("\n%s\n", qc_kind_name(children[i]));
            out_table_print(t, OUT_TEXT, stdout);
        }
        out_table_free(t);
    }
    if (o->format == OUT_JSON) printf("}\n");
    qc_filter_free(f);
    qc_record_free(r);
    return rc < 0 ? fail(rc) : EXIT_OK;
}

static bool listed(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (!strcmp(*names, name)) return true;
    return false;
}

/* --db takes sqlite:PATH, memory:, postgresql:CONNINFO (when the library
 * has it), or a file path (an SQLite store): anything else is a usage
 * error before any file is touched. */
static int check_db(const char *db)
{
    bool have_pg = qc_backend_postgresql() != NULL;
    const char *accepted = have_pg ? "sqlite:PATH, memory:, postgresql:CONNINFO, or a file path"
                                   : "sqlite:PATH, memory:, or a file path (this build has no postgresql:)";
    if (!*db) return usage_error("--db: empty (%s)", accepted);
    const char *colon = strchr(db, ':'), *slash = strchr(db, '/');
    if (!colon || colon - db < 2 || (slash && slash < colon)) return EXIT_OK; /* a path */
    size_t n = (size_t)(colon - db);
    if (n == 6 && !memcmp(db, "sqlite", 6))
        return colon[1] ? EXIT_OK : usage_error("--db: '%s' names no file (%s)", db, accepted);
    if (n == 6 && !memcmp(db, "memory", 6)) return EXIT_OK;
    if (have_pg && ((n == 10 && !memcmp(db, "postgresql", 10)) || (n == 8 && !memcmp(db, "postgres", 8))))
        return EXIT_OK; /* empty: libpq's PG* variables */
    return usage_error("--db: '%s': no storage scheme '%.*s' (%s)", db, (int)n, db, accepted);
}

/* Which commands take each option (by getopt's value); an option a
 * command does not take is a usage error, never silently ignored.
 * Options not listed (--quiet, --help, --version) go with every command. */
#define STORE_COMMANDS "init import list show classify explain assess report dossier amend withdraw history verify " \
                       "diff-rules deadlines notify sample inspection suggest assign"
static const struct {
    int val;
    const char *name, *commands;
} option_commands[] = {
    {'d', "db", STORE_COMMANDS},
    {'f', "format", "list show history classify explain assess report dossier verify diff-rules deadlines notify sample inspection suggest"},
    {'k', "kind", "import"},
    {'i', "office", "list classify assess report diff-rules deadlines notify sample"},
    {'J', "only", "list classify assess report diff-rules deadlines notify"},
    {'K', "scope", STORE_COMMANDS},
    {'p', "person", "list assign"},
    {'c', "case", "list classify deadlines notify"},
    {'l', "line", "list"},
    {'F', "from", "list copy"},
    {'T', "to", "list copy"},
    {'r', "rules", "import classify explain assess report dossier diff-rules deadlines notify sample suggest assign"},
    {'a', "all", "classify"},
    {'s', "stale", "classify"},
    {'G', "against", "diff-rules"},
    {'e', "explain", "classify explain deadlines"},
    {'y', "today", "import classify explain deadlines notify"},
    {'P', "period", "assess report dossier diff-rules sample"},
    {'L', "lang", "classify explain assess report dossier deadlines sample inspection"},
    {'O', "output", "report dossier sample inspection"},
    {'o', "output", "report dossier sample inspection"},
    {'N', "no-ranking", "report"},
    {'j', "threads", "assess report dossier diff-rules"},
    {'X', "allow-absolute-extends", "import classify explain assess report dossier diff-rules deadlines notify lint test sample suggest assign"},
    {'R', "reason", "amend withdraw assign"},
    {'A', "actor", "init import classify amend withdraw notify copy sample assign"},
    {'u', "update", "import"},
    {'H', "hash", "init import"},
    {'D', "head", "verify"},
    {'n', "on", "deadlines notify explain suggest assign"},
    {'E', "encoding", "import"},
    {'v', "level", "deadlines notify"},
    {'M', "min-coverage", "test"},
    {'Q', "plan", "sample"},
    {'Z', "seed", "sample assign"},
    {'C', "check", "sample"},
    {'I', "id", "sample"},
    {'x', "dry-run", "sample"},
    {'m', "method", "assign"},
    {'Y', "capacity", "assign"},
};

/* Whether the space-separated list names word. */
static bool names(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return true;
    return false;
}

/* 2 and a message if cmd was given an option it does not take. */
static int check_options(const bool *seen, const char *cmd)
{
    for (size_t i = 0; i < sizeof option_commands / sizeof option_commands[0]; i++) {
        if (!seen[option_commands[i].val] || names(option_commands[i].commands, cmd)) continue;
        char list[400] = "";
        const char *c = option_commands[i].commands;
        int count = 0, total = 1;
        for (const char *p = c; *p; p++) total += *p == ' ';
        while (*c) { /* "a, b and c" */
            size_t w = strcspn(c, " ");
            size_t at = strlen(list);
            snprintf(list + at, sizeof list - at, "%s%.*s", !count ? "" : count == total - 1 ? " and " : ", ", (int)w, c);
            count++;
            c += w + (c[w] == ' ');
        }
        return usage_error("--%s is for %s, not %s", option_commands[i].name, list, cmd);
    }
    return EXIT_OK;
}

/* quotacase copy --from URI --to URI: the whole store into an empty one. */
static int cmd_copy(const options *o, int nargs)
{
    if (nargs) return usage_error("%s", "copy: takes no arguments (copy --from URI --to URI)");
    if (!o->from || !o->to) return usage_error("%s", "copy: needs --from URI and --to URI");
    if (o->scope || o->office) return usage_error("%s", "copy: a copy is of the whole store (no --scope, no --office)");
    if (check_db(o->from) != EXIT_OK || check_db(o->to) != EXIT_OK) return EXIT_USAGE;
    qc_store *from = NULL, *to = NULL;
    int64_t records = 0;
    int rc = qc_store_open_existing(&from, o->from);
    if (rc == QC_ENOTFOUND) { /* as for every command that reads: the store failed, not the record */
        fprintf(stderr, "%s: %s\n", progname, qc_error_last());
        return EXIT_FAILURE_STORE;
    }
    if (rc == QC_OK) rc = qc_store_open(&to, o->to);
    if (rc == QC_OK && o->actor) rc = qc_store_set_actor(to, o->actor);
    if (rc == QC_OK) rc = qc_store_copy(to, from, &records);
    char head[160] = "";
    int64_t entries = 0;
    if (rc == QC_OK && qc_store_head(to, head, sizeof head, &entries) < 0) head[0] = '\0';
    qc_store_free(from);
    qc_store_free(to);
    if (rc < 0) return fail(rc);
    if (!o->quiet) {
        fprintf(stderr, "copied %lld record%s (journal entries included) from %s into %s\n", (long long)records,
                records == 1 ? "" : "s", o->from, o->to);
        if (*head)
            fprintf(stderr, "head %s after %lld entr%s, the same on both sides\n", head, (long long)entries,
                    entries == 1 ? "y" : "ies");
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    /* an empty QUOTACASE_DB is unset; an empty --db is a mistake */
    options o = {.db = getenv("QUOTACASE_DB"), .format = OUT_TEXT, .min_coverage = -1};
    if (o.db && !*o.db) o.db = NULL;
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"format", required_argument, NULL, 'f'},
        {"kind", required_argument, NULL, 'k'},    {"office", required_argument, NULL, 'i'},
        {"person", required_argument, NULL, 'p'},  {"case", required_argument, NULL, 'c'},
        {"line", required_argument, NULL, 'l'},    {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {"rules", required_argument, NULL, 'r'},   {"all", no_argument, NULL, 'a'},
        {"explain", no_argument, NULL, 'e'},       {"min-coverage", required_argument, NULL, 'M'},
        {"today", required_argument, NULL, 'y'},   {"period", required_argument, NULL, 'P'},
        {"lang", required_argument, NULL, 'L'},    {"output", required_argument, NULL, 'O'},
        {"no-ranking", no_argument, NULL, 'N'},    {"threads", required_argument, NULL, 'j'},
        {"allow-absolute-extends", no_argument, NULL, 'X'},
        {"set", required_argument, NULL, 'S'},     {"unset", required_argument, NULL, 'U'},
        {"reason", required_argument, NULL, 'R'},  {"actor", required_argument, NULL, 'A'},
        {"as-of", required_argument, NULL, 'W'},   {"update", no_argument, NULL, 'u'},
        {"stale", no_argument, NULL, 's'},         {"against", required_argument, NULL, 'G'},         {"hash", required_argument, NULL, 'H'},    {"head", required_argument, NULL, 'D'},
        {"on", required_argument, NULL, 'n'},      {"level", required_argument, NULL, 'v'},
        {"encoding", required_argument, NULL, 'E'}, {"only", no_argument, NULL, 'J'},
        {"scope", required_argument, NULL, 'K'},
        {"plan", required_argument, NULL, 'Q'},    {"seed", required_argument, NULL, 'Z'},
        {"check", required_argument, NULL, 'C'},   {"id", required_argument, NULL, 'I'},
        {"dry-run", no_argument, NULL, 'x'},       {"method", required_argument, NULL, 'm'},
        {"capacity", required_argument, NULL, 'Y'},
        {NULL, 0, NULL, 0},
    };
    int c;
    bool help = false; /* --help: the whole help, or with a command its own */
    bool seen[256] = {false}; /* the options given, by value (check_options) */
    /* GNU getopt permutes: options may come before or after the command
     * ("quotacase list cases --office X"). */
    while ((c = getopt_long(argc, argv, "qhVo:", longopts, NULL)) != -1) {
        if (c > 0 && c < 256) seen[c] = true;
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'f':
            if (!strcmp(optarg, "text")) o.format = OUT_TEXT;
            else if (!strcmp(optarg, "csv")) o.format = OUT_CSV;
            else if (!strcmp(optarg, "json")) o.format = OUT_JSON;
            else if (!strcmp(optarg, "html")) o.html = 1;
            else return usage_error("unknown format '%s' (text, csv, json; html for report)", optarg);
            break;
        case 'k': o.kind_name = optarg; break;
        case 'i': o.office = optarg; break;
        case 'J': o.only = true; break;
        case 'K': o.scope = optarg; break;
        case 'p': o.person = optarg; break;
        case 'c': o.case_id = optarg; break;
        case 'l': o.line = optarg; break;
        case 'F': o.from = optarg; break;
        case 'T': o.to = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'r':
            if (o.nrules == (int)(sizeof o.rules / sizeof o.rules[0])) return usage_error("%s", "at most 16 --rules");
            o.rules[o.nrules++] = optarg;
            break;
        case 'a': o.all = 1; break;
        case 's': o.stale = 1; break;
        case 'G':
            if (o.nagainst == (int)(sizeof o.against / sizeof o.against[0])) return usage_error("%s", "at most 16 --against");
            o.against[o.nagainst++] = optarg;
            break;
        case 'e': o.explain = 1; break;
        case 'y': o.today = optarg; break;
        case 'P': o.period = optarg; break;
        case 'o':
        case 'O': o.output = optarg; break;
        case 'N': o.no_ranking = 1; break;
        case 'X': o.allow_absolute_extends = 1; break;
        case 'S':
            if (o.nsets == (int)(sizeof o.sets / sizeof o.sets[0])) return usage_error("%s", "at most 64 --set");
            o.sets[o.nsets++] = optarg;
            break;
        case 'U':
            if (o.nunsets == (int)(sizeof o.unsets / sizeof o.unsets[0])) return usage_error("%s", "at most 16 --unset");
            o.unsets[o.nunsets++] = optarg;
            break;
        case 'R': o.reason = optarg; break;
        case 'A': o.actor = optarg; break;
        case 'W': o.as_of = optarg; break;
        case 'u': o.update = 1; break;
        case 'H':
            if (strcmp(optarg, "sha256") && strcmp(optarg, "sm3")) return usage_error("--hash: '%s' is not sha256 or sm3", optarg);
            o.hash = optarg;
            break;
        case 'D': o.head = optarg; break;
        case 'n': o.on = optarg; break;
        case 'E': o.encoding = optarg; break;
        case 'v': o.level = optarg; break;
        case 'Q': o.plan = optarg; break;
        case 'Z': o.seed = optarg; break;
        case 'C': o.check = optarg; break;
        case 'I': o.inspection_id = optarg; break;
        case 'x': o.dry_run = 1; break;
        case 'm': o.method = optarg; break;
        case 'Y': o.capacity = optarg; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > 64) return usage_error("--threads: '%s' is not a number from 1 to 64", optarg);
            o.threads = (int)n;
            break;
        }
        case 'L':
            if (strcmp(optarg, "zh") && strcmp(optarg, "en")) return usage_error("--lang: '%s' is not zh or en", optarg);
            o.lang = optarg;
            break;
        case 'M': {
            char *end;
            o.min_coverage = strtod(optarg, &end);
            if (*end || o.min_coverage < 0 || o.min_coverage > 100)
                return usage_error("--min-coverage: '%s' is not a percentage", optarg);
            break;
        }
        case 'h': help = true; break;
        case 'V': printf("quotacase %s\n", qc_version_string()); return EXIT_OK;
        default: fprintf(stderr, "Try '%s --help'.\n", progname); return EXIT_USAGE;
        }
    }
    if (help && optind >= argc) { /* quotacase --help */
        print_help(stdout);
        return EXIT_OK;
    }
    if (optind >= argc)
        return usage_error("%s", "no command given (init, import, list, show, history, lint, test, classify, explain, assess, report, "
                                 "dossier, diff-rules, deadlines, notify, amend, withdraw, verify, copy, sample, inspection, suggest, assign, help)");
    const char *cmd = argv[optind];
    if (help) return print_command_help(stdout, cmd); /* quotacase CMD --help */
    if (!strcmp(cmd, "help")) {
        if (optind + 1 >= argc) {
            print_help(stdout);
            return EXIT_OK;
        }
        return print_command_help(stdout, argv[optind + 1]);
    }
    char **args = argv + optind + 1;
    int nargs = argc - optind - 1;
    static const char *const all_commands[] = {"init", "import", "list", "show", "lint", "test", "classify", "explain",
                                               "assess", "report", "dossier", "amend", "withdraw", "history", "verify",
                                               "diff-rules", "deadlines", "notify", "copy", "sample", "inspection",
                                               "suggest", "assign", NULL};
    if (listed(all_commands, cmd) && check_options(seen, cmd) != EXIT_OK) return EXIT_USAGE;
    if (!strcmp(cmd, "copy")) return cmd_copy(&o, nargs); /* --from and --to are stores here, not days */
    int64_t day;
    if (o.from && qc_date_parse(&day, o.from) < 0) return usage_error("--from: %s", qc_error_last());
    if (o.to && qc_date_parse(&day, o.to) < 0) return usage_error("--to: %s", qc_error_last());
    if (!o.db) o.db = "sqlite:quotacase.db";
    if (check_db(o.db) != EXIT_OK) return EXIT_USAGE;
    if (o.today && qc_date_parse(&day, o.today) < 0) return usage_error("--today: %s", qc_error_last());
    /* rule commands that need no store */
    if (!strcmp(cmd, "lint")) return cmd_lint(&o, nargs, args);
    if (!strcmp(cmd, "test")) return cmd_test(&o, nargs, args);
    static const char *const store_commands[] = {"init", "import", "list", "show", "classify", "explain", "assess",
                                                 "report", "dossier", "amend", "withdraw", "history", "verify", "diff-rules",
                                                 "deadlines", "notify", "sample", "inspection", "suggest", "assign", NULL};
    static const char *const reading_commands[] = {"list", "show", "history", "explain", "assess", "report", "dossier",
                                                   "diff-rules", "deadlines", "inspection", "suggest", NULL};
    if (!listed(store_commands, cmd))
        return usage_error("unknown command '%s' (init, import, list, show, lint, classify, explain, test, assess, report, "
                           "dossier, diff-rules, deadlines, notify, amend, withdraw, history, verify, copy, sample, inspection, suggest, "
                           "assign)", cmd);
    if (o.html && strcmp(cmd, "report") && strcmp(cmd, "sample") && strcmp(cmd, "inspection"))
        return usage_error("%s", "--format html is for report, sample and inspection");
    int64_t as_of = 0;
    if (o.as_of && !listed(reading_commands, cmd))
        return usage_error("--as-of: %s writes; it reads the store as it is now", cmd);
    if (o.as_of && qc_datetime_parse(&as_of, o.as_of) < 0) return usage_error("--as-of: %s", qc_error_last());
    if ((o.nsets && strcmp(cmd, "amend") && strcmp(cmd, "withdraw")) || (o.nunsets && strcmp(cmd, "amend")))
        return usage_error("--set and --unset are for amend (--set also for withdraw), not %s", cmd);
    if (o.on && qc_date_parse(&day, o.on) < 0) return usage_error("--on: %s", qc_error_last());
    if (!o.actor && getenv("QUOTACASE_ACTOR") && *getenv("QUOTACASE_ACTOR")) o.actor = getenv("QUOTACASE_ACTOR");
    if (!o.scope && getenv("QUOTACASE_SCOPE") && *getenv("QUOTACASE_SCOPE")) o.scope = getenv("QUOTACASE_SCOPE");

    if (o.only && !o.office) return usage_error("--only: goes with --office X (X alone, not the offices under it)");
    /* only init and import create a store: a mistyped --db on a command
     * that reads must not "succeed" on a new, empty one */
    qc_store *s;
    bool creates = !strcmp(cmd, "init") || !strcmp(cmd, "import");
    int rc = creates ? qc_store_open(&s, o.db) : qc_store_open_existing(&s, o.db);
    if (rc == QC_ENOTFOUND) {
        fprintf(stderr, "%s: %s\n", progname, qc_error_last());
        return EXIT_FAILURE_STORE;
    }
    if (rc == QC_OK && o.actor && (rc = qc_store_set_actor(s, o.actor)) < 0) qc_store_free(s);
    /* the scope before anything is read or written, as-of views included */
    if (rc == QC_OK && o.scope && (rc = qc_store_set_scope(s, o.scope)) < 0) qc_store_free(s);
    if (rc == QC_OK && o.update) qc_store_set_import_update(s, 1);
    if (rc == QC_OK && o.encoding && (rc = qc_store_set_import_encoding(s, o.encoding)) < 0) {
        qc_store_free(s);
        return usage_error("--encoding: %s", qc_error_last());
    }
    if (rc == QC_OK && o.hash && (rc = qc_store_set_hash(s, o.hash)) < 0) qc_store_free(s);
    if (rc == QC_OK && o.as_of) { /* read the store as it was recorded then, and only that */
        qc_store *then;
        rc = qc_store_open_as_of(&then, s, as_of);
        qc_store_free(s);
        s = then;
    }
    if (rc < 0) return fail(rc);
    qc_store_set_threads(s, o.threads); /* 0 (unset): the default */
    /* --office X is X and every office under it; --only, X alone */
    qc_store_set_office_subtree(s, !o.only);
    int code;
    if (!strcmp(cmd, "init")) code = nargs ? usage_error("init: %s", "takes no arguments") : cmd_init(s, &o);
    else if (!strcmp(cmd, "import")) code = cmd_import(s, &o, nargs, args);
    else if (!strcmp(cmd, "list")) code = cmd_list(s, &o, nargs, args);
    else if (!strcmp(cmd, "classify")) code = cmd_classify(s, &o, nargs, args);
    else if (!strcmp(cmd, "explain")) code = cmd_explain(s, &o, nargs, args);
    else if (!strcmp(cmd, "assess")) code = cmd_assess(s, &o, nargs, args);
    else if (!strcmp(cmd, "report")) code = cmd_report(s, &o, nargs, args);
    else if (!strcmp(cmd, "dossier")) code = cmd_dossier(s, &o, nargs, args);
    else if (!strcmp(cmd, "amend")) code = cmd_amend(s, &o, nargs, args);
    else if (!strcmp(cmd, "withdraw")) code = cmd_withdraw(s, &o, nargs, args);
    else if (!strcmp(cmd, "history")) code = cmd_history(s, &o, nargs, args);
    else if (!strcmp(cmd, "verify")) code = cmd_verify(s, &o, nargs, args);
    else if (!strcmp(cmd, "diff-rules")) code = cmd_diff_rules(s, &o, nargs, args);
    else if (!strcmp(cmd, "deadlines")) code = cmd_deadlines(s, &o, nargs, args);
    else if (!strcmp(cmd, "notify")) code = cmd_notify(s, &o, nargs, args);
    else if (!strcmp(cmd, "sample")) code = cmd_sample(s, &o, nargs, args);
    else if (!strcmp(cmd, "inspection")) code = cmd_inspection(s, &o, nargs, args);
    else if (!strcmp(cmd, "suggest")) code = cmd_suggest(s, &o, nargs, args);
    else if (!strcmp(cmd, "assign")) code = cmd_assign(s, &o, nargs, args);
    else code = cmd_show(s, &o, nargs, args);
    qc_store_free(s);
    return code;
}
