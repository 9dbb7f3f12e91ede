/*
** date.c -- calendar dates as day numbers.
**
** Dates are int32 days since 1970-01-01 (proleptic Gregorian), computed with
** Howard Hinnant's days_from_civil, so no time zone or libc time function is
** involved. ISO dates are parsed strictly by hand (that is the hot path of a
** load: one call per distinct string thanks to the caller's memo); any other
** format goes through strptime and must consume the whole field.
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

int32_t date_from_ymd(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t z, int *y, int *m, int *d) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m) {
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

static bool valid_ymd(int y, int m, int d) {
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

static bool digits(const char *s, size_t n, int *out) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool date_parse(const char *s, size_t len, const char *fmt, int32_t *out) {
    int y, m, d;
    if (!fmt) {
        if (len != 10 || s[4] != '-' || s[7] != '-') return false;
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
            return false;
    } else {
        char buf[64];
        if (len >= sizeof buf) return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_mday = 1;
        const char *end = strptime(buf, fmt, &tm);
        if (!end) return false;
        while (*end == ' ') end++;
        if (*end) return false;
        y = tm.tm_year + 1900;
        m = tm.tm_mon + 1;
        d = tm.tm_mday;
    }
    if (!valid_ymd(y, m, d)) return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

void date_format(int32_t days, char out[11]) {
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    /* y is 1..9999 for every date the parser accepts */
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + um / 10);
    out[6] = (char)('0' + um % 10);
    out[7] = '-';
    out[8] = (char)('0' + ud / 10);
    out[9] = (char)('0' + ud % 10);
    out[10] = '\0';
}

double date_decimal_year(int32_t days) {
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    int32_t start = date_from_ymd(y, 1, 1);
    int32_t next = date_from_ymd(y + 1, 1, 1);
    return y + (double)(days - start) / (double)(next - start);
}
