/* SPDX-License-Identifier: MIT
 * dates.c - ISO-8601 dates and times as int64_t days and seconds.
 *
 * Days count from 1970-01-01 in the proleptic Gregorian calendar, with no
 * time zones: a case registered on 2017-05-01 is registered on that day
 * wherever the program runs.  The conversion is Howard Hinnant's
 * days_from_civil algorithm, exact for every year we accept (1900-2999).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned month_days(int y, unsigned m)
{
    static const unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Read exactly n digits. */
static bool digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

#define MIN_YEAR 1900
#define MAX_YEAR 2999

/* Parse the YYYY-MM-DD at the start of s. */
static bool parse_ymd(const char *s, int64_t *days)
{
    unsigned y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > month_days((int)y, m))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

QC_EXTERN int qc_date_parse(int64_t *days, const char *text)
{
    if (!days || !text) return qc__error(QC_EINVAL, "qc_date_parse: NULL argument");
    if (strlen(text) != 10 || !parse_ymd(text, days))
        return qc__error(QC_EDATE, "invalid date '%.40s' (want YYYY-MM-DD, years %d-%d)", text,
                         MIN_YEAR, MAX_YEAR);
    return QC_OK;
}

QC_EXTERN int qc_datetime_parse(int64_t *seconds, const char *text)
{
    if (!seconds || !text) return qc__error(QC_EINVAL, "qc_datetime_parse: NULL argument");
    size_t n = strlen(text);
    int64_t days;
    unsigned hh = 0, mm = 0, ss = 0;
    bool ok = n >= 10 && parse_ymd(text, &days);
    if (ok && n > 10) {
        ok = (text[10] == 'T' || text[10] == ' ') && (n == 16 || n == 19) &&
             digits(text + 11, 2, &hh) && text[13] == ':' && digits(text + 14, 2, &mm) &&
             (n == 16 || (text[16] == ':' && digits(text + 17, 2, &ss))) && hh < 24 && mm < 60 &&
             ss < 60;
    }
    if (!ok)
        return qc__error(QC_EDATE,
                         "invalid time '%.40s' (want YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])", text);
    *seconds = days * 86400 + hh * 3600 + mm * 60 + ss;
    return QC_OK;
}

/* The days of 1900-01-01 and 2999-12-31 (check_model tests both ends). */
#define MIN_DAY (-25567)
#define MAX_DAY 376199

bool qc__date_in_range(int64_t days) { return days >= MIN_DAY && days <= MAX_DAY; }

int64_t qc__add_months(int64_t day, int months)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    bool last = d == month_days(y, m);
    int64_t k = (int64_t)y * 12 + (m - 1) + months;
    int ty = (int)(k >= 0 ? k / 12 : -((-k + 11) / 12));
    unsigned tm = (unsigned)(k - (int64_t)ty * 12) + 1, end = month_days(ty, tm);
    /* from the last day of a month to the last day of the target month;
     * else the same day, or the month's last when it has no such day */
    return days_from_civil(ty, tm, last || d > end ? end : d);
}

int qc__year_of(int64_t day)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    return y;
}

int qc__weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t w = (day + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

void qc__period_before(int64_t from, int64_t to, int n, int64_t *before_from, int64_t *before_to)
{
    int fy, ty;
    unsigned fm, fd, tm, td;
    civil_from_days(from, &fy, &fm, &fd);
    civil_from_days(to + 1, &ty, &tm, &td); /* the day after: the 1st of a month if to ends one */
    if (fd == 1 && td == 1) {
        /* whole calendar months (a year, half, quarter or month): the same
         * number of months before, whatever their lengths in days */
        int64_t months = ((int64_t)ty * 12 + tm) - ((int64_t)fy * 12 + fm), first = (int64_t)fy * 12 + (fm - 1) - months * n;
        int64_t end = first + months; /* the month after the earlier period, as y * 12 + m - 1 */
        int64_t fy0 = first >= 0 ? first / 12 : -((-first + 11) / 12), ey = end >= 0 ? end / 12 : -((-end + 11) / 12);
        *before_from = days_from_civil(fy0, (unsigned)(first - fy0 * 12) + 1, 1);
        *before_to = days_from_civil(ey, (unsigned)(end - ey * 12) + 1, 1) - 1;
        return;
    }
    int64_t len = to - from + 1;
    *before_from = from - len * n;
    *before_to = to - len * n;
}

QC_EXTERN int qc_date_format(char *buf, size_t size, int64_t days)
{
    int y;
    unsigned m, d;
    if (!buf || size < 11) return qc__error(QC_EINVAL, "qc_date_format: buffer too small");
    civil_from_days(days, &y, &m, &d);
    if (y < MIN_YEAR || y > MAX_YEAR) {
        buf[0] = '\0';
        return qc__error(QC_EINVAL, "qc_date_format: day %lld is outside years %d-%d",
                         (long long)days, MIN_YEAR, MAX_YEAR);
    }
    /* digit by digit: records write the text form of every date they
     * are given, so this is on the path of every row read (years are
     * 1900-2999: four digits) */
    buf[0] = (char)('0' + y / 1000), buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10);
    buf[4] = '-', buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10);
    buf[7] = '-', buf[8] = (char)('0' + d / 10), buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return QC_OK;
}

QC_EXTERN int qc_datetime_format(char *buf, size_t size, int64_t seconds)
{
    if (!buf || size < 20) return qc__error(QC_EINVAL, "qc_datetime_format: buffer too small");
    int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    int64_t rest = seconds - days * 86400;
    int rc = qc_date_format(buf, size, days);
    if (rc < 0) return rc;
    int parts[3] = {(int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60)};
    char *p = buf + 10;
    for (int i = 0; i < 3; i++) {
        *p++ = i ? ':' : 'T';
        *p++ = (char)('0' + parts[i] / 10);
        *p++ = (char)('0' + parts[i] % 10);
    }
    *p = '\0';
    return QC_OK;
}
