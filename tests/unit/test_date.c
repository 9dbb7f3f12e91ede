/* date.c: day numbers, strict ISO, strptime formats. */
#include <criterion/criterion.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

Test(date, day_numbers) {
    cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
    cr_assert_eq(date_from_ymd(2000, 1, 1), 10957); /* 30 years incl. 7 leap days */
    cr_assert_eq(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2); /* 2000 leap */
    cr_assert_eq(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1); /* 1900 not */
    cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
    int y, m, d;
    date_to_ymd(date_from_ymd(2028, 12, 31), &y, &m, &d);
    cr_assert(y == 2028 && m == 12 && d == 31);
    char out[11];
    date_format(date_from_ymd(2023, 7, 4), out);
    cr_assert_str_eq(out, "2023-07-04");
}

Test(date, strict_iso) {
    int32_t v;
    cr_assert(date_parse("2024-02-29", 10, NULL, &v));
    cr_assert_eq(v, date_from_ymd(2024, 2, 29));
    cr_assert_not(date_parse("2023-02-29", 10, NULL, &v));
    cr_assert_not(date_parse("2023-04-31", 10, NULL, &v));
    cr_assert_not(date_parse("2023-13-01", 10, NULL, &v));
    cr_assert_not(date_parse("2023-1-01", 9, NULL, &v));
    cr_assert_not(date_parse("2023/01/01", 10, NULL, &v));
    cr_assert_not(date_parse("2023-01-01x", 11, NULL, &v));
}

Test(date, other_formats) {
    int32_t v;
    /* US data: 5/30/1999 and 5/30/1999 0:00 (Cincinnati's HIRE_DATE) */
    cr_assert(date_parse("5/30/1999", 9, "%m/%d/%Y", &v));
    cr_assert_eq(v, date_from_ymd(1999, 5, 30));
    cr_assert(date_parse("5/30/1999 0:00", 14, "%m/%d/%Y %H:%M", &v));
    cr_assert_eq(v, date_from_ymd(1999, 5, 30));
    cr_assert_not(date_parse("5/30/1999 junk", 14, "%m/%d/%Y", &v));
    cr_assert_not(date_parse("2/30/1999", 9, "%m/%d/%Y", &v));
}

Test(date, decimal_year) {
    cr_assert_float_eq(date_decimal_year(date_from_ymd(2020, 1, 1)), 2020.0, 1e-12);
    /* 2020 is a leap year: 2 July is day 183 of 366 -> .5 exactly */
    cr_assert_float_eq(date_decimal_year(date_from_ymd(2020, 7, 2)), 2020.5, 1e-12);
}
