/*
** flows.c -- recruitment, separations, promotions, demotions and moves
** between consecutive snapshots (DESIGN.md, "Flows", "Rate comparison",
** "Closure identity").
**
** Staff ids are interned to dense integers when loaded, so matching snapshot
** t0 to t1 is an array lookup: pos[id] = the person's row in t0. One pass over
** t0 fills it, one pass over t1 classifies everyone (hire, or matched and
** compared), one more pass over t0 finds who left. Linear in the rows, no
** hashing, no allocation per row. Each event lands in a dense counter array
** [group key][measure][sex], the group taken from the t1 row for hires and
** promotions into a grade, from the t0 row for everything else.
**
** Over several periods the counts are pooled (summed) and rates are computed
** from the sums, never averaged.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "disclose.h"
#include "group.h"
#include "stats.h"

enum measure {
    M_H0,          /* headcount at t0: the population at risk */
    M_H1,          /* headcount at t1 */
    M_HIRE,
    M_SEP,
    M_PROMO_IN,
    M_PROMO_OUT,
    M_DEMO_IN,
    M_DEMO_OUT,
    M_MOVE,
    M_LATERAL,
    M_SEXCHANGE,   /* net change of recorded sex, signed */
    M_COUNT
};

typedef struct fcount {
    int64_t n[M_COUNT][4];
} fcount;

static const char *const sex_key[4] = {"female", "male", "other", "unknown"};

/* Adds the per-sex columns of one measure: name.female ... name.unknown;
** people see F and M only. */
static int add_sex_cols(parity_result *r, const char *name, const char *label, bool human) {
    for (int s = 0; s < 4; s++) {
        char n[96], l[64];
        snprintf(n, sizeof n, "%s.%s", name, sex_key[s]);
        snprintf(l, sizeof l, "%s %c", label, "FMXU"[s]);
        int rc = human && s < 2 ? result_add_col(r, n, l, RESULT_COUNT) : result_add_machine_col(r, n, RESULT_COUNT);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* Rates of women and men: name.female, name.male, and their Wilson
** intervals under name_ci95. */
static int add_rate_cols(parity_result *r, const char *name, const char *label, bool human) {
    for (int s = 0; s < 2; s++) {
        char n[96], l[64];
        snprintf(n, sizeof n, "%s.%s", name, sex_key[s]);
        snprintf(l, sizeof l, "%s %c", label, "FM"[s]);
        int rc = human ? result_add_col(r, n, l, RESULT_SHARE) : result_add_machine_col(r, n, RESULT_SHARE);
        if (rc != PARITY_OK) return rc;
        snprintf(n, sizeof n, "%s_ci95.%s", name, sex_key[s]);
        if ((rc = result_add_machine_col(r, n, RESULT_CI)) != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* Fair-treatment statistics for one rate, women against men. */
static int add_test_cols(parity_result *r, const char *what, const char *label, bool human) {
    static const struct {
        const char *name;
        result_kind kind;
    } cols[] = {{"impact_ratio", RESULT_REAL}, {"four_fifths", RESULT_BOOL}, {"z", RESULT_REAL},
                {"p_z", RESULT_REAL},          {"p_fisher", RESULT_REAL},    {"p_value", RESULT_REAL},
                {"test", RESULT_TEXT}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        char n[96], l[64];
        snprintf(n, sizeof n, "tests.%s.%s", what, cols[i].name);
        int rc;
        if (human && i == 0) {
            snprintf(l, sizeof l, "%s IR", label);
            rc = result_add_col(r, n, l, cols[i].kind);
        } else if (human && i == 5) {
            snprintf(l, sizeof l, "%s p", label);
            rc = result_add_col(r, n, l, cols[i].kind);
        } else {
            rc = result_add_machine_col(r, n, cols[i].kind);
        }
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

static void put_sex(parity_result *r, size_t row, size_t *col, const int64_t n[4], bool defined) {
    for (int s = 0; s < 4; s++, (*col)++)
        if (defined) result_set_num(r, row, *col, (double)n[s]);
}

static void put_rates(parity_result *r, size_t row, size_t *col, const int64_t ev[4],
                      const int64_t risk[4], bool defined) {
    for (int s = 0; s < 2; s++) {
        if (defined && risk[s] > 0) {
            double lo, hi;
            result_set_num(r, row, *col, (double)ev[s] / (double)risk[s]);
            stats_wilson((double)ev[s], (double)risk[s], 0.95, &lo, &hi);
            result_set_ci(r, row, *col + 1, lo, hi);
        }
        *col += 2;
    }
}

/* Impact ratio (lower rate / higher rate, flagged below 4/5), the z-test and
** Fisher's exact test; p_value is Fisher's when any expected cell of the 2x2
** table is under 5, else the z-test's, and `test` says which. */
static void put_tests(parity_result *r, size_t row, size_t *col, const int64_t ev[4],
                      const int64_t risk[4], bool defined) {
    size_t c = *col;
    *col += 7;
    int64_t x1 = ev[SEX_F], n1 = risk[SEX_F], x2 = ev[SEX_M], n2 = risk[SEX_M];
    if (!defined || n1 <= 0 || n2 <= 0 || x1 > n1 || x2 > n2) return;
    double r1 = (double)x1 / (double)n1, r2 = (double)x2 / (double)n2;
    double hi = r1 > r2 ? r1 : r2, lo = r1 > r2 ? r2 : r1;
    if (hi > 0) {
        result_set_num(r, row, c, lo / hi);
        result_set_num(r, row, c + 1, lo / hi < 0.8); /* true: fails the four-fifths rule */
    }
    double z, pz, pf = stats_fisher((unsigned)x1, (unsigned)n1, (unsigned)x2, (unsigned)n2);
    bool zok = stats_ztest((double)x1, (double)n1, (double)x2, (double)n2, &z, &pz);
    if (zok) {
        result_set_num(r, row, c + 2, z);
        result_set_num(r, row, c + 3, pz);
    }
    result_set_num(r, row, c + 4, pf);
    double k = (double)(x1 + x2), n = (double)(n1 + n2);
    double emin = k / n * (double)(n1 < n2 ? n1 : n2);
    double emin2 = (n - k) / n * (double)(n1 < n2 ? n1 : n2);
    bool small = emin < 5 || emin2 < 5 || !zok;
    result_set_num(r, row, c + 5, small ? pf : pz);
    result_set_text(r, row, c + 6, small ? "fisher" : "z");
}

/* The measure columns of a flows result, in order. One list both declares
** the columns and fills them, so the two can never drift apart. */
typedef enum { B_SEX, B_RATE, B_TEST, B_SHARE } fblock_kind;
enum { D_ALWAYS, D_RANKED, D_MOBILITY };      /* when the block has values */
enum { H_NO, H_YES, H_IF_DEFINED };           /* shown in table and md */

typedef struct fblock {
    fblock_kind kind;
    const char *name, *label;
    int measure; /* events; rates and tests are over M_H0 */
    int defined, human;
} fblock;

static const fblock blocks[] = {
    {B_SEX, "headcount", "headcount", M_H0, D_ALWAYS, H_YES},
    {B_SEX, "headcount_end", "end", M_H1, D_ALWAYS, H_NO},
    {B_SEX, "hires", "hires", M_HIRE, D_ALWAYS, H_YES},
    {B_SHARE, "hires_female_share", "hires F%", M_HIRE, D_ALWAYS, H_YES},
    {B_SEX, "separations", "sep", M_SEP, D_ALWAYS, H_NO},
    {B_RATE, "separation_rate", "sep%", M_SEP, D_ALWAYS, H_YES},
    {B_TEST, "separation", "sep", M_SEP, D_ALWAYS, H_NO},
    {B_SEX, "promotions", "promoted to", M_PROMO_IN, D_RANKED, H_NO},
    {B_SEX, "promotions_out", "promoted from", M_PROMO_OUT, D_RANKED, H_NO},
    {B_RATE, "promotion_rate", "prom%", M_PROMO_OUT, D_RANKED, H_YES},
    {B_TEST, "promotion", "prom", M_PROMO_OUT, D_RANKED, H_YES},
    {B_SEX, "demotions", "demoted to", M_DEMO_IN, D_RANKED, H_NO},
    {B_SEX, "demotions_out", "demoted from", M_DEMO_OUT, D_RANKED, H_NO},
    {B_RATE, "demotion_rate", "dem%", M_DEMO_OUT, D_RANKED, H_NO},
    {B_SEX, "moves", "moves", M_MOVE, D_MOBILITY, H_NO},
    {B_SEX, "lateral_moves", "lateral", M_LATERAL, D_MOBILITY, H_NO},
    {B_RATE, "move_rate", "move%", M_MOVE, D_MOBILITY, H_IF_DEFINED},
    {B_TEST, "move", "move", M_MOVE, D_MOBILITY, H_NO},
    {B_SEX, "sex_change", "sex change", M_SEXCHANGE, D_ALWAYS, H_NO},
};
#define NBLOCKS (sizeof blocks / sizeof blocks[0])

/* One flows query: the periods, the groups and what was counted in them. */
typedef struct flows_run {
    size_t s0, s1;       /* the periods (s-1, s] for s in (s0, s1] */
    long mob;            /* the mobility column, or -1 */
    bool ranked;         /* an ordered grade scale: promotions exist */
    grouping g;
    fcount *cnt;         /* per group key */
    fcount total;        /* every group pooled */
    uint64_t *keys;      /* groups with anyone in them, in output order */
    size_t nk;
    int64_t sex_changes, mob_missing, regrades_unranked;
} flows_run;

/* The checks of the table and the options, and the periods they choose. */
static int flows_check(flows_run *f, parity_table *t, const char *from, const char *to,
                       const char *mobility_by) {
    if (t->n == 0) return errmsg_set(table_errbuf(t), PARITY_INVALID, "no data loaded");
    if (!t->has_staff_all)
        return errmsg_set(table_errbuf(t), t->partial ? PARITY_USAGE : PARITY_INVALID,
                        "flows need a staff_id column to match people between snapshots, "
                        "and %s",
                        t->partial ? "the table was read from the store without it"
                                   : "at least one input has none");
    if (t->count)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "flows need person-level snapshots, not aggregated counts");
    if (t->nsnap < 2)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "flows need at least two snapshots; the input has %zu", t->nsnap);
    f->s0 = t->nsnap - 2;
    f->s1 = t->nsnap - 1;
    const char *bound[2] = {from, to};
    size_t *idx[2] = {&f->s0, &f->s1};
    for (int b = 0; b < 2; b++) {
        if (!bound[b]) continue;
        int rc = table_snapshot_arg(t, bound[b], b ? "'to'" : "'from'", idx[b]);
        if (rc != PARITY_OK) return rc;
    }
    if (to && !from) f->s0 = f->s1 > 0 ? f->s1 - 1 : 0;
    if (f->s1 <= f->s0)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'from' must be an earlier snapshot than 'to'");
    f->mob = table_find_col(t, mobility_by ? mobility_by : "duty_station");
    if (f->mob == TABLE_NOMEM) return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    if (mobility_by && f->mob < 0)
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'mobility_by': no column \"%s\"", mobility_by);
    f->ranked = t->cfg.order != GRADE_ORDER_NONE;
    return PARITY_OK;
}

/* The period from snapshot s - 1 to s: pos[] and matched[] are scratch
** (pos all UINT32_MAX before and after). What is read in the inner loop is
** held in locals, so that the counters' stores cannot be taken to change
** it. */
static void count_period(flows_run *f, const parity_table *t, size_t s, uint32_t *pos,
                         uint8_t *matched) {
    const grouping gl = f->g, *g = &gl;
    fcount *cnt = f->cnt;
    const long mob = f->mob;
    const bool ranked = f->ranked;
    const table_column *mc = mob >= 0 ? &t->cols[mob] : NULL;
    int64_t sex_changes = 0, mob_missing = 0, regrades_unranked = 0;
    const table_snapshot *a = &t->snap[s - 1], *b = &t->snap[s];
    memset(matched, 0, a->end - a->begin);
    for (size_t i = a->begin; i < a->end; i++) {
        pos[t->staff[i]] = (uint32_t)(i - a->begin);
        cnt[group_key(g, t, i, s)].n[M_H0][t->sex[i]]++;
    }
    for (size_t j = b->begin; j < b->end; j++) {
        uint64_t k1 = group_key(g, t, j, s);
        uint8_t sx = t->sex[j];
        cnt[k1].n[M_H1][sx]++;
        uint32_t p = pos[t->staff[j]];
        if (p == UINT32_MAX) {
            cnt[k1].n[M_HIRE][sx]++;
            continue;
        }
        matched[p] = 1;
        size_t i = a->begin + p;
        uint64_t k0 = group_key(g, t, i, s);
        if (t->sex[i] != sx) {
            /* counted under the t1 value; the identity carries the change */
            cnt[k0].n[M_SEXCHANGE][t->sex[i]]--;
            cnt[k0].n[M_SEXCHANGE][sx]++;
            sex_changes++;
        }
        uint32_t g0 = table_grade(t, i), g1 = table_grade(t, j);
        if (g0 != g1) {
            if (!ranked || t->grade_rank[g0] < 0 || t->grade_rank[g1] < 0) {
                regrades_unranked++;
            } else if (t->grade_rank[g1] > t->grade_rank[g0]) {
                cnt[k0].n[M_PROMO_OUT][sx]++;
                cnt[k1].n[M_PROMO_IN][sx]++;
            } else {
                cnt[k0].n[M_DEMO_OUT][sx]++;
                cnt[k1].n[M_DEMO_IN][sx]++;
            }
        }
        if (mc) {
            uint32_t c0 = table_code_get(mc, i), c1 = table_code_get(mc, j);
            if (c0 == 0 || c1 == 0) {
                mob_missing += c0 != c1;
            } else if (c0 != c1) {
                cnt[k0].n[M_MOVE][sx]++;
                if (g0 == g1) cnt[k0].n[M_LATERAL][sx]++;
            }
        }
    }
    for (size_t i = a->begin; i < a->end; i++) {
        if (!matched[i - a->begin]) cnt[group_key(g, t, i, s)].n[M_SEP][t->sex[i]]++;
        pos[t->staff[i]] = UINT32_MAX; /* ready for the next pair */
    }
    f->sex_changes += sex_changes;
    f->mob_missing += mob_missing;
    f->regrades_unranked += regrades_unranked;
}

/* Counts every period, then lists the groups with anyone in them, in
** output order, and pools the total. */
static int flows_count(flows_run *f, const parity_table *t) {
    const grouping *g = &f->g;
    f->cnt = calloc(g->nkeys, sizeof *f->cnt);
    f->keys = malloc(g->nkeys * sizeof *f->keys);
    uint32_t *pos = table_staff_pos_new(t);
    size_t most = 1;
    for (size_t s = f->s0 + 1; s <= f->s1; s++)
        if (t->snap[s - 1].end - t->snap[s - 1].begin > most)
            most = t->snap[s - 1].end - t->snap[s - 1].begin;
    uint8_t *matched = malloc(most);
    int rc = PARITY_NOMEM;
    if (!f->cnt || !f->keys || !pos || !matched) goto out;
    for (size_t s = f->s0 + 1; s <= f->s1; s++) count_period(f, t, s, pos, matched);
    memset(&f->total, 0, sizeof f->total);
    for (uint64_t k = 0; k < g->nkeys; k++) {
        int64_t any = 0;
        for (int mm = 0; mm < M_COUNT; mm++)
            for (int sx = 0; sx < 4; sx++) {
                any |= f->cnt[k].n[mm][sx];
                f->total.n[mm][sx] += f->cnt[k].n[mm][sx];
            }
        if (any) f->keys[f->nk++] = k;
    }
    rc = group_sort(g, f->keys, f->nk);
out:
    free(pos);
    free(matched);
    return rc;
}

/* Whether 'by' splits the periods (side by side, not pooled). */
static bool flows_split(const flows_run *f) {
    for (size_t d = 0; d < f->g.ndim; d++)
        if (f->g.dim[d].kind == GROUP_SNAPSHOT) return true;
    return false;
}

/* The length of each period in years: the shortest and the longest. */
static void period_lengths(const flows_run *f, const parity_table *t, double *shortest,
                           double *longest) {
    *shortest = 1e9;
    *longest = 0;
    for (size_t s = f->s0 + 1; s <= f->s1; s++) {
        double len = date_decimal_year(t->snap[s].date) - date_decimal_year(t->snap[s - 1].date);
        *shortest = len < *shortest ? len : *shortest;
        *longest = len > *longest ? len : *longest;
    }
}

/* The result with its title and columns; defined[] says which blocks of
** columns have values (promotions need an ordered scale, moves a mobility
** column). */
static int flows_columns(const flows_run *f, const parity_table *t, const bool defined[3],
                         parity_result **out) {
    char title[256], d0[11], d1[11];
    size_t s0 = f->s0, s1 = f->s1;
    date_format(t->snap[s0].date, d0);
    date_format(t->snap[s1].date, d1);
    size_t used = (size_t)snprintf(title, sizeof title, "Flows");
    for (size_t d = 0; d < f->g.ndim && used < sizeof title; d++)
        used += (size_t)snprintf(title + used, sizeof title - used, "%s%s", d ? " x " : " by ",
                                 f->g.dim[d].name);
    if (used < sizeof title)
        snprintf(title + used, sizeof title - used, ", %s to %s (%zu period%s%s)", d0, d1,
                 s1 - s0, s1 - s0 == 1 ? "" : "s", flows_split(f) || s1 - s0 == 1 ? "" : ", pooled");
    parity_result *r = *out = result_new("flows", title);
    if (!r || group_add_columns(&f->g, r)) return PARITY_NOMEM;
    for (size_t b = 0; b < NBLOCKS; b++) {
        const fblock *bl = &blocks[b];
        bool human = bl->human == H_YES || (bl->human == H_IF_DEFINED && defined[bl->defined]);
        int rc = bl->kind == B_SEX    ? add_sex_cols(r, bl->name, bl->label, human)
                 : bl->kind == B_RATE ? add_rate_cols(r, bl->name, bl->label, human)
                 : bl->kind == B_TEST ? add_test_cols(r, bl->name, bl->label, human)
                                      : result_add_col(r, bl->name, bl->label, RESULT_SHARE);
        if (rc != PARITY_OK) return rc;
    }
    return PARITY_OK;
}

/* One row: the counts c, block by block from column col. */
static void flows_put_row(parity_result *r, size_t row, size_t col, const fcount *c,
                          const bool defined[3]) {
    for (size_t b = 0; b < NBLOCKS; b++) {
        const fblock *bl = &blocks[b];
        const int64_t *ev = c->n[bl->measure];
        bool def = defined[bl->defined];
        switch (bl->kind) {
        case B_SEX: put_sex(r, row, &col, ev, def); break;
        case B_RATE: put_rates(r, row, &col, ev, c->n[M_H0], def); break;
        case B_TEST: put_tests(r, row, &col, ev, c->n[M_H0], def); break;
        case B_SHARE: {
            /* the female share of F + M + X */
            int64_t all = ev[SEX_F] + ev[SEX_M] + ev[SEX_X];
            if (def && all) result_set_num(r, row, col, (double)ev[SEX_F] / (double)all);
            col++;
            break;
        }
        }
    }
}

/* The parameters, the data-quality counts and the notes. */
static void flows_describe(const flows_run *f, const parity_table *t, parity_result *r) {
    size_t s0 = f->s0, s1 = f->s1;
    bool mv = f->mob >= 0, split = flows_split(f);
    char d0[11], d1[11];
    date_format(t->snap[s0].date, d0);
    date_format(t->snap[s1].date, d1);
    double shortest, longest;
    period_lengths(f, t, &shortest, &longest);
    bool unequal = longest - shortest > 1.0 / 12;
    result_meta(r, "inputs", table_inputs_json(t));
    result_param_json(r, "by", group_json(&f->g));
    result_param_str(r, "from", d0);
    result_param_str(r, "to", d1);
    result_param_num(r, "periods", (double)(s1 - s0));
    cJSON *lens = cJSON_CreateArray();
    for (size_t s = s0 + 1; lens && s <= s1; s++)
        cJSON_AddItemToArray(lens, cJSON_CreateNumber(
                                       round(1000 * (date_decimal_year(t->snap[s].date) -
                                                     date_decimal_year(t->snap[s - 1].date))) /
                                       1000));
    result_param_json(r, "period_years", lens);
    result_param_bool(r, "unequal_periods", unequal);
    if (mv) result_param_str(r, "mobility_by", t->cols[f->mob].name);
    else result_param_str(r, "mobility_by", NULL);
    cJSON *dq = cJSON_CreateObject();
    cJSON_AddNumberToObject(dq, "sex_changed", (double)f->sex_changes);
    cJSON_AddNumberToObject(dq, "mobility_value_missing", (double)f->mob_missing);
    cJSON_AddNumberToObject(dq, "grade_changes_unranked", (double)f->regrades_unranked);
    result_meta(r, "data_quality", dq);

    result_note(r, "Rates are events / staff at the start of the period (pooled over %zu period%s); "
               "IR = impact ratio, lower rate / higher rate (below 0.80 fails the four-fifths "
               "rule); p: Fisher's exact test when an expected count is under 5, else the "
               "two-proportion z-test.",
            s1 - s0, s1 - s0 == 1 ? "" : "s");
    if (unequal)
        result_note(r, "The periods are of unequal length (%.1f to %.1f years)%s: an event rate is "
                   "per period, so a longer period counts more of them%s.",
                shortest, longest, split ? "" : ", and are pooled as they are",
                split ? "" : "; split them with 'by' period, or choose 'from' and 'to'");
    if (f->sex_changes)
        result_note(r, "Data quality: %lld %s whose recorded sex changed between snapshots, counted "
                   "under the later value.",
                (long long)f->sex_changes, f->sex_changes == 1 ? "person" : "people");
    if (!f->ranked)
        result_note(r, "Grades are unordered ('grade_order' none): promotions and demotions are not "
                   "computed; %lld grade changes seen.",
                (long long)f->regrades_unranked);
    if (!mv)
        result_note(r, "No duty_station column: moves are not computed (choose a column with "
                   "'mobility_by').");
    if (f->mob_missing)
        result_note(r, "Data quality: %lld people with a blank %s in one of the two snapshots, not "
                   "counted as moves.",
                (long long)f->mob_missing, t->cols[f->mob].name);
}

int parity_flows(parity_table *t, const char *by, const char *from, const char *to,
                 const char *mobility_by, parity_result **out) {
    *out = NULL;
    flows_run f = {0};
    int rc = flows_check(&f, t, from, to, mobility_by);
    if (rc != PARITY_OK) return rc;
    if ((rc = group_init(&f.g, t, by, table_errbuf(t))) != PARITY_OK) return rc;
    f.g.periods = true;
    for (size_t d = 0; d < f.g.ndim; d++)
        if (f.g.dim[d].kind == GROUP_SNAPSHOT) f.g.dim[d].name = "period";
    parity_result *r = NULL;
    bool defined[3] = {true, f.ranked, f.mob >= 0};
    if ((rc = flows_count(&f, t)) != PARITY_OK || (rc = flows_columns(&f, t, defined, &r)) != PARITY_OK)
        goto done;
    size_t nk = f.g.ndim ? f.nk : 0; /* the whole population: the total row alone */
    for (size_t i = 0; i <= nk; i++) {
        long row = result_add_row(r);
        if (row < 0 || (i < nk && group_set_row(&f.g, t, r, (size_t)row, f.keys[i]))) {
            rc = PARITY_NOMEM;
            goto done;
        }
        flows_put_row(r, (size_t)row, f.g.ndim, i < nk ? &f.cnt[f.keys[i]] : &f.total, defined);
    }
    result_set_has_total(r, true);
    flows_describe(&f, t, r);
    disclose_stats ds;
    bool closed = true; /* people move between rows only through events counted */
    for (size_t d = 0; d < f.g.ndim; d++) closed &= f.g.dim[d].kind != GROUP_COL;
    if ((rc = disclose_flows(r, t->cfg.min_cell, closed, &ds)) != PARITY_OK) goto done;
    result_param_num(r, "min_cell", (double)t->cfg.min_cell);
    *out = r;
    r = NULL;
done:
    if (rc == PARITY_NOMEM) errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
    free(f.cnt);
    free(f.keys);
    group_free(&f.g);
    parity_result_free(r);
    return rc;
}
