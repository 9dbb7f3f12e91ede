/* csvload.c: RFC 4180 input, mapping, diagnostics, all-or-nothing loads. */
#include <criterion/criterion.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static int load(parity_table *t, const char *csv, const char *date) {
    return parity_table_load_csv_buffer(t, "t.csv", csv, strlen(csv), date);
}

Test(csvload, messy_file_values) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/messy.csv", NULL), PARITY_OK);
    cr_assert_eq(parity_table_nrows(t), 10);
    cr_assert_eq(parity_table_nsnapshots(t), 2);
    char d[11];
    size_t rows;
    parity_table_snapshot(t, 0, d, &rows);
    cr_assert_str_eq(d, "2022-12-31");
    cr_assert_eq(rows, 2);
    parity_table_snapshot(t, 1, d, &rows);
    cr_assert_str_eq(d, "2023-12-31");
    cr_assert_eq(rows, 8);
    /* the quoted name with an embedded CRLF is one field: extra column Name */
    long c = table_find_col(t, "name");
    cr_assert_geq(c, 0);
    cr_assert_neq(dict_find(&t->cols[c].dict, "Doe,\r\nJane", 10), -1);
    cr_assert_neq(dict_find(&t->cols[c].dict, "O\"Brien, Pat", 12), -1);
    /* staff ids are shared by both snapshots: 8 distinct people */
    cr_assert_eq(t->staff_ids.n, 8);
    parity_table_free(t);
}

Test(csvload, header_case_order_and_mapping) {
    parity_config *c = parity_config_new();
    parity_config_set_column(c, "sex", "Gender");
    parity_config_set_sex_code(c, "Woman", "F");
    parity_config_set_sex_code(c, "Man", "m");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(load(t, "GRADE,gender\nP4,Woman\nP4,Man\nP3,  woman \n", "2020-12-31"),
                 PARITY_OK);
    cr_assert_eq(t->sex[0], SEX_F);
    cr_assert_eq(t->sex[1], SEX_M);
    cr_assert_eq(t->sex[2], SEX_F);
    cr_assert_eq(parity_config_set_sex_code(c, "Q", "Z"), PARITY_USAGE);
    /* any name may be mapped; the names parity derives may not */
    cr_assert_eq(parity_config_set_column(c, "salary", "Pay"), PARITY_OK);
    cr_assert_eq(parity_config_set_column(c, "category", "Cat"), PARITY_USAGE);
    cr_assert_eq(parity_config_set_column(c, "pay", "Pay"), PARITY_USAGE); /* Pay is salary's */
    parity_table_free(t);
    parity_config_free(c);
}

Test(csvload, us_dates_by_format) {
    parity_config *c = parity_config_new();
    parity_config_set_date_format(c, NULL, "%m/%d/%Y %H:%M");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(load(t, "snapshot_date,sex,grade,entry_date\n12/31/2020 0:00,F,P4,5/30/1999 0:00\n",
                      NULL),
                 PARITY_OK);
    cr_assert_eq(t->snap[0].date, date_from_ymd(2020, 12, 31));
    cr_assert_eq(table_date_of(t, &t->entry_date, 0), date_from_ymd(1999, 5, 30));
    parity_table_free(t);
    parity_config_free(c);
}

Test(csvload, every_problem_reported_and_nothing_kept) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "staff_id,snapshot_date,sex,grade\n1,2020-12-31,F,P4\n", NULL), PARITY_OK);
    cr_assert_eq(parity_table_nrows(t), 1);
    const char *bad = "staff_id,snapshot_date,sex,grade,unit\n"
                      "2,2020-12-31,F,P4,A\n"
                      "3,2020-12-31,Q,P4,A\n"   /* line 3: sex */
                      "4,2020-13-01,F,P4,A\n"   /* line 4: date */
                      "5,2020-12-31,F,P9,A\n"   /* line 5: grade */
                      "6,2020-12-31,F\n"        /* line 6: ragged */
                      "1,2020-12-31,M,P3,A\n";  /* line 7: id 1 already loaded */
    cr_assert_eq(load(t, bad, NULL), PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics(t), 4);
    cr_assert_str_eq(parity_table_diagnostic(t, 0),
                     "t.csv:3:3: unknown sex code \"Q\" (expected F, M, X or U or an alias; "
                     "map it with 'sex_code' 'Q=F|M|X|U')");
    cr_assert(strncmp(parity_table_diagnostic(t, 1), "t.csv:4:2: malformed snapshot_date", 34) == 0);
    cr_assert(strncmp(parity_table_diagnostic(t, 2), "t.csv:5:4: unknown grade \"P9\"", 29) == 0);
    cr_assert_str_eq(parity_table_diagnostic(t, 3), "t.csv:6:3: expected 5 fields, found 3");
    /* the duplicate is checked only once the rows themselves are sound */
    cr_assert_eq(parity_table_nrows(t), 1);
    cr_assert_eq(t->ncols, 0); /* the failed file's extra column is gone too */
    parity_table_set_combine(t, 1); /* a second file for the date, asked for */
    cr_assert_eq(load(t, "staff_id,snapshot_date,sex,grade\n1,2020-12-31,M,P3\n", NULL),
                 PARITY_INVALID);
    cr_assert(strstr(parity_table_diagnostic(t, 0), "already loaded from an earlier file"));
    cr_assert_eq(parity_table_nrows(t), 1);
    parity_table_free(t);
}

Test(csvload, long_format_is_sorted_into_snapshot_ranges) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t,
                      "snapshot_date,staff_id,sex,grade\n2022-12-31,a,F,P4\n2020-12-31,a,F,P3\n"
                      "2022-12-31,b,M,P4\n2021-12-31,a,F,P3\n",
                      NULL),
                 PARITY_OK);
    cr_assert_eq(t->nsnap, 3);
    cr_assert_eq(t->snap[0].end - t->snap[0].begin, 1);
    cr_assert_eq(t->snap[2].end - t->snap[2].begin, 2);
    cr_assert_eq(t->snap[0].date, date_from_ymd(2020, 12, 31));
    cr_assert_eq(t->snap[1].date, date_from_ymd(2021, 12, 31));
    cr_assert_eq(t->snap[2].date, date_from_ymd(2022, 12, 31));
    /* rows in date order, file order within a date: a P3, a P3, a P4, b M */
    cr_assert_eq(table_grade(t, 0), 14); /* P3 */
    cr_assert_eq(table_grade(t, 1), 14);
    cr_assert_eq(table_grade(t, 2), 15); /* P4 */
    cr_assert_eq(t->sex[3], SEX_M);
    /* a second file for one more date merges in order */
    cr_assert_eq(load(t, "staff_id,sex,grade\na,F,P5\n", "2019-12-31"), PARITY_OK);
    cr_assert_eq(t->nsnap, 4);
    cr_assert_eq(t->snap[0].date, date_from_ymd(2019, 12, 31));
    cr_assert_eq(t->snap[3].date, date_from_ymd(2022, 12, 31));
    cr_assert_eq(t->snap[3].end - t->snap[3].begin, 2);
    cr_assert_eq(table_grade(t, 0), 16); /* P5 */
    cr_assert_eq(table_grade(t, 1), 14);
    cr_assert_eq(t->sex[4], SEX_M);
    parity_table_free(t);
}

Test(csvload, bad_date_argument_and_missing_date) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t, "sex,grade\nF,P4\n", "2020-02-30"), PARITY_USAGE);
    cr_assert_eq(load(t, "sex,grade\nF,P4\n", NULL), PARITY_INVALID);
    cr_assert(strstr(parity_table_diagnostic(t, 0), "missing required column \"snapshot_date\""));
    parity_table_free(t);
}

Test(csvload, aggregated_counts) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/aggregated.csv", NULL), PARITY_OK);
    cr_assert_not_null(t->count);
    cr_assert_eq(load(t, "snapshot_date,grade,sex,count\n2021-12-31,P4,F,-3\n", NULL),
                 PARITY_INVALID);
    cr_assert(strstr(parity_table_diagnostic(t, 0), "count \"-3\" is not a whole number"));
    parity_table_free(t);
}

Test(csvload, missing_file_is_io) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, "/nonexistent/x.csv", NULL), PARITY_IO);
    cr_assert(strstr(parity_table_errmsg(t), "cannot open"));
    parity_table_free(t);
}

/* Compact columns widen when a value does not fit, keeping every row: person
** dates are 16-bit days from 1900 until one falls outside 1900-2079; grade
** codes are one byte until the 256th grade. */
Test(csvload, compact_columns_widen_without_loss) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(load(t,
                      "staff_id,sex,grade,entry_date,birth_date\n"
                      "a,F,P3,2001-02-03,1900-01-01\nb,M,P4,,2079-06-05\n"
                      "c,F,P2,1899-12-31,\nd,M,P2,2100-01-01,1970-01-01\n",
                      "2020-12-31"),
                 PARITY_OK);
    cr_assert_eq(t->entry_date.width, 4);
    cr_assert_eq(t->birth_date.width, 2);
    cr_assert_eq(table_date_of(t, &t->entry_date, 0), date_from_ymd(2001, 2, 3));
    cr_assert_eq(table_date_of(t, &t->entry_date, 1), DATE_NONE);
    cr_assert_eq(table_date_of(t, &t->entry_date, 2), date_from_ymd(1899, 12, 31));
    cr_assert_eq(table_date_of(t, &t->entry_date, 3), date_from_ymd(2100, 1, 1));
    cr_assert_eq(table_date_of(t, &t->birth_date, 0), date_from_ymd(1900, 1, 1));
    cr_assert_eq(table_date_of(t, &t->birth_date, 1), date_from_ymd(2079, 6, 5));
    cr_assert_eq(table_date_of(t, &t->birth_date, 2), DATE_NONE);
    cr_assert_eq(table_date_of(t, &t->birth_date, 3), 0);
    parity_table_free(t);

    /* 300 grades as written: codes in order of first appearance */
    parity_config *c = parity_config_new();
    cr_assert_eq(parity_config_set_grade_order(c, "none"), PARITY_OK);
    t = parity_table_new(c);
    char *csv = malloc(300 * 16 + 32);
    size_t at = (size_t)sprintf(csv, "sex,grade\n");
    for (int g = 0; g < 300; g++) at += (size_t)sprintf(csv + at, "%s,job %d\n", g % 2 ? "M" : "F", g);
    cr_assert_eq(load(t, csv, "2020-12-31"), PARITY_OK);
    cr_assert_eq(t->grade.width, 2);
    for (size_t r = 0; r < 300; r++) {
        char want[16];
        snprintf(want, sizeof want, "job %zu", r);
        cr_assert_str_eq(dict_str(&t->grades, table_grade(t, r)), want);
    }
    free(csv);
    parity_table_free(t);
    parity_config_free(c);
}

/* Entry and birth dates are kept once per person between loads; the rows
** whose date is not their person's first (a re-hire, a corrected birth
** date) are kept as exceptions, and a later load brings back a date per row
** while it adds rows. Every row reads back the date its line gave. */
Test(csvload, person_dates_kept_per_person_with_exceptions) {
    parity_table *t = parity_table_new(NULL);
    /* 40 people over two snapshots; person p7 re-hired in 2021 (new entry
    ** date), p9's birth date corrected in 2021 */
    char csv[8192];
    size_t at = (size_t)snprintf(csv, sizeof csv, "snapshot_date,staff_id,sex,grade,entry_date,birth_date\n");
    for (int y = 2020; y <= 2021; y++)
        for (int p = 0; p < 40; p++)
            at += (size_t)snprintf(csv + at, sizeof csv - at, "%d-12-31,p%d,F,P3,%s,%s\n", y, p,
                                   y == 2021 && p == 7 ? "2021-06-01" : "2010-01-01",
                                   y == 2021 && p == 9 ? "1980-02-02" : "1980-01-01");
    cr_assert_eq(load(t, csv, NULL), PARITY_OK);
    for (int k = 0; k < 2; k++) {
        const table_dates *c = k ? &t->birth_date : &t->entry_date;
        cr_assert_null(c->v);
        cr_assert_not_null(c->person);
        cr_assert_eq(c->nexc, 1);
    }
    /* rows are sorted by snapshot: 2021's p7 is row 47, p9 row 49 */
    for (size_t r = 0; r < 80; r++) {
        cr_assert_eq(table_date_of(t, &t->entry_date, r),
                     r == 47 ? date_from_ymd(2021, 6, 1) : date_from_ymd(2010, 1, 1), "row %zu", r);
        cr_assert_eq(table_date_of(t, &t->birth_date, r),
                     r == 49 ? date_from_ymd(1980, 2, 2) : date_from_ymd(1980, 1, 1), "row %zu", r);
    }
    /* another snapshot without the birth date column: a date per row while it
    ** loads, per person again after; its rows have no birth date */
    cr_assert_eq(load(t, "snapshot_date,staff_id,sex,grade,entry_date\n"
                         "2022-12-31,p7,F,P4,2021-06-01\n2022-12-31,p0,M,P3,2010-01-01\n",
                      NULL),
                 PARITY_OK);
    cr_assert_eq(t->n, 82);
    cr_assert_null(t->entry_date.v);
    cr_assert_eq(table_date_of(t, &t->entry_date, 47), date_from_ymd(2021, 6, 1));
    cr_assert_eq(table_date_of(t, &t->entry_date, 80), date_from_ymd(2021, 6, 1));
    cr_assert_eq(table_date_of(t, &t->entry_date, 81), date_from_ymd(2010, 1, 1));
    cr_assert_eq(table_date_of(t, &t->birth_date, 49), date_from_ymd(1980, 2, 2));
    cr_assert_eq(table_date_of(t, &t->birth_date, 80), DATE_NONE);
    cr_assert_eq(table_date_of(t, &t->birth_date, 81), DATE_NONE);
    cr_assert_eq(table_date_of(t, &t->birth_date, 0), date_from_ymd(1980, 1, 1));
    parity_table_free(t);

    /* every row a different date: more than one in 16 differ, so per row */
    t = parity_table_new(NULL);
    cr_assert_eq(load(t, "snapshot_date,staff_id,sex,grade,entry_date\n"
                         "2020-12-31,a,F,P3,2001-01-01\n2021-12-31,a,F,P3,2002-01-01\n",
                      NULL),
                 PARITY_OK);
    cr_assert_not_null(t->entry_date.v);
    cr_assert_eq(table_date_of(t, &t->entry_date, 1), date_from_ymd(2002, 1, 1));
    parity_table_free(t);
}

/* A record's problems are told in column order, and only when it has the
** header's number of fields: a record that has not is one problem, whatever
** its shifted fields hold. */
Test(csvload, problems_of_a_record_in_column_order) {
    parity_table *t = parity_table_new(NULL);
    const char *bad = "staff_id,snapshot_date,sex,grade,unit\n"
                      "1,2020-12-31,F,P4,A\n"
                      "2,2020-12-31,Q,P9,A\n"      /* line 3: sex, then grade */
                      "3,2020-13-45,Q\n"           /* line 4: too few fields, only that */
                      "4,2020-12-31,Q,P4,A,x\n"    /* line 5: too many fields, only that */
                      "5,2020-12-31,F,P4,A\n";
    cr_assert_eq(load(t, bad, NULL), PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics(t), 4);
    cr_assert(strstr(parity_table_diagnostic(t, 0), "t.csv:3:3: unknown sex code \"Q\" ") ==
              parity_table_diagnostic(t, 0));
    cr_assert(strstr(parity_table_diagnostic(t, 1), "t.csv:3:4: unknown grade \"P9\" ") ==
              parity_table_diagnostic(t, 1));
    cr_assert_str_eq(parity_table_diagnostic(t, 2), "t.csv:4:3: expected 5 fields, found 3");
    cr_assert_str_eq(parity_table_diagnostic(t, 3), "t.csv:5:6: expected 5 fields, found 6");
    cr_assert_eq(parity_table_nrows(t), 0);
    parity_table_free(t);
}

/* Categorical values are looked up through a small memo of hints keyed by
** a few bytes of each value; 2,000 distinct values share its 256 keys many
** times over, and every row must still read back its own value. */
Test(csvload, many_values_sharing_memo_keys) {
    parity_table *t = parity_table_new(NULL);
    enum { N = 6000, V = 2000 };
    char *csv = malloc((size_t)N * 32 + 32);
    size_t at = (size_t)sprintf(csv, "sex,grade,unit\n");
    for (int r = 0; r < N; r++) /* values revisited out of order: r*7 mod V */
        at += (size_t)sprintf(csv + at, "F,P3,u%d\n", r * 7 % V);
    cr_assert_eq(load(t, csv, "2020-12-31"), PARITY_OK);
    long c = table_find_col(t, "unit");
    cr_assert_geq(c, 0);
    cr_assert_eq(t->cols[c].dict.n, V + 1); /* and code 0, the empty value */
    for (size_t r = 0; r < N; r++) {
        char want[16];
        snprintf(want, sizeof want, "u%zu", r * 7 % V);
        cr_assert_str_eq(dict_str(&t->cols[c].dict, table_code_get(&t->cols[c], r)), want, "row %zu", r);
    }
    free(csv);
    parity_table_free(t);
}

/* Snapshots interleaved row by row (a long file sorted by person): the
** duplicate check finds a repeated id within a date wherever its rows are,
** and nothing across dates. */
Test(csvload, duplicates_found_in_interleaved_dates) {
    parity_table *t = parity_table_new(NULL);
    const char *csv = "snapshot_date,staff_id,sex,grade\n"
                      "2020-12-31,a,F,P4\n"
                      "2021-12-31,a,F,P4\n"
                      "2022-12-31,a,F,P4\n"
                      "2020-12-31,b,M,P3\n"
                      "2021-12-31,b,M,P3\n"
                      "2021-12-31,a,F,P4\n" /* line 7: a again in 2021 */
                      "2022-12-31,c,M,P3\n";
    cr_assert_eq(load(t, csv, NULL), PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics(t), 1);
    cr_assert_str_eq(parity_table_diagnostic(t, 0),
                     "t.csv:7: duplicate staff_id \"a\" in snapshot 2021-12-31 (first at line 3)");
    cr_assert_eq(load(t, "snapshot_date,staff_id,sex,grade\n2020-12-31,a,F,P4\n2021-12-31,a,F,P4\n"
                         "2020-12-31,b,M,P3\n2021-12-31,b,M,P3\n",
                      NULL),
                 PARITY_OK);
    cr_assert_eq(parity_table_nsnapshots(t), 2);
    parity_table_free(t);
}
