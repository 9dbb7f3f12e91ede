/* dict.c: interning gives dense codes, stable across growth. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

Test(dict, dense_codes_in_order_of_first_sight) {
    dictionary d;
    dict_init(&d);
    cr_assert_eq(dict_intern(&d, "P4", 2), 0);
    cr_assert_eq(dict_intern(&d, "P3", 2), 1);
    cr_assert_eq(dict_intern(&d, "P4", 2), 0);
    cr_assert_eq(dict_find(&d, "P3", 2), 1);
    cr_assert_eq(dict_find(&d, "P5", 2), -1);
    cr_assert_eq(dict_intern(&d, "", 0), 2);
    cr_assert_str_eq(dict_str(&d, 1), "P3");
    cr_assert_eq(d.n, 3);
    dict_free(&d);
}

Test(dict, survives_rehash_and_arena_growth) {
    dictionary d;
    dict_init(&d);
    char buf[32];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf(buf, sizeof buf, "S%07d", i);
        cr_assert_eq(dict_intern(&d, buf, (size_t)n), i);
    }
    for (int i = 0; i < 200000; i += 997) {
        int n = snprintf(buf, sizeof buf, "S%07d", i);
        cr_assert_eq(dict_find(&d, buf, (size_t)n), i);
        cr_assert_str_eq(dict_str(&d, (uint32_t)i), buf);
    }
    /* a key longer than one arena chunk */
    static char big[100000];
    memset(big, 'x', sizeof big);
    cr_assert_eq(dict_intern(&d, big, sizeof big), 200000);
    cr_assert_eq(dict_find(&d, big, sizeof big), 200000);
    dict_free(&d);
}

Test(dict, prefixes_and_extensions_are_different_strings) {
    dictionary d;
    dict_init(&d);
    cr_assert_eq(dict_intern(&d, "abc", 3), 0);
    cr_assert_eq(dict_find(&d, "ab", 2), -1);
    cr_assert_eq(dict_find(&d, "abcd", 4), -1);
    cr_assert_eq(dict_intern_hint(&d, "ab", 2, 0), 1);   /* a wrong hint */
    cr_assert_eq(dict_intern_hint(&d, "abcd", 4, 0), 2);
    cr_assert_eq(dict_intern_hint(&d, "abc", 3, 0), 0);  /* a right one */
    cr_assert_eq(dict_intern_hint(&d, "abc", 3, 99), 0); /* out of range */
    cr_assert_eq(d.n, 3);
    dict_free(&d);
}

Test(dict, added_strings_are_found_once_indexed) {
    /* dict_add() leaves the index alone (a store reload adds a million staff
    ** ids and may never look one up); the first look-up takes them in */
    dictionary d;
    dict_init(&d);
    char buf[32];
    cr_assert_eq(dict_intern(&d, "first", 5), 0);
    cr_assert_eq(dict_reserve(&d, 50001), 0);
    for (int i = 1; i <= 50000; i++) {
        int n = snprintf(buf, sizeof buf, "id-%d", i);
        cr_assert_eq(dict_add(&d, buf, (size_t)n), i);
    }
    cr_assert_eq(d.nindexed, 1);
    cr_assert_eq(dict_find(&d, "id-31337", 8), 31337);
    cr_assert_eq(d.nindexed, 50001);
    cr_assert_eq(dict_add(&d, "late", 4), 50001);
    cr_assert_eq(dict_intern(&d, "late", 4), 50001); /* added, then interned: one code */
    cr_assert_eq(dict_intern(&d, "new", 3), 50002);
    cr_assert_eq(dict_find(&d, "first", 5), 0);
    cr_assert_eq(dict_find(&d, "id-50001", 8), -1);
    dict_free(&d);
}
