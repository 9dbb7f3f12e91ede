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

#include "markov.h"
#include "project_flow.h"
#include "stats.h"

#define MC_MAX_BYTES 1e9 /* Monte Carlo results kept for the intervals */
#define LONG_RUN_YEARS 200

int flow_project(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    projection_years y;
    int rc = projection_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    if (o->simulations < 0 || o->simulations > 100000)
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'simulations' must be 0 to 100000");
    grouping g, gg;
    if ((rc = group_init(&g, t, o->by, table_errbuf(t))) != PARITY_OK) return rc;
    if (g.ndim > 1 || (g.ndim == 1 && g.dim[0].kind != GROUP_GRADE &&
                       g.dim[0].kind != GROUP_CATEGORY)) {
        group_free(&g);
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'method' flow projects by grade or category ('by' grade, 'by' "
                        "category); use 'method' trend for other dimensions");
    }
    if ((rc = group_init(&gg, t, GROUP_DEFAULT, table_errbuf(t))) != PARITY_OK) {
        group_free(&g);
        return rc;
    }
    markov m;
    if ((rc = markov_estimate(&m, t, y.s_at, o->periods, NULL, 0)) != PARITY_OK) {
        group_free(&g);
        group_free(&gg);
        return rc;
    }
    m.growth = o->growth;
    if (!(o->growth > -1 && o->growth < 10)) {
        rc = errmsg_set(table_errbuf(t), PARITY_USAGE, "'growth' is a yearly rate above -1 (0.02 = 2%%)");
        goto fail;
    }
    for (size_t i = 0; i < o->nset; i++)
        if ((rc = markov_set(&m, t, &gg, o->set[i])) != PARITY_OK) goto fail;

    size_t ng = m.ng, nyears = (size_t)(y.last - y.first + 1);
    long years_run = y.last - y.at_year;
    if (years_run < LONG_RUN_YEARS) years_run = LONG_RUN_YEARS;
    /* rows: the groups with staff at the start, in output order, then the total */
    uint64_t *keys = malloc((g.nkeys ? g.nkeys : 1) * sizeof *keys);
    long *grp = malloc((ng ? ng : 1) * sizeof *grp), *row_of = NULL;
    double *proj = NULL, *sims = NULL, *hires = malloc((ng ? ng : 1) * sizeof *hires);
    double *start = NULL, *hire_f = NULL, *hire_n = NULL, *longrun = NULL;
    int *pyear = NULL;
    markov_state st = {0};
    markov_draw mr = {0};
    gsl_rng *rng = NULL;
    unsigned *draw = NULL;
    parity_result *r = NULL;
    if (!keys || !grp || !hires) goto nomem;
    size_t nk = 0;
    if (g.ndim) {
        uint8_t *seen = calloc(g.nkeys, 1);
        if (!seen) goto nomem;
        for (size_t j = 0; j < ng; j++) {
            uint64_t k = g.dim[0].kind == GROUP_GRADE ? j : t->grade_cat[j];
            if (m.base[j] > 0 && !seen[k]) {
                seen[k] = 1;
                keys[nk++] = k;
            }
        }
        free(seen);
        if (group_sort(&g, keys, nk) != PARITY_OK) goto nomem;
    }
    size_t nrow = nk + 1; /* + the total */
    if (!(row_of = malloc((g.nkeys ? g.nkeys : 1) * sizeof *row_of))) goto nomem;
    for (uint64_t k = 0; k < g.nkeys; k++) row_of[k] = -1;
    for (size_t i = 0; i < nk; i++) row_of[keys[i]] = (long)i;
    for (size_t j = 0; j < ng; j++)
        grp[j] = g.ndim ? row_of[g.dim[0].kind == GROUP_GRADE ? j : t->grade_cat[j]] : -1;

    /* deterministic run: shares per row and year, and each row's parity year */
    proj = calloc(nrow * nyears, sizeof *proj);
    pyear = calloc(nrow, sizeof *pyear);
    start = calloc(nrow, sizeof *start);
    hire_f = calloc(nrow, sizeof *hire_f);
    hire_n = calloc(nrow, sizeof *hire_n);
    longrun = calloc(nrow, sizeof *longrun);
    if (!proj || !pyear || !start || !hire_f || !hire_n || !longrun ||
        markov_state_init(&st, &m) != PARITY_OK)
        goto nomem;
    double target = t->cfg.target, band = t->cfg.band;
    for (size_t i = 0; i < nrow; i++) {
        start[i] = markov_share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
        if (stats_band(start[i], target, band) == BAND_WITHIN) pyear[i] = -1; /* reached */
    }
    long steps = years_run * m.spy;
    for (long k = 1; k <= steps; k++) {
        markov_step(&m, k, st.x, st.y, hires);
        markov_state_swap(&st);
        if (k == 1)
            for (size_t j = 0; j < ng; j++) {
                double hf = hires[j] * m.hs[SEX_F][j], hn = hires[j];
                for (size_t i = 0; i < nrow; i++)
                    if (i == nk || grp[j] == (long)i) {
                        hire_f[i] += hf;
                        hire_n[i] += hn;
                    }
            }
        if (k % m.spy) continue;
        int year = y.at_year + (int)(k / m.spy);
        for (size_t i = 0; i < nrow; i++) {
            double sh = markov_share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
            if (year <= y.last) proj[i * nyears + (size_t)(year - y.first)] = sh;
            if (pyear[i] == 0 && sh >= 0 && projection_reached(sh, start[i], target, band))
                pyear[i] = year;
            longrun[i] = sh;
        }
    }

    /* Monte Carlo: the same steps with people drawn one by one */
    size_t nsim = (size_t)o->simulations;
    /* every run's share of every group in every year is kept for the
    ** quantiles: bounded, with the reason, rather than gigabytes asked of
    ** the system */
    double need = (double)nrow * (double)nyears * (double)nsim * sizeof *sims;
    if (need > MC_MAX_BYTES) {
        rc = errmsg_set(table_errbuf(t), PARITY_USAGE,
                      "%zu simulations of %zu groups over %zu years would keep %.1f GB of "
                      "results (at most %.0f GB): fewer simulations or an earlier horizon",
                      nsim, nrow, nyears, need / 1e9, MC_MAX_BYTES / 1e9);
        goto done;
    }
    if (nsim) {
        sims = malloc(nrow * nyears * nsim * sizeof *sims);
        draw = malloc((ng + MARKOV_NSEX + 1) * sizeof *draw);
        rng = gsl_rng_alloc(gsl_rng_taus2);
        if (!sims || !draw || !rng || markov_draw_alloc(&m, &mr) != PARITY_OK) goto nomem;
        gsl_rng_set(rng, o->seed);
        for (size_t sim = 0; sim < nsim; sim++) {
            markov_draw_rates(&m, &mr, o->fixed_rates ? NULL : rng);
            for (int s = 0; s < MARKOV_NSEX; s++) memcpy(st.x[s], m.n0[s], ng * sizeof *st.x[s]);
            for (long k = 1; k <= (long)nyears * m.spy; k++) {
                markov_draw_step(&m, &mr, rng, k, st.x, st.y, draw);
                markov_state_swap(&st);
                if (k % m.spy) continue;
                size_t yi = (size_t)(k / m.spy) - 1;
                for (size_t i = 0; i < nrow; i++)
                    sims[(i * nyears + yi) * nsim + sim] =
                        markov_share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
            }
        }
    }

    char title[256], d0[11];
    date_format(t->snap[y.s_at].date, d0);
    snprintf(title, sizeof title,
             "Flow projection by %s to %d: rates pooled over %zu period%s to %s%s",
             g.ndim ? g.dim[0].name : "the whole population", y.last, m.periods,
             m.periods == 1 ? "" : "s", d0, nsim ? ", with Monte Carlo intervals" : "");
    if (!(r = result_new("project", title))) goto nomem;
    if (group_add_columns(&g, r) || result_add_col(r, "staff", "staff", RESULT_COUNT) ||
        result_add_col(r, "female_share", "F share", RESULT_SHARE) ||
        result_add_col(r, "hires_female_share", "hires F%", RESULT_SHARE))
        goto nomem;
    for (int s = 0; s < 2; s++) {
        char n1[64], n2[64];
        snprintf(n1, sizeof n1, "separation_rate.%s", markov_sex_word[s]);
        snprintf(n2, sizeof n2, "promotion_rate.%s", markov_sex_word[s]);
        if (result_add_machine_col(r, n1, RESULT_SHARE) || result_add_machine_col(r, n2, RESULT_SHARE))
            goto nomem;
    }
    if (projection_add_columns(r, &y, nsim > 0, nsim > 0) ||
        result_add_col(r, "long_run_share", "long run", RESULT_SHARE) || projection_add_parity_columns(r))
        goto nomem;
    size_t c0 = g.ndim, c_proj = c0 + 7, per_year = nsim ? 3 : 2, extrapolated = 0;
    size_t c_long = c_proj + per_year * nyears, c_year = c_long + 1;
    for (size_t i = 0; i < nrow; i++) {
        long row = result_add_row(r);
        if (row < 0) goto nomem;
        size_t rw = (size_t)row;
        if (i < nk && group_set_row(&g, t, r, rw, keys[i])) goto nomem;
        double staff = 0;
        for (size_t j = 0; j < ng; j++)
            if (i == nk || grp[j] == (long)i) staff += m.base[j];
        result_set_num(r, rw, c0, staff);
        if (start[i] >= 0) result_set_num(r, rw, c0 + 1, start[i]);
        if (hire_n[i] > 0) result_set_num(r, rw, c0 + 2, hire_f[i] / hire_n[i]);
        if (i < nk && g.dim[0].kind == GROUP_GRADE) {
            size_t j = keys[i];
            for (int s = 0; s < 2; s++) {
                double up = 0;
                for (size_t d = 0; d < ng; d++)
                    if (t->cfg.order != GRADE_ORDER_NONE && t->grade_rank[d] > t->grade_rank[j])
                        up += m.P[s][j * ng + d];
                if (m.risk[s][j] > 0 || o->nset) {
                    result_set_num(r, rw, c0 + 3 + 2 * (size_t)s, m.q[s][j]);
                    if (t->cfg.order != GRADE_ORDER_NONE)
                        result_set_num(r, rw, c0 + 4 + 2 * (size_t)s, up);
                }
            }
        }
        for (size_t yi = 0; yi < nyears; yi++) {
            size_t c = c_proj + per_year * yi;
            double v = proj[i * nyears + yi], lo = 0, hi = 0;
            if (v < 0) continue;
            if (nsim) {
                double *sv = &sims[(i * nyears + yi) * nsim];
                gsl_sort(sv, 1, nsim);
                lo = gsl_stats_quantile_from_sorted_data(sv, 1, nsim, 0.025);
                hi = gsl_stats_quantile_from_sorted_data(sv, 1, nsim, 0.975);
                result_set_num(r, rw, c + 2, gsl_stats_mean(sv, 1, nsim));
            }
            projection_put(r, rw, c, v, lo, hi, nsim > 0);
        }
        if (start[i] >= 0) {
            /* further ahead than the periods the rates were pooled over */
            bool far = pyear[i] > 0 && (double)(pyear[i] - y.at_year) >
                                           (double)m.periods / m.spy + 0.5;
            extrapolated += far;
            projection_put_parity(r, rw, c_year, pyear[i], far);
            result_set_num(r, rw, c_long, longrun[i]);
        }
        if (pyear[i] == 0 && start[i] >= 0) {
            char why[128];
            snprintf(why, sizeof why,
                     "not within %d years at these rates; long run: the share they settle at",
                     LONG_RUN_YEARS);
            result_set_text(r, rw, c_year + PROJECTION_C_REASON, why);
        }
    }
    result_set_has_total(r, true);

    result_meta(r, "inputs", table_inputs_json(t));
    result_param_str(r, "method", "flow");
    result_param_json(r, "by", group_json(&g));
    result_param_str(r, "at", d0);
    result_param_num(r, "horizon", y.last);
    result_param_num(r, "periods", (double)m.periods);
    result_param_num(r, "steps_per_year", m.spy);
    result_param_num(r, "growth", m.growth);
    result_param_num(r, "hires", m.hires_mult);
    cJSON *set = cJSON_CreateArray();
    for (size_t i = 0; set && i < o->nset; i++)
        cJSON_AddItemToArray(set, cJSON_CreateString(o->set[i]));
    result_param_json(r, "set", set);
    result_param_num(r, "simulations", (double)nsim);
    if (nsim) result_param_num(r, "seed", (double)o->seed);
    else result_param_str(r, "seed", NULL);
    result_param_num(r, "target", target);
    result_param_num(r, "band", band);
    char over[32] = "period";
    if (m.periods > 1) snprintf(over, sizeof over, "%zu periods", m.periods);
    result_note(r, "Each grade's headcount is held %s by hires; rates of leaving and of moving "
               "between grades, per sex, and the female share of hires are pooled over the "
               "last %s%s.",
            m.growth != 0 ? "on its growth path" : "constant", over,
            o->nset ? ", then changed by 'set'" : "");
    if (nsim)
        result_note(r, "95%%: the middle 95%% of %zu Monte Carlo runs (seed %lu).", nsim, o->seed);
    if (extrapolated)
        result_note(r, "*: a parity year further ahead than the %s the rates were pooled over -- "
                   "what these rates lead to if nothing changes, not a forecast.",
                over);
    if (m.borrowed)
        result_note(r, "%zu pair%s of sex and grade had nobody at risk in those periods: %s the "
                   "grade's rates for all sexes together.",
                m.borrowed, m.borrowed == 1 ? "" : "s", m.borrowed == 1 ? "it follows" : "they follow");
    if (m.fallback_hire_grades)
        result_note(r, "%zu grade%s hired nobody in those periods; %s hires are assumed to follow "
                   "the female share of all hires.",
                m.fallback_hire_grades, m.fallback_hire_grades == 1 ? "" : "s",
                m.fallback_hire_grades == 1 ? "its" : "their");
    rc = PARITY_OK;
    *out = r;
    r = NULL;
    goto done;
nomem:
    rc = errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
done:
    parity_result_free(r);
    free(keys);
    free(grp);
    free(row_of);
    free(proj);
    free(sims);
    free(hires);
    free(pyear);
    free(start);
    free(hire_f);
    free(hire_n);
    free(longrun);
    markov_state_free(&st);
    free(draw);
    markov_draw_free(&mr);
    if (rng) gsl_rng_free(rng);
fail:
    markov_free(&m);
    group_free(&g);
    group_free(&gg);
    return rc;
}
