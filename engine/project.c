/*
** project.c -- what the two projection methods share (DESIGN.md,
** "Projections"): the options, the years projected and the dates they stand
** for, when a share counts as having reached the band, and the projection
** columns of a result.
**
** Year Y is projected at the same month and day as the last snapshot used,
** so yearly end-of-year data is projected at Y-12-31 -- the date DESIGN.md
** says a target "by Y" is judged at.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "internal.h"

void parity_project_options_init(parity_project_options *o) {
    memset(o, 0, sizeof *o);
    o->method = PARITY_METHOD_TREND;
    o->seed = 1;
}

int pj_setup(parity_table *t, const parity_project_options *o, pj_years *y) {
    if (t->n == 0) return perr_set(t->errmsg, PARITY_INVALID, "no data loaded");
    y->s_at = t->nsnap - 1;
    if (o->at) {
        int rc = pt_snapshot_arg(t, o->at, "--at", &y->s_at);
        if (rc != PARITY_OK) return rc;
    }
    pdate_to_ymd(t->snap[y->s_at].date, &y->at_year, &y->month, &y->day);
    y->last = o->horizon ? o->horizon : y->at_year + 10;
    if (y->last <= y->at_year || y->last > PJ_MAX_YEAR)
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--horizon %d must be a year after the last snapshot used (%d) and "
                        "at most %d",
                        y->last, y->at_year, PJ_MAX_YEAR);
    y->first = y->at_year + 1;
    return PARITY_OK;
}

int32_t pj_date(const pj_years *y, int year) {
    int day = y->day;
    if (y->month == 2 && day == 29) {
        /* 29 February stands for the last day of February */
        int32_t mar1 = pdate_from_ymd(year, 3, 1);
        return mar1 - 1;
    }
    return pdate_from_ymd(year, y->month, day);
}

double pj_x(const pj_years *y, int year) { return pdate_decimal_year(pj_date(y, year)); }

bool pj_reached(double share, double start, double target, double band) {
    const double eps = 1e-12;
    if (start < target) return share >= target - band - eps;
    return share <= target + band + eps;
}

int pj_add_columns(parity_result *r, const pj_years *y, bool intervals, bool mc_mean) {
    int nyears = y->last - y->first + 1;
    int step = nyears <= 5 ? 1 : (nyears + 3) / 4; /* people see five years at most */
    for (int year = y->first; year <= y->last; year++) {
        char name[64], label[16];
        snprintf(name, sizeof name, "projection.%d.female_share", year);
        snprintf(label, sizeof label, "%d", year);
        bool human = (year - y->first) % step == 0 || year == y->last;
        int rc = human ? pr_add_col(r, name, label, PR_SHARE)
                       : pr_add_machine_col(r, name, PR_SHARE);
        if (rc != PARITY_OK) return rc;
        snprintf(name, sizeof name, "projection.%d.pi95", year);
        if (year == y->last && intervals) {
            snprintf(label, sizeof label, "95%% %d", year);
            rc = pr_add_col(r, name, label, PR_CI);
        } else {
            rc = pr_add_machine_col(r, name, PR_CI);
        }
        if (rc != PARITY_OK) return rc;
        if (mc_mean) {
            snprintf(name, sizeof name, "projection.%d.simulated_mean", year);
            if ((rc = pr_add_machine_col(r, name, PR_SHARE)) != PARITY_OK) return rc;
        }
    }
    return PARITY_OK;
}

/* A share is a share: projections and their intervals stay in [0, 1]. */
static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

void pj_put(parity_result *r, size_t row, size_t col, double share, double lo, double hi,
            bool has_interval) {
    pr_set_num(r, row, col, clamp01(share));
    if (has_interval) pr_set_ci(r, row, col + 1, clamp01(lo), clamp01(hi));
}

int parity_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    parity_project_options def;
    if (!o) {
        parity_project_options_init(&def);
        o = &def;
    }
    switch (o->method) {
    case PARITY_METHOD_TREND: return pj_trend(t, o, out);
    case PARITY_METHOD_FLOW: return pj_flow(t, o, out);
    }
    return perr_set(t->errmsg, PARITY_USAGE, "unknown projection method %d", (int)o->method);
}

int pj_add_parity_columns(parity_result *r) {
    if (pr_add_col(r, "parity_year", "parity", PR_YEAR) ||
        pr_add_machine_col(r, "parity_status", PR_TEXT) ||
        pr_add_machine_col(r, "parity_year_extrapolated", PR_BOOL) ||
        pr_add_col(r, "reason", "note", PR_NOTE))
        return PARITY_NOMEM;
    return PARITY_OK;
}

void pj_put_parity(parity_result *r, size_t row, size_t col, int year, bool extrapolated) {
    if (year < 0) {
        pr_set_text(r, row, col, "reached"); /* people see the word; JSON a null year */
        pr_set_text(r, row, col + 1, "reached");
        return;
    }
    pr_set_text(r, row, col + 1, year ? "projected" : "not_reached");
    if (!year) return;
    char mark[16];
    snprintf(mark, sizeof mark, "%d%s", year, extrapolated ? "*" : "");
    pr_set_text(r, row, col, mark);
    pr_set_num(r, row, col, year);
    pr_set_num(r, row, col + 2, extrapolated);
}
