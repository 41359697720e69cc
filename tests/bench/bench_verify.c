/* SPDX-License-Identifier: MIT
 * bench_verify.c - what checking a store against its journal costs
 * (docs/data-model.md, "The journal"), against hashing the same number of
 * bytes with OpenSSL alone, in the same run.
 *
 *   bench_verify DB          (an SQLite store: bench_assess generate DB 1)
 *
 * 1. the bytes: the canonical text of every journal entry, as verify
 *    hashes it (counted first, untimed).
 * 2. baseline: SHA-256 (the store's algorithm, through EVP, as `openssl
 *    dgst` does) over that many bytes, in 1 MiB blocks.
 * 3. qc_store_verify on the store: the chain and every table against it.
 *
 * Prints the times, the throughputs, their ratio and the peak RSS.  A
 * benchmark, not a test: it never fails on a time.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "quotacase.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_verify: %s: %s\n", what, qc_error_last());
    exit(1);
}

/* The bytes verify hashes for the chain: each entry's canonical text. */
static long long journal_bytes(qc_store *s, long long *entries)
{
    qc_iter *it;
    const qc_record *rev;
    qc_record *copy;
    long long bytes = 0;
    *entries = 0;
    if (qc_record_new(&copy, QC_KIND_REVISION) < 0 || qc_iter_new(&it, s, QC_KIND_REVISION, NULL) < 0) die("iterate");
    while (qc_iter_next(&rev, it) == QC_OK) {
        size_t need = 0;
        /* the entry without its hash, as it was hashed */
        char text[1];
        qc_record_clear(copy);
        for (int f = 0; f < qc_field_count(QC_KIND_REVISION); f++)
            if (f != QC_REVISION_HASH && qc_record_has(rev, f) && qc_record_set_text(copy, f, qc_record_text(rev, f)) < 0)
                die("copy");
        qc_record_encode(copy, text, 0, &need);
        bytes += (long long)need - 1;
        (*entries)++;
    }
    qc_iter_free(it);
    qc_record_free(copy);
    return bytes;
}

static double openssl_seconds(long long bytes)
{
    enum { BLOCK = 1 << 20 };
    unsigned char *block = malloc(BLOCK), md[EVP_MAX_MD_SIZE];
    unsigned len;
    if (!block) die("memory");
    memset(block, 'q', BLOCK);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    double t0 = now();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) die("EVP");
    for (long long done = 0; done < bytes; done += BLOCK)
        EVP_DigestUpdate(ctx, block, (size_t)(bytes - done < BLOCK ? bytes - done : BLOCK));
    EVP_DigestFinal_ex(ctx, md, &len);
    double t = now() - t0;
    EVP_MD_CTX_free(ctx);
    free(block);
    return t;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DB   (make one with: bench_assess generate DB 1)\n", argv[0]);
        return 2;
    }
    char uri[512];
    snprintf(uri, sizeof uri, "sqlite:%s", argv[1]);
    qc_store *s;
    if (qc_store_open_existing(&s, uri) < 0) die(uri);
    long long entries, bytes = journal_bytes(s, &entries);
    double t_ssl = openssl_seconds(bytes);
    struct rusage before;
    getrusage(RUSAGE_SELF, &before);
    double t0 = now();
    qc_verify *v;
    int rc = qc_store_verify(&v, s, NULL);
    double t_verify = now() - t0;
    if (rc < 0) die("verify");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("bench_verify: %s, %lld journal entries, %.1f MiB of canonical text\n", argv[1], entries, bytes / 1048576.0);
    printf("  openssl SHA-256 over the same bytes   %8.1f MiB/s (%.2f s)\n", bytes / 1048576.0 / t_ssl, t_ssl);
    printf("  qc_store_verify (chain and tables)    %8.1f MiB/s (%.2f s), %.0f entries/s\n", bytes / 1048576.0 / t_verify,
           t_verify, entries / t_verify);
    printf("  ratio verify / openssl: %.2fx (target >= 0.5x)\n", t_ssl / t_verify);
    printf("  peak RSS %.0f MiB (before verify %.0f MiB; target <= 256 MiB)\n", ru.ru_maxrss / 1024.0,
           before.ru_maxrss / 1024.0);
    printf("  head %s\n", qc_verify_head(v));
    qc_verify_free(v);
    qc_store_free(s);
    return 0;
}
