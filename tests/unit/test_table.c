/* table.c: the table's write API and its messages.
**
** - a savepoint rolled back leaves the table exactly as it was: rows,
**   columns, and the strings the load added to every dictionary;
** - a failed load (a bad row at the end of a file) is one: the table answers
**   as before it;
** - columns are found case-insensitively, and a name too long for the
**   stack is still found;
** - table_absorb() remaps a part's codes into the table's dictionaries;
** - a table answers analyses from several threads at once, each thread
**   with its own message. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "table.h"

Test(table, savepoint_rollback_restores_everything) {
    parity_table *t = fixture_table("snapshot_date,staff_id,sex,grade,department\n"
                                    "2023-12-31,a,F,P3,HQ\n"
                                    "2023-12-31,b,M,P4,HQ\n");
    long dep = table_find_col(t, "department");
    cr_assert_geq(dep, 0);
    size_t n = t->n, ncols = t->ncols, ndep = t->cols[dep].dict.n, nstaff = t->staff_ids.n,
           ngrades = t->grades.n, nsnap = t->nsnap;

    table_savepoint sp;
    cr_assert_eq(table_savepoint_open(t, &sp, "x.csv"), PARITY_OK);
    cr_assert_eq(table_reserve(t, t->n + 1), PARITY_OK);
    long unit = table_col_add(t, "unit");
    cr_assert_eq(unit, (long)ncols); /* a new column, after the others */
    int64_t code = dict_intern(&t->cols[dep].dict, "Field", 5);
    cr_assert_eq(code, (int64_t)ndep);
    cr_assert_eq(table_col_set(t, &t->cols[dep], t->n, (uint32_t)code), PARITY_OK);
    int64_t who = dict_intern(&t->staff_ids, "z", 1);
    table_set_staff(t, t->n, (uint32_t)who);
    table_set_sex(t, t->n, SEX_F);
    table_row_commit(t);
    cr_assert_eq(t->n, n + 1);
    table_savepoint_rollback(t, &sp);

    cr_assert_eq(t->n, n);
    cr_assert_eq(t->ncols, ncols);
    cr_assert_eq(t->cols[dep].dict.n, ndep);
    cr_assert_eq(t->staff_ids.n, nstaff);
    cr_assert_eq(t->grades.n, ngrades);
    cr_assert_eq(t->nsnap, nsnap);
    cr_assert_lt(table_find_col(t, "unit"), 0);
    cr_assert_lt(dict_find(&t->cols[dep].dict, "Field", 5), 0);
    cr_assert_lt(dict_find(&t->staff_ids, "z", 1), 0);
    /* and the table takes the same row again, with the same codes */
    cr_assert_eq(table_savepoint_open(t, &sp, "x.csv"), PARITY_OK);
    cr_assert_eq(table_col_add(t, "unit"), (long)ncols);
    cr_assert_eq(dict_intern(&t->cols[dep].dict, "Field", 5), (int64_t)ndep);
    table_savepoint_close(&sp);
    parity_table_free(t);
}

Test(table, a_failed_load_changes_nothing) {
    parity_table *t = fixture_table("snapshot_date,staff_id,sex,grade,department\n"
                                    "2023-12-31,a,F,P3,HQ\n"
                                    "2023-12-31,b,M,P4,HQ\n");
    /* new people, a new grade, a new department and a new column -- then a
    ** row with too few fields ends the file */
    const char *bad = "snapshot_date,staff_id,sex,grade,department,unit\n"
                      "2024-12-31,c,F,D1,Field,U1\n"
                      "2024-12-31,d,F\n";
    cr_assert_eq(parity_table_load_csv_buffer(t, "bad.csv", bad, strlen(bad), NULL), PARITY_INVALID);
    cr_assert(strstr(parity_table_errmsg(t), "bad.csv"), "%s", parity_table_errmsg(t));
    cr_assert_eq(parity_table_nrows(t), 2);
    cr_assert_eq(t->nsnap, 1);
    cr_assert_eq(t->staff_ids.n, 2);
    cr_assert_lt(table_find_col(t, "unit"), 0);
    long dep = table_find_col(t, "department");
    cr_assert_lt(dict_find(&t->cols[dep].dict, "Field", 5), 0);
    parity_result *r;
    cr_assert_eq(parity_representation(t, "department", NULL, &r), PARITY_OK);
    cr_assert_eq(parity_result_ngroups(r), 1);
    cr_assert_str_eq(parity_result_text(r, 0, 0), "HQ");
    parity_result_free(r);
    parity_table_free(t);
}

Test(table, columns_are_found_whatever_their_case_and_length) {
    char name[600], csv[1400];
    memset(name, 'k', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(csv, sizeof csv, "snapshot_date,sex,Duty_Station,%s\n2023-12-31,F,NY,x\n", name);
    parity_table *t = fixture_table(csv);
    long c = table_find_col(t, "duty_station");
    cr_assert_geq(c, 0);
    cr_assert_eq(table_find_col(t, "DUTY_STATION"), c);
    cr_assert_str_eq(t->cols[c].name, "duty_station");
    name[0] = 'K'; /* longer than the look-up's stack buffer, other case */
    cr_assert_geq(table_find_col(t, name), 0);
    cr_assert_eq(table_find_col(t, "salary"), -1);
    parity_table_free(t);
}

/* Appends a row through the write API, as a loader does. */
static void put(parity_table *t, const char *staff, uint8_t sex, const char *grade, const char *dep) {
    size_t r = t->n;
    cr_assert_eq(table_reserve(t, r + 1), PARITY_OK);
    long c = table_col_add(t, "department");
    cr_assert_geq(c, 0);
    int64_t code = dict_intern(&t->cols[c].dict, dep, strlen(dep));
    int64_t g = table_grade_code(t, grade, strlen(grade));
    int64_t who = dict_intern(&t->staff_ids, staff, strlen(staff));
    cr_assert(code >= 0 && g >= 0 && who >= 0);
    cr_assert_eq(table_col_set(t, &t->cols[c], r, (uint32_t)code), PARITY_OK);
    cr_assert_eq(table_col_set(t, &t->grade, r, (uint32_t)g), PARITY_OK);
    table_set_staff(t, r, (uint32_t)who);
    table_set_sex(t, r, sex);
    table_set_date(t, r, 19722); /* 2023-12-31 */
    table_row_commit(t);
}

Test(table, absorb_remaps_a_parts_codes) {
    parity_table *t = parity_table_new(NULL), *s = parity_table_new(NULL);
    put(t, "a", SEX_F, "P3", "HQ");
    /* the part knows "Field", P4 and b first, so its codes differ from t's */
    put(s, "b", SEX_M, "P4", "Field");
    put(s, "a", SEX_F, "P3", "HQ");
    cr_assert_eq(table_absorb(t, s), PARITY_OK);
    cr_assert_eq(t->n, 3);
    long dep = table_find_col(t, "department");
    const table_column *c = &t->cols[dep];
    cr_assert_str_eq(dict_str(&c->dict, table_code_get(c, 0)), "HQ");
    cr_assert_str_eq(dict_str(&c->dict, table_code_get(c, 1)), "Field");
    cr_assert_str_eq(dict_str(&c->dict, table_code_get(c, 2)), "HQ");
    /* person a is one person in t, whichever table numbered them first */
    cr_assert_eq(t->staff[0], t->staff[2]);
    cr_assert_neq(t->staff[0], t->staff[1]);
    cr_assert_str_eq(dict_str(&t->grades, table_grade(t, 1)), "P4");
    cr_assert_str_eq(dict_str(&t->grades, table_grade(t, 2)), "P3");
    cr_assert_eq(t->sex[1], SEX_M);
    parity_table_free(s);
    parity_table_free(t);
}

/* ---- one table, several threads ---------------------------------------- */

typedef struct job {
    parity_table *t;
    const char *by;
    int rc, rounds;
    double total;      /* the last result's total row, total column */
    char msg[256];
} job;

static void *query(void *arg) {
    job *j = arg;
    for (int i = 0; i < j->rounds; i++) {
        parity_result *r = NULL;
        j->rc = parity_representation(j->t, j->by, NULL, &r);
        if (j->rc != PARITY_OK) {
            snprintf(j->msg, sizeof j->msg, "%s", parity_table_errmsg(j->t));
            continue;
        }
        j->total = parity_result_number(r, parity_result_ngroups(r),
                                        (size_t)parity_result_column(r, "total"));
        parity_result_free(r);
    }
    return NULL;
}

Test(table, threads_query_one_table_each_with_its_own_message) {
    char csv[64 * 1024] = "snapshot_date,staff_id,sex,grade,department\n";
    size_t used = strlen(csv);
    for (int i = 0; i < 1000; i++)
        used += (size_t)snprintf(csv + used, sizeof csv - used, "2023-12-31,p%d,%c,P%d,D%d\n", i,
                                 i % 3 ? 'M' : 'F', 1 + i % 5, i % 7);
    parity_table *t = fixture_table(csv);
    job jobs[4] = {{t, "grade", 0, 200, 0, ""},
                   {t, "department,grade", 0, 200, 0, ""},
                   {t, "salary", 0, 200, 0, ""},
                   {t, "sex", 0, 200, 0, ""}};
    pthread_t th[4];
    for (int k = 0; k < 4; k++) cr_assert_eq(pthread_create(&th[k], NULL, query, &jobs[k]), 0);
    for (int k = 0; k < 4; k++) pthread_join(th[k], NULL);
    cr_assert_eq(jobs[0].rc, PARITY_OK);
    cr_assert_eq(jobs[0].total, 1000);
    cr_assert_eq(jobs[1].rc, PARITY_OK);
    cr_assert_eq(jobs[1].total, 1000);
    cr_assert_eq(jobs[2].rc, PARITY_USAGE);
    cr_assert(strstr(jobs[2].msg, "unknown dimension \"salary\""), "%s", jobs[2].msg);
    cr_assert_eq(jobs[3].rc, PARITY_USAGE);
    cr_assert(strstr(jobs[3].msg, "already broken down by sex"), "%s", jobs[3].msg);
    /* this thread made no failed call on t */
    cr_assert_str_eq(parity_table_errmsg(t), "");
    parity_table_free(t);
}
