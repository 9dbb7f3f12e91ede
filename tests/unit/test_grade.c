/* grade.c and the grade handling of table.c: spellings, scales, ranks. */
#include <criterion/criterion.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static const char *norm(const char *s) {
    static char buf[64];
    grade_normalise(s, strlen(s), buf, sizeof buf);
    return buf;
}

Test(grade, spellings) {
    cr_assert_str_eq(norm("P-4"), "P4");
    cr_assert_str_eq(norm("p4"), "P4");
    cr_assert_str_eq(norm("P 4"), "P4");
    cr_assert_str_eq(norm(" p_4. "), "P4");
    cr_assert_str_eq(norm("GS-5"), "G5");
    cr_assert_str_eq(norm("no-a"), "NOA");
    cr_assert_str_eq(norm("usg"), "USG");
}

Test(grade, un_scale_codes_are_ranks) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(table_grade_code(t, "G1", 2), 0);
    cr_assert_eq(table_grade_code(t, "p-4", 3), 15); /* 7 G, 5 NO, then P1..P4 */
    cr_assert_eq(table_grade_code(t, "D1", 2), 17);
    cr_assert_eq(table_grade_code(t, "USG", 3), 20);
    cr_assert_eq(table_grade_code(t, "P7", 2), -1);
    cr_assert_str_eq(dict_str(&t->categories, t->grade_cat[15]), "P");
    cr_assert_str_eq(dict_str(&t->categories, t->grade_cat[19]), "Senior");
    parity_table_free(t);
}

Test(grade, as_listed_and_numeric_and_none) {
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_set_grades(c, "Junior, Mid ,Senior"), PARITY_OK);
    parity_table *t = parity_table_new(c);
    cr_assert_eq(table_grade_code(t, "mid", 3), 1);
    cr_assert_eq(table_grade_code(t, "Lead", 4), -1);
    parity_table_free(t);

    cr_assert_eq(parity_config_set_grades(c, "A,B,a"), PARITY_USAGE); /* repeated */

    cr_assert_eq(parity_config_set_grade_order(c, "numeric"), PARITY_OK);
    t = parity_table_new(c);
    const char *csv = "snapshot_date,sex,grade\n2020-12-31,F,10\n2020-12-31,M,9\n"
                      "2020-12-31,M,09\n2020-12-31,F,25\n";
    cr_assert_eq(parity_table_load_csv_buffer(t, "n.csv", csv, strlen(csv), NULL), PARITY_OK);
    cr_assert_eq(t->grades.n, 3); /* 10, 9 (= 09), 25 */
    int64_t g9 = dict_find(&t->grades, "9", 1), g10 = dict_find(&t->grades, "10", 2),
            g25 = dict_find(&t->grades, "25", 2);
    cr_assert(t->grade_rank[g9] < t->grade_rank[g10] && t->grade_rank[g10] < t->grade_rank[g25]);
    cr_assert_eq(table_grade_code(t, "abc", 3), -1);
    parity_table_free(t);

    cr_assert_eq(parity_config_set_grade_order(c, "none"), PARITY_OK);
    t = parity_table_new(c);
    cr_assert_eq(table_grade_code(t, " M2 ", 4), 0); /* kept as written, trimmed */
    cr_assert_eq(table_grade_code(t, "m2", 2), 1);   /* no normalisation when unordered */
    cr_assert_eq(t->grade_rank[0], -1);
    parity_table_free(t);
    cr_assert_eq(parity_config_set_grade_order(c, "alphabetical"), PARITY_USAGE);
    parity_config_free(c);
}
