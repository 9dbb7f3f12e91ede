/* Projections and targets (trend.c, flowmodel.c, targets.c).
**
** Every expected value is worked out by hand from the fixtures (described in
** tests/data/SOURCE.md) or by a second route written here: the closed form
** of DESIGN.md, the Markov recursion iterated in plain C, Student's t from a
** printed table. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markov.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"
#include "trend.h"

static parity_table *load(const char *file, parity_config *cfg) {
    parity_config *own = cfg ? cfg : parity_config_new();
    parity_table *t = parity_table_new(own);
    cr_assert_not_null(t);
    cr_assert_eq(parity_table_load_csv(t, file, NULL), PARITY_OK, "%s", parity_table_errmsg(t));
    parity_config_free(own);
    return t;
}

/* The row whose first column is `key` ("Total" for the total row). */
static size_t row_of(const parity_result *r, const char *key) {
    size_t n = parity_result_ngroups(r);
    if (strcmp(key, "Total") == 0) {
        cr_assert(parity_result_has_total(r));
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = parity_result_text(r, i, 0);
        if (s && strcmp(s, key) == 0) return i;
    }
    cr_assert_fail("no row %s", key);
    return 0;
}

static double num(const parity_result *r, const char *row, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0, "no column %s", col);
    size_t i = row_of(r, row);
    cr_assert_not(parity_result_is_null(r, i, (size_t)c), "%s/%s is null", row, col);
    return parity_result_number(r, i, (size_t)c);
}

static int is_null(const parity_result *r, const char *row, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0, "no column %s", col);
    return parity_result_is_null(r, row_of(r, row), (size_t)c);
}

static const char *text(const parity_result *r, const char *row, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0, "no column %s", col);
    return parity_result_text(r, row_of(r, row), (size_t)c);
}

/* ---- least squares ------------------------------------------------------ */

Test(trend, line_by_hand) {
    /* x = 0..4 (years after 2016), y = .30 .32 .35 .36 .40:
    ** xbar = 2, ybar = .346, Sxy = .24, Sxx = 10: slope .024, intercept .298;
    ** residuals .002 -.002 .004 -.010 .006, RSS 1.6e-4, s2 = RSS/3. */
    double x[] = {0, 1, 2, 3, 4}, y[] = {.30, .32, .35, .36, .40};
    stats_line l;
    cr_assert(stats_linfit(x, y, 5, &l));
    cr_assert_float_eq(l.c1, 0.024, 1e-12);
    cr_assert_float_eq(l.c0, 0.298, 1e-12);
    cr_assert_float_eq(l.s2, 1.6e-4 / 3, 1e-15);
    /* t(0.975, 3) = 3.182446 from the printed table */
    cr_assert_float_eq(l.t975, 3.182446, 1e-6);
    /* at x = 5: .418 +- t * sqrt(s2 (1 + 1/5 + 9/10)) */
    double lo, hi, v = stats_linfit_predict(&l, 5, &lo, &hi);
    double half = 3.182446 * sqrt(1.6e-4 / 3 * 2.1);
    cr_assert_float_eq(v, 0.418, 1e-12);
    cr_assert_float_eq(lo, 0.418 - half, 1e-6);
    cr_assert_float_eq(hi, 0.418 + half, 1e-6);
    /* two points, or x that does not vary: no line */
    cr_assert_not(stats_linfit(x, y, 2, &l));
    double same[] = {3, 3, 3};
    cr_assert_not(stats_linfit(same, y, 3, &l));
}

Test(trend, projection_of_aggregated_input) {
    parity_table *t = load(TEST_DATA "/trend.csv", NULL);
    parity_project_options o;
    parity_project_options_init(&o);
    o.horizon = 2025;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    /* P4: the line above, on 1 January (x = the year exactly) */
    cr_assert_float_eq(num(r, "P4", "slope"), 2.4, 1e-9);
    cr_assert_float_eq(num(r, "P4", "points"), 5, 0);
    cr_assert_float_eq(num(r, "P4", "female_share"), 0.40, 1e-12);
    cr_assert_float_eq(num(r, "P4", "projection.2021.female_share"), 0.418, 1e-9);
    cr_assert_float_eq(num(r, "P4", "projection.2023.female_share"), 0.466, 1e-9);
    double half = 3.182446 * sqrt(1.6e-4 / 3 * 2.1);
    cr_assert_float_eq(num(r, "P4", "projection.2021.pi95"), 0.418 - half, 1e-6);
    /* .466 in 2023 is short of the band's edge .47; .490 in 2024 is in */
    cr_assert_float_eq(num(r, "P4", "parity_year"), 2024, 0);
    /* P3 is within the band already; D1 is flat at 20%: never */
    cr_assert_str_eq(text(r, "P3", "parity_year"), "reached");
    cr_assert(is_null(r, "D1", "parity_year"));
    cr_assert_str_eq(text(r, "D1", "reason"), "not at current trend");
    cr_assert_float_eq(num(r, "D1", "slope"), 0, 1e-12);
    /* a flat line has no residuals: the interval's sd is floored at half a
    ** step of the share, 1 / (2 x 10) for D1, x = 2025 is 7 from the mean */
    long pi = parity_result_column(r, "projection.2025.pi95");
    cr_assert_float_eq(parity_result_high(r, row_of(r, "D1"), (size_t)pi),
                       0.2 + 3.182446 * sqrt(0.05 * 0.05 * 6.1), 1e-6);
    parity_result_free(r);

    /* the last three snapshots only: y = .35 .36 .40, slope 2.5 points */
    o.snapshots = 3;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK);
    cr_assert_float_eq(num(r, "P4", "slope"), 2.5, 1e-9);
    parity_result_free(r);
    /* two snapshots: no trend */
    o.at = "2017-01-01";
    o.snapshots = 0;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK);
    cr_assert(is_null(r, "P4", "slope"));
    cr_assert_str_eq(text(r, "P4", "reason"), "fewer than 3 snapshots with staff");
    parity_result_free(r);
    parity_table_free(t);
}

Test(trend, a_fast_line_steps_over_the_band) {
    /* a line from 30% rising 10 points a year jumps from 46% to 56%: it has
    ** reached parity when it passes the near edge, band or no band */
    stats_line l = {.c0 = 0.30, .c1 = 0.10, .t975 = 1, .n = 3, .xbar = 2019, .sxx = 2};
    projection_years y = {.at_year = 2020, .month = 1, .day = 1, .first = 2021, .last = 2030};
    /* x is the decimal year: the line is .30 + .10 (x - 0) -- shift it */
    l.c0 = 0.30 - 0.10 * 2020 + 0.06; /* 36% in 2020, 46% in 2021, 56% in 2022 */
    cr_assert_eq(trend_parity_year(&l, &y, 0.5, 0.03), 2022);
    /* falling towards the band from above: 60% in 2020, 53% in 2027 */
    l.c1 = -0.01;
    l.c0 = 0.60 + 0.01 * 2020;
    cr_assert_eq(trend_parity_year(&l, &y, 0.5, 0.03), 2027);
    /* moving away, above the band */
    l.c1 = 0.01;
    l.c0 = 0.60 - 0.01 * 2020;
    cr_assert_eq(trend_parity_year(&l, &y, 0.5, 0.03), 0);
}

/* A line inside the band but heading out of it: the year the table shows
** inside the band is the parity year, whatever the share observed last
** (aggregated P4 of 1,000 staff: 49% from 2016 to 2024, 46% in 2025). */
Test(trend, the_parity_year_agrees_with_the_line) {
    char csv[4096], *p = csv;
    p += sprintf(p, "snapshot_date,sex,grade,count\n");
    for (int yr = 2016; yr <= 2025; yr++) {
        int f = yr == 2025 ? 460 : 490;
        p += sprintf(p, "%d-12-31,F,P4,%d\n%d-12-31,M,P4,%d\n", yr, f, yr, 1000 - f);
    }
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "agg.csv", csv, strlen(csv), NULL), PARITY_OK);
    parity_project_options o;
    parity_project_options_init(&o);
    o.horizon = 2030;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    /* least squares by hand: x = 2016.997..2025.997 (31 December), y 0.49 x9
    ** and 0.46: slope -0.0016364 per year, line at the end of 2026 0.47800,
    ** of 2027 0.47636: in the band (0.47 to 0.53) in 2026 and 2027 */
    long c26 = parity_result_column(r, "projection.2026.female_share");
    cr_assert_float_eq(parity_result_number(r, 0, (size_t)c26), 0.478000, 1e-6);
    long py = parity_result_column(r, "parity_year");
    cr_assert_eq(parity_result_number(r, 0, (size_t)py), 2026);
    long st = parity_result_column(r, "parity_status");
    cr_assert_str_eq(parity_result_text(r, 0, (size_t)st), "projected");
    parity_result_free(r);
    parity_table_free(t);
}

/* ---- the flow model ----------------------------------------------------- */

/* The recursion of markov.csv by hand: per sex, P3 -> P3, P3 -> P4, P4 -> P4. */
static void markov_by_hand(int years, double f[2], double m[2]) {
    /* from the 2021 stocks: P3 70 F 70 M; P4 45 + 20 = 65 F, 135 + 10 = 145 M */
    f[0] = 70, f[1] = 65, m[0] = 70, m[1] = 145;
    for (int k = 0; k < years; k++) {
        double f3 = f[0] * 0.7, f4 = f[1] * 0.9 + f[0] * 0.2;
        double m3 = m[0] * 0.7, m4 = m[1] * 0.9 + m[0] * 0.1;
        f[0] = f3, f[1] = f4, m[0] = m3, m[1] = m4;
    }
}

Test(flow, zero_hires_follows_the_recursion) {
    parity_table *t = load(TEST_DATA "/markov.csv", NULL);
    parity_project_options o;
    parity_project_options_init(&o);
    o.method = PARITY_METHOD_FLOW;
    o.horizon = 2024;
    const char *set[] = {"hires=0"};
    o.set = set;
    o.nset = 1;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    /* the estimated rates */
    cr_assert_float_eq(num(r, "P3", "separation_rate.female"), 0.1, 1e-12);
    cr_assert_float_eq(num(r, "P3", "separation_rate.male"), 0.2, 1e-12);
    cr_assert_float_eq(num(r, "P3", "promotion_rate.female"), 0.2, 1e-12);
    cr_assert_float_eq(num(r, "P3", "promotion_rate.male"), 0.1, 1e-12);
    cr_assert_float_eq(num(r, "P4", "separation_rate.male"), 0.1, 1e-12);
    cr_assert_float_eq(num(r, "P4", "staff"), 210, 0);
    for (int year = 2022; year <= 2024; year++) {
        double f[2], m[2];
        markov_by_hand(year - 2021, f, m);
        char col[64];
        snprintf(col, sizeof col, "projection.%d.female_share", year);
        cr_assert_float_eq(num(r, "P3", col), f[0] / (f[0] + m[0]), 1e-12, "%d", year);
        cr_assert_float_eq(num(r, "P4", col), f[1] / (f[1] + m[1]), 1e-12, "%d", year);
        cr_assert_float_eq(num(r, "Total", col), (f[0] + f[1]) / (f[0] + f[1] + m[0] + m[1]),
                           1e-12, "%d", year);
    }
    /* 2022 by hand: P4 = (58.5 + 14) / (58.5 + 14 + 130.5 + 7) */
    cr_assert_float_eq(num(r, "P4", "projection.2022.female_share"), 72.5 / 210, 1e-12);
    parity_result_free(r);

    /* headcount held: P4 needs no hires in 2022 (210 stay or arrive), P3
    ** hires 140 - 98 = 42; nobody was hired in the data, so hires follow the
    ** grade's own share (50%): P3 stays at 50% */
    o.nset = 0;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK);
    cr_assert_float_eq(num(r, "P4", "projection.2022.female_share"), 72.5 / 210, 1e-12);
    cr_assert_float_eq(num(r, "P3", "projection.2022.female_share"), 0.5, 1e-12);
    parity_result_free(r);
    parity_table_free(t);
}

Test(flow, what_if_hire_share_moves_the_parity_year) {
    /* closed_form.csv: p0 = .40, q = .08, headcount constant, so with a
    ** hire share s the share after n years is s - (s - .4) .92^n. With
    ** s = .6: .6 - .2 * .92^n reaches .47 when .92^n <= .65, n >= 5.17:
    ** the sixth year, 2027. */
    parity_table *t = load(TEST_DATA "/closed_form.csv", NULL);
    parity_project_options o;
    parity_project_options_init(&o);
    o.method = PARITY_METHOD_FLOW;
    const char *set[] = {"hire_share:P-4=0.6"};
    o.set = set;
    o.nset = 1;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    cr_assert_float_eq(num(r, "P4", "projection.2022.female_share"), 0.6 - 0.2 * 0.92, 1e-12);
    cr_assert_float_eq(num(r, "P4", "projection.2026.female_share"), 0.6 - 0.2 * pow(0.92, 5),
                       1e-12);
    cr_assert_float_eq(num(r, "P4", "parity_year"), 2027, 0);
    parity_result_free(r);
    /* as observed (s = .4) the share stays at 40% for ever */
    o.nset = 0;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK);
    cr_assert_float_eq(num(r, "P4", "projection.2031.female_share"), 0.4, 1e-12);
    cr_assert(is_null(r, "P4", "parity_year"));
    parity_result_free(r);
    /* bad overrides are usage errors */
    const char *bad[] = {"hire_share:P9=0.5", "hire_share=1.5", "speed=1", "separation_rate.female=0.95x",
                         "promotion_rate:USG=0.1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.set = &bad[i];
        o.nset = 1;
        cr_assert_eq(parity_project(t, &o, &r), PARITY_USAGE, "%s", bad[i]);
    }
    parity_table_free(t);
}

Test(flow, monte_carlo_converges_and_is_reproducible) {
    parity_table *t = load(TEST_DATA "/markov.csv", NULL);
    parity_project_options o;
    parity_project_options_init(&o);
    o.method = PARITY_METHOD_FLOW;
    o.horizon = 2023;
    o.simulations = 4000;
    o.seed = 7;
    o.fixed_rates = 1; /* people's chance only: the mean is the recursion's */
    parity_result *r, *again, *other, *uncertain;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    cr_assert_eq(parity_project(t, &o, &again), PARITY_OK);
    o.seed = 8;
    cr_assert_eq(parity_project(t, &o, &other), PARITY_OK);
    const char *rows[] = {"P3", "P4", "Total"};
    for (size_t i = 0; i < 3; i++) {
        for (int year = 2022; year <= 2023; year++) {
            char mean[64], det[64], pi[64];
            snprintf(mean, sizeof mean, "projection.%d.simulated_mean", year);
            snprintf(det, sizeof det, "projection.%d.female_share", year);
            snprintf(pi, sizeof pi, "projection.%d.pi95", year);
            /* a share of ~200 people has sd <= .035; the mean of 4000 runs
            ** is within .002 of the expectation, and the recursion of
            ** expected values is that expectation to first order */
            cr_assert_float_eq(num(r, rows[i], mean), num(r, rows[i], det), 0.004, "%s %d",
                               rows[i], year);
            long c = parity_result_column(r, pi);
            size_t row = row_of(r, rows[i]);
            double lo = parity_result_number(r, row, (size_t)c),
                   hi = parity_result_high(r, row, (size_t)c);
            cr_assert_lt(lo, num(r, rows[i], det));
            cr_assert_gt(hi, num(r, rows[i], det));
            cr_assert_eq(num(r, rows[i], mean), num(again, rows[i], mean));
            cr_assert_eq(lo, parity_result_number(again, row, (size_t)c));
        }
    }
    cr_assert_neq(num(r, "P4", "projection.2023.simulated_mean"),
                  num(other, "P4", "projection.2023.simulated_mean"));
    /* drawing the rates from their uncertainty as well widens the interval */
    o.fixed_rates = 0;
    cr_assert_eq(parity_project(t, &o, &uncertain), PARITY_OK);
    long c = parity_result_column(r, "projection.2023.pi95");
    size_t p4 = row_of(r, "P4");
    cr_assert_gt(parity_result_high(uncertain, p4, (size_t)c) -
                     parity_result_number(uncertain, p4, (size_t)c),
                 parity_result_high(r, p4, (size_t)c) - parity_result_number(r, p4, (size_t)c));
    parity_result_free(uncertain);
    parity_result_free(r);
    parity_result_free(again);
    parity_result_free(other);
    parity_table_free(t);
}

Test(flow, needs_people_not_counts) {
    parity_table *t = load(TEST_DATA "/trend.csv", NULL);
    parity_project_options o;
    parity_project_options_init(&o);
    o.method = PARITY_METHOD_FLOW;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_INVALID);
    cr_assert(strstr(parity_table_errmsg(t), "aggregated"));
    parity_table_free(t);
}

/* ---- targets ------------------------------------------------------------ */

static parity_result *targets(const char *file, const char *const *specs, size_t n) {
    parity_config *cfg = parity_config_new();
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(parity_config_add_target(cfg, specs[i]), PARITY_OK, "%s",
                     parity_config_errmsg(cfg));
    parity_table *t = load(file, cfg);
    parity_result *r;
    cr_assert_eq(parity_targets(t, NULL, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    parity_table_free(t);
    return r;
}

static double cell(const parity_result *r, size_t row, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0);
    cr_assert_not(parity_result_is_null(r, row, (size_t)c), "row %zu %s null", row, col);
    return parity_result_number(r, row, (size_t)c);
}

static const char *word(const parity_result *r, size_t row, const char *col) {
    long c = parity_result_column(r, col);
    cr_assert_geq(c, 0);
    return parity_result_text(r, row, (size_t)c);
}

Test(targets, required_hire_share_is_the_closed_form) {
    /* DESIGN.md: s = (T - p0 (1-q)^n) / (1 - (1-q)^n); p0 .40, q .08, n 5 */
    const char *specs[] = {"grade=P4:0.5:2026", "grade=P4:30%:2026", "grade=P4:0.9:2022",
                           "all:0.5:2026"};
    parity_result *r = targets(TEST_DATA "/closed_form.csv", specs, 4);
    double d5 = pow(0.92, 5);
    cr_assert_float_eq(cell(r, 0, "required_hire_share"), (0.5 - 0.4 * d5) / (1 - d5), 1e-9);
    cr_assert_float_eq(cell(r, 0, "required_hire_share"), 0.6933, 1e-4);
    cr_assert_float_eq(cell(r, 1, "required_hire_share"), (0.3 - 0.4 * d5) / (1 - d5), 1e-9);
    cr_assert_float_eq(cell(r, 3, "required_hire_share"), (0.5 - 0.4 * d5) / (1 - d5), 1e-9);
    /* the observed share of hires, 8 of 20 */
    cr_assert_float_eq(cell(r, 0, "hires_female_share"), 0.4, 1e-12);
    /* 90% in one year: at most .4 * .92 + .08 = .448 */
    cr_assert(parity_result_is_null(r, 2, (size_t)parity_result_column(r, "required_hire_share")));
    cr_assert(strstr(word(r, 2, "reason"), "unreachable"));
    cr_assert(strstr(word(r, 2, "reason"), "44.8%"));
    /* 30% is exceeded: 40% is above its band (27-33%), and a target is
    ** two-sided. 50% is off track by the flow model: with 40% of hires
    ** women and equal rates of leaving, the share stays at 40% */
    cr_assert_str_eq(word(r, 1, "status"), "above_band");
    cr_assert_str_eq(word(r, 0, "status"), "off_track");
    cr_assert_str_eq(word(r, 0, "status_basis"), "flow");
    cr_assert_float_eq(cell(r, 0, "flow_at_year"), 0.4, 1e-9);
    cr_assert_float_eq(cell(r, 0, "current"), 0.4, 1e-12);
    parity_result_free(r);
}

Test(targets, status_from_the_trend) {
    /* trend.csv P4: the line is .418 in 2021, .466 in 2023, .490 in 2024 */
    const char *specs[] = {"grade=P4:0.5:2024", "grade=P4:0.5:2023", "grade=P4:0.35:2030",
                           "grade=P4:0.4:2030", "grade=P4:0.5:2019",
                           "grade=P4:0.5:2030:hires"};
    parity_result *r = targets(TEST_DATA "/trend.csv", specs, 6);
    /* aggregated input: no flow model, so the trend judges */
    cr_assert_str_eq(word(r, 0, "status"), "on_track");
    cr_assert_str_eq(word(r, 0, "status_basis"), "trend");
    cr_assert_float_eq(cell(r, 0, "trend_at_year"), 0.49, 1e-9);
    cr_assert_str_eq(word(r, 1, "status"), "off_track");
    cr_assert_float_eq(cell(r, 1, "trend_at_year"), 0.466, 1e-9);
    /* 40% against 35% +/- 3: above the band, not met; against 40%: met */
    cr_assert_str_eq(word(r, 2, "status"), "above_band");
    cr_assert_str_eq(word(r, 2, "band_status"), "above");
    cr_assert_str_eq(word(r, 3, "status"), "met");
    cr_assert_str_eq(word(r, 4, "status"), "off_track");
    /* aggregated input has no hires, and no required share */
    cr_assert(strstr(word(r, 5, "reason"), "person-level"));
    cr_assert(strstr(word(r, 0, "reason"), "person-level"));
    parity_result_free(r);
    /* a value the data does not have fails the call, naming it */
    parity_config *cfg = parity_config_new();
    parity_config_add_target(cfg, "grade=P9:0.5:2030");
    parity_table *t = load(TEST_DATA "/trend.csv", cfg);
    cr_assert_eq(parity_targets(t, NULL, &r), PARITY_USAGE);
    cr_assert_str_eq(parity_table_errmsg(t), "target grade=P9: no grade \"P9\" in the data");
    parity_table_free(t);
}

Test(targets, specs_and_config) {
    parity_config *cfg = parity_config_new();
    const char *bad[] = {"grade=P4:0.5", "grade=P4:1.5:2028", "grade=P4:0.5:20x8",
                         "grade:0.5:2028", "grade=P4:0.5:2028:salaries", "grade=P4:0.5:1800"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(parity_config_add_target(cfg, bad[i]), PARITY_USAGE, "%s", bad[i]);
    cr_assert(strstr(parity_config_errmsg(cfg), "1900"));
    cr_assert_eq(parity_config_add_target(cfg, "duty_station=Addis:Ababa:0.5:2028"), PARITY_OK);
    cr_assert_eq(cfg->ntargets, 1);
    cr_assert_str_eq(cfg->targets[0].value[0], "Addis:Ababa");
    cr_assert_eq(parity_config_add_target(cfg, "grade=P4,department=HR:45%:2030:promotions"),
                 PARITY_OK);
    cr_assert_eq(cfg->targets[1].nscope, 2);
    cr_assert_float_eq(cfg->targets[1].share, 0.45, 1e-12);
    cr_assert_eq(cfg->targets[1].measure, MEASURE_PROMOTIONS);
    cr_assert_eq(cfg->targets[1].year, 2030);

    char path[] = "/tmp/parity_targets_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"targets\": [\"grade=P5:0.5:2030\", {\"scope\": {\"grade\": \"D1\"}, "
          "\"share\": 0.4, \"year\": 2029, \"measure\": \"hires\", \"band\": 0.05}]}",
          f);
    fclose(f);
    parity_config_clear_targets(cfg);
    cr_assert_eq(parity_config_load(cfg, path), PARITY_OK, "%s", parity_config_errmsg(cfg));
    cr_assert_eq(cfg->ntargets, 2);
    cr_assert_str_eq(cfg->targets[1].scope, "grade=D1");
    cr_assert_float_eq(cfg->targets[1].band, 0.05, 1e-12);
    cr_assert_eq(cfg->targets[1].measure, MEASURE_HIRES);
    f = fopen(path, "w");
    fputs("{\"targets\": [{\"scope\": \"grade=D1\", \"share\": 0.4}]}", f);
    fclose(f);
    cr_assert_eq(parity_config_load(cfg, path), PARITY_USAGE);
    cr_assert(strstr(parity_config_errmsg(cfg), "targets[0]"));
    remove(path);
    parity_config_free(cfg);
}

/* A sex with nobody at risk in a grade moves as the grade's people do: an X
** promoted from P4 into P5, where no X was at risk, leaves P5 at P5's rate
** for everyone (4 of 20 left), not never. METHODS.md, "nobody at risk". */
Test(flow, nobody_at_risk_borrows_the_grades_rates) {
    char csv[4096], *p = csv;
    p += sprintf(p, "snapshot_date,staff_id,sex,grade\n");
    /* 2020: P4 10 F, 10 M, 2 X; P5 10 F, 10 M */
    for (int i = 0; i < 10; i++) p += sprintf(p, "2020-12-31,f4%d,F,P4\n2020-12-31,m4%d,M,P4\n", i, i);
    p += sprintf(p, "2020-12-31,x1,X,P4\n2020-12-31,x2,X,P4\n");
    for (int i = 0; i < 10; i++) p += sprintf(p, "2020-12-31,f5%d,F,P5\n2020-12-31,m5%d,M,P5\n", i, i);
    /* 2021: x1 promoted to P5; 2 women and 2 men of P5 gone; P4 as it was */
    for (int i = 0; i < 10; i++) p += sprintf(p, "2021-12-31,f4%d,F,P4\n2021-12-31,m4%d,M,P4\n", i, i);
    p += sprintf(p, "2021-12-31,x1,X,P5\n2021-12-31,x2,X,P4\n");
    for (int i = 2; i < 10; i++) p += sprintf(p, "2021-12-31,f5%d,F,P5\n2021-12-31,m5%d,M,P5\n", i, i);
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "x.csv", csv, strlen(csv), NULL), PARITY_OK);
    markov m;
    cr_assert_eq(markov_estimate(&m, t, 1, 1, NULL, 0), PARITY_OK, "%s", parity_table_errmsg(t));
    size_t p4 = 15, p5 = 16; /* UN scale codes */
    cr_assert_eq(m.risk[SEX_X][p5], 0);
    cr_assert_float_eq(m.q[SEX_X][p5], 4.0 / 20, 1e-12);
    cr_assert_float_eq(m.P[SEX_X][p5 * m.ng + p5], 16.0 / 20, 1e-12);
    /* X's own rates where X was at risk: 1 of 2 promoted, none left */
    cr_assert_float_eq(m.P[SEX_X][p4 * m.ng + p5], 0.5, 1e-12);
    cr_assert_float_eq(m.q[SEX_X][p4], 0, 1e-12);
    cr_assert_eq(m.borrowed, 1); /* X in P5; grades with nobody at all keep everyone */
    markov_free(&m);
    parity_table_free(t);
}

/* A one-person group where a woman was replaced by a man: shares 1, 0, 0 at
** the ends of 2018-2020; the line through them is 1/3 - 0.5 (x - x-bar), so
** its value at the last snapshot is -1/6 -- shown as 0, a share. */
Test(trend, the_fitted_share_is_a_share) {
    const char *csv = "snapshot_date,staff_id,sex,grade\n"
                      "2018-12-31,a,F,P5\n2019-12-31,b,M,P5\n2020-12-31,b,M,P5\n";
    parity_table *t = parity_table_new(NULL);
    cr_assert_eq(parity_table_load_csv_buffer(t, "one.csv", csv, strlen(csv), NULL), PARITY_OK);
    parity_project_options o;
    parity_project_options_init(&o);
    o.horizon = 2022;
    parity_result *r;
    cr_assert_eq(parity_project(t, &o, &r), PARITY_OK, "%s", parity_table_errmsg(t));
    long fitted = parity_result_column(r, "fitted_share"), slope = parity_result_column(r, "slope");
    /* -50 points a year, to the days of 2020, a leap year, in the decimal years */
    cr_assert_float_eq(parity_result_number(r, 0, (size_t)slope), -50, 1e-3);
    cr_assert_eq(parity_result_number(r, 0, (size_t)fitted), 0);
    parity_result_free(r);
    parity_table_free(t);
}
