/* represent.c: counts and shares by group, checked by hand and, on real
** public data, against a second route: the same CSV parsed row by row with
** libcsv into an in-memory SQLite table and counted with GROUP BY. */
#include <criterion/criterion.h>
#include <csv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static double num(const parity_result *r, size_t g, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0, "no column %s", col);
    return parity_result_number(r, g, (size_t)c);
}

static const char *text(const parity_result *r, size_t g, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0, "no column %s", col);
    return parity_result_text(r, g, (size_t)c);
}

Test(represent, messy_by_grade_by_hand) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/messy.csv", NULL), PARITY_OK);
    parity_result *r;
    cr_assert_eq(parity_representation(t, "grade", NULL, &r), PARITY_OK);
    cr_assert_eq(parity_result_ngroups(r), 3);
    cr_assert_str_eq(text(r, 0, "grade"), "G5");
    cr_assert_str_eq(text(r, 1, "grade"), "P4");
    cr_assert_str_eq(text(r, 2, "grade"), "D1");
    /* P4: Smith F, O'Brien M, Doe (blank) U, Lee X */
    cr_assert_eq(num(r, 1, "female"), 1);
    cr_assert_eq(num(r, 1, "male"), 1);
    cr_assert_eq(num(r, 1, "other"), 1);
    cr_assert_eq(num(r, 1, "unknown"), 1);
    cr_assert_eq(num(r, 1, "total"), 3);
    cr_assert_float_eq(num(r, 1, "female_share"), 1.0 / 3, 1e-15);
    cr_assert_eq(num(r, 1, "gap_to_parity"), 1);
    cr_assert_str_eq(text(r, 1, "status"), "below");
    /* the total row */
    size_t tot = parity_result_ngroups(r);
    cr_assert(parity_result_has_total(r));
    cr_assert_eq(num(r, tot, "female"), 3);
    cr_assert_eq(num(r, tot, "total"), 7);
    double gci;
    cr_assert(parity_result_scalar(r, "glass_ceiling_index", &gci));
    cr_assert_float_eq(gci, (3.0 / 7) / 0.5, 1e-12);
    parity_result_free(r);

    /* the earlier snapshot, by category: P3 F and P4 M are both "P" */
    cr_assert_eq(parity_representation(t, "category", "2022-12-31", &r), PARITY_OK);
    cr_assert_eq(parity_result_ngroups(r), 1);
    cr_assert_str_eq(text(r, 0, "category"), "P");
    cr_assert_eq(num(r, 0, "total"), 2);
    parity_result_free(r);

    /* every snapshot: no total row, groups in date order */
    cr_assert_eq(parity_representation(t, "snapshot_date", NULL, &r), PARITY_OK);
    cr_assert_eq(parity_result_ngroups(r), 2);
    cr_assert_not(parity_result_has_total(r));
    cr_assert_str_eq(text(r, 0, "snapshot_date"), "2022-12-31");
    cr_assert_eq(num(r, 1, "total"), 7);
    parity_result_free(r);

    cr_assert_eq(parity_representation(t, "salary", NULL, &r), PARITY_USAGE);
    cr_assert(strstr(parity_table_errmsg(t), "unknown dimension \"salary\""));
    cr_assert_eq(parity_representation(t, "grade", "2021-12-31", &r), PARITY_NOTFOUND);
    cr_assert_eq(parity_representation(t, "grade", "31.12.2023", &r), PARITY_USAGE);
    parity_table_free(t);
}

Test(represent, empty_group_share_is_null) {
    parity_table *t = parity_table_new(NULL);
    const char *csv = "snapshot_date,sex,grade\n2020-12-31,U,P4\n2020-12-31,F,P3\n";
    cr_assert_eq(parity_table_load_csv_buffer(t, "u.csv", csv, strlen(csv), NULL), PARITY_OK);
    parity_result *r;
    cr_assert_eq(parity_representation(t, "grade", NULL, &r), PARITY_OK);
    /* P4 holds only a person of unrecorded sex: total 0, share null */
    cr_assert_str_eq(text(r, 1, "grade"), "P4");
    cr_assert_eq(num(r, 1, "total"), 0);
    cr_assert(parity_result_is_null(r, 1, (size_t)parity_result_column(r, "female_share")));
    cr_assert(parity_result_is_null(r, 1, (size_t)parity_result_column(r, "ci95")));
    parity_result_free(r);
    parity_table_free(t);
}

Test(represent, aggregated_input_weights_rows) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/aggregated.csv", NULL), PARITY_OK);
    parity_result *r;
    cr_assert_eq(parity_representation(t, "grade", NULL, &r), PARITY_OK);
    cr_assert_eq(num(r, 0, "female"), 40);
    cr_assert_eq(num(r, 0, "male"), 60);
    cr_assert_eq(num(r, 0, "gap_to_parity"), 10);
    cr_assert_eq(num(r, 1, "total"), 12);
    size_t tot = parity_result_ngroups(r);
    cr_assert_eq(num(r, tot, "total"), 112);
    parity_result_free(r);
    parity_table_free(t);
}

/* ---- the second route: libcsv -> SQLite -> GROUP BY -------------------- */

typedef struct sqlrow {
    sqlite3_stmt *ins;
    int field, row, key_field, sex_field;
    char key[256], sex[16];
} sqlrow;

static void on_f(void *s, size_t len, void *data) {
    sqlrow *q = data;
    if (q->field == q->key_field) snprintf(q->key, sizeof q->key, "%.*s", (int)len, (char *)s);
    if (q->field == q->sex_field) snprintf(q->sex, sizeof q->sex, "%.*s", (int)len, (char *)s);
    q->field++;
}

static void on_r(int c, void *data) {
    (void)c;
    sqlrow *q = data;
    if (q->row++ > 0) {
        sqlite3_bind_text(q->ins, 1, q->key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q->ins, 2, q->sex, -1, SQLITE_TRANSIENT);
        cr_assert_eq(sqlite3_step(q->ins), SQLITE_DONE);
        sqlite3_reset(q->ins);
    }
    q->field = 0;
}

/* Loads (key, sex) pairs of a CSV file into SQLite table t(k, s). */
static sqlite3 *sql_load(const char *path, int key_field, int sex_field) {
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t(k TEXT, s TEXT)", 0, 0, 0), SQLITE_OK);
    sqlrow q = {0};
    q.key_field = key_field;
    q.sex_field = sex_field;
    cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?)", -1, &q.ins, 0), SQLITE_OK);
    struct csv_parser p;
    csv_init(&p, 0);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) csv_parse(&p, buf, n, on_f, on_r, &q);
    csv_fini(&p, on_f, on_r, &q);
    csv_free(&p);
    fclose(f);
    sqlite3_finalize(q.ins);
    return db;
}

/* Every group of r equals SQL's count, and so does every group SQL has. */
static void compare(parity_result *r, const char *dim, sqlite3 *db) {
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT k, sum(s='F'), sum(s='M'), sum(s=''), count(*) "
                                    "FROM t GROUP BY k",
                                    -1, &st, 0),
                 SQLITE_OK);
    size_t groups = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        size_t g;
        for (g = 0; g < parity_result_ngroups(r); g++) {
            const char *v = text(r, g, dim);
            if (strcmp(v ? v : "", k) == 0) break;
        }
        cr_assert_lt(g, parity_result_ngroups(r), "group %s missing", k);
        cr_assert_eq(num(r, g, "female"), sqlite3_column_int(st, 1), "%s", k);
        cr_assert_eq(num(r, g, "male"), sqlite3_column_int(st, 2), "%s", k);
        cr_assert_eq(num(r, g, "unknown"), sqlite3_column_int(st, 3), "%s", k);
        cr_assert_eq(num(r, g, "female") + num(r, g, "male") + num(r, g, "unknown"),
                     sqlite3_column_int(st, 4));
        groups++;
    }
    sqlite3_finalize(st);
    cr_assert_eq(groups, parity_result_ngroups(r));
}

/* Loads path with cfg (sex from Gender, grades unordered), groups by `by`
** and compares with SQL's GROUP BY over field key_field (sex: field sex_field). */
static void check_against_sql(parity_config *c, const char *path, const char *date,
                              const char *by, int key_field, int sex_field) {
    parity_config_set_column(c, "sex", "Gender");
    parity_config_set_grade_order(c, "none");
    parity_table *t = parity_table_new(c);
    cr_assert_eq(parity_table_load_csv(t, path, date), PARITY_OK, "%s", parity_table_errmsg(t));
    parity_result *r;
    cr_assert_eq(parity_representation(t, by, NULL, &r), PARITY_OK);
    sqlite3 *db = sql_load(path, key_field, sex_field);
    compare(r, by, db);
    sqlite3_close(db);
    parity_result_free(r);
    parity_table_free(t);
    parity_config_free(c);
}

Test(represent, montgomery_2023_by_grade_equals_sql) {
    /* 2023: Department,Department_Name,Division,Gender,Base_Salary,
    ** Overtime_Pay,Longevity_Pay,Grade -- grades unordered */
    check_against_sql(parity_config_new(), TEST_DATA "/montgomery_2023_slice.csv", "2023-12-31",
                      "grade", 7, 3);
}

Test(represent, montgomery_2016_by_department_equals_sql) {
    /* 2016 (names removed): Gender,...,Department Name (field 6),...,
    ** Assignment Category (field 8) used as the grade; 17 blank sexes in the
    ** whole file, some of them in this slice */
    parity_config *c = parity_config_new();
    parity_config_set_column(c, "grade", "Assignment Category");
    check_against_sql(c, TEST_DATA "/montgomery_2016_slice.csv", "2016-12-31", "Department Name",
                      5, 0);
}

/* A --by list is read whole, however long: a dimension named after 1,200
** bytes of blanks is still read (a list cut at 1,023 bytes dropped it
** silently and grouped by what was left). */
Test(represent, a_long_by_is_read_whole) {
    parity_table *t = parity_table_new(NULL);
    const char *csv = "snapshot_date,sex,grade\n2024-12-31,F,P4\n";
    cr_assert_eq(parity_table_load_csv_buffer(t, "t.csv", csv, strlen(csv), NULL), PARITY_OK);
    char by[1600];
    snprintf(by, sizeof by, "grade,%1200s,no_such_dimension", "");
    parity_result *r = NULL;
    cr_assert_eq(parity_representation(t, by, NULL, &r), PARITY_USAGE);
    cr_assert(strstr(parity_table_errmsg(t), "unknown dimension \"no_such_dimension\""), "%s",
              parity_table_errmsg(t));
    parity_table_free(t);
}
