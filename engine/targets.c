/*
** targets.c -- the status of targets (DESIGN.md, "Targets", "Required hire
** share").
**
** A target names a scope (dimension = value pairs, or everyone), a measure
** (the stock share, or the female share of hires, promotions or moves), a
** share, a band and a year. For each: the current value at the last
** snapshot (events pooled over the last K periods, as the flow model pools
** them), the status, the trend line's value at the target date, and for
** stock targets the female share of hires the flow model needs to reach
** the target share by then.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "markov.h"
#include "disclose.h"
#include "projection.h"
#include "represent.h"
#include "stats.h"

enum {
    C_TARGET, C_MEASURE, C_SHARE, C_YEAR, C_BAND, C_CURRENT, C_N, C_BAND_STATUS, C_STATUS,
    C_BASIS, C_FLOW, C_TREND, C_SLOPE, C_POINTS, C_HIRES, C_REQUIRED, C_REASON, C_NCOL
};

static int add_columns(parity_result *r) {
    static const struct {
        const char *name, *label;
        result_kind kind;
        bool human;
    } cols[C_NCOL] = {
        {"target", "target", RESULT_DIM, true},
        {"measure", "measure", RESULT_TEXT, true},
        {"share", "share", RESULT_SHARE, true},
        {"year", "by", RESULT_YEAR, true},
        {"band", "band", RESULT_REAL, false},
        {"current", "now", RESULT_SHARE, true},
        {"current_n", "n", RESULT_COUNT, false},
        {"band_status", "band", RESULT_TEXT, false},
        {"status", "status", RESULT_TEXT, true},
        {"status_basis", "basis", RESULT_TEXT, true},
        {"flow_at_year", "flow", RESULT_SHARE, true},
        {"trend_at_year", "trend", RESULT_SHARE, true},
        {"slope", "pts/yr", RESULT_REAL, false},
        {"trend_points", "points", RESULT_COUNT, false},
        {"hires_female_share", "hires F%", RESULT_SHARE, true},
        {"required_hire_share", "needed", RESULT_SHARE, true},
        {"reason", "note", RESULT_NOTE, true},
    };
    for (size_t c = 0; c < C_NCOL; c++) {
        int rc = cols[c].human ? result_add_col(r, cols[c].name, cols[c].label, cols[c].kind)
                               : result_add_machine_col(r, cols[c].name, cols[c].kind);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* Appends a sentence to the row's reason. */
static void add_reason(parity_result *r, size_t row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_reason(parity_result *r, size_t row, const char *fmt, ...) {
    char buf[512], msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *old = parity_result_text(r, row, C_REASON);
    snprintf(buf, sizeof buf, "%s%s%s", old ? old : "", old ? "; " : "", msg);
    result_set_text(r, row, C_REASON, buf);
}

/* Events of one measure in scope in period (s - 1, s), by sex: hires and
** promotions by the row at s, moves by the row at s - 1. pos is scratch
** (staff_ids.n entries of UINT32_MAX, left so). */
static void period_events(const parity_table *t, const grouping *g, uint64_t key, size_t s,
                          target_measure measure, long mob, uint32_t *pos, int64_t ev[4]) {
    const table_snapshot *a = &t->snap[s - 1], *b = &t->snap[s];
    for (size_t i = a->begin; i < a->end; i++) pos[t->staff[i]] = (uint32_t)i;
    for (size_t j = b->begin; j < b->end; j++) {
        uint32_t p = pos[t->staff[j]];
        switch (measure) {
        case MEASURE_HIRES:
            if (p == UINT32_MAX && group_key(g, t, j, s) == key) ev[t->sex[j]]++;
            break;
        case MEASURE_PROMOTIONS:
            if (p != UINT32_MAX && t->grade_rank[table_grade(t, p)] >= 0 &&
                t->grade_rank[table_grade(t, j)] > t->grade_rank[table_grade(t, p)] &&
                group_key(g, t, j, s) == key)
                ev[t->sex[j]]++;
            break;
        case MEASURE_MOVES: {
            if (p == UINT32_MAX || mob < 0 || group_key(g, t, p, s - 1) != key) break;
            uint32_t c0 = table_code_get(&t->cols[mob], p), c1 = table_code_get(&t->cols[mob], j);
            if (c0 && c1 && c0 != c1) ev[t->sex[j]]++;
            break;
        }
        default: break;
        }
    }
    for (size_t i = a->begin; i < a->end; i++) pos[t->staff[i]] = UINT32_MAX;
}

static double share3(const int64_t n[4]) {
    int64_t all = n[SEX_F] + n[SEX_M] + n[SEX_X];
    return all > 0 ? (double)n[SEX_F] / (double)all : -1;
}

/* What the flow model says of a stock target: the scope's share at the
** target year with the hire shares as observed (*flow_at), and the female
** share of hires that brings it to the target share itself by then, written
** into row rw with the observed share of hires (or the reason there is
** none). *flow_at stays -1 when the model cannot be run on this data. */
static int flow_view(parity_table *t, const parity_project_options *o, const projection_years *y,
                     const config_target *tg, const grouping *g, const int64_t *codes,
                     parity_result *r, size_t rw, double *flow_at) {
    *flow_at = -1;
    if (!t->has_staff_all || t->count || y->s_at < 1 || !t->has_grade) {
        add_reason(r, rw, "no flow model: it needs person-level snapshots with staff_id and grades");
        return PARITY_OK;
    }
    if (tg->year <= y->at_year) return PARITY_OK;
    /* scope dimensions other than grade and category filter the population */
    const char **names = malloc((g->ndim ? g->ndim : 1) * sizeof *names);
    if (!names) return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    size_t nn = 0;
    for (size_t d = 0; d < g->ndim; d++)
        if (g->dim[d].kind == GROUP_COL) names[nn++] = g->dim[d].name;
    grouping f;
    int rc = group_init_names(&f, t, names, nn, table_errbuf(t));
    free(names);
    if (rc != PARITY_OK) return rc;
    uint64_t fkey = 0;
    for (size_t d = 0, fd = 0; d < g->ndim; d++)
        if (g->dim[d].kind == GROUP_COL) fkey += (uint64_t)codes[d] * f.dim[fd++].stride;
    uint8_t *in_scope = malloc(t->grades.n ? t->grades.n : 1);
    markov m;
    if (!in_scope) {
        group_free(&f);
        return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    }
    for (uint32_t gr = 0; gr < t->grades.n; gr++) {
        in_scope[gr] = 1;
        for (size_t d = 0; d < g->ndim; d++) {
            if (g->dim[d].kind == GROUP_GRADE && gr != codes[d]) in_scope[gr] = 0;
            if (g->dim[d].kind == GROUP_CATEGORY && t->grade_cat[gr] != codes[d]) in_scope[gr] = 0;
        }
    }
    rc = markov_estimate(&m, t, y->s_at, o->periods, f.ndim ? &f : NULL, fkey);
    if (rc != PARITY_OK) {
        /* a model that cannot be estimated is a note on this target, not a failure */
        add_reason(r, rw, "no flow model: %s", table_errbuf(t));
        free(in_scope);
        group_free(&f);
        return rc == PARITY_NOMEM ? rc : PARITY_OK;
    }
    double hf = 0, hn = 0;
    for (uint32_t gr = 0; gr < t->grades.n; gr++)
        if (in_scope[gr]) {
            hf += m.hire[SEX_F][gr];
            hn += m.hire[SEX_F][gr] + m.hire[SEX_M][gr] + m.hire[SEX_X][gr];
        }
    if (hn > 0) result_set_num(r, rw, C_HIRES, hf / hn);
    long steps = (long)(tg->year - y->at_year) * m.spy;
    double goal = tg->share, eps = 1e-9;
    double now, at1, at0;
    if (markov_scope_share(&m, steps, in_scope, false, 0, &now) ||
        markov_scope_share(&m, steps, in_scope, true, 1, &at1) ||
        markov_scope_share(&m, steps, in_scope, true, 0, &at0)) {
        rc = errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    } else if (at1 < 0) {
        add_reason(r, rw, "no flow model: nobody in scope to project");
    } else {
        *flow_at = now;
        result_set_num(r, rw, C_FLOW, now);
        if (at1 < goal - eps) {
            add_reason(r, rw,
                       "unreachable: even if every hire were a woman, %.1f%% by %d at the "
                       "current rates",
                       100 * at1, tg->year);
        } else if (at0 > goal + eps) {
            add_reason(r, rw,
                       "exceeded: even if no hire were a woman, %.1f%% by %d at the current "
                       "rates",
                       100 * at0, tg->year);
        } else {
            /* the share at the target year rises with the hire share: bisect */
            double lo = 0, hi = 1, at;
            for (int it = 0; it < 60 && rc == PARITY_OK; it++) {
                double mid = (lo + hi) / 2;
                if (markov_scope_share(&m, steps, in_scope, true, mid, &at))
                    rc = errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
                else if (at < goal) lo = mid;
                else hi = mid;
            }
            if (rc == PARITY_OK) result_set_num(r, rw, C_REQUIRED, (lo + hi) / 2);
        }
    }
    markov_free(&m);
    free(in_scope);
    group_free(&f);
    return rc;
}

/* A target's scope as a grouping and the codes (and key) of its group. */
static int scope_group(parity_table *t, const config_target *tg, grouping *g, int64_t *codes,
                       uint64_t *key) {
    int rc = group_init_names(g, t, (const char *const *)tg->dim, tg->nscope, table_errbuf(t));
    if (rc != PARITY_OK) {
        char msg[PARITY_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", table_errbuf(t));
        return errmsg_set(table_errbuf(t), rc, "target %s: %s", tg->scope, msg);
    }
    if (g->by_snapshot)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "target %s: a scope cannot be a snapshot date", tg->scope);
    *key = 0;
    for (size_t d = 0; d < g->ndim; d++) {
        codes[d] = group_find(g, t, d, tg->value[d]);
        if (codes[d] < 0)
            return errmsg_set(table_errbuf(t), PARITY_USAGE, "target %s: no %s \"%s\" in the data",
                              tg->scope, g->dim[d].name, tg->value[d]);
        *key += (uint64_t)codes[d] * g->dim[d].stride;
    }
    return PARITY_OK;
}

/* A target's series: the share at each point (px, py; *n of them) and the
** current share of *current_n people (-1: none). */
typedef struct series {
    size_t s0, s1, n;
    double *px, *py;
    double current, current_n;
} series;

/* Stock targets: the scope's share at each snapshot of the window. */
static int stock_series(const parity_table *t, const grouping *g, uint64_t key, series *sr) {
    size_t ns = sr->s1 - sr->s0;
    sexcount *st = represent_stocks(t, g, sr->s0, sr->s1);
    if (!st) return PARITY_NOMEM;
    for (size_t s = 0; s < ns; s++) {
        const int64_t *c = st[key * ns + s].n;
        double sh = share3(c);
        if (s == ns - 1) {
            sr->current = sh;
            sr->current_n = (double)(c[SEX_F] + c[SEX_M] + c[SEX_X]);
        }
        if (sh < 0) continue;
        sr->px[sr->n] = date_decimal_year(t->snap[sr->s0 + s].date);
        sr->py[sr->n++] = sh;
    }
    free(st);
    return PARITY_OK;
}

/* Event targets: the female share of the events of each period, and of the
** last 'periods' (3) pooled as the current one. A target these data cannot
** judge gets its reason in row rw and *judged false. */
static int event_series(const parity_table *t, const parity_project_options *o,
                        const projection_years *y, const config_target *tg, const grouping *g,
                        uint64_t key, series *sr, parity_result *r, size_t rw, bool *judged) {
    long mob = table_find_col(t, "duty_station");
    *judged = false;
    if (!t->has_staff_all || t->count || y->s_at < 1) {
        add_reason(r, rw, "%s need person-level snapshots with staff_id", config_measure_name[tg->measure]);
        return PARITY_OK;
    }
    if (tg->measure == MEASURE_PROMOTIONS && t->cfg.order == GRADE_ORDER_NONE) {
        add_reason(r, rw, "grades are unordered: no promotions");
        return PARITY_OK;
    }
    if (tg->measure == MEASURE_MOVES && mob < 0) {
        add_reason(r, rw, "no duty_station column: no moves");
        return PARITY_OK;
    }
    uint32_t *pos = table_staff_pos_new(t);
    if (!pos) return PARITY_NOMEM;
    size_t k = o->periods > 0 ? (size_t)o->periods : 3;
    int64_t pooled[4] = {0, 0, 0, 0};
    for (size_t s = sr->s0 ? sr->s0 : 1; s < sr->s1; s++) {
        int64_t ev[4] = {0, 0, 0, 0};
        period_events(t, g, key, s, tg->measure, mob, pos, ev);
        if (s + k >= sr->s1)
            for (int x = 0; x < 4; x++) pooled[x] += ev[x];
        double sh = share3(ev);
        if (sh < 0) continue;
        sr->px[sr->n] = date_decimal_year(t->snap[s].date);
        sr->py[sr->n++] = sh;
    }
    free(pos);
    sr->current = share3(pooled);
    sr->current_n = (double)(pooled[SEX_F] + pooled[SEX_M] + pooled[SEX_X]);
    *judged = true;
    return PARITY_OK;
}

/* The status: met, above the band, or on or off track by one stated
** projection -- the flow model where it runs (it knows the pipeline), else
** the trend; the other is shown beside it. */
static void judge(const projection_years *y, const config_target *tg, double band,
                  band_status where, double flow, bool fit, double then, parity_result *r,
                  size_t rw) {
    const double eps = 1e-12;
    const char *basis = flow >= 0 ? "flow" : fit ? "trend" : NULL;
    double projected = flow >= 0 ? flow : then;
    if (where == BAND_WITHIN) {
        result_set_text(r, rw, C_STATUS, "met");
    } else if (where == BAND_ABOVE) {
        /* a target is two-sided: above the band is not met */
        result_set_text(r, rw, C_STATUS, "above_band");
    } else if (tg->year <= y->at_year) {
        result_set_text(r, rw, C_STATUS, "off_track");
        add_reason(r, rw, "due by %d and not met", tg->year);
    } else if (basis) {
        result_set_text(r, rw, C_STATUS,
                    projected >= tg->share - band - eps ? "on_track" : "off_track");
        result_set_text(r, rw, C_BASIS, basis);
    } else {
        add_reason(r, rw, "not met; a trend needs 3 %s", tg->measure == MEASURE_STOCK
                                                               ? "snapshots with staff in scope"
                                                               : "periods with such events");
    }
}

/* Under min_cell: a target whose scope has from 1 to min_cell - 1 women or
** others (its share and count now say so) shows its definition only; no
** headcount is shown (representation publishes them, protected). */
static void targets_protect(const parity_table *t, parity_result *r) {
    long n = t->cfg.min_cell;
    if (n <= 1) return;
    size_t withheld = 0;
    for (size_t i = 0; i < r->nrow; i++) {
        const result_cell *cur = result_at(r, i, C_CURRENT), *cn = result_at(r, i, C_N);
        if (!cur->null && !cn->null) {
            int64_t total = (int64_t)cn->v[0], f = (int64_t)(cur->v[0] * cn->v[0] + 0.5);
            if (disclose_small(f, n) || disclose_small(total - f, n)) {
                for (size_t c = C_CURRENT; c < r->ncol; c++) result_at(r, i, c)->null = true;
                withheld++;
            }
        }
        result_at(r, i, C_N)->null = true;
    }
    cJSON *sj = cJSON_CreateObject();
    cJSON_AddNumberToObject(sj, "min_cell", (double)n);
    cJSON_AddNumberToObject(sj, "targets_withheld", (double)withheld);
    result_meta(r, "suppression", sj);
    result_note(r, "Protected for publishing: %zu target%s whose scope has from 1 to %ld women or "
                "others show%s the definition only; headcounts are left to representation.",
                withheld, withheld == 1 ? "" : "s", n - 1, withheld == 1 ? "s" : "");
}

/* One target's row. */
static int evaluate(parity_table *t, const parity_project_options *o, const projection_years *y,
                    const config_target *tg, parity_result *r) {
    long row = result_add_row(r);
    if (row < 0) return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    size_t rw = (size_t)row;
    double band = tg->band >= 0 ? tg->band : t->cfg.band;
    result_set_text(r, rw, C_TARGET, tg->scope);
    result_set_text(r, rw, C_MEASURE, config_measure_name[tg->measure]);
    result_set_num(r, rw, C_SHARE, tg->share);
    result_set_num(r, rw, C_YEAR, tg->year);
    result_set_num(r, rw, C_BAND, band);

    grouping g = {0};
    int64_t codes[CONFIG_MAX_SCOPE];
    uint64_t key = 0;
    series sr = {0};
    sr.s1 = y->s_at + 1;
    sr.s0 = o->snapshots && (size_t)o->snapshots < sr.s1 ? sr.s1 - (size_t)o->snapshots : 0;
    sr.current = -1;
    int rc = scope_group(t, tg, &g, codes, &key);
    if (rc != PARITY_OK) goto done;
    bool judged = true;
    sr.px = malloc((sr.s1 - sr.s0) * sizeof *sr.px);
    sr.py = malloc((sr.s1 - sr.s0) * sizeof *sr.py);
    if (!sr.px || !sr.py) rc = PARITY_NOMEM;
    else if (tg->measure == MEASURE_STOCK) rc = stock_series(t, &g, key, &sr);
    else rc = event_series(t, o, y, tg, &g, key, &sr, r, rw, &judged);
    if (rc != PARITY_OK || !judged) goto done;
    result_set_num(r, rw, C_N, sr.current_n);
    if (sr.current < 0) {
        add_reason(r, rw, "none in scope at the last snapshot");
        goto done;
    }
    result_set_num(r, rw, C_CURRENT, sr.current);
    band_status where = stats_band(sr.current, tg->share, band);
    result_set_text(r, rw, C_BAND_STATUS, stats_band_name[where]);
    stats_line l;
    bool fit = stats_linfit(sr.px, sr.py, sr.n, &l);
    result_set_num(r, rw, C_POINTS, (double)sr.n);
    double then = -1, flow = -1;
    if (fit) {
        double lo, hi;
        then = stats_linfit_predict(&l, projection_x(y, tg->year), &lo, &hi);
        then = then < 0 ? 0 : then > 1 ? 1 : then;
        result_set_num(r, rw, C_TREND, then);
        result_set_num(r, rw, C_SLOPE, 100 * l.c1);
    }
    if (tg->measure == MEASURE_STOCK &&
        (rc = flow_view(t, o, y, tg, &g, codes, r, rw, &flow)) != PARITY_OK)
        goto done;
    judge(y, tg, band, where, flow, fit, then, r, rw);
done:
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    free(sr.px);
    free(sr.py);
    group_free(&g);
    return rc;
}

static int targets_of_config(parity_table *t, const parity_project_options *o, parity_result **out);

int parity_targets(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    parity_project_options def;
    if (!o) {
        parity_project_options_init(&def);
        o = &def;
    }
    if (!o->ntargets) return targets_of_config(t, o, out);
    /* the options' targets in place of the configuration's, for this call */
    config_target *saved = t->cfg.targets;
    size_t nsaved = t->cfg.ntargets;
    t->cfg.targets = NULL;
    t->cfg.ntargets = 0;
    int rc = PARITY_OK;
    for (size_t i = 0; i < o->ntargets && rc == PARITY_OK; i++)
        if ((rc = parity_config_add_target(&t->cfg, o->targets[i])) != PARITY_OK)
            errmsg_set(table_errbuf(t), rc, "%s", t->cfg.errmsg);
    if (rc == PARITY_OK) rc = targets_of_config(t, o, out);
    parity_config_clear_targets(&t->cfg);
    t->cfg.targets = saved;
    t->cfg.ntargets = nsaved;
    return rc;
}

static int targets_of_config(parity_table *t, const parity_project_options *o, parity_result **out) {
    if (!t->cfg.ntargets)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "no targets: give 'target' SCOPE:SHARE:YEAR (e.g. grade=P4:0.5:2028) "
                        "or a \"targets\" list in the 'config' file");
    projection_years y;
    int rc = projection_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    char d[11], title[128];
    date_format(t->snap[y.s_at].date, d);
    snprintf(title, sizeof title, "Targets at %s", d);
    parity_result *r = result_new("targets", title);
    if (!r || add_columns(r) != PARITY_OK) {
        parity_result_free(r);
        return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->cfg.ntargets; i++)
        if ((rc = evaluate(t, o, &y, &t->cfg.targets[i], r)) != PARITY_OK) {
            parity_result_free(r);
            return rc;
        }
    result_meta(r, "inputs", table_inputs_json(t));
    result_param_str(r, "at", d);
    if (o->snapshots) result_param_num(r, "snapshots", o->snapshots);
    else result_param_str(r, "snapshots", NULL);
    result_param_num(r, "periods", o->periods > 0 ? o->periods : 3);
    result_note(r, "now: the share at %s (for hires, promotions and moves: pooled over up to %d "
               "periods). met = within the band (target +/- %.0f points); above_band = above "
               "it (a target is two-sided); on_track / off_track = the projection reaches the "
               "band by the target date (%02d-%02d of the year) or not, judged by the flow "
               "model where staff ids follow people, else by the trend line.",
            d, o->periods > 0 ? o->periods : 3, 100 * t->cfg.band, y.month, y.day);
    targets_protect(t, r);
    result_note(r, "flow, trend: the share the flow model and the trend line project for the "
               "target date; basis: the one the status follows. needed: the female share of "
               "hires into the scope that brings it to the target share itself by then, by the "
               "flow model (rates of leaving and promotion of women and men as observed).");
    *out = r;
    return PARITY_OK;
}
