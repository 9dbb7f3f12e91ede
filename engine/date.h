/*
** date.h -- calendar dates as day numbers (days since 1970-01-01).
*/
#ifndef PARITY_DATE_H
#define PARITY_DATE_H

#include "common.h"

#define DATE_NONE INT32_MIN

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Parses s (len bytes) with the strptime-style format fmt, or strict ISO
** YYYY-MM-DD when fmt is NULL. Returns false when s is not a valid date in
** that format (trailing text, day 31 of a 30-day month, ...). */
bool date_parse(const char *s, size_t len, const char *fmt, int32_t *out);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void date_format(int32_t days, char out[11]);
/* The date as a decimal year, e.g. 2020-07-02 -> 2020.5. */
double date_decimal_year(int32_t days);

#endif /* PARITY_DATE_H */
