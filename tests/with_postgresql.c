/* SPDX-License-Identifier: MIT
 * with_postgresql.c - run a command with a throwaway PostgreSQL cluster
 * (pgcluster.c) for the shell tests: PGHOST, PGUSER and PGDATABASE name
 * it, so `--db postgresql:` finds it through libpq's environment.  Exits
 * with the command's status; 77 (skip) without the server binaries,
 * unless QC_TEST_POSTGRESQL=required.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgcluster.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: with_postgresql COMMAND [ARG...]\n");
        return 2;
    }
    char why[512];
    int started = qc_pg_start(why, sizeof why);
    if (started <= 0) {
        fprintf(stderr, "with_postgresql: %s\n", why);
        return started < 0 || qc_pg_required() ? 1 : 77;
    }
    setenv("PGHOST", qc_pg_host(), 1);
    setenv("PGUSER", "qc", 1);
    setenv("PGDATABASE", "qc", 1);
    setenv("QC_PG_CLUSTER", qc_pg_host(), 1);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status = 1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1; /* the cluster stops at exit */
}
