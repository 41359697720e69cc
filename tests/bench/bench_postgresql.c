/* SPDX-License-Identifier: MIT
 * bench_postgresql.c - the postgresql: backend against its floors, on a
 * throwaway cluster (tests/pgcluster.c), each floor run on the same server
 * in the same process.
 *
 *   bench_postgresql import CASES         import CASES cases x 5 acts (CSV)
 *                                         against psql \copy of the same rows
 *   bench_postgresql assess DB RULES      copy DB (an SQLite store from
 *                                         bench_assess generate) onto the
 *                                         server, then qc_assess against
 *                                         reading the same rows and columns
 *   bench_postgresql parallel CASES N     N importers at once, one office
 *                                         each, against one importing it all
 *
 * Prints figures and ratios; a benchmark, never a test.
 */
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pgcluster.h"
#include "quotacase.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_postgresql: %s: %s\n", what, qc_error_last());
    exit(1);
}

static char dir[256];

/* The URI of a store in a new schema named name. */
static void store_uri(char *buf, size_t size, const char *name)
{
    char sql[128], extra[128], info[512];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", name, name);
    if (qc_pg_exec(sql) != 0) die("create schema");
    snprintf(extra, sizeof extra, "options='-c search_path=%s'", name);
    qc_pg_conninfo(info, sizeof info, extra);
    snprintf(buf, size, "postgresql:%s", info);
}

static qc_store *open_store(const char *name)
{
    char uri[700];
    store_uri(uri, sizeof uri, name);
    qc_store *s;
    if (qc_store_open(&s, uri) < 0) die(uri);
    return s;
}

/* Offices O0..O(n-1) and a chief in each, as CSV files in dir. */
static void write_staff(int offices)
{
    char path[320];
    snprintf(path, sizeof path, "%s/offices.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("id,name,kind,level,parent\n", f);
    for (int o = 0; o < offices; o++) fprintf(f, "O%d,Office %d,procuratorate,basic,\n", o, o);
    fclose(f);
    snprintf(path, sizeof path, "%s/people.csv", dir);
    f = fopen(path, "w");
    fputs("id,name,office,role,in_quota\n", f);
    for (int o = 0; o < offices; o++) fprintf(f, "P%d,Chief %d,O%d,chief,true\n", o, o, o);
    fclose(f);
}

/* cases (with 5 acts each) of offices [first, first + offices), as the
 * import reads them (dates as text) and as \copy reads the tables'
 * columns (days and seconds): tag names the files. */
static void write_cases(const char *tag, long ncases, int first, int offices)
{
    char path[320];
    FILE *c, *a, *cf, *af;
    snprintf(path, sizeof path, "%s/%s-cases.csv", dir, tag);
    c = fopen(path, "w");
    snprintf(path, sizeof path, "%s/%s-acts.csv", dir, tag);
    a = fopen(path, "w");
    snprintf(path, sizeof path, "%s/%s-cases.floor", dir, tag);
    cf = fopen(path, "w");
    snprintf(path, sizeof path, "%s/%s-acts.floor", dir, tag);
    af = fopen(path, "w");
    if (!c || !a || !cf || !af) die("write");
    fputs("id,office,line,type,registered\n", c);
    fputs("case,person,kind,time\n", a);
    static const char *const kinds[] = {"file_review", "drafting", "interrogation", "court_appearance", "report_heard"};
    for (long i = 0; i < ncases; i++) {
        int o = first + (int)(i % offices);
        int64_t day = 17287 + i % 240;
        char date[16];
        qc_date_format(date, sizeof date, day);
        fprintf(c, "%s-K%07ld,O%d,prosecution,theft,%s\n", tag, i, o, date);
        fprintf(cf, "%s-K%07ld,O%d,prosecution,theft,%lld\n", tag, i, o, (long long)day);
        for (int k = 0; k < 5; k++) {
            fprintf(a, "%s-K%07ld,P%d,%s,%sT%02d:00:00\n", tag, i, o, kinds[k], date, 9 + k);
            fprintf(af, "%s-K%07ld,P%d,%s,%lld\n", tag, i, o, kinds[k], (long long)(day * 86400 + (9 + k) * 3600));
        }
    }
    fclose(c);
    fclose(a);
    fclose(cf);
    fclose(af);
}

static void import_or_die(qc_store *s, const char *file)
{
    char path[320];
    int64_t n;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (qc_store_import_file(s, path, QC_KIND_NONE, &n) < 0) die(path);
}

/* psql \copy of the floor files into schema's tables; its wall time. */
static double copy_floor(const char *schema, const char *tag)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "PGOPTIONS='-c search_path=%s' psql -X -q -v ON_ERROR_STOP=1 -h '%s' -U qc -d qc"
             " -c \"\\\\copy cases(id, office, line, type, registered) FROM '%s/%s-cases.floor' CSV\""
             " -c \"\\\\copy acts(\\\"case\\\", person, kind, time) FROM '%s/%s-acts.floor' CSV\"",
             schema, qc_pg_host(), dir, tag, dir, tag);
    double t0 = now();
    if (system(cmd) != 0) die("psql \\copy");
    return now() - t0;
}

static int bench_import(long ncases)
{
    int offices = 10;
    write_staff(offices);
    write_cases("b", ncases, 0, offices);
    printf("import: %ld cases x 5 acts, %d offices\n", ncases, offices);
    double best_floor = 1e9, best_lib = 1e9;
    for (int round = 1; round <= 3; round++) {
        qc_store *floor_store = open_store("floor"), *lib_store = open_store("lib");
        import_or_die(floor_store, "offices.csv");
        import_or_die(floor_store, "people.csv");
        import_or_die(lib_store, "offices.csv");
        import_or_die(lib_store, "people.csv");
        qc_store_free(floor_store);
        double t_floor = copy_floor("floor", "b");
        double t0 = now();
        import_or_die(lib_store, "b-cases.csv");
        import_or_die(lib_store, "b-acts.csv");
        double t_lib = now() - t0;
        qc_store_free(lib_store);
        printf("round %d: psql \\copy %.2f s, quotacase import %.2f s (speed %.2fx of \\copy)\n", round, t_floor, t_lib,
               t_floor / t_lib);
        if (t_floor < best_floor) best_floor = t_floor;
        if (t_lib < best_lib) best_lib = t_lib;
    }
    printf("best: psql \\copy %.2f s (%.0f rows/s), import %.2f s (%.0f rows/s): %.2fx the speed of \\copy (target >= 0.8x)\n",
           best_floor, ncases * 6 / best_floor, best_lib, ncases * 6 / best_lib, best_floor / best_lib);
    return 0;
}

/* Read a query's rows as text through COPY TO STDOUT, touching every
 * byte: the fastest a client reads rows from the server. */
static long read_rows(PGconn *c, const char *query, long *bytes)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "COPY (%s) TO STDOUT", query);
    PGresult *res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        fprintf(stderr, "bench_postgresql: %s: %s", query, PQerrorMessage(c));
        exit(1);
    }
    PQclear(res);
    long rows = 0;
    char *buf;
    int n;
    while ((n = PQgetCopyData(c, &buf, 0)) > 0) {
        rows++;
        for (int i = 0; i < n; i++) *bytes += (unsigned char)buf[i] & 1;
        PQfreemem(buf);
    }
    PQclear(PQgetResult(c));
    return rows;
}

/* The rows and columns the assessment reads, in its order. */
static double rows_floor(const char *schema, long *rows, double *cpu)
{
    static const char *const queries[] = {
        "SELECT id, name, kind, level, parent FROM offices",
        "SELECT id, name, office, department, role, in_quota, valid_from, valid_to FROM people",
        "SELECT id, person, office, department, role, in_quota, valid_from, valid_to FROM posts",
        "SELECT id, office, department, line, type, registered, closed, stage, source FROM cases"
        " WHERE registered BETWEEN 17287 AND 17531 ORDER BY id",
        "SELECT case_id, name, type, ivalue, dvalue, tvalue FROM case_facts ORDER BY case_id, seq",
        "SELECT \"case\", person, capacity FROM participations ORDER BY \"case\", seq",
        "SELECT \"case\", person, kind, time FROM acts ORDER BY \"case\", seq",
        "SELECT \"case\", grade, scheme, date FROM reviews ORDER BY \"case\", seq",
    };
    char info[512], extra[128];
    snprintf(extra, sizeof extra, "options='-c search_path=%s'", schema);
    qc_pg_conninfo(info, sizeof info, extra);
    PGconn *c = PQconnectdb(info);
    if (PQstatus(c) != CONNECTION_OK) die("connect");
    double c0 = cpu_now(), t0 = now();
    long bytes = 0;
    *rows = 0;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) *rows += read_rows(c, queries[q], &bytes);
    double wall = now() - t0;
    *cpu = cpu_now() - c0 + (bytes < 0); /* bytes keeps the reads from being optimised away */
    PQfinish(c);
    return wall;
}

static int bench_assess(const char *sqlite_path, const char *rules_path)
{
    char from_uri[512];
    snprintf(from_uri, sizeof from_uri, "sqlite:%s", sqlite_path);
    qc_store *from, *s = open_store("national");
    qc_rules *rules;
    if (qc_store_open_existing(&from, from_uri) < 0) die(from_uri);
    int64_t records;
    double t0 = now();
    if (qc_store_copy(s, from, &records) < 0) die("copy");
    printf("copied %lld records (journal included) from SQLite onto the server in %.1f s\n", (long long)records,
           now() - t0);
    qc_store_free(from);
    if (qc_pg_exec("SET search_path = national; ANALYZE") != 0) die("analyze");
    if (qc_rules_load_file(&rules, rules_path) < 0) die(rules_path);
    int64_t pfrom, pto;
    qc_period_parse(&pfrom, &pto, "2017-05-01..2017-12-31");
    double best_floor = 1e9, best_lib = 1e9, floor_cpu = 1e9, lib_cpu = 1e9;
    long rows = 0;
    qc_assessment *a = NULL;
    for (int round = 1; round <= 3; round++) {
        double cpu;
        double t_floor = rows_floor("national", &rows, &cpu);
        if (cpu < floor_cpu) floor_cpu = cpu;
        qc_assessment_free(a);
        double c0 = cpu_now();
        t0 = now();
        if (qc_assess(&a, rules, s, NULL, pfrom, pto) < 0) die("assess");
        double t_lib = now() - t0, used = cpu_now() - c0;
        if (used < lib_cpu) lib_cpu = used;
        printf("round %d: rows floor %.2f s, qc_assess %.2f s (%.2fx)\n", round, t_floor, t_lib, t_lib / t_floor);
        if (t_floor < best_floor) best_floor = t_floor;
        if (t_lib < best_lib) best_lib = t_lib;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("rows floor (the same rows and columns by COPY TO STDOUT): %ld rows, best %.2f s wall (client CPU %.2f s)\n",
           rows, best_floor, floor_cpu);
    printf("qc_assess: %lld offices, %lld leaders, best %.2f s wall (client CPU %.2f s)\n",
           (long long)qc_assessment_total(a, "offices"), (long long)qc_assessment_total(a, "leaders"), best_lib, lib_cpu);
    printf("ratio library / floor, wall: %.2fx (target <= 1.5x)\n", best_lib / best_floor);
    printf("peak RSS: %.0f MiB (target <= 512 MiB)\n", ru.ru_maxrss / 1024.0);
    qc_assessment_free(a);
    qc_rules_free(rules);
    qc_store_free(s);
    return 0;
}

/* n importers at once, one office each, against one process importing
 * the same rows: the cost of taking turns on the journal. */
static int bench_parallel(long ncases, int n)
{
    write_staff(n);
    for (int i = 0; i < n; i++) {
        char tag[16];
        snprintf(tag, sizeof tag, "p%d", i);
        write_cases(tag, ncases / n, i, 1);
    }
    qc_store *s = open_store("parallel");
    import_or_die(s, "offices.csv");
    import_or_die(s, "people.csv");
    qc_store_free(s);
    char uri[700], info[512], extra[128];
    snprintf(extra, sizeof extra, "options='-c search_path=parallel'");
    qc_pg_conninfo(info, sizeof info, extra);
    snprintf(uri, sizeof uri, "postgresql:%s", info);
    double t0 = now();
    pid_t kids[128];
    for (int i = 0; i < n; i++)
        if ((kids[i] = fork()) == 0) {
            qc_store *w;
            char c[32], a[32];
            snprintf(c, sizeof c, "p%d-cases.csv", i);
            snprintf(a, sizeof a, "p%d-acts.csv", i);
            if (qc_store_open(&w, uri) < 0 || qc_store_begin(w) < 0) _exit(1);
            import_or_die(w, c);
            import_or_die(w, a);
            _exit(qc_store_commit(w) == QC_OK ? 0 : 1);
        }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        int status;
        waitpid(kids[i], &status, 0);
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    double t_par = now() - t0;
    s = open_store("serial");
    import_or_die(s, "offices.csv");
    import_or_die(s, "people.csv");
    t0 = now();
    if (qc_store_begin(s) < 0) die("begin");
    for (int i = 0; i < n; i++) {
        char c[32], a[32];
        snprintf(c, sizeof c, "p%d-cases.csv", i);
        snprintf(a, sizeof a, "p%d-acts.csv", i);
        import_or_die(s, c);
        import_or_die(s, a);
    }
    if (qc_store_commit(s) < 0) die("commit");
    double t_ser = now() - t0;
    qc_store_free(s);
    printf("%d importers at once: %.2f s (%d failed); one importer, the same rows: %.2f s (%.2fx)\n", n, t_par, failed,
           t_ser, t_par / t_ser);
    return failed != 0;
}

int main(int argc, char **argv)
{
    char why[512];
    if (argc < 3) {
        fprintf(stderr, "usage: %s import CASES | assess DB RULES | parallel CASES N\n", argv[0]);
        return 2;
    }
    int started = qc_pg_start(why, sizeof why);
    if (started <= 0) {
        fprintf(stderr, "bench_postgresql: %s\n", why);
        return started < 0 || qc_pg_required() ? 1 : 0; /* no server: nothing to measure */
    }
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/qc-pgbench-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(dir)) die("mkdtemp"); /* read by this process and psql, never by the server */
    int rc = 2;
    if (!strcmp(argv[1], "import")) rc = bench_import(atol(argv[2]));
    else if (!strcmp(argv[1], "assess") && argc == 4) rc = bench_assess(argv[2], argv[3]);
    else if (!strcmp(argv[1], "parallel") && argc == 4) rc = bench_parallel(atol(argv[2]), atoi(argv[3]));
    else fprintf(stderr, "usage: %s import CASES | assess DB RULES | parallel CASES N\n", argv[0]);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_postgresql: could not remove %s\n", dir);
    return rc;
}
