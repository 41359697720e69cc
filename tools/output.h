/* SPDX-License-Identifier: MIT
 * output.h - tables for the quotacase command: text (aligned, counting
 * Chinese characters as two columns), CSV (RFC 4180) and JSON.
 */
#ifndef QC_TOOL_OUTPUT_H
#define QC_TOOL_OUTPUT_H

#include <stdio.h>

typedef enum out_format { OUT_TEXT, OUT_CSV, OUT_JSON } out_format;

typedef struct out_table out_table;

/* A table with ncols named columns; cells are copied.  NULL cell = empty
 * (JSON null). */
out_table *out_table_new(int ncols, const char *const *names);
int out_table_add_row(out_table *t, const char *const *cells);
/* Order the rows by column col's text (stable: equal cells keep their
 * order); dates YYYY-MM-DD sort as days. */
void out_table_sort(out_table *t, int col);
/* In JSON, write column col's cells as literals (numbers, true/false). */
void out_table_set_raw(out_table *t, int col);
void out_table_print(const out_table *t, out_format fmt, FILE *f);
void out_table_free(out_table *t);

/* Terminal columns a UTF-8 string takes (East Asian wide characters: 2). */
int out_display_width(const char *s);

/* Write s as a JSON string literal. */
void out_json_string(FILE *f, const char *s);

/* Text output: s with control characters (C0, DEL, C1) written as \n,
 * \t, \x1b, \u009b ... so a stored value cannot steer the terminal.
 * out_text_escape returns a copy to free, or NULL when s needs none. */
char *out_text_escape(const char *s);
void out_text(FILE *f, const char *s);

/* Write s as one CSV field. */
void out_csv_field(FILE *f, const char *s);

#endif
