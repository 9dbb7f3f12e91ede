/*
** markov.h -- the stock-flow (Markov manpower) model: per-sex transition and
** separation probabilities between grades and the shares of hires, estimated
** by matching people between snapshots; deterministic and Monte Carlo steps;
** what-if overrides (DESIGN.md, "Flow").
*/
#ifndef PARITY_MARKOV_H
#define PARITY_MARKOV_H

#include <gsl/gsl_rng.h>

#include "group.h"
#include "table.h"

typedef struct markov {
    size_t ng;            /* states: the table's grade codes */
    double *base;         /* headcount per grade at the start, all sexes */
    double *n0[3];        /* per sex F, M, X: stock at the start */
    double *risk[3], *sep[3], *hire[3]; /* pooled counts per grade */
    double *tr[3];        /* pooled stayers from grade i to j, [i * ng + j] */
    double *P[3];         /* chance of being in grade j one period on */
    double *q[3];         /* chance of leaving */
    double *hs[3];        /* shares of hires by sex, per grade */
    double hires_mult, growth;
    int spy;              /* steps (periods) per year */
    size_t periods, fallback_hire_grades;
    size_t borrowed;      /* (sex, grade) rows with nobody at risk: the grade's
                          ** all-sex rates stand in */
    uint8_t *fixed;       /* [sex * ng + grade]: that row of P set by a what-if */
    uint8_t *fixed_hire;  /* [grade]: the hire share set by a what-if */
    double *mem;
} markov;

/* Estimates the model from the last `periods` periods (0: 3) up to
** snapshot s_at, for the rows where flt's key is fkey (flt NULL: all). */
int markov_estimate(markov *m, parity_table *t, size_t s_at, int periods, const grouping *flt,
                 uint64_t fkey);
void markov_free(markov *m);
/* Applies a what-if override "KEY[.SEX][:GRADE]=VALUE"; grades is a
** grouping by grade, for looking grades up. */
int markov_set(markov *m, parity_table *t, const grouping *grades, const char *spec);
/* Sets the female share of hires into grade g, keeping the X share. */
void markov_set_hire_share(markov *m, size_t g, double v);
/* The female share of the grades in scope after `steps` deterministic
** steps, their hire share set to v first when set_share, into *out (-1
** when they are empty); PARITY_NOMEM when out of memory. */
int markov_scope_share(markov *m, long steps, const uint8_t *in_scope, bool set_share, double v,
                       double *out);

/* The sexes that count in shares, F, M, X (U is left out of the model). */
#define MARKOV_NSEX 3
extern const char *const markov_sex_word[MARKOV_NSEX]; /* "female", "male", "other" */

/* One deterministic step k: x (per sex and grade) moved by P into y, then
** each grade brought to its target headcount by hires (their number per
** grade into hires when not NULL). */
void markov_step(const markov *m, long k, double *const x[MARKOV_NSEX], double *const y[MARKOV_NSEX],
                 double *hires);

/* Two generations of the stock, [sex][grade], for stepping: x, the
** present, starts as the model's starting stock; y receives a step. */
typedef struct markov_state {
    double *mem;
    double *x[MARKOV_NSEX], *y[MARKOV_NSEX];
} markov_state;
int markov_state_init(markov_state *st, const markov *m);
void markov_state_swap(markov_state *st);
void markov_state_free(markov_state *st);

/* The female share of the grades with grp[g] == group (every grade when
** grp is NULL) in stock x; -1 when they are empty. */
double markov_share_of(const markov *m, double *const x[MARKOV_NSEX], const long *grp, long group);

/* A Monte Carlo run's rates: the sparse rows of P per sex and grade, with
** a last "left" destination (index ng), and the shares of hires. Drawn
** from their posterior given the counts (Dirichlet over the destinations
** seen), or the model's own (rng NULL: fixed rates), except rows set by
** a what-if or of a sex with nobody at risk. */
typedef struct markov_draw {
    uint32_t *dest;  /* [s][i][0..ndest) */
    double *prob;
    uint32_t *ndest; /* [s][i] */
    double *hs;      /* [s][j]: this run's shares of hires */
    double *alpha;   /* scratch for the Dirichlet draws */
} markov_draw;
int markov_draw_alloc(const markov *m, markov_draw *r);
void markov_draw_rates(const markov *m, markov_draw *r, gsl_rng *rng);
void markov_draw_free(markov_draw *r);
/* One Monte Carlo step: every (sex, grade)'s people split over their
** destinations by one multinomial draw, hires by sex by another. draw is
** scratch of ng + MARKOV_NSEX + 1 entries. */
void markov_draw_step(const markov *m, const markov_draw *r, gsl_rng *rng, long k,
                      double *const x[MARKOV_NSEX], double *const y[MARKOV_NSEX], unsigned *draw);

#endif /* PARITY_MARKOV_H */
