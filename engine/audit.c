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
** Every withheld cell is at least 1 (secondary cells are chosen among
** positive counts), so when a cell is not determined a direction of the
** null space moves it both ways by a little, every other withheld cell
** staying non-negative: a reader bounding it from every equation finds an
** interval, not a value. The zeros a tiny group does not show are shown
** cells here: a reader is taken to know them.
*/
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dict.h"

#define P 2147483647u /* 2^31 - 1 */

typedef struct acell {
    int64_t v;
    bool withheld;
    bool primary;   /* withheld for itself: from 1 to min_cell - 1 */
    uint8_t cost;   /* what hiding it takes from the reader: chosen low first */
    bool locked;    /* its pattern was fixed before: never a complement, never shown again */
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
void audit_cost(audit *a, long id, int cost) { a->cell[id].cost = (uint8_t)cost; }
void audit_lock(audit *a, long id) { a->cell[id].locked = true; }
void audit_unlock(audit *a, long id) { a->cell[id].locked = false; }
void audit_guard(audit *a, long id) { a->cell[id].primary = a->cell[id].withheld = true; }
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

/* The elimination of the equations restricted to the withheld cells, with
** each row's combination of equations carried beside it (E entries): a row
** of the reduced form is y.A for the y beside it, and an equation that
** reduces to nothing leaves a y with y.A = 0 (the left null space). */
typedef struct elim {
    size_t w, ne, rank, nnull;
    long *col;        /* cell -> column, or -1 */
    size_t *cellof;   /* column -> cell */
    uint32_t *basis;  /* rank rows of w + ne */
    size_t *pivot;    /* per basis row */
    uint32_t *null;   /* nnull rows of ne */
    size_t *rowof;    /* column -> its basis row, or SIZE_MAX */
    long *eqcol;      /* equation -> its place among the ne carried, or -1: an
                      ** equation with no withheld cell is the zero row, and
                      ** carrying it would only widen every row */
} elim;

static void elim_free(elim *x) {
    free(x->col);
    free(x->cellof);
    free(x->basis);
    free(x->pivot);
    free(x->null);
    free(x->rowof);
    free(x->eqcol);
}

static uint32_t modp(int v) { return v >= 0 ? (uint32_t)v % P : P - (uint32_t)(-(int64_t)v % P); }

/* Reduces full row r (w + ne) by the basis rows, in pivot order. */
static void reduce(const elim *x, uint32_t *r, const size_t *ord) {
    size_t len = x->w + x->ne;
    for (size_t i = 0; i < x->rank; i++) {
        size_t k = ord[i];
        uint32_t f = r[x->pivot[k]];
        if (!f) continue;
        const uint32_t *b = x->basis + k * len;
        for (size_t j = x->pivot[k]; j < len; j++)
            if (b[j]) r[j] = submod(r[j], mulmod(f, b[j]));
    }
}

static int eliminate(audit *a, elim *x) {
    memset(x, 0, sizeof *x);
    x->col = malloc((a->ncell ? a->ncell : 1) * sizeof *x->col);
    if (!x->col) return PARITY_NOMEM;
    for (size_t i = 0; i < a->ncell; i++) x->col[i] = a->cell[i].withheld ? (long)x->w++ : -1;
    x->eqcol = malloc((a->neq ? a->neq : 1) * sizeof *x->eqcol);
    if (!x->eqcol) return PARITY_NOMEM;
    for (size_t e = 0; e < a->neq; e++) {
        x->eqcol[e] = -1;
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1] && x->eqcol[e] < 0; k++)
            if (x->col[a->term_cell[k]] >= 0) x->eqcol[e] = (long)x->ne++;
    }
    size_t w = x->w, len = w + x->ne;
    x->cellof = malloc((w ? w : 1) * sizeof *x->cellof);
    x->rowof = malloc((w ? w : 1) * sizeof *x->rowof);
    x->pivot = malloc((w ? w : 1) * sizeof *x->pivot);
    x->basis = malloc((w ? w : 1) * len * sizeof *x->basis);
    size_t *ord = malloc((w ? w : 1) * sizeof *ord);
    uint32_t *r = malloc(len * sizeof *r);
    size_t capnull = 0;
    int rc = x->cellof && x->rowof && x->pivot && x->basis && ord && r ? PARITY_OK : PARITY_NOMEM;
    for (size_t i = 0; rc == PARITY_OK && i < a->ncell; i++)
        if (x->col[i] >= 0) x->cellof[x->col[i]] = i;
    for (size_t e = 0; rc == PARITY_OK && e < a->neq; e++) {
        bool any = false;
        memset(r, 0, len * sizeof *r);
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
            long c = x->col[a->term_cell[k]];
            if (c < 0) continue;
            r[c] = (r[c] + modp(a->term_coef[k])) % P;
            any = true;
        }
        if (!any) continue;
        r[w + (size_t)x->eqcol[e]] = 1;
        reduce(x, r, ord);
        size_t p = 0;
        while (p < w && !r[p]) p++;
        if (p == w) { /* a combination that is 0: keep it */
            if (x->nnull == capnull) {
                capnull = capnull ? 2 * capnull : 16;
                uint32_t *n = realloc(x->null, capnull * x->ne * sizeof *n);
                if (!n) {
                    rc = PARITY_NOMEM;
                    break;
                }
                x->null = n;
            }
            memcpy(x->null + x->nnull++ * x->ne, r + w, x->ne * sizeof *r);
            continue;
        }
        uint32_t inv = invmod(r[p]);
        for (size_t j = p; j < len; j++) r[j] = mulmod(r[j], inv);
        memcpy(x->basis + x->rank * len, r, len * sizeof *r);
        x->pivot[x->rank] = p;
        size_t at = x->rank;
        while (at > 0 && x->pivot[ord[at - 1]] > p) {
            ord[at] = ord[at - 1];
            at--;
        }
        ord[at] = x->rank++;
    }
    /* reduced form: clear each pivot column in the rows before it */
    for (size_t i = x->rank; rc == PARITY_OK && i-- > 0;) {
        size_t k = ord[i];
        const uint32_t *bk = x->basis + k * len;
        for (size_t i2 = 0; i2 < i; i2++) {
            uint32_t *bi = x->basis + ord[i2] * len;
            uint32_t f = bi[x->pivot[k]];
            if (!f) continue;
            for (size_t j = x->pivot[k]; j < len; j++)
                if (bk[j]) bi[j] = submod(bi[j], mulmod(f, bk[j]));
        }
    }
    for (size_t c = 0; rc == PARITY_OK && c < w; c++) x->rowof[c] = SIZE_MAX;
    for (size_t k = 0; rc == PARITY_OK && k < x->rank; k++) x->rowof[x->pivot[k]] = k;
    free(ord);
    free(r);
    return rc;
}

/* Whether the cell in column c is determined: a pivot whose row has no
** entry in a free column. */
static bool elim_determined(const elim *x, size_t c) {
    size_t k = x->rowof[c];
    if (k == SIZE_MAX) return false;
    const uint32_t *b = x->basis + k * (x->w + x->ne);
    for (size_t j = c + 1; j < x->w; j++)
        if (b[j] && x->rowof[j] == SIZE_MAX) return false;
    return true;
}

/* Marks det[id] for every withheld cell the equations determine; returns
** how many of them are primary, or (size_t)-1 when out of memory. */
static size_t find_determined(audit *a, bool *det) {
    elim x;
    int rc = eliminate(a, &x);
    size_t found = 0;
    for (size_t i = 0; i < a->ncell; i++) det[i] = false;
    for (size_t c = 0; rc == PARITY_OK && c < x.w; c++)
        if (elim_determined(&x, c)) {
            det[x.cellof[c]] = true;
            found += a->cell[x.cellof[c]].primary;
        }
    elim_free(&x);
    return rc == PARITY_OK ? found : (size_t)-1;
}

/* Whether withholding shown cell c as well would leave determined cell d
** (column dc) undetermined: when c's column is orthogonal to every
** combination of equations that is 0, and not to the one that gives d. */
static bool frees(const audit *a, const elim *x, size_t dc, long c) {
    const uint32_t *y0 = x->basis + x->rowof[dc] * (x->w + x->ne) + x->w;
    uint32_t dot0 = 0;
    uint32_t *dn = calloc(x->nnull ? x->nnull : 1, sizeof *dn);
    if (!dn) return false;
    for (size_t e = 0; e < a->neq; e++) {
        if (x->eqcol[e] < 0) continue; /* carried as zero everywhere */
        size_t q = (size_t)x->eqcol[e];
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
            if (a->term_cell[k] != c) continue;
            uint32_t v = modp(a->term_coef[k]);
            dot0 = (dot0 + mulmod(y0[q], v)) % P;
            for (size_t i = 0; i < x->nnull; i++) dn[i] = (dn[i] + mulmod(x->null[i * x->ne + q], v)) % P;
        }
    }
    bool ok = dot0 != 0;
    for (size_t i = 0; ok && i < x->nnull; i++) ok = dn[i] == 0;
    free(dn);
    return ok;
}

/* Whether equation e holds a cell marked in `near`. */
static bool touches(const audit *a, size_t e, const bool *near) {
    for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++)
        if (near[a->term_cell[k]]) return true;
    return false;
}

/* The positive shown cells in an equation with a cell marked near, smallest first
** (by cost first; ties: the lowest id): up to cap of
** them into out; their number. */
static size_t candidates(const audit *a, const bool *near, long *out, size_t cap) {
    size_t n = 0;
    for (size_t e = 0; e < a->neq; e++) {
        if (!touches(a, e, near)) continue;
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
            long c = a->term_cell[k];
            const acell *x = &a->cell[c];
            if (x->withheld || x->v <= 0 || x->locked) continue;
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

/* The cells to withhold beside determined cell d (column dc of x), into
** out (up to 4), their number: the first candidate near it that leaves d
** undetermined; when no one cell does, the nearest few (none: 0). */
static size_t complement(audit *a, const elim *x, long d, size_t dc, bool *near, long out[4]) {
    enum { CAP = 64 };
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
            if (!touches(a, e, near)) continue;
            for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1]; k++) {
                long c = a->term_cell[k];
                if (a->cell[c].withheld && !near[c]) near[c] = grew = true;
            }
        }
        if (!grew) break;
    }
    for (size_t i = 0; i < n; i++)
        if (frees(a, x, dc, cand[i])) {
            out[0] = cand[i];
            return 1;
        }
    /* no one cell frees it: it is reached by several routes, each needing
    ** a cell of its own. The nearest few at once, so that the search ends
    ** in a few rounds, not one round a cell */
    size_t k = n < 4 ? n : 4;
    memcpy(out, cand, k * sizeof *out);
    return k;
}

/* Whether showing withheld column cc (a constant then) would determine an
** undetermined primary cell d: whether e_d + t e_c lies in the row space
** for some t -- in reduced form, a row-space vector with no entry in a free
** column but d's and c's. With c free: a row whose only free entry is c's
** (its pivot is d). With c a pivot: c's row's only free entry is d's, or
** d's row is, on the free columns, a multiple of c's. */
static bool show_determines(const audit *a, const elim *x, size_t cc) {
    size_t len = x->w + x->ne, kc = x->rowof[cc];
    if (kc == SIZE_MAX) {
        for (size_t k = 0; k < x->rank; k++) {
            const uint32_t *b = x->basis + k * len;
            if (!b[cc] || !a->cell[x->cellof[x->pivot[k]]].primary) continue;
            bool only = true;
            for (size_t j = 0; j < x->w && only; j++) only = j == cc || !b[j] || x->rowof[j] != SIZE_MAX;
            if (only) return true;
        }
        return false;
    }
    const uint32_t *bc = x->basis + kc * len;
    size_t j0 = SIZE_MAX, nfree = 0;
    for (size_t j = 0; j < x->w; j++)
        if (x->rowof[j] == SIZE_MAX && bc[j]) {
            if (j0 == SIZE_MAX) j0 = j;
            nfree++;
        }
    if (!nfree) return false; /* c is determined: showing it tells nothing */
    if (nfree == 1 && a->cell[x->cellof[j0]].primary) return true;
    for (size_t k = 0; k < x->rank; k++) {
        const uint32_t *bd = x->basis + k * len;
        if (k == kc || !bd[j0] || !a->cell[x->cellof[x->pivot[k]]].primary) continue;
        bool multiple = true;
        for (size_t j = 0; j < x->w && multiple; j++)
            multiple = x->rowof[j] != SIZE_MAX || mulmod(bd[j], bc[j0]) == mulmod(bc[j], bd[j0]);
        if (multiple) return true;
    }
    return false;
}

/* The reduced form after withheld column cc is shown (a constant now): its
** entries dropped; when it held a pivot, that row's next free entry is the
** pivot, cleared from the other rows (they have no entry before it: each
** has its pivot earlier), or the row, with no free entry left, becomes a
** combination that is 0. The same as eliminating again, for a row's work. */
static int elim_show(elim *x, size_t cc) {
    size_t len = x->w + x->ne, k = x->rowof[cc];
    if (k == SIZE_MAX) {
        for (size_t i = 0; i < x->rank; i++) x->basis[i * len + cc] = 0;
        return PARITY_OK;
    }
    uint32_t *r = x->basis + k * len;
    r[cc] = 0;
    x->rowof[cc] = SIZE_MAX;
    size_t p = 0;
    while (p < x->w && !(r[p] && x->rowof[p] == SIZE_MAX)) p++;
    if (p == x->w) {
        uint32_t *nl = realloc(x->null, (x->nnull + 1) * (x->ne ? x->ne : 1) * sizeof *nl);
        if (!nl) return PARITY_NOMEM;
        x->null = nl;
        memcpy(x->null + x->nnull++ * x->ne, r + x->w, x->ne * sizeof *r);
        size_t last = x->rank - 1;
        if (k != last) {
            memcpy(r, x->basis + last * len, len * sizeof *r);
            x->pivot[k] = x->pivot[last];
            x->rowof[x->pivot[k]] = k;
        }
        x->rank--;
        return PARITY_OK;
    }
    uint32_t inv = invmod(r[p]);
    for (size_t j = p; j < len; j++)
        if (r[j]) r[j] = mulmod(r[j], inv);
    x->pivot[k] = p;
    x->rowof[p] = k;
    for (size_t i = 0; i < x->rank; i++) {
        uint32_t *b = x->basis + i * len, f = b[p];
        if (i == k || !f) continue;
        for (size_t j = p; j < len; j++)
            if (r[j]) b[j] = submod(b[j], mulmod(f, r[j]));
    }
    return PARITY_OK;
}

/* Shows again, one at a time, each complement no protected cell needs
** any more (complements are chosen greedily, and one chosen early may be
** made redundant by later ones): larger counts first, a cell kept shown
** when no undetermined primary cell becomes determined by it. */
typedef struct vcell { /* a cell and its value, to sort */
    int64_t v;
    long id;
} vcell;

static int larger_first(const void *p, const void *q) {
    const vcell *x = p, *y = q;
    return x->v != y->v ? (x->v < y->v ? 1 : -1) : (x->id > y->id) - (x->id < y->id);
}

static int prune(audit *a) {
    vcell *order = malloc((a->ncell ? a->ncell : 1) * sizeof *order);
    if (!order) return PARITY_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < a->ncell; i++)
        if (a->cell[i].withheld && !a->cell[i].primary && !a->cell[i].locked)
            order[n++] = (vcell){a->cell[i].v, (long)i};
    qsort(order, n, sizeof *order, larger_first);
    elim x;
    int rc = eliminate(a, &x);
    for (size_t i = 0; i < n && rc == PARITY_OK; i++) {
        size_t cc = (size_t)x.col[order[i].id];
        if (show_determines(a, &x, cc)) continue;
        a->cell[order[i].id].withheld = false;
        rc = elim_show(&x, cc);
    }
    elim_free(&x);
    free(order);
    return rc;
}

int audit_protect(audit *a, long min_cell, size_t *primary, size_t *secondary) {
    *primary = *secondary = 0;
    for (size_t i = 0; i < a->ncell; i++)
        if (a->cell[i].v > 0 && a->cell[i].v < min_cell) {
            a->cell[i].withheld = a->cell[i].primary = true;
            (*primary)++;
        }
    bool *near = malloc((a->ncell ? a->ncell : 1) * sizeof *near);
    long *chosen = malloc((a->ncell ? a->ncell : 1) * sizeof *chosen);
    int rc = near && chosen ? PARITY_OK : PARITY_NOMEM;
    while (rc == PARITY_OK) {
        elim x;
        if ((rc = eliminate(a, &x)) != PARITY_OK) {
            elim_free(&x);
            break;
        }
        /* for every determined primary cell, a complement -- unless one
        ** chosen in this round already frees it (more withheld cells never
        ** determine more) */
        size_t nch = 0;
        bool stuck = false;
        for (size_t c = 0; c < x.w; c++) {
            long d = (long)x.cellof[c];
            if (!a->cell[d].primary || !elim_determined(&x, c)) continue;
            bool done = false;
            for (size_t i = 0; i < nch && !done; i++) done = frees(a, &x, c, chosen[i]);
            if (done) continue;
            long got[4];
            size_t ng = complement(a, &x, d, c, near, got);
            if (ng == 0) {
                stuck = true; /* nothing shown is left to hide it with */
                continue;
            }
            for (size_t j = 0; j < ng; j++) {
                bool dup = false;
                for (size_t i = 0; i < nch && !dup; i++) dup = chosen[i] == got[j];
                if (!dup) chosen[nch++] = got[j];
                /* the extra ones at once: the next cells' search passes them by */
                if (j > 0) a->cell[got[j]].withheld = true;
            }
        }
        elim_free(&x);
        for (size_t i = 0; i < nch; i++) a->cell[chosen[i]].withheld = true;
        *secondary += nch;
        if (nch == 0) break;
        (void)stuck;
    }
    free(near);
    free(chosen);
    if (rc == PARITY_OK) rc = prune(a);
    return rc == PARITY_OK ? audit_settle(a) : rc;
}

int audit_settle(audit *a) {
    bool *det = malloc((a->ncell ? a->ncell : 1) * sizeof *det);
    if (!det || find_determined(a, det) == (size_t)-1) {
        free(det);
        return PARITY_NOMEM;
    }
    for (size_t i = 0; i < a->ncell; i++)
        if (det[i] && !a->cell[i].primary && !a->cell[i].locked) a->cell[i].withheld = false;
    free(det);
    return PARITY_OK;
}

long audit_leaks(audit *a, bool *det) {
    bool *d = det ? det : malloc((a->ncell ? a->ncell : 1) * sizeof *d);
    size_t n = d ? find_determined(a, d) : (size_t)-1;
    if (n != (size_t)-1)
        for (size_t i = 0; i < a->ncell; i++) d[i] = d[i] && a->cell[i].primary;
    if (!det) free(d);
    return n == (size_t)-1 ? -1 : (long)n;
}

size_t audit_withhold_near(audit *a, long id, const bool *among, long *out) {
    size_t n = 0;
    for (size_t e = 0; e < a->neq; e++) {
        bool has = false;
        for (size_t k = a->eq_start[e]; k < a->eq_start[e + 1] && !has; k++) has = a->term_cell[k] == id;
        for (size_t k = a->eq_start[e]; has && k < a->eq_start[e + 1]; k++) {
            acell *c = &a->cell[a->term_cell[k]];
            if (among[a->term_cell[k]] && !c->withheld && !c->locked && c->v > 0) {
                c->withheld = c->locked = true;
                out[n++] = a->term_cell[k];
            }
        }
    }
    return n;
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
