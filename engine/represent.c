/*
** represent.c -- stock counts and shares by group (DESIGN.md, "Definitions").
**
** One pass over the rows in scope: each row adds its weight (1, or its count
** for aggregated input) to cell [group key][sex] of a dense array. Everything
** else -- shares, Wilson intervals, band, gap, the glass ceiling index -- is
** computed per group afterwards, on a few hundred numbers at most.
*/
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "disclose.h"
#include "represent.h"
#include "stats.h"

sexcount *represent_stocks(const parity_table *t, const grouping *g, size_t s0, size_t s1) {
    size_t ns = s1 - s0;
    sexcount *c = calloc(g->nkeys * (ns ? ns : 1), sizeof *c);
    if (!c) return NULL;
    for (size_t s = s0; s < s1; s++)
        for (size_t i = t->snap[s].begin; i < t->snap[s].end; i++)
            c[group_key(g, t, i, s) * ns + (s - s0)].n[t->sex[i]] += t->count ? t->count[i] : 1;
    return c;
}

/* Is grade code g among the top grades for the glass ceiling index? The
** configuration's top_grades when given, else D1 and above on the UN
** scale; -1 when the table's scale defines no top. */
int represent_is_top_grade(const parity_table *t, uint32_t g) {
    const parity_config *cfg = &t->cfg;
    if (cfg->ntop) {
        char norm[128];
        const char *name = dict_str(&t->grades, g);
        grade_normalise(name, strlen(name), norm, sizeof norm);
        for (size_t i = 0; i < cfg->ntop; i++)
            if (strcmp(cfg->top_grades[i], norm) == 0) return 1;
        return 0;
    }
    if (cfg->order != GRADE_ORDER_UN) return -1;
    return t->grade_rank[g] >= 17; /* D1 is 17th on the UN scale */
}

int represent_declare_counts(parity_result *r, size_t first) {
    static const uint8_t role[5] = {RESULT_PART, RESULT_PART, RESULT_PART, RESULT_ALONE, RESULT_SUM};
    size_t derived[5];
    for (size_t d = 0; d < 5; d++) derived[d] = first + 5 + d;
    return result_set_counts(r, first, 5, role, derived, 5, 1u << 0 | 1u << 4); /* F, total */
}

void represent_put_measures(parity_result *r, size_t row, size_t first, const sexcount *c,
                            const parity_config *cfg) {
    int64_t f = c->n[SEX_F], total = c->n[SEX_F] + c->n[SEX_M] + c->n[SEX_X];
    for (int s = 0; s < 4; s++) result_set_num(r, row, first + (size_t)s, (double)c->n[s]);
    result_set_num(r, row, first + 4, (double)total);
    represent_put_shares(r, row, first + 5, f, total, cfg);
}

void represent_put_shares(parity_result *r, size_t row, size_t col, int64_t f, int64_t total,
                          const parity_config *cfg) {
    if (total <= 0) return;
    double share = (double)f / (double)total, lo, hi;
    stats_wilson((double)f, (double)total, 0.95, &lo, &hi);
    result_set_num(r, row, col, share);
    result_set_ci(r, row, col + 1, lo, hi);
    result_set_num(r, row, col + 2, (double)stats_gap_women(f, total, cfg->target, cfg->band));
    result_set_num(r, row, col + 3, (double)stats_gap_men(f, total, cfg->target, cfg->band));
    result_set_text(r, row, col + 4, stats_band_name[stats_band(share, cfg->target, cfg->band)]);
}

int represent_add_measure_columns(parity_result *r) {
    static const struct {
        const char *name, *label;
        result_kind kind;
    } cols[] = {
        {"female", "F", RESULT_COUNT},       {"male", "M", RESULT_COUNT},
        {"other", "X", RESULT_COUNT},        {"unknown", "U", RESULT_COUNT},
        {"total", "total", RESULT_COUNT},    {"female_share", "F share", RESULT_SHARE},
        {"ci95", "95% CI", RESULT_CI},       {"gap_to_parity", "gap F", RESULT_COUNT},
        {"gap_to_parity_men", "gap M", RESULT_COUNT}, {"status", "status", RESULT_TEXT},
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        int rc = result_add_col(r, cols[i].name, cols[i].label, cols[i].kind);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* The glass ceiling index of snapshot s into the result's metadata, from
** the snapshot's counts per grade code (by_grade, t->grades.n cells). */
static void glass_ceiling(const parity_table *t, size_t s, const sexcount *by_grade,
                          bool withheld, parity_result *r) {
    int64_t all[2] = {0, 0}, top[2] = {0, 0}; /* women, total (F+M+X) */
    bool defined = true;
    for (uint32_t g = 0; g < t->grades.n; g++) {
        const int64_t *n = by_grade[g].n;
        int64_t f = n[SEX_F], tot = n[SEX_F] + n[SEX_M] + n[SEX_X];
        if (!tot) continue;
        int istop = represent_is_top_grade(t, g);
        if (istop < 0) {
            defined = false;
            break;
        }
        all[0] += f;
        all[1] += tot;
        if (istop) {
            top[0] += f;
            top[1] += tot;
        }
    }
    char d[11];
    date_format(t->snap[s].date, d);
    cJSON *gc = cJSON_CreateObject();
    cJSON_AddStringToObject(gc, "snapshot_date", d);
    long n = t->cfg.min_cell;
    if (defined && (withheld || disclose_small(top[0], n) || disclose_small(top[1] - top[0], n))) {
        /* its top-grade counts would give withheld counts away, or are small */
        result_meta(r, "glass_ceiling_index", cJSON_CreateNull());
        cJSON_AddStringToObject(gc, "reason", "withheld to protect the people counted");
        result_note(r, "Glass ceiling index at %s: withheld to protect the people counted.", d);
    } else if (!defined) {
        result_meta(r, "glass_ceiling_index", cJSON_CreateNull());
        cJSON_AddStringToObject(gc, "reason", "no top grades: set top_grades in the configuration");
        result_note(r, "Glass ceiling index: not defined for this grade scale (set top_grades in "
                   "the configuration).");
    } else {
        double share_all = all[1] ? (double)all[0] / (double)all[1] : 0;
        double share_top = top[1] ? (double)top[0] / (double)top[1] : 0;
        cJSON_AddNumberToObject(gc, "top_total", (double)top[1]);
        if (all[1]) cJSON_AddNumberToObject(gc, "female_share_all", share_all);
        if (top[1]) cJSON_AddNumberToObject(gc, "female_share_top", share_top);
        if (all[1] && top[0] > 0) {
            double gci = share_all / share_top;
            result_meta(r, "glass_ceiling_index", cJSON_CreateNumber(gci));
            result_note(r,
                    "Glass ceiling index %.2f at %s: women are %.1f%% of staff in scope and "
                    "%.1f%% of the top grades (%s); 1 = no ceiling, above 1 = fewer women at "
                    "the top.",
                    gci, d, 100 * share_all, 100 * share_top,
                    t->cfg.ntop ? "as configured" : "D1 and above");
        } else {
            const char *why = top[1] ? "no women in the top grades" : "nobody in the top grades";
            result_meta(r, "glass_ceiling_index", cJSON_CreateNull());
            cJSON_AddStringToObject(gc, "reason", why);
            result_note(r, "Glass ceiling index at %s: not defined (%s).", d, why);
        }
    }
    result_meta(r, "glass_ceiling", gc);
}

/* Adds the staff of snapshots [s0, s1) into cnt, per group key. */
static void count_stocks(const parity_table *t, const grouping *g, size_t s0, size_t s1,
                         sexcount *cnt) {
    for (size_t s = s0; s < s1; s++) {
        size_t b = t->snap[s].begin, e = t->snap[s].end;
        if (g->ndim == 1 && g->dim[0].kind == GROUP_GRADE && !t->count) {
            /* the common case, without the generic key loop */
            const uint8_t *sex = t->sex;
            const void *grade = t->grade.codes;
            switch (t->grade.width) {
            case 1:
                for (size_t i = b; i < e; i++) cnt[((const uint8_t *)grade)[i]].n[sex[i]]++;
                break;
            case 2:
                for (size_t i = b; i < e; i++) cnt[((const uint16_t *)grade)[i]].n[sex[i]]++;
                break;
            default:
                for (size_t i = b; i < e; i++) cnt[((const uint32_t *)grade)[i]].n[sex[i]]++;
                break;
            }
        } else {
            for (size_t i = b; i < e; i++)
                cnt[group_key(g, t, i, s)].n[t->sex[i]] += t->count ? t->count[i] : 1;
        }
    }
}

/* "Representation by grade at 2024-12-31", or over several snapshots. */
static void represent_title(const parity_table *t, const grouping *g, size_t s0, size_t s1,
                            char *title, size_t cap) {
    char date[11];
    date_format(t->snap[s1 - 1].date, date);
    size_t used = (size_t)snprintf(title, cap, "Representation");
    for (size_t d = 0; d < g->ndim && used < cap; d++)
        used += (size_t)snprintf(title + used, cap - used, "%s%s", d ? " x " : " by ", g->dim[d].name);
    if (used >= cap) return;
    if (s1 - s0 == 1) {
        snprintf(title + used, cap - used, " at %s", date);
    } else {
        char first[11];
        date_format(t->snap[s0].date, first);
        snprintf(title + used, cap - used, ", %zu snapshots %s to %s", s1 - s0, first, date);
    }
}

/* The result: a row per group with anyone in it (keys[0..nk), in output
** order), the total when one snapshot is shown, the parameters, the glass
** ceiling of the last snapshot (by_grade) and the note on unrecorded sex. */
static int represent_result(const parity_table *t, const grouping *g, size_t s0, size_t s1,
                            const sexcount *cnt, const uint64_t *keys, size_t nk,
                            const sexcount *total, const sexcount *by_grade, parity_result **out) {
    char title[256], date[11];
    represent_title(t, g, s0, s1, title, sizeof title);
    date_format(t->snap[s1 - 1].date, date);
    parity_result *r = *out = result_new("representation", title);
    if (!r || group_add_columns(g, r) || represent_add_measure_columns(r)) return PARITY_NOMEM;
    for (size_t i = 0; i < nk && g->ndim > 0; i++) {
        long row = result_add_row(r);
        if (row < 0 || group_set_row(g, t, r, (size_t)row, keys[i])) return PARITY_NOMEM;
        represent_put_measures(r, (size_t)row, g->ndim, &cnt[keys[i]], &t->cfg);
    }
    if (s1 - s0 == 1) {
        long row = result_add_row(r);
        if (row < 0) return PARITY_NOMEM;
        represent_put_measures(r, (size_t)row, g->ndim, total, &t->cfg);
        result_set_has_total(r, true);
    }
    result_meta(r, "inputs", table_inputs_json(t));
    result_param_json(r, "by", group_json(g));
    if (s1 - s0 == 1) result_param_str(r, "at", date);
    else result_param_str(r, "at", NULL);
    result_param_num(r, "target", t->cfg.target);
    result_param_num(r, "band", t->cfg.band);
    disclose_stats ds;
    int rc = represent_declare_counts(r, g->ndim);
    if (rc == PARITY_OK) rc = disclose_result(r, t->cfg.min_cell, &ds);
    if (rc != PARITY_OK) return rc;
    glass_ceiling(t, s1 - 1, by_grade, ds.primary + ds.secondary > 0, r);
    if (total->n[SEX_U] && disclose_small(total->n[SEX_U], t->cfg.min_cell))
        result_note(r, "Staff with sex not recorded (U) are counted but left out of totals and shares.");
    else if (total->n[SEX_U])
        result_note(r, "%lld %s with sex not recorded (U) %s counted but left out of totals and "
                   "shares.",
                (long long)total->n[SEX_U], s1 - s0 == 1 ? "staff" : "staff-snapshot rows",
                total->n[SEX_U] == 1 && s1 - s0 > 1 ? "is" : "are");
    if (t->cfg.min_cell > 0) result_param_num(r, "min_cell", (double)t->cfg.min_cell);
    return PARITY_OK;
}

int parity_representation(parity_table *t, const char *by, const char *at,
                          parity_result **out) {
    *out = NULL;
    if (t->n == 0) return errmsg_set(table_errbuf(t), PARITY_INVALID, "no data loaded");
    grouping g;
    int rc = group_init(&g, t, by, table_errbuf(t));
    if (rc != PARITY_OK) return rc;
    size_t s0 = t->nsnap - 1, s1 = t->nsnap;
    if (at) {
        if ((rc = table_snapshot_arg(t, at, "'at'", &s0)) != PARITY_OK) {
            group_free(&g);
            return rc;
        }
        s1 = s0 + 1;
    } else if (g.by_snapshot) {
        s0 = 0;
    }
    sexcount *cnt = calloc(g.nkeys, sizeof *cnt), *by_grade = NULL;
    uint64_t *keys = malloc(g.nkeys * sizeof *keys);
    parity_result *r = NULL;
    rc = PARITY_NOMEM;
    if (!cnt || !keys) goto done;
    count_stocks(t, &g, s0, s1, cnt);
    /* the glass ceiling needs the last snapshot by grade: the counts above
    ** when they are exactly that, else one more pass over its rows */
    bool reuse = g.ndim == 1 && g.dim[0].kind == GROUP_GRADE && s1 - s0 == 1;
    if (!reuse) {
        if (!(by_grade = calloc(t->grades.n ? t->grades.n : 1, sizeof *by_grade))) goto done;
        for (size_t i = t->snap[s1 - 1].begin; i < t->snap[s1 - 1].end; i++)
            by_grade[table_grade(t, i)].n[t->sex[i]] += t->count ? t->count[i] : 1;
    }
    size_t nk = 0;
    sexcount total = {{0, 0, 0, 0}};
    for (uint64_t k = 0; k < g.nkeys; k++) {
        int64_t n = cnt[k].n[0] + cnt[k].n[1] + cnt[k].n[2] + cnt[k].n[3];
        if (!n) continue;
        keys[nk++] = k;
        for (int s = 0; s < 4; s++) total.n[s] += cnt[k].n[s];
    }
    if (group_sort(&g, keys, nk) != PARITY_OK ||
        represent_result(t, &g, s0, s1, cnt, keys, nk, &total, reuse ? cnt : by_grade, &r) != PARITY_OK)
        goto done;
    *out = r;
    r = NULL;
    rc = PARITY_OK;
done:
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    free(by_grade);
    free(cnt);
    free(keys);
    group_free(&g);
    parity_result_free(r);
    return rc;
}
