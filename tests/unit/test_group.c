/* group.c: dimension lists, keys and output order.
**
** - a list is split once: blanks around names and empty names dropped;
** - NULL is "grade" and "" the whole population;
** - keys are mixed-radix codes (worked by hand on a 2 x 3 grouping), sorted
**   into the grade scale's order, then dates, then natural order with
**   blanks last;
** - the errors a caller can make, each with its message. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "group.h"

/* grades D1, P5, P2 (the scale puts P2 < P5 < D1); units in file order
** "Unit 10", "", "Unit 9" */
static const char *csv = "snapshot_date,staff_id,sex,grade,unit\n"
                         "2023-12-31,a,F,D1,Unit 10\n"
                         "2023-12-31,b,M,P5,\n"
                         "2023-12-31,c,F,P2,Unit 9\n";

Test(group, split_drops_blanks_and_empty_names) {
    char *buf;
    const char **names;
    size_t n;
    cr_assert_eq(group_split(" department ,, grade,", &buf, &names, &n), PARITY_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(names[0], "department");
    cr_assert_str_eq(names[1], "grade");
    free(names);
    free(buf);
    cr_assert_eq(group_split("", &buf, &names, &n), PARITY_OK);
    cr_assert_eq(n, 0);
    free(names);
    free(buf);
}

Test(group, null_is_grade_and_empty_is_everyone) {
    parity_table *t = fixture_table(csv);
    char err[PARITY_ERRMSG_MAX];
    grouping g;
    cr_assert_eq(group_init(&g, t, NULL, err), PARITY_OK);
    cr_assert_eq(g.ndim, 1);
    cr_assert_eq(g.dim[0].kind, GROUP_GRADE);
    cr_assert_eq(g.nkeys, t->grades.n);
    group_free(&g);
    cr_assert_eq(group_init(&g, t, "", err), PARITY_OK);
    cr_assert_eq(g.ndim, 0);
    cr_assert_eq(g.nkeys, 1);
    group_free(&g);
    /* the same grouping from names as from the list */
    const char *names[] = {"unit", "grade"};
    grouping h;
    cr_assert_eq(group_init(&g, t, "unit,grade", err), PARITY_OK);
    cr_assert_eq(group_init_names(&h, t, names, 2, err), PARITY_OK);
    cr_assert_eq(g.ndim, h.ndim);
    cr_assert_eq(g.nkeys, h.nkeys);
    for (size_t d = 0; d < g.ndim; d++) cr_assert_eq(g.dim[d].stride, h.dim[d].stride);
    group_free(&g);
    group_free(&h);
    parity_table_free(t);
}

Test(group, keys_are_mixed_radix_and_sort_into_output_order) {
    parity_table *t = fixture_table(csv);
    char err[PARITY_ERRMSG_MAX];
    grouping g;
    cr_assert_eq(group_init(&g, t, "unit, grade", err), PARITY_OK, "%s", err);
    /* unit codes: "" 0, "Unit 10" 1, "Unit 9" 2 (the blank is interned
    ** first); grade codes are places on the UN scale, held whole */
    cr_assert_eq(g.dim[0].card, 3);
    cr_assert_eq(g.dim[1].card, t->grades.n);
    cr_assert_eq(g.dim[0].stride, 1);
    cr_assert_eq(g.dim[1].stride, 3);
    cr_assert_eq(g.nkeys, 3 * t->grades.n);
    int64_t p2 = group_find(&g, t, 1, "P-2"), p5 = group_find(&g, t, 1, "P5"),
            d1 = group_find(&g, t, 1, "D1"); /* a spelling finds its grade */
    cr_assert(p2 >= 0 && p5 >= 0 && d1 >= 0);
    cr_assert_str_eq(dict_str(&t->grades, (uint32_t)p2), "P2");
    cr_assert_eq(group_find(&g, t, 0, "Unit 9"), 2);
    cr_assert_eq(group_find(&g, t, 0, "Unit 99"), -1);
    /* row 1 is b: unit "" (0), grade P5: key 0 + 3 * p5 */
    cr_assert_eq(group_key(&g, t, 1, 0), (uint64_t)(3 * p5));
    /* row 2 is c: "Unit 9" (2), P2: 2 + 3 * p2 */
    cr_assert_eq(group_key(&g, t, 2, 0), (uint64_t)(2 + 3 * p2));

    /* output order: the first dimension varies slowest; units in natural
    ** order (9 before 10), blank last; grades on the scale (P2, P5, D1) */
    const int64_t grade[3] = {d1, p2, p5};
    uint64_t keys[9];
    for (int k = 0; k < 9; k++) keys[k] = (uint64_t)(k % 3 + 3 * grade[k / 3]);
    cr_assert_eq(group_sort(&g, keys, 9), PARITY_OK);
    const uint64_t want[9] = {
        (uint64_t)(2 + 3 * p2), (uint64_t)(2 + 3 * p5), (uint64_t)(2 + 3 * d1), /* Unit 9 */
        (uint64_t)(1 + 3 * p2), (uint64_t)(1 + 3 * p5), (uint64_t)(1 + 3 * d1), /* Unit 10 */
        (uint64_t)(0 + 3 * p2), (uint64_t)(0 + 3 * p5), (uint64_t)(0 + 3 * d1), /* blank */
    };
    for (int k = 0; k < 9; k++)
        cr_assert_eq(keys[k], want[k], "position %d: %lu", k, (unsigned long)keys[k]);
    group_free(&g);
    parity_table_free(t);
}

Test(group, the_callers_mistakes_are_named) {
    parity_table *t = fixture_table(csv);
    char err[PARITY_ERRMSG_MAX];
    grouping g;
    cr_assert_eq(group_init(&g, t, "salary", err), PARITY_USAGE);
    cr_assert(strstr(err, "unknown dimension \"salary\""), "%s", err);
    cr_assert(strstr(err, "unit"), "the message lists what there is: %s", err);
    cr_assert_eq(group_init(&g, t, "grade,GRADE", err), PARITY_USAGE);
    cr_assert(strstr(err, "names \"grade\" twice"), "%s", err);
    cr_assert_eq(group_init(&g, t, "sex", err), PARITY_USAGE);
    cr_assert(strstr(err, "already broken down by sex"), "%s", err);
    cr_assert_eq(g.ndim, 0); /* nothing left to free on failure */
    parity_table_free(t);
    /* no grade column: grade and category are not dimensions */
    t = fixture_table("snapshot_date,sex,unit\n2023-12-31,F,A\n");
    cr_assert_eq(group_init(&g, t, "category", err), PARITY_USAGE);
    cr_assert(strstr(err, "no grade column"), "%s", err);
    parity_table_free(t);
}
