/*
** flowmodel.c -- the stock-flow (Markov manpower) model (DESIGN.md,
** "Projections", "Flow", "Required hire share").
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

#include "internal.h"

#define MC_MAX_BYTES 1e9 /* Monte Carlo results kept for the intervals */

#define NSEX 3 /* F, M, X: the sexes that count in shares */
static const char *const sex_word[NSEX] = {"female", "male", "other"};

void pfm_free(pfm *m) {
    free(m->mem);
    free(m->fixed);
    memset(m, 0, sizeof *m);
}

/* Carves every array of the model out of one allocation. */
static int alloc_model(pfm *m, size_t ng) {
    size_t vec = ng ? ng : 1, mat = vec * vec;
    size_t per_sex = 6 * vec + 2 * mat; /* n0 risk sep hire q hs; tr P */
    m->mem = calloc(vec + NSEX * per_sex, sizeof(double));
    if (!m->mem) return PARITY_NOMEM;
    m->ng = ng;
    double *p = m->mem;
    m->base = p, p += vec;
    for (int s = 0; s < NSEX; s++) {
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
    if (!(m->fixed = calloc(NSEX * vec + vec, 1))) return PARITY_NOMEM;
    m->fixed_hire = m->fixed + NSEX * vec;
    return PARITY_OK;
}

/* Is row i of snapshot s in the modelled population? */
static bool in_population(const parity_table *t, size_t i, size_t s, const pgrouping *flt,
                          uint64_t fkey) {
    return t->sex[i] != PSEX_U && (!flt || pgr_key(flt, t, i, s) == fkey);
}

int pfm_estimate(pfm *m, parity_table *t, size_t s_at, int periods, const pgrouping *flt,
                 uint64_t fkey) {
    memset(m, 0, sizeof *m);
    if (t->count)
        return perr_set(t->errmsg, PARITY_INVALID,
                        "the flow model needs person-level snapshots, not aggregated counts "
                        "(use --method trend)");
    if (!t->has_staff_all)
        return perr_set(t->errmsg, t->partial ? PARITY_USAGE : PARITY_INVALID,
                        "the flow model needs a staff_id column to follow people between "
                        "snapshots%s",
                        t->partial ? " (the table was read from the store without it)" : "");
    if (s_at < 1)
        return perr_set(t->errmsg, PARITY_INVALID,
                        "the flow model needs two snapshots up to the one it starts from");
    if (!t->has_grade)
        return perr_set(t->errmsg, PARITY_INVALID,
                        "the flow model moves people between grades, and the data has no grade "
                        "column (use --method trend)");
    size_t k = periods > 0 ? (size_t)periods : 3;
    if (k > s_at) k = s_at;
    double years = (t->snap[s_at].date - t->snap[s_at - k].date) / 365.2425 / (double)k;
    if (years > 1.5)
        return perr_set(t->errmsg, PARITY_INVALID,
                        "the flow model steps one period at a time and needs periods of at "
                        "most 18 months; these average %.1f years",
                        years);
    size_t ng = t->grades.n;
    if (alloc_model(m, ng) != PARITY_OK) goto nomem;
    m->periods = k;
    m->spy = (int)lround(1 / years);
    if (m->spy < 1) m->spy = 1;

    uint32_t *pos = pt_staff_pos_new(t);
    uint8_t *kept = NULL;
    if (!pos) goto nomem;
    for (size_t s = s_at + 1 - k; s <= s_at; s++) {
        const psnap *a = &t->snap[s - 1], *b = &t->snap[s];
        uint8_t *kp = realloc(kept, a->end - a->begin + 1);
        if (!kp) {
            free(pos);
            free(kept);
            goto nomem;
        }
        kept = kp;
        memset(kept, 0, a->end - a->begin);
        for (size_t i = a->begin; i < a->end; i++)
            if (in_population(t, i, s - 1, flt, fkey)) pos[t->staff[i]] = (uint32_t)(i - a->begin);
        for (size_t j = b->begin; j < b->end; j++) {
            if (!in_population(t, j, s, flt, fkey)) continue;
            uint32_t p = pos[t->staff[j]];
            if (p == UINT32_MAX) {
                m->hire[t->sex[j]][pt_grade(t, j)]++;
                continue;
            }
            size_t i = a->begin + p;
            kept[p] = 1;
            m->tr[t->sex[i]][(size_t)pt_grade(t, i) * ng + pt_grade(t, j)]++;
        }
        for (size_t i = a->begin; i < a->end; i++) {
            if (!in_population(t, i, s - 1, flt, fkey)) continue;
            m->risk[t->sex[i]][pt_grade(t, i)]++;
            if (!kept[i - a->begin]) m->sep[t->sex[i]][pt_grade(t, i)]++;
            pos[t->staff[i]] = UINT32_MAX;
        }
    }
    free(pos);
    free(kept);
    for (size_t i = t->snap[s_at].begin; i < t->snap[s_at].end; i++)
        if (in_population(t, i, s_at, flt, fkey)) m->n0[t->sex[i]][pt_grade(t, i)]++;

    /* probabilities from the pooled counts */
    double all_hires[NSEX] = {0, 0, 0}, all_hires_n = 0;
    for (size_t j = 0; j < ng; j++)
        for (int s = 0; s < NSEX; s++) {
            all_hires[s] += m->hire[s][j];
            all_hires_n += m->hire[s][j];
            m->base[j] += m->n0[s][j];
        }
    for (int s = 0; s < NSEX; s++)
        for (size_t i = 0; i < ng; i++) {
            double n = m->risk[s][i];
            if (n > 0) {
                m->q[s][i] = m->sep[s][i] / n;
                for (size_t j = 0; j < ng; j++) m->P[s][i * ng + j] = m->tr[s][i * ng + j] / n;
                continue;
            }
            /* nobody of this sex at risk in the grade: the grade's rates for
            ** all sexes together, so that someone of this sex promoted into
            ** it later leaves and moves on as the grade's people do (rather
            ** than staying forever and, with no hires, filling it) */
            double all = 0;
            for (int x = 0; x < NSEX; x++) all += m->risk[x][i];
            if (all <= 0) {
                m->P[s][i * ng + i] = 1; /* nobody observed at all: nobody moves */
                continue;
            }
            double sep = 0;
            for (int x = 0; x < NSEX; x++) sep += m->sep[x][i];
            m->q[s][i] = sep / all;
            for (size_t j = 0; j < ng; j++) {
                double tr = 0;
                for (int x = 0; x < NSEX; x++) tr += m->tr[x][i * ng + j];
                m->P[s][i * ng + j] = tr / all;
            }
            /* told when it can matter: this sex is in the model somewhere */
            double seen = 0;
            for (size_t j = 0; j < ng; j++) seen += m->risk[s][j] + m->hire[s][j];
            if (seen > 0) m->borrowed++;
        }
    for (size_t j = 0; j < ng; j++) {
        double h = m->hire[0][j] + m->hire[1][j] + m->hire[2][j];
        for (int s = 0; s < NSEX; s++) {
            if (h > 0) m->hs[s][j] = m->hire[s][j] / h;
            else if (all_hires_n > 0) m->hs[s][j] = all_hires[s] / all_hires_n;
            else if (m->base[j] > 0) m->hs[s][j] = m->n0[s][j] / m->base[j];
            else m->hs[s][j] = s == PSEX_X ? 0 : 0.5;
        }
        if (h <= 0 && m->base[j] > 0) m->fallback_hire_grades++;
    }
    return PARITY_OK;
nomem:
    pfm_free(m);
    return perr_set(t->errmsg, PARITY_NOMEM, "out of memory");
}

void pfm_set_hire_share(pfm *m, size_t g, double v) {
    double x = m->hs[PSEX_X][g];
    if (x > 1 - v) x = 1 - v;
    m->hs[PSEX_F][g] = v;
    m->hs[PSEX_X][g] = x;
    m->hs[PSEX_M][g] = 1 - v - x;
}

/* Sets the chance of leaving (what = 0) or of promotion out of grade i
** (what = 1) for sex s, the difference taken from staying. */
static int set_rate(pfm *m, parity_table *t, int s, size_t i, int what, double v) {
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
            return perr_set(t->errmsg, PARITY_USAGE,
                            "--set promotion_rate: %s is the top grade; nobody can be promoted "
                            "from it",
                            pd_str(&t->grades, (uint32_t)i));
        for (size_t j = 0; j < ng; j++)
            if (t->grade_rank[j] > rank) row[j] = up > 0 ? row[j] * v / up : 0;
        if (up <= 0 && next >= 0) row[next] = v;
        row[i] += up - v;
    }
    if (row[i] < -1e-12)
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--set: in %s the %s rates of leaving and moving now add up to more "
                        "than 1",
                        pd_str(&t->grades, (uint32_t)i), sex_word[s]);
    if (row[i] < 0) row[i] = 0;
    return PARITY_OK;
}

int pfm_set(pfm *m, parity_table *t, const pgrouping *grades, const char *spec) {
    char buf[256], *eq, *end;
    snprintf(buf, sizeof buf, "%s", spec);
    if (!(eq = strchr(buf, '=')))
        return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": write KEY[:GRADE]=VALUE", spec);
    *eq = '\0';
    double v = strtod(eq + 1, &end);
    if (end == eq + 1 || *end || !isfinite(v))
        return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": \"%s\" is not a number", spec,
                        eq + 1);
    char *grade = strchr(buf, ':'), *sex = strchr(buf, '.');
    if (grade) *grade++ = '\0';
    if (sex && (!grade || sex < grade)) *sex++ = '\0';
    else sex = NULL;
    int sexes[NSEX] = {1, 1, 1};
    if (sex) {
        int which = -1;
        for (int s = 0; s < NSEX; s++)
            if (strcasecmp(sex, sex_word[s]) == 0) which = s;
        if (which < 0)
            return perr_set(t->errmsg, PARITY_USAGE,
                            "--set \"%s\": \"%s\" is not female, male or other", spec, sex);
        for (int s = 0; s < NSEX; s++) sexes[s] = s == which;
    }
    long g = -1;
    if (grade) {
        int64_t c = pgr_find(grades, t, 0, grade);
        if (c < 0)
            return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": no grade \"%s\" in the data",
                            spec, grade);
        g = (long)c;
    }
    bool share = strcmp(buf, "hire_share") == 0, sep = strcmp(buf, "separation_rate") == 0,
         promo = strcmp(buf, "promotion_rate") == 0;
    bool scalar = strcmp(buf, "hires") == 0 || strcmp(buf, "growth") == 0;
    if (scalar && (grade || sex))
        return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": %s applies to every grade", spec,
                        buf);
    if ((share && sex))
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--set \"%s\": hire_share is the female share; no sex to name", spec);
    if ((share || sep || promo) && !(v >= 0 && v <= 1))
        return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": %s must be between 0 and 1",
                        spec, buf);
    if (promo && t->cfg.order == PG_ORDER_NONE)
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--set \"%s\": grades are unordered, so there are no promotions", spec);
    if (strcmp(buf, "hires") == 0) {
        if (v < 0)
            return perr_set(t->errmsg, PARITY_USAGE, "--set \"%s\": hires must be 0 or more",
                            spec);
        m->hires_mult = v;
        return PARITY_OK;
    }
    if (strcmp(buf, "growth") == 0) {
        if (!(v > -1 && v < 10))
            return perr_set(t->errmsg, PARITY_USAGE,
                            "--set \"%s\": growth is a yearly rate above -1 (0.02 = 2%%)", spec);
        m->growth = v;
        return PARITY_OK;
    }
    if (!share && !sep && !promo)
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--set \"%s\": unknown key \"%s\" (hire_share, separation_rate, "
                        "promotion_rate, hires, growth)",
                        spec, buf);
    for (size_t i = 0; i < m->ng; i++) {
        if (g >= 0 && (size_t)g != i) continue;
        if (share) {
            pfm_set_hire_share(m, i, v);
            m->fixed_hire[i] = 1;
            continue;
        }
        for (int s = 0; s < NSEX; s++) {
            if (!sexes[s]) continue;
            m->fixed[(size_t)s * m->ng + i] = 1;
            int rc = set_rate(m, t, s, i, sep ? 0 : 1, v);
            if (rc != PARITY_OK) return rc;
        }
    }
    return PARITY_OK;
}

/* Target headcount of grade j after k steps. */
static double target_headcount(const pfm *m, size_t j, long k) {
    return m->base[j] * pow(1 + m->growth, (double)k / m->spy);
}

static void pfm_step(const pfm *m, long k, double *const x[NSEX], double *const y[NSEX],
              double *hires) {
    size_t ng = m->ng;
    for (int s = 0; s < NSEX; s++) {
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
        for (int s = 0; s < NSEX; s++) y[s][j] += h * m->hs[s][j];
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
typedef struct mc_rows {
    uint32_t *dest;  /* [s][i][0..ndest) */
    double *prob;
    uint32_t *ndest; /* [s][i] */
    double *hs;      /* [s][j]: this run's shares of hires */
    double *alpha;   /* scratch for the Dirichlet draws */
} mc_rows;

static int mc_rows_alloc(const pfm *m, mc_rows *r) {
    size_t ng = m->ng, w = ng + 1;
    r->dest = malloc(NSEX * ng * w * sizeof *r->dest + 1);
    r->prob = malloc(NSEX * ng * w * sizeof *r->prob + 1);
    r->ndest = malloc(NSEX * ng * sizeof *r->ndest + 1);
    r->hs = malloc(NSEX * ng * sizeof *r->hs + 1);
    r->alpha = malloc(w * sizeof *r->alpha + 1);
    return r->dest && r->prob && r->ndest && r->hs && r->alpha ? PARITY_OK : PARITY_NOMEM;
}

/* This run's rates: the model's, or (rng given) drawn from the posterior. */
static void mc_rows_draw(const pfm *m, mc_rows *r, gsl_rng *rng) {
    size_t ng = m->ng, w = ng + 1;
    for (int s = 0; s < NSEX; s++)
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
        double a[NSEX], h = 0, p[NSEX];
        for (int s = 0; s < NSEX; s++) {
            a[s] = m->hire[s][j];
            h += a[s];
            r->hs[(size_t)s * ng + j] = m->hs[s][j];
        }
        if (!rng || m->fixed_hire[j] || h <= 0) continue;
        /* the sexes never hired into the grade stay at zero */
        size_t k = 0;
        int which[NSEX];
        for (int s = 0; s < NSEX; s++)
            if (a[s] > 0) which[k] = s, p[k] = a[s], k++;
        double out[NSEX];
        if (k > 1) gsl_ran_dirichlet(rng, k, p, out);
        else out[0] = 1;
        for (int s = 0; s < NSEX; s++) r->hs[(size_t)s * ng + j] = 0;
        for (size_t x = 0; x < k; x++) r->hs[(size_t)which[x] * ng + j] = out[x];
    }
}

static void mc_rows_free(mc_rows *r) {
    free(r->dest);
    free(r->prob);
    free(r->ndest);
    free(r->hs);
    free(r->alpha);
}

static void mc_step(const pfm *m, const mc_rows *r, gsl_rng *rng, long k, double *const x[NSEX],
                    double *const y[NSEX], unsigned *draw) {
    size_t ng = m->ng, w = ng + 1;
    for (int s = 0; s < NSEX; s++) memset(y[s], 0, ng * sizeof *y[s]);
    for (int s = 0; s < NSEX; s++)
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
        double p[NSEX] = {r->hs[j], r->hs[ng + j], r->hs[2 * ng + j]};
        gsl_ran_multinomial(rng, NSEX, (unsigned)h, p, draw);
        for (int s = 0; s < NSEX; s++) y[s][j] += draw[s];
    }
}

/* Working state: two generations of [sex][grade]. */
typedef struct pstate {
    double *mem;
    double *x[NSEX], *y[NSEX];
} pstate;

static int state_init(pstate *st, const pfm *m) {
    size_t ng = m->ng ? m->ng : 1;
    if (!(st->mem = calloc(2 * NSEX * ng, sizeof *st->mem))) return PARITY_NOMEM;
    for (int s = 0; s < NSEX; s++) {
        st->x[s] = st->mem + (size_t)s * ng;
        st->y[s] = st->mem + (size_t)(NSEX + s) * ng;
        memcpy(st->x[s], m->n0[s], m->ng * sizeof *st->x[s]);
    }
    return PARITY_OK;
}

static void state_swap(pstate *st) {
    for (int s = 0; s < NSEX; s++) {
        double *tmp = st->x[s];
        st->x[s] = st->y[s];
        st->y[s] = tmp;
    }
}

/* The female share of the grades with grp[g] == group (every grade when
** grp is NULL); -1 when they are empty. */
static double share_of(const pfm *m, double *const x[NSEX], const long *grp, long group) {
    double f = 0, all = 0;
    for (size_t g = 0; g < m->ng; g++) {
        if (grp && grp[g] != group) continue;
        f += x[PSEX_F][g];
        all += x[0][g] + x[1][g] + x[2][g];
    }
    return all > 0 ? f / all : -1;
}

double pfm_scope_share(pfm *m, long steps, const uint8_t *in_scope, bool set_share,
                       double v) {
    double *saved[NSEX] = {NULL, NULL, NULL};
    double *buf = NULL;
    if (set_share) {
        /* the hire shares are changed for the run and restored below */
        if (!(buf = malloc(NSEX * (m->ng ? m->ng : 1) * sizeof *buf))) return -2;
        for (int s = 0; s < NSEX; s++) {
            saved[s] = buf + (size_t)s * m->ng;
            memcpy(saved[s], m->hs[s], m->ng * sizeof *buf);
        }
        for (size_t g = 0; g < m->ng; g++)
            if (in_scope[g]) pfm_set_hire_share(m, g, v);
    }
    pstate st;
    double share = -2;
    if (state_init(&st, m) == PARITY_OK) {
        for (long k = 1; k <= steps; k++) {
            pfm_step(m, k, st.x, st.y, NULL);
            state_swap(&st);
        }
        long *grp = malloc((m->ng ? m->ng : 1) * sizeof *grp);
        if (grp) {
            for (size_t g = 0; g < m->ng; g++) grp[g] = in_scope[g] ? 0 : -1;
            share = share_of(m, st.x, grp, 0);
            free(grp);
        }
        free(st.mem);
    }
    if (buf) {
        for (int s = 0; s < NSEX; s++) memcpy(m->hs[s], saved[s], m->ng * sizeof *buf);
        free(buf);
    }
    return share;
}

/* ---- parity project --method flow ---------------------------------------- */

#define LONG_RUN_YEARS 200

int pj_flow(parity_table *t, const parity_project_options *o, parity_result **out) {
    *out = NULL;
    pj_years y;
    int rc = pj_setup(t, o, &y);
    if (rc != PARITY_OK) return rc;
    if (o->simulations < 0 || o->simulations > 100000)
        return perr_set(t->errmsg, PARITY_USAGE, "--simulations must be 0 to 100000");
    pgrouping g, gg;
    if ((rc = pgr_init(&g, t, o->by ? o->by : "grade", t->errmsg)) != PARITY_OK) return rc;
    if (g.ndim > 1 || (g.ndim == 1 && g.dim[0].kind != PGR_GRADE &&
                       g.dim[0].kind != PGR_CATEGORY)) {
        pgr_free(&g);
        return perr_set(t->errmsg, PARITY_USAGE,
                        "--method flow projects by grade or category (--by grade, --by "
                        "category); use --method trend for other dimensions");
    }
    if ((rc = pgr_init(&gg, t, "grade", t->errmsg)) != PARITY_OK) {
        pgr_free(&g);
        return rc;
    }
    pfm m;
    if ((rc = pfm_estimate(&m, t, y.s_at, o->periods, NULL, 0)) != PARITY_OK) {
        pgr_free(&g);
        pgr_free(&gg);
        return rc;
    }
    m.growth = o->growth;
    if (!(o->growth > -1 && o->growth < 10)) {
        rc = perr_set(t->errmsg, PARITY_USAGE, "--growth is a yearly rate above -1 (0.02 = 2%%)");
        goto fail;
    }
    for (size_t i = 0; i < o->nset; i++)
        if ((rc = pfm_set(&m, t, &gg, o->set[i])) != PARITY_OK) goto fail;

    size_t ng = m.ng, nyears = (size_t)(y.last - y.first + 1);
    long years_run = y.last - y.at_year;
    if (years_run < LONG_RUN_YEARS) years_run = LONG_RUN_YEARS;
    /* rows: the groups with staff at the start, in output order, then the total */
    uint64_t *keys = malloc((g.nkeys ? g.nkeys : 1) * sizeof *keys);
    long *grp = malloc((ng ? ng : 1) * sizeof *grp), *row_of = NULL;
    double *proj = NULL, *sims = NULL, *hires = malloc((ng ? ng : 1) * sizeof *hires);
    double *start = NULL, *hire_f = NULL, *hire_n = NULL, *longrun = NULL;
    int *pyear = NULL;
    pstate st = {0};
    mc_rows mr = {0};
    gsl_rng *rng = NULL;
    unsigned *draw = NULL;
    parity_result *r = NULL;
    if (!keys || !grp || !hires) goto nomem;
    size_t nk = 0;
    if (g.ndim) {
        uint8_t *seen = calloc(g.nkeys, 1);
        if (!seen) goto nomem;
        for (size_t j = 0; j < ng; j++) {
            uint64_t k = g.dim[0].kind == PGR_GRADE ? j : t->grade_cat[j];
            if (m.base[j] > 0 && !seen[k]) {
                seen[k] = 1;
                keys[nk++] = k;
            }
        }
        free(seen);
        if (pgr_sort(&g, keys, nk) != PARITY_OK) goto nomem;
    }
    size_t nrow = nk + 1; /* + the total */
    if (!(row_of = malloc((g.nkeys ? g.nkeys : 1) * sizeof *row_of))) goto nomem;
    for (uint64_t k = 0; k < g.nkeys; k++) row_of[k] = -1;
    for (size_t i = 0; i < nk; i++) row_of[keys[i]] = (long)i;
    for (size_t j = 0; j < ng; j++)
        grp[j] = g.ndim ? row_of[g.dim[0].kind == PGR_GRADE ? j : t->grade_cat[j]] : -1;

    /* deterministic run: shares per row and year, and each row's parity year */
    proj = calloc(nrow * nyears, sizeof *proj);
    pyear = calloc(nrow, sizeof *pyear);
    start = calloc(nrow, sizeof *start);
    hire_f = calloc(nrow, sizeof *hire_f);
    hire_n = calloc(nrow, sizeof *hire_n);
    longrun = calloc(nrow, sizeof *longrun);
    if (!proj || !pyear || !start || !hire_f || !hire_n || !longrun ||
        state_init(&st, &m) != PARITY_OK)
        goto nomem;
    double target = t->cfg.target, band = t->cfg.band;
    for (size_t i = 0; i < nrow; i++) {
        start[i] = share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
        if (ps_band(start[i], target, band) == PBAND_WITHIN) pyear[i] = -1; /* reached */
    }
    long steps = years_run * m.spy;
    for (long k = 1; k <= steps; k++) {
        pfm_step(&m, k, st.x, st.y, hires);
        state_swap(&st);
        if (k == 1)
            for (size_t j = 0; j < ng; j++) {
                double hf = hires[j] * m.hs[PSEX_F][j], hn = hires[j];
                for (size_t i = 0; i < nrow; i++)
                    if (i == nk || grp[j] == (long)i) {
                        hire_f[i] += hf;
                        hire_n[i] += hn;
                    }
            }
        if (k % m.spy) continue;
        int year = y.at_year + (int)(k / m.spy);
        for (size_t i = 0; i < nrow; i++) {
            double sh = share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
            if (year <= y.last) proj[i * nyears + (size_t)(year - y.first)] = sh;
            if (pyear[i] == 0 && sh >= 0 && pj_reached(sh, start[i], target, band))
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
        rc = perr_set(t->errmsg, PARITY_USAGE,
                      "%zu simulations of %zu groups over %zu years would keep %.1f GB of "
                      "results (at most %.0f GB): fewer simulations or an earlier horizon",
                      nsim, nrow, nyears, need / 1e9, MC_MAX_BYTES / 1e9);
        goto done;
    }
    if (nsim) {
        sims = malloc(nrow * nyears * nsim * sizeof *sims);
        draw = malloc((ng + NSEX + 1) * sizeof *draw);
        rng = gsl_rng_alloc(gsl_rng_taus2);
        if (!sims || !draw || !rng || mc_rows_alloc(&m, &mr) != PARITY_OK) goto nomem;
        gsl_rng_set(rng, o->seed);
        for (size_t sim = 0; sim < nsim; sim++) {
            mc_rows_draw(&m, &mr, o->fixed_rates ? NULL : rng);
            for (int s = 0; s < NSEX; s++) memcpy(st.x[s], m.n0[s], ng * sizeof *st.x[s]);
            for (long k = 1; k <= (long)nyears * m.spy; k++) {
                mc_step(&m, &mr, rng, k, st.x, st.y, draw);
                state_swap(&st);
                if (k % m.spy) continue;
                size_t yi = (size_t)(k / m.spy) - 1;
                for (size_t i = 0; i < nrow; i++)
                    sims[(i * nyears + yi) * nsim + sim] =
                        share_of(&m, st.x, i < nk ? grp : NULL, (long)i);
            }
        }
    }

    char title[256], d0[11];
    pdate_format(t->snap[y.s_at].date, d0);
    snprintf(title, sizeof title,
             "Flow projection by %s to %d: rates pooled over %zu period%s to %s%s",
             g.ndim ? g.dim[0].name : "the whole population", y.last, m.periods,
             m.periods == 1 ? "" : "s", d0, nsim ? ", with Monte Carlo intervals" : "");
    if (!(r = pr_new("project", title))) goto nomem;
    if (pgr_add_columns(&g, r) || pr_add_col(r, "staff", "staff", PR_COUNT) ||
        pr_add_col(r, "female_share", "F share", PR_SHARE) ||
        pr_add_col(r, "hires_female_share", "hires F%", PR_SHARE))
        goto nomem;
    for (int s = 0; s < 2; s++) {
        char n1[64], n2[64];
        snprintf(n1, sizeof n1, "separation_rate.%s", sex_word[s]);
        snprintf(n2, sizeof n2, "promotion_rate.%s", sex_word[s]);
        if (pr_add_machine_col(r, n1, PR_SHARE) || pr_add_machine_col(r, n2, PR_SHARE))
            goto nomem;
    }
    if (pj_add_columns(r, &y, nsim > 0, nsim > 0) ||
        pr_add_col(r, "long_run_share", "long run", PR_SHARE) || pj_add_parity_columns(r))
        goto nomem;
    size_t c0 = g.ndim, c_proj = c0 + 7, per_year = nsim ? 3 : 2, extrapolated = 0;
    size_t c_long = c_proj + per_year * nyears, c_year = c_long + 1;
    for (size_t i = 0; i < nrow; i++) {
        long row = pr_add_row(r);
        if (row < 0) goto nomem;
        size_t rw = (size_t)row;
        if (i < nk && pgr_set_row(&g, t, r, rw, keys[i])) goto nomem;
        double staff = 0;
        for (size_t j = 0; j < ng; j++)
            if (i == nk || grp[j] == (long)i) staff += m.base[j];
        pr_set_num(r, rw, c0, staff);
        if (start[i] >= 0) pr_set_num(r, rw, c0 + 1, start[i]);
        if (hire_n[i] > 0) pr_set_num(r, rw, c0 + 2, hire_f[i] / hire_n[i]);
        if (i < nk && g.dim[0].kind == PGR_GRADE) {
            size_t j = keys[i];
            for (int s = 0; s < 2; s++) {
                double up = 0;
                for (size_t d = 0; d < ng; d++)
                    if (t->cfg.order != PG_ORDER_NONE && t->grade_rank[d] > t->grade_rank[j])
                        up += m.P[s][j * ng + d];
                if (m.risk[s][j] > 0 || o->nset) {
                    pr_set_num(r, rw, c0 + 3 + 2 * (size_t)s, m.q[s][j]);
                    if (t->cfg.order != PG_ORDER_NONE)
                        pr_set_num(r, rw, c0 + 4 + 2 * (size_t)s, up);
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
                pr_set_num(r, rw, c + 2, gsl_stats_mean(sv, 1, nsim));
            }
            pj_put(r, rw, c, v, lo, hi, nsim > 0);
        }
        if (start[i] >= 0) {
            /* further ahead than the periods the rates were pooled over */
            bool far = pyear[i] > 0 && (double)(pyear[i] - y.at_year) >
                                           (double)m.periods / m.spy + 0.5;
            extrapolated += far;
            pj_put_parity(r, rw, c_year, pyear[i], far);
            pr_set_num(r, rw, c_long, longrun[i]);
        }
        if (pyear[i] == 0 && start[i] >= 0) {
            char why[128];
            snprintf(why, sizeof why,
                     "not within %d years at these rates; long run: the share they settle at",
                     LONG_RUN_YEARS);
            pr_set_text(r, rw, c_year + PJ_C_REASON, why);
        }
    }
    r->has_total = true;

    cJSON_AddItemToObject(r->meta, "inputs", pt_inputs_json(t));
    cJSON *params = cJSON_AddObjectToObject(r->meta, "parameters");
    cJSON_AddStringToObject(params, "method", "flow");
    cJSON_AddItemToObject(params, "by", pgr_json(&g));
    cJSON_AddStringToObject(params, "at", d0);
    cJSON_AddNumberToObject(params, "horizon", y.last);
    cJSON_AddNumberToObject(params, "periods", (double)m.periods);
    cJSON_AddNumberToObject(params, "steps_per_year", m.spy);
    cJSON_AddNumberToObject(params, "growth", m.growth);
    cJSON_AddNumberToObject(params, "hires", m.hires_mult);
    cJSON *set = cJSON_AddArrayToObject(params, "set");
    for (size_t i = 0; set && i < o->nset; i++)
        cJSON_AddItemToArray(set, cJSON_CreateString(o->set[i]));
    cJSON_AddNumberToObject(params, "simulations", (double)nsim);
    if (nsim) cJSON_AddNumberToObject(params, "seed", (double)o->seed);
    else cJSON_AddNullToObject(params, "seed");
    cJSON_AddNumberToObject(params, "target", target);
    cJSON_AddNumberToObject(params, "band", band);
    char over[32] = "period";
    if (m.periods > 1) snprintf(over, sizeof over, "%zu periods", m.periods);
    pr_note(r, "Each grade's headcount is held %s by hires; rates of leaving and of moving "
               "between grades, per sex, and the female share of hires are pooled over the "
               "last %s%s.",
            m.growth != 0 ? "on its growth path" : "constant", over,
            o->nset ? ", then changed by --set" : "");
    if (nsim)
        pr_note(r, "95%%: the middle 95%% of %zu Monte Carlo runs (seed %lu).", nsim, o->seed);
    if (extrapolated)
        pr_note(r, "*: a parity year further ahead than the %s the rates were pooled over -- "
                   "what these rates lead to if nothing changes, not a forecast.",
                over);
    if (m.borrowed)
        pr_note(r, "%zu pair%s of sex and grade had nobody at risk in those periods: %s the "
                   "grade's rates for all sexes together.",
                m.borrowed, m.borrowed == 1 ? "" : "s", m.borrowed == 1 ? "it follows" : "they follow");
    if (m.fallback_hire_grades)
        pr_note(r, "%zu grade%s hired nobody in those periods; %s hires are assumed to follow "
                   "the female share of all hires.",
                m.fallback_hire_grades, m.fallback_hire_grades == 1 ? "" : "s",
                m.fallback_hire_grades == 1 ? "its" : "their");
    rc = PARITY_OK;
    *out = r;
    r = NULL;
    goto done;
nomem:
    rc = perr_set(t->errmsg, PARITY_NOMEM, "out of memory");
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
    free(st.mem);
    free(draw);
    mc_rows_free(&mr);
    if (rng) gsl_rng_free(rng);
fail:
    pfm_free(&m);
    pgr_free(&g);
    pgr_free(&gg);
    return rc;
}
