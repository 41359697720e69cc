/* SPDX-License-Identifier: MIT
 * pgcluster.h - a throwaway PostgreSQL cluster for tests and benchmarks.
 *
 * qc_pg_start() runs initdb and pg_ctl in a new temporary directory: Unix
 * socket only (no TCP port), fsync off, trust authentication for the
 * superuser "qc", a database "qc".  It is stopped and removed at exit by
 * the process that started it (not by check's forked children).  As root
 * the server runs as the "postgres" user (initdb refuses root), through
 * runuser.
 *
 * $QC_PG_SERVER_OPTIONS adds server settings ("-c log_min_duration_statement=0")
 * and $QC_PG_SHOW_LOG prints the server's log at exit, for a look at what
 * it did.  The server binaries are found in $QC_PG_BINDIR, the newest
 * /usr/lib/postgresql/N/bin (Debian), or PATH.  Without them the caller
 * skips (exit 77), unless QC_TEST_POSTGRESQL=required (CI), which makes
 * their absence a failure.
 */
#ifndef QC_TEST_PGCLUSTER_H
#define QC_TEST_PGCLUSTER_H

#include <stddef.h>

/* 1: started; 0: no server binaries (why says so); -1: failed (why). */
int qc_pg_start(char *why, size_t why_size);

/* Whether a missing server must fail the test rather than skip it. */
int qc_pg_required(void);

/* The socket directory of the started cluster (the conninfo's host). */
const char *qc_pg_host(void);

/* "host=DIR user=qc dbname=qc" plus extra (may be ""). */
void qc_pg_conninfo(char *buf, size_t size, const char *extra);

/* A URI for a new, empty store: a new schema in database qc, named
 * after the process and a counter, as "postgresql:... options=...". */
void qc_pg_fresh_uri(char *buf, size_t size);

/* Run sql through a new connection; 0 on success (the error printed). */
int qc_pg_exec(const char *sql);

/* Run a command as the cluster's owner (the server binaries refuse
 * root); cmd is a shell command.  Its exit status. */
int qc_pg_run_as_owner(const char *cmd);

#endif
