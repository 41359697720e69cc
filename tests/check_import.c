/* SPDX-License-Identifier: MIT
 * check_import.c - importing CSV, YAML and JSON: the good files of
 * tests/data/good, and a table of bad inputs, each of which must fail with
 * its own documented code, name the file, line, column and field, and
 * leave the store exactly as it was (compared by a full dump).
 */
#include "config.h"

#include <iconv.h>
#include <stdio.h>
#include <unistd.h>

#include "testutil.h"

#ifndef QC_TEST_DATA
#error QC_TEST_DATA must name tests/data
#endif

/* Every field of every record of every kind, as one string. */
static char *dump(qc_store *s)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    out[0] = '\0';
    for (int k = QC_KIND_OFFICE; k < QC_KIND_COUNT; k++) {
        qc_iter *it;
        const qc_record *r;
        ck_assert_qc_ok(qc_iter_new(&it, s, (qc_kind)k, NULL));
        while (qc_iter_next(&r, it) == QC_OK) {
            char line[2048] = "";
            for (int i = 0; i < qc_field_count((qc_kind)k); i++) {
                const char *v = qc_record_text(r, i);
                strncat(line, v ? v : "~", sizeof line - strlen(line) - 2);
                strcat(line, "|");
            }
            for (int i = 0; i < qc_record_fact_count(r); i++) {
                strncat(line, qc_record_fact_name(r, i), sizeof line - strlen(line) - 2);
                strncat(line, qc_record_fact_text(r, i), sizeof line - strlen(line) - 2);
            }
            size_t n = strlen(line);
            if (len + n + 2 > cap) {
                cap = (len + n + 2) * 2;
                out = realloc(out, cap);
                ck_assert_ptr_nonnull(out);
            }
            memcpy(out + len, line, n);
            len += n;
            out[len++] = '\n';
            out[len] = '\0';
        }
        qc_iter_free(it);
    }
    return out;
}

static const char base_yaml[] =
    "offices:\n"
    "  - {id: O1, name: 某基层人民法院, kind: court, level: basic}\n"
    "departments:\n"
    "  - {id: D1, office: O1, name: 刑事审判庭, line: criminal}\n"
    "people:\n"
    "  - {id: P1, name: 王明, office: O1, department: D1, role: president, in_quota: true}\n"
    "cases:\n"
    "  - {id: C1, office: O1, line: criminal, type: theft, registered: 2017-03-01, facts: {defendants: 2}}\n"
    "acts:\n"
    "  - {case: C1, person: P1, kind: hearing_presided, time: 2017-04-01T09:00}\n";

static qc_store *base_store(const char *uri)
{
    qc_store *s;
    int64_t n;
    ck_assert_qc_ok(qc_store_open(&s, uri));
    /* a clock that stands still: the history two stores write is the same
     * when what they were given is (dump() compares it too) */
    ck_assert_qc_ok(qc_store_set_clock(s, 1893456000)); /* 2030-01-01 */
    ck_assert_qc_ok(qc_store_set_actor(s, "check_import"));
    ck_assert_qc_ok(qc_store_import_buffer(s, base_yaml, sizeof base_yaml - 1, "yaml", "base.yaml", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 5);
    return s;
}

typedef struct bad_input {
    const char *name;    /* file name, decides the kind of a CSV */
    const char *format;
    const char *data;
    size_t size;
    int code;
    const char *needle;  /* the message must contain this */
} bad_input;

#define BAD(name, format, data, code, needle) {name, format, data, sizeof(data) - 1, code, needle}

static char long_id_csv[400], long_note_csv[5200], many_rows_csv[40000];

static const bad_input bad_inputs[] = {
    BAD("cases.csv", "csv", "", QC_EEMPTY, "cases.csv: empty file"),
    BAD("cases.csv", "csv", "\n \r\n\t\n", QC_EEMPTY, "empty file"),
    BAD("x.yaml", "yaml", "{}", QC_EEMPTY, "x.yaml: empty document"),
    BAD("x.yaml", "yaml", "# nothing but a comment\n", QC_EEMPTY, "empty document"),
    BAD("cases.csv", "csv", "id,office,line,type,registered\nC2,O1,criminal,theft,2017-01-01\nC2,O1,criminal,fraud,2017-01-02\n",
        QC_EEXIST, "cases.csv:3:16: case.type: case 'C2' is stored with type theft, this says fraud"),
    BAD("cases.csv", "csv", "id,office,line,type,registered\nC1,O1,criminal,theft,2017-01-01\n",
        QC_EEXIST, "cases.csv:2:22: case.registered: case 'C1' is stored with registered 2017-03-01, this says 2017-01-01"),
    BAD("acts.csv", "csv", "case,person,kind,time\nC1,P1,file_review,2017-04-02\nC1,P9,file_review,2017-04-02\n",
        QC_ENOREF, "acts.csv:3:4: act.person: no person with id 'P9'"),
    BAD("cases.csv", "csv", "id,office,line,type,registered\nC2,O7,criminal,theft,2017-01-01\n",
        QC_ENOREF, "cases.csv:2:4: case.office: no office with id 'O7'"),
    BAD("cases.csv", "csv", "id,office,line,type,registered\nC2,O1,criminal,theft,2017-02-30\n",
        QC_EDATE, "cases.csv:2:22: case.registered: invalid date '2017-02-30'"),
    BAD("acts.csv", "csv", "case,person,kind,time\nC1,P1,file_review,2017-04-02T25:00\n",
        QC_EDATE, "acts.csv:2:19: act.time: invalid time"),
    BAD("people.csv", "csv", "id,name,office,role,in_quota\nP2,李华,O1,judge,perhaps\n",
        QC_ETYPE, "people.csv:2:16: person.in_quota: 'perhaps' is not true or false"),
    BAD("cases.csv", "csv", "id,office,line,type,registered,fact.defendants:int\nC2,O1,criminal,theft,2017-01-01,3.5\n",
        QC_ETYPE, "cases.csv:2:33: case.facts.defendants: '3.5' is not an integer"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,bad \xC3\x28 name,O1,judge\n",
        QC_EUTF8, "people.csv:2:8: invalid UTF-8"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,nul \0 inside,O1,judge\n",
        QC_EUTF8, "people.csv:2:8: NUL byte in the file"),
    /* a NUL would cut a value short: "P1\0evil" must not become P1, in any format */
    {"people.csv", "csv", "\0\0\0", 3, QC_EUTF8, "people.csv:1:1: NUL byte in the file"},
    {"cases.csv", "csv", "id,office,line,type,registered,fact.note\nC2,O1,criminal,theft,2017-01-01,a\0b\n", 75, QC_EUTF8,
     "cases.csv:2:34: NUL byte in the file"},
    BAD("x.yaml", "yaml", "people:\n  - {id: \"P1\\0evil\", name: x, office: O1, role: judge}\n", QC_EUTF8,
        "x.yaml:2:10: a NUL character (\\0 or \\u0000) in text"),
    BAD("x.json", "json", "{\"people\": [{\"id\": \"P1\\u0000evil\", \"name\": \"x\", \"office\": \"O1\", \"role\": \"judge\"}]}", QC_EUTF8,
        "x.json:1:20: a NUL character"),
    {"x.yaml", "yaml", "people:\n  - {id: P2, name: a\0b, office: O1, role: judge}\n", 58, QC_EUTF8, "x.yaml:2:21: NUL byte in the file"},
    BAD("x.yaml", "yaml", "people:\n  - {id: P2, name: a\x01" "b, office: O1, role: judge}\n", QC_ESYNTAX, "x.yaml:2:21: control character U+0001"),
    /* an untyped fact that looks like a date is one, or an error */
    BAD("cases.csv", "csv", "id,office,line,type,registered,fact.decided\nC2,O1,criminal,theft,2017-01-01,2017-02-30\n",
        QC_EDATE, "cases.csv:2:33: case.facts.decided: invalid date '2017-02-30'"),
    BAD("x.yaml", "yaml", "cases:\n  - {id: C2, office: O1, line: x, type: y, registered: 2017-01-01, facts: {decided: 2017-02-30}}\n",
        QC_EDATE, "x.yaml:2:85: cases[0]: case.facts.decided: invalid date '2017-02-30'"),
    /* bounded nesting, and no aliases in data */
    BAD("x.yaml", "yaml", "acts: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", QC_ESYNTAX,
        "x.yaml:1:22: nested deeper than 16 levels"),
    BAD("x.yaml", "yaml", "offices:\n  - &o {id: O2, name: x, kind: court, level: basic}\n  - *o\n", QC_ESYNTAX,
        "x.yaml:3:5: alias: aliases (*name) are not read in import files"),
    {"cases.csv", "csv", long_id_csv, 0, QC_ETOOLONG, "cases.csv:2:1: case.id: 200 bytes, more than the limit of 128"},
    {"acts.csv", "csv", long_note_csv, 0, QC_ETOOLONG, "acts.csv:2:30: act.note: 5000 bytes"},
    BAD("cases.csv", "csv", "id,office,line,type,registered,colour\nC2,O1,criminal,theft,2017-01-01,red\n",
        QC_EUNKNOWN, "cases.csv:1:32: header: case has no field 'colour'"),
    BAD("cases.csv", "csv", "id,office,line,type,registered,fact.n:money\nC2,O1,criminal,theft,2017-01-01,3\n",
        QC_EUNKNOWN, "cases.csv:1:32: header: unknown fact type 'money'"),
    BAD("cases.csv", "csv", "id,office,line,type,registered,fact.2x\nC2,O1,criminal,theft,2017-01-01,3\n",
        QC_EUNKNOWN, "header: '2x' is not a fact name"),
    BAD("cases.csv", "csv", "id,office,line,type\nC2,O1,criminal,theft\n",
        QC_EMISSING, "cases.csv:1:1: header: case.registered is required but has no column"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,,O1,judge\n",
        QC_EMISSING, "people.csv:2:1: person.name: required field is missing"),
    BAD("offices.csv", "csv", "id,name,kind,level\nO2,Some tribunal,tribunal,basic\n",
        QC_EVALUE, "offices.csv:2:18: office.kind: 'tribunal' is not one of court, procuratorate"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,李华,O1,deputy chief\n",
        QC_EVALUE, "person.role: 'deputy chief' is not a token"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,\"open quote,O1,judge\n",
        QC_ESYNTAX, "people.csv:2:4: quoted field is never closed"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,Wang \"Ming\",O1,judge\n",
        QC_ESYNTAX, "people.csv:2:9: quote inside an unquoted field"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,\"Wang\" Ming,O1,judge\n",
        QC_ESYNTAX, "people.csv:2:10: text after a closing quote"),
    BAD("people.csv", "csv", "id,name,office,role\nP2,Wang,O1\n",
        QC_ESYNTAX, "people.csv:2:1: person: record has 3 fields, the header has 4"),
    BAD("people.csv", "csv", "id,name,office,role,name\nP2,Wang,O1,judge,Wang\n",
        QC_ESYNTAX, "people.csv:1:21: header: column 'name' appears twice"),
    BAD("cases.csv", "csv", "id,office,line,type,registered,closed\nC2,O1,criminal,theft,2017-05-01,2017-04-30\n",
        QC_EDATE, "cases.csv:2:1: case.closed: 2017-04-30 is before registered 2017-05-01"),
    BAD("posts.csv", "csv", "id,person,office,role,valid_from,valid_to\nX1,P1,O1,judge,2017-05-01,2017-01-01\n",
        QC_EDATE, "post.valid_to"),
    BAD("x.yaml", "yaml", "cases: [\n  {id: C2, office: O1\n", QC_ESYNTAX, "x.yaml:3:1:"),
    BAD("x.yaml", "yaml", "judges:\n  - {id: J1}\n", QC_EUNKNOWN, "x.yaml:1:1: judges: unknown section"),
    BAD("x.yaml", "yaml", "cases:\n  - id: C2\n    colour: red\n", QC_EUNKNOWN, "x.yaml:3:5: cases[0].colour: no such field"),
    BAD("x.yaml", "yaml", "cases:\n  - 3\n", QC_ETYPE, "x.yaml:2:5: cases[0]: a record must be a mapping"),
    BAD("x.yaml", "yaml", "cases:\n  - id: [a, b]\n", QC_ETYPE, "x.yaml:2:9: cases[0].id: value must be a scalar"),
    BAD("x.yaml", "yaml", "cases:\n  - {id: C2, facts: [1, 2]}\n", QC_ETYPE, "cases[0]: facts must be a mapping"),
    BAD("x.yaml", "yaml", "cases: 7\n", QC_ETYPE, "x.yaml:1:8: cases: must be a list of records"),
    BAD("x.yaml", "yaml", "people:\n  - {id: P2, name: a, name: b, office: O1, role: judge}\n", QC_ESYNTAX,
        "x.yaml:2:23: people[0].name: field given twice"),
    BAD("x.yaml", "yaml", "acts: []\nacts: []\n", QC_ESYNTAX, "x.yaml:2:1: acts: section given twice"),
    BAD("x.yaml", "yaml", "cases:\n  - {id: C2, office: O1, line: x, type: y, registered: 2017-01-01,\n     facts: {n: 1, n: 2}}\n",
        QC_ESYNTAX, "fact given twice"),
    BAD("x.yaml", "yaml", "people:\n  - {id: P2, name: \xFF\xFE, office: O1, role: judge}\n", QC_EUTF8, "x.yaml:2:20: invalid UTF-8"),
    BAD("x.json", "json", "{\"cases\": [{\"id\": \"C2\", \"office\": \"O1\", \"line\": \"x\", \"type\": \"y\",\n"
                          "  \"registered\": \"2017-01-01\"}],\n \"acts\": [{\"case\": \"C2\", \"person\": \"P5\", \"kind\": \"x\", \"time\": \"2017-01-02\"}]}\n",
        QC_ENOREF, "x.json:3:36: act.person: no person with id 'P5'"),
    BAD("x.json", "json", "[1, 2, 3]", QC_ETYPE, "x.json:1:1: document: must be a mapping"),
    BAD("judges.csv", "csv", "id,name\nJ1,x\n", QC_EUNKNOWN, "judges.csv: cannot tell what the file holds"),
    BAD("cases.txt", "txt", "id\n", QC_EUNKNOWN, "unknown format 'txt'"),
    {"cases.csv", "csv", many_rows_csv, 0, QC_EDATE, "cases.csv:500:"},
    /* a blank line between records is skipped and counted */
    BAD("people.csv", "csv", "id,name,office,role\n\nP2,Wang,O1,deputy chief\n", QC_EVALUE, "people.csv:3:12: person.role"),
    BAD("people.csv", "csv", "id,name,office,role\r\n\r\nP2,Wang,O1,deputy chief\r\n", QC_EVALUE, "people.csv:3:12: person.role"),
    /* blank lines before the header are skipped, as between records, and counted */
    BAD("people.csv", "csv", "\n \r\n\nid,name,office,role\nP2,Wang,O1,deputy chief\n", QC_EVALUE,
        "people.csv:5:12: person.role"),
    /* consistency with what is stored (store_check.c), located at the field */
    BAD("acts.csv", "csv", "case,person,kind,time\nC1,P1,file_review,2017-03-01T12:00\nC1,P1,drafting,2017-02-27\n",
        QC_EDATE, "acts.csv:3:16: act.time: 2017-02-27T00:00:00 is before case C1 was registered (2017-03-01)"),
    BAD("x.yaml", "yaml", "cases:\n  - {id: C2, office: O1, line: x, type: y, registered: 2017-01-01, closed: 2017-01-31}\n"
                          "acts:\n  - {case: C2, person: P1, kind: x, time: 2017-02-01}\n",
        QC_EDATE, "x.yaml:4:43: act.time: 2017-02-01T00:00:00 is after case C2 was closed (2017-01-31)"),
    BAD("acts.csv", "csv", "case,person,kind,time\nC1,P1,file_review,2999-01-01\n",
        QC_EDATE, "acts.csv:2:19: act.time: 2999-01-01T00:00:00 is in the future"),
    BAD("x.yaml", "yaml", "offices:\n  - {id: O2, name: x, kind: court, level: basic}\n"
                          "cases:\n  - {id: C2, office: O2, department: D1, line: x, type: y, registered: 2017-01-01}\n",
        QC_ENOREF, "x.yaml:4:38: case.department: department 'D1' belongs to office 'O1', not to its office 'O2'"),
    BAD("posts.csv", "csv", "id,person,office,role,valid_from\nX1,P1,O1,vice_president,2017-07-01\n",
        QC_EDATE, "posts.csv:2:25: post.valid_from: P1's post from 2017-07-01 overlaps the post of the person record in office O1"),
};

static void make_generated_inputs(void)
{
    char id[201];
    memset(id, 'x', 200);
    id[200] = '\0';
    snprintf(long_id_csv, sizeof long_id_csv, "id,office,line,type,registered\n%s,O1,criminal,theft,2017-01-01\n", id);
    char note[5001];
    memset(note, 'n', 5000);
    note[5000] = '\0';
    snprintf(long_note_csv, sizeof long_note_csv, "case,person,kind,time,note\nC1,P1,file_review,2017-04-02,%s\n", note);
    size_t len = (size_t)snprintf(many_rows_csv, sizeof many_rows_csv, "id,office,line,type,registered\n");
    for (int i = 2; i <= 600; i++)
        len += (size_t)snprintf(many_rows_csv + len, sizeof many_rows_csv - len, "G%d,O1,criminal,theft,%s\n", i,
                                i == 500 ? "2017-13-01" : "2017-01-01");
}

static size_t input_size(const bad_input *b) { return b->size ? b->size : strlen(b->data); }

/* The same table against both built-in backends. */
static void check_bad_inputs(const char *uri)
{
    qc_store *s = base_store(uri);
    char *before = dump(s);
    for (size_t i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
        const bad_input *b = &bad_inputs[i];
        int64_t n = -1;
        int rc = qc_store_import_buffer(s, b->data, input_size(b), b->format, b->name, QC_KIND_NONE, &n);
        ck_assert_msg(rc == b->code, "bad input %zu (%s): got %s, want %s: %s", i, b->name, qc_status_name(rc),
                      qc_status_name(b->code), qc_error_last());
        ck_assert_msg(strstr(qc_error_last(), b->needle), "bad input %zu: message '%s' lacks '%s'", i,
                      qc_error_last(), b->needle);
        ck_assert_msg(!strchr(qc_error_last(), '\n'), "bad input %zu: message spans lines", i);
        ck_assert_int_eq(n, 0);
        char *after = dump(s);
        ck_assert_msg(!strcmp(before, after), "bad input %zu (%s) changed the store", i, b->name);
        free(after);
    }
    free(before);
    qc_store_free(s);
}

START_TEST(test_bad_inputs_memory) { check_bad_inputs("memory:"); }
END_TEST

START_TEST(test_bad_inputs_sqlite) { check_bad_inputs("sqlite::memory:"); }
END_TEST

/* Importing the same data again changes nothing and says so; a record
 * stored with other facts is a conflict naming the fact. */
static void check_import_twice(const char *uri)
{
    qc_store *s = base_store(uri);
    char *before = dump(s);
    int64_t n = -1;
    ck_assert_qc_ok(qc_store_import_buffer(s, base_yaml, sizeof base_yaml - 1, "yaml", "base.yaml", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(qc_store_import_unchanged(s), 5);
    char *after = dump(s);
    ck_assert_str_eq(before, after);
    free(after);
    /* one new act beside the known one: one new, one unchanged */
    static const char more[] = "acts:\n  - {case: C1, person: P1, kind: hearing_presided, time: 2017-04-01T09:00}\n"
                               "  - {case: C1, person: P1, kind: drafting, time: 2017-04-02}\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, more, sizeof more - 1, "yaml", "more.yaml", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(qc_store_import_unchanged(s), 1);
    free(before);
    before = dump(s);
    static const char other_fact[] = "cases:\n  - {id: C1, office: O1, line: criminal, type: theft, registered: 2017-03-01,"
                                     " facts: {defendants: 3}}\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, other_fact, sizeof other_fact - 1, "yaml", "f.yaml", QC_KIND_NONE, &n),
                       QC_EEXIST, "f.yaml:2:10: case.facts.defendants: case 'C1' is stored with 2, this says 3");
    ck_assert_int_eq(qc_store_import_unchanged(s), 0);
    static const char no_fact[] = "cases:\n  - {id: C1, office: O1, line: criminal, type: theft, registered: 2017-03-01}\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, no_fact, sizeof no_fact - 1, "yaml", "g.yaml", QC_KIND_NONE, &n),
                       QC_EEXIST, "case.facts.defendants: case 'C1' is stored with defendants = 2, this does not give it");
    after = dump(s);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    qc_store_free(s);
}

START_TEST(test_import_twice_memory) { check_import_twice("memory:"); }
END_TEST

START_TEST(test_import_twice_sqlite) { check_import_twice("sqlite::memory:"); }
END_TEST

/* With update on, a record stored with other values is a correction whose
 * reason is the file; one that breaks a rule is refused at its line, and
 * the whole file with it: the store as it was, history and all. */
static void check_import_update(const char *uri)
{
    qc_store *s = base_store(uri);
    int64_t n = -1;
    ck_assert_qc_ok(qc_store_set_import_update(s, 1));
    static const char fix[] = "cases:\n  - {id: C1, office: O1, line: criminal, type: theft, registered: 2017-03-01,"
                              " closed: 2017-05-01, facts: {defendants: 3}}\n"
                              "  - {id: C2, office: O1, line: criminal, type: fraud, registered: 2017-03-02}\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, fix, sizeof fix - 1, "yaml", "fix.yaml", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(qc_store_import_updated(s), 1);
    ck_assert_int_eq(qc_store_import_unchanged(s), 0);
    qc_record *c;
    ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, "C1"));
    ck_assert_str_eq(qc_record_text(c, QC_CASE_CLOSED), "2017-05-01");
    ck_assert_int_eq(qc_record_fact_int(c, qc_record_fact_find(c, "defendants")), 3);
    qc_record_free(c);
    qc_iter *it;
    const qc_record *rev;
    ck_assert_qc_ok(qc_store_history(&it, s, QC_KIND_CASE, "C1"));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_qc_ok(qc_iter_next(&rev, it));
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_OP), "amend");
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_REASON), "import fix.yaml");
    ck_assert_str_eq(qc_record_text(rev, QC_REVISION_ACTOR), "check_import");
    qc_iter_free(it);
    /* again: nothing changes */
    ck_assert_qc_ok(qc_store_import_buffer(s, fix, sizeof fix - 1, "yaml", "fix.yaml", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(qc_store_import_updated(s), 0);
    ck_assert_int_eq(qc_store_import_unchanged(s), 2);
    /* a correction that closes C1 before its act: located, and nothing of the file written */
    char *before = dump(s);
    static const char bad[] = "cases:\n  - {id: C2, office: O1, line: criminal, type: fraud, registered: 2017-03-02, stage: trial}\n"
                              "  - {id: C1, office: O1, line: criminal, type: theft, registered: 2017-03-01,"
                              " closed: 2017-03-20, facts: {defendants: 3}}\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, bad, sizeof bad - 1, "yaml", "bad.yaml", QC_KIND_NONE, &n), QC_EDATE,
                       "bad.yaml:3:");
    ck_assert_int_eq(qc_store_import_updated(s), 0);
    char *after = dump(s);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    /* without update the same file is a conflict */
    ck_assert_qc_ok(qc_store_set_import_update(s, 0));
    ck_assert_qc_fails(qc_store_import_buffer(s, bad, sizeof bad - 1, "yaml", "bad.yaml", QC_KIND_NONE, &n), QC_EEXIST,
                       "bad.yaml:2:");
    ck_assert_qc_fails(qc_store_set_import_update(NULL, 1), QC_EINVAL, "NULL");
    qc_store_free(s);
}

START_TEST(test_import_update_memory) { check_import_update("memory:"); }
END_TEST

START_TEST(test_import_update_sqlite) { check_import_update("sqlite::memory:"); }
END_TEST

/* The CSV reader's window (1 MiB, growing to 16): records that straddle
 * its edge, quoted line breaks and doubled quotes across it, a record too
 * long for it, a window of blanks before the header, CR LF line counts. */
START_TEST(test_csv_window_edges)
{
    enum { MIB = 1 << 20 };
    size_t cap = MIB + 64 * 1024;
    char *csv = malloc(cap);
    ck_assert_ptr_nonnull(csv);
    static const char tricky[] = "\"line one\r\nline two\n\"\"quoted\"\", end\"";
    for (int shift = 0; shift < 48; shift += 3) {
        qc_store *s = base_store("memory:");
        size_t n = (size_t)snprintf(csv, cap, "case,person,kind,time,note\n");
        int rows = 0;
        /* plain rows up to a little before the edge, then the tricky one across it */
        while (n < MIB - 40 - (size_t)shift)
            n += (size_t)snprintf(csv + n, cap - n, "C1,P1,file_review,2017-04-01T%02d:%02d:%02d,r%d\n", rows / 3600 % 24,
                                  rows / 60 % 60, rows % 60, rows), rows++;
        n += (size_t)snprintf(csv + n, cap - n, "C1,P1,drafting,2017-05-01,%s\r\n", tricky);
        for (int i = 0; i < 100; i++) n += (size_t)snprintf(csv + n, cap - n, "C1,P1,signing,2017-05-02T00:00:%02d,t%d\r\n", i % 60, i);
        int64_t got;
        ck_assert_qc_ok(qc_store_import_buffer(s, csv, n, "csv", "acts.csv", QC_KIND_NONE, &got));
        ck_assert_int_eq(got, rows + 1 + 100);
        qc_filter *f;
        qc_iter *it;
        const qc_record *r;
        ck_assert_qc_ok(qc_filter_new(&f));
        ck_assert_qc_ok(qc_iter_new(&it, s, QC_KIND_ACT, f));
        int drafting = 0;
        while (qc_iter_next(&r, it) == QC_OK)
            if (!strcmp(qc_record_text(r, QC_ACT_KIND), "drafting")) {
                ck_assert_str_eq(qc_record_text(r, QC_ACT_NOTE), "line one\r\nline two\n\"quoted\", end");
                drafting++;
            }
        ck_assert_int_eq(drafting, 1);
        qc_iter_free(it);
        qc_filter_free(f);
        qc_store_free(s);
    }
    free(csv);
    /* a record longer than the window may grow: refused, not misread */
    size_t big = (17u << 20) + 100;
    csv = malloc(big);
    ck_assert_ptr_nonnull(csv);
    size_t n = (size_t)snprintf(csv, big, "case,person,kind,time,note\nC1,P1,x,2017-04-01,\"");
    memset(csv + n, 'a', big - n);
    qc_store *s = base_store("memory:");
    ck_assert_qc_fails(qc_store_import_buffer(s, csv, big, "csv", "acts.csv", QC_KIND_NONE, NULL), QC_ETOOLONG,
                       "acts.csv:2:1: a record longer than 16 MiB");
    /* more than a window of blank lines, then the header and a bad row: the lines still count */
    size_t blanks = MIB + 4096;
    memset(csv, '\n', blanks);
    n = blanks + (size_t)snprintf(csv + blanks, big - blanks, "id,name,office,role\nP2,Wang,O1,deputy chief\n");
    char want[64];
    snprintf(want, sizeof want, "people.csv:%zu:", blanks + 2);
    ck_assert_qc_fails(qc_store_import_buffer(s, csv, n, "csv", "people.csv", QC_KIND_NONE, NULL), QC_EVALUE, want);
    /* and then bytes that are not UTF-8 */
    csv[blanks] = '\xff';
    ck_assert_qc_fails(qc_store_import_buffer(s, csv, blanks + 1, "csv", "people.csv", QC_KIND_NONE, NULL), QC_EUTF8,
                       "people.csv:");
    free(csv);
    /* a CR LF split by the window's edge is still one line end */
    csv = malloc(MIB + 4096);
    ck_assert_ptr_nonnull(csv);
    n = (size_t)snprintf(csv, 64, "id,name,office,role\r\n");
    int row = 0;
    while (n + 40 < MIB) n += (size_t)snprintf(csv + n, 64, "P%06d,x,O1,judge\r\n", row++);
    size_t pad = MIB - 1 - n - strlen("P9,") - strlen(",O1,judge"); /* the CR of the next row is the window's last byte */
    n += (size_t)snprintf(csv + n, 64, "P9,");
    memset(csv + n, 'y', pad);
    n += pad;
    n += (size_t)snprintf(csv + n, 64, ",O1,judge\r\nQ1,x,O1,deputy chief\r\n");
    ck_assert_int_eq(csv[MIB - 1], '\r');
    ck_assert_int_eq(csv[MIB], '\n');
    snprintf(want, sizeof want, "people.csv:%d:9: person.role", row + 3);
    ck_assert_qc_fails(qc_store_import_buffer(s, csv, n, "csv", "people.csv", QC_KIND_NONE, NULL), QC_EVALUE, want);
    free(csv);
    /* CR LF line ends count one line each */
    static const char crlf[] = "id,name,office,role\r\nP2,Wang,O1,judge\r\nP3,Li,O1,deputy chief\r\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, crlf, sizeof crlf - 1, "csv", "people.csv", QC_KIND_NONE, NULL), QC_EVALUE,
                       "people.csv:3:10: person.role");
    /* a header without the id */
    static const char no_id[] = "office,line,type,registered\nO1,criminal,theft,2017-01-01\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, no_id, sizeof no_id - 1, "csv", "cases.csv", QC_KIND_NONE, NULL), QC_EMISSING,
                       "cases.csv:1:1: header: case.id is required but has no column");
    qc_store_free(s);
}
END_TEST

START_TEST(test_enough_bad_inputs)
{
    /* the issue asks for at least 30 distinct bad inputs, each a test */
    ck_assert_uint_ge(sizeof bad_inputs / sizeof bad_inputs[0], 30);
}
END_TEST

START_TEST(test_bad_files)
{
    qc_store *s = base_store("memory:");
    int64_t n;
    ck_assert_qc_fails(qc_store_import_file(s, QC_TEST_DATA "/good/missing.csv", QC_KIND_NONE, &n), QC_EIO,
                       "missing.csv: cannot open");
    ck_assert_qc_fails(qc_store_import_file(s, QC_TEST_DATA "/good/README", QC_KIND_NONE, &n), QC_EUNKNOWN,
                       "unknown file type");
    ck_assert_qc_fails(qc_store_import_file(s, QC_TEST_DATA "/bad/empty.csv", QC_KIND_CASE, &n), QC_EEMPTY,
                       "empty.csv: empty file");
    ck_assert_qc_fails(qc_store_import_file(s, QC_TEST_DATA "/bad/latin1-people.csv", QC_KIND_NONE, &n), QC_EUTF8,
                       "latin1-people.csv:3:7: invalid UTF-8");
    qc_store_free(s);
}
END_TEST

/* Write data to dir/name; the path goes to path. */
static void write_file(char *path, size_t size, const char *dir, const char *name, const char *data, size_t n)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* A file is read in chunks (1 MiB for CSV, libyaml's 16 KiB for YAML):
 * records, quoted line breaks and three-byte characters that straddle
 * the chunk ends must import exactly as the same bytes do from memory. */
/* text in UTF-8 converted to encoding with iconv; the caller frees it */
static char *convert(const char *text, size_t len, const char *encoding, size_t *out_len)
{
    iconv_t cd = iconv_open(encoding, "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t cap = len * 2 + 16, left = len, room = cap;
    char *out = malloc(cap), *from = (char *)text, *to = out;
    ck_assert_ptr_nonnull(out);
    ck_assert(iconv(cd, &from, &left, &to, &room) != (size_t)-1);
    iconv_close(cd);
    *out_len = (size_t)(to - out);
    return out;
}

/* A GBK file of many chunks, with characters cut by every chunk's end,
 * imports as its UTF-8 original does; GB18030's four-byte characters too. */
START_TEST(test_import_in_another_encoding)
{
    char dir[256], path[512];
    ck_assert(qc_test_tmpdir(dir, sizeof dir, "encoding"));
    size_t cap = 1u << 20, len = 0;
    char *csv = malloc(cap);
    ck_assert_ptr_nonnull(csv);
    len = (size_t)snprintf(csv, cap, "id,office,line,type,registered,fact.note\n");
    for (int i = 0; len < (600u << 10); i++) { /* many 8 KiB reads: every boundary lands somewhere new */
        const char *pad = "一二三四五六七八九十" + (i % 10) * 3;
        len += (size_t)snprintf(csv + len, cap - len, "C%07d,O1,criminal,theft,2017-01-01,%s案件\n", i, pad);
    }
    const char *encodings[] = {"GBK", "GB18030"};
    qc_store *utf8 = base_store("memory:");
    int64_t n_utf8, n;
    ck_assert_qc_ok(qc_store_import_buffer(utf8, csv, len, "csv", "cases.csv", QC_KIND_NONE, &n_utf8));
    char *want = dump(utf8);
    for (int e = 0; e < 2; e++) {
        size_t clen;
        char *converted = convert(csv, len, encodings[e], &clen);
        ck_assert_uint_ne(clen, len); /* two bytes a character, not three */
        write_file(path, sizeof path, dir, "cases.csv", converted, clen);
        qc_store *s = base_store("memory:");
        ck_assert_qc_ok(qc_store_set_import_encoding(s, encodings[e]));
        ck_assert_qc_ok(qc_store_import_file(s, path, QC_KIND_NONE, &n));
        ck_assert_int_eq(n, n_utf8);
        char *got = dump(s);
        ck_assert_msg(!strcmp(got, want), "%s: imported differently from the UTF-8 file", encodings[e]);
        free(got);
        qc_store_free(s);
        free(converted);
    }
    free(want);
    qc_store_free(utf8);
    /* a character GBK does not have: GB18030 takes it in four bytes */
    static const char yaml[] = "cases:\n  - {id: X1, office: O1, line: criminal, type: theft, registered: 2017-01-01, facts: {note: \"\xF0\xA0\x80\x80\"}}\n";
    size_t ylen;
    char *gb = convert(yaml, strlen(yaml), "GB18030", &ylen);
    qc_store *s = base_store("memory:");
    ck_assert_qc_ok(qc_store_set_import_encoding(s, "GB18030"));
    ck_assert_qc_ok(qc_store_import_buffer(s, gb, ylen, "yaml", "x.yaml", QC_KIND_NONE, NULL));
    qc_record *r;
    ck_assert_qc_ok(qc_store_get(&r, s, QC_KIND_CASE, "X1"));
    ck_assert_str_eq(qc_record_fact_text(r, 0), "\xF0\xA0\x80\x80");
    qc_record_free(r);
    free(gb);
    /* back to UTF-8; an unknown encoding changes nothing */
    ck_assert_qc_fails(qc_store_set_import_encoding(s, "klingon"), QC_EVALUE, "klingon");
    ck_assert_qc_ok(qc_store_set_import_encoding(s, NULL));
    static const char utf8_yaml[] = "cases:\n  - {id: X2, office: O1, line: criminal, type: theft, registered: 2017-01-01, facts: {note: 案}}\n";
    ck_assert_qc_ok(qc_store_import_buffer(s, utf8_yaml, strlen(utf8_yaml), "yaml", "y.yaml", QC_KIND_NONE, NULL));
    qc_store_free(s);
    free(csv);
}
END_TEST

START_TEST(test_streaming_matches_memory)
{
    char dir[256], path[512];
    ck_assert(qc_test_tmpdir(dir, sizeof dir, "stream"));
    size_t cap = 3u << 20, len = 0, ylen = 0;
    char *csv = malloc(cap), *yaml = malloc(cap);
    ck_assert(csv && yaml);
    len = (size_t)snprintf(csv, cap, "id,office,line,type,registered,fact.note\n");
    ylen = (size_t)snprintf(yaml, cap, "cases:\n");
    for (int i = 0; len < (5u << 19); i++) { /* 2.5 MiB: the window is refilled and moved */
        const char *pad = "一二三四五六七八九十" + (i % 10) * 3; /* shifts every boundary */
        len += (size_t)snprintf(csv + len, cap - len, "C%07d,O1,criminal,theft,2017-01-01,\"%s案件\n第二行, \"\"引号\"\"\"\n", i, pad);
        if (ylen < (1u << 20))
            ylen += (size_t)snprintf(yaml + ylen, cap - ylen,
                                     "  - {id: Y%07d, office: O1, line: criminal, type: theft, registered: 2017-01-01, facts: {note: \"%s案件\"}}\n", i, pad);
    }
    qc_store *from_file, *from_memory;
    int64_t n_file, n_memory;
    const char *names[] = {"cases.csv", "cases.yaml"}, *formats[] = {"csv", "yaml"};
    const char *data[] = {csv, yaml};
    size_t sizes[] = {len, ylen};
    for (int k = 0; k < 2; k++) {
        write_file(path, sizeof path, dir, names[k], data[k], sizes[k]);
        from_file = base_store("memory:");
        from_memory = base_store("memory:");
        ck_assert_qc_ok(qc_store_import_file(from_file, path, QC_KIND_NONE, &n_file));
        ck_assert_qc_ok(qc_store_import_buffer(from_memory, data[k], sizes[k], formats[k], names[k], QC_KIND_NONE, &n_memory));
        ck_assert_int_eq(n_file, n_memory);
        ck_assert_int_gt(n_file, k ? 5000 : 30000);
        char *a = dump(from_file), *b = dump(from_memory);
        ck_assert_msg(!strcmp(a, b), "%s: the file and the buffer imported differently", names[k]);
        ck_assert_ptr_nonnull(strstr(a, k ? "note八九十案件" : "案件\n第二行, \"引号\""));
        free(a);
        free(b);
        qc_store_free(from_file);
        qc_store_free(from_memory);
    }
    /* a bad byte far into a file is located by line and column */
    strcpy(csv + len - 3, "\xFF\n");
    write_file(path, sizeof path, dir, "cases.csv", csv, len - 1);
    from_file = base_store("memory:");
    ck_assert_qc_fails(qc_store_import_file(from_file, path, QC_KIND_NONE, &n_file), QC_EUTF8, "invalid UTF-8 (byte 0xFF)");
    char want[64];
    int lines = 1;
    for (size_t i = 0; i < len - 3; i++) lines += csv[i] == '\n';
    snprintf(want, sizeof want, "cases.csv:%d:", lines);
    ck_assert_msg(strstr(qc_error_last(), want), "%s lacks %s", qc_error_last(), want);
    qc_store_free(from_file);
    /* sections in any order, from a file too (read once per section) */
    static const char reversed[] = "acts:\n  - {case: C7, person: P7, kind: drafting, time: 2017-05-02}\n"
                                   "people:\n  - {id: P7, name: x, office: O7, role: judge}\n"
                                   "cases:\n  - {id: C7, office: O7, line: civil, type: x, registered: 2017-05-01}\n"
                                   "offices:\n  - {id: O7, name: y, kind: court, level: basic}\n";
    write_file(path, sizeof path, dir, "reversed.yaml", reversed, sizeof reversed - 1);
    ck_assert_qc_ok(qc_store_open(&from_file, "memory:"));
    ck_assert_qc_ok(qc_store_import_file(from_file, path, QC_KIND_NONE, &n_file));
    ck_assert_int_eq(n_file, 4);
    qc_store_free(from_file);
    /* devices and directories are no import files */
    ck_assert_qc_ok(qc_store_open(&from_file, "memory:"));
    ck_assert_qc_fails(qc_store_import_file(from_file, "/dev/zero.csv", QC_KIND_CASE, &n_file), QC_EIO, "cannot open");
    snprintf(path, sizeof path, "%s/zero.csv", dir);
    ck_assert_int_eq(symlink("/dev/zero", path), 0);
    ck_assert_qc_fails(qc_store_import_file(from_file, path, QC_KIND_CASE, &n_file), QC_EIO, "not a regular file");
    qc_store_free(from_file);
    free(csv);
    free(yaml);
    qc_test_rmdir(dir);
}
END_TEST

/* A fact column with an explicit bool type: true/false, yes/no, 1/0, 是/否. */
START_TEST(test_bool_fact_column)
{
    qc_store *s = base_store("memory:");
    static const char csv[] = "id,office,line,type,registered,fact.urgent:bool\n"
                              "B1,O1,criminal,theft,2017-01-01,yes\nB2,O1,criminal,theft,2017-01-01,0\n"
                              "B3,O1,criminal,theft,2017-01-01,是\n";
    int64_t n;
    ck_assert_qc_ok(qc_store_import_buffer(s, csv, sizeof csv - 1, "csv", "cases.csv", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 3);
    static const struct { const char *id; int64_t want; } rows[] = {{"B1", 1}, {"B2", 0}, {"B3", 1}};
    for (int i = 0; i < 3; i++) {
        qc_record *c;
        ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, rows[i].id));
        int f = qc_record_fact_find(c, "urgent");
        ck_assert_int_eq(qc_record_fact_type(c, f), QC_TYPE_BOOL);
        ck_assert_int_eq(qc_record_fact_int(c, f), rows[i].want);
        qc_record_free(c);
    }
    static const char bad[] = "id,office,line,type,registered,fact.urgent:bool\nB4,O1,criminal,theft,2017-01-01,perhaps\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, bad, sizeof bad - 1, "csv", "cases.csv", QC_KIND_NONE, &n), QC_ETYPE,
                       "cases.csv:2:33: case.facts.urgent: 'perhaps' is not true or false");
    qc_store_free(s);
}
END_TEST

static const char *const good_files[] = {"offices.csv", "departments.csv", "people.csv", "cases.csv",
                                         "participations.csv", "acts.csv", "reviews.csv", "extra.yaml",
                                         "extra.json"};
static const int64_t good_counts[] = {3, 3, 5, 3, 4, 6, 2, 4, 2};

START_TEST(test_good_files)
{
    qc_store *s;
    ck_assert_qc_ok(qc_store_open(&s, "sqlite::memory:"));
    for (size_t i = 0; i < sizeof good_files / sizeof good_files[0]; i++) {
        char path[512];
        int64_t n;
        snprintf(path, sizeof path, "%s/good/%s", QC_TEST_DATA, good_files[i]);
        ck_assert_qc_ok(qc_store_import_file(s, path, QC_KIND_NONE, &n));
        ck_assert_int_eq(n, good_counts[i]);
    }
    qc_record *c;
    ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, "C1"));
    ck_assert_str_eq(qc_record_fact_text(c, qc_record_fact_find(c, "note")), "多名被告人, 跨区域");
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "defendants")), QC_TYPE_INT);
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "amount")), QC_TYPE_DECIMAL);
    ck_assert_int_eq(qc_record_int(c, QC_CASE_SOURCE), QC_SOURCE_ASSIGNED);
    qc_record_free(c);
    /* YAML: quoted scalars are text, plain ones typed by their look */
    ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, "C4"));
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "court")), QC_TYPE_TEXT);
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "decided")), QC_TYPE_DATE);
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "first_of_kind")), QC_TYPE_BOOL);
    qc_record_free(c);
    /* JSON: strings are text even when they look like numbers */
    ck_assert_qc_ok(qc_store_get(&c, s, QC_KIND_CASE, "C5"));
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "label")), QC_TYPE_TEXT);
    ck_assert_int_eq(qc_record_fact_type(c, qc_record_fact_find(c, "defendants")), QC_TYPE_INT);
    qc_record_free(c);
    qc_record *p;
    ck_assert_qc_ok(qc_store_get(&p, s, QC_KIND_PERSON, "P3"));
    ck_assert_str_eq(qc_record_text(p, QC_PERSON_NAME), "Zhang, Wei"); /* quoted comma */
    qc_record_free(p);
    qc_store_free(s);
}
END_TEST

START_TEST(test_csv_details)
{
    qc_store *s = base_store("memory:");
    /* BOM, CRLF, quoted line break and doubled quotes, blank line, explicit kind */
    static const char csv[] = "\xEF\xBB\xBFid,name,office,role\r\nP2,\"Li \"\"Hua\"\"\nsecond line\",O1,judge\r\n\r\nP3,Zhao,O1,judge";
    int64_t n;
    ck_assert_qc_ok(qc_store_import_buffer(s, csv, sizeof csv - 1, "csv", "export.csv", QC_KIND_PERSON, &n));
    ck_assert_int_eq(n, 2);
    qc_record *p;
    ck_assert_qc_ok(qc_store_get(&p, s, QC_KIND_PERSON, "P2"));
    ck_assert_str_eq(qc_record_text(p, QC_PERSON_NAME), "Li \"Hua\"\nsecond line");
    qc_record_free(p);
    /* line numbers count the line break inside the quoted field */
    static const char bad[] = "id,name,office,role\nP4,\"a\nb\",O1,judge\nP5,x,O1,bad role\n";
    ck_assert_qc_fails(qc_store_import_buffer(s, bad, sizeof bad - 1, "csv", "p.csv", QC_KIND_PERSON, &n), QC_EVALUE,
                       "p.csv:4:9: person.role");
    /* a caller's transaction spans several imports and decides alone */
    static const char c2[] = "id,office,line,type,registered\nC2,O1,criminal,theft,2017-01-01\n";
    ck_assert_qc_ok(qc_store_begin(s));
    ck_assert_qc_ok(qc_store_import_buffer(s, c2, sizeof c2 - 1, "csv", "cases.csv", QC_KIND_NONE, &n));
    ck_assert_qc_ok(qc_store_rollback(s));
    ck_assert_int_eq(qc_store_get(&p, s, QC_KIND_CASE, "C2"), QC_ENOTFOUND);
    qc_store_free(s);
}
END_TEST

static int64_t progress_calls, progress_last;
static void on_progress(void *data, int64_t done, int64_t total)
{
    (void)data;
    ck_assert_int_le(done, total);
    ck_assert_int_ge(done, progress_last);
    progress_last = done;
    progress_calls++;
}

START_TEST(test_progress)
{
    qc_store *s = base_store("memory:");
    static char csv[400000];
    size_t len = (size_t)snprintf(csv, sizeof csv, "id,office,line,type,registered\n");
    for (int i = 0; i < 10000; i++)
        len += (size_t)snprintf(csv + len, sizeof csv - len, "K%05d,O1,criminal,theft,2017-01-01\n", i);
    qc_store_set_progress(s, on_progress, NULL);
    int64_t n;
    ck_assert_qc_ok(qc_store_import_buffer(s, csv, len, "csv", "cases.csv", QC_KIND_NONE, &n));
    ck_assert_int_eq(n, 10000);
    ck_assert_int_ge(progress_calls, 2); /* one mid-way at 8192 records, one at the end */
    ck_assert_int_eq(progress_last, (int64_t)len);
    qc_store_free(s);
}
END_TEST

static Suite *import_suite(void)
{
    make_generated_inputs();
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_enough_bad_inputs);
    tcase_add_test(tc, test_csv_window_edges);
    tcase_add_test(tc, test_import_twice_memory);
    tcase_add_test(tc, test_import_update_memory);
    tcase_add_test(tc, test_import_update_sqlite);
    tcase_add_test(tc, test_import_twice_sqlite);
    tcase_add_test(tc, test_bad_inputs_memory);
    tcase_add_test(tc, test_bad_inputs_sqlite);
    tcase_add_test(tc, test_bad_files);
    tcase_add_test(tc, test_good_files);
    tcase_add_test(tc, test_streaming_matches_memory);
    tcase_add_test(tc, test_import_in_another_encoding);
    tcase_add_test(tc, test_bool_fact_column);
    tcase_add_test(tc, test_csv_details);
    tcase_add_test(tc, test_progress);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return qc_test_run(import_suite()); }
