/*
** markov.c -- the stock-flow (Markov manpower) model (DESIGN.md, "Flow",
** "Required hire share"). Exports the markov_ functions of markov.h: the
** model's estimation, what-ifs, deterministic and Monte Carlo steps; the
** command that projects with it is project_flow.c, the required hire share
** targets.c.
**
** Estimation: over the last K periods, people matched by staff id (the
** array lookup of flows.c), per sex (as recorded at the start of the
** period) and grade i, count who is at risk, who left, and who was in grade
** j one period later; per grade, count hires by sex. Pooled counts give the
** transition probabilities P[i][j], the separation probability q[i] and the
** shares of hires by sex. People whose sex is not recorded (U) are left out.
**
** Projection: one step per observed period length (a year for yearly
** data). Stayers move by P; each grade's headcount is then brought back to
** its starting size (times the growth) by hires, split by the hire shares;
** a grade that already has more than that from promotions hires nobody.
** The deterministic model carries expected values; the Monte Carlo model
** draws every person's move (multinomial, i.e. chained binomials) and the
** hires' sexes with GSL's taus2 generator, seeded.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "markov.h"

const char *const markov_sex_word[MARKOV_NSEX] = {"female", "male", "other"};

void markov_free(markov *m) {
    free(m->mem);
    free(m->fixed);
    memset(m, 0, sizeof *m);
}

/* Carves every array of the model out of one allocation. */
static int alloc_model(markov *m, size_t ng) {
    size_t vec = ng ? ng : 1, mat = vec * vec;
    size_t per_sex = 6 * vec + 2 * mat; /* n0 risk sep hire q hs; tr P */
    m->mem = calloc(vec + MARKOV_NSEX * per_sex, sizeof(double));
    if (!m->mem) return PARITY_NOMEM;
    m->ng = ng;
    double *p = m->mem;
    m->base = p, p += vec;
    for (int s = 0; s < MARKOV_NSEX; s++) {
        m->n0[s] = p, p += vec;
        m->risk[s] = p, p += vec;
        m->sep[s] = p, p += vec;
        m->hire[s] = p, p += vec;
        m->q[s] = p, p += vec;
        m->hs[s] = p, p += vec;
        m->tr[s] = p, p += mat;
        m->P[s] = p, p += mat;
    }
    m->hires_mult = 1;
    /* rows of P fixed by --set [sex][grade], then hire shares fixed [grade] */
    if (!(m->fixed = calloc(MARKOV_NSEX * vec + vec, 1))) return PARITY_NOMEM;
    m->fixed_hire = m->fixed + MARKOV_NSEX * vec;
    return PARITY_OK;
}

/* Is row i of snapshot s in the modelled population? */
static bool in_population(const parity_table *t, size_t i, size_t s, const grouping *flt,
                          uint64_t fkey) {
    return t->sex[i] != SEX_U && (!flt || group_key(flt, t, i, s) == fkey);
}

/* The data the model needs; *k the periods it pools and *years their
** mean length. */
static int markov_check(parity_table *t, size_t s_at, int periods, size_t *k, double *years) {
    if (t->count)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "the flow model needs person-level snapshots, not aggregated counts "
                        "(use 'method' trend)");
    if (!t->has_staff_all)
        return errmsg_set(table_errbuf(t), t->partial ? PARITY_USAGE : PARITY_INVALID,
                        "the flow model needs a staff_id column to follow people between "
                        "snapshots%s",
                        t->partial ? " (the table was read from the store without it)" : "");
    if (s_at < 1)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "the flow model needs two snapshots up to the one it starts from");
    if (!t->has_grade)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "the flow model moves people between grades, and the data has no grade "
                        "column (use 'method' trend)");
    *k = periods > 0 ? (size_t)periods : 3;
    if (*k > s_at) *k = s_at;
    *years = (t->snap[s_at].date - t->snap[s_at - *k].date) / 365.2425 / (double)*k;
    if (*years > 1.5)
        return errmsg_set(table_errbuf(t), PARITY_INVALID,
                        "the flow model steps one period at a time and needs periods of at "
                        "most 18 months; these average %.1f years",
                        *years);
    return PARITY_OK;
}

/* Counts the period from snapshot s - 1 to s into m: hires, moves between
** grades, people at risk and separations. pos and kept are scratch (pos
** all UINT32_MAX before and after). */
static void count_period(markov *m, const parity_table *t, size_t s, const grouping *flt,
                         uint64_t fkey, uint32_t *pos, uint8_t *kept) {
    size_t ng = m->ng;
    const table_snapshot *a = &t->snap[s - 1], *b = &t->snap[s];
    memset(kept, 0, a->end - a->begin);
    for (size_t i = a->begin; i < a->end; i++)
        if (in_population(t, i, s - 1, flt, fkey)) pos[t->staff[i]] = (uint32_t)(i - a->begin);
    for (size_t j = b->begin; j < b->end; j++) {
        if (!in_population(t, j, s, flt, fkey)) continue;
        uint32_t p = pos[t->staff[j]];
        if (p == UINT32_MAX) {
            m->hire[t->sex[j]][table_grade(t, j)]++;
            continue;
        }
        size_t i = a->begin + p;
        kept[p] = 1;
        m->tr[t->sex[i]][(size_t)table_grade(t, i) * ng + table_grade(t, j)]++;
    }
    for (size_t i = a->begin; i < a->end; i++) {
        if (!in_population(t, i, s - 1, flt, fkey)) continue;
        m->risk[t->sex[i]][table_grade(t, i)]++;
        if (!kept[i - a->begin]) m->sep[t->sex[i]][table_grade(t, i)]++;
        pos[t->staff[i]] = UINT32_MAX;
    }
}

/* Rates of leaving and of moving from grade i for sex s, from the pooled
** counts. */
static void rates_of(markov *m, int s, size_t i) {
    size_t ng = m->ng;
    double n = m->risk[s][i];
    if (n > 0) {
        m->q[s][i] = m->sep[s][i] / n;
        for (size_t j = 0; j < ng; j++) m->P[s][i * ng + j] = m->tr[s][i * ng + j] / n;
        return;
    }
    /* nobody of this sex at risk in the grade: the grade's rates for all
    ** sexes together, so that someone of this sex promoted into it later
    ** leaves and moves on as the grade's people do (rather than staying
    ** forever and, with no hires, filling it) */
    double all = 0;
    for (int x = 0; x < MARKOV_NSEX; x++) all += m->risk[x][i];
    if (all <= 0) {
        m->P[s][i * ng + i] = 1; /* nobody observed at all: nobody moves */
        return;
    }
    double sep = 0;
    for (int x = 0; x < MARKOV_NSEX; x++) sep += m->sep[x][i];
    m->q[s][i] = sep / all;
    for (size_t j = 0; j < ng; j++) {
        double tr = 0;
        for (int x = 0; x < MARKOV_NSEX; x++) tr += m->tr[x][i * ng + j];
        m->P[s][i * ng + j] = tr / all;
    }
    /* told when it can matter: this sex is in the model somewhere */
    double seen = 0;
    for (size_t j = 0; j < ng; j++) seen += m->risk[s][j] + m->hire[s][j];
    if (seen > 0) m->borrowed++;
}

/* The share of each sex among each grade's hires; a grade that hired
** nobody follows all hires, else its own staff, else half and half. */
static void hire_shares(markov *m) {
    size_t ng = m->ng;
    double all_hires[MARKOV_NSEX] = {0, 0, 0}, all_hires_n = 0;
    for (size_t j = 0; j < ng; j++)
        for (int s = 0; s < MARKOV_NSEX; s++) {
            all_hires[s] += m->hire[s][j];
            all_hires_n += m->hire[s][j];
        }
    for (size_t j = 0; j < ng; j++) {
        double h = m->hire[0][j] + m->hire[1][j] + m->hire[2][j];
        for (int s = 0; s < MARKOV_NSEX; s++) {
            if (h > 0) m->hs[s][j] = m->hire[s][j] / h;
            else if (all_hires_n > 0) m->hs[s][j] = all_hires[s] / all_hires_n;
            else if (m->base[j] > 0) m->hs[s][j] = m->n0[s][j] / m->base[j];
            else m->hs[s][j] = s == SEX_X ? 0 : 0.5;
        }
        if (h <= 0 && m->base[j] > 0) m->fallback_hire_grades++;
    }
}

int markov_estimate(markov *m, parity_table *t, size_t s_at, int periods, const grouping *flt,
                 uint64_t fkey) {
    memset(m, 0, sizeof *m);
    size_t k = 0;
    double years = 1;
    int rc = markov_check(t, s_at, periods, &k, &years);
    if (rc != PARITY_OK) return rc;
    size_t ng = t->grades.n;
    if (alloc_model(m, ng) != PARITY_OK) goto nomem;
    m->periods = k;
    m->spy = (int)lround(1 / years);
    if (m->spy < 1) m->spy = 1;

    size_t most = 1;
    for (size_t s = s_at + 1 - k; s <= s_at; s++)
        if (t->snap[s - 1].end - t->snap[s - 1].begin + 1 > most)
            most = t->snap[s - 1].end - t->snap[s - 1].begin + 1;
    uint32_t *pos = table_staff_pos_new(t);
    uint8_t *kept = malloc(most);
    if (!pos || !kept) {
        free(pos);
        free(kept);
        goto nomem;
    }
    for (size_t s = s_at + 1 - k; s <= s_at; s++) count_period(m, t, s, flt, fkey, pos, kept);
    free(pos);
    free(kept);
    for (size_t i = t->snap[s_at].begin; i < t->snap[s_at].end; i++)
        if (in_population(t, i, s_at, flt, fkey)) m->n0[t->sex[i]][table_grade(t, i)]++;
    for (size_t j = 0; j < ng; j++)
        for (int s = 0; s < MARKOV_NSEX; s++) m->base[j] += m->n0[s][j];
    /* probabilities from the pooled counts */
    for (int s = 0; s < MARKOV_NSEX; s++)
        for (size_t i = 0; i < ng; i++) rates_of(m, s, i);
    hire_shares(m);
    return PARITY_OK;
nomem:
    markov_free(m);
    return errmsg_set(table_errbuf(t), PARITY_NOMEM, "out of memory");
}

void markov_set_hire_share(markov *m, size_t g, double v) {
    double x = m->hs[SEX_X][g];
    if (x > 1 - v) x = 1 - v;
    m->hs[SEX_F][g] = v;
    m->hs[SEX_X][g] = x;
    m->hs[SEX_M][g] = 1 - v - x;
}

/* Sets the chance of leaving (what = 0) or of promotion out of grade i
** (what = 1) for sex s, the difference taken from staying. */
static int set_rate(markov *m, parity_table *t, int s, size_t i, int what, double v) {
    size_t ng = m->ng;
    double *row = &m->P[s][i * ng];
    if (what == 0) {
        row[i] += m->q[s][i] - v;
        m->q[s][i] = v;
    } else {
        int32_t rank = t->grade_rank[i];
        double up = 0;
        long next = -1;
        for (size_t j = 0; j < ng; j++) {
            if (t->grade_rank[j] <= rank) continue;
            up += row[j];
            if (next < 0 || t->grade_rank[j] < t->grade_rank[next]) next = (long)j;
        }
        if (next < 0 && v > 0)
            return errmsg_set(table_errbuf(t), PARITY_USAGE,
                            "'set' promotion_rate: %s is the top grade; nobody can be promoted "
                            "from it",
                            dict_str(&t->grades, (uint32_t)i));
        for (size_t j = 0; j < ng; j++)
            if (t->grade_rank[j] > rank) row[j] = up > 0 ? row[j] * v / up : 0;
        if (up <= 0 && next >= 0) row[next] = v;
        row[i] += up - v;
    }
    if (row[i] < -1e-12)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'set': in %s the %s rates of leaving and moving now add up to more "
                        "than 1",
                        dict_str(&t->grades, (uint32_t)i), markov_sex_word[s]);
    if (row[i] < 0) row[i] = 0;
    return PARITY_OK;
}

int markov_set(markov *m, parity_table *t, const grouping *grades, const char *spec) {
    char buf[256], *eq, *end;
    snprintf(buf, sizeof buf, "%s", spec);
    if (!(eq = strchr(buf, '=')))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": write KEY[:GRADE]=VALUE", spec);
    *eq = '\0';
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end || !isfinite(v))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": \"%s\" is not a number", spec,
                        eq + 1);
    char *grade = strchr(buf, ':'), *sex = strchr(buf, '.');
    if (grade) *grade++ = '\0';
    if (sex && (!grade || sex < grade)) *sex++ = '\0';
    else sex = NULL;
    int sexes[MARKOV_NSEX] = {1, 1, 1};
    if (sex) {
        int which = -1;
        for (int s = 0; s < MARKOV_NSEX; s++)
            if (strcasecmp(sex, markov_sex_word[s]) == 0) which = s;
        if (which < 0)
            return errmsg_set(table_errbuf(t), PARITY_USAGE,
                            "'set' \"%s\": \"%s\" is not female, male or other", spec, sex);
        for (int s = 0; s < MARKOV_NSEX; s++) sexes[s] = s == which;
    }
    long g = -1;
    if (grade) {
        int64_t c = group_find(grades, t, 0, grade);
        if (c < 0)
            return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": no grade \"%s\" in the data",
                            spec, grade);
        g = (long)c;
    }
    bool share = strcmp(buf, "hire_share") == 0, sep = strcmp(buf, "separation_rate") == 0,
         promo = strcmp(buf, "promotion_rate") == 0;
    bool scalar = strcmp(buf, "hires") == 0 || strcmp(buf, "growth") == 0;
    if (scalar && (grade || sex))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": %s applies to every grade", spec,
                        buf);
    if ((share && sex))
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'set' \"%s\": hire_share is the female share; no sex to name", spec);
    if ((share || sep || promo) && !(v >= 0 && v <= 1))
        return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": %s must be between 0 and 1",
                        spec, buf);
    if (promo && t->cfg.order == GRADE_ORDER_NONE)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'set' \"%s\": grades are unordered, so there are no promotions", spec);
    if (strcmp(buf, "hires") == 0) {
        if (v < 0)
            return errmsg_set(table_errbuf(t), PARITY_USAGE, "'set' \"%s\": hires must be 0 or more",
                            spec);
        m->hires_mult = v;
        return PARITY_OK;
    }
    if (strcmp(buf, "growth") == 0) {
        if (!(v > -1 && v < 10))
            return errmsg_set(table_errbuf(t), PARITY_USAGE,
                            "'set' \"%s\": growth is a yearly rate above -1 (0.02 = 2%%)", spec);
        m->growth = v;
        return PARITY_OK;
    }
    if (!share && !sep && !promo)
        return errmsg_set(table_errbuf(t), PARITY_USAGE,
                        "'set' \"%s\": unknown key \"%s\" (hire_share, separation_rate, "
                        "promotion_rate, hires, growth)",
                        spec, buf);
    for (size_t i = 0; i < m->ng; i++) {
        if (g >= 0 && (size_t)g != i) continue;
        if (share) {
            markov_set_hire_share(m, i, v);
            m->fixed_hire[i] = 1;
            continue;
        }
        for (int s = 0; s < MARKOV_NSEX; s++) {
            if (!sexes[s]) continue;
            m->fixed[(size_t)s * m->ng + i] = 1;
            int rc = set_rate(m, t, s, i, sep ? 0 : 1, v);
            if (rc != PARITY_OK) return rc;
        }
    }
    return PARITY_OK;
}

/* Target headcount of grade j after k steps. */
static double target_headcount(const markov *m, size_t j, long k) {
    return m->base[j] * pow(1 + m->growth, (double)k / m->spy);
}

void markov_step(const markov *m, long k, double *const x[MARKOV_NSEX], double *const y[MARKOV_NSEX],
              double *hires) {
    size_t ng = m->ng;
    for (int s = 0; s < MARKOV_NSEX; s++) {
        memset(y[s], 0, ng * sizeof *y[s]);
        for (size_t i = 0; i < ng; i++) {
            double n = x[s][i];
            if (n == 0) continue;
            const double *row = &m->P[s][i * ng];
            for (size_t j = 0; j < ng; j++) y[s][j] += n * row[j];
        }
    }
    for (size_t j = 0; j < ng; j++) {
        double h = target_headcount(m, j, k) - (y[0][j] + y[1][j] + y[2][j]);
        h = h > 0 ? h * m->hires_mult : 0;
        for (int s = 0; s < MARKOV_NSEX; s++) y[s][j] += h * m->hs[s][j];
        if (hires) hires[j] = h;
    }
}

/* The Monte Carlo model: integer people, each stayer's next grade and each
** leaver drawn at once per (sex, grade) by a multinomial over the non-zero
** destinations, then hires drawn by sex. dest/prob/ndest are the sparse
** rows of P plus a last "left" destination (index ng).
**
** The rates themselves are estimates, so each run first draws its own from
** their posterior given the pooled counts -- Dirichlet(counts) over the
** destinations seen, and over the sexes of the hires -- except where --set
** fixed them. The intervals then carry both the people's chance and the
** uncertainty of rates estimated from a few periods of a small grade. */
int markov_draw_alloc(const markov *m, markov_draw *r) {
    size_t ng = m->ng, w = ng + 1;
    r->dest = malloc(MARKOV_NSEX * ng * w * sizeof *r->dest + 1);
    r->prob = malloc(MARKOV_NSEX * ng * w * sizeof *r->prob + 1);
    r->ndest = malloc(MARKOV_NSEX * ng * sizeof *r->ndest + 1);
    r->hs = malloc(MARKOV_NSEX * ng * sizeof *r->hs + 1);
    r->alpha = malloc(w * sizeof *r->alpha + 1);
    return r->dest && r->prob && r->ndest && r->hs && r->alpha ? PARITY_OK : PARITY_NOMEM;
}

/* This run's rates: the model's, or (rng given) drawn from the posterior. */
void markov_draw_rates(const markov *m, markov_draw *r, gsl_rng *rng) {
    size_t ng = m->ng, w = ng + 1;
    for (int s = 0; s < MARKOV_NSEX; s++)
        for (size_t i = 0; i < ng; i++) {
            size_t base = ((size_t)s * ng + i) * w, n = 0;
            bool draw = rng && !m->fixed[(size_t)s * ng + i] && m->risk[s][i] > 0;
            for (size_t j = 0; j < ng; j++)
                if (m->P[s][i * ng + j] > 0) {
                    r->dest[base + n] = (uint32_t)j;
                    r->alpha[n] = m->tr[s][i * ng + j];
                    r->prob[base + n++] = m->P[s][i * ng + j];
                }
            if (m->q[s][i] > 0) {
                r->dest[base + n] = (uint32_t)ng;
                r->alpha[n] = m->sep[s][i];
                r->prob[base + n++] = m->q[s][i];
            }
            r->ndest[(size_t)s * ng + i] = (uint32_t)n;
            if (draw && n > 1) gsl_ran_dirichlet(rng, n, r->alpha, &r->prob[base]);
        }
    for (size_t j = 0; j < ng; j++) {
        double a[MARKOV_NSEX], h = 0, p[MARKOV_NSEX];
        for (int s = 0; s < MARKOV_NSEX; s++) {
            a[s] = m->hire[s][j];
            h += a[s];
            r->hs[(size_t)s * ng + j] = m->hs[s][j];
        }
        if (!rng || m->fixed_hire[j] || h <= 0) continue;
        /* the sexes never hired into the grade stay at zero */
        size_t k = 0;
        int which[MARKOV_NSEX];
        for (int s = 0; s < MARKOV_NSEX; s++)
            if (a[s] > 0) which[k] = s, p[k] = a[s], k++;
        double out[MARKOV_NSEX];
        if (k > 1) gsl_ran_dirichlet(rng, k, p, out);
        else out[0] = 1;
        for (int s = 0; s < MARKOV_NSEX; s++) r->hs[(size_t)s * ng + j] = 0;
        for (size_t x = 0; x < k; x++) r->hs[(size_t)which[x] * ng + j] = out[x];
    }
}

void markov_draw_free(markov_draw *r) {
    free(r->dest);
    free(r->prob);
    free(r->ndest);
    free(r->hs);
    free(r->alpha);
}

void markov_draw_step(const markov *m, const markov_draw *r, gsl_rng *rng, long k, double *const x[MARKOV_NSEX],
                    double *const y[MARKOV_NSEX], unsigned *draw) {
    size_t ng = m->ng, w = ng + 1;
    for (int s = 0; s < MARKOV_NSEX; s++) memset(y[s], 0, ng * sizeof *y[s]);
    for (int s = 0; s < MARKOV_NSEX; s++)
        for (size_t i = 0; i < ng; i++) {
            unsigned n = (unsigned)x[s][i];
            size_t nd = r->ndest[(size_t)s * ng + i], base = ((size_t)s * ng + i) * w;
            if (!n || !nd) continue;
            gsl_ran_multinomial(rng, nd, n, &r->prob[base], draw);
            for (size_t d = 0; d < nd; d++)
                if (r->dest[base + d] < ng) y[s][r->dest[base + d]] += draw[d];
        }
    for (size_t j = 0; j < ng; j++) {
        double h = llround(target_headcount(m, j, k)) - (y[0][j] + y[1][j] + y[2][j]);
        h = h > 0 ? (double)llround(h * m->hires_mult) : 0;
        if (h <= 0) continue;
        double p[MARKOV_NSEX] = {r->hs[j], r->hs[ng + j], r->hs[2 * ng + j]};
        gsl_ran_multinomial(rng, MARKOV_NSEX, (unsigned)h, p, draw);
        for (int s = 0; s < MARKOV_NSEX; s++) y[s][j] += draw[s];
    }
}

int markov_state_init(markov_state *st, const markov *m) {
    size_t ng = m->ng ? m->ng : 1;
    if (!(st->mem = calloc(2 * MARKOV_NSEX * ng, sizeof *st->mem))) return PARITY_NOMEM;
    for (int s = 0; s < MARKOV_NSEX; s++) {
        st->x[s] = st->mem + (size_t)s * ng;
        st->y[s] = st->mem + (size_t)(MARKOV_NSEX + s) * ng;
        memcpy(st->x[s], m->n0[s], m->ng * sizeof *st->x[s]);
    }
    return PARITY_OK;
}

void markov_state_swap(markov_state *st) {
    for (int s = 0; s < MARKOV_NSEX; s++) {
        double *tmp = st->x[s];
        st->x[s] = st->y[s];
        st->y[s] = tmp;
    }
}

/* The female share of the grades with grp[g] == group (every grade when
** grp is NULL); -1 when they are empty. */
double markov_share_of(const markov *m, double *const x[MARKOV_NSEX], const long *grp, long group) {
    double f = 0, all = 0;
    for (size_t g = 0; g < m->ng; g++) {
        if (grp && grp[g] != group) continue;
        f += x[SEX_F][g];
        all += x[0][g] + x[1][g] + x[2][g];
    }
    return all > 0 ? f / all : -1;
}

int markov_scope_share(markov *m, long steps, const uint8_t *in_scope, bool set_share, double v,
                       double *out) {
    double *saved[MARKOV_NSEX] = {NULL, NULL, NULL};
    double *buf = NULL;
    if (set_share) {
        /* the hire shares are changed for the run and restored below */
        if (!(buf = malloc(MARKOV_NSEX * (m->ng ? m->ng : 1) * sizeof *buf))) return PARITY_NOMEM;
        for (int s = 0; s < MARKOV_NSEX; s++) {
            saved[s] = buf + (size_t)s * m->ng;
            memcpy(saved[s], m->hs[s], m->ng * sizeof *buf);
        }
        for (size_t g = 0; g < m->ng; g++)
            if (in_scope[g]) markov_set_hire_share(m, g, v);
    }
    markov_state st;
    int rc = PARITY_NOMEM;
    if (markov_state_init(&st, m) == PARITY_OK) {
        for (long k = 1; k <= steps; k++) {
            markov_step(m, k, st.x, st.y, NULL);
            markov_state_swap(&st);
        }
        long *grp = malloc((m->ng ? m->ng : 1) * sizeof *grp);
        if (grp) {
            for (size_t g = 0; g < m->ng; g++) grp[g] = in_scope[g] ? 0 : -1;
            *out = markov_share_of(m, st.x, grp, 0);
            free(grp);
            rc = PARITY_OK;
        }
        markov_state_free(&st);
    }
    if (buf) {
        for (int s = 0; s < MARKOV_NSEX; s++) memcpy(m->hs[s], saved[s], m->ng * sizeof *buf);
        free(buf);
    }
    return rc;
}

void markov_state_free(markov_state *st) {
    free(st->mem);
    st->mem = NULL;
}


