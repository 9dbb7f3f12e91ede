/* csvload.c, the parallel load: a file cut into parts parsed on several
** threads must give the table a one-thread load gives, code for code, with
** exact line numbers, whatever the cuts fall on. The files are generated
** here, big enough (a few MiB) to be cut; every expected count is tallied
** while generating, not read back from the engine. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

typedef struct buf {
    char *s;
    size_t len, cap;
    size_t lines; /* newlines written so far */
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    cr_assert(n > 0 && (size_t)n < sizeof tmp);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->cap ? b->cap * 2 : 1 << 20) + (size_t)n;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->len, tmp, (size_t)n + 1);
    b->len += (size_t)n;
    for (int i = 0; i < n; i++) b->lines += tmp[i] == '\n';
}

static const char *const grades[] = {"P1", "P2", "P3", "P4", "P5", "D1"};

/* Four yearly snapshots of up to 28,000 people: person i is absent from
** snapshot s when (i + s) % 7 == 0, a woman when i % 3 == 0, in grade
** (i + s / 2) % 6 and department i % 13 -- i % 400 in the last snapshot, so
** that the department codes outgrow a byte in the last part only. women[s]
** and rows[s] tally them. */
static void history(buf *b, size_t women[4], size_t rows[4]) {
    put(b, "snapshot_date,staff_id,sex,grade,department\n");
    for (int s = 0; s < 4; s++) {
        women[s] = rows[s] = 0;
        for (int i = 0; i < 28000; i++) {
            if ((i + s) % 7 == 0) continue;
            bool f = i % 3 == 0;
            put(b, "%d-12-31,S%05d,%s,%s,Department %d\n", 2020 + s, i, f ? "F" : "M",
                grades[(i + s / 2) % 6], s == 3 ? i % 400 : i % 13);
            women[s] += f;
            rows[s]++;
        }
    }
}

static parity_table *load(const buf *b, int threads, int expect) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_set_threads(t, threads), PARITY_OK);
    cr_assert_eq(parity_table_load_csv_buffer(t, "big.csv", b->s, b->len, NULL), expect, "%s",
                 parity_table_errmsg(t));
    return t;
}

/* Row for row and code for code: same staff ids, sexes, grades, values. */
static void assert_same(const parity_table *a, const parity_table *b) {
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->nsnap, b->nsnap);
    cr_assert_eq(a->staff_ids.n, b->staff_ids.n);
    for (uint32_t i = 0; i < a->staff_ids.n; i++)
        cr_assert_str_eq(dict_str(&a->staff_ids, i), dict_str(&b->staff_ids, i));
    cr_assert_eq(a->ncols, b->ncols);
    for (size_t c = 0; c < a->ncols; c++) {
        cr_assert_eq(a->cols[c].dict.n, b->cols[c].dict.n);
        for (uint32_t k = 0; k < a->cols[c].dict.n; k++)
            cr_assert_str_eq(dict_str(&a->cols[c].dict, k), dict_str(&b->cols[c].dict, k));
    }
    for (size_t r = 0; r < a->n; r++) {
        cr_assert_eq(a->staff[r], b->staff[r], "row %zu", r);
        cr_assert_eq(a->sex[r], b->sex[r], "row %zu", r);
        cr_assert_eq(table_grade(a, r), table_grade(b, r), "row %zu", r);
        for (size_t c = 0; c < a->ncols; c++)
            cr_assert_eq(table_code_get(&a->cols[c], r), table_code_get(&b->cols[c], r), "row %zu", r);
    }
}

Test(parallel, same_table_on_one_two_and_three_threads) {
    buf b = {0};
    size_t women[4], rows[4];
    history(&b, women, rows);
    cr_assert_gt(b.len, 3u << 20, "the file must be big enough to be cut in three");
    parity_table *one = load(&b, 1, PARITY_OK);
    for (int threads = 2; threads <= 3; threads++) {
        parity_table *many = load(&b, threads, PARITY_OK);
        assert_same(one, many);
        parity_table_free(many);
    }
    /* and the tallies of the generator */
    cr_assert_eq(one->nsnap, 4);
    cr_assert_eq(one->staff_ids.n, 28000);
    cr_assert_eq(one->cols[table_find_col(one, "department")].dict.n, 401);
    for (size_t s = 0; s < 4; s++) {
        size_t f = 0;
        for (size_t r = one->snap[s].begin; r < one->snap[s].end; r++) f += one->sex[r] == SEX_F;
        cr_assert_eq(one->snap[s].end - one->snap[s].begin, rows[s]);
        cr_assert_eq(f, women[s]);
    }
    parity_table_free(one);
    free(b.s);
}

Test(parallel, bad_thread_count) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_set_threads(t, -1), PARITY_USAGE);
    cr_assert_eq(parity_table_set_threads(t, 0), PARITY_OK);
    parity_table_free(t);
}

/* A quoted value of 4,000 lines straddles the middle of the file, where the
** two-thread cut falls: the load must notice and still be exact, line numbers
** included. */
Test(parallel, cut_inside_a_quoted_field) {
    buf b = {0};
    put(&b, "snapshot_date,staff_id,sex,grade,department\n");
    int i = 0;
    while (b.len < (3u << 19)) /* 1.5 MiB */
        put(&b, "2020-12-31,S%05d,F,P3,Plain\n", i++);
    size_t quote_from = b.len;
    put(&b, "2020-12-31,S%05d,M,P4,\"Long", i++);
    for (int k = 0; k < 4000; k++) put(&b, "\nline %04d of a long value", k);
    put(&b, "\"\n");
    size_t quote_to = b.len;
    while (b.len < (3u << 20)) put(&b, "2020-12-31,S%05d,F,P3,Plain\n", i++);
    size_t bad_line = b.lines + 1;
    put(&b, "2020-12-31,S%05d,Q,P3,Plain\n", i++);
    put(&b, "2020-12-31,S%05d,M,P2,Plain\n", i++);
    /* the header is 45 bytes; the body's middle is where the cut aims */
    size_t middle = 45 + (b.len - 45) / 2;
    cr_assert(middle > quote_from && middle < quote_to, "test set-up: the cut must fall in the quote");

    parity_table *t = load(&b, 2, PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics_total(t), 1);
    char want[64];
    snprintf(want, sizeof want, "big.csv:%zu:3: unknown sex code \"Q\"", bad_line);
    cr_assert(strncmp(parity_table_diagnostic(t, 0), want, strlen(want)) == 0, "%s",
              parity_table_diagnostic(t, 0));
    cr_assert_eq(parity_table_nrows(t), 0);
    parity_table_free(t);

    /* without the bad row: every row, the long value whole */
    char *bad = strstr(b.s + quote_to, ",Q,");
    bad[1] = 'F';
    t = load(&b, 2, PARITY_OK);
    cr_assert_eq(parity_table_nrows(t), (size_t)i);
    long c = table_find_col(t, "department");
    cr_assert_eq(t->cols[c].dict.n, 3); /* "", Plain, the long one */
    cr_assert_eq(strlen(dict_str(&t->cols[c].dict, 2)), 4 + 4000 * strlen("\nline 0000 of a long value"));
    parity_table_free(t);
    free(b.s);
}

/* Problems in both parts come out in line order with their exact lines, and
** a person twice in one snapshot is caught across the cut. */
Test(parallel, problems_in_every_part_in_line_order) {
    buf b = {0};
    put(&b, "snapshot_date,staff_id,sex,grade,department\n");
    size_t grade_line = 0, dup_line = 0, first_line = 0;
    int i = 0;
    while (b.len < (3u << 20)) {
        if (i == 10) first_line = b.lines + 1;
        if (i == 1000) {
            grade_line = b.lines + 1;
            put(&b, "2020-12-31,S%05d,F,Z9,Plain\n", i++);
            continue;
        }
        put(&b, "2020-12-31,S%05d,F,P3,Plain\n", i++);
    }
    size_t sex_line = b.lines + 1;
    put(&b, "2020-12-31,S%05d,Q,P3,Plain\n", i++);
    dup_line = b.lines + 1;
    put(&b, "2020-12-31,S%05d,M,P3,Plain\n", 10); /* S00010 again, far after the cut */

    parity_table *t = load(&b, 2, PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics_total(t), 2, "%s", parity_table_diagnostic(t, 0));
    char want[128];
    snprintf(want, sizeof want, "big.csv:%zu:4: unknown grade \"Z9\"", grade_line);
    cr_assert(strncmp(parity_table_diagnostic(t, 0), want, strlen(want)) == 0, "%s",
              parity_table_diagnostic(t, 0));
    snprintf(want, sizeof want, "big.csv:%zu:3: unknown sex code \"Q\"", sex_line);
    cr_assert(strncmp(parity_table_diagnostic(t, 1), want, strlen(want)) == 0, "%s",
              parity_table_diagnostic(t, 1));
    parity_table_free(t);

    /* values mended: the duplicate, found across the parts */
    char *z = strstr(b.s, ",Z9,");
    memcpy(z + 1, "P2", 2);
    z = strstr(b.s, ",Q,");
    z[1] = 'F';
    t = load(&b, 2, PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics_total(t), 1);
    snprintf(want, sizeof want,
             "big.csv:%zu: duplicate staff_id \"S00010\" in snapshot 2020-12-31 (first at line %zu)",
             dup_line, first_line);
    cr_assert_str_eq(parity_table_diagnostic(t, 0), want);
    parity_table_free(t);
    free(b.s);
}

/* Parts are first read a slice at a time, taking each record to be one
** line; a blank line and a quoted value over three lines inside a part (not
** at a cut) make the lines outnumber the records, and the file is read again
** a line at a time: the lines reported after them are exact. */
Test(parallel, lines_exact_after_blank_lines_and_multi_line_values) {
    buf b = {0};
    put(&b, "snapshot_date,staff_id,sex,grade,department\n");
    int i = 0;
    while (b.len < (5u << 19)) /* 2.5 MiB: well into the second part */
        put(&b, "2020-12-31,S%05d,F,P3,Plain\n", i++);
    put(&b, "\n");
    put(&b, "2020-12-31,S%05d,M,P4,\"Three\nline\nvalue\"\n", i++);
    while (b.len < (11u << 18)) put(&b, "2020-12-31,S%05d,F,P3,Plain\n", i++);
    size_t sex_line = b.lines + 1;
    put(&b, "2020-12-31,S%05d,Q,P3,Plain\n", i++);
    size_t dup_line = b.lines + 1;
    put(&b, "2020-12-31,S%05d,M,P3,Plain\n", 7); /* S00007 again */
    put(&b, "2020-12-31,S%05d,M,P3,Plain\n", i++);

    parity_table *t = load(&b, 2, PARITY_INVALID);
    char want[128];
    snprintf(want, sizeof want, "big.csv:%zu:3: unknown sex code \"Q\"", sex_line);
    cr_assert(strncmp(parity_table_diagnostic(t, 0), want, strlen(want)) == 0, "%s",
              parity_table_diagnostic(t, 0));
    parity_table_free(t);

    /* the sex mended: the duplicate is reported at both its lines */
    char *q = strstr(b.s, ",Q,");
    q[1] = 'F';
    t = load(&b, 2, PARITY_INVALID);
    cr_assert_eq(parity_table_ndiagnostics_total(t), 1);
    snprintf(want, sizeof want, "big.csv:%zu:", dup_line);
    cr_assert(strncmp(parity_table_diagnostic(t, 0), want, strlen(want)) == 0, "%s",
              parity_table_diagnostic(t, 0));
    cr_assert(strstr(parity_table_diagnostic(t, 0), "line 9"), "%s", parity_table_diagnostic(t, 0));
    parity_table_free(t);

    /* and without it: every row, the three-line value whole */
    char *dup = b.s + b.len - 2 * strlen("2020-12-31,S00007,M,P3,Plain\n");
    cr_assert(strncmp(dup, "2020-12-31,S00007,", 18) == 0);
    dup[12] = 'X';
    t = load(&b, 2, PARITY_OK);
    cr_assert_eq(parity_table_nrows(t), (size_t)i + 1);
    long c = table_find_col(t, "department");
    cr_assert_eq(dict_find(&t->cols[c].dict, "Three\nline\nvalue", 16), 2);
    parity_table_free(t);
    free(b.s);
}
