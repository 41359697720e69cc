/* SPDX-License-Identifier: MIT
 * text.c - UTF-8 validation, the token rule for vocabulary words, and
 * strings written as JSON, CSV and HTML.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past
 * U+10FFFF.  Returns how many leading bytes form whole valid characters. */
size_t qc__utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
        else return i;
        if (i + len > n) return i;
        unsigned cp = c & (0xFF >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += len;
    }
    return i;
}

bool qc__is_token(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* Fact names: a letter or '_', then letters, digits, '_' (usable in rule
 * expressions without quoting). */
bool qc__is_identifier(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

/* East Asian Wide and Fullwidth ranges (Unicode UAX #11), the ones that
 * occur in Chinese office, person and case names. */
static int char_width(uint32_t c)
{
    if (c < 0x20) return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

QC_EXTERN int qc_display_width(const char *text)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (p && *p) {
        uint32_t c = *p;
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1) {
            c &= 0xFF >> (len + 1);
            for (int k = 1; k < len && p[k]; k++) c = (c << 6) | (p[k] & 0x3F);
        }
        w += char_width(c);
        for (int k = 0; k < len && *p; k++) p++;
    }
    return w;
}

void qc__json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

void qc__csv_field(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void qc__html_string(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* ---- outputs: a path ("-" for stdout) or a buffer ---- */

/* A file is written beside its final name and renamed into place only
 * when the whole of it was written, so that a failed report never leaves
 * a truncated one (or an empty one) where the last good one was. */
/* Straight to path: what is not a regular file (a device such as
 * /dev/null, a pipe, a symbolic link, which renaming would replace), or a
 * file whose directory takes no new file. */
static int open_in_place(const char *path, qc__output *out)
{
    out->tmp = NULL;
    out->f = fopen(path, "w");
    return out->f ? QC_OK : qc__error(QC_EIO, "%s: cannot write: %s", path, strerror(errno));
}

int qc__open_output(const char *path, qc__output *out)
{
    out->path = path;
    out->tmp = NULL;
    if (!strcmp(path, "-")) {
        out->f = stdout;
        return QC_OK;
    }
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) return open_in_place(path, out);
    size_t n = strlen(path);
    out->tmp = malloc(n + sizeof ".XXXXXX");
    if (!out->tmp) return qc__error(QC_ENOMEM, "out of memory");
    memcpy(out->tmp, path, n);
    memcpy(out->tmp + n, ".XXXXXX", sizeof ".XXXXXX");
    int fd = mkstemp(out->tmp);
    if (fd < 0 || !(out->f = fdopen(fd, "w"))) {
        if (fd >= 0) {
            close(fd);
            unlink(out->tmp);
        }
        free(out->tmp);
        out->tmp = NULL;
        return open_in_place(path, out); /* its own error if that fails too */
    }
    /* mkstemp's 0600 would make a report unreadable to its readers: keep
     * the mode of the file replaced, or take what fopen would have given */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~mask);
    return QC_OK;
}

int qc__close_output(qc__output *out, int rc)
{
    int failed = ferror(out->f);
    if (out->f == stdout) {
        if (fflush(out->f) != 0) failed = 1;
    } else if (fclose(out->f) != 0) failed = 1;
    if (rc == QC_OK && failed) rc = qc__error(QC_EIO, "%s: write error", out->path);
    if (out->tmp) {
        if (rc == QC_OK && rename(out->tmp, out->path) != 0)
            rc = qc__error(QC_EIO, "%s: cannot write: %s", out->path, strerror(errno));
        if (rc < 0) unlink(out->tmp);
        free(out->tmp);
        out->tmp = NULL;
    }
    return rc;
}

int qc__close_buffer(FILE *f, char **out, size_t *size, int rc)
{
    if (fclose(f) != 0 && rc == QC_OK) rc = qc__error(QC_ENOMEM, "out of memory");
    if (rc < 0) { /* nothing half-written reaches the caller */
        free(*out);
        *out = NULL;
        *size = 0;
    }
    return rc;
}

QC_EXTERN void qc_free(void *p) { free(p); }
