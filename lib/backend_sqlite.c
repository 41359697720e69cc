/* SPDX-License-Identifier: MIT
 * backend_sqlite.c - the "sqlite:PATH" backend, the embedded default.
 *
 * One table per kind, named by the kind's plural, one column per field,
 * named by the field; case facts in case_facts.  Dates are INTEGER days and
 * times INTEGER seconds (quotacase.h), enums their INTEGER values.
 * Statements are prepared once per connection; iterations build their
 * WHERE clause from the filter and join the cases table for criteria taken
 * through the case.  The file is marked with application_id 'QCAS' and its
 * schema version is PRAGMA user_version, migrated forward on open.
 *
 * Nothing in the library outside this file knows it is SQL.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define QC_SQLITE_APPLICATION_ID 0x51434153 /* "QCAS" */

/* Schema history: migrations[v] takes a store from version v-1 to v.
 * Never edit a published entry; append a new one and raise
 * QC_SCHEMA_VERSION. */
static const char *const migrations[] = {
    NULL,
    /* 1: the first schema */
    "CREATE TABLE offices(id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
    "  kind INTEGER NOT NULL, level INTEGER NOT NULL, parent TEXT REFERENCES offices(id));"
    "CREATE TABLE departments(id TEXT PRIMARY KEY NOT NULL,"
    "  office TEXT NOT NULL REFERENCES offices(id), name TEXT NOT NULL, line TEXT NOT NULL);"
    "CREATE TABLE people(id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
    "  office TEXT NOT NULL REFERENCES offices(id), department TEXT REFERENCES departments(id),"
    "  role TEXT NOT NULL, in_quota INTEGER, valid_from INTEGER, valid_to INTEGER);"
    "CREATE TABLE posts(id TEXT PRIMARY KEY NOT NULL, person TEXT NOT NULL REFERENCES people(id),"
    "  office TEXT NOT NULL REFERENCES offices(id), department TEXT REFERENCES departments(id),"
    "  role TEXT NOT NULL, in_quota INTEGER, valid_from INTEGER NOT NULL, valid_to INTEGER);"
    "CREATE TABLE cases(id TEXT PRIMARY KEY NOT NULL, office TEXT NOT NULL REFERENCES offices(id),"
    "  department TEXT REFERENCES departments(id), line TEXT NOT NULL, type TEXT NOT NULL,"
    "  registered INTEGER NOT NULL, closed INTEGER, stage TEXT, source INTEGER);"
    "CREATE TABLE case_facts(case_id TEXT NOT NULL REFERENCES cases(id), seq INTEGER NOT NULL,"
    "  name TEXT NOT NULL, type INTEGER NOT NULL, value, PRIMARY KEY(case_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE participations(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), person TEXT NOT NULL REFERENCES people(id),"
    "  capacity TEXT NOT NULL);"
    "CREATE TABLE acts(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), person TEXT NOT NULL REFERENCES people(id),"
    "  kind TEXT NOT NULL, time INTEGER NOT NULL, note TEXT);"
    "CREATE TABLE reviews(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), grade TEXT NOT NULL, scheme TEXT NOT NULL,"
    "  reviewer TEXT, date INTEGER NOT NULL);"
    "CREATE INDEX cases_office ON cases(office, registered);"
    "CREATE INDEX people_office ON people(office);"
    "CREATE INDEX posts_person ON posts(person);"
    "CREATE INDEX participations_case ON participations(\"case\");"
    "CREATE INDEX participations_person ON participations(person);"
    "CREATE INDEX acts_case ON acts(\"case\");"
    "CREATE INDEX acts_person ON acts(person, time);"
    "CREATE INDEX reviews_case ON reviews(\"case\");",
    /* 2: classifications written by qc_classify_store */
    "CREATE TABLE classifications(id TEXT PRIMARY KEY NOT NULL,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), rules TEXT NOT NULL, version TEXT NOT NULL,"
    "  \"primary\" TEXT NOT NULL, labels TEXT NOT NULL, matched TEXT, weight REAL NOT NULL,"
    "  date INTEGER NOT NULL);"
    "CREATE INDEX classifications_case ON classifications(\"case\");",
    /* 3: an assessment reads the cases in id order and the acts and
     * participations by case.  The cases table is kept in id order
     * (WITHOUT ROWID: rebuilt, so foreign keys are off while migrating),
     * and the case indexes hold the columns such a reader asks for, so
     * it never touches the tables. */
    "CREATE TABLE cases_v3(id TEXT PRIMARY KEY NOT NULL, office TEXT NOT NULL REFERENCES offices(id),"
    "  department TEXT REFERENCES departments(id), line TEXT NOT NULL, type TEXT NOT NULL,"
    "  registered INTEGER NOT NULL, closed INTEGER, stage TEXT, source INTEGER) WITHOUT ROWID;"
    "INSERT INTO cases_v3 SELECT id, office, department, line, type, registered, closed, stage, source FROM cases;"
    "DROP TABLE cases;"
    "ALTER TABLE cases_v3 RENAME TO cases;"
    "CREATE INDEX cases_office ON cases(office, registered);"
    "DROP INDEX acts_case;"
    "CREATE INDEX acts_case ON acts(\"case\", seq, person, kind);"
    "DROP INDEX participations_case;"
    "CREATE INDEX participations_case ON participations(\"case\", seq, person, capacity);",
    /* 4: a participation, act or review without an id is identified by
     * everything it says, so that importing a file twice changes nothing
     * (an empty note is no note).  Rows a store already holds twice -
     * from importing a file twice before this version - are kept once: the
     * copies say nothing the first does not. */
    "DELETE FROM participations WHERE id IS NULL AND seq NOT IN (SELECT min(seq) FROM participations"
    "  WHERE id IS NULL GROUP BY \"case\", person, capacity);"
    "DELETE FROM acts WHERE id IS NULL AND seq NOT IN (SELECT min(seq) FROM acts"
    "  WHERE id IS NULL GROUP BY \"case\", person, kind, time, ifnull(note, ''));"
    "DELETE FROM reviews WHERE id IS NULL AND seq NOT IN (SELECT min(seq) FROM reviews"
    "  WHERE id IS NULL GROUP BY \"case\", grade, scheme, ifnull(reviewer, ''), date);"
    "CREATE UNIQUE INDEX participations_same ON participations(\"case\", person, capacity) WHERE id IS NULL;"
    "CREATE UNIQUE INDEX acts_same ON acts(\"case\", person, kind, time, ifnull(note, '')) WHERE id IS NULL;"
    "CREATE UNIQUE INDEX reviews_same ON reviews(\"case\", grade, scheme, ifnull(reviewer, ''), date) WHERE id IS NULL;"
    /* the assessment reads each act's time too (the post it counts in) */
    "DROP INDEX acts_case;"
    "CREATE INDEX acts_case ON acts(\"case\", seq, person, kind, time);",
    /* 5: the history (history.c): one row per write, in the order written.
     * No index, not even on the id (which is never set): it is appended to
     * on every write and read whole (history of a record, the store as of
     * a time). */
    "CREATE TABLE revisions(seq INTEGER PRIMARY KEY, id TEXT, kind TEXT NOT NULL, record TEXT,"
    "  op INTEGER NOT NULL, body TEXT, prior TEXT, actor TEXT, recorded INTEGER NOT NULL, reason TEXT);",
    /* 6: the history is a hash-chained journal (journal.c): each revision
     * carries its hash; seq, the row's place, is its sequence number.  A
     * store that holds anything gets an unhashed "begin" mark, which the
     * library seals on this same open: it hashes what came before and
     * starts the chain (a store that lost its whole journal later gets
     * no such mark, and verify reports its records as unjournaled). */
    "ALTER TABLE revisions ADD COLUMN hash TEXT;"
    /* and a classification names the text of the rules that made it */
    "ALTER TABLE classifications ADD COLUMN rules_hash TEXT;"
    /* and labels given by hand */
    "CREATE TABLE designations(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), label TEXT NOT NULL, \"by\" TEXT NOT NULL,"
    "  date INTEGER NOT NULL, reason TEXT NOT NULL, decision TEXT);"
    "CREATE INDEX designations_case ON designations(\"case\");"
    "CREATE UNIQUE INDEX designations_same ON designations(\"case\", label, \"by\", date, reason, ifnull(decision, ''))"
    "  WHERE id IS NULL;"
    "INSERT INTO revisions(kind, op, body, actor, recorded)"
    "  SELECT 'journal', 4, 'migrated=schema 6\n', '(migration)', 0"
    "  WHERE EXISTS (SELECT 1 FROM revisions) OR EXISTS (SELECT 1 FROM offices);",
    /* 7: procedural steps, read by case (deadlines.c) with the columns
     * the deadlines need in the index; one without an id is identified by
     * everything it says, like an act */
    "CREATE TABLE steps(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, date INTEGER NOT NULL,"
    "  person TEXT REFERENCES people(id), note TEXT);"
    "CREATE INDEX steps_case ON steps(\"case\", seq, kind, date);"
    "CREATE UNIQUE INDEX steps_same ON steps(\"case\", kind, date, ifnull(person, ''), ifnull(note, ''))"
    "  WHERE id IS NULL;"
    /* and duties not attached to a case, read per person for credit */
    "CREATE TABLE duties(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  person TEXT NOT NULL REFERENCES people(id), kind TEXT NOT NULL, date INTEGER NOT NULL, count INTEGER, note TEXT);"
    "CREATE INDEX duties_person ON duties(person, date);"
    "CREATE UNIQUE INDEX duties_same ON duties(person, kind, date, ifnull(count, 1), ifnull(note, ''))"
    "  WHERE id IS NULL;"
    /* and process-monitoring notices */
    "CREATE TABLE notices(id TEXT PRIMARY KEY NOT NULL, \"case\" TEXT NOT NULL REFERENCES cases(id), node TEXT,"
    "  level TEXT NOT NULL, issued INTEGER NOT NULL, \"by\" TEXT NOT NULL, reason TEXT NOT NULL, answered INTEGER,"
    "  answer TEXT);"
    "CREATE INDEX notices_case ON notices(\"case\");",
    /* 8: inspections drawn from a sampling plan, the cases they selected
     * (read by inspection), case assignments, and a review's inspection */
    "CREATE TABLE inspections(id TEXT PRIMARY KEY NOT NULL, office TEXT NOT NULL REFERENCES offices(id),"
    "  plan TEXT NOT NULL, plan_hash TEXT NOT NULL, period_from INTEGER NOT NULL, period_to INTEGER NOT NULL,"
    "  seed TEXT NOT NULL, head TEXT NOT NULL, entries INTEGER, rules_hash TEXT, cases INTEGER NOT NULL,"
    "  list_hash TEXT NOT NULL, \"by\" TEXT NOT NULL, drawn INTEGER NOT NULL);"
    "CREATE INDEX inspections_office ON inspections(office);"
    "CREATE TABLE selections(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), inspection TEXT NOT NULL REFERENCES inspections(id),"
    "  stratum TEXT NOT NULL, reason TEXT NOT NULL);"
    "CREATE INDEX selections_case ON selections(\"case\");"
    "CREATE UNIQUE INDEX selections_same ON selections(inspection, \"case\", stratum, reason) WHERE id IS NULL;"
    "CREATE TABLE assignments(seq INTEGER PRIMARY KEY, id TEXT UNIQUE,"
    "  \"case\" TEXT NOT NULL REFERENCES cases(id), person TEXT NOT NULL REFERENCES people(id),"
    "  method INTEGER NOT NULL, date INTEGER NOT NULL, \"by\" TEXT NOT NULL, reason TEXT, seed TEXT, candidates TEXT);"
    "CREATE INDEX assignments_case ON assignments(\"case\");"
    "CREATE INDEX assignments_person ON assignments(person, date);"
    "CREATE UNIQUE INDEX assignments_same ON assignments(\"case\", person, method, date, \"by\", ifnull(reason, ''),"
    "  ifnull(seed, ''), ifnull(candidates, '')) WHERE id IS NULL;"
    "ALTER TABLE reviews ADD COLUMN inspection TEXT REFERENCES inspections(id);"
    "DROP INDEX reviews_same;"
    "CREATE UNIQUE INDEX reviews_same ON reviews(\"case\", grade, scheme, ifnull(reviewer, ''), date,"
    "  ifnull(inspection, '')) WHERE id IS NULL;",
};

typedef struct sql_conn {
    qc_backend_conn base;
    sqlite3 *db;
    char *path;
    sqlite3_stmt *insert[QC_KIND_COUNT], *get[QC_KIND_COUNT], *exists[QC_KIND_COUNT];
    sqlite3_stmt *update[QC_KIND_COUNT]; /* prepared on the first correction */
    sqlite3_stmt *insert_fact, *get_facts, *delete_facts;
    sqlite3_stmt *journal_last; /* the revision with the highest seq */
    bool readonly; /* opened read-only: this process cannot write the file or its directory */
} sql_conn;

typedef struct sql_cursor {
    qc_backend_cursor base;
    sql_conn *conn;
    qc_kind kind;
    sqlite3_stmt *stmt;
    /* Cases of a whole-table read in id order take their facts from a
     * second cursor walking case_facts in the same order, instead of one
     * query per case.  facts_row: that cursor stands on an unread row. */
    sqlite3_stmt *facts;
    bool facts_row, facts_done;
    uint32_t fields; /* qc_filter_fields: the columns worth reading */
    bool values_only; /* the library's own reader: typed fields need no text form */
} sql_cursor;

/* Turn the connection's last SQLite error into a status and message. */
static int sql_error(sql_conn *c, const char *what)
{
    int ext = sqlite3_extended_errcode(c->db);
    int code = QC_EBACKEND;
    if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE) code = QC_EEXIST;
    else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) code = QC_ENOREF;
    else if (ext == SQLITE_NOMEM) code = QC_ENOMEM;
    else if ((ext & 0xff) == SQLITE_CANTOPEN || (ext & 0xff) == SQLITE_IOERR || (ext & 0xff) == SQLITE_FULL) code = QC_EIO;
    else if ((ext & 0xff) == SQLITE_NOTADB || (ext & 0xff) == SQLITE_CORRUPT) code = QC_ESCHEMA;
    int sys = sqlite3_system_errno(c->db); /* disk full and I/O errors: say what the system said */
    if (((ext & 0xff) == SQLITE_IOERR || (ext & 0xff) == SQLITE_FULL) && sys)
        return qc__error(code, "sqlite:%s: %s: %s (%s)", c->path, what, sqlite3_errmsg(c->db), strerror(sys));
    return qc__error(code, "sqlite:%s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

static const char *table_name(qc_kind kind) { return qc__kind_get(kind)->plural; }

static int prepare(sql_conn *c, sqlite3_stmt **out, const char *sql)
{
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
        return sql_error(c, "prepare");
    return QC_OK;
}

static int prepare_all(sql_conn *c)
{
    int rc = QC_OK;
    for (int k = QC_KIND_OFFICE; rc == QC_OK && k < QC_KIND_COUNT; k++) {
        const qc__kind_def *def = qc__kind_get((qc_kind)k);
        qc__sqlbuf insert = {0}, get = {0}, exists = {0};
        qc__sql_append(&insert, "INSERT INTO %s(", def->plural);
        qc__sql_columns(&insert, (qc_kind)k, "", 0);
        qc__sql_append(&insert, ") VALUES(");
        for (int i = 0; i < def->nfields; i++) qc__sql_append(&insert, "%s?", i ? ", " : "");
        qc__sql_append(&insert, ")");
        qc__sql_append(&get, "SELECT ");
        qc__sql_columns(&get, (qc_kind)k, "", 0);
        qc__sql_append(&get, " FROM %s WHERE id = ?", def->plural);
        qc__sql_append(&exists, "SELECT 1 FROM %s WHERE id = ?", def->plural);
        const char *a = qc__sql_done(&insert), *b = a ? qc__sql_done(&get) : NULL, *e = b ? qc__sql_done(&exists) : NULL;
        if (!e) rc = QC_ENOMEM;
        else if ((rc = prepare(c, &c->insert[k], a)) == QC_OK && (rc = prepare(c, &c->get[k], b)) == QC_OK)
            rc = prepare(c, &c->exists[k], e);
        qc__sql_free(&insert);
        qc__sql_free(&get);
        qc__sql_free(&exists);
    }
    if (rc < 0) return rc;
    if ((rc = prepare(c, &c->insert_fact,
                      "INSERT INTO case_facts(case_id, seq, name, type, value) VALUES(?, ?, ?, ?, ?)")) < 0)
        return rc;
    if ((rc = prepare(c, &c->delete_facts, "DELETE FROM case_facts WHERE case_id = ?")) < 0) return rc;
    qc__sqlbuf last = {0};
    qc__sql_append(&last, "SELECT ");
    qc__sql_columns(&last, QC_KIND_REVISION, "", 0);
    qc__sql_append(&last, " FROM revisions ORDER BY seq DESC LIMIT 1");
    const char *sql = qc__sql_done(&last);
    rc = sql ? prepare(c, &c->journal_last, sql) : qc__error(QC_ENOMEM, "out of memory");
    qc__sql_free(&last);
    if (rc < 0) return rc;
    return prepare(c, &c->get_facts,
                   "SELECT name, type, value FROM case_facts WHERE case_id = ? ORDER BY seq");
}

static int exec(sql_conn *c, const char *sql)
{
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) return sql_error(c, "exec");
    return QC_OK;
}

static int pragma_int(sql_conn *c, const char *pragma, int *out)
{
    sqlite3_stmt *st;
    char sql[64];
    if ((size_t)snprintf(sql, sizeof sql, "PRAGMA %s", pragma) >= sizeof sql)
        return qc__error(QC_EINVAL, "sqlite: pragma name too long: %s", pragma);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) return sql_error(c, pragma);
    int step = sqlite3_step(st);
    *out = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? QC_OK : sql_error(c, pragma);
}

/* Bring the file to QC_SCHEMA_VERSION, each step in its own transaction.
 * Nothing is written before the file is known to be a quotacase store of
 * a version this library knows: another program's database, or a store
 * of a newer version, is left byte for byte as it was (the core refuses
 * the newer one by its version). */
static int migrate(sql_conn *c)
{
    int version, app, rc, tables;
    if ((rc = pragma_int(c, "user_version", &version)) < 0 ||
        (rc = pragma_int(c, "application_id", &app)) < 0)
        return rc;
    /* every version this library wrote carries the application id */
    if ((version > 0 || app != 0) && app != QC_SQLITE_APPLICATION_ID)
        return qc__error(QC_ESCHEMA, "sqlite:%s: not a quotacase store (application_id %#x, user_version %d)", c->path,
                         (unsigned)app, version);
    if (version >= QC_SCHEMA_VERSION) return QC_OK;
    if (version == 0) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
            return sql_error(c, "read schema");
        int step = sqlite3_step(st);
        tables = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
        rc = step == SQLITE_ROW ? QC_OK : sql_error(c, "read schema"); /* out of memory is not "not a store" */
        sqlite3_finalize(st);
        if (rc < 0) return rc;
        if (tables != 0)
            return qc__error(QC_ESCHEMA, "sqlite:%s: a database that is not a quotacase store", c->path);
    }
    if (c->readonly)
        return qc__error(QC_EIO, "sqlite:%s: the store has schema version %d and is read-only here; open it once "
                         "with write access to bring it to version %d", c->path, version, QC_SCHEMA_VERSION);
    int from = version;
    for (; version < QC_SCHEMA_VERSION; version++) {
        char set[96];
        snprintf(set, sizeof set, "PRAGMA user_version = %d; PRAGMA application_id = %d;",
                 version + 1, QC_SQLITE_APPLICATION_ID);
        if ((rc = exec(c, "BEGIN IMMEDIATE")) < 0) return rc;
        if ((rc = exec(c, migrations[version + 1])) < 0 || (rc = exec(c, set)) < 0 ||
            (rc = exec(c, "COMMIT")) < 0) {
            sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    /* a migration of a store with data may have rewritten much of it into
     * the write-ahead log: fold it back, or every read goes through it */
    if (from > 0) sqlite3_exec(c->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return QC_OK;
}

/* Whether this process may write the file and create files beside it (the
 * write-ahead log and its index).  A file that does not exist yet counts
 * as writable: creating it is the open's to try and report. */
static bool writable_here(const char *path)
{
    if (access(path, F_OK) != 0) return true;
    if (access(path, W_OK) != 0) return false;
    const char *slash = strrchr(path, '/');
    if (!slash) return access(".", W_OK) == 0;
    if (slash == path) return access("/", W_OK) == 0;
    char *dir = strndup(path, (size_t)(slash - path));
    bool ok = dir && access(dir, W_OK) == 0;
    free(dir);
    return ok;
}

/* "file:PATH?mode=ro&immutable=1", PATH escaped as a URI path. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = malloc(3 * n + 32), *o = uri;
    if (!uri) return NULL;
    o += sprintf(o, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') o += sprintf(o, "%%%02X", (unsigned char)*p);
        else *o++ = *p;
    }
    strcpy(o, "?mode=ro&immutable=1");
    return uri;
}

/* Open the file as this process may: read-write (created if missing), or
 * read-only when it cannot write the file or its directory.  A read-only
 * store without a write-ahead log beside it is opened immutable, because
 * SQLite cannot create the log's index in a directory it cannot write;
 * with a log it reads through the log as usual. */
static int open_file(sql_conn *c, const char *location)
{
    int flags = SQLITE_OPEN_NOMUTEX;
    char *uri = NULL;
    const char *name = location;
    c->readonly = strcmp(location, ":memory:") != 0 && !writable_here(location);
    if (!c->readonly) {
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    } else {
        flags |= SQLITE_OPEN_READONLY;
        size_t n = strlen(location);
        char *wal = malloc(n + 5);
        if (!wal) return qc__error(QC_ENOMEM, "out of memory");
        memcpy(wal, location, n);
        memcpy(wal + n, "-wal", 5);
        bool has_log = access(wal, F_OK) == 0;
        free(wal);
        if (!has_log) {
            if (!(uri = immutable_uri(location))) return qc__error(QC_ENOMEM, "out of memory");
            flags |= SQLITE_OPEN_URI;
            name = uri;
        }
    }
    int rc = QC_OK;
    if (sqlite3_open_v2(name, &c->db, flags, NULL) != SQLITE_OK)
        rc = c->db ? sql_error(c, "open") : qc__error(QC_ENOMEM, "out of memory");
    free(uri);
    return rc;
}

static void sql_close(qc_backend_conn *conn)
{
    sql_conn *c = (sql_conn *)conn;
    if (!c) return;
    for (int k = 0; k < QC_KIND_COUNT; k++) {
        sqlite3_finalize(c->insert[k]);
        sqlite3_finalize(c->get[k]);
        sqlite3_finalize(c->exists[k]);
        sqlite3_finalize(c->update[k]);
    }
    sqlite3_finalize(c->insert_fact);
    sqlite3_finalize(c->delete_facts);
    sqlite3_finalize(c->get_facts);
    sqlite3_finalize(c->journal_last);
    if (c->db && !sqlite3_get_autocommit(c->db)) sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(c->db);
    free(c->path);
    free(c);
}

static int sql_open(qc_backend_conn **out, const qc_backend *b, const char *location)
{
    if (!*location) return qc__error(QC_EINVAL, "sqlite: no file name (sqlite:PATH, or sqlite::memory:)");
    sql_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(location))) {
        free(c);
        return qc__error(QC_ENOMEM, "out of memory");
    }
    int rc, version;
    /* A store handle is used by one thread at a time (docs/api.md), so
     * SQLite's own mutexes would be pure cost (open_file: NOMUTEX). */
    if ((rc = open_file(c, location)) < 0) goto fail;
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, 5000);
    /* a migration may rebuild a table others refer to: keys on after it */
    if ((rc = exec(c, "PRAGMA foreign_keys = OFF")) < 0 || (rc = migrate(c)) < 0 ||
        (rc = exec(c, "PRAGMA foreign_keys = ON")) < 0 || (rc = pragma_int(c, "user_version", &version)) < 0)
        goto fail;
    /* A newer schema: leave it untouched, the core reports it. */
    if (version == QC_SCHEMA_VERSION) {
        /* WAL lets readers (report runs) go on while an import writes;
         * synchronous=NORMAL is durable across application crashes in WAL. */
        if (strcmp(location, ":memory:") != 0 && !c->readonly &&
            ((rc = exec(c, "PRAGMA journal_mode = WAL")) < 0 || (rc = exec(c, "PRAGMA synchronous = NORMAL")) < 0))
            goto fail;
        if ((rc = prepare_all(c)) < 0) goto fail;
    }
    *out = &c->base;
    return QC_OK;
fail:
    sql_close(&c->base);
    return rc;
}

static int sql_schema_version(qc_backend_conn *conn, int *out)
{
    return pragma_int((sql_conn *)conn, "user_version", out);
}

static int sql_begin(qc_backend_conn *conn)
{
    sql_conn *c = (sql_conn *)conn;
    if (c->readonly)
        return qc__error(QC_EIO, "sqlite:%s: the store is read-only here (no write permission on the file or its "
                         "directory); nothing was written", c->path);
    return exec(c, "BEGIN IMMEDIATE");
}

static int sql_commit(qc_backend_conn *conn) { return exec((sql_conn *)conn, "COMMIT"); }

/* SQLite rolls a transaction back by itself on some failures (disk full,
 * I/O errors): then there is nothing left to roll back, and no error. */
static int sql_rollback(qc_backend_conn *conn)
{
    sql_conn *c = (sql_conn *)conn;
    return sqlite3_get_autocommit(c->db) ? QC_OK : exec(c, "ROLLBACK");
}

/* Run a bound statement that returns no rows, and reset it. */
static int step_done(sql_conn *c, sqlite3_stmt *st, const char *what)
{
    int step = sqlite3_step(st);
    int rc = step == SQLITE_DONE ? QC_OK : sql_error(c, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int put_facts(sql_conn *c, const qc_record *r)
{
    sqlite3_stmt *st = c->insert_fact;
    size_t idlen;
    const char *id = qc__record_str(r, QC_CASE_ID, &idlen);
    for (int i = 0; i < r->nfacts; i++) {
        const qc__fact *f = &r->facts[i];
        sqlite3_bind_text(st, 1, id, (int)idlen, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_text(st, 3, r->arena + f->name_off, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, f->type);
        if (f->type == QC_TYPE_TEXT) sqlite3_bind_text(st, 5, r->arena + f->v.off, (int)f->v.len, SQLITE_STATIC);
        else if (f->type == QC_TYPE_DECIMAL) sqlite3_bind_double(st, 5, f->v.d);
        else sqlite3_bind_int64(st, 5, f->v.i);
        int rc = step_done(c, st, "insert case fact");
        if (rc < 0) return rc;
    }
    return QC_OK;
}

/* Bind field i of r (an empty text is no text) to parameter param of st. */
static void bind_field(sqlite3_stmt *st, int param, const qc_record *r, int i)
{
    const qc__value *v = &r->fields[i];
    qc_type type = r->def->fields[i].type;
    if (!v->set || (type == QC_TYPE_TEXT && v->len == 0))
        sqlite3_bind_null(st, param);
    else if (type == QC_TYPE_TEXT)
        sqlite3_bind_text(st, param, r->arena + v->off, (int)v->len, SQLITE_STATIC);
    else if (type == QC_TYPE_DECIMAL)
        sqlite3_bind_double(st, param, v->d);
    else
        sqlite3_bind_int64(st, param, v->i);
}

static int sql_put(qc_backend_conn *conn, const qc_record *r)
{
    sql_conn *c = (sql_conn *)conn;
    sqlite3_stmt *st = c->insert[r->kind];
    const qc__kind_def *k = r->def;
    for (int i = 0; i < k->nfields; i++) bind_field(st, i + 1, r, i);
    int rc = step_done(c, st, "insert");
    const char *id = qc__record_str(r, 0, NULL);
    if (rc == QC_EEXIST && id && *id) return qc__error(QC_EEXIST, "%s.id: '%s' exists already", k->name, id);
    if (rc == QC_EEXIST) return qc__error(QC_EEXIST, "%s: the same %s is stored already", k->name, k->name);
    if (rc == QC_OK && r->nfacts) rc = put_facts(c, r);
    return rc;
}

/* A correction: UPDATE in place, so that the row keeps its place in
 * insertion order (a case's facts are written anew). */
static int sql_replace(qc_backend_conn *conn, const qc_record *r)
{
    sql_conn *c = (sql_conn *)conn;
    const qc__kind_def *k = r->def;
    size_t idlen;
    const char *id = qc__record_str(r, 0, &idlen);
    int rc;
    if (!id || !idlen) return QC_ENOTFOUND;
    if (!c->update[r->kind]) {
        qc__sqlbuf b = {0};
        qc__sql_append(&b, "UPDATE %s SET ", k->plural);
        for (int i = 1; i < k->nfields; i++) qc__sql_append(&b, "%s\"%s\" = ?", i > 1 ? ", " : "", k->fields[i].name);
        qc__sql_append(&b, " WHERE id = ?");
        const char *sql = qc__sql_done(&b);
        rc = sql ? prepare(c, &c->update[r->kind], sql) : qc__error(QC_ENOMEM, "out of memory");
        qc__sql_free(&b);
        if (rc < 0) return rc;
    }
    sqlite3_stmt *st = c->update[r->kind];
    for (int i = 1; i < k->nfields; i++) bind_field(st, i, r, i);
    sqlite3_bind_text(st, k->nfields, id, (int)idlen, SQLITE_STATIC);
    if ((rc = step_done(c, st, "update")) < 0) return rc;
    if (sqlite3_changes(c->db) == 0) return QC_ENOTFOUND;
    if (r->kind != QC_KIND_CASE) return QC_OK;
    sqlite3_bind_text(c->delete_facts, 1, id, (int)idlen, SQLITE_STATIC);
    if ((rc = step_done(c, c->delete_facts, "delete case facts")) < 0) return rc;
    return put_facts(c, r);
}

/* A withdrawal: the row goes (the history keeps it).  A row without an id
 * is the one that says the same in every field, as the unique indexes of
 * version 4 compare them. */
static int sql_remove(qc_backend_conn *conn, const qc_record *r)
{
    sql_conn *c = (sql_conn *)conn;
    const qc__kind_def *k = r->def;
    size_t idlen;
    const char *id = qc__record_str(r, 0, &idlen);
    bool by_id = id && idlen;
    qc__sqlbuf b = {0};
    qc__sql_append(&b, "DELETE FROM %s WHERE ", k->plural);
    if (by_id) qc__sql_append(&b, "id = ?");
    else {
        qc__sql_append(&b, "seq = (SELECT seq FROM %s WHERE id IS NULL", k->plural);
        for (int i = 1; i < k->nfields; i++) {
            if (k->fields[i].type == QC_TYPE_TEXT) qc__sql_append(&b, " AND ifnull(\"%s\", '') = ifnull(?, '')", k->fields[i].name);
            else qc__sql_append(&b, " AND \"%s\" IS ?", k->fields[i].name);
        }
        qc__sql_append(&b, " LIMIT 1)");
    }
    const char *sql = qc__sql_done(&b);
    sqlite3_stmt *st = NULL;
    int rc = sql ? QC_OK : qc__error(QC_ENOMEM, "out of memory");
    if (rc == QC_OK && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) rc = sql_error(c, "prepare");
    qc__sql_free(&b);
    if (rc < 0) return rc;
    if (by_id) sqlite3_bind_text(st, 1, id, (int)idlen, SQLITE_STATIC);
    else
        for (int i = 1; i < k->nfields; i++) bind_field(st, i, r, i);
    if (r->kind == QC_KIND_CASE) { /* the facts first: they name the case */
        sqlite3_bind_text(c->delete_facts, 1, id, (int)idlen, SQLITE_STATIC);
        rc = step_done(c, c->delete_facts, "delete case facts");
    }
    int step = rc == QC_OK ? sqlite3_step(st) : SQLITE_DONE;
    if (rc == QC_OK) rc = step == SQLITE_DONE ? (sqlite3_changes(c->db) ? QC_OK : QC_ENOTFOUND) : sql_error(c, "delete");
    sqlite3_finalize(st);
    return rc;
}

/* Fill out's fields (those in mask; 0: all) from the current row of st,
 * whose columns are out's fields. */
static int read_fields(sql_conn *c, sqlite3_stmt *st, qc_record *out, uint32_t mask, bool values_only)
{
    const qc__kind_def *k = out->def;
    int rc;
    for (int i = 0; i < k->nfields; i++) {
        if ((mask & ~(uint32_t)QC_FIELDS_NO_FACTS) && !(mask & (1u << i))) continue;
        if (k->fields[i].type == QC_TYPE_TEXT) {
            /* validated when it was written: copy without checking again */
            const char *s = (const char *)sqlite3_column_text(st, i);
            if (!s) continue; /* NULL */
            rc = qc__record_set_trusted(out, i, s, (size_t)sqlite3_column_bytes(st, i));
        } else if (sqlite3_column_type(st, i) == SQLITE_NULL) {
            continue;
        } else if (k->fields[i].type == QC_TYPE_DECIMAL) {
            rc = qc_record_set_decimal(out, i, sqlite3_column_double(st, i));
        } else {
            rc = qc__record_set_stored_int(out, i, sqlite3_column_int64(st, i), values_only);
        }
        if (rc < 0) {
            qc__error_prefix("sqlite:%s: corrupt row", c->path);
            return QC_ESCHEMA;
        }
    }
    return QC_OK;
}

/* Add the fact in columns first.. (name, type, value) of fs to out:
 * validated when written, so appended as it is. */
static int read_fact(sql_conn *c, sqlite3_stmt *fs, int first, qc_record *out)
{
    const char *name = (const char *)sqlite3_column_text(fs, first);
    size_t name_len = (size_t)sqlite3_column_bytes(fs, first);
    int type = sqlite3_column_int(fs, first + 1);
    const char *text = NULL;
    size_t text_len = 0;
    switch (type) {
    case QC_TYPE_TEXT:
        text = (const char *)sqlite3_column_text(fs, first + 2);
        text_len = (size_t)sqlite3_column_bytes(fs, first + 2);
        if (!text) text = "";
        break;
    case QC_TYPE_INT: case QC_TYPE_DECIMAL: case QC_TYPE_BOOL: case QC_TYPE_DATE: break;
    default: return qc__error(QC_ESCHEMA, "sqlite:%s: fact '%s' of unknown type", c->path, name ? name : "?");
    }
    if (!name) return qc__error(QC_ESCHEMA, "sqlite:%s: a fact without a name", c->path);
    return qc__record_add_fact_trusted(out, name, name_len, (qc_type)type, sqlite3_column_int64(fs, first + 2),
                                       sqlite3_column_double(fs, first + 2), text, text_len);
}

/* A case's facts, by one query. */
static int read_facts(sql_conn *c, qc_record *out)
{
    sqlite3_stmt *fs = c->get_facts;
    size_t idlen;
    const char *id = qc__record_str(out, QC_CASE_ID, &idlen);
    sqlite3_bind_text(fs, 1, id, (int)idlen, SQLITE_TRANSIENT);
    int step, rc = QC_OK;
    while (rc == QC_OK && (step = sqlite3_step(fs)) == SQLITE_ROW) rc = read_fact(c, fs, 0, out);
    if (rc == QC_OK && step != SQLITE_DONE) rc = sql_error(c, "read case facts");
    sqlite3_reset(fs);
    return rc;
}

/* A case's facts from the cursor walking case_facts beside the cases:
 * skip facts of cases the read passed over, take this case's. */
static int merge_facts(sql_cursor *cur, qc_record *out)
{
    int rc = QC_OK;
    while (rc == QC_OK && !cur->facts_done) {
        if (!cur->facts_row) {
            int step = sqlite3_step(cur->facts);
            if (step == SQLITE_DONE) {
                cur->facts_done = true;
                break;
            }
            if (step != SQLITE_ROW) return sql_error(cur->conn, "read case facts");
            cur->facts_row = true;
        }
        /* the id is looked up again each time: reading a fact may grow
         * the record's text and move it */
        int cmp = strcmp((const char *)sqlite3_column_text(cur->facts, 0), qc__record_str(out, QC_CASE_ID, NULL));
        if (cmp > 0) break; /* a later case's */
        if (cmp == 0) rc = read_fact(cur->conn, cur->facts, 1, out);
        cur->facts_row = false;
    }
    return rc;
}

static int read_row(sql_conn *c, sqlite3_stmt *st, qc_record *out, uint32_t mask, bool values_only)
{
    int rc = read_fields(c, st, out, mask, values_only);
    return rc == QC_OK && out->kind == QC_KIND_CASE && !(mask & QC_FIELDS_NO_FACTS) ? read_facts(c, out) : rc;
}

static int sql_get(qc_backend_conn *conn, qc_kind kind, const char *id, qc_record *out)
{
    sql_conn *c = (sql_conn *)conn;
    sqlite3_stmt *st = c->get[kind];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), rc;
    if (step == SQLITE_ROW) rc = read_row(c, st, out, 0, false);
    else rc = step == SQLITE_DONE ? QC_ENOTFOUND : sql_error(c, "get");
    sqlite3_reset(st);
    return rc;
}

static int sql_journal_last(qc_backend_conn *conn, qc_record *out)
{
    sql_conn *c = (sql_conn *)conn;
    int step = sqlite3_step(c->journal_last), rc;
    if (step == SQLITE_ROW) rc = read_row(c, c->journal_last, out, 0, false);
    else rc = step == SQLITE_DONE ? QC_ITEROVER : sql_error(c, "read the journal's head");
    sqlite3_reset(c->journal_last);
    return rc;
}

static int sql_exists(qc_backend_conn *conn, qc_kind kind, const char *id)
{
    sql_conn *c = (sql_conn *)conn;
    sqlite3_stmt *st = c->exists[kind];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    int rc = step == SQLITE_ROW ? QC_OK : step == SQLITE_DONE ? QC_ENOTFOUND : sql_error(c, "exists");
    sqlite3_reset(st);
    return rc;
}

/*
 * Build "FROM t [JOIN cases c] WHERE ..." for a filter and bind it.  The
 * same clause serves iteration and counting; the binding order follows
 * the order the criteria are appended.
 */
typedef struct where_clause {
    qc__sqlbuf sql;
    const char *binds[4];
    int nbinds;
    bool has_dates;
    int64_t from, to;
} where_clause;

static void add_text(where_clause *w, const char *expr, const char *value)
{
    qc__sql_append(&w->sql, " AND %s = ?", expr);
    w->binds[w->nbinds++] = value;
}

static void build_where(where_clause *w, qc_kind kind, const qc_filter *f)
{
    bool via_case = qc__kind_via_case(kind);
    bool join = f && via_case && (f->office || f->line || (f->has_dates && kind == QC_KIND_PARTICIPATION));
    *w = (where_clause){0};
    qc__sql_append(&w->sql, " FROM %s t%s WHERE 1", table_name(kind), join ? " JOIN cases c ON c.id = t.\"case\"" : "");
    if (!f) return;
    if (f->office) {
        const char *expr = kind == QC_KIND_OFFICE ? "t.id" : via_case ? "c.office" : "t.office";
        if (qc_filter_office_subtree(f)) { /* the office and every office under it */
            qc__sql_append(&w->sql, " AND %s IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION"
                                    " SELECT o.id FROM offices o JOIN sub ON o.parent = sub.id) SELECT id FROM sub)", expr);
            w->binds[w->nbinds++] = f->office;
        } else {
            add_text(w, expr, f->office);
        }
    }
    if (f->person)
        add_text(w, kind == QC_KIND_PERSON ? "t.id" : "t.person", f->person);
    if (f->case_id) add_text(w, kind == QC_KIND_CASE ? "t.id" : "t.\"case\"", f->case_id);
    if (f->line) add_text(w, via_case ? "c.line" : "t.line", f->line);
    if (f->has_dates) {
        const char *expr = NULL;
        switch (kind) {
        case QC_KIND_CASE: expr = "t.registered BETWEEN :from AND :to"; break;
        case QC_KIND_PARTICIPATION: expr = "c.registered BETWEEN :from AND :to"; break;
        /* floor division, so times before 1970 land on the right day */
        case QC_KIND_ACT: expr = "(t.time - ((t.time % 86400) + 86400) % 86400) / 86400 BETWEEN :from AND :to"; break;
        case QC_KIND_REVIEW:
        case QC_KIND_CLASSIFICATION:
        case QC_KIND_DESIGNATION:
        case QC_KIND_STEP:
        case QC_KIND_DUTY: expr = "t.date BETWEEN :from AND :to"; break;
        case QC_KIND_NOTICE: expr = "t.issued BETWEEN :from AND :to"; break;
        case QC_KIND_ASSIGNMENT: expr = "t.date BETWEEN :from AND :to"; break;
        case QC_KIND_INSPECTION: expr = "t.period_from <= :to AND t.period_to >= :from"; break;
        case QC_KIND_PERSON:
        case QC_KIND_POST:
            expr = "(t.valid_from IS NULL OR t.valid_from <= :to) AND (t.valid_to IS NULL OR t.valid_to >= :from)";
            break;
        default: break;
        }
        if (expr) {
            qc__sql_append(&w->sql, " AND %s", expr);
            w->has_dates = true;
            w->from = f->from;
            w->to = f->to;
        }
    }
}

static void bind_where(sqlite3_stmt *st, const where_clause *w)
{
    for (int i = 0; i < w->nbinds; i++) sqlite3_bind_text(st, i + 1, w->binds[i], -1, SQLITE_TRANSIENT);
    if (w->has_dates) {
        sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":from"), w->from);
        sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":to"), w->to);
    }
}

static void sql_iter_close(qc_backend_cursor *base)
{
    sql_cursor *cur = (sql_cursor *)base;
    sqlite3_finalize(cur->stmt);
    sqlite3_finalize(cur->facts);
    free(cur);
}

static int sql_iter_open(qc_backend_cursor **out, qc_backend_conn *conn, qc_kind kind,
                         const qc_filter *f)
{
    sql_conn *c = (sql_conn *)conn;
    where_clause w;
    qc__sqlbuf sql = {0};
    build_where(&w, kind, f);
    qc__sql_append(&sql, "SELECT ");
    qc__sql_columns(&sql, kind, "t.", qc_filter_fields(f));
    bool optional_id = qc__kind_get(kind)->fields[0].flags & QC__F_OPTIONAL_ID;
    bool by_case = qc_filter_by_case(f) && qc__kind_ordered_by_case(kind);
    /* facts beside the cases: only when most cases are read, as the facts
     * cursor walks the whole table (a date range may still skip some) */
    bool merge = kind == QC_KIND_CASE && !qc_filter_unordered(f) && !qc_filter_office(f) && !qc_filter_person(f) &&
                 !qc_filter_case(f) && !qc_filter_line(f) && !(qc_filter_fields(f) & QC_FIELDS_NO_FACTS);
    qc__sql_append(&sql, "%s", w.sql.s ? w.sql.s : "");
    if (w.sql.failed) sql.failed = true;
    if (by_case) qc__sql_append(&sql, " ORDER BY t.\"case\", t.seq");
    else if (!qc_filter_unordered(f)) qc__sql_append(&sql, " ORDER BY t.%s", optional_id ? "seq" : "id");
    const char *text = qc__sql_done(&sql);
    sql_cursor *cur = text ? calloc(1, sizeof *cur) : NULL;
    int rc = QC_OK;
    if (!cur) {
        rc = qc__error(QC_ENOMEM, "out of memory");
        goto done;
    }
    cur->conn = c;
    cur->kind = kind;
    cur->fields = qc_filter_fields(f);
    cur->values_only = f && f->values_only;
    if (sqlite3_prepare_v2(c->db, text, -1, &cur->stmt, NULL) != SQLITE_OK ||
        (merge && sqlite3_prepare_v2(c->db, "SELECT case_id, name, type, value FROM case_facts ORDER BY case_id, seq",
                                     -1, &cur->facts, NULL) != SQLITE_OK)) {
        rc = sql_error(c, "iterate");
        sql_iter_close(&cur->base);
        goto done;
    }
    bind_where(cur->stmt, &w);
    *out = &cur->base;
done:
    qc__sql_free(&sql);
    qc__sql_free(&w.sql);
    return rc;
}

static int sql_iter_next(qc_backend_cursor *base, qc_record *out)
{
    sql_cursor *cur = (sql_cursor *)base;
    int step = sqlite3_step(cur->stmt);
    if (step == SQLITE_DONE) return QC_ITEROVER;
    if (step != SQLITE_ROW) return sql_error(cur->conn, "iterate");
    if (!cur->facts) return read_row(cur->conn, cur->stmt, out, cur->fields, cur->values_only);
    int rc = read_fields(cur->conn, cur->stmt, out, cur->fields, cur->values_only);
    return rc == QC_OK ? merge_facts(cur, out) : rc;
}

static int sql_count(qc_backend_conn *conn, qc_kind kind, const qc_filter *f, int64_t *out)
{
    sql_conn *c = (sql_conn *)conn;
    where_clause w;
    qc__sqlbuf sql = {0};
    sqlite3_stmt *st = NULL;
    build_where(&w, kind, f);
    qc__sql_append(&sql, "SELECT count(*)%s", w.sql.s ? w.sql.s : "");
    if (w.sql.failed) sql.failed = true;
    const char *text = qc__sql_done(&sql);
    int rc = QC_OK;
    if (!text) rc = QC_ENOMEM;
    else if (sqlite3_prepare_v2(c->db, text, -1, &st, NULL) != SQLITE_OK) rc = sql_error(c, "count");
    if (rc == QC_OK) {
        bind_where(st, &w);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
        else rc = sql_error(c, "count");
    }
    sqlite3_finalize(st);
    qc__sql_free(&sql);
    qc__sql_free(&w.sql);
    return rc;
}

/*
 * Readers on one snapshot.  SQLite (as Debian builds it) has no snapshot
 * API, so: a fence connection takes the write lock (BEGIN IMMEDIATE), so
 * that nothing can commit; each reader begins a read transaction and reads
 * once, which fixes its snapshot at the latest commit - the same for all;
 * then the fence lets go.  A writer meanwhile waits (busy timeout) for the
 * few milliseconds this takes, not for the whole read.
 */
static int sql_open_readers(qc_backend_conn *conn, int n, qc_backend_conn **out)
{
    sql_conn *c = (sql_conn *)conn;
    for (int i = 0; i < n; i++) out[i] = NULL;
    if (!strcmp(c->path, ":memory:") || !strcmp(c->path, "") || sqlite3_db_readonly(c->db, "main") == 1)
        return qc__error(QC_EUNSUPPORTED, "sqlite:%s: parallel readers need a writable database file", c->path);
    sql_conn fence = {.path = c->path};
    int rc = QC_OK;
    if (sqlite3_open_v2(c->path, &fence.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = fence.db ? sql_error(&fence, "open") : qc__error(QC_ENOMEM, "out of memory");
        sqlite3_close(fence.db);
        return rc;
    }
    /* a writer at work: read in one thread rather than wait for it */
    sqlite3_busy_timeout(fence.db, 200);
    if (sqlite3_exec(fence.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = qc__error(QC_EUNSUPPORTED, "sqlite:%s: no parallel readers now: %s", c->path, sqlite3_errmsg(fence.db));
        sqlite3_close(fence.db);
        return rc;
    }
    for (int i = 0; rc == QC_OK && i < n; i++)
        if ((rc = sql_open(&out[i], conn->backend, c->path)) == QC_OK &&
            (rc = exec((sql_conn *)out[i], "BEGIN")) == QC_OK)
            rc = exec((sql_conn *)out[i], "SELECT count(*) FROM (SELECT 1 FROM offices LIMIT 1)"); /* the snapshot is taken here */
    sqlite3_exec(fence.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(fence.db);
    if (rc < 0)
        for (int i = 0; i < n; i++) {
            sql_close(out[i]);
            out[i] = NULL;
        }
    return rc;
}

const qc_backend qc__backend_sqlite = {
    .version = QC_BACKEND_VERSION_9,
    .name = "sqlite",
    .open = sql_open,
    .close = sql_close,
    .begin = sql_begin,
    .commit = sql_commit,
    .rollback = sql_rollback,
    .put = sql_put,
    .get = sql_get,
    .iter_open = sql_iter_open,
    .iter_by_case = sql_iter_open, /* it honours qc_filter_by_case() */
    .iter_next = sql_iter_next,
    .iter_close = sql_iter_close,
    .exists = sql_exists,
    .count = sql_count,
    .schema_version = sql_schema_version,
    .open_readers = sql_open_readers,
    .replace = sql_replace,
    .remove = sql_remove,
    .journal_last = sql_journal_last,
};
