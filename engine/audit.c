/*
** audit.c -- withheld counts that the published ones would give away.
** Exports the audit_* functions (audit.h).
**
** A withheld cell is determined by the equations and the cells shown
** exactly when its unit vector lies in the row space of the equations
** restricted to the withheld cells (the shown ones are constants). With
** that matrix in reduced row echelon form, a cell is determined when its
** column holds a pivot and the pivot's row has no entry in a free column.
** The elimination runs over the integers modulo the prime 2^31 - 1: a
** vector in the span over the rationals is in it modulo p, so no determined
** cell is missed; the converse can fail only when p divides a minor of a
** 0/1 matrix, which errs towards withholding more.
**
** Every withheld cell that is not known is at least 1 (secondary cells are
** chosen among positive counts), so when a cell is not determined a
** direction of the null space moves it both ways by a little, every other
** withheld cell staying non-negative: a reader bounding it from every
** equation finds an interval, not a value. Withheld zeros of tiny groups
** are treated as known to the reader (audit_known).
*/
#include <stdlib.h>

#include "audit.h"
#include "dict.h"

#define P 2147483647u /* 2^31 - 1 */

typedef struct acell {
    int64_t v;
    bool withheld, known;
    bool primary;   /* withheld for itself: from 1 to min_cell - 1 */
    uint8_t cost;   /* what hiding it takes from the reader: chosen low first */
} acell;

struct audit {
    dictionary keys; /* key -> cell id */
    acell *cell;
    size_t ncell, capcell;
    size_t *eq_start; /* equation e: terms [eq_start[e], eq_start[e+1]) */
    size_t neq, capeq;
    long *term_cell;
    int *term_coef;
    size_t nterm, capterm;
};

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return PARITY_OK;
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * size);
    if (!q) return PARITY_NOMEM;
    *p = q;
    *cap = n;
    return PARITY_OK;
}

audit *audit_new(void) {
    audit *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    dict_init(&a->keys);
    a->eq_start = malloc(sizeof *a->eq_start);
    if (!a->eq_start) {
        audit_free(a);
        return NULL;
    }
    a->eq_start[0] = 0;
    a->capeq = 0;
    return a;
}

void audit_free(audit *a) {
    if (!a) return;
    dict_free(&a->keys);
    free(a->cell);
    free(a->eq_start);
    free(a->term_cell);
    free(a->term_coef);
    free(a);
}

long audit_cell(audit *a, const char *key, int64_t v) {
    int64_t id = dict_intern(&a->keys, key, strlen(key));
    if (id < 0) return -1;
    if ((size_t)id < a->ncell) return (long)id;
    if (grow((void **)&a->cell, &a->capcell, (size_t)id + 1, sizeof *a->cell) != PARITY_OK) return -1;
    a->cell[id] = (acell){.v = v};
    a->ncell = (size_t)id + 1;
    return (long)id;
}

void audit_withhold(audit *a, long id) { a->cell[id].withheld = true; }
void audit_known(audit *a, long id) { a->cell[id].known = true; }
void audit_cost(audit *a, long id, int cost) { a->cell[id].cost = (uint8_t)cost; }
bool audit_withheld(const audit *a, long id) { return a->cell[id].withheld; }
int64_t audit_value(const audit *a, long id) { return a->cell[id].v; }
size_t audit_ncells(const audit *a) { return a->ncell; }
size_t audit_nequations(const audit *a) { return a->neq; }

int audit_equation(audit *a, const long *cell, const int *coef, size_t n) {
    size_t cap = a->capeq + 1;
    if (grow((void **)&a->eq_start, &cap, a->neq + 2, sizeof *a->eq_start) != PARITY_OK)
        return PARITY_NOMEM;
    a->capeq = cap - 1;
    size_t cap_cell = a->capterm, cap_coef = a->capterm;
    if (grow((void **)&a->term_cell, &cap_cell, a->nterm + n, sizeof *a->term_cell) != PARITY_OK ||
        grow((void **)&a->term_coef, &cap_coef, a->nterm + n, sizeof *a->term_coef) != PARITY_OK)
        return PARITY_NOMEM;
    a->capterm = cap_cell < cap_coef ? cap_cell : cap_coef;
    for (size_t i = 0; i < n; i++) {
        a->term_cell[a->nterm] = cell[i];
        a->term_coef[a->nterm++] = coef[i];
    }
    a->eq_start[++a->neq] = a->nterm;
    return PARITY_OK;
}

static uint32_t mulmod(uint32_t x, uint32_t y) { return (uint32_t)((uint64_t)x * y % P); }
static uint32_t submod(uint32_t x, uint32_t y) { return x >= y ? x - y : x + P - y; }

static uint32_t invmod(uint32_t x) { /* x^(p-2) */
    uint32_t r = 1, b = x;
    for (uint32_t e = P - 2; e; e >>= 1) {
        if (e & 1) r = mulmod(r, b);
        b = mulmod(b, b);
    }
    return r;
}

static bool unknown(const audit *a, long id) { return a->cell[id].withheld && !a->cell[id].known; }

/* Marks det[id] for every withheld cell the equations determine; returns
** how many of them are primary, or (size_t)-1 when out of memory. */
static size_t find_determined(audit *a, bool *det) {
    size_t w = 0;
    long *col = malloc((a->ncell ? a->ncell : 1) * sizeof *col); /* cell -> column */
    if (!col) return (size_t)-1;
    for (size_t i = 0; i < a->ncell; i++) {
        det[i] = false;
        col[i] = unknown(a, (long)i) ? (long)w++ : -1;
    }
    size_t found = 0;
    uint32_t *basis = NULL, *row = NULL;
    size_t *pivot = NULL, rank = 0;
    if (w == 0) goto out;
    basis = malloc(w * w * sizeof *basis);
    row = malloc(w * sizeof *row);
    pivot = malloc(w * sizeof *pivot);
    if (!basis || !row || !pivot) {
        found = (size_t)-1;
        goto out;
    }
    /* echelon form, one equation at a time: rows with pivot[k], 1 there */
    for (size_t e = 0; e < a->neq && rank < w; e++) {
        bool any = false;
        memset(row, 0, w * sizeof *row);
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
            long c = col[a->term_cell[k]];
            if (c < 0) continue;
            int v = a->term_coef[k];
            uint32_t m = v >= 0 ? (uint32_t)v % P : P - (uint32_t)(-(int64_t)v % P);
            row[c] = (row[c] + m) % P;
            any = true;
        }
        if (!any) continue;
        for (size_t k = 0; k < rank; k++) {
            uint32_t f = row[pivot[k]];
            if (!f) continue;
            const uint32_t *b = basis + k * w;
            for (size_t j = pivot[k]; j < w; j++)
                if (b[j]) row[j] = submod(row[j], mulmod(f, b[j]));
        }
        size_t p = 0;
        while (p < w && !row[p]) p++;
        if (p == w) continue;
        uint32_t inv = invmod(row[p]);
        for (size_t j = p; j < w; j++) row[j] = mulmod(row[j], inv);
        /* keep rows sorted by pivot so reduction above runs left to right */
        size_t at = rank;
        while (at > 0 && pivot[at - 1] > p) {
            memcpy(basis + at * w, basis + (at - 1) * w, w * sizeof *basis);
            pivot[at] = pivot[at - 1];
            at--;
        }
        memcpy(basis + at * w, row, w * sizeof *basis);
        pivot[at] = p;
        rank++;
        /* rows above with an entry at p lose it later (back substitution) */
    }
    /* reduced form: clear each pivot column in the rows above it */
    for (size_t k = rank; k-- > 0;) {
        const uint32_t *bk = basis + k * w;
        for (size_t i = 0; i < k; i++) {
            uint32_t *bi = basis + i * w;
            uint32_t f = bi[pivot[k]];
            if (!f) continue;
            for (size_t j = pivot[k]; j < w; j++)
                if (bk[j]) bi[j] = submod(bi[j], mulmod(f, bk[j]));
        }
    }
    bool *is_pivot = calloc(w, sizeof *is_pivot);
    size_t *cellof = malloc(w * sizeof *cellof);
    if (!is_pivot || !cellof) {
        free(is_pivot);
        free(cellof);
        found = (size_t)-1;
        goto out;
    }
    for (size_t k = 0; k < rank; k++) is_pivot[pivot[k]] = true;
    for (size_t i = 0; i < a->ncell; i++)
        if (col[i] >= 0) cellof[col[i]] = i;
    for (size_t k = 0; k < rank; k++) {
        const uint32_t *b = basis + k * w;
        bool free_entry = false;
        for (size_t j = pivot[k] + 1; j < w && !free_entry; j++)
            free_entry = b[j] && !is_pivot[j];
        if (free_entry) continue;
        det[cellof[pivot[k]]] = true;
        found += a->cell[cellof[pivot[k]]].primary;
    }
    free(is_pivot);
    free(cellof);
out:
    free(basis);
    free(row);
    free(pivot);
    free(col);
    return found;
}

size_t audit_determined(audit *a) {
    bool *det = malloc((a->ncell ? a->ncell : 1) * sizeof *det);
    if (!det) return (size_t)-1;
    size_t n = find_determined(a, det);
    if (n != (size_t)-1) {
        n = 0;
        for (size_t i = 0; i < a->ncell; i++) n += det[i];
    }
    free(det);
    return n;
}

/* The positive shown cells in an equation with a cell marked near, smallest first
** (by cost first; ties: the lowest id): up to cap of
** them into out; their number. */
static size_t candidates(const audit *a, const bool *near, long *out, size_t cap) {
    size_t n = 0;
    for (size_t e = 0; e < a->neq; e++) {
        bool has = false;
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1] && !has; k++)
            has = near[a->term_cell[k]];
        if (!has) continue;
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
            long c = a->term_cell[k];
            const acell *x = &a->cell[c];
            if (x->withheld || x->v <= 0) continue;
            bool dup = false;
            for (size_t i = 0; i < n && !dup; i++) dup = out[i] == c;
            if (dup) continue;
            /* insertion into the sorted list, cut at cap */
            size_t at = n;
            while (at > 0) {
                const acell *y = &a->cell[out[at - 1]];
                bool before = x->cost != y->cost ? x->cost < y->cost
                                                 : x->v != y->v ? x->v < y->v : c < out[at - 1];
                if (!before) break;
                at--;
            }
            if (at >= cap) continue;
            if (n < cap) n++;
            memmove(out + at + 1, out + at, (n - 1 - at) * sizeof *out);
            out[at] = c;
        }
    }
    return n;
}

/* The cell to withhold beside determined cell d: the first candidate that
** leaves d undetermined, else the smallest; -1 when none. */
static long complement(audit *a, long d, bool *det, bool *near) {
    enum { CAP = 24 };
    long cand[CAP];
    /* the cells in an equation with d; none shown there: a step further,
    ** through the withheld cells beside it, and so on */
    memset(near, 0, a->ncell * sizeof *near);
    near[d] = true;
    size_t n = 0;
    for (int hop = 0; hop < 8 && n == 0; hop++) {
        n = candidates(a, near, cand, CAP);
        if (n) break;
        bool grew = false;
        for (size_t e = 0; e < a->neq; e++) {
            bool has = false;
            for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1] && !has; k++)
                has = near[a->term_cell[k]];
            if (!has) continue;
            for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
                long c = a->term_cell[k];
                if (a->cell[c].withheld && !near[c]) near[c] = grew = true;
            }
        }
        if (!grew) break;
    }
    for (size_t i = 0; i < n; i++) {
        a->cell[cand[i]].withheld = true;
        size_t found = find_determined(a, det);
        a->cell[cand[i]].withheld = false;
        if (found != (size_t)-1 && !det[d]) return cand[i];
    }
    return n ? cand[0] : -1;
}

int audit_protect(audit *a, long min_cell, size_t *primary, size_t *secondary) {
    *primary = *secondary = 0;
    for (size_t i = 0; i < a->ncell; i++)
        if (a->cell[i].v > 0 && a->cell[i].v < min_cell) {
            a->cell[i].withheld = a->cell[i].primary = true;
            (*primary)++;
        }
    bool *det = malloc((a->ncell ? a->ncell : 1) * sizeof *det);
    bool *near = malloc((a->ncell ? a->ncell : 1) * sizeof *near);
    int rc = det && near ? PARITY_OK : PARITY_NOMEM;
    while (rc == PARITY_OK) {
        size_t n = find_determined(a, det);
        if (n == (size_t)-1) rc = PARITY_NOMEM;
        if (n == 0 || rc != PARITY_OK) break;
        long c = -1;
        for (size_t i = 0; i < a->ncell && c < 0; i++)
            if (det[i] && a->cell[i].primary) c = complement(a, (long)i, det, near);
        if (c < 0) break; /* nothing shown is left to hide it with */
        a->cell[c].withheld = true;
        (*secondary)++;
    }
    free(det);
    free(near);
    return rc == PARITY_OK ? audit_settle(a) : rc;
}

int audit_settle(audit *a) {
    bool *det = malloc((a->ncell ? a->ncell : 1) * sizeof *det);
    if (!det || find_determined(a, det) == (size_t)-1) {
        free(det);
        return PARITY_NOMEM;
    }
    for (size_t i = 0; i < a->ncell; i++)
        if (det[i] && !a->cell[i].primary && !a->cell[i].known) a->cell[i].withheld = false;
    free(det);
    return PARITY_OK;
}

bool audit_release(audit *a, long id, long min_cell) {
    acell *x = &a->cell[id];
    if (!x->withheld || (x->v > 0 && x->v < min_cell)) return false;
    bool *det = malloc((a->ncell ? a->ncell : 1) * sizeof *det);
    if (!det) return false;
    x->withheld = false;
    size_t n = find_determined(a, det);
    free(det);
    if (n != 0) x->withheld = true;
    return n == 0;
}
