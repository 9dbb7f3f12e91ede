/*
** projection.c -- what the two projection methods share (DESIGN.md,
** "Projections"): the years projected and the dates they stand for, when a
** share counts as having reached the band, and the projection and parity
** columns of a result (projection.h).
**
** Year Y is projected at the same month and day as the last snapshot used,
** so yearly end-of-year data is projected at Y-12-31 -- the date DESIGN.md
** says a target "by Y" is judged at.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "disclose.h"
#include "projection.h"
#include "represent.h"

int projection_setup(parity_table *t, const parity_project_options *o, projection_years *y) {
    if (t->n == 0) return errmsg_set(table_errbuf(t), PARITY_INVALID, "no data loaded");
    y->s_at = t->nsnap - 1;
    if (o->at) {
        int rc = table_snapshot_arg(t, o->at, "'at'", &y->s_at);
        if (rc != PARITY_OK) return rc;
    }
    date_to_ymd(t->snap[y->s_at].date, &y->at_year, &y->month, &y->day);
    y->last = o->horizon ? o->horizon : y->at_year + 10;
    if (y->last <= y->at_year || y->last > PROJECTION_MAX_YEAR)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'horizon' %d must be a year after the last snapshot used (%d) and "
                        "at most %d",
                        y->last, y->at_year, PROJECTION_MAX_YEAR);
    y->first = y->at_year + 1;
    return PARITY_OK;
}

int32_t projection_date(const projection_years *y, int year) {
    int day = y->day;
    if (y->month == 2 && day == 29) {
        /* 29 February stands for the last day of February */
        int32_t mar1 = date_from_ymd(year, 3, 1);
        return mar1 - 1;
    }
    return date_from_ymd(year, y->month, day);
}

double projection_x(const projection_years *y, int year) { return date_decimal_year(projection_date(y, year)); }

bool projection_reached(double share, double start, double target, double band) {
    const double eps = 1e-12;
    if (start < target) return share >= target - band - eps;
    return share <= target + band + eps;
}

int projection_add_columns(parity_result *r, const projection_years *y, bool intervals, bool mc_mean) {
    int nyears = y->last - y->first + 1;
    int step = nyears <= 5 ? 1 : (nyears + 3) / 4; /* people see five years at most */
    for (int year = y->first; year <= y->last; year++) {
        char name[64], label[16];
        snprintf(name, sizeof name, "projection.%d.female_share", year);
        snprintf(label, sizeof label, "%d", year);
        bool human = (year - y->first) % step == 0 || year == y->last;
        int rc = human ? result_add_col(r, name, label, RESULT_SHARE)
                       : result_add_machine_col(r, name, RESULT_SHARE);
        if (rc != PARITY_OK) return rc;
        snprintf(name, sizeof name, "projection.%d.pi95", year);
        if (year == y->last && intervals) {
            snprintf(label, sizeof label, "95%% %d", year);
            rc = result_add_col(r, name, label, RESULT_CI);
        } else {
            rc = result_add_machine_col(r, name, RESULT_CI);
        }
        if (rc != PARITY_OK) return rc;
        if (mc_mean) {
            snprintf(name, sizeof name, "projection.%d.simulated_mean", year);
            if ((rc = result_add_machine_col(r, name, RESULT_SHARE)) != PARITY_OK) return rc;
        }
    }
    return PARITY_OK;
}

/* A share is a share: projections and their intervals stay in [0, 1]. */
static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

void projection_put(parity_result *r, size_t row, size_t col, double share, double lo, double hi,
            bool has_interval) {
    result_set_num(r, row, col, clamp01(share));
    if (has_interval) result_set_ci(r, row, col + 1, clamp01(lo), clamp01(hi));
}

int projection_add_parity_columns(parity_result *r) {
    if (result_add_col(r, "parity_year", "parity", RESULT_YEAR) ||
        result_add_machine_col(r, "parity_status", RESULT_TEXT) ||
        result_add_machine_col(r, "parity_year_extrapolated", RESULT_BOOL) ||
        result_add_col(r, "reason", "note", RESULT_NOTE))
        return PARITY_NOMEM;
    return PARITY_OK;
}

void projection_put_parity(parity_result *r, size_t row, size_t col, int year, bool extrapolated) {
    if (year < 0) {
        result_set_text(r, row, col, "reached"); /* people see the word; JSON a null year */
        result_set_text(r, row, col + 1, "reached");
        return;
    }
    result_set_text(r, row, col + 1, year ? "projected" : "not_reached");
    if (!year) return;
    char mark[16];
    snprintf(mark, sizeof mark, "%d%s", year, extrapolated ? "*" : "");
    result_set_text(r, row, col, mark);
    result_set_num(r, row, col, year);
    result_set_num(r, row, col + 2, extrapolated);
}

int projection_protect(const parity_table *t, const grouping *g, size_t s_at, const uint64_t *keys,
                       size_t nk, parity_result *r) {
    long n = t->cfg.min_cell;
    if (n <= 1) return PARITY_OK;
    sexcount *c = g->ndim ? represent_stocks(t, g, s_at, s_at + 1) : NULL;
    if (g->ndim && !c) return PARITY_NOMEM;
    size_t withheld = 0;
    for (size_t i = 0; i < nk && i < result_ngroups(r); i++) {
        const sexcount *k = &c[keys[i]];
        int64_t f = k->n[SEX_F], o = k->n[SEX_M] + k->n[SEX_X];
        if (!disclose_small(f, n) && !disclose_small(o, n)) continue;
        withheld++;
        for (size_t col = 0; col < r->ncol; col++) {
            if (r->col[col].kind != RESULT_DIM) result_at(r, i, col)->null = true;
            else if (f + o < n && result_set_text(r, i, col, "(withheld)") != PARITY_OK) {
                free(c);
                return PARITY_NOMEM;
            }
        }
    }
    free(c);
    /* headcounts are representation's to publish, protected there */
    long staff = parity_result_column(r, "staff");
    for (size_t i = 0; staff >= 0 && i < r->nrow; i++) result_at(r, i, (size_t)staff)->null = true;
    cJSON *sj = cJSON_CreateObject();
    cJSON_AddNumberToObject(sj, "min_cell", (double)n);
    cJSON_AddNumberToObject(sj, "groups_withheld", (double)withheld);
    int rc = result_meta(r, "suppression", sj);
    if (rc == PARITY_OK)
        rc = result_note(r, "Protected for publishing: %zu group%s with from 1 to %ld women or others "
                         "withheld (a share of so few tells about people); headcounts are left to "
                         "representation, which protects them.",
                         withheld, withheld == 1 ? "" : "s", n - 1);
    return rc;
}
