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

/* One trend projection: the window, the stocks in it and the groups. */
typedef struct trend_run {
    grouping g;
    size_t s0, ns;        /* the window: ns snapshots from s0 */
    sexcount *st;         /* per group key and snapshot of the window */
    uint64_t *keys;       /* groups with staff at the last snapshot, in order */
    size_t nk;
    double *px, *py;      /* one group's points */
    size_t short_groups, extrapolated;
} trend_run;

/* The checks of the options, the window and the stocks in it. */
static int trend_prepare(trend_run *tr, parity_table *t, const parity_project_options *o,
                         const projection_years *y) {
    int rc;
    if (o->snapshots && o->snapshots < 3)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'snapshots' %d: a trend needs at least 3 snapshots", o->snapshots);
    if ((rc = group_init(&tr->g, t, o->by, table_errbuf(t))) != PARITY_OK) return rc;
    if (tr->g.by_snapshot)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'by' snapshot_date: a trend runs across the snapshots; group by "
                        "other dimensions");
    size_t s1 = y->s_at + 1, ns;
    tr->s0 = o->snapshots && (size_t)o->snapshots < s1 ? s1 - (size_t)o->snapshots : 0;
    tr->ns = ns = s1 - tr->s0;
    tr->st = represent_stocks(t, &tr->g, tr->s0, s1);
    tr->keys = malloc(tr->g.nkeys * sizeof *tr->keys);
    tr->px = malloc(ns * sizeof *tr->px);
    tr->py = malloc(ns * sizeof *tr->py);
    if (!tr->st || !tr->keys || !tr->px || !tr->py) return PARITY_NOMEM;
    for (uint64_t k = 0; k < tr->g.nkeys; k++) {
        const int64_t *n = tr->st[k * ns + ns - 1].n;
        if (n[SEX_F] + n[SEX_M] + n[SEX_X] > 0) tr->keys[tr->nk++] = k;
    }
    return group_sort(&tr->g, tr->keys, tr->nk);
}

static int trend_columns(const trend_run *tr, const parity_table *t, const projection_years *y,
                         parity_result **out) {
    char title[256], d0[11], d1[11];
    date_format(t->snap[tr->s0].date, d0);
    date_format(t->snap[y->s_at].date, d1);
    size_t used = (size_t)snprintf(title, sizeof title, "Trend projection");
    for (size_t d = 0; d < tr->g.ndim && used < sizeof title; d++)
        used += (size_t)snprintf(title + used, sizeof title - used, "%s%s", d ? " x " : " by ",
                                 tr->g.dim[d].name);
    if (used < sizeof title)
        snprintf(title + used, sizeof title - used,
                 " to %d: least-squares line over %zu snapshots, %s to %s", y->last, tr->ns, d0, d1);
    parity_result *r = *out = result_new("project", title);
    if (!r || group_add_columns(&tr->g, r) || result_add_col(r, "points", "points", RESULT_COUNT) ||
        result_add_machine_col(r, "first_snapshot", RESULT_TEXT) ||
        result_add_col(r, "female_share", "F share", RESULT_SHARE) ||
        result_add_col(r, "slope", "pts/yr", RESULT_REAL) || result_add_machine_col(r, "slope_ci95", RESULT_CI) ||
        result_add_machine_col(r, "fitted_share", RESULT_SHARE) || projection_add_columns(r, y, true, false) ||
        projection_add_parity_columns(r))
        return PARITY_NOMEM;
    return PARITY_OK;
}

/* The line through group k's points, its projection and its parity year,
** into row rw. */
static void trend_put_row(trend_run *tr, const parity_table *t, const projection_years *y,
                          parity_result *r, size_t rw, uint64_t k) {
    size_t c0 = tr->g.ndim, ns = tr->ns, nyears = (size_t)(y->last - y->first + 1);
    size_t c_proj = c0 + T_NFIXED, c_year = c_proj + 2 * nyears, c_reason = c_year + PROJECTION_C_REASON;
    double target = t->cfg.target, band = t->cfg.band, *px = tr->px, *py = tr->py;
    size_t n = 0, first = ns;
    double staff = 0;
    for (size_t s = 0; s < ns; s++) {
        const int64_t *c = tr->st[k * ns + s].n;
        int64_t tot = c[SEX_F] + c[SEX_M] + c[SEX_X];
        if (!tot) continue;
        if (first == ns) first = s;
        px[n] = date_decimal_year(t->snap[tr->s0 + s].date);
        py[n++] = (double)c[SEX_F] / (double)tot;
        staff += (double)tot;
    }
    double now = py[n - 1]; /* the group has staff at the last snapshot */
    char date[11];
    date_format(t->snap[tr->s0 + first].date, date);
    result_set_num(r, rw, c0 + T_POINTS, (double)n);
    result_set_text(r, rw, c0 + T_FIRST, date);
    result_set_num(r, rw, c0 + T_SHARE, now);
    bool within = stats_band(now, target, band) == BAND_WITHIN;
    if (within) projection_put_parity(r, rw, c_year, -1, false);
    stats_line l;
    if (!stats_linfit(px, py, n, &l)) {
        tr->short_groups++;
        if (!within) result_set_text(r, rw, c_reason, "fewer than 3 snapshots with staff");
        return;
    }
    /* A share of n people moves in steps of 1/n, so no line through it
    ** can promise to be closer than half a step: three identical points
    ** of a group of two must not give a zero-width interval. The
    ** residual standard deviation is floored at 1 / (2 n), n the
    ** group's mean size over the points. */
    double half_step = 0.5 * (double)n / staff;
    if (l.s2 < half_step * half_step) l.s2 = half_step * half_step;
    double lo, hi, sd = stats_linfit_slope_sd(&l);
    result_set_num(r, rw, c0 + T_SLOPE, 100 * l.c1);
    result_set_ci(r, rw, c0 + T_SLOPE_CI, 100 * (l.c1 - l.t975 * sd), 100 * (l.c1 + l.t975 * sd));
    double fitted = stats_linfit_predict(&l, date_decimal_year(t->snap[y->s_at].date), &lo, &hi);
    result_set_num(r, rw, c0 + T_FITTED, fitted < 0 ? 0 : fitted > 1 ? 1 : fitted);
    for (int year = y->first; year <= y->last; year++) {
        double v = stats_linfit_predict(&l, projection_x(y, year), &lo, &hi);
        projection_put(r, rw, c_proj + 2 * (size_t)(year - y->first), v, lo, hi, true);
    }
    if (within) return;
    int py_ = trend_parity_year(&l, y, target, band);
    /* further ahead than the years the line was fitted on: extrapolation */
    bool far = py_ && py_ - y->at_year > px[n - 1] - px[0] + 0.5;
    tr->extrapolated += far;
    projection_put_parity(r, rw, c_year, py_, far);
    if (!py_) result_set_text(r, rw, c_reason, "not at current trend");
}

static void trend_describe(const trend_run *tr, const parity_table *t, const projection_years *y,
                           parity_result *r) {
    char d0[11], d1[11];
    date_format(t->snap[tr->s0].date, d0);
    date_format(t->snap[y->s_at].date, d1);
    double target = t->cfg.target, band = t->cfg.band;
    result_meta(r, "inputs", table_inputs_json(t));
    result_param_str(r, "method", "trend");
    result_param_json(r, "by", group_json(&tr->g));
    result_param_str(r, "from", d0);
    result_param_str(r, "at", d1);
    result_param_num(r, "snapshots", (double)tr->ns);
    result_param_num(r, "horizon", y->last);
    result_param_num(r, "target", target);
    result_param_num(r, "band", band);
    result_note(r, "Slope in percentage points per year; 95%% = prediction interval for the "
               "horizon year; parity = first year the line reaches %.0f%% +/- %.0f points "
               "(\"reached\": already within).",
            100 * target, 100 * band);
    if (tr->short_groups)
        result_note(r, "%zu group%s with fewer than 3 snapshots with staff: no trend.",
                    tr->short_groups, tr->short_groups == 1 ? "" : "s");
    if (tr->extrapolated)
        result_note(r, "*: a parity year further ahead than the span of the snapshots the line was "
                   "fitted on -- an extrapolation of the line, not a forecast.");
}

int trend_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    projection_years y;
    int rc = projection_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    trend_run tr = {0};
    parity_result *r = NULL;
    if ((rc = trend_prepare(&tr, t, o, &y)) != PARITY_OK || (rc = trend_columns(&tr, t, &y, &r)) != PARITY_OK)
        goto done;
    size_t nk = tr.g.ndim ? tr.nk : 1; /* the whole population: one row, the total */
    for (size_t i = 0; i < nk; i++) {
        uint64_t k = tr.g.ndim ? tr.keys[i] : 0;
        long row = result_add_row(r);
        if (row < 0 || (tr.g.ndim && group_set_row(&tr.g, t, r, (size_t)row, k))) {
            rc = PARITY_NOMEM;
            goto done;
        }
        trend_put_row(&tr, t, &y, r, (size_t)row, k);
    }
    result_set_has_total(r, tr.g.ndim == 0);
    trend_describe(&tr, t, &y, r);
    if ((rc = projection_protect(t, &tr.g, y.s_at, tr.keys, tr.g.ndim ? tr.nk : 0, r)) != PARITY_OK)
        goto done;
    *out = r;
    r = NULL;
done:
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    free(tr.st);
    free(tr.keys);
    free(tr.px);
    free(tr.py);
    group_free(&tr.g);
    parity_result_free(r);
    return rc;
}
