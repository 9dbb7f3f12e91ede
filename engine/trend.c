/*
** trend.c -- trend projections (DESIGN.md, "Projections", "Trend").
**
** Per group, the female share at each snapshot in the window (snapshots
** where the group has staff) against the snapshot date as a decimal year; a
** least-squares line through them by GSL; the line at each year to the
** horizon with its 95% prediction interval; and the parity year, the first
** year the line reaches the band. The stocks come from one pass over the
** rows (prep_stocks), so aggregated input works as well as person-level.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "internal.h"

int pj_line_parity_year(const ps_line *l, const pj_years *y, double target, double band) {
    /* judged on the line itself, from its value at the last snapshot: the
    ** first year it is within the band, or has stepped over it since the
    ** year before (a steep line may); none once it heads away */
    const double eps = 1e-12;
    double lo_edge = target - band - eps, hi_edge = target + band + eps, lo, hi;
    double prev = ps_linfit_predict(l, pj_x(y, y->at_year), &lo, &hi);
    for (int year = y->at_year + 1; year <= PJ_MAX_YEAR; year++) {
        double v = ps_linfit_predict(l, pj_x(y, year), &lo, &hi);
        if (v >= lo_edge && v <= hi_edge) return year;
        if ((prev < lo_edge && v > hi_edge) || (prev > hi_edge && v < lo_edge)) return year;
        if ((v < lo_edge && l->c1 <= 0) || (v > hi_edge && l->c1 >= 0)) return 0;
        prev = v;
    }
    return 0;
}

/* The trend columns after the dimensions. */
enum { T_POINTS, T_FIRST, T_SHARE, T_SLOPE, T_SLOPE_CI, T_FITTED, T_NFIXED };

int pj_trend(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    pj_years y;
    int rc = pj_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    if (o->snapshots && o->snapshots < 3)
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--snapshots %d: a trend needs at least 3 snapshots", o->snapshots);
    pgrouping g;
    if ((rc = pgr_init(&g, t, o->by ? o->by : "grade", t->errmsg)) != PARITY_OK) return rc;
    if (g.by_snapshot) {
        pgr_free(&g);
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--by snapshot_date: a trend runs across the snapshots; group by "
                        "other dimensions");
    }
    size_t s1 = y.s_at + 1;
    size_t s0 = o->snapshots && (size_t)o->snapshots < s1 ? s1 - (size_t)o->snapshots : 0;
    size_t ns = s1 - s0;
    psexcount *st = prep_stocks(t, &g, s0, s1);
    uint64_t *keys = malloc(g.nkeys * sizeof *keys);
    double *px = malloc(ns * sizeof *px), *py = malloc(ns * sizeof *py);
    parity_result *r = NULL;
    if (!st || !keys || !px || !py) goto nomem;

    /* the groups with staff at the last snapshot */
    size_t nk = 0;
    for (uint64_t k = 0; k < g.nkeys; k++) {
        const int64_t *n = st[k * ns + ns - 1].n;
        if (n[PSEX_F] + n[PSEX_M] + n[PSEX_X] > 0) keys[nk++] = k;
    }
    if (pgr_sort(&g, keys, nk) != PARITY_OK) goto nomem;

    char title[256], d0[11], d1[11];
    pdate_format(t->snap[s0].date, d0);
    pdate_format(t->snap[y.s_at].date, d1);
    size_t used = (size_t)snprintf(title, sizeof title, "Trend projection");
    for (size_t d = 0; d < g.ndim && used < sizeof title; d++)
        used += (size_t)snprintf(title + used, sizeof title - used, "%s%s", d ? " x " : " by ",
                                 g.dim[d].name);
    if (used < sizeof title)
        snprintf(title + used, sizeof title - used,
                 " to %d: least-squares line over %zu snapshots, %s to %s", y.last, ns, d0, d1);
    if (!(r = pr_new("project", title))) goto nomem;
    if (pgr_add_columns(&g, r) || pr_add_col(r, "points", "points", PR_COUNT) ||
        pr_add_machine_col(r, "first_snapshot", PR_TEXT) ||
        pr_add_col(r, "female_share", "F share", PR_SHARE) ||
        pr_add_col(r, "slope", "pts/yr", PR_REAL) || pr_add_machine_col(r, "slope_ci95", PR_CI) ||
        pr_add_machine_col(r, "fitted_share", PR_SHARE) || pj_add_columns(r, &y, true, false) ||
        pj_add_parity_columns(r))
        goto nomem;
    size_t c_proj = g.ndim + T_NFIXED, nyears = (size_t)(y.last - y.first + 1);
    size_t c_year = c_proj + 2 * nyears, c_reason = c_year + PJ_C_REASON;
    size_t extrapolated = 0;
    double target = t->cfg.target, band = t->cfg.band;
    size_t short_groups = 0;

    if (g.ndim == 0) nk = 1; /* the whole population: one row, the total */
    for (size_t i = 0; i < nk; i++) {
        uint64_t k = g.ndim ? keys[i] : 0;
        long row = pr_add_row(r);
        if (row < 0) goto nomem;
        size_t rw = (size_t)row;
        if (g.ndim && pgr_set_row(&g, t, r, rw, k)) goto nomem;
        size_t n = 0, first = ns;
        double staff = 0;
        for (size_t s = 0; s < ns; s++) {
            const int64_t *c = st[k * ns + s].n;
            int64_t tot = c[PSEX_F] + c[PSEX_M] + c[PSEX_X];
            if (!tot) continue;
            if (first == ns) first = s;
            px[n] = pdate_decimal_year(t->snap[s0 + s].date);
            py[n++] = (double)c[PSEX_F] / (double)tot;
            staff += (double)tot;
        }
        double now = py[n - 1]; /* the group has staff at the last snapshot */
        char date[11];
        pdate_format(t->snap[s0 + first].date, date);
        pr_set_num(r, rw, g.ndim + T_POINTS, (double)n);
        pr_set_text(r, rw, g.ndim + T_FIRST, date);
        pr_set_num(r, rw, g.ndim + T_SHARE, now);
        bool within = ps_band(now, target, band) == PBAND_WITHIN;
        if (within) pj_put_parity(r, rw, c_year, -1, false);
        ps_line l;
        if (!ps_linfit(px, py, n, &l)) {
            short_groups++;
            if (!within) pr_set_text(r, rw, c_reason, "fewer than 3 snapshots with staff");
            continue;
        }
        /* A share of n people moves in steps of 1/n, so no line through it
        ** can promise to be closer than half a step: three identical points
        ** of a group of two must not give a zero-width interval. The
        ** residual standard deviation is floored at 1 / (2 n), n the
        ** group's mean size over the points. */
        double half_step = 0.5 * (double)n / staff;
        if (l.s2 < half_step * half_step) l.s2 = half_step * half_step;
        double lo, hi, sd = ps_linfit_slope_sd(&l);
        pr_set_num(r, rw, g.ndim + T_SLOPE, 100 * l.c1);
        pr_set_ci(r, rw, g.ndim + T_SLOPE_CI, 100 * (l.c1 - l.t975 * sd),
                  100 * (l.c1 + l.t975 * sd));
        double fitted = ps_linfit_predict(&l, pdate_decimal_year(t->snap[y.s_at].date), &lo, &hi);
        pr_set_num(r, rw, g.ndim + T_FITTED, fitted < 0 ? 0 : fitted > 1 ? 1 : fitted);
        for (int year = y.first; year <= y.last; year++) {
            double v = ps_linfit_predict(&l, pj_x(&y, year), &lo, &hi);
            pj_put(r, rw, c_proj + 2 * (size_t)(year - y.first), v, lo, hi, true);
        }
        if (within) continue;
        int py_ = pj_line_parity_year(&l, &y, target, band);
        /* further ahead than the years the line was fitted on: extrapolation */
        bool far = py_ && py_ - y.at_year > px[n - 1] - px[0] + 0.5;
        extrapolated += far;
        pj_put_parity(r, rw, c_year, py_, far);
        if (!py_) pr_set_text(r, rw, c_reason, "not at current trend");
    }
    r->has_total = g.ndim == 0;

    cJSON_AddItemToObject(r->meta, "inputs", pt_inputs_json(t));
    cJSON *params = cJSON_AddObjectToObject(r->meta, "parameters");
    cJSON_AddStringToObject(params, "method", "trend");
    cJSON_AddItemToObject(params, "by", pgr_json(&g));
    cJSON_AddStringToObject(params, "from", d0);
    cJSON_AddStringToObject(params, "at", d1);
    cJSON_AddNumberToObject(params, "snapshots", (double)ns);
    cJSON_AddNumberToObject(params, "horizon", y.last);
    cJSON_AddNumberToObject(params, "target", target);
    cJSON_AddNumberToObject(params, "band", band);
    pr_note(r, "Slope in percentage points per year; 95%% = prediction interval for the "
               "horizon year; parity = first year the line reaches %.0f%% +/- %.0f points "
               "(\"reached\": already within).",
            100 * target, 100 * band);
    if (short_groups)
        pr_note(r, "%zu group%s with fewer than 3 snapshots with staff: no trend.", short_groups,
                short_groups == 1 ? "" : "s");
    if (extrapolated)
        pr_note(r, "*: a parity year further ahead than the span of the snapshots the line was "
                   "fitted on -- an extrapolation of the line, not a forecast.");
    free(st);
    free(keys);
    free(px);
    free(py);
    pgr_free(&g);
    *out = r;
    return PARITY_OK;
nomem:
    free(st);
    free(keys);
    free(px);
    free(py);
    pgr_free(&g);
    parity_result_free(r);
    return perr_set(t->errmsg, PARITY_NOMEM, "out of memory");
}
