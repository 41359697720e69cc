/* SPDX-License-Identifier: MIT
 * cmd_inspect.c - quotacase sample, inspection, suggest and assign:
 * inspections drawn from a sampling plan and checked by drawing them
 * again, and new cases assigned at random, by designation or by the
 * quota-aware suggestion (docs/inspections.md).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* A usage error was printed (usage_error): exit 2.  Positive, so that it
 * never mixes with the library's negative codes. */
enum { USAGE_PRINTED = 1 };

static int finish(int rc) { return rc == USAGE_PRINTED ? EXIT_USAGE : rc < 0 ? fail(rc) : EXIT_OK; }

/* Who does it: --actor, else the store's actor, else the login name. */
static const char *actor_of(qc_store *s, const options *o)
{
    if (o->actor) return o->actor;
    const char *a = qc_store_actor(s);
    if (a && *a) return a;
    const char *user = getenv("USER");
    return user && *user ? user : "(unknown)";
}

static const char *sample_format(const options *o)
{
    return o->html ? "html" : o->format == OUT_JSON ? "json" : o->format == OUT_CSV ? "csv" : "text";
}

/* The office drawn from: --office, else the store's only root office. */
static int root_office(qc_store *s, const options *o, char *out, size_t size)
{
    if (o->office) {
        snprintf(out, size, "%s", o->office);
        return QC_OK;
    }
    qc_iter *it;
    const qc_record *r;
    int roots = 0, rc = qc_iter_new(&it, s, QC_KIND_OFFICE, NULL);
    while (rc == QC_OK && (rc = qc_iter_next(&r, it)) == QC_OK)
        if (!qc_record_has(r, QC_OFFICE_PARENT) && roots++ == 0) snprintf(out, size, "%s", qc_record_text(r, QC_OFFICE_ID));
    qc_iter_free(it);
    if (rc != QC_ITEROVER) return rc;
    if (roots == 1) return QC_OK;
    usage_error("sample: the store has %d top offices: name the one drawn from with --office", roots);
    return USAGE_PRINTED;
}

/* quotacase sample --plan PLAN --period P --seed S [--rules R] [--office X]
 *   [--id ID] [--dry-run]: draw, record and list an inspection;
 * quotacase sample --check ID --plan PLAN [--rules R]: draw it again and
 *   compare. */
int cmd_sample(qc_store *s, const options *o, int argc, char **argv)
{
    (void)argv;
    if (argc) return usage_error("%s", "sample: takes no arguments (--plan FILE --period P --seed S)");
    if (!o->plan) return usage_error("%s", "sample: name the sampling plan with --plan FILE");
    if (o->check && (o->period || o->seed || o->inspection_id || o->dry_run))
        return usage_error("%s", "sample --check ID: the plan and rules only; the rest is recorded");
    if (!o->check && (!o->period || !o->seed)) return usage_error("%s", "sample: give --period P and --seed S");
    int64_t from = 0, to = 0;
    if (o->period && qc_period_parse(&from, &to, o->period) < 0) return usage_error("--period: %s", qc_error_last());
    qc_plan *plan = NULL;
    qc_rules *rules = NULL;
    qc_sample *sample = NULL;
    int rc = qc_plan_load_file(&plan, o->plan);
    if (rc == QC_OK && o->nrules) rc = load_rules(&rules, o, o->rules, o->nrules);
    if (rc < 0) goto done;
    if (o->check) {
        rc = qc_sample_check(&sample, s, o->check, plan, rules);
        if (rc == QC_OK && !o->quiet)
            fprintf(stderr, "inspection %s: drawn again on the store as it was (head %s), %d case%s, list %s: "
                            "the same\n", o->check, qc_sample_head(sample), qc_sample_count(sample),
                    qc_sample_count(sample) == 1 ? "" : "s", qc_sample_list_hash(sample));
        goto done;
    }
    char office[256];
    if ((rc = root_office(s, o, office, sizeof office)) != QC_OK) goto done;
    rc = qc_sample_draw(&sample, plan, rules, s, office, from, to, o->seed);
    char id[200];
    snprintf(id, sizeof id, "%s", o->inspection_id ? o->inspection_id : "");
    if (rc == QC_OK && !*id) { /* plan, period and seed name the draw */
        char a[16], b[16];
        qc_date_format(a, sizeof a, from);
        qc_date_format(b, sizeof b, to);
        snprintf(id, sizeof id, "%s:%s:%s:%s", qc_plan_id(plan), a, b, o->seed);
        if (strlen(id) > 128) {
            usage_error("sample: the id '%s' is longer than 128 bytes: give --id", id);
            rc = USAGE_PRINTED;
            goto done;
        }
    }
    if (rc == QC_OK && !o->dry_run) rc = qc_sample_record(sample, s, id, actor_of(s, o));
    if (rc == QC_OK) rc = qc_sample_write(sample, o->output ? o->output : "-", sample_format(o), o->lang);
    if (rc == QC_OK && !o->quiet)
        fprintf(stderr, "%s %d of %lld candidate case%s in %d strat%s%s%s\n", o->dry_run ? "drew (not recorded)" : "drew",
                qc_sample_count(sample), (long long)qc_sample_candidates(sample),
                qc_sample_candidates(sample) == 1 ? "" : "s", qc_sample_strata_count(sample),
                qc_sample_strata_count(sample) == 1 ? "um" : "a", o->dry_run ? "" : "; recorded as inspection ",
                o->dry_run ? "" : id);
done:
    qc_sample_free(sample);
    qc_rules_free(rules);
    qc_plan_free(plan);
    return finish(rc);
}

/* quotacase inspection ID: the recorded list with the grades of the
 * reviews made for it, and the grades by office, department, handler. */
int cmd_inspection(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "inspection: name one inspection (inspection ID)");
    qc_sample *sample;
    int rc = qc_sample_load(&sample, s, argv[0]);
    if (rc == QC_OK) rc = qc_sample_write(sample, o->output ? o->output : "-", sample_format(o), o->lang);
    qc_sample_free(sample);
    return finish(rc);
}

static int suggestion_for(qc_suggestion **out, qc_store *s, const options *o, const char *case_id, qc_rules **rules)
{
    int64_t day = 0;
    if (o->on && qc_date_parse(&day, o->on) < 0) {
        usage_error("--on: %s", qc_error_last());
        return USAGE_PRINTED;
    }
    int rc = load_rules(rules, o, o->rules, o->nrules);
    return rc < 0 ? rc : qc_suggest(out, *rules, s, case_id, day);
}

static void print_suggestion(const qc_suggestion *sg, const options *o)
{
    static const char *const names[] = {"rank", "person", "name", "role", "leader", "weight", "cases", "counted",
                                        "required", "focus_share", "focus_required", "score"};
    out_table *t = out_table_new(12, names);
    if (!t) return;
    for (int c = 0; c < 12; c++)
        if (c != 1 && c != 2 && c != 3) out_table_set_raw(t, c);
    for (int i = 0; i < qc_suggestion_count(sg); i++) {
        char cells[9][32];
        snprintf(cells[0], 32, "%d", i + 1);
        snprintf(cells[1], 32, "%s", qc_suggestion_leader(sg, i) ? "true" : "false");
        snprintf(cells[2], 32, "%g", qc_suggestion_weight(sg, i));
        snprintf(cells[3], 32, "%d", qc_suggestion_cases(sg, i));
        snprintf(cells[4], 32, "%.2f", qc_suggestion_counted(sg, i));
        snprintf(cells[5], 32, "%.2f", qc_suggestion_required(sg, i));
        snprintf(cells[6], 32, "%.3f", qc_suggestion_focus_share(sg, i));
        snprintf(cells[7], 32, "%.3f", qc_suggestion_focus_required(sg, i));
        snprintf(cells[8], 32, "%.4f", qc_suggestion_score(sg, i));
        const char *row[] = {cells[0], qc_suggestion_person(sg, i), qc_suggestion_name(sg, i), qc_suggestion_role(sg, i),
                             cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]};
        out_table_add_row(t, row);
    }
    out_table_print(t, o->format, stdout);
    out_table_free(t);
}

/* quotacase suggest CASE --rules R [--on DAY]: the eligible handlers,
 * ranked by how much the case would help them meet the quota. */
int cmd_suggest(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "suggest: name one case (suggest --rules R CASE)");
    if (!o->nrules) return usage_error("%s", "suggest: name the rules with --rules FILE");
    qc_rules *rules = NULL;
    qc_suggestion *sg = NULL;
    int rc = suggestion_for(&sg, s, o, argv[0], &rules);
    if (rc == QC_OK) {
        if (o->format == OUT_TEXT && !o->quiet)
            printf("case %s%s: %d eligible handler%s, best first\n", argv[0], qc_suggestion_hard(sg) ? " (hard)" : "",
                   qc_suggestion_count(sg), qc_suggestion_count(sg) == 1 ? "" : "s");
        print_suggestion(sg, o);
    }
    qc_suggestion_free(sg);
    qc_rules_free(rules);
    return finish(rc);
}

/* quotacase assign CASE --rules R --method random --seed S
 *   | --method designated --person P --reason TEXT
 *   | --method suggested [--person P]     [--capacity C] [--on DAY] */
int cmd_assign(qc_store *s, const options *o, int argc, char **argv)
{
    if (argc != 1) return usage_error("%s", "assign: name one case (assign --rules R --method M CASE)");
    if (!o->nrules) return usage_error("%s", "assign: name the rules with --rules FILE");
    if (!o->method) return usage_error("%s", "assign: give --method random, designated or suggested");
    qc_assign_method method = !strcmp(o->method, "random") ? QC_ASSIGN_RANDOM
                            : !strcmp(o->method, "designated") ? QC_ASSIGN_DESIGNATED
                            : !strcmp(o->method, "suggested") ? QC_ASSIGN_SUGGESTED : 0;
    if (!method) return usage_error("--method: '%s' is not random, designated or suggested", o->method);
    if (method == QC_ASSIGN_RANDOM && (!o->seed || o->person))
        return usage_error("%s", "assign --method random: give --seed S, and no --person (the draw chooses)");
    if (method == QC_ASSIGN_DESIGNATED && (!o->person || !o->reason))
        return usage_error("%s", "assign --method designated: give --person P and --reason TEXT");
    qc_rules *rules = NULL;
    qc_suggestion *sg = NULL;
    const char *chosen = NULL;
    int rc = suggestion_for(&sg, s, o, argv[0], &rules);
    if (rc == QC_OK)
        rc = qc_assign(&chosen, s, sg, method, o->person, method == QC_ASSIGN_RANDOM ? o->seed : NULL, actor_of(s, o),
                       o->reason, o->capacity ? o->capacity : "lead");
    if (rc == QC_OK && !o->quiet)
        printf("case %s assigned to %s (%s, by %s)\n", argv[0], chosen, o->method, actor_of(s, o));
    qc_suggestion_free(sg);
    qc_rules_free(rules);
    return finish(rc);
}
