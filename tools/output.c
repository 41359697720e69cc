/* SPDX-License-Identifier: MIT
 * output.c - tables for the quotacase command in text, CSV and JSON.
 *
 * Text tables are aligned by display width, not bytes: an office named
 * 大连市人民检察院 takes 16 columns on a terminal, not 24 bytes nor 8
 * characters.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "quotacase.h"

struct out_table {
    int ncols;
    char **names;
    unsigned char *raw; /* JSON: write the column's cells unquoted */
    char ***rows;
    size_t nrows, cap;
};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

out_table *out_table_new(int ncols, const char *const *names)
{
    out_table *t = calloc(1, sizeof *t);
    if (!t || !(t->names = calloc((size_t)ncols, sizeof *t->names))) {
        free(t);
        return NULL;
    }
    if (!(t->raw = calloc((size_t)ncols, 1))) {
        free(t->names);
        free(t);
        return NULL;
    }
    t->ncols = ncols;
    for (int i = 0; i < ncols; i++) t->names[i] = dup_or_null(names[i]);
    return t;
}

int out_table_add_row(out_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char ***rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows) return -1;
        t->rows = rows;
        t->cap = cap;
    }
    char **row = calloc((size_t)t->ncols, sizeof *row);
    if (!row) return -1;
    for (int i = 0; i < t->ncols; i++) row[i] = dup_or_null(cells[i]);
    t->rows[t->nrows++] = row;
    return 0;
}

void out_table_sort(out_table *t, int col)
{
    if (col < 0 || col >= t->ncols) return;
    /* insertion sort: stable, so rows of one day keep the order they were
     * recorded in, and the tables sorted here are one case's few rows */
    for (size_t i = 1; i < t->nrows; i++) {
        char **row = t->rows[i];
        size_t j = i;
        while (j > 0 && strcmp(t->rows[j - 1][col] ? t->rows[j - 1][col] : "", row[col] ? row[col] : "") > 0) {
            t->rows[j] = t->rows[j - 1];
            j--;
        }
        t->rows[j] = row;
    }
}

void out_table_set_raw(out_table *t, int col)
{
    if (col >= 0 && col < t->ncols) t->raw[col] = 1;
}

void out_table_free(out_table *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++) free(t->rows[r][i]);
        free(t->rows[r]);
    }
    for (int i = 0; i < t->ncols; i++) free(t->names[i]);
    free(t->names);
    free(t->raw);
    free(t->rows);
    free(t);
}

int out_display_width(const char *s) { return qc_display_width(s); }

void out_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

void out_csv_field(FILE *f, const char *s)
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

/* Control characters (C0, DEL, C1) are how a stored value could steer a
 * terminal (ESC [ ... sequences) or break a table: text output shows
 * them as escapes instead. */
static size_t control_at(const unsigned char *s)
{
    if (s[0] < 0x20 || s[0] == 0x7F) return 1;
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) return 2; /* U+0080..U+009F */
    return 0;
}

char *out_text_escape(const char *s)
{
    if (!s) return NULL;
    size_t n = 0, extra = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
        if (control_at(p)) extra += 6;
    if (!extra) return NULL;
    char *out = malloc(n + extra + 1), *o = out;
    if (!out) return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = control_at(p);
        if (!len) {
            *o++ = (char)*p++;
            continue;
        }
        unsigned cp = len == 1 ? p[0] : p[1];
        if (cp == '\n') o += sprintf(o, "\\n");
        else if (cp == '\r') o += sprintf(o, "\\r");
        else if (cp == '\t') o += sprintf(o, "\\t");
        else o += sprintf(o, len == 1 ? "\\x%02x" : "\\u%04x", cp);
        p += len;
    }
    *o = '\0';
    return out;
}

void out_text(FILE *f, const char *s)
{
    char *escaped = out_text_escape(s);
    fputs(escaped ? escaped : s ? s : "", f);
    free(escaped);
}

/* A cell as text output shows it: escaped when it must be (*owned then
 * holds the copy to free). */
static const char *shown(const char *cell, char **owned)
{
    *owned = out_text_escape(cell);
    return *owned ? *owned : cell ? cell : "";
}

static void print_text(const out_table *t, FILE *f)
{
    int *width = calloc((size_t)t->ncols, sizeof *width);
    if (!width) return;
    char *owned;
    for (size_t r = 0; r <= t->nrows; r++) {
        char **cells = r == 0 ? t->names : t->rows[r - 1];
        for (int i = 0; i < t->ncols; i++) {
            int w = out_display_width(shown(cells[i], &owned));
            free(owned);
            if (w > width[i]) width[i] = w;
        }
    }
    for (size_t r = 0; r <= t->nrows; r++) {
        char **cells = r == 0 ? t->names : t->rows[r - 1];
        for (int i = 0; i < t->ncols; i++) {
            const char *c = shown(cells[i], &owned);
            fputs(c, f);
            if (i + 1 < t->ncols) fprintf(f, "%*s", width[i] - out_display_width(c) + 2, "");
            free(owned);
        }
        fputc('\n', f);
    }
    free(width);
}

void out_table_print(const out_table *t, out_format fmt, FILE *f)
{
    if (fmt == OUT_TEXT) {
        print_text(t, f);
    } else if (fmt == OUT_CSV) {
        for (size_t r = 0; r <= t->nrows; r++) {
            char **cells = r == 0 ? t->names : t->rows[r - 1];
            for (int i = 0; i < t->ncols; i++) {
                if (i) fputc(',', f);
                out_csv_field(f, cells[i]);
            }
            fputs("\r\n", f);
        }
    } else {
        fputs("[", f);
        for (size_t r = 0; r < t->nrows; r++) {
            fputs(r ? ",\n {" : "\n {", f);
            for (int i = 0; i < t->ncols; i++) {
                if (i) fputs(", ", f);
                out_json_string(f, t->names[i]);
                fputs(": ", f);
                if (t->raw[i] && t->rows[r][i]) fputs(t->rows[r][i], f);
                else out_json_string(f, t->rows[r][i]);
            }
            fputs("}", f);
        }
        fputs(t->nrows ? "\n]\n" : "]\n", f);
    }
}
