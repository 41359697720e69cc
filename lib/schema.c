/* SPDX-License-Identifier: MIT
 * schema.c - the data model: which kinds of record exist, their fields,
 * types, references and vocabularies.
 *
 * Every other part of the library (records, import, both backends, the
 * tool) is driven by these tables, so adding a field is a change here plus
 * a schema migration in each persistent backend.  Field order must match
 * the qc_field enum in quotacase.h.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "internal.h"

#define R QC__F_REQUIRED
#define T QC__F_TOKEN

static const char *const office_kinds[] = {NULL, "court", "procuratorate", NULL};
static const char *const office_levels[] = {NULL, "national", "provincial", "city", "basic", NULL};
static const char *const case_sources[] = {NULL, "random", "designated", "assigned", "raised", NULL};

static const qc__field_def office_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"name", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"kind", QC_TYPE_ENUM, R, QC_KIND_NONE, office_kinds},
    {"level", QC_TYPE_ENUM, R, QC_KIND_NONE, office_levels},
    {"parent", QC_TYPE_TEXT, 0, QC_KIND_OFFICE, NULL},
};

static const qc__field_def department_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"office", QC_TYPE_TEXT, R, QC_KIND_OFFICE, NULL},
    {"name", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"line", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
};

static const qc__field_def person_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"name", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"office", QC_TYPE_TEXT, R, QC_KIND_OFFICE, NULL},
    {"department", QC_TYPE_TEXT, 0, QC_KIND_DEPARTMENT, NULL},
    {"role", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"in_quota", QC_TYPE_BOOL, 0, QC_KIND_NONE, NULL},
    {"valid_from", QC_TYPE_DATE, 0, QC_KIND_NONE, NULL},
    {"valid_to", QC_TYPE_DATE, 0, QC_KIND_NONE, NULL},
};

static const qc__field_def post_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"person", QC_TYPE_TEXT, R, QC_KIND_PERSON, NULL},
    {"office", QC_TYPE_TEXT, R, QC_KIND_OFFICE, NULL},
    {"department", QC_TYPE_TEXT, 0, QC_KIND_DEPARTMENT, NULL},
    {"role", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"in_quota", QC_TYPE_BOOL, 0, QC_KIND_NONE, NULL},
    {"valid_from", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"valid_to", QC_TYPE_DATE, 0, QC_KIND_NONE, NULL},
};

static const qc__field_def case_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"office", QC_TYPE_TEXT, R, QC_KIND_OFFICE, NULL},
    {"department", QC_TYPE_TEXT, 0, QC_KIND_DEPARTMENT, NULL},
    {"line", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"type", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"registered", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"closed", QC_TYPE_DATE, 0, QC_KIND_NONE, NULL},
    {"stage", QC_TYPE_TEXT, T, QC_KIND_NONE, NULL},
    {"source", QC_TYPE_ENUM, 0, QC_KIND_NONE, case_sources},
};

static const qc__field_def participation_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"person", QC_TYPE_TEXT, R, QC_KIND_PERSON, NULL},
    {"capacity", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
};

static const qc__field_def act_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"person", QC_TYPE_TEXT, R, QC_KIND_PERSON, NULL},
    {"kind", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"time", QC_TYPE_DATETIME, R, QC_KIND_NONE, NULL},
    {"note", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

static const qc__field_def review_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"grade", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"scheme", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"reviewer", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"inspection", QC_TYPE_TEXT, 0, QC_KIND_INSPECTION, NULL},
};

static const qc__field_def classification_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"rules", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"version", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"primary", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"labels", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"matched", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"weight", QC_TYPE_DECIMAL, R, QC_KIND_NONE, NULL},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"rules_hash", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

/* A label given by hand (docs/data-model.md, "designation"). */
static const qc__field_def designation_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"label", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"by", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"reason", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"decision", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

/* A procedural step of a case (docs/data-model.md, "step"); what each
 * kind does to a deadline is the rules' business (docs/deadlines.md). */
static const qc__field_def step_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"kind", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"person", QC_TYPE_TEXT, 0, QC_KIND_PERSON, NULL},
    {"note", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

/* A duty not attached to a case (docs/data-model.md, "duty"): it earns
 * workload credit as the rules weigh it, and never offsets the quota. */
static const qc__field_def duty_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"person", QC_TYPE_TEXT, R, QC_KIND_PERSON, NULL},
    {"kind", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"count", QC_TYPE_INT, 0, QC_KIND_NONE, NULL},
    {"note", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

/* A process-monitoring notice (docs/deadlines.md, "Notices"): issued on a
 * case, answered by amending it (answered, answer). */
static const qc__field_def notice_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"node", QC_TYPE_TEXT, T, QC_KIND_NONE, NULL},
    {"level", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"issued", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"by", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"reason", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"answered", QC_TYPE_DATE, 0, QC_KIND_NONE, NULL},
    {"answer", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

/* A quality review or inspection drawn from a sampling plan
 * (docs/inspections.md): what anyone needs to draw it again and check. */
static const qc__field_def inspection_fields[] = {
    {"id", QC_TYPE_TEXT, R | QC__F_ID, QC_KIND_NONE, NULL},
    {"office", QC_TYPE_TEXT, R, QC_KIND_OFFICE, NULL},
    {"plan", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"plan_hash", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"period_from", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"period_to", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"seed", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"head", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"entries", QC_TYPE_INT, 0, QC_KIND_NONE, NULL},
    {"rules_hash", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"cases", QC_TYPE_INT, R, QC_KIND_NONE, NULL},
    {"list_hash", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"by", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"drawn", QC_TYPE_DATETIME, R, QC_KIND_NONE, NULL},
};

/* A case an inspection selected; the case is field 1 as on every kind
 * attached to a case (scope.c). */
static const qc__field_def selection_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"inspection", QC_TYPE_TEXT, R, QC_KIND_INSPECTION, NULL},
    {"stratum", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"reason", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
};

static const char *const assign_methods[] = {NULL, "random", "designated", "suggested", NULL};

/* How a case was assigned (docs/inspections.md, "Assignment"). */
static const qc__field_def assignment_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"case", QC_TYPE_TEXT, R, QC_KIND_CASE, NULL},
    {"person", QC_TYPE_TEXT, R, QC_KIND_PERSON, NULL},
    {"method", QC_TYPE_ENUM, R, QC_KIND_NONE, assign_methods},
    {"date", QC_TYPE_DATE, R, QC_KIND_NONE, NULL},
    {"by", QC_TYPE_TEXT, R, QC_KIND_NONE, NULL},
    {"reason", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"seed", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"candidates", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

static const char *const revision_ops[] = {NULL, "insert", "amend", "withdraw", "begin", NULL};

/* The store's history (history.c): written by the store itself, never put
 * or imported. */
static const qc__field_def revision_fields[] = {
    {"id", QC_TYPE_TEXT, QC__F_ID | QC__F_OPTIONAL_ID, QC_KIND_NONE, NULL},
    {"kind", QC_TYPE_TEXT, R | T, QC_KIND_NONE, NULL},
    {"record", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"op", QC_TYPE_ENUM, R, QC_KIND_NONE, revision_ops},
    {"body", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"prior", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"actor", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"recorded", QC_TYPE_DATETIME, R, QC_KIND_NONE, NULL},
    {"reason", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
    {"seq", QC_TYPE_INT, 0, QC_KIND_NONE, NULL},
    {"hash", QC_TYPE_TEXT, 0, QC_KIND_NONE, NULL},
};

#undef R
#undef T

/* A record holds at most QC_MAX_FIELDS fields: a kind with more does not
 * compile (the array's size would be negative). */
#define FIELD_COUNT(fields) ((int)QC__ARRAY_LEN(fields) + 0 * (int)sizeof(char[QC__ARRAY_LEN(fields) <= QC_MAX_FIELDS ? 1 : -1]))
#define KIND(name, plural, fields, facts) {name, plural, fields, FIELD_COUNT(fields), facts, false}

static const qc__kind_def kinds[QC_KIND_COUNT] = {
    [QC_KIND_OFFICE] = KIND("office", "offices", office_fields, false),
    [QC_KIND_DEPARTMENT] = KIND("department", "departments", department_fields, false),
    [QC_KIND_PERSON] = KIND("person", "people", person_fields, false),
    [QC_KIND_POST] = KIND("post", "posts", post_fields, false),
    [QC_KIND_CASE] = KIND("case", "cases", case_fields, true),
    [QC_KIND_PARTICIPATION] = KIND("participation", "participations", participation_fields, false),
    [QC_KIND_ACT] = KIND("act", "acts", act_fields, false),
    [QC_KIND_REVIEW] = KIND("review", "reviews", review_fields, false),
    [QC_KIND_CLASSIFICATION] = KIND("classification", "classifications", classification_fields, false),
    [QC_KIND_REVISION] = {"revision", "revisions", revision_fields, FIELD_COUNT(revision_fields), false, true},
    [QC_KIND_DESIGNATION] = KIND("designation", "designations", designation_fields, false),
    [QC_KIND_STEP] = KIND("step", "steps", step_fields, false),
    [QC_KIND_DUTY] = KIND("duty", "duties", duty_fields, false),
    [QC_KIND_NOTICE] = KIND("notice", "notices", notice_fields, false),
    [QC_KIND_INSPECTION] = KIND("inspection", "inspections", inspection_fields, false),
    [QC_KIND_SELECTION] = KIND("selection", "selections", selection_fields, false),
    [QC_KIND_ASSIGNMENT] = KIND("assignment", "assignments", assignment_fields, false),
};

bool qc__kind_via_case(qc_kind kind)
{
    return kind == QC_KIND_PARTICIPATION || kind == QC_KIND_ACT || kind == QC_KIND_REVIEW ||
           kind == QC_KIND_CLASSIFICATION || kind == QC_KIND_DESIGNATION || kind == QC_KIND_STEP ||
           kind == QC_KIND_NOTICE || kind == QC_KIND_SELECTION || kind == QC_KIND_ASSIGNMENT;
}

bool qc__kind_ordered_by_case(qc_kind kind)
{
    return kind == QC_KIND_PARTICIPATION || kind == QC_KIND_ACT || kind == QC_KIND_REVIEW || kind == QC_KIND_STEP;
}

const qc__kind_def *qc__kind_get(qc_kind kind)
{
    if (kind <= QC_KIND_NONE || kind >= QC_KIND_COUNT) return NULL;
    return &kinds[kind];
}

static const qc__field_def *field_def(qc_kind kind, int field)
{
    const qc__kind_def *k = qc__kind_get(kind);
    if (!k || field < 0 || field >= k->nfields) return NULL;
    return &k->fields[field];
}

QC_EXTERN const char *qc_kind_name(qc_kind kind)
{
    const qc__kind_def *k = qc__kind_get(kind);
    return k ? k->name : NULL;
}

QC_EXTERN qc_kind qc_kind_lookup(const char *name)
{
    if (!name) return QC_KIND_NONE;
    for (int i = QC_KIND_OFFICE; i < QC_KIND_COUNT; i++)
        if (!strcasecmp(name, kinds[i].name) || !strcasecmp(name, kinds[i].plural))
            return (qc_kind)i;
    if (!strcasecmp(name, "persons")) return QC_KIND_PERSON;
    return QC_KIND_NONE;
}

QC_EXTERN int qc_field_count(qc_kind kind)
{
    const qc__kind_def *k = qc__kind_get(kind);
    return k ? k->nfields : 0;
}

QC_EXTERN const char *qc_field_name(qc_kind kind, int field)
{
    const qc__field_def *f = field_def(kind, field);
    return f ? f->name : NULL;
}

QC_EXTERN qc_type qc_field_type(qc_kind kind, int field)
{
    const qc__field_def *f = field_def(kind, field);
    return f ? f->type : QC_TYPE_NULL;
}

QC_EXTERN int qc_field_required(qc_kind kind, int field)
{
    const qc__field_def *f = field_def(kind, field);
    return f && (f->flags & QC__F_REQUIRED) ? 1 : 0;
}

QC_EXTERN qc_kind qc_field_ref(qc_kind kind, int field)
{
    const qc__field_def *f = field_def(kind, field);
    return f ? f->ref : QC_KIND_NONE;
}

QC_EXTERN int qc_field_lookup(qc_kind kind, const char *name)
{
    const qc__kind_def *k = qc__kind_get(kind);
    if (!k || !name) return -1;
    for (int i = 0; i < k->nfields; i++)
        if (!strcmp(k->fields[i].name, name)) return i;
    return -1;
}

/* The courts' level words map onto the common four (rules-brief.md). */
static const struct {
    const char *alias;
    int64_t value;
} level_aliases[] = {
    {"supreme", QC_LEVEL_NATIONAL},
    {"high", QC_LEVEL_PROVINCIAL},
    {"intermediate", QC_LEVEL_CITY},
    {"branch", QC_LEVEL_CITY}, /* procuratorate branches sit at city level */
};

int64_t qc__enum_parse(qc_kind kind, int field, const char *text)
{
    const qc__field_def *f = field_def(kind, field);
    if (!f || f->type != QC_TYPE_ENUM || !text) return 0;
    for (int64_t v = 1; f->enum_names[v]; v++)
        if (!strcasecmp(text, f->enum_names[v])) return v;
    if (f->enum_names == office_levels)
        for (size_t i = 0; i < QC__ARRAY_LEN(level_aliases); i++)
            if (!strcasecmp(text, level_aliases[i].alias)) return level_aliases[i].value;
    return 0;
}

/* The types a case fact may have, by the names files and the history use. */
static const char *const fact_type_names[] = {
    [QC_TYPE_TEXT] = "text", [QC_TYPE_INT] = "int", [QC_TYPE_DECIMAL] = "decimal",
    [QC_TYPE_BOOL] = "bool", [QC_TYPE_DATE] = "date",
};

const char *qc__fact_type_name(qc_type type)
{
    return type > QC_TYPE_NULL && type <= QC_TYPE_DATE ? fact_type_names[type] : "";
}

qc_type qc__fact_type_named(const char *name)
{
    for (int t = QC_TYPE_TEXT; t <= QC_TYPE_DATE; t++)
        if (!strcmp(name, fact_type_names[t])) return (qc_type)t;
    return QC_TYPE_NULL;
}

const char *qc__enum_name(qc_kind kind, int field, int64_t value)
{
    const qc__field_def *f = field_def(kind, field);
    if (!f || f->type != QC_TYPE_ENUM || value < 1) return NULL;
    for (int64_t v = 1; f->enum_names[v]; v++)
        if (v == value) return f->enum_names[v];
    return NULL;
}
