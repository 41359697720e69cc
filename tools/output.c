/*
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

static void print_text(const out_table *t, FILE *f)
{
    int *width = calloc((size_t)t->ncols, sizeof *width);
    if (!width) return;
    for (int i = 0; i < t->ncols; i++) width[i] = out_display_width(t->names[i]);
    for (size_t r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->ncols; i++) {
            int w = out_display_width(t->rows[r][i] ? t->rows[r][i] : "");
            if (w > width[i]) width[i] = w;
        }
    for (size_t r = 0; r <= t->nrows; r++) {
        char **cells = r == 0 ? t->names : t->rows[r - 1];
        for (int i = 0; i < t->ncols; i++) {
            const char *c = cells[i] ? cells[i] : "";
            fputs(c, f);
            if (i + 1 < t->ncols) fprintf(f, "%*s", width[i] - out_display_width(c) + 2, "");
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
