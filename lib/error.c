/* SPDX-License-Identifier: MIT
 * error.c - the per-thread last error, and the names of status codes.
 *
 * The only mutable state of the library besides the backend registry: one
 * message buffer per thread.  A failing function sets the message once,
 * where the failure is known, and callers pass the code up unchanged;
 * callers that know more context (the file and line of an import) prefix
 * it with qc__error_prefix().
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

#define QC_ERROR_BYTES 1024

static _Thread_local char error_message[QC_ERROR_BYTES];
static _Thread_local int error_code;

static _Thread_local int error_ndetails;

/* Every failure replaces the whole error state: the details of an older
 * failure must not be read as this one's. */
int qc__verror(int code, const char *fmt, va_list ap)
{
    error_ndetails = 0;
    qc__vsnprintf_c(error_message, sizeof error_message, fmt, ap);
    /* One line, always: a newline in a quoted value would break logs. */
    for (char *p = error_message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    error_code = code;
    return code;
}

int qc__error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qc__verror(code, fmt, ap);
    va_end(ap);
    return code;
}

void qc__error_prefix(const char *fmt, ...)
{
    char prefix[512], old[QC_ERROR_BYTES];
    va_list ap;
    va_start(ap, fmt);
    qc__vsnprintf_c(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, error_message, sizeof old);
    /* Truncation is fine: the location comes first and matters most. */
    size_t len = strlen(prefix);
    memcpy(error_message, prefix, len);
    if (len + 2 < sizeof error_message) {
        memcpy(error_message + len, ": ", 2);
        len += 2;
    }
    size_t rest = strlen(old);
    if (rest > sizeof error_message - 1 - len) rest = sizeof error_message - 1 - len;
    memcpy(error_message + len, old, rest);
    error_message[len + rest] = '\0';
}

bool qc__index_error(const void *handle, int i, int n, const char *fn)
{
    if (!handle) qc__error(QC_EINVAL, "%s: NULL handle", fn);
    else if (n <= 0) qc__error(QC_EINVAL, "%s: index %d, but there are none", fn, i);
    else qc__error(QC_EINVAL, "%s: index %d is out of range (0 to %d)", fn, i, n - 1);
    return false;
}

int qc__error_keep(qc__saved_error *saved)
{
    saved->code = error_code;
    memcpy(saved->message, error_message, sizeof saved->message);
    return error_code;
}

int qc__error_restore(const qc__saved_error *saved)
{
    error_ndetails = 0;
    error_code = saved->code;
    memcpy(error_message, saved->message, sizeof error_message);
    return error_code;
}

/* All the problems of the last failure that found several (a rule file's
 * errors), one message each. */
#define QC_ERROR_DETAILS 50
#define QC_DETAIL_BYTES 512
static _Thread_local char error_details[QC_ERROR_DETAILS][QC_DETAIL_BYTES];

void qc__error_details_set(const char *const *messages, int n)
{
    error_ndetails = n < QC_ERROR_DETAILS ? n : QC_ERROR_DETAILS;
    for (int i = 0; i < error_ndetails; i++) snprintf(error_details[i], QC_DETAIL_BYTES, "%s", messages[i]);
}

QC_EXTERN int qc_error_detail_count(void) { return error_ndetails; }

QC_EXTERN const char *qc_error_detail(int i)
{
    return i >= 0 && i < error_ndetails ? error_details[i] : NULL;
}

QC_EXTERN const char *qc_error_last(void) { return error_message; }
QC_EXTERN int qc_error_code(void) { return error_code; }

QC_EXTERN void qc_error_clear(void)
{
    error_message[0] = '\0';
    error_code = QC_OK;
    error_ndetails = 0;
}

QC_EXTERN int qc_backend_error(int code, const char *message)
{
    return qc__error(code, "%s", message ? message : qc_strerror(code));
}

static const struct {
    int code;
    const char *name, *text;
} status_table[] = {
    {QC_OK, "QC_OK", "success"},
    {QC_ERROR, "QC_ERROR", "failure"},
    {QC_ENOMEM, "QC_ENOMEM", "out of memory"},
    {QC_EINVAL, "QC_EINVAL", "invalid argument"},
    {QC_EIO, "QC_EIO", "input/output error"},
    {QC_ENOTFOUND, "QC_ENOTFOUND", "no such record"},
    {QC_EEXIST, "QC_EEXIST", "duplicate id"},
    {QC_ENOREF, "QC_ENOREF", "reference to an unknown record"},
    {QC_EDATE, "QC_EDATE", "invalid date or time"},
    {QC_ETYPE, "QC_ETYPE", "value of the wrong type"},
    {QC_EUTF8, "QC_EUTF8", "invalid UTF-8"},
    {QC_ETOOLONG, "QC_ETOOLONG", "value too long"},
    {QC_EEMPTY, "QC_EEMPTY", "empty input"},
    {QC_ESYNTAX, "QC_ESYNTAX", "syntax error"},
    {QC_EUNKNOWN, "QC_EUNKNOWN", "unknown field, column or kind"},
    {QC_EMISSING, "QC_EMISSING", "required field missing"},
    {QC_EVALUE, "QC_EVALUE", "value outside its vocabulary"},
    {QC_EBACKEND, "QC_EBACKEND", "storage backend failure"},
    {QC_EUNSUPPORTED, "QC_EUNSUPPORTED", "not supported by this backend"},
    {QC_ESCHEMA, "QC_ESCHEMA", "incompatible or corrupt store schema"},
    {QC_ESTATE, "QC_ESTATE", "call not valid in this state"},
    {QC_ECONST, "QC_ECONST", "condition always or never holds"},
    {QC_ERULES, "QC_ERULES", "invalid rule file"},
    {QC_ETESTFAIL, "QC_ETESTFAIL", "rule tests failed"},
    {QC_ETAMPERED, "QC_ETAMPERED", "the store was changed outside the library"},
    {QC_EDENIED, "QC_EDENIED", "outside the store's office scope"},
    {QC_ITEROVER, "QC_ITEROVER", "iteration over"},
};

QC_EXTERN const char *qc_strerror(int code)
{
    for (size_t i = 0; i < QC__ARRAY_LEN(status_table); i++)
        if (status_table[i].code == code)
            return status_table[i].text;
    return "unknown status code";
}

QC_EXTERN const char *qc_status_name(int code)
{
    for (size_t i = 0; i < QC__ARRAY_LEN(status_table); i++)
        if (status_table[i].code == code)
            return status_table[i].name;
    return "QC_UNKNOWN";
}
