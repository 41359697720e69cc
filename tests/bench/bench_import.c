/* SPDX-License-Identifier: MIT
 * bench_import.c - the memory and time of importing large files.
 *
 *   bench_import [MIB]      (default 50: a 50 MiB CSV and a 50 MiB YAML file)
 *
 * Writes a cases file of about MIB MiB in each format (ids, office, line,
 * type, date, three facts, one of them text; YAML says more per case, so
 * it holds fewer), then imports each into a fresh SQLite store in a child
 * process of its own, and prints for each: cases, seconds, cases/s, MiB/s,
 * and the child's peak resident memory.  The CSV import is the baseline
 * the YAML import is compared with.  Imports stream, so the peak should not grow with the
 * file (the target is 64 MiB for 50 MiB files).  A benchmark, not a test:
 * it never fails on a time or a size.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "quotacase.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_import: %s: %s\n", what, qc_error_last());
    exit(1);
}

/* dir/cases.FORMAT of about bytes: cases with three facts, one of them text. */
static long write_file(const char *dir, const char *format, size_t bytes)
{
    char path[600];
    snprintf(path, sizeof path, "%s/cases.%s", dir, format);
    FILE *f = fopen(path, "w");
    if (!f) die("create the file");
    bool csv = !strcmp(format, "csv");
    fputs(csv ? "id,office,line,type,registered,fact.defendants,fact.amount,fact.note\n" : "cases:\n", f);
    long n = 0;
    for (size_t written = 0; written < bytes; n++) {
        int defendants = (int)(n % 7) + 1, day = (int)(n % 28) + 1;
        double amount = (double)(n % 100000) * 12.5;
        if (csv)
            written += (size_t)fprintf(f, "C%09ld,O1,prosecution,fraud,2017-03-%02d,%d,%.2f,跨区域 第%ld号\n", n, day,
                                       defendants, amount, n);
        else
            written += (size_t)fprintf(f,
                                       "  - {id: C%09ld, office: O1, line: prosecution, type: fraud, registered: 2017-03-%02d,\n"
                                       "     facts: {defendants: %d, amount: %.2f, note: \"跨区域 第%ld号\"}}\n",
                                       n, day, defendants, amount, n);
    }
    fclose(f);
    return n;
}

typedef struct result {
    double seconds;
    long max_rss_kib;
    int64_t records;
    int ok;
} result;

/* Import path into a new store in a child; its time, records and peak. */
static result import_in_child(const char *dir, const char *path, const char *name)
{
    int fds[2];
    result r = {0};
    if (pipe(fds) != 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        char uri[700];
        qc_store *s;
        qc_record *o;
        snprintf(uri, sizeof uri, "sqlite:%s/%s.db", dir, name);
        if (qc_store_open(&s, uri) < 0 || qc_record_new(&o, QC_KIND_OFFICE) < 0 ||
            qc_record_set_text(o, QC_OFFICE_ID, "O1") < 0 || qc_record_set_text(o, QC_OFFICE_NAME, "x") < 0 ||
            qc_record_set_text(o, QC_OFFICE_KIND, "procuratorate") < 0 ||
            qc_record_set_text(o, QC_OFFICE_LEVEL, "basic") < 0 || qc_store_put(s, o) < 0)
            die("seed the store");
        qc_record_free(o);
        double t0 = now();
        int64_t n = 0;
        if (qc_store_import_file(s, path, QC_KIND_NONE, &n) < 0) die(path);
        result mine = {.seconds = now() - t0, .records = n, .ok = 1};
        qc_store_free(s);
        if (write(fds[1], &mine, sizeof mine) != (ssize_t)sizeof mine) _exit(2);
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], &r, sizeof r) != (ssize_t)sizeof r) r.ok = 0;
    close(fds[0]);
    struct rusage ru;
    int status;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) r.ok = 0;
    r.max_rss_kib = ru.ru_maxrss;
    return r;
}

int main(int argc, char **argv)
{
    double mib = argc > 1 ? atof(argv[1]) : 50;
    if (mib <= 0) {
        fprintf(stderr, "usage: bench_import [MIB]\n");
        return 2;
    }
    char dir[] = "/tmp/qc-bench-import-XXXXXX";
    if (!mkdtemp(dir)) die("mkdtemp");
    const char *names[] = {"csv", "yaml"};
    result res[2];
    double rate[2];
    printf("bench_import: a file of %.0f MiB in each format, each imported into a new SQLite store in a process of its own\n", mib);
    for (int i = 0; i < 2; i++) {
        long cases = write_file(dir, names[i], (size_t)(mib * 1024 * 1024));
        char path[600];
        snprintf(path, sizeof path, "%s/cases.%s", dir, names[i]);
        res[i] = import_in_child(dir, path, names[i]);
        if (!res[i].ok || res[i].records != cases) {
            fprintf(stderr, "bench_import: the %s import failed\n", names[i]);
            return 1;
        }
        rate[i] = (double)res[i].records / res[i].seconds;
        printf("  %-4s %8lld cases  %6.2f s  %9.0f cases/s  %5.1f MiB/s  peak RSS %5.1f MiB\n", names[i],
               (long long)res[i].records, res[i].seconds, rate[i], mib / res[i].seconds, res[i].max_rss_kib / 1024.0);
    }
    printf("  yaml against csv: %.2fx the cases/s, %.2fx the MiB/s\n", rate[1] / rate[0], res[0].seconds / res[1].seconds);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_import: could not remove %s\n", dir);
    return 0;
}
