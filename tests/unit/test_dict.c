/* dict.c: interning gives dense codes, stable across growth. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

Test(dict, dense_codes_in_order_of_first_sight) {
    pdict d;
    pd_init(&d);
    cr_assert_eq(pd_intern(&d, "P4", 2), 0);
    cr_assert_eq(pd_intern(&d, "P3", 2), 1);
    cr_assert_eq(pd_intern(&d, "P4", 2), 0);
    cr_assert_eq(pd_find(&d, "P3", 2), 1);
    cr_assert_eq(pd_find(&d, "P5", 2), -1);
    cr_assert_eq(pd_intern(&d, "", 0), 2);
    cr_assert_str_eq(pd_str(&d, 1), "P3");
    cr_assert_eq(d.n, 3);
    pd_free(&d);
}

Test(dict, survives_rehash_and_arena_growth) {
    pdict d;
    pd_init(&d);
    char buf[32];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf(buf, sizeof buf, "S%07d", i);
        cr_assert_eq(pd_intern(&d, buf, (size_t)n), i);
    }
    for (int i = 0; i < 200000; i += 997) {
        int n = snprintf(buf, sizeof buf, "S%07d", i);
        cr_assert_eq(pd_find(&d, buf, (size_t)n), i);
        cr_assert_str_eq(pd_str(&d, (uint32_t)i), buf);
    }
    /* a key longer than one arena chunk */
    static char big[100000];
    memset(big, 'x', sizeof big);
    cr_assert_eq(pd_intern(&d, big, sizeof big), 200000);
    cr_assert_eq(pd_find(&d, big, sizeof big), 200000);
    pd_free(&d);
}
