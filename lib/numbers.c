/* SPDX-License-Identifier: MIT
 * numbers.c - numbers read and written the same whatever locale the
 * program set: a C program that calls setlocale(LC_ALL, "de_DE.UTF-8")
 * must still load "0.3" from a rule file, import 1250000.5, write JSON
 * with decimal points, and hash the same canonical text as everyone else
 * (docs/api.md, "Locales").
 *
 * Reading goes through strtod_l with the C locale; writing switches this
 * thread's locale to C with uselocale() for the call and back after, so
 * another thread of the program keeps its own.
 */
#define _GNU_SOURCE 1 /* strtod_l */
#include "config.h"

#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static locale_t the_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

double qc__strtod(const char *s, char **end)
{
    locale_t c = the_c_locale();
    return c ? strtod_l(s, end, c) : strtod(s, end);
}

qc__numbers qc__numbers_begin(void)
{
    locale_t c = the_c_locale();
    return (qc__numbers){c ? uselocale(c) : (locale_t)0};
}

void qc__numbers_end(qc__numbers saved)
{
    if (saved.old) uselocale(saved.old);
}

int qc__snprintf_c(char *buf, size_t size, const char *fmt, ...)
{
    qc__numbers n = qc__numbers_begin();
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    qc__numbers_end(n);
    return len;
}

int qc__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap)
{
    qc__numbers n = qc__numbers_begin();
    int len = vsnprintf(buf, size, fmt, ap);
    qc__numbers_end(n);
    return len;
}
