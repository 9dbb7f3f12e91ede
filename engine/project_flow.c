/*
** project_flow.c -- parity_project() by the flow model (DESIGN.md, "Flow"):
** the Markov model of markov.h estimated from the table, what-ifs applied,
** stepped year by year per grade or category to the horizon, with Monte
** Carlo intervals. Exports flow_project() (project_flow.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "disclose.h"
#include "markov.h"
#include "project_flow.h"
#include "stats.h"

#define MC_MAX_BYTES 1e9 /* Monte Carlo results kept for the intervals */
#define LONG_RUN_YEARS 200

/* One flow projection, from the model to the rows it is shown in. */
typedef struct flow_run {
    grouping g;          /* the rows: by grade, by category or none */
    grouping gg;         /* by grade, for what-ifs naming a grade */
    markov m;
    bool have_m;
    size_t ng, nyears;   /* grades of the model; years shown */
    long years_run;      /* years stepped, for parity years and the long run */
    uint64_t *keys;      /* rows' keys in output order: nk groups, then the total */
    size_t nk, nrow;
    long *grp;           /* grade -> its row (-1: none but the total) */
    /* per row */
    double *start, *hire_f, *hire_n, *longrun;
    int *pyear;          /* 0: not reached; -1: within the band at the start */
    double *proj;        /* row x year: the deterministic share (-1: none) */
    double *sims;        /* row x year x simulation: Monte Carlo shares */
    size_t nsim;
} flow_run;

static void flow_run_free(flow_run *f) {
    free(f->keys);
    free(f->grp);
    free(f->start);
    free(f->hire_f);
    free(f->hire_n);
    free(f->longrun);
    free(f->pyear);
    free(f->proj);
    free(f->sims);
    if (f->have_m) markov_free(&f->m);
    group_free(&f->g);
    group_free(&f->gg);
}

/* The groupings and the model, what-ifs applied: every refusal of the
** caller's options is here, before anything is computed. */
static int flow_prepare(flow_run *f, parity_table *t, const parity_project_options *o,
                        const projection_years *y) {
    int rc;
    if (o->simulations < 0 || o->simulations > 100000)
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'simulations' must be 0 to 100000");
    if ((rc = group_init(&f->g, t, o->by, table_errbuf(t))) != PARITY_OK) return rc;
    if (f->g.ndim > 1 || (f->g.ndim == 1 && f->g.dim[0].kind != GROUP_GRADE &&
                          f->g.dim[0].kind != GROUP_CATEGORY))
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                          "'method' flow projects by grade or category ('by' grade, 'by' "
                          "category); use 'method' trend for other dimensions");
    if ((rc = group_init(&f->gg, t, GROUP_DEFAULT, table_errbuf(t))) != PARITY_OK) return rc;
    if ((rc = markov_estimate(&f->m, t, y->s_at, o->periods, NULL, 0)) != PARITY_OK) return rc;
    f->have_m = true;
    f->m.growth = o->growth;
    if (!(o->growth > -1 && o->growth < 10))
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                          "'growth' is a yearly rate above -1 (0.02 = 2%%)");
    for (size_t i = 0; i < o->nset; i++)
        if ((rc = markov_set(&f->m, t, &f->gg, o->set[i])) != PARITY_OK) return rc;
    f->ng = f->m.ng;
    f->nyears = (size_t)(y->last - y->first + 1);
    f->years_run = y->last - y->at_year;
    if (f->years_run < LONG_RUN_YEARS) f->years_run = LONG_RUN_YEARS;
    return PARITY_OK;
}

/* The key of grade j's group. */
static uint64_t grade_key(const flow_run *f, const parity_table *t, size_t j) {
    return f->g.dim[0].kind == GROUP_GRADE ? j : t->grade_cat[j];
}

/* The rows: the groups with staff at the start, in output order, then the
** total; and each grade's row. */
static int flow_rows(flow_run *f, const parity_table *t) {
    const grouping *g = &f->g;
    size_t ng = f->ng;
    if (!(f->keys = malloc((g->nkeys ? g->nkeys : 1) * sizeof *f->keys)) ||
        !(f->grp = malloc((ng ? ng : 1) * sizeof *f->grp)))
        return PARITY_NOMEM;
    if (g->ndim) {
        uint8_t *seen = calloc(g->nkeys, 1);
        if (!seen) return PARITY_NOMEM;
        for (size_t j = 0; j < ng; j++) {
            uint64_t k = grade_key(f, t, j);
            if (f->m.base[j] > 0 && !seen[k]) {
                seen[k] = 1;
                f->keys[f->nk++] = k;
            }
        }
        free(seen);
        if (group_sort(g, f->keys, f->nk) != PARITY_OK) return PARITY_NOMEM;
    }
    f->nrow = f->nk + 1;
    long *row_of = malloc((g->nkeys ? g->nkeys : 1) * sizeof *row_of);
    if (!row_of) return PARITY_NOMEM;
    for (uint64_t k = 0; k < g->nkeys; k++) row_of[k] = -1;
    for (size_t i = 0; i < f->nk; i++) row_of[f->keys[i]] = (long)i;
    for (size_t j = 0; j < ng; j++) f->grp[j] = g->ndim ? row_of[grade_key(f, t, j)] : -1;
    free(row_of);
    return PARITY_OK;
}

/* Row i's female share in state x (-1: nobody). */
static double row_share(const flow_run *f, double *const *x, size_t i) {
    return markov_share_of(&f->m, x, i < f->nk ? f->grp : NULL, (long)i);
}

/* The deterministic run: shares per row and year, each row's parity year,
** the female share of the first step's hires, the long-run share. */
static int flow_deterministic(flow_run *f, const parity_table *t, const projection_years *y) {
    size_t nrow = f->nrow, ng = f->ng;
    const markov *m = &f->m;
    f->proj = calloc(nrow * f->nyears, sizeof *f->proj);
    f->pyear = calloc(nrow, sizeof *f->pyear);
    f->start = calloc(nrow, sizeof *f->start);
    f->hire_f = calloc(nrow, sizeof *f->hire_f);
    f->hire_n = calloc(nrow, sizeof *f->hire_n);
    f->longrun = calloc(nrow, sizeof *f->longrun);
    double *hires = malloc((ng ? ng : 1) * sizeof *hires);
    markov_state st = {0};
    int rc = PARITY_NOMEM;
    if (!f->proj || !f->pyear || !f->start || !f->hire_f || !f->hire_n || !f->longrun || !hires ||
        markov_state_init(&st, m) != PARITY_OK)
        goto out;
    double target = t->cfg.target, band = t->cfg.band;
    for (size_t i = 0; i < nrow; i++) {
        f->start[i] = row_share(f, st.x, i);
        if (stats_band(f->start[i], target, band) == BAND_WITHIN) f->pyear[i] = -1; /* reached */
    }
    long steps = f->years_run * m->spy;
    for (long k = 1; k <= steps; k++) {
        markov_step(m, k, st.x, st.y, hires);
        markov_state_swap(&st);
        if (k == 1)
            for (size_t j = 0; j < ng; j++) {
                double hf = hires[j] * m->hs[SEX_F][j], hn = hires[j];
                for (size_t i = 0; i < nrow; i++)
                    if (i == f->nk || f->grp[j] == (long)i) {
                        f->hire_f[i] += hf;
                        f->hire_n[i] += hn;
                    }
            }
        if (k % m->spy) continue;
        int year = y->at_year + (int)(k / m->spy);
        for (size_t i = 0; i < nrow; i++) {
            double sh = row_share(f, st.x, i);
            if (year <= y->last) f->proj[i * f->nyears + (size_t)(year - y->first)] = sh;
            if (f->pyear[i] == 0 && sh >= 0 && projection_reached(sh, f->start[i], target, band))
                f->pyear[i] = year;
            f->longrun[i] = sh;
        }
    }
    rc = PARITY_OK;
out:
    free(hires);
    markov_state_free(&st);
    return rc;
}

/* Monte Carlo: the same steps with people drawn one by one; every run's
** share of every row in every year is kept for the quantiles -- bounded,
** with the reason, rather than gigabytes asked of the system. */
static int flow_monte_carlo(flow_run *f, parity_table *t, const parity_project_options *o) {
    size_t nsim = f->nsim = (size_t)o->simulations, nrow = f->nrow, nyears = f->nyears, ng = f->ng;
    double need = (double)nrow * (double)nyears * (double)nsim * sizeof *f->sims;
    if (need > MC_MAX_BYTES)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                          "%zu simulations of %zu groups over %zu years would keep %.1f GB of "
                          "results (at most %.0f GB): fewer simulations or an earlier horizon",
                          nsim, nrow, nyears, need / 1e9, MC_MAX_BYTES / 1e9);
    if (!nsim) return PARITY_OK;
    const markov *m = &f->m;
    markov_state st = {0};
    markov_draw mr = {0};
    f->sims = malloc(nrow * nyears * nsim * sizeof *f->sims);
    unsigned *draw = malloc((ng + MARKOV_NSEX + 1) * sizeof *draw);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    int rc = PARITY_NOMEM;
    if (!f->sims || !draw || !rng || markov_state_init(&st, m) != PARITY_OK ||
        markov_draw_alloc(m, &mr) != PARITY_OK)
        goto out;
    gsl_rng_set(rng, o->seed);
    for (size_t sim = 0; sim < nsim; sim++) {
        markov_draw_rates(m, &mr, o->fixed_rates ? NULL : rng);
        for (int s = 0; s < MARKOV_NSEX; s++) memcpy(st.x[s], m->n0[s], ng * sizeof *st.x[s]);
        for (long k = 1; k <= (long)nyears * m->spy; k++) {
            markov_draw_step(m, &mr, rng, k, st.x, st.y, draw);
            markov_state_swap(&st);
            if (k % m->spy) continue;
            size_t yi = (size_t)(k / m->spy) - 1;
            for (size_t i = 0; i < nrow; i++)
                f->sims[(i * nyears + yi) * nsim + sim] = row_share(f, st.x, i);
        }
    }
    rc = PARITY_OK;
out:
    markov_state_free(&st);
    free(draw);
    markov_draw_free(&mr);
    if (rng) gsl_rng_free(rng);
    return rc;
}

/* ---- the result -------------------------------------------------------- */

/* Where the columns are: the dimension, then these, then the machine-only
** rates (two per sex), then the years, the long run and the parity year. */
enum { C_STAFF, C_SHARE, C_HIRES, C_RATES, C_YEARS = C_RATES + 4 };

static int flow_columns(const flow_run *f, const projection_years *y, const char *d0,
                        parity_result **out) {
    char title[256];
    snprintf(title, sizeof title,
             "Flow projection by %s to %d: rates pooled over %zu period%s to %s%s",
             f->g.ndim ? f->g.dim[0].name : "the whole population", y->last, f->m.periods,
             f->m.periods == 1 ? "" : "s", d0, f->nsim ? ", with Monte Carlo intervals" : "");
    parity_result *r = *out = result_new("project", title);
    if (!r) return PARITY_NOMEM;
    if (group_add_columns(&f->g, r) || result_add_col(r, "staff", "staff", RESULT_COUNT) ||
        result_add_col(r, "female_share", "F share", RESULT_SHARE) ||
        result_add_col(r, "hires_female_share", "hires F%", RESULT_SHARE))
        return PARITY_NOMEM;
    for (int s = 0; s < 2; s++) {
        char n1[64], n2[64];
        snprintf(n1, sizeof n1, "separation_rate.%s", markov_sex_word[s]);
        snprintf(n2, sizeof n2, "promotion_rate.%s", markov_sex_word[s]);
        if (result_add_machine_col(r, n1, RESULT_SHARE) || result_add_machine_col(r, n2, RESULT_SHARE))
            return PARITY_NOMEM;
    }
    if (projection_add_columns(r, y, f->nsim > 0, f->nsim > 0) ||
        result_add_col(r, "long_run_share", "long run", RESULT_SHARE) ||
        projection_add_parity_columns(r))
        return PARITY_NOMEM;
    return PARITY_OK;
}

/* The rates of grade j's row: leaving and, on an ordered scale, moving up. */
static void flow_put_rates(const flow_run *f, const parity_table *t, const parity_project_options *o,
                           parity_result *r, size_t rw, size_t c0, size_t j) {
    size_t ng = f->ng;
    for (int s = 0; s < 2; s++) {
        double up = 0;
        for (size_t d = 0; d < ng; d++)
            if (t->cfg.order != GRADE_ORDER_NONE && t->grade_rank[d] > t->grade_rank[j])
                up += f->m.P[s][j * ng + d];
        if (f->m.risk[s][j] > 0 || o->nset) {
            result_set_num(r, rw, c0 + C_RATES + 2 * (size_t)s, f->m.q[s][j]);
            if (t->cfg.order != GRADE_ORDER_NONE)
                result_set_num(r, rw, c0 + C_RATES + 1 + 2 * (size_t)s, up);
        }
    }
}

/* Row i of the result; *extrapolated counts parity years beyond the data. */
static int flow_put_row(const flow_run *f, const parity_table *t, const parity_project_options *o,
                        const projection_years *y, parity_result *r, size_t i,
                        size_t *extrapolated) {
    size_t nyears = f->nyears, nsim = f->nsim, c0 = f->g.ndim, c_proj = c0 + C_YEARS;
    size_t per_year = nsim ? 3 : 2, c_long = c_proj + per_year * nyears, c_year = c_long + 1;
    long row = result_add_row(r);
    if (row < 0) return PARITY_NOMEM;
    size_t rw = (size_t)row;
    if (i < f->nk && group_set_row(&f->g, t, r, rw, f->keys[i])) return PARITY_NOMEM;
    double staff = 0;
    for (size_t j = 0; j < f->ng; j++)
        if (i == f->nk || f->grp[j] == (long)i) staff += f->m.base[j];
    result_set_num(r, rw, c0 + C_STAFF, staff);
    if (f->start[i] >= 0) result_set_num(r, rw, c0 + C_SHARE, f->start[i]);
    /* the female share of hires: not of a handful when protecting */
    long mc = t->cfg.min_cell;
    bool few = mc > 1 && (disclose_small((int64_t)f->hire_f[i], mc) ||
                          disclose_small((int64_t)(f->hire_n[i] - f->hire_f[i]), mc));
    if (f->hire_n[i] > 0 && !few) result_set_num(r, rw, c0 + C_HIRES, f->hire_f[i] / f->hire_n[i]);
    if (i < f->nk && f->g.dim[0].kind == GROUP_GRADE) flow_put_rates(f, t, o, r, rw, c0, f->keys[i]);
    for (size_t yi = 0; yi < nyears; yi++) {
        size_t c = c_proj + per_year * yi;
        double v = f->proj[i * nyears + yi], lo = 0, hi = 0;
        if (v < 0) continue;
        if (nsim) {
            double *sv = &f->sims[(i * nyears + yi) * nsim];
            gsl_sort(sv, 1, nsim);
            lo = gsl_stats_quantile_from_sorted_data(sv, 1, nsim, 0.025);
            hi = gsl_stats_quantile_from_sorted_data(sv, 1, nsim, 0.975);
            result_set_num(r, rw, c + 2, gsl_stats_mean(sv, 1, nsim));
        }
        projection_put(r, rw, c, v, lo, hi, nsim > 0);
    }
    int pyear = f->pyear[i];
    if (f->start[i] >= 0) {
        /* further ahead than the periods the rates were pooled over */
        bool far = pyear > 0 && (double)(pyear - y->at_year) > (double)f->m.periods / f->m.spy + 0.5;
        *extrapolated += far;
        projection_put_parity(r, rw, c_year, pyear, far);
        result_set_num(r, rw, c_long, f->longrun[i]);
    }
    if (pyear == 0 && f->start[i] >= 0) {
        char why[128];
        snprintf(why, sizeof why,
                 "not within %d years at these rates; long run: the share they settle at",
                 LONG_RUN_YEARS);
        result_set_text(r, rw, c_year + PROJECTION_C_REASON, why);
    }
    return PARITY_OK;
}

/* The parameters and the notes under the table. */
static void flow_describe(const flow_run *f, const parity_table *t, const parity_project_options *o,
                          const projection_years *y, const char *d0, size_t extrapolated,
                          parity_result *r) {
    const markov *m = &f->m;
    result_meta(r, "inputs", table_inputs_json(t));
    result_param_str(r, "method", "flow");
    result_param_json(r, "by", group_json(&f->g));
    result_param_str(r, "at", d0);
    result_param_num(r, "horizon", y->last);
    result_param_num(r, "periods", (double)m->periods);
    result_param_num(r, "steps_per_year", m->spy);
    result_param_num(r, "growth", m->growth);
    result_param_num(r, "hires", m->hires_mult);
    cJSON *set = cJSON_CreateArray();
    for (size_t i = 0; set && i < o->nset; i++)
        cJSON_AddItemToArray(set, cJSON_CreateString(o->set[i]));
    result_param_json(r, "set", set);
    result_param_num(r, "simulations", (double)f->nsim);
    if (f->nsim) result_param_num(r, "seed", (double)o->seed);
    else result_param_str(r, "seed", NULL);
    result_param_num(r, "target", t->cfg.target);
    result_param_num(r, "band", t->cfg.band);
    char over[32] = "period";
    if (m->periods > 1) snprintf(over, sizeof over, "%zu periods", m->periods);
    result_note(r, "Each grade's headcount is held %s by hires; rates of leaving and of moving "
               "between grades, per sex, and the female share of hires are pooled over the "
               "last %s%s.",
            m->growth != 0 ? "on its growth path" : "constant", over,
            o->nset ? ", then changed by 'set'" : "");
    if (f->nsim)
        result_note(r, "95%%: the middle 95%% of %zu Monte Carlo runs (seed %lu).", f->nsim, o->seed);
    if (extrapolated)
        result_note(r, "*: a parity year further ahead than the %s the rates were pooled over -- "
                   "what these rates lead to if nothing changes, not a forecast.",
                over);
    if (m->borrowed)
        result_note(r, "%zu pair%s of sex and grade had nobody at risk in those periods: %s the "
                   "grade's rates for all sexes together.",
                m->borrowed, m->borrowed == 1 ? "" : "s", m->borrowed == 1 ? "it follows" : "they follow");
    if (m->fallback_hire_grades)
        result_note(r, "%zu grade%s hired nobody in those periods; %s hires are assumed to follow "
                   "the female share of all hires.",
                m->fallback_hire_grades, m->fallback_hire_grades == 1 ? "" : "s",
                m->fallback_hire_grades == 1 ? "its" : "their");
}

int flow_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    projection_years y;
    int rc = projection_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    flow_run f = {0};
    parity_result *r = NULL;
    if ((rc = flow_prepare(&f, t, o, &y)) != PARITY_OK) goto done;
    if ((rc = flow_rows(&f, t)) != PARITY_OK || (rc = flow_deterministic(&f, t, &y)) != PARITY_OK ||
        (rc = flow_monte_carlo(&f, t, o)) != PARITY_OK)
        goto done;
    char d0[11];
    date_format(t->snap[y.s_at].date, d0);
    if ((rc = flow_columns(&f, &y, d0, &r)) != PARITY_OK) goto done;
    size_t extrapolated = 0;
    for (size_t i = 0; i < f.nrow && rc == PARITY_OK; i++)
        rc = flow_put_row(&f, t, o, &y, r, i, &extrapolated);
    if (rc != PARITY_OK) goto done;
    result_set_has_total(r, true);
    flow_describe(&f, t, o, &y, d0, extrapolated, r);
    if ((rc = projection_protect(t, &f.g, y.s_at, f.keys, f.nk, r)) != PARITY_OK) goto done;
    *out = r;
    r = NULL;
done:
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    parity_result_free(r);
    flow_run_free(&f);
    return rc;
}
