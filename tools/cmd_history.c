/* SPDX-License-Identifier: MIT
 * cmd_history.c - the commands that change records and show how they
 * changed: amend, withdraw, history (docs/data-model.md).
 *
 *   quotacase amend KIND ID --set FIELD=VALUE... [--unset FIELD...] --reason TEXT
 *   quotacase withdraw KIND ID --reason TEXT
 *   quotacase withdraw KIND --set FIELD=VALUE... --reason TEXT   (a record without an id)
 *   quotacase history KIND ID
 *
 * Each change is one transaction through qc_store_amend or
 * qc_store_withdraw, by the actor of --actor, $QUOTACASE_ACTOR or the
 * login name (main() sets it).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Apply one --set FIELD=VALUE (fact.NAME=VALUE for a case fact, keeping
 * the fact's type when it has one, else inferring it; fact.NAME:TYPE=VALUE
 * to give it).  An exit code: a malformed option is a usage error, a value
 * the record refuses is bad input. */
static int apply_set(qc_record *r, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) return usage_error("--set: '%s' is not FIELD=VALUE", assignment);
    char name[160];
    snprintf(name, sizeof name, "%.*s", (int)(eq - assignment), assignment);
    const char *value = eq + 1;
    qc_kind kind = qc_record_kind(r);
    if (!strncmp(name, "fact.", 5)) {
        char *fact = name + 5, *colon = strchr(fact, ':');
        qc_type type = QC_TYPE_NULL;
        if (colon) {
            static const char *const types[] = {NULL, "text", "int", "decimal", "bool", "date"};
            *colon = '\0';
            for (int t = QC_TYPE_TEXT; t <= QC_TYPE_DATE; t++)
                if (!strcmp(colon + 1, types[t])) type = (qc_type)t;
            if (type == QC_TYPE_NULL) return usage_error("--set: '%s': a fact's type is text, int, decimal, bool or date", assignment);
        } else {
            int i = qc_record_fact_find(r, fact);
            if (i >= 0) type = qc_record_fact_type(r, i);
        }
        int rc = qc_record_set_fact_parse(r, fact, type, value);
        return rc < 0 ? fail(rc) : EXIT_OK;
    }
    int field = qc_field_lookup(kind, name);
    if (field < 0) return usage_error("--set: %s records have no field '%s'", qc_kind_name(kind), name);
    if (field == 0 && qc_record_has(r, 0) && strcmp(value, qc_record_text(r, 0)))
        return usage_error("--set: %s", "the id names the record and cannot be amended");
    int rc = qc_record_set_text(r, field, value);
    return rc < 0 ? fail(rc) : EXIT_OK;
}

static int apply_unset(qc_record *r, const char *name)
{
    qc_kind kind = qc_record_kind(r);
    int field = qc_field_lookup(kind, name);
    if (field <= 0) return usage_error("--unset: %s records have no optional field '%s'", qc_kind_name(kind), name);
    if (qc_field_required(kind, field)) return usage_error("--unset: %s.%s is required", qc_kind_name(kind), name);
    qc_record_unset(r, field);
    return EXIT_OK;
}

static int kind_arg(const char *name, qc_kind *out)
{
    *out = qc_kind_lookup(name);
    if (!*out || *out == QC_KIND_REVISION) return usage_error("unknown kind '%s'", name);
    return EXIT_OK;
}

int cmd_amend(qc_store *s, const options *o, int argc, char **argv)
{
    qc_kind kind;
    if (argc != 2) return usage_error("amend: %s", "name a kind and an id (amend case C1 --set closed=2017-09-01 --reason ...)");
    if (kind_arg(argv[0], &kind) != EXIT_OK) return EXIT_USAGE;
    if (!o->nsets && !o->nunsets) return usage_error("amend: %s", "nothing to change: give --set FIELD=VALUE or --unset FIELD");
    if (!o->reason) return usage_error("amend: %s", "--reason is required: why the record is corrected");
    qc_record *r;
    int rc = qc_store_get(&r, s, kind, argv[1]), code = EXIT_OK;
    if (rc < 0) return fail(rc);
    for (int i = 0; code == EXIT_OK && i < o->nsets; i++) code = apply_set(r, o->sets[i]);
    for (int i = 0; code == EXIT_OK && i < o->nunsets; i++) code = apply_unset(r, o->unsets[i]);
    if (code == EXIT_OK && (rc = qc_store_amend(s, r, o->reason)) < 0) code = fail(rc);
    qc_record_free(r);
    if (code != EXIT_OK) return code;
    if (!o->quiet) fprintf(stderr, "%s: amended %s %s\n", progname, qc_kind_name(kind), argv[1]);
    return EXIT_OK;
}

int cmd_withdraw(qc_store *s, const options *o, int argc, char **argv)
{
    qc_kind kind;
    if (argc < 1 || argc > 2 || (argc == 1) == (o->nsets == 0))
        return usage_error("withdraw: %s", "name a kind and an id, or a kind and the record's fields with --set");
    if (kind_arg(argv[0], &kind) != EXIT_OK) return EXIT_USAGE;
    if (!o->reason) return usage_error("withdraw: %s", "--reason is required: why the record is withdrawn");
    qc_record *r;
    int rc = qc_record_new(&r, kind), code = EXIT_OK;
    if (rc == QC_OK && argc == 2) rc = qc_record_set_text(r, 0, argv[1]);
    if (rc < 0) code = fail(rc);
    for (int i = 0; code == EXIT_OK && i < o->nsets; i++) code = apply_set(r, o->sets[i]);
    if (code == EXIT_OK && (rc = qc_store_withdraw_record(s, r, o->reason)) < 0) code = fail(rc);
    qc_record_free(r);
    if (code != EXIT_OK) return code;
    if (!o->quiet) fprintf(stderr, "%s: withdrew %s%s%s\n", progname, qc_kind_name(kind), argc == 2 ? " " : "", argc == 2 ? argv[1] : "");
    return EXIT_OK;
}

/* What an amendment changed: "field: old -> new" per difference, "; " between. */
static void describe_change(qc_kind kind, const char *prior, const char *body, char *out, size_t size)
{
    qc_record *a = NULL, *b = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (qc_record_new(&a, kind) < 0 || qc_record_new(&b, kind) < 0 || qc_record_decode(a, prior) < 0 ||
        qc_record_decode(b, body) < 0)
        goto done;
    for (int i = 0; i < qc_field_count(kind) && n < size; i++) {
        const char *x = qc_record_text(a, i), *y = qc_record_text(b, i);
        if ((x ? x : "")[0] == '\0' && (y ? y : "")[0] == '\0') continue;
        if (x && y && !strcmp(x, y)) continue;
        n += (size_t)snprintf(out + n, size - n, "%s%s: %s -> %s", n ? "; " : "", qc_field_name(kind, i),
                              x ? x : "(none)", y ? y : "(none)");
    }
    for (int i = 0; i < qc_record_fact_count(b) && n < size; i++) {
        const char *name = qc_record_fact_name(b, i), *y = qc_record_fact_text(b, i);
        int j = qc_record_fact_find(a, name);
        const char *x = j >= 0 ? qc_record_fact_text(a, j) : NULL;
        if (x && !strcmp(x, y)) continue;
        n += (size_t)snprintf(out + n, size - n, "%sfact.%s: %s -> %s", n ? "; " : "", name, x ? x : "(none)", y);
    }
    for (int i = 0; i < qc_record_fact_count(a) && n < size; i++)
        if (qc_record_fact_find(b, qc_record_fact_name(a, i)) < 0)
            n += (size_t)snprintf(out + n, size - n, "%sfact.%s: %s -> (none)", n ? "; " : "", qc_record_fact_name(a, i),
                                  qc_record_fact_text(a, i));
done:
    qc_record_free(a);
    qc_record_free(b);
}

int cmd_history(qc_store *s, const options *o, int argc, char **argv)
{
    qc_kind kind;
    if (argc != 2) return usage_error("history: %s", "name a kind and an id (history case C1)");
    if (kind_arg(argv[0], &kind) != EXIT_OK) return EXIT_USAGE;
    static const char *const names[] = {"version", "op", "recorded", "actor", "reason", "change"};
    out_table *t = out_table_new(6, names);
    qc_iter *it = NULL;
    const qc_record *rev;
    int rc = t ? qc_store_history(&it, s, kind, argv[1]) : QC_ENOMEM, n = 0;
    out_table_set_raw(t, 0);
    while (rc == QC_OK && (rc = qc_iter_next(&rev, it)) == QC_OK) {
        char version[16], change[2048];
        int op = (int)qc_record_int(rev, QC_REVISION_OP);
        snprintf(version, sizeof version, "%d", ++n);
        if (op == QC_OP_AMEND)
            describe_change(kind, qc_record_text(rev, QC_REVISION_PRIOR), qc_record_text(rev, QC_REVISION_BODY), change,
                            sizeof change);
        else
            snprintf(change, sizeof change, "%s", op == QC_OP_INSERT ? "stored" : "withdrawn");
        const char *cells[] = {version, qc_record_text(rev, QC_REVISION_OP), qc_record_text(rev, QC_REVISION_RECORDED),
                               qc_record_text(rev, QC_REVISION_ACTOR), qc_record_text(rev, QC_REVISION_REASON), change};
        if (out_table_add_row(t, cells) < 0) rc = QC_ENOMEM;
    }
    qc_iter_free(it);
    if (rc == QC_ITEROVER && n == 0) {
        out_table_free(t);
        fprintf(stderr, "%s: no history of %s %s\n", progname, qc_kind_name(kind), argv[1]);
        return EXIT_NOT_FOUND;
    }
    if (rc != QC_ITEROVER) {
        out_table_free(t);
        return fail(rc);
    }
    out_table_print(t, o->format, stdout);
    out_table_free(t);
    return EXIT_OK;
}

/* quotacase verify [--head HASH]: the journal's chain and the tables
 * against it (qc_store_verify).  Prints the head on success; the first bad
 * entry or record and exit 7 if the store was changed outside the library,
 * or if --head names a state the store never had. */
int cmd_verify(qc_store *s, const options *o, int argc, char **argv)
{
    (void)argv;
    if (argc) return usage_error("verify: %s", "takes no arguments (--head HASH to check a report's state)");
    qc_verify *v;
    int rc = qc_store_verify(&v, s, o->head);
    if (rc < 0 && rc != QC_ETAMPERED) return fail(rc);
    bool seen = !o->head || qc_verify_head_seen(v) > 0;
    if (o->format == OUT_JSON) {
        printf("{\"verified\": %s, \"entries\": %lld", rc == QC_OK ? "true" : "false", (long long)qc_verify_entries(v));
        if (rc == QC_OK) printf(", \"head\": \"%s\"", qc_verify_head(v));
        if (o->head) printf(", \"head_seen\": %lld", (long long)qc_verify_head_seen(v));
        if (rc != QC_OK) {
            printf(", \"entry\": %lld, \"kind\": ", (long long)qc_verify_bad_entry(v));
            out_json_string(stdout, qc_verify_bad_kind(v) ? qc_kind_name(qc_verify_bad_kind(v)) : "");
            printf(", \"id\": ");
            out_json_string(stdout, qc_verify_bad_id(v));
            printf(", \"message\": ");
            out_json_string(stdout, qc_error_last());
        }
        printf("}\n");
    } else if (rc == QC_OK && !qc_verify_entries(v)) {
        printf("verified: nothing is stored and the journal has not begun\n");
    } else if (rc == QC_OK) {
        printf("verified: %lld journal entr%s, and the tables agree with them\nhead %s\n",
               (long long)qc_verify_entries(v), qc_verify_entries(v) == 1 ? "y" : "ies", qc_verify_head(v));
        if (o->head && seen)
            printf("%s was the head after entry %lld\n", o->head, (long long)qc_verify_head_seen(v));
    }
    if (rc == QC_OK && !seen)
        fprintf(stderr, "%s: %s was never the head of this store's journal\n", progname, o->head);
    qc_verify_free(v);
    if (rc != QC_OK) {
        if (o->format != OUT_JSON) fail(rc);
        return EXIT_TAMPERED;
    }
    return seen ? EXIT_OK : EXIT_TAMPERED;
}
