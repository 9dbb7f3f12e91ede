/*
** fixture.h -- what the unit tests share: a table loaded from CSV text.
*/
#ifndef PARITY_TEST_FIXTURE_H
#define PARITY_TEST_FIXTURE_H

#include <criterion/criterion.h>
#include <string.h>

#include "parity.h"

/* A new table with csv loaded (default configuration); the test fails,
** showing the message, when it does not load. */
static inline parity_table *fixture_table(const char *csv) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_not_null(t);
    cr_assert_eq(parity_table_load_csv_buffer(t, "fixture.csv", csv, strlen(csv), NULL), PARITY_OK,
                 "%s", parity_table_errmsg(t));
    return t;
}

#endif /* PARITY_TEST_FIXTURE_H */
