/* flows.c and the rate tests of stats.c.
**
** - published test vectors for the z-test and Fisher's exact test;
** - the closure identity, exactly, per sex and grade, on random histories of
**   several sizes and seeds (a property test);
** - a differential test: the same flows computed in SQL by SQLite over the
**   same rows, inserted straight from the generator (not through the
**   engine's loader), cell by cell. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

/* ---- the statistics against published values --------------------------- */

Test(flows_stats, z_test_vector) {
    /* 4 of 21 against 33 of 1858: pooled z of about 5.665 */
    double z, p;
    cr_assert(stats_ztest(4, 21, 33, 1858, &z, &p));
    cr_assert_float_eq(z, 5.665, 5e-4);
    cr_assert_lt(p, 1e-7);
    /* symmetric */
    cr_assert(stats_ztest(33, 1858, 4, 21, &z, &p));
    cr_assert_float_eq(z, -5.665, 5e-4);
    /* 0 of 10 vs 0 of 20: undefined */
    cr_assert_not(stats_ztest(0, 10, 0, 20, &z, &p));
}

Test(flows_stats, fisher_vectors) {
    /* Fisher's tea-tasting table [[3,1],[1,3]]: two-sided p = 34/70 = 0.4857 */
    cr_assert_float_eq(stats_fisher(3, 4, 1, 4), 34.0 / 70.0, 1e-12);
    /* [[1,9],[11,3]] (1 of 10 against 11 of 14): p = 0.002759 */
    cr_assert_float_eq(stats_fisher(1, 10, 11, 14), 0.002759, 1e-6);
    /* a table at its most likely: p = 1 */
    cr_assert_float_eq(stats_fisher(2, 4, 2, 4), 1.0, 1e-12);
}

/* The two-sided sum term by term, every term from GSL: the definition,
** slow, to check the walk from the mode in stats_fisher against. */
static double fisher_direct(unsigned x1, unsigned n1, unsigned x2, unsigned n2) {
    unsigned k = x1 + x2, lo = k > n2 ? k - n2 : 0, hi = k < n1 ? k : n1;
    double observed = gsl_ran_hypergeometric_pdf(x1, n1, n2, k), p = 0;
    for (unsigned i = lo; i <= hi; i++) {
        double q = gsl_ran_hypergeometric_pdf(i, n1, n2, k);
        if (q <= observed * (1 + 1e-7)) p += q;
    }
    return p > 1 ? 1 : p;
}

Test(flows_stats, fisher_matches_the_direct_sum) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 11);
    for (int it = 0; it < 2000; it++) {
        unsigned n1 = 1 + (unsigned)gsl_rng_uniform_int(rng, it < 1000 ? 40 : 3000);
        unsigned n2 = 1 + (unsigned)gsl_rng_uniform_int(rng, it < 1000 ? 40 : 3000);
        unsigned x1 = (unsigned)gsl_rng_uniform_int(rng, n1 + 1);
        unsigned x2 = (unsigned)gsl_rng_uniform_int(rng, n2 + 1);
        double want = fisher_direct(x1, n1, x2, n2), got = stats_fisher(x1, n1, x2, n2);
        cr_assert(fabs(got - want) <= 1e-9 * (want > 1e-300 ? want : 1) + 1e-300,
                  "%u/%u vs %u/%u: %.17g against %.17g", x1, n1, x2, n2, got, want);
    }
    gsl_rng_free(rng);
}

/* ---- random histories --------------------------------------------------- */

static const char *const G[] = {"G3", "G5", "P2", "P3", "P4", "D1"};
static const int RANK[] = {2, 4, 13, 14, 15, 17}; /* positions on the UN scale */
static const char *const ST[] = {"Geneva", "Nairobi", ""};
static const char SX[] = "FMXU";

typedef struct hist {
    char *csv;
    size_t len, cap;
    sqlite3 *db;
    sqlite3_stmt *ins;
} hist;

static void emit(hist *h, int year, int id, int sex, int grade, int st) {
    char line[128];
    int n = snprintf(line, sizeof line, "%d-12-31,p%d,%c,%s,%s\n", year, id, SX[sex], G[grade],
                     ST[st]);
    if (h->len + (size_t)n + 1 > h->cap) {
        h->cap = (h->cap + (size_t)n + 1) * 2;
        h->csv = realloc(h->csv, h->cap);
    }
    memcpy(h->csv + h->len, line, (size_t)n + 1);
    h->len += (size_t)n;
    sqlite3_bind_int(h->ins, 1, year);
    sqlite3_bind_int(h->ins, 2, id);
    sqlite3_bind_text(h->ins, 3, (char[]){SX[sex], 0}, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(h->ins, 4, RANK[grade]);
    sqlite3_bind_text(h->ins, 5, ST[st], -1, SQLITE_STATIC);
    cr_assert_eq(sqlite3_step(h->ins), SQLITE_DONE);
    sqlite3_reset(h->ins);
}

/* People who leave, join, are promoted and demoted, move and, rarely, have
** their recorded sex changed, over `years` yearly snapshots from 2010. */
static hist make_history(unsigned long seed, int people, int years) {
    hist h = {0};
    h.csv = malloc(h.cap = 1024);
    h.len = (size_t)snprintf(h.csv, h.cap, "snapshot_date,staff_id,sex,grade,duty_station\n");
    cr_assert_eq(sqlite3_open(":memory:", &h.db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h.db, "CREATE TABLE r(y INT, id INT, s TEXT, g INT, st TEXT)", 0, 0, 0),
                 SQLITE_OK);
    sqlite3_prepare_v2(h.db, "INSERT INTO r VALUES(?,?,?,?,?)", -1, &h.ins, 0);
    sqlite3_exec(h.db, "BEGIN", 0, 0, 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    int cap = people * (years + 1) + 1, n = 0, next = 1;
    int *id = malloc(sizeof(int) * (size_t)cap), *sex = malloc(sizeof(int) * (size_t)cap),
        *gr = malloc(sizeof(int) * (size_t)cap), *st = malloc(sizeof(int) * (size_t)cap);
    for (; n < people; n++) {
        id[n] = next++;
        sex[n] = (int)gsl_rng_uniform_int(r, 4);
        gr[n] = (int)gsl_rng_uniform_int(r, 6);
        st[n] = (int)gsl_rng_uniform_int(r, 3);
    }
    for (int y = 0; y < years; y++) {
        for (int i = 0; i < n; i++) emit(&h, 2010 + y, id[i], sex[i], gr[i], st[i]);
        int m = 0;
        for (int i = 0; i < n; i++) {
            double u = gsl_rng_uniform(r);
            if (u < 0.1) continue; /* leaves */
            id[m] = id[i];
            sex[m] = gsl_rng_uniform(r) < 0.02 ? (int)gsl_rng_uniform_int(r, 4) : sex[i];
            u = gsl_rng_uniform(r);
            gr[m] = u < 0.1 && gr[i] < 5 ? gr[i] + 1 : u < 0.13 && gr[i] > 0 ? gr[i] - 1 : gr[i];
            st[m] = gsl_rng_uniform(r) < 0.15 ? (int)gsl_rng_uniform_int(r, 3) : st[i];
            m++;
        }
        int hires = (int)gsl_rng_uniform_int(r, (unsigned long)people / 5 + 1);
        for (int k = 0; k < hires && m < cap; k++, m++) {
            id[m] = next++;
            sex[m] = (int)gsl_rng_uniform_int(r, 4);
            gr[m] = (int)gsl_rng_uniform_int(r, 6);
            st[m] = (int)gsl_rng_uniform_int(r, 3);
        }
        n = m;
    }
    sqlite3_exec(h.db, "COMMIT", 0, 0, 0);
    /* the queries look a person up in a snapshot (EXISTS, JOIN): 8.9 s
    ** without this index, 0.6 s with it (an index on (y, g, s) too made
    ** SQLite choose a plan of 44 s) */
    cr_assert_eq(sqlite3_exec(h.db, "CREATE INDEX r_yid ON r(y, id)",
                              0, 0, 0),
                 SQLITE_OK);
    free(id);
    free(sex);
    free(gr);
    free(st);
    gsl_rng_free(r);
    return h;
}

static void free_history(hist *h) {
    sqlite3_finalize(h->ins);
    sqlite3_close(h->db);
    free(h->csv);
}

static double cell(const parity_result *r, size_t g, const char *name) {
    long c = parity_result_column(r, name);
    cr_assert_geq(c, 0, "no column %s", name);
    return parity_result_number(r, g, (size_t)c);
}

static double sexcell(const parity_result *r, size_t g, const char *m, int s) {
    static const char *const key[4] = {"female", "male", "other", "unknown"};
    char name[96];
    snprintf(name, sizeof name, "%s.%s", m, key[s]);
    return cell(r, g, name);
}

/* ---- the closure identity ---------------------------------------------- */

static void check_identity(unsigned long seed, int people, int years) {
    hist h = make_history(seed, people, years);
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "h.csv", h.csv, h.len, NULL), PARITY_OK,
                 "%s", parity_table_errmsg(t));
    parity_result *r;
    cr_assert_eq(parity_flows(t, "period,grade", "2010-12-31", NULL, NULL, &r), PARITY_OK,
                 "%s", parity_table_errmsg(t));
    size_t checked = 0;
    for (size_t g = 0; g < parity_result_ngroups(r); g++) {
        for (int s = 0; s < 4; s++) {
            double h0 = sexcell(r, g, "headcount", s), h1 = sexcell(r, g, "headcount_end", s);
            double rhs = h0 + sexcell(r, g, "hires", s) - sexcell(r, g, "separations", s) +
                         sexcell(r, g, "promotions", s) - sexcell(r, g, "promotions_out", s) +
                         sexcell(r, g, "demotions", s) - sexcell(r, g, "demotions_out", s) +
                         sexcell(r, g, "sex_change", s);
            cr_assert_eq(h1, rhs, "seed %lu group %zu sex %d: %g != %g", seed, g, s, h1, rhs);
            checked++;
        }
    }
    cr_assert_gt(checked, 0);
    /* the end headcounts of the last period are the stocks that
    ** representation counts at the last snapshot, sex by sex */
    parity_result *last, *rep;
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, NULL, &last), PARITY_OK);
    cr_assert_eq(parity_representation(t, "", NULL, &rep), PARITY_OK);
    static const char *const stock[4] = {"female", "male", "other", "unknown"};
    size_t lt = parity_result_ngroups(last);
    for (int s = 0; s < 4; s++)
        cr_assert_eq(sexcell(last, lt, "headcount_end", s), cell(rep, 0, stock[s]));
    parity_result_free(rep);
    parity_result_free(last);
    parity_result_free(r);
    parity_table_free(t);
    free_history(&h);
}

Test(flows, closure_identity_over_seeds_and_sizes) {
    static const int sizes[] = {5, 40, 300, 3000};
    for (unsigned long seed = 1; seed <= 6; seed++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            check_identity(seed * 7919 + k, sizes[k], 2 + (int)(seed % 5));
}

/* ---- the differential test against SQL ---------------------------------- */

/* One value from SQL for year pair (a, b), grade rank g, sex s. */
static int sql_count(sqlite3 *db, const char *query, int a, int b, int g, char s) {
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, query, -1, &st, 0), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_bind_int(st, 1, a);
    sqlite3_bind_int(st, 2, b);
    sqlite3_bind_int(st, 3, g);
    sqlite3_bind_text(st, 4, (char[]){s, 0}, -1, SQLITE_TRANSIENT);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ?1 = t0 year, ?2 = t1 year, ?3 = grade rank, ?4 = sex; x = t0 row, y = t1 row */
static const struct {
    const char *measure, *sql;
} Q[] = {
    {"headcount", "SELECT count(*) FROM r x WHERE y=?1 AND ?2=?2 AND g=?3 AND s=?4"},
    {"hires", "SELECT count(*) FROM r y WHERE y.y=?2 AND ?1=?1 AND g=?3 AND s=?4 AND NOT EXISTS "
              "(SELECT 1 FROM r x WHERE x.y=?1 AND x.id=y.id)"},
    {"separations", "SELECT count(*) FROM r x WHERE x.y=?1 AND ?2=?2 AND g=?3 AND s=?4 AND NOT "
                    "EXISTS (SELECT 1 FROM r y WHERE y.y=?2 AND x.id=y.id)"},
    {"promotions", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 AND "
                   "y.g=?3 AND y.s=?4 AND y.g>x.g"},
    {"promotions_out", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 "
                       "AND x.g=?3 AND y.s=?4 AND y.g>x.g"},
    {"demotions", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 AND "
                  "y.g=?3 AND y.s=?4 AND y.g<x.g"},
    {"demotions_out", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 "
                      "AND x.g=?3 AND y.s=?4 AND y.g<x.g"},
    {"moves", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 AND "
              "x.g=?3 AND y.s=?4 AND x.st<>'' AND y.st<>'' AND x.st<>y.st"},
    {"lateral_moves", "SELECT count(*) FROM r x JOIN r y ON x.id=y.id WHERE x.y=?1 AND y.y=?2 "
                      "AND x.g=?3 AND y.s=?4 AND x.st<>'' AND y.st<>'' AND x.st<>y.st AND "
                      "x.g=y.g"},
};

/* The row of r for grade name gname, or -1. */
static long group_of(const parity_result *r, const char *gname) {
    long c = parity_result_column(r, "grade");
    for (size_t g = 0; g < parity_result_ngroups(r); g++)
        if (strcmp(parity_result_text(r, g, (size_t)c), gname) == 0) return (long)g;
    return -1;
}

Test(flows, equals_sql_cell_by_cell) {
    hist h = make_history(20240601, 2500, 5); /* snapshots 2010..2014 */
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "h.csv", h.csv, h.len, NULL), PARITY_OK);
    /* each single period, then all four pooled */
    for (int a = 2010; a <= 2014; a++) {
        bool pooled = a == 2014;
        int first = pooled ? 2010 : a, last = pooled ? 2014 : a + 1;
        char from[11], to[11];
        snprintf(from, sizeof from, "%d-12-31", first);
        snprintf(to, sizeof to, "%d-12-31", last);
        parity_result *r;
        cr_assert_eq(parity_flows(t, "grade", from, to, NULL, &r), PARITY_OK);
        for (size_t gi = 0; gi < 6; gi++) {
            long g = group_of(r, G[gi]);
            cr_assert_geq(g, 0);
            for (int s = 0; s < 4; s++)
                for (size_t q = 0; q < sizeof Q / sizeof Q[0]; q++) {
                    int want = 0;
                    for (int y = first; y < last; y++)
                        want += sql_count(h.db, Q[q].sql, y, y + 1, RANK[gi], SX[s]);
                    cr_assert_eq(sexcell(r, (size_t)g, Q[q].measure, s), want,
                                 "%s %s %c %d-%d", Q[q].measure, G[gi], SX[s], first, last);
                }
            /* a pooled rate is the ratio of the pooled counts */
            double h0 = sexcell(r, (size_t)g, "headcount", 0);
            if (h0 > 0)
                cr_assert_float_eq(cell(r, (size_t)g, "promotion_rate.female"),
                                   sexcell(r, (size_t)g, "promotions_out", 0) / h0, 1e-15);
        }
        parity_result_free(r);
    }
    parity_table_free(t);
    free_history(&h);
}

Test(flows, refuses_what_it_cannot_do) {
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/no_staff_id.csv", NULL), PARITY_OK);
    parity_result *r;
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, NULL, &r), PARITY_INVALID);
    cr_assert(strstr(parity_table_errmsg(t), "staff_id"));
    parity_table_free(t);
    t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv(t, TEST_DATA "/messy.csv", NULL), PARITY_OK);
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, "floor", &r), PARITY_USAGE);
    cr_assert_eq(parity_flows(t, "grade", "2023-12-31", "2022-12-31", NULL, &r), PARITY_USAGE);
    /* messy.csv by hand: Ann (1) P3 F -> Smith P4 F: promoted P3 -> P4;
    ** Bob (2) P4 M -> O'Brien P4 M, Nairobi both times: no move; 6 hires */
    cr_assert_eq(parity_flows(t, "grade", NULL, NULL, NULL, &r), PARITY_OK);
    long p3 = group_of(r, "P3"), p4 = group_of(r, "P4");
    cr_assert_eq(sexcell(r, (size_t)p3, "promotions_out", 0), 1);
    cr_assert_eq(cell(r, (size_t)p3, "promotion_rate.female"), 1.0);
    cr_assert_eq(sexcell(r, (size_t)p4, "promotions", 0), 1);
    cr_assert_eq(sexcell(r, (size_t)p4, "moves", 1), 0);
    size_t tot = parity_result_ngroups(r);
    cr_assert_eq(sexcell(r, tot, "hires", 0) + sexcell(r, tot, "hires", 1) +
                     sexcell(r, tot, "hires", 2) + sexcell(r, tot, "hires", 3),
                 6);
    /* Ann moved Geneva -> Geneva: no; the one move-free pair gives 0 moves */
    cr_assert_eq(sexcell(r, tot, "moves", 0), 0);
    parity_result_free(r);
    parity_table_free(t);
}
