/* SPDX-License-Identifier: MIT
 * pgcluster.c - a throwaway PostgreSQL cluster for tests and benchmarks
 * (see pgcluster.h).
 */
#include "config.h"

#include <glob.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgcluster.h"

static char cluster_dir[256]; /* the temporary directory: data/, the socket, the log */
static char bindir[512];
static pid_t owner_pid;       /* the process that started it stops it */
static int serial;

int qc_pg_required(void)
{
    const char *v = getenv("QC_TEST_POSTGRESQL");
    return v && !strcmp(v, "required");
}

const char *qc_pg_host(void) { return cluster_dir; }

/* The directory of initdb and pg_ctl, or false. */
static int find_bindir(void)
{
    const char *env = getenv("QC_PG_BINDIR");
    if (env && *env) {
        snprintf(bindir, sizeof bindir, "%s", env);
        return 1;
    }
    glob_t g;
    /* Debian: /usr/lib/postgresql/15/bin; glob sorts, so the newest is
     * last as long as versions have two digits */
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0 && g.gl_pathc > 0) {
        snprintf(bindir, sizeof bindir, "%s", g.gl_pathv[g.gl_pathc - 1]);
        *strrchr(bindir, '/') = '\0';
        globfree(&g);
        return 1;
    }
    globfree(&g);
    FILE *p = popen("command -v initdb 2>/dev/null", "r");
    if (!p) return 0;
    int found = fgets(bindir, sizeof bindir, p) != NULL;
    pclose(p);
    if (!found || !strchr(bindir, '/')) return 0;
    *strrchr(bindir, '/') = '\0';
    return 1;
}

int qc_pg_run_as_owner(const char *cmd)
{
    char full[2048];
    if (geteuid() == 0) snprintf(full, sizeof full, "runuser -u postgres -- sh -c '%s'", cmd);
    else snprintf(full, sizeof full, "%s", cmd);
    int status = system(full);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void stop(void)
{
    if (!cluster_dir[0] || getpid() != owner_pid) return;
    char cmd[1024];
    if (getenv("QC_PG_SHOW_LOG")) { /* for a look at what the server did */
        snprintf(cmd, sizeof cmd, "cat '%s/server.log' >&2", cluster_dir);
        if (system(cmd) != 0) fprintf(stderr, "pgcluster: no server log\n");
    }
    snprintf(cmd, sizeof cmd, "%s/pg_ctl -D %s/data -m immediate -w stop >/dev/null 2>&1", bindir, cluster_dir);
    qc_pg_run_as_owner(cmd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cluster_dir);
    if (system(cmd) != 0) fprintf(stderr, "pgcluster: could not remove %s\n", cluster_dir);
    cluster_dir[0] = '\0';
}

int qc_pg_start(char *why, size_t why_size)
{
    if (cluster_dir[0]) return 1;
    if (!find_bindir()) {
        snprintf(why, why_size, "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql");
        return 0;
    }
    const char *base = getenv("TMPDIR");
    snprintf(cluster_dir, sizeof cluster_dir, "%s/qc-pg-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(cluster_dir)) {
        snprintf(why, why_size, "mkdtemp %s failed", cluster_dir);
        cluster_dir[0] = '\0';
        return -1;
    }
    if (geteuid() == 0) { /* the server's files belong to postgres */
        struct passwd *pw = getpwnam("postgres");
        if (!pw || chown(cluster_dir, pw->pw_uid, pw->pw_gid) != 0) {
            snprintf(why, why_size, "running as root needs a 'postgres' user to run the server as");
            rmdir(cluster_dir);
            cluster_dir[0] = '\0';
            return -1;
        }
    }
    owner_pid = getpid();
    atexit(stop);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s/initdb -D %s/data -A trust -U qc -E UTF8 --locale=C --no-sync >%s/initdb.log 2>&1 && "
             "%s/pg_ctl -D %s/data -l %s/server.log -w -o \"-k %s -c listen_addresses= -c fsync=off "
             "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120 %s\" start >/dev/null 2>&1",
             bindir, cluster_dir, cluster_dir, bindir, cluster_dir, cluster_dir, cluster_dir,
             getenv("QC_PG_SERVER_OPTIONS") ? getenv("QC_PG_SERVER_OPTIONS") : "");
    if (qc_pg_run_as_owner(cmd) != 0) {
        snprintf(why, why_size, "the cluster in %s did not start (see initdb.log and server.log there)", cluster_dir);
        owner_pid = 0; /* keep the logs */
        return -1;
    }
    if (qc_pg_exec("CREATE DATABASE qc") != 0) {
        snprintf(why, why_size, "CREATE DATABASE qc failed");
        return -1;
    }
    return 1;
}

void qc_pg_conninfo(char *buf, size_t size, const char *extra)
{
    snprintf(buf, size, "host=%s user=qc dbname=qc%s%s", cluster_dir, extra && *extra ? " " : "", extra ? extra : "");
}

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

int qc_pg_exec(const char *sql)
{
    char info[512];
    snprintf(info, sizeof info, "host=%s user=qc dbname=%s", cluster_dir,
             strstr(sql, "CREATE DATABASE") ? "postgres" : "qc");
    PGconn *c = PQconnectdb(info);
    int rc = 1;
    if (PQstatus(c) == CONNECTION_OK) {
        PQsetNoticeProcessor(c, quiet, NULL); /* "drop cascades to ...": not news */
        PGresult *res = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(res);
        rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : 1;
        if (rc) fprintf(stderr, "pgcluster: %s: %s", sql, PQresultErrorMessage(res));
        PQclear(res);
    } else {
        fprintf(stderr, "pgcluster: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

void qc_pg_fresh_uri(char *buf, size_t size)
{
    char schema[64], sql[128], extra[128];
    snprintf(schema, sizeof schema, "store_%d_%d", (int)getpid(), serial++);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    if (qc_pg_exec(sql) != 0) {
        snprintf(buf, size, "postgresql:host=/nonexistent"); /* the test then fails on opening */
        return;
    }
    snprintf(extra, sizeof extra, "options='-c search_path=%s'", schema);
    char info[512];
    qc_pg_conninfo(info, sizeof info, extra);
    snprintf(buf, size, "postgresql:%s", info);
}
