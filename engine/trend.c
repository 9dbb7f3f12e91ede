/*
** trend.c -- trend projections (DESIGN.md, "Projections", "Trend").
**
** Per group, the female share at each snapshot in the window (snapshots
** where the group has staff) against the snapshot date as a decimal year; a
** least-squares line through them by GSL; the line at each year to the
** horizon with its 95% prediction interval; and the parity year, the first
** year the line reaches the band. The stocks come from one pass over the
** rows (represent_stocks), so aggregated input works as well as person-level.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "represent.h"
#include "trend.h"

int trend_parity_year(const stats_line *l, const projection_years *y, double target, double band) {
    /* judged on the line itself, from its value at the last snapshot: the
    ** first year it is within the band, or has stepped over it since the
    ** year before (a steep line may); none once it heads away */
    const double eps = 1e-12;
    double lo_edge = target - band - eps, hi_edge = target + band + eps, lo, hi;
    double prev = stats_linfit_predict(l, projection_x(y, y->at_year), &lo, &hi);
    for (int year = y->at_year + 1; year <= PROJECTION_MAX_YEAR; year++) {
        double v = stats_linfit_predict(l, projection_x(y, year), &lo, &hi);
        if (v >= lo_edge && v <= hi_edge) return year;
        if ((prev < lo_edge && v > hi_edge) || (prev > hi_edge && v < lo_edge)) return year;
        if ((v < lo_edge && l->c1 <= 0) || (v > hi_edge && l->c1 >= 0)) return 0;
        prev = v;
    }
    return 0;
}

/* The trend columns after the dimensions. */
enum { T_POINTS, T_FIRST, T_SHARE, T_SLOPE, T_SLOPE_CI, T_FITTED, T_NFIXED };

int trend_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    projection_years y;
    int rc = projection_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    if (o->snapshots && o->snapshots < 3)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'snapshots' %d: a trend needs at least 3 snapshots", o->snapshots);
    grouping g;
    if ((rc = group_init(&g, t, o->by, table_errbuf(t))) != PARITY_OK) return rc;
    if (g.by_snapshot) {
        group_free(&g);
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'by' snapshot_date: a trend runs across the snapshots; group by "
                        "other dimensions");
    }
    size_t s1 = y.s_at + 1;
    size_t s0 = o->snapshots && (size_t)o->snapshots < s1 ? s1 - (size_t)o->snapshots : 0;
    size_t ns = s1 - s0;
    sexcount *st = represent_stocks(t, &g, s0, s1);
    uint64_t *keys = malloc(g.nkeys * sizeof *keys);
    double *px = malloc(ns * sizeof *px), *py = malloc(ns * sizeof *py);
    parity_result *r = NULL;
    if (!st || !keys || !px || !py) goto nomem;

    /* the groups with staff at the last snapshot */
    size_t nk = 0;
    for (uint64_t k = 0; k < g.nkeys; k++) {
        const int64_t *n = st[k * ns + ns - 1].n;
        if (n[SEX_F] + n[SEX_M] + n[SEX_X] > 0) keys[nk++] = k;
    }
    if (group_sort(&g, keys, nk) != PARITY_OK) goto nomem;

    char title[256], d0[11], d1[11];
    date_format(t->snap[s0].date, d0);
    date_format(t->snap[y.s_at].date, d1);
    size_t used = (size_t)snprintf(title, sizeof title, "Trend projection");
    for (size_t d = 0; d < g.ndim && used < sizeof title; d++)
        used += (size_t)snprintf(title + used, sizeof title - used, "%s%s", d ? " x " : " by ",
                                 g.dim[d].name);
    if (used < sizeof title)
        snprintf(title + used, sizeof title - used,
                 " to %d: least-squares line over %zu snapshots, %s to %s", y.last, ns, d0, d1);
    if (!(r = result_new("project", title))) goto nomem;
    if (group_add_columns(&g, r) || result_add_col(r, "points", "points", RESULT_COUNT) ||
        result_add_machine_col(r, "first_snapshot", RESULT_TEXT) ||
        result_add_col(r, "female_share", "F share", RESULT_SHARE) ||
        result_add_col(r, "slope", "pts/yr", RESULT_REAL) || result_add_machine_col(r, "slope_ci95", RESULT_CI) ||
        result_add_machine_col(r, "fitted_share", RESULT_SHARE) || projection_add_columns(r, &y, true, false) ||
        projection_add_parity_columns(r))
        goto nomem;
    size_t c_proj = g.ndim + T_NFIXED, nyears = (size_t)(y.last - y.first + 1);
    size_t c_year = c_proj + 2 * nyears, c_reason = c_year + PROJECTION_C_REASON;
    size_t extrapolated = 0;
    double target = t->cfg.target, band = t->cfg.band;
    size_t short_groups = 0;

    if (g.ndim == 0) nk = 1; /* the whole population: one row, the total */
    for (size_t i = 0; i < nk; i++) {
        uint64_t k = g.ndim ? keys[i] : 0;
        long row = result_add_row(r);
        if (row < 0) goto nomem;
        size_t rw = (size_t)row;
        if (g.ndim && group_set_row(&g, t, r, rw, k)) goto nomem;
        size_t n = 0, first = ns;
        double staff = 0;
        for (size_t s = 0; s < ns; s++) {
            const int64_t *c = st[k * ns + s].n;
            int64_t tot = c[SEX_F] + c[SEX_M] + c[SEX_X];
            if (!tot) continue;
            if (first == ns) first = s;
            px[n] = date_decimal_year(t->snap[s0 + s].date);
            py[n++] = (double)c[SEX_F] / (double)tot;
            staff += (double)tot;
        }
        double now = py[n - 1]; /* the group has staff at the last snapshot */
        char date[11];
        date_format(t->snap[s0 + first].date, date);
        result_set_num(r, rw, g.ndim + T_POINTS, (double)n);
        result_set_text(r, rw, g.ndim + T_FIRST, date);
        result_set_num(r, rw, g.ndim + T_SHARE, now);
        bool within = stats_band(now, target, band) == BAND_WITHIN;
        if (within) projection_put_parity(r, rw, c_year, -1, false);
        stats_line l;
        if (!stats_linfit(px, py, n, &l)) {
            short_groups++;
            if (!within) result_set_text(r, rw, c_reason, "fewer than 3 snapshots with staff");
            continue;
        }
        /* A share of n people moves in steps of 1/n, so no line through it
        ** can promise to be closer than half a step: three identical points
        ** of a group of two must not give a zero-width interval. The
        ** residual standard deviation is floored at 1 / (2 n), n the
        ** group's mean size over the points. */
        double half_step = 0.5 * (double)n / staff;
        if (l.s2 < half_step * half_step) l.s2 = half_step * half_step;
        double lo, hi, sd = stats_linfit_slope_sd(&l);
        result_set_num(r, rw, g.ndim + T_SLOPE, 100 * l.c1);
        result_set_ci(r, rw, g.ndim + T_SLOPE_CI, 100 * (l.c1 - l.t975 * sd),
                  100 * (l.c1 + l.t975 * sd));
        double fitted = stats_linfit_predict(&l, date_decimal_year(t->snap[y.s_at].date), &lo, &hi);
        result_set_num(r, rw, g.ndim + T_FITTED, fitted < 0 ? 0 : fitted > 1 ? 1 : fitted);
        for (int year = y.first; year <= y.last; year++) {
            double v = stats_linfit_predict(&l, projection_x(&y, year), &lo, &hi);
            projection_put(r, rw, c_proj + 2 * (size_t)(year - y.first), v, lo, hi, true);
        }
        if (within) continue;
        int py_ = trend_parity_year(&l, &y, target, band);
        /* further ahead than the years the line was fitted on: extrapolation */
        bool far = py_ && py_ - y.at_year > px[n - 1] - px[0] + 0.5;
        extrapolated += far;
        projection_put_parity(r, rw, c_year, py_, far);
        if (!py_) result_set_text(r, rw, c_reason, "not at current trend");
    }
    result_set_has_total(r, g.ndim == 0);

    result_meta(r, "inputs", table_inputs_json(t));
    result_param_str(r, "method", "trend");
    result_param_json(r, "by", group_json(&g));
    result_param_str(r, "from", d0);
    result_param_str(r, "at", d1);
    result_param_num(r, "snapshots", (double)ns);
    result_param_num(r, "horizon", y.last);
    result_param_num(r, "target", target);
    result_param_num(r, "band", band);
    result_note(r, "Slope in percentage points per year; 95%% = prediction interval for the "
               "horizon year; parity = first year the line reaches %.0f%% +/- %.0f points "
               "(\"reached\": already within).",
            100 * target, 100 * band);
    if (short_groups)
        result_note(r, "%zu group%s with fewer than 3 snapshots with staff: no trend.", short_groups,
                short_groups == 1 ? "" : "s");
    if (extrapolated)
        result_note(r, "*: a parity year further ahead than the span of the snapshots the line was "
                   "fitted on -- an extrapolation of the line, not a forecast.");
    free(st);
    free(keys);
    free(px);
    free(py);
    group_free(&g);
    *out = r;
    return PARITY_OK;
nomem:
    free(st);
    free(keys);
    free(px);
    free(py);
    group_free(&g);
    parity_result_free(r);
    return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
}
