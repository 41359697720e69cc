/* SPDX-License-Identifier: MIT
 * classify.c - classifying cases with a loaded rule set: labels, matched
 * rules, the primary label, the case weight, and explanations on demand.
 *
 * Classifying is a pure function of the rules, the case, the office table
 * (offices.c) and the classifier's settings (today, explanations): the
 * classifier is only read.  Everything one classification writes (the fact
 * vector, the matches, the explanation) is in a qc_result, allocated once,
 * so that classifying a case allocates nothing; threads may share one
 * classifier, each classifying into its own result.
 *
 * The version of a rule set that applies to a case is the one in force on
 * the case's registration date (docs/rules.md, "Versions").
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules_internal.h"


static int64_t today_utc(void)
{
    return (int64_t)(time(NULL) / 86400);
}

QC_EXTERN int qc_result_new(qc_result **out, const qc_classifier *c)
{
    if (out) *out = NULL;
    if (!out || !c) return qc__error(QC_EINVAL, "qc_result_new: NULL argument");
    const qc_rules *rules = c->rules;
    int facts = 0, labels = 0, rules_n = 0;
    for (int i = 0; i < rules->nsets; i++) {
        if (rules->sets[i]->prog.nfacts > facts) facts = rules->sets[i]->prog.nfacts;
        if (rules->sets[i]->nlabels > labels) labels = rules->sets[i]->nlabels;
        if (rules->sets[i]->nrules > rules_n) rules_n = rules->sets[i]->nrules;
    }
    qc_result *r = calloc(1, sizeof *r);
    if (r) {
        r->rules = rules;
        r->facts = calloc((size_t)facts + 1, sizeof *r->facts);
        r->label_hit = calloc((size_t)labels + 1, sizeof *r->label_hit);
        r->labels = calloc((size_t)labels + 1, sizeof *r->labels);
        r->matched = calloc((size_t)rules_n + 1, sizeof *r->matched);
    }
    if (!r || !r->facts || !r->label_hit || !r->labels || !r->matched) {
        qc_result_free(r);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    r->explanation = "";
    *out = r;
    return QC_OK;
}

QC_EXTERN void qc_result_free(qc_result *r)
{
    if (!r) return;
    free(r->facts);
    free(r->label_hit);
    free(r->labels);
    free(r->matched);
    free(r->explain.buf);
    free(r);
}

QC_EXTERN int qc_classifier_new(qc_classifier **out, const qc_rules *rules)
{
    if (out) *out = NULL; /* a failure leaves no handle behind */
    if (!out || !rules) return qc__error(QC_EINVAL, "qc_classifier_new: NULL argument");
    if (!rules->nsets) return qc__error(QC_EINVAL, "qc_classifier_new: no rule set loaded");
    qc_classifier *c = calloc(1, sizeof *c);
    if (!c) return qc__error(QC_ENOMEM, "out of memory");
    c->rules = rules;
    c->today = today_utc();
    int rc = qc_result_new(&c->result, c);
    if (rc < 0) {
        free(c);
        return rc;
    }
    *out = c;
    return QC_OK;
}

QC_EXTERN void qc_classifier_free(qc_classifier *c)
{
    if (!c) return;
    qc_result_free(c->result);
    qc_offices_free(c->own_offices);
    qc__designations_free(c->own_designations);
    free(c);
}

QC_EXTERN int qc_classifier_set_explain(qc_classifier *c, int on)
{
    if (!c) return qc__error(QC_EINVAL, "qc_classifier_set_explain: classifier is NULL");
    c->explain_on = on != 0;
    return QC_OK;
}

QC_EXTERN int qc_classifier_set_today(qc_classifier *c, int64_t day)
{
    if (!c) return qc__error(QC_EINVAL, "qc_classifier_set_today: classifier is NULL");
    c->today = day;
    return QC_OK;
}

QC_EXTERN int qc_classifier_set_office_level(qc_classifier *c, int level)
{
    if (!c) return qc__error(QC_EINVAL, "qc_classifier_set_office_level: classifier is NULL");
    if (level && !qc__enum_name(QC_KIND_OFFICE, QC_OFFICE_LEVEL, level))
        return qc__error(QC_EVALUE, "qc_classifier_set_office_level: %d is not a level", level);
    c->office_level = level;
    return QC_OK;
}

QC_EXTERN int qc_classifier_set_offices(qc_classifier *c, const qc_offices *offices)
{
    if (!c) return qc__error(QC_EINVAL, "qc_classifier_set_offices: classifier is NULL");
    qc_offices_free(c->own_offices);
    c->own_offices = NULL;
    c->offices = offices;
    return QC_OK;
}

void qc__classifier_set_designations(qc_classifier *c, const qc__designations *d) { c->designations = d; }

QC_EXTERN int qc_classifier_set_store(qc_classifier *c, qc_store *store)
{
    if (!c) return qc__error(QC_EINVAL, "qc_classifier_set_store: classifier is NULL");
    qc_offices *table = NULL;
    qc__designations *designations = NULL;
    int rc = store ? qc_offices_load(&table, store) : QC_OK;
    if (rc == QC_OK && store && (rc = qc__designations_load(&designations, store)) < 0) qc_offices_free(table);
    if (rc < 0) return rc;
    qc_classifier_set_offices(c, table);
    qc_offices_free(c->own_offices);
    c->own_offices = table;
    qc__designations_free(c->own_designations);
    c->designations = c->own_designations = designations;
    return QC_OK;
}

/* ---- one case ---- */

/* How closely rs is bound to office: the steps up from office to the
 * nearest office its applies_to names (0: the office itself), a set
 * without applies_to after every bound one, or -1 where it does not
 * apply. */
enum { PLACE_EVERYWHERE = 1000 };
static int place_rank(const qc__ruleset *rs, const qc_offices *offices, const char *office)
{
    if (!rs->napplies || !office) return PLACE_EVERYWHERE;
    const char *at = office;
    for (int up = 0; at && up < 64; up++) { /* 64: deeper than any real tree, so a cycle ends */
        for (int i = 0; i < rs->napplies; i++)
            if (!strcmp(rs->applies_offices[i], at)) return up;
        if (!rs->applies_descendants) break;
        at = qc__offices_parent(offices, at);
    }
    return -1;
}

bool qc__rules_have_places(const qc_rules *rules)
{
    for (int i = 0; i < rules->nsets; i++)
        if (rules->sets[i]->napplies) return true;
    return false;
}

const qc__ruleset *qc__set_in_force(const qc_rules *rules, int64_t day, qc_office_kind kind, const qc_offices *offices,
                                   const char *office, qc__section section)
{
    const qc__ruleset *best = NULL;
    int best_rank = -1;
    for (int i = 0; i < rules->nsets; i++) {
        const qc__ruleset *s = rules->sets[i];
        if (day < s->effective_from || day > s->effective_to) continue;
        if (kind && s->kind && s->kind != kind) continue;
        if ((section == QC__SECTION_ASSESSMENT && !s->assess.present) || (section == QC__SECTION_RATIO && !s->ratio.present))
            continue;
        int rank = office ? place_rank(s, offices, office) : PLACE_EVERYWHERE;
        if (rank < 0) continue;
        if (!best || rank < best_rank || (rank == best_rank && s->effective_from > best->effective_from)) {
            best = s;
            best_rank = rank;
        }
    }
    return best;
}

/* Fill c->facts from the case's facts by the rule set's schema. */
static int load_facts(qc_result *c, const qc__ruleset *rs, const qc_record *r)
{
    for (int i = 0; i < rs->prog.nfacts; i++) c->facts[i] = (qc__xvalue){.missing = true};
    const char *id = qc__record_str(r, QC_CASE_ID, NULL);
    if (c->slot_cache_set != rs) {
        c->slot_cache_set = rs;
        memset(c->slot_cache_names, 0, sizeof c->slot_cache_names);
    }
    for (int j = 0; j < r->nfacts; j++) {
        const char *name = r->arena + r->facts[j].name_off;
        int i;
        if (j < 64 && c->slot_cache_names[j][0] == name[0] && !strcmp(c->slot_cache_names[j], name)) {
            i = c->slot_cache[j];
        } else {
            for (i = 0; i < rs->prog.nfacts; i++)
                if (!strcmp(rs->prog.facts[i].name, name)) break;
            if (j < 64 && strlen(name) < sizeof c->slot_cache_names[j]) {
                strcpy(c->slot_cache_names[j], name);
                c->slot_cache[j] = i;
            }
        }
        if (i == rs->prog.nfacts) continue; /* a fact these rules do not use */
        const qc__fact_def *f = &rs->prog.facts[i];
        const qc__fact *v = &r->facts[j];
        qc__xvalue x = {0};
        bool ok = true;
        switch (f->type) {
        case X_BOOL: ok = v->type == QC_TYPE_BOOL; x.i = v->v.i; break;
        case X_INT: ok = v->type == QC_TYPE_INT; x.i = v->v.i; break;
        case X_DEC: ok = v->type == QC_TYPE_DECIMAL || v->type == QC_TYPE_INT;
                    x.d = v->type == QC_TYPE_INT ? (double)v->v.i : v->v.d; break;
        case X_DATE: ok = v->type == QC_TYPE_DATE; x.i = v->v.i; break;
        case X_STR: x.s = qc_record_fact_text(r, j); ok = x.s != NULL; break;
        case X_ENUM: {
            const char *s = qc_record_fact_text(r, j);
            ok = false;
            for (int k = 0; s && k < f->nvalues; k++)
                if (!strcmp(f->values[k], s)) { x.i = k; ok = true; }
            if (!ok)
                return qc__error(QC_EVALUE, "case %s: fact %s = '%s' is not one of the values %s declares", id ? id : "?",
                                 name, s ? s : "?", rs->file);
            break;
        }
        }
        if (!ok) {
            static const char *const xnames[] = {"", "bool", "int", "decimal", "date", "text", "enum"};
            return qc__error(QC_ETYPE, "case %s: fact %s is %s, but %s declares it %s", id ? id : "?", name,
                             qc__fact_type_name(v->type), rs->file, xnames[f->type]);
        }
        if (f->type == X_INT || f->type == X_DEC) {
            double d = f->type == X_INT ? (double)x.i : x.d;
            if ((f->has_min && d < f->min) || (f->has_max && d > f->max))
                return qc__error(QC_EVALUE, "case %s: fact %s = %g is outside %s's min/max", id ? id : "?", name, d, rs->file);
        }
        c->facts[i] = x;
    }
    for (int i = 0; i < rs->prog.nfacts; i++)
        if (c->facts[i].missing && rs->prog.facts[i].missing == MISSING_DEFAULT) c->facts[i] = rs->prog.facts[i].dflt;
    return QC_OK;
}


/* The level and kind of the case's office: from the office table, else
 * the level set by hand and no kind. */
static void office_of(const qc_classifier *c, const qc_record *r, int64_t *level, qc_office_kind *kind)
{
    int found;
    *level = c->office_level;
    *kind = 0;
    if (c->offices && qc__offices_find(c->offices, qc__record_str(r, QC_CASE_OFFICE, NULL), &found, kind) == QC_OK)
        *level = found;
}

double qc__weight(const qc__ruleset *rs, const int *labels, int nlabels, int primary, const char *type,
                  const qc__xvalue *facts)
{
    double w;
    if (!nlabels) {
        w = rs->labels[primary].weight;
    } else {
        w = rs->combine == COMBINE_PRODUCT ? 1.0 : 0.0;
        for (int i = 0; i < nlabels; i++) {
            double lw = rs->labels[labels[i]].weight;
            if (rs->combine == COMBINE_MAX) w = lw > w ? lw : w;
            else if (rs->combine == COMBINE_SUM) w += lw;
            else w *= lw;
        }
    }
    for (int i = 0; type && i < rs->ntype_weights; i++)
        if (!strcmp(rs->type_weights[i].type, type)) w *= rs->type_weights[i].factor;
    if (rs->per_defendant_fact >= 0 && !facts[rs->per_defendant_fact].missing) {
        double n = (double)facts[rs->per_defendant_fact].i;
        if (n > rs->per_defendant_max) n = rs->per_defendant_max;
        if (n > 1) w *= 1.0 + rs->per_defendant_each * (n - 1);
    }
    return w;
}

QC_EXTERN int qc_classify(const qc_result **out, qc_classifier *c, const qc_record *r)
{
    if (out) *out = NULL;
    if (!out || !c || !r) return qc__error(QC_EINVAL, "qc_classify: NULL argument");
    *out = NULL;
    int rc = qc_classify_into(c->result, c, r);
    if (rc == QC_OK) *out = c->result;
    return rc;
}

QC_EXTERN int qc_classify_into(qc_result *res, const qc_classifier *c, const qc_record *r)
{
    if (!res || !c || !r) return qc__error(QC_EINVAL, "qc_classify_into: NULL argument");
    if (res->rules != c->rules) return qc__error(QC_EINVAL, "qc_classify_into: the result was made for other rules");
    if (r->kind != QC_KIND_CASE) return qc__error(QC_EINVAL, "qc_classify: a %s is not a case", r->def->name);
    const char *id = qc__record_str(r, QC_CASE_ID, NULL);
    if (!r->fields[QC_CASE_REGISTERED].set)
        return qc__error(QC_EMISSING, "case %s: no registration date, so no rule version applies", id ? id : "?");
    int64_t registered = r->fields[QC_CASE_REGISTERED].i;
    int64_t level;
    qc_office_kind okind;
    office_of(c, r, &level, &okind);
    const qc__ruleset *rs = qc__set_in_force(c->rules, registered, okind, c->offices,
                                             qc__record_str(r, QC_CASE_OFFICE, NULL), QC__SECTION_ANY);
    if (!rs) {
        char day[16];
        qc_date_format(day, sizeof day, registered);
        return qc__error(QC_ENOTFOUND, "case %s: no loaded rule set is in force on %s (its registration date)", id ? id : "?", day);
    }
    int rc = load_facts(res, rs, r);
    if (rc < 0) return rc;

    qc__case_view view = {.id = id, .office = qc__record_str(r, QC_CASE_OFFICE, NULL), .level = level,
                          .registered = registered, .closed = r->fields[QC_CASE_CLOSED].i,
                          .has_closed = r->fields[QC_CASE_CLOSED].set};
    view.fields_str[CF_LINE] = qc__record_str(r, QC_CASE_LINE, NULL);
    view.fields_str[CF_TYPE] = qc__record_str(r, QC_CASE_TYPE, NULL);
    view.fields_str[CF_SOURCE] = r->fields[QC_CASE_SOURCE].set ? qc__enum_name(QC_KIND_CASE, QC_CASE_SOURCE, r->fields[QC_CASE_SOURCE].i) : "random";
    view.fields_str[CF_STAGE] = qc__record_str(r, QC_CASE_STAGE, NULL);
    return qc__judge(res, c, rs, &view);
}

/* Labels given to case id by hand, dated up to the classifier's today: added
 * to the rules' (res->label_hit), or in their place if the rule set says
 * manual_labels: replace.  A label the rule set does not have is an error:
 * the designation names a label of some other rules. */
static int apply_designations(qc_result *res, const qc_classifier *c, const qc__ruleset *rs, const char *id,
                              qc__explain *explain)
{
    int n;
    const qc__designation *d = qc__designations_of(c->designations, id, &n);
    bool replaced = false;
    for (int i = 0; i < n; i++) {
        char day[16];
        qc_date_format(day, sizeof day, d[i].date);
        if (d[i].date > c->today) {
            if (explain) qc__explain_add(explain, "  designated %s by %s on %s: after today, not counted\n", d[i].label, d[i].by, day);
            continue;
        }
        int l = 0;
        while (l < rs->nlabels && strcmp(rs->labels[l].id, d[i].label)) l++;
        if (l == rs->nlabels)
            return qc__error(QC_EVALUE, "case %s: designated %s by %s on %s, which is not a label of %s %s (%s)", id,
                             d[i].label, d[i].by, day, rs->name, rs->version, rs->file);
        if (rs->manual_replaces && !replaced) {
            memset(res->label_hit, 0, sizeof *res->label_hit * (size_t)rs->nlabels);
            replaced = true;
        }
        res->label_hit[l] = true;
        if (explain)
            qc__explain_add(explain, "  designated %s by %s on %s%s%s (%s)%s\n", d[i].label, d[i].by, day,
                            d[i].decision ? ": " : "", d[i].decision ? d[i].decision : "", d[i].reason,
                            rs->manual_replaces ? ", in place of the rules' labels" : "");
    }
    return QC_OK;
}

/* The rules of rs over the facts already in res->facts and the case as
 * view shows it: matches, labels, primary label, weight, explanation.
 * Records and columns (columns.c) both come here. */
int qc__judge(qc_result *res, const qc_classifier *c, const qc__ruleset *rs, const qc__case_view *view)
{
    const char *id = view->id;
    qc__eval_ctx ctx = {.prog = &rs->prog, .facts = res->facts, .today = c->today, .office_level = view->level,
                        .registered = {.i = view->registered}, .closed = {.i = view->closed, .missing = !view->has_closed}};
    memcpy(ctx.fields_str, view->fields_str, sizeof ctx.fields_str);
    res->explain.len = 0;
    if (c->explain_on) {
        ctx.explain = &res->explain;
        ctx.note = qc__explain_note;
        res->explain.rs = rs;
        qc__explain_add(&res->explain, "case %s under %s %s (%s)\n", id ? id : "?", rs->name, rs->version, rs->file);
    }

    res->rs = rs;
    res->nmatched = res->nlabels = 0;
    memset(res->label_hit, 0, sizeof *res->label_hit * (size_t)rs->nlabels);
    const char *office = view->office;
    int64_t level = view->level;
    for (int i = 0; i < rs->nrules; i++) {
        const qc__rule *rule = &rs->rules[i];
        if (!qc__in_scope(rule, ctx.fields_str[CF_LINE], ctx.fields_str[CF_TYPE], office, level)) {
            if (ctx.explain) qc__explain_add(ctx.explain, "  rule %s (%s): out of scope\n", rule->id, rs->labels[rule->label].id);
            continue;
        }
        for (int k = 0; rule->reads_strict && k < rule->nreads; k++) {
            int f = rule->reads[k];
            if (res->facts[f].missing && rs->prog.facts[f].missing == MISSING_ERROR)
                return qc__error(QC_EMISSING, "case %s: fact %s is missing and rule %s reads it (facts.%s.missing: error in %s)",
                                 id ? id : "?", rs->prog.facts[f].name, rule->id, rs->prog.facts[f].name, rs->file);
        }
        if (ctx.explain) qc__explain_add(ctx.explain, "  rule %s (%s): %s\n", rule->id, rs->labels[rule->label].id, rule->when);
        bool hit = qc__holds(&ctx, rule->root);
        if (ctx.explain) qc__explain_add(ctx.explain, "    => %s\n", hit ? "matched" : "not matched");
        if (hit) {
            res->matched[res->nmatched++] = i;
            res->label_hit[rule->label] = true;
        }
    }
    int rc = apply_designations(res, c, rs, id, ctx.explain);
    if (rc < 0) return rc;
    for (int l = 0; l < rs->nlabels; l++)
        if (res->label_hit[l]) res->labels[res->nlabels++] = l;
    res->primary = res->nlabels ? res->labels[0] : rs->fallback;
    res->weight = qc__weight(rs, res->labels, res->nlabels, res->primary, ctx.fields_str[CF_TYPE], res->facts);
    if (ctx.explain)
        qc__explain_add(ctx.explain, "  primary %s, weight %g\n", rs->labels[res->primary].id, res->weight);
    res->explanation = c->explain_on && res->explain.buf ? res->explain.buf : "";
    return QC_OK;
}

QC_EXTERN int qc_classify_batch(qc_classifier *c, const qc_record *const *cases, size_t n, const char **primary,
                                double *weight, size_t *failed_index)
{
    if (!c || (!cases && n)) return qc__error(QC_EINVAL, "qc_classify_batch: NULL argument");
    for (size_t i = 0; i < n; i++) {
        const qc_result *res;
        int rc = qc_classify(&res, c, cases[i]);
        if (rc < 0) {
            if (failed_index) *failed_index = i;
            qc__error_prefix("case %zu of the batch", i);
            return rc;
        }
        if (primary) primary[i] = qc_result_primary(res);
        if (weight) weight[i] = res->weight;
    }
    return QC_OK;
}

/* ---- results ---- */

QC_EXTERN const char *qc_result_rules_name(const qc_result *r) { return r ? r->rs->name : NULL; }
QC_EXTERN const char *qc_result_rules_version(const qc_result *r) { return r ? r->rs->version : NULL; }
QC_EXTERN const char *qc_result_rules_hash(const qc_result *r) { return r ? r->rs->content_hash : NULL; }

QC_EXTERN int qc_rules_classification_stale(const qc_rules *rules, const qc_record *k)
{
    if (!rules || !k || qc_record_kind(k) != QC_KIND_CLASSIFICATION)
        return qc__error(QC_EINVAL, "qc_rules_classification_stale: rules and a classification, please");
    const char *name = qc_record_text(k, QC_CLASSIFICATION_RULES), *version = qc_record_text(k, QC_CLASSIFICATION_VERSION);
    const char *hash = qc_record_text(k, QC_CLASSIFICATION_RULES_HASH);
    for (int i = 0; i < rules->nsets; i++) {
        const qc__ruleset *rs = rules->sets[i];
        if (name && version && !strcmp(rs->name, name) && !strcmp(rs->version, version))
            return !hash || strcmp(hash, rs->content_hash) ? 1 : 0;
    }
    return qc__error(QC_ENOTFOUND, "rules %s version %s are not loaded", name ? name : "?", version ? version : "?");
}
QC_EXTERN const char *qc_result_primary(const qc_result *r) { return r ? r->rs->labels[r->primary].id : NULL; }
QC_EXTERN int qc_result_label_count(const qc_result *r) { return r ? r->nlabels : 0; }

QC_EXTERN const char *qc_result_label(const qc_result *r, int i)
{
    return qc__index_ok(r, i, r ? r->nlabels : 0, __func__) ? r->rs->labels[r->labels[i]].id : NULL;
}

QC_EXTERN int qc_result_match_count(const qc_result *r) { return r ? r->nmatched : 0; }

QC_EXTERN const char *qc_result_match_rule(const qc_result *r, int i)
{
    return qc__index_ok(r, i, r ? r->nmatched : 0, __func__) ? r->rs->rules[r->matched[i]].id : NULL;
}

QC_EXTERN const char *qc_result_match_label(const qc_result *r, int i)
{
    return qc__index_ok(r, i, r ? r->nmatched : 0, __func__) ? r->rs->labels[r->rs->rules[r->matched[i]].label].id : NULL;
}

QC_EXTERN const char *qc_result_match_cite(const qc_result *r, int i)
{
    return qc__index_ok(r, i, r ? r->nmatched : 0, __func__) ? r->rs->rules[r->matched[i]].cite : NULL;
}

QC_EXTERN double qc_result_weight(const qc_result *r) { return r ? r->weight : 0.0; }
QC_EXTERN const char *qc_result_explanation(const qc_result *r) { return r && r->explanation ? r->explanation : ""; }

/* ---- a whole store ---- */

/* Join the ids of a result's labels or matched rules with spaces. */
static void join_ids(char *buf, size_t size, const qc_result *res, bool labels)
{
    buf[0] = '\0';
    int n = labels ? res->nlabels : res->nmatched;
    for (int i = 0; i < n; i++) {
        const char *s = labels ? qc_result_label(res, i) : qc_result_match_rule(res, i);
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? " " : "", s);
    }
}

/* Classify one case and store its classification, unless this version's
 * text classified it already; a classification by this version number
 * from another text is amended.  Counts what it wrote in *n. */
static int store_one(qc_classifier *c, qc_store *store, const qc_record *kase, qc_record *rec, int64_t *n)
{
    char id[QC_MAX_ID_BYTES * 3], labels[2048], matched[4096];
    const qc_result *res;
    int rc = qc_classify(&res, c, kase);
    if (rc == QC_ENOTFOUND) return QC_OK; /* registered outside every loaded version */
    if (rc < 0) return rc;
    const char *case_id = qc__record_str(kase, QC_CASE_ID, NULL);
    snprintf(id, sizeof id, "%s@%s@%s", case_id, res->rs->name, res->rs->version);
    if (strlen(id) > QC_MAX_ID_BYTES) snprintf(id, sizeof id, "%.80s@%.20s@%.20s", case_id, res->rs->name, res->rs->version);
    qc_record *stored = NULL;
    char reason[256] = "";
    join_ids(labels, sizeof labels, res, true);
    join_ids(matched, sizeof matched, res, false);
    if (!*labels) snprintf(labels, sizeof labels, "%s", qc_result_primary(res));
    if ((rc = qc_store_get(&stored, store, QC_KIND_CLASSIFICATION, id)) == QC_OK) {
        const char *was = qc_record_text(stored, QC_CLASSIFICATION_RULES_HASH);
        const char *was_labels = qc_record_text(stored, QC_CLASSIFICATION_LABELS);
        bool same_text = was && !strcmp(was, res->rs->content_hash);
        bool same_labels = was_labels && !strcmp(was_labels, labels);
        if (!same_text)
            snprintf(reason, sizeof reason, "reclassified: the text of %s %s is %s, not %s", res->rs->name,
                     res->rs->version, res->rs->content_hash, was ? was : "unrecorded");
        else if (!same_labels) /* the same rules: a label given or taken back by hand */
            snprintf(reason, sizeof reason, "reclassified: designated labels changed (%s -> %s)",
                     was_labels ? was_labels : "", labels);
        qc_record_free(stored);
        /* a backend that cannot amend keeps what it has, as before rule hashes */
        if ((same_text && same_labels) || !qc__be_keeps_history(store)) return QC_OK;
    } else if (rc != QC_ENOTFOUND) {
        return rc;
    }
    qc_record_clear(rec);
    if ((rc = qc_record_set_text(rec, QC_CLASSIFICATION_ID, id)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_CASE, case_id)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_RULES, res->rs->name)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_VERSION, res->rs->version)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_PRIMARY, qc_result_primary(res))) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_LABELS, labels)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_MATCHED, matched)) < 0 ||
        (rc = qc_record_set_decimal(rec, QC_CLASSIFICATION_WEIGHT, res->weight)) < 0 ||
        (rc = qc_record_set_int(rec, QC_CLASSIFICATION_DATE, c->today)) < 0 ||
        (rc = qc_record_set_text(rec, QC_CLASSIFICATION_RULES_HASH, res->rs->content_hash)) < 0 ||
        (rc = *reason ? qc_store_amend(store, rec, reason) : qc_store_put(store, rec)) < 0)
        return rc;
    (*n)++;
    return QC_OK;
}

/* A version-3 backend takes writes while the cases are read: one pass,
 * memory for one case.  An older one is not promised that, so its cases
 * are read first and then classified (memory for all of them). */
static int store_all(qc_classifier *c, qc_store *store, const qc_filter *filter, qc_record *rec, int64_t *n)
{
    bool streaming = qc__be_writes_while_iterating(store);
    qc_iter *it;
    const qc_record *kase;
    qc_record **cases = NULL;
    size_t ncases = 0, cap = 0;
    int rc = qc_iter_new(&it, store, QC_KIND_CASE, filter);
    while (rc == QC_OK && (rc = qc_iter_next(&kase, it)) == QC_OK) {
        if (streaming) {
            rc = store_one(c, store, kase, rec, n);
            continue;
        }
        if (ncases == cap) {
            qc_record **grown = realloc(cases, (cap = cap ? cap * 2 : 1024) * sizeof *grown);
            if (!grown) rc = qc__error(QC_ENOMEM, "out of memory");
            else cases = grown;
        }
        if (rc == QC_OK && (rc = qc_record_dup(&cases[ncases], kase)) == QC_OK) ncases++;
    }
    qc_iter_free(it);
    if (rc == QC_ITEROVER) rc = QC_OK;
    for (size_t i = 0; rc == QC_OK && i < ncases; i++) rc = store_one(c, store, cases[i], rec, n);
    for (size_t i = 0; i < ncases; i++) qc_record_free(cases[i]);
    free(cases);
    return rc;
}

QC_EXTERN int qc_classify_store(qc_classifier *c, qc_store *store, const qc_filter *filter, int64_t *written)
{
    if (written) *written = 0;
    if (!c || !store) return qc__error(QC_EINVAL, "qc_classify_store: NULL argument");
    /* the store's offices, for this run only: the classifier's own table stays */
    const qc_offices *saved = c->offices;
    qc_offices *table = NULL;
    qc_record *rec = NULL;
    bool own_txn = !store->in_txn;
    int64_t n = 0;
    int rc = qc_offices_load(&table, store);
    if (rc < 0) return rc;
    c->offices = table;
    if ((rc = qc_record_new(&rec, QC_KIND_CLASSIFICATION)) == QC_OK && (!own_txn || (rc = qc_store_begin(store)) == QC_OK)) {
        rc = store_all(c, store, filter, rec, &n);
        if (own_txn) rc = rc < 0 ? qc__store_abort(store) : qc_store_commit(store);
    }
    if (rc == QC_OK && written) *written = n;
    qc_record_free(rec);
    c->offices = saved;
    qc_offices_free(table);
    return rc;
}
