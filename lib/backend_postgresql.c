/* SPDX-License-Identifier: MIT
 * backend_postgresql.c - the "postgresql:" backend: one server for a
 * province or a country.
 *
 * The location is a libpq connection string ("host=/run/pg dbname=qc")
 * or URL ("postgresql://user@host/db"; qc_store_open hands over what
 * follows "postgresql:", so "//user@host/db"), and empty means libpq's
 * PG* environment variables.  The store lives in the connection's first
 * schema on search_path, so one database can hold several stores
 * (options='-c search_path=liaoning').
 *
 * The tables mirror the SQLite backend's: one per kind, one column per
 * field, TEXT COLLATE "C" (so that id order is strcmp order, whatever the
 * database's locale), BIGINT for integers, days and seconds, DOUBLE
 * PRECISION for decimals; case facts in case_facts.  The schema version
 * is in qc_store, migrated forward on open under an advisory lock.
 *
 * Writers are serialized: begin takes an advisory lock of the store's
 * (readers are not blocked), since every write appends to the one hash
 * chain anyway (journal.c).  Row-level security confines roles bound to an
 * office to its subtree (the migration; docs/backend.md).  Reads go through cursors fetched in batches,
 * WITH HOLD so that they outlive the writes a caller makes between two
 * rows; readers opened by open_readers share one exported snapshot.
 *
 * Everything is sent as text parameters; nothing is ever spliced into
 * SQL but identifiers of the library's own.
 */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Rows fetched per round trip by a cursor. */
enum { PG_FETCH_ROWS = 2000 };

#define TXT "TEXT COLLATE \"C\""

/* Schema history: each step takes a store from version `from` to `to`.
 * PostgreSQL stores begin at schema 7, so the first step creates it whole.
 * Never edit a published step; append one and raise QC_SCHEMA_VERSION. */
static const struct {
    int from, to;
    const char *sql;
} migrations[] = {
    {0, 7,
     "CREATE TABLE qc_store(key " TXT " PRIMARY KEY, value TEXT NOT NULL);"
     "INSERT INTO qc_store VALUES ('application', 'quotacase');"
     "CREATE TABLE offices(id " TXT " PRIMARY KEY, name " TXT " NOT NULL, kind BIGINT NOT NULL,"
     "  level BIGINT NOT NULL, parent " TXT " REFERENCES offices(id));"
     "CREATE TABLE departments(id " TXT " PRIMARY KEY, office " TXT " NOT NULL REFERENCES offices(id),"
     "  name " TXT " NOT NULL, line " TXT " NOT NULL);"
     "CREATE TABLE people(id " TXT " PRIMARY KEY, name " TXT " NOT NULL,"
     "  office " TXT " NOT NULL REFERENCES offices(id), department " TXT " REFERENCES departments(id),"
     "  role " TXT " NOT NULL, in_quota BIGINT, valid_from BIGINT, valid_to BIGINT);"
     "CREATE TABLE posts(id " TXT " PRIMARY KEY, person " TXT " NOT NULL REFERENCES people(id),"
     "  office " TXT " NOT NULL REFERENCES offices(id), department " TXT " REFERENCES departments(id),"
     "  role " TXT " NOT NULL, in_quota BIGINT, valid_from BIGINT NOT NULL, valid_to BIGINT);"
     "CREATE TABLE cases(id " TXT " PRIMARY KEY, office " TXT " NOT NULL REFERENCES offices(id),"
     "  department " TXT " REFERENCES departments(id), line " TXT " NOT NULL, type " TXT " NOT NULL,"
     "  registered BIGINT NOT NULL, closed BIGINT, stage " TXT ", source BIGINT);"
     "CREATE TABLE case_facts(case_id " TXT " NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,"
     "  name " TXT " NOT NULL, type INTEGER NOT NULL, ivalue BIGINT, dvalue DOUBLE PRECISION, tvalue " TXT ","
     "  PRIMARY KEY(case_id, seq));"
     "CREATE TABLE participations(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), person " TXT " NOT NULL REFERENCES people(id),"
     "  capacity " TXT " NOT NULL);"
     "CREATE TABLE acts(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), person " TXT " NOT NULL REFERENCES people(id),"
     "  kind " TXT " NOT NULL, time BIGINT NOT NULL, note " TXT ");"
     "CREATE TABLE reviews(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), grade " TXT " NOT NULL, scheme " TXT " NOT NULL,"
     "  reviewer " TXT ", date BIGINT NOT NULL);"
     "CREATE TABLE classifications(id " TXT " PRIMARY KEY, \"case\" " TXT " NOT NULL REFERENCES cases(id),"
     "  rules " TXT " NOT NULL, version " TXT " NOT NULL, \"primary\" " TXT " NOT NULL, labels " TXT " NOT NULL,"
     "  matched " TXT ", weight DOUBLE PRECISION NOT NULL, date BIGINT NOT NULL, rules_hash " TXT ");"
     "CREATE TABLE designations(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), label " TXT " NOT NULL, \"by\" " TXT " NOT NULL,"
     "  date BIGINT NOT NULL, reason " TXT " NOT NULL, decision " TXT ");"
     "CREATE TABLE steps(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), kind " TXT " NOT NULL, date BIGINT NOT NULL,"
     "  person " TXT " REFERENCES people(id), note " TXT ");"
     "CREATE TABLE duties(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  person " TXT " NOT NULL REFERENCES people(id), kind " TXT " NOT NULL, date BIGINT NOT NULL,"
     "  count BIGINT, note " TXT ");"
     "CREATE TABLE notices(id " TXT " PRIMARY KEY, \"case\" " TXT " NOT NULL REFERENCES cases(id), node " TXT ","
     "  level " TXT " NOT NULL, issued BIGINT NOT NULL, \"by\" " TXT " NOT NULL, reason " TXT " NOT NULL,"
     "  answered BIGINT, answer " TXT ");"
     /* the journal: seq is the entry's sequence number, given by the
      * library (journal.c) */
     "CREATE TABLE revisions(seq BIGINT PRIMARY KEY, id " TXT ", kind " TXT " NOT NULL, record " TXT ","
     "  op BIGINT NOT NULL, body " TXT ", prior " TXT ", actor " TXT ", recorded BIGINT NOT NULL, reason " TXT ","
     "  hash " TXT ");"
     /* a record without an id is identified by everything it says (an
      * empty text is stored as NULL, so NULL and '' are one) */
     "CREATE UNIQUE INDEX participations_same ON participations(\"case\", person, capacity) WHERE id IS NULL;"
     "CREATE UNIQUE INDEX acts_same ON acts(\"case\", person, kind, time, coalesce(note, '')) WHERE id IS NULL;"
     "CREATE UNIQUE INDEX reviews_same ON reviews(\"case\", grade, scheme, coalesce(reviewer, ''), date)"
     "  WHERE id IS NULL;"
     "CREATE UNIQUE INDEX designations_same ON designations(\"case\", label, \"by\", date, reason,"
     "  coalesce(decision, '')) WHERE id IS NULL;"
     "CREATE UNIQUE INDEX steps_same ON steps(\"case\", kind, date, coalesce(person, ''), coalesce(note, ''))"
     "  WHERE id IS NULL;"
     "CREATE UNIQUE INDEX duties_same ON duties(person, kind, date, coalesce(count, 1), coalesce(note, ''))"
     "  WHERE id IS NULL;"
     /* what the assessment and the deadlines read by case */
     "CREATE INDEX cases_office ON cases(office, registered);"
     "CREATE INDEX people_office ON people(office);"
     "CREATE INDEX posts_person ON posts(person);"
     "CREATE INDEX participations_case ON participations(\"case\", seq);"
     "CREATE INDEX participations_person ON participations(person);"
     "CREATE INDEX acts_case ON acts(\"case\", seq);"
     "CREATE INDEX acts_person ON acts(person, time);"
     "CREATE INDEX reviews_case ON reviews(\"case\", seq);"
     "CREATE INDEX classifications_case ON classifications(\"case\");"
     "CREATE INDEX designations_case ON designations(\"case\", seq);"
     "CREATE INDEX steps_case ON steps(\"case\", seq);"
     "CREATE INDEX duties_person ON duties(person, date);"
     "CREATE INDEX notices_case ON notices(\"case\");"
     /* Offices see only their own data (docs/backend.md): roles bound to
      * an office (qc_roles, by qc_bind_role) read and write the rows of
      * that office and the offices under it; the store's owner, which
      * runs migrations, is not bound and sees everything; any other role
      * sees nothing.  The office directory is readable by all. */
     "CREATE TABLE qc_roles(role " TXT " PRIMARY KEY, office " TXT " NOT NULL REFERENCES offices(id),"
     "  read_only BOOLEAN NOT NULL DEFAULT false);"
     "CREATE FUNCTION qc_scope() RETURNS SETOF text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$"
     "  WITH RECURSIVE sub(id) AS (SELECT office FROM qc_roles WHERE role = current_user"
     "    UNION SELECT o.id FROM offices o JOIN sub ON o.parent = sub.id) SELECT id FROM sub $$;"
     /* the journal's head, past the policies: a bound writer chains its
      * entries to it without reading anyone else's */
     "CREATE FUNCTION qc_journal_head() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER"
     "  SET search_path FROM CURRENT AS $$ SELECT max(seq) FROM revisions $$;"
     "ALTER TABLE offices ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY directory ON offices FOR SELECT USING (true);"
     "CREATE POLICY add_office ON offices FOR INSERT WITH CHECK (parent IN (SELECT qc_scope()));"
     "CREATE POLICY change_office ON offices FOR UPDATE USING (id IN (SELECT qc_scope()));"
     "CREATE POLICY remove_office ON offices FOR DELETE USING (id IN (SELECT qc_scope()));"
     "ALTER TABLE departments ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON departments USING (office IN (SELECT qc_scope()));"
     "ALTER TABLE people ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON people USING (office IN (SELECT qc_scope()));"
     "ALTER TABLE posts ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON posts USING (office IN (SELECT qc_scope()));"
     "ALTER TABLE cases ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON cases USING (office IN (SELECT qc_scope()));"
     "ALTER TABLE case_facts ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON case_facts USING (case_id IN (SELECT id FROM cases));"
     "ALTER TABLE participations ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON participations USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE acts ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON acts USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON reviews USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE classifications ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON classifications USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE designations ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON designations USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE steps ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON steps USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE notices ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON notices USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE duties ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON duties USING (person IN (SELECT id FROM people));"
     /* the journal: a bound role sees its begin entries and the head (to
      * chain to), appends, and never changes or deletes an entry */
     "ALTER TABLE revisions ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY journal_read ON revisions FOR SELECT USING (kind = 'journal' OR seq = qc_journal_head());"
     "CREATE POLICY journal_append ON revisions FOR INSERT WITH CHECK (true);"
     /* binding a role, by the store's owner: SELECT qc_bind_role('dl_clerk', 'DL') */
     "CREATE FUNCTION qc_bind_role(r text, office text, read_only boolean DEFAULT false) RETURNS void"
     "  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$ BEGIN"
     "  INSERT INTO qc_roles VALUES (r, office, read_only)"
     "    ON CONFLICT (role) DO UPDATE SET office = excluded.office, read_only = excluded.read_only;"
     "  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), r);"
     "  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), r);"
     "  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), r);"
     "  IF NOT read_only THEN"
     "    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), r);"
     "    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), r);"
     "    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON qc_roles, qc_store FROM %I', r);"
     "    EXECUTE format('REVOKE UPDATE, DELETE ON revisions FROM %I', r);"
     "  END IF; END $$;"},
    /* inspections drawn from a sampling plan (the office's), the cases
     * they selected, case assignments, and a review's inspection; roles
     * bound before are granted the new tables */
    {7, 8,
     "CREATE TABLE inspections(id " TXT " PRIMARY KEY, office " TXT " NOT NULL REFERENCES offices(id),"
     "  plan " TXT " NOT NULL, plan_hash " TXT " NOT NULL, period_from BIGINT NOT NULL, period_to BIGINT NOT NULL,"
     "  seed " TXT " NOT NULL, head " TXT " NOT NULL, entries BIGINT, rules_hash " TXT ", cases BIGINT NOT NULL,"
     "  list_hash " TXT " NOT NULL, \"by\" " TXT " NOT NULL, drawn BIGINT NOT NULL);"
     "CREATE INDEX inspections_office ON inspections(office);"
     "CREATE TABLE selections(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), inspection " TXT " NOT NULL REFERENCES inspections(id),"
     "  stratum " TXT " NOT NULL, reason " TXT " NOT NULL);"
     "CREATE INDEX selections_case ON selections(\"case\", seq);"
     "CREATE UNIQUE INDEX selections_same ON selections(inspection, \"case\", stratum, reason) WHERE id IS NULL;"
     "CREATE TABLE assignments(seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id " TXT " UNIQUE,"
     "  \"case\" " TXT " NOT NULL REFERENCES cases(id), person " TXT " NOT NULL REFERENCES people(id),"
     "  method BIGINT NOT NULL, date BIGINT NOT NULL, \"by\" " TXT " NOT NULL, reason " TXT ", seed " TXT ","
     "  candidates " TXT ");"
     "CREATE INDEX assignments_case ON assignments(\"case\", seq);"
     "CREATE INDEX assignments_person ON assignments(person, date);"
     "CREATE UNIQUE INDEX assignments_same ON assignments(\"case\", person, method, date, \"by\","
     "  coalesce(reason, ''), coalesce(seed, ''), coalesce(candidates, '')) WHERE id IS NULL;"
     "ALTER TABLE reviews ADD COLUMN inspection " TXT " REFERENCES inspections(id);"
     "DROP INDEX reviews_same;"
     "CREATE UNIQUE INDEX reviews_same ON reviews(\"case\", grade, scheme, coalesce(reviewer, ''), date,"
     "  coalesce(inspection, '')) WHERE id IS NULL;"
     "ALTER TABLE inspections ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON inspections USING (office IN (SELECT qc_scope()));"
     "ALTER TABLE selections ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON selections USING (\"case\" IN (SELECT id FROM cases));"
     "ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;"
     "CREATE POLICY office_scope ON assignments USING (\"case\" IN (SELECT id FROM cases));"
     "SELECT qc_bind_role(role, office, read_only) FROM qc_roles;"},
};

typedef struct pg_conn {
    qc_backend_conn base;
    PGconn *pg;
    char *conninfo; /* as libpq takes it, to open readers */
    char *where;    /* "postgresql:db@host" for messages: never the password */
    bool in_txn;    /* begin() was called */
    bool reader;    /* a reader: inside its own snapshot transaction for life */
    bool prepared[8][QC_KIND_COUNT]; /* [stmt_id (ST_COUNT of them)][kind]: prepared on this connection (run_stmt) */
    bool staged[QC_KIND_COUNT];      /* the temporary table put_many stages kind in exists */
    int cursors;                     /* iterations open: a new session would lose them */
    unsigned next_cursor;
} pg_conn;

typedef struct pg_cursor {
    qc_backend_cursor base;
    pg_conn *conn;
    qc_kind kind;
    char name[32], facts_name[40]; /* facts_name[0]: no facts cursor */
    PGresult *rows, *facts;
    int row, frow;
    bool rows_done, facts_done;
    uint32_t fields;
    bool values_only;
    bool counted; /* in conn->cursors */
} pg_cursor;

/* Text parameters of one statement. */
enum { PG_MAX_PARAMS = 24 };
typedef struct pg_params {
    const char *v[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][32];
    int n;
} pg_params;

static const char *table_name(qc_kind kind) { return qc__kind_get(kind)->plural; }

/* The first line of libpq's message (the rest repeats it with context). */
static void first_line(const char *msg, char *buf, size_t size)
{
    size_t n = strcspn(msg ? msg : "", "\n");
    if (n >= size) n = size - 1;
    memcpy(buf, msg ? msg : "", n);
    buf[n] = '\0';
}

/* A failed result (or none) as a status and message; res is cleared. */
static int pg_error(pg_conn *c, PGresult *res, const char *what)
{
    char msg[512], sqlstate[8] = "";
    const char *field = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (field) snprintf(sqlstate, sizeof sqlstate, "%s", field); /* the result, and the field in it, go now */
    const char *state = field ? sqlstate : NULL;
    first_line(res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(c->pg), msg, sizeof msg);
    PQclear(res);
    int code = QC_EBACKEND;
    if (PQstatus(c->pg) == CONNECTION_BAD)
        return qc__error(QC_EIO, "%s: %s: the connection to the server was lost: %s", c->where, what, msg);
    if (state) {
        if (!strcmp(state, "23505")) code = QC_EEXIST;
        else if (!strcmp(state, "23503")) code = QC_ENOREF;
        else if (!strcmp(state, "53200")) code = QC_ENOMEM;
        else if (!strcmp(state, "42501")) code = QC_EDENIED; /* a row-level policy, or no privilege */
        else if (!strncmp(state, "53", 2) || !strncmp(state, "58", 2)) code = QC_EIO; /* disk full, I/O */
        else if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
            return qc__error(QC_EBACKEND, "%s: %s: %s; nothing was written, try again", c->where, what, msg);
    }
    return qc__error(code, "%s: %s: %s", c->where, what, msg);
}

/* Run sql (no parameters); QC_OK if it succeeded. */
static int session_setup(pg_conn *c);

/*
 * A connection the server lost, made again where that is safe: no
 * transaction was open (so nothing of the caller's went with it), no
 * iteration (its cursor would be gone), and not a reader (its snapshot
 * would be).  True if the statement may be sent again.
 */
static bool reconnect(pg_conn *c)
{
    if (PQstatus(c->pg) != CONNECTION_BAD || c->in_txn || c->reader || c->cursors) return false;
    PQreset(c->pg);
    memset(c->prepared, 0, sizeof c->prepared); /* the new session has none of the old one's */
    memset(c->staged, 0, sizeof c->staged);
    return PQstatus(c->pg) == CONNECTION_OK && session_setup(c) == QC_OK;
}

static int pg_exec(pg_conn *c, const char *sql, const char *what)
{
    PGresult *res = PQexec(c->pg, sql);
    if (PQresultStatus(res) == PGRES_FATAL_ERROR && reconnect(c)) { /* once, in a new session */
        PQclear(res);
        res = PQexec(c->pg, sql);
    }
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(c, res, what);
    PQclear(res);
    return QC_OK;
}

/* Run a prepared or plain statement with p; the result, or NULL with the
 * error set (and *rc its code). */
static PGresult *pg_run(pg_conn *c, const char *stmt, bool prepared, const pg_params *p, const char *what, int *rc)
{
    PGresult *res = prepared ? PQexecPrepared(c->pg, stmt, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0)
                             : PQexecParams(c->pg, stmt, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL, 0);
    /* a plain statement is sent again in a new session; a prepared one is
     * prepared again first (run_stmt) */
    if (!prepared && PQresultStatus(res) == PGRES_FATAL_ERROR && reconnect(c)) {
        PQclear(res);
        res = PQexecParams(c->pg, stmt, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL, 0);
    }
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        *rc = QC_OK;
        return res;
    }
    *rc = pg_error(c, res, what);
    return NULL;
}

static void param_text(pg_params *p, const char *s) { p->v[p->n++] = s; }

static void param_int(pg_params *p, int64_t v)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%lld", (long long)v);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

/* Field i of r (an empty text is no text, as in the SQLite backend). */
static void param_field(pg_params *p, const qc_record *r, int i)
{
    const qc__value *v = &r->fields[i];
    qc_type type = r->def->fields[i].type;
    if (!v->set || (type == QC_TYPE_TEXT && v->len == 0)) {
        p->v[p->n++] = NULL;
    } else if (type == QC_TYPE_TEXT) {
        p->v[p->n++] = r->arena + v->off;
    } else if (type == QC_TYPE_DECIMAL) {
        qc__snprintf_c(p->num[p->n], sizeof p->num[0], "%.17g", v->d); /* exact: reads back the same */
        p->v[p->n] = p->num[p->n];
        p->n++;
    } else {
        param_int(p, v->i);
    }
}

static bool is_revision_seq(qc_kind kind, int field)
{
    return kind == QC_KIND_REVISION && !strcmp(qc__kind_get(kind)->fields[field].name, "seq");
}

/* Prepare name as sql on c. */
static int pg_prepare(pg_conn *c, const char *name, const char *sql)
{
    PGresult *res = PQprepare(c->pg, name, sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQstatus(c->pg) == CONNECTION_BAD && reconnect(c)) {
        PQclear(res); /* lost: in the new session (which has no statement yet) */
        res = PQprepare(c->pg, name, sql, 0, NULL);
    }
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return pg_error(c, res, "prepare");
    PQclear(res);
    return QC_OK;
}

/* The statements each connection prepares, each the first time it is
 * run (a connection that reads three kinds prepares three statements,
 * not fifty): per kind, and the few of no kind (QC_KIND_NONE). */
typedef enum { ST_INSERT, ST_GET, ST_EXISTS, ST_UPDATE, ST_INSERT_FACT, ST_DELETE_FACTS, ST_JOURNAL_LAST, ST_COUNT } stmt_id;

static void stmt_name(char *buf, size_t size, stmt_id st, qc_kind kind)
{
    snprintf(buf, size, "qc_%d_%d", (int)st, (int)kind);
}

/* The text of statement st for kind. */
static void stmt_sql(qc__sqlbuf *b, stmt_id st, qc_kind kind)
{
    const qc__kind_def *def = qc__kind_get(kind);
    switch (st) {
    case ST_INSERT:
        qc__sql_append(b, "INSERT INTO %s(", def->plural);
        qc__sql_columns(b, kind, "", 0);
        qc__sql_append(b, ") VALUES(");
        for (int i = 0; i < def->nfields; i++) {
            /* a journal entry written without its number gets the next */
            if (is_revision_seq(kind, i))
                qc__sql_append(b, "%scoalesce($%d::bigint, (SELECT coalesce(max(seq), 0) + 1 FROM revisions))",
                               i ? ", " : "", i + 1);
            else qc__sql_append(b, "%s$%d", i ? ", " : "", i + 1);
        }
        /* a duplicate is reported by the count, not by an error, which
         * would abort the caller's whole transaction */
        qc__sql_append(b, ") ON CONFLICT DO NOTHING");
        break;
    case ST_GET:
        qc__sql_append(b, "SELECT ");
        qc__sql_columns(b, kind, "t.", 0);
        if (kind == QC_KIND_CASE) /* and its facts, in one round trip */
            qc__sql_append(b, ", t.id, f.name, f.type, f.ivalue, f.dvalue, f.tvalue FROM cases t"
                              " LEFT JOIN case_facts f ON f.case_id = t.id WHERE t.id = $1 ORDER BY f.seq");
        else qc__sql_append(b, " FROM %s t WHERE t.id = $1", def->plural);
        break;
    case ST_EXISTS: qc__sql_append(b, "SELECT 1 FROM %s WHERE id = $1", def->plural); break;
    case ST_UPDATE: /* a correction in place: the row keeps its seq */
        qc__sql_append(b, "UPDATE %s SET ", def->plural);
        for (int i = 1; i < def->nfields; i++) qc__sql_append(b, "%s\"%s\" = $%d", i > 1 ? ", " : "", def->fields[i].name, i);
        qc__sql_append(b, " WHERE id = $%d", def->nfields);
        break;
    case ST_INSERT_FACT:
        qc__sql_append(b, "INSERT INTO case_facts(case_id, seq, name, type, ivalue, dvalue, tvalue)"
                          " VALUES($1, $2, $3, $4, $5, $6, $7)");
        break;
    case ST_DELETE_FACTS: qc__sql_append(b, "DELETE FROM case_facts WHERE case_id = $1"); break;
    case ST_JOURNAL_LAST:
        qc__sql_append(b, "SELECT ");
        qc__sql_columns(b, QC_KIND_REVISION, "", 0);
        qc__sql_append(b, " FROM revisions ORDER BY seq DESC LIMIT 1");
        break;
    default: break;
    }
}

/* Run statement st for kind with p, preparing it first if this
 * connection has not.  (A reader only ever runs reads: preparing an
 * INSERT would take its table's ROW EXCLUSIVE lock for the reader's whole
 * life.) */
static PGresult *run_stmt(pg_conn *c, stmt_id st, qc_kind kind, const pg_params *p, const char *what, int *rc)
{
    char name[32];
    stmt_name(name, sizeof name, st, kind);
    if (c->prepared[st][kind] && PQstatus(c->pg) == CONNECTION_BAD) reconnect(c); /* lost since: prepared again below */
    if (!c->prepared[st][kind]) {
        qc__sqlbuf b = {0};
        stmt_sql(&b, st, kind);
        const char *sql = qc__sql_done(&b);
        *rc = sql ? pg_prepare(c, name, sql) : QC_ENOMEM;
        qc__sql_free(&b);
        if (*rc < 0) return NULL;
        c->prepared[st][kind] = true;
    }
    PGresult *res = pg_run(c, name, true, p, what, rc);
    if (!res && PQstatus(c->pg) == CONNECTION_BAD && reconnect(c)) { /* lost on the way: once more, prepared anew */
        qc__sqlbuf b = {0};
        stmt_sql(&b, st, kind);
        const char *sql = qc__sql_done(&b);
        *rc = sql ? pg_prepare(c, name, sql) : QC_ENOMEM;
        qc__sql_free(&b);
        if (*rc < 0) return NULL;
        c->prepared[st][kind] = true;
        res = pg_run(c, name, true, p, what, rc);
    }
    return res;
}

/* The stored schema version: 0 for an empty schema, or an error for one
 * that holds something else. */
static int read_version(pg_conn *c, int *out)
{
    int rc;
    PGresult *res = pg_run(c, "SELECT to_regclass('qc_store') IS NOT NULL,"
                              " (SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace),"
                              " current_schema() IS NOT NULL",
                           false, NULL, "read the schema version", &rc);
    if (!res) return rc;
    bool has_store = PQgetvalue(res, 0, 0)[0] == 't';
    long objects = strtol(PQgetvalue(res, 0, 1), NULL, 10);
    bool has_schema = PQgetvalue(res, 0, 2)[0] == 't';
    PQclear(res);
    if (!has_schema)
        return qc__error(QC_EIO, "%s: no schema to keep the store in: the first schema on search_path does not "
                         "exist (CREATE SCHEMA it, or connect with options='-c search_path=NAME')", c->where);
    *out = 0;
    if (!has_store) {
        if (objects > 0) return qc__error(QC_ESCHEMA, "%s: a schema that is not a quotacase store", c->where);
        return QC_OK;
    }
    res = pg_run(c, "SELECT (SELECT value FROM qc_store WHERE key = 'application'),"
                    " (SELECT value FROM qc_store WHERE key = 'schema_version')",
                 false, NULL, "read the schema version", &rc);
    if (!res) return rc;
    bool ours = !PQgetisnull(res, 0, 0) && !strcmp(PQgetvalue(res, 0, 0), "quotacase");
    *out = PQgetisnull(res, 0, 1) ? 0 : (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    if (!ours) return qc__error(QC_ESCHEMA, "%s: a qc_store table that is not a quotacase store's", c->where);
    return QC_OK;
}

/* Bring the schema to QC_SCHEMA_VERSION, in one transaction under an
 * advisory lock (two programs opening a new store at once: the second
 * waits and finds it made).  A newer schema is left alone; the core
 * refuses it by its version. */
static int migrate(pg_conn *c)
{
    int version, rc;
    if ((rc = read_version(c, &version)) < 0 || version >= QC_SCHEMA_VERSION) return rc;
    if ((rc = pg_exec(c, "BEGIN", "migrate")) < 0) return rc;
    if ((rc = pg_exec(c, "SELECT pg_advisory_xact_lock(hashtext('quotacase:' || current_schema()))", "migrate")) < 0 ||
        (rc = read_version(c, &version)) < 0)
        goto fail;
    for (size_t i = 0; i < QC__ARRAY_LEN(migrations) && version < QC_SCHEMA_VERSION; i++) {
        if (migrations[i].from != version) continue;
        if ((rc = pg_exec(c, migrations[i].sql, "migrate")) < 0) goto fail;
        version = migrations[i].to;
    }
    if (version != QC_SCHEMA_VERSION) {
        rc = qc__error(QC_ESCHEMA, "%s: no migration from schema version %d", c->where, version);
        goto fail;
    }
    pg_params p = {0};
    param_int(&p, version);
    PGresult *res = pg_run(c, "INSERT INTO qc_store VALUES ('schema_version', $1)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           false, &p, "migrate", &rc);
    if (!res) goto fail;
    PQclear(res);
    return pg_exec(c, "COMMIT", "migrate");
fail:
    PQclear(PQexec(c->pg, "ROLLBACK"));
    return rc;
}

static void pg_close(qc_backend_conn *conn)
{
    pg_conn *c = (pg_conn *)conn;
    if (!c) return;
    PQfinish(c->pg); /* the server rolls back an open transaction */
    free(c->conninfo);
    free(c->where);
    free(c);
}

/* Notices (a cursor closed twice, an identifier cut) are not the
 * caller's business. */
static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

/* What every session of a connection is set to. */
static int session_setup(pg_conn *c)
{
    PQsetNoticeProcessor(c->pg, quiet, NULL);
    /* texts are UTF-8 whatever the client's locale says; times and days
     * are plain numbers, so no other setting matters */
    if (PQsetClientEncoding(c->pg, "UTF8") != 0) return qc__error(QC_EIO, "%s: the server cannot talk UTF-8", c->where);
    /* the cursors are read to the end: plan them for all their rows (a
     * sort and a sequential scan), not for the first tenth */
    PGresult *res = PQexec(c->pg, "SET cursor_tuple_fraction = 1.0");
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? QC_OK : qc__error(QC_EIO, "%s: cannot set up the session", c->where);
    PQclear(res);
    return rc;
}

static int connect_only(pg_conn **out, const qc_backend *b, const char *location)
{
    pg_conn *c = calloc(1, sizeof *c);
    if (!c) return qc__error(QC_ENOMEM, "out of memory");
    c->base.backend = b;
    /* qc_store_open gives what follows "postgresql:"; a URL lost its scheme */
    size_t n = strlen(location);
    c->conninfo = malloc(n + 16);
    if (c->conninfo) snprintf(c->conninfo, n + 16, "%s%s", !strncmp(location, "//", 2) ? "postgresql:" : "", location);
    c->pg = c->conninfo ? PQconnectdb(c->conninfo) : NULL;
    int rc = QC_OK;
    if (!c->pg) {
        rc = qc__error(QC_ENOMEM, "out of memory");
    } else {
        const char *db = PQdb(c->pg), *host = PQhost(c->pg);
        size_t len = strlen(db ? db : "") + strlen(host ? host : "") + 16;
        if ((c->where = malloc(len))) snprintf(c->where, len, "postgresql:%s@%s", db ? db : "", host ? host : "");
        if (!c->where) rc = qc__error(QC_ENOMEM, "out of memory");
        else if (PQstatus(c->pg) != CONNECTION_OK) {
            char msg[512];
            first_line(PQerrorMessage(c->pg), msg, sizeof msg);
            rc = qc__error(QC_EIO, "%s: cannot connect: %s", c->where, msg);
        }
    }
    if (rc == QC_OK) rc = session_setup(c);
    if (rc < 0) {
        pg_close(&c->base);
        return rc;
    }
    *out = c;
    return QC_OK;
}

static int pg_open(qc_backend_conn **out, const qc_backend *b, const char *location)
{
    pg_conn *c;
    int rc = connect_only(&c, b, location), version;
    if (rc < 0) return rc;
    if ((rc = migrate(c)) < 0 || (rc = read_version(c, &version)) < 0) goto fail;
    /* a newer schema is left untouched: the core reports it */
    *out = &c->base;
    return QC_OK;
fail:
    pg_close(&c->base);
    return rc;
}

static int pg_schema_version(qc_backend_conn *conn, int *out) { return read_version((pg_conn *)conn, out); }

/* Every write appends to the one journal, so writers take turns: an
 * advisory lock per store, which readers never wait for and which needs
 * no privilege on the tables (a role bound to an office takes it too). */
static int pg_begin(qc_backend_conn *conn)
{
    pg_conn *c = (pg_conn *)conn;
    if (c->reader) return qc__error(QC_ESTATE, "%s: a reader cannot write", c->where);
    int rc = pg_exec(c, "BEGIN", "begin");
    c->in_txn = rc == QC_OK; /* from here a lost connection is the transaction's end, never retried */
    if (rc == QC_OK &&
        (rc = pg_exec(c, "SELECT pg_advisory_xact_lock(hashtext('quotacase-journal:' || current_schema()))", "begin")) < 0) {
        PQclear(PQexec(c->pg, "ROLLBACK"));
        c->in_txn = false;
    }
    return rc;
}

static int pg_commit(qc_backend_conn *conn)
{
    pg_conn *c = (pg_conn *)conn;
    c->in_txn = false;
    /* COMMIT of a failed transaction "succeeds" as a rollback: say so */
    PGresult *res = PQexec(c->pg, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return pg_error(c, res, "commit");
    bool rolled_back = !strcmp(PQcmdStatus(res), "ROLLBACK");
    PQclear(res);
    return rolled_back ? qc__error(QC_EBACKEND, "%s: commit: the transaction had failed and was rolled back", c->where)
                       : QC_OK;
}

static int pg_rollback(qc_backend_conn *conn)
{
    pg_conn *c = (pg_conn *)conn;
    c->in_txn = false;
    memset(c->staged, 0, sizeof c->staged); /* staging tables made in the transaction go with it */
    return pg_exec(c, "ROLLBACK", "rollback");
}

static int put_facts(pg_conn *c, const qc_record *r)
{
    const char *id = qc__record_str(r, QC_CASE_ID, NULL);
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < r->nfacts; i++) {
        const qc__fact *f = &r->facts[i];
        pg_params p = {0};
        param_text(&p, id);
        param_int(&p, i);
        param_text(&p, r->arena + f->name_off);
        param_int(&p, f->type);
        p.v[4] = p.v[5] = p.v[6] = NULL;
        p.n = 7;
        if (f->type == QC_TYPE_TEXT) {
            p.v[6] = r->arena + f->v.off;
        } else if (f->type == QC_TYPE_DECIMAL) {
            qc__snprintf_c(p.num[5], sizeof p.num[5], "%.17g", f->v.d);
            p.v[5] = p.num[5];
        } else {
            snprintf(p.num[4], sizeof p.num[4], "%lld", (long long)f->v.i);
            p.v[4] = p.num[4];
        }
        PGresult *res = run_stmt(c, ST_INSERT_FACT, QC_KIND_NONE, &p, "insert case fact", &rc);
        PQclear(res);
    }
    return rc;
}

static int pg_put(qc_backend_conn *conn, const qc_record *r)
{
    pg_conn *c = (pg_conn *)conn;
    const qc__kind_def *k = r->def;
    pg_params p = {0};
    for (int i = 0; i < k->nfields; i++) param_field(&p, r, i);
    int rc;
    PGresult *res = run_stmt(c, ST_INSERT, r->kind, &p, "insert", &rc);
    if (!res) return rc;
    bool inserted = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    const char *id = qc__record_str(r, 0, NULL);
    if (!inserted && id && *id) return qc__error(QC_EEXIST, "%s.id: '%s' exists already", k->name, id);
    if (!inserted) return qc__error(QC_EEXIST, "%s: the same %s is stored already", k->name, k->name);
    return r->nfacts ? put_facts(c, r) : QC_OK;
}

static int delete_facts(pg_conn *c, const char *id)
{
    pg_params p = {0};
    int rc;
    param_text(&p, id);
    PQclear(run_stmt(c, ST_DELETE_FACTS, QC_KIND_NONE, &p, "delete case facts", &rc));
    return rc;
}

/* A correction: UPDATE in place, so that the row keeps its seq and with
 * it its place in insertion order (a case's facts are written anew). */
static int pg_replace(qc_backend_conn *conn, const qc_record *r)
{
    pg_conn *c = (pg_conn *)conn;
    const qc__kind_def *k = r->def;
    const char *id = qc__record_str(r, 0, NULL);
    int rc;
    if (!id || !*id) return QC_ENOTFOUND;
    pg_params p = {0};
    for (int i = 1; i < k->nfields; i++) param_field(&p, r, i);
    param_text(&p, id);
    PGresult *res = run_stmt(c, ST_UPDATE, r->kind, &p, "update", &rc);
    if (!res) return rc;
    bool found = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    if (!found) return QC_ENOTFOUND;
    if (r->kind != QC_KIND_CASE) return QC_OK;
    if ((rc = delete_facts(c, id)) < 0) return rc;
    return put_facts(c, r);
}

/* A withdrawal: the row goes (the journal keeps it).  A row without an id
 * is the one that says the same in every field, as the unique indexes
 * compare them. */
static int pg_remove(qc_backend_conn *conn, const qc_record *r)
{
    pg_conn *c = (pg_conn *)conn;
    const qc__kind_def *k = r->def;
    const char *id = qc__record_str(r, 0, NULL);
    bool by_id = id && *id;
    qc__sqlbuf b = {0};
    pg_params p = {0};
    qc__sql_append(&b, "DELETE FROM %s WHERE ", k->plural);
    if (by_id) {
        qc__sql_append(&b, "id = $1");
        param_text(&p, id);
    } else {
        qc__sql_append(&b, "seq = (SELECT seq FROM %s WHERE id IS NULL", k->plural);
        for (int i = 1; i < k->nfields; i++) {
            if (k->fields[i].type == QC_TYPE_TEXT)
                qc__sql_append(&b, " AND coalesce(\"%s\", '') = coalesce($%d::text, '')", k->fields[i].name, i);
            else qc__sql_append(&b, " AND \"%s\" IS NOT DISTINCT FROM $%d::%s", k->fields[i].name, i,
                                k->fields[i].type == QC_TYPE_DECIMAL ? "float8" : "bigint");
            param_field(&p, r, i);
        }
        qc__sql_append(&b, " ORDER BY seq LIMIT 1)");
    }
    const char *sql = qc__sql_done(&b);
    int rc = sql ? QC_OK : QC_ENOMEM;
    if (rc == QC_OK && r->kind == QC_KIND_CASE) rc = delete_facts(c, id); /* the facts first: they name the case */
    PGresult *res = rc == QC_OK ? pg_run(c, sql, false, &p, "delete", &rc) : NULL;
    qc__sql_free(&b);
    if (!res) return rc;
    bool found = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    return found ? QC_OK : QC_ENOTFOUND;
}

/* Fill out's fields (those in mask; 0: all) from row of res, whose first
 * columns are out's fields. */
static int read_fields(pg_conn *c, const PGresult *res, int row, qc_record *out, uint32_t mask, bool values_only)
{
    const qc__kind_def *k = out->def;
    int rc = QC_OK;
    for (int i = 0; rc == QC_OK && i < k->nfields; i++) {
        if ((mask && !(mask & (1u << i))) || PQgetisnull(res, row, i)) continue;
        const char *s = PQgetvalue(res, row, i);
        char *end;
        if (k->fields[i].type == QC_TYPE_TEXT) {
            rc = qc__record_set_trusted(out, i, s, (size_t)PQgetlength(res, row, i));
        } else if (k->fields[i].type == QC_TYPE_DECIMAL) {
            double d = qc__strtod(s, &end);
            rc = *end ? qc__error(QC_ETYPE, "%s.%s: '%s' is no number", k->name, k->fields[i].name, s)
                      : qc_record_set_decimal(out, i, d);
        } else {
            long long v = strtoll(s, &end, 10);
            rc = *end ? qc__error(QC_ETYPE, "%s.%s: '%s' is no integer", k->name, k->fields[i].name, s)
                      : qc__record_set_stored_int(out, i, v, values_only);
        }
    }
    if (rc < 0) {
        qc__error_prefix("%s: corrupt row", c->where);
        return QC_ESCHEMA;
    }
    return QC_OK;
}

/* Add the fact in row of fs (case_id, name, type, ivalue, dvalue, tvalue)
 * to out: validated when written, so appended as it is. */
static int read_fact(pg_conn *c, const PGresult *fs, int row, int first, qc_record *out)
{
    const char *name = PQgetvalue(fs, row, first + 1);
    int type = (int)strtol(PQgetvalue(fs, row, first + 2), NULL, 10);
    int64_t i = PQgetisnull(fs, row, first + 3) ? 0 : strtoll(PQgetvalue(fs, row, first + 3), NULL, 10);
    double d = PQgetisnull(fs, row, first + 4) ? 0 : qc__strtod(PQgetvalue(fs, row, first + 4), NULL);
    switch (type) {
    case QC_TYPE_TEXT: case QC_TYPE_INT: case QC_TYPE_DECIMAL: case QC_TYPE_BOOL: case QC_TYPE_DATE: break;
    default: return qc__error(QC_ESCHEMA, "%s: fact '%s' of unknown type", c->where, name);
    }
    /* the SQLite backend keeps a decimal's value in both forms; so here */
    if (type == QC_TYPE_DECIMAL) i = (int64_t)d;
    return qc__record_add_fact_trusted(out, name, (size_t)PQgetlength(fs, row, first + 1), (qc_type)type, i, d,
                                       PQgetvalue(fs, row, first + 5), (size_t)PQgetlength(fs, row, first + 5));
}

static int pg_get(qc_backend_conn *conn, qc_kind kind, const char *id, qc_record *out)
{
    pg_conn *c = (pg_conn *)conn;
    pg_params p = {0};
    int rc;
    param_text(&p, id);
    PGresult *res = run_stmt(c, ST_GET, kind, &p, "get", &rc);
    if (!res) return rc;
    rc = PQntuples(res) ? read_fields(c, res, 0, out, 0, false) : QC_ENOTFOUND;
    /* a case comes with its facts, a row each (ST_GET's join) */
    int first = qc__kind_get(kind)->nfields;
    for (int row = 0; rc == QC_OK && kind == QC_KIND_CASE && row < PQntuples(res); row++)
        if (!PQgetisnull(res, row, first + 1)) rc = read_fact(c, res, row, first, out);
    PQclear(res);
    return rc;
}

static int pg_journal_last(qc_backend_conn *conn, qc_record *out)
{
    pg_conn *c = (pg_conn *)conn;
    int rc;
    PGresult *res = run_stmt(c, ST_JOURNAL_LAST, QC_KIND_NONE, NULL, "read the journal's head", &rc);
    if (!res) return rc;
    rc = PQntuples(res) ? read_fields(c, res, 0, out, 0, false) : QC_ITEROVER;
    PQclear(res);
    return rc;
}

static int pg_exists(qc_backend_conn *conn, qc_kind kind, const char *id)
{
    pg_conn *c = (pg_conn *)conn;
    pg_params p = {0};
    int rc;
    param_text(&p, id);
    PGresult *res = run_stmt(c, ST_EXISTS, kind, &p, "exists", &rc);
    if (!res) return rc;
    rc = PQntuples(res) ? QC_OK : QC_ENOTFOUND;
    PQclear(res);
    return rc;
}

/* "FROM t [JOIN cases c] WHERE ..." for a filter, with its parameters in
 * p: the same clause serves iteration and counting. */
static void build_where(qc__sqlbuf *b, pg_params *p, qc_kind kind, const qc_filter *f)
{
    bool via_case = qc__kind_via_case(kind);
    bool join = f && via_case && (f->office || f->line || (f->has_dates && kind == QC_KIND_PARTICIPATION));
    qc__sql_append(b, " FROM %s t%s WHERE true", table_name(kind), join ? " JOIN cases c ON c.id = t.\"case\"" : "");
    if (!f) return;
    struct {
        const char *value, *expr;
    } texts[] = {
        {f->office, kind == QC_KIND_OFFICE ? "t.id" : via_case ? "c.office" : "t.office"},
        {f->person, kind == QC_KIND_PERSON ? "t.id" : "t.person"},
        {f->case_id, kind == QC_KIND_CASE ? "t.id" : "t.\"case\""},
        {f->line, via_case ? "c.line" : "t.line"},
    };
    for (size_t i = 0; i < QC__ARRAY_LEN(texts); i++)
        if (texts[i].value) {
            param_text(p, texts[i].value);
            if (i == 0 && qc_filter_office_subtree(f)) /* the office and every office under it */
                qc__sql_append(b, " AND %s IN (WITH RECURSIVE sub(id) AS (SELECT $%d::text COLLATE \"C\" UNION"
                                  " SELECT o.id FROM offices o JOIN sub ON o.parent = sub.id) SELECT id FROM sub)",
                               texts[i].expr, p->n);
            else qc__sql_append(b, " AND %s = $%d", texts[i].expr, p->n);
        }
    if (!f->has_dates) return;
    const char *column = NULL;
    switch (kind) {
    case QC_KIND_CASE: column = "t.registered"; break;
    case QC_KIND_PARTICIPATION: column = "c.registered"; break;
    /* floor division, so times before 1970 land on the right day */
    case QC_KIND_ACT: column = "(t.time - ((t.time % 86400) + 86400) % 86400) / 86400"; break;
    case QC_KIND_REVIEW:
    case QC_KIND_CLASSIFICATION:
    case QC_KIND_DESIGNATION:
    case QC_KIND_STEP:
    case QC_KIND_DUTY: column = "t.date"; break;
    case QC_KIND_NOTICE: column = "t.issued"; break;
    case QC_KIND_ASSIGNMENT: column = "t.date"; break;
    case QC_KIND_INSPECTION: /* its period overlaps the dates */
        param_int(p, f->to);
        param_int(p, f->from);
        qc__sql_append(b, " AND t.period_from <= $%d::bigint AND t.period_to >= $%d::bigint", p->n - 1, p->n);
        return;
    case QC_KIND_PERSON:
    case QC_KIND_POST:
        param_int(p, f->to);
        param_int(p, f->from);
        qc__sql_append(b, " AND (t.valid_from IS NULL OR t.valid_from <= $%d::bigint)"
                          " AND (t.valid_to IS NULL OR t.valid_to >= $%d::bigint)", p->n - 1, p->n);
        return;
    default: return;
    }
    param_int(p, f->from);
    param_int(p, f->to);
    qc__sql_append(b, " AND %s BETWEEN $%d::bigint AND $%d::bigint", column, p->n - 1, p->n);
}

static void pg_iter_close(qc_backend_cursor *base)
{
    pg_cursor *cur = (pg_cursor *)base;
    char sql[64];
    PQclear(cur->rows);
    PQclear(cur->facts);
    /* a cursor the server already dropped (with its transaction) gives a
     * harmless error */
    snprintf(sql, sizeof sql, "CLOSE %s", cur->name);
    if (cur->name[0] && PQstatus(cur->conn->pg) == CONNECTION_OK) PQclear(PQexec(cur->conn->pg, sql));
    snprintf(sql, sizeof sql, "CLOSE %s", cur->facts_name);
    if (cur->facts_name[0] && PQstatus(cur->conn->pg) == CONNECTION_OK) PQclear(PQexec(cur->conn->pg, sql));
    if (cur->counted) cur->conn->cursors--;
    free(cur);
}

/* Declare name for query with p.  WITH HOLD, so that it outlives the
 * commit of writes made while it is open; a reader's cursors live in its
 * snapshot transaction and need not be materialized. */
static int declare(pg_conn *c, const char *name, const char *query, const pg_params *p)
{
    qc__sqlbuf b = {0};
    qc__sql_append(&b, "DECLARE %s NO SCROLL CURSOR %s FOR %s", name, c->reader ? "WITHOUT HOLD" : "WITH HOLD", query);
    const char *sql = qc__sql_done(&b);
    int rc = sql ? QC_OK : QC_ENOMEM;
    if (sql) PQclear(pg_run(c, sql, false, p, "iterate", &rc));
    qc__sql_free(&b);
    return rc;
}

static int pg_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind, const qc_filter *f)
{
    pg_conn *c = (pg_conn *)conn;
    qc__sqlbuf where = {0}, sql = {0}, facts = {0};
    pg_params p = {0};
    build_where(&where, &p, kind, f);
    qc__sql_append(&sql, "SELECT ");
    qc__sql_columns(&sql, kind, "t.", qc_filter_fields(f));
    qc__sql_append(&sql, "%s", where.s ? where.s : "");
    bool optional_id = qc__kind_get(kind)->fields[0].flags & QC__F_OPTIONAL_ID;
    bool by_case = qc_filter_by_case(f) && qc__kind_ordered_by_case(kind);
    /* a case's facts come from a second cursor over the same cases in
     * the same order, merged row by row, instead of a query per case */
    bool with_facts = kind == QC_KIND_CASE;
    if (by_case) qc__sql_append(&sql, " ORDER BY t.\"case\", t.seq");
    else if (!qc_filter_unordered(f) || with_facts) qc__sql_append(&sql, " ORDER BY t.%s", optional_id ? "seq" : "id");
    if (with_facts)
        qc__sql_append(&facts, "SELECT f.case_id, f.name, f.type, f.ivalue, f.dvalue, f.tvalue FROM case_facts f"
                               " WHERE f.case_id IN (SELECT t.id%s) ORDER BY f.case_id, f.seq", where.s ? where.s : "");
    if (where.failed) sql.failed = true;
    const char *text = qc__sql_done(&sql), *facts_text = with_facts ? qc__sql_done(&facts) : "";
    pg_cursor *cur = text && facts_text ? calloc(1, sizeof *cur) : NULL;
    int rc = QC_OK;
    if (!cur) {
        rc = qc__error(QC_ENOMEM, "out of memory");
        goto done;
    }
    cur->conn = c;
    cur->kind = kind;
    cur->fields = qc_filter_fields(f);
    cur->values_only = f && f->values_only;
    unsigned n = ++c->next_cursor;
    snprintf(cur->name, sizeof cur->name, "qc_rows_%u", n);
    if ((rc = declare(c, cur->name, text, &p)) < 0) {
        cur->name[0] = '\0';
    } else if (with_facts) {
        snprintf(cur->facts_name, sizeof cur->facts_name, "qc_facts_%u", n);
        if ((rc = declare(c, cur->facts_name, facts_text, &p)) < 0) cur->facts_name[0] = '\0';
    }
    if (rc < 0) pg_iter_close(&cur->base);
    else {
        *out = &cur->base;
        c->cursors++;
        cur->counted = true;
    }
done:
    qc__sql_free(&where);
    qc__sql_free(&sql);
    qc__sql_free(&facts);
    return rc;
}

/* Make *res stand on an unread row of cursor name, fetching the next
 * batch as needed; false at the end (or on error, with *rc set). */
static bool fetch_row(pg_conn *c, const char *name, PGresult **res, int *row, bool *done, int *rc)
{
    *rc = QC_OK;
    if (*res && *row < PQntuples(*res)) return true;
    if (*done) return false;
    PQclear(*res);
    *res = NULL;
    *row = 0;
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH %d FROM %s", PG_FETCH_ROWS, name);
    if (!(*res = pg_run(c, sql, false, NULL, "iterate", rc))) return false;
    if (PQntuples(*res) < PG_FETCH_ROWS) *done = true;
    return PQntuples(*res) > 0;
}

/* A case's facts from the facts cursor: skip those of cases the read
 * passed over, take this case's. */
static int merge_facts(pg_cursor *cur, qc_record *out)
{
    int rc = QC_OK;
    while (rc == QC_OK && fetch_row(cur->conn, cur->facts_name, &cur->facts, &cur->frow, &cur->facts_done, &rc)) {
        /* the id is looked up again each time: adding a fact may move it */
        int cmp = strcmp(PQgetvalue(cur->facts, cur->frow, 0), qc__record_str(out, QC_CASE_ID, NULL));
        if (cmp > 0) break; /* a later case's */
        if (cmp == 0) rc = read_fact(cur->conn, cur->facts, cur->frow, 0, out);
        cur->frow++;
    }
    return rc;
}

static int pg_iter_next(qc_backend_cursor *base, qc_record *out)
{
    pg_cursor *cur = (pg_cursor *)base;
    int rc;
    if (!fetch_row(cur->conn, cur->name, &cur->rows, &cur->row, &cur->rows_done, &rc)) return rc < 0 ? rc : QC_ITEROVER;
    rc = read_fields(cur->conn, cur->rows, cur->row++, out, cur->fields, cur->values_only);
    return rc == QC_OK && cur->facts_name[0] ? merge_facts(cur, out) : rc;
}

static int pg_count(qc_backend_conn *conn, qc_kind kind, const qc_filter *f, int64_t *out)
{
    pg_conn *c = (pg_conn *)conn;
    qc__sqlbuf sql = {0};
    pg_params p = {0};
    qc__sql_append(&sql, "SELECT count(*)");
    build_where(&sql, &p, kind, f);
    const char *text = qc__sql_done(&sql);
    int rc = text ? QC_OK : QC_ENOMEM;
    PGresult *res = text ? pg_run(c, text, false, &p, "count", &rc) : NULL;
    if (res) *out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    qc__sql_free(&sql);
    return rc;
}

/*
 * Readers on one snapshot: a fence connection exports its snapshot
 * (pg_export_snapshot), every reader begins a read-only repeatable-read
 * transaction on it, and the fence lets go.  Writers are never blocked.
 */
static int pg_open_readers(qc_backend_conn *conn, int n, qc_backend_conn **out)
{
    pg_conn *c = (pg_conn *)conn, *fence;
    for (int i = 0; i < n; i++) out[i] = NULL;
    int rc = connect_only(&fence, conn->backend, c->conninfo);
    if (rc < 0) return rc;
    PGresult *snap = NULL;
    if ((rc = pg_exec(fence, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "readers")) == QC_OK)
        snap = pg_run(fence, "SELECT pg_export_snapshot()", false, NULL, "readers", &rc);
    for (int i = 0; snap && rc == QC_OK && i < n; i++) {
        pg_conn *r;
        if ((rc = connect_only(&r, conn->backend, c->conninfo)) < 0) break;
        out[i] = &r->base;
        r->reader = true;
        /* SET TRANSACTION takes no parameters: the id, quoted */
        char *id = PQescapeLiteral(r->pg, PQgetvalue(snap, 0, 0), (size_t)PQgetlength(snap, 0, 0));
        char sql[128];
        if (!id) rc = qc__error(QC_ENOMEM, "out of memory");
        else if (snprintf(sql, sizeof sql, "SET TRANSACTION SNAPSHOT %s", id) >= (int)sizeof sql)
            rc = qc__error(QC_EBACKEND, "%s: readers: a snapshot id too long", c->where);
        PQfreemem(id);
        if (rc == QC_OK && (rc = pg_exec(r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "readers")) == QC_OK)
            rc = pg_exec(r, sql, "readers");
    }
    PQclear(snap);
    pg_close(&fence->base);
    if (rc < 0)
        for (int i = 0; i < n; i++) {
            pg_close(out[i]);
            out[i] = NULL;
        }
    return rc;
}

/* ---- bulk writes: COPY ---- */

/* COPY's text format, built in one buffer: fields by tabs, rows by
 * newlines, \N for NULL, and backslash, tab, newline and carriage return
 * escaped. */
typedef struct copybuf {
    char *p;
    size_t len, cap;
    bool failed;
} copybuf;

static void cb_add(copybuf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void cb_text(copybuf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : NULL;
        if (!esc) continue;
        cb_add(b, s + run, i - run);
        cb_add(b, esc, 2);
        run = i + 1;
    }
    cb_add(b, s + run, n - run);
}

static void cb_int(copybuf *b, int64_t v)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    cb_add(b, num, (size_t)n);
}

/* Field i of r as COPY text (an empty text is no text, as put binds it). */
static void cb_field(copybuf *b, const qc_record *r, int i)
{
    const qc__value *v = &r->fields[i];
    qc_type type = r->def->fields[i].type;
    if (!v->set || (type == QC_TYPE_TEXT && v->len == 0)) {
        cb_add(b, "\\N", 2);
    } else if (type == QC_TYPE_TEXT) {
        cb_text(b, r->arena + v->off, v->len);
    } else if (type == QC_TYPE_DECIMAL) {
        char num[40];
        int n = qc__snprintf_c(num, sizeof num, "%.17g", v->d);
        cb_add(b, num, (size_t)n);
    } else {
        cb_int(b, v->i);
    }
}

/* COPY table(columns) FROM STDIN with the rows in b. */
static int copy_in(pg_conn *c, const char *copy_sql, const copybuf *b)
{
    if (b->failed) return qc__error(QC_ENOMEM, "out of memory");
    PGresult *res = PQexec(c->pg, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) return pg_error(c, res, "copy");
    PQclear(res);
    if (PQputCopyData(c->pg, b->p ? b->p : "", (int)b->len) != 1 || PQputCopyEnd(c->pg, NULL) != 1)
        return pg_error(c, NULL, "copy");
    int rc = QC_OK;
    while ((res = PQgetResult(c->pg))) {
        if (rc == QC_OK && PQresultStatus(res) != PGRES_COMMAND_OK) rc = pg_error(c, res, "copy");
        else PQclear(res);
    }
    return rc;
}

/* A staged value of field i, as put's duplicate check compares it: a
 * text with none the same as empty, a number as a number; and the same of
 * the stored column, as the unique indexes of records without ids write
 * it (so that a lookup uses them).  A duty's count of none is one. */
static void key_expr(qc__sqlbuf *b, qc_kind kind, int i, const char *table)
{
    const qc__field_def *f = &qc__kind_get(kind)->fields[i];
    bool staged = !strcmp(table, "s");
    if (f->type == QC_TYPE_TEXT) qc__sql_append(b, "coalesce(%s.\"%s\", '')", table, f->name);
    else if (kind == QC_KIND_DUTY && i == QC_DUTY_COUNT)
        qc__sql_append(b, "coalesce(%s.\"%s\"%s, 1)", table, f->name, staged ? "::bigint" : "");
    else qc__sql_append(b, "%s.\"%s\"%s", table, f->name, !staged ? "" : f->type == QC_TYPE_DECIMAL ? "::float8" : "::bigint");
}

/* The ords of the staged rows put would refuse: a stored record, or an
 * earlier row of the same lot, with the same id - or without ids, with
 * every field the same. */
static void duplicates_sql(qc__sqlbuf *b, qc_kind kind)
{
    const qc__kind_def *k = qc__kind_get(kind);
    bool optional_id = k->fields[0].flags & QC__F_OPTIONAL_ID;
    qc__sql_append(b, "SELECT ord FROM (SELECT s.ord, row_number() OVER (PARTITION BY s.id");
    for (int i = 1; optional_id && i < k->nfields; i++) {
        qc__sql_append(b, ", CASE WHEN s.id IS NULL THEN ");
        key_expr(b, kind, i, "s");
        qc__sql_append(b, " END");
    }
    /* two lookups, each an index's: by id, and (no id) by the unique
     * index of everything a record says, whose expressions these are */
    qc__sql_append(b, " ORDER BY s.ord) AS rn, EXISTS (SELECT 1 FROM %s t WHERE t.id = s.id)", k->plural);
    if (optional_id) {
        qc__sql_append(b, " OR (s.id IS NULL AND EXISTS (SELECT 1 FROM %s t WHERE t.id IS NULL", k->plural);
        for (int i = 1; i < k->nfields; i++) {
            qc__sql_append(b, " AND ");
            key_expr(b, kind, i, "t");
            qc__sql_append(b, " = ");
            key_expr(b, kind, i, "s");
        }
        qc__sql_append(b, "))");
    }
    qc__sql_append(b, " AS held FROM qc_stage_%s s) x WHERE rn > 1 OR held ORDER BY ord", k->plural);
}

static int put_facts_many(pg_conn *c, const qc_record *const *recs, int n, const unsigned char *inserted)
{
    copybuf b = {0};
    bool any = false;
    for (int i = 0; i < n; i++) {
        if (!inserted[i]) continue;
        const qc_record *r = recs[i];
        size_t idlen;
        const char *id = qc__record_str(r, QC_CASE_ID, &idlen);
        for (int j = 0; j < r->nfacts; j++) {
            const qc__fact *f = &r->facts[j];
            any = true;
            cb_text(&b, id, idlen);
            cb_add(&b, "\t", 1);
            cb_int(&b, j);
            cb_add(&b, "\t", 1);
            cb_text(&b, r->arena + f->name_off, strlen(r->arena + f->name_off));
            cb_add(&b, "\t", 1);
            cb_int(&b, f->type);
            if (f->type == QC_TYPE_TEXT) {
                cb_add(&b, "\t\\N\t\\N\t", 7);
                cb_text(&b, r->arena + f->v.off, f->v.len);
            } else if (f->type == QC_TYPE_DECIMAL) {
                char num[40];
                int len = qc__snprintf_c(num, sizeof num, "%.17g", f->v.d);
                cb_add(&b, "\t\\N\t", 4);
                cb_add(&b, num, (size_t)len);
                cb_add(&b, "\t\\N", 3);
            } else {
                cb_add(&b, "\t", 1);
                cb_int(&b, f->v.i);
                cb_add(&b, "\t\\N\t\\N", 6);
            }
            cb_add(&b, "\n", 1);
        }
    }
    int rc = any ? copy_in(c, "COPY case_facts(case_id, seq, name, type, ivalue, dvalue, tvalue) FROM STDIN", &b) : QC_OK;
    free(b.p);
    return rc;
}

/*
 * Version 8's put_many: journal entries, all new by the library's word,
 * are copied straight into their table; a lot of any other kind is
 * copied into a temporary table of texts, its duplicates found by one
 * query (stored, or earlier in the lot), and the rest inserted from it in
 * order by another - four round trips for thousands of records.
 */
static int pg_put_many(qc_backend_conn *conn, const qc_record *const *recs, int n, unsigned char *inserted)
{
    pg_conn *c = (pg_conn *)conn;
    qc_kind kind = recs[0]->kind;
    const qc__kind_def *k = qc__kind_get(kind);
    qc__sqlbuf sql = {0};
    copybuf rows = {0};
    int rc = QC_OK;
    for (int i = 0; i < n; i++) {
        inserted[i] = 1;
        if (kind != QC_KIND_REVISION) {
            cb_int(&rows, i);
            cb_add(&rows, "\t", 1);
        }
        for (int f = 0; f < k->nfields; f++) {
            if (f) cb_add(&rows, "\t", 1);
            cb_field(&rows, recs[i], f);
        }
        cb_add(&rows, "\n", 1);
    }
    if (kind == QC_KIND_REVISION) {
        qc__sql_append(&sql, "COPY revisions(");
        qc__sql_columns(&sql, kind, "", 0);
        qc__sql_append(&sql, ") FROM STDIN");
        const char *text = qc__sql_done(&sql);
        rc = text ? copy_in(c, text, &rows) : QC_ENOMEM;
        goto done;
    }
    if (!c->staged[kind]) { /* the connection's staging table for kind: texts, emptied at commit */
        qc__sql_append(&sql, "CREATE TEMP TABLE IF NOT EXISTS qc_stage_%s(ord int", k->plural);
        for (int f = 0; f < k->nfields; f++) qc__sql_append(&sql, ", \"%s\" text COLLATE \"C\"", k->fields[f].name);
        qc__sql_append(&sql, ") ON COMMIT DELETE ROWS");
        const char *text = qc__sql_done(&sql);
        if (!text || (rc = pg_exec(c, text, "stage")) < 0) goto done;
        c->staged[kind] = true;
        qc__sql_free(&sql);
    }
    qc__sql_append(&sql, "TRUNCATE qc_stage_%s", k->plural);
    const char *text = qc__sql_done(&sql);
    if (!text || (rc = pg_exec(c, text, "stage")) < 0) goto done;
    qc__sql_free(&sql);
    qc__sql_append(&sql, "COPY qc_stage_%s(ord, ", k->plural);
    qc__sql_columns(&sql, kind, "", 0);
    qc__sql_append(&sql, ") FROM STDIN");
    if (!(text = qc__sql_done(&sql)) || (rc = copy_in(c, text, &rows)) < 0) goto done;
    qc__sql_free(&sql);
    /* which of them are stored already */
    duplicates_sql(&sql, kind);
    PGresult *res = (text = qc__sql_done(&sql)) ? pg_run(c, text, false, NULL, "find duplicates", &rc) : NULL;
    if (!res) goto done;
    qc__sqlbuf skip = {0};
    qc__sql_append(&skip, "{");
    for (int row = 0; row < PQntuples(res); row++) {
        int ord = atoi(PQgetvalue(res, row, 0));
        if (ord >= 0 && ord < n) inserted[ord] = 0;
        qc__sql_append(&skip, "%s%d", row ? "," : "", ord);
    }
    qc__sql_append(&skip, "}");
    PQclear(res);
    qc__sql_free(&sql);
    /* the rest, in order (their seq follows it) */
    qc__sql_append(&sql, "INSERT INTO %s(", k->plural);
    qc__sql_columns(&sql, kind, "", 0);
    qc__sql_append(&sql, ") SELECT ");
    for (int f = 0; f < k->nfields; f++) {
        const char *cast = k->fields[f].type == QC_TYPE_TEXT ? "" : k->fields[f].type == QC_TYPE_DECIMAL ? "::float8" : "::bigint";
        qc__sql_append(&sql, "%ss.\"%s\"%s", f ? ", " : "", k->fields[f].name, cast);
    }
    qc__sql_append(&sql, " FROM qc_stage_%s s WHERE s.ord <> ALL($1::int[]) ORDER BY s.ord", k->plural);
    pg_params p = {0};
    const char *skipped = qc__sql_done(&skip);
    if (skipped) param_text(&p, skipped);
    /* a savepoint, so that a refused reference (the library checks none
     * for a lot: the foreign keys do) leaves the transaction usable for
     * the library to find whose it was */
    if ((rc = pg_exec(c, "SAVEPOINT qc_many", "insert")) == QC_OK) {
        res = skipped && (text = qc__sql_done(&sql)) ? pg_run(c, text, false, &p, "insert", &rc) : NULL;
        PQclear(res);
        if (rc == QC_OK && kind == QC_KIND_CASE) rc = put_facts_many(c, recs, n, inserted);
        if (rc == QC_OK) rc = pg_exec(c, "RELEASE SAVEPOINT qc_many", "insert");
        else PQclear(PQexec(c->pg, "ROLLBACK TO SAVEPOINT qc_many"));
    }
    qc__sql_free(&skip);
done:
    if (rc == QC_OK && (sql.failed || rows.failed)) rc = qc__error(QC_ENOMEM, "out of memory");
    qc__sql_free(&sql);
    free(rows.p);
    return rc;
}

const qc_backend qc__backend_postgresql = {
    .version = QC_BACKEND_VERSION_9,
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .put = pg_put,
    .get = pg_get,
    .iter_open = pg_iter_open,
    .iter_by_case = pg_iter_open, /* it honours qc_filter_by_case() */
    .iter_next = pg_iter_next,
    .iter_close = pg_iter_close,
    .exists = pg_exists,
    .count = pg_count,
    .schema_version = pg_schema_version,
    .open_readers = pg_open_readers,
    .replace = pg_replace,
    .remove = pg_remove,
    .journal_last = pg_journal_last,
    .put_many = pg_put_many,
};
